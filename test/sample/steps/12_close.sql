-- Step of test/sample/province.sql (which documents the province); run by it in order, or
-- on its own (each step in its own session) by test/bench/cycle.sh.
\set ON_ERROR_STOP 1
SELECT year, applications FROM province.settings \gset

-- The DBA closes the year: every application reported, rejected or withdrawn, the report
-- frozen as it stands.
CALL subsidy.close_year(:year);
