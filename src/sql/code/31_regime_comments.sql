--
-- The descriptions of the parameter sets and of what 1.2 added to the schema for the national
-- regimes and screening (DOMAIN section 13), here among the code so that a fresh install and
-- an update from 1.1 share them: COMMENT ON is re-run by every update.
--

COMMENT ON TYPE subsidy.comparator IS 'E2: the layoff rate strictly below the threshold (低于), or at or below it (不高于)';
COMMENT ON TYPE subsidy.small_unit_scope IS
  'E2''s small-unit alternative (参保职工30人以下企业裁员率不高于20%): for no unit, for medium, small and micro units only (2020), or for every unit (from 2021)';
COMMENT ON TYPE subsidy.covered_units IS
  'E12: enterprises only, or also the six kinds of units that apply the policy by reference (参照实施, from 2021)';
COMMENT ON TYPE subsidy.six_kinds_class IS
  'the size class of the six kinds of units: all medium, small and micro, or large from 300 average insured';
COMMENT ON TYPE subsidy.fund_level IS 'E7: the region''s own fund, or (from 2024) the province''s pooled fund';
COMMENT ON TYPE subsidy.assessment_mode IS
  'apply: units apply in a window (section 3); screen: 免申即享, the agency screens every insured unit from its records (section 13)';
COMMENT ON TYPE subsidy.hardship_formula IS
  'A7: months x the region''s average monthly unemployment benefit x average insured, or months x 50 % of the unit''s monthly social-insurance premiums payable';
COMMENT ON TYPE subsidy.amount_choice IS
  'which amount rule applies where several do: in section 6''s order (A2 before A1, A7 where it gives more than A1), or the largest of A1, A2 and A7, A2 naming a tie (Jilin 2019-2020)';
COMMENT ON COLUMN subsidy.policy_year.scope IS 'national, or a province''s code (220000): the set of that province''s pools';
COMMENT ON COLUMN subsidy.policy_year.rates_are_maximum IS 'the notice gives the rates as maxima (不超过): a region''s override may lower them, never raise them';
COMMENT ON COLUMN subsidy.policy_year.early_rate_large IS 'A1: the large-unit rate before rate_large_from, where the set changes it during the year (2022: 0.3); a unit decided before gets the difference later as a top-up (A6)';
COMMENT ON COLUMN subsidy.policy_year.rate_large_from IS 'A1: the day from which standard_rate_large applies, on the decision date';
COMMENT ON COLUMN subsidy.policy_year.comparator IS 'E2: below (低于) or not above (不高于) the threshold';
COMMENT ON COLUMN subsidy.policy_year.threshold_source_sme IS 'E2: where the threshold of medium, small and micro units comes from, where it differs (2020); empty: as threshold_source';
COMMENT ON COLUMN subsidy.policy_year.comparator_sme IS 'E2: the comparator of medium, small and micro units, where it differs; empty: as comparator';
COMMENT ON COLUMN subsidy.policy_year.small_unit_scope IS 'E2: which units also pass with a layoff rate at or below small_unit_rate when they have at most small_unit_headcount average insured';
COMMENT ON COLUMN subsidy.policy_year.small_unit_headcount IS 'E2: the small-unit alternative''s average insured headcount, inclusive (30)';
COMMENT ON COLUMN subsidy.policy_year.small_unit_rate IS 'E2: the small-unit alternative''s layoff rate, per cent, inclusive (20)';
COMMENT ON COLUMN subsidy.policy_year.min_full_months IS 'E11: months of premiums paid in full up to the end of the basis year (12 passes at 12); empty: no such condition';
COMMENT ON COLUMN subsidy.policy_year.covered_units IS 'E12: the kinds of units the set covers';
COMMENT ON COLUMN subsidy.policy_year.six_kinds_class IS 'A1: the size class of the six kinds of units, where they are covered';
COMMENT ON COLUMN subsidy.policy_year.dishonesty_rule IS 'E13: a unit on the serious-dishonesty list (严重违法失信) is never eligible (sets from 2019)';
COMMENT ON COLUMN subsidy.policy_year.fund_level IS 'E7: whose fund is checked: the region''s, or (from 2024) the province''s pooled fund';
COMMENT ON COLUMN subsidy.policy_year.mode IS 'apply (a window) or screen (免申即享)';
COMMENT ON COLUMN subsidy.policy_year.window_required IS 'E8: a window is needed to assess; where it is not (or in screening), E8 passes for a region that has none';
COMMENT ON COLUMN subsidy.policy_year.hardship_months IS 'A7 (困难企业稳岗返还, 2019-2020): months of the hardship amount; empty: no A7';
COMMENT ON COLUMN subsidy.policy_year.hardship_formula IS 'A7: by the region''s average monthly benefit, or by the unit''s monthly premiums payable';
COMMENT ON COLUMN subsidy.policy_year.hardship_fund_months IS 'A7: months of expenditure the region''s own fund must cover (24 passes at exactly 24)';
COMMENT ON COLUMN subsidy.policy_year.amount_choice IS 'which amount rule applies where several do';
COMMENT ON TABLE subsidy.national_target IS
  'E2: the national surveyed-unemployment control target of a year (全国城镇调查失业率控制目标), as the government work report set it; the threshold of the sets that read it';
COMMENT ON COLUMN subsidy.national_target.basis_year IS 'the year the target is for (Y-1 for subsidy year Y)';
COMMENT ON COLUMN subsidy.national_target.surveyed_unemployment_target IS 'the target, per cent (5.5 = 5.5 %)';
COMMENT ON COLUMN subsidy.national_target.source IS 'where it was set';
COMMENT ON COLUMN subsidy.national_target.origin IS 'extension: shipped with subsidy (read-only); local: added by the DBA';
COMMENT ON COLUMN subsidy.policy_region.comparator IS 'for this region, overrides policy_year.comparator (empty: the year''s value)';
COMMENT ON COLUMN subsidy.policy_region.threshold_source_sme IS 'for this region, overrides policy_year.threshold_source_sme (empty: the year''s value)';
COMMENT ON COLUMN subsidy.policy_region.comparator_sme IS 'for this region, overrides policy_year.comparator_sme (empty: the year''s value)';
COMMENT ON COLUMN subsidy.policy_region.small_unit_scope IS 'for this region, overrides policy_year.small_unit_scope (empty: the year''s value)';
COMMENT ON COLUMN subsidy.policy_region.small_unit_headcount IS 'for this region, overrides policy_year.small_unit_headcount (empty: the year''s value)';
COMMENT ON COLUMN subsidy.policy_region.small_unit_rate IS 'for this region, overrides policy_year.small_unit_rate (empty: the year''s value)';
COMMENT ON COLUMN subsidy.policy_region.min_full_months IS 'for this region, overrides policy_year.min_full_months (empty: the year''s value)';
COMMENT ON COLUMN subsidy.policy_region.covered_units IS 'for this region, overrides policy_year.covered_units (empty: the year''s value)';
COMMENT ON COLUMN subsidy.policy_region.six_kinds_class IS 'for this region, overrides policy_year.six_kinds_class (empty: the year''s value)';
COMMENT ON COLUMN subsidy.policy_region.fund_level IS 'for this region, overrides policy_year.fund_level (empty: the year''s value)';
COMMENT ON COLUMN subsidy.policy_region.mode IS 'for this region, overrides policy_year.mode (empty: the year''s value)';
COMMENT ON COLUMN subsidy.policy_region.window_required IS 'for this region, overrides policy_year.window_required (empty: the year''s value)';
COMMENT ON COLUMN subsidy.policy_region.hardship_formula IS 'for this region, overrides policy_year.hardship_formula (empty: the year''s value)';
COMMENT ON TYPE subsidy.unit_kind IS
  'E12: the kind of insured unit: an enterprise, or one of the six kinds that apply the policy by reference from 2021 (社会团体, 基金会, 社会服务机构, 律师事务所, 会计师事务所, 以单位形式参保的个体工商户)';
COMMENT ON COLUMN subsidy.enterprise_year.serious_dishonesty IS 'on the list of seriously dishonest units (严重违法失信): E13, never eligible';
COMMENT ON COLUMN subsidy.enterprise_year.unit_kind IS 'the kind of unit (单位类型): E12';
COMMENT ON COLUMN subsidy.application.unit_kind IS 'the kind of unit (from enterprise_year): E12';
COMMENT ON COLUMN subsidy.application.serious_dishonesty IS 'on the serious-dishonesty list this year (from enterprise_year): E13';
COMMENT ON COLUMN subsidy.application.confirmed_full_contribution_months IS 'months of premiums paid in full up to the end of the basis year, as the agency confirmed from its records: E11';
COMMENT ON COLUMN subsidy.application.confirmed_new_claimants IS 'the unit''s new unemployment-benefit claimants in the basis year, as the agency confirmed: E2 by new_claimants_over_average';
COMMENT ON COLUMN subsidy.application.confirmed_monthly_premiums_payable IS 'the unit''s monthly social-insurance premiums payable, yuan, as the agency confirmed: A7 by premiums';
COMMENT ON COLUMN subsidy.application.hardship_recognised IS 'hrss recognised the unit as in temporary difficulty with prospects of recovery (困难企业): A7';
COMMENT ON COLUMN subsidy.application.screened_on IS 'the day screening (免申即享) found it eligible and made the application; empty for one applied for';
COMMENT ON COLUMN subsidy.region_basis_year.average_monthly_benefit IS 'average monthly unemployment benefit per recipient in the year, yuan (月人均失业保险金): A7 by benefit';
COMMENT ON TYPE subsidy.layoff_formula IS
  'how E2''s layoff rate is computed: layoffs / insured at start; (start - end) / start, floored at 0; (start - end - retirements and deaths) / average monthly insured; new unemployment-benefit claimants / average monthly insured';
COMMENT ON TYPE subsidy.threshold_source IS
  'where E2''s threshold comes from: the region''s registered urban unemployment rate for the basis year, its parent''s (the province''s), a fixed rate of the parameter set, or the national surveyed-unemployment control target of the basis year (national_target)';
COMMENT ON TABLE subsidy.policy_year IS
  'the parameter set (政策参数) in force for a subsidy year, nationally or for one province''s pools (scope); a local row for a year takes precedence over the shipped one, a province''s over the national one, and policy_region overrides it field by field';
COMMENT ON COLUMN subsidy.policy_year.origin IS 'extension: shipped with subsidy (read-only); local: added by the DBA, and preferred for its year';
COMMENT ON COLUMN subsidy.policy_year.year IS 'subsidy year Y; its figures are those of the basis year Y-1';
COMMENT ON COLUMN subsidy.policy_year.policy_name IS 'the set''s name, e.g. 吉林护航行动 2018';
COMMENT ON COLUMN subsidy.policy_year.legal_source IS 'the documents the set implements';
COMMENT ON COLUMN subsidy.policy_year.standard_rate_large IS 'A1: share of premiums paid for a large unit (0.5 = 50 %); from rate_large_from where the set changes it during the year';
COMMENT ON COLUMN subsidy.policy_year.standard_rate_small_micro IS 'A1: share of premiums paid for a medium, small or micro unit (中小微)';
COMMENT ON COLUMN subsidy.policy_year.decapacity_rate IS 'A2: share of premiums payable for a decapacity enterprise without arrears; empty: no A2, decapacity enterprises take A1';
COMMENT ON COLUMN subsidy.policy_year.arrears_path_rate IS 'A3: share of premiums payable on the deferred-payment path; empty: no A3, arrears in other years fail E1';
COMMENT ON COLUMN subsidy.policy_year.layoff_formula IS 'E2: how the layoff rate is computed';
COMMENT ON COLUMN subsidy.policy_year.threshold_source IS 'E2: where the threshold comes from (for large units, and for every unit where threshold_source_sme is empty)';
COMMENT ON COLUMN subsidy.policy_year.fixed_threshold IS 'E2: the threshold in per cent when threshold_source is fixed';
COMMENT ON COLUMN subsidy.policy_year.priority_threshold_factor IS 'E2: factor on the threshold for decapacity and key-supported enterprises (1: no relaxation)';
COMMENT ON COLUMN subsidy.policy_year.fund_cover_months IS 'E7: months of fund expenditure the balance must cover (12 passes at exactly 12)';
COMMENT ON COLUMN subsidy.policy_year.publicity_workdays IS 'W5: working days of publicity (at least 7)';
COMMENT ON COLUMN subsidy.policy_year.rounding_unit IS 'A4: amounts are rounded half up to this unit of yuan';
COMMENT ON COLUMN subsidy.policy_year.correction_workdays IS 'W2: working days an applicant has to complete a correction (补正) of an incomplete submission';
COMMENT ON TABLE subsidy.policy_region IS
  'a region''s own parameters for a year: each field that is set overrides the year''s, the others are inherited; where the year''s rates are maxima, a rate set here may only be lower';
COMMENT ON COLUMN subsidy.policy_region.note IS 'why the region departs from the province (the document that says so)';
COMMENT ON COLUMN subsidy.policy_region.year IS 'the subsidy year';
COMMENT ON COLUMN subsidy.policy_region.region IS 'the pooling region';
COMMENT ON COLUMN subsidy.policy_region.standard_rate_large IS 'for this region, overrides policy_year.standard_rate_large (empty: the year''s value)';
COMMENT ON COLUMN subsidy.policy_region.standard_rate_small_micro IS 'for this region, overrides policy_year.standard_rate_small_micro (empty: the year''s value)';
COMMENT ON COLUMN subsidy.policy_region.decapacity_rate IS 'for this region, overrides policy_year.decapacity_rate (empty: the year''s value)';
COMMENT ON COLUMN subsidy.policy_region.arrears_path_rate IS 'for this region, overrides policy_year.arrears_path_rate (empty: the year''s value)';
COMMENT ON COLUMN subsidy.policy_region.layoff_formula IS 'for this region, overrides policy_year.layoff_formula (empty: the year''s value)';
COMMENT ON COLUMN subsidy.policy_region.threshold_source IS 'for this region, overrides policy_year.threshold_source (empty: the year''s value)';
COMMENT ON COLUMN subsidy.policy_region.fixed_threshold IS 'for this region, overrides policy_year.fixed_threshold (empty: the year''s value)';
COMMENT ON COLUMN subsidy.policy_region.priority_threshold_factor IS 'for this region, overrides policy_year.priority_threshold_factor (empty: the year''s value)';
COMMENT ON COLUMN subsidy.policy_region.fund_cover_months IS 'for this region, overrides policy_year.fund_cover_months (empty: the year''s value)';
COMMENT ON COLUMN subsidy.policy_region.publicity_workdays IS 'for this region, overrides policy_year.publicity_workdays (empty: the year''s value)';
COMMENT ON COLUMN subsidy.policy_region.rounding_unit IS 'for this region, overrides policy_year.rounding_unit (empty: the year''s value)';
COMMENT ON COLUMN subsidy.policy_region.correction_workdays IS 'for this region, overrides policy_year.correction_workdays (empty: the year''s value)';
COMMENT ON TYPE subsidy.firm_size IS 'size class (企业规模, from the 划型 list): large, medium, small or micro; medium, small and micro (and small_micro, which names them together, 中小微) take the 中小微 rate and E2 test of the later national sets';
COMMENT ON TYPE subsidy.stage IS
  'review stages (W1): draft → submitted → in_review → decided → in_publicity → cleared → paid → reported, with withdrawn (before review) and objection (during publicity, back to in_review); in screening (免申即享) an application starts screened, and the unit''s confirmation submits it';
COMMENT ON TABLE subsidy.region_basis_year IS
  'a region''s facts for a basis year (上年度): the E2 threshold, the E7 fund cover and A7''s benefit; the province''s own row holds its pooled fund (E7 from 2024)';
COMMENT ON TYPE subsidy.basis IS 'what an amount is reckoned from: premiums actually paid (A1) or payable (A2, A3) in the basis year, or, for A7, the region''s average monthly benefit times the unit''s average insured (benefit) or the unit''s monthly premiums payable (monthly_premiums)';
COMMENT ON TYPE subsidy.assessment IS
  'a verdict in standard types: outcome; for an eligible application its amount rule (A1, A2, A3, A7), basis, basis amount, rate and amount (A4); the layoff rate (per cent, truncated to 4 places) and the threshold it was tested against (E2) and the fund cover in months (E7); every failed rule, every rule missing facts leave open, every missing fact, and a code per failure; where the threshold came from and how the rate compared with it, the headcount of the small-unit test where that test passed; and the rules beyond section 5 the year''s set has (E11-E13)';
COMMENT ON TABLE subsidy.contribution_staging IS
  'section 13 免申即享: the agency''s contribution records as a file brings them, one line a row, as text (\copy subsidy.contribution_staging (region, year, uscc, name, ...) FROM ''file.csv'' CSV HEADER); subsidy.load_contributions checks every line and merges them all, or none';
COMMENT ON COLUMN subsidy.contribution_staging.line IS 'the line''s number in its region, in the order the lines were staged (the file''s own line numbers when one file is staged at a time); set by the extension';
COMMENT ON COLUMN subsidy.contribution_staging.region IS 'the pooling region the records are of';
COMMENT ON COLUMN subsidy.contribution_staging.year IS 'the subsidy year (the figures are of the year before)';
COMMENT ON COLUMN subsidy.contribution_staging.uscc IS 'the unit''s unified social credit code';
COMMENT ON COLUMN subsidy.contribution_staging.name IS 'the unit''s name, for a unit new to the register';
COMMENT ON COLUMN subsidy.contribution_staging.unit_kind IS 'a label of subsidy.unit_kind, or empty for an enterprise';
COMMENT ON COLUMN subsidy.contribution_staging.firm_size IS 'a label of subsidy.firm_size (the 划型 list), or empty';
COMMENT ON COLUMN subsidy.contribution_staging.insured_start IS 'insured persons at the start of the basis year';
COMMENT ON COLUMN subsidy.contribution_staging.insured_end IS 'insured persons at its end';
COMMENT ON COLUMN subsidy.contribution_staging.insured_average IS 'average monthly insured persons';
COMMENT ON COLUMN subsidy.contribution_staging.retirements_deaths IS 'retirements and deaths in the basis year';
COMMENT ON COLUMN subsidy.contribution_staging.layoffs IS 'layoffs in the basis year, where the agency knows them';
COMMENT ON COLUMN subsidy.contribution_staging.new_claimants IS 'new unemployment-benefit claimants from the unit in the basis year';
COMMENT ON COLUMN subsidy.contribution_staging.premiums_payable IS 'unemployment-insurance premiums payable in the basis year, yuan';
COMMENT ON COLUMN subsidy.contribution_staging.premiums_paid IS 'premiums paid, yuan';
COMMENT ON COLUMN subsidy.contribution_staging.arrears_basis_year IS 'arrears for the basis year, yuan';
COMMENT ON COLUMN subsidy.contribution_staging.arrears_other_years IS 'arrears for other years, yuan';
COMMENT ON COLUMN subsidy.contribution_staging.full_contribution_months IS 'months of premiums paid in full up to the end of the basis year (E11)';
COMMENT ON COLUMN subsidy.contribution_staging.monthly_premiums_payable IS 'the unit''s monthly social-insurance premiums payable, yuan (A7)';
COMMENT ON COLUMN subsidy.contribution_staging.tax_bank_name IS 'the bank of the contribution account the tax bureau supplies';
COMMENT ON COLUMN subsidy.contribution_staging.tax_bank_account IS 'that account, used for a unit that gives none when it confirms';
COMMENT ON COLUMN subsidy.contribution_staging.loaded_by IS 'who staged the line';
COMMENT ON TABLE subsidy.contribution_record IS
  'section 13 免申即享: the agency''s contribution records of every insured unit of a region, one per unit and subsidy year, as merged by load_contributions; screening reads them, and a screened application copies them as its figures';
COMMENT ON COLUMN subsidy.contribution_record.year IS 'the subsidy year (the figures are of the year before)';
COMMENT ON COLUMN subsidy.contribution_record.uscc IS 'the unit';
COMMENT ON COLUMN subsidy.contribution_record.region IS 'its pooling region';
COMMENT ON COLUMN subsidy.contribution_record.unit_kind IS 'the kind of unit (E12)';
COMMENT ON COLUMN subsidy.contribution_record.firm_size IS 'its size class, where the year''s list has none';
COMMENT ON COLUMN subsidy.contribution_record.insured_start IS 'insured persons at the start of the basis year';
COMMENT ON COLUMN subsidy.contribution_record.insured_end IS 'at its end';
COMMENT ON COLUMN subsidy.contribution_record.insured_average IS 'average monthly insured persons';
COMMENT ON COLUMN subsidy.contribution_record.retirements_deaths IS 'retirements and deaths in the basis year';
COMMENT ON COLUMN subsidy.contribution_record.layoffs IS 'layoffs in the basis year';
COMMENT ON COLUMN subsidy.contribution_record.new_claimants IS 'new benefit claimants from the unit in the basis year';
COMMENT ON COLUMN subsidy.contribution_record.premiums_payable IS 'premiums payable, yuan';
COMMENT ON COLUMN subsidy.contribution_record.premiums_paid IS 'premiums paid, yuan';
COMMENT ON COLUMN subsidy.contribution_record.arrears_basis_year IS 'arrears for the basis year, yuan';
COMMENT ON COLUMN subsidy.contribution_record.arrears_other_years IS 'arrears for other years, yuan';
COMMENT ON COLUMN subsidy.contribution_record.full_contribution_months IS 'months of premiums paid in full (E11)';
COMMENT ON COLUMN subsidy.contribution_record.monthly_premiums_payable IS 'monthly social-insurance premiums payable, yuan (A7)';
COMMENT ON COLUMN subsidy.contribution_record.tax_bank_name IS 'the bank of the tax bureau''s contribution account';
COMMENT ON COLUMN subsidy.contribution_record.tax_bank_account IS 'that account, as one string';
COMMENT ON COLUMN subsidy.contribution_record.loaded_on IS 'the business day it was merged';
COMMENT ON COLUMN subsidy.contribution_record.loaded_by IS 'who merged it';
COMMENT ON TABLE subsidy.top_up IS
  'A6 补发: what a later notice''s higher rate owes an application already paid (2022''s large units decided before 1 June; 2025''s uplift), computed by top_up and paid once as a second payment by pay_top_up; the first payment is never rewritten';
COMMENT ON COLUMN subsidy.top_up.id IS 'the top-up''s number';
COMMENT ON COLUMN subsidy.top_up.application_id IS 'the application paid';
COMMENT ON COLUMN subsidy.top_up.region IS 'its pooling region';
COMMENT ON COLUMN subsidy.top_up.year IS 'its subsidy year';
COMMENT ON COLUMN subsidy.top_up.decided_amount IS 'what it was decided and paid';
COMMENT ON COLUMN subsidy.top_up.amount_now IS 'its amount under the rate in force when the top-up was computed';
COMMENT ON COLUMN subsidy.top_up.amount IS 'the difference owed, net of earlier top-ups';
COMMENT ON COLUMN subsidy.top_up.rate_then IS 'the rate it was decided at';
COMMENT ON COLUMN subsidy.top_up.rate_now IS 'the rate in force when computed';
COMMENT ON COLUMN subsidy.top_up.computed_on IS 'the business day it was computed';
COMMENT ON COLUMN subsidy.top_up.computed_by IS 'who computed it';
COMMENT ON COLUMN subsidy.top_up.paid_on IS 'the day the agency paid it';
COMMENT ON COLUMN subsidy.top_up.payment_reference IS 'the payment''s reference, unique in the region';
COMMENT ON COLUMN subsidy.top_up.paid_by IS 'who recorded the payment';
COMMENT ON COLUMN subsidy.top_up.bank_name IS 'the bank the top-up was paid into: the application''s payment account, as it stood when the top-up was paid (W7)';
COMMENT ON COLUMN subsidy.top_up.bank_account IS 'the account the top-up was paid into (W7)';
COMMENT ON COLUMN subsidy.application.screened_on IS 'section 13 免申即享: the day screening made the application from the agency''s records; empty for one the unit filed';
