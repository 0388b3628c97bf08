#!/usr/bin/env bash
# Backup and restore: pg_dump a database in the middle of a year (applications published,
# a trail of thousands of audit entries, local parameters, calendar days and staff), restore
# it into a new database with pg_restore, and check that every row of every table of the
# extension came back, that the audit chains still verify, and that the year then runs on to
# its close in the restored database.  Run by test/test-all.sh on its cluster (PGHOST, PGPORT
# set); prints "ok   NAME" / "FAIL NAME" per check.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d /tmp/subsidy-backup.XXXXXX)
chmod 777 "$work"
src=subsidy_backup_src
dst=subsidy_backup_dst
trap 'rm -rf "$work"; psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $src" -c "DROP DATABASE IF EXISTS $dst" 2>/dev/null' EXIT
source "$ROOT/test/checks.sh"
q() { psql -X -At -v ON_ERROR_STOP=1 -d "$@"; }

psql -X -q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $src" -c "DROP DATABASE IF EXISTS $dst" -c "CREATE DATABASE $src"
q $src -c "CREATE EXTENSION subsidy" >/dev/null
PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 -d $src -v applications=600 \
	-v stage=published -v keep=1 -f "$ROOT/test/sample/province.sql" >/dev/null || { echo "FAIL backup: sample data"; exit 1; }
# What a region adds of its own: a parameter override, a calendar day, staff and a relation.
q $src >/dev/null <<-'SQL'
	INSERT INTO subsidy.policy_region (year, region, fund_cover_months, note) VALUES (2020, '220100', 10, '长春市人社局 2020 年第 3 号');
	INSERT INTO subsidy.calendar (day, is_off_day, name) VALUES ('2027-01-01', true, '元旦');
	DO $$ BEGIN
	  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'regress_backup_hrss') THEN
	    CREATE ROLE regress_backup_hrss IN ROLE subsidy_hrss;
	  END IF;
	END $$;
	INSERT INTO subsidy.staff_region (staff, region) VALUES ('regress_backup_hrss', '220100');
	INSERT INTO subsidy.staff_relation (staff, uscc, relation)
	SELECT 'regress_backup_hrss', uscc, '配偶任该企业财务负责人' FROM subsidy.enterprise ORDER BY uscc LIMIT 1;
SQL

# Every table of the extension is either dumped whole or shipped with it (audit_chain holds
# a lock row per region, made again on first use; restore_in_progress and the spot checks'
# secret are this database's own).
undumped() {
	[ -z "$(q $src -c "SELECT c.oid::regclass FROM pg_class c
	        WHERE c.relnamespace = 'subsidy'::regnamespace AND c.relkind IN ('r', 'S')
	          AND c.oid NOT IN ('subsidy.audit_chain'::regclass, 'subsidy.restore_in_progress'::regclass,
	                            'subsidy.spot_check_secret'::regclass)
	          AND c.oid <> ALL ((SELECT extconfig FROM pg_extension WHERE extname = 'subsidy')::oid[])")" ]
}
check "backup: every table of the extension is in what pg_dump keeps" undumped

# The heads kept outside, as the province holds them from the last report batch.
heads=$(q $src -c "SELECT jsonb_agg(h) FROM subsidy.audit_heads() h")
pg_dump -Fc -f "$work/subsidy.dump" $src || { echo "FAIL backup: pg_dump"; exit 1; }
psql -X -q -d postgres -c "CREATE DATABASE $dst"
# Restoring is the superuser's explicit act (README, "Backup and restore"): the schema, then
# begin_restore, the data (the guards take the rows as they were dumped, and the audit log
# only entries that hash to their contents), the indexes and constraints, and finish_restore,
# which checks what was loaded against the heads kept outside and logs the restore.
restored() {
	pg_restore --exit-on-error --section=pre-data -d $dst "$work/subsidy.dump" &&
	q $dst -c "SELECT subsidy.begin_restore()" >/dev/null &&
	pg_restore --exit-on-error --section=data -d $dst "$work/subsidy.dump" &&
	pg_restore --exit-on-error --section=post-data -d $dst "$work/subsidy.dump" &&
	q $dst -c "CALL subsidy.finish_restore('$heads')"
} 2>"$work/restore.log"
check "backup: pg_restore and finish_restore without an error" restored
[ -s "$work/restore.log" ] && cat "$work/restore.log"

# Every table, row for row.
for table in $(q $src -c "SELECT c.oid::regclass FROM pg_class c WHERE c.relnamespace = 'subsidy'::regnamespace
                           AND c.relkind = 'r' AND c.oid <> 'subsidy.spot_check_secret'::regclass ORDER BY 1"); do
	same_rows() {
		local a b
		# the restored log has one more entry per chain: the restore's own
		local only="true"
		[ "$1" = subsidy.audit_log ] && only="t.action <> 'restore'"
		a=$(q $src -c "SELECT count(*) || ' ' || md5(coalesce(string_agg(t::text, E'\n' ORDER BY t::text), '')) FROM $1 t WHERE $only")
		b=$(q $dst -c "SELECT count(*) || ' ' || md5(coalesce(string_agg(t::text, E'\n' ORDER BY t::text), '')) FROM $1 t WHERE $only")
		[ "$a" = "$b" ] && [ -n "$a" ]
	}
	rows=$(q $src -c "SELECT count(*) FROM $table")
	check "backup: $table, $rows rows, all back" same_rows "$table"
done
# (No counter to restore: a region's next number is read from its rows, so the restored database
# numbers on where the source left off, as the year's run below does.)
chain() { [ "$(q $dst -c "SELECT count(*) FROM subsidy.verify_audit('$heads')")" = 0 ]; }
check "backup: the restored audit chains verify against the heads kept outside" chain
logged() {
	[ "$(q $dst -c "SELECT count(DISTINCT region) FROM subsidy.audit_log WHERE action = 'restore'")" = \
	  "$(q $src -c "SELECT count(DISTINCT region) FROM subsidy.audit_log")" ]
}
check "backup: the restore is logged in every chain" logged

# The year runs on in the restored database: clear, pay, report, freeze, close.
run_on() {
	for step in 08_clear 09_pay 10_report 11_freeze 12_close; do
		PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 -d $dst \
			-f "$ROOT/test/sample/steps/$step.sql" >"$work/$step.log" 2>&1 || { cat "$work/$step.log"; return 1; }
	done
	[ "$(q $dst -c "SELECT count(*) FROM subsidy.closed_year WHERE year = 2019")" = 1 ] &&
		[ "$(q $dst -c "SELECT count(*) FROM subsidy.verify_audit()")" = 0 ]
}
check "backup: the restored year runs on to its close, its trail intact" run_on

checks_summary backup
[ "$failed" -eq 0 ]
