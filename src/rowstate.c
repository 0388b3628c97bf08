/*
 * rowstate.c: what a row is and what it holds, for the audit trail (S4).
 *
 * Every change the extension logs of a row that a decision or a payment rests
 * on carries the row's subject (its table and primary key, "application 42")
 * and its state (the first 16 bytes of SHA-256 over its columns), so that
 * verify_audit can hold every such row to what its log last says: a row
 * changed, removed or added with the triggers off, or in a doctored dump, no
 * longer matches.
 *
 * Both are computed from what survives a dump and restore and an update of
 * the extension: column names and their values in a fixed text (dates as
 * ISO, timestamps as microseconds since 2000, labels not oids, role names),
 * never the session's settings or the table's physical layout; an empty
 * column is left out, so that a column an update adds empty changes no state.
 */
#include "subsidy.h"

#include "access/htup_details.h"
#include "access/genam.h"
#include "access/relation.h"
#include "catalog/index.h"
#include "catalog/pg_type.h"
#include "parser/parse_type.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/relcache.h"
#include "utils/typcache.h"
#include "utils/partcache.h"
#include "catalog/pg_class.h"
#include "storage/proc.h"

/*
 * From PostgreSQL 18 the caller says whether a deferrable primary key will do;
 * before, a deferrable one was never returned.
 */
#if PG_VERSION_NUM < 180000
#define RelationGetPrimaryKeyIndex(rel, deferrable_ok) RelationGetPrimaryKeyIndex(rel)
#endif

/* A table's name and primary key, remembered per relation. */
typedef struct TableKey
{
	Oid			relid;			/* hash key */
	char		name[NAMEDATALEN];
	int			nkeys;
	AttrNumber	keys[INDEX_MAX_KEYS];
} TableKey;

static HTAB *table_keys = NULL;

/* A table's own name and primary key. */
static void
primary_key_of(Relation rel, TableKey *tk)
{
	Oid			pk = RelationGetPrimaryKeyIndex(rel, false);
	Relation	index;

	strlcpy(tk->name, RelationGetRelationName(rel), NAMEDATALEN);
	tk->nkeys = 0;
	if (!OidIsValid(pk))
		elog(ERROR, "table %s has no primary key to name its rows by", RelationGetRelationName(rel));
	index = index_open(pk, AccessShareLock);
	for (int i = 0; i < index->rd_index->indnkeyatts; i++)
		tk->keys[tk->nkeys++] = index->rd_index->indkey.values[i];
	index_close(index, AccessShareLock);
}

/*
 * A row of a partitioned table, read from the table or from the partition
 * that holds it, is named as the table named it before it was partitioned
 * (subsidy.partition_by_year): by the partitioned table's name, and by its
 * primary key less the partition key, which PostgreSQL adds to every unique
 * key of a partitioned table ("application 42", never "application_y2019 42
 * 2019"), the columns found by name in the row's own relation.
 */
static void
partition_key_of(Relation rel, TableKey *tk)
{
	Oid			root = rel->rd_rel->relispartition ? partition_root(RelationGetRelid(rel)) : RelationGetRelid(rel);
	Relation	parent = relation_open(root, AccessShareLock);
	PartitionKey pkey = RelationGetPartitionKey(parent);
	Oid			pk = RelationGetPrimaryKeyIndex(parent, false);
	Relation	index;

	strlcpy(tk->name, RelationGetRelationName(parent), NAMEDATALEN);
	tk->nkeys = 0;
	if (!OidIsValid(pk))
		elog(ERROR, "table %s has no primary key to name its rows by", RelationGetRelationName(parent));
	index = index_open(pk, AccessShareLock);
	for (int i = 0; i < index->rd_index->indnkeyatts; i++)
	{
		AttrNumber	att = index->rd_index->indkey.values[i];
		bool		partitioning = false;

		for (int k = 0; k < pkey->partnatts; k++)
			partitioning |= pkey->partattrs[k] == att;
		if (partitioning)
			continue;
		tk->keys[tk->nkeys] = get_attnum(RelationGetRelid(rel), get_attname(root, att, false));
		if (tk->keys[tk->nkeys] == InvalidAttrNumber)
			elog(ERROR, "partition %s lacks a key column of %s", RelationGetRelationName(rel), tk->name);
		tk->nkeys++;
	}
	index_close(index, AccessShareLock);
	relation_close(parent, AccessShareLock);
}

static const TableKey *
table_key(Relation rel)
{
	Oid			relid = RelationGetRelid(rel);
	TableKey   *tk;
	bool		found;

	if (table_keys == NULL)
	{
		HASHCTL		ctl;

		memset(&ctl, 0, sizeof(ctl));
		ctl.keysize = sizeof(Oid);
		ctl.entrysize = sizeof(TableKey);
		ctl.hcxt = TopMemoryContext;
		table_keys = hash_create("subsidy row subjects", 32, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	}
	tk = hash_search(table_keys, &relid, HASH_ENTER, &found);
	if (!found)
	{
		PG_TRY();
		{
			if (rel->rd_rel->relispartition || rel->rd_rel->relkind == RELKIND_PARTITIONED_TABLE)
				partition_key_of(rel, tk);
			else
				primary_key_of(rel, tk);
		}
		PG_CATCH();
		{
			hash_search(table_keys, &relid, HASH_REMOVE, NULL);
			PG_RE_THROW();
		}
		PG_END_TRY();
	}
	return tk;
}

/* A role shown by another name than its own (log_role_renamed: the state a row had under its old name). */
static Oid	alias_role = InvalidOid;
static char alias_name[NAMEDATALEN];

static void
row_role_alias(Oid role, const char *name)
{
	alias_role = role;
	if (name)
		strlcpy(alias_name, name, NAMEDATALEN);
}

/*
 * The output functions of the types the logged tables use, looked up once per
 * backend: a bulk transition writes the state of every row it moves.
 */
#define OUTPUT_CACHE 32
static Oid	output_type[OUTPUT_CACHE];
static FmgrInfo output_info[OUTPUT_CACHE];
static int	output_count = 0;
static LocalTransactionId output_lxid = InvalidLocalTransactionId;

static FmgrInfo *
output_function(Oid type)
{
	Oid			out;
	bool		varlena;

	/* kept for a transaction: an update of the extension may make its types again */
	if (output_lxid != MyLocalTransactionId())
	{
		output_count = 0;
		output_lxid = MyLocalTransactionId();
	}
	for (int i = 0; i < output_count; i++)
		if (output_type[i] == type)
			return &output_info[i];
	getTypeOutputInfo(type, &out, &varlena);
	if (output_count == OUTPUT_CACHE)
	{
		FmgrInfo   *once = MemoryContextAlloc(CurrentMemoryContext, sizeof(FmgrInfo));

		fmgr_info(out, once);
		return once;
	}
	fmgr_info_cxt(out, &output_info[output_count], TopMemoryContext);
	output_type[output_count] = type;
	return &output_info[output_count++];
}

/* A value as the trail writes it: the same whatever the session's settings, and after a restore. */
static void
append_value(StringInfo buf, Form_pg_attribute att, Datum value)
{
	switch (att->atttypid)
	{
		case DATEOID:
			{
				DateADT		d = DatumGetDateADT(value);
				int			year,
							month,
							day;

				if (DATE_NOT_FINITE(d))
				{
					appendStringInfoString(buf, DATE_IS_NOBEGIN(d) ? "-infinity" : "infinity");
					return;
				}
				j2date(d + POSTGRES_EPOCH_JDATE, &year, &month, &day);
				appendStringInfo(buf, "%04d-%02d-%02d", year, month, day);
				return;
			}
		case TIMESTAMPOID:
		case TIMESTAMPTZOID:
			appendStringInfo(buf, INT64_FORMAT, DatumGetInt64(value));
			return;
		case INT2OID:
		case INT4OID:
		case INT8OID:
			{
				/* pg_lltoa, not a format: every update of a logged row writes its numbers */
				char		digits[MAXINT8LEN + 1];
				int64		n = att->atttypid == INT2OID ? DatumGetInt16(value) :
					att->atttypid == INT4OID ? DatumGetInt32(value) : DatumGetInt64(value);

				appendBinaryStringInfo(buf, digits, pg_lltoa(n, digits));
				return;
			}
		case BOOLOID:
			appendStringInfoChar(buf, DatumGetBool(value) ? 't' : 'f');
			return;
		case TEXTOID:
		case VARCHAROID:
		case JSONOID:
			{
				text	   *t = DatumGetTextPP(value);

				appendBinaryStringInfo(buf, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
				return;
			}
		case BYTEAOID:
			{
				bytea	   *b = DatumGetByteaPP(value);
				const uint8 *p = (const uint8 *) VARDATA_ANY(b);

				for (int i = 0; i < VARSIZE_ANY_EXHDR(b); i++)
					appendStringInfo(buf, "%02x", p[i]);
				return;
			}
		default:
			{
				/* enums by label, roles by name, numerics and jsonb in their text */
				if (att->atttypid == REGROLEOID && OidIsValid(alias_role) &&
					DatumGetObjectId(value) == alias_role)
				{
					appendStringInfoString(buf, quote_identifier(alias_name));
					return;
				}

				appendStringInfoString(buf, OutputFunctionCall(output_function(att->atttypid), value));
				return;
			}
	}
}

/* "table key ...": the row as the trail names it. */
char *
row_subject(Relation rel, HeapTuple tuple)
{
	const TableKey *tk = table_key(rel);
	TupleDesc	desc = RelationGetDescr(rel);
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfoString(&buf, tk->name);
	for (int i = 0; i < tk->nkeys; i++)
	{
		bool		isnull;
		Datum		v = heap_getattr(tuple, tk->keys[i], desc, &isnull);

		appendStringInfoChar(&buf, ' ');
		if (isnull)
			appendStringInfoString(&buf, "-");
		else
			append_value(&buf, TupleDescAttr(desc, tk->keys[i] - 1), v);
	}
	return buf.data;
}

/* The row's state: SHA-256 over each column's name and value (empty ones left out), its first bytes. */
void
row_state(TupleDesc desc, HeapTuple tuple, uint8 *state)
{
	Datum	   *values = palloc(desc->natts * sizeof(Datum));
	bool	   *nulls = palloc(desc->natts * sizeof(bool));

	/* deformed once: column by column, heap_getattr walks the row from its start each time */
	heap_deform_tuple(tuple, desc, values, nulls);
	row_state_values(desc, values, nulls, state);
	pfree(values);
	pfree(nulls);
}

/* The same, of a row its caller has deformed already (the application's trail has). */
void
row_state_values(TupleDesc desc, const Datum *values, const bool *nulls, uint8 *state)
{
	StringInfoData buf;
	uint8		hash[32];

	initStringInfo(&buf);
	for (int i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);

		if (att->attisdropped || nulls[i])
			continue;
		appendStringInfoString(&buf, NameStr(att->attname));
		appendStringInfoChar(&buf, '\0');
		append_value(&buf, att, values[i]);
		appendStringInfoChar(&buf, '\0');
	}
	sha256_buffer(buf.data, buf.len, hash);
	memcpy(state, hash, ROW_STATE_BYTES);
	pfree(buf.data);
}

/* The relation a row of a table's type comes from, opened; the row as a HeapTuple. */
static Relation
row_relation(HeapTupleHeader th, HeapTupleData *tuple)
{
	Oid			typid = HeapTupleHeaderGetTypeId(th);
	Oid			relid = typeOrDomainTypeRelid(typid);

	if (!OidIsValid(relid))
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("a row of a table is expected, not a value of type %s", format_type_be(typid))));
	tuple->t_len = HeapTupleHeaderGetDatumLength(th);
	ItemPointerSetInvalid(&tuple->t_self);
	tuple->t_tableOid = relid;
	tuple->t_data = th;
	return relation_open(relid, AccessShareLock);
}

/*
 * A table's row, given as a composite: its subject and state, with a role
 * shown by the name given (NULL: by its own).
 */
void
row_subject_state(Datum row, Oid role, const char *name, char **subject, uint8 *state)
{
	HeapTupleData tuple;
	Relation	rel = row_relation(DatumGetHeapTupleHeader(row), &tuple);

	row_role_alias(name ? role : InvalidOid, name);
	PG_TRY();
	{
		*subject = row_subject(rel, &tuple);
		row_state(RelationGetDescr(rel), &tuple, state);
	}
	PG_FINALLY();
	{
		row_role_alias(InvalidOid, NULL);
	}
	PG_END_TRY();
	relation_close(rel, AccessShareLock);
}

PG_FUNCTION_INFO_V1(row_subject_sql);
/* subsidy.row_subject(record): a table's row as the trail names it ("application 42"). */
Datum
row_subject_sql(PG_FUNCTION_ARGS)
{
	HeapTupleData tuple;
	Relation	rel = row_relation(PG_GETARG_HEAPTUPLEHEADER(0), &tuple);
	char	   *subject = row_subject(rel, &tuple);

	relation_close(rel, AccessShareLock);
	PG_RETURN_TEXT_P(cstring_to_text(subject));
}

PG_FUNCTION_INFO_V1(row_state_sql);
/* subsidy.row_state(record): a table's row's state, as the trail records it. */
Datum
row_state_sql(PG_FUNCTION_ARGS)
{
	HeapTupleData tuple;
	Relation	rel = row_relation(PG_GETARG_HEAPTUPLEHEADER(0), &tuple);
	bytea	   *result = palloc(VARHDRSZ + ROW_STATE_BYTES);

	row_state(RelationGetDescr(rel), &tuple, (uint8 *) VARDATA(result));
	SET_VARSIZE(result, VARHDRSZ + ROW_STATE_BYTES);
	relation_close(rel, AccessShareLock);
	PG_RETURN_BYTEA_P(result);
}
