/*
 * verdict.c: subsidy.verdict, the engine's result as a fixed-width value.
 *
 * A verdict holds everything subsidy.assessment shows, as exact integers and
 * bit sets, in 64 bytes: cheap to produce for millions of rows and small to
 * store.  Its text form names everything in words, one key=value token each:
 *
 *   eligible rule=A1 basis=paid base=150000.50 rate=0.500 amount=75000.25
 *            layoff=1.0000 threshold=3.46 cover=26.40 required=12.0
 *   ineligible failed=E1,E5 reasons=E1.arrears_basis_year,E5.zombie ...
 *
 * and it reads back exactly, for pg_dump and COPY.
 */
#include "subsidy.h"

#include "common/int.h"

#include "access/htup_details.h"
#include "catalog/pg_enum.h"
#include "catalog/pg_type.h"
#include "common/int.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"

StaticAssertDecl(sizeof(Verdict) == 64, "subsidy.verdict is 64 bytes on disk");

const char *const rule_id[RULE_COUNT] = {
	"E1", "E2", "E3", "E4", "E5", "E6", "E7", "E8", "E10", "A1", "A2", "A3", "E11", "E12", "E13", "A7"
};

/* Facts a rule may find missing (E0), named after the columns that hold them. */
const char *const fact_name[F_COUNT] = {
	"policy_year", "submitted_on", "application_window", "confirmed_arrears_basis_year",
	"confirmed_premiums_paid", "confirmed_premiums_payable", "confirmed_arrears_other_years",
	"confirmed_deferral_agreement", "decapacity", "key_supported", "confirmed_layoffs",
	"confirmed_insured_start", "confirmed_insured_end", "confirmed_insured_average",
	"confirmed_retirements_deaths", "registered_unemployment_rate", "financial_management_sound",
	"policy_compliant", "zombie", "confirmed_prior_subsidy", "confirmed_prior_subsidy_use_proper",
	"fund_balance", "monthly_fund_expenditure", "firm_size", "spot_check", "unit_kind",
	"serious_dishonesty", "confirmed_full_contribution_months", "confirmed_new_claimants",
	"confirmed_monthly_premiums_payable", "hardship_recognised", "average_monthly_benefit", "decided_on",
	"surveyed_unemployment_target", "region_fund"
};

const char *const reason_code[R_COUNT] = {
	"E1.arrears_basis_year", "E1.paid_below_payable", "E1.arrears_other_years",
	"E2.layoff_rate", "E3.financial_management", "E4.policy_noncompliance", "E5.zombie",
	"E6.prior_subsidy_misused", "E7.fund_cover", "E8.outside_window", "E10.false_data",
	"E11.full_contribution_months", "E12.unit_kind", "E13.serious_dishonesty"
};

const char *const outcome_label[OUTCOME_COUNT] = {"eligible", "ineligible", "undetermined"};

static const char *const basis_label[] = {"", "paid", "payable", "benefit", "monthly_premiums"};

#define BASIS_COUNT lengthof(basis_label)

/* E2's test as the text form names it: the threshold's source and comparator. */
static const char *const source_label[] = {"", "region", "parent", "fixed", "national"};

/* Fields of subsidy.assessment, in order. */
enum
{
	AS_OUTCOME, AS_RULE, AS_BASIS, AS_BASIS_AMOUNT, AS_RATE, AS_AMOUNT, AS_LAYOFF_RATE,
	AS_LAYOFF_THRESHOLD, AS_FUND_COVER_MONTHS, AS_FUND_COVER_REQUIRED, AS_FAILED_RULES,
	AS_OPEN_RULES, AS_MISSING_FACTS, AS_REASONS, AS_THRESHOLD_SOURCE, AS_COMPARATOR,
	AS_SMALL_UNIT_HEADCOUNT, AS_REGIME_RULES, AS_COUNT
};

/* value / 10^scale in decimal, with `places` decimals (at least `min_places`, trailing zeros trimmed). */
static void
append_scaled(StringInfo buf, int64 value, int scale, int min_places)
{
	char		digits[32];
	int			len;
	int			places = scale;
	uint64		magnitude = value < 0 ? -(uint64) value : (uint64) value;

	len = snprintf(digits, sizeof(digits), "%0*llu", scale + 1, (unsigned long long) magnitude);
	while (places > min_places && digits[len - 1] == '0')
		digits[--len] = '\0', places--;
	if (value < 0)
		appendStringInfoChar(buf, '-');
	appendBinaryStringInfo(buf, digits, len - places);
	if (places > 0)
	{
		appendStringInfoChar(buf, '.');
		appendBinaryStringInfo(buf, digits + len - places, places);
	}
}

static void
append_names(StringInfo buf, const char *key, uint64 bits, const char *const *names, int count)
{
	bool		first = true;

	if (bits == 0)
		return;
	appendStringInfo(buf, " %s=", key);
	for (int i = 0; i < count; i++)
		if (bits & ((uint64) 1 << i))
		{
			if (!first)
				appendStringInfoChar(buf, ',');
			appendStringInfoString(buf, names[i]);
			first = false;
		}
}

PG_FUNCTION_INFO_V1(verdict_out);
/* Text output: the outcome, then key=value tokens for what the verdict holds. */
Datum
verdict_out(PG_FUNCTION_ARGS)
{
	Verdict    *v = DatumGetVerdictP(PG_GETARG_DATUM(0));
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfoString(&buf, v->outcome < OUTCOME_COUNT ? outcome_label[v->outcome] : "?");
	if (v->amount_rule >= 1 && v->amount_rule <= 4)
	{
		appendStringInfo(&buf, " rule=%s basis=%s base=", rule_id[AMOUNT_RULE(v->amount_rule)],
						 basis_label[v->basis < BASIS_COUNT ? v->basis : 0]);
		append_scaled(&buf, v->basis_amount, 2, 2);
		appendStringInfoString(&buf, " rate=");
		append_scaled(&buf, v->rate, 3, 3);
		appendStringInfoString(&buf, " amount=");
		append_scaled(&buf, v->amount / (v->amount_scale == 2 ? 1 : v->amount_scale == 1 ? 10 : 100),
					  v->amount_scale, v->amount_scale);
	}
	if (v->layoff_rate >= 0)
	{
		appendStringInfoString(&buf, " layoff=");
		append_scaled(&buf, v->layoff_rate, 4, 4);
	}
	if (v->threshold >= 0)
	{
		appendStringInfoString(&buf, " threshold=");
		append_scaled(&buf, v->threshold, 4, 2);
	}
	if ((v->e2_test & E2_SOURCE_MASK) != 0 && (v->e2_test & E2_SOURCE_MASK) < lengthof(source_label))
		appendStringInfo(&buf, " source=%s", source_label[v->e2_test & E2_SOURCE_MASK]);
	if (v->e2_test & E2_NOT_ABOVE)
		appendStringInfoString(&buf, " comparator=not_above");
	if (v->e2_test & E2_SMALL_UNIT)
		appendStringInfo(&buf, " small_unit=%u", (unsigned) v->small_unit_headcount);
	if (v->fund_cover >= 0)
	{
		appendStringInfoString(&buf, " cover=");
		append_scaled(&buf, v->fund_cover, 2, 2);
	}
	if (v->fund_required >= 0)
	{
		appendStringInfoString(&buf, " required=");
		append_scaled(&buf, v->fund_required, 1, 1);
	}
	append_names(&buf, "regime", v->regime_rules, rule_id, RULE_COUNT);
	append_names(&buf, "failed", v->failed, rule_id, RULE_COUNT);
	append_names(&buf, "open", v->open, rule_id, RULE_COUNT);
	append_names(&buf, "missing", VERDICT_MISSING(v), fact_name, F_COUNT);
	append_names(&buf, "reasons", v->reasons, reason_code, R_COUNT);
	PG_RETURN_CSTRING(buf.data);
}

/* Raise a 22P02 for a verdict's text form. */
static pg_noreturn void
bad_verdict(const char *input, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type verdict: \"%s\"", input),
			 errdetail_internal("%s", detail),
			 errhint("A verdict is written as subsidy.verdict prints it: an outcome, then key=value tokens.")));
}

/*
 * A decimal with at most `scale` places, as value * 10^scale, from 0 to max;
 * *places gets the places written.  Every field verdict_out prints is at
 * least 0, so a sign is refused; arithmetic is checked, so that every value
 * verdict_out can print reads back and nothing larger wraps.
 */
static int64
parse_scaled(const char *input, const char *text, int scale, int *places, int64 max)
{
	int64		value = 0;
	int			written = -1;
	const char *c = text;

	if (*c == '\0')
		bad_verdict(input, _("A number is empty."));
	for (; *c; c++)
	{
		if (*c == '.' && written < 0)
		{
			written = 0;
			continue;
		}
		if (*c < '0' || *c > '9' || (written >= 0 && ++written > scale))
			bad_verdict(input, _("A number is written with digits, a point and at most its decimal places, and no sign."));
		if (pg_mul_s64_overflow(value, 10, &value) || pg_add_s64_overflow(value, *c - '0', &value))
			bad_verdict(input, _("A number is too large."));
	}
	written = Max(written, 0);
	if (places)
		*places = written;
	for (int i = written; i < scale; i++)
		if (pg_mul_s64_overflow(value, 10, &value))
			bad_verdict(input, _("A number is too large."));
	if (value > max)
		bad_verdict(input, _("A number is too large for its field."));
	return value;
}

/* The bits of a comma-separated list of names. */
static uint64
parse_names(const char *input, char *list, const char *const *names, int count)
{
	uint64		bits = 0;
	char	   *save;

	for (char *name = strtok_r(list, ",", &save); name; name = strtok_r(NULL, ",", &save))
	{
		int			i;

		for (i = 0; i < count && strcmp(names[i], name) != 0; i++)
			;
		if (i == count)
			bad_verdict(input, psprintf(_("\"%s\" is not a name this list takes."), name));
		bits |= (uint64) 1 << i;
	}
	return bits;
}

/* The keys of the text form, in the order verdict_out writes them. */
typedef enum VerdictKey
{
	VK_RULE, VK_BASIS, VK_BASE, VK_RATE, VK_AMOUNT, VK_LAYOFF, VK_THRESHOLD, VK_SOURCE, VK_COMPARATOR,
	VK_SMALL_UNIT, VK_COVER, VK_REQUIRED, VK_REGIME, VK_FAILED, VK_OPEN, VK_MISSING, VK_REASONS, VK_COUNT
} VerdictKey;

static const char *const verdict_key[VK_COUNT] = {
	"rule", "basis", "base", "rate", "amount", "layoff", "threshold", "source", "comparator", "small_unit",
	"cover", "required", "regime", "failed", "open", "missing", "reasons"
};

#define AMOUNT_KEYS ((1u << VK_RULE) | (1u << VK_BASIS) | (1u << VK_BASE) | (1u << VK_RATE) | (1u << VK_AMOUNT))

PG_FUNCTION_INFO_V1(verdict_in);
/* Text input: what verdict_out writes. */
Datum
verdict_in(PG_FUNCTION_ARGS)
{
	char	   *input = PG_GETARG_CSTRING(0);
	char	   *copy = pstrdup(input);
	Verdict    *v = palloc0(sizeof(Verdict));
	char	   *save;
	char	   *token = strtok_r(copy, " ", &save);
	int			outcome;
	uint32		seen = 0;

	v->version = VERDICT_VERSION;
	v->layoff_rate = v->threshold = -1;
	v->fund_cover = v->rate = v->fund_required = -1;
	if (token == NULL)
		bad_verdict(input, _("It is empty."));
	for (outcome = 0; outcome < OUTCOME_COUNT && strcmp(token, outcome_label[outcome]) != 0; outcome++)
		;
	if (outcome == OUTCOME_COUNT)
		bad_verdict(input, _("It must start with eligible, ineligible or undetermined."));
	v->outcome = outcome;

	while ((token = strtok_r(NULL, " ", &save)) != NULL)
	{
		char	   *value = strchr(token, '=');
		int			key;

		if (value == NULL)
			bad_verdict(input, psprintf(_("\"%s\" is not a key=value token."), token));
		*value++ = '\0';
		for (key = 0; key < VK_COUNT && strcmp(token, verdict_key[key]) != 0; key++)
			;
		if (key == VK_COUNT)
			bad_verdict(input, psprintf(_("\"%s\" is not a key a verdict has."), token));
		if (seen & (1u << key))
			bad_verdict(input, psprintf(_("\"%s\" is given twice."), token));
		seen |= 1u << key;
		switch ((VerdictKey) key)
		{
			case VK_RULE:
				{
					int			n;

					for (n = 1; n <= 4 && strcmp(rule_id[AMOUNT_RULE(n)], value) != 0; n++)
						;
					if (n > 4)
						bad_verdict(input, _("The rule must be A1, A2, A3 or A7."));
					v->amount_rule = n;
					break;
				}
			case VK_BASIS:
				{
					int			b;

					for (b = BASIS_PAID; b < BASIS_COUNT && strcmp(basis_label[b], value) != 0; b++)
						;
					if (b == BASIS_COUNT)
						bad_verdict(input, _("The basis must be paid, payable, benefit or monthly_premiums."));
					v->basis = b;
					break;
				}
			case VK_SOURCE:
				{
					int			src;

					for (src = TS_REGION; src < lengthof(source_label) && strcmp(source_label[src], value) != 0; src++)
						;
					if (src == lengthof(source_label))
						bad_verdict(input, _("The source must be region, parent, fixed or national."));
					v->e2_test |= src;
					break;
				}
			case VK_COMPARATOR:
				if (strcmp(value, "not_above") != 0)
					bad_verdict(input, _("The comparator is written only where it is not_above."));
				v->e2_test |= E2_NOT_ABOVE;
				break;
			case VK_SMALL_UNIT:
				/* passed by the small-unit test, for units of at most this many insured */
				v->small_unit_headcount = (uint16) parse_scaled(input, value, 0, NULL, PG_UINT16_MAX);
				v->e2_test |= E2_SMALL_UNIT;
				break;
			case VK_BASE:
				v->basis_amount = parse_scaled(input, value, 2, NULL, PG_INT64_MAX);
				break;
			case VK_RATE:
				v->rate = (int16) parse_scaled(input, value, 3, NULL, PG_INT16_MAX);
				break;
			case VK_AMOUNT:
				{
					int			places;

					v->amount = parse_scaled(input, value, 2, &places, PG_INT64_MAX);
					v->amount_scale = places;
					break;
				}
			case VK_LAYOFF:
				v->layoff_rate = parse_scaled(input, value, 4, NULL, PG_INT64_MAX);
				break;
			case VK_THRESHOLD:
				v->threshold = parse_scaled(input, value, 4, NULL, PG_INT64_MAX);
				break;
			case VK_COVER:
				v->fund_cover = (int32) parse_scaled(input, value, 2, NULL, PG_INT32_MAX);
				break;
			case VK_REQUIRED:
				v->fund_required = (int16) parse_scaled(input, value, 1, NULL, PG_INT16_MAX);
				break;
			case VK_REGIME:
				v->regime_rules = parse_names(input, value, rule_id, RULE_COUNT);
				break;
			case VK_FAILED:
				v->failed = parse_names(input, value, rule_id, RULE_COUNT);
				break;
			case VK_OPEN:
				v->open = parse_names(input, value, rule_id, RULE_COUNT);
				break;
			case VK_MISSING:
				{
					uint64		bits = parse_names(input, value, fact_name, F_COUNT);

					VERDICT_SET_MISSING(v, bits);
					break;
				}
			case VK_REASONS:
				v->reasons = parse_names(input, value, reason_code, R_COUNT);
				break;
			case VK_COUNT:
				break;
		}
	}
	/* an eligible verdict has all of its amount, and the others none of it */
	if (v->outcome == OUTCOME_ELIGIBLE ? (seen & AMOUNT_KEYS) != AMOUNT_KEYS : (seen & AMOUNT_KEYS) != 0)
		bad_verdict(input, _("An eligible verdict has a rule, a basis, a base, a rate and an amount; others have none."));
	PG_RETURN_POINTER(v);
}

PG_FUNCTION_INFO_V1(verdict_send);
/* Binary output: the text form, which is exact and self-describing. */
Datum
verdict_send(PG_FUNCTION_ARGS)
{
	char	   *text = DatumGetCString(DirectFunctionCall1(verdict_out, PG_GETARG_DATUM(0)));
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendtext(&buf, text, strlen(text));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(verdict_recv);
/* Binary input: the text form, checked like text input. */
Datum
verdict_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			nbytes;
	char	   *text = pq_getmsgtext(buf, buf->len - buf->cursor, &nbytes);

	return DirectFunctionCall1(verdict_in, CStringGetDatum(text));
}

PG_FUNCTION_INFO_V1(verdict_eq);
/* Equal verdicts are equal bytes: padding is always zeroed. */
Datum
verdict_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(memcmp(DatumGetPointer(PG_GETARG_DATUM(0)), DatumGetPointer(PG_GETARG_DATUM(1)),
						  sizeof(Verdict)) == 0);
}

PG_FUNCTION_INFO_V1(verdict_ne);
/* The negation of verdict_eq. */
Datum
verdict_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(memcmp(DatumGetPointer(PG_GETARG_DATUM(0)), DatumGetPointer(PG_GETARG_DATUM(1)),
						  sizeof(Verdict)) != 0);
}

/* An enum label's oid; the label is the extension's, so its absence is a bug. */
Oid
enum_label_oid(Oid enumtype, const char *label)
{
	Oid			oid = GetSysCacheOid2(ENUMTYPOIDNAME, Anum_pg_enum_oid,
									  ObjectIdGetDatum(enumtype), CStringGetDatum(label));

	if (!OidIsValid(oid))
		elog(ERROR, "enum %s has no label \"%s\"", format_type_be(enumtype), label);
	return oid;
}

/* A text[] of the names whose bits are set. */
static Datum
names_array(uint64 bits, const char *const *names, int count)
{
	Datum		elems[64];
	int			n = 0;

	for (int i = 0; i < count; i++)
		if (bits & ((uint64) 1 << i))
			elems[n++] = CStringGetTextDatum(names[i]);
	return PointerGetDatum(construct_array(elems, n, TEXTOID, -1, false, TYPALIGN_INT));
}

/* The subsidy.assessment row (desc) that a verdict expands into. */
Datum
verdict_to_assessment(const Verdict *v, TupleDesc desc)
{
	Datum		values[AS_COUNT];
	bool		isnull[AS_COUNT];

	memset(isnull, true, sizeof(isnull));
	values[AS_OUTCOME] = ObjectIdGetDatum(enum_label_oid(TupleDescAttr(desc, AS_OUTCOME)->atttypid,
														 outcome_label[Min(v->outcome, OUTCOME_UNDETERMINED)]));
	isnull[AS_OUTCOME] = false;
	if (v->amount_rule >= 1 && v->amount_rule <= 4)
	{
		values[AS_RULE] = CStringGetTextDatum(rule_id[AMOUNT_RULE(v->amount_rule)]);
		values[AS_BASIS] = ObjectIdGetDatum(enum_label_oid(TupleDescAttr(desc, AS_BASIS)->atttypid,
														   basis_label[v->basis > BASIS_NONE && v->basis < BASIS_COUNT ? v->basis : BASIS_PAID]));
		values[AS_BASIS_AMOUNT] = scaled_to_numeric(v->basis_amount, 2);
		values[AS_RATE] = scaled_to_numeric(v->rate, 3);
		values[AS_AMOUNT] = scaled_to_numeric(v->amount / (v->amount_scale == 2 ? 1 : v->amount_scale == 1 ? 10 : 100),
											  v->amount_scale);
		isnull[AS_RULE] = isnull[AS_BASIS] = isnull[AS_BASIS_AMOUNT] = false;
		isnull[AS_RATE] = isnull[AS_AMOUNT] = false;
	}
	if (v->layoff_rate >= 0)
	{
		values[AS_LAYOFF_RATE] = scaled_to_numeric(v->layoff_rate, 4);
		isnull[AS_LAYOFF_RATE] = false;
	}
	if (v->threshold >= 0)
	{
		/* shown to as many places as it has, at least two: 3.46, 4.325 */
		int			places = (v->threshold % 100 != 0) ? ((v->threshold % 10 != 0) ? 4 : 3) : 2;

		values[AS_LAYOFF_THRESHOLD] = scaled_to_numeric(v->threshold / (places == 4 ? 1 : places == 3 ? 10 : 100), places);
		isnull[AS_LAYOFF_THRESHOLD] = false;
	}
	if (v->fund_cover >= 0)
	{
		values[AS_FUND_COVER_MONTHS] = scaled_to_numeric(v->fund_cover, 2);
		isnull[AS_FUND_COVER_MONTHS] = false;
	}
	if (v->fund_required >= 0)
	{
		values[AS_FUND_COVER_REQUIRED] = scaled_to_numeric(v->fund_required, 1);
		isnull[AS_FUND_COVER_REQUIRED] = false;
	}
	/* the type of a database still at 1.1 ends at reasons */
	if (desc->natts < AS_COUNT)
		;
	else if ((v->e2_test & E2_SOURCE_MASK) != 0 && (v->e2_test & E2_SOURCE_MASK) < lengthof(source_label))
	{
		values[AS_THRESHOLD_SOURCE] =
			ObjectIdGetDatum(enum_label_oid(TupleDescAttr(desc, AS_THRESHOLD_SOURCE)->atttypid,
											source_label[v->e2_test & E2_SOURCE_MASK]));
		values[AS_COMPARATOR] =
			ObjectIdGetDatum(enum_label_oid(TupleDescAttr(desc, AS_COMPARATOR)->atttypid,
											(v->e2_test & E2_NOT_ABOVE) ? "not_above" : "below"));
		isnull[AS_THRESHOLD_SOURCE] = isnull[AS_COMPARATOR] = false;
	}
	if ((v->e2_test & E2_SMALL_UNIT) && desc->natts >= AS_COUNT)
	{
		values[AS_SMALL_UNIT_HEADCOUNT] = Int32GetDatum(v->small_unit_headcount);
		values[AS_COMPARATOR] =
			ObjectIdGetDatum(enum_label_oid(TupleDescAttr(desc, AS_COMPARATOR)->atttypid, "not_above"));
		isnull[AS_SMALL_UNIT_HEADCOUNT] = isnull[AS_COMPARATOR] = false;
	}
	if (desc->natts >= AS_COUNT)
	{
		values[AS_REGIME_RULES] = names_array(v->regime_rules, rule_id, RULE_COUNT);
		isnull[AS_REGIME_RULES] = false;
	}
	values[AS_FAILED_RULES] = names_array(v->failed, rule_id, RULE_COUNT);
	values[AS_OPEN_RULES] = names_array(v->open, rule_id, RULE_COUNT);
	values[AS_MISSING_FACTS] = names_array(VERDICT_MISSING(v), fact_name, F_COUNT);
	values[AS_REASONS] = names_array(v->reasons, reason_code, R_COUNT);
	isnull[AS_FAILED_RULES] = isnull[AS_OPEN_RULES] = false;
	isnull[AS_MISSING_FACTS] = isnull[AS_REASONS] = false;
	return HeapTupleGetDatum(heap_form_tuple(desc, values, isnull));
}

PG_FUNCTION_INFO_V1(verdict_assessment);
/* subsidy.assessment(verdict): the verdict in standard types, field by field. */
Datum
verdict_assessment(PG_FUNCTION_ARGS)
{
	TupleDesc	desc = (TupleDesc) fcinfo->flinfo->fn_extra;

	if (desc == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);

		if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "subsidy.assessment(verdict) must return a composite type");
		desc = BlessTupleDesc(desc);
		fcinfo->flinfo->fn_extra = desc;
		MemoryContextSwitchTo(old);
	}
	PG_RETURN_DATUM(verdict_to_assessment(DatumGetVerdictP(PG_GETARG_DATUM(0)), desc));
}
