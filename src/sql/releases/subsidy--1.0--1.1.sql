-- subsidy 1.0 -> 1.1 (ALTER EXTENSION subsidy UPDATE TO '1.1')
\echo Use "ALTER EXTENSION subsidy UPDATE TO '1.1'" to load this file. \quit

-- 1.1: one application's trail, as a clerk answers an enterprise that asks where its
-- application stands and who did what (W9), and the index that makes it quick.
CREATE INDEX audit_log_application ON subsidy.audit_log (application_id);

CREATE FUNCTION subsidy.application_history(p_id bigint)
RETURNS TABLE (at timestamptz, actor text, acting_role text, action text, from_stage text, to_stage text,
               detail text, figures json)
LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  SELECT l.at, l.actor, l.acting_role, l.action, l.from_stage, l.to_stage, l.detail, l.figures
    FROM subsidy.audit_log l
   WHERE l.application_id = p_id
     AND ((SELECT subsidy.sees_every_region(current_user))
          OR l.region = ANY ((SELECT subsidy.regions_of(current_user))::text[]))
   ORDER BY l.region, l.seq
$$;
COMMENT ON FUNCTION subsidy.application_history(bigint) IS
  'W9: the trail of one application, step by step (who, when, from, to, why, the figures then), in the caller''s regions (since 1.1)';

-- 1.1: a local region may name a local parent restored after it (pg_dump loads a table's
-- rows in its own order).
ALTER TABLE subsidy.region ALTER CONSTRAINT region_parent_fkey DEFERRABLE INITIALLY DEFERRED;

-- 1.1: the category's name compares with pg_catalog's operator whatever the caller's
-- search_path (the function is inlined into the caller's query).
CREATE OR REPLACE FUNCTION subsidy.category_name(rule text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN rule OPERATOR(pg_catalog.=) 'A1' THEN '一般企业（按实缴）'
              WHEN rule OPERATOR(pg_catalog.=) 'A2' THEN '去产能企业（按应缴）'
              WHEN rule OPERATOR(pg_catalog.=) 'A3' THEN '延期缴费企业（按应缴）' END
$$;
