-- Step of test/sample/screening.sql (which documents the screening year); run by it in order,
-- or on its own, each step in its own session.
\set ON_ERROR_STOP 1
SELECT year, applications FROM province.settings \gset

-- A6: where the year's rate rose after the list was decided (2022's large units, 0.3 before
-- 1 June and 0.5 from it), each pool's agency computes what every paid application is owed
-- under the rate in force now, and pays it as a second payment under its own reference.
SELECT pg_catalog.set_config('subsidy.today', to_char((max(ends_on) + 20), 'YYYY-MM-DD'), false) AS ignored
  FROM subsidy.publicity WHERE year = :year \gset
SET client_min_messages = warning;
SELECT sum(subsidy.top_up(r.code, :year)) AS top_ups FROM subsidy.region r WHERE r.is_pool;
SELECT count(*) AS top_ups_paid, sum(p.amount) AS amount
  FROM subsidy.top_up t
 CROSS JOIN LATERAL subsidy.pay_top_up(t.id, subsidy.today(), pg_catalog.format('TOPUP-%s-%s', t.year, t.application_id)) p
 WHERE t.year = :year AND t.paid_on IS NULL;
RESET client_min_messages;
RESET subsidy.today;
