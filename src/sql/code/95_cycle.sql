--
-- The annual cycle as a DBA runs it (DOMAIN section 3): open the year, take applications,
-- assess, publish, clear, pay from the agency's payment file, report upward, freeze the
-- annual report, close the year.  Each step says what it did in NOTICEs, can be run again
-- (a step already done does nothing), and refuses, with nothing written, when the cycle is
-- not there yet.
--

-- Step 1: open the year for the caller's pools: check that the year can run, then open the
-- application windows (1 March to 31 May unless given).
CREATE PROCEDURE subsidy.open_year(p_year integer, p_opens date DEFAULT NULL, p_closes date DEFAULT NULL)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  opens date;
  closes date;
  problems text[] := '{}';
  missing text;
  opened integer;
  differing text;
  screening text;
BEGIN
  IF p_year IS NULL THEN
    PERFORM subsidy.raise('open_year_needs_year');
  END IF;
  opens := coalesce(p_opens, make_date(p_year, 3, 1));
  closes := coalesce(p_closes, make_date(p_year, 5, 31));
  IF closes < opens OR extract(year FROM opens) <> p_year THEN
    PERFORM subsidy.raise('window_does_not_fit', pg_catalog.to_char(opens, 'YYYY-MM-DD'),
                          pg_catalog.to_char(closes, 'YYYY-MM-DD'), p_year::text);
  END IF;
  IF EXISTS (SELECT FROM subsidy.closed_year WHERE year = p_year) THEN
    PERFORM subsidy.raise('year_is_closed', p_year::text);
  END IF;

  -- What the year needs before the first application, all named at once.
  IF NOT EXISTS (SELECT FROM subsidy.policy_year WHERE year = p_year) THEN
    problems := problems || subsidy.message('open_year_no_parameters', p_year::text);
  END IF;
  IF NOT EXISTS (SELECT FROM subsidy.calendar WHERE day BETWEEN make_date(p_year, 1, 1) AND make_date(p_year, 12, 31)) THEN
    problems := problems || subsidy.message('open_year_no_calendar', p_year::text);
  END IF;
  IF cardinality(problems) > 0 THEN
    PERFORM subsidy.raise('open_year_not_ready', p_year::text, array_to_string(problems, E'\n'));
  END IF;

  INSERT INTO subsidy.application_window (region, year, opens_on, closes_on)
  SELECT r.code, p_year, opens, closes
    FROM subsidy.region r
   WHERE r.is_pool
     AND ((SELECT subsidy.sees_every_region()) OR r.code = ANY ((SELECT subsidy.caller_regions())::text[]))
     -- a pool that screens its units (免申即享, section 13) takes no applications in a window
     AND NOT EXISTS (SELECT FROM subsidy.policy_in_force p
                      WHERE p.year = p_year AND p.region = r.code AND p.mode::text = 'screen')
  ON CONFLICT (region, year) DO NOTHING;
  GET DIAGNOSTICS opened = ROW_COUNT;
  SELECT string_agg(p.region, ', ' ORDER BY p.region) INTO screening
    FROM subsidy.policy_in_force p
   WHERE p.year = p_year AND p.mode::text = 'screen'
     AND ((SELECT subsidy.sees_every_region()) OR p.region = ANY ((SELECT subsidy.caller_regions())::text[]));
  IF screening IS NOT NULL THEN
    PERFORM subsidy.raise('open_year_screening', p_year::text, screening);
  END IF;

  SELECT string_agg(format('%s %s—%s', w.region, w.opens_on, w.closes_on), ', ' ORDER BY w.region) INTO differing
    FROM subsidy.application_window w
   WHERE w.year = p_year AND (w.opens_on, w.closes_on) IS DISTINCT FROM (opens, closes);
  IF differing IS NOT NULL THEN
    PERFORM subsidy.raise('open_year_windows_kept', p_year::text, differing);
  END IF;
  -- Facts the review will need (E2, E7): named now, loaded any time before the review.
  SELECT string_agg(p.region, ', ' ORDER BY p.region) INTO missing
    FROM subsidy.policy_in_force p
   WHERE p.year = p_year AND (p.layoff_threshold IS NULL OR p.fund_balance IS NULL OR p.monthly_fund_expenditure IS NULL)
     AND ((SELECT subsidy.sees_every_region()) OR p.region = ANY ((SELECT subsidy.caller_regions())::text[]));
  IF missing IS NOT NULL THEN
    PERFORM subsidy.raise('open_year_facts_missing', p_year::text, missing, (p_year - 1)::text);
  END IF;
  PERFORM subsidy.raise('open_year_opened', p_year::text, opened::text, pg_catalog.to_char(opens, 'YYYY-MM-DD'),
                        pg_catalog.to_char(closes, 'YYYY-MM-DD'));
END
$$;
COMMENT ON PROCEDURE subsidy.open_year(integer, date, date) IS
  'cycle step 1 (DOMAIN 3.1): open a subsidy year for the caller''s pools: the parameters and calendar must be in place; opens the application windows (1 March to 31 May unless given) of the pools that take applications, none for those that screen their units (section 13); safe to run again';

-- Step 5 (W5), for every pool of the caller at once: publish each region's approved list.
CREATE FUNCTION subsidy.start_publicity(p_year integer, p_start date DEFAULT NULL)
RETURNS TABLE (region text, publicity_id bigint, applications bigint, starts_on date, ends_on date)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  r record;
  p subsidy.publicity;
BEGIN
  FOR r IN SELECT a.region AS code FROM subsidy.application a
            WHERE a.year = p_year AND a.stage = 'decided' AND a.decision = 'approved'
            GROUP BY a.region ORDER BY a.region LOOP
    -- counted before, through the (region, year, stage) index
    applications := (SELECT count(*) FROM subsidy.application a
                      WHERE a.region = r.code AND a.year = p_year AND a.stage = 'decided' AND a.decision = 'approved');
    p := subsidy.start_publicity(r.code, p_year, p_start);
    region := p.region;
    publicity_id := p.id;
    starts_on := p.starts_on;
    ends_on := p.ends_on;
    RETURN NEXT;
  END LOOP;
  IF NOT FOUND THEN
    IF EXISTS (SELECT FROM subsidy.application a WHERE a.year = p_year AND a.stage = 'in_publicity') THEN
      PERFORM subsidy.raise('start_publicity_nothing_waiting', p_year::text);
    ELSE
      PERFORM subsidy.raise('nothing_to_publish', p_year::text);
    END IF;
  END IF;
END
$$;
COMMENT ON FUNCTION subsidy.start_publicity(integer, date) IS
  'cycle step 5 (W5): publish the approved list of every pool of the caller that has one waiting, from a start date; pools already published are left as they are';

-- Step 6 (W5), for every pool at once: clear what has ended.
CREATE FUNCTION subsidy.close_publicity(p_year integer)
RETURNS TABLE (region text, cleared bigint, still_in_publicity bigint, publicity_ends_on date)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT a.region AS code, max(p.ends_on) AS ends_on
             FROM subsidy.application a JOIN subsidy.publicity p ON p.id = a.publicity_id
            WHERE a.year = p_year AND a.stage = 'in_publicity'
            GROUP BY a.region ORDER BY a.region LOOP
    region := r.code;
    cleared := subsidy.close_publicity(r.code, p_year);
    still_in_publicity := (SELECT count(*) FROM subsidy.application a
                            WHERE a.region = r.code AND a.year = p_year AND a.stage = 'in_publicity');
    publicity_ends_on := r.ends_on;
    IF still_in_publicity > 0 THEN
      PERFORM subsidy.raise('close_publicity_runs', p_year::text, r.code, pg_catalog.to_char(r.ends_on, 'YYYY-MM-DD'));
    END IF;
    RETURN NEXT;
  END LOOP;
  IF NOT FOUND THEN
    PERFORM subsidy.raise('close_publicity_nothing', p_year::text);
  END IF;
END
$$;
COMMENT ON FUNCTION subsidy.close_publicity(integer) IS
  'cycle step 6 (W5): clear, in every pool of the caller, the applications whose publicity has ended without objection';

CREATE FUNCTION subsidy.payment_file_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF TG_RELID <> 'subsidy.payment_file'::regclass OR TG_WHEN <> 'BEFORE' OR TG_LEVEL <> 'ROW' THEN
    PERFORM subsidy.raise('trigger_misuse', 'payment_file_guard', TG_TABLE_NAME);
  END IF;
  IF subsidy.restoring() THEN
    RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
  END IF;
  IF TG_OP = 'INSERT' THEN
    IF NEW.batch IS NULL OR NEW.batch = '' THEN
      PERFORM subsidy.raise('payment_record_no_batch');
    END IF;
    IF NEW.applied_at IS NOT NULL OR NEW.application_id IS NOT NULL THEN
      PERFORM subsidy.raise('payment_record_applied_on_load');
    END IF;
    -- who loaded the file, and when, is the extension's to record (W9)
    IF (NEW.loaded_at, NEW.loaded_by) IS DISTINCT FROM (pg_catalog.now(), SESSION_USER::text) THEN
      PERFORM subsidy.raise('recorded_as_loaded', SESSION_USER::text);
    END IF;
    RETURN NEW;
  END IF;
  -- pay_batch marks a record applied once its application carries the payment; the check
  -- is on the application itself, so a mark can never claim a payment that was not made.
  IF TG_OP = 'UPDATE' AND OLD.applied_at IS NULL AND NEW.applied_at IS NOT NULL
     AND (OLD.batch, OLD.uscc::text, OLD.year, OLD.amount, OLD.paid_on, OLD.reference)
         IS NOT DISTINCT FROM (NEW.batch, NEW.uscc::text, NEW.year, NEW.amount, NEW.paid_on, NEW.reference)
     AND EXISTS (SELECT FROM subsidy.application a
                  WHERE a.id = NEW.application_id AND a.uscc OPERATOR(subsidy.=) NEW.uscc AND a.year = NEW.year
                    AND a.payment_reference = NEW.reference AND a.paid_amount = NEW.amount
                    AND a.paid_on = NEW.paid_on AND a.stage IN ('paid', 'reported')) THEN
    RETURN NEW;
  END IF;
  IF TG_OP = 'DELETE' AND OLD.applied_at IS NULL THEN
    RETURN OLD;
  END IF;
  PERFORM subsidy.raise(CASE WHEN OLD.applied_at IS NULL THEN 'payment_record_pending_kept'
                             ELSE 'payment_record_applied_kept' END, OLD.line::text, OLD.reference);
END
$$;
COMMENT ON FUNCTION subsidy.payment_file_guard() IS
  'trigger: a payment record is loaded unapplied and named by its batch; it is marked applied only once its application carries the payment; an applied record is never changed or deleted';
CREATE TRIGGER payment_file_guard BEFORE INSERT OR UPDATE OR DELETE ON subsidy.payment_file
  FOR EACH ROW EXECUTE FUNCTION subsidy.payment_file_guard();
CREATE TRIGGER payment_file_number BEFORE INSERT ON subsidy.payment_file
  FOR EACH ROW EXECUTE FUNCTION subsidy.assign_number();
CREATE TRIGGER payment_file_closed_year BEFORE INSERT OR UPDATE OR DELETE ON subsidy.payment_file
  FOR EACH ROW EXECUTE FUNCTION subsidy.refuse_closed_year('year');

-- Loading a bank file: COPY into this view (COPY cannot write a table under row-level
-- security; the view's trigger inserts each record with the clerk's own rights).
CREATE VIEW subsidy.payment_file_load WITH (security_invoker = true) AS
SELECT f.batch, f.uscc, f.year, f.amount, f.paid_on, f.reference FROM subsidy.payment_file f;
COMMENT ON VIEW subsidy.payment_file_load IS
  'W7: load a bank payment file here: \copy subsidy.payment_file_load (uscc, year, amount, paid_on, reference) FROM ''file.csv'' CSV HEADER, after SET subsidy.payment_batch = ''the file''''s name''';
COMMENT ON COLUMN subsidy.payment_file_load.batch IS 'the file''s name (empty: subsidy.payment_batch)';
COMMENT ON COLUMN subsidy.payment_file_load.uscc IS 'the enterprise paid';
COMMENT ON COLUMN subsidy.payment_file_load.year IS 'the subsidy year paid';
COMMENT ON COLUMN subsidy.payment_file_load.amount IS 'the amount paid, yuan';
COMMENT ON COLUMN subsidy.payment_file_load.paid_on IS 'the day the bank paid';
COMMENT ON COLUMN subsidy.payment_file_load.reference IS 'the bank''s payment reference';

CREATE FUNCTION subsidy.payment_file_load_record() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF TG_RELID <> 'subsidy.payment_file_load'::regclass OR TG_WHEN <> 'INSTEAD OF' OR TG_LEVEL <> 'ROW' THEN
    PERFORM subsidy.raise('trigger_misuse', 'payment_file_load_record', TG_TABLE_NAME);
  END IF;
  IF NOT EXISTS (SELECT FROM subsidy.enterprise e WHERE e.uscc OPERATOR(subsidy.=) NEW.uscc) THEN
    PERFORM subsidy.raise('payment_file_foreign', NEW.uscc::text);
  END IF;
  INSERT INTO subsidy.payment_file (batch, uscc, year, amount, paid_on, reference)
  VALUES (coalesce(NEW.batch, NULLIF(pg_catalog.current_setting('subsidy.payment_batch', true), '')),
          NEW.uscc, NEW.year, NEW.amount, NEW.paid_on, pg_catalog.btrim(NEW.reference));
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION subsidy.payment_file_load_record() IS
  'trigger: a record copied into payment_file_load goes into payment_file, with the clerk''s rights and the batch of subsidy.payment_batch';
CREATE TRIGGER payment_file_load_record INSTEAD OF INSERT ON subsidy.payment_file_load
  FOR EACH ROW EXECUTE FUNCTION subsidy.payment_file_load_record();

-- What stops a batch from being paid, record by record; no rows: it can be paid.
CREATE FUNCTION subsidy.check_payment_batch(p_batch text)
RETURNS TABLE (line bigint, uscc text, reference text, problem text)
LANGUAGE sql STABLE STRICT SET search_path = pg_catalog, pg_temp
  -- a file just loaded has no statistics yet (a table analysed empty reads as one row): planned
  -- as the bulk statement it is, not by nested loops over every record
  SET enable_nestloop = off SET jit = off AS $$
  -- Every test is a join or a window, not an IN (subquery) in the problem list below: there the
  -- planner costed each subquery for one record and did not hash it, and ran it again for each
  -- record (a file of 600,000 records: hours).
  WITH pending AS (
    SELECT f.*, pg_catalog.count(*) OVER (PARTITION BY f.reference) AS reference_copies
      FROM subsidy.payment_file f WHERE f.batch = p_batch AND f.applied_at IS NULL
  ), used AS (
    -- every reference a payment of a region went under, returned ones and top-ups too
    SELECT DISTINCT u.region, u.reference FROM (
      SELECT o.region, o.payment_reference AS reference FROM subsidy.application o WHERE o.payment_reference IS NOT NULL
      UNION ALL
      SELECT o.region, o.returned_reference FROM subsidy.application o WHERE o.returned_reference IS NOT NULL
      UNION ALL
      SELECT t.region, t.payment_reference FROM subsidy.top_up t WHERE t.payment_reference IS NOT NULL) u
  ), objected AS (
    SELECT DISTINCT o.application_id, o.review_round FROM subsidy.objection o WHERE o.resolved_on IS NULL
  ), f AS (
    SELECT f.*, a.id AS app, a.region, a.stage, a.decided_amount, a.cleared_on, a.payment_reference AS paid_reference,
           f.reference_copies > 1 AS reference_reused, u.reference IS NOT NULL AS reference_used,
           pg_catalog.count(*) OVER (PARTITION BY a.id) AS app_records,
           a.payment_bank_account, e.bank_account AS current_account, ob.application_id IS NOT NULL AS objected
      FROM pending f
      LEFT JOIN subsidy.application a ON a.uscc OPERATOR(subsidy.=) f.uscc AND a.year = f.year AND a.stage <> 'withdrawn'
      LEFT JOIN subsidy.enterprise e ON e.uscc OPERATOR(subsidy.=) f.uscc
      LEFT JOIN used u ON u.region = a.region AND u.reference = f.reference
      LEFT JOIN objected ob ON ob.application_id = a.id AND ob.review_round = a.review_round
  )
  SELECT f.line, f.uscc::text, f.reference, p.problem
    FROM f CROSS JOIN LATERAL (VALUES
      (CASE WHEN f.app IS NULL THEN subsidy.message('pay_problem_no_application', f.uscc::text, f.year::text) END),
      (CASE WHEN f.app IS NOT NULL AND f.stage IN ('paid', 'reported')
            THEN subsidy.message('pay_problem_paid', f.app::text, f.paid_reference)
            WHEN f.app IS NOT NULL AND f.stage <> 'cleared'
            THEN subsidy.message('pay_problem_not_cleared', f.app::text, f.stage::text) END),
      (CASE WHEN f.app IS NOT NULL AND f.amount <> f.decided_amount
            THEN subsidy.message('pay_problem_amount', f.amount::text, f.decided_amount::text) END),
      (CASE WHEN f.paid_on < f.cleared_on THEN subsidy.message('pay_problem_before_clearance', pg_catalog.to_char(f.paid_on, 'YYYY-MM-DD'), pg_catalog.to_char(f.cleared_on, 'YYYY-MM-DD')) END),
      (CASE WHEN f.paid_on > subsidy.today() THEN subsidy.message('pay_problem_future', pg_catalog.to_char(f.paid_on, 'YYYY-MM-DD')) END),
      (CASE WHEN f.reference_reused THEN subsidy.message('pay_problem_reused_in_file') END),
      (CASE WHEN f.reference <> subsidy.payment_reference_canonical(f.reference)
            THEN subsidy.message('pay_problem_reference_form', pg_catalog.quote_literal(f.reference),
                                subsidy.payment_reference_canonical(f.reference)) END),
      (CASE WHEN f.reference_used THEN subsidy.message('pay_problem_reference_used') END),
      (CASE WHEN f.objected THEN subsidy.message('pay_problem_objection', f.app::text) END),
      (CASE WHEN f.app IS NOT NULL AND f.stage = 'cleared' AND f.payment_bank_account IS DISTINCT FROM f.current_account
            THEN subsidy.message('pay_problem_account', f.app::text) END),
      (CASE WHEN f.app IS NOT NULL AND f.app_records > 1 THEN subsidy.message('pay_problem_paid_twice', f.app::text) END)
    ) AS p(problem)
   WHERE p.problem IS NOT NULL
   ORDER BY f.line, p.problem
$$;
COMMENT ON FUNCTION subsidy.check_payment_batch(text) IS
  'W7: every record of a payment file not yet applied that pay_batch would refuse, with why; no rows when the batch can be paid';

CREATE PROCEDURE subsidy.pay_batch(p_batch text)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
  -- bulk statements over a file just loaded, as check_payment_batch: with the statistics of an
  -- empty table, the payment file's records were matched to their applications by an index scan
  -- of every reference per record (600,000 records: hours)
  SET enable_nestloop = off SET jit = off AS $$
DECLARE
  total integer;
  pending integer;
  problems text;
  problem_count integer;
  paid integer;
  amount numeric;
BEGIN
  SELECT count(*), count(*) FILTER (WHERE f.applied_at IS NULL) INTO total, pending
    FROM subsidy.payment_file f WHERE f.batch = p_batch;
  IF total = 0 THEN
    PERFORM subsidy.raise('no_payment_file', p_batch, pg_catalog.quote_literal(p_batch));
  END IF;
  IF pending = 0 THEN
    PERFORM subsidy.raise('pay_batch_applied_already', p_batch, total::text);
    RETURN;
  END IF;
  SELECT count(*), string_agg(subsidy.message('payment_problem_line', c.line::text, c.uscc, c.reference, c.problem), E'\n')
           FILTER (WHERE c.n <= 20)
    INTO problem_count, problems
    FROM (SELECT c.*, row_number() OVER () AS n FROM subsidy.check_payment_batch(p_batch) c) c;
  IF problem_count > 0 THEN
    PERFORM subsidy.raise('payment_batch_problems', p_batch, problem_count::text,
                          problems || CASE WHEN problem_count > 20
                                           THEN E'\n' || subsidy.message('and_more', (problem_count - 20)::text) ELSE '' END,
                          pg_catalog.quote_literal(p_batch));
  END IF;

  -- the regions' chains first, in order, as every entry point takes them
  PERFORM subsidy.lock_my_chains();
  UPDATE subsidy.application a
     SET stage = 'paid', paid_on = f.paid_on, payment_reference = f.reference, paid_amount = f.amount
    FROM subsidy.payment_file f
   WHERE f.batch = p_batch AND f.applied_at IS NULL
     AND a.uscc OPERATOR(subsidy.=) f.uscc AND a.year = f.year AND a.stage = 'cleared';
  GET DIAGNOSTICS paid = ROW_COUNT;
  IF paid <> pending THEN
    PERFORM subsidy.raise('payment_batch_changed', p_batch, pending::text, paid::text);
  END IF;
  -- what this call paid, not the batch's total: a record added to a batch paid before is paid
  -- by a later call of its own
  WITH applied AS (
    UPDATE subsidy.payment_file f SET applied_at = pg_catalog.now(), application_id = a.id
      FROM subsidy.application a
     WHERE f.batch = p_batch AND f.applied_at IS NULL
       AND a.uscc OPERATOR(subsidy.=) f.uscc AND a.year = f.year AND a.payment_reference = f.reference
    RETURNING f.amount)
  SELECT sum(applied.amount) INTO amount FROM applied;
  PERFORM subsidy.raise('pay_batch_paid', p_batch, paid::text, amount::text);
END
$$;
COMMENT ON PROCEDURE subsidy.pay_batch(text) IS
  'cycle step 7 (W7): apply a payment file the agency loaded: every record checked first (check_payment_batch), then all paid in one go, or none; running it again does nothing';

-- Step 8 (W8), for every pool at once: the agency reports the payment times to hrss ...
CREATE FUNCTION subsidy.report_payment_times(p_year integer)
RETURNS TABLE (region text, payments bigint)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT a.region AS code FROM subsidy.application a
            WHERE a.year = p_year AND a.stage = 'paid' AND a.payment_times_reported_on IS NULL
            GROUP BY a.region ORDER BY a.region LOOP
    region := r.code;
    payments := subsidy.report_payment_times(r.code, p_year);
    RETURN NEXT;
  END LOOP;
  IF NOT FOUND THEN
    PERFORM subsidy.raise('report_payment_times_nothing', p_year::text);
  END IF;
END
$$;
COMMENT ON FUNCTION subsidy.report_payment_times(integer) IS
  'cycle step 8 (W8): the agency reports to hrss the payment times of every pool''s payments of the year not yet reported';

-- ... and hrss reports upward.
CREATE FUNCTION subsidy.report_upward(p_year integer, p_reference_prefix text)
RETURNS TABLE (region text, report_batch_id bigint, reference text, payments bigint)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  r record;
  b subsidy.report_batch;
BEGIN
  FOR r IN SELECT a.region AS code FROM subsidy.application a
            WHERE a.year = p_year AND a.stage = 'paid' AND a.payment_times_reported_on IS NOT NULL
            GROUP BY a.region ORDER BY a.region LOOP
    payments := (SELECT count(*) FROM subsidy.application a
                  WHERE a.region = r.code AND a.year = p_year AND a.stage = 'paid'
                    AND a.payment_times_reported_on IS NOT NULL);
    b := subsidy.report_upward(r.code, p_year, format('%s-%s', p_reference_prefix, r.code));
    region := r.code;
    report_batch_id := b.id;
    reference := b.reference;
    RETURN NEXT;
  END LOOP;
  IF NOT FOUND THEN
    PERFORM subsidy.raise('report_upward_nothing', p_year::text);
  END IF;
END
$$;
COMMENT ON FUNCTION subsidy.report_upward(integer, text) IS
  'cycle step 8 (W8): hrss reports every pool''s payments of the year whose payment times the agency reported, one batch per pool, referenced prefix-region';

-- Step 10: close the year once nothing is open and the report is frozen as it stands.  The
-- checks are closed_year's own trigger's, so that no DBA closes a year around them.
CREATE FUNCTION subsidy.close_year_problems(p_year integer) RETURNS text[]
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  problems text[] := '{}';
  open_stages text;
  unpaid bigint;
BEGIN
  SELECT string_agg(format('%s %s', n, stage), ', ' ORDER BY stage) INTO open_stages
    FROM (SELECT a.stage, count(*) AS n FROM subsidy.application a
           WHERE a.year = p_year AND (a.stage IN ('screened', 'submitted', 'in_review', 'in_publicity', 'objection', 'cleared', 'paid')
                                      OR (a.stage = 'decided' AND a.decision = 'approved'))
           GROUP BY a.stage) s;
  IF open_stages IS NOT NULL THEN
    problems := problems || subsidy.message('close_year_open_applications', open_stages);
  END IF;
  -- a top-up (A6) computed and not paid is a payment the year still owes
  SELECT count(*) INTO unpaid FROM subsidy.top_up t WHERE t.year = p_year AND t.paid_on IS NULL;
  IF unpaid > 0 THEN
    problems := problems || subsidy.message('close_year_top_ups_unpaid', unpaid::text);
  END IF;
  IF EXISTS (SELECT FROM subsidy.annual_report(p_year) r
              WHERE NOT EXISTS (SELECT FROM subsidy.annual_report_frozen f WHERE f.year = p_year AND f.region = r.region)) THEN
    problems := problems || subsidy.message('close_year_not_frozen', p_year::text, p_year::text);
  ELSIF EXISTS (SELECT FROM subsidy.annual_report_changes(p_year)) THEN
    problems := problems || subsidy.message('close_year_report_changed', p_year::text);
  END IF;
  RETURN problems;
END
$$;
COMMENT ON FUNCTION subsidy.close_year_problems(integer) IS
  'what still stops a subsidy year from closing (every application of the province ended, a screened one answered, every top-up paid, the annual report frozen as it stands); empty when it can close';

CREATE FUNCTION subsidy.closed_year_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  problems text[];
BEGIN
  IF TG_RELID <> 'subsidy.closed_year'::regclass OR TG_WHEN <> 'BEFORE' OR TG_LEVEL <> 'ROW' THEN
    PERFORM subsidy.raise('trigger_misuse', 'closed_year_guard', TG_TABLE_NAME);
  END IF;
  IF subsidy.restoring() THEN
    RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
  END IF;
  IF TG_OP = 'UPDATE' THEN
    PERFORM subsidy.raise('recorded_once', TG_TABLE_NAME);
  ELSIF TG_OP = 'DELETE' THEN
    RETURN OLD;   -- a superuser reopens a year; no role has the right to
  END IF;
  IF NOT subsidy.sees_every_region() THEN
    PERFORM subsidy.raise('close_year_admin');
  END IF;
  -- what is still open is read as of now, after the chain locks: a REPEATABLE READ snapshot,
  -- taken before them, would miss an objection or a payment committed meanwhile (the fourth
  -- attack round's N2)
  IF current_setting('transaction_isolation') <> 'read committed' THEN
    PERFORM subsidy.raise('close_year_isolation', current_setting('transaction_isolation'));
  END IF;
  problems := subsidy.close_year_problems(NEW.year);
  IF cardinality(problems) > 0 THEN
    PERFORM subsidy.raise('close_year_not_ready', NEW.year::text, array_to_string(problems, E'\n'));
  END IF;
  IF (NEW.closed_at, NEW.closed_by) IS DISTINCT FROM (pg_catalog.now(), SESSION_USER::text) THEN
    PERFORM subsidy.raise('recorded_as_closed', SESSION_USER::text);
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION subsidy.closed_year_guard() IS
  'trigger: a year is closed, by subsidy_admin, only once close_year_problems finds nothing; recorded as closed by whoever closed it, now';
CREATE TRIGGER closed_year_guard BEFORE INSERT OR UPDATE OR DELETE ON subsidy.closed_year
  FOR EACH ROW EXECUTE FUNCTION subsidy.closed_year_guard();

CREATE PROCEDURE subsidy.close_year(p_year integer)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF EXISTS (SELECT FROM subsidy.closed_year WHERE year = p_year) THEN
    PERFORM subsidy.raise('close_year_already', p_year::text);
    RETURN;
  END IF;
  -- two sessions closing at once: the second finds it closed, as when run again
  INSERT INTO subsidy.closed_year (year) VALUES (p_year) ON CONFLICT (year) DO NOTHING;
  IF NOT FOUND THEN
    PERFORM subsidy.raise('close_year_already', p_year::text);
    RETURN;
  END IF;
  PERFORM subsidy.raise('close_year_closed', p_year::text);
END
$$;
COMMENT ON PROCEDURE subsidy.close_year(integer) IS
  'cycle step 10: close a subsidy year once every application is reported, rejected or withdrawn and the annual report is frozen as it stands; nothing of the year changes after';
