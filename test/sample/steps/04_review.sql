-- Step of test/sample/province.sql (which documents the province); run by it in order, or
-- on its own (each step in its own session) by test/bench/cycle.sh.
\set ON_ERROR_STOP 1
SELECT year, applications FROM province.settings \gset

-- The joint review, once the window has closed: the agency confirms premiums and insured
-- persons (3 % differ from what was declared, 1 % not yet confirmed), hrss the layoffs and
-- policy compliance, finance the financial management and last year's subsidy.
SELECT pg_catalog.set_config('subsidy.today', to_char(make_date(:year, 6, 3), 'YYYY-MM-DD'), false) AS ignored \gset
UPDATE subsidy.application SET stage = 'in_review' WHERE year = :year AND stage = 'submitted';
UPDATE subsidy.application a
   SET confirmed_insured_start = CASE WHEN province.u(app.n, 42) < 0.01 THEN NULL
                                      WHEN province.u(app.n, 49) < 0.03 THEN a.insured_start - 1 - a.insured_start / 10
                                      ELSE a.insured_start END,
       confirmed_insured_end = a.insured_end,
       confirmed_insured_average = a.insured_average,
       confirmed_retirements_deaths = a.retirements_deaths,
       confirmed_premiums_payable = CASE WHEN province.u(app.n, 49) < 0.03 THEN round(a.premiums_payable / 1.08, 2)
                                         ELSE a.premiums_payable END,
       confirmed_premiums_paid = CASE WHEN province.u(app.n, 44) < 0.01 THEN NULL
                                      WHEN province.u(app.n, 49) < 0.03 THEN round(a.premiums_paid / 1.08, 2)
                                      ELSE a.premiums_paid END,
       confirmed_arrears_basis_year = a.arrears_basis_year,
       confirmed_arrears_other_years = a.arrears_other_years,
       confirmed_deferral_agreement = a.deferral_agreement,
       confirmed_prior_subsidy = a.prior_subsidy,
       confirmed_layoffs = CASE WHEN province.u(app.n, 43) < 0.01 THEN NULL ELSE a.layoffs END,
       policy_compliant = province.u(app.n, 48) >= 0.01,
       financial_management_sound = CASE WHEN province.u(app.n, 46) < 0.02 THEN NULL ELSE province.u(app.n, 47) >= 0.02 END,
       confirmed_prior_subsidy_use_proper = a.prior_subsidy_use_proper,
       -- the months of premiums paid in full (E11, 12 needed): 1 % short
       confirmed_full_contribution_months = CASE WHEN province.u(app.n, 53) < 0.01 THEN 9 ELSE 12 END,
       -- hrss recognises 1 % as in temporary difficulty (A7's hardship path, 2019 and 2020)
       hardship_recognised = province.u(app.n, 54) < 0.01
  FROM province.app app WHERE app.id = a.id AND a.stage = 'in_review';
RESET subsidy.today;
