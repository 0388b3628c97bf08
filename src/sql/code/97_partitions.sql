--
-- The applications and the audit trail partitioned by year (issue 15), for a province that keeps
-- every region in one database for many years.  Opt-in: CALL subsidy.partition_by_year() once,
-- as a superuser (partition.c and partition/by_year.sql say how); then a year's partitions come
-- from subsidy.add_year_partitions(year), and a closed year's applications leave the table with
-- subsidy.archive_year(year).  The stage guard, row-level security, the audit chain,
-- verify_audit and the reports are the same code on either form of the tables.
--

CREATE PROCEDURE subsidy.partition_by_year()
  AS 'MODULE_PATHNAME', 'partition_by_year' LANGUAGE C;
COMMENT ON PROCEDURE subsidy.partition_by_year() IS
  'issue 15: make subsidy.application a table partitioned by subsidy year and subsidy.audit_log one partitioned by the year (China time) of its entries, a partition a year and a default, with the same rows, names, rights, triggers, policies, views and trail (the code is made again on them, as an update of the extension makes it); a superuser''s, once';

CREATE FUNCTION subsidy.log_archive(p_year integer, p_archive text) RETURNS bigint
  AS 'MODULE_PATHNAME', 'log_archive' LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;
COMMENT ON FUNCTION subsidy.log_archive(integer, text) IS
  'S4, issue 15: an entry in its region''s chain for each application of the year, as it leaves the table for the archive (its state in the figures); used by archive_year, a superuser''s';

-- Whether the tables are partitioned (partition_by_year has run).
CREATE FUNCTION subsidy.partitioned_by_year() RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  SELECT c.relkind = 'p' FROM pg_catalog.pg_class c WHERE c.oid = 'subsidy.application'::pg_catalog.regclass
$$;
COMMENT ON FUNCTION subsidy.partitioned_by_year() IS
  'issue 15: true once subsidy.partition_by_year() has partitioned the applications and the audit trail by year';

-- A partitioned table's unique keys hold its partition key, so no foreign key can name
-- application(id) alone: the four tables that refer to an application are held to it by
-- these triggers instead, with the foreign key's SQLSTATE (23503) and words.
CREATE FUNCTION subsidy.application_reference() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF TG_TABLE_SCHEMA <> 'subsidy' OR TG_WHEN <> 'AFTER' OR TG_LEVEL <> 'ROW' THEN
    PERFORM subsidy.raise('trigger_misuse', 'application_reference', TG_TABLE_NAME);
  END IF;
  -- a dump restored (subsidy.begin_restore) loads its tables in any order: finish_restore's
  -- verify_audit holds what was loaded to the trail
  IF subsidy.restoring() THEN
    RETURN NULL;
  END IF;
  -- the table by its oid, not its name (a table of the DBA's may share a name); a row trigger
  -- of the partitioned application fires on the partition that holds the row
  IF TG_OP <> 'DELETE' AND TG_RELID IN ('subsidy.sign_off'::regclass, 'subsidy.objection'::regclass,
                                        'subsidy.spot_check_item'::regclass, 'subsidy.application_verdict'::regclass) THEN
    IF NOT EXISTS (SELECT FROM subsidy.application a WHERE a.id = NEW.application_id FOR KEY SHARE) THEN
      RAISE foreign_key_violation USING
        MESSAGE = format('insert or update on table "%s" violates foreign key constraint "%s_application_id_fkey"',
                         TG_TABLE_NAME, TG_TABLE_NAME),
        DETAIL = format('Key (application_id)=(%s) is not present in table "application".', NEW.application_id);
    END IF;
    RETURN NULL;
  ELSIF TG_OP = 'DELETE' AND 'subsidy.application'::regclass IN (SELECT pg_partition_ancestors(TG_RELID)) THEN
    -- ON DELETE CASCADE for the stored verdicts, as their foreign key had it; the others refuse
    DELETE FROM subsidy.application_verdict v WHERE v.application_id = OLD.id;
    IF EXISTS (SELECT FROM subsidy.sign_off s WHERE s.application_id = OLD.id)
       OR EXISTS (SELECT FROM subsidy.objection o WHERE o.application_id = OLD.id)
       OR EXISTS (SELECT FROM subsidy.spot_check_item i WHERE i.application_id = OLD.id) THEN
      RAISE foreign_key_violation USING
        MESSAGE = 'update or delete on table "application" violates a foreign key constraint',
        DETAIL = format('Key (id)=(%s) is still referenced from its review''s records.', OLD.id);
    END IF;
    RETURN NULL;
  END IF;
  PERFORM subsidy.raise('trigger_misuse', 'application_reference', TG_TABLE_NAME);
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION subsidy.application_reference() IS
  'trigger, issue 15: on tables partitioned by year, the foreign keys to application(id) that PostgreSQL cannot declare: a sign-off, objection, spot check or verdict names an application that exists, and an application''s removal takes its verdicts and is refused while its review''s records remain';
DO $references$
DECLARE
  t text;
BEGIN
  IF subsidy.partitioned_by_year() THEN
    FOREACH t IN ARRAY ARRAY['sign_off', 'objection', 'spot_check_item', 'application_verdict'] LOOP
      EXECUTE pg_catalog.format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OF application_id ON subsidy.%I '
                                'FOR EACH ROW EXECUTE FUNCTION subsidy.application_reference()', t || '_application_exists', t);
    END LOOP;
    CREATE TRIGGER application_referenced AFTER DELETE ON subsidy.application
      FOR EACH ROW EXECUTE FUNCTION subsidy.application_reference();
  END IF;
END
$references$;

-- A year's partitions: the applications of that subsidy year, the trail's entries written in
-- that year (China time).  Rows of the year that wait in a default partition move into them,
-- as they are (the guards do not see a move: nothing changes).
CREATE PROCEDURE subsidy.add_year_partitions(p_year integer)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  spec record;
  part text;
  waiting bigint;
  r record;
BEGIN
  IF NOT subsidy.partitioned_by_year() THEN
    PERFORM subsidy.raise('not_partitioned');
  END IF;
  IF p_year IS NULL OR p_year NOT BETWEEN 2000 AND 2100 THEN
    PERFORM subsidy.raise('partition_year', coalesce(p_year::text, 'NULL'));
  END IF;
  FOR spec IN SELECT * FROM (VALUES
      ('application', p_year::text, (p_year + 1)::text,
       format('year >= %s AND year < %s', p_year, p_year + 1)),
      ('audit_log', format('%s-01-01 00:00:00+08', p_year), format('%s-01-01 00:00:00+08', p_year + 1),
       format('at >= %L AND at < %L', format('%s-01-01 00:00:00+08', p_year), format('%s-01-01 00:00:00+08', p_year + 1)))
    ) AS s(tab, low, high, rows_of) LOOP
    part := format('%s_y%s', spec.tab, p_year);
    CONTINUE WHEN to_regclass(format('subsidy.%I', part)) IS NOT NULL;
    EXECUTE format('SELECT count(*) FROM subsidy.%I WHERE %s', spec.tab || '_default', spec.rows_of) INTO waiting;
    IF waiting > 0 THEN
      -- the rows move as they are: no trigger of the DBA's session sees them
      SET LOCAL session_replication_role = replica;
      EXECUTE format('ALTER TABLE subsidy.%I DETACH PARTITION subsidy.%I', spec.tab, spec.tab || '_default');
      EXECUTE format('CREATE TABLE subsidy.%I PARTITION OF subsidy.%I FOR VALUES FROM (%L) TO (%L)', part, spec.tab,
                     spec.low, spec.high);
      EXECUTE format('INSERT INTO subsidy.%I SELECT * FROM subsidy.%I WHERE %s', part, spec.tab || '_default', spec.rows_of);
      EXECUTE format('DELETE FROM subsidy.%I WHERE %s', spec.tab || '_default', spec.rows_of);
      EXECUTE format('ALTER TABLE subsidy.%I ATTACH PARTITION subsidy.%I DEFAULT', spec.tab, spec.tab || '_default');
      SET LOCAL session_replication_role = origin;
    ELSE
      EXECUTE format('CREATE TABLE subsidy.%I PARTITION OF subsidy.%I FOR VALUES FROM (%L) TO (%L)', part, spec.tab,
                     spec.low, spec.high);
    END IF;
    -- S1: the partition keeps no statistics of the columns its table keeps none of
    FOR r IN SELECT a.attname, a.attstattarget FROM pg_catalog.pg_attribute a
              WHERE a.attrelid = format('subsidy.%I', spec.tab)::regclass AND a.attnum > 0 AND NOT a.attisdropped
                AND a.attstattarget >= 0 LOOP
      EXECUTE format('ALTER TABLE subsidy.%I ALTER COLUMN %I SET STATISTICS %s', part, r.attname, r.attstattarget);
    END LOOP;
    PERFORM subsidy.raise('partition_made', part, waiting::text);
  END LOOP;
END
$$;
COMMENT ON PROCEDURE subsidy.add_year_partitions(integer) IS
  'issue 15: the partitions of a year, application_y<year> (subsidy year) and audit_log_y<year> (entries written that year, China time), those not made yet; rows of the year waiting in a default partition move into them as they are; a superuser''s';

-- A closed year's applications leave the table for an archive of their own, each logged.
CREATE PROCEDURE subsidy.archive_year(p_year integer)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  part text := format('application_y%s', p_year);
  archive text := format('application_%s', p_year);
  problems bigint;
  written bigint;
BEGIN
  IF NOT subsidy.partitioned_by_year() THEN
    PERFORM subsidy.raise('not_partitioned');
  END IF;
  IF to_regclass(format('subsidy.%I', part)) IS NULL THEN
    PERFORM subsidy.raise('no_year_partition', p_year::text, p_year::text);
  END IF;
  -- the year is closed (SBY01: nothing of it changes any more)
  IF NOT EXISTS (SELECT FROM subsidy.closed_year c WHERE c.year = p_year) THEN
    PERFORM subsidy.raise('archive_year_open', p_year::text, p_year::text);
  END IF;
  -- the trail explains the tables before any row leaves them
  SELECT count(*) INTO problems FROM subsidy.verify_audit() v;
  IF problems > 0 THEN
    PERFORM subsidy.raise('archive_unverified', p_year::text, problems::text);
  END IF;
  CREATE SCHEMA IF NOT EXISTS subsidy_archive;
  COMMENT ON SCHEMA subsidy_archive IS
    'issue 15: closed years'' applications taken out of subsidy.application by subsidy.archive_year; subsidy.verify_archive(table) holds each to the trail';
  written := subsidy.log_archive(p_year, format('subsidy_archive.%I', archive));
  EXECUTE format('ALTER TABLE subsidy.application DETACH PARTITION subsidy.%I', part);
  EXECUTE format('ALTER TABLE subsidy.%I SET SCHEMA subsidy_archive', part);
  EXECUTE format('ALTER TABLE subsidy_archive.%I RENAME TO %I', part, archive);
  EXECUTE format('COMMENT ON TABLE subsidy_archive.%I IS %L', archive,
                 format('the applications of %s, archived by subsidy.archive_year: each left subsidy.application with an entry in its region''s chain', p_year));
  PERFORM subsidy.raise('archived', p_year::text, written::text, format('subsidy_archive.%I', archive));
END
$$;
COMMENT ON PROCEDURE subsidy.archive_year(integer) IS
  'issue 15: take a closed year''s applications out of subsidy.application: once the year is closed (close_year) and verify_audit() finds nothing, each application is logged as leaving for the archive (its state in the entry), and the year''s partition is detached into schema subsidy_archive as application_<year>, for the DBA to dump and keep; a superuser''s';

-- An archive against the trail: each row as it was when it left, and no row missing or added.
CREATE FUNCTION subsidy.verify_archive(p_archive regclass)
RETURNS TABLE (application_id bigint, problem text)
LANGUAGE plpgsql STABLE PARALLEL UNSAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  RETURN QUERY EXECUTE format(
    'WITH left_log AS (
       SELECT DISTINCT ON (l.application_id) l.application_id, l.figures::jsonb ->> ''state'' AS state
         FROM subsidy.audit_log l
        WHERE l.action = ''archive'' AND l.figures::jsonb ->> ''archive'' = %L
        ORDER BY l.application_id, l.at DESC, l.seq DESC
     ), here AS (
       SELECT t.id, encode(subsidy.row_state(t), ''hex'') AS state FROM %s t
     )
     SELECT coalesce(h.id, g.application_id),
            CASE WHEN g.application_id IS NULL THEN ''in the archive, but the trail never logged it leaving''
                 WHEN h.id IS NULL THEN ''logged as leaving for the archive, but not in it''
                 ELSE ''differs from the state it left the table in'' END
       FROM here h FULL JOIN left_log g ON g.application_id = h.id
      WHERE h.id IS NULL OR g.application_id IS NULL OR h.state IS DISTINCT FROM g.state
      ORDER BY 1', p_archive::text, p_archive);
END
$$;
COMMENT ON FUNCTION subsidy.verify_archive(regclass) IS
  'S4, issue 15: an archived year (subsidy_archive.application_<year>, or the same restored from a dump) against the trail: every row in the state it left the table in, none missing, none added; no rows: the archive is what left';

REVOKE ALL ON PROCEDURE subsidy.partition_by_year(), subsidy.add_year_partitions(integer), subsidy.archive_year(integer)
  FROM PUBLIC;
REVOKE ALL ON FUNCTION subsidy.log_archive(integer, text), subsidy.verify_archive(regclass) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION subsidy.verify_archive(regclass) TO subsidy_admin;
