#!/usr/bin/env bash
# The README's "Getting started" must run as written.  Run its SQL blocks, in order, in a
# fresh database of the cluster the caller started, and check that every line of each
# output block shown right after a SQL block appears in what psql printed (headers, rules
# and "..." aside).  Usage (after start_cluster): bash test/readme.sh
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d /tmp/subsidy-readme.XXXXXX)
trap 'rm -rf "$work"; psql -X -q -d postgres -c "DROP DATABASE IF EXISTS subsidy_readme" 2>/dev/null || true' EXIT

awk -v sql="$work/example.sql" -v shown="$work/shown.txt" '
	/^## / { in_section = ($0 == "## Getting started"); next }
	!in_section { next }
	/^```sql$/ { block = "sql"; next }
	/^```$/ && block == "" { block = (last == "sql" ? "shown" : "prose"); n = 0; next }
	/^```$/ {
		if (block == "shown")
			for (i = 1; i <= n; i++) {
				if (lines[i + 1] ~ /^-+$/) continue              # a column header
				if (lines[i] ~ /^-+$/ || lines[i] ~ /^[ ]*\.\.\.[ ]*$/ || lines[i] ~ /^\([0-9]+ rows?\)$/) continue
				line = lines[i]; sub(/^ +/, "", line); sub(/[ +]+$/, "", line)
				if (line != "") print line > shown
			}
		delete lines; last = block; block = ""; next
	}
	block == "sql" { print > sql; next }
	block == "shown" { lines[++n] = $0; next }
	block == "" && NF { last = "text" }
' "$ROOT/README.md"

psql -X -q -d postgres -c "CREATE DATABASE subsidy_readme"
psql -X -At -v ON_ERROR_STOP=1 -d subsidy_readme -f "$work/example.sql" > "$work/printed.txt"
missing=0
while IFS= read -r line; do
	if ! grep -qF -- "$line" "$work/printed.txt"; then
		echo "README shows a line that the example did not print: $line" >&2
		missing=$((missing + 1))
	fi
done < "$work/shown.txt"
echo "README example: $(grep -c '' "$work/example.sql") lines of SQL run, $(grep -c '' "$work/shown.txt") lines of output checked, $missing missing"
[ "$missing" -eq 0 ]
