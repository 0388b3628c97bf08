--
-- Schema subsidy_report (DOMAIN section 10): the reports as a reader's login and a report tool
-- read them.  It holds only what subsidy_reader may read; every column has a bounded standard
-- type (varchar(n) with n <= 255, char(18) for a USCC, numeric(p,2) for money, integer, bigint,
-- date; never an enum, a boolean or an extension type), so that ODBC describes each as it is
-- (psqlODBC reads an unbounded text as a memo and an unconstrained numeric as numeric(28,6)).
-- Tools read the English-named views; people read the Chinese-named twins of those they read
-- as tables (annex 3, the publicity list, the progress of the year), which show the same rows
-- with Chinese headings.  subsidy_report.column_labels says, for every column of every object,
-- its Chinese heading, its English name and what it holds: psqlODBC returns no column
-- remarks, so the COMMENTs (set from the same labels) reach tools through it.
--
-- Every object asks subsidy.report_access() first: a login with no role of subsidy, or one
-- mapped to no pooling region, is told so instead of being shown nothing.
--

-- Who may read reports (rights.c): true, or the reason the caller would see nothing.
CREATE FUNCTION subsidy.report_access() RETURNS boolean
  AS 'MODULE_PATHNAME', 'subsidy_report_access' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION subsidy.report_access() IS
  'true, or the refusal of a login that has none of subsidy''s roles (with a hint naming subsidy_reader) or acts in no pooling region; every object of subsidy_report calls it, IMMUTABLE so that the planner does, before the relations'' permission checks';

-- Names the reports show.  Each comparison names its operator: the planner inlines these
-- functions under the caller's search_path.
CREATE FUNCTION subsidy.industry_name(section text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN section OPERATOR(pg_catalog.=) 'A' THEN '农、林、牧、渔业'
    WHEN section OPERATOR(pg_catalog.=) 'B' THEN '采矿业'
    WHEN section OPERATOR(pg_catalog.=) 'C' THEN '制造业'
    WHEN section OPERATOR(pg_catalog.=) 'D' THEN '电力、热力、燃气及水生产和供应业'
    WHEN section OPERATOR(pg_catalog.=) 'E' THEN '建筑业'
    WHEN section OPERATOR(pg_catalog.=) 'F' THEN '批发和零售业'
    WHEN section OPERATOR(pg_catalog.=) 'G' THEN '交通运输、仓储和邮政业'
    WHEN section OPERATOR(pg_catalog.=) 'H' THEN '住宿和餐饮业'
    WHEN section OPERATOR(pg_catalog.=) 'I' THEN '信息传输、软件和信息技术服务业'
    WHEN section OPERATOR(pg_catalog.=) 'J' THEN '金融业'
    WHEN section OPERATOR(pg_catalog.=) 'K' THEN '房地产业'
    WHEN section OPERATOR(pg_catalog.=) 'L' THEN '租赁和商务服务业'
    WHEN section OPERATOR(pg_catalog.=) 'M' THEN '科学研究和技术服务业'
    WHEN section OPERATOR(pg_catalog.=) 'N' THEN '水利、环境和公共设施管理业'
    WHEN section OPERATOR(pg_catalog.=) 'O' THEN '居民服务、修理和其他服务业'
    WHEN section OPERATOR(pg_catalog.=) 'P' THEN '教育'
    WHEN section OPERATOR(pg_catalog.=) 'Q' THEN '卫生和社会工作'
    WHEN section OPERATOR(pg_catalog.=) 'R' THEN '文化、体育和娱乐业'
    WHEN section OPERATOR(pg_catalog.=) 'S' THEN '公共管理、社会保障和社会组织'
    WHEN section OPERATOR(pg_catalog.=) 'T' THEN '国际组织'
    ELSE '未知' END
$$;
COMMENT ON FUNCTION subsidy.industry_name(text) IS
  'the name of an industry section (国民经济行业分类门类, GB/T 4754-2017), A 农、林、牧、渔业 to T 国际组织; 未知 for none';

CREATE FUNCTION subsidy.step_name(step text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN step OPERATOR(pg_catalog.=) 'draft' THEN '草稿（未申报）'
    WHEN step OPERATOR(pg_catalog.=) 'correction' THEN '待补正'
    WHEN step OPERATOR(pg_catalog.=) 'submitted' THEN '已申报待审核'
    WHEN step OPERATOR(pg_catalog.=) 'withdrawn' THEN '已撤回'
    WHEN step OPERATOR(pg_catalog.=) 'in_review' THEN '联合审核中'
    WHEN step OPERATOR(pg_catalog.=) 'decided' THEN '已作出决定'
    WHEN step OPERATOR(pg_catalog.=) 'approved' THEN '审核通过待公示'
    WHEN step OPERATOR(pg_catalog.=) 'rejected' THEN '不予补贴'
    WHEN step OPERATOR(pg_catalog.=) 'in_publicity' THEN '公示中'
    WHEN step OPERATOR(pg_catalog.=) 'objection' THEN '异议处理中'
    WHEN step OPERATOR(pg_catalog.=) 'cleared' THEN '公示期满待拨付'
    WHEN step OPERATOR(pg_catalog.=) 'paid' THEN '已拨付待上报'
    WHEN step OPERATOR(pg_catalog.=) 'reported' THEN '已上报'
  END
$$;
COMMENT ON FUNCTION subsidy.step_name(text) IS
  'a stage (W1), or a step of the progress report (correction: a submission waiting for its 补正; approved, rejected: the two kinds of decided), in Chinese';

-- A step's place in the progress report, and whether the application's business there is done.
CREATE FUNCTION subsidy.step_order(step text) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT pg_catalog.array_position(ARRAY['draft', 'correction', 'submitted', 'in_review', 'approved', 'in_publicity',
                                         'objection', 'cleared', 'paid', 'reported', 'rejected', 'withdrawn'], step)
$$;
COMMENT ON FUNCTION subsidy.step_order(text) IS
  'a step''s place in the progress report ([J54 三(五)]), draft 1 to withdrawn 12, for sorting';
CREATE FUNCTION subsidy.step_is_final(step text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT step OPERATOR(pg_catalog.=) ANY (ARRAY['reported', 'rejected', 'withdrawn'])
$$;
COMMENT ON FUNCTION subsidy.step_is_final(text) IS
  'whether an application at this step of the progress report is done with (reported, rejected, withdrawn)';

-- A rejection's reasons in short words: the rule ids of decided_reasons, each with what failed.
CREATE FUNCTION subsidy.reason_text(reasons text[]) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT pg_catalog.string_agg(pg_catalog.concat_ws(' ', r.id, CASE
           WHEN r.id OPERATOR(pg_catalog.=) 'E1' THEN '未足额缴纳失业保险费'
           WHEN r.id OPERATOR(pg_catalog.=) 'E2' THEN '裁员率未低于规定标准'
           WHEN r.id OPERATOR(pg_catalog.=) 'E3' THEN '财务管理制度不健全'
           WHEN r.id OPERATOR(pg_catalog.=) 'E4' THEN '不符合产业或环保政策'
           WHEN r.id OPERATOR(pg_catalog.=) 'E5' THEN '僵尸企业'
           WHEN r.id OPERATOR(pg_catalog.=) 'E6' THEN '上年度补贴未按规定使用'
           WHEN r.id OPERATOR(pg_catalog.=) 'E7' THEN '统筹地区基金支付能力不足'
           WHEN r.id OPERATOR(pg_catalog.=) 'E8' THEN '未在申报期内申报'
           WHEN r.id OPERATOR(pg_catalog.=) 'E10' THEN '抽查发现数据虚假'
           WHEN r.id OPERATOR(pg_catalog.=) 'E11' THEN '足额缴费月数不足'
           WHEN r.id OPERATOR(pg_catalog.=) 'E12' THEN '单位类型不在适用范围'
           WHEN r.id OPERATOR(pg_catalog.=) 'E13' THEN '列入严重违法失信名单'
           WHEN r.id OPERATOR(pg_catalog.=) 'W2' THEN '逾期未补正'
           END), '；' ORDER BY r.n)
    FROM pg_catalog.unnest(reasons) WITH ORDINALITY AS r(id, n)
   WHERE r.id OPERATOR(pg_catalog.~) '^[A-Z][0-9]+$'
$$;
COMMENT ON FUNCTION subsidy.reason_text(text[]) IS
  'W4: the rules a rejection failed, each with a few words (E2 裁员率未低于规定标准；E7 统筹地区基金支付能力不足), for lists; the notice of rejection gives them in full';

-- R1's rows: every application of a year past submission, declared figures beside confirmed
-- ones (A5), its decision, amount (0.00 where nothing is granted) and payment.
CREATE VIEW subsidy_report.applications WITH (security_invoker = true) AS
SELECT a.region::varchar(6) AS region, r.name::varchar(50) AS region_name, a.year,
       a.id AS application_id, a.uscc::text::char(18) AS uscc, e.name::varchar(200) AS enterprise,
       e.industry::char(1) AS industry, subsidy.industry_name(e.industry)::varchar(30) AS industry_name,
       a.firm_size::text::varchar(11) AS firm_size,
       a.decapacity::integer AS is_decapacity, a.key_supported::integer AS is_key_supported,
       a.zombie::integer AS is_zombie, a.monitored::integer AS is_monitored,
       a.stage::text::varchar(12) AS stage, subsidy.step_name(a.stage::text)::varchar(12) AS stage_name,
       a.stage_since, a.submitted_on,
       -- E2's layoff rate by the year's formula, per cent, as the engine computes it from the
       -- confirmed figures (on the columns it reads, not the whole row: the reader may not read it all)
       (subsidy.assessment(subsidy.verdict_of_facts(a.year, a.region, a.submitted_on, a.decapacity, a.key_supported,
          a.zombie, a.firm_size, a.confirmed_insured_start, a.confirmed_insured_end, a.confirmed_insured_average,
          a.confirmed_layoffs, a.confirmed_retirements_deaths, a.confirmed_premiums_payable, a.confirmed_premiums_paid,
          a.confirmed_arrears_basis_year, a.confirmed_arrears_other_years, a.confirmed_deferral_agreement,
          a.confirmed_prior_subsidy, a.confirmed_prior_subsidy_use_proper, a.financial_management_sound,
          a.policy_compliant, a.spot_check, a.decided_on, a.unit_kind, a.serious_dishonesty,
          a.confirmed_full_contribution_months, a.confirmed_new_claimants, a.confirmed_monthly_premiums_payable,
          a.hardship_recognised))).layoff_rate::numeric(8,4) AS layoff_rate,
       a.insured_start AS declared_insured_start, a.confirmed_insured_start,
       a.insured_end AS declared_insured_end, a.confirmed_insured_end,
       a.insured_average::numeric(12,2) AS declared_insured_average,
       a.confirmed_insured_average::numeric(12,2) AS confirmed_insured_average,
       a.layoffs AS declared_layoffs, a.confirmed_layoffs,
       a.premiums_payable::numeric(14,2) AS declared_premiums_payable,
       a.confirmed_premiums_payable::numeric(14,2) AS confirmed_premiums_payable,
       a.premiums_paid::numeric(14,2) AS declared_premiums_paid,
       a.confirmed_premiums_paid::numeric(14,2) AS confirmed_premiums_paid,
       (coalesce((a.insured_start <> a.confirmed_insured_start)::integer, 0)
        + coalesce((a.insured_end <> a.confirmed_insured_end)::integer, 0)
        + coalesce((a.insured_average <> a.confirmed_insured_average)::integer, 0)
        + coalesce((a.layoffs <> a.confirmed_layoffs)::integer, 0)
        + coalesce((a.retirements_deaths <> a.confirmed_retirements_deaths)::integer, 0)
        + coalesce((a.premiums_payable <> a.confirmed_premiums_payable)::integer, 0)
        + coalesce((a.premiums_paid <> a.confirmed_premiums_paid)::integer, 0)
        + coalesce((a.arrears_basis_year <> a.confirmed_arrears_basis_year)::integer, 0)
        + coalesce((a.arrears_other_years <> a.confirmed_arrears_other_years)::integer, 0)
        + coalesce((a.deferral_agreement <> a.confirmed_deferral_agreement)::integer, 0)
        + coalesce((a.prior_subsidy <> a.confirmed_prior_subsidy)::integer, 0)
        + coalesce((a.prior_subsidy_use_proper <> a.confirmed_prior_subsidy_use_proper)::integer, 0))
         AS figures_differing,
       a.decision::text::varchar(8) AS decision, a.decided_on,
       (CASE WHEN a.decision = 'approved' THEN a.decided_rule END)::varchar(2) AS category,
       (CASE WHEN a.decision = 'approved' THEN subsidy.category_name(a.decided_rule) END)::varchar(20) AS category_name,
       (CASE WHEN a.decision = 'approved' THEN a.decided_rate END)::numeric(4,3) AS rate,
       (CASE WHEN a.decision = 'approved' THEN a.decided_amount ELSE 0 END)::numeric(14,2) AS amount,
       subsidy.reason_text(a.decided_reasons)::varchar(255) AS reasons,
       a.paid_on, coalesce(a.paid_amount, 0)::numeric(14,2) AS paid_amount
  FROM subsidy.application a
  JOIN subsidy.enterprise e ON e.uscc OPERATOR(subsidy.=) a.uscc
  JOIN subsidy.region r ON r.code = a.region
 WHERE a.stage NOT IN ('draft', 'withdrawn') AND subsidy.report_access();
COMMENT ON VIEW subsidy_report.applications IS
  'R1 申请明细: every application of a year past submission, one row each: its enterprise and industry, declared figures beside the confirmed ones (A5), the decision, the amount granted (0.00 where none) and the payment (the caller''s regions)';

-- R1 totals per region and year (annex 3's totals), in bounded types; the same figures as
-- subsidy.region_summary, from the tables themselves (a view of the reports schema reads only
-- tables and the schema's own views, which a login with no role may name: it is then told
-- what it lacks by report_access, not refused a view it never asked for).
CREATE VIEW subsidy_report.summary WITH (security_invoker = true) AS
SELECT t.region::varchar(6) AS region, r.name::varchar(50) AS region_name, t.year, t.applied, t.approved,
       t.rejected, t.awaiting_decision, t.rejected_e1, t.rejected_e2, t.rejected_e3, t.rejected_e4, t.rejected_e5,
       t.rejected_e6, t.rejected_e7, t.rejected_e8, t.rejected_e10, t.rejected_in_sign_off, t.insured_covered,
       t.premiums_payable, t.premiums_paid, t.approved_a1, t.approved_a2, t.approved_a3,
       t.amount_a1, t.amount_a2, t.amount_a3, t.amount_total
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
  JOIN subsidy.region r ON r.code = t.region
 WHERE subsidy.report_access();
COMMENT ON VIEW subsidy_report.summary IS
  'R1 年度失业保险稳岗补贴申请汇总表 totals: per region and year, applications, decisions, rejections by rule, insured covered, premiums and amounts by category (the caller''s regions)';

-- R1 as annex 3 means it ([J54 二(三)2]): hrss compiles every application's declared figures
-- and hands them to the agency to confirm, so the declared figures stand beside the confirmed
-- ones (empty until confirmed); each region's enterprises in pinyin order, then its totals
-- row, marked by row_kind (a tool that sums the details takes row_kind = 'detail' only).
CREATE VIEW subsidy_report.annex3 WITH (security_invoker = true) AS
SELECT s.row_kind::varchar(6) AS row_kind, s.region, s.region_name, s.year, s.row_number,
       s.enterprise::varchar(200) AS enterprise, s.uscc::char(18) AS uscc, s.category_name::varchar(20) AS category_name,
       s.declared_insured_start, s.confirmed_insured_start, s.declared_insured_end, s.confirmed_insured_end,
       s.declared_insured_average::numeric(14,2) AS declared_insured_average,
       s.confirmed_insured_average::numeric(14,2) AS confirmed_insured_average,
       s.declared_layoffs, s.confirmed_layoffs,
       s.declared_premiums_payable::numeric(16,2) AS declared_premiums_payable,
       s.confirmed_premiums_payable::numeric(16,2) AS confirmed_premiums_payable,
       s.declared_premiums_paid::numeric(16,2) AS declared_premiums_paid,
       s.confirmed_premiums_paid::numeric(16,2) AS confirmed_premiums_paid,
       s.figures_differing, s.amount::numeric(16,2) AS amount, s.result::varchar(60) AS result,
       s.reasons::varchar(255) AS reasons, s.stage_name::varchar(12) AS stage_name
  FROM (
    SELECT 'detail' AS row_kind, l.region, l.region_name, l.year,
           pg_catalog.row_number() OVER (PARTITION BY l.region, l.year
                                         ORDER BY l.enterprise COLLATE subsidy.pinyin, l.uscc)::integer AS row_number,
           l.enterprise::text AS enterprise, l.uscc, l.category_name,
           l.declared_insured_start, l.confirmed_insured_start, l.declared_insured_end, l.confirmed_insured_end,
           l.declared_insured_average::numeric AS declared_insured_average,
           l.confirmed_insured_average::numeric AS confirmed_insured_average,
           l.declared_layoffs, l.confirmed_layoffs,
           l.declared_premiums_payable::numeric AS declared_premiums_payable,
           l.confirmed_premiums_payable::numeric AS confirmed_premiums_payable,
           l.declared_premiums_paid::numeric AS declared_premiums_paid,
           l.confirmed_premiums_paid::numeric AS confirmed_premiums_paid,
           l.figures_differing, l.amount::numeric AS amount,
           CASE l.decision WHEN 'approved' THEN '通过' WHEN 'rejected' THEN '不通过' ELSE '审核中' END AS result,
           l.reasons, l.stage_name
      FROM subsidy_report.applications l
    UNION ALL
    SELECT 'total', l.region, l.region_name, l.year, NULL, '合计', NULL, NULL,
           pg_catalog.sum(l.declared_insured_start)::integer, pg_catalog.sum(l.confirmed_insured_start)::integer,
           pg_catalog.sum(l.declared_insured_end)::integer, pg_catalog.sum(l.confirmed_insured_end)::integer,
           pg_catalog.sum(l.declared_insured_average), pg_catalog.sum(l.confirmed_insured_average),
           pg_catalog.sum(l.declared_layoffs)::integer, pg_catalog.sum(l.confirmed_layoffs)::integer,
           pg_catalog.sum(l.declared_premiums_payable), pg_catalog.sum(l.confirmed_premiums_payable),
           pg_catalog.sum(l.declared_premiums_paid), pg_catalog.sum(l.confirmed_premiums_paid),
           pg_catalog.sum(l.figures_differing)::integer, pg_catalog.sum(l.amount),
           pg_catalog.format('通过 %s 户，不通过 %s 户，审核中 %s 户',
                             pg_catalog.count(*) FILTER (WHERE l.decision = 'approved'),
                             pg_catalog.count(*) FILTER (WHERE l.decision = 'rejected'),
                             pg_catalog.count(*) FILTER (WHERE l.decision IS NULL)),
           NULL, NULL
      FROM subsidy_report.applications l
     GROUP BY l.region, l.region_name, l.year
  ) s
 WHERE subsidy.report_access()
 ORDER BY s.year, s.region, s.row_kind, s.row_number;
COMMENT ON VIEW subsidy_report.annex3 IS
  'R1 附件3 年度失业保险稳岗补贴申请汇总表, for tools: per region and year its enterprises in pinyin order with declared figures beside confirmed ones (A5) and the amount granted (0.00 where none), then one totals row marked row_kind = ''total'' (the caller''s regions); 申请汇总表 shows it with Chinese headings';

CREATE VIEW subsidy_report.申请汇总表 WITH (security_invoker = true) AS
SELECT CASE t.row_kind WHEN 'total' THEN '合计' ELSE '明细' END::varchar(6) AS 行类型,
       t.region AS 统筹地区代码, t.region_name AS 统筹地区, t.year AS 补贴年度, t.row_number AS 序号,
       t.enterprise AS 单位名称, t.uscc AS 统一社会信用代码, t.category_name AS 企业类别,
       t.declared_insured_start AS "上年初参保人数（申报）", t.confirmed_insured_start AS "上年初参保人数（确认）",
       t.declared_insured_end AS "上年末参保人数（申报）", t.confirmed_insured_end AS "上年末参保人数（确认）",
       t.declared_insured_average AS "上年度月均参保人数（申报）", t.confirmed_insured_average AS "上年度月均参保人数（确认）",
       t.declared_layoffs AS "上年度裁员人数（申报）", t.confirmed_layoffs AS "上年度裁员人数（确认）",
       t.declared_premiums_payable AS "上年度应缴失业保险费（申报，元）",
       t.confirmed_premiums_payable AS "上年度应缴失业保险费（确认，元）",
       t.declared_premiums_paid AS "上年度实缴失业保险费（申报，元）",
       t.confirmed_premiums_paid AS "上年度实缴失业保险费（确认，元）",
       t.figures_differing AS 申报确认不一致项数, t.amount AS "核定补贴金额（元）", t.result AS 审核结果,
       t.reasons AS 未通过原因, t.stage_name AS 办理环节
  FROM subsidy_report.annex3 t
 WHERE subsidy.report_access();
COMMENT ON VIEW subsidy_report.申请汇总表 IS
  'R1 附件3 年度失业保险稳岗补贴申请汇总表 as people read it: subsidy_report.annex3 with Chinese headings, 行类型 合计 marking each region''s totals row';

-- R2: the publicity list, numbered within each publicity in pinyin order.
CREATE VIEW subsidy_report.publicity_list WITH (security_invoker = true) AS
SELECT a.region::varchar(6) AS region, r.name::varchar(50) AS region_name, a.year, p.id AS publicity_id,
       pg_catalog.row_number() OVER (PARTITION BY p.id ORDER BY e.name COLLATE subsidy.pinyin, a.uscc::text)::integer
         AS row_number,
       e.name::varchar(200) AS enterprise, a.uscc::text::char(18) AS uscc,
       a.decided_rule::varchar(2) AS category, subsidy.category_name(a.decided_rule)::varchar(20) AS category_name,
       a.decided_amount::numeric(14,2) AS amount, subsidy.rmb_upper(a.decided_amount)::varchar(40) AS amount_in_capitals,
       p.starts_on AS publicity_starts_on, p.ends_on AS publicity_ends_on,
       a.stage::text::varchar(12) AS stage, subsidy.step_name(a.stage::text)::varchar(12) AS stage_name
  FROM subsidy.application a
  JOIN subsidy.publicity p ON p.id = a.publicity_id
  JOIN subsidy.enterprise e ON e.uscc OPERATOR(subsidy.=) a.uscc
  JOIN subsidy.region r ON r.code = a.region
 WHERE a.decision = 'approved' AND subsidy.report_access()
 ORDER BY a.year, a.region, p.starts_on, p.id, e.name COLLATE subsidy.pinyin, a.uscc::text;
COMMENT ON VIEW subsidy_report.publicity_list IS
  'R2 公示名单, for tools: the approved applications as published (W5), numbered within their publicity in pinyin order, with the amount in figures and in capitals (人民币大写); one an objection sent back to review leaves it until published again (the caller''s regions)';

CREATE VIEW subsidy_report.公示名单 WITH (security_invoker = true) AS
SELECT l.region AS 统筹地区代码, l.region_name AS 统筹地区, l.year AS 补贴年度, l.publicity_id AS 公示批次,
       l.row_number AS 序号, l.enterprise AS 单位名称, l.uscc AS 统一社会信用代码, l.category AS 补贴类别代码,
       l.category_name AS 补贴类别, l.amount AS "补贴金额（元）", l.amount_in_capitals AS 金额大写,
       l.publicity_starts_on AS 公示开始日期, l.publicity_ends_on AS 公示截止日期, l.stage AS 办理环节代码,
       l.stage_name AS 办理环节
  FROM subsidy_report.publicity_list l
 WHERE subsidy.report_access();
COMMENT ON VIEW subsidy_report.公示名单 IS
  'R2 公示名单 as people read it: subsidy_report.publicity_list with Chinese headings';

-- [J54 三(五)] 定期检查、调度、通报: per region, year and step, how many applications wait there
-- and for how long (from the business date each entered its stage), and the year's annual
-- report (R3), due by 15 January of the year after: sent on time or late, not yet sent, or
-- overdue, with a warning from 30 days before the deadline.
CREATE VIEW subsidy_report.progress WITH (security_invoker = true) AS
WITH step AS (
  SELECT a.region, a.year,
         CASE WHEN a.stage = 'submitted' AND a.correction_requested_on IS NOT NULL AND a.corrected_on IS NULL
              THEN 'correction'
              WHEN a.stage = 'decided' THEN a.decision::text
              ELSE a.stage::text END AS step,
         CASE WHEN a.stage = 'submitted' AND a.correction_requested_on IS NOT NULL AND a.corrected_on IS NULL
              THEN a.correction_requested_on ELSE a.stage_since END AS since
    FROM subsidy.application a
), counted AS (
  SELECT s.region, s.year, s.step,
         subsidy.step_is_final(s.step) AS final,
         pg_catalog.count(*)::integer AS applications,
         pg_catalog.min(s.since) AS since,
         pg_catalog.avg(subsidy.today() - s.since) AS days_average,
         pg_catalog.max(subsidy.today() - s.since) AS days_longest,
         pg_catalog.count(*) FILTER (WHERE subsidy.today() - s.since > 30)::integer AS over_30_days
    FROM step s
   GROUP BY s.region, s.year, s.step
), report AS (
  SELECT f.region, f.year, pg_catalog.min(f.frozen_on) AS frozen_on
    FROM subsidy.annual_report_frozen f
   GROUP BY f.region, f.year
), due AS (
  SELECT c.region, c.year, pg_catalog.make_date(c.year + 1, 1, 15) AS due_on, rp.frozen_on,
         pg_catalog.make_date(c.year + 1, 1, 15) - subsidy.today() AS days_left
    FROM (SELECT DISTINCT region, year FROM counted) c
    LEFT JOIN report rp ON rp.region = c.region AND rp.year = c.year
)
SELECT c.region::varchar(6) AS region, r.name::varchar(50) AS region_name, c.year,
       c.step::varchar(12) AS step, subsidy.step_name(c.step)::varchar(12) AS step_name,
       subsidy.step_order(c.step) AS step_order,
       c.final::integer AS is_final, c.applications,
       (CASE WHEN NOT c.final THEN c.since END) AS waiting_since,
       (CASE WHEN NOT c.final THEN round(c.days_average, 1) END)::numeric(8,1) AS days_waiting_average,
       (CASE WHEN NOT c.final THEN c.days_longest END)::integer AS days_waiting_longest,
       (CASE WHEN NOT c.final THEN c.over_30_days END)::integer AS waiting_over_30_days,
       d.due_on AS report_due_on, d.frozen_on AS report_frozen_on,
       (CASE WHEN d.frozen_on IS NOT NULL THEN CASE WHEN d.frozen_on <= d.due_on THEN 'sent' ELSE 'sent_late' END
             WHEN d.days_left >= 0 THEN 'pending' ELSE 'overdue' END)::varchar(10) AS report_state,
       (CASE WHEN d.frozen_on IS NOT NULL THEN CASE WHEN d.frozen_on <= d.due_on THEN '已按时报送' ELSE '逾期报送' END
             WHEN d.days_left >= 0 THEN '未报送' ELSE '逾期未报送' END)::varchar(10) AS report_state_name,
       (CASE WHEN d.frozen_on IS NULL THEN d.days_left END)::integer AS report_days_left,
       (CASE WHEN d.frozen_on IS NOT NULL THEN NULL
             WHEN d.days_left < 0 THEN pg_catalog.format('年度实施情况报告已逾期%s天未报送（应于%s前报送）',
                                                         -d.days_left, pg_catalog.to_char(d.due_on, 'YYYY"年"FMMM"月"FMDD"日"'))
             WHEN d.days_left <= 30 THEN pg_catalog.format('年度实施情况报告应于%s前报送，还有%s天',
                                                            pg_catalog.to_char(d.due_on, 'YYYY"年"FMMM"月"FMDD"日"'), d.days_left)
        END)::varchar(60) AS report_warning
  FROM counted c
  JOIN due d ON d.region = c.region AND d.year = c.year
  JOIN subsidy.region r ON r.code = c.region
 WHERE subsidy.report_access()
 ORDER BY c.year, c.region, 6;
COMMENT ON VIEW subsidy_report.progress IS
  '[J54 三(五)] 调度、通报, for tools: per region, year and step of the workflow, how many applications are there and, for those still waiting, since when and for how many days (from the business date each entered its stage); with the year''s annual report (R3): due by 15 January of the year after, sent on time or late, not yet sent or overdue, and a warning from 30 days before (the caller''s regions); 办理进度 shows it with Chinese headings';

CREATE VIEW subsidy_report.办理进度 WITH (security_invoker = true) AS
SELECT p.region AS 统筹地区代码, p.region_name AS 统筹地区, p.year AS 补贴年度, p.step AS 环节代码,
       p.step_name AS 办理环节, p.step_order AS 环节序号, p.is_final AS 是否办结, p.applications AS 申请户数,
       p.waiting_since AS 最早进入日期, p.days_waiting_average AS 平均等待天数, p.days_waiting_longest AS 最长等待天数,
       p.waiting_over_30_days AS 等待超过30天户数, p.report_due_on AS 年度报告报送期限, p.report_frozen_on AS 年度报告报送日期,
       p.report_state AS 年度报告状态代码, p.report_state_name AS 年度报告状态, p.report_days_left AS 距报送期限天数,
       p.report_warning AS 提示
  FROM subsidy_report.progress p
 WHERE subsidy.report_access();
COMMENT ON VIEW subsidy_report.办理进度 IS
  '[J54 三(五)] 办理进度 as people read it: subsidy_report.progress with Chinese headings';

-- R3 is due by 15 January of the year after ([J54 三(五)]): from 30 days before, a report not
-- yet sent (frozen) by one of the caller's pools is warned about, and after, it is overdue.
CREATE FUNCTION subsidy.annual_report_deadline(p_year integer) RETURNS date
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  due date := make_date(p_year + 1, 1, 15);
  unsent text;
BEGIN
  IF due - subsidy.today() <= 30 THEN
    SELECT string_agg(r.region, ', ' ORDER BY r.region) INTO unsent
      FROM subsidy.annual_report(p_year) r
     WHERE r.level = 'pool'
       AND NOT EXISTS (SELECT FROM subsidy.annual_report_frozen f WHERE f.year = p_year AND f.region = r.region);
    IF unsent IS NOT NULL AND subsidy.today() > due THEN
      PERFORM subsidy.raise('report_overdue', p_year::text, due::text, (subsidy.today() - due)::text, unsent,
                            p_year::text);
    ELSIF unsent IS NOT NULL THEN
      PERFORM subsidy.raise('report_due_soon', p_year::text, due::text, (due - subsidy.today())::text, unsent,
                            p_year::text);
    END IF;
  END IF;
  RETURN due;
END
$$;
COMMENT ON FUNCTION subsidy.annual_report_deadline(integer) IS
  'R3: the day the annual report of a year is due (15 January of the year after, [J54 三(五)]); a WARNING names the caller''s pools that have not sent (frozen) it, from 30 days before';

-- R3: the annual implementation report, in bounded types, with its deadline.  Its body is
-- parsed when it is created (BEGIN ATOMIC), so that a login with no role of subsidy reaches
-- report_access and is told which role reads reports, instead of being refused the schema.
CREATE FUNCTION subsidy_report.annual_report(p_year integer) RETURNS SETOF subsidy_report.annual_report
LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT subsidy.report_access();
  SELECT subsidy.annual_report_deadline(p_year);
  SELECT r.level::varchar(8), r.region::varchar(6), r.region_name::varchar(50), r.year, r.regions_covered,
         r.enterprises_applied, r.enterprises_approved, r.employees_covered,
         r.amount_total::numeric(16,2), r.amount_a1::numeric(16,2), r.amount_a2::numeric(16,2),
         r.amount_a3::numeric(16,2), r.amount_paid::numeric(16,2), r.decapacity_enterprises,
         r.decapacity_amount::numeric(16,2), r.zombies_refused, r.spot_checks, r.spot_checks_false_data,
         r.objections, r.days_to_payment_average::numeric(8,1), r.days_to_payment_longest,
         r.fund_balance::numeric(16,2), r.monthly_fund_expenditure::numeric(16,2),
         r.fund_cover_months::numeric(8,2), make_date(p_year + 1, 1, 15),
         (SELECT min(f.frozen_on) FROM subsidy.annual_report_frozen f WHERE f.year = p_year AND f.region = r.region)
    FROM subsidy.annual_report(p_year) r;
END;
COMMENT ON FUNCTION subsidy_report.annual_report(integer) IS
  'R3 年度稳岗补贴实施情况报告, for tools: subsidy.annual_report(year) in bounded types (its row type, subsidy_report.annual_report, is known before it runs), with the deadline (15 January of the year after) and the day each row was sent; a WARNING names the regions that have not sent theirs from 30 days before the deadline';

-- R4 多角度分析, in bounded types, from subsidy_report.applications: the same figures as the
-- views of the same names in schema subsidy.
CREATE VIEW subsidy_report.analysis_by_category WITH (security_invoker = true) AS
SELECT l.year, l.region, l.region_name, l.category, l.category_name,
       pg_catalog.count(*)::integer AS enterprises,
       coalesce(pg_catalog.sum(l.confirmed_insured_end), 0)::integer AS employees_covered,
       pg_catalog.sum(l.amount)::numeric(16,2) AS amount,
       (pg_catalog.sum(l.amount) / nullif(pg_catalog.sum(l.confirmed_insured_end), 0))::numeric(12,2) AS amount_per_employee
  FROM subsidy_report.applications l
 WHERE l.decision = 'approved' AND subsidy.report_access()
 GROUP BY l.year, l.region, l.region_name, l.category, l.category_name;
COMMENT ON VIEW subsidy_report.analysis_by_category IS
  'R4 按补贴类别: how many enterprises and employees each amount rule (A1 standard, A2 decapacity, A3 arrears path) supports, and with how much money, per region and year';

CREATE VIEW subsidy_report.analysis_by_firm_size WITH (security_invoker = true) AS
SELECT l.year, l.region, l.region_name, coalesce(l.firm_size, 'unknown')::varchar(11) AS firm_size,
       (CASE l.firm_size WHEN 'large' THEN '大型企业' WHEN 'small_micro' THEN '中小微企业' ELSE '未知' END)::varchar(10)
         AS firm_size_name,
       pg_catalog.count(*)::integer AS applied,
       pg_catalog.count(*) FILTER (WHERE l.decision = 'approved')::integer AS approved,
       pg_catalog.sum(l.amount)::numeric(16,2) AS amount
  FROM subsidy_report.applications l
 WHERE subsidy.report_access()
 GROUP BY l.year, l.region, l.region_name, l.firm_size;
COMMENT ON VIEW subsidy_report.analysis_by_firm_size IS
  'R4 按企业规模: do large and small-and-micro firms apply and succeed alike, and what do they receive, per region and year';

CREATE VIEW subsidy_report.analysis_by_industry WITH (security_invoker = true) AS
SELECT l.year, l.region, l.region_name, l.industry, l.industry_name,
       pg_catalog.count(*)::integer AS applied,
       pg_catalog.count(*) FILTER (WHERE l.decision = 'approved')::integer AS approved,
       pg_catalog.count(*) FILTER (WHERE l.decision = 'rejected')::integer AS rejected,
       coalesce(pg_catalog.sum(l.confirmed_insured_end) FILTER (WHERE l.decision = 'approved'), 0)::integer
         AS employees_covered,
       pg_catalog.sum(l.amount)::numeric(16,2) AS amount,
       (pg_catalog.sum(l.amount) / nullif(pg_catalog.sum(l.confirmed_insured_end) FILTER (WHERE l.decision = 'approved'), 0))
         ::numeric(12,2) AS amount_per_employee
  FROM subsidy_report.applications l
 WHERE subsidy.report_access()
 GROUP BY l.year, l.region, l.region_name, l.industry, l.industry_name;
COMMENT ON VIEW subsidy_report.analysis_by_industry IS
  'R4 按行业: which industries (国民经济行业分类门类 A-T, GB/T 4754-2017) apply, succeed and receive what, for how many employees, per region and year; industry empty where the register does not know it';

CREATE VIEW subsidy_report.analysis_by_layoff_band WITH (security_invoker = true) AS
SELECT l.year, l.region, l.region_name, b.band::varchar(8) AS band, b.band_order,
       pg_catalog.count(*)::integer AS applied,
       pg_catalog.count(*) FILTER (WHERE l.decision = 'approved')::integer AS approved,
       pg_catalog.count(*) FILTER (WHERE l.decision = 'rejected' AND l.reasons ~ '(^|；)E2 ')::integer AS rejected_for_layoffs
  FROM subsidy_report.applications l
  CROSS JOIN LATERAL (SELECT CASE WHEN l.layoff_rate IS NULL THEN '未知' WHEN l.layoff_rate = 0 THEN '0'
                                  WHEN l.layoff_rate < 1 THEN '0–1%' WHEN l.layoff_rate < 2 THEN '1–2%'
                                  WHEN l.layoff_rate < 3 THEN '2–3%' WHEN l.layoff_rate < 5 THEN '3–5%' ELSE '≥5%' END AS band,
                             CASE WHEN l.layoff_rate IS NULL THEN 9 WHEN l.layoff_rate = 0 THEN 0 WHEN l.layoff_rate < 1 THEN 1
                                  WHEN l.layoff_rate < 2 THEN 2 WHEN l.layoff_rate < 3 THEN 3 WHEN l.layoff_rate < 5 THEN 4
                                  ELSE 5 END AS band_order) b
 WHERE subsidy.report_access()
 GROUP BY l.year, l.region, l.region_name, b.band, b.band_order;
COMMENT ON VIEW subsidy_report.analysis_by_layoff_band IS
  'R4 按裁员率分段: how layoffs are spread among applicants and where the E2 threshold cuts, per region and year (the rate by the year''s formula, in per cent)';

-- policy_in_force for the views of the reports schema, which read tables and functions only (a
-- view's permission would be checked before report_access could tell a login with no role what
-- it lacks); not inlined, so that it is a function when the query is planned.
CREATE FUNCTION subsidy.policies_in_force() RETURNS SETOF subsidy.policy_in_force
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  SELECT * FROM subsidy.policy_in_force
$$;
COMMENT ON FUNCTION subsidy.policies_in_force() IS
  'the rows of policy_in_force, for the reports schema''s views (the caller''s regions'' facts, by its policies)';

CREATE VIEW subsidy_report.analysis_fund_sufficiency WITH (security_invoker = true) AS
-- the fund E7 reads, as policy_in_force resolves it (the year's set for the region's
-- province, the region's override, the province's pooled fund from 2024), through a function:
-- its right to execute is checked when it runs, after report_access
SELECT p.year, p.region::varchar(6) AS region, r.name::varchar(50) AS region_name,
       p.fund_balance::numeric(16,2) AS fund_balance, p.monthly_fund_expenditure::numeric(16,2) AS monthly_fund_expenditure,
       round(p.fund_balance / nullif(p.monthly_fund_expenditure, 0), 2)::numeric(8,2) AS months_of_cover,
       p.fund_cover_months::numeric(4,1) AS months_required,
       coalesce(s.amount_total, 0)::numeric(16,2) AS amount_decided,
       round(coalesce(s.amount_total, 0) * 100 / nullif(p.fund_balance, 0), 2)::numeric(8,2) AS amount_share_of_balance_pct
  FROM subsidy.policies_in_force() p
  JOIN subsidy.region r ON r.code = p.region
  LEFT JOIN subsidy_report.summary s ON s.region = p.region AND s.year = p.year
 WHERE p.fund_balance IS NOT NULL AND subsidy.report_access();
COMMENT ON VIEW subsidy_report.analysis_fund_sufficiency IS
  'R4 统筹地区基金保障能力: can each region''s fund afford the year (E7''s months of cover) and what share of its balance the decided amounts take';

CREATE VIEW subsidy_report.analysis_figure_differences WITH (security_invoker = true) AS
-- (subsidy.figure_difference's list of figures, repeated: a view of the reports schema reads
-- tables and functions only, so that report_access refuses a login with no role before any
-- view's permission is checked; report_schema holds every view of the schema to it)
SELECT a.year, a.region::varchar(6) AS region, r.name::varchar(50) AS region_name, d.figure::varchar(30) AS figure,
       pg_catalog.count(*)::integer AS applications_differing,
       pg_catalog.sum(d.declared)::numeric(16,2) AS declared_total,
       pg_catalog.sum(d.confirmed)::numeric(16,2) AS confirmed_total
  FROM subsidy.application a
  JOIN subsidy.region r ON r.code = a.region
 CROSS JOIN LATERAL (VALUES
   ('insured_start', a.insured_start::numeric, a.confirmed_insured_start::numeric),
   ('insured_end', a.insured_end::numeric, a.confirmed_insured_end::numeric),
   ('insured_average', a.insured_average, a.confirmed_insured_average),
   ('layoffs', a.layoffs::numeric, a.confirmed_layoffs::numeric),
   ('retirements_deaths', a.retirements_deaths::numeric, a.confirmed_retirements_deaths::numeric),
   ('premiums_payable', a.premiums_payable, a.confirmed_premiums_payable),
   ('premiums_paid', a.premiums_paid, a.confirmed_premiums_paid),
   ('arrears_basis_year', a.arrears_basis_year, a.confirmed_arrears_basis_year),
   ('arrears_other_years', a.arrears_other_years, a.confirmed_arrears_other_years),
   ('deferral_agreement', a.deferral_agreement::integer::numeric, a.confirmed_deferral_agreement::integer::numeric),
   ('prior_subsidy', a.prior_subsidy, a.confirmed_prior_subsidy),
   ('prior_subsidy_use_proper', a.prior_subsidy_use_proper::integer::numeric,
                                a.confirmed_prior_subsidy_use_proper::integer::numeric)
 ) AS d (figure, declared, confirmed)
 WHERE d.declared <> d.confirmed AND subsidy.report_access()
 GROUP BY a.year, a.region, r.name, d.figure;
COMMENT ON VIEW subsidy_report.analysis_figure_differences IS
  'R4 信息比对: which declared figures differ from the confirmed ones (A5), how often and by how much, per region and year: where declarations need checking';

-- Every column of every report: its Chinese heading, English name and what it holds.  Labels
-- are given once, for a column name in every report ('*') or in one report; the Chinese-named
-- twins take their English twin's, column by column.  psqlODBC returns no column remarks, so a
-- tool reads them here; the COMMENTs on the columns (set below from this view) say the same.
CREATE VIEW subsidy_report.column_labels WITH (security_invoker = true) AS
WITH label (object_name, column_name, heading, description) AS (VALUES
  ('*', 'region', '统筹地区代码', 'pooling region code (GB/T 2260, or NNXnnn for a pool without one)'),
  ('*', 'region_name', '统筹地区', 'pooling region'),
  ('*', 'year', '补贴年度', 'subsidy year (its figures are those of the year before)'),
  ('*', 'application_id', '申请编号', 'application number'),
  ('*', 'uscc', '统一社会信用代码', 'the enterprise''s Unified Social Credit Code'),
  ('*', 'enterprise', '单位名称', 'enterprise name'),
  ('*', 'industry', '行业门类代码', 'industry section letter A-T (国民经济行业分类, GB/T 4754-2017); empty: not known'),
  ('*', 'industry_name', '行业门类', 'the industry section, in Chinese (未知: not known)'),
  ('*', 'firm_size', '企业规模代码', 'firm size: large or small_micro (empty: not known)'),
  ('*', 'firm_size_name', '企业规模', 'firm size, in Chinese'),
  ('*', 'is_decapacity', '是否去产能企业', 'decapacity enterprise: 1 yes, 0 no, empty not known'),
  ('*', 'is_key_supported', '是否政府重点支持企业', 'key-supported enterprise: 1 yes, 0 no, empty not known'),
  ('*', 'is_zombie', '是否僵尸企业', 'zombie enterprise: 1 yes, 0 no, empty not known'),
  ('*', 'is_monitored', '是否失业动态监测企业', 'in unemployment dynamic monitoring: 1 yes, 0 no, empty not known'),
  ('*', 'stage', '办理环节代码', 'stage (W1): submitted, in_review, decided, in_publicity, objection, cleared, paid, reported'),
  ('*', 'stage_name', '办理环节', 'the stage, in Chinese'),
  ('*', 'stage_since', '进入本环节日期', 'the business date it entered its stage'),
  ('*', 'submitted_on', '申报日期', 'date submitted'),
  ('*', 'layoff_rate', '裁员率（%）', 'E2: layoff rate of the basis year by the year''s formula, per cent, from the confirmed figures (empty: a figure is missing)'),
  ('*', 'declared_insured_start', '上年初参保人数（申报）', 'insured at the start of the basis year, as declared'),
  ('*', 'confirmed_insured_start', '上年初参保人数（确认）', 'insured at the start of the basis year, as the agency confirmed (empty: not yet)'),
  ('*', 'declared_insured_end', '上年末参保人数（申报）', 'insured at the end of the basis year, as declared'),
  ('*', 'confirmed_insured_end', '上年末参保人数（确认）', 'insured at the end of the basis year, as the agency confirmed (empty: not yet)'),
  ('*', 'declared_insured_average', '上年度月均参保人数（申报）', 'average monthly insured in the basis year, as declared'),
  ('*', 'confirmed_insured_average', '上年度月均参保人数（确认）', 'average monthly insured in the basis year, as the agency confirmed (empty: not yet)'),
  ('*', 'declared_layoffs', '上年度裁员人数（申报）', 'layoffs in the basis year, as declared'),
  ('*', 'confirmed_layoffs', '上年度裁员人数（确认）', 'layoffs in the basis year, as hrss found (empty: not yet)'),
  ('*', 'declared_premiums_payable', '上年度应缴失业保险费（申报，元）', 'premiums payable in the basis year, yuan, as declared'),
  ('*', 'confirmed_premiums_payable', '上年度应缴失业保险费（确认，元）', 'premiums payable in the basis year, yuan, as the agency confirmed (empty: not yet)'),
  ('*', 'declared_premiums_paid', '上年度实缴失业保险费（申报，元）', 'premiums actually paid in the basis year, yuan, as declared'),
  ('*', 'confirmed_premiums_paid', '上年度实缴失业保险费（确认，元）', 'premiums actually paid in the basis year, yuan, as the agency confirmed (empty: not yet)'),
  ('*', 'figures_differing', '申报确认不一致项数', 'how many declared figures differ from the confirmed ones (A5 信息比对); on a totals row, their sum'),
  ('*', 'decision', '审核结论代码', 'approved or rejected (empty: not yet decided)'),
  ('*', 'decided_on', '决定日期', 'date decided'),
  ('*', 'category', '补贴类别代码', 'the amount rule of an approval: A1, A2 or A3'),
  ('*', 'category_name', '补贴类别', 'the amount rule of an approval, in Chinese'),
  ('*', 'rate', '补贴比例', 'share of the basis granted (0.5 = 50 %)'),
  ('*', 'amount', '核定补贴金额（元）', 'amount granted, yuan: 0.00 where nothing is granted (rejected, or not yet decided)'),
  ('*', 'reasons', '未通过原因', 'why rejected: the rules failed, a few words each (W4)'),
  ('*', 'paid_on', '发放日期', 'date paid'),
  ('*', 'paid_amount', '发放金额（元）', 'amount paid, yuan (0.00 until paid)'),
  ('*', 'applied', '申请户数', 'applications submitted'),
  ('*', 'approved', '通过户数', 'applications approved'),
  ('*', 'rejected', '未通过户数', 'applications rejected'),
  ('*', 'enterprises', '企业户数', 'enterprises approved'),
  ('*', 'employees_covered', '覆盖职工人数', 'employees covered: insured at the end of the basis year in approved enterprises'),
  ('*', 'publicity_id', '公示批次', 'the publicity (公示) number'),
  ('*', 'row_number', '序号', 'row number within its region (or publicity), in pinyin order of names; empty on a totals row'),
  ('*', 'report_due_on', '年度报告报送期限', 'R3: the annual report is due by this day, 15 January of the year after ([J54 三(五)])'),
  ('*', 'report_frozen_on', '年度报告报送日期', 'R3: the business date the annual report was frozen, that is sent (empty: not yet)'),
  ('summary', 'awaiting_decision', '待审户数', 'applications not yet decided'),
  ('summary', 'rejected_e1', '因E1未通过户数', 'rejected under E1: premiums not paid in full'),
  ('summary', 'rejected_e2', '因E2未通过户数', 'rejected under E2: layoff rate not below the threshold'),
  ('summary', 'rejected_e3', '因E3未通过户数', 'rejected under E3: financial management'),
  ('summary', 'rejected_e4', '因E4未通过户数', 'rejected under E4: industrial and environmental policy'),
  ('summary', 'rejected_e5', '因E5未通过户数', 'rejected under E5: zombie enterprise'),
  ('summary', 'rejected_e6', '因E6未通过户数', 'rejected under E6: last year''s subsidy misused'),
  ('summary', 'rejected_e7', '因E7未通过户数', 'rejected under E7: the region''s fund cover'),
  ('summary', 'rejected_e8', '因E8未通过户数', 'rejected under E8: outside the window'),
  ('summary', 'rejected_e10', '因E10未通过户数', 'rejected under E10: false data found by a spot check'),
  ('summary', 'rejected_in_sign_off', '联合审核未通过户数', 'rejected because a party''s sign-off failed (W3)'),
  ('summary', 'insured_covered', '覆盖职工人数', 'employees covered: insured at the end of the basis year in approved enterprises'),
  ('summary', 'premiums_payable', '应缴失业保险费合计（元）', 'premiums payable of approved enterprises, yuan'),
  ('summary', 'premiums_paid', '实缴失业保险费合计（元）', 'premiums paid of approved enterprises, yuan'),
  ('summary', 'approved_a1', 'A1通过户数', 'approved under A1 (standard)'),
  ('summary', 'approved_a2', 'A2通过户数', 'approved under A2 (decapacity)'),
  ('summary', 'approved_a3', 'A3通过户数', 'approved under A3 (arrears path)'),
  ('summary', 'amount_a1', 'A1补贴金额（元）', 'amount under A1, yuan'),
  ('summary', 'amount_a2', 'A2补贴金额（元）', 'amount under A2, yuan'),
  ('summary', 'amount_a3', 'A3补贴金额（元）', 'amount under A3, yuan'),
  ('summary', 'amount_total', '补贴金额合计（元）', 'total amount decided, yuan'),
  ('annex3', 'row_kind', '行类型', 'detail: an enterprise; total: its region''s totals row (合计), which a tool summing the details leaves out'),
  ('annex3', 'enterprise', '单位名称', 'enterprise name; 合计 on the totals row'),
  ('annex3', 'category_name', '企业类别', 'the amount rule of an approval, in Chinese'),
  ('annex3', 'amount', '核定补贴金额（元）', 'amount granted, yuan: 0.00 where nothing is granted; on the totals row, their sum'),
  ('annex3', 'result', '审核结果', '通过 approved, 不通过 rejected, 审核中 in review; on the totals row, how many of each'),
  ('publicity_list', 'amount', '补贴金额（元）', 'amount to be granted, yuan'),
  ('publicity_list', 'amount_in_capitals', '金额大写', 'the amount in Chinese capitals (人民币大写)'),
  ('publicity_list', 'publicity_starts_on', '公示开始日期', 'first day of publicity'),
  ('publicity_list', 'publicity_ends_on', '公示截止日期', 'last day of publicity (its n-th working day, W5)'),
  ('progress', 'step', '环节代码', 'step: draft, correction (补正 pending), submitted, in_review, approved, in_publicity, objection, cleared, paid; final: reported, rejected, withdrawn'),
  ('progress', 'step_name', '办理环节', 'the step, in Chinese'),
  ('progress', 'step_order', '环节序号', 'the step''s place in the workflow, for sorting'),
  ('progress', 'is_final', '是否办结', '1: the applications are done (reported, rejected, withdrawn); 0: they wait'),
  ('progress', 'applications', '申请户数', 'applications at this step'),
  ('progress', 'waiting_since', '最早进入日期', 'the earliest business date one of them entered the step (empty when done)'),
  ('progress', 'days_waiting_average', '平均等待天数', 'days they have waited at this step, on average, to today'),
  ('progress', 'days_waiting_longest', '最长等待天数', 'days the longest-waiting one has waited at this step'),
  ('progress', 'waiting_over_30_days', '等待超过30天户数', 'how many have waited more than 30 days at this step'),
  ('progress', 'report_state', '年度报告状态代码', 'R3: sent, sent_late, pending (not yet due) or overdue'),
  ('progress', 'report_state_name', '年度报告状态', 'R3: 已按时报送, 逾期报送, 未报送 or 逾期未报送'),
  ('progress', 'report_days_left', '距报送期限天数', 'R3: days to the deadline (negative: overdue); empty once sent'),
  ('progress', 'report_warning', '提示', 'R3: a warning from 30 days before the deadline while the report is not sent'),
  ('annual_report', 'level', '层级', 'pool: a pooling region; province: the province, where the caller sees all its pools'),
  ('annual_report', 'regions_covered', '覆盖统筹地区数', 'pooling regions that granted the subsidy to at least one enterprise'),
  ('annual_report', 'enterprises_applied', '申请企业户数', 'enterprises that applied'),
  ('annual_report', 'enterprises_approved', '享受补贴企业户数', 'enterprises approved'),
  ('annual_report', 'amount_total', '核定补贴金额合计（元）', 'amount decided, yuan'),
  ('annual_report', 'amount_a1', 'A1补贴金额（元）', 'amount under A1 (standard), yuan'),
  ('annual_report', 'amount_a2', 'A2补贴金额（元）', 'amount under A2 (decapacity), yuan'),
  ('annual_report', 'amount_a3', 'A3补贴金额（元）', 'amount under A3 (arrears path), yuan'),
  ('annual_report', 'amount_paid', '已发放金额（元）', 'amount paid, yuan'),
  ('annual_report', 'decapacity_enterprises', '去产能企业户数', 'decapacity enterprises approved'),
  ('annual_report', 'decapacity_amount', '去产能企业补贴金额（元）', 'amount decided for decapacity enterprises, yuan'),
  ('annual_report', 'zombies_refused', '僵尸企业不予补贴户数', 'zombie enterprises refused (E5)'),
  ('annual_report', 'spot_checks', '实地抽查户数', 'applications drawn for on-site spot checks (W11)'),
  ('annual_report', 'spot_checks_false_data', '抽查发现数据虚假户数', 'spot checks that found false data (E10)'),
  ('annual_report', 'objections', '异议件数', 'objections raised (W6)'),
  ('annual_report', 'days_to_payment_average', '申请至发放平均天数', 'days from submission to payment, on average, of those paid'),
  ('annual_report', 'days_to_payment_longest', '申请至发放最长天数', 'days from submission to payment, the longest'),
  ('annual_report', 'fund_balance', '基金结余（元）', 'fund balance at the end of the basis year, yuan'),
  ('annual_report', 'monthly_fund_expenditure', '月均基金支出（元）', 'monthly fund expenditure in the basis year, yuan'),
  ('annual_report', 'fund_cover_months', '可支付月数', 'months of expenditure the balance covers (E7)'),
  ('annual_figures', 'regions_covered', '覆盖统筹地区数', '1: the pooling region granted the subsidy to at least one enterprise; 0: none'),
  ('annual_figures', 'enterprises_applied', '申请企业户数', 'enterprises that applied'),
  ('annual_figures', 'enterprises_approved', '享受补贴企业户数', 'enterprises approved'),
  ('annual_figures', 'amount_total', '核定补贴金额合计（元）', 'amount decided, yuan'),
  ('annual_figures', 'amount_a1', 'A1补贴金额（元）', 'amount under A1 (standard), yuan'),
  ('annual_figures', 'amount_a2', 'A2补贴金额（元）', 'amount under A2 (decapacity), yuan'),
  ('annual_figures', 'amount_a3', 'A3补贴金额（元）', 'amount under A3 (arrears path), yuan'),
  ('annual_figures', 'amount_paid', '已发放金额（元）', 'amount paid, yuan'),
  ('annual_figures', 'decapacity_enterprises', '去产能企业户数', 'decapacity enterprises approved'),
  ('annual_figures', 'decapacity_amount', '去产能企业补贴金额（元）', 'amount decided for decapacity enterprises, yuan'),
  ('annual_figures', 'zombies_refused', '僵尸企业不予补贴户数', 'zombie enterprises refused (E5)'),
  ('annual_figures', 'spot_checks', '实地抽查户数', 'applications drawn for on-site spot checks (W11)'),
  ('annual_figures', 'spot_checks_false_data', '抽查发现数据虚假户数', 'spot checks that found false data (E10)'),
  ('annual_figures', 'objections', '异议件数', 'objections raised (W6)'),
  ('annual_figures', 'payments', '已发放户数', 'applications paid: what days_to_payment_average is an average of'),
  ('annual_figures', 'days_to_payment_total', '申请至发放天数合计', 'days from submission to payment, summed over those paid'),
  ('annual_figures', 'days_to_payment_average', '申请至发放平均天数', 'days from submission to payment, on average, of those paid'),
  ('annual_figures', 'days_to_payment_longest', '申请至发放最长天数', 'days from submission to payment, the longest'),
  ('annual_figures', 'fund_balance', '基金结余（元）', 'fund balance at the end of the basis year, yuan'),
  ('annual_figures', 'monthly_fund_expenditure', '月均基金支出（元）', 'monthly fund expenditure in the basis year, yuan'),
  ('annual_figures', 'fund_cover_months', '可支付月数', 'months of expenditure the balance covers (E7)'),
  ('audit_heads', 'seq', '链头序号', 'the position of the chain''s last entry, from 1'),
  ('audit_heads', 'hash', '链头哈希', 'that entry''s SHA-256 hash, 64 hexadecimal digits'),
  ('audit_heads', 'logged_at', '记录时间', 'when that entry was written, UTC, ISO 8601'),
  ('analysis_by_category', 'amount', '补贴金额（元）', 'amount decided, yuan'),
  ('analysis_by_category', 'amount_per_employee', '人均补贴金额（元）', 'amount per employee covered, yuan'),
  ('analysis_by_firm_size', 'amount', '补贴金额（元）', 'amount decided, yuan'),
  ('analysis_by_industry', 'amount', '补贴金额（元）', 'amount decided, yuan'),
  ('analysis_by_industry', 'amount_per_employee', '人均补贴金额（元）', 'amount per employee covered, yuan'),
  ('analysis_by_layoff_band', 'band', '裁员率分段', 'layoff-rate band, in per cent (未知: a figure is missing)'),
  ('analysis_by_layoff_band', 'band_order', '分段序号', 'the band''s place, for sorting'),
  ('analysis_by_layoff_band', 'rejected_for_layoffs', '因裁员率未通过户数', 'rejected under E2'),
  ('analysis_fund_sufficiency', 'fund_balance', '基金结余（元）', 'fund balance at the end of the basis year, yuan'),
  ('analysis_fund_sufficiency', 'monthly_fund_expenditure', '月均基金支出（元）', 'monthly fund expenditure in the basis year, yuan'),
  ('analysis_fund_sufficiency', 'months_of_cover', '可支付月数', 'months of expenditure the balance covers'),
  ('analysis_fund_sufficiency', 'months_required', '要求月数', 'months of cover E7 requires'),
  ('analysis_fund_sufficiency', 'amount_decided', '核定补贴金额（元）', 'amount decided this year, yuan'),
  ('analysis_fund_sufficiency', 'amount_share_of_balance_pct', '占基金结余比例（%）', 'the amount as a share of the balance, per cent'),
  ('analysis_figure_differences', 'figure', '比对项目', 'the figure compared, as named in subsidy.application'),
  ('analysis_figure_differences', 'applications_differing', '不一致户数', 'applications whose declared figure differs from the confirmed one'),
  ('analysis_figure_differences', 'declared_total', '申报数合计', 'declared figures, summed'),
  ('analysis_figure_differences', 'confirmed_total', '确认数合计', 'confirmed figures, summed'),
  ('column_labels', 'object_name', '报表名称', 'the report: a view, or a function by the name of its row type'),
  ('column_labels', 'object_kind', '对象类型', 'view, or function (its result''s columns)'),
  ('column_labels', 'position', '列序号', 'the column''s position, from 1'),
  ('column_labels', 'column_name', '列名', 'the column''s name'),
  ('column_labels', 'data_type', '数据类型', 'its SQL type, as ODBC describes it'),
  ('column_labels', 'heading', '中文标题', 'its heading in Chinese (the column name itself in a Chinese-named report)'),
  ('column_labels', 'name_en', '英文列名', 'its name in the English-named report (the column name itself there)'),
  ('column_labels', 'description', '说明', 'what it holds')
), twin (english, chinese) AS (VALUES
  ('annex3', '申请汇总表'), ('publicity_list', '公示名单'), ('progress', '办理进度')
), col AS (
  SELECT c.relname::text AS object_name, c.relkind, a.attnum::integer AS position, a.attname::text AS column_name,
         pg_catalog.format_type(a.atttypid, a.atttypmod) AS data_type
    FROM pg_catalog.pg_class c
    JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
   WHERE c.relnamespace = 'subsidy_report'::regnamespace AND c.relkind IN ('v', 'c')
), english AS (
  SELECT col.object_name, col.relkind, col.position, col.column_name, col.data_type,
         coalesce(s.heading, g.heading) AS heading, col.column_name AS name_en,
         coalesce(s.description, g.description) AS description
    FROM col
    LEFT JOIN label s ON s.object_name = col.object_name AND s.column_name = col.column_name
    LEFT JOIN label g ON g.object_name = '*' AND g.column_name = col.column_name
   WHERE col.object_name NOT IN (SELECT chinese FROM twin)
)
SELECT l.object_name::varchar(63) AS object_name,
       (CASE l.relkind WHEN 'v' THEN 'view' ELSE 'function' END)::varchar(8) AS object_kind,
       l.position, l.column_name::varchar(63) AS column_name, l.data_type::varchar(40) AS data_type,
       l.heading::varchar(40) AS heading, l.name_en::varchar(63) AS name_en, l.description::varchar(255) AS description
  FROM (SELECT * FROM english
        UNION ALL
        SELECT ch.object_name, ch.relkind, ch.position, ch.column_name, ch.data_type, en.heading, en.name_en,
               en.description
          FROM col ch
          JOIN twin t ON t.chinese = ch.object_name
          LEFT JOIN english en ON en.object_name = t.english AND en.position = ch.position) l
 WHERE subsidy.report_access()
 ORDER BY 1, 3;
COMMENT ON VIEW subsidy_report.column_labels IS
  '字段说明: every column of every report, with its Chinese heading, its English name and what it holds (a tool reads them here: psqlODBC returns no remarks); the Chinese-named reports take their English twin''s labels, column by column';

-- The labels become the columns' COMMENTs.  A column without a label, or a Chinese-named
-- column that is not its English twin's heading, stops the install.
DO $labels$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT l.object_name, l.column_name, l.heading, l.name_en, l.description
             FROM subsidy_report.column_labels l LOOP
    IF r.heading IS NULL OR r.description IS NULL THEN
      PERFORM subsidy.raise('report_column_unlabelled', r.object_name, r.column_name);
    END IF;
    IF r.name_en OPERATOR(pg_catalog.<>) r.column_name AND r.heading OPERATOR(pg_catalog.<>) r.column_name THEN
      PERFORM subsidy.raise('report_twin_mismatch', r.object_name, r.column_name, r.heading);
    END IF;
    EXECUTE pg_catalog.format('COMMENT ON COLUMN subsidy_report.%I.%I IS %L', r.object_name, r.column_name,
                              CASE WHEN r.name_en OPERATOR(pg_catalog.=) r.column_name
                                   THEN r.heading OPERATOR(pg_catalog.||) ' / ' OPERATOR(pg_catalog.||) r.description
                                   ELSE r.name_en OPERATOR(pg_catalog.||) ' / ' OPERATOR(pg_catalog.||) r.description END);
  END LOOP;
END
$labels$;
