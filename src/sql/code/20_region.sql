CREATE FUNCTION subsidy.protect_shipped_rows() RETURNS trigger
  AS 'MODULE_PATHNAME' LANGUAGE C;
COMMENT ON FUNCTION subsidy.protect_shipped_rows() IS
  'trigger: rows with origin ''extension'' are written only by the extension''s own scripts';
CREATE TRIGGER region_protect_shipped BEFORE INSERT OR UPDATE OR DELETE ON subsidy.region
  FOR EACH ROW EXECUTE FUNCTION subsidy.protect_shipped_rows();
CREATE TRIGGER region_basis_year_protect_shipped BEFORE INSERT OR UPDATE OR DELETE ON subsidy.region_basis_year
  FOR EACH ROW EXECUTE FUNCTION subsidy.protect_shipped_rows();
