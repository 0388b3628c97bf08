/*
 * partition.c: the applications and the audit trail partitioned by year, for a
 * province that keeps every region in one database for many years (issue 15).
 *
 * subsidy.partition_by_year() makes subsidy.application a table partitioned by
 * subsidy year and subsidy.audit_log one partitioned by the year its entries
 * were written.  A table cannot become partitioned in place, and the views,
 * functions, triggers and policies of the extension name the tables by their
 * oids and row types: so the procedure does what an update of the extension
 * does (ALTER EXTENSION ... UPDATE runs upgrade/drop_code.sql, the schema's
 * changes, then the code files), from the file the build makes for it
 * (subsidy-partition-<version>.sql: drop_code.sql, partition/by_year.sql and
 * the code), run as PostgreSQL runs an extension's script: the objects it
 * creates belong to the extension, the ones it drops may be the extension's.
 *
 * subsidy.log_archive(year) writes the trail's entry for each application of
 * a year that subsidy.archive_year takes out of the table: the row left, in
 * the state the entry gives, for the archive it went to.
 */
#include "subsidy.h"

#include "access/xact.h"
#include "catalog/partition.h"
#include "catalog/pg_class.h"
#include "commands/extension.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "storage/fd.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

/* The table a partition belongs to at the top (itself when it is none). */
Oid
partition_root(Oid relid)
{
	List	   *ancestors;
	Oid			root = relid;

	if (!get_rel_relispartition(relid))
		return relid;
	ancestors = get_partition_ancestors(relid);
	if (ancestors != NIL)
		root = llast_oid(ancestors);
	list_free(ancestors);
	return root;
}

/* The script partition_by_year runs, as the build installed it beside the extension's. */
static char *
partition_script(void)
{
	char		sharepath[MAXPGPATH];
	char		path[MAXPGPATH];
	FILE	   *file;
	StringInfoData buf;
	char		line[8192];

	get_share_path(my_exec_path, sharepath);
	snprintf(path, sizeof(path), "%s/extension/subsidy-partition-%s.sql", sharepath, SUBSIDY_VERSION);
	file = AllocateFile(path, "r");
	if (file == NULL)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not open the partitioning script \"%s\": %m", path),
				 errhint("It is installed with the extension (make install).")));
	initStringInfo(&buf);
	while (fgets(line, sizeof(line), file) != NULL)
	{
		/* psql's guard against the file run by hand, as an extension's script has */
		if (strncmp(line, "\\echo", 5) == 0)
			continue;
		appendStringInfoString(&buf, line);
	}
	FreeFile(file);
	return buf.data;
}

/* MODULE_PATHNAME, as CREATE EXTENSION replaces it from subsidy.control. */
static char *
with_module_pathname(const char *script)
{
	StringInfoData buf;
	const char *p = script;
	const char *hit;

	initStringInfo(&buf);
	while ((hit = strstr(p, "MODULE_PATHNAME")) != NULL)
	{
		appendBinaryStringInfo(&buf, p, hit - p);
		appendStringInfoString(&buf, "$libdir/subsidy");
		p = hit + strlen("MODULE_PATHNAME");
	}
	appendStringInfoString(&buf, p);
	return buf.data;
}

/* Run a script of the extension as CREATE or ALTER EXTENSION runs one (extension.c). */
static void
run_as_extension_script(const char *sql)
{
	Oid			extension = get_extension_oid("subsidy", false);
	int			nestlevel = NewGUCNestLevel();

	(void) set_config_option("client_min_messages", "warning", PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	(void) set_config_option("search_path", "subsidy, pg_temp", PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	/* functions are created in file order, before those they call: not checked as they are */
	(void) set_config_option("check_function_bodies", "off", PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	creating_extension = true;
	CurrentExtensionObject = extension;
	PG_TRY();
	{
		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "SPI_connect failed");
		if (SPI_execute(sql, false, 0) < 0)
			elog(ERROR, "the partitioning script failed");
		SPI_finish();
	}
	PG_FINALLY();
	{
		creating_extension = false;
		CurrentExtensionObject = InvalidOid;
	}
	PG_END_TRY();
	AtEOXact_GUC(true, nestlevel);
}

PG_FUNCTION_INFO_V1(partition_by_year);
/*
 * CALL subsidy.partition_by_year(): subsidy.application partitioned by subsidy
 * year and subsidy.audit_log by the year of its entries, with the same rows,
 * names, rights, triggers, policies, views and trail.  A superuser's; once.
 */
Datum
partition_by_year(PG_FUNCTION_ARGS)
{
	Oid			application;

	if (!superuser())
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied to partition subsidy's tables"),
				 errdetail("Partitioning rebuilds the extension's tables and code; only a superuser does it.")));
	application = get_relname_relid("application", subsidy_namespace());
	if (OidIsValid(application) && get_rel_relkind(application) == RELKIND_PARTITIONED_TABLE)
	{
		ereport(NOTICE,
				(errmsg("subsidy's tables are partitioned by year already"),
				 errhint("A year's partitions are made by CALL subsidy.add_year_partitions(year).")));
		PG_RETURN_VOID();
	}
	run_as_extension_script(with_module_pathname(partition_script()));
	PG_RETURN_VOID();
}

PG_FUNCTION_INFO_V1(log_archive);
/*
 * subsidy.log_archive(year, archive): for each application of the year, an
 * entry in its region's chain: the row leaves the table for the archive, as
 * it stands (its state, in the figures), so that verify_audit no longer looks
 * for it there and subsidy.verify_archive can hold the archive to it.
 * Returns how many it wrote.  A superuser's.
 */
Datum
log_archive(PG_FUNCTION_ARGS)
{
	int32		year = PG_GETARG_INT32(0);
	char	   *archive = text_to_cstring(PG_GETARG_TEXT_PP(1));
	Oid			argtypes[1] = {INT4OID};
	Datum		args[1] = {Int32GetDatum(year)};
	Portal		cursor;
	int64		written = 0;
	MemoryContext batch;

	if (!superuser())
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied to archive a year of applications"),
				 errdetail("Archiving takes rows out of the table the trail holds them to; only a superuser does it.")));
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	batch = AllocSetContextCreate(CurrentMemoryContext, "log_archive batch", ALLOCSET_DEFAULT_SIZES);
	cursor = SPI_cursor_open_with_args(NULL,
									   "SELECT a.region, a.id, a.uscc::pg_catalog.text, subsidy.row_subject(a),"
									   " pg_catalog.encode(subsidy.row_state(a), 'hex'), a.stage::pg_catalog.text"
									   " FROM subsidy.application a WHERE a.year OPERATOR(pg_catalog.=) $1"
									   " ORDER BY a.region, a.id",
									   1, argtypes, args, NULL, true, CURSOR_OPT_NO_SCROLL);
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
			AuditEntry	e = {0};
			char	   *stage = SPI_getvalue(t, d, 6);

			e.uscc = SPI_getvalue(t, d, 3);
			e.action = "archive";
			e.from_stage = stage;
			e.detail = psprintf("the row left the table for the archive %s", archive);
			e.figures = psprintf("{\"year\": %d, \"archive\": \"%s\", \"state\": \"%s\"}", year, archive,
								 SPI_getvalue(t, d, 5));
			e.subject = SPI_getvalue(t, d, 4);
			e.state = NULL;
			audit_append(SPI_getvalue(t, d, 1), strtoll(SPI_getvalue(t, d, 2), NULL, 10), &e);
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
