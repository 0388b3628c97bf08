-- The end of the main job: what a person wants to see once the year is closed.
\pset footer off
SET search_path = public, subsidy;

\echo
\echo '-- R1 年度失业保险稳岗补贴申请汇总表 (annex 3), per pooling region:'
SELECT region, region_name, applied, approved, rejected, rejected_e1 AS e1, rejected_e2 AS e2, rejected_e5 AS e5,
       rejected_e7 AS e7, insured_covered, amount_a1, amount_a2, amount_a3, amount_total
  FROM region_summary WHERE year = :year ORDER BY region;

\pset tuples_only on
SELECT format('%s grants nothing in %s: its fund covers %s months of expenditure, fewer than the %s that E7 requires.',
              region_name, year, trim_scale(months_of_cover), trim_scale(months_required))
  FROM analysis_fund_sufficiency WHERE year = :year AND months_of_cover < months_required ORDER BY region;
\pset tuples_only off

\echo
\echo '-- R2 公示名单, the first lines of 长白山管委会''s list, amounts in figures and in capitals:'
SELECT enterprise, uscc, category_name, amount, amount_in_capitals, publicity_starts_on, publicity_ends_on
  FROM publicity_list WHERE year = :year AND region = '22X002' LIMIT 5;

\echo
\echo '-- R3 年度实施情况报告, the province and its pools (frozen as sent):'
SELECT level, region_name, enterprises_applied AS applied, enterprises_approved AS approved,
       employees_covered, amount_total, amount_paid, decapacity_enterprises AS decapacity,
       zombies_refused, days_to_payment_average AS days_to_pay, fund_cover_months
  FROM annual_report(:year);
SELECT count(*) AS changes_since_frozen FROM annual_report_changes(:year);

\echo
\echo '-- W9 the audit trail: every step of the year logged, one hash chain per region, verified:'
SELECT action, count(*) AS entries FROM audit_log GROUP BY action ORDER BY action;
SELECT count(*) AS problems_found_by_verify_audit FROM verify_audit();
SELECT region, seq AS last_entry, left(hash, 16) || '…' AS chain_head FROM audit_head ORDER BY region;
