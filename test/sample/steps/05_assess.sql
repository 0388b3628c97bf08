-- Step of test/sample/province.sql (which documents the province); run by it in order, or
-- on its own (each step in its own session) by test/bench/cycle.sh.
\set ON_ERROR_STOP 1
SELECT year, applications FROM province.settings \gset

-- The DBA stores every application's verdict under the parameters in force, in batches.
CALL subsidy.assess_year(:year);
