#!/usr/bin/env bash
# test/fuzz/run.sh: libFuzzer harnesses on the extension's C parsers and formatters.
#
# Builds every harness (the real src/*.c files plus test/fuzz/pg_shim.c, with
# AddressSanitizer and UndefinedBehaviorSanitizer) in a temporary directory, runs
# each for FUZZ_SECONDS seconds (default 20) from the seed corpus in
# test/fuzz/corpus/<target>/, FUZZ_JOBS targets at a time (default: the number of
# CPUs), and prints one line per target, "ok   fuzz <target>" or "FAIL fuzz <target>"
# followed by the crash report, then "fuzz: N passed, N failed".  Exits non-zero on
# any failure.  Nothing is written inside the repository; the inputs of failures are
# kept in a directory under /tmp that the report names.
#
#   bash test/fuzz/run.sh                          # about a minute on 2 cores
#   FUZZ_SECONDS=3600 bash test/fuzz/run.sh        # an hour per target
#   FUZZ_TARGETS="uscc rmb" bash test/fuzz/run.sh  # some targets only
#   FUZZ_KEEP=1 bash test/fuzz/run.sh              # keep the build directory (harnesses, corpora, logs)

# Debian 12 packages the harnesses need (apt-get installs the missing ones when run as root):
# clang, libFuzzer and the sanitizer runtimes, ICU's headers, PostgreSQL's server headers with
# libpgcommon.a and libpgport.a.
FUZZ_PACKAGES=(clang libclang-rt-dev libicu-dev "postgresql-server-dev-${PG_MAJOR:-15}")

source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
set +e

FUZZ_DIR="$ROOT/test/fuzz"
FUZZ_SECONDS=${FUZZ_SECONDS:-20}
FUZZ_JOBS=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 2)}
ALL_TARGETS=(uscc verdict verdict_value numeric rmb today)
read -r -a TARGETS <<<"${FUZZ_TARGETS:-${ALL_TARGETS[*]}}"

# The extension's source files each harness links, besides the shim.
declare -A SOURCES=(
	[uscc]="uscc normalize"
	[verdict]="verdict money"
	[verdict_value]="verdict money"
	[numeric]="money"
	[rmb]="rmb money"
	[today]="subsidy"
)

PASSED=0
FAILED=0
result() { # result ok|FAIL TARGET
	if [ "$1" = ok ]; then
		echo "ok   fuzz $2"
		PASSED=$((PASSED + 1))
	else
		echo "FAIL fuzz $2"
		FAILED=$((FAILED + 1))
	fi
}
summary() {
	echo "fuzz: $PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ]
}

if ! ensure_packages "${FUZZ_PACKAGES[@]}"; then
	for t in "${TARGETS[@]}"; do result FAIL "$t"; done
	summary
	exit 1
fi

WORK=$(mktemp -d /tmp/subsidy-fuzz.XXXXXX)
if [ -n "${FUZZ_KEEP:-}" ]; then
	echo "fuzz: builds, corpora and logs kept in $WORK"
else
	cleanup_work() { rm -rf "$WORK"; }
	at_exit cleanup_work
fi

CC=$(command -v clang || command -v clang-14)
if [ -x "$PG_CONFIG" ]; then
	PG_INCLUDE=$("$PG_CONFIG" --includedir-server)
	PG_LIBDIR=$("$PG_CONFIG" --pkglibdir)
else
	PG_INCLUDE=/usr/include/postgresql/$PG_MAJOR/server
	PG_LIBDIR=/usr/lib/postgresql/$PG_MAJOR/lib
fi
# Assertions on (the server's packages have them off, but they are cheap checks here);
# every sanitizer report is fatal, so that libFuzzer records it as a crash.
CFLAGS=(-g -O1 -fno-omit-frame-pointer -DUSE_ASSERT_CHECKING
	-fsanitize=address,undefined -fno-sanitize-recover=all
	-Wall -Wno-ignored-attributes -Werror=implicit-function-declaration -Werror=int-conversion
	-I"$PG_INCLUDE" -I"$FUZZ_DIR" -I"$ROOT/src")
LIBS=("$PG_LIBDIR/libpgcommon.a" "$PG_LIBDIR/libpgport.a" -licui18n -licuuc -licudata -lm)

# build TARGET: the harness binary $WORK/bin/fuzz_TARGET, or the compiler's output on failure.
mkdir -p "$WORK/obj" "$WORK/bin" "$WORK/log" "$WORK/corpus" "$WORK/artifacts"
compile() { # compile SOURCE OBJECT
	[ -f "$2" ] || "$CC" "${CFLAGS[@]}" -fsanitize=fuzzer-no-link -c "$1" -o "$2"
}
build() {
	local t=$1 objs=() s
	compile "$FUZZ_DIR/pg_shim.c" "$WORK/obj/pg_shim.o" || return 1
	objs+=("$WORK/obj/pg_shim.o")
	for s in ${SOURCES[$t]}; do
		compile "$ROOT/src/$s.c" "$WORK/obj/$s.o" || return 1
		objs+=("$WORK/obj/$s.o")
	done
	"$CC" "${CFLAGS[@]}" -fsanitize=fuzzer "$FUZZ_DIR/fuzz_$t.c" "${objs[@]}" "${LIBS[@]}" \
		-o "$WORK/bin/fuzz_$t"
}

# fuzz TARGET: run the harness for FUZZ_SECONDS; its exit status is the verdict.
fuzz() {
	local t=$1 dict=()
	mkdir -p "$WORK/corpus/$t"
	[ -f "$FUZZ_DIR/$t.dict" ] && dict=(-dict="$FUZZ_DIR/$t.dict")
	# libFuzzer stops itself after FUZZ_SECONDS; timeout(1) only guards against a wedged run
	(cd "$WORK" && ASAN_OPTIONS=abort_on_error=0:detect_leaks=1:allocator_may_return_null=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		timeout -k 10 $((FUZZ_SECONDS * 2 + 120)) \
		"$WORK/bin/fuzz_$t" -max_total_time="$FUZZ_SECONDS" -timeout=10 -max_len=2048 \
		-rss_limit_mb=2048 -print_final_stats=1 "${dict[@]}" \
		-artifact_prefix="$WORK/artifacts/$t-" "$WORK/corpus/$t" "$FUZZ_DIR/corpus/$t")
}

# Build every target first (one at a time: they share objects), then fuzz FUZZ_JOBS at a time.
declare -A BUILT
for t in "${TARGETS[@]}"; do
	if [ -z "${SOURCES[$t]+x}" ]; then
		echo "unknown fuzz target $t" >"$WORK/log/$t.build"
		continue
	fi
	build "$t" >"$WORK/log/$t.build" 2>&1 && BUILT[$t]=1
done

running=0
for t in "${TARGETS[@]}"; do
	[ -n "${BUILT[$t]:-}" ] || continue
	if [ "$running" -ge "$FUZZ_JOBS" ]; then
		wait -n
		running=$((running - 1))
	fi
	(fuzz "$t" >"$WORK/log/$t.fuzz" 2>&1; echo $? >"$WORK/log/$t.status") &
	running=$((running + 1))
done
wait

KEEP=
for t in "${TARGETS[@]}"; do
	if [ -z "${BUILT[$t]:-}" ]; then
		result FAIL "$t"
		echo "  could not build the harness:"
		sed 's/^/  /' "$WORK/log/$t.build" | head -60
		continue
	fi
	status=$(cat "$WORK/log/$t.status" 2>/dev/null || echo 1)
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$WORK/log/$t.fuzz" | tail -1)
	if [ "$status" -eq 0 ]; then
		result ok "$t"
		echo "  $t: ${runs:-?} executions in ${FUZZ_SECONDS}s; $(grep -Eo 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+' "$WORK/log/$t.fuzz" | tail -1)"
	else
		result FAIL "$t"
		[ -n "$KEEP" ] || KEEP=$(mktemp -d /tmp/subsidy-fuzz-failures.XXXXXX)
		cp "$WORK/artifacts/$t-"* "$KEEP/" 2>/dev/null
		cp "$WORK/bin/fuzz_$t" "$KEEP/" 2>/dev/null
		# the report: from the first sanitizer, shim or property line, without libFuzzer's
		# own stack frames and banners
		report=$(awk '/^(==[0-9]+==|====|shim:|TRAP:|.*runtime error:)/ { show = 1 } show' "$WORK/log/$t.fuzz" |
			grep -Ev 'libc\.so\.6|in fuzzer::|__libc_start|in _start |in main |__sanitizer_print_stack_trace|__pthread_kill|raise signal|abort stdlib|rudimentary signal|Combine libFuzzer|^stat::|^0x[0-9a-f]+,')
		if [ -n "$report" ]; then
			printf '%s\n' "$report" | head -60 | sed 's/^/  /'
		else
			tail -40 "$WORK/log/$t.fuzz" | sed 's/^/  /'
		fi
		for f in "$KEEP/$t-"*; do
			[ -e "$f" ] && echo "  replay: $KEEP/fuzz_$t $f"
		done
	fi
done
summary
