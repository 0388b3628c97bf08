--
-- Policy parameters by year, with optional per-region overrides (DOMAIN section 7)
--

CREATE TYPE subsidy.layoff_formula AS ENUM
  ('layoffs_over_start', 'net_decrease_over_start', 'net_decrease_over_average', 'new_claimants_over_average');

CREATE TYPE subsidy.threshold_source AS ENUM ('region', 'parent', 'fixed', 'national');

CREATE TYPE subsidy.comparator AS ENUM ('below', 'not_above');

CREATE TYPE subsidy.small_unit_scope AS ENUM ('none', 'sme', 'all');

CREATE TYPE subsidy.covered_units AS ENUM ('enterprises', 'enterprises_and_six_kinds');

CREATE TYPE subsidy.six_kinds_class AS ENUM ('sme', 'by_headcount');

CREATE TYPE subsidy.fund_level AS ENUM ('region', 'province');

CREATE TYPE subsidy.assessment_mode AS ENUM ('apply', 'screen');

CREATE TYPE subsidy.hardship_formula AS ENUM ('benefit', 'premiums');

CREATE TYPE subsidy.amount_choice AS ENUM ('ordered', 'largest');

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
  scope text NOT NULL DEFAULT 'national',
  rates_are_maximum boolean NOT NULL DEFAULT false,
  early_rate_large numeric(4,3) CHECK (early_rate_large BETWEEN 0 AND 1),
  rate_large_from date,
  comparator subsidy.comparator NOT NULL DEFAULT 'below',
  threshold_source_sme subsidy.threshold_source,
  comparator_sme subsidy.comparator,
  small_unit_scope subsidy.small_unit_scope NOT NULL DEFAULT 'none',
  small_unit_headcount integer NOT NULL DEFAULT 30 CHECK (small_unit_headcount >= 0),
  small_unit_rate numeric(5,2) NOT NULL DEFAULT 20 CHECK (small_unit_rate BETWEEN 0 AND 100),
  min_full_months integer CHECK (min_full_months BETWEEN 0 AND 12),
  covered_units subsidy.covered_units NOT NULL DEFAULT 'enterprises',
  six_kinds_class subsidy.six_kinds_class NOT NULL DEFAULT 'sme',
  dishonesty_rule boolean NOT NULL DEFAULT false,
  fund_level subsidy.fund_level NOT NULL DEFAULT 'region',
  mode subsidy.assessment_mode NOT NULL DEFAULT 'apply',
  window_required boolean NOT NULL DEFAULT true,
  hardship_months numeric(4,1) CHECK (hardship_months > 0 AND hardship_months <= 24),
  hardship_formula subsidy.hardship_formula NOT NULL DEFAULT 'benefit',
  hardship_fund_months numeric(4,1) NOT NULL DEFAULT 24 CHECK (hardship_fund_months >= 0),
  amount_choice subsidy.amount_choice NOT NULL DEFAULT 'ordered',
  CONSTRAINT policy_year_pkey PRIMARY KEY (year, origin, scope),
  CONSTRAINT policy_year_fixed_threshold CHECK ((threshold_source = 'fixed') = (fixed_threshold IS NOT NULL)),
  CONSTRAINT policy_year_early_rate CHECK ((early_rate_large IS NULL) = (rate_large_from IS NULL)),
  CONSTRAINT policy_year_scope CHECK (scope = 'national' OR scope ~ '^[0-9]{2}0000$')
);

-- The national surveyed-unemployment control targets (全国城镇调查失业率控制目标) that E2 reads from
-- 2020, by the basis year they are the target of.
CREATE TABLE subsidy.national_target (
  basis_year integer PRIMARY KEY CHECK (basis_year BETWEEN 2000 AND 2100),
  surveyed_unemployment_target numeric(4,2) NOT NULL CHECK (surveyed_unemployment_target BETWEEN 0 AND 100),
  source text NOT NULL,
  origin subsidy.origin NOT NULL DEFAULT 'local'
);
SELECT pg_catalog.pg_extension_config_dump('subsidy.national_target', 'WHERE origin = ''local''');

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
  comparator subsidy.comparator,
  threshold_source_sme subsidy.threshold_source,
  comparator_sme subsidy.comparator,
  small_unit_scope subsidy.small_unit_scope,
  small_unit_headcount integer CHECK (small_unit_headcount >= 0),
  small_unit_rate numeric(5,2) CHECK (small_unit_rate BETWEEN 0 AND 100),
  min_full_months integer CHECK (min_full_months BETWEEN 0 AND 12),
  covered_units subsidy.covered_units,
  six_kinds_class subsidy.six_kinds_class,
  fund_level subsidy.fund_level,
  mode subsidy.assessment_mode,
  window_required boolean,
  hardship_formula subsidy.hardship_formula,
  PRIMARY KEY (year, region)
);

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
