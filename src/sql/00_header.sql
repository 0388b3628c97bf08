-- subsidy: the unemployment-insurance job-stabilisation subsidy (失业保险稳岗补贴).
-- This script is built from src/sql/*.sql, one file per concept, in name order.
-- Every object is schema-qualified so that no search_path can redirect it.

-- complain if the script is sourced in psql rather than loaded by CREATE EXTENSION
\echo Use "CREATE EXTENSION subsidy" to load this file. \quit

COMMENT ON SCHEMA subsidy IS
  'Unemployment-insurance job-stabilisation subsidy (失业保险稳岗补贴): eligibility, amounts, review workflow and reports';

-- Whether this session restores a dump; the guards then load rows as dumped.
CREATE FUNCTION subsidy.restoring() RETURNS boolean
  AS 'MODULE_PATHNAME', 'subsidy_restoring' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION subsidy.restoring() IS
  'whether this session restores a dump (a superuser with row_security off, as pg_dump''s scripts set): the guards then load rows as dumped';

