-- The engine's rules written in PL/pgSQL, as a DBA would write them without the C engine:
-- the baseline of test/bench/engine.sh, which checks that it agrees with subsidy.assess()
-- on every row before timing either.  Parameters are read per row from
-- subsidy.policy_in_force, the natural way to write it in SQL.
CREATE SCHEMA IF NOT EXISTS bench;

CREATE OR REPLACE FUNCTION bench.assess(a subsidy.application) RETURNS subsidy.assessment
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  p subsidy.policy_in_force;
  r subsidy.assessment;
  failed text[] := '{}';
  open text[] := '{}';
  missing text[] := '{}';
  reasons text[] := '{}';
  m text[];            -- missing facts of the rule being decided
  why text[];          -- reasons of the rule being decided
  priority boolean;    -- decapacity or key-supported, NULL when unknown
  priority_missing text[];
  num bigint; den numeric; factor numeric; thr numeric; s bigint; e bigint; gone bigint;
  rate numeric;
  arrears_other numeric;
  fund_known boolean;
  cover_ok boolean;
  rule_order constant text[] := ARRAY['E1','E2','E3','E4','E5','E6','E7','E8','E10','A1','A2','A3'];
  fact_order constant text[] := ARRAY['policy_year','submitted_on','application_window',
    'confirmed_arrears_basis_year','confirmed_premiums_paid','confirmed_premiums_payable',
    'confirmed_arrears_other_years','confirmed_deferral_agreement','decapacity','key_supported',
    'confirmed_layoffs','confirmed_insured_start','confirmed_insured_end','confirmed_insured_average',
    'confirmed_retirements_deaths','registered_unemployment_rate','financial_management_sound',
    'policy_compliant','zombie','confirmed_prior_subsidy','confirmed_prior_subsidy_use_proper',
    'fund_balance','monthly_fund_expenditure','firm_size','spot_check'];
  reason_order constant text[] := ARRAY['E1.arrears_basis_year','E1.paid_below_payable',
    'E1.arrears_other_years','E2.layoff_rate','E3.financial_management','E4.policy_noncompliance',
    'E5.zombie','E6.prior_subsidy_misused','E7.fund_cover','E8.outside_window','E10.false_data'];
BEGIN
  SELECT * INTO p FROM subsidy.policy_in_force WHERE year = a.year AND region = a.region;
  IF NOT FOUND THEN
    r.outcome := 'undetermined';
    r.failed_rules := '{}'; r.open_rules := '{}'; r.missing_facts := '{policy_year}'; r.reasons := '{}';
    RETURN r;
  END IF;

  priority := CASE WHEN a.decapacity OR a.key_supported THEN true
                   WHEN NOT a.decapacity AND NOT a.key_supported THEN false END;
  priority_missing := CASE WHEN priority IS NULL THEN
    array_remove(ARRAY[CASE WHEN a.decapacity IS NULL THEN 'decapacity' END,
                       CASE WHEN a.key_supported IS NULL THEN 'key_supported' END], NULL) ELSE '{}' END;

  -- E1
  m := '{}'; why := '{}';
  IF a.confirmed_arrears_basis_year > 0 THEN
    why := '{E1.arrears_basis_year}';
  ELSE
    IF a.confirmed_arrears_basis_year IS NULL THEN m := m || 'confirmed_arrears_basis_year'::text; END IF;
    IF a.confirmed_premiums_paid IS NULL OR a.confirmed_premiums_payable IS NULL THEN
      IF a.confirmed_premiums_paid IS NULL THEN m := m || 'confirmed_premiums_paid'::text; END IF;
      IF a.confirmed_premiums_payable IS NULL THEN m := m || 'confirmed_premiums_payable'::text; END IF;
    ELSIF a.confirmed_premiums_paid < a.confirmed_premiums_payable THEN
      why := why || 'E1.paid_below_payable'::text;
    END IF;
    IF a.confirmed_arrears_other_years IS NULL THEN
      m := m || 'confirmed_arrears_other_years'::text;
    ELSIF a.confirmed_arrears_other_years > 0 THEN
      IF p.arrears_path_rate IS NULL OR priority = false OR a.confirmed_deferral_agreement = false THEN
        why := why || 'E1.arrears_other_years'::text;
      ELSE
        m := m || priority_missing;
        IF a.confirmed_deferral_agreement IS NULL THEN m := m || 'confirmed_deferral_agreement'::text; END IF;
      END IF;
    END IF;
  END IF;
  IF cardinality(why) > 0 THEN failed := failed || 'E1'::text; reasons := reasons || why;
  ELSIF cardinality(m) > 0 THEN open := open || 'E1'::text; missing := missing || m; END IF;

  -- E2
  m := '{}'; why := '{}'; num := NULL; den := NULL;
  r.layoff_threshold := p.layoff_threshold;
  s := a.confirmed_insured_start; e := a.confirmed_insured_end; gone := a.confirmed_retirements_deaths;
  IF p.layoff_formula = 'layoffs_over_start' THEN
    IF a.confirmed_layoffs IS NULL THEN m := m || 'confirmed_layoffs'::text;
    ELSIF a.confirmed_layoffs = 0 THEN r.layoff_rate := 0.0000;
    ELSIF s IS NULL OR s = 0 THEN m := m || 'confirmed_insured_start'::text;
    ELSE num := a.confirmed_layoffs; den := s;
    END IF;
  ELSIF p.layoff_formula = 'net_decrease_over_start' THEN
    IF s IS NULL OR e IS NULL THEN
      IF s IS NULL THEN m := m || 'confirmed_insured_start'::text; END IF;
      IF e IS NULL THEN m := m || 'confirmed_insured_end'::text; END IF;
    ELSIF s <= e THEN r.layoff_rate := 0.0000;
    ELSE num := s - e; den := s;
    END IF;
  ELSE
    IF s IS NULL OR e IS NULL THEN
      IF s IS NULL THEN m := m || 'confirmed_insured_start'::text; END IF;
      IF e IS NULL THEN m := m || 'confirmed_insured_end'::text; END IF;
      IF a.confirmed_insured_average IS NULL THEN m := m || 'confirmed_insured_average'::text; END IF;
      IF gone IS NULL THEN m := m || 'confirmed_retirements_deaths'::text; END IF;
    ELSIF s <= e THEN r.layoff_rate := 0.0000;
    ELSIF coalesce(a.confirmed_insured_average, 0) > 0 AND p.layoff_threshold IS NOT NULL
          AND (s - e) * 100.0 / a.confirmed_insured_average < p.layoff_threshold THEN
      r.layoff_rate := trunc(greatest(s - e - coalesce(gone, 0), 0) * 100.0 / a.confirmed_insured_average, 4);
    ELSIF gone IS NULL THEN
      m := m || 'confirmed_retirements_deaths'::text;
      IF coalesce(a.confirmed_insured_average, 0) <= 0 THEN m := m || 'confirmed_insured_average'::text; END IF;
    ELSIF s - e - gone <= 0 THEN r.layoff_rate := 0.0000;
    ELSIF coalesce(a.confirmed_insured_average, 0) <= 0 THEN m := m || 'confirmed_insured_average'::text;
    ELSE num := s - e - gone; den := a.confirmed_insured_average;
    END IF;
  END IF;
  IF num IS NOT NULL THEN
    rate := num * 100.0 / den;
    r.layoff_rate := trunc(rate, 4);
    IF p.layoff_threshold IS NULL THEN
      m := m || 'registered_unemployment_rate'::text;
    ELSIF rate < p.layoff_threshold THEN
      NULL;
    ELSIF p.priority_threshold_factor <> 1 THEN
      thr := p.layoff_threshold * p.priority_threshold_factor;
      IF priority IS DISTINCT FROM false AND rate < thr THEN
        IF priority IS NULL THEN m := m || priority_missing;
        ELSE r.layoff_threshold := thr; END IF;
      ELSE
        IF priority THEN r.layoff_threshold := thr; END IF;
        why := why || 'E2.layoff_rate'::text;
      END IF;
    ELSE
      why := why || 'E2.layoff_rate'::text;
    END IF;
  END IF;
  IF cardinality(why) > 0 THEN failed := failed || 'E2'::text; reasons := reasons || why;
  ELSIF cardinality(m) > 0 THEN open := open || 'E2'::text; missing := missing || m; END IF;

  -- E3, E4, E5
  IF a.financial_management_sound = false THEN failed := failed || 'E3'::text; reasons := reasons || 'E3.financial_management'::text;
  ELSIF a.financial_management_sound IS NULL THEN open := open || 'E3'::text; missing := missing || 'financial_management_sound'::text; END IF;
  IF a.policy_compliant = false THEN failed := failed || 'E4'::text; reasons := reasons || 'E4.policy_noncompliance'::text;
  ELSIF a.policy_compliant IS NULL THEN open := open || 'E4'::text; missing := missing || 'policy_compliant'::text; END IF;
  IF a.zombie THEN failed := failed || 'E5'::text; reasons := reasons || 'E5.zombie'::text;
  ELSIF a.zombie IS NULL THEN open := open || 'E5'::text; missing := missing || 'zombie'::text; END IF;

  -- E6
  IF a.confirmed_prior_subsidy = 0 OR a.confirmed_prior_subsidy_use_proper THEN
    NULL;
  ELSIF a.confirmed_prior_subsidy_use_proper = false THEN
    failed := failed || 'E6'::text; reasons := reasons || 'E6.prior_subsidy_misused'::text;
  ELSE
    open := open || 'E6'::text;
    IF a.confirmed_prior_subsidy IS NULL THEN missing := missing || 'confirmed_prior_subsidy'::text; END IF;
    missing := missing || 'confirmed_prior_subsidy_use_proper'::text;
  END IF;

  -- E7
  fund_known := p.fund_balance IS NOT NULL AND p.monthly_fund_expenditure IS NOT NULL;
  IF fund_known THEN
    cover_ok := p.fund_balance >= p.fund_cover_months * p.monthly_fund_expenditure;
    IF NOT cover_ok THEN failed := failed || 'E7'::text; reasons := reasons || 'E7.fund_cover'::text; END IF;
    IF p.monthly_fund_expenditure > 0 THEN
      r.fund_cover_months := round(p.fund_balance / p.monthly_fund_expenditure, 2);
    END IF;
  ELSE
    open := open || 'E7'::text;
    IF p.fund_balance IS NULL THEN missing := missing || 'fund_balance'::text; END IF;
    IF p.monthly_fund_expenditure IS NULL THEN missing := missing || 'monthly_fund_expenditure'::text; END IF;
  END IF;
  r.fund_cover_required := p.fund_cover_months;

  -- E8
  IF p.window_opens IS NULL OR a.submitted_on IS NULL THEN
    open := open || 'E8'::text;
    IF p.window_opens IS NULL THEN missing := missing || 'application_window'::text; END IF;
    IF a.submitted_on IS NULL THEN missing := missing || 'submitted_on'::text; END IF;
  ELSIF a.submitted_on NOT BETWEEN p.window_opens AND p.window_closes THEN
    failed := failed || 'E8'::text; reasons := reasons || 'E8.outside_window'::text;
  END IF;

  -- E10
  IF a.spot_check = 'false_data' THEN failed := failed || 'E10'::text; reasons := reasons || 'E10.false_data'::text;
  ELSIF a.spot_check = 'pending' THEN open := open || 'E10'::text; missing := missing || 'spot_check'::text; END IF;

  -- A1-A3
  IF cardinality(failed) = 0 AND a.confirmed_arrears_other_years IS NOT NULL
     AND a.confirmed_arrears_basis_year IS NOT NULL THEN
    IF a.confirmed_arrears_other_years > 0 THEN
      r.rule := 'A3'; r.basis := 'payable'; r.rate := p.arrears_path_rate;
    ELSIF p.decapacity_rate IS NOT NULL AND a.decapacity IS NULL THEN
      open := open || 'A2'::text; missing := missing || 'decapacity'::text;
    ELSIF p.decapacity_rate IS NOT NULL AND a.decapacity THEN
      r.rule := 'A2'; r.basis := 'payable'; r.rate := p.decapacity_rate;
    ELSIF p.standard_rate_large <> p.standard_rate_small_micro AND a.firm_size IS NULL THEN
      open := open || 'A1'::text; missing := missing || 'firm_size'::text;
    ELSE
      r.rule := 'A1'; r.basis := 'paid';
      r.rate := CASE WHEN p.standard_rate_large = p.standard_rate_small_micro OR a.firm_size = 'large'
                     THEN p.standard_rate_large ELSE p.standard_rate_small_micro END;
    END IF;
  END IF;

  r.outcome := CASE WHEN cardinality(failed) > 0 THEN 'ineligible'
                    WHEN cardinality(open) > 0 OR cardinality(missing) > 0 THEN 'undetermined'
                    ELSE 'eligible' END;
  IF r.outcome = 'eligible' AND r.rule IS NOT NULL THEN
    r.basis_amount := CASE r.basis WHEN 'paid' THEN a.confirmed_premiums_paid ELSE a.confirmed_premiums_payable END;
    r.amount := round(r.basis_amount * r.rate, CASE WHEN p.rounding_unit >= 1 THEN 0 WHEN p.rounding_unit >= 0.1 THEN 1 ELSE 2 END);
  ELSE
    r.rule := NULL; r.basis := NULL; r.rate := NULL;
  END IF;

  -- the same order as the C engine: rules, facts and reasons in their catalogue order
  r.failed_rules := ARRAY(SELECT x FROM unnest(rule_order) x WHERE x = ANY (failed));
  r.open_rules := ARRAY(SELECT x FROM unnest(rule_order) x WHERE x = ANY (open));
  r.missing_facts := ARRAY(SELECT x FROM unnest(fact_order) x WHERE x = ANY (missing));
  r.reasons := ARRAY(SELECT x FROM unnest(reason_order) x WHERE x = ANY (reasons));
  RETURN r;
END
$$;
