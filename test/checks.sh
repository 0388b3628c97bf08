# test/checks.sh: sourced by the suites that print one line per check ("ok   NAME" or
# "FAIL NAME", what test-all.sh's run_checks counts) and end with "SUITE: N passed, N failed".
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok   $*"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }
# check NAME COMMAND...: one check, ok when COMMAND succeeds.
check() {
	local name=$1
	shift
	if "$@"; then ok "$name"; else fail "$name"; fi
}
# checks_summary SUITE: the suite's last line.
checks_summary() { echo "$1: $passed passed, $failed failed"; }
