-- Step of test/sample/screening.sql (which documents the screening year); run by it in order,
-- or on its own, each step in its own session.
\set ON_ERROR_STOP 1
SELECT year, applications FROM province.settings \gset

-- On 9 May each pool's agency screens every unit on record: the eligible ones become screened
-- applications on the agency's figures and are notified; the undetermined are listed with
-- what is missing; the ineligible keep their reasons.
SELECT pg_catalog.set_config('subsidy.today', to_char(make_date(:year, 5, 9), 'YYYY-MM-DD'), false) AS ignored \gset
SET client_min_messages = warning;
SELECT sum(s.screened) AS screened, sum(s.undetermined) AS undetermined, sum(s.ineligible) AS ineligible
  FROM subsidy.region r CROSS JOIN LATERAL subsidy.screen(r.code, :year) s
 WHERE r.is_pool AND EXISTS (SELECT FROM subsidy.contribution_record c WHERE c.region = r.code AND c.year = :year);
RESET client_min_messages;
RESET subsidy.today;

-- the generator's own map from application to unit, for the steps that follow
CREATE TABLE province.app AS
SELECT a.id, u.n, u.listed FROM subsidy.application a JOIN province.unit u ON u.uscc::subsidy.uscc OPERATOR(subsidy.=) a.uscc
 WHERE a.year = :year;
CREATE INDEX ON province.app (id);
ANALYZE province.app;
