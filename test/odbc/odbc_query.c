/*
 * odbc_query: run SQL through an ODBC data source and print what a report tool would see:
 * for each result, every column's name, ODBC SQL type, size and decimal digits, then the
 * rows as the driver returns them in character form.  An error prints its SQLSTATE and
 * message.  Used by test/odbc/run.sh; it speaks only ODBC, never libpq.
 *
 *   odbc_query "DSN=subsidy_test;UID=someone" "SELECT ..." ["SELECT ..." ...]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sql.h>
#include <sqlext.h>

static const char *
type_name(SQLSMALLINT type)
{
	switch (type)
	{
		case SQL_CHAR: return "SQL_CHAR";
		case SQL_VARCHAR: return "SQL_VARCHAR";
		case SQL_LONGVARCHAR: return "SQL_LONGVARCHAR";
		case SQL_WCHAR: return "SQL_WCHAR";
		case SQL_WVARCHAR: return "SQL_WVARCHAR";
		case SQL_WLONGVARCHAR: return "SQL_WLONGVARCHAR";
		case SQL_NUMERIC: return "SQL_NUMERIC";
		case SQL_DECIMAL: return "SQL_DECIMAL";
		case SQL_INTEGER: return "SQL_INTEGER";
		case SQL_SMALLINT: return "SQL_SMALLINT";
		case SQL_BIGINT: return "SQL_BIGINT";
		case SQL_REAL: return "SQL_REAL";
		case SQL_FLOAT: return "SQL_FLOAT";
		case SQL_DOUBLE: return "SQL_DOUBLE";
		case SQL_BIT: return "SQL_BIT";
		case SQL_TYPE_DATE: return "SQL_TYPE_DATE";
		case SQL_TYPE_TIMESTAMP: return "SQL_TYPE_TIMESTAMP";
		case SQL_UNKNOWN_TYPE: return "SQL_UNKNOWN_TYPE";
		default: return "other";
	}
}

/* Print the diagnostics of a handle: SQLSTATE and message. */
static void
print_error(SQLSMALLINT handle_type, SQLHANDLE handle)
{
	SQLCHAR		state[6];
	SQLCHAR		message[1024];
	SQLINTEGER	native;
	SQLSMALLINT length;

	if (SQL_SUCCEEDED(SQLGetDiagRec(handle_type, handle, 1, state, &native, message, sizeof(message), &length)))
		printf("error %s: %s\n", (char *) state, (char *) message);
	else
		printf("error: no diagnostics\n");
}

static int
run(SQLHDBC dbc, const char *sql)
{
	SQLHSTMT	stmt;
	SQLSMALLINT ncols;
	SQLRETURN	ret;

	if (!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_STMT, dbc, &stmt)))
		return 1;
	printf("-- %s\n", sql);
	ret = SQLExecDirect(stmt, (SQLCHAR *) sql, SQL_NTS);
	if (!SQL_SUCCEEDED(ret))
	{
		print_error(SQL_HANDLE_STMT, stmt);
		SQLFreeHandle(SQL_HANDLE_STMT, stmt);
		return 0;
	}
	SQLNumResultCols(stmt, &ncols);
	for (SQLSMALLINT c = 1; c <= ncols; c++)
	{
		SQLCHAR		name[256];
		SQLSMALLINT name_length,
					type,
					digits,
					nullable;
		SQLULEN		size;

		SQLDescribeCol(stmt, c, name, sizeof(name), &name_length, &type, &size, &digits, &nullable);
		printf("column %d: %s | %s | size %lu | digits %d\n", c, (char *) name, type_name(type),
			   (unsigned long) size, digits);
	}
	while (SQL_SUCCEEDED(SQLFetch(stmt)))
	{
		for (SQLSMALLINT c = 1; c <= ncols; c++)
		{
			char		value[4096];
			SQLLEN		indicator;

			ret = SQLGetData(stmt, c, SQL_C_CHAR, value, sizeof(value), &indicator);
			if (!SQL_SUCCEEDED(ret))
			{
				print_error(SQL_HANDLE_STMT, stmt);
				break;
			}
			printf("%s%s", c > 1 ? "|" : "", indicator == SQL_NULL_DATA ? "" : value);
		}
		printf("\n");
	}
	SQLFreeHandle(SQL_HANDLE_STMT, stmt);
	return 0;
}

int
main(int argc, char **argv)
{
	SQLHENV		env;
	SQLHDBC		dbc;
	SQLCHAR		out[1024];
	SQLSMALLINT out_length;

	if (argc < 3)
	{
		fprintf(stderr, "usage: %s connection-string sql...\n", argv[0]);
		return 2;
	}
	SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env);
	SQLSetEnvAttr(env, SQL_ATTR_ODBC_VERSION, (void *) SQL_OV_ODBC3, 0);
	SQLAllocHandle(SQL_HANDLE_DBC, env, &dbc);
	if (!SQL_SUCCEEDED(SQLDriverConnect(dbc, NULL, (SQLCHAR *) argv[1], SQL_NTS, out, sizeof(out), &out_length,
										SQL_DRIVER_NOPROMPT)))
	{
		print_error(SQL_HANDLE_DBC, dbc);
		return 1;
	}
	for (int i = 2; i < argc; i++)
		run(dbc, argv[i]);
	SQLDisconnect(dbc);
	SQLFreeHandle(SQL_HANDLE_DBC, dbc);
	SQLFreeHandle(SQL_HANDLE_ENV, env);
	return 0;
}
