--
-- The reports schema (DOMAIN section 10): what a report tool or a reader's login reads, and
-- nothing else.  Its views and functions are created with the code (src/sql/code/91_report_schema.sql);
-- the schema and the row types of its set-returning functions belong to the schema part, so
-- that their columns' types are fixed (and known to a tool before it runs the function).
--

CREATE SCHEMA subsidy_report;
COMMENT ON SCHEMA subsidy_report IS
  '报表 reports of the job-stabilisation subsidy for readers and report tools: every column of a bounded standard type (varchar(n), char(18), numeric(p,2), integer, bigint, date), every object readable by subsidy_reader in its regions; set a report login''s search_path to it';

-- R3: one row of the annual implementation report: the row type of the function of the same
-- name, subsidy_report.annual_report(year).
CREATE TYPE subsidy_report.annual_report AS (
  level varchar(8),
  region varchar(6),
  region_name varchar(50),
  year integer,
  regions_covered integer,
  enterprises_applied integer,
  enterprises_approved integer,
  employees_covered integer,
  amount_total numeric(16,2),
  amount_a1 numeric(16,2),
  amount_a2 numeric(16,2),
  amount_a3 numeric(16,2),
  amount_paid numeric(16,2),
  decapacity_enterprises integer,
  decapacity_amount numeric(16,2),
  zombies_refused integer,
  spot_checks integer,
  spot_checks_false_data integer,
  objections integer,
  days_to_payment_average numeric(8,1),
  days_to_payment_longest integer,
  fund_balance numeric(16,2),
  monthly_fund_expenditure numeric(16,2),
  fund_cover_months numeric(8,2),
  report_due_on date,
  report_frozen_on date
);
COMMENT ON TYPE subsidy_report.annual_report IS
  'R3 年度实施情况报告: a row of subsidy_report.annual_report(year), per pooling region or for a province';
