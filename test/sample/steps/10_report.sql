-- Step of test/sample/province.sql (which documents the province); run by it in order, or
-- on its own (each step in its own session) by test/bench/cycle.sh.
\set ON_ERROR_STOP 1
SELECT year, applications FROM province.settings \gset

-- The agency reports the payment times to hrss, which reports each pool's payments upward,
-- one batch per pool (W8).
SELECT pg_catalog.set_config('subsidy.today', to_char((max(ends_on) + 20), 'YYYY-MM-DD'), false) AS ignored
  FROM subsidy.publicity WHERE year = :year \gset
SELECT count(*) AS pools, sum(payments) AS payment_times_reported FROM subsidy.report_payment_times(:year);
SELECT count(*) AS report_batches, sum(payments) AS payments_reported
  FROM subsidy.report_upward(:year, pg_catalog.format('NATIONAL-%s', :year));
RESET subsidy.today;
