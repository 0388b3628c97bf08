/*
 * fuzz_verdict.c: subsidy.verdict's text form (src/verdict.c).
 *
 * Target "verdict": fuzzer bytes are the text given to verdict_in (and the
 * message given to verdict_recv).  Target "verdict_value" (fuzz_verdict_value.c,
 * which includes this file): fuzzer bytes are decoded into a verdict of the
 * shape the engine (src/assess.c) stores, which is then printed.
 *
 * Properties:
 *  - verdict_in either returns a verdict or raises 22P02 with its message;
 *  - an accepted verdict has version 1, zero padding and in-range enums;
 *  - round trip: verdict_in(verdict_out(v)) is byte for byte v (equal
 *    verdicts are equal bytes: verdict_eq is memcmp), and prints the same text;
 *  - what the accepted text says, key by key, is what the verdict prints
 *    (nothing dropped, nothing changed by the reading);
 *  - verdict_send writes the text form and verdict_recv reads it back to v;
 *    verdict_recv of the raw input agrees with verdict_in (or raises 22021
 *    for bytes that are not UTF-8).
 */
#include "postgres.h"

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"

#include "subsidy.h"
#include "pg_shim.h"

extern Datum verdict_in(PG_FUNCTION_ARGS);
extern Datum verdict_out(PG_FUNCTION_ARGS);
extern Datum verdict_send(PG_FUNCTION_ARGS);
extern Datum verdict_recv(PG_FUNCTION_ARGS);
extern Datum verdict_eq(PG_FUNCTION_ARGS);
extern Datum verdict_ne(PG_FUNCTION_ARGS);

static const uint8_t *in_data;
static size_t in_size;

#define CHECK(cond, ...) SHIM_ASSERT(in_data, in_size, cond, __VA_ARGS__)

static pg_attribute_unused() void
check_input_error(const char *what)
{
	CHECK(shim_error.sqlerrcode == ERRCODE_INVALID_TEXT_REPRESENTATION,
		  "%s raised SQLSTATE %s, not 22P02: %s", what, shim_sqlstate(shim_error.sqlerrcode),
		  shim_error.message);
	CHECK(strncmp(shim_error.message, "invalid input syntax for type verdict: \"", 40) == 0,
		  "%s raised an unexpected message: %s", what, shim_error.message);
	CHECK(shim_error.detail[0] != '\0' && shim_error.hint[0] != '\0',
		  "%s raised an error without detail or hint: %s", what, shim_error.message);
}

/* A readable dump of a verdict's fields, for failure messages. */
static const char *
fields(const Verdict *v)
{
	return psprintf("outcome=%u amount_rule=%u basis=%u amount=" INT64_FORMAT " scale=%u base=" INT64_FORMAT
					" rate=%d layoff=" INT64_FORMAT " threshold=" INT64_FORMAT " cover=%d required=%d"
					" failed=0x%x open=0x%x missing=0x%x reasons=0x%x version=%u",
					v->outcome, v->amount_rule, v->basis, v->amount, v->amount_scale, v->basis_amount,
					v->rate, v->layoff_rate, v->threshold, v->fund_cover, v->fund_required,
					v->failed, v->open, v->missing, v->reasons, v->version);
}

static void
check_well_formed(const Verdict *v, const char *what)
{
	static const uint8 zero[sizeof(v->padding)];

	CHECK(v->version == VERDICT_VERSION, "%s: version %u", what, v->version);
	CHECK(memcmp(v->padding, zero, sizeof(zero)) == 0, "%s: padding is not zeroed", what);
	/* 1.2: rule 4 is A7, whose bases are the benefit and the monthly premiums */
	CHECK(v->outcome < OUTCOME_COUNT && v->amount_rule <= 4 && v->basis <= BASIS_MONTHLY_PREMIUMS &&
		  v->amount_scale <= 2, "%s: a field is out of range: %s", what, fields(v));
}

/* v prints, and what it prints reads back to v. */
static void
check_round_trip(const Verdict *v)
{
	char	   *out;
	char	   *out2;
	Datum		again;
	bytea	   *sent;
	StringInfoData msg;

	check_well_formed(v, "verdict");
	out = DatumGetCString(DirectFunctionCall1(verdict_out, PointerGetDatum(v)));
	CHECK(shim_try1(verdict_in, CStringGetDatum(out), &again),
		  "verdict_out wrote \"%s\", which verdict_in refuses: %s (%s)", out, shim_error.message,
		  shim_error.detail);
	check_well_formed(DatumGetVerdictP(again), "re-read verdict");
	CHECK(memcmp(v, DatumGetPointer(again), sizeof(Verdict)) == 0,
		  "\"%s\" re-reads to a different verdict:\n  before %s\n  after  %s", out, fields(v),
		  fields(DatumGetVerdictP(again)));
	CHECK(DatumGetBool(DirectFunctionCall2(verdict_eq, PointerGetDatum(v), again)) &&
		  !DatumGetBool(DirectFunctionCall2(verdict_ne, PointerGetDatum(v), again)),
		  "verdict_eq/verdict_ne disagree with the bytes");
	out2 = DatumGetCString(DirectFunctionCall1(verdict_out, again));
	CHECK(strcmp(out, out2) == 0, "printed \"%s\", re-read and printed \"%s\"", out, out2);

	sent = DatumGetByteaPP(DirectFunctionCall1(verdict_send, PointerGetDatum(v)));
	CHECK(VARSIZE_ANY_EXHDR(sent) == strlen(out) && memcmp(VARDATA_ANY(sent), out, strlen(out)) == 0,
		  "verdict_send did not write the text form \"%s\"", out);
	initStringInfo(&msg);
	appendBinaryStringInfo(&msg, VARDATA_ANY(sent), VARSIZE_ANY_EXHDR(sent));
	CHECK(shim_try1(verdict_recv, PointerGetDatum(&msg), &again),
		  "verdict_recv refuses what verdict_send wrote: %s", shim_error.message);
	CHECK(memcmp(v, DatumGetPointer(again), sizeof(Verdict)) == 0,
		  "verdict_recv(verdict_send(v)) is not v for \"%s\"", out);
}

#ifndef VERDICT_VALUE_TARGET

/*
 * Oracle for the text target: what an accepted text says, key by key, as a
 * reader of the text would take it (the last of repeated keys wins, lists are
 * sets, numbers are decimals whatever their zeros), must be what verdict_out
 * prints.  A key that is not written stands for the value verdict_in stores
 * without it (0 for base and amount, -1 in the unit for the others), so only
 * a text whose reading loses or changes something fails.
 */
static const char *const text_keys[] = {
	"rule", "basis", "base", "rate", "amount", "layoff", "threshold", "cover", "required",
	"failed", "open", "missing", "reasons"
};

#define N_TEXT_KEYS lengthof(text_keys)
#define FIRST_LIST_KEY 9

/* What verdict_in stores for a key the text does not have, as a decimal (-1 is "unknown"). */
static const char *const absent_value[FIRST_LIST_KEY] = {
	NULL, NULL, "0", "-0.001", "0", "-0.0001", "-0.0001", "-0.01", "-0.1"
};

/* A decimal in canonical form: no leading or trailing zeros, no "-0". */
static char *
canonical_decimal(const char *value)
{
	bool		negative = value[0] == '-';
	const char *p = negative ? value + 1 : value;
	const char *dot = strchr(p, '.');
	int			int_len = dot ? (int) (dot - p) : (int) strlen(p);
	const char *frac = dot ? dot + 1 : "";
	int			frac_len = strlen(frac);
	StringInfoData buf;

	while (int_len > 0 && *p == '0')
		p++, int_len--;
	while (frac_len > 0 && frac[frac_len - 1] == '0')
		frac_len--;
	initStringInfo(&buf);
	if (negative && (int_len > 0 || frac_len > 0))
		appendStringInfoChar(&buf, '-');
	if (int_len > 0)
		appendBinaryStringInfo(&buf, p, int_len);
	else
		appendStringInfoChar(&buf, '0');
	if (frac_len > 0)
	{
		appendStringInfoChar(&buf, '.');
		appendBinaryStringInfo(&buf, frac, frac_len);
	}
	return buf.data;
}

static int
compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

/* A comma-separated list as a sorted set, NULL when empty. */
static char *
canonical_list(const char *value)
{
	char	   *copy = pstrdup(value);
	char	   *names[64];
	char	   *save;
	int			n = 0;
	StringInfoData buf;

	for (char *name = strtok_r(copy, ",", &save); name && n < lengthof(names); name = strtok_r(NULL, ",", &save))
		names[n++] = name;
	if (n == 0)
		return NULL;
	qsort(names, n, sizeof(char *), compare_strings);
	initStringInfo(&buf);
	for (int i = 0; i < n; i++)
		if (i == 0 || strcmp(names[i], names[i - 1]) != 0)
			appendStringInfo(&buf, "%s%s", i ? "," : "", names[i]);
	return buf.data;
}

/* The outcome and each key's canonical value (NULL when absent) of a verdict text. */
static char *
text_meaning(const char *text, char *values[N_TEXT_KEYS])
{
	char	   *copy = pstrdup(text);
	char	   *outcome = NULL;
	char	   *save;

	memset(values, 0, sizeof(char *) * N_TEXT_KEYS);
	for (char *token = strtok_r(copy, " ", &save); token; token = strtok_r(NULL, " ", &save))
	{
		char	   *eq = strchr(token, '=');

		if (outcome == NULL)
		{
			outcome = token;
			continue;
		}
		if (eq == NULL)
			return NULL;
		*eq = '\0';
		for (int k = 0; k < N_TEXT_KEYS; k++)
			if (strcmp(token, text_keys[k]) == 0)
				values[k] = k >= FIRST_LIST_KEY ? canonical_list(eq + 1) :
					(k <= 1) ? pstrdup(eq + 1) : canonical_decimal(eq + 1);
	}
	/* an absent number is what verdict_in stores without it */
	for (int k = 0; k < FIRST_LIST_KEY; k++)
		if (values[k] == NULL)
			values[k] = (char *) absent_value[k];
	return outcome;
}

static void
check_meaning(const char *input, const Verdict *v)
{
	char	   *out = DatumGetCString(DirectFunctionCall1(verdict_out, PointerGetDatum(v)));
	char	   *said[N_TEXT_KEYS];
	char	   *printed[N_TEXT_KEYS];
	char	   *outcome_said = text_meaning(input, said);
	char	   *outcome_printed = text_meaning(out, printed);

	CHECK(outcome_said && outcome_printed && strcmp(outcome_said, outcome_printed) == 0,
		  "read \"%s\" as outcome %s", input, outcome_printed ? outcome_printed : "?");
	for (int k = 0; k < N_TEXT_KEYS; k++)
		CHECK((said[k] == NULL && printed[k] == NULL) ||
			  (said[k] != NULL && printed[k] != NULL && strcmp(said[k], printed[k]) == 0),
			  "the text says %s=%s but the verdict read from it has %s=%s (it prints \"%s\")",
			  text_keys[k], said[k] ? said[k] : "(nothing)", text_keys[k],
			  printed[k] ? printed[k] : "(nothing)", out);
}


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *input;
	Datum		v = 0;
	bool		accepted;
	StringInfoData msg;
	Datum		received;

	in_data = data;
	in_size = size;
	shim_input_begin();

	input = pnstrdup((const char *) data, size);
	accepted = shim_try1(verdict_in, CStringGetDatum(input), &v);
	if (accepted)
	{
		check_meaning(input, DatumGetVerdictP(v));
		check_round_trip(DatumGetVerdictP(v));
	}
	else
		check_input_error("verdict_in");

	initStringInfo(&msg);
	appendBinaryStringInfo(&msg, (const char *) data, size);
	if (shim_try1(verdict_recv, PointerGetDatum(&msg), &received))
	{
		CHECK(accepted && strlen(input) == size, "verdict_recv accepts what verdict_in refuses");
		CHECK(memcmp(DatumGetPointer(v), DatumGetPointer(received), sizeof(Verdict)) == 0,
			  "verdict_recv and verdict_in read the same text differently");
	}
	else if (shim_error.sqlerrcode == ERRCODE_CHARACTER_NOT_IN_REPERTOIRE)
		CHECK(pg_encoding_verifymbstr(PG_UTF8, (const char *) data, size) != (int) size,
			  "verdict_recv raised 22021 for valid UTF-8: %s", shim_error.message);
	else
	{
		check_input_error("verdict_recv");
		CHECK(!accepted || strlen(input) != size, "verdict_recv refuses what verdict_in accepts");
	}

	shim_input_end();
	return 0;
}

#else							/* VERDICT_VALUE_TARGET */

/* Fuzzer bytes, read as little-endian integers; zeros once they run out. */
typedef struct Reader
{
	const uint8_t *data;
	size_t		size;
	size_t		pos;
} Reader;

static uint64
take(Reader *r, int bytes)
{
	uint64		value = 0;

	for (int i = 0; i < bytes; i++)
		value |= (uint64) (r->pos < r->size ? r->data[r->pos++] : 0) << (8 * i);
	return value;
}

/* A non-negative value, or -1 ("not computed") when the sign bit is set. */
static int64
optional(uint64 raw, int bits)
{
	uint64		sign = (uint64) 1 << (bits - 1);

	return (raw & sign) ? -1 : (int64) (raw & (sign - 1));
}

/*
 * A verdict as src/assess.c's decide() builds one: eligible exactly when
 * there is an amount rule (A1-A3), which has a basis, a non-negative rate
 * and an amount rounded to the unit its scale keeps (A4); otherwise no rule,
 * no basis, rate -1 and zero amounts.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	Reader		r = {data, size, 0};
	Verdict    *v;

	in_data = data;
	in_size = size;
	shim_input_begin();

	v = palloc0(sizeof(Verdict));
	v->version = VERDICT_VERSION;
	v->outcome = take(&r, 1) % OUTCOME_COUNT;
	if (v->outcome == OUTCOME_ELIGIBLE)
	{
		int64		unit;

		v->amount_rule = 1 + take(&r, 1) % 3;
		v->basis = 1 + take(&r, 1) % 2;
		v->rate = (int16) (take(&r, 2) & 0x7FFF);
		/* the engine refuses negative figures, so its amounts are zero or more */
		v->basis_amount = (int64) (take(&r, 8) & (uint64) PG_INT64_MAX);
		v->amount_scale = take(&r, 1) % 3;
		unit = v->amount_scale == 2 ? 1 : v->amount_scale == 1 ? 10 : 100;
		v->amount = (int64) (take(&r, 8) & (uint64) PG_INT64_MAX);
		v->amount -= v->amount % unit;
	}
	else
		v->rate = -1;
	v->layoff_rate = optional(take(&r, 8), 64);
	v->threshold = optional(take(&r, 8), 64);
	v->fund_cover = (int32) optional(take(&r, 4), 32);
	v->fund_required = (int16) optional(take(&r, 2), 16);
	v->failed = take(&r, 2) & ((1 << RULE_COUNT) - 1);
	v->open = take(&r, 2) & ((1 << RULE_COUNT) - 1);
	/* the facts are more than 32 since 1.2: the set is split across missing and missing_more */
	VERDICT_SET_MISSING(v, take(&r, 8) & ((UINT64CONST(1) << F_COUNT) - 1));
	v->reasons = take(&r, 2) & ((1 << R_COUNT) - 1);

	check_round_trip(v);

	shim_input_end();
	return 0;
}

#endif							/* VERDICT_VALUE_TARGET */
