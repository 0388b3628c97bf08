-- pgbench script of the load suite (test/load/run.sh): the agency (社保经办) of a pool confirms what is missing of its part and signs off (W3).
-- Variables from run.sh: t0 (pgbench's start, epoch seconds), day_seconds, maxid.
\set pool random(1, 4)
\set r random(1, :maxid)
BEGIN;
SELECT load.clock(:t0, :day_seconds);
SET LOCAL ROLE load_agency_:pool;
SELECT load.sign_off('agency', :pool, :r);
END;
