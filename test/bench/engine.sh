#!/usr/bin/env bash
# Benchmark of the eligibility engine (issue 3): on a synthetic province of 100,000 and
# 1,000,000 applications, in one run on a throwaway cluster,
#   (a) the C engine over all rows, producing the verdict assess_year stores;
#   (b) a bare scan computing round(confirmed_premiums_paid * 0.5, 2) over the same rows;
#   (c) the same rules in PL/pgSQL (test/bench/assess_plpgsql.sql), first checked to give
#       identical results row for row.
# It prints C/bare, PL/pgSQL/C and the growth from 100k to 1M.  Times are the best of a few
# runs, measured inside the server, single process (no parallel workers).
#
#   bash test/bench/engine.sh              # sizes 100000 and 1000000
#   SIZES="20000 200000" bash test/bench/engine.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

SIZES=${SIZES:-"100000 1000000"}
REPEAT=${REPEAT:-7}
PLPGSQL_REPEAT=${PLPGSQL_REPEAT:-1}	# minutes at 1M rows, and noise matters little at that ratio
CLUSTER_CONF="shared_buffers = '2GB'
work_mem = '64MB'
max_parallel_workers_per_gather = 0
jit = off"

ensure_packages "${BASE_PACKAGES[@]}"
build_and_install
start_cluster

declare -A T
for size in $SIZES; do
	db="bench_$size"
	say "generating a province of $size applications"
	psql -X -q -c "CREATE DATABASE $db"
	psql -X -q -d "$db" -c "CREATE EXTENSION subsidy" -c "CREATE EXTENSION pg_prewarm"
	psql -X -q -d "$db" -v applications="$size" -v stage=in_review -f "$ROOT/test/sample/province.sql"
	psql -X -q -d "$db" -v ON_ERROR_STOP=1 -f "$ROOT/test/bench/assess_plpgsql.sql"
	psql -X -q -d "$db" -c "VACUUM ANALYZE subsidy.application" -c "SELECT pg_prewarm('subsidy.application')" >/dev/null

	say "checking that PL/pgSQL and C agree on every row ($size)"
	differ=$(psql -X -At -d "$db" -c "SELECT count(*) FROM subsidy.application a
	                                  WHERE subsidy.assess(a) IS DISTINCT FROM bench.assess(a)")
	echo "rows that differ: $differ"
	[ "$differ" = 0 ] || { echo "the baseline does not agree with the engine" >&2; exit 1; }

	say "timing ($size applications, C and bare in turn, best of $REPEAT; PL/pgSQL once)"
	read -r T[c,$size] T[bare,$size] < <(best_times "$db" "" \
		"SELECT count(subsidy.verdict_of(a)) FROM subsidy.application a" \
		"SELECT count(round(a.confirmed_premiums_paid * 0.5, 2)) FROM subsidy.application a")
	T[plpgsql,$size]=$(REPEAT=$PLPGSQL_REPEAT best_ms "$db" "SELECT count(bench.assess(a)) FROM subsidy.application a")
	printf '%-10s %12s ms\n' "C engine" "${T[c,$size]}" "bare scan" "${T[bare,$size]}" "PL/pgSQL" "${T[plpgsql,$size]}"
	psql -X -q -c "DROP DATABASE $db"
done

say "results"
printf '%-12s %12s %12s %12s %10s %14s\n' size "C (ms)" "bare (ms)" "PL/pgSQL (ms)" "C/bare" "PL/pgSQL/C"
for size in $SIZES; do
	printf '%-12s %12s %12s %12s %10s %14s\n' "$size" "${T[c,$size]}" "${T[bare,$size]}" "${T[plpgsql,$size]}" \
		"$(ratio "${T[c,$size]}" "${T[bare,$size]}")" "$(ratio "${T[plpgsql,$size]}" "${T[c,$size]}")"
done
set -- $SIZES
if [ $# -ge 2 ]; then
	small=$1 large=${!#}
	scale=$(ratio "$large" "$small")
	echo
	echo "growth from $small to $large applications (x$scale the rows; linear is x$scale):"
	for k in c bare plpgsql; do
		printf '  %-10s x%s\n' "$k" "$(ratio "${T[$k,$large]}" "${T[$k,$small]}")"
	done
fi
echo
echo "targets: C/bare <= 1.5, PL/pgSQL/C >= 5, growth within 20 % of linear"
