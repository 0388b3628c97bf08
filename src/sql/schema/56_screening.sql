--
-- Paying without an application (免申即享, DOMAIN section 13): the agency's contribution records
-- of every insured unit of a region for a basis year, the screened applications' source; and
-- the top-ups a later notice's higher rate owes to applications already paid (A6).
--

-- What a file of contribution records brings, as text, line by line: COPY takes any line, and
-- subsidy.load_contributions checks every one before anything is merged.
CREATE TABLE subsidy.contribution_staging (
  line bigint NOT NULL,
  region text NOT NULL,
  year text,
  uscc text,
  name text,
  unit_kind text,
  firm_size text,
  insured_start text,
  insured_end text,
  insured_average text,
  retirements_deaths text,
  layoffs text,
  new_claimants text,
  premiums_payable text,
  premiums_paid text,
  arrears_basis_year text,
  arrears_other_years text,
  full_contribution_months text,
  monthly_premiums_payable text,
  tax_bank_name text,
  tax_bank_account text,
  loaded_by name NOT NULL DEFAULT session_user,
  PRIMARY KEY (region, line)
);

-- The records as merged: one per unit and subsidy year (its figures are the basis year's).
CREATE TABLE subsidy.contribution_record (
  year integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  uscc subsidy.uscc NOT NULL REFERENCES subsidy.enterprise (uscc),
  region text NOT NULL REFERENCES subsidy.region (code),
  unit_kind subsidy.unit_kind NOT NULL DEFAULT 'enterprise',
  firm_size subsidy.firm_size,
  insured_start integer CHECK (insured_start >= 0),
  insured_end integer CHECK (insured_end >= 0),
  insured_average numeric(12,2) CHECK (insured_average >= 0 AND insured_average <> 'NaN'),
  retirements_deaths integer CHECK (retirements_deaths >= 0),
  layoffs integer CHECK (layoffs >= 0),
  new_claimants integer CHECK (new_claimants >= 0),
  premiums_payable numeric(14,2) CHECK (premiums_payable >= 0 AND premiums_payable <> 'NaN'),
  premiums_paid numeric(14,2) CHECK (premiums_paid >= 0 AND premiums_paid <> 'NaN'),
  arrears_basis_year numeric(14,2) CHECK (arrears_basis_year >= 0 AND arrears_basis_year <> 'NaN'),
  arrears_other_years numeric(14,2) CHECK (arrears_other_years >= 0 AND arrears_other_years <> 'NaN'),
  full_contribution_months integer CHECK (full_contribution_months >= 0),
  monthly_premiums_payable numeric(14,2) CHECK (monthly_premiums_payable >= 0 AND monthly_premiums_payable <> 'NaN'),
  tax_bank_name text,
  tax_bank_account text,
  loaded_on date NOT NULL,
  loaded_by name NOT NULL DEFAULT session_user,
  PRIMARY KEY (year, uscc)
);
CREATE INDEX contribution_record_region ON subsidy.contribution_record (region, year);
SELECT pg_catalog.pg_extension_config_dump('subsidy.contribution_record', '');
-- what an agency staged and has not loaded yet survives a dump like everything else it wrote
SELECT pg_catalog.pg_extension_config_dump('subsidy.contribution_staging', '');

-- A6: what a later notice's higher rate owes an application already paid, paid as a second,
-- logged payment; the first is never rewritten.
CREATE TABLE subsidy.top_up (
  id bigint PRIMARY KEY,
  application_id bigint NOT NULL REFERENCES subsidy.application (id),
  region text NOT NULL REFERENCES subsidy.region (code),
  year integer NOT NULL,
  decided_amount numeric(14,2) NOT NULL,
  amount_now numeric(14,2) NOT NULL,
  amount numeric(14,2) NOT NULL CHECK (amount > 0),
  rate_then numeric(4,3),
  rate_now numeric(4,3),
  computed_on date NOT NULL,
  computed_by name NOT NULL DEFAULT session_user,
  paid_on date,
  payment_reference text,
  paid_by name,
  bank_name text,
  bank_account text,
  CONSTRAINT top_up_paid_whole CHECK ((paid_on IS NULL) = (payment_reference IS NULL) AND (paid_on IS NULL) = (paid_by IS NULL))
);
CREATE UNIQUE INDEX top_up_reference ON subsidy.top_up (region, payment_reference) WHERE payment_reference IS NOT NULL;
-- A6: an application is topped up to an amount once, whoever computes it and whatever its
-- transaction saw (two top_up calls, one in a REPEATABLE READ transaction begun before the
-- other committed, each recorded the same difference: the fourth attack round's N1)
CREATE UNIQUE INDEX top_up_once ON subsidy.top_up (application_id, amount_now);
SELECT pg_catalog.pg_extension_config_dump('subsidy.top_up', '');
