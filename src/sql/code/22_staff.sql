GRANT USAGE ON SCHEMA subsidy TO subsidy_applicant, subsidy_agency, subsidy_hrss, subsidy_finance,
  subsidy_reader, subsidy_admin;

-- Whether a role acts in every region: the DBA's role (and a superuser).  Views and policies
-- ask this first, once per query, so that the DBA's reports skip the per-row region test.
CREATE FUNCTION subsidy.sees_every_region(role_name name) RETURNS boolean
LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  SELECT pg_catalog.pg_has_role(role_name, 'subsidy_admin', 'USAGE')
$$;
COMMENT ON FUNCTION subsidy.sees_every_region(name) IS
  'whether a role acts in every pooling region (subsidy_admin, or a superuser)';

-- The regions a role acts in. SECURITY DEFINER so that it reads staff_region whatever the
-- caller may read; it takes the role as an argument because inside it current_user is the
-- owner.
CREATE FUNCTION subsidy.regions_of(role_name name) RETURNS text[]
LANGUAGE sql STABLE STRICT SECURITY DEFINER PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  SELECT CASE
    WHEN subsidy.sees_every_region(role_name)
      THEN (SELECT pg_catalog.array_agg(r.code) FROM subsidy.region r)
    ELSE coalesce((SELECT pg_catalog.array_agg(DISTINCT r.code)
                     FROM subsidy.staff_region s
                     JOIN subsidy.region r ON r.code = s.region OR r.parent = s.region
                    WHERE pg_catalog.pg_has_role(role_name, s.staff, 'USAGE')), '{}')
  END
$$;
COMMENT ON FUNCTION subsidy.regions_of(name) IS
  'the pooling regions a role acts in, by staff_region (all of them for subsidy_admin); row-level security uses it';
