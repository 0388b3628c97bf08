-- subsidy: the unemployment-insurance job-stabilisation subsidy (失业保险稳岗补贴).
-- This script is built from src/sql/*.sql, one file per concept, in name order.
-- Every object is schema-qualified so that no search_path can redirect it.

-- complain if the script is sourced in psql rather than loaded by CREATE EXTENSION
\echo Use "CREATE EXTENSION subsidy" to load this file. \quit

COMMENT ON SCHEMA subsidy IS
  'Unemployment-insurance job-stabilisation subsidy (失业保险稳岗补贴): eligibility, amounts, review workflow and reports';

-- Whether this session restores a dump; the guards then load rows as dumped.
CREATE FUNCTION subsidy.restoring() RETURNS boolean
  AS 'MODULE_PATHNAME', 'subsidy_restoring' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION subsidy.restoring() IS
  'whether this session restores a dump (a superuser with row_security off, as pg_dump''s scripts set): the guards then load rows as dumped';

--
-- uscc: the Unified Social Credit Code (统一社会信用代码, GB 32100-2015)
--

CREATE TYPE subsidy.uscc;

CREATE FUNCTION subsidy.uscc_in(cstring) RETURNS subsidy.uscc
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION subsidy.uscc_out(subsidy.uscc) RETURNS cstring
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION subsidy.uscc_recv(internal) RETURNS subsidy.uscc
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION subsidy.uscc_send(subsidy.uscc) RETURNS bytea
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- 17 base-31 digits in three words; the check character is implied.
CREATE TYPE subsidy.uscc (
  INPUT = subsidy.uscc_in,
  OUTPUT = subsidy.uscc_out,
  RECEIVE = subsidy.uscc_recv,
  SEND = subsidy.uscc_send,
  INTERNALLENGTH = 12,
  ALIGNMENT = int4,
  STORAGE = plain
);
COMMENT ON TYPE subsidy.uscc IS
  'Unified Social Credit Code (统一社会信用代码, GB 32100-2015): 18 characters, check character verified on input';

-- casts to and from text
CREATE FUNCTION subsidy.uscc(text) RETURNS subsidy.uscc
  AS 'MODULE_PATHNAME', 'uscc_from_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION subsidy.text(subsidy.uscc) RETURNS text
  AS 'MODULE_PATHNAME', 'uscc_to_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (text AS subsidy.uscc) WITH FUNCTION subsidy.uscc(text) AS ASSIGNMENT;
CREATE CAST (subsidy.uscc AS text) WITH FUNCTION subsidy.text(subsidy.uscc) AS ASSIGNMENT;
COMMENT ON FUNCTION subsidy.uscc(text) IS 'text to Unified Social Credit Code; raises 22P02 on an invalid code';
COMMENT ON FUNCTION subsidy.text(subsidy.uscc) IS 'Unified Social Credit Code in its canonical upper-case form';

-- screening and accessors
CREATE FUNCTION subsidy.uscc_is_valid(text) RETURNS boolean
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION subsidy.uscc_is_valid(text) IS
  'whether the text is a valid Unified Social Credit Code; never raises, for screening raw imports';

CREATE FUNCTION subsidy.uscc_check_character(text) RETURNS text
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION subsidy.uscc_check_character(text) IS
  'the check character (校验码) that the first 17 characters of a code imply; 22P02 when they are not 17 characters of the code''s set';

CREATE FUNCTION subsidy.uscc_registration_authority(subsidy.uscc) RETURNS text
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION subsidy.uscc_registration_authority(subsidy.uscc) IS
  'position 1: registration authority code (登记管理部门代码), e.g. 9 for market regulation';

CREATE FUNCTION subsidy.uscc_organisation_type(subsidy.uscc) RETURNS text
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION subsidy.uscc_organisation_type(subsidy.uscc) IS
  'position 2: organisation type code (机构类别代码), e.g. 1 for an enterprise';

CREATE FUNCTION subsidy.uscc_division_code(subsidy.uscc) RETURNS text
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION subsidy.uscc_division_code(subsidy.uscc) IS
  'positions 3-8: administrative division code of the registering authority (登记管理机关行政区划码, GB/T 2260)';

CREATE FUNCTION subsidy.uscc_organisation_code(subsidy.uscc) RETURNS text
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION subsidy.uscc_organisation_code(subsidy.uscc) IS
  'positions 9-17: the embedded organisation code (组织机构代码, GB 11714), 9 characters';

CREATE FUNCTION subsidy.uscc_organisation_code_is_valid(subsidy.uscc) RETURNS boolean
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION subsidy.uscc_organisation_code_is_valid(subsidy.uscc) IS
  'whether the embedded organisation code''s own GB 11714 check character is right (older codes may fail it)';

-- comparison
CREATE FUNCTION subsidy.uscc_eq(subsidy.uscc, subsidy.uscc) RETURNS boolean
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION subsidy.uscc_ne(subsidy.uscc, subsidy.uscc) RETURNS boolean
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION subsidy.uscc_lt(subsidy.uscc, subsidy.uscc) RETURNS boolean
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION subsidy.uscc_le(subsidy.uscc, subsidy.uscc) RETURNS boolean
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION subsidy.uscc_gt(subsidy.uscc, subsidy.uscc) RETURNS boolean
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION subsidy.uscc_ge(subsidy.uscc, subsidy.uscc) RETURNS boolean
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION subsidy.uscc_cmp(subsidy.uscc, subsidy.uscc) RETURNS integer
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION subsidy.uscc_sortsupport(internal) RETURNS void
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION subsidy.uscc_hash(subsidy.uscc) RETURNS integer
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION subsidy.uscc_hash_extended(subsidy.uscc, bigint) RETURNS bigint
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;

CREATE OPERATOR subsidy.= (
  LEFTARG = subsidy.uscc, RIGHTARG = subsidy.uscc, FUNCTION = subsidy.uscc_eq,
  COMMUTATOR = OPERATOR(subsidy.=), NEGATOR = OPERATOR(subsidy.<>),
  RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR subsidy.<> (
  LEFTARG = subsidy.uscc, RIGHTARG = subsidy.uscc, FUNCTION = subsidy.uscc_ne,
  COMMUTATOR = OPERATOR(subsidy.<>), NEGATOR = OPERATOR(subsidy.=),
  RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel
);
CREATE OPERATOR subsidy.< (
  LEFTARG = subsidy.uscc, RIGHTARG = subsidy.uscc, FUNCTION = subsidy.uscc_lt,
  COMMUTATOR = OPERATOR(subsidy.>), NEGATOR = OPERATOR(subsidy.>=),
  RESTRICT = pg_catalog.scalarltsel, JOIN = pg_catalog.scalarltjoinsel
);
CREATE OPERATOR subsidy.<= (
  LEFTARG = subsidy.uscc, RIGHTARG = subsidy.uscc, FUNCTION = subsidy.uscc_le,
  COMMUTATOR = OPERATOR(subsidy.>=), NEGATOR = OPERATOR(subsidy.>),
  RESTRICT = pg_catalog.scalarlesel, JOIN = pg_catalog.scalarlejoinsel
);
CREATE OPERATOR subsidy.> (
  LEFTARG = subsidy.uscc, RIGHTARG = subsidy.uscc, FUNCTION = subsidy.uscc_gt,
  COMMUTATOR = OPERATOR(subsidy.<), NEGATOR = OPERATOR(subsidy.<=),
  RESTRICT = pg_catalog.scalargtsel, JOIN = pg_catalog.scalargtjoinsel
);
CREATE OPERATOR subsidy.>= (
  LEFTARG = subsidy.uscc, RIGHTARG = subsidy.uscc, FUNCTION = subsidy.uscc_ge,
  COMMUTATOR = OPERATOR(subsidy.<=), NEGATOR = OPERATOR(subsidy.<),
  RESTRICT = pg_catalog.scalargesel, JOIN = pg_catalog.scalargejoinsel
);

CREATE OPERATOR FAMILY subsidy.uscc_ops USING btree;
CREATE OPERATOR FAMILY subsidy.uscc_ops USING hash;

CREATE OPERATOR CLASS subsidy.uscc_ops DEFAULT FOR TYPE subsidy.uscc
  USING btree FAMILY subsidy.uscc_ops AS
    OPERATOR 1 subsidy.<,
    OPERATOR 2 subsidy.<=,
    OPERATOR 3 subsidy.=,
    OPERATOR 4 subsidy.>=,
    OPERATOR 5 subsidy.>,
    FUNCTION 1 subsidy.uscc_cmp(subsidy.uscc, subsidy.uscc),
    FUNCTION 2 subsidy.uscc_sortsupport(internal);

CREATE OPERATOR CLASS subsidy.uscc_ops DEFAULT FOR TYPE subsidy.uscc
  USING hash FAMILY subsidy.uscc_ops AS
    OPERATOR 1 subsidy.=,
    FUNCTION 1 subsidy.uscc_hash(subsidy.uscc),
    FUNCTION 2 subsidy.uscc_hash_extended(subsidy.uscc, bigint);
--
-- Pooling regions (统筹区) and their facts by year
--

-- Rows the extension ships are marked origin 'extension': they are read-only, come back with
-- CREATE EXTENSION and are left out of pg_dump. A DBA's own rows are 'local' and dumped.
CREATE TYPE subsidy.origin AS ENUM ('extension', 'local');
COMMENT ON TYPE subsidy.origin IS
  'who wrote a row: the extension (shipped data, read-only) or the local DBA';

CREATE FUNCTION subsidy.protect_shipped_rows() RETURNS trigger
  AS 'MODULE_PATHNAME' LANGUAGE C;
COMMENT ON FUNCTION subsidy.protect_shipped_rows() IS
  'trigger: rows with origin ''extension'' are written only by the extension''s own scripts';

CREATE TABLE subsidy.region (
  code text PRIMARY KEY
    CONSTRAINT region_code_format CHECK (code ~ '^[0-9]{2}([0-9]{4}|X[0-9]{3})$'),
  name text NOT NULL,
  parent text REFERENCES subsidy.region (code) DEFERRABLE INITIALLY DEFERRED,
  is_pool boolean NOT NULL DEFAULT true,
  origin subsidy.origin NOT NULL DEFAULT 'local'
);
COMMENT ON TABLE subsidy.region IS
  'pooling regions (统筹区) and the divisions above them; a code is its GB/T 2260 division code, or for a pool with none (省本级, 长白山管委会) two province digits, X and a serial';
COMMENT ON COLUMN subsidy.region.code IS 'GB/T 2260 code (220100), or NNXnnn for a pool that has none (22X001)';
COMMENT ON COLUMN subsidy.region.name IS 'name (名称)';
COMMENT ON COLUMN subsidy.region.parent IS 'the division above (the province for a prefecture)';
COMMENT ON COLUMN subsidy.region.is_pool IS 'whether it runs an unemployment-insurance fund (统筹区); a province row that only groups pools is not one';
COMMENT ON COLUMN subsidy.region.origin IS 'extension: shipped with subsidy (Jilin); local: added by the DBA';
CREATE INDEX region_parent ON subsidy.region (parent);
CREATE TRIGGER region_protect_shipped BEFORE INSERT OR UPDATE OR DELETE ON subsidy.region
  FOR EACH ROW EXECUTE FUNCTION subsidy.protect_shipped_rows();

INSERT INTO subsidy.region (code, name, parent, is_pool, origin) VALUES
  ('220000', '吉林省', NULL, false, 'extension'),
  ('22X001', '吉林省省本级', '220000', true, 'extension'),
  ('220100', '长春市', '220000', true, 'extension'),
  ('220200', '吉林市', '220000', true, 'extension'),
  ('220300', '四平市', '220000', true, 'extension'),
  ('220400', '辽源市', '220000', true, 'extension'),
  ('220500', '通化市', '220000', true, 'extension'),
  ('220600', '白山市', '220000', true, 'extension'),
  ('220700', '松原市', '220000', true, 'extension'),
  ('220800', '白城市', '220000', true, 'extension'),
  ('222400', '延边朝鲜族自治州', '220000', true, 'extension'),
  ('22X002', '长白山管委会', '220000', true, 'extension');

CREATE TABLE subsidy.region_basis_year (
  region text NOT NULL REFERENCES subsidy.region (code),
  basis_year integer NOT NULL CHECK (basis_year BETWEEN 2000 AND 2100),
  registered_unemployment_rate numeric(5,2)
    CHECK (registered_unemployment_rate >= 0 AND registered_unemployment_rate <= 100),
  fund_balance numeric(16,2) CHECK (fund_balance <> 'NaN'),
  monthly_fund_expenditure numeric(16,2) CHECK (monthly_fund_expenditure >= 0 AND monthly_fund_expenditure <> 'NaN'),
  origin subsidy.origin NOT NULL DEFAULT 'local',
  PRIMARY KEY (region, basis_year)
);
COMMENT ON TABLE subsidy.region_basis_year IS
  'a region''s facts for a basis year (上年度): the E2 threshold and the E7 fund cover';
COMMENT ON COLUMN subsidy.region_basis_year.registered_unemployment_rate IS
  'registered urban unemployment rate (城镇登记失业率) in per cent: 3.46 means 3.46 %';
COMMENT ON COLUMN subsidy.region_basis_year.fund_balance IS 'unemployment-insurance fund balance at the end of the year, yuan (基金滚存结余)';
COMMENT ON COLUMN subsidy.region_basis_year.monthly_fund_expenditure IS 'average monthly fund expenditure in the year, yuan (月均基金支出)';
COMMENT ON COLUMN subsidy.region_basis_year.region IS 'the pooling region';
COMMENT ON COLUMN subsidy.region_basis_year.basis_year IS 'the year the facts are of (Y-1 for subsidy year Y)';
COMMENT ON COLUMN subsidy.region_basis_year.origin IS 'extension: shipped with subsidy (read-only); local: loaded by the region';
CREATE TRIGGER region_basis_year_protect_shipped BEFORE INSERT OR UPDATE OR DELETE ON subsidy.region_basis_year
  FOR EACH ROW EXECUTE FUNCTION subsidy.protect_shipped_rows();

-- Jilin's province-wide rates, published with the notice's set: regions load their own.
INSERT INTO subsidy.region_basis_year (region, basis_year, registered_unemployment_rate, origin) VALUES
  ('220000', 2017, 3.52, 'extension'),
  ('220000', 2018, 3.46, 'extension');

CREATE TABLE subsidy.application_window (
  region text NOT NULL REFERENCES subsidy.region (code),
  year integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  opens_on date NOT NULL,
  closes_on date NOT NULL,
  PRIMARY KEY (region, year),
  CONSTRAINT application_window_order CHECK (closes_on >= opens_on)
);
COMMENT ON TABLE subsidy.application_window IS
  'the application window (申报期) of a region for a subsidy year: E8 and W2';
COMMENT ON COLUMN subsidy.application_window.opens_on IS 'first day applications are accepted';
COMMENT ON COLUMN subsidy.application_window.closes_on IS 'last day applications are accepted';
COMMENT ON COLUMN subsidy.application_window.region IS 'the pooling region';
COMMENT ON COLUMN subsidy.application_window.year IS 'the subsidy year';

-- pg_dump keeps the DBA's rows; the shipped ones come back with CREATE EXTENSION.
SELECT pg_catalog.pg_extension_config_dump('subsidy.region', 'WHERE origin = ''local''');
SELECT pg_catalog.pg_extension_config_dump('subsidy.region_basis_year', 'WHERE origin = ''local''');
SELECT pg_catalog.pg_extension_config_dump('subsidy.application_window', '');
--
-- Who acts where: the roles of DOMAIN section 2, and the pooling regions of each
--

-- The roles of DOMAIN section 2. Roles belong to the cluster: they are created once, kept
-- when the extension is dropped from one database, and found again by the next install.
DO $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT * FROM (VALUES
    ('subsidy_applicant', 'subsidy: the online system acting for enterprises, or a counter clerk: drafts, submits, withdraws'),
    ('subsidy_agency', 'subsidy: the social-insurance agency (社保经办): confirms premiums and insured persons, pays, reports upward'),
    ('subsidy_hrss', 'subsidy: human resources and social security (人社): reviews layoffs, decides with the others, publishes, handles objections'),
    ('subsidy_finance', 'subsidy: finance (财政): reviews financial management and the use of last year''s subsidy'),
    ('subsidy_reader', 'subsidy: read-only reports (ODBC tools); no bank accounts or personal contacts'),
    ('subsidy_admin', 'subsidy: the provincial DBA: parameters, calendar, regions, annual procedures; sees all regions')
  ) AS v(name, description) LOOP
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = r.name) THEN
      EXECUTE pg_catalog.format('CREATE ROLE %I NOLOGIN', r.name);
    END IF;
    EXECUTE pg_catalog.format('COMMENT ON ROLE %I IS %L', r.name, r.description);
  END LOOP;
END
$$;

GRANT USAGE ON SCHEMA subsidy TO subsidy_applicant, subsidy_agency, subsidy_hrss, subsidy_finance,
  subsidy_reader, subsidy_admin;

-- Which staff act in which pooling regions; a row for a province covers its pools.
CREATE TABLE subsidy.staff_region (
  staff name NOT NULL,
  region text NOT NULL REFERENCES subsidy.region (code),
  PRIMARY KEY (staff, region)
);
COMMENT ON TABLE subsidy.staff_region IS
  'the pooling regions each role acts in (a login role, or a group role its members inherit); a province''s code covers its pools; subsidy_admin sees all';
COMMENT ON COLUMN subsidy.staff_region.staff IS 'a role name';
COMMENT ON COLUMN subsidy.staff_region.region IS 'a pooling region, or a province for all of its pools';

-- Whether a role acts in every region: the DBA's role (and a superuser).  Views and policies
-- ask this first, once per query, so that the DBA's reports skip the per-row region test.
CREATE FUNCTION subsidy.sees_every_region(role_name name) RETURNS boolean
LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  SELECT pg_catalog.pg_has_role(role_name, 'subsidy_admin', 'USAGE')
$$;
COMMENT ON FUNCTION subsidy.sees_every_region(name) IS
  'whether a role acts in every pooling region (subsidy_admin, or a superuser)';

-- The regions a role acts in. SECURITY DEFINER so that it reads staff_region whatever the
-- caller may read; it takes the role as an argument because inside it current_user is the
-- owner.
CREATE FUNCTION subsidy.regions_of(role_name name) RETURNS text[]
LANGUAGE sql STABLE STRICT SECURITY DEFINER PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  SELECT CASE
    WHEN subsidy.sees_every_region(role_name)
      THEN (SELECT pg_catalog.array_agg(r.code) FROM subsidy.region r)
    ELSE coalesce((SELECT pg_catalog.array_agg(DISTINCT r.code)
                     FROM subsidy.staff_region s
                     JOIN subsidy.region r ON r.code = s.region OR r.parent = s.region
                    WHERE pg_catalog.pg_has_role(role_name, s.staff, 'USAGE')), '{}')
  END
$$;
COMMENT ON FUNCTION subsidy.regions_of(name) IS
  'the pooling regions a role acts in, by staff_region (all of them for subsidy_admin); row-level security uses it';

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
CREATE TRIGGER policy_year_protect_shipped BEFORE INSERT OR UPDATE OR DELETE ON subsidy.policy_year
  FOR EACH ROW EXECUTE FUNCTION subsidy.protect_shipped_rows();

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

-- One row per subsidy year and pooling region: the parameters in force and the region's facts
-- for the basis year, resolved once here for the engine, the explanation and the reports.
CREATE VIEW subsidy.policy_in_force AS
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
COMMENT ON COLUMN subsidy.policy_in_force.window_opens IS 'E8: first day of the application window';
COMMENT ON COLUMN subsidy.policy_in_force.window_closes IS 'E8: last day of the application window';
COMMENT ON COLUMN subsidy.policy_in_force.year_closed IS 'whether close_year has closed the year';

SELECT pg_catalog.pg_extension_config_dump('subsidy.policy_year', 'WHERE origin = ''local''');
SELECT pg_catalog.pg_extension_config_dump('subsidy.policy_region', '');
--
-- Enterprises and their facts by year
--

CREATE TYPE subsidy.firm_size AS ENUM ('large', 'small_micro');
COMMENT ON TYPE subsidy.firm_size IS 'firm size (企业规模): large, or small and micro (中小微); later national sets pay different rates';

CREATE TABLE subsidy.enterprise (
  uscc subsidy.uscc PRIMARY KEY,
  name text NOT NULL CHECK (name <> ''),
  region text NOT NULL REFERENCES subsidy.region (code),
  bank_name text,
  bank_account text,
  contact_person text,
  contact_phone text
);
COMMENT ON TABLE subsidy.enterprise IS 'enterprises insured in a pooling region, keyed by their Unified Social Credit Code';
COMMENT ON COLUMN subsidy.enterprise.uscc IS 'Unified Social Credit Code (统一社会信用代码)';
COMMENT ON COLUMN subsidy.enterprise.name IS 'registered name (企业名称)';
COMMENT ON COLUMN subsidy.enterprise.region IS 'the pooling region where it is insured';
COMMENT ON COLUMN subsidy.enterprise.bank_name IS 'bank of the account the subsidy is paid to (开户行); not shown to readers';
COMMENT ON COLUMN subsidy.enterprise.bank_account IS 'account the subsidy is paid to (银行账号); not shown to readers';
COMMENT ON COLUMN subsidy.enterprise.contact_person IS 'contact person (联系人); not shown to readers';
COMMENT ON COLUMN subsidy.enterprise.contact_phone IS 'contact telephone (联系电话); not shown to readers';
CREATE INDEX enterprise_region ON subsidy.enterprise (region);

CREATE TABLE subsidy.enterprise_year (
  uscc subsidy.uscc NOT NULL REFERENCES subsidy.enterprise (uscc),
  year integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  decapacity boolean,
  key_supported boolean,
  zombie boolean,
  monitored boolean,
  firm_size subsidy.firm_size,
  PRIMARY KEY (uscc, year)
);
COMMENT ON TABLE subsidy.enterprise_year IS
  'what the lists of a subsidy year say of an enterprise; an empty fact is unknown (E0), never false. Applications take these facts and keep them in step until decided';
COMMENT ON COLUMN subsidy.enterprise_year.decapacity IS 'in a national or provincial overcapacity reduction plan (去产能企业): A2, A3';
COMMENT ON COLUMN subsidy.enterprise_year.key_supported IS 'government key-supported enterprise (政府重点支持企业): A3';
COMMENT ON COLUMN subsidy.enterprise_year.zombie IS '"zombie" enterprise (僵尸企业): E5, never eligible';
COMMENT ON COLUMN subsidy.enterprise_year.monitored IS 'in unemployment dynamic monitoring (失业动态监测企业): W10, reviewed first';
COMMENT ON COLUMN subsidy.enterprise_year.firm_size IS 'firm size (企业规模): A1 under sets that pay by size';
COMMENT ON COLUMN subsidy.enterprise_year.uscc IS 'the enterprise';
COMMENT ON COLUMN subsidy.enterprise_year.year IS 'the subsidy year the lists are for';

SELECT pg_catalog.pg_extension_config_dump('subsidy.enterprise', '');
SELECT pg_catalog.pg_extension_config_dump('subsidy.enterprise_year', '');
--
-- Applications (申请): one per enterprise and subsidy year (E9)
--

CREATE TYPE subsidy.stage AS ENUM
  ('draft', 'submitted', 'withdrawn', 'in_review', 'decided', 'in_publicity', 'objection',
   'cleared', 'paid', 'reported');
COMMENT ON TYPE subsidy.stage IS
  'review stages (W1): draft → submitted → in_review → decided → in_publicity → cleared → paid → reported, with withdrawn (before review) and objection (during publicity, back to in_review)';

CREATE TYPE subsidy.decision AS ENUM ('approved', 'rejected');
COMMENT ON TYPE subsidy.decision IS 'what the joint review decided (W3, W4)';

CREATE TYPE subsidy.spot_check_result AS ENUM ('pending', 'confirmed', 'false_data');
COMMENT ON TYPE subsidy.spot_check_result IS
  'on-site spot check (实地抽查, W11): drawn and not yet done, data confirmed, or false data found (E10)';

CREATE TYPE subsidy.basis AS ENUM ('paid', 'payable');
COMMENT ON TYPE subsidy.basis IS 'what an amount is a share of: premiums actually paid (A1) or payable (A2, A3) in the basis year';

-- The engine reads the columns from year to spot_check; they come first so that it deforms
-- no more of the row than it needs.
CREATE TABLE subsidy.application (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  year integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  region text NOT NULL REFERENCES subsidy.region (code),
  uscc subsidy.uscc NOT NULL REFERENCES subsidy.enterprise (uscc),
  stage subsidy.stage NOT NULL DEFAULT 'draft',
  submitted_on date,
  decapacity boolean,
  key_supported boolean,
  zombie boolean,
  firm_size subsidy.firm_size,
  confirmed_insured_start integer CHECK (confirmed_insured_start >= 0),
  confirmed_insured_end integer CHECK (confirmed_insured_end >= 0),
  confirmed_insured_average numeric(12,2) CHECK (confirmed_insured_average >= 0 AND confirmed_insured_average <> 'NaN'),
  confirmed_layoffs integer CHECK (confirmed_layoffs >= 0),
  confirmed_retirements_deaths integer CHECK (confirmed_retirements_deaths >= 0),
  confirmed_premiums_payable numeric(14,2) CHECK (confirmed_premiums_payable >= 0 AND confirmed_premiums_payable <> 'NaN'),
  confirmed_premiums_paid numeric(14,2) CHECK (confirmed_premiums_paid >= 0 AND confirmed_premiums_paid <> 'NaN'),
  confirmed_arrears_basis_year numeric(14,2) CHECK (confirmed_arrears_basis_year >= 0 AND confirmed_arrears_basis_year <> 'NaN'),
  confirmed_arrears_other_years numeric(14,2) CHECK (confirmed_arrears_other_years >= 0 AND confirmed_arrears_other_years <> 'NaN'),
  confirmed_deferral_agreement boolean,
  confirmed_prior_subsidy numeric(14,2) CHECK (confirmed_prior_subsidy >= 0 AND confirmed_prior_subsidy <> 'NaN'),
  confirmed_prior_subsidy_use_proper boolean,
  financial_management_sound boolean,
  policy_compliant boolean,
  spot_check subsidy.spot_check_result,
  monitored boolean,
  insured_start integer CHECK (insured_start >= 0),
  insured_end integer CHECK (insured_end >= 0),
  insured_average numeric(12,2) CHECK (insured_average >= 0 AND insured_average <> 'NaN'),
  layoffs integer CHECK (layoffs >= 0),
  retirements_deaths integer CHECK (retirements_deaths >= 0),
  premiums_payable numeric(14,2) CHECK (premiums_payable >= 0 AND premiums_payable <> 'NaN'),
  premiums_paid numeric(14,2) CHECK (premiums_paid >= 0 AND premiums_paid <> 'NaN'),
  arrears_basis_year numeric(14,2) CHECK (arrears_basis_year >= 0 AND arrears_basis_year <> 'NaN'),
  arrears_other_years numeric(14,2) CHECK (arrears_other_years >= 0 AND arrears_other_years <> 'NaN'),
  deferral_agreement boolean,
  prior_subsidy numeric(14,2) CHECK (prior_subsidy >= 0 AND prior_subsidy <> 'NaN'),
  prior_subsidy_use_proper boolean,
  documents text[],
  review_round integer NOT NULL DEFAULT 1 CHECK (review_round >= 1),
  decision subsidy.decision,
  decided_on date,
  decided_rule text,
  decided_basis subsidy.basis,
  decided_basis_amount numeric(14,2),
  decided_rate numeric(4,3),
  decided_amount numeric(14,2) CHECK (decided_amount >= 0 AND decided_amount <> 'NaN'),
  decided_reasons text[],
  publicity_id bigint,
  cleared_on date,
  paid_on date,
  payment_reference text,
  paid_amount numeric(14,2),
  report_batch_id bigint,
  created_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
  CONSTRAINT application_decision_when_decided CHECK
    ((decision IS NOT NULL) = (stage IN ('decided', 'in_publicity', 'objection', 'cleared', 'paid', 'reported'))),
  CONSTRAINT application_approved_has_amount CHECK
    (decision IS DISTINCT FROM 'approved' OR decided_amount IS NOT NULL),
  CONSTRAINT application_paid_has_payment CHECK
    ((stage IN ('paid', 'reported')) = (paid_on IS NOT NULL AND payment_reference IS NOT NULL AND paid_amount IS NOT NULL)),
  CONSTRAINT application_submitted_has_date CHECK
    (stage IN ('draft') OR (stage = 'withdrawn' AND submitted_on IS NULL) OR submitted_on IS NOT NULL)
);
COMMENT ON TABLE subsidy.application IS
  'applications for the subsidy (稳岗补贴申请), one per enterprise and year (E9): declared figures of annex 2, the figures confirmed in review (A5), review results, and the decision, publicity, payment and report of W1-W8';
COMMENT ON COLUMN subsidy.application.id IS 'the application''s number, assigned when it is filed';
COMMENT ON COLUMN subsidy.application.year IS 'subsidy year Y (补贴年度); figures are those of the basis year Y-1';
COMMENT ON COLUMN subsidy.application.region IS 'the pooling region that reviews and pays it';
COMMENT ON COLUMN subsidy.application.uscc IS 'the enterprise (统一社会信用代码)';
COMMENT ON COLUMN subsidy.application.stage IS 'where it is in the review (W1)';
COMMENT ON COLUMN subsidy.application.submitted_on IS 'day it was submitted (申报日期): E8';
COMMENT ON COLUMN subsidy.application.decapacity IS 'decapacity enterprise this year (from enterprise_year)';
COMMENT ON COLUMN subsidy.application.key_supported IS 'key-supported enterprise this year (from enterprise_year)';
COMMENT ON COLUMN subsidy.application.zombie IS 'zombie enterprise this year (from enterprise_year): E5';
COMMENT ON COLUMN subsidy.application.firm_size IS 'firm size this year (from enterprise_year, or declared)';
COMMENT ON COLUMN subsidy.application.monitored IS 'in unemployment dynamic monitoring (from enterprise_year): W10';
COMMENT ON COLUMN subsidy.application.confirmed_insured_start IS 'insured persons at the start of the basis year, as the agency confirmed';
COMMENT ON COLUMN subsidy.application.confirmed_insured_end IS 'insured persons at the end of the basis year, as the agency confirmed';
COMMENT ON COLUMN subsidy.application.confirmed_insured_average IS 'average monthly insured persons in the basis year, as the agency confirmed';
COMMENT ON COLUMN subsidy.application.confirmed_layoffs IS 'layoffs (裁员人数) in the basis year, as hrss found in review: E2';
COMMENT ON COLUMN subsidy.application.confirmed_retirements_deaths IS 'retirements and deaths in the basis year, as the agency confirmed';
COMMENT ON COLUMN subsidy.application.confirmed_premiums_payable IS 'premiums payable (应缴失业保险费) in the basis year, confirmed: E1, A2, A3';
COMMENT ON COLUMN subsidy.application.confirmed_premiums_paid IS 'premiums actually paid (实缴失业保险费) in the basis year, enterprise and employees, confirmed: E1, A1';
COMMENT ON COLUMN subsidy.application.confirmed_arrears_basis_year IS 'arrears (欠费) for the basis year, confirmed: E1';
COMMENT ON COLUMN subsidy.application.confirmed_arrears_other_years IS 'arrears for other years, confirmed: E1, A3';
COMMENT ON COLUMN subsidy.application.confirmed_deferral_agreement IS 'a deferred-payment agreement (延期缴费协议) is signed with the collection agency, confirmed: A3';
COMMENT ON COLUMN subsidy.application.confirmed_prior_subsidy IS 'last year''s subsidy, yuan, confirmed: E6';
COMMENT ON COLUMN subsidy.application.confirmed_prior_subsidy_use_proper IS 'finance found last year''s subsidy used for the permitted purposes: E6';
COMMENT ON COLUMN subsidy.application.financial_management_sound IS 'finance found the financial management sound (财务管理制度健全): E3';
COMMENT ON COLUMN subsidy.application.policy_compliant IS 'hrss found it compliant with industrial and environmental policy: E4';
COMMENT ON COLUMN subsidy.application.spot_check IS 'on-site spot check result, empty when not drawn: E10, W11';
COMMENT ON COLUMN subsidy.application.insured_start IS 'declared (申报): insured persons at the start of the basis year';
COMMENT ON COLUMN subsidy.application.insured_end IS 'declared: insured persons at the end of the basis year';
COMMENT ON COLUMN subsidy.application.insured_average IS 'declared: average monthly insured persons';
COMMENT ON COLUMN subsidy.application.layoffs IS 'declared: layoffs in the basis year';
COMMENT ON COLUMN subsidy.application.retirements_deaths IS 'declared: retirements and deaths in the basis year';
COMMENT ON COLUMN subsidy.application.premiums_payable IS 'declared: premiums payable in the basis year';
COMMENT ON COLUMN subsidy.application.premiums_paid IS 'declared: premiums paid in the basis year';
COMMENT ON COLUMN subsidy.application.arrears_basis_year IS 'declared: arrears for the basis year';
COMMENT ON COLUMN subsidy.application.arrears_other_years IS 'declared: arrears for other years';
COMMENT ON COLUMN subsidy.application.deferral_agreement IS 'declared: a deferred-payment agreement is signed';
COMMENT ON COLUMN subsidy.application.prior_subsidy IS 'declared: last year''s subsidy, yuan';
COMMENT ON COLUMN subsidy.application.prior_subsidy_use_proper IS 'declared: last year''s subsidy was used for the permitted purposes';
COMMENT ON COLUMN subsidy.application.documents IS 'declared: codes of the documents attached (annexes 1 and 2), see required_document';
COMMENT ON COLUMN subsidy.application.review_round IS 'joint review round: an objection opens a new one (W6)';
COMMENT ON COLUMN subsidy.application.decision IS 'approved or rejected (W3, W4)';
COMMENT ON COLUMN subsidy.application.decided_on IS 'day of the decision';
COMMENT ON COLUMN subsidy.application.decided_rule IS 'amount rule of the decision: A1, A2 or A3';
COMMENT ON COLUMN subsidy.application.decided_basis IS 'premiums the decided amount is a share of';
COMMENT ON COLUMN subsidy.application.decided_basis_amount IS 'those premiums, yuan';
COMMENT ON COLUMN subsidy.application.decided_rate IS 'the share';
COMMENT ON COLUMN subsidy.application.decided_amount IS 'decided subsidy, yuan (A4), frozen until an objection reopens review (A6)';
COMMENT ON COLUMN subsidy.application.decided_reasons IS 'reasons of a rejection: rule ids and detail codes (W4)';
COMMENT ON COLUMN subsidy.application.publicity_id IS 'the publicity (公示) it is or was listed in';
COMMENT ON COLUMN subsidy.application.cleared_on IS 'day publicity was cleared without objection';
COMMENT ON COLUMN subsidy.application.paid_on IS 'day the agency paid (发放日期): W7';
COMMENT ON COLUMN subsidy.application.payment_reference IS 'the agency''s payment reference, unique (W7)';
COMMENT ON COLUMN subsidy.application.paid_amount IS 'amount paid, yuan: equals decided_amount (W7)';
COMMENT ON COLUMN subsidy.application.report_batch_id IS 'the upward report it went in (W8)';
COMMENT ON COLUMN subsidy.application.created_at IS 'when the row was created';

CREATE UNIQUE INDEX application_one_claim ON subsidy.application (uscc, year) WHERE stage <> 'withdrawn';
COMMENT ON INDEX subsidy.application_one_claim IS 'E9: one application per enterprise and year, across all regions (a withdrawn one does not count)';
CREATE UNIQUE INDEX application_payment_reference ON subsidy.application (payment_reference);
CREATE INDEX application_region_year_stage ON subsidy.application (region, year, stage);

-- An application takes its enterprise's facts for the year, and its region if none is given.
CREATE FUNCTION subsidy.application_take_facts() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  f subsidy.enterprise_year;
BEGIN
  IF subsidy.restoring() THEN
    RETURN NEW;   -- a dump keeps the facts as they were
  END IF;
  IF NEW.region IS NULL THEN
    NEW.region := (SELECT e.region FROM subsidy.enterprise e WHERE e.uscc OPERATOR(subsidy.=) NEW.uscc);
  END IF;
  SELECT * INTO f FROM subsidy.enterprise_year y
   WHERE y.uscc OPERATOR(subsidy.=) NEW.uscc AND y.year = NEW.year;
  IF FOUND THEN
    NEW.decapacity := coalesce(f.decapacity, NEW.decapacity);
    NEW.key_supported := coalesce(f.key_supported, NEW.key_supported);
    NEW.zombie := coalesce(f.zombie, NEW.zombie);
    NEW.monitored := coalesce(f.monitored, NEW.monitored);
    NEW.firm_size := coalesce(f.firm_size, NEW.firm_size);
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION subsidy.application_take_facts() IS
  'trigger: a new application takes its enterprise''s region and its facts for the year from enterprise_year';
CREATE TRIGGER application_facts BEFORE INSERT ON subsidy.application
  FOR EACH ROW EXECUTE FUNCTION subsidy.application_take_facts();

-- A list updated before the decision reaches the applications; after it, figures are frozen (A6).
CREATE FUNCTION subsidy.enterprise_year_to_applications() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF subsidy.restoring() THEN
    RETURN NULL;
  END IF;
  UPDATE subsidy.application a
     SET decapacity = coalesce(NEW.decapacity, a.decapacity),
         key_supported = coalesce(NEW.key_supported, a.key_supported),
         zombie = coalesce(NEW.zombie, a.zombie),
         monitored = coalesce(NEW.monitored, a.monitored),
         firm_size = coalesce(NEW.firm_size, a.firm_size)
   WHERE a.uscc OPERATOR(subsidy.=) NEW.uscc AND a.year = NEW.year
     AND a.stage IN ('draft', 'submitted', 'in_review')
     AND (a.decapacity, a.key_supported, a.zombie, a.monitored, a.firm_size)
         IS DISTINCT FROM (coalesce(NEW.decapacity, a.decapacity), coalesce(NEW.key_supported, a.key_supported),
                           coalesce(NEW.zombie, a.zombie), coalesce(NEW.monitored, a.monitored),
                           coalesce(NEW.firm_size, a.firm_size));
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION subsidy.enterprise_year_to_applications() IS
  'trigger: facts of a year''s lists reach that year''s applications that are not yet decided';
CREATE TRIGGER enterprise_year_to_applications AFTER INSERT OR UPDATE ON subsidy.enterprise_year
  FOR EACH ROW EXECUTE FUNCTION subsidy.enterprise_year_to_applications();

SELECT pg_catalog.pg_extension_config_dump('subsidy.application', '');
SELECT pg_catalog.pg_extension_config_dump('subsidy.application_id_seq', '');
--
-- The eligibility and amount engine (DOMAIN sections 5-7)
--

-- The rules and their legal sources, for explanations, errors and reports.
CREATE VIEW subsidy.rule (id, ord, title_zh, title_en, source) AS VALUES
  ('E0', 0, '事实缺失则待定，一次列明所缺事实', 'missing facts make the result undetermined, all listed at once', '吉人社联字〔2018〕54号 一(二)'),
  ('E1', 1, '依法参保并足额缴纳失业保险费', 'insured, and premiums for the basis year paid in full', '人社部发〔2014〕76号；吉人社联字〔2018〕54号 二(二)'),
  ('E2', 2, '上年度未裁员或裁员率低于统筹地区城镇登记失业率', 'no layoffs, or a layoff rate below the registered urban unemployment rate', '人社部发〔2014〕76号；吉人社联字〔2018〕54号 二(二)'),
  ('E3', 3, '财务管理制度健全', 'sound financial management', '人社部发〔2014〕76号；吉人社联字〔2018〕54号 二(三)2'),
  ('E4', 4, '符合国家及地方产业和环保政策', 'compliant with industrial and environmental policy', '人社部发〔2014〕76号'),
  ('E5', 5, '僵尸企业不予发放', 'zombie enterprises are never eligible', '吉人社联字〔2018〕54号 二(二)'),
  ('E6', 6, '上年度稳岗补贴按规定用途使用', 'last year''s subsidy used for the permitted purposes', '人社部发〔2014〕76号；吉人社联字〔2018〕54号 二(三)2'),
  ('E7', 7, '统筹地区基金结余可支付月数不低于规定月数', 'the region''s fund covers the required months of expenditure', '人社部发〔2014〕76号；人社厅发〔2017〕129号'),
  ('E8', 8, '在申报期内申报', 'filed inside the region''s application window', '吉人社联字〔2018〕54号 三(二)'),
  ('E9', 9, '每户企业每年度申请一次', 'one application per enterprise and year', '吉人社联字〔2018〕54号 三(三)'),
  ('E10', 10, '实地抽查发现数据虚假的不予发放', 'false data found by a spot check makes it ineligible', '吉人社联字〔2018〕54号 二(三)2、三(三)'),
  ('A1', 11, '标准：上年度实缴失业保险费的规定比例', 'standard: a share of premiums actually paid', '人社部发〔2014〕76号'),
  ('A2', 12, '不欠费的去产能企业：上年度应缴失业保险费的60%', 'decapacity without arrears: a share of premiums payable', '吉人社联字〔2018〕54号 二(二)'),
  ('A3', 13, '其他年度欠费并签订延期缴费协议：上年度应缴失业保险费的50%', 'arrears in other years under a deferred-payment agreement: a share of premiums payable', '吉人社联字〔2018〕54号 二(二)'),
  ('A4', 14, '金额四舍五入至规定单位', 'amounts rounded half up to the parameter''s unit', '吉人社联字〔2018〕54号 二(三)3'),
  ('A5', 15, '以经办机构确认的数据核定金额，申报数据与确认数据不一致的予以标记', 'amounts use confirmed figures; declared figures that differ are flagged', '吉人社联字〔2018〕54号 三(四)'),
  ('A6', 16, '名单确定后金额不变，除非经异议重新审核', 'a decided amount changes only through review reopened by an objection', '吉人社联字〔2018〕54号 二(三)3'),
  ('W1', 17, '只允许规定的环节流转', 'only the listed stage transitions, each by its role', '吉人社联字〔2018〕54号 二(三)'),
  ('W2', 18, '申报期内申报，缺项一次告知', 'submitted inside the window; every missing item reported at once', '吉人社联字〔2018〕54号 二(三)1、三(二)'),
  ('W3', 19, '人社、财政、经办三方联合审核', 'joint review: hrss, finance and the agency each sign off', '吉人社联字〔2018〕54号 二(三)2'),
  ('W4', 20, '不予补贴须说明理由', 'a rejection carries its reasons', '吉人社联字〔2018〕54号 二(三)3'),
  ('W5', 21, '公示期不少于7个工作日', 'publicity of at least 7 working days', '吉人社联字〔2018〕54号 二(三)3'),
  ('W6', 22, '公示有异议的重新审核', 'an objection during publicity reopens review', '吉人社联字〔2018〕54号 二(三)3'),
  ('W7', 23, '公示无异议后由经办机构发放', 'the agency pays after publicity without objection', '吉人社联字〔2018〕54号 二(三)3'),
  ('W8', 24, '发放后报人社部门并上报信息系统', 'payment reported to hrss and up to the national system', '吉人社联字〔2018〕54号 二(三)3、三(四)'),
  ('W9', 25, '全程留痕，审计记录不可篡改', 'every step logged in a tamper-evident audit trail', '吉人社联字〔2018〕54号 三(三)、三(四)'),
  ('W10', 26, '失业动态监测企业优先审核', 'monitored enterprises are reviewed first', '吉人社联字〔2018〕54号 三(三)'),
  ('W11', 27, '实地抽查', 'on-site spot checks', '吉人社联字〔2018〕54号 二(三)2');
COMMENT ON VIEW subsidy.rule IS 'the rules (规则) the extension enforces, with their legal sources (DOMAIN.md)';

-- The facts a rule may find missing (E0), in words a clerk knows.
CREATE VIEW subsidy.fact (name, label_zh, label_en) AS VALUES
  ('policy_year', '当年度政策参数', 'the parameter set for the year'),
  ('submitted_on', '申报日期', 'the day the application was submitted'),
  ('application_window', '统筹地区当年申报期', 'the region''s application window'),
  ('confirmed_arrears_basis_year', '经办机构确认的上年度欠费', 'arrears for the basis year, as the agency confirmed'),
  ('confirmed_premiums_paid', '经办机构确认的上年度实缴失业保险费', 'premiums paid in the basis year, as the agency confirmed'),
  ('confirmed_premiums_payable', '经办机构确认的上年度应缴失业保险费', 'premiums payable in the basis year, as the agency confirmed'),
  ('confirmed_arrears_other_years', '经办机构确认的其他年度欠费', 'arrears for other years, as the agency confirmed'),
  ('confirmed_deferral_agreement', '是否签订延期缴费协议', 'whether a deferred-payment agreement is signed'),
  ('decapacity', '是否去产能企业', 'whether it is a decapacity enterprise'),
  ('key_supported', '是否政府重点支持企业', 'whether it is a key-supported enterprise'),
  ('confirmed_layoffs', '人社部门核实的上年度裁员人数', 'layoffs in the basis year, as hrss found'),
  ('confirmed_insured_start', '上年初参保人数', 'insured persons at the start of the basis year'),
  ('confirmed_insured_end', '上年末参保人数', 'insured persons at the end of the basis year'),
  ('confirmed_insured_average', '上年月平均参保人数', 'average monthly insured persons in the basis year'),
  ('confirmed_retirements_deaths', '上年退休及死亡人数', 'retirements and deaths in the basis year'),
  ('registered_unemployment_rate', '统筹地区上年度城镇登记失业率', 'the region''s registered urban unemployment rate for the basis year'),
  ('financial_management_sound', '财政部门对财务管理的审核结论', 'finance''s finding on financial management'),
  ('policy_compliant', '产业政策和环保政策符合情况', 'compliance with industrial and environmental policy'),
  ('zombie', '是否僵尸企业', 'whether it is a zombie enterprise'),
  ('confirmed_prior_subsidy', '上年度稳岗补贴金额', 'last year''s subsidy'),
  ('confirmed_prior_subsidy_use_proper', '财政部门对上年度补贴使用情况的审核结论', 'finance''s finding on the use of last year''s subsidy'),
  ('fund_balance', '统筹地区上年末失业保险基金结余', 'the region''s fund balance at the end of the basis year'),
  ('monthly_fund_expenditure', '统筹地区上年月均基金支出', 'the region''s monthly fund expenditure in the basis year'),
  ('firm_size', '企业规模', 'firm size'),
  ('spot_check', '实地抽查结果', 'the spot check''s result');
COMMENT ON VIEW subsidy.fact IS 'facts the engine may find missing (E0), named as the columns that hold them';

CREATE TYPE subsidy.outcome AS ENUM ('eligible', 'ineligible', 'undetermined');
COMMENT ON TYPE subsidy.outcome IS 'the engine''s verdict: eligible, ineligible on known facts, or undetermined for missing facts (E0)';

-- The engine's result, fixed-width and exact: what assess_year stores.
CREATE TYPE subsidy.verdict;
CREATE FUNCTION subsidy.verdict_in(cstring) RETURNS subsidy.verdict
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION subsidy.verdict_out(subsidy.verdict) RETURNS cstring
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION subsidy.verdict_recv(internal) RETURNS subsidy.verdict
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION subsidy.verdict_send(subsidy.verdict) RETURNS bytea
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE subsidy.verdict (
  INPUT = subsidy.verdict_in,
  OUTPUT = subsidy.verdict_out,
  RECEIVE = subsidy.verdict_recv,
  SEND = subsidy.verdict_send,
  INTERNALLENGTH = 64,
  ALIGNMENT = double,
  STORAGE = plain
);
COMMENT ON TYPE subsidy.verdict IS
  'one application assessed, in 64 exact bytes (money in fen, rules as bit sets); prints as "eligible rule=A1 basis=paid base=... amount=..."; cast to subsidy.assessment for standard types';

CREATE FUNCTION subsidy.verdict_eq(subsidy.verdict, subsidy.verdict) RETURNS boolean
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION subsidy.verdict_ne(subsidy.verdict, subsidy.verdict) RETURNS boolean
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE OPERATOR subsidy.= (
  LEFTARG = subsidy.verdict, RIGHTARG = subsidy.verdict, FUNCTION = subsidy.verdict_eq,
  COMMUTATOR = OPERATOR(subsidy.=), NEGATOR = OPERATOR(subsidy.<>),
  RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel
);
CREATE OPERATOR subsidy.<> (
  LEFTARG = subsidy.verdict, RIGHTARG = subsidy.verdict, FUNCTION = subsidy.verdict_ne,
  COMMUTATOR = OPERATOR(subsidy.<>), NEGATOR = OPERATOR(subsidy.=),
  RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel
);

CREATE TYPE subsidy.assessment AS (
  outcome subsidy.outcome,
  rule text,
  basis subsidy.basis,
  basis_amount numeric,
  rate numeric,
  amount numeric,
  layoff_rate numeric,
  layoff_threshold numeric,
  fund_cover_months numeric,
  fund_cover_required numeric,
  failed_rules text[],
  open_rules text[],
  missing_facts text[],
  reasons text[]
);
COMMENT ON TYPE subsidy.assessment IS
  'a verdict in standard types: outcome; for an eligible application its amount rule (A1-A3), basis, basis amount, rate and amount (A4); the layoff rate (per cent, truncated to 4 places) and threshold (E2) and the fund cover in months (E7); every failed rule, every rule missing facts leave open, every missing fact, and a code per failure';

CREATE FUNCTION subsidy.assessment(subsidy.verdict) RETURNS subsidy.assessment
  AS 'MODULE_PATHNAME', 'verdict_assessment' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION subsidy.assessment(subsidy.verdict) IS 'a verdict in standard types, field by field';
CREATE CAST (subsidy.verdict AS subsidy.assessment) WITH FUNCTION subsidy.assessment(subsidy.verdict);

-- The engine itself takes the facts as arguments, in this order; call verdict_of or assess.
CREATE FUNCTION subsidy.verdict_of_facts(
  year integer,
  region text,
  submitted_on date,
  decapacity boolean,
  key_supported boolean,
  zombie boolean,
  firm_size subsidy.firm_size,
  confirmed_insured_start integer,
  confirmed_insured_end integer,
  confirmed_insured_average numeric,
  confirmed_layoffs integer,
  confirmed_retirements_deaths integer,
  confirmed_premiums_payable numeric,
  confirmed_premiums_paid numeric,
  confirmed_arrears_basis_year numeric,
  confirmed_arrears_other_years numeric,
  confirmed_deferral_agreement boolean,
  confirmed_prior_subsidy numeric,
  confirmed_prior_subsidy_use_proper boolean,
  financial_management_sound boolean,
  policy_compliant boolean,
  spot_check subsidy.spot_check_result)
RETURNS subsidy.verdict
  AS 'MODULE_PATHNAME', 'verdict_of_facts' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION subsidy.verdict_of_facts(integer, text, date, boolean, boolean, boolean, subsidy.firm_size, integer, integer, numeric, integer, integer, numeric, numeric, numeric, numeric, boolean, numeric, boolean, boolean, boolean, subsidy.spot_check_result) IS
  'the engine, given an application''s facts under the parameters in force; call verdict_of(application). Not STRICT: a missing fact is E0, not a NULL result; NULL only without a year';

CREATE FUNCTION subsidy.verdict_of_facts_under(
  policy subsidy.policy_in_force,
  year integer,
  region text,
  submitted_on date,
  decapacity boolean,
  key_supported boolean,
  zombie boolean,
  firm_size subsidy.firm_size,
  confirmed_insured_start integer,
  confirmed_insured_end integer,
  confirmed_insured_average numeric,
  confirmed_layoffs integer,
  confirmed_retirements_deaths integer,
  confirmed_premiums_payable numeric,
  confirmed_premiums_paid numeric,
  confirmed_arrears_basis_year numeric,
  confirmed_arrears_other_years numeric,
  confirmed_deferral_agreement boolean,
  confirmed_prior_subsidy numeric,
  confirmed_prior_subsidy_use_proper boolean,
  financial_management_sound boolean,
  policy_compliant boolean,
  spot_check subsidy.spot_check_result)
RETURNS subsidy.verdict
  AS 'MODULE_PATHNAME', 'verdict_of_facts_under' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION subsidy.verdict_of_facts_under(subsidy.policy_in_force, integer, text, date, boolean, boolean, boolean, subsidy.firm_size, integer, integer, numeric, integer, integer, numeric, numeric, numeric, numeric, boolean, numeric, boolean, boolean, boolean, subsidy.spot_check_result) IS
  'the engine under the parameters given; call verdict_of(application, policy_in_force)';

-- SQL functions without SET clauses, so that the planner inlines them: the engine then gets
-- the row's columns, not a copy of the whole row. Schema-qualified calls and field
-- selections only, so no search_path can redirect them.
CREATE FUNCTION subsidy.verdict_of(a subsidy.application) RETURNS subsidy.verdict
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT subsidy.verdict_of_facts(a.year, a.region, a.submitted_on, a.decapacity, a.key_supported, a.zombie, a.firm_size, a.confirmed_insured_start, a.confirmed_insured_end, a.confirmed_insured_average, a.confirmed_layoffs, a.confirmed_retirements_deaths, a.confirmed_premiums_payable, a.confirmed_premiums_paid, a.confirmed_arrears_basis_year, a.confirmed_arrears_other_years, a.confirmed_deferral_agreement, a.confirmed_prior_subsidy, a.confirmed_prior_subsidy_use_proper, a.financial_management_sound, a.policy_compliant, a.spot_check)
$$;
COMMENT ON FUNCTION subsidy.verdict_of(subsidy.application) IS
  'the verdict on an application under the parameters in force (policy_in_force), from its confirmed figures (A5); parameters are read once per statement, never per row';

CREATE FUNCTION subsidy.verdict_of(a subsidy.application, p subsidy.policy_in_force) RETURNS subsidy.verdict
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT subsidy.verdict_of_facts_under(p, a.year, a.region, a.submitted_on, a.decapacity, a.key_supported, a.zombie, a.firm_size, a.confirmed_insured_start, a.confirmed_insured_end, a.confirmed_insured_average, a.confirmed_layoffs, a.confirmed_retirements_deaths, a.confirmed_premiums_payable, a.confirmed_premiums_paid, a.confirmed_arrears_basis_year, a.confirmed_arrears_other_years, a.confirmed_deferral_agreement, a.confirmed_prior_subsidy, a.confirmed_prior_subsidy_use_proper, a.financial_management_sound, a.policy_compliant, a.spot_check)
$$;
COMMENT ON FUNCTION subsidy.verdict_of(subsidy.application, subsidy.policy_in_force) IS
  'the verdict on an application under the parameters given as a policy_in_force row, for what-if analysis';

CREATE FUNCTION subsidy.assess(a subsidy.application) RETURNS subsidy.assessment
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT subsidy.assessment(subsidy.verdict_of_facts(a.year, a.region, a.submitted_on, a.decapacity, a.key_supported, a.zombie, a.firm_size, a.confirmed_insured_start, a.confirmed_insured_end, a.confirmed_insured_average, a.confirmed_layoffs, a.confirmed_retirements_deaths, a.confirmed_premiums_payable, a.confirmed_premiums_paid, a.confirmed_arrears_basis_year, a.confirmed_arrears_other_years, a.confirmed_deferral_agreement, a.confirmed_prior_subsidy, a.confirmed_prior_subsidy_use_proper, a.financial_management_sound, a.policy_compliant, a.spot_check))
$$;
COMMENT ON FUNCTION subsidy.assess(subsidy.application) IS
  'assess an application under the parameters in force: its verdict in standard types';

CREATE FUNCTION subsidy.assess(a subsidy.application, p subsidy.policy_in_force) RETURNS subsidy.assessment
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT subsidy.assessment(subsidy.verdict_of_facts_under(p, a.year, a.region, a.submitted_on, a.decapacity, a.key_supported, a.zombie, a.firm_size, a.confirmed_insured_start, a.confirmed_insured_end, a.confirmed_insured_average, a.confirmed_layoffs, a.confirmed_retirements_deaths, a.confirmed_premiums_payable, a.confirmed_premiums_paid, a.confirmed_arrears_basis_year, a.confirmed_arrears_other_years, a.confirmed_deferral_agreement, a.confirmed_prior_subsidy, a.confirmed_prior_subsidy_use_proper, a.financial_management_sound, a.policy_compliant, a.spot_check))
$$;
COMMENT ON FUNCTION subsidy.assess(subsidy.application, subsidy.policy_in_force) IS
  'assess an application under the parameters given as a policy_in_force row, for what-if analysis';

-- Render an assessment in Chinese, rule by rule, each with its legal source.
CREATE FUNCTION subsidy.explain(a subsidy.assessment) RETURNS text
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  lines text[];
  r record;
  missing text;
  yuan constant text := 'FM999,999,999,990.00';
  -- the rate is shown to as many decimals as the threshold has (at least two), truncated,
  -- so that it reads below the threshold exactly when it is
  places integer := greatest(2, scale(trim_scale(a.layoff_threshold)));
  rate text := trunc(a.layoff_rate, places)::text;
  threshold text := trunc(a.layoff_threshold, places)::text;
BEGIN
  SELECT string_agg(f.label_zh, '、' ORDER BY array_position(a.missing_facts, f.name))
    INTO missing
    FROM subsidy.fact f WHERE f.name = ANY (a.missing_facts);

  IF 'policy_year' = ANY (a.missing_facts) THEN
    RETURN '结论：待定（E0）。尚缺：当年度政策参数，无法审核。';
  END IF;
  lines := ARRAY[CASE a.outcome
    WHEN 'eligible' THEN format('结论：符合条件，按 %s（%s）核定稳岗补贴 %s 元。', a.rule,
      CASE a.rule WHEN 'A1' THEN '标准' WHEN 'A2' THEN '去产能企业' ELSE '延期缴费协议' END, to_char(a.amount, yuan))
    WHEN 'ineligible' THEN format('结论：不符合条件（%s）。', array_to_string(a.failed_rules, '、'))
    ELSE format('结论：待定（E0）。尚缺：%s。补齐后即可审核（%s）。', missing,
                (SELECT source FROM subsidy.rule WHERE id = 'E0'))
  END];

  FOR r IN SELECT * FROM subsidy.rule WHERE id IN ('E1','E2','E3','E4','E5','E6','E7','E8','E10') ORDER BY ord LOOP
    IF r.id = ANY (a.failed_rules) THEN
      lines := lines || CASE r.id
        WHEN 'E1' THEN format('%s 不符合：%s（%s）', r.id,
          concat_ws('；',
            CASE WHEN 'E1.arrears_basis_year' = ANY (a.reasons) THEN '上年度存在欠费' END,
            CASE WHEN 'E1.paid_below_payable' = ANY (a.reasons) THEN '上年度实缴失业保险费低于应缴' END,
            CASE WHEN 'E1.arrears_other_years' = ANY (a.reasons) THEN '其他年度欠费，且不符合签订延期缴费协议的条件' END),
          r.source)
        WHEN 'E2' THEN format('%s 裁员率 %s%% 不低于 统筹地区城镇登记失业率 %s%%（%s）', r.id,
          rate, threshold, r.source)
        WHEN 'E3' THEN format('%s 不符合：财务管理制度不健全（%s）', r.id, r.source)
        WHEN 'E4' THEN format('%s 不符合：不符合产业政策或环保政策（%s）', r.id, r.source)
        WHEN 'E5' THEN format('%s 不符合：属于僵尸企业，不予发放（%s）', r.id, r.source)
        WHEN 'E6' THEN format('%s 不符合：上年度稳岗补贴未按规定用途使用（%s）', r.id, r.source)
        WHEN 'E7' THEN format('%s 不符合：统筹地区基金结余可支付 %s 个月，不足 %s 个月（%s）', r.id,
          coalesce(to_char(a.fund_cover_months, 'FM999,990.00'), '—'), trim_scale(a.fund_cover_required), r.source)
        WHEN 'E8' THEN format('%s 不符合：未在申报期内申报（%s）', r.id, r.source)
        WHEN 'E10' THEN format('%s 不符合：实地抽查发现数据虚假（%s）', r.id, r.source)
      END;
    ELSIF r.id = ANY (a.open_rules) THEN
      lines := lines || format('%s 待定：%s，所需事实尚缺（%s）', r.id, r.title_zh, r.source);
    ELSE
      lines := lines || CASE r.id
        WHEN 'E1' THEN format('%s 符合：上年度无欠费，实缴失业保险费不低于应缴%s（%s）', r.id,
          CASE WHEN a.rule = 'A3' THEN '；其他年度欠费已签订延期缴费协议，按A3' ELSE '' END, r.source)
        WHEN 'E2' THEN CASE WHEN a.layoff_rate IS NULL OR a.layoff_threshold IS NULL OR a.layoff_rate = 0
                            THEN format('%s 符合：上年度未裁员（%s）', r.id, r.source)
                            ELSE format('%s 裁员率 %s%% 低于 统筹地区城镇登记失业率 %s%%（%s）', r.id,
                                        rate, threshold, r.source) END
        WHEN 'E3' THEN format('%s 符合：财务管理制度健全（%s）', r.id, r.source)
        WHEN 'E4' THEN format('%s 符合：符合产业政策和环保政策（%s）', r.id, r.source)
        WHEN 'E5' THEN format('%s 符合：非僵尸企业（%s）', r.id, r.source)
        WHEN 'E6' THEN format('%s 符合：上年度未享受稳岗补贴，或已按规定用途使用（%s）', r.id, r.source)
        WHEN 'E7' THEN format('%s 符合：统筹地区基金结余可支付 %s 个月，不少于 %s 个月（%s）', r.id,
          coalesce(to_char(a.fund_cover_months, 'FM999,990.00'), '—'), trim_scale(a.fund_cover_required), r.source)
        WHEN 'E8' THEN format('%s 符合：在申报期内申报（%s）', r.id, r.source)
        WHEN 'E10' THEN format('%s 符合：未抽查或抽查数据属实（%s）', r.id, r.source)
      END;
    END IF;
  END LOOP;

  IF a.outcome = 'eligible' THEN
    lines := lines || format('%s 金额：上年度%s失业保险费 %s 元 × %s%% = %s 元，按 A4 四舍五入（%s）',
      a.rule,
      CASE a.basis WHEN 'paid' THEN '实缴' ELSE '应缴' END,
      to_char(a.basis_amount, yuan), trim_scale(a.rate * 100), to_char(a.amount, yuan),
      (SELECT source FROM subsidy.rule WHERE id = a.rule));
  ELSIF a.open_rules && ARRAY['A1','A2'] THEN
    lines := lines || format('%s 待定：金额规则所需事实尚缺', array_to_string(
      ARRAY(SELECT unnest(a.open_rules) INTERSECT SELECT unnest(ARRAY['A1','A2'])), '、'));
  END IF;
  RETURN array_to_string(lines, E'\n');
END
$$;
COMMENT ON FUNCTION subsidy.explain(subsidy.assessment) IS
  'an assessment in Chinese, rule by rule, each with its legal source; rendered on demand so that bulk runs pay only for what they read';

CREATE FUNCTION subsidy.explain(v subsidy.verdict) RETURNS text
LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  SELECT subsidy.explain(subsidy.assessment(v))
$$;
COMMENT ON FUNCTION subsidy.explain(subsidy.verdict) IS 'a verdict explained in Chinese, rule by rule';

CREATE FUNCTION subsidy.explain(a subsidy.application) RETURNS text
LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  SELECT subsidy.explain(subsidy.assess(a))
$$;
COMMENT ON FUNCTION subsidy.explain(subsidy.application) IS 'assess an application and explain the result in Chinese';

-- A5 信息比对: declared figures that differ from the confirmed ones; never used for amounts.
CREATE VIEW subsidy.figure_difference AS
SELECT a.id AS application_id, a.year, a.region, a.uscc::text AS uscc, d.figure,
       d.declared, d.confirmed, d.confirmed - d.declared AS difference
  FROM subsidy.application a
 CROSS JOIN LATERAL (VALUES
   ('insured_start', a.insured_start::numeric, a.confirmed_insured_start::numeric),
   ('insured_end', a.insured_end::numeric, a.confirmed_insured_end::numeric),
   ('insured_average', a.insured_average, a.confirmed_insured_average),
   ('layoffs', a.layoffs::numeric, a.confirmed_layoffs::numeric),
   ('retirements_deaths', a.retirements_deaths::numeric, a.confirmed_retirements_deaths::numeric),
   ('premiums_payable', a.premiums_payable, a.confirmed_premiums_payable),
   ('premiums_paid', a.premiums_paid, a.confirmed_premiums_paid),
   ('arrears_basis_year', a.arrears_basis_year, a.confirmed_arrears_basis_year),
   ('arrears_other_years', a.arrears_other_years, a.confirmed_arrears_other_years),
   ('deferral_agreement', a.deferral_agreement::integer::numeric, a.confirmed_deferral_agreement::integer::numeric),
   ('prior_subsidy', a.prior_subsidy, a.confirmed_prior_subsidy),
   ('prior_subsidy_use_proper', a.prior_subsidy_use_proper::integer::numeric,
                                a.confirmed_prior_subsidy_use_proper::integer::numeric)
 ) AS d (figure, declared, confirmed)
 WHERE d.declared <> d.confirmed
   AND ((SELECT subsidy.sees_every_region(current_user)) OR a.region = ANY ((SELECT subsidy.regions_of(current_user))::text[]));
COMMENT ON VIEW subsidy.figure_difference IS
  'A5 信息比对: each declared figure that differs from the one confirmed in review (booleans as 1/0); amounts always use the confirmed one';
COMMENT ON COLUMN subsidy.figure_difference.application_id IS 'the application (申请编号)';
COMMENT ON COLUMN subsidy.figure_difference.year IS 'subsidy year (补贴年度)';
COMMENT ON COLUMN subsidy.figure_difference.region IS 'pooling region code (统筹区代码)';
COMMENT ON COLUMN subsidy.figure_difference.uscc IS 'Unified Social Credit Code (统一社会信用代码)';
COMMENT ON COLUMN subsidy.figure_difference.figure IS 'the figure, named as its declared column (比对项目)';
COMMENT ON COLUMN subsidy.figure_difference.declared IS 'as declared (申报数)';
COMMENT ON COLUMN subsidy.figure_difference.confirmed IS 'as confirmed in review (确认数)';
COMMENT ON COLUMN subsidy.figure_difference.difference IS 'confirmed minus declared (差额)';

-- The parameters an assessment used, kept as they were (policy_in_force rows, deduplicated).
CREATE TABLE subsidy.policy_snapshot (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  year integer NOT NULL,
  region text NOT NULL REFERENCES subsidy.region (code),
  parameters jsonb NOT NULL,
  taken_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
  UNIQUE (year, region, parameters)
);
COMMENT ON TABLE subsidy.policy_snapshot IS
  'the parameters and region facts in force when an assessment was stored, as a policy_in_force row';
COMMENT ON COLUMN subsidy.policy_snapshot.id IS 'the snapshot''s number';
COMMENT ON COLUMN subsidy.policy_snapshot.year IS 'the subsidy year';
COMMENT ON COLUMN subsidy.policy_snapshot.region IS 'the pooling region';
COMMENT ON COLUMN subsidy.policy_snapshot.parameters IS 'the parameters in force and the region''s facts, as policy_in_force showed them';
COMMENT ON COLUMN subsidy.policy_snapshot.taken_at IS 'when they were recorded';

CREATE TABLE subsidy.application_verdict (
  application_id bigint PRIMARY KEY REFERENCES subsidy.application (id) ON DELETE CASCADE,
  assessed_at timestamptz NOT NULL,
  policy_snapshot_id bigint NOT NULL REFERENCES subsidy.policy_snapshot (id),
  verdict subsidy.verdict NOT NULL
);
COMMENT ON TABLE subsidy.application_verdict IS
  'the latest stored verdict on each application (assess_year), with the parameters it used; application_assessment shows it in standard types';
COMMENT ON COLUMN subsidy.application_verdict.application_id IS 'the application assessed';
COMMENT ON COLUMN subsidy.application_verdict.verdict IS 'the engine''s verdict (outcome, amount, reasons) as assess_year stored it';
COMMENT ON COLUMN subsidy.application_verdict.policy_snapshot_id IS 'the parameters in force it was assessed with';
COMMENT ON COLUMN subsidy.application_verdict.assessed_at IS 'when it was assessed';
CREATE INDEX application_verdict_snapshot ON subsidy.application_verdict (policy_snapshot_id);

CREATE VIEW subsidy.application_assessment AS
SELECT v.application_id, v.assessed_at, v.policy_snapshot_id, x.*
  FROM subsidy.application_verdict v
  JOIN subsidy.application a ON a.id = v.application_id
 CROSS JOIN LATERAL subsidy.assessment(v.verdict) AS x
 WHERE ((SELECT subsidy.sees_every_region(current_user)) OR a.region = ANY ((SELECT subsidy.regions_of(current_user))::text[]));
COMMENT ON VIEW subsidy.application_assessment IS
  'the stored verdicts in standard types: one row per assessed application';

-- Record the policy in force for a year (and region) as snapshots; return how many are new.
CREATE FUNCTION subsidy.take_policy_snapshots(p_year integer, p_region text DEFAULT NULL) RETURNS integer
LANGUAGE sql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
  WITH new AS (
    INSERT INTO subsidy.policy_snapshot (year, region, parameters)
    SELECT p.year, p.region, to_jsonb(p)
      FROM subsidy.policy_in_force p
     WHERE p.year = p_year AND (p_region IS NULL OR p.region = p_region)
    ON CONFLICT (year, region, parameters) DO NOTHING
    RETURNING 1)
  SELECT count(*)::integer FROM new
$$;
COMMENT ON FUNCTION subsidy.take_policy_snapshots(integer, text) IS
  'store the parameters in force for a year (and region) as policy snapshots, once each';

-- Assess one batch of a year's applications under review and store the results.
CREATE FUNCTION subsidy.assess_batch(p_year integer, p_region text, p_first_id bigint, p_last_id bigint)
RETURNS bigint
LANGUAGE sql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
  -- snapshot is materialized: inlined, a nested loop under a stale row estimate (a table just
  -- loaded, not analysed yet) re-evaluated it, to_jsonb of every region, for each application
  WITH snapshot AS MATERIALIZED (
    SELECT s.region, s.id
      FROM subsidy.policy_in_force p
      JOIN subsidy.policy_snapshot s ON s.year = p.year AND s.region = p.region AND s.parameters = to_jsonb(p)
     WHERE p.year = p_year
  ), assessed AS MATERIALIZED (
    SELECT a.id, a.region, subsidy.verdict_of(a) AS r
      FROM subsidy.application a
     WHERE a.year = p_year AND (p_region IS NULL OR a.region = p_region)
       AND a.id BETWEEN p_first_id AND p_last_id
       AND a.stage IN ('submitted', 'in_review')
  ), stored AS (
    INSERT INTO subsidy.application_verdict AS t (application_id, assessed_at, policy_snapshot_id, verdict)
    SELECT x.id, now(), s.id, x.r
      FROM assessed x JOIN snapshot s ON s.region = x.region
    ON CONFLICT (application_id) DO UPDATE SET
      assessed_at = excluded.assessed_at, policy_snapshot_id = excluded.policy_snapshot_id,
      verdict = excluded.verdict
    RETURNING 1)
  SELECT count(*) FROM stored
$$;
COMMENT ON FUNCTION subsidy.assess_batch(integer, text, bigint, bigint) IS
  'assess the applications under review of a year (and region) with ids in a range, and store the results; used by assess_year';

-- Id ranges of about p_batch_size applications under review, for assess_year's batches.
CREATE FUNCTION subsidy.assess_year_batches(p_year integer, p_region text, p_batch_size integer)
RETURNS TABLE (batch integer, first_id bigint, last_id bigint, applications bigint, total bigint)
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
  SELECT (n / p_batch_size)::integer + 1, min(id), max(id), count(*), max(total)
    FROM (SELECT a.id, row_number() OVER (ORDER BY a.id) - 1 AS n, count(*) OVER () AS total
            FROM subsidy.application a
           WHERE a.year = p_year AND (p_region IS NULL OR a.region = p_region)
             AND a.stage IN ('submitted', 'in_review')) s
   GROUP BY n / p_batch_size
   ORDER BY 1
$$;
COMMENT ON FUNCTION subsidy.assess_year_batches(integer, text, integer) IS
  'id ranges of about the given size over a year''s applications under review, for assess_year';

-- Checks before a year is assessed: parameters exist and the batch size is sane.
CREATE FUNCTION subsidy.assess_year_start(p_year integer, p_region text, p_batch_size integer) RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  snapshots integer;
BEGIN
  IF p_batch_size IS NULL OR p_batch_size < 1 THEN
    RAISE EXCEPTION 'batch size must be a positive number of applications, not %', p_batch_size
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_region IS NOT NULL AND NOT EXISTS (SELECT FROM subsidy.region WHERE code = p_region AND is_pool) THEN
    RAISE EXCEPTION 'no pooling region "%"', p_region
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Pooling regions are the rows of subsidy.region with is_pool; use their code, such as 220100.';
  END IF;
  IF NOT EXISTS (SELECT FROM subsidy.policy_in_force WHERE year = p_year) THEN
    RAISE EXCEPTION 'no parameter set for subsidy year %', p_year
      USING ERRCODE = 'invalid_parameter_value',
            DETAIL = 'Every assessment reads the parameters in force for its year (subsidy.policy_year), and none covers this one.',
            HINT = 'Insert the year''s parameters into subsidy.policy_year (or open the year), then assess it.';
  END IF;
  IF EXISTS (SELECT FROM subsidy.closed_year WHERE year = p_year) THEN
    RAISE EXCEPTION 'subsidy year % is closed', p_year
      USING ERRCODE = 'SBY01',
            DETAIL = 'A closed year keeps its verdicts as they were when it closed.';
  END IF;
  snapshots := subsidy.take_policy_snapshots(p_year, p_region);
  RAISE NOTICE 'assess_year %: parameters in force recorded (% new snapshot(s))', p_year, snapshots;
END
$$;
COMMENT ON FUNCTION subsidy.assess_year_start(integer, text, integer) IS
  'checks and policy snapshots before assess_year runs its batches';

-- The DBA's bulk assessment: every application under review of a year, in committed batches.
-- Calls are schema-qualified and the body has no operators of its own: a procedure that
-- commits cannot carry SET search_path.
CREATE PROCEDURE subsidy.assess_year(p_year integer, p_region text DEFAULT NULL, p_batch_size integer DEFAULT 50000)
LANGUAGE plpgsql AS $$
DECLARE
  b record;
  done bigint := 0;
BEGIN
  PERFORM subsidy.assess_year_start(p_year, p_region, p_batch_size);
  COMMIT;
  FOR b IN SELECT * FROM subsidy.assess_year_batches(p_year, p_region, p_batch_size) LOOP
    done := pg_catalog.int8pl(done, subsidy.assess_batch(p_year, p_region, b.first_id, b.last_id));
    RAISE NOTICE 'assess_year %: batch % stored, % of % applications', p_year, b.batch, done, b.total;
    COMMIT;
  END LOOP;
  RAISE NOTICE 'assess_year %: done, % applications assessed', p_year, done;
END
$$;
COMMENT ON PROCEDURE subsidy.assess_year(integer, text, integer) IS
  'assess every application under review of a subsidy year (and region) and store the results with the parameters used; commits after each batch, reports progress, safe to run again';

-- What-if: per region, what changes if parameters change. Writes nothing.
CREATE FUNCTION subsidy.simulate(p_year integer, p_overrides jsonb)
RETURNS TABLE (region text, region_name text, applications bigint,
               eligible_now bigint, eligible_then bigint, newly_eligible bigint, no_longer_eligible bigint,
               amount_changed bigint, amount_now numeric, amount_then numeric, amount_difference numeric)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  settable constant text[] := ARRAY['standard_rate_large', 'standard_rate_small_micro', 'decapacity_rate',
    'arrears_path_rate', 'layoff_formula', 'layoff_threshold', 'priority_threshold_factor',
    'fund_cover_months', 'fund_balance', 'monthly_fund_expenditure', 'rounding_unit',
    'window_opens', 'window_closes'];
  unknown text;
BEGIN
  IF jsonb_typeof(p_overrides) IS DISTINCT FROM 'object' THEN
    RAISE EXCEPTION 'overrides must be a JSON object of parameter names and values'
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'For example: {"standard_rate_large": 0.6, "regions": {"220100": {"layoff_threshold": 4.0}}}';
  END IF;
  SELECT string_agg(k, ', ') INTO unknown
    FROM (SELECT jsonb_object_keys(p_overrides - 'regions') AS k
          UNION ALL
          SELECT jsonb_object_keys(v) FROM jsonb_each(coalesce(p_overrides -> 'regions', '{}')) AS r(c, v)) s
   WHERE k <> ALL (settable);
  IF unknown IS NOT NULL THEN
    RAISE EXCEPTION 'cannot simulate a change of %', unknown
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Parameters that can change: ' || array_to_string(settable, ', ') || '; per region under "regions".';
  END IF;

  RETURN QUERY
  -- materialized for the reason given at assess_batch: computed once, not per application
  WITH alternative AS MATERIALIZED (
    SELECT p.region AS code,
           jsonb_populate_record(jsonb_populate_record(p, p_overrides - 'regions'),
                                 coalesce(p_overrides -> 'regions' -> p.region, '{}')) AS p
      FROM subsidy.policy_in_force p
     WHERE p.year = p_year
  ), assessed AS MATERIALIZED (
    SELECT a.region AS code, subsidy.assessment(subsidy.verdict_of(a)) AS now,
           subsidy.assessment(subsidy.verdict_of(a, x.p)) AS then
      FROM subsidy.application a JOIN alternative x ON x.code = a.region
     WHERE a.year = p_year AND a.stage NOT IN ('draft', 'withdrawn')
  )
  SELECT s.code, r.name, count(*),
         count(*) FILTER (WHERE (s.now).outcome = 'eligible'),
         count(*) FILTER (WHERE (s.then).outcome = 'eligible'),
         count(*) FILTER (WHERE (s.now).outcome <> 'eligible' AND (s.then).outcome = 'eligible'),
         count(*) FILTER (WHERE (s.now).outcome = 'eligible' AND (s.then).outcome <> 'eligible'),
         count(*) FILTER (WHERE (s.now).amount IS DISTINCT FROM (s.then).amount),
         coalesce(sum((s.now).amount), 0), coalesce(sum((s.then).amount), 0),
         coalesce(sum((s.then).amount), 0) - coalesce(sum((s.now).amount), 0)
    FROM assessed s JOIN subsidy.region r ON r.code = s.code
   GROUP BY s.code, r.name
   ORDER BY s.code;
END
$$;
COMMENT ON FUNCTION subsidy.simulate(integer, jsonb) IS
  'what-if: per region, how many applications and how much money change if parameters change ({"name": value, "regions": {"code": {...}}}); writes nothing';

SELECT pg_catalog.pg_extension_config_dump('subsidy.policy_snapshot', '');
SELECT pg_catalog.pg_extension_config_dump('subsidy.policy_snapshot_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('subsidy.application_verdict', '');
--
-- The working-day calendar (DOMAIN section 9)
--

CREATE TABLE subsidy.calendar (
  day date NOT NULL,
  origin subsidy.origin NOT NULL DEFAULT 'local',
  is_off_day boolean NOT NULL,
  name text NOT NULL CHECK (name <> ''),
  PRIMARY KEY (day, origin),
  CONSTRAINT calendar_finite CHECK (day BETWEEN date '1950-01-01' AND date '2200-12-31')
);
COMMENT ON TABLE subsidy.calendar IS
  'exceptions to Monday-Friday working days, by the State Council''s annual holiday notices: holidays (is_off_day) and weekend days declared working days (调休). A year is loaded when it has a row; a date in any other year is an error. Ships 2018-2026; a local row for a day overrides the shipped one';
COMMENT ON COLUMN subsidy.calendar.day IS 'the day';
COMMENT ON COLUMN subsidy.calendar.is_off_day IS 'true: a holiday that is not worked; false: a weekend day that is worked (调休)';
COMMENT ON COLUMN subsidy.calendar.name IS 'the holiday it belongs to, e.g. 春节';
COMMENT ON COLUMN subsidy.calendar.origin IS 'extension: shipped with subsidy; local: loaded by the DBA';
CREATE TRIGGER calendar_protect_shipped BEFORE INSERT OR UPDATE OR DELETE ON subsidy.calendar
  FOR EACH ROW EXECUTE FUNCTION subsidy.protect_shipped_rows();
SELECT pg_catalog.pg_extension_config_dump('subsidy.calendar', 'WHERE origin = ''local''');

CREATE VIEW subsidy.calendar_in_force AS
SELECT DISTINCT ON (day) day, is_off_day, name, origin
  FROM subsidy.calendar
 ORDER BY day, origin DESC;
COMMENT ON VIEW subsidy.calendar_in_force IS 'the calendar''s exception days, a local row taking precedence over a shipped one';

CREATE FUNCTION subsidy.is_workday(date) RETURNS boolean
  AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION subsidy.is_workday(date) IS
  'whether a day is a working day (工作日) on the State Council''s calendar; an error for a year not loaded';

CREATE FUNCTION subsidy.add_workdays(date, integer) RETURNS date
  AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION subsidy.add_workdays(date, integer) IS
  'the day n working days after the date (before it for negative n; the date itself for 0)';

CREATE FUNCTION subsidy.workdays_between(date, date) RETURNS integer
  AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION subsidy.workdays_between(date, date) IS
  'working days after the first date up to and including the second (negative when the second is earlier)';

CREATE FUNCTION subsidy.publicity_end(date, integer) RETURNS date
  AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION subsidy.publicity_end(date, integer) IS
  'W5: the n-th working day counting from the start, the start included when it is a working day';

CREATE FUNCTION subsidy.today() RETURNS date
  AS 'MODULE_PATHNAME', 'business_today' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION subsidy.today() IS
  'the business date the rules use: current_date, unless a superuser sets subsidy.today (for tests and replaying a year)';
-- The State Council's working-day calendars for 2018-2026 (国务院办公厅关于部分节假日安排的通知):
-- every exception day: statutory holidays on weekdays or extending weekends (is_off_day) and
-- weekend days declared working days (调休). Ordinary weekends are not listed. Copied from
-- DOMAIN's data/cn_calendar.csv, compiled from the public holiday-cn data set (each year's entry
-- links its gov.cn notice) and cross-checked day by day against a second public data set.
INSERT INTO subsidy.calendar (day, is_off_day, name, origin) VALUES
  ('2018-01-01', true, '元旦', 'extension'),
  ('2018-02-11', false, '春节', 'extension'),
  ('2018-02-15', true, '春节', 'extension'),
  ('2018-02-16', true, '春节', 'extension'),
  ('2018-02-17', true, '春节', 'extension'),
  ('2018-02-18', true, '春节', 'extension'),
  ('2018-02-19', true, '春节', 'extension'),
  ('2018-02-20', true, '春节', 'extension'),
  ('2018-02-21', true, '春节', 'extension'),
  ('2018-02-24', false, '春节', 'extension'),
  ('2018-04-05', true, '清明节', 'extension'),
  ('2018-04-06', true, '清明节', 'extension'),
  ('2018-04-07', true, '清明节', 'extension'),
  ('2018-04-08', false, '清明节', 'extension'),
  ('2018-04-28', false, '劳动节', 'extension'),
  ('2018-04-29', true, '劳动节', 'extension'),
  ('2018-04-30', true, '劳动节', 'extension'),
  ('2018-05-01', true, '劳动节', 'extension'),
  ('2018-06-18', true, '端午节', 'extension'),
  ('2018-09-24', true, '中秋节', 'extension'),
  ('2018-09-29', false, '国庆节', 'extension'),
  ('2018-09-30', false, '国庆节', 'extension'),
  ('2018-10-01', true, '国庆节', 'extension'),
  ('2018-10-02', true, '国庆节', 'extension'),
  ('2018-10-03', true, '国庆节', 'extension'),
  ('2018-10-04', true, '国庆节', 'extension'),
  ('2018-10-05', true, '国庆节', 'extension'),
  ('2018-10-06', true, '国庆节', 'extension'),
  ('2018-10-07', true, '国庆节', 'extension'),
  ('2018-12-29', false, '元旦', 'extension'),
  ('2018-12-30', true, '元旦', 'extension'),
  ('2018-12-31', true, '元旦', 'extension'),
  ('2019-01-01', true, '元旦', 'extension'),
  ('2019-02-02', false, '春节', 'extension'),
  ('2019-02-03', false, '春节', 'extension'),
  ('2019-02-04', true, '春节', 'extension'),
  ('2019-02-05', true, '春节', 'extension'),
  ('2019-02-06', true, '春节', 'extension'),
  ('2019-02-07', true, '春节', 'extension'),
  ('2019-02-08', true, '春节', 'extension'),
  ('2019-02-09', true, '春节', 'extension'),
  ('2019-02-10', true, '春节', 'extension'),
  ('2019-04-05', true, '清明节', 'extension'),
  ('2019-04-28', false, '劳动节', 'extension'),
  ('2019-05-01', true, '劳动节', 'extension'),
  ('2019-05-02', true, '劳动节', 'extension'),
  ('2019-05-03', true, '劳动节', 'extension'),
  ('2019-05-04', true, '劳动节', 'extension'),
  ('2019-05-05', false, '劳动节', 'extension'),
  ('2019-06-07', true, '端午节', 'extension'),
  ('2019-09-13', true, '中秋节', 'extension'),
  ('2019-09-29', false, '国庆节', 'extension'),
  ('2019-10-01', true, '国庆节', 'extension'),
  ('2019-10-02', true, '国庆节', 'extension'),
  ('2019-10-03', true, '国庆节', 'extension'),
  ('2019-10-04', true, '国庆节', 'extension'),
  ('2019-10-05', true, '国庆节', 'extension'),
  ('2019-10-06', true, '国庆节', 'extension'),
  ('2019-10-07', true, '国庆节', 'extension'),
  ('2019-10-12', false, '国庆节', 'extension'),
  ('2020-01-01', true, '元旦', 'extension'),
  ('2020-01-19', false, '春节', 'extension'),
  ('2020-01-24', true, '春节', 'extension'),
  ('2020-01-25', true, '春节', 'extension'),
  ('2020-01-26', true, '春节', 'extension'),
  ('2020-01-27', true, '春节', 'extension'),
  ('2020-01-28', true, '春节', 'extension'),
  ('2020-01-29', true, '春节', 'extension'),
  ('2020-01-30', true, '春节', 'extension'),
  ('2020-01-31', true, '春节', 'extension'),
  ('2020-02-01', true, '春节', 'extension'),
  ('2020-02-02', true, '春节', 'extension'),
  ('2020-04-04', true, '清明节', 'extension'),
  ('2020-04-05', true, '清明节', 'extension'),
  ('2020-04-06', true, '清明节', 'extension'),
  ('2020-04-26', false, '劳动节', 'extension'),
  ('2020-05-01', true, '劳动节', 'extension'),
  ('2020-05-02', true, '劳动节', 'extension'),
  ('2020-05-03', true, '劳动节', 'extension'),
  ('2020-05-04', true, '劳动节', 'extension'),
  ('2020-05-05', true, '劳动节', 'extension'),
  ('2020-05-09', false, '劳动节', 'extension'),
  ('2020-06-25', true, '端午节', 'extension'),
  ('2020-06-26', true, '端午节', 'extension'),
  ('2020-06-27', true, '端午节', 'extension'),
  ('2020-06-28', false, '端午节', 'extension'),
  ('2020-09-27', false, '国庆节、中秋节', 'extension'),
  ('2020-10-01', true, '国庆节、中秋节', 'extension'),
  ('2020-10-02', true, '国庆节、中秋节', 'extension'),
  ('2020-10-03', true, '国庆节、中秋节', 'extension'),
  ('2020-10-04', true, '国庆节、中秋节', 'extension'),
  ('2020-10-05', true, '国庆节、中秋节', 'extension'),
  ('2020-10-06', true, '国庆节、中秋节', 'extension'),
  ('2020-10-07', true, '国庆节、中秋节', 'extension'),
  ('2020-10-08', true, '国庆节、中秋节', 'extension'),
  ('2020-10-10', false, '国庆节、中秋节', 'extension'),
  ('2021-01-01', true, '元旦', 'extension'),
  ('2021-01-02', true, '元旦', 'extension'),
  ('2021-01-03', true, '元旦', 'extension'),
  ('2021-02-07', false, '春节', 'extension'),
  ('2021-02-11', true, '春节', 'extension'),
  ('2021-02-12', true, '春节', 'extension'),
  ('2021-02-13', true, '春节', 'extension'),
  ('2021-02-14', true, '春节', 'extension'),
  ('2021-02-15', true, '春节', 'extension'),
  ('2021-02-16', true, '春节', 'extension'),
  ('2021-02-17', true, '春节', 'extension'),
  ('2021-02-20', false, '春节', 'extension'),
  ('2021-04-03', true, '清明节', 'extension'),
  ('2021-04-04', true, '清明节', 'extension'),
  ('2021-04-05', true, '清明节', 'extension'),
  ('2021-04-25', false, '劳动节', 'extension'),
  ('2021-05-01', true, '劳动节', 'extension'),
  ('2021-05-02', true, '劳动节', 'extension'),
  ('2021-05-03', true, '劳动节', 'extension'),
  ('2021-05-04', true, '劳动节', 'extension'),
  ('2021-05-05', true, '劳动节', 'extension'),
  ('2021-05-08', false, '劳动节', 'extension'),
  ('2021-06-12', true, '端午节', 'extension'),
  ('2021-06-13', true, '端午节', 'extension'),
  ('2021-06-14', true, '端午节', 'extension'),
  ('2021-09-18', false, '中秋节', 'extension'),
  ('2021-09-19', true, '中秋节', 'extension'),
  ('2021-09-20', true, '中秋节', 'extension'),
  ('2021-09-21', true, '中秋节', 'extension'),
  ('2021-09-26', false, '国庆节', 'extension'),
  ('2021-10-01', true, '国庆节', 'extension'),
  ('2021-10-02', true, '国庆节', 'extension'),
  ('2021-10-03', true, '国庆节', 'extension'),
  ('2021-10-04', true, '国庆节', 'extension'),
  ('2021-10-05', true, '国庆节', 'extension'),
  ('2021-10-06', true, '国庆节', 'extension'),
  ('2021-10-07', true, '国庆节', 'extension'),
  ('2021-10-09', false, '国庆节', 'extension'),
  ('2022-01-01', true, '元旦', 'extension'),
  ('2022-01-02', true, '元旦', 'extension'),
  ('2022-01-03', true, '元旦', 'extension'),
  ('2022-01-29', false, '春节', 'extension'),
  ('2022-01-30', false, '春节', 'extension'),
  ('2022-01-31', true, '春节', 'extension'),
  ('2022-02-01', true, '春节', 'extension'),
  ('2022-02-02', true, '春节', 'extension'),
  ('2022-02-03', true, '春节', 'extension'),
  ('2022-02-04', true, '春节', 'extension'),
  ('2022-02-05', true, '春节', 'extension'),
  ('2022-02-06', true, '春节', 'extension'),
  ('2022-04-02', false, '清明节', 'extension'),
  ('2022-04-03', true, '清明节', 'extension'),
  ('2022-04-04', true, '清明节', 'extension'),
  ('2022-04-05', true, '清明节', 'extension'),
  ('2022-04-24', false, '劳动节', 'extension'),
  ('2022-04-30', true, '劳动节', 'extension'),
  ('2022-05-01', true, '劳动节', 'extension'),
  ('2022-05-02', true, '劳动节', 'extension'),
  ('2022-05-03', true, '劳动节', 'extension'),
  ('2022-05-04', true, '劳动节', 'extension'),
  ('2022-05-07', false, '劳动节', 'extension'),
  ('2022-06-03', true, '端午节', 'extension'),
  ('2022-06-04', true, '端午节', 'extension'),
  ('2022-06-05', true, '端午节', 'extension'),
  ('2022-09-10', true, '中秋节', 'extension'),
  ('2022-09-11', true, '中秋节', 'extension'),
  ('2022-09-12', true, '中秋节', 'extension'),
  ('2022-10-01', true, '国庆节', 'extension'),
  ('2022-10-02', true, '国庆节', 'extension'),
  ('2022-10-03', true, '国庆节', 'extension'),
  ('2022-10-04', true, '国庆节', 'extension'),
  ('2022-10-05', true, '国庆节', 'extension'),
  ('2022-10-06', true, '国庆节', 'extension'),
  ('2022-10-07', true, '国庆节', 'extension'),
  ('2022-10-08', false, '国庆节', 'extension'),
  ('2022-10-09', false, '国庆节', 'extension'),
  ('2022-12-31', true, '元旦', 'extension'),
  ('2023-01-01', true, '元旦', 'extension'),
  ('2023-01-02', true, '元旦', 'extension'),
  ('2023-01-21', true, '春节', 'extension'),
  ('2023-01-22', true, '春节', 'extension'),
  ('2023-01-23', true, '春节', 'extension'),
  ('2023-01-24', true, '春节', 'extension'),
  ('2023-01-25', true, '春节', 'extension'),
  ('2023-01-26', true, '春节', 'extension'),
  ('2023-01-27', true, '春节', 'extension'),
  ('2023-01-28', false, '春节', 'extension'),
  ('2023-01-29', false, '春节', 'extension'),
  ('2023-04-05', true, '清明节', 'extension'),
  ('2023-04-23', false, '劳动节', 'extension'),
  ('2023-04-29', true, '劳动节', 'extension'),
  ('2023-04-30', true, '劳动节', 'extension'),
  ('2023-05-01', true, '劳动节', 'extension'),
  ('2023-05-02', true, '劳动节', 'extension'),
  ('2023-05-03', true, '劳动节', 'extension'),
  ('2023-05-06', false, '劳动节', 'extension'),
  ('2023-06-22', true, '端午节', 'extension'),
  ('2023-06-23', true, '端午节', 'extension'),
  ('2023-06-24', true, '端午节', 'extension'),
  ('2023-06-25', false, '端午节', 'extension'),
  ('2023-09-29', true, '中秋节、国庆节', 'extension'),
  ('2023-09-30', true, '中秋节、国庆节', 'extension'),
  ('2023-10-01', true, '中秋节、国庆节', 'extension'),
  ('2023-10-02', true, '中秋节、国庆节', 'extension'),
  ('2023-10-03', true, '中秋节、国庆节', 'extension'),
  ('2023-10-04', true, '中秋节、国庆节', 'extension'),
  ('2023-10-05', true, '中秋节、国庆节', 'extension'),
  ('2023-10-06', true, '中秋节、国庆节', 'extension'),
  ('2023-10-07', false, '中秋节、国庆节', 'extension'),
  ('2023-10-08', false, '中秋节、国庆节', 'extension'),
  ('2024-01-01', true, '元旦', 'extension'),
  ('2024-02-04', false, '春节', 'extension'),
  ('2024-02-10', true, '春节', 'extension'),
  ('2024-02-11', true, '春节', 'extension'),
  ('2024-02-12', true, '春节', 'extension'),
  ('2024-02-13', true, '春节', 'extension'),
  ('2024-02-14', true, '春节', 'extension'),
  ('2024-02-15', true, '春节', 'extension'),
  ('2024-02-16', true, '春节', 'extension'),
  ('2024-02-17', true, '春节', 'extension'),
  ('2024-02-18', false, '春节', 'extension'),
  ('2024-04-04', true, '清明节', 'extension'),
  ('2024-04-05', true, '清明节', 'extension'),
  ('2024-04-06', true, '清明节', 'extension'),
  ('2024-04-07', false, '清明节', 'extension'),
  ('2024-04-28', false, '劳动节', 'extension'),
  ('2024-05-01', true, '劳动节', 'extension'),
  ('2024-05-02', true, '劳动节', 'extension'),
  ('2024-05-03', true, '劳动节', 'extension'),
  ('2024-05-04', true, '劳动节', 'extension'),
  ('2024-05-05', true, '劳动节', 'extension'),
  ('2024-05-11', false, '劳动节', 'extension'),
  ('2024-06-10', true, '端午节', 'extension'),
  ('2024-09-14', false, '中秋节', 'extension'),
  ('2024-09-15', true, '中秋节', 'extension'),
  ('2024-09-16', true, '中秋节', 'extension'),
  ('2024-09-17', true, '中秋节', 'extension'),
  ('2024-09-29', false, '国庆节', 'extension'),
  ('2024-10-01', true, '国庆节', 'extension'),
  ('2024-10-02', true, '国庆节', 'extension'),
  ('2024-10-03', true, '国庆节', 'extension'),
  ('2024-10-04', true, '国庆节', 'extension'),
  ('2024-10-05', true, '国庆节', 'extension'),
  ('2024-10-06', true, '国庆节', 'extension'),
  ('2024-10-07', true, '国庆节', 'extension'),
  ('2024-10-12', false, '国庆节', 'extension'),
  ('2025-01-01', true, '元旦', 'extension'),
  ('2025-01-26', false, '春节', 'extension'),
  ('2025-01-28', true, '春节', 'extension'),
  ('2025-01-29', true, '春节', 'extension'),
  ('2025-01-30', true, '春节', 'extension'),
  ('2025-01-31', true, '春节', 'extension'),
  ('2025-02-01', true, '春节', 'extension'),
  ('2025-02-02', true, '春节', 'extension'),
  ('2025-02-03', true, '春节', 'extension'),
  ('2025-02-04', true, '春节', 'extension'),
  ('2025-02-08', false, '春节', 'extension'),
  ('2025-04-04', true, '清明节', 'extension'),
  ('2025-04-05', true, '清明节', 'extension'),
  ('2025-04-06', true, '清明节', 'extension'),
  ('2025-04-27', false, '劳动节', 'extension'),
  ('2025-05-01', true, '劳动节', 'extension'),
  ('2025-05-02', true, '劳动节', 'extension'),
  ('2025-05-03', true, '劳动节', 'extension'),
  ('2025-05-04', true, '劳动节', 'extension'),
  ('2025-05-05', true, '劳动节', 'extension'),
  ('2025-05-31', true, '端午节', 'extension'),
  ('2025-06-01', true, '端午节', 'extension'),
  ('2025-06-02', true, '端午节', 'extension'),
  ('2025-09-28', false, '国庆节、中秋节', 'extension'),
  ('2025-10-01', true, '国庆节、中秋节', 'extension'),
  ('2025-10-02', true, '国庆节、中秋节', 'extension'),
  ('2025-10-03', true, '国庆节、中秋节', 'extension'),
  ('2025-10-04', true, '国庆节、中秋节', 'extension'),
  ('2025-10-05', true, '国庆节、中秋节', 'extension'),
  ('2025-10-06', true, '国庆节、中秋节', 'extension'),
  ('2025-10-07', true, '国庆节、中秋节', 'extension'),
  ('2025-10-08', true, '国庆节、中秋节', 'extension'),
  ('2025-10-11', false, '国庆节、中秋节', 'extension'),
  ('2026-01-01', true, '元旦', 'extension'),
  ('2026-01-02', true, '元旦', 'extension'),
  ('2026-01-03', true, '元旦', 'extension'),
  ('2026-01-04', false, '元旦', 'extension'),
  ('2026-02-14', false, '春节', 'extension'),
  ('2026-02-15', true, '春节', 'extension'),
  ('2026-02-16', true, '春节', 'extension'),
  ('2026-02-17', true, '春节', 'extension'),
  ('2026-02-18', true, '春节', 'extension'),
  ('2026-02-19', true, '春节', 'extension'),
  ('2026-02-20', true, '春节', 'extension'),
  ('2026-02-21', true, '春节', 'extension'),
  ('2026-02-22', true, '春节', 'extension'),
  ('2026-02-23', true, '春节', 'extension'),
  ('2026-02-28', false, '春节', 'extension'),
  ('2026-04-04', true, '清明节', 'extension'),
  ('2026-04-05', true, '清明节', 'extension'),
  ('2026-04-06', true, '清明节', 'extension'),
  ('2026-05-01', true, '劳动节', 'extension'),
  ('2026-05-02', true, '劳动节', 'extension'),
  ('2026-05-03', true, '劳动节', 'extension'),
  ('2026-05-04', true, '劳动节', 'extension'),
  ('2026-05-05', true, '劳动节', 'extension'),
  ('2026-05-09', false, '劳动节', 'extension'),
  ('2026-06-19', true, '端午节', 'extension'),
  ('2026-06-20', true, '端午节', 'extension'),
  ('2026-06-21', true, '端午节', 'extension'),
  ('2026-09-20', false, '国庆节', 'extension'),
  ('2026-09-25', true, '中秋节', 'extension'),
  ('2026-09-26', true, '中秋节', 'extension'),
  ('2026-09-27', true, '中秋节', 'extension'),
  ('2026-10-01', true, '国庆节', 'extension'),
  ('2026-10-02', true, '国庆节', 'extension'),
  ('2026-10-03', true, '国庆节', 'extension'),
  ('2026-10-04', true, '国庆节', 'extension'),
  ('2026-10-05', true, '国庆节', 'extension'),
  ('2026-10-06', true, '国庆节', 'extension'),
  ('2026-10-07', true, '国庆节', 'extension'),
  ('2026-10-10', false, '国庆节', 'extension');
--
-- The review workflow: roles and regions, stages enforced by triggers, the audit trail
-- (DOMAIN sections 2, 3, 8, 11)
--

-- Views read their tables with their owner's rights, so row-level security does not reach
-- through them (security_invoker views arrived only in PostgreSQL 15): every view that shows
-- regional rows filters them by the caller's regions itself, once per query.

-- Staff recorded as related to an enterprise do not sign its review (section 11).
CREATE TABLE subsidy.staff_relation (
  staff name NOT NULL,
  uscc subsidy.uscc NOT NULL REFERENCES subsidy.enterprise (uscc),
  relation text NOT NULL CHECK (relation <> ''),
  PRIMARY KEY (staff, uscc)
);
COMMENT ON TABLE subsidy.staff_relation IS
  'section 11 (利益输送): staff recorded as related to an enterprise (a relative, a former employer, a shareholding) cannot sign its review';
COMMENT ON COLUMN subsidy.staff_relation.staff IS 'a role name (a reviewer)';
COMMENT ON COLUMN subsidy.staff_relation.uscc IS 'the enterprise';
COMMENT ON COLUMN subsidy.staff_relation.relation IS 'the relation on record (e.g. a spouse is its finance manager)';

-- Documents a submission must carry (annexes 1 and 2); a DBA adds the region's own.
CREATE TABLE subsidy.required_document (
  code text PRIMARY KEY CHECK (code ~ '^[a-z0-9_]+$'),
  name_zh text NOT NULL,
  required boolean NOT NULL DEFAULT true,
  origin subsidy.origin NOT NULL DEFAULT 'local'
);
COMMENT ON TABLE subsidy.required_document IS
  'documents an application carries (application.documents holds their codes); submission needs every required one (W2)';
COMMENT ON COLUMN subsidy.required_document.code IS 'the document''s code, as listed in application.documents';
COMMENT ON COLUMN subsidy.required_document.name_zh IS 'its name in the notice';
COMMENT ON COLUMN subsidy.required_document.required IS 'whether submission needs it (W2)';
COMMENT ON COLUMN subsidy.required_document.origin IS 'extension: shipped with subsidy (read-only); local: added by the DBA';
CREATE TRIGGER required_document_protect_shipped BEFORE INSERT OR UPDATE OR DELETE ON subsidy.required_document
  FOR EACH ROW EXECUTE FUNCTION subsidy.protect_shipped_rows();
INSERT INTO subsidy.required_document (code, name_zh, origin) VALUES
  ('annex1_materials', '企业申请稳岗补贴材料（附件1）', 'extension'),
  ('annex2_form', '年度失业保险稳岗补贴申请表（附件2）', 'extension');

-- The joint review's sign-offs (W3), one per agency and review round.
CREATE TYPE subsidy.agency AS ENUM ('hrss', 'agency', 'finance');
COMMENT ON TYPE subsidy.agency IS 'the three parties of the joint review: hrss (人社), the agency (社保经办), finance (财政)';

CREATE TABLE subsidy.sign_off (
  application_id bigint NOT NULL REFERENCES subsidy.application (id),
  review_round integer NOT NULL,
  agency subsidy.agency NOT NULL,
  passed boolean NOT NULL,
  comment text,
  signed_by name NOT NULL DEFAULT CURRENT_USER,
  signed_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
  PRIMARY KEY (application_id, review_round, agency),
  CONSTRAINT sign_off_failure_explained CHECK (passed OR (comment IS NOT NULL AND comment <> ''))
);
COMMENT ON TABLE subsidy.sign_off IS
  'W3: each agency''s sign-off on its part of the joint review, per review round; a decision needs all three, and a failed one carries its reason';
COMMENT ON COLUMN subsidy.sign_off.application_id IS 'the application reviewed';
COMMENT ON COLUMN subsidy.sign_off.review_round IS 'the review round (a new round after an objection)';
COMMENT ON COLUMN subsidy.sign_off.agency IS 'which party signs: hrss, agency or finance';
COMMENT ON COLUMN subsidy.sign_off.passed IS 'the party''s conclusion on its part';
COMMENT ON COLUMN subsidy.sign_off.comment IS 'its reasons (required when it fails)';
COMMENT ON COLUMN subsidy.sign_off.signed_by IS 'who signed (the login)';
COMMENT ON COLUMN subsidy.sign_off.signed_at IS 'when';
CREATE FUNCTION subsidy.sign_off_guard() RETURNS trigger AS 'MODULE_PATHNAME' LANGUAGE C;
COMMENT ON FUNCTION subsidy.sign_off_guard() IS
  'trigger: each agency signs only its own part, in review, in the current round, and not when related to the enterprise; never deleted';
CREATE TRIGGER sign_off_guard BEFORE INSERT OR UPDATE OR DELETE ON subsidy.sign_off
  FOR EACH ROW EXECUTE FUNCTION subsidy.sign_off_guard();

-- Publicity periods (W5): a start, and the end the calendar gives.
CREATE TABLE subsidy.publicity (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  region text NOT NULL REFERENCES subsidy.region (code),
  year integer NOT NULL,
  starts_on date NOT NULL,
  ends_on date NOT NULL,
  workdays integer NOT NULL CHECK (workdays >= 7),
  started_by name NOT NULL DEFAULT SESSION_USER,
  started_at timestamptz NOT NULL DEFAULT pg_catalog.now()
);
COMMENT ON TABLE subsidy.publicity IS
  'W5 公示: a publicity period of a region''s decided list; it ends on its n-th working day counting the start, n from the parameters (at least 7)';
COMMENT ON COLUMN subsidy.publicity.id IS 'the publicity''s number';
COMMENT ON COLUMN subsidy.publicity.region IS 'the pooling region';
COMMENT ON COLUMN subsidy.publicity.year IS 'the subsidy year';
COMMENT ON COLUMN subsidy.publicity.starts_on IS 'its first day (today or later when started)';
COMMENT ON COLUMN subsidy.publicity.workdays IS 'its length in working days (the parameter in force, at least 7)';
COMMENT ON COLUMN subsidy.publicity.ends_on IS 'its last day: the workdays-th working day counting the start (W5); computed, never entered';
COMMENT ON COLUMN subsidy.publicity.started_at IS 'when it was started';
COMMENT ON COLUMN subsidy.publicity.started_by IS 'who started it';
CREATE INDEX publicity_region_year ON subsidy.publicity (region, year);
ALTER TABLE subsidy.application ADD FOREIGN KEY (publicity_id) REFERENCES subsidy.publicity (id);

CREATE FUNCTION subsidy.publicity_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  n integer;
BEGIN
  IF subsidy.restoring() THEN
    RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
  END IF;
  IF TG_OP <> 'INSERT' THEN
    RAISE EXCEPTION 'a publicity period is never changed or removed once started'
      USING ERRCODE = 'SBW05',
            DETAIL = 'What was published, and when, is part of the record (W5).';
  END IF;
  n := (SELECT p.publicity_workdays FROM subsidy.policy_in_force p
         WHERE p.year = NEW.year AND p.region = NEW.region);
  IF n IS NULL THEN
    RAISE EXCEPTION 'no parameters for region % in %', NEW.region, NEW.year USING ERRCODE = 'SBW05';
  END IF;
  IF NEW.starts_on < subsidy.today() THEN
    RAISE EXCEPTION 'a publicity cannot start in the past (% is before today, %)', NEW.starts_on, subsidy.today()
      USING ERRCODE = 'SBW05',
            DETAIL = 'A publicity runs its full working days from the day it is published (W5).',
            HINT = 'Start it today or later.';
  END IF;
  NEW.workdays := n;
  NEW.ends_on := subsidy.publicity_end(NEW.starts_on, n);
  NEW.started_by := SESSION_USER;
  NEW.started_at := now();
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION subsidy.publicity_guard() IS
  'trigger: a publicity ends on the calendar''s n-th working day, starts no earlier than today, and is never changed';
CREATE TRIGGER publicity_guard BEFORE INSERT OR UPDATE OR DELETE ON subsidy.publicity
  FOR EACH ROW EXECUTE FUNCTION subsidy.publicity_guard();

-- Objections raised during publicity, or against a rejection (W4, W6).
CREATE TABLE subsidy.objection (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  application_id bigint NOT NULL REFERENCES subsidy.application (id),
  review_round integer NOT NULL,
  text text NOT NULL CHECK (text <> ''),
  raised_on date NOT NULL,
  recorded_by name NOT NULL DEFAULT SESSION_USER,
  resolved_on date
);
COMMENT ON TABLE subsidy.objection IS
  'W6 异议: an objection to an application during its publicity (or to its rejection, W4); it sends the application back to review, and a new decision needs a new publicity';
COMMENT ON COLUMN subsidy.objection.id IS 'the objection''s number';
COMMENT ON COLUMN subsidy.objection.application_id IS 'the application objected to';
COMMENT ON COLUMN subsidy.objection.review_round IS 'the review round it was raised in';
COMMENT ON COLUMN subsidy.objection.text IS 'what was objected, as received';
COMMENT ON COLUMN subsidy.objection.raised_on IS 'the business date it was raised (within publicity, W6)';
COMMENT ON COLUMN subsidy.objection.recorded_by IS 'who recorded it';
COMMENT ON COLUMN subsidy.objection.resolved_on IS 'when a new review round took it up (empty: open, and the application cannot clear)';
CREATE INDEX objection_application ON subsidy.objection (application_id);

CREATE FUNCTION subsidy.objection_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF subsidy.restoring() THEN
    RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
  END IF;
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'an objection is never deleted' USING ERRCODE = 'SBW06';
  ELSIF TG_OP = 'UPDATE' AND (NEW.application_id, NEW.review_round, NEW.text, NEW.raised_on, NEW.recorded_by)
        IS DISTINCT FROM (OLD.application_id, OLD.review_round, OLD.text, OLD.raised_on, OLD.recorded_by) THEN
    RAISE EXCEPTION 'an objection is recorded as raised; only its resolution is added'
      USING ERRCODE = 'SBW06';
  ELSIF TG_OP = 'INSERT' THEN
    NEW.review_round := (SELECT a.review_round FROM subsidy.application a WHERE a.id = NEW.application_id);
    NEW.raised_on := subsidy.today();
    NEW.recorded_by := SESSION_USER;
    NEW.resolved_on := NULL;
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION subsidy.objection_guard() IS 'trigger: objections are recorded once and never removed';
CREATE TRIGGER objection_guard BEFORE INSERT OR UPDATE OR DELETE ON subsidy.objection
  FOR EACH ROW EXECUTE FUNCTION subsidy.objection_guard();

-- Upward reports (W8): a batch sent to the national real-name system.
CREATE TABLE subsidy.report_batch (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  region text NOT NULL REFERENCES subsidy.region (code),
  year integer NOT NULL,
  reference text NOT NULL CHECK (reference <> ''),
  reported_on date NOT NULL,
  reported_by name NOT NULL DEFAULT SESSION_USER,
  UNIQUE (region, year, reference)
);
COMMENT ON TABLE subsidy.report_batch IS
  'W8 上报: a batch of payments reported to hrss and up to the national real-name system (稳岗补贴实名制信息系统)';
COMMENT ON COLUMN subsidy.report_batch.id IS 'the batch''s number';
COMMENT ON COLUMN subsidy.report_batch.region IS 'the pooling region';
COMMENT ON COLUMN subsidy.report_batch.year IS 'the subsidy year';
COMMENT ON COLUMN subsidy.report_batch.reference IS 'the reference of the report upward (unique)';
COMMENT ON COLUMN subsidy.report_batch.reported_on IS 'the business date it was reported';
COMMENT ON COLUMN subsidy.report_batch.reported_by IS 'who reported it';
ALTER TABLE subsidy.application ADD FOREIGN KEY (report_batch_id) REFERENCES subsidy.report_batch (id);

-- Spot checks (W11): seeded, reproducible draws and their results, which feed E10.
CREATE TABLE subsidy.spot_check_draw (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  region text NOT NULL REFERENCES subsidy.region (code),
  year integer NOT NULL,
  seed text NOT NULL,
  sample_size integer NOT NULL CHECK (sample_size > 0),
  drawn_on date NOT NULL,
  drawn_by name NOT NULL DEFAULT SESSION_USER
);
COMMENT ON TABLE subsidy.spot_check_draw IS
  'W11 实地抽查: a draw of applications for on-site checks; the same seed over the same applications draws the same sample';
COMMENT ON COLUMN subsidy.spot_check_draw.id IS 'the draw''s number';
COMMENT ON COLUMN subsidy.spot_check_draw.region IS 'the pooling region';
COMMENT ON COLUMN subsidy.spot_check_draw.year IS 'the subsidy year';
COMMENT ON COLUMN subsidy.spot_check_draw.sample_size IS 'how many applications were drawn';
COMMENT ON COLUMN subsidy.spot_check_draw.seed IS 'the seed: the same seed draws the same sample';
COMMENT ON COLUMN subsidy.spot_check_draw.drawn_on IS 'the business date of the draw';
COMMENT ON COLUMN subsidy.spot_check_draw.drawn_by IS 'who drew it';

CREATE TABLE subsidy.spot_check_item (
  draw_id bigint NOT NULL REFERENCES subsidy.spot_check_draw (id),
  application_id bigint NOT NULL REFERENCES subsidy.application (id),
  result subsidy.spot_check_result NOT NULL DEFAULT 'pending',
  notes text,
  checked_on date,
  PRIMARY KEY (draw_id, application_id)
);
COMMENT ON TABLE subsidy.spot_check_item IS 'W11: each application drawn, and what the check found (E10)';
COMMENT ON COLUMN subsidy.spot_check_item.draw_id IS 'the draw';
COMMENT ON COLUMN subsidy.spot_check_item.application_id IS 'the application drawn';
COMMENT ON COLUMN subsidy.spot_check_item.result IS 'what the check found (empty: not yet checked)';
COMMENT ON COLUMN subsidy.spot_check_item.notes IS 'the inspector''s notes';
COMMENT ON COLUMN subsidy.spot_check_item.checked_on IS 'when it was checked';

-- The audit trail (W9): one hash chain per region, append-only for every role.
CREATE TABLE subsidy.audit_log (
  region text NOT NULL,
  seq bigint NOT NULL,
  at timestamptz NOT NULL,
  actor text NOT NULL,
  acting_role text NOT NULL,
  application_id bigint,
  uscc text,
  action text NOT NULL,
  from_stage text,
  to_stage text,
  detail text,
  figures json,
  prev_hash bytea NOT NULL,
  hash bytea NOT NULL,
  PRIMARY KEY (region, seq)
);
COMMENT ON TABLE subsidy.audit_log IS
  'W9 全程留痕: every transition, sign-off and change in review, as it happened (who, when, from, to, why, the figures then); one SHA-256 chain per region; nobody can change it, and subsidy.verify_audit() finds any break';
COMMENT ON COLUMN subsidy.audit_log.seq IS 'position in the region''s chain, from 1';
COMMENT ON COLUMN subsidy.audit_log.actor IS 'the session''s login';
COMMENT ON COLUMN subsidy.audit_log.acting_role IS 'the role it acted as (after SET ROLE)';
COMMENT ON COLUMN subsidy.audit_log.action IS 'transition, sign_off or review (a change of facts or confirmed figures after submission)';
COMMENT ON COLUMN subsidy.audit_log.detail IS 'the reason: an objection''s text, a sign-off''s comment';
COMMENT ON COLUMN subsidy.audit_log.region IS 'the pooling region whose chain the entry is in';
COMMENT ON COLUMN subsidy.audit_log.at IS 'when: the start of the statement that made the step';
COMMENT ON COLUMN subsidy.audit_log.application_id IS 'the application concerned';
COMMENT ON COLUMN subsidy.audit_log.uscc IS 'its enterprise''s code, as it was then';
COMMENT ON COLUMN subsidy.audit_log.from_stage IS 'the stage before a transition';
COMMENT ON COLUMN subsidy.audit_log.to_stage IS 'the stage after it';
COMMENT ON COLUMN subsidy.audit_log.figures IS 'the figures known at that moment (transitions; an absent key is an empty figure) or the changes as [old, new] (review)';
COMMENT ON COLUMN subsidy.audit_log.prev_hash IS 'hash of the entry before it in the region''s chain (zeros for the first)';
COMMENT ON COLUMN subsidy.audit_log.hash IS 'SHA-256 over prev_hash and every field of the entry';

CREATE FUNCTION subsidy.audit_log_guard() RETURNS trigger AS 'MODULE_PATHNAME' LANGUAGE C;
COMMENT ON FUNCTION subsidy.audit_log_guard() IS
  'trigger: the audit log takes appends from subsidy''s own triggers only, and no update, delete or truncate from anyone';
CREATE TRIGGER audit_log_guard BEFORE INSERT OR UPDATE OR DELETE ON subsidy.audit_log
  FOR EACH ROW EXECUTE FUNCTION subsidy.audit_log_guard();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON subsidy.audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION subsidy.audit_log_guard();

CREATE FUNCTION subsidy.lock_audit_chain(region text) RETURNS void
  AS 'MODULE_PATHNAME', 'audit_chain_lock' LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;
COMMENT ON FUNCTION subsidy.lock_audit_chain(text) IS
  'lock a region''s audit chain until the end of the transaction; every entry point takes it before any row, so that steps take their locks in one order (since 1.1)';

CREATE FUNCTION subsidy.verify_audit()
RETURNS TABLE (region text, seq bigint, application_id bigint, problem text)
  AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL RESTRICTED ROWS 10;
COMMENT ON FUNCTION subsidy.verify_audit() IS
  'W9: every break in the audit chains (a changed, missing or reordered entry) and every application whose stage its log does not explain; no rows when the trail is intact';

CREATE VIEW subsidy.audit_head AS
SELECT DISTINCT ON (l.region) l.region, l.seq, l.at, pg_catalog.encode(l.hash, 'hex') AS hash
  FROM subsidy.audit_log l
 WHERE ((SELECT subsidy.sees_every_region(current_user)) OR l.region = ANY ((SELECT subsidy.regions_of(current_user))::text[]))
 ORDER BY l.region, l.seq DESC;
COMMENT ON VIEW subsidy.audit_head IS
  'the last entry of each region''s audit chain: keep these hashes outside the database (the annual report does) to make even a superuser''s rewrite of the chain visible';

-- 1.1: one application's trail, as a clerk answers an enterprise that asks where its
-- application stands and who did what (W9), and the index that makes it quick.
CREATE INDEX audit_log_application ON subsidy.audit_log (application_id);

CREATE FUNCTION subsidy.application_history(p_id bigint)
RETURNS TABLE (at timestamptz, actor text, acting_role text, action text, from_stage text, to_stage text,
               detail text, figures json)
LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  SELECT l.at, l.actor, l.acting_role, l.action, l.from_stage, l.to_stage, l.detail, l.figures
    FROM subsidy.audit_log l
   WHERE l.application_id = p_id
     AND ((SELECT subsidy.sees_every_region(current_user))
          OR l.region = ANY ((SELECT subsidy.regions_of(current_user))::text[]))
   ORDER BY l.region, l.seq
$$;
COMMENT ON FUNCTION subsidy.application_history(bigint) IS
  'W9: the trail of one application, step by step (who, when, from, to, why, the figures then), in the caller''s regions (since 1.1)';

-- The stage guard on applications (W1-W8): C, BEFORE ROW, named to run after application_facts.
CREATE FUNCTION subsidy.application_guard() RETURNS trigger AS 'MODULE_PATHNAME' LANGUAGE C;
COMMENT ON FUNCTION subsidy.application_guard() IS
  'trigger: only the transitions of W1, each by its role and on its conditions; columns change only in their stages and by their roles; every step logged (W9)';
CREATE TRIGGER application_stage_guard BEFORE INSERT OR UPDATE OR DELETE ON subsidy.application
  FOR EACH ROW EXECUTE FUNCTION subsidy.application_guard();

-- Applications that share one bank account (section 11, 骗取套取).
CREATE VIEW subsidy.shared_bank_account AS
SELECT e.bank_account, pg_catalog.count(*) OVER (PARTITION BY e.bank_account) AS enterprises,
       e.uscc::text AS uscc, e.name, e.region
  FROM subsidy.enterprise e
 WHERE e.bank_account IN (SELECT bank_account FROM subsidy.enterprise
                           WHERE bank_account IS NOT NULL AND bank_account <> ''
                           GROUP BY bank_account HAVING pg_catalog.count(*) > 1)
   AND ((SELECT subsidy.sees_every_region(current_user)) OR e.region = ANY ((SELECT subsidy.regions_of(current_user))::text[]));
COMMENT ON VIEW subsidy.shared_bank_account IS
  'section 11: bank accounts that more than one enterprise would be paid into, for review before payment (the caller''s regions)';

-- The review queue (W10): monitored enterprises first, then by submission.
CREATE VIEW subsidy.review_queue AS
SELECT pg_catalog.row_number() OVER (PARTITION BY a.region, a.year
                                     ORDER BY coalesce(a.monitored, false) DESC, a.submitted_on, a.id) AS position,
       a.region, a.year, a.id AS application_id, a.uscc::text AS uscc, e.name,
       coalesce(a.monitored, false) AS monitored, a.stage::text AS stage, a.submitted_on, a.review_round,
       EXISTS (SELECT FROM subsidy.sign_off s WHERE s.application_id = a.id AND s.review_round = a.review_round AND s.agency = 'hrss') AS hrss_signed,
       EXISTS (SELECT FROM subsidy.sign_off s WHERE s.application_id = a.id AND s.review_round = a.review_round AND s.agency = 'agency') AS agency_signed,
       EXISTS (SELECT FROM subsidy.sign_off s WHERE s.application_id = a.id AND s.review_round = a.review_round AND s.agency = 'finance') AS finance_signed,
       v.outcome::text AS outcome, v.missing_facts,
       e.bank_account IN (SELECT bank_account FROM subsidy.shared_bank_account) AS shared_bank_account
  FROM subsidy.application a
  JOIN subsidy.enterprise e ON e.uscc OPERATOR(subsidy.=) a.uscc
  LEFT JOIN LATERAL subsidy.assess(a) v ON true
 WHERE a.stage IN ('submitted', 'in_review')
   AND ((SELECT subsidy.sees_every_region(current_user)) OR a.region = ANY ((SELECT subsidy.regions_of(current_user))::text[]))
 ORDER BY a.region, a.year, position;
COMMENT ON VIEW subsidy.review_queue IS
  'W10: applications awaiting review, enterprises in unemployment dynamic monitoring (绿色通道) first, with their sign-offs, the engine''s outcome and the section 11 flags';
--
-- Entry points of the workflow. Each takes one step with the caller's rights; the stage
-- guard checks every rule, so a plain UPDATE of the stage meets the same refusals.
--

-- The caller's application, or an error that says it is not one of theirs.
CREATE FUNCTION subsidy.application_for(p_id bigint) RETURNS subsidy.application
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  a subsidy.application;
BEGIN
  SELECT * INTO a FROM subsidy.application WHERE id = p_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no application % in the regions of role %', p_id, current_user
      USING ERRCODE = 'no_data_found',
            HINT = 'Each role sees the applications of its own pooling regions (subsidy.staff_region).';
  END IF;
  RETURN a;
END
$$;
COMMENT ON FUNCTION subsidy.application_for(bigint) IS 'an application the caller may see, or an error saying it is not in their regions';

-- Move one application to a stage.  The region's audit chain is locked before the row, as
-- every entry point does, so that steps on one application and steps over a region take
-- their locks in one order.  A step already taken (by another clerk at the same moment,
-- say) is refused, not reported as done again.
CREATE FUNCTION subsidy.move(p_id bigint, p_stage subsidy.stage) RETURNS subsidy.application
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  a subsidy.application := subsidy.application_for(p_id);
  moved subsidy.application;
BEGIN
  PERFORM subsidy.lock_audit_chain(a.region);
  UPDATE subsidy.application SET stage = p_stage WHERE id = p_id AND stage <> p_stage RETURNING * INTO moved;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'application % is % already', p_id, p_stage
      USING ERRCODE = 'SBW01',
            DETAIL = 'That step was taken before (perhaps by another clerk at the same moment); nothing was done again (W1).',
            HINT = format('Its trail says who took it: SELECT * FROM subsidy.application_history(%s).', p_id);
  END IF;
  RETURN moved;
END
$$;
COMMENT ON FUNCTION subsidy.move(bigint, subsidy.stage) IS 'move an application to a stage; the stage guard decides whether it may go';

CREATE FUNCTION subsidy.submit(p_id bigint) RETURNS subsidy.application
LANGUAGE sql SET search_path = pg_catalog, pg_temp AS $$ SELECT subsidy.move(p_id, 'submitted') $$;
COMMENT ON FUNCTION subsidy.submit(bigint) IS
  'W2: submit a draft inside the region''s window; every missing required item is named at once';

CREATE FUNCTION subsidy.withdraw(p_id bigint) RETURNS subsidy.application
LANGUAGE sql SET search_path = pg_catalog, pg_temp AS $$ SELECT subsidy.move(p_id, 'withdrawn') $$;
COMMENT ON FUNCTION subsidy.withdraw(bigint) IS 'W1: the applicant withdraws a draft or a submission before review';

CREATE FUNCTION subsidy.start_review(p_id bigint) RETURNS subsidy.application
LANGUAGE sql SET search_path = pg_catalog, pg_temp AS $$ SELECT subsidy.move(p_id, 'in_review') $$;
COMMENT ON FUNCTION subsidy.start_review(bigint) IS 'W3: hrss starts the joint review of a submission, after the window closes';

CREATE FUNCTION subsidy.start_review(p_region text, p_year integer) RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  n bigint;
BEGIN
  PERFORM subsidy.lock_audit_chain(p_region);
  UPDATE subsidy.application SET stage = 'in_review'
   WHERE region = p_region AND year = p_year AND stage = 'submitted';
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END
$$;
COMMENT ON FUNCTION subsidy.start_review(text, integer) IS
  'W3: hrss starts the joint review of every submission of a region and year; returns how many';

-- W3: an agency signs its part, in the application's current round; signing again replaces it.
CREATE FUNCTION subsidy.sign_off(p_id bigint, p_agency subsidy.agency, p_passed boolean, p_comment text DEFAULT NULL)
RETURNS subsidy.sign_off
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  a subsidy.application := subsidy.application_for(p_id);
  s subsidy.sign_off;
BEGIN
  PERFORM subsidy.lock_audit_chain(a.region);
  -- Not INSERT ... ON CONFLICT: its BEFORE INSERT trigger would log a sign-off that then
  -- becomes an update, and the update would be logged again.
  LOOP
    UPDATE subsidy.sign_off SET passed = p_passed, comment = p_comment
     WHERE application_id = p_id AND review_round = a.review_round AND agency = p_agency
    RETURNING * INTO s;
    EXIT WHEN FOUND;
    BEGIN
      INSERT INTO subsidy.sign_off (application_id, review_round, agency, passed, comment)
      VALUES (p_id, a.review_round, p_agency, p_passed, p_comment)
      RETURNING * INTO s;
      EXIT;
    EXCEPTION WHEN unique_violation THEN
      NULL;   -- signed meanwhile in another session: replace that one
    END;
  END LOOP;
  RETURN s;
END
$$;
COMMENT ON FUNCTION subsidy.sign_off(bigint, subsidy.agency, boolean, text) IS
  'W3: an agency signs off its part of the joint review (a failure needs a comment); only that agency''s role may';

CREATE FUNCTION subsidy.decide(p_id bigint) RETURNS subsidy.application
LANGUAGE sql SET search_path = pg_catalog, pg_temp AS $$ SELECT subsidy.move(p_id, 'decided') $$;
COMMENT ON FUNCTION subsidy.decide(bigint) IS
  'W3: record the joint decision; outcome and amount come from the engine and the three sign-offs, and freeze (A6)';

CREATE FUNCTION subsidy.decide(p_region text, p_year integer)
RETURNS TABLE (decided bigint, approved bigint, rejected bigint, waiting bigint)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  PERFORM subsidy.lock_audit_chain(p_region);
  -- applications with all three sign-offs and every fact known; the rest wait
  RETURN QUERY
  WITH ready AS (
    SELECT a.id FROM subsidy.application a
     WHERE a.region = p_region AND a.year = p_year AND a.stage = 'in_review'
       AND (SELECT count(*) FROM subsidy.sign_off s
             WHERE s.application_id = a.id AND s.review_round = a.review_round) = 3
       AND (subsidy.verdict_of(a)::subsidy.assessment).outcome <> 'undetermined'
  ), moved AS (
    UPDATE subsidy.application a SET stage = 'decided' FROM ready WHERE a.id = ready.id AND a.stage = 'in_review'
    RETURNING a.decision
  )
  SELECT count(*), count(*) FILTER (WHERE m.decision = 'approved'), count(*) FILTER (WHERE m.decision = 'rejected'),
         (SELECT count(*) FROM subsidy.application a
           WHERE a.region = p_region AND a.year = p_year AND a.stage = 'in_review') - count(*)
    FROM moved m;
END
$$;
COMMENT ON FUNCTION subsidy.decide(text, integer) IS
  'W3: decide every application of a region and year that has its three sign-offs and every fact; the others wait';

-- W5: publish a region's approved list for the year, from a start date.
CREATE FUNCTION subsidy.start_publicity(p_region text, p_year integer, p_start date DEFAULT NULL)
RETURNS subsidy.publicity
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  p subsidy.publicity;
  n bigint;
BEGIN
  PERFORM subsidy.lock_audit_chain(p_region);
  IF NOT EXISTS (SELECT FROM subsidy.application
                  WHERE region = p_region AND year = p_year AND stage = 'decided' AND decision = 'approved') THEN
    RAISE EXCEPTION 'region % has no approved application of % waiting to be published', p_region, p_year
      USING ERRCODE = 'SBW05',
            HINT = 'Decide the applications first: subsidy.decide(region, year).';
  END IF;
  INSERT INTO subsidy.publicity (region, year, starts_on, ends_on, workdays)
  VALUES (p_region, p_year, coalesce(p_start, subsidy.today()), coalesce(p_start, subsidy.today()), 7)
  RETURNING * INTO p;
  UPDATE subsidy.application SET stage = 'in_publicity', publicity_id = p.id
   WHERE region = p_region AND year = p_year AND stage = 'decided' AND decision = 'approved';
  GET DIAGNOSTICS n = ROW_COUNT;
  RAISE NOTICE 'publicity % of region % for %: % applications, % to %', p.id, p_region, p_year, n, p.starts_on, p.ends_on;
  RETURN p;
END
$$;
COMMENT ON FUNCTION subsidy.start_publicity(text, integer, date) IS
  'W5: publish a region''s approved applications for the year from a start date (today by default); the end is the n-th working day';

-- W6: record an objection, which takes the application out of publicity (or reopens a rejection).
CREATE FUNCTION subsidy.object(p_id bigint, p_text text) RETURNS subsidy.application
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  a subsidy.application := subsidy.application_for(p_id);
BEGIN
  PERFORM subsidy.lock_audit_chain(a.region);
  a := subsidy.application_for(p_id);   -- as it stands now that the region is ours
  IF a.stage NOT IN ('in_publicity', 'decided') OR (a.stage = 'decided' AND a.decision = 'approved') THEN
    RETURN subsidy.move(p_id, 'objection');   -- the guard says why not
  END IF;
  INSERT INTO subsidy.objection (application_id, review_round, text, raised_on)
  VALUES (p_id, a.review_round, p_text, subsidy.today());
  RETURN subsidy.move(p_id, 'objection');
END
$$;
COMMENT ON FUNCTION subsidy.object(bigint, text) IS
  'W6: record an objection to an application in publicity (or to its rejection, W4); it waits for a new review';

CREATE FUNCTION subsidy.reopen_review(p_id bigint) RETURNS subsidy.application
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  a subsidy.application := subsidy.move(p_id, 'in_review');
BEGIN
  UPDATE subsidy.objection SET resolved_on = subsidy.today()
   WHERE application_id = p_id AND review_round = a.review_round - 1 AND resolved_on IS NULL;
  RETURN a;
END
$$;
COMMENT ON FUNCTION subsidy.reopen_review(bigint) IS
  'W6: an objection reopens review in a new round: new sign-offs, a new decision, a new publicity';

CREATE FUNCTION subsidy.clear(p_id bigint) RETURNS subsidy.application
LANGUAGE sql SET search_path = pg_catalog, pg_temp AS $$ SELECT subsidy.move(p_id, 'cleared') $$;
COMMENT ON FUNCTION subsidy.clear(bigint) IS 'W5: clear an application whose publicity ended without objection, no earlier than the next day';

CREATE FUNCTION subsidy.close_publicity(p_region text, p_year integer) RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  n bigint;
BEGIN
  PERFORM subsidy.lock_audit_chain(p_region);
  UPDATE subsidy.application a SET stage = 'cleared'
    FROM subsidy.publicity p
   WHERE a.region = p_region AND a.year = p_year AND a.stage = 'in_publicity'
     AND p.id = a.publicity_id AND p.ends_on < subsidy.today();
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END
$$;
COMMENT ON FUNCTION subsidy.close_publicity(text, integer) IS
  'W5: clear every application of a region and year whose publicity has ended; returns how many';

-- W7: the agency records a payment: exactly the decided amount, after clearance, once.
CREATE FUNCTION subsidy.pay(p_id bigint, p_paid_on date, p_reference text, p_amount numeric DEFAULT NULL)
RETURNS subsidy.application
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  a subsidy.application := subsidy.application_for(p_id);
BEGIN
  PERFORM subsidy.lock_audit_chain(a.region);
  UPDATE subsidy.application
     SET stage = 'paid', paid_on = p_paid_on, payment_reference = p_reference, paid_amount = p_amount
   WHERE id = p_id
  RETURNING * INTO a;
  RETURN a;
END
$$;
COMMENT ON FUNCTION subsidy.pay(bigint, date, text, numeric) IS
  'W7: the agency records a payment (date, its reference, the amount: the decided one if omitted); only once, only after clearance';

-- W8: report a region's payments of the year upward, as one batch.
CREATE FUNCTION subsidy.report_upward(p_region text, p_year integer, p_reference text)
RETURNS subsidy.report_batch
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  b subsidy.report_batch;
  n bigint;
BEGIN
  PERFORM subsidy.lock_audit_chain(p_region);
  INSERT INTO subsidy.report_batch (region, year, reference, reported_on)
  VALUES (p_region, p_year, p_reference, subsidy.today())
  RETURNING * INTO b;
  UPDATE subsidy.application SET stage = 'reported', report_batch_id = b.id
   WHERE region = p_region AND year = p_year AND stage = 'paid';
  GET DIAGNOSTICS n = ROW_COUNT;
  IF n = 0 THEN
    RAISE EXCEPTION 'region % has no payment of % to report', p_region, p_year
      USING ERRCODE = 'SBW08', HINT = 'Payments are recorded first: subsidy.pay.';
  END IF;
  RAISE NOTICE 'report batch % (%): % payments of region % for %', b.id, p_reference, n, p_region, p_year;
  RETURN b;
END
$$;
COMMENT ON FUNCTION subsidy.report_upward(text, integer, text) IS
  'W8: report the region''s payments of the year to hrss and the national system, as one batch';

-- W11: draw a reproducible sample of a region's applications under review for on-site checks.
CREATE FUNCTION subsidy.draw_spot_checks(p_region text, p_year integer, p_size integer, p_seed text)
RETURNS SETOF subsidy.spot_check_item
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  d subsidy.spot_check_draw;
BEGIN
  PERFORM subsidy.lock_audit_chain(p_region);
  INSERT INTO subsidy.spot_check_draw (region, year, seed, sample_size, drawn_on)
  VALUES (p_region, p_year, p_seed, p_size, subsidy.today())
  RETURNING * INTO d;
  -- the sample: the applications whose seeded hash is smallest, the same for the same seed
  RETURN QUERY
  WITH drawn AS (
    SELECT a.id FROM subsidy.application a
     WHERE a.region = p_region AND a.year = p_year AND a.stage IN ('submitted', 'in_review')
     ORDER BY md5(p_seed || ':' || a.id::text), a.id
     LIMIT p_size
  ), marked AS (
    UPDATE subsidy.application a SET spot_check = 'pending' FROM drawn WHERE a.id = drawn.id
    RETURNING a.id
  )
  INSERT INTO subsidy.spot_check_item (draw_id, application_id)
  SELECT d.id, m.id FROM marked m
  RETURNING *;
END
$$;
COMMENT ON FUNCTION subsidy.draw_spot_checks(text, integer, integer, text) IS
  'W11: draw p_size applications of a region and year for on-site checks; the same seed draws the same sample';

CREATE FUNCTION subsidy.record_spot_check(p_id bigint, p_result subsidy.spot_check_result, p_notes text DEFAULT NULL)
RETURNS subsidy.application
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  a subsidy.application := subsidy.application_for(p_id);
BEGIN
  PERFORM subsidy.lock_audit_chain(a.region);
  IF p_result = 'pending' THEN
    RAISE EXCEPTION 'a spot check''s result is confirmed or false_data' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  UPDATE subsidy.spot_check_item SET result = p_result, notes = p_notes, checked_on = subsidy.today()
   WHERE application_id = p_id AND result = 'pending';
  IF NOT FOUND THEN
    RAISE EXCEPTION 'application % has no pending spot check', p_id
      USING ERRCODE = 'no_data_found', HINT = 'Draw it first: subsidy.draw_spot_checks.';
  END IF;
  UPDATE subsidy.application SET spot_check = p_result WHERE id = p_id RETURNING * INTO a;
  RETURN a;
END
$$;
COMMENT ON FUNCTION subsidy.record_spot_check(bigint, subsidy.spot_check_result, text) IS
  'W11, E10: record what an on-site check found; false data makes the application ineligible';
--
-- Rights: each role its own steps (section 2), each staff member its own regions
-- (row-level security through staff_region), readers no bank or personal details.
--

-- Reference data: everyone reads; the DBA writes; hrss opens years and loads its region's
-- facts for the regions it acts in.
GRANT SELECT ON subsidy.region, subsidy.region_basis_year, subsidy.application_window,
  subsidy.policy_year, subsidy.policy_region, subsidy.policy_in_force, subsidy.calendar,
  subsidy.calendar_in_force, subsidy.rule, subsidy.fact, subsidy.required_document,
  subsidy.policy_snapshot
  TO subsidy_applicant, subsidy_agency, subsidy_hrss, subsidy_finance, subsidy_reader, subsidy_admin;
GRANT INSERT, UPDATE, DELETE ON subsidy.region, subsidy.region_basis_year, subsidy.application_window,
  subsidy.policy_year, subsidy.policy_region, subsidy.calendar, subsidy.required_document,
  subsidy.staff_region, subsidy.staff_relation
  TO subsidy_admin;
GRANT INSERT, UPDATE ON subsidy.region_basis_year, subsidy.application_window TO subsidy_hrss;
GRANT SELECT ON subsidy.staff_region, subsidy.staff_relation TO subsidy_hrss, subsidy_admin;

ALTER TABLE subsidy.region_basis_year ENABLE ROW LEVEL SECURITY;
CREATE POLICY read_all ON subsidy.region_basis_year FOR SELECT USING (true);
CREATE POLICY write_own_regions ON subsidy.region_basis_year FOR ALL
  USING (((SELECT subsidy.sees_every_region(current_user)) OR region = ANY ((SELECT subsidy.regions_of(current_user))::text[])));
ALTER TABLE subsidy.application_window ENABLE ROW LEVEL SECURITY;
CREATE POLICY read_all ON subsidy.application_window FOR SELECT USING (true);
CREATE POLICY write_own_regions ON subsidy.application_window FOR ALL
  USING (((SELECT subsidy.sees_every_region(current_user)) OR region = ANY ((SELECT subsidy.regions_of(current_user))::text[])));

-- Enterprises: readers see no bank account or contact person.
GRANT SELECT (uscc, name, region) ON subsidy.enterprise TO subsidy_reader;
GRANT SELECT ON subsidy.enterprise TO subsidy_applicant, subsidy_agency, subsidy_hrss, subsidy_finance, subsidy_admin;
GRANT INSERT, UPDATE ON subsidy.enterprise TO subsidy_applicant, subsidy_hrss, subsidy_admin;
GRANT SELECT ON subsidy.enterprise_year TO subsidy_applicant, subsidy_agency, subsidy_hrss, subsidy_finance,
  subsidy_reader, subsidy_admin;
GRANT INSERT, UPDATE ON subsidy.enterprise_year TO subsidy_hrss, subsidy_admin;
ALTER TABLE subsidy.enterprise ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_regions ON subsidy.enterprise
  USING (((SELECT subsidy.sees_every_region(current_user)) OR region = ANY ((SELECT subsidy.regions_of(current_user))::text[])));
ALTER TABLE subsidy.enterprise_year ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_regions ON subsidy.enterprise_year
  USING (EXISTS (SELECT FROM subsidy.enterprise e WHERE e.uscc OPERATOR(subsidy.=) enterprise_year.uscc));

-- Applications: everyone with a part reads them; the stage guard says who changes what.
GRANT SELECT ON subsidy.application, subsidy.application_verdict, subsidy.application_assessment,
  subsidy.figure_difference, subsidy.review_queue
  TO subsidy_applicant, subsidy_agency, subsidy_hrss, subsidy_finance, subsidy_reader, subsidy_admin;
GRANT INSERT, DELETE ON subsidy.application TO subsidy_applicant, subsidy_hrss, subsidy_admin;
GRANT UPDATE ON subsidy.application TO subsidy_applicant, subsidy_agency, subsidy_hrss, subsidy_finance, subsidy_admin;
GRANT USAGE ON SEQUENCE subsidy.application_id_seq TO subsidy_applicant, subsidy_hrss, subsidy_admin;
GRANT INSERT, UPDATE ON subsidy.application_verdict, subsidy.policy_snapshot TO subsidy_hrss, subsidy_admin;
GRANT USAGE ON SEQUENCE subsidy.policy_snapshot_id_seq TO subsidy_hrss, subsidy_admin;
ALTER TABLE subsidy.application ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_regions ON subsidy.application
  USING (((SELECT subsidy.sees_every_region(current_user)) OR region = ANY ((SELECT subsidy.regions_of(current_user))::text[])));
ALTER TABLE subsidy.application_verdict ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_regions ON subsidy.application_verdict
  USING (EXISTS (SELECT FROM subsidy.application a WHERE a.id = application_verdict.application_id));

-- The review's records: read by all with a part, written by the agency whose step it is.
GRANT SELECT ON subsidy.sign_off, subsidy.publicity, subsidy.objection, subsidy.report_batch,
  subsidy.spot_check_draw, subsidy.spot_check_item, subsidy.audit_log, subsidy.audit_head,
  subsidy.shared_bank_account
  TO subsidy_agency, subsidy_hrss, subsidy_finance, subsidy_admin;
GRANT SELECT ON subsidy.sign_off, subsidy.publicity, subsidy.objection, subsidy.report_batch,
  subsidy.spot_check_draw, subsidy.spot_check_item, subsidy.audit_log, subsidy.audit_head
  TO subsidy_reader, subsidy_applicant;
GRANT INSERT, UPDATE ON subsidy.sign_off TO subsidy_hrss, subsidy_agency, subsidy_finance;
GRANT INSERT ON subsidy.publicity, subsidy.spot_check_draw, subsidy.spot_check_item TO subsidy_hrss;
GRANT INSERT, UPDATE ON subsidy.objection TO subsidy_hrss;
GRANT UPDATE ON subsidy.spot_check_item TO subsidy_hrss;
GRANT INSERT ON subsidy.report_batch TO subsidy_agency;
GRANT USAGE ON SEQUENCE subsidy.publicity_id_seq, subsidy.objection_id_seq, subsidy.spot_check_draw_id_seq
  TO subsidy_hrss;
GRANT USAGE ON SEQUENCE subsidy.report_batch_id_seq TO subsidy_agency;

ALTER TABLE subsidy.sign_off ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_regions ON subsidy.sign_off
  USING (EXISTS (SELECT FROM subsidy.application a WHERE a.id = sign_off.application_id));
ALTER TABLE subsidy.objection ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_regions ON subsidy.objection
  USING (EXISTS (SELECT FROM subsidy.application a WHERE a.id = objection.application_id));
ALTER TABLE subsidy.spot_check_item ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_regions ON subsidy.spot_check_item
  USING (EXISTS (SELECT FROM subsidy.application a WHERE a.id = spot_check_item.application_id));
ALTER TABLE subsidy.publicity ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_regions ON subsidy.publicity
  USING (((SELECT subsidy.sees_every_region(current_user)) OR region = ANY ((SELECT subsidy.regions_of(current_user))::text[])));
ALTER TABLE subsidy.report_batch ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_regions ON subsidy.report_batch
  USING (((SELECT subsidy.sees_every_region(current_user)) OR region = ANY ((SELECT subsidy.regions_of(current_user))::text[])));
ALTER TABLE subsidy.spot_check_draw ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_regions ON subsidy.spot_check_draw
  USING (((SELECT subsidy.sees_every_region(current_user)) OR region = ANY ((SELECT subsidy.regions_of(current_user))::text[])));
ALTER TABLE subsidy.audit_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_regions ON subsidy.audit_log FOR SELECT
  USING (((SELECT subsidy.sees_every_region(current_user)) OR region = ANY ((SELECT subsidy.regions_of(current_user))::text[])));

-- The DBA's annual procedures and the year's runs.
REVOKE EXECUTE ON PROCEDURE subsidy.assess_year(integer, text, integer) FROM PUBLIC;
GRANT EXECUTE ON PROCEDURE subsidy.assess_year(integer, text, integer) TO subsidy_hrss, subsidy_admin;

-- Data of the workflow that pg_dump keeps.
SELECT pg_catalog.pg_extension_config_dump('subsidy.staff_region', '');
SELECT pg_catalog.pg_extension_config_dump('subsidy.staff_relation', '');
SELECT pg_catalog.pg_extension_config_dump('subsidy.required_document', 'WHERE origin = ''local''');
SELECT pg_catalog.pg_extension_config_dump('subsidy.sign_off', '');
SELECT pg_catalog.pg_extension_config_dump('subsidy.publicity', '');
SELECT pg_catalog.pg_extension_config_dump('subsidy.publicity_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('subsidy.objection', '');
SELECT pg_catalog.pg_extension_config_dump('subsidy.objection_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('subsidy.report_batch', '');
SELECT pg_catalog.pg_extension_config_dump('subsidy.report_batch_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('subsidy.spot_check_draw', '');
SELECT pg_catalog.pg_extension_config_dump('subsidy.spot_check_draw_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('subsidy.spot_check_item', '');
SELECT pg_catalog.pg_extension_config_dump('subsidy.audit_log', '');
--
-- Reports (DOMAIN section 10): for people (Chinese headings, amounts in capitals) and for
-- tools over ODBC (standard SQL types only, every column described).
--

-- R2: amounts in Chinese capitals, by the People's Bank of China rules for bills.
CREATE FUNCTION subsidy.rmb_upper(numeric) RETURNS text
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION subsidy.rmb_upper(numeric) IS
  'R2 人民币大写: an amount in yuan (0 to 9,999,999,999.99, to the fen) in Chinese capitals as bills write them: 人民币壹拾万柒仟元零伍角叁分';

-- Enterprise names sort in pinyin order in the presentation views (ICU's Chinese collation).
CREATE COLLATION subsidy.pinyin (provider = icu, locale = 'zh-u-co-pinyin');
COMMENT ON COLLATION subsidy.pinyin IS 'Chinese in pinyin order (拼音排序), for enterprise names in the reports';

-- The categories of A1-A3 as the reports name them.
CREATE FUNCTION subsidy.category_name(rule text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN rule OPERATOR(pg_catalog.=) 'A1' THEN '一般企业（按实缴）'
              WHEN rule OPERATOR(pg_catalog.=) 'A2' THEN '去产能企业（按应缴）'
              WHEN rule OPERATOR(pg_catalog.=) 'A3' THEN '延期缴费企业（按应缴）' END
$$;
COMMENT ON FUNCTION subsidy.category_name(text) IS
  'the Chinese name of an amount rule: A1 一般企业（按实缴）, A2 去产能企业（按应缴）, A3 延期缴费企业（按应缴）';

-- R1 detail: every application of a year past submission, with the confirmed figures and
-- the decision; what the summary counts, one row each.
CREATE VIEW subsidy.application_list AS
SELECT a.region, r.name AS region_name, a.year, a.id AS application_id, a.uscc::text AS uscc,
       e.name AS enterprise, a.stage::text AS stage, a.submitted_on, a.firm_size::text AS firm_size,
       (a.decapacity::integer) AS is_decapacity, (a.key_supported::integer) AS is_key_supported,
       (a.zombie::integer) AS is_zombie, (a.monitored::integer) AS is_monitored,
       a.confirmed_insured_start AS insured_start, a.confirmed_insured_end AS insured_end,
       a.confirmed_insured_average AS insured_average, a.confirmed_layoffs AS layoffs,
       a.confirmed_premiums_payable AS premiums_payable, a.confirmed_premiums_paid AS premiums_paid,
       a.decision::text AS decision, a.decided_on, a.decided_rule AS category,
       subsidy.category_name(a.decided_rule) AS category_name, a.decided_rate AS rate,
       a.decided_amount AS amount, pg_catalog.array_to_string(a.decided_reasons, '; ') AS reasons,
       a.paid_on, a.paid_amount
  FROM subsidy.application a
  JOIN subsidy.enterprise e ON e.uscc OPERATOR(subsidy.=) a.uscc
  JOIN subsidy.region r ON r.code = a.region
 WHERE a.stage NOT IN ('draft', 'withdrawn')
   AND ((SELECT subsidy.sees_every_region(current_user)) OR a.region = ANY ((SELECT subsidy.regions_of(current_user))::text[]));
COMMENT ON VIEW subsidy.application_list IS
  'R1 申请明细: every application of a year past submission, with its confirmed figures (A5) and decision; the rows behind region_summary (the caller''s regions)';

-- R1: per region and year, the totals of annex 3.
CREATE VIEW subsidy.region_summary AS
SELECT t.region, r.name AS region_name, t.year, t.applied, t.approved, t.rejected, t.awaiting_decision,
       t.rejected_e1, t.rejected_e2, t.rejected_e3, t.rejected_e4, t.rejected_e5, t.rejected_e6, t.rejected_e7,
       t.rejected_e8, t.rejected_e10, t.rejected_in_sign_off, t.insured_covered, t.premiums_payable,
       t.premiums_paid, t.approved_a1, t.approved_a2, t.approved_a3, t.amount_a1, t.amount_a2, t.amount_a3,
       t.amount_total
  FROM (
    SELECT a.region, a.year,
           pg_catalog.count(*)::integer AS applied,
           pg_catalog.count(*) FILTER (WHERE a.decision = 'approved')::integer AS approved,
           pg_catalog.count(*) FILTER (WHERE a.decision = 'rejected')::integer AS rejected,
           pg_catalog.count(*) FILTER (WHERE a.decision IS NULL)::integer AS awaiting_decision,
           pg_catalog.count(*) FILTER (WHERE 'E1' = ANY (a.decided_reasons))::integer AS rejected_e1,
           pg_catalog.count(*) FILTER (WHERE 'E2' = ANY (a.decided_reasons))::integer AS rejected_e2,
           pg_catalog.count(*) FILTER (WHERE 'E3' = ANY (a.decided_reasons))::integer AS rejected_e3,
           pg_catalog.count(*) FILTER (WHERE 'E4' = ANY (a.decided_reasons))::integer AS rejected_e4,
           pg_catalog.count(*) FILTER (WHERE 'E5' = ANY (a.decided_reasons))::integer AS rejected_e5,
           pg_catalog.count(*) FILTER (WHERE 'E6' = ANY (a.decided_reasons))::integer AS rejected_e6,
           pg_catalog.count(*) FILTER (WHERE 'E7' = ANY (a.decided_reasons))::integer AS rejected_e7,
           pg_catalog.count(*) FILTER (WHERE 'E8' = ANY (a.decided_reasons))::integer AS rejected_e8,
           pg_catalog.count(*) FILTER (WHERE 'E10' = ANY (a.decided_reasons))::integer AS rejected_e10,
           pg_catalog.count(*) FILTER (WHERE a.decision = 'rejected'
                                         AND pg_catalog.array_to_string(a.decided_reasons, ' ') ~ '(^| )W3 ')::integer
             AS rejected_in_sign_off,
           coalesce(pg_catalog.sum(a.confirmed_insured_end) FILTER (WHERE a.decision = 'approved'), 0)::integer
             AS insured_covered,
           coalesce(pg_catalog.sum(a.confirmed_premiums_payable) FILTER (WHERE a.decision = 'approved'), 0)::numeric(16,2)
             AS premiums_payable,
           coalesce(pg_catalog.sum(a.confirmed_premiums_paid) FILTER (WHERE a.decision = 'approved'), 0)::numeric(16,2)
             AS premiums_paid,
           pg_catalog.count(*) FILTER (WHERE a.decided_rule = 'A1' AND a.decision = 'approved')::integer AS approved_a1,
           pg_catalog.count(*) FILTER (WHERE a.decided_rule = 'A2' AND a.decision = 'approved')::integer AS approved_a2,
           pg_catalog.count(*) FILTER (WHERE a.decided_rule = 'A3' AND a.decision = 'approved')::integer AS approved_a3,
           coalesce(pg_catalog.sum(a.decided_amount) FILTER (WHERE a.decided_rule = 'A1' AND a.decision = 'approved'), 0)::numeric(16,2)
             AS amount_a1,
           coalesce(pg_catalog.sum(a.decided_amount) FILTER (WHERE a.decided_rule = 'A2' AND a.decision = 'approved'), 0)::numeric(16,2)
             AS amount_a2,
           coalesce(pg_catalog.sum(a.decided_amount) FILTER (WHERE a.decided_rule = 'A3' AND a.decision = 'approved'), 0)::numeric(16,2)
             AS amount_a3,
           coalesce(pg_catalog.sum(a.decided_amount) FILTER (WHERE a.decision = 'approved'), 0)::numeric(16,2) AS amount_total
      FROM subsidy.application a
     WHERE a.stage NOT IN ('draft', 'withdrawn')
       AND ((SELECT subsidy.sees_every_region(current_user)) OR a.region = ANY ((SELECT subsidy.regions_of(current_user))::text[]))
     GROUP BY a.region, a.year
  ) t
  JOIN subsidy.region r ON r.code = t.region;
COMMENT ON VIEW subsidy.region_summary IS
  'R1 年度失业保险稳岗补贴申请汇总表 (annex 3) totals: per region and year, applications, decisions, rejections by rule, insured covered, premiums and amounts by category (the caller''s regions)';

-- R1, as annex 3 is printed: Chinese headings, each region's enterprises in pinyin order and
-- then its totals row (合计).
CREATE VIEW subsidy.annex3 AS
SELECT s.region AS "统筹地区代码", s.region_name AS "统筹地区", s.year AS "补贴年度",
       s.row_number AS "序号", s.enterprise AS "单位名称", s.uscc AS "统一社会信用代码",
       s.category_name AS "企业类别",
       s.insured_start AS "上年初参保人数", s.insured_end AS "上年末参保人数",
       s.insured_average AS "上年度月均参保人数", s.layoffs AS "上年度裁员人数",
       s.premiums_payable AS "上年度应缴失业保险费（元）", s.premiums_paid AS "上年度实缴失业保险费（元）",
       s.amount AS "核定补贴金额（元）", s.result AS "审核结果", s.reasons AS "未通过原因"
  FROM (
    SELECT l.region, l.region_name, l.year, false AS is_total,
           pg_catalog.row_number() OVER (PARTITION BY l.region, l.year
                                         ORDER BY l.enterprise COLLATE subsidy.pinyin, l.uscc)::integer AS row_number,
           l.enterprise, l.uscc, l.category_name, l.insured_start, l.insured_end,
           l.insured_average::numeric(14,2) AS insured_average, l.layoffs,
           l.premiums_payable::numeric(16,2) AS premiums_payable, l.premiums_paid::numeric(16,2) AS premiums_paid,
           l.amount::numeric(16,2) AS amount,
           CASE l.decision WHEN 'approved' THEN '通过' WHEN 'rejected' THEN '不通过' ELSE '审核中' END AS result,
           l.reasons
      FROM subsidy.application_list l
    UNION ALL
    SELECT l.region, l.region_name, l.year, true, NULL, '合计', NULL, NULL,
           pg_catalog.sum(l.insured_start)::integer, pg_catalog.sum(l.insured_end)::integer,
           pg_catalog.sum(l.insured_average)::numeric(14,2), pg_catalog.sum(l.layoffs)::integer,
           pg_catalog.sum(l.premiums_payable)::numeric(16,2), pg_catalog.sum(l.premiums_paid)::numeric(16,2),
           pg_catalog.sum(l.amount)::numeric(16,2),
           pg_catalog.format('通过 %s 户，不通过 %s 户', pg_catalog.count(*) FILTER (WHERE l.decision = 'approved'),
                             pg_catalog.count(*) FILTER (WHERE l.decision = 'rejected')),
           NULL
      FROM subsidy.application_list l
     GROUP BY l.region, l.region_name, l.year
  ) s
 ORDER BY s.year, s.region, s.is_total, s.row_number;
COMMENT ON VIEW subsidy.annex3 IS
  'R1 as annex 3 (附件3 年度失业保险稳岗补贴申请汇总表) is printed: Chinese headings, regions by code, enterprises in pinyin order, then a totals row (合计) per region (the caller''s regions)';

-- R2: the publicity list (公示名单), as hrss publishes it.
CREATE VIEW subsidy.publicity_list AS
SELECT a.region, r.name AS region_name, a.year, e.name AS enterprise, a.uscc::text AS uscc,
       a.decided_rule AS category, subsidy.category_name(a.decided_rule) AS category_name,
       a.decided_amount AS amount, subsidy.rmb_upper(a.decided_amount) AS amount_in_capitals,
       p.starts_on AS publicity_starts_on, p.ends_on AS publicity_ends_on, a.stage::text AS stage
  FROM subsidy.application a
  JOIN subsidy.publicity p ON p.id = a.publicity_id
  JOIN subsidy.enterprise e ON e.uscc OPERATOR(subsidy.=) a.uscc
  JOIN subsidy.region r ON r.code = a.region
 WHERE a.decision = 'approved'
   AND ((SELECT subsidy.sees_every_region(current_user)) OR a.region = ANY ((SELECT subsidy.regions_of(current_user))::text[]))
 ORDER BY a.year, a.region, p.starts_on, e.name COLLATE subsidy.pinyin, a.uscc::text;
COMMENT ON VIEW subsidy.publicity_list IS
  'R2 公示名单: the approved applications as published (W5), with the amount in figures and in capitals (人民币大写), enterprises in pinyin order; an application an objection sent back to review leaves the list until it is published again (the caller''s regions)';

-- R3: the annual implementation report (due 15 January): a row per pooling region, and a
-- row per province whose every pool the caller sees.
CREATE FUNCTION subsidy.annual_report(p_year integer)
RETURNS TABLE (
  level text, region text, region_name text, year integer,
  regions_covered integer, enterprises_applied integer, enterprises_approved integer, employees_covered integer,
  amount_total numeric, amount_a1 numeric, amount_a2 numeric, amount_a3 numeric, amount_paid numeric,
  decapacity_enterprises integer, decapacity_amount numeric, zombies_refused integer,
  spot_checks integer, spot_checks_false_data integer, objections integer,
  days_to_payment_average numeric, days_to_payment_longest integer,
  fund_balance numeric, monthly_fund_expenditure numeric, fund_cover_months numeric)
LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  WITH seen AS (
    SELECT subsidy.regions_of(current_user) AS regions
  ), pool AS (
    SELECT a.region,
           count(*)::integer AS applied,
           count(*) FILTER (WHERE a.decision = 'approved')::integer AS approved,
           coalesce(sum(a.confirmed_insured_end) FILTER (WHERE a.decision = 'approved'), 0)::integer AS employees,
           round(coalesce(sum(a.decided_amount) FILTER (WHERE a.decision = 'approved'), 0), 2) AS amount,
           round(coalesce(sum(a.decided_amount) FILTER (WHERE a.decision = 'approved' AND a.decided_rule = 'A1'), 0), 2) AS a1,
           round(coalesce(sum(a.decided_amount) FILTER (WHERE a.decision = 'approved' AND a.decided_rule = 'A2'), 0), 2) AS a2,
           round(coalesce(sum(a.decided_amount) FILTER (WHERE a.decision = 'approved' AND a.decided_rule = 'A3'), 0), 2) AS a3,
           round(coalesce(sum(a.paid_amount), 0), 2) AS paid,
           count(*) FILTER (WHERE a.decision = 'approved' AND a.decapacity)::integer AS decapacity,
           round(coalesce(sum(a.decided_amount) FILTER (WHERE a.decision = 'approved' AND a.decapacity), 0), 2) AS decapacity_amount,
           count(*) FILTER (WHERE a.decision = 'rejected' AND 'E5' = ANY (a.decided_reasons))::integer AS zombies,
           count(*) FILTER (WHERE a.paid_on IS NOT NULL)::integer AS paid_count,
           round(avg(a.paid_on - a.submitted_on), 1) AS days_average,
           max(a.paid_on - a.submitted_on) AS days_longest
      FROM subsidy.application a
     WHERE a.year = p_year AND a.stage NOT IN ('draft', 'withdrawn')
       AND ((SELECT subsidy.sees_every_region(current_user)) OR a.region = ANY ((SELECT regions FROM seen)::text[]))
     GROUP BY a.region
  ), checks AS (
    SELECT d.region, count(DISTINCT i.application_id)::integer AS items,
           count(DISTINCT i.application_id) FILTER (WHERE i.result = 'false_data')::integer AS false_data
      FROM subsidy.spot_check_draw d JOIN subsidy.spot_check_item i ON i.draw_id = d.id
     WHERE d.year = p_year
     GROUP BY d.region
  ), objections AS (
    SELECT a.region, count(*)::integer AS n
      FROM subsidy.objection o JOIN subsidy.application a ON a.id = o.application_id
     WHERE a.year = p_year
     GROUP BY a.region
  ), pool_row AS (
    SELECT 'pool'::text AS level, p.region, r.name, r.parent, p_year AS year,
           (p.approved > 0)::integer AS covered, p.applied, p.approved, p.employees,
           p.amount, p.a1, p.a2, p.a3, p.paid, p.decapacity, p.decapacity_amount, p.zombies,
           coalesce(c.items, 0) AS checks, coalesce(c.false_data, 0) AS false_data, coalesce(o.n, 0) AS objections,
           p.paid_count, p.days_average, p.days_longest, f.fund_balance, f.monthly_fund_expenditure
      FROM pool p
      JOIN subsidy.region r ON r.code = p.region
      LEFT JOIN checks c ON c.region = p.region
      LEFT JOIN objections o ON o.region = p.region
      LEFT JOIN subsidy.region_basis_year f ON f.region = p.region AND f.basis_year = p_year - 1
  )
  SELECT level, region, name, year, covered, applied, approved, employees, amount, a1, a2, a3, paid,
         decapacity, decapacity_amount, zombies, checks, false_data, objections, days_average, days_longest,
         fund_balance, monthly_fund_expenditure,
         round(fund_balance / nullif(monthly_fund_expenditure, 0), 2)
    FROM pool_row
  UNION ALL
  SELECT 'province', pr.code, pr.name, p_year, sum(covered)::integer, sum(applied)::integer, sum(approved)::integer,
         sum(employees)::integer, sum(amount), sum(a1), sum(a2), sum(a3), sum(paid),
         sum(decapacity)::integer, sum(decapacity_amount), sum(zombies)::integer, sum(checks)::integer,
         sum(false_data)::integer, sum(objections)::integer,
         round(sum(days_average * paid_count) FILTER (WHERE paid_count > 0) / nullif(sum(paid_count), 0), 1),
         max(days_longest), sum(fund_balance), sum(monthly_fund_expenditure),
         round(sum(fund_balance) / nullif(sum(monthly_fund_expenditure), 0), 2)
    FROM pool_row w
    JOIN subsidy.region pr ON pr.code = w.parent
   WHERE NOT EXISTS (SELECT FROM subsidy.region q
                      WHERE q.parent = pr.code AND q.is_pool
                        AND q.code <> ALL ((SELECT regions FROM seen)::text[]))
   GROUP BY pr.code, pr.name
   ORDER BY 1 DESC, 2
$$;
COMMENT ON FUNCTION subsidy.annual_report(integer) IS
  'R3 年度稳岗补贴实施情况报告 (due 15 January): per pooling region, and per province whose pools the caller all sees: regions covered, enterprises, employees, amounts by category and paid, decapacity support, zombies refused, spot checks, objections, days from application to payment, fund cover';

-- R3 as reported: a frozen copy of each region's row, so that a correction made later shows
-- as a difference instead of silently changing what was reported.
CREATE TABLE subsidy.annual_report_frozen (
  year integer NOT NULL,
  region text NOT NULL REFERENCES subsidy.region (code),
  version integer NOT NULL CHECK (version >= 1),
  frozen_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
  frozen_by text NOT NULL DEFAULT session_user,
  reason text,
  report jsonb NOT NULL,
  PRIMARY KEY (year, region, version),
  CONSTRAINT annual_report_frozen_correction_says_why CHECK (version = 1 OR reason IS NOT NULL)
);
COMMENT ON TABLE subsidy.annual_report_frozen IS
  'R3 as reported: each region''s (and province''s) annual report row as it stood when frozen; a corrected report is a new version with its reason; rows are never changed';
COMMENT ON COLUMN subsidy.annual_report_frozen.year IS 'the subsidy year reported';
COMMENT ON COLUMN subsidy.annual_report_frozen.region IS 'the pooling region, or the province for its totals row';
COMMENT ON COLUMN subsidy.annual_report_frozen.version IS '1 for the report as first sent; 2 and on for corrected reports';
COMMENT ON COLUMN subsidy.annual_report_frozen.frozen_at IS 'when it was frozen';
COMMENT ON COLUMN subsidy.annual_report_frozen.frozen_by IS 'who froze it (the login)';
COMMENT ON COLUMN subsidy.annual_report_frozen.reason IS 'why a corrected version was sent (required from version 2)';
COMMENT ON COLUMN subsidy.annual_report_frozen.report IS 'the row of annual_report(year) as it stood, column by column';
SELECT pg_catalog.pg_extension_config_dump('subsidy.annual_report_frozen', '');

CREATE FUNCTION subsidy.refuse_change_of_frozen_report() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF subsidy.restoring() AND TG_OP = 'INSERT' THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'a frozen annual report is never changed: % is refused', lower(TG_OP)
    USING ERRCODE = 'SBP03',
          DETAIL = 'What was reported stays as it was reported (R3).',
          HINT = 'Send a corrected report: CALL subsidy.freeze_annual_report(year, ''the reason'').';
END
$$;
COMMENT ON FUNCTION subsidy.refuse_change_of_frozen_report() IS
  'trigger: a frozen annual report row is never updated or deleted, and the table never truncated';
CREATE TRIGGER annual_report_frozen_immutable BEFORE UPDATE OR DELETE ON subsidy.annual_report_frozen
  FOR EACH ROW EXECUTE FUNCTION subsidy.refuse_change_of_frozen_report();
CREATE TRIGGER annual_report_frozen_no_truncate BEFORE TRUNCATE ON subsidy.annual_report_frozen
  FOR EACH STATEMENT EXECUTE FUNCTION subsidy.refuse_change_of_frozen_report();

-- R3: freeze the report of a year: the first time, every row not yet frozen; a correction
-- (with its reason) freezes a new version of every row.
CREATE PROCEDURE subsidy.freeze_annual_report(p_year integer, p_reason text DEFAULT NULL)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  frozen integer;
  already integer;
BEGIN
  IF p_year IS NULL THEN
    RAISE EXCEPTION 'freeze_annual_report needs the year to freeze' USING ERRCODE = '22004';
  END IF;
  IF p_reason IS NOT NULL AND btrim(p_reason) = '' THEN
    RAISE EXCEPTION 'a corrected report says why it was corrected' USING ERRCODE = '22023',
      HINT = 'Give the reason in words, e.g. ''长春市 2 户补贴金额经复核更正''.';
  END IF;
  SELECT count(*) INTO already FROM subsidy.annual_report_frozen f
   WHERE f.year = p_year
     AND f.region IN (SELECT r.region FROM subsidy.annual_report(p_year) r);
  INSERT INTO subsidy.annual_report_frozen (year, region, version, reason, report)
  SELECT p_year, r.region,
         coalesce((SELECT max(f.version) FROM subsidy.annual_report_frozen f
                    WHERE f.year = p_year AND f.region = r.region), 0) + 1,
         p_reason, to_jsonb(r)
    FROM subsidy.annual_report(p_year) r
   WHERE p_reason IS NOT NULL
      OR NOT EXISTS (SELECT FROM subsidy.annual_report_frozen f WHERE f.year = p_year AND f.region = r.region);
  GET DIAGNOSTICS frozen = ROW_COUNT;
  IF frozen = 0 AND already > 0 THEN
    RAISE EXCEPTION 'the annual report of % is frozen already', p_year USING ERRCODE = 'SBP03',
      DETAIL = format('%s row(s) were frozen before; what was reported stays as it was reported (R3).', already),
      HINT = format('To send a corrected report, give the reason: CALL subsidy.freeze_annual_report(%s, ''the reason'').', p_year);
  ELSIF frozen = 0 THEN
    RAISE EXCEPTION 'there is no annual report of % to freeze', p_year USING ERRCODE = 'SBP03',
      DETAIL = 'No application of that year in your regions has been submitted.';
  END IF;
  RAISE NOTICE 'annual report %: % row(s) frozen%', p_year, frozen,
    CASE WHEN p_reason IS NULL THEN '' ELSE ' as a corrected version' END;
END
$$;
COMMENT ON PROCEDURE subsidy.freeze_annual_report(integer, text) IS
  'R3: freeze the annual report of a year as sent; with a reason, freeze a corrected version';

-- R3: what has changed since the report was frozen, field by field.
CREATE FUNCTION subsidy.annual_report_changes(p_year integer)
RETURNS TABLE (region text, version integer, field text, as_reported text, now text)
LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  SELECT f.region, f.version, k.key, f.report ->> k.key, to_jsonb(r) ->> k.key
    FROM (SELECT DISTINCT ON (g.region) g.region, g.version, g.report FROM subsidy.annual_report_frozen g
           WHERE g.year = p_year ORDER BY g.region, g.version DESC) f
    LEFT JOIN subsidy.annual_report(p_year) r ON r.region = f.region
   CROSS JOIN LATERAL jsonb_object_keys(f.report) AS k(key)
   WHERE (f.report -> k.key) IS DISTINCT FROM (to_jsonb(r) -> k.key)
   ORDER BY 1, 3
$$;
COMMENT ON FUNCTION subsidy.annual_report_changes(integer) IS
  'R3: every figure of the latest frozen annual report of a year that differs from the report as it stands now';

-- R4 多角度分析: views that answer the notice's questions for government decisions.
CREATE VIEW subsidy.analysis_by_category AS
SELECT l.year, l.region, l.region_name, l.category, l.category_name,
       pg_catalog.count(*)::integer AS enterprises,
       coalesce(pg_catalog.sum(l.insured_end), 0)::integer AS employees_covered,
       pg_catalog.sum(l.amount)::numeric(16,2) AS amount,
       (pg_catalog.sum(l.amount) / nullif(pg_catalog.sum(l.insured_end), 0))::numeric(12,2) AS amount_per_employee
  FROM subsidy.application_list l
 WHERE l.decision = 'approved'
 GROUP BY l.year, l.region, l.region_name, l.category, l.category_name;
COMMENT ON VIEW subsidy.analysis_by_category IS
  'R4 按补贴类别: how many enterprises and employees each amount rule (A1 standard, A2 decapacity, A3 arrears path) supports, and with how much money, per region and year';

CREATE VIEW subsidy.analysis_by_firm_size AS
SELECT l.year, l.region, l.region_name, coalesce(l.firm_size, 'unknown') AS firm_size,
       CASE l.firm_size WHEN 'large' THEN '大型企业' WHEN 'small_micro' THEN '中小微企业' ELSE '未知' END AS firm_size_name,
       pg_catalog.count(*)::integer AS applied,
       pg_catalog.count(*) FILTER (WHERE l.decision = 'approved')::integer AS approved,
       coalesce(pg_catalog.sum(l.amount) FILTER (WHERE l.decision = 'approved'), 0)::numeric(16,2) AS amount
  FROM subsidy.application_list l
 GROUP BY l.year, l.region, l.region_name, l.firm_size;
COMMENT ON VIEW subsidy.analysis_by_firm_size IS
  'R4 按企业规模: do large and small-and-micro firms apply and succeed alike, and what do they receive, per region and year';

CREATE VIEW subsidy.analysis_by_layoff_band AS
SELECT l.year, l.region, l.region_name, b.band, b.band_order,
       pg_catalog.count(*)::integer AS applied,
       pg_catalog.count(*) FILTER (WHERE l.decision = 'approved')::integer AS approved,
       pg_catalog.count(*) FILTER (WHERE l.decision = 'rejected' AND l.reasons ~ '(^|; )E2(;|$)')::integer AS rejected_for_layoffs
  FROM subsidy.application_list l
  JOIN subsidy.application a ON a.id = l.application_id
  CROSS JOIN LATERAL (SELECT (subsidy.assess(a)).layoff_rate AS rate) r
  CROSS JOIN LATERAL (SELECT CASE WHEN r.rate IS NULL THEN '未知' WHEN r.rate = 0 THEN '0'
                                  WHEN r.rate < 1 THEN '0–1%' WHEN r.rate < 2 THEN '1–2%'
                                  WHEN r.rate < 3 THEN '2–3%' WHEN r.rate < 5 THEN '3–5%' ELSE '≥5%' END AS band,
                             CASE WHEN r.rate IS NULL THEN 9 WHEN r.rate = 0 THEN 0 WHEN r.rate < 1 THEN 1
                                  WHEN r.rate < 2 THEN 2 WHEN r.rate < 3 THEN 3 WHEN r.rate < 5 THEN 4 ELSE 5 END AS band_order) b
 GROUP BY l.year, l.region, l.region_name, b.band, b.band_order;
COMMENT ON VIEW subsidy.analysis_by_layoff_band IS
  'R4 按裁员率分段: how layoffs are spread among applicants and where the E2 threshold cuts, per region and year (the rate by the year''s formula, in per cent)';

CREATE VIEW subsidy.analysis_fund_sufficiency AS
SELECT p.year, p.region, r.name AS region_name, p.fund_balance::numeric(16,2) AS fund_balance,
       p.monthly_fund_expenditure::numeric(16,2) AS monthly_fund_expenditure,
       round(p.fund_balance / nullif(p.monthly_fund_expenditure, 0), 2)::numeric(8,2) AS months_of_cover,
       p.fund_cover_months::numeric(4,1) AS months_required,
       coalesce(s.amount_total, 0)::numeric(16,2) AS amount_decided,
       round(coalesce(s.amount_total, 0) * 100 / nullif(p.fund_balance, 0), 2)::numeric(8,2) AS amount_share_of_balance_pct
  FROM subsidy.policy_in_force p
  JOIN subsidy.region r ON r.code = p.region
  LEFT JOIN subsidy.region_summary s ON s.region = p.region AND s.year = p.year
 WHERE p.fund_balance IS NOT NULL
   AND ((SELECT subsidy.sees_every_region(current_user)) OR p.region = ANY ((SELECT subsidy.regions_of(current_user))::text[]));
COMMENT ON VIEW subsidy.analysis_fund_sufficiency IS
  'R4 统筹地区基金保障能力: can each region''s fund afford the year (E7''s months of cover) and what share of its balance the decided amounts take';

CREATE VIEW subsidy.analysis_figure_differences AS
SELECT d.year, d.region, r.name AS region_name, d.figure,
       pg_catalog.count(*)::integer AS applications_differing,
       pg_catalog.sum(d.declared)::numeric(16,2) AS declared_total,
       pg_catalog.sum(d.confirmed)::numeric(16,2) AS confirmed_total
  FROM subsidy.figure_difference d
  JOIN subsidy.region r ON r.code = d.region
 GROUP BY d.year, d.region, r.name, d.figure;
COMMENT ON VIEW subsidy.analysis_figure_differences IS
  'R4 信息比对: which declared figures differ from the confirmed ones (A5), how often and by how much, per region and year: where declarations need checking';

-- Every column of every report says what it holds, in Chinese and English: report tools show
-- these as the columns' remarks.  A column with no description here stops the install.
DO $$
DECLARE
  generic jsonb := '{
    "region": "统筹地区代码 / pooling region code (GB/T 2260, or NNXnnn)",
    "region_name": "统筹地区 / pooling region",
    "year": "补贴年度 / subsidy year (its figures are those of the year before)",
    "application_id": "申请编号 / application number",
    "uscc": "统一社会信用代码 / the enterprise''s Unified Social Credit Code",
    "enterprise": "单位名称 / enterprise name",
    "stage": "办理环节 / review stage (W1)",
    "submitted_on": "申报日期 / date submitted",
    "firm_size": "企业规模 / firm size: large, small_micro (unknown where not known)",
    "firm_size_name": "企业规模 / firm size, in Chinese",
    "is_decapacity": "去产能企业 / decapacity enterprise: 1 yes, 0 no, empty unknown",
    "is_key_supported": "政府重点支持企业 / key-supported enterprise: 1 yes, 0 no, empty unknown",
    "is_zombie": "僵尸企业 / zombie enterprise: 1 yes, 0 no, empty unknown",
    "is_monitored": "失业动态监测企业 / in unemployment dynamic monitoring: 1 yes, 0 no, empty unknown",
    "insured_start": "上年初参保人数 / insured at the start of the basis year, as confirmed",
    "insured_end": "上年末参保人数 / insured at the end of the basis year, as confirmed",
    "insured_average": "上年度月均参保人数 / average monthly insured in the basis year, as confirmed",
    "layoffs": "上年度裁员人数 / layoffs in the basis year, as confirmed",
    "premiums_payable": "上年度应缴失业保险费（元） / premiums payable in the basis year, yuan, as confirmed",
    "premiums_paid": "上年度实缴失业保险费（元） / premiums actually paid in the basis year, yuan, as confirmed",
    "decision": "审核结论 / approved or rejected (empty: not yet decided)",
    "decided_on": "决定日期 / date decided",
    "category": "补贴类别 / the amount rule: A1, A2 or A3",
    "category_name": "补贴类别 / the amount rule, in Chinese",
    "rate": "补贴比例 / share of the basis granted (0.5 = 50 %)",
    "amount": "核定补贴金额（元） / decided amount, yuan",
    "reasons": "未通过原因 / why rejected: rule ids, and the failed sign-offs'' reasons",
    "paid_on": "发放日期 / date paid",
    "paid_amount": "发放金额（元） / amount paid, yuan",
    "applied": "申请户数 / applications submitted",
    "approved": "通过户数 / applications approved",
    "enterprises": "企业户数 / enterprises approved",
    "employees_covered": "覆盖职工人数 / employees covered: insured at the end of the basis year in approved enterprises"
  }';
  specific jsonb := '{
    "region_summary": {
      "rejected": "未通过户数 / applications rejected",
      "awaiting_decision": "待审户数 / applications not yet decided",
      "rejected_e1": "因E1未通过 / rejected under E1: premiums not paid in full",
      "rejected_e2": "因E2未通过 / rejected under E2: layoff rate not below the threshold",
      "rejected_e3": "因E3未通过 / rejected under E3: financial management",
      "rejected_e4": "因E4未通过 / rejected under E4: industrial and environmental policy",
      "rejected_e5": "因E5未通过 / rejected under E5: zombie enterprise",
      "rejected_e6": "因E6未通过 / rejected under E6: last year''s subsidy misused",
      "rejected_e7": "因E7未通过 / rejected under E7: the region''s fund cover",
      "rejected_e8": "因E8未通过 / rejected under E8: outside the window",
      "rejected_e10": "因E10未通过 / rejected under E10: false data found by a spot check",
      "rejected_in_sign_off": "联合审核未通过 / rejected because a party''s sign-off failed (W3)",
      "insured_covered": "覆盖职工人数 / employees covered: insured at the end of the basis year in approved enterprises",
      "premiums_payable": "应缴失业保险费合计（元） / premiums payable of approved enterprises, yuan",
      "premiums_paid": "实缴失业保险费合计（元） / premiums paid of approved enterprises, yuan",
      "approved_a1": "A1通过户数 / approved under A1 (standard)",
      "approved_a2": "A2通过户数 / approved under A2 (decapacity)",
      "approved_a3": "A3通过户数 / approved under A3 (arrears path)",
      "amount_a1": "A1补贴金额（元） / amount under A1, yuan",
      "amount_a2": "A2补贴金额（元） / amount under A2, yuan",
      "amount_a3": "A3补贴金额（元） / amount under A3, yuan",
      "amount_total": "补贴金额合计（元） / total amount decided, yuan"},
    "publicity_list": {
      "amount_in_capitals": "金额大写 / the amount in Chinese capitals (人民币大写)",
      "publicity_starts_on": "公示开始日期 / first day of publicity",
      "publicity_ends_on": "公示截止日期 / last day of publicity (the n-th working day)"},
    "analysis_by_category": {
      "amount": "补贴金额（元） / amount decided, yuan",
      "amount_per_employee": "人均补贴金额（元） / amount per employee covered, yuan"},
    "analysis_by_firm_size": {
      "amount": "补贴金额（元） / amount decided, yuan"},
    "analysis_by_layoff_band": {
      "band": "裁员率分段 / layoff-rate band, in per cent (未知: a figure is missing)",
      "band_order": "分段序号 / the band''s place, for sorting",
      "rejected_for_layoffs": "因裁员率未通过户数 / rejected under E2"},
    "analysis_fund_sufficiency": {
      "fund_balance": "基金结余（元） / fund balance at the end of the basis year, yuan",
      "monthly_fund_expenditure": "月均基金支出（元） / monthly fund expenditure in the basis year, yuan",
      "months_of_cover": "可支付月数 / months of expenditure the balance covers",
      "months_required": "要求月数 / months of cover E7 requires",
      "amount_decided": "核定补贴金额（元） / amount decided this year, yuan",
      "amount_share_of_balance_pct": "占基金结余比例（%） / the amount as a share of the balance, per cent"},
    "analysis_figure_differences": {
      "figure": "比对项目 / the figure compared (as named in application)",
      "applications_differing": "不一致户数 / applications whose declared figure differs from the confirmed one",
      "declared_total": "申报数合计 / declared figures, summed",
      "confirmed_total": "核实数合计 / confirmed figures, summed"},
    "annex3": {
      "统筹地区代码": "region: pooling region code",
      "统筹地区": "region_name: pooling region",
      "补贴年度": "year: subsidy year",
      "序号": "row number within the region, in pinyin order of names (empty on the totals row)",
      "单位名称": "enterprise name; 合计 on the region''s totals row",
      "统一社会信用代码": "uscc: the enterprise''s Unified Social Credit Code",
      "企业类别": "category: the amount rule, in Chinese",
      "上年初参保人数": "insured at the start of the basis year, as confirmed",
      "上年末参保人数": "insured at the end of the basis year, as confirmed",
      "上年度月均参保人数": "average monthly insured in the basis year, as confirmed",
      "上年度裁员人数": "layoffs in the basis year, as confirmed",
      "上年度应缴失业保险费（元）": "premiums payable in the basis year, yuan, as confirmed",
      "上年度实缴失业保险费（元）": "premiums actually paid in the basis year, yuan, as confirmed",
      "核定补贴金额（元）": "decided amount, yuan",
      "审核结果": "通过 approved, 不通过 rejected, 审核中 in review; on the totals row the counts",
      "未通过原因": "why rejected: rule ids and the failed sign-offs'' reasons"}
  }';
  v text;
  c record;
  said text;
BEGIN
  FOREACH v IN ARRAY ARRAY['application_list', 'region_summary', 'annex3', 'publicity_list',
                           'analysis_by_category', 'analysis_by_firm_size', 'analysis_by_layoff_band',
                           'analysis_fund_sufficiency', 'analysis_figure_differences'] LOOP
    FOR c IN SELECT a.attname FROM pg_catalog.pg_attribute a
              WHERE a.attrelid = pg_catalog.format('subsidy.%I', v)::regclass AND a.attnum > 0
              ORDER BY a.attnum LOOP
      said := coalesce(specific -> v ->> c.attname::text, generic ->> c.attname::text);
      IF said IS NULL THEN
        RAISE EXCEPTION 'report column subsidy.%.% has no description', v, c.attname;
      END IF;
      EXECUTE pg_catalog.format('COMMENT ON COLUMN subsidy.%I.%I IS %L', v, c.attname, said);
    END LOOP;
  END LOOP;
END
$$;

-- Reports are read by every role, the reader included, each in its regions; the frozen
-- annual report is written by hrss and the DBA.
GRANT SELECT ON subsidy.application_list, subsidy.region_summary, subsidy.annex3, subsidy.publicity_list,
  subsidy.analysis_by_category, subsidy.analysis_by_firm_size, subsidy.analysis_by_layoff_band,
  subsidy.analysis_fund_sufficiency, subsidy.analysis_figure_differences, subsidy.annual_report_frozen
  TO subsidy_applicant, subsidy_agency, subsidy_hrss, subsidy_finance, subsidy_reader, subsidy_admin;
GRANT INSERT ON subsidy.annual_report_frozen TO subsidy_hrss, subsidy_admin;
ALTER TABLE subsidy.annual_report_frozen ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_regions ON subsidy.annual_report_frozen
  USING (((SELECT subsidy.sees_every_region(current_user)) OR region = ANY ((SELECT subsidy.regions_of(current_user))::text[])));
--
-- The annual cycle as a DBA runs it (DOMAIN section 3): open the year, take applications,
-- assess, publish, clear, pay from the agency's payment file, report upward, freeze the
-- annual report, close the year.  Each step says what it did in NOTICEs, can be run again
-- (a step already done does nothing), and refuses, with nothing written, when the cycle is
-- not there yet.
--

-- Step 1: open the year for the caller's pools: check that the year can run, then open the
-- application windows (1 March to 31 May unless given).
CREATE PROCEDURE subsidy.open_year(p_year integer, p_opens date DEFAULT NULL, p_closes date DEFAULT NULL)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  opens date;
  closes date;
  problems text[] := '{}';
  missing text;
  opened integer;
  differing text;
BEGIN
  IF p_year IS NULL THEN
    RAISE EXCEPTION 'open_year needs the subsidy year to open' USING ERRCODE = 'null_value_not_allowed';
  END IF;
  opens := coalesce(p_opens, make_date(p_year, 3, 1));
  closes := coalesce(p_closes, make_date(p_year, 5, 31));
  IF closes < opens OR extract(year FROM opens) <> p_year THEN
    RAISE EXCEPTION 'a window from % to % does not fit subsidy year %', opens, closes, p_year
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'The window opens in the subsidy year and closes on or after the day it opens.';
  END IF;
  IF EXISTS (SELECT FROM subsidy.closed_year WHERE year = p_year) THEN
    RAISE EXCEPTION 'subsidy year % is closed', p_year USING ERRCODE = 'SBY01';
  END IF;

  -- What the year needs before the first application, all named at once.
  IF NOT EXISTS (SELECT FROM subsidy.policy_year WHERE year = p_year) THEN
    problems := problems || format('no parameter set for %s (section 7): add a row to subsidy.policy_year', p_year);
  END IF;
  IF NOT EXISTS (SELECT FROM subsidy.calendar WHERE day BETWEEN make_date(p_year, 1, 1) AND make_date(p_year, 12, 31)) THEN
    problems := problems || format('the working-day calendar of %s is not loaded (W5 counts publicity in working days): add the State Council''s exception days to subsidy.calendar', p_year);
  END IF;
  IF cardinality(problems) > 0 THEN
    RAISE EXCEPTION 'subsidy year % cannot be opened yet', p_year
      USING ERRCODE = 'SBY02',
            DETAIL = array_to_string(problems, E'\n'),
            HINT = 'Load what is listed, then call open_year again; nothing was written.';
  END IF;

  INSERT INTO subsidy.application_window (region, year, opens_on, closes_on)
  SELECT r.code, p_year, opens, closes
    FROM subsidy.region r
   WHERE r.is_pool
     AND ((SELECT subsidy.sees_every_region(current_user)) OR r.code = ANY ((SELECT subsidy.regions_of(current_user))::text[]))
  ON CONFLICT (region, year) DO NOTHING;
  GET DIAGNOSTICS opened = ROW_COUNT;

  SELECT string_agg(format('%s %s to %s', w.region, w.opens_on, w.closes_on), ', ' ORDER BY w.region) INTO differing
    FROM subsidy.application_window w
   WHERE w.year = p_year AND (w.opens_on, w.closes_on) IS DISTINCT FROM (opens, closes);
  IF differing IS NOT NULL THEN
    RAISE NOTICE 'open_year %: windows already set and kept: %', p_year, differing;
  END IF;
  -- Facts the review will need (E2, E7): named now, loaded any time before the review.
  SELECT string_agg(p.region, ', ' ORDER BY p.region) INTO missing
    FROM subsidy.policy_in_force p
   WHERE p.year = p_year AND (p.layoff_threshold IS NULL OR p.fund_balance IS NULL OR p.monthly_fund_expenditure IS NULL)
     AND ((SELECT subsidy.sees_every_region(current_user)) OR p.region = ANY ((SELECT subsidy.regions_of(current_user))::text[]));
  IF missing IS NOT NULL THEN
    RAISE WARNING 'open_year %: the basis-year facts (unemployment rate, fund balance, monthly expenditure) of % are not loaded yet', p_year, missing
      USING HINT = format('Load them into subsidy.region_basis_year (basis_year %s) before the review starts.', p_year - 1);
  END IF;
  RAISE NOTICE 'open_year %: % pool(s) opened, window % to %', p_year, opened, opens, closes;
END
$$;
COMMENT ON PROCEDURE subsidy.open_year(integer, date, date) IS
  'cycle step 1 (DOMAIN 3.1): open a subsidy year for the caller''s pools: the parameters and calendar must be in place; opens the application windows (1 March to 31 May unless given); safe to run again';

-- Step 5 (W5), for every pool of the caller at once: publish each region's approved list.
CREATE FUNCTION subsidy.start_publicity(p_year integer, p_start date DEFAULT NULL)
RETURNS TABLE (region text, publicity_id bigint, applications bigint, starts_on date, ends_on date)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  r record;
  p subsidy.publicity;
BEGIN
  FOR r IN SELECT a.region AS code FROM subsidy.application a
            WHERE a.year = p_year AND a.stage = 'decided' AND a.decision = 'approved'
            GROUP BY a.region ORDER BY a.region LOOP
    -- counted before, through the (region, year, stage) index
    applications := (SELECT count(*) FROM subsidy.application a
                      WHERE a.region = r.code AND a.year = p_year AND a.stage = 'decided' AND a.decision = 'approved');
    p := subsidy.start_publicity(r.code, p_year, p_start);
    region := p.region;
    publicity_id := p.id;
    starts_on := p.starts_on;
    ends_on := p.ends_on;
    RETURN NEXT;
  END LOOP;
  IF NOT FOUND THEN
    IF EXISTS (SELECT FROM subsidy.application a WHERE a.year = p_year AND a.stage = 'in_publicity') THEN
      RAISE NOTICE 'start_publicity %: nothing waiting; the approved lists are in publicity already', p_year;
    ELSE
      RAISE EXCEPTION 'no approved application of % is waiting to be published', p_year
        USING ERRCODE = 'SBW05',
              HINT = 'Decide the year''s applications first: subsidy.decide(region, year).';
    END IF;
  END IF;
END
$$;
COMMENT ON FUNCTION subsidy.start_publicity(integer, date) IS
  'cycle step 5 (W5): publish the approved list of every pool of the caller that has one waiting, from a start date; pools already published are left as they are';

-- Step 6 (W5), for every pool at once: clear what has ended.
CREATE FUNCTION subsidy.close_publicity(p_year integer)
RETURNS TABLE (region text, cleared bigint, still_in_publicity bigint, publicity_ends_on date)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT a.region AS code, max(p.ends_on) AS ends_on
             FROM subsidy.application a JOIN subsidy.publicity p ON p.id = a.publicity_id
            WHERE a.year = p_year AND a.stage = 'in_publicity'
            GROUP BY a.region ORDER BY a.region LOOP
    region := r.code;
    cleared := subsidy.close_publicity(r.code, p_year);
    still_in_publicity := (SELECT count(*) FROM subsidy.application a
                            WHERE a.region = r.code AND a.year = p_year AND a.stage = 'in_publicity');
    publicity_ends_on := r.ends_on;
    IF still_in_publicity > 0 THEN
      RAISE NOTICE 'close_publicity %: publicity of % runs until %: cleared from the day after', p_year, r.code, r.ends_on;
    END IF;
    RETURN NEXT;
  END LOOP;
  IF NOT FOUND THEN
    RAISE NOTICE 'close_publicity %: nothing is in publicity', p_year;
  END IF;
END
$$;
COMMENT ON FUNCTION subsidy.close_publicity(integer) IS
  'cycle step 6 (W5): clear, in every pool of the caller, the applications whose publicity has ended without objection';

-- Step 7 (W7): the agency's payment file, loaded with COPY, then applied in one go.
CREATE TABLE subsidy.payment_file (
  line bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  batch text NOT NULL DEFAULT NULLIF(pg_catalog.current_setting('subsidy.payment_batch', true), ''),
  uscc subsidy.uscc NOT NULL,
  year integer NOT NULL,
  amount numeric(14,2) NOT NULL,
  paid_on date NOT NULL,
  reference text NOT NULL CHECK (reference <> ''),
  loaded_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
  loaded_by text NOT NULL DEFAULT session_user,
  application_id bigint,
  applied_at timestamptz
);
CREATE INDEX payment_file_batch ON subsidy.payment_file (batch);
COMMENT ON TABLE subsidy.payment_file IS
  'W7 拨付清单: the agency''s payment records as loaded from its bank file with COPY, before and after pay_batch applies them; applied rows are kept for good';
COMMENT ON COLUMN subsidy.payment_file.line IS 'the record''s number, in loading order';
COMMENT ON COLUMN subsidy.payment_file.batch IS 'the file''s name for pay_batch; SET subsidy.payment_batch before COPY, or give it as a column';
COMMENT ON COLUMN subsidy.payment_file.uscc IS 'the enterprise paid';
COMMENT ON COLUMN subsidy.payment_file.year IS 'the subsidy year paid';
COMMENT ON COLUMN subsidy.payment_file.amount IS 'the amount paid, yuan: the decided amount exactly';
COMMENT ON COLUMN subsidy.payment_file.paid_on IS 'the day the bank paid';
COMMENT ON COLUMN subsidy.payment_file.reference IS 'the bank''s payment reference, used once';
COMMENT ON COLUMN subsidy.payment_file.loaded_at IS 'when the record was loaded';
COMMENT ON COLUMN subsidy.payment_file.loaded_by IS 'who loaded it (the login)';
COMMENT ON COLUMN subsidy.payment_file.application_id IS 'the application it paid, once applied';
COMMENT ON COLUMN subsidy.payment_file.applied_at IS 'when pay_batch applied it (empty: not yet)';
SELECT pg_catalog.pg_extension_config_dump('subsidy.payment_file', '');
SELECT pg_catalog.pg_extension_config_dump('subsidy.payment_file_line_seq', '');

CREATE FUNCTION subsidy.payment_file_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF subsidy.restoring() THEN
    RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
  END IF;
  IF TG_OP = 'INSERT' THEN
    IF NEW.batch IS NULL OR NEW.batch = '' THEN
      RAISE EXCEPTION 'a payment record names the file it came in'
        USING ERRCODE = 'not_null_violation',
              HINT = 'SET subsidy.payment_batch to the file''s name before COPY, or load a batch column.';
    END IF;
    IF NEW.applied_at IS NOT NULL OR NEW.application_id IS NOT NULL THEN
      RAISE EXCEPTION 'a payment record is loaded as not applied' USING ERRCODE = 'SBW07',
        HINT = 'Load uscc, year, amount, paid_on and reference; pay_batch applies them.';
    END IF;
    RETURN NEW;
  END IF;
  -- pay_batch marks a record applied once its application carries the payment; the check
  -- is on the application itself, so a mark can never claim a payment that was not made.
  IF TG_OP = 'UPDATE' AND OLD.applied_at IS NULL AND NEW.applied_at IS NOT NULL
     AND (OLD.batch, OLD.uscc::text, OLD.year, OLD.amount, OLD.paid_on, OLD.reference)
         IS NOT DISTINCT FROM (NEW.batch, NEW.uscc::text, NEW.year, NEW.amount, NEW.paid_on, NEW.reference)
     AND EXISTS (SELECT FROM subsidy.application a
                  WHERE a.id = NEW.application_id AND a.uscc OPERATOR(subsidy.=) NEW.uscc AND a.year = NEW.year
                    AND a.payment_reference = NEW.reference AND a.paid_amount = NEW.amount
                    AND a.paid_on = NEW.paid_on AND a.stage IN ('paid', 'reported')) THEN
    RETURN NEW;
  END IF;
  IF TG_OP = 'DELETE' AND OLD.applied_at IS NULL THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'payment record % (%) is %: it is not changed', OLD.line, OLD.reference,
    CASE WHEN OLD.applied_at IS NULL THEN 'not applied yet' ELSE 'applied' END
    USING ERRCODE = 'SBW07',
          DETAIL = 'A payment record is applied by pay_batch as loaded; an applied one is kept as the record of the payment (W7).',
          HINT = 'To correct a record not yet applied, delete it and load it again.';
END
$$;
COMMENT ON FUNCTION subsidy.payment_file_guard() IS
  'trigger: a payment record is loaded unapplied and named by its batch; it is marked applied only once its application carries the payment; an applied record is never changed or deleted';
CREATE TRIGGER payment_file_guard BEFORE INSERT OR UPDATE OR DELETE ON subsidy.payment_file
  FOR EACH ROW EXECUTE FUNCTION subsidy.payment_file_guard();

-- Loading a bank file: COPY into this view (COPY cannot write a table under row-level
-- security; the view's trigger inserts each record with the clerk's own rights).
CREATE VIEW subsidy.payment_file_load AS
SELECT f.batch, f.uscc, f.year, f.amount, f.paid_on, f.reference FROM subsidy.payment_file f;
COMMENT ON VIEW subsidy.payment_file_load IS
  'W7: load a bank payment file here: \copy subsidy.payment_file_load (uscc, year, amount, paid_on, reference) FROM ''file.csv'' CSV HEADER, after SET subsidy.payment_batch = ''the file''''s name''';
COMMENT ON COLUMN subsidy.payment_file_load.batch IS 'the file''s name (empty: subsidy.payment_batch)';
COMMENT ON COLUMN subsidy.payment_file_load.uscc IS 'the enterprise paid';
COMMENT ON COLUMN subsidy.payment_file_load.year IS 'the subsidy year paid';
COMMENT ON COLUMN subsidy.payment_file_load.amount IS 'the amount paid, yuan';
COMMENT ON COLUMN subsidy.payment_file_load.paid_on IS 'the day the bank paid';
COMMENT ON COLUMN subsidy.payment_file_load.reference IS 'the bank''s payment reference';

CREATE FUNCTION subsidy.payment_file_load_record() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF NOT EXISTS (SELECT FROM subsidy.enterprise e WHERE e.uscc OPERATOR(subsidy.=) NEW.uscc) THEN
    RAISE EXCEPTION 'the file pays %, which is no enterprise of your regions', NEW.uscc
      USING ERRCODE = 'SBR01',
            DETAIL = 'Nothing of the file was loaded.',
            HINT = 'A payment file holds the payments of the regions you act in; remove the record, or give it to its region.';
  END IF;
  INSERT INTO subsidy.payment_file (batch, uscc, year, amount, paid_on, reference)
  VALUES (coalesce(NEW.batch, NULLIF(pg_catalog.current_setting('subsidy.payment_batch', true), '')),
          NEW.uscc, NEW.year, NEW.amount, NEW.paid_on, pg_catalog.btrim(NEW.reference));
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION subsidy.payment_file_load_record() IS
  'trigger: a record copied into payment_file_load goes into payment_file, with the clerk''s rights and the batch of subsidy.payment_batch';
CREATE TRIGGER payment_file_load_record INSTEAD OF INSERT ON subsidy.payment_file_load
  FOR EACH ROW EXECUTE FUNCTION subsidy.payment_file_load_record();

-- What stops a batch from being paid, record by record; no rows: it can be paid.
CREATE FUNCTION subsidy.check_payment_batch(p_batch text)
RETURNS TABLE (line bigint, uscc text, reference text, problem text)
LANGUAGE sql STABLE STRICT SET search_path = pg_catalog, pg_temp AS $$
  WITH pending AS (
    SELECT f.* FROM subsidy.payment_file f WHERE f.batch = p_batch AND f.applied_at IS NULL
  ), reused AS (
    SELECT r.reference FROM pending r GROUP BY r.reference HAVING count(*) > 1
  ), f AS (
    SELECT f.*, a.id AS app, a.stage, a.decided_amount, a.cleared_on, a.payment_reference AS paid_reference,
           f.reference IN (SELECT reference FROM reused) AS reference_reused
      FROM pending f
      LEFT JOIN subsidy.application a ON a.uscc OPERATOR(subsidy.=) f.uscc AND a.year = f.year AND a.stage <> 'withdrawn'
  ), paid_twice AS (
    SELECT f.app FROM f WHERE f.app IS NOT NULL GROUP BY f.app HAVING count(*) > 1
  )
  SELECT f.line, f.uscc::text, f.reference, p.problem
    FROM f CROSS JOIN LATERAL (VALUES
      (CASE WHEN f.app IS NULL THEN format('no application of %s for %s that you may pay', f.uscc, f.year) END),
      (CASE WHEN f.app IS NOT NULL AND f.stage IN ('paid', 'reported')
            THEN format('application %s is paid already, under reference %s (W7: paid once)', f.app, f.paid_reference)
            WHEN f.app IS NOT NULL AND f.stage <> 'cleared'
            THEN format('application %s is %s, not cleared (W7: paid after publicity clears)', f.app, f.stage) END),
      (CASE WHEN f.app IS NOT NULL AND f.amount <> f.decided_amount
            THEN format('amount %s is not the decided %s (W7)', f.amount, f.decided_amount) END),
      (CASE WHEN f.paid_on < f.cleared_on THEN format('paid on %s, before clearance on %s (W7)', f.paid_on, f.cleared_on) END),
      (CASE WHEN f.paid_on > subsidy.today() THEN format('paid on %s, a day still to come', f.paid_on) END),
      (CASE WHEN f.reference_reused THEN 'the reference appears more than once in the file' END),
      (CASE WHEN EXISTS (SELECT FROM subsidy.application o WHERE o.payment_reference = f.reference)
            THEN 'the reference was used by an earlier payment' END),
      (CASE WHEN f.app IN (SELECT app FROM paid_twice) THEN format('application %s is paid more than once in the file', f.app) END)
    ) AS p(problem)
   WHERE p.problem IS NOT NULL
   ORDER BY f.line, p.problem
$$;
COMMENT ON FUNCTION subsidy.check_payment_batch(text) IS
  'W7: every record of a payment file not yet applied that pay_batch would refuse, with why; no rows when the batch can be paid';

CREATE PROCEDURE subsidy.pay_batch(p_batch text)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  total integer;
  pending integer;
  problems text;
  problem_count integer;
  paid integer;
  amount numeric;
BEGIN
  SELECT count(*), count(*) FILTER (WHERE f.applied_at IS NULL) INTO total, pending
    FROM subsidy.payment_file f WHERE f.batch = p_batch;
  IF total = 0 THEN
    RAISE EXCEPTION 'no payment file named "%" is loaded', p_batch
      USING ERRCODE = 'SBW07',
            HINT = format('Load it first: SET subsidy.payment_batch = %L; then \copy subsidy.payment_file_load (uscc, year, amount, paid_on, reference) FROM ''file.csv'' CSV HEADER', p_batch);
  END IF;
  IF pending = 0 THEN
    RAISE NOTICE 'pay_batch %: already applied, % payment(s)', p_batch, total;
    RETURN;
  END IF;
  SELECT count(*), string_agg(format('line %s (%s, %s): %s', c.line, c.uscc, c.reference, c.problem), E'\n')
           FILTER (WHERE c.n <= 20)
    INTO problem_count, problems
    FROM (SELECT c.*, row_number() OVER () AS n FROM subsidy.check_payment_batch(p_batch) c) c;
  IF problem_count > 0 THEN
    RAISE EXCEPTION 'payment batch "%" cannot be paid: % problem(s); nothing was paid', p_batch, problem_count
      USING ERRCODE = 'SBW07',
            DETAIL = problems || CASE WHEN problem_count > 20 THEN format(E'\n... and %s more', problem_count - 20) ELSE '' END,
            HINT = format('SELECT * FROM subsidy.check_payment_batch(%L) lists them all; delete the records to correct, load them again, and call pay_batch again.', p_batch);
  END IF;

  -- the regions' chains first, in order, as every entry point takes them
  PERFORM subsidy.lock_audit_chain(r.region)
     FROM (SELECT DISTINCT e.region FROM subsidy.payment_file f
             JOIN subsidy.enterprise e ON e.uscc OPERATOR(subsidy.=) f.uscc
            WHERE f.batch = p_batch AND f.applied_at IS NULL ORDER BY e.region) r;
  UPDATE subsidy.application a
     SET stage = 'paid', paid_on = f.paid_on, payment_reference = f.reference, paid_amount = f.amount
    FROM subsidy.payment_file f
   WHERE f.batch = p_batch AND f.applied_at IS NULL
     AND a.uscc OPERATOR(subsidy.=) f.uscc AND a.year = f.year AND a.stage = 'cleared';
  GET DIAGNOSTICS paid = ROW_COUNT;
  IF paid <> pending THEN
    RAISE EXCEPTION 'payment batch "%": % record(s), but % application(s) could be paid; nothing was paid', p_batch, pending, paid
      USING ERRCODE = 'SBW07', HINT = 'Another session changed these applications meanwhile; call pay_batch again.';
  END IF;
  UPDATE subsidy.payment_file f SET applied_at = pg_catalog.now(), application_id = a.id
    FROM subsidy.application a
   WHERE f.batch = p_batch AND f.applied_at IS NULL AND a.payment_reference = f.reference;
  SELECT sum(f.amount) INTO amount FROM subsidy.payment_file f WHERE f.batch = p_batch;
  RAISE NOTICE 'pay_batch %: % application(s) paid, % yuan in all', p_batch, paid, amount;
END
$$;
COMMENT ON PROCEDURE subsidy.pay_batch(text) IS
  'cycle step 7 (W7): apply a payment file the agency loaded: every record checked first (check_payment_batch), then all paid in one go, or none; running it again does nothing';

-- Step 8 (W8), for every pool at once.
CREATE FUNCTION subsidy.report_upward(p_year integer, p_reference_prefix text)
RETURNS TABLE (region text, report_batch_id bigint, reference text, payments bigint)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  r record;
  b subsidy.report_batch;
BEGIN
  FOR r IN SELECT a.region AS code FROM subsidy.application a
            WHERE a.year = p_year AND a.stage = 'paid'
            GROUP BY a.region ORDER BY a.region LOOP
    payments := (SELECT count(*) FROM subsidy.application a
                  WHERE a.region = r.code AND a.year = p_year AND a.stage = 'paid');
    b := subsidy.report_upward(r.code, p_year, format('%s-%s', p_reference_prefix, r.code));
    region := r.code;
    report_batch_id := b.id;
    reference := b.reference;
    RETURN NEXT;
  END LOOP;
  IF NOT FOUND THEN
    RAISE NOTICE 'report_upward %: no payment is waiting to be reported', p_year;
  END IF;
END
$$;
COMMENT ON FUNCTION subsidy.report_upward(integer, text) IS
  'cycle step 8 (W8): report every pool''s payments of the year not yet reported, one batch per pool, referenced prefix-region';

-- Step 10: close the year once nothing is open and the report is frozen as it stands.
CREATE PROCEDURE subsidy.close_year(p_year integer)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  problems text[] := '{}';
  open_stages text;
  closed subsidy.closed_year;
BEGIN
  SELECT * INTO closed FROM subsidy.closed_year WHERE year = p_year;
  IF FOUND THEN
    RAISE NOTICE 'close_year %: closed already', p_year;
    RETURN;
  END IF;
  IF NOT subsidy.sees_every_region(current_user) THEN
    RAISE EXCEPTION 'closing a year is a step for subsidy_admin' USING ERRCODE = 'SBR01',
      DETAIL = 'A year closes for the whole province at once.';
  END IF;
  SELECT string_agg(format('%s %s', n, stage), ', ' ORDER BY stage) INTO open_stages
    FROM (SELECT a.stage, count(*) AS n FROM subsidy.application a
           WHERE a.year = p_year AND (a.stage IN ('submitted', 'in_review', 'in_publicity', 'objection', 'cleared', 'paid')
                                      OR (a.stage = 'decided' AND a.decision = 'approved'))
           GROUP BY a.stage) s;
  IF open_stages IS NOT NULL THEN
    problems := problems || format('applications still open: %s (every one ends reported, rejected or withdrawn)', open_stages);
  END IF;
  IF EXISTS (SELECT FROM subsidy.annual_report(p_year) r
              WHERE NOT EXISTS (SELECT FROM subsidy.annual_report_frozen f WHERE f.year = p_year AND f.region = r.region)) THEN
    problems := problems || format('the annual report of %s is not frozen: CALL subsidy.freeze_annual_report(%s)', p_year, p_year);
  ELSIF EXISTS (SELECT FROM subsidy.annual_report_changes(p_year)) THEN
    problems := problems || format('the annual report changed since it was frozen: freeze a corrected version, CALL subsidy.freeze_annual_report(%s, ''the reason'')', p_year);
  END IF;
  IF cardinality(problems) > 0 THEN
    RAISE EXCEPTION 'subsidy year % cannot be closed yet', p_year
      USING ERRCODE = 'SBY02', DETAIL = array_to_string(problems, E'\n'),
            HINT = 'Finish what is listed, then call close_year again; nothing was written.';
  END IF;
  INSERT INTO subsidy.closed_year (year) VALUES (p_year);
  RAISE NOTICE 'close_year %: closed; its applications no longer change', p_year;
END
$$;
COMMENT ON PROCEDURE subsidy.close_year(integer) IS
  'cycle step 10: close a subsidy year once every application is reported, rejected or withdrawn and the annual report is frozen as it stands; nothing of the year changes after';

-- Rights of the cycle's steps.
GRANT SELECT ON subsidy.closed_year TO subsidy_applicant, subsidy_agency, subsidy_hrss, subsidy_finance,
  subsidy_reader, subsidy_admin;
GRANT INSERT ON subsidy.closed_year TO subsidy_admin;
GRANT SELECT, INSERT, DELETE ON subsidy.payment_file TO subsidy_agency, subsidy_admin;
GRANT INSERT ON subsidy.payment_file_load TO subsidy_agency, subsidy_admin;
GRANT USAGE ON SEQUENCE subsidy.payment_file_line_seq TO subsidy_agency, subsidy_admin;
GRANT UPDATE (applied_at, application_id) ON subsidy.payment_file TO subsidy_agency, subsidy_admin;
GRANT SELECT ON subsidy.payment_file TO subsidy_hrss, subsidy_finance;
ALTER TABLE subsidy.payment_file ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_regions ON subsidy.payment_file
  USING ((SELECT subsidy.sees_every_region(current_user))
         OR EXISTS (SELECT FROM subsidy.enterprise e WHERE e.uscc OPERATOR(subsidy.=) payment_file.uscc));
