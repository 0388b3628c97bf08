#!/usr/bin/env bash
# The valgrind suite: the whole pg_regress suite of the extension (`make installcheck`, the
# Makefile's REGRESS list) once against a throwaway cluster whose postmaster, and so every
# backend it forks, runs under valgrind's memcheck.  A failure is a valgrind error whose stack
# runs through the extension (subsidy.so or its sources), or a pg_regress test whose output
# differs from expected/.  Errors that valgrind finds only in PostgreSQL, ICU or glibc (Debian's
# server is not built for valgrind, so its memory pools hide little and show some noise) are
# counted and summarised, not failed; postgres.supp beside this script silences the known ones.
#
#   bash test/valgrind/run.sh                              # the whole suite: slow (see README.md)
#   VALGRIND_REGRESS="install uscc uninstall" bash test/valgrind/run.sh   # some tests only
#   VALGRIND_KEEP=/tmp/vg bash test/valgrind/run.sh        # keep the valgrind logs, the server
#                                                          # log and pg_regress's output
#
# It installs what is missing (as root), builds and installs the extension and starts its own
# cluster.  Prints "ok   ..." / "FAIL ..." per check and "valgrind: N passed, N failed".
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
set +e

HERE=$ROOT/test/valgrind
KEEP=${VALGRIND_KEEP:-}
REGRESS_TESTS=${VALGRIND_REGRESS:-}

source "$ROOT/test/checks.sh"

WORK=$(mktemp -d /tmp/subsidy-valgrind.XXXXXX)
keep_and_clean() {
	if [ -n "$KEEP" ]; then
		mkdir -p "$KEEP" && cp -r "$WORK"/. "$KEEP"/ && echo "valgrind logs kept in $KEEP"
	fi
	rm -rf "$WORK"
}
summary() { checks_summary valgrind; }
# Before lib.sh's stop_cluster removes the cluster: what is worth keeping is copied out.
save_logs() {
	[ -n "$CLUSTER_DIR" ] && [ -d "$CLUSTER_DIR" ] || return 0
	cp "$CLUSTER_DIR/server.log" "$WORK/" 2>/dev/null
	mkdir -p "$WORK/vglogs" && cp "$CLUSTER_DIR"/vglogs/*.log "$WORK/vglogs/" 2>/dev/null
	return 0
}
EXIT_HOOKS=(save_logs stop_cluster)
at_exit keep_and_clean summary

ensure_packages "${BASE_PACKAGES[@]}" valgrind || { fail "valgrind packages"; exit 1; }
build_and_install || { fail "valgrind build"; exit 1; }
# The tests and their expected outputs as they are now, beside the build just installed: the
# run is long, and the tree is shared with whoever edits it meanwhile.
mkdir -p "$WORK/input" && cp -r "$ROOT/sql" "$ROOT/expected" "$WORK/input/"

# start_valgrind_cluster: start_cluster's cluster (lib.sh), but the postmaster is started by
# a wrapper that runs it under memcheck; its backends are forks, so valgrind follows them,
# each into its own log file (vglogs/PID.log).
start_valgrind_cluster() {
	# JIT off: code generated at run time is slow under valgrind and changes no result here.
	# Autovacuum off: no background work competing with the tests for a slow server.
	CLUSTER_CONF="jit = off
autovacuum = off
log_line_prefix = '%m [%p] '" init_cluster || return 1
	mkdir "$CLUSTER_DIR/vglogs"
	cp "$HERE/postgres.supp" "$CLUSTER_DIR/"
	# --error-exitcode=0: no special exit code for a process with errors.  The postmaster
	# takes any exit code of a backend other than 0 or 1 for a crash and restarts every
	# session, which would turn a finding in a backend into failures of unrelated tests;
	# the logs are scanned instead.
	cat >"$CLUSTER_DIR/postgres-valgrind" <<-EOF
		#!/bin/sh
		exec valgrind --tool=memcheck --trace-children=yes --leak-check=no --track-origins=yes \\
		  --num-callers=40 --vgdb=no --error-limit=no --error-exitcode=0 --fullpath-after= \\
		  --suppressions="$CLUSTER_DIR/postgres.supp" --log-file="$CLUSTER_DIR/vglogs/%p.log" \\
		  "$PG_BIN/postgres" "\$@"
	EOF
	chmod 755 "$CLUSTER_DIR/postgres-valgrind"
	[ "$(id -u)" -eq 0 ] && chown -R postgres: "$CLUSTER_DIR"
	launch_cluster "$CLUSTER_DIR/postgres-valgrind" 600
}

started=$(date +%s)
start_valgrind_cluster || { fail "valgrind cluster"; exit 1; }

say "pg_regress under valgrind${REGRESS_TESTS:+: $REGRESS_TESTS}"
# make installcheck as the Makefile has it, with the tests copied above, and pg_regress's
# results and diffs in a directory of ours: a test run of someone else's writes its own.
# (psql runs in the tree, where some tests read test/sample and test/data and write files of
# their own to results/.)
regress_args=(REGRESS_OPTS="--dbname=contrib_regression --inputdir=$WORK/input --outputdir=$WORK/regress")
[ -n "$REGRESS_TESTS" ] && regress_args+=(REGRESS="$REGRESS_TESTS")
mkdir -p "$WORK/regress" "$ROOT/results"
make -C "$ROOT" -s PG_CONFIG="$PG_CONFIG" installcheck "${regress_args[@]}" >"$WORK/regress.log" 2>&1
regress_status=$?
cat "$WORK/regress.log"
if [ $regress_status -eq 0 ]; then
	ok "valgrind pg_regress: every test's output as expected"
else
	fail "valgrind pg_regress: outputs differ from expected/ (diffs below)"
	head -200 "$WORK/regress/regression.diffs" 2>/dev/null
fi

# The canary: a function of a module of ours that reads past the end of a block, called in a
# backend, must show in the logs as an error in canary.so, or the scan below proves nothing.
say "canary"
cat >"$CLUSTER_DIR/canary.c" <<-'EOF'
	#include "postgres.h"
	#include "fmgr.h"
	PG_MODULE_MAGIC;
	PG_FUNCTION_INFO_V1(valgrind_canary);
	Datum
	valgrind_canary(PG_FUNCTION_ARGS)
	{
		volatile int *block = malloc(4 * sizeof(int));
		int			past_the_end = block[4];	/* memcheck: invalid read of size 4 */

		free((void *) block);
		PG_RETURN_INT32(past_the_end != 0);
	}
EOF
gcc -O0 -fPIC -shared -I"$("$PG_CONFIG" --includedir-server)" -o "$CLUSTER_DIR/canary.so" "$CLUSTER_DIR/canary.c" &&
	chmod 755 "$CLUSTER_DIR/canary.so" &&
	psql -X -q -d postgres -v ON_ERROR_STOP=1 >/dev/null <<-SQL
		CREATE DATABASE valgrind_canary;
		\c valgrind_canary
		CREATE FUNCTION valgrind_canary() RETURNS integer AS '$CLUSTER_DIR/canary.so' LANGUAGE C;
		SELECT valgrind_canary();
		\c postgres
		DROP DATABASE valgrind_canary;
	SQL
canary_status=$?

# A clean shutdown, so that every process writes the end of its valgrind log.
as_server_user "$PG_BIN/pg_ctl" -D "$CLUSTER_DIR/data" -m fast -w -t 600 stop >/dev/null 2>&1
elapsed=$(($(date +%s) - started))
save_logs

# The logs: one per process, each error a block of lines from its heading to a blank line.
# An error is the extension's when its stack (where it happened) has a frame in subsidy.so
# or in the extension's sources; one whose only such frame is where the memory came from
# (the origin of an uninitialised value, the allocation of a block) is listed apart: without
# USE_VALGRIND, PostgreSQL's memory contexts hand out pieces of blocks that whoever asked
# first allocated, so such an origin may or may not be the extension's doing.
LOGS=("$WORK"/vglogs/*.log)
awk -v src="$ROOT/src/" -v dir="$WORK" '
	function ours_in(text) { return index(text, "subsidy.so") || index(text, src) }
	function flush() {
		if (block != "") {
			total++
			text = "--- " file "\n" block
			k = head; gsub(/0x[0-9A-Fa-f]+/, "0x...", k); gsub(/[0-9][0-9,]* bytes/, "N bytes", k)
			if (index(block, "canary.so")) { canary++; print text > (dir "/canary-errors.txt") }
			else if (ours_in(stack)) { ours++; print text > (dir "/subsidy-errors.txt") }
			else if (ours_in(block)) { origin++; print text > (dir "/origin-errors.txt") }
			else { other++; kind[k]++; print text > (dir "/other-errors.txt") }
		}
		block = ""; head = ""; stack = ""; in_stack = 0
	}
	FNR == 1 { flush(); file = FILENAME; sub(/.*\//, "", file) }
	/^--[0-9]+--/ { next }
	{ line = $0; sub(/^==[0-9]+== ?/, "", line) }
	line == "" { flush(); next }
	block == "" && line ~ /^(Memcheck, |Copyright |Using Valgrind|Command: |Parent PID: |HEAP SUMMARY|ERROR SUMMARY|For lists of|For counts of|For a detailed leak|Use --|    in use at exit|  total heap usage|All heap blocks|LEAK SUMMARY)/ { next }
	block == "" && line ~ /^(Warning|WARNING)/ { next }
	block == "" { head = line; in_stack = 1; block = "    " line "\n"; next }
	{
		# The first stack runs while lines are frames; "Address ..." or "Uninitialised value
		# was created ..." starts the auxiliary part.
		if (in_stack && line !~ /^   (at|by) 0x/) in_stack = 0
		if (in_stack) stack = stack line "\n"
		block = block "    " line "\n"
	}
	END {
		flush()
		printf "%d %d %d %d %d\n", total - canary, ours + 0, origin + 0, other + 0, canary + 0 > (dir "/counts.txt")
		for (k in kind) printf "%6d  %s\n", kind[k], k > (dir "/other-kinds.txt")
	}' "${LOGS[@]}" 2>/dev/null
read -r total ours origin other canary <"$WORK/counts.txt" 2>/dev/null
procs=${#LOGS[@]}
# Suppressed errors: the last ERROR SUMMARY of each log (-s prints it twice).
suppressed=$(awk '/ERROR SUMMARY: .*suppressed: / { n = $0; sub(/.*suppressed: /, "", n); sub(/ .*/, "", n); last[FILENAME] = n }
	END { for (f in last) s += last[f]; print s + 0 }' "${LOGS[@]}" 2>/dev/null)

echo
echo "valgrind: $procs processes logged, ${total:-0} errors: ${ours:-0} in subsidy, ${origin:-0} elsewhere with memory from subsidy, ${other:-0} elsewhere; $suppressed suppressed (postgres.supp); ${elapsed}s"
if [ "${other:-0}" -gt 0 ]; then
	echo "errors elsewhere (PostgreSQL, ICU, glibc), by kind:"
	sort -rn "$WORK/other-kinds.txt" | head -20 | sed 's/^/    /'
fi
if [ "$canary_status" -eq 0 ] && [ "${canary:-0}" -ge 1 ] &&
	grep -q 'Invalid read of size 4' "$WORK/canary-errors.txt" 2>/dev/null; then
	ok "valgrind canary: an invalid read planted in a backend is found"
else
	fail "valgrind canary: an invalid read planted in a backend was not found (the server under valgrind? its logs?)"
fi
if [ "$procs" -eq 0 ] || ! grep -qs 'Memcheck, a memory error detector' "${LOGS[@]}"; then
	fail "valgrind pg_regress: no valgrind log was written (did the server run under valgrind?)"
elif [ "${ours:-0}" -eq 0 ]; then
	ok "valgrind pg_regress, 0 errors in subsidy"
else
	fail "valgrind pg_regress, ${ours} errors in subsidy"
	head -300 "$WORK/subsidy-errors.txt"
fi
if [ "${origin:-0}" -gt 0 ]; then
	echo "errors in PostgreSQL whose memory the extension allocated (not failed; read them):"
	head -200 "$WORK/origin-errors.txt"
fi

[ "$failed" -eq 0 ]
