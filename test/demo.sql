-- The main job, as far as it goes: the extension and its enterprise code type at work.
\pset footer off
CREATE EXTENSION subsidy;
SET search_path = public, subsidy;

\echo
\echo '-- Codes as clerks type them (full width, lower case, stray spaces) come out canonical:'
SELECT raw AS typed, raw::uscc AS stored,
       uscc_division_code(raw::uscc) AS division,
       uscc_organisation_code(raw::uscc) AS organisation_code
  FROM (VALUES (' ９１３５０１００ｍ０００１００ｙ４３ '), ('91110000600037341l'), ('　９１４４０３００７１５２６７２６ＸＧ')) v(raw);

\echo
\echo '-- A raw import screened without errors, then a mistyped code refused with the fix:'
SELECT raw, uscc_is_valid(raw) AS valid
  FROM (VALUES ('91350100M000100Y43'), ('91350100M000100Y44'), ('91350100O000100Y43'), ('9135010M000100Y43')) v(raw);
\set ON_ERROR_STOP 0
SELECT '91350100M000100Y44'::uscc;
\set ON_ERROR_STOP 1
