-- upgrade: ALTER EXTENSION subsidy UPDATE from 1.0 (through 1.1) to the current version on a
-- populated database keeps every row and every behaviour, and leaves the same catalog as a
-- fresh install of the current version.
\set regression_db :DBNAME
-- What the extension consists of, by name and definition (oids aside): every member object,
-- its comment, its rights; every column, constraint, index, trigger and policy of its tables;
-- what pg_dump keeps of its configuration tables.
\set catalog 'SELECT item FROM (SELECT pg_describe_object(d.classid, d.objid, 0) || coalesce('' -- '' || obj_description(d.objid, d.classid::regclass::text), '''') AS item FROM pg_depend d WHERE d.refclassid = ''pg_extension''::regclass AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = ''subsidy'') AND d.deptype = ''e'' UNION ALL SELECT ''function '' || p.oid::regprocedure || '' '' || pg_get_functiondef(p.oid) || coalesce(p.proacl::text, '''') FROM pg_proc p WHERE p.pronamespace = ''subsidy''::regnamespace AND p.prokind IN (''f'', ''p'') UNION ALL SELECT ''view '' || c.oid::regclass || '' '' || pg_get_viewdef(c.oid) FROM pg_class c WHERE c.relnamespace = ''subsidy''::regnamespace AND c.relkind = ''v'' UNION ALL SELECT ''relation '' || c.oid::regclass || '' '' || c.relkind::text || coalesce('' '' || c.relacl::text, '''') || '' rls='' || c.relrowsecurity FROM pg_class c WHERE c.relnamespace = ''subsidy''::regnamespace UNION ALL SELECT ''column '' || a.attrelid::regclass || ''.'' || a.attname || '' '' || format_type(a.atttypid, a.atttypmod) || '' '' || a.attnotnull || coalesce('' default '' || pg_get_expr(ad.adbin, ad.adrelid), '''') || coalesce('' -- '' || col_description(a.attrelid, a.attnum), '''') || coalesce('' '' || a.attacl::text, '''') FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum WHERE c.relnamespace = ''subsidy''::regnamespace AND a.attnum > 0 AND NOT a.attisdropped UNION ALL SELECT ''constraint '' || conrelid::regclass || '' '' || conname || '' '' || pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = ''subsidy''::regnamespace UNION ALL SELECT ''index '' || pg_get_indexdef(indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid WHERE c.relnamespace = ''subsidy''::regnamespace UNION ALL SELECT ''trigger '' || pg_get_triggerdef(t.oid) || '' '' || t.tgenabled::text FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE c.relnamespace = ''subsidy''::regnamespace AND NOT t.tgisinternal UNION ALL SELECT ''policy '' || schemaname || ''.'' || tablename || '' '' || policyname || '' '' || cmd || '' '' || coalesce(qual, '''') || '' '' || coalesce(with_check, '''') FROM pg_policies WHERE schemaname = ''subsidy'' UNION ALL SELECT ''config '' || x.extconfig::regclass[]::text || '' '' || coalesce(x.extcondition::text, '''') FROM pg_extension x WHERE x.extname = ''subsidy'') s ORDER BY 1'

-- 1.0, populated: a small province run through its whole year.
SET client_min_messages = warning;
DROP DATABASE IF EXISTS subsidy_upgrade_old;
DROP DATABASE IF EXISTS subsidy_upgrade_new;
RESET client_min_messages;
CREATE DATABASE subsidy_upgrade_old TEMPLATE template0;
\c subsidy_upgrade_old
SET client_min_messages = warning;
CREATE EXTENSION subsidy VERSION '1.0';
SELECT extversion FROM pg_extension WHERE extname = 'subsidy';
\set applications 400
\set stage closed
\set ECHO none
\o /dev/null
\i test/sample/province.sql
\o
\set ON_ERROR_STOP 0
\set ECHO all
CREATE TEMP TABLE before AS
SELECT (SELECT count(*) FROM subsidy.application) AS applications,
       (SELECT count(*) FROM subsidy.audit_log) AS audit_entries,
       (SELECT count(*) FROM subsidy.sign_off) AS sign_offs,
       (SELECT count(*) FROM subsidy.payment_file) AS payment_records,
       (SELECT count(*) FROM subsidy.annual_report_frozen) AS frozen_rows,
       (SELECT sum(paid_amount) FROM subsidy.application) AS paid,
       (SELECT md5(string_agg(verdict::text, ',' ORDER BY application_id)) FROM subsidy.application_verdict) AS verdicts;

ALTER EXTENSION subsidy UPDATE;
SELECT extversion FROM pg_extension WHERE extname = 'subsidy';
-- every row kept, the chains still verify, the stored verdicts unchanged
SELECT b.applications = (SELECT count(*) FROM subsidy.application) AS applications_kept,
       b.audit_entries = (SELECT count(*) FROM subsidy.audit_log) AS audit_kept,
       b.sign_offs = (SELECT count(*) FROM subsidy.sign_off) AS sign_offs_kept,
       b.payment_records = (SELECT count(*) FROM subsidy.payment_file) AS payments_kept,
       b.frozen_rows = (SELECT count(*) FROM subsidy.annual_report_frozen) AS frozen_report_kept,
       b.paid = (SELECT sum(paid_amount) FROM subsidy.application) AS amounts_kept,
       b.verdicts = (SELECT md5(string_agg(verdict::text, ',' ORDER BY application_id)) FROM subsidy.application_verdict) AS verdicts_kept
  FROM before b;
SELECT count(*) AS audit_problems FROM subsidy.verify_audit();
-- the same behaviour: the closed year stays closed, the next one opens and runs
SELECT count(*) AS annual_report_changes FROM subsidy.annual_report_changes(2019);
UPDATE subsidy.application SET spot_check = 'false_data' WHERE id = (SELECT min(id) FROM subsidy.application);
CALL subsidy.open_year(2020);
-- and what later versions add works on the data 1.0 wrote
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

\c :regression_db
DROP DATABASE subsidy_upgrade_old;
DROP DATABASE subsidy_upgrade_new;
