#!/usr/bin/env bash
# The load suite: many clerks of several pools doing the real mix of the review workflow at
# once (sign off, decide, publish, object, reopen, clear, pay, plus double payments, reused
# references, bank files and late applicants), with pgbench on loopback for a bounded time;
# then the invariants, the throughput per script and the error mix.  See test/load/README.md.
#
#   bash test/load/run.sh                                  # 60 s, 16 clients
#   LOAD_SECONDS=600 LOAD_CLIENTS=64 bash test/load/run.sh
#   LOAD_SLOTS=5 bash test/load/run.sh                     # the clients on the same few rows
#
# It builds, installs and starts a throwaway cluster of its own (max_connections for the
# clients, a log line prefix it reads back), so it needs no cluster and ignores the one
# test-all runs (PGHOST and PGPORT are its own from start_cluster on).  Prints "ok   load NAME"
# or "FAIL load NAME" per check (details indented below), then "load: N passed, N failed";
# exits non-zero on any failure.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

LOAD_SECONDS=${LOAD_SECONDS:-60}
LOAD_CLIENTS=${LOAD_CLIENTS:-16}
LOAD_THREADS=${LOAD_THREADS:-4}
LOAD_APPLICATIONS=${LOAD_APPLICATIONS:-20000}
LOAD_DAYS=${LOAD_DAYS:-15}            # business days the run replays, from 16 July 2019
LOAD_MAX_TRIES=${LOAD_MAX_TRIES:-10}  # pgbench's tries for serialization failures and deadlocks
[ "$LOAD_THREADS" -gt "$LOAD_CLIENTS" ] && LOAD_THREADS=$LOAD_CLIENTS
HERE=$ROOT/test/load
DB=subsidy_load
PGBENCH=$PG_BIN/pgbench

# The mix: each script with its weight (its share of the transactions).
SCRIPTS=(
	sign_off_agency@12 sign_off_hrss@12 sign_off_finance@12 decide@12 publish@1 object@5 reopen@4 clear@6
	clear_region@1
	pay@12 pay_race@6 pay_reuse@3 pay_batch@2 applicant@4
)

# pgbench comes with the client package of the server's version.
ensure_packages "${BASE_PACKAGES[@]}" "postgresql-client-$PG_MAJOR"
[ -x "$PGBENCH" ] || { echo "FAIL load pgbench is installed ($PGBENCH)"; exit 1; }
build_and_install
CLUSTER_CONF="max_connections = $((LOAD_CLIENTS + 20))
log_line_prefix = '%n [%p] %e '"
start_cluster
WORK=$(mktemp -d /tmp/subsidy-load.XXXXXX)
cleanup_work() { rm -rf "$WORK"; }
at_exit cleanup_work

set +e
PASSED=0
FAILED=0
check() { # check NAME PROBLEMS [DETAIL]
	if [ "$2" = 0 ]; then
		PASSED=$((PASSED + 1))
		echo "ok   load $1"
	else
		FAILED=$((FAILED + 1))
		echo "FAIL load $1"
		echo "       $2 problem(s)"
	fi
	[ -n "${3:-}" ] && echo "       $3"
	return 0
}
finish() {
	echo "load: $PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ]
}
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$DB" "$@"; }

say "a province of $LOAD_APPLICATIONS applications, taken to 16 July 2019 with work of every kind waiting"
psql -X -q -d postgres -c "CREATE DATABASE $DB" &&
	q -c "CREATE EXTENSION subsidy" &&
	PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -v applications="$LOAD_APPLICATIONS" \
		-v stage=in_review -v keep=1 -f "$ROOT/test/sample/province.sql" >"$WORK/province.log" 2>&1 &&
	psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -f "$HERE/setup/prepare.sql" >"$WORK/prepare.log" 2>&1 &&
	psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -f "$HERE/setup/clerks.sql" >"$WORK/clerks.log" 2>&1
status=$?
if [ $status -ne 0 ]; then
	cat "$WORK"/*.log
	check "preparation" 1 "the starting state could not be built"
	finish
	exit 1
fi
cat "$WORK/prepare.log"
APPLICATIONS=$(q -c "SELECT count(*) FROM subsidy.application")
MAXID=$(q -c "SELECT max(n) FROM load.slot")
# LOAD_SLOTS=5: every pick starts from one of the first five applications, so that the clients
# meet on the same few rows (each takes the next that fits from there)
MAXID=${LOAD_SLOTS:-$MAXID}
q -c "SELECT rolname FROM pg_roles WHERE rolname LIKE 'load\_%' ORDER BY 1" | paste -sd ' ' |
	sed 's/^/clerks (each bound to its pool in subsidy.staff_region): /'

# The business date runs from 16 July, one day every DAY_SECONDS of the run.
DAY_SECONDS=$(awk -v s="$LOAD_SECONDS" -v d="$LOAD_DAYS" 'BEGIN { printf "%.3f", s / d }')
PROGRESS=$((LOAD_SECONDS / 6 > 5 ? LOAD_SECONDS / 6 : 5))
pgbench_args=(-n -h 127.0.0.1 -p "$PGPORT" -U postgres
	-T "$LOAD_SECONDS" -c "$LOAD_CLIENTS" -j "$LOAD_THREADS" -P "$PROGRESS"
	--max-tries="$LOAD_MAX_TRIES" --failures-detailed
	-D maxid="$MAXID" -D day_seconds="$DAY_SECONDS")
for s in "${SCRIPTS[@]}"; do pgbench_args+=(-f "$HERE/${s%@*}.sql@${s#*@}"); done

say "pgbench: $LOAD_CLIENTS clients, $LOAD_THREADS threads, $LOAD_SECONDS s on loopback; business days 16 July + $LOAD_DAYS, $DAY_SECONDS s each"
LOG_OFFSET=$(stat -c %s "$CLUSTER_DIR/server.log")
T0=$(date +%s.%N)
PGOPTIONS='-c client_min_messages=warning' "$PGBENCH" "${pgbench_args[@]}" -D t0="$T0" "$DB" \
	>"$WORK/pgbench.out" 2>"$WORK/pgbench.err"
PGBENCH_STATUS=$?
sed -n '/^progress:/p' "$WORK/pgbench.err"
grep -v '^progress:' "$WORK/pgbench.err" | head -20
tail -c +$((LOG_OFFSET + 1)) "$CLUSTER_DIR/server.log" >"$WORK/server.log"

# pgbench's summary: the whole run, then each script's block.
num() { sed -n "s/^$1 *\([0-9][0-9.]*\).*/\1/p" "$WORK/pgbench.out" | head -1; }
PROCESSED=$(num 'number of transactions actually processed:')
FAILED_TX=$(num 'number of failed transactions:')
RETRIES=$(num 'total number of retries:')
PROCESSED=${PROCESSED:-0} FAILED_TX=${FAILED_TX:-0} RETRIES=${RETRIES:-0}

say "throughput per script (transactions that committed, per second of the run)"
awk '
	/^tps = / { total = $3 }
	/^SQL script [0-9]+:/ { n++; name[n] = $4; sub(/.*\//, "", name[n]); sub(/\.sql$/, "", name[n]) }
	/^ - [0-9]+ transactions/ { tx[n] = $2; t = $0; sub(/.*tps = /, "", t); sub(/\).*/, "", t); tps[n] = t }
	/^ - number of failed transactions:/ { failed[n] = $6 }
	/^ - total number of retries:/ { retries[n] = $6 }
	/^ - latency average/ { lat[n] = $5 }
	END {
		printf "  %-18s %9s %10s %8s %8s %12s\n", "script", "tps", "committed", "retries", "failed", "latency ms"
		for (i = 1; i <= n; i++)
			printf "  %-18s %9.1f %10d %8d %8d %12.1f\n", name[i], tps[i], tx[i], retries[i], failed[i], lat[i]
		printf "  %-18s %9.1f\n", "all", total
	}' "$WORK/pgbench.out"

say "error mix (every committed transaction's outcome; 00000 a step taken, idle no work found)"
psql -X -q -v ON_ERROR_STOP=1 -d "$DB" <<-'SQL' | sed -e 's/^/  /' -e '/^  ([0-9]* rows)$/d' -e '/^  $/d'
	SELECT script, sqlstate, class, count(*) AS n
	  FROM (SELECT script, sqlstate,
	               CASE WHEN sqlstate IN ('00000', 'idle') THEN coalesce(regexp_replace(message, '[0-9]+', 'N', 'g'), '')
	                    ELSE regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(message,
	                           ' \([^)]*\)', '', 'g'), '"[^"]*[0-9][^"]*"', '"…"', 'g'), '[0-9]{4}-[0-9]{2}-[0-9]{2}', 'D', 'g'),
	                           '[A-Z]*[A-Z0-9-]*[0-9][0-9.]*', 'N', 'g'), 'no sign-off from [a-z, ]+$', 'no sign-off from …') END AS class
	          FROM load.outcome) o
	 GROUP BY 1, 2, 3 ORDER BY 1, 2, 4 DESC
SQL
echo "  by SQLSTATE:" $(q -c "SELECT string_agg(format('%s %s', sqlstate, n), ', ' ORDER BY n DESC)
                              FROM (SELECT sqlstate, count(*) AS n FROM load.outcome GROUP BY 1) s")
LOG_DEADLOCKS=$(grep -c 'ERROR:  deadlock detected' "$WORK/server.log")
LOG_SERIALIZATION=$(grep -c 'ERROR:  could not serialize access' "$WORK/server.log")
# The failures of a transaction that the end of the run cut off (pgbench -T rolls it back and
# neither retries nor counts it, nor the retries it had made): those after the session's last
# committed step.
sed -nE 's/^([0-9.]+) \[([0-9]+)\] (40001|40P01) ERROR: .*/\1,\2,\3/p' "$WORK/server.log" >"$WORK/retryable.csv"
LOG_LATE=$(q <<-SQL
	CREATE TEMPORARY TABLE retryable (at double precision, pid integer, sqlstate text);
	\copy retryable FROM '$WORK/retryable.csv' CSV
	SELECT count(*) FROM retryable r
	 WHERE to_timestamp(r.at) > coalesce((SELECT max(o.at) FROM load.outcome o WHERE o.pid = r.pid), '-infinity');
SQL
)
echo "  retried by pgbench: $RETRIES retries ($(num 'number of transactions retried:') transactions);" \
	"the server raised $LOG_SERIALIZATION serialization failures (40001), $LOG_DEADLOCKS deadlocks (40P01)"
echo "  failed after $LOAD_MAX_TRIES tries: $FAILED_TX (serialization $(num 'number of serialization failures:')," \
	"deadlock $(num 'number of deadlock failures:'))"
if [ "$LOG_DEADLOCKS" -gt 0 ]; then
	echo "  deadlocks, by the steps of the sessions in the cycle (the server's DETAIL):"
	awk '/ERROR:  deadlock detected/ { inside = 1; delete seen; next }
	     inside && /^[0-9.]+ \[[0-9]+\] [0-9A-Z]+ HINT:/ {
	         inside = 0; n = 0
	         for (k in seen) { for (i = ++n; i > 1 && sorted[i - 1] > k; i--) sorted[i] = sorted[i - 1]; sorted[i] = k }
	         line = sorted[1]; for (i = 2; i <= n; i++) line = line " + " sorted[i]
	         count[line]++; next }
	     inside && /Process [0-9]+: SELECT load\./ { step = $0; sub(/.*SELECT load\./, "", step); sub(/\(.*/, "", step); seen[step] = step }
	     END { for (c in count) printf "    %5d  %s\n", count[c], c }' "$WORK/server.log" | sort -rn | tee "$WORK/deadlocks.txt"
fi
touch "$WORK/deadlocks.txt"
echo "  stages after the load:" $(q -c "SELECT string_agg(format('%s %s', stage, n), ', ' ORDER BY stage)
                                     FROM (SELECT stage, count(*) AS n FROM subsidy.application GROUP BY 1) s")
echo "  business days: $(q -c "SELECT min(business_date) || ' to ' || max(business_date) FROM load.outcome")"

say "invariants"
check "pgbench ran to the end, no client aborted" \
	$([ $PGBENCH_STATUS -eq 0 ] && ! grep -q 'aborted' "$WORK/pgbench.out" "$WORK/pgbench.err" && [ "$PROCESSED" -gt 0 ] && echo 0 || echo 1) \
	"exit status $PGBENCH_STATUS, $PROCESSED transactions"
# A deadlock or serialization failure the server raised went back to pgbench, which retried
# the transaction or counted it failed: none was swallowed, none ended a client.
EXCESS=$((LOG_DEADLOCKS + LOG_SERIALIZATION - RETRIES - FAILED_TX))
check "every deadlock and serialization failure was retried or reported" \
	$([ "$EXCESS" -ge 0 ] && [ "$EXCESS" -le "$LOG_LATE" ] && echo 0 || echo 1) \
	"server $LOG_DEADLOCKS deadlocks + $LOG_SERIALIZATION serialization failures = pgbench $RETRIES retries + $FAILED_TX failed + $EXCESS in transactions the end cut off ($LOG_LATE after their session's last commit)"
# Single-application steps take the application's row, then its region's audit chain: they
# never deadlock with one another.  Statements over many applications (a region's clearance
# or publicity, a bank file) take a chain after their first row and may; the server detects
# it and pgbench retries (above).
SINGLE_DEADLOCKS=$(awk '!/clear_region|publish|pay_batch/ { n += $1 } END { print n + 0 }' "$WORK/deadlocks.txt")
check "no deadlock between single-application steps" "$SINGLE_DEADLOCKS" \
	"$(grep -Ev '(clear_region|publish|pay_batch)' "$WORK/deadlocks.txt" | head -3 | paste -sd ';')"
check "no backend crashed or failed an assertion" \
	$(grep -Eq 'terminated by signal|server process .* exited with|PANIC:|TRAP:|XX000' "$WORK/server.log" && echo 1 || echo 0) \
	"$(grep -Em3 'terminated by signal|PANIC:|TRAP:|XX000' "$WORK/server.log")"
if psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -v applications="$APPLICATIONS" -v processed="$PROCESSED" \
	-f "$HERE/setup/checks.sql" >"$WORK/checks.out" 2>&1; then
	while IFS='|' read -r name problems detail; do
		check "$name" "$problems" "$detail"
	done <"$WORK/checks.out"
else
	cat "$WORK/checks.out"
	check "invariant queries" 1 "they did not run"
fi
finish
