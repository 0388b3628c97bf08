--
-- The review workflow: roles and regions, stages enforced by triggers, the audit trail
-- (DOMAIN sections 2, 3, 8, 11)
--

-- Views read their tables with their owner's rights, so row-level security does not reach
-- through them (security_invoker views arrived only in PostgreSQL 15): every view that shows
-- regional rows filters them by the caller's regions itself, once per query.

-- Staff recorded as related to an enterprise do not sign its review (section 11).
CREATE TABLE subsidy.staff_relation (
  staff regrole NOT NULL,
  uscc subsidy.uscc NOT NULL REFERENCES subsidy.enterprise (uscc),
  relation text NOT NULL CHECK (subsidy.says_something(relation)),
  PRIMARY KEY (staff, uscc)
);
COMMENT ON TABLE subsidy.staff_relation IS
  'section 11 (利益输送): staff recorded as related to an enterprise (a relative, a former employer, a shareholding) cannot sign its review';
COMMENT ON COLUMN subsidy.staff_relation.staff IS 'a reviewer''s role, by name';
COMMENT ON COLUMN subsidy.staff_relation.uscc IS 'the enterprise';
COMMENT ON COLUMN subsidy.staff_relation.relation IS 'the relation on record (e.g. a spouse is its finance manager)';

-- Documents a submission must carry (annexes 1 and 2); a DBA adds the region's own.
CREATE TABLE subsidy.required_document (
  code text PRIMARY KEY CHECK (code ~ '^[a-z0-9_]+$'),
  name_zh text NOT NULL,
  required boolean NOT NULL DEFAULT true,
  origin subsidy.origin NOT NULL DEFAULT 'local'
);
COMMENT ON TABLE subsidy.required_document IS
  'documents an application carries (application.documents holds their codes); submission needs every required one (W2)';
COMMENT ON COLUMN subsidy.required_document.code IS 'the document''s code, as listed in application.documents';
COMMENT ON COLUMN subsidy.required_document.name_zh IS 'its name in the notice';
COMMENT ON COLUMN subsidy.required_document.required IS 'whether submission needs it (W2)';
COMMENT ON COLUMN subsidy.required_document.origin IS 'extension: shipped with subsidy (read-only); local: added by the DBA';
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
  figures_digest bigint,
  failed_rule text,
  PRIMARY KEY (application_id, review_round, agency),
  CONSTRAINT sign_off_failure_explained CHECK (passed OR subsidy.says_something(comment))
);
COMMENT ON TABLE subsidy.sign_off IS
  'W3: each agency''s sign-off on its part of the joint review, per review round; a decision needs all three, and a failed one carries its reason';
COMMENT ON COLUMN subsidy.sign_off.application_id IS 'the application reviewed';
COMMENT ON COLUMN subsidy.sign_off.review_round IS 'the review round (a new round after an objection)';
COMMENT ON COLUMN subsidy.sign_off.agency IS 'which party signs: hrss, agency or finance';
COMMENT ON COLUMN subsidy.sign_off.passed IS 'the party''s conclusion on its part';
COMMENT ON COLUMN subsidy.sign_off.comment IS 'its reasons (required when it fails)';
COMMENT ON COLUMN subsidy.sign_off.signed_by IS 'who signed (the login)';
COMMENT ON COLUMN subsidy.sign_off.signed_at IS 'when';
COMMENT ON COLUMN subsidy.sign_off.figures_digest IS 'a digest of the figures signed on: a change of them after the sign-off voids it (W3a)';
COMMENT ON COLUMN subsidy.sign_off.failed_rule IS 'the rule of the party''s part that a failed sign-off finds failed (E1 agency; E2, E4, E10 hrss; E3, E6 finance)';

-- Publicity periods (W5): a start, and the end the calendar gives.
CREATE TABLE subsidy.publicity (
  id bigint PRIMARY KEY,
  region text NOT NULL REFERENCES subsidy.region (code),
  year integer NOT NULL,
  starts_on date NOT NULL,
  ends_on date NOT NULL,
  workdays integer NOT NULL CHECK (workdays >= 7),
  started_by name NOT NULL DEFAULT SESSION_USER,
  started_at timestamptz NOT NULL DEFAULT pg_catalog.now()
);
-- Numbered by subsidy.assign_number (records.c), within the row's region: no client picks a number.
COMMENT ON TABLE subsidy.publicity IS
  'W5 公示: a publicity period of a region''s decided list; it ends on its n-th working day counting the start, n from the parameters (at least 7)';
COMMENT ON COLUMN subsidy.publicity.id IS 'the publicity''s number';
COMMENT ON COLUMN subsidy.publicity.region IS 'the pooling region';
COMMENT ON COLUMN subsidy.publicity.year IS 'the subsidy year';
COMMENT ON COLUMN subsidy.publicity.starts_on IS 'its first day (today or later when started)';
COMMENT ON COLUMN subsidy.publicity.workdays IS 'its length in working days (the parameter in force, at least 7)';
COMMENT ON COLUMN subsidy.publicity.ends_on IS 'its last day: the workdays-th working day counting the start (W5); computed, never entered';
COMMENT ON COLUMN subsidy.publicity.started_at IS 'when it was started';
COMMENT ON COLUMN subsidy.publicity.started_by IS 'who started it';
CREATE INDEX publicity_region_year ON subsidy.publicity (region, year);
ALTER TABLE subsidy.application ADD FOREIGN KEY (publicity_id) REFERENCES subsidy.publicity (id);

-- Objections raised during publicity, or against a rejection (W4, W6).
CREATE TABLE subsidy.objection (
  id bigint PRIMARY KEY,
  application_id bigint NOT NULL REFERENCES subsidy.application (id),
  review_round integer NOT NULL,
  text text NOT NULL CHECK (subsidy.says_something(text)),
  raised_on date NOT NULL,
  recorded_by name NOT NULL DEFAULT SESSION_USER,
  resolved_on date
);
-- Numbered by subsidy.assign_number (records.c), within the row's region: no client picks a number.
COMMENT ON TABLE subsidy.objection IS
  'W6 异议: an objection to an application during its publicity (or to its rejection, W4); it sends the application back to review, and a new decision needs a new publicity';
COMMENT ON COLUMN subsidy.objection.id IS 'the objection''s number';
COMMENT ON COLUMN subsidy.objection.application_id IS 'the application objected to';
COMMENT ON COLUMN subsidy.objection.review_round IS 'the review round it was raised in';
COMMENT ON COLUMN subsidy.objection.text IS 'what was objected, as received';
COMMENT ON COLUMN subsidy.objection.raised_on IS 'the business date it was raised (within publicity, W6)';
COMMENT ON COLUMN subsidy.objection.recorded_by IS 'who recorded it';
COMMENT ON COLUMN subsidy.objection.resolved_on IS 'when a new review round took it up (empty: open, and the application cannot clear)';
CREATE INDEX objection_application ON subsidy.objection (application_id);

-- Upward reports (W8): a batch sent to the national real-name system.
CREATE TABLE subsidy.report_batch (
  id bigint PRIMARY KEY,
  region text NOT NULL REFERENCES subsidy.region (code),
  year integer NOT NULL,
  reference text NOT NULL CHECK (reference <> ''),
  reported_on date NOT NULL,
  reported_by name NOT NULL DEFAULT SESSION_USER,
  audit_heads jsonb,
  UNIQUE (region, year, reference)
);
-- Numbered by subsidy.assign_number (records.c), within the row's region: no client picks a number.
COMMENT ON TABLE subsidy.report_batch IS
  'W8 上报: a batch of payments reported to hrss and up to the national real-name system (稳岗补贴实名制信息系统)';
COMMENT ON COLUMN subsidy.report_batch.audit_heads IS 'S4: the heads of the reporting regions'' audit chains as the batch was made, sent upward with it: the province keeps them, and verify_audit(heads) checks that nothing before them changed';
COMMENT ON COLUMN subsidy.report_batch.id IS 'the batch''s number';
COMMENT ON COLUMN subsidy.report_batch.region IS 'the pooling region';
COMMENT ON COLUMN subsidy.report_batch.year IS 'the subsidy year';
COMMENT ON COLUMN subsidy.report_batch.reference IS 'the reference of the report upward (unique)';
COMMENT ON COLUMN subsidy.report_batch.reported_on IS 'the business date it was reported';
COMMENT ON COLUMN subsidy.report_batch.reported_by IS 'who reported it';
ALTER TABLE subsidy.application ADD FOREIGN KEY (report_batch_id) REFERENCES subsidy.report_batch (id);

-- Spot checks (W11): seeded, reproducible draws and their results, which feed E10.
CREATE TABLE subsidy.spot_check_draw (
  id bigint PRIMARY KEY,
  region text NOT NULL REFERENCES subsidy.region (code),
  year integer NOT NULL,
  seed text NOT NULL,
  sample_size integer NOT NULL CHECK (sample_size > 0),
  drawn_on date NOT NULL,
  drawn_by name NOT NULL DEFAULT SESSION_USER
);
-- Numbered by subsidy.assign_number (records.c), within the row's region: no client picks a number.
COMMENT ON TABLE subsidy.spot_check_draw IS
  'W11 实地抽查: a draw of applications for on-site checks, from a seed the extension draws; the same seed over the same applications draws the same sample';
COMMENT ON COLUMN subsidy.spot_check_draw.id IS 'the draw''s number';
COMMENT ON COLUMN subsidy.spot_check_draw.region IS 'the pooling region';
COMMENT ON COLUMN subsidy.spot_check_draw.year IS 'the subsidy year';
COMMENT ON COLUMN subsidy.spot_check_draw.sample_size IS 'how many applications were drawn';
COMMENT ON COLUMN subsidy.spot_check_draw.seed IS 'the seed the extension drew (SHA-256 of a secret, the region, year and draw number): the sample is reproducible from it, and no clerk chooses it';

-- W11: the secret behind the seeds; no role reads it.  Not dumped: a restored database draws
-- its later seeds from a secret of its own (the seeds already drawn are in their draws).
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
COMMENT ON COLUMN subsidy.spot_check_draw.drawn_on IS 'the business date of the draw';
COMMENT ON COLUMN subsidy.spot_check_draw.drawn_by IS 'who drew it';

CREATE TABLE subsidy.spot_check_item (
  draw_id bigint NOT NULL REFERENCES subsidy.spot_check_draw (id),
  application_id bigint NOT NULL REFERENCES subsidy.application (id),
  result subsidy.spot_check_result NOT NULL DEFAULT 'pending',
  notes text,
  checked_on date,
  PRIMARY KEY (draw_id, application_id)
);
COMMENT ON TABLE subsidy.spot_check_item IS 'W11: each application drawn, and what the check found (E10)';
COMMENT ON COLUMN subsidy.spot_check_item.draw_id IS 'the draw';
COMMENT ON COLUMN subsidy.spot_check_item.application_id IS 'the application drawn';
COMMENT ON COLUMN subsidy.spot_check_item.result IS 'what the check found (empty: not yet checked)';
COMMENT ON COLUMN subsidy.spot_check_item.notes IS 'the inspector''s notes';
COMMENT ON COLUMN subsidy.spot_check_item.checked_on IS 'when it was checked';

-- One row per region's audit chain: locking it orders the region's writes (audit.c).  No
-- role but the owner may read or lock it, so that no clerk can hold a region up (S3).
CREATE TABLE subsidy.audit_chain (
  region text PRIMARY KEY
);
COMMENT ON TABLE subsidy.audit_chain IS
  'a row per pooling region''s audit chain, locked (never changed) by the writes of the region, so that they take turns in one order; open to no role';
COMMENT ON COLUMN subsidy.audit_chain.region IS 'the region whose chain the row stands for';
INSERT INTO subsidy.audit_chain (region) SELECT code FROM subsidy.region;

-- The audit trail (W9): one hash chain per region, append-only for every role.
CREATE TABLE subsidy.audit_log (
  region text NOT NULL,
  seq bigint NOT NULL,
  at timestamptz NOT NULL,
  actor text NOT NULL,
  acting_role text NOT NULL,
  application_id bigint,
  uscc text,
  action text NOT NULL,
  from_stage text,
  to_stage text,
  detail text,
  figures json,
  prev_hash bytea NOT NULL,
  hash bytea NOT NULL,
  subject text,
  state bytea,
  PRIMARY KEY (region, seq)
);
COMMENT ON TABLE subsidy.audit_log IS
  'W9 全程留痕: every transition, sign-off and change in review, as it happened (who, when, from, to, why, the figures then); one SHA-256 chain per region; nobody can change it, and subsidy.verify_audit() finds any break';
COMMENT ON COLUMN subsidy.audit_log.seq IS 'position in the region''s chain, from 1';
COMMENT ON COLUMN subsidy.audit_log.actor IS 'the session''s login';
COMMENT ON COLUMN subsidy.audit_log.acting_role IS 'the role it acted as (after SET ROLE)';
COMMENT ON COLUMN subsidy.audit_log.action IS 'transition, sign_off or review (a change of facts or confirmed figures after submission)';
COMMENT ON COLUMN subsidy.audit_log.detail IS 'the reason: an objection''s text, a sign-off''s comment';
COMMENT ON COLUMN subsidy.audit_log.region IS 'the pooling region whose chain the entry is in';
COMMENT ON COLUMN subsidy.audit_log.at IS 'when: the moment the entry was appended, so that a row''s entries, in whichever chains, are in the order they were made';
COMMENT ON COLUMN subsidy.audit_log.application_id IS 'the application concerned';
COMMENT ON COLUMN subsidy.audit_log.uscc IS 'its enterprise''s code, as it was then';
COMMENT ON COLUMN subsidy.audit_log.from_stage IS 'the stage before a transition';
COMMENT ON COLUMN subsidy.audit_log.to_stage IS 'the stage after it';
COMMENT ON COLUMN subsidy.audit_log.subject IS 'the row the entry is about, as its table and primary key (application 42): every row a decision or payment rests on is held to the state its log last gives it (S4)';
COMMENT ON COLUMN subsidy.audit_log.state IS 'that row''s state after the change (SHA-256 of its columns, first 16 bytes, subsidy.row_state); empty: the row was removed';
COMMENT ON COLUMN subsidy.audit_log.figures IS 'the figures known at that moment (transitions; an absent key is an empty figure) or the changes as [old, new] (review)';
COMMENT ON COLUMN subsidy.audit_log.prev_hash IS 'hash of the entry before it in the region''s chain (zeros for the first)';
COMMENT ON COLUMN subsidy.audit_log.hash IS 'SHA-256 over prev_hash and every field of the entry';

-- 1.1: one application's trail, as a clerk answers an enterprise that asks where its
-- application stands and who did what (W9), and the index that makes it quick.
CREATE INDEX audit_log_application ON subsidy.audit_log (application_id);

-- S4: a restore in progress (subsidy.begin_restore), finished by subsidy.finish_restore once what
-- was loaded verifies against the heads kept outside.  Not dumped: a restore is this database's.
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
