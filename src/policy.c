/*
 * policy.c: the parameters in force and the regions' basis-year facts.
 *
 * Parameters become exact scaled integers here, once (rates in thousandths,
 * per cents in ten-thousandths, money in fen), so that the engine does
 * integer arithmetic per row.  A parameter that has more decimals than its
 * unit allows is refused, not rounded.
 *
 * subsidy.policy_in_force resolves, in SQL, which parameter set and which
 * region overrides apply to each subsidy year and pooling region.  The engine
 * reads that view once into backend memory and serves every row from there;
 * stamp.c says when the copy must be read again, so a committed change is
 * seen by the next statement and no row ever costs a query.
 */
#include "subsidy.h"

#include "utils/guc.h"

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
	PC_CORRECTION_WORKDAYS,
	PC_ROUNDING_UNIT,
	PC_WINDOW_OPENS,
	PC_WINDOW_CLOSES,
	/* from 1.2 (DOMAIN section 13); a row without them (a snapshot of 1.1) reads as before */
	PC_THRESHOLD_SOURCE,
	PC_COMPARATOR,
	PC_THRESHOLD_SOURCE_SME,
	PC_LAYOFF_THRESHOLD_SME,
	PC_COMPARATOR_SME,
	PC_SMALL_UNIT_SCOPE,
	PC_SMALL_UNIT_HEADCOUNT,
	PC_SMALL_UNIT_RATE,
	PC_EARLY_RATE_LARGE,
	PC_RATE_LARGE_FROM,
	PC_MIN_FULL_MONTHS,
	PC_COVERED_UNITS,
	PC_SIX_KINDS_CLASS,
	PC_DISHONESTY_RULE,
	PC_FUND_LEVEL,
	PC_MODE,
	PC_WINDOW_REQUIRED,
	PC_HARDSHIP_MONTHS,
	PC_HARDSHIP_FORMULA,
	PC_HARDSHIP_FUND_MONTHS,
	PC_REGION_FUND_BALANCE,
	PC_REGION_MONTHLY_EXPENDITURE,
	PC_AVERAGE_BENEFIT,
	PC_AMOUNT_CHOICE,
	PC_COUNT
} PolicyColumn;

/* The first column a policy row may lack: those after it came with 1.2. */
#define PC_FIRST_OPTIONAL PC_THRESHOLD_SOURCE

static const char *const policy_column_name[PC_COUNT] = {
	"year", "region", "standard_rate_large", "standard_rate_small_micro",
	"decapacity_rate", "arrears_path_rate", "layoff_formula", "layoff_threshold",
	"priority_threshold_factor", "fund_cover_months", "fund_balance",
	"monthly_fund_expenditure", "publicity_workdays", "correction_workdays", "rounding_unit",
	"window_opens", "window_closes",
	"threshold_source", "comparator", "threshold_source_sme", "layoff_threshold_sme", "comparator_sme",
	"small_unit_scope", "small_unit_headcount", "small_unit_rate", "early_rate_large", "rate_large_from",
	"min_full_months", "covered_units", "six_kinds_class", "dishonesty_rule", "fund_level", "mode",
	"window_required", "hardship_months", "hardship_formula", "hardship_fund_months", "region_fund_balance",
	"region_monthly_fund_expenditure", "average_monthly_benefit", "amount_choice"
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
/*
 * Lookups of the last rows, direct-mapped: a province has a dozen regions, so
 * nearly every row finds its policy here without hashing the key.
 */
#define POLICY_MEMO_SLOTS 64
typedef struct PolicyMemo
{
	int32		year;
	char		region[REGION_CODE_SIZE];
	const Policy *policy;
} PolicyMemo;
static PolicyMemo policy_memo[POLICY_MEMO_SLOTS];

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
		/* a column added since 1.1 may be missing: a snapshot stored by 1.1, or its SQL */
		if (attno[c] < 0 && c != PC_CORRECTION_WORKDAYS && c < PC_FIRST_OPTIONAL)
			elog(ERROR, "column \"%s\" is missing from the policy row", policy_column_name[c]);
	}
}

/*
 * A parameter as a scaled integer within its range: the tables' CHECKs hold
 * these already, but a what-if passes a policy row of its own making, and the
 * engine's arithmetic relies on them.
 */
static int64
parameter(Datum value, int scale, const char *what, int64 min, int64 max, const char *range)
{
	int64		v = numeric_scaled_or_error(value, scale, what);

	if (v < min || v > max)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s %s is out of range", what, DatumGetCString(DirectFunctionCall1(numeric_out, value))),
				 errdetail_internal("%s", _(range))));
	return v;
}

/* A rate of the parameter set in thousandths, or -1 when the set has none. */
static int32
rate_or_none(Datum value, bool isnull, const char *what)
{
	return isnull ? -1 : (int32) parameter(value, 3, what, 0, 1000, N_("It must be a share from 0 to 1."));
}

/* An enum column's label, or NULL where the row has none. */
static const char *
label_of(const Datum *values, const bool *isnull, const int attno[PC_COUNT], PolicyColumn c)
{
	if (attno[c] < 0 || isnull[attno[c]])
		return NULL;
	return DatumGetCString(DirectFunctionCall1(enum_out, values[attno[c]]));
}

static ThresholdSource
source_of(const char *label)
{
	if (label == NULL)
		return TS_UNKNOWN;
	if (strcmp(label, "region") == 0)
		return TS_REGION;
	if (strcmp(label, "parent") == 0)
		return TS_PARENT;
	if (strcmp(label, "fixed") == 0)
		return TS_FIXED;
	return TS_NATIONAL;
}

/* A threshold column in per cent x 10^4, or -1 where it is not loaded. */
static int64
threshold_of(const Datum *values, const bool *isnull, const int attno[PC_COUNT], PolicyColumn c)
{
	if (attno[c] < 0 || isnull[attno[c]])
		return -1;
	return parameter(values[attno[c]], 4, policy_column_name[c], 0, 1000000, N_("It must be a per cent from 0 to 100."));
}

/* Whether E7-style cover holds: balance >= months (x 10) x expenditure, exactly. */
static bool
covers(Datum balance, Datum expenditure, int32 months_x10)
{
	int64		b = numeric_scaled_or_error(balance, 2, "fund_balance");
	int64		e = numeric_scaled_or_error(expenditure, 2, "monthly_fund_expenditure");

	return (int128) b * 10 >= (int128) months_x10 * e;
}

/*
 * The parameters of DOMAIN section 13 (1.2): E2 per size class and its
 * small-unit alternative, E11-E13, the fund's level, the mode, A1's change of
 * rate during a year, A7.  A row that lacks them (a 1.1 snapshot) reads as the
 * sets of 1.1 did: one E2 test for all, strictly below, nothing else.
 */
static void
policy_regime(const Datum *values, const bool *isnull, const int attno[PC_COUNT], Policy *p)
{
#define COL(c) values[attno[c]]
#define NUL(c) (attno[c] < 0 || isnull[attno[c]])
	const char *label;

	p->test_large.threshold = p->threshold;
	p->test_large.source = source_of(label_of(values, isnull, attno, PC_THRESHOLD_SOURCE));
	label = label_of(values, isnull, attno, PC_COMPARATOR);
	p->test_large.not_above = label != NULL && strcmp(label, "not_above") == 0;
	if (NUL(PC_THRESHOLD_SOURCE_SME))
		p->test_sme = p->test_large;
	else
	{
		p->test_sme.source = source_of(label_of(values, isnull, attno, PC_THRESHOLD_SOURCE_SME));
		p->test_sme.threshold = threshold_of(values, isnull, attno, PC_LAYOFF_THRESHOLD_SME);
		label = label_of(values, isnull, attno, PC_COMPARATOR_SME);
		p->test_sme.not_above = label != NULL ? strcmp(label, "not_above") == 0 : p->test_large.not_above;
	}

	label = label_of(values, isnull, attno, PC_SMALL_UNIT_SCOPE);
	p->small_units = label == NULL || strcmp(label, "none") == 0 ? SMALL_UNITS_NONE :
		strcmp(label, "sme") == 0 ? SMALL_UNITS_SME : SMALL_UNITS_ALL;
	p->small_unit_headcount = NUL(PC_SMALL_UNIT_HEADCOUNT) ? 3000 :
		(int64) DatumGetInt32(COL(PC_SMALL_UNIT_HEADCOUNT)) * 100;
	p->small_unit_rate = NUL(PC_SMALL_UNIT_RATE) ? 200000 :
		parameter(COL(PC_SMALL_UNIT_RATE), 4, "small_unit_rate", 0, 1000000, N_("It must be a per cent from 0 to 100."));

	p->early_rate_large = NUL(PC_EARLY_RATE_LARGE) || NUL(PC_RATE_LARGE_FROM) ? -1 :
		(int32) parameter(COL(PC_EARLY_RATE_LARGE), 3, "early_rate_large", 0, 1000, N_("It must be a share from 0 to 1."));
	p->rate_large_from = p->early_rate_large < 0 ? 0 : DatumGetDateADT(COL(PC_RATE_LARGE_FROM));

	p->min_full_months = NUL(PC_MIN_FULL_MONTHS) ? -1 : DatumGetInt32(COL(PC_MIN_FULL_MONTHS));
	label = label_of(values, isnull, attno, PC_COVERED_UNITS);
	p->six_kinds_covered = label != NULL && strcmp(label, "enterprises_and_six_kinds") == 0;
	label = label_of(values, isnull, attno, PC_SIX_KINDS_CLASS);
	p->six_kinds_by_headcount = label != NULL && strcmp(label, "by_headcount") == 0;
	p->dishonesty_rule = !NUL(PC_DISHONESTY_RULE) && DatumGetBool(COL(PC_DISHONESTY_RULE));
	label = label_of(values, isnull, attno, PC_FUND_LEVEL);
	p->fund_of_province = label != NULL && strcmp(label, "province") == 0;
	label = label_of(values, isnull, attno, PC_MODE);
	p->screening = label != NULL && strcmp(label, "screen") == 0;
	p->window_required = NUL(PC_WINDOW_REQUIRED) || DatumGetBool(COL(PC_WINDOW_REQUIRED));

	p->hardship_months = NUL(PC_HARDSHIP_MONTHS) ? -1 :
		(int32) parameter(COL(PC_HARDSHIP_MONTHS), 1, "hardship_months", 1, 240, N_("It must be a number of months from 0.1 to 24."));
	label = label_of(values, isnull, attno, PC_HARDSHIP_FORMULA);
	p->hardship_by_premiums = label != NULL && strcmp(label, "premiums") == 0;
	p->hardship_fund_known = !NUL(PC_REGION_FUND_BALANCE) && !NUL(PC_REGION_MONTHLY_EXPENDITURE);
	p->hardship_fund_covered = p->hardship_fund_known &&
		covers(COL(PC_REGION_FUND_BALANCE), COL(PC_REGION_MONTHLY_EXPENDITURE),
			   NUL(PC_HARDSHIP_FUND_MONTHS) ? 240 :
			   (int32) parameter(COL(PC_HARDSHIP_FUND_MONTHS), 1, "hardship_fund_months", 0, 9999,
								 N_("It must be a number of months from 0 to 999.9.")));
	p->average_benefit = NUL(PC_AVERAGE_BENEFIT) ? -1 :
		numeric_scaled_or_error(COL(PC_AVERAGE_BENEFIT), 2, "average_monthly_benefit");
	label = label_of(values, isnull, attno, PC_AMOUNT_CHOICE);
	p->amount_largest = label != NULL && strcmp(label, "largest") == 0;
#undef COL
#undef NUL
}

/* Fill *p from one row of policy_in_force. */
static void
policy_from_values(const Datum *values, const bool *isnull, const int attno[PC_COUNT], Policy *p)
{
#define COL(c) values[attno[c]]
#define NUL(c) (attno[c] < 0 || isnull[attno[c]])
	text	   *region;
	char	   *formula;
	int64		unit;

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
	memcpy(p->region, VARDATA_ANY(region), Min(VARSIZE_ANY_EXHDR(region), REGION_CODE_SIZE - 1));

	p->rate_large = rate_or_none(COL(PC_RATE_LARGE), false, "standard_rate_large");
	p->rate_small_micro = rate_or_none(COL(PC_RATE_SMALL_MICRO), false, "standard_rate_small_micro");
	p->decapacity_rate = rate_or_none(COL(PC_DECAPACITY_RATE), NUL(PC_DECAPACITY_RATE), "decapacity_rate");
	p->arrears_path_rate = rate_or_none(COL(PC_ARREARS_PATH_RATE), NUL(PC_ARREARS_PATH_RATE), "arrears_path_rate");

	formula = DatumGetCString(DirectFunctionCall1(enum_out, COL(PC_LAYOFF_FORMULA)));
	if (strcmp(formula, "layoffs_over_start") == 0)
		p->formula = LAYOFFS_OVER_START;
	else if (strcmp(formula, "net_decrease_over_start") == 0)
		p->formula = NET_DECREASE_OVER_START;
	else if (strcmp(formula, "net_decrease_over_average") == 0)
		p->formula = NET_DECREASE_OVER_AVERAGE;
	else
		p->formula = NEW_CLAIMANTS_OVER_AVERAGE;

	p->threshold = NUL(PC_LAYOFF_THRESHOLD) ? -1 :
		parameter(COL(PC_LAYOFF_THRESHOLD), 4, "layoff_threshold", 0, 1000000, N_("It must be a per cent from 0 to 100."));
	p->priority_factor = parameter(COL(PC_PRIORITY_FACTOR), 2, "priority_threshold_factor", 100, 10000,
								   N_("It must be a factor from 1 to 100."));

	/* E7: the balance covers the months when balance >= months * expenditure, exactly. */
	p->fund_required = (int32) parameter(COL(PC_FUND_COVER_MONTHS), 1, "fund_cover_months", 0, 9999,
										 N_("It must be a number of months from 0 to 999.9."));
	p->fund_balance_known = !NUL(PC_FUND_BALANCE);
	p->fund_expenditure_known = !NUL(PC_MONTHLY_EXPENDITURE);
	p->fund_cover = -1;
	if (p->fund_balance_known && p->fund_expenditure_known)
	{
		int64		balance = numeric_scaled_or_error(COL(PC_FUND_BALANCE), 2, "fund_balance");
		int64		expenditure = numeric_scaled_or_error(COL(PC_MONTHLY_EXPENDITURE), 2, "monthly_fund_expenditure");

		p->fund_covered = (int128) balance * 10 >= (int128) p->fund_required * expenditure;
		/* months of cover, rounded half up to 0.01 */
		if (expenditure > 0 && balance >= 0)
			p->fund_cover = (int32) Min(((int128) balance * 200 + expenditure) / ((int128) expenditure * 2),
										PG_INT32_MAX);
	}

	p->publicity_workdays = DatumGetInt32(COL(PC_PUBLICITY_WORKDAYS));
	p->correction_workdays = NUL(PC_CORRECTION_WORKDAYS) ? 5 : DatumGetInt32(COL(PC_CORRECTION_WORKDAYS));
	/* A4: 0.01, 0.1 or 1 yuan, nothing in between */
	unit = numeric_scaled_or_error(COL(PC_ROUNDING_UNIT), 2, "rounding_unit");
	if (unit != 1 && unit != 10 && unit != 100)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("rounding_unit %s is not a unit amounts are rounded to",
						DatumGetCString(DirectFunctionCall1(numeric_out, COL(PC_ROUNDING_UNIT)))),
				 errdetail("It must be 0.01, 0.1 or 1 yuan (A4).")));
	p->rounding_scale = (unit == 100) ? 0 : (unit == 10) ? 1 : 2;
	p->has_window = !NUL(PC_WINDOW_OPENS) && !NUL(PC_WINDOW_CLOSES);
	if (p->has_window)
	{
		p->window_opens = DatumGetDateADT(COL(PC_WINDOW_OPENS));
		p->window_closes = DatumGetDateADT(COL(PC_WINDOW_CLOSES));
	}
	policy_regime(values, isnull, attno, p);
#undef COL
#undef NUL
}

/*
 * The cache: the policies of the years asked for, read one year at a time
 * (policy_in_force resolves every year's set for every region, more than a
 * statement needs), forgotten when the stamp says the tables may have changed.
 */
#define POLICY_YEARS_MAX 64
static int32 policy_years[POLICY_YEARS_MAX];
static int	policy_years_loaded = 0;
static SPIPlanPtr plan_policy_year = NULL;

/* A fresh, empty cache. */
static void
policy_reset(void)
{
	HASHCTL		ctl;

	memset(policy_memo, 0, sizeof(policy_memo));
	if (policy_cxt == NULL)
		policy_cxt = AllocSetContextCreate(TopMemoryContext, "subsidy policy cache",
										   ALLOCSET_SMALL_SIZES);
	else
		MemoryContextReset(policy_cxt);
	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = sizeof(PolicyKey);
	ctl.entrysize = sizeof(PolicyEntry);
	ctl.hcxt = policy_cxt;
	policy_table = hash_create("subsidy policy", 64, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	policy_years_loaded = 0;
	stamp_take(&policy_stamp);
}

/* Read one year of policy_in_force into the cache. */
static void
policy_load_year(int32 year)
{
	Datum		arg = Int32GetDatum(year);
	Oid			argtype = INT4OID;
	int			attno[PC_COUNT];

	int			nest;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	/*
	 * A lookup of a few rows: JIT would compile the view's many joins for
	 * seconds on tables not analysed yet, whose estimates make it look costly.
	 */
	nest = NewGUCNestLevel();
	(void) set_config_option("jit", "off", PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);
	if (plan_policy_year == NULL)
	{
		SPIPlanPtr	plan = SPI_prepare("SELECT * FROM subsidy.policy_in_force WHERE year OPERATOR(pg_catalog.=) $1",
									   1, &argtype);

		if (plan == NULL || SPI_keepplan(plan) != 0)
			elog(ERROR, "could not prepare the policy lookup");
		plan_policy_year = plan;
	}
	if (SPI_execute_plan(plan_policy_year, &arg, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read subsidy.policy_in_force");
	AtEOXact_GUC(true, nest);
	{
		TupleDesc	desc = SPI_tuptable->tupdesc;
		Datum	   *values = palloc(desc->natts * sizeof(Datum));
		bool	   *isnull = palloc(desc->natts * sizeof(bool));
		MemoryContext old = MemoryContextSwitchTo(policy_cxt);

		policy_columns(desc, attno);
		for (uint64 i = 0; i < SPI_processed; i++)
		{
			Policy		p;
			PolicyEntry *entry;
			bool		found;
			PolicyKey	key;

			heap_deform_tuple(SPI_tuptable->vals[i], desc, values, isnull);
			policy_from_values(values, isnull, attno, &p);
			memset(&key, 0, sizeof(key));	/* the key is hashed as bytes */
			key.year = p.year;
			memcpy(key.region, p.region, sizeof(key.region));
			entry = hash_search(policy_table, &key, HASH_ENTER, &found);
			entry->policy = p;
		}
		MemoryContextSwitchTo(old);
	}
	SPI_finish();
	if (policy_years_loaded == POLICY_YEARS_MAX)
		policy_reset();			/* a statement over that many years: start again */
	policy_years[policy_years_loaded++] = year;
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
	PolicyMemo *memo;
	uint32		slot = (uint32) year;
	bool		loaded = false;

	if (!stamp_is_current(&policy_stamp) || policy_table == NULL)
		policy_reset();
	if (region_len >= REGION_CODE_SIZE)
		return NULL;

	memset(&key, 0, sizeof(key));	/* the key is hashed and compared as bytes */
	key.year = year;
	memcpy(key.region, region, region_len);
	for (int i = 0; i < region_len; i++)
		slot = slot * 31 + (unsigned char) region[i];
	memo = &policy_memo[slot % POLICY_MEMO_SLOTS];
	if (memo->year == year && memcmp(memo->region, key.region, REGION_CODE_SIZE) == 0)
		return memo->policy;

	for (int i = 0; i < policy_years_loaded && !loaded; i++)
		loaded = policy_years[i] == year;
	if (!loaded)
	{
		policy_load_year(year);
		if (!stamp_is_current(&policy_stamp))
			stamp_take(&policy_stamp);
	}
	entry = hash_search(policy_table, &key, HASH_FIND, NULL);
	memo->year = year;
	memcpy(memo->region, key.region, REGION_CODE_SIZE);
	memo->policy = entry ? &entry->policy : NULL;
	return memo->policy;
}

/* Fill *policy from a policy_in_force row given as a composite datum (what-if runs). */
void
policy_from_composite(Datum row, Policy *policy)
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
	policy_from_values(values, isnull, attno, policy);
	ReleaseTupleDesc(desc);
	pfree(values);
	pfree(isnull);
}
