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
