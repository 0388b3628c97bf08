/*
 * subsidy.c: the module's entry point and the business date.
 *
 * The extension's concepts live one per file; the Makefile's OBJS lists them.
 */
#include "subsidy.h"

#include "access/xact.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "miscadmin.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "executor/spi.h"

#if PG_VERSION_NUM >= 180000
PG_MODULE_MAGIC_EXT(.name = "subsidy", .version = SUBSIDY_VERSION);
#else
PG_MODULE_MAGIC;
#endif

#if PG_VERSION_NUM < 150000
#define MarkGUCPrefixReserved(prefix) EmitWarningsOnPlaceholders(prefix)
#endif

/* A GUC's "extra" is freed by guc.c: with guc_free from 16, with free before. */
#if PG_VERSION_NUM >= 160000
#define guc_extra_alloc(size) guc_malloc(LOG, (size))
#else
#define guc_extra_alloc(size) malloc(size)
#endif

/*
 * subsidy.today: the date the rules take as today, empty for the date in China.
 * Only a superuser may set it, so that no clerk can move publicity forward;
 * tests and replays of a past year use it.
 */
static char *today_setting = NULL;

/* subsidy.payment_batch: the default batch of records loaded into subsidy.payment_file. */
static char *payment_batch_setting = NULL;

/* A date written YYYY-MM-DD, into *d; false for anything else. */
static bool
parse_iso_date(const char *text, DateADT *d)
{
	int			year,
				month,
				day,
				y2,
				m2,
				d2;
	char		trailing;

	if (sscanf(text, "%4d-%2d-%2d%c", &year, &month, &day, &trailing) != 3 ||
		year < 1900 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31)
		return false;
	j2date(date2j(year, month, day), &y2, &m2, &d2);
	if (y2 != year || m2 != month || d2 != day)
		return false;			/* 31 April and the like */
	*d = date2j(year, month, day) - POSTGRES_EPOCH_JDATE;
	return true;
}

/* The setting parsed once, by its hooks: the rules ask for the date on every row. */
typedef struct TodaySetting
{
	bool		is_set;
	DateADT		date;
} TodaySetting;

static TodaySetting today = {false, 0};

static bool
check_today(char **newval, void **extra, GucSource source)
{
	TodaySetting parsed = {false, 0};

	if (*newval != NULL && (*newval)[0] != '\0')
	{
		if (!parse_iso_date(*newval, &parsed.date))
		{
			GUC_check_errdetail("subsidy.today is a date written YYYY-MM-DD, or empty for current_date.");
			return false;
		}
		parsed.is_set = true;
	}
	*extra = guc_extra_alloc(sizeof(TodaySetting));
	if (*extra == NULL)
		return false;
	memcpy(*extra, &parsed, sizeof(TodaySetting));
	return true;
}

static void
assign_today(const char *newval, void *extra)
{
	if (extra != NULL)
		today = *(TodaySetting *) extra;
}

/*
 * The business date (W12): subsidy.today, or the date in China Standard Time at
 * the start of the transaction, whatever the session's TimeZone.  CST is UTC+8
 * all year (China has kept no daylight saving time since 1991), so no time
 * zone database is needed.
 */
int32
business_date(void)
{
	TimestampTz now;

	if (today.is_set)
		return today.date;
	now = GetCurrentTransactionStartTimestamp() + INT64CONST(8) * USECS_PER_HOUR;
	return (int32) (now >= 0 ? now / USECS_PER_DAY : -((-now - 1) / USECS_PER_DAY) - 1);
}

PG_FUNCTION_INFO_V1(business_today);
/* subsidy.today(). */
Datum
business_today(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATEADT(business_date());
}

/*
 * A restore in progress: a superuser has called subsidy.begin_restore, and
 * subsidy.finish_restore has not yet checked what was loaded against the
 * heads kept outside and logged it.  Meanwhile a superuser's session loads
 * rows as they were dumped (an application past draft, a publicity in the
 * past), because the rules were checked when the rows were first written;
 * the audit log still takes only entries that hash to their contents.  It is
 * a row of a table, not a session setting: visible, and logged when it ends.
 * No other role's session is ever restoring.
 */
static SnapshotStamp restore_stamp;
static bool restore_flag = false;
static Oid	restore_user = InvalidOid;

bool
restoring(void)
{
	Oid			relid;

	if (!superuser())
		return false;
	if (restore_stamp.valid && restore_user == GetUserId() && stamp_is_current(&restore_stamp))
		return restore_flag;
	restore_flag = false;
	/* absent while an older version's objects are installed or updated */
	relid = get_relname_relid("restore_in_progress", subsidy_namespace());
	if (OidIsValid(relid))
	{
		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "SPI_connect failed");
		if (SPI_execute("SELECT FROM subsidy.restore_in_progress", true, 1) != SPI_OK_SELECT)
			elog(ERROR, "could not read subsidy.restore_in_progress");
		restore_flag = SPI_processed > 0;
		SPI_finish();
	}
	restore_user = GetUserId();
	stamp_take(&restore_stamp);
	return restore_flag;
}

PG_FUNCTION_INFO_V1(subsidy_restoring);
/* subsidy.restoring(). */
Datum
subsidy_restoring(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(restoring());
}

/* Called when the module is loaded. */
void
_PG_init(void)
{
	DefineCustomStringVariable("subsidy.today",
							   "The business date the rules take as today; empty for current_date.",
							   "Only a superuser may set it: for tests and replaying a past year.",
							   &today_setting, "", PGC_SUSET, 0, check_today, assign_today, NULL);
	DefineCustomStringVariable("subsidy.payment_batch",
							   "The payment file that records loaded into subsidy.payment_file come from.",
							   "Set it before COPY; pay_batch applies the file by this name.",
							   &payment_batch_setting, "", PGC_USERSET, 0, NULL, NULL, NULL);
	MarkGUCPrefixReserved("subsidy");
	pg_bindtextdomain(TEXTDOMAIN);
	stamp_register_callbacks();
	install_hooks();
}
