#!/usr/bin/env bash
# Benchmark of audit verification (issue 11), in one run on a throwaway cluster: a province run
# to its upward report (about twelve audit entries an application), at about 1,000,000 and
# 10,000,000 entries.  At each size three contenders, each in a session of its own, in rounds
# whose order rotates (the first call included):
#   verify   subsidy.verify_audit(heads): every chain's links and hashes, the heads kept
#            outside, and every application, payment, account and enterprise against its log;
#   peer     the chain check a DBA would write by hand: a window over each region's chain
#            recomputing every hash in SQL (test/sample/audit_entry_hash.sql), links and
#            numbering compared to the entry before; the chains only, no heads, no state;
#   floor    reading every entry once and hashing it (no links, no state): the least any
#            verification does.
# Before anything is timed, verify and peer must agree: nothing found in the untouched log,
# and the same entries named in a copy with one entry edited, one cut and one forged.  It
# prints, per size, each contender's best and median time and its peak private memory (the
# backend's peak resident size less the shared buffers it mapped), verify/peer and
# verify/floor, and the growth between the sizes (linear is the ratio of the entry counts).
#
#   bash test/bench/audit.sh
#   ENTRIES="100000 1000000" ROUNDS=3 bash test/bench/audit.sh     # a quicker look
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

ENTRIES=${ENTRIES:-"1000000 10000000"}
ROUNDS=${ROUNDS:-3}
ENTRIES_PER_APPLICATION=12
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
WORK=$(mktemp -d /tmp/subsidy-audit-bench.XXXXXX)
chmod 777 "$WORK"
cleanup_work() { rm -rf "$WORK"; }
at_exit cleanup_work

PEER="WITH e AS (
  SELECT l.region, l.seq, l.prev_hash, l.hash, audit_sql.entry_hash(l.prev_hash, l) AS recomputed,
         lag(l.hash) OVER w AS hash_before, lag(l.seq) OVER w AS seq_before
    FROM subsidy.audit_log l WINDOW w AS (PARTITION BY l.region ORDER BY l.seq))
SELECT e.region, e.seq FROM e
 WHERE e.seq <> coalesce(e.seq_before, 0) + 1
    OR e.prev_hash IS DISTINCT FROM coalesce(e.hash_before, '\\x0000000000000000000000000000000000000000000000000000000000000000'::bytea)
    OR e.hash IS DISTINCT FROM e.recomputed"
FLOOR="SELECT l.region, l.seq FROM subsidy.audit_log l WHERE sha256(convert_to(l::text, 'UTF8')) IS NULL"
VERIFY="SELECT v.region, v.seq FROM subsidy.verify_audit(:'heads') v"

# run_one DB NAME SQL: SQL in a session of its own; appends "NAME ms kB rows" to $WORK/times.
run_one() {
	local db=$1 name=$2 sql=$3
	psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" -v heads="$(cat "$WORK/heads.json")" >"$WORK/run.out" 2>&1 <<-SQL || { cat "$WORK/run.out"; exit 1; }
		SELECT pg_backend_pid() AS backend \gset
		\setenv BACKEND :backend
		SELECT clock_timestamp() AS t0 \gset
		SELECT count(*) AS found FROM ($sql) q \gset
		SELECT round(extract(epoch FROM clock_timestamp() - :'t0') * 1000) AS ms \gset
		\setenv MS :ms
		\setenv FOUND :found
		\! awk -v name=$name -v ms=\$MS -v found=\$FOUND '/^(VmHWM|RssShmem):/ { kb[\$1] = \$2 } END { print name, ms, kb["VmHWM:"] - kb["RssShmem:"], found }' /proc/\$BACKEND/status >> $WORK/times
	SQL
}

# agree DB: verify and peer name the same entries (region, seq), in DB as it stands.
agree() {
	local db=$1
	psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" -v heads='[]' -c "COPY (SELECT DISTINCT region, seq FROM subsidy.verify_audit() WHERE seq > 0 ORDER BY 1, 2) TO STDOUT" >"$WORK/verify.found"
	psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" -c "COPY (SELECT DISTINCT * FROM ($PEER) p ORDER BY 1, 2) TO STDOUT" >"$WORK/peer.found"
	cmp -s "$WORK/verify.found" "$WORK/peer.found" || {
		echo "verify_audit and the hand-written check disagree in $db:" >&2
		diff "$WORK/verify.found" "$WORK/peer.found" >&2
		exit 1
	}
	wc -l <"$WORK/verify.found"
}

declare -A BEST MEDIAN MEMORY COUNT
for target in $ENTRIES; do
	applications=$((target / ENTRIES_PER_APPLICATION))
	db="audit_$target"
	say "a province of $applications applications, for about $target entries"
	psql -X -q -c "CREATE DATABASE $db"
	psql -X -q -d "$db" -c "CREATE EXTENSION subsidy"
	PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 -d "$db" -v applications="$applications" \
		-v stage=reported -f "$ROOT/test/sample/province.sql" >/dev/null || { echo "the sample province failed" >&2; exit 1; }
	psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$ROOT/test/sample/audit_entry_hash.sql" >/dev/null
	psql -X -q -d "$db" -c "VACUUM ANALYZE"
	COUNT[$target]=$(psql -X -At -d "$db" -c "SELECT count(*) FROM subsidy.audit_log")
	psql -X -At -d "$db" -c "SELECT jsonb_agg(h) FROM subsidy.audit_heads() h" >"$WORK/heads.json"
	psql -X -q -d "$db" -c "SELECT pg_size_pretty(pg_total_relation_size('subsidy.audit_log')) AS audit_log_size, ${COUNT[$target]} AS entries"

	# the same answers before any time: nothing in the untouched log, the same entries in a
	# tampered copy (in each chain one entry edited, one cut, one forged at its end)
	[ "$(agree "$db")" = 0 ] || { echo "the untouched log has problems" >&2; exit 1; }
	psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE ${db}_t TEMPLATE $db" >/dev/null
	psql -X -q -v ON_ERROR_STOP=1 -d "${db}_t" <<-'SQL' >/dev/null
		SET session_replication_role = replica;
		CREATE TABLE public.tampered AS SELECT region, max(seq) AS last FROM subsidy.audit_log GROUP BY region;
		UPDATE subsidy.audit_log l SET detail = 'edited' FROM public.tampered t WHERE l.region = t.region AND l.seq = t.last / 2;
		DELETE FROM subsidy.audit_log l USING public.tampered t WHERE l.region = t.region AND l.seq = t.last / 4;
		INSERT INTO subsidy.audit_log SELECT l.region, t.last + 1, l.at, l.actor, l.acting_role, l.application_id, l.uscc,
		       l.action, l.from_stage, l.to_stage, 'forged', l.figures, l.prev_hash, l.hash
		  FROM subsidy.audit_log l JOIN public.tampered t ON l.region = t.region AND l.seq = t.last;
	SQL
	found=$(agree "${db}_t")
	[ "$found" -gt 0 ] || { echo "neither check found the tampering" >&2; exit 1; }
	echo "  tampered copy: both name the same $found entries"
	psql -X -q -d postgres -c "DROP DATABASE ${db}_t"
	psql -X -q -d "$db" -c "CHECKPOINT"

	: >"$WORK/times"
	contenders=(verify peer floor)
	for ((round = 0; round < ROUNDS; round++)); do
		for ((k = 0; k < 3; k++)); do
			name=${contenders[$(((round + k) % 3))]}
			case $name in
			verify) run_one "$db" verify "$VERIFY" ;;
			peer) run_one "$db" peer "$PEER" ;;
			floor) run_one "$db" floor "$FLOOR" ;;
			esac
		done
	done
	for name in verify peer floor; do
		read -r best median memory found < <(awk -v n=$name '$1 == n { print $2, $3, $4 }' "$WORK/times" |
			sort -n | awk '{ t[NR] = $1; if ($2 > m) m = $2; f = $3 } END { print t[1], t[int((NR + 1) / 2)], m, f }')
		[ "$found" = 0 ] || { echo "$name found $found problems in the untouched log" >&2; exit 1; }
		BEST[$name,$target]=$best MEDIAN[$name,$target]=$median MEMORY[$name,$target]=$((memory / 1024))
		printf '  %-7s best %8s ms  median %8s ms  peak %6s MB\n' $name "$best" "$median" "$((memory / 1024))"
	done
	psql -X -q -d postgres -c "DROP DATABASE $db"
done

say "results"
printf '%-12s %12s %12s %12s %12s %12s %12s %12s\n' entries verify_ms peer_ms floor_ms verify/peer verify/floor verify_MB peer_MB
for target in $ENTRIES; do
	printf '%-12s %12s %12s %12s %12s %12s %12s %12s\n' "${COUNT[$target]}" "${MEDIAN[verify,$target]}" \
		"${MEDIAN[peer,$target]}" "${MEDIAN[floor,$target]}" \
		"$(ratio "${MEDIAN[verify,$target]}" "${MEDIAN[peer,$target]}")" \
		"$(ratio "${MEDIAN[verify,$target]}" "${MEDIAN[floor,$target]}")" \
		"${MEMORY[verify,$target]}" "${MEMORY[peer,$target]}"
done
echo "(times: medians of $ROUNDS rounds; best: verify ${BEST[verify,${ENTRIES%% *}]} ms at the smaller size)"
set -- $ENTRIES
if [ $# -ge 2 ]; then
	small=$1 large=${!#}
	echo "growth from ${COUNT[$small]} to ${COUNT[$large]} entries (linear is x$(ratio "${COUNT[$large]}" "${COUNT[$small]}")):" \
		"verify x$(ratio "${MEDIAN[verify,$large]}" "${MEDIAN[verify,$small]}")," \
		"peer x$(ratio "${MEDIAN[peer,$large]}" "${MEDIAN[peer,$small]}")," \
		"floor x$(ratio "${MEDIAN[floor,$large]}" "${MEDIAN[floor,$small]}");" \
		"verify's memory x$(ratio "${MEMORY[verify,$large]}" "${MEMORY[verify,$small]}")"
fi
