/*
 * guard.h: what the files of the application guard share.
 *
 *   workflow.c    the stages and their transitions (W1), the BEFORE ROW guard
 *   columns.c     who owns which column, and in which stages it may change
 *   submission.c  filing, submission and its correction request (W2)
 *   review.c      the joint review's sign-offs and the decision (W3, W3a, W4)
 *   payment.c     the account paid into, payments and their return (W7, W8)
 *   trail.c       what is logged, from AFTER ROW triggers (W9), and the
 *                 digest of the figures a sign-off is given on (W3a)
 */
#ifndef SUBSIDY_GUARD_H
#define SUBSIDY_GUARD_H

#include "subsidy.h"

#include "lib/stringinfo.h"
#include "utils/date.h"
#include "utils/rel.h"

/* The stages of W1, in the order of subsidy.stage. */
typedef enum Stage
{
	ST_DRAFT, ST_SCREENED, ST_SUBMITTED, ST_WITHDRAWN, ST_IN_REVIEW, ST_DECIDED, ST_IN_PUBLICITY,
	ST_OBJECTION, ST_CLEARED, ST_PAID, ST_REPORTED, ST_COUNT
} Stage;

extern const char *const stage_label[ST_COUNT];

/*
 * Who owns which columns, and when they may change (columns.c).  A column not
 * listed (one a DBA added) is free.
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

extern const ColumnGroup column_groups[];
extern const int column_group_count;

#define GROUP_BIT(g) (1u << (g))
/* The groups a sign-off is given on (W3a): list facts, confirmed figures, review results. */
#define REVIEW_GROUPS (GROUP_BIT(G_FACTS) | GROUP_BIT(G_AGENCY) | GROUP_BIT(G_HRSS) | GROUP_BIT(G_FINANCE))

/*
 * Columns the guard reads or writes by name.  The workflow's own columns,
 * which only its steps set, run from C_SUBMITTED_ON to C_LAST_WORKFLOW.
 */
typedef enum Col
{
	C_ID, C_YEAR, C_REGION, C_USCC, C_STAGE,
	C_SUBMITTED_ON, C_REVIEW_ROUND, C_DECISION, C_DECIDED_ON, C_DECIDED_RULE, C_DECIDED_BASIS,
	C_DECIDED_BASIS_AMOUNT, C_DECIDED_RATE, C_DECIDED_AMOUNT, C_DECIDED_REASONS, C_PUBLICITY_ID,
	C_CLEARED_ON, C_PAID_ON, C_PAYMENT_REFERENCE, C_PAID_AMOUNT, C_REPORT_BATCH_ID,
	C_PAYMENT_BANK_NAME, C_PAYMENT_BANK_ACCOUNT, C_RETURNED_ON, C_RETURNED_REFERENCE,
	C_RETURNED_BANK_ACCOUNT, C_RETURN_REASON, C_CORRECTION_REQUESTED_ON, C_CORRECTION_ITEMS,
	C_CORRECTION_DUE, C_CORRECTED_ON, C_PAYMENT_TIMES_REPORTED_ON, C_STAGE_SINCE,
	C_DOCUMENTS, C_FIRM_SIZE, C_CONFIRMED_PAYABLE, C_CONFIRMED_PAID, C_CONFIRMED_START, C_CREATED_AT,
	C_DECAPACITY, C_KEY_SUPPORTED, C_ZOMBIE, C_MONITORED, C_SPOT_CHECK,
	C_UNIT_KIND, C_DISHONESTY, C_SCREENED_ON,
	C_COUNT
} Col;

#define C_FIRST_WORKFLOW C_SUBMITTED_ON
#define C_LAST_WORKFLOW C_STAGE_SINCE
#define COL_BIT(c) (UINT64CONST(1) << (c))

extern const char *const col_name[C_COUNT];

/* What a statement resolves once: column numbers, groups, enum values. */
typedef struct GuardState
{
	Oid			relid;
	int			natts;
	int			attno[C_COUNT];
	ColGroup   *group;			/* by attnum - 1 */
	int8	   *col;			/* by attnum - 1: the Col, or -1 */
	Oid			stage_oid[ST_COUNT];
	Oid			approved_oid;
	Oid			rejected_oid;
	Oid			basis_oid[5];	/* by Basis: paid, payable, benefit, monthly_premiums */
	FmgrInfo	out[C_COUNT];	/* output functions, looked up on first use */
	bool		out_ready[C_COUNT];
	MemoryContext cxt;			/* where the state lives */
} GuardState;

/* A row of the trigger, deformed once (the guard reads most columns of a wide row). */
typedef struct Row
{
	HeapTuple	tuple;
	TupleDesc	desc;
	GuardState *st;
	Datum	   *values;
	bool	   *nulls;
	const Policy *policy;		/* the row's parameters (policy_copy, or NULL), once looked up */
	Policy		policy_copy;	/* a copy: the cache may be reloaded meanwhile */
	bool		policy_known;
} Row;

/* The replacements a step makes in the new row. */
typedef struct Changes
{
	Datum	   *values;
	bool	   *nulls;
	bool	   *replace;
	bool		any;
} Changes;

/* What an UPDATE changed: column groups, and the workflow's own columns. */
typedef struct Changed
{
	uint32		groups;			/* GROUP_BIT(g) */
	uint64		cols;			/* COL_BIT(c) of the named columns */
} Changed;

/* workflow.c */
extern GuardState *guard_state(FunctionCallInfo fcinfo, Relation rel);
extern void row_init(Row *r, TupleDesc desc, GuardState *st);
extern void row_set(Row *r, HeapTuple tuple);
extern Datum get(const Row *r, Col c, bool *isnull);
extern bool is_null(const Row *r, Col c);
extern Stage stage_of(const Row *r);
extern char *text_of(const Row *r, Col c);
extern int64 application_id(const Row *r);
extern int32 round_of(const Row *r);
extern char *iso_date(DateADT d);
extern void changes_init(Changes *ch, TupleDesc desc);
extern void set_col(Changes *ch, const GuardState *st, Col c, Datum value, bool isnull);
extern void set_by_trigger(Changes *ch, const Row *oldrow, const Row *newrow, Col c, Datum value,
						   bool isnull, const char *why);
extern const Policy *row_policy(const Row *r);
extern char *open_objection(const Row *r);

/* columns.c */
extern void column_groups_of(TupleDesc desc, ColGroup *group);
extern void changed_columns(const Row *oldrow, const Row *newrow, Changed *changed);
extern void changed_columns_among(const Row *oldrow, const Row *newrow, const Bitmapset *updated,
								  bool workflow, Changed *changed);
extern bool guard_runs_alone(Relation rel, bool first_only);
extern void check_group_changes(const Row *oldrow, const Row *newrow, const Changed *changed,
								Stage stage, DateADT today);
extern pg_noreturn void refuse_workflow_change(const Row *r, Col c);
extern bool col_changed(const Row *oldrow, const Row *newrow, Col c);

/* submission.c */
extern HeapTuple file_application(Row *newrow, HeapTuple tuple);
extern void submit_application(Changes *ch, const Row *oldrow, const Row *newrow, DateADT today);
extern void check_draft_list_facts(const Row *oldrow, const Row *newrow);
extern void confirm_screened(Changes *ch, const Row *oldrow, const Row *newrow, DateADT today);
extern HeapTuple file_screened(Row *newrow, HeapTuple tuple);
extern bool correction_pending(const Row *r);
extern void refuse_if_correction_pending(const Row *r, DateADT today);
extern void complete_correction(Changes *ch, const Row *oldrow, const Row *newrow, DateADT today);
extern void reject_uncorrected(Changes *ch, const Row *oldrow, const Row *newrow, DateADT today);
extern void check_correction_edits(const Row *oldrow, const Row *newrow, DateADT today);

/* review.c */
extern uint32 party_rules(const char *agency);
extern int	rule_of_id(const char *id);
extern void decide_from_engine(Changes *ch, const Row *oldrow, const Row *newrow, DateADT today);
extern void check_spot_check_finding(const Row *oldrow, const Row *newrow);

/* payment.c */
extern void record_payment_account(Changes *ch, const Row *newrow, bool approved);
extern void check_payment(Changes *ch, const Row *oldrow, const Row *newrow, DateADT today);
extern void check_return(Changes *ch, const Row *oldrow, const Row *newrow, DateADT today);
extern void check_account_recheck(Changes *ch, const Row *oldrow, const Row *newrow);
extern void check_payment_times_report(Changes *ch, const Row *oldrow, const Row *newrow, DateADT today);
extern void check_report_upward(const Row *oldrow, const Row *newrow);

/* trail.c */
extern uint64 figures_digest(HeapTuple tuple, TupleDesc desc);

#endif							/* SUBSIDY_GUARD_H */
