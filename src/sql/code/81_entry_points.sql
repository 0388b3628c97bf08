--
-- Entry points of the workflow. Each takes one step with the caller's rights; the stage
-- guard checks every rule, so a plain UPDATE of the stage meets the same refusals.
--

-- The caller's application, or an error that says it is not one of theirs.
CREATE FUNCTION subsidy.application_for(p_id bigint) RETURNS subsidy.application
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  a subsidy.application;
BEGIN
  IF p_id IS NULL THEN
    PERFORM subsidy.raise('no_application_named');
  END IF;
  SELECT * INTO a FROM subsidy.application WHERE id = p_id;
  IF NOT FOUND THEN
    PERFORM subsidy.raise('no_application_of_role', p_id::text, current_user::text);
  END IF;
  RETURN a;
END
$$;
COMMENT ON FUNCTION subsidy.application_for(bigint) IS 'an application the caller may see, or an error saying it is not in their regions';

-- Move one application to a stage.  The region's audit chain is locked before the row, as
-- every entry point does, so that steps on one application and steps over a region take
-- their locks in one order.  A step already taken (by another clerk at the same moment,
-- say) is refused, not reported as done again.
CREATE FUNCTION subsidy.move(p_id bigint, p_stage subsidy.stage, p_past subsidy.stage[] DEFAULT '{}')
RETURNS subsidy.application
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  a subsidy.application := subsidy.application_for(p_id);
  moved subsidy.application;
BEGIN
  PERFORM subsidy.lock_my_chains();
  -- an application already past the step (another clerk took the next one meanwhile) is not
  -- moved back: the step was taken
  UPDATE subsidy.application SET stage = p_stage
   WHERE id = p_id AND stage <> p_stage AND stage <> ALL (p_past) RETURNING * INTO moved;
  IF NOT FOUND THEN
    PERFORM subsidy.raise('step_taken_already', p_id::text, p_stage::text, p_id::text);
  END IF;
  RETURN moved;
END
$$;
COMMENT ON FUNCTION subsidy.move(bigint, subsidy.stage, subsidy.stage[]) IS 'move an application to a stage, unless it is there or past it already (p_past); the stage guard decides whether it may go';

CREATE FUNCTION subsidy.submit(p_id bigint) RETURNS subsidy.application
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  a subsidy.application := subsidy.move(p_id, 'submitted');
BEGIN
  IF a.correction_requested_on IS NOT NULL THEN
    PERFORM subsidy.raise('correction_requested', p_id::text, a.correction_due::text,
                          array_to_string(a.correction_items, '; '));
  END IF;
  RETURN a;
END
$$;
COMMENT ON FUNCTION subsidy.submit(bigint) IS
  'W2: submit a draft inside the region''s window; an incomplete one is accepted with a correction request (补正) naming every missing item at once';

-- W2: the applicant has filled in what the correction request listed.
CREATE FUNCTION subsidy.complete_correction(p_id bigint) RETURNS subsidy.application
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  a subsidy.application := subsidy.application_for(p_id);
BEGIN
  PERFORM subsidy.lock_my_chains();
  UPDATE subsidy.application SET corrected_on = subsidy.today() WHERE id = p_id RETURNING * INTO a;
  RETURN a;
END
$$;
COMMENT ON FUNCTION subsidy.complete_correction(bigint) IS
  'W2: the applicant completes a correction (补正) within its working days: accepted when nothing listed is still missing, else every missing item is named';

CREATE FUNCTION subsidy.reject_uncorrected(p_id bigint) RETURNS subsidy.application
LANGUAGE sql SET search_path = pg_catalog, pg_temp AS $$ SELECT subsidy.move(p_id, 'decided') $$;
COMMENT ON FUNCTION subsidy.reject_uncorrected(bigint) IS
  'W2: hrss rejects a submission whose correction was not completed by its due day, with W2 and what it lacks';

CREATE FUNCTION subsidy.withdraw(p_id bigint) RETURNS subsidy.application
LANGUAGE sql SET search_path = pg_catalog, pg_temp AS $$ SELECT subsidy.move(p_id, 'withdrawn') $$;
COMMENT ON FUNCTION subsidy.withdraw(bigint) IS 'W1: the applicant withdraws a draft or a submission before review';

CREATE FUNCTION subsidy.start_review(p_id bigint) RETURNS subsidy.application
LANGUAGE sql SET search_path = pg_catalog, pg_temp AS $$ SELECT subsidy.move(p_id, 'in_review') $$;
COMMENT ON FUNCTION subsidy.start_review(bigint) IS 'W3: hrss starts the joint review of a submission, after the window closes';

CREATE FUNCTION subsidy.start_review(p_region text, p_year integer) RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  n bigint;
  rejected bigint;
  waiting bigint;
BEGIN
  PERFORM subsidy.lock_my_chains();
  -- W2: a correction not completed by its due day rejects the submission
  UPDATE subsidy.application SET stage = 'decided'
   WHERE region = p_region AND year = p_year AND stage = 'submitted'
     AND correction_requested_on IS NOT NULL AND corrected_on IS NULL AND correction_due < subsidy.today();
  GET DIAGNOSTICS rejected = ROW_COUNT;
  UPDATE subsidy.application SET stage = 'in_review'
   WHERE region = p_region AND year = p_year AND stage = 'submitted'
     AND (correction_requested_on IS NULL OR corrected_on IS NOT NULL);
  GET DIAGNOSTICS n = ROW_COUNT;
  waiting := (SELECT count(*) FROM subsidy.application
               WHERE region = p_region AND year = p_year AND stage = 'submitted');
  IF rejected > 0 THEN
    PERFORM subsidy.raise('uncorrected_rejected', p_region, p_year::text, rejected::text);
  END IF;
  IF waiting > 0 THEN
    PERFORM subsidy.raise('corrections_pending', p_region, p_year::text, waiting::text);
  END IF;
  RETURN n;
END
$$;
COMMENT ON FUNCTION subsidy.start_review(text, integer) IS
  'W3: hrss starts the joint review of every complete submission of a region and year (W2: those whose correction is overdue are rejected, those still within it wait); returns how many started';

-- W3: an agency signs its part, in the application's current round, on the figures as they
-- stand (W3a); signing again replaces it.  A sign-off signed meanwhile by another session is
-- replaced under READ COMMITTED; under REPEATABLE READ the call fails with a serialization
-- failure (40001), which the client retries.
CREATE FUNCTION subsidy.sign_off(p_id bigint, p_agency subsidy.agency, p_passed boolean, p_comment text DEFAULT NULL,
                                 p_failed_rule text DEFAULT NULL)
RETURNS subsidy.sign_off
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  a subsidy.application := subsidy.application_for(p_id);
  s subsidy.sign_off;
BEGIN
  PERFORM subsidy.lock_my_chains();
  a := subsidy.application_for(p_id);   -- its round as it stands now that the region is ours
  INSERT INTO subsidy.sign_off AS o (application_id, review_round, agency, passed, comment, failed_rule)
  VALUES (p_id, a.review_round, p_agency, p_passed, p_comment, p_failed_rule)
  ON CONFLICT (application_id, review_round, agency)
  DO UPDATE SET passed = excluded.passed, comment = excluded.comment, failed_rule = excluded.failed_rule
  RETURNING o.* INTO s;
  RETURN s;
END
$$;
COMMENT ON FUNCTION subsidy.sign_off(bigint, subsidy.agency, boolean, text, text) IS
  'W3: an agency signs off its part of the joint review on the figures as they stand (W3a); a failure needs a comment and is the failed rule of its part (named, or the one the facts fail); only that agency''s role may';

CREATE FUNCTION subsidy.decide(p_id bigint) RETURNS subsidy.application
LANGUAGE sql SET search_path = pg_catalog, pg_temp AS $$ SELECT subsidy.move(p_id, 'decided') $$;
COMMENT ON FUNCTION subsidy.decide(bigint) IS
  'W3: record the joint decision; outcome and amount come from the engine and the three sign-offs, and freeze (A6)';

CREATE FUNCTION subsidy.decide(p_region text, p_year integer)
RETURNS TABLE (decided bigint, approved bigint, rejected bigint, waiting bigint)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  PERFORM subsidy.lock_my_chains();
  -- applications with all three sign-offs and every fact known; the rest wait
  RETURN QUERY
  WITH ready AS (
    SELECT a.id FROM subsidy.application a
     CROSS JOIN LATERAL (SELECT subsidy.figures_digest(a) AS digest) d
     WHERE a.region = p_region AND a.year = p_year AND a.stage = 'in_review'
       AND (SELECT count(*) FROM subsidy.sign_off s
             WHERE s.application_id = a.id AND s.review_round = a.review_round AND s.figures_digest = d.digest) = 3
       -- the decision supplies its own date, which A1's rate may turn on
       AND ((subsidy.verdict_of(a)::subsidy.assessment).outcome <> 'undetermined'
            OR (subsidy.verdict_of(a)::subsidy.assessment).missing_facts = ARRAY['decided_on'])
  ), moved AS (
    UPDATE subsidy.application a SET stage = 'decided' FROM ready WHERE a.id = ready.id AND a.stage = 'in_review'
    RETURNING a.decision
  )
  SELECT count(*), count(*) FILTER (WHERE m.decision = 'approved'), count(*) FILTER (WHERE m.decision = 'rejected'),
         (SELECT count(*) FROM subsidy.application a
           WHERE a.region = p_region AND a.year = p_year AND a.stage = 'in_review') - count(*)
    FROM moved m;
END
$$;
COMMENT ON FUNCTION subsidy.decide(text, integer) IS
  'W3: decide every application of a region and year that has its three sign-offs on its figures as they stand (W3a) and every fact; the others wait';

-- W5: publish a region's approved list for the year, from a start date.
CREATE FUNCTION subsidy.start_publicity(p_region text, p_year integer, p_start date DEFAULT NULL)
RETURNS subsidy.publicity
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  p subsidy.publicity;
  n bigint;
BEGIN
  PERFORM subsidy.lock_my_chains();
  IF NOT EXISTS (SELECT FROM subsidy.application
                  WHERE region = p_region AND year = p_year AND stage = 'decided' AND decision = 'approved') THEN
    PERFORM subsidy.raise('nothing_to_publish_in_region', p_region, p_year::text);
  END IF;
  INSERT INTO subsidy.publicity (region, year, starts_on, ends_on, workdays)
  VALUES (p_region, p_year, coalesce(p_start, subsidy.today()), coalesce(p_start, subsidy.today()), 7)
  RETURNING * INTO p;
  UPDATE subsidy.application SET stage = 'in_publicity', publicity_id = p.id
   WHERE region = p_region AND year = p_year AND stage = 'decided' AND decision = 'approved';
  GET DIAGNOSTICS n = ROW_COUNT;
  PERFORM subsidy.raise('publicity_started', p.id::text, p_region, p_year::text, n::text,
                        pg_catalog.to_char(p.starts_on, 'YYYY-MM-DD'), pg_catalog.to_char(p.ends_on, 'YYYY-MM-DD'));
  RETURN p;
END
$$;
COMMENT ON FUNCTION subsidy.start_publicity(text, integer, date) IS
  'W5: publish a region''s approved applications for the year from a start date (today by default); the end is the n-th working day';

-- W6: record an objection, which takes the application out of publicity (or reopens a rejection).
CREATE FUNCTION subsidy.object(p_id bigint, p_text text) RETURNS subsidy.application
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  a subsidy.application := subsidy.application_for(p_id);
BEGIN
  PERFORM subsidy.lock_my_chains();
  a := subsidy.application_for(p_id);   -- as it stands now that the region is ours
  IF a.stage NOT IN ('in_publicity', 'decided') OR (a.stage = 'decided' AND a.decision = 'approved') THEN
    RETURN subsidy.move(p_id, 'objection');   -- the guard says why not
  END IF;
  -- the objection's own trigger takes the step (W6)
  INSERT INTO subsidy.objection (application_id, review_round, text, raised_on)
  VALUES (p_id, a.review_round, p_text, subsidy.today());
  RETURN subsidy.application_for(p_id);
END
$$;
COMMENT ON FUNCTION subsidy.object(bigint, text) IS
  'W6: record an objection to an application in publicity (or to its rejection, W4); it waits for a new review';

CREATE FUNCTION subsidy.reopen_review(p_id bigint) RETURNS subsidy.application
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  a subsidy.application := subsidy.move(p_id, 'in_review');
BEGIN
  UPDATE subsidy.objection SET resolved_on = subsidy.today()
   WHERE application_id = p_id AND review_round = a.review_round - 1 AND resolved_on IS NULL;
  RETURN a;
END
$$;
COMMENT ON FUNCTION subsidy.reopen_review(bigint) IS
  'W6: an objection reopens review in a new round: new sign-offs, a new decision, a new publicity';

CREATE FUNCTION subsidy.clear(p_id bigint) RETURNS subsidy.application
LANGUAGE sql SET search_path = pg_catalog, pg_temp AS $$ SELECT subsidy.move(p_id, 'cleared', '{paid,reported}') $$;
COMMENT ON FUNCTION subsidy.clear(bigint) IS 'W5: clear an application whose publicity ended without objection, no earlier than the next day';

CREATE FUNCTION subsidy.close_publicity(p_region text, p_year integer) RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  n bigint;
  held bigint;
BEGIN
  PERFORM subsidy.lock_my_chains();
  UPDATE subsidy.application a SET stage = 'cleared'
    FROM subsidy.publicity p
   WHERE a.region = p_region AND a.year = p_year AND a.stage = 'in_publicity'
     AND p.id = a.publicity_id AND p.ends_on < subsidy.today()
     AND NOT EXISTS (SELECT FROM subsidy.objection o
                      WHERE o.application_id = a.id AND o.review_round = a.review_round AND o.resolved_on IS NULL);
  GET DIAGNOSTICS n = ROW_COUNT;
  -- W7: an open objection stops clearance; hrss takes those into review
  held := (SELECT count(*) FROM subsidy.application a JOIN subsidy.publicity p ON p.id = a.publicity_id
            WHERE a.region = p_region AND a.year = p_year AND a.stage = 'in_publicity' AND p.ends_on < subsidy.today());
  IF held > 0 THEN
    PERFORM subsidy.raise('clearance_held', p_region, p_year::text, held::text);
  END IF;
  RETURN n;
END
$$;
COMMENT ON FUNCTION subsidy.close_publicity(text, integer) IS
  'W5: clear every application of a region and year whose publicity has ended without an open objection (W7); returns how many';

-- W7: the agency records a payment: exactly the decided amount, after clearance, once.
CREATE FUNCTION subsidy.pay(p_id bigint, p_paid_on date, p_reference text, p_amount numeric DEFAULT NULL)
RETURNS subsidy.application
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  a subsidy.application := subsidy.application_for(p_id);
BEGIN
  PERFORM subsidy.lock_my_chains();
  -- a payment is made once: one keyed again as it was (the same date, reference and amount,
  -- two clerks entering one bank slip at once) would change nothing and pass as made (W7, W9)
  UPDATE subsidy.application
     SET stage = 'paid', paid_on = p_paid_on, payment_reference = p_reference, paid_amount = p_amount
   WHERE id = p_id AND stage NOT IN ('paid', 'reported')
  RETURNING * INTO a;
  IF NOT FOUND THEN
    SELECT * INTO a FROM subsidy.application x WHERE x.id = p_id;
    PERFORM subsidy.raise('paid_already', p_id::text, a.paid_amount::text, a.paid_on::text, a.payment_reference,
                          a.stage::text);
  END IF;
  RETURN a;
END
$$;
COMMENT ON FUNCTION subsidy.pay(bigint, date, text, numeric) IS
  'W7: the agency records a payment (date, its reference, the amount to the fen: the decided one if omitted) into the account recorded at the decision; only once, only after clearance, with no open objection';

CREATE FUNCTION subsidy.payment_reference_canonical(text) RETURNS text
  AS 'MODULE_PATHNAME', 'payment_reference_canonical' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION subsidy.payment_reference_canonical(text) IS
  'W7: a payment reference as pay() takes it: NFKC, capitals, ASCII letters, digits and punctuation only, so that one reference is never written two ways';

-- W7: the agency records the enterprise's changed account, after checking it, as the one to pay.
CREATE FUNCTION subsidy.recheck_bank_account(p_id bigint) RETURNS subsidy.application
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  a subsidy.application := subsidy.application_for(p_id);
BEGIN
  PERFORM subsidy.lock_my_chains();
  UPDATE subsidy.application x SET payment_bank_name = e.bank_name, payment_bank_account = e.bank_account
    FROM subsidy.enterprise e
   WHERE x.id = p_id AND e.uscc OPERATOR(subsidy.=) x.uscc
  RETURNING x.* INTO a;
  RETURN a;
END
$$;
COMMENT ON FUNCTION subsidy.recheck_bank_account(bigint) IS
  'W7: after an enterprise''s bank account changed since the decision, the agency records the new one (checked with the enterprise) as the account to pay; logged';

-- W7: a payment the bank returned (退票): recorded, and the application waits to be paid again.
CREATE FUNCTION subsidy.return_payment(p_id bigint, p_returned_on date, p_reason text) RETURNS subsidy.application
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  a subsidy.application := subsidy.application_for(p_id);
BEGIN
  PERFORM subsidy.lock_my_chains();
  UPDATE subsidy.application SET stage = 'cleared', returned_on = p_returned_on, return_reason = p_reason
   WHERE id = p_id
  RETURNING * INTO a;
  RETURN a;
END
$$;
COMMENT ON FUNCTION subsidy.return_payment(bigint, date, text) IS
  'W7: the agency records a payment the bank returned (退票), with the day and the bank''s reason; the application is paid again, once, to a corrected account';

-- W8: the agency reports the payment times of a region's payments to hrss.
CREATE FUNCTION subsidy.report_payment_times(p_region text, p_year integer) RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  n bigint;
BEGIN
  PERFORM subsidy.lock_my_chains();
  UPDATE subsidy.application SET payment_times_reported_on = subsidy.today()
   WHERE region = p_region AND year = p_year AND stage = 'paid' AND payment_times_reported_on IS NULL;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END
$$;
COMMENT ON FUNCTION subsidy.report_payment_times(text, integer) IS
  'W8: the agency reports to hrss the payment times of a region''s payments of the year not yet reported; returns how many';

-- W8: report a region's payments of the year upward, as one batch.
CREATE FUNCTION subsidy.report_upward(p_region text, p_year integer, p_reference text)
RETURNS subsidy.report_batch
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  b subsidy.report_batch;
  n bigint;
  waiting bigint;
BEGIN
  PERFORM subsidy.lock_my_chains();
  INSERT INTO subsidy.report_batch (region, year, reference, reported_on)
  VALUES (p_region, p_year, p_reference, subsidy.today())
  RETURNING * INTO b;
  UPDATE subsidy.application SET stage = 'reported', report_batch_id = b.id
   WHERE region = p_region AND year = p_year AND stage = 'paid' AND payment_times_reported_on IS NOT NULL;
  GET DIAGNOSTICS n = ROW_COUNT;
  waiting := (SELECT count(*) FROM subsidy.application
               WHERE region = p_region AND year = p_year AND stage = 'paid');
  IF n = 0 AND waiting > 0 THEN
    PERFORM subsidy.raise('payment_times_missing', p_region, p_year::text, waiting::text);
  ELSIF n = 0 THEN
    PERFORM subsidy.raise('nothing_to_report', p_region, p_year::text);
  END IF;
  PERFORM subsidy.raise('reported_upward', b.id::text, p_reference, n::text, p_region, p_year::text);
  IF waiting > 0 THEN
    PERFORM subsidy.raise('payment_times_waiting', p_region, p_year::text, waiting::text);
  END IF;
  RETURN b;
END
$$;
COMMENT ON FUNCTION subsidy.report_upward(text, integer, text) IS
  'W8: hrss reports upward, as one batch, the region''s payments of the year whose payment times the agency has reported';

-- W11: draw a reproducible sample of a region's applications under review for on-site checks.
CREATE FUNCTION subsidy.drawing_spot_checks() RETURNS boolean
  AS 'MODULE_PATHNAME', 'drawing_spot_checks' LANGUAGE C VOLATILE PARALLEL RESTRICTED;
COMMENT ON FUNCTION subsidy.drawing_spot_checks() IS
  'W11: whether draw_spot_checks is writing, for spot_check_item''s guard';
-- a procedure, since it commits its draw before anyone sees it
CREATE PROCEDURE subsidy.draw_spot_checks(p_region text, p_year integer, p_size integer, p_seed text DEFAULT NULL,
                                          INOUT draw_id bigint DEFAULT NULL, INOUT drawn integer DEFAULT NULL)
  AS 'MODULE_PATHNAME', 'draw_spot_checks' LANGUAGE C;
COMMENT ON PROCEDURE subsidy.draw_spot_checks(text, integer, integer, text, bigint, integer) IS
  'W11: draw p_size applications of a region and year, submitted or under review, for on-site checks, from a seed the extension draws and records, and commit the draw before its sample is seen (CALL it outside a transaction block: a draw is never seen and taken back); a seed given is refused, and so is a draw once the region has approved any application of the year';

CREATE FUNCTION subsidy.record_spot_check(p_id bigint, p_result subsidy.spot_check_result, p_notes text DEFAULT NULL)
RETURNS subsidy.application
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  a subsidy.application := subsidy.application_for(p_id);
BEGIN
  PERFORM subsidy.lock_my_chains();
  IF p_result = 'pending' THEN
    PERFORM subsidy.raise('spot_check_result');
  END IF;
  UPDATE subsidy.spot_check_item SET result = p_result, notes = p_notes, checked_on = subsidy.today()
   WHERE application_id = p_id AND result = 'pending';
  IF NOT FOUND THEN
    PERFORM subsidy.raise('no_pending_spot_check', p_id::text);
  END IF;
  RETURN subsidy.application_for(p_id);
END
$$;
COMMENT ON FUNCTION subsidy.record_spot_check(bigint, subsidy.spot_check_result, text) IS
  'W11, E10: record what an on-site check found; it reaches the application, and false data makes it ineligible';

-- A spot check is drawn by draw_spot_check_items only, among the applications under review of
-- its draw's region; its finding, once recorded, stays: pending becomes confirmed or
-- false_data, and nothing else.  What it finds reaches the application (AFTER), logged there.
CREATE FUNCTION subsidy.spot_check_item_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF TG_RELID <> 'subsidy.spot_check_item'::regclass OR TG_WHEN <> 'BEFORE' OR TG_LEVEL <> 'ROW' THEN
    PERFORM subsidy.raise('trigger_misuse', 'spot_check_item_guard', TG_TABLE_NAME);
  END IF;
  IF subsidy.restoring() THEN
    RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
  END IF;
  IF TG_OP = 'DELETE' THEN
    PERFORM subsidy.raise('spot_check_kept');
  ELSIF TG_OP = 'INSERT' THEN
    IF NOT subsidy.drawing_spot_checks() THEN
      PERFORM subsidy.raise('spot_check_not_drawn', NEW.application_id::text);
    END IF;
    NEW.result := 'pending';
    NEW.notes := NULL;
    NEW.checked_on := NULL;
  ELSIF (NEW.draw_id, NEW.application_id) IS DISTINCT FROM (OLD.draw_id, OLD.application_id)
        OR OLD.result <> 'pending' OR NEW.result = 'pending' THEN
    PERFORM subsidy.raise('spot_check_kept');
  ELSE
    NEW.checked_on := subsidy.today();
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION subsidy.spot_check_item_guard() IS
  'trigger: a spot check is drawn by draw_spot_check_items only; its finding is recorded once (pending to confirmed or false_data) and never undone or removed';
CREATE TRIGGER spot_check_item_guard BEFORE INSERT OR UPDATE OR DELETE ON subsidy.spot_check_item
  FOR EACH ROW EXECUTE FUNCTION subsidy.spot_check_item_guard();

CREATE FUNCTION subsidy.spot_check_item_reaches_application() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF TG_RELID <> 'subsidy.spot_check_item'::regclass OR TG_WHEN <> 'AFTER' OR TG_LEVEL <> 'ROW' THEN
    PERFORM subsidy.raise('trigger_misuse', 'spot_check_item_reaches_application', TG_TABLE_NAME);
  END IF;
  IF NOT subsidy.restoring() THEN
    UPDATE subsidy.application SET spot_check = NEW.result
     WHERE id = NEW.application_id AND spot_check IS DISTINCT FROM NEW.result;
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION subsidy.spot_check_item_reaches_application() IS
  'trigger: a spot check drawn, or its finding, reaches the application''s spot_check (E10), with the caller''s rights and in the trail';
CREATE TRIGGER spot_check_item_reaches_application AFTER INSERT OR UPDATE ON subsidy.spot_check_item
  FOR EACH ROW EXECUTE FUNCTION subsidy.spot_check_item_reaches_application();
