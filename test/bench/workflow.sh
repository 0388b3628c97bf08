#!/usr/bin/env bash
# Benchmark of the review workflow (issue 4), in one run on a throwaway cluster:
#   (a) a bulk transition: 100,000 submitted applications taken into review by one UPDATE
#       through the guard (the stage guard's rules and role, and its trail's audit entry per
#       row), against the same UPDATE with both disabled; each timing on a fresh copy of the
#       same data, in paired rounds whose order alternates; the median and range of the
#       rounds' ratios.  A third contender in each round is the floor of what the trail writes:
#       the unguarded UPDATE and, in the same statement, a plain INSERT of the same 100,000
#       entries (as wide, into the same table and indexes, no check, no hash computed);
#   (b) subsidy.add_workdays over 1,000,000 dates, against date + integer.
# It prints guard/no guard and add_workdays/(date + integer), measured inside the server,
# single process.
#
#   bash test/bench/workflow.sh
#   APPLICATIONS=20000 DATES=200000 bash test/bench/workflow.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

APPLICATIONS=${APPLICATIONS:-100000}
DATES=${DATES:-1000000}
REPEAT=${REPEAT:-5}
# No autovacuum, checkpoint or full-page image in the middle of a timed UPDATE.
CLUSTER_CONF="shared_buffers = '2GB'
work_mem = '64MB'
max_parallel_workers_per_gather = 0
jit = off
autovacuum = off
full_page_writes = off
checkpoint_timeout = '1d'
max_wal_size = '20GB'"

ensure_packages "${BASE_PACKAGES[@]}"
build_and_install
start_cluster

say "generating $APPLICATIONS submitted applications"
psql -X -q -c "CREATE DATABASE bench_workflow"
psql -X -q -d bench_workflow -c "CREATE EXTENSION subsidy" -c "CREATE EXTENSION pg_prewarm"
psql -X -q -d bench_workflow -v applications="$APPLICATIONS" -v stage=submitted -f "$ROOT/test/sample/province.sql" >/dev/null
psql -X -q -d bench_workflow -c "VACUUM FREEZE ANALYZE"
submitted=$(psql -X -At -d bench_workflow -c "SELECT count(*) FROM subsidy.application WHERE stage = 'submitted'")

MOVE="UPDATE subsidy.application SET stage = 'in_review' WHERE stage = 'submitted'"
# the floor of the trail's writes: each moved row's entry, as the trail writes it (a transition
# with its round, 32-byte hashes, a 16-byte state, the subject), numbered on from each chain's
# last entry (with gaps: a floor needs unique numbers, not contiguous ones), with no check made
# and no SHA-256 computed
WRITES="WITH moved AS ($MOVE RETURNING id, region, uscc),
  tail AS MATERIALIZED (SELECT r.code AS region, (SELECT max(l.seq) FROM subsidy.audit_log l WHERE l.region = r.code) AS seq
             FROM subsidy.region r),
  h AS (SELECT sha256('entry'::bytea) AS h)
INSERT INTO subsidy.audit_log (region, seq, at, actor, acting_role, application_id, uscc, action, from_stage, to_stage,
                               detail, figures, prev_hash, hash, subject, state)
SELECT m.region, coalesce(t.seq, 0) + row_number() OVER (), clock_timestamp(),
       session_user, current_user, m.id, m.uscc, 'transition', 'submitted', 'in_review', NULL, '{\"round\": 1}',
       h.h, h.h, 'application ' || m.id, substr(h.h, 1, 16)
  FROM moved m JOIN tail t ON t.region = m.region CROSS JOIN h"

# transition_ms GUARD: one UPDATE of every submitted application to in_review, on a fresh
# copy of the data, with the guard on (the stage guard, BEFORE ROW, and its trail, AFTER ROW)
# or off, or with the floor of the trail's writes (writes); prints its time in milliseconds.
transition_ms() {
	local db=bench_run
	psql -X -q -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db TEMPLATE bench_workflow"
	[ "$1" != on ] && psql -X -q -d $db -c "ALTER TABLE subsidy.application DISABLE TRIGGER application_stage_guard" \
		-c "ALTER TABLE subsidy.application DISABLE TRIGGER application_logged"
	[ "$1" = writes ] && psql -X -q -d $db -c "ALTER TABLE subsidy.audit_log DISABLE TRIGGER audit_log_guard"
	psql -X -q -d $db -c "SELECT pg_prewarm('subsidy.application')" -c "CHECKPOINT" >/dev/null
	REPEAT=1 best_ms $db "$([ "$1" = writes ] && echo "$WRITES" || echo "$MOVE")" "SET subsidy.today = '2019-06-03'"
	# a guarded run (or the floor) did its work: every submission moved, every move logged
	if [ "$1" != off ]; then
		local moved logged
		moved=$(psql -X -At -d $db -c "SELECT count(*) FROM subsidy.application WHERE stage = 'in_review'")
		logged=$(psql -X -At -d $db -c "SELECT count(*) FROM subsidy.audit_log WHERE to_stage = 'in_review'")
		[ "$moved" = "$submitted" ] && [ "$logged" = "$submitted" ] ||
			{ echo "the guarded run moved $moved and logged $logged of $submitted applications" >&2; exit 1; }
	fi
}

# Rounds of one guarded and one unguarded run, which goes first alternating; the ratio of
# each round's pair, so that a noisy spell weighs on both sides of a ratio alike.
say "timing the bulk transition ($REPEAT rounds, guard and no guard in turn)"
ratios=() floors=()
best_on= best_off=
for i in $(seq "$REPEAT"); do
	case $((i % 3)) in
		1) on=$(transition_ms on); off=$(transition_ms off); writes=$(transition_ms writes) ;;
		2) off=$(transition_ms off); writes=$(transition_ms writes); on=$(transition_ms on) ;;
		0) writes=$(transition_ms writes); on=$(transition_ms on); off=$(transition_ms off) ;;
	esac
	ratios+=("$(ratio "$on" "$off")")
	floors+=("$(ratio "$writes" "$off")")
	printf 'round %d: guard %10s ms   no guard %10s ms   writes alone %10s ms   ratio %s   floor %s\n' \
		"$i" "$on" "$off" "$writes" "${ratios[-1]}" "${floors[-1]}"
	best_on=$(awk -v a="$on" -v b="${best_on:-$on}" 'BEGIN { print (a < b ? a : b) }')
	best_off=$(awk -v a="$off" -v b="${best_off:-$off}" 'BEGIN { print (a < b ? a : b) }')
done
# median_range RATIO...: the median and the range
median_range() {
	printf '%s\n' "$@" | sort -n |
		awk '{ r[NR] = $1 } END { m = (NR % 2) ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2; printf "%.2f %s %s\n", m, r[1], r[NR] }'
}
read -r median low high < <(median_range "${ratios[@]}")
read -r floor_median floor_low floor_high < <(median_range "${floors[@]}")
psql -X -q -c "DROP DATABASE bench_run"

say "timing add_workdays over $DATES dates (best of $REPEAT)"
psql -X -q -v ON_ERROR_STOP=1 -d bench_workflow -c "CREATE TABLE bench_days AS
  SELECT date '2018-01-01' + (i::bigint * 7919 % 2900)::integer AS d, (i % 30)::integer AS n FROM generate_series(1, $DATES) i" \
	-c "VACUUM ANALYZE bench_days" -c "SELECT pg_prewarm('bench_days')" >/dev/null
workdays=$(best_ms bench_workflow "SELECT count(subsidy.add_workdays(d, n)) FROM bench_days")
plain=$(best_ms bench_workflow "SELECT count(d + n) FROM bench_days")
between=$(best_ms bench_workflow "SELECT count(subsidy.workdays_between(d, d + n)) FROM bench_days")
printf '%-32s %10s ms\n' "add_workdays(d, n)" "$workdays" "d + n" "$plain" "workdays_between(d, d + n)" "$between"

say "results"
echo "bulk transition of $submitted applications: guard best $best_on ms, no guard best $best_off ms"
echo "  guard/no guard, median of $REPEAT paired rounds: $median   (range $low to $high; target median <= 1.5)"
echo "  the trail's writes alone/no guard: $floor_median   (range $floor_low to $floor_high): the floor under any guard that logs each row"
echo "add_workdays over $DATES dates: $workdays ms, date + integer $plain ms"
echo "  add_workdays/(date + integer): $(ratio "$workdays" "$plain")   (target <= 2.0)"
echo "  workdays_between/(date + integer): $(ratio "$between" "$plain")"
