/*
 * audit.c: the audit trail (W9), append-only and chained by hash.
 *
 * Every transition, sign-off and review change appends an entry to
 * subsidy.audit_log.  Entries form one chain per pooling region: an entry's
 * hash is SHA-256 over the previous entry's hash and its own contents, so an
 * entry altered, removed or inserted out of turn breaks the chain, and
 * verify_audit() names where.  Regions chain separately so that clerks of
 * different regions never wait for one another; within a region, appends
 * are serialised by a transaction-scoped advisory lock, taken once per
 * transaction, after which the chain's tail is kept in memory.
 *
 * Only this file writes the log, as the table's owner; the log's own trigger
 * refuses every other insert, and every update, delete and truncate, for
 * every role.  A superuser can still disable triggers: the chain is what
 * makes that visible, and audit_head() gives the hashes to keep elsewhere.
 */
#include "subsidy.h"

#include "access/htup_details.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/executor.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "port/pg_bswap.h"
#include "storage/lmgr.h"
#include "storage/proc.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"

/* SHA-256: pg_cryptohash from 14, with a digest length argument from 15. */
#if PG_VERSION_NUM >= 140000
#include "common/cryptohash.h"
#include "common/sha2.h"
#if PG_VERSION_NUM >= 150000
#define cryptohash_final(ctx, dest) pg_cryptohash_final((ctx), (dest), PG_SHA256_DIGEST_LENGTH)
#else
#define cryptohash_final(ctx, dest) pg_cryptohash_final((ctx), (dest))
#endif
#else
#include "common/sha2.h"
#endif

#if PG_VERSION_NUM >= 170000
#define MyLocalTransactionId() (MyProc->vxid.lxid)
#else
#define MyLocalTransactionId() (MyProc->lxid)
#endif

#define AUDIT_HASH_LENGTH 32
#define AUDIT_LOCK_KEY 0x53554253	/* "SUBS": the advisory lock class of audit chains */

/* Set while this file inserts into the log: the log's trigger lets only that through. */
static bool audit_appending = false;

/* The tail of a region's chain, valid while this transaction holds its lock. */
typedef struct ChainTail
{
	char		region[REGION_CODE_SIZE];
	int64		seq;
	uint8		hash[AUDIT_HASH_LENGTH];
} ChainTail;

static HTAB *chain_tails = NULL;
static uint32 chain_lxid = 0;
static uint64 chain_generation = 0;
static SPIPlanPtr insert_plan = NULL;
static SPIPlanPtr tail_plan = NULL;

/* SHA-256 of the pieces an entry is hashed from. */
typedef struct Sha256
{
#if PG_VERSION_NUM >= 140000
	pg_cryptohash_ctx *ctx;
#else
	pg_sha256_ctx ctx;
#endif
} Sha256;

static void
sha_begin(Sha256 *s)
{
#if PG_VERSION_NUM >= 140000
	s->ctx = pg_cryptohash_create(PG_SHA256);
	if (s->ctx == NULL || pg_cryptohash_init(s->ctx) < 0)
		elog(ERROR, "could not start a SHA-256 digest");
#else
	pg_sha256_init(&s->ctx);
#endif
}

static void
sha_bytes(Sha256 *s, const void *data, size_t len)
{
#if PG_VERSION_NUM >= 140000
	if (pg_cryptohash_update(s->ctx, data, len) < 0)
		elog(ERROR, "could not update a SHA-256 digest");
#else
	pg_sha256_update(&s->ctx, data, len);
#endif
}

static void
sha_end(Sha256 *s, uint8 *digest)
{
#if PG_VERSION_NUM >= 140000
	if (cryptohash_final(s->ctx, digest) < 0)
		elog(ERROR, "could not finish a SHA-256 digest");
	pg_cryptohash_free(s->ctx);
#else
	pg_sha256_final(&s->ctx, digest);
#endif
}

/* A text field: its length (or all ones for NULL) then its bytes, so no two entries hash alike. */
static void
sha_text(Sha256 *s, const char *text)
{
	uint32		len = text ? pg_hton32((uint32) strlen(text)) : PG_UINT32_MAX;

	sha_bytes(s, &len, sizeof(len));
	if (text)
		sha_bytes(s, text, strlen(text));
}

static void
sha_int64(Sha256 *s, int64 value)
{
	uint64		be = pg_hton64((uint64) value);

	sha_bytes(s, &be, sizeof(be));
}

/* The hash of an entry: over the previous hash and every field, in a fixed order. */
static void
entry_hash(const uint8 *prev, const char *region, int64 seq, TimestampTz at, const char *actor,
		   const char *role, int64 application_id, const AuditEntry *e, uint8 *digest)
{
	Sha256		s;

	sha_begin(&s);
	sha_bytes(&s, prev, AUDIT_HASH_LENGTH);
	sha_text(&s, region);
	sha_int64(&s, seq);
	sha_int64(&s, at);
	sha_text(&s, actor);
	sha_text(&s, role);
	sha_int64(&s, application_id);
	sha_text(&s, e->uscc);
	sha_text(&s, e->action);
	sha_text(&s, e->from_stage);
	sha_text(&s, e->to_stage);
	sha_text(&s, e->detail);
	sha_text(&s, e->figures);
	sha_end(&s, digest);
}

/* An entry as stored, read from a row of subsidy.audit_log (columns in table order). */
typedef struct StoredEntry
{
	char	   *region;
	int64		seq;
	TimestampTz at;
	char	   *actor;
	char	   *role;
	int64		application_id;
	AuditEntry	e;
	bytea	   *prev_hash;
	bytea	   *hash;
} StoredEntry;

static char *
column_text(HeapTuple tuple, TupleDesc desc, int attno)
{
	bool		isnull;
	Datum		d = heap_getattr(tuple, attno, desc, &isnull);

	/* text and json share their stored form */
	return isnull ? NULL : TextDatumGetCString(d);
}

static void
entry_from_tuple(HeapTuple tuple, TupleDesc desc, StoredEntry *s)
{
	bool		isnull;
	Datum		d;

	s->region = column_text(tuple, desc, 1);
	s->seq = DatumGetInt64(heap_getattr(tuple, 2, desc, &isnull));
	s->at = DatumGetTimestampTz(heap_getattr(tuple, 3, desc, &isnull));
	s->actor = column_text(tuple, desc, 4);
	s->role = column_text(tuple, desc, 5);
	d = heap_getattr(tuple, 6, desc, &isnull);
	s->application_id = isnull ? 0 : DatumGetInt64(d);
	s->e.uscc = column_text(tuple, desc, 7);
	s->e.action = column_text(tuple, desc, 8);
	s->e.from_stage = column_text(tuple, desc, 9);
	s->e.to_stage = column_text(tuple, desc, 10);
	s->e.detail = column_text(tuple, desc, 11);
	s->e.figures = column_text(tuple, desc, 12);
	s->prev_hash = DatumGetByteaPP(heap_getattr(tuple, 13, desc, &isnull));
	s->hash = DatumGetByteaPP(heap_getattr(tuple, 14, desc, &isnull));
}

/* Whether a stored entry's hash is the hash of its previous hash and contents. */
static bool
entry_holds(const StoredEntry *s)
{
	uint8		digest[AUDIT_HASH_LENGTH];

	if (VARSIZE_ANY_EXHDR(s->prev_hash) != AUDIT_HASH_LENGTH ||
		VARSIZE_ANY_EXHDR(s->hash) != AUDIT_HASH_LENGTH)
		return false;
	entry_hash((const uint8 *) VARDATA_ANY(s->prev_hash), s->region, s->seq, s->at, s->actor, s->role,
			   s->application_id, &s->e, digest);
	return memcmp(VARDATA_ANY(s->hash), digest, AUDIT_HASH_LENGTH) == 0;
}

/* The log as this transaction found it: its oid and its owner. */
typedef struct LogTable
{
	Oid			relid;
	Oid			owner;
} LogTable;

static LogTable log_table;
static uint32 log_table_lxid = 0;

#define AUDIT_COLUMNS 14
static const struct
{
	const char *name;
	Oid			type;
}			audit_columns[AUDIT_COLUMNS] =
{
	{"region", TEXTOID}, {"seq", INT8OID}, {"at", TIMESTAMPTZOID}, {"actor", TEXTOID},
	{"acting_role", TEXTOID}, {"application_id", INT8OID}, {"uscc", TEXTOID}, {"action", TEXTOID},
	{"from_stage", TEXTOID}, {"to_stage", TEXTOID}, {"detail", TEXTOID}, {"figures", JSONOID},
	{"prev_hash", BYTEAOID}, {"hash", BYTEAOID}
};

/*
 * Whether entries may go straight into the heap and its indexes: only when the
 * table is as shipped (its columns; no check constraint, default or other
 * trigger to honour).  A DBA who adds a trigger or a column gets the plain
 * INSERT, which honours them, at its cost.
 */
static bool
log_fits_direct_path(Relation rel)
{
	TupleDesc	desc = RelationGetDescr(rel);

	if (rel->rd_rel->relkind != RELKIND_RELATION || desc->natts != AUDIT_COLUMNS)
		return false;
	for (int i = 0; i < AUDIT_COLUMNS; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);

		if (att->attisdropped || att->atttypid != audit_columns[i].type ||
			strcmp(NameStr(att->attname), audit_columns[i].name) != 0)
			return false;
	}
	if (desc->constr && (desc->constr->num_check > 0 || desc->constr->num_defval > 0 ||
						 desc->constr->has_generated_stored))
		return false;
	if (rel->trigdesc)
		for (int i = 0; i < rel->trigdesc->numtriggers; i++)
		{
			const char *name = rel->trigdesc->triggers[i].tgname;

			if (strcmp(name, "audit_log_guard") != 0 && strcmp(name, "audit_log_no_truncate") != 0)
				return false;
		}
	return true;
}

static const LogTable *
audit_table(void)
{
	if (log_table_lxid != MyLocalTransactionId() || !OidIsValid(log_table.relid))
	{
		Oid			nsp = get_namespace_oid("subsidy", false);
		Relation	rel;

		log_table.relid = get_relname_relid("audit_log", nsp);
		if (!OidIsValid(log_table.relid))
			elog(ERROR, "subsidy.audit_log is missing");
		rel = table_open(log_table.relid, RowExclusiveLock);
		log_table.owner = rel->rd_rel->relowner;
		table_close(rel, NoLock);
		log_table_lxid = MyLocalTransactionId();
	}
	return &log_table;
}

/*
 * Insert one entry into the heap and each index, as COPY does, without
 * planning and starting an executor per row: a bulk transition appends one
 * entry per application, and this keeps the guard's cost near the UPDATE's.
 */
static void
insert_direct(Relation rel, Datum *values, bool *nulls)
{
	EState	   *estate = CreateExecutorState();
	ResultRelInfo *rri = makeNode(ResultRelInfo);
	TupleTableSlot *slot;
	List	   *conflicts = NIL;

	InitResultRelInfo(rri, rel, 1, NULL, 0);
#if PG_VERSION_NUM < 140000
	estate->es_result_relations = rri;
	estate->es_num_result_relations = 1;
	estate->es_result_relation_info = rri;
#endif
	ExecOpenIndices(rri, false);
	slot = ExecInitExtraTupleSlot(estate, RelationGetDescr(rel), table_slot_callbacks(rel));
	ExecClearTuple(slot);
	memcpy(slot->tts_values, values, AUDIT_COLUMNS * sizeof(Datum));
	memcpy(slot->tts_isnull, nulls, AUDIT_COLUMNS * sizeof(bool));
	ExecStoreVirtualTuple(slot);
	table_tuple_insert(rel, slot, GetCurrentCommandId(true), 0, NULL);
	if (rri->ri_NumIndices > 0)
#if PG_VERSION_NUM >= 160000
		conflicts = ExecInsertIndexTuples(rri, slot, estate, false, false, NULL, NIL, false);
#elif PG_VERSION_NUM >= 140000
		conflicts = ExecInsertIndexTuples(rri, slot, estate, false, false, NULL, NIL);
#else
		conflicts = ExecInsertIndexTuples(slot, estate, false, NULL, NIL);
#endif
	list_free(conflicts);
	ExecCloseIndices(rri);
	ExecResetTupleTable(estate->es_tupleTable, false);
	FreeExecutorState(estate);
}

/*
 * Lock a region's chain until the end of the transaction (a region code
 * zero-padded to REGION_CODE_SIZE).  Appends to one chain take turns; the
 * entry points take this lock before any row lock, so that a step on one
 * application and a step over a whole region take their locks in the same
 * order and cannot deadlock.
 */
static void
lock_chain(const char *key)
{
	LOCKTAG		tag;

	SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, AUDIT_LOCK_KEY,
						 hash_bytes((const unsigned char *) key, strlen(key)), 2);
	(void) LockAcquire(&tag, ExclusiveLock, false, false);
}

PG_FUNCTION_INFO_V1(audit_chain_lock);
/* subsidy.lock_audit_chain(region): lock_chain for SQL. */
Datum
audit_chain_lock(PG_FUNCTION_ARGS)
{
	text	   *region = PG_GETARG_TEXT_PP(0);
	char		key[REGION_CODE_SIZE];

	if (VARSIZE_ANY_EXHDR(region) >= REGION_CODE_SIZE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("\"%s\" is not a region code", text_to_cstring(region))));
	memset(key, 0, sizeof(key));
	memcpy(key, VARDATA_ANY(region), VARSIZE_ANY_EXHDR(region));
	lock_chain(key);
	PG_RETURN_VOID();
}

/* The tail of a region's chain, locking the chain for this transaction on first use. */
static ChainTail *
chain_tail(const char *region)
{
	ChainTail  *tail;
	bool		found;
	char		key[REGION_CODE_SIZE];

	if (chain_tails == NULL || chain_lxid != MyLocalTransactionId() ||
		chain_generation != stamp_current_generation())
	{
		HASHCTL		ctl;

		if (chain_tails)
			hash_destroy(chain_tails);
		memset(&ctl, 0, sizeof(ctl));
		ctl.keysize = REGION_CODE_SIZE;
		ctl.entrysize = sizeof(ChainTail);
		ctl.hcxt = TopMemoryContext;
		chain_tails = hash_create("subsidy audit chains", 16, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
		chain_lxid = MyLocalTransactionId();
		chain_generation = stamp_current_generation();
	}
	memset(key, 0, sizeof(key));
	strlcpy(key, region, sizeof(key));
	tail = hash_search(chain_tails, key, HASH_ENTER, &found);
	if (!found)
	{
		Datum		arg = CStringGetTextDatum(region);
		int			ret;

		lock_chain(key);

		if (tail_plan == NULL)
		{
			Oid			argtypes[1] = {TEXTOID};

			tail_plan = SPI_prepare("SELECT seq, hash FROM subsidy.audit_log WHERE region OPERATOR(pg_catalog.=) $1 "
									"ORDER BY seq DESC LIMIT 1", 1, argtypes);
			if (tail_plan == NULL || SPI_keepplan(tail_plan) != 0)
				elog(ERROR, "could not prepare the audit tail query");
		}
		/*
		 * Read the tail as it is now, not as the statement's snapshot saw it:
		 * we may have waited for the lock while another transaction appended
		 * and committed (in any isolation level).  read_only = false bumps the
		 * command id, so entries this transaction appended earlier in the same
		 * command are seen too (after a rolled-back subtransaction reset us).
		 */
		ret = SPI_execute_snapshot(tail_plan, &arg, NULL, GetLatestSnapshot(), InvalidSnapshot,
								   false, false, 1);
		if (ret != SPI_OK_SELECT)
			elog(ERROR, "could not read the tail of the audit chain");
		tail->seq = 0;
		memset(tail->hash, 0, AUDIT_HASH_LENGTH);
		if (SPI_processed == 1)
		{
			bool		isnull;
			bytea	   *hash;

			tail->seq = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
			hash = DatumGetByteaPP(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull));
			if (VARSIZE_ANY_EXHDR(hash) == AUDIT_HASH_LENGTH)
				memcpy(tail->hash, VARDATA_ANY(hash), AUDIT_HASH_LENGTH);
		}
	}
	return tail;
}

static Datum
bytea_of(const uint8 *bytes, int len)
{
	bytea	   *b = palloc(VARHDRSZ + len);

	SET_VARSIZE(b, VARHDRSZ + len);
	memcpy(VARDATA(b), bytes, len);
	return PointerGetDatum(b);
}

/*
 * Append one entry to the region's chain.  Runs as the log's owner, so that
 * no role needs (or has) the right to insert into the log itself.
 */
void
audit_append(const char *region, int64 application_id, const AuditEntry *e)
{
	Oid			save_userid;
	int			save_sec;
	const LogTable *log = audit_table();
	char	   *actor = GetUserNameFromId(GetSessionUserId(), false);
	char	   *role = GetUserNameFromId(GetUserId(), false);
	TimestampTz at = GetCurrentStatementStartTimestamp();

	GetUserIdAndSecContext(&save_userid, &save_sec);
	SetUserIdAndSecContext(log->owner, save_sec | SECURITY_LOCAL_USERID_CHANGE | SECURITY_NOFORCE_RLS);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	PG_TRY();
	{
		ChainTail  *tail = chain_tail(region);
		uint8		hash[AUDIT_HASH_LENGTH];
		Datum		values[AUDIT_COLUMNS];
		bool		nulls[AUDIT_COLUMNS];
		int64		seq = tail->seq + 1;
		Relation	rel;

		entry_hash(tail->hash, region, seq, at, actor, role, application_id, e, hash);

		memset(nulls, false, sizeof(nulls));
		values[0] = CStringGetTextDatum(region);
		values[1] = Int64GetDatum(seq);
		values[2] = TimestampTzGetDatum(at);
		values[3] = CStringGetTextDatum(actor);
		values[4] = CStringGetTextDatum(role);
		values[5] = Int64GetDatum(application_id);
		nulls[5] = application_id == 0;
		/* json is stored as its text; the figures are built as valid JSON */
#define TEXT_OR_NULL(i, s) (values[i] = (s) ? CStringGetTextDatum(s) : (Datum) 0, nulls[i] = (s) == NULL)
		TEXT_OR_NULL(6, e->uscc);
		TEXT_OR_NULL(7, e->action);
		TEXT_OR_NULL(8, e->from_stage);
		TEXT_OR_NULL(9, e->to_stage);
		TEXT_OR_NULL(10, e->detail);
		TEXT_OR_NULL(11, e->figures);
#undef TEXT_OR_NULL
		values[12] = bytea_of(tail->hash, AUDIT_HASH_LENGTH);
		values[13] = bytea_of(hash, AUDIT_HASH_LENGTH);

		/* checked at each append: a trigger added in this transaction counts at once */
		rel = table_open(log->relid, RowExclusiveLock);
		if (log_fits_direct_path(rel))
			insert_direct(rel, values, nulls);
		else
		{
			char		spi_nulls[AUDIT_COLUMNS];

			if (insert_plan == NULL)
			{
				Oid			argtypes[AUDIT_COLUMNS];

				for (int i = 0; i < AUDIT_COLUMNS; i++)
					argtypes[i] = audit_columns[i].type;
				insert_plan = SPI_prepare("INSERT INTO subsidy.audit_log (region, seq, at, actor, acting_role, "
										  "application_id, uscc, action, from_stage, to_stage, detail, figures, "
										  "prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
										  "$11, $12, $13, $14)", AUDIT_COLUMNS, argtypes);
				if (insert_plan == NULL || SPI_keepplan(insert_plan) != 0)
					elog(ERROR, "could not prepare the audit insert");
			}
			for (int i = 0; i < AUDIT_COLUMNS; i++)
				spi_nulls[i] = nulls[i] ? 'n' : ' ';
			audit_appending = true;
			if (SPI_execute_plan(insert_plan, values, spi_nulls, false, 0) != SPI_OK_INSERT)
				elog(ERROR, "could not append to the audit log");
			audit_appending = false;
		}
		table_close(rel, NoLock);
		tail->seq = seq;
		memcpy(tail->hash, hash, AUDIT_HASH_LENGTH);
	}
	PG_FINALLY();
	{
		audit_appending = false;
	}
	PG_END_TRY();
	SPI_finish();
	SetUserIdAndSecContext(save_userid, save_sec);
}

PG_FUNCTION_INFO_V1(audit_log_guard);
/* Trigger: the log takes appends from audit_append only, and nothing else, from anyone. */
Datum
audit_log_guard(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_BEFORE(trigdata->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("audit_log_guard must be fired BEFORE")));
	if (TRIGGER_FIRED_BY_INSERT(trigdata->tg_event) && TRIGGER_FIRED_FOR_ROW(trigdata->tg_event))
	{
		StoredEntry stored;

		if (audit_appending)
			return PointerGetDatum(trigdata->tg_trigtuple);
		/* a restored dump brings entries as they were: each must still hash to itself */
		if (restoring())
		{
			entry_from_tuple(trigdata->tg_trigtuple, RelationGetDescr(trigdata->tg_relation), &stored);
			if (entry_holds(&stored))
				return PointerGetDatum(trigdata->tg_trigtuple);
			ereport(ERROR,
					(errcode(ERRCODE_SUBSIDY_W9),
					 errmsg("audit entry %lld of region %s does not hash to its contents", (long long) stored.seq, stored.region),
					 errdetail("A restored entry must come back exactly as it was written (W9).")));
		}
	}
	ereport(ERROR,
			(errcode(ERRCODE_SUBSIDY_W9),
			 errmsg("the audit log is append-only: %s is refused",
					TRIGGER_FIRED_BY_INSERT(trigdata->tg_event) ? "an insert by hand" :
					TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) ? "an update" :
					TRIGGER_FIRED_BY_DELETE(trigdata->tg_event) ? "a delete" : "truncate"),
			 errdetail("Entries are written by subsidy's own triggers as applications move, and never changed (W9)."),
			 errhint("To correct a step, make the correcting transition: it is logged in its turn.")));
	PG_RETURN_NULL();
}

/* Set up a set-returning function that fills a tuplestore (InitMaterializedSRF from 15). */
static void
materialized_srf(FunctionCallInfo fcinfo)
{
#if PG_VERSION_NUM >= 150000
	InitMaterializedSRF(fcinfo, 0);
#else
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	MemoryContext old;
	TupleDesc	desc;

	if (rsinfo == NULL || !IsA(rsinfo, ReturnSetInfo) || !(rsinfo->allowedModes & SFRM_Materialize))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("set-valued function called in context that cannot accept a set")));
	old = MemoryContextSwitchTo(rsinfo->econtext->ecxt_per_query_memory);
	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	rsinfo->returnMode = SFRM_Materialize;
	rsinfo->setResult = tuplestore_begin_heap(true, false, work_mem);
	rsinfo->setDesc = CreateTupleDescCopy(desc);
	MemoryContextSwitchTo(old);
#endif
}

/* One problem verify_audit() found. */
static void
report(Tuplestorestate *store, TupleDesc desc, const char *region, int64 seq, int64 application_id,
	   const char *problem)
{
	Datum		values[4];
	bool		nulls[4] = {false, false, application_id == 0, false};

	values[0] = CStringGetTextDatum(region);
	values[1] = Int64GetDatum(seq);
	values[2] = Int64GetDatum(application_id);
	values[3] = CStringGetTextDatum(problem);
	tuplestore_putvalues(store, desc, values, nulls);
}

static char *
text_or_null(HeapTuple tuple, TupleDesc desc, int attno)
{
	bool		isnull;
	Datum		d = SPI_getbinval(tuple, desc, attno, &isnull);

	return isnull ? NULL : TextDatumGetCString(d);
}

PG_FUNCTION_INFO_V1(verify_audit);
/*
 * subsidy.verify_audit(): every break in the chains, and every application
 * whose stage its log does not explain.  No rows: the trail is intact.
 */
Datum
verify_audit(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Tuplestorestate *store;
	TupleDesc	desc;
	Portal		cursor;
	char		region[REGION_CODE_SIZE] = "";
	int64		expected = 0;
	uint8		prev[AUDIT_HASH_LENGTH];

	materialized_srf(fcinfo);
	store = rsinfo->setResult;
	desc = rsinfo->setDesc;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	cursor = SPI_cursor_open_with_args(NULL,
									   "SELECT region, seq, at, actor, acting_role, application_id, uscc, "
									   "action, from_stage, to_stage, detail, figures, prev_hash, hash "
									   "FROM subsidy.audit_log ORDER BY region, seq",
									   0, NULL, NULL, NULL, true, 0);
	for (;;)
	{
		SPI_cursor_fetch(cursor, true, 10000);
		if (SPI_processed == 0)
			break;
		for (uint64 i = 0; i < SPI_processed; i++)
		{
			StoredEntry e;

			entry_from_tuple(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, &e);
			if (strcmp(region, e.region) != 0)
			{
				strlcpy(region, e.region, sizeof(region));
				expected = 1;
				memset(prev, 0, sizeof(prev));
			}
			if (e.seq != expected)
				report(store, desc, e.region, e.seq, e.application_id,
					   e.seq == expected + 1 ?
					   psprintf("entry %lld of the chain is missing", (long long) expected) :
					   e.seq > expected ?
					   psprintf("entries %lld to %lld of the chain are missing",
								(long long) expected, (long long) e.seq - 1) :
					   psprintf("entry %lld appears again", (long long) e.seq));
			if (VARSIZE_ANY_EXHDR(e.prev_hash) != AUDIT_HASH_LENGTH ||
				memcmp(VARDATA_ANY(e.prev_hash), prev, AUDIT_HASH_LENGTH) != 0)
				report(store, desc, e.region, e.seq, e.application_id,
					   "its link to the entry before it does not match that entry's hash");
			if (!entry_holds(&e))
				report(store, desc, e.region, e.seq, e.application_id,
					   "its contents were changed after it was written");
			if (VARSIZE_ANY_EXHDR(e.hash) == AUDIT_HASH_LENGTH)
				memcpy(prev, VARDATA_ANY(e.hash), AUDIT_HASH_LENGTH);
			expected = e.seq + 1;
		}
		SPI_freetuptable(SPI_tuptable);
	}
	SPI_cursor_close(cursor);

	/* Every application past draft: its stage is where its last logged transition took it. */
	if (SPI_execute("SELECT a.region, a.id, a.stage::pg_catalog.text, l.to_stage "
					"FROM subsidy.application a "
					"LEFT JOIN (SELECT DISTINCT ON (application_id) application_id, to_stage "
					"             FROM subsidy.audit_log WHERE action OPERATOR(pg_catalog.=) 'transition' "
					"            ORDER BY application_id, seq DESC) l ON l.application_id OPERATOR(pg_catalog.=) a.id "
					"WHERE a.stage::pg_catalog.text OPERATOR(pg_catalog.<>) 'draft' "
					"AND (l.to_stage OPERATOR(pg_catalog.=) a.stage::pg_catalog.text) IS NOT TRUE "
					"ORDER BY a.region, a.id", true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not compare applications with their log");
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		HeapTuple	t = SPI_tuptable->vals[i];
		TupleDesc	td = SPI_tuptable->tupdesc;
		bool		isnull;
		char	   *logged = text_or_null(t, td, 4);

		report(store, desc, text_or_null(t, td, 1), 0,
			   DatumGetInt64(SPI_getbinval(t, td, 2, &isnull)),
			   logged ? psprintf("the application is %s, but its log last took it to %s",
								 text_or_null(t, td, 3), logged) :
			   psprintf("the application is %s, but its log has no transition", text_or_null(t, td, 3)));
	}
	SPI_finish();
	return (Datum) 0;
}
