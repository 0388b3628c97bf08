-- hostile: a clerk plants look-alikes of what the extension calls (an operator, functions, an
-- aggregate, a domain named text) in public and puts public before pg_catalog on its path;
-- no function, trigger, view or policy of the extension runs them, not even the code that
-- acts as the tables' owner.  No function of the extension runs with its owner's rights, and
-- the reader reaches no bank account through anything it may read.
SET datestyle = 'ISO, YMD';
\set VERBOSITY terse
CREATE ROLE regress_mallory IN ROLE subsidy_hrss, subsidy_applicant;
INSERT INTO subsidy.staff_region (staff, region) VALUES ('regress_mallory', '220100');
GRANT CREATE ON SCHEMA public TO regress_mallory;
SET subsidy.today = '2020-03-10';
INSERT INTO subsidy.region_office (region, hrss_office, agency_office, objection_address, objection_phone)
VALUES ('220100', '长春市人力资源和社会保障局', '长春市社会保险事业管理局', '长春市政务服务中心', '0431-12333');
SET ROLE regress_mallory;
CREATE TABLE public.ran (what text);
CREATE FUNCTION public.pwn(what text) RETURNS boolean LANGUAGE plpgsql AS
  $$ BEGIN INSERT INTO public.ran VALUES (what); RETURN true; END $$;
CREATE FUNCTION public.text_eq(a text, b text) RETURNS boolean LANGUAGE sql AS
  $$ SELECT public.pwn('text = text') AND a OPERATOR(pg_catalog.=) b $$;
CREATE OPERATOR public.= (LEFTARG = text, RIGHTARG = text, FUNCTION = public.text_eq);
CREATE FUNCTION public.int_eq(a bigint, b bigint) RETURNS boolean LANGUAGE sql AS
  $$ SELECT public.pwn('bigint = bigint') AND a OPERATOR(pg_catalog.=) b $$;
CREATE OPERATOR public.= (LEFTARG = bigint, RIGHTARG = bigint, FUNCTION = public.int_eq);
CREATE FUNCTION public.pg_has_role(name, name, text) RETURNS boolean LANGUAGE sql AS $$ SELECT public.pwn('pg_has_role') $$;
CREATE FUNCTION public.now() RETURNS timestamptz LANGUAGE sql AS $$ SELECT public.pwn('now') AND false; SELECT pg_catalog.now() $$;
CREATE FUNCTION public.current_setting(text, boolean) RETURNS text LANGUAGE sql AS $$ SELECT public.pwn('current_setting')::text $$;
CREATE FUNCTION public.format(text, text) RETURNS text LANGUAGE sql AS $$ SELECT public.pwn('format')::text $$;
CREATE FUNCTION public.array_to_string(anyarray, text) RETURNS text LANGUAGE sql AS $$ SELECT public.pwn('array_to_string')::text $$;
CREATE FUNCTION public.round(numeric, integer) RETURNS numeric LANGUAGE sql AS $$ SELECT public.pwn('round')::integer::numeric $$;
CREATE FUNCTION public.sum_step(numeric, numeric) RETURNS numeric LANGUAGE sql AS $$ SELECT public.pwn('sum')::integer::numeric $$;
CREATE AGGREGATE public.sum(numeric) (SFUNC = public.sum_step, STYPE = numeric);
CREATE DOMAIN public.text AS pg_catalog.text CHECK (public.pwn('domain text'));
SET search_path = public, pg_catalog, subsidy;

-- Reading: the engine, its explanations, the reports, the queues, the trail.
SELECT count(verdict_of(a)) AS verdicts, count(explain(a)) AS explanations FROM application a;
SELECT count(*) AS summary_rows FROM region_summary;
SELECT count(*) AS annex3_rows FROM annex3;
SELECT count(*) AS publicity_rows FROM publicity_list;
SELECT count(*) AS report_rows FROM annual_report(2020);
SELECT count(*) AS queue_rows FROM review_queue;
SELECT count(*) AS analysis_rows FROM analysis_by_layoff_band;
SELECT rmb_upper(107000.53), category_name('A2');
-- the reports schema (its inlined functions name every operator) and the papers
SELECT count(*) AS report_rows, count(industry_name) AS industries, count(stage_name) AS stages,
       count(reasons) AS reasons FROM subsidy_report.applications;
SELECT count(*) AS annex_rows FROM subsidy_report.申请汇总表;
SELECT count(*) AS progress_rows FROM subsidy_report.progress;
SELECT count(*) AS industry_rows FROM subsidy_report.analysis_by_industry;
SELECT count(*) AS r3_rows FROM subsidy_report.annual_report(2020);
SELECT count(*) AS labels FROM subsidy_report.column_labels;
-- (the clerk's own queries name their operator, so that only the extension's code is tried)
SELECT length(rejection_notice(a.id, 'html')) > 0 AS rejection_notice
  FROM application a WHERE a.decision = 'rejected' AND a.region OPERATOR(pg_catalog.=) '220100';
SELECT length(approval_notice(a.id)) > 0 AS approval_notice
  FROM application a WHERE a.decision = 'approved' AND a.region OPERATOR(pg_catalog.=) '220100' LIMIT 1;
SELECT length(publicity_announcement(p.id)) > 0 AS announcement
  FROM publicity p WHERE p.region OPERATOR(pg_catalog.=) '220100' LIMIT 1;
SELECT count(*) > 0 AS history FROM application_history((SELECT min(id) FROM application WHERE stage = 'reported'));
SELECT count(*) AS audit_problems FROM verify_audit();
-- Writing: a new enterprise files, its application is submitted (the stage guard and the
-- audit trail act as the tables' owner), a review refused for being early, a year opened.
INSERT INTO enterprise (uscc, name, region, bank_name, bank_account)
VALUES ('91220101MA0Y3PXN8Y', '长春攻击测试有限公司', '220100', '中国银行长春分行', '6222021001000000999');
INSERT INTO application (year, uscc, insured_start, insured_end, insured_average, layoffs, retirements_deaths,
    premiums_payable, premiums_paid, arrears_basis_year, arrears_other_years, prior_subsidy, documents)
VALUES (2020, '91220101MA0Y3PXN8Y', 10, 10, 10, 0, 0, 12000, 12000, 0, 0, 0, '{annex1_materials,annex2_form}');
SELECT stage FROM submit((SELECT id FROM application WHERE uscc = '91220101MA0Y3PXN8Y'));
SELECT stage FROM start_review((SELECT id FROM application WHERE uscc = '91220101MA0Y3PXN8Y'));
CALL open_year(2024);
-- No climbing: no function of the extension is SECURITY DEFINER, and the caller's regions are
-- its own.
SELECT count(*) AS security_definer_functions FROM pg_proc WHERE pronamespace = 'subsidy'::regnamespace AND prosecdef;
SELECT cardinality(caller_regions()) AS regions_of_the_caller;
SELECT count(*) AS other_regions_rows FROM application WHERE region <> '220100';
SELECT count(*) AS audit_problems FROM verify_audit();
RESET search_path;
RESET ROLE;
SELECT count(*) AS attacker_code_ran, string_agg(DISTINCT what, ', ') AS what FROM public.ran;

-- The reader reaches no bank account through any relation it may read.
CREATE TEMP TABLE bank_accounts AS SELECT bank_account FROM subsidy.enterprise WHERE bank_account <> '';
GRANT SELECT ON bank_accounts TO regress_cc_reader;
SET ROLE regress_cc_reader;
DO $$
DECLARE
  r record;
  n bigint;
  total bigint := 0;
  readable integer := 0;
BEGIN
  FOR r IN SELECT c.oid::regclass AS rel FROM pg_catalog.pg_class c
            WHERE c.relnamespace = 'subsidy'::regnamespace AND c.relkind IN ('r', 'v')
              AND pg_catalog.has_table_privilege(c.oid, 'SELECT') ORDER BY 1 LOOP
    readable := readable + 1;
    EXECUTE pg_catalog.format('SELECT count(*) FROM %s t, pg_temp.bank_accounts b
                                WHERE strpos(t::text, b.bank_account) > 0', r.rel) INTO n;
    IF n > 0 THEN
      RAISE NOTICE '% shows a bank account', r.rel;
    END IF;
    total := total + n;
  END LOOP;
  RAISE NOTICE 'relations the reader may read: more than 20 (%); bank accounts found in them: %', readable > 20, total;
END
$$;
RESET ROLE;

-- Clean up what the clerk planted.
DROP OWNED BY regress_mallory;
DELETE FROM subsidy.staff_region WHERE staff = 'regress_mallory'::regrole;
DROP ROLE regress_mallory;
RESET subsidy.today;
