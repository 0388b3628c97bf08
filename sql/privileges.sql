-- privileges: every right the catalog grants on every object of the extension, to PUBLIC, to a
-- login with no role, and to each of the six roles (DOMAIN sections 2 and 11).  The expected
-- output is the declared matrix: an object added, or a right granted, without thinking
-- changes it and fails this test.
--
-- Tables and views: r SELECT, a INSERT, w UPDATE, d DELETE, D TRUNCATE, x REFERENCES,
-- t TRIGGER; a right on some columns only is the right with the columns, r(uscc,name).
-- Sequences: U USAGE, r SELECT, w UPDATE.  Routines: X EXECUTE.  Types: U USAGE.  Schema: U C.
-- A dash: nothing.
SET client_min_messages = warning;
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'regress_privileges_nobody') THEN
    CREATE ROLE regress_privileges_nobody LOGIN;
  END IF;
END $$;
RESET client_min_messages;

CREATE FUNCTION pg_temp.rel_rights(rel oid, who name) RETURNS text LANGUAGE sql AS $$
  WITH r(p, c) AS (VALUES ('SELECT', 'r'), ('INSERT', 'a'), ('UPDATE', 'w'), ('DELETE', 'd'),
                          ('TRUNCATE', 'D'), ('REFERENCES', 'x'), ('TRIGGER', 't'))
  SELECT coalesce(nullif(string_agg(
           CASE WHEN has_table_privilege(who, rel, r.p) THEN r.c
                WHEN r.p IN ('SELECT', 'INSERT', 'UPDATE', 'REFERENCES') THEN
                  (SELECT r.c || '(' || string_agg(a.attname, ',' ORDER BY a.attnum) || ')'
                     FROM pg_attribute a
                    WHERE a.attrelid = rel AND a.attnum > 0 AND NOT a.attisdropped
                      AND has_column_privilege(who, rel, a.attnum, r.p))
           END, ' ' ORDER BY r.c), ''), '-')
    FROM r
$$;
CREATE FUNCTION pg_temp.public_rights(acl aclitem[], kind "char", owner oid) RETURNS text LANGUAGE sql AS $$
  SELECT coalesce(string_agg(DISTINCT x.privilege_type, ',' ORDER BY x.privilege_type), '-')
    FROM aclexplode(coalesce(acl, acldefault(kind, owner))) x
   WHERE x.grantee = 0
$$;

\pset format unaligned
-- The schema.
SELECT n.nspname AS schema, pg_temp.public_rights(n.nspacl, 'n', n.nspowner) AS "PUBLIC",
       (SELECT string_agg(r || ':' || concat(CASE WHEN has_schema_privilege(r, n.oid, 'USAGE') THEN 'U' END,
                                             CASE WHEN has_schema_privilege(r, n.oid, 'CREATE') THEN 'C' END), ' ' ORDER BY r)
          FROM unnest(ARRAY['regress_privileges_nobody', 'subsidy_applicant', 'subsidy_agency', 'subsidy_hrss',
                            'subsidy_finance', 'subsidy_reader', 'subsidy_admin']) AS r) AS roles
  FROM pg_namespace n WHERE n.nspname IN ('subsidy', 'subsidy_report') ORDER BY n.nspname;

-- Tables, views and sequences.
SELECT CASE WHEN c.relnamespace = 'subsidy'::regnamespace THEN c.relname::text ELSE c.oid::regclass::text END AS relation,
       c.relkind AS kind,
       pg_temp.public_rights(c.relacl, (CASE c.relkind WHEN 'S' THEN 's' ELSE 'r' END)::"char", c.relowner) AS "PUBLIC",
       CASE WHEN c.relkind = 'S' THEN
         (SELECT coalesce(nullif(concat(CASE WHEN has_sequence_privilege('regress_privileges_nobody', c.oid, 'USAGE') THEN 'U' END), ''), '-'))
       ELSE pg_temp.rel_rights(c.oid, 'regress_privileges_nobody') END AS nobody,
       pg_temp.rel_rights(c.oid, 'subsidy_applicant') AS applicant,
       pg_temp.rel_rights(c.oid, 'subsidy_agency') AS agency,
       pg_temp.rel_rights(c.oid, 'subsidy_hrss') AS hrss,
       pg_temp.rel_rights(c.oid, 'subsidy_finance') AS finance,
       pg_temp.rel_rights(c.oid, 'subsidy_reader') AS reader,
       pg_temp.rel_rights(c.oid, 'subsidy_admin') AS admin
  FROM pg_class c
 WHERE c.relnamespace IN ('subsidy'::regnamespace, 'subsidy_report'::regnamespace) AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
 ORDER BY c.relnamespace::regnamespace::text, c.relkind, c.relname;

-- Functions and procedures: who may execute them (X).
SELECT p.oid::regprocedure AS routine,
       pg_temp.public_rights(p.proacl, 'f', p.proowner) AS "PUBLIC",
       concat_ws(' ', CASE WHEN has_function_privilege('subsidy_applicant', p.oid, 'EXECUTE') THEN 'applicant' END,
                      CASE WHEN has_function_privilege('subsidy_agency', p.oid, 'EXECUTE') THEN 'agency' END,
                      CASE WHEN has_function_privilege('subsidy_hrss', p.oid, 'EXECUTE') THEN 'hrss' END,
                      CASE WHEN has_function_privilege('subsidy_finance', p.oid, 'EXECUTE') THEN 'finance' END,
                      CASE WHEN has_function_privilege('subsidy_reader', p.oid, 'EXECUTE') THEN 'reader' END,
                      CASE WHEN has_function_privilege('subsidy_admin', p.oid, 'EXECUTE') THEN 'admin' END) AS roles,
       p.prosecdef AS definer
  FROM pg_proc p
 WHERE p.pronamespace IN ('subsidy'::regnamespace, 'subsidy_report'::regnamespace)
 ORDER BY p.oid::regprocedure::text;

-- Types (every type is usable by anyone: a type names a shape, and grants no data).
SELECT t.oid::regtype AS type, pg_temp.public_rights(t.typacl, 'T', t.typowner) AS "PUBLIC"
  FROM pg_type t
 WHERE t.typnamespace IN ('subsidy'::regnamespace, 'subsidy_report'::regnamespace) AND t.typcategory <> 'A'
   AND (t.typrelid = 0 OR (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')
 ORDER BY t.oid::regtype::text;

-- Nothing of the extension runs with its owner's rights.
SELECT count(*) AS security_definer FROM pg_proc
 WHERE pronamespace IN ('subsidy'::regnamespace, 'subsidy_report'::regnamespace) AND prosecdef;
-- Every table that holds a region's rows applies row-level security.
SELECT c.relname AS table_without_row_security
  FROM pg_class c
 WHERE c.relnamespace = 'subsidy'::regnamespace AND c.relkind = 'r' AND NOT c.relrowsecurity
 ORDER BY 1;
-- Every view applies the caller's row-level security.
SELECT c.relname AS view_with_owner_rights
  FROM pg_class c
 WHERE c.relnamespace IN ('subsidy'::regnamespace, 'subsidy_report'::regnamespace) AND c.relkind = 'v'
   AND NOT coalesce(c.reloptions @> ARRAY['security_invoker=true'], false)
 ORDER BY 1;

-- The reports schema holds only what a reader may read: every relation in it is readable by
-- subsidy_reader, in full (R1-R4, issue 13).
SELECT c.relname AS report_the_reader_may_not_read
  FROM pg_class c
 WHERE c.relnamespace = 'subsidy_report'::regnamespace AND c.relkind <> 'c'
   AND NOT has_table_privilege('subsidy_reader', c.oid, 'SELECT')
 ORDER BY 1;

DROP ROLE regress_privileges_nobody;
