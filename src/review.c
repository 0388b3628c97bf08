/*
 * review.c: the joint review's decision (W3, W3a, W4).
 *
 * A decision needs the three parties' sign-offs of the current round, each
 * given on the figures as they now stand (W3a: a sign-off keeps a digest of
 * them, trail.c); its outcome and amount come from the engine.  A failed
 * sign-off names the rule of its party's part that the facts fail, so the
 * decision, the engine's verdict and explain() say the same thing (W4).
 */
#include "guard.h"

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"

static SPIPlanPtr plan_sign_offs = NULL;

static const char *const parties[3] = {"hrss", "agency", "finance"};

/* The rules each party's part covers (W3, section 2). */
uint32
party_rules(const char *agency)
{
	if (strcmp(agency, "agency") == 0)
		return (1u << RULE_E1) | (1u << RULE_E11) | (1u << RULE_E12);
	if (strcmp(agency, "hrss") == 0)
		return (1u << RULE_E2) | (1u << RULE_E4) | (1u << RULE_E10) | (1u << RULE_E13);
	return (1u << RULE_E3) | (1u << RULE_E6);
}

/* The rule of a rule id, or -1. */
int
rule_of_id(const char *id)
{
	for (int r = 0; r < RULE_COUNT; r++)
		if (strcmp(rule_id[r], id) == 0)
			return r;
	return -1;
}

static void
append_list(StringInfo buf, const char *item)
{
	appendStringInfo(buf, "%s%s", buf->len ? ", " : "", item);
}

/*
 * The sign-offs of the current round, on the figures they were given on: all
 * three must be there and current (W3, W3a); each failed one's rule must
 * still fail on the facts.  Adds the failed ones to the reasons.
 */
static bool
check_sign_offs(const Row *r, const Verdict *v, Datum *reasons, int *nreasons)
{
	Datum		args[2];
	Oid			argtypes[2] = {INT8OID, INT4OID};
	bool		isnull;
	bool		seen[3] = {false, false, false};
	bool		stale_seen[3] = {false, false, false};
	bool		all_passed = true;
	uint64		digest = figures_digest(r->tuple, r->desc);
	StringInfoData missing,
				stale;

	args[0] = Int64GetDatum(application_id(r));
	args[1] = Int32GetDatum(round_of(r));
	owner_query(&plan_sign_offs,
				"SELECT agency::pg_catalog.text, passed, comment, figures_digest, failed_rule FROM subsidy.sign_off "
				"WHERE application_id OPERATOR(pg_catalog.=) $1 AND review_round OPERATOR(pg_catalog.=) $2 "
				"ORDER BY agency",
				2, argtypes, args, NULL, true);
	initStringInfo(&missing);
	initStringInfo(&stale);
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		HeapTuple	t = SPI_tuptable->vals[i];
		TupleDesc	d = SPI_tuptable->tupdesc;
		char	   *agency = TextDatumGetCString(SPI_getbinval(t, d, 1, &isnull));
		bool		passed = DatumGetBool(SPI_getbinval(t, d, 2, &isnull));
		Datum		signed_digest = SPI_getbinval(t, d, 4, &isnull);

		for (int a = 0; a < 3; a++)
			if (strcmp(agency, parties[a]) == 0)
			{
				if (isnull || (uint64) DatumGetInt64(signed_digest) != digest)
					stale_seen[a] = true;
				else
					seen[a] = true;
			}
		if (isnull || (uint64) DatumGetInt64(signed_digest) != digest)
		{
			append_list(&stale, agency);
			continue;
		}
		if (!passed)
		{
			char	   *comment = SPI_getvalue(t, d, 3);
			char	   *failed = SPI_getvalue(t, d, 5);
			int			rule = failed ? rule_of_id(failed) : -1;

			if (rule < 0 || !(v->failed & (1u << rule)))
			{
				if (failed == NULL)
					ereport(ERROR,
							(errcode(ERRCODE_SUBSIDY_W3),
							 errmsg("the failed sign-off of %s on application %lld names no rule the facts fail",
									agency, (long long) application_id(r)),
							 errdetail("A failed sign-off is a failed rule of its party's part; the parameters in force have changed since it was given (W3, W4)."),
							 errhint("The %s party signs again: subsidy.sign_off(application, '%s', passed, comment).", agency, agency)));
				ereport(ERROR,
						(errcode(ERRCODE_SUBSIDY_W3),
						 errmsg("the failed sign-off of %s on application %lld names %s, which the facts no longer fail",
								agency, (long long) application_id(r), failed),
						 errdetail("A failed sign-off is a failed rule of its party's part; the parameters in force have changed since it was given (W3, W4)."),
						 errhint("The %s party signs again: subsidy.sign_off(application, '%s', passed, comment).", agency, agency)));
			}
			all_passed = false;
			reasons[(*nreasons)++] = CStringGetTextDatum(psprintf("W3 %s: %s", agency, comment ? comment : ""));
		}
	}
	for (int a = 0; a < 3; a++)
		if (!seen[a] && !stale_seen[a])
			append_list(&missing, parties[a]);
	if (stale.len > 0)
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W3),
				 errmsg("the sign-offs of application %lld by %s were given on other figures",
						(long long) application_id(r), stale.data),
				 missing.len ?
				 errdetail("Its figures, review results, list facts or the grounds of its decision changed after they signed, which voids their sign-offs (W3a); there is no sign-off yet from %s.",
						   missing.data) :
				 errdetail("Its figures, review results, list facts or the grounds of its decision changed after they signed, which voids their sign-offs (W3a)."),
				 errhint("Each signs again on the figures as they stand: subsidy.sign_off(application, party, passed, comment).")));
	if (missing.len > 0)
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W3),
				 errmsg("the joint review of application %lld is not complete: no sign-off from %s",
						(long long) application_id(r), missing.data),
				 errdetail("A decision needs the sign-offs of hrss, the agency and finance in review round %d (W3).",
						   round_of(r)),
				 errhint("Each agency signs with subsidy.sign_off(application, agency, passed, comment).")));
	return all_passed;
}

/* W3: the decision and amount come from the engine and the sign-offs, frozen from here on (A6). */
void
decide_from_engine(Changes *ch, const Row *oldrow, const Row *newrow, DateADT today)
{
	const GuardState *st = newrow->st;
	Verdict		v;
	bool		all_passed;
	Datum		reasons[RULE_COUNT + R_COUNT + 3];
	int			nreasons = 0;
	int			nsigned = 0;
	Datum		signed_reasons[3];
	bool		approved;
	const char *why = N_("A decision's outcome and amount come from the engine and the sign-offs (W3).");

	/* the engine reads the decision date (A1's rate may change during the year): today's */
	{
		int			decided_on = st->attno[C_DECIDED_ON];
		Datum		value = DateADTGetDatum(today);
		bool		isnull = false;
		HeapTuple	dated = heap_modify_tuple_by_cols(newrow->tuple, newrow->desc, 1, &decided_on, &value, &isnull);

		(void) verdict_of_row(dated, newrow->desc, &v);
		heap_freetuple(dated);
	}
	all_passed = check_sign_offs(newrow, &v, signed_reasons, &nsigned);
	if (v.outcome == OUTCOME_UNDETERMINED)
	{
		StringInfoData missing;

		initStringInfo(&missing);
		for (int f = 0; f < F_COUNT; f++)
			if (VERDICT_MISSING(&v) & ((uint64) 1 << f))
				append_list(&missing, fact_name[f]);
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W3),
				 errmsg("application %lld cannot be decided: facts are missing (E0)", (long long) application_id(newrow)),
				 errdetail("Missing: %s.", missing.data),
				 errhint("Record them in review; subsidy.explain(application) names each in Chinese.")));
	}
	approved = (v.outcome == OUTCOME_ELIGIBLE) && all_passed;
	for (int rl = 0; rl < RULE_COUNT; rl++)
		if (v.failed & (1u << rl))
			reasons[nreasons++] = CStringGetTextDatum(rule_id[rl]);
	for (int rs = 0; rs < R_COUNT; rs++)
		if (v.reasons & (1u << rs))
			reasons[nreasons++] = CStringGetTextDatum(reason_code[rs]);
	for (int i = 0; i < nsigned; i++)
		reasons[nreasons++] = signed_reasons[i];

	set_by_trigger(ch, oldrow, newrow, C_DECISION, ObjectIdGetDatum(approved ? st->approved_oid : st->rejected_oid), false, why);
	set_by_trigger(ch, oldrow, newrow, C_DECIDED_ON, DateADTGetDatum(today), false, why);
	if (approved)
	{
		set_by_trigger(ch, oldrow, newrow, C_DECIDED_RULE, CStringGetTextDatum(rule_id[AMOUNT_RULE(v.amount_rule)]), false, why);
		set_by_trigger(ch, oldrow, newrow, C_DECIDED_BASIS, ObjectIdGetDatum(st->basis_oid[v.basis]), false, why);
		set_by_trigger(ch, oldrow, newrow, C_DECIDED_BASIS_AMOUNT, scaled_to_numeric(v.basis_amount, 2), false, why);
		set_by_trigger(ch, oldrow, newrow, C_DECIDED_RATE, scaled_to_numeric(v.rate, 3), false, why);
		set_by_trigger(ch, oldrow, newrow, C_DECIDED_AMOUNT, scaled_to_numeric(v.amount, 2), false, why);
		set_by_trigger(ch, oldrow, newrow, C_DECIDED_REASONS, (Datum) 0, true, why);
	}
	else
	{
		for (Col c = C_DECIDED_RULE; c <= C_DECIDED_AMOUNT; c++)
			set_by_trigger(ch, oldrow, newrow, c, (Datum) 0, true, why);
		set_by_trigger(ch, oldrow, newrow, C_DECIDED_REASONS,
					   PointerGetDatum(construct_array(reasons, nreasons, TEXTOID, -1, false, TYPALIGN_INT)),
					   false, why);
	}
	record_payment_account(ch, newrow, approved);
}

static SPIPlanPtr plan_spot_check = NULL;

/*
 * W11, E10: an application's spot_check follows the finding of its drawn
 * check (spot_check_item passes it on), and is never set by hand: a clerk
 * does not make an application ineligible by writing false_data.
 */
void
check_spot_check_finding(const Row *oldrow, const Row *newrow)
{
	bool		isnull;
	Datum		arg = Int64GetDatum(application_id(newrow));
	Oid			argtype = INT8OID;
	char	   *value = text_of(newrow, C_SPOT_CHECK);
	char	   *finding = NULL;

	owner_query(&plan_spot_check,
				"SELECT result::pg_catalog.text FROM subsidy.spot_check_item "
				"WHERE application_id OPERATOR(pg_catalog.=) $1 ORDER BY draw_id DESC LIMIT 1",
				1, &argtype, &arg, NULL, true);
	if (SPI_processed == 1)
		finding = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	(void) isnull;
	if (value == NULL || finding == NULL || strcmp(value, finding) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W11),
				 errmsg("the spot check of application %lld is recorded by the check, not by hand",
						(long long) application_id(newrow)),
				 finding ?
				 errdetail("An application's spot_check follows the finding of the check drawn for it, which is %s (W11, E10).",
						   finding) :
				 errdetail("An application's spot_check follows the finding of a check drawn for it, and none was drawn (W11, E10)."),
				 errhint("Draw checks with CALL subsidy.draw_spot_checks and record what they find with subsidy.record_spot_check.")));
}
