--
-- Enterprises: a bank account is stored as one string however it was typed (section 11, W7).
CREATE FUNCTION subsidy.bank_account_normal(text) RETURNS text
  AS 'MODULE_PATHNAME', 'bank_account_normal_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION subsidy.bank_account_normal(text) IS
  'a bank account as stored: NFKC (full-width digits to ASCII), without spaces, dashes and invisible characters, letters in capitals; anything but Latin letters and digits left is an error';
CREATE FUNCTION subsidy.enterprise_account_normal() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF TG_RELID <> 'subsidy.enterprise'::regclass OR TG_WHEN <> 'BEFORE' OR TG_LEVEL <> 'ROW' THEN
    PERFORM subsidy.raise('trigger_misuse', 'enterprise_account_normal', TG_TABLE_NAME);
  END IF;
  IF NOT subsidy.restoring() THEN
    NEW.bank_account := subsidy.bank_account_normal(NEW.bank_account);
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION subsidy.enterprise_account_normal() IS
  'trigger: an enterprise''s bank account is stored as subsidy.bank_account_normal writes it, so that one account typed two ways is one account (shared_bank_account, W7)';
CREATE TRIGGER enterprise_account_normal BEFORE INSERT OR UPDATE OF bank_account ON subsidy.enterprise
  FOR EACH ROW EXECUTE FUNCTION subsidy.enterprise_account_normal();

-- Applications: what the year's lists say of an enterprise reaches its application until the
-- decision (the application guard, workflow.c, takes them when the application is filed).
--

-- A list updated before the decision reaches the applications; after it, figures are frozen (A6).
CREATE FUNCTION subsidy.enterprise_year_to_applications() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF TG_RELID <> 'subsidy.enterprise_year'::regclass OR TG_WHEN <> 'AFTER' OR TG_LEVEL <> 'ROW' THEN
    PERFORM subsidy.raise('trigger_misuse', 'enterprise_year_to_applications', TG_TABLE_NAME);
  END IF;
  IF subsidy.restoring() THEN
    RETURN NULL;
  END IF;
  UPDATE subsidy.application a
     SET decapacity = coalesce(NEW.decapacity, a.decapacity),
         key_supported = coalesce(NEW.key_supported, a.key_supported),
         zombie = coalesce(NEW.zombie, a.zombie),
         monitored = coalesce(NEW.monitored, a.monitored),
         firm_size = coalesce(NEW.firm_size, a.firm_size),
         serious_dishonesty = coalesce(NEW.serious_dishonesty, a.serious_dishonesty),
         unit_kind = coalesce(NEW.unit_kind, a.unit_kind)
   WHERE a.uscc OPERATOR(subsidy.=) NEW.uscc AND a.year = NEW.year
     AND a.stage IN ('draft', 'screened', 'submitted', 'in_review')
     AND (a.decapacity, a.key_supported, a.zombie, a.monitored, a.firm_size, a.serious_dishonesty, a.unit_kind)
         IS DISTINCT FROM (coalesce(NEW.decapacity, a.decapacity), coalesce(NEW.key_supported, a.key_supported),
                           coalesce(NEW.zombie, a.zombie), coalesce(NEW.monitored, a.monitored),
                           coalesce(NEW.firm_size, a.firm_size),
                           coalesce(NEW.serious_dishonesty, a.serious_dishonesty),
                           coalesce(NEW.unit_kind, a.unit_kind));
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION subsidy.enterprise_year_to_applications() IS
  'trigger: facts of a year''s lists reach that year''s applications that are not yet decided';
CREATE TRIGGER enterprise_year_to_applications AFTER INSERT OR UPDATE ON subsidy.enterprise_year
  FOR EACH ROW EXECUTE FUNCTION subsidy.enterprise_year_to_applications();
