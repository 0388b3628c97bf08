-- pgbench script of the load suite (test/load/run.sh): hrss clears an application whose publicity ended (W5).
-- Variables from run.sh: t0 (pgbench's start, epoch seconds), day_seconds, maxid.
\set pool random(1, 4)
\set r random(1, :maxid)
BEGIN;
SELECT load.clock(:t0, :day_seconds);
SET LOCAL ROLE load_hrss_:pool;
SELECT load.clear(:pool, :r);
END;
