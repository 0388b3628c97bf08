-- install: the extension installs into its own schema, which it owns.
CREATE EXTENSION subsidy;
SELECT e.extname, e.extversion, n.nspname AS schema, e.extrelocatable
  FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
 WHERE e.extname = 'subsidy';
-- the schema named in subsidy.control is made by PostgreSQL before the script runs, and is
-- not a member; the reports schema (subsidy_report) is the script's own: DROP EXTENSION
-- removes it
SELECT n.nspname AS member_schema
  FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid JOIN pg_namespace n ON n.oid = d.objid
 WHERE e.extname = 'subsidy' AND d.classid = 'pg_namespace'::regclass AND d.deptype = 'e';
-- a second CREATE is refused, and IF NOT EXISTS is quiet
CREATE EXTENSION subsidy;
CREATE EXTENSION IF NOT EXISTS subsidy;
