-- hostile_clerk: DOMAIN section 11 against clerks who try what they should not, each through
-- a real login of its own, mapped to one of two pooling regions: 长春 (220100, "a") and 吉林市
-- (220200, "b").  S1 region isolation on every path (tables, views, functions, triggers, error
-- messages, plan estimates), S2 no borrowed powers (trigger functions only on their own
-- tables), S3 no denial by others, S5 no input crashes the server.  Each class of attack
-- found earlier is tried as a class: every view and table a role may read, every trigger
-- function, enumerated from the catalog.
\set regression_db :DBNAME
\set su :USER
SET client_min_messages = warning;
DROP DATABASE IF EXISTS subsidy_hostile;
CREATE DATABASE subsidy_hostile TEMPLATE template0;
\c subsidy_hostile
CREATE EXTENSION subsidy;
SET client_min_messages = warning;
-- A province run to publicity's end, 800 applications in all its pools.
\set applications 800
\set stage cleared
\set ECHO none
\o /dev/null
\i test/sample/province.sql
\o
\set ON_ERROR_STOP 0
\set ECHO all
RESET client_min_messages;
SET datestyle = 'ISO, YMD';
\set VERBOSITY default
\set SHOW_CONTEXT never

-- Real logins: each party of each region, a reader, a login with no role, the DBA.
DO $$
DECLARE
  p text;
  r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['a', 'b'] LOOP
    FOREACH p IN ARRAY ARRAY['applicant', 'agency', 'hrss', 'finance', 'reader'] LOOP
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = format('regress_hc_%s_%s', r, p)) THEN
        EXECUTE format('CREATE ROLE %I LOGIN IN ROLE %I', format('regress_hc_%s_%s', r, p), 'subsidy_' || p);
      END IF;
      EXECUTE format('INSERT INTO subsidy.staff_region (staff, region) VALUES (%L, %L)',
                     format('regress_hc_%s_%s', r, p), CASE r WHEN 'a' THEN '220100' ELSE '220200' END);
    END LOOP;
  END LOOP;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'regress_hc_nobody') THEN
    CREATE ROLE regress_hc_nobody LOGIN;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'regress_hc_dba') THEN
    CREATE ROLE regress_hc_dba LOGIN IN ROLE subsidy_admin;
  END IF;
END
$$;

-- What region b holds that region a must never learn: its enterprises' codes, names, bank
-- accounts and contacts, its payment references and its audit chain's hashes.
UPDATE subsidy.enterprise SET contact_person = '联系人' || substr(uscc::text, 11, 6),
       contact_phone = '139' || substr(uscc::text, 11, 8) WHERE contact_person IS NULL;
SET subsidy.today = '2019-07-20';
SELECT count(subsidy.pay(a.id, '2019-07-19', 'B-PAY-' || a.id)) AS b_paid
  FROM (SELECT id FROM subsidy.application WHERE region = '220200' AND stage = 'cleared' ORDER BY id LIMIT 3) a;
RESET subsidy.today;
CREATE TABLE public.secret AS
SELECT DISTINCT s FROM (
  SELECT uscc::text AS s, region FROM subsidy.enterprise
  UNION ALL SELECT name, region FROM subsidy.enterprise
  UNION ALL SELECT bank_account, region FROM subsidy.enterprise
  UNION ALL SELECT contact_phone, region FROM subsidy.enterprise
  UNION ALL SELECT payment_reference, region FROM subsidy.application
  UNION ALL SELECT encode(hash, 'hex'), region FROM subsidy.audit_log
) x
WHERE region = '220200' AND s IS NOT NULL
  AND s NOT IN (SELECT uscc::text FROM subsidy.enterprise WHERE region <> '220200'
                UNION ALL SELECT name FROM subsidy.enterprise WHERE region <> '220200'
                UNION ALL SELECT bank_account FROM subsidy.enterprise WHERE region <> '220200' AND bank_account IS NOT NULL);
SELECT count(*) > 1000 AS many_secrets FROM public.secret;

-- Where the attacks write what they saw: any row a leaky function was shown, any error text.
CREATE TABLE public.seen (role name, relation text, what text);
GRANT INSERT ON public.seen TO PUBLIC;
CREATE FUNCTION public.peek(rel text, what text) RETURNS boolean LANGUAGE plpgsql COST 0.0000001 AS $$
BEGIN
  INSERT INTO public.seen VALUES (current_user, rel, what);
  RETURN true;
END
$$;
-- attack(): as the caller, against every relation of the extension it may read, column by
-- column: a cheap leaky function in the WHERE clause, and a failing cast whose error
-- message would print the value.  Returns how many queries it ran.
CREATE FUNCTION public.attack() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  r record;
  n integer := 0;
  msg text;
BEGIN
  FOR r IN SELECT c.oid::regclass::text AS rel, a.attname
             FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            WHERE c.relnamespace IN ('subsidy'::regnamespace, 'subsidy_report'::regnamespace)
              AND c.relkind IN ('r', 'v', 'm', 'p')
              AND has_column_privilege(c.oid, a.attnum, 'SELECT')
            ORDER BY 1, 2 LOOP
    BEGIN
      EXECUTE format('SELECT count(*) FROM %s t WHERE public.peek(%L, t.%I::text)', r.rel, r.rel, r.attname);
    EXCEPTION WHEN OTHERS THEN
      INSERT INTO public.seen VALUES (current_user, r.rel || ' (error)', SQLERRM);
    END;
    BEGIN
      EXECUTE format('SELECT count(*) FROM %s t WHERE CASE WHEN t.%I IS NOT NULL THEN int4(t.%I::text) > 0 END',
                     r.rel, r.attname, r.attname);
    EXCEPTION WHEN OTHERS THEN
      GET STACKED DIAGNOSTICS msg = MESSAGE_TEXT;
      INSERT INTO public.seen VALUES (current_user, r.rel || '.' || r.attname || ' (cast)', msg);
    END;
    n := n + 2;
  END LOOP;
  RETURN n;
END
$$;

-- S1 through views and tables: each role of region a, the reader included, attacks every
-- relation it may read; nothing it is shown belongs to region b.
\c - regress_hc_a_applicant
SELECT public.attack() > 0 AS attacked;
\c - regress_hc_a_agency
SELECT public.attack() > 0 AS attacked;
\c - regress_hc_a_hrss
SELECT public.attack() > 0 AS attacked;
\c - regress_hc_a_finance
SELECT public.attack() > 0 AS attacked;
\c - regress_hc_a_reader
SELECT public.attack() > 0 AS attacked;
\c - regress_hc_nobody
SELECT public.attack() AS relations_attacked;
\c - :su
SELECT s.role, regexp_replace(s.relation, '^subsidy\.', '') AS relation, count(*) AS secrets_of_b_seen
  FROM public.seen s JOIN public.secret x ON strpos(s.what, x.s) > 0
 GROUP BY 1, 2 ORDER BY 1, 2;
SELECT count(DISTINCT role) AS roles_that_attacked, count(*) > 10000 AS many_rows_seen FROM public.seen;

-- S1 through owner-rights lookups: what an error tells a clerk of region a about region b.
\c - regress_hc_a_hrss
SET datestyle = 'ISO, YMD';
-- a sign-off for b's application: the same answer as for an application that does not exist
INSERT INTO subsidy.sign_off (application_id, review_round, agency, passed)
SELECT min(id), 1, 'hrss', true FROM subsidy.application WHERE year = 2019 AND uscc::text NOT LIKE '%';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\c - :su
SELECT min(id) AS b_application FROM subsidy.application WHERE region = '220200' \gset
SELECT max(id) + 1000 AS no_application FROM subsidy.application \gset
\c - regress_hc_a_hrss
INSERT INTO subsidy.sign_off (application_id, review_round, agency, passed) VALUES (:b_application, 1, 'hrss', true);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
INSERT INTO subsidy.sign_off (application_id, review_round, agency, passed) VALUES (:no_application, 1, 'hrss', true);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT * FROM subsidy.sign_off(:b_application, 'hrss', true);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT * FROM subsidy.sign_off(:no_application, 'hrss', true);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT id FROM subsidy.object(:b_application, '异议');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- who acts where is not a clerk's to ask
SELECT subsidy.regions_of('regress_hc_b_hrss');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT count(*) AS staff_rows_seen FROM subsidy.staff_region;
-- the papers (R2, W4, W7) answer for b's application, publicity or region as for one that
-- does not exist
SELECT subsidy.approval_notice(:b_application);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT subsidy.approval_notice(:no_application);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT subsidy.rejection_notice(:b_application);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\c - :su
SELECT min(id) AS b_publicity, max(id) + 1000 AS no_publicity FROM subsidy.publicity WHERE region = '220200' \gset
\c - regress_hc_a_hrss
SELECT subsidy.publicity_announcement(:b_publicity);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT subsidy.publicity_announcement(:no_publicity);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\c - regress_hc_a_agency
SELECT subsidy.payment_instruction('220200', 2019);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT subsidy.payment_instruction('229999', 2019);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\c - regress_hc_a_hrss
-- No plan of a query on the extension's protected tables is a clerk's to see: a plan's
-- estimates come from statistics over every region, and EXPLAIN ANALYZE counts the rows a
-- filter removed after an index (driven by the clerk's own leakproof condition) fetched them,
-- which listed another region's codes one by one.  Plain, ANALYZE, through a view, a prepared
-- statement or a function: all refused; a query on nothing of the extension's, and the DBA's
-- own EXPLAIN, are not.
\c - regress_hc_a_reader
SET enable_seqscan = off;
SET enable_bitmapscan = off;
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF)
SELECT 1 FROM subsidy.enterprise
 WHERE uscc OPERATOR(subsidy.>=) '91220200000000000X' AND uscc OPERATOR(subsidy.<=) '91220200YYYYYYYYYY';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
EXPLAIN (COSTS OFF) SELECT * FROM subsidy.application WHERE region = '220200';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT * FROM subsidy.application_list WHERE region = '220200';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
PREPARE probe(bigint) AS SELECT 1 FROM subsidy.application WHERE id = $1;
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) EXECUTE probe(7);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
DO $$ DECLARE r record; BEGIN FOR r IN EXECUTE 'EXPLAIN ANALYZE SELECT 1 FROM subsidy.audit_log WHERE application_id = 7' LOOP END LOOP; END $$;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
EXPLAIN (COSTS OFF) SELECT 1 FROM pg_class WHERE relname = 'x';
\c - regress_hc_dba
-- (the plan's scan and its index condition: how a plan prints the policy's InitPlans changed in
-- PostgreSQL 17)
DO $$
DECLARE
  line text;
  n int := 0;
BEGIN
  FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) SELECT 1 FROM subsidy.application WHERE id = 7' LOOP
    n := n + 1;
    EXIT WHEN n > 2;
    RAISE NOTICE '%', line;
  END LOOP;
END
$$;
-- No clerk locks a table of the extension: an ACCESS EXCLUSIVE lock would stop every region.
\c - regress_hc_a_applicant
BEGIN;
LOCK TABLE subsidy.application IN ACCESS EXCLUSIVE MODE;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK;
BEGIN;
LOCK TABLE subsidy.application_list;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK;
\c - regress_hc_a_agency
BEGIN;
LOCK TABLE subsidy.payment_file IN SHARE ROW EXCLUSIVE MODE;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK;
-- The reader reads no bank account, the one recorded for a payment included.
\c - regress_hc_a_reader
SELECT payment_bank_account FROM subsidy.application LIMIT 1;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT count(*) > 0 AS reader_reads_applications FROM subsidy.application_list;
-- a payment reference used in b: the clerk of a is not told so (references are per region)
\c - regress_hc_a_agency
SET datestyle = 'ISO, YMD';
\c - :su
SELECT min(id) AS a_cleared FROM subsidy.application WHERE region = '220100' AND stage = 'cleared' \gset
SELECT min(payment_reference) AS b_reference FROM subsidy.application WHERE region = '220200' AND stage = 'paid' \gset
ALTER ROLE regress_hc_a_agency SET subsidy.today = '2019-07-20';
\c - regress_hc_a_agency
SELECT stage, payment_reference FROM subsidy.pay(:a_cleared, '2019-07-19', :'b_reference');
SELECT min(id) AS a_cleared_2 FROM subsidy.application WHERE stage = 'cleared' \gset
SELECT stage FROM subsidy.pay(:a_cleared_2, '2019-07-19', :'b_reference');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\c - :su
ALTER ROLE regress_hc_a_agency RESET subsidy.today;

-- Cross-region filing: an applicant of a files for b's enterprise (refused as if it did not
-- exist: an application's region is its enterprise's), or chooses a region, an id, a round.
SELECT uscc AS b_enterprise FROM subsidy.enterprise WHERE region = '220200' ORDER BY uscc LIMIT 1 \gset
\c - regress_hc_a_applicant
INSERT INTO subsidy.application (year, uscc) VALUES (2020, :'b_enterprise');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
INSERT INTO subsidy.application (year, uscc) VALUES (2020, '91350100M000100Y43');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
INSERT INTO subsidy.enterprise (uscc, name, region) VALUES ('91220101MA0Y3PXN8Y', '长春新申请有限公司', '220100');
INSERT INTO subsidy.application (year, uscc, region) VALUES (2020, '91220101MA0Y3PXN8Y', '220200');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
INSERT INTO subsidy.application (id, year, uscc) VALUES (99999999, 2020, '91220101MA0Y3PXN8Y');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
INSERT INTO subsidy.application (id, year, uscc) OVERRIDING SYSTEM VALUE VALUES (99999999, 2020, '91220101MA0Y3PXN8Y');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
INSERT INTO subsidy.application (year, uscc, review_round) VALUES (2020, '91220101MA0Y3PXN8Y', 7);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
INSERT INTO subsidy.application (year, uscc, created_at) VALUES (2020, '91220101MA0Y3PXN8Y', '2000-01-01');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
INSERT INTO subsidy.application (year, uscc) VALUES (2020, '91220101MA0Y3PXN8Y') RETURNING region, review_round, stage;
-- and an enterprise of its own cannot be moved into b
UPDATE subsidy.enterprise SET region = '220200' WHERE uscc::text = '91220101MA0Y3PXN8Y';
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- S1 through numbers: a row's number counts on within its region, so that no clerk reads from
-- the gap between two numbers of its own how many rows other regions filed in between (the
-- fifth tester's F3).  a files, b files three, a files again: a's second number follows its first.
\c - :su
INSERT INTO subsidy.enterprise (uscc, name, region)
SELECT body || subsidy.uscc_check_character(body), format('编号探测%s有限公司', n), region
  FROM (VALUES (1, '220100'), (2, '220200'), (3, '220200'), (4, '220200'), (5, '220100')) v(n, region),
       LATERAL (SELECT '91' || region || 'MA0NUM00' || n AS body) b;
\c - regress_hc_a_applicant
INSERT INTO subsidy.application (year, uscc) SELECT 2020, uscc FROM subsidy.enterprise WHERE name = '编号探测1有限公司'
RETURNING id AS a_first \gset
\c - :su
INSERT INTO subsidy.application (year, uscc)
SELECT 2020, uscc FROM subsidy.enterprise WHERE name LIKE '编号探测_有限公司' AND region = '220200';
\c - regress_hc_a_applicant
INSERT INTO subsidy.application (year, uscc) SELECT 2020, uscc FROM subsidy.enterprise WHERE name = '编号探测5有限公司'
RETURNING id - :a_first AS numbers_after_a_first;

-- S2: trigger functions fire only as the triggers of their own tables.  A clerk cannot
-- attach one to a table of its own; a superuser who does is refused before anything is read.
\c - regress_hc_a_hrss
CREATE TEMP TABLE fake_application (LIKE subsidy.application);
ALTER TABLE fake_application ALTER COLUMN paid_amount TYPE bigint;
CREATE FUNCTION pg_temp.try_triggers() RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE r record;
BEGIN
  FOR r IN SELECT p.oid::regprocedure AS fn FROM pg_proc p
            WHERE p.pronamespace = 'subsidy'::regnamespace AND p.prorettype = 'trigger'::regtype ORDER BY p.oid::regprocedure::text LOOP
    BEGIN
      EXECUTE format('CREATE TRIGGER t BEFORE INSERT OR UPDATE OR DELETE ON fake_application FOR EACH ROW EXECUTE FUNCTION %s', r.fn);
      EXECUTE 'DROP TRIGGER t ON fake_application';
      RETURN NEXT r.fn || ': attached';
    EXCEPTION WHEN OTHERS THEN
      RETURN NEXT r.fn || ': ' || SQLSTATE;
    END;
  END LOOP;
END $$;
SELECT * FROM pg_temp.try_triggers();
\c - :su
SELECT max(seq) AS b_seq FROM subsidy.audit_log WHERE region = '220200' \gset
CREATE TEMP TABLE fake_application (LIKE subsidy.application INCLUDING DEFAULTS);
ALTER TABLE fake_application ALTER COLUMN paid_amount TYPE bigint;
CREATE TEMP TABLE fake_log (LIKE subsidy.audit_log);
CREATE FUNCTION pg_temp.fire_triggers() RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE r record;
BEGIN
  FOR r IN SELECT p.oid::regprocedure AS fn FROM pg_proc p
            WHERE p.pronamespace = 'subsidy'::regnamespace AND p.prorettype = 'trigger'::regtype ORDER BY p.oid::regprocedure::text LOOP
    BEGIN
      EXECUTE format('CREATE TRIGGER t BEFORE INSERT OR UPDATE OR DELETE ON fake_application FOR EACH ROW EXECUTE FUNCTION %s', r.fn);
      INSERT INTO fake_application (id, year, region, uscc, stage, paid_amount, review_round, created_at)
      VALUES (1, 2019, '220200', '91220101MA0Y3PXK6M', 'draft', 12345, 1, now());
      UPDATE fake_application SET stage = 'submitted';
      RETURN NEXT r.fn || ': ran';
    EXCEPTION WHEN OTHERS THEN
      RETURN NEXT r.fn || ': ' || SQLSTATE || ' ' || SQLERRM;
    END;
    PERFORM set_config('client_min_messages', 'warning', true);
    EXECUTE 'DROP TRIGGER IF EXISTS t ON fake_application';
    PERFORM set_config('client_min_messages', 'notice', true);
  END LOOP;
END $$;
SELECT * FROM pg_temp.fire_triggers();
SELECT count(*) AS entries_appended_to_b FROM subsidy.audit_log WHERE region = '220200' AND seq > :b_seq;
SELECT count(*) AS audit_problems FROM subsidy.verify_audit();

-- S3: no lock or key that ordinary SQL reaches stops another region's work; a staff row that
-- names a role dropped since stops nobody.
\c - regress_hc_a_hrss
SELECT has_function_privilege('subsidy.lock_audit_chain(text)', 'EXECUTE');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\c - :su
CREATE ROLE regress_hc_gone IN ROLE subsidy_hrss;
INSERT INTO subsidy.staff_region (staff, region) VALUES ('regress_hc_gone', '220100');
DROP ROLE regress_hc_gone;
\c - regress_hc_b_hrss
SELECT count(*) > 0 AS b_still_sees_its_rows FROM subsidy.application;
\c - :su

-- Side tables: each row of another region out of reach; what is recorded stays as recorded.
\c - regress_hc_a_hrss
UPDATE subsidy.policy_snapshot SET parameters = '{}' WHERE region = '220200';
SELECT count(*) AS b_snapshots_seen FROM subsidy.policy_snapshot WHERE region = '220200';
INSERT INTO subsidy.policy_snapshot (year, region, parameters) VALUES (2019, '220200', '{}');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
INSERT INTO subsidy.policy_snapshot (year, region, parameters) VALUES (2019, '220100', '{"standard_rate_large": 9}');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
INSERT INTO subsidy.annual_report_frozen (year, region, version, report) VALUES (2019, '220100', 1, '{"amount_total": 1}');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
INSERT INTO subsidy.application_verdict (application_id, assessed_at, policy_snapshot_id, verdict)
SELECT a.id, now(), s.id, 'eligible rule=A1 basis=paid base=1.00 rate=0.500 amount=999999.00'
  FROM subsidy.application a, subsidy.policy_snapshot s WHERE a.region = '220100' AND s.region = '220100' LIMIT 1;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- a spot check's finding is never undone by hand
\c - :su
SET session_replication_role = replica;   -- the finding of an earlier check, put there by hand
INSERT INTO subsidy.spot_check_draw (id, region, year, seed, sample_size, drawn_on) VALUES (220100000000900, '220100', 2019, 'x', 1, '2019-06-10');
INSERT INTO subsidy.spot_check_item (draw_id, application_id, result, checked_on) VALUES (220100000000900, :a_cleared_2, 'false_data', '2019-06-12');
RESET session_replication_role;
SELECT subsidy.log_baseline() AS rows_put_there_by_hand_vouched_for;
\c - regress_hc_a_hrss
UPDATE subsidy.spot_check_item SET result = 'confirmed' WHERE result = 'false_data';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
DELETE FROM subsidy.spot_check_item;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT result FROM subsidy.spot_check_item;
-- a closed year's rows take nothing new
\c - :su
INSERT INTO subsidy.closed_year (year) VALUES (2018);
\c - regress_hc_a_hrss
INSERT INTO subsidy.application_window VALUES ('220100', 2018, '2018-03-01', '2018-05-31');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
INSERT INTO subsidy.publicity (region, year, starts_on, ends_on, workdays) VALUES ('220100', 2018, '2030-01-01', '2030-01-01', 7);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
INSERT INTO subsidy.region_basis_year (region, basis_year, registered_unemployment_rate) VALUES ('220100', 2017, 1.0);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\c - :su
DELETE FROM subsidy.closed_year WHERE year = 2018;

-- What a clerk could forge or slip past in its own region (a second attack, from the README
-- alone).  Who loaded a payment file, who reported a batch upward and who drew a spot check,
-- and when, are the extension's to record, not the clerk's to write.
\c - :su
ALTER ROLE regress_hc_a_agency SET subsidy.today = '2019-07-20';
ALTER ROLE regress_hc_a_hrss SET subsidy.today = '2019-07-20';
SELECT uscc AS a_uscc, decided_amount AS a_amount FROM subsidy.application
 WHERE region = '220100' AND stage = 'cleared' ORDER BY id LIMIT 1 \gset
\c - regress_hc_a_agency
INSERT INTO subsidy.payment_file (batch, uscc, year, amount, paid_on, reference, loaded_at, loaded_by)
VALUES ('forged', :'a_uscc', 2019, :a_amount, '2019-07-15', 'FORGED-1', '2019-07-16 09:00+08', 'regress_hc_b_agency');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\c - regress_hc_a_hrss
INSERT INTO subsidy.report_batch (region, year, reference, reported_on, reported_by)
VALUES ('220100', 2019, 'FORGED-BATCH', '2019-01-01', 'zhang_san');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
INSERT INTO subsidy.spot_check_draw (region, year, seed, sample_size, drawn_on, drawn_by)
VALUES ('220100', 2019, 'chosen', 50, '2019-04-01', 'li_si');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- a corrected annual report says why, in words: not through the internal writer either
SELECT subsidy.freeze_report_rows(2019, '   ');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- payment references that only look different are the same reference
\c - :su
SELECT id AS c1 FROM subsidy.application WHERE region = '220100' AND stage = 'cleared' ORDER BY id LIMIT 1 \gset
SELECT id AS c2 FROM subsidy.application WHERE region = '220100' AND stage = 'cleared' ORDER BY id OFFSET 1 LIMIT 1 \gset
\c - regress_hc_a_agency
SELECT stage, payment_reference FROM subsidy.pay(:c1, '2019-07-19', 'JL2019-0001');
SELECT stage FROM subsidy.pay(:c2, '2019-07-19', 'jl2019-0001');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT stage FROM subsidy.pay(:c2, '2019-07-19', 'JL2019-0001 ');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT stage FROM subsidy.pay(:c2, '2019-07-19', 'ＪＬ2019-0001');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT stage FROM subsidy.pay(:c2, '2019-07-19', E'JL2019-0001\u200b');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT stage FROM subsidy.pay(:c2, 'infinity', 'JL2019-0002');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- an enterprise's register entry changes only in the trail: its name and contacts as much as
-- its bank details (S4)
\c - regress_hc_a_applicant
UPDATE subsidy.enterprise SET name = name || '（已更名）', contact_phone = '13000000000'
 WHERE uscc OPERATOR(subsidy.=) :'a_uscc';
\c - regress_hc_a_agency
SELECT action, detail, figures::jsonb ? 'name' AS name_logged, figures::jsonb ? 'contact_phone' AS contact_logged
  FROM subsidy.audit_log WHERE action = 'enterprise' ORDER BY seq DESC LIMIT 1;
-- a code registered in another region: a duplicate, as in any one register (the province keeps
-- one register of enterprises; it names nothing of the other region)
\c - :su
SELECT uscc AS b_uscc FROM subsidy.enterprise WHERE region = '220200' ORDER BY uscc LIMIT 1 \gset
\c - regress_hc_a_applicant
\set VERBOSITY terse
INSERT INTO subsidy.enterprise (uscc, name, region) VALUES (:'b_uscc', '抢注', '220100');
\set VERBOSITY default
-- the DBA closes a year through close_year's checks, however it goes about it
\c - regress_hc_dba
INSERT INTO subsidy.closed_year (year) VALUES (2019);
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- A restore is the superuser's explicit act, not something any session can begin.
\c - regress_hc_a_hrss
SET row_security = off;
SELECT subsidy.restoring() AS clerk_restoring;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT subsidy.begin_restore();
\echo SQLSTATE :LAST_ERROR_SQLSTATE
INSERT INTO subsidy.restore_in_progress DEFAULT VALUES;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET subsidy.restore_mode = on;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\c - :su
SELECT max(id) AS a_cleared_3 FROM subsidy.application WHERE region = '220100' AND stage = 'cleared' \gset
SET row_security = off;
UPDATE subsidy.application SET stage = 'reported' WHERE id = :a_cleared_3;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
INSERT INTO subsidy.audit_log (region, seq, at, actor, acting_role, action, prev_hash, hash)
VALUES ('220100', 999999, now(), 'x', 'x', 'transition', '\x00', NULL);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET row_security;

-- A third attack from the README alone.  S1: the statistics counters count every row an
-- index scan fetched before row-level security filtered it, so a clerk's own leakproof
-- condition on another region's rows (a count it cannot see, a payment reference bisected)
-- showed in pg_stat_user_indexes.  No clerk, and no login without a subsidy role, reads
-- any per-relation, per-function or per-database counter, through any path.
\c - regress_hc_a_reader
SET enable_seqscan = off;
BEGIN;
SELECT count(*) AS visible FROM subsidy.application WHERE region = '220200' AND year = 2019;
SELECT pg_stat_get_xact_tuples_returned('subsidy.application_region_year_stage'::regclass);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK;
SELECT idx_tup_fetch FROM pg_stat_xact_user_tables WHERE relname = 'application';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT idx_tup_read FROM pg_stat_user_indexes WHERE indexrelname = 'application_region_year_stage';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT heap_blks_hit FROM pg_statio_user_tables WHERE relname = 'application';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
CREATE TEMP TABLE probe (n bigint CHECK (n < pg_stat_get_xact_tuples_fetched('subsidy.application'::regclass)));
INSERT INTO probe VALUES (0);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
DROP TABLE probe;
SELECT count(*) AS counters_a_clerk_may_read
  FROM pg_proc p
 WHERE p.pronamespace = 'pg_catalog'::regnamespace AND p.proname LIKE 'pg\_stat\_get\_%'
   AND p.pronargs >= 1 AND p.proargtypes[0] = 'oid'::regtype AND has_function_privilege(p.oid, 'EXECUTE');
\c - regress_hc_nobody
SELECT n_live_tup FROM pg_stat_user_tables WHERE relname = 'application';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\c - :su
SELECT count(*) > 0 AS the_dba_reads_them FROM pg_stat_user_indexes WHERE schemaname = 'subsidy';

-- S1: the stage guard named the region and year of another region's publicity where one of
-- its own was asked for; it says the same of one that does not exist.
SELECT id AS b_publicity FROM subsidy.publicity WHERE region = '220200' ORDER BY id LIMIT 1 \gset
SELECT max(id) + 1000 AS no_publicity FROM subsidy.publicity \gset
SELECT id AS a_decided FROM subsidy.application WHERE region = '220100' AND stage = 'cleared' ORDER BY id DESC LIMIT 1 \gset
\set ON_ERROR_ROLLBACK on
BEGIN;
SET LOCAL session_replication_role = replica;   -- an approved application waiting to be published
UPDATE subsidy.application SET stage = 'decided', publicity_id = NULL, cleared_on = NULL WHERE id = :a_decided;
SET LOCAL session_replication_role = origin;
SET LOCAL ROLE regress_hc_a_hrss;
\set VERBOSITY terse
UPDATE subsidy.application SET stage = 'in_publicity', publicity_id = :b_publicity WHERE id = :a_decided;
UPDATE subsidy.application SET stage = 'in_publicity', publicity_id = :no_publicity WHERE id = :a_decided;
\set VERBOSITY default
ROLLBACK;
\set ON_ERROR_ROLLBACK off

-- S3: LOCK TABLE of a view locks its tables too: a clerk's own view over the extension's
-- tables, however deep, is refused as they are.
\c - regress_hc_a_applicant
BEGIN;
CREATE TEMP VIEW my_applications AS SELECT * FROM subsidy.application;
CREATE TEMP VIEW my_lists AS SELECT 1 AS one FROM subsidy.publicity_list UNION ALL SELECT 1 FROM my_applications;
LOCK TABLE my_applications IN ACCESS EXCLUSIVE MODE;
ROLLBACK;
BEGIN;
CREATE TEMP VIEW my_lists AS SELECT 1 AS one FROM (SELECT 1 FROM subsidy.publicity_list) x;
LOCK TABLE my_lists IN ACCESS SHARE MODE;
ROLLBACK;
BEGIN;
CREATE TEMP TABLE mine (n integer);
CREATE TEMP VIEW my_own AS SELECT * FROM mine;
LOCK TABLE my_own IN ACCESS EXCLUSIVE MODE;
ROLLBACK;
\c - :su

-- A fourth attack from the README alone.  S1: EXPLAIN is refused, but debug_print_plan with
-- client_min_messages = log sent the planner's whole tree to the clerk, each node's row
-- estimate with it: another region's publicity counted to within one, which publicity ids
-- exist, the province's payments per day.  No plan of a query on the protected tables, the
-- extension's own queries run for a clerk included, is printed to a clerk; trace_sort's
-- counts of the rows sorted neither.
INSERT INTO subsidy.policy_region (year, region, publicity_workdays, note)
VALUES (2020, '220100', 8, '长春：公示8个工作日'), (2020, '220200', 9, '吉林市：公示9个工作日');
\c - regress_hc_a_hrss
SET client_min_messages = log;
SET debug_print_plan = on;
SELECT count(*) FROM subsidy.application WHERE publicity_id = 2;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT count(*) FROM subsidy.publicity_list;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT count(*) FROM subsidy.review_queue WHERE position < 0;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET debug_print_plan;
SET trace_sort = on;
SELECT count(*) FROM (SELECT DISTINCT paid_on FROM subsidy.application ORDER BY 1) d;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET trace_sort;
-- a query on nothing of the extension's is the clerk's own business (its plan printed to the
-- server's log only, here)
SET client_min_messages = notice;
SET debug_print_plan = on;
SELECT count(*) AS nothing_of_the_extension FROM (SELECT 1 FROM pg_class LIMIT 1) x;
RESET debug_print_plan;
RESET client_min_messages;
-- S1: another region's basis-year facts, window and overrides are not a clerk's to read; its
-- own, and its province's (the threshold and fund some sets read), are.
SELECT DISTINCT region FROM subsidy.region_basis_year ORDER BY 1;
SELECT DISTINCT region FROM subsidy.application_window ORDER BY 1;
SELECT DISTINCT region FROM subsidy.policy_region ORDER BY 1;
SELECT DISTINCT region FROM subsidy.policy_in_force WHERE fund_balance IS NOT NULL ORDER BY 1;
\c - regress_hc_dba
SELECT count(DISTINCT region) > 2 AS the_dba_reads_every_region FROM subsidy.region_basis_year;
\c - :su

-- Every row the extension numbered above, in every table it numbers (found in the catalog),
-- has a number of its own region's: the region's code (an X code above every six-digit one)
-- times a billion, plus its count.
CREATE FUNCTION pg_temp.numbered_outside_region() RETURNS TABLE (tab text, numbered bigint, outside bigint)
LANGUAGE plpgsql AS $$
DECLARE r record;
BEGIN
  FOR r IN SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
            WHERE t.tgfoid = 'subsidy.assign_number'::regproc ORDER BY c.relname LOOP
    tab := r.relname;
    EXECUTE format($q$
      SELECT count(*), count(*) FILTER (WHERE x.number / 1000000000 <>
               CASE WHEN x.region ~ 'X' THEN 1000000 + left(x.region, 2)::bigint * 1000 + right(x.region, 3)::bigint
                    ELSE x.region::bigint END)
        FROM (SELECT t.%I AS number, coalesce(%s) AS region FROM subsidy.%I t) x$q$,
      CASE r.relname WHEN 'payment_file' THEN 'line' ELSE 'id' END,
      CASE r.relname
        WHEN 'objection' THEN '(SELECT a.region FROM subsidy.application a WHERE a.id = t.application_id)'
        WHEN 'payment_file' THEN '(SELECT e.region FROM subsidy.enterprise e WHERE e.uscc OPERATOR(subsidy.=) t.uscc)'
        ELSE 't.region' END, r.relname) INTO numbered, outside;
    RETURN NEXT;
  END LOOP;
END $$;
SELECT * FROM pg_temp.numbered_outside_region();

-- S5: the extension's message functions are every role's to call (its SQL raises its messages
-- through them, as the caller): a key that is none is bad input, 22023, not an internal error
-- (the attack round's F3).
\c - regress_hc_a_applicant
SELECT subsidy.message('no_such_key');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT subsidy.raise('');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\c - :su

-- S1, section 13: a staged line naming a unit of region b that has an application for the
-- year there is refused as another region's unit; the refusal tells region a's agency nothing
-- of that application (the filed-already check reads the caller's own regions only).
SELECT e.uscc::text AS b_unit FROM subsidy.enterprise e
  JOIN subsidy.application a ON a.uscc OPERATOR(subsidy.=) e.uscc AND a.year = 2019
 WHERE e.region = '220200' ORDER BY e.uscc LIMIT 1 \gset
\c - regress_hc_a_agency
INSERT INTO subsidy.contribution_staging (region, year, uscc, premiums_payable, premiums_paid)
VALUES ('220100', '2019', :'b_unit', '1000.00', '1000.00');
SELECT problem ~ '(220200|application)' AS tells_of_b, problem FROM subsidy.contribution_problems('220100', 2019) ORDER BY problem;
DELETE FROM subsidy.contribution_staging WHERE region = '220100';
\c - :su

-- Nothing above left a break in any region's chain, and every backend is still up.
SELECT count(*) AS audit_problems FROM subsidy.verify_audit();

\c :regression_db
SET client_min_messages = warning;
DROP DATABASE subsidy_hostile;
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT rolname FROM pg_roles WHERE rolname LIKE 'regress\_hc\_%' LOOP
    EXECUTE format('DROP ROLE %I', r.rolname);
  END LOOP;
END $$;
RESET client_min_messages;
