
--
-- CALL subsidy.partition_by_year() (partition.c) runs this file as an update of the extension
-- runs its script: the code is dropped (upgrade/drop_code.sql, before this), the two tables
-- are made partitioned tables holding the same rows, and the code is created again on them
-- (code/*.sql, after this).  A province that keeps every region in one database keeps many
-- years: subsidy.application is partitioned by subsidy year, subsidy.audit_log by the year
-- (China time) its entries were written, one partition a year and a default for any year
-- that has none yet (subsidy.add_year_partitions makes a year's; subsidy.archive_year detaches
-- a closed one).  Nothing else changes: names, columns, constraints, comments, rights,
-- triggers, policies, the rows and the trail.
--
-- PostgreSQL makes every unique key of a partitioned table include its partition key: the
-- primary keys become (id, year) and (region, seq, at), and a payment reference is unique
-- within its region and year (pay() refuses one used in the region in any year, under the
-- region's chain lock).  A foreign key can reference a partitioned table only by such a key,
-- so the references of sign_off, objection, spot_check_item and application_verdict to
-- application(id) are kept by triggers instead (code/97_partitions.sql).  The trail names a
-- row of a partitioned table as it did before (rowstate.c): "application 42".
--
DO $by_year$
DECLARE
  spec record;
  r record;
  y integer;
  cols text;
  part text;
BEGIN
  FOR spec IN SELECT * FROM (VALUES
      ('application', 'RANGE (year)', 'id, year', 'year', 'year'),
      ('audit_log', 'RANGE (at)', 'region, seq, at', 'at',
       'pg_catalog.date_part(''year'', pg_catalog.timezone(''Asia/Shanghai'', at))::integer')
    ) AS s(tab, partition_by, pkey, pcol, year_of) LOOP
    -- the table's references from elsewhere go (kept by triggers from now on), then its own keys
    FOR r IN SELECT c.conname, c.conrelid::pg_catalog.regclass AS rel FROM pg_catalog.pg_constraint c
              WHERE c.confrelid OPERATOR(pg_catalog.=) pg_catalog.format('subsidy.%I', spec.tab)::pg_catalog.regclass
                AND c.contype OPERATOR(pg_catalog.=) 'f' LOOP
      EXECUTE pg_catalog.format('ALTER TABLE %s DROP CONSTRAINT %I', r.rel, r.conname);
    END LOOP;
    EXECUTE pg_catalog.format('ALTER TABLE subsidy.%I RENAME TO %I', spec.tab, spec.tab || '_unpartitioned');
    EXECUTE pg_catalog.format('ALTER TABLE subsidy.%I DROP CONSTRAINT %I', spec.tab || '_unpartitioned', spec.tab || '_pkey');
    FOR r IN SELECT s.relname FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_class s ON s.oid = d.objid
              WHERE d.refobjid OPERATOR(pg_catalog.=) pg_catalog.format('subsidy.%I', spec.tab || '_unpartitioned')::pg_catalog.regclass
                AND d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass AND s.relkind OPERATOR(pg_catalog.=) 'S' LOOP
      EXECUTE pg_catalog.format('ALTER SEQUENCE subsidy.%I OWNED BY NONE', r.relname);
    END LOOP;

    EXECUTE pg_catalog.format('CREATE TABLE subsidy.%I (LIKE subsidy.%I INCLUDING DEFAULTS INCLUDING CONSTRAINTS '
                              'INCLUDING STORAGE INCLUDING COMMENTS INCLUDING GENERATED) PARTITION BY %s',
                              spec.tab, spec.tab || '_unpartitioned', spec.partition_by);
    EXECUTE pg_catalog.format('COMMENT ON TABLE subsidy.%I IS %L', spec.tab,
                              pg_catalog.obj_description(pg_catalog.format('subsidy.%I', spec.tab || '_unpartitioned')::pg_catalog.regclass, 'pg_class'));
    EXECUTE pg_catalog.format('ALTER TABLE subsidy.%I ADD PRIMARY KEY (%s)', spec.tab, spec.pkey);
    -- the columns' statistics targets (S1: none of those that say whose a row is)
    FOR r IN SELECT a.attname, a.attstattarget FROM pg_catalog.pg_attribute a
              WHERE a.attrelid OPERATOR(pg_catalog.=) pg_catalog.format('subsidy.%I', spec.tab || '_unpartitioned')::pg_catalog.regclass
                AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped AND a.attstattarget OPERATOR(pg_catalog.>=) 0 LOOP
      EXECUTE pg_catalog.format('ALTER TABLE subsidy.%I ALTER COLUMN %I SET STATISTICS %s', spec.tab, r.attname, r.attstattarget);
    END LOOP;
    -- its references to other tables
    FOR r IN SELECT c.conname, pg_catalog.pg_get_constraintdef(c.oid) AS def FROM pg_catalog.pg_constraint c
              WHERE c.conrelid OPERATOR(pg_catalog.=) pg_catalog.format('subsidy.%I', spec.tab || '_unpartitioned')::pg_catalog.regclass
                AND c.contype OPERATOR(pg_catalog.=) 'f' LOOP
      EXECUTE pg_catalog.format('ALTER TABLE subsidy.%I ADD CONSTRAINT %I %s', spec.tab, r.conname, r.def);
    END LOOP;
    -- its indexes, a unique one with the partition key added (PostgreSQL's rule)
    FOR r IN SELECT i.relname, x.indisunique, pg_catalog.pg_get_expr(x.indpred, x.indrelid) AS pred,
                    (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname), ', ' ORDER BY k.n)
                       FROM pg_catalog.unnest(x.indkey) WITH ORDINALITY AS k(att, n)
                       JOIN pg_catalog.pg_attribute a ON a.attrelid OPERATOR(pg_catalog.=) x.indrelid
                                                    AND a.attnum OPERATOR(pg_catalog.=) k.att) AS keys,
                    EXISTS (SELECT FROM pg_catalog.unnest(x.indkey) k(att)
                             JOIN pg_catalog.pg_attribute a ON a.attrelid OPERATOR(pg_catalog.=) x.indrelid
                                                          AND a.attnum OPERATOR(pg_catalog.=) k.att
                            WHERE a.attname OPERATOR(pg_catalog.=) spec.pcol) AS has_pcol,
                    x.indexprs IS NOT NULL AS on_expressions, pg_catalog.obj_description(i.oid, 'pg_class') AS note
               FROM pg_catalog.pg_index x JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid
              WHERE x.indrelid OPERATOR(pg_catalog.=) pg_catalog.format('subsidy.%I', spec.tab || '_unpartitioned')::pg_catalog.regclass LOOP
      IF r.on_expressions THEN
        RAISE EXCEPTION 'index subsidy.% is on expressions: partition_by_year cannot carry it over', r.relname;
      END IF;
      EXECUTE pg_catalog.format('DROP INDEX subsidy.%I', r.relname);
      EXECUTE pg_catalog.format('CREATE %s INDEX %I ON subsidy.%I (%s)%s', CASE WHEN r.indisunique THEN 'UNIQUE' ELSE '' END,
                                r.relname, spec.tab,
                                r.keys OPERATOR(pg_catalog.||) CASE WHEN r.indisunique AND NOT r.has_pcol
                                                                    THEN ', ' OPERATOR(pg_catalog.||) spec.pcol ELSE '' END,
                                CASE WHEN r.pred IS NOT NULL THEN ' WHERE ' OPERATOR(pg_catalog.||) r.pred ELSE '' END);
      IF r.note IS NOT NULL THEN
        EXECUTE pg_catalog.format('COMMENT ON INDEX subsidy.%I IS %L', r.relname, r.note);
      END IF;
    END LOOP;
    PERFORM pg_catalog.pg_extension_config_dump(pg_catalog.format('subsidy.%I', spec.tab)::pg_catalog.regclass, '');

    -- a partition for every year it holds, and a default for a year that has none yet; they
    -- are the DBA's tables, not the extension's (pg_dump keeps them and their rows)
    FOR y IN EXECUTE pg_catalog.format('SELECT DISTINCT %s FROM subsidy.%I ORDER BY 1', spec.year_of, spec.tab || '_unpartitioned') LOOP
      part := pg_catalog.format('%s_y%s', spec.tab, y);
      EXECUTE pg_catalog.format('CREATE TABLE subsidy.%I PARTITION OF subsidy.%I FOR VALUES FROM (%L) TO (%L)', part, spec.tab,
                                CASE WHEN spec.pcol OPERATOR(pg_catalog.=) 'year' THEN y::pg_catalog.text
                                     ELSE pg_catalog.format('%s-01-01 00:00:00+08', y) END,
                                CASE WHEN spec.pcol OPERATOR(pg_catalog.=) 'year' THEN (y OPERATOR(pg_catalog.+) 1)::pg_catalog.text
                                     ELSE pg_catalog.format('%s-01-01 00:00:00+08', y OPERATOR(pg_catalog.+) 1) END);
      EXECUTE pg_catalog.format('ALTER EXTENSION subsidy DROP TABLE subsidy.%I', part);
    END LOOP;
    part := spec.tab || '_default';
    EXECUTE pg_catalog.format('CREATE TABLE subsidy.%I PARTITION OF subsidy.%I DEFAULT', part, spec.tab);
    EXECUTE pg_catalog.format('ALTER EXTENSION subsidy DROP TABLE subsidy.%I', part);
    -- each partition's statistics targets, as its table's
    FOR r IN SELECT i.inhrelid::pg_catalog.regclass AS part, a.attname, a.attstattarget
               FROM pg_catalog.pg_inherits i
               JOIN pg_catalog.pg_attribute a ON a.attrelid OPERATOR(pg_catalog.=) i.inhparent
              WHERE i.inhparent OPERATOR(pg_catalog.=) pg_catalog.format('subsidy.%I', spec.tab)::pg_catalog.regclass
                AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped AND a.attstattarget OPERATOR(pg_catalog.>=) 0 LOOP
      EXECUTE pg_catalog.format('ALTER TABLE %s ALTER COLUMN %I SET STATISTICS %s', r.part, r.attname, r.attstattarget);
    END LOOP;

    -- the rows, as they are (no trigger exists yet: the code comes after)
    SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO cols
      FROM pg_catalog.pg_attribute a
     WHERE a.attrelid OPERATOR(pg_catalog.=) pg_catalog.format('subsidy.%I', spec.tab)::pg_catalog.regclass
       AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped;
    EXECUTE pg_catalog.format('INSERT INTO subsidy.%I (%s) SELECT %s FROM subsidy.%I', spec.tab, cols, cols,
                              spec.tab || '_unpartitioned');
    EXECUTE pg_catalog.format('ALTER EXTENSION subsidy DROP TABLE subsidy.%I', spec.tab || '_unpartitioned');
    EXECUTE pg_catalog.format('DROP TABLE subsidy.%I', spec.tab || '_unpartitioned');
  END LOOP;
END
$by_year$;
