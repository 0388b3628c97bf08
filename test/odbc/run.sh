#!/usr/bin/env bash
# The ODBC suite: what a report tool sees of the reports, through unixODBC and the PostgreSQL
# ODBC driver (psqlODBC), connected over TCP through a DSN as a login of subsidy_reader.
# It checks that every column of the reports arrives with an ODBC numeric, character or date
# type, Chinese headings and names intact in UTF-8, the same rows as psql gives the same role,
# and a forbidden column refused; and, through the DSN the README gives (TextAsLongVarchar=0,
# UseDeclareFetch=1, Fetch=1000) as a report login whose search_path is subsidy_report, what
# tools do with schema subsidy_report (R1-R4): list its objects (SQLTables) and their columns
# with type, size and scale (SQLColumns), find them by name without a schema, describe a
# prepared statement before executing it, with UseServerSidePrepare on and off, fetch a large
# result by cursor, read the labels, and be told why a login reads nothing.  Run by
# test/test-all.sh on its throwaway cluster (PGHOST, PGPORT set); prints one line per check
# and "odbc: N passed, N failed".
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d /tmp/subsidy-odbc.XXXXXX)
trap 'rm -rf "$work"' EXIT
source "$ROOT/test/checks.sh"

db=subsidy_odbc
psql -X -q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
psql -X -q -v ON_ERROR_STOP=1 -d $db -c "CREATE EXTENSION subsidy" >/dev/null
PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 -d $db -v applications=3000 -v stage=published \
	-f "$ROOT/test/sample/province.sql" >/dev/null || { echo "could not build the sample province"; exit 1; }
psql -X -q -v ON_ERROR_STOP=1 -d $db <<-'SQL'
	DO $$ BEGIN
	  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'regress_odbc_reader') THEN
	    CREATE ROLE regress_odbc_reader LOGIN IN ROLE subsidy_reader;
	  END IF;
	END $$;
	INSERT INTO subsidy.staff_region (staff, region) VALUES ('regress_odbc_reader', '220000');
	-- the report login the README describes: subsidy_reader, mapped to the province, its
	-- search_path the reports schema; one mapped to no region; one with no role at all
	DO $$ BEGIN
	  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'regress_odbc_report') THEN
	    CREATE ROLE regress_odbc_report LOGIN IN ROLE subsidy_reader;
	  END IF;
	  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'regress_odbc_lost') THEN
	    CREATE ROLE regress_odbc_lost LOGIN IN ROLE subsidy_reader;
	  END IF;
	  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'regress_odbc_nobody') THEN
	    CREATE ROLE regress_odbc_nobody LOGIN;
	  END IF;
	END $$;
	INSERT INTO subsidy.staff_region (staff, region) VALUES ('regress_odbc_report', '220000');
	ALTER ROLE regress_odbc_report IN DATABASE subsidy_odbc SET search_path = subsidy_report;
	ALTER ROLE regress_odbc_lost IN DATABASE subsidy_odbc SET search_path = subsidy_report;
	ALTER ROLE regress_odbc_nobody IN DATABASE subsidy_odbc SET search_path = subsidy_report;
SQL

# The driver as Debian installs it, and a DSN of our own, in files of our own.
driver=$(dpkg -L odbc-postgresql | grep '/psqlodbcw\.so$' | head -1)
cat > "$work/odbcinst.ini" <<-INI
	[subsidy PostgreSQL Unicode]
	Driver=$driver
INI
cat > "$work/odbc.ini" <<-INI
	[subsidy_reports]
	Driver=subsidy PostgreSQL Unicode
	Servername=127.0.0.1
	Port=$PGPORT
	Database=$db
	Username=regress_odbc_reader
	SSLmode=disable

	[subsidy_tools]
	Driver=subsidy PostgreSQL Unicode
	Servername=127.0.0.1
	Port=$PGPORT
	Database=$db
	Username=regress_odbc_report
	SSLmode=disable
	TextAsLongVarchar=0
	UseDeclareFetch=1
	Fetch=1000
INI
export ODBCSYSINI=$work ODBCINI=$work/odbc.ini
cc -Wall -Werror -o "$work/odbc_query" "$ROOT/test/odbc/odbc_query.c" -lodbc || { echo "could not build odbc_query"; exit 1; }

# odbc QUERY: the query's columns and rows through the DSN.
odbc() { "$work/odbc_query" "DSN=subsidy_reports" "$@"; }
# psql_rows QUERY: the same rows through psql, as the same role, in the same form.
psql_rows() { psql -X -At -d $db -c "SET ROLE regress_odbc_reader" -c "$1" | sed '1d'; }

# columns_typed VIEW: every column arrives with a type a report tool reads.
columns_typed() {
	local out
	out=$(odbc "SELECT * FROM subsidy.$1 LIMIT 1") || return 1
	echo "$out" | grep '^column ' > "$work/$1.columns"
	[ -s "$work/$1.columns" ] || return 1
	! grep -Ev '\| SQL_(NUMERIC|INTEGER|BIGINT|W?VARCHAR|W?LONGVARCHAR|TYPE_DATE) \|' "$work/$1.columns"
}
# same_rows QUERY: ODBC and psql give the same rows.
same_rows() {
	diff <(odbc "$1" | grep -v -e '^column ' -e '^-- ') <(psql_rows "$1")
}

for view in region_summary annex3 publicity_list application_list analysis_by_category analysis_by_firm_size \
	analysis_by_layoff_band analysis_fund_sufficiency analysis_figure_differences; do
	check "types of $view" columns_typed "$view"
done

# The annex's Chinese headings, as the tool lists them, against the view's own.
headings_intact() {
	diff <(sed -E 's/^column [0-9]+: (.*) \| SQL_.*$/\1/' "$work/annex3.columns") \
		<(psql -X -At -d $db -c "SELECT attname FROM pg_attribute WHERE attrelid = 'subsidy.annex3'::regclass AND attnum > 0 ORDER BY attnum")
}
check "Chinese headings of annex3 intact" headings_intact
echo "annex3 as the driver describes it:"
sed 's/^/    /' "$work/annex3.columns"
grep -E '统一社会信用代码 \| SQL_W?(LONG)?VARCHAR' "$work/annex3.columns" >/dev/null &&
	grep -E '核定补贴金额（元） \| SQL_NUMERIC \| size 16 \| digits 2' "$work/annex3.columns" >/dev/null
check "annex3 amount is numeric(16,2), code is text" test $? -eq 0

check "region_summary: same totals as psql" same_rows \
	"SELECT region, region_name, year, applied, approved, rejected, insured_covered, amount_total FROM subsidy.region_summary ORDER BY region, year"
check "annex3: same rows as psql, names in pinyin order" same_rows \
	"SELECT \"统筹地区\", \"序号\", \"单位名称\", \"核定补贴金额（元）\", \"审核结果\" FROM subsidy.annex3 WHERE \"统筹地区代码\" = '220400'"
check "publicity_list: same rows, capitals intact" same_rows \
	"SELECT enterprise, uscc, amount, amount_in_capitals, publicity_starts_on, publicity_ends_on FROM subsidy.publicity_list WHERE region = '22X002'"
check "annual report: same rows as psql" same_rows \
	"SELECT level, region, region_name, enterprises_applied, enterprises_approved, amount_total, fund_cover_months FROM subsidy.annual_report(2019)"
forbidden() { odbc "SELECT bank_account FROM subsidy.enterprise LIMIT 1" | grep -q '^error 42501: '; }
check "a bank account is refused to the reader" forbidden
capitals() { odbc "SELECT subsidy.rmb_upper(107000.53) AS 大写" | grep -qx '人民币壹拾万柒仟元零伍角叁分'; }
check "capitals arrive in UTF-8" capitals

# ---------------------------------------------------------------------------------------------
# Schema subsidy_report as a tool reads it, through the README's DSN, as the report login.
tools() { "$work/odbc_query" "DSN=subsidy_tools$1" "${@:2}"; }
report_psql() {
	psql -X -At -d $db -c "SET client_min_messages = error" -c "SET ROLE regress_odbc_report" \
		-c "SET search_path = subsidy_report" -c "$1" | sed '1,3d'
}

# SQLTables: the schema lists every report object, and nothing else (R1-R4).
tools "" "tables:subsidy_report:%" | grep '^table ' | sed -E 's/^table subsidy_report\.(.*) \| VIEW$/\1/' | sort > "$work/listed"
psql -X -At -d $db -c "SELECT relname FROM pg_class WHERE relnamespace = 'subsidy_report'::regnamespace AND relkind = 'v'" | sort > "$work/views"
listed_all() { [ -s "$work/listed" ] && diff "$work/listed" "$work/views"; }
check "SQLTables lists every report object of subsidy_report, views only (R1-R4)" listed_all

# SQLColumns of every report object (the views, and the row type of annual_report, which the
# driver lists too): each column's ODBC type, size and scale are what the catalog declares (varchar(n) -> SQL_VARCHAR n <= 255, char(18) -> SQL_CHAR 18, numeric(p,s) ->
# SQL_NUMERIC p,s, integer, bigint, date), never a memo (SQL_LONGVARCHAR) or numeric(28,6).
odbc_columns() {
	tools "" "columns:subsidy_report:%" | grep '^column ' |
		sed -E 's/^column subsidy_report\.([^.]+)\.(.*) \| (SQL_[A-Z_]+) \| size ([0-9]+) \| digits ([0-9]+) \| remarks.*$/\1|\2|\3|\4|\5/' | sort
}
catalog_columns() {
	psql -X -At -d $db -c "
		SELECT c.relname || '|' || a.attname || '|' ||
		       CASE WHEN t.typname = 'varchar' THEN 'SQL_VARCHAR|' || (a.atttypmod - 4) || '|0'
		            WHEN t.typname = 'bpchar' THEN 'SQL_CHAR|' || (a.atttypmod - 4) || '|0'
		            WHEN t.typname = 'numeric' THEN 'SQL_NUMERIC|' || ((a.atttypmod - 4) >> 16) || '|' || ((a.atttypmod - 4) & 65535)
		            WHEN t.typname = 'int4' THEN 'SQL_INTEGER|10|0'
		            WHEN t.typname = 'int8' THEN 'SQL_BIGINT|19|0'
		            WHEN t.typname = 'date' THEN 'SQL_TYPE_DATE|10|0'
		            ELSE 'UNEXPECTED ' || t.typname END
		  FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
		  JOIN pg_type t ON t.oid = a.atttypid
		 WHERE c.relnamespace = 'subsidy_report'::regnamespace AND c.relkind IN ('v', 'c')" | sort
}
odbc_columns > "$work/odbc_columns"
catalog_columns > "$work/catalog_columns"
columns_as_declared() { [ -s "$work/odbc_columns" ] && diff "$work/odbc_columns" "$work/catalog_columns"; }
check "SQLColumns: every report column's type, size and scale as declared ($(grep -c '' "$work/odbc_columns") columns)" columns_as_declared
no_memo() { ! grep -E '\|SQL_(W?LONGVARCHAR|UNKNOWN_TYPE)\||\|SQL_NUMERIC\|28\|6$' "$work/odbc_columns"; }
check "SQLColumns: no report column is a memo or an unbounded numeric" no_memo
echo "annex3 as SQLColumns describes it (the first columns):"
grep '^annex3|' "$work/odbc_columns" | head -8 | sed 's/^/    /'

# Every report object, read in full as the report login: no object of the schema refuses it,
# and the columns a tool is given when it runs the query are those SQLColumns described.
read_in_full() {
	local view problems=0
	while read -r view; do
		tools "" "SELECT * FROM subsidy_report.\"$view\" LIMIT 5" > "$work/read.$view"
		if grep -q '^error' "$work/read.$view"; then
			echo "    $view: $(grep '^error' "$work/read.$view" | head -1)"
			problems=$((problems + 1))
		fi
		diff <(grep '^column ' "$work/read.$view" | sed -E "s/^column [0-9]+: (.*) \| (SQL_[A-Z_]+) \| size ([0-9]+) \| digits ([0-9]+)$/$view|\1|\2|\3|\4/" | sort) \
			<(grep "^$view|" "$work/odbc_columns") > /dev/null || { echo "    $view: described otherwise when run"; problems=$((problems + 1)); }
	done < "$work/views"
	[ "$problems" -eq 0 ]
}
check "every report object read in full as the report login, typed as SQLColumns said" read_in_full

# The same rows as psql gives the same login, Chinese headings and names intact.
tools_same_rows() { diff <(tools "" "$1" | grep -v -e '^column ' -e '^-- ' -e '^info ') <(report_psql "$1"); }
check "申请汇总表: same rows as psql, totals row marked 合计 (R1)" tools_same_rows \
	"SELECT 行类型, 序号, 单位名称, \"上年初参保人数（申报）\", \"上年初参保人数（确认）\", \"核定补贴金额（元）\", 审核结果 FROM 申请汇总表 WHERE 统筹地区代码 = '22X002'"
check "annex3: a tool's sum of the details is the summary's total (R1)" tools_same_rows \
	"SELECT sum(amount) FILTER (WHERE row_kind = 'detail'), (SELECT sum(amount_total) FROM summary) FROM annex3"
check "公示名单: same rows as psql, capitals intact (R2)" tools_same_rows \
	"SELECT 序号, 单位名称, \"补贴金额（元）\", 金额大写 FROM 公示名单 WHERE 统筹地区代码 = '22X002'"
check "办理进度: same rows as psql ([J54 三(五)], R3 deadline)" tools_same_rows \
	"SELECT 统筹地区代码, 环节代码, 申请户数, 年度报告报送期限 FROM 办理进度 ORDER BY 1, 2"

# Lookups by name, as tools make them: with the documented search_path (subsidy_report), a
# report is found by its name alone, by SQLTables and SQLColumns with no schema or an empty
# one, and by SQL; without it (the first login's default path) nothing is found by name.
found_by_name() {
	tools "" 'tables:"":annex3' 'tables::申请汇总表' 'columns:"":公示名单' "SELECT count(*) FROM annex3" > "$work/by_name"
	grep -qx 'table subsidy_report.annex3 | VIEW' "$work/by_name" &&
		grep -qx 'table subsidy_report.申请汇总表 | VIEW' "$work/by_name" &&
		[ "$(grep -c '^column subsidy_report\.公示名单\.' "$work/by_name")" -eq 15 ] &&
		! grep -q '^error' "$work/by_name"
}
check "found by name without a schema, with search_path = subsidy_report" found_by_name
not_found_without_path() {
	odbc 'tables:"":annex3' "SELECT count(*) FROM annex3" > "$work/not_by_name"
	! grep -q '^table ' "$work/not_by_name" && grep -q '^error 42P01' "$work/not_by_name"
}
check "not found by name without that search_path (why the README sets it)" not_found_without_path

# Prepared statements described before execution (a tool lays its report out before it runs
# it), with the server preparing them and with the driver doing so: the types are known
# before, the same after, and the rows are psql's.
prepared() {
	local settings=$1
	tools "$settings" "prepare:SELECT * FROM annual_report(?) WHERE level = 'pool' ORDER BY region" "param:2019" \
		"prepare:SELECT region, row_kind, enterprise, amount FROM annex3 WHERE region = ? AND row_kind = 'total'" "param:22X002" \
		> "$work/prepared"
	local before after
	before=$(sed -n '/^-- prepared: SELECT \* FROM annual_report/,/^parameters/p' "$work/prepared" | grep '^column ')
	after=$(sed -n '/^-- prepared: SELECT \* FROM annual_report/,/^-- prepared: SELECT region/p' "$work/prepared" | sed -n '/^executed:/,$p' | grep '^column ')
	[ -n "$before" ] && [ "$before" = "$after" ] &&
		grep -q '^column 9: amount_total | SQL_NUMERIC | size 16 | digits 2$' <<< "$before" &&
		grep -q '^column 25: report_due_on | SQL_TYPE_DATE' <<< "$before" &&
		[ "$(grep -c '^parameters 1$' "$work/prepared")" -eq 2 ] &&
		grep -qx '22X002|total|合计|'"$(report_psql "SELECT amount FROM annex3 WHERE region = '22X002' AND row_kind = 'total'")" "$work/prepared" &&
		[ "$(sed -n '/^executed:/,/^-- prepared/p' "$work/prepared" | grep -c '^pool|')" -eq \
		  "$(report_psql "SELECT count(*) FROM annual_report(2019) WHERE level = 'pool'")" ] &&
		! grep -q '^error' "$work/prepared"
}
check "prepared and described before execution, UseServerSidePrepare=1" prepared ";UseServerSidePrepare=1"
check "prepared and described before execution, UseServerSidePrepare=0" prepared ";UseServerSidePrepare=0"
echo "annual_report(?) as described before execution:"
sed -n '/^described before execution:/,/^parameters/p' "$work/prepared" | sed -n '2,4p;10p;26,28p' | sed 's/^/    /'

# A large result, fetched by cursor (UseDeclareFetch=1, Fetch=1000): every row arrives and the
# amounts add up to the fen as psql's; the driver holds a thousand rows at a time, so the
# client's memory stays well under what reading the whole result at once takes.
large="SELECT a.application_id, a.enterprise, a.amount FROM applications a, generate_series(1, 20)"
fetched_by_cursor() {
	tools "" "count:$large" memory > "$work/declare"
	tools ";UseDeclareFetch=0" "count:$large" memory > "$work/whole"
	local expected rows_sum mem_cursor mem_whole
	expected=$(report_psql "SELECT 'rows ' || count(*) || ', sum of column 3 ' || sum(amount) FROM ($large) x")
	mem_cursor=$(sed -n 's/^peak memory \([0-9]*\) kB$/\1/p' "$work/declare")
	mem_whole=$(sed -n 's/^peak memory \([0-9]*\) kB$/\1/p' "$work/whole")
	echo "    $(grep '^rows' "$work/declare"); peak client memory ${mem_cursor} kB by cursor, ${mem_whole} kB read whole"
	grep -qx "$expected" "$work/declare" && grep -qx "$expected" "$work/whole" &&
		[ "$mem_cursor" -lt $((mem_whole * 3 / 4)) ]
}
check "a large result fetched by cursor (UseDeclareFetch=1, Fetch=1000), exact, in bounded memory" fetched_by_cursor

# Settings that break what: by default (TextAsLongVarchar=1) an unbounded text arrives as a
# memo a tool cannot group or sort by; the reports' bounded columns arrive as VARCHAR either way.
memo_by_default() {
	odbc "SELECT 'x'::text AS t, region FROM subsidy.region_summary LIMIT 1" | grep -q '^column 1: t | SQL_LONGVARCHAR' &&
		tools "" "SELECT 'x'::text AS t" | grep -q '^column 1: t | SQL_VARCHAR' || return 1
	local columns
	columns=$("$work/odbc_query" "DSN=subsidy_reports;UID=regress_odbc_report" "SELECT * FROM subsidy_report.annex3 LIMIT 1" |
		grep '^column ')
	[ -n "$columns" ] && ! grep -q 'LONGVARCHAR' <<< "$columns"
}
check "TextAsLongVarchar: text is a memo by default, the reports' columns are VARCHAR either way" memo_by_default

# psqlODBC returns no REMARKS for columns; the labels reach a tool through column_labels.
labels() {
	tools "" "columns:subsidy_report:annex3" | grep '^column subsidy_report.annex3.amount ' | grep -q '| remarks $' &&
		tools "" "SELECT heading, description FROM column_labels WHERE object_name = 'annex3' AND column_name = 'amount'" |
			grep -qx '核定补贴金额（元）|amount granted, yuan: 0.00 where nothing is granted; on the totals row, their sum'
}
check "column descriptions: no REMARKS from psqlODBC, the labels through column_labels" labels

# R3: the deadline of 15 January warned about through the driver (a server WARNING arrives as
# SQL_SUCCESS_WITH_INFO with its message).
psql -X -q -d $db -c "ALTER ROLE regress_odbc_report IN DATABASE $db SET subsidy.today = '2020-01-10'"
deadline_warned() {
	tools "" "SELECT level, region, report_due_on FROM annual_report(2019) WHERE level = 'province'" > "$work/deadline"
	grep -q '^info .*the annual report of 2019 is due by 2020-01-15, in 5 days' "$work/deadline" &&
		grep -qx 'province|220000|2020-01-15' "$work/deadline"
}
check "R3: the annual report's deadline warned about through ODBC" deadline_warned
psql -X -q -d $db -c "ALTER ROLE regress_odbc_report IN DATABASE $db RESET subsidy.today"

# A report login mapped to no region is told so; one with no role is told which role reads.
told_unmapped() {
	"$work/odbc_query" "DSN=subsidy_tools;UID=regress_odbc_lost" "SELECT * FROM summary" |
		grep -q '^error SBR01: ERROR: role "regress_odbc_lost" is not mapped to any pooling region'
}
check "a report login mapped to no region is told so (SBR01)" told_unmapped
told_no_role() {
	"$work/odbc_query" "DSN=subsidy_tools;UID=regress_odbc_nobody" "SELECT * FROM summary" > "$work/nobody"
	grep -q '^error 42501: ERROR: role "regress_odbc_nobody" may not read the subsidy reports' "$work/nobody" &&
		grep -q 'subsidy_reader' "$work/nobody"
}
check "a login with no role is told which role reads reports (42501, subsidy_reader)" told_no_role

psql -X -q -d postgres -c "DROP DATABASE $db"
checks_summary odbc
[ "$failed" -eq 0 ]
