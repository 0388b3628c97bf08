CREATE TRIGGER policy_year_protect_shipped BEFORE INSERT OR UPDATE OR DELETE ON subsidy.policy_year
  FOR EACH ROW EXECUTE FUNCTION subsidy.protect_shipped_rows();

-- One row per subsidy year and pooling region: the parameters in force and the region's facts
-- for the basis year, resolved once here for the engine, the explanation and the reports.  The
-- set of a year is the DBA's own (local) before the shipped one, the province's before the
-- national one; a region's override replaces it field by field.
CREATE VIEW subsidy.policy_in_force WITH (security_invoker = true) AS
SELECT y.year,
       r.code AS region,
       y.policy_name,
       y.legal_source,
       coalesce(o.standard_rate_large, y.standard_rate_large) AS standard_rate_large,
       coalesce(o.standard_rate_small_micro, y.standard_rate_small_micro) AS standard_rate_small_micro,
       coalesce(o.decapacity_rate, y.decapacity_rate) AS decapacity_rate,
       coalesce(o.arrears_path_rate, y.arrears_path_rate) AS arrears_path_rate,
       coalesce(o.layoff_formula, y.layoff_formula) AS layoff_formula,
       t.source AS threshold_source,
       CASE t.source
         WHEN 'region' THEN own.registered_unemployment_rate
         WHEN 'parent' THEN par.registered_unemployment_rate
         WHEN 'national' THEN nat.surveyed_unemployment_target
         ELSE coalesce(o.fixed_threshold, y.fixed_threshold)
       END AS layoff_threshold,
       coalesce(o.priority_threshold_factor, y.priority_threshold_factor) AS priority_threshold_factor,
       coalesce(o.fund_cover_months, y.fund_cover_months) AS fund_cover_months,
       CASE f.level WHEN 'province' THEN par.fund_balance ELSE own.fund_balance END AS fund_balance,
       CASE f.level WHEN 'province' THEN par.monthly_fund_expenditure ELSE own.monthly_fund_expenditure END
         AS monthly_fund_expenditure,
       coalesce(o.publicity_workdays, y.publicity_workdays) AS publicity_workdays,
       coalesce(o.correction_workdays, y.correction_workdays) AS correction_workdays,
       coalesce(o.rounding_unit, y.rounding_unit) AS rounding_unit,
       w.opens_on AS window_opens,
       w.closes_on AS window_closes,
       (c.year IS NOT NULL) AS year_closed,
       y.scope,
       y.rates_are_maximum,
       y.early_rate_large,
       y.rate_large_from,
       t.comparator,
       t.source_sme AS threshold_source_sme,
       CASE t.source_sme
         WHEN 'region' THEN own.registered_unemployment_rate
         WHEN 'parent' THEN par.registered_unemployment_rate
         WHEN 'national' THEN nat.surveyed_unemployment_target
         ELSE coalesce(o.fixed_threshold, y.fixed_threshold)
       END AS layoff_threshold_sme,
       t.comparator_sme,
       coalesce(o.small_unit_scope, y.small_unit_scope) AS small_unit_scope,
       coalesce(o.small_unit_headcount, y.small_unit_headcount) AS small_unit_headcount,
       coalesce(o.small_unit_rate, y.small_unit_rate) AS small_unit_rate,
       coalesce(o.min_full_months, y.min_full_months) AS min_full_months,
       coalesce(o.covered_units, y.covered_units) AS covered_units,
       coalesce(o.six_kinds_class, y.six_kinds_class) AS six_kinds_class,
       y.dishonesty_rule,
       f.level AS fund_level,
       coalesce(o.mode, y.mode) AS mode,
       coalesce(o.window_required, y.window_required) AS window_required,
       y.hardship_months,
       coalesce(o.hardship_formula, y.hardship_formula) AS hardship_formula,
       y.hardship_fund_months,
       own.fund_balance AS region_fund_balance,
       own.monthly_fund_expenditure AS region_monthly_fund_expenditure,
       own.average_monthly_benefit,
       y.amount_choice
  FROM subsidy.region AS r
 CROSS JOIN (SELECT DISTINCT p.year FROM subsidy.policy_year p) AS years
 CROSS JOIN LATERAL (SELECT p.* FROM subsidy.policy_year p
                      WHERE p.year = years.year AND (p.scope = 'national' OR p.scope = r.parent)
                      ORDER BY p.origin DESC, (p.scope = r.parent) DESC
                      LIMIT 1) AS y
  LEFT JOIN subsidy.policy_region AS o ON o.year = y.year AND o.region = r.code
 CROSS JOIN LATERAL (SELECT coalesce(o.threshold_source, y.threshold_source) AS source,
                            coalesce(o.comparator, y.comparator) AS comparator,
                            coalesce(o.threshold_source_sme, y.threshold_source_sme,
                                     o.threshold_source, y.threshold_source) AS source_sme,
                            coalesce(o.comparator_sme, y.comparator_sme, o.comparator, y.comparator) AS comparator_sme) AS t
 CROSS JOIN LATERAL (SELECT coalesce(o.fund_level, y.fund_level) AS level) AS f
  LEFT JOIN subsidy.region_basis_year AS own ON own.region = r.code AND own.basis_year = y.year - 1
  LEFT JOIN subsidy.region_basis_year AS par ON par.region = r.parent AND par.basis_year = y.year - 1
  LEFT JOIN subsidy.national_target AS nat ON nat.basis_year = y.year - 1
  LEFT JOIN subsidy.application_window AS w ON w.region = r.code AND w.year = y.year
  LEFT JOIN subsidy.closed_year AS c ON c.year = y.year
 WHERE r.is_pool;
COMMENT ON VIEW subsidy.policy_in_force IS
  'per subsidy year and pooling region: the parameters in force (the year''s set, local before shipped and provincial before national, with the region''s overrides) and the basis-year facts that E2, E7, E8 and A7 need';
COMMENT ON COLUMN subsidy.policy_in_force.layoff_threshold IS 'E2 threshold in per cent, from the source the parameters name; empty when that rate is not loaded';
COMMENT ON COLUMN subsidy.policy_in_force.fund_balance IS 'E7: the fund balance at the end of the basis year: the region''s, or the province''s where fund_level is province';
COMMENT ON COLUMN subsidy.policy_in_force.monthly_fund_expenditure IS 'E7: the monthly fund expenditure in the basis year: the region''s, or the province''s where fund_level is province';
COMMENT ON COLUMN subsidy.policy_in_force.layoff_threshold_sme IS 'E2 threshold in per cent for medium, small and micro units, from threshold_source_sme; empty when that rate is not loaded';
COMMENT ON COLUMN subsidy.policy_in_force.region_fund_balance IS 'A7: the region''s own fund balance at the end of the basis year';
COMMENT ON COLUMN subsidy.policy_in_force.region_monthly_fund_expenditure IS 'A7: the region''s own monthly fund expenditure in the basis year';
COMMENT ON COLUMN subsidy.policy_in_force.average_monthly_benefit IS 'A7: the region''s average monthly unemployment benefit in the basis year';
COMMENT ON COLUMN subsidy.policy_in_force.correction_workdays IS 'W2: working days an applicant has to complete a correction (补正) of an incomplete submission';
COMMENT ON COLUMN subsidy.policy_in_force.window_opens IS 'E8: first day of the application window';
COMMENT ON COLUMN subsidy.policy_in_force.window_closes IS 'E8: last day of the application window';
COMMENT ON COLUMN subsidy.policy_in_force.year_closed IS 'whether close_year has closed the year';

-- A set whose rates are maxima (不超过) lets a region lower them, never raise them.
CREATE FUNCTION subsidy.policy_region_within_maxima() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  y subsidy.policy_year;
BEGIN
  IF TG_RELID <> 'subsidy.policy_region'::regclass OR TG_WHEN <> 'BEFORE' OR TG_LEVEL <> 'ROW' OR TG_OP = 'DELETE' THEN
    PERFORM subsidy.raise('trigger_misuse', 'policy_region_within_maxima', TG_TABLE_NAME);
  END IF;
  SELECT p.* INTO y
    FROM subsidy.policy_year p JOIN subsidy.region r ON r.code = NEW.region
   WHERE p.year = NEW.year AND (p.scope = 'national' OR p.scope = r.parent)
   ORDER BY p.origin DESC, (p.scope = r.parent) DESC
   LIMIT 1;
  IF y.rates_are_maximum THEN
    IF NEW.standard_rate_large > y.standard_rate_large THEN
      PERFORM subsidy.raise('rate_above_maximum', NEW.region, NEW.year::text, 'standard_rate_large',
                            NEW.standard_rate_large::text, y.standard_rate_large::text, y.legal_source);
    END IF;
    IF NEW.standard_rate_small_micro > y.standard_rate_small_micro THEN
      PERFORM subsidy.raise('rate_above_maximum', NEW.region, NEW.year::text, 'standard_rate_small_micro',
                            NEW.standard_rate_small_micro::text, y.standard_rate_small_micro::text, y.legal_source);
    END IF;
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION subsidy.policy_region_within_maxima() IS
  'trigger: a region''s override of a set whose rates are maxima (rates_are_maximum, 不超过) may lower them, never raise them (DOMAIN section 13)';
CREATE TRIGGER policy_region_within_maxima BEFORE INSERT OR UPDATE ON subsidy.policy_region
  FOR EACH ROW EXECUTE FUNCTION subsidy.policy_region_within_maxima();
