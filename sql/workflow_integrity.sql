-- workflow_integrity: the holes of issue 18, each closed by a rule of DOMAIN section 8 and
-- shown here as the clerk who tried it would meet it: W2 (every timely filing accepted, with
-- a correction request), W3a (figures changed after the sign-offs), W3/W4 (a failed sign-off
-- is a failed rule, and the explanation agrees with the decision), W5a (no joining a
-- publicity that has started), W7 (open objections, amounts to the fen, the account recorded
-- at the decision, returned payments), W8 (hrss reports upward on the agency's payment
-- times), W9 (only what happened is logged), W12 (the business date is China's), the rules'
-- sources, and what-if parameters refused rather than rounded (S5).
SET search_path = public, subsidy;
SET datestyle = 'ISO, YMD';
\set VERBOSITY default

-- Subsidy year 2019 (basis year 2018) in 延边 (222400); the window is March and April.
INSERT INTO region_basis_year (region, basis_year, registered_unemployment_rate, fund_balance, monthly_fund_expenditure)
VALUES ('222400', 2018, 3.46, 5000000.00, 100000.00);
INSERT INTO application_window VALUES ('222400', 2019, '2019-03-01', '2019-04-30');

CREATE ROLE regress_wi_applicant IN ROLE subsidy_applicant;
CREATE ROLE regress_wi_agency IN ROLE subsidy_agency;
CREATE ROLE regress_wi_hrss IN ROLE subsidy_hrss;
CREATE ROLE regress_wi_finance IN ROLE subsidy_finance;
INSERT INTO staff_region (staff, region) VALUES
  ('regress_wi_applicant', '222400'), ('regress_wi_agency', '222400'), ('regress_wi_hrss', '222400'),
  ('regress_wi_finance', '222400');

INSERT INTO enterprise (uscc, name, region, bank_name, bank_account) VALUES
  ('91222401MA0WA00011', '延边一号机械有限公司', '222400', '延边农商银行', '6228000000000000011'),
  ('91222401MA0WA00024', '延边二号食品有限公司', '222400', '延边农商银行', '6228000000000000024'),
  ('91222401MA0WA00037', '延边三号物流有限公司', '222400', '延边农商银行', '6228000000000000037'),
  ('91222401MA0WA0004A', '延边四号纺织有限公司', '222400', '延边农商银行', '6228000000000000040'),
  ('91222401MA0WA0005D', '延边五号化工有限公司', '222400', '延边农商银行', '6228000000000000050'),
  ('91222401MA0WA0006G', '延边六号建材有限公司', '222400', '延边农商银行', '6228000000000000060'),
  ('91222401MA0WA0007K', '延边七号电子有限公司', '222400', '延边农商银行', '6228000000000000070');
INSERT INTO enterprise_year (uscc, year, decapacity, key_supported, zombie, monitored, firm_size, serious_dishonesty)
SELECT uscc, 2019, false, false, false, false, 'large', false FROM enterprise WHERE region = '222400';

-- What a clerk of the region sees of its applications, by enterprise.
CREATE TEMP VIEW wi AS
SELECT right(a.uscc::text, 5) AS firm, a.stage, a.submitted_on, a.correction_requested_on AS requested,
       a.correction_due AS due, a.corrected_on, a.decision, a.decided_amount, a.decided_reasons
  FROM application a WHERE a.region = '222400' AND a.year = 2019 ORDER BY a.uscc;
GRANT SELECT ON wi TO PUBLIC;
-- An application's trail, as its region reads it.
CREATE FUNCTION pg_temp.trail(firm text) RETURNS TABLE (action text, from_stage text, to_stage text, detail text, figures json)
LANGUAGE sql AS $$
  SELECT h.action, h.from_stage, h.to_stage, h.detail, h.figures
    FROM application a, LATERAL application_history(a.id) h
   WHERE a.year = 2019 AND right(a.uscc::text, 5) = firm
$$;
CREATE FUNCTION pg_temp.app(firm text) RETURNS bigint LANGUAGE sql AS $$
  SELECT id FROM application WHERE year = 2019 AND region = '222400' AND right(uscc::text, 5) = firm
$$;

-- W2: every filing inside the window is accepted (受理), even incomplete; a document list
-- entry that is empty or NULL counts as missing.
SET subsidy.today = '2019-03-11';
SET ROLE regress_wi_applicant;
INSERT INTO application (year, uscc, insured_start, insured_end, insured_average, layoffs, retirements_deaths,
    premiums_payable, premiums_paid, arrears_basis_year, arrears_other_years, prior_subsidy, documents)
SELECT 2019, uscc, 200, 198, 199, 2, 0, 120000.00, 120000.00, 0, 0, 0,
       CASE right(uscc::text, 5) WHEN '00024' THEN '{NULL,""}'::text[] ELSE '{annex1_materials,annex2_form}' END
  FROM enterprise WHERE region = '222400' AND right(uscc::text, 5) IN ('00011', '00024', '0005D', '0006G', '0007K');
SELECT stage FROM submit(pg_temp.app('00011'));
SELECT stage, correction_items FROM submit(pg_temp.app('00024'));
SELECT stage FROM submit(pg_temp.app('0005D'));
SELECT stage FROM submit(pg_temp.app('0006G'));
SELECT stage FROM submit(pg_temp.app('0007K'));
-- the correction completes what is missing within its working days
RESET ROLE;
SET subsidy.today = '2019-03-14';
SET ROLE regress_wi_applicant;
SELECT corrected_on FROM complete_correction(pg_temp.app('00024'));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
UPDATE application SET documents = '{annex1_materials,annex2_form}' WHERE id = pg_temp.app('00024');
SELECT corrected_on FROM complete_correction(pg_temp.app('00024'));
-- on the window's last day, two firms file with figures and a document missing
RESET ROLE;
SET subsidy.today = '2019-04-30';
SET ROLE regress_wi_applicant;
INSERT INTO application (year, uscc, insured_start, insured_end, insured_average, retirements_deaths,
    premiums_payable, premiums_paid, arrears_basis_year, arrears_other_years, prior_subsidy, documents)
VALUES (2019, '91222401MA0WA00037', 90, 90, 90, 0, 54000.00, 54000.00, 0, 0, 0, '{annex1_materials}');
INSERT INTO application (year, uscc, insured_start, insured_end, insured_average, layoffs, retirements_deaths,
    premiums_payable, arrears_basis_year, arrears_other_years, prior_subsidy, documents)
VALUES (2019, '91222401MA0WA0004A', 60, 61, 60, 0, 0, 36000.00, 0, 0, 0, '{annex1_materials,annex2_form}');
SELECT stage, correction_items FROM submit(pg_temp.app('00037'));
SELECT stage, correction_items FROM submit(pg_temp.app('0004A'));
SELECT firm, stage, submitted_on, requested, due, corrected_on FROM wi;
-- even after the window; what was declared stays as declared
RESET ROLE;
SET subsidy.today = '2019-05-06';
SET ROLE regress_wi_applicant;
UPDATE application SET insured_start = 1 WHERE id = pg_temp.app('00037');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT corrected_on FROM complete_correction(pg_temp.app('00037'));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
UPDATE application SET layoffs = 1, documents = documents || '{annex2_form}' WHERE id = pg_temp.app('00037');
SELECT corrected_on FROM complete_correction(pg_temp.app('00037'));
-- a correction is made by the applicant, not by a reviewer
SET ROLE regress_wi_hrss;
UPDATE application SET premiums_paid = 36000.00 WHERE id = pg_temp.app('0004A');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- the review starts after the window; a pending correction waits for its due day
SELECT stage FROM start_review(pg_temp.app('0004A'));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT start_review('222400', 2019) AS started;
SELECT firm, stage, corrected_on FROM wi;
-- one not completed by then is rejected with W2 and its list
RESET ROLE;
SET subsidy.today = '2019-05-14';
SET ROLE regress_wi_applicant;
UPDATE application SET premiums_paid = 36000.00 WHERE id = pg_temp.app('0004A');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET ROLE regress_wi_hrss;
SELECT start_review('222400', 2019) AS started;
SELECT firm, stage, decision, decided_reasons FROM wi WHERE firm = '0004A';
SELECT action, from_stage, to_stage, detail FROM pg_temp.trail('0004A');

-- Each party records its part.
SET ROLE regress_wi_agency;
UPDATE application SET confirmed_insured_start = insured_start, confirmed_insured_end = insured_end,
       confirmed_insured_average = insured_average, confirmed_retirements_deaths = retirements_deaths,
       confirmed_premiums_payable = premiums_payable, confirmed_premiums_paid = premiums_paid, confirmed_full_contribution_months = 12,
       confirmed_arrears_basis_year = arrears_basis_year, confirmed_arrears_other_years = arrears_other_years,
       confirmed_deferral_agreement = false, confirmed_prior_subsidy = prior_subsidy
 WHERE region = '222400' AND year = 2019 AND stage = 'in_review';
SET ROLE regress_wi_hrss;
UPDATE application SET confirmed_layoffs = layoffs, hardship_recognised = false, policy_compliant = true
 WHERE region = '222400' AND year = 2019 AND stage = 'in_review';
SET ROLE regress_wi_finance;
UPDATE application SET financial_management_sound = true
 WHERE region = '222400' AND year = 2019 AND stage = 'in_review';

-- W11: a spot check's sample is the draw's, seeded; its finding is recorded once, reaches the
-- application and is logged; no application is marked false data without a draw.
-- (the secret behind the seeds fixed, as only a test does, so that every run draws the same)
RESET ROLE;
UPDATE spot_check_secret SET secret = sha256('regress');
SET ROLE regress_wi_hrss;
CALL draw_spot_checks('222400', 2019, 1);
INSERT INTO spot_check_item (draw_id, application_id)
SELECT (SELECT max(id) FROM spot_check_draw WHERE region = '222400'), a.id FROM application a
 WHERE a.region = '222400' AND a.year = 2019 AND a.stage = 'in_review'
   AND a.id NOT IN (SELECT application_id FROM spot_check_item) ORDER BY a.id LIMIT 1;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
UPDATE spot_check_item SET result = 'confirmed', notes = '实地核查属实'
 WHERE draw_id = (SELECT max(id) FROM spot_check_draw WHERE region = '222400');
SELECT count(*) AS applications_confirmed FROM application WHERE region = '222400' AND spot_check = 'confirmed';
SELECT count(*) AS spot_checks_logged FROM audit_log
 WHERE region = '222400' AND action = 'review' AND figures::jsonb ? 'spot_check';
UPDATE application SET spot_check = 'false_data'
 WHERE id = (SELECT min(id) FROM application WHERE region = '222400' AND year = 2019 AND stage = 'in_review'
               AND spot_check IS NULL);
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- The region's facts that rules read (its unemployment rate, fund, window) change only in the
-- trail: a rate lowered before the decision would reject with E2 and say nothing of why.
UPDATE region_basis_year SET registered_unemployment_rate = 1.00 WHERE region = '222400' AND basis_year = 2018;
UPDATE region_basis_year SET registered_unemployment_rate = 3.46 WHERE region = '222400' AND basis_year = 2018;
SELECT action, detail, figures FROM audit_log
 WHERE region = '222400' AND action = 'parameters' AND detail ~ '^(region_basis_year|application_window)' ORDER BY seq;

-- W3, W4: a failed sign-off is a failed rule of the party's own part, on the facts recorded.
SET ROLE regress_wi_hrss;
SELECT agency, passed FROM sign_off(pg_temp.app('0005D'), 'hrss', false, '产业政策复核未通过');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT agency, passed FROM sign_off(pg_temp.app('0005D'), 'hrss', false, '财务制度不健全', 'E3');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
UPDATE application SET policy_compliant = false WHERE id = pg_temp.app('0005D');
SELECT agency, passed, failed_rule FROM sign_off(pg_temp.app('0005D'), 'hrss', false, '产业政策复核未通过');
SET ROLE regress_wi_finance;
SELECT agency, passed, failed_rule FROM sign_off(pg_temp.app('0005D'), 'finance', false, '财务制度不健全');
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- Sign-offs of every application in review but 0006G's finance part.
SET ROLE regress_wi_agency;
SELECT count(*) FROM application a, LATERAL sign_off(a.id, 'agency', true) s
 WHERE a.region = '222400' AND a.year = 2019 AND a.stage = 'in_review';
SET ROLE regress_wi_finance;
SELECT count(*) FROM application a, LATERAL sign_off(a.id, 'finance', true) s
 WHERE a.region = '222400' AND a.year = 2019 AND a.stage = 'in_review' AND right(a.uscc::text, 5) <> '0006G';
SET ROLE regress_wi_hrss;
SELECT count(*) FROM application a, LATERAL sign_off(a.id, 'hrss', true) s
 WHERE a.region = '222400' AND a.year = 2019 AND a.stage = 'in_review' AND right(a.uscc::text, 5) NOT IN ('0005D', '0006G');

-- W3: the joint review is three departments'.  A login that a DBA gave every party's role
-- signs one party's part of an application, not two (the attack round's F4); the DBA, who
-- may take every party's step, is the exception (above, this session's login signed them all).
RESET ROLE;
CREATE ROLE regress_wi_all IN ROLE subsidy_agency, subsidy_hrss, subsidy_finance;
INSERT INTO staff_region (staff, region) VALUES ('regress_wi_all', '222400');
SET SESSION AUTHORIZATION regress_wi_all;
SELECT agency FROM sign_off(pg_temp.app('0006G'), 'hrss', true);
SELECT agency FROM sign_off(pg_temp.app('0006G'), 'finance', true);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT agency FROM sign_off(pg_temp.app('0006G'), 'hrss', true, '复核无异议');
RESET SESSION AUTHORIZATION;
SELECT agency, signed_by FROM sign_off WHERE application_id = pg_temp.app('0006G') ORDER BY agency;
-- nor under a new name: a sign-off names its login, so a login whose sign-off stands in an
-- open review keeps its name until the review is decided (the second attack round's G1)
ALTER ROLE regress_wi_all RENAME TO regress_wi_all_renamed;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT rolname FROM pg_roles WHERE rolname LIKE 'regress\_wi\_all%';

-- W9: a statement that writes nothing logs nothing (INSERT ... ON CONFLICT DO NOTHING).
SELECT count(*) AS entries FROM audit_log WHERE region = '222400' \gset
INSERT INTO sign_off (application_id, review_round, agency, passed) VALUES (pg_temp.app('00011'), 1, 'hrss', true)
ON CONFLICT DO NOTHING;
SELECT count(*) - :entries AS new_entries FROM audit_log WHERE region = '222400';

-- W3a: figures changed after the sign-offs void them, logged with the change; a decision
-- needs three sign-offs on the figures it is computed from.
SET ROLE regress_wi_agency;
UPDATE application SET confirmed_premiums_paid = confirmed_premiums_paid * 100 WHERE id = pg_temp.app('00011');
SELECT action, detail, figures FROM pg_temp.trail('00011') WHERE action = 'review';
SET ROLE regress_wi_hrss;
SELECT stage, decided_amount FROM decide(pg_temp.app('00011'));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT hrss_signed, agency_signed, finance_signed FROM review_queue WHERE application_id = pg_temp.app('00011');
SET ROLE regress_wi_agency;
UPDATE application SET confirmed_premiums_paid = premiums_paid WHERE id = pg_temp.app('00011');
SELECT agency FROM sign_off(pg_temp.app('00011'), 'agency', true);
SET ROLE regress_wi_finance;
SELECT agency FROM sign_off(pg_temp.app('00011'), 'finance', true);
SET ROLE regress_wi_hrss;
SELECT agency FROM sign_off(pg_temp.app('00011'), 'hrss', true);
SELECT * FROM decide('222400', 2019);
SELECT firm, stage, decision, decided_amount, decided_reasons FROM wi;

-- W3, W4: the verdict, the explanation and the stored decision agree.
SELECT (assess(a)).outcome, (assess(a)).failed_rules, split_part(explain(a), E'\n', 1) AS conclusion
  FROM application a WHERE id = pg_temp.app('0005D');
SELECT line FROM application a, LATERAL regexp_split_to_table(explain(a), E'\n') AS line
 WHERE a.id = pg_temp.app('0005D') AND line ~ '^(E4|W3)';

-- W5: publicity of the approved list, from a start date.
RESET ROLE;
SET subsidy.today = '2019-05-15';
SET ROLE regress_wi_hrss;
SELECT starts_on, ends_on FROM start_publicity('222400', 2019, '2019-05-16') \gset publicity_
-- W5a: an application joins a publicity only before it starts: one decided after the list
-- was published waits for the next publicity.
SET ROLE regress_wi_finance;
SELECT agency FROM sign_off(pg_temp.app('0006G'), 'finance', true);
SET ROLE regress_wi_hrss;
SELECT stage, decision, decided_on FROM decide(pg_temp.app('0006G'));
RESET ROLE;
SET subsidy.today = '2019-05-17';
SET ROLE regress_wi_hrss;
UPDATE application SET stage = 'in_publicity', publicity_id = (SELECT id FROM publicity WHERE region = '222400' AND year = 2019)
 WHERE id = pg_temp.app('0006G');
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- W6, W7: an objection on record, however written (here a plain INSERT), takes the application
-- out of publicity at once: it is not cleared with the others.
INSERT INTO objection (application_id, text) VALUES (pg_temp.app('0007K'), '该企业上年度实际裁员人数与申报不符');
SELECT stage FROM wi WHERE firm = '0007K';
RESET ROLE;
SELECT set_config('subsidy.today', (:'publicity_ends_on'::date + 1)::text, false) IS NOT NULL AS after_publicity;
SET ROLE regress_wi_hrss;
SELECT close_publicity('222400', 2019) AS cleared;
SELECT stage FROM clear(pg_temp.app('0007K'));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT firm, stage FROM wi WHERE stage IN ('in_publicity', 'objection', 'cleared');

-- W7: an amount with more decimals than fen is refused, never rounded.
SET ROLE regress_wi_agency;
SELECT stage FROM pay(pg_temp.app('00037'), subsidy.today(), 'YB-2019-0002', 27000.004);
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- W7: payment goes to the account recorded at the decision; a change after it is logged and
-- needs a re-check before payment.
SELECT payment_bank_name, payment_bank_account FROM application WHERE id = pg_temp.app('00011');
SET ROLE regress_wi_applicant;
UPDATE enterprise SET bank_name = '延边某某银行', bank_account = '6228999999999999999' WHERE uscc = '91222401MA0WA00011';
SET ROLE regress_wi_agency;
SELECT action, detail, figures FROM audit_log WHERE region = '222400' AND action = 'bank_account' ORDER BY seq;
SELECT stage FROM pay(pg_temp.app('00011'), subsidy.today(), 'YB-2019-0001');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT payment_bank_account FROM recheck_bank_account(pg_temp.app('00011'));
SELECT stage, paid_amount, payment_bank_account FROM pay(pg_temp.app('00011'), subsidy.today(), 'YB-2019-0001');
-- 退票: a returned payment is recorded, then paid again, once, to a corrected account
SELECT stage, returned_on, returned_reference, returned_bank_account, return_reason, paid_on, payment_reference
  FROM return_payment(pg_temp.app('00011'), subsidy.today(), '账号户名不符');
SELECT stage FROM pay(pg_temp.app('00011'), subsidy.today(), 'YB-2019-0003');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET ROLE regress_wi_applicant;
UPDATE enterprise SET bank_account = '6228000000000000011' WHERE uscc = '91222401MA0WA00011';
SET ROLE regress_wi_agency;
SELECT payment_bank_account FROM recheck_bank_account(pg_temp.app('00011'));
SELECT stage FROM pay(pg_temp.app('00011'), subsidy.today(), 'YB-2019-0001');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT stage, paid_amount, payment_reference, payment_bank_account FROM pay(pg_temp.app('00011'), subsidy.today(), 'YB-2019-0003');
SELECT stage FROM return_payment(pg_temp.app('00011'), subsidy.today(), '再次退票');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT action, from_stage, to_stage, detail FROM pg_temp.trail('00011') WHERE action <> 'sign_off';
SELECT stage FROM pay(pg_temp.app('00024'), subsidy.today(), 'YB-2019-0002');
SELECT stage FROM pay(pg_temp.app('00037'), subsidy.today(), 'YB-2019-0004');
-- W7, W9: the same payment keyed again (the same date, reference and amount: two clerks
-- entering one bank slip at once) is refused, not reported as made a second time while nothing
-- changed and nothing was logged (the load suite's rare "reported 2 times, 1 in the trail").
SELECT stage FROM pay(pg_temp.app('00037'), subsidy.today(), 'YB-2019-0004', 27000.00);
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- W8: the agency reports the payment times to hrss; hrss reports upward.
SELECT id FROM report_upward('222400', 2019, 'SB-2019-222400');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET ROLE regress_wi_hrss;
SELECT id FROM report_upward('222400', 2019, 'SB-2019-222400');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET ROLE regress_wi_agency;
SELECT report_payment_times('222400', 2019) AS reported_to_hrss;
SET ROLE regress_wi_hrss;
SELECT reference, reported_on FROM report_upward('222400', 2019, 'SB-2019-222400');
SELECT firm, stage FROM wi WHERE stage IN ('paid', 'reported');
RESET ROLE;

-- W12: today is the date in China, whatever the session's time zone; only a DBA sets it.
RESET subsidy.today;
SET TimeZone = 'Pacific/Kiritimati';
SELECT subsidy.today() = (now() AT TIME ZONE INTERVAL '+08:00')::date AS china_date;
SET TimeZone = 'America/Los_Angeles';
SELECT subsidy.today() = (now() AT TIME ZONE INTERVAL '+08:00')::date AS china_date;
RESET TimeZone;
SET ROLE regress_wi_hrss;
SET subsidy.today = '2019-01-01';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET ROLE;

-- S5: what-if parameters out of range or with more decimals than their column are refused.
SELECT count(*) FROM simulate(2019, '{"standard_rate_large": 0.5004}');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT count(*) FROM simulate(2019, '{"standard_rate_large": 1.7}');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT count(*) FROM simulate(2019, '{"rounding_unit": 0.05}');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT count(*) FROM simulate(2019, '{"regions": {"222400": {"fund_cover_months": 12.34}}}');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT count(*) > 0 AS runs FROM simulate(2019, '{"standard_rate_large": 0.6}');

-- The sources: only what the documents say (DOMAIN section 0).
SELECT id, source FROM rule WHERE id IN ('E2', 'E9', 'A4', 'W4', 'W3a', 'W5a', 'W12') ORDER BY ord;

-- The trail holds.
SELECT * FROM verify_audit();
