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
	CHECK(v->outcome < OUTCOME_COUNT && v->amount_rule <= 3 && v->basis <= BASIS_PAYABLE &&
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
		check_round_trip(DatumGetVerdictP(v));
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
		v->basis_amount = (int64) take(&r, 8);
		v->amount_scale = take(&r, 1) % 3;
		unit = v->amount_scale == 2 ? 1 : v->amount_scale == 1 ? 10 : 100;
		v->amount = (int64) take(&r, 8);
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
	v->missing = take(&r, 4) & ((1 << F_COUNT) - 1);
	v->reasons = take(&r, 2) & ((1 << R_COUNT) - 1);

	check_round_trip(v);

	shim_input_end();
	return 0;
}

#endif							/* VERDICT_VALUE_TARGET */
