#!/usr/bin/env bash
# META.json, the PGXN distribution metadata, checked offline: against the PGXN Meta Spec v1
# (test/pgxn-meta-schema.json, a JSON Schema of the spec, with Debian's python3-jsonschema),
# against the files it names and the versions the build uses, and, given the zip that
# `make dist` made, that zip's layout and contents.  One "ok"/"FAIL" line per check and a last
# line "meta: N passed, N failed".  Needs no server and no network.
#
#   bash test/meta.sh                       # META.json of the working tree
#   bash test/meta.sh subsidy-1.2.0.zip     # and the PGXN zip (its META.json is checked too)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export PATH="${PATH:-/usr/bin:/bin}:/usr/local/sbin:/usr/sbin:/sbin"
source "$ROOT/test/checks.sh"
ZIP=${1:-}
PY=/usr/bin/python3 # Debian's, with Debian's python3-jsonschema (not whatever python3 a PATH finds)

need=()
[ -x "$PY" ] || need+=(python3)
[ -x "$PY" ] && "$PY" -c 'import jsonschema' 2>/dev/null || need+=(python3-jsonschema)
[ -n "$ZIP" ] && ! command -v unzip >/dev/null && need+=(unzip)
if [ ${#need[@]} -gt 0 ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "test/meta.sh needs the Debian packages ${need[*]}; run it as root to install them" >&2
		exit 1
	fi
	{ DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"; } >/dev/null 2>&1
fi

# What the build says: the extension's name and version (Makefile), the control file's default
# version, the oldest major the Debian package is built for.
extension=$(sed -n 's/^EXTENSION *= *//p' "$ROOT/Makefile")
extversion=$(sed -n 's/^EXTVERSION *= *//p' "$ROOT/Makefile")
default_version=$(sed -n "s/^default_version *= *'\(.*\)'.*/\1/p" "$ROOT/$extension.control")
# PGXN wants Semantic Versioning: 1.2 is 1.2.0
case $extversion in
*.*.*) semver=$extversion ;;
*.*) semver=$extversion.0 ;;
*) semver=$extversion.0.0 ;;
esac
oldest_major=$(sed -n 's/^\([0-9][0-9]*\)+$/\1/p' "$ROOT/debian/pgversions" 2>/dev/null | head -1)

# validate META SCHEMA: the spec's rules, every violation on a line of its own
validate() {
	"$PY" - "$1" "$2" <<-'EOF'
		import json, sys
		from jsonschema import Draft202012Validator
		meta = json.load(open(sys.argv[1], encoding="utf-8"))
		schema = json.load(open(sys.argv[2], encoding="utf-8"))
		errors = sorted(Draft202012Validator(schema).iter_errors(meta), key=lambda e: list(e.absolute_path))
		for e in errors:
		    print("  %s: %s" % ("/".join(str(p) for p in e.absolute_path) or "(top)", e.message))
		sys.exit(1 if errors else 0)
	EOF
}

# field META PATH...: a value of META.json, as JSON text ("null" if absent)
field() {
	"$PY" - "$@" <<-'EOF'
		import json, sys
		v = json.load(open(sys.argv[1], encoding="utf-8"))
		for k in sys.argv[2:]:
		    v = v.get(k) if isinstance(v, dict) else None
		print(v if isinstance(v, str) else json.dumps(v))
	EOF
}

schema=$ROOT/test/pgxn-meta-schema.json
meta=$ROOT/META.json
work=$(mktemp -d /tmp/subsidy-meta.XXXXXX)
trap 'rm -rf "$work"' EXIT

check "the schema is a valid JSON Schema (draft 2020-12)" "$PY" -c '
import json, sys
from jsonschema import Draft202012Validator
Draft202012Validator.check_schema(json.load(open(sys.argv[1], encoding="utf-8")))' "$schema"
if ! "$PY" -m json.tool "$meta" >/dev/null 2>"$work/json.err"; then
	fail "META.json is JSON: $(cat "$work/json.err")"
	checks_summary meta
	exit 1
fi
ok "META.json is JSON"
if validate "$meta" "$schema" >"$work/errors"; then
	ok "META.json follows the PGXN Meta Spec v1"
else
	fail "META.json follows the PGXN Meta Spec v1:"
	cat "$work/errors"
fi

# The schema has to refuse what the spec refuses: each of these breaks META.json in one way.
broken() { # broken NAME PYTHON: META.json changed by PYTHON (on dict m) must not validate
	"$PY" -c "import json, sys
m = json.load(open(sys.argv[1], encoding='utf-8'))
$2
json.dump(m, open(sys.argv[2], 'w'), ensure_ascii=False)" "$meta" "$work/broken.json"
	if validate "$work/broken.json" "$schema" >/dev/null; then
		fail "the schema refuses $1"
	else
		ok "the schema refuses $1"
	fi
}
broken "a META.json without name" 'del m["name"]'
broken "a version that is not SemVer (1.2)" 'm["version"] = "1.2"'
broken "an unknown license name" 'm["license"] = "PostgreSQL License"'
broken "an extension without version" 'del m["provides"]["subsidy"]["version"]'
broken "a meta-spec other than 1.0.x" 'm["meta-spec"]["version"] = "2.0.0"'
broken "an unknown top-level key" 'm["homepage"] = "https://example.org/"'
broken "a malformed version range" 'm["prereqs"] = {"runtime": {"requires": {"PostgreSQL": ">= 15"}}}'
broken "a release status outside the three" 'm["release_status"] = "final"'

# What it says against what the build does.
v=$(field "$meta" name)
check "name is the extension's ($extension)" test "$v" = "$extension"
v=$(field "$meta" version)
check "version $v is EXTVERSION $extversion as SemVer ($semver)" test "$v" = "$semver"
v=$(field "$meta" provides "$extension" version)
check "provides.$extension.version $v is $semver" test "$v" = "$semver"
check "$extension.control's default_version $default_version is EXTVERSION $extversion" \
	test "$default_version" = "$extversion"
tracked() { git -C "$ROOT" ls-files --error-unmatch -- "$1" >/dev/null 2>&1; }
for key in file docfile; do
	path=$(field "$meta" provides "$extension" "$key")
	check "provides.$extension.$key $path is a file of the repository" tracked "$path"
done
v=$(field "$meta" prereqs runtime requires PostgreSQL)
if [ -n "$oldest_major" ]; then
	check "it requires PostgreSQL $v, the oldest major debian/pgversions builds for ($oldest_major+)" \
		test "$v" = "$oldest_major.0.0"
fi
# ICU is no PGXN distribution, so the spec has no key for it: a custom one (x_system) says it
for phase in build runtime; do
	check "its $phase prerequisites name ICU (prereqs.$phase.x_system)" grep -q ICU <<<"$(field "$meta" prereqs "$phase" x_system)"
done
check "its license is the Debian package's (debian/copyright: PostgreSQL)" \
	grep -q '^License: PostgreSQL$' "$ROOT/debian/copyright"
if ! git -C "$ROOT" cat-file -e HEAD:META.json 2>/dev/null; then
	echo "note: META.json is not committed yet; make dist archives HEAD and will refuse to run without it"
fi

# The zip, if given: everything under subsidy-<semver>/, its META.json valid and of that
# version, and nothing built, generated or left over from a run.
if [ -n "$ZIP" ]; then
	prefix=$extension-$semver
	check "$(basename "$ZIP") is named $prefix.zip" test "$(basename "$ZIP")" = "$prefix.zip"
	unzip -Z1 "$ZIP" >"$work/list"
	check "every entry of the zip is under $prefix/" test -z "$(grep -v "^$prefix/" "$work/list")"
	check "the zip has $prefix/META.json" grep -qx "$prefix/META.json" "$work/list"
	if unzip -p "$ZIP" "$prefix/META.json" >"$work/zip-meta.json" 2>/dev/null; then
		check "the zip's META.json follows the spec" validate "$work/zip-meta.json" "$schema"
		check "the zip's META.json says version $semver" test "$(field "$work/zip-meta.json" version)" = "$semver"
	fi
	for f in Makefile "$extension.control" README.md; do
		check "the zip has $prefix/$f" grep -qx "$prefix/$f" "$work/list"
	done
	stray=$(grep -E '\.(o|so|bc|a|zip|deb|orig|rej)$|/perf\.data|/regression\.(diffs|out)$|/results/|/tmp_check/|/output_iso/|/log/|'"/$extension--$extversion\.sql$" "$work/list" || true)
	check "no build products or leftovers in the zip${stray:+: $(echo $stray)}" test -z "$stray"
fi

checks_summary meta
[ "$failed" -eq 0 ]
