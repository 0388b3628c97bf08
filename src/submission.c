/*
 * submission.c: filing and submitting an application (W1, W2).
 *
 * An application is filed as a draft of its enterprise's region (S1) and
 * submitted inside the region's window.  A submission filed in time is
 * accepted even when incomplete ([J54 三(二)] "只要企业在规定时间内申报均应受
 * 理"): everything missing is listed at once in a correction request (补正),
 * which the applicant completes within the parameter's working days, even
 * after the window; one not completed by then is rejected with W2 and its
 * list.  Until then the applicant may fill in what is missing, and nothing
 * else: what was declared stays as declared (A5).
 */
#include "guard.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"
#include "utils/timestamp.h"

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

static SPIPlanPtr plan_bank = NULL;
static SPIPlanPtr plan_documents = NULL;
static SPIPlanPtr plan_enterprise = NULL;

/* A declared column's value (attno by name: the required columns are not all named in Col). */
static bool
declared_null(const Row *r, const char *column, Datum *value)
{
	int			attno = SPI_fnumber(r->desc, column);

	if (attno <= 0)
		elog(ERROR, "column \"%s\" is missing from the application row", column);
	*value = r->values[attno - 1];
	return r->nulls[attno - 1];
}

/*
 * Everything a submission still lacks (W2), as items a clerk reads: the
 * required figures, the answers they call for, the firm size where the rate
 * depends on it, the enterprise's bank details, the required documents (an
 * entry that is empty or NULL does not count).  Returns the number of items.
 */
static int
missing_items(const Row *r, List **items)
{
	const Policy *p = row_policy(r);
	Datum		v;
	bool		isnull;
	Datum		args[1];
	Oid			argtypes[1];

	*items = NIL;
	for (int i = 0; i < lengthof(required_figures); i++)
		if (declared_null(r, required_figures[i].column, &v))
			*items = lappend(*items, psprintf("%s (%s)", required_figures[i].label, required_figures[i].column));
	/* an agreement matters only with arrears for other years, the use of last year's subsidy only with one */
	if (!declared_null(r, "arrears_other_years", &v) &&
		numeric_scaled_or_error(v, 2, "arrears_other_years") > 0 &&
		declared_null(r, "deferral_agreement", &v))
		*items = lappend(*items, "延期缴费协议 whether a deferred-payment agreement is signed (deferral_agreement)");
	if (!declared_null(r, "prior_subsidy", &v) &&
		numeric_scaled_or_error(v, 2, "prior_subsidy") > 0 &&
		declared_null(r, "prior_subsidy_use_proper", &v))
		*items = lappend(*items, "上年度补贴使用情况 whether last year's subsidy was used as permitted (prior_subsidy_use_proper)");
	if (p != NULL && p->rate_large != p->rate_small_micro && is_null(r, C_FIRM_SIZE))
		*items = lappend(*items, "企业规模 firm size (firm_size)");

	/* the enterprise's bank account, for the payment */
	argtypes[0] = TEXTOID;
	args[0] = CStringGetTextDatum(text_of(r, C_USCC));
	owner_query(&plan_bank,
				"SELECT bank_name IS NOT NULL AND bank_name OPERATOR(pg_catalog.<>) '' "
				"AND bank_account IS NOT NULL AND bank_account OPERATOR(pg_catalog.<>) '' "
				"FROM subsidy.enterprise WHERE uscc OPERATOR(subsidy.=) $1::subsidy.uscc",
				1, argtypes, args, NULL, true);
	if (SPI_processed != 1 || !DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull)))
		*items = lappend(*items, "开户行及银行账号 the enterprise's bank and account (subsidy.enterprise)");

	/* the documents the region requires (annexes 1 and 2); NULL and '' entries name nothing */
	{
		Datum		docs = get(r, C_DOCUMENTS, &isnull);

		args[0] = isnull ? (Datum) 0 : docs;
		argtypes[0] = TEXTARRAYOID;
		owner_query(&plan_documents,
					"SELECT name_zh OPERATOR(pg_catalog.||) ' (' OPERATOR(pg_catalog.||) code "
					"OPERATOR(pg_catalog.||) ')' FROM subsidy.required_document "
					"WHERE required AND NOT COALESCE(code OPERATOR(pg_catalog.=) ANY ($1), false) "
					"ORDER BY code",
					1, argtypes, args, isnull ? "n" : " ", true);
		for (uint64 i = 0; i < SPI_processed; i++)
			*items = lappend(*items, SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1));
	}
	return list_length(*items);
}

static char *
items_text(List *items, const char *separator)
{
	StringInfoData buf;
	ListCell   *lc;

	initStringInfo(&buf);
	foreach(lc, items)
		appendStringInfo(&buf, "%s%s", buf.len ? separator : "", (char *) lfirst(lc));
	return buf.data;
}

static Datum
items_array(List *items)
{
	Datum	   *elems = palloc(sizeof(Datum) * Max(list_length(items), 1));
	int			n = 0;
	ListCell   *lc;

	foreach(lc, items)
		elems[n++] = CStringGetTextDatum((char *) lfirst(lc));
	return PointerGetDatum(construct_array(elems, n, TEXTOID, -1, false, TYPALIGN_INT));
}

/* A text array's elements, NULLs left out. */
static List *
text_elements(Datum array)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	List	   *result = NIL;

	deconstruct_array(DatumGetArrayTypeP(array), TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
	for (int i = 0; i < n; i++)
		if (!nulls[i])
			result = lappend(result, TextDatumGetCString(elems[i]));
	return result;
}

/* Whether every document of the old list is still in the new one. */
static bool
documents_kept(Datum old_list, Datum new_list)
{
	List	   *before = text_elements(old_list);
	List	   *after = text_elements(new_list);
	ListCell   *lc;

	foreach(lc, before)
	{
		ListCell   *lc2;
		bool		found = false;

		if (((char *) lfirst(lc))[0] == '\0')
			continue;			/* an empty entry names no document */

		foreach(lc2, after)
			if (strcmp((char *) lfirst(lc), (char *) lfirst(lc2)) == 0)
				found = true;
		if (!found)
			return false;
	}
	return true;
}

/* What a correction request asks for, for a message. */
static char *
requested_items(const Row *r)
{
	bool		isnull;
	Datum		items = get(r, C_CORRECTION_ITEMS, &isnull);

	return isnull ? "" : items_text(text_elements(items), "; ");
}

/* The list facts (enterprise_year), in the order the lookup returns them from its second column. */
static const Col list_facts[] = {C_DECAPACITY, C_KEY_SUPPORTED, C_ZOMBIE, C_MONITORED, C_FIRM_SIZE,
C_DISHONESTY, C_UNIT_KIND};

/*
 * An application's enterprise, as the caller sees it (row-level security
 * decides), with the year's list facts: whether it was found.  The row is in
 * SPI_tuptable: its region, then the facts in list_facts' order.
 */
static bool
lookup_enterprise(const Row *r)
{
	char	   *uscc = text_of(r, C_USCC);
	Datum		args[2];
	Oid			argtypes[2] = {TEXTOID, INT4OID};
	char		nulls[2] = {' ', ' '};
	bool		isnull;

	if (uscc == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_NOT_NULL_VIOLATION),
				 errmsg("an application names its enterprise (uscc)")));
	args[0] = CStringGetTextDatum(uscc);
	args[1] = get(r, C_YEAR, &isnull);
	if (isnull)
		nulls[1] = 'n';
	if (plan_enterprise == NULL)
	{
		plan_enterprise = SPI_prepare("SELECT e.region, y.decapacity, y.key_supported, y.zombie, y.monitored, y.firm_size, "
									  "y.serious_dishonesty, y.unit_kind "
									  "FROM subsidy.enterprise e LEFT JOIN subsidy.enterprise_year y "
									  "ON y.uscc OPERATOR(subsidy.=) e.uscc AND y.year OPERATOR(pg_catalog.=) $2 "
									  "WHERE e.uscc OPERATOR(subsidy.=) $1::subsidy.uscc", 2, argtypes);
		if (plan_enterprise == NULL || SPI_keepplan(plan_enterprise) != 0)
			elog(ERROR, "could not prepare the enterprise lookup");
	}
	if (SPI_execute_plan(plan_enterprise, args, nulls, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not look the enterprise up");
	return SPI_processed == 1;
}

/* What the year's list says (SPI_tuptable, from lookup_enterprise) overrides; an empty fact stays. */
static void
take_list_facts(Changes *ch, const Row *newrow)
{
	const GuardState *st = newrow->st;

	for (int i = 0; i < lengthof(list_facts); i++)
	{
		bool		isnull;
		Datum		v = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, i + 2, &isnull);
		Form_pg_attribute att = TupleDescAttr(newrow->desc, st->attno[list_facts[i]] - 1);

		if (!isnull)
			set_col(ch, st, list_facts[i], datumCopy(v, att->attbyval, att->attlen), false);
	}
}

/*
 * The enterprise a new application is filed for, and the year's list facts:
 * an application's region is its enterprise's (S1), and one the caller cannot
 * see is answered as one that does not exist.  Sets region and facts in *ch.
 */
static void
take_enterprise(Changes *ch, const Row *newrow)
{
	char	   *uscc = text_of(newrow, C_USCC);
	char	   *region;
	char	   *given = text_of(newrow, C_REGION);

	if (!lookup_enterprise(newrow))
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
	set_col(ch, newrow->st, C_REGION, CStringGetTextDatum(region), false);
	take_list_facts(ch, newrow);
}

/*
 * A list fact on a draft: the applicant declares only what the year's list
 * leaves empty; what the list says is hrss's (E5, A2, A3, W10).  SPI connected.
 */
void
check_draft_list_facts(const Row *oldrow, const Row *newrow)
{
	const GuardState *st = newrow->st;

	if (!lookup_enterprise(newrow))
		return;					/* the enterprise is out of sight: the row is too */
	for (int i = 0; i < lengthof(list_facts); i++)
	{
		Col			c = list_facts[i];
		bool		listed_null;
		Datum		listed = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, i + 2, &listed_null);
		Form_pg_attribute att = TupleDescAttr(newrow->desc, st->attno[c] - 1);
		bool		isnull;
		Datum		v = get(newrow, c, &isnull);

		if (listed_null || (!isnull && datum_image_eq(v, listed, att->attbyval, att->attlen)))
			continue;
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("%s of enterprise %s is on hrss's list for %s: the list says %s",
						col_name[c], text_of(newrow, C_USCC), text_of(newrow, C_YEAR),
						SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, i + 2)),
				 errdetail("An enterprise's list facts are hrss's (E5, A2, A3, W10); an applicant declares only those the year's list leaves empty."),
				 errhint("If the list is wrong, hrss corrects it in subsidy.enterprise_year.")));
	}
	(void) oldrow;
}

/* At submission the year's list, as it then stands, overrides what the draft said. SPI connected. */
static void
refresh_list_facts(Changes *ch, const Row *newrow)
{
	if (lookup_enterprise(newrow))
		take_list_facts(ch, newrow);
}

/* A new application: a draft of the caller's region, with nothing the review records yet. */
HeapTuple
file_application(Row *newrow, HeapTuple tuple)
{
	const GuardState *st = newrow->st;
	TupleDesc	desc = newrow->desc;
	Changes		ch;
	bool		isnull;
	Datum		created;
	const Policy *p;

	require_role(ROLE_BIT(ROLE_APPLICANT) | ROLE_BIT(ROLE_HRSS) | ROLE_BIT(ROLE_ADMIN),
				 N_("permission denied to file an application"), "W1");
	row_set(newrow, tuple);
	if (stage_of(newrow) != ST_DRAFT)
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W1),
				 errmsg("an application starts as a draft, not %s", stage_label[stage_of(newrow)]),
				 errdetail("Every application passes through submission, so that W2's checks run on it."),
				 errhint("Insert it as a draft, then submit it: subsidy.submit(application).")));
	for (Col c = C_FIRST_WORKFLOW; c <= C_LAST_WORKFLOW; c++)
		if (c != C_REVIEW_ROUND && !is_null(newrow, c))
			refuse_workflow_change(newrow, c);
	if (is_null(newrow, C_REVIEW_ROUND) || round_of(newrow) != 1)
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

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	changes_init(&ch, desc);
	take_enterprise(&ch, newrow);
	/* a draft is in its stage from the day it is filed */
	set_col(&ch, st, C_STAGE_SINCE, DateADTGetDatum(business_date()), false);
	tuple = heap_modify_tuple(tuple, desc, ch.values, ch.nulls, ch.replace);
	row_set(newrow, tuple);
	p = row_policy(newrow);
	if (p != NULL && year_is_closed(p->year))
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_YEAR_CLOSED),
				 errmsg("subsidy year %d is closed: no application is filed for it", p->year),
				 errdetail("close_year closed the year once its payments were reported and its annual report frozen.")));
	tuple = SPI_copytuple(tuple);
	SPI_finish();
	return tuple;
}

/*
 * W2: submitted inside the window; what is missing is asked for at once, in a
 * correction request with its due day.
 */
void
submit_application(Changes *ch, const Row *oldrow, const Row *newrow, DateADT today)
{
	const Policy *p = row_policy(newrow);
	List	   *items;
	bool		isnull;
	const char *why = N_("A submission's date and correction request are set when it is submitted (W2).");

	if (p == NULL || (!p->has_window && p->window_required))
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W2),
				 errmsg("region %s has no application window for %d", text_of(newrow, C_REGION),
						DatumGetInt32(get(newrow, C_YEAR, &isnull))),
				 errdetail("Applications are accepted only inside the window the region opens for the year (W2, E8)."),
				 errhint("hrss opens the year: subsidy.open_year, or a row in subsidy.application_window.")));
	/* a year whose set needs no window, and a region that opened none: all year (section 13) */
	if (p->has_window && (today < p->window_opens || today > p->window_closes))
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W2),
				 errmsg("the application window of region %s is %s to %s; today is %s",
						text_of(newrow, C_REGION), iso_date(p->window_opens), iso_date(p->window_closes),
						iso_date(today)),
				 errdetail("Every application filed inside the window is accepted, and none outside it (W2, E8)."),
				 today < p->window_opens ? errhint("Submit once the window opens.") :
				 errhint("The window is closed for this year.")));
	set_by_trigger(ch, oldrow, newrow, C_SUBMITTED_ON, DateADTGetDatum(today), false, why);
	refresh_list_facts(ch, newrow);
	if (missing_items(newrow, &items) > 0)
	{
		set_by_trigger(ch, oldrow, newrow, C_CORRECTION_REQUESTED_ON, DateADTGetDatum(today), false, why);
		set_by_trigger(ch, oldrow, newrow, C_CORRECTION_ITEMS, items_array(items), false, why);
		set_by_trigger(ch, oldrow, newrow, C_CORRECTION_DUE,
					   DateADTGetDatum(workday_add(today, p->correction_workdays)), false, why);
	}
	else
	{
		set_by_trigger(ch, oldrow, newrow, C_CORRECTION_REQUESTED_ON, (Datum) 0, true, why);
		set_by_trigger(ch, oldrow, newrow, C_CORRECTION_ITEMS, (Datum) 0, true, why);
		set_by_trigger(ch, oldrow, newrow, C_CORRECTION_DUE, (Datum) 0, true, why);
	}
	set_by_trigger(ch, oldrow, newrow, C_CORRECTED_ON, (Datum) 0, true, why);
}

/*
 * Screening (免申即享, DOMAIN section 13): the unit confirms the application
 * the agency's records made for it.  Its figures are the agency's, declared
 * and confirmed alike, so nothing is missing and no window applies: it is
 * submitted on the day it confirms, with the year's list as it then stands.
 */
void
confirm_screened(Changes *ch, const Row *oldrow, const Row *newrow, DateADT today)
{
	const char *why = N_("A screened application is submitted on the day its unit confirms it (section 13).");

	set_by_trigger(ch, oldrow, newrow, C_SUBMITTED_ON, DateADTGetDatum(today), false, why);
	refresh_list_facts(ch, newrow);
}

/* Set by subsidy.screen while it files the screened applications (records.c). */
bool		screening_now = false;

/*
 * A screened application, as subsidy.screen files it: the region is the
 * enterprise's, the list facts the year's, the figures the agency's records
 * (declared as confirmed: there is no declaration), stage screened, on the
 * day it was screened.  Nothing else files one.
 */
HeapTuple
file_screened(Row *newrow, HeapTuple tuple)
{
	TupleDesc	desc = newrow->desc;
	Changes		ch;
	bool		isnull;
	Datum		created;

	row_set(newrow, tuple);
	if (stage_of(newrow) != ST_SCREENED)
		elog(ERROR, "subsidy.screen files screened applications only");
	created = get(newrow, C_CREATED_AT, &isnull);
	if (isnull || DatumGetTimestampTz(created) != GetCurrentTransactionStartTimestamp() ||
		is_null(newrow, C_REVIEW_ROUND) || round_of(newrow) != 1 || is_null(newrow, C_SCREENED_ON))
		elog(ERROR, "a screened application starts in round 1, on the day and at the time it is screened");
	for (Col c = C_FIRST_WORKFLOW; c <= C_LAST_WORKFLOW; c++)
		if (c != C_REVIEW_ROUND && !is_null(newrow, c))
			refuse_workflow_change(newrow, c);
	/* screen's own query took the region and list facts from the register and the year's list */
	changes_init(&ch, desc);
	set_col(&ch, newrow->st, C_STAGE_SINCE, DateADTGetDatum(business_date()), false);
	return heap_modify_tuple(tuple, desc, ch.values, ch.nulls, ch.replace);
}

/* Whether a correction was requested and not completed yet. */
bool
correction_pending(const Row *r)
{
	return !is_null(r, C_CORRECTION_REQUESTED_ON) && is_null(r, C_CORRECTED_ON);
}

static DateADT
correction_due(const Row *r)
{
	bool		isnull;

	return DatumGetDateADT(get(r, C_CORRECTION_DUE, &isnull));
}

/* The review takes a submission once its correction is complete; an overdue one is rejected instead. */
void
refuse_if_correction_pending(const Row *r, DateADT today)
{
	if (!correction_pending(r))
		return;
	if (today <= correction_due(r))
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W2),
				 errmsg("application %lld awaits its correction until %s", (long long) application_id(r),
						iso_date(correction_due(r))),
				 errdetail("Requested on %s: %s.", text_of(r, C_CORRECTION_REQUESTED_ON), requested_items(r)),
				 errhint("Its review starts once the applicant completes it (subsidy.complete_correction), or it is rejected after the due day.")));
	ereport(ERROR,
			(errcode(ERRCODE_SUBSIDY_W2),
			 errmsg("application %lld was not corrected by %s: it is rejected, not reviewed",
					(long long) application_id(r), iso_date(correction_due(r))),
			 errdetail("Still missing: %s (W2).", requested_items(r)),
			 errhint("Reject it with subsidy.reject_uncorrected(application); subsidy.start_review(region, year) rejects every such one.")));
}

/*
 * While a correction is pending, the applicant fills in what is missing: a
 * declared figure that was empty, documents added to the list.  Nothing given
 * before changes (A5).
 */
void
check_correction_edits(const Row *oldrow, const Row *newrow, DateADT today)
{
	require_role(ROLE_BIT(ROLE_APPLICANT), N_("permission denied to complete a correction"), "W2");
	if (today > correction_due(oldrow))
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W2),
				 errmsg("the correction of application %lld was due on %s", (long long) application_id(oldrow),
						iso_date(correction_due(oldrow))),
				 errdetail("A correction is completed within its working days of the request (W2)."),
				 errhint("It is rejected with the items still missing.")));
	for (int i = 0; i < newrow->desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(newrow->desc, i);
		bool		filled;

		if (newrow->st->group[i] != G_DECLARED || att->attisdropped)
			continue;
		if (oldrow->nulls[i] == newrow->nulls[i] &&
			(oldrow->nulls[i] || datum_image_eq(oldrow->values[i], newrow->values[i], att->attbyval, att->attlen)))
			continue;
		if (i == newrow->st->attno[C_DOCUMENTS] - 1)
			/* documents are added, never taken away */
			filled = oldrow->nulls[i] ||
				(!newrow->nulls[i] && documents_kept(oldrow->values[i], newrow->values[i]));
		else
			filled = oldrow->nulls[i];
		if (!filled)
			ereport(ERROR,
					(errcode(ERRCODE_SUBSIDY_W2),
					 errmsg("application %lld was submitted: %s was declared and stays as declared",
							(long long) application_id(oldrow), NameStr(att->attname)),
					 errdetail("A correction fills in what its request lists (%s); what was declared is kept (A5).",
							   requested_items(oldrow)),
					 errhint("Fill in the empty figures and add the missing documents; review records confirmed figures separately.")));
	}
}

/* The applicant says the correction is complete: it is, or what is still missing is named. */
void
complete_correction(Changes *ch, const Row *oldrow, const Row *newrow, DateADT today)
{
	List	   *items;

	require_role(ROLE_BIT(ROLE_APPLICANT), N_("permission denied to complete a correction"), "W2");
	if (!correction_pending(oldrow))
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W2),
				 errmsg("application %lld has no pending correction", (long long) application_id(oldrow))));
	if (today > correction_due(oldrow))
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W2),
				 errmsg("the correction of application %lld was due on %s", (long long) application_id(oldrow),
						iso_date(correction_due(oldrow))),
				 errdetail("A correction is completed within its working days of the request (W2).")));
	if (missing_items(newrow, &items) > 0)
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W2),
				 errmsg("the correction of application %lld is not complete", (long long) application_id(oldrow)),
				 errdetail("Still missing: %s.", items_text(items, "; ")),
				 errhint("Fill them in by %s, then complete the correction again.", iso_date(correction_due(oldrow)))));
	set_by_trigger(ch, oldrow, newrow, C_CORRECTED_ON, DateADTGetDatum(today), false,
				   "A correction is completed on the day the applicant completes it (W2).");
}

/* W2: a correction not completed by its due day rejects the submission, with its list. */
void
reject_uncorrected(Changes *ch, const Row *oldrow, const Row *newrow, DateADT today)
{
	const GuardState *st = newrow->st;
	List	   *items;
	Datum		reasons[2];
	const char *why = N_("A submission not corrected in time is rejected with W2 and what it lacks (W2, W4).");

	if (!correction_pending(oldrow) || today <= correction_due(oldrow))
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W1),
				 errmsg("application %lld cannot go from submitted to decided", (long long) application_id(oldrow)),
				 errdetail("A submission is decided without review only when its correction was not completed by its due day (W2)."),
				 errhint("Start its review: subsidy.start_review(application).")));
	(void) missing_items(newrow, &items);
	reasons[0] = CStringGetTextDatum("W2");
	reasons[1] = CStringGetTextDatum(psprintf("W2 逾期未补正 not corrected by %s: %s",
											  iso_date(correction_due(oldrow)), items_text(items, "; ")));
	set_by_trigger(ch, oldrow, newrow, C_DECISION, ObjectIdGetDatum(st->rejected_oid), false, why);
	set_by_trigger(ch, oldrow, newrow, C_DECIDED_ON, DateADTGetDatum(today), false, why);
	for (Col c = C_DECIDED_RULE; c <= C_DECIDED_AMOUNT; c++)
		set_by_trigger(ch, oldrow, newrow, c, (Datum) 0, true, why);
	set_by_trigger(ch, oldrow, newrow, C_DECIDED_REASONS,
				   PointerGetDatum(construct_array(reasons, 2, TEXTOID, -1, false, TYPALIGN_INT)), false, why);
}
