CREATE TRIGGER required_document_protect_shipped BEFORE INSERT OR UPDATE OR DELETE ON subsidy.required_document
  FOR EACH ROW EXECUTE FUNCTION subsidy.protect_shipped_rows();
CREATE FUNCTION subsidy.sign_off_guard() RETURNS trigger AS 'MODULE_PATHNAME' LANGUAGE C;
COMMENT ON FUNCTION subsidy.sign_off_guard() IS
  'trigger: each agency signs only its own part, in review, in the current round, and not when related to the enterprise; never deleted';
CREATE TRIGGER sign_off_guard BEFORE INSERT OR UPDATE OR DELETE ON subsidy.sign_off
  FOR EACH ROW EXECUTE FUNCTION subsidy.sign_off_guard();

CREATE FUNCTION subsidy.publicity_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  n integer;
BEGIN
  IF subsidy.restoring() THEN
    RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
  END IF;
  IF TG_OP <> 'INSERT' THEN
    RAISE EXCEPTION 'a publicity period is never changed or removed once started'
      USING ERRCODE = 'SBW05',
            DETAIL = 'What was published, and when, is part of the record (W5).';
  END IF;
  n := (SELECT p.publicity_workdays FROM subsidy.policy_in_force p
         WHERE p.year = NEW.year AND p.region = NEW.region);
  IF n IS NULL THEN
    RAISE EXCEPTION 'no parameters for region % in %', NEW.region, NEW.year USING ERRCODE = 'SBW05';
  END IF;
  IF NEW.starts_on < subsidy.today() THEN
    RAISE EXCEPTION 'a publicity cannot start in the past (% is before today, %)', NEW.starts_on, subsidy.today()
      USING ERRCODE = 'SBW05',
            DETAIL = 'A publicity runs its full working days from the day it is published (W5).',
            HINT = 'Start it today or later.';
  END IF;
  NEW.workdays := n;
  NEW.ends_on := subsidy.publicity_end(NEW.starts_on, n);
  NEW.started_by := SESSION_USER;
  NEW.started_at := now();
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION subsidy.publicity_guard() IS
  'trigger: a publicity ends on the calendar''s n-th working day, starts no earlier than today, and is never changed';
CREATE TRIGGER publicity_guard BEFORE INSERT OR UPDATE OR DELETE ON subsidy.publicity
  FOR EACH ROW EXECUTE FUNCTION subsidy.publicity_guard();

CREATE FUNCTION subsidy.objection_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF subsidy.restoring() THEN
    RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
  END IF;
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'an objection is never deleted' USING ERRCODE = 'SBW06';
  ELSIF TG_OP = 'UPDATE' AND (NEW.application_id, NEW.review_round, NEW.text, NEW.raised_on, NEW.recorded_by)
        IS DISTINCT FROM (OLD.application_id, OLD.review_round, OLD.text, OLD.raised_on, OLD.recorded_by) THEN
    RAISE EXCEPTION 'an objection is recorded as raised; only its resolution is added'
      USING ERRCODE = 'SBW06';
  ELSIF TG_OP = 'INSERT' THEN
    NEW.review_round := (SELECT a.review_round FROM subsidy.application a WHERE a.id = NEW.application_id);
    NEW.raised_on := subsidy.today();
    NEW.recorded_by := SESSION_USER;
    NEW.resolved_on := NULL;
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION subsidy.objection_guard() IS 'trigger: objections are recorded once and never removed';
CREATE TRIGGER objection_guard BEFORE INSERT OR UPDATE OR DELETE ON subsidy.objection
  FOR EACH ROW EXECUTE FUNCTION subsidy.objection_guard();

CREATE FUNCTION subsidy.audit_log_guard() RETURNS trigger AS 'MODULE_PATHNAME' LANGUAGE C;
COMMENT ON FUNCTION subsidy.audit_log_guard() IS
  'trigger: the audit log takes appends from subsidy''s own triggers only, and no update, delete or truncate from anyone';
CREATE TRIGGER audit_log_guard BEFORE INSERT OR UPDATE OR DELETE ON subsidy.audit_log
  FOR EACH ROW EXECUTE FUNCTION subsidy.audit_log_guard();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON subsidy.audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION subsidy.audit_log_guard();

CREATE FUNCTION subsidy.lock_audit_chain(region text) RETURNS void
  AS 'MODULE_PATHNAME', 'audit_chain_lock' LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;
COMMENT ON FUNCTION subsidy.lock_audit_chain(text) IS
  'lock a region''s audit chain until the end of the transaction; every entry point takes it before any row, so that steps take their locks in one order (since 1.1)';

CREATE FUNCTION subsidy.verify_audit()
RETURNS TABLE (region text, seq bigint, application_id bigint, problem text)
  AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL RESTRICTED ROWS 10;
COMMENT ON FUNCTION subsidy.verify_audit() IS
  'W9: every break in the audit chains (a changed, missing or reordered entry) and every application whose stage its log does not explain; no rows when the trail is intact';

CREATE VIEW subsidy.audit_head AS
SELECT DISTINCT ON (l.region) l.region, l.seq, l.at, pg_catalog.encode(l.hash, 'hex') AS hash
  FROM subsidy.audit_log l
 WHERE ((SELECT subsidy.sees_every_region(current_user)) OR l.region = ANY ((SELECT subsidy.regions_of(current_user))::text[]))
 ORDER BY l.region, l.seq DESC;
COMMENT ON VIEW subsidy.audit_head IS
  'the last entry of each region''s audit chain: keep these hashes outside the database (the annual report does) to make even a superuser''s rewrite of the chain visible';

CREATE FUNCTION subsidy.application_history(p_id bigint)
RETURNS TABLE (at timestamptz, actor text, acting_role text, action text, from_stage text, to_stage text,
               detail text, figures json)
LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  SELECT l.at, l.actor, l.acting_role, l.action, l.from_stage, l.to_stage, l.detail, l.figures
    FROM subsidy.audit_log l
   WHERE l.application_id = p_id
     AND ((SELECT subsidy.sees_every_region(current_user))
          OR l.region = ANY ((SELECT subsidy.regions_of(current_user))::text[]))
   ORDER BY l.region, l.seq
$$;
COMMENT ON FUNCTION subsidy.application_history(bigint) IS
  'W9: the trail of one application, step by step (who, when, from, to, why, the figures then), in the caller''s regions (since 1.1)';

-- The stage guard on applications (W1-W8): C, BEFORE ROW, named to run after application_facts.
CREATE FUNCTION subsidy.application_guard() RETURNS trigger AS 'MODULE_PATHNAME' LANGUAGE C;
COMMENT ON FUNCTION subsidy.application_guard() IS
  'trigger: only the transitions of W1, each by its role and on its conditions; columns change only in their stages and by their roles; every step logged (W9)';
CREATE TRIGGER application_stage_guard BEFORE INSERT OR UPDATE OR DELETE ON subsidy.application
  FOR EACH ROW EXECUTE FUNCTION subsidy.application_guard();

-- Applications that share one bank account (section 11, 骗取套取).
CREATE VIEW subsidy.shared_bank_account AS
SELECT e.bank_account, pg_catalog.count(*) OVER (PARTITION BY e.bank_account) AS enterprises,
       e.uscc::text AS uscc, e.name, e.region
  FROM subsidy.enterprise e
 WHERE e.bank_account IN (SELECT bank_account FROM subsidy.enterprise
                           WHERE bank_account IS NOT NULL AND bank_account <> ''
                           GROUP BY bank_account HAVING pg_catalog.count(*) > 1)
   AND ((SELECT subsidy.sees_every_region(current_user)) OR e.region = ANY ((SELECT subsidy.regions_of(current_user))::text[]));
COMMENT ON VIEW subsidy.shared_bank_account IS
  'section 11: bank accounts that more than one enterprise would be paid into, for review before payment (the caller''s regions)';

-- The review queue (W10): monitored enterprises first, then by submission.
CREATE VIEW subsidy.review_queue AS
SELECT pg_catalog.row_number() OVER (PARTITION BY a.region, a.year
                                     ORDER BY coalesce(a.monitored, false) DESC, a.submitted_on, a.id) AS position,
       a.region, a.year, a.id AS application_id, a.uscc::text AS uscc, e.name,
       coalesce(a.monitored, false) AS monitored, a.stage::text AS stage, a.submitted_on, a.review_round,
       EXISTS (SELECT FROM subsidy.sign_off s WHERE s.application_id = a.id AND s.review_round = a.review_round AND s.agency = 'hrss') AS hrss_signed,
       EXISTS (SELECT FROM subsidy.sign_off s WHERE s.application_id = a.id AND s.review_round = a.review_round AND s.agency = 'agency') AS agency_signed,
       EXISTS (SELECT FROM subsidy.sign_off s WHERE s.application_id = a.id AND s.review_round = a.review_round AND s.agency = 'finance') AS finance_signed,
       v.outcome::text AS outcome, v.missing_facts,
       e.bank_account IN (SELECT bank_account FROM subsidy.shared_bank_account) AS shared_bank_account
  FROM subsidy.application a
  JOIN subsidy.enterprise e ON e.uscc OPERATOR(subsidy.=) a.uscc
  LEFT JOIN LATERAL subsidy.assess(a) v ON true
 WHERE a.stage IN ('submitted', 'in_review')
   AND ((SELECT subsidy.sees_every_region(current_user)) OR a.region = ANY ((SELECT subsidy.regions_of(current_user))::text[]))
 ORDER BY a.region, a.year, position;
COMMENT ON VIEW subsidy.review_queue IS
  'W10: applications awaiting review, enterprises in unemployment dynamic monitoring (绿色通道) first, with their sign-offs, the engine''s outcome and the section 11 flags';
