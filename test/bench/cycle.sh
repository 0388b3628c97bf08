#!/usr/bin/env bash
# The whole annual cycle at scale (issue 6): a province of 200,000 and then 2,000,000
# applications run from opening to closing, each step (test/sample/steps/) in a session of
# its own, on one throwaway cluster.  It prints, per step and size, the time and the peak
# private memory of the server process that ran it (its peak resident size less the shared
# buffers it mapped), and the growth between the sizes (linear is the ratio of the sizes).
#
#   bash test/bench/cycle.sh                       # 200000 and 2000000 (hours, not minutes)
#   SIZES="20000 200000" bash test/bench/cycle.sh  # a quicker look
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

SIZES=${SIZES:-"200000 2000000"}
YEAR=${YEAR:-2019}
STEPS=(00_setup 01_open 02_enterprises 03_apply 04_review 05_assess 06_decide 07_publish 08_clear 09_pay
	10_report 11_freeze 12_close)
CLUSTER_CONF="shared_buffers = '8GB'
work_mem = '64MB'
maintenance_work_mem = '1GB'
max_wal_size = '20GB'
checkpoint_timeout = '30min'
max_parallel_workers_per_gather = 0
jit = off"

ensure_packages "${BASE_PACKAGES[@]}"
build_and_install
start_cluster
WORK=$(mktemp -d /tmp/subsidy-cycle.XXXXXX)
cleanup_work() { rm -rf "$WORK"; }
at_exit cleanup_work

declare -A SECONDS_OF MEMORY_OF
for size in $SIZES; do
	db="cycle_$size"
	say "a province of $size applications"
	psql -X -q -c "CREATE DATABASE $db"
	psql -X -q -d "$db" -c "CREATE EXTENSION subsidy"
	for step in "${STEPS[@]}"; do
		start=$(date +%s.%N)
		psql -X -q -v ON_ERROR_STOP=1 -d "$db" -v applications="$size" -v year="$YEAR" >"$WORK/$step.log" 2>&1 <<-SQL
			SET client_min_messages = warning;
			SELECT pg_backend_pid() AS backend \gset
			\setenv BACKEND :backend
			\i $ROOT/test/sample/steps/$step.sql
			\! awk '/^(VmHWM|RssShmem):/ { kb[\$1] = \$2 } END { print kb["VmHWM:"] - kb["RssShmem:"] }' /proc/\$BACKEND/status > $WORK/$step.memory
		SQL
		status=$?
		end=$(date +%s.%N)
		if [ $status -ne 0 ]; then
			cat "$WORK/$step.log"
			echo "step $step failed at $size applications" >&2
			exit 1
		fi
		SECONDS_OF[$step,$size]=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
		MEMORY_OF[$step,$size]=$(awk '{ printf "%.0f", $1 / 1024 }' "$WORK/$step.memory")
		printf '  %-16s %10s s %8s MB\n' "$step" "${SECONDS_OF[$step,$size]}" "${MEMORY_OF[$step,$size]}"
	done
	psql -X -At -d "$db" -c "SELECT count(*) AS problems FROM subsidy.verify_audit()" | sed 's/^/  audit problems: /'
	psql -X -q -d "$db" -c "SELECT pg_size_pretty(pg_database_size(current_database())) AS database_size"
	psql -X -q -c "DROP DATABASE $db"
done

say "results"
set -- $SIZES
small=$1 large=${!#}
printf '%-16s' step
for size in $SIZES; do printf ' %12s %10s' "s@$size" "MB@$size"; done
[ $# -ge 2 ] && printf ' %10s %10s' "growth" "memory x"
echo
for step in "${STEPS[@]}"; do
	printf '%-16s' "$step"
	for size in $SIZES; do printf ' %12s %10s' "${SECONDS_OF[$step,$size]}" "${MEMORY_OF[$step,$size]}"; done
	if [ $# -ge 2 ]; then
		# a step of a few tens of milliseconds is psql's start-up, not work: no growth to speak of
		if awk -v t="${SECONDS_OF[$step,$small]}" 'BEGIN { exit !(t < 0.2) }'; then
			growth=-
		else
			growth=x$(ratio "${SECONDS_OF[$step,$large]}" "${SECONDS_OF[$step,$small]}")
		fi
		printf ' %10s %10s' "$growth" \
			"x$(ratio "${MEMORY_OF[$step,$large]}" "${MEMORY_OF[$step,$small]}")"
	fi
	echo
done
[ $# -ge 2 ] && echo "linear is x$(ratio "$large" "$small"); target: every step within 20 % of linear"
