--
-- uscc: the Unified Social Credit Code (统一社会信用代码, GB 32100-2015)
--

CREATE TYPE subsidy.uscc;

CREATE FUNCTION subsidy.uscc_in(cstring) RETURNS subsidy.uscc
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION subsidy.uscc_out(subsidy.uscc) RETURNS cstring
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION subsidy.uscc_recv(internal) RETURNS subsidy.uscc
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION subsidy.uscc_send(subsidy.uscc) RETURNS bytea
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- 17 base-31 digits in three words; the check character is implied.
CREATE TYPE subsidy.uscc (
  INPUT = subsidy.uscc_in,
  OUTPUT = subsidy.uscc_out,
  RECEIVE = subsidy.uscc_recv,
  SEND = subsidy.uscc_send,
  INTERNALLENGTH = 12,
  ALIGNMENT = int4,
  STORAGE = plain
);
COMMENT ON TYPE subsidy.uscc IS
  'Unified Social Credit Code (统一社会信用代码, GB 32100-2015): 18 characters, check character verified on input';

-- casts to and from text
CREATE FUNCTION subsidy.uscc(text) RETURNS subsidy.uscc
  AS 'MODULE_PATHNAME', 'uscc_from_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION subsidy.text(subsidy.uscc) RETURNS text
  AS 'MODULE_PATHNAME', 'uscc_to_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (text AS subsidy.uscc) WITH FUNCTION subsidy.uscc(text) AS ASSIGNMENT;
CREATE CAST (subsidy.uscc AS text) WITH FUNCTION subsidy.text(subsidy.uscc) AS ASSIGNMENT;
COMMENT ON FUNCTION subsidy.uscc(text) IS 'text to Unified Social Credit Code; raises 22P02 on an invalid code';
COMMENT ON FUNCTION subsidy.text(subsidy.uscc) IS 'Unified Social Credit Code in its canonical upper-case form';

-- comparison
CREATE FUNCTION subsidy.uscc_eq(subsidy.uscc, subsidy.uscc) RETURNS boolean
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION subsidy.uscc_ne(subsidy.uscc, subsidy.uscc) RETURNS boolean
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION subsidy.uscc_lt(subsidy.uscc, subsidy.uscc) RETURNS boolean
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION subsidy.uscc_le(subsidy.uscc, subsidy.uscc) RETURNS boolean
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION subsidy.uscc_gt(subsidy.uscc, subsidy.uscc) RETURNS boolean
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION subsidy.uscc_ge(subsidy.uscc, subsidy.uscc) RETURNS boolean
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION subsidy.uscc_cmp(subsidy.uscc, subsidy.uscc) RETURNS integer
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION subsidy.uscc_sortsupport(internal) RETURNS void
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION subsidy.uscc_hash(subsidy.uscc) RETURNS integer
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION subsidy.uscc_hash_extended(subsidy.uscc, bigint) RETURNS bigint
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;

CREATE OPERATOR subsidy.= (
  LEFTARG = subsidy.uscc, RIGHTARG = subsidy.uscc, FUNCTION = subsidy.uscc_eq,
  COMMUTATOR = OPERATOR(subsidy.=), NEGATOR = OPERATOR(subsidy.<>),
  RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR subsidy.<> (
  LEFTARG = subsidy.uscc, RIGHTARG = subsidy.uscc, FUNCTION = subsidy.uscc_ne,
  COMMUTATOR = OPERATOR(subsidy.<>), NEGATOR = OPERATOR(subsidy.=),
  RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel
);
CREATE OPERATOR subsidy.< (
  LEFTARG = subsidy.uscc, RIGHTARG = subsidy.uscc, FUNCTION = subsidy.uscc_lt,
  COMMUTATOR = OPERATOR(subsidy.>), NEGATOR = OPERATOR(subsidy.>=),
  RESTRICT = pg_catalog.scalarltsel, JOIN = pg_catalog.scalarltjoinsel
);
CREATE OPERATOR subsidy.<= (
  LEFTARG = subsidy.uscc, RIGHTARG = subsidy.uscc, FUNCTION = subsidy.uscc_le,
  COMMUTATOR = OPERATOR(subsidy.>=), NEGATOR = OPERATOR(subsidy.>),
  RESTRICT = pg_catalog.scalarlesel, JOIN = pg_catalog.scalarlejoinsel
);
CREATE OPERATOR subsidy.> (
  LEFTARG = subsidy.uscc, RIGHTARG = subsidy.uscc, FUNCTION = subsidy.uscc_gt,
  COMMUTATOR = OPERATOR(subsidy.<), NEGATOR = OPERATOR(subsidy.<=),
  RESTRICT = pg_catalog.scalargtsel, JOIN = pg_catalog.scalargtjoinsel
);
CREATE OPERATOR subsidy.>= (
  LEFTARG = subsidy.uscc, RIGHTARG = subsidy.uscc, FUNCTION = subsidy.uscc_ge,
  COMMUTATOR = OPERATOR(subsidy.<=), NEGATOR = OPERATOR(subsidy.<),
  RESTRICT = pg_catalog.scalargesel, JOIN = pg_catalog.scalargejoinsel
);

CREATE OPERATOR FAMILY subsidy.uscc_ops USING btree;
CREATE OPERATOR FAMILY subsidy.uscc_ops USING hash;

CREATE OPERATOR CLASS subsidy.uscc_ops DEFAULT FOR TYPE subsidy.uscc
  USING btree FAMILY subsidy.uscc_ops AS
    OPERATOR 1 subsidy.<,
    OPERATOR 2 subsidy.<=,
    OPERATOR 3 subsidy.=,
    OPERATOR 4 subsidy.>=,
    OPERATOR 5 subsidy.>,
    FUNCTION 1 subsidy.uscc_cmp(subsidy.uscc, subsidy.uscc),
    FUNCTION 2 subsidy.uscc_sortsupport(internal);

CREATE OPERATOR CLASS subsidy.uscc_ops DEFAULT FOR TYPE subsidy.uscc
  USING hash FAMILY subsidy.uscc_ops AS
    OPERATOR 1 subsidy.=,
    FUNCTION 1 subsidy.uscc_hash(subsidy.uscc),
    FUNCTION 2 subsidy.uscc_hash_extended(subsidy.uscc, bigint);
