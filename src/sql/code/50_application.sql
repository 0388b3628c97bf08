-- An application takes its enterprise's facts for the year, and its region if none is given.
CREATE FUNCTION subsidy.application_take_facts() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  f subsidy.enterprise_year;
BEGIN
  IF subsidy.restoring() THEN
    RETURN NEW;   -- a dump keeps the facts as they were
  END IF;
  IF NEW.region IS NULL THEN
    NEW.region := (SELECT e.region FROM subsidy.enterprise e WHERE e.uscc OPERATOR(subsidy.=) NEW.uscc);
  END IF;
  SELECT * INTO f FROM subsidy.enterprise_year y
   WHERE y.uscc OPERATOR(subsidy.=) NEW.uscc AND y.year = NEW.year;
  IF FOUND THEN
    NEW.decapacity := coalesce(f.decapacity, NEW.decapacity);
    NEW.key_supported := coalesce(f.key_supported, NEW.key_supported);
    NEW.zombie := coalesce(f.zombie, NEW.zombie);
    NEW.monitored := coalesce(f.monitored, NEW.monitored);
    NEW.firm_size := coalesce(f.firm_size, NEW.firm_size);
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION subsidy.application_take_facts() IS
  'trigger: a new application takes its enterprise''s region and its facts for the year from enterprise_year';
CREATE TRIGGER application_facts BEFORE INSERT ON subsidy.application
  FOR EACH ROW EXECUTE FUNCTION subsidy.application_take_facts();

-- A list updated before the decision reaches the applications; after it, figures are frozen (A6).
CREATE FUNCTION subsidy.enterprise_year_to_applications() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF subsidy.restoring() THEN
    RETURN NULL;
  END IF;
  UPDATE subsidy.application a
     SET decapacity = coalesce(NEW.decapacity, a.decapacity),
         key_supported = coalesce(NEW.key_supported, a.key_supported),
         zombie = coalesce(NEW.zombie, a.zombie),
         monitored = coalesce(NEW.monitored, a.monitored),
         firm_size = coalesce(NEW.firm_size, a.firm_size)
   WHERE a.uscc OPERATOR(subsidy.=) NEW.uscc AND a.year = NEW.year
     AND a.stage IN ('draft', 'submitted', 'in_review')
     AND (a.decapacity, a.key_supported, a.zombie, a.monitored, a.firm_size)
         IS DISTINCT FROM (coalesce(NEW.decapacity, a.decapacity), coalesce(NEW.key_supported, a.key_supported),
                           coalesce(NEW.zombie, a.zombie), coalesce(NEW.monitored, a.monitored),
                           coalesce(NEW.firm_size, a.firm_size));
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION subsidy.enterprise_year_to_applications() IS
  'trigger: facts of a year''s lists reach that year''s applications that are not yet decided';
CREATE TRIGGER enterprise_year_to_applications AFTER INSERT OR UPDATE ON subsidy.enterprise_year
  FOR EACH ROW EXECUTE FUNCTION subsidy.enterprise_year_to_applications();
