-- regimes: each subsidy year's shipped set (DOMAIN section 13) at its boundaries, every case
-- named by the rule it is about.  Region 220700's facts for basis years 2019-2023; its
-- applications are built here and assessed, never stored.
SET search_path = public, subsidy;

INSERT INTO region_basis_year (region, basis_year, registered_unemployment_rate, fund_balance,
                               monthly_fund_expenditure, average_monthly_benefit) VALUES
  ('220700', 2019, 3.46, 2400000.00, 100000.00, 1500.00),   -- 24.00 months: A7's fund test passes
  ('220800', 2019, 3.46, 2399000.00, 100000.00, 1500.00),   -- 23.99 months: A7's fails, A1's 12 hold
  ('220700', 2020, 3.46, 2400000.00, 100000.00, 1500.00),
  ('220700', 2021, 3.46, 2400000.00, 100000.00, 1500.00),
  ('220700', 2022, 3.46, 2400000.00, 100000.00, 1500.00);
-- (the engine suite loads the same 2018 row, which 2019 reads)
INSERT INTO region_basis_year (region, basis_year, registered_unemployment_rate, fund_balance, monthly_fund_expenditure)
VALUES ('220700', 2018, 3.46, 1300000.00, 100000.00) ON CONFLICT (region, basis_year) DO NOTHING;

-- The sets each year reads, as the engine sees them in 220700.
SELECT year, policy_name, legal_source, standard_rate_large AS rate_large, standard_rate_small_micro AS rate_sme,
       threshold_source, layoff_threshold, comparator, threshold_source_sme, layoff_threshold_sme, comparator_sme,
       small_unit_scope, min_full_months, covered_units, mode, hardship_months, amount_choice
  FROM policy_in_force WHERE region = '220700' AND year BETWEEN 2019 AND 2025 ORDER BY year;

-- A unit whose facts pass everything, in 220700; each case changes only what it is about.
CREATE FUNCTION pg_temp.case_of(changes jsonb) RETURNS subsidy.application LANGUAGE sql AS $$
  SELECT jsonb_populate_record(NULL::subsidy.application, jsonb_build_object(
    'region', '220700', 'uscc', '91220700MA0000001K', 'stage', 'in_review',
    'decapacity', false, 'key_supported', false, 'zombie', false, 'serious_dishonesty', false,
    'unit_kind', 'enterprise', 'firm_size', 'large', 'confirmed_insured_start', 1000,
    'confirmed_insured_end', 1000, 'confirmed_insured_average', 995, 'confirmed_layoffs', 10,
    'confirmed_retirements_deaths', 0, 'confirmed_premiums_payable', 200000.00,
    'confirmed_premiums_paid', 200000.00, 'confirmed_arrears_basis_year', 0,
    'confirmed_arrears_other_years', 0, 'confirmed_deferral_agreement', false,
    'confirmed_prior_subsidy', 0, 'financial_management_sound', true, 'policy_compliant', true,
    'confirmed_full_contribution_months', 12, 'hardship_recognised', false) || changes)
$$;
CREATE TEMP TABLE regime_case (n serial, name text, changes jsonb);
CREATE FUNCTION pg_temp.show(first integer, last integer)
RETURNS TABLE (n integer, "case" text, outcome subsidy.outcome, rule text, rate numeric, amount numeric,
               layoff_rate numeric, threshold numeric, failed text[], missing text[])
LANGUAGE sql AS $$
  SELECT c.n, c.name, r.outcome, r.rule, r.rate, r.amount, r.layoff_rate, r.layoff_threshold,
         r.failed_rules, r.missing_facts
    FROM regime_case c, LATERAL subsidy.assess(pg_temp.case_of(c.changes)) r
   WHERE c.n BETWEEN first AND last ORDER BY c.n
$$;

-- 2019 in Jilin: the national set with [J54]'s A2 and A3; the largest of A1, A2 and A7, A2
-- naming a tie; A7 where the region's own fund covers 24 months (24.0 passes).
INSERT INTO regime_case (name, changes) VALUES
  ('2019 A1: 0.5 of paid', '{"year": 2019, "submitted_on": "2019-05-10"}'),
  ('2019 A1 or A2: A2 (0.6 of payable) is larger', '{"year": 2019, "submitted_on": "2019-05-10", "decapacity": true}'),
  ('2019 A1 or A2: a tie (60000.00 each) is A2', '{"year": 2019, "submitted_on": "2019-05-10", "decapacity": true, "confirmed_premiums_paid": 120000.00, "confirmed_premiums_payable": 100000.00}'),
  ('2019 A1 or A2: A1 is larger', '{"year": 2019, "submitted_on": "2019-05-10", "decapacity": true, "confirmed_premiums_paid": 130000.00, "confirmed_premiums_payable": 100000.00}'),
  ('2019 E11: 11 months paid in full fail', '{"year": 2019, "submitted_on": "2019-05-10", "confirmed_full_contribution_months": 11}'),
  ('2019 E11: 12 months pass', '{"year": 2019, "submitted_on": "2019-05-10", "confirmed_full_contribution_months": 12}'),
  ('2019 E13: serious dishonesty fails', '{"year": 2019, "submitted_on": "2019-05-10", "serious_dishonesty": true}'),
  ('2019 E12: a social group is not covered before 2021', '{"year": 2019, "submitted_on": "2019-05-10", "unit_kind": "social_group"}');
SELECT * FROM pg_temp.show(1, 8);

-- 2020: large units against the region's registered rate (<), 中小微 against the national
-- target of 2019, 5.5 % (≤), or, with 30 insured or fewer, at most 20 %; A7 at 24.0 months.
INSERT INTO regime_case (name, changes) VALUES
  ('2020 sme: 5.50 % passes the national 5.5 % (≤)', '{"year": 2020, "submitted_on": "2020-05-10", "firm_size": "small_micro", "confirmed_layoffs": 55}'),
  ('2020 sme: 5.51 % fails it', '{"year": 2020, "submitted_on": "2020-05-10", "firm_size": "small_micro", "confirmed_insured_start": 10000, "confirmed_insured_end": 10000, "confirmed_insured_average": 10000, "confirmed_layoffs": 551}'),
  ('2020 large: 5.50 % fails the region''s 3.46 % (<)', '{"year": 2020, "submitted_on": "2020-05-10", "confirmed_layoffs": 55}'),
  ('2020 large: 3.46 % fails the region''s 3.46 % (<)', '{"year": 2020, "submitted_on": "2020-05-10", "confirmed_insured_start": 10000, "confirmed_insured_end": 10000, "confirmed_insured_average": 10000, "confirmed_layoffs": 346}'),
  ('2020 sme, 30 insured: 20 % passes the small-unit test', '{"year": 2020, "submitted_on": "2020-05-10", "firm_size": "small_micro", "confirmed_insured_start": 30, "confirmed_insured_end": 30, "confirmed_insured_average": 30, "confirmed_layoffs": 6}'),
  ('2020 sme, 31 insured: 19.35 % is not a small unit''s, fails', '{"year": 2020, "submitted_on": "2020-05-10", "firm_size": "small_micro", "confirmed_insured_start": 31, "confirmed_insured_end": 31, "confirmed_insured_average": 31, "confirmed_layoffs": 6}'),
  ('2020 large, 30 insured: the small-unit test is the sme rule''s only', '{"year": 2020, "submitted_on": "2020-05-10", "confirmed_insured_start": 30, "confirmed_insured_end": 30, "confirmed_insured_average": 30, "confirmed_layoffs": 6}'),
  ('2020 sme: 1.0 of paid', '{"year": 2020, "submitted_on": "2020-05-10", "firm_size": "small_micro"}'),
  ('2020 A7: hardship where the fund covers 24.00 months: 6 x 1500.00 x 995', '{"year": 2020, "submitted_on": "2020-05-10", "hardship_recognised": true}'),
  ('2020 A7: at 23.99 months A1 applies', '{"year": 2020, "submitted_on": "2020-05-10", "region": "220800", "hardship_recognised": true}');
SELECT * FROM pg_temp.show(9, 18);

-- 2021: every unit against the national target of 2020, 6.0 % (≤); the six kinds covered.
INSERT INTO regime_case (name, changes) VALUES
  ('2021 large: 6.00 % passes the national 6.0 % (≤)', '{"year": 2021, "submitted_on": "2021-05-10", "confirmed_layoffs": 60}'),
  ('2021 large: 6.01 % fails it', '{"year": 2021, "submitted_on": "2021-05-10", "confirmed_insured_start": 10000, "confirmed_insured_end": 10000, "confirmed_insured_average": 10000, "confirmed_layoffs": 601}'),
  ('2021 large, 30 insured: 20 % passes the small-unit test (every unit from 2021)', '{"year": 2021, "submitted_on": "2021-05-10", "confirmed_insured_start": 30, "confirmed_insured_end": 30, "confirmed_insured_average": 30, "confirmed_layoffs": 6}'),
  ('2021 large: 0.3 of paid', '{"year": 2021, "submitted_on": "2021-05-10"}'),
  ('2021 E12: a social group is covered, as 中小微: 0.6 of paid', '{"year": 2021, "submitted_on": "2021-05-10", "unit_kind": "social_group", "firm_size": null}');
SELECT * FROM pg_temp.show(19, 23);

-- 2022: large units 0.3 when decided before 1 June, 0.5 from then (the difference a top-up).
INSERT INTO regime_case (name, changes) VALUES
  ('2022 large decided 2022-05-31: 0.3', '{"year": 2022, "decided_on": "2022-05-31"}'),
  ('2022 large decided 2022-06-01: 0.5', '{"year": 2022, "decided_on": "2022-06-01"}'),
  ('2022 sme: 0.9 whenever decided', '{"year": 2022, "decided_on": "2022-05-31", "firm_size": "small_micro"}'),
  ('2022 large, no decision yet: undetermined, asks for the day', '{"year": 2022}');
SELECT * FROM pg_temp.show(24, 27);

-- 2023: the national 5.5 % (≤) again; 2024 reads the province's pooled fund.
INSERT INTO regime_case (name, changes) VALUES
  ('2023 large: 5.50 % passes (≤)', '{"year": 2023, "confirmed_layoffs": 55}'),
  ('2023 large: 5.51 % fails', '{"year": 2023, "confirmed_insured_start": 10000, "confirmed_insured_end": 10000, "confirmed_insured_average": 10000, "confirmed_layoffs": 551}');
SELECT * FROM pg_temp.show(28, 29);

-- E0: an ineligible result lists the missing facts of the eligibility rules still open, not
-- those only the amount needs; an undetermined one lists every fact still needed.
INSERT INTO regime_case (name, changes) VALUES
  ('E0 ineligible (E5): lists premiums paid, not size or decision day', '{"year": 2022, "zombie": true, "confirmed_premiums_paid": null, "firm_size": null}'),
  ('E0 undetermined: lists premiums paid, size and decision day', '{"year": 2022, "confirmed_premiums_paid": null, "firm_size": null}');
SELECT * FROM pg_temp.show(30, 31);

-- The explanation names the threshold, its source and comparator (section 13).
SELECT explain(pg_temp.case_of('{"year": 2021, "submitted_on": "2021-05-10", "confirmed_insured_start": 10000, "confirmed_insured_end": 10000, "confirmed_insured_average": 10000, "confirmed_layoffs": 601}')) ~ '标准为全国城镇调查失业率控制目标 6%（不高于）' AS names_the_national_target;
