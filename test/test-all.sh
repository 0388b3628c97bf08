#!/usr/bin/env bash
# The README's test command: builds with -Werror, installs, starts a throwaway cluster and
# runs every suite (pg_regress, then the suites under test/).  Its last line is
# "N passed, N failed", counted over the tests of all suites; it exits non-zero on any failure.
# TEST_SUITES="pg_regress isolation tap" runs only those (test/versions.sh does, per major).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
set +e

PASSED=0
FAILED=0
FAILURES=()
LOG_DIR=$(mktemp -d /tmp/subsidy-tests.XXXXXX)

finish() {
	rm -rf "$LOG_DIR"
	if [ ${#FAILURES[@]} -gt 0 ]; then
		printf '\nfailed: %s\n' "${FAILURES[*]}"
	fi
	echo "$PASSED passed, $FAILED failed"
}

record() { # record NAME STATUS
	if [ "$2" -eq 0 ]; then
		PASSED=$((PASSED + 1))
	else
		FAILED=$((FAILED + 1))
		FAILURES+=("$1")
	fi
}

# count_regress LOG SUITE: count pg_regress's per-test verdicts (PostgreSQL 15 and 16+ styles).
count_regress() {
	local name verdict
	while read -r name verdict; do
		record "$2/$name" "$([ "$verdict" = ok ] && echo 0 || echo 1)"
	done < <(sed -nE \
		-e 's/^(test| ) *([A-Za-z0-9_-]+) +\.\.\. +(ok|FAILED|failed).*/\2 \3/p' \
		-e 's/^ok +[0-9]+ +[-+] +([A-Za-z0-9_-]+).*/\1 ok/p' \
		-e 's/^not ok +[0-9]+ +[-+] +([A-Za-z0-9_-]+).*/\1 FAILED/p' "$1")
}

# run_regress SUITE DIFFS COMMAND...: run a pg_regress-style suite, show its diffs on failure.
run_regress() {
	local suite=$1 diffs=$2 log="$LOG_DIR/$1.log" failed_before=$FAILED status
	shift 2
	rm -f "$diffs"
	say "suite $suite"
	"$@" >"$log" 2>&1
	status=$?
	# each test's verdict and the summary; pg_regress's set-up chatter only when it failed
	if [ $status -eq 0 ]; then
		grep -E '^(test +|     |ok +[0-9]|not ok)[^=]* \.\.\. |^(ok|not ok) +[0-9]+ |tests? (passed|failed)' "$log"
	else
		cat "$log"
	fi
	count_regress "$log" "$suite"
	if [ $status -ne 0 ]; then
		# A failure the suite did not attribute to a test still counts once.
		[ "$FAILED" -eq "$failed_before" ] && record "$suite" 1
		[ -f "$diffs" ] && head -300 "$diffs"
	fi
}

at_exit finish

# wanted SUITE: whether TEST_SUITES (empty: all) names the suite.
wanted() { [ -z "${TEST_SUITES:-}" ] || [[ " $TEST_SUITES " == *" $1 "* ]]; }

ensure_packages "${BASE_PACKAGES[@]}" $(wanted odbc && echo "${ODBC_PACKAGES[@]}") "${TAP_PACKAGES[@]}" || { record packages 1; exit 1; }
# The catalogue's locale before any server starts: a backend forked from a postmaster that read
# the locale archive before the locale was generated does not find it (a fresh machine).
if wanted messages && ! ensure_locale zh_CN.UTF-8; then
	record locale 1
fi
if ! build_and_install; then
	record build 1
	exit 1
fi
start_cluster || { record cluster 1; exit 1; }

wanted pg_regress && run_regress pg_regress "$ROOT/regression.diffs" make -C "$ROOT" -s PG_CONFIG="$PG_CONFIG" installcheck
wanted isolation && run_regress isolation "$ROOT/test/isolation/regression.diffs" \
	make -C "$ROOT" -s PG_CONFIG="$PG_CONFIG" installcheck-isolation

# run_script NAME COMMAND...: a suite that is one script, one test.
run_script() {
	local name=$1
	shift
	say "suite $name"
	"$@"
	record "$name" $?
}
wanted readme && run_script readme bash "$ROOT/test/readme.sh"

# run_checks SUITE COMMAND...: a suite that prints "ok   NAME" or "FAIL NAME" per check.
run_checks() {
	local suite=$1 log="$LOG_DIR/$1.log" status name failed_before=$FAILED
	shift
	say "suite $suite"
	"$@" >"$log" 2>&1
	status=$?
	cat "$log"
	while read -r name; do record "$suite/$name" 0; done < <(sed -n 's/^ok   //p' "$log")
	while read -r name; do record "$suite/$name" 1; done < <(sed -n 's/^FAIL //p' "$log")
	[ $status -ne 0 ] && [ "$FAILED" -eq "$failed_before" ] && record "$suite" 1
	return 0
}
wanted messages && run_checks messages bash "$ROOT/test/messages/run.sh"
wanted odbc && run_checks odbc bash "$ROOT/test/odbc/run.sh"
wanted backup && run_checks backup bash "$ROOT/test/backup/run.sh"
wanted province && run_checks province bash "$ROOT/test/province/run.sh"
wanted load && run_checks load bash "$ROOT/test/load/run.sh"
wanted fuzz && run_checks fuzz bash "$ROOT/test/fuzz/run.sh"
wanted sqlsmith && run_checks sqlsmith bash "$ROOT/test/sqlsmith/run.sh"

# run_tap: the TAP suites, which make their own clusters.  initdb refuses root, so as root
# they run as the server's user, from a copy of what they read in a directory of their own
# (a clone in /root is closed to that user).
run_tap() {
	local log="$LOG_DIR/tap.log" dir status name failed_before=$FAILED
	dir=$(mktemp -d /tmp/subsidy-tap.XXXXXX)
	mkdir -p "$dir/tree/test"
	cp -r "$ROOT/Makefile" "$ROOT/subsidy.control" "$ROOT/mk" "$dir/tree/"
	cp -r "$ROOT/test/tap" "$ROOT/test/sample" "$dir/tree/test/"
	[ "$(id -u)" -eq 0 ] && chown -R postgres: "$dir"
	say "suite tap"
	(cd "$dir" && as_server_user make -C "$dir/tree" -s PG_CONFIG="$PG_CONFIG" installcheck-tap \
		TESTDIR="$dir" PROVE_FLAGS=-v) >"$log" 2>&1
	status=$?
	cat "$log"
	while read -r name; do record "tap/$name" 0; done < <(sed -nE 's/^ok [0-9]+ - (.*)/\1/p' "$log")
	while read -r name; do record "tap/$name" 1; done < <(sed -nE 's/^not ok [0-9]+ - (.*)/\1/p' "$log")
	if [ $status -ne 0 ]; then
		[ "$FAILED" -eq "$failed_before" ] && record tap 1
		tail -50 "$dir"/tmp_check/log/regress_log_* 2>/dev/null
	fi
	rm -rf "$dir"
}
wanted tap && run_tap

[ "$FAILED" -eq 0 ]
