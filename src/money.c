/*
 * money.c: figures as exact scaled integers.
 *
 * The engine works in integers: money in fen, rates in thousandths, per cents
 * in ten-thousandths.  numeric_scaled() reads a numeric straight from its
 * stored form, which PostgreSQL keeps stable across major versions for
 * pg_upgrade (utils/adt/numeric.c: a header word, then base-10000 digits), and
 * answers false rather than round: a value that is not a whole number of the
 * unit, too large, NaN or infinite is not a figure the rules can use.
 */
#include "subsidy.h"

#include "common/int.h"
#include "utils/builtins.h"
#include "utils/numeric.h"

/* The stored form of a numeric (utils/adt/numeric.c). */
#define NUMERIC_SIGN_MASK	0xC000
#define NUMERIC_NEG			0x4000
#define NUMERIC_SHORT		0x8000
#define NUMERIC_SPECIAL		0xC000
#define NUMERIC_SHORT_SIGN_MASK			0x2000
#define NUMERIC_SHORT_WEIGHT_SIGN_MASK	0x0040
#define NUMERIC_SHORT_WEIGHT_MASK		0x003F
#define NBASE_DIGITS 4				/* decimal digits per base-10000 digit */

static const int64 power_of_ten[] = {
	1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000,
	INT64CONST(10000000000), INT64CONST(100000000000), INT64CONST(1000000000000),
	INT64CONST(10000000000000), INT64CONST(100000000000000), INT64CONST(1000000000000000),
	INT64CONST(10000000000000000), INT64CONST(100000000000000000), INT64CONST(1000000000000000000)
};

/*
 * value * 10^scale as an integer into *result, when that is exact and fits;
 * false otherwise.  scale is 0 to 4.
 */
bool
numeric_scaled(Datum value, int scale, int64 *result)
{
	struct varlena *v = (struct varlena *) DatumGetPointer(value);
	const char *data;
	int			size;
	uint16		header;
	bool		negative;
	int			weight;
	const char *digits;
	int			ndigits;
	int64		total = 0;

	Assert(scale >= 0 && scale <= NBASE_DIGITS);
	if (VARATT_IS_EXTENDED(v) && !VARATT_IS_SHORT(v))
		v = pg_detoast_datum_packed(v);
	data = VARDATA_ANY(v);
	size = VARSIZE_ANY_EXHDR(v);
	if (size < (int) sizeof(uint16))
		return false;
	memcpy(&header, data, sizeof(uint16));

	if ((header & NUMERIC_SIGN_MASK) == NUMERIC_SPECIAL)
		return false;			/* NaN or an infinity */
	if (header & NUMERIC_SHORT)
	{
		negative = (header & NUMERIC_SHORT_SIGN_MASK) != 0;
		weight = (header & NUMERIC_SHORT_WEIGHT_MASK) |
			((header & NUMERIC_SHORT_WEIGHT_SIGN_MASK) ? ~NUMERIC_SHORT_WEIGHT_MASK : 0);
		digits = data + sizeof(uint16);
	}
	else
	{
		int16		long_weight;

		if (size < (int) (sizeof(uint16) + sizeof(int16)))
			return false;
		negative = (header & NUMERIC_SIGN_MASK) == NUMERIC_NEG;
		memcpy(&long_weight, data + sizeof(uint16), sizeof(int16));
		weight = long_weight;
		digits = data + sizeof(uint16) + sizeof(int16);
	}
	ndigits = (size - (digits - data)) / sizeof(int16);

	for (int i = 0; i < ndigits; i++)
	{
		int16		digit;
		int			exponent;	/* of ten, that this digit is multiplied by */
		int64		term;

		memcpy(&digit, digits + i * sizeof(int16), sizeof(int16));
		if (digit == 0)
			continue;
		exponent = (weight - i) * NBASE_DIGITS + scale;
		if (exponent < 0)
		{
			/* a fraction finer than the unit must be zero: it is not */
			if (exponent <= -NBASE_DIGITS || digit % power_of_ten[-exponent] != 0)
				return false;
			term = digit / power_of_ten[-exponent];
		}
		else if (exponent >= lengthof(power_of_ten) ||
				 pg_mul_s64_overflow(digit, power_of_ten[exponent], &term))
			return false;
		if (pg_add_s64_overflow(total, term, &total))
			return false;
	}
	*result = negative ? -total : total;
	return true;
}

/* numeric_scaled, raising a clear error when the value cannot be a figure. */
int64
numeric_scaled_or_error(Datum value, int scale, const char *what)
{
	int64		result;

	if (!numeric_scaled(value, scale, &result))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s %s cannot be used", what,
						DatumGetCString(DirectFunctionCall1(numeric_out, value))),
				 errdetail("It must be a number with at most %d decimal places, and not NaN or infinite.",
						   scale)));
	return result;
}

/* The numeric value / 10^scale, with scale decimals. */
Datum
scaled_to_numeric(int64 value, int scale)
{
#if PG_VERSION_NUM >= 150000
	return NumericGetDatum(int64_div_fast_to_numeric(value, scale));
#else
	Datum		n = DirectFunctionCall2(numeric_div, NumericGetDatum(int64_to_numeric(value)),
										NumericGetDatum(int64_to_numeric(power_of_ten[scale])));

	return DirectFunctionCall2(numeric_round, n, Int32GetDatum(scale));
#endif
}
