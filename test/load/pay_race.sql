-- pgbench script of the load suite (test/load/run.sh): the agency clerks of pools 1 and 2
-- pay the first cleared application of their pool's list, so that clerks running this script
-- at once pay the same application: one payment goes through, the others are refused (W7).
-- Half of them work in REPEATABLE READ, where the loser gets a serialization failure that
-- pgbench retries (--max-tries) and then finds the next one on the list.
-- Variables from run.sh: t0 (pgbench's start, epoch seconds), day_seconds, maxid.
\set pool random(1, 2)
\set rr random(0, 1)
\if :rr
BEGIN ISOLATION LEVEL REPEATABLE READ;
\else
BEGIN;
\endif
SELECT load.clock(:t0, :day_seconds);
SET LOCAL ROLE load_agency_:pool;
SELECT load.pay('race', :pool, 0);
END;
