-- subsidy: the unemployment-insurance job-stabilisation subsidy (失业保险稳岗补贴).
-- Built from src/sql: schema/*.sql (types, tables and the rows shipped with them: created
-- once, then changed by each upgrade script) and code/*.sql (functions, views, triggers,
-- policies and rights: dropped and created again by every upgrade), each in name order.
-- Every object is schema-qualified so that no search_path can redirect it.

-- complain if the script is sourced in psql rather than loaded by CREATE EXTENSION
\echo Use "CREATE EXTENSION subsidy" to load this file. \quit

COMMENT ON SCHEMA subsidy IS
  'Unemployment-insurance job-stabilisation subsidy (失业保险稳岗补贴): eligibility, amounts, review workflow and reports';
