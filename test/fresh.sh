#!/usr/bin/env bash
# The README's two commands on a fresh Debian 12, exactly as a newcomer runs them.
#
# Builds a minimal Debian 12 root with debootstrap (--variant=minbase, from Debian's archive),
# installs the two packages the README asks for first (git, ca-certificates), clones this
# repository's committed HEAD into /root/subsidy inside it, and runs, as root, with an empty
# environment and no locale:
#
#   bash test/demo.sh
#   bash test/test-all.sh
#
# then prints what each ended with.  Run it (as root, on the host) before resolving anything
# that changes an install step.  It takes about a quarter of an hour, most of it apt.
#
#   bash test/fresh.sh                  # keeps the downloaded packages in /var/cache/subsidy-fresh
#   FRESH_KEEP=1 bash test/fresh.sh     # leaves the root in place afterwards, to look around
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SUITE=${FRESH_SUITE:-bookworm}
MIRROR=${FRESH_MIRROR:-http://deb.debian.org/debian}
CACHE=${FRESH_CACHE:-/var/cache/subsidy-fresh}
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

say() { printf '\n== %s\n' "$*"; }

[ "$(id -u)" -eq 0 ] || { echo "test/fresh.sh runs as root (debootstrap and chroot need it)" >&2; exit 1; }
if ! command -v debootstrap >/dev/null; then
	say "installing debootstrap on this machine"
	DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null 2>&1
fi

work=$(mktemp -d /var/tmp/subsidy-fresh.XXXXXX)
root=$work/root
log=$work/log

# Everything started inside the root is stopped, and what was mounted is unmounted, on any exit.
cleanup() {
	local status=$? pid
	for pid in $(ls /proc | grep -E '^[0-9]+$'); do
		[ "$(readlink "/proc/$pid/root" 2>/dev/null)" = "$root" ] && kill -9 "$pid" 2>/dev/null
	done
	sleep 1
	for m in dev/shm dev/pts dev sys proc; do
		mountpoint -q "$root/$m" 2>/dev/null && umount -l "$root/$m"
	done
	if [ -n "${FRESH_KEEP:-}" ]; then
		echo "the root is kept in $root"
	else
		rm -rf "$work"
	fi
	exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# debootstrap, its packages fetched once and kept in a tarball (the root itself is new each time)
mkdir -p "$CACHE"
tarball=$CACHE/$SUITE-minbase.tar
if [ ! -s "$tarball" ]; then
	say "downloading Debian $SUITE (minbase) once, into $tarball"
	debootstrap --variant=minbase --make-tarball="$tarball" "$SUITE" "$work/download" "$MIRROR" >"$log" 2>&1 ||
		{ tail -20 "$log"; exit 1; }
	rm -rf "$work/download"
fi
say "a minimal Debian $SUITE root (debootstrap --variant=minbase) in $root"
debootstrap --variant=minbase --unpack-tarball="$tarball" "$SUITE" "$root" "$MIRROR" >"$log" 2>&1 ||
	{ tail -20 "$log"; exit 1; }

mount -t proc proc "$root/proc"
mount -t sysfs sys "$root/sys"
mount --bind /dev "$root/dev"
mount -t devpts devpts "$root/dev/pts" -o newinstance,ptmxmode=0666
mount -t tmpfs shm "$root/dev/shm"
cp /etc/resolv.conf "$root/etc/resolv.conf"

# The committed HEAD, as a clone would fetch it: nothing uncommitted, nothing ignored.
git -C "$ROOT" bundle create "$root/tmp/subsidy.bundle" HEAD >/dev/null 2>&1

# in_root COMMAND: run COMMAND in the root as root, with an empty environment.
in_root() { chroot "$root" /usr/bin/env -i /bin/bash -c "$1"; }

say "what the README asks for first: apt-get install git ca-certificates"
in_root 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq git ca-certificates' >"$log" 2>&1 ||
	{ tail -20 "$log"; exit 1; }
in_root 'git clone -q -c advice.detachedHead=false /tmp/subsidy.bundle /root/subsidy && cd /root/subsidy && git log -1 --format="cloned %h %s"'

say "bash test/demo.sh"
demo_status=0
in_root 'cd /root/subsidy && bash test/demo.sh' 2>&1 | tee "$work/demo.log" || demo_status=$?
say "bash test/test-all.sh"
test_status=0
in_root 'cd /root/subsidy && bash test/test-all.sh' 2>&1 | tee "$work/test.log" || test_status=$?

say "summary"
echo "Debian $SUITE (debootstrap minbase), clone in /root/subsidy, empty environment, $(date -u +%Y-%m-%d)"
echo "bash test/demo.sh: exit $demo_status; it ended:"
grep -E 'problems_found_by_verify_audit' -A 2 "$work/demo.log" | tail -1 | sed 's/^ */  audit problems found: /'
echo "bash test/test-all.sh: exit $test_status; it ended:"
tail -1 "$work/test.log" | sed 's/^/  /'
[ "$demo_status" -eq 0 ] && [ "$test_status" -eq 0 ]
