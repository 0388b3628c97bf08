--
-- The province reads its regions where they live (issue 15): each pooling region (or a group of
-- them) may run its own database, and the province's database reads their reports through
-- PostgreSQL's own foreign data wrapper, postgres_fdw, as a reader login each region made for
-- it (a member of subsidy_reader mapped to the region's pools: it reads the reports schema in
-- those pools and no bank details, no contacts, no trail but the chain heads).
--
-- CALL subsidy.connect_regions('[{"name": ..., "regions": [...], "host": ..., ...}]') makes, in
-- schema subsidy_province (the DBA's, not the extension's: pg_dump keeps it):
--   * a foreign server per region database, subsidy_region_<name>, whose options list the
--     extension (extensions 'subsidy': its immutable functions and operators are shipped to the
--     region with the query), run its scans at once (async_capable) and time out
--     (connect_timeout, and the remote statement_timeout in options);
--   * a user mapping for PUBLIC on it, as the region's reader login;
--   * for every English-named view of subsidy_report that has a region, a table of the same
--     name and columns, partitioned by region, with a foreign partition per region database
--     reading that view there: a query of the province names the table once, the planner
--     prunes it to the regions asked for, runs each region's part remotely (and its GROUP BY
--     too, where the grouping holds the region and enable_partitionwise_aggregate is on), and
--     the regions' scans run side by side;
--   * row-level security on those tables, so that a reader of the province's database reads
--     the regions its own staff_region gives it, as in any database of the extension.
-- The province's reports (province_annual_report, province_progress, province_audit_heads) read
-- those tables, and this database's own pools too (a pool not read remotely is read here).
--
-- A region database that does not answer (down, unreachable, slower than its timeout) is never
-- left out silently: its pools appear with state 'missing' and the reason, a WARNING names
-- them, and the province's totals are withheld unless partial => true asks for them, marked
-- 'partial'.
--

-- The region databases a province reads, and the pools each serves.
CREATE FUNCTION subsidy.province_sources()
RETURNS TABLE (name text, server text, regions text[], tables integer, relay boolean)
LANGUAGE plpgsql STABLE PARALLEL UNSAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF to_regclass('subsidy_province.region_database') IS NULL THEN
    RETURN;
  END IF;
  RETURN QUERY
  SELECT d.name, d.server, d.regions,
         (SELECT count(*)::integer FROM pg_catalog.pg_foreign_table ft JOIN pg_catalog.pg_foreign_server s ON s.oid = ft.ftserver
           WHERE s.srvname = d.server),
         d.relay
    FROM subsidy_province.region_database d
   ORDER BY d.name;
END
$$;
COMMENT ON FUNCTION subsidy.province_sources() IS
  'issue 15: the region databases this province database reads (connect_regions), each with its foreign server, the pooling regions it serves, how many foreign tables read it, and whether it is a province''s database read through its relay (the ministry''s)';

-- One region database's entry of the list, checked, as (name, regions, server options, mapping options).
CREATE FUNCTION subsidy.province_source_options(p_entry jsonb, OUT name text, OUT regions text[],
                                                OUT server_options text, OUT mapping_options text,
                                                OUT relay boolean)
LANGUAGE plpgsql STABLE PARALLEL UNSAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  k text;
  opts text[] := '{}';
  mopts text[] := '{}';
  r text;
BEGIN
  IF jsonb_typeof(p_entry) IS DISTINCT FROM 'object' THEN
    PERFORM subsidy.raise('province_list', coalesce(p_entry::text, 'null'));
  END IF;
  name := p_entry ->> 'name';
  IF name IS NULL OR name !~ '^[a-z][a-z0-9_]{0,29}$' THEN
    PERFORM subsidy.raise('province_name', coalesce(name, ''));
  END IF;
  IF jsonb_typeof(p_entry -> 'regions') IS DISTINCT FROM 'array' OR jsonb_array_length(p_entry -> 'regions') = 0 THEN
    PERFORM subsidy.raise('province_no_regions', name);
  END IF;
  SELECT array_agg(x ORDER BY x) INTO regions FROM jsonb_array_elements_text(p_entry -> 'regions') x;
  IF p_entry ? 'relay' AND jsonb_typeof(p_entry -> 'relay') IS DISTINCT FROM 'boolean' THEN
    PERFORM subsidy.raise('province_relay', name, p_entry ->> 'relay');
  END IF;
  relay := coalesce((p_entry ->> 'relay')::boolean, false);
  -- the timeout goes into the server's options string: a duration, nothing else
  IF p_entry ? 'timeout' AND coalesce(p_entry ->> 'timeout', '') !~ '^[0-9]{1,9}(ms|s|min|h)?$' THEN
    PERFORM subsidy.raise('province_timeout', name, coalesce(p_entry ->> 'timeout', 'null'));
  END IF;
  FOREACH r IN ARRAY regions LOOP
    IF NOT EXISTS (SELECT FROM subsidy.region g WHERE g.code = r AND g.is_pool) THEN
      PERFORM subsidy.raise('no_pool', r);
    END IF;
  END LOOP;
  -- libpq's connection settings go to the server, the login's to the user mapping; the rest
  -- is what a province needs of every region: the extension shipped, scans side by side,
  -- a failure told in seconds rather than hung on
  FOR k IN SELECT jsonb_object_keys(p_entry) LOOP
    CONTINUE WHEN k IN ('name', 'regions', 'user', 'password', 'timeout', 'relay');
    IF k NOT IN ('host', 'hostaddr', 'port', 'dbname', 'connect_timeout', 'sslmode', 'sslrootcert', 'sslcrl',
                 'application_name', 'keepalives', 'keepalives_idle', 'keepalives_interval', 'keepalives_count',
                 'tcp_user_timeout', 'target_session_attrs', 'fetch_size', 'use_remote_estimate') THEN
      PERFORM subsidy.raise('province_option', name, k);
    END IF;
    opts := opts || format('%I %L', k, p_entry ->> k);
  END LOOP;
  IF NOT p_entry ? 'connect_timeout' THEN
    opts := opts || format('%I %L', 'connect_timeout', '10');
  END IF;
  IF NOT p_entry ? 'keepalives_idle' THEN
    opts := opts || ARRAY[format('%I %L', 'keepalives_idle', '30'), format('%I %L', 'keepalives_interval', '10'),
                          format('%I %L', 'keepalives_count', '3')];
  END IF;
  IF NOT p_entry ? 'fetch_size' THEN
    opts := opts || format('%I %L', 'fetch_size', '10000');
  END IF;
  IF NOT p_entry ? 'application_name' THEN
    opts := opts || format('%I %L', 'application_name', 'subsidy province');
  END IF;
  opts := opts || ARRAY[format('%I %L', 'extensions', 'subsidy'), format('%I %L', 'async_capable', 'true'),
                        -- each query the province sends a region ends there after this long; the
                        -- region's transactions are read-only (the province writes nothing there,
                        -- and a write would let a region's code fail or stall the province's
                        -- commit, where no report can mark it missing), and send no notices
                        format('%I %L', 'options',
                               format('-c statement_timeout=%s -c default_transaction_read_only=on -c client_min_messages=error',
                                      coalesce(p_entry ->> 'timeout', '300s')))];
  server_options := array_to_string(opts, ', ');
  IF p_entry ? 'user' THEN
    mopts := mopts || format('%I %L', 'user', p_entry ->> 'user');
  END IF;
  IF p_entry ? 'password' THEN
    mopts := mopts || format('%I %L', 'password', p_entry ->> 'password');
  END IF;
  mapping_options := array_to_string(mopts, ', ');
END
$$;
COMMENT ON FUNCTION subsidy.province_source_options(jsonb) IS
  'issue 15: one entry of connect_regions'' list, checked: its name, pooling regions, the foreign server''s options and the user mapping''s';

-- The tables a province reads: every English-named report of the regions with a region column.
CREATE FUNCTION subsidy.province_views() RETURNS SETOF text
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  SELECT c.relname::text
    FROM pg_catalog.pg_class c
   WHERE c.relnamespace = 'subsidy_report'::pg_catalog.regnamespace AND c.relkind = 'v'
     AND c.relname ~ '^[a-z0-9_]+$'
     AND EXISTS (SELECT FROM pg_catalog.pg_attribute a
                  WHERE a.attrelid = c.oid AND a.attname = 'region' AND NOT a.attisdropped)
   ORDER BY 1
$$;
COMMENT ON FUNCTION subsidy.province_views() IS
  'issue 15: the reports a province reads from each region database: the English-named views of subsidy_report that have a region column';

-- The pools a row read through a foreign partition may be of: those its region database was
-- connected for.  postgres_fdw does not hold a foreign partition's rows to its bounds, so a
-- database that answers for a pool it does not serve (by mistake, or a region's DBA rewriting
-- its reports) would otherwise add that pool's rows twice, or stand in for the database that
-- serves it; the province keeps a database's rows of its own pools only.
CREATE FUNCTION subsidy.province_partitions() RETURNS TABLE (partition oid, regions text[])
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF to_regclass('subsidy_province.region_database') IS NULL THEN
    RETURN;
  END IF;
  RETURN QUERY SELECT ft.ftrelid, d.regions FROM pg_catalog.pg_foreign_table ft
                 JOIN pg_catalog.pg_foreign_server s ON s.oid = ft.ftserver
                 JOIN subsidy_province.region_database d ON d.server = s.srvname;
END
$$;
COMMENT ON FUNCTION subsidy.province_partitions() IS
  'issue 15: each foreign partition of the province''s tables with the pooling regions its region database was connected for: the only ones the province reads from it (postgres_fdw does not hold a foreign partition to its bounds); joined once per query on tableoid';

-- What is wrong with the rows a region database sent for one report, if anything: a pool's row
-- twice (the totals would count it twice), or figures that cannot be (a negative count, more
-- approved than applied, an average wait beyond the longest, an amount that is not a number).
-- Each is the region's to answer for: the province marks its database missing, not the total
-- short or skewed.
CREATE FUNCTION subsidy.province_rows_problem(p_view text, p_rows jsonb) RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  twice text;
  wrong text;
BEGIN
  SELECT string_agg(k, ', ' ORDER BY k) INTO twice
    FROM (SELECT concat_ws(' ', r ->> 'region', r ->> 'year', r ->> 'step') AS k
            FROM jsonb_array_elements(p_rows) r GROUP BY 1 HAVING count(*) > 1) d;
  IF twice IS NOT NULL THEN
    RETURN left(format('sent more than one row for %s', twice), 200);
  END IF;
  IF p_view = 'annual_figures' THEN
    SELECT string_agg(f.region, ', ' ORDER BY f.region) INTO wrong
      FROM jsonb_populate_recordset(NULL::subsidy_report.annual_figures, p_rows) f
     WHERE least(f.regions_covered, f.enterprises_applied, f.enterprises_approved, f.employees_covered,
                 f.decapacity_enterprises, f.zombies_refused, f.spot_checks, f.spot_checks_false_data, f.objections,
                 f.payments, f.days_to_payment_longest) < 0
        OR least(f.amount_total, f.amount_a1, f.amount_a2, f.amount_a3, f.amount_paid, f.decapacity_amount,
                 f.monthly_fund_expenditure) < 0
        OR 'NaN'::numeric IN (f.amount_total, f.amount_a1, f.amount_a2, f.amount_a3, f.amount_paid, f.decapacity_amount,
                              f.fund_balance, f.monthly_fund_expenditure)
        OR f.enterprises_approved > f.enterprises_applied OR f.spot_checks_false_data > f.spot_checks
        OR f.payments > f.enterprises_approved
        OR f.days_to_payment_average < 0 OR f.days_to_payment_average > f.days_to_payment_longest
        -- a pool's row covers the pool, and its amounts are parts of its total
        OR f.regions_covered NOT IN (0, 1)
        OR coalesce(f.amount_a1, 0) + coalesce(f.amount_a2, 0) + coalesce(f.amount_a3, 0) > coalesce(f.amount_total, 0)
        OR f.amount_paid > coalesce(f.amount_total, 0) OR f.decapacity_amount > coalesce(f.amount_total, 0);
  ELSIF p_view = 'progress' THEN
    SELECT string_agg(DISTINCT f.region, ', ') INTO wrong
      FROM jsonb_populate_recordset(NULL::subsidy_report.progress, p_rows) f
     WHERE f.applications < 0 OR f.waiting_over_30_days < 0 OR f.waiting_over_30_days > f.applications
        OR f.days_waiting_average < 0 OR f.days_waiting_average > f.days_waiting_longest
        -- a step's name, place and finality are the extension's, not a region's to relabel
        OR f.step_name IS DISTINCT FROM subsidy.step_name(f.step)
        OR f.step_order IS DISTINCT FROM subsidy.step_order(f.step)
        OR f.is_final IS DISTINCT FROM subsidy.step_is_final(f.step)::integer;
  ELSIF p_view = 'audit_heads' THEN
    SELECT string_agg(f.region, ', ' ORDER BY f.region) INTO wrong
      FROM jsonb_populate_recordset(NULL::subsidy_report.audit_heads, p_rows) f
     WHERE f.seq < 0 OR f.hash !~ '^[0-9a-f]{64}$';
  END IF;
  IF wrong IS NOT NULL THEN
    RETURN left(format('sent figures that cannot be for %s', wrong), 200);
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION subsidy.province_rows_problem(text, jsonb) IS
  'issue 15: what is wrong with the rows a region database sent for one report (a pool''s row twice; a negative count, more approved than applied, an average wait beyond the longest, an amount that is not a number or is more than the total it is part of, a pool covering other than itself, a step relabelled); NULL when nothing is: the province marks a database that sent such rows missing';

-- What a province's database passes on to the ministry: the reports the province's are made of.
CREATE FUNCTION subsidy.province_relayed() RETURNS SETOF text
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  SELECT unnest(ARRAY['annual_figures', 'audit_heads', 'progress'])
$$;
COMMENT ON FUNCTION subsidy.province_relayed() IS
  'issue 15: the reports a province''s database passes on to the ministry (subsidy_province.relay_*), those province_annual_report, province_progress and province_audit_heads read';

-- What this database passes on to the ministry (a relay entry there): each gathered report, its
-- region databases' rows and its own pools', as the reader asking may read them.  Made by
-- connect_regions, and again after an update of the extension (which drops them with its code).
CREATE FUNCTION subsidy.province_make_relays() RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v text;
BEGIN
  IF to_regclass('subsidy_province.region_database') IS NULL THEN
    RETURN;
  END IF;
  FOR v IN SELECT subsidy.province_relayed() LOOP
    CONTINUE WHEN to_regclass(format('subsidy_province.%I', v)) IS NULL;
    EXECUTE format('CREATE OR REPLACE VIEW subsidy_province.%I WITH (security_invoker = true) AS '
                   'SELECT t.* FROM subsidy_province.%I t '
                   '  JOIN subsidy.province_partitions() p ON p.partition = t.tableoid AND t.region = ANY (p.regions) '
                   'UNION ALL '
                   'SELECT f.* FROM subsidy_report.%I f '
                   ' WHERE NOT EXISTS (SELECT FROM subsidy_province.region_database d WHERE f.region = ANY (d.regions))',
                   'relay_' || v, v, v);
    EXECUTE format('COMMENT ON VIEW subsidy_province.%I IS %L', 'relay_' || v,
                   format('issue 15: subsidy_report.%s of every pool this database reports on, where it lives (its region databases'' and its own): what the ministry reads', v));
    EXECUTE format('GRANT SELECT ON subsidy_province.%I TO subsidy_admin, subsidy_reader', 'relay_' || v);
    -- made again by an update's script, a view would join the extension, and pg_dump leave it out
    IF EXISTS (SELECT FROM pg_catalog.pg_depend d
                WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.deptype = 'e'
                  AND d.objid = format('subsidy_province.%I', 'relay_' || v)::regclass) THEN
      EXECUTE format('ALTER EXTENSION subsidy DROP VIEW subsidy_province.%I', 'relay_' || v);
    END IF;
  END LOOP;
END
$$;
COMMENT ON FUNCTION subsidy.province_make_relays() IS
  'issue 15: make the views a province''s database passes on to the ministry (subsidy_province.relay_annual_figures, relay_progress, relay_audit_heads), as connect_regions does; an update of the extension makes them again';

-- The DBA's set-up: servers, user mappings and foreign tables from a list of region databases.
CREATE PROCEDURE subsidy.connect_regions(p_databases jsonb)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp SET lock_timeout = '10s' AS $$
DECLARE
  e jsonb;
  src record;
  v text;
  server text;
  part text;
  other text;
  r text;
  seen text[];
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_extension x WHERE x.extname = 'postgres_fdw') THEN
    PERFORM subsidy.raise('province_no_fdw');
  END IF;
  IF jsonb_typeof(p_databases) IS DISTINCT FROM 'array' THEN
    PERFORM subsidy.raise('province_list', coalesce(p_databases::text, 'null'));
  END IF;
  CREATE SCHEMA IF NOT EXISTS subsidy_province;
  COMMENT ON SCHEMA subsidy_province IS
    'issue 15: the province''s view of its region databases (subsidy.connect_regions): each report of subsidy_report as a table partitioned by region, a foreign partition per region database';
  CREATE TABLE IF NOT EXISTS subsidy_province.region_database (
    name text PRIMARY KEY,
    server text NOT NULL UNIQUE,
    regions text[] NOT NULL,
    connected_at timestamptz NOT NULL DEFAULT now()
  );
  -- (a table made before relays: ALTER TABLE would lock it, and wait on any reader, at every call)
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_attribute a
                  WHERE a.attrelid = 'subsidy_province.region_database'::regclass AND a.attname = 'relay') THEN
    ALTER TABLE subsidy_province.region_database ADD COLUMN relay boolean NOT NULL DEFAULT false;
    COMMENT ON COLUMN subsidy_province.region_database.relay IS
      'a province''s database, read through its relay views (subsidy_province.relay_*): the ministry''s source';
  END IF;
  COMMENT ON TABLE subsidy_province.region_database IS
    'issue 15: the region databases this province reads, their foreign servers and the pooling regions each serves (subsidy.connect_regions)';
  CREATE TABLE IF NOT EXISTS subsidy_province.heads_kept (
    kept_at timestamptz NOT NULL DEFAULT now(),
    kept_by name NOT NULL DEFAULT session_user,
    heads jsonb NOT NULL,
    missing text[] NOT NULL DEFAULT '{}'
  );
  COMMENT ON TABLE subsidy_province.heads_kept IS
    'S4, issue 15: the regions'' audit chain heads as the province read them (subsidy.keep_province_heads), kept outside the regions'' databases: each region verifies them with subsidy.verify_audit(heads)';

  -- every report table, partitioned by region
  FOR v IN SELECT subsidy.province_views() LOOP
    IF to_regclass(format('subsidy_province.%I', v)) IS NULL THEN
      EXECUTE format('CREATE TABLE subsidy_province.%I (LIKE subsidy_report.%I) PARTITION BY LIST (region)', v, v);
      EXECUTE format('COMMENT ON TABLE subsidy_province.%I IS %L', v,
                     format('issue 15: subsidy_report.%s of every region database, a foreign partition each', v));
      EXECUTE format('ALTER TABLE subsidy_province.%I ENABLE ROW LEVEL SECURITY', v);
      EXECUTE format('CREATE POLICY own_regions ON subsidy_province.%I USING (subsidy.session_guarded() AND '
                     '((SELECT subsidy.sees_every_region()) OR region = ANY ((SELECT subsidy.caller_regions())::text[])))', v);
    END IF;
  END LOOP;

  FOR e IN SELECT jsonb_array_elements(p_databases) LOOP
    SELECT * INTO src FROM subsidy.province_source_options(e);
    server := 'subsidy_region_' || src.name;
    seen := coalesce(seen, '{}');
    FOREACH r IN ARRAY src.regions LOOP
      SELECT d.name INTO other FROM subsidy_province.region_database d
       WHERE r = ANY (d.regions) AND d.name <> src.name;
      IF other IS NULL AND r = ANY (seen) THEN
        other := '(' || src.name || ')';
      END IF;
      IF other IS NOT NULL THEN
        PERFORM subsidy.raise('province_region_twice', r, other, src.name);
      END IF;
      seen := seen || r;
    END LOOP;

    -- the server and the login, made again as given
    IF EXISTS (SELECT FROM pg_catalog.pg_foreign_server s WHERE s.srvname = server) THEN
      EXECUTE format('DROP USER MAPPING IF EXISTS FOR PUBLIC SERVER %I', server);
      FOR part IN SELECT c.oid::regclass::text FROM pg_catalog.pg_foreign_table ft
                    JOIN pg_catalog.pg_class c ON c.oid = ft.ftrelid
                    JOIN pg_catalog.pg_foreign_server s ON s.oid = ft.ftserver
                   WHERE s.srvname = server AND c.relnamespace = 'subsidy_province'::regnamespace LOOP
        -- with whatever was made on it: a reader's temporary view would otherwise stop the DBA
        EXECUTE format('DROP FOREIGN TABLE %s CASCADE', part);
      END LOOP;
      EXECUTE format('DROP SERVER %I', server);
    END IF;
    EXECUTE format('CREATE SERVER %I FOREIGN DATA WRAPPER postgres_fdw OPTIONS (%s)', server, src.server_options);
    EXECUTE format('COMMENT ON SERVER %I IS %L', server,
                   format('issue 15: the database of pooling regions %s, read by the province', array_to_string(src.regions, ', ')));
    EXECUTE format('CREATE USER MAPPING FOR PUBLIC SERVER %I%s', server,
                   CASE WHEN src.mapping_options <> '' THEN format(' OPTIONS (%s)', src.mapping_options) ELSE '' END);
    INSERT INTO subsidy_province.region_database (name, server, regions, relay)
    VALUES (src.name, server, src.regions, src.relay)
    ON CONFLICT ON CONSTRAINT region_database_pkey
      DO UPDATE SET server = excluded.server, regions = excluded.regions, relay = excluded.relay, connected_at = now();

    -- a region database is read in its reports; a province's database (relay), in the reports
    -- it gathers from its own region databases and pools, the three the nation's are made of
    FOR v IN SELECT subsidy.province_views() LOOP
      CONTINUE WHEN src.relay AND v NOT IN (SELECT subsidy.province_relayed());
      EXECUTE format('CREATE FOREIGN TABLE subsidy_province.%I PARTITION OF subsidy_province.%I FOR VALUES IN (%s) '
                     'SERVER %I OPTIONS (schema_name %L, table_name %L)',
                     v || '_' || src.name, v, (SELECT string_agg(quote_literal(x), ', ') FROM unnest(src.regions) x),
                     server, CASE WHEN src.relay THEN 'subsidy_province' ELSE 'subsidy_report' END,
                     CASE WHEN src.relay THEN 'relay_' || v ELSE v END);
    END LOOP;
  END LOOP;

  PERFORM subsidy.province_make_relays();

  -- the DBA reads everything; a reader of this database, its regions (the tables' policies)
  GRANT USAGE ON SCHEMA subsidy_province TO subsidy_admin, subsidy_reader;
  FOR v IN SELECT subsidy.province_views() LOOP
    EXECUTE format('GRANT SELECT ON subsidy_province.%I TO subsidy_admin, subsidy_reader', v);
  END LOOP;
  GRANT SELECT ON subsidy_province.region_database TO subsidy_admin, subsidy_reader;
  GRANT SELECT, INSERT ON subsidy_province.heads_kept TO subsidy_admin;

  -- each region database answers, as a login that sees the pools it was connected for
  FOR src IN SELECT d.name, d.server, d.regions FROM subsidy_province.region_database d
              WHERE d.name IN (SELECT x ->> 'name' FROM jsonb_array_elements(p_databases) x) LOOP
    BEGIN
      EXECUTE format('SELECT array_agg(DISTINCT h.region::text ORDER BY h.region::text) FROM subsidy_province.%I h',
                     'audit_heads_' || src.name) INTO seen;
      IF seen IS DISTINCT FROM src.regions THEN
        PERFORM subsidy.raise('province_sees_other', src.name, coalesce(array_to_string(seen, ', '), '-'),
                              array_to_string(src.regions, ', '));
      END IF;
    EXCEPTION WHEN OTHERS THEN
      PERFORM subsidy.raise('province_unreachable_now', src.name, src.server, SQLERRM);
    END;
  END LOOP;
END
$$;
COMMENT ON PROCEDURE subsidy.connect_regions(jsonb) IS
  'issue 15: the province''s set-up: from a JSON array of region databases ({"name", "regions", "host", "port", "dbname", "user", "password" [, "timeout", libpq options]}), a foreign server each (extensions ''subsidy'', async_capable, timeouts), a user mapping for PUBLIC as the region''s reader login, and in schema subsidy_province every report of subsidy_report as a table partitioned by region with a foreign partition per database; run again with an entry, it makes that entry''s objects again';

CREATE PROCEDURE subsidy.disconnect_region(p_name text)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp SET lock_timeout = '10s' AS $$
DECLARE
  server text;
  part text;
BEGIN
  SELECT d.server INTO server FROM subsidy.province_sources() d WHERE d.name = p_name;
  IF server IS NULL THEN
    PERFORM subsidy.raise('province_no_source', p_name);
  END IF;
  FOR part IN SELECT c.oid::regclass::text FROM pg_catalog.pg_foreign_table ft
                JOIN pg_catalog.pg_class c ON c.oid = ft.ftrelid
                JOIN pg_catalog.pg_foreign_server s ON s.oid = ft.ftserver
               WHERE s.srvname = server AND c.relnamespace = 'subsidy_province'::regnamespace LOOP
    -- with whatever was made on it: a reader's temporary view would otherwise stop the DBA
    EXECUTE format('DROP FOREIGN TABLE %s CASCADE', part);
  END LOOP;
  EXECUTE format('DROP USER MAPPING IF EXISTS FOR PUBLIC SERVER %I', server);
  EXECUTE format('DROP SERVER %I', server);
  DELETE FROM subsidy_province.region_database d WHERE d.name = p_name;
END
$$;
COMMENT ON PROCEDURE subsidy.disconnect_region(text) IS
  'issue 15: stop reading a region database: its foreign tables, user mapping and server are dropped';

-- What a set of region databases answers for one report: the rows of the answering ones and,
-- for each that did not, its name, pools and why.  One query over every region first, the
-- regions' scans side by side; only when it fails, each region database alone, to name the
-- ones that fail.  A database that answers but does not show its reader login one of the
-- pools it was connected for (its staff_region changed since) is missing that pool too: its
-- rows would be absent without an error, and the province's total short.  Every pool has an
-- audit chain from the install on, so the chain heads tell which pools the login sees.
-- A remote statement_timeout arrives as query_canceled, which WHEN OTHERS does not catch:
-- it is caught when the region sent it (the error's context is the remote SQL command), and
-- a cancel of the province's own statement still cancels it.
CREATE FUNCTION subsidy.province_read(p_view text, p_year integer,
                                      OUT rows jsonb, OUT missing jsonb)
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  src record;
  part jsonb;
  seen text[];
  seen_here text[];
  unseen text[];
  msg text;
  detail text;
  state text;
  ctx text;
  together boolean := true;
  cond text := CASE WHEN p_year IS NULL THEN 'true' ELSE 't.year = $1' END;
BEGIN
  rows := '[]';
  missing := '[]';
  IF NOT EXISTS (SELECT FROM subsidy.province_sources()) THEN
    RETURN;
  END IF;
  BEGIN
    -- each database's rows of the pools it serves: one that answers for another's is not heard on it
    EXECUTE format('SELECT coalesce(jsonb_agg(to_jsonb(t)), ''[]'') FROM subsidy_province.%I t '
                   'JOIN subsidy.province_partitions() p ON p.partition = t.tableoid AND t.region = ANY (p.regions) '
                   'WHERE %s', p_view, cond)
      INTO rows USING p_year;
    SELECT array_agg(DISTINCT h.region::text) INTO seen FROM subsidy_province.audit_heads h
      JOIN subsidy.province_partitions() p ON p.partition = h.tableoid AND h.region = ANY (p.regions);
    -- rows that cannot be: each database alone, to find whose
    IF subsidy.province_rows_problem(p_view, rows) IS NOT NULL THEN
      RAISE SQLSTATE '22000';
    END IF;
  EXCEPTION WHEN OTHERS OR query_canceled OR assert_failure THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, ctx = PG_EXCEPTION_CONTEXT;
    IF state = '57014' AND position('remote SQL command:' in ctx) = 0 THEN
      RAISE;
    END IF;
    rows := '[]';
    seen := '{}';
    together := false;
  END;
  FOR src IN SELECT * FROM subsidy.province_sources() LOOP
    IF NOT together THEN
      BEGIN
        -- through the table, pruned to the database's pools: the caller's rights and policies apply
        EXECUTE format('SELECT coalesce(jsonb_agg(to_jsonb(t)), ''[]'') FROM subsidy_province.%I t '
                       'JOIN subsidy.province_partitions() p ON p.partition = t.tableoid AND t.region = ANY (p.regions) '
                       'WHERE %s AND t.region = ANY ($2)', p_view, cond)
          INTO part USING p_year, src.regions;
        SELECT array_agg(DISTINCT h.region::text) INTO seen_here
          FROM subsidy_province.audit_heads h
          JOIN subsidy.province_partitions() p ON p.partition = h.tableoid AND h.region = ANY (p.regions)
         WHERE h.region = ANY (src.regions);
        msg := subsidy.province_rows_problem(p_view, part);
        IF msg IS NOT NULL THEN
          missing := missing || jsonb_build_object('name', src.name, 'server', src.server, 'regions', to_jsonb(src.regions),
                                                   'problem', left(format('%s: %s', src.server, msg), 255));
          CONTINUE;
        END IF;
        rows := rows || part;
        seen := seen || coalesce(seen_here, '{}');
      EXCEPTION WHEN OTHERS OR query_canceled OR assert_failure THEN
        GET STACKED DIAGNOSTICS msg = MESSAGE_TEXT, detail = PG_EXCEPTION_DETAIL, state = RETURNED_SQLSTATE,
                                ctx = PG_EXCEPTION_CONTEXT;
        IF state = '57014' AND position('remote SQL command:' in ctx) = 0 THEN
          RAISE;
        END IF;
        missing := missing || jsonb_build_object('name', src.name, 'server', src.server, 'regions', to_jsonb(src.regions),
                                                 'problem', left(concat_ws(': ', src.server, msg, nullif(detail, '')), 255));
        CONTINUE;
      END;
    END IF;
    -- the pools the caller may read that the database answered for without showing them
    SELECT array_agg(x ORDER BY x) INTO unseen
      FROM unnest(src.regions) x
     WHERE x <> ALL (coalesce(seen, '{}'))
       AND ((SELECT subsidy.sees_every_region()) OR x = ANY ((SELECT subsidy.caller_regions())::text[]));
    IF unseen IS NOT NULL THEN
      missing := missing || jsonb_build_object('name', src.name, 'server', src.server, 'regions', to_jsonb(unseen),
                                               'problem', left(format('%s: its login does not see pooling regions %s',
                                                                      src.server, array_to_string(unseen, ', ')), 255));
    END IF;
  END LOOP;
  -- a database the caller reads none of the pools of is not its business: not its name, its
  -- server, its host or its error; of one it shares, the caller's pools only
  SELECT coalesce(jsonb_agg(g.entry || jsonb_build_object('regions', g.mine)), '[]') INTO missing
    FROM (SELECT e AS entry, (SELECT jsonb_agg(x ORDER BY x) FROM jsonb_array_elements_text(e -> 'regions') x
                               WHERE (SELECT subsidy.sees_every_region())
                                  OR x = ANY ((SELECT subsidy.caller_regions())::text[])) AS mine
            FROM jsonb_array_elements(missing) e) g
   WHERE g.mine IS NOT NULL;
END
$$;
COMMENT ON FUNCTION subsidy.province_read(text, integer) IS
  'issue 15: the rows of one report (of one year) from every region database, and the databases that did not answer with why: one query over all of them, then, if it fails, each alone';

-- The pools missing from a reading: one row each, with the database and the reason; and the
-- WARNING that names them.
CREATE FUNCTION subsidy.province_missing(p_missing jsonb, p_report text)
RETURNS TABLE (region text, source text, problem text)
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  mine jsonb;
BEGIN
  -- the caller's pools only, in the rows and in the WARNING (another pool's database, its
  -- host and its error are that pool's business)
  SELECT coalesce(jsonb_agg(jsonb_build_object('region', r.code, 'source', m ->> 'server', 'problem', m ->> 'problem')
                            ORDER BY r.code), '[]')
    INTO mine
    FROM jsonb_array_elements(p_missing) m
   CROSS JOIN LATERAL jsonb_array_elements_text(m -> 'regions') x
    JOIN subsidy.region r ON r.code = x
   WHERE (SELECT subsidy.sees_every_region()) OR r.code = ANY ((SELECT subsidy.caller_regions())::text[]);
  RETURN QUERY SELECT g ->> 'region', g ->> 'source', g ->> 'problem' FROM jsonb_array_elements(mine) g;
  IF jsonb_array_length(mine) > 0 THEN
    PERFORM subsidy.raise('province_missing', p_report,
                          (SELECT string_agg(g ->> 'region', ', ') FROM jsonb_array_elements(mine) g),
                          (SELECT string_agg(DISTINCT g ->> 'problem', '; ') FROM jsonb_array_elements(mine) g));
  END IF;
END
$$;
COMMENT ON FUNCTION subsidy.province_missing(jsonb, text) IS
  'issue 15: the pooling regions a province_read found missing, each with its database and why, and a WARNING naming them';

-- R3 for the province: every pool, read where it lives, and the province's totals.
CREATE FUNCTION subsidy.province_annual_report(p_year integer, partial boolean DEFAULT false)
RETURNS TABLE (level varchar(8), region varchar(6), region_name varchar(50), year integer, regions_covered integer,
  enterprises_applied integer, enterprises_approved integer, employees_covered integer, amount_total numeric(16,2),
  amount_a1 numeric(16,2), amount_a2 numeric(16,2), amount_a3 numeric(16,2), amount_paid numeric(16,2),
  decapacity_enterprises integer, decapacity_amount numeric(16,2), zombies_refused integer, spot_checks integer,
  spot_checks_false_data integer, objections integer, days_to_payment_average numeric(8,1),
  days_to_payment_longest integer, fund_balance numeric(16,2), monthly_fund_expenditure numeric(16,2),
  fund_cover_months numeric(8,2), report_due_on date, report_frozen_on date,
  source varchar(63), state varchar(8), problem varchar(255))
LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  got record;
BEGIN
  SELECT * INTO got FROM subsidy.province_read('annual_figures', p_year);
  RETURN QUERY
  WITH remote AS (
    SELECT f.*, (SELECT d.server FROM subsidy.province_sources() d WHERE f.region = ANY (d.regions)) AS source
      FROM jsonb_populate_recordset(NULL::subsidy_report.annual_figures, got.rows) f
  ), here AS (
    -- this database's own pools, those no region database serves
    SELECT f.*, NULL::text AS source
      FROM subsidy_report.annual_figures f
     WHERE f.year = p_year
       AND NOT EXISTS (SELECT FROM subsidy.province_sources() d WHERE f.region = ANY (d.regions))
  ), pool AS (
    SELECT * FROM remote UNION ALL SELECT * FROM here
  ), gone AS (
    SELECT m.region, m.source, m.problem FROM subsidy.province_missing(got.missing, 'province_annual_report') m
  ), province AS (
    SELECT g.parent AS code,
           bool_and(NOT EXISTS (SELECT FROM gone x JOIN subsidy.region q ON q.code = x.region WHERE q.parent = g.parent))
             AS complete
      FROM (SELECT r.parent FROM pool p JOIN subsidy.region r ON r.code = p.region
            UNION SELECT r.parent FROM gone x JOIN subsidy.region r ON r.code = x.region) g
     GROUP BY g.parent
  )
  SELECT 'pool'::varchar(8), p.region, p.region_name, p.year, p.regions_covered, p.enterprises_applied,
         p.enterprises_approved, p.employees_covered, p.amount_total, p.amount_a1, p.amount_a2, p.amount_a3,
         p.amount_paid, p.decapacity_enterprises, p.decapacity_amount, p.zombies_refused, p.spot_checks,
         p.spot_checks_false_data, p.objections, p.days_to_payment_average, p.days_to_payment_longest,
         p.fund_balance, p.monthly_fund_expenditure, p.fund_cover_months, p.report_due_on, p.report_frozen_on,
         p.source::varchar(63), 'ok'::varchar(8), NULL::varchar(255)
    FROM pool p
  UNION ALL
  SELECT 'pool', x.region::varchar(6), r.name::varchar(50), p_year, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
         NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, make_date(p_year + 1, 1, 15), NULL,
         x.source::varchar(63), 'missing', x.problem::varchar(255)
    FROM gone x JOIN subsidy.region r ON r.code = x.region
  UNION ALL
  -- the province's totals, as subsidy.annual_report(year) adds its pools up: given only when
  -- every pool that has a database answered, unless partial asks for those that did; and in
  -- the ministry's database (it reads provinces' databases through their relays) the nation's,
  -- over every pool, on the same terms
  SELECT l.level::varchar(8), l.code::varchar(6), l.name::varchar(50), p_year,
         u.covered, u.applied, u.approved, u.employees, u.amount, u.a1, u.a2, u.a3, u.paid, u.decapacity,
         u.decapacity_amount, u.zombies, u.checks, u.false_data, u.objections, u.days_average, u.days_longest,
         u.fund_balance, u.expenditure, u.cover,
         make_date(p_year + 1, 1, 15), NULL, NULL,
         (CASE WHEN t.fits IS FALSE THEN 'missing' WHEN l.complete THEN 'ok' WHEN partial THEN 'partial'
               ELSE 'missing' END)::varchar(8),
         (CASE WHEN t.fits IS FALSE THEN 'the figures the pools sent add up beyond the report''s range'
               WHEN NOT l.complete THEN
            left(format('pooling regions %s did not answer', (SELECT string_agg(x.region, ', ' ORDER BY x.region)
                                                                FROM gone x JOIN subsidy.region q ON q.code = x.region
                                                               WHERE l.level = 'nation' OR q.parent = l.code)), 255) END)::varchar(255)
    FROM (SELECT 'province' AS level, pr.code, pr.name, pv.complete
            FROM province pv JOIN subsidy.region pr ON pr.code = pv.code
           WHERE (SELECT subsidy.sees_every_region())
              OR NOT EXISTS (SELECT FROM subsidy.region q
                              WHERE q.parent = pr.code AND q.is_pool AND q.code <> ALL ((SELECT subsidy.caller_regions())::text[]))
          UNION ALL
          SELECT 'nation', '000000', '全国', NOT EXISTS (SELECT FROM gone)
           WHERE EXISTS (SELECT FROM subsidy.province_sources() d WHERE d.relay)
             AND ((SELECT subsidy.sees_every_region())
                  OR NOT EXISTS (SELECT FROM subsidy.region q
                                  WHERE q.is_pool AND q.code <> ALL ((SELECT subsidy.caller_regions())::text[])))) l
    -- the sums unbounded first: figures a region sent, each valid, may add up beyond a column's
    -- range, which would fail every pool's report; such a total is withheld, and says so
    LEFT JOIN LATERAL (
      SELECT s.*,
             greatest(s.covered, s.applied, s.approved, s.employees, s.decapacity, s.zombies, s.checks, s.false_data,
                      s.objections) <= 2147483647
             AND greatest(abs(s.amount), abs(s.a1), abs(s.a2), abs(s.a3), abs(s.paid), abs(s.decapacity_amount),
                          abs(s.fund_balance), abs(s.expenditure)) < 1e14
             AND coalesce(abs(s.days_average), 0) < 1e7
             AND coalesce(abs(round(s.fund_balance / nullif(s.expenditure, 0), 2)), 0) < 1e6 AS fits
        FROM (SELECT sum(p.regions_covered) AS covered, sum(p.enterprises_applied) AS applied,
                     sum(p.enterprises_approved) AS approved, sum(p.employees_covered) AS employees,
                     sum(p.amount_total) AS amount, sum(p.amount_a1) AS a1, sum(p.amount_a2) AS a2,
                     sum(p.amount_a3) AS a3, sum(p.amount_paid) AS paid, sum(p.decapacity_enterprises) AS decapacity,
                     sum(p.decapacity_amount) AS decapacity_amount, sum(p.zombies_refused) AS zombies,
                     sum(p.spot_checks) AS checks, sum(p.spot_checks_false_data) AS false_data,
                     sum(p.objections) AS objections,
                     round(sum(p.days_to_payment_average * p.payments) FILTER (WHERE p.payments > 0)
                           / nullif(sum(p.payments), 0), 1) AS days_average,
                     max(p.days_to_payment_longest) AS days_longest, sum(p.fund_balance) AS fund_balance,
                     sum(p.monthly_fund_expenditure) AS expenditure
                FROM pool p JOIN subsidy.region q ON q.code = p.region
               WHERE l.level = 'nation' OR q.parent = l.code
              HAVING count(*) > 0) s
    ) t ON l.complete OR partial
    -- (a CASE each: a cast is not put off by a condition beside it, and would fail)
    CROSS JOIN LATERAL (
      SELECT CASE WHEN t.fits THEN t.covered::integer END AS covered, CASE WHEN t.fits THEN t.applied::integer END AS applied,
             CASE WHEN t.fits THEN t.approved::integer END AS approved,
             CASE WHEN t.fits THEN t.employees::integer END AS employees, CASE WHEN t.fits THEN t.amount END AS amount,
             CASE WHEN t.fits THEN t.a1 END AS a1, CASE WHEN t.fits THEN t.a2 END AS a2, CASE WHEN t.fits THEN t.a3 END AS a3,
             CASE WHEN t.fits THEN t.paid END AS paid, CASE WHEN t.fits THEN t.decapacity::integer END AS decapacity,
             CASE WHEN t.fits THEN t.decapacity_amount END AS decapacity_amount,
             CASE WHEN t.fits THEN t.zombies::integer END AS zombies, CASE WHEN t.fits THEN t.checks::integer END AS checks,
             CASE WHEN t.fits THEN t.false_data::integer END AS false_data,
             CASE WHEN t.fits THEN t.objections::integer END AS objections,
             CASE WHEN t.fits THEN t.days_average END AS days_average, CASE WHEN t.fits THEN t.days_longest END AS days_longest,
             CASE WHEN t.fits THEN t.fund_balance END AS fund_balance, CASE WHEN t.fits THEN t.expenditure END AS expenditure,
             CASE WHEN t.fits THEN round(t.fund_balance / nullif(t.expenditure, 0), 2) END AS cover
    ) u
   ORDER BY 1 DESC, 2;
END
$$;
COMMENT ON FUNCTION subsidy.province_annual_report(integer, boolean) IS
  'R3 年度实施情况报告 of a province whose pools live in several databases: a row per pool, read where it lives (source: its foreign server; empty: this database), state ok, or missing with the reason when its database did not answer (and a WARNING); and the province''s totals, added up as subsidy.annual_report adds its pools, given only when every pool answered (partial => true: those that did, marked partial); in the ministry''s database, which reads provinces'' databases through their relays (connect_regions, "relay": true), each province''s and the nation''s (level nation, region 000000) on the same terms';

-- [J54 三(五)] 调度: the progress of every pool, read where it lives, and the province's per step.
CREATE FUNCTION subsidy.province_progress(p_year integer, partial boolean DEFAULT false)
RETURNS TABLE (level varchar(8), region varchar(6), region_name varchar(50), year integer, step varchar(12),
  step_name varchar(12), step_order integer, is_final integer, applications integer, waiting_since date,
  days_waiting_average numeric(8,1), days_waiting_longest integer, waiting_over_30_days integer,
  report_due_on date, report_frozen_on date, report_state varchar(10), report_warning varchar(60),
  source varchar(63), state varchar(8), problem varchar(255))
LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  got record;
BEGIN
  SELECT * INTO got FROM subsidy.province_read('progress', p_year);
  RETURN QUERY
  WITH pool AS (
    SELECT f.*, (SELECT d.server FROM subsidy.province_sources() d WHERE f.region = ANY (d.regions)) AS source
      FROM jsonb_populate_recordset(NULL::subsidy_report.progress, got.rows) f
    UNION ALL
    SELECT f.*, NULL
      FROM subsidy_report.progress f
     WHERE f.year = p_year
       AND NOT EXISTS (SELECT FROM subsidy.province_sources() d WHERE f.region = ANY (d.regions))
  ), gone AS (
    SELECT m.region, m.source, m.problem FROM subsidy.province_missing(got.missing, 'province_progress') m
  )
  SELECT 'pool'::varchar(8), p.region, p.region_name, p.year, p.step, p.step_name, p.step_order, p.is_final,
         p.applications, p.waiting_since, p.days_waiting_average, p.days_waiting_longest, p.waiting_over_30_days,
         p.report_due_on, p.report_frozen_on, p.report_state, p.report_warning, p.source::varchar(63),
         'ok'::varchar(8), NULL::varchar(255)
    FROM pool p
  UNION ALL
  SELECT 'pool', x.region::varchar(6), r.name::varchar(50), p_year, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
         NULL, make_date(p_year + 1, 1, 15), NULL, NULL, NULL, x.source::varchar(63), 'missing', x.problem::varchar(255)
    FROM gone x JOIN subsidy.region r ON r.code = x.region
  UNION ALL
  -- per step, the province's: how many, since when, for how long (each pool's average weighted
  -- by its count), given when every pool answered (partial: those that did, marked)
  SELECT 'province', pr.code::varchar(6), pr.name::varchar(50), p_year, p.step, min(p.step_name), min(p.step_order),
         min(p.is_final), CASE WHEN sum(p.applications) <= 2147483647 THEN sum(p.applications)::integer END,
         min(p.waiting_since),
         round(sum(p.days_waiting_average * p.applications) / nullif(sum(p.applications) FILTER
               (WHERE p.days_waiting_average IS NOT NULL), 0), 1),
         max(p.days_waiting_longest),
         CASE WHEN sum(p.waiting_over_30_days) <= 2147483647 THEN sum(p.waiting_over_30_days)::integer END,
         make_date(p_year + 1, 1, 15), NULL, NULL, NULL, NULL,
         -- counts a region sent, each valid, that add up beyond the column's range: withheld, said so
         (CASE WHEN greatest(sum(p.applications), sum(p.waiting_over_30_days)) > 2147483647 THEN 'missing'
               WHEN NOT EXISTS (SELECT FROM gone) THEN 'ok' ELSE 'partial' END)::varchar(8),
         (CASE WHEN greatest(sum(p.applications), sum(p.waiting_over_30_days)) > 2147483647 THEN
            'the figures the pools sent add up beyond the report''s range'
               WHEN EXISTS (SELECT FROM gone) THEN
            left(format('pooling regions %s did not answer', (SELECT string_agg(x.region, ', ' ORDER BY x.region) FROM gone x)),
                 255) END)::varchar(255)
    FROM pool p
    JOIN subsidy.region q ON q.code = p.region
    JOIN subsidy.region pr ON pr.code = q.parent
   WHERE (NOT EXISTS (SELECT FROM gone) OR partial)
     AND ((SELECT subsidy.sees_every_region())
          OR NOT EXISTS (SELECT FROM subsidy.region o
                          WHERE o.parent = pr.code AND o.is_pool AND o.code <> ALL ((SELECT subsidy.caller_regions())::text[])))
   GROUP BY pr.code, pr.name, p.step
   ORDER BY 1 DESC, 2, 7;
END
$$;
COMMENT ON FUNCTION subsidy.province_progress(integer, boolean) IS
  '[J54 三(五)] 调度、通报 of a province whose pools live in several databases: each pool''s progress per step, read where it lives, state missing with the reason for a pool whose database did not answer (and a WARNING); and the province''s per step (average waits weighted by count), given only when every pool answered (partial => true: those that did, marked partial)';

-- S4: every chain's head, read where it lives.
CREATE FUNCTION subsidy.province_audit_heads()
RETURNS TABLE (region varchar(6), region_name varchar(50), seq bigint, hash char(64), logged_at varchar(32),
               source varchar(63), state varchar(8), problem varchar(255))
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  got record;
BEGIN
  SELECT * INTO got FROM subsidy.province_read('audit_heads', NULL);
  RETURN QUERY
  SELECT h.region, h.region_name, h.seq, h.hash, h.logged_at,
         (SELECT d.server FROM subsidy.province_sources() d WHERE h.region = ANY (d.regions))::varchar(63),
         'ok'::varchar(8), NULL::varchar(255)
    FROM jsonb_populate_recordset(NULL::subsidy_report.audit_heads, got.rows) h
  UNION ALL
  SELECT h.region, h.region_name, h.seq, h.hash, h.logged_at, NULL, 'ok', NULL
    FROM subsidy_report.audit_heads h
   WHERE NOT EXISTS (SELECT FROM subsidy.province_sources() d WHERE h.region = ANY (d.regions))
  UNION ALL
  SELECT x.region::varchar(6), r.name::varchar(50), NULL, NULL, NULL, x.source::varchar(63), 'missing',
         x.problem::varchar(255)
    FROM subsidy.province_missing(got.missing, 'province_audit_heads') x JOIN subsidy.region r ON r.code = x.region
   ORDER BY 1;
END
$$;
COMMENT ON FUNCTION subsidy.province_audit_heads() IS
  'S4: the head of every pool''s audit chain, read where it lives (this database''s own chains for the pools no region database serves), state missing with the reason for a pool whose database did not answer';

-- S4: the heads as read, kept in the province's database: the evidence outside each region's.
CREATE PROCEDURE subsidy.keep_province_heads()
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  heads jsonb;
  gone text[];
  back record;
BEGIN
  IF to_regclass('subsidy_province.heads_kept') IS NULL THEN
    PERFORM subsidy.raise('province_not_connected');
  END IF;
  SELECT coalesce(jsonb_agg(jsonb_build_object('region', h.region, 'seq', h.seq, 'hash', h.hash, 'at', h.logged_at)
                            ORDER BY h.region) FILTER (WHERE h.state = 'ok'), '[]'),
         coalesce(array_agg(h.region::text ORDER BY h.region) FILTER (WHERE h.state <> 'ok'), '{}')
    INTO heads, gone
    FROM subsidy.province_audit_heads() h;
  -- a chain only grows: a head behind the one kept last, or the same entry under another number,
  -- is not kept as if nothing had happened; the pool is kept missing, and said so
  FOR back IN WITH last AS (
                -- each pool's head as kept last: the kept heads read once, not once a pool
                SELECT DISTINCT ON (e ->> 'region') e ->> 'region' AS region, (e ->> 'seq')::bigint AS seq, e ->> 'hash' AS hash
                  FROM subsidy_province.heads_kept k, jsonb_array_elements(k.heads) e
                 ORDER BY e ->> 'region', k.kept_at DESC)
              SELECT l.region, l.seq AS was, (n ->> 'seq')::bigint AS now
                FROM jsonb_array_elements(heads) n JOIN last l ON l.region = n ->> 'region'
               WHERE (n ->> 'seq')::bigint < l.seq
                  OR ((n ->> 'seq')::bigint = l.seq) <> (n ->> 'hash' = l.hash) LOOP
    PERFORM subsidy.raise('province_head_back', back.region, back.was::text, back.now::text);
    gone := gone || back.region;
  END LOOP;
  heads := (SELECT coalesce(jsonb_agg(e), '[]') FROM jsonb_array_elements(heads) e WHERE e ->> 'region' <> ALL (gone));
  INSERT INTO subsidy_province.heads_kept (heads, missing) VALUES (heads, gone);
END
$$;
COMMENT ON PROCEDURE subsidy.keep_province_heads() IS
  'S4: keep every pool''s audit chain head as the province reads it now (subsidy_province.heads_kept, with the pools that did not answer); a region verifies them with subsidy.verify_audit(heads)';

-- A province's tables made by connect_regions keep their row-level security across an update
-- of the extension (and subsidy.partition_by_year), which drops the code it uses
-- (upgrade/drop_code.sql) and makes it again here.
DO $province_policies$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT c.oid::pg_catalog.regclass AS rel
             FROM pg_catalog.pg_class c
             JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
            WHERE n.nspname OPERATOR(pg_catalog.=) 'subsidy_province' AND c.relkind OPERATOR(pg_catalog.=) 'p'
              AND NOT EXISTS (SELECT FROM pg_catalog.pg_policy p
                               WHERE p.polrelid OPERATOR(pg_catalog.=) c.oid AND p.polname OPERATOR(pg_catalog.=) 'own_regions') LOOP
    EXECUTE pg_catalog.format('CREATE POLICY own_regions ON %s USING (subsidy.session_guarded() AND '
                              '((SELECT subsidy.sees_every_region()) OR region OPERATOR(pg_catalog.=) ANY ((SELECT subsidy.caller_regions())::text[])))',
                              r.rel);
  END LOOP;
  PERFORM subsidy.province_make_relays();
END
$province_policies$;

REVOKE ALL ON FUNCTION subsidy.province_sources(), subsidy.province_source_options(jsonb), subsidy.province_views(),
  subsidy.province_relayed(), subsidy.province_make_relays(), subsidy.province_partitions(),
  subsidy.province_rows_problem(text, jsonb),
  subsidy.province_read(text, integer), subsidy.province_missing(jsonb, text),
  subsidy.province_annual_report(integer, boolean), subsidy.province_progress(integer, boolean),
  subsidy.province_audit_heads()
  FROM PUBLIC;
REVOKE ALL ON PROCEDURE subsidy.connect_regions(jsonb), subsidy.disconnect_region(text), subsidy.keep_province_heads()
  FROM PUBLIC;
GRANT EXECUTE ON FUNCTION subsidy.province_sources(), subsidy.province_views(), subsidy.province_relayed(),
  subsidy.province_partitions(), subsidy.province_rows_problem(text, jsonb),
  subsidy.province_read(text, integer),
  subsidy.province_missing(jsonb, text), subsidy.province_annual_report(integer, boolean),
  subsidy.province_progress(integer, boolean), subsidy.province_audit_heads()
  TO subsidy_admin, subsidy_reader;
GRANT EXECUTE ON FUNCTION subsidy.province_source_options(jsonb), subsidy.province_make_relays() TO subsidy_admin;
GRANT EXECUTE ON PROCEDURE subsidy.connect_regions(jsonb), subsidy.disconnect_region(text), subsidy.keep_province_heads()
  TO subsidy_admin;
