-- Step of test/sample/screening.sql (which documents the screening year); run by it in order,
-- or on its own, each step in its own session.
\set ON_ERROR_STOP 1
SELECT year, applications FROM province.settings \gset

-- hrss decides every pool's list on 20 May: in 2022 the large units' rate is 0.3 until 31 May
-- (0.5 from 1 June: the difference comes later as a top-up), 0.9 for the others.
SELECT pg_catalog.set_config('subsidy.today', to_char(make_date(:year, 5, 20), 'YYYY-MM-DD'), false) AS ignored \gset
SELECT sum(d.decided) AS decided, sum(d.approved) AS approved, sum(d.rejected) AS rejected, sum(d.waiting) AS waiting
  FROM subsidy.region r CROSS JOIN LATERAL subsidy.decide(r.code, :year) d WHERE r.is_pool;
RESET subsidy.today;
