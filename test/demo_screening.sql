-- The end of the main job's screening year (免申即享): what it came to, and the two years side
-- by side.  psql -v year=2022 -v apply_year=2019 -f test/demo_screening.sql
\pset footer off
SET search_path = public, subsidy;

\echo
\echo '-- 免申即享 ':year': every insured unit screened from the agencies'' records, per pooling region:'
SELECT s.region, r.name AS region_name, count(*) AS units,
       count(*) FILTER (WHERE s.outcome = 'ineligible') AS ineligible,
       count(*) FILTER (WHERE NOT s.screenable AND s.outcome <> 'ineligible') AS undetermined,
       count(a.id) AS screened, count(*) FILTER (WHERE a.stage = 'withdrawn') AS declined,
       count(*) FILTER (WHERE a.decision = 'approved') AS approved, count(*) FILTER (WHERE a.decision = 'rejected') AS rejected,
       coalesce(sum(a.decided_amount) FILTER (WHERE a.decision = 'approved'), 0) AS amount_decided,
       coalesce(sum(t.amount), 0) AS top_ups, coalesce(sum(a.paid_amount), 0) + coalesce(sum(t.amount), 0) AS amount_paid
  FROM screening s
  JOIN region r ON r.code = s.region
  LEFT JOIN application a ON a.id = s.application_id
  LEFT JOIN top_up t ON t.application_id = a.id AND t.paid_on IS NOT NULL
 WHERE s.year = :year
 GROUP BY s.region, r.name ORDER BY s.region;

\echo
\echo '-- Why the ineligible were not notified (a unit may fail several rules), and what the undetermined lack:'
SELECT rule, count(*) AS units FROM screening s, unnest(s.failed_rules) AS rule
 WHERE s.year = :year AND s.outcome = 'ineligible' GROUP BY rule ORDER BY length(rule), rule;
SELECT fact AS missing_fact, count(*) AS units FROM screening s, unnest(s.missing_facts) AS fact
 WHERE s.year = :year AND NOT s.screenable AND s.outcome <> 'ineligible'
   AND fact NOT IN ('financial_management_sound', 'policy_compliant', 'zombie', 'serious_dishonesty', 'decided_on')
 GROUP BY fact ORDER BY fact;

\echo
\echo '-- A1 by size class and kind, and the top-ups where the rate rose after payment (A6; 2022: large units 0.3 before 1 June, 0.5 from it):'
SELECT CASE WHEN a.unit_kind <> 'enterprise' THEN '六类单位 (' || a.unit_kind || ')' ELSE a.firm_size::text END AS class,
       a.decided_rate AS rate, count(*) AS approved, sum(a.decided_amount) AS first_payment,
       count(t.id) AS top_ups, coalesce(sum(t.amount), 0) AS top_up_amount, max(t.rate_now) AS rate_now
  FROM application a LEFT JOIN top_up t ON t.application_id = a.id
 WHERE a.year = :year AND a.decision = 'approved'
 GROUP BY 1, 2 ORDER BY 1, 2;

\echo
\echo '-- The two years side by side (R3''s province row, frozen as sent; the top-ups paid as second payments):'
SELECT y.year, y.mode, r.enterprises_applied AS applied_or_confirmed, r.enterprises_approved AS approved,
       r.amount_total AS amount_decided, coalesce(t.amount, 0) AS top_ups, r.amount_paid + coalesce(t.amount, 0) AS paid_in_all,
       r.days_to_payment_average AS days_to_pay, r.fund_cover_months
  FROM (VALUES (:apply_year, 'apply'), (:year, 'screen')) AS y(year, mode)
 CROSS JOIN LATERAL (SELECT * FROM annual_report(y.year) WHERE level = 'province') r
  LEFT JOIN LATERAL (SELECT sum(amount) AS amount FROM top_up WHERE year = y.year AND paid_on IS NOT NULL) t ON true
 ORDER BY y.year;
