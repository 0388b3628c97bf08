/*
 * signoff.c: the joint review's sign-offs (W3), one per party and round.
 *
 * Each party signs only its own part, while the application is in review, in
 * its current round, and not where the signer is recorded as related to the
 * enterprise (section 11); a sign-off is never deleted.  An application the
 * signer cannot see is answered exactly as one that does not exist (S1).
 * A sign-off records the digest of the figures it is given on (W3a), and a
 * failed one the rule of its party's part that the facts fail (W3, W4): the
 * facts are recorded first, so that the decision, the engine's verdict and
 * explain() agree.  trail.c logs it once written.
 */
#include "guard.h"

#include "funcapi.h"
#include "utils/typcache.h"

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/timestamp.h"

static SPIPlanPtr plan_visible = NULL;
static SPIPlanPtr plan_lock_application = NULL;

/* The columns of subsidy.sign_off the guard reads and sets. */
typedef struct SignOffColumns
{
	int			application,
				agency,
				round,
				passed,
				comment,
				signed_by,
				signed_at,
				digest,
				failed_rule;
} SignOffColumns;

static void
sign_off_columns(TupleDesc desc, SignOffColumns *c)
{
	c->application = SPI_fnumber(desc, "application_id");
	c->agency = SPI_fnumber(desc, "agency");
	c->round = SPI_fnumber(desc, "review_round");
	c->passed = SPI_fnumber(desc, "passed");
	c->comment = SPI_fnumber(desc, "comment");
	c->signed_by = SPI_fnumber(desc, "signed_by");
	c->signed_at = SPI_fnumber(desc, "signed_at");
	c->digest = SPI_fnumber(desc, "figures_digest");
	c->failed_rule = SPI_fnumber(desc, "failed_rule");
	if (c->application <= 0 || c->agency <= 0 || c->round <= 0 || c->passed <= 0 || c->comment <= 0 ||
		c->signed_by <= 0 || c->signed_at <= 0 || c->digest <= 0 || c->failed_rule <= 0)
		elog(ERROR, "subsidy.sign_off is missing a column");
}

/* The party a sign-off is for, and the role that signs for it. */
static Role
party_role(const char *agency)
{
	return strcmp(agency, "hrss") == 0 ? ROLE_HRSS : strcmp(agency, "agency") == 0 ? ROLE_AGENCY : ROLE_FINANCE;
}

static const char *const party_refusal[ROLE_COUNT] = {
	[ROLE_HRSS] = N_("permission denied to sign off for hrss"),
	[ROLE_AGENCY] = N_("permission denied to sign off for the agency"),
	[ROLE_FINANCE] = N_("permission denied to sign off for finance")
};

/* An application the caller may see (row-level security decides), or the error a missing one gets. */
static void
require_visible_application(int64 app, bool app_null)
{
	Datum		arg = Int64GetDatum(app);
	Oid			argtype = INT8OID;

	if (app_null)
		ereport(ERROR,
				(errcode(ERRCODE_NOT_NULL_VIOLATION),
				 errmsg("a sign-off names the application it signs")));
	if (plan_visible == NULL)
	{
		plan_visible = SPI_prepare("SELECT FROM subsidy.application WHERE id OPERATOR(pg_catalog.=) $1", 1, &argtype);
		if (plan_visible == NULL || SPI_keepplan(plan_visible) != 0)
			elog(ERROR, "could not prepare the visibility check");
	}
	if (SPI_execute_plan(plan_visible, &arg, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not look the application up");
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("no application %lld in your regions", (long long) app),
				 errhint("Each role sees the applications of the pooling regions it acts in (subsidy.staff_region).")));
}

/* A sign-off's application, agency and round never change. */
static void
refuse_moved_sign_off(HeapTuple old, HeapTuple tuple, TupleDesc desc, const SignOffColumns *c)
{
	bool		n1,
				n2;

	if (!datum_image_eq(heap_getattr(old, c->application, desc, &n1), heap_getattr(tuple, c->application, desc, &n2), true, 8) ||
		n1 != n2 ||
		DatumGetObjectId(heap_getattr(old, c->agency, desc, &n1)) != DatumGetObjectId(heap_getattr(tuple, c->agency, desc, &n2)) ||
		DatumGetInt32(heap_getattr(old, c->round, desc, &n1)) != DatumGetInt32(heap_getattr(tuple, c->round, desc, &n2)))
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W3),
				 errmsg("a sign-off's application, agency and round never change"),
				 errhint("Sign the other application, or in the new round, as a new sign-off.")));
}


/* The party's rules, as text for a message: "E2, E4, E10". */
static char *
rules_text(uint32 rules)
{
	StringInfoData buf;

	initStringInfo(&buf);
	for (int r = 0; r < RULE_COUNT; r++)
		if (rules & (1u << r))
			appendStringInfo(&buf, "%s%s", buf.len ? ", " : "", rule_id[r]);
	return buf.data;
}

/*
 * The rule a failed sign-off finds failed: the one it names, or the first of
 * its party's rules the facts fail.  A passed sign-off names none.
 */
static Datum
failed_rule_of(HeapTuple tuple, TupleDesc desc, const SignOffColumns *c, const char *agency, bool passed,
			   const Verdict *v, bool *isnull)
{
	uint32		rules = party_rules(agency);
	bool		given_null;
	Datum		given = heap_getattr(tuple, c->failed_rule, desc, &given_null);
	int			rule = -1;

	if (passed)
	{
		if (!given_null)
			ereport(ERROR,
					(errcode(ERRCODE_SUBSIDY_W3),
					 errmsg("a passed sign-off names no failed rule")));
		*isnull = true;
		return (Datum) 0;
	}
	if (!given_null)
	{
		char	   *id = TextDatumGetCString(given);

		rule = rule_of_id(id);
		if (rule < 0 || !(rules & (1u << rule)))
			ereport(ERROR,
					(errcode(ERRCODE_SUBSIDY_W3),
					 errmsg("%s is not a rule of %s's part of the review", id, agency),
					 errdetail("%s signs off %s (W3, section 2).", agency, rules_text(rules)),
					 errhint("Name one of them, or leave the rule out to take the one the facts fail.")));
		if (!(v->failed & (1u << rule)))
			ereport(ERROR,
					(errcode(ERRCODE_SUBSIDY_W3),
					 errmsg("the facts on record do not fail %s", id),
					 errdetail("A failed sign-off is a failed rule: the decision, its explanation and the sign-off must agree (W3, W4)."),
					 rule == RULE_E1 ? errhint("Record the finding first (the confirmed premiums and arrears), then sign.") :
					 rule == RULE_E2 ? errhint("Record the finding first (confirmed_layoffs), then sign.") :
					 rule == RULE_E3 ? errhint("Record the finding first (financial_management_sound = false), then sign.") :
					 rule == RULE_E4 ? errhint("Record the finding first (policy_compliant = false), then sign.") :
					 rule == RULE_E6 ? errhint("Record the finding first (confirmed_prior_subsidy_use_proper = false), then sign.") :
					 errhint("Record the finding first (the spot check's result), then sign.")));
	}
	else
	{
		for (int r = 0; r < RULE_COUNT && rule < 0; r++)
			if ((rules & (1u << r)) && (v->failed & (1u << r)))
				rule = r;
		if (rule < 0)
			ereport(ERROR,
					(errcode(ERRCODE_SUBSIDY_W3),
					 errmsg("the facts on record fail none of %s's rules (%s)", agency, rules_text(rules)),
					 errdetail("A failed sign-off is a failed rule of the party's own part, so that the decision, its explanation and the sign-off agree (W3, W4)."),
					 strcmp(agency, "hrss") == 0 ?
					 errhint("Record the finding first: confirmed_layoffs (E2), policy_compliant = false (E4) or the spot check's result (E10).") :
					 strcmp(agency, "finance") == 0 ?
					 errhint("Record the finding first: financial_management_sound = false (E3) or confirmed_prior_subsidy_use_proper = false (E6).") :
					 errhint("Record the finding first: the confirmed premiums and arrears (E1).")));
	}
	*isnull = false;
	return CStringGetTextDatum(rule_id[rule]);
}

static SPIPlanPtr plan_other_part = NULL;
static SPIPlanPtr plan_signer_open = NULL;

/*
 * The joint review is three departments' (W3): a login that holds more than
 * one party's role (a DBA's grant made for convenience) signs one part of an
 * application's round, not two, or one clerk would be the whole review (the
 * attack round's F4).  The provincial DBA and superusers, who may take every
 * party's step (README), are not held to it.  SPI must be connected.
 */
static void
refuse_second_part(int64 app, int32 round, const char *agency)
{
	Datum		args[4];
	Oid			argtypes[4] = {INT8OID, INT4OID, TEXTOID, NAMEOID};

	if (session_sees_every_region())
		return;
	args[0] = Int64GetDatum(app);
	args[1] = Int32GetDatum(round);
	args[2] = CStringGetTextDatum(agency);
	args[3] = DirectFunctionCall1(namein, CStringGetDatum(GetUserNameFromId(GetSessionUserId(), false)));
	owner_query(&plan_other_part,
				"SELECT agency::pg_catalog.text FROM subsidy.sign_off"
				" WHERE application_id OPERATOR(pg_catalog.=) $1 AND review_round OPERATOR(pg_catalog.=) $2"
				"   AND agency::pg_catalog.text OPERATOR(pg_catalog.<>) $3 AND signed_by OPERATOR(pg_catalog.=) $4"
				" ORDER BY agency LIMIT 1",
				4, argtypes, args, NULL, true);
	if (SPI_processed > 0)
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W3),
				 errmsg("you signed off application %lld for %s in this round already", (long long) app,
						SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1)),
				 errdetail("The joint review is three departments' (W3): one login signs one party's part of an application."),
				 errhint("A clerk of %s signs its part, at a login of their own.", agency)));
}

/*
 * ALTER ROLE ... RENAME TO of a login whose sign-off stands in a review still
 * open is refused (hooks.c, in the rename's transaction): a sign-off names
 * its signer by login, so, renamed, the login would sign another party's part
 * of the same application as if it were someone else (the second attack
 * round's G1).  Nothing where the extension is not installed, or while a
 * restore is.
 */
void
refuse_rename_of_signer(const char *old_name)
{
	Oid			nsp = get_namespace_oid("subsidy", true);
	Oid			argtype = TEXTOID;
	Datum		arg = CStringGetTextDatum(old_name);
	int64		app = 0;

	if (!OidIsValid(nsp) || !OidIsValid(get_relname_relid("sign_off", nsp)) || restoring())
		return;
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	owner_query(&plan_signer_open,
				"SELECT a.id FROM subsidy.sign_off s JOIN subsidy.application a"
				" ON a.id OPERATOR(pg_catalog.=) s.application_id AND a.review_round OPERATOR(pg_catalog.=) s.review_round"
				" WHERE s.signed_by OPERATOR(pg_catalog.=) $1::pg_catalog.name"
				" AND a.stage::pg_catalog.text OPERATOR(pg_catalog.=) 'in_review'"
				" ORDER BY a.id LIMIT 1",
				1, &argtype, &arg, NULL, true);
	if (SPI_processed == 1)
	{
		bool		isnull;

		app = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	}
	SPI_finish();
	if (app != 0)
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W3),
				 errmsg("role \"%s\" signed off application %lld, whose review is still open", old_name, (long long) app),
				 errdetail("A sign-off names its signer's login; renamed, the login could sign another party's part of the same application (W3)."),
				 errhint("Rename the role once the reviews it signed in are decided.")));
}

PG_FUNCTION_INFO_V1(sign_off_guard);
/*
 * Trigger on subsidy.sign_off: each agency signs only its own part, while the
 * application is in review, in its current round, and not where the signer
 * is related to the enterprise (section 11); sign-offs are never deleted.
 */
Datum
sign_off_guard(PG_FUNCTION_ARGS)
{
	static const char *const tables[] = {"sign_off", NULL};
	TriggerData *trigdata = trigger_on(fcinfo, "sign_off_guard", tables, true, 1);
	TupleDesc	desc;
	HeapTuple	tuple;
	SignOffColumns c;
	bool		isnull,
				app_null;
	int64		app;
	char	   *agency;
	Datum		arg;
	Oid			argtype = INT8OID;
	char	   *uscc,
			   *stage;
	int32		round;
	bool		passed;
	TupleDesc	appdesc;
	HeapTupleData apptuple;

	if (TRIGGER_FIRED_BY_DELETE(trigdata->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W3),
				 errmsg("a sign-off is never deleted"),
				 errdetail("Sign-offs are part of the review's record (W3, W9)."),
				 errhint("An agency that changes its view signs again: subsidy.sign_off replaces its verdict while the review is open.")));
	desc = RelationGetDescr(trigdata->tg_relation);
	tuple = TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) ? trigdata->tg_newtuple : trigdata->tg_trigtuple;
	if (restoring())
		return PointerGetDatum(tuple);
	sign_off_columns(desc, &c);
	app = DatumGetInt64(heap_getattr(tuple, c.application, desc, &app_null));
	if (heap_attisnull(tuple, c.agency, desc))
		ereport(ERROR,
				(errcode(ERRCODE_NOT_NULL_VIOLATION),
				 errmsg("a sign-off names the party that signs it: hrss, agency or finance")));
	agency = DatumGetCString(DirectFunctionCall1(enum_out, heap_getattr(tuple, c.agency, desc, &isnull)));
	if (TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event))
		refuse_moved_sign_off(trigdata->tg_trigtuple, tuple, desc, &c);

	require_role(ROLE_BIT(party_role(agency)), party_refusal[party_role(agency)], "W3");

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	require_visible_application(app, app_null);

	/*
	 * Lock the application, read whole: a decision and a change of sign-off
	 * take turns, and the sign-off is given on the figures as they stand.
	 */
	arg = Int64GetDatum(app);
	owner_query(&plan_lock_application,
				"SELECT a FROM subsidy.application a WHERE id OPERATOR(pg_catalog.=) $1 FOR NO KEY UPDATE",
				1, &argtype, &arg, NULL, false);
	if (SPI_processed != 1)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("no application %lld in your regions", (long long) app)));
	{
		HeapTupleHeader th = DatumGetHeapTupleHeader(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));

		appdesc = lookup_rowtype_tupdesc_copy(HeapTupleHeaderGetTypeId(th), HeapTupleHeaderGetTypMod(th));
		apptuple.t_len = HeapTupleHeaderGetDatumLength(th);
		ItemPointerSetInvalid(&apptuple.t_self);
		apptuple.t_tableOid = InvalidOid;
		apptuple.t_data = th;
	}
	uscc = SPI_getvalue(&apptuple, appdesc, SPI_fnumber(appdesc, "uscc"));
	stage = SPI_getvalue(&apptuple, appdesc, SPI_fnumber(appdesc, "stage"));
	round = DatumGetInt32(heap_getattr(&apptuple, SPI_fnumber(appdesc, "review_round"), appdesc, &isnull));
	if (strcmp(stage, "in_review") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W3),
				 errmsg("application %lld is %s: sign-offs are given during its review", (long long) app, stage),
				 errdetail("Each agency signs off while the application is in_review; the decision then freezes them (W3, A6).")));
	if (heap_attisnull(tuple, c.round, desc) ||
		DatumGetInt32(heap_getattr(tuple, c.round, desc, &isnull)) != round)
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W3),
				 errmsg("application %lld is in review round %d", (long long) app, round),
				 errhint("Sign off in the current round.")));
	passed = DatumGetBool(heap_getattr(tuple, c.passed, desc, &isnull));
	if (!passed)
	{
		Datum		comment = heap_getattr(tuple, c.comment, desc, &isnull);

		if (isnull || !text_says_something(VARDATA_ANY(DatumGetTextPP(comment)), VARSIZE_ANY_EXHDR(DatumGetTextPP(comment))))
			ereport(ERROR,
					(errcode(ERRCODE_SUBSIDY_W3),
					 errmsg("a failed sign-off says why"),
					 errdetail("A rejection carries its reasons (W3, W4), and %s's is one of them; blanks, however typed, say nothing.", agency),
					 errhint("Sign with a comment: subsidy.sign_off(application, '%s', false, 'the reason').", agency)));
	}
	refuse_related_reviewer(uscc, agency);
	refuse_second_part(app, round, agency);

	/* Who signed, when, on which figures, failing which rule. */
	{
		Datum		values[4];
		bool		nulls[4] = {false, false, false, false};
		int			cols[4] = {c.signed_by, c.signed_at, c.digest, c.failed_rule};
		Verdict		v;

		(void) verdict_of_row(&apptuple, appdesc, &v);
		values[0] = DirectFunctionCall1(namein, CStringGetDatum(GetUserNameFromId(GetSessionUserId(), false)));
		values[1] = TimestampTzGetDatum(GetCurrentStatementStartTimestamp());
		values[2] = Int64GetDatum((int64) figures_digest(&apptuple, appdesc));
		values[3] = failed_rule_of(tuple, desc, &c, agency, passed, &v, &nulls[3]);
		tuple = heap_modify_tuple_by_cols(tuple, desc, 4, cols, values, nulls);
	}
	tuple = SPI_copytuple(tuple);
	SPI_finish();
	return PointerGetDatum(tuple);
}
