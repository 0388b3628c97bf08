-- pgbench script of the load suite (test/load/run.sh): the agency loads a bank file of five payments and applies it, all or nothing (pay_batch).
-- Variables from run.sh: t0 (pgbench's start, epoch seconds), day_seconds, maxid.
\set pool random(1, 4)
\set r random(1, :maxid)
BEGIN;
SELECT load.clock(:t0, :day_seconds);
SET LOCAL ROLE load_agency_:pool;
SELECT load.pay_batch(:pool, :r);
END;
