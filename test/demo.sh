#!/usr/bin/env bash
# The README's main-job command: installs what is missing, builds, starts a throwaway
# cluster, runs two years on a province shaped like Jilin (one of the 护航行动 on
# applications, one later year in screening mode, 免申即享, over the same units), prints what
# a person wants to see at the end of each, and stops and removes the cluster.
#
#   bash test/demo.sh                    # about 20,000 applications, as many units screened
#   APPLICATIONS=200000 bash test/demo.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

APPLICATIONS=${APPLICATIONS:-20000}
YEAR=${YEAR:-2019}
SCREENING_YEAR=${SCREENING_YEAR:-2022}

ensure_packages "${BASE_PACKAGES[@]}"
build_and_install
start_cluster

say "a province of $APPLICATIONS applications, subsidy year $YEAR, run from opening to closing"
psql -X -q -v ON_ERROR_STOP=1 -c "CREATE EXTENSION subsidy"
psql -X -q -v ON_ERROR_STOP=1 -v applications="$APPLICATIONS" -v year="$YEAR" -v stage=closed \
	-f "$ROOT/test/sample/province.sql" 2>&1 |
	sed -E -e '/NOTICE:  (publicity|report batch) [0-9]+ /d' -e 's/^psql:[^ ]*steps\/([0-9a-z_]+)\.sql:[0-9]+: /[\1] /'

say "the same province in $SCREENING_YEAR, paid without applications (免申即享): screened, confirmed, paid"
psql -X -q -v ON_ERROR_STOP=1 -v year="$SCREENING_YEAR" -v stage=closed \
	-f "$ROOT/test/sample/screening.sql" 2>&1 |
	sed -E -e '/NOTICE:  (publicity|report batch) [0-9]+ /d' -e 's/^psql:[^ ]*steps\/([0-9a-z_]+)\.sql:[0-9]+: /[\1] /'

say "what the year $YEAR came to"
psql -X -q -v ON_ERROR_STOP=1 -v year="$YEAR" -f "$ROOT/test/demo.sql"

say "what the screening year $SCREENING_YEAR came to, next to $YEAR"
psql -X -q -v ON_ERROR_STOP=1 -v year="$SCREENING_YEAR" -v apply_year="$YEAR" -f "$ROOT/test/demo_screening.sql"
