-- The load suite's clerks (test/load/run.sh): login roles of four pools, each bound to its
-- pooling regions in subsidy.staff_region as the README shows, and the scratch schema `load`
-- with what each kind of clerk does in one transaction of the pgbench scripts (test/load/*.sql).
--
-- A pgbench transaction connects as the superuser, sets the business date (only a superuser
-- may), takes the clerk's role with SET LOCAL ROLE, and calls one function here, which picks
-- work at random in the clerk's own pools (row-level security shows it no other) and takes
-- the step through the extension's entry points.  load.attempt runs the step in a
-- subtransaction: a refusal (the extension's SBxxx, a unique violation, or anything else) is
-- caught and counted by SQLSTATE in load.outcome, so that pgbench carries on; a serialization
-- failure or deadlock (40001, 40P01) is raised again for pgbench to retry (--max-tries).
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

-- Four pools of clerks: 长春; 吉林 and 四平; 辽源, 通化, 白山 and 松原; 白城, 延边, 省本级 and 长白山.
CREATE SCHEMA load;
CREATE TABLE load.pool (pool integer NOT NULL, region text NOT NULL REFERENCES subsidy.region (code), PRIMARY KEY (pool, region));
INSERT INTO load.pool VALUES
  (1, '220100'),
  (2, '220200'), (2, '220300'),
  (3, '220400'), (3, '220500'), (3, '220600'), (3, '220700'),
  (4, '220800'), (4, '222400'), (4, '22X001'), (4, '22X002');

DO $$
DECLARE
  p integer;
  party text;
BEGIN
  FOR p IN 1..4 LOOP
    FOREACH party IN ARRAY ARRAY['agency', 'hrss', 'finance', 'applicant'] LOOP
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = format('load_%s_%s', party, p)) THEN
        EXECUTE format('CREATE ROLE %I LOGIN IN ROLE %I', format('load_%s_%s', party, p), 'subsidy_' || party);
      END IF;
      INSERT INTO subsidy.staff_region (staff, region)
      SELECT format('load_%s_%s', party, p)::regrole, region FROM load.pool WHERE pool = p
      ON CONFLICT DO NOTHING;
    END LOOP;
  END LOOP;
END
$$;

-- What happened, one row per transaction that committed: its script, the clerk, its session,
-- the application, and the SQLSTATE (00000 for a step taken, 'idle' when there was no work).
CREATE TABLE load.outcome (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT clock_timestamp(),
  business_date date NOT NULL DEFAULT subsidy.today(),
  script text NOT NULL,
  pool integer NOT NULL,
  acting_role name NOT NULL DEFAULT current_user,
  pid integer NOT NULL DEFAULT pg_backend_pid(),
  application_id bigint,
  sqlstate text NOT NULL,
  message text
);
-- Unique payment references for the banks' payments and file names.
CREATE SEQUENCE load.reference;

GRANT USAGE ON SCHEMA load TO subsidy_agency, subsidy_hrss, subsidy_finance, subsidy_applicant;
GRANT SELECT ON load.pool TO subsidy_agency, subsidy_hrss, subsidy_finance, subsidy_applicant;
GRANT INSERT ON load.outcome TO subsidy_agency, subsidy_hrss, subsidy_finance, subsidy_applicant;
GRANT USAGE ON SEQUENCE load.reference TO subsidy_agency;

-- The business date: the load replays a stretch of the year, from -D start (16 July), one
-- business day every day_seconds of wall-clock time since t0 (pgbench's start).  Run as the
-- superuser, before SET ROLE; transaction-local.
CREATE FUNCTION load.clock(t0 double precision, day_seconds double precision, start date DEFAULT '2019-07-16')
RETURNS date LANGUAGE plpgsql AS $$
DECLARE
  d date := start + greatest(0, floor((extract(epoch FROM clock_timestamp()) - t0) / day_seconds))::integer;
BEGIN
  PERFORM set_config('subsidy.today', to_char(d, 'YYYY-MM-DD'), true);
  RETURN d;
END
$$;

-- The applications in id order, numbered 1, 2, ...: a random slot is a random application of
-- the province (ids count on within each region, with gaps of billions between regions).
CREATE TABLE load.slot (n integer PRIMARY KEY, id bigint NOT NULL);
INSERT INTO load.slot SELECT row_number() OVER (ORDER BY id), id FROM subsidy.application WHERE year = 2019;
GRANT SELECT ON load.slot TO subsidy_agency, subsidy_hrss, subsidy_finance, subsidy_applicant;
-- The application in a slot; 0 (or none), before the first.
CREATE FUNCTION load.slot_id(slot bigint) RETURNS bigint LANGUAGE sql STABLE
  AS $$ SELECT coalesce((SELECT s.id FROM load.slot s WHERE s.n = slot), 0) $$;

-- An application of the caller's regions that matches a condition, the first from a random
-- application (slot; 0, the first) onwards (wrapping round); NULL when there is none.
CREATE FUNCTION load.pick(slot bigint, cond text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  v bigint;
  r bigint := load.slot_id(slot);
BEGIN
  EXECUTE 'SELECT a.id FROM subsidy.application a WHERE a.year = 2019 AND a.id >= $1 AND (' || cond || ') ORDER BY a.id LIMIT 1'
    INTO v USING r;
  IF v IS NULL THEN
    EXECUTE 'SELECT a.id FROM subsidy.application a WHERE a.year = 2019 AND a.id < $1 AND (' || cond || ') ORDER BY a.id LIMIT 1'
      INTO v USING r;
  END IF;
  RETURN v;
END
$$;

-- Take one step (sql, with the application as $1; NULL: there was no work) and count how it
-- went.  Retryable errors go back to pgbench; everything else is caught and counted.
CREATE FUNCTION load.attempt(script text, pool integer, app bigint, sql text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  state text;
  msg text;
  result text;
BEGIN
  IF sql IS NULL THEN
    INSERT INTO load.outcome (script, pool, application_id, sqlstate, message) VALUES (script, pool, app, 'idle', 'no work found');
    RETURN 'idle';
  END IF;
  BEGIN
    EXECUTE sql INTO result USING app;
  EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
    IF state IN ('40001', '40P01') THEN
      RAISE;
    END IF;
    INSERT INTO load.outcome (script, pool, application_id, sqlstate, message) VALUES (script, pool, app, state, msg);
    RETURN state;
  END;
  INSERT INTO load.outcome (script, pool, application_id, sqlstate, message) VALUES (script, pool, app, '00000', result);
  RETURN '00000';
END
$$;

-- A region of the pool with applications in a stage (and decision), at random.
CREATE FUNCTION load.region_with(pool integer, stage subsidy.stage, decision subsidy.decision DEFAULT NULL)
RETURNS text LANGUAGE sql AS $$
  SELECT p.region FROM load.pool p
   WHERE p.pool = region_with.pool
     AND EXISTS (SELECT FROM subsidy.application a
                  WHERE a.region = p.region AND a.year = 2019 AND a.stage = region_with.stage
                    AND (region_with.decision IS NULL OR a.decision = region_with.decision))
   ORDER BY random() LIMIT 1
$$;

---------------------------------------------------------------------------------------------
-- The joint review (W3): each party confirms what is still missing of its own part, then
-- signs; nine times in ten an application it has not signed yet, else any in review (signing
-- again replaces the verdict, and may meet hrss deciding it).
CREATE FUNCTION load.do_sign_off(id bigint, party subsidy.agency) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  a subsidy.application;
  passed boolean;
  comment text;
BEGIN
  SELECT * INTO a FROM subsidy.application x WHERE x.id = do_sign_off.id;
  IF party = 'agency' AND (a.confirmed_insured_start IS NULL OR a.confirmed_premiums_paid IS NULL) THEN
    UPDATE subsidy.application x
       SET confirmed_insured_start = coalesce(x.confirmed_insured_start, x.insured_start),
           confirmed_premiums_paid = coalesce(x.confirmed_premiums_paid, x.premiums_paid)
     WHERE x.id = do_sign_off.id;
  ELSIF party = 'hrss' AND (a.zombie IS NULL OR a.firm_size IS NULL) THEN
    UPDATE subsidy.enterprise_year y SET zombie = coalesce(y.zombie, false), firm_size = coalesce(y.firm_size, 'small_micro')
     WHERE y.uscc OPERATOR(subsidy.=) a.uscc AND y.year = a.year;
  ELSIF party = 'hrss' AND a.confirmed_layoffs IS NULL THEN
    UPDATE subsidy.application x SET confirmed_layoffs = x.layoffs WHERE x.id = do_sign_off.id;
  ELSIF party = 'finance' AND a.financial_management_sound IS NULL THEN
    UPDATE subsidy.application x SET financial_management_sound = true WHERE x.id = do_sign_off.id;
    a.financial_management_sound := true;
  END IF;
  passed := CASE party
              WHEN 'finance' THEN a.financial_management_sound IS NOT FALSE AND a.confirmed_prior_subsidy_use_proper IS NOT FALSE
              WHEN 'hrss' THEN a.policy_compliant IS NOT FALSE
              ELSE random() >= 0.01 END;
  IF NOT passed THEN
    comment := CASE party WHEN 'finance' THEN '财务管理制度不健全或上年补贴未按规定使用'
                          WHEN 'hrss' THEN '产业政策复核未通过' ELSE '参保缴费数据与申报不符' END;
  END IF;
  PERFORM subsidy.sign_off(do_sign_off.id, party, passed, comment);
  RETURN CASE WHEN passed THEN 'passed' ELSE 'failed' END;
END
$$;

CREATE FUNCTION load.sign_off(party subsidy.agency, pool integer, r bigint) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  v bigint;
BEGIN
  IF random() < 0.9 THEN
    v := load.pick(r, format('a.stage = ''in_review'' AND NOT EXISTS (SELECT FROM subsidy.sign_off s
                               WHERE s.application_id = a.id AND s.review_round = a.review_round AND s.agency = %L)', party));
  ELSE
    v := load.pick(r, 'a.stage = ''in_review''');
  END IF;
  RETURN load.attempt('sign_off_' || party, pool, v,
                      CASE WHEN v IS NOT NULL THEN format('SELECT load.do_sign_off($1, %L)', party) END);
END
$$;

-- W3, W4: hrss decides an application with its three sign-offs (one time in ten, any in
-- review: refused until the review is complete and every fact known).
CREATE FUNCTION load.decide(pool integer, r bigint) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  v bigint;
BEGIN
  IF random() < 0.9 THEN
    v := load.pick(r, 'a.stage = ''in_review'' AND (SELECT count(*) FROM subsidy.sign_off s
                         WHERE s.application_id = a.id AND s.review_round = a.review_round) = 3');
  ELSE
    v := load.pick(r, 'a.stage = ''in_review''');
  END IF;
  RETURN load.attempt('decide', pool, v,
                      CASE WHEN v IS NOT NULL THEN 'SELECT (subsidy.decide($1)).decision::text' END);
END
$$;

-- W5: hrss publishes a region's approved decisions from today (every application of the
-- region decided and approved, in one statement).
CREATE FUNCTION load.do_publish(region text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  p subsidy.publicity := subsidy.start_publicity(region, 2019);
BEGIN
  RETURN format('%s applications to %s', (SELECT count(*) FROM subsidy.application a WHERE a.publicity_id = p.id), p.ends_on);
END
$$;

CREATE FUNCTION load.publish(pool integer) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  region text := load.region_with(pool, 'decided', 'approved');
BEGIN
  RETURN load.attempt('publish', pool, NULL, CASE WHEN region IS NOT NULL THEN format('SELECT load.do_publish(%L)', region) END);
END
$$;

-- W6: hrss records an objection: to an application in publicity (eight times in ten), to a
-- rejection (W4), or too late, after the publicity ended (refused).
CREATE FUNCTION load.object(pool integer, r bigint) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  x double precision := random();
  v bigint;
BEGIN
  IF x < 0.8 THEN
    v := load.pick(r, 'a.stage = ''in_publicity'' AND EXISTS (SELECT FROM subsidy.publicity p
                         WHERE p.id = a.publicity_id AND p.ends_on >= subsidy.today())');
  ELSIF x < 0.9 THEN
    v := load.pick(r, 'a.stage = ''decided'' AND a.decision = ''rejected''');
  ELSE
    v := load.pick(r, 'a.stage = ''in_publicity'' AND EXISTS (SELECT FROM subsidy.publicity p
                         WHERE p.id = a.publicity_id AND p.ends_on < subsidy.today())');
  END IF;
  RETURN load.attempt('object', pool, v,
                      CASE WHEN v IS NOT NULL
                           THEN format('SELECT (subsidy.object($1, %L)).stage::text',
                                       (ARRAY['群众反映该企业上年度裁员未如实申报', '职工反映企业拖欠工资', '举报企业参保人数虚报',
                                              '企业对不予补贴的决定提出异议'])[1 + floor(random() * 4)::integer]) END);
END
$$;

-- W6: hrss reopens the review of an application objected to: a new round.
CREATE FUNCTION load.reopen(pool integer, r bigint) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  v bigint := load.pick(r, 'a.stage = ''objection''');
BEGIN
  RETURN load.attempt('reopen', pool, v,
                      CASE WHEN v IS NOT NULL THEN 'SELECT ''round '' || (subsidy.reopen_review($1)).review_round' END);
END
$$;

-- W5: hrss clears an application whose publicity ended; one time in ten one still in
-- publicity (refused).
CREATE FUNCTION load.clear(pool integer, r bigint) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  v bigint;
BEGIN
  IF random() < 0.9 THEN
    v := load.pick(r, 'a.stage = ''in_publicity'' AND EXISTS (SELECT FROM subsidy.publicity p
                         WHERE p.id = a.publicity_id AND p.ends_on < subsidy.today())');
  ELSE
    v := load.pick(r, 'a.stage = ''in_publicity'' AND EXISTS (SELECT FROM subsidy.publicity p
                         WHERE p.id = a.publicity_id AND p.ends_on >= subsidy.today())');
  END IF;
  RETURN load.attempt('clear', pool, v, CASE WHEN v IS NOT NULL THEN 'SELECT (subsidy.clear($1)).stage::text' END);
END
$$;

-- W5: hrss clears a region's whole list at once (close_publicity: every application of the
-- region whose publicity ended, in one statement).
CREATE FUNCTION load.clear_region(pool integer) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  region text := (SELECT p.region FROM load.pool p
                   WHERE p.pool = clear_region.pool
                     AND EXISTS (SELECT FROM subsidy.application a JOIN subsidy.publicity l ON l.id = a.publicity_id
                                  WHERE a.region = p.region AND a.year = 2019 AND a.stage = 'in_publicity'
                                    AND l.ends_on < subsidy.today())
                   ORDER BY random() LIMIT 1);
BEGIN
  RETURN load.attempt('clear_region', pool, NULL,
                      CASE WHEN region IS NOT NULL
                           THEN format('SELECT subsidy.close_publicity(%L, 2019) || '' cleared''', region) END);
END
$$;

---------------------------------------------------------------------------------------------
-- W7: the agency records a payment the bank made: dated between clearance and today, under
-- a reference; the amount left to the decision, given exactly, or (3 %) mistyped.
CREATE FUNCTION load.do_pay(id bigint, reference text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  a subsidy.application;
  x double precision := random();
  paid_on date;
BEGIN
  SELECT * INTO a FROM subsidy.application y WHERE y.id = do_pay.id;
  paid_on := greatest(coalesce(a.cleared_on, subsidy.today()), subsidy.today() - floor(random() * 5)::integer);
  a := subsidy.pay(do_pay.id, paid_on, reference,
                   CASE WHEN x < 0.5 THEN NULL WHEN x < 0.97 THEN a.decided_amount ELSE a.decided_amount + 0.01 END);
  RETURN a.stage::text;
END
$$;

-- mode pay:   a cleared application at random, a new reference;
-- mode race:  the pool's first cleared application, as every clerk of the pool sees it at the
--             top of the list: clerks paying at once pay the same one (one payment, the
--             others refused, W7);
-- mode reuse: a reference used already (a payment of the pool's, or one of 40 shared ones
--             that several clerks type at once): the first use pays, every other is refused.
CREATE FUNCTION load.pay(mode text, pool integer, r bigint) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  v bigint;
  paid bigint;
  reference text;
BEGIN
  IF mode = 'race' THEN
    v := load.pick(0, 'a.stage = ''cleared''');
  ELSE
    v := load.pick(r, 'a.stage = ''cleared''');
  END IF;
  IF mode = 'reuse' AND random() < 0.5 THEN
    paid := load.pick(r, 'a.stage IN (''paid'', ''reported'')');
    SELECT a.payment_reference INTO reference FROM subsidy.application a WHERE a.id = paid;
  ELSIF mode = 'reuse' THEN
    reference := format('SHARED-%s-%s', pool, 1 + floor(random() * 40)::integer);
  ELSE
    reference := format('BANK-%s-%s', pool, nextval('load.reference'));
  END IF;
  RETURN load.attempt('pay_' || mode, pool, v,
                      CASE WHEN v IS NOT NULL THEN format('SELECT load.do_pay($1, %L)', reference) END);
END
$$;

-- W7, cycle step 8: the agency loads a bank file of five payments and applies it with
-- pay_batch, all or nothing (another clerk may have paid one of them meanwhile).
CREATE FUNCTION load.do_pay_batch(batch text, ids bigint[]) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  n integer;
BEGIN
  INSERT INTO subsidy.payment_file_load (batch, uscc, year, amount, paid_on, reference)
  SELECT batch, a.uscc, a.year, a.decided_amount, greatest(a.cleared_on, subsidy.today() - 1), format('%s-%s', batch, a.id)
    FROM subsidy.application a WHERE a.id = ANY (ids);
  GET DIAGNOSTICS n = ROW_COUNT;
  CALL subsidy.pay_batch(batch);
  RETURN n || ' paid';
END
$$;

CREATE FUNCTION load.pay_batch(pool integer, r bigint) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  ids bigint[];
  batch text := format('FILE-%s-%s', pool, nextval('load.reference'));
BEGIN
  ids := ARRAY(SELECT a.id FROM subsidy.application a
                WHERE a.year = 2019 AND a.stage = 'cleared'
                  AND a.id >= load.slot_id(r) ORDER BY a.id LIMIT 5);
  IF cardinality(ids) = 0 THEN
    ids := ARRAY(SELECT a.id FROM subsidy.application a
                  WHERE a.year = 2019 AND a.stage = 'cleared' ORDER BY a.id LIMIT 5);
  END IF;
  RETURN load.attempt('pay_batch', pool, ids[1],
                      CASE WHEN cardinality(ids) > 0 THEN format('SELECT load.do_pay_batch(%L, %L)', batch, ids) END);
END
$$;

---------------------------------------------------------------------------------------------
-- Applicants at the counter after the window closed: a late draft submitted (refused, W2), a
-- second application filed for an enterprise that has one (refused, E9), an application in
-- review withdrawn (refused, W1).
CREATE FUNCTION load.applicant(pool integer, r bigint) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  x double precision := random();
  v bigint;
BEGIN
  IF x < 0.6 THEN
    v := load.pick(r, 'a.stage = ''draft''');
    RETURN load.attempt('late_submission', pool, v, CASE WHEN v IS NOT NULL THEN 'SELECT (subsidy.submit($1)).stage::text' END);
  ELSIF x < 0.9 THEN
    v := load.pick(r, 'a.stage = ''in_review''');
    RETURN load.attempt('second_application', pool, v,
                        CASE WHEN v IS NOT NULL THEN
                          'INSERT INTO subsidy.application (year, uscc, insured_start, insured_end, insured_average, layoffs,
                             retirements_deaths, premiums_payable, premiums_paid, arrears_basis_year, arrears_other_years,
                             prior_subsidy, documents)
                           SELECT a.year, a.uscc, a.insured_start, a.insured_end, a.insured_average, a.layoffs, a.retirements_deaths,
                                  a.premiums_payable, a.premiums_paid, a.arrears_basis_year, a.arrears_other_years, a.prior_subsidy,
                                  a.documents
                             FROM subsidy.application a WHERE a.id = $1
                           RETURNING stage::text' END);
  ELSE
    v := load.pick(r, 'a.stage = ''in_review''');
    RETURN load.attempt('withdrawal', pool, v, CASE WHEN v IS NOT NULL THEN 'SELECT (subsidy.withdraw($1)).stage::text' END);
  END IF;
END
$$;

GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA load TO subsidy_agency, subsidy_hrss, subsidy_finance, subsidy_applicant;

-- Where each region's audit chain ends before the load: the checks compare what the load
-- appended with the steps it took.
CREATE TABLE load.audit_before AS SELECT region, max(seq) AS seq FROM subsidy.audit_log GROUP BY region;
CREATE VIEW load.trail AS
SELECT l.* FROM subsidy.audit_log l LEFT JOIN load.audit_before b ON b.region = l.region
 WHERE l.seq > coalesce(b.seq, 0) AND l.action = 'transition';
-- The stage a script's step moves an application to.
CREATE FUNCTION load.stage_of(script text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE script WHEN 'decide' THEN 'decided' WHEN 'publish' THEN 'in_publicity' WHEN 'object' THEN 'objection'
                     WHEN 'reopen' THEN 'in_review' WHEN 'clear' THEN 'cleared' WHEN 'clear_region' THEN 'cleared'
                     WHEN 'pay_pay' THEN 'paid' WHEN 'pay_race' THEN 'paid' WHEN 'pay_reuse' THEN 'paid'
                     WHEN 'pay_batch' THEN 'paid' WHEN 'late_submission' THEN 'submitted' WHEN 'withdrawal' THEN 'withdrawn' END
$$;
RESET client_min_messages;
