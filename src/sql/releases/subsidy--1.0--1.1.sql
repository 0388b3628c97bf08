-- subsidy 1.0 -> 1.1 (ALTER EXTENSION subsidy UPDATE TO '1.1')
\echo Use "ALTER EXTENSION subsidy UPDATE TO '1.1'" to load this file. \quit

-- 1.1: one application's trail, as a clerk answers an enterprise that asks where its
-- application stands and who did what (W9), and the index that makes it quick.
CREATE INDEX audit_log_application ON subsidy.audit_log (application_id);

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

-- 1.1: a local region may name a local parent restored after it (pg_dump loads a table's
-- rows in its own order).
ALTER TABLE subsidy.region ALTER CONSTRAINT region_parent_fkey DEFERRABLE INITIALLY DEFERRED;

-- 1.1: the category's name compares with pg_catalog's operator whatever the caller's
-- search_path (the function is inlined into the caller's query).
CREATE OR REPLACE FUNCTION subsidy.category_name(rule text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN rule OPERATOR(pg_catalog.=) 'A1' THEN '一般企业（按实缴）'
              WHEN rule OPERATOR(pg_catalog.=) 'A2' THEN '去产能企业（按应缴）'
              WHEN rule OPERATOR(pg_catalog.=) 'A3' THEN '延期缴费企业（按应缴）' END
$$;

-- 1.1: every entry point locks the region's audit chain before any row (one lock order, no
-- deadlock between a step on one application and a step over its region); a step already
-- taken is refused; signing again logs one entry; the year-wide steps count through the
-- (region, year, stage) index; a payment file is checked with hash aggregates, not sorts;
-- assess_batch and simulate compute the parameters in force once, whatever the statistics.

CREATE FUNCTION subsidy.lock_audit_chain(region text) RETURNS void
  AS 'MODULE_PATHNAME', 'audit_chain_lock' LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;
COMMENT ON FUNCTION subsidy.lock_audit_chain(text) IS
  'lock a region''s audit chain until the end of the transaction; every entry point takes it before any row, so that steps take their locks in one order (since 1.1)';

CREATE OR REPLACE FUNCTION subsidy.move(p_id bigint, p_stage subsidy.stage) RETURNS subsidy.application
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  a subsidy.application := subsidy.application_for(p_id);
  moved subsidy.application;
BEGIN
  PERFORM subsidy.lock_audit_chain(a.region);
  UPDATE subsidy.application SET stage = p_stage WHERE id = p_id AND stage <> p_stage RETURNING * INTO moved;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'application % is % already', p_id, p_stage
      USING ERRCODE = 'SBW01',
            DETAIL = 'That step was taken before (perhaps by another clerk at the same moment); nothing was done again (W1).',
            HINT = format('Its trail says who took it: SELECT * FROM subsidy.application_history(%s).', p_id);
  END IF;
  RETURN moved;
END
$$;

CREATE OR REPLACE FUNCTION subsidy.start_review(p_region text, p_year integer) RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  n bigint;
BEGIN
  PERFORM subsidy.lock_audit_chain(p_region);
  UPDATE subsidy.application SET stage = 'in_review'
   WHERE region = p_region AND year = p_year AND stage = 'submitted';
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END
$$;

CREATE OR REPLACE FUNCTION subsidy.sign_off(p_id bigint, p_agency subsidy.agency, p_passed boolean, p_comment text DEFAULT NULL)
RETURNS subsidy.sign_off
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  a subsidy.application := subsidy.application_for(p_id);
  s subsidy.sign_off;
BEGIN
  PERFORM subsidy.lock_audit_chain(a.region);
  -- Not INSERT ... ON CONFLICT: its BEFORE INSERT trigger would log a sign-off that then
  -- becomes an update, and the update would be logged again.
  LOOP
    UPDATE subsidy.sign_off SET passed = p_passed, comment = p_comment
     WHERE application_id = p_id AND review_round = a.review_round AND agency = p_agency
    RETURNING * INTO s;
    EXIT WHEN FOUND;
    BEGIN
      INSERT INTO subsidy.sign_off (application_id, review_round, agency, passed, comment)
      VALUES (p_id, a.review_round, p_agency, p_passed, p_comment)
      RETURNING * INTO s;
      EXIT;
    EXCEPTION WHEN unique_violation THEN
      NULL;   -- signed meanwhile in another session: replace that one
    END;
  END LOOP;
  RETURN s;
END
$$;

CREATE OR REPLACE FUNCTION subsidy.decide(p_region text, p_year integer)
RETURNS TABLE (decided bigint, approved bigint, rejected bigint, waiting bigint)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  PERFORM subsidy.lock_audit_chain(p_region);
  -- applications with all three sign-offs and every fact known; the rest wait
  RETURN QUERY
  WITH ready AS (
    SELECT a.id FROM subsidy.application a
     WHERE a.region = p_region AND a.year = p_year AND a.stage = 'in_review'
       AND (SELECT count(*) FROM subsidy.sign_off s
             WHERE s.application_id = a.id AND s.review_round = a.review_round) = 3
       AND (subsidy.verdict_of(a)::subsidy.assessment).outcome <> 'undetermined'
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

CREATE OR REPLACE FUNCTION subsidy.start_publicity(p_region text, p_year integer, p_start date DEFAULT NULL)
RETURNS subsidy.publicity
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  p subsidy.publicity;
  n bigint;
BEGIN
  PERFORM subsidy.lock_audit_chain(p_region);
  IF NOT EXISTS (SELECT FROM subsidy.application
                  WHERE region = p_region AND year = p_year AND stage = 'decided' AND decision = 'approved') THEN
    RAISE EXCEPTION 'region % has no approved application of % waiting to be published', p_region, p_year
      USING ERRCODE = 'SBW05',
            HINT = 'Decide the applications first: subsidy.decide(region, year).';
  END IF;
  INSERT INTO subsidy.publicity (region, year, starts_on, ends_on, workdays)
  VALUES (p_region, p_year, coalesce(p_start, subsidy.today()), coalesce(p_start, subsidy.today()), 7)
  RETURNING * INTO p;
  UPDATE subsidy.application SET stage = 'in_publicity', publicity_id = p.id
   WHERE region = p_region AND year = p_year AND stage = 'decided' AND decision = 'approved';
  GET DIAGNOSTICS n = ROW_COUNT;
  RAISE NOTICE 'publicity % of region % for %: % applications, % to %', p.id, p_region, p_year, n, p.starts_on, p.ends_on;
  RETURN p;
END
$$;

CREATE OR REPLACE FUNCTION subsidy.object(p_id bigint, p_text text) RETURNS subsidy.application
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  a subsidy.application := subsidy.application_for(p_id);
BEGIN
  PERFORM subsidy.lock_audit_chain(a.region);
  a := subsidy.application_for(p_id);   -- as it stands now that the region is ours
  IF a.stage NOT IN ('in_publicity', 'decided') OR (a.stage = 'decided' AND a.decision = 'approved') THEN
    RETURN subsidy.move(p_id, 'objection');   -- the guard says why not
  END IF;
  INSERT INTO subsidy.objection (application_id, review_round, text, raised_on)
  VALUES (p_id, a.review_round, p_text, subsidy.today());
  RETURN subsidy.move(p_id, 'objection');
END
$$;

CREATE OR REPLACE FUNCTION subsidy.close_publicity(p_region text, p_year integer) RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  n bigint;
BEGIN
  PERFORM subsidy.lock_audit_chain(p_region);
  UPDATE subsidy.application a SET stage = 'cleared'
    FROM subsidy.publicity p
   WHERE a.region = p_region AND a.year = p_year AND a.stage = 'in_publicity'
     AND p.id = a.publicity_id AND p.ends_on < subsidy.today();
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END
$$;

CREATE OR REPLACE FUNCTION subsidy.pay(p_id bigint, p_paid_on date, p_reference text, p_amount numeric DEFAULT NULL)
RETURNS subsidy.application
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  a subsidy.application := subsidy.application_for(p_id);
BEGIN
  PERFORM subsidy.lock_audit_chain(a.region);
  UPDATE subsidy.application
     SET stage = 'paid', paid_on = p_paid_on, payment_reference = p_reference, paid_amount = p_amount
   WHERE id = p_id
  RETURNING * INTO a;
  RETURN a;
END
$$;

CREATE OR REPLACE FUNCTION subsidy.report_upward(p_region text, p_year integer, p_reference text)
RETURNS subsidy.report_batch
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  b subsidy.report_batch;
  n bigint;
BEGIN
  PERFORM subsidy.lock_audit_chain(p_region);
  INSERT INTO subsidy.report_batch (region, year, reference, reported_on)
  VALUES (p_region, p_year, p_reference, subsidy.today())
  RETURNING * INTO b;
  UPDATE subsidy.application SET stage = 'reported', report_batch_id = b.id
   WHERE region = p_region AND year = p_year AND stage = 'paid';
  GET DIAGNOSTICS n = ROW_COUNT;
  IF n = 0 THEN
    RAISE EXCEPTION 'region % has no payment of % to report', p_region, p_year
      USING ERRCODE = 'SBW08', HINT = 'Payments are recorded first: subsidy.pay.';
  END IF;
  RAISE NOTICE 'report batch % (%): % payments of region % for %', b.id, p_reference, n, p_region, p_year;
  RETURN b;
END
$$;

CREATE OR REPLACE FUNCTION subsidy.draw_spot_checks(p_region text, p_year integer, p_size integer, p_seed text)
RETURNS SETOF subsidy.spot_check_item
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  d subsidy.spot_check_draw;
BEGIN
  PERFORM subsidy.lock_audit_chain(p_region);
  INSERT INTO subsidy.spot_check_draw (region, year, seed, sample_size, drawn_on)
  VALUES (p_region, p_year, p_seed, p_size, subsidy.today())
  RETURNING * INTO d;
  -- the sample: the applications whose seeded hash is smallest, the same for the same seed
  RETURN QUERY
  WITH drawn AS (
    SELECT a.id FROM subsidy.application a
     WHERE a.region = p_region AND a.year = p_year AND a.stage IN ('submitted', 'in_review')
     ORDER BY md5(p_seed || ':' || a.id::text), a.id
     LIMIT p_size
  ), marked AS (
    UPDATE subsidy.application a SET spot_check = 'pending' FROM drawn WHERE a.id = drawn.id
    RETURNING a.id
  )
  INSERT INTO subsidy.spot_check_item (draw_id, application_id)
  SELECT d.id, m.id FROM marked m
  RETURNING *;
END
$$;

CREATE OR REPLACE FUNCTION subsidy.record_spot_check(p_id bigint, p_result subsidy.spot_check_result, p_notes text DEFAULT NULL)
RETURNS subsidy.application
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  a subsidy.application := subsidy.application_for(p_id);
BEGIN
  PERFORM subsidy.lock_audit_chain(a.region);
  IF p_result = 'pending' THEN
    RAISE EXCEPTION 'a spot check''s result is confirmed or false_data' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  UPDATE subsidy.spot_check_item SET result = p_result, notes = p_notes, checked_on = subsidy.today()
   WHERE application_id = p_id AND result = 'pending';
  IF NOT FOUND THEN
    RAISE EXCEPTION 'application % has no pending spot check', p_id
      USING ERRCODE = 'no_data_found', HINT = 'Draw it first: subsidy.draw_spot_checks.';
  END IF;
  UPDATE subsidy.application SET spot_check = p_result WHERE id = p_id RETURNING * INTO a;
  RETURN a;
END
$$;

CREATE OR REPLACE FUNCTION subsidy.start_publicity(p_year integer, p_start date DEFAULT NULL)
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

CREATE OR REPLACE FUNCTION subsidy.check_payment_batch(p_batch text)
RETURNS TABLE (line bigint, uscc text, reference text, problem text)
LANGUAGE sql STABLE STRICT SET search_path = pg_catalog, pg_temp AS $$
  WITH pending AS (
    SELECT f.* FROM subsidy.payment_file f WHERE f.batch = p_batch AND f.applied_at IS NULL
  ), reused AS (
    SELECT r.reference FROM pending r GROUP BY r.reference HAVING count(*) > 1
  ), f AS (
    SELECT f.*, a.id AS app, a.stage, a.decided_amount, a.cleared_on, a.payment_reference AS paid_reference,
           f.reference IN (SELECT reference FROM reused) AS reference_reused
      FROM pending f
      LEFT JOIN subsidy.application a ON a.uscc OPERATOR(subsidy.=) f.uscc AND a.year = f.year AND a.stage <> 'withdrawn'
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
      (CASE WHEN EXISTS (SELECT FROM subsidy.application o WHERE o.payment_reference = f.reference)
            THEN 'the reference was used by an earlier payment' END),
      (CASE WHEN f.app IN (SELECT app FROM paid_twice) THEN format('application %s is paid more than once in the file', f.app) END)
    ) AS p(problem)
   WHERE p.problem IS NOT NULL
   ORDER BY f.line, p.problem
$$;

CREATE OR REPLACE PROCEDURE subsidy.pay_batch(p_batch text)
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
  PERFORM subsidy.lock_audit_chain(r.region)
     FROM (SELECT DISTINCT e.region FROM subsidy.payment_file f
             JOIN subsidy.enterprise e ON e.uscc OPERATOR(subsidy.=) f.uscc
            WHERE f.batch = p_batch AND f.applied_at IS NULL ORDER BY e.region) r;
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

CREATE OR REPLACE FUNCTION subsidy.report_upward(p_year integer, p_reference_prefix text)
RETURNS TABLE (region text, report_batch_id bigint, reference text, payments bigint)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  r record;
  b subsidy.report_batch;
BEGIN
  FOR r IN SELECT a.region AS code FROM subsidy.application a
            WHERE a.year = p_year AND a.stage = 'paid'
            GROUP BY a.region ORDER BY a.region LOOP
    payments := (SELECT count(*) FROM subsidy.application a
                  WHERE a.region = r.code AND a.year = p_year AND a.stage = 'paid');
    b := subsidy.report_upward(r.code, p_year, format('%s-%s', p_reference_prefix, r.code));
    region := r.code;
    report_batch_id := b.id;
    reference := b.reference;
    RETURN NEXT;
  END LOOP;
  IF NOT FOUND THEN
    RAISE NOTICE 'report_upward %: no payment is waiting to be reported', p_year;
  END IF;
END
$$;

CREATE OR REPLACE FUNCTION subsidy.assess_batch(p_year integer, p_region text, p_first_id bigint, p_last_id bigint)
RETURNS bigint
LANGUAGE sql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
  -- snapshot is materialized: inlined, a nested loop under a stale row estimate (a table just
  -- loaded, not analysed yet) re-evaluated it, to_jsonb of every region, for each application
  WITH snapshot AS MATERIALIZED (
    SELECT s.region, s.id
      FROM subsidy.policy_in_force p
      JOIN subsidy.policy_snapshot s ON s.year = p.year AND s.region = p.region AND s.parameters = to_jsonb(p)
     WHERE p.year = p_year
  ), assessed AS MATERIALIZED (
    SELECT a.id, a.region, subsidy.verdict_of(a) AS r
      FROM subsidy.application a
     WHERE a.year = p_year AND (p_region IS NULL OR a.region = p_region)
       AND a.id BETWEEN p_first_id AND p_last_id
       AND a.stage IN ('submitted', 'in_review')
  ), stored AS (
    INSERT INTO subsidy.application_verdict AS t (application_id, assessed_at, policy_snapshot_id, verdict)
    SELECT x.id, now(), s.id, x.r
      FROM assessed x JOIN snapshot s ON s.region = x.region
    ON CONFLICT (application_id) DO UPDATE SET
      assessed_at = excluded.assessed_at, policy_snapshot_id = excluded.policy_snapshot_id,
      verdict = excluded.verdict
    RETURNING 1)
  SELECT count(*) FROM stored
$$;

CREATE OR REPLACE FUNCTION subsidy.simulate(p_year integer, p_overrides jsonb)
RETURNS TABLE (region text, region_name text, applications bigint,
               eligible_now bigint, eligible_then bigint, newly_eligible bigint, no_longer_eligible bigint,
               amount_changed bigint, amount_now numeric, amount_then numeric, amount_difference numeric)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  settable constant text[] := ARRAY['standard_rate_large', 'standard_rate_small_micro', 'decapacity_rate',
    'arrears_path_rate', 'layoff_formula', 'layoff_threshold', 'priority_threshold_factor',
    'fund_cover_months', 'fund_balance', 'monthly_fund_expenditure', 'rounding_unit',
    'window_opens', 'window_closes'];
  unknown text;
BEGIN
  IF jsonb_typeof(p_overrides) IS DISTINCT FROM 'object' THEN
    RAISE EXCEPTION 'overrides must be a JSON object of parameter names and values'
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'For example: {"standard_rate_large": 0.6, "regions": {"220100": {"layoff_threshold": 4.0}}}';
  END IF;
  SELECT string_agg(k, ', ') INTO unknown
    FROM (SELECT jsonb_object_keys(p_overrides - 'regions') AS k
          UNION ALL
          SELECT jsonb_object_keys(v) FROM jsonb_each(coalesce(p_overrides -> 'regions', '{}')) AS r(c, v)) s
   WHERE k <> ALL (settable);
  IF unknown IS NOT NULL THEN
    RAISE EXCEPTION 'cannot simulate a change of %', unknown
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Parameters that can change: ' || array_to_string(settable, ', ') || '; per region under "regions".';
  END IF;

  RETURN QUERY
  -- materialized for the reason given at assess_batch: computed once, not per application
  WITH alternative AS MATERIALIZED (
    SELECT p.region AS code,
           jsonb_populate_record(jsonb_populate_record(p, p_overrides - 'regions'),
                                 coalesce(p_overrides -> 'regions' -> p.region, '{}')) AS p
      FROM subsidy.policy_in_force p
     WHERE p.year = p_year
  ), assessed AS MATERIALIZED (
    SELECT a.region AS code, subsidy.assessment(subsidy.verdict_of(a)) AS now,
           subsidy.assessment(subsidy.verdict_of(a, x.p)) AS then
      FROM subsidy.application a JOIN alternative x ON x.code = a.region
     WHERE a.year = p_year AND a.stage NOT IN ('draft', 'withdrawn')
  )
  SELECT s.code, r.name, count(*),
         count(*) FILTER (WHERE (s.now).outcome = 'eligible'),
         count(*) FILTER (WHERE (s.then).outcome = 'eligible'),
         count(*) FILTER (WHERE (s.now).outcome <> 'eligible' AND (s.then).outcome = 'eligible'),
         count(*) FILTER (WHERE (s.now).outcome = 'eligible' AND (s.then).outcome <> 'eligible'),
         count(*) FILTER (WHERE (s.now).amount IS DISTINCT FROM (s.then).amount),
         coalesce(sum((s.now).amount), 0), coalesce(sum((s.then).amount), 0),
         coalesce(sum((s.then).amount), 0) - coalesce(sum((s.now).amount), 0)
    FROM assessed s JOIN subsidy.region r ON r.code = s.code
   GROUP BY s.code, r.name
   ORDER BY s.code;
END
$$;
