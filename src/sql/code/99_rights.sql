--
-- Rights (DOMAIN sections 2 and 11), every one deliberate: test privileges compares what the
-- catalog grants with its declared matrix.
--
-- - Nothing is PUBLIC's but the pure functions of the types (the code, the verdict, capitals)
--   and of the reports' words (names of industries, steps and reasons; a paper's dates and
--   layout), and what tells a login with no role which role reads reports (the reports
--   schema's names, report_access, annual_report).
-- - Each role reads what its part needs and writes only through its steps; row-level security
--   keeps every role to the pooling regions it acts in (staff_region), on tables and, since
--   every view applies the caller's own policies (security_invoker), through every view.
-- - Trigger functions are no role's to call: they fire as their tables' triggers.
-- - The reader sees no bank account or contact, and writes nothing.
--

REVOKE ALL ON ALL ROUTINES IN SCHEMA subsidy FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
  subsidy.uscc_in(cstring), subsidy.uscc_out(subsidy.uscc), subsidy.uscc_recv(internal), subsidy.uscc_send(subsidy.uscc),
  subsidy.uscc(text), subsidy.text(subsidy.uscc), subsidy.uscc_eq(subsidy.uscc, subsidy.uscc),
  subsidy.uscc_ne(subsidy.uscc, subsidy.uscc), subsidy.uscc_lt(subsidy.uscc, subsidy.uscc),
  subsidy.uscc_le(subsidy.uscc, subsidy.uscc), subsidy.uscc_gt(subsidy.uscc, subsidy.uscc),
  subsidy.uscc_ge(subsidy.uscc, subsidy.uscc), subsidy.uscc_cmp(subsidy.uscc, subsidy.uscc),
  subsidy.uscc_sortsupport(internal), subsidy.uscc_hash(subsidy.uscc), subsidy.uscc_hash_extended(subsidy.uscc, bigint),
  subsidy.uscc_is_valid(text), subsidy.uscc_check_character(text), subsidy.uscc_registration_authority(subsidy.uscc),
  subsidy.uscc_organisation_type(subsidy.uscc), subsidy.uscc_division_code(subsidy.uscc),
  subsidy.uscc_organisation_code(subsidy.uscc), subsidy.uscc_organisation_code_is_valid(subsidy.uscc),
  subsidy.verdict_in(cstring), subsidy.verdict_out(subsidy.verdict), subsidy.verdict_recv(internal),
  subsidy.verdict_send(subsidy.verdict), subsidy.verdict_eq(subsidy.verdict, subsidy.verdict),
  subsidy.verdict_ne(subsidy.verdict, subsidy.verdict), subsidy.assessment(subsidy.verdict),
  subsidy.rmb_upper(numeric), subsidy.category_name(text), subsidy.says_something(text),
  subsidy.bank_account_normal(text), subsidy.row_subject(record), subsidy.row_state(record),
  subsidy.industry_name(text), subsidy.step_name(text), subsidy.step_order(text), subsidy.step_is_final(text),
  subsidy.reason_text(text[]), subsidy.report_access(),
  subsidy.display_width(text), subsidy.html_escape(text), subsidy.csv_record(text[]), subsidy.chinese_date(date),
  subsidy.render_paper(text, jsonb),
  -- IMMUTABLE in every table's policy, folded while a query is planned: a login with no role
  -- that names a report must meet report_access's refusal, not this function's
  subsidy.session_guarded()
  TO PUBLIC;

-- What every role's queries and policies call: who acts where, the business date and the
-- calendar, the engine and its explanations, the messages.
GRANT EXECUTE ON FUNCTION
  subsidy.sees_every_region(), subsidy.caller_regions(), subsidy.require_region(text), subsidy.raise(text, text[]), subsidy.message(text, text[]),
  subsidy.restoring(), subsidy.policies_in_force(),
  subsidy.today(), subsidy.is_workday(date), subsidy.add_workdays(date, integer),
  subsidy.workdays_between(date, date), subsidy.publicity_end(date, integer),
  subsidy.verdict_of_facts(integer, text, date, boolean, boolean, boolean, subsidy.firm_size, integer, integer, numeric, integer, integer, numeric, numeric, numeric, numeric, boolean, numeric, boolean, boolean, boolean, subsidy.spot_check_result, date, subsidy.unit_kind, boolean, integer, integer, numeric, boolean),
  subsidy.verdict_of_facts_under(subsidy.policy_in_force, integer, text, date, boolean, boolean, boolean, subsidy.firm_size, integer, integer, numeric, integer, integer, numeric, numeric, numeric, numeric, boolean, numeric, boolean, boolean, boolean, subsidy.spot_check_result, date, subsidy.unit_kind, boolean, integer, integer, numeric, boolean),
  subsidy.verdict_of(subsidy.application), subsidy.verdict_of(subsidy.application, subsidy.policy_in_force),
  subsidy.assess(subsidy.application), subsidy.assess(subsidy.application, subsidy.policy_in_force),
  subsidy.explain(subsidy.assessment), subsidy.explain(subsidy.verdict), subsidy.explain(subsidy.application),
  subsidy.figures_digest(subsidy.application),
  subsidy.annual_report(integer), subsidy.annual_report_changes(integer)
  TO subsidy_applicant, subsidy_agency, subsidy_hrss, subsidy_finance, subsidy_reader, subsidy_admin;

-- Reference data: every role reads it; the DBA writes it; hrss loads its regions' basis-year
-- facts and windows (row-level security: its regions only).
GRANT SELECT ON subsidy.region, subsidy.region_basis_year, subsidy.application_window, subsidy.policy_year,
  subsidy.national_target, subsidy.policy_region, subsidy.policy_in_force, subsidy.calendar, subsidy.calendar_in_force, subsidy.rule,
  subsidy.fact, subsidy.required_document, subsidy.closed_year
  TO subsidy_applicant, subsidy_agency, subsidy_hrss, subsidy_finance, subsidy_reader, subsidy_admin;
GRANT INSERT, UPDATE, DELETE ON subsidy.region, subsidy.region_basis_year, subsidy.application_window,
  subsidy.policy_year, subsidy.national_target, subsidy.policy_region, subsidy.calendar, subsidy.required_document
  TO subsidy_admin;
GRANT INSERT, UPDATE ON subsidy.region_basis_year, subsidy.application_window TO subsidy_hrss;
GRANT INSERT ON subsidy.closed_year TO subsidy_admin;
-- S1: a clerk reads the basis-year facts, window and overrides of its own regions, and the
-- facts of their province (the threshold and pooled fund some sets read); not another region's.
ALTER TABLE subsidy.region_basis_year ENABLE ROW LEVEL SECURITY;
CREATE POLICY read_own_regions ON subsidy.region_basis_year FOR SELECT
  USING (subsidy.session_guarded() AND ((SELECT subsidy.sees_every_region()) OR region = ANY ((SELECT subsidy.caller_regions())::text[])
         OR region IN (SELECT r.parent FROM subsidy.region r WHERE r.code = ANY ((SELECT subsidy.caller_regions())::text[]))));
CREATE POLICY write_own_regions ON subsidy.region_basis_year FOR ALL
  USING (subsidy.session_guarded() AND ((SELECT subsidy.sees_every_region()) OR region = ANY ((SELECT subsidy.caller_regions())::text[])));
-- The offices a region's papers name: read by every role; hrss keeps its regions', the DBA all.
GRANT SELECT ON subsidy.region_office TO subsidy_applicant, subsidy_agency, subsidy_hrss, subsidy_finance,
  subsidy_reader, subsidy_admin;
GRANT INSERT, UPDATE ON subsidy.region_office TO subsidy_hrss, subsidy_admin;
GRANT DELETE ON subsidy.region_office TO subsidy_admin;
ALTER TABLE subsidy.region_office ENABLE ROW LEVEL SECURITY;
CREATE POLICY read_all ON subsidy.region_office FOR SELECT USING (true);
CREATE POLICY write_own_regions ON subsidy.region_office FOR ALL
  USING (subsidy.session_guarded() AND ((SELECT subsidy.sees_every_region()) OR region = ANY ((SELECT subsidy.caller_regions())::text[])));
ALTER TABLE subsidy.application_window ENABLE ROW LEVEL SECURITY;
CREATE POLICY read_own_regions ON subsidy.application_window FOR SELECT
  USING (subsidy.session_guarded() AND ((SELECT subsidy.sees_every_region()) OR region = ANY ((SELECT subsidy.caller_regions())::text[])));
ALTER TABLE subsidy.policy_region ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_regions ON subsidy.policy_region
  USING (subsidy.session_guarded() AND ((SELECT subsidy.sees_every_region()) OR region = ANY ((SELECT subsidy.caller_regions())::text[])));
CREATE POLICY write_own_regions ON subsidy.application_window FOR ALL
  USING (subsidy.session_guarded() AND ((SELECT subsidy.sees_every_region()) OR region = ANY ((SELECT subsidy.caller_regions())::text[])));

-- Who acts where, and who is related to which enterprise: the DBA's alone.
GRANT SELECT, INSERT, UPDATE, DELETE ON subsidy.staff_region, subsidy.staff_relation TO subsidy_admin;

-- Enterprises: the reader sees no bank account or contact.
GRANT SELECT (uscc, name, region, industry) ON subsidy.enterprise TO subsidy_reader;
GRANT SELECT ON subsidy.enterprise TO subsidy_applicant, subsidy_agency, subsidy_hrss, subsidy_finance, subsidy_admin;
GRANT INSERT, UPDATE ON subsidy.enterprise TO subsidy_applicant, subsidy_hrss, subsidy_admin;
-- the agency registers the units its contribution records name (section 13)
GRANT INSERT ON subsidy.enterprise TO subsidy_agency;
GRANT SELECT ON subsidy.enterprise_year TO subsidy_applicant, subsidy_agency, subsidy_hrss, subsidy_finance,
  subsidy_reader, subsidy_admin;
GRANT INSERT, UPDATE ON subsidy.enterprise_year TO subsidy_hrss, subsidy_admin;
ALTER TABLE subsidy.enterprise ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_regions ON subsidy.enterprise
  USING (subsidy.session_guarded() AND ((SELECT subsidy.sees_every_region()) OR region = ANY ((SELECT subsidy.caller_regions())::text[])));
ALTER TABLE subsidy.enterprise_year ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_regions ON subsidy.enterprise_year
  USING (EXISTS (SELECT FROM subsidy.enterprise e WHERE e.uscc OPERATOR(subsidy.=) enterprise_year.uscc));

-- Applications: every role with a part reads them; the stage guard says who changes what.
-- The reader reads every column but the bank accounts a subsidy is paid into.
GRANT SELECT ON subsidy.application, subsidy.application_verdict, subsidy.application_assessment,
  subsidy.figure_difference, subsidy.policy_snapshot
  TO subsidy_applicant, subsidy_agency, subsidy_hrss, subsidy_finance, subsidy_admin;
GRANT SELECT ON subsidy.application_verdict, subsidy.application_assessment, subsidy.figure_difference,
  subsidy.policy_snapshot
  TO subsidy_reader;
DO $$
BEGIN
  EXECUTE (SELECT pg_catalog.format('GRANT SELECT (%s) ON subsidy.application TO subsidy_reader',
                                    pg_catalog.string_agg(pg_catalog.quote_ident(a.attname), ', ' ORDER BY a.attnum))
             FROM pg_catalog.pg_attribute a
            WHERE a.attrelid OPERATOR(pg_catalog.=) 'subsidy.application'::pg_catalog.regclass
              AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped
              AND a.attname OPERATOR(pg_catalog.<>) ALL (ARRAY['payment_bank_name', 'payment_bank_account',
                                                              'returned_bank_account']::pg_catalog.name[]));
END
$$;
GRANT INSERT, DELETE ON subsidy.application TO subsidy_applicant, subsidy_hrss, subsidy_admin;
-- the agency files only what screening files (section 13): the guard refuses it a draft
GRANT INSERT ON subsidy.application TO subsidy_agency;
GRANT UPDATE ON subsidy.application TO subsidy_applicant, subsidy_agency, subsidy_hrss, subsidy_finance, subsidy_admin;
ALTER TABLE subsidy.application ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_regions ON subsidy.application
  USING (subsidy.session_guarded() AND ((SELECT subsidy.sees_every_region()) OR region = ANY ((SELECT subsidy.caller_regions())::text[])));
ALTER TABLE subsidy.application_verdict ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_regions ON subsidy.application_verdict
  USING (EXISTS (SELECT FROM subsidy.application a WHERE a.id = application_verdict.application_id));
ALTER TABLE subsidy.policy_snapshot ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_regions ON subsidy.policy_snapshot
  USING (subsidy.session_guarded() AND ((SELECT subsidy.sees_every_region()) OR region = ANY ((SELECT subsidy.caller_regions())::text[])));
-- written by the engine's functions only (their tables' guards refuse every other writer)
GRANT INSERT, UPDATE ON subsidy.application_verdict TO subsidy_hrss, subsidy_admin;
GRANT INSERT ON subsidy.policy_snapshot TO subsidy_hrss, subsidy_admin;

-- The review's records: read by the parties, written through each party's steps.
GRANT SELECT ON subsidy.sign_off, subsidy.publicity, subsidy.objection, subsidy.report_batch,
  subsidy.spot_check_draw, subsidy.spot_check_item, subsidy.audit_log, subsidy.audit_head,
  subsidy.shared_bank_account, subsidy.review_queue
  TO subsidy_agency, subsidy_hrss, subsidy_finance, subsidy_admin;
GRANT SELECT ON subsidy.sign_off, subsidy.publicity, subsidy.objection, subsidy.report_batch,
  subsidy.review_queue
  TO subsidy_applicant;
GRANT SELECT ON subsidy.publicity TO subsidy_reader;
-- what the annual report (R3) counts of checks and objections, without their notes and texts
GRANT SELECT ON subsidy.spot_check_draw TO subsidy_reader;
GRANT SELECT (draw_id, application_id, result, checked_on) ON subsidy.spot_check_item TO subsidy_reader;
GRANT SELECT (id, application_id, review_round, raised_on, resolved_on) ON subsidy.objection TO subsidy_reader;
GRANT INSERT, UPDATE ON subsidy.sign_off TO subsidy_hrss, subsidy_agency, subsidy_finance;
GRANT INSERT ON subsidy.publicity, subsidy.spot_check_draw, subsidy.spot_check_item, subsidy.report_batch TO subsidy_hrss;
GRANT INSERT, UPDATE ON subsidy.objection TO subsidy_hrss;
GRANT UPDATE ON subsidy.spot_check_item TO subsidy_hrss;
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
  USING (subsidy.session_guarded() AND ((SELECT subsidy.sees_every_region()) OR region = ANY ((SELECT subsidy.caller_regions())::text[])));
ALTER TABLE subsidy.report_batch ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_regions ON subsidy.report_batch
  USING (subsidy.session_guarded() AND ((SELECT subsidy.sees_every_region()) OR region = ANY ((SELECT subsidy.caller_regions())::text[])));
ALTER TABLE subsidy.spot_check_draw ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_regions ON subsidy.spot_check_draw
  USING (subsidy.session_guarded() AND ((SELECT subsidy.sees_every_region()) OR region = ANY ((SELECT subsidy.caller_regions())::text[])));
ALTER TABLE subsidy.audit_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_regions ON subsidy.audit_log FOR SELECT
  USING (subsidy.session_guarded() AND ((SELECT subsidy.sees_every_region()) OR region = ANY ((SELECT subsidy.caller_regions())::text[])));
GRANT EXECUTE ON FUNCTION subsidy.application_history(bigint), subsidy.verify_audit(jsonb), subsidy.audit_heads()
  TO subsidy_agency, subsidy_hrss, subsidy_finance, subsidy_admin;
-- verify_audit names a restore begun and never finished (S4); only a superuser begins one
GRANT SELECT ON subsidy.restore_in_progress TO subsidy_agency, subsidy_hrss, subsidy_finance, subsidy_admin;

-- Reports: every role reads them, each in its regions.
GRANT SELECT ON subsidy.application_list, subsidy.region_summary, subsidy.annex3, subsidy.publicity_list,
  subsidy.analysis_by_category, subsidy.analysis_by_firm_size, subsidy.analysis_by_layoff_band,
  subsidy.analysis_fund_sufficiency, subsidy.analysis_figure_differences, subsidy.annual_report_frozen
  TO subsidy_applicant, subsidy_agency, subsidy_hrss, subsidy_finance, subsidy_reader, subsidy_admin;
GRANT INSERT ON subsidy.annual_report_frozen TO subsidy_hrss, subsidy_admin;
ALTER TABLE subsidy.annual_report_frozen ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_regions ON subsidy.annual_report_frozen
  USING (subsidy.session_guarded() AND ((SELECT subsidy.sees_every_region()) OR region = ANY ((SELECT subsidy.caller_regions())::text[])));

-- The reports schema (R1-R4, issue 13): every role reads every object in it, each in its
-- regions.  Its views and annual_report are PUBLIC's to call, so that a login with no role
-- reaches subsidy.report_access and is told which role reads reports, instead of only being
-- refused the view (PostgreSQL checks a view's own right before it plans the query): they run
-- with the caller's rights (security_invoker), so that they show nobody a row of a table it
-- may not read, and report_access refuses every login that has none of the six roles.
GRANT USAGE ON SCHEMA subsidy_report TO PUBLIC;
GRANT SELECT ON ALL TABLES IN SCHEMA subsidy_report TO PUBLIC;
REVOKE ALL ON ALL ROUTINES IN SCHEMA subsidy_report FROM PUBLIC;
GRANT EXECUTE ON FUNCTION subsidy_report.annual_report(integer) TO PUBLIC;
GRANT EXECUTE ON FUNCTION subsidy.annual_report_deadline(integer)
  TO subsidy_applicant, subsidy_agency, subsidy_hrss, subsidy_finance, subsidy_reader, subsidy_admin;

-- The papers (R2, W4, W7): the publicity announcement is public; the notices of a decision are
-- hrss's to issue (and the online system's to deliver); the payment list, with the accounts,
-- is the agency's.
GRANT EXECUTE ON FUNCTION subsidy.office_of(text), subsidy.publicity_announcement(bigint, text)
  TO subsidy_applicant, subsidy_agency, subsidy_hrss, subsidy_finance, subsidy_reader, subsidy_admin;
GRANT EXECUTE ON FUNCTION subsidy.rejection_reasons(subsidy.application), subsidy.rejection_notice(bigint, text),
  subsidy.approval_notice(bigint, text)
  TO subsidy_applicant, subsidy_hrss, subsidy_admin;
GRANT EXECUTE ON FUNCTION subsidy.payment_instruction(text, integer, text) TO subsidy_agency, subsidy_admin;

-- The agency's payment files.
GRANT SELECT, INSERT, DELETE ON subsidy.payment_file TO subsidy_agency, subsidy_admin;
GRANT UPDATE (applied_at, application_id) ON subsidy.payment_file TO subsidy_agency, subsidy_admin;
GRANT INSERT ON subsidy.payment_file_load TO subsidy_agency, subsidy_admin;
GRANT SELECT ON subsidy.payment_file TO subsidy_hrss, subsidy_finance;
ALTER TABLE subsidy.payment_file ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_regions ON subsidy.payment_file
  USING ((SELECT subsidy.sees_every_region())
         OR EXISTS (SELECT FROM subsidy.enterprise e WHERE e.uscc OPERATOR(subsidy.=) payment_file.uscc));

-- Screening (section 13): the agency stages and loads its contribution records, screens (hrss
-- too), and the parties review the screened lists; the unit confirms or declines its own.
GRANT SELECT, INSERT, UPDATE, DELETE ON subsidy.contribution_staging TO subsidy_agency, subsidy_admin;
ALTER TABLE subsidy.contribution_staging ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_regions ON subsidy.contribution_staging
  USING (subsidy.session_guarded() AND ((SELECT subsidy.sees_every_region()) OR region = ANY ((SELECT subsidy.caller_regions())::text[])));
GRANT SELECT ON subsidy.contribution_record TO subsidy_applicant;  -- the tax bureau's account, at confirmation
GRANT SELECT ON subsidy.contribution_record, subsidy.screening
  TO subsidy_agency, subsidy_hrss, subsidy_finance, subsidy_admin;
GRANT INSERT, UPDATE ON subsidy.contribution_record TO subsidy_agency, subsidy_admin;
ALTER TABLE subsidy.contribution_record ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_regions ON subsidy.contribution_record
  USING (subsidy.session_guarded() AND ((SELECT subsidy.sees_every_region()) OR region = ANY ((SELECT subsidy.caller_regions())::text[])));
GRANT EXECUTE ON FUNCTION subsidy.contribution_problems(text, integer), subsidy.load_contributions(text, integer)
  TO subsidy_agency, subsidy_admin;
GRANT EXECUTE ON FUNCTION subsidy.screen(text, integer) TO subsidy_agency, subsidy_hrss, subsidy_admin;
GRANT EXECUTE ON FUNCTION subsidy.confirm_screened(bigint, text, text), subsidy.decline_screened(bigint)
  TO subsidy_applicant;
GRANT EXECUTE ON FUNCTION subsidy.sign_off_screened(text, integer, subsidy.agency, boolean, text)
  TO subsidy_agency, subsidy_hrss, subsidy_finance;
-- A6: top-ups are computed by hrss or the agency, and paid by the agency.
GRANT SELECT ON subsidy.top_up TO subsidy_agency, subsidy_hrss, subsidy_finance, subsidy_admin;
-- readers: every figure of a top-up, never the account it was paid into (section 11)
GRANT SELECT (id, application_id, region, year, decided_amount, amount_now, amount, rate_then, rate_now,
              computed_on, computed_by, paid_on, payment_reference, paid_by) ON subsidy.top_up TO subsidy_reader;
GRANT INSERT ON subsidy.top_up TO subsidy_agency, subsidy_hrss, subsidy_admin;
GRANT UPDATE (paid_on, payment_reference, paid_by) ON subsidy.top_up TO subsidy_agency;
ALTER TABLE subsidy.top_up ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_regions ON subsidy.top_up
  USING (subsidy.session_guarded() AND ((SELECT subsidy.sees_every_region()) OR region = ANY ((SELECT subsidy.caller_regions())::text[])));
GRANT EXECUTE ON FUNCTION subsidy.top_up(text, integer), subsidy.compute_top_ups(text, integer),
  subsidy.computing_top_ups()
  TO subsidy_agency, subsidy_hrss, subsidy_admin;
GRANT EXECUTE ON FUNCTION subsidy.pay_top_up(bigint, date, text), subsidy.payment_reference_used(text, text) TO subsidy_agency;
GRANT EXECUTE ON FUNCTION subsidy.registered_elsewhere(text, subsidy.uscc[]) TO subsidy_agency, subsidy_admin;

-- The steps, each to the roles whose step it is (the guards check again, whoever calls).
GRANT EXECUTE ON FUNCTION subsidy.application_for(bigint), subsidy.move(bigint, subsidy.stage, subsidy.stage[]), subsidy.lock_my_chains()
  TO subsidy_applicant, subsidy_agency, subsidy_hrss, subsidy_finance, subsidy_admin;
GRANT EXECUTE ON FUNCTION subsidy.submit(bigint), subsidy.withdraw(bigint), subsidy.complete_correction(bigint)
  TO subsidy_applicant;
GRANT EXECUTE ON FUNCTION subsidy.sign_off(bigint, subsidy.agency, boolean, text, text)
  TO subsidy_agency, subsidy_hrss, subsidy_finance;
GRANT EXECUTE ON FUNCTION subsidy.start_review(bigint), subsidy.start_review(text, integer), subsidy.reject_uncorrected(bigint),
  subsidy.decide(bigint), subsidy.decide(text, integer), subsidy.start_publicity(text, integer, date),
  subsidy.start_publicity(integer, date), subsidy.object(bigint, text), subsidy.reopen_review(bigint),
  subsidy.clear(bigint), subsidy.close_publicity(text, integer), subsidy.close_publicity(integer),
  subsidy.report_upward(text, integer, text), subsidy.report_upward(integer, text),
  subsidy.drawing_spot_checks(),
  subsidy.record_spot_check(bigint, subsidy.spot_check_result, text)
  TO subsidy_hrss;
GRANT EXECUTE ON FUNCTION subsidy.pay(bigint, date, text, numeric), subsidy.check_payment_batch(text),
  subsidy.recheck_bank_account(bigint), subsidy.return_payment(bigint, date, text),
  subsidy.payment_reference_canonical(text),
  subsidy.report_payment_times(text, integer), subsidy.report_payment_times(integer)
  TO subsidy_agency;
GRANT EXECUTE ON PROCEDURE subsidy.pay_batch(text) TO subsidy_agency, subsidy_admin;
GRANT EXECUTE ON PROCEDURE subsidy.draw_spot_checks(text, integer, integer, text, bigint, integer) TO subsidy_hrss;
GRANT EXECUTE ON FUNCTION subsidy.check_payment_batch(text), subsidy.payment_reference_canonical(text),
  subsidy.close_year_problems(integer)
  TO subsidy_admin;
-- the DBA's annual procedures; hrss opens, assesses and freezes for its regions
GRANT EXECUTE ON PROCEDURE subsidy.open_year(integer, date, date), subsidy.assess_year(integer, text, integer),
  subsidy.freeze_annual_report(integer, text)
  TO subsidy_hrss, subsidy_admin;
GRANT EXECUTE ON FUNCTION subsidy.assess_year_start(integer, text, integer),
  subsidy.assess_year_batches(integer, text, integer), subsidy.store_verdicts(integer, text, bigint, bigint),
  subsidy.take_policy_snapshots(integer, text), subsidy.freeze_report_rows(integer, text),
  subsidy.simulate(integer, jsonb)
  TO subsidy_hrss, subsidy_admin;
GRANT EXECUTE ON PROCEDURE subsidy.close_year(integer) TO subsidy_admin;

-- The DBA is told at once when clerks' sessions would be refused (hooks.c).
DO $$
BEGIN
  IF NOT subsidy.preloaded() THEN
    PERFORM subsidy.raise('not_preloaded');
  END IF;
END
$$;

-- S1: the statistics counters count every row an index scan fetched before row-level security
-- filtered it out, so a clerk's own condition on another region's rows (a count it may not
-- see, a payment reference bisected range by range) would show in them.  The counters of
-- relations, functions and databases are for those who read all statistics (pg_read_all_stats,
-- pg_monitor, superusers); the views over them (pg_stat_user_tables and the like) follow.
-- They are the database's objects, not the extension's: DROP EXTENSION leaves them closed.
CREATE FUNCTION subsidy.close_statistics() RETURNS integer
  AS 'MODULE_PATHNAME', 'close_statistics' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION subsidy.close_statistics() IS
  'S1: revoke the statistics counters of relations, functions and databases from PUBLIC and grant them to pg_read_all_stats (install and update run it; a superuser''s); returns how many functions it closed';
REVOKE ALL ON FUNCTION subsidy.close_statistics() FROM PUBLIC;
SELECT subsidy.close_statistics() > 0 AS statistics_closed;
