-- Reproducer of the load suite's findings (test/load/README.md, "Findings"): run as a
-- superuser in a new database of a cluster where subsidy is installed:
--
--   createdb repro && psql -X -d repro -f test/load/repro/findings.sql
--
-- 1. A step repeated on an application that has taken it already is accepted and reported as
--    taken, with nothing done and nothing in the trail: a second objection (its text is not
--    recorded anywhere), a second reopening, decision, clearance, start of review.  Two
--    clerks at once meet this under load: both are told they did it.
-- 2. Signing again (sign_off replacing a party's verdict) writes two sign_off entries in the
--    audit trail for one sign-off.
--
-- Setup as in test/isolation/specs/workflow_races.spec: three applications of 长春 for 2020.
\set ON_ERROR_STOP 0
SET client_min_messages = warning;
CREATE EXTENSION subsidy;
SET search_path = public, subsidy;
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'repro_hrss') THEN CREATE ROLE repro_hrss IN ROLE subsidy_hrss; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'repro_finance') THEN CREATE ROLE repro_finance IN ROLE subsidy_finance; END IF;
END $$;
INSERT INTO subsidy.staff_region VALUES ('repro_hrss', '220100'), ('repro_finance', '220100');
INSERT INTO subsidy.region_basis_year (region, basis_year, registered_unemployment_rate, fund_balance, monthly_fund_expenditure)
VALUES ('220100', 2019, 3.40, 2400000.00, 100000.00);
INSERT INTO subsidy.application_window VALUES ('220100', 2020, '2020-03-02', '2020-04-30');
INSERT INTO subsidy.enterprise (uscc, name, region, bank_name, bank_account) VALUES
  ('91220101MA0Y3PXK6M', 'E1 长春宏达机械制造有限公司', '220100', '中国工商银行长春分行', '6222021001000000001'),
  ('9144030071526726XG', 'E2 长春鑫源食品有限公司', '220100', '吉林银行长春分行', '6222021001000000002'),
  ('91620105585923360D', 'E3 长春恒泰化工有限公司', '220100', '吉林银行长春分行', '6222021001000000003');
INSERT INTO subsidy.enterprise_year (uscc, year, decapacity, key_supported, zombie, monitored, firm_size)
SELECT uscc, 2020, false, false, false, false, 'large' FROM subsidy.enterprise;
INSERT INTO subsidy.application (year, uscc, insured_start, insured_end, insured_average, layoffs, retirements_deaths,
    premiums_payable, premiums_paid, arrears_basis_year, arrears_other_years, prior_subsidy, documents)
SELECT 2020, uscc, 80, 78, 79, 1, 0, 96000.00, 96000.00, 0, 0, 0, ARRAY['annex1_materials', 'annex2_form'] FROM subsidy.enterprise;
SET subsidy.today = '2020-03-16';
SELECT count(subsidy.submit(id)) FROM subsidy.application;
SET subsidy.today = '2020-05-06';
SELECT subsidy.start_review('220100', 2020);
UPDATE subsidy.application SET confirmed_insured_start = insured_start, confirmed_insured_end = insured_end,
       confirmed_insured_average = insured_average, confirmed_retirements_deaths = retirements_deaths,
       confirmed_premiums_payable = premiums_payable, confirmed_premiums_paid = premiums_paid,
       confirmed_arrears_basis_year = arrears_basis_year, confirmed_arrears_other_years = arrears_other_years,
       confirmed_deferral_agreement = deferral_agreement, confirmed_prior_subsidy = prior_subsidy,
       confirmed_layoffs = layoffs, policy_compliant = true, financial_management_sound = true,
       confirmed_prior_subsidy_use_proper = prior_subsidy_use_proper;
SELECT count(subsidy.sign_off(a.id, g, true)) FROM subsidy.application a, unnest(enum_range(NULL::subsidy.agency)) g;
SELECT count(subsidy.decide(id)) FROM subsidy.application WHERE uscc <> '91620105585923360D';
SELECT id AS e1 FROM subsidy.application WHERE uscc = '91220101MA0Y3PXK6M' \gset
SELECT id AS e2 FROM subsidy.application WHERE uscc = '9144030071526726XG' \gset
SELECT id AS e3 FROM subsidy.application WHERE uscc = '91620105585923360D' \gset
SELECT subsidy.start_publicity('220100', 2020, '2020-05-06');
RESET client_min_messages;

\echo '--- finding 1: hrss, 2020-05-08, E2 in publicity: two objections, one after the other; the second is accepted and recorded nowhere'
SET subsidy.today = '2020-05-08';
SET ROLE repro_hrss;
SELECT stage FROM subsidy.object(:e2, '第一条异议：裁员未如实申报');
SELECT stage FROM subsidy.object(:e2, '第二条异议：拖欠工资');
SELECT review_round, text FROM subsidy.objection WHERE application_id = :e2 ORDER BY id;
\echo '--- hrss reopens E2, then again: the second call reopens nothing and says round 2'
SELECT stage, review_round FROM subsidy.reopen_review(:e2);
SELECT stage, review_round FROM subsidy.reopen_review(:e2);
\echo '--- hrss decides E3, then again: the second call is accepted and changes nothing'
SELECT stage, decision, decided_amount FROM subsidy.decide(:e3);
SELECT stage, decision, decided_amount FROM subsidy.decide(:e3);
RESET ROLE;
\echo '--- hrss, 2020-05-14: clears E1, then again: the second call is accepted too'
SET subsidy.today = '2020-05-14';
SET ROLE repro_hrss;
SELECT stage, cleared_on FROM subsidy.clear(:e1);
SELECT stage, cleared_on FROM subsidy.clear(:e1);
\echo '--- start_review of an application in review: accepted'
SELECT stage, review_round FROM subsidy.start_review(:e2);
RESET ROLE;
\echo '--- the trail has one entry for each pair: E2 one objection (the first text only), one reopening; E3 one decision; E1 one clearance'
SELECT application_id, from_stage, to_stage, detail FROM subsidy.audit_log
 WHERE application_id IN (:e1, :e2, :e3) AND action = 'transition' AND to_stage IN ('objection', 'in_review', 'cleared', 'decided')
   AND from_stage <> 'submitted' ORDER BY seq;
SELECT count(*) AS audit_problems FROM subsidy.verify_audit();

\echo '--- finding 2: finance signs E2 (round 2), then signs again: one sign-off each, three entries in the trail'
SET subsidy.today = '2020-05-15';
SET ROLE repro_finance;
SELECT agency, review_round, passed FROM subsidy.sign_off(:e2, 'finance', true);
SELECT agency, review_round, passed FROM subsidy.sign_off(:e2, 'finance', false, '第二次审核：财务制度不健全');
RESET ROLE;
SELECT action, detail, figures FROM subsidy.application_history(:e2) WHERE action = 'sign_off' AND figures::text LIKE '%"round": 2%';
