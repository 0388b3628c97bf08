-- Enterprise names sort in pinyin order in the presentation views (ICU's Chinese collation).
CREATE COLLATION subsidy.pinyin (provider = icu, locale = 'zh-u-co-pinyin');
COMMENT ON COLLATION subsidy.pinyin IS 'Chinese in pinyin order (拼音排序), for enterprise names in the reports';

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
  audit_heads jsonb,
  frozen_on date NOT NULL,
  PRIMARY KEY (year, region, version),
  CONSTRAINT annual_report_frozen_correction_says_why CHECK (version = 1 OR subsidy.says_something(reason))
);
COMMENT ON TABLE subsidy.annual_report_frozen IS
  'R3 as reported: each region''s (and province''s) annual report row as it stood when frozen; a corrected report is a new version with its reason; rows are never changed';
COMMENT ON COLUMN subsidy.annual_report_frozen.audit_heads IS 'S4: the head of the region''s audit chain as the report was frozen, sent with it to the province';
COMMENT ON COLUMN subsidy.annual_report_frozen.year IS 'the subsidy year reported';
COMMENT ON COLUMN subsidy.annual_report_frozen.region IS 'the pooling region, or the province for its totals row';
COMMENT ON COLUMN subsidy.annual_report_frozen.version IS '1 for the report as first sent; 2 and on for corrected reports';
COMMENT ON COLUMN subsidy.annual_report_frozen.frozen_at IS 'when it was frozen';
COMMENT ON COLUMN subsidy.annual_report_frozen.frozen_on IS
  'the business date (W12) it was frozen, that is sent to the province: R3 is due by 15 January of the year after';
COMMENT ON COLUMN subsidy.annual_report_frozen.frozen_by IS 'who froze it (the login)';
COMMENT ON COLUMN subsidy.annual_report_frozen.reason IS 'why a corrected version was sent (required from version 2)';
COMMENT ON COLUMN subsidy.annual_report_frozen.report IS 'the row of annual_report(year) as it stood, column by column';
SELECT pg_catalog.pg_extension_config_dump('subsidy.annual_report_frozen', '');
ALTER TABLE subsidy.annual_report_frozen ALTER COLUMN region SET STATISTICS 0;   -- S1, as in 82_rights.sql
