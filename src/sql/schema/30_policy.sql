--
-- Policy parameters by year, with optional per-region overrides (DOMAIN section 7)
--

CREATE TYPE subsidy.layoff_formula AS ENUM
  ('layoffs_over_start', 'net_decrease_over_start', 'net_decrease_over_average');
COMMENT ON TYPE subsidy.layoff_formula IS
  'how E2''s layoff rate is computed: layoffs / insured at start; (start - end) / start, floored at 0; (start - end - retirements and deaths) / average monthly insured';

CREATE TYPE subsidy.threshold_source AS ENUM ('region', 'parent', 'fixed');
COMMENT ON TYPE subsidy.threshold_source IS
  'where E2''s threshold comes from: the region''s registered urban unemployment rate for the basis year, its parent''s (the province''s), or a fixed rate of the parameter set';

CREATE TABLE subsidy.policy_year (
  year integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  origin subsidy.origin NOT NULL DEFAULT 'local',
  policy_name text NOT NULL,
  legal_source text NOT NULL,
  standard_rate_large numeric(4,3) NOT NULL CHECK (standard_rate_large BETWEEN 0 AND 1),
  standard_rate_small_micro numeric(4,3) NOT NULL CHECK (standard_rate_small_micro BETWEEN 0 AND 1),
  decapacity_rate numeric(4,3) CHECK (decapacity_rate BETWEEN 0 AND 1),
  arrears_path_rate numeric(4,3) CHECK (arrears_path_rate BETWEEN 0 AND 1),
  layoff_formula subsidy.layoff_formula NOT NULL,
  threshold_source subsidy.threshold_source NOT NULL,
  fixed_threshold numeric(5,2) CHECK (fixed_threshold BETWEEN 0 AND 100),
  priority_threshold_factor numeric(4,2) NOT NULL DEFAULT 1 CHECK (priority_threshold_factor >= 1),
  fund_cover_months numeric(4,1) NOT NULL CHECK (fund_cover_months >= 0),
  publicity_workdays integer NOT NULL CHECK (publicity_workdays >= 7),
  rounding_unit numeric NOT NULL DEFAULT 0.01 CHECK (rounding_unit IN (0.01, 0.1, 1)),
  correction_workdays integer NOT NULL DEFAULT 5 CHECK (correction_workdays >= 1),
  PRIMARY KEY (year, origin),
  CONSTRAINT policy_year_fixed_threshold CHECK ((threshold_source = 'fixed') = (fixed_threshold IS NOT NULL))
);
COMMENT ON TABLE subsidy.policy_year IS
  'the parameter set in force for a subsidy year (province-wide); a local row for a year takes precedence over the shipped one, and policy_region overrides it field by field';
COMMENT ON COLUMN subsidy.policy_year.origin IS 'extension: shipped with subsidy (read-only); local: added by the DBA, and preferred for its year';
COMMENT ON COLUMN subsidy.policy_year.year IS 'subsidy year Y; its figures are those of the basis year Y-1';
COMMENT ON COLUMN subsidy.policy_year.policy_name IS 'the set''s name, e.g. 吉林护航行动 2018-2020';
COMMENT ON COLUMN subsidy.policy_year.legal_source IS 'the documents the set implements';
COMMENT ON COLUMN subsidy.policy_year.standard_rate_large IS 'A1: share of premiums paid for a large firm (0.5 = 50 %)';
COMMENT ON COLUMN subsidy.policy_year.standard_rate_small_micro IS 'A1: share of premiums paid for a small or micro firm';
COMMENT ON COLUMN subsidy.policy_year.decapacity_rate IS 'A2: share of premiums payable for a decapacity enterprise without arrears; empty: no A2, decapacity enterprises take A1';
COMMENT ON COLUMN subsidy.policy_year.arrears_path_rate IS 'A3: share of premiums payable on the deferred-payment path; empty: no A3, arrears in other years fail E1';
COMMENT ON COLUMN subsidy.policy_year.layoff_formula IS 'E2: how the layoff rate is computed';
COMMENT ON COLUMN subsidy.policy_year.threshold_source IS 'E2: where the threshold comes from';
COMMENT ON COLUMN subsidy.policy_year.fixed_threshold IS 'E2: the threshold in per cent when threshold_source is fixed';
COMMENT ON COLUMN subsidy.policy_year.priority_threshold_factor IS 'E2: factor on the threshold for decapacity and key-supported enterprises (1: no relaxation)';
COMMENT ON COLUMN subsidy.policy_year.fund_cover_months IS 'E7: months of fund expenditure the region''s balance must cover (12 passes at exactly 12)';
COMMENT ON COLUMN subsidy.policy_year.publicity_workdays IS 'W5: working days of publicity (at least 7)';
COMMENT ON COLUMN subsidy.policy_year.rounding_unit IS 'A4: amounts are rounded half up to this unit of yuan';
COMMENT ON COLUMN subsidy.policy_year.correction_workdays IS 'W2: working days an applicant has to complete a correction (补正) of an incomplete submission';

-- The Jilin 护航行动 set, 2018-2020, and the national 2023-2025 set (DOMAIN section 7).
INSERT INTO subsidy.policy_year
  (year, origin, policy_name, legal_source, standard_rate_large, standard_rate_small_micro,
   decapacity_rate, arrears_path_rate, layoff_formula, threshold_source, fixed_threshold,
   priority_threshold_factor, fund_cover_months, publicity_workdays, rounding_unit)
SELECT y, 'extension'::subsidy.origin, '吉林护航行动 2018-2020', '人社部发〔2014〕76号；人社厅发〔2017〕129号；吉人社联字〔2018〕54号',
       0.5, 0.5, 0.6, 0.5, 'layoffs_over_start'::subsidy.layoff_formula, 'region'::subsidy.threshold_source,
       NULL::numeric, 1, 12, 7, 0.01
  FROM generate_series(2018, 2020) AS y
UNION ALL
SELECT y, 'extension', '全国稳岗返还 2023-2025', '人社部发〔2014〕76号；人社部发〔2019〕23号及以后年度国家通知',
       0.3, 0.6, NULL, NULL, 'layoffs_over_start', 'region', NULL, 1, 12, 7, 0.01
  FROM generate_series(2023, 2025) AS y;

CREATE TABLE subsidy.policy_region (
  year integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  region text NOT NULL REFERENCES subsidy.region (code),
  standard_rate_large numeric(4,3) CHECK (standard_rate_large BETWEEN 0 AND 1),
  standard_rate_small_micro numeric(4,3) CHECK (standard_rate_small_micro BETWEEN 0 AND 1),
  decapacity_rate numeric(4,3) CHECK (decapacity_rate BETWEEN 0 AND 1),
  arrears_path_rate numeric(4,3) CHECK (arrears_path_rate BETWEEN 0 AND 1),
  layoff_formula subsidy.layoff_formula,
  threshold_source subsidy.threshold_source,
  fixed_threshold numeric(5,2) CHECK (fixed_threshold BETWEEN 0 AND 100),
  priority_threshold_factor numeric(4,2) CHECK (priority_threshold_factor >= 1),
  fund_cover_months numeric(4,1) CHECK (fund_cover_months >= 0),
  publicity_workdays integer CHECK (publicity_workdays >= 7),
  rounding_unit numeric CHECK (rounding_unit IN (0.01, 0.1, 1)),
  correction_workdays integer CHECK (correction_workdays >= 1),
  note text,
  PRIMARY KEY (year, region)
);
COMMENT ON TABLE subsidy.policy_region IS
  'a region''s own parameters for a year: each field that is set overrides the year''s, the others are inherited';
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

-- A subsidy year the DBA has closed (subsidy.close_year): its applications never change again.
CREATE TABLE subsidy.closed_year (
  year integer PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
  closed_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
  closed_by text NOT NULL DEFAULT session_user
);
COMMENT ON TABLE subsidy.closed_year IS
  'subsidy years closed by subsidy.close_year once everything is paid, reported and the annual report frozen: no application of the year changes after';
COMMENT ON COLUMN subsidy.closed_year.year IS 'the subsidy year closed';
COMMENT ON COLUMN subsidy.closed_year.closed_at IS 'when it was closed';
COMMENT ON COLUMN subsidy.closed_year.closed_by IS 'who closed it (the login)';
SELECT pg_catalog.pg_extension_config_dump('subsidy.closed_year', '');

SELECT pg_catalog.pg_extension_config_dump('subsidy.policy_year', 'WHERE origin = ''local''');
SELECT pg_catalog.pg_extension_config_dump('subsidy.policy_region', '');
