/*
 * trail.c: what the workflow logs (W9), and the figures a sign-off is given
 * on (W3a).
 *
 * Entries are appended by AFTER ROW triggers, from the rows as written: a
 * statement that writes nothing (an INSERT ... ON CONFLICT DO NOTHING that
 * met its conflict, an UPDATE another trigger cancelled) logs nothing.  Each
 * transition, sign-off, change of figures under review, correction, re-check
 * of the account paid into and report of a payment time is an entry of the
 * region's chain (audit.c); so is every change of an enterprise's bank
 * details, which a payment must follow (W7).
 *
 * A sign-off keeps a digest of the figures it was given on: the list facts,
 * the confirmed figures and the review results (SHA-256 of their text, cut to
 * 64 bits).  A change of any of them changes the digest, which voids the
 * round's sign-offs given before it (W3a); the change's entry names them.
 */
#include "guard.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "port/pg_bswap.h"
#include "utils/array.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "miscadmin.h"
#include "utils/json.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/syscache.h"
#include "utils/typcache.h"

/* ---------------------------------------------------------------------------
 * The figures' digest (W3a)
 * ---------------------------------------------------------------------------
 */

#define MAX_DIGEST_COLUMNS 32

typedef struct DigestColumns
{
	Oid			typid;			/* the row type the attnos are for */
	int			natts;
	int			count;
	const char *name[MAX_DIGEST_COLUMNS];
	int			attno[MAX_DIGEST_COLUMNS];
	FmgrInfo	out[MAX_DIGEST_COLUMNS];
} DigestColumns;

static DigestColumns *digest_columns = NULL;

static const DigestColumns *
digest_columns_of(TupleDesc desc)
{
	DigestColumns *d = digest_columns;

	if (d != NULL && d->typid == desc->tdtypeid && d->natts == desc->natts && OidIsValid(d->typid))
		return d;
	if (d == NULL)
		d = digest_columns = MemoryContextAllocZero(TopMemoryContext, sizeof(DigestColumns));
	d->typid = InvalidOid;
	d->count = 0;
	for (int i = 0; i < column_group_count; i++)
	{
		int			attno;
		Oid			out;
		bool		varlena;

		if (!(GROUP_BIT(column_groups[i].group) & REVIEW_GROUPS))
			continue;
		attno = SPI_fnumber(desc, column_groups[i].column);
		if (attno <= 0)
			elog(ERROR, "column \"%s\" is missing from the application row", column_groups[i].column);
		if (d->count >= MAX_DIGEST_COLUMNS)
			elog(ERROR, "too many columns in the figures' digest");
		getTypeOutputInfo(TupleDescAttr(desc, attno - 1)->atttypid, &out, &varlena);
		d->name[d->count] = column_groups[i].column;
		d->attno[d->count] = attno;
		fmgr_info_cxt(out, &d->out[d->count], TopMemoryContext);
		d->count++;
	}
	d->natts = desc->natts;
	d->typid = desc->tdtypeid;
	return d;
}

/*
 * The grounds a decision is computed from besides the application's own
 * figures: the parameters in force for its region and year, and the region's
 * basis-year facts (rate, fund, window), as the engine reads them.  A change
 * of any of them after the sign-offs is a change of the figures they were
 * given on (W3a): a rate lowered or a fund shrunk would otherwise turn three
 * approvals into a rejection nobody signed.
 */
static void
append_grounds(StringInfo buf, HeapTuple tuple, TupleDesc desc)
{
	static int	region_attno = 0,
				year_attno = 0,
				uscc_attno = 0;
	static Oid	typid = InvalidOid;
	bool		isnull;
	Datum		region,
				year;
	text	   *code;
	const Policy *p;

	if (typid != desc->tdtypeid || !OidIsValid(typid))
	{
		region_attno = SPI_fnumber(desc, "region");
		year_attno = SPI_fnumber(desc, "year");
		uscc_attno = SPI_fnumber(desc, "uscc");
		if (region_attno <= 0 || year_attno <= 0 || uscc_attno <= 0)
			elog(ERROR, "the application row has no region, year or enterprise");
		typid = desc->tdtypeid;
	}
	region = heap_getattr(tuple, region_attno, desc, &isnull);
	if (isnull)
		return;
	year = heap_getattr(tuple, year_attno, desc, &isnull);
	if (isnull)
		return;
	/* section 11: who is on record as related to the enterprise (a relation recorded later voids) */
	{
		char	   *uscc = SPI_getvalue(tuple, desc, uscc_attno);

		if (uscc != NULL)
			appendStringInfo(buf, "relations\t%s\n", relations_of_enterprise(uscc));
	}
	code = DatumGetTextPP(region);
	p = policy_lookup(DatumGetInt32(year), VARDATA_ANY(code), VARSIZE_ANY_EXHDR(code));
	if (p == NULL)
	{
		appendStringInfoString(buf, "grounds\t\\N\n");
		return;
	}
	appendStringInfo(buf, "grounds\t%d %d %d %d %d " INT64_FORMAT " " INT64_FORMAT " %d %d %d %d %d %d %d %d %d\n",
					 p->rate_large, p->rate_small_micro, p->decapacity_rate, p->arrears_path_rate, (int) p->formula,
					 p->threshold, p->priority_factor, (int) p->fund_balance_known, (int) p->fund_expenditure_known,
					 (int) p->fund_covered, p->fund_cover, p->fund_required, p->rounding_scale, (int) p->has_window,
					 p->window_opens, p->window_closes);
	/* DOMAIN section 13's parameters, and the region facts A7 reads */
	appendStringInfo(buf, "regime\t" INT64_FORMAT " %d %d " INT64_FORMAT " %d %d %d " INT64_FORMAT " " INT64_FORMAT
					 " %d %d %d %d %d %d %d %d %d %d %d %d " INT64_FORMAT " %d\n",
					 p->test_large.threshold, (int) p->test_large.source, (int) p->test_large.not_above,
					 p->test_sme.threshold, (int) p->test_sme.source, (int) p->test_sme.not_above,
					 (int) p->small_units, p->small_unit_headcount, p->small_unit_rate,
					 p->early_rate_large, p->rate_large_from, p->min_full_months,
					 (int) p->six_kinds_covered, (int) p->six_kinds_by_headcount, (int) p->dishonesty_rule,
					 (int) p->fund_of_province, (int) p->window_required, p->hardship_months,
					 (int) p->hardship_by_premiums, (int) p->hardship_fund_known, (int) p->hardship_fund_covered,
					 p->average_benefit, (int) p->amount_largest);
}

/*
 * The digest of an application's review figures and the grounds its decision
 * is computed from: SHA-256 over each column's name and text (labels, not
 * oids, so that it survives a dump and restore) and the grounds, the first 64
 * bits.
 */
uint64
figures_digest(HeapTuple tuple, TupleDesc desc)
{
	const DigestColumns *d = digest_columns_of(desc);
	StringInfoData buf;
	uint8		hash[32];
	uint64		result;

	initStringInfo(&buf);
	for (int i = 0; i < d->count; i++)
	{
		bool		isnull;
		Datum		v = heap_getattr(tuple, d->attno[i], desc, &isnull);

		appendStringInfoString(&buf, d->name[i]);
		if (isnull)
			appendStringInfoString(&buf, "\t\\N\n");
		else
		{
			appendStringInfoChar(&buf, '\t');
			appendStringInfoString(&buf, OutputFunctionCall((FmgrInfo *) &d->out[i], v));
			appendStringInfoChar(&buf, '\n');
		}
	}
	append_grounds(&buf, tuple, desc);
	sha256_buffer(buf.data, buf.len, hash);
	memcpy(&result, hash, sizeof(result));
	pfree(buf.data);
	return pg_ntoh64(result);
}

PG_FUNCTION_INFO_V1(application_figures_digest);
/* subsidy.figures_digest(application): the digest its sign-offs must carry to count (W3a). */
Datum
application_figures_digest(PG_FUNCTION_ARGS)
{
	HeapTupleHeader th = PG_GETARG_HEAPTUPLEHEADER(0);
	TupleDesc	desc = lookup_rowtype_tupdesc(HeapTupleHeaderGetTypeId(th), HeapTupleHeaderGetTypMod(th));
	HeapTupleData tuple;
	uint64		digest;

	tuple.t_len = HeapTupleHeaderGetDatumLength(th);
	ItemPointerSetInvalid(&tuple.t_self);
	tuple.t_tableOid = InvalidOid;
	tuple.t_data = th;
	digest = figures_digest(&tuple, desc);
	ReleaseTupleDesc(desc);
	PG_RETURN_INT64((int64) digest);
}

/*
 * Entries write dates as ISO (YYYY-MM-DD) whatever the session's DateStyle: a
 * trail read years later, by anyone, reads one way.
 */
static Datum
logged_in_iso(Datum (*body) (FunctionCallInfo), FunctionCallInfo fcinfo)
{
	int			save = DateStyle;
	Datum		result;

	DateStyle = USE_ISO_DATES;
	PG_TRY();
	{
		result = body(fcinfo);
	}
	PG_FINALLY();
	{
		DateStyle = save;
	}
	PG_END_TRY();
	return result;
}

/* ---------------------------------------------------------------------------
 * Entries
 * ---------------------------------------------------------------------------
 */

/* A JSON object of the fields given (a missing key is an empty figure). */
static void
json_field(StringInfo buf, const char *key, const char *value, bool quote)
{
	if (value == NULL)
		return;
	appendStringInfo(buf, "%s\"%s\": ", buf->len > 1 ? ", " : "", key);
	if (quote)
		escape_json(buf, value);
	else
		appendStringInfoString(buf, value);
}

static void
json_pair(StringInfo buf, const char *key, const char *before, const char *after)
{
	appendStringInfo(buf, "%s\"%s\": [", buf->len > 1 ? ", " : "", key);
	if (before == NULL)
		appendStringInfoString(buf, "null");
	else
		escape_json(buf, before);
	appendStringInfoString(buf, ", ");
	if (after == NULL)
		appendStringInfoString(buf, "null");
	else
		escape_json(buf, after);
	appendStringInfoChar(buf, ']');
}

/* The figures a transition entry keeps: those known at that moment. */
static char *
transition_figures(const Row *r)
{
	StringInfoData buf;
	static const struct
	{
		Col			col;
		bool		quote;
	}			fields[] = {
		{C_REVIEW_ROUND, false}, {C_CONFIRMED_PAYABLE, false}, {C_CONFIRMED_PAID, false},
		{C_CONFIRMED_START, false}, {C_DECISION, true}, {C_DECIDED_RULE, true}, {C_DECIDED_AMOUNT, false},
		{C_DECIDED_REASONS, true}, {C_PUBLICITY_ID, false}, {C_PAYMENT_BANK_ACCOUNT, true},
		{C_PAID_ON, true}, {C_PAYMENT_REFERENCE, true}, {C_PAID_AMOUNT, false},
		{C_RETURNED_ON, true}, {C_RETURNED_REFERENCE, true}, {C_RETURNED_BANK_ACCOUNT, true},
		{C_REPORT_BATCH_ID, false}
	};

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	for (int i = 0; i < lengthof(fields); i++)
		json_field(&buf, fields[i].col == C_REVIEW_ROUND ? "round" : col_name[fields[i].col],
				   text_of(r, fields[i].col), fields[i].quote);
	appendStringInfoChar(&buf, '}');
	return buf.data;
}

/* The application row being logged, its subject and state: every entry of the row carries them. */
static const char *row_subject_now = NULL;
static const uint8 *row_state_now = NULL;

static void
audit_row(const Row *r, const char *action, const char *from, const char *to, const char *detail,
		  const char *figures)
{
	AuditEntry	e = {0};

	e.subject = row_subject_now;
	e.state = row_state_now;
	e.uscc = text_of(r, C_USCC);
	e.action = action;
	e.from_stage = from;
	e.to_stage = to;
	e.detail = detail;
	e.figures = figures;
	audit_append(text_of(r, C_REGION), application_id(r), &e);
}

/* Every column of the groups given that changed, as {"column": [before, after]}. */
static char *
changed_figures(const Row *oldrow, const Row *newrow, uint32 groups)
{
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	for (int i = 0; i < newrow->desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(newrow->desc, i);
		Oid			out;
		bool		varlena;

		if (att->attisdropped || !(groups & GROUP_BIT(newrow->st->group[i])))
			continue;
		if (oldrow->nulls[i] == newrow->nulls[i] &&
			(oldrow->nulls[i] || datum_image_eq(oldrow->values[i], newrow->values[i], att->attbyval, att->attlen)))
			continue;
		getTypeOutputInfo(att->atttypid, &out, &varlena);
		json_pair(&buf, NameStr(att->attname),
				  oldrow->nulls[i] ? NULL : OidOutputFunctionCall(out, oldrow->values[i]),
				  newrow->nulls[i] ? NULL : OidOutputFunctionCall(out, newrow->values[i]));
	}
	appendStringInfoChar(&buf, '}');
	return buf.data;
}

/*
 * W3a: the parties whose sign-offs of the round were given on the figures
 * before this change (and so no longer count), or NULL.
 */
static SPIPlanPtr plan_voided = NULL;

static char *
voided_sign_offs(const Row *oldrow)
{
	Datum		args[3];
	Oid			argtypes[3] = {INT8OID, INT4OID, INT8OID};
	StringInfoData buf;

	args[0] = Int64GetDatum(application_id(oldrow));
	args[1] = Int32GetDatum(round_of(oldrow));
	args[2] = Int64GetDatum((int64) figures_digest(oldrow->tuple, oldrow->desc));
	owner_query(&plan_voided,
				"SELECT agency::pg_catalog.text FROM subsidy.sign_off WHERE application_id OPERATOR(pg_catalog.=) $1 "
				"AND review_round OPERATOR(pg_catalog.=) $2 AND figures_digest OPERATOR(pg_catalog.=) $3 ORDER BY agency",
				3, argtypes, args, NULL, true);
	if (SPI_processed == 0)
		return NULL;
	initStringInfo(&buf);
	for (uint64 i = 0; i < SPI_processed; i++)
		appendStringInfo(&buf, "%s%s", i ? ", " : "", SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1));
	return psprintf("W3a: the sign-offs of round %d by %s were given on the figures before this change and no longer count",
					round_of(oldrow), buf.data);
}

/* A text array column's elements, joined by "; ". */
static char *
text_list(const Row *r, Col c)
{
	bool		isnull;
	Datum		array = get(r, c, &isnull);
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	StringInfoData buf;

	initStringInfo(&buf);
	if (isnull)
		return buf.data;
	deconstruct_array(DatumGetArrayTypeP(array), TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
	for (int i = 0; i < n; i++)
		if (!nulls[i])
			appendStringInfo(&buf, "%s%s", buf.len ? "; " : "", TextDatumGetCString(elems[i]));
	return buf.data;
}

/* What a transition's entry says beside its figures. */
static char *
transition_detail(const Row *oldrow, const Row *newrow, Stage from, Stage to)
{
	switch (to)
	{
		case ST_OBJECTION:
			return open_objection(newrow);
		case ST_SUBMITTED:
			if (is_null(newrow, C_CORRECTION_REQUESTED_ON))
				return NULL;
			return psprintf("W2 补正 correction requested, due %s: %s", text_of(newrow, C_CORRECTION_DUE),
							text_list(newrow, C_CORRECTION_ITEMS));
		case ST_CLEARED:
			if (from != ST_PAID)
				return NULL;
			return psprintf("W7 退票 payment %s returned on %s: %s", text_of(newrow, C_RETURNED_REFERENCE),
							text_of(newrow, C_RETURNED_ON), text_of(newrow, C_RETURN_REASON));
		default:
			return NULL;
	}
}


/* Whether an update changed any column at all. */
static bool
row_differs(TupleDesc desc, HeapTuple a, HeapTuple b)
{
	for (int i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);
		bool		a_null,
					b_null;
		Datum		va,
					vb;

		if (att->attisdropped)
			continue;
		va = heap_getattr(a, i + 1, desc, &a_null);
		vb = heap_getattr(b, i + 1, desc, &b_null);
		if (a_null != b_null || (!a_null && !datum_image_eq(va, vb, att->attbyval, att->attlen)))
			return true;
	}
	return false;
}

/* Trigger, AFTER UPDATE ... FOR EACH ROW on subsidy.application: log what the update did. */
static Datum
application_logged_body(FunctionCallInfo fcinfo)
{
	static const char *const tables[] = {"application", NULL};
	TriggerData *trigdata = trigger_on(fcinfo, "application_logged", tables, false, 1);
	GuardState *st;
	Row			oldrow,
				newrow;
	Stage		from,
				to;
	Changed		changed;
	uint32		review_groups;
	bool		needs_spi;
	bool		logged;
	uint8		state[ROW_STATE_BYTES];

	if (restoring() || TRIGGER_FIRED_BY_DELETE(trigdata->tg_event))
		return PointerGetDatum(NULL);
	st = guard_state(fcinfo, trigdata->tg_relation);
	if (TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
	{
		/* a draft's trail starts at submission; a screened application's as it is screened */
		row_init(&newrow, RelationGetDescr(trigdata->tg_relation), st);
		row_set(&newrow, trigdata->tg_trigtuple);
		if (stage_of(&newrow) == ST_DRAFT)
			return PointerGetDatum(NULL);
		row_state(RelationGetDescr(trigdata->tg_relation), trigdata->tg_trigtuple, state);
		row_subject_now = row_subject(trigdata->tg_relation, trigdata->tg_trigtuple);
		row_state_now = state;
		audit_row(&newrow, "transition", NULL, stage_label[stage_of(&newrow)],
				  "免申即享 screened from the agency's records (section 13)", transition_figures(&newrow));
		row_subject_now = NULL;
		row_state_now = NULL;
		return PointerGetDatum(NULL);
	}
	row_init(&oldrow, RelationGetDescr(trigdata->tg_relation), st);
	row_init(&newrow, RelationGetDescr(trigdata->tg_relation), st);
	row_set(&oldrow, trigdata->tg_trigtuple);
	row_set(&newrow, trigdata->tg_newtuple);
	from = stage_of(&oldrow);
	to = stage_of(&newrow);
	if (trigdata->tg_updatedcols != NULL && guard_runs_alone(trigdata->tg_relation, false))
		changed_columns_among(&oldrow, &newrow, trigdata->tg_updatedcols, true, &changed);
	else
		changed_columns(&oldrow, &newrow, &changed);
	review_groups = changed.groups & (REVIEW_GROUPS | (from != ST_DRAFT ? GROUP_BIT(G_DECLARED) : 0));
	/* a draft is the applicant's to edit: its trail starts when it is submitted */
	if (from == ST_DRAFT && to == ST_DRAFT)
		return PointerGetDatum(NULL);
	if (from == to && changed.cols == 0 && !row_differs(RelationGetDescr(trigdata->tg_relation),
														 trigdata->tg_trigtuple, trigdata->tg_newtuple))
		return PointerGetDatum(NULL);
	row_state_values(RelationGetDescr(trigdata->tg_relation), newrow.values, newrow.nulls, state);
	row_subject_now = row_subject(trigdata->tg_relation, trigdata->tg_newtuple);
	row_state_now = state;
	logged = false;

	/* the lookups go through SPI; most entries (a bulk transition's) need none */
	needs_spi = (from == ST_IN_REVIEW && (review_groups & REVIEW_GROUPS)) || (from != to && to == ST_OBJECTION);
	if (needs_spi && SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (review_groups)
		audit_row(&newrow, "review", NULL, NULL,
				  (from == ST_IN_REVIEW && (review_groups & REVIEW_GROUPS)) ? voided_sign_offs(&oldrow) : NULL,
				  changed_figures(&oldrow, &newrow, review_groups)), logged = true;
	if (from != to)
		audit_row(&newrow, "transition", stage_label[from], stage_label[to],
				  transition_detail(&oldrow, &newrow, from, to), transition_figures(&newrow)), logged = true;
	else
	{
		if (changed.cols & COL_BIT(C_CORRECTED_ON))
			audit_row(&newrow, "correction", NULL, NULL, "W2 补正完成 correction completed",
					  changed_figures(&oldrow, &newrow, GROUP_BIT(G_WORKFLOW))), logged = true;
		if (changed.cols & (COL_BIT(C_PAYMENT_BANK_NAME) | COL_BIT(C_PAYMENT_BANK_ACCOUNT)))
			audit_row(&newrow, "bank_recheck", NULL, NULL,
					  "W7 the account paid into, re-checked after the enterprise changed it",
					  changed_figures(&oldrow, &newrow, GROUP_BIT(G_WORKFLOW))), logged = true;
		if (changed.cols & COL_BIT(C_PAYMENT_TIMES_REPORTED_ON))
			audit_row(&newrow, "payment_time", NULL, NULL, "W8 payment time reported to hrss",
					  changed_figures(&oldrow, &newrow, GROUP_BIT(G_WORKFLOW))), logged = true;
	}
	/* any other change of a submitted application: its state is still the log's to know */
	if (!logged)
		audit_row(&newrow, "change", NULL, NULL, NULL, changed_figures(&oldrow, &newrow, ~(uint32) 0));
	row_subject_now = NULL;
	row_state_now = NULL;
	if (needs_spi)
		SPI_finish();
	return PointerGetDatum(NULL);
}


/* Trigger, AFTER INSERT OR UPDATE ... FOR EACH ROW on subsidy.sign_off: log the sign-off. */
static Datum
sign_off_logged_body(FunctionCallInfo fcinfo)
{
	static const char *const tables[] = {"sign_off", NULL};
	TriggerData *trigdata = trigger_on(fcinfo, "sign_off_logged", tables, false, 1);
	static SPIPlanPtr plan_application = NULL;
	TupleDesc	desc = RelationGetDescr(trigdata->tg_relation);
	HeapTuple	tuple = TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) ? trigdata->tg_newtuple : trigdata->tg_trigtuple;
	Datum		app;
	Oid			argtype = INT8OID;
	bool		isnull;
	StringInfoData figures;
	AuditEntry	e = {0};
	char	   *failed_rule;
	char	   *region;
	uint8		state[ROW_STATE_BYTES];

	if (restoring())
		return PointerGetDatum(NULL);
	app = heap_getattr(tuple, SPI_fnumber(desc, "application_id"), desc, &isnull);
	e.subject = row_subject(trigdata->tg_relation, tuple);
	if (!TRIGGER_FIRED_BY_DELETE(trigdata->tg_event))
	{
		row_state(desc, tuple, state);
		e.state = state;
	}
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	owner_query(&plan_application,
				"SELECT region, uscc::pg_catalog.text FROM subsidy.application WHERE id OPERATOR(pg_catalog.=) $1",
				1, &argtype, &app, NULL, true);
	if (SPI_processed != 1)
		elog(ERROR, "the application of a sign-off is missing");
	region = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	e.uscc = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);

	initStringInfo(&figures);
	appendStringInfo(&figures, "{\"round\": %s, \"agency\": \"%s\", \"passed\": %s",
					 SPI_getvalue(tuple, desc, SPI_fnumber(desc, "review_round")),
					 SPI_getvalue(tuple, desc, SPI_fnumber(desc, "agency")),
					 SPI_getvalue(tuple, desc, SPI_fnumber(desc, "passed"))[0] == 't' ? "true" : "false");
	failed_rule = SPI_getvalue(tuple, desc, SPI_fnumber(desc, "failed_rule"));
	if (failed_rule != NULL)
	{
		appendStringInfoString(&figures, ", \"failed_rule\": ");
		escape_json(&figures, failed_rule);
	}
	appendStringInfoChar(&figures, '}');
	e.action = TRIGGER_FIRED_BY_DELETE(trigdata->tg_event) ? "sign_off_removed" : "sign_off";
	e.from_stage = e.to_stage = "in_review";
	e.detail = SPI_getvalue(tuple, desc, SPI_fnumber(desc, "comment"));
	e.figures = figures.data;
	audit_append(region, DatumGetInt64(app), &e);
	SPI_finish();
	return PointerGetDatum(NULL);
}

/*
 * Every column of a row that an INSERT, UPDATE or DELETE changed, as
 * {"column": [before, after]}; NULL when an UPDATE changed nothing.  With
 * bank, whether the enterprise's bank details are among them.
 */
static char *
row_changes(TupleDesc desc, HeapTuple old, HeapTuple new, bool *bank)
{
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	if (bank)
		*bank = false;
	for (int i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);
		char	   *before,
				   *after;

		if (att->attisdropped)
			continue;
		before = old ? SPI_getvalue(old, desc, i + 1) : NULL;
		after = new ? SPI_getvalue(new, desc, i + 1) : NULL;
		if ((before == NULL) == (after == NULL) && (before == NULL || strcmp(before, after) == 0))
			continue;
		json_pair(&buf, NameStr(att->attname), before, after);
		if (bank && (strcmp(NameStr(att->attname), "bank_name") == 0 ||
					 strcmp(NameStr(att->attname), "bank_account") == 0))
			*bank = true;
	}
	appendStringInfoChar(&buf, '}');
	return buf.len > 2 ? buf.data : NULL;
}


/*
 * Trigger, AFTER INSERT OR UPDATE ... FOR EACH ROW on subsidy.enterprise: an
 * entry in the register and each change of it are logged (S4), a change of
 * the bank details a subsidy would be paid into as "bank_account" (W7), any
 * other as "enterprise": the name and contacts the published lists and
 * reports show.  verify_audit holds the register to its last logged entry.
 */
static Datum
enterprise_logged_body(FunctionCallInfo fcinfo)
{
	static const char *const tables[] = {"enterprise", NULL};
	TriggerData *trigdata = trigger_on(fcinfo, "enterprise_logged", tables, false, 1);
	TupleDesc	desc = RelationGetDescr(trigdata->tg_relation);
	HeapTuple	new;
	AuditEntry	e = {0};
	bool		bank;
	uint8		state[ROW_STATE_BYTES];

	if (restoring())
		return PointerGetDatum(NULL);
	if (TRIGGER_FIRED_BY_DELETE(trigdata->tg_event))
	{
		new = trigdata->tg_trigtuple;
		e.figures = row_changes(desc, new, NULL, NULL);
		e.action = "enterprise";
		e.detail = "S4 the enterprise left the register";
		e.subject = row_subject(trigdata->tg_relation, new);
		e.uscc = SPI_getvalue(new, desc, SPI_fnumber(desc, "uscc"));
		audit_append(SPI_getvalue(new, desc, SPI_fnumber(desc, "region")), 0, &e);
		return PointerGetDatum(NULL);
	}
	if (TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
	{
		new = trigdata->tg_trigtuple;
		e.figures = row_changes(desc, NULL, new, NULL);
		e.action = "enterprise";
		e.detail = "S4 the enterprise entered the register";
	}
	else
	{
		new = trigdata->tg_newtuple;
		e.figures = row_changes(desc, trigdata->tg_trigtuple, new, &bank);
		if (e.figures == NULL)
			return PointerGetDatum(NULL);
		e.action = bank ? "bank_account" : "enterprise";
		e.detail = bank ? "W7 the enterprise's bank details changed" : "S4 the enterprise's register entry changed";
	}
	e.uscc = SPI_getvalue(new, desc, SPI_fnumber(desc, "uscc"));
	e.subject = row_subject(trigdata->tg_relation, new);
	row_state(desc, new, state);
	e.state = state;
	audit_append(SPI_getvalue(new, desc, SPI_fnumber(desc, "region")), 0, &e);
	return PointerGetDatum(NULL);
}


/*
 * Trigger, AFTER INSERT OR UPDATE OR DELETE ... FOR EACH ROW, argument: where
 * the change is logged.  On the tables whose rows are the grounds of the
 * rules (a region's basis-year rate and fund, its window and parameters; the
 * province's parameters, calendar and required documents; who acts in which
 * region, and who is related to which enterprise) each change goes to a chain,
 * so that no decision's grounds move unseen (W9, S4):
 *   a column name: the chain of the region in that column, or, for a column
 *   of enterprise codes, of the enterprise's region;
 *   "*": every pooling region's chain (a change that holds province-wide).
 */
static SPIPlanPtr plan_enterprise_region = NULL;
static SPIPlanPtr plan_application_region = NULL;
static SPIPlanPtr plan_pools = NULL;

/* The region of the enterprise or application a row names, looked up as the tables' owner. */
static char *
region_of(SPIPlanPtr *plan, const char *sql, const char *key)
{
	Datum		arg = CStringGetTextDatum(key);
	Oid			argtype = TEXTOID;
	char	   *region;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	owner_query(plan, sql, 1, &argtype, &arg, NULL, true);
	if (SPI_processed != 1)
		elog(ERROR, "the row names %s, which is missing", key);
	region = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	region = SPI_palloc(strlen(region) + 1);
	strcpy(region, SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1));
	SPI_finish();
	return region;
}

static Datum
row_logged_body(FunctionCallInfo fcinfo)
{
	static const char *const tables[] = {"region_basis_year", "application_window", "policy_region", "policy_year",
		"calendar", "required_document", "staff_region", "staff_relation", "enterprise_year", "objection",
		"publicity", "report_batch", "spot_check_draw", "spot_check_item", "payment_file", "closed_year",
	"annual_report_frozen", "region", "national_target", "region_office", "top_up", NULL};
	TriggerData *trigdata = trigger_on(fcinfo, "row_logged", tables, false, 1);
	TupleDesc	desc = RelationGetDescr(trigdata->tg_relation);
	HeapTuple	old = NULL,
				new = NULL;
	AuditEntry	e = {0};
	int			attno = 0;
	bool		everywhere;
	const char *op;
	const char *column;
	uint8		state[ROW_STATE_BYTES];

	if (restoring())
		return PointerGetDatum(NULL);
	everywhere = trigdata->tg_trigger->tgnargs == 1 && strcmp(trigdata->tg_trigger->tgargs[0], "*") == 0;
	if (trigdata->tg_trigger->tgnargs != 1 ||
		(!everywhere && (attno = SPI_fnumber(desc, trigdata->tg_trigger->tgargs[0])) <= 0))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("trigger function %s needs the table's region column, or \"*\"", "row_logged")));
	column = trigdata->tg_trigger->tgargs[0];
	if (TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		new = trigdata->tg_trigtuple, op = "insert";
	else if (TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event))
		old = trigdata->tg_trigtuple, new = trigdata->tg_newtuple, op = "update";
	else
		old = trigdata->tg_trigtuple, op = "delete";
	e.figures = row_changes(desc, old, new, NULL);
	if (e.figures == NULL)
		return PointerGetDatum(NULL);
	e.action = "parameters";
	e.detail = psprintf("%s %s", RelationGetRelationName(trigdata->tg_relation), op);
	e.subject = row_subject(trigdata->tg_relation, new ? new : old);
	if (new)
	{
		row_state(desc, new, state);
		e.state = state;
	}
	if (everywhere)
	{
		List	   *pools = NIL;
		ListCell   *lc;
		MemoryContext outer = CurrentMemoryContext;

		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "SPI_connect failed");
		owner_query(&plan_pools, "SELECT code FROM subsidy.region WHERE is_pool ORDER BY code",
					0, NULL, NULL, NULL, true);
		for (uint64 i = 0; i < SPI_processed; i++)
		{
			char	   *code = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1);
			MemoryContext spi = MemoryContextSwitchTo(outer);

			pools = lappend(pools, pstrdup(code));
			MemoryContextSwitchTo(spi);
		}
		SPI_finish();
		foreach(lc, pools)
			audit_append((const char *) lfirst(lc), 0, &e);
	}
	else if (strcmp(column, "application_id") == 0)
	{
		char	   *app = SPI_getvalue(new ? new : old, desc, attno);

		audit_append(region_of(&plan_application_region,
							   "SELECT region FROM subsidy.application WHERE id OPERATOR(pg_catalog.=) $1::pg_catalog.int8",
							   app), strtoll(app, NULL, 10), &e);
	}
	else if (TupleDescAttr(desc, attno - 1)->atttypid ==
			 GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid, CStringGetDatum("uscc"),
							 ObjectIdGetDatum(subsidy_namespace())))
	{
		e.uscc = SPI_getvalue(new ? new : old, desc, attno);
		audit_append(region_of(&plan_enterprise_region,
							   "SELECT region FROM subsidy.enterprise WHERE uscc OPERATOR(subsidy.=) $1::subsidy.uscc",
							   e.uscc), 0, &e);
	}
	else
		audit_append(SPI_getvalue(new ? new : old, desc, attno), 0, &e);
	return PointerGetDatum(NULL);
}

PG_FUNCTION_INFO_V1(application_logged);
Datum
application_logged(PG_FUNCTION_ARGS)
{
	return logged_in_iso(application_logged_body, fcinfo);
}

PG_FUNCTION_INFO_V1(sign_off_logged);
Datum
sign_off_logged(PG_FUNCTION_ARGS)
{
	return logged_in_iso(sign_off_logged_body, fcinfo);
}

PG_FUNCTION_INFO_V1(enterprise_logged);
Datum
enterprise_logged(PG_FUNCTION_ARGS)
{
	return logged_in_iso(enterprise_logged_body, fcinfo);
}

PG_FUNCTION_INFO_V1(row_logged);
Datum
row_logged(PG_FUNCTION_ARGS)
{
	return logged_in_iso(row_logged_body, fcinfo);
}

/*
 * ALTER ROLE ... RENAME TO of a role that staff rows name (the fourth
 * tester's F3).  A staff row's subject and state hold its role by name, the
 * one thing of a role that a dump keeps; renamed, the row would be one the
 * log never saw, and verify_audit (and finish_restore, of a faithful dump)
 * would report it.  So the rename is logged, in the rename's transaction:
 * for each staff row of the role whose log last holds it, under the old
 * name, to what it is, an entry that the old subject is gone and one of the
 * new subject's state.  A row whose log does not hold it so stays a finding:
 * a rename does not vouch for a row changed with the triggers off.  The
 * catalog's rename is made visible first.  Returns how many rows it logged;
 * nothing where the extension is not installed, or while a restore is.
 */
int
log_role_renamed(Oid role, const char *old_name)
{
	static const char *const staff_tables[][2] = {
		{"staff_region", "t.region"},
		{"staff_relation", "(SELECT e.region FROM subsidy.enterprise e WHERE e.uscc OPERATOR(subsidy.=) t.uscc)"},
	};
	Oid			nsp = get_namespace_oid("subsidy", true);
	MemoryContext outer = CurrentMemoryContext;
	List	   *entries = NIL;
	ListCell   *lc;
	char	   *new_name;
	OwnerSwitch sw;

	if (!OidIsValid(nsp) || !OidIsValid(get_relname_relid("audit_log", nsp)) || restoring())
		return 0;
	CommandCounterIncrement();
	new_name = GetUserNameFromId(role, false);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	owner_begin(&sw);
	for (int i = 0; i < lengthof(staff_tables); i++)
	{
		SPITupleTable *rows;
		uint64		n;

		if (SPI_execute_with_args(psprintf("SELECT t, %s::pg_catalog.text FROM subsidy.%s t"
										   " WHERE t.staff::pg_catalog.oid OPERATOR(pg_catalog.=) $1",
										   staff_tables[i][1], staff_tables[i][0]),
								  1, (Oid[]) {OIDOID}, (Datum[]) {ObjectIdGetDatum(role)}, NULL, false, 0)
			!= SPI_OK_SELECT)
			elog(ERROR, "could not read subsidy.%s", staff_tables[i][0]);
		rows = SPI_tuptable;
		n = SPI_processed;
		for (uint64 r = 0; r < n; r++)
		{
			bool		isnull;
			Datum		row = SPI_getbinval(rows->vals[r], rows->tupdesc, 1, &isnull);
			char	   *chain = SPI_getvalue(rows->vals[r], rows->tupdesc, 2);
			char	   *old_subject,
					   *new_subject;
			uint8		old_state[ROW_STATE_BYTES];
			uint8	   *new_state = MemoryContextAlloc(outer, ROW_STATE_BYTES);
			Datum		said;

			if (isnull || chain == NULL)
				continue;
			row_subject_state(row, role, old_name, &old_subject, old_state);
			row_subject_state(row, role, NULL, &new_subject, new_state);
			if (SPI_execute_with_args("SELECT l.state FROM subsidy.audit_log l WHERE l.subject OPERATOR(pg_catalog.=) $1"
									  " ORDER BY l.at DESC, l.seq DESC LIMIT 1",
									  1, (Oid[]) {TEXTOID}, (Datum[]) {CStringGetTextDatum(old_subject)}, NULL, false, 1)
				!= SPI_OK_SELECT)
				elog(ERROR, "could not read the audit trail");
			/* a row its log does not hold, under the old name, as it is stays a finding: no rename vouches for it */
			if (SPI_processed != 1)
				continue;
			said = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
			if (isnull || VARSIZE_ANY_EXHDR(DatumGetByteaPP(said)) != ROW_STATE_BYTES ||
				memcmp(VARDATA_ANY(DatumGetByteaPP(said)), old_state, ROW_STATE_BYTES) != 0)
				continue;
			{
				MemoryContext spi = MemoryContextSwitchTo(outer);

				entries = lappend(entries, list_make4(pstrdup(chain), pstrdup(old_subject), pstrdup(new_subject),
													  new_state));
				MemoryContextSwitchTo(spi);
			}
		}
	}
	owner_end(&sw);
	SPI_finish();
	foreach(lc, entries)
	{
		List	   *entry = lfirst(lc);
		AuditEntry	e = {0};
		StringInfoData figures;
		char	   *table = pstrdup(lsecond(entry));

		initStringInfo(&figures);
		appendStringInfoChar(&figures, '{');
		json_pair(&figures, "staff", quote_identifier(old_name), quote_identifier(new_name));
		appendStringInfoChar(&figures, '}');
		*strchrnul(table, ' ') = '\0';
		e.action = "parameters";
		e.figures = figures.data;
		e.detail = psprintf("%s: role %s renamed to %s", table, old_name, new_name);
		e.subject = lsecond(entry);
		e.state = NULL;
		audit_append(linitial(entry), 0, &e);
		e.subject = lthird(entry);
		e.state = lfourth(entry);
		audit_append(linitial(entry), 0, &e);
	}
	return list_length(entries);
}

PG_FUNCTION_INFO_V1(subsidy_log_role_renamed);
/*
 * subsidy.log_role_renamed(role, old_name): the rename of a role logged in a
 * database other than the one ALTER ROLE ran in (the hook logs it there);
 * a superuser's.  Returns how many staff rows it logged.
 */
Datum
subsidy_log_role_renamed(PG_FUNCTION_ARGS)
{
	Oid			role = PG_GETARG_OID(0);
	char	   *old_name = text_to_cstring(PG_GETARG_TEXT_PP(1));

	if (!superuser())
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied to log the rename of a role"),
				 errdetail("The entry vouches that the staff rows of the role are the rows its log holds under the old name."),
				 errhint("A superuser runs it, in each database with the extension other than the one ALTER ROLE ... RENAME TO ran in.")));
	if (strcmp(old_name, GetUserNameFromId(role, false)) == 0 || OidIsValid(get_role_oid(old_name, true)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("role %s is not a role renamed from %s", GetUserNameFromId(role, false), old_name),
				 errhint("Give the role as it is named now and the name it had: SELECT subsidy.log_role_renamed('new_name', 'old_name').")));
	PG_RETURN_INT32(log_role_renamed(role, old_name));
}
