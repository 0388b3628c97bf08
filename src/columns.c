/*
 * columns.c: who owns which column of subsidy.application, and in which
 * stages it may change (DOMAIN section 2).
 *
 * What an enterprise declared is fixed once submitted (A5), except that a
 * correction request lets the applicant fill in what it lists (W2); list
 * facts, confirmed figures and review results are recorded in review, each by
 * its party; after the decision nothing of them changes (A6).  The workflow's
 * own columns are set by its steps only (workflow.c).
 */
#include "guard.h"

#include "access/sysattr.h"
#include "catalog/pg_trigger.h"
#include "commands/trigger.h"
#include "utils/datum.h"

const ColumnGroup column_groups[] = {
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
	{"paid_amount", G_WORKFLOW}, {"report_batch_id", G_WORKFLOW},
	{"payment_bank_name", G_WORKFLOW}, {"payment_bank_account", G_WORKFLOW},
	{"returned_on", G_WORKFLOW}, {"returned_reference", G_WORKFLOW},
	{"returned_bank_account", G_WORKFLOW}, {"return_reason", G_WORKFLOW},
	{"correction_requested_on", G_WORKFLOW}, {"correction_items", G_WORKFLOW},
	{"correction_due", G_WORKFLOW}, {"corrected_on", G_WORKFLOW},
	{"payment_times_reported_on", G_WORKFLOW},
	{"unit_kind", G_FACTS}, {"serious_dishonesty", G_FACTS},
	{"confirmed_full_contribution_months", G_AGENCY}, {"confirmed_new_claimants", G_AGENCY},
	{"confirmed_monthly_premiums_payable", G_AGENCY}, {"hardship_recognised", G_HRSS},
	{"screened_on", G_FIXED},
	{"stage_since", G_WORKFLOW}
};
const int	column_group_count = lengthof(column_groups);

/* The group of each column of the table (G_FREE for one the extension does not name). */
void
column_groups_of(TupleDesc desc, ColGroup *group)
{
	for (int i = 0; i < column_group_count; i++)
	{
		int			attno = SPI_fnumber(desc, column_groups[i].column);

		if (attno > 0)
			group[attno - 1] = column_groups[i].group;
	}
}

static inline bool
att_changed(const Row *oldrow, const Row *newrow, int i)
{
	Form_pg_attribute att = TupleDescAttr(newrow->desc, i);

	if (oldrow->nulls[i] != newrow->nulls[i])
		return true;
	return !oldrow->nulls[i] &&
		!datum_image_eq(oldrow->values[i], newrow->values[i], att->attbyval, att->attlen);
}

bool
col_changed(const Row *oldrow, const Row *newrow, Col c)
{
	return att_changed(oldrow, newrow, newrow->st->attno[c] - 1);
}

/* The groups, and the named columns, an UPDATE changes. */
void
changed_columns(const Row *oldrow, const Row *newrow, Changed *changed)
{
	const GuardState *st = newrow->st;

	changed->groups = 0;
	changed->cols = 0;
	for (int i = 0; i < newrow->desc->natts; i++)
	{
		if (TupleDescAttr(newrow->desc, i)->attisdropped || !att_changed(oldrow, newrow, i))
			continue;
		changed->groups |= GROUP_BIT(st->group[i]);
		if (st->col[i] >= 0)
			changed->cols |= COL_BIT(st->col[i]);
	}
}

/*
 * The same, looking only at the columns the statement set (tg_updatedcols) and,
 * with workflow, at the workflow's own columns, which the stage guard may set:
 * where no other BEFORE ROW trigger can have changed a column, no other column
 * differs, and a bulk step of one column need not compare seventy.
 */
void
changed_columns_among(const Row *oldrow, const Row *newrow, const Bitmapset *updated, bool workflow,
					  Changed *changed)
{
	const GuardState *st = newrow->st;
	int			k = -1;

	changed->groups = 0;
	changed->cols = 0;
	while ((k = bms_next_member(updated, k)) >= 0)
	{
		int			i = k + FirstLowInvalidHeapAttributeNumber - 1;

		if (i < 0 || i >= newrow->desc->natts || TupleDescAttr(newrow->desc, i)->attisdropped ||
			!att_changed(oldrow, newrow, i))
			continue;
		changed->groups |= GROUP_BIT(st->group[i]);
		if (st->col[i] >= 0)
			changed->cols |= COL_BIT(st->col[i]);
	}
	if (workflow)
		for (Col c = C_STAGE; c <= C_LAST_WORKFLOW; c++)
		{
			int			i = st->attno[c] - 1;

			if (att_changed(oldrow, newrow, i))
			{
				changed->groups |= GROUP_BIT(st->group[i]);
				changed->cols |= COL_BIT(c);
			}
		}
}

/*
 * Whether, on this statement's table, every enabled BEFORE ROW UPDATE trigger
 * but the stage guard sorts after it (first) or none exists at all (only):
 * what changed_columns_among relies on.
 */
bool
guard_runs_alone(Relation rel, bool first_only)
{
	TriggerDesc *td = rel->trigdesc;

	if (td == NULL)
		return true;
	for (int i = 0; i < td->numtriggers; i++)
	{
		Trigger    *t = &td->triggers[i];

		if (t->tgenabled == TRIGGER_DISABLED || !TRIGGER_FOR_ROW(t->tgtype) ||
			!TRIGGER_FOR_BEFORE(t->tgtype) || !TRIGGER_FOR_UPDATE(t->tgtype) ||
			strcmp(t->tgname, "application_stage_guard") == 0)
			continue;
		if (!first_only || strcmp(t->tgname, "application_stage_guard") < 0)
			return false;
	}
	return true;
}

/* The rule that freezes a workflow column outside the step that sets it. */
void
refuse_workflow_change(const Row *r, Col c)
{
	bool		payment = (c == C_PAID_ON || c == C_PAYMENT_REFERENCE || c == C_PAID_AMOUNT ||
						   (c >= C_PAYMENT_BANK_NAME && c <= C_RETURN_REASON) ||
						   c == C_PAYMENT_TIMES_REPORTED_ON);
	bool		decision = (c >= C_DECISION && c <= C_DECIDED_REASONS);
	Stage		stage = stage_of(r);

	/* the commonest case, a second payment (often a retry racing the first), said plainly */
	if ((c == C_PAID_ON || c == C_PAYMENT_REFERENCE || c == C_PAID_AMOUNT) &&
		(stage == ST_PAID || stage == ST_REPORTED))
		raise_keyed("paid_already", 5, psprintf("%lld", (long long) application_id(r)), text_of(r, C_PAID_AMOUNT),
					text_of(r, C_PAID_ON), text_of(r, C_PAYMENT_REFERENCE), stage_label[stage]);
	ereport(ERROR,
			(errcode(payment ? ERRCODE_SUBSIDY_W7 : decision ? ERRCODE_SUBSIDY_A6 : ERRCODE_SUBSIDY_W1),
			 errmsg("%s of application %lld cannot be changed in stage %s", col_name[c],
					(long long) application_id(r), stage_label[stage]),
			 payment ? errdetail("An application is paid once, to the account recorded at its decision, and its payment is never rewritten (W7).") :
			 decision ? errdetail("A decided amount changes only by going back through review, when an objection reopens it (A6).") :
			 errdetail("Stages and their dates change only by the steps of W1."),
			 errhint("Take the step that sets it; the entry points are subsidy.submit, complete_correction, sign_off, decide, start_publicity, object, reopen_review, clear, recheck_bank_account, pay, return_payment, report_payment_times and report_upward.")));
}

/* The stages in which a group's columns may change, and by whom (section 2). */
void
check_group_changes(const Row *oldrow, const Row *newrow, const Changed *changed, Stage stage,
					DateADT today)
{
	uint32		groups = changed->groups;
	bool		in_review = (stage == ST_SUBMITTED || stage == ST_IN_REVIEW);
	bool		decided = (stage >= ST_DECIDED && stage != ST_WITHDRAWN);

	if (groups & GROUP_BIT(G_FIXED))
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W1),
				 errmsg("an application's number, year, region, enterprise and creation time never change"),
				 errdetail("They are what the application is: its region is its enterprise's, taken when it is filed (section 11)."),
				 errhint("For another enterprise or year, delete the draft (or withdraw the submission) and file a new one.")));
	if (groups & GROUP_BIT(G_DECLARED))
	{
		if (stage == ST_SUBMITTED && correction_pending(oldrow))
			check_correction_edits(oldrow, newrow, today);
		else if (stage != ST_DRAFT)
			ereport(ERROR,
					(errcode(ERRCODE_SUBSIDY_W2),
					 errmsg("application %lld was submitted: its declared figures and documents are fixed",
							(long long) application_id(oldrow)),
					 errdetail("What an enterprise declared is kept as declared (A5); review records what it confirms in the confirmed_* columns."),
					 errhint("A wrong submission is withdrawn (before review) and filed again.")));
		else
			require_role(ROLE_BIT(ROLE_APPLICANT) | ROLE_BIT(ROLE_HRSS) | ROLE_BIT(ROLE_ADMIN),
						 N_("permission denied to edit a draft"), "W1");
	}
	if (groups & REVIEW_GROUPS)
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
	if (groups & GROUP_BIT(G_FACTS))
	{
		require_role(stage == ST_DRAFT ? ROLE_BIT(ROLE_APPLICANT) | ROLE_BIT(ROLE_HRSS) | ROLE_BIT(ROLE_ADMIN) :
					 ROLE_BIT(ROLE_HRSS) | ROLE_BIT(ROLE_ADMIN),
					 N_("permission denied to record an enterprise's list facts"), "E5, A2, A3, W10");
		if (stage == ST_DRAFT && !acts_as(ROLE_BIT(ROLE_HRSS) | ROLE_BIT(ROLE_ADMIN)))
			check_draft_list_facts(oldrow, newrow);
	}
	if (groups & (GROUP_BIT(G_AGENCY) | GROUP_BIT(G_HRSS) | GROUP_BIT(G_FINANCE)))
	{
		if (!in_review)
			ereport(ERROR,
					(errcode(ERRCODE_SUBSIDY_W3),
					 errmsg("application %lld is in stage %s: figures are confirmed in review, after it is submitted",
							(long long) application_id(oldrow), stage_label[stage]),
					 errhint("Submit it first.")));
		if (groups & GROUP_BIT(G_AGENCY))
			require_role(ROLE_BIT(ROLE_AGENCY), N_("permission denied to confirm premiums and insured persons"), "E1, A5");
		if (groups & GROUP_BIT(G_HRSS))
			require_role(ROLE_BIT(ROLE_HRSS), N_("permission denied to review layoffs, policy compliance and spot checks"), "E2, E4, E10");
		if (groups & GROUP_BIT(G_FINANCE))
			require_role(ROLE_BIT(ROLE_FINANCE), N_("permission denied to review financial management and last year's subsidy"), "E3, E6");
	}
	/* section 11: what a related reviewer may not sign, it may not set either */
	if ((groups & REVIEW_GROUPS) && stage != ST_DRAFT)
		refuse_related_reviewer(text_of(oldrow, C_USCC), NULL);
}
