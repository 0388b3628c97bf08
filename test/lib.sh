# test/lib.sh: sourced by the README's commands (test/demo.sh, test/test-all.sh) and the
# benchmarks.  It installs what a fresh Debian 12 machine lacks, builds and installs the
# extension, and runs a throwaway cluster in a temporary directory on a free port that is
# stopped and removed on every exit, failed steps included.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# An empty environment (env -i, cron, a fresh root) leaves root without the sbin directories
# where runuser and the packages' tools live.
export PATH="${PATH:-/usr/bin:/bin}:/usr/local/sbin:/usr/sbin:/sbin"
PG_MAJOR=${PG_MAJOR:-15}
export PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/$PG_MAJOR/bin/pg_config}

say() { printf '\n== %s\n' "$*"; }

# Work to do on every exit, failures and interrupts included: the cluster is stopped
# first, then the hooks that callers add with at_exit, in order.
EXIT_HOOKS=(stop_cluster)
at_exit() { EXIT_HOOKS+=("$@"); }
run_exit_hooks() {
	local status=$? hook
	for hook in "${EXIT_HOOKS[@]}"; do "$hook" || true; done
	exit $status
}
trap run_exit_hooks EXIT
trap 'exit 130' INT TERM

# Packages every command needs: the server, its build kit, ICU, a compiler.
BASE_PACKAGES=(make gcc libc6-dev postgresql-$PG_MAJOR postgresql-server-dev-$PG_MAJOR libicu-dev gettext)
# What the ODBC suite needs: the driver manager, its headers, and the PostgreSQL driver.
ODBC_PACKAGES=(unixodbc unixodbc-dev odbc-postgresql)
# What PostgreSQL's TAP framework needs besides the server's build kit.
TAP_PACKAGES=(libipc-run-perl)

# ensure_packages PKG...: apt-get install those not installed yet (as root).
ensure_packages() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		echo "missing Debian packages: ${missing[*]}; run this command as root to install them" >&2
		return 1
	fi
	say "installing ${missing[*]}"
	# Keep the packages' own service from starting: the commands use their own cluster.
	local policy_added=
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
		chmod +x /usr/sbin/policy-rc.d
		policy_added=1
	fi
	# apt's and debconf's chatter goes to a log, shown only if the installation fails
	local log status=0
	log=$(mktemp /tmp/subsidy-apt.XXXXXX)
	{ DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; } \
		>"$log" 2>&1 || status=$?
	[ -n "$policy_added" ] && rm -f /usr/sbin/policy-rc.d
	[ $status -ne 0 ] && { cat "$log" >&2; echo "could not install: ${missing[*]}" >&2; }
	rm -f "$log"
	return $status
}

# ensure_locale LOCALE: the operating system's locale that lc_messages names (zh_CN.UTF-8 for
# the Chinese messages) exists, generating it as root if it does not.
ensure_locale() {
	local want=$1 short
	short=$(echo "$want" | sed 's/UTF-8$/utf8/')
	locale -a 2>/dev/null | grep -qix "$short" && return 0
	if [ "$(id -u)" -ne 0 ]; then
		echo "the locale $want does not exist; run this command as root to generate it" >&2
		return 1
	fi
	ensure_packages locales || return 1
	say "generating the locale $want"
	grep -q "^$want " /etc/locale.gen 2>/dev/null || echo "$want UTF-8" >> /etc/locale.gen
	sed -i "s/^# *$want /$want /" /etc/locale.gen
	locale-gen "$want" >/dev/null 2>&1 || locale-gen >/dev/null
	locale -a 2>/dev/null | grep -qix "$short"
}

# build_and_install [MAKE ARGS...]: compile (warnings are errors) and install the extension.
build_and_install() {
	say "building and installing subsidy"
	make -C "$ROOT" -s PG_CONFIG="$PG_CONFIG" COPT=-Werror "$@" >/dev/null
	make -C "$ROOT" -s PG_CONFIG="$PG_CONFIG" install >/dev/null
}

PG_BIN=$("$PG_CONFIG" --bindir 2>/dev/null || echo /usr/lib/postgresql/$PG_MAJOR/bin)

# The server refuses to run as root: as root, run it as the packages' postgres user.
as_server_user() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

port_is_free() {
	! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

CLUSTER_DIR=
stop_cluster() {
	if [ -n "$CLUSTER_DIR" ] && [ -d "$CLUSTER_DIR" ]; then
		if [ -f "$CLUSTER_DIR/data/postmaster.pid" ]; then
			as_server_user "$PG_BIN/pg_ctl" -D "$CLUSTER_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
		fi
		rm -rf "$CLUSTER_DIR"
	fi
	CLUSTER_DIR=
}

# start_cluster: initdb and start a server; exports PGHOST, PGPORT, PGUSER, PGDATABASE.
# Extra postgresql.conf lines may come in CLUSTER_CONF.
start_cluster() {
	init_cluster && launch_cluster
}

# init_cluster: the data directory of start_cluster, not started yet (CLUSTER_DIR is set, so
# that a caller can put its own files there before launch_cluster).
init_cluster() {
	CLUSTER_DIR=$(mktemp -d /tmp/subsidy-cluster.XXXXXX)
	[ "$(id -u)" -eq 0 ] && chown postgres: "$CLUSTER_DIR"
	as_server_user "$PG_BIN/initdb" -D "$CLUSTER_DIR/data" -U postgres -A trust \
		-E UTF8 --locale=C.UTF-8 >"$CLUSTER_DIR/initdb.log" 2>&1 ||
		{ cat "$CLUSTER_DIR/initdb.log"; return 1; }
	cat >>"$CLUSTER_DIR/data/postgresql.conf" <<-EOF
		listen_addresses = '127.0.0.1'
		unix_socket_directories = '$CLUSTER_DIR'
		lc_messages = 'C'
		fsync = off
		max_prepared_transactions = 10
		shared_preload_libraries = 'subsidy'
		${CLUSTER_CONF:-}
	EOF
}

# launch_cluster [SERVER [TIMEOUT]]: start init_cluster's server on a free port, with SERVER
# as the postgres program (pg_ctl -p; default the installed one), waiting up to TIMEOUT seconds.
launch_cluster() {
	local server=${1:-$PG_BIN/postgres} timeout=${2:-60} port tries=0
	while :; do
		port=$((20000 + RANDOM % 30000))
		if port_is_free "$port" &&
			as_server_user "$PG_BIN/pg_ctl" -D "$CLUSTER_DIR/data" -p "$server" -o "-p $port" \
				-l "$CLUSTER_DIR/server.log" -w -t "$timeout" start >/dev/null 2>&1; then
			break
		fi
		tries=$((tries + 1))
		if [ $tries -ge 10 ]; then
			cat "$CLUSTER_DIR/server.log" >&2 || true
			echo "could not start a throwaway cluster" >&2
			return 1
		fi
	done
	export PGHOST=$CLUSTER_DIR PGPORT=$port PGUSER=postgres PGDATABASE=postgres
	say "throwaway cluster running in $CLUSTER_DIR on port $port"
}

# Benchmarks' helpers.  best_times DB SETUP SQL...: each SQL run in turn, $REPEAT rounds, in
# one session; prints the best time of each, in milliseconds, space-separated.  Timed inside
# the server, so that client round trips do not count; SETUP (a SET, say; may be empty) runs
# first, untimed.  Taking turns, queries that are compared meet the same spells of a noisy
# machine, so that their ratio is not a measure of when each happened to run.
best_times() {
	local db=$1 setup=() queries=() q
	[ -n "$2" ] && setup=(-c "$2")
	shift 2
	for q in "$@"; do queries+=("\$q\$$q\$q\$"); done
	psql -X -q -At -d "$db" -v ON_ERROR_STOP=1 "${setup[@]}" -c "
		CREATE OR REPLACE FUNCTION pg_temp.best(qs text[], n integer) RETURNS text LANGUAGE plpgsql AS \$\$
		DECLARE t0 timestamptz; best numeric[] := array_fill(NULL::numeric, ARRAY[cardinality(qs)]);
		BEGIN
		  FOR i IN 1..n LOOP
		    FOR k IN 1..cardinality(qs) LOOP
		      t0 := clock_timestamp();
		      EXECUTE qs[k];
		      best[k] := least(best[k], extract(epoch FROM clock_timestamp() - t0) * 1000);
		    END LOOP;
		  END LOOP;
		  RETURN (SELECT string_agg(round(b, 1)::text, ' ' ORDER BY k) FROM unnest(best) WITH ORDINALITY AS u(b, k));
		END \$\$;" -c "SELECT pg_temp.best(ARRAY[$(IFS=,; echo "${queries[*]}")], ${REPEAT:-5})"
}

# best_ms DB SQL [SETUP]: the best time of SQL alone.
best_ms() { best_times "$1" "${3:-}" "$2"; }

# ratio A B: A / B to two decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
