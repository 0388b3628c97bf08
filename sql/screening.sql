-- screening: paying without an application (免申即享, DOMAIN section 13) in 辽源 (220400) for
-- subsidy year 2022, whose set screens by default: the agency's records loaded (a bad line
-- refuses the whole file), screening, the units' answers (the tax bureau's account for a unit
-- without one), the joint review signed for the whole list, publicity, payment; then 2022's
-- rate change for large units on 1 June, owed as a top-up (A6) and paid once.
SET search_path = public, subsidy;
SET datestyle = 'ISO, YMD';
\set VERBOSITY default

INSERT INTO region_basis_year (region, basis_year, registered_unemployment_rate, fund_balance, monthly_fund_expenditure) VALUES
  ('220400', 2021, 3.30, 1800000.00, 100000.00),
  ('220500', 2021, 3.30, 1800000.00, 100000.00);

CREATE ROLE regress_ly_agency IN ROLE subsidy_agency;
CREATE ROLE regress_ly_hrss IN ROLE subsidy_hrss;
CREATE ROLE regress_ly_finance IN ROLE subsidy_finance;
CREATE ROLE regress_ly_applicant IN ROLE subsidy_applicant;
CREATE ROLE regress_th_agency IN ROLE subsidy_agency;
INSERT INTO staff_region (staff, region) VALUES
  ('regress_ly_agency', '220400'), ('regress_ly_hrss', '220400'), ('regress_ly_finance', '220400'),
  ('regress_ly_applicant', '220400'), ('regress_th_agency', '220500');

-- The year's list (hrss): size class, the zombie and serious-dishonesty lists (E5, E13).
INSERT INTO enterprise (uscc, name, region, bank_name, bank_account) VALUES
  ('91220400MA00000014', '辽源矿山机械有限公司', '220400', '中国工商银行辽源分行', '6222 0210 0100 0000 14'),
  ('91220400MA00000027', '辽源小河饭店有限公司', '220400', NULL, NULL),
  ('91220400MA0000003A', '辽源三一包装有限公司', '220400', '吉林银行辽源分行', '6222021001000000030'),
  ('91220400MA0000004D', '辽源失信建材有限公司', '220400', '吉林银行辽源分行', '6222021001000000040'),
  ('91220400MA0000005G', '辽源待查纺织有限公司', '220400', '吉林银行辽源分行', '6222021001000000050'),
  ('91220400MA0000006K', '辽源不愿印刷有限公司', '220400', '吉林银行辽源分行', '6222021001000000060');
INSERT INTO enterprise_year (uscc, year, zombie, serious_dishonesty, firm_size) VALUES
  ('91220400MA00000014', 2022, false, false, 'large'),
  ('91220400MA00000027', 2022, false, false, 'micro'),
  ('91220400MA0000003A', 2022, false, false, 'small'),
  ('91220400MA0000004D', 2022, false, true, 'small'),
  ('91220400MA0000005G', 2022, false, false, 'medium'),
  ('91220400MA0000006K', 2022, false, false, 'small');

-- Section 13: the agency stages its contribution records as text, line by line.
SET ROLE regress_ly_agency;
INSERT INTO contribution_staging (region, year, uscc, name, unit_kind, firm_size, insured_start, insured_end,
    insured_average, retirements_deaths, layoffs, new_claimants, premiums_payable, premiums_paid,
    arrears_basis_year, arrears_other_years, full_contribution_months, monthly_premiums_payable,
    tax_bank_name, tax_bank_account) VALUES
  -- large: 11 laid off of 200, 5.5 %, not above the national target 5.5 % (E2 passes at the target)
  ('220400', '2022', '91220400MA00000014', NULL, '', '', '200', '195', '198', '2', '11', '3', '240000.00', '240000.00', '0', '0', '12', '20000.00', NULL, NULL),
  -- micro, 30 insured, 6 laid off: 20 %, above 5.5 % but a small unit's 20 % passes (E2)
  ('220400', '2022', '91220400MA00000027', NULL, '', '', '30', '26', '30', '0', '6', '1', '36000.00', '36000.00', '0', '0', '12', '3000.00', '中国农业银行辽源分行', '6228 4800 0000 0000 27'),
  ('220400', '2022', '9122O400MA0000003A', NULL, '', '', '31', '25', '31', '0', '6', '1', '37200.00', '37200.00', '0', '0', '12', '3100.00', NULL, NULL),
  ('220400', '2022', '91220400MA0000004D', NULL, '', '', '50', '50', '50', '0', '0', '0', '60000.00', '60000.00', '0', '0', '12', '5000.00', NULL, NULL),
  ('220400', '2022', '91220400MA0000004D', NULL, '', '', '50', '50', '50', '0', '0', '0', '60000.00', '60000.00', '0', '0', '12', '5000.00', NULL, NULL),
  ('220400', '2022', '91220400MA0000005G', NULL, '', '', '120', '118', '119', '1', '2', '2', '144000,00', '144000.00', '0', '0', '', '12000.00', NULL, NULL),
  ('220400', '2022', '51220400MJ0000001Q', '', 'social_group', '', '12', '12', '12', '0', '0', '0', '14400.00', '14400.00', '0', '0', '12', '1200.00', NULL, NULL),
  ('220400', '2022', '91220400MA0000006K', NULL, 'firm', '', '40', '40', '40', '0', '1', '0', '48000.00', '48000.00', '0', '0', '12', '4000.00', NULL, NULL);
-- every bad line is named, and nothing is merged
SELECT * FROM contribution_problems('220400', 2022);
SELECT load_contributions('220400', 2022);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT count(*) AS records FROM contribution_record WHERE year = 2022;
-- another region's agency neither sees nor loads them
SET ROLE regress_th_agency;
SELECT count(*) AS staged_seen FROM contribution_staging;
SELECT load_contributions('220400', 2022);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET ROLE regress_ly_agency;
UPDATE contribution_staging SET uscc = '91220400MA0000003A' WHERE uscc = '9122O400MA0000003A';
DELETE FROM contribution_staging WHERE line = (SELECT max(line) FROM contribution_staging WHERE uscc = '91220400MA0000004D');
UPDATE contribution_staging SET premiums_payable = '144000.00' WHERE uscc = '91220400MA0000005G';
UPDATE contribution_staging SET name = '辽源市物流行业协会' WHERE uscc = '51220400MJ0000001Q';
UPDATE contribution_staging SET unit_kind = 'enterprise' WHERE uscc = '91220400MA0000006K';
SELECT * FROM contribution_problems('220400', 2022);
SELECT load_contributions('220400', 2022) AS merged;
SELECT uscc, unit_kind, firm_size, insured_average, premiums_paid, full_contribution_months, tax_bank_account
  FROM contribution_record WHERE year = 2022 ORDER BY uscc;
SELECT uscc, name, region FROM enterprise WHERE uscc = '51220400MJ0000001Q';

-- Section 13: screening runs the engine over every unit on record; only the screenable become
-- applications.  The 2022 set screens; 2021's does not, unless the region says so.
RESET ROLE;
SET subsidy.today = '2022-05-09';
SET ROLE regress_ly_agency;
SELECT screen('220400', 2021);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET ROLE regress_th_agency;
SELECT screen('220400', 2022);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET ROLE regress_ly_applicant;
SELECT screen('220400', 2022);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET ROLE regress_ly_agency;
SELECT * FROM screen('220400', 2022);
SELECT uscc, outcome, screenable, failed_rules, open_rules, missing_facts, stage
  FROM screening WHERE year = 2022 ORDER BY uscc;
-- the undetermined are listed with what is missing; the ineligible keep their reasons
SELECT uscc, missing_facts FROM screening WHERE year = 2022 AND NOT screenable AND outcome <> 'ineligible';
SELECT uscc, reasons FROM screening WHERE year = 2022 AND outcome = 'ineligible' ORDER BY uscc;
-- screening again files nothing twice
SELECT * FROM screen('220400', 2022);
-- Section 11: a record screening read stays as read: a new file cannot change its figures,
-- nor the tax bureau's account that a unit without one of its own is paid into, under a
-- screened application (the attack round's F1); and no function merges a file past the
-- checks (F2: the merge was a function of its own that an agency clerk could call).
INSERT INTO contribution_staging (region, year, uscc, name, unit_kind, firm_size, insured_start, insured_end,
    insured_average, retirements_deaths, layoffs, new_claimants, premiums_payable, premiums_paid,
    arrears_basis_year, arrears_other_years, full_contribution_months, monthly_premiums_payable,
    tax_bank_name, tax_bank_account) VALUES
  ('220400', '2022', '91220400MA00000027', NULL, '', '', '30', '26', '30', '0', '6', '1', '36000.00', '36000.00', '0', '0', '12', '3000.00', '某某银行', '6222999988887777666');
SELECT line > 0 AS numbered, uscc, problem FROM contribution_problems('220400', 2022);
SELECT load_contributions('220400', 2022);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT merge_contributions('220400', 2022);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT premiums_payable, tax_bank_name, tax_bank_account FROM contribution_record
 WHERE uscc = '91220400MA00000027' AND year = 2022;
DELETE FROM contribution_staging WHERE region = '220400';
-- the units' figures are the agency's: nothing declared differs from what is confirmed (A5)
SELECT a.uscc, a.stage, a.screened_on, a.submitted_on, a.premiums_paid, a.confirmed_premiums_paid,
       a.confirmed_full_contribution_months, a.unit_kind, a.firm_size
  FROM application a WHERE a.year = 2022 ORDER BY a.uscc;
SELECT count(*) AS differences FROM figure_difference WHERE year = 2022;
-- another region sees none of it
SET ROLE regress_th_agency;
SELECT count(*) AS seen FROM screening;
SELECT count(*) AS seen FROM contribution_record;
SELECT count(*) AS seen FROM application WHERE year = 2022;

-- Only screening files a screened application; a unit cannot file one, nor skip confirming.
RESET ROLE;
SET ROLE regress_ly_applicant;
INSERT INTO application (year, uscc, stage) VALUES (2022, '91220400MA0000005G', 'screened');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET ROLE regress_ly_hrss;
SELECT start_review('220400', 2022) AS started;
UPDATE application SET stage = 'in_review' WHERE year = 2022 AND stage = 'screened';
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- The units answer: one confirms with its account, typed its own way; one without an account
-- is paid into the account the tax bureau gave; one declines.
RESET ROLE;
SET subsidy.today = '2022-05-11';
SET ROLE regress_ly_applicant;
SELECT stage, submitted_on FROM confirm_screened((SELECT id FROM application WHERE uscc = '91220400MA00000014' AND year = 2022),
                                                 '中国工商银行辽源分行', '6222-0210-0100-0000-14');
SELECT stage, submitted_on FROM confirm_screened((SELECT id FROM application WHERE uscc = '91220400MA00000027' AND year = 2022));
SELECT bank_name, bank_account FROM enterprise WHERE uscc = '91220400MA00000027';
SELECT stage FROM confirm_screened((SELECT id FROM application WHERE uscc = '51220400MJ0000001Q' AND year = 2022));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT stage FROM confirm_screened((SELECT id FROM application WHERE uscc = '51220400MJ0000001Q' AND year = 2022),
                                   '吉林银行辽源分行', '6222021001000000100');
SELECT stage FROM confirm_screened((SELECT id FROM application WHERE uscc = '91220400MA0000003A' AND year = 2022));
SELECT stage FROM decline_screened((SELECT id FROM application WHERE uscc = '91220400MA0000006K' AND year = 2022));
SELECT stage FROM confirm_screened((SELECT id FROM application WHERE uscc = '91220400MA0000006K' AND year = 2022));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- a unit screening missed still applies on its own
RESET ROLE;
UPDATE contribution_record SET full_contribution_months = 12 WHERE uscc = '91220400MA0000005G';
SET ROLE regress_ly_applicant;
INSERT INTO application (year, uscc, insured_start, insured_end, insured_average, layoffs, retirements_deaths,
    premiums_payable, premiums_paid, arrears_basis_year, arrears_other_years, prior_subsidy, documents)
VALUES (2022, '91220400MA0000005G', 120, 118, 119, 2, 1, 144000.00, 144000.00, 0, 0, 0, '{annex1_materials,annex2_form}');
SELECT stage FROM submit((SELECT id FROM application WHERE uscc = '91220400MA0000005G' AND year = 2022));

-- W3: review, then one sign-off per party for the whole screened list, each logged per application.
SET ROLE regress_ly_hrss;
SELECT start_review('220400', 2022) AS started;
UPDATE application SET policy_compliant = true WHERE year = 2022 AND stage = 'in_review';
UPDATE application SET confirmed_layoffs = layoffs WHERE year = 2022 AND stage = 'in_review' AND screened_on IS NULL;
-- a unit the year's lists do not name: hrss settles E5 and E13 in review
UPDATE application SET zombie = false, serious_dishonesty = false
 WHERE year = 2022 AND stage = 'in_review' AND (zombie IS NULL OR serious_dishonesty IS NULL);
SET ROLE regress_ly_finance;
UPDATE application SET financial_management_sound = true, confirmed_prior_subsidy_use_proper = true
 WHERE year = 2022 AND stage = 'in_review';
SET ROLE regress_ly_agency;
UPDATE application SET confirmed_insured_start = insured_start, confirmed_insured_end = insured_end,
       confirmed_insured_average = insured_average, confirmed_retirements_deaths = retirements_deaths,
       confirmed_premiums_payable = premiums_payable,
       confirmed_premiums_paid = premiums_paid, confirmed_arrears_basis_year = arrears_basis_year,
       confirmed_arrears_other_years = arrears_other_years, confirmed_prior_subsidy = 0,
       confirmed_full_contribution_months = 12
 WHERE year = 2022 AND stage = 'in_review' AND screened_on IS NULL;
SELECT sign_off_screened('220400', 2022, 'agency');
SELECT sign_off_screened('220400', 2022, 'hrss');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET ROLE regress_ly_hrss;
SELECT sign_off_screened('220400', 2022, 'hrss');
SET ROLE regress_ly_finance;
SELECT sign_off_screened('220400', 2022, 'finance');
SELECT sign_off_screened('220400', 2022, 'finance') AS again;
SET ROLE regress_th_agency;
SELECT sign_off_screened('220400', 2022, 'agency');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET ROLE;
SELECT a.uscc, count(*) AS sign_offs FROM sign_off s JOIN application a ON a.id = s.application_id
 WHERE a.year = 2022 GROUP BY a.uscc ORDER BY a.uscc;
SELECT count(*) AS sign_offs_logged FROM audit_log l JOIN application a ON l.application_id = a.id
 WHERE l.action = 'sign_off' AND a.year = 2022;
SET ROLE regress_ly_agency;
SELECT (sign_off(a.id, 'agency', true)).agency FROM application a
 WHERE a.year = 2022 AND a.stage = 'in_review' AND a.screened_on IS NULL;
SET ROLE regress_ly_hrss;
SELECT (sign_off(a.id, 'hrss', true)).agency FROM application a
 WHERE a.year = 2022 AND a.stage = 'in_review' AND a.screened_on IS NULL;
SET ROLE regress_ly_finance;
SELECT (sign_off(a.id, 'finance', true)).agency FROM application a
 WHERE a.year = 2022 AND a.stage = 'in_review' AND a.screened_on IS NULL;

-- A1 (2022): large units 0.3 of premiums paid until 31 May, 0.5 from 1 June; 中小微 and the six
-- kinds 0.9.  Decided in May.
RESET ROLE;
SET subsidy.today = '2022-05-20';
SET ROLE regress_ly_hrss;
SELECT * FROM decide('220400', 2022);
SELECT a.uscc, a.stage, a.decision, a.decided_rate, a.decided_amount FROM application a WHERE a.year = 2022 ORDER BY a.uscc;
-- E2 as a clerk reads it: the threshold, where it came from, and the small-unit test
SELECT a.uscc, l.line FROM application a, LATERAL regexp_split_to_table(explain(a), E'\n') l(line)
 WHERE a.year = 2022 AND a.uscc IN ('91220400MA00000014', '91220400MA00000027') AND l.line ~ '^(E2|适用政策)'
 ORDER BY a.uscc;
SELECT id, starts_on, ends_on, workdays FROM start_publicity('220400', 2022, '2022-05-23');
RESET ROLE;
SET subsidy.today = '2022-06-01';
SET ROLE regress_ly_hrss;
SELECT close_publicity('220400', 2022) AS cleared;
RESET ROLE;
SET subsidy.today = '2022-06-02';
SET ROLE regress_ly_agency;
SELECT a.uscc, p.stage, p.paid_amount
  FROM application a, LATERAL pay(a.id, '2022-06-02', 'LY-2022-' || a.id) p
 WHERE a.year = 2022 AND a.stage = 'cleared' ORDER BY a.uscc;

-- A6: from 1 June the large unit's rate is 0.5; what it was owed under it is a second payment,
-- computed once, paid once, never rewritten.
SET ROLE regress_ly_applicant;
SELECT top_up('220400', 2022);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET ROLE regress_th_agency;
SELECT top_up('220400', 2022);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET ROLE regress_ly_agency;
SELECT top_up('220400', 2022) AS top_ups;
SELECT top_up('220400', 2022) AS again;
SELECT a.uscc, t.decided_amount, t.amount_now, t.amount, t.rate_then, t.rate_now, t.paid_on
  FROM top_up t JOIN application a ON a.id = t.application_id ORDER BY a.uscc;
SET ROLE regress_ly_hrss;
INSERT INTO top_up (application_id, region, year, decided_amount, amount_now, amount, rate_then, rate_now)
SELECT id, region, year, 0, 1, 1, 0.3, 0.5 FROM application WHERE uscc = '91220400MA00000027' AND year = 2022;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET ROLE regress_ly_agency;
UPDATE top_up SET amount = amount * 2;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pay_top_up((SELECT max(id) FROM top_up), '2022-06-01', 'LY-TOPUP-1');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pay_top_up((SELECT max(id) FROM top_up), '2022-06-02', 'LY-2022-' || (SELECT min(id) FROM application WHERE year = 2022 AND stage = 'paid'));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- (the fifth tester, W7) a top-up goes only where the first payment went and stands: not while
-- that payment is returned, nor to an account the unit changed since, until the agency re-checks it
SET ROLE regress_ly_applicant;
SELECT bank_name AS old_bank, bank_account AS old_account FROM enterprise WHERE uscc = '91220400MA00000014' \gset
UPDATE enterprise SET bank_account = '6228 4800 0000 0000 666' WHERE uscc = '91220400MA00000014';
SET ROLE regress_ly_agency;
SELECT pay_top_up((SELECT max(id) FROM top_up), '2022-06-02', 'LY-TOPUP-1');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET ROLE regress_ly_applicant;
UPDATE enterprise SET bank_account = :'old_account' WHERE uscc = '91220400MA00000014';
SET ROLE regress_ly_agency;
BEGIN;
SELECT stage FROM return_payment((SELECT application_id FROM top_up WHERE id = (SELECT max(id) FROM top_up)), '2022-06-02', '账户已销户');
SELECT pay_top_up((SELECT max(id) FROM top_up), '2022-06-02', 'LY-TOPUP-1');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK;
SELECT amount, paid_on, payment_reference FROM pay_top_up((SELECT max(id) FROM top_up), '2022-06-02', 'LY-TOPUP-1');
SELECT bank_name, bank_account FROM top_up WHERE id = (SELECT max(id) FROM top_up);
-- A reference is a region's, whichever payment took it first (W7): an application paid again
-- after a return cannot take a top-up's, and the check answers no other region's clerk.
SELECT payment_reference_used('220400', 'LY-TOPUP-1') AS top_up_reference_used,
       payment_reference_used('220400', 'LY-TOPUP-9') AS unused_reference_used;
BEGIN;
SELECT stage FROM return_payment((SELECT application_id FROM top_up WHERE id = (SELECT max(id) FROM top_up)), '2022-06-02', '账户已销户');
SET ROLE regress_ly_applicant;
UPDATE enterprise SET bank_account = '6228 4800 0000 0000 777' WHERE uscc = '91220400MA00000014';
SET ROLE regress_ly_agency;
SELECT stage FROM recheck_bank_account((SELECT application_id FROM top_up WHERE id = (SELECT max(id) FROM top_up)));
SELECT stage FROM pay((SELECT application_id FROM top_up WHERE id = (SELECT max(id) FROM top_up)), '2022-06-02', 'LY-TOPUP-1');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK;
SET ROLE regress_th_agency;
SELECT payment_reference_used('220400', 'LY-TOPUP-1');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET ROLE regress_ly_agency;
SELECT pay_top_up((SELECT max(id) FROM top_up), '2022-06-02', 'LY-TOPUP-2');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
DELETE FROM top_up;
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- The fifth tester (section 11, S1, S3, S5): contribution records are written by
-- load_contributions only.  Another region's clerk claims no unit of 220400 for a year it has
-- not loaded yet (which would stop 220400's load), learns nothing from a key it would collide
-- with, and no clerk changes a record, or the tax bureau's account in it, once loaded.
SET ROLE regress_th_agency;
INSERT INTO contribution_record (year, uscc, region, premiums_payable, premiums_paid, loaded_on)
VALUES (2023, '91220400MA00000014', '220500', 1, 1, '2023-03-01');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
INSERT INTO contribution_record (year, uscc, region, premiums_payable, premiums_paid, loaded_on)
VALUES (2022, '91220400MA00000014', '220500', 1, 1, '2022-03-01');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET ROLE regress_ly_agency;
UPDATE contribution_record SET tax_bank_account = '6200000000000000666' WHERE region = '220400';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
INSERT INTO contribution_record (year, uscc, region, premiums_payable, premiums_paid, loaded_on)
VALUES (2023, '91220400MA00000014', '220400', 1, 1, '2023-03-01');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- Nor does a counter tell a clerk how much other regions did (S1): staged lines are numbered
-- per region, as every row the extension numbers is, and it keeps no counter of the province.
SET ROLE regress_th_agency;
INSERT INTO contribution_staging (region, year) VALUES ('220500', 'probe') RETURNING line;
SELECT count(*) AS sequences_of_the_extension FROM pg_class
 WHERE relkind = 'S' AND relnamespace = 'subsidy'::regnamespace;
RESET ROLE;
INSERT INTO enterprise (uscc, name, region)
VALUES ('91220500MA000001Y' || uscc_check_character('91220500MA000001Y'), '通化登记单位有限公司', '220500');
SET ROLE regress_ly_agency;
-- A staged line whose year is not a year, or whose new unit's name is too long, or whose unit
-- the register holds for another region (which the clerk does not see: the sixth tester's F2,
-- met by a raw duplicate-key error on load), is refused with the file, line by line, not
-- dropped from it or met by a raw constraint error (S5).
INSERT INTO contribution_staging (region, year, uscc, name, premiums_payable, premiums_paid) VALUES
  ('220400', '2023', '91220400MA00000014', NULL, '1000.00', '1000.00'),
  ('220400', '2023 ', '91220400MA00000027', NULL, '1000.00', '1000.00'),
  ('220400', '二〇二三', '91220400MA0000003A', NULL, '1000.00', '1000.00'),
  ('220400', '2023', '91220400MA000009Y' || uscc_check_character('91220400MA000009Y'), repeat('长', 201), '1000.00', '1000.00'),
  ('220400', '2023', '91220500MA000001Y' || uscc_check_character('91220500MA000001Y'), '通化登记单位有限公司', '1000.00', '1000.00'),
  -- the first line's unit again, typed full-width: the same code, so the same unit twice (the
  -- third attack round's L1, met by a raw ON CONFLICT error on load)
  ('220400', '2023', ' ９１２２０４００ＭＡ００００００１４ ', NULL, '1000.00', '1000.00');
SELECT line, regexp_replace(problem, '[0-9]+', 'N', 'g') AS problem FROM contribution_problems('220400', 2023) ORDER BY line;
-- the lookup behind it answers for the caller's regions only, and names no region
SELECT registered_elsewhere('220400', ARRAY['91220500MA000001Y' || uscc_check_character('91220500MA000001Y'),
                                            '91220400MA00000014']::uscc[]) AS elsewhere;
SELECT registered_elsewhere('220500', ARRAY['91220400MA00000014']::uscc[]);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET ROLE regress_th_agency;
INSERT INTO contribution_staging (region, year) VALUES ('220500', 'probe') RETURNING line;
DELETE FROM contribution_staging WHERE year = 'probe';
-- (one statement staging lines of two regions numbers each region on its own)
RESET ROLE;
INSERT INTO contribution_staging (region, year) VALUES ('220400', 'probe'), ('220500', 'probe'), ('220400', 'probe')
RETURNING region, line;
DELETE FROM contribution_staging WHERE year = 'probe';
SET ROLE regress_ly_agency;
SELECT load_contributions('220400', 2023);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
DELETE FROM contribution_staging WHERE region = '220400';
RESET ROLE;
SELECT count(*) AS problems FROM verify_audit();

RESET subsidy.today;
