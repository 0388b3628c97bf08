--
-- Reports (DOMAIN section 10): for people (Chinese headings, amounts in capitals) and for
-- tools over ODBC (standard SQL types only, every column described).
--

-- R2: amounts in Chinese capitals, by the People's Bank of China rules for bills.
CREATE FUNCTION subsidy.rmb_upper(numeric) RETURNS text
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION subsidy.rmb_upper(numeric) IS
  'R2 人民币大写: an amount in yuan (0 to 9,999,999,999.99, to the fen) in Chinese capitals as bills write them: 人民币壹拾万柒仟元零伍角叁分';

-- The categories of A1-A3 as the reports name them.
CREATE FUNCTION subsidy.category_name(rule text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN rule OPERATOR(pg_catalog.=) 'A1' THEN '一般企业（按实缴）'
              WHEN rule OPERATOR(pg_catalog.=) 'A2' THEN '去产能企业（按应缴）'
              WHEN rule OPERATOR(pg_catalog.=) 'A3' THEN '延期缴费企业（按应缴）' END
$$;
COMMENT ON FUNCTION subsidy.category_name(text) IS
  'the Chinese name of an amount rule: A1 一般企业（按实缴）, A2 去产能企业（按应缴）, A3 延期缴费企业（按应缴）';

-- R1 detail: every application of a year past submission, with the confirmed figures and
-- the decision; what the summary counts, one row each.
CREATE VIEW subsidy.application_list WITH (security_invoker = true) AS
SELECT a.region, r.name AS region_name, a.year, a.id AS application_id, a.uscc::text AS uscc,
       e.name AS enterprise, a.stage::text AS stage, a.submitted_on, a.firm_size::text AS firm_size,
       (a.decapacity::integer) AS is_decapacity, (a.key_supported::integer) AS is_key_supported,
       (a.zombie::integer) AS is_zombie, (a.monitored::integer) AS is_monitored,
       a.confirmed_insured_start AS insured_start, a.confirmed_insured_end AS insured_end,
       a.confirmed_insured_average AS insured_average, a.confirmed_layoffs AS layoffs,
       a.confirmed_premiums_payable AS premiums_payable, a.confirmed_premiums_paid AS premiums_paid,
       a.decision::text AS decision, a.decided_on, a.decided_rule AS category,
       subsidy.category_name(a.decided_rule) AS category_name, a.decided_rate AS rate,
       a.decided_amount AS amount, pg_catalog.array_to_string(a.decided_reasons, '; ') AS reasons,
       a.paid_on, a.paid_amount
  FROM subsidy.application a
  JOIN subsidy.enterprise e ON e.uscc OPERATOR(subsidy.=) a.uscc
  JOIN subsidy.region r ON r.code = a.region
 WHERE a.stage NOT IN ('draft', 'withdrawn');
COMMENT ON VIEW subsidy.application_list IS
  'R1 申请明细: every application of a year past submission, with its confirmed figures (A5) and decision; the rows behind region_summary (the caller''s regions)';

-- R1: per region and year, the totals of annex 3.
CREATE VIEW subsidy.region_summary WITH (security_invoker = true) AS
SELECT t.region, r.name AS region_name, t.year, t.applied, t.approved, t.rejected, t.awaiting_decision,
       t.rejected_e1, t.rejected_e2, t.rejected_e3, t.rejected_e4, t.rejected_e5, t.rejected_e6, t.rejected_e7,
       t.rejected_e8, t.rejected_e10, t.rejected_in_sign_off, t.insured_covered, t.premiums_payable,
       t.premiums_paid, t.approved_a1, t.approved_a2, t.approved_a3, t.amount_a1, t.amount_a2, t.amount_a3,
       t.amount_total
  FROM (
    SELECT a.region, a.year,
           pg_catalog.count(*)::integer AS applied,
           pg_catalog.count(*) FILTER (WHERE a.decision = 'approved')::integer AS approved,
           pg_catalog.count(*) FILTER (WHERE a.decision = 'rejected')::integer AS rejected,
           pg_catalog.count(*) FILTER (WHERE a.decision IS NULL)::integer AS awaiting_decision,
           pg_catalog.count(*) FILTER (WHERE 'E1' = ANY (a.decided_reasons))::integer AS rejected_e1,
           pg_catalog.count(*) FILTER (WHERE 'E2' = ANY (a.decided_reasons))::integer AS rejected_e2,
           pg_catalog.count(*) FILTER (WHERE 'E3' = ANY (a.decided_reasons))::integer AS rejected_e3,
           pg_catalog.count(*) FILTER (WHERE 'E4' = ANY (a.decided_reasons))::integer AS rejected_e4,
           pg_catalog.count(*) FILTER (WHERE 'E5' = ANY (a.decided_reasons))::integer AS rejected_e5,
           pg_catalog.count(*) FILTER (WHERE 'E6' = ANY (a.decided_reasons))::integer AS rejected_e6,
           pg_catalog.count(*) FILTER (WHERE 'E7' = ANY (a.decided_reasons))::integer AS rejected_e7,
           pg_catalog.count(*) FILTER (WHERE 'E8' = ANY (a.decided_reasons))::integer AS rejected_e8,
           pg_catalog.count(*) FILTER (WHERE 'E10' = ANY (a.decided_reasons))::integer AS rejected_e10,
           pg_catalog.count(*) FILTER (WHERE a.decision = 'rejected'
                                         AND pg_catalog.array_to_string(a.decided_reasons, ' ') ~ '(^| )W3 ')::integer
             AS rejected_in_sign_off,
           coalesce(pg_catalog.sum(a.confirmed_insured_end) FILTER (WHERE a.decision = 'approved'), 0)::integer
             AS insured_covered,
           coalesce(pg_catalog.sum(a.confirmed_premiums_payable) FILTER (WHERE a.decision = 'approved'), 0)::numeric(16,2)
             AS premiums_payable,
           coalesce(pg_catalog.sum(a.confirmed_premiums_paid) FILTER (WHERE a.decision = 'approved'), 0)::numeric(16,2)
             AS premiums_paid,
           pg_catalog.count(*) FILTER (WHERE a.decided_rule = 'A1' AND a.decision = 'approved')::integer AS approved_a1,
           pg_catalog.count(*) FILTER (WHERE a.decided_rule = 'A2' AND a.decision = 'approved')::integer AS approved_a2,
           pg_catalog.count(*) FILTER (WHERE a.decided_rule = 'A3' AND a.decision = 'approved')::integer AS approved_a3,
           coalesce(pg_catalog.sum(a.decided_amount) FILTER (WHERE a.decided_rule = 'A1' AND a.decision = 'approved'), 0)::numeric(16,2)
             AS amount_a1,
           coalesce(pg_catalog.sum(a.decided_amount) FILTER (WHERE a.decided_rule = 'A2' AND a.decision = 'approved'), 0)::numeric(16,2)
             AS amount_a2,
           coalesce(pg_catalog.sum(a.decided_amount) FILTER (WHERE a.decided_rule = 'A3' AND a.decision = 'approved'), 0)::numeric(16,2)
             AS amount_a3,
           coalesce(pg_catalog.sum(a.decided_amount) FILTER (WHERE a.decision = 'approved'), 0)::numeric(16,2) AS amount_total
      FROM subsidy.application a
     WHERE a.stage NOT IN ('draft', 'withdrawn')
     GROUP BY a.region, a.year
  ) t
  JOIN subsidy.region r ON r.code = t.region;
COMMENT ON VIEW subsidy.region_summary IS
  'R1 年度失业保险稳岗补贴申请汇总表 (annex 3) totals: per region and year, applications, decisions, rejections by rule, insured covered, premiums and amounts by category (the caller''s regions)';

-- R1, as annex 3 is printed: Chinese headings, each region's enterprises in pinyin order and
-- then its totals row (合计).
CREATE VIEW subsidy.annex3 WITH (security_invoker = true) AS
SELECT s.region AS "统筹地区代码", s.region_name AS "统筹地区", s.year AS "补贴年度",
       s.row_number AS "序号", s.enterprise AS "单位名称", s.uscc AS "统一社会信用代码",
       s.category_name AS "企业类别",
       s.insured_start AS "上年初参保人数", s.insured_end AS "上年末参保人数",
       s.insured_average AS "上年度月均参保人数", s.layoffs AS "上年度裁员人数",
       s.premiums_payable AS "上年度应缴失业保险费（元）", s.premiums_paid AS "上年度实缴失业保险费（元）",
       s.amount AS "核定补贴金额（元）", s.result AS "审核结果", s.reasons AS "未通过原因"
  FROM (
    SELECT l.region, l.region_name, l.year, false AS is_total,
           pg_catalog.row_number() OVER (PARTITION BY l.region, l.year
                                         ORDER BY l.enterprise COLLATE subsidy.pinyin, l.uscc)::integer AS row_number,
           l.enterprise, l.uscc, l.category_name, l.insured_start, l.insured_end,
           l.insured_average::numeric(14,2) AS insured_average, l.layoffs,
           l.premiums_payable::numeric(16,2) AS premiums_payable, l.premiums_paid::numeric(16,2) AS premiums_paid,
           l.amount::numeric(16,2) AS amount,
           CASE l.decision WHEN 'approved' THEN '通过' WHEN 'rejected' THEN '不通过' ELSE '审核中' END AS result,
           l.reasons
      FROM subsidy.application_list l
    UNION ALL
    SELECT l.region, l.region_name, l.year, true, NULL, '合计', NULL, NULL,
           pg_catalog.sum(l.insured_start)::integer, pg_catalog.sum(l.insured_end)::integer,
           pg_catalog.sum(l.insured_average)::numeric(14,2), pg_catalog.sum(l.layoffs)::integer,
           pg_catalog.sum(l.premiums_payable)::numeric(16,2), pg_catalog.sum(l.premiums_paid)::numeric(16,2),
           pg_catalog.sum(l.amount)::numeric(16,2),
           pg_catalog.format('通过 %s 户，不通过 %s 户', pg_catalog.count(*) FILTER (WHERE l.decision = 'approved'),
                             pg_catalog.count(*) FILTER (WHERE l.decision = 'rejected')),
           NULL
      FROM subsidy.application_list l
     GROUP BY l.region, l.region_name, l.year
  ) s
 ORDER BY s.year, s.region, s.is_total, s.row_number;
COMMENT ON VIEW subsidy.annex3 IS
  'R1 as annex 3 (附件3 年度失业保险稳岗补贴申请汇总表) is printed: Chinese headings, regions by code, enterprises in pinyin order, then a totals row (合计) per region (the caller''s regions)';

-- R2: the publicity list (公示名单), as hrss publishes it.
CREATE VIEW subsidy.publicity_list WITH (security_invoker = true) AS
SELECT a.region, r.name AS region_name, a.year, e.name AS enterprise, a.uscc::text AS uscc,
       a.decided_rule AS category, subsidy.category_name(a.decided_rule) AS category_name,
       a.decided_amount AS amount, subsidy.rmb_upper(a.decided_amount) AS amount_in_capitals,
       p.starts_on AS publicity_starts_on, p.ends_on AS publicity_ends_on, a.stage::text AS stage
  FROM subsidy.application a
  JOIN subsidy.publicity p ON p.id = a.publicity_id
  JOIN subsidy.enterprise e ON e.uscc OPERATOR(subsidy.=) a.uscc
  JOIN subsidy.region r ON r.code = a.region
 WHERE a.decision = 'approved'
 ORDER BY a.year, a.region, p.starts_on, e.name COLLATE subsidy.pinyin, a.uscc::text;
COMMENT ON VIEW subsidy.publicity_list IS
  'R2 公示名单: the approved applications as published (W5), with the amount in figures and in capitals (人民币大写), enterprises in pinyin order; an application an objection sent back to review leaves the list until it is published again (the caller''s regions)';

-- R3: the annual implementation report (due 15 January): a row per pooling region, and a
-- row per province whose every pool the caller sees.
CREATE FUNCTION subsidy.annual_report(p_year integer)
RETURNS TABLE (
  level text, region text, region_name text, year integer,
  regions_covered integer, enterprises_applied integer, enterprises_approved integer, employees_covered integer,
  amount_total numeric, amount_a1 numeric, amount_a2 numeric, amount_a3 numeric, amount_paid numeric,
  decapacity_enterprises integer, decapacity_amount numeric, zombies_refused integer,
  spot_checks integer, spot_checks_false_data integer, objections integer,
  days_to_payment_average numeric, days_to_payment_longest integer,
  fund_balance numeric, monthly_fund_expenditure numeric, fund_cover_months numeric)
LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  WITH seen AS (
    SELECT subsidy.caller_regions() AS regions
  ), pool AS (
    SELECT a.region,
           count(*)::integer AS applied,
           count(*) FILTER (WHERE a.decision = 'approved')::integer AS approved,
           coalesce(sum(a.confirmed_insured_end) FILTER (WHERE a.decision = 'approved'), 0)::integer AS employees,
           round(coalesce(sum(a.decided_amount) FILTER (WHERE a.decision = 'approved'), 0), 2) AS amount,
           round(coalesce(sum(a.decided_amount) FILTER (WHERE a.decision = 'approved' AND a.decided_rule = 'A1'), 0), 2) AS a1,
           round(coalesce(sum(a.decided_amount) FILTER (WHERE a.decision = 'approved' AND a.decided_rule = 'A2'), 0), 2) AS a2,
           round(coalesce(sum(a.decided_amount) FILTER (WHERE a.decision = 'approved' AND a.decided_rule = 'A3'), 0), 2) AS a3,
           round(coalesce(sum(a.paid_amount), 0), 2) AS paid,
           count(*) FILTER (WHERE a.decision = 'approved' AND a.decapacity)::integer AS decapacity,
           round(coalesce(sum(a.decided_amount) FILTER (WHERE a.decision = 'approved' AND a.decapacity), 0), 2) AS decapacity_amount,
           count(*) FILTER (WHERE a.decision = 'rejected' AND 'E5' = ANY (a.decided_reasons))::integer AS zombies,
           count(*) FILTER (WHERE a.paid_on IS NOT NULL)::integer AS paid_count,
           round(avg(a.paid_on - a.submitted_on), 1) AS days_average,
           max(a.paid_on - a.submitted_on) AS days_longest
      FROM subsidy.application a
     WHERE a.year = p_year AND a.stage NOT IN ('draft', 'withdrawn')
     GROUP BY a.region
  ), checks AS (
    SELECT d.region, count(DISTINCT i.application_id)::integer AS items,
           count(DISTINCT i.application_id) FILTER (WHERE i.result = 'false_data')::integer AS false_data
      FROM subsidy.spot_check_draw d JOIN subsidy.spot_check_item i ON i.draw_id = d.id
     WHERE d.year = p_year
     GROUP BY d.region
  ), objections AS (
    SELECT a.region, count(*)::integer AS n
      FROM subsidy.objection o JOIN subsidy.application a ON a.id = o.application_id
     WHERE a.year = p_year
     GROUP BY a.region
  ), pool_row AS (
    SELECT 'pool'::text AS level, p.region, r.name, r.parent, p_year AS year,
           (p.approved > 0)::integer AS covered, p.applied, p.approved, p.employees,
           p.amount, p.a1, p.a2, p.a3, p.paid, p.decapacity, p.decapacity_amount, p.zombies,
           coalesce(c.items, 0) AS checks, coalesce(c.false_data, 0) AS false_data, coalesce(o.n, 0) AS objections,
           p.paid_count, p.days_average, p.days_longest, f.fund_balance, f.monthly_fund_expenditure
      FROM pool p
      JOIN subsidy.region r ON r.code = p.region
      LEFT JOIN checks c ON c.region = p.region
      LEFT JOIN objections o ON o.region = p.region
      LEFT JOIN subsidy.region_basis_year f ON f.region = p.region AND f.basis_year = p_year - 1
  )
  SELECT level, region, name, year, covered, applied, approved, employees, amount, a1, a2, a3, paid,
         decapacity, decapacity_amount, zombies, checks, false_data, objections, days_average, days_longest,
         fund_balance, monthly_fund_expenditure,
         round(fund_balance / nullif(monthly_fund_expenditure, 0), 2)
    FROM pool_row
  UNION ALL
  SELECT 'province', pr.code, pr.name, p_year, sum(covered)::integer, sum(applied)::integer, sum(approved)::integer,
         sum(employees)::integer, sum(amount), sum(a1), sum(a2), sum(a3), sum(paid),
         sum(decapacity)::integer, sum(decapacity_amount), sum(zombies)::integer, sum(checks)::integer,
         sum(false_data)::integer, sum(objections)::integer,
         round(sum(days_average * paid_count) FILTER (WHERE paid_count > 0) / nullif(sum(paid_count), 0), 1),
         max(days_longest), sum(fund_balance), sum(monthly_fund_expenditure),
         round(sum(fund_balance) / nullif(sum(monthly_fund_expenditure), 0), 2)
    FROM pool_row w
    JOIN subsidy.region pr ON pr.code = w.parent
   WHERE NOT EXISTS (SELECT FROM subsidy.region q
                      WHERE q.parent = pr.code AND q.is_pool
                        AND q.code <> ALL ((SELECT regions FROM seen)::text[]))
   GROUP BY pr.code, pr.name
   ORDER BY 1 DESC, 2
$$;
COMMENT ON FUNCTION subsidy.annual_report(integer) IS
  'R3 年度稳岗补贴实施情况报告 (due 15 January): per pooling region, and per province whose pools the caller all sees: regions covered, enterprises, employees, amounts by category and paid, decapacity support, zombies refused, spot checks, objections, days from application to payment, fund cover';

-- R3 as sent is frozen by freeze_report_rows only (records.c), from the report as it stands.
CREATE FUNCTION subsidy.annual_report_frozen_guard() RETURNS trigger AS 'MODULE_PATHNAME' LANGUAGE C;
COMMENT ON FUNCTION subsidy.annual_report_frozen_guard() IS
  'trigger: frozen annual report rows come from freeze_annual_report only; they are never updated or deleted, and the table never truncated';
CREATE TRIGGER annual_report_frozen_guard BEFORE INSERT OR UPDATE OR DELETE ON subsidy.annual_report_frozen
  FOR EACH ROW EXECUTE FUNCTION subsidy.annual_report_frozen_guard();
CREATE TRIGGER annual_report_frozen_no_truncate BEFORE TRUNCATE ON subsidy.annual_report_frozen
  FOR EACH STATEMENT EXECUTE FUNCTION subsidy.annual_report_frozen_guard();
CREATE TRIGGER annual_report_frozen_closed_year BEFORE INSERT OR UPDATE OR DELETE ON subsidy.annual_report_frozen
  FOR EACH ROW EXECUTE FUNCTION subsidy.refuse_closed_year('year');

CREATE FUNCTION subsidy.freeze_report_rows(p_year integer, p_reason text) RETURNS integer
  AS 'MODULE_PATHNAME', 'freeze_report_rows' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION subsidy.freeze_report_rows(integer, text) IS
  'R3: freeze the annual report rows of the caller''s regions as they stand (a new version of each with a reason); used by freeze_annual_report';

-- R3: freeze the report of a year: the first time, every row not yet frozen; a correction
-- (with its reason) freezes a new version of every row.
CREATE PROCEDURE subsidy.freeze_annual_report(p_year integer, p_reason text DEFAULT NULL)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  frozen integer;
  already integer;
BEGIN
  IF p_year IS NULL THEN
    PERFORM subsidy.raise('freeze_needs_year');
  END IF;
  IF p_reason IS NOT NULL AND NOT subsidy.says_something(p_reason) THEN
    PERFORM subsidy.raise('freeze_empty_reason');
  END IF;
  SELECT count(*) INTO already FROM subsidy.annual_report_frozen f
   WHERE f.year = p_year
     AND f.region IN (SELECT r.region FROM subsidy.annual_report(p_year) r);
  frozen := subsidy.freeze_report_rows(p_year, p_reason);
  IF frozen = 0 AND already > 0 THEN
    PERFORM subsidy.raise('frozen_already', p_year::text, already::text, p_year::text);
  ELSIF frozen = 0 THEN
    PERFORM subsidy.raise('nothing_to_freeze', p_year::text);
  END IF;
  IF p_reason IS NULL THEN
    PERFORM subsidy.raise('report_frozen', p_year::text, frozen::text);
  ELSE
    PERFORM subsidy.raise('report_frozen_corrected', p_year::text, frozen::text);
  END IF;
END
$$;
COMMENT ON PROCEDURE subsidy.freeze_annual_report(integer, text) IS
  'R3: freeze the annual report of a year as sent; with a reason, freeze a corrected version';

-- R3: what has changed since the report was frozen, field by field.
CREATE FUNCTION subsidy.annual_report_changes(p_year integer)
RETURNS TABLE (region text, version integer, field text, as_reported text, now text)
LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  SELECT f.region, f.version, k.key, f.report ->> k.key, to_jsonb(r) ->> k.key
    FROM (SELECT DISTINCT ON (g.region) g.region, g.version, g.report FROM subsidy.annual_report_frozen g
           WHERE g.year = p_year ORDER BY g.region, g.version DESC) f
    LEFT JOIN subsidy.annual_report(p_year) r ON r.region = f.region
   CROSS JOIN LATERAL jsonb_object_keys(f.report) AS k(key)
   WHERE (f.report -> k.key) IS DISTINCT FROM (to_jsonb(r) -> k.key)
   ORDER BY 1, 3
$$;
COMMENT ON FUNCTION subsidy.annual_report_changes(integer) IS
  'R3: every figure of the latest frozen annual report of a year that differs from the report as it stands now';

-- R4 多角度分析: views that answer the notice's questions for government decisions.
CREATE VIEW subsidy.analysis_by_category WITH (security_invoker = true) AS
SELECT l.year, l.region, l.region_name, l.category, l.category_name,
       pg_catalog.count(*)::integer AS enterprises,
       coalesce(pg_catalog.sum(l.insured_end), 0)::integer AS employees_covered,
       pg_catalog.sum(l.amount)::numeric(16,2) AS amount,
       (pg_catalog.sum(l.amount) / nullif(pg_catalog.sum(l.insured_end), 0))::numeric(12,2) AS amount_per_employee
  FROM subsidy.application_list l
 WHERE l.decision = 'approved'
 GROUP BY l.year, l.region, l.region_name, l.category, l.category_name;
COMMENT ON VIEW subsidy.analysis_by_category IS
  'R4 按补贴类别: how many enterprises and employees each amount rule (A1 standard, A2 decapacity, A3 arrears path) supports, and with how much money, per region and year';

CREATE VIEW subsidy.analysis_by_firm_size WITH (security_invoker = true) AS
SELECT l.year, l.region, l.region_name, coalesce(l.firm_size, 'unknown') AS firm_size,
       CASE l.firm_size WHEN 'large' THEN '大型企业' WHEN 'medium' THEN '中型企业' WHEN 'small' THEN '小型企业'
                        WHEN 'micro' THEN '微型企业' WHEN 'small_micro' THEN '中小微企业' ELSE '未知' END AS firm_size_name,
       pg_catalog.count(*)::integer AS applied,
       pg_catalog.count(*) FILTER (WHERE l.decision = 'approved')::integer AS approved,
       coalesce(pg_catalog.sum(l.amount) FILTER (WHERE l.decision = 'approved'), 0)::numeric(16,2) AS amount
  FROM subsidy.application_list l
 GROUP BY l.year, l.region, l.region_name, l.firm_size;
COMMENT ON VIEW subsidy.analysis_by_firm_size IS
  'R4 按企业规模: do large and small-and-micro firms apply and succeed alike, and what do they receive, per region and year';

CREATE VIEW subsidy.analysis_by_layoff_band WITH (security_invoker = true) AS
SELECT l.year, l.region, l.region_name, b.band, b.band_order,
       pg_catalog.count(*)::integer AS applied,
       pg_catalog.count(*) FILTER (WHERE l.decision = 'approved')::integer AS approved,
       pg_catalog.count(*) FILTER (WHERE l.decision = 'rejected' AND l.reasons ~ '(^|; )E2(;|$)')::integer AS rejected_for_layoffs
  FROM subsidy.application_list l
  JOIN subsidy.application a ON a.id = l.application_id
  -- the engine on the columns it reads, not on the whole row: the reader may not read it all
  CROSS JOIN LATERAL (SELECT (subsidy.assessment(subsidy.verdict_of_facts(a.year, a.region, a.submitted_on,
                        a.decapacity, a.key_supported, a.zombie, a.firm_size, a.confirmed_insured_start,
                        a.confirmed_insured_end, a.confirmed_insured_average, a.confirmed_layoffs,
                        a.confirmed_retirements_deaths, a.confirmed_premiums_payable, a.confirmed_premiums_paid,
                        a.confirmed_arrears_basis_year, a.confirmed_arrears_other_years,
                        a.confirmed_deferral_agreement, a.confirmed_prior_subsidy,
                        a.confirmed_prior_subsidy_use_proper, a.financial_management_sound, a.policy_compliant,
                        a.spot_check, a.decided_on, a.unit_kind, a.serious_dishonesty,
                        a.confirmed_full_contribution_months, a.confirmed_new_claimants,
                        a.confirmed_monthly_premiums_payable, a.hardship_recognised))).layoff_rate AS rate) r
  CROSS JOIN LATERAL (SELECT CASE WHEN r.rate IS NULL THEN '未知' WHEN r.rate = 0 THEN '0'
                                  WHEN r.rate < 1 THEN '0–1%' WHEN r.rate < 2 THEN '1–2%'
                                  WHEN r.rate < 3 THEN '2–3%' WHEN r.rate < 5 THEN '3–5%' ELSE '≥5%' END AS band,
                             CASE WHEN r.rate IS NULL THEN 9 WHEN r.rate = 0 THEN 0 WHEN r.rate < 1 THEN 1
                                  WHEN r.rate < 2 THEN 2 WHEN r.rate < 3 THEN 3 WHEN r.rate < 5 THEN 4 ELSE 5 END AS band_order) b
 GROUP BY l.year, l.region, l.region_name, b.band, b.band_order;
COMMENT ON VIEW subsidy.analysis_by_layoff_band IS
  'R4 按裁员率分段: how layoffs are spread among applicants and where the E2 threshold cuts, per region and year (the rate by the year''s formula, in per cent)';

CREATE VIEW subsidy.analysis_fund_sufficiency WITH (security_invoker = true) AS
SELECT p.year, p.region, r.name AS region_name, p.fund_balance::numeric(16,2) AS fund_balance,
       p.monthly_fund_expenditure::numeric(16,2) AS monthly_fund_expenditure,
       round(p.fund_balance / nullif(p.monthly_fund_expenditure, 0), 2)::numeric(8,2) AS months_of_cover,
       p.fund_cover_months::numeric(4,1) AS months_required,
       coalesce(s.amount_total, 0)::numeric(16,2) AS amount_decided,
       round(coalesce(s.amount_total, 0) * 100 / nullif(p.fund_balance, 0), 2)::numeric(8,2) AS amount_share_of_balance_pct
  FROM subsidy.policy_in_force p
  JOIN subsidy.region r ON r.code = p.region
  LEFT JOIN subsidy.region_summary s ON s.region = p.region AND s.year = p.year
 WHERE p.fund_balance IS NOT NULL;
COMMENT ON VIEW subsidy.analysis_fund_sufficiency IS
  'R4 统筹地区基金保障能力: can each region''s fund afford the year (E7''s months of cover) and what share of its balance the decided amounts take';

CREATE VIEW subsidy.analysis_figure_differences WITH (security_invoker = true) AS
SELECT d.year, d.region, r.name AS region_name, d.figure,
       pg_catalog.count(*)::integer AS applications_differing,
       pg_catalog.sum(d.declared)::numeric(16,2) AS declared_total,
       pg_catalog.sum(d.confirmed)::numeric(16,2) AS confirmed_total
  FROM subsidy.figure_difference d
  JOIN subsidy.region r ON r.code = d.region
 GROUP BY d.year, d.region, r.name, d.figure;
COMMENT ON VIEW subsidy.analysis_figure_differences IS
  'R4 信息比对: which declared figures differ from the confirmed ones (A5), how often and by how much, per region and year: where declarations need checking';

-- Every column of every report says what it holds, in Chinese and English: report tools show
-- these as the columns' remarks.  A column with no description here stops the install.
DO $$
DECLARE
  generic jsonb := '{
    "region": "统筹地区代码 / pooling region code (GB/T 2260, or NNXnnn)",
    "region_name": "统筹地区 / pooling region",
    "year": "补贴年度 / subsidy year (its figures are those of the year before)",
    "application_id": "申请编号 / application number",
    "uscc": "统一社会信用代码 / the enterprise''s Unified Social Credit Code",
    "enterprise": "单位名称 / enterprise name",
    "stage": "办理环节 / review stage (W1)",
    "submitted_on": "申报日期 / date submitted",
    "firm_size": "企业规模 / firm size: large, small_micro (unknown where not known)",
    "firm_size_name": "企业规模 / firm size, in Chinese",
    "is_decapacity": "去产能企业 / decapacity enterprise: 1 yes, 0 no, empty unknown",
    "is_key_supported": "政府重点支持企业 / key-supported enterprise: 1 yes, 0 no, empty unknown",
    "is_zombie": "僵尸企业 / zombie enterprise: 1 yes, 0 no, empty unknown",
    "is_monitored": "失业动态监测企业 / in unemployment dynamic monitoring: 1 yes, 0 no, empty unknown",
    "insured_start": "上年初参保人数 / insured at the start of the basis year, as confirmed",
    "insured_end": "上年末参保人数 / insured at the end of the basis year, as confirmed",
    "insured_average": "上年度月均参保人数 / average monthly insured in the basis year, as confirmed",
    "layoffs": "上年度裁员人数 / layoffs in the basis year, as confirmed",
    "premiums_payable": "上年度应缴失业保险费（元） / premiums payable in the basis year, yuan, as confirmed",
    "premiums_paid": "上年度实缴失业保险费（元） / premiums actually paid in the basis year, yuan, as confirmed",
    "decision": "审核结论 / approved or rejected (empty: not yet decided)",
    "decided_on": "决定日期 / date decided",
    "category": "补贴类别 / the amount rule: A1, A2 or A3",
    "category_name": "补贴类别 / the amount rule, in Chinese",
    "rate": "补贴比例 / share of the basis granted (0.5 = 50 %)",
    "amount": "核定补贴金额（元） / decided amount, yuan",
    "reasons": "未通过原因 / why rejected: rule ids, and the failed sign-offs'' reasons",
    "paid_on": "发放日期 / date paid",
    "paid_amount": "发放金额（元） / amount paid, yuan",
    "applied": "申请户数 / applications submitted",
    "approved": "通过户数 / applications approved",
    "enterprises": "企业户数 / enterprises approved",
    "employees_covered": "覆盖职工人数 / employees covered: insured at the end of the basis year in approved enterprises"
  }';
  specific jsonb := '{
    "region_summary": {
      "rejected": "未通过户数 / applications rejected",
      "awaiting_decision": "待审户数 / applications not yet decided",
      "rejected_e1": "因E1未通过 / rejected under E1: premiums not paid in full",
      "rejected_e2": "因E2未通过 / rejected under E2: layoff rate not below the threshold",
      "rejected_e3": "因E3未通过 / rejected under E3: financial management",
      "rejected_e4": "因E4未通过 / rejected under E4: industrial and environmental policy",
      "rejected_e5": "因E5未通过 / rejected under E5: zombie enterprise",
      "rejected_e6": "因E6未通过 / rejected under E6: last year''s subsidy misused",
      "rejected_e7": "因E7未通过 / rejected under E7: the region''s fund cover",
      "rejected_e8": "因E8未通过 / rejected under E8: outside the window",
      "rejected_e10": "因E10未通过 / rejected under E10: false data found by a spot check",
      "rejected_in_sign_off": "联合审核未通过 / rejected because a party''s sign-off failed (W3)",
      "insured_covered": "覆盖职工人数 / employees covered: insured at the end of the basis year in approved enterprises",
      "premiums_payable": "应缴失业保险费合计（元） / premiums payable of approved enterprises, yuan",
      "premiums_paid": "实缴失业保险费合计（元） / premiums paid of approved enterprises, yuan",
      "approved_a1": "A1通过户数 / approved under A1 (standard)",
      "approved_a2": "A2通过户数 / approved under A2 (decapacity)",
      "approved_a3": "A3通过户数 / approved under A3 (arrears path)",
      "amount_a1": "A1补贴金额（元） / amount under A1, yuan",
      "amount_a2": "A2补贴金额（元） / amount under A2, yuan",
      "amount_a3": "A3补贴金额（元） / amount under A3, yuan",
      "amount_total": "补贴金额合计（元） / total amount decided, yuan"},
    "publicity_list": {
      "amount_in_capitals": "金额大写 / the amount in Chinese capitals (人民币大写)",
      "publicity_starts_on": "公示开始日期 / first day of publicity",
      "publicity_ends_on": "公示截止日期 / last day of publicity (the n-th working day)"},
    "analysis_by_category": {
      "amount": "补贴金额（元） / amount decided, yuan",
      "amount_per_employee": "人均补贴金额（元） / amount per employee covered, yuan"},
    "analysis_by_firm_size": {
      "amount": "补贴金额（元） / amount decided, yuan"},
    "analysis_by_layoff_band": {
      "band": "裁员率分段 / layoff-rate band, in per cent (未知: a figure is missing)",
      "band_order": "分段序号 / the band''s place, for sorting",
      "rejected_for_layoffs": "因裁员率未通过户数 / rejected under E2"},
    "analysis_fund_sufficiency": {
      "fund_balance": "基金结余（元） / fund balance at the end of the basis year, yuan",
      "monthly_fund_expenditure": "月均基金支出（元） / monthly fund expenditure in the basis year, yuan",
      "months_of_cover": "可支付月数 / months of expenditure the balance covers",
      "months_required": "要求月数 / months of cover E7 requires",
      "amount_decided": "核定补贴金额（元） / amount decided this year, yuan",
      "amount_share_of_balance_pct": "占基金结余比例（%） / the amount as a share of the balance, per cent"},
    "analysis_figure_differences": {
      "figure": "比对项目 / the figure compared (as named in application)",
      "applications_differing": "不一致户数 / applications whose declared figure differs from the confirmed one",
      "declared_total": "申报数合计 / declared figures, summed",
      "confirmed_total": "核实数合计 / confirmed figures, summed"},
    "annex3": {
      "统筹地区代码": "region: pooling region code",
      "统筹地区": "region_name: pooling region",
      "补贴年度": "year: subsidy year",
      "序号": "row number within the region, in pinyin order of names (empty on the totals row)",
      "单位名称": "enterprise name; 合计 on the region''s totals row",
      "统一社会信用代码": "uscc: the enterprise''s Unified Social Credit Code",
      "企业类别": "category: the amount rule, in Chinese",
      "上年初参保人数": "insured at the start of the basis year, as confirmed",
      "上年末参保人数": "insured at the end of the basis year, as confirmed",
      "上年度月均参保人数": "average monthly insured in the basis year, as confirmed",
      "上年度裁员人数": "layoffs in the basis year, as confirmed",
      "上年度应缴失业保险费（元）": "premiums payable in the basis year, yuan, as confirmed",
      "上年度实缴失业保险费（元）": "premiums actually paid in the basis year, yuan, as confirmed",
      "核定补贴金额（元）": "decided amount, yuan",
      "审核结果": "通过 approved, 不通过 rejected, 审核中 in review; on the totals row the counts",
      "未通过原因": "why rejected: rule ids and the failed sign-offs'' reasons"}
  }';
  v text;
  c record;
  said text;
BEGIN
  FOREACH v IN ARRAY ARRAY['application_list', 'region_summary', 'annex3', 'publicity_list',
                           'analysis_by_category', 'analysis_by_firm_size', 'analysis_by_layoff_band',
                           'analysis_fund_sufficiency', 'analysis_figure_differences'] LOOP
    FOR c IN SELECT a.attname FROM pg_catalog.pg_attribute a
              WHERE a.attrelid = pg_catalog.format('subsidy.%I', v)::regclass AND a.attnum > 0
              ORDER BY a.attnum LOOP
      said := coalesce(specific -> v ->> c.attname::text, generic ->> c.attname::text);
      IF said IS NULL THEN
        PERFORM subsidy.raise('report_column_undescribed', v, c.attname::text);
      END IF;
      EXECUTE pg_catalog.format('COMMENT ON COLUMN subsidy.%I.%I IS %L', v, c.attname, said);
    END LOOP;
  END LOOP;
END
$$;
