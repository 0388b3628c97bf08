--
-- The eligibility and amount engine (DOMAIN sections 5-7)
--

-- The rules and their legal sources, for explanations, errors and reports.
CREATE VIEW subsidy.rule (id, ord, title_zh, title_en, source) WITH (security_invoker = true) AS VALUES
  ('E0', 0, '事实缺失则待定，一次列明所缺事实', 'missing facts make the result undetermined, all listed at once', '吉人社联字〔2018〕54号 一(二)'),
  ('E1', 1, '依法参保并足额缴纳失业保险费', 'insured, and premiums for the basis year paid in full', '人社部发〔2014〕76号；吉人社联字〔2018〕54号 二(二)'),
  ('E2', 2, '上年度未裁员或裁员率不超过规定标准（标准、来源和比较方式见当年度参数）', 'no layoffs, or a layoff rate that passes the year''s test (its threshold, source and comparator are parameters)', '人社部发〔2014〕76号；人社部发〔2019〕23号；国办发〔2020〕6号；人社部发〔2021〕29号'),
  ('E3', 3, '财务管理制度健全', 'sound financial management', '人社部发〔2014〕76号；吉人社联字〔2018〕54号 二(三)2'),
  ('E4', 4, '符合国家及地方产业和环保政策', 'compliant with industrial and environmental policy', '人社部发〔2014〕76号'),
  ('E5', 5, '僵尸企业不予发放', 'zombie enterprises are never eligible', '吉人社联字〔2018〕54号 二(二)'),
  ('E6', 6, '上年度稳岗补贴按规定用途使用', 'last year''s subsidy used for the permitted purposes', '人社部发〔2014〕76号；吉人社联字〔2018〕54号 二(三)2'),
  ('E7', 7, '统筹地区基金结余可支付月数不低于规定月数', 'the region''s fund covers the required months of expenditure', '人社部发〔2014〕76号；人社厅发〔2017〕129号'),
  ('E8', 8, '在申报期内申报', 'filed inside the region''s application window', '吉人社联字〔2018〕54号 三(二)'),
  ('E9', 9, '每户企业每年度申请一次', 'one application per enterprise and year', '本系统规则（政策文件未作规定）'),
  ('E10', 10, '实地抽查发现数据虚假的不予发放', 'false data found by a spot check makes it ineligible', '吉人社联字〔2018〕54号 二(三)2、三(三)'),
  ('E11', 11, '上年度足额缴纳失业保险费满规定月数', 'premiums paid in full for at least the set''s months up to the end of the basis year', '人社部发〔2019〕23号'),
  ('E12', 12, '参照实施的单位类型', 'a kind of unit the year''s set covers (enterprises; from 2021 also the six kinds that apply it by reference)', '人社部发〔2021〕29号'),
  ('E13', 13, '严重违法失信单位不予发放', 'a unit on the serious-dishonesty list is never eligible', '人社部发〔2019〕23号'),
  ('A1', 14, '标准：上年度实缴失业保险费的规定比例', 'standard: a share of premiums actually paid', '人社部发〔2014〕76号'),
  ('A2', 15, '不欠费的去产能企业：上年度应缴失业保险费的60%', 'decapacity without arrears: a share of premiums payable', '吉人社联字〔2018〕54号 二(二)'),
  ('A3', 16, '其他年度欠费并签订延期缴费协议：上年度应缴失业保险费的50%', 'arrears in other years under a deferred-payment agreement: a share of premiums payable', '吉人社联字〔2018〕54号 二(二)'),
  ('A7', 17, '困难企业稳岗返还：统筹地区基金可支付24个月以上时，按月人均失业保险金和参保职工人数或6个月社会保险费的50%确定', 'hardship (2019-2020): months x the region''s average monthly benefit x average insured, or months x 50 % of monthly premiums payable, where the region''s own fund covers 24 months', '人社部发〔2019〕23号；国发〔2018〕39号'),
  ('A4', 18, '金额四舍五入至规定单位', 'amounts rounded half up to the parameter''s unit', '本系统规则（政策文件未作规定）'),
  ('A5', 19, '以经办机构确认的数据核定金额，申报数据与确认数据不一致的予以标记', 'amounts use confirmed figures; declared figures that differ are flagged', '吉人社联字〔2018〕54号 三(四)'),
  ('A6', 20, '名单确定后金额不变，除非经异议重新审核；提高标准的，补发差额', 'a decided amount changes only through review reopened by an objection; a later raise of the rate is paid as a top-up of the difference', '吉人社联字〔2018〕54号 二(三)3；人社部发〔2022〕23号'),
  ('W1', 21, '只允许规定的环节流转', 'only the listed stage transitions, each by its role', '吉人社联字〔2018〕54号 二(三)'),
  ('W2', 22, '申报期内申报，缺项一次告知', 'submitted inside the window; every missing item reported at once', '吉人社联字〔2018〕54号 二(三)1、三(二)'),
  ('W3', 23, '人社、财政、经办三方联合审核', 'joint review: hrss, finance and the agency each sign off', '吉人社联字〔2018〕54号 二(三)2'),
  ('W3a', 24, '签署后数据变更则签署作废', 'a change of figures after a sign-off voids the round''s sign-offs', '本系统规则（政策文件未作规定）'),
  ('W4', 25, '不予补贴须说明理由', 'a rejection carries its reasons', '本系统规则（政策文件未作规定）'),
  ('W5', 26, '公示期不少于7个工作日', 'publicity of at least 7 working days', '吉人社联字〔2018〕54号 二(三)3'),
  ('W5a', 27, '公示开始后不再增列', 'an application joins a publicity only before it starts, so that it is published for the full period', '吉人社联字〔2018〕54号 二(三)3'),
  ('W6', 28, '公示有异议的重新审核', 'an objection during publicity reopens review', '吉人社联字〔2018〕54号 二(三)3'),
  ('W7', 29, '公示无异议后由经办机构发放', 'the agency pays after publicity without objection', '吉人社联字〔2018〕54号 二(三)3'),
  ('W8', 30, '发放后报人社部门并上报信息系统', 'payment reported to hrss and up to the national system', '吉人社联字〔2018〕54号 二(三)3、三(四)'),
  ('W9', 31, '全程留痕，审计记录不可篡改', 'every step logged in a tamper-evident audit trail', '吉人社联字〔2018〕54号 三(三)、三(四)'),
  ('W10', 32, '失业动态监测企业优先审核', 'monitored enterprises are reviewed first', '吉人社联字〔2018〕54号 三(三)'),
  ('W11', 33, '实地抽查', 'on-site spot checks', '吉人社联字〔2018〕54号 二(三)2'),
  ('W12', 34, '业务日期以北京时间为准', 'today is the date in China Standard Time', '本系统规则（政策文件未作规定）');
COMMENT ON VIEW subsidy.rule IS 'the rules (规则) the extension enforces, with their legal sources (DOMAIN.md)';

-- The facts a rule may find missing (E0), in words a clerk knows.
CREATE VIEW subsidy.fact (name, label_zh, label_en) WITH (security_invoker = true) AS VALUES
  ('policy_year', '当年度政策参数', 'the parameter set for the year'),
  ('submitted_on', '申报日期', 'the day the application was submitted'),
  ('application_window', '统筹地区当年申报期', 'the region''s application window'),
  ('confirmed_arrears_basis_year', '经办机构确认的上年度欠费', 'arrears for the basis year, as the agency confirmed'),
  ('confirmed_premiums_paid', '经办机构确认的上年度实缴失业保险费', 'premiums paid in the basis year, as the agency confirmed'),
  ('confirmed_premiums_payable', '经办机构确认的上年度应缴失业保险费', 'premiums payable in the basis year, as the agency confirmed'),
  ('confirmed_arrears_other_years', '经办机构确认的其他年度欠费', 'arrears for other years, as the agency confirmed'),
  ('confirmed_deferral_agreement', '是否签订延期缴费协议', 'whether a deferred-payment agreement is signed'),
  ('decapacity', '是否去产能企业', 'whether it is a decapacity enterprise'),
  ('key_supported', '是否政府重点支持企业', 'whether it is a key-supported enterprise'),
  ('confirmed_layoffs', '人社部门核实的上年度裁员人数', 'layoffs in the basis year, as hrss found'),
  ('confirmed_insured_start', '上年初参保人数', 'insured persons at the start of the basis year'),
  ('confirmed_insured_end', '上年末参保人数', 'insured persons at the end of the basis year'),
  ('confirmed_insured_average', '上年月平均参保人数', 'average monthly insured persons in the basis year'),
  ('confirmed_retirements_deaths', '上年退休及死亡人数', 'retirements and deaths in the basis year'),
  ('registered_unemployment_rate', '统筹地区上年度城镇登记失业率', 'the region''s registered urban unemployment rate for the basis year'),
  ('financial_management_sound', '财政部门对财务管理的审核结论', 'finance''s finding on financial management'),
  ('policy_compliant', '产业政策和环保政策符合情况', 'compliance with industrial and environmental policy'),
  ('zombie', '是否僵尸企业', 'whether it is a zombie enterprise'),
  ('confirmed_prior_subsidy', '上年度稳岗补贴金额', 'last year''s subsidy'),
  ('confirmed_prior_subsidy_use_proper', '财政部门对上年度补贴使用情况的审核结论', 'finance''s finding on the use of last year''s subsidy'),
  ('fund_balance', '统筹地区上年末失业保险基金结余', 'the region''s fund balance at the end of the basis year'),
  ('monthly_fund_expenditure', '统筹地区上年月均基金支出', 'the region''s monthly fund expenditure in the basis year'),
  ('firm_size', '企业规模', 'firm size'),
  ('spot_check', '实地抽查结果', 'the spot check''s result'),
  ('unit_kind', '单位类型', 'the kind of unit'),
  ('serious_dishonesty', '是否列入严重违法失信名单', 'whether it is on the serious-dishonesty list'),
  ('confirmed_full_contribution_months', '经办机构确认的足额缴费月数', 'months of premiums paid in full, as the agency confirmed'),
  ('confirmed_new_claimants', '经办机构确认的上年度新增领取失业保险金人数', 'new unemployment-benefit claimants in the basis year, as the agency confirmed'),
  ('confirmed_monthly_premiums_payable', '经办机构确认的月应缴社会保险费', 'monthly social-insurance premiums payable, as the agency confirmed'),
  ('hardship_recognised', '人社部门对困难企业的认定', 'hrss''s finding that the unit is in temporary difficulty'),
  ('average_monthly_benefit', '统筹地区上年月人均失业保险金', 'the region''s average monthly unemployment benefit in the basis year'),
  ('decided_on', '审核决定日期', 'the day of the decision'),
  ('surveyed_unemployment_target', '全国城镇调查失业率控制目标', 'the national surveyed-unemployment control target'),
  ('region_fund', '统筹地区本级基金结余及月均支出', 'the region''s own fund balance and monthly expenditure');
COMMENT ON VIEW subsidy.fact IS 'facts the engine may find missing (E0), named as the columns that hold them';

-- The engine itself takes the facts as arguments, in this order; call verdict_of or assess.
CREATE FUNCTION subsidy.verdict_of_facts(
  year integer,
  region text,
  submitted_on date,
  decapacity boolean,
  key_supported boolean,
  zombie boolean,
  firm_size subsidy.firm_size,
  confirmed_insured_start integer,
  confirmed_insured_end integer,
  confirmed_insured_average numeric,
  confirmed_layoffs integer,
  confirmed_retirements_deaths integer,
  confirmed_premiums_payable numeric,
  confirmed_premiums_paid numeric,
  confirmed_arrears_basis_year numeric,
  confirmed_arrears_other_years numeric,
  confirmed_deferral_agreement boolean,
  confirmed_prior_subsidy numeric,
  confirmed_prior_subsidy_use_proper boolean,
  financial_management_sound boolean,
  policy_compliant boolean,
  spot_check subsidy.spot_check_result,
  -- the facts 1.2 added: a caller that does not know them yet leaves them unknown
  decided_on date DEFAULT NULL,
  unit_kind subsidy.unit_kind DEFAULT NULL,
  serious_dishonesty boolean DEFAULT NULL,
  confirmed_full_contribution_months integer DEFAULT NULL,
  confirmed_new_claimants integer DEFAULT NULL,
  confirmed_monthly_premiums_payable numeric DEFAULT NULL,
  hardship_recognised boolean DEFAULT NULL)
RETURNS subsidy.verdict
  AS 'MODULE_PATHNAME', 'verdict_of_facts' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION subsidy.verdict_of_facts(integer, text, date, boolean, boolean, boolean, subsidy.firm_size, integer, integer, numeric, integer, integer, numeric, numeric, numeric, numeric, boolean, numeric, boolean, boolean, boolean, subsidy.spot_check_result, date, subsidy.unit_kind, boolean, integer, integer, numeric, boolean) IS
  'the engine, given an application''s facts under the parameters in force; call verdict_of(application). Not STRICT: a missing fact is E0, not a NULL result; NULL only without a year';

CREATE FUNCTION subsidy.verdict_of_facts_under(
  policy subsidy.policy_in_force,
  year integer,
  region text,
  submitted_on date,
  decapacity boolean,
  key_supported boolean,
  zombie boolean,
  firm_size subsidy.firm_size,
  confirmed_insured_start integer,
  confirmed_insured_end integer,
  confirmed_insured_average numeric,
  confirmed_layoffs integer,
  confirmed_retirements_deaths integer,
  confirmed_premiums_payable numeric,
  confirmed_premiums_paid numeric,
  confirmed_arrears_basis_year numeric,
  confirmed_arrears_other_years numeric,
  confirmed_deferral_agreement boolean,
  confirmed_prior_subsidy numeric,
  confirmed_prior_subsidy_use_proper boolean,
  financial_management_sound boolean,
  policy_compliant boolean,
  spot_check subsidy.spot_check_result,
  -- the facts 1.2 added: a caller that does not know them yet leaves them unknown
  decided_on date DEFAULT NULL,
  unit_kind subsidy.unit_kind DEFAULT NULL,
  serious_dishonesty boolean DEFAULT NULL,
  confirmed_full_contribution_months integer DEFAULT NULL,
  confirmed_new_claimants integer DEFAULT NULL,
  confirmed_monthly_premiums_payable numeric DEFAULT NULL,
  hardship_recognised boolean DEFAULT NULL)
RETURNS subsidy.verdict
  AS 'MODULE_PATHNAME', 'verdict_of_facts_under' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION subsidy.verdict_of_facts_under(subsidy.policy_in_force, integer, text, date, boolean, boolean, boolean, subsidy.firm_size, integer, integer, numeric, integer, integer, numeric, numeric, numeric, numeric, boolean, numeric, boolean, boolean, boolean, subsidy.spot_check_result, date, subsidy.unit_kind, boolean, integer, integer, numeric, boolean) IS
  'the engine under the parameters given; call verdict_of(application, policy_in_force)';

-- SQL functions without SET clauses, so that the planner inlines them: the engine then gets
-- the row's columns, not a copy of the whole row. Schema-qualified calls and field
-- selections only, so no search_path can redirect them.
CREATE FUNCTION subsidy.verdict_of(a subsidy.application) RETURNS subsidy.verdict
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT subsidy.verdict_of_facts(a.year, a.region, a.submitted_on, a.decapacity, a.key_supported, a.zombie, a.firm_size, a.confirmed_insured_start, a.confirmed_insured_end, a.confirmed_insured_average, a.confirmed_layoffs, a.confirmed_retirements_deaths, a.confirmed_premiums_payable, a.confirmed_premiums_paid, a.confirmed_arrears_basis_year, a.confirmed_arrears_other_years, a.confirmed_deferral_agreement, a.confirmed_prior_subsidy, a.confirmed_prior_subsidy_use_proper, a.financial_management_sound, a.policy_compliant, a.spot_check, a.decided_on, a.unit_kind, a.serious_dishonesty, a.confirmed_full_contribution_months, a.confirmed_new_claimants, a.confirmed_monthly_premiums_payable, a.hardship_recognised)
$$;
COMMENT ON FUNCTION subsidy.verdict_of(subsidy.application) IS
  'the verdict on an application under the parameters in force (policy_in_force), from its confirmed figures (A5); parameters are read once per statement, never per row';

CREATE FUNCTION subsidy.verdict_of(a subsidy.application, p subsidy.policy_in_force) RETURNS subsidy.verdict
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT subsidy.verdict_of_facts_under(p, a.year, a.region, a.submitted_on, a.decapacity, a.key_supported, a.zombie, a.firm_size, a.confirmed_insured_start, a.confirmed_insured_end, a.confirmed_insured_average, a.confirmed_layoffs, a.confirmed_retirements_deaths, a.confirmed_premiums_payable, a.confirmed_premiums_paid, a.confirmed_arrears_basis_year, a.confirmed_arrears_other_years, a.confirmed_deferral_agreement, a.confirmed_prior_subsidy, a.confirmed_prior_subsidy_use_proper, a.financial_management_sound, a.policy_compliant, a.spot_check, a.decided_on, a.unit_kind, a.serious_dishonesty, a.confirmed_full_contribution_months, a.confirmed_new_claimants, a.confirmed_monthly_premiums_payable, a.hardship_recognised)
$$;
COMMENT ON FUNCTION subsidy.verdict_of(subsidy.application, subsidy.policy_in_force) IS
  'the verdict on an application under the parameters given as a policy_in_force row, for what-if analysis';

CREATE FUNCTION subsidy.assess(a subsidy.application) RETURNS subsidy.assessment
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT subsidy.assessment(subsidy.verdict_of_facts(a.year, a.region, a.submitted_on, a.decapacity, a.key_supported, a.zombie, a.firm_size, a.confirmed_insured_start, a.confirmed_insured_end, a.confirmed_insured_average, a.confirmed_layoffs, a.confirmed_retirements_deaths, a.confirmed_premiums_payable, a.confirmed_premiums_paid, a.confirmed_arrears_basis_year, a.confirmed_arrears_other_years, a.confirmed_deferral_agreement, a.confirmed_prior_subsidy, a.confirmed_prior_subsidy_use_proper, a.financial_management_sound, a.policy_compliant, a.spot_check, a.decided_on, a.unit_kind, a.serious_dishonesty, a.confirmed_full_contribution_months, a.confirmed_new_claimants, a.confirmed_monthly_premiums_payable, a.hardship_recognised))
$$;
COMMENT ON FUNCTION subsidy.assess(subsidy.application) IS
  'assess an application under the parameters in force: its verdict in standard types';

CREATE FUNCTION subsidy.assess(a subsidy.application, p subsidy.policy_in_force) RETURNS subsidy.assessment
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT subsidy.assessment(subsidy.verdict_of_facts_under(p, a.year, a.region, a.submitted_on, a.decapacity, a.key_supported, a.zombie, a.firm_size, a.confirmed_insured_start, a.confirmed_insured_end, a.confirmed_insured_average, a.confirmed_layoffs, a.confirmed_retirements_deaths, a.confirmed_premiums_payable, a.confirmed_premiums_paid, a.confirmed_arrears_basis_year, a.confirmed_arrears_other_years, a.confirmed_deferral_agreement, a.confirmed_prior_subsidy, a.confirmed_prior_subsidy_use_proper, a.financial_management_sound, a.policy_compliant, a.spot_check, a.decided_on, a.unit_kind, a.serious_dishonesty, a.confirmed_full_contribution_months, a.confirmed_new_claimants, a.confirmed_monthly_premiums_payable, a.hardship_recognised))
$$;
COMMENT ON FUNCTION subsidy.assess(subsidy.application, subsidy.policy_in_force) IS
  'assess an application under the parameters given as a policy_in_force row, for what-if analysis';

-- Render an assessment in Chinese, rule by rule, each with its legal source.
CREATE FUNCTION subsidy.explain(a subsidy.assessment) RETURNS text
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  lines text[];
  r record;
  missing text;
  yuan constant text := 'FM999,999,999,990.00';
  -- the rate is shown to as many decimals as the threshold has (at least two), truncated,
  -- so that it reads below the threshold exactly when it is
  places integer := greatest(2, scale(trim_scale(a.layoff_threshold)));
  rate text := trunc(a.layoff_rate, places)::text;
  -- the test E2 used, named as DOMAIN section 13 has a clerk read it
  test text := CASE
    WHEN a.small_unit_headcount IS NOT NULL
      THEN format('参保职工%s人以下企业裁员率不高于%s%%', a.small_unit_headcount, trim_scale(a.layoff_threshold))
    ELSE format('%s %s%%（%s）',
      CASE a.threshold_source
        WHEN 'national' THEN '全国城镇调查失业率控制目标'
        WHEN 'parent' THEN '上级统筹地区城镇登记失业率'
        WHEN 'fixed' THEN '规定的裁员率控制标准'
        ELSE '统筹地区城镇登记失业率' END,
      trim_scale(a.layoff_threshold),
      CASE a.comparator WHEN 'not_above' THEN '不高于' ELSE '低于' END) END;
BEGIN
  SELECT string_agg(f.label_zh, '、' ORDER BY array_position(a.missing_facts, f.name))
    INTO missing
    FROM subsidy.fact f WHERE f.name = ANY (a.missing_facts);

  IF 'policy_year' = ANY (a.missing_facts) THEN
    RETURN '结论：待定（E0）。尚缺：当年度政策参数，无法审核。';
  END IF;
  lines := ARRAY[CASE a.outcome
    WHEN 'eligible' THEN format('结论：符合条件，按 %s（%s）核定稳岗补贴 %s 元。', a.rule,
      CASE a.rule WHEN 'A1' THEN '标准' WHEN 'A2' THEN '去产能企业' WHEN 'A7' THEN '困难企业' ELSE '延期缴费协议' END,
      to_char(a.amount, yuan))
    WHEN 'ineligible' THEN concat(format('结论：不符合条件（%s）。', array_to_string(a.failed_rules, '、')),
      CASE WHEN missing IS NOT NULL THEN format('其余规则尚缺：%s。', missing) END)
    ELSE format('结论：待定（E0）。尚缺：%s。补齐后即可审核（%s）。', missing,
                (SELECT source FROM subsidy.rule WHERE id = 'E0'))
  END];

  FOR r IN SELECT * FROM subsidy.rule
            WHERE id IN ('E1','E2','E3','E4','E5','E6','E7','E8','E10','E11','E12','E13') ORDER BY ord LOOP
    IF r.id = ANY (a.failed_rules) THEN
      lines := lines || CASE r.id
        WHEN 'E1' THEN format('%s 不符合：%s（%s）', r.id,
          concat_ws('；',
            CASE WHEN 'E1.arrears_basis_year' = ANY (a.reasons) THEN '上年度存在欠费' END,
            CASE WHEN 'E1.paid_below_payable' = ANY (a.reasons) THEN '上年度实缴失业保险费低于应缴' END,
            CASE WHEN 'E1.arrears_other_years' = ANY (a.reasons) THEN '其他年度欠费，且不符合签订延期缴费协议的条件' END),
          r.source)
        WHEN 'E2' THEN format('%s 不符合：裁员率 %s%%，标准为%s（%s）', r.id, rate, test, r.source)
        WHEN 'E3' THEN format('%s 不符合：财务管理制度不健全（%s）', r.id, r.source)
        WHEN 'E4' THEN format('%s 不符合：不符合产业政策或环保政策（%s）', r.id, r.source)
        WHEN 'E5' THEN format('%s 不符合：属于僵尸企业，不予发放（%s）', r.id, r.source)
        WHEN 'E6' THEN format('%s 不符合：上年度稳岗补贴未按规定用途使用（%s）', r.id, r.source)
        WHEN 'E7' THEN format('%s 不符合：统筹地区基金结余可支付 %s 个月，不足 %s 个月（%s）', r.id,
          coalesce(to_char(a.fund_cover_months, 'FM999,990.00'), '—'), trim_scale(a.fund_cover_required), r.source)
        WHEN 'E8' THEN format('%s 不符合：未在申报期内申报（%s）', r.id, r.source)
        WHEN 'E10' THEN format('%s 不符合：实地抽查发现数据虚假（%s）', r.id, r.source)
        WHEN 'E11' THEN format('%s 不符合：足额缴纳失业保险费的月数不足规定月数（%s）', r.id, r.source)
        WHEN 'E12' THEN format('%s 不符合：当年度政策不适用于该类单位（%s）', r.id, r.source)
        WHEN 'E13' THEN format('%s 不符合：列入严重违法失信名单，不予发放（%s）', r.id, r.source)
      END;
    ELSIF r.id = ANY (a.open_rules) THEN
      lines := lines || format('%s 待定：%s，所需事实尚缺（%s）', r.id, r.title_zh, r.source);
    ELSIF r.id IN ('E11','E12','E13') AND NOT r.id = ANY (coalesce(a.regime_rules, '{}')) THEN
      NULL;  -- the year's set has no such rule
    ELSE
      lines := lines || CASE r.id
        WHEN 'E1' THEN format('%s 符合：上年度无欠费，实缴失业保险费不低于应缴%s（%s）', r.id,
          CASE WHEN a.rule = 'A3' THEN '；其他年度欠费已签订延期缴费协议，按A3' ELSE '' END, r.source)
        WHEN 'E2' THEN CASE WHEN a.layoff_rate IS NULL OR a.layoff_threshold IS NULL OR a.layoff_rate = 0
                            THEN format('%s 符合：上年度未裁员（%s）', r.id, r.source)
                            ELSE format('%s 符合：裁员率 %s%%，标准为%s（%s）', r.id, rate, test, r.source) END
        WHEN 'E3' THEN format('%s 符合：财务管理制度健全（%s）', r.id, r.source)
        WHEN 'E4' THEN format('%s 符合：符合产业政策和环保政策（%s）', r.id, r.source)
        WHEN 'E5' THEN format('%s 符合：非僵尸企业（%s）', r.id, r.source)
        WHEN 'E6' THEN format('%s 符合：上年度未享受稳岗补贴，或已按规定用途使用（%s）', r.id, r.source)
        WHEN 'E7' THEN format('%s 符合：统筹地区基金结余可支付 %s 个月，不少于 %s 个月（%s）', r.id,
          coalesce(to_char(a.fund_cover_months, 'FM999,990.00'), '—'), trim_scale(a.fund_cover_required), r.source)
        WHEN 'E8' THEN format('%s 符合：在申报期内申报，或当年度不设申报期（%s）', r.id, r.source)
        WHEN 'E10' THEN format('%s 符合：未抽查或抽查数据属实（%s）', r.id, r.source)
        WHEN 'E11' THEN format('%s 符合：足额缴纳失业保险费满规定月数（%s）', r.id, r.source)
        WHEN 'E12' THEN format('%s 符合：属于当年度政策适用的单位类型（%s）', r.id, r.source)
        WHEN 'E13' THEN format('%s 符合：未列入严重违法失信名单（%s）', r.id, r.source)
      END;
    END IF;
  END LOOP;

  IF a.outcome = 'eligible' THEN
    lines := lines || CASE a.basis
      WHEN 'benefit' THEN format('%s 金额：统筹地区月人均失业保险金 × 上年月平均参保人数 = %s 元，× %s 个月 = %s 元，按 A4 四舍五入（%s）',
        a.rule, to_char(a.basis_amount, yuan), trim_scale(a.rate), to_char(a.amount, yuan),
        (SELECT source FROM subsidy.rule WHERE id = a.rule))
      WHEN 'monthly_premiums' THEN format('%s 金额：月应缴社会保险费 %s 元 × 50%% × %s 个月 = %s 元，按 A4 四舍五入（%s）',
        a.rule, to_char(a.basis_amount, yuan), trim_scale(a.rate * 2), to_char(a.amount, yuan),
        (SELECT source FROM subsidy.rule WHERE id = a.rule))
      ELSE format('%s 金额：上年度%s失业保险费 %s 元 × %s%% = %s 元，按 A4 四舍五入（%s）',
        a.rule,
        CASE a.basis WHEN 'paid' THEN '实缴' ELSE '应缴' END,
        to_char(a.basis_amount, yuan), trim_scale(a.rate * 100), to_char(a.amount, yuan),
        (SELECT source FROM subsidy.rule WHERE id = a.rule)) END;
  ELSIF a.open_rules && ARRAY['A1','A2','A7'] THEN
    lines := lines || format('%s 待定：金额规则所需事实尚缺', array_to_string(
      ARRAY(SELECT unnest(a.open_rules) INTERSECT SELECT unnest(ARRAY['A1','A2','A7'])), '、'));
  END IF;
  RETURN array_to_string(lines, E'\n');
END
$$;
COMMENT ON FUNCTION subsidy.explain(subsidy.assessment) IS
  'an assessment in Chinese, rule by rule, each with its legal source; rendered on demand so that bulk runs pay only for what they read';

CREATE FUNCTION subsidy.explain(v subsidy.verdict) RETURNS text
LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  SELECT subsidy.explain(subsidy.assessment(v))
$$;
COMMENT ON FUNCTION subsidy.explain(subsidy.verdict) IS 'a verdict explained in Chinese, rule by rule';

-- An application's explanation: the decision recorded (W4), the engine's reasons on its facts,
-- and the failed sign-offs of its round (W3), so that the three say the same thing.
CREATE FUNCTION subsidy.explain(a subsidy.application) RETURNS text
LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  WITH v AS (SELECT subsidy.assess(a) AS x)
  SELECT concat_ws(E'\n',
    CASE a.decision
      WHEN 'approved' THEN format('决定（%s）：核定稳岗补贴 %s 元（%s）。', a.decided_on,
                                  to_char(a.decided_amount, 'FM999,999,999,990.00'), a.decided_rule)
      WHEN 'rejected' THEN format('决定（%s）：不予补贴（%s）。', a.decided_on, array_to_string(a.decided_reasons, '；'))
    END,
    CASE WHEN a.decision IS NOT NULL
          AND (a.decision = 'approved') IS DISTINCT FROM ((v.x).outcome = 'eligible'
                                                          AND (v.x).amount IS NOT DISTINCT FROM a.decided_amount)
         THEN '注意：按现行参数重新评估的结论与已作出的决定不同；决定不变，除非经异议重新审核（A6）。' END,
    -- the year's parameter set and its notice: the rules' own sources span every regime
    (SELECT format('适用政策：%s（%s）。', p.policy_name, p.legal_source)
       FROM subsidy.policy_in_force p WHERE p.year = a.year AND p.region = a.region),
    subsidy.explain(v.x),
    (SELECT string_agg(format('W3 %s审核未通过（%s）：%s',
                              CASE s.agency WHEN 'hrss' THEN '人社部门' WHEN 'agency' THEN '社保经办机构' ELSE '财政部门' END,
                              s.failed_rule, s.comment), E'\n' ORDER BY s.agency)
       FROM subsidy.sign_off s
      WHERE s.application_id = a.id AND s.review_round = a.review_round AND NOT s.passed
        AND s.figures_digest = subsidy.figures_digest(a)))
    FROM v
$$;
COMMENT ON FUNCTION subsidy.explain(subsidy.application) IS
  'an application explained in Chinese: the decision recorded, the engine''s rules on its facts, and its failed sign-offs (W3, W4)';

-- A5 信息比对: declared figures that differ from the confirmed ones; never used for amounts.
CREATE VIEW subsidy.figure_difference WITH (security_invoker = true) AS
SELECT a.id AS application_id, a.year, a.region, a.uscc::text AS uscc, d.figure,
       d.declared, d.confirmed, d.confirmed - d.declared AS difference
  FROM subsidy.application a
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
 WHERE d.declared <> d.confirmed;
COMMENT ON VIEW subsidy.figure_difference IS
  'A5 信息比对: each declared figure that differs from the one confirmed in review (booleans as 1/0); amounts always use the confirmed one';
COMMENT ON COLUMN subsidy.figure_difference.application_id IS 'the application (申请编号)';
COMMENT ON COLUMN subsidy.figure_difference.year IS 'subsidy year (补贴年度)';
COMMENT ON COLUMN subsidy.figure_difference.region IS 'pooling region code (统筹区代码)';
COMMENT ON COLUMN subsidy.figure_difference.uscc IS 'Unified Social Credit Code (统一社会信用代码)';
COMMENT ON COLUMN subsidy.figure_difference.figure IS 'the figure, named as its declared column (比对项目)';
COMMENT ON COLUMN subsidy.figure_difference.declared IS 'as declared (申报数)';
COMMENT ON COLUMN subsidy.figure_difference.confirmed IS 'as confirmed in review (确认数)';
COMMENT ON COLUMN subsidy.figure_difference.difference IS 'confirmed minus declared (差额)';

CREATE VIEW subsidy.application_assessment WITH (security_invoker = true) AS
SELECT v.application_id, v.assessed_at, v.policy_snapshot_id, x.*
  FROM subsidy.application_verdict v
  JOIN subsidy.application a ON a.id = v.application_id
 CROSS JOIN LATERAL subsidy.assessment(v.verdict) AS x;
COMMENT ON VIEW subsidy.application_assessment IS
  'the stored verdicts in standard types: one row per assessed application';

-- What assess_year stores: the parameters in force as they stand (policy snapshots) and the
-- engine's verdicts.  Both tables are written by these C functions only (records.c), with the
-- caller's rights, so that no clerk records parameters or verdicts of their own making.
CREATE FUNCTION subsidy.take_policy_snapshots(p_year integer, p_region text DEFAULT NULL) RETURNS integer
  AS 'MODULE_PATHNAME', 'take_policy_snapshots' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION subsidy.take_policy_snapshots(integer, text) IS
  'record the parameters in force for a year (and region) of the caller''s regions as policy snapshots, once each; returns how many are new';

CREATE FUNCTION subsidy.store_verdicts(p_year integer, p_region text, p_first_id bigint, p_last_id bigint)
RETURNS bigint
  AS 'MODULE_PATHNAME', 'store_verdicts' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION subsidy.store_verdicts(integer, text, bigint, bigint) IS
  'assess the applications under review of a year (and region) with ids in a range, and store each verdict with its parameters; used by assess_year';

CREATE FUNCTION subsidy.policy_snapshot_guard() RETURNS trigger AS 'MODULE_PATHNAME' LANGUAGE C;
COMMENT ON FUNCTION subsidy.policy_snapshot_guard() IS
  'trigger: policy snapshots come from take_policy_snapshots only, and never change';
CREATE TRIGGER policy_snapshot_guard BEFORE INSERT OR UPDATE OR DELETE ON subsidy.policy_snapshot
  FOR EACH ROW EXECUTE FUNCTION subsidy.policy_snapshot_guard();
CREATE TRIGGER policy_snapshot_no_truncate BEFORE TRUNCATE ON subsidy.policy_snapshot
  FOR EACH STATEMENT EXECUTE FUNCTION subsidy.policy_snapshot_guard();
CREATE TRIGGER policy_snapshot_number BEFORE INSERT ON subsidy.policy_snapshot
  FOR EACH ROW EXECUTE FUNCTION subsidy.assign_number();
CREATE TRIGGER policy_snapshot_closed_year BEFORE INSERT OR UPDATE OR DELETE ON subsidy.policy_snapshot
  FOR EACH ROW EXECUTE FUNCTION subsidy.refuse_closed_year('year');

CREATE FUNCTION subsidy.application_verdict_guard() RETURNS trigger AS 'MODULE_PATHNAME' LANGUAGE C;
COMMENT ON FUNCTION subsidy.application_verdict_guard() IS
  'trigger: stored verdicts come from store_verdicts (the engine) only';
CREATE TRIGGER application_verdict_guard BEFORE INSERT OR UPDATE OR DELETE ON subsidy.application_verdict
  FOR EACH ROW EXECUTE FUNCTION subsidy.application_verdict_guard();
CREATE TRIGGER application_verdict_no_truncate BEFORE TRUNCATE ON subsidy.application_verdict
  FOR EACH STATEMENT EXECUTE FUNCTION subsidy.application_verdict_guard();

-- Id ranges of about p_batch_size applications under review, for assess_year's batches.
CREATE FUNCTION subsidy.assess_year_batches(p_year integer, p_region text, p_batch_size integer)
RETURNS TABLE (batch integer, first_id bigint, last_id bigint, applications bigint, total bigint)
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
  -- the total over the batches, not over every row: count(*) OVER () kept all the rows in a
  -- tuplestore to count them, half of this query's time (issue 17)
  SELECT (n / p_batch_size)::integer + 1, min(id), max(id), count(*), (sum(count(*)) OVER ())::bigint
    FROM (SELECT a.id, row_number() OVER (ORDER BY a.id) - 1 AS n
            FROM subsidy.application a
           WHERE a.year = p_year AND (p_region IS NULL OR a.region = p_region)
             AND a.stage IN ('submitted', 'in_review')) s
   GROUP BY n / p_batch_size
   ORDER BY 1
$$;
COMMENT ON FUNCTION subsidy.assess_year_batches(integer, text, integer) IS
  'id ranges of about the given size over a year''s applications under review, for assess_year';

-- Checks before a year is assessed: parameters exist and the batch size is sane.
CREATE FUNCTION subsidy.assess_year_start(p_year integer, p_region text, p_batch_size integer) RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  snapshots integer;
BEGIN
  IF p_batch_size IS NULL OR p_batch_size < 1 THEN
    PERFORM subsidy.raise('batch_size', coalesce(p_batch_size::text, 'NULL'));
  END IF;
  IF p_region IS NOT NULL AND NOT EXISTS (SELECT FROM subsidy.region WHERE code = p_region AND is_pool) THEN
    PERFORM subsidy.raise('no_pool', p_region);
  END IF;
  PERFORM subsidy.require_region(p_region);   -- (STRICT: every region when none is named)
  IF NOT EXISTS (SELECT FROM subsidy.policy_in_force WHERE year = p_year) THEN
    PERFORM subsidy.raise('no_parameter_set', p_year::text);
  END IF;
  IF EXISTS (SELECT FROM subsidy.closed_year WHERE year = p_year) THEN
    PERFORM subsidy.raise('year_closed_verdicts', p_year::text);
  END IF;
  snapshots := subsidy.take_policy_snapshots(p_year, p_region);
  PERFORM subsidy.raise('assess_snapshots', p_year::text, snapshots::text);
END
$$;
COMMENT ON FUNCTION subsidy.assess_year_start(integer, text, integer) IS
  'checks and policy snapshots before assess_year runs its batches';

-- The DBA's bulk assessment: every application under review of a year, in committed batches.
-- Calls are schema-qualified and the body has no operators of its own: a procedure that
-- commits cannot carry SET search_path.
CREATE PROCEDURE subsidy.assess_year(p_year integer, p_region text DEFAULT NULL, p_batch_size integer DEFAULT 50000)
LANGUAGE plpgsql AS $$
DECLARE
  b record;
  done bigint := 0;
BEGIN
  PERFORM subsidy.assess_year_start(p_year, p_region, p_batch_size);
  COMMIT;
  FOR b IN SELECT * FROM subsidy.assess_year_batches(p_year, p_region, p_batch_size) LOOP
    done := pg_catalog.int8pl(done, subsidy.store_verdicts(p_year, p_region, b.first_id, b.last_id));
    PERFORM subsidy.raise('assess_batch_stored', p_year::text, b.batch::text, done::text, b.total::text);
    COMMIT;
  END LOOP;
  PERFORM subsidy.raise('assess_done', p_year::text, done::text);
END
$$;
COMMENT ON PROCEDURE subsidy.assess_year(integer, text, integer) IS
  'assess every application under review of a subsidy year (and region) and store the results with the parameters used; commits after each batch, reports progress, safe to run again';

-- What-if: per region, what changes if parameters change. Writes nothing.
CREATE FUNCTION subsidy.simulate(p_year integer, p_overrides jsonb)
RETURNS TABLE (region text, region_name text, applications bigint,
               eligible_now bigint, eligible_then bigint, newly_eligible bigint, no_longer_eligible bigint,
               amount_changed bigint, amount_now numeric, amount_then numeric, amount_difference numeric)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  settable constant text[] := ARRAY['standard_rate_large', 'standard_rate_small_micro', 'decapacity_rate',
    'arrears_path_rate', 'layoff_formula', 'layoff_threshold', 'priority_threshold_factor',
    'fund_cover_months', 'fund_balance', 'monthly_fund_expenditure', 'rounding_unit',
    'window_opens', 'window_closes', 'layoff_threshold_sme', 'small_unit_headcount', 'small_unit_rate',
    'min_full_months', 'early_rate_large', 'hardship_months', 'average_monthly_benefit'];
  unknown text;
  bad text;
  expect text;
BEGIN
  IF jsonb_typeof(p_overrides) IS DISTINCT FROM 'object' THEN
    PERFORM subsidy.raise('simulate_not_object');
  END IF;
  SELECT string_agg(k, ', ') INTO unknown
    FROM (SELECT jsonb_object_keys(p_overrides - 'regions') AS k
          UNION ALL
          SELECT jsonb_object_keys(v) FROM jsonb_each(coalesce(p_overrides -> 'regions', '{}')) AS r(c, v)) s
   WHERE k <> ALL (settable);
  IF unknown IS NOT NULL THEN
    PERFORM subsidy.raise('simulate_unknown', unknown, array_to_string(settable, ', '));
  END IF;
  -- S5: a value is taken exactly as given or refused: never rounded to its column, never
  -- mapped into range
  SELECT format('%s = %s', o.k, o.v), c.expect INTO bad, expect
    FROM (SELECT k, v FROM jsonb_each(p_overrides - 'regions') AS t(k, v)
          UNION ALL
          SELECT t.k, t.v FROM jsonb_each(coalesce(p_overrides -> 'regions', '{}')) AS r(c, x),
                               jsonb_each(CASE jsonb_typeof(r.x) WHEN 'object' THEN r.x ELSE '{}' END) AS t(k, v)) o
    JOIN (VALUES
      ('standard_rate_large', 3, 0, 1, false, 'simulate_bad_share'),
      ('standard_rate_small_micro', 3, 0, 1, false, 'simulate_bad_share'),
      ('decapacity_rate', 3, 0, 1, true, 'simulate_bad_share_or_none'),
      ('arrears_path_rate', 3, 0, 1, true, 'simulate_bad_share_or_none'),
      ('layoff_threshold', 4, 0, 100, false, 'simulate_bad_percent'),
      ('priority_threshold_factor', 2, 1, 100, false, 'simulate_bad_factor'),
      ('fund_cover_months', 1, 0, 999.9, false, 'simulate_bad_months'),
      ('fund_balance', 2, 0, 999999999999999.99, false, 'simulate_bad_yuan'),
      ('monthly_fund_expenditure', 2, 0, 999999999999999.99, false, 'simulate_bad_yuan'),
      ('layoff_threshold_sme', 4, 0, 100, false, 'simulate_bad_percent'),
      ('small_unit_rate', 4, 0, 100, false, 'simulate_bad_percent'),
      ('small_unit_headcount', 0, 0, 1000000, false, 'simulate_bad_headcount'),
      ('min_full_months', 0, 0, 12, true, 'simulate_bad_full_months'),
      ('early_rate_large', 3, 0, 1, true, 'simulate_bad_share_or_none'),
      ('hardship_months', 1, 0.1, 24, true, 'simulate_bad_hardship_months'),
      ('average_monthly_benefit', 2, 0, 9999999999.99, true, 'simulate_bad_yuan_or_none')
    ) AS c(k, places, low, high, nullable, expect) ON c.k = o.k
   WHERE CASE jsonb_typeof(o.v)
           WHEN 'number' THEN scale((o.v #>> '{}')::numeric) > c.places
                              OR (o.v #>> '{}')::numeric NOT BETWEEN c.low AND c.high
           WHEN 'null' THEN NOT c.nullable
           ELSE true END
   LIMIT 1;
  IF bad IS NULL THEN
    SELECT format('%s = %s', o.k, o.v), 'simulate_bad_unit' INTO bad, expect
      FROM (SELECT k, v FROM jsonb_each(p_overrides - 'regions') AS t(k, v)
            UNION ALL
            SELECT t.k, t.v FROM jsonb_each(coalesce(p_overrides -> 'regions', '{}')) AS r(c, x),
                                 jsonb_each(CASE jsonb_typeof(r.x) WHEN 'object' THEN r.x ELSE '{}' END) AS t(k, v)) o
     WHERE o.k = 'rounding_unit'
       AND (jsonb_typeof(o.v) <> 'number' OR (o.v #>> '{}')::numeric NOT IN (0.01, 0.1, 1))
     LIMIT 1;
  END IF;
  IF bad IS NOT NULL THEN
    PERFORM subsidy.raise(expect, bad);
  END IF;

  RETURN QUERY
  -- materialized: inlined, a nested loop under a stale row estimate (a table just loaded, not
  -- analysed yet) would evaluate the parameters for each application
  WITH alternative AS MATERIALIZED (
    SELECT p.region AS code,
           jsonb_populate_record(jsonb_populate_record(p, p_overrides - 'regions'),
                                 coalesce(p_overrides -> 'regions' -> p.region, '{}')) AS p
      FROM subsidy.policy_in_force p
     WHERE p.year = p_year
  ), assessed AS MATERIALIZED (
    SELECT a.region AS code, subsidy.assessment(subsidy.verdict_of(a)) AS now,
           subsidy.assessment(subsidy.verdict_of(a, x.p)) AS then
      FROM subsidy.application a JOIN alternative x ON x.code = a.region
     WHERE a.year = p_year AND a.stage NOT IN ('draft', 'withdrawn')
  )
  SELECT s.code, r.name, count(*),
         count(*) FILTER (WHERE (s.now).outcome = 'eligible'),
         count(*) FILTER (WHERE (s.then).outcome = 'eligible'),
         count(*) FILTER (WHERE (s.now).outcome <> 'eligible' AND (s.then).outcome = 'eligible'),
         count(*) FILTER (WHERE (s.now).outcome = 'eligible' AND (s.then).outcome <> 'eligible'),
         count(*) FILTER (WHERE (s.now).amount IS DISTINCT FROM (s.then).amount),
         coalesce(sum((s.now).amount), 0), coalesce(sum((s.then).amount), 0),
         coalesce(sum((s.then).amount), 0) - coalesce(sum((s.now).amount), 0)
    FROM assessed s JOIN subsidy.region r ON r.code = s.code
   GROUP BY s.code, r.name
   ORDER BY s.code;
END
$$;
COMMENT ON FUNCTION subsidy.simulate(integer, jsonb) IS
  'what-if: per region, how many applications and how much money change if parameters change ({"name": value, "regions": {"code": {...}}}); writes nothing';
