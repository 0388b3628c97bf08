-- Step of test/sample/screening.sql (which documents the screening year); run by it in order,
-- or on its own, each step in its own session.
\set ON_ERROR_STOP 1
SELECT year, applications FROM province.settings \gset

-- Each pool's agency stages its contribution records of the basis year, one line per unit, as
-- text (as COPY from its system's export would): headcounts by size class, layoffs (65 % none,
-- 5 % above the 5.5 % target), premiums (2 % in arrears for the basis year, 1.5 % for earlier
-- years), months paid in full (1 % short of 12), new benefit claimants; a few units lack a
-- figure (months paid in full, layoffs); the tax bureau's contribution account for most units
-- new to the register.
CREATE TABLE province.record AS
SELECT u.n, u.uscc, u.region, u.name, u.unit_kind, u.listed, s AS insured_start, e AS insured_end,
       round((s + e) / 2.0, 2) AS insured_average, rd AS retirements_deaths, lay AS layoffs,
       lay + (s * province.u(u.n, 127) * 0.01)::integer AS new_claimants,
       payable, paid, payable - paid AS arrears_basis_year, other AS arrears_other_years,
       CASE WHEN province.u(u.n, 128) < 0.01 THEN 6 + (province.u(u.n, 129) * 5)::integer ELSE 12 END AS full_months
  FROM province.unit u
  LEFT JOIN subsidy.enterprise_year y ON y.uscc OPERATOR(subsidy.=) u.uscc::subsidy.uscc AND y.year = :year
 CROSS JOIN LATERAL (SELECT CASE y.firm_size WHEN 'large' THEN 300 + (province.u(u.n, 120) * 2000)::integer
                                             WHEN 'medium' THEN 100 + (province.u(u.n, 120) * 200)::integer
                                             WHEN 'small' THEN 20 + (province.u(u.n, 120) * 80)::integer
                                             WHEN 'micro' THEN 3 + (province.u(u.n, 120) * 17)::integer
                                             ELSE 3 + (province.u(u.n, 120) * 57)::integer END AS s) h
 CROSS JOIN LATERAL (SELECT greatest(1, h.s + (h.s * (province.u(u.n, 121) - 0.55) * 0.12)::integer) AS e,
                            CASE WHEN province.u(u.n, 122) < 0.65 THEN 0
                                 WHEN province.u(u.n, 122) < 0.95 THEN (h.s * (province.u(u.n, 122) - 0.65) * 0.18)::integer
                                 ELSE ceil(h.s * (0.056 + (province.u(u.n, 122) - 0.95) * 2))::integer END AS lay,
                            (h.s * province.u(u.n, 123) * 0.03)::integer AS rd,
                            round(h.s * (1050 + province.u(u.n, 124) * 300)::numeric, 2) AS payable) f
 CROSS JOIN LATERAL (SELECT CASE WHEN province.u(u.n, 125) < 0.02 THEN round(f.payable * (0.8 + province.u(u.n, 126)::numeric * 0.19), 2)
                                 ELSE f.payable END AS paid,
                            CASE WHEN province.u(u.n, 130) < 0.015 THEN round(f.payable * province.u(u.n, 131)::numeric * 0.5, 2)
                                 ELSE 0 END AS other) g;

INSERT INTO subsidy.contribution_staging (region, year, uscc, name, unit_kind, firm_size, insured_start, insured_end,
    insured_average, retirements_deaths, layoffs, new_claimants, premiums_payable, premiums_paid,
    arrears_basis_year, arrears_other_years, full_contribution_months, monthly_premiums_payable,
    tax_bank_name, tax_bank_account)
SELECT r.region, :'year', r.uscc, r.name, CASE WHEN r.listed THEN '' ELSE r.unit_kind END,
       CASE WHEN r.unit_kind = 'enterprise' AND NOT r.listed THEN 'small' ELSE '' END,
       r.insured_start::text, r.insured_end::text, r.insured_average::text, r.retirements_deaths::text,
       CASE WHEN province.u(r.n, 132) < 0.003 THEN '' ELSE r.layoffs::text END, r.new_claimants::text,
       r.payable::text, r.paid::text, r.arrears_basis_year::text, r.arrears_other_years::text,
       CASE WHEN province.u(r.n, 133) < 0.004 THEN '' ELSE r.full_months::text END,
       round(r.payable / 12, 2)::text,
       CASE WHEN NOT r.listed AND province.u(r.n, 134) < 0.7 THEN '吉林银行' || p.short_name || '分行' END,
       CASE WHEN NOT r.listed AND province.u(r.n, 134) < 0.7
            THEN '6222 0210 ' || lpad(((province.u(r.n, 135) * 1e11)::bigint)::text, 11, '0') END
  FROM province.record r JOIN province.pool p ON p.code = r.region
 ORDER BY r.region, r.n;

-- The files as they came: five lines wrong in three pools.  四平's export mistyped a code
-- (the letter O for a zero) and repeated a line; 延边's wrote a decimal comma, and left a
-- unit new to the register without its name; 松原's named a unit's kind in Chinese.
CREATE TABLE province.fault (region text, uscc text, fault text);
INSERT INTO province.fault
SELECT DISTINCT ON (f.region, f.fault) f.region, r.uscc, f.fault
  FROM (VALUES ('220300', 'code', true), ('220300', 'twice', true), ('222400', 'comma', true),
               ('222400', 'no_name', false), ('220700', 'kind', false)) AS f(region, fault, listed)
  JOIN province.record r ON r.region = f.region AND r.listed = f.listed
   AND (f.fault <> 'twice' OR r.n > (SELECT min(n) FROM province.record WHERE region = '220300' AND listed))
   AND (f.fault <> 'kind' OR r.unit_kind = 'social_group')
 ORDER BY f.region, f.fault, r.n;
UPDATE subsidy.contribution_staging s SET uscc = overlay(s.uscc PLACING 'O' FROM 5 FOR 1)
  FROM province.fault f WHERE f.fault = 'code' AND s.uscc = f.uscc;
INSERT INTO subsidy.contribution_staging (region, year, uscc, name, unit_kind, firm_size, insured_start, insured_end,
    insured_average, retirements_deaths, layoffs, new_claimants, premiums_payable, premiums_paid,
    arrears_basis_year, arrears_other_years, full_contribution_months, monthly_premiums_payable,
    tax_bank_name, tax_bank_account)
SELECT s.region, s.year, s.uscc, s.name, s.unit_kind, s.firm_size, s.insured_start, s.insured_end,
       s.insured_average, s.retirements_deaths, s.layoffs, s.new_claimants, s.premiums_payable, s.premiums_paid,
       s.arrears_basis_year, s.arrears_other_years, s.full_contribution_months, s.monthly_premiums_payable,
       s.tax_bank_name, s.tax_bank_account
  FROM subsidy.contribution_staging s JOIN province.fault f ON f.fault = 'twice' AND s.uscc = f.uscc;
UPDATE subsidy.contribution_staging s SET premiums_paid = replace(s.premiums_paid, '.', ',')
  FROM province.fault f WHERE f.fault = 'comma' AND s.uscc = f.uscc;
UPDATE subsidy.contribution_staging s SET name = ''
  FROM province.fault f WHERE f.fault = 'no_name' AND s.uscc = f.uscc;
UPDATE subsidy.contribution_staging s SET unit_kind = '社会团体'
  FROM province.fault f WHERE f.fault = 'kind' AND s.uscc = f.uscc;

SELECT region, count(*) AS lines_staged FROM subsidy.contribution_staging WHERE year = :'year' GROUP BY region ORDER BY region;

-- The agency checks every pool's file; the pools whose files are clean are loaded.
\pset footer off
SELECT p.line, p.uscc, p.problem
  FROM subsidy.region r CROSS JOIN LATERAL subsidy.contribution_problems(r.code, :year) p
 WHERE r.is_pool ORDER BY r.code, p.line;
SET client_min_messages = warning;
SELECT r.code AS region, subsidy.load_contributions(r.code, :year) AS records_loaded
  FROM subsidy.region r
 WHERE r.is_pool AND EXISTS (SELECT FROM subsidy.contribution_staging s WHERE s.region = r.code AND s.year = :'year')
   AND NOT EXISTS (SELECT FROM subsidy.contribution_problems(r.code, :year))
 ORDER BY r.code;
RESET client_min_messages;

-- Loading a file with bad lines refuses all of it, naming each line and what is wrong with it.
\set ON_ERROR_STOP 0
\set SHOW_CONTEXT never
SELECT subsidy.load_contributions('220300', :year);
\set SHOW_CONTEXT errors
\set ON_ERROR_STOP 1
SELECT count(*) AS records_of_220300_loaded FROM subsidy.contribution_record WHERE region = '220300' AND year = :year;

-- The agencies correct their files (the code as registered, the repeated line dropped, the
-- figure in yuan, the unit's name from its certificate, the kind by its label) and load them.
UPDATE subsidy.contribution_staging s SET uscc = f.uscc
  FROM province.fault f WHERE f.fault = 'code' AND s.region = f.region AND s.uscc = overlay(f.uscc PLACING 'O' FROM 5 FOR 1);
DELETE FROM subsidy.contribution_staging s
 USING province.fault f WHERE f.fault = 'twice' AND s.uscc = f.uscc
   AND s.line > (SELECT min(t.line) FROM subsidy.contribution_staging t WHERE t.uscc = f.uscc);
UPDATE subsidy.contribution_staging s SET premiums_paid = replace(s.premiums_paid, ',', '.')
  FROM province.fault f WHERE f.fault = 'comma' AND s.uscc = f.uscc;
UPDATE subsidy.contribution_staging s SET name = u.name
  FROM province.fault f JOIN province.unit u ON u.uscc = f.uscc WHERE f.fault = 'no_name' AND s.uscc = f.uscc;
UPDATE subsidy.contribution_staging s SET unit_kind = 'social_group'
  FROM province.fault f WHERE f.fault = 'kind' AND s.uscc = f.uscc;
SET client_min_messages = warning;
SELECT r.code AS region, subsidy.load_contributions(r.code, :year) AS records_loaded
  FROM subsidy.region r
 WHERE r.is_pool AND EXISTS (SELECT FROM subsidy.contribution_staging s WHERE s.region = r.code AND s.year = :'year')
 ORDER BY r.code;
RESET client_min_messages;
\pset footer on
SELECT count(*) AS records, count(*) FILTER (WHERE unit_kind <> 'enterprise') AS of_the_six_kinds,
       count(*) FILTER (WHERE tax_bank_account IS NOT NULL) AS with_tax_account
  FROM subsidy.contribution_record WHERE year = :year;
