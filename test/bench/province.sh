#!/usr/bin/env bash
# Benchmark of the province's roll-up (issue 15), in one run on four throwaway clusters on
# loopback: three region databases holding a third of the sample province each
#   a: 220100 长春, 22X002 长白山                          (31 % of the applications)
#   b: 220200 吉林, 220300 四平, 220400 辽源, 220600 白山   (34 %)
#   c: 220500 通化, 220700 松原, 220800 白城, 222400 延边, 22X001 省本级 (35 %)
# and the province's cluster, with the province's database (connect_regions over the three)
# and a database 'local' holding the same applications, all eleven pools, in one.  Each is a
# year of test/sample/province.sql run to its close.  Timed, each the best of REPEAT rounds
# taken in turn, inside the server:
#   (a) R3 for the province: subsidy.province_annual_report(2019) (the pools read through
#       postgres_fdw, the figures aggregated in each region) against subsidy_report.annual_report(2019)
#       in 'local', read by a reader login mapped to every pool (as the province's reader is
#       in each region: the same row-level security);
#   (b) an ad-hoc aggregate over the applications: per region, count and amounts of the year,
#       through subsidy_province.applications with the GROUP BY pushed down
#       (enable_partitionwise_aggregate) against the same query of subsidy_report.applications
#       in 'local';
#   (c) the pools' figures alone: subsidy_province.annual_figures of the year (each region's
#       GROUP BY, the three at once) against subsidy_report.annual_figures in 'local'.
# It prints the times and remote/local for each.  PROVINCE_BENCH_APPLICATIONS is the province's
# size (default 600000: some 200,000 applications in each region database).
#
#   bash test/bench/province.sh
#   PROVINCE_BENCH_APPLICATIONS=30000 bash test/bench/province.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

N=${PROVINCE_BENCH_APPLICATIONS:-600000}
REPEAT=${REPEAT:-5}
PROVINCE_SHARED_BUFFERS=${PROVINCE_SHARED_BUFFERS:-512MB}

ensure_packages "${BASE_PACKAGES[@]}"
build_and_install
source "$ROOT/test/province/lib.sh"

A=220100,22X002
B=220200,220300,220400,220600
C=220500,220700,220800,222400,22X001
# Autovacuum stays on while the year runs: without statistics, the steps' plans over tables
# grown from empty are those of empty tables, and 600,000 applications took hours.  The
# timed queries read what VACUUM ANALYZE left, and write nothing for it to do.
CONF="max_parallel_workers_per_gather = 0
jit = off
work_mem = '64MB'"

say "three region databases of a province of $N applications"
for x in a:$A b:$B c:$C; do
	start_province_cluster "${x%%:*}" "$CONF" &&
		pq "${x%%:*}" postgres -q -c "CREATE DATABASE subsidy" &&
		pq "${x%%:*}" subsidy -q -c "CREATE EXTENSION subsidy" &&
		region_year "${x%%:*}" subsidy "$N" "${x#*:}" 2019 &&
		pq "${x%%:*}" subsidy -q -c "CREATE ROLE province_reader LOGIN PASSWORD 'province-secret' IN ROLE subsidy_reader" \
			-c "INSERT INTO subsidy.staff_region (staff, region) SELECT 'province_reader', unnest(string_to_array('${x#*:}', ','))" \
			-c "VACUUM ANALYZE" || exit 1
	echo "  ${x%%:*}: $(pq "${x%%:*}" subsidy -c "SELECT count(*) FROM subsidy.application") applications"
done

say "the province's database, and one database holding them all"
start_province_cluster p "$CONF" || exit 1
pq p postgres -q -c "CREATE DATABASE province" -c "CREATE DATABASE local" &&
	pq p province -q -c "CREATE EXTENSION subsidy" -c "CREATE EXTENSION postgres_fdw" &&
	pq p local -q -c "CREATE EXTENSION subsidy" &&
	region_year p local "$N" "$A,$B,$C" 2019 &&
	pq p local -q -c "VACUUM ANALYZE" \
		-c "CREATE ROLE local_reader LOGIN IN ROLE subsidy_reader" \
		-c "INSERT INTO subsidy.staff_region (staff, region) SELECT 'local_reader', code FROM subsidy.region WHERE is_pool" || exit 1
echo "  local: $(pq p local -c "SELECT count(*) FROM subsidy.application") applications"
list="[$(region_entry a "$A"), $(region_entry b "$B"), $(region_entry c "$C")]"
pq p province -q -c "CALL subsidy.connect_regions('$list')" || exit 1

# the same figures both ways, or the times compare nothing
same=$(diff <(pq p province -c "SELECT region, enterprises_applied, amount_total, amount_paid, days_to_payment_average
                                 FROM subsidy.province_annual_report(2019) ORDER BY level, region") \
            <(pq p local -c "SELECT region, enterprises_applied, amount_total, amount_paid, days_to_payment_average
                              FROM subsidy_report.annual_report(2019) ORDER BY level, region") && echo yes || echo NO)
echo "  the province's report equals the local one: $same"

export PGHOST=$PROVINCE_DIR PGPORT=$(cluster_port p)
say "timing (best of $REPEAT)"
remote=$(PGUSER=postgres best_ms province "SELECT * FROM subsidy.province_annual_report(2019)")
local_=$(PGUSER=local_reader best_ms local "SELECT * FROM subsidy_report.annual_report(2019)")
echo "  (a) R3, the province's: remote ${remote} ms, local ${local_} ms, remote/local $(ratio "$remote" "$local_")"
agg="SELECT region, count(*), sum(amount), sum(paid_amount) FROM %s WHERE year = 2019 GROUP BY region"
remote=$(PGUSER=postgres best_ms province "$(printf "$agg" subsidy_province.applications)" "SET enable_partitionwise_aggregate = on")
local_=$(PGUSER=local_reader best_ms local "$(printf "$agg" subsidy_report.applications)")
echo "  (b) count and amounts per region: remote ${remote} ms, local ${local_} ms, remote/local $(ratio "$remote" "$local_")"
remote=$(PGUSER=postgres best_ms province "SELECT * FROM subsidy_province.annual_figures WHERE year = 2019")
local_=$(PGUSER=local_reader best_ms local "SELECT * FROM subsidy_report.annual_figures WHERE year = 2019")
echo "  (c) the pools' figures alone (annual_figures): remote ${remote} ms, local ${local_} ms, remote/local $(ratio "$remote" "$local_")"
