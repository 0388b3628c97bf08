--
-- Paying without an application (免申即享, DOMAIN section 13): the agency loads its contribution
-- records, screening finds the eligible units, each confirms (or declines) and gives its
-- account, the three parties sign the list, and it goes on as any application (W3-W8).  And
-- the top-ups (A6) a later notice's higher rate owes.
--

-- Lines are numbered per region, in the order they are staged: "line 12" is the file's twelfth
-- line, and no clerk reads from a province-wide counter how many lines other regions staged (S1).
CREATE FUNCTION subsidy.contribution_staging_number() RETURNS trigger
  AS 'MODULE_PATHNAME', 'contribution_staging_number' LANGUAGE C;
COMMENT ON FUNCTION subsidy.contribution_staging_number() IS
  'trigger: every write of the staged lines takes the region''s chain lock, so that none changes between load_contributions'' checks and its merge; a line''s number is the next of its region''s (section 13, S1)';
CREATE TRIGGER contribution_staging_lock BEFORE INSERT OR UPDATE OR DELETE ON subsidy.contribution_staging
  FOR EACH STATEMENT EXECUTE FUNCTION subsidy.contribution_staging_number();
CREATE TRIGGER contribution_staging_number BEFORE INSERT ON subsidy.contribution_staging
  FOR EACH ROW EXECUTE FUNCTION subsidy.contribution_staging_number();

-- The records of a region and year, checked line by line; merged only if every line is good.
CREATE FUNCTION subsidy.registered_elsewhere(region text, units subsidy.uscc[]) RETURNS subsidy.uscc[]
  AS 'MODULE_PATHNAME', 'registered_elsewhere' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION subsidy.registered_elsewhere(text, subsidy.uscc[]) IS
  'section 13: those of the units the register holds for another pooling region than the one named (one of the caller''s), NULL if none; it names no region';

CREATE FUNCTION subsidy.contribution_problems(p_region text, p_year integer)
RETURNS TABLE (line bigint, uscc text, problem text)
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
  WITH s AS (
    -- the same unit however typed (full-width, lower case, blanks) is its code as the type writes it
    SELECT v.*, pg_catalog.count(*) OVER (PARTITION BY coalesce(v.code::text, pg_catalog.upper(pg_catalog.btrim(v.uscc)))) AS copies
      FROM (SELECT s.*, subsidy.uscc_is_valid(s.uscc) AS valid_code,
                   -- cast only what is valid: CASE, unlike AND in a join, fixes the order
                   CASE WHEN subsidy.uscc_is_valid(s.uscc) THEN s.uscc::subsidy.uscc END AS code
              FROM subsidy.contribution_staging s
             -- a line whose year is not a year is this file's too: refused with it, never dropped
             WHERE s.region = p_region
               AND (s.year = p_year::text OR s.year IS NULL OR s.year !~ '^[0-9]{4}$')) v
  ), elsewhere AS (
    -- the units another region holds, which the clerk does not see: one lookup for the file
    SELECT DISTINCT x.code
      FROM pg_catalog.unnest(subsidy.registered_elsewhere(p_region, ARRAY(
             SELECT s.code FROM s WHERE s.code IS NOT NULL
                AND NOT EXISTS (SELECT FROM subsidy.enterprise e WHERE e.uscc OPERATOR(subsidy.=) s.code)))) AS x(code)
  )
  SELECT s.line, s.uscc, p.problem
    FROM s
    LEFT JOIN subsidy.enterprise e ON e.uscc OPERATOR(subsidy.=) s.code
    LEFT JOIN elsewhere x ON x.code OPERATOR(subsidy.=) s.code
    -- its application of the year, if any: one at most (application_one_claim)
    LEFT JOIN subsidy.application f
      ON f.uscc OPERATOR(subsidy.=) s.code AND f.year = p_year AND f.stage <> 'withdrawn'
   CROSS JOIN LATERAL (VALUES
     (CASE WHEN NOT coalesce(s.valid_code, false)
           THEN subsidy.message('contribution_bad_code', coalesce(s.uscc, '')) END),
     (CASE WHEN s.copies > 1 THEN subsidy.message('contribution_twice', s.copies::text) END),
     (CASE WHEN e.uscc IS NOT NULL AND e.region <> p_region
           THEN subsidy.message('contribution_other_region', e.region)
           WHEN x.code IS NOT NULL
           THEN subsidy.message('contribution_registered_elsewhere') END),
     (CASE WHEN s.year IS NULL OR s.year !~ '^[0-9]{4}$'
           THEN subsidy.message('contribution_bad_year', coalesce(s.year, '')) END),
     -- a record screening (or a filing) has read stays as read: a new file would change the
     -- figures, and the tax bureau's account, under an application on its way to payment
     (CASE WHEN f.id IS NOT NULL THEN subsidy.message('contribution_filed_already', f.id::text) END),
     (CASE WHEN e.uscc IS NULL AND NOT coalesce(subsidy.says_something(s.name), false)
           THEN subsidy.message('contribution_no_name') END),
     (CASE WHEN e.uscc IS NULL AND pg_catalog.char_length(pg_catalog.btrim(s.name)) > 200
           THEN subsidy.message('contribution_long_name', pg_catalog.char_length(pg_catalog.btrim(s.name))::text) END),
     (CASE WHEN s.unit_kind IS NOT NULL AND s.unit_kind <> ''
                AND s.unit_kind <> ALL (enum_range(NULL::subsidy.unit_kind)::text[])
           THEN subsidy.message('contribution_bad_label', 'unit_kind', s.unit_kind,
                                array_to_string(enum_range(NULL::subsidy.unit_kind)::text[], ', ')) END),
     (CASE WHEN s.firm_size IS NOT NULL AND s.firm_size <> ''
                AND s.firm_size <> ALL (enum_range(NULL::subsidy.firm_size)::text[])
           THEN subsidy.message('contribution_bad_label', 'firm_size', s.firm_size,
                                array_to_string(enum_range(NULL::subsidy.firm_size)::text[], ', ')) END)
   ) AS p(problem)
   WHERE p.problem IS NOT NULL
  UNION ALL
  -- every figure: a whole number of persons or months, or yuan to the fen, or empty
  SELECT s.line, s.uscc, subsidy.message('contribution_bad_figure', f.name, f.value)
    FROM s CROSS JOIN LATERAL (VALUES
      ('insured_start', s.insured_start, false), ('insured_end', s.insured_end, false),
      ('insured_average', s.insured_average, true), ('retirements_deaths', s.retirements_deaths, false),
      ('layoffs', s.layoffs, false), ('new_claimants', s.new_claimants, false),
      ('premiums_payable', s.premiums_payable, true), ('premiums_paid', s.premiums_paid, true),
      ('arrears_basis_year', s.arrears_basis_year, true), ('arrears_other_years', s.arrears_other_years, true),
      ('full_contribution_months', s.full_contribution_months, false),
      ('monthly_premiums_payable', s.monthly_premiums_payable, true)) AS f(name, value, money)
   WHERE f.value IS NOT NULL AND f.value <> ''
     AND f.value !~ CASE WHEN f.money THEN '^[0-9]{1,12}(\.[0-9]{1,2})?$' ELSE '^[0-9]{1,9}$' END
  ORDER BY 1, 3
$$;
COMMENT ON FUNCTION subsidy.contribution_problems(text, integer) IS
  'section 13: what is wrong with each staged contribution record of a region and year, line by line (an invalid or repeated code, a unit of another region (named to whoever sees it), a year that is not one, a new unit without a name or with one too long, a label or figure that is not one, a unit with an application for the year already: its record stays as it was read)';

CREATE FUNCTION subsidy.load_contributions(p_region text, p_year integer) RETURNS bigint
  AS 'MODULE_PATHNAME', 'load_contributions' LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;
COMMENT ON FUNCTION subsidy.load_contributions(text, integer) IS
  'section 13: merge the contribution records staged for a region and subsidy year (subsidy.contribution_staging) once every line is good, else refuse them all with each bad line and its reason; new units enter the register; returns how many were merged';

-- What screening finds of every unit on record: the engine on the agency's figures and the
-- year's list.  What hrss and finance settle in review (E3, E4, E6, and E5 and E13 where the
-- year's lists are silent), a spot check (E10) and the amount, fixed at the decision, may be
-- open; a unit with nothing else open is screened.
CREATE VIEW subsidy.screening WITH (security_invoker = true) AS
SELECT c.region, c.year, c.uscc::text AS uscc, e.name, v.outcome,
       v.outcome <> 'ineligible'
         AND v.open_rules <@ ARRAY['E3', 'E4', 'E5', 'E6', 'E10', 'E13', 'A1', 'A2', 'A3', 'A7']
         AND NOT (v.missing_facts && ARRAY['policy_year']) AS screenable,
       v.failed_rules, v.open_rules, v.missing_facts, v.reasons,
       a.id AS application_id, a.stage::text AS stage
  FROM subsidy.contribution_record c
  JOIN subsidy.enterprise e ON e.uscc OPERATOR(subsidy.=) c.uscc
  LEFT JOIN subsidy.enterprise_year y ON y.uscc OPERATOR(subsidy.=) c.uscc AND y.year = c.year
  LEFT JOIN subsidy.application a ON a.uscc OPERATOR(subsidy.=) c.uscc AND a.year = c.year
  -- a withdrawn application was never paid: leaving it out lets the one-claim index find the rest
  LEFT JOIN LATERAL (SELECT pg_catalog.sum(p.paid_amount) AS paid FROM subsidy.application p
                      WHERE p.uscc OPERATOR(subsidy.=) c.uscc AND p.year = c.year - 1 AND p.stage <> 'withdrawn') prior ON true
 CROSS JOIN LATERAL subsidy.assessment(subsidy.verdict_of_facts(c.year, c.region, NULL::date,
     y.decapacity, y.key_supported, y.zombie, coalesce(y.firm_size, c.firm_size), c.insured_start, c.insured_end,
     c.insured_average, c.layoffs, c.retirements_deaths, c.premiums_payable, c.premiums_paid,
     c.arrears_basis_year, c.arrears_other_years, NULL::boolean, coalesce(prior.paid, 0), NULL::boolean,
     NULL::boolean, NULL::boolean, NULL::subsidy.spot_check_result, NULL::date,
     coalesce(y.unit_kind, c.unit_kind), y.serious_dishonesty, c.full_contribution_months, c.new_claimants,
     c.monthly_premiums_payable, NULL::boolean)) v;
COMMENT ON VIEW subsidy.screening IS
  'section 13 免申即享: every unit on record for a region and year, with what the engine finds on the agency''s figures and the year''s list (screenable: nothing open but what review and the decision settle), and its application if screening or the unit made one';

CREATE FUNCTION subsidy.screen(p_region text, p_year integer)
RETURNS TABLE (screened bigint, undetermined bigint, ineligible bigint)
  AS 'MODULE_PATHNAME', 'screen' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION subsidy.screen(text, integer) IS
  'section 13 免申即享: a screened application for every screenable unit of a region and year that has none yet, on the agency''s figures (declared as confirmed); returns how many were screened, and how many units are undetermined (subsidy.screening lists their missing facts) or ineligible';

-- The unit's answer to a screened application.
CREATE FUNCTION subsidy.confirm_screened(p_id bigint, p_bank_name text DEFAULT NULL, p_bank_account text DEFAULT NULL)
RETURNS subsidy.application
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  a subsidy.application := subsidy.application_for(p_id);
  c subsidy.contribution_record;
BEGIN
  PERFORM subsidy.lock_my_chains();
  IF a.stage <> 'screened' THEN
    PERFORM subsidy.raise('not_screened', p_id::text, a.stage::text);
  END IF;
  -- the account given; or, for a unit without one of its own, the contribution account the tax
  -- bureau supplied (section 13): a unit's own account is never replaced by the bureau's
  IF p_bank_account IS NULL
     AND NOT EXISTS (SELECT FROM subsidy.enterprise e WHERE e.uscc OPERATOR(subsidy.=) a.uscc
                        AND e.bank_account IS NOT NULL AND e.bank_name IS NOT NULL) THEN
    SELECT * INTO c FROM subsidy.contribution_record WHERE year = a.year AND uscc OPERATOR(subsidy.=) a.uscc;
    p_bank_name := c.tax_bank_name;
    p_bank_account := c.tax_bank_account;
  END IF;
  IF p_bank_account IS NULL OR p_bank_name IS NULL THEN
    IF NOT EXISTS (SELECT FROM subsidy.enterprise e WHERE e.uscc OPERATOR(subsidy.=) a.uscc
                      AND e.bank_account IS NOT NULL AND e.bank_name IS NOT NULL) THEN
      PERFORM subsidy.raise('screened_needs_account', p_id::text);
    END IF;
  ELSE
    UPDATE subsidy.enterprise SET bank_name = p_bank_name, bank_account = p_bank_account
     WHERE uscc OPERATOR(subsidy.=) a.uscc
       AND (bank_name IS DISTINCT FROM p_bank_name
            OR bank_account IS DISTINCT FROM subsidy.bank_account_normal(p_bank_account));
  END IF;
  RETURN subsidy.move(p_id, 'submitted');
END
$$;
COMMENT ON FUNCTION subsidy.confirm_screened(bigint, text, text) IS
  'section 13 免申即享: the unit confirms its screened application, with the account it is paid into (its own; or, where it has none, the contribution account the tax bureau supplied); it is submitted that day';
CREATE FUNCTION subsidy.decline_screened(p_id bigint) RETURNS subsidy.application
LANGUAGE sql SET search_path = pg_catalog, pg_temp AS $$ SELECT subsidy.move(p_id, 'withdrawn') $$;
COMMENT ON FUNCTION subsidy.decline_screened(bigint) IS 'section 13 免申即享: the unit declines its screened application';

-- W3 for a screened list: one party's sign-off on every screened application of a region and
-- year under review that it has not signed on its figures as they stand; each is a sign-off of
-- its own, checked and logged by sign_off's triggers as sign_off's are, written in one statement
-- (one call of sign_off per application cost ten times as much).
CREATE FUNCTION subsidy.sign_off_screened(p_region text, p_year integer, p_agency subsidy.agency,
                                          p_passed boolean DEFAULT true, p_comment text DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  n bigint := 0;
BEGIN
  PERFORM subsidy.require_region(p_region);
  PERFORM subsidy.lock_my_chains();
  INSERT INTO subsidy.sign_off AS o (application_id, review_round, agency, passed, comment, failed_rule)
  SELECT x.id, x.review_round, p_agency, p_passed, p_comment, NULL
    FROM subsidy.application x
   WHERE x.region = p_region AND x.year = p_year AND x.stage = 'in_review' AND x.screened_on IS NOT NULL
     AND NOT EXISTS (SELECT FROM subsidy.sign_off s
                      WHERE s.application_id = x.id AND s.review_round = x.review_round
                        AND s.agency = p_agency AND s.figures_digest = subsidy.figures_digest(x))
   ORDER BY x.id
  ON CONFLICT (application_id, review_round, agency)
  DO UPDATE SET passed = excluded.passed, comment = excluded.comment, failed_rule = excluded.failed_rule;
  GET DIAGNOSTICS n = ROW_COUNT;
  PERFORM subsidy.raise('screened_signed', n::text, p_agency::text, p_region, p_year::text);
  RETURN n;
END
$$;
COMMENT ON FUNCTION subsidy.sign_off_screened(text, integer, subsidy.agency, boolean, text) IS
  'W3, section 13: one party signs off every screened application of a region and year under review at once, each a sign-off of its own, checked and logged; returns how many';

-- A6: a later notice's higher rate (2022's large units decided before 1 June, 2025's uplift)
-- owes the difference to every application already paid: a second payment, computed here and
-- recorded when the agency pays it; the first is never rewritten.
CREATE FUNCTION subsidy.compute_top_ups(p_region text, p_year integer) RETURNS bigint
  AS 'MODULE_PATHNAME', 'compute_top_ups' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION subsidy.compute_top_ups(text, integer) IS
  'A6: top_up''s writer, the only one: the differences owed to a region''s paid applications of a year under the rate in force today';
CREATE FUNCTION subsidy.computing_top_ups() RETURNS boolean
  AS 'MODULE_PATHNAME', 'computing_top_ups' LANGUAGE C VOLATILE PARALLEL RESTRICTED;
COMMENT ON FUNCTION subsidy.computing_top_ups() IS 'A6: whether compute_top_ups is writing, for top_up''s guard';

CREATE FUNCTION subsidy.top_up(p_region text, p_year integer) RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  n bigint;
BEGIN
  PERFORM subsidy.require_region(p_region);
  PERFORM subsidy.lock_my_chains();
  n := subsidy.compute_top_ups(p_region, p_year);
  PERFORM subsidy.raise('top_ups_computed', n::text, p_region, p_year::text);
  RETURN n;
END
$$;
COMMENT ON FUNCTION subsidy.top_up(text, integer) IS
  'A6: for every paid application of a region and year whose amount, under the rate in force today, exceeds what it was decided and topped up to, the difference as a top-up to pay (a second payment); returns how many';

-- A top-up is computed by compute_top_ups only, paid once by the agency, and never changed
-- or removed otherwise.
CREATE FUNCTION subsidy.top_up_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  paid_stage text;
  paid_bank text;
  paid_account text;
  unit_bank text;
  unit_account text;
BEGIN
  IF TG_RELID <> 'subsidy.top_up'::regclass OR TG_WHEN <> 'BEFORE' OR (TG_LEVEL <> 'ROW' AND TG_OP <> 'TRUNCATE') THEN
    PERFORM subsidy.raise('trigger_misuse', 'top_up_guard', TG_TABLE_NAME);
  END IF;
  IF subsidy.restoring() THEN
    RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
  END IF;
  IF TG_OP = 'INSERT' AND subsidy.computing_top_ups() THEN
    RETURN NEW;
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.paid_on IS NULL AND NEW.paid_on IS NOT NULL
     AND (NEW.id, NEW.application_id, NEW.region, NEW.year, NEW.decided_amount, NEW.amount_now, NEW.amount,
          NEW.rate_then, NEW.rate_now, NEW.computed_on, NEW.computed_by)
         IS NOT DISTINCT FROM
         (OLD.id, OLD.application_id, OLD.region, OLD.year, OLD.decided_amount, OLD.amount_now, OLD.amount,
          OLD.rate_then, OLD.rate_now, OLD.computed_on, OLD.computed_by) THEN
    IF NOT pg_has_role(current_user, 'subsidy_agency', 'member') THEN
      PERFORM subsidy.raise('top_up_payer');
    END IF;
    -- W7: a top-up follows a payment that stands, into the account it went to, while that is
    -- still the unit's (a returned payment is paid again first; a changed account re-checked)
    SELECT a.stage::text, a.payment_bank_name, a.payment_bank_account, e.bank_name, e.bank_account
      INTO paid_stage, paid_bank, paid_account, unit_bank, unit_account
      FROM subsidy.application a JOIN subsidy.enterprise e ON e.uscc OPERATOR(subsidy.=) a.uscc
     WHERE a.id = NEW.application_id;
    IF paid_stage IS DISTINCT FROM 'paid' AND paid_stage IS DISTINCT FROM 'reported' THEN
      PERFORM subsidy.raise('top_up_first_payment_open', NEW.id::text, NEW.application_id::text, coalesce(paid_stage, '?'));
    END IF;
    IF paid_account IS NULL
       OR subsidy.bank_account_normal(paid_account) IS DISTINCT FROM subsidy.bank_account_normal(unit_account)
       OR btrim(paid_bank) IS DISTINCT FROM btrim(unit_bank) THEN
      PERFORM subsidy.raise('top_up_account_changed', NEW.id::text, NEW.application_id::text);
    END IF;
    NEW.bank_name := paid_bank;
    NEW.bank_account := paid_account;
    IF NEW.paid_on > subsidy.today() OR NEW.paid_on < NEW.computed_on THEN
      PERFORM subsidy.raise('top_up_date', NEW.paid_on::text, NEW.computed_on::text, subsidy.today()::text);
    END IF;
    IF NEW.payment_reference <> subsidy.payment_reference_canonical(NEW.payment_reference)
       OR subsidy.payment_reference_used(NEW.region, NEW.payment_reference) THEN
      PERFORM subsidy.raise('top_up_reference', NEW.payment_reference);
    END IF;
    NEW.paid_by := session_user;
    RETURN NEW;
  END IF;
  PERFORM subsidy.raise('top_up_fixed');
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION subsidy.top_up_guard() IS
  'trigger: a top-up is computed by compute_top_ups only (A6), paid once by the agency, after it was computed and not in the future, under a reference no payment of the region used, while the first payment stands and into the account it went to (W7), and never changed or removed';
CREATE TRIGGER top_up_guard BEFORE INSERT OR UPDATE OR DELETE ON subsidy.top_up
  FOR EACH ROW EXECUTE FUNCTION subsidy.top_up_guard();
CREATE TRIGGER top_up_no_truncate BEFORE TRUNCATE ON subsidy.top_up
  FOR EACH STATEMENT EXECUTE FUNCTION subsidy.top_up_guard();
-- numbered by the extension, as the other tables are: no clerk calls the sequence itself
CREATE TRIGGER top_up_number BEFORE INSERT ON subsidy.top_up
  FOR EACH ROW EXECUTE FUNCTION subsidy.assign_number();

CREATE FUNCTION subsidy.pay_top_up(p_id bigint, p_paid_on date, p_reference text) RETURNS subsidy.top_up
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  t subsidy.top_up;
BEGIN
  PERFORM subsidy.lock_my_chains();
  UPDATE subsidy.top_up SET paid_on = p_paid_on, payment_reference = p_reference, paid_by = session_user
   WHERE id = p_id AND paid_on IS NULL RETURNING * INTO t;
  IF NOT FOUND THEN
    PERFORM subsidy.raise('no_top_up', p_id::text);
  END IF;
  RETURN t;
END
$$;
COMMENT ON FUNCTION subsidy.pay_top_up(bigint, date, text) IS
  'A6, W7: the agency records the payment of a top-up, once, with its date and reference';

CREATE FUNCTION subsidy.contribution_record_guard() RETURNS trigger
  AS 'MODULE_PATHNAME', 'contribution_record_guard' LANGUAGE C;
COMMENT ON FUNCTION subsidy.contribution_record_guard() IS
  'trigger: contribution records are written by load_contributions only, once every staged line is good, or restored from a dump (section 11)';
CREATE TRIGGER contribution_record_guard BEFORE INSERT OR UPDATE OR DELETE ON subsidy.contribution_record
  FOR EACH ROW EXECUTE FUNCTION subsidy.contribution_record_guard();
CREATE TRIGGER contribution_record_no_truncate BEFORE TRUNCATE ON subsidy.contribution_record
  FOR EACH STATEMENT EXECUTE FUNCTION subsidy.contribution_record_guard();

CREATE FUNCTION subsidy.payment_reference_used(region text, reference text) RETURNS boolean
  AS 'MODULE_PATHNAME', 'payment_reference_used_sql' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION subsidy.payment_reference_used(text, text) IS
  'W7: whether a payment of the region (an application''s, one the bank returned, or a top-up) already went under the reference; the caller''s regions only';
