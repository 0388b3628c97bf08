-- pgbench script of the load suite (test/load/run.sh): the agency records a bank payment of a cleared application under a new reference (W7).
-- Variables from run.sh: t0 (pgbench's start, epoch seconds), day_seconds, maxid.
\set pool random(1, 4)
\set r random(1, :maxid)
BEGIN;
SELECT load.clock(:t0, :day_seconds);
SET LOCAL ROLE load_agency_:pool;
SELECT load.pay('pay', :pool, :r);
END;
