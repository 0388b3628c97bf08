-- reports: R1 (annex 3), R2 (the publicity list), R3 (the annual report, frozen), R4 (analysis),
-- in standard SQL types, each role in its regions (DOMAIN section 10).
SET search_path = public, subsidy;
SET datestyle = 'ISO, YMD';
\set VERBOSITY default

-- R1: per region and year, the totals of annex 3 (the DBA sees every region).
SELECT * FROM region_summary WHERE year = 2020 ORDER BY region;

-- R1: the per-enterprise list behind it.
SELECT region, application_id, uscc, enterprise, stage, decision, category, amount, reasons
  FROM application_list WHERE year = 2020 ORDER BY region, application_id;

-- R1 as annex 3 is printed: Chinese headings, enterprises in pinyin order (恒 héng, 宏 hóng,
-- 僵 jiāng, 鑫 xīn: not the order of their code points), then each region's totals row.
SELECT "统筹地区", "序号", "单位名称", "企业类别", "上年末参保人数", "上年度实缴失业保险费（元）",
       "核定补贴金额（元）", "审核结果", "未通过原因"
  FROM annex3 WHERE "补贴年度" = 2020;

-- R2: the publicity list, the amount in figures and in capitals.
SELECT region_name, enterprise, uscc, category, category_name, amount, amount_in_capitals,
       publicity_starts_on, publicity_ends_on, stage
  FROM publicity_list WHERE year = 2020;

-- R3: the annual report, per pooling region and for the province.
SELECT * FROM annual_report(2020);

-- R3: frozen as sent; a second freeze is refused; a correction is a new version, with its
-- reason; what changed since is listed field by field; frozen rows never change.
CALL freeze_annual_report(2020);
CALL freeze_annual_report(2020);
CALL freeze_annual_report(2020, '');
SELECT region, version, reason, report ->> 'amount_total' AS amount_total FROM annual_report_frozen ORDER BY region, version;
SET subsidy.today = '2020-05-21';
SELECT id, stage FROM clear((SELECT id FROM application WHERE uscc = '9144030071526726XG' AND year = 2020));
SELECT id, stage, paid_amount
  FROM pay((SELECT id FROM application WHERE uscc = '9144030071526726XG' AND year = 2020), '2020-05-21', 'ICBC-2020-0002');
RESET subsidy.today;
SELECT * FROM annual_report_changes(2020);
CALL freeze_annual_report(2020, '长春鑫源食品有限公司补贴已发放，更正发放金额');
SELECT region, version, reason, report ->> 'amount_paid' AS amount_paid FROM annual_report_frozen ORDER BY region, version;
SELECT count(*) AS changes_since_the_correction FROM annual_report_changes(2020);
UPDATE annual_report_frozen SET reason = 'rewritten';
DELETE FROM annual_report_frozen;
TRUNCATE annual_report_frozen;

-- R4: the analysis views.
SELECT year, region, category, category_name, enterprises, employees_covered, amount, amount_per_employee
  FROM analysis_by_category WHERE year = 2020 ORDER BY region, category;
SELECT year, region, firm_size, firm_size_name, applied, approved, amount
  FROM analysis_by_firm_size WHERE year = 2020 ORDER BY region, firm_size;
SELECT year, region, band, applied, approved, rejected_for_layoffs
  FROM analysis_by_layoff_band WHERE year = 2020 ORDER BY region, band_order;
SELECT year, region, fund_balance, monthly_fund_expenditure, months_of_cover, months_required,
       amount_decided, amount_share_of_balance_pct
  FROM analysis_fund_sufficiency WHERE year = 2020 ORDER BY region;
SELECT * FROM analysis_figure_differences WHERE year = 2020 ORDER BY region, figure;

-- Every report in standard SQL types only (what ODBC tools read: numbers, text, dates; an
-- application's number is a BIGINT), and every view and column
-- described (the catalog test checks the tables; these are the views).
SELECT c.table_name, c.column_name, c.data_type
  FROM information_schema.columns c
 WHERE c.table_schema = 'subsidy'
   AND c.table_name IN ('application_list', 'region_summary', 'annex3', 'publicity_list', 'analysis_by_category',
                        'analysis_by_firm_size', 'analysis_by_layoff_band', 'analysis_fund_sufficiency',
                        'analysis_figure_differences')
   AND c.data_type NOT IN ('text', 'integer', 'bigint', 'numeric', 'date');
SELECT p.proname, t.typname
  FROM pg_proc p, unnest(p.proallargtypes, p.proargmodes) AS a(type, mode) JOIN pg_type t ON t.oid = a.type
 WHERE p.proname = 'annual_report' AND a.mode = 't' AND t.typname NOT IN ('text', 'int4', 'numeric', 'date');
SELECT c.relname, a.attname
  FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
 WHERE c.relnamespace = 'subsidy'::regnamespace AND c.relkind = 'v' AND a.attnum > 0
   AND (col_description(c.oid, a.attnum) IS NULL OR obj_description(c.oid, 'pg_class') IS NULL)
   AND c.relname IN ('application_list', 'region_summary', 'annex3', 'publicity_list', 'analysis_by_category',
                     'analysis_by_firm_size', 'analysis_by_layoff_band', 'analysis_fund_sufficiency',
                     'analysis_figure_differences');

-- Each role in its regions: 长春's reader sees 长春 only, no province totals (it does not see
-- every pool), and no bank account.
SET ROLE regress_cc_reader;
SELECT region, year, applied, approved, amount_total FROM region_summary ORDER BY region, year;
SELECT region_name, enterprise, amount FROM publicity_list WHERE year = 2020;
SELECT level, region, enterprises_applied, amount_total FROM annual_report(2020);
SELECT DISTINCT "统筹地区" FROM annex3;
SELECT bank_account FROM enterprise;
SELECT uscc, name, region FROM enterprise ORDER BY uscc;
RESET ROLE;

-- Under a parallel plan the caller's regions are read in its workers and in its leader, both in
-- parallel mode, where no new snapshot may be taken: the report, the functions and a clerk's
-- rows come out as without one (they failed with "cannot update SecondarySnapshot during a
-- parallel operation", and so did R3 of any province large enough for a parallel plan).
-- (force_parallel_mode is named debug_parallel_query from PostgreSQL 16.)
SELECT CASE WHEN current_setting('server_version_num')::int >= 160000 THEN 'debug_parallel_query'
            ELSE 'force_parallel_mode' END AS parallel_setting \gset
SET :parallel_setting = on;
SELECT sees_every_region() AS sees_every, cardinality(caller_regions()) > 0 AS has_regions;
SELECT level, region, enterprises_applied, amount_total FROM annual_report(2020);
SET ROLE regress_cc_reader;
SELECT sees_every_region() AS sees_every, caller_regions();
SELECT level, region, enterprises_applied, amount_total FROM annual_report(2020);
SELECT region, year, applied, approved, amount_total FROM region_summary ORDER BY region, year;
RESET ROLE;
RESET :parallel_setting;
