-- pgbench script of the load suite (test/load/run.sh): hrss records an objection during publicity or against a rejection, or too late (W4, W6).
-- Variables from run.sh: t0 (pgbench's start, epoch seconds), day_seconds, maxid.
\set pool random(1, 4)
\set r random(1, :maxid)
BEGIN;
SELECT load.clock(:t0, :day_seconds);
SET LOCAL ROLE load_hrss_:pool;
SELECT load.object(:pool, :r);
END;
