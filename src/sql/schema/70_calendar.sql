--
-- The working-day calendar (DOMAIN section 9)
--

CREATE TABLE subsidy.calendar (
  day date NOT NULL,
  origin subsidy.origin NOT NULL DEFAULT 'local',
  is_off_day boolean NOT NULL,
  name text NOT NULL CHECK (subsidy.says_something(name)),
  PRIMARY KEY (day, origin),
  CONSTRAINT calendar_finite CHECK (day BETWEEN date '1950-01-01' AND date '2200-12-31')
);
COMMENT ON TABLE subsidy.calendar IS
  'exceptions to Monday-Friday working days, by the State Council''s annual holiday notices: holidays (is_off_day) and weekend days declared working days (调休). A year is loaded when it has a row; a date in any other year is an error. Ships 2018-2026; a local row for a day overrides the shipped one';
COMMENT ON COLUMN subsidy.calendar.day IS 'the day';
COMMENT ON COLUMN subsidy.calendar.is_off_day IS 'true: a holiday that is not worked; false: a weekend day that is worked (调休)';
COMMENT ON COLUMN subsidy.calendar.name IS 'the holiday it belongs to, e.g. 春节';
COMMENT ON COLUMN subsidy.calendar.origin IS 'extension: shipped with subsidy; local: loaded by the DBA';
SELECT pg_catalog.pg_extension_config_dump('subsidy.calendar', 'WHERE origin = ''local''');
