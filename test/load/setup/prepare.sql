-- The load suite's starting state (test/load/run.sh): a province made by the generator
-- (test/sample/province.sql, run to in_review with -v keep=1 before this file), taken by the
-- DBA through June and early July so that on the load's first business day, 16 July 2019,
-- there is work of every kind waiting in every pool.  Each application falls into one group
-- by a hash of its id (province.u(id, 77)), so the state is the same on every run:
--
--   S  35 %  in review, some sign-offs given          the three parties sign off
--   D  15 %  in review, all three sign-offs given     hrss decides
--   P1 15 %  published 1 July, ended 9 July           hrss clears
--   P2 10 %  decided 10 July, published 15 July       hrss takes objections (until 23 July)
--   C  20 %  published 1 July, cleared 10 July        the agency pays
--   X   5 %  paid 11 July from the banks' first file  (payments to collide with)
--
-- Rejected decisions stay decided (objections against them are W4's).  S and D keep the
-- generator's missing facts (1 % of each), which the parties confirm when they sign off; until
-- then hrss's decision is refused (E0).  Every step runs as the DBA through the extension's own
-- entry points and the stage guard, with subsidy.today set to the day it happened.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

CREATE TABLE province.load_group AS
SELECT a.id, a.region,
       CASE WHEN u < 0.35 THEN 'S' WHEN u < 0.50 THEN 'D' WHEN u < 0.65 THEN 'P1'
            WHEN u < 0.75 THEN 'P2' WHEN u < 0.95 THEN 'C' ELSE 'X' END AS grp
  FROM subsidy.application a, LATERAL (SELECT province.u(a.id, 77) AS u) h
 WHERE a.year = 2019 AND a.stage = 'in_review';
CREATE UNIQUE INDEX ON province.load_group (id);
ANALYZE province.load_group;

-- 17 June: sign-offs.  Groups past S have all three (finance fails the unsound, hrss the
-- non-compliant, as in steps/06_decide.sql); in S each party has signed a quarter.
SELECT set_config('subsidy.today', '2019-06-17', false) AS today \gset
INSERT INTO subsidy.sign_off (application_id, review_round, agency, passed, comment)
SELECT a.id, a.review_round, g.agency,
       CASE g.agency WHEN 'finance' THEN a.financial_management_sound IS NOT FALSE
                     WHEN 'hrss' THEN a.policy_compliant IS NOT FALSE ELSE true END,
       CASE WHEN g.agency = 'finance' AND a.financial_management_sound IS FALSE THEN '财务管理制度不健全'
            WHEN g.agency = 'hrss' AND a.policy_compliant IS FALSE THEN '产业政策复核未通过' END
  FROM subsidy.application a JOIN province.load_group l ON l.id = a.id
 CROSS JOIN unnest(enum_range(NULL::subsidy.agency)) AS g(agency)
 WHERE l.grp <> 'S' OR province.u(a.id, 78 + array_position(enum_range(NULL::subsidy.agency), g.agency)) < 0.25;

-- 24 June: the facts that were missing come in for the groups decided before the load
-- (the lists' late entries, the agency's, hrss's and finance's late confirmations).
SELECT set_config('subsidy.today', '2019-06-24', false) AS today \gset
UPDATE subsidy.enterprise_year y SET zombie = coalesce(y.zombie, false), firm_size = coalesce(y.firm_size, 'small_micro')
  FROM subsidy.application a JOIN province.load_group l ON l.id = a.id
 WHERE y.uscc OPERATOR(subsidy.=) a.uscc AND y.year = 2019 AND l.grp NOT IN ('S', 'D')
   AND (y.zombie IS NULL OR y.firm_size IS NULL);
UPDATE subsidy.application a
   SET confirmed_insured_start = coalesce(a.confirmed_insured_start, a.insured_start),
       confirmed_premiums_paid = coalesce(a.confirmed_premiums_paid, a.premiums_paid),
       confirmed_layoffs = coalesce(a.confirmed_layoffs, a.layoffs),
       financial_management_sound = coalesce(a.financial_management_sound, true)
  FROM province.load_group l
 WHERE l.id = a.id AND l.grp NOT IN ('S', 'D')
   AND (a.confirmed_insured_start IS NULL OR a.confirmed_premiums_paid IS NULL OR a.confirmed_layoffs IS NULL
        OR a.financial_management_sound IS NULL);
-- The late facts void the sign-offs given before them (W3a): each party signs again, as
-- test/sample/steps/06_decide.sql does, on the figures as they now stand.
UPDATE subsidy.sign_off s SET passed = s.passed
  FROM subsidy.application a JOIN province.load_group l ON l.id = a.id
 WHERE a.id = s.application_id AND l.grp NOT IN ('S', 'D') AND s.review_round = a.review_round;
-- ... and hrss decides P1, C and X.
UPDATE subsidy.application a SET stage = 'decided'
  FROM province.load_group l WHERE l.id = a.id AND l.grp IN ('P1', 'C', 'X');

-- 1 July: every pool publishes its approved list (7 working days: to 9 July).
SELECT set_config('subsidy.today', '2019-07-01', false) AS today \gset
SELECT count(*) AS publicity_periods, sum(applications) AS published, max(ends_on) AS ends_on
  FROM subsidy.start_publicity(2019, '2019-07-01');

-- 10 July: C and X clear; P2 is decided.
SELECT set_config('subsidy.today', '2019-07-10', false) AS today \gset
UPDATE subsidy.application a SET stage = 'cleared'
  FROM province.load_group l WHERE l.id = a.id AND l.grp IN ('C', 'X') AND a.stage = 'in_publicity';
UPDATE subsidy.application a SET stage = 'decided'
  FROM province.load_group l WHERE l.id = a.id AND l.grp = 'P2';

-- 12 July: the agency applies the banks' first payment file (X, paid 11 July), and hrss
-- publishes P2's approved list from Monday 15 July (to 23 July).
SELECT set_config('subsidy.today', '2019-07-12', false) AS today \gset
INSERT INTO subsidy.payment_file_load (batch, uscc, year, amount, paid_on, reference)
SELECT '2019-首批', a.uscc, a.year, a.decided_amount, date '2019-07-11', format('PAY-2019-%s', a.id)
  FROM subsidy.application a JOIN province.load_group l ON l.id = a.id
 WHERE l.grp = 'X' AND a.stage = 'cleared';
CALL subsidy.pay_batch('2019-首批');
SELECT count(*) AS publicity_periods, sum(applications) AS published, max(ends_on) AS ends_on
  FROM subsidy.start_publicity(2019, '2019-07-15');
RESET subsidy.today;

-- Late drafts: enterprises that come after the window closed (their submissions are refused,
-- W2), 40 in each pooling region; valid codes of the region's division with organisation
-- codes LD010001... (the generator never draws an LD code).
INSERT INTO subsidy.enterprise (uscc, name, region, bank_name, bank_account)
SELECT b.body || subsidy.uscc_check_character(b.body), format('%s迟报%s号有限公司', p.short_name, i), p.code,
       '吉林银行' || p.short_name || '分行', '62' || lpad((900000000000000 + k * 1000 + i)::text, 17, '0')
  FROM (SELECT q.*, row_number() OVER (ORDER BY q.code) AS k FROM province.pool q) p
 CROSS JOIN generate_series(1, 40) AS i,
       LATERAL (SELECT 'LD' || lpad(p.k::text, 2, '0') || lpad(i::text, 4, '0') AS org) o,
       LATERAL (SELECT '91' || CASE WHEN p.code LIKE '22X%' THEN '220000' ELSE p.code END
                       || o.org || province.org_check(o.org) AS body) b;
INSERT INTO subsidy.enterprise_year (uscc, year, decapacity, key_supported, zombie, monitored, firm_size)
SELECT e.uscc, 2019, false, false, false, false, 'small_micro' FROM subsidy.enterprise e WHERE e.name LIKE '%迟报%';
INSERT INTO subsidy.application (year, uscc, insured_start, insured_end, insured_average, layoffs, retirements_deaths,
  premiums_payable, premiums_paid, arrears_basis_year, arrears_other_years, deferral_agreement, prior_subsidy, documents)
SELECT 2019, e.uscc, 20, 21, 20.5, 0, 0, 25000.00, 25000.00, 0, 0, false, 0, '{annex1_materials,annex2_form}'
  FROM subsidy.enterprise e WHERE e.name LIKE '%迟报%';

ANALYZE subsidy.application;
ANALYZE subsidy.sign_off;
ANALYZE subsidy.publicity;
ANALYZE subsidy.audit_log;
RESET client_min_messages;
SELECT l.grp AS "group", a.stage, a.decision, count(*)
  FROM subsidy.application a LEFT JOIN province.load_group l ON l.id = a.id
 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
