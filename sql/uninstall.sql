-- uninstall: DROP EXTENSION removes every object of the extension.
-- The staff roles the tests made are cluster-wide: drop them first, as a DBA retiring
-- staff would (DROP OWNED revokes what was granted to them).
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT rolname FROM pg_roles WHERE rolname LIKE 'regress\_%' ORDER BY 1 LOOP
    EXECUTE format('DROP OWNED BY %I', r.rolname);
    EXECUTE format('DROP ROLE %I', r.rolname);
  END LOOP;
END $$;
DROP EXTENSION subsidy;
-- The six group roles stay: they are shared by every database of the cluster, and another
-- database's installation may still use them (a DBA drops them by hand when none does).
SELECT rolname FROM pg_roles WHERE rolname LIKE 'subsidy\_%' ORDER BY 1;
-- PostgreSQL created the schema named in subsidy.control before running the install
-- script and records it as something the extension depends on, not as a member, so it
-- stays, empty: DROP SCHEMA without CASCADE removes it.
SELECT n.nspname, count(d.objid) AS objects_in_it
  FROM pg_namespace n LEFT JOIN pg_depend d
    ON d.refclassid = 'pg_namespace'::regclass AND d.refobjid = n.oid
 WHERE n.nspname = 'subsidy' GROUP BY n.nspname;
DROP SCHEMA subsidy;
-- the reports schema was the extension's own, and went with it
SELECT count(*) AS report_schemas FROM pg_namespace WHERE nspname = 'subsidy_report';
SELECT count(*) AS types FROM pg_type WHERE typname = 'uscc';
SELECT count(*) AS functions FROM pg_proc WHERE probin LIKE '%subsidy%';

-- In a fresh database, CREATE EXTENSION then DROP EXTENSION (and DROP SCHEMA) returns
-- every catalog to what it was: compare each catalog's rows before and after.
\set regression_db :DBNAME
CREATE DATABASE subsidy_uninstall_check TEMPLATE template0;
\c subsidy_uninstall_check
\set catalog_rows 'SELECT catalog, row FROM (SELECT ''pg_class'' AS catalog, oid::text AS row FROM pg_class UNION ALL SELECT ''pg_type'', oid::text FROM pg_type UNION ALL SELECT ''pg_proc'', oid::text FROM pg_proc UNION ALL SELECT ''pg_namespace'', oid::text FROM pg_namespace UNION ALL SELECT ''pg_operator'', oid::text FROM pg_operator UNION ALL SELECT ''pg_opfamily'', oid::text FROM pg_opfamily UNION ALL SELECT ''pg_opclass'', oid::text FROM pg_opclass UNION ALL SELECT ''pg_amop'', oid::text FROM pg_amop UNION ALL SELECT ''pg_amproc'', oid::text FROM pg_amproc UNION ALL SELECT ''pg_cast'', oid::text FROM pg_cast UNION ALL SELECT ''pg_collation'', oid::text FROM pg_collation UNION ALL SELECT ''pg_constraint'', oid::text FROM pg_constraint UNION ALL SELECT ''pg_trigger'', oid::text FROM pg_trigger UNION ALL SELECT ''pg_event_trigger'', oid::text FROM pg_event_trigger UNION ALL SELECT ''pg_policy'', oid::text FROM pg_policy UNION ALL SELECT ''pg_rewrite'', oid::text FROM pg_rewrite UNION ALL SELECT ''pg_enum'', oid::text FROM pg_enum UNION ALL SELECT ''pg_default_acl'', oid::text FROM pg_default_acl UNION ALL SELECT ''pg_extension'', oid::text FROM pg_extension UNION ALL SELECT ''pg_description'', d::text FROM pg_description d UNION ALL SELECT ''pg_depend'', d::text FROM pg_depend d UNION ALL SELECT ''pg_init_privs'', p::text FROM pg_init_privs p UNION ALL SELECT ''pg_shdepend'', s::text FROM pg_shdepend s WHERE s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())) c ORDER BY 1, 2'
\pset tuples_only on
:catalog_rows \g results/catalog_before.txt
CREATE EXTENSION subsidy;
DROP EXTENSION subsidy;
DROP SCHEMA subsidy;
:catalog_rows \g results/catalog_after.txt
\pset tuples_only off
\! diff results/catalog_before.txt results/catalog_after.txt && echo "every catalog is as it was"
\c :regression_db
DROP DATABASE subsidy_uninstall_check;
