/*
 * assess.c: the eligibility and amount engine (DOMAIN sections 5-7).
 *
 * subsidy.assess(application) decides one application under the parameters
 * in force: eligible, ineligible or undetermined, with every failed rule, every
 * rule that missing facts leave open and every missing fact (E0: one trip for
 * the clerk), and for an eligible one the amount rule (A1-A3), its basis, rate
 * and amount rounded per A4.  It reads only the figures confirmed in review
 * (A5).  Each rule is three-valued: a fact a rule does not need is never
 * asked for, and a rule that fails on the known facts fails even when others
 * are missing.
 */
#include "subsidy.h"

#include "access/htup_details.h"
#include "access/tupmacs.h"
#include "catalog/pg_enum.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/syscache.h"
#include "utils/typcache.h"

/* PostgreSQL 15 divides an int64 by a power of ten into a numeric without a division. */
#if PG_VERSION_NUM >= 150000
#define scaled_int64_to_numeric(v, scale) int64_div_fast_to_numeric((v), (scale))
#else
static Numeric
scaled_int64_to_numeric(int64 v, int scale)
{
	Datum		n = DirectFunctionCall2(numeric_div, NumericGetDatum(int64_to_numeric(v)),
										NumericGetDatum(int64_to_numeric(scale == 4 ? 10000 : 100)));

	return DatumGetNumeric(DirectFunctionCall2(numeric_round, n, Int32GetDatum(scale)));
}
#endif

#define BIT(n) ((uint32) 1 << (n))

/* Rules the engine decides, in the order explanations list them. */
typedef enum Rule
{
	RULE_E1, RULE_E2, RULE_E3, RULE_E4, RULE_E5, RULE_E6, RULE_E7, RULE_E8, RULE_E10,
	RULE_A1, RULE_A2, RULE_A3,
	RULE_COUNT
} Rule;

static const char *const rule_id[RULE_COUNT] = {
	"E1", "E2", "E3", "E4", "E5", "E6", "E7", "E8", "E10", "A1", "A2", "A3"
};

/* Facts a rule may find missing (E0), named after the columns that hold them. */
typedef enum Fact
{
	F_POLICY, F_SUBMITTED_ON, F_WINDOW, F_ARREARS_BASIS, F_PAID, F_PAYABLE, F_ARREARS_OTHER,
	F_AGREEMENT, F_DECAPACITY, F_KEY_SUPPORTED, F_LAYOFFS, F_INSURED_START, F_INSURED_END,
	F_INSURED_AVERAGE, F_RETIREMENTS_DEATHS, F_THRESHOLD, F_FINANCIAL, F_COMPLIANT, F_ZOMBIE,
	F_PRIOR_SUBSIDY, F_PRIOR_USE, F_FUND_BALANCE, F_FUND_EXPENDITURE, F_FIRM_SIZE, F_SPOT_CHECK,
	F_COUNT
} Fact;

static const char *const fact_name[F_COUNT] = {
	"policy_year", "submitted_on", "application_window", "confirmed_arrears_basis_year",
	"confirmed_premiums_paid", "confirmed_premiums_payable", "confirmed_arrears_other_years",
	"confirmed_deferral_agreement", "decapacity", "key_supported", "confirmed_layoffs",
	"confirmed_insured_start", "confirmed_insured_end", "confirmed_insured_average",
	"confirmed_retirements_deaths", "registered_unemployment_rate", "financial_management_sound",
	"policy_compliant", "zombie", "confirmed_prior_subsidy", "confirmed_prior_subsidy_use_proper",
	"fund_balance", "monthly_fund_expenditure", "firm_size", "spot_check"
};

/* Why a rule failed, one code per cause. */
typedef enum Reason
{
	R_ARREARS_BASIS, R_PAID_BELOW_PAYABLE, R_ARREARS_OTHER, R_LAYOFF_RATE, R_FINANCIAL,
	R_NONCOMPLIANT, R_ZOMBIE, R_PRIOR_MISUSED, R_FUND_COVER, R_OUTSIDE_WINDOW, R_FALSE_DATA,
	R_COUNT
} Reason;

static const char *const reason_code[R_COUNT] = {
	"E1.arrears_basis_year", "E1.paid_below_payable", "E1.arrears_other_years",
	"E2.layoff_rate", "E3.financial_management", "E4.policy_noncompliance", "E5.zombie",
	"E6.prior_subsidy_misused", "E7.fund_cover", "E8.outside_window", "E10.false_data"
};

/* Columns of subsidy.application that the engine reads. */
typedef enum AppColumn
{
	AC_YEAR, AC_REGION, AC_SUBMITTED_ON, AC_DECAPACITY, AC_KEY_SUPPORTED, AC_ZOMBIE,
	AC_FIRM_SIZE, AC_INSURED_START, AC_INSURED_END, AC_INSURED_AVERAGE, AC_LAYOFFS,
	AC_RETIREMENTS_DEATHS, AC_PAYABLE, AC_PAID, AC_ARREARS_BASIS, AC_ARREARS_OTHER,
	AC_AGREEMENT, AC_PRIOR, AC_PRIOR_PROPER, AC_FINANCIAL, AC_COMPLIANT, AC_SPOT_CHECK,
	AC_COUNT
} AppColumn;

static const char *const app_column_name[AC_COUNT] = {
	"year", "region", "submitted_on", "decapacity", "key_supported", "zombie", "firm_size",
	"confirmed_insured_start", "confirmed_insured_end", "confirmed_insured_average",
	"confirmed_layoffs", "confirmed_retirements_deaths", "confirmed_premiums_payable",
	"confirmed_premiums_paid", "confirmed_arrears_basis_year", "confirmed_arrears_other_years",
	"confirmed_deferral_agreement", "confirmed_prior_subsidy", "confirmed_prior_subsidy_use_proper",
	"financial_management_sound", "policy_compliant", "spot_check"
};

/* Fields of subsidy.assessment, in order. */
enum
{
	AS_OUTCOME, AS_RULE, AS_BASIS, AS_BASIS_AMOUNT, AS_RATE, AS_AMOUNT, AS_LAYOFF_RATE,
	AS_LAYOFF_THRESHOLD, AS_FUND_COVER_MONTHS, AS_FUND_COVER_REQUIRED, AS_FAILED_RULES,
	AS_OPEN_RULES, AS_MISSING_FACTS, AS_REASONS, AS_COUNT
};

typedef enum Outcome
{
	OUTCOME_ELIGIBLE, OUTCOME_INELIGIBLE, OUTCOME_UNDETERMINED
} Outcome;

/* What a call site keeps between rows: resolved once per query. */
typedef struct EngineState
{
	Oid			app_type;
	int32		app_typmod;
	TupleDesc	app_desc;			/* the application row */
	int			app_natts;			/* how far into it the engine reads */
	int			attno[AC_COUNT];
	TupleDesc	result_desc;
	Oid			outcome_oid[3];
	Oid			basis_paid_oid;
	Oid			basis_payable_oid;
	Oid			firm_large_oid;
	Oid			spot_pending_oid;
	Oid			spot_false_data_oid;
	Datum		rule_text[RULE_COUNT];
	Datum		fact_text[F_COUNT];
	Datum		reason_text[R_COUNT];
	Datum		empty_array;
	Datum		zero;
	/* assess(application, policy_in_force): policy rows seen, parsed */
	MemoryContext what_if_cxt;
	int			what_if_count;
	struct WhatIf *what_if;
} EngineState;

/* A policy row given to assess(application, policy_in_force), and what it says. */
typedef struct WhatIf
{
	char	   *row;
	Size		len;
	Policy		policy;
} WhatIf;

#define WHAT_IF_SLOTS 64

/* One application's facts: the row's datums by AppColumn. */
typedef struct Facts
{
	Datum		value[AC_COUNT];
	bool		isnull[AC_COUNT];
} Facts;

/* The verdict under construction. */
typedef struct Verdict
{
	uint32		failed;				/* Rule bits */
	uint32		open;				/* Rule bits */
	uint32		missing;			/* Fact bits */
	uint32		reasons;			/* Reason bits */
	int			amount_rule;		/* RULE_A1..A3, or -1 */
	bool		basis_payable;
	Datum		rate;
	Numeric		layoff_rate;
	Numeric		layoff_threshold;
} Verdict;

#define KNOWN(f, c) (!(f)->isnull[c])
#define VAL(f, c) ((f)->value[c])

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
amount_sign(const Facts *f, AppColumn c, const EngineState *st)
{
	if (!KNOWN(f, c))
		return -1;
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp, VAL(f, c), st->zero)) > 0 ? 1 : 0;
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
rule_e1(const Facts *f, const Policy *p, const EngineState *st, Verdict *v)
{
	uint32		missing = 0;
	uint32		reasons = 0;
	int			arrears_basis = amount_sign(f, AC_ARREARS_BASIS, st);
	int			arrears_other = amount_sign(f, AC_ARREARS_OTHER, st);

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
		if (DatumGetInt32(DirectFunctionCall2(numeric_cmp, VAL(f, AC_PAID), VAL(f, AC_PAYABLE))) < 0)
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

		if (p->arrears_path_rate == NULL || priority == 0 || agreement == 0)
			reasons |= BIT(R_ARREARS_OTHER);
		else
			missing |= unknown | (agreement < 0 ? BIT(F_AGREEMENT) : 0);
	}
	conclude(v, RULE_E1, reasons, missing);
}

/* num / den_cents * 100 < threshold_bp / 100 * factor_100 / 100, exactly. */
static bool
rate_below(int64 num, int64 den_cents, int64 threshold_bp, int64 factor_100)
{
#ifdef HAVE_INT128
	return (int128) num * 100000000 < (int128) threshold_bp * factor_100 * den_cents;
#else
	Datum		lhs = DirectFunctionCall2(numeric_mul, NumericGetDatum(int64_to_numeric(num)),
										  NumericGetDatum(int64_to_numeric(100000000)));
	Datum		rhs = DirectFunctionCall2(numeric_mul, NumericGetDatum(int64_to_numeric(threshold_bp)),
										  NumericGetDatum(int64_to_numeric(factor_100)));

	rhs = DirectFunctionCall2(numeric_mul, rhs, NumericGetDatum(int64_to_numeric(den_cents)));
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp, lhs, rhs)) < 0;
#endif
}

/*
 * The layoff rate in per cent, truncated to four decimals: a threshold has at
 * most four, so the truncated rate is below it exactly when the rate is, and
 * what a clerk reads never contradicts the verdict.
 */
static Numeric
layoff_rate_numeric(int64 num, int64 den_cents)
{
#ifdef HAVE_INT128
	return scaled_int64_to_numeric((int64) (((int128) num * 100000000) / den_cents), 4);
#else
	Datum		rate = DirectFunctionCall2(numeric_div_trunc,
										   NumericGetDatum(int64_to_numeric(num * 100000000)),
										   NumericGetDatum(int64_to_numeric(den_cents)));

	return scaled_int64_to_numeric(DatumGetInt64(DirectFunctionCall1(numeric_int8, rate)), 4);
#endif
}

/*
 * Compare num / den_cents against the threshold, with the factor for
 * decapacity and key-supported enterprises when it could change the result.
 */
static void
compare_with_threshold(const Facts *f, const Policy *p, Verdict *v, int64 num, int64 den_cents,
					   uint32 *reasons, uint32 *missing)
{
	int64		factor_100 = 100;

	v->layoff_rate = layoff_rate_numeric(num, den_cents);
	if (p->threshold == NULL)
	{
		*missing |= BIT(F_THRESHOLD);
		return;
	}
	v->layoff_threshold = p->threshold;
	if (rate_below(num, den_cents, p->threshold_bp, 100))
		return;
	if (p->priority_factor_100 != 100)
	{
		uint32		unknown = 0;
		int			priority = priority_enterprise(f, &unknown);

		if (priority != 0 && rate_below(num, den_cents, p->threshold_bp, p->priority_factor_100))
		{
			if (priority < 0)
			{
				*missing |= unknown;
				return;
			}
			factor_100 = p->priority_factor_100;
		}
		if (priority == 1)
			v->layoff_threshold = DatumGetNumeric(DirectFunctionCall2(numeric_mul,
																	  NumericGetDatum(p->threshold),
																	  NumericGetDatum(p->priority_factor)));
		if (factor_100 != 100)
			return;
	}
	*reasons |= BIT(R_LAYOFF_RATE);
}

/* E2 layoffs: none, or a layoff rate strictly below the threshold. */
static void
rule_e2(const Facts *f, const Policy *p, Verdict *v)
{
	uint32		missing = 0;
	uint32		reasons = 0;
	bool		has_start = KNOWN(f, AC_INSURED_START);
	bool		has_end = KNOWN(f, AC_INSURED_END);
	int64		start = has_start ? DatumGetInt32(VAL(f, AC_INSURED_START)) : 0;
	int64		end = has_end ? DatumGetInt32(VAL(f, AC_INSURED_END)) : 0;

	v->layoff_threshold = p->threshold;
	switch (p->formula)
	{
		case LAYOFFS_OVER_START:
			{
				int64		layoffs;

				if (!KNOWN(f, AC_LAYOFFS))
				{
					missing |= BIT(F_LAYOFFS);
					break;
				}
				layoffs = DatumGetInt32(VAL(f, AC_LAYOFFS));
				if (layoffs == 0)
				{
					v->layoff_rate = scaled_int64_to_numeric(0, 4);
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
				v->layoff_rate = scaled_int64_to_numeric(0, 4);
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
					v->layoff_rate = scaled_int64_to_numeric(0, 4);
					break;
				}
				average_cents = has_average ?
					numeric_to_scaled_int64(DatumGetNumeric(VAL(f, AC_INSURED_AVERAGE)), 2) : 0;
				gone = has_gone ? DatumGetInt32(VAL(f, AC_RETIREMENTS_DEATHS)) : 0;

				/* A rate that passes before retirements and deaths are subtracted passes. */
				if (average_cents > 0 && p->threshold != NULL &&
					rate_below(start - end, average_cents, p->threshold_bp, 100))
				{
					v->layoff_rate = layoff_rate_numeric(has_gone ? Max(start - end - gone, 0) : start - end,
														 average_cents);
					break;
				}
				if (!has_gone)
				{
					missing |= BIT(F_RETIREMENTS_DEATHS) | (average_cents > 0 ? 0 : BIT(F_INSURED_AVERAGE));
					break;
				}
				if (start - end - gone <= 0)
				{
					v->layoff_rate = scaled_int64_to_numeric(0, 4);
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
rule_e6(const Facts *f, const EngineState *st, Verdict *v)
{
	int			prior = amount_sign(f, AC_PRIOR, st);
	int			proper = tri(f, AC_PRIOR_PROPER);

	if (prior == 0 || proper == 1)
		return;
	conclude(v, RULE_E6, proper == 0 ? BIT(R_PRIOR_MISUSED) : 0,
			 (prior < 0 ? BIT(F_PRIOR_SUBSIDY) : 0) | BIT(F_PRIOR_USE));
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
amount_rule(const Facts *f, const Policy *p, const EngineState *st, Verdict *v)
{
	int			arrears_other = amount_sign(f, AC_ARREARS_OTHER, st);

	if (arrears_other < 0 || !KNOWN(f, AC_ARREARS_BASIS))
		return;					/* E1 already asks for them */
	if (arrears_other == 1)
	{
		v->amount_rule = RULE_A3;
		v->basis_payable = true;
		v->rate = NumericGetDatum(p->arrears_path_rate);
		return;
	}
	if (p->decapacity_rate != NULL)
	{
		int			decapacity = tri(f, AC_DECAPACITY);

		if (decapacity < 0)
		{
			conclude(v, RULE_A2, 0, BIT(F_DECAPACITY));
			return;
		}
		if (decapacity == 1)
		{
			v->amount_rule = RULE_A2;
			v->basis_payable = true;
			v->rate = NumericGetDatum(p->decapacity_rate);
			return;
		}
	}
	if (DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(p->rate_large),
										  NumericGetDatum(p->rate_small_micro))) == 0)
		v->rate = NumericGetDatum(p->rate_large);
	else if (!KNOWN(f, AC_FIRM_SIZE))
	{
		conclude(v, RULE_A1, 0, BIT(F_FIRM_SIZE));
		return;
	}
	else
		v->rate = NumericGetDatum(DatumGetObjectId(VAL(f, AC_FIRM_SIZE)) == st->firm_large_oid ?
								  p->rate_large : p->rate_small_micro);
	v->amount_rule = RULE_A1;
	v->basis_payable = false;
}

/* Every rule, in order. */
static void
decide(const Facts *f, const Policy *p, const EngineState *st, Verdict *v)
{
	memset(v, 0, sizeof(*v));
	v->amount_rule = -1;
	if (p == NULL)
	{
		v->missing = BIT(F_POLICY);
		return;
	}
	rule_e1(f, p, st, v);
	rule_e2(f, p, v);
	rule_must_hold(f, AC_FINANCIAL, RULE_E3, F_FINANCIAL, R_FINANCIAL, v);
	rule_must_hold(f, AC_COMPLIANT, RULE_E4, F_COMPLIANT, R_NONCOMPLIANT, v);
	conclude(v, RULE_E5, tri(f, AC_ZOMBIE) == 1 ? BIT(R_ZOMBIE) : 0,
			 tri(f, AC_ZOMBIE) < 0 ? BIT(F_ZOMBIE) : 0);
	rule_e6(f, st, v);
	rules_of_region(f, p, v);
	rule_e10(f, st, v);
	if (v->failed == 0)
		amount_rule(f, p, st, v);
}

/* A text[] of the names whose bits are set. */
static Datum
names_array(uint32 bits, const Datum *names, int count, const EngineState *st)
{
	Datum		elems[32];
	int			n = 0;

	if (bits == 0)
		return st->empty_array;
	for (int i = 0; i < count; i++)
		if (bits & BIT(i))
			elems[n++] = names[i];
	return PointerGetDatum(construct_array(elems, n, TEXTOID, -1, false, TYPALIGN_INT));
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

/* Where each column the engine reads sits in the application row. */
static void
engine_resolve_application(EngineState *st, Oid type, int32 typmod)
{
	TupleDesc	desc = lookup_rowtype_tupdesc(type, typmod);
	int			last = 0;

	for (int c = 0; c < AC_COUNT; c++)
	{
		st->attno[c] = -1;
		for (int i = 0; i < desc->natts; i++)
		{
			Form_pg_attribute att = TupleDescAttr(desc, i);

			if (!att->attisdropped && strcmp(NameStr(att->attname), app_column_name[c]) == 0)
			{
				st->attno[c] = i;
				last = Max(last, i);
				break;
			}
		}
		if (st->attno[c] < 0)
			elog(ERROR, "column \"%s\" is missing from the application row", app_column_name[c]);
	}
	st->firm_large_oid = enum_label_oid(TupleDescAttr(desc, st->attno[AC_FIRM_SIZE])->atttypid, "large");
	st->spot_pending_oid = enum_label_oid(TupleDescAttr(desc, st->attno[AC_SPOT_CHECK])->atttypid, "pending");
	st->spot_false_data_oid = enum_label_oid(TupleDescAttr(desc, st->attno[AC_SPOT_CHECK])->atttypid, "false_data");

	st->app_desc = CreateTupleDescCopy(desc);
	st->app_natts = last + 1;
	st->app_type = type;
	st->app_typmod = typmod;
	ReleaseTupleDesc(desc);
}

/* Set up a call site: result row, enum values, the names the arrays hold. */
static EngineState *
engine_state(FunctionCallInfo fcinfo)
{
	EngineState *st = (EngineState *) fcinfo->flinfo->fn_extra;
	MemoryContext old;
	TupleDesc	desc;

	if (st != NULL)
		return st;

	old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
	st = palloc0(sizeof(EngineState));
	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "subsidy.assess must return the composite type subsidy.assessment");
	st->result_desc = BlessTupleDesc(desc);
	st->outcome_oid[OUTCOME_ELIGIBLE] = enum_label_oid(TupleDescAttr(desc, AS_OUTCOME)->atttypid, "eligible");
	st->outcome_oid[OUTCOME_INELIGIBLE] = enum_label_oid(TupleDescAttr(desc, AS_OUTCOME)->atttypid, "ineligible");
	st->outcome_oid[OUTCOME_UNDETERMINED] = enum_label_oid(TupleDescAttr(desc, AS_OUTCOME)->atttypid, "undetermined");
	st->basis_paid_oid = enum_label_oid(TupleDescAttr(desc, AS_BASIS)->atttypid, "paid");
	st->basis_payable_oid = enum_label_oid(TupleDescAttr(desc, AS_BASIS)->atttypid, "payable");
	for (int i = 0; i < RULE_COUNT; i++)
		st->rule_text[i] = CStringGetTextDatum(rule_id[i]);
	for (int i = 0; i < F_COUNT; i++)
		st->fact_text[i] = CStringGetTextDatum(fact_name[i]);
	for (int i = 0; i < R_COUNT; i++)
		st->reason_text[i] = CStringGetTextDatum(reason_code[i]);
	st->empty_array = PointerGetDatum(construct_empty_array(TEXTOID));
	st->zero = NumericGetDatum(int64_to_numeric(0));
	MemoryContextSwitchTo(old);
	fcinfo->flinfo->fn_extra = st;
	return st;
}

/*
 * heap_deform_tuple for the first natts attributes only: the engine's columns
 * come first in the table, and the rest of a wide row is not its business.
 */
static void
deform_prefix(HeapTupleHeader tup, TupleDesc desc, int natts, Datum *values, bool *isnull)
{
	bool		hasnulls = (tup->t_infomask & HEAP_HASNULL) != 0;
	bits8	   *bp = tup->t_bits;
	char	   *tp = (char *) tup + tup->t_hoff;
	int			stored = HeapTupleHeaderGetNatts(tup);
	uint32		off = 0;

	for (int attnum = 0; attnum < natts; attnum++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, attnum);

		if (attnum >= stored)
		{
			/* a column added after the row was written */
			values[attnum] = getmissingattr(desc, attnum + 1, &isnull[attnum]);
			continue;
		}
		if (hasnulls && att_isnull(attnum, bp))
		{
			values[attnum] = (Datum) 0;
			isnull[attnum] = true;
			continue;
		}
		isnull[attnum] = false;
		if (att->attlen == -1)
			off = att_align_pointer(off, att->attalign, -1, tp + off);
		else
			off = att_align_nominal(off, att->attalign);
		values[attnum] = fetchatt(att, tp + off);
		off = att_addlength_pointer(off, att->attlen, tp + off);
	}
}

/* Read the application argument into *f. */
static void
read_application(FunctionCallInfo fcinfo, EngineState *st, Facts *f)
{
	HeapTupleHeader th = PG_GETARG_HEAPTUPLEHEADER(0);
	Datum		values[MaxTupleAttributeNumber];
	bool		isnull[MaxTupleAttributeNumber];

	if (st->app_desc == NULL || HeapTupleHeaderGetTypeId(th) != st->app_type ||
		HeapTupleHeaderGetTypMod(th) != st->app_typmod)
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);

		engine_resolve_application(st, HeapTupleHeaderGetTypeId(th), HeapTupleHeaderGetTypMod(th));
		MemoryContextSwitchTo(old);
	}
	deform_prefix(th, st->app_desc, st->app_natts, values, isnull);
	for (int c = 0; c < AC_COUNT; c++)
	{
		f->value[c] = values[st->attno[c]];
		f->isnull[c] = isnull[st->attno[c]];
	}
}

/* Form the subsidy.assessment row. */
static Datum
verdict_datum(const Facts *f, const Policy *p, const Verdict *v, const EngineState *st)
{
	Datum		values[AS_COUNT];
	bool		isnull[AS_COUNT];
	Outcome		outcome = v->failed ? OUTCOME_INELIGIBLE :
		(v->open || v->missing) ? OUTCOME_UNDETERMINED : OUTCOME_ELIGIBLE;

	memset(isnull, true, sizeof(isnull));
	values[AS_OUTCOME] = ObjectIdGetDatum(st->outcome_oid[outcome]);
	isnull[AS_OUTCOME] = false;

	if (outcome == OUTCOME_ELIGIBLE && v->amount_rule >= 0)
	{
		Datum		basis = VAL(f, v->basis_payable ? AC_PAYABLE : AC_PAID);
		Numeric		product = numeric_mul_opt_error(DatumGetNumeric(basis), DatumGetNumeric(v->rate), NULL);

		values[AS_RULE] = st->rule_text[v->amount_rule];
		values[AS_BASIS] = ObjectIdGetDatum(v->basis_payable ? st->basis_payable_oid : st->basis_paid_oid);
		values[AS_BASIS_AMOUNT] = basis;
		values[AS_RATE] = v->rate;
		/* A4: numeric rounding is half away from zero, which is half up for amounts. */
		values[AS_AMOUNT] = DirectFunctionCall2(numeric_round, NumericGetDatum(product),
												Int32GetDatum(p->rounding_scale));
		isnull[AS_RULE] = isnull[AS_BASIS] = isnull[AS_BASIS_AMOUNT] = false;
		isnull[AS_RATE] = isnull[AS_AMOUNT] = false;
	}
	if (v->layoff_rate)
	{
		values[AS_LAYOFF_RATE] = NumericGetDatum(v->layoff_rate);
		isnull[AS_LAYOFF_RATE] = false;
	}
	if (v->layoff_threshold)
	{
		values[AS_LAYOFF_THRESHOLD] = NumericGetDatum(v->layoff_threshold);
		isnull[AS_LAYOFF_THRESHOLD] = false;
	}
	if (p != NULL)
	{
		if (p->fund_cover_months)
		{
			values[AS_FUND_COVER_MONTHS] = NumericGetDatum(p->fund_cover_months);
			isnull[AS_FUND_COVER_MONTHS] = false;
		}
		values[AS_FUND_COVER_REQUIRED] = NumericGetDatum(p->fund_cover_required);
		isnull[AS_FUND_COVER_REQUIRED] = false;
	}
	values[AS_FAILED_RULES] = names_array(v->failed, st->rule_text, RULE_COUNT, st);
	values[AS_OPEN_RULES] = names_array(v->open, st->rule_text, RULE_COUNT, st);
	values[AS_MISSING_FACTS] = names_array(v->missing, st->fact_text, F_COUNT, st);
	values[AS_REASONS] = names_array(v->reasons, st->reason_text, R_COUNT, st);
	isnull[AS_FAILED_RULES] = isnull[AS_OPEN_RULES] = false;
	isnull[AS_MISSING_FACTS] = isnull[AS_REASONS] = false;

	return HeapTupleGetDatum(heap_form_tuple(st->result_desc, values, isnull));
}

/* The application's region code, without copying it. */
static void
application_region(const Facts *f, const char **region, int *len)
{
	text	   *t = DatumGetTextPP(VAL(f, AC_REGION));

	*region = VARDATA_ANY(t);
	*len = VARSIZE_ANY_EXHDR(t);
}

PG_FUNCTION_INFO_V1(assess_application);
/* subsidy.assess(application): under the parameters in force. */
Datum
assess_application(PG_FUNCTION_ARGS)
{
	EngineState *st = engine_state(fcinfo);
	Facts		f;
	Verdict		v;
	const Policy *p = NULL;

	read_application(fcinfo, st, &f);
	if (KNOWN(&f, AC_YEAR) && KNOWN(&f, AC_REGION))
	{
		const char *region;
		int			len;

		application_region(&f, &region, &len);
		p = policy_lookup(DatumGetInt32(VAL(&f, AC_YEAR)), region, len);
	}
	decide(&f, p, st, &v);
	PG_RETURN_DATUM(verdict_datum(&f, p, &v, st));
}

PG_FUNCTION_INFO_V1(assess_application_under);
/* subsidy.assess(application, policy_in_force): under the parameters given (what-if). */
Datum
assess_application_under(PG_FUNCTION_ARGS)
{
	EngineState *st = engine_state(fcinfo);
	HeapTupleHeader policy_row = PG_GETARG_HEAPTUPLEHEADER(1);
	Size		len = HeapTupleHeaderGetDatumLength(policy_row);
	WhatIf	   *w = NULL;
	Facts		f;
	Verdict		v;

	/* A query brings one policy row per region and year: parse each once. */
	for (int i = 0; i < st->what_if_count; i++)
		if (st->what_if[i].len == len && memcmp(st->what_if[i].row, policy_row, len) == 0)
		{
			w = &st->what_if[i];
			break;
		}
	if (w == NULL)
	{
		MemoryContext old;

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
		policy_from_composite(PointerGetDatum(policy_row), &w->policy, st->what_if_cxt);
		old = MemoryContextSwitchTo(st->what_if_cxt);
		w->row = palloc(len);
		MemoryContextSwitchTo(old);
		memcpy(w->row, policy_row, len);
		w->len = len;
		st->what_if_count++;
	}
	read_application(fcinfo, st, &f);
	decide(&f, &w->policy, st, &v);
	PG_RETURN_DATUM(verdict_datum(&f, &w->policy, &v, st));
}
