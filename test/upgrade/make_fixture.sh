#!/usr/bin/env bash
# Make the data of a populated database of an earlier release, for the upgrade test: builds
# that release from git (a commit or tag), installs it, runs a province of APPLICATIONS through
# a whole year with that release's own sample generator, and writes the extension's table data
# (pg_dump --data-only) to test/upgrade/subsidy-VERSION-province.sql.  Then it builds and
# installs the current tree again.  Run once per release, when it becomes the previous one:
#
#   bash test/upgrade/make_fixture.sh e9b5ebd 1.1
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
REV=${1:?a git revision of the earlier release}
VERSION=${2:?its extension version}
APPLICATIONS=${APPLICATIONS:-100}
OUT=$ROOT/test/upgrade/subsidy-$VERSION-province.sql

tree=$(mktemp -d /tmp/subsidy-release.XXXXXX)
# afterwards, the current tree is the one installed again
restore_current() { rm -rf "$tree"; build_and_install; }
at_exit restore_current
git -C "$ROOT" archive "$REV" | tar -x -C "$tree"
say "building subsidy $VERSION from $REV"
make -C "$tree" -s PG_CONFIG="$PG_CONFIG" >/dev/null
make -C "$tree" -s PG_CONFIG="$PG_CONFIG" install >/dev/null
start_cluster
psql -X -q -c "CREATE DATABASE fixture"
psql -X -q -d fixture -c "CREATE EXTENSION subsidy VERSION '$VERSION'"
PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 -d fixture -v applications="$APPLICATIONS" \
	-v stage=closed -f "$tree/test/sample/province.sql" >/dev/null
{
	echo "-- The tables of a subsidy $VERSION database (built from $REV by test/upgrade/make_fixture.sh):"
	echo "-- a province of $APPLICATIONS applications run through subsidy year 2019 to its close."
	pg_dump --data-only --no-owner --no-privileges -d fixture | grep -v -E '^(SET|SELECT pg_catalog.set_config)|^--|^$|^\\(un)?restrict '
} > "$OUT"
say "wrote $OUT ($(wc -c < "$OUT") bytes)"
