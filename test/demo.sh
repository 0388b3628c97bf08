#!/usr/bin/env bash
# The README's main-job command: installs what is missing, builds, starts a throwaway
# cluster, runs the demonstration on sample data, and stops and removes the cluster.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_packages "${BASE_PACKAGES[@]}"
build_and_install
start_cluster

say "the subsidy extension on sample data"
psql -X -v ON_ERROR_STOP=1 -q -f "$ROOT/test/demo.sql"
