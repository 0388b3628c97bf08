-- screening and accessors
CREATE FUNCTION subsidy.uscc_is_valid(text) RETURNS boolean
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION subsidy.uscc_is_valid(text) IS
  'whether the text is a valid Unified Social Credit Code; never raises, for screening raw imports';

CREATE FUNCTION subsidy.uscc_check_character(text) RETURNS text
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION subsidy.uscc_check_character(text) IS
  'the check character (校验码) that the first 17 characters of a code imply; 22P02 when they are not 17 characters of the code''s set';

CREATE FUNCTION subsidy.uscc_registration_authority(subsidy.uscc) RETURNS text
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION subsidy.uscc_registration_authority(subsidy.uscc) IS
  'position 1: registration authority code (登记管理部门代码), e.g. 9 for market regulation';

CREATE FUNCTION subsidy.uscc_organisation_type(subsidy.uscc) RETURNS text
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION subsidy.uscc_organisation_type(subsidy.uscc) IS
  'position 2: organisation type code (机构类别代码), e.g. 1 for an enterprise';

CREATE FUNCTION subsidy.uscc_division_code(subsidy.uscc) RETURNS text
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION subsidy.uscc_division_code(subsidy.uscc) IS
  'positions 3-8: administrative division code of the registering authority (登记管理机关行政区划码, GB/T 2260)';

CREATE FUNCTION subsidy.uscc_organisation_code(subsidy.uscc) RETURNS text
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION subsidy.uscc_organisation_code(subsidy.uscc) IS
  'positions 9-17: the embedded organisation code (组织机构代码, GB 11714), 9 characters';

CREATE FUNCTION subsidy.uscc_organisation_code_is_valid(subsidy.uscc) RETURNS boolean
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION subsidy.uscc_organisation_code_is_valid(subsidy.uscc) IS
  'whether the embedded organisation code''s own GB 11714 check character is right (older codes may fail it)';
