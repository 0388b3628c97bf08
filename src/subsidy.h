/*
 * subsidy.h: declarations shared by the C sources of the subsidy extension.
 */
#ifndef SUBSIDY_H
#define SUBSIDY_H

#include "postgres.h"
#include "fmgr.h"
#include "access/htup.h"
#include "access/tupdesc.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "storage/proc.h"

/*
 * The extension's own message catalog (po/, installed as subsidy-<major>.mo):
 * ereport's messages and _() look there, as PL/pgSQL's do in its domain.
 */
#undef TEXTDOMAIN
#define TEXTDOMAIN PG_TEXTDOMAIN("subsidy")
#undef _
#define _(x) dgettext(TEXTDOMAIN, x)
/* a message to translate where it is used, not where it is written */
#define N_(x) (x)

/*
 * A function that never returns: PostgreSQL 18 spells it pg_noreturn (C11
 * _Noreturn, among the declaration's specifiers) and has no
 * pg_attribute_noreturn() any more; before 18 only the attribute exists.
 */
#ifndef pg_noreturn
#define pg_noreturn pg_attribute_noreturn()
#endif

#if PG_VERSION_NUM >= 170000
#define MyLocalTransactionId() (MyProc->vxid.lxid)
#else
#define MyLocalTransactionId() (MyProc->lxid)
#endif

/*
 * Soft input errors (pg_input_is_valid) arrived in PostgreSQL 16; before that
 * an input error is always hard.
 */
#if PG_VERSION_NUM < 160000
#define errsave(context, ...) ereport(ERROR, __VA_ARGS__)
#define SOFT_ERROR_CONTEXT(fcinfo) ((struct Node *) NULL)
#define SOFT_ERROR_OCCURRED(escontext) false
#else
#include "nodes/miscnodes.h"
#define SOFT_ERROR_CONTEXT(fcinfo) ((fcinfo)->context)
#endif

/*
 * SQLSTATEs of the extension's own rules: class SB ("S" and later letters are
 * left to implementations), then the rule: SBW05 is a W5 refusal.
 */
#define ERRCODE_SUBSIDY_SHIPPED_ROW		MAKE_SQLSTATE('S','B','X','0','1')
#define ERRCODE_SUBSIDY_W1				MAKE_SQLSTATE('S','B','W','0','1')	/* stages */
#define ERRCODE_SUBSIDY_W2				MAKE_SQLSTATE('S','B','W','0','2')	/* submission */
#define ERRCODE_SUBSIDY_W3				MAKE_SQLSTATE('S','B','W','0','3')	/* joint review */
#define ERRCODE_SUBSIDY_W5				MAKE_SQLSTATE('S','B','W','0','5')	/* publicity */
#define ERRCODE_SUBSIDY_W6				MAKE_SQLSTATE('S','B','W','0','6')	/* objection */
#define ERRCODE_SUBSIDY_W7				MAKE_SQLSTATE('S','B','W','0','7')	/* payment */
#define ERRCODE_SUBSIDY_W8				MAKE_SQLSTATE('S','B','W','0','8')	/* report upward */
#define ERRCODE_SUBSIDY_W9				MAKE_SQLSTATE('S','B','W','0','9')	/* audit */
#define ERRCODE_SUBSIDY_W11				MAKE_SQLSTATE('S','B','W','1','1')	/* spot checks */
#define ERRCODE_SUBSIDY_A6				MAKE_SQLSTATE('S','B','A','0','6')	/* frozen figures */
#define ERRCODE_SUBSIDY_YEAR_CLOSED		MAKE_SQLSTATE('S','B','Y','0','1')	/* close_year */
#define ERRCODE_SUBSIDY_ROLE			MAKE_SQLSTATE('S','B','R','0','1')	/* not this role's step */
#define ERRCODE_SUBSIDY_CONFLICT		MAKE_SQLSTATE('S','B','I','1','1')	/* section 11 */

#define REGION_CODE_SIZE 8			/* a region's six characters, NUL, padding */

/* rights.c: who acts where */
typedef enum Role
{
	ROLE_APPLICANT, ROLE_AGENCY, ROLE_HRSS, ROLE_FINANCE, ROLE_READER, ROLE_ADMIN, ROLE_COUNT
} Role;

#define ROLE_BIT(r) (1 << (r))

typedef struct OwnerSwitch
{
	Oid			user;
	int			sec;
} OwnerSwitch;

extern const char *role_name(Role role);
extern bool acts_as(int role_bits);
extern char *roles_text(int role_bits);
extern void require_role(int role_bits, const char *refusal, const char *rule);
extern void refuse_related_reviewer(const char *uscc, const char *agency);
extern void refuse_related_payer(const char *uscc);
extern const char *relations_of_enterprise(const char *uscc);
extern bool sees_every_region(void);
extern bool session_sees_every_region(void);
extern bool screening_now;		/* subsidy.screen is filing screened applications (submission.c) */
extern bool caller_acts_in(const char *region);
extern void require_region(const char *region);

/* messages.c: a keyed message raised from C, its arguments C strings (NULL: empty) */
extern void raise_keyed(const char *key, int nargs,...);

/* signoff.c: a login whose sign-off stands in an open review keeps its name (W3) */
extern void refuse_rename_of_signer(const char *old_name);
extern int	caller_region_list(char (**codes)[REGION_CODE_SIZE]);
extern Oid	tables_owner(void);
extern void owner_begin(OwnerSwitch *sw);
extern void owner_end(const OwnerSwitch *sw);
extern void kept_plan(SPIPlanPtr *plan, const char *sql, int nargs, Oid *argtypes);
extern void owner_query(SPIPlanPtr *plan, const char *sql, int nargs, Oid *argtypes, Datum *values,
						const char *nulls, bool read_only);
extern Oid	subsidy_namespace(void);
/* partition.c: a partition's partitioned table at the top (itself when it is none) */
extern Oid	partition_root(Oid relid);
extern Oid	subsidy_relid(const char *name);
extern void subsidy_require_current_objects(void);
extern TriggerData *trigger_on(FunctionCallInfo fcinfo, const char *function, const char *const *tables,
							   bool before, int row);

/* stamp.c: whether cached table data is still what a query would read */
typedef struct SnapshotStamp
{
	bool		valid;
	uint64		generation;
	uint32		lxid;
	uint32		curcid;
	uint32		xmin;
	uint32		xmax;
	uint32		xcnt;
	int32		subxcnt;
	bool		suboverflowed;
	uint32	   *xip;
	uint32		xip_capacity;
	uint32	   *subxip;
	uint32		subxip_capacity;
} SnapshotStamp;

extern void stamp_take(SnapshotStamp *stamp);
extern bool stamp_is_current(const SnapshotStamp *stamp);
extern void stamp_register_callbacks(void);
extern uint64 stamp_current_generation(void);

/* policy.c: parameters in force and region facts, per subsidy year and region */

typedef enum LayoffFormula
{
	LAYOFFS_OVER_START,
	NET_DECREASE_OVER_START,
	NET_DECREASE_OVER_AVERAGE,
	NEW_CLAIMANTS_OVER_AVERAGE
} LayoffFormula;

/* Where E2's threshold comes from (the verdict keeps it, for the explanation). */
typedef enum ThresholdSource
{
	TS_UNKNOWN, TS_REGION, TS_PARENT, TS_FIXED, TS_NATIONAL
} ThresholdSource;

/* E2's test for one size class: a threshold, where it is from, and how the rate compares. */
typedef struct LayoffTest
{
	int64		threshold;		/* per cent x 10^4; -1 when not loaded */
	ThresholdSource source;
	bool		not_above;		/* rate <= threshold (不高于), else rate < threshold (低于) */
} LayoffTest;

typedef enum SmallUnitScope
{
	SMALL_UNITS_NONE, SMALL_UNITS_SME, SMALL_UNITS_ALL
} SmallUnitScope;

/*
 * The parameters in force for one subsidy year and region, as exact scaled
 * integers: rates in thousandths, per cents in ten-thousandths, money in fen.
 */
typedef struct Policy
{
	int32		year;
	char		region[REGION_CODE_SIZE];
	int32		rate_large;			/* A1, x 1000 */
	int32		rate_small_micro;	/* A1, x 1000 */
	int32		decapacity_rate;	/* A2, x 1000; -1: the set has no A2 */
	int32		arrears_path_rate;	/* A3, x 1000; -1: the set has no A3 */
	LayoffFormula formula;
	int64		threshold;			/* E2, per cent x 10^4; -1 when not loaded */
	int64		priority_factor;	/* E2, x 100 */
	bool		fund_balance_known;
	bool		fund_expenditure_known;
	bool		fund_covered;		/* E7, when both are known */
	int32		fund_cover;			/* months x 100; -1 when unknown or nothing spent */
	int32		fund_required;		/* E7, months x 10 */
	int32		publicity_workdays;
	int32		correction_workdays;	/* W2: days to complete a correction */
	int32		rounding_scale;		/* A4: decimals kept, 2, 1 or 0 */
	bool		has_window;
	int32		window_opens;		/* DateADT */
	int32		window_closes;
	/* DOMAIN section 13 */
	LayoffTest	test_large;			/* E2 for large units (and for all when the classes agree) */
	LayoffTest	test_sme;			/* E2 for medium, small and micro units */
	SmallUnitScope small_units;		/* E2's small-unit alternative */
	int64		small_unit_headcount;	/* average insured x 100, inclusive */
	int64		small_unit_rate;	/* per cent x 10^4, inclusive */
	int32		early_rate_large;	/* A1, x 1000, before rate_large_from; -1: no change in the year */
	int32		rate_large_from;	/* DateADT */
	int32		min_full_months;	/* E11; -1: no such condition */
	bool		six_kinds_covered;	/* E12 */
	bool		six_kinds_by_headcount; /* six kinds large from 300 average insured */
	bool		dishonesty_rule;	/* E13 */
	bool		fund_of_province;	/* E7 reads the province's pooled fund */
	bool		screening;			/* mode screen (免申即享) */
	bool		window_required;	/* E8: no window leaves E8 open */
	int32		hardship_months;	/* A7, months x 10; -1: no A7 */
	bool		hardship_by_premiums;	/* A7 formula: premiums, else benefit */
	bool		hardship_fund_known;	/* A7: the region's own balance and expenditure known */
	bool		hardship_fund_covered;	/* A7: the region's own fund covers hardship_fund_months */
	int64		average_benefit;	/* A7, fen; -1 when not loaded */
	bool		amount_largest;		/* the largest of A1, A2 and A7 (Jilin 2019-2020) */
} Policy;

extern const Policy *policy_lookup(int32 year, const char *region, int region_len);
extern void policy_from_composite(Datum row, Policy *policy);

/* money.c: exact scaled integers from numerics and back */
extern bool numeric_scaled(Datum value, int scale, int64 *result);
extern int64 numeric_scaled_or_error(Datum value, int scale, const char *what);
extern Datum scaled_to_numeric(int64 value, int scale);

/* verdict.c: the engine's result, and the names of its rules, facts and reasons */
/* The rules, in the bit order verdicts store them: those of 1.2 come after, so old ones read alike. */
typedef enum Rule
{
	RULE_E1, RULE_E2, RULE_E3, RULE_E4, RULE_E5, RULE_E6, RULE_E7, RULE_E8, RULE_E10,
	RULE_A1, RULE_A2, RULE_A3,
	RULE_E11, RULE_E12, RULE_E13, RULE_A7,
	RULE_COUNT
} Rule;

/* A verdict's amount_rule (1-4) as a Rule: A1, A2, A3, A7. */
#define AMOUNT_RULE(n) ((n) == 4 ? RULE_A7 : (Rule) (RULE_A1 + (n) - 1))

typedef enum Fact
{
	F_POLICY, F_SUBMITTED_ON, F_WINDOW, F_ARREARS_BASIS, F_PAID, F_PAYABLE, F_ARREARS_OTHER,
	F_AGREEMENT, F_DECAPACITY, F_KEY_SUPPORTED, F_LAYOFFS, F_INSURED_START, F_INSURED_END,
	F_INSURED_AVERAGE, F_RETIREMENTS_DEATHS, F_THRESHOLD, F_FINANCIAL, F_COMPLIANT, F_ZOMBIE,
	F_PRIOR_SUBSIDY, F_PRIOR_USE, F_FUND_BALANCE, F_FUND_EXPENDITURE, F_FIRM_SIZE, F_SPOT_CHECK,
	F_UNIT_KIND, F_DISHONESTY, F_FULL_MONTHS, F_NEW_CLAIMANTS, F_MONTHLY_PREMIUMS, F_HARDSHIP,
	F_AVERAGE_BENEFIT, F_DECIDED_ON, F_NATIONAL_TARGET, F_REGION_FUND,
	F_COUNT
} Fact;

typedef enum Reason
{
	R_ARREARS_BASIS, R_PAID_BELOW_PAYABLE, R_ARREARS_OTHER, R_LAYOFF_RATE, R_FINANCIAL,
	R_NONCOMPLIANT, R_ZOMBIE, R_PRIOR_MISUSED, R_FUND_COVER, R_OUTSIDE_WINDOW, R_FALSE_DATA,
	R_FULL_MONTHS, R_UNIT_KIND, R_DISHONESTY,
	R_COUNT
} Reason;

typedef enum Outcome
{
	OUTCOME_ELIGIBLE, OUTCOME_INELIGIBLE, OUTCOME_UNDETERMINED, OUTCOME_COUNT
} Outcome;

typedef enum Basis
{
	BASIS_NONE, BASIS_PAID, BASIS_PAYABLE, BASIS_BENEFIT, BASIS_MONTHLY_PREMIUMS
} Basis;

extern const char *const rule_id[RULE_COUNT];
extern const char *const fact_name[F_COUNT];
extern const char *const reason_code[R_COUNT];
extern const char *const outcome_label[OUTCOME_COUNT];

/*
 * subsidy.verdict: one application assessed, fixed-width and exact.  What
 * assess_year stores, and what subsidy.assessment expands into standard
 * types.  Padding is always zeroed, so equal verdicts are equal bytes.
 */
typedef struct Verdict
{
	int64		amount;			/* fen, when eligible */
	int64		basis_amount;	/* fen, when eligible */
	int64		layoff_rate;	/* per cent x 10^4, truncated; -1 when not computed */
	int64		threshold;		/* per cent x 10^4; -1 when unknown */
	int32		fund_cover;		/* months x 100; -1 when unknown or nothing spent */
	uint32		missing;		/* Fact bits 0-31 */
	uint16		failed;			/* Rule bits */
	uint16		open;			/* Rule bits */
	uint16		reasons;		/* Reason bits */
	int16		rate;			/* x 1000, when eligible; -1 otherwise */
	int16		fund_required;	/* months x 10; -1 without a policy */
	uint8		outcome;		/* Outcome */
	uint8		amount_rule;	/* 0, or 1-4 for A1, A2, A3, A7 */
	uint8		basis;			/* Basis */
	uint8		amount_scale;	/* decimals the amount keeps (A4) */
	uint8		version;		/* layout, VERDICT_VERSION */
	uint8		e2_test;		/* E2_* bits: which test decided E2 (0 in verdicts of 1.1) */
	uint16		missing_more;	/* Fact bits 32-47 */
	uint16		small_unit_headcount;	/* persons, when E2 passed by the small-unit test */
	uint16		regime_rules;	/* Rule bits: the rules beyond section 5 the year's set has (E11-E13) */
	uint8		padding[2];		/* to 64 bytes, zeroed */
} Verdict;

/* e2_test: the threshold's source (ThresholdSource), its comparator, the small-unit test. */
#define E2_SOURCE_MASK		0x07
#define E2_NOT_ABOVE		0x08
#define E2_SMALL_UNIT		0x10	/* passed by the small-unit alternative */

/* A verdict's missing facts as one 64-bit set, and back. */
#define VERDICT_MISSING(v) ((uint64) (v)->missing | ((uint64) (v)->missing_more << 32))
#define VERDICT_SET_MISSING(v, bits) ((v)->missing = (uint32) (bits), (v)->missing_more = (uint16) ((bits) >> 32))

#define VERDICT_VERSION 1
#define DatumGetVerdictP(X) ((Verdict *) DatumGetPointer(X))

extern Datum verdict_to_assessment(const Verdict *v, TupleDesc desc);
extern Oid	enum_label_oid(Oid enumtype, const char *label);

/* assess.c */
extern const Policy *verdict_of_row(HeapTuple tuple, TupleDesc desc, Verdict *v);

/* calendar.c: working days */
extern bool workday_is(int32 d);
extern int32 workday_add(int32 d, int32 n);
extern int32 workdays_count(int32 a, int32 b);
extern int32 workday_nth_from(int32 start, int32 n);

/* hooks.c: EXPLAIN and LOCK TABLE kept from clerks */
extern void install_hooks(void);
extern bool loaded_at_session_start(void);
extern pg_noreturn void refuse_unguarded_session(void);

/* subsidy.c: the business date, and whether a dump is being restored */
extern int32 business_date(void);
extern bool restoring(void);

/* records.c: numbers, closed years, stored verdicts */
extern bool year_is_closed(int32 year);

/* audit.c: the chains' locks */
extern void lock_caller_chains(void);
#define CHAIN_COUNTERS 9
extern int64 *chain_counter(const char *region, int slot);
extern bool chain_held(const char *region);
extern void lock_region_chain(const char *region);

/* audit.c: the audit trail (W9) */
typedef struct AuditEntry
{
	const char *uscc;
	const char *action;			/* transition, sign_off, review */
	const char *from_stage;
	const char *to_stage;
	const char *detail;
	const char *figures;		/* JSON text */
	const char *subject;		/* the row the entry is about ("application 42"), or NULL */
	const uint8 *state;			/* its state after the change (ROW_STATE_BYTES); NULL: removed */
} AuditEntry;

/* rowstate.c: the row an entry is about, and what it holds after the change (S4) */
#define ROW_STATE_BYTES 16
extern char *row_subject(Relation rel, HeapTuple tuple);
extern void row_state(TupleDesc desc, HeapTuple tuple, uint8 *state);
extern void row_state_values(TupleDesc desc, const Datum *values, const bool *nulls, uint8 *state);

extern void audit_append(const char *region, int64 application_id, const AuditEntry *entry);

/* The tables whose rows the trail holds to their state (audit.c), as SQL over a row t or an entry s. */
typedef struct LoggedTable
{
	const char *table;
	const char *chain;			/* the region whose chain its changes go to; NULL: every pool's */
	const char *application;	/* the application it concerns, or NULL */
	const char *unlogged_ok;	/* rows the trail need not hold, or NULL */
	const char *compared;		/* rows compared at all, or NULL: every one */
	const char *gone_ok;		/* rows the log has and the table may have lost, or NULL */
	bool		moves;			/* rows may leave a clerk's regions without being removed */
	bool		shipped;		/* has rows the extension ships (origin) */
} LoggedTable;

extern const LoggedTable logged_tables[];
extern const int logged_table_count;
extern void sha256_buffer(const void *data, size_t len, uint8 *digest);

#define AUDIT_HASH_BYTES 32

/* An entry as verify.c reads it (audit_entry_read). */
typedef struct AuditEntryRead
{
	const char *region;
	int64		seq;
	int64		application_id;
	const uint8 *prev_hash;		/* AUDIT_HASH_BYTES, or NULL when malformed */
	const uint8 *hash;
} AuditEntryRead;

extern bool audit_entry_read(HeapTuple tuple, TupleDesc desc, AuditEntryRead *r);

/* normalize.c */
extern char *subsidy_nfkc(const char *str, int len, int *result_len);
extern char *bank_account_normal(const char *str, int len);
extern bool text_says_something(const char *str, int len);

/* subsidy.c */
extern void _PG_init(void);

/*
 * The fourth tester's findings (branch attack4-fixes), kept together at the end to ease merges.
 * rowstate.c: a row's subject and state, a role shown by another name (its name before a rename);
 * trail.c: a role's rename logged for the staff rows that name it (F3).
 */
extern void row_subject_state(Datum row, Oid role, const char *name, char **subject, uint8 *state);
extern int	log_role_renamed(Oid role, const char *old_name);

#endif							/* SUBSIDY_H */
