#!/usr/bin/env bash
# The version matrix: the committed HEAD built and tested against every PostgreSQL major that
# Debian ships, each on the Debian suite that ships it, in a fresh minimal root.
#
#   major  suite                  (Debian's archive, deb.debian.org, as of 2026-12)
#   15     bookworm (Debian 12)
#   17     trixie (Debian 13)
#   18     forky (testing; unstable/sid has it too)
#   19     sid + experimental: opt-in, only experimental has it, as a release candidate
#   no Debian suite carries 16 (bookworm has 15, trixie 17)
#
# For each major: debootstrap --variant=minbase SUITE (its packages downloaded once and kept as
# a tarball in /var/cache/subsidy-versions, as are the .debs apt fetches inside the root), apt-get
# install git ca-certificates, a clone of HEAD (a git bundle: nothing uncommitted, nothing
# ignored) in /root/subsidy, and, as root with an empty environment,
#
#   PG_MAJOR=<major> TEST_SUITES="pg_regress isolation tap" bash test/test-all.sh
#
# which installs postgresql-<major> and its build kit, builds with -Werror and runs the suites.
# Then one line per major, e.g. "PostgreSQL 17 (Debian trixie): 129 passed, 0 failed [12m26s]",
# with the failed tests or the compiler's first errors; the exit status is non-zero if any major
# failed.  Run it as root on the host; it is not part of test-all.sh (a major takes ten minutes or
# so on two cores once its packages are cached, the TAP suites half of it; more the first time).
#
#   bash test/versions.sh                        # 15, 17 and 18
#   VERSIONS="15 19" bash test/versions.sh       # pick majors (19: the experimental preview)
#   VERSIONS_KEEP=1 bash test/versions.sh        # leave each root in place, to look around
#   VERSIONS_SUITES="pg_regress" bash ...        # other suites of test-all.sh (default: the three)
#   VERSIONS_REF=some-branch bash ...            # test another commit than HEAD
#
# Each major's full output is kept in /var/tmp/subsidy-versions/pg<major>.log.
#
# Sourced (as test/package.sh does), it only defines the root helpers: suite_of, root_create,
# root_cleanup, in_root.
set -euo pipefail
VERSIONS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MIRROR=${VERSIONS_MIRROR:-http://deb.debian.org/debian}
CACHE=${VERSIONS_CACHE:-/var/cache/subsidy-versions}
export PATH="${PATH:-/usr/bin:/bin}:/usr/local/sbin:/usr/sbin:/sbin"

say() { printf '\n== %s\n' "$*"; }

# suite_of MAJOR: the Debian suite whose archive has postgresql-MAJOR (empty: none)
suite_of() {
	case $1 in
	15) echo bookworm ;;
	17) echo trixie ;;
	18) echo forky ;;
	19) echo sid ;; # with experimental added, see root_create
	*) echo ;;
	esac
}

# ensure_debootstrap: install debootstrap on this machine if it is missing.
ensure_debootstrap() {
	command -v debootstrap >/dev/null && return 0
	say "installing debootstrap on this machine"
	DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null 2>&1
}

# root_create SUITE ROOT [experimental]: a minimal Debian SUITE (debootstrap --variant=minbase)
# in the new directory ROOT, with /proc, /sys, /dev, /dev/pts and /dev/shm mounted, the host's
# resolv.conf, the cached .debs of the suite in apt's archive, and no service
# started by a package (policy-rc.d).  Its packages are downloaded once and kept as a tarball in
# $CACHE.  Prints why and returns 1 if debootstrap fails.
root_create() {
	local suite=$1 root=$2 extra=${3:-} script='' tarball log
	# This debootstrap may predate the suite: then the script for sid serves, as it does for testing.
	[ -e "/usr/share/debootstrap/scripts/$suite" ] || script=/usr/share/debootstrap/scripts/sid
	mkdir -p "$CACHE" "$CACHE/$suite-archives"
	tarball=$CACHE/$suite-minbase.tar
	log=$(mktemp /tmp/subsidy-debootstrap.XXXXXX)
	# test/fresh.sh keeps the same tarball for bookworm: take it rather than download it again
	if [ ! -s "$tarball" ] && [ -s "/var/cache/subsidy-fresh/$suite-minbase.tar" ]; then
		cp "/var/cache/subsidy-fresh/$suite-minbase.tar" "$tarball"
	fi
	if [ ! -s "$tarball" ]; then
		say "downloading Debian $suite (minbase) once, into $tarball"
		rm -rf "$root.download"
		debootstrap --variant=minbase --make-tarball="$tarball.new" "$suite" "$root.download" "$MIRROR" $script \
			>"$log" 2>&1 || { tail -20 "$log"; rm -f "$log"; return 1; }
		mv "$tarball.new" "$tarball"
		rm -rf "$root.download"
	fi
	say "a minimal Debian $suite root (debootstrap --variant=minbase) in $root"
	debootstrap --variant=minbase --unpack-tarball="$tarball" "$suite" "$root" "$MIRROR" $script \
		>"$log" 2>&1 || { tail -20 "$log"; rm -f "$log"; return 1; }
	rm -f "$log"

	mount -t proc proc "$root/proc"
	mount -t sysfs sys "$root/sys"
	mount --bind /dev "$root/dev"
	mount -t devpts devpts "$root/dev/pts" -o newinstance,ptmxmode=0666
	mount -t tmpfs shm "$root/dev/shm"
	# The .debs apt downloads are kept per suite too, for the next root: linked in here, and
	# back by root_cleanup.  (Not a bind mount: two roots of one suite at once, of
	# test/versions.sh and test/package.sh, would then share one apt lock.)
	cp -l "$CACHE/$suite-archives/"*.deb "$root/var/cache/apt/archives/" 2>/dev/null ||
		cp "$CACHE/$suite-archives/"*.deb "$root/var/cache/apt/archives/" 2>/dev/null || true
	echo "$CACHE/$suite-archives" >"$root/.subsidy-archives"
	cp /etc/resolv.conf "$root/etc/resolv.conf"
	echo 'Binary::apt::APT::Keep-Downloaded-Packages "true"; APT::Keep-Downloaded-Packages "true";' \
		>"$root/etc/apt/apt.conf.d/99subsidy-keep-debs"
	# testing's and sid's Release files say how long they are valid (a week); a mirror that is a
	# snapshot, or a clock ahead of it, makes apt refuse them as expired
	echo 'Acquire::Check-Valid-Until "false";' >"$root/etc/apt/apt.conf.d/99subsidy-valid-until"
	# a package's service must not start in the root (the tests start their own servers)
	printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
	chmod +x "$root/usr/sbin/policy-rc.d"
	if [ "$extra" = experimental ]; then
		# PostgreSQL 19 is in experimental only: add it, and prefer it for PostgreSQL's packages
		echo "deb $MIRROR experimental main" >"$root/etc/apt/sources.list.d/experimental.list"
		printf 'Package: postgresql* libpq* libecpg* libpgtypes*\nPin: release a=experimental\nPin-Priority: 500\n' \
			>"$root/etc/apt/preferences.d/postgresql-experimental"
	fi
}

# root_cleanup ROOT [KEEP]: stop every process running in ROOT, keep the .debs apt fetched,
# unmount what root_create mounted, and remove ROOT unless KEEP is set or something is still
# mounted there (rm -rf must never reach the host's /dev).
root_cleanup() {
	local root=$1 keep=${2:-} proc m busy='' archives
	[ -d "$root" ] || return 0
	for proc in /proc/[0-9]*; do
		[ "$(readlink "$proc/root" 2>/dev/null)" = "$root" ] && kill -9 "${proc#/proc/}" 2>/dev/null
	done
	sleep 1
	if [ -s "$root/.subsidy-archives" ]; then
		archives=$(cat "$root/.subsidy-archives")
		cp -n -l "$root/var/cache/apt/archives/"*.deb "$archives/" 2>/dev/null ||
			cp -n "$root/var/cache/apt/archives/"*.deb "$archives/" 2>/dev/null || true
	fi
	for m in dev/shm dev/pts dev sys proc; do
		if mountpoint -q "$root/$m" 2>/dev/null; then
			umount "$root/$m" 2>/dev/null || umount -l "$root/$m" 2>/dev/null || true
		fi
	done
	grep -qF " $root/" /proc/mounts && busy=1
	if [ -n "$keep" ] || [ -n "$busy" ]; then
		echo "the root is kept in $root${busy:+ (something is still mounted there)}"
	else
		rm -rf "$root"
	fi
}

# in_root ROOT COMMAND: run COMMAND in ROOT as root, with an empty environment.  In the
# background, waited for, so that an interrupt reaches the caller's cleanup at once.
in_root() {
	chroot "$1" /usr/bin/env -i /bin/bash -c "$2" &
	wait $!
}

# one_major MAJOR: build a root for MAJOR's suite and run the suites there.  A subshell of its
# own, so that its cleanup (processes, mounts, the root) happens for each major.
one_major() (
	major=$1
	suite=$(suite_of "$major")
	work=$(mktemp -d /var/tmp/subsidy-versions.XXXXXX)
	root=$work/root
	trap 'status=$?; root_cleanup "$root" "${VERSIONS_KEEP:-}"; [ -d "$root" ] || rm -rf "$work"; exit $status' EXIT
	trap 'exit 130' INT TERM

	root_create "$suite" "$root" "$([ "$major" = 19 ] && echo experimental || true)" ||
		{ echo "SETUP FAILED: debootstrap $suite"; exit 1; }
	# The commit under test, as a clone would fetch it: nothing uncommitted, nothing ignored.
	cp "$BUNDLE" "$root/tmp/subsidy.bundle"

	say "apt-get install git ca-certificates"
	in_root "$root" 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends git ca-certificates' \
		>"$work/apt.log" 2>&1 || { tail -20 "$work/apt.log"; echo "SETUP FAILED: apt-get install git ca-certificates"; exit 1; }
	in_root "$root" 'git -c init.defaultBranch=main -c advice.detachedHead=false clone -q /tmp/subsidy.bundle /root/subsidy && cd /root/subsidy && git log -1 --format="cloned %h %s"'

	say "PG_MAJOR=$major TEST_SUITES=\"$SUITES\" bash test/test-all.sh (Debian $suite)"
	in_root "$root" "cd /root/subsidy && PG_MAJOR=$major TEST_SUITES='$SUITES' bash test/test-all.sh" 2>&1
)

# summarize LOG STATUS: one major's result from its log: the counts of test-all.sh and the
# failed tests, the compiler's first errors, or why the root could not be made.
summarize() {
	local log=$1 status=$2 last fails errors
	last=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -1 || true)
	if grep -q '^SETUP FAILED' "$log"; then
		grep '^SETUP FAILED' "$log" | tail -1 | sed 's/^SETUP FAILED/setup failed/'
	elif grep -qE '^failed: (.* )?build( |$)' "$log"; then
		errors=$(grep -E '^[^ ]+:[0-9]+:[0-9]+: error:' "$log" | head -5 | sed 's/^/    /' || true)
		printf 'build failed%s\n' "${errors:+:$'\n'$errors}"
	elif [ -n "$last" ]; then
		fails=$(grep -E '^failed: ' "$log" | tail -1 | sed 's/^failed: //' || true)
		echo "$last${fails:+ (failed: $fails)}"
	else
		echo "no result (exit $status)"
	fi
}

main() {
	# Every major tests the same commit, taken once as a git bundle, even if HEAD moves meanwhile.
	REF=${VERSIONS_REF:-HEAD}
	BUNDLE=$(mktemp /tmp/subsidy-versions-bundle.XXXXXX)
	trap 'rm -f "$BUNDLE"' EXIT
	git -C "$VERSIONS_ROOT" bundle create "$BUNDLE" "$REF" >/dev/null 2>&1 ||
		{ echo "could not bundle $REF of $VERSIONS_ROOT (a branch, a tag or HEAD)" >&2; exit 1; }
	REF=$(git bundle list-heads "$BUNDLE" | head -1 | cut -d' ' -f1)
	trap 'exit 130' INT TERM
	SUITES=${VERSIONS_SUITES:-pg_regress isolation tap}
	local logs=${VERSIONS_LOGS:-/var/tmp/subsidy-versions} major suite name log status t0 took
	local summary=() failed=0 started

	[ "$(id -u)" -eq 0 ] || { echo "test/versions.sh runs as root (debootstrap and chroot need it)" >&2; exit 1; }
	ensure_debootstrap
	mkdir -p "$logs"
	started=$(date +%s)
	for major in ${VERSIONS:-15 17 18}; do
		suite=$(suite_of "$major")
		if [ -z "$suite" ]; then
			summary+=("PostgreSQL $major: no Debian suite ships it")
			failed=1
			continue
		fi
		name="PostgreSQL $major (Debian $suite)"
		[ "$major" = 19 ] && name="PostgreSQL $major (Debian $suite + experimental)"
		log=$logs/pg$major.log
		say "$name"
		t0=$(date +%s)
		status=0
		one_major "$major" 2>&1 | tee "$log" || status=${PIPESTATUS[0]}
		took="$((($(date +%s) - t0) / 60))m$((($(date +%s) - t0) % 60))s"
		[ "$status" -ne 0 ] && failed=1
		summary+=("$name: $(summarize "$log" "$status") [$took]")
	done

	say "summary: $(git -C "$VERSIONS_ROOT" log -1 --format='%h %s' "$REF" | cut -c1-72); logs in $logs; $((($(date +%s) - started) / 60)) min"
	printf '%s\n' "${summary[@]}"
	exit $failed
}

# run, unless sourced
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	main "$@"
fi
