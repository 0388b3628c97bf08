-- An audit entry's hash recomputed in plain SQL, as anyone who reads src/audit.c can: the
-- attacker's tool in test/tap/t/003_tamper.pl, and the chain check a DBA would write by hand
-- in test/bench/audit.sh.  Each field is its length and its UTF-8 bytes (NULL: four 0xff
-- bytes); the time is microseconds since 2000-01-01; the hash covers the entry before it.
-- An entry that names a row adds its subject, then a byte 1 and its 16-byte state (or 0 for
-- a row removed).
CREATE SCHEMA audit_sql;
CREATE FUNCTION audit_sql.field(t text) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN t IS NULL THEN '\xffffffff'::bytea
              ELSE int4send(octet_length(t)) || convert_to(t, 'UTF8') END
$$;
CREATE FUNCTION audit_sql.entry_hash(prev bytea, e subsidy.audit_log) RETURNS bytea LANGUAGE sql STABLE AS $$
  SELECT sha256(prev || audit_sql.field(e.region) || int8send(e.seq)
                || int8send((extract(epoch FROM e.at - '2000-01-01 00:00:00+00') * 1000000)::bigint)
                || audit_sql.field(e.actor) || audit_sql.field(e.acting_role) || int8send(coalesce(e.application_id, 0))
                || audit_sql.field(e.uscc) || audit_sql.field(e.action) || audit_sql.field(e.from_stage)
                || audit_sql.field(e.to_stage) || audit_sql.field(e.detail) || audit_sql.field(e.figures::text)
                || CASE WHEN e.subject IS NULL THEN ''::bytea
                        ELSE audit_sql.field(e.subject)
                             || CASE WHEN e.state IS NULL THEN '\x00'::bytea ELSE '\x01'::bytea || e.state END END)
$$;
