-- Step of test/sample/screening.sql (which documents the screening year); run by it in order,
-- or on its own, each step in its own session.
\set ON_ERROR_STOP 1
SELECT year, applications FROM province.settings \gset

-- The units answer within the week: 4 % decline; the others confirm, half of those on the
-- register naming the account they are paid into, the rest leaving it to the account on file
-- (a new unit without one, to the tax bureau's contribution account; a new unit with neither
-- gives its own).
SELECT pg_catalog.set_config('subsidy.today', to_char(make_date(:year, 5, 10), 'YYYY-MM-DD'), false) AS ignored \gset
SET client_min_messages = warning;
SELECT count(*) AS declined
  FROM province.app app CROSS JOIN LATERAL subsidy.decline_screened(app.id) d
 WHERE province.u(app.n, 140) < 0.04;
SELECT count(*) AS confirmed
  FROM subsidy.application a
  JOIN province.app app ON app.id = a.id
  JOIN subsidy.enterprise e ON e.uscc OPERATOR(subsidy.=) a.uscc
  LEFT JOIN subsidy.contribution_record c ON c.uscc OPERATOR(subsidy.=) a.uscc AND c.year = a.year
 CROSS JOIN LATERAL subsidy.confirm_screened(a.id,
         CASE WHEN app.listed AND province.u(app.n, 141) < 0.5 THEN e.bank_name
              WHEN NOT app.listed AND c.tax_bank_account IS NULL THEN '中国建设银行吉林省分行' END,
         CASE WHEN app.listed AND province.u(app.n, 141) < 0.5 THEN e.bank_account
              WHEN NOT app.listed AND c.tax_bank_account IS NULL
              THEN '6217 0000 ' || lpad(((province.u(app.n, 142) * 1e9)::bigint)::text, 9, '0') END) x
 WHERE a.year = :year AND a.stage = 'screened';
RESET client_min_messages;
RESET subsidy.today;
