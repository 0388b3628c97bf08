/*
 * normalize.c: Unicode NFKC normalisation with the server's ICU.
 *
 * Clerks paste codes from documents typed with a Chinese input method, so
 * full-width digits and letters (９１３５…ｍ) and the ideographic space arrive
 * in identifiers; NFKC maps them to their ASCII forms.
 */
#include "subsidy.h"

#include "mb/pg_wchar.h"

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
 * Whether a text says something: has a character that is not white space
 * (Unicode White_Space, which takes in the full-width space a Chinese input
 * method types and the no-break space), not a control or format character,
 * and not one that renders as nothing (Default_Ignorable_Code_Point: the
 * zero-width space and its kin).  A reason, a comment or an objection made of
 * those alone is blank, however long.
 */
bool
text_says_something(const char *str, int len)
{
	const uint8_t *utf8;
	int32_t		n,
				i = 0;

	/* the common case: a printable ASCII character settles it */
	for (int k = 0; k < len; k++)
	{
		unsigned char b = (unsigned char) str[k];

		if (b > 0x20 && b < 0x7f)
			return true;
	}
	if (is_ascii(str, len))
		return false;
	utf8 = (const uint8_t *) pg_server_to_any(str, len, PG_UTF8);
	n = ((const char *) utf8 == str) ? len : (int32_t) strlen((const char *) utf8);
	while (i < n)
	{
		UChar32		c;
		int8_t		type;

		U8_NEXT(utf8, i, n, c);
		if (c < 0)
			return true;		/* not UTF-8 after all: something unreadable, not nothing */
		type = u_charType(c);
		if (u_isUWhiteSpace(c) || type == U_CONTROL_CHAR || type == U_FORMAT_CHAR ||
			u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT))
			continue;
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
