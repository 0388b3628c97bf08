--
-- The parameter sets and national targets the extension ships (DOMAIN sections 7 and 13),
-- written afresh by every install and update: shipped rows (origin 'extension') are the
-- release's; a DBA's own rows (origin 'local') are kept, dumped and preferred.
--

DELETE FROM subsidy.national_target WHERE origin = 'extension';
INSERT INTO subsidy.national_target (basis_year, surveyed_unemployment_target, source, origin) VALUES
  (2019, 5.5, '2019年政府工作报告', 'extension'),
  (2020, 6.0, '2020年政府工作报告', 'extension'),
  (2021, 5.5, '2021年政府工作报告', 'extension'),
  (2022, 5.5, '2022年政府工作报告', 'extension'),
  (2023, 5.5, '2023年政府工作报告', 'extension'),
  (2024, 5.5, '2024年政府工作报告', 'extension');

DELETE FROM subsidy.policy_year WHERE origin = 'extension';
-- The shipped sets (DOMAIN sections 7 and 13): the national one of each subsidy year 2015-2025,
-- and Jilin's (scope 220000): the [J54] set for 2018, and for 2019 and 2020 the national sets
-- with [J54]'s A2 and A3 paths, the largest amount granted.  Every figure is a parameter: a
-- region overrides it in policy_region, a province loads its own set as a local row.
INSERT INTO subsidy.policy_year
  (year, origin, scope, policy_name, legal_source, standard_rate_large, standard_rate_small_micro,
   decapacity_rate, arrears_path_rate, layoff_formula, threshold_source, fixed_threshold,
   priority_threshold_factor, fund_cover_months, publicity_workdays, rounding_unit, correction_workdays,
   rates_are_maximum, early_rate_large, rate_large_from, comparator, threshold_source_sme, comparator_sme,
   small_unit_scope, min_full_months, covered_units, dishonesty_rule, fund_level, mode, window_required,
   hardship_months, amount_choice)
SELECT s.year, 'extension'::subsidy.origin, s.scope, s.policy_name, s.legal_source, s.rate_large, s.rate_sme,
       s.decapacity_rate, s.arrears_path_rate, 'layoffs_over_start'::subsidy.layoff_formula,
       s.threshold_source::subsidy.threshold_source, NULL::numeric, 1, 12, 7, 0.01, 5,
       s.rates_are_maximum, s.early_rate_large, s.rate_large_from, s.comparator::subsidy.comparator,
       s.threshold_source_sme::subsidy.threshold_source, s.comparator_sme::subsidy.comparator,
       s.small_unit_scope::subsidy.small_unit_scope, s.min_full_months,
       s.covered_units::subsidy.covered_units, s.dishonesty_rule, s.fund_level::subsidy.fund_level,
       s.mode::subsidy.assessment_mode, s.window_required, s.hardship_months,
       s.amount_choice::subsidy.amount_choice
  FROM (VALUES
    (2015, 'national', '全国稳岗补贴 2015', '人社部发〔2014〕76号', 0.5, 0.5, NULL::numeric, NULL::numeric,
     'region', 'below', NULL, NULL, 'none', NULL::integer, 'enterprises', false, 'region', 'apply', true,
     NULL::numeric, 'ordered', true, NULL::numeric, NULL::date),
    (2016, 'national', '全国稳岗补贴 2016', '人社部发〔2014〕76号', 0.5, 0.5, NULL, NULL,
     'region', 'below', NULL, NULL, 'none', NULL, 'enterprises', false, 'region', 'apply', true,
     NULL, 'ordered', true, NULL, NULL),
    (2017, 'national', '全国稳岗补贴 2017', '人社部发〔2014〕76号', 0.5, 0.5, NULL, NULL,
     'region', 'below', NULL, NULL, 'none', NULL, 'enterprises', false, 'region', 'apply', true,
     NULL, 'ordered', true, NULL, NULL),
    (2018, 'national', '全国稳岗补贴 2018', '人社部发〔2014〕76号', 0.5, 0.5, NULL, NULL,
     'region', 'below', NULL, NULL, 'none', NULL, 'enterprises', false, 'region', 'apply', true,
     NULL, 'ordered', true, NULL, NULL),
    (2018, '220000', '吉林护航行动 2018', '人社部发〔2014〕76号；人社厅发〔2017〕129号；吉人社联字〔2018〕54号', 0.5, 0.5, 0.6, 0.5,
     'region', 'below', NULL, NULL, 'none', NULL, 'enterprises', false, 'region', 'apply', true,
     NULL, 'ordered', false, NULL, NULL),
    (2019, 'national', '全国稳岗返还 2019', '人社部发〔2019〕23号；国发〔2018〕39号', 0.5, 0.5, NULL, NULL,
     'region', 'below', NULL, NULL, 'none', 12, 'enterprises', true, 'region', 'apply', false,
     6, 'ordered', false, NULL, NULL),
    (2019, '220000', '吉林护航行动 2019（全国稳岗返还）', '人社部发〔2019〕23号；国发〔2018〕39号；吉人社联字〔2018〕54号', 0.5, 0.5, 0.6, 0.5,
     'region', 'below', NULL, NULL, 'none', 12, 'enterprises', true, 'region', 'apply', false,
     6, 'largest', false, NULL, NULL),
    (2020, 'national', '全国稳岗返还 2020', '国办发〔2020〕6号；人社部明电〔2020〕2号', 0.5, 1.0, NULL, NULL,
     'region', 'below', 'national', 'not_above', 'sme', 12, 'enterprises', true, 'region', 'apply', false,
     6, 'ordered', true, NULL, NULL),
    (2020, '220000', '吉林护航行动 2020（全国稳岗返还）', '国办发〔2020〕6号；人社部明电〔2020〕2号；吉人社联字〔2018〕54号', 0.5, 1.0, 0.6, 0.5,
     'region', 'below', 'national', 'not_above', 'sme', 12, 'enterprises', true, 'region', 'apply', false,
     6, 'largest', true, NULL, NULL),
    (2021, 'national', '全国稳岗返还 2021', '人社部发〔2021〕29号', 0.3, 0.6, NULL, NULL,
     'national', 'not_above', NULL, NULL, 'all', 12, 'enterprises_and_six_kinds', true, 'region', 'apply', false,
     NULL, 'ordered', true, NULL, NULL),
    (2022, 'national', '全国稳岗返还 2022', '人社部发〔2022〕23号', 0.5, 0.9, NULL, NULL,
     'national', 'not_above', NULL, NULL, 'all', 12, 'enterprises_and_six_kinds', true, 'region', 'screen', false,
     NULL, 'ordered', true, 0.3, DATE '2022-06-01'),
    (2023, 'national', '全国稳岗返还 2023', '国办发〔2023〕11号', 0.3, 0.6, NULL, NULL,
     'national', 'not_above', NULL, NULL, 'all', 12, 'enterprises_and_six_kinds', true, 'region', 'screen', false,
     NULL, 'ordered', true, NULL, NULL),
    (2024, 'national', '全国稳岗返还 2024', '人社部发〔2024〕40号', 0.3, 0.6, NULL, NULL,
     'national', 'not_above', NULL, NULL, 'all', 12, 'enterprises_and_six_kinds', true, 'province', 'screen', false,
     NULL, 'ordered', true, NULL, NULL),
    (2025, 'national', '全国稳岗返还 2025', '人社部发〔2025〕18号', 0.3, 0.6, NULL, NULL,
     'national', 'not_above', NULL, NULL, 'all', 12, 'enterprises_and_six_kinds', true, 'province', 'screen', false,
     NULL, 'ordered', true, NULL, NULL)
  ) AS s(year, scope, policy_name, legal_source, rate_large, rate_sme, decapacity_rate, arrears_path_rate,
         threshold_source, comparator, threshold_source_sme, comparator_sme, small_unit_scope, min_full_months,
         covered_units, dishonesty_rule, fund_level, mode, window_required, hardship_months, amount_choice,
         rates_are_maximum, early_rate_large, rate_large_from);

