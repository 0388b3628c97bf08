/*
 * fuzz_rmb.c: rmb_upper (src/rmb.c), amounts in Chinese capitals spelled with
 * ICU's financial spell-out, through numeric_scaled (src/money.c).
 *
 * Input, two forms:
 *  - "#" then a numeric's stored form (as in the numeric target, 4-byte
 *    varlena header, scale 2): arbitrary bytes given to rmb_upper;
 *  - anything else: an amount in fen written in the input's decimal digits
 *    (other bytes ignored, at most 18 digits), negative if the input has a
 *    "-", stored in the long numeric format if it has an "L" (short
 *    otherwise), as PostgreSQL stores numeric(14,2) yuan.
 *
 * Properties: rmb_upper either spells the amount or raises 22023 (not a
 * whole number of fen, negative) or 22003 (beyond 9,999,999,999.99 yuan),
 * exactly as numeric_scaled and the range say; and what it spells, read back
 * by a decoder written here, is the amount, in the form the People's Bank of
 * China rules for bills ask: 人民币 first; 整 after 元 exactly when there are no
 * 角 and 分; no 零零; no 零 before a unit; every 拾佰仟角分 after a digit.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"

#include "subsidy.h"
#include "pg_shim.h"

extern Datum rmb_upper(PG_FUNCTION_ARGS);

#define MAX_FEN INT64CONST(999999999999)

static const uint8_t *in_data;
static size_t in_size;

#define CHECK(cond, ...) SHIM_ASSERT(in_data, in_size, cond, __VA_ARGS__)

/* ---------------------------------------------------------------- numerics */

/* The stored form of fen / 100 yuan, dscale 2, normalised as numeric.c writes it. */
static Datum
numeric_of_fen(int64 fen, bool negative, bool long_format)
{
	int16		digits[8];
	int			n = 0;
	int			weight;
	int64		yuan = fen / 100;
	int16		frac = (int16) (fen % 100 * 100);
	int16		ints[6];
	int			nints = 0;
	char	   *p;
	struct varlena *v;
	int			size;

	for (int64 y = yuan; y > 0; y /= 10000)
		ints[nints++] = (int16) (y % 10000);
	weight = nints - 1;
	for (int i = nints - 1; i >= 0; i--)
		digits[n++] = ints[i];
	digits[n++] = frac;
	/* strip trailing, then leading, zero digits */
	while (n > 0 && digits[n - 1] == 0)
		n--;
	{
		int			lead = 0;

		while (lead < n && digits[lead] == 0)
			lead++;
		memmove(digits, digits + lead, (n - lead) * sizeof(int16));
		n -= lead;
		weight -= lead;
	}
	if (n == 0)
	{
		weight = 0;
		negative = false;		/* numeric.c never stores -0 */
	}

	size = VARHDRSZ + (long_format ? 4 : 2) + n * 2;
	v = palloc0(size);
	SET_VARSIZE(v, size);
	p = VARDATA(v);
	if (long_format)
	{
		uint16		header = (negative ? 0x4000 : 0x0000) | 2;
		int16		w = weight;

		memcpy(p, &header, 2);
		memcpy(p + 2, &w, 2);
		p += 4;
	}
	else
	{
		uint16		header = 0x8000 | (negative ? 0x2000 : 0) | (2 << 7) |
			(weight < 0 ? 0x0040 : 0) | (weight & 0x003F);

		memcpy(p, &header, 2);
		p += 2;
	}
	memcpy(p, digits, n * 2);
	return PointerGetDatum(v);
}

/* ---------------------------------------------------------------- decoding capitals */

static const char *const digit_chars[10] = {"零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"};

/* Index of the word at s among words, or -1. */
static int
word_at(const char *s, const char *const *words, int count)
{
	for (int i = 0; i < count; i++)
		if (strncmp(s, words[i], strlen(words[i])) == 0)
			return i;
	return -1;
}

/* A digit written in the yuan part, at its decimal position (0: yuan, 1: 拾 yuan, ...). */
typedef struct Written
{
	int			value;
	int			pos;
	bool		zero_before;	/* a 零 was written between it and the digit before */
} Written;

/*
 * Read the capitals s back and check them against fen_expected and the rules
 * for bills: within the yuan part, digits in strictly falling positions, a
 * 零 exactly where zeros are skipped (optional only where the skipped run
 * ends at 万 or 亿 and the next digit is a thousand), none before 元, 万 or 亿;
 * after 元, 零 when 角 is zero and 分 is not, allowed when the yuan digit is
 * zero and 角 is not; 整 exactly when 角 and 分 are zero.
 */
static void
decode_capitals(const char *s, int64 fen_expected)
{
	static const char *const small_units[3] = {"拾", "佰", "仟"};
	static const char *const others[6] = {"万", "亿", "元", "角", "分", "整"};
	const char *p = s;
	Written		w[24];
	int			nw = 0;
	int			section_start = 0;
	bool		zero_seen = false;
	bool		pending = false;	/* last digit has no unit yet */
	bool		have_yuan = false;
	bool		zero_after_yuan = false;
	bool		whole = false;
	int			jiao = 0;
	int			fen = 0;
	int			jf_digit = -1;	/* digit waiting for 角 or 分 */
	bool		ended = false;
	int64		yuan = 0;

	CHECK(strncmp(p, "人民币", strlen("人民币")) == 0, "capitals \"%s\" do not start with 人民币", s);
	p += strlen("人民币");
	if (strcmp(p, "零元整") == 0)
	{
		CHECK(fen_expected == 0, "capitals \"%s\" for " INT64_FORMAT " fen", s, fen_expected);
		return;
	}

	while (*p)
	{
		int			d = word_at(p, digit_chars, 10);
		int			u = d < 0 ? word_at(p, small_units, 3) : -1;
		int			o = (d < 0 && u < 0) ? word_at(p, others, 6) : -1;

		CHECK(d >= 0 || u >= 0 || o >= 0, "capitals \"%s\" have a stray character at \"%s\"", s, p);
		CHECK(!ended, "capitals \"%s\" go on after 整 or 分", s);
		if (d == 0)
		{
			CHECK(!zero_seen && !zero_after_yuan, "capitals \"%s\" have 零零", s);
			if (have_yuan)
			{
				CHECK(jf_digit < 0 && jiao == 0, "capitals \"%s\": 零 misplaced after 元", s);
				zero_after_yuan = true;
			}
			else
			{
				CHECK(nw > 0 && !pending, "capitals \"%s\": 零 misplaced", s);
				zero_seen = true;
			}
			p += strlen(digit_chars[0]);
			continue;
		}
		if (d > 0)
		{
			if (have_yuan)
			{
				CHECK(jf_digit < 0, "capitals \"%s\" have two digits in a row", s);
				jf_digit = d;
			}
			else
			{
				CHECK(!pending && nw < lengthof(w), "capitals \"%s\" have two digits in a row", s);
				w[nw].value = d;
				w[nw].pos = 0;
				w[nw].zero_before = zero_seen;
				nw++;
				zero_seen = false;
				pending = true;
			}
			p += strlen(digit_chars[d]);
			continue;
		}
		if (u >= 0)
		{
			CHECK(!have_yuan && pending, "capitals \"%s\": %s without its digit", s, small_units[u]);
			w[nw - 1].pos = u + 1;
			pending = false;
			p += strlen(small_units[u]);
			continue;
		}
		switch (o)
		{
			case 0:				/* 万 */
			case 1:				/* 亿 */
			case 2:				/* 元 */
				/* 元 may close an empty group (壹佰万元整); 万 and 亿 may not */
				CHECK(!have_yuan && (o == 2 ? nw > 0 : nw > section_start) && !zero_seen,
					  "capitals \"%s\": %s misplaced", s, others[o]);
				for (int i = section_start; i < nw; i++)
					w[i].pos += (o == 0) ? 4 : (o == 1) ? 8 : 0;
				section_start = nw;
				pending = false;
				have_yuan = (o == 2);
				break;
			case 3:				/* 角 */
			case 4:				/* 分 */
				if (!have_yuan)
				{
					/* under one yuan: no 元, the digit read so far is 角's or 分's */
					CHECK(nw == 1 && section_start == 0 && pending && !w[0].zero_before,
						  "capitals \"%s\": %s misplaced", s, others[o]);
					jf_digit = w[0].value;
					nw = 0;
					pending = false;
				}
				CHECK(jf_digit > 0, "capitals \"%s\": %s without its digit", s, others[o]);
				CHECK(o == 4 || fen == 0, "capitals \"%s\": 角 after 分", s);
				if (o == 3)
					jiao = jf_digit;
				else
				{
					fen = jf_digit;
					ended = true;
				}
				jf_digit = -1;
				break;
			case 5:				/* 整 */
				CHECK(have_yuan && jiao == 0 && fen == 0 && jf_digit < 0 && !zero_after_yuan,
					  "capitals \"%s\": 整 not right after 元", s);
				whole = true;
				ended = true;
				break;
		}
		p += strlen(others[o]);
	}
	CHECK(!pending && jf_digit < 0 && !zero_seen, "capitals \"%s\" end with a loose digit", s);
	CHECK(nw == section_start, "capitals \"%s\": yuan digits without 元", s);
	CHECK(whole == (jiao == 0 && fen == 0), "capitals \"%s\": 整 %s", s, whole ? "with 角 or 分" : "missing");

	for (int i = 0; i < nw; i++)
	{
		int64		term = w[i].value;

		for (int k = 0; k < w[i].pos; k++)
			term *= 10;
		yuan += term;
		if (i > 0)
		{
			int			gap = w[i - 1].pos - w[i].pos - 1;

			CHECK(gap >= 0, "capitals \"%s\": digits out of order", s);
			CHECK(gap > 0 || !w[i].zero_before, "capitals \"%s\": 零 where no zero is skipped", s);
			CHECK(gap == 0 || w[i].zero_before || w[i].pos % 4 == 3,
				  "capitals \"%s\": zeros skipped without 零", s);
		}
	}
	/* after 元: 零 needed when 角 is zero and 分 is not; allowed when the yuan digit is zero */
	if (have_yuan && jiao == 0 && fen != 0)
		CHECK(zero_after_yuan, "capitals \"%s\": 零 missing before the 分", s);
	if (zero_after_yuan)
		CHECK(jiao == 0 || (nw > 0 && w[nw - 1].pos > 0), "capitals \"%s\": 零 after a non-zero yuan digit", s);
	CHECK(have_yuan || (nw == 0 && !whole), "capitals \"%s\": no 元", s);

	{
		int64		got = yuan * 100 + jiao * 10 + fen;

		CHECK(got == fen_expected, "capitals \"%s\" read back as " INT64_FORMAT " fen, not " INT64_FORMAT,
			  s, got, fen_expected);
	}
}

/* ---------------------------------------------------------------- the target */

static void
check_rmb(Datum amount, bool scaled_ok, int64 fen, bool negative_input)
{
	Datum		result;
	bool		ok = shim_try1(rmb_upper, amount, &result);

	if (!scaled_ok || fen < 0 || negative_input)
	{
		/* a negative input of zero fen is zero; numeric.c has no -0 */
		if (scaled_ok && fen == 0)
			goto accepted;
		CHECK(!ok, "rmb_upper spelled an amount it should refuse (fen " INT64_FORMAT ")", fen);
		CHECK(shim_error.sqlerrcode == ERRCODE_INVALID_PARAMETER_VALUE,
			  "rmb_upper raised %s, not 22023: %s", shim_sqlstate(shim_error.sqlerrcode), shim_error.message);
		return;
	}
	if (fen > MAX_FEN)
	{
		CHECK(!ok, "rmb_upper spelled " INT64_FORMAT " fen, beyond its range", fen);
		CHECK(shim_error.sqlerrcode == ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE,
			  "rmb_upper raised %s, not 22003: %s", shim_sqlstate(shim_error.sqlerrcode), shim_error.message);
		return;
	}
accepted:
	CHECK(ok, "rmb_upper refused " INT64_FORMAT " fen: %s", fen, shim_error.message);
	{
		char	   *s = text_to_cstring((text *) DatumGetPointer(result));

		if (getenv("RMB_PRINT"))
			fprintf(stderr, INT64_FORMAT " %s\n", fen, s);
		decode_capitals(s, fen);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	in_data = data;
	in_size = size;
	shim_input_begin();

	if (size >= 1 && data[0] == '#')
	{
		struct varlena *v = palloc(VARHDRSZ + size - 1);
		int64		fen = 0;
		bool		scaled_ok;

		SET_VARSIZE(v, VARHDRSZ + size - 1);
		memcpy(VARDATA(v), data + 1, size - 1);
		scaled_ok = numeric_scaled(PointerGetDatum(v), 2, &fen);
		check_rmb(PointerGetDatum(v), scaled_ok, fen, false);
	}
	else
	{
		int64		fen = 0;
		int			ndigits = 0;
		bool		negative = memchr(data, '-', size) != NULL;
		bool		long_format = memchr(data, 'L', size) != NULL;

		for (size_t i = 0; i < size && ndigits < 18; i++)
			if (data[i] >= '0' && data[i] <= '9')
			{
				fen = fen * 10 + (data[i] - '0');
				ndigits++;
			}
		check_rmb(numeric_of_fen(fen, negative, long_format), true, negative ? -fen : fen, negative);
	}

	shim_input_end();
	return 0;
}
