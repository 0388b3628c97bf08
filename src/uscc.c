/*
 * uscc.c: the Unified Social Credit Code (统一社会信用代码, GB 32100-2015) as a
 * base type.
 *
 * A code is 18 characters from a 31-character set; the 18th is a check
 * character implied by the first 17.  The type stores the 17 as base-31
 * digits packed five bits each into three 32-bit words, most significant
 * first.  The set's value order is also its ASCII order, so comparing the
 * words compares the codes as text, and 12 bytes beat the 19 of a text datum.
 */
#include "subsidy.h"

#include "common/hashfn.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/sortsupport.h"

#define USCC_LENGTH 18
#define USCC_BODY_LENGTH 17
#define USCC_RADIX 31
#define DIGITS_PER_WORD 6

/* Longest input, after trimming, worth handing to ICU: longer is not a code. */
#define USCC_MAX_RAW_INPUT 1024

typedef struct Uscc
{
	uint32		word[3];
} Uscc;

#define DatumGetUsccP(X)	((Uscc *) DatumGetPointer(X))
#define PG_GETARG_USCC_P(n) DatumGetUsccP(PG_GETARG_DATUM(n))
#define PG_RETURN_USCC_P(x) PG_RETURN_POINTER(x)

/* GB 32100-2015 section 4: the code's characters in value order 0..30. */
static const char uscc_charset[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/* Weight of position i (1-based) is 3^(i-1) mod 31. */
static const int uscc_weight[USCC_BODY_LENGTH] =
{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

/* GB 11714-1997: weights of the organisation code's eight body characters. */
static const int org_code_weight[8] = {3, 7, 9, 10, 5, 8, 4, 2};

typedef enum UsccStatus
{
	USCC_OK,
	USCC_UNREADABLE,			/* ICU could not normalise the text */
	USCC_WRONG_LENGTH,
	USCC_BAD_CHARACTER,
	USCC_WRONG_CHECK
} UsccStatus;

/* What parsing found, enough to tell a clerk exactly what to correct. */
typedef struct UsccParse
{
	UsccStatus	status;
	int			length;			/* characters after normalising and trimming */
	int			expected_length;	/* 18, or 17 for the characters a check is computed from */
	int			position;		/* 1-based position of the bad character */
	char		bad_char[8];	/* that character, UTF-8 */
	char		check_found;
	char		check_expected;
} UsccParse;

/* Value of an upper-case code character, or -1 when it is not in the set. */
static int
uscc_char_value(unsigned char c)
{
	static int8 value[256];
	static bool ready = false;

	if (!ready)
	{
		memset(value, -1, sizeof(value));
		for (int i = 0; i < USCC_RADIX; i++)
			value[(unsigned char) uscc_charset[i]] = i;
		ready = true;
	}
	return value[c];
}

/* Check character implied by the 17 body digits. */
static char
uscc_check_char(const int digit[USCC_BODY_LENGTH])
{
	int			sum = 0;

	for (int i = 0; i < USCC_BODY_LENGTH; i++)
		sum += digit[i] * uscc_weight[i];
	return uscc_charset[(USCC_RADIX - sum % USCC_RADIX) % USCC_RADIX];
}

static bool
is_ascii_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Number of characters in UTF-8 text: the bytes that do not continue one. */
static int
utf8_length(const char *str, int len)
{
	int			n = 0;

	for (int i = 0; i < len; i++)
		if (((unsigned char) str[i] & 0xC0) != 0x80)
			n++;
	return n;
}

/* Trim ASCII white space from both ends of [*str, *str + *len). */
static void
trim_ascii_space(const char **str, int *len)
{
	while (*len > 0 && is_ascii_space((*str)[0]))
		(*str)++, (*len)--;
	while (*len > 0 && is_ascii_space((*str)[*len - 1]))
		(*len)--;
}

/*
 * Read raw text (server encoding) as code characters: NFKC, trimmed, upper
 * case.  Fills value[] with up to USCC_LENGTH character values and *parse
 * with what is wrong, if anything; true when there are exactly `expected`
 * characters, all in the code's set.  Never raises.
 */
static bool
read_code_chars(const char *raw, int raw_len, int expected, int value[USCC_LENGTH], UsccParse *parse)
{
	const char *str = raw;
	int			len = raw_len;
	char	   *normal;

	memset(parse, 0, sizeof(*parse));
	parse->expected_length = expected;
	trim_ascii_space(&str, &len);
	if (len > USCC_MAX_RAW_INPUT)
	{
		parse->status = USCC_WRONG_LENGTH;
		parse->length = pg_mbstrlen_with_len(str, len);
		return false;
	}

	normal = subsidy_nfkc(str, len, &len);
	if (normal == NULL)
	{
		parse->status = USCC_UNREADABLE;
		return false;
	}
	str = normal;
	/* NFKC turns the ideographic space (U+3000) into an ASCII one. */
	trim_ascii_space(&str, &len);
	parse->length = utf8_length(str, len);

	/* A bad character is the most precise thing to report: look for it first. */
	for (int pos = 0, i = 0; i < len; pos++)
	{
		unsigned char c = (unsigned char) str[i];
		int			char_len = Min(pg_utf_mblen((const unsigned char *) str + i), len - i);
		int			v = (c & 0x80) ? -1 : uscc_char_value(pg_ascii_toupper(c));

		if (v < 0)
		{
			parse->status = USCC_BAD_CHARACTER;
			parse->position = pos + 1;
			memcpy(parse->bad_char, str + i, Min(char_len, (int) sizeof(parse->bad_char) - 1));
			return false;
		}
		if (pos < USCC_LENGTH)
			value[pos] = v;
		i += char_len;
	}
	if (parse->length != expected)
	{
		parse->status = USCC_WRONG_LENGTH;
		return false;
	}
	parse->status = USCC_OK;
	return true;
}

/* Parse raw text into *result, or say in *parse what is wrong.  Never raises. */
static void
uscc_parse(const char *raw, int raw_len, Uscc *result, UsccParse *parse)
{
	int			value[USCC_LENGTH];

	if (!read_code_chars(raw, raw_len, USCC_LENGTH, value, parse))
		return;

	parse->check_expected = uscc_check_char(value);
	parse->check_found = uscc_charset[value[USCC_BODY_LENGTH]];
	if (parse->check_expected != parse->check_found)
	{
		parse->status = USCC_WRONG_CHECK;
		return;
	}

	for (int w = 0; w < 3; w++)
	{
		uint32		word = 0;

		for (int d = w * DIGITS_PER_WORD; d < Min((w + 1) * DIGITS_PER_WORD, USCC_BODY_LENGTH); d++)
			word = (word << 5) | (uint32) value[d];
		result->word[w] = word;
	}
}

/* Raise (or, from PostgreSQL 16, save) the error that *parse describes. */
static void
uscc_report(const char *input, const UsccParse *parse, struct Node *escontext)
{
	switch (parse->status)
	{
		case USCC_OK:
			break;
		case USCC_UNREADABLE:
			errsave(escontext,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type uscc: \"%s\"", input),
					 errdetail("The text could not be normalised to Unicode NFKC form.")));
			break;
		case USCC_WRONG_LENGTH:
			errsave(escontext,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type uscc: \"%s\"", input),
					 parse->expected_length == USCC_LENGTH ?
					 errdetail("A Unified Social Credit Code has 18 characters; this one has %d.",
							   parse->length) :
					 errdetail("The check character is computed from the first 17 characters of a code; this text has %d.",
							   parse->length),
					 errhint("Look for a missing, extra or doubled character.")));
			break;
		case USCC_BAD_CHARACTER:
			errsave(escontext,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type uscc: \"%s\"", input),
					 errdetail("Character %d, \"%s\", is not used in Unified Social Credit Codes.",
							   parse->position,
							   pg_any_to_server(parse->bad_char, strlen(parse->bad_char), PG_UTF8)),
					 errhint("A code has only the digits 0-9 and the letters A-H, J-N, P-R, T, U and W-Y (never I, O, S, V or Z).")));
			break;
		case USCC_WRONG_CHECK:
			errsave(escontext,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid check character in Unified Social Credit Code: \"%s\"", input),
					 errdetail("The check character (position 18) is \"%c\", but the first 17 characters imply \"%c\".",
							   parse->check_found, parse->check_expected),
					 errhint("Compare the code with the enterprise's licence: one of the 18 characters was mistyped.")));
			break;
	}
}

/* Write the 17 digits of u into digit[]. */
static void
uscc_digits(const Uscc *u, int digit[USCC_BODY_LENGTH])
{
	for (int w = 0; w < 3; w++)
	{
		int			first = w * DIGITS_PER_WORD;
		int			count = Min(DIGITS_PER_WORD, USCC_BODY_LENGTH - first);
		uint32		word = u->word[w];

		for (int d = count - 1; d >= 0; d--)
		{
			digit[first + d] = word & 0x1F;
			word >>= 5;
		}
	}
}

/* Canonical 18-character form, NUL-terminated, into buf. */
static void
uscc_format(const Uscc *u, char buf[USCC_LENGTH + 1])
{
	int			digit[USCC_BODY_LENGTH];

	uscc_digits(u, digit);
	for (int i = 0; i < USCC_BODY_LENGTH; i++)
		buf[i] = uscc_charset[digit[i]];
	buf[USCC_BODY_LENGTH] = uscc_check_char(digit);
	buf[USCC_LENGTH] = '\0';
}

/* Parse, reporting any error; NULL only when a soft error was saved. */
static Uscc *
uscc_from_string(const char *str, int len, const char *display, struct Node *escontext)
{
	Uscc	   *result = palloc(sizeof(Uscc));
	UsccParse	parse;

	uscc_parse(str, len, result, &parse);
	if (parse.status != USCC_OK)
	{
		uscc_report(display, &parse, escontext);
		return NULL;
	}
	return result;
}

PG_FUNCTION_INFO_V1(uscc_in);
/* Text input: NFKC, trimmed, case-insensitive; the check character must agree. */
Datum
uscc_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	Uscc	   *result = uscc_from_string(str, strlen(str), str, SOFT_ERROR_CONTEXT(fcinfo));

	if (result == NULL)
		PG_RETURN_NULL();
	PG_RETURN_USCC_P(result);
}

PG_FUNCTION_INFO_V1(uscc_out);
/* Text output: the canonical upper-case 18 characters. */
Datum
uscc_out(PG_FUNCTION_ARGS)
{
	char	   *buf = palloc(USCC_LENGTH + 1);

	uscc_format(PG_GETARG_USCC_P(0), buf);
	PG_RETURN_CSTRING(buf);
}

PG_FUNCTION_INFO_V1(uscc_recv);
/* Binary input: the code as text, checked like text input. */
Datum
uscc_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			nbytes;
	char	   *str = pq_getmsgtext(buf, buf->len - buf->cursor, &nbytes);

	PG_RETURN_USCC_P(uscc_from_string(str, nbytes, str, NULL));
}

PG_FUNCTION_INFO_V1(uscc_send);
/* Binary output: the canonical 18 characters, so any client can read it. */
Datum
uscc_send(PG_FUNCTION_ARGS)
{
	char		code[USCC_LENGTH + 1];
	StringInfoData buf;

	uscc_format(PG_GETARG_USCC_P(0), code);
	pq_begintypsend(&buf);
	pq_sendtext(&buf, code, USCC_LENGTH);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(uscc_from_text);
/* Cast text to uscc. */
Datum
uscc_from_text(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);

	PG_RETURN_USCC_P(uscc_from_string(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t),
									  text_to_cstring(t), NULL));
}

PG_FUNCTION_INFO_V1(uscc_to_text);
/* Cast uscc to text. */
Datum
uscc_to_text(PG_FUNCTION_ARGS)
{
	char		code[USCC_LENGTH + 1];

	uscc_format(PG_GETARG_USCC_P(0), code);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(code, USCC_LENGTH));
}

PG_FUNCTION_INFO_V1(uscc_check_character);
/* The check character that the first 17 characters of a code imply. */
Datum
uscc_check_character(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	int			value[USCC_LENGTH];
	UsccParse	parse;
	char		check;

	if (!read_code_chars(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), USCC_BODY_LENGTH, value, &parse))
	{
		uscc_report(text_to_cstring(t), &parse, NULL);
		PG_RETURN_NULL();		/* not reached */
	}
	check = uscc_check_char(value);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(&check, 1));
}

PG_FUNCTION_INFO_V1(uscc_is_valid);
/* Whether text would be accepted as a uscc; never raises, for screening imports. */
Datum
uscc_is_valid(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	Uscc		u;
	UsccParse	parse;

	uscc_parse(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &u, &parse);
	PG_RETURN_BOOL(parse.status == USCC_OK);
}

/* Accessors: slices of the canonical form. */
static text *
uscc_slice(const Uscc *u, int first, int count)
{
	char		code[USCC_LENGTH + 1];

	uscc_format(u, code);
	return cstring_to_text_with_len(code + first, count);
}

PG_FUNCTION_INFO_V1(uscc_registration_authority);
/* Position 1: registration authority code (登记管理部门代码). */
Datum
uscc_registration_authority(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(uscc_slice(PG_GETARG_USCC_P(0), 0, 1));
}

PG_FUNCTION_INFO_V1(uscc_organisation_type);
/* Position 2: organisation type code (机构类别代码). */
Datum
uscc_organisation_type(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(uscc_slice(PG_GETARG_USCC_P(0), 1, 1));
}

PG_FUNCTION_INFO_V1(uscc_division_code);
/* Positions 3-8: administrative division code of the registering authority. */
Datum
uscc_division_code(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(uscc_slice(PG_GETARG_USCC_P(0), 2, 6));
}

PG_FUNCTION_INFO_V1(uscc_organisation_code);
/* Positions 9-17: the embedded GB 11714 organisation code. */
Datum
uscc_organisation_code(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(uscc_slice(PG_GETARG_USCC_P(0), 8, 9));
}

/* GB 11714 value of a character: digits 0-9, letters A=10 .. Z=35. */
static int
org_code_char_value(char c)
{
	return (c >= '0' && c <= '9') ? c - '0' : c - 'A' + 10;
}

PG_FUNCTION_INFO_V1(uscc_organisation_code_is_valid);
/*
 * Whether the embedded organisation code's own check character is right.
 * Codes converted from older registrations may fail it; that is information
 * about the registration, not an input error.
 */
Datum
uscc_organisation_code_is_valid(PG_FUNCTION_ARGS)
{
	char		code[USCC_LENGTH + 1];
	const char *org;
	int			sum = 0;
	int			check;
	char		expected;

	uscc_format(PG_GETARG_USCC_P(0), code);
	org = code + 8;
	for (int i = 0; i < 8; i++)
		sum += org_code_char_value(org[i]) * org_code_weight[i];
	check = 11 - sum % 11;
	expected = (check == 10) ? 'X' : (check == 11) ? '0' : (char) ('0' + check);
	PG_RETURN_BOOL(org[8] == expected);
}

/* Comparison: word by word, which is text order. */
static int
uscc_compare(const Uscc *a, const Uscc *b)
{
	for (int w = 0; w < 3; w++)
		if (a->word[w] != b->word[w])
			return (a->word[w] < b->word[w]) ? -1 : 1;
	return 0;
}

#define USCC_COMPARISON(name, test) \
PG_FUNCTION_INFO_V1(name); \
Datum \
name(PG_FUNCTION_ARGS) \
{ \
	int			c = uscc_compare(PG_GETARG_USCC_P(0), PG_GETARG_USCC_P(1)); \
	PG_RETURN_BOOL(test); \
}

USCC_COMPARISON(uscc_eq, c == 0)
USCC_COMPARISON(uscc_ne, c != 0)
USCC_COMPARISON(uscc_lt, c < 0)
USCC_COMPARISON(uscc_le, c <= 0)
USCC_COMPARISON(uscc_gt, c > 0)
USCC_COMPARISON(uscc_ge, c >= 0)

PG_FUNCTION_INFO_V1(uscc_cmp);
/* btree support 1. */
Datum
uscc_cmp(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(uscc_compare(PG_GETARG_USCC_P(0), PG_GETARG_USCC_P(1)));
}

static int
uscc_fastcmp(Datum a, Datum b, SortSupport ssup)
{
	return uscc_compare(DatumGetUsccP(a), DatumGetUsccP(b));
}

PG_FUNCTION_INFO_V1(uscc_sortsupport);
/* btree support 2: sorting without the fmgr call per comparison. */
Datum
uscc_sortsupport(PG_FUNCTION_ARGS)
{
	SortSupport ssup = (SortSupport) PG_GETARG_POINTER(0);

	ssup->comparator = uscc_fastcmp;
	PG_RETURN_VOID();
}

PG_FUNCTION_INFO_V1(uscc_hash);
/* hash support 1. */
Datum
uscc_hash(PG_FUNCTION_ARGS)
{
	return hash_any((const unsigned char *) PG_GETARG_USCC_P(0), sizeof(Uscc));
}

PG_FUNCTION_INFO_V1(uscc_hash_extended);
/* hash support 2: seeded, for hash partitioning. */
Datum
uscc_hash_extended(PG_FUNCTION_ARGS)
{
	return hash_any_extended((const unsigned char *) PG_GETARG_USCC_P(0), sizeof(Uscc),
							 PG_GETARG_INT64(1));
}
