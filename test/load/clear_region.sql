-- pgbench script of the load suite (test/load/run.sh): hrss clears a region's whole list at once (close_publicity, W5).
-- Variables from run.sh: t0 (pgbench's start, epoch seconds), day_seconds, maxid.
\set pool random(1, 4)
BEGIN;
SELECT load.clock(:t0, :day_seconds);
SET LOCAL ROLE load_hrss_:pool;
SELECT load.clear_region(:pool);
END;
