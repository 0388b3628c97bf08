/*
 * workflow.c: the review stages (W1-W8) and the joint review's sign-offs (W3),
 * enforced by triggers whatever a client sends.
 *
 * Every write to subsidy.application passes application_guard, BEFORE ROW:
 * an application is inserted as a draft, never deleted once submitted, moves
 * only along the listed transitions, each by its role and on its conditions,
 * and its columns change only in the stages and by the roles that own them.
 * The trigger sets what a transition decides (the submission date, the
 * decision and amount from the engine, the review round, the clearance date)
 * and refuses a client's different value.  Each transition, and each change
 * of figures in review, is appended to the audit trail (audit.c).
 *
 * The trigger reads the tables it checks against as their owner, as the
 * referential-integrity triggers do, so that a clerk's rights and row-level
 * security cannot hide a sign-off, an objection or a publicity from it.
 */
#include "subsidy.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_enum.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/datum.h"
#include "utils/json.h"
#include "utils/lsyscache.h"
#include "utils/snapmgr.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/syscache.h"

/* The stages of W1, in the order of subsidy.stage. */
typedef enum Stage
{
	ST_DRAFT, ST_SUBMITTED, ST_WITHDRAWN, ST_IN_REVIEW, ST_DECIDED, ST_IN_PUBLICITY,
	ST_OBJECTION, ST_CLEARED, ST_PAID, ST_REPORTED, ST_COUNT
} Stage;

static const char *const stage_label[ST_COUNT] = {
	"draft", "submitted", "withdrawn", "in_review", "decided", "in_publicity", "objection",
	"cleared", "paid", "reported"
};

/*
 * Who owns which columns, and when they may change.  A column not listed
 * (one a DBA added) is free.
 */
typedef enum ColGroup
{
	G_FREE, G_FIXED, G_DECLARED, G_FACTS, G_AGENCY, G_HRSS, G_FINANCE, G_WORKFLOW,
	G_COUNT
} ColGroup;

typedef struct ColumnGroup
{
	const char *column;
	ColGroup	group;
} ColumnGroup;

static const ColumnGroup column_groups[] = {
	{"id", G_FIXED}, {"created_at", G_FIXED},
	{"year", G_FIXED}, {"region", G_FIXED}, {"uscc", G_FIXED},
	{"insured_start", G_DECLARED}, {"insured_end", G_DECLARED}, {"insured_average", G_DECLARED},
	{"layoffs", G_DECLARED}, {"retirements_deaths", G_DECLARED}, {"premiums_payable", G_DECLARED},
	{"premiums_paid", G_DECLARED}, {"arrears_basis_year", G_DECLARED},
	{"arrears_other_years", G_DECLARED}, {"deferral_agreement", G_DECLARED},
	{"prior_subsidy", G_DECLARED}, {"prior_subsidy_use_proper", G_DECLARED},
	{"documents", G_DECLARED},
	{"decapacity", G_FACTS}, {"key_supported", G_FACTS}, {"zombie", G_FACTS},
	{"monitored", G_FACTS}, {"firm_size", G_FACTS},
	{"confirmed_insured_start", G_AGENCY}, {"confirmed_insured_end", G_AGENCY},
	{"confirmed_insured_average", G_AGENCY}, {"confirmed_retirements_deaths", G_AGENCY},
	{"confirmed_premiums_payable", G_AGENCY}, {"confirmed_premiums_paid", G_AGENCY},
	{"confirmed_arrears_basis_year", G_AGENCY}, {"confirmed_arrears_other_years", G_AGENCY},
	{"confirmed_deferral_agreement", G_AGENCY}, {"confirmed_prior_subsidy", G_AGENCY},
	{"confirmed_layoffs", G_HRSS}, {"policy_compliant", G_HRSS}, {"spot_check", G_HRSS},
	{"financial_management_sound", G_FINANCE}, {"confirmed_prior_subsidy_use_proper", G_FINANCE},
	{"stage", G_WORKFLOW}, {"submitted_on", G_WORKFLOW}, {"review_round", G_WORKFLOW},
	{"decision", G_WORKFLOW}, {"decided_on", G_WORKFLOW}, {"decided_rule", G_WORKFLOW},
	{"decided_basis", G_WORKFLOW}, {"decided_basis_amount", G_WORKFLOW}, {"decided_rate", G_WORKFLOW},
	{"decided_amount", G_WORKFLOW}, {"decided_reasons", G_WORKFLOW}, {"publicity_id", G_WORKFLOW},
	{"cleared_on", G_WORKFLOW}, {"paid_on", G_WORKFLOW}, {"payment_reference", G_WORKFLOW},
	{"paid_amount", G_WORKFLOW}, {"report_batch_id", G_WORKFLOW}
};

/* Columns the trigger reads or writes by name. */
typedef enum Col
{
	C_ID, C_YEAR, C_REGION, C_USCC, C_STAGE, C_SUBMITTED_ON, C_REVIEW_ROUND, C_DECISION,
	C_DECIDED_ON, C_DECIDED_RULE, C_DECIDED_BASIS, C_DECIDED_BASIS_AMOUNT, C_DECIDED_RATE,
	C_DECIDED_AMOUNT, C_DECIDED_REASONS, C_PUBLICITY_ID, C_CLEARED_ON, C_PAID_ON,
	C_PAYMENT_REFERENCE, C_PAID_AMOUNT, C_REPORT_BATCH_ID, C_DOCUMENTS, C_FIRM_SIZE,
	C_CONFIRMED_PAYABLE, C_CONFIRMED_PAID, C_CONFIRMED_START, C_CREATED_AT,
	C_DECAPACITY, C_KEY_SUPPORTED, C_ZOMBIE, C_MONITORED,
	C_COUNT
} Col;

static const char *const col_name[C_COUNT] = {
	"id", "year", "region", "uscc", "stage", "submitted_on", "review_round", "decision",
	"decided_on", "decided_rule", "decided_basis", "decided_basis_amount", "decided_rate",
	"decided_amount", "decided_reasons", "publicity_id", "cleared_on", "paid_on",
	"payment_reference", "paid_amount", "report_batch_id", "documents", "firm_size",
	"confirmed_premiums_payable", "confirmed_premiums_paid", "confirmed_insured_start", "created_at",
	"decapacity", "key_supported", "zombie", "monitored"
};

/* Declared figures a submission must have (W2), with what a clerk calls them. */
typedef struct Required
{
	const char *column;
	const char *label;
} Required;

static const Required required_figures[] = {
	{"insured_start", "上年初参保人数 insured persons at the start of the basis year"},
	{"insured_end", "上年末参保人数 insured persons at its end"},
	{"insured_average", "上年月平均参保人数 average monthly insured persons"},
	{"layoffs", "上年裁员人数 layoffs"},
	{"retirements_deaths", "上年退休及死亡人数 retirements and deaths"},
	{"premiums_payable", "上年应缴失业保险费 premiums payable"},
	{"premiums_paid", "上年实缴失业保险费 premiums paid"},
	{"arrears_basis_year", "上年欠费 arrears for the basis year"},
	{"arrears_other_years", "其他年度欠费 arrears for other years"},
	{"prior_subsidy", "上年度稳岗补贴 last year's subsidy"}
};

/* What a statement resolves once: column numbers, enum values, role ids. */
typedef struct GuardState
{
	Oid			relid;
	int			attno[C_COUNT];
	ColGroup	   *group;			/* by attnum - 1 */
	int			natts;
	Oid			stage_oid[ST_COUNT];
	Oid			approved_oid;
	Oid			rejected_oid;
	Oid			basis_paid_oid;
	Oid			basis_payable_oid;
	Oid			firm_size_type;
} GuardState;

/* Saved plans for the lookups, kept across statements. */
static SPIPlanPtr plan_sign_offs = NULL;
static SPIPlanPtr plan_publicity = NULL;
static SPIPlanPtr plan_objection = NULL;
static SPIPlanPtr plan_bank = NULL;
static SPIPlanPtr plan_documents = NULL;
static SPIPlanPtr plan_report_batch = NULL;
static SPIPlanPtr plan_reference = NULL;

static Oid
enum_oid(Oid enumtype, const char *label)
{
	Oid			oid = GetSysCacheOid2(ENUMTYPOIDNAME, Anum_pg_enum_oid,
									  ObjectIdGetDatum(enumtype), CStringGetDatum(label));

	if (!OidIsValid(oid))
		elog(ERROR, "enum %s has no label \"%s\"", format_type_be(enumtype), label);
	return oid;
}

static GuardState *
guard_state(FunctionCallInfo fcinfo, Relation rel)
{
	GuardState *st = (GuardState *) fcinfo->flinfo->fn_extra;
	TupleDesc	desc = RelationGetDescr(rel);
	MemoryContext old;

	if (st != NULL && st->relid == RelationGetRelid(rel) && st->natts == desc->natts)
		return st;
	old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
	st = palloc0(sizeof(GuardState));
	st->relid = RelationGetRelid(rel);
	st->natts = desc->natts;
	for (int c = 0; c < C_COUNT; c++)
	{
		st->attno[c] = SPI_fnumber(desc, col_name[c]);
		if (st->attno[c] <= 0)
			elog(ERROR, "column \"%s\" is missing from %s", col_name[c], RelationGetRelationName(rel));
	}
	st->group = palloc0(sizeof(ColGroup) * desc->natts);
	for (int i = 0; i < lengthof(column_groups); i++)
	{
		int			attno = SPI_fnumber(desc, column_groups[i].column);

		if (attno > 0)
			st->group[attno - 1] = column_groups[i].group;
	}
	for (int s = 0; s < ST_COUNT; s++)
		st->stage_oid[s] = enum_oid(TupleDescAttr(desc, st->attno[C_STAGE] - 1)->atttypid, stage_label[s]);
	st->approved_oid = enum_oid(TupleDescAttr(desc, st->attno[C_DECISION] - 1)->atttypid, "approved");
	st->rejected_oid = enum_oid(TupleDescAttr(desc, st->attno[C_DECISION] - 1)->atttypid, "rejected");
	st->basis_paid_oid = enum_oid(TupleDescAttr(desc, st->attno[C_DECIDED_BASIS] - 1)->atttypid, "paid");
	st->basis_payable_oid = enum_oid(TupleDescAttr(desc, st->attno[C_DECIDED_BASIS] - 1)->atttypid, "payable");
	st->firm_size_type = TupleDescAttr(desc, st->attno[C_FIRM_SIZE] - 1)->atttypid;
	MemoryContextSwitchTo(old);
	fcinfo->flinfo->fn_extra = st;
	return st;
}

/*
 * A row of the trigger, with the state to read it.  The tuple is deformed
 * once: the guard reads most columns of a wide row that has many nulls, where
 * heap_getattr would walk the tuple again for each.
 */
typedef struct Row
{
	HeapTuple	tuple;
	TupleDesc	desc;
	GuardState *st;
	Datum	   *values;
	bool	   *nulls;
} Row;

static void
row_set(Row *r, HeapTuple tuple)
{
	if (r->values == NULL)
	{
		r->values = palloc(sizeof(Datum) * r->desc->natts);
		r->nulls = palloc(sizeof(bool) * r->desc->natts);
	}
	r->tuple = tuple;
	heap_deform_tuple(tuple, r->desc, r->values, r->nulls);
}

/* Column attno (from 1) of the row. */
static inline Datum
row_att(const Row *r, int attno, bool *isnull)
{
	*isnull = r->nulls[attno - 1];
	return r->values[attno - 1];
}

static Datum
get(const Row *r, Col c, bool *isnull)
{
	return row_att(r, r->st->attno[c], isnull);
}

static bool
is_null(const Row *r, Col c)
{
	bool		isnull;

	(void) get(r, c, &isnull);
	return isnull;
}

static Stage
stage_of(const Row *r)
{
	bool		isnull;
	Oid			oid = DatumGetObjectId(get(r, C_STAGE, &isnull));

	for (int s = 0; s < ST_COUNT; s++)
		if (r->st->stage_oid[s] == oid)
			return s;
	elog(ERROR, "unknown stage");
}

static char *
text_of(const Row *r, Col c)
{
	bool		isnull;
	Datum		d = get(r, c, &isnull);
	Oid			typoid;
	bool		varlena;
	Oid			out;

	if (isnull)
		return NULL;
	typoid = TupleDescAttr(r->desc, r->st->attno[c] - 1)->atttypid;
	getTypeOutputInfo(typoid, &out, &varlena);
	return OidOutputFunctionCall(out, d);
}

/*
 * A JSON rendering of the figures an audit entry keeps: those known at that
 * moment (a missing key is an empty figure; a bulk transition writes one
 * entry per row, and most figures are still empty early in the year).
 */
static void
json_field(StringInfo buf, const char *key, const char *value, bool quote)
{
	if (value == NULL)
		return;
	if (buf->len > 1)
		appendStringInfoString(buf, ", ");
	appendStringInfoChar(buf, '"');
	appendStringInfoString(buf, key);
	appendStringInfoString(buf, "\": ");
	if (quote)
		escape_json(buf, value);
	else
		appendStringInfoString(buf, value);
}

static char *
transition_figures(const Row *r)
{
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	json_field(&buf, "round", text_of(r, C_REVIEW_ROUND), false);
	json_field(&buf, "confirmed_premiums_payable", text_of(r, C_CONFIRMED_PAYABLE), false);
	json_field(&buf, "confirmed_premiums_paid", text_of(r, C_CONFIRMED_PAID), false);
	json_field(&buf, "confirmed_insured_start", text_of(r, C_CONFIRMED_START), false);
	json_field(&buf, "decision", text_of(r, C_DECISION), true);
	json_field(&buf, "decided_rule", text_of(r, C_DECIDED_RULE), true);
	json_field(&buf, "decided_amount", text_of(r, C_DECIDED_AMOUNT), false);
	json_field(&buf, "decided_reasons", text_of(r, C_DECIDED_REASONS), true);
	json_field(&buf, "publicity_id", text_of(r, C_PUBLICITY_ID), false);
	json_field(&buf, "paid_on", text_of(r, C_PAID_ON), true);
	json_field(&buf, "payment_reference", text_of(r, C_PAYMENT_REFERENCE), true);
	json_field(&buf, "paid_amount", text_of(r, C_PAID_AMOUNT), false);
	json_field(&buf, "report_batch_id", text_of(r, C_REPORT_BATCH_ID), false);
	appendStringInfoChar(&buf, '}');
	return buf.data;
}

static int64
application_id(const Row *r)
{
	bool		isnull;

	return DatumGetInt64(get(r, C_ID, &isnull));
}

static void
audit_row(const Row *r, const char *action, const char *from, const char *to, const char *detail,
		  const char *figures)
{
	AuditEntry	e;

	e.uscc = text_of(r, C_USCC);
	e.action = action;
	e.from_stage = from;
	e.to_stage = to;
	e.detail = detail;
	e.figures = figures;
	audit_append(text_of(r, C_REGION), application_id(r), &e);
}

static char *
iso_date(DateADT d)
{
	int			y,
				m,
				day;

	j2date(d + POSTGRES_EPOCH_JDATE, &y, &m, &day);
	return psprintf("%04d-%02d-%02d", y, m, day);
}

/* The replacements a transition makes in the new row. */
typedef struct Changes
{
	Datum	   *values;
	bool	   *nulls;
	bool	   *replace;
	bool		any;			/* whether a column is replaced */
} Changes;

static void
set_col(Changes *ch, const GuardState *st, Col c, Datum value, bool isnull)
{
	ch->values[st->attno[c] - 1] = value;
	ch->nulls[st->attno[c] - 1] = isnull;
	ch->replace[st->attno[c] - 1] = true;
	ch->any = true;
}

/* Refuse a client's value where the transition sets the column itself. */
static void
set_by_trigger(Changes *ch, const Row *oldrow, const Row *newrow, Col c, Datum value, bool isnull,
			   const char *why)
{
	bool		old_null,
				new_null;
	Datum		old_value = get(oldrow, c, &old_null);
	Datum		new_value = get(newrow, c, &new_null);
	Form_pg_attribute att = TupleDescAttr(newrow->desc, newrow->st->attno[c] - 1);
	bool		client_changed = (old_null != new_null) ||
		(!old_null && !datum_image_eq(old_value, new_value, att->attbyval, att->attlen));
	bool		agrees = (new_null == isnull) &&
		(isnull || datum_image_eq(new_value, value, att->attbyval, att->attlen));

	if (client_changed && !agrees)
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W1),
				 errmsg("%s is set by the transition, not by the client", col_name[c]),
				 errdetail("%s", why),
				 errhint("Leave %s out of the UPDATE.", col_name[c])));
	set_col(ch, newrow->st, c, value, isnull);
}

/* The region's application window for the row's year, via the parameters in force. */
static const Policy *
row_policy(const Row *r)
{
	bool		year_null;
	Datum		year = get(r, C_YEAR, &year_null);
	char	   *region = text_of(r, C_REGION);

	/* a row not yet complete (its NOT NULL checks come after the triggers) has none */
	if (year_null || region == NULL)
		return NULL;
	return policy_lookup(DatumGetInt32(year), region, strlen(region));
}

/* A closed year (subsidy.close_year) takes no change at all, from anyone. */
static void
refuse_if_year_closed(const Row *r)
{
	const Policy *p = row_policy(r);

	if (p != NULL && p->year_closed)
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_YEAR_CLOSED),
				 errmsg("subsidy year %d is closed: application %lld of region %s does not change",
						p->year, (long long) application_id(r), p->region),
				 errdetail("close_year closed the year once its payments were reported and its annual report frozen."),
				 errhint("Only a superuser reopens a closed year, by deleting its row from subsidy.closed_year.")));
}

/* W2: inside the window, with every required item; all missing items in one error. */
static void
check_submission(const Row *r, DateADT today)
{
	const Policy *p = row_policy(r);
	StringInfoData missing;
	int			count = 0;
	bool		isnull;
	Datum		args[1];
	Oid			argtypes[1];

	if (p == NULL || !p->has_window)
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W2),
				 errmsg("region %s has no application window for %d", text_of(r, C_REGION),
						DatumGetInt32(get(r, C_YEAR, &isnull))),
				 errdetail("Applications are accepted only inside the window the region opens for the year (W2, E8)."),
				 errhint("hrss opens the year: subsidy.open_year, or a row in subsidy.application_window.")));
	if (today < p->window_opens || today > p->window_closes)
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W2),
				 errmsg("the application window of region %s is %s to %s; today is %s",
						text_of(r, C_REGION), iso_date(p->window_opens), iso_date(p->window_closes),
						iso_date(today)),
				 errdetail("Every application filed inside the window is accepted, and none outside it (W2, E8)."),
				 errhint("%s", today < p->window_opens ? "Submit once the window opens." :
						 "The window is closed for this year.")));

	initStringInfo(&missing);
	for (int i = 0; i < lengthof(required_figures); i++)
	{
		int			attno = SPI_fnumber(r->desc, required_figures[i].column);

		if (attno > 0 && r->nulls[attno - 1])
		{
			appendStringInfo(&missing, "%s%s (%s)", count ? "; " : "", required_figures[i].label,
							 required_figures[i].column);
			count++;
		}
	}
	/* an agreement matters only with arrears for other years, the use of last year's subsidy only with one */
	{
		int			other = SPI_fnumber(r->desc, "arrears_other_years");
		int			agreement = SPI_fnumber(r->desc, "deferral_agreement");
		int			prior = SPI_fnumber(r->desc, "prior_subsidy");
		int			proper = SPI_fnumber(r->desc, "prior_subsidy_use_proper");
		Datum		v = row_att(r, other, &isnull);

		if (!isnull && numeric_scaled_or_error(v, 2, "arrears_other_years") > 0 &&
			r->nulls[agreement - 1])
		{
			appendStringInfo(&missing, "%s延期缴费协议 whether a deferred-payment agreement is signed (deferral_agreement)",
							 count ? "; " : "");
			count++;
		}
		v = row_att(r, prior, &isnull);
		if (!isnull && numeric_scaled_or_error(v, 2, "prior_subsidy") > 0 &&
			r->nulls[proper - 1])
		{
			appendStringInfo(&missing, "%s上年度补贴使用情况 whether last year's subsidy was used as permitted (prior_subsidy_use_proper)",
							 count ? "; " : "");
			count++;
		}
	}
	if (p->rate_large != p->rate_small_micro && is_null(r, C_FIRM_SIZE))
	{
		appendStringInfo(&missing, "%s企业规模 firm size (firm_size)", count ? "; " : "");
		count++;
	}

	/* the enterprise's bank account, for the payment */
	argtypes[0] = TEXTOID;
	args[0] = CStringGetTextDatum(text_of(r, C_USCC));
	owner_query(&plan_bank,
		   "SELECT bank_name IS NOT NULL AND bank_name OPERATOR(pg_catalog.<>) '' "
		   "AND bank_account IS NOT NULL AND bank_account OPERATOR(pg_catalog.<>) '' "
		   "FROM subsidy.enterprise WHERE uscc OPERATOR(subsidy.=) $1::subsidy.uscc",
		   1, argtypes, args, NULL, true);
	if (SPI_processed != 1 || !DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull)))
	{
		appendStringInfo(&missing, "%s开户行及银行账号 the enterprise's bank and account (subsidy.enterprise)", count ? "; " : "");
		count++;
	}

	/* the documents the region requires (annexes 1 and 2) */
	{
		Datum		docs = get(r, C_DOCUMENTS, &isnull);

		args[0] = isnull ? (Datum) 0 : docs;
		argtypes[0] = TEXTARRAYOID;
		owner_query(&plan_documents,
			   "SELECT pg_catalog.string_agg(name_zh OPERATOR(pg_catalog.||) ' (' OPERATOR(pg_catalog.||) code "
			   "OPERATOR(pg_catalog.||) ')', '; ' ORDER BY code) FROM subsidy.required_document "
			   "WHERE required AND (code OPERATOR(pg_catalog.<>) ALL ($1) OR $1 IS NULL)",
			   1, argtypes, args, isnull ? "n" : " ", true);
		if (SPI_processed == 1)
		{
			Datum		list = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);

			if (!isnull)
			{
				appendStringInfo(&missing, "%s%s", count ? "; " : "", TextDatumGetCString(list));
				count++;
			}
		}
	}

	if (count > 0)
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W2),
				 errmsg("the application cannot be submitted: %d required item%s missing", count,
						count == 1 ? " is" : "s are"),
				 errdetail("Missing: %s.", missing.data),
				 errhint("Complete them all and submit again; nothing was submitted (W2: every missing item is named at once).")));
}

/* The sign-offs of the current round; the joint review needs all three (W3). */
static void
check_sign_offs(const Row *r, bool *all_passed, StringInfo failures)
{
	Datum		args[2];
	Oid			argtypes[2] = {INT8OID, INT4OID};
	bool		isnull;
	bool		seen[3] = {false, false, false};
	static const char *const agencies[3] = {"hrss", "agency", "finance"};
	StringInfoData missing;

	args[0] = Int64GetDatum(application_id(r));
	args[1] = get(r, C_REVIEW_ROUND, &isnull);
	owner_query(&plan_sign_offs,
		   "SELECT agency::pg_catalog.text, passed, comment FROM subsidy.sign_off "
		   "WHERE application_id OPERATOR(pg_catalog.=) $1 AND review_round OPERATOR(pg_catalog.=) $2",
		   2, argtypes, args, NULL, true);
	*all_passed = true;
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		char	   *agency = TextDatumGetCString(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull));
		bool		passed = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2, &isnull));
		Datum		comment = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 3, &isnull);

		for (int a = 0; a < 3; a++)
			if (strcmp(agency, agencies[a]) == 0)
				seen[a] = true;
		if (!passed)
		{
			*all_passed = false;
			appendStringInfo(failures, "%s%s: %s", failures->len ? "; " : "", agency,
							 isnull ? "(no comment)" : TextDatumGetCString(comment));
		}
	}
	initStringInfo(&missing);
	for (int a = 0; a < 3; a++)
		if (!seen[a])
			appendStringInfo(&missing, "%s%s", missing.len ? ", " : "", agencies[a]);
	if (missing.len > 0)
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W3),
				 errmsg("the joint review of application %lld is not complete: no sign-off from %s",
						(long long) application_id(r), missing.data),
				 errdetail("A decision needs the sign-offs of hrss, the agency and finance in review round %d (W3).",
						   DatumGetInt32(args[1])),
				 errhint("Each agency signs with subsidy.sign_off(application, agency, passed, comment).")));
}

/* W3: the decision and amount come from the engine, frozen from here on (A6). */
static void
decide_from_engine(Changes *ch, const Row *oldrow, const Row *newrow, DateADT today)
{
	const GuardState *st = newrow->st;
	Verdict		v;
	bool		all_passed;
	StringInfoData failures;
	Datum		reasons[RULE_COUNT + R_COUNT + 1];
	int			nreasons = 0;
	bool		approved;
	const char *why = "A decision's outcome and amount come from the engine and the sign-offs (W3).";

	initStringInfo(&failures);
	check_sign_offs(newrow, &all_passed, &failures);
	(void) verdict_of_row(newrow->tuple, newrow->desc, &v);
	if (v.outcome == OUTCOME_UNDETERMINED)
	{
		StringInfoData missing;

		initStringInfo(&missing);
		for (int f = 0; f < F_COUNT; f++)
			if (v.missing & (1u << f))
				appendStringInfo(&missing, "%s%s", missing.len ? ", " : "", fact_name[f]);
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
	if (!all_passed)
		reasons[nreasons++] = CStringGetTextDatum(psprintf("W3 %s", failures.data));

	set_by_trigger(ch, oldrow, newrow, C_DECISION, ObjectIdGetDatum(approved ? st->approved_oid : st->rejected_oid), false, why);
	set_by_trigger(ch, oldrow, newrow, C_DECIDED_ON, DateADTGetDatum(today), false, why);
	if (approved)
	{
		set_by_trigger(ch, oldrow, newrow, C_DECIDED_RULE, CStringGetTextDatum(rule_id[RULE_A1 + v.amount_rule - 1]), false, why);
		set_by_trigger(ch, oldrow, newrow, C_DECIDED_BASIS,
					   ObjectIdGetDatum(v.basis == BASIS_PAYABLE ? st->basis_payable_oid : st->basis_paid_oid), false, why);
		set_by_trigger(ch, oldrow, newrow, C_DECIDED_BASIS_AMOUNT, scaled_to_numeric(v.basis_amount, 2), false, why);
		set_by_trigger(ch, oldrow, newrow, C_DECIDED_RATE, scaled_to_numeric(v.rate, 3), false, why);
		set_by_trigger(ch, oldrow, newrow, C_DECIDED_AMOUNT, scaled_to_numeric(v.amount, 2), false, why);
		set_by_trigger(ch, oldrow, newrow, C_DECIDED_REASONS, (Datum) 0, true, why);
	}
	else
	{
		set_by_trigger(ch, oldrow, newrow, C_DECIDED_RULE, (Datum) 0, true, why);
		set_by_trigger(ch, oldrow, newrow, C_DECIDED_BASIS, (Datum) 0, true, why);
		set_by_trigger(ch, oldrow, newrow, C_DECIDED_BASIS_AMOUNT, (Datum) 0, true, why);
		set_by_trigger(ch, oldrow, newrow, C_DECIDED_RATE, (Datum) 0, true, why);
		set_by_trigger(ch, oldrow, newrow, C_DECIDED_AMOUNT, (Datum) 0, true, why);
		set_col(ch, st, C_DECIDED_REASONS,
				PointerGetDatum(construct_array(reasons, nreasons, TEXTOID, -1, false, TYPALIGN_INT)), false);
	}
}

/* The publicity an application is listed in: its region, year and period. */
static void
publicity_of(const Row *r, const char **region, int32 *year, DateADT *starts, DateADT *ends)
{
	Datum		args[1];
	Oid			argtypes[1] = {INT8OID};
	bool		isnull;

	args[0] = get(r, C_PUBLICITY_ID, &isnull);
	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W5),
				 errmsg("application %lld is not listed in a publicity", (long long) application_id(r)),
				 errhint("hrss starts one with subsidy.start_publicity(region, year, start_date).")));
	owner_query(&plan_publicity,
		   "SELECT region, year, starts_on, ends_on FROM subsidy.publicity WHERE id OPERATOR(pg_catalog.=) $1",
		   1, argtypes, args, NULL, true);
	if (SPI_processed != 1)
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W5),
				 errmsg("publicity %lld does not exist", (long long) DatumGetInt64(args[0]))));
	*region = TextDatumGetCString(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	*year = DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull));
	*starts = DatumGetDateADT(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3, &isnull));
	*ends = DatumGetDateADT(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 4, &isnull));
}

/* The open objection to the current round (W6), or NULL. */
static char *
open_objection(const Row *r)
{
	Datum		args[2];
	Oid			argtypes[2] = {INT8OID, INT4OID};
	bool		isnull;

	args[0] = Int64GetDatum(application_id(r));
	args[1] = get(r, C_REVIEW_ROUND, &isnull);
	owner_query(&plan_objection,
		   "SELECT text FROM subsidy.objection WHERE application_id OPERATOR(pg_catalog.=) $1 "
		   "AND review_round OPERATOR(pg_catalog.=) $2 AND resolved_on IS NULL ORDER BY id DESC LIMIT 1",
		   2, argtypes, args, NULL, true);
	if (SPI_processed != 1)
		return NULL;
	return TextDatumGetCString(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
}

/* Where each stage may go (W1), and who takes the step. */
typedef struct Transition
{
	Stage		from;
	Stage		to;
	int			roles;
	const char *step;			/* for the list of what may follow a stage */
	const char *refusal;		/* the whole message when the role is missing */
	const char *rule;
} Transition;

static const Transition transitions[] = {
	{ST_DRAFT, ST_SUBMITTED, ROLE_BIT(ROLE_APPLICANT), "submit", N_("permission denied to submit an application"), "W2"},
	{ST_DRAFT, ST_WITHDRAWN, ROLE_BIT(ROLE_APPLICANT), "withdraw", N_("permission denied to withdraw an application"), "W1"},
	{ST_SUBMITTED, ST_WITHDRAWN, ROLE_BIT(ROLE_APPLICANT), "withdraw", N_("permission denied to withdraw an application"), "W1"},
	{ST_SUBMITTED, ST_IN_REVIEW, ROLE_BIT(ROLE_HRSS), "start_review", N_("permission denied to start the joint review"), "W3"},
	{ST_IN_REVIEW, ST_DECIDED, ROLE_BIT(ROLE_HRSS), "decide", N_("permission denied to record the joint decision"), "W3"},
	{ST_DECIDED, ST_IN_PUBLICITY, ROLE_BIT(ROLE_HRSS), "start_publicity", N_("permission denied to publish the list"), "W5"},
	{ST_DECIDED, ST_OBJECTION, ROLE_BIT(ROLE_HRSS), "object", N_("permission denied to record an objection"), "W6"},
	{ST_IN_PUBLICITY, ST_OBJECTION, ROLE_BIT(ROLE_HRSS), "object", N_("permission denied to record an objection"), "W6"},
	{ST_OBJECTION, ST_IN_REVIEW, ROLE_BIT(ROLE_HRSS), "reopen_review", N_("permission denied to reopen the review"), "W6"},
	{ST_IN_PUBLICITY, ST_CLEARED, ROLE_BIT(ROLE_HRSS), "clear", N_("permission denied to clear publicity"), "W5"},
	{ST_CLEARED, ST_PAID, ROLE_BIT(ROLE_AGENCY), "pay", N_("permission denied to record a payment"), "W7"},
	{ST_PAID, ST_REPORTED, ROLE_BIT(ROLE_HRSS), "report_upward", N_("permission denied to report upward"), "W8"}
};

static const Transition *
find_transition(Stage from, Stage to)
{
	for (int i = 0; i < lengthof(transitions); i++)
		if (transitions[i].from == from && transitions[i].to == to)
			return &transitions[i];
	return NULL;
}

static void pg_attribute_noreturn()
refuse_transition(const Row *r, Stage from, Stage to)
{
	StringInfoData allowed;

	initStringInfo(&allowed);
	for (int i = 0; i < lengthof(transitions); i++)
		if (transitions[i].from == from)
			appendStringInfo(&allowed, "%s%s (%s, %s)", allowed.len ? ", " : "",
							 stage_label[transitions[i].to], transitions[i].step, roles_text(transitions[i].roles));
	ereport(ERROR,
			(errcode(ERRCODE_SUBSIDY_W1),
			 errmsg("application %lld cannot go from %s to %s (W1)", (long long) application_id(r),
					stage_label[from], stage_label[to]),
			 allowed.len ?
			 errdetail("From %s an application goes only to: %s.", stage_label[from], allowed.data) :
			 errdetail("%s is final: nothing follows it.", stage_label[from]),
			 errhint("Stages are taken one at a time, in order: draft, submitted, in_review, decided, in_publicity, cleared, paid, reported.")));
}

/* Conditions of each transition, and what it sets. */
static void
make_transition(Changes *ch, const Row *oldrow, const Row *newrow, Stage from, Stage to,
				char **detail)
{
	const GuardState *st = newrow->st;
	DateADT		today = business_date();
	bool		isnull;

	switch (to)
	{
		case ST_SUBMITTED:
			check_submission(newrow, today);
			set_by_trigger(ch, oldrow, newrow, C_SUBMITTED_ON, DateADTGetDatum(today), false,
						   "The submission date is the day the application is submitted (W2).");
			break;
		case ST_IN_REVIEW:
			if (from == ST_SUBMITTED)
			{
				const Policy *p = row_policy(newrow);

				if (p != NULL && p->has_window && today <= p->window_closes)
					ereport(ERROR,
							(errcode(ERRCODE_SUBSIDY_W3),
							 errmsg("the joint review of region %s starts after its window closes on %s",
									text_of(newrow, C_REGION), iso_date(p->window_closes)),
							 errdetail("申报期结束后 hrss, finance and the agency review jointly (W3; 吉人社联字〔2018〕54号 二(三)2)."),
							 errhint("Start the review on %s or later.", iso_date(p->window_closes + 1))));
			}
			else
			{
				/* objection -> in_review: a new round, the old decision and publicity gone (W6) */
				int32		round = DatumGetInt32(get(oldrow, C_REVIEW_ROUND, &isnull));

				set_col(ch, st, C_REVIEW_ROUND, Int32GetDatum(round + 1), false);
				for (Col c = C_DECISION; c <= C_DECIDED_REASONS; c++)
					set_col(ch, st, c, (Datum) 0, true);
				set_col(ch, st, C_PUBLICITY_ID, (Datum) 0, true);
				set_col(ch, st, C_CLEARED_ON, (Datum) 0, true);
			}
			break;
		case ST_DECIDED:
			decide_from_engine(ch, oldrow, newrow, today);
			break;
		case ST_IN_PUBLICITY:
			{
				const char *region;
				int32		year;
				DateADT		starts,
							ends,
							decided_on;
				Oid			decision = DatumGetObjectId(get(oldrow, C_DECISION, &isnull));

				if (decision != st->approved_oid)
					ereport(ERROR,
							(errcode(ERRCODE_SUBSIDY_W5),
							 errmsg("application %lld was rejected: only approved applications are published",
									(long long) application_id(newrow)),
							 errdetail("The publicity list names the enterprises to be paid and their amounts (W5, R2).")));
				publicity_of(newrow, &region, &year, &starts, &ends);
				decided_on = DatumGetDateADT(get(oldrow, C_DECIDED_ON, &isnull));
				if (strcmp(region, text_of(newrow, C_REGION)) != 0 ||
					year != DatumGetInt32(get(newrow, C_YEAR, &isnull)))
					ereport(ERROR,
							(errcode(ERRCODE_SUBSIDY_W5),
							 errmsg("publicity of region %s for %d cannot list an application of region %s for %d",
									region, year, text_of(newrow, C_REGION), DatumGetInt32(get(newrow, C_YEAR, &isnull)))));
				if (starts < decided_on)
					ereport(ERROR,
							(errcode(ERRCODE_SUBSIDY_W5),
							 errmsg("a publicity starting %s cannot list an application decided on %s",
									iso_date(starts), iso_date(decided_on)),
							 errdetail("A new decision needs a whole new publicity period (W6).")));
				break;
			}
		case ST_OBJECTION:
			{
				char	   *text = open_objection(newrow);

				if (text == NULL)
					ereport(ERROR,
							(errcode(ERRCODE_SUBSIDY_W6),
							 errmsg("no objection to application %lld is on record", (long long) application_id(newrow)),
							 errhint("Record it with subsidy.object(application, text), which takes the step too.")));
				if (from == ST_IN_PUBLICITY)
				{
					const char *region;
					int32		year;
					DateADT		starts,
								ends;

					publicity_of(oldrow, &region, &year, &starts, &ends);
					if (today > ends)
						ereport(ERROR,
								(errcode(ERRCODE_SUBSIDY_W6),
								 errmsg("publicity of application %lld ended on %s: it is too late to object",
										(long long) application_id(newrow), iso_date(ends)),
								 errdetail("Objections are raised during publicity (W6).")));
				}
				*detail = text;
				break;
			}
		case ST_CLEARED:
			{
				const char *region;
				int32		year;
				DateADT		starts,
							ends;

				publicity_of(oldrow, &region, &year, &starts, &ends);
				if (today <= ends)
					ereport(ERROR,
							(errcode(ERRCODE_SUBSIDY_W5),
							 errmsg("publicity of application %lld runs until %s: it cannot be cleared on %s",
									(long long) application_id(newrow), iso_date(ends), iso_date(today)),
							 errdetail("Publicity lasts its working days in full; cleared is recorded no earlier than the day after it ends (W5)."),
							 errhint("Clear it on %s or later.", iso_date(ends + 1))));
				set_by_trigger(ch, oldrow, newrow, C_CLEARED_ON, DateADTGetDatum(today), false,
							   "The clearance date is the day publicity is cleared (W5).");
				break;
			}
		case ST_PAID:
			{
				Datum		paid_on = get(newrow, C_PAID_ON, &isnull);
				DateADT		cleared_on;
				bool		amount_null;
				Datum		amount = get(newrow, C_PAID_AMOUNT, &amount_null);
				Datum		decided = get(oldrow, C_DECIDED_AMOUNT, &isnull);
				char	   *reference = text_of(newrow, C_PAYMENT_REFERENCE);

				if (is_null(newrow, C_PAID_ON) || reference == NULL || reference[0] == '\0')
					ereport(ERROR,
							(errcode(ERRCODE_SUBSIDY_W7),
							 errmsg("a payment needs its date and the agency's payment reference"),
							 errhint("Pay with subsidy.pay(application, paid_on, reference).")));
				cleared_on = DatumGetDateADT(get(oldrow, C_CLEARED_ON, &isnull));
				if (DatumGetDateADT(paid_on) < cleared_on)
					ereport(ERROR,
							(errcode(ERRCODE_SUBSIDY_W7),
							 errmsg("a payment dated %s is before publicity cleared, on %s",
									iso_date(DatumGetDateADT(paid_on)), iso_date(cleared_on)),
							 errdetail("The agency pays after publicity clears without objection (W7).")));
				if (DatumGetDateADT(paid_on) > today)
					ereport(ERROR,
							(errcode(ERRCODE_SUBSIDY_W7),
							 errmsg("a payment dated %s is in the future: today is %s",
									iso_date(DatumGetDateADT(paid_on)), iso_date(today)),
							 errdetail("The agency records a payment once it has paid, with the day it paid (W7).")));
				if (amount_null)
					set_col(ch, st, C_PAID_AMOUNT, decided, false);
				else if (numeric_scaled_or_error(amount, 2, "paid_amount") != numeric_scaled_or_error(decided, 2, "decided_amount"))
					ereport(ERROR,
							(errcode(ERRCODE_SUBSIDY_W7),
							 errmsg("application %lld is paid exactly its decided amount, %s, not %s",
									(long long) application_id(newrow), text_of(oldrow, C_DECIDED_AMOUNT),
									DatumGetCString(DirectFunctionCall1(numeric_out, amount))),
							 errdetail("The amount was frozen when the list was decided (W7, A6).")));
				/*
				 * References are unique within a region (the region's agency pays
				 * from its fund's account); the unique index is the guarantee, this
				 * says it to the clerk, naming nothing the clerk could not see.
				 */
				{
					Datum		ref_args[2];
					Oid			ref_types[2] = {TEXTOID, TEXTOID};

					ref_args[0] = CStringGetTextDatum(text_of(newrow, C_REGION));
					ref_args[1] = CStringGetTextDatum(reference);
					owner_query(&plan_reference,
								"SELECT FROM subsidy.application WHERE region OPERATOR(pg_catalog.=) $1 "
								"AND payment_reference OPERATOR(pg_catalog.=) $2 LIMIT 1",
								2, ref_types, ref_args, NULL, true);
				}
				if (SPI_processed > 0)
					ereport(ERROR,
							(errcode(ERRCODE_SUBSIDY_W7),
							 errmsg("payment reference %s is already used in region %s", reference,
									text_of(newrow, C_REGION)),
							 errdetail("Each payment carries its own reference, so that no payment is recorded twice (W7)."),
							 errhint("Copy the reference from this application's own payment record at the bank.")));
				break;
			}
		case ST_REPORTED:
			{
				Datum		args[1];
				Oid			argtypes[1] = {INT8OID};

				args[0] = get(newrow, C_REPORT_BATCH_ID, &isnull);
				if (isnull)
					ereport(ERROR,
							(errcode(ERRCODE_SUBSIDY_W8),
							 errmsg("a report upward names the batch it went in"),
							 errhint("Report with subsidy.report_upward(region, year, reference).")));
				owner_query(&plan_report_batch,
					   "SELECT region, year FROM subsidy.report_batch WHERE id OPERATOR(pg_catalog.=) $1",
					   1, argtypes, args, NULL, true);
				if (SPI_processed != 1 ||
					strcmp(TextDatumGetCString(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull)),
						   text_of(newrow, C_REGION)) != 0 ||
					DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull)) !=
					DatumGetInt32(get(newrow, C_YEAR, &isnull)))
					ereport(ERROR,
							(errcode(ERRCODE_SUBSIDY_W8),
							 errmsg("report batch %lld is not a batch of this application's region and year",
									(long long) DatumGetInt64(args[0]))));
				break;
			}
		default:
			break;
	}
}

/* Which workflow columns a transition may take from the client. */
static bool
client_may_set(Stage to, Col c)
{
	switch (to)
	{
		case ST_IN_PUBLICITY:
			return c == C_PUBLICITY_ID;
		case ST_PAID:
			return c == C_PAID_ON || c == C_PAYMENT_REFERENCE || c == C_PAID_AMOUNT;
		case ST_REPORTED:
			return c == C_REPORT_BATCH_ID;
		default:
			return false;
	}
}

/* The rule that freezes a workflow column outside its transition. */
static void pg_attribute_noreturn()
refuse_workflow_change(const Row *r, Col c)
{
	bool		payment = (c == C_PAID_ON || c == C_PAYMENT_REFERENCE || c == C_PAID_AMOUNT);
	bool		decision = (c >= C_DECISION && c <= C_DECIDED_REASONS);

	/* the commonest case, a second payment (often a retry racing the first), said plainly */
	if (payment && (stage_of(r) == ST_PAID || stage_of(r) == ST_REPORTED))
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W7),
				 errmsg("application %lld is already paid: a payment is recorded once and never rewritten (W7)",
						(long long) application_id(r)),
				 errdetail("It was paid %s yuan on %s under reference %s, and is now %s.",
						   text_of(r, C_PAID_AMOUNT), text_of(r, C_PAID_ON), text_of(r, C_PAYMENT_REFERENCE),
						   stage_label[stage_of(r)]),
				 errhint("Check the bank's records against that reference.")));
	ereport(ERROR,
			(errcode(payment ? ERRCODE_SUBSIDY_W7 : decision ? ERRCODE_SUBSIDY_A6 : ERRCODE_SUBSIDY_W1),
			 errmsg("%s of application %lld cannot be changed in stage %s", col_name[c],
					(long long) application_id(r), stage_label[stage_of(r)]),
			 payment ? errdetail("An application is paid once, and its payment is never rewritten (W7).") :
			 decision ? errdetail("A decided amount changes only by going back through review, when an objection reopens it (A6).") :
			 errdetail("Stages and their dates change only by the transitions of W1."),
			 errhint("Take the transition that sets it; the entry points are subsidy.submit, sign_off, decide, start_publicity, object, reopen_review, clear, pay and report_upward.")));
}

/* Column groups that changed in an UPDATE, as bits, and the names of review columns that did. */
static uint32
changed_groups(const Row *oldrow, const Row *newrow, StringInfo review_changes, bool *workflow_changed,
			   Stage to)
{
	uint32		groups = 0;
	TupleDesc	desc = newrow->desc;

	for (int i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);
		bool		old_null,
					new_null;
		Datum		old_value,
					new_value;
		ColGroup		g = newrow->st->group[i];

		if (att->attisdropped)
			continue;
		old_value = row_att(oldrow, i + 1, &old_null);
		new_value = row_att(newrow, i + 1, &new_null);
		if (old_null == new_null &&
			(old_null || datum_image_eq(old_value, new_value, att->attbyval, att->attlen)))
			continue;
		groups |= 1u << g;
		if (g == G_FACTS || g == G_AGENCY || g == G_HRSS || g == G_FINANCE)
		{
			Oid			out;
			bool		varlena;

			getTypeOutputInfo(att->atttypid, &out, &varlena);
			appendStringInfo(review_changes, "%s\"%s\": [", review_changes->len > 1 ? ", " : "", NameStr(att->attname));
			if (old_null)
				appendStringInfoString(review_changes, "null");
			else
				escape_json(review_changes, OidOutputFunctionCall(out, old_value));
			appendStringInfoString(review_changes, ", ");
			if (new_null)
				appendStringInfoString(review_changes, "null");
			else
				escape_json(review_changes, OidOutputFunctionCall(out, new_value));
			appendStringInfoChar(review_changes, ']');
		}
		if (g == G_WORKFLOW)
		{
			Col			c;

			for (c = 0; c < C_COUNT; c++)
				if (newrow->st->attno[c] == i + 1)
					break;
			if (c == C_STAGE)
				continue;
			if (c < C_COUNT && !client_may_set(to, c))
			{
				/* columns a transition sets itself are checked where it sets them */
				if (to == ST_COUNT)
					refuse_workflow_change(oldrow, c);
				*workflow_changed = true;
			}
		}
	}
	return groups;
}

/* The stages in which a group's columns may change, and by whom (section 2). */
static void
check_group_changes(const Row *oldrow, uint32 groups, Stage stage)
{
	bool		in_review = (stage == ST_SUBMITTED || stage == ST_IN_REVIEW);
	bool		decided = (stage >= ST_DECIDED && stage != ST_WITHDRAWN);

	if (groups & (1u << G_FIXED))
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W1),
				 errmsg("an application's number, year, region, enterprise and creation time never change"),
				 errdetail("They are what the application is: its region is its enterprise's, taken when it is filed (section 11)."),
				 errhint("For another enterprise or year, delete the draft (or withdraw the submission) and file a new one.")));
	if (groups & (1u << G_DECLARED))
	{
		if (stage != ST_DRAFT)
			ereport(ERROR,
					(errcode(ERRCODE_SUBSIDY_W2),
					 errmsg("application %lld was submitted: its declared figures and documents are fixed",
							(long long) application_id(oldrow)),
					 errdetail("What an enterprise declared is kept as declared (A5); review records what it confirms in the confirmed_* columns."),
					 errhint("A wrong submission is withdrawn (before review) and filed again.")));
		require_role(ROLE_BIT(ROLE_APPLICANT) | ROLE_BIT(ROLE_HRSS) | ROLE_BIT(ROLE_ADMIN),
					 N_("permission denied to edit a draft"), "W1");
	}
	if (groups & ((1u << G_FACTS) | (1u << G_AGENCY) | (1u << G_HRSS) | (1u << G_FINANCE)))
	{
		if (decided)
			ereport(ERROR,
					(errcode(ERRCODE_SUBSIDY_A6),
					 errmsg("application %lld is %s: its facts and confirmed figures are frozen",
							(long long) application_id(oldrow), stage_label[stage]),
					 errdetail("Once decided, an application's figures and amount change only by going back through review (A6)."),
					 errhint("An objection reopens the review: subsidy.object, then subsidy.reopen_review.")));
		if (stage == ST_WITHDRAWN)
			ereport(ERROR,
					(errcode(ERRCODE_SUBSIDY_W1),
					 errmsg("application %lld was withdrawn: nothing more is reviewed", (long long) application_id(oldrow))));
	}
	if (groups & (1u << G_FACTS))
		require_role(stage == ST_DRAFT ? ROLE_BIT(ROLE_APPLICANT) | ROLE_BIT(ROLE_HRSS) | ROLE_BIT(ROLE_ADMIN) :
					 ROLE_BIT(ROLE_HRSS) | ROLE_BIT(ROLE_ADMIN),
					 N_("permission denied to record an enterprise's list facts"), "E5, A2, A3, W10");
	if (groups & ((1u << G_AGENCY) | (1u << G_HRSS) | (1u << G_FINANCE)))
	{
		if (!in_review)
			ereport(ERROR,
					(errcode(ERRCODE_SUBSIDY_W3),
					 errmsg("application %lld is a %s: figures are confirmed in review, after it is submitted",
							(long long) application_id(oldrow), stage_label[stage]),
					 errhint("Submit it first.")));
		if (groups & (1u << G_AGENCY))
			require_role(ROLE_BIT(ROLE_AGENCY), N_("permission denied to confirm premiums and insured persons"), "E1, A5");
		if (groups & (1u << G_HRSS))
			require_role(ROLE_BIT(ROLE_HRSS), N_("permission denied to review layoffs, policy compliance and spot checks"), "E2, E4, E10");
		if (groups & (1u << G_FINANCE))
			require_role(ROLE_BIT(ROLE_FINANCE), N_("permission denied to review financial management and last year's subsidy"), "E3, E6");
	}
}

static SPIPlanPtr plan_enterprise = NULL;

/*
 * The enterprise a new application is filed for, as the caller sees it (row-level
 * security decides), and the year's list facts: an application's region is
 * its enterprise's (S1), and one the caller cannot see is answered as one that
 * does not exist.  Sets region and facts in *ch.
 */
static void
take_enterprise(Changes *ch, const Row *newrow)
{
	const GuardState *st = newrow->st;
	char	   *uscc = text_of(newrow, C_USCC);
	Datum		args[2];
	Oid			argtypes[2] = {TEXTOID, INT4OID};
	char		nulls[2] = {' ', ' '};
	bool		isnull;
	char	   *region;
	char	   *given = text_of(newrow, C_REGION);
	static const Col facts[] = {C_DECAPACITY, C_KEY_SUPPORTED, C_ZOMBIE, C_MONITORED, C_FIRM_SIZE};

	if (uscc == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_NOT_NULL_VIOLATION),
				 errmsg("an application names its enterprise (uscc)")));
	args[0] = CStringGetTextDatum(uscc);
	args[1] = get(newrow, C_YEAR, &isnull);
	if (isnull)
		nulls[1] = 'n';
	if (plan_enterprise == NULL)
	{
		plan_enterprise = SPI_prepare("SELECT e.region, y.decapacity, y.key_supported, y.zombie, y.monitored, y.firm_size "
									  "FROM subsidy.enterprise e LEFT JOIN subsidy.enterprise_year y "
									  "ON y.uscc OPERATOR(subsidy.=) e.uscc AND y.year OPERATOR(pg_catalog.=) $2 "
									  "WHERE e.uscc OPERATOR(subsidy.=) $1::subsidy.uscc", 2, argtypes);
		if (plan_enterprise == NULL || SPI_keepplan(plan_enterprise) != 0)
			elog(ERROR, "could not prepare the enterprise lookup");
	}
	if (SPI_execute_plan(plan_enterprise, args, nulls, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not look the enterprise up");
	if (SPI_processed != 1)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("no enterprise %s in your regions", uscc),
				 errhint("An application is filed for an enterprise registered (subsidy.enterprise) in a pooling region you act in.")));
	region = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	if (given != NULL && strcmp(given, region) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W1),
				 errmsg("enterprise %s is insured in region %s: its application belongs there, not to %s",
						uscc, region, given),
				 errdetail("An application's region is its enterprise's region (section 11)."),
				 errhint("Leave region out of the INSERT; it is taken from the enterprise.")));
	set_col(ch, st, C_REGION, CStringGetTextDatum(region), false);
	/* what the year's lists say overrides what was declared; an empty fact stays as declared */
	for (int i = 0; i < lengthof(facts); i++)
	{
		Datum		v = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, i + 2, &isnull);

		if (!isnull)
			set_col(ch, st, facts[i], datumCopy(v, TupleDescAttr(newrow->desc, st->attno[facts[i]] - 1)->attbyval,
												 TupleDescAttr(newrow->desc, st->attno[facts[i]] - 1)->attlen), false);
	}
}

/* A new application: a draft of the caller's region, with nothing the review records yet. */
static HeapTuple
file_application(Row *newrow, HeapTuple tuple)
{
	const GuardState *st = newrow->st;
	TupleDesc	desc = newrow->desc;
	Changes		ch;
	bool		isnull;
	Datum		created;

	require_role(ROLE_BIT(ROLE_APPLICANT) | ROLE_BIT(ROLE_HRSS) | ROLE_BIT(ROLE_ADMIN),
				 N_("permission denied to file an application"), "W1");
	row_set(newrow, tuple);
	if (stage_of(newrow) != ST_DRAFT)
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W1),
				 errmsg("an application starts as a draft, not %s", stage_label[stage_of(newrow)]),
				 errdetail("Every application passes through submission, so that W2's checks run on it."),
				 errhint("Insert it as a draft, then submit it: subsidy.submit(application).")));
	for (Col c = C_SUBMITTED_ON; c <= C_REPORT_BATCH_ID; c++)
		if (c != C_REVIEW_ROUND && !is_null(newrow, c))
			refuse_workflow_change(newrow, c);
	if (is_null(newrow, C_REVIEW_ROUND) || DatumGetInt32(get(newrow, C_REVIEW_ROUND, &isnull)) != 1)
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W1),
				 errmsg("an application starts in review round 1"),
				 errdetail("A new round opens only when an objection reopens the review (W6)."),
				 errhint("Leave review_round out of the INSERT.")));
	created = get(newrow, C_CREATED_AT, &isnull);
	if (isnull || DatumGetTimestampTz(created) != GetCurrentTransactionStartTimestamp())
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W1),
				 errmsg("an application's creation time is the time it is filed"),
				 errhint("Leave created_at out of the INSERT.")));
	for (int i = 0; i < desc->natts; i++)
	{
		ColGroup	g = st->group[i];

		if ((g == G_AGENCY || g == G_HRSS || g == G_FINANCE) && !newrow->nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_SUBSIDY_W3),
					 errmsg("a draft has no confirmed figures or review results: %s is set",
							NameStr(TupleDescAttr(desc, i)->attname)),
					 errdetail("The agency, hrss and finance record them in review, after submission (A5, W3).")));
	}

	ch.values = palloc0(sizeof(Datum) * desc->natts);
	ch.nulls = palloc0(sizeof(bool) * desc->natts);
	ch.replace = palloc0(sizeof(bool) * desc->natts);
	ch.any = false;
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	take_enterprise(&ch, newrow);
	tuple = heap_modify_tuple(tuple, desc, ch.values, ch.nulls, ch.replace);
	row_set(newrow, tuple);
	refuse_if_year_closed(newrow);
	tuple = SPI_copytuple(tuple);
	SPI_finish();
	return tuple;
}

PG_FUNCTION_INFO_V1(application_guard);
/* Trigger on subsidy.application: the stages, their roles and conditions, and the audit. */
Datum
application_guard(PG_FUNCTION_ARGS)
{
	static const char *const tables[] = {"application", NULL};
	TriggerData *trigdata = trigger_on(fcinfo, "application_guard", tables, true, 1);
	GuardState *st;
	Row			oldrow,
				newrow;
	TupleDesc	desc;

	if (restoring())
		return PointerGetDatum(TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) ? trigdata->tg_newtuple :
							   trigdata->tg_trigtuple);
	desc = RelationGetDescr(trigdata->tg_relation);
	st = guard_state(fcinfo, trigdata->tg_relation);
	oldrow.desc = newrow.desc = desc;
	oldrow.st = newrow.st = st;
	oldrow.values = newrow.values = NULL;

	if (TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		return PointerGetDatum(file_application(&newrow, trigdata->tg_trigtuple));

	if (TRIGGER_FIRED_BY_DELETE(trigdata->tg_event))
	{
		row_set(&oldrow, trigdata->tg_trigtuple);
		refuse_if_year_closed(&oldrow);
		if (stage_of(&oldrow) != ST_DRAFT)
			ereport(ERROR,
					(errcode(ERRCODE_SUBSIDY_W1),
					 errmsg("application %lld is %s: only a draft can be deleted", (long long) application_id(&oldrow),
							stage_label[stage_of(&oldrow)]),
					 errdetail("A submitted application is kept for good, with its trail (W1, W9)."),
					 errhint("An applicant withdraws an application before review: subsidy.withdraw(application).")));
		require_role(ROLE_BIT(ROLE_APPLICANT) | ROLE_BIT(ROLE_HRSS) | ROLE_BIT(ROLE_ADMIN),
					 N_("permission denied to delete a draft"), "W1");
		return PointerGetDatum(trigdata->tg_trigtuple);
	}

	/* UPDATE */
	row_set(&oldrow, trigdata->tg_trigtuple);
	row_set(&newrow, trigdata->tg_newtuple);
	refuse_if_year_closed(&oldrow);
	{
		Stage		from = stage_of(&oldrow);
		Stage		to = stage_of(&newrow);
		StringInfoData review;
		bool		workflow_changed = false;
		uint32		groups;
		Changes		ch;
		char	   *detail = NULL;
		HeapTuple	result = newrow.tuple;

		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "SPI_connect failed");
		initStringInfo(&review);
		appendStringInfoChar(&review, '{');
		groups = changed_groups(&oldrow, &newrow, &review, &workflow_changed, from == to ? ST_COUNT : to);
		check_group_changes(&oldrow, groups, from);

		if (from != to)
		{
			const Transition *t = find_transition(from, to);

			if (t == NULL)
				refuse_transition(&oldrow, from, to);
			require_role(t->roles, t->refusal, t->rule);
			ch.values = palloc0(sizeof(Datum) * desc->natts);
			ch.nulls = palloc0(sizeof(bool) * desc->natts);
			ch.replace = palloc0(sizeof(bool) * desc->natts);
			ch.any = false;
			make_transition(&ch, &oldrow, &newrow, from, to, &detail);
			/* a workflow column the client changed and the transition did not set */
			if (workflow_changed)
				for (Col c = C_SUBMITTED_ON; c <= C_REPORT_BATCH_ID; c++)
				{
					bool		o_null,
								n_null;
					Datum		o = get(&oldrow, c, &o_null);
					Datum		n = get(&newrow, c, &n_null);
					Form_pg_attribute att = TupleDescAttr(desc, st->attno[c] - 1);

					if (ch.replace[st->attno[c] - 1] || client_may_set(to, c))
						continue;
					if (o_null != n_null || (!o_null && !datum_image_eq(o, n, att->attbyval, att->attlen)))
						refuse_workflow_change(&oldrow, c);
				}
			if (ch.any)
			{
				result = heap_modify_tuple(newrow.tuple, desc, ch.values, ch.nulls, ch.replace);
				row_set(&newrow, result);
			}
			audit_row(&newrow, "transition", stage_label[from], stage_label[to], detail,
					  transition_figures(&newrow));
		}
		if ((groups & ((1u << G_FACTS) | (1u << G_AGENCY) | (1u << G_HRSS) | (1u << G_FINANCE))) &&
			from != ST_DRAFT)
		{
			appendStringInfoChar(&review, '}');
			audit_row(&newrow, "review", NULL, NULL, NULL, review.data);
		}
		/* what was built while connected goes with SPI_finish: copy it out */
		if (result != trigdata->tg_newtuple)
			result = SPI_copytuple(result);
		SPI_finish();
		return PointerGetDatum(result);
	}
}
