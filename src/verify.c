/*
 * verify.c: what the audit trail proves, and to whom (W9, S4).
 *
 * verify_audit(heads) checks, in bounded memory (each batch of entries is
 * read in a memory context reset after it):
 *
 *   - every region's chain: each entry hashes to its contents and links to
 *     the one before it, from 1 with no gap or repeat;
 *   - the heads kept outside (the exports sent upward with each report batch
 *     and the frozen annual report): each chain still holds each head given,
 *     with the same hash, so nothing at or before it changed, was inserted or
 *     was cut.  An unkeyed hash lets whoever can write the table recompute a
 *     whole chain; the heads are what such a rewrite cannot match.  A keyed
 *     MAC whose key lived in this database would add nothing against its
 *     superuser, so there is none: the heads travel instead;
 *   - the state against the log: every application's stage, decision,
 *     amount, payment, report batch and the account it is paid into are what
 *     its last logged transition (and any later re-check of the account)
 *     says; every enterprise's bank details are what its last logged entry
 *     says; nothing the log names is missing from the tables;
 *   - every row a decision or payment rests on (audit.c's logged_tables) against the
 *     state its last entry records (rowstate.c): a row changed, added or
 *     removed outside the extension's steps no longer matches;
 *   - no restore begun and left unfinished.
 *
 * It reads as the caller: row-level security keeps a clerk to its regions.
 */
#include "subsidy.h"

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/hsearch.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"

/* A head kept outside: a region's chain held this entry, with this hash. */
typedef struct HeadKey
{
	char		region[REGION_CODE_SIZE];
	int64		seq;
} HeadKey;

typedef struct Head
{
	HeadKey		key;			/* first: the hash table's key */
	uint8		hash[AUDIT_HASH_BYTES];
	bool		seen;
} Head;

typedef struct HeadEntry
{
	HeadKey		key;
	Head	   *head;
} HeadEntry;

typedef struct Verification
{
	Tuplestorestate *store;
	TupleDesc	desc;
	Head	   *heads;
	int			nheads;
	HTAB	   *head_index;		/* (region, seq) -> head, so that each entry is one lookup */
	int64		problems;
} Verification;

/* One problem found. */
static void
report(Verification *v, const char *region, int64 seq, int64 application_id, const char *problem)
{
	Datum		values[4];
	bool		nulls[4] = {region == NULL, false, application_id == 0, false};

	values[0] = region ? CStringGetTextDatum(region) : (Datum) 0;
	values[1] = Int64GetDatum(seq);
	values[2] = Int64GetDatum(application_id);
	values[3] = CStringGetTextDatum(problem);
	tuplestore_putvalues(v->store, v->desc, values, nulls);
	v->problems++;
}

static bool
hex_hash(const char *hex, uint8 *out)
{
	if (hex == NULL || strlen(hex) != 2 * AUDIT_HASH_BYTES)
		return false;
	for (int i = 0; i < AUDIT_HASH_BYTES; i++)
	{
		unsigned int b;

		if (!isxdigit((unsigned char) hex[2 * i]) || !isxdigit((unsigned char) hex[2 * i + 1]) ||
			sscanf(hex + 2 * i, "%2x", &b) != 1)
			return false;
		out[i] = (uint8) b;
	}
	return true;
}

static char *
hash_hex(const uint8 *hash)
{
	char	   *out = palloc(2 * AUDIT_HASH_BYTES + 1);

	for (int i = 0; i < AUDIT_HASH_BYTES; i++)
		sprintf(out + 2 * i, "%02x", hash[i]);
	return out;
}

/* The heads given: a JSON array of {"region", "seq", "hash"} as audit_heads() exports them. */
static void
read_heads(Verification *v, Datum heads)
{
	Oid			argtype = JSONBOID;

	if (SPI_execute_with_args("SELECT h OPERATOR(pg_catalog.->>) 'region', (h OPERATOR(pg_catalog.->>) 'seq')::pg_catalog.int8, "
							  "h OPERATOR(pg_catalog.->>) 'hash', pg_catalog.jsonb_typeof(h) "
							  "FROM pg_catalog.jsonb_array_elements($1) h",
							  1, &argtype, &heads, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read the heads");
	v->nheads = (int) SPI_processed;
	v->heads = palloc0(sizeof(Head) * Max(v->nheads, 1));
	for (int i = 0; i < v->nheads; i++)
	{
		HeapTuple	t = SPI_tuptable->vals[i];
		TupleDesc	d = SPI_tuptable->tupdesc;
		char	   *region = SPI_getvalue(t, d, 1);
		char	   *seq = SPI_getvalue(t, d, 2);
		char	   *hash = SPI_getvalue(t, d, 3);

		if (region == NULL || strlen(region) >= REGION_CODE_SIZE || seq == NULL ||
			!hex_hash(hash, v->heads[i].hash))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("head %d is not a chain head", i + 1),
					 errdetail("A head is {\"region\": code, \"seq\": number, \"hash\": 64 hexadecimal digits}, as subsidy.audit_heads() exports it."),
					 errhint("Pass the heads as exported: SELECT jsonb_agg(h) FROM subsidy.audit_heads() h.")));
		strlcpy(v->heads[i].key.region, region, REGION_CODE_SIZE);
		v->heads[i].key.seq = strtoll(seq, NULL, 10);
	}
	if (v->nheads > 0)
	{
		HASHCTL		ctl;

		ctl.keysize = sizeof(HeadKey);
		ctl.entrysize = sizeof(HeadEntry);
		ctl.hcxt = CurrentMemoryContext;
		v->head_index = hash_create("verify_audit heads", v->nheads, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
		for (int i = 0; i < v->nheads; i++)
		{
			bool		found;
			HeadEntry  *he = hash_search(v->head_index, &v->heads[i].key, HASH_ENTER, &found);

			if (!found)
			{
				he->head = &v->heads[i];
				continue;
			}
			/* the same head, exported twice (in two report batches, say): checked once */
			v->heads[i].seen = true;
			if (memcmp(he->head->hash, v->heads[i].hash, AUDIT_HASH_BYTES) != 0)
				report(v, v->heads[i].key.region, v->heads[i].key.seq, 0,
					   psprintf(_("the heads given disagree about entry %lld: one of them is not what the chain held"),
								(long long) v->heads[i].key.seq));
		}
	}
}

/* A head of this region at this position, or NULL. */
static Head *
head_at(Verification *v, const char *region, int64 seq)
{
	HeadKey		key;
	HeadEntry  *he;

	if (v->head_index == NULL)
		return NULL;
	memset(&key, 0, sizeof(key));
	strlcpy(key.region, region, REGION_CODE_SIZE);
	key.seq = seq;
	he = hash_search(v->head_index, &key, HASH_FIND, NULL);
	return he ? he->head : NULL;
}

/* A region's chain has ended at last: every head of it beyond that was cut off. */
static void
end_of_chain(Verification *v, const char *region, int64 last)
{
	for (int i = 0; i < v->nheads; i++)
		if (strcmp(v->heads[i].key.region, region) == 0 && v->heads[i].key.seq > last)
		{
			v->heads[i].seen = true;
			report(v, region, last, 0,
				   psprintf(_("the chain ends at entry %lld, below the head kept outside at entry %lld: its tail was cut"),
							(long long) last, (long long) v->heads[i].key.seq));
		}
}

/* Every chain, entry by entry, in batches whose memory is freed as they are done. */
static void
verify_chains(Verification *v)
{
	Portal		cursor;
	char		region[REGION_CODE_SIZE] = "";
	int64		expected = 0;
	uint8		prev[AUDIT_HASH_BYTES];
	MemoryContext batch = AllocSetContextCreate(CurrentMemoryContext, "verify_audit batch",
												ALLOCSET_DEFAULT_SIZES);

	cursor = SPI_cursor_open_with_args(NULL,
									   "SELECT region, seq, at, actor, acting_role, application_id, uscc, "
									   "action, from_stage, to_stage, detail, figures, prev_hash, hash, subject, state "
									   "FROM subsidy.audit_log ORDER BY region, seq",
									   0, NULL, NULL, NULL, true, CURSOR_OPT_NO_SCROLL);
	for (;;)
	{
		MemoryContext old;

		SPI_cursor_fetch(cursor, true, 10000);
		if (SPI_processed == 0)
			break;
		old = MemoryContextSwitchTo(batch);
		for (uint64 i = 0; i < SPI_processed; i++)
		{
			AuditEntryRead e;
			bool		holds = audit_entry_read(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, &e);
			Head	   *h;

			if (e.region == NULL)
				continue;
			if (strcmp(region, e.region) != 0)
			{
				if (region[0])
					end_of_chain(v, region, expected - 1);
				strlcpy(region, e.region, sizeof(region));
				expected = 1;
				memset(prev, 0, sizeof(prev));
			}
			if (e.seq != expected)
				report(v, e.region, e.seq, e.application_id,
					   e.seq == expected + 1 ?
					   psprintf(_("entry %lld of the chain is missing"), (long long) expected) :
					   e.seq > expected ?
					   psprintf(_("entries %lld to %lld of the chain are missing"),
								(long long) expected, (long long) e.seq - 1) :
					   psprintf(_("entry %lld appears again"), (long long) e.seq));
			if (e.prev_hash == NULL || memcmp(e.prev_hash, prev, AUDIT_HASH_BYTES) != 0)
				report(v, e.region, e.seq, e.application_id,
					   _("its link to the entry before it does not match that entry's hash"));
			if (!holds)
				report(v, e.region, e.seq, e.application_id, _("its contents were changed after it was written"));
			h = head_at(v, e.region, e.seq);
			if (h != NULL)
			{
				h->seen = true;
				if (e.hash == NULL || memcmp(e.hash, h->hash, AUDIT_HASH_BYTES) != 0)
					report(v, e.region, e.seq, e.application_id,
						   psprintf(_("entry %lld is not the head kept outside (%s): the chain was rewritten at or before it"),
									(long long) e.seq, hash_hex(h->hash)));
			}
			if (e.hash != NULL)
				memcpy(prev, e.hash, AUDIT_HASH_BYTES);
			expected = e.seq + 1;
		}
		MemoryContextSwitchTo(old);
		MemoryContextReset(batch);
		SPI_freetuptable(SPI_tuptable);
	}
	SPI_cursor_close(cursor);
	if (region[0])
		end_of_chain(v, region, expected - 1);
	/* heads of chains the log no longer has at all (or that the caller does not see) */
	for (int i = 0; i < v->nheads; i++)
		if (!v->heads[i].seen && (sees_every_region() || caller_acts_in(v->heads[i].key.region)))
			report(v, v->heads[i].key.region, 0, 0,
				   psprintf(_("the head kept outside at entry %lld names a chain the log no longer holds"),
							(long long) v->heads[i].key.seq));
	MemoryContextDelete(batch);
}

/*
 * The state the log says the tables should be in, against what they are.
 * One query, streamed: its sorts and hashes spill to disk as work_mem says.
 */
static void
verify_state(Verification *v)
{
	Portal		cursor;
	MemoryContext batch = AllocSetContextCreate(CurrentMemoryContext, "verify_audit state",
												ALLOCSET_DEFAULT_SIZES);

	/* the problems' wording, translated: the query fills them in */
	Datum		problems[] = {
		CStringGetTextDatum(_("the application is %s, but its log has no transition")),
		CStringGetTextDatum(_("the application is %s, but its log last took it to %s")),
		CStringGetTextDatum(_("%s is %s, its log says %s")),
		CStringGetTextDatum(_("the log has application %s, which the table no longer holds")),
		CStringGetTextDatum(_("enterprise %s: %s is %s, its log says %s")),
		CStringGetTextDatum(_("a restore begun at %s by %s was never finished")),
		CStringGetTextDatum(_("empty"))
	};
	Oid			types[lengthof(problems)] = {TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID};

	cursor = SPI_cursor_open_with_args(NULL,
		"WITH t AS ("
		"  SELECT DISTINCT ON (l.application_id) l.application_id, l.seq, l.to_stage, l.figures::pg_catalog.jsonb AS f"
		"    FROM subsidy.audit_log l"
		"   WHERE l.action OPERATOR(pg_catalog.=) 'transition' AND l.application_id IS NOT NULL"
		"   ORDER BY l.application_id, l.seq DESC"
		"), acct AS ("
		"  SELECT DISTINCT ON (l.application_id) l.application_id, l.seq,"
		"         l.figures::pg_catalog.jsonb OPERATOR(pg_catalog.->) 'payment_bank_account' OPERATOR(pg_catalog.->>) 1 AS account"
		"    FROM subsidy.audit_log l"
		"   WHERE l.action OPERATOR(pg_catalog.=) ANY ('{bank_recheck,baseline}'::pg_catalog.text[])"
		"     AND l.application_id IS NOT NULL"
		"     AND l.figures::pg_catalog.jsonb OPERATOR(pg_catalog.?) 'payment_bank_account'"
		"   ORDER BY l.application_id, l.seq DESC"
		"), app AS ("
		"  SELECT a.region, a.id, a.stage::pg_catalog.text AS stage, t.application_id IS NOT NULL AS logged, t.to_stage, t.f,"
		"         CASE WHEN acct.application_id IS NOT NULL AND (t.seq IS NULL OR acct.seq OPERATOR(pg_catalog.>) t.seq)"
		"              THEN acct.account ELSE t.f OPERATOR(pg_catalog.->>) 'payment_bank_account' END AS logged_account,"
		"         a.decision::pg_catalog.text AS decision, a.decided_amount, a.paid_on, a.payment_reference, a.paid_amount,"
		"         a.report_batch_id, a.payment_bank_account"
		"    FROM subsidy.application a"
		"    LEFT JOIN t ON t.application_id OPERATOR(pg_catalog.=) a.id"
		"    LEFT JOIN acct ON acct.application_id OPERATOR(pg_catalog.=) a.id"
		"), field AS ("
		"  SELECT app.region, app.id, app.stage, app.logged, app.to_stage, x.name, x.now, x.said"
		"    FROM app CROSS JOIN LATERAL (VALUES"
		"      ('decision', app.decision, app.f OPERATOR(pg_catalog.->>) 'decision'),"
		"      ('decided_amount', app.decided_amount::pg_catalog.text,"
		"       (app.f OPERATOR(pg_catalog.->>) 'decided_amount')::pg_catalog.numeric::pg_catalog.text),"
		"      ('paid_on', pg_catalog.to_char(app.paid_on, 'YYYY-MM-DD'), app.f OPERATOR(pg_catalog.->>) 'paid_on'),"
		"      ('payment_reference', app.payment_reference, app.f OPERATOR(pg_catalog.->>) 'payment_reference'),"
		"      ('paid_amount', app.paid_amount::pg_catalog.text,"
		"       (app.f OPERATOR(pg_catalog.->>) 'paid_amount')::pg_catalog.numeric::pg_catalog.text),"
		"      ('report_batch_id', app.report_batch_id::pg_catalog.text, app.f OPERATOR(pg_catalog.->>) 'report_batch_id'),"
		"      ('payment_bank_account', CASE WHEN app.logged_account IS NOT NULL THEN app.payment_bank_account END,"
		"       app.logged_account)"
		"    ) AS x(name, now, said)"
		"   WHERE app.logged AND ((x.now IS NULL) OPERATOR(pg_catalog.<>) (x.said IS NULL) OR x.now OPERATOR(pg_catalog.<>) x.said)"
		")"
		"SELECT app.region, app.id, CASE WHEN NOT app.logged"
		"         THEN pg_catalog.format($1, app.stage)"
		"         ELSE pg_catalog.format($2, app.stage, app.to_stage) END"
		"  FROM app WHERE (NOT app.logged AND app.stage OPERATOR(pg_catalog.<>) 'draft')"
		"     OR (app.logged AND app.stage OPERATOR(pg_catalog.<>) app.to_stage)"
		" UNION ALL "
		"SELECT field.region, field.id,"
		"       pg_catalog.format($3, field.name, COALESCE(field.now, $7),"
		"                         COALESCE(field.said, $7))"
		"  FROM field"
		" UNION ALL "
		"SELECT l.region, l.application_id,"
		"       pg_catalog.format($4, l.application_id)"
		"  FROM (SELECT DISTINCT x.region, x.application_id FROM subsidy.audit_log x WHERE x.application_id IS NOT NULL) l"
		" WHERE NOT EXISTS (SELECT FROM subsidy.application a WHERE a.id OPERATOR(pg_catalog.=) l.application_id)"
		" UNION ALL "
		"SELECT x.region, NULL,"
		"       pg_catalog.format($5, x.uscc, x.key,"
		"                         COALESCE(x.now, $7), COALESCE(x.said, $7))"
		"  FROM (SELECT DISTINCT ON (l.uscc, k.key) l.region, l.uscc, k.key,"
		"               l.figures::pg_catalog.jsonb OPERATOR(pg_catalog.->) k.key OPERATOR(pg_catalog.->>) 1 AS said,"
		"               CASE WHEN k.key OPERATOR(pg_catalog.=) 'bank_name' THEN e.bank_name ELSE e.bank_account END AS now, e.uscc IS NULL AS gone"
		"          FROM subsidy.audit_log l"
		"         CROSS JOIN (VALUES ('bank_name'), ('bank_account')) AS k(key)"
		"          LEFT JOIN subsidy.enterprise e ON e.uscc::pg_catalog.text OPERATOR(pg_catalog.=) l.uscc"
		"         WHERE l.application_id IS NULL AND l.uscc IS NOT NULL"
		"           AND l.action OPERATOR(pg_catalog.=) ANY ('{enterprise,bank_account,baseline}'::pg_catalog.text[])"
		"           AND l.figures::pg_catalog.jsonb OPERATOR(pg_catalog.?) k.key"
		"         ORDER BY l.uscc, k.key, l.at DESC, l.seq DESC) x"
		" WHERE NOT x.gone AND ((x.now IS NULL) OPERATOR(pg_catalog.<>) (x.said IS NULL) OR x.now OPERATOR(pg_catalog.<>) x.said)"

		" UNION ALL "
		"SELECT NULL, NULL, pg_catalog.format($6, r.started_at, r.started_by)"
		"  FROM subsidy.restore_in_progress r",
		lengthof(problems), types, problems, NULL, true, CURSOR_OPT_NO_SCROLL);
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
			char	   *app = SPI_getvalue(t, d, 2);

			report(v, SPI_getvalue(t, d, 1), 0, app ? strtoll(app, NULL, 10) : 0, SPI_getvalue(t, d, 3));
		}
		MemoryContextSwitchTo(old);
		MemoryContextReset(batch);
		SPI_freetuptable(SPI_tuptable);
	}
	SPI_cursor_close(cursor);
	MemoryContextDelete(batch);
}

/*
 * Every row of the logged tables (audit.c) the caller may read against the state its log
 * last gives it: a row changed, removed or added outside the extension's
 * steps (triggers off, a doctored dump) is found.  One query, streamed.
 */
static void
verify_rows(Verification *v)
{
	StringInfoData now,
				readable,
				gone_ok,
				moving;
	Portal		cursor;
	bool		every = sees_every_region();
	MemoryContext batch = AllocSetContextCreate(CurrentMemoryContext, "verify_audit rows",
												ALLOCSET_DEFAULT_SIZES);
	Datum		problems[] = {
		CStringGetTextDatum(_("%s differs from what its log last says (entry %s of region %s)")),
		CStringGetTextDatum(_("%s is in the table, but not in the log")),
		CStringGetTextDatum(_("%s is gone from the table, but its log last gave it at entry %s of region %s")),
		CStringGetTextDatum(_("%s is in the table, but its log says it was removed (entry %s of region %s)"))
	};
	Oid			types[lengthof(problems)] = {TEXTOID, TEXTOID, TEXTOID, TEXTOID};
	bool		any = false;

	initStringInfo(&now);
	initStringInfo(&readable);
	initStringInfo(&gone_ok);
	initStringInfo(&moving);
	for (int i = 0; i < logged_table_count; i++)
	{
		const LoggedTable *lt = &logged_tables[i];
		Oid			relid = get_relname_relid(lt->table, subsidy_namespace());

		if (!OidIsValid(relid) || pg_class_aclcheck(relid, GetUserId(), ACL_SELECT) != ACLCHECK_OK)
			continue;
		appendStringInfo(&now, "%sSELECT subsidy.row_subject(t) AS subject, subsidy.row_state(t) AS state, "
						 "(%s) AS unlogged_ok, %s::pg_catalog.text AS region FROM subsidy.%s t WHERE %s",
						 any ? " UNION ALL " : "", lt->unlogged_ok ? lt->unlogged_ok : "false",
						 lt->chain ? lt->chain : "NULL", lt->table, lt->compared ? lt->compared : "true");
		if (lt->gone_ok)
			appendStringInfo(&gone_ok, " AND (pg_catalog.split_part(s.subject, ' ', 1) OPERATOR(pg_catalog.<>) '%s' OR NOT %s)",
							 lt->table, lt->gone_ok);
		if (lt->moves)
			appendStringInfo(&moving, "%s%s", moving.len ? "," : "", lt->table);
		appendStringInfo(&readable, "%s%s", any ? "," : "", lt->table);
		any = true;
	}
	if (!any)
		return;
	cursor = SPI_cursor_open_with_args(NULL, psprintf(
		/* a chain's order is its entries' (appended under its lock); chains are ordered by time */
		"WITH said AS MATERIALIZED ("
		"  SELECT DISTINCT ON (c.subject) c.subject, c.region, c.seq, c.state FROM ("
		"    SELECT DISTINCT ON (l.subject, l.region) l.subject, l.region, l.seq, l.state, l.at"
		"      FROM subsidy.audit_log l"
		"     WHERE l.subject IS NOT NULL"
		"       AND pg_catalog.split_part(l.subject, ' ', 1) OPERATOR(pg_catalog.=) ANY ('{%s}'::pg_catalog.text[])"
		"     ORDER BY l.subject, l.region, l.seq DESC) c"
		"   ORDER BY c.subject, c.at DESC, c.seq DESC"
		"), now AS (%s)"
		"SELECT coalesce(s.region, n.region),"
		"       CASE WHEN s.subject IS NULL THEN pg_catalog.format($2, n.subject)"
		"            WHEN n.subject IS NULL THEN pg_catalog.format($3, s.subject, s.seq, s.region)"
		"            WHEN s.state IS NULL THEN pg_catalog.format($4, n.subject, s.seq, s.region)"
		"            ELSE pg_catalog.format($1, n.subject, s.seq, s.region) END,"
		"       CASE WHEN pg_catalog.split_part(coalesce(n.subject, s.subject), ' ', 1) OPERATOR(pg_catalog.=) 'application'"
		"            THEN pg_catalog.split_part(coalesce(n.subject, s.subject), ' ', 2) END,"
		"       s.seq"
		"  FROM now n FULL JOIN said s ON s.subject OPERATOR(pg_catalog.=) n.subject"
		" WHERE (s.subject IS NULL AND NOT n.unlogged_ok AND %s)"
		"    OR (n.subject IS NULL AND s.state IS NOT NULL%s"
		"        AND (%s OR pg_catalog.split_part(s.subject, ' ', 1) OPERATOR(pg_catalog.<>) ALL ('{%s}'::pg_catalog.text[])))"
		"    OR (n.subject IS NOT NULL AND s.subject IS NOT NULL AND n.state IS DISTINCT FROM s.state)",
		readable.data, now.data, every ? "true" : "false", gone_ok.data, every ? "true" : "false", moving.data),
		lengthof(problems), types, problems, NULL, true, CURSOR_OPT_NO_SCROLL);
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
			char	   *app = SPI_getvalue(t, d, 3);
			char	   *seq = SPI_getvalue(t, d, 4);

			report(v, SPI_getvalue(t, d, 1), seq ? strtoll(seq, NULL, 10) : 0, app ? strtoll(app, NULL, 10) : 0,
				   SPI_getvalue(t, d, 2));
		}
		MemoryContextSwitchTo(old);
		MemoryContextReset(batch);
		SPI_freetuptable(SPI_tuptable);
	}
	SPI_cursor_close(cursor);
	MemoryContextDelete(batch);
}

PG_FUNCTION_INFO_V1(verify_audit);
/*
 * subsidy.verify_audit([heads]): every break in the chains, every head kept
 * outside that a chain no longer holds, every difference between the tables
 * and what the log says, and a restore left unfinished.  No rows: the trail
 * is intact and explains the tables.
 */
Datum
verify_audit(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Verification v;

	InitMaterializedSRF(fcinfo, 0);
	memset(&v, 0, sizeof(v));
	v.store = rsinfo->setResult;
	v.desc = rsinfo->setDesc;
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (PG_NARGS() > 0 && !PG_ARGISNULL(0))
		read_heads(&v, PG_GETARG_DATUM(0));
	verify_chains(&v);
	verify_state(&v);
	verify_rows(&v);
	SPI_finish();
	return (Datum) 0;
}
