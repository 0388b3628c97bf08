#!/usr/bin/env bash
# The ODBC suite: what a report tool sees of the reports, through unixODBC and the PostgreSQL
# ODBC driver (psqlODBC), connected over TCP through a DSN as a login of subsidy_reader.
# It checks that every column of the reports arrives with an ODBC numeric, character or date
# type, Chinese headings and names intact in UTF-8, the same rows as psql gives the same role,
# and a forbidden column refused.  Run by test/test-all.sh on its throwaway cluster (PGHOST,
# PGPORT set); prints one line per check and "odbc: N passed, N failed".
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
INI
export ODBCSYSINI=$work ODBCINI=$work/odbc.ini
cc -Wall -Werror -o "$work/odbc_query" "$ROOT/test/odbc/odbc_query.c" -lodbc || { echo "could not build odbc_query"; exit 1; }

# odbc QUERY: the query's columns and rows through the DSN.
odbc() { "$work/odbc_query" "DSN=subsidy_reports" "$1"; }
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

psql -X -q -d postgres -c "DROP DATABASE $db"
checks_summary odbc
[ "$failed" -eq 0 ]
