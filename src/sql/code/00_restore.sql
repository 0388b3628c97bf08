-- Whether this session restores a dump; the guards then load rows as dumped.
CREATE FUNCTION subsidy.restoring() RETURNS boolean
  AS 'MODULE_PATHNAME', 'subsidy_restoring' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION subsidy.restoring() IS
  'whether this session restores a dump (a superuser with row_security off, as pg_dump''s scripts set): the guards then load rows as dumped';
