-- Step of test/sample/screening.sql (which documents the screening year); run by it in order,
-- or on its own, each step in its own session.
\set ON_ERROR_STOP 1
SELECT year, applications FROM province.settings \gset

-- hrss publishes every pool's approved list on 23 May (seven working days: to 31 May).
SELECT pg_catalog.set_config('subsidy.today', to_char(make_date(:year, 5, 23), 'YYYY-MM-DD'), false) AS ignored \gset
SELECT count(*) AS publicity_periods, sum(applications) AS published, min(ends_on) AS first_end, max(ends_on) AS last_end
  FROM subsidy.start_publicity(:year, make_date(:year, 5, 23));
RESET subsidy.today;
