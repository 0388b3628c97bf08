/*
 * odbc_query: do through an ODBC data source what a report tool does, and print what the tool
 * would see.  It speaks only ODBC, never libpq.  Used by test/odbc/run.sh.
 *
 *   odbc_query "DSN=subsidy_test;UID=someone" STEP [STEP ...]
 *
 * Each STEP is one of:
 *   SQL                    SQLExecDirect: every column's name, ODBC SQL type, size and decimal
 *                          digits ("column N: ..."), then the rows in character form
 *   tables:SCHEMA:TABLE    SQLTables (search patterns; an empty one is NULL): "table SCHEMA.NAME | TYPE"
 *   columns:SCHEMA:TABLE   SQLColumns: "column SCHEMA.TABLE.NAME | SQL type | size N | digits N |
 *                          remarks TEXT"
 *   prepare:SQL            SQLPrepare, then SQLNumResultCols and SQLDescribeCol *before* any
 *                          execution (as tools lay out a report), then the parameters given by
 *                          the following param:VALUE steps bound as SQL_C_CHAR, SQLExecute and
 *                          the rows
 *   param:VALUE            a parameter of the last prepare: step
 *   count:SQL              SQLExecDirect, fetching every row: "rows N, sum of column M X" where
 *                          column M is the last column, summed exactly in fen (amounts)
 *   memory                 the process's peak memory so far: "peak memory N kB" (a driver that
 *                          reads a whole result before the first row shows it here)
 *
 * An error prints "error SQLSTATE: message" and goes on with the next step; a statement that
 * succeeds with a message (a server WARNING) prints "info SQLSTATE: message" first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sql.h>
#include <sqlext.h>

#define MAX_PARAMS 8

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

/* The messages of a statement that succeeded with information (the server's warnings). */
static void
print_info(SQLHSTMT stmt)
{
	SQLCHAR		state[6];
	SQLCHAR		message[1024];
	SQLINTEGER	native;
	SQLSMALLINT length;

	for (SQLSMALLINT i = 1; SQL_SUCCEEDED(SQLGetDiagRec(SQL_HANDLE_STMT, stmt, i, state, &native, message,
														 sizeof(message), &length)); i++)
		printf("info %s: %s\n", (char *) state, (char *) message);
}

/* The columns of a prepared or executed statement, as SQLDescribeCol gives them. */
static SQLSMALLINT
describe(SQLHSTMT stmt)
{
	SQLSMALLINT ncols = 0;

	if (!SQL_SUCCEEDED(SQLNumResultCols(stmt, &ncols)))
	{
		print_error(SQL_HANDLE_STMT, stmt);
		return 0;
	}
	for (SQLSMALLINT c = 1; c <= ncols; c++)
	{
		SQLCHAR		name[256];
		SQLSMALLINT name_length,
					type,
					digits,
					nullable;
		SQLULEN		size;

		if (!SQL_SUCCEEDED(SQLDescribeCol(stmt, c, name, sizeof(name), &name_length, &type, &size, &digits,
										  &nullable)))
		{
			print_error(SQL_HANDLE_STMT, stmt);
			continue;
		}
		printf("column %d: %s | %s | size %lu | digits %d\n", c, (char *) name, type_name(type),
			   (unsigned long) size, digits);
	}
	return ncols;
}

/* Fetch and print every row, columns in character form separated by "|". */
static void
print_rows(SQLHSTMT stmt, SQLSMALLINT ncols)
{
	SQLRETURN	ret;

	while (SQL_SUCCEEDED(ret = SQLFetch(stmt)))
	{
		for (SQLSMALLINT c = 1; c <= ncols; c++)
		{
			char		value[8192];
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
	if (ret != SQL_NO_DATA)
		print_error(SQL_HANDLE_STMT, stmt);
}

/* SQLExecDirect: the columns, then the rows. */
static void
run_direct(SQLHSTMT stmt, const char *sql)
{
	SQLRETURN	ret;

	printf("-- %s\n", sql);
	ret = SQLExecDirect(stmt, (SQLCHAR *) sql, SQL_NTS);
	if (!SQL_SUCCEEDED(ret))
	{
		print_error(SQL_HANDLE_STMT, stmt);
		return;
	}
	if (ret == SQL_SUCCESS_WITH_INFO)
		print_info(stmt);
	print_rows(stmt, describe(stmt));
}

/* "A:B" into two patterns: NULL where empty. */
static void
split_patterns(const char *arg, char *schema, char *table, size_t size)
{
	const char *colon = strchr(arg, ':');
	size_t		n = colon ? (size_t) (colon - arg) : strlen(arg);

	snprintf(schema, size, "%.*s", (int) n, arg);
	snprintf(table, size, "%s", colon ? colon + 1 : "");
}

/* A pattern argument: NULL where not given, "" where given as "" (some tools pass an empty string). */
static SQLCHAR *
pattern(char *p)
{
	if (*p == '\0')
		return NULL;
	if (strcmp(p, "\"\"") == 0)
		*p = '\0';
	return (SQLCHAR *) p;
}

/* SQLTables: the schema, name and type of each table or view the driver lists. */
static void
run_tables(SQLHSTMT stmt, const char *arg)
{
	char		schema[256],
				table[256];

	split_patterns(arg, schema, table, sizeof(schema));
	printf("-- SQLTables(%s, %s)\n", *schema ? schema : "NULL", *table ? table : "NULL");
	if (!SQL_SUCCEEDED(SQLTables(stmt, NULL, 0, pattern(schema), SQL_NTS, pattern(table), SQL_NTS, NULL, 0)))
	{
		print_error(SQL_HANDLE_STMT, stmt);
		return;
	}
	while (SQL_SUCCEEDED(SQLFetch(stmt)))
	{
		char		s[256] = "",
					t[256] = "",
					kind[64] = "";
		SQLLEN		ind;

		SQLGetData(stmt, 2, SQL_C_CHAR, s, sizeof(s), &ind);
		SQLGetData(stmt, 3, SQL_C_CHAR, t, sizeof(t), &ind);
		SQLGetData(stmt, 4, SQL_C_CHAR, kind, sizeof(kind), &ind);
		printf("table %s.%s | %s\n", s, t, kind);
	}
}

/* SQLColumns: each column's SQL type, size, decimal digits and remarks, as catalogs show them. */
static void
run_columns(SQLHSTMT stmt, const char *arg)
{
	char		schema[256],
				table[256];

	split_patterns(arg, schema, table, sizeof(schema));
	printf("-- SQLColumns(%s, %s)\n", *schema ? schema : "NULL", *table ? table : "NULL");
	if (!SQL_SUCCEEDED(SQLColumns(stmt, NULL, 0, pattern(schema), SQL_NTS, pattern(table), SQL_NTS, NULL, 0)))
	{
		print_error(SQL_HANDLE_STMT, stmt);
		return;
	}
	while (SQL_SUCCEEDED(SQLFetch(stmt)))
	{
		char		s[256] = "",
					t[256] = "",
					name[256] = "",
					remarks[1024] = "";
		SQLSMALLINT type = 0,
					digits = 0;
		SQLINTEGER	size = 0;
		SQLLEN		ind,
					digits_ind;

		SQLGetData(stmt, 2, SQL_C_CHAR, s, sizeof(s), &ind);
		SQLGetData(stmt, 3, SQL_C_CHAR, t, sizeof(t), &ind);
		SQLGetData(stmt, 4, SQL_C_CHAR, name, sizeof(name), &ind);
		SQLGetData(stmt, 5, SQL_C_SSHORT, &type, 0, &ind);
		SQLGetData(stmt, 7, SQL_C_SLONG, &size, 0, &ind);
		SQLGetData(stmt, 9, SQL_C_SSHORT, &digits, 0, &digits_ind);
		SQLGetData(stmt, 12, SQL_C_CHAR, remarks, sizeof(remarks), &ind);
		if (ind == SQL_NULL_DATA)
			remarks[0] = '\0';
		printf("column %s.%s.%s | %s | size %d | digits %d | remarks %s\n", s, t, name, type_name(type),
			   (int) size, digits_ind == SQL_NULL_DATA ? 0 : digits, remarks);
	}
}

/*
 * SQLPrepare, describe the result before executing (a tool lays out its report from this),
 * then bind the parameters and execute.
 */
static void
run_prepared(SQLHSTMT stmt, const char *sql, char **params, int nparams)
{
	SQLSMALLINT ncols,
				declared = 0;
	SQLLEN		lengths[MAX_PARAMS];

	printf("-- prepared: %s\n", sql);
	if (!SQL_SUCCEEDED(SQLPrepare(stmt, (SQLCHAR *) sql, SQL_NTS)))
	{
		print_error(SQL_HANDLE_STMT, stmt);
		return;
	}
	printf("described before execution:\n");
	ncols = describe(stmt);
	if (SQL_SUCCEEDED(SQLNumParams(stmt, &declared)))
		printf("parameters %d\n", declared);
	for (int i = 0; i < nparams; i++)
	{
		lengths[i] = SQL_NTS;
		if (!SQL_SUCCEEDED(SQLBindParameter(stmt, (SQLUSMALLINT) (i + 1), SQL_PARAM_INPUT, SQL_C_CHAR, SQL_VARCHAR,
											255, 0, params[i], 0, &lengths[i])))
		{
			print_error(SQL_HANDLE_STMT, stmt);
			return;
		}
	}
	if (!SQL_SUCCEEDED(SQLExecute(stmt)))
	{
		print_error(SQL_HANDLE_STMT, stmt);
		return;
	}
	printf("executed:\n");
	ncols = describe(stmt);
	print_rows(stmt, ncols);
}

/* Fetch every row; count them and sum the last column exactly, as a decimal in fen. */
static void
run_count(SQLHSTMT stmt, const char *sql)
{
	SQLSMALLINT ncols = 0;
	long long	rows = 0,
				fen = 0;
	SQLRETURN	ret;

	printf("-- count: %s\n", sql);
	if (!SQL_SUCCEEDED(SQLExecDirect(stmt, (SQLCHAR *) sql, SQL_NTS)) ||
		!SQL_SUCCEEDED(SQLNumResultCols(stmt, &ncols)) || ncols < 1)
	{
		print_error(SQL_HANDLE_STMT, stmt);
		return;
	}
	while (SQL_SUCCEEDED(ret = SQLFetch(stmt)))
	{
		char		value[64];
		SQLLEN		indicator;
		long long	yuan = 0,
					cents = 0;
		int			sign = 1;
		const char *p;

		rows++;
		if (!SQL_SUCCEEDED(SQLGetData(stmt, ncols, SQL_C_CHAR, value, sizeof(value), &indicator)))
		{
			print_error(SQL_HANDLE_STMT, stmt);
			return;
		}
		if (indicator == SQL_NULL_DATA)
			continue;
		p = value;
		if (*p == '-')
			sign = -1, p++;
		for (; *p >= '0' && *p <= '9'; p++)
			yuan = yuan * 10 + (*p - '0');
		if (*p == '.')
		{
			p++;
			for (int d = 0; d < 2; d++)
				cents = cents * 10 + ((*p >= '0' && *p <= '9') ? *p++ - '0' : 0);
		}
		fen += sign * (yuan * 100 + cents);
	}
	if (ret != SQL_NO_DATA)
	{
		print_error(SQL_HANDLE_STMT, stmt);
		return;
	}
	printf("rows %lld, sum of column %d %lld.%02lld\n", rows, ncols, fen / 100, (fen < 0 ? -fen : fen) % 100);
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
		fprintf(stderr, "usage: %s connection-string step...\n", argv[0]);
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
	{
		SQLHSTMT	stmt;

		if (!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_STMT, dbc, &stmt)))
			return 1;
		if (strncmp(argv[i], "tables:", 7) == 0)
			run_tables(stmt, argv[i] + 7);
		else if (strncmp(argv[i], "columns:", 8) == 0)
			run_columns(stmt, argv[i] + 8);
		else if (strncmp(argv[i], "count:", 6) == 0)
			run_count(stmt, argv[i] + 6);
		else if (strcmp(argv[i], "memory") == 0)
		{
			struct rusage usage;

			getrusage(RUSAGE_SELF, &usage);
			printf("peak memory %ld kB\n", usage.ru_maxrss);
		}
		else if (strncmp(argv[i], "prepare:", 8) == 0)
		{
			char	   *params[MAX_PARAMS];
			int			nparams = 0;
			const char *sql = argv[i] + 8;

			while (i + 1 < argc && strncmp(argv[i + 1], "param:", 6) == 0 && nparams < MAX_PARAMS)
				params[nparams++] = argv[++i] + 6;
			run_prepared(stmt, sql, params, nparams);
		}
		else
			run_direct(stmt, argv[i]);
		SQLFreeHandle(SQL_HANDLE_STMT, stmt);
	}
	SQLDisconnect(dbc);
	SQLFreeHandle(SQL_HANDLE_DBC, dbc);
	SQLFreeHandle(SQL_HANDLE_ENV, env);
	return 0;
}
