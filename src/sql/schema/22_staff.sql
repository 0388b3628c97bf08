--
-- Who acts where: the roles of DOMAIN section 2, and the pooling regions of each
--

-- The roles of DOMAIN section 2. Roles belong to the cluster: they are created once, kept
-- when the extension is dropped from one database, and found again by the next install.
DO $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT * FROM (VALUES
    ('subsidy_applicant', 'subsidy: the online system acting for enterprises, or a counter clerk: drafts, submits, withdraws'),
    ('subsidy_agency', 'subsidy: the social-insurance agency (社保经办): confirms premiums and insured persons, pays, reports upward'),
    ('subsidy_hrss', 'subsidy: human resources and social security (人社): reviews layoffs, decides with the others, publishes, handles objections'),
    ('subsidy_finance', 'subsidy: finance (财政): reviews financial management and the use of last year''s subsidy'),
    ('subsidy_reader', 'subsidy: read-only reports (ODBC tools); no bank accounts or personal contacts'),
    ('subsidy_admin', 'subsidy: the provincial DBA: parameters, calendar, regions, annual procedures; sees all regions')
  ) AS v(name, description) LOOP
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = r.name) THEN
      EXECUTE pg_catalog.format('CREATE ROLE %I NOLOGIN', r.name);
    END IF;
    EXECUTE pg_catalog.format('COMMENT ON ROLE %I IS %L', r.name, r.description);
  END LOOP;
END
$$;

-- Which staff act in which pooling regions; a row for a province covers its pools.  Staff are
-- kept by role oid (regrole): a row naming a role dropped since matches nobody, and stops
-- nobody; pg_dump writes the role's name.
CREATE TABLE subsidy.staff_region (
  staff regrole NOT NULL,
  region text NOT NULL REFERENCES subsidy.region (code),
  PRIMARY KEY (staff, region)
);
COMMENT ON TABLE subsidy.staff_region IS
  'the pooling regions each role acts in (a login role, or a group role its members inherit); a province''s code covers its pools; subsidy_admin sees all';
COMMENT ON COLUMN subsidy.staff_region.staff IS 'a role (a login, or a group role its members inherit), by name';
COMMENT ON COLUMN subsidy.staff_region.region IS 'a pooling region, or a province for all of its pools';
