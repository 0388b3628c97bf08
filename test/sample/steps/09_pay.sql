-- Step of test/sample/province.sql (which documents the province); run by it in order, or
-- on its own (each step in its own session) by test/bench/cycle.sh.
\set ON_ERROR_STOP 1
SELECT year, applications FROM province.settings \gset

-- The banks pay within a fortnight; the agency loads their payment file (as COPY would,
-- through payment_file_load) and applies it.
SELECT pg_catalog.set_config('subsidy.today', to_char((max(ends_on) + 15), 'YYYY-MM-DD'), false) AS ignored
  FROM subsidy.publicity WHERE year = :year \gset
SELECT pg_catalog.set_config('subsidy.payment_batch', pg_catalog.format('%s-首批', :year), false) AS batch \gset
INSERT INTO subsidy.payment_file_load (uscc, year, amount, paid_on, reference)
SELECT a.uscc, a.year, a.decided_amount, subsidy.today() - (province.u(app.n, 52) * 13)::integer,
       pg_catalog.format('PAY-%s-%s', a.year, a.id)
  FROM subsidy.application a JOIN province.app app ON app.id = a.id
 WHERE a.year = :year AND a.stage = 'cleared';
CALL subsidy.pay_batch(:'batch');
RESET subsidy.payment_batch;
RESET subsidy.today;
