-- install: the extension installs into its own schema, which it owns.
CREATE EXTENSION subsidy;
SELECT e.extname, e.extversion, n.nspname AS schema, e.extrelocatable
  FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
 WHERE e.extname = 'subsidy';
-- the schema is the extension's: DROP EXTENSION removes it
SELECT count(*) AS schema_is_member
  FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
 WHERE e.extname = 'subsidy' AND d.classid = 'pg_namespace'::regclass AND d.deptype = 'e';
-- a second CREATE is refused, and IF NOT EXISTS is quiet
CREATE EXTENSION subsidy;
CREATE EXTENSION IF NOT EXISTS subsidy;
