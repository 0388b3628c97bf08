/*
 * fuzz_numeric.c: numeric_scaled() (src/money.c), which reads a numeric's
 * stored form directly, fed arbitrary varlena bytes.
 *
 * Input: byte 0 chooses the scale (byte % 5) and, in bit 3, a 1-byte varlena
 * header (as a short numeric has on disk) instead of a 4-byte one; the rest is
 * the numeric's stored form (a uint16 header, an int16 weight in the long
 * format, then int16 base-10000 digits), taken as it comes.
 *
 * Properties: no crash or sanitizer report on any bytes.  When every digit is
 * a real base-10000 digit (0-9999), the answer must match a reference written
 * here from the stored form's definition in PostgreSQL's numeric.c: the value
 * times 10^scale, decimal digit by decimal digit, exact and within int64, or
 * false.  numeric_scaled_or_error agrees, raising 22003 when there is no answer.
 */
#include "postgres.h"

#include "fmgr.h"

#include "subsidy.h"
#include "pg_shim.h"

static const uint8_t *in_data;
static size_t in_size;

#define CHECK(cond, ...) SHIM_ASSERT(in_data, in_size, cond, __VA_ARGS__)

/* The stored form's header bits (utils/adt/numeric.c). */
#define SIGN_MASK			0xC000
#define POS					0x0000
#define NEG					0x4000
#define SHORT				0x8000
#define SPECIAL				0xC000
#define SHORT_SIGN			0x2000
#define SHORT_WEIGHT_SIGN	0x0040
#define SHORT_WEIGHT_MASK	0x003F

/*
 * Reference: false for NaN and infinities, for digits finer than 10^-scale
 * and for magnitudes beyond INT64_MAX; the exact value * 10^scale otherwise.
 * *well_formed is false when a digit is outside 0-9999 (no reference then).
 */
static bool
reference(const uint8 *p, int size, int scale, int64 *result, bool *well_formed)
{
	uint16		header;
	bool		negative;
	int			weight;
	int			first;
	__int128	total = 0;
	bool		ok = true;

	*well_formed = true;
	if (size < 2)
		return false;
	memcpy(&header, p, 2);
	if ((header & SIGN_MASK) == SPECIAL)
		return false;
	if (header & SHORT)
	{
		negative = (header & SHORT_SIGN) != 0;
		weight = (header & SHORT_WEIGHT_MASK) - ((header & SHORT_WEIGHT_SIGN) ? 64 : 0);
		first = 2;
	}
	else
	{
		int16		w;

		if (size < 4)
			return false;
		negative = (header & SIGN_MASK) == NEG;
		memcpy(&w, p + 2, 2);
		weight = w;
		first = 4;
	}
	for (int i = 0; first + 2 * i + 1 < size; i++)
	{
		int16		digit;

		memcpy(&digit, p + first + 2 * i, 2);
		if (digit < 0 || digit > 9999)
		{
			*well_formed = false;
			return false;
		}
		/* decimal digit k of this base-10000 digit stands for 10^(4 * (weight - i) + k) */
		for (int k = 0, d = digit; k < 4; k++, d /= 10)
		{
			int			e = 4 * (weight - i) + k + scale;
			__int128	term = d % 10;

			if (term == 0)
				continue;
			if (e < 0 || e > 18)
			{
				ok = false;		/* finer than the unit, or at least 10^19 */
				continue;
			}
			for (int j = 0; j < e; j++)
				term *= 10;
			total += term;
		}
	}
	if (!ok || total > PG_INT64_MAX)
		return false;
	*result = negative ? -(int64) total : (int64) total;
	return true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int			scale;
	bool		short_header;
	int			n;
	struct varlena *v;
	int64		result = 0;
	int64		expected = 0;
	bool		ok;
	bool		expected_ok;
	bool		well_formed;

	if (size < 1)
		return 0;
	in_data = data;
	in_size = size;
	shim_input_begin();

	scale = data[0] % 5;
	n = size - 1;
	short_header = (data[0] & 8) && n + 1 <= VARATT_SHORT_MAX;
	if (short_header)
	{
		v = palloc(1 + n);
		SET_VARSIZE_SHORT(v, 1 + n);
		memcpy((char *) v + 1, data + 1, n);
	}
	else
	{
		v = palloc(VARHDRSZ + n);
		SET_VARSIZE(v, VARHDRSZ + n);
		memcpy(VARDATA(v), data + 1, n);
	}

	ok = numeric_scaled(PointerGetDatum(v), scale, &result);
	expected_ok = reference(data + 1, n, scale, &expected, &well_formed);
	if (well_formed)
	{
		CHECK(ok == expected_ok, "numeric_scaled(scale %d) answered %s, the reference %s",
			  scale, ok ? "true" : "false", expected_ok ? "true" : "false");
		CHECK(!ok || result == expected, "numeric_scaled(scale %d) = " INT64_FORMAT ", expected " INT64_FORMAT,
			  scale, result, expected);
	}

	/* numeric_scaled_or_error: the same answer, or 22003 */
	{
		volatile bool raised = false;
		volatile int64 value = 0;

		PG_TRY();
		{
			value = numeric_scaled_or_error(PointerGetDatum(v), scale, "figure");
		}
		PG_CATCH();
		{
			raised = true;
		}
		PG_END_TRY();
		CHECK(raised == !ok, "numeric_scaled_or_error %s where numeric_scaled answered %s",
			  raised ? "raised" : "did not raise", ok ? "true" : "false");
		if (raised)
			CHECK(shim_error.sqlerrcode == ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE,
				  "numeric_scaled_or_error raised %s: %s", shim_sqlstate(shim_error.sqlerrcode),
				  shim_error.message);
		else
			CHECK(value == result, "numeric_scaled_or_error and numeric_scaled differ");
	}

	shim_input_end();
	return 0;
}
