/*
 * subsidy.h: declarations shared by the C sources of the subsidy extension.
 */
#ifndef SUBSIDY_H
#define SUBSIDY_H

#include "postgres.h"
#include "fmgr.h"

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

/* stamp.c: whether cached table data is still what a query would read */
typedef struct SnapshotStamp
{
	bool		valid;
	uint64		generation;
	uint32		lxid;
	uint32		curcid;
	uint64		completions;
} SnapshotStamp;

extern void stamp_take(SnapshotStamp *stamp);
extern bool stamp_is_current(const SnapshotStamp *stamp);
extern void stamp_register_callbacks(void);

/* policy.c: parameters in force and region facts, per subsidy year and region */
#define REGION_CODE_SIZE 8			/* six characters, NUL, padding */

typedef enum LayoffFormula
{
	LAYOFFS_OVER_START,
	NET_DECREASE_OVER_START,
	NET_DECREASE_OVER_AVERAGE
} LayoffFormula;

typedef struct Policy
{
	int32		year;
	char		region[REGION_CODE_SIZE];
	struct NumericData *rate_large;
	struct NumericData *rate_small_micro;
	struct NumericData *decapacity_rate;	/* NULL: the set has no A2 */
	struct NumericData *arrears_path_rate;	/* NULL: the set has no A3 */
	LayoffFormula formula;
	struct NumericData *threshold;	/* E2, per cent; NULL when not loaded */
	int64		threshold_bp;		/* the same in hundredths of a per cent */
	struct NumericData *priority_factor;
	int64		priority_factor_100;
	struct NumericData *fund_cover_required;	/* E7, months */
	bool		fund_balance_known;
	bool		fund_expenditure_known;
	bool		fund_covered;		/* when both are known */
	struct NumericData *fund_cover_months;	/* NULL when unknown or nothing spent */
	int32		publicity_workdays;
	int32		rounding_scale;		/* A4: decimals kept */
	bool		has_window;
	int32		window_opens;		/* DateADT */
	int32		window_closes;
} Policy;

extern const Policy *policy_lookup(int32 year, const char *region, int region_len);
extern void policy_from_composite(Datum row, Policy *policy, MemoryContext cxt);
extern int64 numeric_to_scaled_int64(struct NumericData *num, int scale);

/* normalize.c */
extern char *subsidy_nfkc(const char *str, int len, int *result_len);

/* subsidy.c */
extern void _PG_init(void);

#endif							/* SUBSIDY_H */
