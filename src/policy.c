/*
 * policy.c: the parameters in force and the regions' basis-year facts.
 *
 * subsidy.policy_in_force resolves, in SQL, which parameter set and which
 * region overrides apply to each subsidy year and pooling region.  The engine
 * reads that view once into backend memory and serves every row from there;
 * stamp.c says when the copy must be read again, so a committed change is
 * seen by the next statement and no row ever costs a query.
 */
#include "subsidy.h"

#include "access/htup_details.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datum.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/typcache.h"

/* Columns of subsidy.policy_in_force that the engine reads. */
typedef enum PolicyColumn
{
	PC_YEAR,
	PC_REGION,
	PC_RATE_LARGE,
	PC_RATE_SMALL_MICRO,
	PC_DECAPACITY_RATE,
	PC_ARREARS_PATH_RATE,
	PC_LAYOFF_FORMULA,
	PC_LAYOFF_THRESHOLD,
	PC_PRIORITY_FACTOR,
	PC_FUND_COVER_MONTHS,
	PC_FUND_BALANCE,
	PC_MONTHLY_EXPENDITURE,
	PC_PUBLICITY_WORKDAYS,
	PC_ROUNDING_UNIT,
	PC_WINDOW_OPENS,
	PC_WINDOW_CLOSES,
	PC_COUNT
} PolicyColumn;

static const char *const policy_column_name[PC_COUNT] = {
	"year", "region", "standard_rate_large", "standard_rate_small_micro",
	"decapacity_rate", "arrears_path_rate", "layoff_formula", "layoff_threshold",
	"priority_threshold_factor", "fund_cover_months", "fund_balance",
	"monthly_fund_expenditure", "publicity_workdays", "rounding_unit",
	"window_opens", "window_closes"
};

typedef struct PolicyKey
{
	int32		year;
	char		region[REGION_CODE_SIZE];
} PolicyKey;

typedef struct PolicyEntry
{
	PolicyKey	key;
	Policy		policy;
} PolicyEntry;

static MemoryContext policy_cxt = NULL;
static HTAB *policy_table = NULL;
static SnapshotStamp policy_stamp;
static const Policy *last_policy = NULL;	/* the previous row's, usually the next one's */

/* round(num * 10^scale) as an integer, half away from zero. */
int64
numeric_to_scaled_int64(Numeric num, int scale)
{
	static const int64 power_of_ten[] = {1, 10, 100, 1000, 10000};
	Datum		factor;

	Assert(scale >= 0 && scale < lengthof(power_of_ten));
	factor = DirectFunctionCall1(int8_numeric, Int64GetDatum(power_of_ten[scale]));
	return DatumGetInt64(DirectFunctionCall1(numeric_int8,
											 DirectFunctionCall2(numeric_mul, NumericGetDatum(num), factor)));
}

/* Attribute numbers (0-based) of the policy columns in a row descriptor. */
static void
policy_columns(TupleDesc desc, int attno[PC_COUNT])
{
	for (int c = 0; c < PC_COUNT; c++)
	{
		attno[c] = -1;
		for (int i = 0; i < desc->natts; i++)
		{
			Form_pg_attribute att = TupleDescAttr(desc, i);

			if (!att->attisdropped && strcmp(NameStr(att->attname), policy_column_name[c]) == 0)
			{
				attno[c] = i;
				break;
			}
		}
		if (attno[c] < 0)
			elog(ERROR, "column \"%s\" is missing from the policy row", policy_column_name[c]);
	}
}

static Numeric
copy_numeric(Datum value, bool isnull, MemoryContext cxt)
{
	MemoryContext old;
	Numeric		copy;

	if (isnull)
		return NULL;
	old = MemoryContextSwitchTo(cxt);
	copy = DatumGetNumericCopy(value);
	MemoryContextSwitchTo(old);
	return copy;
}

static int
numeric_compare(Numeric a, Numeric b)
{
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(a), NumericGetDatum(b)));
}

/* Fill *p from one row of policy_in_force; numerics are copied into cxt. */
static void
policy_from_values(const Datum *values, const bool *isnull, const int attno[PC_COUNT],
				   Policy *p, MemoryContext cxt)
{
#define COL(c) values[attno[c]]
#define NUL(c) isnull[attno[c]]
	text	   *region;
	char	   *formula;
	Numeric		balance;
	Numeric		expenditure;

	memset(p, 0, sizeof(*p));
	if (NUL(PC_YEAR) || NUL(PC_REGION) || NUL(PC_RATE_LARGE) || NUL(PC_RATE_SMALL_MICRO) ||
		NUL(PC_LAYOFF_FORMULA) || NUL(PC_PRIORITY_FACTOR) || NUL(PC_FUND_COVER_MONTHS) ||
		NUL(PC_PUBLICITY_WORKDAYS) || NUL(PC_ROUNDING_UNIT))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("incomplete policy row"),
				 errdetail("A policy row needs its year, region, standard rates, layoff formula, threshold factor, fund cover months, publicity working days and rounding unit.")));

	p->year = DatumGetInt32(COL(PC_YEAR));
	region = DatumGetTextPP(COL(PC_REGION));
	strlcpy(p->region, VARDATA_ANY(region), Min(VARSIZE_ANY_EXHDR(region) + 1, REGION_CODE_SIZE));

	p->rate_large = copy_numeric(COL(PC_RATE_LARGE), false, cxt);
	p->rate_small_micro = copy_numeric(COL(PC_RATE_SMALL_MICRO), false, cxt);
	p->decapacity_rate = copy_numeric(COL(PC_DECAPACITY_RATE), NUL(PC_DECAPACITY_RATE), cxt);
	p->arrears_path_rate = copy_numeric(COL(PC_ARREARS_PATH_RATE), NUL(PC_ARREARS_PATH_RATE), cxt);

	formula = DatumGetCString(DirectFunctionCall1(enum_out, COL(PC_LAYOFF_FORMULA)));
	if (strcmp(formula, "layoffs_over_start") == 0)
		p->formula = LAYOFFS_OVER_START;
	else if (strcmp(formula, "net_decrease_over_start") == 0)
		p->formula = NET_DECREASE_OVER_START;
	else
		p->formula = NET_DECREASE_OVER_AVERAGE;

	p->threshold = copy_numeric(COL(PC_LAYOFF_THRESHOLD), NUL(PC_LAYOFF_THRESHOLD), cxt);
	if (p->threshold)
		p->threshold_bp = numeric_to_scaled_int64(p->threshold, 2);
	p->priority_factor = copy_numeric(COL(PC_PRIORITY_FACTOR), false, cxt);
	p->priority_factor_100 = numeric_to_scaled_int64(p->priority_factor, 2);

	/* E7: the balance covers the months when balance >= months * expenditure, exactly. */
	p->fund_cover_required = copy_numeric(COL(PC_FUND_COVER_MONTHS), false, cxt);
	p->fund_balance_known = !NUL(PC_FUND_BALANCE);
	p->fund_expenditure_known = !NUL(PC_MONTHLY_EXPENDITURE);
	if (p->fund_balance_known && p->fund_expenditure_known)
	{
		Datum		needed;

		balance = DatumGetNumeric(COL(PC_FUND_BALANCE));
		expenditure = DatumGetNumeric(COL(PC_MONTHLY_EXPENDITURE));
		needed = DirectFunctionCall2(numeric_mul, NumericGetDatum(p->fund_cover_required),
									 NumericGetDatum(expenditure));
		p->fund_covered = numeric_compare(balance, DatumGetNumeric(needed)) >= 0;
		if (numeric_compare(expenditure, int64_to_numeric(0)) > 0)
		{
			Datum		months = DirectFunctionCall2(numeric_div, NumericGetDatum(balance),
													 NumericGetDatum(expenditure));

			months = DirectFunctionCall2(numeric_round, months, Int32GetDatum(2));
			p->fund_cover_months = copy_numeric(months, false, cxt);
		}
	}

	p->publicity_workdays = DatumGetInt32(COL(PC_PUBLICITY_WORKDAYS));
	{
		int64		unit_100 = numeric_to_scaled_int64(DatumGetNumeric(COL(PC_ROUNDING_UNIT)), 2);

		p->rounding_scale = (unit_100 >= 100) ? 0 : (unit_100 >= 10) ? 1 : 2;
	}
	p->has_window = !NUL(PC_WINDOW_OPENS) && !NUL(PC_WINDOW_CLOSES);
	if (p->has_window)
	{
		p->window_opens = DatumGetDateADT(COL(PC_WINDOW_OPENS));
		p->window_closes = DatumGetDateADT(COL(PC_WINDOW_CLOSES));
	}
#undef COL
#undef NUL
}

/* Read policy_in_force into a fresh hash table. */
static void
policy_load(void)
{
	HASHCTL		ctl;
	int			attno[PC_COUNT];

	policy_stamp.valid = false;
	last_policy = NULL;
	if (policy_cxt == NULL)
		policy_cxt = AllocSetContextCreate(TopMemoryContext, "subsidy policy cache",
										   ALLOCSET_SMALL_SIZES);
	else
		MemoryContextReset(policy_cxt);
	policy_table = NULL;

	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = sizeof(PolicyKey);
	ctl.entrysize = sizeof(PolicyEntry);
	ctl.hcxt = policy_cxt;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute("SELECT * FROM subsidy.policy_in_force", true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read subsidy.policy_in_force");

	{
		HTAB	   *table = hash_create("subsidy policy", Max(SPI_processed, 16), &ctl,
										HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
		TupleDesc	desc = SPI_tuptable->tupdesc;
		Datum	   *values = palloc(desc->natts * sizeof(Datum));
		bool	   *isnull = palloc(desc->natts * sizeof(bool));

		policy_columns(desc, attno);
		for (uint64 i = 0; i < SPI_processed; i++)
		{
			Policy		p;
			PolicyEntry *entry;
			bool		found;
			PolicyKey	key;

			heap_deform_tuple(SPI_tuptable->vals[i], desc, values, isnull);
			policy_from_values(values, isnull, attno, &p, policy_cxt);
			memset(&key, 0, sizeof(key));	/* the key is hashed as bytes */
			key.year = p.year;
			memcpy(key.region, p.region, sizeof(key.region));
			entry = hash_search(table, &key, HASH_ENTER, &found);
			entry->policy = p;
		}
		policy_table = table;
	}
	SPI_finish();
	stamp_take(&policy_stamp);
}

/*
 * The policy in force for a subsidy year and pooling region, or NULL when no
 * parameter set covers the year (or the region is not a pool).
 */
const Policy *
policy_lookup(int32 year, const char *region, int region_len)
{
	PolicyKey	key;
	PolicyEntry *entry;

	if (!stamp_is_current(&policy_stamp) || policy_table == NULL)
		policy_load();
	else if (last_policy != NULL && last_policy->year == year &&
			 strncmp(last_policy->region, region, region_len) == 0 &&
			 last_policy->region[region_len] == '\0')
		return last_policy;

	if (region_len >= REGION_CODE_SIZE)
		return NULL;
	memset(&key, 0, sizeof(key));
	key.year = year;
	memcpy(key.region, region, region_len);
	entry = hash_search(policy_table, &key, HASH_FIND, NULL);
	last_policy = entry ? &entry->policy : NULL;
	return last_policy;
}

/* Fill *policy from a policy_in_force row given as a composite datum (what-if runs). */
void
policy_from_composite(Datum row, Policy *policy, MemoryContext cxt)
{
	HeapTupleHeader th = DatumGetHeapTupleHeader(row);
	TupleDesc	desc = lookup_rowtype_tupdesc(HeapTupleHeaderGetTypeId(th),
											  HeapTupleHeaderGetTypMod(th));
	HeapTupleData tuple;
	Datum	   *values = palloc(desc->natts * sizeof(Datum));
	bool	   *isnull = palloc(desc->natts * sizeof(bool));
	int			attno[PC_COUNT];

	tuple.t_len = HeapTupleHeaderGetDatumLength(th);
	ItemPointerSetInvalid(&tuple.t_self);
	tuple.t_tableOid = InvalidOid;
	tuple.t_data = th;
	policy_columns(desc, attno);
	heap_deform_tuple(&tuple, desc, values, isnull);
	policy_from_values(values, isnull, attno, policy, cxt);
	ReleaseTupleDesc(desc);
	pfree(values);
	pfree(isnull);
}
