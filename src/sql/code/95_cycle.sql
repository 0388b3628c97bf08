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
BEGIN
  IF p_year IS NULL THEN
    RAISE EXCEPTION 'open_year needs the subsidy year to open' USING ERRCODE = 'null_value_not_allowed';
  END IF;
  opens := coalesce(p_opens, make_date(p_year, 3, 1));
  closes := coalesce(p_closes, make_date(p_year, 5, 31));
  IF closes < opens OR extract(year FROM opens) <> p_year THEN
    RAISE EXCEPTION 'a window from % to % does not fit subsidy year %', opens, closes, p_year
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'The window opens in the subsidy year and closes on or after the day it opens.';
  END IF;
  IF EXISTS (SELECT FROM subsidy.closed_year WHERE year = p_year) THEN
    RAISE EXCEPTION 'subsidy year % is closed', p_year USING ERRCODE = 'SBY01';
  END IF;

  -- What the year needs before the first application, all named at once.
  IF NOT EXISTS (SELECT FROM subsidy.policy_year WHERE year = p_year) THEN
    problems := problems || format('no parameter set for %s (section 7): add a row to subsidy.policy_year', p_year);
  END IF;
  IF NOT EXISTS (SELECT FROM subsidy.calendar WHERE day BETWEEN make_date(p_year, 1, 1) AND make_date(p_year, 12, 31)) THEN
    problems := problems || format('the working-day calendar of %s is not loaded (W5 counts publicity in working days): add the State Council''s exception days to subsidy.calendar', p_year);
  END IF;
  IF cardinality(problems) > 0 THEN
    RAISE EXCEPTION 'subsidy year % cannot be opened yet', p_year
      USING ERRCODE = 'SBY02',
            DETAIL = array_to_string(problems, E'\n'),
            HINT = 'Load what is listed, then call open_year again; nothing was written.';
  END IF;

  INSERT INTO subsidy.application_window (region, year, opens_on, closes_on)
  SELECT r.code, p_year, opens, closes
    FROM subsidy.region r
   WHERE r.is_pool
     AND ((SELECT subsidy.sees_every_region()) OR r.code = ANY ((SELECT subsidy.caller_regions())::text[]))
  ON CONFLICT (region, year) DO NOTHING;
  GET DIAGNOSTICS opened = ROW_COUNT;

  SELECT string_agg(format('%s %s to %s', w.region, w.opens_on, w.closes_on), ', ' ORDER BY w.region) INTO differing
    FROM subsidy.application_window w
   WHERE w.year = p_year AND (w.opens_on, w.closes_on) IS DISTINCT FROM (opens, closes);
  IF differing IS NOT NULL THEN
    RAISE NOTICE 'open_year %: windows already set and kept: %', p_year, differing;
  END IF;
  -- Facts the review will need (E2, E7): named now, loaded any time before the review.
  SELECT string_agg(p.region, ', ' ORDER BY p.region) INTO missing
    FROM subsidy.policy_in_force p
   WHERE p.year = p_year AND (p.layoff_threshold IS NULL OR p.fund_balance IS NULL OR p.monthly_fund_expenditure IS NULL)
     AND ((SELECT subsidy.sees_every_region()) OR p.region = ANY ((SELECT subsidy.caller_regions())::text[]));
  IF missing IS NOT NULL THEN
    RAISE WARNING 'open_year %: the basis-year facts (unemployment rate, fund balance, monthly expenditure) of % are not loaded yet', p_year, missing
      USING HINT = format('Load them into subsidy.region_basis_year (basis_year %s) before the review starts.', p_year - 1);
  END IF;
  RAISE NOTICE 'open_year %: % pool(s) opened, window % to %', p_year, opened, opens, closes;
END
$$;
COMMENT ON PROCEDURE subsidy.open_year(integer, date, date) IS
  'cycle step 1 (DOMAIN 3.1): open a subsidy year for the caller''s pools: the parameters and calendar must be in place; opens the application windows (1 March to 31 May unless given); safe to run again';

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
      RAISE NOTICE 'start_publicity %: nothing waiting; the approved lists are in publicity already', p_year;
    ELSE
      RAISE EXCEPTION 'no approved application of % is waiting to be published', p_year
        USING ERRCODE = 'SBW05',
              HINT = 'Decide the year''s applications first: subsidy.decide(region, year).';
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
      RAISE NOTICE 'close_publicity %: publicity of % runs until %: cleared from the day after', p_year, r.code, r.ends_on;
    END IF;
    RETURN NEXT;
  END LOOP;
  IF NOT FOUND THEN
    RAISE NOTICE 'close_publicity %: nothing is in publicity', p_year;
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
      RAISE EXCEPTION 'a payment record names the file it came in'
        USING ERRCODE = 'not_null_violation',
              HINT = 'SET subsidy.payment_batch to the file''s name before COPY, or load a batch column.';
    END IF;
    IF NEW.applied_at IS NOT NULL OR NEW.application_id IS NOT NULL THEN
      RAISE EXCEPTION 'a payment record is loaded as not applied' USING ERRCODE = 'SBW07',
        HINT = 'Load uscc, year, amount, paid_on and reference; pay_batch applies them.';
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
  RAISE EXCEPTION 'payment record % (%) is %: it is not changed', OLD.line, OLD.reference,
    CASE WHEN OLD.applied_at IS NULL THEN 'not applied yet' ELSE 'applied' END
    USING ERRCODE = 'SBW07',
          DETAIL = 'A payment record is applied by pay_batch as loaded; an applied one is kept as the record of the payment (W7).',
          HINT = 'To correct a record not yet applied, delete it and load it again.';
END
$$;
COMMENT ON FUNCTION subsidy.payment_file_guard() IS
  'trigger: a payment record is loaded unapplied and named by its batch; it is marked applied only once its application carries the payment; an applied record is never changed or deleted';
CREATE TRIGGER payment_file_guard BEFORE INSERT OR UPDATE OR DELETE ON subsidy.payment_file
  FOR EACH ROW EXECUTE FUNCTION subsidy.payment_file_guard();
CREATE TRIGGER payment_file_number BEFORE INSERT ON subsidy.payment_file
  FOR EACH ROW EXECUTE FUNCTION subsidy.assign_number('line', 'payment_file_line_seq');
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
    RAISE EXCEPTION 'the file pays %, which is no enterprise of your regions', NEW.uscc
      USING ERRCODE = 'SBR01',
            DETAIL = 'Nothing of the file was loaded.',
            HINT = 'A payment file holds the payments of the regions you act in; remove the record, or give it to its region.';
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
LANGUAGE sql STABLE STRICT SET search_path = pg_catalog, pg_temp AS $$
  WITH pending AS (
    SELECT f.* FROM subsidy.payment_file f WHERE f.batch = p_batch AND f.applied_at IS NULL
  ), reused AS (
    SELECT r.reference FROM pending r GROUP BY r.reference HAVING count(*) > 1
  ), used AS (
    -- every reference a payment of a region went under, returned ones too: hashed, not
    -- searched for each record
    SELECT o.region, o.payment_reference AS reference FROM subsidy.application o WHERE o.payment_reference IS NOT NULL
    UNION ALL
    SELECT o.region, o.returned_reference FROM subsidy.application o WHERE o.returned_reference IS NOT NULL
  ), f AS (
    SELECT f.*, a.id AS app, a.region, a.stage, a.decided_amount, a.cleared_on, a.payment_reference AS paid_reference,
           f.reference IN (SELECT reference FROM reused) AS reference_reused,
           a.payment_bank_account, e.bank_account AS current_account,
           EXISTS (SELECT FROM subsidy.objection o WHERE o.application_id = a.id AND o.review_round = a.review_round
                      AND o.resolved_on IS NULL) AS objected
      FROM pending f
      LEFT JOIN subsidy.application a ON a.uscc OPERATOR(subsidy.=) f.uscc AND a.year = f.year AND a.stage <> 'withdrawn'
      LEFT JOIN subsidy.enterprise e ON e.uscc OPERATOR(subsidy.=) f.uscc
  ), paid_twice AS (
    SELECT f.app FROM f WHERE f.app IS NOT NULL GROUP BY f.app HAVING count(*) > 1
  )
  SELECT f.line, f.uscc::text, f.reference, p.problem
    FROM f CROSS JOIN LATERAL (VALUES
      (CASE WHEN f.app IS NULL THEN format('no application of %s for %s that you may pay', f.uscc, f.year) END),
      (CASE WHEN f.app IS NOT NULL AND f.stage IN ('paid', 'reported')
            THEN format('application %s is paid already, under reference %s (W7: paid once)', f.app, f.paid_reference)
            WHEN f.app IS NOT NULL AND f.stage <> 'cleared'
            THEN format('application %s is %s, not cleared (W7: paid after publicity clears)', f.app, f.stage) END),
      (CASE WHEN f.app IS NOT NULL AND f.amount <> f.decided_amount
            THEN format('amount %s is not the decided %s (W7)', f.amount, f.decided_amount) END),
      (CASE WHEN f.paid_on < f.cleared_on THEN format('paid on %s, before clearance on %s (W7)', f.paid_on, f.cleared_on) END),
      (CASE WHEN f.paid_on > subsidy.today() THEN format('paid on %s, a day still to come', f.paid_on) END),
      (CASE WHEN f.reference_reused THEN 'the reference appears more than once in the file' END),
      (CASE WHEN f.reference <> subsidy.payment_reference_canonical(f.reference)
            THEN format('the reference is written %s: %s, in capitals, without spaces (W7)',
                        pg_catalog.quote_literal(f.reference), subsidy.payment_reference_canonical(f.reference)) END),
      (CASE WHEN (f.region, f.reference) IN (SELECT u.region, u.reference FROM used u)
            THEN 'the reference was used by an earlier payment' END),
      (CASE WHEN f.objected THEN format('application %s has an open objection (W7)', f.app) END),
      (CASE WHEN f.app IS NOT NULL AND f.stage = 'cleared' AND f.payment_bank_account IS DISTINCT FROM f.current_account
            THEN format('the enterprise''s account changed after the decision: re-check it first, subsidy.recheck_bank_account(%s) (W7)', f.app) END),
      (CASE WHEN f.app IN (SELECT app FROM paid_twice) THEN format('application %s is paid more than once in the file', f.app) END)
    ) AS p(problem)
   WHERE p.problem IS NOT NULL
   ORDER BY f.line, p.problem
$$;
COMMENT ON FUNCTION subsidy.check_payment_batch(text) IS
  'W7: every record of a payment file not yet applied that pay_batch would refuse, with why; no rows when the batch can be paid';

CREATE PROCEDURE subsidy.pay_batch(p_batch text)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
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
    RAISE EXCEPTION 'no payment file named "%" is loaded', p_batch
      USING ERRCODE = 'SBW07',
            HINT = format('Load it first: SET subsidy.payment_batch = %L; then \copy subsidy.payment_file_load (uscc, year, amount, paid_on, reference) FROM ''file.csv'' CSV HEADER', p_batch);
  END IF;
  IF pending = 0 THEN
    RAISE NOTICE 'pay_batch %: already applied, % payment(s)', p_batch, total;
    RETURN;
  END IF;
  SELECT count(*), string_agg(format('line %s (%s, %s): %s', c.line, c.uscc, c.reference, c.problem), E'\n')
           FILTER (WHERE c.n <= 20)
    INTO problem_count, problems
    FROM (SELECT c.*, row_number() OVER () AS n FROM subsidy.check_payment_batch(p_batch) c) c;
  IF problem_count > 0 THEN
    RAISE EXCEPTION 'payment batch "%" cannot be paid: % problem(s); nothing was paid', p_batch, problem_count
      USING ERRCODE = 'SBW07',
            DETAIL = problems || CASE WHEN problem_count > 20 THEN format(E'\n... and %s more', problem_count - 20) ELSE '' END,
            HINT = format('SELECT * FROM subsidy.check_payment_batch(%L) lists them all; delete the records to correct, load them again, and call pay_batch again.', p_batch);
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
    RAISE EXCEPTION 'payment batch "%": % record(s), but % application(s) could be paid; nothing was paid', p_batch, pending, paid
      USING ERRCODE = 'SBW07', HINT = 'Another session changed these applications meanwhile; call pay_batch again.';
  END IF;
  UPDATE subsidy.payment_file f SET applied_at = pg_catalog.now(), application_id = a.id
    FROM subsidy.application a
   WHERE f.batch = p_batch AND f.applied_at IS NULL AND a.payment_reference = f.reference;
  SELECT sum(f.amount) INTO amount FROM subsidy.payment_file f WHERE f.batch = p_batch;
  RAISE NOTICE 'pay_batch %: % application(s) paid, % yuan in all', p_batch, paid, amount;
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
    RAISE NOTICE 'report_payment_times %: no payment time is waiting to be reported', p_year;
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
    RAISE NOTICE 'report_upward %: no payment is waiting to be reported with its payment time', p_year;
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
BEGIN
  SELECT string_agg(format('%s %s', n, stage), ', ' ORDER BY stage) INTO open_stages
    FROM (SELECT a.stage, count(*) AS n FROM subsidy.application a
           WHERE a.year = p_year AND (a.stage IN ('submitted', 'in_review', 'in_publicity', 'objection', 'cleared', 'paid')
                                      OR (a.stage = 'decided' AND a.decision = 'approved'))
           GROUP BY a.stage) s;
  IF open_stages IS NOT NULL THEN
    problems := problems || format('applications still open: %s (every one ends reported, rejected or withdrawn)', open_stages);
  END IF;
  IF EXISTS (SELECT FROM subsidy.annual_report(p_year) r
              WHERE NOT EXISTS (SELECT FROM subsidy.annual_report_frozen f WHERE f.year = p_year AND f.region = r.region)) THEN
    problems := problems || format('the annual report of %s is not frozen: CALL subsidy.freeze_annual_report(%s)', p_year, p_year);
  ELSIF EXISTS (SELECT FROM subsidy.annual_report_changes(p_year)) THEN
    problems := problems || format('the annual report changed since it was frozen: freeze a corrected version, CALL subsidy.freeze_annual_report(%s, ''the reason'')', p_year);
  END IF;
  RETURN problems;
END
$$;
COMMENT ON FUNCTION subsidy.close_year_problems(integer) IS
  'what still stops a subsidy year from closing (every application of the province ended, the annual report frozen as it stands); empty when it can close';

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
    RAISE EXCEPTION 'closing a year is a step for subsidy_admin' USING ERRCODE = 'SBR01',
      DETAIL = 'A year closes for the whole province at once.';
  END IF;
  problems := subsidy.close_year_problems(NEW.year);
  IF cardinality(problems) > 0 THEN
    RAISE EXCEPTION 'subsidy year % cannot be closed yet', NEW.year
      USING ERRCODE = 'SBY02', DETAIL = array_to_string(problems, E'\n'),
            HINT = 'Finish what is listed, then call close_year again; nothing was written.';
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
    RAISE NOTICE 'close_year %: closed already', p_year;
    RETURN;
  END IF;
  INSERT INTO subsidy.closed_year (year) VALUES (p_year);
  RAISE NOTICE 'close_year %: closed; its applications no longer change', p_year;
END
$$;
COMMENT ON PROCEDURE subsidy.close_year(integer) IS
  'cycle step 10: close a subsidy year once every application is reported, rejected or withdrawn and the annual report is frozen as it stands; nothing of the year changes after';
