/*
 * rmb.c: amounts in Chinese capitals (人民币大写), as the publicity list shows them.
 *
 * The words come from ICU's Chinese financial spell-out (the "zh" rule set
 * %spellout-cardinal-financial: 壹贰叁…, 拾佰仟).  ICU spells a number as
 * prose does, not as the People's Bank of China rules for bills require
 * (《支付结算办法》附一), so the amount is spelled group by group of four digits
 * (亿, 万, 元), each group by ICU, and joined by those rules:
 *
 *  - a leading ten is 壹拾, not 拾 (ICU writes 拾 for 10-19 on their own);
 *  - one 零 for a zero or a run of zeros inside the number (ICU drops the one
 *    that starts a group: 100,010,000 is 壹亿零壹万, not 壹亿壹万);
 *  - where a run of zeros ends at 万 or 亿 and the next digit is a thousand,
 *    the rules allow one 零 or none: none is written (壹拾万柒仟);
 *  - where the yuan digit is zero and 角 is not, one 零 or none: 零 is
 *    written (壹仟陆佰捌拾元零叁角贰分); these two choices give the first form
 *    of each of the rules' own examples, 107,000.53 being
 *    人民币壹拾万柒仟元零伍角叁分;
 *  - 零 after 元 when 角 is zero and 分 is not; 整 after 元 when the amount
 *    ends there, never after 角 or 分.
 *
 * ICU is asked once per group value in a backend's life (at most 10,000);
 * later amounts are assembled from the words already spelled.
 */
#include "subsidy.h"

#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include <unicode/unum.h>
#include <unicode/ustring.h>

#define GROUP_VALUES 10000
#define RMB_MAX_FEN INT64CONST(999999999999)	/* 9,999,999,999.99 yuan */

static const char *const digit_word[10] = {"零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"};

/* The words of each four-digit group as ICU spells them, by value; NULL until asked. */
static char **group_words = NULL;
static UNumberFormat *spellout = NULL;

static UNumberFormat *
financial_spellout(void)
{
	UErrorCode status = U_ZERO_ERROR;
	UChar		ruleset[64];

	if (spellout != NULL)
		return spellout;
	spellout = unum_open(UNUM_SPELLOUT, NULL, 0, "zh", NULL, &status);
	if (U_FAILURE(status))
	{
		spellout = NULL;
		ereport(ERROR,
				(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
				 errmsg("could not open ICU's Chinese spell-out: %s", u_errorName(status))));
	}
	u_uastrncpy(ruleset, "%spellout-cardinal-financial", lengthof(ruleset));
	unum_setTextAttribute(spellout, UNUM_DEFAULT_RULESET, ruleset, -1, &status);
	if (U_FAILURE(status))
	{
		unum_close(spellout);
		spellout = NULL;
		ereport(ERROR,
				(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
				 errmsg("ICU's Chinese locale has no financial spell-out: %s", u_errorName(status))));
	}
	return spellout;
}

/* A group of four digits (1-9999) in ICU's words, with 壹拾 for a leading ten. */
static const char *
group_in_words(int value)
{
	UErrorCode status = U_ZERO_ERROR;
	UChar		spelled[64];
	char		utf8[256];
	int32_t		len;
	int32_t		utf8_len;
	const char *prefix;

	Assert(value > 0 && value < GROUP_VALUES);
	if (group_words == NULL)
		group_words = MemoryContextAllocZero(TopMemoryContext, sizeof(char *) * GROUP_VALUES);
	if (group_words[value] != NULL)
		return group_words[value];

	len = unum_formatInt64(financial_spellout(), value, spelled, lengthof(spelled), NULL, &status);
	if (U_SUCCESS(status))
		u_strToUTF8(utf8, sizeof(utf8), &utf8_len, spelled, len, &status);
	if (U_FAILURE(status))
		ereport(ERROR,
				(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
				 errmsg("ICU could not spell %d in Chinese: %s", value, u_errorName(status))));
	/* ICU writes 拾 for 10-19; bills write 壹拾 */
	prefix = (value >= 10 && value <= 19) ? digit_word[1] : "";
	group_words[value] = MemoryContextStrdup(TopMemoryContext, psprintf("%s%s", prefix, utf8));
	return group_words[value];
}

/* The capitals of an amount in fen, 0 to RMB_MAX_FEN. */
static char *
capitals_of_fen(int64 fen)
{
	static const char *const group_unit[3] = {"", "万", "亿"};
	StringInfoData buf;
	int64		yuan = fen / 100;
	int			jiao = (fen / 10) % 10;
	int			cents = fen % 10;
	int			groups[3];
	bool		started = false;

	initStringInfo(&buf);
	appendStringInfoString(&buf, "人民币");
	groups[0] = yuan % GROUP_VALUES;
	groups[1] = (yuan / GROUP_VALUES) % GROUP_VALUES;
	groups[2] = yuan / (GROUP_VALUES * GROUP_VALUES);

	for (int g = 2; g >= 0; g--)
	{
		if (groups[g] == 0)
			continue;
		/* a run of zeros that ends inside this group: one 零 */
		if (started && groups[g] < 1000)
			appendStringInfoString(&buf, "零");
		appendStringInfoString(&buf, group_in_words(groups[g]));
		appendStringInfoString(&buf, group_unit[g]);
		started = true;
	}

	if (started)
	{
		appendStringInfoString(&buf, "元");
		if (jiao == 0 && cents == 0)
			appendStringInfoString(&buf, "整");
		else if (jiao == 0 || yuan % 10 == 0)
			appendStringInfoString(&buf, "零");
	}
	else if (jiao == 0 && cents == 0)
		appendStringInfoString(&buf, "零元整");
	if (jiao != 0)
	{
		appendStringInfoString(&buf, digit_word[jiao]);
		appendStringInfoString(&buf, "角");
	}
	if (cents != 0)
	{
		appendStringInfoString(&buf, digit_word[cents]);
		appendStringInfoString(&buf, "分");
	}
	return buf.data;
}

PG_FUNCTION_INFO_V1(rmb_upper);
/* subsidy.rmb_upper(numeric): 人民币大写 of an amount in yuan, exact to the fen. */
Datum
rmb_upper(PG_FUNCTION_ARGS)
{
	Datum		amount = PG_GETARG_DATUM(0);
	int64		fen;

	if (!numeric_scaled(amount, 2, &fen))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("amount %s has no capitals", DatumGetCString(DirectFunctionCall1(numeric_out, amount))),
				 errdetail("Capitals spell an amount of yuan to the fen: at most two decimal places, not NaN or infinite."),
				 errhint("Round the amount to the fen first, by the rounding rule that applies to it.")));
	if (fen < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a negative amount has no capitals on a bill: %s",
						DatumGetCString(DirectFunctionCall1(numeric_out, amount))),
				 errhint("Spell the absolute amount, and say in words which way it goes.")));
	if (fen > RMB_MAX_FEN)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("amount %s is beyond what rmb_upper spells",
						DatumGetCString(DirectFunctionCall1(numeric_out, amount))),
				 errdetail("Capitals are spelled up to 9,999,999,999.99 yuan (玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分).")));
	PG_RETURN_TEXT_P(cstring_to_text(capitals_of_fen(fen)));
}
