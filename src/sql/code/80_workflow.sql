--
-- The review workflow: stages enforced by triggers, the sign-offs, publicity and objections,
-- the audit trail (DOMAIN sections 2, 3, 8, 11).  Every view here applies the caller's own
-- row-level security (security_invoker), so that no function of the caller's ever sees a row
-- of a region the caller does not act in.
--

CREATE TRIGGER required_document_protect_shipped BEFORE INSERT OR UPDATE OR DELETE ON subsidy.required_document
  FOR EACH ROW EXECUTE FUNCTION subsidy.protect_shipped_rows();

-- Writes to the workflow's tables lock the caller's regions' audit chains first, in code
-- order, before any row (S3, and one lock order for plain UPDATEs and entry points alike).
CREATE TRIGGER application_lock_chains BEFORE UPDATE OR DELETE ON subsidy.application
  FOR EACH STATEMENT EXECUTE FUNCTION subsidy.lock_audit_chains();
CREATE TRIGGER sign_off_lock_chains BEFORE INSERT OR UPDATE OR DELETE ON subsidy.sign_off
  FOR EACH STATEMENT EXECUTE FUNCTION subsidy.lock_audit_chains();
CREATE TRIGGER enterprise_lock_chains BEFORE INSERT OR UPDATE OR DELETE ON subsidy.enterprise
  FOR EACH STATEMENT EXECUTE FUNCTION subsidy.lock_audit_chains();
CREATE TRIGGER enterprise_year_lock_chains BEFORE INSERT OR UPDATE OR DELETE ON subsidy.enterprise_year
  FOR EACH STATEMENT EXECUTE FUNCTION subsidy.lock_audit_chains();
CREATE TRIGGER region_basis_year_lock_chains BEFORE INSERT OR UPDATE OR DELETE ON subsidy.region_basis_year
  FOR EACH STATEMENT EXECUTE FUNCTION subsidy.lock_audit_chains();
CREATE TRIGGER application_window_lock_chains BEFORE INSERT OR UPDATE OR DELETE ON subsidy.application_window
  FOR EACH STATEMENT EXECUTE FUNCTION subsidy.lock_audit_chains();
CREATE TRIGGER policy_region_lock_chains BEFORE INSERT OR UPDATE OR DELETE ON subsidy.policy_region
  FOR EACH STATEMENT EXECUTE FUNCTION subsidy.lock_audit_chains();
CREATE TRIGGER spot_check_item_lock_chains BEFORE INSERT OR UPDATE OR DELETE ON subsidy.spot_check_item
  FOR EACH STATEMENT EXECUTE FUNCTION subsidy.lock_audit_chains();
CREATE TRIGGER policy_year_lock_chains BEFORE INSERT OR UPDATE OR DELETE ON subsidy.policy_year
  FOR EACH STATEMENT EXECUTE FUNCTION subsidy.lock_audit_chains();
CREATE TRIGGER calendar_lock_chains BEFORE INSERT OR UPDATE OR DELETE ON subsidy.calendar
  FOR EACH STATEMENT EXECUTE FUNCTION subsidy.lock_audit_chains();
CREATE TRIGGER required_document_lock_chains BEFORE INSERT OR UPDATE OR DELETE ON subsidy.required_document
  FOR EACH STATEMENT EXECUTE FUNCTION subsidy.lock_audit_chains();
CREATE TRIGGER staff_region_lock_chains BEFORE INSERT OR UPDATE OR DELETE ON subsidy.staff_region
  FOR EACH STATEMENT EXECUTE FUNCTION subsidy.lock_audit_chains();
CREATE TRIGGER staff_relation_lock_chains BEFORE INSERT OR UPDATE OR DELETE ON subsidy.staff_relation
  FOR EACH STATEMENT EXECUTE FUNCTION subsidy.lock_audit_chains();
CREATE TRIGGER objection_lock_chains BEFORE INSERT OR UPDATE OR DELETE ON subsidy.objection
  FOR EACH STATEMENT EXECUTE FUNCTION subsidy.lock_audit_chains();
CREATE TRIGGER publicity_lock_chains BEFORE INSERT OR UPDATE OR DELETE ON subsidy.publicity
  FOR EACH STATEMENT EXECUTE FUNCTION subsidy.lock_audit_chains();
CREATE TRIGGER report_batch_lock_chains BEFORE INSERT OR UPDATE OR DELETE ON subsidy.report_batch
  FOR EACH STATEMENT EXECUTE FUNCTION subsidy.lock_audit_chains();
CREATE TRIGGER spot_check_draw_lock_chains BEFORE INSERT OR UPDATE OR DELETE ON subsidy.spot_check_draw
  FOR EACH STATEMENT EXECUTE FUNCTION subsidy.lock_audit_chains();
CREATE TRIGGER payment_file_lock_chains BEFORE INSERT OR UPDATE OR DELETE ON subsidy.payment_file
  FOR EACH STATEMENT EXECUTE FUNCTION subsidy.lock_audit_chains();
CREATE TRIGGER closed_year_lock_chains BEFORE INSERT OR UPDATE OR DELETE ON subsidy.closed_year
  FOR EACH STATEMENT EXECUTE FUNCTION subsidy.lock_audit_chains();
CREATE TRIGGER annual_report_frozen_lock_chains BEFORE INSERT OR UPDATE OR DELETE ON subsidy.annual_report_frozen
  FOR EACH STATEMENT EXECUTE FUNCTION subsidy.lock_audit_chains();
CREATE TRIGGER region_lock_chains BEFORE INSERT OR UPDATE OR DELETE ON subsidy.region
  FOR EACH STATEMENT EXECUTE FUNCTION subsidy.lock_audit_chains();
CREATE TRIGGER national_target_lock_chains BEFORE INSERT OR UPDATE OR DELETE ON subsidy.national_target
  FOR EACH STATEMENT EXECUTE FUNCTION subsidy.lock_audit_chains();
CREATE TRIGGER top_up_lock_chains BEFORE INSERT OR UPDATE OR DELETE ON subsidy.top_up
  FOR EACH STATEMENT EXECUTE FUNCTION subsidy.lock_audit_chains();
CREATE TRIGGER region_office_lock_chains BEFORE INSERT OR UPDATE OR DELETE ON subsidy.region_office
  FOR EACH STATEMENT EXECUTE FUNCTION subsidy.lock_audit_chains();

-- Numbers of new rows are the extension's to give (records.c), each the next of its region's:
-- no clerk takes a number another row would get, or reads from one what other regions filed.
-- A row is numbered after its guard has settled its region (row triggers fire in name order:
-- an application's after application_stage_guard).
CREATE TRIGGER application_take_number BEFORE INSERT ON subsidy.application
  FOR EACH ROW EXECUTE FUNCTION subsidy.assign_number();
CREATE TRIGGER publicity_number BEFORE INSERT ON subsidy.publicity
  FOR EACH ROW EXECUTE FUNCTION subsidy.assign_number();
CREATE TRIGGER objection_number BEFORE INSERT ON subsidy.objection
  FOR EACH ROW EXECUTE FUNCTION subsidy.assign_number();
CREATE TRIGGER report_batch_number BEFORE INSERT ON subsidy.report_batch
  FOR EACH ROW EXECUTE FUNCTION subsidy.assign_number();
CREATE TRIGGER spot_check_draw_number BEFORE INSERT ON subsidy.spot_check_draw
  FOR EACH ROW EXECUTE FUNCTION subsidy.assign_number();

-- W11: a spot check's seed is the extension's to draw (records.c), never the clerk's.
CREATE FUNCTION subsidy.spot_check_draw_seed() RETURNS trigger AS 'MODULE_PATHNAME' LANGUAGE C;
COMMENT ON FUNCTION subsidy.spot_check_draw_seed() IS
  'trigger: a spot check draw''s seed is drawn by the extension from a secret and the draw''s region, year and number (W11)';
CREATE TRIGGER spot_check_draw_seed BEFORE INSERT ON subsidy.spot_check_draw
  FOR EACH ROW EXECUTE FUNCTION subsidy.spot_check_draw_seed();

-- A closed year's records take no change (records.c).
CREATE TRIGGER application_window_closed_year BEFORE INSERT OR UPDATE OR DELETE ON subsidy.application_window
  FOR EACH ROW EXECUTE FUNCTION subsidy.refuse_closed_year('year');
CREATE TRIGGER region_basis_year_closed_year BEFORE INSERT OR UPDATE OR DELETE ON subsidy.region_basis_year
  FOR EACH ROW EXECUTE FUNCTION subsidy.refuse_closed_year('basis_year', '1');
CREATE TRIGGER policy_year_closed_year BEFORE INSERT OR UPDATE OR DELETE ON subsidy.policy_year
  FOR EACH ROW EXECUTE FUNCTION subsidy.refuse_closed_year('year');
CREATE TRIGGER policy_region_closed_year BEFORE INSERT OR UPDATE OR DELETE ON subsidy.policy_region
  FOR EACH ROW EXECUTE FUNCTION subsidy.refuse_closed_year('year');
CREATE TRIGGER enterprise_year_closed_year BEFORE INSERT OR UPDATE OR DELETE ON subsidy.enterprise_year
  FOR EACH ROW EXECUTE FUNCTION subsidy.refuse_closed_year('year');
CREATE TRIGGER publicity_closed_year BEFORE INSERT OR UPDATE OR DELETE ON subsidy.publicity
  FOR EACH ROW EXECUTE FUNCTION subsidy.refuse_closed_year('year');
CREATE TRIGGER report_batch_closed_year BEFORE INSERT OR UPDATE OR DELETE ON subsidy.report_batch
  FOR EACH ROW EXECUTE FUNCTION subsidy.refuse_closed_year('year');
CREATE TRIGGER spot_check_draw_closed_year BEFORE INSERT OR UPDATE OR DELETE ON subsidy.spot_check_draw
  FOR EACH ROW EXECUTE FUNCTION subsidy.refuse_closed_year('year');

-- The joint review's sign-offs (W3): signoff.c.
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
  IF TG_RELID <> 'subsidy.publicity'::regclass OR TG_WHEN <> 'BEFORE' OR TG_LEVEL <> 'ROW' THEN
    PERFORM subsidy.raise('trigger_misuse', 'publicity_guard', TG_TABLE_NAME);
  END IF;
  IF subsidy.restoring() THEN
    RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
  END IF;
  IF TG_OP <> 'INSERT' THEN
    PERFORM subsidy.raise('publicity_changed');
  END IF;
  n := (SELECT p.publicity_workdays FROM subsidy.policy_in_force p
         WHERE p.year = NEW.year AND p.region = NEW.region);
  IF n IS NULL THEN
    PERFORM subsidy.raise('publicity_no_parameters', NEW.region, NEW.year::text);
  END IF;
  IF NEW.starts_on < subsidy.today() THEN
    PERFORM subsidy.raise('publicity_in_past', NEW.starts_on::text, subsidy.today()::text);
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
DECLARE
  a record;
BEGIN
  IF TG_RELID <> 'subsidy.objection'::regclass OR TG_WHEN <> 'BEFORE' OR TG_LEVEL <> 'ROW' THEN
    PERFORM subsidy.raise('trigger_misuse', 'objection_guard', TG_TABLE_NAME);
  END IF;
  IF subsidy.restoring() THEN
    RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
  END IF;
  IF TG_OP = 'DELETE' THEN
    PERFORM subsidy.raise('objection_deleted');
  ELSIF TG_OP = 'UPDATE' AND (NEW.id, NEW.application_id, NEW.review_round, NEW.text, NEW.raised_on, NEW.recorded_by)
        IS DISTINCT FROM (OLD.id, OLD.application_id, OLD.review_round, OLD.text, OLD.raised_on, OLD.recorded_by) THEN
    PERFORM subsidy.raise('objection_changed');
  ELSIF TG_OP = 'UPDATE' AND NEW.resolved_on IS DISTINCT FROM OLD.resolved_on THEN
    -- W6: resolved once, on the day its application's review reopened in a later round
    SELECT x.review_round INTO a FROM subsidy.application x WHERE x.id = NEW.application_id;
    IF OLD.resolved_on IS NOT NULL OR NOT FOUND OR a.review_round <= OLD.review_round THEN
      PERFORM subsidy.raise('objection_resolved_by_review', NEW.application_id::text);
    END IF;
    NEW.resolved_on := subsidy.today();
  ELSIF TG_OP = 'INSERT' THEN
    IF NOT subsidy.says_something(NEW.text) THEN
      PERFORM subsidy.raise('objection_needs_text');
    END IF;
    -- the application as the caller sees it: one of another region is one that does not exist
    SELECT x.review_round, x.stage, x.decision INTO a FROM subsidy.application x WHERE x.id = NEW.application_id;
    IF NOT FOUND THEN
      PERFORM subsidy.raise('no_application', NEW.application_id::text);
    END IF;
    IF NOT (a.stage = 'in_publicity' OR (a.stage = 'decided' AND a.decision = 'rejected')) THEN
      PERFORM subsidy.raise('objection_out_of_stage', NEW.application_id::text, a.stage::text);
    END IF;
    NEW.review_round := a.review_round;
    NEW.raised_on := subsidy.today();
    NEW.recorded_by := SESSION_USER;
    NEW.resolved_on := NULL;
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION subsidy.objection_guard() IS
  'trigger: an objection is raised against an application in publicity (or a rejection), in words, recorded once and never removed; it is resolved only as its review reopens';
CREATE TRIGGER objection_guard BEFORE INSERT OR UPDATE OR DELETE ON subsidy.objection
  FOR EACH ROW EXECUTE FUNCTION subsidy.objection_guard();

-- W6: an objection on record is the objection step: however it was written, its application
-- leaves publicity (or its rejection is reopened) in the same statement, through the stage
-- guard, and the trail records it with the objection's text.
CREATE FUNCTION subsidy.objection_raised() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF TG_RELID <> 'subsidy.objection'::regclass OR TG_WHEN <> 'AFTER' OR TG_LEVEL <> 'ROW' OR TG_OP <> 'INSERT' THEN
    PERFORM subsidy.raise('trigger_misuse', 'objection_raised', TG_TABLE_NAME);
  END IF;
  IF NOT subsidy.restoring() THEN
    PERFORM subsidy.move(NEW.application_id, 'objection');
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION subsidy.objection_raised() IS
  'trigger: an objection recorded takes its application to the objection stage at once (W6)';
CREATE TRIGGER objection_raised AFTER INSERT ON subsidy.objection
  FOR EACH ROW EXECUTE FUNCTION subsidy.objection_raised();

CREATE FUNCTION subsidy.audit_log_guard() RETURNS trigger AS 'MODULE_PATHNAME' LANGUAGE C;
COMMENT ON FUNCTION subsidy.audit_log_guard() IS
  'trigger: the audit log takes appends from subsidy''s own triggers only, and no update, delete or truncate from anyone';
CREATE TRIGGER audit_log_guard BEFORE INSERT OR UPDATE OR DELETE ON subsidy.audit_log
  FOR EACH ROW EXECUTE FUNCTION subsidy.audit_log_guard();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON subsidy.audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION subsidy.audit_log_guard();

CREATE FUNCTION subsidy.verify_audit(heads jsonb DEFAULT NULL)
RETURNS TABLE (region text, seq bigint, application_id bigint, problem text)
  AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL RESTRICTED ROWS 10;
COMMENT ON FUNCTION subsidy.verify_audit(jsonb) IS
  'W9, S4: every break in the audit chains (a changed, missing, inserted or reordered entry), every head kept outside that a chain no longer holds (heads as audit_heads() exports them), every application, payment, account or enterprise that differs from what the log says, and a restore left unfinished; no rows when the trail is intact and explains the tables (the caller''s regions)';

-- S4: each chain's head, to keep outside the database: the province receives them with every
-- upward report batch and frozen annual report; verify_audit(heads) checks against them.
CREATE FUNCTION subsidy.audit_heads()
RETURNS TABLE (region text, seq bigint, hash text, at timestamptz)
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  SELECT r.code, l.seq, pg_catalog.encode(l.hash, 'hex'), l.at
    FROM subsidy.region r
   CROSS JOIN LATERAL (SELECT x.seq, x.hash, x.at FROM subsidy.audit_log x
                        WHERE x.region = r.code ORDER BY x.seq DESC LIMIT 1) l
   ORDER BY r.code
$$;
COMMENT ON FUNCTION subsidy.audit_heads() IS
  'S4: the last entry of each audit chain of the caller''s regions (region, position, hash, time): export them, SELECT jsonb_agg(h) FROM subsidy.audit_heads() h, and keep them outside; verify_audit(heads) and finish_restore(heads) check against them';

CREATE VIEW subsidy.audit_head WITH (security_invoker = true) AS
SELECT h.region, h.seq, h.at, h.hash FROM subsidy.audit_heads() h;
COMMENT ON VIEW subsidy.audit_head IS
  'S4: the last entry of each region''s audit chain (the caller''s regions), as audit_heads() gives it';

-- S4: restoring a dump is an explicit act, begun and finished by a superuser, and logged.
CREATE FUNCTION subsidy.begin_restore() RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = CURRENT_USER) THEN
    PERFORM subsidy.raise('restore_superuser');
  END IF;
  -- a new database: its trail is only the install's baseline of the shipped rows, which the
  -- dump brings back with the rest of its own trail
  PERFORM subsidy.clear_install_baseline();
  INSERT INTO subsidy.restore_in_progress DEFAULT VALUES ON CONFLICT DO NOTHING;
END
$$;
COMMENT ON FUNCTION subsidy.begin_restore() IS
  'S4: begin loading a dump into this new database (after pg_restore --section=pre-data): a superuser''s sessions then load rows as dumped until finish_restore';

CREATE FUNCTION subsidy.clear_install_baseline() RETURNS bigint
  AS 'MODULE_PATHNAME', 'clear_install_baseline' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION subsidy.clear_install_baseline() IS
  'S4: begin_restore''s first step: a new database''s trail, nothing but the install''s baseline of the shipped rows, is cleared for the dump''s own; a trail with anything else is refused; a superuser''s';

CREATE FUNCTION subsidy.log_restore(heads_checked integer) RETURNS void
  AS 'MODULE_PATHNAME', 'log_restore' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION subsidy.log_restore(integer) IS
  'S4: finish_restore''s entry in every chain: restored from a dump, checked against so many heads';
CREATE FUNCTION subsidy.log_baseline() RETURNS bigint
  AS 'MODULE_PATHNAME', 'log_baseline' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION subsidy.log_baseline() IS
  'S4: an entry for each row a decision or payment rests on that the log does not name yet (a draft excepted), as found, and for each row the extension ships that an install or update wrote or removed since; install and every update run it; a superuser''s';

CREATE PROCEDURE subsidy.finish_restore(p_heads jsonb)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  n bigint;
  listed text;
BEGIN
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = CURRENT_USER) THEN
    PERFORM subsidy.raise('restore_superuser');
  END IF;
  IF NOT EXISTS (SELECT FROM subsidy.restore_in_progress) THEN
    PERFORM subsidy.raise('restore_not_begun');
  END IF;
  IF p_heads IS NULL OR jsonb_typeof(p_heads) <> 'array' OR jsonb_array_length(p_heads) = 0 THEN
    PERFORM subsidy.raise('restore_needs_heads');
  END IF;
  SELECT count(*), string_agg(format('%s %s: %s', coalesce(v.region, '-'), v.seq, v.problem), E'\n')
           FILTER (WHERE v.n <= 20)
    INTO n, listed
    FROM (SELECT x.*, row_number() OVER () AS n FROM subsidy.verify_audit(p_heads) x
           WHERE x.problem NOT LIKE 'a restore begun at %') v;
  IF n > 0 THEN
    PERFORM subsidy.raise('restore_does_not_verify', n::text, listed);
  END IF;
  -- a heads file that misses chains (one region's report batch, say) anchors only those it names
  SELECT string_agg(r.code, ', ' ORDER BY r.code) INTO listed
    FROM subsidy.region r
   WHERE EXISTS (SELECT FROM subsidy.audit_log l WHERE l.region = r.code)
     AND NOT EXISTS (SELECT FROM jsonb_array_elements(p_heads) h WHERE h ->> 'region' = r.code);
  IF listed IS NOT NULL THEN
    PERFORM subsidy.raise('restore_unanchored', listed);
  END IF;
  PERFORM subsidy.log_restore(jsonb_array_length(p_heads));
  DELETE FROM subsidy.restore_in_progress;
  PERFORM subsidy.raise('restore_finished', jsonb_array_length(p_heads)::text);
END
$$;
COMMENT ON PROCEDURE subsidy.finish_restore(jsonb) IS
  'S4: end a restore: what was loaded must verify (every chain, every table against the log) against the heads kept outside; then the restore is logged in every chain';

CREATE FUNCTION subsidy.application_history(p_id bigint)
RETURNS TABLE (at timestamptz, actor text, acting_role text, action text, from_stage text, to_stage text,
               detail text, figures json)
LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  SELECT l.at, l.actor, l.acting_role, l.action, l.from_stage, l.to_stage, l.detail, l.figures
    FROM subsidy.audit_log l
   WHERE l.application_id = p_id
   ORDER BY l.region, l.seq
$$;
COMMENT ON FUNCTION subsidy.application_history(bigint) IS
  'W9: the trail of one application, step by step (who, when, from, to, why, the figures then), in the caller''s regions (since 1.1)';

-- The stage guard on applications (W1-W8): C, BEFORE ROW, before application_take_number.
CREATE FUNCTION subsidy.application_guard() RETURNS trigger AS 'MODULE_PATHNAME' LANGUAGE C;
COMMENT ON FUNCTION subsidy.application_guard() IS
  'trigger: only the transitions of W1, each by its role and on its conditions; an application''s region is its enterprise''s; columns change only in their stages and by their roles';
CREATE TRIGGER application_stage_guard BEFORE INSERT OR UPDATE OR DELETE ON subsidy.application
  FOR EACH ROW EXECUTE FUNCTION subsidy.application_guard();

-- W3a: the digest of the figures a sign-off is given on (trail.c).
CREATE FUNCTION subsidy.figures_digest(subsidy.application) RETURNS bigint
  AS 'MODULE_PATHNAME', 'application_figures_digest' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION subsidy.figures_digest(subsidy.application) IS
  'W3a: a digest of an application''s list facts, confirmed figures and review results, and of the grounds its decision is computed from (the parameters in force, the region''s rate, fund and window); a sign-off counts only while its figures_digest equals it';

-- W9: what happened is logged once it has happened, from AFTER ROW triggers (trail.c): a
-- statement that writes nothing logs nothing.
CREATE FUNCTION subsidy.application_logged() RETURNS trigger AS 'MODULE_PATHNAME' LANGUAGE C;
COMMENT ON FUNCTION subsidy.application_logged() IS
  'trigger: logs each transition, change of figures under review (naming the sign-offs it voids, W3a), correction, re-check of the account and report of a payment time (W9)';
CREATE TRIGGER application_logged AFTER INSERT OR UPDATE ON subsidy.application
  FOR EACH ROW EXECUTE FUNCTION subsidy.application_logged();
CREATE FUNCTION subsidy.sign_off_logged() RETURNS trigger AS 'MODULE_PATHNAME' LANGUAGE C;
COMMENT ON FUNCTION subsidy.sign_off_logged() IS 'trigger: logs each sign-off given (W9)';
CREATE TRIGGER sign_off_logged AFTER INSERT OR UPDATE OR DELETE ON subsidy.sign_off
  FOR EACH ROW EXECUTE FUNCTION subsidy.sign_off_logged();
CREATE FUNCTION subsidy.enterprise_logged() RETURNS trigger AS 'MODULE_PATHNAME' LANGUAGE C;
COMMENT ON FUNCTION subsidy.enterprise_logged() IS
  'trigger: logs each enterprise registered and each change of its register entry: its bank details, which a payment must follow (W7), its name and contacts (S4)';
CREATE TRIGGER enterprise_logged AFTER INSERT OR UPDATE OR DELETE ON subsidy.enterprise
  FOR EACH ROW EXECUTE FUNCTION subsidy.enterprise_logged();
CREATE FUNCTION subsidy.row_logged() RETURNS trigger AS 'MODULE_PATHNAME' LANGUAGE C;
COMMENT ON FUNCTION subsidy.row_logged() IS
  'trigger (argument: the region column, an enterprise code column, an application column, or * for every pool): logs each change of a row that a decision or payment rests on (a region''s rate, fund, window and parameters; the province''s parameters, calendar, documents and regions; who acts where and who is related to whom; the year''s lists; objections, publicities, spot checks, payment files, upward reports, frozen reports, closed years), with the row''s subject and state, in the chain it concerns (W9, S4)';
CREATE TRIGGER region_basis_year_logged AFTER INSERT OR UPDATE OR DELETE ON subsidy.region_basis_year
  FOR EACH ROW EXECUTE FUNCTION subsidy.row_logged('region');
CREATE TRIGGER application_window_logged AFTER INSERT OR UPDATE OR DELETE ON subsidy.application_window
  FOR EACH ROW EXECUTE FUNCTION subsidy.row_logged('region');
CREATE TRIGGER policy_region_logged AFTER INSERT OR UPDATE OR DELETE ON subsidy.policy_region
  FOR EACH ROW EXECUTE FUNCTION subsidy.row_logged('region');
CREATE TRIGGER policy_year_logged AFTER INSERT OR UPDATE OR DELETE ON subsidy.policy_year
  FOR EACH ROW EXECUTE FUNCTION subsidy.row_logged('*');
CREATE TRIGGER calendar_logged AFTER INSERT OR UPDATE OR DELETE ON subsidy.calendar
  FOR EACH ROW EXECUTE FUNCTION subsidy.row_logged('*');
CREATE TRIGGER required_document_logged AFTER INSERT OR UPDATE OR DELETE ON subsidy.required_document
  FOR EACH ROW EXECUTE FUNCTION subsidy.row_logged('*');
CREATE TRIGGER staff_region_logged AFTER INSERT OR UPDATE OR DELETE ON subsidy.staff_region
  FOR EACH ROW EXECUTE FUNCTION subsidy.row_logged('region');
CREATE TRIGGER staff_relation_logged AFTER INSERT OR UPDATE OR DELETE ON subsidy.staff_relation
  FOR EACH ROW EXECUTE FUNCTION subsidy.row_logged('uscc');
CREATE TRIGGER enterprise_year_logged AFTER INSERT OR UPDATE OR DELETE ON subsidy.enterprise_year
  FOR EACH ROW EXECUTE FUNCTION subsidy.row_logged('uscc');
CREATE TRIGGER objection_logged AFTER INSERT OR UPDATE OR DELETE ON subsidy.objection
  FOR EACH ROW EXECUTE FUNCTION subsidy.row_logged('application_id');
CREATE TRIGGER publicity_logged AFTER INSERT OR UPDATE OR DELETE ON subsidy.publicity
  FOR EACH ROW EXECUTE FUNCTION subsidy.row_logged('region');
CREATE TRIGGER report_batch_logged AFTER INSERT OR UPDATE OR DELETE ON subsidy.report_batch
  FOR EACH ROW EXECUTE FUNCTION subsidy.row_logged('region');
CREATE TRIGGER spot_check_draw_logged AFTER INSERT OR UPDATE OR DELETE ON subsidy.spot_check_draw
  FOR EACH ROW EXECUTE FUNCTION subsidy.row_logged('region');
CREATE TRIGGER spot_check_item_logged AFTER INSERT OR UPDATE OR DELETE ON subsidy.spot_check_item
  FOR EACH ROW EXECUTE FUNCTION subsidy.row_logged('application_id');
CREATE TRIGGER payment_file_logged AFTER INSERT OR UPDATE OR DELETE ON subsidy.payment_file
  FOR EACH ROW EXECUTE FUNCTION subsidy.row_logged('uscc');
CREATE TRIGGER closed_year_logged AFTER INSERT OR UPDATE OR DELETE ON subsidy.closed_year
  FOR EACH ROW EXECUTE FUNCTION subsidy.row_logged('*');
CREATE TRIGGER annual_report_frozen_logged AFTER INSERT OR UPDATE OR DELETE ON subsidy.annual_report_frozen
  FOR EACH ROW EXECUTE FUNCTION subsidy.row_logged('region');
CREATE TRIGGER region_logged AFTER INSERT OR UPDATE OR DELETE ON subsidy.region
  FOR EACH ROW EXECUTE FUNCTION subsidy.row_logged('*');
CREATE TRIGGER national_target_logged AFTER INSERT OR UPDATE OR DELETE ON subsidy.national_target
  FOR EACH ROW EXECUTE FUNCTION subsidy.row_logged('*');
CREATE TRIGGER top_up_logged AFTER INSERT OR UPDATE OR DELETE ON subsidy.top_up
  FOR EACH ROW EXECUTE FUNCTION subsidy.row_logged('region');

-- S4: a row as the trail names it and the state it records, for verify_audit and the baseline.
CREATE FUNCTION subsidy.row_subject(record) RETURNS text
  AS 'MODULE_PATHNAME', 'row_subject_sql' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION subsidy.row_subject(record) IS
  'S4: a row of one of the extension''s tables as the audit trail names it: its table and primary key (application 42)';
CREATE FUNCTION subsidy.row_state(record) RETURNS bytea
  AS 'MODULE_PATHNAME', 'row_state_sql' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION subsidy.row_state(record) IS
  'S4: what a row holds, as the audit trail records it after each change: SHA-256 over its columns'' names and values (empty ones left out), the first 16 bytes';
CREATE TRIGGER region_office_logged AFTER INSERT OR UPDATE OR DELETE ON subsidy.region_office
  FOR EACH ROW EXECUTE FUNCTION subsidy.row_logged('region');

-- W8, W11: who reported a batch and drew a sample, and when, are the extension's to record.
CREATE FUNCTION subsidy.recorded_once() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF TG_RELID NOT IN ('subsidy.report_batch'::regclass, 'subsidy.spot_check_draw'::regclass)
     OR TG_WHEN <> 'BEFORE' OR TG_LEVEL <> 'ROW' THEN
    PERFORM subsidy.raise('trigger_misuse', 'recorded_once', TG_TABLE_NAME);
  END IF;
  IF subsidy.restoring() THEN
    RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
  END IF;
  IF TG_OP <> 'INSERT' THEN
    PERFORM subsidy.raise('recorded_once', TG_TABLE_NAME);
  END IF;
  -- W8, S4: a report batch carries the heads of its region's chain upward, as they stand
  IF TG_TABLE_NAME = 'report_batch' THEN
    IF pg_catalog.to_jsonb(NEW) -> 'audit_heads' <> 'null' THEN
      PERFORM subsidy.raise('recorded_as_done', TG_TABLE_NAME, 'audit_heads', TG_ARGV[1], '-', SESSION_USER::text);
    END IF;
    NEW := pg_catalog.jsonb_populate_record(NEW, pg_catalog.jsonb_build_object('audit_heads',
             (SELECT pg_catalog.jsonb_agg(h) FROM subsidy.audit_heads() h
               WHERE h.region = pg_catalog.to_jsonb(NEW) ->> 'region')));
  END IF;
  -- each table names its columns its own way: read them by name from the row as JSON
  IF (pg_catalog.to_jsonb(NEW) ->> TG_ARGV[0], pg_catalog.to_jsonb(NEW) ->> TG_ARGV[1])
     IS DISTINCT FROM (pg_catalog.to_char(subsidy.today(), 'YYYY-MM-DD'), SESSION_USER::text) THEN
    PERFORM subsidy.raise('recorded_as_done', TG_TABLE_NAME, TG_ARGV[0], TG_ARGV[1],
                          pg_catalog.to_char(subsidy.today(), 'YYYY-MM-DD'), SESSION_USER::text);
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION subsidy.recorded_once() IS
  'trigger (arguments: the date and the who column): a report batch (W8) or spot-check draw (W11) is recorded by whoever makes it, on the day it is made, and never changed';
CREATE TRIGGER report_batch_recorded_once BEFORE INSERT OR UPDATE OR DELETE ON subsidy.report_batch
  FOR EACH ROW EXECUTE FUNCTION subsidy.recorded_once('reported_on', 'reported_by');
CREATE TRIGGER spot_check_draw_recorded_once BEFORE INSERT OR UPDATE OR DELETE ON subsidy.spot_check_draw
  FOR EACH ROW EXECUTE FUNCTION subsidy.recorded_once('drawn_on', 'drawn_by');

-- Enterprises that share one bank account (section 11, 骗取套取), among those the caller sees:
-- an account shared with another region's enterprise is the DBA's to see, not the clerk's.
CREATE VIEW subsidy.shared_bank_account WITH (security_invoker = true) AS
SELECT e.bank_account, pg_catalog.count(*) OVER (PARTITION BY e.bank_account) AS enterprises,
       e.uscc::text AS uscc, e.name, e.region
  FROM subsidy.enterprise e
 WHERE e.bank_account IN (SELECT bank_account FROM subsidy.enterprise
                           WHERE bank_account IS NOT NULL AND bank_account <> ''
                           GROUP BY bank_account HAVING pg_catalog.count(*) > 1);
COMMENT ON VIEW subsidy.shared_bank_account IS
  'section 11: bank accounts that more than one enterprise of the caller''s regions would be paid into, for review before payment';

-- The review queue (W10): monitored enterprises first, then by submission.
CREATE VIEW subsidy.review_queue WITH (security_invoker = true) AS
SELECT pg_catalog.row_number() OVER (PARTITION BY a.region, a.year
                                     ORDER BY coalesce(a.monitored, false) DESC, a.submitted_on, a.id) AS position,
       a.region, a.year, a.id AS application_id, a.uscc::text AS uscc, e.name,
       coalesce(a.monitored, false) AS monitored, a.stage::text AS stage, a.submitted_on, a.review_round,
       EXISTS (SELECT FROM subsidy.sign_off s WHERE s.application_id = a.id AND s.review_round = a.review_round
                  AND s.agency = 'hrss' AND s.figures_digest = d.digest) AS hrss_signed,
       EXISTS (SELECT FROM subsidy.sign_off s WHERE s.application_id = a.id AND s.review_round = a.review_round
                  AND s.agency = 'agency' AND s.figures_digest = d.digest) AS agency_signed,
       EXISTS (SELECT FROM subsidy.sign_off s WHERE s.application_id = a.id AND s.review_round = a.review_round
                  AND s.agency = 'finance' AND s.figures_digest = d.digest) AS finance_signed,
       v.outcome::text AS outcome, v.missing_facts,
       e.bank_account IN (SELECT bank_account FROM subsidy.shared_bank_account) AS shared_bank_account
  FROM subsidy.application a
  JOIN subsidy.enterprise e ON e.uscc OPERATOR(subsidy.=) a.uscc
  LEFT JOIN LATERAL subsidy.assess(a) v ON true
 CROSS JOIN LATERAL (SELECT subsidy.figures_digest(a) AS digest) d
 WHERE a.stage IN ('submitted', 'in_review')
 ORDER BY a.region, a.year, position;
COMMENT ON VIEW subsidy.review_queue IS
  'W10: applications awaiting review in the caller''s regions, enterprises in unemployment dynamic monitoring (绿色通道) first, with their sign-offs on the figures as they stand (W3a), the engine''s outcome and the section 11 flags';
