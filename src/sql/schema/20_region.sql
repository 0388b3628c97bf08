--
-- Pooling regions (统筹区) and their facts by year
--

-- Rows the extension ships are marked origin 'extension': they are read-only, come back with
-- CREATE EXTENSION and are left out of pg_dump. A DBA's own rows are 'local' and dumped.
CREATE TYPE subsidy.origin AS ENUM ('extension', 'local');
COMMENT ON TYPE subsidy.origin IS
  'who wrote a row: the extension (shipped data, read-only) or the local DBA';

CREATE TABLE subsidy.region (
  code text PRIMARY KEY
    CONSTRAINT region_code_format CHECK (code ~ '^[0-9]{2}([0-9]{4}|X[0-9]{3})$'),
  name text NOT NULL,
  parent text REFERENCES subsidy.region (code) DEFERRABLE INITIALLY DEFERRED,
  is_pool boolean NOT NULL DEFAULT true,
  origin subsidy.origin NOT NULL DEFAULT 'local',
  -- the reports show a name in varchar(50), which must never cut one short
  CONSTRAINT region_name_length CHECK (char_length(name) <= 50)
);
COMMENT ON TABLE subsidy.region IS
  'pooling regions (统筹区) and the divisions above them; a code is its GB/T 2260 division code, or for a pool with none (省本级, 长白山管委会) two province digits, X and a serial';
COMMENT ON COLUMN subsidy.region.code IS 'GB/T 2260 code (220100), or NNXnnn for a pool that has none (22X001)';
COMMENT ON COLUMN subsidy.region.name IS 'name (名称)';
COMMENT ON COLUMN subsidy.region.parent IS 'the division above (the province for a prefecture)';
COMMENT ON COLUMN subsidy.region.is_pool IS 'whether it runs an unemployment-insurance fund (统筹区); a province row that only groups pools is not one';
COMMENT ON COLUMN subsidy.region.origin IS 'extension: shipped with subsidy (Jilin); local: added by the DBA';
CREATE INDEX region_parent ON subsidy.region (parent);

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
  average_monthly_benefit numeric(12,2) CHECK (average_monthly_benefit >= 0 AND average_monthly_benefit <> 'NaN'),
  PRIMARY KEY (region, basis_year)
);
COMMENT ON COLUMN subsidy.region_basis_year.registered_unemployment_rate IS
  'registered urban unemployment rate (城镇登记失业率) in per cent: 3.46 means 3.46 %';
COMMENT ON COLUMN subsidy.region_basis_year.fund_balance IS 'unemployment-insurance fund balance at the end of the year, yuan (基金滚存结余)';
COMMENT ON COLUMN subsidy.region_basis_year.monthly_fund_expenditure IS 'average monthly fund expenditure in the year, yuan (月均基金支出)';
COMMENT ON COLUMN subsidy.region_basis_year.region IS 'the pooling region';
COMMENT ON COLUMN subsidy.region_basis_year.basis_year IS 'the year the facts are of (Y-1 for subsidy year Y)';
COMMENT ON COLUMN subsidy.region_basis_year.origin IS 'extension: shipped with subsidy (read-only); local: loaded by the region';

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
