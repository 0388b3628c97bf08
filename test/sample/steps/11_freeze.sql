-- Step of test/sample/province.sql (which documents the province); run by it in order, or
-- on its own (each step in its own session) by test/bench/cycle.sh.
\set ON_ERROR_STOP 1
SELECT year, applications FROM province.settings \gset

-- By 15 January the annual report is sent to the province and frozen as sent.
CALL subsidy.freeze_annual_report(:year);
