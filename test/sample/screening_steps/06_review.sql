-- Step of test/sample/screening.sql (which documents the screening year); run by it in order,
-- or on its own, each step in its own session.
\set ON_ERROR_STOP 1
SELECT year, applications FROM province.settings \gset

-- The joint review of what the units confirmed (W3): hrss starts it, settles policy compliance
-- (0.5 % fail) and the list's silences (zombie, serious dishonesty), finance the financial
-- management (1 % unsound); the agency's part is its own records.  A party that fails one
-- records the finding and signs that one off failed; then each party signs the rest of each
-- pool's screened list at once (each sign-off still its own, logged per application).
SELECT pg_catalog.set_config('subsidy.today', to_char(make_date(:year, 5, 16), 'YYYY-MM-DD'), false) AS ignored \gset
SET client_min_messages = warning;
SELECT sum(subsidy.start_review(r.code, :year)) AS reviews_started FROM subsidy.region r WHERE r.is_pool;
UPDATE subsidy.application a
   SET policy_compliant = province.u(app.n, 150) >= 0.005,
       zombie = coalesce(a.zombie, false), serious_dishonesty = coalesce(a.serious_dishonesty, false),
       financial_management_sound = province.u(app.n, 151) >= 0.01
  FROM province.app app WHERE app.id = a.id AND a.stage = 'in_review';
SELECT count(*) FILTER (WHERE s.agency = 'hrss') AS failed_by_hrss, count(*) FILTER (WHERE s.agency = 'finance') AS failed_by_finance
  FROM subsidy.application a
 CROSS JOIN LATERAL (VALUES ('hrss'::subsidy.agency, a.policy_compliant, '产业政策复核未通过'),
                            ('finance'::subsidy.agency, a.financial_management_sound, '财务管理制度不健全')) AS f(agency, holds, comment)
 CROSS JOIN LATERAL subsidy.sign_off(a.id, f.agency, false, f.comment) s
 WHERE a.year = :year AND a.stage = 'in_review' AND NOT f.holds;
SELECT g.agency, sum(subsidy.sign_off_screened(r.code, :year, g.agency)) AS signed_for_the_list
  FROM unnest(enum_range(NULL::subsidy.agency)) AS g(agency) CROSS JOIN subsidy.region r
 WHERE r.is_pool GROUP BY g.agency ORDER BY g.agency;
RESET client_min_messages;
RESET subsidy.today;
