/*
 * records.c: the review's records beside the applications (DOMAIN section 11).
 *
 * Three guards that several tables share:
 * - numbers (an application's, a publicity's, a payment record's line) are
 *   the extension's to assign: a client that brings one is refused, so that
 *   no clerk can take a number another region's next row would get;
 * - a closed year (subsidy.close_year) takes no new or changed row, in any
 *   table that holds that year's records;
 * - the stored verdicts are written by the engine only (store_verdicts), so
 *   that what application_assessment shows is what the engine said.
 */
#include "subsidy.h"

#include "utils/datum.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "funcapi.h"
#include "nodes/parsenodes.h"
#include "utils/snapmgr.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "commands/sequence.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "storage/proc.h"

/*
 * Numbers count on within their region (S1): a row's number is its region's
 * code as a number (an X code, 22X001, above every six-digit one:
 * 1,000,000 + 22 * 1,000 + 1) times a billion, plus its place among the
 * region's rows of the table.  From one province-wide counter, a clerk who
 * filed two rows read from the gap between their numbers how many rows the
 * other regions had filed in between (the fifth tester's F3).  The numbers
 * stay below 2^53, so that a client that reads them as doubles (JSON, a
 * spreadsheet) keeps them exact.
 */
#define NUMBERS_PER_REGION INT64CONST(1000000000)

/* Where a numbered row's region is found. */
typedef enum RegionSource
{
	REGION_COLUMN,				/* its own region column */
	REGION_OF_APPLICATION,		/* its application_id's application's */
	REGION_OF_ENTERPRISE		/* its uscc's enterprise's */
} RegionSource;

typedef struct NumberedTable
{
	const char *table;
	const char *column;
	RegionSource source;
} NumberedTable;

/* The tables the extension numbers; a table's place here is its counter's slot (chain_counter). */
static const NumberedTable numbered[] = {
	{"application", "id", REGION_COLUMN},
	{"publicity", "id", REGION_COLUMN},
	{"objection", "id", REGION_OF_APPLICATION},
	{"report_batch", "id", REGION_COLUMN},
	{"spot_check_draw", "id", REGION_COLUMN},
	{"policy_snapshot", "id", REGION_COLUMN},
	{"payment_file", "line", REGION_OF_ENTERPRISE},
	{"top_up", "id", REGION_COLUMN},
};
static const char *const numbered_tables[] = {
	"application", "publicity", "objection", "report_batch", "spot_check_draw", "policy_snapshot",
	"payment_file", "top_up", NULL
};

#define STAGING_COUNTER lengthof(numbered)
StaticAssertDecl(lengthof(numbered) + 1 <= CHAIN_COUNTERS, "a counter slot for every numbered table and the staging lines");
StaticAssertDecl(lengthof(numbered) + 1 == lengthof(numbered_tables), "numbered_tables lists the numbered tables");

/* The number written in code[from .. from + len - 1]. */
static int64
code_digits(const char *code, int from, int len)
{
	int64		n = 0;

	for (int i = from; i < from + len; i++)
	{
		if (code[i] < '0' || code[i] > '9')
			elog(ERROR, "\"%s\" is not a region code", code);
		n = n * 10 + (code[i] - '0');
	}
	return n;
}

/* The number before the first of a region's range. */
static int64
region_range_start(const char *code)
{
	if (strlen(code) != 6)
		elog(ERROR, "\"%s\" is not a region code", code);
	if (code[2] == 'X')
		return (1000000 + code_digits(code, 0, 2) * 1000 + code_digits(code, 3, 3)) * NUMBERS_PER_REGION;
	return code_digits(code, 0, 6) * NUMBERS_PER_REGION;
}

/*
 * The next number of a counter kept under a region's chain lock: on first use
 * in the transaction, the last number given is read as the owner, as it is
 * now (another transaction of the region may have committed rows while we
 * waited for the lock; rows of this transaction, of this statement too, are
 * seen), by the query saved in *plan, whose parameters are the region, the
 * range's start and its end; then counted on.
 */
static int64
next_in_region(const char *region, int slot, SPIPlanPtr *plan, const char *last_sql, int64 start, int64 end)
{
	int64	   *counter = chain_counter(region, slot);

	if (*counter == 0)
	{
		Oid			argtypes[3] = {TEXTOID, INT8OID, INT8OID};
		Datum		args[3] = {CStringGetTextDatum(region), Int64GetDatum(start), Int64GetDatum(end)};
		bool		isnull;
		Datum		last;

		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "SPI_connect failed");
		owner_query(plan, last_sql, 3, argtypes, args, NULL, false);
		if (SPI_processed != 1)
			elog(ERROR, "could not read the last number of region %s", region);
		last = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
		SPI_finish();
		/* found again: nothing the query ran may keep the slot's memory where it was */
		counter = chain_counter(region, slot);
		if (*counter == 0)
			*counter = isnull ? start + 1 : DatumGetInt64(last) + 1;
	}
	if (*counter >= end)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("region %s has used every number it has", region),
				 errdetail("A region numbers up to %lld rows of a table.", (long long) (NUMBERS_PER_REGION - 1))));
	return (*counter)++;
}

/*
 * The region a numbered row counts in: its own, or, for a row that names
 * another (an objection its application, a payment record its unit), that
 * row's region when the caller acts in it, and else the caller's first: the
 * number tells a clerk nothing of a row it cannot see (the guards refuse
 * such rows anyway, or keep them out of sight).
 */
static SPIPlanPtr plan_region_of[3];

static char *
numbered_row_region(const NumberedTable *t, TupleDesc desc, HeapTuple tuple)
{
	static const char *const lookup[] = {
		NULL,
		"SELECT region FROM subsidy.application WHERE id OPERATOR(pg_catalog.=) $1",
		"SELECT region FROM subsidy.enterprise WHERE uscc OPERATOR(subsidy.=) $1"
	};
	bool		isnull;
	Datum		key;
	char	   *region = NULL;

	if (t->source == REGION_COLUMN)
	{
		Datum		d = heap_getattr(tuple, SPI_fnumber(desc, "region"), desc, &isnull);

		return isnull ? NULL : TextDatumGetCString(d);
	}
	key = heap_getattr(tuple, SPI_fnumber(desc, t->source == REGION_OF_APPLICATION ? "application_id" : "uscc"),
					   desc, &isnull);
	if (!isnull)
	{
		Oid			argtype = t->source == REGION_OF_APPLICATION ? INT8OID :
			TupleDescAttr(desc, SPI_fnumber(desc, "uscc") - 1)->atttypid;

		MemoryContext caller = CurrentMemoryContext;

		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "SPI_connect failed");
		owner_query(&plan_region_of[t->source], lookup[t->source], 1, &argtype, &key, NULL, true);
		if (SPI_processed == 1)
		{
			Datum		d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);

			if (!isnull)
				region = MemoryContextStrdup(caller, TextDatumGetCString(d));
		}
		SPI_finish();
	}
	if (region == NULL || !(sees_every_region() || caller_acts_in(region)))
	{
		char		(*codes)[REGION_CODE_SIZE];

		if (caller_region_list(&codes) > 0)
			return pstrdup(codes[0]);
	}
	return region;
}

PG_FUNCTION_INFO_V1(assign_number);
/*
 * Trigger, BEFORE INSERT FOR EACH ROW: the new row's number is its region's
 * next (above); a number the client gives is refused (restoring a dump keeps
 * the numbers dumped).  Fires after the table's guard, which has settled the
 * row's region (triggers fire in name order: *_guard before *_number).
 */
Datum
assign_number(PG_FUNCTION_ARGS)
{
	static SPIPlanPtr plans[lengthof(numbered)];
	static char last_sql[lengthof(numbered)][256];
	TriggerData *trigdata = trigger_on(fcinfo, "assign_number", numbered_tables, true, 1);
	Relation	rel = trigdata->tg_relation;
	const char *name = rel->rd_rel->relispartition ? get_rel_name(partition_root(RelationGetRelid(rel)))
		: RelationGetRelationName(rel);
	TupleDesc	desc = RelationGetDescr(rel);
	HeapTuple	tuple = trigdata->tg_trigtuple;
	const NumberedTable *t = NULL;
	int			slot;
	int			attno;
	char	   *region;
	int64		start;
	Datum		value;
	bool		isnull = false;

	if (!TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("trigger function %s must be fired on insert", "assign_number")));
	for (slot = 0; slot < (int) lengthof(numbered); slot++)
		if (name && strcmp(numbered[slot].table, name) == 0)
		{
			t = &numbered[slot];
			break;
		}
	if (t == NULL)
		elog(ERROR, "assign_number fired on a table it does not number");
	attno = SPI_fnumber(desc, t->column);
	if (attno <= 0 || TupleDescAttr(desc, attno - 1)->atttypid != INT8OID)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("trigger function %s needs the bigint column \"%s\"", "assign_number", t->column)));
	(void) heap_getattr(tuple, attno, desc, &isnull);
	if (restoring())
		return PointerGetDatum(tuple);
	if (!isnull)
		ereport(ERROR,
				(errcode(ERRCODE_GENERATED_ALWAYS),
				 errmsg("the column \"%s\" of \"%s\" is numbered by subsidy", t->column, t->table),
				 errdetail("Each new row gets the next number of its region when it is inserted."),
				 errhint("Leave \"%s\" out of the INSERT; RETURNING %s gives the number it got.",
						 t->column, t->column)));
	region = numbered_row_region(t, desc, tuple);
	if (region == NULL)
		return PointerGetDatum(tuple);	/* the NOT NULL of its number says so */
	/*
	 * No clerk takes another region's lock (S3), nor learns from a wait that
	 * the region is busy (S1); a chain held already was checked when taken.
	 */
	if (!chain_held(region))
		require_region(region);
	start = region_range_start(region);
	if (last_sql[slot][0] == '\0')
		snprintf(last_sql[slot], sizeof(last_sql[slot]),
				 "SELECT pg_catalog.max(%s) FROM subsidy.%s WHERE %s OPERATOR(pg_catalog.>) $2 "
				 "AND %s OPERATOR(pg_catalog.<) $3", t->column, t->table, t->column, t->column);
	value = Int64GetDatum(next_in_region(region, slot, &plans[slot], last_sql[slot], start, start + NUMBERS_PER_REGION));
	isnull = false;
	return PointerGetDatum(heap_modify_tuple_by_cols(tuple, desc, 1, &attno, &value, &isnull));
}

/* ---------------------------------------------------------------------------
 * Closed years
 * ---------------------------------------------------------------------------
 */

static SnapshotStamp closed_stamp;
static int	closed_count = 0;
static int32 *closed_years = NULL;
static SPIPlanPtr plan_closed = NULL;

/*
 * Whether close_year has closed a subsidy year: read as the tables' owner and
 * as of now, not under a REPEATABLE READ transaction's older snapshot (the
 * third attack round's M1); once per statement.
 */
bool
year_is_closed(int32 year)
{
	if (!stamp_is_current(&closed_stamp))
	{
		closed_stamp.valid = false;
		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "SPI_connect failed");
		owner_query(&plan_closed, "SELECT year FROM subsidy.closed_year", 0, NULL, NULL, NULL, true);
		if (closed_years)
			pfree(closed_years);
		closed_years = MemoryContextAlloc(TopMemoryContext, Max(SPI_processed, 1) * sizeof(int32));
		closed_count = 0;
		for (uint64 i = 0; i < SPI_processed; i++)
		{
			bool		isnull;

			closed_years[closed_count++] =
				DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull));
		}
		SPI_finish();
		stamp_take(&closed_stamp);
	}
	for (int i = 0; i < closed_count; i++)
		if (closed_years[i] == year)
			return true;
	return false;
}

static const char *const year_tables[] = {
	"application_window", "region_basis_year", "policy_year", "policy_region", "enterprise_year",
	"publicity", "report_batch", "spot_check_draw", "annual_report_frozen", "policy_snapshot",
	"payment_file", NULL
};

/* The subsidy year a row of one of year_tables belongs to: its column, plus the offset given. */
static void
refuse_row_of_closed_year(TriggerData *trigdata, HeapTuple tuple)
{
	Trigger    *trigger = trigdata->tg_trigger;
	TupleDesc	desc = RelationGetDescr(trigdata->tg_relation);
	int			attno = SPI_fnumber(desc, trigger->tgargs[0]);
	int32		offset = trigger->tgnargs > 1 ? pg_strtoint32(trigger->tgargs[1]) : 0;
	bool		isnull;
	Datum		year;

	if (attno <= 0 || TupleDescAttr(desc, attno - 1)->atttypid != INT4OID)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("trigger function %s needs an integer year column", "refuse_closed_year")));
	year = heap_getattr(tuple, attno, desc, &isnull);
	if (!isnull && year_is_closed(DatumGetInt32(year) + offset))
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_YEAR_CLOSED),
				 errmsg("subsidy year %d is closed: \"%s\" takes no change for it",
						DatumGetInt32(year) + offset, RelationGetRelationName(trigdata->tg_relation)),
				 errdetail("close_year closed the year once its payments were reported and its annual report frozen; its records stay as they were."),
				 errhint("Only a superuser reopens a closed year, by deleting its row from subsidy.closed_year.")));
}

PG_FUNCTION_INFO_V1(refuse_closed_year);
/*
 * Trigger, BEFORE INSERT OR UPDATE OR DELETE FOR EACH ROW, arguments (year
 * column [, offset]): no row of a closed subsidy year is written, before or
 * after the change.  The offset maps a basis year to its subsidy year (1).
 */
Datum
refuse_closed_year(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = trigger_on(fcinfo, "refuse_closed_year", year_tables, true, 1);

	if (trigdata->tg_trigger->tgnargs < 1)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("trigger function %s needs the year column as its argument", "refuse_closed_year")));
	if (restoring())
		return PointerGetDatum(TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) ? trigdata->tg_newtuple :
							   trigdata->tg_trigtuple);
	refuse_row_of_closed_year(trigdata, trigdata->tg_trigtuple);
	if (TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event))
	{
		refuse_row_of_closed_year(trigdata, trigdata->tg_newtuple);
		return PointerGetDatum(trigdata->tg_newtuple);
	}
	return PointerGetDatum(trigdata->tg_trigtuple);
}

/* ---------------------------------------------------------------------------
 * Records written by the extension only
 *
 * The stored verdicts (what the engine said), the parameters they were
 * assessed with, and the annual report as frozen are each written by one
 * function of the extension, which computes what it writes; the table's
 * guard refuses every other write.  The writing function runs with the
 * caller's rights, so row-level security keeps it to the caller's regions.
 * ---------------------------------------------------------------------------
 */

typedef enum Gate
{
	GATE_VERDICT, GATE_SNAPSHOT, GATE_FROZEN_REPORT, GATE_SPOT_CHECK, GATE_TOP_UP, GATE_CONTRIBUTIONS, GATE_COUNT
} Gate;

static bool gate_open[GATE_COUNT];

/* Run a fixed statement that writes a gated table and returns how many rows it wrote. */
static int64
gated_count(Gate gate, SPIPlanPtr *plan, const char *sql, int nargs, Oid *argtypes, Datum *args, char *nulls)
{
	int64		written = 0;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	kept_plan(plan, sql, nargs, argtypes);
	gate_open[gate] = true;
	PG_TRY();
	{
		bool		isnull;

		if (SPI_execute_plan(*plan, args, nulls, false, 0) != SPI_OK_SELECT || SPI_processed != 1)
			elog(ERROR, "could not write: %s", sql);
		written = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	}
	PG_FINALLY();
	{
		gate_open[gate] = false;
	}
	PG_END_TRY();
	SPI_finish();
	return written;
}

/*
 * How the bulk statements that write the tables they read (store_verdicts,
 * screen) are planned: hash joins only, since those tables' statistics lag
 * behind the rows the statement itself writes and a nested loop over them is
 * quadratic; and without JIT, since the cost disabling nested loops adds makes
 * every such plan look worth compiling, for a second and more, even for a
 * batch of ten applications.  Returns the nest level for AtEOXact_GUC.
 */
static int
bulk_plan_settings(void)
{
	int			nestlevel = NewGUCNestLevel();

	(void) set_config_option("enable_nestloop", "off", PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);
	(void) set_config_option("jit", "off", PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);
	return nestlevel;
}

/* The arguments of a call, as SPI takes them. */
static void
call_args(FunctionCallInfo fcinfo, int nargs, Datum *args, char *nulls)
{
	for (int i = 0; i < nargs; i++)
	{
		nulls[i] = PG_ARGISNULL(i) ? 'n' : ' ';
		args[i] = PG_ARGISNULL(i) ? (Datum) 0 : PG_GETARG_DATUM(i);
	}
}

/* A gated table's guard: its writer's rows, or a dump's; never an update, delete or truncate. */
static Datum
gate_guard(FunctionCallInfo fcinfo, Gate gate, const char *function, const char *table,
		   const char *refusal, const char *writer)
{
	const char *const tables[] = {table, NULL};
	TriggerData *trigdata = trigger_on(fcinfo, function, tables, true, -1);
	bool		insert = TRIGGER_FIRED_BY_INSERT(trigdata->tg_event);

	if (insert && (gate_open[gate] || restoring()))
		return PointerGetDatum(trigdata->tg_trigtuple);
	/* a verdict assessed again and found changed replaces the one before (store_verdicts), and a
	 * unit's record loaded again the one before (load_contributions' ON CONFLICT) */
	if ((gate == GATE_VERDICT || gate == GATE_CONTRIBUTIONS) && gate_open[gate] &&
		TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event))
		return PointerGetDatum(trigdata->tg_newtuple);
	ereport(ERROR,
			(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
			 errmsg_internal("%s", _(refusal)),
			 errdetail("What %s holds is written by %s, from what it computes, and never changed.", table, writer),
			 errhint("Call %s.", writer)));
	PG_RETURN_NULL();
}

PG_FUNCTION_INFO_V1(application_verdict_guard);
/* Trigger on application_verdict: rows come from store_verdicts (the engine), or from a dump. */
Datum
application_verdict_guard(PG_FUNCTION_ARGS)
{
	return gate_guard(fcinfo, GATE_VERDICT, "application_verdict_guard", "application_verdict",
					  N_("stored verdicts are written by the engine only"), "subsidy.assess_year");
}

PG_FUNCTION_INFO_V1(policy_snapshot_guard);
/* Trigger on policy_snapshot: rows come from take_policy_snapshots (policy_in_force as it stands), or from a dump. */
Datum
policy_snapshot_guard(PG_FUNCTION_ARGS)
{
	return gate_guard(fcinfo, GATE_SNAPSHOT, "policy_snapshot_guard", "policy_snapshot",
					  N_("policy snapshots are taken from the parameters in force only"), "subsidy.assess_year");
}

PG_FUNCTION_INFO_V1(annual_report_frozen_guard);
/* Trigger on annual_report_frozen: rows come from freeze_report_rows (the report as it stands), or from a dump. */
Datum
annual_report_frozen_guard(PG_FUNCTION_ARGS)
{
	return gate_guard(fcinfo, GATE_FROZEN_REPORT, "annual_report_frozen_guard", "annual_report_frozen",
					  N_("a frozen annual report is written by freeze_annual_report only, and never changed"),
					  "subsidy.freeze_annual_report");
}

static SPIPlanPtr plan_store = NULL;
static SPIPlanPtr plan_snapshots = NULL;
static SPIPlanPtr plan_freeze = NULL;

/*
 * One writer of a region's stored verdicts at a time, until its batch
 * commits: the statement that follows inserts, with no ON CONFLICT, the
 * verdicts it finds absent, and its snapshot, taken after the lock, sees the
 * rows of any writer before it.  The lock is the region's chain lock (of the
 * region assessed, or of every region the caller acts in), which every writer
 * of the region's applications takes too: a region's assessment waits for no
 * other region's, and hrss, whose step it is, takes it as the DBA does.  (A
 * lock on the whole table queued every region behind one, and was the DBA's
 * alone to take: the sixth tester's F1.  ON CONFLICT's speculative insertion
 * was a fifth of a first assessment.)
 */
static void
lock_verdicts(const char *region)
{
	if (region == NULL)
	{
		lock_caller_chains();
		return;
	}
	require_region(region);
	lock_region_chain(region);
}

PG_FUNCTION_INFO_V1(store_verdicts);
/*
 * subsidy.store_verdicts(year, region, first_id, last_id): assess the
 * applications under review of a year (and region) with ids in the range,
 * and store each verdict with the parameters it used: a plain insert where
 * none is stored, an update where the verdict or its parameters changed,
 * nothing where they did not (issue 17: the per-row ON CONFLICT write was
 * 90 % of assess_year).  Returns how many were assessed.
 */
Datum
store_verdicts(PG_FUNCTION_ARGS)
{
	Datum		args[4];
	char		nulls[4];
	Oid			argtypes[4] = {INT4OID, TEXTOID, INT8OID, INT8OID};

	int64		assessed;
	int			nestlevel;

	require_role(ROLE_BIT(ROLE_HRSS) | ROLE_BIT(ROLE_ADMIN), N_("permission denied to assess applications"), "E0");
	call_args(fcinfo, 4, args, nulls);
	/*
	 * The table is written by the statement that reads it, and under the
	 * statistics of a year not assessed yet (none stored) the planner probed
	 * it by a scan of the batch's id range per application, which met every
	 * row the statement had just written: quadratic.
	 */
	nestlevel = bulk_plan_settings();
	lock_verdicts(nulls[1] == 'n' ? NULL : TextDatumGetCString(args[1]));
	assessed = gated_count(GATE_VERDICT, &plan_store,
		"WITH snapshot AS MATERIALIZED ("
		"  SELECT s.region, s.id FROM subsidy.policy_in_force p"
		"  JOIN subsidy.policy_snapshot s ON s.year OPERATOR(pg_catalog.=) p.year"
		"   AND s.region OPERATOR(pg_catalog.=) p.region AND s.parameters OPERATOR(pg_catalog.=) pg_catalog.to_jsonb(p)"
		"  WHERE p.year OPERATOR(pg_catalog.=) $1"
		"), assessed AS MATERIALIZED ("
		"  SELECT a.id, s.id AS snapshot_id, subsidy.verdict_of(a) AS r FROM subsidy.application a"
		"    JOIN snapshot s ON s.region OPERATOR(pg_catalog.=) a.region"
		"   WHERE a.year OPERATOR(pg_catalog.=) $1 AND ($2 IS NULL OR a.region OPERATOR(pg_catalog.=) $2)"
		"     AND a.id BETWEEN $3 AND $4"
		"     AND a.stage::pg_catalog.text OPERATOR(pg_catalog.=) ANY ('{submitted,in_review}'::pg_catalog.text[])"
		"), changed AS ("
		"  UPDATE subsidy.application_verdict t SET assessed_at = pg_catalog.now(), policy_snapshot_id = x.snapshot_id,"
		"         verdict = x.r"
		"    FROM assessed x"
		"   WHERE t.application_id OPERATOR(pg_catalog.=) x.id AND t.application_id BETWEEN $3 AND $4"
		"     AND (t.policy_snapshot_id OPERATOR(pg_catalog.<>) x.snapshot_id OR t.verdict OPERATOR(subsidy.<>) x.r)"
		"  RETURNING 1"
		"), added AS ("
		"  INSERT INTO subsidy.application_verdict (application_id, assessed_at, policy_snapshot_id, verdict)"
		"  SELECT x.id, pg_catalog.now(), x.snapshot_id, x.r FROM assessed x"
		"   WHERE NOT EXISTS (SELECT FROM subsidy.application_verdict t"
		"                      WHERE t.application_id OPERATOR(pg_catalog.=) x.id AND t.application_id BETWEEN $3 AND $4)"
		"  RETURNING 1"
		")"
		"SELECT pg_catalog.count(*) FROM assessed", 4, argtypes, args, nulls);
	AtEOXact_GUC(true, nestlevel);
	PG_RETURN_INT64(assessed);
}

PG_FUNCTION_INFO_V1(take_policy_snapshots);
/*
 * subsidy.take_policy_snapshots(year [, region]): record the parameters in
 * force for a year (and region) as they stand, once each; returns how many
 * are new.
 */
Datum
take_policy_snapshots(PG_FUNCTION_ARGS)
{
	Datum		args[2];
	char		nulls[2];
	Oid			argtypes[2] = {INT4OID, TEXTOID};

	require_role(ROLE_BIT(ROLE_HRSS) | ROLE_BIT(ROLE_ADMIN), N_("permission denied to assess applications"), "E0");
	call_args(fcinfo, 2, args, nulls);
	PG_RETURN_INT32((int32) gated_count(GATE_SNAPSHOT, &plan_snapshots,
		"WITH new AS ("
		"  INSERT INTO subsidy.policy_snapshot (year, region, parameters)"
		"  SELECT p.year, p.region, pg_catalog.to_jsonb(p) FROM subsidy.policy_in_force p"
		"   WHERE p.year OPERATOR(pg_catalog.=) $1 AND ($2 IS NULL OR p.region OPERATOR(pg_catalog.=) $2)"
		"     AND ((SELECT subsidy.sees_every_region()) OR p.region OPERATOR(pg_catalog.=) ANY ((SELECT subsidy.caller_regions())::pg_catalog.text[]))"
		"  ON CONFLICT (year, region, parameters) DO NOTHING"
		"  RETURNING 1)"
		"SELECT pg_catalog.count(*) FROM new", 2, argtypes, args, nulls));
}

PG_FUNCTION_INFO_V1(freeze_report_rows);
/*
 * subsidy.freeze_report_rows(year, reason): freeze the annual report rows of
 * the caller's regions as they stand: each not yet frozen, or, with a
 * reason, a new version of each.  Returns how many were frozen.
 */
Datum
freeze_report_rows(PG_FUNCTION_ARGS)
{
	Datum		args[2];
	char		nulls[2];
	Oid			argtypes[2] = {INT4OID, TEXTOID};

	require_role(ROLE_BIT(ROLE_HRSS) | ROLE_BIT(ROLE_ADMIN), N_("permission denied to freeze the annual report"), "R3");
	call_args(fcinfo, 2, args, nulls);
	if (!PG_ARGISNULL(1))
	{
		text	   *reason = PG_GETARG_TEXT_PP(1);

		if (!text_says_something(VARDATA_ANY(reason), VARSIZE_ANY_EXHDR(reason)))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("a corrected report says why it was corrected"),
					 errhint("Give the reason in words, e.g. '长春市 2 户补贴金额经复核更正'.")));
	}
	PG_RETURN_INT32((int32) gated_count(GATE_FROZEN_REPORT, &plan_freeze,
		"WITH frozen AS ("
		"  INSERT INTO subsidy.annual_report_frozen (year, region, version, reason, report, audit_heads, frozen_on)"
		"  SELECT $1, r.region,"
		"         coalesce((SELECT pg_catalog.max(f.version) FROM subsidy.annual_report_frozen f"
		"                    WHERE f.year OPERATOR(pg_catalog.=) $1 AND f.region OPERATOR(pg_catalog.=) r.region), 0)"
		"         OPERATOR(pg_catalog.+) 1,"
		"         $2, pg_catalog.to_jsonb(r),"
		/* S4: the heads of the chains the row reports on travel with it */
		"         (SELECT pg_catalog.jsonb_agg(h ORDER BY h.region) FROM subsidy.audit_heads() h"
		"           WHERE h.region OPERATOR(pg_catalog.=) r.region"
		"              OR h.region OPERATOR(pg_catalog.=) ANY (ARRAY(SELECT q.code FROM subsidy.region q"
		"                                                     WHERE q.parent OPERATOR(pg_catalog.=) r.region))),"
		/* R3 is due by 15 January: the business date it is sent on */
		"         subsidy.today()"
		"    FROM subsidy.annual_report($1) r"
		"   WHERE $2 IS NOT NULL"
		"      OR NOT EXISTS (SELECT FROM subsidy.annual_report_frozen f"
		"                      WHERE f.year OPERATOR(pg_catalog.=) $1 AND f.region OPERATOR(pg_catalog.=) r.region)"
		/* a version another session froze after this one's snapshot: 40001 under REPEATABLE READ, not a raw key error */
		"  ON CONFLICT (year, region, version) DO NOTHING"
		"  RETURNING 1)"
		"SELECT pg_catalog.count(*) FROM frozen", 2, argtypes, args, nulls));
}

static SPIPlanPtr plan_seed = NULL;

PG_FUNCTION_INFO_V1(spot_check_draw_seed);
/*
 * Trigger, BEFORE INSERT FOR EACH ROW on subsidy.spot_check_draw (W11): the
 * draw's seed is the extension's, not the clerk's, who would otherwise try
 * seeds until one drew, or spared, the application it wanted.  It is
 * SHA-256 over a secret no role reads (spot_check_secret) and the region,
 * year and number of the draw (its id, which spot_check_draw_number has just
 * taken from a sequence), so that it is unknown before the draw and recorded
 * in the draw (the sample is reproducible from it).  The number is taken
 * whether or not the draw commits: an attempt rolled back, however it ended,
 * drew from a seed no later draw uses (the fourth tester's F2; the draw's
 * count among the region's draws, the seed's part before, was the same again
 * for the next attempt).  Only draw_spot_checks inserts a draw, committing it
 * before its seed is seen.  A dump being restored keeps the seeds dumped.
 */
Datum
spot_check_draw_seed(PG_FUNCTION_ARGS)
{
	static const char *const tables[] = {"spot_check_draw", NULL};
	TriggerData *trigdata = trigger_on(fcinfo, "spot_check_draw_seed", tables, true, 1);
	TupleDesc	desc = RelationGetDescr(trigdata->tg_relation);
	HeapTuple	tuple = trigdata->tg_trigtuple;
	Datum		args[3];
	Oid			argtypes[3] = {TEXTOID, INT4OID, INT8OID};
	bool		isnull[3];
	int			attno = SPI_fnumber(desc, "seed");
	Datum		seed;
	bool		seed_null = false;

	if (!TRIGGER_FIRED_BY_INSERT(trigdata->tg_event) || restoring())
		return PointerGetDatum(tuple);
	/* a draw inserted by hand would show its seed, and so its sample, in a transaction rolled back */
	if (!gate_open[GATE_SPOT_CHECK])
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("spot checks are drawn by subsidy.draw_spot_checks only"),
				 errdetail("A draw is committed before its seed and sample are seen (W11)."),
				 errhint("CALL subsidy.draw_spot_checks(region, year, size).")));
	args[0] = heap_getattr(tuple, SPI_fnumber(desc, "region"), desc, &isnull[0]);
	args[1] = heap_getattr(tuple, SPI_fnumber(desc, "year"), desc, &isnull[1]);
	args[2] = heap_getattr(tuple, SPI_fnumber(desc, "id"), desc, &isnull[2]);
	if (isnull[0] || isnull[1] || isnull[2])
		return PointerGetDatum(tuple);	/* the NOT NULL constraints say so */
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	owner_query(&plan_seed,
				"SELECT pg_catalog.encode(pg_catalog.sha256(s.secret OPERATOR(pg_catalog.||) pg_catalog.convert_to("
				"         pg_catalog.format('%s:%s:%s', $1, $2, $3), 'UTF8')), 'hex')"
				"  FROM subsidy.spot_check_secret s",
				3, argtypes, args, NULL, true);
	if (SPI_processed != 1)
		elog(ERROR, "subsidy.spot_check_secret has no secret");
	seed = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &seed_null);
	seed = SPI_datumTransfer(seed, false, -1);
	SPI_finish();
	return PointerGetDatum(heap_modify_tuple_by_cols(tuple, desc, 1, &attno, &seed, &seed_null));
}

static SPIPlanPtr plan_spot_checks = NULL;
static SPIPlanPtr plan_draw = NULL;
static SPIPlanPtr plan_decided = NULL;
static SPIPlanPtr plan_candidates = NULL;

/*
 * Every application the draw may choose, locked in the order of their ids
 * before the draw's seed exists (the fourth tester's F2).  The sample's items
 * lock the applications they name (their foreign key, and the finding each
 * passes on to its application), and they were inserted in the sample's
 * order: a clerk holding row locks on its candidates saw, in the error of a
 * draw it let time out, which application the draw waited for, and so the
 * sample in order.  Locked first, all of them, in an order everyone knows, the
 * draw waits, if it waits, before anything of the sample is decided, and
 * says nothing of it; the sample's own locks are then held already.  SPI
 * connected.
 */
static void
lock_candidates(Datum *args, char *nulls)
{
	if (plan_candidates == NULL)
	{
		plan_candidates = SPI_prepare("SELECT a.id FROM subsidy.application a"
									  " WHERE a.region OPERATOR(pg_catalog.=) $1 AND a.year OPERATOR(pg_catalog.=) $2"
									  "   AND a.stage::pg_catalog.text OPERATOR(pg_catalog.=) ANY ('{submitted,in_review}'::pg_catalog.text[])"
									  " ORDER BY a.id FOR NO KEY UPDATE OF a", 2, (Oid[]) {TEXTOID, INT4OID});
		if (plan_candidates == NULL || SPI_keepplan(plan_candidates))
			elog(ERROR, "could not prepare the spot check draw");
	}
	if (SPI_execute_plan(plan_candidates, args, nulls, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not lock the spot check's candidates");
}

/*
 * The draw and its sample, as the caller (row-level security keeps it to its
 * regions): the region's applications submitted or under review of the year
 * whose hash with the seed is smallest, as many as the size.  Nothing but
 * this writes spot_check_draw or spot_check_item (their guards ask the gate),
 * so that no clerk inserts a draw to see its seed, or adds an application of
 * its choosing.  SPI connected.
 */
static void
draw_sample(Datum *args, char *nulls, int64 *draw_id, int32 *drawn)
{
	Oid			argtypes[3] = {TEXTOID, INT4OID, INT4OID};
	bool		isnull;

	if (plan_decided == NULL)
	{
		plan_decided = SPI_prepare("SELECT EXISTS (SELECT FROM subsidy.application a"
								   " WHERE a.region OPERATOR(pg_catalog.=) $1 AND a.year OPERATOR(pg_catalog.=) $2"
								   "   AND a.decision::pg_catalog.text OPERATOR(pg_catalog.=) 'approved')", 2, argtypes);
		plan_draw = SPI_prepare("INSERT INTO subsidy.spot_check_draw (region, year, sample_size, drawn_on)"
								" VALUES ($1, $2, $3, subsidy.today()) RETURNING id", 3, argtypes);
		plan_spot_checks = SPI_prepare(
			"WITH drawn AS ("
			"  INSERT INTO subsidy.spot_check_item (draw_id, application_id)"
			"  SELECT d.id, a.id FROM subsidy.spot_check_draw d"
			"    JOIN LATERAL (SELECT a.id FROM subsidy.application a"
			"                   WHERE a.region OPERATOR(pg_catalog.=) d.region AND a.year OPERATOR(pg_catalog.=) d.year"
			"                     AND a.stage::pg_catalog.text OPERATOR(pg_catalog.=) ANY ('{submitted,in_review}'::pg_catalog.text[])"
			"                   ORDER BY pg_catalog.md5(d.seed OPERATOR(pg_catalog.||) ':' OPERATOR(pg_catalog.||) a.id::pg_catalog.text), a.id"
			"                   LIMIT d.sample_size) a ON true"
			"   WHERE d.id OPERATOR(pg_catalog.=) $1"
			"  RETURNING 1)"
			"SELECT pg_catalog.count(*)::pg_catalog.int4 FROM drawn", 1, (Oid[]) {INT8OID});
		if (plan_decided == NULL || plan_draw == NULL || plan_spot_checks == NULL ||
			SPI_keepplan(plan_decided) || SPI_keepplan(plan_draw) || SPI_keepplan(plan_spot_checks))
			elog(ERROR, "could not prepare the spot check draw");
	}
	if (SPI_execute_plan(plan_decided, args, nulls, true, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "could not look for decisions");
	if (DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull)))
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W11),
				 errmsg("region %s has approved applications of %s: its spot checks are drawn before its first approval",
						TextDatumGetCString(args[0]), DatumGetCString(DirectFunctionCall1(int4out, args[1]))),
				 errdetail("A sample drawn after approvals would spare whatever was approved first (W11)."),
				 errhint("Draw the year's sample once the review starts, before any application is approved.")));
	lock_candidates(args, nulls);
	gate_open[GATE_SPOT_CHECK] = true;
	PG_TRY();
	{
		if (SPI_execute_plan(plan_draw, args, nulls, false, 1) != SPI_OK_INSERT_RETURNING || SPI_processed != 1)
			elog(ERROR, "could not record the draw");
		*draw_id = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
		if (SPI_execute_plan(plan_spot_checks, (Datum[]) {Int64GetDatum(*draw_id)}, NULL, false, 0) != SPI_OK_SELECT ||
			SPI_processed != 1)
			elog(ERROR, "could not draw the sample");
		*drawn = DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	}
	PG_FINALLY();
	{
		gate_open[GATE_SPOT_CHECK] = false;
	}
	PG_END_TRY();
}

PG_FUNCTION_INFO_V1(draw_spot_checks);
/*
 * CALL subsidy.draw_spot_checks(region, year, size) (W11): draw a sample and
 * commit it before anyone sees it.  Drawn in a transaction that could be
 * rolled back, a draw would show its sample (its seed is the next draw's)
 * and be taken back: the clerk would then choose the size, or let the
 * application it wants spared be decided first.  So the procedure is its own
 * transaction: called inside a transaction block, or from a function, it is
 * refused before anything is drawn.
 */
Datum
draw_spot_checks(PG_FUNCTION_ARGS)
{
	CallContext *call = (fcinfo->context && IsA(fcinfo->context, CallContext)) ? (CallContext *) fcinfo->context : NULL;
	Datum		args[3];
	char		nulls[3];
	int64		draw_id = 0;
	int32		drawn = 0;
	TupleDesc	desc;
	Datum		values[2];
	bool		isnull[2] = {false, false};

	if (PG_NARGS() < 4)
		elog(ERROR, "draw_spot_checks called with %d arguments", PG_NARGS());
	if (!PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("a spot check's seed is drawn by the extension, not given"),
				 errdetail("Whoever chooses the seed chooses the sample, and could draw, or spare, the application of their choice (W11)."),
				 errhint("Draw without one: CALL subsidy.draw_spot_checks(region, year, size); the seed drawn is recorded in subsidy.spot_check_draw.")));
	if (call == NULL || call->atomic)
		ereport(ERROR,
				(errcode(ERRCODE_ACTIVE_SQL_TRANSACTION),
				 errmsg("a spot check is drawn in a transaction of its own"),
				 errdetail("Its draw is committed before anyone sees its sample, so that no draw is seen and then taken back (W11)."),
				 errhint("CALL subsidy.draw_spot_checks(region, year, size) outside BEGIN ... COMMIT, and not from a function or an exception block.")));
	for (int i = 0; i < 3; i++)
		if (PG_ARGISNULL(i))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("a spot check draw names its region, year and size")));
	require_role(ROLE_BIT(ROLE_HRSS), N_("permission denied to draw spot checks"), "W11");
	for (int i = 0; i < 3; i++)
		args[i] = PG_GETARG_DATUM(i), nulls[i] = ' ';

	if (SPI_connect_ext(SPI_OPT_NONATOMIC) != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	PushActiveSnapshot(GetTransactionSnapshot());
	lock_caller_chains();
	draw_sample(args, nulls, &draw_id, &drawn);
	PopActiveSnapshot();
	SPI_commit();
	SPI_finish();

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "draw_spot_checks must return its draw and sample size");
	values[0] = Int64GetDatum(draw_id);
	values[1] = Int32GetDatum(drawn);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(desc), values, isnull)));
}

PG_FUNCTION_INFO_V1(drawing_spot_checks);
/* subsidy.drawing_spot_checks(): whether draw_spot_check_items is writing (spot_check_item's guard asks). */
Datum
drawing_spot_checks(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(gate_open[GATE_SPOT_CHECK]);
}

static SPIPlanPtr plan_screen = NULL;

PG_FUNCTION_INFO_V1(screen);
/*
 * subsidy.screen(region, year) (免申即享, DOMAIN section 13): a screened
 * application for every screenable unit of the region and year that has none,
 * on the agency's figures (declared as confirmed: A5 has nothing to compare),
 * the register's region and the year's list; then how many units were
 * screened, and how many are undetermined or ineligible.  Only screening
 * files an application straight into stage screened (file_screened).
 */
Datum
screen(PG_FUNCTION_ARGS)
{
	text	   *region = PG_GETARG_TEXT_PP(0);
	int32		year = PG_GETARG_INT32(1);
	char	   *code = text_to_cstring(region);
	const Policy *p;
	Datum		args[2];
	Oid			argtypes[2] = {TEXTOID, INT4OID};
	int64		screened = 0,
				undetermined,
				ineligible;
	bool		isnull;
	TupleDesc	desc;
	Datum		values[3];
	bool		nulls[3] = {false, false, false};
	int			nestlevel;

	require_role(ROLE_BIT(ROLE_AGENCY) | ROLE_BIT(ROLE_HRSS), N_("permission denied to screen a region's units"),
				 "section 13");
	require_region(code);
	p = policy_lookup(year, VARDATA_ANY(region), VARSIZE_ANY_EXHDR(region));
	if (p == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("there is no parameter set for subsidy year %d in region %s", year, code),
				 errhint("Insert the year's parameters into subsidy.policy_year, then screen.")));
	if (!p->screening)
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W2),
				 errmsg("region %s runs subsidy year %d on applications, not by screening", code, year),
				 errdetail("The year's set, or the region's override, says mode apply: units apply in a window (section 13)."),
				 errhint("Screen where the mode is screen: UPDATE subsidy.policy_region SET mode = 'screen' for the region and year, if its notice says so.")));
	lock_caller_chains();
	args[0] = PointerGetDatum(region);
	args[1] = Int32GetDatum(year);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (plan_screen == NULL)
	{
		/*
		 * One statement: the engine runs once over the region's units (the
		 * view), the screenable ones are filed, and the others counted from the
		 * same rows.  Counted by a second query after the insert, the engine
		 * ran twice, and under the statistics of a table that had no
		 * application of the year yet the planner joined the units to the
		 * applications just filed by nested loops: quadratic in the region's
		 * size (200,000 units: 338 s).
		 */
		plan_screen = SPI_prepare(
			"WITH s AS MATERIALIZED ("
			"  SELECT s.uscc, s.screenable, s.outcome FROM subsidy.screening s"
			"   WHERE s.region OPERATOR(pg_catalog.=) $1 AND s.year OPERATOR(pg_catalog.=) $2 AND s.application_id IS NULL"
			"), filed AS ("
			"INSERT INTO subsidy.application (year, uscc, region, stage, screened_on, review_round,"
			"    decapacity, key_supported, zombie, monitored, firm_size, unit_kind, serious_dishonesty,"
			"    insured_start, insured_end, insured_average, layoffs, retirements_deaths, premiums_payable,"
			"    premiums_paid, arrears_basis_year, arrears_other_years, prior_subsidy,"
			"    confirmed_insured_start, confirmed_insured_end, confirmed_insured_average, confirmed_layoffs,"
			"    confirmed_retirements_deaths, confirmed_premiums_payable, confirmed_premiums_paid,"
			"    confirmed_arrears_basis_year, confirmed_arrears_other_years, confirmed_prior_subsidy,"
			"    confirmed_full_contribution_months, confirmed_new_claimants, confirmed_monthly_premiums_payable)"
			" SELECT c.year, c.uscc, e.region, 'screened', subsidy.today(), 1,"
			"    y.decapacity, y.key_supported, y.zombie, y.monitored, coalesce(y.firm_size, c.firm_size),"
			"    coalesce(y.unit_kind, c.unit_kind), y.serious_dishonesty,"
			"    c.insured_start, c.insured_end, c.insured_average, c.layoffs, c.retirements_deaths, c.premiums_payable,"
			"    c.premiums_paid, c.arrears_basis_year, c.arrears_other_years, coalesce(prior.paid, 0),"
			"    c.insured_start, c.insured_end, c.insured_average, c.layoffs, c.retirements_deaths, c.premiums_payable,"
			"    c.premiums_paid, c.arrears_basis_year, c.arrears_other_years, coalesce(prior.paid, 0),"
			"    c.full_contribution_months, c.new_claimants, c.monthly_premiums_payable"
			"   FROM s"
			"   JOIN subsidy.contribution_record c ON c.year OPERATOR(pg_catalog.=) $2"
			"                                     AND c.uscc OPERATOR(subsidy.=) s.uscc::subsidy.uscc"
			"   JOIN subsidy.enterprise e ON e.uscc OPERATOR(subsidy.=) c.uscc"
			"   LEFT JOIN subsidy.enterprise_year y ON y.uscc OPERATOR(subsidy.=) c.uscc AND y.year OPERATOR(pg_catalog.=) c.year"
			"   LEFT JOIN (SELECT q.uscc, pg_catalog.sum(q.paid_amount) AS paid FROM subsidy.application q"
			"               WHERE q.year OPERATOR(pg_catalog.=) ($2 OPERATOR(pg_catalog.-) 1) AND q.paid_amount IS NOT NULL"
			"               GROUP BY q.uscc) prior ON prior.uscc OPERATOR(subsidy.=) c.uscc"
			"  WHERE s.screenable AND e.region OPERATOR(pg_catalog.=) $1"
			"  ORDER BY c.uscc"
			"  RETURNING 1)"
			"SELECT (SELECT pg_catalog.count(*) FROM filed),"
			"       pg_catalog.count(*) FILTER (WHERE NOT s.screenable AND s.outcome::pg_catalog.text OPERATOR(pg_catalog.<>) 'ineligible'),"
			"       pg_catalog.count(*) FILTER (WHERE s.outcome::pg_catalog.text OPERATOR(pg_catalog.=) 'ineligible')"
			"  FROM s", 2, argtypes);
		if (plan_screen == NULL || SPI_keepplan(plan_screen))
			elog(ERROR, "could not prepare the screening");
	}
	/*
	 * The applications of the year are the ones screening files, so the
	 * statistics of the table lag behind it (a region screened after another,
	 * in the same transaction or before autovacuum analyses), and a planner
	 * that believes the year has none joins every unit to them by a nested
	 * loop over the ones just filed: quadratic (200,000 units in eleven
	 * regions, one transaction: 338 s, against 9 s for the largest region).
	 */
	nestlevel = bulk_plan_settings();
	screening_now = true;
	PG_TRY();
	{
		if (SPI_execute_plan(plan_screen, args, NULL, false, 0) != SPI_OK_SELECT || SPI_processed != 1)
			elog(ERROR, "could not file the screened applications");
	}
	PG_FINALLY();
	{
		screening_now = false;
	}
	PG_END_TRY();
	AtEOXact_GUC(true, nestlevel);
	screened = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	undetermined = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull));
	ineligible = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3, &isnull));
	SPI_finish();

	ereport(NOTICE,
			(errmsg_plural("screen %s %d: %lld unit screened, %lld undetermined, %lld ineligible",
						   "screen %s %d: %lld units screened, %lld undetermined, %lld ineligible",
						   (unsigned long) screened, code, year, (long long) screened,
						   (long long) undetermined, (long long) ineligible)));
	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "screen must return a row");
	values[0] = Int64GetDatum(screened);
	values[1] = Int64GetDatum(undetermined);
	values[2] = Int64GetDatum(ineligible);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(desc), values, nulls)));
}

static SPIPlanPtr plan_top_ups = NULL;

PG_FUNCTION_INFO_V1(compute_top_ups);
/*
 * subsidy.compute_top_ups(region, year) (A6): for every paid application of
 * the region and year whose amount under the rate in force today exceeds what
 * it was decided and topped up to, the difference, recorded as a top-up to
 * pay.  Nothing else writes subsidy.top_up (its guard asks the gate).
 */
Datum
compute_top_ups(PG_FUNCTION_ARGS)
{
	Datum		args[2];
	char		nulls[2];
	Oid			argtypes[2] = {TEXTOID, INT4OID};

	require_role(ROLE_BIT(ROLE_AGENCY) | ROLE_BIT(ROLE_HRSS), N_("permission denied to compute top-ups"), "A6");
	call_args(fcinfo, 2, args, nulls);
	PG_RETURN_INT64(gated_count(GATE_TOP_UP, &plan_top_ups,
		"WITH owed AS ("
		"  INSERT INTO subsidy.top_up (application_id, region, year, decided_amount, amount_now, amount,"
		"                              rate_then, rate_now, computed_on)"
		"  SELECT a.id, a.region, a.year, a.decided_amount, v.amount,"
		"         v.amount OPERATOR(pg_catalog.-) a.decided_amount OPERATOR(pg_catalog.-) coalesce(t.owed, 0),"
		"         a.decided_rate, v.rate, subsidy.today()"
		"    FROM subsidy.application a"
		"   CROSS JOIN LATERAL subsidy.assessment(subsidy.verdict_of_facts(a.year, a.region, a.submitted_on,"
		"       a.decapacity, a.key_supported, a.zombie, a.firm_size, a.confirmed_insured_start, a.confirmed_insured_end,"
		"       a.confirmed_insured_average, a.confirmed_layoffs, a.confirmed_retirements_deaths,"
		"       a.confirmed_premiums_payable, a.confirmed_premiums_paid, a.confirmed_arrears_basis_year,"
		"       a.confirmed_arrears_other_years, a.confirmed_deferral_agreement, a.confirmed_prior_subsidy,"
		"       a.confirmed_prior_subsidy_use_proper, a.financial_management_sound, a.policy_compliant, a.spot_check,"
		"       subsidy.today(), a.unit_kind, a.serious_dishonesty, a.confirmed_full_contribution_months,"
		"       a.confirmed_new_claimants, a.confirmed_monthly_premiums_payable, a.hardship_recognised)) v"
		"    LEFT JOIN LATERAL (SELECT pg_catalog.sum(u.amount) AS owed FROM subsidy.top_up u"
		"                        WHERE u.application_id OPERATOR(pg_catalog.=) a.id) t ON true"
		"   WHERE a.region OPERATOR(pg_catalog.=) $1 AND a.year OPERATOR(pg_catalog.=) $2"
		"     AND a.stage::pg_catalog.text OPERATOR(pg_catalog.=) ANY ('{paid,reported}'::pg_catalog.text[])"
		"     AND a.decision::pg_catalog.text OPERATOR(pg_catalog.=) 'approved'"
		"     AND v.outcome::pg_catalog.text OPERATOR(pg_catalog.=) 'eligible' AND v.rule OPERATOR(pg_catalog.=) a.decided_rule"
		"     AND v.amount OPERATOR(pg_catalog.>) (a.decided_amount OPERATOR(pg_catalog.+) coalesce(t.owed, 0))"
		/* computed by a session that committed after this one's snapshot: nothing twice (40001 under REPEATABLE READ) */
		"  ON CONFLICT (application_id, amount_now) DO NOTHING"
		"  RETURNING 1)"
		"SELECT pg_catalog.count(*) FROM owed", 2, argtypes, args, nulls));
}

PG_FUNCTION_INFO_V1(computing_top_ups);
/* subsidy.computing_top_ups(): whether compute_top_ups is writing (top_up's guard asks). */
Datum
computing_top_ups(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(gate_open[GATE_TOP_UP]);
}

PG_FUNCTION_INFO_V1(contribution_record_guard);
/*
 * Trigger on contribution_record: rows come from load_contributions, once it
 * has checked every staged line, or from a dump.  A clerk who could
 * write it would claim another region's unit for a year before that region
 * loads it (stopping its load), read the other region's keys from the errors,
 * or change a record, and the tax bureau's account in it, after screening read
 * it (section 11).
 */
Datum
contribution_record_guard(PG_FUNCTION_ARGS)
{
	return gate_guard(fcinfo, GATE_CONTRIBUTIONS, "contribution_record_guard", "contribution_record",
					  N_("contribution records are written by load_contributions only"),
					  "subsidy.load_contributions");
}

static SPIPlanPtr plan_merge_contributions = NULL;

static SPIPlanPtr plan_elsewhere = NULL;
static Oid	plan_elsewhere_type = InvalidOid;

PG_FUNCTION_INFO_V1(registered_elsewhere);
/*
 * subsidy.registered_elsewhere(region, units): those of the units that the
 * register holds for another region than one of the caller's.  The register
 * has one entry per code, so a clerk who registers a unit another region
 * holds learns as much from the duplicate key (README, what a clerk still can
 * learn); asked here, contribution_problems tells it as a line's problem,
 * before the load, instead of load_contributions failing on the register's
 * key with no line named (the sixth tester's F2).  It names no region.  One
 * lookup for a whole file: a region's first file is all new units.
 */
Datum
registered_elsewhere(PG_FUNCTION_ARGS)
{
	char	   *region = text_to_cstring(PG_GETARG_TEXT_PP(0));
	Datum		args[2] = {PG_GETARG_DATUM(0), PG_GETARG_DATUM(1)};
	Oid			argtypes[2] = {TEXTOID, get_fn_expr_argtype(fcinfo->flinfo, 1)};
	bool		isnull;
	Datum		found;

	require_region(region);
	if (!OidIsValid(argtypes[1]))
		elog(ERROR, "registered_elsewhere: the units' type is unknown");
	/* the kept plan names the array type it was prepared for: a new one after the extension is made again */
	if (plan_elsewhere != NULL && plan_elsewhere_type != argtypes[1])
	{
		SPI_freeplan(plan_elsewhere);
		plan_elsewhere = NULL;
	}
	plan_elsewhere_type = argtypes[1];
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	owner_query(&plan_elsewhere,
				"SELECT pg_catalog.array_agg(uscc) FROM subsidy.enterprise "
				"WHERE uscc OPERATOR(subsidy.=) ANY ($2) AND region OPERATOR(pg_catalog.<>) $1",
				2, argtypes, args, NULL, true);
	found = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	if (!isnull)
		found = SPI_datumTransfer(found, false, -1);
	SPI_finish();
	if (isnull)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(found);
}

static SPIPlanPtr plan_contribution_check = NULL;
static SPIPlanPtr plan_contribution_units = NULL;
static SPIPlanPtr plan_contribution_filed = NULL;
static SPIPlanPtr plan_contribution_unstage = NULL;

/* Run a fixed statement as the caller, its plan kept; SPI must be connected. */
static void
caller_query(SPIPlanPtr *plan, const char *sql, int nargs, Oid *argtypes, Datum *args, const char *nulls)
{
	kept_plan(plan, sql, nargs, argtypes);
	if (SPI_execute_plan(*plan, args, nulls, false, 0) < 0)
		elog(ERROR, "could not run: %s", sql);
}

PG_FUNCTION_INFO_V1(load_contributions);
/*
 * subsidy.load_contributions(region, year) (section 13): the region's staged
 * lines of the year, checked line by line (contribution_problems), and only
 * if every one is good, merged into contribution_record, each unit's record
 * replaced by the one loaded again; new units enter the register first (their
 * account comes when they confirm), and the staged lines are cleared.  One
 * function, so that no clerk can merge a file past its checks (the attack
 * round's F2: the merge was a function of its own, callable directly).  The
 * checks and the register run as the caller; only the merge passes the gate
 * that keeps contribution_record to this function.
 */
Datum
load_contributions(PG_FUNCTION_ARGS)
{
	Datum		args[2];
	char		nulls[2];
	Oid			argtypes[2] = {TEXTOID, INT4OID};
	int64		merged;
	int64		new_units;

	require_role(ROLE_BIT(ROLE_AGENCY) | ROLE_BIT(ROLE_ADMIN), N_("permission denied to load contribution records"), "section 13");
	call_args(fcinfo, 2, args, nulls);
	if (nulls[0] == 'n' || nulls[1] == 'n')
		PG_RETURN_NULL();
	require_region(TextDatumGetCString(args[0]));
	/* the staged lines cannot change between the checks and the merge (contribution_staging_lock) */
	lock_caller_chains();
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	/* every bad line named (the first twenty), and nothing loaded */
	caller_query(&plan_contribution_check,
				 "SELECT pg_catalog.count(DISTINCT p.line),"
				 "       pg_catalog.string_agg(subsidy.message('contribution_line', p.line::pg_catalog.text, p.problem),"
				 "                             E'\\n' ORDER BY p.line) FILTER (WHERE p.rank OPERATOR(pg_catalog.<=) 20)"
				 "  FROM (SELECT q.*, pg_catalog.row_number() OVER (ORDER BY q.line) AS rank"
				 "          FROM subsidy.contribution_problems($1, $2) q) p",
				 2, argtypes, args, nulls);
	if (strcmp(SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1), "0") != 0)
		raise_keyed("contributions_refused", 4, TextDatumGetCString(args[0]), psprintf("%d", DatumGetInt32(args[1])),
					SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1),
					SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2));
	/*
	 * The checks read the caller's snapshot, which under REPEATABLE READ was
	 * taken before the chain lock: an application filed since (screening, in
	 * another session) would not stop its unit's record from being replaced
	 * (the third attack round's H1).  Read as of now, under the lock; under
	 * READ COMMITTED the checks' own snapshot was taken after it.
	 */
	if (IsolationUsesXactSnapshot())
	{
		owner_query(&plan_contribution_filed,
					"SELECT FROM subsidy.contribution_staging s"
					"  JOIN subsidy.application a"
					"    ON a.uscc OPERATOR(subsidy.=) CASE WHEN subsidy.uscc_is_valid(s.uscc) THEN s.uscc::subsidy.uscc END"
					"   AND a.year OPERATOR(pg_catalog.=) $2 AND a.region OPERATOR(pg_catalog.=) $1"
					"   AND a.stage OPERATOR(pg_catalog.<>) 'withdrawn'::subsidy.stage"
					" WHERE s.region OPERATOR(pg_catalog.=) $1 AND s.year OPERATOR(pg_catalog.=) $2::pg_catalog.text"
					" LIMIT 1",
					2, argtypes, args, nulls, true);
		if (SPI_processed > 0)
			ereport(ERROR,
					(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
					 errmsg("could not load the contribution records of region %s: a unit of theirs was filed for %d after this transaction began",
							TextDatumGetCString(args[0]), DatumGetInt32(args[1])),
					 errdetail("A record an application was filed on is not replaced; this transaction's snapshot does not show the application."),
					 errhint("Load again in a new transaction: the unit's line is then named.")));
	}
	caller_query(&plan_contribution_units,
				 "INSERT INTO subsidy.enterprise (uscc, name, region)"
				 " SELECT s.uscc::subsidy.uscc, pg_catalog.btrim(s.name), $1"
				 "   FROM subsidy.contribution_staging s"
				 "  WHERE s.region OPERATOR(pg_catalog.=) $1 AND s.year OPERATOR(pg_catalog.=) $2::pg_catalog.text"
				 "    AND NOT EXISTS (SELECT FROM subsidy.enterprise e WHERE e.uscc OPERATOR(subsidy.=) s.uscc::subsidy.uscc)",
				 2, argtypes, args, nulls);
	new_units = (int64) SPI_processed;
	merged = gated_count(GATE_CONTRIBUTIONS, &plan_merge_contributions,
		"WITH merged AS ("
		"  INSERT INTO subsidy.contribution_record (year, uscc, region, unit_kind, firm_size, insured_start,"
		"      insured_end, insured_average, retirements_deaths, layoffs, new_claimants, premiums_payable,"
		"      premiums_paid, arrears_basis_year, arrears_other_years, full_contribution_months,"
		"      monthly_premiums_payable, tax_bank_name, tax_bank_account, loaded_on)"
		"  SELECT $2, e.uscc, $1, coalesce(NULLIF(s.unit_kind, ''), 'enterprise')::subsidy.unit_kind,"
		"         NULLIF(s.firm_size, '')::subsidy.firm_size,"
		"         NULLIF(s.insured_start, '')::pg_catalog.int4, NULLIF(s.insured_end, '')::pg_catalog.int4,"
		"         NULLIF(s.insured_average, '')::pg_catalog.numeric,"
		"         NULLIF(s.retirements_deaths, '')::pg_catalog.int4,"
		"         NULLIF(s.layoffs, '')::pg_catalog.int4, NULLIF(s.new_claimants, '')::pg_catalog.int4,"
		"         NULLIF(s.premiums_payable, '')::pg_catalog.numeric,"
		"         NULLIF(s.premiums_paid, '')::pg_catalog.numeric,"
		"         NULLIF(s.arrears_basis_year, '')::pg_catalog.numeric,"
		"         NULLIF(s.arrears_other_years, '')::pg_catalog.numeric,"
		"         NULLIF(s.full_contribution_months, '')::pg_catalog.int4,"
		"         NULLIF(s.monthly_premiums_payable, '')::pg_catalog.numeric,"
		"         NULLIF(pg_catalog.btrim(s.tax_bank_name), ''),"
		"         CASE WHEN NULLIF(pg_catalog.btrim(s.tax_bank_account), '') IS NOT NULL"
		"              THEN subsidy.bank_account_normal(s.tax_bank_account) END,"
		"         subsidy.today()"
		"    FROM subsidy.contribution_staging s"
		"    JOIN subsidy.enterprise e ON e.uscc OPERATOR(subsidy.=) s.uscc::subsidy.uscc"
		"     AND e.region OPERATOR(pg_catalog.=) $1"
		"   WHERE s.region OPERATOR(pg_catalog.=) $1 AND s.year OPERATOR(pg_catalog.=) $2::pg_catalog.text"
		"  ON CONFLICT (year, uscc) DO UPDATE"
		"    SET unit_kind = excluded.unit_kind, firm_size = excluded.firm_size,"
		"        insured_start = excluded.insured_start, insured_end = excluded.insured_end,"
		"        insured_average = excluded.insured_average, retirements_deaths = excluded.retirements_deaths,"
		"        layoffs = excluded.layoffs, new_claimants = excluded.new_claimants,"
		"        premiums_payable = excluded.premiums_payable, premiums_paid = excluded.premiums_paid,"
		"        arrears_basis_year = excluded.arrears_basis_year, arrears_other_years = excluded.arrears_other_years,"
		"        full_contribution_months = excluded.full_contribution_months,"
		"        monthly_premiums_payable = excluded.monthly_premiums_payable,"
		"        tax_bank_name = excluded.tax_bank_name, tax_bank_account = excluded.tax_bank_account,"
		"        loaded_on = excluded.loaded_on, loaded_by = excluded.loaded_by"
		"  RETURNING 1)"
		"SELECT pg_catalog.count(*) FROM merged", 2, argtypes, args, nulls);
	caller_query(&plan_contribution_unstage,
				 "DELETE FROM subsidy.contribution_staging"
				 " WHERE region OPERATOR(pg_catalog.=) $1 AND year OPERATOR(pg_catalog.=) $2::pg_catalog.text",
				 2, argtypes, args, nulls);
	SPI_finish();
	raise_keyed("contributions_loaded", 4, TextDatumGetCString(args[0]), psprintf("%d", DatumGetInt32(args[1])),
				psprintf(INT64_FORMAT, merged), psprintf(INT64_FORMAT, new_units));
	PG_RETURN_INT64(merged);
}

PG_FUNCTION_INFO_V1(contribution_staging_number);
/*
 * Trigger on contribution_staging, BEFORE INSERT, for each statement and for
 * each row: a staged line's number is the next of its region's, so that "line
 * 12" is the file's twelfth line and no clerk reads, from a counter of the
 * province, how many lines other regions staged (section 13, S1).  Every
 * statement that writes the table (for each statement, on insert, update and
 * delete) first takes the caller's chain locks, which a region's clerks take
 * in turn: one stager of a region numbers at a time (its last number read
 * once a transaction, next_in_region), and no line changes between
 * load_contributions' checks and its merge, which hold the same locks.  A
 * dump's lines keep their numbers.
 */
Datum
contribution_staging_number(PG_FUNCTION_ARGS)
{
	static const char *const tables[] = {"contribution_staging", NULL};
	TriggerData *trigdata = trigger_on(fcinfo, "contribution_staging_number", tables, true, -1);
	TupleDesc	desc = RelationGetDescr(trigdata->tg_relation);
	HeapTuple	tuple = trigdata->tg_trigtuple;
	int			region_attno,
				line_attno;
	bool		isnull;
	Datum		region_datum;
	char	   *region;
	Datum		line;
	bool		line_null;
	static SPIPlanPtr plan_last_line = NULL;

	if (!TRIGGER_FIRED_BY_INSERT(trigdata->tg_event) && !TRIGGER_FIRED_FOR_STATEMENT(trigdata->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("trigger function %s must be fired on insert", "contribution_staging_number")));
	if (TRIGGER_FIRED_FOR_STATEMENT(trigdata->tg_event))
	{
		if (!restoring())
			lock_caller_chains();
		return PointerGetDatum(NULL);
	}
	if (restoring())
		return PointerGetDatum(tuple);
	region_attno = SPI_fnumber(desc, "region");
	line_attno = SPI_fnumber(desc, "line");
	region_datum = heap_getattr(tuple, region_attno, desc, &isnull);
	if (isnull)
		return PointerGetDatum(tuple);	/* the NOT NULL of region says so */
	region = TextDatumGetCString(region_datum);
	/* another region's line is left to the table's policy to refuse, its chain untouched (S3) */
	if (!sees_every_region() && !caller_acts_in(region))
		return PointerGetDatum(tuple);
	line = Int64GetDatum(next_in_region(region, STAGING_COUNTER, &plan_last_line,
										"SELECT pg_catalog.max(line) FROM subsidy.contribution_staging "
										"WHERE region OPERATOR(pg_catalog.=) $1 AND line OPERATOR(pg_catalog.>) $2 "
										"AND line OPERATOR(pg_catalog.<) $3", 0, NUMBERS_PER_REGION));
	line_null = false;
	tuple = heap_modify_tuple_by_cols(tuple, desc, 1, &line_attno, &line, &line_null);
	return PointerGetDatum(tuple);
}
