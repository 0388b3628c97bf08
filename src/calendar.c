/*
 * calendar.c: working days on the State Council's calendar (DOMAIN section 9).
 *
 * A working day is Monday to Friday unless a statutory holiday, plus the
 * weekend days declared working days (调休).  subsidy.calendar holds only the
 * exceptions, by year; a date in a year that is not loaded is an error, never
 * a guess.  The calendar is read once per snapshot (stamp.c) into arrays over
 * the loaded span: a flag per day, the running count of working days, and the
 * day of each working day, so every function below is a few array lookups.
 */
#include "subsidy.h"

#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/memutils.h"

typedef struct WorkdayCalendar
{
	DateADT		first;			/* 1 January of the first loaded year */
	int			ndays;			/* days covered, to 31 December of the last */
	int			first_year;
	int			last_year;
	bool	   *year_loaded;	/* by year - first_year */
	bool	   *workday;		/* by day - first */
	int32	   *count;			/* working days in [first, day] */
	int32	   *unloaded;		/* days of unloaded years in [first, day] */
	DateADT    *nth;			/* the k-th working day (0-based) */
	int			nworkdays;
} WorkdayCalendar;

static MemoryContext calendar_cxt = NULL;
static WorkdayCalendar calendar;
static bool calendar_ready = false;
static SnapshotStamp calendar_stamp;

static int
date_year(DateADT d)
{
	int			year,
				month,
				day;

	j2date(d + POSTGRES_EPOCH_JDATE, &year, &month, &day);
	return year;
}

static DateADT
first_of_year(int year)
{
	return date2j(year, 1, 1) - POSTGRES_EPOCH_JDATE;
}

/* Monday to Friday; j2day gives 0 for Sunday. */
static bool
is_weekday(DateADT d)
{
	int			dow = j2day(d + POSTGRES_EPOCH_JDATE);

	return dow >= 1 && dow <= 5;
}

/* Read subsidy.calendar_in_force into the arrays. */
static void
calendar_load(void)
{
	WorkdayCalendar c;
	MemoryContext old;

	calendar_ready = false;
	calendar_stamp.valid = false;
	if (calendar_cxt == NULL)
		calendar_cxt = AllocSetContextCreate(TopMemoryContext, "subsidy calendar", ALLOCSET_SMALL_SIZES);
	else
		MemoryContextReset(calendar_cxt);
	memset(&c, 0, sizeof(c));

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute("SELECT day, is_off_day FROM subsidy.calendar_in_force ORDER BY day", true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read subsidy.calendar_in_force");

	old = MemoryContextSwitchTo(calendar_cxt);
	if (SPI_processed > 0)
	{
		bool		isnull;
		DateADT		lo = DatumGetDateADT(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
		DateADT		hi = DatumGetDateADT(SPI_getbinval(SPI_tuptable->vals[SPI_processed - 1],
													   SPI_tuptable->tupdesc, 1, &isnull));
		int32		running = 0;
		int32		running_unloaded = 0;

		c.first_year = date_year(lo);
		c.last_year = date_year(hi);
		c.first = first_of_year(c.first_year);
		c.ndays = first_of_year(c.last_year + 1) - c.first;
		c.year_loaded = palloc0(sizeof(bool) * (c.last_year - c.first_year + 1));
		c.workday = palloc(sizeof(bool) * c.ndays);
		c.count = palloc(sizeof(int32) * c.ndays);
		c.unloaded = palloc(sizeof(int32) * c.ndays);
		c.nth = palloc(sizeof(DateADT) * c.ndays);

		for (int i = 0; i < c.ndays; i++)
			c.workday[i] = is_weekday(c.first + i);
		for (uint64 r = 0; r < SPI_processed; r++)
		{
			HeapTuple	tuple = SPI_tuptable->vals[r];
			DateADT		day = DatumGetDateADT(SPI_getbinval(tuple, SPI_tuptable->tupdesc, 1, &isnull));
			bool		off = DatumGetBool(SPI_getbinval(tuple, SPI_tuptable->tupdesc, 2, &isnull));

			c.workday[day - c.first] = !off;
			c.year_loaded[date_year(day) - c.first_year] = true;
		}
		for (int i = 0; i < c.ndays; i++)
		{
			bool		loaded = c.year_loaded[date_year(c.first + i) - c.first_year];

			if (!loaded)
				c.workday[i] = false;
			else if (c.workday[i])
				c.nth[running++] = c.first + i;
			running_unloaded += loaded ? 0 : 1;
			c.count[i] = running;
			c.unloaded[i] = running_unloaded;
		}
		c.nworkdays = running;
	}
	MemoryContextSwitchTo(old);
	SPI_finish();
	calendar = c;
	calendar_ready = true;
	stamp_take(&calendar_stamp);
}

static const WorkdayCalendar *
current_calendar(void)
{
	if (!calendar_ready || !stamp_is_current(&calendar_stamp))
		calendar_load();
	return &calendar;
}

/* Raise the error for a date the calendar does not cover. */
static pg_noreturn void
outside_calendar(const WorkdayCalendar *c, DateADT d)
{
	char	   *loaded;
	int			year,
				month,
				mday;

	if (DATE_NOT_FINITE(d))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("%s is not a day of any working-day calendar", DATE_IS_NOBEGIN(d) ? "-infinity" : "infinity")));
	j2date(d + POSTGRES_EPOCH_JDATE, &year, &month, &mday);

	if (c->nworkdays == 0 && c->ndays == 0)
		loaded = "none";
	else
	{
		StringInfoData buf;
		int			run_start = -1;

		initStringInfo(&buf);
		for (int y = c->first_year; y <= c->last_year + 1; y++)
		{
			bool		in = y <= c->last_year && c->year_loaded[y - c->first_year];

			if (in && run_start < 0)
				run_start = y;
			else if (!in && run_start >= 0)
			{
				appendStringInfo(&buf, "%s%d", buf.len ? ", " : "", run_start);
				if (y - 1 > run_start)
					appendStringInfo(&buf, "-%d", y - 1);
				run_start = -1;
			}
		}
		loaded = buf.data;
	}
	ereport(ERROR,
			(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
			 errmsg("%04d-%02d-%02d is outside the working-day calendar", year, month, mday),
			 errdetail("Working days are known for the years loaded into subsidy.calendar: %s.", loaded),
			 errhint("Load the State Council's holiday notice for %d into subsidy.calendar: its holidays and its 调休 working weekends.",
					 year)));
}

/* The index of d in the arrays, or an error when its year is not loaded. */
static int
day_index(const WorkdayCalendar *c, DateADT d)
{
	int			i;

	if (DATE_NOT_FINITE(d) || d < c->first || d >= c->first + c->ndays)
		outside_calendar(c, d);
	i = d - c->first;
	if (c->unloaded[i] != (i > 0 ? c->unloaded[i - 1] : 0))
		outside_calendar(c, d);
	return i;
}

/* Every year between two indexes must be loaded too. */
static void
span_loaded(const WorkdayCalendar *c, int from, int to, DateADT culprit)
{
	if (c->unloaded[Max(from, to)] != c->unloaded[Min(from, to)])
		outside_calendar(c, culprit);
}

bool
workday_is(DateADT d)
{
	const WorkdayCalendar *c = current_calendar();

	return c->workday[day_index(c, d)];
}

/* The date n working days after d (before it when n < 0); d itself when n is 0. */
DateADT
workday_add(DateADT d, int32 n)
{
	const WorkdayCalendar *c = current_calendar();
	int			i = day_index(c, d);
	int64		k;
	DateADT		result;

	if (n == 0)
		return d;
	/* k: 0-based rank of the working day wanted */
	k = (n > 0) ? (int64) c->count[i] + n - 1 : (int64) c->count[i] - c->workday[i] + n;
	if (k < 0 || k >= c->nworkdays)
		outside_calendar(c, n > 0 ? c->first + c->ndays : c->first - 1);
	result = c->nth[k];
	span_loaded(c, i, result - c->first, result);
	return result;
}

/* Working days in (a, b]; negative when b is before a. */
int32
workdays_count(DateADT a, DateADT b)
{
	const WorkdayCalendar *c = current_calendar();
	int			i = day_index(c, a);
	int			j = day_index(c, b);

	span_loaded(c, i, j, a < b ? b : a);
	return c->count[j] - c->count[i];
}

/* The n-th working day counting from start, start included when it is one (W5). */
DateADT
workday_nth_from(DateADT start, int32 n)
{
	return workday_is(start) ? workday_add(start, n - 1) : workday_add(start, n);
}

PG_FUNCTION_INFO_V1(is_workday);
/* subsidy.is_workday(date). */
Datum
is_workday(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(workday_is(PG_GETARG_DATEADT(0)));
}

PG_FUNCTION_INFO_V1(add_workdays);
/* subsidy.add_workdays(date, integer). */
Datum
add_workdays(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATEADT(workday_add(PG_GETARG_DATEADT(0), PG_GETARG_INT32(1)));
}

PG_FUNCTION_INFO_V1(workdays_between);
/* subsidy.workdays_between(date, date). */
Datum
workdays_between(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(workdays_count(PG_GETARG_DATEADT(0), PG_GETARG_DATEADT(1)));
}

PG_FUNCTION_INFO_V1(publicity_end);
/* subsidy.publicity_end(start, working_days). */
Datum
publicity_end(PG_FUNCTION_ARGS)
{
	int32		n = PG_GETARG_INT32(1);

	if (n < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a publicity period has at least one working day, not %d", n)));
	PG_RETURN_DATEADT(workday_nth_from(PG_GETARG_DATEADT(0), n));
}
