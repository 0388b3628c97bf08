/*
 * normalize.c: Unicode NFKC normalisation with the server's ICU.
 *
 * Clerks paste codes from documents typed with a Chinese input method, so
 * full-width digits and letters (９１３５…ｍ) and the ideographic space arrive
 * in identifiers; NFKC maps them to their ASCII forms.
 */
#include "subsidy.h"

#include "mb/pg_wchar.h"
#include "utils/builtins.h"

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

/* True when every byte is ASCII: NFKC leaves ASCII text as it is. */
static bool
is_ascii(const char *str, int len)
{
	for (int i = 0; i < len; i++)
		if ((unsigned char) str[i] & 0x80)
			return false;
	return true;
}

/*
 * subsidy_nfkc returns the NFKC form of str (len bytes, server encoding) in
 * UTF-8, palloc'd and NUL-terminated, with its length in *result_len; NULL if
 * ICU fails, which callers treat as input they cannot read.  ICU's NFKC
 * instance is a process-wide singleton and the conversions allocate nothing,
 * so no ICU handle needs closing on any path.
 */
char *
subsidy_nfkc(const char *str, int len, int *result_len)
{
	UErrorCode	status = U_ZERO_ERROR;
	const UNormalizer2 *nfkc;
	const char *utf8;
	UChar	   *utf16;
	int32_t		utf16_len;
	UChar	   *normal;
	int32_t		normal_len;
	char	   *result;
	int32_t		out_len;

	if (is_ascii(str, len))
	{
		*result_len = len;
		return pnstrdup(str, len);
	}

	utf8 = (GetDatabaseEncoding() == PG_UTF8) ? str :
		(const char *) pg_server_to_any(str, len, PG_UTF8);
	if (utf8 != str)
		len = strlen(utf8);

	nfkc = unorm2_getNFKCInstance(&status);
	if (U_FAILURE(status))
		return NULL;

	/* UTF-16 never needs more code units than UTF-8 has bytes. */
	utf16 = palloc((len + 1) * sizeof(UChar));
	u_strFromUTF8(utf16, len + 1, &utf16_len, utf8, len, &status);
	if (U_FAILURE(status))
		return NULL;

	/* NFKC may expand (U+FDFA becomes 18 characters): ask ICU for the size. */
	normal_len = unorm2_normalize(nfkc, utf16, utf16_len, NULL, 0, &status);
	if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(status))
		return NULL;
	status = U_ZERO_ERROR;
	normal = palloc((normal_len + 1) * sizeof(UChar));
	unorm2_normalize(nfkc, utf16, utf16_len, normal, normal_len + 1, &status);
	if (U_FAILURE(status))
		return NULL;

	u_strToUTF8(NULL, 0, &out_len, normal, normal_len, &status);
	if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(status))
		return NULL;
	status = U_ZERO_ERROR;
	result = palloc(out_len + 1);
	u_strToUTF8(result, out_len + 1, &out_len, normal, normal_len, &status);
	if (U_FAILURE(status))
		return NULL;

	pfree(utf16);
	pfree(normal);
	*result_len = out_len;
	return result;
}

/*
 * Whether a text says something: has a letter or a digit (Unicode general
 * categories L and N: 无, e, 1, ①).  Blanks of every kind (the full-width
 * space a Chinese input method types, the no-break space, the zero-width
 * space, the Braille blank), controls, format characters, a combining mark
 * with nothing to mark, the object replacement character, punctuation and
 * symbols alone say nothing: a reason, a comment or an objection made of those
 * is blank, however long.
 */
bool
text_says_something(const char *str, int len)
{
	const uint8_t *utf8;
	int32_t		n,
				i = 0;

	/* the common case: an ASCII letter or digit settles it */
	for (int k = 0; k < len; k++)
	{
		unsigned char b = (unsigned char) str[k];

		if ((b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z'))
			return true;
	}
	if (is_ascii(str, len))
		return false;
	utf8 = (const uint8_t *) pg_server_to_any(str, len, PG_UTF8);
	n = ((const char *) utf8 == str) ? len : (int32_t) strlen((const char *) utf8);
	while (i < n)
	{
		UChar32		c;

		U8_NEXT(utf8, i, n, c);
		if (c < 0)
			return true;		/* not UTF-8 after all: something unreadable, not nothing */
		if (U_GET_GC_MASK(c) & (U_GC_L_MASK | U_GC_N_MASK))
			return true;
	}
	return false;
}

PG_FUNCTION_INFO_V1(says_something);
/* subsidy.says_something(text): whether a required text is more than blanks (see above). */
Datum
says_something(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);

	PG_RETURN_BOOL(text_says_something(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t)));
}

/*
 * A bank account as one string however it was typed (section 11, W7): NFKC
 * (full-width digits become ASCII), then without the separators people type
 * into long numbers: white space of every kind, dashes, the middle dot, and
 * characters that render as nothing.  What is left must be ASCII letters and
 * digits, so that two enterprises on one account are seen as such
 * (shared_bank_account), and an account a payment was returned from is not
 * taken for a corrected one.  NULL when it is not an account at all.
 */
char *
bank_account_normal(const char *str, int len)
{
	int			nlen;
	char	   *nfkc = subsidy_nfkc(str, len, &nlen);
	StringInfoData out;
	int32_t		i = 0;

	if (nfkc == NULL)
		return NULL;
	initStringInfo(&out);
	while (i < nlen)
	{
		UChar32		c;

		U8_NEXT((const uint8_t *) nfkc, i, nlen, c);
		if (c < 0)
			return NULL;
		if (u_isUWhiteSpace(c) || u_charType(c) == U_DASH_PUNCTUATION || c == 0x00B7 ||
			u_charType(c) == U_FORMAT_CHAR || u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT))
			continue;
		if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
			return NULL;
		appendStringInfoChar(&out, (char) (c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c));
	}
	return out.len > 0 ? out.data : NULL;
}

PG_FUNCTION_INFO_V1(bank_account_normal_sql);
/* subsidy.bank_account_normal(text): the account as one string, or an error that says how to write it. */
Datum
bank_account_normal_sql(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	char	   *normal = bank_account_normal(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));

	if (normal == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("\"%s\" is not a bank account number", text_to_cstring(t)),
				 errdetail("An account is written in digits (and Latin letters where the bank uses them); spaces and dashes between the digits are dropped."),
				 errhint("Copy the number from the bank's account certificate (开户许可证).")));
	PG_RETURN_TEXT_P(cstring_to_text(normal));
}
