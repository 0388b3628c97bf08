-- Step of test/sample/province.sql: drop the generator's scratch schema.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
DROP SCHEMA province CASCADE;
RESET client_min_messages;
