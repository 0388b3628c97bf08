-- Step of test/sample/province.sql (which documents the province); run by it in order, or
-- on its own (each step in its own session) by test/bench/cycle.sh.
\set ON_ERROR_STOP 1
SELECT year, applications FROM province.settings \gset

-- hrss publishes every pool's approved list on 1 July.
SELECT pg_catalog.set_config('subsidy.today', to_char(make_date(:year, 7, 1), 'YYYY-MM-DD'), false) AS ignored \gset
SELECT count(*) AS publicity_periods, sum(applications) AS published, min(ends_on) AS first_end, max(ends_on) AS last_end
  FROM subsidy.start_publicity(:year, make_date(:year, 7, 1));
RESET subsidy.today;
