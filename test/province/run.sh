#!/usr/bin/env bash
# Several databases (issue 15): three region databases and a province's, each a cluster of its
# own on loopback.  Each region runs a year of its pools with the sample generator
# (test/sample/province.sql -v regions=...) and makes the province's reader login; the
# province connects them (subsidy.connect_regions) and reads every report through postgres_fdw.
# Checks: the province's figures, pool by pool and in total, equal the regions' own and those of
# one database holding the same pools (every column); the aggregates run in the regions
# (EXPLAIN VERBOSE), the extension's functions travel with the queries, and nothing the
# reader may not read crosses; a region stopped, hung or slow is reported missing by name,
# never left out of a total; the chain heads the province keeps verify in each region.  Then
# the tables partitioned by year in one database: the same trail verifies, the guard, row-level
# security and the reports work, a year's partition is made, pruned to and archived.
# Prints "ok   NAME" / "FAIL NAME" per check.  PROVINCE_APPLICATIONS sets the province's size
# (default 4000: some 900 applications in the four pools used).
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
source "$ROOT/test/lib.sh"
set +e
source "$ROOT/test/checks.sh"
source "$ROOT/test/province/lib.sh"
N=${PROVINCE_APPLICATIONS:-4000}
work=$PROVINCE_DIR/work
mkdir -p "$work" && chmod 777 "$work"

say "three region databases, a year each ($N applications in the province)"
region_database a 220300 "$N" || { fail "province: region a (220300)"; checks_summary province; exit 1; }
region_database b 220700 "$N" || { fail "province: region b (220700)"; checks_summary province; exit 1; }
region_database c 220800,22X002 "$N" || { fail "province: region c (220800, 22X002)"; checks_summary province; exit 1; }

say "the province, and one database holding the same pools"
start_province_cluster p || { fail "province: its cluster"; checks_summary province; exit 1; }
pq p postgres -q -c "CREATE DATABASE province" -c "CREATE DATABASE local" &&
	pq p province -q -c "CREATE EXTENSION subsidy" -c "CREATE EXTENSION postgres_fdw" &&
	pq p local -q -c "CREATE EXTENSION subsidy" &&
	region_year p local "$N" 220300,220700,220800,22X002 2019 || { fail "province: the province's databases"; checks_summary province; exit 1; }
list="[$(region_entry a 220300), $(region_entry b 220700), $(region_entry c 220800,22X002 '"timeout": "4s", "connect_timeout": "3"')]"
connected() { pq p province -q -c "CALL subsidy.connect_regions('$list')" 2>"$work/connect.err" && ! grep -q WARNING "$work/connect.err"; }
check "province: connect_regions makes a server, a user mapping and a foreign table per report for each region database, and each answers as a login that sees its pools" connected
cat "$work/connect.err"

# ---------------------------------------------------------------------------------------------
# The set-up
servers() {
	[ "$(pq p province -c "SELECT string_agg(s.srvname || ' ' || array_to_string(s.srvoptions, ' '), E'\n' ORDER BY s.srvname)
	                        FROM pg_foreign_server s WHERE s.srvname LIKE 'subsidy_region_%'" |
	     grep -c 'extensions=subsidy.*async_capable=true')" -eq 3 ]
}
check "province: each foreign server lists the extension (extensions 'subsidy') and runs its scans at once (async_capable)" servers
tables() {
	local views partitions
	views=$(pq p province -c "SELECT count(*) FROM subsidy.province_views()")
	partitions=$(pq p province -c "SELECT count(*) FROM pg_foreign_table ft JOIN pg_class c ON c.oid = ft.ftrelid
	                               WHERE c.relnamespace = 'subsidy_province'::regnamespace AND c.relispartition")
	echo "  $views reports, $partitions foreign partitions"
	[ "$views" -ge 10 ] && [ "$partitions" -eq $((views * 3)) ]
}
check "province: every English-named report with a region is a table partitioned by region, a foreign partition per region database" tables
no_bank() {
	[ -z "$(pq p province -c "SELECT c.relname || '.' || a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
	                          WHERE c.relnamespace = 'subsidy_province'::regnamespace AND a.attnum > 0
	                            AND a.attname ~ '(bank|account|contact|phone)'")" ]
}
check "province: no column of the province's tables is a bank detail or a contact" no_bank
# The reader login reaches no bank detail, however the province asks: a foreign table of the
# province's own making over the region's tables is refused there.
refused() {
	pq p province -q -c "CREATE FOREIGN TABLE public.peek_account (id bigint, payment_bank_account text)
	                     SERVER subsidy_region_a OPTIONS (schema_name 'subsidy', table_name 'application')" \
		-c "CREATE FOREIGN TABLE public.peek_enterprise (uscc text, bank_account text)
	                     SERVER subsidy_region_a OPTIONS (schema_name 'subsidy', table_name 'enterprise')" || return 1
	! pq p province -c "SELECT * FROM public.peek_account LIMIT 1" 2>"$work/peek1.err" &&
		grep -q 'permission denied for table application' "$work/peek1.err" &&
		! pq p province -c "SELECT * FROM public.peek_enterprise LIMIT 1" 2>"$work/peek2.err" &&
		grep -q 'permission denied for table enterprise' "$work/peek2.err"
}
check "province: the region refuses its reader login the accounts an application is paid into and the register's bank details" refused

# ---------------------------------------------------------------------------------------------
# The figures: the province's against each region's own, and against one database of them all
cols="region, region_name, year, regions_covered, enterprises_applied, enterprises_approved, employees_covered,
      amount_total, amount_a1, amount_a2, amount_a3, amount_paid, decapacity_enterprises, decapacity_amount,
      zombies_refused, spot_checks, spot_checks_false_data, objections, days_to_payment_average,
      days_to_payment_longest, fund_balance, monthly_fund_expenditure, fund_cover_months, report_due_on"
for name in a b c; do
	pq "$name" subsidy -c "SELECT $cols, report_frozen_on FROM subsidy_report.annual_report(2019) WHERE level = 'pool' ORDER BY region" >>"$work/regions.pool"
done
sort -o "$work/regions.pool" "$work/regions.pool"
pq p province -c "SELECT $cols, report_frozen_on FROM subsidy.province_annual_report(2019) WHERE level = 'pool' ORDER BY region" \
	>"$work/province.pool" 2>"$work/province.err"
pq p local -c "SELECT $cols, report_frozen_on FROM subsidy_report.annual_report(2019) WHERE level = 'pool' ORDER BY region" >"$work/local.pool"
same_pools() { [ -s "$work/regions.pool" ] && diff "$work/regions.pool" "$work/province.pool" && [ "$(wc -l <"$work/province.pool")" -eq 4 ]; }
check "province: annual report, every pool's row as its own database gives it (every column, the day it was sent too)" same_pools
same_as_local() { diff <(cut -d'|' -f1-24 "$work/local.pool") <(cut -d'|' -f1-24 "$work/province.pool"); }
check "province: annual report, every pool's row as one database holding the same pools gives it (every column but the day sent)" same_as_local
province_row() {
	pq p province -c "SELECT $cols FROM subsidy.province_annual_report(2019) WHERE level = 'province'" >"$work/province.total" &&
		pq p local -c "SELECT $cols FROM subsidy_report.annual_report(2019) WHERE level = 'province'" >"$work/local.total" &&
		[ -s "$work/local.total" ] && diff "$work/local.total" "$work/province.total"
}
check "province: annual report, the province's row equals that of one database holding the same pools (every column)" province_row
# ... and is the sum of the regions' rows, column by column (averages weighted by their counts)
summed() {
	local json
	json=$(for name in a b c; do pq "$name" subsidy -c "SELECT to_jsonb(f) FROM subsidy_report.annual_figures f WHERE year = 2019"; done |
		paste -sd, -)
	diff <(pq p province -c "
		SELECT sum(regions_covered), sum(enterprises_applied), sum(enterprises_approved), sum(employees_covered),
		       sum(amount_total), sum(amount_a1), sum(amount_a2), sum(amount_a3), sum(amount_paid),
		       sum(decapacity_enterprises), sum(decapacity_amount), sum(zombies_refused), sum(spot_checks),
		       sum(spot_checks_false_data), sum(objections),
		       round(sum(days_to_payment_average * payments) / nullif(sum(payments), 0), 1), max(days_to_payment_longest),
		       sum(fund_balance), sum(monthly_fund_expenditure), round(sum(fund_balance) / sum(monthly_fund_expenditure), 2)
		  FROM jsonb_populate_recordset(NULL::subsidy_report.annual_figures, '[$json]')") \
	     <(pq p province -c "
		SELECT regions_covered, enterprises_applied, enterprises_approved, employees_covered, amount_total, amount_a1,
		       amount_a2, amount_a3, amount_paid, decapacity_enterprises, decapacity_amount, zombies_refused, spot_checks,
		       spot_checks_false_data, objections, days_to_payment_average, days_to_payment_longest, fund_balance,
		       monthly_fund_expenditure, fund_cover_months
		  FROM subsidy.province_annual_report(2019) WHERE level = 'province'")
}
check "province: annual report, the province's row is the sum of the region databases' figures, every column" summed
# R1 and the progress of the year, row for row
for view in summary progress analysis_by_industry; do
	same_view() {
		diff <(pq p local -c "SELECT v.* FROM subsidy_report.$1 v ORDER BY v::text") \
		     <(pq p province -q -c "SET enable_partitionwise_aggregate = on" -c "SELECT v.* FROM subsidy_province.$1 v ORDER BY v::text")
	}
	check "province: subsidy_province.$view equals $view of one database holding the same pools, row for row" same_view "$view"
done
progress() {
	diff <(pq p local -c "SELECT region, step, applications, waiting_since, days_waiting_longest, report_state
	                      FROM subsidy_report.progress WHERE year = 2019 ORDER BY 1, 2") \
	     <(pq p province -c "SELECT region, step, applications, waiting_since, days_waiting_longest, report_state
	                         FROM subsidy.province_progress(2019) WHERE level = 'pool' ORDER BY 1, 2")
}
check "province: province_progress gives every pool's steps as its database does" progress
steps() {
	diff <(pq p local -c "SELECT step, sum(applications) FROM subsidy_report.progress WHERE year = 2019 GROUP BY 1 ORDER BY 1") \
	     <(pq p province -c "SELECT step, applications FROM subsidy.province_progress(2019) WHERE level = 'province' ORDER BY 1")
}
check "province: province_progress adds each step up for the province" steps

# ---------------------------------------------------------------------------------------------
# Where the work is done
pq p province -c "SET enable_partitionwise_aggregate = on" -c "EXPLAIN (VERBOSE, COSTS OFF)
	SELECT region, count(*), sum(amount), sum(paid_amount) FILTER (WHERE paid_on IS NOT NULL)
	  FROM subsidy_province.applications WHERE year = 2019 GROUP BY region" >"$work/explain.agg"
pushed() {
	cat "$work/explain.agg" | sed 's/^/  /'
	[ "$(grep -c 'Async Foreign Scan' "$work/explain.agg")" -eq 3 ] &&
		[ "$(grep -c 'Remote SQL: SELECT region, count(\*), sum(amount)' "$work/explain.agg")" -eq 3 ] &&
		[ "$(grep 'Remote SQL' "$work/explain.agg" | grep -c 'GROUP BY 1')" -eq 3 ] &&
		! grep -q 'HashAggregate\|GroupAggregate' "$work/explain.agg"
}
check "province: EXPLAIN VERBOSE: each region's GROUP BY runs in the region (Remote SQL ... GROUP BY), the three scans at once (Async Foreign Scan)" pushed
pq p province -c "EXPLAIN (VERBOSE, COSTS OFF)
	SELECT region, subsidy.uscc_division_code(uscc::text::subsidy.uscc) AS division, count(*)
	  FROM subsidy_province.applications
	 WHERE uscc::text::subsidy.uscc OPERATOR(subsidy.<>) '91220101MA0Y3PXK6M'::subsidy.uscc GROUP BY 1, 2" \
	-c "SET enable_partitionwise_aggregate = on" -c "EXPLAIN (VERBOSE, COSTS OFF)
	SELECT region, subsidy.uscc_division_code(uscc::text::subsidy.uscc) AS division, count(*)
	  FROM subsidy_province.applications
	 WHERE uscc::text::subsidy.uscc OPERATOR(subsidy.<>) '91220101MA0Y3PXK6M'::subsidy.uscc GROUP BY 1, 2" >"$work/explain.ext"
shipped() {
	grep 'Remote SQL' "$work/explain.ext" | sed 's/^/  /' | sort -u | head -4
	[ "$(grep 'Remote SQL' "$work/explain.ext" | grep -c 'subsidy.uscc_division_code')" -ge 3 ] &&
		[ "$(grep 'Remote SQL' "$work/explain.ext" | grep -c 'OPERATOR(subsidy.<>)')" -ge 3 ]
}
check "province: the extension's immutable functions and operators travel with the query to the region (extensions 'subsidy')" shipped
annual_remote() {
	pq p province -c "EXPLAIN (VERBOSE, COSTS OFF) SELECT * FROM subsidy_province.annual_figures WHERE year = 2019" >"$work/explain.af"
	[ "$(grep -c 'Remote SQL: SELECT .* FROM subsidy_report.annual_figures WHERE ((year = 2019))' "$work/explain.af")" -eq 3 ]
}
check "province: the annual figures are computed in each region (Remote SQL over subsidy_report.annual_figures, the year sent)" annual_remote
# What travels must be safe to run elsewhere: the functions shipped are IMMUTABLE and PARALLEL
# SAFE, and no IMMUTABLE function of the extension reads a table.
marked() {
	local wrong
	wrong=$(pq p province -c "
		SELECT p.oid::regprocedure FROM pg_proc p
		 WHERE p.oid IN ('subsidy.uscc_division_code(subsidy.uscc)'::regprocedure, 'subsidy.uscc_ne(subsidy.uscc, subsidy.uscc)'::regprocedure,
		                 'subsidy.uscc(text)'::regprocedure, 'subsidy.rmb_upper(numeric)'::regprocedure,
		                 'subsidy.industry_name(text)'::regprocedure, 'subsidy.step_name(text)'::regprocedure,
		                 'subsidy.category_name(text)'::regprocedure, 'subsidy.reason_text(text[])'::regprocedure)
		   AND (p.provolatile <> 'i' OR p.proparallel <> 's')
		UNION ALL
		SELECT p.oid::regprocedure FROM pg_proc p
		 WHERE p.pronamespace IN ('subsidy'::regnamespace, 'subsidy_report'::regnamespace) AND p.provolatile = 'i'
		   AND p.prolang IN (SELECT oid FROM pg_language WHERE lanname IN ('sql', 'plpgsql'))
		   AND p.prosrc ~* '(from|join)\s+(subsidy|subsidy_report)\.[a-z_]+\M(?!\s*\()'")
	[ -z "$wrong" ] || { echo "$wrong"; return 1; }
}
check "province: what is shipped is IMMUTABLE PARALLEL SAFE, and no IMMUTABLE SQL function reads a table" marked

# ---------------------------------------------------------------------------------------------
# A reader of the province's database reads its own regions' rows only
reader() {
	pq p province -q -c "CREATE ROLE province_clerk LOGIN IN ROLE subsidy_reader" \
		-c "INSERT INTO subsidy.staff_region (staff, region) VALUES ('province_clerk', '220700')" || return 1
	local seen
	seen=$(psql -X -At -h "$PROVINCE_DIR" -p "$(cluster_port p)" -U province_clerk -d province \
		-c "SELECT string_agg(DISTINCT region, ',') FROM subsidy_province.summary" \
		-c "SELECT string_agg(level || ':' || region, ',' ORDER BY region) FROM subsidy.province_annual_report(2019)" \
		-c "SELECT string_agg(DISTINCT region, ',') FROM (SELECT region FROM subsidy_province.relay_annual_figures
		    UNION ALL SELECT region FROM subsidy_province.relay_progress UNION ALL SELECT region FROM subsidy_province.relay_audit_heads) r")
	echo "  $seen"
	[ "$seen" = $'220700\npool:220700\n220700' ]
}
check "province: a reader of the province's database mapped to one pool reads that pool's rows, in its tables, reports and relay views, and no province total" reader
# An update of the extension drops its code and makes it again (upgrade/drop_code.sql), as
# partition_by_year does: the policies of the province's tables, which use that code, go and
# come back with it, instead of stopping the update or leaving the tables without them.  A
# reader's session meanwhile holds temporary objects made on what the update drops or makes
# again (a relay view, a report's row type, the application's, an enumerated type, a foreign
# partition): they go with the code rather than stop it.
psql -X -q -h "$PROVINCE_DIR" -p "$(cluster_port p)" -U province_clerk -d province \
	-c "CREATE TEMP VIEW on_relay AS SELECT * FROM subsidy_province.relay_annual_figures" \
	-c "CREATE FUNCTION pg_temp.on_row_type(subsidy_report.applications) RETURNS integer LANGUAGE sql AS 'SELECT 1'" \
	-c "CREATE TEMP TABLE on_application (x subsidy.application)" \
	-c "CREATE TYPE pg_temp.on_enum AS (a subsidy.firm_size)" \
	-c "CREATE TEMP VIEW on_partition AS SELECT * FROM subsidy_province.annual_figures_c" \
	-c "SELECT pg_sleep(25)" >"$work/holder.out" 2>&1 &
holder=$!
sleep 2
remade() {
	pq p province -q -c "CALL subsidy.partition_by_year()" || return 1
	[ "$(pq p province -c "SELECT count(*) FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
	                        WHERE c.relnamespace = 'subsidy_province'::regnamespace AND p.polname = 'own_regions'")" \
	  -eq "$(pq p province -c "SELECT count(*) FROM subsidy.province_views()")" ] &&
		[ "$(psql -X -At -h "$PROVINCE_DIR" -p "$(cluster_port p)" -U province_clerk -d province \
			-c "SELECT string_agg(DISTINCT region, ',') FROM subsidy_province.summary")" = 220700 ]
}
check "province: the province's tables keep their row-level security when the extension's code is made again (as an update makes it), a reader's temporary objects on it notwithstanding" remade
# a reader's temporary view on a region database's foreign partition does not stop the DBA
# connecting that database again
psql -X -q -h "$PROVINCE_DIR" -p "$(cluster_port p)" -U province_clerk -d province \
	-c "CREATE TEMP VIEW on_partition AS SELECT * FROM subsidy_province.annual_figures_c" \
	-c "SELECT pg_sleep(10)" >/dev/null 2>&1 &
holder2=$!
sleep 2
reconnected() { pq p province -q -c "CALL subsidy.connect_regions('[$(region_entry c 220800,22X002 '"timeout": "4s", "connect_timeout": "3"')]')"; }
check "province: a region database is connected again, a reader's temporary view on its foreign partition notwithstanding" reconnected
kill $holder $holder2 2>/dev/null; wait $holder $holder2 2>/dev/null

# ---------------------------------------------------------------------------------------------
# The chain heads: read by the province, kept there, verified in each region
heads() {
	pq p province -q -c "CALL subsidy.keep_province_heads()" || return 1
	local name regions h bad=0
	for name in a b c; do
		regions=$(pq p province -c "SELECT array_to_string(regions, ',') FROM subsidy.province_sources() WHERE name = '$name'")
		h=$(pq p province -c "SELECT jsonb_agg(e) FROM subsidy_province.heads_kept k, jsonb_array_elements(k.heads) e
		                      WHERE e ->> 'region' = ANY (string_to_array('$regions', ','))")
		[ "$(echo "$h" | grep -o '"region"' | wc -l)" -eq "$(echo "$regions" | tr ',' '\n' | wc -l)" ] || bad=1
		[ "$(pq "$name" subsidy -c "SELECT count(*) FROM subsidy.verify_audit('$h')")" -eq 0 ] || bad=1
	done
	[ $bad -eq 0 ]
}
check "province: the heads the province keeps (keep_province_heads) verify in each region (verify_audit(heads): no rows)" heads
tampered() {
	local h
	h=$(pq p province -c "SELECT jsonb_agg(e) FROM subsidy_province.heads_kept k, jsonb_array_elements(k.heads) e WHERE e ->> 'region' = '220300'")
	pq a subsidy -q -c "ALTER TABLE subsidy.audit_log DISABLE TRIGGER USER" \
		-c "UPDATE subsidy.audit_log SET detail = 'doctored' WHERE region = '220300' AND seq = 3" \
		-c "ALTER TABLE subsidy.audit_log ENABLE TRIGGER USER" || return 1
	[ "$(pq a subsidy -c "SELECT count(*) FROM subsidy.verify_audit('$h')")" -gt 0 ]
}
check "province: an entry doctored in a region since is found there against the heads the province kept" tampered

# ---------------------------------------------------------------------------------------------
# The nation: the ministry's database reads the province's database through its relay (the
# province's reports gathered from its region databases and its own pools), never the regions
say "the ministry, reading the province"
jilin_pools=$(pq p province -c "SELECT string_agg(code, ',' ORDER BY code) FROM subsidy.region WHERE is_pool AND parent = '220000'")
pq p province -q -c "CREATE ROLE ministry_reader LOGIN PASSWORD 'ministry-secret' IN ROLE subsidy_reader" \
	-c "INSERT INTO subsidy.staff_region (staff, region) VALUES ('ministry_reader', '220000')" &&
	pq p postgres -q -c "CREATE DATABASE ministry" &&
	pq p ministry -q -c "CREATE EXTENSION subsidy" -c "CREATE EXTENSION postgres_fdw" ||
	fail "province: the ministry's database"
ministry_entry=$(printf '{"name": "jilin", "relay": true, "regions": [%s], "host": "127.0.0.1", "port": "%s", "dbname": "province", "user": "ministry_reader", "password": "ministry-secret"}' \
	"$(echo "$jilin_pools" | sed -E 's/([^,]+)/"\1"/g')" "$(cluster_port p)")
ministry_connected() {
	pq p ministry -q -c "CALL subsidy.connect_regions('[$ministry_entry]')" 2>"$work/ministry.err" && ! grep -q WARNING "$work/ministry.err" &&
		[ "$(pq p ministry -c "SELECT relay, tables FROM subsidy.province_sources()")" = 't|3' ]
}
check "nation: connect_regions with a relay entry reads a province's database in the three reports it gathers (relay_annual_figures, relay_progress, relay_audit_heads)" ministry_connected
relay_checked() {
	! pq p ministry -q -c "CALL subsidy.connect_regions('[{\"name\": \"x\", \"relay\": \"yes\", \"regions\": [\"220300\"]}]')" \
		2>"$work/relay.err" && grep -q 'region database x: "relay" is true or false, not yes' "$work/relay.err" &&
		[ "$(pq p ministry -c "SELECT count(*) FROM subsidy.province_sources()")" -eq 1 ]
}
check "nation: a relay that is not true or false is refused, and nothing is made" relay_checked
cat "$work/ministry.err"
R3_COLUMNS="level, region, region_name, year, regions_covered, enterprises_applied, enterprises_approved, employees_covered,
  amount_total, amount_a1, amount_a2, amount_a3, amount_paid, decapacity_enterprises, decapacity_amount, zombies_refused,
  spot_checks, spot_checks_false_data, objections, days_to_payment_average, days_to_payment_longest, fund_balance,
  monthly_fund_expenditure, fund_cover_months, report_due_on, report_frozen_on, state, problem"
ministry_same() {
	diff <(pq p province -c "SELECT $R3_COLUMNS FROM subsidy.province_annual_report(2019) ORDER BY 1 DESC, 2") \
		<(pq p ministry -c "SELECT $R3_COLUMNS FROM subsidy.province_annual_report(2019) WHERE level <> 'nation' ORDER BY 1 DESC, 2")
}
check "nation: every pool's row and the province's, as the ministry reads them, are the province's own (every column but the source)" ministry_same
nation_sum() {
	local got want
	got=$(pq p ministry -c "SELECT state, $(echo "$R3_COLUMNS" | sed 's/level, region, region_name, //; s/, state, problem//')
	                        FROM subsidy.province_annual_report(2019) WHERE level = 'nation' AND region = '000000'")
	want=$(pq p province -c "SELECT 'ok', $(echo "$R3_COLUMNS" | sed 's/level, region, region_name, //; s/, state, problem//')
	                         FROM subsidy.province_annual_report(2019) WHERE level = 'province'")
	echo "  $got"
	[ -n "$got" ] && [ "$got" = "$want" ]
}
check "nation: the nation's row (000000) adds up its provinces' figures, every column (one province here)" nation_sum
ministry_others() {
	# the pools' chains; each database has its own chain of the province (220000) besides
	local pools="SELECT h.region, h.seq, h.hash FROM subsidy.province_audit_heads() h JOIN subsidy.region r ON r.code = h.region
	             WHERE h.state = 'ok' AND r.is_pool ORDER BY 1"
	diff <(pq p province -c "$pools") <(pq p ministry -c "$pools") &&
		diff <(pq p province -c "SELECT level, region, step, applications, days_waiting_longest FROM subsidy.province_progress(2019) ORDER BY 1, 2, 3") \
			<(pq p ministry -c "SELECT level, region, step, applications, days_waiting_longest FROM subsidy.province_progress(2019) ORDER BY 1, 2, 3")
}
check "nation: the ministry reads every pool's chain head and progress as the province does" ministry_others
ministry_remote() {
	pq p ministry -c "EXPLAIN (VERBOSE, COSTS OFF) SELECT sum(amount_total) FROM subsidy_province.annual_figures WHERE year = 2019" \
		>"$work/ministry.plan" && grep -q 'Remote SQL: .*FROM subsidy_province.relay_annual_figures' "$work/ministry.plan" &&
		! grep -q 'subsidy_report' "$work/ministry.plan"
}
check "nation: the ministry's query goes to the province's relay (Remote SQL over subsidy_province.relay_annual_figures), not to the regions" ministry_remote
ministry_refused() {
	! PGPASSWORD=ministry-secret psql -X -At -h 127.0.0.1 -p "$(cluster_port p)" -U ministry_reader -d province \
		-c "SELECT payment_bank_account FROM subsidy.application" 2>"$work/ministry_refused.err" >/dev/null &&
		grep -q 'permission denied' "$work/ministry_refused.err" &&
		! PGPASSWORD=ministry-secret psql -X -At -h 127.0.0.1 -p "$(cluster_port p)" -U ministry_reader -d province \
			-c "SELECT bank_account FROM subsidy.enterprise" 2>"$work/ministry_refused.err" >/dev/null &&
		grep -q 'permission denied' "$work/ministry_refused.err"
}
check "nation: the ministry's login in the province's database is a reader: the accounts an application is paid into and the register's bank details are refused it" ministry_refused

# ---------------------------------------------------------------------------------------------
# Failure: a region database stopped, hung, slow
as_server_user "$PG_BIN/pg_ctl" -D "$PROVINCE_DIR/b" -m fast -w stop >/dev/null
pq p province -c "SELECT level, region, state, problem FROM subsidy.province_annual_report(2019) ORDER BY 1 DESC, 2" \
	>"$work/down.report" 2>"$work/down.err"
cat "$work/down.report" "$work/down.err" | sed 's/^/  /'
down_marked() {
	grep -q '^pool|220700|missing|subsidy_region_b: could not connect to server "subsidy_region_b"' "$work/down.report" &&
		grep -q '^province|220000|missing|pooling regions 220700 did not answer' "$work/down.report" &&
		[ "$(grep -c '|ok|' "$work/down.report")" -eq 3 ] &&
		grep -q 'WARNING:  province_annual_report lacks pooling regions 220700: their database did not answer, or did not show them' "$work/down.err"
}
check "province: a stopped region database: its pool marked missing with the server's error, a WARNING naming it, and no province total" down_marked
no_total() {
	[ "$(pq p province -c "SELECT count(*) FROM subsidy.province_annual_report(2019)
	                        WHERE level = 'province' AND (amount_total IS NOT NULL OR enterprises_applied IS NOT NULL)" 2>/dev/null)" -eq 0 ]
}
check "province: ... the province's figures are withheld, not short" no_total
partial() {
	local got want
	got=$(pq p province -c "SELECT state, enterprises_applied, amount_total FROM subsidy.province_annual_report(2019, partial => true)
	                        WHERE level = 'province'" 2>/dev/null)
	want=$(pq p local -c "SELECT 'partial', sum(enterprises_applied), sum(amount_total) FROM subsidy_report.annual_report(2019)
	                      WHERE level = 'pool' AND region <> '220700'")
	echo "  $got"
	[ "$got" = "$want" ]
}
check "province: ... partial => true gives the totals of the pools that answered, marked partial" partial
named_error() {
	! pq p province -c "SELECT sum(amount_total) FROM subsidy_province.annual_figures" 2>"$work/plain.err" &&
		grep -q 'could not connect to server "subsidy_region_b"' "$work/plain.err"
}
check "province: ... a plain query of the province's tables fails with the server named, never a short sum" named_error
others_down() {
	pq p province -c "SELECT region, state FROM subsidy.province_progress(2019) WHERE state = 'missing'" 2>/dev/null | grep -qx '220700|missing' &&
		pq p province -c "SELECT region, state FROM subsidy.province_audit_heads() WHERE state = 'missing'" 2>/dev/null | grep -qx '220700|missing'
}
check "province: ... the progress and the chain heads mark it missing too" others_down
pq p province -q -c "CREATE ROLE siping_clerk LOGIN IN ROLE subsidy_reader" \
	-c "INSERT INTO subsidy.staff_region (staff, region) VALUES ('siping_clerk', '220300')"
psql -X -At -h "$PROVINCE_DIR" -p "$(cluster_port p)" -U siping_clerk -d province \
	-c "SELECT level, region, state FROM subsidy.province_annual_report(2019)" >"$work/siping.report" 2>"$work/siping.err"
others_unsaid() {
	sed 's/^/  /' "$work/siping.report" "$work/siping.err"
	[ "$(cat "$work/siping.report")" = 'pool|220300|ok' ] && ! grep -q '220700\|subsidy_region_b\|port' "$work/siping.err" &&
		[ "$(psql -X -At -h "$PROVINCE_DIR" -p "$(cluster_port p)" -U siping_clerk -d province \
			-c "SELECT missing FROM subsidy.province_read('annual_figures', 2019)")" = '[]' ]
}
check "province: ... a reader of another pool is told nothing of it, in the report or by province_read: not its code, its server, its host or its error" others_unsaid
pq p ministry -c "SELECT level, region, state, problem FROM subsidy.province_annual_report(2019) WHERE region IN ('220700', '000000')" \
	>"$work/ministry_down.report" 2>/dev/null
ministry_down() {
	sed 's/^/  /' "$work/ministry_down.report"
	grep -q '^pool|220700|missing|subsidy_region_jilin: .*subsidy_region_b' "$work/ministry_down.report" &&
		grep -q '^nation|000000|missing|pooling regions .*220700' "$work/ministry_down.report"
}
check "nation: ... the ministry marks the province's pools missing, with the region server's error, and withholds the nation's total" ministry_down
as_server_user "$PG_BIN/pg_ctl" -D "$PROVINCE_DIR/b" -l "$PROVINCE_DIR/b.log" -w start >/dev/null
back() { [ "$(pq p province -c "SELECT count(*) FROM subsidy.province_annual_report(2019) WHERE state = 'ok'")" -eq 5 ]; }
check "province: the region database started again, the report is whole again" back

# hung: the region's server stops answering (SIGSTOP): connect_timeout (3 s for c) names it
kill -STOP "$(head -1 "$PROVINCE_DIR/c/postmaster.pid")"
start=$SECONDS
pq p province -c "SELECT region, state, problem FROM subsidy.province_annual_report(2019) WHERE state <> 'ok'" \
	>"$work/hung.report" 2>/dev/null
took=$((SECONDS - start))
kill -CONT "$(head -1 "$PROVINCE_DIR/c/postmaster.pid")"
hung() {
	cat "$work/hung.report" | sed 's/^/  /'
	echo "  answered in ${took}s"
	grep -q '^220800|missing|subsidy_region_c' "$work/hung.report" && grep -q '^22X002|missing|subsidy_region_c' "$work/hung.report" &&
		grep -q '^220000|missing' "$work/hung.report" && [ $took -lt 30 ]
}
check "province: a region database that hangs is marked missing within its connect_timeout, both its pools" hung

# slow: a region busy past its timeout (4 s for c): the remote statement_timeout names it
pq c subsidy -c "BEGIN; LOCK TABLE subsidy.application; SELECT pg_sleep(15); COMMIT" >/dev/null 2>&1 &
locker=$!
sleep 1
start=$SECONDS
pq p province -c "SELECT region, state, problem FROM subsidy.province_annual_report(2019) WHERE state <> 'ok'" \
	>"$work/slow.report" 2>/dev/null
took=$((SECONDS - start))
wait $locker
slow() {
	cat "$work/slow.report" | sed 's/^/  /'
	echo "  answered in ${took}s"
	grep -q '^220800|missing|subsidy_region_c: canceling statement due to statement timeout' "$work/slow.report" && [ $took -lt 14 ]
}
check "province: a region database slower than its timeout is marked missing with the remote statement_timeout's error" slow
whole() { [ "$(pq p province -c "SELECT count(*) FROM subsidy.province_annual_report(2019) WHERE state = 'ok'")" -eq 5 ]; }
check "province: all answer again, the report whole" whole
# a region database that answers for a pool it does not serve (its DBA rewrites its reports:
# a's annual figures and chain heads add a copy of its row as 220700, b's pool): the province
# keeps each database's rows of its own pools, so the totals stay those of one database, and
# the heads it keeps of 220700 are b's own
pq a subsidy -q -c "ALTER VIEW subsidy_report.annual_figures RENAME TO annual_figures_real" \
	-c "CREATE VIEW subsidy_report.annual_figures WITH (security_invoker = true) AS
	      SELECT * FROM subsidy_report.annual_figures_real
	      UNION ALL SELECT '220700', region_name, year, regions_covered, enterprises_applied, enterprises_approved,
	                       employees_covered, amount_total, amount_a1, amount_a2, amount_a3, amount_paid,
	                       decapacity_enterprises, decapacity_amount, zombies_refused, spot_checks, spot_checks_false_data,
	                       objections, payments, days_to_payment_total, days_to_payment_average, days_to_payment_longest, fund_balance,
	                       monthly_fund_expenditure, fund_cover_months, report_due_on, report_frozen_on
	        FROM subsidy_report.annual_figures_real WHERE region = '220300'" \
	-c "GRANT SELECT ON subsidy_report.annual_figures TO subsidy_reader" \
	-c "ALTER VIEW subsidy_report.audit_heads RENAME TO audit_heads_real" \
	-c "CREATE VIEW subsidy_report.audit_heads WITH (security_invoker = true) AS
	      SELECT * FROM subsidy_report.audit_heads_real
	      UNION ALL SELECT '220700', region_name, 999999, repeat('0', 64), logged_at FROM subsidy_report.audit_heads_real WHERE region = '220300'" \
	-c "GRANT SELECT ON subsidy_report.audit_heads TO subsidy_reader" >/dev/null 2>"$work/forge.err" || cat "$work/forge.err"
forged_rows() {
	local got want
	got=$(pq p province -c "SELECT region, state, enterprises_applied, amount_total FROM subsidy.province_annual_report(2019)
	                        WHERE region IN ('220000', '220700') ORDER BY 1")
	want=$(pq p local -c "SELECT region, 'ok', enterprises_applied, amount_total FROM subsidy_report.annual_report(2019)
	                      WHERE region IN ('220000', '220700') ORDER BY 1")
	echo "$got" | sed 's/^/  /'
	[ -n "$got" ] && [ "$got" = "$want" ] &&
		[ "$(pq p ministry -c "SELECT enterprises_applied FROM subsidy.province_annual_report(2019) WHERE level = 'nation'")" = \
		  "$(pq p local -c "SELECT enterprises_applied FROM subsidy_report.annual_report(2019) WHERE level = 'province'")" ]
}
check "province: a region database that answers for another's pool is not heard on it: the pool's row once, from its own database, and the totals (the province's, the nation's) those of one database" forged_rows
forged_heads() {
	pq p province -q -c "CALL subsidy.keep_province_heads()" || return 1
	local h
	h=$(pq p province -c "SELECT jsonb_agg(e) FROM (SELECT heads FROM subsidy_province.heads_kept ORDER BY kept_at DESC LIMIT 1) k,
	                      jsonb_array_elements(k.heads) e WHERE e ->> 'region' = '220700'")
	echo "  $h"
	[ "$(echo "$h" | grep -o '"region"' | wc -l)" -eq 1 ] && ! echo "$h" | grep -q 999999 &&
		[ "$(pq b subsidy -c "SELECT count(*) FROM subsidy.verify_audit('$h')")" -eq 0 ]
}
check "province: ... nor are its heads of that pool kept: the one kept is its own database's, and it verifies there" forged_heads
pq a subsidy -q -c "DROP VIEW subsidy_report.annual_figures" -c "ALTER VIEW subsidy_report.annual_figures_real RENAME TO annual_figures" \
	-c "DROP VIEW subsidy_report.audit_heads" -c "ALTER VIEW subsidy_report.audit_heads_real RENAME TO audit_heads"
# one database's chain heads do not vouch for another's pool: a's login now sees every pool
# (its reader mapped to the province), b's no longer sees 220700; 220700 is missing by name
pq a subsidy -q -c "INSERT INTO subsidy.staff_region (staff, region) VALUES ('province_reader', '220000')"
pq b subsidy -q -c "UPDATE subsidy.staff_region SET region = '220400' WHERE staff = 'province_reader'::regrole AND region = '220700'"
pq p province -c "SELECT level, region, state FROM subsidy.province_annual_report(2019) WHERE state <> 'ok'" \
	>"$work/vouched.report" 2>/dev/null
pq a subsidy -q -c "DELETE FROM subsidy.staff_region WHERE staff = 'province_reader'::regrole AND region = '220000'"
pq b subsidy -q -c "UPDATE subsidy.staff_region SET region = '220700' WHERE staff = 'province_reader'::regrole AND region = '220400'"
vouched() {
	sed 's/^/  /' "$work/vouched.report"
	grep -q '^pool|220700|missing$' "$work/vouched.report" && grep -q '^province|220000|missing$' "$work/vouched.report"
}
check "province: one database's chain heads do not vouch for another's pool: a pool its own database stopped showing is missing, the totals withheld" vouched
# a region database that fails with an error plpgsql's WHEN OTHERS does not catch (assert_failure)
pq a subsidy -q -c "CREATE FUNCTION public.refuse() RETURNS boolean LANGUAGE plpgsql AS \$\$BEGIN RAISE SQLSTATE 'P0004' USING MESSAGE = 'refused by the region'; END\$\$" \
	-c "GRANT EXECUTE ON FUNCTION public.refuse() TO PUBLIC" \
	-c "ALTER VIEW subsidy_report.annual_figures RENAME TO annual_figures_real" \
	-c "CREATE VIEW subsidy_report.annual_figures WITH (security_invoker = true) AS SELECT * FROM subsidy_report.annual_figures_real WHERE public.refuse()" \
	-c "GRANT SELECT ON subsidy_report.annual_figures TO subsidy_reader"
pq p province -c "SELECT level, region, state, problem FROM subsidy.province_annual_report(2019) WHERE state <> 'ok'" \
	>"$work/assert.report" 2>"$work/assert.err"
pq a subsidy -q -c "DROP VIEW subsidy_report.annual_figures" -c "ALTER VIEW subsidy_report.annual_figures_real RENAME TO annual_figures" \
	-c "DROP FUNCTION public.refuse()"
asserted() {
	sed 's/^/  /' "$work/assert.report" "$work/assert.err"
	grep -q '^pool|220300|missing|subsidy_region_a: refused by the region' "$work/assert.report" &&
		grep -q '^province|220000|missing' "$work/assert.report"
}
check "province: a region database failing with any error (assert_failure too) is marked missing, not the province's report failed" asserted
# figures a region sends, each valid, that add up beyond a column's range (c's two pools each
# say 2,147,483,647 enterprises and as many applications waiting): the province's totals are
# withheld and say why, every pool's row is there, and the progress report stands too
pq c subsidy -q -c "ALTER VIEW subsidy_report.annual_figures RENAME TO annual_figures_real" \
	-c "CREATE VIEW subsidy_report.annual_figures WITH (security_invoker = true) AS
	      SELECT region, region_name, year, regions_covered, 2147483647 AS enterprises_applied, enterprises_approved,
	             employees_covered, amount_total, amount_a1, amount_a2, amount_a3, amount_paid, decapacity_enterprises,
	             decapacity_amount, zombies_refused, spot_checks, spot_checks_false_data, objections, payments,
	             days_to_payment_total, days_to_payment_average, days_to_payment_longest, fund_balance,
	             monthly_fund_expenditure, fund_cover_months, report_due_on, report_frozen_on
	        FROM subsidy_report.annual_figures_real" \
	-c "GRANT SELECT ON subsidy_report.annual_figures TO subsidy_reader" \
	-c "ALTER VIEW subsidy_report.progress RENAME TO progress_real" \
	-c "CREATE VIEW subsidy_report.progress WITH (security_invoker = true) AS
	      SELECT region, region_name, year, step, step_name, step_order, is_final, 2147483647 AS applications, waiting_since,
	             days_waiting_average, days_waiting_longest, waiting_over_30_days, report_due_on, report_frozen_on,
	             report_state, report_state_name, report_days_left, report_warning
	        FROM subsidy_report.progress_real" \
	-c "GRANT SELECT ON subsidy_report.progress TO subsidy_reader" 2>"$work/overflow.err" || cat "$work/overflow.err"
pq p province -c "SELECT level, region, state, problem FROM subsidy.province_annual_report(2019) ORDER BY 1 DESC, 2" \
	>"$work/overflow.report" 2>>"$work/overflow.err"
pq p province -c "SELECT count(*) FILTER (WHERE level = 'province' AND state = 'missing'), count(*) FILTER (WHERE level = 'pool')
                  FROM subsidy.province_progress(2019)" >"$work/overflow.progress" 2>>"$work/overflow.err"
pq c subsidy -q -c "DROP VIEW subsidy_report.annual_figures" -c "ALTER VIEW subsidy_report.annual_figures_real RENAME TO annual_figures" \
	-c "DROP VIEW subsidy_report.progress" -c "ALTER VIEW subsidy_report.progress_real RENAME TO progress"
overflowed() {
	sed 's/^/  /' "$work/overflow.report" "$work/overflow.progress" "$work/overflow.err"
	grep -q "^province|220000|missing|the figures the pools sent add up beyond the report's range" "$work/overflow.report" &&
		[ "$(grep -c '^pool|[0-9X]*|ok|$' "$work/overflow.report")" -eq 4 ] &&
		[ "$(cut -d'|' -f1 "$work/overflow.progress")" -gt 0 ] && [ "$(cut -d'|' -f2 "$work/overflow.progress")" -gt 0 ]
}
check "province: figures a region sends that add up beyond a column's range: the totals withheld and said so, every pool's row there, the progress too" overflowed
# a region's code that would fail (or stall) the province's commit: a view that writes, with a
# deferred trigger that raises at the region's COMMIT, which runs when the province commits,
# where no report can mark anything missing; the province's transactions there are read-only
pq a subsidy -q -c "CREATE SCHEMA evil" -c "CREATE TABLE evil.t (x integer)" \
	-c "CREATE FUNCTION evil.boom() RETURNS trigger LANGUAGE plpgsql AS \$\$BEGIN RAISE EXCEPTION 'region a says no at commit'; END\$\$" \
	-c "CREATE CONSTRAINT TRIGGER boom AFTER INSERT ON evil.t DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION evil.boom()" \
	-c "CREATE FUNCTION evil.poke() RETURNS boolean LANGUAGE plpgsql SECURITY DEFINER AS \$\$BEGIN INSERT INTO evil.t VALUES (1); RETURN true; END\$\$" \
	-c "GRANT USAGE ON SCHEMA evil TO PUBLIC" \
	-c "ALTER VIEW subsidy_report.audit_heads RENAME TO audit_heads_real" \
	-c "CREATE VIEW subsidy_report.audit_heads WITH (security_invoker = true) AS SELECT * FROM subsidy_report.audit_heads_real WHERE evil.poke()" \
	-c "GRANT SELECT ON subsidy_report.audit_heads TO subsidy_reader"
pq p province -c "SELECT level, region, state, problem FROM subsidy.province_annual_report(2019) WHERE state <> 'ok'" \
	>"$work/commit.report" 2>"$work/commit.err"
commit_rc=$?
pq a subsidy -q -c "DROP VIEW subsidy_report.audit_heads" -c "ALTER VIEW subsidy_report.audit_heads_real RENAME TO audit_heads" \
	-c "DROP SCHEMA evil CASCADE"
at_commit() {
	sed 's/^/  /' "$work/commit.report" "$work/commit.err"
	[ $commit_rc -eq 0 ] && grep -q '^pool|220300|missing|subsidy_region_a: .*read-only transaction' "$work/commit.report"
}
check "province: a region whose report would write (to fail or stall the province's commit) is marked missing: the province reads it in read-only transactions" at_commit
# rows that cannot be: a pool's row twice (counted twice, regions_covered made to look whole),
# a negative count of payments (the province's average wait skewed): the database is missing
forge_a() { # forge_a SELECT-LIST-AND-FROM: a's annual_figures made to say it
	pq a subsidy -q -c "ALTER VIEW subsidy_report.annual_figures RENAME TO annual_figures_real" \
		-c "CREATE VIEW subsidy_report.annual_figures WITH (security_invoker = true) AS $1" \
		-c "GRANT SELECT ON subsidy_report.annual_figures TO subsidy_reader"
	pq p province -c "SELECT level, region, state, problem FROM subsidy.province_annual_report(2019) WHERE state <> 'ok'" 2>/dev/null
	pq a subsidy -q -c "DROP VIEW subsidy_report.annual_figures" -c "ALTER VIEW subsidy_report.annual_figures_real RENAME TO annual_figures"
}
forge_a "SELECT * FROM subsidy_report.annual_figures_real UNION ALL SELECT * FROM subsidy_report.annual_figures_real" >"$work/twice.report"
forge_a "SELECT region, region_name, year, regions_covered, enterprises_applied, enterprises_approved, employees_covered,
                amount_total, amount_a1, amount_a2, amount_a3, amount_paid, decapacity_enterprises, decapacity_amount,
                zombies_refused, spot_checks, spot_checks_false_data, objections, -1787 AS payments, days_to_payment_total,
                days_to_payment_average, days_to_payment_longest, fund_balance, monthly_fund_expenditure, fund_cover_months,
                report_due_on, report_frozen_on
           FROM subsidy_report.annual_figures_real" >"$work/negative.report"
cannot_be() {
	sed 's/^/  /' "$work/twice.report" "$work/negative.report"
	grep -q '^pool|220300|missing|subsidy_region_a: sent more than one row for 220300 2019' "$work/twice.report" &&
		grep -q '^province|220000|missing' "$work/twice.report" &&
		grep -q '^pool|220300|missing|subsidy_region_a: sent figures that cannot be for 220300' "$work/negative.report" &&
		grep -q '^province|220000|missing' "$work/negative.report"
}
check "province: a region database that sends a pool's row twice, or figures that cannot be (a negative count), is marked missing, not counted" cannot_be
# figures that pass each bound but do not add up, or a step relabelled: a pool covering three
# pools, a paid amount above the total, progress calling a step by another name and place
forge_a "SELECT region, region_name, year, 3 AS regions_covered, enterprises_applied, enterprises_approved, employees_covered,
                amount_total, amount_a1, amount_a2, amount_a3, amount_paid, decapacity_enterprises, decapacity_amount,
                zombies_refused, spot_checks, spot_checks_false_data, objections, payments, days_to_payment_total,
                days_to_payment_average, days_to_payment_longest, fund_balance, monthly_fund_expenditure, fund_cover_months,
                report_due_on, report_frozen_on
           FROM subsidy_report.annual_figures_real" >"$work/covers.report"
forge_a "SELECT region, region_name, year, regions_covered, enterprises_applied, enterprises_approved, employees_covered,
                amount_total, amount_a1, amount_a2, amount_a3, amount_total + 1 AS amount_paid, decapacity_enterprises,
                decapacity_amount, zombies_refused, spot_checks, spot_checks_false_data, objections, payments,
                days_to_payment_total, days_to_payment_average, days_to_payment_longest, fund_balance,
                monthly_fund_expenditure, fund_cover_months, report_due_on, report_frozen_on
           FROM subsidy_report.annual_figures_real" >"$work/overpaid.report"
pq a subsidy -q -c "ALTER VIEW subsidy_report.progress RENAME TO progress_real" \
	-c "CREATE VIEW subsidy_report.progress WITH (security_invoker = true) AS
	      SELECT region, region_name, year, step, (CASE WHEN step = 'reported' THEN '伪造' ELSE step_name END)::varchar(12),
	             (CASE WHEN step = 'reported' THEN 1 ELSE step_order END), is_final, applications, waiting_since,
	             days_waiting_average, days_waiting_longest, waiting_over_30_days, report_due_on, report_frozen_on,
	             report_state, report_state_name, report_days_left, report_warning
	        FROM subsidy_report.progress_real" \
	-c "GRANT SELECT ON subsidy_report.progress TO subsidy_reader"
# (the province's steps are left out while a pool is missing: only the pool's rows say so)
pq p province -c "SELECT DISTINCT level, region, state FROM subsidy.province_progress(2019)
                  WHERE state <> 'ok' OR level = 'province' ORDER BY 1, 2" \
	>"$work/relabelled.report" 2>/dev/null
pq a subsidy -q -c "DROP VIEW subsidy_report.progress" -c "ALTER VIEW subsidy_report.progress_real RENAME TO progress"
not_adding_up() {
	sed 's/^/  /' "$work/covers.report" "$work/overpaid.report" "$work/relabelled.report"
	grep -q '^pool|220300|missing|subsidy_region_a: sent figures that cannot be for 220300' "$work/covers.report" &&
		grep -q '^pool|220300|missing|subsidy_region_a: sent figures that cannot be for 220300' "$work/overpaid.report" &&
		[ "$(cat "$work/relabelled.report")" = 'pool|220300|missing' ]
}
check "province: figures that do not add up (a pool covering three, more paid than the total) or a step relabelled mark the database missing" not_adding_up
# a chain head that went back since the heads were last kept (a's 220300 sent at entry 1): not
# kept as if nothing had happened; the pool is kept missing, with a WARNING
pq p province -q -c "CALL subsidy.keep_province_heads()"
pq a subsidy -q -c "ALTER VIEW subsidy_report.audit_heads RENAME TO audit_heads_real" \
	-c "CREATE VIEW subsidy_report.audit_heads WITH (security_invoker = true) AS
	      SELECT h.region, h.region_name, 1::bigint AS seq, l.hash::char(64), h.logged_at
	        FROM subsidy_report.audit_heads_real h
	        JOIN LATERAL (SELECT encode(x.hash, 'hex') AS hash FROM subsidy.audit_log x WHERE x.region = h.region AND x.seq = 1) l ON true" \
	-c "GRANT SELECT ON subsidy_report.audit_heads TO subsidy_reader"
pq p province -q -c "CALL subsidy.keep_province_heads()" 2>"$work/back.err"
pq a subsidy -q -c "DROP VIEW subsidy_report.audit_heads" -c "ALTER VIEW subsidy_report.audit_heads_real RENAME TO audit_heads"
head_back() {
	sed 's/^/  /' "$work/back.err"
	grep -q 'WARNING:  the chain head of pooling region 220300 went back from entry [0-9]* to 1' "$work/back.err" &&
		[ "$(pq p province -c "SELECT missing FROM subsidy_province.heads_kept ORDER BY kept_at DESC LIMIT 1")" = '{220300}' ] &&
		[ "$(pq p province -c "SELECT count(*) FROM subsidy_province.heads_kept k, jsonb_array_elements(k.heads) e
		                       WHERE k.kept_at = (SELECT max(kept_at) FROM subsidy_province.heads_kept) AND e ->> 'region' = '220300'")" -eq 0 ]
}
check "province: a chain head behind the one kept last is not kept: the pool is kept missing, with a WARNING" head_back
# the DBA's connect_regions waits at most its lock_timeout on a reader's open transaction,
# instead of queueing every report behind it for good
psql -X -q -h "$PROVINCE_DIR" -p "$(cluster_port p)" -U province_clerk -d province \
	-c "BEGIN" -c "SELECT count(*) FROM subsidy_province.summary" -c "SELECT pg_sleep(30)" >/dev/null 2>&1 &
reader_txn=$!
sleep 2
start=$SECONDS
pq p province -q -c "CALL subsidy.connect_regions('[$(region_entry b 220700)]')" 2>"$work/locked.err"
locked_rc=$? took=$((SECONDS - start))
pq p postgres -q -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'province_clerk'" >/dev/null
wait $reader_txn 2>/dev/null
lock_bounded() {
	sed 's/^/  /' "$work/locked.err"; echo "  answered in ${took}s"
	[ $locked_rc -ne 0 ] && grep -q 'lock timeout' "$work/locked.err" && [ $took -lt 25 ] &&
		pq p province -q -c "CALL subsidy.connect_regions('[$(region_entry b 220700)]')"
}
check "province: connect_regions gives up after its lock_timeout on a reader's open transaction, and runs once it has ended" lock_bounded
timeout_checked() {
	! pq p province -q -c "CALL subsidy.connect_regions('[$(region_entry a 220300 '"timeout": "60s -c default_transaction_read_only=off"')]')" \
		2>"$work/timeout.err" && grep -q 'timeout 60s -c default_transaction_read_only=off is not a duration' "$work/timeout.err"
}
check "province: a timeout that is not a duration is refused (it would have gone into the server's options)" timeout_checked
# a region database that answers but no longer shows its reader one of its pools (its
# staff_region changed): that pool is missing by name, not absent from a short total
pq c subsidy -q -c "DELETE FROM subsidy.staff_region WHERE staff = 'province_reader'::regrole AND region = '22X002'"
pq p province -c "SELECT level, region, state, problem FROM subsidy.province_annual_report(2019) WHERE state <> 'ok'" \
	>"$work/unseen.report" 2>"$work/unseen.err"
pq c subsidy -q -c "INSERT INTO subsidy.staff_region (staff, region) VALUES ('province_reader', '22X002')"
unseen() {
	sed 's/^/  /' "$work/unseen.report"
	grep -q '^pool|22X002|missing|subsidy_region_c: its login does not see pooling regions 22X002' "$work/unseen.report" &&
		grep -q '^province|220000|missing|pooling regions 22X002 did not answer' "$work/unseen.report" &&
		[ "$(wc -l <"$work/unseen.report")" -eq 2 ] && grep -q 'WARNING:  province_annual_report lacks pooling regions 22X002' "$work/unseen.err"
}
check "province: a region database that answers without showing its reader one of its pools: that pool missing by name, no total" unseen

# ---------------------------------------------------------------------------------------------
# One database, partitioned by year (in the province's cluster: the database 'local')
say "the tables partitioned by year"
pq p local -c "SELECT $cols FROM subsidy_report.annual_report(2019) ORDER BY level, region" >"$work/before.report"
pq p local -c "SELECT s.* FROM subsidy_report.summary s ORDER BY s::text" >"$work/before.summary"
pq p local -c "SELECT region, seq, subject, state FROM subsidy.audit_log ORDER BY region, seq" >"$work/before.trail"
# a clerk's session holds temporary objects made on the extension's routines (TEMP is PUBLIC's):
# the update's code, which partition_by_year runs, drops them rather than stop on them
pq p local -q -c "CREATE ROLE temp_clerk LOGIN IN ROLE subsidy_reader"
psql -X -q -h "$PROVINCE_DIR" -p "$(cluster_port p)" -U temp_clerk -d local \
	-c "CREATE TEMP VIEW hold AS SELECT subsidy.caller_regions(), subsidy.sees_every_region()" \
	-c "CREATE TEMP TABLE hold2 (r text[] DEFAULT subsidy.caller_regions(), s boolean CHECK (s = subsidy.sees_every_region()))" \
	-c "SELECT pg_sleep(20)" >/dev/null 2>&1 &
holder=$!
sleep 2
partitioned() {
	pq p local -q -c "CALL subsidy.partition_by_year()" &&
		[ "$(pq p local -c "SELECT count(*) FROM pg_partitioned_table WHERE partrelid IN ('subsidy.application'::regclass, 'subsidy.audit_log'::regclass)")" -eq 2 ]
}
check "partitions: partition_by_year makes application and audit_log partitioned tables, a clerk's temporary view and table on the extension's routines notwithstanding" partitioned
kill $holder 2>/dev/null; wait $holder 2>/dev/null
pq p local -c "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
               WHERE i.inhparent IN ('subsidy.application'::regclass, 'subsidy.audit_log'::regclass) ORDER BY 1" | sed 's/^/  /'
same_trail() { diff "$work/before.trail" <(pq p local -c "SELECT region, seq, subject, state FROM subsidy.audit_log ORDER BY region, seq"); }
check "partitions: the trail is the same, entry for entry, subjects and states" same_trail
verified() { [ "$(pq p local -c "SELECT count(*) FROM subsidy.verify_audit()")" -eq 0 ]; }
check "partitions: verify_audit finds nothing: every row's subject and state on the partitioned tables is what the trail says" verified
subjects() {
	[ "$(pq p local -c "SELECT DISTINCT subsidy.row_subject(a) ~ '^application [0-9]+$' FROM subsidy.application a")" = t ] &&
		[ "$(pq p local -c "SELECT DISTINCT subsidy.row_subject(a) ~ '^application [0-9]+$' FROM subsidy.application_y2019 a")" = t ]
}
check "partitions: a row is named 'application <id>' read from the table or from its partition" subjects
reports_same() {
	diff "$work/before.report" <(pq p local -c "SELECT $cols FROM subsidy_report.annual_report(2019) ORDER BY level, region") &&
		diff "$work/before.summary" <(pq p local -c "SELECT s.* FROM subsidy_report.summary s ORDER BY s::text")
}
check "partitions: the reports give what they gave before" reports_same
next_year() {
	region_year p local "$N" 220300,220700,220800,22X002 2020 &&
		[ "$(pq p local -c "SELECT count(*) FROM subsidy.application_default WHERE year = 2020")" -gt 0 ] &&
		[ "$(pq p local -c "SELECT count(*) FROM subsidy.verify_audit()")" -eq 0 ]
}
check "partitions: a whole year (2020) runs on the partitioned tables through the guard and the trail, and verifies" next_year
moved() {
	pq p local -q -c "CALL subsidy.add_year_partitions(2020)" -c "CALL subsidy.add_year_partitions($(date +%Y))" &&
		[ "$(pq p local -c "SELECT count(*) FROM subsidy.application_default")" -eq 0 ] &&
		[ "$(pq p local -c "SELECT count(*) FROM subsidy.audit_log_default")" -eq 0 ] &&
		[ "$(pq p local -c "SELECT count(*) FROM subsidy.verify_audit()")" -eq 0 ]
}
check "partitions: add_year_partitions moves a year's rows out of the default partitions, and the trail still verifies" moved
guarded() {
	local id
	id=$(pq p local -c "SELECT id FROM subsidy.application WHERE year = 2020 AND stage = 'reported' LIMIT 1")
	! pq p local -c "UPDATE subsidy.application SET decided_amount = 1 WHERE id = $id" 2>"$work/guard.err" &&
		grep -q 'SBY01\|closed\|cannot be changed' "$work/guard.err" &&
		! pq p local -c "UPDATE subsidy.audit_log SET detail = 'x' WHERE seq = 1" 2>>"$work/guard.err" &&
		grep -q 'append-only' "$work/guard.err" &&
		! pq p local -c "INSERT INTO subsidy.sign_off (application_id, review_round, agency, passed) VALUES (999999999, 1, 'hrss', true)" 2>>"$work/guard.err" &&
		grep -q 'violates foreign key constraint "sign_off_application_id_fkey"\|999999999' "$work/guard.err"
}
check "partitions: the stage guard, the append-only log and the references to an application hold on the partitions" guarded
misuse() {
	! pq p local -q -c "CREATE TABLE public.intruder (LIKE subsidy.application)" \
		-c "CREATE TRIGGER g BEFORE INSERT ON public.intruder FOR EACH ROW EXECUTE FUNCTION subsidy.application_guard()" \
		-c "INSERT INTO public.intruder (id, year, region, uscc) SELECT id, year, region, uscc FROM subsidy.application LIMIT 1" 2>"$work/misuse.err" &&
		grep -q 'does not fire on table "intruder"' "$work/misuse.err"
}
check "partitions: the guard still refuses a table that is not one of its own nor a partition of one" misuse
rls() {
	pq p local -q -c "CREATE ROLE part_clerk LOGIN IN ROLE subsidy_hrss" \
		-c "INSERT INTO subsidy.staff_region (staff, region) VALUES ('part_clerk', '220300')" || return 1
	[ "$(psql -X -At -h "$PROVINCE_DIR" -p "$(cluster_port p)" -U part_clerk -d local \
		-c "SELECT string_agg(DISTINCT region, ',') || ' ' || count(DISTINCT year) FROM subsidy.application")" = "220300 2" ] &&
		! psql -X -At -h "$PROVINCE_DIR" -p "$(cluster_port p)" -U part_clerk -d local -c "SELECT count(*) FROM subsidy.application_y2019" 2>/dev/null
}
check "partitions: row-level security keeps a clerk to its pool across the years, and no clerk reads a partition directly" rls
pruned() {
	pq p local -c "EXPLAIN (COSTS OFF) SELECT region, count(*) FROM subsidy.application WHERE year = 2020 GROUP BY 1" >"$work/prune.1"
	pq p local -c "EXPLAIN (COSTS OFF) SELECT * FROM subsidy_report.summary WHERE year = 2020" >"$work/prune.2"
	pq p local -c "EXPLAIN (COSTS OFF) SELECT count(*) FROM subsidy.audit_log WHERE at >= '2020-01-01 00:00+08' AND at < '2021-01-01 00:00+08'" >"$work/prune.3"
	cat "$work/prune.1" "$work/prune.2" | sed 's/^/  /'
	grep -q 'application_y2020' "$work/prune.1" && ! grep -q 'application_y2019\|application_default' "$work/prune.1" &&
		grep -q 'application_y2020' "$work/prune.2" && ! grep -q 'application_y2019\|application_default' "$work/prune.2" &&
		! grep -q 'audit_log_default' "$work/prune.3"
}
check "partitions: the planner prunes to one year: a query of 2020, the summary report of 2020, a year of the trail" pruned
archived() {
	pq p local -q -c "CALL subsidy.archive_year(2019)" 2>"$work/archive.err" || { cat "$work/archive.err"; return 1; }
	[ "$(pq p local -c "SELECT count(*) FROM subsidy.application WHERE year = 2019")" -eq 0 ] &&
		[ "$(pq p local -c "SELECT count(*) FROM subsidy_archive.application_2019")" -gt 0 ] &&
		[ "$(pq p local -c "SELECT count(*) FROM subsidy.verify_audit()")" -eq 0 ] &&
		[ "$(pq p local -c "SELECT count(*) FROM subsidy.verify_archive('subsidy_archive.application_2019')")" -eq 0 ]
}
check "partitions: archive_year detaches the closed year's partition into subsidy_archive, each application logged, and the trail and the archive verify" archived
archive_checked() {
	pq p local -q -c "ALTER TABLE subsidy_archive.application_2019 DISABLE TRIGGER USER" \
		-c "UPDATE subsidy_archive.application_2019 SET decided_amount = decided_amount + 1 WHERE id = (SELECT min(id) FROM subsidy_archive.application_2019 WHERE decided_amount > 0)" || return 1
	[ "$(pq p local -c "SELECT count(*) FROM subsidy.verify_archive('subsidy_archive.application_2019')")" -eq 1 ]
}
check "partitions: an archived row changed since is found by verify_archive" archive_checked
refused_open() { ! pq p local -q -c "CALL subsidy.archive_year(2021)" 2>/dev/null; }
check "partitions: a year with no partition of its own, or not closed, is not archived" refused_open

checks_summary province
[ "$failed" -eq 0 ]
