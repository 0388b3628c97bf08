/*
 * workflow.c: the review stages (W1-W8), enforced by a trigger whatever a
 * client sends.
 *
 * Every write to subsidy.application passes application_guard, BEFORE ROW:
 * an application is inserted as a draft, never deleted once submitted, moves
 * only along the listed transitions, each by its role and on its conditions,
 * and its columns change only in the stages and by the roles that own them
 * (columns.c).  The trigger sets what a step decides (the submission date,
 * the correction request, the decision and amount, the review round, the
 * clearance date, the account paid into) and refuses a client's different
 * value.  What happened is logged afterwards, by trail.c's AFTER ROW
 * triggers, so that a write that does not happen logs nothing.
 *
 * The trigger reads the tables it checks against as their owner, as the
 * referential-integrity triggers do, so that a clerk's rights and row-level
 * security cannot hide a sign-off, an objection or a publicity from it.
 */
#include "guard.h"

#include "access/htup_details.h"
#include "catalog/pg_enum.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/syscache.h"

const char *const stage_label[ST_COUNT] = {
	"draft", "screened", "submitted", "withdrawn", "in_review", "decided", "in_publicity", "objection",
	"cleared", "paid", "reported"
};

const char *const col_name[C_COUNT] = {
	"id", "year", "region", "uscc", "stage",
	"submitted_on", "review_round", "decision", "decided_on", "decided_rule", "decided_basis",
	"decided_basis_amount", "decided_rate", "decided_amount", "decided_reasons", "publicity_id",
	"cleared_on", "paid_on", "payment_reference", "paid_amount", "report_batch_id",
	"payment_bank_name", "payment_bank_account", "returned_on", "returned_reference",
	"returned_bank_account", "return_reason", "correction_requested_on", "correction_items",
	"correction_due", "corrected_on", "payment_times_reported_on", "stage_since",
	"documents", "firm_size", "confirmed_premiums_payable", "confirmed_premiums_paid",
	"confirmed_insured_start", "created_at",
	"decapacity", "key_supported", "zombie", "monitored", "spot_check",
	"unit_kind", "serious_dishonesty", "screened_on"
};

static SPIPlanPtr plan_publicity = NULL;
static SPIPlanPtr plan_objection = NULL;

static Oid
enum_oid(Oid enumtype, const char *label)
{
	Oid			oid = GetSysCacheOid2(ENUMTYPOIDNAME, Anum_pg_enum_oid,
									  ObjectIdGetDatum(enumtype), CStringGetDatum(label));

	if (!OidIsValid(oid))
		elog(ERROR, "enum %s has no label \"%s\"", format_type_be(enumtype), label);
	return oid;
}

/* The statement's column numbers and enum values, kept with the trigger's call. */
GuardState *
guard_state(FunctionCallInfo fcinfo, Relation rel)
{
	GuardState *st = (GuardState *) fcinfo->flinfo->fn_extra;
	TupleDesc	desc = RelationGetDescr(rel);
	MemoryContext old;

	if (st != NULL && st->relid == RelationGetRelid(rel) && st->natts == desc->natts)
		return st;
	old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
	st = palloc0(sizeof(GuardState));
	st->cxt = fcinfo->flinfo->fn_mcxt;
	st->relid = RelationGetRelid(rel);
	st->natts = desc->natts;
	st->group = palloc0(sizeof(ColGroup) * desc->natts);
	st->col = palloc(sizeof(int8) * desc->natts);
	memset(st->col, -1, sizeof(int8) * desc->natts);
	for (int c = 0; c < C_COUNT; c++)
	{
		st->attno[c] = SPI_fnumber(desc, col_name[c]);
		if (st->attno[c] <= 0)
			elog(ERROR, "column \"%s\" is missing from %s", col_name[c], RelationGetRelationName(rel));
		st->col[st->attno[c] - 1] = (int8) c;
	}
	column_groups_of(desc, st->group);
	for (int s = 0; s < ST_COUNT; s++)
		st->stage_oid[s] = enum_oid(TupleDescAttr(desc, st->attno[C_STAGE] - 1)->atttypid, stage_label[s]);
	st->approved_oid = enum_oid(TupleDescAttr(desc, st->attno[C_DECISION] - 1)->atttypid, "approved");
	st->rejected_oid = enum_oid(TupleDescAttr(desc, st->attno[C_DECISION] - 1)->atttypid, "rejected");
	{
		static const char *const basis[] = {NULL, "paid", "payable", "benefit", "monthly_premiums"};
		Oid			basis_type = TupleDescAttr(desc, st->attno[C_DECIDED_BASIS] - 1)->atttypid;

		for (int b = BASIS_PAID; b < lengthof(basis); b++)
			st->basis_oid[b] = enum_oid(basis_type, basis[b]);
	}
	MemoryContextSwitchTo(old);
	fcinfo->flinfo->fn_extra = st;
	return st;
}

void
row_init(Row *r, TupleDesc desc, GuardState *st)
{
	r->tuple = NULL;
	r->desc = desc;
	r->st = st;
	r->values = NULL;
	r->nulls = NULL;
	r->policy = NULL;
	r->policy_known = false;
}

/*
 * The tuple, deformed once: the guard reads most columns of a wide row that
 * has many nulls, where heap_getattr would walk the tuple again for each.
 */
void
row_set(Row *r, HeapTuple tuple)
{
	if (r->values == NULL)
	{
		r->values = palloc(sizeof(Datum) * r->desc->natts);
		r->nulls = palloc(sizeof(bool) * r->desc->natts);
	}
	r->tuple = tuple;
	heap_deform_tuple(tuple, r->desc, r->values, r->nulls);
	r->policy_known = false;
}

Datum
get(const Row *r, Col c, bool *isnull)
{
	int			i = r->st->attno[c] - 1;

	*isnull = r->nulls[i];
	return r->values[i];
}

bool
is_null(const Row *r, Col c)
{
	return r->nulls[r->st->attno[c] - 1];
}

Stage
stage_of(const Row *r)
{
	bool		isnull;
	Oid			oid = DatumGetObjectId(get(r, C_STAGE, &isnull));

	for (int s = 0; s < ST_COUNT; s++)
		if (r->st->stage_oid[s] == oid)
			return s;
	elog(ERROR, "unknown stage");
}

char *
text_of(const Row *r, Col c)
{
	bool		isnull;
	Datum		d = get(r, c, &isnull);
	GuardState *st = r->st;

	if (isnull)
		return NULL;
	if (!st->out_ready[c])
	{
		Oid			out;
		bool		varlena;

		getTypeOutputInfo(TupleDescAttr(r->desc, st->attno[c] - 1)->atttypid, &out, &varlena);
		fmgr_info_cxt(out, &st->out[c], st->cxt);
		st->out_ready[c] = true;
	}
	return OutputFunctionCall(&st->out[c], d);
}

int64
application_id(const Row *r)
{
	bool		isnull;

	return DatumGetInt64(get(r, C_ID, &isnull));
}

int32
round_of(const Row *r)
{
	bool		isnull;
	Datum		d = get(r, C_REVIEW_ROUND, &isnull);

	return isnull ? 0 : DatumGetInt32(d);
}

char *
iso_date(DateADT d)
{
	int			y,
				m,
				day;

	if (DATE_IS_NOBEGIN(d))
		return "-infinity";
	if (DATE_IS_NOEND(d))
		return "infinity";
	j2date(d + POSTGRES_EPOCH_JDATE, &y, &m, &day);
	return psprintf("%04d-%02d-%02d", y, m, day);
}

void
changes_init(Changes *ch, TupleDesc desc)
{
	ch->values = palloc0(sizeof(Datum) * desc->natts);
	ch->nulls = palloc0(sizeof(bool) * desc->natts);
	ch->replace = palloc0(sizeof(bool) * desc->natts);
	ch->any = false;
}

void
set_col(Changes *ch, const GuardState *st, Col c, Datum value, bool isnull)
{
	ch->values[st->attno[c] - 1] = value;
	ch->nulls[st->attno[c] - 1] = isnull;
	ch->replace[st->attno[c] - 1] = true;
	ch->any = true;
}

/* Refuse a client's value where the step sets the column itself. */
void
set_by_trigger(Changes *ch, const Row *oldrow, const Row *newrow, Col c, Datum value, bool isnull,
			   const char *why)
{
	bool		new_null;
	Datum		new_value = get(newrow, c, &new_null);
	Form_pg_attribute att = TupleDescAttr(newrow->desc, newrow->st->attno[c] - 1);
	bool		agrees = (new_null == isnull) &&
		(isnull || datum_image_eq(new_value, value, att->attbyval, att->attlen));

	if (col_changed(oldrow, newrow, c) && !agrees)
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W1),
				 errmsg("%s is set by the step, not by the client", col_name[c]),
				 errdetail_internal("%s", _(why)),
				 errhint("Leave %s out of the UPDATE.", col_name[c])));
	set_col(ch, newrow->st, c, value, isnull);
}

/* The parameters in force for the row's year and region. */
const Policy *
row_policy(const Row *r)
{
	bool		year_null,
				region_null;
	Datum		year = get(r, C_YEAR, &year_null);
	Datum		region = get(r, C_REGION, &region_null);
	Row		   *memo = (Row *) r;	/* the lookup is remembered with the row */

	if (r->policy_known)
		return r->policy;
	/* a row not yet complete (its NOT NULL checks come after the triggers) has none */
	if (year_null || region_null)
		memo->policy = NULL;
	else
	{
		text	   *code = DatumGetTextPP(region);

		const Policy *p = policy_lookup(DatumGetInt32(year), VARDATA_ANY(code), VARSIZE_ANY_EXHDR(code));

		memo->policy = NULL;
		if (p != NULL)
		{
			memo->policy_copy = *p;
			memo->policy = &memo->policy_copy;
		}
	}
	memo->policy_known = true;
	return r->policy;
}

/* A closed year (subsidy.close_year) takes no change at all, from anyone. */
static void
refuse_if_year_closed(const Row *r)
{
	const Policy *p = row_policy(r);

	/* whether the year has closed is read as of now (year_is_closed), not under the transaction's snapshot */
	if (p != NULL && year_is_closed(p->year))
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_YEAR_CLOSED),
				 errmsg("subsidy year %d is closed: application %lld of region %s does not change",
						p->year, (long long) application_id(r), p->region),
				 errdetail("close_year closed the year once its payments were reported and its annual report frozen."),
				 errhint("Only a superuser reopens a closed year, by deleting its row from subsidy.closed_year.")));
}

/*
 * The publicity an application is listed in: its region, year and period.
 * Only a publicity of the application's own region is found: another
 * region's is one that does not exist (S1).
 */
static void
publicity_of(const Row *r, const char **region, int32 *year, DateADT *starts, DateADT *ends)
{
	Datum		args[2];
	Oid			argtypes[2] = {INT8OID, TEXTOID};
	bool		isnull;

	args[0] = get(r, C_PUBLICITY_ID, &isnull);
	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W5),
				 errmsg("application %lld is not listed in a publicity", (long long) application_id(r)),
				 errhint("hrss starts one with subsidy.start_publicity(region, year, start_date).")));
	args[1] = CStringGetTextDatum(text_of(r, C_REGION));
	owner_query(&plan_publicity,
				"SELECT region, year, starts_on, ends_on FROM subsidy.publicity "
				"WHERE id OPERATOR(pg_catalog.=) $1 AND region OPERATOR(pg_catalog.=) $2",
				2, argtypes, args, NULL, true);
	if (SPI_processed != 1)
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W5),
				 errmsg("publicity %lld of region %s does not exist", (long long) DatumGetInt64(args[0]),
						text_of(r, C_REGION)),
				 errhint("hrss starts one with subsidy.start_publicity(region, year, start_date).")));
	*region = TextDatumGetCString(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	*year = DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull));
	*starts = DatumGetDateADT(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3, &isnull));
	*ends = DatumGetDateADT(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 4, &isnull));
}

/* The open objection to the current round (W6, W7), or NULL. */
char *
open_objection(const Row *r)
{
	Datum		args[2];
	Oid			argtypes[2] = {INT8OID, INT4OID};
	bool		isnull;

	args[0] = Int64GetDatum(application_id(r));
	args[1] = Int32GetDatum(round_of(r));
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
	{ST_SCREENED, ST_SUBMITTED, ROLE_BIT(ROLE_APPLICANT), "confirm_screened", N_("permission denied to confirm a screened application"), "W2"},
	{ST_SCREENED, ST_WITHDRAWN, ROLE_BIT(ROLE_APPLICANT), "decline_screened", N_("permission denied to decline a screened application"), "W1"},
	{ST_SUBMITTED, ST_WITHDRAWN, ROLE_BIT(ROLE_APPLICANT), "withdraw", N_("permission denied to withdraw an application"), "W1"},
	{ST_SUBMITTED, ST_IN_REVIEW, ROLE_BIT(ROLE_HRSS), "start_review", N_("permission denied to start the joint review"), "W3"},
	{ST_SUBMITTED, ST_DECIDED, ROLE_BIT(ROLE_HRSS), "reject_uncorrected", N_("permission denied to reject an uncorrected submission"), "W2"},
	{ST_IN_REVIEW, ST_DECIDED, ROLE_BIT(ROLE_HRSS), "decide", N_("permission denied to record the joint decision"), "W3"},
	{ST_DECIDED, ST_IN_PUBLICITY, ROLE_BIT(ROLE_HRSS), "start_publicity", N_("permission denied to publish the list"), "W5"},
	{ST_DECIDED, ST_OBJECTION, ROLE_BIT(ROLE_HRSS), "object", N_("permission denied to record an objection"), "W6"},
	{ST_IN_PUBLICITY, ST_OBJECTION, ROLE_BIT(ROLE_HRSS), "object", N_("permission denied to record an objection"), "W6"},
	{ST_OBJECTION, ST_IN_REVIEW, ROLE_BIT(ROLE_HRSS), "reopen_review", N_("permission denied to reopen the review"), "W6"},
	{ST_IN_PUBLICITY, ST_CLEARED, ROLE_BIT(ROLE_HRSS), "clear", N_("permission denied to clear publicity"), "W5"},
	{ST_CLEARED, ST_PAID, ROLE_BIT(ROLE_AGENCY), "pay", N_("permission denied to record a payment"), "W7"},
	{ST_PAID, ST_CLEARED, ROLE_BIT(ROLE_AGENCY), "return_payment", N_("permission denied to record a returned payment"), "W7"},
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

static pg_noreturn void
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

/* The workflow columns a client may write in a transition (the step checks them). */
static uint64
client_columns(Stage from, Stage to)
{
	switch (to)
	{
		case ST_IN_PUBLICITY:
			return COL_BIT(C_PUBLICITY_ID);
		case ST_PAID:
			return COL_BIT(C_PAID_ON) | COL_BIT(C_PAYMENT_REFERENCE) | COL_BIT(C_PAID_AMOUNT);
		case ST_REPORTED:
			return COL_BIT(C_REPORT_BATCH_ID);
		case ST_CLEARED:
			return from == ST_PAID ? COL_BIT(C_RETURNED_ON) | COL_BIT(C_RETURN_REASON) : 0;
		default:
			return 0;
	}
}

/* W5: the listing of an application in a publicity (W5a: only before it starts). */
static void
join_publicity(const Row *oldrow, const Row *newrow, DateADT today)
{
	const GuardState *st = newrow->st;
	const char *region;
	int32		year;
	DateADT		starts,
				ends,
				decided_on;
	bool		isnull;
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
	if (today > starts)
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W5),
				 errmsg("the publicity that started on %s cannot take application %lld on %s",
						iso_date(starts), (long long) application_id(newrow), iso_date(today)),
				 errdetail("An application joins a publicity only before it starts, so that it is published for the full period (W5a)."),
				 errhint("Publish it in a new publicity: subsidy.start_publicity(region, year, start_date).")));
	if (starts < decided_on)
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W5),
				 errmsg("a publicity starting %s cannot list an application decided on %s",
						iso_date(starts), iso_date(decided_on)),
				 errdetail("A new decision needs a whole new publicity period (W6).")));
}

/* W6: an objection on record moves the application out of publicity (or reopens a rejection). */
static void
raise_objection(const Row *oldrow, const Row *newrow, Stage from, DateADT today)
{
	if (open_objection(newrow) == NULL)
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
}

/* W5, W7: cleared the day after publicity ends, and only with no open objection. */
static void
clear_publicity(Changes *ch, const Row *oldrow, const Row *newrow, DateADT today)
{
	const char *region;
	int32		year;
	DateADT		starts,
				ends;
	char	   *objection;

	publicity_of(oldrow, &region, &year, &starts, &ends);
	if (today <= ends)
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W5),
				 errmsg("publicity of application %lld runs until %s: it cannot be cleared on %s",
						(long long) application_id(newrow), iso_date(ends), iso_date(today)),
				 errdetail("Publicity lasts its working days in full; cleared is recorded no earlier than the day after it ends (W5)."),
				 errhint("Clear it on %s or later.", iso_date(ends + 1))));
	objection = open_objection(newrow);
	if (objection != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W5),
				 errmsg("application %lld has an open objection: it is not cleared", (long long) application_id(newrow)),
				 errdetail("Objection: %s. An open objection stops clearance and payment (W5, W7).", objection),
				 errhint("Take it into review: subsidy.object(application, text) moves the application, then subsidy.reopen_review.")));
	set_by_trigger(ch, oldrow, newrow, C_CLEARED_ON, DateADTGetDatum(today), false,
				   "The clearance date is the day publicity is cleared (W5).");
}

/* W6: objection -> in_review opens a new round; the old decision, publicity and account go. */
static void
reopen_round(Changes *ch, const Row *oldrow, const Row *newrow)
{
	const GuardState *st = newrow->st;

	set_col(ch, st, C_REVIEW_ROUND, Int32GetDatum(round_of(oldrow) + 1), false);
	for (Col c = C_DECISION; c <= C_DECIDED_REASONS; c++)
		set_col(ch, st, c, (Datum) 0, true);
	set_col(ch, st, C_PUBLICITY_ID, (Datum) 0, true);
	set_col(ch, st, C_CLEARED_ON, (Datum) 0, true);
	set_col(ch, st, C_PAYMENT_BANK_NAME, (Datum) 0, true);
	set_col(ch, st, C_PAYMENT_BANK_ACCOUNT, (Datum) 0, true);
}

/* The review starts after the window closes (W3), with every correction completed (W2). */
static void
start_review(const Row *newrow, DateADT today)
{
	const Policy *p = row_policy(newrow);

	if (p != NULL && p->has_window && today <= p->window_closes)
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W3),
				 errmsg("the joint review of region %s starts after its window closes on %s",
						text_of(newrow, C_REGION), iso_date(p->window_closes)),
				 errdetail("申报期结束后 hrss, finance and the agency review jointly (W3; 吉人社联字〔2018〕54号 二(三)2)."),
				 errhint("Start the review on %s or later.", iso_date(p->window_closes + 1))));
	refuse_if_correction_pending(newrow, today);
}

/* Conditions of each transition, and what it sets. */
static void
make_transition(Changes *ch, const Row *oldrow, const Row *newrow, Stage from, Stage to, DateADT today)
{
	switch (to)
	{
		case ST_SUBMITTED:
			if (from == ST_SCREENED)
				confirm_screened(ch, oldrow, newrow, today);
			else
				submit_application(ch, oldrow, newrow, today);
			break;
		case ST_IN_REVIEW:
			if (from == ST_SUBMITTED)
				start_review(newrow, today);
			else
				reopen_round(ch, oldrow, newrow);
			break;
		case ST_DECIDED:
			if (from == ST_SUBMITTED)
				reject_uncorrected(ch, oldrow, newrow, today);
			else
				decide_from_engine(ch, oldrow, newrow, today);
			break;
		case ST_IN_PUBLICITY:
			join_publicity(oldrow, newrow, today);
			break;
		case ST_OBJECTION:
			raise_objection(oldrow, newrow, from, today);
			break;
		case ST_CLEARED:
			if (from == ST_PAID)
				check_return(ch, oldrow, newrow, today);
			else
				clear_publicity(ch, oldrow, newrow, today);
			break;
		case ST_PAID:
			check_payment(ch, oldrow, newrow, today);
			break;
		case ST_REPORTED:
			check_report_upward(oldrow, newrow);
			break;
		default:
			break;
	}
}

/*
 * Workflow columns changed within a stage: the steps that take no transition
 * (a correction completed, the account re-checked, the payment time reported).
 */
static void
same_stage_steps(Changes *ch, const Row *oldrow, const Row *newrow, Stage stage, uint64 cols,
				 DateADT today)
{
	uint64		account = COL_BIT(C_PAYMENT_BANK_NAME) | COL_BIT(C_PAYMENT_BANK_ACCOUNT);

	if ((cols & COL_BIT(C_CORRECTED_ON)) && stage == ST_SUBMITTED)
	{
		complete_correction(ch, oldrow, newrow, today);
		cols &= ~COL_BIT(C_CORRECTED_ON);
	}
	if ((cols & account) &&
		(stage == ST_DECIDED || stage == ST_IN_PUBLICITY || stage == ST_CLEARED))
	{
		check_account_recheck(ch, oldrow, newrow);
		cols &= ~account;
	}
	if ((cols & COL_BIT(C_PAYMENT_TIMES_REPORTED_ON)) && stage == ST_PAID)
	{
		check_payment_times_report(ch, oldrow, newrow, today);
		cols &= ~COL_BIT(C_PAYMENT_TIMES_REPORTED_ON);
	}
	for (Col c = C_FIRST_WORKFLOW; c <= C_LAST_WORKFLOW; c++)
		if ((cols & COL_BIT(c)) && !ch->replace[newrow->st->attno[c] - 1])
			refuse_workflow_change(oldrow, c);
}

PG_FUNCTION_INFO_V1(application_guard);
/* Trigger on subsidy.application: the stages, their roles and conditions. */
Datum
application_guard(PG_FUNCTION_ARGS)
{
	static const char *const tables[] = {"application", NULL};
	TriggerData *trigdata = trigger_on(fcinfo, "application_guard", tables, true, 1);
	GuardState *st;
	Row			oldrow,
				newrow;
	TupleDesc	desc;
	Stage		from,
				to;
	Changed		changed;
	Changes		ch;
	HeapTuple	result;
	DateADT		today;
	bool		needs_spi;

	if (restoring())
		return PointerGetDatum(TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) ? trigdata->tg_newtuple :
							   trigdata->tg_trigtuple);
	desc = RelationGetDescr(trigdata->tg_relation);
	st = guard_state(fcinfo, trigdata->tg_relation);
	row_init(&oldrow, desc, st);
	row_init(&newrow, desc, st);

	if (TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		return PointerGetDatum(screening_now ? file_screened(&newrow, trigdata->tg_trigtuple) :
							   file_application(&newrow, trigdata->tg_trigtuple));

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
	from = stage_of(&oldrow);
	to = stage_of(&newrow);
	today = business_date();
	if (trigdata->tg_updatedcols != NULL && guard_runs_alone(trigdata->tg_relation, true))
		changed_columns_among(&oldrow, &newrow, trigdata->tg_updatedcols, false, &changed);
	else
		changed_columns(&oldrow, &newrow, &changed);
	if (changed.groups == 0 && from == to)
		return PointerGetDatum(trigdata->tg_newtuple);	/* nothing of the guard's changed */

	/* the lookups as the tables' owner go through SPI; taking a submission into review needs none */
	needs_spi = ((from != to) ? !(to == ST_WITHDRAWN || to == ST_IN_REVIEW) :
				 (changed.groups & GROUP_BIT(G_WORKFLOW)) != 0) ||
		(changed.cols & COL_BIT(C_SPOT_CHECK)) != 0 ||
		(from == ST_DRAFT && (changed.groups & GROUP_BIT(G_FACTS)));
	if (needs_spi && SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	check_group_changes(&oldrow, &newrow, &changed, from, today);
	if (changed.cols & COL_BIT(C_SPOT_CHECK))
		check_spot_check_finding(&oldrow, &newrow);
	changes_init(&ch, desc);
	if (from != to)
	{
		const Transition *t = find_transition(from, to);
		uint64		stray;

		if (t == NULL)
			refuse_transition(&oldrow, from, to);
		require_role(t->roles, t->refusal, t->rule);
		make_transition(&ch, &oldrow, &newrow, from, to, today);
		/* how long it waits in its new stage counts from today (the progress report, [J54 三(五)]) */
		set_by_trigger(&ch, &oldrow, &newrow, C_STAGE_SINCE, DateADTGetDatum(today), false,
					   "stage_since is the business date of the step that moved the application into its stage.");
		/* a workflow column the client changed that the step neither takes nor sets */
		stray = changed.cols & ~client_columns(from, to) & ~COL_BIT(C_STAGE);
		for (Col c = C_FIRST_WORKFLOW; c <= C_LAST_WORKFLOW; c++)
			if ((stray & COL_BIT(c)) && !ch.replace[st->attno[c] - 1])
				refuse_workflow_change(&oldrow, c);
	}
	else if (changed.groups & GROUP_BIT(G_WORKFLOW))
		same_stage_steps(&ch, &oldrow, &newrow, from, changed.cols & ~COL_BIT(C_STAGE), today);

	result = trigdata->tg_newtuple;
	if (ch.any)
		result = heap_modify_tuple(newrow.tuple, desc, ch.values, ch.nulls, ch.replace);
	if (needs_spi)
	{
		/* what was built while connected goes with SPI_finish: copy it out */
		if (ch.any)
			result = SPI_copytuple(result);
		SPI_finish();
	}
	return PointerGetDatum(result);
}
