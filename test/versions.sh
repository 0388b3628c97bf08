#!/usr/bin/env bash
# The version matrix: the committed HEAD built and tested against every PostgreSQL major that
# Debian ships, each on the Debian suite that ships it, in a fresh minimal root.
#
#   major  suite                           (Debian's archive, checked 2026-12)
#   15     bookworm  (Debian 12)
#   17     trixie    (Debian 13)
#   18     forky     (testing; sid has it too)
#   19     sid + experimental (an opt-in preview: only experimental has it, as a release candidate)
#   (no Debian suite carries PostgreSQL 16: it went from 15 in bookworm to 17 in trixie)
#
# For each major: debootstrap --variant=minbase <suite> (its packages downloaded once and kept as
# a tarball in /var/cache/subsidy-versions), apt-get install git ca-certificates, a clone of
# HEAD (a git bundle: nothing uncommitted, nothing ignored) in /root/subsidy, and, as root with
# an empty environment,
#
#   PG_MAJOR=<major> TEST_SUITES="pg_regress isolation tap" bash test/test-all.sh
#
# which installs postgresql-<major> and its build kit, builds with -Werror and runs the suites.
# Then one line per major, e.g. "PostgreSQL 17 (Debian trixie): 21 passed, 0 failed"; the exit
# status is non-zero if any major failed.  Run it as root on the host; it is not part of
# test-all.sh (each major takes about ten minutes, most of it apt).
#
#   bash test/versions.sh                        # 15, 17 and 18
#   VERSIONS="15 19" bash test/versions.sh       # pick majors (19: the experimental preview)
#   VERSIONS_KEEP=1 bash test/versions.sh        # leave each root in place, to look around
#   VERSIONS_SUITES="pg_regress" bash ...        # other suites of test-all.sh (default: the three)
#   VERSIONS_REF=some-branch bash ...            # test another commit than HEAD
#
# Each major's full output is also kept in /var/tmp/subsidy-versions/pg<major>.log.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MIRROR=${VERSIONS_MIRROR:-http://deb.debian.org/debian}
CACHE=${VERSIONS_CACHE:-/var/cache/subsidy-versions}
LOGS=${VERSIONS_LOGS:-/var/tmp/subsidy-versions}
REF=${VERSIONS_REF:-HEAD}
SUITES=${VERSIONS_SUITES:-pg_regress isolation tap}
export PATH="${PATH:-/usr/bin:/bin}:/usr/local/sbin:/usr/sbin:/sbin"

say() { printf '\n== %s\n' "$*"; }

# suite_of MAJOR: the Debian suite whose archive has postgresql-MAJOR (empty: none)
suite_of() {
	case $1 in
	15) echo bookworm ;;
	17) echo trixie ;;
	18) echo forky ;;
	19) echo sid ;; # with experimental added, see one_major
	*) echo ;;
	esac
}

# one_major MAJOR LOG: build a root for MAJOR's suite and run the suites there.  Runs in a
# subshell of its own, so that its cleanup (processes, mounts, the root) happens per major.
one_major() (
	major=$1
	log=$2
	suite=$(suite_of "$major")
	work=$(mktemp -d /var/tmp/subsidy-versions.XXXXXX)
	root=$work/root
	apt_cache=$CACHE/$suite-archives

	# Everything started inside the root is stopped, and what was mounted is unmounted, on any
	# exit; the root is removed only when nothing is mounted in it any more (the apt cache is a
	# bind mount that rm -rf must never reach).
	cleanup() {
		local status=$? pid m busy=
		for pid in $(ls /proc | grep -E '^[0-9]+$'); do
			[ "$(readlink "/proc/$pid/root" 2>/dev/null)" = "$root" ] && kill -9 "$pid" 2>/dev/null
		done
		sleep 1
		for m in var/cache/apt/archives dev/shm dev/pts dev sys proc; do
			if mountpoint -q "$root/$m" 2>/dev/null; then
				umount "$root/$m" 2>/dev/null || umount -l "$root/$m" 2>/dev/null || true
			fi
		done
		grep -qF " $root/" /proc/mounts && busy=1
		if [ -n "${VERSIONS_KEEP:-}" ] || [ -n "$busy" ]; then
			echo "the root for PostgreSQL $major is kept in $root${busy:+ (something is still mounted there)}"
		else
			rm -rf "$work"
		fi
		exit $status
	}
	trap cleanup EXIT
	trap 'exit 130' INT TERM

	# debootstrap, its packages fetched once and kept in a tarball (the root itself is new each
	# time).  This debootstrap may predate the suite: then the script for sid serves, as
	# Debian's own does for testing.
	script=
	[ -e "/usr/share/debootstrap/scripts/$suite" ] || script=/usr/share/debootstrap/scripts/sid
	mkdir -p "$CACHE" "$apt_cache/partial"
	tarball=$CACHE/$suite-minbase.tar
	# test/fresh.sh keeps the same tarball for bookworm: take it rather than download it again
	if [ ! -s "$tarball" ] && [ -s "/var/cache/subsidy-fresh/$suite-minbase.tar" ]; then
		cp "/var/cache/subsidy-fresh/$suite-minbase.tar" "$tarball"
	fi
	if [ ! -s "$tarball" ]; then
		say "downloading Debian $suite (minbase) once, into $tarball"
		debootstrap --variant=minbase --make-tarball="$tarball.new" "$suite" "$work/download" "$MIRROR" $script \
			>"$work/debootstrap.log" 2>&1 || { tail -20 "$work/debootstrap.log"; echo "SETUP FAILED: debootstrap $suite"; exit 1; }
		mv "$tarball.new" "$tarball"
		rm -rf "$work/download"
	fi
	say "a minimal Debian $suite root (debootstrap --variant=minbase) in $root"
	debootstrap --variant=minbase --unpack-tarball="$tarball" "$suite" "$root" "$MIRROR" $script \
		>"$work/debootstrap.log" 2>&1 || { tail -20 "$work/debootstrap.log"; echo "SETUP FAILED: debootstrap $suite"; exit 1; }

	mount -t proc proc "$root/proc"
	mount -t sysfs sys "$root/sys"
	mount --bind /dev "$root/dev"
	mount -t devpts devpts "$root/dev/pts" -o newinstance,ptmxmode=0666
	mount -t tmpfs shm "$root/dev/shm"
	# the packages apt downloads are kept per suite too, for the next run
	mount --bind "$apt_cache" "$root/var/cache/apt/archives"
	cp /etc/resolv.conf "$root/etc/resolv.conf"
	# apt must not delete what it downloaded (a minbase root has no such setting, but be sure)
	echo 'Binary::apt::APT::Keep-Downloaded-Packages "true"; APT::Keep-Downloaded-Packages "true";' \
		>"$root/etc/apt/apt.conf.d/99subsidy-keep-debs"

	if [ "$major" = 19 ]; then
		# PostgreSQL 19 is in experimental only: add it, and prefer it for PostgreSQL's packages
		echo "deb $MIRROR experimental main" >"$root/etc/apt/sources.list.d/experimental.list"
		printf 'Package: postgresql* libpq* libecpg* libpgtypes*\nPin: release a=experimental\nPin-Priority: 500\n' \
			>"$root/etc/apt/preferences.d/postgresql-experimental"
	fi

	# The commit under test, as a clone would fetch it: nothing uncommitted, nothing ignored.
	git -C "$ROOT" bundle create "$root/tmp/subsidy.bundle" "$REF" >/dev/null 2>&1
	in_root() { chroot "$root" /usr/bin/env -i /bin/bash -c "$1"; }

	say "apt-get install git ca-certificates"
	in_root 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends git ca-certificates' \
		>"$work/apt.log" 2>&1 || { tail -20 "$work/apt.log"; echo "SETUP FAILED: apt-get install git"; exit 1; }
	in_root 'git clone -q /tmp/subsidy.bundle /root/subsidy && cd /root/subsidy && git log -1 --format="cloned %h %s"'

	say "PG_MAJOR=$major TEST_SUITES=\"$SUITES\" bash test/test-all.sh (Debian $suite)"
	in_root "cd /root/subsidy && PG_MAJOR=$major TEST_SUITES='$SUITES' bash test/test-all.sh" 2>&1
)

[ "$(id -u)" -eq 0 ] || { echo "test/versions.sh runs as root (debootstrap and chroot need it)" >&2; exit 1; }
if ! command -v debootstrap >/dev/null; then
	say "installing debootstrap on this machine"
	DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null 2>&1
fi
git -C "$ROOT" rev-parse --verify -q "$REF^{commit}" >/dev/null || { echo "no commit $REF in $ROOT" >&2; exit 1; }
mkdir -p "$LOGS"

SUMMARY=()
failed=0
started=$(date +%s)
for major in ${VERSIONS:-15 17 18}; do
	suite=$(suite_of "$major")
	if [ -z "$suite" ]; then
		SUMMARY+=("PostgreSQL $major: no Debian suite ships it")
		failed=1
		continue
	fi
	name="PostgreSQL $major (Debian $suite)"
	[ "$major" = 19 ] && name="PostgreSQL $major (Debian $suite + experimental)"
	log=$LOGS/pg$major.log
	say "$name"
	t0=$(date +%s)
	status=0
	one_major "$major" "$log" 2>&1 | tee "$log" || status=${PIPESTATUS[0]}
	took="$(( ($(date +%s) - t0) / 60 ))m$(( ($(date +%s) - t0) % 60 ))s"
	last=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -1 || true)
	if grep -q '^SETUP FAILED' "$log"; then
		line="$(grep '^SETUP FAILED' "$log" | tail -1 | tr 'A-Z' 'a-z')"
	elif grep -qE '^failed: (.* )?build( |$)' "$log"; then
		# the compiler's first errors, file:line, on the summary line
		errors=$(grep -E '^[^ ]+:[0-9]+:[0-9]+: error:' "$log" | head -3 | sed 's/^/    /' || true)
		line="build failed${errors:+:
$errors}"
	elif [ -n "$last" ]; then
		line=$last
		fails=$(grep -E '^failed: ' "$log" | tail -1 | sed 's/^failed: //' || true)
		[ -n "$fails" ] && line="$line ($fails)"
	else
		line="no result (exit $status)"
	fi
	[ "$status" -ne 0 ] && failed=1
	SUMMARY+=("$name: $line [$took]")
done

say "summary ($(git -C "$ROOT" log -1 --format='%h %s' "$REF" | cut -c1-70); logs in $LOGS; $(( ($(date +%s) - started) / 60 )) min)"
printf '%s\n' "${SUMMARY[@]}"
exit $failed
