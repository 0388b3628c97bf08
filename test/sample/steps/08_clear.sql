-- Step of test/sample/province.sql (which documents the province); run by it in order, or
-- on its own (each step in its own session) by test/bench/cycle.sh.
\set ON_ERROR_STOP 1
SELECT year, applications FROM province.settings \gset

-- Publicity ends without objection; hrss clears the lists the day after.
SELECT pg_catalog.set_config('subsidy.today', to_char((max(ends_on) + 1), 'YYYY-MM-DD'), false) AS ignored
  FROM subsidy.publicity WHERE year = :year \gset
SELECT sum(cleared) AS cleared FROM subsidy.close_publicity(:year);
RESET subsidy.today;
