CREATE TRIGGER calendar_protect_shipped BEFORE INSERT OR UPDATE OR DELETE ON subsidy.calendar
  FOR EACH ROW EXECUTE FUNCTION subsidy.protect_shipped_rows();

CREATE VIEW subsidy.calendar_in_force WITH (security_invoker = true) AS
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
