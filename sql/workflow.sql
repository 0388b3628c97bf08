-- workflow: the stages W1-W8 as each role takes them, every refusal with its error
-- (DOMAIN sections 2, 3, 8, 11).
SET search_path = public, subsidy;
SET datestyle = 'ISO, YMD';
\set VERBOSITY default

-- Subsidy year 2020 (basis year 2019) in two regions; the window is March and April.
DELETE FROM application WHERE year = 2020;   -- a draft an earlier test left
INSERT INTO region_basis_year (region, basis_year, registered_unemployment_rate, fund_balance, monthly_fund_expenditure) VALUES
  ('220100', 2019, 3.40, 2400000.00, 100000.00),
  ('220200', 2019, 3.40, 2400000.00, 100000.00);
INSERT INTO application_window VALUES ('220100', 2020, '2020-03-02', '2020-04-30'), ('220200', 2020, '2020-03-02', '2020-04-30');

-- Staff: the four parties in 长春 (220100), hrss in 吉林市 (220200), a reader, a DBA.
CREATE ROLE regress_cc_applicant IN ROLE subsidy_applicant;
CREATE ROLE regress_cc_agency IN ROLE subsidy_agency;
CREATE ROLE regress_cc_hrss IN ROLE subsidy_hrss;
CREATE ROLE regress_cc_finance IN ROLE subsidy_finance;
CREATE ROLE regress_jl_hrss IN ROLE subsidy_hrss;
CREATE ROLE regress_cc_reader IN ROLE subsidy_reader;
CREATE ROLE regress_dba IN ROLE subsidy_admin;
INSERT INTO staff_region (staff, region) VALUES
  ('regress_cc_applicant', '220100'), ('regress_cc_agency', '220100'), ('regress_cc_hrss', '220100'),
  ('regress_cc_finance', '220100'), ('regress_jl_hrss', '220200'), ('regress_cc_reader', '220100');

-- Enterprises, with the accounts they are paid into.
INSERT INTO enterprise (uscc, name, region, bank_name, bank_account, contact_person, contact_phone) VALUES
  ('91220101MA0Y3PXK6M', '长春宏达机械制造有限公司', '220100', '中国工商银行长春分行', '6222021001000000001', '王伟', '13900000001'),
  ('9144030071526726XG', '长春鑫源食品有限公司', '220100', '吉林银行长春分行', '6222021001000000002', '李娜', '13900000002'),
  ('91620105585923360D', '长春恒泰化工有限公司', '220100', '吉林银行长春分行', '6222021001000000002', '张磊', '13900000003'),
  ('91340600MA2PBM9HXD', '长春僵尸纺织有限公司', '220100', '中国银行长春分行', '6222021001000000004', '刘洋', '13900000004'),
  ('92340603MA2PBMCG0U', '吉林市远华物流有限公司', '220200', '中国建设银行吉林分行', '6222021001000000005', '陈静', '13900000005');
INSERT INTO enterprise_year (uscc, year, decapacity, key_supported, zombie, monitored, firm_size, serious_dishonesty) VALUES
  ('91220101MA0Y3PXK6M', 2020, true, false, false, false, 'large', false),
  ('9144030071526726XG', 2020, false, false, false, true, 'small_micro', false),
  ('91620105585923360D', 2020, true, false, false, false, 'large', false),
  ('91340600MA2PBM9HXD', 2020, false, false, true, false, 'large', false),
  ('92340603MA2PBMCG0U', 2020, false, false, false, false, 'large', false);

CREATE TEMP VIEW state AS
SELECT a.id, a.uscc, a.region, a.stage, a.review_round AS round, a.submitted_on, a.decision, a.decided_amount,
       a.decided_reasons, a.publicity_id, a.cleared_on, a.paid_on, a.payment_reference, a.paid_amount
  FROM application a WHERE a.year = 2020 ORDER BY a.id;
GRANT SELECT ON state TO PUBLIC;

-- W1: an application starts as a draft, filed by the applicant in its own region.
SET ROLE regress_cc_applicant;
INSERT INTO application (year, uscc, stage) VALUES (2020, '91220101MA0Y3PXK6M', 'submitted');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
INSERT INTO application (year, uscc, confirmed_premiums_paid) VALUES (2020, '91220101MA0Y3PXK6M', 100);
INSERT INTO application (year, uscc) VALUES (2020, '92340603MA2PBMCG0U');
INSERT INTO application (year, uscc, insured_start, insured_end, layoffs, premiums_payable, premiums_paid)
VALUES (2020, '91220101MA0Y3PXK6M', 1220, 1185, 28, 1464000.00, 1464000.00) RETURNING id AS app \gset
SELECT id, uscc, region, stage, decapacity, zombie, monitored, firm_size FROM application WHERE year = 2020;

-- W2: submission inside the window only; an incomplete one is accepted with a correction
-- request naming every missing item at once, completed within its working days.
RESET ROLE;
SET subsidy.today = '2020-02-28';
SET ROLE regress_cc_applicant;
SELECT id, stage FROM submit(:app);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET ROLE;
SET subsidy.today = '2020-03-16';
SET ROLE regress_cc_applicant;
SELECT id, stage, correction_requested_on, correction_due FROM submit(:app);
UPDATE application SET insured_average = 1202.5, retirements_deaths = 7, arrears_basis_year = 0,
       arrears_other_years = 35000.00, prior_subsidy = 300000.00, prior_subsidy_use_proper = true
 WHERE uscc = '91220101MA0Y3PXK6M' AND year = 2020;
SELECT id, corrected_on FROM complete_correction(:app);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
UPDATE application SET deferral_agreement = true, documents = '{annex1_materials,annex2_form}'
 WHERE uscc = '91220101MA0Y3PXK6M' AND year = 2020;
SELECT id, stage, submitted_on, corrected_on FROM complete_correction(:app);
-- a submission's declared figures are what was declared (A5)
UPDATE application SET layoffs = 5 WHERE uscc = '91220101MA0Y3PXK6M' AND year = 2020;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- the rest file theirs
INSERT INTO application (year, uscc, insured_start, insured_end, insured_average, layoffs, retirements_deaths,
    premiums_payable, premiums_paid, arrears_basis_year, arrears_other_years, prior_subsidy, documents)
SELECT 2020, uscc, 80, 78, 79, 1, 0, 96000.00, 96000.00, 0, 0, 0, '{annex1_materials,annex2_form}'
  FROM enterprise WHERE uscc IN ('9144030071526726XG', '91620105585923360D', '91340600MA2PBM9HXD');
UPDATE application SET stage = 'submitted' WHERE year = 2020 AND stage = 'draft';
-- a second application of the same enterprise and year (E9)
INSERT INTO application (year, uscc) VALUES (2020, '9144030071526726XG');
SELECT id, uscc, stage, submitted_on FROM state;

-- W1: withdrawn only by the applicant and only before review.
RESET ROLE;
INSERT INTO enterprise (uscc, name, region, bank_name, bank_account) VALUES
  ('91340600MA2PBN188W', '长春撤回测试有限公司', '220100', '吉林银行长春分行', '6222021001000000009');
SET ROLE regress_cc_applicant;
INSERT INTO application (year, uscc) VALUES (2020, '91340600MA2PBN188W') RETURNING id AS app \gset
SELECT id, stage FROM withdraw(:app);
DELETE FROM application WHERE id = :app;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET ROLE regress_cc_hrss;
SELECT id, stage FROM withdraw((SELECT id FROM application WHERE uscc = '9144030071526726XG' AND year = 2020));
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- W3: the joint review starts after the window closes, by hrss only.
SET ROLE regress_cc_applicant;
SELECT start_review('220100', 2020);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET ROLE regress_cc_hrss;
SELECT start_review('220100', 2020);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET ROLE;
SET subsidy.today = '2020-05-06';
SET ROLE regress_cc_hrss;
SELECT start_review('220100', 2020) AS started;
SELECT id, stage FROM withdraw((SELECT id FROM application WHERE uscc = '9144030071526726XG' AND year = 2020));

-- Each party records its part, and only its part (section 2).
SET ROLE regress_cc_agency;
UPDATE application SET confirmed_insured_start = insured_start, confirmed_insured_end = insured_end,
       confirmed_insured_average = insured_average, confirmed_retirements_deaths = retirements_deaths,
       confirmed_premiums_payable = premiums_payable, confirmed_premiums_paid = premiums_paid, confirmed_full_contribution_months = 12,
       confirmed_arrears_basis_year = arrears_basis_year, confirmed_arrears_other_years = arrears_other_years,
       confirmed_deferral_agreement = deferral_agreement, confirmed_prior_subsidy = prior_subsidy
 WHERE year = 2020 AND stage = 'in_review';
-- (one row at a time, so that which refusal comes first does not depend on the scan's order)
UPDATE application SET confirmed_layoffs = 0 WHERE year = 2020 AND stage = 'withdrawn';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
UPDATE application SET confirmed_layoffs = 0 WHERE year = 2020 AND stage = 'in_review';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET ROLE regress_cc_hrss;
-- (恒泰化工's industrial policy review fails: hrss records the finding, then signs it, W3)
UPDATE application SET confirmed_layoffs = layoffs, hardship_recognised = false, policy_compliant = (uscc <> '91620105585923360D')
 WHERE year = 2020 AND stage = 'in_review';
UPDATE application SET financial_management_sound = true WHERE year = 2020;
SET ROLE regress_cc_finance;
UPDATE application SET financial_management_sound = true,
       confirmed_prior_subsidy_use_proper = prior_subsidy_use_proper
 WHERE year = 2020 AND stage = 'in_review';
SELECT id, stage, (assess(a)).outcome, (assess(a)).amount FROM application a WHERE year = 2020 ORDER BY id;

-- W3: three sign-offs, each by its own agency; a failure carries its reason.
SET ROLE regress_cc_agency;
SELECT agency, passed FROM sign_off((SELECT id FROM application WHERE uscc = '91220101MA0Y3PXK6M' AND year = 2020), 'finance', true);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT agency, passed FROM sign_off((SELECT id FROM application WHERE uscc = '91220101MA0Y3PXK6M' AND year = 2020), 'agency', false);
SELECT s.agency, s.passed, s.signed_by FROM application a, LATERAL sign_off(a.id, 'agency', true, '缴费确认无误') s
 WHERE a.year = 2020 AND a.stage = 'in_review';
SET ROLE regress_cc_finance;
SELECT s.agency, s.passed FROM application a, LATERAL sign_off(a.id, 'finance', true) s
 WHERE a.year = 2020 AND a.stage = 'in_review';
SET ROLE regress_cc_hrss;
-- decided needs all three
SELECT id, stage FROM decide((SELECT id FROM application WHERE uscc = '91220101MA0Y3PXK6M' AND year = 2020));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- section 11: a reviewer recorded as related to the enterprise does not sign its review
RESET ROLE;
INSERT INTO staff_relation (staff, uscc, relation) VALUES ('regress_cc_hrss', '91620105585923360D', '配偶任该企业财务负责人');
SET ROLE regress_cc_hrss;
SELECT agency FROM sign_off((SELECT id FROM application WHERE uscc = '91620105585923360D' AND year = 2020), 'hrss', true);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT s.agency, s.passed FROM application a, LATERAL sign_off(a.id, 'hrss', true) s
 WHERE a.year = 2020 AND a.stage = 'in_review' AND a.uscc <> '91620105585923360D';
RESET ROLE;
DELETE FROM staff_relation;
SET ROLE regress_cc_hrss;
SELECT agency, passed FROM sign_off((SELECT id FROM application WHERE uscc = '91620105585923360D' AND year = 2020),
                                    'hrss', false, '产业政策复核未通过');
-- a sign-off is never deleted, and its agency never changes, whoever tries
RESET ROLE;
DELETE FROM sign_off;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
UPDATE sign_off SET agency = 'finance' WHERE agency = 'hrss';
SET ROLE regress_cc_hrss;

-- W3: the decision comes from the engine and the sign-offs; the agency cannot record it.
SET ROLE regress_cc_agency;
SELECT id, stage FROM decide((SELECT id FROM application WHERE uscc = '91220101MA0Y3PXK6M' AND year = 2020));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET ROLE regress_cc_hrss;
UPDATE application SET stage = 'decided', decided_amount = 1000000.00
 WHERE uscc = '91220101MA0Y3PXK6M' AND year = 2020;
SELECT * FROM decide('220100', 2020);
SELECT id, uscc, stage, decision, decided_amount, decided_reasons FROM state;

-- A6: once decided, figures and amount are frozen.
SET ROLE regress_cc_agency;
UPDATE application SET confirmed_premiums_paid = 1.00 WHERE uscc = '91220101MA0Y3PXK6M' AND year = 2020;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET ROLE regress_cc_hrss;
UPDATE application SET decided_amount = 999.00 WHERE uscc = '91220101MA0Y3PXK6M' AND year = 2020;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
UPDATE application SET review_round = 5 WHERE uscc = '91220101MA0Y3PXK6M' AND year = 2020;

-- W1: no stage is skipped, in any direction.
UPDATE application SET stage = 'paid' WHERE uscc = '91220101MA0Y3PXK6M' AND year = 2020;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
UPDATE application SET stage = 'in_review' WHERE uscc = '91220101MA0Y3PXK6M' AND year = 2020;
UPDATE application SET stage = 'draft' WHERE uscc = '91220101MA0Y3PXK6M' AND year = 2020;
UPDATE application SET stage = 'submitted' WHERE stage = 'withdrawn';
DELETE FROM application WHERE uscc = '91220101MA0Y3PXK6M' AND year = 2020;
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- W5: publicity from today or later; its end on the calendar; the rejected are not published.
SELECT id FROM start_publicity('220100', 2020, '2020-05-01');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT id, region, year, starts_on, ends_on, workdays FROM start_publicity('220100', 2020, '2020-05-06');
UPDATE application SET stage = 'in_publicity', publicity_id = (SELECT min(id) FROM publicity WHERE year = 2020)
 WHERE decision = 'rejected' AND year = 2020 AND uscc = '91340600MA2PBM9HXD';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET ROLE;
UPDATE publicity SET ends_on = '2020-05-07';
SET ROLE regress_cc_hrss;
SELECT id, uscc, stage, publicity_id FROM state;
-- cleared no earlier than the day after the end
SELECT id, stage FROM clear((SELECT id FROM application WHERE uscc = '91220101MA0Y3PXK6M' AND year = 2020));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
UPDATE application SET stage = 'cleared', cleared_on = '2020-05-14' WHERE uscc = '91220101MA0Y3PXK6M' AND year = 2020;
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- W6: an objection during publicity reopens review; a new decision needs new sign-offs and a
-- whole new publicity.
RESET ROLE;
SET subsidy.today = '2020-05-12';
SET ROLE regress_cc_hrss;
SELECT id, stage FROM object((SELECT id FROM application WHERE uscc = '9144030071526726XG' AND year = 2020),
                             '群众反映该企业上年度裁员未如实申报');
SELECT id, stage FROM clear((SELECT id FROM application WHERE uscc = '9144030071526726XG' AND year = 2020));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
UPDATE application SET stage = 'objection' WHERE uscc = '91220101MA0Y3PXK6M' AND year = 2020;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT id, stage, review_round FROM reopen_review((SELECT id FROM application WHERE uscc = '9144030071526726XG' AND year = 2020));
SELECT text, raised_on, resolved_on FROM objection;
SELECT id, stage FROM decide((SELECT id FROM application WHERE uscc = '9144030071526726XG' AND year = 2020));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET ROLE regress_cc_agency;
SELECT (sign_off(id, 'agency', true)).agency FROM application WHERE uscc = '9144030071526726XG' AND year = 2020;
SET ROLE regress_cc_finance;
SELECT (sign_off(id, 'finance', true)).agency FROM application WHERE uscc = '9144030071526726XG' AND year = 2020;
SET ROLE regress_cc_hrss;
SELECT (sign_off(id, 'hrss', true)).agency FROM application WHERE uscc = '9144030071526726XG' AND year = 2020;
SELECT id, stage, review_round, decision FROM decide((SELECT id FROM application WHERE uscc = '9144030071526726XG' AND year = 2020));
UPDATE application SET stage = 'in_publicity', publicity_id = (SELECT min(id) FROM publicity WHERE year = 2020)
 WHERE uscc = '9144030071526726XG' AND year = 2020;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT id, starts_on, ends_on FROM start_publicity('220100', 2020, '2020-05-12');
-- an objection after the end is too late
RESET ROLE;
SET subsidy.today = '2020-05-15';
SET ROLE regress_cc_hrss;
SELECT id, stage FROM object((SELECT id FROM application WHERE uscc = '91220101MA0Y3PXK6M' AND year = 2020), '逾期异议');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT close_publicity('220100', 2020) AS cleared;
SELECT id, uscc, stage, round, publicity_id, cleared_on FROM state;

-- W4: a rejection is final unless an objection reopens it.
SELECT id, stage FROM object((SELECT id FROM application WHERE uscc = '91620105585923360D' AND year = 2020),
                             '企业对产业政策复核结论提出异议');
SELECT id, stage, review_round, decision FROM reopen_review((SELECT id FROM application WHERE uscc = '91620105585923360D' AND year = 2020));

-- W7: the agency pays exactly the decided amount, after clearance, once.
SET ROLE regress_cc_hrss;
SELECT id, stage FROM pay((SELECT id FROM application WHERE uscc = '91220101MA0Y3PXK6M' AND year = 2020), '2020-05-15', 'ICBC-2020-0001');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET ROLE regress_cc_agency;
SELECT id, stage FROM pay((SELECT id FROM application WHERE uscc = '91220101MA0Y3PXK6M' AND year = 2020), '2020-05-14', 'ICBC-2020-0001');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT id, stage FROM pay((SELECT id FROM application WHERE uscc = '91220101MA0Y3PXK6M' AND year = 2020), '2020-05-20', 'ICBC-2020-0001');
SELECT id, stage FROM pay((SELECT id FROM application WHERE uscc = '91220101MA0Y3PXK6M' AND year = 2020), '2020-05-15', 'ICBC-2020-0001', 732000.01);
SELECT id, stage FROM pay((SELECT id FROM application WHERE uscc = '91220101MA0Y3PXK6M' AND year = 2020), '2020-05-15', '');
SELECT id, stage, paid_on, payment_reference, paid_amount
  FROM pay((SELECT id FROM application WHERE uscc = '91220101MA0Y3PXK6M' AND year = 2020), '2020-05-15', 'ICBC-2020-0001');
SELECT id, stage FROM pay((SELECT id FROM application WHERE uscc = '91220101MA0Y3PXK6M' AND year = 2020), '2020-05-15', 'ICBC-2020-0002');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
UPDATE application SET paid_amount = 1 WHERE uscc = '91220101MA0Y3PXK6M' AND year = 2020;

-- W8: reported upward in a batch, by hrss (it uploads to the national system, on the payment
-- times the agency reported).
SET ROLE regress_cc_agency;
SELECT id FROM report_upward('220100', 2020, 'NATIONAL-2020-01');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT report_payment_times('220100', 2020) AS payment_times_reported;
SET ROLE regress_cc_hrss;
SELECT reference, reported_on FROM report_upward('220100', 2020, 'NATIONAL-2020-01');
UPDATE application SET stage = 'reported', report_batch_id = 1 WHERE uscc = '9144030071526726XG';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT id, uscc, stage, paid_amount, payment_reference FROM state;

-- W10: the review queue puts monitored enterprises first, whenever they filed.
RESET ROLE;
INSERT INTO enterprise (uscc, name, region, bank_name, bank_account) VALUES
  ('92340603MA2PBN17X5', '吉林市早报测试有限公司', '220200', '吉林银行吉林分行', '6222021001000000006');
INSERT INTO enterprise_year (uscc, year, decapacity, key_supported, zombie, monitored, firm_size) VALUES
  ('92340603MA2PBN17X5', 2020, false, false, false, false, 'large');
INSERT INTO application (year, uscc, insured_start, insured_end, insured_average, layoffs, retirements_deaths,
    premiums_payable, premiums_paid, arrears_basis_year, arrears_other_years, prior_subsidy, documents)
SELECT 2020, uscc, 10, 10, 10, 0, 0, 12000, 12000, 0, 0, 0, '{annex1_materials,annex2_form}'
  FROM enterprise WHERE uscc IN ('92340603MA2PBMCG0U', '92340603MA2PBN17X5');
SET subsidy.today = '2020-03-10';
SELECT uscc, stage, submitted_on FROM submit((SELECT id FROM application WHERE uscc = '92340603MA2PBN17X5'));
SET subsidy.today = '2020-03-20';
UPDATE enterprise_year SET monitored = true WHERE uscc = '92340603MA2PBMCG0U';
SELECT uscc, stage, submitted_on, monitored FROM submit((SELECT id FROM application WHERE uscc = '92340603MA2PBMCG0U'));
SET ROLE regress_jl_hrss;
SELECT position, region, uscc, monitored, stage, submitted_on FROM review_queue WHERE year = 2020 ORDER BY region, position;

-- W11: a draw of spot checks is reproducible from its recorded seed; false data found fails E10.
RESET ROLE;
UPDATE spot_check_secret SET secret = sha256('regress');   -- as only a test does: every run draws the same
SET subsidy.today = '2020-05-06';
SET ROLE regress_jl_hrss;
SELECT start_review('220200', 2020);
CALL draw_spot_checks('220200', 2020, 1);
CREATE TEMP TABLE first_draw AS
SELECT i.application_id FROM spot_check_item i
 WHERE i.draw_id = (SELECT min(id) FROM spot_check_draw WHERE region = '220200' AND year = 2020);
SELECT (SELECT array_agg(a.id) FROM (SELECT a.id FROM application a, spot_check_draw d
                                      WHERE d.id = (SELECT min(id) FROM spot_check_draw WHERE region = '220200' AND year = 2020)
                                        AND a.region = d.region
                                        AND a.year = d.year AND a.stage = 'in_review'
                                      ORDER BY md5(d.seed || ':' || a.id), a.id LIMIT 1) a)
     = (SELECT array_agg(application_id) FROM first_draw) AS sample_from_recorded_seed;
CALL draw_spot_checks('220200', 2020, 2);
SELECT a.uscc, (assess(a)).open_rules, (assess(a)).missing_facts FROM application a WHERE a.id IN (SELECT application_id FROM first_draw);
SELECT uscc, spot_check FROM record_spot_check((SELECT application_id FROM first_draw), 'false_data', '现场核查参保人数与申报不符');
SELECT a.uscc, (assess(a)).outcome, (assess(a)).failed_rules FROM application a WHERE a.id IN (SELECT application_id FROM first_draw);
SELECT d.seed ~ '^[0-9a-f]{64}$' AS drawn_seed, d.sample_size, i.result, i.notes FROM spot_check_draw d JOIN spot_check_item i ON i.draw_id = d.id
 ORDER BY d.id, i.application_id;

-- Section 11: one bank account for several enterprises is flagged.
RESET ROLE;
SELECT bank_account, enterprises, uscc, name FROM shared_bank_account ORDER BY uscc;

-- W1: a step already taken (by another clerk a moment before, say) is refused, not reported
-- as done again; signing again replaces the sign-off and logs it once (found under load).
SET ROLE regress_jl_hrss;
SELECT id, stage FROM start_review((SELECT application_id FROM first_draw));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET ROLE;
SELECT count(*) AS sign_off_entries_before FROM audit_log
 WHERE action = 'sign_off' AND application_id = (SELECT application_id FROM first_draw);
SELECT agency, passed FROM sign_off((SELECT application_id FROM first_draw), 'hrss', true);
SELECT agency, passed, comment FROM sign_off((SELECT application_id FROM first_draw), 'hrss', false, '复核后改为不通过');
SELECT count(*) AS sign_off_entries_after_two_sign_offs FROM audit_log
 WHERE action = 'sign_off' AND application_id = (SELECT application_id FROM first_draw);

-- Every step above is in the trail, and the trail is intact.
SELECT action, from_stage, to_stage, count(*) FROM audit_log
 WHERE application_id IN (SELECT id FROM application WHERE year = 2020)
 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
SELECT count(*) AS problems FROM verify_audit();
RESET subsidy.today;
