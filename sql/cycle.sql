-- cycle: the DBA's procedures of the annual cycle (DOMAIN section 3), each at the wrong
-- moment (a clear error, nothing written), at the right one, and run again (nothing more).
SET search_path = public, subsidy;
SET datestyle = 'ISO, YMD';
\set VERBOSITY default

-- 3.1 open the year: refused for a year without parameters, and for a window outside it.
CALL open_year(2031);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT count(*) AS windows_2031 FROM application_window WHERE year = 2031;
CALL open_year(2023, '2022-12-01', '2023-05-31');
-- 长春's hrss opens 长春 (the national 2023 set applies); the facts of 2022 are not loaded yet.
SET ROLE regress_cc_hrss;
CALL open_year(2023);
CALL open_year(2023);
RESET ROLE;
SELECT region, year, opens_on, closes_on FROM application_window WHERE year = 2023 ORDER BY region;

-- Applications of 2023, taken to the decision through the workflow.
INSERT INTO region_basis_year (region, basis_year, registered_unemployment_rate, fund_balance, monthly_fund_expenditure)
VALUES ('220100', 2022, 3.50, 2600000.00, 100000.00);
INSERT INTO enterprise (uscc, name, region, bank_name, bank_account) VALUES
  ('91220101MA0Y3PXL2A', '长春安达汽车零部件有限公司', '220100', '中国银行长春分行', '6222021001000000201'),
  ('91220101MA0Y3PXM05', '长春博远信息技术有限公司', '220100', '吉林银行长春分行', '6222021001000000202');
INSERT INTO enterprise_year (uscc, year, decapacity, key_supported, zombie, monitored, firm_size, serious_dishonesty) VALUES
  ('91220101MA0Y3PXL2A', 2023, false, false, false, false, 'large', false),
  ('91220101MA0Y3PXM05', 2023, false, false, false, false, 'small_micro', false);
INSERT INTO application (year, uscc, insured_start, insured_end, insured_average, layoffs, retirements_deaths,
    premiums_payable, premiums_paid, arrears_basis_year, arrears_other_years, prior_subsidy, documents)
SELECT 2023, uscc, 200, 196, 198, 2, 1, 240000.00, 240000.00, 0, 0, 0, '{annex1_materials,annex2_form}'
  FROM enterprise WHERE uscc IN ('91220101MA0Y3PXL2A', '91220101MA0Y3PXM05');
SET subsidy.today = '2023-03-15';
SELECT s.uscc, s.stage FROM application a, LATERAL submit(a.id) s WHERE a.year = 2023 ORDER BY s.uscc;

-- 5 publicity before any decision: refused.
SET subsidy.today = '2023-06-05';
SELECT * FROM start_publicity(2023, '2023-06-05');
SELECT start_review('220100', 2023);
UPDATE application SET confirmed_insured_start = insured_start, confirmed_insured_end = insured_end,
       confirmed_insured_average = insured_average, confirmed_retirements_deaths = retirements_deaths,
       confirmed_layoffs = layoffs, confirmed_premiums_payable = premiums_payable, confirmed_premiums_paid = premiums_paid, confirmed_full_contribution_months = 12,
       confirmed_arrears_basis_year = arrears_basis_year, confirmed_arrears_other_years = arrears_other_years,
       confirmed_prior_subsidy = prior_subsidy, financial_management_sound = true, policy_compliant = true
 WHERE year = 2023;
SELECT count(sign_off(a.id, g, true)) AS sign_offs FROM application a, unnest(enum_range(NULL::agency)) g WHERE a.year = 2023;
SELECT * FROM decide('220100', 2023);
SELECT uscc, firm_size, decision, decided_rule, decided_rate, decided_amount FROM application WHERE year = 2023 ORDER BY uscc;

-- 5 publicity for every pool with a list waiting, then again: nothing more.
SELECT * FROM start_publicity(2023, '2023-06-05');
SELECT * FROM start_publicity(2023, '2023-06-05');

-- 6 clearing: before the end nothing clears; after it, the list does; then nothing is left.
SELECT * FROM close_publicity(2023);
SET subsidy.today = '2023-06-14';
SELECT * FROM close_publicity(2023);
SELECT * FROM close_publicity(2023);

-- 7 payment: the agency loads its bank file with COPY; a wrong record stops the whole batch.
SET subsidy.today = '2023-06-20';
SET ROLE regress_cc_agency;
SET subsidy.payment_batch = '2023-长春-第一批';
-- a record for another region's enterprise: the whole file is refused, nothing loaded
COPY payment_file_load (uscc, year, amount, paid_on, reference) FROM stdin WITH (FORMAT csv);
91220101MA0Y3PXL2A,2023,72000.00,2023-06-19,BOC-2023-0601
92340603MA2PBMCG0U,2023,1000.00,2023-06-19,BOC-2023-0603
\.
SELECT count(*) AS records_loaded FROM payment_file;
COPY payment_file_load (uscc, year, amount, paid_on, reference) FROM stdin WITH (FORMAT csv);
91220101MA0Y3PXL2A,2023,72000.00,2023-06-19,BOC-2023-0601
91220101MA0Y3PXM05,2023,144000.01,2023-06-19,JLB-2023-0602
91220101MA0Y3PXK6M,2023,1000.00,2023-06-19,BOC-2023-0601
\.
CALL pay_batch('2023-长春-第一批');
SELECT line, uscc, problem FROM check_payment_batch('2023-长春-第一批') ORDER BY line, problem;
SELECT count(*) AS paid_so_far FROM application WHERE year = 2023 AND stage = 'paid';
-- the clerk deletes the wrong records and pays the good one ...
DELETE FROM payment_file WHERE batch = '2023-长春-第一批' AND uscc <> '91220101MA0Y3PXL2A';
CALL pay_batch('2023-长春-第一批');
-- ... then loads the corrected one into the same batch: the call pays it and says what it paid
-- itself, not the batch's total (the sixth tester's F3)
INSERT INTO payment_file (uscc, year, amount, paid_on, reference)
VALUES ('91220101MA0Y3PXM05', 2023, 144000.00, '2023-06-19', 'JLB-2023-0602');
CALL pay_batch('2023-长春-第一批');
CALL pay_batch('2023-长春-第一批');
SELECT uscc, amount, reference, application_id IS NOT NULL AS applied FROM payment_file ORDER BY line;
-- an applied record is the record of the payment: never changed or removed
UPDATE payment_file SET applied_at = NULL WHERE reference = 'BOC-2023-0601';
DELETE FROM payment_file WHERE reference = 'BOC-2023-0601';
-- and a record cannot claim a payment that was not made
INSERT INTO payment_file (uscc, year, amount, paid_on, reference)
VALUES ('91220101MA0Y3PXL2A', 2023, 72000.00, '2023-06-19', 'BOC-2023-9999');
UPDATE payment_file SET applied_at = now(), application_id = (SELECT id FROM application WHERE uscc = '91220101MA0Y3PXL2A' AND year = 2023)
 WHERE reference = 'BOC-2023-9999';
CALL pay_batch('2023-长春-第一批');
DELETE FROM payment_file WHERE reference = 'BOC-2023-9999';
CALL pay_batch('nonexistent');
RESET subsidy.payment_batch;
INSERT INTO payment_file (uscc, year, amount, paid_on, reference)
VALUES ('91220101MA0Y3PXL2A', 2023, 72000.00, '2023-06-19', 'X');

-- 8 the agency reports the payment times to hrss; hrss reports upward, every pool at once;
-- again: nothing left (W8).
RESET ROLE;
SET subsidy.today = '2023-06-25';
SET ROLE regress_cc_hrss;
SELECT region, reference, payments FROM report_upward(2023, 'NATIONAL-2023');
SET ROLE regress_cc_agency;
SELECT region, payments FROM report_payment_times(2023);
SET ROLE regress_cc_hrss;
SELECT region, reference, payments FROM report_upward(2023, 'NATIONAL-2023');
SELECT region, reference, payments FROM report_upward(2023, 'NATIONAL-2023');
RESET ROLE;

-- 10 close: refused while the report is not frozen, and for anyone but the DBA.
CALL close_year(2023);
SET ROLE regress_cc_hrss;
CALL freeze_annual_report(2023);
CALL close_year(2023);
RESET ROLE;
CALL close_year(2023);
-- 长春 froze its own row; the DBA freezes the province's, then closes.
CALL freeze_annual_report(2023);
CALL close_year(2023);
CALL close_year(2023);
SELECT year, closed_by = session_user AS by_this_login FROM closed_year;
-- a closed year does not change, through any door
SELECT id, stage FROM object((SELECT id FROM application WHERE uscc = '91220101MA0Y3PXL2A' AND year = 2023), '逾期异议');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
UPDATE application SET spot_check = 'false_data' WHERE year = 2023;
INSERT INTO application (year, uscc) VALUES (2023, '9144030071526726XG');
CALL assess_year(2023);
CALL open_year(2023);
RESET subsidy.today;
