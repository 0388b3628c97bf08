-- role_rename: a role that staff rows name, renamed by the DBA (the fourth tester's F3).  A
-- staff row holds its role by name in the trail (the one thing of a role a dump keeps), so a
-- rename is logged: in the database where ALTER ROLE ... RENAME TO runs, by the extension
-- itself, in the same transaction; in any other database with the extension, by a
-- superuser's subsidy.log_role_renamed(role, old_name).  verify_audit then finds nothing, and
-- a staff row changed with the triggers off is still found, renamed or not.
\set regression_db :DBNAME
SET client_min_messages = warning;
DROP ROLE IF EXISTS regress_rr_hrss, regress_rr_hrss_cc, regress_rr_other, regress_rr_other2, regress_rr_far, regress_rr_far2;
RESET client_min_messages;
CREATE ROLE regress_rr_hrss IN ROLE subsidy_hrss;
CREATE ROLE regress_rr_other IN ROLE subsidy_hrss;
CREATE ROLE regress_rr_far IN ROLE subsidy_hrss;
INSERT INTO subsidy.staff_region (staff, region) VALUES ('regress_rr_hrss', '220300'), ('regress_rr_far', '220300');
INSERT INTO subsidy.enterprise (uscc, name, region, bank_name, bank_account)
VALUES ('91220300MA0Y3PXK6H', '辽源市重命名测试有限公司', '220300', '中国工商银行辽源分行', '6222021003000000001');
INSERT INTO subsidy.staff_relation (staff, uscc, relation) VALUES ('regress_rr_hrss', '91220300MA0Y3PXK6H', '亲属');
-- what verify_audit says of these roles' rows (the suites before leave their own findings)
\set findings 'SELECT problem FROM subsidy.verify_audit() WHERE problem ~ ''regress_rr_'' ORDER BY 1;'
:findings

-- Renamed here: logged at once, for its staff_region and its staff_relation rows.
ALTER ROLE regress_rr_hrss RENAME TO regress_rr_hrss_cc;
SELECT region, actor, action, detail, figures, subject, state IS NOT NULL AS holds
  FROM subsidy.audit_log WHERE detail ~ 'renamed' ORDER BY region, seq;
:findings
-- the same role, in the same region
SELECT staff, region FROM subsidy.staff_region WHERE staff::text LIKE 'regress\_rr\_%' ORDER BY 1;
-- a rename in a transaction rolled back logs nothing
BEGIN;
ALTER ROLE regress_rr_hrss_cc RENAME TO regress_rr_hrss_x;
ROLLBACK;
SELECT count(*) AS entries_of_the_rollback FROM subsidy.audit_log WHERE detail ~ 'regress_rr_hrss_x';

-- A staff row put in with the triggers off is not made good by a rename: it stays a finding.
SET session_replication_role = replica;
INSERT INTO subsidy.staff_region (staff, region) VALUES ('regress_rr_other', '220300');
RESET session_replication_role;
ALTER ROLE regress_rr_other RENAME TO regress_rr_other2;
:findings
SELECT count(*) AS entries_for_the_forged_row FROM subsidy.audit_log WHERE detail ~ 'regress_rr_other';

-- Renamed in another database: this one did not see it, and says so ...
\c postgres
ALTER ROLE regress_rr_far RENAME TO regress_rr_far2;
\c :regression_db
:findings
-- ... until a superuser logs it here.  Only a superuser; only a role renamed from that name.
SET ROLE regress_rr_hrss_cc;
SELECT subsidy.log_role_renamed('regress_rr_far2', 'regress_rr_far');
RESET ROLE;
SELECT subsidy.log_role_renamed('regress_rr_far2', 'regress_rr_far2');
SELECT subsidy.log_role_renamed('regress_rr_far2', 'regress_rr_far') AS rows_logged;
:findings
-- once logged, nothing is left to log
SELECT subsidy.log_role_renamed('regress_rr_far2', 'regress_rr_far') AS rows_logged_again;

-- The rows removed (logged) and the roles dropped, as a DBA retiring staff would.
SET session_replication_role = replica;
DELETE FROM subsidy.staff_region WHERE staff = 'regress_rr_other2'::regrole;
RESET session_replication_role;
DELETE FROM subsidy.staff_relation WHERE staff::text LIKE 'regress\_rr\_%';
DELETE FROM subsidy.staff_region WHERE staff::text LIKE 'regress\_rr\_%';
DROP ROLE regress_rr_hrss_cc, regress_rr_other2, regress_rr_far2;
:findings
