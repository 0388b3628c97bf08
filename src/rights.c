/*
 * rights.c: who acts where (DOMAIN sections 2 and 11).
 *
 * A login acts in the roles it is a member of (the six of section 2) and in
 * the pooling regions subsidy.staff_region maps it (or a group role it is a
 * member of) to; a province's code covers its pools, subsidy_admin covers
 * every region.  Row-level security asks caller_regions() once per query;
 * the triggers ask the same list, held in memory while the snapshot would
 * read the same staff rows (stamp.c).  Staff are mapped by role oid
 * (regrole), so a row that names a role dropped since simply matches nobody.
 *
 * Code that must look past the caller's rights (a trigger checking a
 * sign-off or a payment reference of the caller's own region) runs its
 * query as the table's owner, as the referential-integrity triggers do, and
 * says only what the caller could see itself.
 */
#include "subsidy.h"

#include "utils/hsearch.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/pg_class.h"
#include "commands/extension.h"
#include "access/genam.h"
#include "access/table.h"
#include "catalog/indexing.h"
#include "catalog/pg_extension.h"
#include "utils/fmgroids.h"
#include "catalog/namespace.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"

static const char *const role_names[ROLE_COUNT] = {
	"subsidy_applicant", "subsidy_agency", "subsidy_hrss", "subsidy_finance", "subsidy_reader",
	"subsidy_admin"
};

/* The name of one of the six roles. */
const char *
role_name(Role role)
{
	return role_names[role];
}

/* Whether the current user acts as any of the roles (a superuser acts as all). */
bool
acts_as(int role_bits)
{
	Oid			user = GetUserId();

	if (superuser())
		return true;
	for (int r = 0; r < ROLE_COUNT; r++)
		if (role_bits & ROLE_BIT(r))
		{
			Oid			role = get_role_oid(role_names[r], true);

			if (OidIsValid(role) && has_privs_of_role(user, role))
				return true;
		}
	return false;
}

/* The roles of a set, for a message: "subsidy_agency, subsidy_hrss". */
char *
roles_text(int role_bits)
{
	StringInfoData buf;

	initStringInfo(&buf);
	for (int r = 0; r < ROLE_COUNT; r++)
		if (role_bits & ROLE_BIT(r))
			appendStringInfo(&buf, "%s%s", buf.len ? ", " : "", role_names[r]);
	return buf.data;
}

/*
 * Refuse a step the current user has no role for, with 42501.  refusal is
 * the whole primary message, translated by the caller's table (one sentence
 * per step, so that a translator never sees a fragment).
 */
void
require_role(int role_bits, const char *refusal, const char *rule)
{
	if (!acts_as(role_bits))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg_internal("%s", _(refusal)),
				 errdetail("This step (%s) is taken by a member of %s, and role \"%s\" is not one.",
						   rule, roles_text(role_bits), GetUserNameFromId(GetUserId(), false)),
				 errhint("Ask the provincial DBA to grant the role to whoever takes this step.")));
}

/* The caller acts in the region, or the error every entry point gives (S1: it names only the code asked for). */
void
require_region(const char *region)
{
	if (!sees_every_region() && !caller_acts_in(region))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("you do not act in pooling region %s", region),
				 errhint("Each role acts in the pooling regions subsidy.staff_region maps it to; ask the provincial DBA.")));
}

PG_FUNCTION_INFO_V1(require_region_sql);
/* subsidy.require_region(region): the same check for the SQL entry points. */
Datum
require_region_sql(PG_FUNCTION_ARGS)
{
	require_region(text_to_cstring(PG_GETARG_TEXT_PP(0)));
	PG_RETURN_VOID();
}

/* Whether the current user acts in every region: subsidy_admin, or a superuser. */
bool
sees_every_region(void)
{
	Oid			admin;

	if (superuser())
		return true;
	admin = get_role_oid(role_names[ROLE_ADMIN], true);
	return OidIsValid(admin) && has_privs_of_role(GetUserId(), admin);
}

/* Whether the session's login sees every region: what it is told of plans is judged by it. */
bool
session_sees_every_region(void)
{
	Oid			admin;

	if (superuser_arg(GetSessionUserId()))
		return true;
	admin = get_role_oid(role_names[ROLE_ADMIN], true);
	return OidIsValid(admin) && has_privs_of_role(GetSessionUserId(), admin);
}

/* ---------------------------------------------------------------------------
 * The caller's regions
 * ---------------------------------------------------------------------------
 */

typedef struct CallerRegions
{
	Oid			user;
	SnapshotStamp stamp;
	bool		every;			/* subsidy_admin or a superuser */
	int			count;
	char	  (*codes)[REGION_CODE_SIZE];	/* sorted */
} CallerRegions;

static CallerRegions regions_memo;
static MemoryContext regions_cxt = NULL;
static SPIPlanPtr plan_staff = NULL;

static int
region_cmp(const void *a, const void *b)
{
	return strncmp((const char *) a, (const char *) b, REGION_CODE_SIZE);
}

/*
 * The owner of the extension's tables: the lookups below run as it.  Read
 * once per transaction from subsidy.region.
 */
Oid
tables_owner(void)
{
	static Oid	owner = InvalidOid;
	static LocalTransactionId lxid = InvalidLocalTransactionId;

	if (lxid != MyLocalTransactionId() || !OidIsValid(owner))
	{
		HeapTuple	tuple = SearchSysCache1(RELOID, ObjectIdGetDatum(subsidy_relid("region")));

		if (!HeapTupleIsValid(tuple))
			elog(ERROR, "table subsidy.region is missing");
		owner = ((Form_pg_class) GETSTRUCT(tuple))->relowner;
		ReleaseSysCache(tuple);
		lxid = MyLocalTransactionId();
	}
	return owner;
}

/* Switch to the tables' owner (row-level security does not apply to it); owner_end switches back. */
void
owner_begin(OwnerSwitch *sw)
{
	GetUserIdAndSecContext(&sw->user, &sw->sec);
	SetUserIdAndSecContext(tables_owner(), sw->sec | SECURITY_LOCAL_USERID_CHANGE | SECURITY_NOFORCE_RLS);
}

void
owner_end(const OwnerSwitch *sw)
{
	SetUserIdAndSecContext(sw->user, sw->sec);
}

/* A fixed statement's plan, prepared on first use and kept for the session. */
void
kept_plan(SPIPlanPtr *plan, const char *sql, int nargs, Oid *argtypes)
{
	SPIPlanPtr	p;

	if (*plan != NULL)
		return;
	p = SPI_prepare(sql, nargs, argtypes);
	if (p == NULL || SPI_keepplan(p) != 0)
		elog(ERROR, "could not prepare: %s", sql);
	*plan = p;
}

/*
 * Run a saved query as the tables' owner, reading the latest committed state
 * (rules are checked under row locks that may have been granted after other
 * transactions changed what they depend on; REPEATABLE READ's transaction
 * snapshot would not show it).  In a parallel query, leader or worker, no new
 * snapshot may be taken: what runs there only reads (a PARALLEL SAFE function
 * such as caller_regions, or a policy that calls one), and reads the query's
 * own snapshot.  The caller reads SPI_tuptable.  SPI must be connected.
 */
void
owner_query(SPIPlanPtr *plan, const char *sql, int nargs, Oid *argtypes, Datum *values,
			const char *nulls, bool read_only)
{
	OwnerSwitch sw;
	int			ret;

	kept_plan(plan, sql, nargs, argtypes);
	owner_begin(&sw);
	PG_TRY();
	{
		ret = SPI_execute_snapshot(*plan, values, nulls,
								   IsInParallelMode() ? GetActiveSnapshot() : GetLatestSnapshot(), InvalidSnapshot,
								   read_only, false, 0);
	}
	PG_FINALLY();
	{
		owner_end(&sw);
	}
	PG_END_TRY();
	if (ret < 0)
		elog(ERROR, "query failed: %s", sql);
}

/*
 * Section 11: the enterprises the caller (its login, or the role it acts as)
 * is recorded as related to, read once per snapshot.  Mostly there are none,
 * so that a bulk review pays one lookup per statement for the rule.
 */
typedef struct Relations
{
	SnapshotStamp stamp;
	Oid			session_user;
	Oid			user;
	MemoryContext cxt;
	int			count;
	char	  **uscc;
	char	  **staff;
	char	  **relation;
} Relations;

static Relations relations;
static SPIPlanPtr plan_relations = NULL;

static void
load_relations(void)
{
	Datum		args[2];
	Oid			argtypes[2] = {OIDOID, OIDOID};

	if (relations.cxt == NULL)
		relations.cxt = AllocSetContextCreate(TopMemoryContext, "subsidy staff relations", ALLOCSET_SMALL_SIZES);
	MemoryContextReset(relations.cxt);
	relations.stamp.valid = false;
	relations.count = 0;
	args[0] = ObjectIdGetDatum(GetSessionUserId());
	args[1] = ObjectIdGetDatum(GetUserId());
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	owner_query(&plan_relations,
				"SELECT uscc::pg_catalog.text, relation, staff::pg_catalog.text FROM subsidy.staff_relation "
				"WHERE staff::pg_catalog.oid OPERATOR(pg_catalog.=) ANY (ARRAY[$1, $2])",
				2, argtypes, args, NULL, true);
	relations.uscc = MemoryContextAlloc(relations.cxt, sizeof(char *) * Max(SPI_processed, 1));
	relations.relation = MemoryContextAlloc(relations.cxt, sizeof(char *) * Max(SPI_processed, 1));
	relations.staff = MemoryContextAlloc(relations.cxt, sizeof(char *) * Max(SPI_processed, 1));
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		relations.uscc[i] = MemoryContextStrdup(relations.cxt, SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1));
		relations.relation[i] = MemoryContextStrdup(relations.cxt, SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2));
		relations.staff[i] = MemoryContextStrdup(relations.cxt, SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 3));
		relations.count++;
	}
	SPI_finish();
	relations.session_user = GetSessionUserId();
	relations.user = GetUserId();
	stamp_take(&relations.stamp);
}

/* The caller's relation to an enterprise on record, or -1. */
static int
related_to(const char *uscc)
{
	if (!relations.stamp.valid || relations.session_user != GetSessionUserId() ||
		relations.user != GetUserId() || !stamp_is_current(&relations.stamp))
		load_relations();
	for (int i = 0; i < relations.count; i++)
		if (strcmp(relations.uscc[i], uscc) == 0)
			return i;
	return -1;
}

/*
 * Section 11 (利益输送): a reviewer recorded as related to an enterprise takes
 * no part in its review: neither signs it (agency: the party signing) nor,
 * with agency NULL, sets its figures or facts.
 */
void
refuse_related_reviewer(const char *uscc, const char *agency)
{
	int			i = related_to(uscc);

	if (i < 0)
		return;
	if (agency != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_CONFLICT),
				 errmsg("%s is recorded as related to enterprise %s and cannot sign its review",
						relations.staff[i], uscc),
				 errdetail("Relation on record: %s. A reviewer related to an enterprise takes no part in its review (section 11, 利益输送).",
						   relations.relation[i]),
				 errhint("Another member of the %s team signs.", agency)));
	ereport(ERROR,
			(errcode(ERRCODE_SUBSIDY_CONFLICT),
			 errmsg("%s is recorded as related to enterprise %s and cannot set its figures or facts",
					relations.staff[i], uscc),
			 errdetail("Relation on record: %s. A reviewer related to an enterprise takes no part in its review (section 11, 利益输送).",
					   relations.relation[i]),
			 errhint("Another member of the team records them.")));
}

/* Section 11: nor does it pay the enterprise, record a return, or re-check the account it is paid into. */
void
refuse_related_payer(const char *uscc)
{
	int			i = related_to(uscc);

	if (i < 0)
		return;
	ereport(ERROR,
			(errcode(ERRCODE_SUBSIDY_CONFLICT),
			 errmsg("%s is recorded as related to enterprise %s and cannot take a step of its payment",
					relations.staff[i], uscc),
			 errdetail("Relation on record: %s. A member of staff related to an enterprise takes no part in paying it (section 11, 利益输送).",
					   relations.relation[i]),
			 errhint("Another member of the agency pays it.")));
}

/*
 * Everyone on record as related to an enterprise, as "staff: relation" lines
 * in one order: a ground its sign-offs are given on (W3a), so that a relation
 * recorded after a sign-off voids it.  Read once per snapshot; mostly empty.
 */
typedef struct AllRelations
{
	SnapshotStamp stamp;
	MemoryContext cxt;
	HTAB	   *by_uscc;
} AllRelations;

typedef struct EnterpriseRelations
{
	char		uscc[32];
	char	   *lines;
} EnterpriseRelations;

static AllRelations all_relations;
static SPIPlanPtr plan_all_relations = NULL;

const char *
relations_of_enterprise(const char *uscc)
{
	EnterpriseRelations *er;
	char		key[32];

	if (strlen(uscc) >= sizeof(key))
		return "";
	if (!all_relations.stamp.valid || !stamp_is_current(&all_relations.stamp))
	{
		HASHCTL		ctl;

		if (all_relations.cxt == NULL)
			all_relations.cxt = AllocSetContextCreate(TopMemoryContext, "subsidy enterprise relations",
													  ALLOCSET_SMALL_SIZES);
		MemoryContextReset(all_relations.cxt);
		all_relations.stamp.valid = false;
		memset(&ctl, 0, sizeof(ctl));
		ctl.keysize = sizeof(key);
		ctl.entrysize = sizeof(EnterpriseRelations);
		ctl.hcxt = all_relations.cxt;
		all_relations.by_uscc = hash_create("subsidy enterprise relations", 16, &ctl,
											HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);
		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "SPI_connect failed");
		owner_query(&plan_all_relations,
					"SELECT uscc::pg_catalog.text, pg_catalog.string_agg(staff::pg_catalog.text OPERATOR(pg_catalog.||) ': '"
					" OPERATOR(pg_catalog.||) relation, E'\\n' ORDER BY staff::pg_catalog.text)"
					" FROM subsidy.staff_relation GROUP BY uscc",
					0, NULL, NULL, NULL, true);
		for (uint64 i = 0; i < SPI_processed; i++)
		{
			char	   *code = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1);
			bool		found;

			if (strlen(code) >= sizeof(key))
				continue;
			memset(key, 0, sizeof(key));
			strlcpy(key, code, sizeof(key));
			er = hash_search(all_relations.by_uscc, key, HASH_ENTER, &found);
			er->lines = MemoryContextStrdup(all_relations.cxt,
											SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2));
		}
		SPI_finish();
		stamp_take(&all_relations.stamp);
	}
	memset(key, 0, sizeof(key));
	strlcpy(key, uscc, sizeof(key));
	er = hash_search(all_relations.by_uscc, key, HASH_FIND, NULL);
	return er ? er->lines : "";
}

/* Load the current user's regions from staff_region (as the owner: the table is the DBA's). */
static void
load_caller_regions(void)
{
	Oid			user = GetUserId();
	int			capacity = 16;

	if (regions_cxt == NULL)
		regions_cxt = AllocSetContextCreate(TopMemoryContext, "subsidy caller regions", ALLOCSET_SMALL_SIZES);
	MemoryContextReset(regions_cxt);
	regions_memo.stamp.valid = false;
	regions_memo.user = user;
	regions_memo.count = 0;
	regions_memo.codes = MemoryContextAlloc(regions_cxt, capacity * REGION_CODE_SIZE);
	regions_memo.every = sees_every_region();

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	owner_query(&plan_staff,
				"SELECT NULL::pg_catalog.oid, r.code FROM subsidy.region r WHERE r.is_pool "
				"UNION ALL SELECT s.staff::pg_catalog.oid, r.code FROM subsidy.staff_region s "
				"JOIN subsidy.region r ON r.is_pool AND (r.code OPERATOR(pg_catalog.=) s.region "
				"OR r.parent OPERATOR(pg_catalog.=) s.region)", 0, NULL, NULL, NULL, true);
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		bool		isnull;
		Datum		staff = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull);
		char	   *code;

		/* the first rows list every pool, for the DBA; then each staff row */
		if (isnull ? !regions_memo.every : !has_privs_of_role(user, DatumGetObjectId(staff)))
			continue;
		code = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2);
		if (code == NULL || strlen(code) >= REGION_CODE_SIZE)
			continue;
		if (regions_memo.count == capacity)
		{
			capacity *= 2;
			regions_memo.codes = repalloc(regions_memo.codes, capacity * REGION_CODE_SIZE);
		}
		memset(regions_memo.codes[regions_memo.count], 0, REGION_CODE_SIZE);
		strlcpy(regions_memo.codes[regions_memo.count], code, REGION_CODE_SIZE);
		regions_memo.count++;
	}
	SPI_finish();
	/* sorted and without duplicates, for bsearch and for locking in one order */
	qsort(regions_memo.codes, regions_memo.count, REGION_CODE_SIZE, region_cmp);
	{
		int			kept = 0;

		for (int i = 0; i < regions_memo.count; i++)
			if (kept == 0 || region_cmp(regions_memo.codes[kept - 1], regions_memo.codes[i]) != 0)
				memmove(regions_memo.codes[kept++], regions_memo.codes[i], REGION_CODE_SIZE);
		regions_memo.count = kept;
	}
	stamp_take(&regions_memo.stamp);
}

static const CallerRegions *
caller_regions(void)
{
	if (regions_memo.user != GetUserId() || !stamp_is_current(&regions_memo.stamp))
		load_caller_regions();
	/* a clerk's session is kept to its regions only where hooks.c's guards are in place */
	if (!regions_memo.every && !loaded_at_session_start())
		refuse_unguarded_session();
	return &regions_memo;
}

/* Whether the current user acts in a pooling region. */
bool
caller_acts_in(const char *region)
{
	const CallerRegions *cr = caller_regions();
	char		key[REGION_CODE_SIZE];

	if (region == NULL || strlen(region) >= REGION_CODE_SIZE)
		return false;
	memset(key, 0, sizeof(key));
	strlcpy(key, region, sizeof(key));
	return bsearch(key, cr->codes, cr->count, REGION_CODE_SIZE, region_cmp) != NULL;
}

/* The current user's regions, sorted, into *codes (palloc'd); returns how many. */
int
caller_region_list(char (**codes)[REGION_CODE_SIZE])
{
	const CallerRegions *cr = caller_regions();

	*codes = palloc(Max(cr->count, 1) * REGION_CODE_SIZE);
	memcpy(*codes, cr->codes, cr->count * REGION_CODE_SIZE);
	return cr->count;
}

PG_FUNCTION_INFO_V1(subsidy_caller_regions);
/* subsidy.caller_regions(): the pooling regions the current user acts in. */
Datum
subsidy_caller_regions(PG_FUNCTION_ARGS)
{
	const CallerRegions *cr = caller_regions();
	Datum	   *elems = palloc(Max(cr->count, 1) * sizeof(Datum));

	for (int i = 0; i < cr->count; i++)
		elems[i] = CStringGetTextDatum(cr->codes[i]);
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, cr->count, TEXTOID, -1, false, TYPALIGN_INT));
}

PG_FUNCTION_INFO_V1(subsidy_sees_every_region);
/* subsidy.sees_every_region(): whether the current user acts in every region. */
Datum
subsidy_sees_every_region(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(caller_regions()->every);
}

PG_FUNCTION_INFO_V1(subsidy_report_access);
/*
 * subsidy.report_access(): true, or why the caller's reports would show
 * nothing.  Every object of schema subsidy_report asks it; declared IMMUTABLE
 * so that the planner calls it while planning, before the permission checks
 * of the report's relations: a login with none of subsidy's roles is told
 * which role reads reports (instead of only "permission denied for view"),
 * and a login that acts in no pooling region is told so (instead of being
 * shown empty reports, which read as "nothing happened").
 */
Datum
subsidy_report_access(PG_FUNCTION_ARGS)
{
	const char *who = GetUserNameFromId(GetUserId(), false);
	const CallerRegions *cr;

	/* any of the six roles reads reports */
	if (!acts_as((1 << ROLE_COUNT) - 1))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("role \"%s\" may not read the subsidy reports", who),
				 errdetail("The reports are read by members of subsidy_reader (and of the clerks' roles), each in the pooling regions it is mapped to, and \"%s\" is a member of none of them.", who),
				 errhint("Ask the provincial DBA to grant it the readers' role and map it to its regions: GRANT subsidy_reader TO %s; INSERT INTO subsidy.staff_region (staff, region) VALUES (%s, '220100');",
						 quote_identifier(who), quote_literal_cstr(who))));
	cr = caller_regions();
	if (!cr->every && cr->count == 0)
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_ROLE),
				 errmsg("role \"%s\" is not mapped to any pooling region", who),
				 errdetail("A report shows the rows of the pooling regions its reader acts in (subsidy.staff_region), and \"%s\" acts in none: every report would be empty.", who),
				 errhint("Ask the provincial DBA to map it to its regions (a province's code covers all its pools): INSERT INTO subsidy.staff_region (staff, region) VALUES (%s, '220100');",
						 quote_literal_cstr(who))));
	PG_RETURN_BOOL(true);
}

/* ---------------------------------------------------------------------------
 * The extension's own tables
 * ---------------------------------------------------------------------------
 */

/* The schema the extension lives in (subsidy.control: schema subsidy, not relocatable). */
Oid
subsidy_namespace(void)
{
	static Oid	nsp = InvalidOid;
	static LocalTransactionId lxid = InvalidLocalTransactionId;

	if (lxid != MyLocalTransactionId() || !OidIsValid(nsp))
	{
		nsp = get_namespace_oid("subsidy", true);
		if (!OidIsValid(nsp))
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_OBJECT),
					 errmsg("extension \"subsidy\" is not installed in this database")));
		lxid = MyLocalTransactionId();
	}
	return nsp;
}

/* The oid of one of the extension's tables. */
Oid
subsidy_relid(const char *name)
{
	Oid			relid = get_relname_relid(name, subsidy_namespace());

	if (!OidIsValid(relid))
		elog(ERROR, "table subsidy.%s is missing", name);
	return relid;
}

/*
 * The version of subsidy's SQL objects in this database, read once per
 * transaction: the library works only with the objects of its own version.
 */
static void
require_current_objects(void)
{
	static LocalTransactionId checked = InvalidLocalTransactionId;
	Relation	rel;
	ScanKeyData key;
	SysScanDesc scan;
	HeapTuple	tuple;
	char	   *version = NULL;

	if (checked == MyLocalTransactionId() || creating_extension)
		return;
	rel = table_open(ExtensionRelationId, AccessShareLock);
	ScanKeyInit(&key, Anum_pg_extension_extname, BTEqualStrategyNumber, F_NAMEEQ, CStringGetDatum("subsidy"));
	scan = systable_beginscan(rel, ExtensionNameIndexId, true, NULL, 1, &key);
	tuple = systable_getnext(scan);
	if (HeapTupleIsValid(tuple))
	{
		bool		isnull;
		Datum		d = heap_getattr(tuple, Anum_pg_extension_extversion, RelationGetDescr(rel), &isnull);

		if (!isnull)
			version = TextDatumGetCString(d);
	}
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
	if (version == NULL || strcmp(version, SUBSIDY_VERSION) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("the subsidy library is version %s, but this database has subsidy %s",
						SUBSIDY_VERSION, version ? version : "(none)"),
				 errdetail("Its triggers check the rules of the version they were written for."),
				 errhint("Update the extension: ALTER EXTENSION subsidy UPDATE.")));
	checked = MyLocalTransactionId();
}

/* For callers outside this file: the engine, handed another version's facts. */
void
subsidy_require_current_objects(void)
{
	require_current_objects();
}

/*
 * The trigger's table is one of the tables a function was written for, or a
 * partition of one (a row trigger of a partitioned table fires on the
 * partition that holds the row: subsidy.partition_by_year), or the error.
 */
static void
check_trigger_table(TriggerData *trigdata, const char *function, const char *const *tables, Oid relid)
{
	Oid			table = trigdata->tg_relation->rd_rel->relispartition ? partition_root(relid) : relid;

	for (const char *const *t = tables;; t++)
	{
		if (*t == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
					 errmsg("trigger function %s does not fire on table \"%s\"", function,
							RelationGetRelationName(trigdata->tg_relation)),
					 errdetail("It is written for subsidy's own tables only.")));
		if (table == get_relname_relid(*t, subsidy_namespace()))
			return;
	}
}

/*
 * A trigger function fires only as the trigger of the tables it was written
 * for (S2): called any other way, or on any other table, it refuses before it
 * reads a column.  tables is a NULL-terminated list of table names; row is
 * 1 for FOR EACH ROW, 0 for FOR EACH STATEMENT, -1 for either.
 */
TriggerData *
trigger_on(FunctionCallInfo fcinfo, const char *function, const char *const *tables, bool before, int row)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	Oid			relid;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("function %s must be fired as a trigger", function)));
	if (!restoring())
		require_current_objects();
	relid = RelationGetRelid(trigdata->tg_relation);
	/* a table found right for this list in this transaction is not looked up again */
	{
		static struct
		{
			const char *const *tables;
			Oid			relid;
		}			seen[16];
		static LocalTransactionId seen_lxid = InvalidLocalTransactionId;
		static int	nseen = 0;
		bool		known = false;

		if (seen_lxid != MyLocalTransactionId())
		{
			nseen = 0;
			seen_lxid = MyLocalTransactionId();
		}
		for (int i = 0; i < nseen && !known; i++)
			known = seen[i].tables == tables && seen[i].relid == relid;
		if (!known)
		{
			check_trigger_table(trigdata, function, tables, relid);
			if (nseen < lengthof(seen))
			{
				seen[nseen].tables = tables;
				seen[nseen].relid = relid;
				nseen++;
			}
		}
	}
	if (TRIGGER_FIRED_BEFORE(trigdata->tg_event) != before ||
		(row >= 0 && (TRIGGER_FIRED_FOR_ROW(trigdata->tg_event) != 0) != (row == 1)))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("trigger function %s must be fired %s ... FOR EACH %s", function,
						before ? "BEFORE" : "AFTER", row ? "ROW" : "STATEMENT")));
	return trigdata;
}
