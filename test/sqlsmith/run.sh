#!/usr/bin/env bash
# The SQLsmith suite: random SQL from sqlsmith (Debian's `sqlsmith`) against a database with
# the extension and a sample province, for a bounded number of queries with a fixed seed.
# SQL errors are expected (random arguments, refused moves, permission checks) and only
# counted; a failure is a backend that crashed (a signal, PANIC, an assertion), a server that
# no longer answers, or a run in which sqlsmith never reached the extension's objects.
#
#   bash test/sqlsmith/run.sh                          # 3000 queries, about a minute
#   SQLSMITH_QUERIES=50000 SQLSMITH_SEED=7 bash test/sqlsmith/run.sh   # the long run
#   SQLSMITH_KEEP=/tmp/smith bash test/sqlsmith/run.sh # keep the queries, logs and server log
#
# It installs what is missing (as root), builds and installs the extension and starts its own
# throwaway cluster, so it runs on its own, not inside test-all.sh's cluster.  Prints one line
# per check ("ok   ..." / "FAIL ...") and "sqlsmith: N passed, N failed".
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
set +e

QUERIES=${SQLSMITH_QUERIES:-3000}
SEED=${SQLSMITH_SEED:-20190301}
KEEP=${SQLSMITH_KEEP:-}
# The login sqlsmith runs as: by default one that holds all six of the extension's roles and
# acts in the whole province, so that row-level security, the column rights and the guard's
# role checks run too.  Not a superuser: a superuser's random calls would reset the statistics
# this suite reads (pg_stat_reset), end other sessions, or read and write server files.
# SQLSMITH_USER=postgres runs as the superuser instead.
SMITH_USER=${SQLSMITH_USER:-sqlsmith_staff}
DB=subsidy_smith
LOGDB=sqlsmith_log

source "$ROOT/test/checks.sh"

WORK=$(mktemp -d /tmp/subsidy-sqlsmith.XXXXXX)
keep_and_clean() {
	if [ -n "$KEEP" ]; then
		mkdir -p "$KEEP" && cp -r "$WORK"/. "$KEEP"/ && echo "artifacts kept in $KEEP"
	fi
	rm -rf "$WORK"
}
summary() { checks_summary sqlsmith; }
# The work files must outlive the cluster's log, which is copied in before it is removed.
copy_server_log() { [ -n "$CLUSTER_DIR" ] && cp "$CLUSTER_DIR/server.log" "$WORK/server.log" 2>/dev/null; return 0; }
EXIT_HOOKS=(copy_server_log stop_cluster)
at_exit keep_and_clean summary

ensure_packages "${BASE_PACKAGES[@]}" sqlsmith || { fail "sqlsmith packages"; exit 1; }
build_and_install || { fail "sqlsmith build"; exit 1; }

# A hung query's full text in pg_stat_activity, the function calls counted (what of the
# extension the queries reached), and no per-error STATEMENT lines: thousands of errors are
# expected.
CLUSTER_CONF="track_activity_query_size = 1048576
log_min_error_statement = panic
track_functions = 'all'
log_line_prefix = '%m [%p] '" start_cluster || { fail "sqlsmith cluster"; exit 1; }
SERVER_LOG=$CLUSTER_DIR/server.log
# Core files of crashed backends (in the data directory, where the kernel's core_pattern is a
# plain file name), for gdb: the backends inherit the postmaster's limit.
as_server_user prlimit --core=unlimited --pid "$(head -1 "$CLUSTER_DIR/data/postmaster.pid")" 2>/dev/null

say "sample province in database $DB"
setup_start=$(date +%s)
psql -X -q -d postgres -v ON_ERROR_STOP=1 -c "CREATE DATABASE $DB" -c "CREATE DATABASE $LOGDB" ||
	{ fail "sqlsmith setup"; exit 1; }
psql -X -q -d $DB -v ON_ERROR_STOP=1 -c "CREATE EXTENSION subsidy" || { fail "sqlsmith setup"; exit 1; }
PGOPTIONS='-c client_min_messages=warning' psql -X -q -d $DB -v ON_ERROR_STOP=1 \
	-v applications=2000 -v stage=published -f "$ROOT/test/sample/province.sql" >"$WORK/province.log" 2>&1 ||
	{ cat "$WORK/province.log"; fail "sqlsmith sample province"; exit 1; }
# sqlsmith names tables, functions and types with their schema, but writes operators bare
# (a = b): the schema must be on the search path for subsidy's operators to resolve.
psql -X -q -d $DB -v ON_ERROR_STOP=1 <<-SQL || { fail "sqlsmith setup"; exit 1; }
	ALTER DATABASE $DB SET search_path = "\$user", public, subsidy;
	ANALYZE;
	DO \$\$ BEGIN
	  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$SMITH_USER') THEN
	    CREATE ROLE $SMITH_USER LOGIN IN ROLE subsidy_applicant, subsidy_agency, subsidy_hrss,
	      subsidy_finance, subsidy_reader, subsidy_admin;
	    INSERT INTO subsidy.staff_region (staff, region) VALUES ('$SMITH_USER', '220000');
	  END IF;
	END \$\$;
SQL
echo "2000 applications, stage published, in $(($(date +%s) - setup_start))s"
# Where sqlsmith's --log-to writes every error with its query (sqlsmith 1.4's tables).
psql -X -q -d $LOGDB -v ON_ERROR_STOP=1 <<-'SQL' || { fail "sqlsmith setup"; exit 1; }
	CREATE TABLE instance (id bigserial PRIMARY KEY, rev text, target text, hostname text, version text,
	                       seed text, t timestamptz DEFAULT now());
	CREATE TABLE error (id bigint REFERENCES instance, msg text, query text, sqlstate text,
	                    t timestamptz DEFAULT now());
	CREATE TABLE stat (id bigint REFERENCES instance, generated bigint, level real, nodes real,
	                   retries real, impedance jsonb, updated timestamptz);
SQL

conn() { echo "host=$PGHOST port=$PGPORT user=$2 dbname=$1 application_name=sqlsmith"; }

say "sqlsmith: $QUERIES queries, seed $SEED, as $SMITH_USER"
# Count only sqlsmith's function calls (the loading sessions' counts arrive as they exit).
sleep 1
psql -X -q -At -d $DB -c "SELECT pg_stat_reset()" >/dev/null
start=$(date +%s)
# --exclude-catalog: FROM clauses draw on public's and subsidy's tables and views only
# (functions, operators and types still come from the whole catalog).
# sqlsmith sets statement_timeout = 1s for its queries; a run that outlasts its limit has a
# query that does not stop when cancelled (a loop with no CHECK_FOR_INTERRUPTS, say).
limit=${SQLSMITH_TIMEOUT:-$((QUERIES / 10 > 300 ? QUERIES / 10 : 300))}
timeout "$limit" sqlsmith --target="$(conn $DB "$SMITH_USER")" --log-to="$(conn $LOGDB "$PGUSER")" \
	--seed="$SEED" --max-queries="$QUERIES" --exclude-catalog --verbose --dump-all-queries \
	>"$WORK/queries.sql" 2>"$WORK/sqlsmith.log"
smith_status=$?
elapsed=$(($(date +%s) - start))
echo "sqlsmith exited with status $smith_status after ${elapsed}s"
hung=
if [ "$smith_status" -eq 124 ]; then
	hung=$(psql -X -At -d postgres -c "
		SELECT pid || ', running for ' || date_trunc('second', now() - query_start) || E':\n' || query
		  FROM pg_stat_activity WHERE application_name = 'sqlsmith::dut' AND state = 'active'")
fi

# sqlsmith's own statistics, from its last report: queries, AST size, the error mix by
# first line of the message (most frequent first) and the error rate.
awk '/^queries: /{ n = 0; delete l } { l[n++] = $0 } /^error rate: /{ m = n; for (i = 0; i < n; i++) r[i] = l[i] }
	END { for (i = 0; i < m; i++) print r[i] }' "$WORK/sqlsmith.log" >"$WORK/report.txt"
echo "sqlsmith's report:"
grep -aEv '^[0-9]+	' "$WORK/report.txt" | grep -av '^error rate' | sed 's/^/    /'
grep -aE '^[0-9]+	' "$WORK/report.txt" | head -40 | sed 's/^/    /'
distinct=$(grep -acE '^[0-9]+	' "$WORK/report.txt")
[ "$distinct" -gt 40 ] && echo "    ... $((distinct - 40)) more distinct messages"
grep -a '^error rate' "$WORK/report.txt" | sed 's/^/    /'

# The same errors by SQLSTATE, from --log-to; the SB... states and 22P02 on uscc or verdict
# input are the extension's own refusals.
echo "errors by SQLSTATE (count, state, one message):"
psql -X -At -F '  ' -d $LOGDB -c "
	SELECT lpad(count(*)::text, 8), sqlstate, left(min(split_part(msg, E'\n', 1)), 110)
	  FROM error GROUP BY sqlstate ORDER BY count(*) DESC, sqlstate LIMIT 40"

# How much of the extension the queries reached: its functions that ran (C functions,
# operators' functions and SQL functions that were not inlined, counted by track_functions),
# and the objects the queries name (sqlsmith qualifies functions, tables and types).
echo "the extension's objects reached:"
sleep 1 # the backends' last function counts reach the statistics when they exit
psql -X -At -F ' ' -d $DB >"$WORK/reach.txt" <<-'SQL'
	SELECT 'functions', count(*) FILTER (WHERE f.calls > 0), coalesce(sum(f.calls), 0),
	       (SELECT count(*) FROM pg_proc WHERE pronamespace = 'subsidy'::regnamespace)
	  FROM pg_stat_user_functions f WHERE f.schemaname = 'subsidy';
	SELECT 'operators', count(DISTINCT o.oid) FILTER (WHERE f.calls > 0), coalesce(sum(f.calls), 0),
	       (SELECT count(*) FROM pg_operator WHERE oprnamespace = 'subsidy'::regnamespace),
	       coalesce(string_agg(DISTINCT o.oprname || '(' || o.oprleft::regtype || ')', ' ') FILTER (WHERE f.calls > 0), '')
	  FROM pg_operator o JOIN pg_stat_user_functions f ON f.funcid = o.oprcode
	 WHERE o.oprnamespace = 'subsidy'::regnamespace;
	SELECT 'top', funcname || ' ' || calls FROM pg_stat_user_functions
	 WHERE schemaname = 'subsidy' AND calls > 0 ORDER BY calls DESC, funcname LIMIT 15;
SQL
read -r _ funcs_run func_calls funcs_all < <(grep '^functions ' "$WORK/reach.txt")
read -r _ ops_run op_calls ops_all ops_list < <(grep '^operators ' "$WORK/reach.txt")
# One query per record: sqlsmith ends each with ";" and a line break.
statements=$(awk 'BEGIN { RS = ";\n" } /subsidy\./ { n++ } END { print n + 0 }' "$WORK/queries.sql")
named_funcs=$(grep -oE 'subsidy\.[a-z_0-9]+\(' "$WORK/queries.sql" | sort -u | wc -l)
named_rels=$(grep -oE 'subsidy\.[a-z_0-9]+ as (ref|sample)_' "$WORK/queries.sql" | sort -u | wc -l)
named_types=$(grep -oE 'as subsidy\.[a-z_0-9]+\)' "$WORK/queries.sql" | sort -u | wc -l)
echo "    $statements of $QUERIES queries name an object of schema subsidy"
echo "    named: $named_funcs distinct functions, $named_rels distinct tables and views, $named_types distinct types (in casts)"
echo "    run: ${funcs_run:-0} of ${funcs_all:-?} functions, ${func_calls:-0} calls; ${ops_run:-0} of ${ops_all:-?} operators (${ops_list:-none}), ${op_calls:-0} calls"
echo "    most called: $(sed -n 's/^top //p' "$WORK/reach.txt" | paste -sd, - | sed 's/,/, /g')"

# Crashes: the postmaster's report of a dead backend, PANIC, assertion failures.
# (A parallel worker that raised an error exits with code 1 and is logged: that is no crash.)
crash_pattern='terminated by signal|process \(PID [0-9]+\) was terminated|exited with exit code ([2-9]|[1-9][0-9]+)|PANIC:|TRAP: |terminating any other active server processes|all server processes terminated|database system was interrupted|was not properly shut down'
copy_server_log
crashes=$(grep -aEc 'terminated by signal|process \(PID [0-9]+\) was terminated|exited with exit code ([2-9]|[1-9][0-9]+)' "$SERVER_LOG")
if grep -aEq "$crash_pattern" "$SERVER_LOG"; then
	fail "sqlsmith $QUERIES queries: $crashes backend crash(es) or PANIC in the server log"
	echo "    the server log around it:"
	grep -aEn -B3 -A2 "$crash_pattern" "$SERVER_LOG" | cut -c1-300 | head -60 | sed 's/^/    /'
	# The postmaster logs only the first 1024 bytes of the dead backend's query.  sqlsmith
	# prints one character per query to its log ("." done, "e" error, "C" connection lost),
	# in the order of --dump-all-queries: the query at the first "C" of each run is the one
	# that crashed; each goes to crash-N.sql, to be replayed against the sample province.
	grep -aE '^[.A-Za-z]+$' "$WORK/sqlsmith.log" | tr -d '\n' | grep -ob 'C\+' | cut -d: -f1 |
		while read -r k; do
			n=$((${n:-0} + 1))
			awk -v k=$((k + 1)) 'BEGIN { RS = ";\n" } NR == k { print $0 ";"; exit }' \
				"$WORK/queries.sql" >"$WORK/crash-$n.sql"
		done
	for q in "$WORK"/crash-*.sql; do
		[ -f "$q" ] || continue
		echo "    query $(basename "$q" .sql), the one running when sqlsmith lost its connection:"
		sed 's/^/        /' "$q" | head -200
	done
	# A core file, where the kernel writes one in the data directory, and gdb to read it.
	for core in "$CLUSTER_DIR"/data/core*; do
		[ -f "$core" ] && command -v gdb >/dev/null || continue
		echo "    backtrace of $(basename "$core"):"
		gdb -q -batch -ex 'bt 40' "$PG_BIN/postgres" "$core" 2>/dev/null | grep -a '^#' | awk '!seen[$0]++' | cut -c1-240 | sed 's/^/        /'
		[ -n "$KEEP" ] && cp "$core" "$WORK/" 2>/dev/null
	done
elif [ "$smith_status" -eq 124 ]; then
	fail "sqlsmith $QUERIES queries: not done after ${limit}s (SQLSMITH_TIMEOUT)"
	echo "    still running, despite statement_timeout:"
	echo "${hung:-    (none)}" | head -100 | sed 's/^/        /'
elif [ "$smith_status" -ne 0 ]; then
	fail "sqlsmith $QUERIES queries: sqlsmith exited with status $smith_status"
	tail -20 "$WORK/sqlsmith.log" | sed 's/^/    /'
else
	ok "sqlsmith $QUERIES queries, no crash"
fi

if psql -X -At -d $DB -c "SELECT count(*) FROM subsidy.application" >/dev/null 2>&1 &&
	[ "$(psql -X -At -d $DB -c 'SELECT 1')" = 1 ]; then
	ok "sqlsmith server still answers"
else
	fail "sqlsmith server no longer answers"
fi

# A run that never reached the extension proves nothing: its functions, operators, types and
# views must all have been exercised.
if [ "${funcs_run:-0}" -gt 0 ] && [ "${ops_run:-0}" -gt 0 ] && [ "$named_funcs" -gt 0 ] &&
	[ "$named_rels" -gt 0 ] && [ "$named_types" -gt 0 ]; then
	ok "sqlsmith reached the extension's functions, operators, types, tables and views"
else
	fail "sqlsmith reached the extension's functions, operators, types, tables and views"
fi

[ "$failed" -eq 0 ]
