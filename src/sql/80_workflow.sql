--
-- The review workflow: roles and regions, stages enforced by triggers, the audit trail
-- (DOMAIN sections 2, 3, 8, 11)
--

-- The roles of DOMAIN section 2. Roles belong to the cluster: they are created once, kept
-- when the extension is dropped from one database, and found again by the next install.
DO $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT * FROM (VALUES
    ('subsidy_applicant', 'subsidy: the online system acting for enterprises, or a counter clerk: drafts, submits, withdraws'),
    ('subsidy_agency', 'subsidy: the social-insurance agency (社保经办): confirms premiums and insured persons, pays, reports upward'),
    ('subsidy_hrss', 'subsidy: human resources and social security (人社): reviews layoffs, decides with the others, publishes, handles objections'),
    ('subsidy_finance', 'subsidy: finance (财政): reviews financial management and the use of last year''s subsidy'),
    ('subsidy_reader', 'subsidy: read-only reports (ODBC tools); no bank accounts or personal contacts'),
    ('subsidy_admin', 'subsidy: the provincial DBA: parameters, calendar, regions, annual procedures; sees all regions')
  ) AS v(name, description) LOOP
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = r.name) THEN
      EXECUTE pg_catalog.format('CREATE ROLE %I NOLOGIN', r.name);
    END IF;
    EXECUTE pg_catalog.format('COMMENT ON ROLE %I IS %L', r.name, r.description);
  END LOOP;
END
$$;

CREATE FUNCTION subsidy.restoring() RETURNS boolean
  AS 'MODULE_PATHNAME', 'subsidy_restoring' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION subsidy.restoring() IS
  'whether this session restores a dump (a superuser with row_security off, as pg_dump''s scripts set): the guards then load rows as dumped';

GRANT USAGE ON SCHEMA subsidy TO subsidy_applicant, subsidy_agency, subsidy_hrss, subsidy_finance,
  subsidy_reader, subsidy_admin;

-- Which staff act in which pooling regions; a row for a province covers its pools.
CREATE TABLE subsidy.staff_region (
  staff name NOT NULL,
  region text NOT NULL REFERENCES subsidy.region (code),
  PRIMARY KEY (staff, region)
);
COMMENT ON TABLE subsidy.staff_region IS
  'the pooling regions each role acts in (a login role, or a group role its members inherit); a province''s code covers its pools; subsidy_admin sees all';
COMMENT ON COLUMN subsidy.staff_region.staff IS 'a role name';
COMMENT ON COLUMN subsidy.staff_region.region IS 'a pooling region, or a province for all of its pools';

-- The regions a role acts in. SECURITY DEFINER so that it reads staff_region whatever the
-- caller may read; it takes the role as an argument because inside it current_user is the
-- owner.
CREATE FUNCTION subsidy.regions_of(role_name name) RETURNS text[]
LANGUAGE sql STABLE STRICT SECURITY DEFINER PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  SELECT CASE
    WHEN pg_catalog.pg_has_role(role_name, 'subsidy_admin', 'USAGE')
      THEN (SELECT pg_catalog.array_agg(r.code) FROM subsidy.region r)
    ELSE coalesce((SELECT pg_catalog.array_agg(DISTINCT r.code)
                     FROM subsidy.staff_region s
                     JOIN subsidy.region r ON r.code = s.region OR r.parent = s.region
                    WHERE pg_catalog.pg_has_role(role_name, s.staff, 'USAGE')), '{}')
  END
$$;
COMMENT ON FUNCTION subsidy.regions_of(name) IS
  'the pooling regions a role acts in, by staff_region (all of them for subsidy_admin); row-level security uses it';

-- Staff recorded as related to an enterprise do not sign its review (section 11).
CREATE TABLE subsidy.staff_relation (
  staff name NOT NULL,
  uscc subsidy.uscc NOT NULL REFERENCES subsidy.enterprise (uscc),
  relation text NOT NULL CHECK (relation <> ''),
  PRIMARY KEY (staff, uscc)
);
COMMENT ON TABLE subsidy.staff_relation IS
  'section 11 (利益输送): staff recorded as related to an enterprise (a relative, a former employer, a shareholding) cannot sign its review';

-- Documents a submission must carry (annexes 1 and 2); a DBA adds the region's own.
CREATE TABLE subsidy.required_document (
  code text PRIMARY KEY CHECK (code ~ '^[a-z0-9_]+$'),
  name_zh text NOT NULL,
  required boolean NOT NULL DEFAULT true,
  origin subsidy.origin NOT NULL DEFAULT 'local'
);
COMMENT ON TABLE subsidy.required_document IS
  'documents an application carries (application.documents holds their codes); submission needs every required one (W2)';
CREATE TRIGGER required_document_protect_shipped BEFORE INSERT OR UPDATE OR DELETE ON subsidy.required_document
  FOR EACH ROW EXECUTE FUNCTION subsidy.protect_shipped_rows();
INSERT INTO subsidy.required_document (code, name_zh, origin) VALUES
  ('annex1_materials', '企业申请稳岗补贴材料（附件1）', 'extension'),
  ('annex2_form', '年度失业保险稳岗补贴申请表（附件2）', 'extension');

-- The joint review's sign-offs (W3), one per agency and review round.
CREATE TYPE subsidy.agency AS ENUM ('hrss', 'agency', 'finance');
COMMENT ON TYPE subsidy.agency IS 'the three parties of the joint review: hrss (人社), the agency (社保经办), finance (财政)';

CREATE TABLE subsidy.sign_off (
  application_id bigint NOT NULL REFERENCES subsidy.application (id),
  review_round integer NOT NULL,
  agency subsidy.agency NOT NULL,
  passed boolean NOT NULL,
  comment text,
  signed_by name NOT NULL DEFAULT CURRENT_USER,
  signed_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
  PRIMARY KEY (application_id, review_round, agency),
  CONSTRAINT sign_off_failure_explained CHECK (passed OR (comment IS NOT NULL AND comment <> ''))
);
COMMENT ON TABLE subsidy.sign_off IS
  'W3: each agency''s sign-off on its part of the joint review, per review round; a decision needs all three, and a failed one carries its reason';
CREATE FUNCTION subsidy.sign_off_guard() RETURNS trigger AS 'MODULE_PATHNAME' LANGUAGE C;
COMMENT ON FUNCTION subsidy.sign_off_guard() IS
  'trigger: each agency signs only its own part, in review, in the current round, and not when related to the enterprise; never deleted';
CREATE TRIGGER sign_off_guard BEFORE INSERT OR UPDATE OR DELETE ON subsidy.sign_off
  FOR EACH ROW EXECUTE FUNCTION subsidy.sign_off_guard();

-- Publicity periods (W5): a start, and the end the calendar gives.
CREATE TABLE subsidy.publicity (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  region text NOT NULL REFERENCES subsidy.region (code),
  year integer NOT NULL,
  starts_on date NOT NULL,
  ends_on date NOT NULL,
  workdays integer NOT NULL CHECK (workdays >= 7),
  started_by name NOT NULL DEFAULT SESSION_USER,
  started_at timestamptz NOT NULL DEFAULT pg_catalog.now()
);
COMMENT ON TABLE subsidy.publicity IS
  'W5 公示: a publicity period of a region''s decided list; it ends on its n-th working day counting the start, n from the parameters (at least 7)';
CREATE INDEX publicity_region_year ON subsidy.publicity (region, year);
ALTER TABLE subsidy.application ADD FOREIGN KEY (publicity_id) REFERENCES subsidy.publicity (id);

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

-- Objections raised during publicity, or against a rejection (W4, W6).
CREATE TABLE subsidy.objection (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  application_id bigint NOT NULL REFERENCES subsidy.application (id),
  review_round integer NOT NULL,
  text text NOT NULL CHECK (text <> ''),
  raised_on date NOT NULL,
  recorded_by name NOT NULL DEFAULT SESSION_USER,
  resolved_on date
);
COMMENT ON TABLE subsidy.objection IS
  'W6 异议: an objection to an application during its publicity (or to its rejection, W4); it sends the application back to review, and a new decision needs a new publicity';
CREATE INDEX objection_application ON subsidy.objection (application_id);

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

-- Upward reports (W8): a batch sent to the national real-name system.
CREATE TABLE subsidy.report_batch (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  region text NOT NULL REFERENCES subsidy.region (code),
  year integer NOT NULL,
  reference text NOT NULL CHECK (reference <> ''),
  reported_on date NOT NULL,
  reported_by name NOT NULL DEFAULT SESSION_USER,
  UNIQUE (region, year, reference)
);
COMMENT ON TABLE subsidy.report_batch IS
  'W8 上报: a batch of payments reported to hrss and up to the national real-name system (稳岗补贴实名制信息系统)';
ALTER TABLE subsidy.application ADD FOREIGN KEY (report_batch_id) REFERENCES subsidy.report_batch (id);

-- Spot checks (W11): seeded, reproducible draws and their results, which feed E10.
CREATE TABLE subsidy.spot_check_draw (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  region text NOT NULL REFERENCES subsidy.region (code),
  year integer NOT NULL,
  seed text NOT NULL,
  sample_size integer NOT NULL CHECK (sample_size > 0),
  drawn_on date NOT NULL,
  drawn_by name NOT NULL DEFAULT SESSION_USER
);
COMMENT ON TABLE subsidy.spot_check_draw IS
  'W11 实地抽查: a draw of applications for on-site checks; the same seed over the same applications draws the same sample';

CREATE TABLE subsidy.spot_check_item (
  draw_id bigint NOT NULL REFERENCES subsidy.spot_check_draw (id),
  application_id bigint NOT NULL REFERENCES subsidy.application (id),
  result subsidy.spot_check_result NOT NULL DEFAULT 'pending',
  notes text,
  checked_on date,
  PRIMARY KEY (draw_id, application_id)
);
COMMENT ON TABLE subsidy.spot_check_item IS 'W11: each application drawn, and what the check found (E10)';

-- The audit trail (W9): one hash chain per region, append-only for every role.
CREATE TABLE subsidy.audit_log (
  region text NOT NULL,
  seq bigint NOT NULL,
  at timestamptz NOT NULL,
  actor name NOT NULL,
  acting_role name NOT NULL,
  application_id bigint,
  uscc text,
  action text NOT NULL,
  from_stage text,
  to_stage text,
  detail text,
  figures json,
  prev_hash bytea NOT NULL,
  hash bytea NOT NULL,
  PRIMARY KEY (region, seq)
);
COMMENT ON TABLE subsidy.audit_log IS
  'W9 全程留痕: every transition, sign-off and change in review, as it happened (who, when, from, to, why, the figures then); one SHA-256 chain per region; nobody can change it, and subsidy.verify_audit() finds any break';
COMMENT ON COLUMN subsidy.audit_log.seq IS 'position in the region''s chain, from 1';
COMMENT ON COLUMN subsidy.audit_log.actor IS 'the session''s login';
COMMENT ON COLUMN subsidy.audit_log.acting_role IS 'the role it acted as (after SET ROLE)';
COMMENT ON COLUMN subsidy.audit_log.action IS 'transition, sign_off or review (a change of facts or confirmed figures after submission)';
COMMENT ON COLUMN subsidy.audit_log.detail IS 'the reason: an objection''s text, a sign-off''s comment';
COMMENT ON COLUMN subsidy.audit_log.figures IS 'the figures at that moment (transitions) or the changes as [old, new] (review)';
COMMENT ON COLUMN subsidy.audit_log.prev_hash IS 'hash of the entry before it in the region''s chain (zeros for the first)';
COMMENT ON COLUMN subsidy.audit_log.hash IS 'SHA-256 over prev_hash and every field of the entry';

CREATE FUNCTION subsidy.audit_log_guard() RETURNS trigger AS 'MODULE_PATHNAME' LANGUAGE C;
COMMENT ON FUNCTION subsidy.audit_log_guard() IS
  'trigger: the audit log takes appends from subsidy''s own triggers only, and no update, delete or truncate from anyone';
CREATE TRIGGER audit_log_guard BEFORE INSERT OR UPDATE OR DELETE ON subsidy.audit_log
  FOR EACH ROW EXECUTE FUNCTION subsidy.audit_log_guard();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON subsidy.audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION subsidy.audit_log_guard();

CREATE FUNCTION subsidy.verify_audit()
RETURNS TABLE (region text, seq bigint, application_id bigint, problem text)
  AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL RESTRICTED ROWS 10;
COMMENT ON FUNCTION subsidy.verify_audit() IS
  'W9: every break in the audit chains (a changed, missing or reordered entry) and every application whose stage its log does not explain; no rows when the trail is intact';

CREATE VIEW subsidy.audit_head AS
SELECT DISTINCT ON (l.region) l.region, l.seq, l.at, pg_catalog.encode(l.hash, 'hex') AS hash
  FROM subsidy.audit_log l
 ORDER BY l.region, l.seq DESC;
COMMENT ON VIEW subsidy.audit_head IS
  'the last entry of each region''s audit chain: keep these hashes outside the database (the annual report does) to make even a superuser''s rewrite of the chain visible';

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
                           GROUP BY bank_account HAVING pg_catalog.count(*) > 1);
COMMENT ON VIEW subsidy.shared_bank_account IS
  'section 11: bank accounts that more than one enterprise would be paid into, for review before payment';

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
 ORDER BY a.region, a.year, position;
COMMENT ON VIEW subsidy.review_queue IS
  'W10: applications awaiting review, enterprises in unemployment dynamic monitoring (绿色通道) first, with their sign-offs, the engine''s outcome and the section 11 flags';
