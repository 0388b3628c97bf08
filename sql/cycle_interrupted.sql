-- cycle_interrupted: each of the DBA's steps interrupted half-way (an error raised after a
-- few rows, as a cancelled statement or a lost connection would stop it), then run again:
-- the interrupted run leaves nothing half-written (or, for assess_year, whole committed
-- batches), and the second run completes the step.
\set regression_db :DBNAME
SET client_min_messages = warning;
DROP DATABASE IF EXISTS subsidy_interrupted;
RESET client_min_messages;
CREATE DATABASE subsidy_interrupted TEMPLATE template0;
\c subsidy_interrupted
SET client_min_messages = warning;
CREATE EXTENSION subsidy;
\set applications 400
\set stage in_review
\set keep 1
\set ECHO none
\o /dev/null
\i test/sample/province.sql
\o
\set ON_ERROR_STOP 0
\set ECHO all
\set VERBOSITY terse
SET datestyle = 'ISO, YMD';
SET search_path = public, subsidy;

-- The interruption: after n rows written to a table, an error.
CREATE SCHEMA interrupt;
CREATE TABLE interrupt.budget (rows_left integer);
CREATE FUNCTION interrupt.after_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE interrupt.budget SET rows_left = rows_left - 1;
  IF (SELECT rows_left FROM interrupt.budget) < 0 THEN
    RAISE EXCEPTION 'interrupted half-way through %', TG_TABLE_NAME;
  END IF;
  RETURN NULL;
END $$;
CREATE PROCEDURE interrupt.arm(t regclass, n integer) LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM interrupt.budget;
  INSERT INTO interrupt.budget VALUES (n);
  EXECUTE format('CREATE TRIGGER interrupt AFTER INSERT OR UPDATE ON %s FOR EACH ROW EXECUTE FUNCTION interrupt.after_rows()', t);
END $$;
CREATE PROCEDURE interrupt.disarm(t regclass) LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('DROP TRIGGER interrupt ON %s', t);
END $$;
CREATE VIEW interrupt.stages AS
SELECT string_agg(stage || ' ' || n, ', ' ORDER BY stage) AS stages
  FROM (SELECT stage::text, count(*) AS n FROM application GROUP BY stage) s;

-- open_year: interrupted after 3 windows, nothing opened; again: every pool.
CALL interrupt.arm('application_window', 3);
CALL open_year(2020);
CALL interrupt.disarm('application_window');
SELECT count(*) AS windows_2020 FROM application_window WHERE year = 2020;
CALL open_year(2020);
SELECT count(*) AS windows_2020 FROM application_window WHERE year = 2020;

-- assess_year: interrupted in its third batch, the first two kept; again: all of them.
CALL interrupt.arm('application_verdict', 250);
CALL assess_year(2019, NULL, 100);
CALL interrupt.disarm('application_verdict');
SELECT count(*) AS verdicts_kept FROM application_verdict;
CALL assess_year(2019, NULL, 100);
SELECT count(*) = (SELECT count(*) FROM application WHERE stage = 'in_review') AS every_application_assessed
  FROM application_verdict;

-- The decisions (the parties' own steps, not interrupted here).
\set ECHO none
\o /dev/null
\i test/sample/steps/06_decide.sql
\o
\set ON_ERROR_STOP 0
\set ECHO all
SELECT stages FROM interrupt.stages;

-- start_publicity: interrupted after 50 applications, nothing published; again: every pool.
SET subsidy.today = '2019-07-01';
CALL interrupt.arm('application', 50);
SELECT count(*) FROM start_publicity(2019, '2019-07-01');
CALL interrupt.disarm('application');
SELECT stages, (SELECT count(*) FROM publicity) AS publicity_periods FROM interrupt.stages;
SELECT count(*) AS pools_published, sum(applications) AS published FROM start_publicity(2019, '2019-07-01');

-- close_publicity: the same.
SET subsidy.today = '2019-07-10';
CALL interrupt.arm('application', 50);
SELECT count(*) FROM close_publicity(2019);
CALL interrupt.disarm('application');
SELECT stages FROM interrupt.stages;
SELECT sum(cleared) AS cleared FROM close_publicity(2019);

-- pay_batch: interrupted after 50 payments, nothing paid and no record applied; again: all.
SET subsidy.today = '2019-07-20';
SET subsidy.payment_batch = '2019-interrupted';
INSERT INTO payment_file_load (uscc, year, amount, paid_on, reference)
SELECT uscc, year, decided_amount, '2019-07-18', 'INT-' || id FROM application WHERE stage = 'cleared';
CALL interrupt.arm('application', 50);
CALL pay_batch('2019-interrupted');
CALL interrupt.disarm('application');
SELECT stages, (SELECT count(*) FROM payment_file WHERE applied_at IS NOT NULL) AS records_applied FROM interrupt.stages;
CALL pay_batch('2019-interrupted');
SELECT stages, (SELECT count(*) FILTER (WHERE applied_at IS NULL) FROM payment_file) AS records_not_applied FROM interrupt.stages;

-- report_upward: the same (once the agency has reported the payment times, W8).
SET subsidy.today = '2019-07-25';
SELECT count(*) AS pools, sum(payments) AS payment_times FROM report_payment_times(2019);
CALL interrupt.arm('application', 50);
SELECT count(*) FROM report_upward(2019, 'NATIONAL-2019');
CALL interrupt.disarm('application');
SELECT stages, (SELECT count(*) FROM report_batch) AS report_batches FROM interrupt.stages;
SELECT count(*) AS report_batches, sum(payments) AS reported FROM report_upward(2019, 'NATIONAL-2019');

-- freeze_annual_report: interrupted after 5 rows, nothing frozen; again: every row.
CALL interrupt.arm('annual_report_frozen', 5);
CALL freeze_annual_report(2019);
CALL interrupt.disarm('annual_report_frozen');
SELECT count(*) AS frozen_rows FROM annual_report_frozen;
CALL freeze_annual_report(2019);
SELECT count(*) AS frozen_rows FROM annual_report_frozen;

-- close_year: interrupted at its only write, not closed; again: closed.
CALL interrupt.arm('closed_year', 0);
CALL close_year(2019);
CALL interrupt.disarm('closed_year');
SELECT count(*) AS closed FROM closed_year;
CALL close_year(2019);
SELECT count(*) AS closed FROM closed_year;

-- After all the interruptions, every stage is explained by its trail.
SELECT count(*) AS audit_problems FROM verify_audit();

\c :regression_db
DROP DATABASE subsidy_interrupted;
