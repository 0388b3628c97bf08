/*
 * fuzz_uscc.c: subsidy.uscc's text input (src/uscc.c, with the ICU NFKC of
 * src/normalize.c), its casts, binary I/O, accessors and comparisons.
 *
 * Properties, checked against an oracle written here from GB 32100-2015 and
 * GB 11714-1997 (not from uscc.c):
 *  - uscc_in either returns a code or raises 22P02 with one of its messages;
 *  - an accepted code prints as 18 characters of the code's set with the right
 *    check character, re-reads to the same bytes, and reads the same in
 *    full-width forms, lower case and padded with ideographic spaces;
 *  - ASCII input is accepted exactly when, trimmed and upper-cased, it is a
 *    valid code, and then prints as that;
 *  - text cast, uscc_is_valid and binary recv agree with text input; send,
 *    to-text and the accessors agree with the printed form; check_character
 *    and organisation_code_is_valid agree with the oracle; comparisons agree
 *    with text order.
 */
#include "postgres.h"

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "utils/sortsupport.h"

#include "pg_shim.h"

extern Datum uscc_in(PG_FUNCTION_ARGS);
extern Datum uscc_out(PG_FUNCTION_ARGS);
extern Datum uscc_recv(PG_FUNCTION_ARGS);
extern Datum uscc_send(PG_FUNCTION_ARGS);
extern Datum uscc_from_text(PG_FUNCTION_ARGS);
extern Datum uscc_to_text(PG_FUNCTION_ARGS);
extern Datum uscc_check_character(PG_FUNCTION_ARGS);
extern Datum uscc_is_valid(PG_FUNCTION_ARGS);
extern Datum uscc_registration_authority(PG_FUNCTION_ARGS);
extern Datum uscc_organisation_type(PG_FUNCTION_ARGS);
extern Datum uscc_division_code(PG_FUNCTION_ARGS);
extern Datum uscc_organisation_code(PG_FUNCTION_ARGS);
extern Datum uscc_organisation_code_is_valid(PG_FUNCTION_ARGS);
extern Datum uscc_eq(PG_FUNCTION_ARGS);
extern Datum uscc_ne(PG_FUNCTION_ARGS);
extern Datum uscc_lt(PG_FUNCTION_ARGS);
extern Datum uscc_le(PG_FUNCTION_ARGS);
extern Datum uscc_gt(PG_FUNCTION_ARGS);
extern Datum uscc_ge(PG_FUNCTION_ARGS);
extern Datum uscc_cmp(PG_FUNCTION_ARGS);
extern Datum uscc_sortsupport(PG_FUNCTION_ARGS);
extern Datum uscc_hash(PG_FUNCTION_ARGS);
extern Datum uscc_hash_extended(PG_FUNCTION_ARGS);

#define USCC_BYTES 12			/* the type's internal length */

static const uint8_t *in_data;
static size_t in_size;

#define CHECK(cond, ...) SHIM_ASSERT(in_data, in_size, cond, __VA_ARGS__)

/* ---------------------------------------------------------------- oracle */

/* GB 32100-2015: the 31 characters, in value order. */
static const char code_set[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

static int
code_value(char c)
{
	const char *p = (c != '\0') ? strchr(code_set, c) : NULL;

	return p ? (int) (p - code_set) : -1;
}

/* Check character of 17 upper-case code characters: weights 3^(i-1) mod 31. */
static char
oracle_check(const char *body)
{
	int			sum = 0;
	int			weight = 1;

	for (int i = 0; i < 17; i++)
	{
		sum += code_value(body[i]) * weight;
		weight = weight * 3 % 31;
	}
	return code_set[(31 - sum % 31) % 31];
}

/* Whether s (len bytes, upper case) is a valid 18-character code. */
static bool
oracle_valid(const char *s, int len)
{
	if (len != 18)
		return false;
	for (int i = 0; i < 18; i++)
		if (code_value(s[i]) < 0)
			return false;
	return oracle_check(s) == s[17];
}

/* GB 11714-1997: whether a 9-character organisation code's check character holds. */
static bool
oracle_org_code_valid(const char *org)
{
	static const int weight[8] = {3, 7, 9, 10, 5, 8, 4, 2};
	int			sum = 0;
	int			c9;
	char		expected;

	for (int i = 0; i < 8; i++)
	{
		char		c = org[i];
		int			v = (c >= '0' && c <= '9') ? c - '0' : c - 'A' + 10;

		sum += v * weight[i];
	}
	c9 = 11 - sum % 11;
	expected = (c9 == 10) ? 'X' : (c9 == 11) ? '0' : (char) ('0' + c9);
	return org[8] == expected;
}

static bool
ascii_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* ---------------------------------------------------------------- helpers */

static void
check_input_error(const char *what)
{
	CHECK(shim_error.sqlerrcode == ERRCODE_INVALID_TEXT_REPRESENTATION,
		  "%s raised SQLSTATE %s, not 22P02: %s", what, shim_sqlstate(shim_error.sqlerrcode),
		  shim_error.message);
	CHECK(strncmp(shim_error.message, "invalid input syntax for type uscc: \"", 37) == 0 ||
		  strncmp(shim_error.message, "invalid check character in Unified Social Credit Code: \"", 56) == 0,
		  "%s raised an unexpected message: %s", what, shim_error.message);
	CHECK(shim_error.detail[0] != '\0', "%s raised an error without a detail: %s", what,
		  shim_error.message);
}

static text *
text_of(Datum d)
{
	return (text *) DatumGetPointer(d);
}

static void
check_text_equals(Datum d, const char *expected, int len, const char *what)
{
	text	   *t = text_of(d);

	CHECK(VARSIZE_ANY_EXHDR(t) == len && memcmp(VARDATA_ANY(t), expected, len) == 0,
		  "%s is \"%.*s\", expected \"%.*s\"", what, (int) VARSIZE_ANY_EXHDR(t), VARDATA_ANY(t),
		  len, expected);
}

/* A code read some other way must be the same bytes. */
static void
check_same_code(Datum a, Datum b, const char *what)
{
	CHECK(memcmp(DatumGetPointer(a), DatumGetPointer(b), USCC_BYTES) == 0,
		  "%s gives different bytes from text input", what);
}

/* Append the UTF-8 of code point cp. */
static void
append_utf8(StringInfo buf, pg_wchar cp)
{
	unsigned char tmp[8];
	unsigned char *end = unicode_to_utf8(cp, tmp);

	appendBinaryStringInfo(buf, (char *) tmp, pg_utf_mblen(end));
}

/* Codes to compare with: text order must be code order. */
static const char *const known_codes[] = {
	"91350100M000100Y43", "91110000600037341L", "121200004013590816", "9144030071526726XG",
	"00000000000000000" /* + check */ , "YYYYYYYYYYYYYYYYY" /* + check */
};

/* ---------------------------------------------------------------- properties */

static void
check_accepted(Datum code, const char *input, int input_len)
{
	char	   *out = DatumGetCString(DirectFunctionCall1(uscc_out, code));
	Datum		again;
	StringInfoData buf;

	/* canonical form */
	CHECK(strlen(out) == 18, "uscc_out printed \"%s\", not 18 characters", out);
	CHECK(oracle_valid(out, 18), "uscc_out printed \"%s\", which is not a valid code", out);
	CHECK(shim_try1(uscc_in, CStringGetDatum(out), &again),
		  "the printed form \"%s\" does not re-read: %s", out, shim_error.message);
	check_same_code(code, again, "re-reading the printed form");

	/* ASCII input: trimmed and upper-cased, it is the printed form */
	{
		bool		ascii = true;
		const char *s = input;
		int			len = input_len;

		for (int i = 0; i < input_len; i++)
			ascii &= (input[i] & 0x80) == 0;
		if (ascii)
		{
			while (len > 0 && ascii_space(s[0]))
				s++, len--;
			while (len > 0 && ascii_space(s[len - 1]))
				len--;
			CHECK(len == 18, "accepted ASCII input of %d characters after trimming", len);
			for (int i = 0; i < 18; i++)
				CHECK(pg_ascii_toupper((unsigned char) s[i]) == out[i],
					  "accepted \"%.*s\" but printed \"%s\"", len, s, out);
		}
	}

	/* full-width forms, lower case, ideographic spaces around: NFKC gives the same code */
	initStringInfo(&buf);
	append_utf8(&buf, 0x3000);
	for (int i = 0; i < 18; i++)
	{
		char		c = out[i];

		if (i % 2 == 0)
			append_utf8(&buf, 0xFF00 + (pg_ascii_tolower((unsigned char) c) - 0x20));
		else
			appendStringInfoChar(&buf, pg_ascii_tolower((unsigned char) c));
	}
	append_utf8(&buf, 0x3000);
	CHECK(shim_try1(uscc_in, CStringGetDatum(buf.data), &again),
		  "full-width form of \"%s\" is refused: %s", out, shim_error.message);
	check_same_code(code, again, "the full-width form");

	/* casts and binary I/O */
	check_text_equals(DirectFunctionCall1(uscc_to_text, code), out, 18, "uscc_to_text");
	CHECK(shim_try1(uscc_from_text, PointerGetDatum(shim_text(out, 18)), &again),
		  "text cast of \"%s\" is refused: %s", out, shim_error.message);
	check_same_code(code, again, "the text cast of the printed form");
	{
		bytea	   *sent = DatumGetByteaPP(DirectFunctionCall1(uscc_send, code));
		StringInfoData msg;

		check_text_equals(PointerGetDatum(sent), out, 18, "uscc_send");
		initStringInfo(&msg);
		appendBinaryStringInfo(&msg, VARDATA_ANY(sent), VARSIZE_ANY_EXHDR(sent));
		CHECK(shim_try1(uscc_recv, PointerGetDatum(&msg), &again),
			  "uscc_recv refuses what uscc_send wrote for \"%s\": %s", out, shim_error.message);
		check_same_code(code, again, "uscc_recv of uscc_send");
	}

	/* the check character of the first 17 */
	{
		Datum		check;

		CHECK(shim_try1(uscc_check_character, PointerGetDatum(shim_text(out, 17)), &check),
			  "uscc_check_character refuses \"%.17s\": %s", out, shim_error.message);
		check_text_equals(check, out + 17, 1, "uscc_check_character");
	}

	/* accessors */
	check_text_equals(DirectFunctionCall1(uscc_registration_authority, code), out, 1,
					  "registration_authority");
	check_text_equals(DirectFunctionCall1(uscc_organisation_type, code), out + 1, 1,
					  "organisation_type");
	check_text_equals(DirectFunctionCall1(uscc_division_code, code), out + 2, 6, "division_code");
	check_text_equals(DirectFunctionCall1(uscc_organisation_code, code), out + 8, 9,
					  "organisation_code");
	CHECK(DatumGetBool(DirectFunctionCall1(uscc_organisation_code_is_valid, code)) ==
		  oracle_org_code_valid(out + 8),
		  "organisation_code_is_valid disagrees with GB 11714 for \"%s\"", out);

	/* comparisons, sort support and hashing agree with text order and equality */
	{
		SortSupportData ssup;

		memset(&ssup, 0, sizeof(ssup));
		DirectFunctionCall1(uscc_sortsupport, PointerGetDatum(&ssup));
		CHECK(ssup.comparator != NULL, "uscc_sortsupport set no comparator");

		for (int k = 0; k < lengthof(known_codes); k++)
		{
			char		other_text[19];
			Datum		other;
			int			expected,
						c;

			memcpy(other_text, known_codes[k], 17);
			other_text[17] = strlen(known_codes[k]) == 18 ? known_codes[k][17] : oracle_check(known_codes[k]);
			other_text[18] = '\0';
			CHECK(shim_try1(uscc_in, CStringGetDatum(other_text), &other),
				  "known code \"%s\" is refused: %s", other_text, shim_error.message);
			expected = strcmp(out, other_text);
			expected = (expected > 0) - (expected < 0);
			c = DatumGetInt32(DirectFunctionCall2(uscc_cmp, code, other));
			CHECK(((c > 0) - (c < 0)) == expected, "uscc_cmp(\"%s\", \"%s\") = %d", out, other_text, c);
			c = ssup.comparator(code, other, &ssup);
			CHECK(((c > 0) - (c < 0)) == expected, "sort comparator(\"%s\", \"%s\") = %d", out,
				  other_text, c);
			CHECK(DatumGetBool(DirectFunctionCall2(uscc_eq, code, other)) == (expected == 0), "uscc_eq");
			CHECK(DatumGetBool(DirectFunctionCall2(uscc_ne, code, other)) == (expected != 0), "uscc_ne");
			CHECK(DatumGetBool(DirectFunctionCall2(uscc_lt, code, other)) == (expected < 0), "uscc_lt");
			CHECK(DatumGetBool(DirectFunctionCall2(uscc_le, code, other)) == (expected <= 0), "uscc_le");
			CHECK(DatumGetBool(DirectFunctionCall2(uscc_gt, code, other)) == (expected > 0), "uscc_gt");
			CHECK(DatumGetBool(DirectFunctionCall2(uscc_ge, code, other)) == (expected >= 0), "uscc_ge");
			if (expected == 0)
				CHECK(DirectFunctionCall1(uscc_hash, code) == DirectFunctionCall1(uscc_hash, other),
					  "equal codes hash differently");
		}
		CHECK(DirectFunctionCall1(uscc_hash, code) == DirectFunctionCall1(uscc_hash, again),
			  "equal codes hash differently");
		CHECK(DirectFunctionCall2(uscc_hash_extended, code, Int64GetDatum(42)) ==
			  DirectFunctionCall2(uscc_hash_extended, again, Int64GetDatum(42)),
			  "equal codes hash_extended differently");
	}
}

/* The whole input as text (a text value is valid UTF-8 without NUL in a UTF8 database). */
static void
check_text_paths(const char *input, int len, bool accepted, Datum code)
{
	text	   *t = shim_text(input, len);
	Datum		from_text;
	Datum		result;
	bool		ok;

	CHECK(DatumGetBool(DirectFunctionCall1(uscc_is_valid, PointerGetDatum(t))) == accepted,
		  "uscc_is_valid disagrees with text input (input %s)", accepted ? "accepted" : "refused");
	ok = shim_try1(uscc_from_text, PointerGetDatum(t), &from_text);
	CHECK(ok == accepted, "the text cast %s what text input %s",
		  ok ? "accepts" : "refuses", accepted ? "accepts" : "refuses");
	if (ok)
		check_same_code(code, from_text, "the text cast");
	else
		check_input_error("uscc_from_text");

	/* check_character: the input as the first 17 characters of a code */
	ok = shim_try1(uscc_check_character, PointerGetDatum(t), &result);
	if (!ok)
		check_input_error("uscc_check_character");
	{
		bool		ascii = true;
		const char *s = input;
		int			n = len;
		bool		body_ok;

		for (int i = 0; i < len; i++)
			ascii &= (input[i] & 0x80) == 0;
		if (ascii)
		{
			char		upper[17];

			while (n > 0 && ascii_space(s[0]))
				s++, n--;
			while (n > 0 && ascii_space(s[n - 1]))
				n--;
			body_ok = (n == 17);
			for (int i = 0; body_ok && i < 17; i++)
			{
				upper[i] = pg_ascii_toupper((unsigned char) s[i]);
				body_ok = code_value(upper[i]) >= 0;
			}
			CHECK(ok == body_ok, "uscc_check_character %s \"%.*s\"", ok ? "accepts" : "refuses", n, s);
			if (ok)
			{
				char		expected = oracle_check(upper);

				check_text_equals(result, &expected, 1, "uscc_check_character");
			}
		}
		else if (ok)
			CHECK(VARSIZE_ANY_EXHDR(text_of(result)) == 1 &&
				  code_value(VARDATA_ANY(text_of(result))[0]) >= 0,
				  "uscc_check_character answered something that is not a code character");
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *input;
	Datum		code = 0;
	bool		accepted;
	StringInfoData msg;
	Datum		received;

	in_data = data;
	in_size = size;
	shim_input_begin();

	/* text input sees a C string: the bytes up to the first NUL */
	input = pnstrdup((const char *) data, size);
	accepted = shim_try1(uscc_in, CStringGetDatum(input), &code);
	if (accepted)
		check_accepted(code, input, strlen(input));
	else
		check_input_error("uscc_in");

	/* the text paths see only what a UTF8 database can hold */
	if (pg_encoding_verifymbstr(PG_UTF8, (const char *) data, size) == (int) size)
		check_text_paths((const char *) data, size, accepted, code);

	/* binary input sees the raw bytes; the protocol layer checks their encoding */
	initStringInfo(&msg);
	appendBinaryStringInfo(&msg, (const char *) data, size);
	if (shim_try1(uscc_recv, PointerGetDatum(&msg), &received))
	{
		CHECK(accepted && strlen(input) == size, "uscc_recv accepts what text input refuses");
		check_same_code(code, received, "uscc_recv");
	}
	else if (shim_error.sqlerrcode == ERRCODE_CHARACTER_NOT_IN_REPERTOIRE)
		CHECK(pg_encoding_verifymbstr(PG_UTF8, (const char *) data, size) != (int) size,
			  "uscc_recv raised 22021 for valid UTF-8: %s", shim_error.message);
	else
	{
		check_input_error("uscc_recv");
		CHECK(!accepted || strlen(input) != size, "uscc_recv refuses what text input accepts");
	}

	shim_input_end();
	return 0;
}
