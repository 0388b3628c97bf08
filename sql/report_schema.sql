-- report_schema: the reports as readers and report tools read them, schema subsidy_report
-- (DOMAIN section 10: R1 annex 3, R2 the publicity list, R3 the annual report and its
-- deadline, R4 the analysis; [J54 二(三)2, 三(五)]), on the sample province: bounded types
-- in every column, annex 3 with the declared figures beside the confirmed ones and a marked
-- totals row, the progress of the year per region and step, industry in the analysis, labels
-- for every column, and a reader told why it would see nothing.  The papers (test papers) are
-- rendered from this database afterwards, which drops it.
\set regression_db :DBNAME
\set su :USER
SET client_min_messages = warning;
DROP DATABASE IF EXISTS subsidy_reports;
CREATE DATABASE subsidy_reports TEMPLATE template0;
\c subsidy_reports
SET client_min_messages = warning;
CREATE EXTENSION subsidy;
-- The logins of this test and the next (papers), which drops them.
DO $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT * FROM (VALUES ('regress_rs_cc_hrss', 'subsidy_hrss'), ('regress_rs_cc_reader', 'subsidy_reader'),
                                 ('regress_rs_jl_reader', 'subsidy_reader'), ('regress_rs_lost_reader', 'subsidy_reader'),
                                 ('regress_rs_nobody', NULL), ('regress_rs_cc_agency', 'subsidy_agency'),
                                 ('regress_rs_jl_hrss', 'subsidy_hrss'), ('regress_rs_applicant', 'subsidy_applicant')) v(name, role) LOOP
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r.name) THEN
      EXECUTE format('CREATE ROLE %I LOGIN', r.name);
    END IF;
    IF r.role IS NOT NULL THEN
      EXECUTE format('GRANT %I TO %I', r.role, r.name);
    END IF;
  END LOOP;
END
$$;
-- A province of 400 applications, its review open: the agency has confirmed most figures
-- (some differ from what was declared, one is not confirmed yet).
\set applications 400
\set stage in_review
\set keep 1
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
SET search_path = subsidy_report;
SET subsidy.today = '2019-06-10';

-- R1 as annex 3 means it ([J54 二(三)2]): hrss compiles every application's declared figures
-- for the agency to confirm, so they stand beside the confirmed ones while the review is open
-- (one of 辽源's enterprises declared 48 insured, the agency confirmed 43); nothing is granted
-- yet, which reads 0.00, not empty; the region's totals row is marked 合计.
SELECT 行类型, 序号, 单位名称, "上年初参保人数（申报）", "上年初参保人数（确认）", "上年度实缴失业保险费（申报，元）",
       "上年度实缴失业保险费（确认，元）", 申报确认不一致项数, "核定补贴金额（元）", 审核结果, 办理环节
  FROM 申请汇总表 WHERE 统筹地区代码 = '220400';
-- a confirmed figure the agency has not given yet stays empty, never 0
SELECT region, enterprise, declared_premiums_paid, confirmed_premiums_paid
  FROM applications WHERE confirmed_premiums_paid IS NULL;
-- R1 for tools: the totals row is marked, so that a tool's SUM of the details is the total,
-- not twice it; English headings, the same rows as the Chinese twin
SELECT a.region, sum(a.declared_premiums_paid) FILTER (WHERE a.row_kind = 'detail') AS details,
       sum(a.declared_premiums_paid) FILTER (WHERE a.row_kind = 'total') AS total,
       sum(a.declared_premiums_paid) AS everything_summed,
       count(*) FILTER (WHERE a.row_kind = 'total') AS totals_rows
  FROM annex3 a GROUP BY a.region ORDER BY a.region;
SELECT (SELECT count(*) FROM annex3) = (SELECT count(*) FROM 申请汇总表) AS twins_have_the_same_rows;
SELECT bool_and(row(t.region, t.row_number, t.enterprise, t.amount, t.result)
                  = row(c.统筹地区代码, c.序号, c.单位名称, c."核定补贴金额（元）", c.审核结果)) AS twins_agree
  FROM (SELECT row_number() OVER () AS n, * FROM annex3) t
  JOIN (SELECT row_number() OVER () AS n, * FROM 申请汇总表) c ON c.n = t.n;

-- [J54 三(五)] 调度: how many wait at each step, since when and for how long (from the day
-- each entered it: the review started on 3 June), and the annual report's deadline (R3):
-- 15 January of the next year, not yet due
SELECT region, step, step_name, is_final, applications, waiting_since, days_waiting_average, days_waiting_longest,
       waiting_over_30_days, report_due_on, report_state, report_days_left, report_warning
  FROM progress WHERE region IN ('220100', '22X002');

-- The year goes on: assessed, decided, published, cleared (test/sample/steps).
\set ECHO none
\o /dev/null
SET client_min_messages = warning;
\i test/sample/steps/05_assess.sql
\i test/sample/steps/06_decide.sql
\i test/sample/steps/07_publish.sql
\i test/sample/steps/08_clear.sql
RESET client_min_messages;
\o
\set ON_ERROR_STOP 0
\set ECHO all
SET search_path = subsidy_report;
SET subsidy.today = '2019-07-15';

-- R1 decided: an enterprise rejected is granted 0.00, with its reasons in words (W4); the
-- totals row counts each result; details and totals agree with the summary, and so does a
-- tool that sums only the details
SELECT 行类型, 序号, 单位名称, 企业类别, "核定补贴金额（元）", 审核结果, 未通过原因, 办理环节
  FROM 申请汇总表 WHERE 统筹地区代码 = '220400';
SELECT s.region, s.amount_total,
       (SELECT sum(a.amount) FROM annex3 a WHERE a.region = s.region AND a.row_kind = 'detail') AS details,
       (SELECT a.amount FROM annex3 a WHERE a.region = s.region AND a.row_kind = 'total') AS totals_row
  FROM summary s WHERE s.year = 2019 ORDER BY s.region;
-- 白城 grants nothing (E7): every row 0.00, the totals row too
SELECT count(*) AS rows, count(*) FILTER (WHERE amount = 0.00) AS granted_nothing, count(*) FILTER (WHERE amount IS NULL) AS empty
  FROM annex3 WHERE region = '220800';

-- R2: the publicity list, numbered within each publicity, amounts in figures and capitals
SELECT 公示批次 IS NOT NULL AS has_publicity, 序号, 单位名称, 补贴类别, "补贴金额（元）", 金额大写, 公示开始日期, 公示截止日期
  FROM 公示名单 WHERE 统筹地区代码 = '22X002';
SELECT l.region, count(*) AS listed, sum(l.amount) AS amount,
       (SELECT s.amount_total FROM summary s WHERE s.region = l.region AND s.year = 2019) AS summary_amount
  FROM publicity_list l GROUP BY l.region ORDER BY l.region;

-- [J54 三(五)] every step of the year, per region; rejected ones are done and wait for nothing
SELECT step, step_name, step_order, is_final, applications, waiting_since, days_waiting_longest
  FROM 办理进度 p
  JOIN LATERAL (SELECT p.环节代码 AS step, p.办理环节 AS step_name, p.环节序号 AS step_order, p.是否办结 AS is_final,
                       p.申请户数 AS applications, p.最早进入日期 AS waiting_since, p.最长等待天数 AS days_waiting_longest) x ON true
 WHERE p.统筹地区代码 = '220100' ORDER BY p.环节序号;
SELECT sum(applications) AS applications FROM progress;
-- the day an application entered its stage is the steps' to set (W1), not a clerk's
UPDATE subsidy.application SET stage_since = '2019-01-01'
 WHERE id = (SELECT min(application_id) FROM applications WHERE region = '22X002');

-- R3: the annual report in bounded types, with its deadline; within 30 days of 15 January a
-- report not yet sent is warned about (a WARNING naming the regions, and in the progress)
SET subsidy.today = '2019-12-20';
SELECT level, region, enterprises_applied, enterprises_approved, amount_total, fund_cover_months, report_due_on, report_frozen_on
  FROM annual_report(2019) WHERE region IN ('220000', '220100', '22X002');
SELECT DISTINCT report_state, report_days_left, report_warning FROM progress WHERE region = '220100';
SET subsidy.today = '2020-01-06';
SELECT count(*) AS rows FROM annual_report(2019);
SELECT DISTINCT report_state, report_state_name, report_days_left, report_warning FROM progress WHERE region = '220100';
-- 长春 sends its report on time (hrss of 长春 freezes it); the others are late
RESET search_path;
SET search_path = subsidy, public;
INSERT INTO staff_region (staff, region) VALUES ('regress_rs_cc_hrss', '220100');
SET ROLE regress_rs_cc_hrss;
CALL freeze_annual_report(2019);
RESET ROLE;
SET search_path = subsidy_report;
SET subsidy.today = '2020-01-20';
SELECT count(*) AS rows FROM annual_report(2019);
SELECT region, report_due_on, report_frozen_on, report_state, report_state_name, report_days_left, report_warning
  FROM (SELECT DISTINCT region, report_due_on, report_frozen_on, report_state, report_state_name, report_days_left,
                        report_warning FROM progress) p
 WHERE region IN ('220100', '220200') ORDER BY region;
SET client_min_messages = warning;
CALL subsidy.freeze_annual_report(2019);
RESET client_min_messages;
SELECT DISTINCT report_state, report_frozen_on FROM progress WHERE region = '220200';
SELECT count(*) AS rows FROM annual_report(2019);
-- R3 as sent (frozen) and as the function gives it agree
SELECT count(*) AS differences
  FROM annual_report(2019) r JOIN subsidy.annual_report_frozen f ON f.region = r.region AND f.year = 2019
 WHERE (f.report ->> 'amount_total')::numeric <> r.amount_total OR (f.report ->> 'enterprises_applied')::integer <> r.enterprises_applied;

-- R4: industry (国民经济行业分类门类, a fact of the enterprise) in the analysis; every application
-- counted once; its amounts agree with the summary's
SELECT industry, industry_name, sum(applied) AS applied, sum(approved) AS approved, sum(employees_covered) AS employees,
       sum(amount) AS amount
  FROM analysis_by_industry GROUP BY industry, industry_name ORDER BY industry;
SELECT (SELECT sum(applied) FROM analysis_by_industry) = (SELECT count(*) FROM applications) AS every_application_once,
       (SELECT sum(amount) FROM analysis_by_industry) = (SELECT sum(amount_total) FROM summary) AS amounts_agree;
SELECT category, category_name, sum(enterprises) AS enterprises, sum(amount) AS amount FROM analysis_by_category GROUP BY 1, 2 ORDER BY 1;
SELECT firm_size, firm_size_name, sum(applied) AS applied, sum(approved) AS approved FROM analysis_by_firm_size GROUP BY 1, 2 ORDER BY 1;
SELECT band, sum(applied) AS applied FROM analysis_by_layoff_band GROUP BY band, band_order ORDER BY band_order;
SELECT region, months_of_cover, months_required, amount_decided FROM analysis_fund_sufficiency WHERE year = 2019 ORDER BY region;
SELECT figure, sum(applications_differing) AS applications FROM analysis_figure_differences GROUP BY figure ORDER BY figure;
-- R1 and R4 as tools read them give the figures of the clerks' views in schema subsidy
SELECT v.name AS report,
       (SELECT count(*) FROM ((SELECT * FROM subsidy_report.summary EXCEPT SELECT * FROM subsidy.region_summary)
                              UNION ALL (SELECT * FROM subsidy.region_summary EXCEPT SELECT * FROM subsidy_report.summary)) x)
         AS differences
  FROM (VALUES ('summary')) v(name)
UNION ALL
SELECT 'analysis_by_category', count(*) FROM ((SELECT * FROM analysis_by_category EXCEPT SELECT * FROM subsidy.analysis_by_category)
    UNION ALL (SELECT * FROM subsidy.analysis_by_category EXCEPT SELECT * FROM analysis_by_category)) x
UNION ALL
SELECT 'analysis_by_firm_size', count(*) FROM ((SELECT * FROM analysis_by_firm_size EXCEPT SELECT * FROM subsidy.analysis_by_firm_size)
    UNION ALL (SELECT * FROM subsidy.analysis_by_firm_size EXCEPT SELECT * FROM analysis_by_firm_size)) x
UNION ALL
SELECT 'analysis_by_layoff_band', count(*) FROM ((SELECT * FROM analysis_by_layoff_band EXCEPT SELECT * FROM subsidy.analysis_by_layoff_band)
    UNION ALL (SELECT * FROM subsidy.analysis_by_layoff_band EXCEPT SELECT * FROM analysis_by_layoff_band)) x
UNION ALL
SELECT 'analysis_fund_sufficiency', count(*) FROM ((SELECT * FROM analysis_fund_sufficiency EXCEPT SELECT * FROM subsidy.analysis_fund_sufficiency)
    UNION ALL (SELECT * FROM subsidy.analysis_fund_sufficiency EXCEPT SELECT * FROM analysis_fund_sufficiency)) x
UNION ALL
SELECT 'analysis_figure_differences', count(*) FROM ((SELECT * FROM analysis_figure_differences EXCEPT SELECT * FROM subsidy.analysis_figure_differences)
    UNION ALL (SELECT * FROM subsidy.analysis_figure_differences EXCEPT SELECT * FROM analysis_figure_differences)) x;
-- the enterprise's industry is a fact of its register entry: a letter A-T or nothing
UPDATE subsidy.enterprise SET industry = 'Z' WHERE uscc::text = '91220000605362354K';
UPDATE subsidy.enterprise SET industry = 'c' WHERE uscc::text = '91220000605362354K';

-- Section 10: every column of every report in a bounded standard type, as ODBC reads it:
-- varchar(n) with n <= 255, char(n), numeric(p,s), integer, bigint, date; never text, an
-- unconstrained numeric, an enum, a boolean or a type of the extension
SELECT c.relname AS report, a.attname AS column_name, format_type(a.atttypid, a.atttypmod) AS type
  FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
 WHERE c.relnamespace = 'subsidy_report'::regnamespace AND c.relkind IN ('v', 'c')
   AND NOT (a.atttypid IN ('integer'::regtype, 'bigint'::regtype, 'date'::regtype)
            OR (a.atttypid = 'varchar'::regtype AND a.atttypmod BETWEEN 5 AND 259)
            OR (a.atttypid = 'bpchar'::regtype AND a.atttypmod > 4)
            OR (a.atttypid = 'numeric'::regtype AND a.atttypmod > 0))
 ORDER BY 1, 2;
-- money is numeric(p,2), exact to the fen; a USCC is char(18)
SELECT c.relname AS report, a.attname AS column_name, format_type(a.atttypid, a.atttypmod) AS type
  FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
 WHERE c.relnamespace = 'subsidy_report'::regnamespace AND c.relkind IN ('v', 'c')
   AND ((a.attname ~ '(amount|premiums|fund_balance|expenditure|declared_total|confirmed_total|金额|失业保险费)'
         AND NOT (a.atttypid = 'numeric'::regtype AND ((a.atttypmod - 4) & 65535) = 2)
         AND a.attname !~ '(capitals|大写|share)')
        OR (a.attname ~ '(uscc|统一社会信用代码)' AND format_type(a.atttypid, a.atttypmod) <> 'character(18)'))
 ORDER BY 1, 2;
-- what each report is and how its columns are typed (the named row type of annual_report is
-- known before it runs)
SELECT c.relname AS report, c.relkind AS kind, count(*) AS columns,
       string_agg(DISTINCT format_type(a.atttypid, a.atttypmod), ', ' ORDER BY format_type(a.atttypid, a.atttypmod)) AS types
  FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
 WHERE c.relnamespace = 'subsidy_report'::regnamespace
 GROUP BY c.relname, c.relkind ORDER BY c.relkind, c.relname;
SELECT p.oid::regprocedure AS function, format_type(p.prorettype, NULL) AS returns, p.proretset AS set
  FROM pg_proc p WHERE p.pronamespace = 'subsidy_report'::regnamespace;
-- the schema holds reports only: no table, sequence or function but annual_report
SELECT c.relname, c.relkind FROM pg_class c
 WHERE c.relnamespace = 'subsidy_report'::regnamespace AND c.relkind NOT IN ('v', 'c');

-- Labels: every column of every report has a Chinese heading, an English name and what it
-- holds (psqlODBC returns no remarks, so tools read them here); the columns' COMMENTs say
-- the same; a Chinese-named twin's columns are its English twin's headings
SELECT object_name, position, column_name, data_type, heading, name_en, description
  FROM column_labels WHERE object_name IN ('公示名单', 'publicity_list') ORDER BY object_name, position;
SELECT count(*) AS columns, count(DISTINCT object_name) AS reports,
       count(*) FILTER (WHERE heading IS NULL OR description IS NULL OR name_en IS NULL) AS unlabelled,
       max(char_length(description)) < 255 AS descriptions_fit,
       bool_and(col_description(format('subsidy_report.%I', object_name)::regclass, position)
                  = CASE WHEN name_en = column_name THEN heading ELSE name_en END || ' / ' || description) AS comments_agree
  FROM column_labels
 WHERE object_kind = 'view';
SELECT count(*) AS described_row_type_columns
  FROM column_labels l
 WHERE l.object_kind = 'function'
   AND col_description('subsidy_report.annual_report'::regclass, l.position) = l.heading || ' / ' || l.description;
SELECT c.relname AS undescribed
  FROM pg_class c WHERE c.relnamespace = 'subsidy_report'::regnamespace
   AND CASE c.relkind WHEN 'c' THEN obj_description(c.reltype, 'pg_type') ELSE obj_description(c.oid, 'pg_class') END IS NULL;

-- Readers: a login of subsidy_reader mapped to 长春 reads 长春 only; one mapped to the province
-- reads every pool and the province's row of R3.  A report login's documented search_path
-- is the schema alone: names are found without it.
INSERT INTO subsidy.staff_region (staff, region) VALUES ('regress_rs_cc_reader', '220100'), ('regress_rs_jl_reader', '220000');
ALTER ROLE regress_rs_cc_reader SET search_path = subsidy_report;
\c - regress_rs_cc_reader
SHOW search_path;
SELECT region, count(*) FROM applications GROUP BY region;
SELECT level, region FROM annual_report(2019);
SELECT count(*) AS rows, count(DISTINCT region) AS regions FROM annex3;
-- every object of the schema is the reader's to read in full
DO $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'subsidy_report'::regnamespace AND c.relkind = 'v' LOOP
    EXECUTE format('SELECT * FROM subsidy_report.%I LIMIT 1', r.relname);
  END LOOP;
  RAISE NOTICE 'every report read in full';
END
$$;
-- what the reader cannot read stays outside it: no bank account in any report
SELECT count(*) AS bank_columns FROM column_labels WHERE column_name ~ 'bank|account' OR name_en ~ 'bank|account';
\c - regress_rs_jl_reader
SELECT level, region, enterprises_applied FROM subsidy_report.annual_report(2019) WHERE level = 'province';
SELECT count(DISTINCT region) AS regions FROM subsidy_report.summary;
\c - :su

-- A reader mapped to no region is told so, not shown empty reports; a login with no role of
-- subsidy is told which role reads reports (SQLSTATE 42501, the hint names subsidy_reader)
\c - regress_rs_lost_reader
SELECT count(*) FROM subsidy_report.summary;
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate;
SELECT * FROM subsidy_report.annual_report(2019);
SELECT count(*) FROM subsidy_report.申请汇总表;
\c - regress_rs_nobody
SELECT count(*) FROM subsidy_report.summary;
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate;
SELECT * FROM subsidy_report.annual_report(2019);
SELECT count(*) FROM subsidy_report.column_labels;
-- every relation of the schema, not a few: each tells it what it lacks, none names an object
-- of schema subsidy it reads through
CREATE FUNCTION pg_temp.told() RETURNS TABLE (relation text, told text) LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT c.oid::regclass::text AS rel FROM pg_class c
            WHERE c.relnamespace = 'subsidy_report'::regnamespace AND c.relkind IN ('r', 'v', 'm', 'p', 'f')
            ORDER BY 1 LOOP
    relation := r.rel;
    BEGIN
      EXECUTE format('SELECT count(*) FROM %s', r.rel);
      told := 'read';
    EXCEPTION WHEN OTHERS THEN
      told := CASE WHEN SQLERRM LIKE '%may not read the subsidy reports' THEN 'report_access' ELSE SQLERRM END;
    END;
    RETURN NEXT;
  END LOOP;
END
$$;
SELECT told, count(*) AS relations, string_agg(relation, ', ' ORDER BY relation) FILTER (WHERE told <> 'report_access') AS which
  FROM pg_temp.told() GROUP BY told ORDER BY told;
-- it still reads nothing through the schema's names
SELECT count(*) FROM subsidy.application;
\c - :su
SET search_path = subsidy_report;
-- mapped, the reader reads its region
INSERT INTO subsidy.staff_region (staff, region) VALUES ('regress_rs_lost_reader', '220200');
SET ROLE regress_rs_lost_reader;
SELECT region, applied FROM summary;
RESET ROLE;
\c :regression_db
