-- Whether this session restores a dump (begin_restore ... finish_restore); the guards then load
-- rows as dumped.
CREATE FUNCTION subsidy.restoring() RETURNS boolean
  AS 'MODULE_PATHNAME', 'subsidy_restoring' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION subsidy.restoring() IS
  'S4: whether this session restores a dump: a superuser''s, between subsidy.begin_restore and subsidy.finish_restore; the guards then load rows as dumped';
