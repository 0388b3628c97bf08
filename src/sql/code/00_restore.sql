-- Whether this session restores a dump; the guards then load rows as dumped.
CREATE FUNCTION subsidy.restoring() RETURNS boolean
  AS 'MODULE_PATHNAME', 'subsidy_restoring' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION subsidy.restoring() IS
  'whether this session restores a dump (subsidy.restore_mode, which only a superuser sets): the guards then load rows as dumped';
