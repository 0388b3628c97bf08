-- upgrade: ALTER EXTENSION subsidy UPDATE from the previous release (1.1) on a database that
-- release populated keeps every row and every behaviour, and leaves the same catalog as a
-- fresh install of the current version, rights included; from 1.0 (through 1.1) too.
\set regression_db :DBNAME
-- What the extension consists of, by name and definition (oids aside): every member object,
-- its comment, its rights (and the initial rights pg_dump keeps); every column, constraint,
-- index, trigger and policy of its tables, the views' options and the columns' statistics
-- targets; what pg_dump keeps of its configuration tables.
\set catalog 'SELECT item FROM (SELECT pg_describe_object(d.classid, d.objid, 0) || coalesce('' -- '' || obj_description(d.objid, d.classid::regclass::text), '''') AS item FROM pg_depend d WHERE d.refclassid = ''pg_extension''::regclass AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = ''subsidy'') AND d.deptype = ''e'' UNION ALL SELECT ''function '' || p.oid::regprocedure || '' '' || pg_get_functiondef(p.oid) || coalesce(p.proacl::text, '''') FROM pg_proc p WHERE p.pronamespace IN (''subsidy''::regnamespace, ''subsidy_report''::regnamespace) AND p.prokind IN (''f'', ''p'') UNION ALL SELECT ''view '' || c.oid::regclass || '' '' || pg_get_viewdef(c.oid) FROM pg_class c WHERE c.relnamespace IN (''subsidy''::regnamespace, ''subsidy_report''::regnamespace) AND c.relkind = ''v'' UNION ALL SELECT ''relation '' || c.oid::regclass || '' '' || c.relkind::text || coalesce('' '' || c.relacl::text, '''') || '' rls='' || c.relrowsecurity || coalesce('' '' || c.reloptions::text, '''') FROM pg_class c WHERE c.relnamespace IN (''subsidy''::regnamespace, ''subsidy_report''::regnamespace) UNION ALL SELECT ''column '' || a.attrelid::regclass || ''.'' || a.attname || '' '' || format_type(a.atttypid, a.atttypmod) || '' '' || a.attnotnull || coalesce('' default '' || pg_get_expr(ad.adbin, ad.adrelid), '''') || coalesce('' -- '' || col_description(a.attrelid, a.attnum), '''') || coalesce('' '' || a.attacl::text, '''') FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum WHERE c.relnamespace IN (''subsidy''::regnamespace, ''subsidy_report''::regnamespace) AND a.attnum > 0 AND NOT a.attisdropped UNION ALL SELECT ''constraint '' || conrelid::regclass || '' '' || conname || '' '' || pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace IN (''subsidy''::regnamespace, ''subsidy_report''::regnamespace) UNION ALL SELECT ''index '' || pg_get_indexdef(indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid WHERE c.relnamespace IN (''subsidy''::regnamespace, ''subsidy_report''::regnamespace) UNION ALL SELECT ''trigger '' || pg_get_triggerdef(t.oid) || '' '' || t.tgenabled::text FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE c.relnamespace IN (''subsidy''::regnamespace, ''subsidy_report''::regnamespace) AND NOT t.tgisinternal UNION ALL SELECT ''policy '' || schemaname || ''.'' || tablename || '' '' || policyname || '' '' || cmd || '' '' || coalesce(qual, '''') || '' '' || coalesce(with_check, '''') FROM pg_policies WHERE schemaname IN (''subsidy'', ''subsidy_report'') UNION ALL SELECT ''config '' || u.c::regclass || '' '' || coalesce(u.cond, '''') FROM pg_extension x, unnest(x.extconfig, x.extcondition) AS u(c, cond) WHERE x.extname = ''subsidy'' UNION ALL SELECT ''initial rights '' || pg_describe_object(i.classoid, i.objoid, i.objsubid) || '' '' || i.privtype::text || '' '' || i.initprivs::text FROM pg_init_privs i WHERE EXISTS (SELECT FROM pg_depend d WHERE d.classid = i.classoid AND d.objid = i.objoid AND d.deptype = ''e'' AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = ''subsidy'')) UNION ALL SELECT ''column statistics '' || a.attrelid::regclass || ''.'' || a.attname || '' '' || a.attstattarget FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid WHERE c.relnamespace IN (''subsidy''::regnamespace, ''subsidy_report''::regnamespace) AND a.attstattarget >= 0) s ORDER BY 1'

-- 1.1, populated by 1.1 itself: a province run through subsidy year 2019 to its close
-- (test/upgrade/make_fixture.sh), loaded as 1.1's dump was, its triggers off.
SET client_min_messages = warning;
DROP DATABASE IF EXISTS subsidy_upgrade_old;
DROP DATABASE IF EXISTS subsidy_upgrade_new;
DROP DATABASE IF EXISTS subsidy_upgrade_oldest;
RESET client_min_messages;
CREATE DATABASE subsidy_upgrade_old TEMPLATE template0;
\c subsidy_upgrade_old
CREATE EXTENSION subsidy VERSION '1.1';
SELECT extversion FROM pg_extension WHERE extname = 'subsidy';
SET session_replication_role = replica;
\set ECHO none
\o /dev/null
\i test/upgrade/subsidy-1.1-province.sql
\o
\set ECHO all
RESET session_replication_role;
-- the library refuses to run 1.1's engine and triggers with its own rules until the update
SELECT subsidy.verdict_of(a) IS NOT NULL AS engine_runs FROM subsidy.application a LIMIT 1;
UPDATE subsidy.application SET spot_check = 'false_data' WHERE id = (SELECT min(id) FROM subsidy.application);
CREATE ROLE regress_upgrade_gone;
INSERT INTO subsidy.staff_region (staff, region) VALUES ('regress_upgrade_gone', '220100');
DROP ROLE regress_upgrade_gone;
CREATE TEMP TABLE before AS
SELECT (SELECT count(*) FROM subsidy.application) AS applications,
       (SELECT count(*) FROM subsidy.audit_log) AS audit_entries,
       (SELECT count(*) FROM subsidy.sign_off) AS sign_offs,
       (SELECT count(*) FROM subsidy.payment_file) AS payment_records,
       (SELECT count(*) FROM subsidy.annual_report_frozen) AS frozen_rows,
       (SELECT sum(paid_amount) FROM subsidy.application) AS paid,
       (SELECT md5(string_agg(verdict::text, ',' ORDER BY application_id)) FROM subsidy.application_verdict) AS verdicts,
       (SELECT max(id) FROM subsidy.application) AS last_application;

ALTER EXTENSION subsidy UPDATE;
SELECT extversion FROM pg_extension WHERE extname = 'subsidy';
-- every row kept, the chains still verify, the stored verdicts unchanged
SELECT b.applications = (SELECT count(*) FROM subsidy.application) AS applications_kept,
       b.audit_entries = (SELECT count(*) FROM subsidy.audit_log WHERE action <> 'baseline') AS audit_kept,
       b.sign_offs = (SELECT count(*) FROM subsidy.sign_off) AS sign_offs_kept,
       b.payment_records = (SELECT count(*) FROM subsidy.payment_file) AS payments_kept,
       b.frozen_rows = (SELECT count(*) FROM subsidy.annual_report_frozen) AS frozen_report_kept,
       b.paid = (SELECT sum(paid_amount) FROM subsidy.application) AS amounts_kept,
       b.verdicts = (SELECT md5(string_agg(verdict::text, ',' ORDER BY application_id)) FROM subsidy.application_verdict) AS verdicts_kept
  FROM before b;
SELECT count(*) AS audit_problems FROM subsidy.verify_audit();
-- Reports (issue 13): every application of 1.1 has the day it entered its stage, its stage's
-- own date where the row has one; every frozen annual report the day it was sent; the
-- reports schema reads the year 1.1 closed, with the figures of the reports of 1.1
SELECT count(*) FILTER (WHERE a.stage_since IS NULL) AS without_stage_since,
       count(*) FILTER (WHERE a.stage = 'reported' AND a.stage_since IS DISTINCT FROM b.reported_on) AS reported_on_another_day,
       count(*) FILTER (WHERE a.stage = 'decided' AND a.stage_since IS DISTINCT FROM a.decided_on) AS decided_on_another_day
  FROM subsidy.application a LEFT JOIN subsidy.report_batch b ON b.id = a.report_batch_id;
SELECT count(*) FILTER (WHERE frozen_on IS NULL) AS frozen_without_a_date FROM subsidy.annual_report_frozen;
SELECT (SELECT sum(amount_total) FROM subsidy_report.summary) = (SELECT sum(amount_total) FROM subsidy.region_summary)
         AS summaries_agree,
       (SELECT count(*) FROM subsidy_report.annual_report(2019)) = (SELECT count(*) FROM subsidy.annual_report(2019))
         AS annual_reports_agree,
       (SELECT count(*) FROM subsidy_report.progress WHERE report_state = 'overdue') AS overdue_reports;
-- S4: 1.1 did not record the state of the rows a decision or payment rests on: the update
-- records each as it finds it, once (a draft excepted), from which verify_audit holds every
-- row to the log
SELECT (SELECT count(DISTINCT subject) FROM subsidy.audit_log WHERE action = 'baseline' AND subject LIKE 'enterprise %')
         = (SELECT count(*) FROM subsidy.enterprise) AS every_enterprise_baselined,
       (SELECT count(DISTINCT subject) FROM subsidy.audit_log WHERE action = 'baseline' AND subject LIKE 'application %')
         = (SELECT count(*) FROM subsidy.application WHERE stage <> 'draft') AS every_application_baselined,
       (SELECT count(DISTINCT subject) FROM subsidy.audit_log WHERE action = 'baseline' AND subject LIKE 'sign\_off %')
         = (SELECT count(*) FROM subsidy.sign_off) AS every_sign_off_baselined,
       (SELECT count(*) FROM subsidy.audit_log WHERE action = 'baseline' AND application_id IS NOT NULL AND subject IS NULL)
         = 0 AS every_baseline_names_its_row;
-- the same behaviour: the closed year stays closed, the next one opens and runs; new rows
-- are numbered after the old ones; staff rows of roles dropped before the update are gone
SELECT count(*) AS annual_report_changes FROM subsidy.annual_report_changes(2019);
UPDATE subsidy.application SET spot_check = 'false_data' WHERE id = (SELECT min(id) FROM subsidy.application);
CALL subsidy.open_year(2020);
INSERT INTO subsidy.application (year, uscc) SELECT 2020, uscc FROM subsidy.enterprise ORDER BY uscc LIMIT 1;
SELECT max(id) > (SELECT last_application FROM before) AS numbered_after FROM subsidy.application;
SELECT count(*) AS staff_rows FROM subsidy.staff_region;
SELECT count(*) > 0 AS history_of_an_application
  FROM subsidy.application_history((SELECT min(id) FROM subsidy.application WHERE stage = 'reported'));
\pset tuples_only on
:catalog \g results/upgrade_catalog_updated.txt
\pset tuples_only off

-- A fresh install has the same catalog as the upgraded one.
CREATE DATABASE subsidy_upgrade_new TEMPLATE template0;
\c subsidy_upgrade_new
CREATE EXTENSION subsidy;
SELECT extversion FROM pg_extension WHERE extname = 'subsidy';
\pset tuples_only on
:catalog \g results/upgrade_catalog_fresh.txt
\pset tuples_only off
\! diff results/upgrade_catalog_updated.txt results/upgrade_catalog_fresh.txt > results/upgrade_catalog.diff && echo "the upgraded catalog is the fresh one" || echo "the catalogs differ: results/upgrade_catalog.diff"

-- 1.0, the first release, updates through 1.1 to the same catalog.
CREATE DATABASE subsidy_upgrade_oldest TEMPLATE template0;
\c subsidy_upgrade_oldest
CREATE EXTENSION subsidy VERSION '1.0';
ALTER EXTENSION subsidy UPDATE;
SELECT extversion FROM pg_extension WHERE extname = 'subsidy';
\pset tuples_only on
:catalog \g results/upgrade_catalog_from_1_0.txt
\pset tuples_only off
\! diff results/upgrade_catalog_from_1_0.txt results/upgrade_catalog_fresh.txt > results/upgrade_catalog_1_0.diff && echo "1.0 updated has the fresh catalog" || echo "the catalogs differ: results/upgrade_catalog_1_0.diff"

\c :regression_db
DROP DATABASE subsidy_upgrade_old;
DROP DATABASE subsidy_upgrade_new;
DROP DATABASE subsidy_upgrade_oldest;
