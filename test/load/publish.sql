-- pgbench script of the load suite (test/load/run.sh): hrss publishes a region's approved decisions from today (W5), one statement for the whole list.
-- Variables from run.sh: t0 (pgbench's start, epoch seconds), day_seconds, maxid.
\set pool random(1, 4)
BEGIN;
SELECT load.clock(:t0, :day_seconds);
SET LOCAL ROLE load_hrss_:pool;
SELECT load.publish(:pool);
END;
