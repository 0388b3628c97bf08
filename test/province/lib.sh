# test/province/lib.sh: sourced by the suite of several databases (test/province/run.sh) and its
# benchmark (test/bench/province.sh).  Starts clusters of its own on loopback, one a region
# database or the province's, each in a directory under $TMPDIR (default /tmp)/subsidy-province.XXXXXX with its socket
# there, on ports from PROVINCE_PORT_BASE (default: the first free ones from 25520); stops
# and removes them on every exit.  Needs test/lib.sh sourced first.

PROVINCE_DIR=$(mktemp -d "${TMPDIR:-/tmp}/subsidy-province.XXXXXX")
chmod 755 "$PROVINCE_DIR"
[ "$(id -u)" -eq 0 ] && chown postgres: "$PROVINCE_DIR"
PROVINCE_CLUSTERS=()
PROVINCE_NEXT_PORT=${PROVINCE_PORT_BASE:-25520}

stop_province_clusters() {
	local name
	for name in "${PROVINCE_CLUSTERS[@]}"; do
		# a cluster stopped with SIGSTOP by a test must be able to hear the stop
		[ -f "$PROVINCE_DIR/$name/postmaster.pid" ] &&
			kill -CONT "$(head -1 "$PROVINCE_DIR/$name/postmaster.pid")" 2>/dev/null
		as_server_user "$PG_BIN/pg_ctl" -D "$PROVINCE_DIR/$name" -m immediate -w stop >/dev/null 2>&1 || true
	done
	rm -rf "$PROVINCE_DIR"
}
at_exit stop_province_clusters

# cluster_port NAME: the port of a cluster started by start_province_cluster.
cluster_port() { cat "$PROVINCE_DIR/$1.port"; }

# start_province_cluster NAME [CONF]: initdb and start a small cluster; local connections
# trust the server's user, TCP ones on loopback ask every login for its password (as a
# region's database asks the province's reader: postgres_fdw needs a password from a login
# that is not a superuser).
start_province_cluster() {
	local name=$1 conf=${2:-} data="$PROVINCE_DIR/$1" port
	while ! port_is_free "$PROVINCE_NEXT_PORT"; do PROVINCE_NEXT_PORT=$((PROVINCE_NEXT_PORT + 1)); done
	port=$PROVINCE_NEXT_PORT
	PROVINCE_NEXT_PORT=$((PROVINCE_NEXT_PORT + 1))
	as_server_user "$PG_BIN/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
		>"$PROVINCE_DIR/$name.initdb.log" 2>&1 || { cat "$PROVINCE_DIR/$name.initdb.log"; return 1; }
	cat >"$data/pg_hba.conf" <<-EOF
		local all all trust
		host all postgres 127.0.0.1/32 trust
		host all all 127.0.0.1/32 scram-sha-256
	EOF
	cat >>"$data/postgresql.conf" <<-EOF
		listen_addresses = '127.0.0.1'
		port = $port
		unix_socket_directories = '$PROVINCE_DIR'
		lc_messages = 'C'
		fsync = off
		synchronous_commit = off
		full_page_writes = off
		max_connections = 30
		shared_buffers = ${PROVINCE_SHARED_BUFFERS:-64MB}
		shared_preload_libraries = 'subsidy'
		$conf
	EOF
	echo "$port" >"$PROVINCE_DIR/$name.port"
	PROVINCE_CLUSTERS+=("$name")
	as_server_user "$PG_BIN/pg_ctl" -D "$data" -l "$PROVINCE_DIR/$name.log" -w -t 60 start >/dev/null ||
		{ cat "$PROVINCE_DIR/$name.log"; return 1; }
}

# pq NAME DB ARGS...: psql as the server's user on a cluster's socket.
pq() {
	local name=$1 db=$2
	shift 2
	psql -X -At -v ON_ERROR_STOP=1 -h "$PROVINCE_DIR" -p "$(cluster_port "$name")" -U postgres -d "$db" "$@"
}

# region_year NAME DB APPLICATIONS REGIONS YEAR [STAGE]: a year of the sample province's pools
# REGIONS (comma-separated) in a database, through the extension's own steps (test/sample).
region_year() {
	PGOPTIONS='-c client_min_messages=warning' pq "$1" "$2" -q -v applications="$3" -v regions="$4" \
		-v year="$5" -v stage="${6:-closed}" -f "$ROOT/test/sample/province.sql" >/dev/null
}

# region_database NAME REGIONS APPLICATIONS: a cluster with database subsidy holding a year of
# its pools, and the province's reader login there (subsidy_reader, mapped to those pools).
region_database() {
	local name=$1 regions=$2 applications=$3 r
	start_province_cluster "$name" || return 1
	pq "$name" postgres -q -c "CREATE DATABASE subsidy" &&
		pq "$name" subsidy -q -c "CREATE EXTENSION subsidy" &&
		region_year "$name" subsidy "$applications" "$regions" 2019 || return 1
	pq "$name" subsidy -q -c "CREATE ROLE province_reader LOGIN PASSWORD 'province-secret' IN ROLE subsidy_reader" || return 1
	for r in ${regions//,/ }; do
		pq "$name" subsidy -q -c "INSERT INTO subsidy.staff_region (staff, region) VALUES ('province_reader', '$r')" || return 1
	done
}

# region_entry NAME REGIONS [EXTRA JSON]: connect_regions' entry for a region cluster.
region_entry() {
	local regions
	regions=$(echo "$2" | sed -E 's/([^,]+)/"\1"/g')
	printf '{"name": "%s", "regions": [%s], "host": "127.0.0.1", "port": "%s", "dbname": "subsidy", "user": "province_reader", "password": "province-secret"%s}' \
		"$1" "$regions" "$(cluster_port "$1")" "${3:+, $3}"
}
