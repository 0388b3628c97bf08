--
-- Enterprises and their facts by year
--

CREATE TYPE subsidy.firm_size AS ENUM ('large', 'medium', 'small_micro', 'small', 'micro');

CREATE TYPE subsidy.unit_kind AS ENUM
  ('enterprise', 'social_group', 'foundation', 'social_service_agency', 'law_firm', 'accounting_firm',
   'individual_business');

CREATE TABLE subsidy.enterprise (
  uscc subsidy.uscc PRIMARY KEY,
  name text NOT NULL CHECK (subsidy.says_something(name)),
  region text NOT NULL REFERENCES subsidy.region (code),
  bank_name text,
  bank_account text,
  contact_person text,
  contact_phone text,
  industry text CONSTRAINT enterprise_industry_section CHECK (industry ~ '^[A-T]$'),
  -- the reports show a name in varchar(200), which must never cut one short
  CONSTRAINT enterprise_name_length CHECK (char_length(name) <= 200)
);
COMMENT ON TABLE subsidy.enterprise IS 'enterprises insured in a pooling region, keyed by their Unified Social Credit Code';
COMMENT ON COLUMN subsidy.enterprise.uscc IS 'Unified Social Credit Code (统一社会信用代码)';
COMMENT ON COLUMN subsidy.enterprise.name IS 'registered name (企业名称)';
COMMENT ON COLUMN subsidy.enterprise.region IS 'the pooling region where it is insured';
COMMENT ON COLUMN subsidy.enterprise.bank_name IS 'bank of the account the subsidy is paid to (开户行); not shown to readers';
COMMENT ON COLUMN subsidy.enterprise.bank_account IS 'account the subsidy is paid to (银行账号); not shown to readers';
COMMENT ON COLUMN subsidy.enterprise.contact_person IS 'contact person (联系人); not shown to readers';
COMMENT ON COLUMN subsidy.enterprise.contact_phone IS 'contact telephone (联系电话); not shown to readers';
COMMENT ON COLUMN subsidy.enterprise.industry IS
  'industry (国民经济行业分类门类, GB/T 4754-2017): the section letter A-T of its main business, as registered (R4); empty: not known';
CREATE INDEX enterprise_region ON subsidy.enterprise (region);

CREATE TABLE subsidy.enterprise_year (
  uscc subsidy.uscc NOT NULL REFERENCES subsidy.enterprise (uscc),
  year integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  decapacity boolean,
  key_supported boolean,
  zombie boolean,
  monitored boolean,
  firm_size subsidy.firm_size,
  serious_dishonesty boolean,
  unit_kind subsidy.unit_kind,
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
