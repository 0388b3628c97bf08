-- Step of test/sample/province.sql (which documents the province); run by it in order, or
-- on its own (each step in its own session) by test/bench/cycle.sh.
\set ON_ERROR_STOP 1
SELECT year, applications FROM province.settings \gset

-- The agency reports each pool's payments upward, one batch per pool.
SELECT pg_catalog.set_config('subsidy.today', to_char((max(ends_on) + 20), 'YYYY-MM-DD'), false) AS ignored
  FROM subsidy.publicity WHERE year = :year \gset
SELECT count(*) AS report_batches, sum(payments) AS payments_reported
  FROM subsidy.report_upward(:year, pg_catalog.format('NATIONAL-%s', :year));
RESET subsidy.today;
