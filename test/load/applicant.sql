-- pgbench script of the load suite (test/load/run.sh): applicants after the window: late submissions (W2), second applications (E9, 23505), withdrawals in review (W1).
-- Variables from run.sh: t0 (pgbench's start, epoch seconds), day_seconds, maxid.
\set pool random(1, 4)
\set r random(1, :maxid)
BEGIN;
SELECT load.clock(:t0, :day_seconds);
SET LOCAL ROLE load_applicant_:pool;
SELECT load.applicant(:pool, :r);
END;
