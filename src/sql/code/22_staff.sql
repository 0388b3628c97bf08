--
-- Who acts where (rights.c): the caller's roles and pooling regions, which row-level security
-- and every view ask once per query.
--
GRANT USAGE ON SCHEMA subsidy TO subsidy_applicant, subsidy_agency, subsidy_hrss, subsidy_finance,
  subsidy_reader, subsidy_admin;

CREATE FUNCTION subsidy.sees_every_region() RETURNS boolean
  AS 'MODULE_PATHNAME', 'subsidy_sees_every_region' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION subsidy.sees_every_region() IS
  'whether the current role acts in every pooling region (subsidy_admin, or a superuser); policies ask it first, once per query, so that the DBA''s reports skip the per-row region test';

CREATE FUNCTION subsidy.caller_regions() RETURNS text[]
  AS 'MODULE_PATHNAME', 'subsidy_caller_regions' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION subsidy.caller_regions() IS
  'the pooling regions the current role acts in, by staff_region (every pool for subsidy_admin); row-level security filters by it. It answers for the caller only';
CREATE FUNCTION subsidy.require_region(region text) RETURNS void
  AS 'MODULE_PATHNAME', 'require_region_sql' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION subsidy.require_region(text) IS
  'the check every entry point that names a region makes first: the caller acts in it (staff_region), or an error that names only the code asked for';

-- The messages the SQL code raises, through the extension's message catalog (messages.c).
CREATE FUNCTION subsidy.raise(key text, VARIADIC args text[] DEFAULT '{}') RETURNS void
  AS 'MODULE_PATHNAME', 'subsidy_raise' LANGUAGE C VOLATILE PARALLEL SAFE;
COMMENT ON FUNCTION subsidy.raise(text, text[]) IS
  'raise the extension''s message of that key (an error, a warning or a notice), translated by lc_messages, with its arguments';
CREATE FUNCTION subsidy.message(key text, VARIADIC args text[] DEFAULT '{}') RETURNS text
  AS 'MODULE_PATHNAME', 'subsidy_message' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION subsidy.message(text, text[]) IS
  'the extension''s message of that key, translated by lc_messages and filled with its arguments, as text (a line of a list of problems)';

-- Whether the library was loaded as this session started (hooks.c): a clerk's session that
-- did not load it so is refused, and the install says so to the DBA.
CREATE FUNCTION subsidy.preloaded() RETURNS boolean
  AS 'MODULE_PATHNAME', 'subsidy_preloaded' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION subsidy.preloaded() IS
  'whether this session loaded subsidy as it started (shared_preload_libraries or session_preload_libraries), which clerks'' sessions need';
CREATE FUNCTION subsidy.session_guarded() RETURNS boolean
  AS 'MODULE_PATHNAME', 'subsidy_session_guarded' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION subsidy.session_guarded() IS
  'true, or the refusal of a clerk''s session that did not load subsidy as it started; every row-level security policy calls it, IMMUTABLE so that the planner does, before any plan is made';

-- ALTER ROLE ... RENAME TO of a role that staff rows name is logged by the extension's hook in
-- the database it runs in (trail.c, log_role_renamed); in each other database with the
-- extension, a superuser logs it with this (the fourth tester's F3).
CREATE FUNCTION subsidy.log_role_renamed(role regrole, old_name text) RETURNS integer
  AS 'MODULE_PATHNAME', 'subsidy_log_role_renamed' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION subsidy.log_role_renamed(regrole, text) IS
  'S4: a role''s rename logged for the staff rows that name it, in a database other than the one ALTER ROLE ... RENAME TO ran in (there the extension logs it itself); only rows whose log holds them, under the old name, as they are; a superuser''s. Returns how many rows it logged';
REVOKE ALL ON FUNCTION subsidy.log_role_renamed(regrole, text) FROM PUBLIC;
