-- catalog: how every function of the extension is declared, and what every object says of
-- itself, in its schema and in the reports schema (subsidy_report).  A change of volatility,
-- strictness, parallel safety or search_path shows here.

\pset format unaligned
-- Every function: language, volatility (i immutable, s stable, v volatile), STRICT,
-- parallel safety (s safe, r restricted, u unsafe), SECURITY DEFINER, and its settings.
SELECT p.oid::regprocedure AS function, p.prokind AS kind, l.lanname AS language, p.provolatile AS volatility,
       p.proisstrict AS strict, p.proparallel AS parallel, p.prosecdef AS definer,
       coalesce(array_to_string(p.proconfig, ' '), '') AS settings
  FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
 WHERE p.pronamespace IN ('subsidy'::regnamespace, 'subsidy_report'::regnamespace)
 ORDER BY p.oid::regprocedure::text;

-- Safe against a hostile search_path: every PL/pgSQL function and every SECURITY DEFINER
-- function pins its own.  A procedure that commits cannot (PostgreSQL forbids SET with
-- transaction control); it, and the SQL functions that do not pin one because the planner
-- inlines them, are listed with their bodies, to be seen to qualify every name.
SELECT p.oid::regprocedure AS unpinned
  FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
 WHERE p.pronamespace IN ('subsidy'::regnamespace, 'subsidy_report'::regnamespace) AND p.prokind <> 'p'
   AND (l.lanname = 'plpgsql' OR p.prosecdef)
   AND NOT coalesce(p.proconfig::text[] && ARRAY['search_path=pg_catalog, pg_temp'], false);
SELECT p.oid::regprocedure AS committing_procedure, p.prosrc AS body
  FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
 WHERE p.pronamespace IN ('subsidy'::regnamespace, 'subsidy_report'::regnamespace) AND p.prokind = 'p' AND p.proconfig IS NULL
   AND l.lanname <> 'c'
 ORDER BY p.oid::regprocedure::text;
SELECT p.oid::regprocedure AS inlinable_wrapper, regexp_replace(p.prosrc, '\s+', ' ', 'g') AS body
  FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
 WHERE p.pronamespace IN ('subsidy'::regnamespace, 'subsidy_report'::regnamespace) AND l.lanname = 'sql' AND p.proconfig IS NULL
 ORDER BY p.oid::regprocedure::text;

-- Every table, view, type and function a user calls says what it is (COMMENT ON); support
-- functions of types, operators, operator classes and casts are described by those.  A type
-- PostgreSQL made along with another object (a table's row type, a type's array type) is
-- that object's part ('i'), which PostgreSQL 17 and later also record as a member ('e').
WITH member AS (
  SELECT d.classid, d.objid FROM pg_depend d
   WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
     AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'subsidy')
     AND NOT (d.classid = 'pg_type'::regclass
              AND EXISTS (SELECT FROM pg_depend i WHERE i.classid = d.classid AND i.objid = d.objid AND i.deptype = 'i'))
), support AS (
  SELECT oprcode AS fn FROM pg_operator UNION SELECT typinput FROM pg_type UNION SELECT typoutput FROM pg_type
  UNION SELECT typreceive FROM pg_type UNION SELECT typsend FROM pg_type UNION SELECT amproc FROM pg_amproc
)
SELECT pg_describe_object(m.classid, m.objid, 0) AS undescribed
  FROM member m
 WHERE m.classid IN ('pg_class'::regclass, 'pg_type'::regclass, 'pg_proc'::regclass)
   AND obj_description(m.objid, m.classid::regclass::text) IS NULL
   AND NOT (m.classid = 'pg_proc'::regclass AND m.objid IN (SELECT fn FROM support))
   AND NOT (m.classid = 'pg_class'::regclass AND (SELECT relkind FROM pg_class WHERE oid = m.objid) IN ('S', 'i'))
 ORDER BY 1;

-- Every column of every table says what it holds (report tools show these as remarks).
SELECT c.relname || '.' || a.attname AS undescribed_column
  FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
 WHERE c.relnamespace = 'subsidy'::regnamespace AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
   AND col_description(c.oid, a.attnum) IS NULL
 ORDER BY 1;

-- Every column of every report (the views of subsidy_report and the row types of its
-- functions) says what it holds: its Chinese heading and what it means (subsidy_report.column_labels).
SELECT c.relname || '.' || a.attname AS undescribed_report_column
  FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
 WHERE c.relnamespace = 'subsidy_report'::regnamespace AND c.relkind IN ('v', 'c') AND a.attnum > 0
   AND NOT a.attisdropped AND col_description(c.oid, a.attnum) IS NULL
 ORDER BY 1;
