-- workflow_abuse: what clerks and a DBA who had read only the README tried against the
-- workflow, each met by its rule: W6 (an objection is raised and resolved through its steps
-- only, logged), section 11 (a reviewer related to an enterprise sets none of its figures),
-- W3a (a decision needs sign-offs on the figures it is computed from, the region's facts and
-- the year's parameters included), W9 (every change of the province's parameters, calendar,
-- documents and staff is logged), W11 (a spot check's seed is the extension's, not the
-- clerk's, and a draw cannot be taken back and drawn again), and required texts that only
-- look written (a full-width space, a no-break space, a zero-width space) refused; and (a
-- third tester) list facts, a spot check's timing, relations recorded late, bank accounts
-- typed another way and blanks of other kinds.
SET search_path = public, subsidy;
SET datestyle = 'ISO, YMD';
\set VERBOSITY terse

-- Subsidy year 2019 (basis year 2018) in 吉林省省本级 (22X001); the window is March and April.
INSERT INTO region_basis_year (region, basis_year, registered_unemployment_rate, fund_balance, monthly_fund_expenditure)
VALUES ('22X001', 2018, 3.46, 5000000.00, 100000.00);
INSERT INTO application_window VALUES ('22X001', 2019, '2019-03-01', '2019-04-30');
CREATE ROLE regress_wa_applicant IN ROLE subsidy_applicant;
CREATE ROLE regress_wa_agency IN ROLE subsidy_agency;
CREATE ROLE regress_wa_agency2 IN ROLE subsidy_agency;
CREATE ROLE regress_wa_hrss IN ROLE subsidy_hrss;
CREATE ROLE regress_wa_finance IN ROLE subsidy_finance;
CREATE ROLE regress_wa_dba IN ROLE subsidy_admin;
INSERT INTO staff_region (staff, region) VALUES
  ('regress_wa_applicant', '22X001'), ('regress_wa_agency', '22X001'), ('regress_wa_agency2', '22X001'),
  ('regress_wa_hrss', '22X001'), ('regress_wa_finance', '22X001');
-- six firms, 1 to 6
INSERT INTO enterprise (uscc, name, region, bank_name, bank_account)
SELECT body || uscc_check_character(body), '省直' || n || '号有限公司', '22X001', '吉林银行', '62280000000000004' || lpad(n::text, 2, '0')
  FROM generate_series(1, 6) n, LATERAL (SELECT '91220000MA0WB000' || n AS body) b;
INSERT INTO enterprise_year (uscc, year, decapacity, key_supported, zombie, monitored, firm_size, serious_dishonesty)
SELECT uscc, 2019, false, false, false, false, 'large', false FROM enterprise WHERE region = '22X001';
CREATE FUNCTION pg_temp.app(n integer) RETURNS bigint LANGUAGE sql AS $$
  SELECT id FROM application WHERE year = 2019 AND region = '22X001' AND uscc::text LIKE '91220000MA0WB000' || n || '_'
$$;
CREATE FUNCTION pg_temp.firm(n integer) RETURNS uscc LANGUAGE sql AS $$
  SELECT uscc FROM enterprise WHERE region = '22X001' AND uscc::text LIKE '91220000MA0WB000' || n || '_'
$$;
GRANT EXECUTE ON FUNCTION pg_temp.app(integer), pg_temp.firm(integer) TO PUBLIC;

-- Filed, submitted, taken into review, the figures confirmed by each party.
SET subsidy.today = '2019-03-11';
SET ROLE regress_wa_applicant;
INSERT INTO application (year, uscc, insured_start, insured_end, insured_average, layoffs, retirements_deaths,
    premiums_payable, premiums_paid, arrears_basis_year, arrears_other_years, prior_subsidy, documents)
SELECT 2019, uscc, 200, 198, 199, 2, 0, 120000.00, 120000.00, 0, 0, 0, '{annex1_materials,annex2_form}'
  FROM enterprise WHERE region = '22X001';
-- The list facts are hrss's (E5, A2, A3, W10): an applicant does not rewrite what the year's
-- list says of it on its draft, to pass as a decapacity enterprise at 60 %, or to jump the
-- review queue as monitored (the third tester's F4).
UPDATE application SET decapacity = true, zombie = false, monitored = true, key_supported = true
 WHERE id = pg_temp.app(5);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
UPDATE application SET monitored = true WHERE id = pg_temp.app(5);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT decapacity, zombie, monitored, key_supported FROM application WHERE id = pg_temp.app(5);
SELECT count(submit(id)) AS submitted FROM application WHERE region = '22X001';
RESET ROLE;
SET subsidy.today = '2019-05-06';
SET ROLE regress_wa_hrss;
SELECT start_review('22X001', 2019) AS in_review;
SET ROLE regress_wa_agency;
UPDATE application SET confirmed_insured_start = insured_start, confirmed_insured_end = insured_end,
       confirmed_insured_average = insured_average, confirmed_retirements_deaths = retirements_deaths,
       confirmed_premiums_payable = premiums_payable, confirmed_premiums_paid = premiums_paid, confirmed_full_contribution_months = 12,
       confirmed_arrears_basis_year = arrears_basis_year, confirmed_arrears_other_years = arrears_other_years,
       confirmed_deferral_agreement = false, confirmed_prior_subsidy = prior_subsidy
 WHERE region = '22X001' AND id <> pg_temp.app(1);
SET ROLE regress_wa_hrss;
UPDATE application SET confirmed_layoffs = layoffs, hardship_recognised = false, policy_compliant = true WHERE region = '22X001';
SET ROLE regress_wa_finance;
UPDATE application SET financial_management_sound = true WHERE region = '22X001';
RESET ROLE;

-- Section 11: a reviewer recorded as related to an enterprise signs none of its review, and
-- sets none of its figures either; a colleague does.
INSERT INTO staff_relation (staff, uscc, relation) VALUES ('regress_wa_agency', pg_temp.firm(1), '法定代表人之配偶');
SET ROLE regress_wa_agency;
UPDATE application SET confirmed_insured_start = insured_start, confirmed_insured_end = insured_end,
       confirmed_insured_average = insured_average, confirmed_retirements_deaths = retirements_deaths,
       confirmed_premiums_payable = premiums_payable * 2, confirmed_premiums_paid = premiums_paid * 2,
       confirmed_arrears_basis_year = 0, confirmed_arrears_other_years = 0,
       confirmed_deferral_agreement = false, confirmed_prior_subsidy = 0
 WHERE id = pg_temp.app(1);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT confirmed_premiums_paid FROM application WHERE id = pg_temp.app(1);
SET ROLE regress_wa_agency2;
UPDATE application SET confirmed_insured_start = insured_start, confirmed_insured_end = insured_end,
       confirmed_insured_average = insured_average, confirmed_retirements_deaths = retirements_deaths,
       confirmed_premiums_payable = premiums_payable, confirmed_premiums_paid = premiums_paid, confirmed_full_contribution_months = 12,
       confirmed_arrears_basis_year = 0, confirmed_arrears_other_years = 0,
       confirmed_deferral_agreement = false, confirmed_prior_subsidy = 0
 WHERE id = pg_temp.app(1);
SELECT confirmed_premiums_paid FROM application WHERE id = pg_temp.app(1);
RESET ROLE;

-- W11: a spot check's seed is drawn by the extension, not chosen, and the sample is
-- reproducible from the recorded seed.  A draw is committed before anyone sees it: drawn
-- inside a transaction and rolled back, it would show its sample (the seed of the next draw)
-- without being taken; the clerk would then choose the size, or let the application it wants
-- spared be approved first (the third tester's F5).  So it is its own transaction, and draws
-- come before the region's first approval of the year.
-- (the secret behind the seeds fixed, as only a test does, so that every run draws the same)
RESET ROLE;
UPDATE spot_check_secret SET secret = sha256('regress');
SET ROLE regress_wa_hrss;
CALL draw_spot_checks('22X001', 2019, 1, 'a seed I chose');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
BEGIN;
CALL draw_spot_checks('22X001', 2019, 2);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK;
DO $$
DECLARE
  d bigint;
  n integer;
BEGIN
  CALL subsidy.draw_spot_checks('22X001', 2019, 2, NULL, d, n);
EXCEPTION WHEN others THEN
  RAISE NOTICE 'caught: %', SQLERRM;
END
$$;
SELECT count(*) AS draws_seen FROM spot_check_draw WHERE region = '22X001';
CALL draw_spot_checks('22X001', 2019, 2);
SELECT seed ~ '^[0-9a-f]{64}$' AS drawn_seed, drawn_by = session_user AS by_me, sample_size
  FROM spot_check_draw WHERE region = '22X001';
-- reproducible: the sample is the applications under review whose hash with the seed is smallest
SELECT array_agg(i.application_id ORDER BY i.application_id) = (
         SELECT array_agg(id ORDER BY id) FROM (
           SELECT a.id FROM application a, spot_check_draw d
            WHERE d.region = '22X001' AND a.region = '22X001' AND a.year = 2019 AND a.stage = 'in_review'
            ORDER BY md5(d.seed || ':' || a.id), a.id LIMIT 2) s) AS reproducible
  FROM spot_check_item i JOIN spot_check_draw d ON d.id = i.draw_id WHERE d.region = '22X001';
UPDATE spot_check_item SET result = 'confirmed', notes = '实地核查属实'
 WHERE draw_id = (SELECT id FROM spot_check_draw WHERE region = '22X001');
RESET ROLE;

-- Every application signed off by all three parties.
SET ROLE regress_wa_agency2;
SELECT count(*) AS agency_signed FROM application a, LATERAL sign_off(a.id, 'agency', true) s WHERE a.region = '22X001';
SET ROLE regress_wa_finance;
SELECT count(*) AS finance_signed FROM application a, LATERAL sign_off(a.id, 'finance', true) s WHERE a.region = '22X001';
SET ROLE regress_wa_hrss;
SELECT count(*) AS hrss_signed FROM application a, LATERAL sign_off(a.id, 'hrss', true) s WHERE a.region = '22X001';
RESET ROLE;

-- Section 11, W3a: a relation to the enterprise recorded after a reviewer signed is one of the
-- grounds the sign-offs were given on: it voids them, and the decision does not rest on the
-- related reviewer's (the third tester's F6).  An unrelated colleague signs for the agency.
INSERT INTO staff_relation (staff, uscc, relation) VALUES ('regress_wa_agency2', pg_temp.firm(5), '持股5%以上股东');
SET ROLE regress_wa_hrss;
SELECT stage, decision FROM decide(pg_temp.app(5));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT hrss_signed, agency_signed, finance_signed FROM review_queue WHERE application_id = pg_temp.app(5);
SET ROLE regress_wa_agency2;
SELECT agency, passed FROM sign_off(pg_temp.app(5), 'agency', true, '复核无误');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET ROLE regress_wa_agency;
SELECT agency, passed FROM sign_off(pg_temp.app(5), 'agency', true, '复核无误');
SET ROLE regress_wa_hrss;
SELECT agency, passed FROM sign_off(pg_temp.app(5), 'hrss', true);
SET ROLE regress_wa_finance;
SELECT agency, passed FROM sign_off(pg_temp.app(5), 'finance', true);
RESET ROLE;

-- W3a: a decision needs sign-offs on the figures it is computed from: the region's fund,
-- lowered after the sign-offs, would reject on E7 what they approved ...
SET ROLE regress_wa_hrss;
UPDATE region_basis_year SET fund_balance = 100000.00 WHERE region = '22X001' AND basis_year = 2018;
SELECT stage, decision, decided_reasons FROM decide(pg_temp.app(2));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT hrss_signed, agency_signed, finance_signed FROM review_queue WHERE application_id = pg_temp.app(2);
UPDATE region_basis_year SET fund_balance = 5000000.00 WHERE region = '22X001' AND basis_year = 2018;
RESET ROLE;
-- ... and so would the year's rates, raised by the DBA after them (W9: logged in every chain).
SET ROLE regress_wa_dba;
INSERT INTO policy_year
SELECT (jsonb_populate_record(p, jsonb_build_object('origin', 'local', 'standard_rate_large', 0.9,
        'standard_rate_small_micro', 0.9, 'fund_cover_months', 3.0))).*
  FROM policy_year p WHERE year = 2019 AND origin = 'extension' AND scope = '220000';
SET ROLE regress_wa_hrss;
SELECT stage, decided_rate, decided_amount FROM decide(pg_temp.app(2));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET ROLE regress_wa_dba;
DELETE FROM policy_year WHERE year = 2019 AND origin = 'local';
RESET ROLE;
SELECT region, action, detail FROM audit_log
 WHERE action = 'parameters' AND detail ~ '^policy_year' AND region IN ('22X001', '220100') ORDER BY region, seq;
-- the sign-offs given on the figures as they stand again count again
SET ROLE regress_wa_hrss;
SELECT stage, decision, decided_amount FROM decide(pg_temp.app(2));
RESET ROLE;

-- W9: the calendar, the documents required, the staff's regions and relations are the grounds
-- of every rule that reads them: each change is logged, in every chain or in the region's.
SELECT count(*) AS entries FROM audit_log \gset
SET ROLE regress_wa_dba;
INSERT INTO calendar (day, is_off_day, name) VALUES ('2019-07-02', true, '临时休假');
DELETE FROM calendar WHERE day = '2019-07-02' AND origin = 'local';
INSERT INTO required_document (code, name_zh, required) VALUES ('annex9_audit', '审计报告', true);
DELETE FROM required_document WHERE code = 'annex9_audit';
INSERT INTO staff_relation (staff, uscc, relation) VALUES ('regress_wa_finance', pg_temp.firm(6), '股东');
DELETE FROM staff_relation WHERE staff = 'regress_wa_finance'::regrole;
INSERT INTO staff_region (staff, region) VALUES ('regress_wa_finance', '220100');
DELETE FROM staff_region WHERE staff = 'regress_wa_finance'::regrole AND region = '220100';
RESET ROLE;
SELECT detail, count(*) AS chains FROM audit_log WHERE action = 'parameters' AND seq > 0
   AND (region, seq) NOT IN (SELECT region, seq FROM audit_log ORDER BY at LIMIT :entries)
 GROUP BY detail ORDER BY detail;

-- Required texts must say something: a full-width space (U+3000, what a Chinese input method
-- types), a no-break space (U+00A0) or a zero-width space (U+200B) says nothing.
SET ROLE regress_wa_hrss;
UPDATE application SET policy_compliant = false WHERE id = pg_temp.app(6);
SELECT passed FROM sign_off(pg_temp.app(6), 'hrss', false, E'\u3000');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT passed FROM sign_off(pg_temp.app(6), 'hrss', false, E'\u200b\u00a0');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- a Braille blank, a lone combining accent, an object replacement character: still nothing
-- written (the third tester's F8); a text says something when it has a letter or a digit
SELECT passed FROM sign_off(pg_temp.app(6), 'hrss', false, E'\u2800');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT passed FROM sign_off(pg_temp.app(6), 'hrss', false, E'\u0300');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT passed FROM sign_off(pg_temp.app(6), 'hrss', false, E'\ufffc\u2800');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT says_something(t) AS says, t FROM (VALUES (E'\u3002'), (E'\u2014\u2014'), (E'\u2800'), ('无'), ('1'), (E'e\u0301')) v(t) ORDER BY t;
SELECT passed, comment FROM sign_off(pg_temp.app(6), 'hrss', false, '产业政策复核未通过');
SELECT count(*) AS decided FROM decide('22X001', 2019);
-- a sample drawn after approvals would spare what was approved first
CALL draw_spot_checks('22X001', 2019, 1);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET ROLE;

-- Publicity of the approved list; its end comes after seven working days.
SET subsidy.today = '2019-05-15';
SET ROLE regress_wa_hrss;
SELECT ends_on AS publicity_ends_on FROM start_publicity('22X001', 2019, '2019-05-16') \gset
RESET ROLE;
SET subsidy.today = '2019-05-17';
SET ROLE regress_wa_hrss;
SELECT stage FROM object(pg_temp.app(3), E'\u3000');
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- W6: an objection recorded by a plain INSERT is the objection step itself: the application
-- leaves publicity at once, and the trail says so ...
INSERT INTO objection (application_id, text) VALUES (pg_temp.app(3), '群众举报：该企业虚报参保人数');
SELECT stage FROM application WHERE id = pg_temp.app(3);
SELECT action, from_stage, to_stage, detail FROM application_history(pg_temp.app(3)) WHERE to_stage = 'objection';
-- ... and it is resolved only by reopening the review, never by writing a date
UPDATE objection SET resolved_on = '2019-01-01' WHERE application_id = pg_temp.app(3);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
UPDATE objection SET resolved_on = subsidy.today() WHERE application_id = pg_temp.app(3);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT resolved_on FROM objection WHERE application_id = pg_temp.app(3);
SELECT stage, review_round FROM reopen_review(pg_temp.app(3));
SELECT raised_on, resolved_on FROM objection WHERE application_id = pg_temp.app(3);
RESET ROLE;

-- Cleared after publicity, paid; a returned payment says why, in words.
SELECT set_config('subsidy.today', (:'publicity_ends_on'::date + 1)::text, false) IS NOT NULL AS after_publicity;
SET ROLE regress_wa_hrss;
SELECT close_publicity('22X001', 2019) AS cleared;
SET ROLE regress_wa_agency2;
SELECT stage FROM pay(pg_temp.app(4), subsidy.today(), 'SJ-2019-0001');
SELECT stage FROM return_payment(pg_temp.app(4), subsidy.today(), E'\u00a0');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT stage, return_reason FROM return_payment(pg_temp.app(4), subsidy.today(), E'\ufffc');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT stage, return_reason FROM return_payment(pg_temp.app(4), subsidy.today(), '账号已销户');
RESET ROLE;
-- W7, section 11: a bank account is one account however it is typed: spaces, dashes and
-- full-width digits are not another account (the third tester's F7).  The account the bank
-- returned the payment from, typed with spaces, is not a corrected one ...
SET ROLE regress_wa_applicant;
UPDATE enterprise SET bank_account = regexp_replace(bank_account, '^(\d{4})(\d{4})', '\1 \2-') WHERE uscc = pg_temp.firm(4);
SELECT bank_account = '6228000000000000404' AS stored_as_one_account FROM enterprise WHERE uscc = pg_temp.firm(4);
SET ROLE regress_wa_agency2;
SELECT stage FROM recheck_bank_account(pg_temp.app(4));
SELECT stage FROM pay(pg_temp.app(4), subsidy.today(), 'SJ-2019-0002');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- ... and two enterprises paid into one account are seen, however each typed it
SET ROLE regress_wa_applicant;
UPDATE enterprise SET bank_account = '６２２８ ００００ ００００ ００００ ４０５' WHERE uscc = pg_temp.firm(6);
SELECT bank_account FROM enterprise WHERE uscc = pg_temp.firm(6);
SET ROLE regress_wa_hrss;
SELECT count(*) AS enterprises_on_one_account FROM shared_bank_account WHERE bank_account = '6228000000000000405';
-- a reviewer related to the enterprise pays it nothing, nor re-checks the account it is paid into
RESET ROLE;
INSERT INTO staff_relation (staff, uscc, relation) VALUES ('regress_wa_agency2', pg_temp.firm(4), '近亲属任出纳');
SET ROLE regress_wa_applicant;
UPDATE enterprise SET bank_account = '6228000000000000499' WHERE uscc = pg_temp.firm(4);
SET ROLE regress_wa_agency2;
SELECT stage FROM recheck_bank_account(pg_temp.app(4));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT stage FROM pay(pg_temp.app(4), subsidy.today(), 'SJ-2019-0003');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET ROLE;

-- R3: a corrected annual report says why, in words.
SET ROLE regress_wa_hrss;
CALL freeze_annual_report(2019);
CALL freeze_annual_report(2019, E'\u3000');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
CALL freeze_annual_report(2019, E'\u200b');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET ROLE;

RESET subsidy.today;
-- The trail holds.
SELECT * FROM verify_audit();
