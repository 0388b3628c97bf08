CREATE TYPE subsidy.outcome AS ENUM ('eligible', 'ineligible', 'undetermined');
COMMENT ON TYPE subsidy.outcome IS 'the engine''s verdict: eligible, ineligible on known facts, or undetermined for missing facts (E0)';

-- The engine's result, fixed-width and exact: what assess_year stores.
CREATE TYPE subsidy.verdict;
CREATE FUNCTION subsidy.verdict_in(cstring) RETURNS subsidy.verdict
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION subsidy.verdict_out(subsidy.verdict) RETURNS cstring
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION subsidy.verdict_recv(internal) RETURNS subsidy.verdict
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION subsidy.verdict_send(subsidy.verdict) RETURNS bytea
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE subsidy.verdict (
  INPUT = subsidy.verdict_in,
  OUTPUT = subsidy.verdict_out,
  RECEIVE = subsidy.verdict_recv,
  SEND = subsidy.verdict_send,
  INTERNALLENGTH = 64,
  ALIGNMENT = double,
  STORAGE = plain
);
COMMENT ON TYPE subsidy.verdict IS
  'one application assessed, in 64 exact bytes (money in fen, rules as bit sets); prints as "eligible rule=A1 basis=paid base=... amount=..."; cast to subsidy.assessment for standard types';

CREATE FUNCTION subsidy.verdict_eq(subsidy.verdict, subsidy.verdict) RETURNS boolean
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION subsidy.verdict_ne(subsidy.verdict, subsidy.verdict) RETURNS boolean
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE OPERATOR subsidy.= (
  LEFTARG = subsidy.verdict, RIGHTARG = subsidy.verdict, FUNCTION = subsidy.verdict_eq,
  COMMUTATOR = OPERATOR(subsidy.=), NEGATOR = OPERATOR(subsidy.<>),
  RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel
);
CREATE OPERATOR subsidy.<> (
  LEFTARG = subsidy.verdict, RIGHTARG = subsidy.verdict, FUNCTION = subsidy.verdict_ne,
  COMMUTATOR = OPERATOR(subsidy.<>), NEGATOR = OPERATOR(subsidy.=),
  RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel
);

CREATE TYPE subsidy.assessment AS (
  outcome subsidy.outcome,
  rule text,
  basis subsidy.basis,
  basis_amount numeric,
  rate numeric,
  amount numeric,
  layoff_rate numeric,
  layoff_threshold numeric,
  fund_cover_months numeric,
  fund_cover_required numeric,
  failed_rules text[],
  open_rules text[],
  missing_facts text[],
  reasons text[],
  threshold_source subsidy.threshold_source,
  comparator subsidy.comparator,
  small_unit_headcount integer,
  regime_rules text[]
);
CREATE FUNCTION subsidy.assessment(subsidy.verdict) RETURNS subsidy.assessment
  AS 'MODULE_PATHNAME', 'verdict_assessment' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION subsidy.assessment(subsidy.verdict) IS 'a verdict in standard types, field by field';
CREATE CAST (subsidy.verdict AS subsidy.assessment) WITH FUNCTION subsidy.assessment(subsidy.verdict);

-- The parameters an assessment used, kept as they were (policy_in_force rows, deduplicated).
CREATE TABLE subsidy.policy_snapshot (
  id bigint PRIMARY KEY,
  year integer NOT NULL,
  region text NOT NULL REFERENCES subsidy.region (code),
  parameters jsonb NOT NULL,
  taken_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
  UNIQUE (year, region, parameters)
);
COMMENT ON TABLE subsidy.policy_snapshot IS
  'the parameters and region facts in force when an assessment was stored, as a policy_in_force row';
COMMENT ON COLUMN subsidy.policy_snapshot.id IS 'the snapshot''s number';
COMMENT ON COLUMN subsidy.policy_snapshot.year IS 'the subsidy year';
COMMENT ON COLUMN subsidy.policy_snapshot.region IS 'the pooling region';
COMMENT ON COLUMN subsidy.policy_snapshot.parameters IS 'the parameters in force and the region''s facts, as policy_in_force showed them';
COMMENT ON COLUMN subsidy.policy_snapshot.taken_at IS 'when they were recorded';

-- No foreign keys: store_verdicts is the only writer (the table's guard), and it writes the id
-- of an application it has just read under review and of a snapshot it has just joined; an
-- application assessed is never deleted (only a draft is, W1), nor is a snapshot.  Checked per
-- row, the two keys were half of assess_year's time at province scale (issue 17).
CREATE TABLE subsidy.application_verdict (
  application_id bigint PRIMARY KEY,
  assessed_at timestamptz NOT NULL,
  policy_snapshot_id bigint NOT NULL,
  verdict subsidy.verdict NOT NULL
);
COMMENT ON TABLE subsidy.application_verdict IS
  'the latest stored verdict on each application (assess_year), with the parameters it used; application_assessment shows it in standard types';
COMMENT ON COLUMN subsidy.application_verdict.application_id IS 'the application assessed';
COMMENT ON COLUMN subsidy.application_verdict.verdict IS 'the engine''s verdict (outcome, amount, reasons) as assess_year stored it';
COMMENT ON COLUMN subsidy.application_verdict.policy_snapshot_id IS 'the parameters in force it was assessed with';
COMMENT ON COLUMN subsidy.application_verdict.assessed_at IS 'when this verdict was stored: an assessment again that finds the same verdict under the same parameters leaves the row as it is';

-- Numbered by subsidy.assign_number (records.c), within the row's region: no client picks a number.
SELECT pg_catalog.pg_extension_config_dump('subsidy.policy_snapshot', '');
SELECT pg_catalog.pg_extension_config_dump('subsidy.application_verdict', '');
