-- Every upgrade script starts here: the code of the version installed (its triggers, policies,
-- views, functions and procedures, and the rights granted on its tables) is dropped, so that
-- src/sql/code/*.sql, which follows the upgrade's own changes to the schema, creates it again
-- exactly as a fresh install does.  Functions that types, casts, operators, operator classes,
-- defaults or constraints use stay (they belong to the schema, and an upgrade alters them).
-- Nothing is dropped with CASCADE: an object of the DBA's own that uses a view or function of
-- the extension stops the update with an error that names it, and nothing is lost.
DO $drop_code$
DECLARE
  ext oid := (SELECT e.oid FROM pg_catalog.pg_extension e WHERE e.extname OPERATOR(pg_catalog.=) 'subsidy');
  r record;
  left_over text[];
  progress boolean;
  last_error text;
BEGIN
  -- triggers and policies on the extension's tables
  FOR r IN SELECT t.tgname, t.tgrelid::pg_catalog.regclass AS rel
             FROM pg_catalog.pg_trigger t
             JOIN pg_catalog.pg_depend d ON d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass
                                        AND d.objid OPERATOR(pg_catalog.=) t.tgrelid
            WHERE d.refobjid OPERATOR(pg_catalog.=) ext AND d.deptype OPERATOR(pg_catalog.=) 'e' AND NOT t.tgisinternal LOOP
    EXECUTE pg_catalog.format('DROP TRIGGER %I ON %s', r.tgname, r.rel);
  END LOOP;
  FOR r IN SELECT p.polname, p.polrelid::pg_catalog.regclass AS rel
             FROM pg_catalog.pg_policy p
             JOIN pg_catalog.pg_depend d ON d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass
                                        AND d.objid OPERATOR(pg_catalog.=) p.polrelid
            WHERE d.refobjid OPERATOR(pg_catalog.=) ext AND d.deptype OPERATOR(pg_catalog.=) 'e' LOOP
    EXECUTE pg_catalog.format('DROP POLICY %I ON %s', r.polname, r.rel);
  END LOOP;

  -- the row-level security of a province's tables of its region databases (issue 15,
  -- subsidy.connect_regions): the tables are the DBA's, their policy is the extension's code,
  -- which code/96_province.sql makes again
  FOR r IN SELECT p.polname, p.polrelid::pg_catalog.regclass AS rel
             FROM pg_catalog.pg_policy p
             JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) p.polrelid
             JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
            WHERE n.nspname OPERATOR(pg_catalog.=) 'subsidy_province' AND p.polname OPERATOR(pg_catalog.=) 'own_regions' LOOP
    EXECUTE pg_catalog.format('DROP POLICY %I ON %s', r.polname, r.rel);
  END LOOP;

  -- rights on tables, views and sequences (column rights go with the table's)
  FOR r IN SELECT c.oid::pg_catalog.regclass AS rel, c.relkind
             FROM pg_catalog.pg_class c
             JOIN pg_catalog.pg_depend d ON d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass
                                        AND d.objid OPERATOR(pg_catalog.=) c.oid
            WHERE d.refobjid OPERATOR(pg_catalog.=) ext AND d.deptype OPERATOR(pg_catalog.=) 'e'
              AND c.relkind OPERATOR(pg_catalog.=) ANY (ARRAY['r', 'p', 'S']::"char"[]) LOOP
    EXECUTE pg_catalog.format('REVOKE ALL ON %s %s FROM PUBLIC, subsidy_applicant, subsidy_agency, subsidy_hrss, '
                              'subsidy_finance, subsidy_reader, subsidy_admin',
                              CASE r.relkind WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, r.rel);
  END LOOP;

  -- any session's temporary objects made on what the update drops or remakes (the extension's
  -- objects, their row types and arrays, a province's relay views): a clerk may make them (TEMP
  -- is PUBLIC's), and they would stop the update or hold back a routine made again below; they
  -- last a session, and go with the code
  FOR r IN WITH RECURSIVE target (classid, objid) AS (
             SELECT m.classid, m.objid FROM pg_catalog.pg_depend m
              WHERE m.refobjid OPERATOR(pg_catalog.=) ext AND m.deptype OPERATOR(pg_catalog.=) 'e'
             UNION
             SELECT 'pg_catalog.pg_class'::pg_catalog.regclass, c.oid
               FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
              WHERE n.nspname OPERATOR(pg_catalog.=) 'subsidy_province' AND c.relkind OPERATOR(pg_catalog.=) 'v'
                AND c.relname OPERATOR(pg_catalog.~) '^relay_'
             UNION
             -- a relation's row type, a type's array
             SELECT 'pg_catalog.pg_type'::pg_catalog.regclass, y.oid
               FROM target t JOIN pg_catalog.pg_type y
                 ON (t.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass
                     AND y.typrelid OPERATOR(pg_catalog.=) t.objid)
                 OR (t.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_type'::pg_catalog.regclass
                     AND y.typelem OPERATOR(pg_catalog.=) t.objid AND y.typcategory OPERATOR(pg_catalog.=) 'A'))
           SELECT DISTINCT CASE o.type WHEN 'composite type' THEN 'TYPE' ELSE pg_catalog.upper(o.type) END AS kind,
                  o.identity
             FROM pg_catalog.pg_depend d
             JOIN target t ON t.classid OPERATOR(pg_catalog.=) d.refclassid AND t.objid OPERATOR(pg_catalog.=) d.refobjid
             -- a rule, default, constraint, trigger or policy is its relation's (a domain's constraint, its type's)
             LEFT JOIN pg_catalog.pg_rewrite w ON d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_rewrite'::pg_catalog.regclass
                                              AND w.oid OPERATOR(pg_catalog.=) d.objid
             LEFT JOIN pg_catalog.pg_attrdef a ON d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_attrdef'::pg_catalog.regclass
                                              AND a.oid OPERATOR(pg_catalog.=) d.objid
             LEFT JOIN pg_catalog.pg_trigger g ON d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_trigger'::pg_catalog.regclass
                                              AND g.oid OPERATOR(pg_catalog.=) d.objid
             LEFT JOIN pg_catalog.pg_policy y ON d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_policy'::pg_catalog.regclass
                                             AND y.oid OPERATOR(pg_catalog.=) d.objid
             LEFT JOIN pg_catalog.pg_constraint k ON d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_constraint'::pg_catalog.regclass
                                                 AND k.oid OPERATOR(pg_catalog.=) d.objid
             CROSS JOIN LATERAL (SELECT coalesce(w.ev_class, a.adrelid, g.tgrelid, y.polrelid,
                                                 NULLIF(k.conrelid, 0::pg_catalog.oid)) AS rel) owner
             CROSS JOIN LATERAL (SELECT CASE WHEN owner.rel IS NOT NULL THEN 'pg_catalog.pg_class'::pg_catalog.regclass
                                             WHEN k.oid IS NOT NULL THEN 'pg_catalog.pg_type'::pg_catalog.regclass
                                             ELSE d.classid END AS classid,
                                        coalesce(owner.rel, k.contypid, d.objid) AS objid) x
             CROSS JOIN LATERAL pg_catalog.pg_identify_object(x.classid, x.objid, 0) o
            WHERE o.schema OPERATOR(pg_catalog.~) '^pg_temp_[0-9]+$' LOOP
    RAISE NOTICE 'dropping a session''s temporary % %, which uses the extension''s objects', pg_catalog.lower(r.kind), r.identity;
    EXECUTE pg_catalog.format('DROP %s IF EXISTS %s CASCADE', r.kind, r.identity);
  END LOOP;

  -- the views a province passes on to the ministry (relay_*), made on the extension's reports
  FOR r IN SELECT c.oid::pg_catalog.regclass AS rel
             FROM pg_catalog.pg_class c
             JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
            WHERE n.nspname OPERATOR(pg_catalog.=) 'subsidy_province' AND c.relkind OPERATOR(pg_catalog.=) 'v'
              AND c.relname OPERATOR(pg_catalog.~) '^relay_' LOOP
    EXECUTE pg_catalog.format('DROP VIEW %s', r.rel);
  END LOOP;

  -- views and routines, each dropped once nothing depends on it any more, round after round
  LOOP
    progress := false;
    left_over := '{}';
    FOR r IN SELECT o.kind, o.identity
               FROM (SELECT 'VIEW' AS kind, c.oid::pg_catalog.regclass::pg_catalog.text AS identity
                       FROM pg_catalog.pg_class c
                       JOIN pg_catalog.pg_depend d ON d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass
                                                  AND d.objid OPERATOR(pg_catalog.=) c.oid
                      WHERE d.refobjid OPERATOR(pg_catalog.=) ext AND d.deptype OPERATOR(pg_catalog.=) 'e'
                        AND c.relkind OPERATOR(pg_catalog.=) 'v'
                     UNION ALL
                     SELECT 'ROUTINE', p.oid::pg_catalog.regprocedure::pg_catalog.text
                       FROM pg_catalog.pg_proc p
                       JOIN pg_catalog.pg_depend d ON d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_proc'::pg_catalog.regclass
                                                  AND d.objid OPERATOR(pg_catalog.=) p.oid
                      WHERE d.refobjid OPERATOR(pg_catalog.=) ext AND d.deptype OPERATOR(pg_catalog.=) 'e'
                        -- not what the schema uses: type input and output, casts, operators,
                        -- operator classes, aggregates, defaults, constraints, indexes
                        AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend u
                                         WHERE u.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_proc'::pg_catalog.regclass
                                           AND u.refobjid OPERATOR(pg_catalog.=) p.oid
                                           AND u.classid OPERATOR(pg_catalog.<>) ALL (ARRAY[
                                                 'pg_catalog.pg_rewrite'::pg_catalog.regclass,
                                                 'pg_catalog.pg_trigger'::pg_catalog.regclass,
                                                 'pg_catalog.pg_policy'::pg_catalog.regclass,
                                                 'pg_catalog.pg_proc'::pg_catalog.regclass,
                                                 'pg_catalog.pg_extension'::pg_catalog.regclass]))) o LOOP
      BEGIN
        EXECUTE pg_catalog.format('DROP %s %s', r.kind, r.identity);
        progress := true;
      EXCEPTION WHEN dependent_objects_still_exist THEN
        left_over := left_over OPERATOR(pg_catalog.||) pg_catalog.format('%s %s', pg_catalog.lower(r.kind), r.identity);
        GET STACKED DIAGNOSTICS last_error = PG_EXCEPTION_DETAIL;
      END;
    END LOOP;
    EXIT WHEN pg_catalog.cardinality(left_over) OPERATOR(pg_catalog.=) 0;
    IF NOT progress THEN
      RAISE EXCEPTION 'subsidy cannot be updated while objects outside it depend on its views or functions'
        USING ERRCODE = 'dependent_objects_still_exist',
              DETAIL = pg_catalog.format('Still in use: %s. %s', pg_catalog.array_to_string(left_over, ', '), last_error),
              HINT = 'Drop those objects of your own (save their definitions first), update the extension, then create them again.';
    END IF;
  END LOOP;
END
$drop_code$;
