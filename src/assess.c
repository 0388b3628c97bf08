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

/*
 * The facts the engine reads: columns of subsidy.application, passed in this
 * order (those of 1.2 at the end, as the table has them).
 */
typedef enum AppColumn
{
	AC_YEAR, AC_REGION, AC_SUBMITTED_ON, AC_DECAPACITY, AC_KEY_SUPPORTED, AC_ZOMBIE,
	AC_FIRM_SIZE, AC_INSURED_START, AC_INSURED_END, AC_INSURED_AVERAGE, AC_LAYOFFS,
	AC_RETIREMENTS_DEATHS, AC_PAYABLE, AC_PAID, AC_ARREARS_BASIS, AC_ARREARS_OTHER,
	AC_AGREEMENT, AC_PRIOR, AC_PRIOR_PROPER, AC_FINANCIAL, AC_COMPLIANT, AC_SPOT_CHECK,
	AC_DECIDED_ON, AC_UNIT_KIND, AC_DISHONESTY, AC_FULL_MONTHS, AC_NEW_CLAIMANTS,
	AC_MONTHLY_PREMIUMS, AC_HARDSHIP,
	AC_COUNT
} AppColumn;

/* What a call site resolves once: the enum values it compares with. */
typedef struct EngineState
{
	Oid			firm_large_oid;
	Oid			spot_pending_oid;
	Oid			spot_false_data_oid;
	Oid			unit_enterprise_oid;
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
#define FACT(n) ((uint64) 1 << (n))

static const char *const money_column[AC_COUNT] = {
	[AC_PAYABLE] = "confirmed_premiums_payable",
	[AC_PAID] = "confirmed_premiums_paid",
	[AC_ARREARS_BASIS] = "confirmed_arrears_basis_year",
	[AC_ARREARS_OTHER] = "confirmed_arrears_other_years",
	[AC_PRIOR] = "confirmed_prior_subsidy",
	[AC_INSURED_AVERAGE] = "confirmed_insured_average",
	[AC_MONTHLY_PREMIUMS] = "confirmed_monthly_premiums_payable"
};

/* A verdict in the making: the rules' findings, with the missing facts as 64 bits. */
typedef struct Work
{
	Verdict    *v;
	uint64		missing;
} Work;

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
conclude(Work *w, Rule rule, uint32 reasons, uint64 missing)
{
	if (reasons)
	{
		w->v->failed |= BIT(rule);
		w->v->reasons |= reasons;
	}
	else if (missing)
	{
		w->v->open |= BIT(rule);
		w->missing |= missing;
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
priority_enterprise(const Facts *f, uint64 *unknown)
{
	int			decapacity = tri(f, AC_DECAPACITY);
	int			key = tri(f, AC_KEY_SUPPORTED);

	if (decapacity == 1 || key == 1)
		return 1;
	if (decapacity == 0 && key == 0)
		return 0;
	*unknown |= (decapacity < 0 ? FACT(F_DECAPACITY) : 0) | (key < 0 ? FACT(F_KEY_SUPPORTED) : 0);
	return -1;
}

/* Whether the unit is one of the six kinds (not an enterprise): -1 when its kind is unknown. */
static int
six_kind(const Facts *f, const EngineState *st)
{
	if (!KNOWN(f, AC_UNIT_KIND))
		return -1;
	return DatumGetObjectId(VAL(f, AC_UNIT_KIND)) != st->unit_enterprise_oid;
}

/*
 * The size class: 1 large, 0 medium, small or micro (中小微), -1 unknown (the
 * fact missing added to *unknown).  The six kinds are 中小微, or large from
 * 300 average insured where the set classes them by headcount.
 */
static int
size_class(Facts *f, const Policy *p, const EngineState *st, uint64 *unknown)
{
	if (six_kind(f, st) == 1)
	{
		if (!p->six_kinds_by_headcount)
			return 0;
		if (!KNOWN(f, AC_INSURED_AVERAGE))
		{
			*unknown |= FACT(F_INSURED_AVERAGE);
			return -1;
		}
		return fen(f, AC_INSURED_AVERAGE) >= 30000;
	}
	if (!KNOWN(f, AC_FIRM_SIZE))
	{
		*unknown |= FACT(F_FIRM_SIZE);
		return -1;
	}
	return DatumGetObjectId(VAL(f, AC_FIRM_SIZE)) == st->firm_large_oid;
}

/*
 * E1 premiums paid in full: no arrears for the basis year, paid not below
 * payable, and no arrears for other years unless the A3 path takes them.
 */
static void
rule_e1(Facts *f, const Policy *p, Work *w)
{
	uint64		missing = 0;
	uint32		reasons = 0;
	int			arrears_basis = amount_sign(f, AC_ARREARS_BASIS);
	int			arrears_other = amount_sign(f, AC_ARREARS_OTHER);

	/* Arrears for the basis year fail E1 whatever else is unknown. */
	if (arrears_basis == 1)
	{
		conclude(w, RULE_E1, BIT(R_ARREARS_BASIS), 0);
		return;
	}
	if (arrears_basis < 0)
		missing |= FACT(F_ARREARS_BASIS);

	if (KNOWN(f, AC_PAID) && KNOWN(f, AC_PAYABLE))
	{
		if (fen(f, AC_PAID) < fen(f, AC_PAYABLE))
			reasons |= BIT(R_PAID_BELOW_PAYABLE);
	}
	else
		missing |= (KNOWN(f, AC_PAID) ? 0 : FACT(F_PAID)) | (KNOWN(f, AC_PAYABLE) ? 0 : FACT(F_PAYABLE));

	if (arrears_other < 0)
		missing |= FACT(F_ARREARS_OTHER);
	else if (arrears_other == 1)
	{
		/* A3: decapacity or key-supported, with a deferred-payment agreement. */
		int			agreement = tri(f, AC_AGREEMENT);
		uint64		unknown = 0;
		int			priority = priority_enterprise(f, &unknown);

		if (p->arrears_path_rate < 0 || priority == 0 || agreement == 0)
			reasons |= BIT(R_ARREARS_OTHER);
		else
			missing |= unknown | (agreement < 0 ? FACT(F_AGREEMENT) : 0);
	}
	conclude(w, RULE_E1, reasons, missing);
}

/*
 * The layoff rate of the set's formula: zero (no layoffs: passes every test),
 * exact (num over den_cents hundredths), or, with the net decrease over the
 * average where retirements and deaths are unknown, only an upper bound.
 */
typedef struct Rate
{
	bool		zero;
	bool		exact;
	bool		upper;
	int64		num;
	int64		den_cents;
	uint64		missing;		/* what the exact rate still needs */
} Rate;

static void
layoff_rate_of(Facts *f, const Policy *p, Rate *r)
{
	bool		has_start = KNOWN(f, AC_INSURED_START);
	bool		has_end = KNOWN(f, AC_INSURED_END);
	bool		has_average = KNOWN(f, AC_INSURED_AVERAGE);
	int64		start = has_start ? headcount(f, AC_INSURED_START, "confirmed_insured_start") : 0;
	int64		end = has_end ? headcount(f, AC_INSURED_END, "confirmed_insured_end") : 0;
	int64		average_cents = has_average ? fen(f, AC_INSURED_AVERAGE) : 0;

	memset(r, 0, sizeof(*r));
	switch (p->formula)
	{
		case LAYOFFS_OVER_START:
			{
				int64		layoffs;

				if (!KNOWN(f, AC_LAYOFFS))
				{
					/* layoffs other than 0 would need the headcount: ask for both at once */
					r->missing = FACT(F_LAYOFFS) | (has_start && start > 0 ? 0 : FACT(F_INSURED_START));
					return;
				}
				layoffs = headcount(f, AC_LAYOFFS, "confirmed_layoffs");
				if (layoffs == 0)
					r->zero = true;
				else if (!has_start || start == 0)
					r->missing = FACT(F_INSURED_START);	/* the denominator to correct */
				else
					r->exact = true, r->num = layoffs, r->den_cents = start * 100;
				return;
			}
		case NET_DECREASE_OVER_START:
			if (!has_start || !has_end)
				r->missing = (has_start ? 0 : FACT(F_INSURED_START)) | (has_end ? 0 : FACT(F_INSURED_END));
			else if (start <= end)
				r->zero = true;
			else
				r->exact = true, r->num = start - end, r->den_cents = start * 100;
			return;
		case NET_DECREASE_OVER_AVERAGE:
			{
				bool		has_gone = KNOWN(f, AC_RETIREMENTS_DEATHS);
				int64		gone = has_gone ? headcount(f, AC_RETIREMENTS_DEATHS, "confirmed_retirements_deaths") : 0;

				if (!has_start || !has_end)
				{
					/* whatever comes next may need them all: ask once */
					r->missing = (has_start ? 0 : FACT(F_INSURED_START)) | (has_end ? 0 : FACT(F_INSURED_END)) |
						(has_average ? 0 : FACT(F_INSURED_AVERAGE)) | (has_gone ? 0 : FACT(F_RETIREMENTS_DEATHS));
					return;
				}
				if (start <= end || (has_gone && start - end - gone <= 0))
				{
					r->zero = true;
					return;
				}
				if (average_cents <= 0)
				{
					r->missing = FACT(F_INSURED_AVERAGE) | (has_gone ? 0 : FACT(F_RETIREMENTS_DEATHS));
					return;
				}
				r->den_cents = average_cents;
				if (has_gone)
					r->exact = true, r->num = start - end - gone;
				else
					r->upper = true, r->num = start - end, r->missing = FACT(F_RETIREMENTS_DEATHS);
				return;
			}
		case NEW_CLAIMANTS_OVER_AVERAGE:
			{
				int64		claimants;

				if (!KNOWN(f, AC_NEW_CLAIMANTS))
				{
					r->missing = FACT(F_NEW_CLAIMANTS) | (average_cents > 0 ? 0 : FACT(F_INSURED_AVERAGE));
					return;
				}
				claimants = headcount(f, AC_NEW_CLAIMANTS, "confirmed_new_claimants");
				if (claimants == 0)
					r->zero = true;
				else if (average_cents <= 0)
					r->missing = FACT(F_INSURED_AVERAGE);
				else
					r->exact = true, r->num = claimants, r->den_cents = average_cents;
				return;
			}
	}
}

/*
 * Whether num / (den_cents / 100), in per cent, is below (or, not_above, at
 * most) threshold per cent (x 10^4) times factor (x 100), exactly:
 * num * 10^4 / den_cents against threshold * factor / 10^6, cross-multiplied.
 */
static bool
rate_passes(int64 num, int64 den_cents, int64 threshold, int64 factor, bool not_above)
{
	int128		lhs = (int128) num * INT64CONST(10000000000);
	int128		rhs = (int128) threshold * factor * den_cents;

	return not_above ? lhs <= rhs : lhs < rhs;
}

/*
 * The layoff rate in per cent x 10^4, truncated: a threshold has at most four
 * decimals, so the truncated rate passes exactly when the rate does, and what
 * a clerk reads never contradicts the verdict.
 */
static int64
layoff_rate(int64 num, int64 den_cents)
{
	int128		rate = (int128) num * 100000000 / den_cents;

	return rate > PG_INT64_MAX ? PG_INT64_MAX : (int64) rate;
}

typedef enum Tri
{
	T_UNKNOWN = -1, T_FAIL = 0, T_PASS = 1
} Tri;

/* The rate against one threshold: pass, fail, or unknown with what is missing. */
static Tri
rate_test(const Rate *r, int64 threshold, bool not_above, int64 factor, uint64 threshold_fact, uint64 *missing)
{
	if (r->zero)
		return T_PASS;
	if (!r->exact && !r->upper)
	{
		*missing |= r->missing;
		return T_UNKNOWN;
	}
	if (threshold < 0)
	{
		*missing |= threshold_fact;
		return T_UNKNOWN;
	}
	if (rate_passes(r->num, r->den_cents, threshold, factor, not_above))
		return T_PASS;			/* an upper bound that passes: the rate passes */
	if (r->upper)
	{
		*missing |= r->missing;
		return T_UNKNOWN;
	}
	return T_FAIL;
}

/*
 * E2 for one size class (large 1, else 中小微): the set's test for the class,
 * with the factor for decapacity and key-supported enterprises where it could
 * change the result, or the small-unit alternative where the class has it.
 */
static Tri
e2_for_class(Facts *f, const Policy *p, const Rate *r, int large, uint64 *missing, uint8 *how, int64 *shown)
{
	const LayoffTest *t = large ? &p->test_large : &p->test_sme;
	uint64		threshold_fact = t->source == TS_NATIONAL ? FACT(F_NATIONAL_TARGET) : FACT(F_THRESHOLD);
	uint64		main_missing = 0;
	Tri			main = rate_test(r, t->threshold, t->not_above, 100, threshold_fact, &main_missing);
	Tri			small = T_FAIL;
	uint64		small_missing = 0;

	*how = (uint8) t->source | (t->not_above ? E2_NOT_ABOVE : 0);
	*shown = t->threshold;
	if (main == T_FAIL && p->priority_factor != 100)
	{
		uint64		unknown = 0;
		int			priority = priority_enterprise(f, &unknown);
		Tri			relaxed = rate_test(r, t->threshold, t->not_above, p->priority_factor, threshold_fact, &main_missing);

		/* a priority enterprise is tested, and told, against the relaxed threshold */
		if (priority == 1 && t->threshold >= 0)
			*shown = t->threshold * p->priority_factor / 100;
		if (relaxed == T_PASS && priority == 1)
			main = T_PASS;
		else if (relaxed == T_PASS && priority < 0)
			main = T_UNKNOWN, main_missing |= unknown;
	}
	if (main == T_PASS)
		return T_PASS;
	if (p->small_units == SMALL_UNITS_ALL || (p->small_units == SMALL_UNITS_SME && !large))
	{
		/* at most small_unit_headcount average insured, and a rate not above small_unit_rate */
		if (!KNOWN(f, AC_INSURED_AVERAGE))
			small = T_UNKNOWN, small_missing |= FACT(F_INSURED_AVERAGE);
		else if (fen(f, AC_INSURED_AVERAGE) <= p->small_unit_headcount)
			small = rate_test(r, p->small_unit_rate, true, 100, 0, &small_missing);
		if (small == T_PASS)
		{
			*how |= E2_SMALL_UNIT;
			return T_PASS;
		}
	}
	if (main == T_FAIL && small == T_FAIL)
		return T_FAIL;
	*missing |= main_missing | small_missing;
	return T_UNKNOWN;
}

/*
 * E2 layoffs: none, or a layoff rate that passes the set's test for the
 * unit's size class, or its small-unit alternative, exactly.  Where the class
 * is unknown it is asked for only if the classes would decide differently.
 */
static void
rule_e2(Facts *f, const Policy *p, const EngineState *st, Work *w)
{
	Rate		r;
	uint64		missing = 0;
	uint64		unknown = 0;
	uint8		how;
	int			large;
	Tri			result;

	layoff_rate_of(f, p, &r);
	large = size_class(f, p, st, &unknown);
	if (large < 0)
	{
		uint64		missing_large = 0,
					missing_sme = 0;
		uint8		how_sme;
		int64		shown_sme;
		Tri			as_large = e2_for_class(f, p, &r, 1, &missing_large, &how, &w->v->threshold);
		Tri			as_sme = e2_for_class(f, p, &r, 0, &missing_sme, &how_sme, &shown_sme);

		if (as_large == as_sme && as_large != T_UNKNOWN)
			result = as_large;
		else
		{
			result = T_UNKNOWN;
			missing = missing_large | missing_sme | (as_large != as_sme ? unknown : 0);
		}
	}
	else
		result = e2_for_class(f, p, &r, large, &missing, &how, &w->v->threshold);
	/* the rate is shown when it is known, or when a bound of it already passes */
	if (r.zero)
		w->v->layoff_rate = 0;
	else if (r.exact || (r.upper && result == T_PASS))
		w->v->layoff_rate = layoff_rate(r.num, r.den_cents);
	w->v->e2_test = how;
	if (how & E2_SMALL_UNIT)
	{
		/* the test that passed is the one the clerk reads */
		w->v->threshold = p->small_unit_rate;
		w->v->small_unit_headcount = (uint16) Min(p->small_unit_headcount / 100, PG_UINT16_MAX);
	}
	conclude(w, RULE_E2, result == T_FAIL ? BIT(R_LAYOFF_RATE) : 0, result == T_UNKNOWN ? missing : 0);
}

/* E3, E4: review results that must be true. */
static void
rule_must_hold(const Facts *f, AppColumn c, Rule rule, Fact fact, Reason reason, Work *w)
{
	int			t = tri(f, c);

	conclude(w, rule, t == 0 ? BIT(reason) : 0, t < 0 ? FACT(fact) : 0);
}

/* E6 last year's subsidy, if any, used for the permitted purposes. */
static void
rule_e6(Facts *f, Work *w)
{
	int			prior = amount_sign(f, AC_PRIOR);
	int			proper = tri(f, AC_PRIOR_PROPER);

	if (prior == 0 || proper == 1)
		return;
	/* an improper use fails only a prior subsidy known to be there: one of 0 passes */
	conclude(w, RULE_E6, (proper == 0 && prior > 0) ? BIT(R_PRIOR_MISUSED) : 0,
			 (prior < 0 ? FACT(F_PRIOR_SUBSIDY) : 0) | (proper < 0 ? FACT(F_PRIOR_USE) : 0));
}

/*
 * E7 the fund (the region's, or from 2024 the province's) covers the months;
 * E8 filed inside the window, where the year has one (in screening, or where
 * the set needs none, a region without a window takes applications all year).
 */
static void
rules_of_region(const Facts *f, const Policy *p, Work *w)
{
	if (p->fund_balance_known && p->fund_expenditure_known)
		conclude(w, RULE_E7, p->fund_covered ? 0 : BIT(R_FUND_COVER), 0);
	else
		conclude(w, RULE_E7, 0, (p->fund_balance_known ? 0 : FACT(F_FUND_BALANCE)) |
				 (p->fund_expenditure_known ? 0 : FACT(F_FUND_EXPENDITURE)));

	if (p->screening)
		return;
	if (!p->has_window)
	{
		if (p->window_required)
			conclude(w, RULE_E8, 0, FACT(F_WINDOW) | (KNOWN(f, AC_SUBMITTED_ON) ? 0 : FACT(F_SUBMITTED_ON)));
		return;
	}
	if (!KNOWN(f, AC_SUBMITTED_ON))
		conclude(w, RULE_E8, 0, FACT(F_SUBMITTED_ON));
	else
	{
		DateADT		filed = DatumGetDateADT(VAL(f, AC_SUBMITTED_ON));

		conclude(w, RULE_E8, (filed < p->window_opens || filed > p->window_closes) ?
				 BIT(R_OUTSIDE_WINDOW) : 0, 0);
	}
}

/* E10 a spot check that found false data. */
static void
rule_e10(const Facts *f, const EngineState *st, Work *w)
{
	Oid			result;

	if (!KNOWN(f, AC_SPOT_CHECK))
		return;					/* not drawn */
	result = DatumGetObjectId(VAL(f, AC_SPOT_CHECK));
	conclude(w, RULE_E10, result == st->spot_false_data_oid ? BIT(R_FALSE_DATA) : 0,
			 result == st->spot_pending_oid ? FACT(F_SPOT_CHECK) : 0);
}

/*
 * E11 premiums paid in full for the set's months; E12 a kind of unit the set
 * covers; E13 not on the serious-dishonesty list (like E5, whatever else).
 */
static void
rules_of_regime(const Facts *f, const Policy *p, const EngineState *st, Work *w)
{
	if (p->min_full_months >= 0)
	{
		w->v->regime_rules |= BIT(RULE_E11);
		if (!KNOWN(f, AC_FULL_MONTHS))
			conclude(w, RULE_E11, 0, FACT(F_FULL_MONTHS));
		else
			conclude(w, RULE_E11, headcount(f, AC_FULL_MONTHS, "confirmed_full_contribution_months") <
					 p->min_full_months ? BIT(R_FULL_MONTHS) : 0, 0);
	}
	if (!p->six_kinds_covered)
	{
		int			six = six_kind(f, st);

		w->v->regime_rules |= BIT(RULE_E12);
		conclude(w, RULE_E12, six == 1 ? BIT(R_UNIT_KIND) : 0, six < 0 ? FACT(F_UNIT_KIND) : 0);
	}
	if (p->dishonesty_rule)
		w->v->regime_rules |= BIT(RULE_E13);
	if (p->dishonesty_rule)
		conclude(w, RULE_E13, tri(f, AC_DISHONESTY) == 1 ? BIT(R_DISHONESTY) : 0,
				 tri(f, AC_DISHONESTY) < 0 ? FACT(F_DISHONESTY) : 0);
}

/* An amount rule that applies, with its basis and rate and the exact product in thousandths of a fen. */
typedef struct Candidate
{
	uint8		rule;			/* amount_rule: 1 A1, 2 A2, 3 A3, 4 A7 */
	Basis		basis;
	int64		basis_amount;	/* fen */
	int32		rate;			/* x 1000 */
	int128		product;		/* fen x 1000 */
} Candidate;

static void
candidate(Candidate *c, uint8 rule, Basis basis, int64 basis_amount, int32 rate, int128 product)
{
	c->rule = rule;
	c->basis = basis;
	c->basis_amount = basis_amount;
	c->rate = rate;
	c->product = product;
}

/* A1: the rate of the unit's size class (and, where the set changes it in the year, of the decision date). */
static bool
amount_a1(Facts *f, const Policy *p, const EngineState *st, Work *w, Candidate *c)
{
	uint64		unknown = 0;
	int			large = (p->rate_large == p->rate_small_micro && p->early_rate_large < 0) ? 1 :
		size_class(f, p, st, &unknown);
	int32		rate;

	if (large < 0)
	{
		/* a large unit's rate would also need the decision day: one trip for both (E0) */
		if (p->early_rate_large >= 0 && !KNOWN(f, AC_DECIDED_ON))
			unknown |= FACT(F_DECIDED_ON);
		conclude(w, RULE_A1, 0, unknown);
		return false;
	}
	if (!KNOWN(f, AC_PAID))
		return false;			/* E1 asks for it */
	rate = large ? p->rate_large : p->rate_small_micro;
	if (large && p->early_rate_large >= 0)
	{
		if (!KNOWN(f, AC_DECIDED_ON))
		{
			conclude(w, RULE_A1, 0, FACT(F_DECIDED_ON));
			return false;
		}
		if (DatumGetDateADT(VAL(f, AC_DECIDED_ON)) < p->rate_large_from)
			rate = p->early_rate_large;
	}
	candidate(c, 1, BASIS_PAID, fen(f, AC_PAID), rate, (int128) fen(f, AC_PAID) * rate);
	return true;
}

/*
 * A7 (2019-2020): a unit hrss recognised as in temporary difficulty, where its
 * region's own fund covers the set's months (24): months x the region's
 * average monthly benefit x its average insured, or months x 50 % of its
 * monthly premiums payable.  Returns whether it applies; missing facts leave
 * A7 open.
 */
static bool
amount_a7(Facts *f, const Policy *p, Work *w, Candidate *c)
{
	int			recognised = tri(f, AC_HARDSHIP);

	if (p->hardship_months < 0 || recognised == 0)
		return false;
	if (recognised < 0)
	{
		conclude(w, RULE_A7, 0, FACT(F_HARDSHIP));
		return false;
	}
	if (!p->hardship_fund_known)
	{
		conclude(w, RULE_A7, 0, FACT(F_REGION_FUND));
		return false;
	}
	if (!p->hardship_fund_covered)
		return false;			/* a fund short of the months: A1 as for any unit */
	if (p->hardship_by_premiums)
	{
		if (!KNOWN(f, AC_MONTHLY_PREMIUMS))
		{
			conclude(w, RULE_A7, 0, FACT(F_MONTHLY_PREMIUMS));
			return false;
		}
		/* months/10 x 50 % x premiums: in thousandths of a fen, months x premiums x 50 */
		candidate(c, 4, BASIS_MONTHLY_PREMIUMS, fen(f, AC_MONTHLY_PREMIUMS), p->hardship_months * 50,
				  (int128) p->hardship_months * fen(f, AC_MONTHLY_PREMIUMS) * 50);
		return true;
	}
	if (p->average_benefit < 0 || !KNOWN(f, AC_INSURED_AVERAGE))
	{
		conclude(w, RULE_A7, 0, (p->average_benefit < 0 ? FACT(F_AVERAGE_BENEFIT) : 0) |
				 (KNOWN(f, AC_INSURED_AVERAGE) ? 0 : FACT(F_INSURED_AVERAGE)));
		return false;
	}
	/* months/10 x benefit x average/100: in thousandths of a fen, months x benefit x average */
	candidate(c, 4, BASIS_BENEFIT, (p->average_benefit * fen(f, AC_INSURED_AVERAGE) + 50) / 100,
			  p->hardship_months * 100,
			  (int128) p->hardship_months * p->average_benefit * fen(f, AC_INSURED_AVERAGE));
	return true;
}

/*
 * Which amount rule applies: A3 for arrears in other years (its only path);
 * else, in section 6's order, A2 before A1, and A7 where it gives more than
 * A1; or, where the set says so (Jilin 2019-2020), the largest of A1, A2 and
 * A7, A2 naming a tie.
 */
static bool
amount_rule(Facts *f, const Policy *p, const EngineState *st, Work *w, Candidate *chosen)
{
	int			arrears_other = amount_sign(f, AC_ARREARS_OTHER);
	Candidate	a1,
				a2,
				a7;
	bool		has_a1,
				has_a2 = false,
				has_a7;

	if (arrears_other < 0 || !KNOWN(f, AC_ARREARS_BASIS) || !KNOWN(f, AC_PAYABLE))
		return false;			/* E1 already asks for them */
	if (arrears_other == 1)
	{
		candidate(chosen, 3, BASIS_PAYABLE, fen(f, AC_PAYABLE), p->arrears_path_rate,
				  (int128) fen(f, AC_PAYABLE) * p->arrears_path_rate);
		return true;
	}
	if (p->decapacity_rate >= 0)
	{
		int			decapacity = tri(f, AC_DECAPACITY);

		if (decapacity < 0)
		{
			conclude(w, RULE_A2, 0, FACT(F_DECAPACITY));
			return false;
		}
		if (decapacity == 1)
		{
			candidate(&a2, 2, BASIS_PAYABLE, fen(f, AC_PAYABLE), p->decapacity_rate,
					  (int128) fen(f, AC_PAYABLE) * p->decapacity_rate);
			has_a2 = true;
			if (!p->amount_largest)
			{
				*chosen = a2;
				return true;
			}
		}
	}
	has_a1 = amount_a1(f, p, st, w, &a1);
	has_a7 = amount_a7(f, p, w, &a7);
	if (!has_a1 || (w->v->open & (BIT(RULE_A1) | BIT(RULE_A7))))
		return false;			/* what the amount needs is missing */
	*chosen = a1;
	if (has_a7 && a7.product > chosen->product)
		*chosen = a7;
	if (has_a2 && a2.product >= chosen->product)
		*chosen = a2;
	return true;
}

/* Every rule, in order, into *v. */
static void
decide(Facts *f, const Policy *p, const EngineState *st, Verdict *v)
{
	Work		w = {v, 0};
	Candidate	c;

	memset(v, 0, sizeof(*v));
	v->version = VERDICT_VERSION;
	v->layoff_rate = v->threshold = -1;
	v->fund_cover = v->fund_required = -1;
	v->rate = -1;
	if (p == NULL)
	{
		v->outcome = OUTCOME_UNDETERMINED;
		VERDICT_SET_MISSING(v, FACT(F_POLICY));
		return;
	}
	v->fund_cover = p->fund_cover;
	v->fund_required = p->fund_required;

	rule_e1(f, p, &w);
	rule_e2(f, p, st, &w);
	rule_must_hold(f, AC_FINANCIAL, RULE_E3, F_FINANCIAL, R_FINANCIAL, &w);
	rule_must_hold(f, AC_COMPLIANT, RULE_E4, F_COMPLIANT, R_NONCOMPLIANT, &w);
	conclude(&w, RULE_E5, tri(f, AC_ZOMBIE) == 1 ? BIT(R_ZOMBIE) : 0,
			 tri(f, AC_ZOMBIE) < 0 ? FACT(F_ZOMBIE) : 0);
	rule_e6(f, &w);
	rules_of_region(f, p, &w);
	rule_e10(f, st, &w);
	rules_of_regime(f, p, st, &w);
	memset(&c, 0, sizeof(c));
	if (v->failed == 0 && !amount_rule(f, p, st, &w, &c))
		c.rule = 0;
	/* ineligible: what the eligibility rules still undecided need (the amount is not computed) */
	VERDICT_SET_MISSING(v, w.missing);

	v->outcome = v->failed ? OUTCOME_INELIGIBLE :
		(v->open || VERDICT_MISSING(v)) ? OUTCOME_UNDETERMINED : OUTCOME_ELIGIBLE;
	if (v->outcome == OUTCOME_ELIGIBLE && c.rule != 0)
	{
		/* A4: half up to the unit; the product is exact in thousandths of a fen */
		int64		unit = (p->rounding_scale == 2) ? 1 : (p->rounding_scale == 1) ? 10 : 100;

		v->amount_rule = c.rule;
		v->basis = c.basis;
		v->basis_amount = c.basis_amount;
		v->rate = (int16) c.rate;
		v->amount = (int64) ((c.product + 500 * unit) / (1000 * unit)) * unit;
		v->amount_scale = p->rounding_scale;
	}
	else
	{
		v->amount_rule = 0;
		v->basis = BASIS_NONE;
		v->rate = -1;
	}
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
		subsidy_require_current_objects();	/* the SQL of another version */
	if (nargs != first_fact + AC_COUNT)
		elog(ERROR, "the engine takes %d facts, not %d", AC_COUNT, nargs - first_fact);
	st->firm_large_oid = enum_label_oid(argtypes[first_fact + AC_FIRM_SIZE], "large");
	st->unit_enterprise_oid = enum_label_oid(argtypes[first_fact + AC_UNIT_KIND], "enterprise");
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
	"financial_management_sound", "policy_compliant", "spot_check", "decided_on", "unit_kind",
	"serious_dishonesty", "confirmed_full_contribution_months", "confirmed_new_claimants",
	"confirmed_monthly_premiums_payable", "hardship_recognised"
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
		st.unit_enterprise_oid = enum_label_oid(TupleDescAttr(desc, attno[AC_UNIT_KIND] - 1)->atttypid, "enterprise");
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
