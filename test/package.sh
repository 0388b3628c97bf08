#!/usr/bin/env bash
# The Debian package, built and then installed as a user would: on a fresh Debian 12.
#
#   bash test/package.sh                    # build postgresql-15-subsidy from HEAD, then test it
#   bash test/package.sh path/to/postgresql-15-subsidy_1.2-1_amd64.deb   # test that one
#   PACKAGE_KEEP=1 bash test/package.sh     # leave the root in place afterwards
#
# 1. Builds the binary packages with PostgreSQL's Debian tooling (debian/: pg_buildext
#    updatecontrol, dpkg-buildpackage, dh --with pgxs_loop: the extension's own Makefile once
#    per major this machine has the server-dev package of) from a git archive of HEAD; debian/
#    comes from the working tree if HEAD has none.  The build runs no suites (debian/rules):
#    test/test-all.sh and test/versions.sh run them, this script tests the package.  The .debs
#    are left in /var/tmp/subsidy-package.
# 2. Checks the .deb: the control file, the module, the current version's script, every script
#    of src/sql/releases, an upgrade path from every release to the current version, a .mo
#    for every .po of the tree, the README, its dependency on the server, lintian.
# 3. In a fresh Debian 12 root (debootstrap --variant=minbase, the cache of test/versions.sh),
#    installs postgresql-15 and then the .deb with apt-get, makes a UTF-8 cluster and checks
#    CREATE EXTENSION, the README's "Getting started" (test/readme.sh), ALTER EXTENSION
#    subsidy UPDATE from each earlier release, and that apt-get remove --purge leaves no file
#    of the package behind.
#
# The versions come from the tree: the current one from the Makefile's EXTVERSION and the
# control file's default_version, the earlier releases from src/sql/releases/subsidy--V.sql.
# One "ok"/"FAIL" line per check, then "package: N passed, N failed".  Runs as root (debootstrap,
# chroot, apt-get); a few minutes, most of it apt.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$ROOT/test/versions.sh" # the root helpers: root_create, root_cleanup, in_root, say
source "$ROOT/test/checks.sh"
GIVEN_DEB=${1:-}
OUT=${PACKAGE_OUT:-/var/tmp/subsidy-package}
SUITE=bookworm
MAJOR=15 # the server of Debian 12

[ "$(id -u)" -eq 0 ] || { echo "test/package.sh runs as root (debootstrap, chroot and apt-get need it)" >&2; exit 1; }
if [ -n "$GIVEN_DEB" ]; then
	[ -f "$GIVEN_DEB" ] || { echo "no such file: $GIVEN_DEB" >&2; exit 1; }
	GIVEN_DEB=$(cd "$(dirname "$GIVEN_DEB")" && pwd)/$(basename "$GIVEN_DEB")
fi

work=$(mktemp -d /var/tmp/subsidy-package.XXXXXX)
root=$work/root
started=$(date +%s)
finish() {
	local status=$?
	root_cleanup "$root" "${PACKAGE_KEEP:-}"
	[ -d "$root" ] || rm -rf "$work"
	exit $status
}
trap finish EXIT
trap 'exit 130' INT TERM
elapsed() { echo "$(($(date +%s) - started))s"; }

# ensure_host_packages PKG...: install on this machine what is missing.
ensure_host_packages() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	say "installing ${missing[*]} on this machine"
	{ DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; } \
		>"$work/host-apt.log" 2>&1 || { cat "$work/host-apt.log"; return 1; }
}

# The tree under test: HEAD, as git archive gives it (no build products, nothing uncommitted).
src=$work/src/subsidy
mkdir -p "$src"
git -C "$ROOT" archive HEAD | tar -x -C "$src"
head=$(git -C "$ROOT" log -1 --format='%h %s' HEAD | cut -c1-72)
if [ ! -d "$src/debian" ]; then
	cp -r "$ROOT/debian" "$src/debian"
	debian_from="the working tree"
else
	debian_from=HEAD
fi
say "HEAD $head (debian/ from $debian_from)"

extension=$(sed -n 's/^EXTENSION *= *//p' "$src/Makefile")
current=$(sed -n 's/^EXTVERSION *= *//p' "$src/Makefile")
default_version=$(sed -n "s/^default_version *= *'\(.*\)'.*/\1/p" "$src/$extension.control")
# the releases: every full script kept in src/sql/releases (subsidy--V.sql, not A--B), oldest first
releases=$(ls "$src/src/sql/releases" | sed -n "s/^$extension--\([^-]*\)\.sql$/\1/p" | grep -vx "$current" | sort -V)
previous=$(echo "$releases" | tail -1)
echo "extension $extension $current; earlier releases: $(echo $releases)"
check "the Makefile's EXTVERSION ($current) is the control file's default_version ($default_version)" \
	test "$current" = "$default_version"

# 1. the packages
if [ -z "$GIVEN_DEB" ]; then
	say "building the Debian packages ($(elapsed))"
	ensure_host_packages dpkg-dev debhelper postgresql-server-dev-all libicu-dev make gcc
	# debian/changelog names the version the package gets; if the extension has moved on and the
	# changelog has not, the build gets an entry of its own (a local version, below a release's)
	changelog_version=$(cd "$src" && dpkg-parsechangelog -S Version)
	if [ "${changelog_version%-*}" != "$current" ]; then
		echo "note: debian/changelog is at $changelog_version, the extension at $current: built as $current-0~local1"
		{
			printf '%s (%s-0~local1) UNRELEASED; urgency=medium\n\n  * Local build of %s.\n\n -- %s  %s\n\n' \
				"$extension" "$current" "$head" "$(cd "$src" && dpkg-parsechangelog -S Maintainer)" "$(date -R)"
			cat "$src/debian/changelog"
		} >"$work/changelog" && mv "$work/changelog" "$src/debian/changelog"
	fi
	build_log=$work/build.log
	if (cd "$src" && pg_buildext updatecontrol &&
		dpkg-buildpackage -b -us -uc) >"$build_log" 2>&1; then
		ok "dpkg-buildpackage builds $(cd "$work/src" && echo *.deb)"
	else
		fail "dpkg-buildpackage (the end of its log follows)"
		tail -40 "$build_log"
		checks_summary package
		exit 1
	fi
	mkdir -p "$OUT"
	cp "$work/src/"*.deb "$OUT/"
	deb=$(echo "$work/src/"postgresql-$MAJOR-"$extension"_*.deb)
	[ -f "$deb" ] || { fail "a postgresql-$MAJOR-$extension package was built"; checks_summary package; exit 1; }
	deb=$OUT/$(basename "$deb")
	echo "packages in $OUT ($(elapsed))"
else
	deb=$GIVEN_DEB
fi
package=$(dpkg-deb -f "$deb" Package)
major=$(echo "$package" | sed -n 's/^postgresql-\([0-9]*\)-.*/\1/p')
say "checking $(basename "$deb")"
check "it is the package for PostgreSQL $MAJOR (the server of Debian 12)" test "$major" = "$MAJOR"

# 2. what the .deb holds
dpkg-deb -c "$deb" | awk '{print $NF}' | sed 's|^\./|/|' >"$work/contents"
has() { grep -qx -- "$1" "$work/contents"; }
extdir=/usr/share/postgresql/$major/extension
check "it holds the control file $extdir/$extension.control" has "$extdir/$extension.control"
dpkg-deb --fsys-tarfile "$deb" | tar -xO ".$extdir/$extension.control" >"$work/control" 2>/dev/null || true
check "whose default_version is $current" grep -qx "default_version = '$current'" "$work/control"
check "it holds the module /usr/lib/postgresql/$major/lib/$extension.so" has "/usr/lib/postgresql/$major/lib/$extension.so"
check "it holds the current version's script $extension--$current.sql" has "$extdir/$extension--$current.sql"
for f in "$src"/src/sql/releases/*.sql; do
	check "it holds $(basename "$f") (src/sql/releases)" has "$extdir/$(basename "$f")"
	echo "$extdir/$(basename "$f")" >>"$work/expected-sql"
done
# every release reaches the current version through the upgrade scripts it ships
packaged_upgrades=$(sed -n "s|^$extdir/$extension--\([^-]*\)--\([^-]*\)\.sql$|\1 \2|p" "$work/contents")
reaches() { # reaches FROM: FROM leads to $current by packaged upgrade scripts
	local seen=" $1 " frontier=$1 next from to
	while [ -n "$frontier" ]; do
		next=
		for from in $frontier; do
			[ "$from" = "$current" ] && return 0
			while read -r f to; do
				[ "$f" = "$from" ] && [[ "$seen" != *" $to "* ]] && { seen+="$to "; next+=" $to"; }
			done <<<"$packaged_upgrades"
		done
		frontier=$next
	done
	return 1
}
for v in $releases; do
	check "it has an upgrade path from $v to $current" reaches "$v"
done
# and no SQL script but those, upgrade scripts (the Makefile builds the one to $current) and the
# layout script subsidy.partition_by_year runs (src/partition.c reads it from the share directory)
echo "$extdir/$extension--$current.sql" >>"$work/expected-sql"
check "it holds the partition layout script" has "$extdir/$extension-partition-$current.sql"
echo "$extdir/$extension-partition-$current.sql" >>"$work/expected-sql"
other=$(grep -E "^$extdir/.*\.sql$" "$work/contents" | grep -vxF -f "$work/expected-sql" |
	grep -vE "^$extdir/$extension--[^-]+--[^-]+\.sql$" || true)
check "it holds no other SQL script${other:+: $(echo $other)}" test -z "$other"
# translations: a .mo for each language the tree has a .po of (po/zh_CN.po and the like)
pos=$(cd "$src" && find . -name '*.po' -not -path './test/*' | sort)
for po in $pos; do
	lang=$(basename "$po" .po)
	check "it holds the $lang translation of ${po#./} (/usr/share/locale/$lang/LC_MESSAGES/*.mo)" \
		grep -qE "^/usr/share/locale/$lang/LC_MESSAGES/[^/]+\.mo$" "$work/contents"
done
[ -n "$pos" ] || echo "note: the tree has no .po file, so no translations to look for"
check "it holds the README (/usr/share/doc/$package/README.md.gz)" has "/usr/share/doc/$package/README.md.gz"
depends=$(dpkg-deb -f "$deb" Depends)
check "it depends on postgresql-$major ($depends)" grep -qE "(^|, )postgresql-$major( |,|$)" <<<"$depends"
stray=$(grep -E '\.o$|/regression\.|/results/|/test/|/src/' "$work/contents" | grep -v '/bitcode/' || true)
check "it holds no build leftovers or tests${stray:+: $(echo $stray)}" test -z "$stray"
if command -v lintian >/dev/null; then
	lintian --no-tag-display-limit "$deb" >"$work/lintian" 2>&1 || true
	errors=$(grep -c '^E:' "$work/lintian" || true)
	check "lintian finds no error ($errors errors, $(grep -c '^W:' "$work/lintian" || true) warnings)" test "$errors" -eq 0
	grep -E '^[EW]:' "$work/lintian" | sed 's/^/  /' | head -20
else
	echo "note: lintian is not installed: apt-get install lintian to have the package linted too"
fi

# 3. installed on a fresh Debian 12
say "a fresh Debian 12 ($(elapsed))"
ensure_debootstrap
root_create "$SUITE" "$root" || { fail "a fresh $SUITE root (debootstrap)"; checks_summary package; exit 1; }
# the archive areas of an installed Debian 12: the point release, its updates and security
# (packages built on an up-to-date machine depend on the server's current minor release)
cat >"$root/etc/apt/sources.list" <<-EOF
	deb $MIRROR $SUITE main
	deb $MIRROR $SUITE-updates main
	deb ${MIRROR%/debian}/debian-security $SUITE-security main
EOF
# no cluster of the packages' own: this test makes one with the locale it needs
mkdir -p "$root/etc/postgresql-common/createcluster.d"
echo 'create_main_cluster = false' >"$root/etc/postgresql-common/createcluster.d/subsidy-test.conf"
mkdir -p "$root/tmp/package/test"
cp "$deb" "$root/tmp/package/"
cp "$src/README.md" "$root/tmp/package/"
cp "$src/test/readme.sh" "$root/tmp/package/test/"
chmod -R a+rX "$root/tmp/package"
debfile=/tmp/package/$(basename "$deb")

apt_in_root() { # apt_in_root LOG ARGS...: apt-get in the root, its chatter in LOG
	local log=$1
	shift
	in_root "$root" "DEBIAN_FRONTEND=noninteractive apt-get -y -q $*" >"$log" 2>&1 || { tail -20 "$log"; return 1; }
}
if in_root "$root" 'apt-get update -qq' >"$work/update.log" 2>&1 &&
	apt_in_root "$work/pg.log" install --no-install-recommends postgresql-$major; then
	ok "apt-get install postgresql-$major ($(in_root "$root" "dpkg-query -W -f='\${Version}' postgresql-$major"))"
else
	fail "apt-get install postgresql-$major"
	checks_summary package
	exit 1
fi
in_root "$root" "dpkg-query -W -f='\${Package}\n'" | sort >"$work/before"
if apt_in_root "$work/deb.log" install --no-install-recommends "$debfile"; then
	ok "apt-get install ./$(basename "$deb")"
else
	fail "apt-get install ./$(basename "$deb")"
	checks_summary package
	exit 1
fi
in_root "$root" "dpkg-query -W -f='\${Package}\n'" | sort >"$work/after"
pulled=$(comm -13 "$work/before" "$work/after" | grep -vx "$package" || true)
check "it pulls in nothing but itself${pulled:+ (it pulled: $(echo $pulled))}" test -z "$pulled"

# a cluster of the packages' tools, UTF-8, on a Unix socket only (the root shares this
# machine's network; no TCP port to collide with)
if in_root "$root" "pg_createcluster --locale C.UTF-8 --encoding UTF8 $major test -- >/dev/null &&
	echo \"listen_addresses = ''\" >>/etc/postgresql/$major/test/postgresql.conf &&
	pg_ctlcluster $major test start" >"$work/cluster.log" 2>&1; then
	ok "pg_createcluster --locale C.UTF-8 $major test; pg_ctlcluster $major test start"
else
	fail "a cluster starts"
	cat "$work/cluster.log"
	checks_summary package
	exit 1
fi
port=$(in_root "$root" "pg_lsclusters -h" | awk -v m="$major" '$1 == m && $2 == "test" {print $3}')
# sql DB SQL: psql as postgres in the root, tuples only; its output, or its error and status
sql() {
	in_root "$root" "runuser -u postgres -- psql -X -q -At -v ON_ERROR_STOP=1 -p $port -d $1 -c \"$2\"" 2>&1
}
extversion_of() { sql "$1" "SELECT extversion FROM pg_extension WHERE extname = '$extension'"; }

sql postgres "CREATE DATABASE fresh" >/dev/null
if out=$(sql fresh "CREATE EXTENSION $extension"); then
	v=$(extversion_of fresh)
	check "CREATE EXTENSION $extension installs $current (it says $v)" test "$v" = "$current"
	v=$(sql fresh "SELECT $extension.uscc_is_valid('91350100M000100Y43')" || true)
	check "the module loads and works (uscc_is_valid of the README's code: $v)" test "$v" = t
else
	fail "CREATE EXTENSION $extension: $out"
fi

say "the README's Getting started ($(elapsed))"
if in_root "$root" "cd /tmp && runuser -u postgres -- env PGHOST=/var/run/postgresql PGPORT=$port PGUSER=postgres bash /tmp/package/test/readme.sh" >"$work/readme.log" 2>&1; then
	ok "the README's Getting started runs as written ($(tail -1 "$work/readme.log"))"
else
	fail "the README's Getting started runs as written"
	sed 's/^/  /' "$work/readme.log" | tail -20
fi

say "ALTER EXTENSION $extension UPDATE ($(elapsed))"
[ -n "$releases" ] || echo "note: no earlier release in src/sql/releases"
for v in $releases; do
	db=from_$(echo "$v" | tr -c '0-9a-z\n' '_')
	label="from $v"
	[ "$v" = "$previous" ] && label="from $v, the previous release"
	sql postgres "CREATE DATABASE $db" >/dev/null
	if ! out=$(sql "$db" "CREATE EXTENSION $extension VERSION '$v'"); then
		fail "CREATE EXTENSION $extension VERSION '$v': $(echo "$out" | head -3)"
		continue
	fi
	if out=$(sql "$db" "ALTER EXTENSION $extension UPDATE"); then
		got=$(extversion_of "$db")
		check "ALTER EXTENSION $extension UPDATE $label reaches $current (it says $got)" test "$got" = "$current"
	else
		fail "ALTER EXTENSION $extension UPDATE $label: $(echo "$out" | head -3)"
	fi
done

say "apt-get remove --purge $package ($(elapsed))"
in_root "$root" "dpkg -L $package" | sort >"$work/files"
if apt_in_root "$work/purge.log" remove --purge "$package"; then
	ok "apt-get remove --purge $package"
else
	fail "apt-get remove --purge $package"
fi
status=$(in_root "$root" "dpkg-query -W -f='\${Status}' $package" 2>/dev/null || true)
check "dpkg knows nothing of it any more (${status:-no record})" \
	test -z "$status" -o "$status" = "unknown ok not-installed" -o "$status" = "purge ok not-installed"
# what the package listed and is still there: a file, or a directory no other package owns
left=$(while read -r path; do
	[ "$path" = /. ] && continue
	[ -e "$root$path" ] || [ -L "$root$path" ] || continue
	if [ -d "$root$path" ] && [ ! -L "$root$path" ]; then
		in_root "$root" "dpkg -S '$path'" >/dev/null 2>&1 && continue
		[ -n "$(ls -A "$root$path")" ] && continue # holds what someone else put there
	fi
	echo "$path"
done <"$work/files")
check "none of its $(grep -c '' "$work/files") files and directories remains${left:+: $(echo $left)}" test -z "$left"
out=$(sql postgres "CREATE DATABASE after_purge" >/dev/null; sql after_purge "CREATE EXTENSION $extension" || true)
check "CREATE EXTENSION $extension fails after the purge (${out%%$'\n'*})" grep -q 'is not available\|could not open extension control file' <<<"$out"

say "done ($(elapsed))"
checks_summary package
[ "$failed" -eq 0 ]
