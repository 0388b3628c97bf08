-- engine: the eligibility rules E0-E10 (DOMAIN section 5), every case named by its rule id.
SET search_path = public, subsidy;

-- Regions' facts for basis year 2018 (subsidy year 2019) and their windows.
INSERT INTO region_basis_year (region, basis_year, registered_unemployment_rate, fund_balance, monthly_fund_expenditure) VALUES
  ('220100', 2018, 3.46, 1200000.00, 100000.00),   -- exactly 12.00 months of cover
  ('220200', 2018, 3.46, 1199000.00, 100000.00),   -- 11.99 months
  ('220400', 2018, 4.00, 1300000.00, 100000.00),
  ('220500', 2018, 3.00, 1300000.00, 100000.00),
  ('220600', 2018, 3.00, 1300000.00, 100000.00),
  ('220700', 2018, 3.46, 1300000.00, 100000.00),
  ('220800', 2018, NULL, 1300000.00, 100000.00),   -- no rate of its own: takes the province's
  ('220100', 2023, 3.20, 2400000.00, 100000.00),
  ('220000', 2023, NULL, 36000000.00, 1500000.00);  -- the province's pooled fund, which 2024 reads: 24 months
INSERT INTO application_window (region, year, opens_on, closes_on)
SELECT code, 2019, date '2019-03-01', date '2019-04-30' FROM region WHERE is_pool AND code <> '220300'
UNION ALL SELECT '220100', 2024, date '2024-03-01', date '2024-04-30';
INSERT INTO policy_region (year, region, layoff_formula, threshold_source, priority_threshold_factor, rounding_unit, note) VALUES
  (2019, '220400', 'net_decrease_over_start', NULL, NULL, NULL, 'E2 by net decrease over start'),
  (2019, '220500', 'net_decrease_over_average', NULL, NULL, NULL, 'E2 by net decrease over the monthly average'),
  (2019, '220600', NULL, NULL, 1.5, NULL, 'E2 relaxed 1.5 times for decapacity and key-supported enterprises'),
  (2019, '220700', NULL, NULL, NULL, 1, 'A4 rounding to whole yuan'),
  (2019, '220800', NULL, 'parent', NULL, NULL, 'E2 threshold: the province''s rate');

SELECT year, region, layoff_formula, threshold_source, layoff_threshold, priority_threshold_factor,
       fund_cover_months, fund_balance, monthly_fund_expenditure, rounding_unit, window_opens, window_closes
  FROM policy_in_force WHERE year = 2019 ORDER BY region;

-- An application whose confirmed figures pass everything, in 220100 for 2019; each case
-- changes only what it is about.
CREATE FUNCTION pg_temp.case_of(changes jsonb) RETURNS subsidy.application LANGUAGE sql AS $$
  SELECT jsonb_populate_record(NULL::subsidy.application, jsonb_build_object(
    'year', 2019, 'region', '220100', 'uscc', '91350100M000100Y43', 'stage', 'in_review',
    'submitted_on', '2019-03-15', 'decapacity', false, 'key_supported', false, 'zombie', false,
    'firm_size', 'large', 'confirmed_insured_start', 1000, 'confirmed_insured_end', 990,
    'confirmed_insured_average', 995, 'confirmed_layoffs', 10, 'confirmed_retirements_deaths', 2,
    'confirmed_premiums_payable', 200000.00, 'confirmed_premiums_paid', 200000.00,
    'confirmed_arrears_basis_year', 0, 'confirmed_arrears_other_years', 0,
    'confirmed_deferral_agreement', false, 'confirmed_prior_subsidy', 0,
    'confirmed_prior_subsidy_use_proper', NULL, 'financial_management_sound', true,
    'policy_compliant', true,
    -- the facts the 2019 set adds (E11-E13, A7), none of them in the way
    'unit_kind', 'enterprise', 'serious_dishonesty', false, 'confirmed_full_contribution_months', 12,
    'hardship_recognised', false) || changes)
$$;
CREATE TABLE engine_case (n serial, name text, changes jsonb);
CREATE FUNCTION pg_temp.show(first integer, last integer)
RETURNS TABLE (n integer, "case" text, outcome subsidy.outcome, rule text, amount numeric,
               layoff_rate numeric, threshold numeric, failed text[], open text[], missing text[], reasons text[])
LANGUAGE sql AS $$
  SELECT c.n, c.name, r.outcome, r.rule, r.amount, r.layoff_rate, r.layoff_threshold,
         r.failed_rules, r.open_rules, r.missing_facts, r.reasons
    FROM engine_case c, LATERAL subsidy.assess(pg_temp.case_of(c.changes)) r
   WHERE c.n BETWEEN first AND last ORDER BY c.n
$$;

INSERT INTO engine_case (name, changes) VALUES
  ('baseline: everything holds', '{}');
SELECT * FROM pg_temp.show(1, 1);

-- E1: insured and premiums for the basis year paid in full.
INSERT INTO engine_case (name, changes) VALUES
  ('E1 arrears for the basis year fail', '{"confirmed_arrears_basis_year": 500}'),
  ('E1 arrears for the basis year fail even with an agreement', '{"confirmed_arrears_basis_year": 500, "confirmed_deferral_agreement": true, "decapacity": true}'),
  ('E1 arrears for the basis year fail whatever else is unknown', '{"confirmed_arrears_basis_year": 500, "confirmed_premiums_paid": null, "confirmed_arrears_other_years": null}'),
  ('E1 paid below payable fails', '{"confirmed_premiums_paid": 199999.99}'),
  ('E1 paid above payable passes', '{"confirmed_premiums_paid": 200000.01}'),
  ('E1 arrears in other years without an agreement fail', '{"confirmed_arrears_other_years": 800}'),
  ('E1 arrears in other years, agreement, not decapacity or key-supported: fail', '{"confirmed_arrears_other_years": 800, "confirmed_deferral_agreement": true}'),
  ('E1 arrears in other years, agreement, decapacity: A3 path', '{"confirmed_arrears_other_years": 800, "confirmed_deferral_agreement": true, "decapacity": true}'),
  ('E1 arrears in other years, agreement, key-supported: A3 path', '{"confirmed_arrears_other_years": 800, "confirmed_deferral_agreement": true, "key_supported": true}'),
  ('E1 arrears in other years, agreement unknown: asks for it', '{"confirmed_arrears_other_years": 800, "confirmed_deferral_agreement": null, "decapacity": true}'),
  ('E1 arrears in other years, agreement, category unknown: asks for both facts', '{"confirmed_arrears_other_years": 800, "confirmed_deferral_agreement": true, "decapacity": null, "key_supported": null}'),
  ('E1 an agreement without arrears in other years changes nothing', '{"confirmed_deferral_agreement": true}'),
  ('E1 premiums unknown: asks for both', '{"confirmed_premiums_paid": null, "confirmed_premiums_payable": null}');
SELECT * FROM pg_temp.show(2, 14);

-- E2: no layoffs, or a layoff rate strictly below the threshold, in exact arithmetic.
INSERT INTO engine_case (name, changes) VALUES
  ('E2 rate exactly equal to the threshold fails (346 of 10,000 against 3.46 %)', '{"confirmed_layoffs": 346, "confirmed_insured_start": 10000}'),
  ('E2 rate just below the threshold passes (345 of 10,000)', '{"confirmed_layoffs": 345, "confirmed_insured_start": 10000}'),
  ('E2 rate a hair below the threshold passes (3459999 of 100,000,000)', '{"confirmed_layoffs": 3459999, "confirmed_insured_start": 100000000}'),
  ('E2 rate above the threshold fails', '{"confirmed_layoffs": 41, "confirmed_insured_start": 1000}'),
  ('E2 no layoffs pass whatever the headcounts', '{"confirmed_layoffs": 0, "confirmed_insured_start": null, "confirmed_insured_end": null}'),
  ('E2 zero insured at start and no layoffs: rate 0, passes', '{"confirmed_layoffs": 0, "confirmed_insured_start": 0}'),
  ('E2 zero insured at start with layoffs: undetermined, names the denominator', '{"confirmed_layoffs": 3, "confirmed_insured_start": 0}'),
  ('E2 layoffs unknown', '{"confirmed_layoffs": null}'),
  ('E2 net decrease over start: decrease below the rate passes', '{"region": "220400", "confirmed_insured_start": 1000, "confirmed_insured_end": 961}'),
  ('E2 net decrease over start: decrease equal to the rate fails', '{"region": "220400", "confirmed_insured_start": 1000, "confirmed_insured_end": 960}'),
  ('E2 net decrease over start: growth is floored at 0', '{"region": "220400", "confirmed_insured_start": 1000, "confirmed_insured_end": 1200}'),
  ('E2 net decrease over start: end unknown', '{"region": "220400", "confirmed_insured_end": null}'),
  ('E2 net decrease over average: passes before retirements are subtracted', '{"region": "220500", "confirmed_insured_start": 1000, "confirmed_insured_end": 980, "confirmed_insured_average": 990, "confirmed_retirements_deaths": null}'),
  ('E2 net decrease over average: fails without, passes with retirements', '{"region": "220500", "confirmed_insured_start": 1000, "confirmed_insured_end": 960, "confirmed_insured_average": 980, "confirmed_retirements_deaths": 15}'),
  ('E2 net decrease over average: fails with retirements too', '{"region": "220500", "confirmed_insured_start": 1000, "confirmed_insured_end": 950, "confirmed_insured_average": 980, "confirmed_retirements_deaths": 10}'),
  ('E2 net decrease over average: needs retirements when the rate without them fails', '{"region": "220500", "confirmed_insured_start": 1000, "confirmed_insured_end": 960, "confirmed_insured_average": 980, "confirmed_retirements_deaths": null}'),
  ('E2 net decrease over average: zero average with a decrease names the average', '{"region": "220500", "confirmed_insured_start": 10, "confirmed_insured_end": 5, "confirmed_insured_average": 0, "confirmed_retirements_deaths": 1}'),
  ('E2 net decrease over average: decrease all retirements passes with a zero average', '{"region": "220500", "confirmed_insured_start": 10, "confirmed_insured_end": 5, "confirmed_insured_average": 0, "confirmed_retirements_deaths": 5}'),
  ('E2 net decrease over average: start unknown asks for all it may need', '{"region": "220500", "confirmed_insured_start": null, "confirmed_insured_average": null, "confirmed_retirements_deaths": null}'),
  ('E2 factor 1.5 for decapacity: 4.0 % passes under 4.5 %', '{"region": "220600", "decapacity": true, "confirmed_layoffs": 40}'),
  ('E2 factor 1.5 for key-supported: 4.5 % fails', '{"region": "220600", "key_supported": true, "confirmed_layoffs": 45}'),
  ('E2 factor 1.5 is not for others: 4.0 % fails under 3 %', '{"region": "220600", "confirmed_layoffs": 40}'),
  ('E2 factor 1.5, category unknown: asks only when it matters', '{"region": "220600", "decapacity": null, "key_supported": null, "confirmed_layoffs": 40}'),
  ('E2 factor 1.5, category unknown, rate passes anyway', '{"region": "220600", "decapacity": null, "key_supported": false, "confirmed_layoffs": 20}'),
  ('E2 threshold from the parent (province 3.46 %)', '{"region": "220800", "confirmed_layoffs": 35}'),
  ('E2 threshold not loaded for the region', '{"region": "220300", "confirmed_layoffs": 5}'),
  ('E2 threshold not loaded, but no layoffs', '{"region": "220300", "confirmed_layoffs": 0}');
SELECT * FROM pg_temp.show(15, 41);

-- E3 financial management, E4 industrial and environmental policy, E5 zombie,
-- E6 last year's subsidy.
INSERT INTO engine_case (name, changes) VALUES
  ('E3 financial management unsound fails', '{"financial_management_sound": false}'),
  ('E3 finance has not reviewed yet', '{"financial_management_sound": null}'),
  ('E4 not compliant fails', '{"policy_compliant": false}'),
  ('E4 not yet reviewed', '{"policy_compliant": null}'),
  ('E5 a zombie is never eligible', '{"zombie": true}'),
  ('E5 zombie plus decapacity: still ineligible, no A2', '{"zombie": true, "decapacity": true}'),
  ('E5 zombie list not known', '{"zombie": null}'),
  ('E6 prior subsidy misused fails', '{"confirmed_prior_subsidy": 3000, "confirmed_prior_subsidy_use_proper": false}'),
  ('E6 prior subsidy used properly passes', '{"confirmed_prior_subsidy": 3000, "confirmed_prior_subsidy_use_proper": true}'),
  ('E6 prior subsidy of 0 passes without a finding', '{"confirmed_prior_subsidy": 0, "confirmed_prior_subsidy_use_proper": null}'),
  ('E6 prior subsidy, finding pending', '{"confirmed_prior_subsidy": 3000, "confirmed_prior_subsidy_use_proper": null}'),
  ('E6 nothing known: asks for both', '{"confirmed_prior_subsidy": null, "confirmed_prior_subsidy_use_proper": null}');
SELECT * FROM pg_temp.show(42, 53);

-- E7 the region's fund covers 12 months (exactly 12 passes); E8 the window; E10 spot checks.
INSERT INTO engine_case (name, changes) VALUES
  ('E7 exactly 12.00 months of cover passes', '{"region": "220100"}'),
  ('E7 11.99 months of cover: the region grants nothing', '{"region": "220200"}'),
  ('E7 fund facts not loaded', '{"region": "220300"}'),
  ('E8 filed on the first day of the window', '{"submitted_on": "2019-03-01"}'),
  ('E8 filed on the last day of the window', '{"submitted_on": "2019-04-30"}'),
  ('E8 filed the day before the window', '{"submitted_on": "2019-02-28"}'),
  ('E8 filed the day after the window', '{"submitted_on": "2019-05-01"}'),
  ('E8 not submitted yet', '{"submitted_on": null}'),
  ('E8 the region has no window', '{"region": "220300", "confirmed_layoffs": 0}'),
  ('E10 spot check found false data', '{"spot_check": "false_data"}'),
  ('E10 spot check drawn, result pending', '{"spot_check": "pending"}'),
  ('E10 spot check confirmed the data', '{"spot_check": "confirmed"}');
SELECT * FROM pg_temp.show(54, 65);

-- E0: every missing fact at once; a known failure fails even with facts missing.
INSERT INTO engine_case (name, changes) VALUES
  ('E0 everything unknown: one list', '{"submitted_on": null, "decapacity": null, "key_supported": null, "zombie": null, "confirmed_insured_start": null, "confirmed_insured_end": null, "confirmed_insured_average": null, "confirmed_layoffs": null, "confirmed_retirements_deaths": null, "confirmed_premiums_payable": null, "confirmed_premiums_paid": null, "confirmed_arrears_basis_year": null, "confirmed_arrears_other_years": null, "confirmed_deferral_agreement": null, "confirmed_prior_subsidy": null, "financial_management_sound": null, "policy_compliant": null}'),
  ('E0 a known failure makes it ineligible; missing facts still listed', '{"zombie": true, "confirmed_layoffs": null, "financial_management_sound": null}'),
  ('E0 no parameter set for the year', '{"year": 2031}');
SELECT * FROM pg_temp.show(66, 68);

-- E0 asks for everything a rule may need at once, and decides nothing on an unknown figure:
-- with the prior subsidy unknown, an improper use does not yet fail E6 (a prior subsidy of 0
-- passes it); with layoffs and the headcount at start unknown, E2 asks for both.
INSERT INTO engine_case (name, changes) VALUES
  ('E0 E6 use improper, prior subsidy unknown: undetermined, asks for the amount', '{"confirmed_prior_subsidy": null, "confirmed_prior_subsidy_use_proper": false}'),
  ('E0 E2 layoffs over start, layoffs and start unknown: asks for both', '{"confirmed_layoffs": null, "confirmed_insured_start": null}'),
  ('E0 E2 layoffs over start, layoffs unknown, start zero: asks for both', '{"confirmed_layoffs": null, "confirmed_insured_start": 0}');
SELECT * FROM pg_temp.show(69, 71);

-- Explanations: the rules in Chinese with their sources.
SELECT subsidy.explain(subsidy.assess(pg_temp.case_of(changes))) FROM engine_case WHERE n IN (1, 15, 67, 68) ORDER BY n;
SELECT subsidy.explain(subsidy.assess(pg_temp.case_of(changes))) FROM engine_case WHERE n = 66;
SELECT subsidy.explain(subsidy.assess(pg_temp.case_of('{"region": "220200", "confirmed_premiums_paid": 1, "confirmed_arrears_other_years": 5}')));

-- E9: one application per enterprise and year, across all regions: an application's region is
-- its enterprise's (section 11), so a second one is refused wherever it claims to be filed.
INSERT INTO enterprise (uscc, name, region) VALUES ('91350100M000100Y43', '长春测试机械有限公司', '220100');
INSERT INTO application (year, uscc) VALUES (2019, '91350100M000100Y43');
SELECT region, stage FROM application WHERE uscc = '91350100M000100Y43';
INSERT INTO application (year, uscc) VALUES (2019, '91350100M000100Y43');
INSERT INTO application (year, uscc, region) VALUES (2019, '91350100M000100Y43', '220200');
INSERT INTO application (year, uscc) VALUES (2020, '91350100M000100Y43');
SELECT year, region FROM application WHERE uscc = '91350100M000100Y43' ORDER BY year;
