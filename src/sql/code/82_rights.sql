--
-- Rights: each role its own steps (section 2), each staff member its own regions
-- (row-level security through staff_region), readers no bank or personal details.
--

-- Reference data: everyone reads; the DBA writes; hrss opens years and loads its region's
-- facts for the regions it acts in.
GRANT SELECT ON subsidy.region, subsidy.region_basis_year, subsidy.application_window,
  subsidy.policy_year, subsidy.policy_region, subsidy.policy_in_force, subsidy.calendar,
  subsidy.calendar_in_force, subsidy.rule, subsidy.fact, subsidy.required_document,
  subsidy.policy_snapshot
  TO subsidy_applicant, subsidy_agency, subsidy_hrss, subsidy_finance, subsidy_reader, subsidy_admin;
GRANT INSERT, UPDATE, DELETE ON subsidy.region, subsidy.region_basis_year, subsidy.application_window,
  subsidy.policy_year, subsidy.policy_region, subsidy.calendar, subsidy.required_document,
  subsidy.staff_region, subsidy.staff_relation
  TO subsidy_admin;
GRANT INSERT, UPDATE ON subsidy.region_basis_year, subsidy.application_window TO subsidy_hrss;
GRANT SELECT ON subsidy.staff_region, subsidy.staff_relation TO subsidy_hrss, subsidy_admin;

ALTER TABLE subsidy.region_basis_year ENABLE ROW LEVEL SECURITY;
CREATE POLICY read_all ON subsidy.region_basis_year FOR SELECT USING (true);
CREATE POLICY write_own_regions ON subsidy.region_basis_year FOR ALL
  USING (((SELECT subsidy.sees_every_region(current_user)) OR region = ANY ((SELECT subsidy.regions_of(current_user))::text[])));
ALTER TABLE subsidy.application_window ENABLE ROW LEVEL SECURITY;
CREATE POLICY read_all ON subsidy.application_window FOR SELECT USING (true);
CREATE POLICY write_own_regions ON subsidy.application_window FOR ALL
  USING (((SELECT subsidy.sees_every_region(current_user)) OR region = ANY ((SELECT subsidy.regions_of(current_user))::text[])));

-- Enterprises: readers see no bank account or contact person.
GRANT SELECT (uscc, name, region) ON subsidy.enterprise TO subsidy_reader;
GRANT SELECT ON subsidy.enterprise TO subsidy_applicant, subsidy_agency, subsidy_hrss, subsidy_finance, subsidy_admin;
GRANT INSERT, UPDATE ON subsidy.enterprise TO subsidy_applicant, subsidy_hrss, subsidy_admin;
GRANT SELECT ON subsidy.enterprise_year TO subsidy_applicant, subsidy_agency, subsidy_hrss, subsidy_finance,
  subsidy_reader, subsidy_admin;
GRANT INSERT, UPDATE ON subsidy.enterprise_year TO subsidy_hrss, subsidy_admin;
ALTER TABLE subsidy.enterprise ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_regions ON subsidy.enterprise
  USING (((SELECT subsidy.sees_every_region(current_user)) OR region = ANY ((SELECT subsidy.regions_of(current_user))::text[])));
ALTER TABLE subsidy.enterprise_year ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_regions ON subsidy.enterprise_year
  USING (EXISTS (SELECT FROM subsidy.enterprise e WHERE e.uscc OPERATOR(subsidy.=) enterprise_year.uscc));

-- Applications: everyone with a part reads them; the stage guard says who changes what.
GRANT SELECT ON subsidy.application, subsidy.application_verdict, subsidy.application_assessment,
  subsidy.figure_difference, subsidy.review_queue
  TO subsidy_applicant, subsidy_agency, subsidy_hrss, subsidy_finance, subsidy_reader, subsidy_admin;
GRANT INSERT, DELETE ON subsidy.application TO subsidy_applicant, subsidy_hrss, subsidy_admin;
GRANT UPDATE ON subsidy.application TO subsidy_applicant, subsidy_agency, subsidy_hrss, subsidy_finance, subsidy_admin;
GRANT USAGE ON SEQUENCE subsidy.application_id_seq TO subsidy_applicant, subsidy_hrss, subsidy_admin;
GRANT INSERT, UPDATE ON subsidy.application_verdict, subsidy.policy_snapshot TO subsidy_hrss, subsidy_admin;
GRANT USAGE ON SEQUENCE subsidy.policy_snapshot_id_seq TO subsidy_hrss, subsidy_admin;
ALTER TABLE subsidy.application ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_regions ON subsidy.application
  USING (((SELECT subsidy.sees_every_region(current_user)) OR region = ANY ((SELECT subsidy.regions_of(current_user))::text[])));
ALTER TABLE subsidy.application_verdict ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_regions ON subsidy.application_verdict
  USING (EXISTS (SELECT FROM subsidy.application a WHERE a.id = application_verdict.application_id));

-- The review's records: read by all with a part, written by the agency whose step it is.
GRANT SELECT ON subsidy.sign_off, subsidy.publicity, subsidy.objection, subsidy.report_batch,
  subsidy.spot_check_draw, subsidy.spot_check_item, subsidy.audit_log, subsidy.audit_head,
  subsidy.shared_bank_account
  TO subsidy_agency, subsidy_hrss, subsidy_finance, subsidy_admin;
GRANT SELECT ON subsidy.sign_off, subsidy.publicity, subsidy.objection, subsidy.report_batch,
  subsidy.spot_check_draw, subsidy.spot_check_item, subsidy.audit_log, subsidy.audit_head
  TO subsidy_reader, subsidy_applicant;
GRANT INSERT, UPDATE ON subsidy.sign_off TO subsidy_hrss, subsidy_agency, subsidy_finance;
GRANT INSERT ON subsidy.publicity, subsidy.spot_check_draw, subsidy.spot_check_item TO subsidy_hrss;
GRANT INSERT, UPDATE ON subsidy.objection TO subsidy_hrss;
GRANT UPDATE ON subsidy.spot_check_item TO subsidy_hrss;
GRANT INSERT ON subsidy.report_batch TO subsidy_agency;
GRANT USAGE ON SEQUENCE subsidy.publicity_id_seq, subsidy.objection_id_seq, subsidy.spot_check_draw_id_seq
  TO subsidy_hrss;
GRANT USAGE ON SEQUENCE subsidy.report_batch_id_seq TO subsidy_agency;

ALTER TABLE subsidy.sign_off ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_regions ON subsidy.sign_off
  USING (EXISTS (SELECT FROM subsidy.application a WHERE a.id = sign_off.application_id));
ALTER TABLE subsidy.objection ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_regions ON subsidy.objection
  USING (EXISTS (SELECT FROM subsidy.application a WHERE a.id = objection.application_id));
ALTER TABLE subsidy.spot_check_item ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_regions ON subsidy.spot_check_item
  USING (EXISTS (SELECT FROM subsidy.application a WHERE a.id = spot_check_item.application_id));
ALTER TABLE subsidy.publicity ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_regions ON subsidy.publicity
  USING (((SELECT subsidy.sees_every_region(current_user)) OR region = ANY ((SELECT subsidy.regions_of(current_user))::text[])));
ALTER TABLE subsidy.report_batch ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_regions ON subsidy.report_batch
  USING (((SELECT subsidy.sees_every_region(current_user)) OR region = ANY ((SELECT subsidy.regions_of(current_user))::text[])));
ALTER TABLE subsidy.spot_check_draw ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_regions ON subsidy.spot_check_draw
  USING (((SELECT subsidy.sees_every_region(current_user)) OR region = ANY ((SELECT subsidy.regions_of(current_user))::text[])));
ALTER TABLE subsidy.audit_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_regions ON subsidy.audit_log FOR SELECT
  USING (((SELECT subsidy.sees_every_region(current_user)) OR region = ANY ((SELECT subsidy.regions_of(current_user))::text[])));

-- The DBA's annual procedures and the year's runs.
REVOKE EXECUTE ON PROCEDURE subsidy.assess_year(integer, text, integer) FROM PUBLIC;
GRANT EXECUTE ON PROCEDURE subsidy.assess_year(integer, text, integer) TO subsidy_hrss, subsidy_admin;
