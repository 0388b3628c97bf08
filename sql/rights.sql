-- rights: each role its regions (row-level security through staff_region), readers no bank
-- or personal details, the audit log closed to all, roles shared by the cluster (section 2).
SET search_path = public, subsidy;
SET datestyle = 'ISO, YMD';

-- Two regions' staff see and change only their own regions' rows.
SET ROLE regress_cc_hrss;
SELECT region, count(*) FROM application WHERE year = 2020 GROUP BY region ORDER BY region;
SELECT region, count(*) FROM enterprise WHERE region IN ('220100', '220200') GROUP BY region ORDER BY region;
SELECT count(*) AS their_sign_offs FROM sign_off s JOIN application a ON a.id = s.application_id WHERE a.region <> '220100';
SELECT DISTINCT region FROM audit_log ORDER BY region;
SET ROLE regress_jl_hrss;
SELECT region, count(*) FROM application WHERE year = 2020 GROUP BY region ORDER BY region;
SELECT DISTINCT region FROM audit_log ORDER BY region;
SELECT region, position FROM review_queue;
-- a row of another region cannot be touched, nor one moved into it
UPDATE application SET confirmed_layoffs = 0 WHERE region = '220100';
SELECT * FROM start_review('220100', 2020);
SELECT id, stage FROM decide((SELECT min(id) FROM application WHERE year = 2020));
SET ROLE regress_cc_applicant;
UPDATE application SET region = '220200' WHERE year = 2020 AND stage = 'draft';
INSERT INTO application (year, uscc, region) VALUES (2020, '91220101MA0Y3PXK6M', '220200');
-- a province's code covers its pools
RESET ROLE;
INSERT INTO staff_region VALUES ('regress_jl_hrss', '220000');
SET ROLE regress_jl_hrss;
SELECT region, count(*) FROM application WHERE year = 2020 GROUP BY region ORDER BY region;
RESET ROLE;
DELETE FROM staff_region WHERE staff = 'regress_jl_hrss'::regrole AND region = '220000';
-- the DBA sees every region
SET ROLE regress_dba;
SELECT region, count(*) FROM application WHERE year = 2020 GROUP BY region ORDER BY region;

-- Readers: their regions' figures, no bank account or contact, nothing written.
SET ROLE regress_cc_reader;
SELECT uscc, name, region FROM enterprise WHERE uscc = '91220101MA0Y3PXK6M';
SELECT bank_account FROM enterprise;
SELECT contact_person, contact_phone FROM enterprise;
SELECT * FROM shared_bank_account;
SELECT region, stage, count(*) FROM application WHERE year = 2020 GROUP BY 1, 2 ORDER BY 1, 2;
UPDATE application SET stage = 'paid';
INSERT INTO application (year, uscc) VALUES (2020, '91220101MA0Y3PXK6M');
SELECT * FROM sign_off((SELECT min(id) FROM application WHERE year = 2020), 'hrss', true);
CALL assess_year(2020);

-- hrss assesses the year (README, the annual cycle: 4 assess, hrss or the DBA), in its own
-- regions only (the sixth tester's F1: it was refused a table lock only the DBA may take).
SET ROLE regress_cc_hrss;
CALL assess_year(2020, '220100');
CALL assess_year(2020);
CALL assess_year(2020, '220200');
SELECT a.region, count(*) AS assessed FROM application_assessment s JOIN application a ON a.id = s.application_id
 WHERE a.year = 2020 GROUP BY a.region ORDER BY a.region;

-- The audit log: no role inserts, updates, deletes or truncates it, its owner included.
RESET ROLE;
INSERT INTO audit_log (region, seq, at, actor, acting_role, action, prev_hash, hash)
VALUES ('220100', 9999, now(), 'x', 'x', 'transition', '\x00', '\x00');
UPDATE audit_log SET detail = 'edited';
DELETE FROM audit_log;
TRUNCATE audit_log;
SET ROLE regress_dba;
UPDATE audit_log SET detail = 'edited';
SELECT has_table_privilege('subsidy.audit_log', 'INSERT') AS dba_may_insert,
       has_table_privilege('subsidy.audit_log', 'UPDATE') AS dba_may_update;
RESET ROLE;

-- The business date is the superuser's to set: no clerk moves publicity forward.
SET ROLE regress_cc_hrss;
SET subsidy.today = '2030-01-01';
SELECT today() = (now() AT TIME ZONE INTERVAL '+08:00')::date AS still_today;
RESET ROLE;

-- Roles belong to the cluster: a second database installs the extension beside this one, and
-- dropping it there leaves this one working.
\set regression_db :DBNAME
CREATE DATABASE subsidy_second_db TEMPLATE template0;
\c subsidy_second_db
CREATE EXTENSION subsidy;
SELECT count(*) AS roles FROM pg_roles WHERE rolname LIKE 'subsidy\_%';
SELECT has_schema_privilege('subsidy_reader', 'subsidy', 'USAGE') AS reader_can_use;
DROP EXTENSION subsidy;
DROP SCHEMA subsidy;
\c :regression_db
DROP DATABASE subsidy_second_db;
SET search_path = public, subsidy;
SELECT count(*) AS roles_still_there FROM pg_roles WHERE rolname LIKE 'subsidy\_%';
SET ROLE regress_cc_hrss;
SELECT count(*) > 0 AS still_works FROM application WHERE year = 2020;
RESET ROLE;
