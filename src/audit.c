/*
 * audit.c: the audit trail (W9), append-only and chained by hash.
 *
 * Every transition, sign-off and review change appends an entry to
 * subsidy.audit_log.  Entries form one chain per pooling region: an entry's
 * hash is SHA-256 over the previous entry's hash and its own contents, so an
 * entry altered, removed or inserted out of turn breaks the chain, and
 * verify_audit() names where.  Regions chain separately so that clerks of
 * different regions never wait for one another; within a region, writes are
 * serialised by a row lock on the region's row of subsidy.audit_chain, a
 * table no role but its owner can read or lock, taken before any row of the
 * workflow (a statement-level trigger takes those of the caller's regions,
 * in code order), after which the chain's tail is kept in memory.
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

#define AUDIT_HASH_LENGTH 32

/* Set while this file inserts into the log: the log's trigger lets only that through. */
static bool audit_appending = false;

/* Set while begin_restore clears a new database's install baseline (clear_install_baseline). */
static bool audit_clearing = false;

/*
 * The tail of a region's chain, and the counters kept under its lock
 * (chain_counter), valid while this transaction holds the lock.
 */
typedef struct ChainTail
{
	char		region[REGION_CODE_SIZE];
	int64		seq;
	uint8		hash[AUDIT_HASH_LENGTH];
	int64		counters[CHAIN_COUNTERS];
} ChainTail;

static ChainTail *chain_tail_held(const char *region);

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

#if PG_VERSION_NUM >= 140000
static pg_cryptohash_ctx *sha_ctx = NULL;
static LocalTransactionId sha_ctx_lxid = InvalidLocalTransactionId;
static bool sha_callback_registered = false;

static void
sha_xact_callback(XactEvent event, void *arg)
{
	if (sha_ctx == NULL)
		return;
	if (event == XACT_EVENT_PRE_COMMIT || event == XACT_EVENT_PARALLEL_PRE_COMMIT ||
		event == XACT_EVENT_PRE_PREPARE)
	{
		ResourceOwner save = CurrentResourceOwner;

		CurrentResourceOwner = TopTransactionResourceOwner;
		pg_cryptohash_free(sha_ctx);
		CurrentResourceOwner = save;
		sha_ctx = NULL;
	}
	else if (event == XACT_EVENT_ABORT || event == XACT_EVENT_PARALLEL_ABORT)
		sha_ctx = NULL;			/* freed with the transaction's resources */
}
#endif

static void
sha_begin(Sha256 *s)
{
#if PG_VERSION_NUM >= 140000
	/*
	 * One context for the transaction, started again for each digest: making
	 * one per entry costs more than hashing the entry.  It belongs to the top
	 * transaction's resource owner and is freed before commit.
	 */
	if (sha_ctx == NULL || sha_ctx_lxid != MyLocalTransactionId())
	{
		ResourceOwner save = CurrentResourceOwner;

		if (!sha_callback_registered)
		{
			RegisterXactCallback(sha_xact_callback, NULL);
			sha_callback_registered = true;
		}
		CurrentResourceOwner = TopTransactionResourceOwner;
		sha_ctx = pg_cryptohash_create(PG_SHA256);
		CurrentResourceOwner = save;
		if (sha_ctx == NULL)
			elog(ERROR, "could not start a SHA-256 digest");
		sha_ctx_lxid = MyLocalTransactionId();
	}
	s->ctx = sha_ctx;
	if (pg_cryptohash_init(s->ctx) < 0)
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
#else
	pg_sha256_final(&s->ctx, digest);
#endif
}

/* SHA-256 of a buffer, for the other files (trail.c's figures digest). */
void
sha256_buffer(const void *data, size_t len, uint8 *digest)
{
	Sha256		s;

	sha_begin(&s);
	sha_bytes(&s, data, len);
	sha_end(&s, digest);
}

/*
 * A text field: its length (or all ones for NULL) then its bytes, so no two
 * entries hash alike.  The pieces are gathered in one buffer and hashed at
 * once: a digest fed in many small pieces costs more than the entry itself.
 */
static void
buf_text(StringInfo buf, const char *text)
{
	uint32		len = text ? pg_hton32((uint32) strlen(text)) : PG_UINT32_MAX;

	appendBinaryStringInfo(buf, (const char *) &len, sizeof(len));
	if (text)
		appendBinaryStringInfo(buf, text, strlen(text));
}

static void
buf_int64(StringInfo buf, int64 value)
{
	uint64		be = pg_hton64((uint64) value);

	appendBinaryStringInfo(buf, (const char *) &be, sizeof(be));
}

/* The hash of an entry: over the previous hash and every field, in a fixed order. */
static void
entry_hash(const uint8 *prev, const char *region, int64 seq, TimestampTz at, const char *actor,
		   const char *role, int64 application_id, const AuditEntry *e, uint8 *digest)
{
	static StringInfoData buf;
	static bool initialized = false;

	if (!initialized)
	{
		MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);

		initStringInfo(&buf);
		MemoryContextSwitchTo(old);
		initialized = true;
	}
	resetStringInfo(&buf);
	appendBinaryStringInfo(&buf, (const char *) prev, AUDIT_HASH_LENGTH);
	buf_text(&buf, region);
	buf_int64(&buf, seq);
	buf_int64(&buf, at);
	buf_text(&buf, actor);
	buf_text(&buf, role);
	buf_int64(&buf, application_id);
	buf_text(&buf, e->uscc);
	buf_text(&buf, e->action);
	buf_text(&buf, e->from_stage);
	buf_text(&buf, e->to_stage);
	buf_text(&buf, e->detail);
	buf_text(&buf, e->figures);
	/* the row's subject and state, where the entry has them (1.1's entries have neither) */
	if (e->subject != NULL)
	{
		buf_text(&buf, e->subject);
		appendStringInfoChar(&buf, e->state != NULL ? 1 : 0);
		if (e->state != NULL)
			appendBinaryStringInfo(&buf, (const char *) e->state, ROW_STATE_BYTES);
	}
	sha256_buffer(buf.data, buf.len, digest);
	/* a long entry's buffer is not kept */
	if (buf.maxlen > 64 * 1024)
	{
		pfree(buf.data);
		initialized = false;
	}
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
	int			state_len;
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
	s->e.subject = desc->natts >= 15 ? column_text(tuple, desc, 15) : NULL;
	s->e.state = NULL;
	if (desc->natts >= 16)
	{
		d = heap_getattr(tuple, 16, desc, &isnull);
		if (!isnull)
		{
			bytea	   *b = DatumGetByteaPP(d);

			/* a state of another length cannot be one the extension wrote: hashed as given */
			s->e.state = (const uint8 *) VARDATA_ANY(b);
			s->state_len = VARSIZE_ANY_EXHDR(b);
		}
	}
	d = heap_getattr(tuple, 13, desc, &isnull);
	s->prev_hash = isnull ? NULL : DatumGetByteaPP(d);
	d = heap_getattr(tuple, 14, desc, &isnull);
	s->hash = isnull ? NULL : DatumGetByteaPP(d);
	d = heap_getattr(tuple, 2, desc, &isnull);
	s->seq = isnull ? 0 : DatumGetInt64(d);
	d = heap_getattr(tuple, 3, desc, &isnull);
	s->at = isnull ? 0 : DatumGetTimestampTz(d);
}

/* Whether a stored entry's hash is the hash of its previous hash and contents. */
static bool
entry_holds(const StoredEntry *s)
{
	uint8		digest[AUDIT_HASH_LENGTH];

	if (s->prev_hash == NULL || s->hash == NULL || s->region == NULL ||
		(s->e.state != NULL && s->state_len != ROW_STATE_BYTES) ||
		VARSIZE_ANY_EXHDR(s->prev_hash) != AUDIT_HASH_LENGTH ||
		VARSIZE_ANY_EXHDR(s->hash) != AUDIT_HASH_LENGTH)
		return false;
	entry_hash((const uint8 *) VARDATA_ANY(s->prev_hash), s->region, s->seq, s->at, s->actor, s->role,
			   s->application_id, &s->e, digest);
	return memcmp(VARDATA_ANY(s->hash), digest, AUDIT_HASH_LENGTH) == 0;
}

/*
 * One stored entry, for verify.c: its region, position, application and
 * hashes, and whether its hash is the hash of its previous hash and contents.
 * The strings and hashes point into the tuple or into memory allocated in
 * the current context.
 */
bool
audit_entry_read(HeapTuple tuple, TupleDesc desc, AuditEntryRead *r)
{
	StoredEntry s;

	entry_from_tuple(tuple, desc, &s);
	r->region = s.region;
	r->seq = s.seq;
	r->application_id = s.application_id;
	r->prev_hash = (s.prev_hash && VARSIZE_ANY_EXHDR(s.prev_hash) == AUDIT_HASH_LENGTH) ?
		(const uint8 *) VARDATA_ANY(s.prev_hash) : NULL;
	r->hash = (s.hash && VARSIZE_ANY_EXHDR(s.hash) == AUDIT_HASH_LENGTH) ?
		(const uint8 *) VARDATA_ANY(s.hash) : NULL;
	return entry_holds(&s);
}

/* The log as this transaction found it: its oid and its owner. */
typedef struct LogTable
{
	Oid			relid;
	Oid			owner;
} LogTable;

static LogTable log_table;
static uint32 log_table_lxid = 0;

#define AUDIT_COLUMNS 16
static const struct
{
	const char *name;
	Oid			type;
}			audit_columns[AUDIT_COLUMNS] =
{
	{"region", TEXTOID}, {"seq", INT8OID}, {"at", TIMESTAMPTZOID}, {"actor", TEXTOID},
	{"acting_role", TEXTOID}, {"application_id", INT8OID}, {"uscc", TEXTOID}, {"action", TEXTOID},
	{"from_stage", TEXTOID}, {"to_stage", TEXTOID}, {"detail", TEXTOID}, {"figures", JSONOID},
	{"prev_hash", BYTEAOID}, {"hash", BYTEAOID}, {"subject", TEXTOID}, {"state", BYTEAOID}
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
 * Appending straight into the heap and indexes, as COPY does, with the
 * executor state kept for the rest of the statement: a bulk transition logs
 * one entry per row, and building the result relation and its indexes' info
 * for each would cost more than the entry itself.  The state belongs to the
 * top transaction (its resource owner holds the relation and indexes, so a
 * subtransaction's end leaves them open) and is rebuilt when the command
 * counter moves, so that a change of the table earlier in the transaction is
 * seen; it is closed before the transaction commits.
 */
typedef struct LogAppender
{
	LocalTransactionId lxid;
	CommandId	cid;
	Relation	rel;
	EState	   *estate;
	ResultRelInfo *rri;
	TupleTableSlot *slot;
	bool		direct;			/* the table is as shipped: the direct path applies */
} LogAppender;

static LogAppender append_state;

static void
append_state_close(void)
{
	ResourceOwner save = CurrentResourceOwner;

	if (append_state.estate == NULL)
		return;
	CurrentResourceOwner = TopTransactionResourceOwner;
	ExecCloseIndices(append_state.rri);
	ExecResetTupleTable(append_state.estate->es_tupleTable, false);
	table_close(append_state.rel, NoLock);
	CurrentResourceOwner = save;
	FreeExecutorState(append_state.estate);
	append_state.estate = NULL;
}

static void
append_xact_callback(XactEvent event, void *arg)
{
	if (event == XACT_EVENT_PRE_COMMIT || event == XACT_EVENT_PARALLEL_PRE_COMMIT ||
		event == XACT_EVENT_PRE_PREPARE)
		append_state_close();
	else if (event == XACT_EVENT_ABORT || event == XACT_EVENT_PARALLEL_ABORT)
		append_state.estate = NULL; /* its memory and references went with the transaction */
}

/* The state for appending to the log in this command, opened on first use. */
static LogAppender *
append_state_for(Oid relid)
{
	static bool registered = false;
	MemoryContext old;
	ResourceOwner save;

	if (append_state.estate != NULL &&
		(append_state.lxid != MyLocalTransactionId() || append_state.cid != GetCurrentCommandId(false) ||
		 RelationGetRelid(append_state.rel) != relid))
		append_state_close();
	if (append_state.estate != NULL)
		return &append_state;
	if (!registered)
	{
		RegisterXactCallback(append_xact_callback, NULL);
		registered = true;
	}
	old = MemoryContextSwitchTo(TopTransactionContext);
	save = CurrentResourceOwner;
	CurrentResourceOwner = TopTransactionResourceOwner;
	append_state.rel = table_open(relid, RowExclusiveLock);
	append_state.estate = CreateExecutorState();
	append_state.rri = makeNode(ResultRelInfo);
	InitResultRelInfo(append_state.rri, append_state.rel, 1, NULL, 0);
#if PG_VERSION_NUM < 140000
	append_state.estate->es_result_relations = append_state.rri;
	append_state.estate->es_num_result_relations = 1;
	append_state.estate->es_result_relation_info = append_state.rri;
#endif
	ExecOpenIndices(append_state.rri, false);
	append_state.slot = ExecInitExtraTupleSlot(append_state.estate, RelationGetDescr(append_state.rel),
											   table_slot_callbacks(append_state.rel));
	CurrentResourceOwner = save;
	MemoryContextSwitchTo(old);
	append_state.lxid = MyLocalTransactionId();
	append_state.cid = GetCurrentCommandId(false);
	/* checked when the state is built: a trigger added in this transaction counts at once */
	append_state.direct = log_fits_direct_path(append_state.rel);
	return &append_state;
}

static void
insert_direct(LogAppender *as, Datum *values, bool *nulls)
{
	TupleTableSlot *slot = as->slot;
	List	   *conflicts = NIL;

	ExecClearTuple(slot);
	memcpy(slot->tts_values, values, AUDIT_COLUMNS * sizeof(Datum));
	memcpy(slot->tts_isnull, nulls, AUDIT_COLUMNS * sizeof(bool));
	ExecStoreVirtualTuple(slot);
	/*
	 * At the log's end, never in a page's leftover space: nothing is deleted
	 * from the log, so the free space map knows only the tails of full pages,
	 * and a bulk transition that followed it read an old page per entry
	 */
	table_tuple_insert(as->rel, slot, GetCurrentCommandId(true), TABLE_INSERT_SKIP_FSM, NULL);
	if (as->rri->ri_NumIndices > 0)
#if PG_VERSION_NUM >= 160000
		conflicts = ExecInsertIndexTuples(as->rri, slot, as->estate, false, false, NULL, NIL, false);
#elif PG_VERSION_NUM >= 140000
		conflicts = ExecInsertIndexTuples(as->rri, slot, as->estate, false, false, NULL, NIL);
#else
		conflicts = ExecInsertIndexTuples(slot, as->estate, false, NULL, NIL);
#endif
	list_free(conflicts);
	ExecClearTuple(slot);
	ResetPerTupleExprContext(as->estate);
}

/*
 * Lock a region's chain until the end of the transaction: its row of
 * subsidy.audit_chain, FOR UPDATE, as the table's owner (no other role may
 * read or lock the table, so no clerk can hold a region up).  The row is
 * never updated, so a REPEATABLE READ transaction waits for it and goes on,
 * with no serialization failure.  A region's row is made on first use.
 */
static SPIPlanPtr plan_chain_lock = NULL;
static SPIPlanPtr plan_chain_row = NULL;

static void
lock_chain_row(const char *region)
{
	Datum		arg = CStringGetTextDatum(region);
	Oid			argtype = TEXTOID;

	for (int attempt = 0; attempt < 2; attempt++)
	{
		owner_query(&plan_chain_lock,
					"SELECT region FROM subsidy.audit_chain WHERE region OPERATOR(pg_catalog.=) $1 FOR UPDATE",
					1, &argtype, &arg, NULL, false);
		if (SPI_processed == 1)
			return;
		owner_query(&plan_chain_row,
					"INSERT INTO subsidy.audit_chain (region) VALUES ($1) ON CONFLICT (region) DO NOTHING",
					1, &argtype, &arg, NULL, false);
	}
	elog(ERROR, "could not lock the audit chain of region %s", region);
}

/* The chains this transaction holds, with their tails; reset when a (sub)transaction ends. */
static HTAB *
chains_held(void)
{
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
	return chain_tails;
}

/*
 * The tail of a region's chain, locking the chain for this transaction on
 * first use.  SPI must be connected.
 */
static ChainTail *
chain_tail(const char *region)
{
	ChainTail  *tail;
	bool		found;
	char		key[REGION_CODE_SIZE];

	memset(key, 0, sizeof(key));
	strlcpy(key, region, sizeof(key));
	tail = hash_search(chains_held(), key, HASH_ENTER, &found);
	if (!found)
	{
		Datum		arg = CStringGetTextDatum(region);
		Oid			argtype = TEXTOID;

		PG_TRY();
		{
			lock_chain_row(region);

			/*
			 * Read the tail as it is now, not as the statement's snapshot saw it:
			 * we may have waited for the lock while another transaction appended
			 * and committed (in any isolation level).  read_only = false bumps the
			 * command id, so entries this transaction appended earlier in the same
			 * command are seen too (after a rolled-back subtransaction reset us).
			 */
			owner_query(&tail_plan,
						"SELECT seq, hash FROM subsidy.audit_log WHERE region OPERATOR(pg_catalog.=) $1 "
						"ORDER BY seq DESC LIMIT 1", 1, &argtype, &arg, NULL, false);
		}
		PG_CATCH();
		{
			hash_search(chain_tails, key, HASH_REMOVE, NULL);
			PG_RE_THROW();
		}
		PG_END_TRY();
		tail->seq = 0;
		memset(tail->hash, 0, AUDIT_HASH_LENGTH);
		memset(tail->counters, 0, sizeof(tail->counters));
		if (SPI_processed >= 1)
		{
			bool		isnull;
			Datum		seq = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
			Datum		hash = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull);

			tail->seq = DatumGetInt64(seq);
			if (!isnull && VARSIZE_ANY_EXHDR(DatumGetByteaPP(hash)) == AUDIT_HASH_LENGTH)
				memcpy(tail->hash, VARDATA_ANY(DatumGetByteaPP(hash)), AUDIT_HASH_LENGTH);
		}
	}
	return tail;
}

/* Lock a region's chain for this transaction, if it does not hold it already. */
static ChainTail *
lock_chain(const char *region)
{
	ChainTail  *tail = chain_tail_held(region);

	if (tail == NULL)
	{
		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "SPI_connect failed");
		tail = chain_tail(region);
		SPI_finish();
	}
	return tail;
}

/*
 * A counter slot kept with a region's chain, locking the chain for this
 * transaction on first use: what is counted under the lock is counted by one
 * transaction of the region at a time.  0 until its user first reads it, and
 * again after a (sub)transaction ends, when what was counted must be read
 * again (a rolled-back subtransaction may have let the lock go).
 */
int64 *
chain_counter(const char *region, int slot)
{
	if (slot < 0 || slot >= CHAIN_COUNTERS)
		elog(ERROR, "no chain counter %d", slot);
	return &lock_chain(region)->counters[slot];
}

void
lock_region_chain(const char *region)
{
	(void) lock_chain(region);
}

/* Whether this transaction holds a region's chain lock already. */
bool
chain_held(const char *region)
{
	return chain_tail_held(region) != NULL;
}

/*
 * Lock the chains of every region the caller acts in, in code order, before
 * the statement touches a row: a plain UPDATE (which locks each row before
 * its row triggers run) and an entry point then take their locks in one
 * order, and never deadlock one another.
 */
void
lock_caller_chains(void)
{
	char		(*codes)[REGION_CODE_SIZE];
	int			n = caller_region_list(&codes);

	if (n == 0)
		return;
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	for (int i = 0; i < n; i++)
		(void) chain_tail(codes[i]);
	SPI_finish();
}

PG_FUNCTION_INFO_V1(lock_audit_chains);
/* Trigger, BEFORE ... FOR EACH STATEMENT: lock_caller_chains before any row is touched. */
Datum
lock_audit_chains(PG_FUNCTION_ARGS)
{
	static const char *const tables[] = {"application", "sign_off", "enterprise", "enterprise_year",
		"region_basis_year", "application_window", "policy_region", "spot_check_item", "policy_year", "calendar",
		"required_document", "staff_region", "staff_relation", "objection", "publicity", "report_batch",
		"spot_check_draw", "payment_file", "closed_year", "annual_report_frozen", "region", "national_target",
		"region_office", "top_up", NULL};

	(void) trigger_on(fcinfo, "lock_audit_chains", tables, true, 0);
	if (!restoring())
		lock_caller_chains();
	return PointerGetDatum(NULL);
}

static Datum
bytea_of(const uint8 *bytes, int len)
{
	bytea	   *b = palloc(VARHDRSZ + len);

	SET_VARSIZE(b, VARHDRSZ + len);
	memcpy(VARDATA(b), bytes, len);
	return PointerGetDatum(b);
}

/* A role's name, remembered for the transaction (a bulk step appends thousands of entries). */
typedef struct NameMemo
{
	Oid			role;
	LocalTransactionId lxid;
	char		name[NAMEDATALEN];
} NameMemo;

static NameMemo actor_memo,
			role_memo;

static const char *
user_name(Oid role, NameMemo *memo)
{
	if (memo->role != role || memo->lxid != MyLocalTransactionId())
	{
		strlcpy(memo->name, GetUserNameFromId(role, false), NAMEDATALEN);
		memo->role = role;
		memo->lxid = MyLocalTransactionId();
	}
	return memo->name;
}

/* The tail of a chain this transaction holds already, or NULL. */
static ChainTail *
chain_tail_held(const char *region)
{
	char		key[REGION_CODE_SIZE];

	memset(key, 0, sizeof(key));
	strlcpy(key, region, sizeof(key));
	return hash_search(chains_held(), key, HASH_FIND, NULL);
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
	const char *actor = user_name(GetSessionUserId(), &actor_memo);
	const char *role = user_name(GetUserId(), &role_memo);
	/*
	 * The moment of the append, not its statement's start (the fourth
	 * tester's F4): a row's entries in two chains (an enterprise the DBA moved
	 * to another region) are ordered by it, and an entry made under the row's
	 * lock, after another transaction's entry for the row committed, may come
	 * from a statement that started before that one (a DO block, a function,
	 * an UPDATE that waited for the row): its statement's start would put it
	 * first, and verify_audit would hold the row to the other, older entry.
	 */
	TimestampTz at = GetCurrentTimestamp();
	ChainTail  *tail = chain_tail_held(region);
	bool		connected = false;

	GetUserIdAndSecContext(&save_userid, &save_sec);
	SetUserIdAndSecContext(log->owner, save_sec | SECURITY_LOCAL_USERID_CHANGE | SECURITY_NOFORCE_RLS);
	PG_TRY();
	{
		uint8		hash[AUDIT_HASH_LENGTH];
		Datum		values[AUDIT_COLUMNS];
		bool		nulls[AUDIT_COLUMNS];
		int64		seq;
		LogAppender *as;

		/* SPI only when the chain is not held yet, or the log is not as shipped */
		if (tail == NULL)
		{
			if (SPI_connect() != SPI_OK_CONNECT)
				elog(ERROR, "SPI_connect failed");
			connected = true;
			tail = chain_tail(region);
		}
		seq = tail->seq + 1;
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
		values[12] = bytea_of(tail->hash, AUDIT_HASH_LENGTH);
		values[13] = bytea_of(hash, AUDIT_HASH_LENGTH);
		TEXT_OR_NULL(14, e->subject);
		values[15] = e->state ? bytea_of(e->state, ROW_STATE_BYTES) : (Datum) 0;
		nulls[15] = e->state == NULL;
#undef TEXT_OR_NULL

		as = append_state_for(log->relid);
		if (as->direct)
			insert_direct(as, values, nulls);
		else
		{
			char		spi_nulls[AUDIT_COLUMNS];

			if (!connected)
			{
				if (SPI_connect() != SPI_OK_CONNECT)
					elog(ERROR, "SPI_connect failed");
				connected = true;
			}
			if (insert_plan == NULL)
			{
				Oid			argtypes[AUDIT_COLUMNS];

				for (int i = 0; i < AUDIT_COLUMNS; i++)
					argtypes[i] = audit_columns[i].type;
				insert_plan = SPI_prepare("INSERT INTO subsidy.audit_log (region, seq, at, actor, acting_role, "
										  "application_id, uscc, action, from_stage, to_stage, detail, figures, "
										  "prev_hash, hash, subject, state) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
										  "$11, $12, $13, $14, $15, $16)", AUDIT_COLUMNS, argtypes);
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
		tail->seq = seq;
		memcpy(tail->hash, hash, AUDIT_HASH_LENGTH);
	}
	PG_FINALLY();
	{
		audit_appending = false;
	}
	PG_END_TRY();
	if (connected)
		SPI_finish();
	SetUserIdAndSecContext(save_userid, save_sec);
}

PG_FUNCTION_INFO_V1(audit_log_guard);
/* Trigger: the log takes appends from audit_append only, and nothing else, from anyone. */
Datum
audit_log_guard(PG_FUNCTION_ARGS)
{
	static const char *const tables[] = {"audit_log", NULL};
	TriggerData *trigdata = trigger_on(fcinfo, "audit_log_guard", tables, true, -1);

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
					 errmsg("restored audit entry %lld of region %s does not hash to its contents",
							(long long) stored.seq, stored.region ? stored.region : "?"),
					 errdetail("A restored entry must come back exactly as it was written (W9)."),
					 errhint("Restore from an untouched dump; subsidy.verify_audit() on the source names any entry that changed.")));
		}
	}
	if (TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W9),
				 errmsg("the audit log is append-only: an insert by hand is refused"),
				 errdetail("Entries are written by subsidy's own triggers as applications move, and never changed (W9)."),
				 errhint("To correct a step, make the correcting transition: it is logged in its turn.")));
	if (TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W9),
				 errmsg("the audit log is append-only: an update is refused"),
				 errdetail("Entries are written by subsidy's own triggers as applications move, and never changed (W9)."),
				 errhint("To correct a step, make the correcting transition: it is logged in its turn.")));
	if (TRIGGER_FIRED_BY_DELETE(trigdata->tg_event) && audit_clearing && TRIGGER_FIRED_FOR_ROW(trigdata->tg_event))
		return PointerGetDatum(trigdata->tg_trigtuple);
	if (TRIGGER_FIRED_BY_DELETE(trigdata->tg_event) && audit_clearing)
		return PointerGetDatum(NULL);
	if (TRIGGER_FIRED_BY_DELETE(trigdata->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_W9),
				 errmsg("the audit log is append-only: a delete is refused"),
				 errdetail("Entries are written by subsidy's own triggers as applications move, and never changed (W9)."),
				 errhint("To correct a step, make the correcting transition: it is logged in its turn.")));
	ereport(ERROR,
			(errcode(ERRCODE_SUBSIDY_W9),
			 errmsg("the audit log is append-only: truncate is refused"),
			 errdetail("Entries are written by subsidy's own triggers as applications move, and never changed (W9)."),
			 errhint("To correct a step, make the correcting transition: it is logged in its turn.")));
	PG_RETURN_NULL();
}

PG_FUNCTION_INFO_V1(lock_my_chains);
/* subsidy.lock_my_chains(): lock_caller_chains, for the entry points. */
Datum
lock_my_chains(PG_FUNCTION_ARGS)
{
	lock_caller_chains();
	PG_RETURN_VOID();
}

PG_FUNCTION_INFO_V1(audit_chain_lock);
/*
 * subsidy.lock_audit_chain(region), of 1.1: removed in 1.2 (a lock any role could
 * take in a region's name).  Kept so that 1.1's scripts load; it refuses.
 */
Datum
audit_chain_lock(PG_FUNCTION_ARGS)
{
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("subsidy.lock_audit_chain is no longer part of subsidy"),
			 errhint("Update the extension: ALTER EXTENSION subsidy UPDATE.")));
	PG_RETURN_VOID();
}

/* A restore's or a baseline's entry, in every chain the log holds (or of each row given). */
static void
append_to_every_chain(const char *action, const char *detail, const char *figures)
{
	AuditEntry	e = {0};
	List	   *regions = NIL;
	ListCell   *lc;

	if (SPI_execute("SELECT DISTINCT region FROM subsidy.audit_log ORDER BY region", true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not list the chains");
	for (uint64 i = 0; i < SPI_processed; i++)
		regions = lappend(regions, SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1));
	e.uscc = NULL;
	e.action = action;
	e.from_stage = e.to_stage = NULL;
	e.detail = detail;
	e.figures = figures;
	foreach(lc, regions)
		audit_append((const char *) lfirst(lc), 0, &e);
}

PG_FUNCTION_INFO_V1(log_restore);
/*
 * subsidy.log_restore(heads_checked): finish_restore's entry in every chain:
 * the database was restored from a dump, and what was loaded verified
 * against that many heads kept outside.  Only while a restore is in progress.
 */
Datum
log_restore(PG_FUNCTION_ARGS)
{
	int32		heads = PG_GETARG_INT32(0);
	char	   *started;

	if (!restoring())
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("no restore is in progress"),
				 errhint("A superuser begins one with subsidy.begin_restore() and ends it with CALL subsidy.finish_restore(heads).")));
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute("SELECT pg_catalog.format('restored from a dump: begun at %s by %s', started_at, started_by) "
					"FROM subsidy.restore_in_progress", true, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "no restore is in progress");
	started = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	append_to_every_chain("restore", started, psprintf("{\"heads_checked\": %d}", heads));
	SPI_finish();
	PG_RETURN_VOID();
}

/* A staff row names a role: dropped since, the role acts nowhere, and its rows name its oid. */
#define STAFF_EXISTS "EXISTS (SELECT FROM pg_catalog.pg_roles r WHERE r.oid OPERATOR(pg_catalog.=) t.staff::pg_catalog.oid)"
#define STAFF_GONE "NOT EXISTS (SELECT FROM pg_catalog.pg_roles r WHERE r.rolname::pg_catalog.text OPERATOR(pg_catalog.=) pg_catalog.split_part(s.subject, ' ', 2))"
#define APPLICATION_REGION "(SELECT a.region FROM subsidy.application a WHERE a.id OPERATOR(pg_catalog.=) t.application_id)"
#define ENTERPRISE_REGION "(SELECT e.region FROM subsidy.enterprise e WHERE e.uscc OPERATOR(subsidy.=) t.uscc)"

/*
 * Every table whose rows a decision or payment rests on: each change of a row
 * is logged with its subject and state (trail.c), log_baseline records the
 * rows the log does not name yet, and verify_audit holds every row to the
 * state its log last gives it.  Per table, the chain its changes go to (as its
 * trigger logs them; NULL: every pooling region's), the application it
 * concerns, which rows the trail need not hold (a draft is its applicant's
 * until it is submitted), which rows are compared at all and which rows the
 * log has that may be gone (a staff row of a role dropped since), whether its
 * rows may leave a clerk's sight without being removed (an enterprise moved
 * to another region takes its lists, payments and relations along), and
 * whether it holds rows the extension ships (origin).
 */
const LoggedTable logged_tables[] =
{
	{"application", "t.region", "t.id", "t.stage::pg_catalog.text OPERATOR(pg_catalog.=) 'draft'", NULL, NULL, false, false},
	{"sign_off", APPLICATION_REGION, "t.application_id", NULL, NULL, NULL, false, false},
	{"objection", APPLICATION_REGION, "t.application_id", NULL, NULL, NULL, false, false},
	{"spot_check_item", APPLICATION_REGION, "t.application_id", NULL, NULL, NULL, false, false},
	{"publicity", "t.region", NULL, NULL, NULL, NULL, false, false},
	{"report_batch", "t.region", NULL, NULL, NULL, NULL, false, false},
	{"spot_check_draw", "t.region", NULL, NULL, NULL, NULL, false, false},
	{"annual_report_frozen", "t.region", NULL, NULL, NULL, NULL, false, false},
	{"region_basis_year", "t.region", NULL, NULL, NULL, NULL, false, true},
	{"application_window", "t.region", NULL, NULL, NULL, NULL, false, false},
	{"policy_region", "t.region", NULL, NULL, NULL, NULL, false, false},
	{"region_office", "t.region", NULL, NULL, NULL, NULL, false, false},
	{"top_up", "t.region", "t.application_id", NULL, NULL, NULL, false, false},
	{"staff_region", "t.region", NULL, NULL, STAFF_EXISTS, STAFF_GONE, false, false},
	{"enterprise", "t.region", NULL, NULL, NULL, NULL, true, false},
	{"enterprise_year", ENTERPRISE_REGION, NULL, NULL, NULL, NULL, true, false},
	{"payment_file", ENTERPRISE_REGION, NULL, NULL, NULL, NULL, true, false},
	{"staff_relation", ENTERPRISE_REGION, NULL, NULL, STAFF_EXISTS, STAFF_GONE, true, false},
	{"policy_year", NULL, NULL, NULL, NULL, NULL, false, true},
	{"calendar", NULL, NULL, NULL, NULL, NULL, false, true},
	{"required_document", NULL, NULL, NULL, NULL, NULL, false, true},
	{"region", NULL, NULL, NULL, NULL, NULL, false, true},
	{"national_target", NULL, NULL, NULL, NULL, NULL, false, true},
	{"closed_year", NULL, NULL, NULL, NULL, NULL, false, false},
};
const int	logged_table_count = lengthof(logged_tables);

PG_FUNCTION_INFO_V1(log_baseline);
/*
 * subsidy.log_baseline(): the state from which verify_audit checks every row
 * a decision or payment rests on (S4): an entry for each such row the log does
 * not name yet (a draft excepted: its trail starts at submission), as found,
 * and for each row the extension ships (origin extension) that an install or
 * update wrote, or removed, since the log last named it.  A row of the DBA's
 * or a clerk's that differs from its log is never re-baselined: that stays a
 * finding.  Install and every update run it; a superuser's, since it vouches
 * for what it finds.  Returns how many entries it wrote.
 */
Datum
log_baseline(PG_FUNCTION_ARGS)
{
	Portal		cursor;
	int64		written = 0;
	MemoryContext batch;
	StringInfoData rows,
				shipped;
	List	   *pools = NIL;

	if (!superuser())
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied to record a baseline in the audit trail"),
				 errdetail("A baseline vouches for the state it finds; only a superuser records one.")));
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute("SELECT code FROM subsidy.region WHERE is_pool ORDER BY code", true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not list the pooling regions");
	for (uint64 i = 0; i < SPI_processed; i++)
		pools = lappend(pools, pstrdup(SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1)));

	initStringInfo(&rows);
	initStringInfo(&shipped);
	for (int i = 0; i < logged_table_count; i++)
	{
		const LoggedTable *lt = &logged_tables[i];

		if (!OidIsValid(get_relname_relid(lt->table, subsidy_namespace())))
			continue;
		appendStringInfo(&rows, "%sSELECT %s::pg_catalog.text AS chain, subsidy.row_subject(t) AS subject,"
						 " subsidy.row_state(t) AS state, %s::pg_catalog.int8 AS application_id, %s AS shipped"
						 " FROM subsidy.%s t WHERE NOT (%s) AND (%s)",
						 rows.len ? " UNION ALL " : "", lt->chain ? lt->chain : "NULL",
						 lt->application ? lt->application : "NULL",
						 lt->shipped ? "t.origin::pg_catalog.text OPERATOR(pg_catalog.=) 'extension'" : "false",
						 lt->table, lt->unlogged_ok ? lt->unlogged_ok : "false",
						 lt->compared ? lt->compared : "true");
		if (lt->shipped)
			appendStringInfo(&shipped, "%s%s", shipped.len ? "," : "", lt->table);
	}
	batch = AllocSetContextCreate(CurrentMemoryContext, "log_baseline batch", ALLOCSET_DEFAULT_SIZES);
	cursor = SPI_cursor_open_with_args(NULL, psprintf(
		"WITH logged AS MATERIALIZED ("
		"  SELECT DISTINCT ON (c.subject) c.subject, c.state, c.region FROM ("
		"    SELECT DISTINCT ON (l.subject, l.region) l.subject, l.region, l.seq, l.state, l.at"
		"      FROM subsidy.audit_log l WHERE l.subject IS NOT NULL"
		"     ORDER BY l.subject, l.region, l.seq DESC) c"
		"   ORDER BY c.subject, c.at DESC, c.seq DESC"
		"), now AS (%s)"
		"SELECT n.chain, n.subject, n.state, n.application_id, l.subject IS NULL AS first"
		"  FROM now n LEFT JOIN logged l ON l.subject OPERATOR(pg_catalog.=) n.subject"
		" WHERE l.subject IS NULL OR (n.shipped AND n.state IS DISTINCT FROM l.state)"
		" UNION ALL "
		"SELECT NULL, l.subject, NULL, NULL, false FROM logged l"
		" WHERE l.state IS NOT NULL"
		"   AND pg_catalog.split_part(l.subject, ' ', 1) OPERATOR(pg_catalog.=) ANY ('{%s}'::pg_catalog.text[])"
		"   AND NOT EXISTS (SELECT FROM now n WHERE n.subject OPERATOR(pg_catalog.=) l.subject)"
		" ORDER BY 1, 2", rows.data, shipped.data),
		0, NULL, NULL, NULL, true, CURSOR_OPT_NO_SCROLL);
	for (;;)
	{
		MemoryContext old;

		SPI_cursor_fetch(cursor, true, 1000);
		if (SPI_processed == 0)
			break;
		old = MemoryContextSwitchTo(batch);
		for (uint64 i = 0; i < SPI_processed; i++)
		{
			HeapTuple	t = SPI_tuptable->vals[i];
			TupleDesc	d = SPI_tuptable->tupdesc;
			char	   *chain = SPI_getvalue(t, d, 1);
			char	   *app = SPI_getvalue(t, d, 4);
			bool		isnull;
			Datum		state = SPI_getbinval(t, d, 3, &isnull);
			bool		first = DatumGetBool(SPI_getbinval(t, d, 5, &isnull));
			AuditEntry	e = {0};

			e.action = "baseline";
			e.subject = SPI_getvalue(t, d, 2);
			e.state = isnull ? NULL : (const uint8 *) VARDATA_ANY(DatumGetByteaPP(state));
			e.detail = first ? "S4 the row as found when the trail began to hold it to its state" :
				e.state ? "S4 the row as the extension's install or update wrote it" :
				"S4 the row removed by the extension's install or update";
			if (chain != NULL)
				audit_append(chain, app ? strtoll(app, NULL, 10) : 0, &e);
			else
			{
				ListCell   *lc;

				foreach(lc, pools)
					audit_append((const char *) lfirst(lc), 0, &e);
			}
			written++;
		}
		MemoryContextSwitchTo(old);
		MemoryContextReset(batch);
		SPI_freetuptable(SPI_tuptable);
	}
	SPI_cursor_close(cursor);
	MemoryContextDelete(batch);
	SPI_finish();
	PG_RETURN_INT64(written);
}

PG_FUNCTION_INFO_V1(clear_install_baseline);
/*
 * subsidy.clear_install_baseline(): begin_restore's first step.  A new
 * database into which a dump's schema was restored has, from CREATE
 * EXTENSION, a trail of one thing: the baseline of the rows the extension
 * ships.  The dump brings its own trail, that baseline included, so it is
 * removed; a trail with anything else in it is a database in use, and is
 * refused.  A superuser's; returns how many entries it removed.
 */
Datum
clear_install_baseline(PG_FUNCTION_ARGS)
{
	StringInfoData shipped;
	int64		removed;

	if (!superuser())
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied to clear the audit trail")));
	initStringInfo(&shipped);
	for (int i = 0; i < logged_table_count; i++)
		if (logged_tables[i].shipped)
			appendStringInfo(&shipped, "%s%s", shipped.len ? "," : "", logged_tables[i].table);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute(psprintf("SELECT EXISTS (SELECT FROM subsidy.audit_log l"
							 " WHERE l.action OPERATOR(pg_catalog.<>) 'baseline' OR l.subject IS NULL"
							 "    OR pg_catalog.split_part(l.subject, ' ', 1) OPERATOR(pg_catalog.<>) ALL ('{%s}'::pg_catalog.text[]))",
							 shipped.data), true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read the audit trail");
	if (DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &(bool){false})))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("this database already has an audit trail: a dump is restored into a new database"),
				 errhint("Create a database, restore the dump's schema (pg_restore --section=pre-data), then call subsidy.begin_restore().")));
	audit_clearing = true;
	PG_TRY();
	{
		if (SPI_execute("DELETE FROM subsidy.audit_log", false, 0) != SPI_OK_DELETE)
			elog(ERROR, "could not clear the install's baseline");
		removed = (int64) SPI_processed;
	}
	PG_FINALLY();
	{
		audit_clearing = false;
	}
	PG_END_TRY();
	SPI_finish();
	PG_RETURN_INT64(removed);
}
