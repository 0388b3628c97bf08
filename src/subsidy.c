/*
 * subsidy.c: the module's entry point and the business date.
 *
 * The extension's concepts live one per file; the Makefile's OBJS lists them.
 */
#include "subsidy.h"

#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "miscadmin.h"
#include "utils/guc.h"
#include "utils/rls.h"

#if PG_VERSION_NUM >= 180000
PG_MODULE_MAGIC_EXT(.name = "subsidy", .version = "1.2");
#else
PG_MODULE_MAGIC;
#endif

#if PG_VERSION_NUM < 150000
#define MarkGUCPrefixReserved(prefix) EmitWarningsOnPlaceholders(prefix)
#endif

/*
 * subsidy.today: the date the rules take as today, empty for current_date.
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
	*extra = malloc(sizeof(TodaySetting));
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

/* The business date: subsidy.today, or current_date. */
int32
business_date(void)
{
	return today.is_set ? today.date : GetSQLCurrentDate();
}

PG_FUNCTION_INFO_V1(business_today);
/* subsidy.today(). */
Datum
business_today(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATEADT(business_date());
}

/*
 * Whether this session is restoring a dump: a superuser with row_security
 * off, which pg_dump's scripts set.  The guards then load rows as they were
 * dumped (an application past draft, a publicity in the past), because the
 * rules were checked when the rows were first written; the audit log still
 * takes only entries whose hashes hold.  No other role can enter this mode.
 */
bool
restoring(void)
{
	return !row_security && superuser();
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
	stamp_register_callbacks();
}
