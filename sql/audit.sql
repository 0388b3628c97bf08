-- audit: the W9 trail refuses every change, from every role including a superuser's plain
-- SQL; a superuser who goes around the triggers is caught by verify_audit() (DOMAIN section 8).
SET search_path = public, subsidy;
SET datestyle = 'ISO, YMD';
\set VERBOSITY default

-- The trail the workflow and rights tests left is intact.
SELECT count(*) > 0 AS has_entries, (SELECT count(*) FROM verify_audit()) AS problems FROM audit_log;

-- W9: each entry says who (the login, and the role acted as), when, from, to, why, and the
-- figures known at that moment: here the whole history of one application.
SELECT actor = session_user AS by_this_login, acting_role, action, from_stage, to_stage, detail, figures
  FROM audit_log WHERE uscc = '91220101MA0Y3PXK6M' ORDER BY region, seq;

-- W9: no update, delete, truncate or hand-made insert, even from the superuser who owns it.
UPDATE audit_log SET detail = 'rewritten' WHERE region = '220100' AND seq = 1;
DELETE FROM audit_log WHERE region = '220100' AND seq = 1;
TRUNCATE audit_log;
INSERT INTO audit_log SELECT region, seq + 1000, at, actor, acting_role, application_id, uscc, action,
                             from_stage, to_stage, detail, figures, prev_hash, hash
  FROM audit_log WHERE region = '220100' AND seq = 1;
-- Nor from the administrator role, or a clerk (who cannot even read others' regions).
SET ROLE regress_dba;
UPDATE audit_log SET detail = 'rewritten' WHERE region = '220100' AND seq = 1;
DELETE FROM audit_log WHERE region = '220100' AND seq = 1;
SET ROLE regress_cc_hrss;
UPDATE audit_log SET detail = 'rewritten' WHERE region = '220100' AND seq = 1;
RESET ROLE;

-- W9: a superuser disables the guard, edits one entry's reason, deletes another and
-- re-enables it: verify_audit() names both breaks.
BEGIN;
ALTER TABLE audit_log DISABLE TRIGGER audit_log_guard;
UPDATE audit_log SET detail = '材料齐全（改过）' WHERE region = '220100' AND seq = 3;
DELETE FROM audit_log WHERE region = '220100' AND seq = 6;
ALTER TABLE audit_log ENABLE TRIGGER audit_log_guard;
SELECT region, seq, problem FROM verify_audit() ORDER BY region, seq, problem;
ROLLBACK;

-- W9: a superuser moves an application around the stage guard: the move is still logged
-- (the log is written by its own AFTER trigger), so the trail explains it ...
BEGIN;
ALTER TABLE application DISABLE TRIGGER application_stage_guard;
UPDATE application SET stage = CASE WHEN stage = 'paid' THEN 'decided'::stage ELSE 'paid'::stage END
 WHERE id = (SELECT min(id) FROM application WHERE year = 2020 AND region = '220100' AND stage <> 'draft');
ALTER TABLE application ENABLE TRIGGER application_stage_guard;
SELECT action, from_stage, to_stage FROM audit_log
 WHERE seq = (SELECT max(seq) FROM audit_log WHERE region = '220100') AND region = '220100';
ROLLBACK;
-- ... and with every trigger off, its stage no longer matches its log.
BEGIN;
ALTER TABLE application DISABLE TRIGGER USER;
UPDATE application SET stage = CASE WHEN stage = 'paid' THEN 'decided'::stage ELSE 'paid'::stage END
 WHERE id = (SELECT min(id) FROM application WHERE year = 2020 AND region = '220100' AND stage <> 'draft');
ALTER TABLE application ENABLE TRIGGER USER;
SELECT region, problem FROM verify_audit();
ROLLBACK;

-- W9: cutting the end off a chain leaves the rest consistent, but the applications whose
-- last steps were cut no longer match their log; audit_head, kept outside, shows the cut too.
CREATE TEMP TABLE head_kept_outside AS SELECT region, seq, hash FROM audit_head;
BEGIN;
ALTER TABLE audit_log DISABLE TRIGGER audit_log_guard;
DELETE FROM audit_log WHERE region = '220100'
   AND seq = (SELECT max(seq) FROM audit_log WHERE region = '220100');
ALTER TABLE audit_log ENABLE TRIGGER audit_log_guard;
SELECT region, application_id IS NOT NULL AS names_the_application, problem ~ 'but its log' AS stage_unexplained
  FROM verify_audit();
SELECT k.region, k.seq AS kept_seq, h.seq AS now_seq, k.hash = h.hash AS head_unchanged
  FROM head_kept_outside k JOIN audit_head h USING (region) WHERE k.region = '220100';
ROLLBACK;

-- S4: a restore is begun and finished by a superuser, into a new database only, and finished
-- only against the heads kept outside.
SELECT begin_restore();
CALL finish_restore('[]');
CALL finish_restore(NULL);
-- While one is in progress (here its row, put there by hand), entries come back as they were,
-- and one that does not hash to its contents is refused.  row_security = off, which any
-- session may set, is not it: the guard still refuses.
SET row_security = off;
INSERT INTO audit_log SELECT * FROM audit_log WHERE region = '220100' AND seq = 1;
BEGIN;
INSERT INTO restore_in_progress DEFAULT VALUES;
SELECT restoring();
SAVEPOINT s;
INSERT INTO audit_log SELECT region, seq + 1000, at, actor, acting_role, application_id, uscc, action,
                             from_stage, to_stage, detail, figures, prev_hash, hash
  FROM audit_log WHERE region = '220100' AND seq = 1;
ROLLBACK TO s;
INSERT INTO audit_log SELECT region, seq, at, actor, acting_role, application_id, uscc, action,
                             from_stage, to_stage, '伪造的理由', figures, prev_hash, hash
  FROM audit_log WHERE region = '220100' AND seq = 1;
ROLLBACK TO s;
-- An entry exactly as it was written hashes to itself (here it collides with the original).
INSERT INTO audit_log SELECT * FROM audit_log WHERE region = '220100' AND seq = 1;
ROLLBACK TO s;
-- verify_audit names a restore left unfinished
SELECT region, seq, problem ~ '^a restore begun at .* was never finished$' AS unfinished_restore FROM verify_audit();
ROLLBACK;
RESET row_security;

-- A DBA's own trigger on the log (forwarding entries to an archive, say) sees every entry:
-- appends then go through a plain INSERT, which honours it.
CREATE TABLE forwarded (region text, seq bigint, action text);
CREATE FUNCTION forward_entry() RETURNS trigger LANGUAGE plpgsql AS
  $$ BEGIN INSERT INTO public.forwarded VALUES (NEW.region, NEW.seq, NEW.action); RETURN NULL; END $$;
CREATE TRIGGER forward_entry AFTER INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION forward_entry();
SET subsidy.today = '2020-05-08';
SELECT agency, passed FROM sign_off((SELECT min(id) FROM application WHERE region = '220200' AND stage = 'in_review'),
                                    'hrss', true, '复核无误');
SELECT f.action, f.seq = (SELECT max(seq) FROM audit_log WHERE region = '220200') AS is_the_newest_entry
  FROM forwarded f;
DROP TRIGGER forward_entry ON audit_log;
DROP FUNCTION forward_entry();
DROP TABLE forwarded;
RESET subsidy.today;

SELECT count(*) AS problems FROM verify_audit();
