-- engine_amount: the amount rules A1-A5 (DOMAIN section 6) under both shipped parameter sets.
SET search_path = public, subsidy;

CREATE FUNCTION pg_temp.case_of(changes jsonb) RETURNS subsidy.application LANGUAGE sql AS $$
  SELECT jsonb_populate_record(NULL::subsidy.application, jsonb_build_object(
    'year', 2019, 'region', '220100', 'uscc', '91350100M000100Y43', 'stage', 'in_review',
    'submitted_on', '2019-03-15', 'decapacity', false, 'key_supported', false, 'zombie', false,
    'firm_size', 'large', 'confirmed_insured_start', 1000, 'confirmed_insured_end', 990,
    'confirmed_insured_average', 995, 'confirmed_layoffs', 10, 'confirmed_retirements_deaths', 2,
    'confirmed_premiums_payable', 150000.50, 'confirmed_premiums_paid', 150000.50,
    'confirmed_arrears_basis_year', 0, 'confirmed_arrears_other_years', 0,
    'confirmed_deferral_agreement', false, 'confirmed_prior_subsidy', 0,
    'financial_management_sound', true, 'policy_compliant', true,
    -- the facts the 2019 set adds (E11-E13, A7), none of them in the way
    'unit_kind', 'enterprise', 'serious_dishonesty', false, 'confirmed_full_contribution_months', 12,
    'hardship_recognised', false) || changes)
$$;
CREATE FUNCTION pg_temp.amounts(cases jsonb)
RETURNS TABLE ("case" text, outcome subsidy.outcome, rule text, basis subsidy.basis, basis_amount numeric,
               rate numeric, amount numeric, open text[], missing text[], failed text[])
LANGUAGE sql AS $$
  SELECT c.key, r.outcome, r.rule, r.basis, r.basis_amount, r.rate, r.amount, r.open_rules,
         r.missing_facts, r.failed_rules
    FROM jsonb_each(cases) AS c(key, value),
         LATERAL subsidy.assess(pg_temp.case_of(c.value)) r
   ORDER BY c.key
$$;

-- A1 standard: the set's rate times premiums actually paid; Jilin pays 50 % whatever the size.
SELECT * FROM pg_temp.amounts('{
  "A1 Jilin 2019, large firm: 0.5 x paid": {},
  "A1 Jilin 2019, small firm: the same 0.5": {"firm_size": "small_micro"},
  "A1 Jilin 2019, size unknown: not needed": {"firm_size": null},
  "A1 key-supported without arrears takes A1": {"key_supported": true},
  "A1 national 2024, large firm: 0.3 x paid": {"year": 2024, "submitted_on": "2024-03-15"},
  "A1 national 2024, small or micro firm: 0.6 x paid": {"year": 2024, "submitted_on": "2024-03-15", "firm_size": "small_micro"},
  "A1 national 2024, size unknown: undetermined, asks for it": {"year": 2024, "submitted_on": "2024-03-15", "firm_size": null}
}');

-- A2 decapacity without arrears: 60 % of premiums payable; before A1 when also key-supported.
SELECT * FROM pg_temp.amounts('{
  "A2 decapacity, no arrears: 0.6 x payable": {"decapacity": true},
  "A2 decapacity and key-supported: A2 first": {"decapacity": true, "key_supported": true},
  "A2 decapacity unknown: undetermined, asks for it": {"decapacity": null},
  "A2 national 2024 has no A2: decapacity takes A1 by size": {"year": 2024, "submitted_on": "2024-03-15", "decapacity": true}
}');

-- A3 arrears in other years under a deferred-payment agreement: 50 % of payable.
SELECT * FROM pg_temp.amounts('{
  "A3 decapacity in arrears for other years, agreement signed": {"decapacity": true, "confirmed_arrears_other_years": 3000, "confirmed_deferral_agreement": true},
  "A3 key-supported in arrears for other years, agreement signed": {"key_supported": true, "confirmed_arrears_other_years": 3000, "confirmed_deferral_agreement": true},
  "A3 no agreement: E1 fails": {"decapacity": true, "confirmed_arrears_other_years": 3000, "confirmed_deferral_agreement": false},
  "A3 arrears for the basis year too: E1 fails": {"decapacity": true, "confirmed_arrears_basis_year": 10, "confirmed_arrears_other_years": 3000, "confirmed_deferral_agreement": true},
  "A3 national 2024 has no A3: arrears in other years fail E1": {"year": 2024, "submitted_on": "2024-03-15", "decapacity": true, "confirmed_arrears_other_years": 3000, "confirmed_deferral_agreement": true}
}');

-- A4 rounding half up to the unit (0.01 yuan; a region may use 1 yuan); never float.
SELECT * FROM pg_temp.amounts('{
  "A4 10000.01 x 0.5 = 5000.005 rounds up to 5000.01": {"confirmed_premiums_payable": 10000.01, "confirmed_premiums_paid": 10000.01},
  "A4 10000.03 x 0.5 = 5000.015 rounds up to 5000.02": {"confirmed_premiums_payable": 10000.03, "confirmed_premiums_paid": 10000.03},
  "A4 0.09 x 0.5 = 0.045 rounds up to 0.05": {"confirmed_premiums_payable": 0.09, "confirmed_premiums_paid": 0.09},
  "A4 0.01 x 0.6 = 0.006 rounds up to 0.01": {"decapacity": true, "confirmed_premiums_payable": 0.01, "confirmed_premiums_paid": 0.01},
  "A4 1234567.89 x 0.6 = 740740.734 rounds down": {"decapacity": true, "confirmed_premiums_payable": 1234567.89, "confirmed_premiums_paid": 1234567.89},
  "A4 999999999999.99 x 0.6, no float error": {"decapacity": true, "confirmed_premiums_payable": 999999999999.99, "confirmed_premiums_paid": 999999999999.99},
  "A4 whole yuan in 220700: 10001.00 x 0.5 = 5000.5 rounds up to 5001": {"region": "220700", "confirmed_premiums_payable": 10001.00, "confirmed_premiums_paid": 10001.00},
  "A4 whole yuan in 220700: 10000.98 x 0.5 = 5000.49 rounds down to 5000": {"region": "220700", "confirmed_premiums_payable": 10000.98, "confirmed_premiums_paid": 10000.98},
  "A4 nothing paid: eligible for 0.00": {"confirmed_premiums_payable": 0, "confirmed_premiums_paid": 0}
}');
SELECT pg_typeof(subsidy.assess(pg_temp.case_of('{}'))) AS result_type,
       pg_typeof((subsidy.assess(pg_temp.case_of('{}'))).amount) AS amount_type;

-- A5: amounts use the confirmed figures; declared ones that differ are kept and flagged.
INSERT INTO enterprise (uscc, name, region, bank_name, bank_account)
VALUES ('91110000600037341L', '长春信息比对测试有限公司', '220100', '中国工商银行长春分行', '6222001234567890');
INSERT INTO application (year, uscc, decapacity, key_supported, zombie, firm_size, insured_start, insured_end,
    insured_average, layoffs, retirements_deaths, premiums_payable, premiums_paid, arrears_basis_year,
    arrears_other_years, deferral_agreement, prior_subsidy, documents)
  VALUES (2019, '91110000600037341L', false, false, false, 'large', 1200, 990, 1095, 0, 0,
    880000.00, 880000.00, 0, 0, true, 0, '{annex1_materials,annex2_form}');
SET subsidy.today = '2019-03-20';
UPDATE application SET stage = 'submitted' WHERE uscc = '91110000600037341L';
SET subsidy.today = '2019-05-06';
UPDATE application SET stage = 'in_review' WHERE uscc = '91110000600037341L';
UPDATE application
   SET confirmed_insured_start = 1000, confirmed_insured_end = 990, confirmed_layoffs = 10,
       confirmed_premiums_payable = 800000.00, confirmed_premiums_paid = 800000.00,
       confirmed_arrears_basis_year = 0, confirmed_arrears_other_years = 0,
       confirmed_deferral_agreement = false, confirmed_prior_subsidy = 0,
       financial_management_sound = true, policy_compliant = true,
       confirmed_full_contribution_months = 12, hardship_recognised = false, serious_dishonesty = false
 WHERE uscc = '91110000600037341L';
RESET subsidy.today;
SELECT a.premiums_paid AS declared_paid, a.confirmed_premiums_paid AS confirmed_paid, r.rule, r.amount
  FROM application a, LATERAL subsidy.assess(a) r WHERE a.uscc = '91110000600037341L';
SELECT figure, declared, confirmed, difference FROM figure_difference
 WHERE uscc = '91110000600037341L' ORDER BY figure;

-- A6 (a decided amount is frozen) is enforced by the workflow: see the workflow test.
