--
-- Applications (申请): one per enterprise and subsidy year (E9)
--

CREATE TYPE subsidy.stage AS ENUM
  ('draft', 'screened', 'submitted', 'withdrawn', 'in_review', 'decided', 'in_publicity', 'objection',
   'cleared', 'paid', 'reported');

CREATE TYPE subsidy.decision AS ENUM ('approved', 'rejected');
COMMENT ON TYPE subsidy.decision IS 'what the joint review decided (W3, W4)';

CREATE TYPE subsidy.spot_check_result AS ENUM ('pending', 'confirmed', 'false_data');
COMMENT ON TYPE subsidy.spot_check_result IS
  'on-site spot check (实地抽查, W11): drawn and not yet done, data confirmed, or false data found (E10)';

CREATE TYPE subsidy.basis AS ENUM ('paid', 'payable', 'benefit', 'monthly_premiums');

-- The engine reads the columns from year to spot_check; they come first so that it deforms
-- no more of the row than it needs.
CREATE TABLE subsidy.application (
  id bigint PRIMARY KEY,
  year integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  region text NOT NULL REFERENCES subsidy.region (code),
  uscc subsidy.uscc NOT NULL REFERENCES subsidy.enterprise (uscc),
  stage subsidy.stage NOT NULL DEFAULT 'draft',
  submitted_on date,
  decapacity boolean,
  key_supported boolean,
  zombie boolean,
  firm_size subsidy.firm_size,
  confirmed_insured_start integer CHECK (confirmed_insured_start >= 0),
  confirmed_insured_end integer CHECK (confirmed_insured_end >= 0),
  confirmed_insured_average numeric(12,2) CHECK (confirmed_insured_average >= 0 AND confirmed_insured_average <> 'NaN'),
  confirmed_layoffs integer CHECK (confirmed_layoffs >= 0),
  confirmed_retirements_deaths integer CHECK (confirmed_retirements_deaths >= 0),
  confirmed_premiums_payable numeric(14,2) CHECK (confirmed_premiums_payable >= 0 AND confirmed_premiums_payable <> 'NaN'),
  confirmed_premiums_paid numeric(14,2) CHECK (confirmed_premiums_paid >= 0 AND confirmed_premiums_paid <> 'NaN'),
  confirmed_arrears_basis_year numeric(14,2) CHECK (confirmed_arrears_basis_year >= 0 AND confirmed_arrears_basis_year <> 'NaN'),
  confirmed_arrears_other_years numeric(14,2) CHECK (confirmed_arrears_other_years >= 0 AND confirmed_arrears_other_years <> 'NaN'),
  confirmed_deferral_agreement boolean,
  confirmed_prior_subsidy numeric(14,2) CHECK (confirmed_prior_subsidy >= 0 AND confirmed_prior_subsidy <> 'NaN'),
  confirmed_prior_subsidy_use_proper boolean,
  financial_management_sound boolean,
  policy_compliant boolean,
  spot_check subsidy.spot_check_result,
  monitored boolean,
  insured_start integer CHECK (insured_start >= 0),
  insured_end integer CHECK (insured_end >= 0),
  insured_average numeric(12,2) CHECK (insured_average >= 0 AND insured_average <> 'NaN'),
  layoffs integer CHECK (layoffs >= 0),
  retirements_deaths integer CHECK (retirements_deaths >= 0),
  premiums_payable numeric(14,2) CHECK (premiums_payable >= 0 AND premiums_payable <> 'NaN'),
  premiums_paid numeric(14,2) CHECK (premiums_paid >= 0 AND premiums_paid <> 'NaN'),
  arrears_basis_year numeric(14,2) CHECK (arrears_basis_year >= 0 AND arrears_basis_year <> 'NaN'),
  arrears_other_years numeric(14,2) CHECK (arrears_other_years >= 0 AND arrears_other_years <> 'NaN'),
  deferral_agreement boolean,
  prior_subsidy numeric(14,2) CHECK (prior_subsidy >= 0 AND prior_subsidy <> 'NaN'),
  prior_subsidy_use_proper boolean,
  documents text[],
  review_round integer NOT NULL DEFAULT 1 CHECK (review_round >= 1),
  decision subsidy.decision,
  decided_on date,
  decided_rule text,
  decided_basis subsidy.basis,
  decided_basis_amount numeric(14,2),
  decided_rate numeric(4,3),
  decided_amount numeric(14,2) CHECK (decided_amount >= 0 AND decided_amount <> 'NaN'),
  decided_reasons text[],
  publicity_id bigint,
  cleared_on date,
  paid_on date,
  payment_reference text,
  -- unconstrained, so that an amount with more decimals than fen is refused, not rounded (W7)
  paid_amount numeric CONSTRAINT application_paid_amount_in_fen
    CHECK (paid_amount BETWEEN 0 AND 999999999999.99 AND paid_amount = pg_catalog.round(paid_amount, 2)),
  report_batch_id bigint,
  created_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
  payment_bank_name text,
  payment_bank_account text,
  returned_on date,
  returned_reference text,
  returned_bank_account text,
  return_reason text,
  correction_requested_on date,
  correction_items text[],
  correction_due date,
  corrected_on date,
  payment_times_reported_on date,
  unit_kind subsidy.unit_kind NOT NULL DEFAULT 'enterprise',
  serious_dishonesty boolean,
  confirmed_full_contribution_months integer CHECK (confirmed_full_contribution_months >= 0),
  confirmed_new_claimants integer CHECK (confirmed_new_claimants >= 0),
  confirmed_monthly_premiums_payable numeric(14,2)
    CHECK (confirmed_monthly_premiums_payable >= 0 AND confirmed_monthly_premiums_payable <> 'NaN'),
  hardship_recognised boolean,
  screened_on date,
  stage_since date,
  CONSTRAINT application_return_says_why CHECK (returned_on IS NULL OR subsidy.says_something(return_reason)),
  CONSTRAINT application_decision_when_decided CHECK
    ((decision IS NOT NULL) = (stage IN ('decided', 'in_publicity', 'objection', 'cleared', 'paid', 'reported'))),
  CONSTRAINT application_approved_has_amount CHECK
    (decision IS DISTINCT FROM 'approved' OR decided_amount IS NOT NULL),
  CONSTRAINT application_paid_has_payment CHECK
    ((stage IN ('paid', 'reported')) = (paid_on IS NOT NULL AND payment_reference IS NOT NULL AND paid_amount IS NOT NULL)),
  CONSTRAINT application_submitted_has_date CHECK
    (stage IN ('draft') OR (stage = 'withdrawn' AND submitted_on IS NULL) OR submitted_on IS NOT NULL
     -- text, not the label: the update to 1.2 adds the label and may not use it in the same transaction
     OR (stage::text = 'screened' AND screened_on IS NOT NULL))
);
COMMENT ON TABLE subsidy.application IS
  'applications for the subsidy (稳岗补贴申请), one per enterprise and year (E9): declared figures of annex 2, the figures confirmed in review (A5), review results, and the decision, publicity, payment and report of W1-W8';
COMMENT ON COLUMN subsidy.application.id IS 'the application''s number, assigned when it is filed';
COMMENT ON COLUMN subsidy.application.year IS 'subsidy year Y (补贴年度); figures are those of the basis year Y-1';
COMMENT ON COLUMN subsidy.application.region IS 'the pooling region that reviews and pays it';
COMMENT ON COLUMN subsidy.application.uscc IS 'the enterprise (统一社会信用代码)';
COMMENT ON COLUMN subsidy.application.stage IS 'where it is in the review (W1)';
COMMENT ON COLUMN subsidy.application.submitted_on IS 'day it was submitted (申报日期): E8';
COMMENT ON COLUMN subsidy.application.decapacity IS 'decapacity enterprise this year (from enterprise_year)';
COMMENT ON COLUMN subsidy.application.key_supported IS 'key-supported enterprise this year (from enterprise_year)';
COMMENT ON COLUMN subsidy.application.zombie IS 'zombie enterprise this year (from enterprise_year): E5';
COMMENT ON COLUMN subsidy.application.firm_size IS 'firm size this year (from enterprise_year, or declared)';
COMMENT ON COLUMN subsidy.application.monitored IS 'in unemployment dynamic monitoring (from enterprise_year): W10';
COMMENT ON COLUMN subsidy.application.confirmed_insured_start IS 'insured persons at the start of the basis year, as the agency confirmed';
COMMENT ON COLUMN subsidy.application.confirmed_insured_end IS 'insured persons at the end of the basis year, as the agency confirmed';
COMMENT ON COLUMN subsidy.application.confirmed_insured_average IS 'average monthly insured persons in the basis year, as the agency confirmed';
COMMENT ON COLUMN subsidy.application.confirmed_layoffs IS 'layoffs (裁员人数) in the basis year, as hrss found in review: E2';
COMMENT ON COLUMN subsidy.application.confirmed_retirements_deaths IS 'retirements and deaths in the basis year, as the agency confirmed';
COMMENT ON COLUMN subsidy.application.confirmed_premiums_payable IS 'premiums payable (应缴失业保险费) in the basis year, confirmed: E1, A2, A3';
COMMENT ON COLUMN subsidy.application.confirmed_premiums_paid IS 'premiums actually paid (实缴失业保险费) in the basis year, enterprise and employees, confirmed: E1, A1';
COMMENT ON COLUMN subsidy.application.confirmed_arrears_basis_year IS 'arrears (欠费) for the basis year, confirmed: E1';
COMMENT ON COLUMN subsidy.application.confirmed_arrears_other_years IS 'arrears for other years, confirmed: E1, A3';
COMMENT ON COLUMN subsidy.application.confirmed_deferral_agreement IS 'a deferred-payment agreement (延期缴费协议) is signed with the collection agency, confirmed: A3';
COMMENT ON COLUMN subsidy.application.confirmed_prior_subsidy IS 'last year''s subsidy, yuan, confirmed: E6';
COMMENT ON COLUMN subsidy.application.confirmed_prior_subsidy_use_proper IS 'finance found last year''s subsidy used for the permitted purposes: E6';
COMMENT ON COLUMN subsidy.application.financial_management_sound IS 'finance found the financial management sound (财务管理制度健全): E3';
COMMENT ON COLUMN subsidy.application.policy_compliant IS 'hrss found it compliant with industrial and environmental policy: E4';
COMMENT ON COLUMN subsidy.application.spot_check IS 'on-site spot check result, empty when not drawn: E10, W11';
COMMENT ON COLUMN subsidy.application.insured_start IS 'declared (申报): insured persons at the start of the basis year';
COMMENT ON COLUMN subsidy.application.insured_end IS 'declared: insured persons at the end of the basis year';
COMMENT ON COLUMN subsidy.application.insured_average IS 'declared: average monthly insured persons';
COMMENT ON COLUMN subsidy.application.layoffs IS 'declared: layoffs in the basis year';
COMMENT ON COLUMN subsidy.application.retirements_deaths IS 'declared: retirements and deaths in the basis year';
COMMENT ON COLUMN subsidy.application.premiums_payable IS 'declared: premiums payable in the basis year';
COMMENT ON COLUMN subsidy.application.premiums_paid IS 'declared: premiums paid in the basis year';
COMMENT ON COLUMN subsidy.application.arrears_basis_year IS 'declared: arrears for the basis year';
COMMENT ON COLUMN subsidy.application.arrears_other_years IS 'declared: arrears for other years';
COMMENT ON COLUMN subsidy.application.deferral_agreement IS 'declared: a deferred-payment agreement is signed';
COMMENT ON COLUMN subsidy.application.prior_subsidy IS 'declared: last year''s subsidy, yuan';
COMMENT ON COLUMN subsidy.application.prior_subsidy_use_proper IS 'declared: last year''s subsidy was used for the permitted purposes';
COMMENT ON COLUMN subsidy.application.documents IS 'declared: codes of the documents attached (annexes 1 and 2), see required_document';
COMMENT ON COLUMN subsidy.application.review_round IS 'joint review round: an objection opens a new one (W6)';
COMMENT ON COLUMN subsidy.application.decision IS 'approved or rejected (W3, W4)';
COMMENT ON COLUMN subsidy.application.decided_on IS 'day of the decision';
COMMENT ON COLUMN subsidy.application.decided_rule IS 'amount rule of the decision: A1, A2 or A3';
COMMENT ON COLUMN subsidy.application.decided_basis IS 'premiums the decided amount is a share of';
COMMENT ON COLUMN subsidy.application.decided_basis_amount IS 'those premiums, yuan';
COMMENT ON COLUMN subsidy.application.decided_rate IS 'the share';
COMMENT ON COLUMN subsidy.application.decided_amount IS 'decided subsidy, yuan (A4), frozen until an objection reopens review (A6)';
COMMENT ON COLUMN subsidy.application.decided_reasons IS 'reasons of a rejection: rule ids and detail codes (W4)';
COMMENT ON COLUMN subsidy.application.publicity_id IS 'the publicity (公示) it is or was listed in';
COMMENT ON COLUMN subsidy.application.cleared_on IS 'day publicity was cleared without objection';
COMMENT ON COLUMN subsidy.application.paid_on IS 'day the agency paid (发放日期): W7';
COMMENT ON COLUMN subsidy.application.payment_reference IS 'the agency''s payment reference, unique (W7)';
COMMENT ON COLUMN subsidy.application.paid_amount IS 'amount paid, yuan: equals decided_amount (W7)';
COMMENT ON COLUMN subsidy.application.report_batch_id IS 'the upward report it went in (W8)';
COMMENT ON COLUMN subsidy.application.created_at IS 'when the row was created';
COMMENT ON COLUMN subsidy.application.payment_bank_name IS 'the bank paid into (开户行), as recorded at the decision or re-checked since (W7)';
COMMENT ON COLUMN subsidy.application.payment_bank_account IS 'the account paid into (银行账号), as recorded at the decision or re-checked since (W7)';
COMMENT ON COLUMN subsidy.application.returned_on IS 'day the bank returned the last payment (退票), which is then paid again to a corrected account (W7)';
COMMENT ON COLUMN subsidy.application.returned_reference IS 'the reference of the returned payment';
COMMENT ON COLUMN subsidy.application.returned_bank_account IS 'the account the returned payment went to';
COMMENT ON COLUMN subsidy.application.return_reason IS 'why the bank returned it, as the agency recorded';
COMMENT ON COLUMN subsidy.application.correction_requested_on IS 'day a correction (补正) was requested, the submission being incomplete (W2)';
COMMENT ON COLUMN subsidy.application.correction_items IS 'what the correction request asks for: the missing figures, documents and details';
COMMENT ON COLUMN subsidy.application.correction_due IS 'last day to complete the correction (its working days counted from the request)';
COMMENT ON COLUMN subsidy.application.corrected_on IS 'day the correction was completed (empty while it is pending)';
COMMENT ON COLUMN subsidy.application.payment_times_reported_on IS 'day the agency reported the payment time to hrss (W8: hrss then reports upward)';
COMMENT ON COLUMN subsidy.application.stage_since IS
  'the business date (W12) it entered its stage (filed, for a draft), set by each step: how long it has waited there ([J54 三(五)] 调度)';

CREATE UNIQUE INDEX application_one_claim ON subsidy.application (uscc, year) WHERE stage <> 'withdrawn';
COMMENT ON INDEX subsidy.application_one_claim IS 'E9: one application per enterprise and year, across all regions (a withdrawn one does not count)';
-- A payment reference is unique within its region: each region's agency pays from its fund's
-- account, and a clerk learns nothing of another region's references (section 11, S1).
CREATE UNIQUE INDEX application_payment_reference ON subsidy.application (region, payment_reference);
-- a reference the bank returned is looked up when any payment of the region is recorded (W7)
CREATE INDEX application_returned_reference ON subsidy.application (region, returned_reference)
  WHERE returned_reference IS NOT NULL;
CREATE INDEX application_region_year_stage ON subsidy.application (region, year, stage);

-- Numbered by subsidy.assign_number (records.c), within the row's region: no client picks a number.
SELECT pg_catalog.pg_extension_config_dump('subsidy.application', '');
