/*
 * fuzz_today.c: the subsidy.today setting (src/subsidy.c), a date written
 * YYYY-MM-DD, parsed by the GUC check hook that _PG_init registers.
 *
 * The shim's DefineCustomStringVariable keeps the hooks; the harness calls
 * them as the GUC machinery does (check, then assign with the check's extra,
 * which it frees), then asks business_date().
 *
 * Properties, against a proleptic Gregorian oracle written here:
 *  - the empty setting means current_date;
 *  - a refused value leaves a GUC_check_errdetail;
 *  - an accepted value is a real date from 1900 to 9999, and written back as
 *    YYYY-MM-DD it is accepted as the same date;
 *  - ten characters DDDD-DD-DD are accepted exactly when they are such a date.
 */
#include "postgres.h"

#include "utils/guc.h"

#include "subsidy.h"
#include "pg_shim.h"

static const uint8_t *in_data;
static size_t in_size;

#define CHECK(cond, ...) SHIM_ASSERT(in_data, in_size, cond, __VA_ARGS__)

static const ShimStringGuc *today_guc;

/* subsidy.c's _PG_init also registers stamp.c's transaction callbacks: not fuzzed here. */
void
stamp_register_callbacks(void)
{
}

/* ... and installs hooks.c's hooks (EXPLAIN and LOCK TABLE): not fuzzed here either. */
void
install_hooks(void)
{
}

/*
 * subsidy.c's restoring() (a superuser's restore in progress) reads a table: the business
 * date never asks it, so what it calls of stamp.c and rights.c is not linked here.
 */
void
stamp_take(SnapshotStamp *stamp)
{
	abort();
}

bool
stamp_is_current(const SnapshotStamp *stamp)
{
	abort();
}

Oid
subsidy_namespace(void)
{
	abort();
}

/* Days from 1970-01-01 to y-m-d (H. Hinnant's days_from_civil). */
static int64
days_from_civil(int64 y, int m, int d)
{
	int64		era;
	int64		yoe,
				doy,
				doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(int64 z, int *y, int *m, int *d)
{
	int64		era,
				doe,
				yoe,
				doy,
				mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int) (doy - (153 * mp + 2) / 5 + 1);
	*m = (int) (mp < 10 ? mp + 3 : mp - 9);
	*y = (int) (yoe + era * 400 + (*m <= 2));
}

static bool
real_date(int y, int m, int d)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool		leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m >= 1 && m <= 12 && d >= 1 && d <= days[m - 1] + (m == 2 && leap);
}

/* The DateADT (days from 2000-01-01) of the oracle's y-m-d. */
static int32
date_adt(int y, int m, int d)
{
	return (int32) (days_from_civil(y, m, d) - days_from_civil(2000, 1, 1));
}

/* Set subsidy.today to value as SET does; true when accepted, *date = business_date(). */
static bool
set_today(const char *value, int32 *date)
{
	char	   *newval = strdup(value);
	void	   *extra = NULL;
	bool		ok;

	GUC_check_errdetail_string = NULL;
	ok = today_guc->check_hook(&newval, &extra, PGC_S_SESSION);
	if (ok)
	{
		CHECK(extra != NULL, "the check hook accepted without an extra");
		today_guc->assign_hook(newval, extra);
		*date = business_date();
	}
	else
		CHECK(GUC_check_errdetail_string != NULL, "the check hook refused without a detail");
	free(extra);
	free(newval);
	return ok;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	_PG_init();
	today_guc = shim_string_guc("subsidy.today");
	if (today_guc == NULL || today_guc->check_hook == NULL || today_guc->assign_hook == NULL)
	{
		fprintf(stderr, "_PG_init did not define subsidy.today with its hooks\n");
		abort();
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *value;
	int32		date = 0;
	bool		ok;

	in_data = data;
	in_size = size;
	shim_input_begin();

	/* a setting is a C string */
	value = pnstrdup((const char *) data, size);
	shim_current_date = 7000 + (int32) (size % 1000);
	ok = set_today(value, &date);

	if (value[0] == '\0')
	{
		CHECK(ok && date == shim_current_date, "the empty setting is not current_date");
	}
	else if (ok)
	{
		int			y,
					m,
					d;
		char		canonical[16];
		int32		again = 0;

		civil_from_days(days_from_civil(2000, 1, 1) + date, &y, &m, &d);
		CHECK(y >= 1900 && y <= 9999, "accepted \"%s\" as year %d", value, y);
		snprintf(canonical, sizeof(canonical), "%04d-%02d-%02d", y, m, d);
		CHECK(set_today(canonical, &again) && again == date,
			  "accepted \"%s\" as %s, which does not read back as the same date", value, canonical);
	}

	/* ten characters DDDD-DD-DD: the oracle decides */
	if (strlen(value) == 10 && value[4] == '-' && value[7] == '-')
	{
		bool		digits = true;

		for (int i = 0; i < 10; i++)
			if (i != 4 && i != 7)
				digits &= value[i] >= '0' && value[i] <= '9';
		if (digits)
		{
			int			y = atoi(value);
			int			m = atoi(value + 5);
			int			d = atoi(value + 8);
			bool		expected = y >= 1900 && y <= 9999 && real_date(y, m, d);

			CHECK(ok == expected, "\"%s\" is %s, but the calendar says %s", value,
				  ok ? "accepted" : "refused", expected ? "it is a date" : "it is not");
			if (ok)
				CHECK(date == date_adt(y, m, d), "\"%s\" read as day %d, not %d", value, date,
					  date_adt(y, m, d));
		}
	}

	/* leave the setting empty for the next input */
	CHECK(set_today("", &date), "the empty setting is refused");

	shim_input_end();
	return 0;
}
