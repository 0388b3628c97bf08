/*
 * hooks.c: what no clerk does with the extension's tables, whatever SQL it
 * sends (S1, S3).
 *
 * Row-level security hides another region's rows, but EXPLAIN would still
 * tell of them: a plan's estimates come from statistics over every region,
 * and EXPLAIN ANALYZE counts the rows a filter removed after an index, driven
 * by a clerk's own leakproof condition, fetched them.  And LOCK TABLE, which
 * any role with UPDATE or DELETE rights may run, would stop every region's
 * work.  So for a role that does not see every region (a clerk: not
 * subsidy_admin, not a superuser), EXPLAIN of a plan that reads a table of the
 * extension under row-level security, and LOCK TABLE of any of its relations,
 * are refused.  The DBA keeps both.  So are the settings that print what
 * EXPLAIN would (debug_print_plan, trace_sort) for a clerk's session, and the
 * DDL that PostgreSQL locks for before it checks ownership (CREATE RULE,
 * CREATE TRIGGER, PARTITION OF, ATTACH PARTITION, INHERITS, a FOREIGN KEY,
 * COMMENT, CREATE STATISTICS, DROP TRIGGER ... ON, VACUUM and the like).
 *
 * The hooks are in place only once the library is loaded, so it must be
 * loaded when a session starts (shared_preload_libraries or
 * session_preload_libraries): loaded later, a clerk's EXPLAIN before it would
 * pass.  A clerk's session that did not load it at the start is refused
 * outright (rights.c, caller_regions), so that a forgotten setting fails
 * closed rather than open.
 */
#include "subsidy.h"

#include "access/parallel.h"
#include "access/relation.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "commands/explain.h"
#include "commands/extension.h"
#include "executor/executor.h"
#include "miscadmin.h"
#include "nodes/nodeFuncs.h"
#include "nodes/parsenodes.h"
#include "optimizer/planner.h"
#include "rewrite/rewriteHandler.h"
#include "tcop/tcopprot.h"
#include "tcop/utility.h"
#include "utils/acl.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"

/*
 * trace_sort is there only with TRACE_SORT (pg_config_manual.h defines it)
 * before PostgreSQL 18, and always from 18, where the macro is gone.
 */
#if defined(TRACE_SORT) || PG_VERSION_NUM >= 180000
#define trace_sort_on() trace_sort
#else
#define trace_sort_on() false
#endif

/* From PostgreSQL 16 one function checks the owner of any kind of object. */
#if PG_VERSION_NUM >= 160000
#define pg_class_ownercheck(relid, roleid) object_ownercheck(RelationRelationId, (relid), (roleid))
#endif

static ProcessUtility_hook_type prev_process_utility = NULL;
static ExecutorStart_hook_type prev_executor_start = NULL;
static planner_hook_type prev_planner = NULL;

/* How deep this backend is inside EXPLAIN statements. */
static int	explain_depth = 0;

/* Whether the library was loaded as the session started, hooks and all. */
static bool loaded_at_start = false;

bool
loaded_at_session_start(void)
{
	return loaded_at_start || IsParallelWorker();
}

/* A role that does not see every region: what the hooks hold back. */
static bool
clerk(void)
{
	return !superuser() && !sees_every_region();
}

/* The refusal of a clerk's session that did not load the library as it started. */
void
refuse_unguarded_session(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("subsidy was not loaded when this session started"),
			 errdetail("Without it, EXPLAIN and LOCK TABLE would let a clerk learn of or stop other pooling regions' work (S1, S3), so the extension serves no clerk in this session."),
			 errhint("The DBA loads it at the start of every session: ALTER SYSTEM SET shared_preload_libraries = 'subsidy' and a restart, or ALTER DATABASE <database> SET session_preload_libraries = 'subsidy'.")));
}

PG_FUNCTION_INFO_V1(subsidy_session_guarded);
/*
 * subsidy.session_guarded(): true, or the refusal of a clerk's session that did
 * not load the library as it started.  Row-level security calls it in every
 * policy; declared IMMUTABLE so that the planner calls it while planning, which
 * loads the library (installing the hooks) and refuses before any plan, the
 * estimates of a plain EXPLAIN included, is made.
 */
Datum
subsidy_session_guarded(PG_FUNCTION_ARGS)
{
	if (!loaded_at_session_start() && clerk())
		refuse_unguarded_session();
	PG_RETURN_BOOL(true);
}

/* A table of the extension that row-level security keeps to each caller's regions. */
static bool
protected_relation(Oid relid)
{
	HeapTuple	tuple;
	bool		result = false;

	tuple = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
	if (HeapTupleIsValid(tuple))
	{
		Form_pg_class rel = (Form_pg_class) GETSTRUCT(tuple);

		result = rel->relnamespace == subsidy_namespace() && rel->relrowsecurity;
		ReleaseSysCache(tuple);
	}
	return result;
}

static void
refuse_explain(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
			 errmsg("permission denied to explain a query on the extension's tables"),
			 errdetail("A plan's estimates, and the rows EXPLAIN ANALYZE counts, tell of rows of other pooling regions that row-level security hides from you (S1)."),
			 errhint("Run the query itself; the DBA (subsidy_admin) explains plans.")));
}

/* Whether a plan reads one of the protected tables, directly or through a view. */
static bool
plan_reads_protected(PlannedStmt *plan)
{
	ListCell   *lc;

	foreach(lc, plan->relationOids)
		if (protected_relation(lfirst_oid(lc)))
			return true;
	foreach(lc, plan->rtable)
	{
		RangeTblEntry *rte = lfirst_node(RangeTblEntry, lc);

		if (rte->rtekind == RTE_RELATION && protected_relation(rte->relid))
			return true;
	}
	return false;
}

/*
 * Settings that send a plan, or the rows it sorted, to the client as LOG
 * messages: what EXPLAIN would show, estimates over every region included.
 * Judged by the session's login, since the extension's own queries run as
 * their owner for a clerk and their plans would be printed to the clerk too.
 */
static void
refuse_plan_printing(PlannedStmt *plan, const char *setting)
{
	if (session_sees_every_region() || !plan_reads_protected(plan))
		return;
	ereport(ERROR,
			(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
			 errmsg("permission denied to print the plans of queries on the extension's tables"),
			 errdetail("With %s on, a plan's estimates or the rows it sorted would tell of rows of other pooling regions that row-level security hides from you (S1).", setting),
			 errhint("Turn it off: RESET %s.", setting)));
}

static PlannedStmt *
planner(Query *parse, const char *query_string, int cursor_options, ParamListInfo bound_params)
{
	PlannedStmt *plan;

	if (prev_planner)
		plan = prev_planner(parse, query_string, cursor_options, bound_params);
	else
		plan = standard_planner(parse, query_string, cursor_options, bound_params);
	/* pg_plan_query prints the plan as soon as this returns */
	if (Debug_print_plan)
		refuse_plan_printing(plan, "debug_print_plan");
	return plan;
}

static void
executor_start(QueryDesc *queryDesc, int eflags)
{
	if (trace_sort_on())
		refuse_plan_printing(queryDesc->plannedstmt, "trace_sort");
	if (explain_depth > 0 &&
		((eflags & EXEC_FLAG_EXPLAIN_ONLY) || queryDesc->instrument_options != 0) && clerk() &&
		plan_reads_protected(queryDesc->plannedstmt))
		refuse_explain();
	if (prev_executor_start)
		prev_executor_start(queryDesc, eflags);
	else
		standard_ExecutorStart(queryDesc, eflags);
}

/*
 * Whether locking a relation would lock one of the extension's: it is one,
 * or it is a view whose query reads one, however deeply (LOCK TABLE of a view
 * locks the tables its query reads, through views and subqueries alike).
 */
typedef struct LockReach
{
	List	   *seen;			/* views already walked */
	bool		found;
} LockReach;

static bool lock_reaches_walker(Node *node, LockReach *reach);

static bool
lock_reaches_relation(Oid relid, LockReach *reach)
{
	Relation	view;
	Query	   *query;

	if (reach->found || list_member_oid(reach->seen, relid))
		return reach->found;
	reach->seen = lappend_oid(reach->seen, relid);
	if (get_rel_namespace(relid) == subsidy_namespace())
		return reach->found = true;
	if (get_rel_relkind(relid) != RELKIND_VIEW)
		return false;
	view = try_relation_open(relid, AccessShareLock);
	if (view == NULL)
		return false;
	query = copyObject(get_view_query(view));
	relation_close(view, AccessShareLock);
	(void) query_tree_walker(query, lock_reaches_walker, reach, QTW_EXAMINE_RTES_BEFORE);
	return reach->found;
}

static bool
lock_reaches_walker(Node *node, LockReach *reach)
{
	if (node == NULL)
		return false;
	if (IsA(node, RangeTblEntry))
	{
		RangeTblEntry *rte = (RangeTblEntry *) node;

		if (rte->rtekind == RTE_RELATION && lock_reaches_relation(rte->relid, reach))
			return true;
		return false;
	}
	if (IsA(node, Query))
		return query_tree_walker((Query *) node, lock_reaches_walker, reach, QTW_EXAMINE_RTES_BEFORE);
	return expression_tree_walker(node, lock_reaches_walker, reach);
}

/* LOCK TABLE of the extension's relations, directly or through a view, is the DBA's (S3). */
static void
refuse_lock(LockStmt *stmt)
{
	ListCell   *lc;

	if (!OidIsValid(get_namespace_oid("subsidy", true)))
		return;				/* not installed in this database */
	foreach(lc, stmt->relations)
	{
		RangeVar   *rv = lfirst_node(RangeVar, lc);
		Oid			relid = RangeVarGetRelid(rv, NoLock, true);
		LockReach	reach = {NIL, false};

		if (OidIsValid(relid) && lock_reaches_relation(relid, &reach))
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("permission denied to lock table %s", rv->relname),
					 errdetail("A lock on the extension's tables would stop the work of every pooling region (S3)."),
					 errhint("The steps lock the rows they change themselves; the DBA (subsidy_admin) locks tables.")));
	}
}

/*
 * The DDL that PostgreSQL locks a relation for before it checks who owns it
 * (F1 of the fourth tester): a clerk whose own other session holds an ordinary
 * lock on one of the extension's relations would wait in the lock queue, and
 * every region's reads and writes behind it (S3).  Such a statement names the
 * relation it would lock; the names are resolved here without a lock, and the
 * statement refused before any is asked for.  What takes only the lock a read
 * takes (CREATE TABLE ... (LIKE ...), COPY, a view's query) is left alone, and
 * so is the DDL whose lookup checks ownership first (ALTER TABLE or CREATE
 * INDEX of the relation itself, CLUSTER, REINDEX, TRUNCATE, CREATE POLICY,
 * REFRESH, RENAME, SET SCHEMA, ALTER SEQUENCE) or that locks nothing (GRANT).
 */

/* The relation of an object named by a qualified name with the object's own name last. */
static RangeVar *
relation_of_object(ObjectType type, Node *object)
{
	List	   *names;

	if (object == NULL || !IsA(object, List))
		return NULL;
	names = (List *) object;
	switch (type)
	{
		case OBJECT_TABLE:
		case OBJECT_VIEW:
		case OBJECT_MATVIEW:
		case OBJECT_INDEX:
		case OBJECT_SEQUENCE:
		case OBJECT_FOREIGN_TABLE:
			return makeRangeVarFromNameList(names);
		case OBJECT_COLUMN:
		case OBJECT_TRIGGER:
		case OBJECT_RULE:
		case OBJECT_POLICY:
		case OBJECT_TABCONSTRAINT:
			if (list_length(names) < 2)
				return NULL;
			return makeRangeVarFromNameList(list_copy_head(names, list_length(names) - 1));
		default:
			return NULL;
	}
}

/* The tables a column's or a table's constraints reference (FOREIGN KEY locks them share row exclusive). */
static List *
referenced_tables(List *result, Node *node)
{
	ListCell   *lc;

	if (node == NULL)
		return result;
	if (IsA(node, Constraint))
	{
		Constraint *c = (Constraint *) node;

		if (c->contype == CONSTR_FOREIGN && c->pktable)
			result = lappend(result, c->pktable);
	}
	else if (IsA(node, ColumnDef))
		foreach(lc, ((ColumnDef *) node)->constraints)
			result = referenced_tables(result, lfirst(lc));
	return result;
}

/* The relations a utility statement would lock before checking that its caller owns them. */
static List *
relations_locked_before_check(Node *parsetree)
{
	List	   *result = NIL;
	ListCell   *lc;

	switch (nodeTag(parsetree))
	{
		case T_RuleStmt:
			result = lappend(result, ((RuleStmt *) parsetree)->relation);
			break;
		case T_CreateTrigStmt:
			result = lappend(result, ((CreateTrigStmt *) parsetree)->relation);
			break;
		case T_CreateStmt:
		case T_CreateForeignTableStmt:
			{
				/* PARTITION OF locks the parent access exclusive, INHERITS share update exclusive */
				CreateStmt *stmt = (CreateStmt *) parsetree;

				result = list_concat(result, stmt->inhRelations);
				foreach(lc, stmt->tableElts)
					result = referenced_tables(result, lfirst(lc));
				foreach(lc, stmt->constraints)
					result = referenced_tables(result, lfirst(lc));
				break;
			}
		case T_AlterTableStmt:
			/* ATTACH/DETACH PARTITION, INHERIT/NO INHERIT, a FOREIGN KEY: the other relation */
			foreach(lc, ((AlterTableStmt *) parsetree)->cmds)
			{
				Node	   *def = lfirst_node(AlterTableCmd, lc)->def;

				if (def == NULL)
					continue;
				if (IsA(def, PartitionCmd))
					result = lappend(result, ((PartitionCmd *) def)->name);
				else if (IsA(def, RangeVar))
					result = lappend(result, def);
				else
					result = referenced_tables(result, def);
			}
			break;
		case T_CreateStatsStmt:
			foreach(lc, ((CreateStatsStmt *) parsetree)->relations)
				if (IsA(lfirst(lc), RangeVar))
					result = lappend(result, lfirst(lc));
			break;
		case T_CommentStmt:
			result = lappend(result, relation_of_object(((CommentStmt *) parsetree)->objtype,
														((CommentStmt *) parsetree)->object));
			break;
		case T_SecLabelStmt:
			result = lappend(result, relation_of_object(((SecLabelStmt *) parsetree)->objtype,
														((SecLabelStmt *) parsetree)->object));
			break;
		case T_DropStmt:
			{
				/* DROP TRIGGER, RULE, POLICY ... ON a relation (DROP TABLE and the like check first) */
				DropStmt   *stmt = (DropStmt *) parsetree;

				if (stmt->removeType == OBJECT_TRIGGER || stmt->removeType == OBJECT_RULE ||
					stmt->removeType == OBJECT_POLICY)
					foreach(lc, stmt->objects)
						result = lappend(result, relation_of_object(stmt->removeType, lfirst(lc)));
				break;
			}
		case T_AlterObjectDependsStmt:
			result = lappend(result, ((AlterObjectDependsStmt *) parsetree)->relation);
			break;
		case T_VacuumStmt:
			foreach(lc, ((VacuumStmt *) parsetree)->rels)
				result = lappend(result, lfirst_node(VacuumRelation, lc)->relation);
			break;
		case T_CreatePublicationStmt:
		case T_AlterPublicationStmt:
			{
				List	   *objects = IsA(parsetree, CreatePublicationStmt) ?
					((CreatePublicationStmt *) parsetree)->pubobjects :
					((AlterPublicationStmt *) parsetree)->pubobjects;

				foreach(lc, objects)
				{
					PublicationObjSpec *spec = lfirst_node(PublicationObjSpec, lc);

					if (spec->pubtable && spec->pubtable->relation)
						result = lappend(result, spec->pubtable->relation);
				}
				break;
			}
		default:
			break;
	}
	return result;
}

/*
 * A clerk's DDL that would lock one of the extension's relations, which it
 * does not own, before PostgreSQL checks that it does: refused before any
 * lock (S3).  Names are resolved without a lock, as PostgreSQL would resolve
 * them.
 */
static void
refuse_ddl_before_lock(Node *parsetree)
{
	List	   *relations = relations_locked_before_check(parsetree);
	Oid			nsp;
	ListCell   *lc;

	if (relations == NIL)
		return;
	nsp = get_namespace_oid("subsidy", true);
	if (!OidIsValid(nsp))
		return;
	foreach(lc, relations)
	{
		RangeVar   *rv = (RangeVar *) lfirst(lc);
		Oid			relid;

		if (rv == NULL || !IsA(rv, RangeVar))
			continue;
		relid = RangeVarGetRelid(rv, NoLock, true);
		if (OidIsValid(relid) && get_rel_namespace(relid) == nsp && clerk() &&
			!pg_class_ownercheck(relid, GetUserId()))
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("must be owner of relation %s", rv->relname),
					 errdetail("The extension's relations are changed by the extension alone; this statement would first wait for a lock on one of them, and the work of every pooling region would wait behind it (S3)."),
					 errhint("Name a relation of your own; the steps of the workflow change the extension's tables for you.")));
	}
}

static void
process_utility(PlannedStmt *pstmt, const char *queryString, bool readOnlyTree,
				ProcessUtilityContext context, ParamListInfo params, QueryEnvironment *queryEnv,
				DestReceiver *dest, QueryCompletion *qc)
{
	Node	   *parsetree = pstmt->utilityStmt;
	bool		explain = IsA(parsetree, ExplainStmt);
	Oid			renamed_role = InvalidOid;

	if (IsA(parsetree, LockStmt) && clerk())
		refuse_lock((LockStmt *) parsetree);
	refuse_ddl_before_lock(parsetree);
	/* ALTER ROLE ... RENAME TO: the staff rows that name the role are logged under its new name (F3) */
	if (IsA(parsetree, RenameStmt) && ((RenameStmt *) parsetree)->renameType == OBJECT_ROLE)
		renamed_role = get_role_oid(((RenameStmt *) parsetree)->subname, true);
	if (explain)
		explain_depth++;
	PG_TRY();
	{
		if (prev_process_utility)
			prev_process_utility(pstmt, queryString, readOnlyTree, context, params, queryEnv, dest, qc);
		else
			standard_ProcessUtility(pstmt, queryString, readOnlyTree, context, params, queryEnv, dest, qc);
	}
	PG_FINALLY();
	{
		if (explain)
			explain_depth--;
	}
	PG_END_TRY();
	if (OidIsValid(renamed_role))
	{
		refuse_rename_of_signer(((RenameStmt *) parsetree)->subname);
		(void) log_role_renamed(renamed_role, ((RenameStmt *) parsetree)->subname);
	}
}

/* Called from _PG_init. */
void
install_hooks(void)
{
	/*
	 * As the server starts (shared_preload_libraries) or a session does
	 * (session_preload_libraries, before any query): not later, by a query
	 * that called one of its functions or a LOAD, which run with a query text.
	 */
	loaded_at_start = process_shared_preload_libraries_in_progress || debug_query_string == NULL;
	prev_process_utility = ProcessUtility_hook;
	ProcessUtility_hook = process_utility;
	prev_executor_start = ExecutorStart_hook;
	ExecutorStart_hook = executor_start;
	prev_planner = planner_hook;
	planner_hook = planner;
}

PG_FUNCTION_INFO_V1(subsidy_preloaded);
/* subsidy.preloaded(): whether this session loaded the library as it started (the install warns if not). */
Datum
subsidy_preloaded(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(loaded_at_session_start());
}

PG_FUNCTION_INFO_V1(close_statistics);
/*
 * subsidy.close_statistics(): the per-relation, per-function and per-database
 * statistics counters (pg_stat_get_*(oid), and pg_stat_get_io where there is
 * one) revoked from PUBLIC and granted to pg_read_all_stats (S1: they count
 * rows an index scan fetched before row-level security filtered them).  Run
 * by the install and update scripts, outside the extension's own initial
 * privileges: the counters are the database's objects, so pg_dump keeps their
 * rights as any change of the database's, and DROP EXTENSION leaves them.
 */
Datum
close_statistics(PG_FUNCTION_ARGS)
{
	bool		was_creating = creating_extension;
	uint64		closed = 0;

	if (!superuser())
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied to close the statistics counters"),
				 errhint("A superuser runs it; CREATE EXTENSION and ALTER EXTENSION UPDATE do.")));
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	creating_extension = false;
	PG_TRY();
	{
		if (SPI_execute("SELECT p.oid::pg_catalog.regprocedure::pg_catalog.text FROM pg_catalog.pg_proc p"
						" WHERE p.pronamespace OPERATOR(pg_catalog.=) 'pg_catalog'::pg_catalog.regnamespace"
						"   AND ((p.proname OPERATOR(pg_catalog.~~) 'pg\\_stat\\_get\\_%'"
						"         AND p.pronargs OPERATOR(pg_catalog.>=) 1"
						"         AND p.proargtypes[0] OPERATOR(pg_catalog.=) 'pg_catalog.oid'::pg_catalog.regtype)"
						"        OR p.proname OPERATOR(pg_catalog.=) 'pg_stat_get_io')"
						" ORDER BY p.oid", true, 0) != SPI_OK_SELECT)
			elog(ERROR, "could not list the statistics counters");
		{
			List	   *functions = NIL;
			ListCell   *lc;

			for (uint64 i = 0; i < SPI_processed; i++)
				functions = lappend(functions, SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1));
			foreach(lc, functions)
			{
				char	   *f = (char *) lfirst(lc);

				if (SPI_execute(psprintf("REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC", f), false, 0) < 0 ||
					SPI_execute(psprintf("GRANT EXECUTE ON FUNCTION %s TO pg_read_all_stats", f), false, 0) < 0)
					elog(ERROR, "could not close %s", f);
				closed++;
			}
		}
	}
	PG_FINALLY();
	{
		creating_extension = was_creating;
	}
	PG_END_TRY();
	SPI_finish();
	PG_RETURN_INT32((int32) closed);
}
