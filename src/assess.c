/*
 * assess.c: the eligibility and amount engine (DOMAIN sections 5-7).
 *
 * One application is decided under the parameters in force: eligible,
 * ineligible or undetermined, with every failed rule, every rule that missing
 * facts leave open and every missing fact (E0: one trip for the clerk), and
 * for an eligible one the amount rule (A1-A3), its basis, rate and amount
 * rounded per A4.  It reads only the figures confirmed in review (A5).
 *
 * Each rule is three-valued: a fact a rule does not need is never asked for,
 * and a rule that fails on the known facts fails even when others are
 * missing.  All arithmetic is on exact integers (fen, thousandths, per cent
 * in ten-thousandths), with 128-bit products where they could overflow.
 */
#include "subsidy.h"

#include "access/htup_details.h"
#include "catalog/pg_enum.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/syscache.h"

#ifndef HAVE_INT128
#error "subsidy needs a compiler with 128-bit integers (gcc or clang)"
#endif

#define BIT(n) ((uint32) 1 << (n))

/* The facts the engine reads: columns of subsidy.application, passed in this order. */
typedef enum AppColumn
{
	AC_YEAR, AC_REGION, AC_SUBMITTED_ON, AC_DECAPACITY, AC_KEY_SUPPORTED, AC_ZOMBIE,
	AC_FIRM_SIZE, AC_INSURED_START, AC_INSURED_END, AC_INSURED_AVERAGE, AC_LAYOFFS,
	AC_RETIREMENTS_DEATHS, AC_PAYABLE, AC_PAID, AC_ARREARS_BASIS, AC_ARREARS_OTHER,
	AC_AGREEMENT, AC_PRIOR, AC_PRIOR_PROPER, AC_FINANCIAL, AC_COMPLIANT, AC_SPOT_CHECK,
	AC_COUNT
} AppColumn;

/* What a call site resolves once: the enum values it compares with. */
typedef struct EngineState
{
	Oid			firm_large_oid;
	Oid			spot_pending_oid;
	Oid			spot_false_data_oid;
	TupleDesc	assessment_desc;	/* for the functions that return subsidy.assessment */
	/* verdict_of(application, policy_in_force): policy rows seen, parsed */
	MemoryContext what_if_cxt;
	int			what_if_count;
	struct WhatIf *what_if;
} EngineState;

/* A policy row given for a what-if, and what it says. */
typedef struct WhatIf
{
	char	   *row;
	Size		len;
	Policy		policy;
} WhatIf;

#define WHAT_IF_SLOTS 64

/*
 * One application's facts.  Money is read into fen on first use: most rows
 * need only a few of the figures.
 */
typedef struct Facts
{
	Datum		value[AC_COUNT];
	bool		isnull[AC_COUNT];
	int64		fen[AC_COUNT];
	bool		fen_read[AC_COUNT];
} Facts;

#define KNOWN(f, c) (!(f)->isnull[c])
#define VAL(f, c) ((f)->value[c])

static const char *const money_column[AC_COUNT] = {
	[AC_PAYABLE] = "confirmed_premiums_payable",
	[AC_PAID] = "confirmed_premiums_paid",
	[AC_ARREARS_BASIS] = "confirmed_arrears_basis_year",
	[AC_ARREARS_OTHER] = "confirmed_arrears_other_years",
	[AC_PRIOR] = "confirmed_prior_subsidy",
	[AC_INSURED_AVERAGE] = "confirmed_insured_average"
};

/*
 * The tables' CHECKs keep figures at zero or more; the engine is also called
 * with figures of the caller's own (verdict_of_facts), and a negative one has
 * no meaning in any rule.
 */
static pg_noreturn void
negative_figure(const char *column, const char *value)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("%s %s cannot be negative", column, value),
			 errdetail("Headcounts and amounts of money are zero or more.")));
}

/* A money figure (or the average headcount) in hundredths. */
static int64
fen(Facts *f, AppColumn c)
{
	if (!f->fen_read[c])
	{
		f->fen[c] = numeric_scaled_or_error(VAL(f, c), 2, money_column[c]);
		if (f->fen[c] < 0)
			negative_figure(money_column[c], DatumGetCString(DirectFunctionCall1(numeric_out, VAL(f, c))));
		f->fen_read[c] = true;
	}
	return f->fen[c];
}

/* A headcount: never negative. */
static int64
headcount(const Facts *f, AppColumn c, const char *column)
{
	int32		n = DatumGetInt32(VAL(f, c));

	if (n < 0)
		negative_figure(column, psprintf("%d", n));
	return n;
}

/* Record a rule's state: failed when it has reasons, open when it has missing facts. */
static void
conclude(Verdict *v, Rule rule, uint32 reasons, uint32 missing)
{
	if (reasons)
	{
		v->failed |= BIT(rule);
		v->reasons |= reasons;
	}
	else if (missing)
	{
		v->open |= BIT(rule);
		v->missing |= missing;
	}
}

/* A boolean fact: -1 unknown, 0 false, 1 true. */
static int
tri(const Facts *f, AppColumn c)
{
	return KNOWN(f, c) ? (DatumGetBool(VAL(f, c)) ? 1 : 0) : -1;
}

/* An amount: -1 unknown, 0 nothing, 1 something. */
static int
amount_sign(Facts *f, AppColumn c)
{
	return KNOWN(f, c) ? (fen(f, c) > 0 ? 1 : 0) : -1;
}

/* Decapacity or key-supported: the enterprises A3 and E2's factor favour. */
static int
priority_enterprise(const Facts *f, uint32 *unknown)
{
	int			decapacity = tri(f, AC_DECAPACITY);
	int			key = tri(f, AC_KEY_SUPPORTED);

	if (decapacity == 1 || key == 1)
		return 1;
	if (decapacity == 0 && key == 0)
		return 0;
	*unknown |= (decapacity < 0 ? BIT(F_DECAPACITY) : 0) | (key < 0 ? BIT(F_KEY_SUPPORTED) : 0);
	return -1;
}

/*
 * E1 premiums paid in full: no arrears for the basis year, paid not below
 * payable, and no arrears for other years unless the A3 path takes them.
 */
static void
rule_e1(Facts *f, const Policy *p, Verdict *v)
{
	uint32		missing = 0;
	uint32		reasons = 0;
	int			arrears_basis = amount_sign(f, AC_ARREARS_BASIS);
	int			arrears_other = amount_sign(f, AC_ARREARS_OTHER);

	/* Arrears for the basis year fail E1 whatever else is unknown. */
	if (arrears_basis == 1)
	{
		conclude(v, RULE_E1, BIT(R_ARREARS_BASIS), 0);
		return;
	}
	if (arrears_basis < 0)
		missing |= BIT(F_ARREARS_BASIS);

	if (KNOWN(f, AC_PAID) && KNOWN(f, AC_PAYABLE))
	{
		if (fen(f, AC_PAID) < fen(f, AC_PAYABLE))
			reasons |= BIT(R_PAID_BELOW_PAYABLE);
	}
	else
		missing |= (KNOWN(f, AC_PAID) ? 0 : BIT(F_PAID)) | (KNOWN(f, AC_PAYABLE) ? 0 : BIT(F_PAYABLE));

	if (arrears_other < 0)
		missing |= BIT(F_ARREARS_OTHER);
	else if (arrears_other == 1)
	{
		/* A3: decapacity or key-supported, with a deferred-payment agreement. */
		int			agreement = tri(f, AC_AGREEMENT);
		uint32		unknown = 0;
		int			priority = priority_enterprise(f, &unknown);

		if (p->arrears_path_rate < 0 || priority == 0 || agreement == 0)
			reasons |= BIT(R_ARREARS_OTHER);
		else
			missing |= unknown | (agreement < 0 ? BIT(F_AGREEMENT) : 0);
	}
	conclude(v, RULE_E1, reasons, missing);
}

/*
 * Whether the rate num / (den_cents / 100), in per cent, is below threshold
 * per cent (x 10^4) times factor (x 100):
 * num * 10^4 / den_cents < threshold * factor / 10^6, cross-multiplied.
 */
static bool
rate_below(int64 num, int64 den_cents, int64 threshold, int64 factor)
{
	return (int128) num * INT64CONST(10000000000) < (int128) threshold * factor * den_cents;
}

/*
 * The layoff rate in per cent x 10^4, truncated: a threshold has at most four
 * decimals, so the truncated rate is below it exactly when the rate is, and
 * what a clerk reads never contradicts the verdict.
 */
static int64
layoff_rate(int64 num, int64 den_cents)
{
	int128		rate = (int128) num * 100000000 / den_cents;

	return rate > PG_INT64_MAX ? PG_INT64_MAX : (int64) rate;
}

/*
 * Compare num / den_cents with the threshold, with the factor for
 * decapacity and key-supported enterprises where it could change the result.
 */
static void
compare_with_threshold(const Facts *f, const Policy *p, Verdict *v, int64 num, int64 den_cents,
					   uint32 *reasons, uint32 *missing)
{
	v->layoff_rate = layoff_rate(num, den_cents);
	if (p->threshold < 0)
	{
		*missing |= BIT(F_THRESHOLD);
		return;
	}
	if (rate_below(num, den_cents, p->threshold, 100))
		return;
	if (p->priority_factor != 100)
	{
		uint32		unknown = 0;
		int			priority = priority_enterprise(f, &unknown);
		bool		relaxed_passes = rate_below(num, den_cents, p->threshold, p->priority_factor);

		if (priority == 1)
			v->threshold = p->threshold * p->priority_factor / 100;
		if (priority == 1 && relaxed_passes)
			return;
		if (priority < 0 && relaxed_passes)
		{
			*missing |= unknown;
			return;
		}
	}
	*reasons |= BIT(R_LAYOFF_RATE);
}

/* E2 layoffs: none, or a layoff rate strictly below the threshold, exactly. */
static void
rule_e2(Facts *f, const Policy *p, Verdict *v)
{
	uint32		missing = 0;
	uint32		reasons = 0;
	bool		has_start = KNOWN(f, AC_INSURED_START);
	bool		has_end = KNOWN(f, AC_INSURED_END);
	int64		start = has_start ? headcount(f, AC_INSURED_START, "confirmed_insured_start") : 0;
	int64		end = has_end ? headcount(f, AC_INSURED_END, "confirmed_insured_end") : 0;

	v->threshold = p->threshold;
	switch (p->formula)
	{
		case LAYOFFS_OVER_START:
			{
				int64		layoffs;

				if (!KNOWN(f, AC_LAYOFFS))
				{
					/* layoffs other than 0 would need the headcount: ask for both at once */
					missing |= BIT(F_LAYOFFS) | (has_start && start > 0 ? 0 : BIT(F_INSURED_START));
					break;
				}
				layoffs = headcount(f, AC_LAYOFFS, "confirmed_layoffs");
				if (layoffs == 0)
				{
					v->layoff_rate = 0;
					break;		/* no layoffs: passes whatever the headcounts */
				}
				if (!has_start || start == 0)
				{
					missing |= BIT(F_INSURED_START);	/* the denominator to correct */
					break;
				}
				compare_with_threshold(f, p, v, layoffs, start * 100, &reasons, &missing);
				break;
			}
		case NET_DECREASE_OVER_START:
			if (!has_start || !has_end)
			{
				missing |= (has_start ? 0 : BIT(F_INSURED_START)) | (has_end ? 0 : BIT(F_INSURED_END));
				break;
			}
			if (start <= end)
			{
				v->layoff_rate = 0;
				break;
			}
			compare_with_threshold(f, p, v, start - end, start * 100, &reasons, &missing);
			break;
		case NET_DECREASE_OVER_AVERAGE:
			{
				bool		has_average = KNOWN(f, AC_INSURED_AVERAGE);
				bool		has_gone = KNOWN(f, AC_RETIREMENTS_DEATHS);
				int64		average_cents;
				int64		gone;

				if (!has_start || !has_end)
				{
					/* Whatever comes next may need them all: ask once. */
					missing |= (has_start ? 0 : BIT(F_INSURED_START)) |
						(has_end ? 0 : BIT(F_INSURED_END)) |
						(has_average ? 0 : BIT(F_INSURED_AVERAGE)) |
						(has_gone ? 0 : BIT(F_RETIREMENTS_DEATHS));
					break;
				}
				if (start <= end)
				{
					v->layoff_rate = 0;
					break;
				}
				average_cents = has_average ? fen(f, AC_INSURED_AVERAGE) : 0;
				gone = has_gone ? headcount(f, AC_RETIREMENTS_DEATHS, "confirmed_retirements_deaths") : 0;

				/* A rate that passes before retirements and deaths are subtracted passes. */
				if (average_cents > 0 && p->threshold >= 0 &&
					rate_below(start - end, average_cents, p->threshold, 100))
				{
					v->layoff_rate = layoff_rate(Max(start - end - gone, 0), average_cents);
					break;
				}
				if (!has_gone)
				{
					missing |= BIT(F_RETIREMENTS_DEATHS) | (average_cents > 0 ? 0 : BIT(F_INSURED_AVERAGE));
					break;
				}
				if (start - end - gone <= 0)
				{
					v->layoff_rate = 0;
					break;
				}
				if (average_cents <= 0)
				{
					missing |= BIT(F_INSURED_AVERAGE);	/* the denominator to correct */
					break;
				}
				compare_with_threshold(f, p, v, start - end - gone, average_cents, &reasons, &missing);
				break;
			}
	}
	conclude(v, RULE_E2, reasons, missing);
}

/* E3, E4: review results that must be true. */
static void
rule_must_hold(const Facts *f, AppColumn c, Rule rule, Fact fact, Reason reason, Verdict *v)
{
	int			t = tri(f, c);

	conclude(v, rule, t == 0 ? BIT(reason) : 0, t < 0 ? BIT(fact) : 0);
}

/* E6 last year's subsidy, if any, used for the permitted purposes. */
static void
rule_e6(Facts *f, Verdict *v)
{
	int			prior = amount_sign(f, AC_PRIOR);
	int			proper = tri(f, AC_PRIOR_PROPER);

	if (prior == 0 || proper == 1)
		return;
	/* an improper use fails only a prior subsidy known to be there: one of 0 passes */
	conclude(v, RULE_E6, (proper == 0 && prior > 0) ? BIT(R_PRIOR_MISUSED) : 0,
			 (prior < 0 ? BIT(F_PRIOR_SUBSIDY) : 0) | (proper < 0 ? BIT(F_PRIOR_USE) : 0));
}

/* E7 the region's fund covers the months; E8 filed inside the window. */
static void
rules_of_region(const Facts *f, const Policy *p, Verdict *v)
{
	if (p->fund_balance_known && p->fund_expenditure_known)
		conclude(v, RULE_E7, p->fund_covered ? 0 : BIT(R_FUND_COVER), 0);
	else
		conclude(v, RULE_E7, 0, (p->fund_balance_known ? 0 : BIT(F_FUND_BALANCE)) |
				 (p->fund_expenditure_known ? 0 : BIT(F_FUND_EXPENDITURE)));

	if (!p->has_window || !KNOWN(f, AC_SUBMITTED_ON))
		conclude(v, RULE_E8, 0, (p->has_window ? 0 : BIT(F_WINDOW)) |
				 (KNOWN(f, AC_SUBMITTED_ON) ? 0 : BIT(F_SUBMITTED_ON)));
	else
	{
		DateADT		filed = DatumGetDateADT(VAL(f, AC_SUBMITTED_ON));

		conclude(v, RULE_E8, (filed < p->window_opens || filed > p->window_closes) ?
				 BIT(R_OUTSIDE_WINDOW) : 0, 0);
	}
}

/* E10 a spot check that found false data. */
static void
rule_e10(const Facts *f, const EngineState *st, Verdict *v)
{
	Oid			result;

	if (!KNOWN(f, AC_SPOT_CHECK))
		return;					/* not drawn */
	result = DatumGetObjectId(VAL(f, AC_SPOT_CHECK));
	conclude(v, RULE_E10, result == st->spot_false_data_oid ? BIT(R_FALSE_DATA) : 0,
			 result == st->spot_pending_oid ? BIT(F_SPOT_CHECK) : 0);
}

/* A1-A3: which rule sets the amount (A2 before A1, A3 for arrears in other years). */
static void
amount_rule(Facts *f, const Policy *p, const EngineState *st, Verdict *v)
{
	int			arrears_other = amount_sign(f, AC_ARREARS_OTHER);

	if (arrears_other < 0 || !KNOWN(f, AC_ARREARS_BASIS))
		return;					/* E1 already asks for them */
	if (arrears_other == 1)
	{
		v->amount_rule = RULE_A3 - RULE_A1 + 1;
		v->basis = BASIS_PAYABLE;
		v->rate = p->arrears_path_rate;
		return;
	}
	if (p->decapacity_rate >= 0)
	{
		int			decapacity = tri(f, AC_DECAPACITY);

		if (decapacity < 0)
		{
			conclude(v, RULE_A2, 0, BIT(F_DECAPACITY));
			return;
		}
		if (decapacity == 1)
		{
			v->amount_rule = RULE_A2 - RULE_A1 + 1;
			v->basis = BASIS_PAYABLE;
			v->rate = p->decapacity_rate;
			return;
		}
	}
	if (p->rate_large == p->rate_small_micro)
		v->rate = p->rate_large;
	else if (!KNOWN(f, AC_FIRM_SIZE))
	{
		conclude(v, RULE_A1, 0, BIT(F_FIRM_SIZE));
		return;
	}
	else
		v->rate = DatumGetObjectId(VAL(f, AC_FIRM_SIZE)) == st->firm_large_oid ?
			p->rate_large : p->rate_small_micro;
	v->amount_rule = 1;
	v->basis = BASIS_PAID;
}

/* Every rule, in order, into *v. */
static void
decide(Facts *f, const Policy *p, const EngineState *st, Verdict *v)
{
	memset(v, 0, sizeof(*v));
	v->version = VERDICT_VERSION;
	v->layoff_rate = v->threshold = -1;
	v->fund_cover = v->fund_required = -1;
	v->rate = -1;
	if (p == NULL)
	{
		v->outcome = OUTCOME_UNDETERMINED;
		v->missing = BIT(F_POLICY);
		return;
	}
	v->fund_cover = p->fund_cover;
	v->fund_required = p->fund_required;

	rule_e1(f, p, v);
	rule_e2(f, p, v);
	rule_must_hold(f, AC_FINANCIAL, RULE_E3, F_FINANCIAL, R_FINANCIAL, v);
	rule_must_hold(f, AC_COMPLIANT, RULE_E4, F_COMPLIANT, R_NONCOMPLIANT, v);
	conclude(v, RULE_E5, tri(f, AC_ZOMBIE) == 1 ? BIT(R_ZOMBIE) : 0,
			 tri(f, AC_ZOMBIE) < 0 ? BIT(F_ZOMBIE) : 0);
	rule_e6(f, v);
	rules_of_region(f, p, v);
	rule_e10(f, st, v);
	if (v->failed == 0)
		amount_rule(f, p, st, v);

	v->outcome = v->failed ? OUTCOME_INELIGIBLE :
		(v->open || v->missing) ? OUTCOME_UNDETERMINED : OUTCOME_ELIGIBLE;
	if (v->outcome == OUTCOME_ELIGIBLE && v->amount_rule != 0)
	{
		/* A4: half up to the unit; the product is exact in thousandths of a fen */
		int64		unit = (p->rounding_scale == 2) ? 1 : (p->rounding_scale == 1) ? 10 : 100;
		int128		product = (int128) fen(f, v->basis == BASIS_PAYABLE ? AC_PAYABLE : AC_PAID) * v->rate;

		v->basis_amount = fen(f, v->basis == BASIS_PAYABLE ? AC_PAYABLE : AC_PAID);
		v->amount = (int64) ((product + 500 * unit) / (1000 * unit)) * unit;
		v->amount_scale = p->rounding_scale;
	}
	else
	{
		v->amount_rule = 0;
		v->basis = BASIS_NONE;
		v->rate = -1;
	}
}

static Oid
enum_label_oid(Oid enumtype, const char *label)
{
	Oid			oid = GetSysCacheOid2(ENUMTYPOIDNAME, Anum_pg_enum_oid,
									  ObjectIdGetDatum(enumtype), CStringGetDatum(label));

	if (!OidIsValid(oid))
		elog(ERROR, "enum %s has no label \"%s\"", format_type_be(enumtype), label);
	return oid;
}

/* Set up a call site; the facts arrive as arguments from first_fact on. */
static EngineState *
engine_state(FunctionCallInfo fcinfo, int first_fact)
{
	EngineState *st = (EngineState *) fcinfo->flinfo->fn_extra;
	Oid		   *argtypes;
	int			nargs;

	if (st != NULL)
		return st;
	st = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(EngineState));
	get_func_signature(fcinfo->flinfo->fn_oid, &argtypes, &nargs);
	if (nargs != first_fact + AC_COUNT)
		elog(ERROR, "the engine takes %d facts, not %d", AC_COUNT, nargs - first_fact);
	st->firm_large_oid = enum_label_oid(argtypes[first_fact + AC_FIRM_SIZE], "large");
	st->spot_pending_oid = enum_label_oid(argtypes[first_fact + AC_SPOT_CHECK], "pending");
	st->spot_false_data_oid = enum_label_oid(argtypes[first_fact + AC_SPOT_CHECK], "false_data");
	fcinfo->flinfo->fn_extra = st;
	return st;
}

/* The facts, passed as arguments from first_fact on. */
static void
read_facts(FunctionCallInfo fcinfo, int first_fact, Facts *f)
{
	for (int c = 0; c < AC_COUNT; c++)
	{
		f->isnull[c] = PG_ARGISNULL(first_fact + c);
		f->value[c] = f->isnull[c] ? (Datum) 0 : PG_GETARG_DATUM(first_fact + c);
		f->fen_read[c] = false;
	}
}

/* The policy in force for the facts' year and region, or NULL. */
static const Policy *
policy_in_force(const Facts *f)
{
	text	   *region;

	if (!KNOWN(f, AC_REGION))
		return NULL;
	region = DatumGetTextPP(VAL(f, AC_REGION));
	return policy_lookup(DatumGetInt32(VAL(f, AC_YEAR)), VARDATA_ANY(region), VARSIZE_ANY_EXHDR(region));
}

/* The policy a what-if row gives, parsed once per distinct row at a call site. */
static const Policy *
policy_given(FunctionCallInfo fcinfo, EngineState *st, int argno)
{
	HeapTupleHeader row;
	Size		len;
	WhatIf	   *w;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("a what-if assessment needs a policy_in_force row")));
	row = PG_GETARG_HEAPTUPLEHEADER(argno);
	len = HeapTupleHeaderGetDatumLength(row);
	for (int i = 0; i < st->what_if_count; i++)
		if (st->what_if[i].len == len && memcmp(st->what_if[i].row, row, len) == 0)
			return &st->what_if[i].policy;

	if (st->what_if_cxt == NULL)
		st->what_if_cxt = AllocSetContextCreate(fcinfo->flinfo->fn_mcxt, "subsidy what-if policies",
												ALLOCSET_SMALL_SIZES);
	if (st->what_if_count == WHAT_IF_SLOTS || st->what_if == NULL)
	{
		MemoryContextReset(st->what_if_cxt);
		st->what_if = MemoryContextAlloc(st->what_if_cxt, WHAT_IF_SLOTS * sizeof(WhatIf));
		st->what_if_count = 0;
	}
	w = &st->what_if[st->what_if_count];
	policy_from_composite(PointerGetDatum(row), &w->policy);
	w->row = MemoryContextAlloc(st->what_if_cxt, len);
	memcpy(w->row, row, len);
	w->len = len;
	st->what_if_count++;
	return &w->policy;
}

PG_FUNCTION_INFO_V1(verdict_of_facts);
/*
 * subsidy.verdict_of_facts(year, region, ...): the verdict under the
 * parameters in force.  subsidy.verdict_of(application) is an SQL function
 * that the planner inlines into a call of this one with the row's columns, so
 * that no row is copied whole to be passed in.
 */
Datum
verdict_of_facts(PG_FUNCTION_ARGS)
{
	EngineState *st = engine_state(fcinfo, 0);
	Facts		f;
	Verdict    *v = palloc(sizeof(Verdict));

	read_facts(fcinfo, 0, &f);
	if (!KNOWN(&f, AC_YEAR))
		PG_RETURN_NULL();		/* no application: a NULL row */
	decide(&f, policy_in_force(&f), st, v);
	PG_RETURN_POINTER(v);
}

PG_FUNCTION_INFO_V1(verdict_of_facts_under);
/* subsidy.verdict_of_facts_under(policy_in_force, year, region, ...): under the parameters given. */
Datum
verdict_of_facts_under(PG_FUNCTION_ARGS)
{
	EngineState *st = engine_state(fcinfo, 1);
	Facts		f;
	Verdict    *v = palloc(sizeof(Verdict));

	read_facts(fcinfo, 1, &f);
	if (!KNOWN(&f, AC_YEAR))
		PG_RETURN_NULL();
	decide(&f, policy_given(fcinfo, st, 0), st, v);
	PG_RETURN_POINTER(v);
}

/* Column names of the facts, in AppColumn order, for rows read from the table. */
static const char *const fact_column[AC_COUNT] = {
	"year", "region", "submitted_on", "decapacity", "key_supported", "zombie", "firm_size",
	"confirmed_insured_start", "confirmed_insured_end", "confirmed_insured_average",
	"confirmed_layoffs", "confirmed_retirements_deaths", "confirmed_premiums_payable",
	"confirmed_premiums_paid", "confirmed_arrears_basis_year", "confirmed_arrears_other_years",
	"confirmed_deferral_agreement", "confirmed_prior_subsidy", "confirmed_prior_subsidy_use_proper",
	"financial_management_sound", "policy_compliant", "spot_check"
};

/*
 * The verdict on a row of subsidy.application, under the parameters in force:
 * what the workflow's decision takes (W3).  Returns the policy used, NULL when
 * none covers the row's year.
 */
const Policy *
verdict_of_row(HeapTuple tuple, TupleDesc desc, Verdict *v)
{
	static EngineState st;
	static Oid	st_type = InvalidOid;
	static int	attno[AC_COUNT];
	Facts		f;
	const Policy *p;

	if (st_type != desc->tdtypeid || !OidIsValid(st_type))
	{
		for (int c = 0; c < AC_COUNT; c++)
		{
			attno[c] = SPI_fnumber(desc, fact_column[c]);
			if (attno[c] <= 0)
				elog(ERROR, "column \"%s\" is missing from the application row", fact_column[c]);
		}
		memset(&st, 0, sizeof(st));
		st.firm_large_oid = enum_label_oid(TupleDescAttr(desc, attno[AC_FIRM_SIZE] - 1)->atttypid, "large");
		st.spot_pending_oid = enum_label_oid(TupleDescAttr(desc, attno[AC_SPOT_CHECK] - 1)->atttypid, "pending");
		st.spot_false_data_oid = enum_label_oid(TupleDescAttr(desc, attno[AC_SPOT_CHECK] - 1)->atttypid, "false_data");
		st_type = desc->tdtypeid;
	}
	for (int c = 0; c < AC_COUNT; c++)
	{
		f.value[c] = heap_getattr(tuple, attno[c], desc, &f.isnull[c]);
		f.fen_read[c] = false;
	}
	p = policy_in_force(&f);
	decide(&f, p, &st, v);
	return p;
}
