/*
 * normalize.c: Unicode NFKC normalisation with the server's ICU.
 *
 * Clerks paste codes from documents typed with a Chinese input method, so
 * full-width digits and letters (９１３５…ｍ) and the ideographic space arrive
 * in identifiers; NFKC maps them to their ASCII forms.
 */
#include "subsidy.h"

#include "mb/pg_wchar.h"

#include <unicode/unorm2.h>
#include <unicode/ustring.h>

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
