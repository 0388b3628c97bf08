-- pgbench script of the load suite (test/load/run.sh): the agency types a payment reference that is used already (W7: refused, or 23505 when two type it at once).
-- Variables from run.sh: t0 (pgbench's start, epoch seconds), day_seconds, maxid.
\set pool random(1, 4)
\set r random(1, :maxid)
BEGIN;
SELECT load.clock(:t0, :day_seconds);
SET LOCAL ROLE load_agency_:pool;
SELECT load.pay('reuse', :pool, :r);
END;
