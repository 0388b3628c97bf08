#!/usr/bin/env bash
# Benchmark of the reports, in one run on a throwaway cluster:
#   (a) R1's region_summary over a province of 1,000,000 applications, decided, read by a
#       clerk of one region (the view applies the clerk's row-level security), against a
#       hand-written GROUP BY of the same figures from the same table by the same clerk,
#       under the same policies (the floor); the two are timed in turn;
#   (b) rmb_upper over 1,000,000 amounts against to_char(amount, 'FM9,999,999,990.00').
# It prints view/GROUP BY and rmb_upper/to_char.  Times are the best of a few runs, measured
# inside the server, one process.
#
#   bash test/bench/reports.sh
#   APPLICATIONS=100000 AMOUNTS=100000 bash test/bench/reports.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

APPLICATIONS=${APPLICATIONS:-1000000}
AMOUNTS=${AMOUNTS:-1000000}
REPEAT=${REPEAT:-5}
CLUSTER_CONF="shared_buffers = '2GB'
work_mem = '256MB'
max_parallel_workers_per_gather = 0
jit = off
autovacuum = off
checkpoint_timeout = '1d'
max_wal_size = '20GB'"

ensure_packages "${BASE_PACKAGES[@]}"
build_and_install
start_cluster

say "generating $APPLICATIONS applications, decided"
psql -X -q -c "CREATE DATABASE bench_reports"
psql -X -q -d bench_reports -c "CREATE EXTENSION subsidy" -c "CREATE EXTENSION pg_prewarm"
PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 -d bench_reports \
	-v applications="$APPLICATIONS" -v stage=decided -f "$ROOT/test/sample/province.sql"
psql -X -q -d bench_reports -c "VACUUM ANALYZE" -c "SELECT pg_prewarm('subsidy.application')" >/dev/null
# the clerk: hrss of 长春, the largest pool (30 % of the province)
psql -X -q -d bench_reports -v ON_ERROR_STOP=1 <<-'SQL'
	DO $$ BEGIN
	  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'bench_clerk') THEN CREATE ROLE bench_clerk IN ROLE subsidy_hrss; END IF;
	END $$;
	INSERT INTO subsidy.staff_region (staff, region) VALUES ('bench_clerk', '220100') ON CONFLICT DO NOTHING;
SQL

# The floor: the figures of region_summary, written by hand against the table.
floor_sql="SELECT a.region, a.year,
       count(*) AS applied, count(*) FILTER (WHERE a.decision = 'approved') AS approved,
       count(*) FILTER (WHERE a.decision = 'rejected') AS rejected,
       count(*) FILTER (WHERE a.decision IS NULL),
       count(*) FILTER (WHERE 'E1' = ANY (a.decided_reasons)), count(*) FILTER (WHERE 'E2' = ANY (a.decided_reasons)),
       count(*) FILTER (WHERE 'E3' = ANY (a.decided_reasons)), count(*) FILTER (WHERE 'E4' = ANY (a.decided_reasons)),
       count(*) FILTER (WHERE 'E5' = ANY (a.decided_reasons)), count(*) FILTER (WHERE 'E6' = ANY (a.decided_reasons)),
       count(*) FILTER (WHERE 'E7' = ANY (a.decided_reasons)), count(*) FILTER (WHERE 'E8' = ANY (a.decided_reasons)),
       count(*) FILTER (WHERE 'E10' = ANY (a.decided_reasons)),
       count(*) FILTER (WHERE a.decision = 'rejected' AND array_to_string(a.decided_reasons, ' ') ~ '(^| )W3 '),
       sum(a.confirmed_insured_end) FILTER (WHERE a.decision = 'approved'),
       sum(a.confirmed_premiums_payable) FILTER (WHERE a.decision = 'approved'),
       sum(a.confirmed_premiums_paid) FILTER (WHERE a.decision = 'approved'),
       count(*) FILTER (WHERE a.decided_rule = 'A1' AND a.decision = 'approved'),
       count(*) FILTER (WHERE a.decided_rule = 'A2' AND a.decision = 'approved'),
       count(*) FILTER (WHERE a.decided_rule = 'A3' AND a.decision = 'approved'),
       sum(a.decided_amount) FILTER (WHERE a.decided_rule = 'A1' AND a.decision = 'approved'),
       sum(a.decided_amount) FILTER (WHERE a.decided_rule = 'A2' AND a.decision = 'approved'),
       sum(a.decided_amount) FILTER (WHERE a.decided_rule = 'A3' AND a.decision = 'approved'),
       sum(a.decided_amount) FILTER (WHERE a.decision = 'approved') AS amount_total
  FROM subsidy.application a WHERE a.stage NOT IN ('draft', 'withdrawn') GROUP BY a.region, a.year"

say "checking that the view and the floor give the same totals, to the clerk"
differ=$(psql -X -q -At -d bench_reports -c "SET ROLE bench_clerk" -c "
  WITH v AS (SELECT region, year, applied, approved, rejected, amount_total FROM subsidy.region_summary),
       f AS (SELECT region, year, applied, approved, rejected, coalesce(amount_total, 0) FROM ($floor_sql) f)
  SELECT count(*) FROM ((SELECT * FROM v EXCEPT SELECT * FROM f) UNION ALL (SELECT * FROM f EXCEPT SELECT * FROM v)) d")
echo "rows that differ: $differ"
[ "$differ" = 0 ] || { echo "the view and the floor disagree" >&2; exit 1; }

rows=$(psql -X -q -At -d bench_reports -c "SET ROLE bench_clerk" -c "SELECT sum(applied) FROM subsidy.region_summary")
echo "the clerk's region: $rows applications"

say "timing R1 as the clerk, the view and the floor in turn (best of $REPEAT)"
read -r view floor < <(best_times bench_reports "SET ROLE bench_clerk" \
	"SELECT count(s.*) FROM subsidy.region_summary s" "SELECT count(s.*) FROM ($floor_sql) s")
printf '%-28s %10s ms\n' "region_summary" "$view" "hand-written GROUP BY" "$floor"

say "timing capitals over $AMOUNTS amounts (best of $REPEAT)"
psql -X -q -v ON_ERROR_STOP=1 -d bench_reports -c "CREATE TABLE bench_amounts AS
  SELECT round((i::bigint * 7919 % 100000000)::numeric / 100 * (1 + i % 97), 2)::numeric(14,2) AS amount
    FROM generate_series(1, $AMOUNTS) i" -c "VACUUM ANALYZE bench_amounts" -c "SELECT pg_prewarm('bench_amounts')" >/dev/null
capitals=$(best_ms bench_reports "SELECT count(subsidy.rmb_upper(amount)) FROM bench_amounts")
to_char=$(best_ms bench_reports "SELECT count(to_char(amount, 'FM9,999,999,990.00')) FROM bench_amounts")
printf '%-28s %10s ms\n' "rmb_upper(amount)" "$capitals" "to_char(amount, ...)" "$to_char"

say "results"
echo "R1 over $APPLICATIONS applications, read by a clerk of one region ($rows of them): region_summary $view ms, hand-written GROUP BY $floor ms"
echo "  view/GROUP BY:     $(ratio "$view" "$floor")   (target <= 1.2)"
echo "capitals of $AMOUNTS amounts: rmb_upper $capitals ms, to_char $to_char ms"
echo "  rmb_upper/to_char: $(ratio "$capitals" "$to_char")   (target <= 3)"
