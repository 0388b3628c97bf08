CREATE TRIGGER policy_year_protect_shipped BEFORE INSERT OR UPDATE OR DELETE ON subsidy.policy_year
  FOR EACH ROW EXECUTE FUNCTION subsidy.protect_shipped_rows();

-- One row per subsidy year and pooling region: the parameters in force and the region's facts
-- for the basis year, resolved once here for the engine, the explanation and the reports.
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
       coalesce(o.threshold_source, y.threshold_source) AS threshold_source,
       CASE coalesce(o.threshold_source, y.threshold_source)
         WHEN 'region' THEN own.registered_unemployment_rate
         WHEN 'parent' THEN par.registered_unemployment_rate
         ELSE coalesce(o.fixed_threshold, y.fixed_threshold)
       END AS layoff_threshold,
       coalesce(o.priority_threshold_factor, y.priority_threshold_factor) AS priority_threshold_factor,
       coalesce(o.fund_cover_months, y.fund_cover_months) AS fund_cover_months,
       own.fund_balance,
       own.monthly_fund_expenditure,
       coalesce(o.publicity_workdays, y.publicity_workdays) AS publicity_workdays,
       coalesce(o.correction_workdays, y.correction_workdays) AS correction_workdays,
       coalesce(o.rounding_unit, y.rounding_unit) AS rounding_unit,
       w.opens_on AS window_opens,
       w.closes_on AS window_closes,
       (c.year IS NOT NULL) AS year_closed
  FROM (SELECT DISTINCT ON (year) * FROM subsidy.policy_year ORDER BY year, origin DESC) AS y
  CROSS JOIN subsidy.region AS r
  LEFT JOIN subsidy.policy_region AS o ON o.year = y.year AND o.region = r.code
  LEFT JOIN subsidy.region_basis_year AS own ON own.region = r.code AND own.basis_year = y.year - 1
  LEFT JOIN subsidy.region_basis_year AS par ON par.region = r.parent AND par.basis_year = y.year - 1
  LEFT JOIN subsidy.application_window AS w ON w.region = r.code AND w.year = y.year
  LEFT JOIN subsidy.closed_year AS c ON c.year = y.year
 WHERE r.is_pool;
COMMENT ON VIEW subsidy.policy_in_force IS
  'per subsidy year and pooling region: the parameters in force (region overrides applied) and the region''s basis-year facts that E2, E7 and E8 need';
COMMENT ON COLUMN subsidy.policy_in_force.layoff_threshold IS 'E2 threshold in per cent, from the source the parameters name; empty when that rate is not loaded';
COMMENT ON COLUMN subsidy.policy_in_force.fund_balance IS 'E7: the region''s fund balance at the end of the basis year';
COMMENT ON COLUMN subsidy.policy_in_force.monthly_fund_expenditure IS 'E7: the region''s monthly fund expenditure in the basis year';
COMMENT ON COLUMN subsidy.policy_in_force.correction_workdays IS 'W2: working days an applicant has to complete a correction (补正) of an incomplete submission';
COMMENT ON COLUMN subsidy.policy_in_force.window_opens IS 'E8: first day of the application window';
COMMENT ON COLUMN subsidy.policy_in_force.window_closes IS 'E8: last day of the application window';
COMMENT ON COLUMN subsidy.policy_in_force.year_closed IS 'whether close_year has closed the year';
