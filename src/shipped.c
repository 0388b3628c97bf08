/*
 * shipped.c: rows the extension ships are the extension's.
 *
 * Tables that mix shipped data (the Jilin regions, parameter sets, the State
 * Council's calendars) with a DBA's own rows mark each row's origin.  Shipped
 * rows come back with CREATE EXTENSION and are left out of pg_dump, so they
 * must not be changed in place: a DBA overrides them with rows of their own.
 */
#include "subsidy.h"

#include "commands/extension.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/rel.h"

/* Whether a row's origin column says 'extension'. */
static bool
row_is_shipped(HeapTuple tuple, TupleDesc desc, int attnum)
{
	bool		isnull;
	Datum		origin = heap_getattr(tuple, attnum, desc, &isnull);

	return !isnull &&
		strcmp(DatumGetCString(DirectFunctionCall1(enum_out, origin)), "extension") == 0;
}

PG_FUNCTION_INFO_V1(protect_shipped_rows);
/* Trigger: only the extension's own scripts write rows of origin 'extension'. */
Datum
protect_shipped_rows(PG_FUNCTION_ARGS)
{
	static const char *const tables[] = {"region", "region_basis_year", "policy_year", "calendar",
	"required_document", NULL};
	TriggerData *trigdata = trigger_on(fcinfo, "protect_shipped_rows", tables, true, 1);
	TupleDesc	desc;
	int			attnum;
	HeapTuple	shipped = NULL;

	desc = RelationGetDescr(trigdata->tg_relation);
	attnum = SPI_fnumber(desc, "origin");
	if (attnum <= 0)
		elog(ERROR, "table \"%s\" has no origin column", RelationGetRelationName(trigdata->tg_relation));

	if (!creating_extension)
	{
		if (TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
			shipped = row_is_shipped(trigdata->tg_trigtuple, desc, attnum) ? trigdata->tg_trigtuple : NULL;
		else if (row_is_shipped(trigdata->tg_trigtuple, desc, attnum))
			shipped = trigdata->tg_trigtuple;
		else if (TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) &&
				 row_is_shipped(trigdata->tg_newtuple, desc, attnum))
			shipped = trigdata->tg_newtuple;
	}
	if (shipped != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_SUBSIDY_SHIPPED_ROW),
				 errmsg("rows of origin \"extension\" in \"%s\" are shipped with subsidy and cannot be changed",
						RelationGetRelationName(trigdata->tg_relation)),
				 errdetail("Shipped rows come back with CREATE EXTENSION and ALTER EXTENSION UPDATE, so a change to them would not last."),
				 errhint("Insert a row of your own (origin 'local'), which takes precedence where the table allows one, or add what is missing.")));

	if (TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event))
		return PointerGetDatum(trigdata->tg_newtuple);
	return PointerGetDatum(trigdata->tg_trigtuple);
}
