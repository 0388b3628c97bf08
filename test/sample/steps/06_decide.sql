-- Step of test/sample/province.sql (which documents the province); run by it in order, or
-- on its own (each step in its own session) by test/bench/cycle.sh.
\set ON_ERROR_STOP 1
SELECT year, applications FROM province.settings \gset

-- Each party signs its part (finance fails the ones it found unsound, hrss a few on policy,
-- having recorded that finding first: a failed sign-off is a failed rule, W3), and hrss
-- records the joint decision of every application with all its facts.
SELECT pg_catalog.set_config('subsidy.today', to_char(make_date(:year, 6, 17), 'YYYY-MM-DD'), false) AS ignored \gset
UPDATE subsidy.application a SET policy_compliant = false
  FROM province.app app
 WHERE app.id = a.id AND a.stage = 'in_review' AND province.u(app.n, 51) < 0.005;
INSERT INTO subsidy.sign_off (application_id, review_round, agency, passed, comment)
SELECT a.id, a.review_round, g.agency,
       CASE g.agency WHEN 'finance' THEN a.financial_management_sound IS NOT FALSE
                     WHEN 'hrss' THEN province.u(app.n, 51) >= 0.005 ELSE true END,
       CASE WHEN g.agency = 'finance' AND a.financial_management_sound IS FALSE THEN '财务管理制度不健全'
            WHEN g.agency = 'hrss' AND province.u(app.n, 51) < 0.005 THEN '产业政策复核未通过' END
  FROM subsidy.application a JOIN province.app app ON app.id = a.id
 CROSS JOIN unnest(enum_range(NULL::subsidy.agency)) AS g(agency)
 WHERE a.stage = 'in_review'
 ORDER BY a.id, g.agency;
SELECT sum(d.decided) AS decided, sum(d.approved) AS approved, sum(d.rejected) AS rejected, sum(d.waiting) AS waiting
  FROM subsidy.region r CROSS JOIN LATERAL subsidy.decide(r.code, :year) d WHERE r.is_pool;
RESET subsidy.today;

-- Those that waited for a missing fact get it a week later (the lists' late entries, the
-- agency's late confirmations, finance's pending review) and are decided in turn: every
-- application ends decided.
SELECT pg_catalog.set_config('subsidy.today', to_char(make_date(:year, 6, 24), 'YYYY-MM-DD'), false) AS ignored \gset
UPDATE subsidy.enterprise_year SET zombie = coalesce(zombie, false), firm_size = coalesce(firm_size, 'small_micro')
 WHERE year = :year AND (zombie IS NULL OR firm_size IS NULL);
UPDATE subsidy.application a
   SET confirmed_insured_start = coalesce(a.confirmed_insured_start, a.insured_start),
       confirmed_premiums_paid = coalesce(a.confirmed_premiums_paid, a.premiums_paid),
       confirmed_layoffs = coalesce(a.confirmed_layoffs, a.layoffs),
       financial_management_sound = coalesce(a.financial_management_sound, true)
 WHERE a.year = :year AND a.stage = 'in_review';
-- the late facts void the sign-offs given before them (W3a): each party signs again
UPDATE subsidy.sign_off s SET passed = s.passed
  FROM subsidy.application a
 WHERE a.id = s.application_id AND a.year = :year AND a.stage = 'in_review' AND s.review_round = a.review_round;
SELECT sum(d.decided) AS decided_later, sum(d.approved) AS approved, sum(d.rejected) AS rejected, sum(d.waiting) AS waiting
  FROM subsidy.region r CROSS JOIN LATERAL subsidy.decide(r.code, :year) d WHERE r.is_pool;
RESET subsidy.today;
