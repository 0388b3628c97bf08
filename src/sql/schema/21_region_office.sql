-- What a region's papers name (R2's 公示公告, the notices of the decision, the payment list):
-- the hrss office that publishes and decides, the agency that pays, and where an objection is
-- received ([J54 二(三)3]).  hrss keeps its regions' row; a paper of a region without one is
-- refused with what is missing.
CREATE TABLE subsidy.region_office (
  region text PRIMARY KEY REFERENCES subsidy.region (code),
  hrss_office text NOT NULL CHECK (subsidy.says_something(hrss_office) AND char_length(hrss_office) <= 100),
  agency_office text NOT NULL CHECK (subsidy.says_something(agency_office) AND char_length(agency_office) <= 100),
  objection_address text NOT NULL CHECK (subsidy.says_something(objection_address) AND char_length(objection_address) <= 200),
  objection_phone text NOT NULL CHECK (subsidy.says_something(objection_phone) AND char_length(objection_phone) <= 50)
);
COMMENT ON TABLE subsidy.region_office IS
  'the offices a pooling region''s papers name: the hrss office (人社部门) that publishes the list and notifies decisions, the agency (社保经办机构) that pays, and where objections are received (异议受理)';
COMMENT ON COLUMN subsidy.region_office.region IS 'the pooling region';
COMMENT ON COLUMN subsidy.region_office.hrss_office IS 'the hrss office''s name as it signs (落款), e.g. 长春市人力资源和社会保障局';
COMMENT ON COLUMN subsidy.region_office.agency_office IS 'the social-insurance agency''s name as it pays (付款单位), e.g. 长春市社会保险事业管理局';
COMMENT ON COLUMN subsidy.region_office.objection_address IS 'where objections and questions are received in writing (异议受理地址)';
COMMENT ON COLUMN subsidy.region_office.objection_phone IS 'the telephone for objections and questions (联系电话)';
SELECT pg_catalog.pg_extension_config_dump('subsidy.region_office', '');
