-- Step of test/sample/screening.sql (which documents the screening year); run by it in order,
-- or on its own, each step in its own session.
\set ON_ERROR_STOP 1
SELECT year, applications FROM province.settings \gset

-- As in an application year (test/sample/steps/10_report.sql), once the top-ups are paid.
SELECT pg_catalog.set_config('subsidy.today', to_char((max(ends_on) + 25), 'YYYY-MM-DD'), false) AS ignored
  FROM subsidy.publicity WHERE year = :year \gset
SELECT count(*) AS pools, sum(payments) AS payment_times_reported FROM subsidy.report_payment_times(:year);
SELECT count(*) AS report_batches, sum(payments) AS payments_reported
  FROM subsidy.report_upward(:year, pg_catalog.format('NATIONAL-%s', :year));
RESET subsidy.today;
