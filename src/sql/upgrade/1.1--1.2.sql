-- subsidy 1.1 -> 1.2: what changes in the schema (types, tables, shipped rows).  The schema
-- parts 1.2 adds whole (NEW_SCHEMA_PARTS in the Makefile) follow, as a fresh 1.2 creates them,
-- then the code (src/sql/code/*.sql), created again as a fresh 1.2 creates it.

-- Staff are kept by role oid: a row naming a role dropped since matches nobody (S3).  Rows that
-- already name a role that no longer exists are dropped, and said so.
DO $$
DECLARE
  gone text;
BEGIN
  SELECT pg_catalog.string_agg(DISTINCT s.staff::pg_catalog.text, ', ') INTO gone
    FROM (SELECT staff FROM subsidy.staff_region UNION ALL SELECT staff FROM subsidy.staff_relation) s
   WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) s.staff);
  IF gone IS NOT NULL THEN
    RAISE NOTICE 'subsidy 1.2: staff rows of roles that no longer exist are removed: %', gone;
    DELETE FROM subsidy.staff_region s
     WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) s.staff);
    DELETE FROM subsidy.staff_relation s
     WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) s.staff);
  END IF;
END
$$;
ALTER TABLE subsidy.staff_region ALTER COLUMN staff TYPE regrole USING staff::pg_catalog.text::pg_catalog.regrole;
ALTER TABLE subsidy.staff_relation ALTER COLUMN staff TYPE regrole USING staff::pg_catalog.text::pg_catalog.regrole;
COMMENT ON COLUMN subsidy.staff_region.staff IS 'a role (a login, or a group role its members inherit), by name';
COMMENT ON COLUMN subsidy.staff_relation.staff IS 'a reviewer''s role, by name';

-- The audit chains are locked by a row of their own, which no role but the owner may lock (S3).
CREATE TABLE subsidy.audit_chain (
  region text PRIMARY KEY
);
COMMENT ON TABLE subsidy.audit_chain IS
  'a row per pooling region''s audit chain, locked (never changed) by the writes of the region, so that they take turns in one order; open to no role';
COMMENT ON COLUMN subsidy.audit_chain.region IS 'the region whose chain the row stands for';
INSERT INTO subsidy.audit_chain (region) SELECT code FROM subsidy.region;

-- Numbers of new rows are given by subsidy.assign_number, never by the client, and count on
-- within the row's region (a province-wide counter told a clerk how many rows other regions
-- filed): the identity columns become plain columns, their sequences go, and the rows keep
-- their numbers (below every region's range).
DO $$
DECLARE
  t record;
BEGIN
  FOR t IN SELECT * FROM (VALUES ('application', 'id'), ('publicity', 'id'), ('objection', 'id'),
                                 ('report_batch', 'id'), ('spot_check_draw', 'id'), ('policy_snapshot', 'id'),
                                 ('payment_file', 'line')) AS v(tab, col) LOOP
    -- out of the extension (and of what pg_dump keeps) first, then dropped with the identity
    EXECUTE pg_catalog.format('ALTER EXTENSION subsidy DROP SEQUENCE %s',
                              pg_catalog.pg_get_serial_sequence('subsidy.' OPERATOR(pg_catalog.||) t.tab, t.col));
    EXECUTE pg_catalog.format('ALTER TABLE subsidy.%I ALTER COLUMN %I DROP IDENTITY', t.tab, t.col);
  END LOOP;
END
$$;

-- A payment reference is unique within its region (section 11, S1).
DROP INDEX subsidy.application_payment_reference;
CREATE UNIQUE INDEX application_payment_reference ON subsidy.application (region, payment_reference);

-- S1 through plan estimates: no statistics of the columns that say whose a row is; those
-- gathered before go too.
ALTER TABLE subsidy.application ALTER COLUMN region SET STATISTICS 0, ALTER COLUMN uscc SET STATISTICS 0;
ALTER TABLE subsidy.enterprise ALTER COLUMN region SET STATISTICS 0, ALTER COLUMN uscc SET STATISTICS 0,
  ALTER COLUMN name SET STATISTICS 0, ALTER COLUMN bank_account SET STATISTICS 0;
ALTER TABLE subsidy.enterprise_year ALTER COLUMN uscc SET STATISTICS 0;
ALTER TABLE subsidy.audit_log ALTER COLUMN region SET STATISTICS 0, ALTER COLUMN uscc SET STATISTICS 0;
ALTER TABLE subsidy.publicity ALTER COLUMN region SET STATISTICS 0;
ALTER TABLE subsidy.report_batch ALTER COLUMN region SET STATISTICS 0;
ALTER TABLE subsidy.spot_check_draw ALTER COLUMN region SET STATISTICS 0;
ALTER TABLE subsidy.policy_snapshot ALTER COLUMN region SET STATISTICS 0;
ALTER TABLE subsidy.annual_report_frozen ALTER COLUMN region SET STATISTICS 0;
ALTER TABLE subsidy.payment_file ALTER COLUMN uscc SET STATISTICS 0;
DELETE FROM pg_catalog.pg_statistic s
 USING pg_catalog.pg_attribute a
 WHERE a.attrelid OPERATOR(pg_catalog.=) s.starelid AND a.attnum OPERATOR(pg_catalog.=) s.staattnum
   AND a.attstattarget OPERATOR(pg_catalog.=) 0
   AND a.attrelid OPERATOR(pg_catalog.=) ANY (ARRAY['subsidy.application', 'subsidy.enterprise', 'subsidy.enterprise_year',
       'subsidy.audit_log', 'subsidy.publicity', 'subsidy.report_batch', 'subsidy.spot_check_draw',
       'subsidy.policy_snapshot', 'subsidy.annual_report_frozen', 'subsidy.payment_file']::pg_catalog.regclass[]);

-- W7: the account a payment goes to is recorded at the decision; a payment the bank returns
-- (退票) is recorded and paid again to a corrected account.  W2: a submission filed in time
-- is accepted even when incomplete, with a correction request (补正).  W8: the agency reports
-- the payment times to hrss, which reports upward.
ALTER TABLE subsidy.application
  ADD COLUMN payment_bank_name text,
  ADD COLUMN payment_bank_account text,
  ADD COLUMN returned_on date,
  ADD COLUMN returned_reference text,
  ADD COLUMN returned_bank_account text,
  ADD COLUMN return_reason text,
  ADD COLUMN correction_requested_on date,
  ADD COLUMN correction_items text[],
  ADD COLUMN correction_due date,
  ADD COLUMN corrected_on date,
  ADD COLUMN payment_times_reported_on date;
COMMENT ON COLUMN subsidy.application.payment_bank_name IS 'the bank paid into (开户行), as recorded at the decision or re-checked since (W7)';
COMMENT ON COLUMN subsidy.application.payment_bank_account IS 'the account paid into (银行账号), as recorded at the decision or re-checked since (W7)';
COMMENT ON COLUMN subsidy.application.returned_on IS 'day the bank returned the last payment (退票), which is then paid again to a corrected account (W7)';
COMMENT ON COLUMN subsidy.application.returned_reference IS 'the reference of the returned payment';
COMMENT ON COLUMN subsidy.application.returned_bank_account IS 'the account the returned payment went to';
COMMENT ON COLUMN subsidy.application.return_reason IS 'why the bank returned it, as the agency recorded';
COMMENT ON COLUMN subsidy.application.correction_requested_on IS 'day a correction (补正) was requested, the submission being incomplete (W2)';
COMMENT ON COLUMN subsidy.application.correction_items IS 'what the correction request asks for: the missing figures, documents and details';
COMMENT ON COLUMN subsidy.application.correction_due IS 'last day to complete the correction (its working days counted from the request)';
COMMENT ON COLUMN subsidy.application.corrected_on IS 'day the correction was completed (empty while it is pending)';
COMMENT ON COLUMN subsidy.application.payment_times_reported_on IS 'day the agency reported the payment time to hrss (W8: hrss then reports upward)';
UPDATE subsidy.application a SET payment_bank_name = e.bank_name, payment_bank_account = e.bank_account
  FROM subsidy.enterprise e
 WHERE e.uscc OPERATOR(subsidy.=) a.uscc AND a.decision IS NOT NULL;
UPDATE subsidy.application SET payment_times_reported_on = paid_on WHERE stage = 'reported';

-- W3a: a sign-off is given on the figures as they then stand; it names the rule it fails.
ALTER TABLE subsidy.sign_off ADD COLUMN figures_digest bigint, ADD COLUMN failed_rule text;
COMMENT ON COLUMN subsidy.sign_off.figures_digest IS 'a digest of the figures signed on: a change of them after the sign-off voids it (W3a)';
COMMENT ON COLUMN subsidy.sign_off.failed_rule IS 'the rule of the party''s part that a failed sign-off finds failed (E1 agency; E2, E4, E10 hrss; E3, E6 finance)';

ALTER TABLE subsidy.policy_year ADD COLUMN correction_workdays integer NOT NULL DEFAULT 5 CHECK (correction_workdays >= 1);
ALTER TABLE subsidy.policy_region ADD COLUMN correction_workdays integer CHECK (correction_workdays >= 1);
COMMENT ON COLUMN subsidy.policy_year.correction_workdays IS 'W2: working days an applicant has to complete a correction (补正) of an incomplete submission';
COMMENT ON COLUMN subsidy.policy_region.correction_workdays IS 'for this region, overrides policy_year.correction_workdays (empty: the year''s value)';

-- W7: amounts with more decimals than fen are refused, not rounded: the payment columns take
-- any numeric (no rewrite: the typmod only widens) and a check keeps them to the fen.
ALTER TABLE subsidy.application ALTER COLUMN paid_amount TYPE numeric,
  ADD CONSTRAINT application_paid_amount_in_fen
    CHECK (paid_amount BETWEEN 0 AND 999999999999.99 AND paid_amount = pg_catalog.round(paid_amount, 2));
ALTER TABLE subsidy.payment_file ALTER COLUMN amount TYPE numeric,
  ADD CONSTRAINT payment_file_amount_in_fen
    CHECK (amount BETWEEN 0 AND 999999999999.99 AND amount = pg_catalog.round(amount, 2));

-- S4: the chain heads travel upward with each report batch and frozen annual report; a restore
-- is an explicit act, begun and finished by functions, not a session setting.
ALTER TABLE subsidy.report_batch ADD COLUMN audit_heads jsonb;
COMMENT ON COLUMN subsidy.report_batch.audit_heads IS 'S4: the heads of the reporting regions'' audit chains as the batch was made, sent upward with it: the province keeps them, and verify_audit(heads) checks that nothing before them changed';
ALTER TABLE subsidy.annual_report_frozen ADD COLUMN audit_heads jsonb;
COMMENT ON COLUMN subsidy.annual_report_frozen.audit_heads IS 'S4: the head of the region''s audit chain as the report was frozen, sent with it to the province';
CREATE TABLE subsidy.restore_in_progress (
  started_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
  started_by name NOT NULL DEFAULT SESSION_USER,
  only_one boolean PRIMARY KEY DEFAULT true CHECK (only_one)
);
COMMENT ON TABLE subsidy.restore_in_progress IS
  'S4: a dump being loaded (begin_restore); while its row exists a superuser''s session loads rows as dumped; finish_restore checks them and logs the restore';
COMMENT ON COLUMN subsidy.restore_in_progress.started_at IS 'when begin_restore was called';
COMMENT ON COLUMN subsidy.restore_in_progress.started_by IS 'who called it';
COMMENT ON COLUMN subsidy.restore_in_progress.only_one IS 'true: one restore at a time';

-- Required texts must say something: blanks of any kind (the full-width space U+3000, the
-- no-break space, the zero-width space) are refused, not only the empty string.  A row of 1.1
-- that holds such a blank keeps its constraint unvalidated, and the update says which.
CREATE FUNCTION subsidy.says_something(text) RETURNS boolean
  AS 'MODULE_PATHNAME', 'says_something' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION subsidy.says_something(text) IS
  'whether a required text says something: it has a letter or a digit (Unicode categories L and N); blanks of every kind (the full-width space U+3000, the no-break space, the zero-width space, the Braille blank), controls, lone combining marks, punctuation and symbols alone do not';
ALTER TABLE subsidy.enterprise DROP CONSTRAINT enterprise_name_check,
  ADD CONSTRAINT enterprise_name_check CHECK (subsidy.says_something(name)) NOT VALID;
ALTER TABLE subsidy.calendar DROP CONSTRAINT calendar_name_check,
  ADD CONSTRAINT calendar_name_check CHECK (subsidy.says_something(name)) NOT VALID;
ALTER TABLE subsidy.staff_relation DROP CONSTRAINT staff_relation_relation_check,
  ADD CONSTRAINT staff_relation_relation_check CHECK (subsidy.says_something(relation)) NOT VALID;
ALTER TABLE subsidy.sign_off DROP CONSTRAINT sign_off_failure_explained,
  ADD CONSTRAINT sign_off_failure_explained CHECK (passed OR subsidy.says_something(comment)) NOT VALID;
ALTER TABLE subsidy.objection DROP CONSTRAINT objection_text_check,
  ADD CONSTRAINT objection_text_check CHECK (subsidy.says_something(text)) NOT VALID;
ALTER TABLE subsidy.annual_report_frozen DROP CONSTRAINT annual_report_frozen_correction_says_why,
  ADD CONSTRAINT annual_report_frozen_correction_says_why CHECK (version = 1 OR subsidy.says_something(reason)) NOT VALID;
ALTER TABLE subsidy.application
  ADD CONSTRAINT application_return_says_why CHECK (returned_on IS NULL OR subsidy.says_something(return_reason));
DO $validate$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT c.conrelid::pg_catalog.regclass AS rel, c.conname
             FROM pg_catalog.pg_constraint c
            WHERE c.connamespace OPERATOR(pg_catalog.=) 'subsidy'::pg_catalog.regnamespace AND NOT c.convalidated
            ORDER BY 1, 2 LOOP
    BEGIN
      EXECUTE pg_catalog.format('ALTER TABLE %s VALIDATE CONSTRAINT %I', r.rel, r.conname);
    EXCEPTION WHEN check_violation THEN
      RAISE WARNING 'subsidy 1.2: a row of %, written under 1.1, holds a blank where % wants words; the constraint checks new rows only until it is corrected', r.rel, r.conname
        USING HINT = pg_catalog.format('Correct the row, then: ALTER TABLE %s VALIDATE CONSTRAINT %I;', r.rel, r.conname);
    END;
  END LOOP;
END
$validate$;

-- W11: spot checks' seeds are drawn by the extension from a secret no role reads.
COMMENT ON TABLE subsidy.spot_check_draw IS
  'W11 实地抽查: a draw of applications for on-site checks, from a seed the extension draws; the same seed over the same applications draws the same sample';
COMMENT ON COLUMN subsidy.spot_check_draw.seed IS 'the seed the extension drew (SHA-256 of a secret, the region, year and draw number): the sample is reproducible from it, and no clerk chooses it';
CREATE TABLE subsidy.spot_check_secret (
  secret bytea NOT NULL CHECK (octet_length(secret) >= 16),
  only_one boolean PRIMARY KEY DEFAULT true CHECK (only_one)
);
INSERT INTO subsidy.spot_check_secret (secret)
SELECT pg_catalog.decode(pg_catalog.replace(pg_catalog.gen_random_uuid()::text || pg_catalog.gen_random_uuid()::text,
                                            '-', ''), 'hex');
COMMENT ON TABLE subsidy.spot_check_secret IS
  'W11: the secret from which the extension draws each spot check''s seed, so that no clerk can choose or foresee a sample; readable by no role';
COMMENT ON COLUMN subsidy.spot_check_secret.secret IS 'random bytes, made when the extension is installed';
COMMENT ON COLUMN subsidy.spot_check_secret.only_one IS 'true: one secret';

-- DOMAIN section 13: every national regime 2015-2025 and screening (免申即享).  Two enums gain
-- values the shipped sets below use at once, which PostgreSQL allows only for a type made in
-- the same transaction: they are made again, and their columns moved over.
ALTER TYPE subsidy.layoff_formula RENAME TO layoff_formula_1_1;
CREATE TYPE subsidy.layoff_formula AS ENUM
  ('layoffs_over_start', 'net_decrease_over_start', 'net_decrease_over_average', 'new_claimants_over_average');
ALTER TYPE subsidy.threshold_source RENAME TO threshold_source_1_1;
CREATE TYPE subsidy.threshold_source AS ENUM ('region', 'parent', 'fixed', 'national');
-- (the CHECK that compares threshold_source with a literal of the old type goes, and comes back)
ALTER TABLE subsidy.policy_year
  DROP CONSTRAINT policy_year_fixed_threshold,
  ALTER COLUMN layoff_formula TYPE subsidy.layoff_formula USING layoff_formula::text::subsidy.layoff_formula,
  ALTER COLUMN threshold_source TYPE subsidy.threshold_source USING threshold_source::text::subsidy.threshold_source,
  ADD CONSTRAINT policy_year_fixed_threshold CHECK ((threshold_source = 'fixed') = (fixed_threshold IS NOT NULL));
ALTER TABLE subsidy.policy_region
  ALTER COLUMN layoff_formula TYPE subsidy.layoff_formula USING layoff_formula::text::subsidy.layoff_formula,
  ALTER COLUMN threshold_source TYPE subsidy.threshold_source USING threshold_source::text::subsidy.threshold_source;
DROP TYPE subsidy.layoff_formula_1_1;
DROP TYPE subsidy.threshold_source_1_1;
CREATE TYPE subsidy.comparator AS ENUM ('below', 'not_above');
CREATE TYPE subsidy.small_unit_scope AS ENUM ('none', 'sme', 'all');
CREATE TYPE subsidy.covered_units AS ENUM ('enterprises', 'enterprises_and_six_kinds');
CREATE TYPE subsidy.six_kinds_class AS ENUM ('sme', 'by_headcount');
CREATE TYPE subsidy.fund_level AS ENUM ('region', 'province');
CREATE TYPE subsidy.assessment_mode AS ENUM ('apply', 'screen');
CREATE TYPE subsidy.hardship_formula AS ENUM ('benefit', 'premiums');
CREATE TYPE subsidy.amount_choice AS ENUM ('ordered', 'largest');
CREATE TYPE subsidy.unit_kind AS ENUM
  ('enterprise', 'social_group', 'foundation', 'social_service_agency', 'law_firm', 'accounting_firm',
   'individual_business');
-- nothing of this update puts an application in it: a value added here is not used before commit
ALTER TYPE subsidy.stage ADD VALUE 'screened' AFTER 'draft';
ALTER TYPE subsidy.firm_size ADD VALUE 'medium' AFTER 'large';
ALTER TYPE subsidy.firm_size ADD VALUE 'small' AFTER 'small_micro';
ALTER TYPE subsidy.firm_size ADD VALUE 'micro' AFTER 'small';
ALTER TYPE subsidy.basis ADD VALUE 'benefit';
ALTER TYPE subsidy.basis ADD VALUE 'monthly_premiums';

ALTER TABLE subsidy.policy_year
  ADD COLUMN scope text NOT NULL DEFAULT 'national',
  ADD COLUMN rates_are_maximum boolean NOT NULL DEFAULT false,
  ADD COLUMN early_rate_large numeric(4,3) CHECK (early_rate_large BETWEEN 0 AND 1),
  ADD COLUMN rate_large_from date,
  ADD COLUMN comparator subsidy.comparator NOT NULL DEFAULT 'below',
  ADD COLUMN threshold_source_sme subsidy.threshold_source,
  ADD COLUMN comparator_sme subsidy.comparator,
  ADD COLUMN small_unit_scope subsidy.small_unit_scope NOT NULL DEFAULT 'none',
  ADD COLUMN small_unit_headcount integer NOT NULL DEFAULT 30 CHECK (small_unit_headcount >= 0),
  ADD COLUMN small_unit_rate numeric(5,2) NOT NULL DEFAULT 20 CHECK (small_unit_rate BETWEEN 0 AND 100),
  ADD COLUMN min_full_months integer CHECK (min_full_months BETWEEN 0 AND 12),
  ADD COLUMN covered_units subsidy.covered_units NOT NULL DEFAULT 'enterprises',
  ADD COLUMN six_kinds_class subsidy.six_kinds_class NOT NULL DEFAULT 'sme',
  ADD COLUMN dishonesty_rule boolean NOT NULL DEFAULT false,
  ADD COLUMN fund_level subsidy.fund_level NOT NULL DEFAULT 'region',
  ADD COLUMN mode subsidy.assessment_mode NOT NULL DEFAULT 'apply',
  ADD COLUMN window_required boolean NOT NULL DEFAULT true,
  ADD COLUMN hardship_months numeric(4,1) CHECK (hardship_months > 0 AND hardship_months <= 24),
  ADD COLUMN hardship_formula subsidy.hardship_formula NOT NULL DEFAULT 'benefit',
  ADD COLUMN hardship_fund_months numeric(4,1) NOT NULL DEFAULT 24 CHECK (hardship_fund_months >= 0),
  ADD COLUMN amount_choice subsidy.amount_choice NOT NULL DEFAULT 'ordered',
  DROP CONSTRAINT policy_year_pkey,
  ADD CONSTRAINT policy_year_pkey PRIMARY KEY (year, origin, scope),
  ADD CONSTRAINT policy_year_early_rate CHECK ((early_rate_large IS NULL) = (rate_large_from IS NULL)),
  ADD CONSTRAINT policy_year_scope CHECK (scope = 'national' OR scope ~ '^[0-9]{2}0000$');
CREATE TABLE subsidy.national_target (
  basis_year integer PRIMARY KEY CHECK (basis_year BETWEEN 2000 AND 2100),
  surveyed_unemployment_target numeric(4,2) NOT NULL CHECK (surveyed_unemployment_target BETWEEN 0 AND 100),
  source text NOT NULL,
  origin subsidy.origin NOT NULL DEFAULT 'local'
);
SELECT pg_catalog.pg_extension_config_dump('subsidy.national_target', 'WHERE origin = ''local''');
ALTER TABLE subsidy.policy_region
  ADD COLUMN comparator subsidy.comparator,
  ADD COLUMN threshold_source_sme subsidy.threshold_source,
  ADD COLUMN comparator_sme subsidy.comparator,
  ADD COLUMN small_unit_scope subsidy.small_unit_scope,
  ADD COLUMN small_unit_headcount integer CHECK (small_unit_headcount >= 0),
  ADD COLUMN small_unit_rate numeric(5,2) CHECK (small_unit_rate BETWEEN 0 AND 100),
  ADD COLUMN min_full_months integer CHECK (min_full_months BETWEEN 0 AND 12),
  ADD COLUMN covered_units subsidy.covered_units,
  ADD COLUMN six_kinds_class subsidy.six_kinds_class,
  ADD COLUMN fund_level subsidy.fund_level,
  ADD COLUMN mode subsidy.assessment_mode,
  ADD COLUMN window_required boolean,
  ADD COLUMN hardship_formula subsidy.hardship_formula;
ALTER TABLE subsidy.enterprise_year
  ADD COLUMN serious_dishonesty boolean,
  ADD COLUMN unit_kind subsidy.unit_kind;
ALTER TABLE subsidy.application
  ADD COLUMN unit_kind subsidy.unit_kind NOT NULL DEFAULT 'enterprise',
  ADD COLUMN serious_dishonesty boolean,
  ADD COLUMN confirmed_full_contribution_months integer CHECK (confirmed_full_contribution_months >= 0),
  ADD COLUMN confirmed_new_claimants integer CHECK (confirmed_new_claimants >= 0),
  ADD COLUMN confirmed_monthly_premiums_payable numeric(14,2)
    CHECK (confirmed_monthly_premiums_payable >= 0 AND confirmed_monthly_premiums_payable <> 'NaN'),
  ADD COLUMN hardship_recognised boolean,
  ADD COLUMN screened_on date;
ALTER TABLE subsidy.application
  DROP CONSTRAINT application_submitted_has_date,
  ADD CONSTRAINT application_submitted_has_date CHECK
    (stage IN ('draft') OR (stage = 'withdrawn' AND submitted_on IS NULL) OR submitted_on IS NOT NULL
     OR (stage::text = 'screened' AND screened_on IS NOT NULL));
ALTER TABLE subsidy.region_basis_year
  ADD COLUMN average_monthly_benefit numeric(12,2) CHECK (average_monthly_benefit >= 0 AND average_monthly_benefit <> 'NaN');
-- explanations name E2's threshold, its source and comparator (DOMAIN section 13)
ALTER TYPE subsidy.assessment
  ADD ATTRIBUTE threshold_source subsidy.threshold_source,
  ADD ATTRIBUTE comparator subsidy.comparator,
  ADD ATTRIBUTE small_unit_headcount integer,
  ADD ATTRIBUTE regime_rules text[];

-- Section 11, W7: a bank account is stored as one string however it was typed (full-width
-- digits, spaces, dashes), as subsidy.bank_account_normal writes every new one; those of 1.1
-- that read as an account are rewritten so, the others are left as they were.
DO $normal$
DECLARE
  t record;
BEGIN
  IF pg_catalog.current_setting('server_encoding') OPERATOR(pg_catalog.=) 'UTF8' THEN
    FOR t IN SELECT * FROM (VALUES ('subsidy.enterprise', 'bank_account'), ('subsidy.application', 'payment_bank_account'),
                                   ('subsidy.application', 'returned_bank_account')) v(tab, col) LOOP
      EXECUTE pg_catalog.format(
        'UPDATE %1$s x SET %2$I = n.normal
           FROM (SELECT y.typed, pg_catalog.upper(pg_catalog.regexp_replace(pg_catalog.normalize(y.typed, ''NFKC''),
                   %3$L, %4$L, %5$L)) AS normal
                   FROM (SELECT DISTINCT %2$I AS typed FROM %1$s WHERE %2$I IS NOT NULL) y) n
          WHERE x.%2$I OPERATOR(pg_catalog.=) n.typed AND n.normal OPERATOR(pg_catalog.<>) n.typed
            AND n.normal OPERATOR(pg_catalog.~) %6$L',
        t.tab, t.col, E'[\\s\u00b7\u2010-\u2015\u2212\ufe58\ufe63\uff0d\u200b-\u200d\u2060\ufeff-]', '', 'g',
        '^[0-9A-Z]+$');
    END LOOP;
  END IF;
END
$normal$;

-- S4: every logged change names its row and the state it left it in, so that verify_audit
-- holds every row a decision or payment rests on to its log (the update's baseline names
-- them all first: 1.1--1.2-after.sql).
ALTER TABLE subsidy.audit_log ADD COLUMN subject text, ADD COLUMN state bytea;
COMMENT ON COLUMN subsidy.audit_log.subject IS 'the row the entry is about, as its table and primary key (application 42): every row a decision or payment rests on is held to the state its log last gives it (S4)';
COMMENT ON COLUMN subsidy.audit_log.state IS 'that row''s state after the change (SHA-256 of its columns, first 16 bytes, subsidy.row_state); empty: the row was removed';
-- Reports that tools and clerks can use (issue 13).

-- The reports show names in bounded columns (varchar(200), varchar(50)), which must never cut
-- one short: a name longer than that stops the update, named, instead of being cut later.
DO $names$
DECLARE
  long_names text;
BEGIN
  SELECT pg_catalog.string_agg(x, ', ') INTO long_names
    FROM (SELECT pg_catalog.format('enterprise %s', e.uscc::pg_catalog.text) AS x FROM subsidy.enterprise e
           WHERE pg_catalog.char_length(e.name) OPERATOR(pg_catalog.>) 200
          UNION ALL
          SELECT pg_catalog.format('region %s', r.code) FROM subsidy.region r
           WHERE pg_catalog.char_length(r.name) OPERATOR(pg_catalog.>) 50) n;
  IF long_names IS NOT NULL THEN
    RAISE EXCEPTION 'subsidy 1.2 cannot be installed over names longer than the reports show'
      USING ERRCODE = 'check_violation',
            DETAIL = pg_catalog.format('Names over 200 characters (enterprises) or 50 (regions): %s.', long_names),
            HINT = 'Shorten those names (an enterprise''s registered name is rarely over 60 characters), then update again.';
  END IF;
END
$names$;
ALTER TABLE subsidy.enterprise ADD CONSTRAINT enterprise_name_length CHECK (char_length(name) <= 200);
ALTER TABLE subsidy.region ADD CONSTRAINT region_name_length CHECK (char_length(name) <= 50);

-- R4: the enterprise's industry, a fact of its register entry.
ALTER TABLE subsidy.enterprise
  ADD COLUMN industry text CONSTRAINT enterprise_industry_section CHECK (industry ~ '^[A-T]$');
COMMENT ON COLUMN subsidy.enterprise.industry IS
  'industry (国民经济行业分类门类, GB/T 4754-2017): the section letter A-T of its main business, as registered (R4); empty: not known';

-- The day each application entered its stage, for the progress report ([J54 三(五)] 调度).
-- The steps set it from now on; for the applications of 1.1 it is the stage's own date where
-- the row has one (business dates), else the day its trail logged the move, else the filing.
ALTER TABLE subsidy.application ADD COLUMN stage_since date;
COMMENT ON COLUMN subsidy.application.stage_since IS
  'the business date (W12) it entered its stage (filed, for a draft), set by each step: how long it has waited there ([J54 三(五)] 调度)';
UPDATE subsidy.application a
   SET stage_since = coalesce(
         CASE a.stage::pg_catalog.text
           WHEN 'submitted' THEN a.submitted_on
           WHEN 'decided' THEN a.decided_on
           WHEN 'cleared' THEN GREATEST(a.cleared_on, a.returned_on)
           WHEN 'paid' THEN a.paid_on
           WHEN 'objection' THEN (SELECT pg_catalog.max(o.raised_on) FROM subsidy.objection o
                                   WHERE o.application_id OPERATOR(pg_catalog.=) a.id)
           WHEN 'reported' THEN (SELECT b.reported_on FROM subsidy.report_batch b
                                  WHERE b.id OPERATOR(pg_catalog.=) a.report_batch_id)
         END,
         (SELECT pg_catalog.timezone('Asia/Shanghai', l.at)::pg_catalog.date FROM subsidy.audit_log l
           WHERE l.application_id OPERATOR(pg_catalog.=) a.id AND l.to_stage OPERATOR(pg_catalog.=) a.stage::pg_catalog.text
           ORDER BY l.at DESC LIMIT 1),
         pg_catalog.timezone('Asia/Shanghai', a.created_at)::pg_catalog.date);

-- R3 is due by 15 January: the business date each report was frozen (sent), which for the
-- reports of 1.1 is the day, in China, it was frozen.
ALTER TABLE subsidy.annual_report_frozen ADD COLUMN frozen_on date;
UPDATE subsidy.annual_report_frozen SET frozen_on = pg_catalog.timezone('Asia/Shanghai', frozen_at)::pg_catalog.date;
ALTER TABLE subsidy.annual_report_frozen ALTER COLUMN frozen_on SET NOT NULL;
COMMENT ON COLUMN subsidy.annual_report_frozen.frozen_on IS
  'the business date (W12) it was frozen, that is sent to the province: R3 is due by 15 January of the year after';

-- ---------------------------------------------------------------------------------------------
-- The fourth tester's findings (branch attack4-fixes), kept together at the end to ease merges.
-- F4: an entry's time is the moment it was appended, not its statement's start, so that a row's
-- entries in two chains (an enterprise moved to another region) are in the order they were made.
COMMENT ON COLUMN subsidy.audit_log.at IS 'when: the moment the entry was appended, so that a row''s entries, in whichever chains, are in the order they were made';
-- ---------------------------------------------------------------------------------------------

-- ---------------------------------------------------------------------------------------------
-- Issue 17, province scale: assess_year's writes into application_verdict.  store_verdicts is
-- the table's only writer (its guard) and writes the ids of applications it has just read under
-- review and of snapshots it has just joined; an assessed application is never deleted (only a
-- draft is), nor is a snapshot.  The two foreign keys, checked row by row, were half of
-- assess_year's time at 1,000,000 applications; a verdict found again unchanged is left as it is.
ALTER TABLE subsidy.application_verdict DROP CONSTRAINT IF EXISTS application_verdict_application_id_fkey;
ALTER TABLE subsidy.application_verdict DROP CONSTRAINT IF EXISTS application_verdict_policy_snapshot_id_fkey;
COMMENT ON COLUMN subsidy.application_verdict.assessed_at IS 'when this verdict was stored: an assessment again that finds the same verdict under the same parameters leaves the row as it is';
-- The index on policy_snapshot_id served the snapshot key's checks only (snapshots are never
-- deleted): a second index entry per verdict for no reader.
DROP INDEX IF EXISTS subsidy.application_verdict_snapshot;
-- ---------------------------------------------------------------------------------------------

-- a reference the bank returned is looked up when any payment of the region is recorded (W7)
CREATE INDEX application_returned_reference ON subsidy.application (region, returned_reference)
  WHERE returned_reference IS NOT NULL;
