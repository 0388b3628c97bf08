-- A deterministic synthetic province shaped like Jilin, for the demo, the benchmarks and
-- the scale runs.  Every value is a hash of the row number, so a run with the same size
-- gives the same data on any machine, in any order, in parallel or not.
--
--   psql -v applications=20000 -v year=2019 -f test/sample/province.sql
--
-- It fills the regions' basis-year facts and windows for the year, one enterprise per
-- application, the enterprises' list facts, and the applications with declared and
-- confirmed figures, a few per cent of them decapacity, key-supported, zombie, in
-- arrears, or missing a fact.  Applications go through the workflow as far as -v stage says:
-- submitted (inside the window), in_review (taken into review, figures confirmed: the
-- default), decided (three sign-offs, the joint decision), published (publicity started),
-- cleared (publicity over), paid (the agency's payments), reported (reported upward).
\set ON_ERROR_STOP 1
\if :{?applications}
\else
  \set applications 20000
\endif
\if :{?year}
\else
  \set year 2019
\endif
\if :{?stage}
\else
  \set stage in_review
\endif

-- u(n, k): a uniform number in [0, 1) for row n and stream k (a 32-bit integer hash).
CREATE FUNCTION pg_temp.mix(x bigint) RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT ((x # (x >> 16)) * 73244475) & 4294967295 $$;
CREATE FUNCTION pg_temp.u(n bigint, k integer) RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT pg_temp.mix(pg_temp.mix((n * 2654435761 + k * 40503) & 4294967295)) / 4294967296.0 $$;
-- GB 11714 check character of an 8-character organisation code body.
CREATE FUNCTION pg_temp.org_check(body text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE c WHEN 10 THEN 'X' WHEN 11 THEN '0' ELSE c::text END
    FROM (SELECT 11 - sum(CASE WHEN ch BETWEEN '0' AND '9' THEN ascii(ch) - 48 ELSE ascii(ch) - 55 END
                         * (ARRAY[3, 7, 9, 10, 5, 8, 4, 2])[i]) % 11 AS c
            FROM unnest(string_to_array(body, NULL)) WITH ORDINALITY AS t(ch, i)) s
$$;

-- The pools, their share of enterprises, and their basis-year facts; 白城 is short of
-- fund cover (E7) this year.
CREATE TEMP TABLE pool (code text, share numeric, short_name text, rate numeric, months numeric, expenditure numeric);
INSERT INTO pool VALUES
  ('220100', 0.30, '长春', 3.32, 26.4, 6200000.00),
  ('220200', 0.17, '吉林', 3.46, 19.8, 3100000.00),
  ('220300', 0.08, '四平', 3.61, 15.2, 1250000.00),
  ('220400', 0.05, '辽源', 3.85, 13.1, 780000.00),
  ('220500', 0.07, '通化', 3.52, 17.6, 1020000.00),
  ('220600', 0.04, '白山', 3.70, 14.3, 640000.00),
  ('220700', 0.08, '松原', 3.43, 22.0, 1180000.00),
  ('220800', 0.05, '白城', 3.90, 11.8, 700000.00),
  ('222400', 0.10, '延边', 3.28, 18.5, 1500000.00),
  ('22X001', 0.05, '吉林省', 3.46, 30.2, 2100000.00),
  ('22X002', 0.01, '长白山', 3.10, 24.0, 90000.00);
CREATE TEMP TABLE pool_range AS
SELECT code, short_name, sum(share) OVER (ORDER BY code) - share AS lo, sum(share) OVER (ORDER BY code) AS hi FROM pool;

INSERT INTO subsidy.region_basis_year (region, basis_year, registered_unemployment_rate, fund_balance, monthly_fund_expenditure)
SELECT code, :year - 1, rate, round(months * expenditure, 2), expenditure FROM pool
ON CONFLICT (region, basis_year) DO UPDATE
  SET registered_unemployment_rate = excluded.registered_unemployment_rate,
      fund_balance = excluded.fund_balance, monthly_fund_expenditure = excluded.monthly_fund_expenditure;
INSERT INTO subsidy.application_window (region, year, opens_on, closes_on)
SELECT code, :year, make_date(:year, 3, 1), make_date(:year, 5, 31) FROM pool
ON CONFLICT (region, year) DO NOTHING;

-- Enterprises: a valid USCC (division code of the pool, or of the province for pools that
-- have none; an organisation code old-style or MA-style with its own valid check), a name.
CREATE TEMP TABLE gen AS
SELECT n, region, short_name, body || subsidy.uscc_check_character(body) AS uscc
  FROM (SELECT n, p.code AS region, p.short_name,
               '91' || CASE WHEN p.code LIKE '22X%' THEN '220000' ELSE p.code END
                    || org_body || pg_temp.org_check(org_body) AS body
          FROM generate_series(1, :applications) AS n
          JOIN pool_range p ON pg_temp.u(n, 1) >= p.lo AND pg_temp.u(n, 1) < p.hi,
               LATERAL (SELECT CASE WHEN pg_temp.u(n, 2) < 0.6
                                    THEN lpad((10000000 + (pg_temp.u(n, 3) * 89999999)::bigint)::text, 8, '0')
                                    ELSE 'MA' || substr('0123456789ABCDEFGHJKLMNPQRTUWXY', 1 + (pg_temp.u(n, 10) * 31)::integer % 31, 1)
                                              || substr('0123456789ABCDEFGHJKLMNPQRTUWXY', 1 + (pg_temp.u(n, 11) * 31)::integer % 31, 1)
                                              || substr('0123456789ABCDEFGHJKLMNPQRTUWXY', 1 + (pg_temp.u(n, 12) * 31)::integer % 31, 1)
                                              || substr('0123456789ABCDEFGHJKLMNPQRTUWXY', 1 + (pg_temp.u(n, 13) * 31)::integer % 31, 1)
                                              || substr('0123456789ABCDEFGHJKLMNPQRTUWXY', 1 + (pg_temp.u(n, 14) * 31)::integer % 31, 1)
                                              || substr('0123456789ABCDEFGHJKLMNPQRTUWXY', 1 + (pg_temp.u(n, 15) * 31)::integer % 31, 1)
                               END AS org_body) o) s;
-- Two rows may draw the same code: keep the first of each.
DELETE FROM gen g USING gen h WHERE g.uscc = h.uscc AND g.n > h.n;

INSERT INTO subsidy.enterprise (uscc, name, region, bank_name, bank_account, contact_person, contact_phone)
SELECT g.uscc::subsidy.uscc,
       g.short_name
         || (ARRAY['宏','远','鑫','盛','华','泰','恒','达','吉','兴','通','安','瑞','丰','和','顺','长','新','东','北',
                   '金','益','嘉','信','诚','德','永','利','民','昌','隆','佳','鸿','中','天','宇','博','润','锦','汇'])[1 + (pg_temp.u(g.n, 4) * 40)::integer % 40]
         || (ARRAY['源','达','业','发','晟','辉','祥','峰','森','海','林','阳','光','明','邦','创','能','立','华','通'])[1 + (pg_temp.u(g.n, 5) * 20)::integer % 20]
         || (ARRAY['机械制造','化工','食品','纺织','建材','物流','信息技术','医药','汽车零部件','商贸','农业科技','矿业','电力设备','木业','印务'])[1 + (pg_temp.u(g.n, 6) * 15)::integer % 15]
         || CASE WHEN pg_temp.u(g.n, 7) < 0.15 THEN '股份有限公司' ELSE '有限公司' END,
       g.region,
       (ARRAY['中国工商银行','中国建设银行','中国农业银行','中国银行','吉林银行'])[1 + (pg_temp.u(g.n, 8) * 5)::integer % 5]
         || g.short_name || '分行',
       '62' || lpad(((pg_temp.u(g.n, 9) * 1e15)::bigint)::text, 17, '0'),
       (ARRAY['王','李','张','刘','陈','杨','赵','黄','周','吴'])[1 + (pg_temp.u(g.n, 16) * 10)::integer % 10]
         || (ARRAY['伟','芳','娜','敏','静','丽','强','磊','军','洋'])[1 + (pg_temp.u(g.n, 17) * 10)::integer % 10],
       '13' || lpad(((pg_temp.u(g.n, 18) * 1e9)::bigint)::text, 9, '0')
  FROM gen g;

-- The year's lists: a few per cent decapacity, key-supported, zombie, monitored; most small.
INSERT INTO subsidy.enterprise_year (uscc, year, decapacity, key_supported, zombie, monitored, firm_size)
SELECT g.uscc::subsidy.uscc, :year,
       pg_temp.u(g.n, 20) < 0.03, pg_temp.u(g.n, 21) < 0.02,
       CASE WHEN pg_temp.u(g.n, 23) < 0.005 THEN NULL ELSE pg_temp.u(g.n, 22) < 0.01 END,
       pg_temp.u(g.n, 24) < 0.05,
       CASE WHEN pg_temp.u(g.n, 26) < 0.01 THEN NULL
            WHEN pg_temp.u(g.n, 25) < 0.12 THEN 'large' ELSE 'small_micro' END::subsidy.firm_size
  FROM gen g;

-- Applications, through the workflow as a region runs it: drafts with the declared
-- figures of annex 2, submitted on the days of the window, reviewed once it closes.
CREATE TEMP TABLE fig AS
SELECT g.n, g.uscc::subsidy.uscc AS uscc, g.region,
       CASE WHEN pg_temp.u(g.n, 25) < 0.12 THEN 300 + (pg_temp.u(g.n, 30) * 4700)::integer
            ELSE 5 + (pg_temp.u(g.n, 30) * 95)::integer END AS start_count,
       pg_temp.u(g.n, 31) AS change_draw,
       pg_temp.u(g.n, 32) AS layoff_draw,
       (1050 + pg_temp.u(g.n, 33) * 300)::numeric AS premium_per_person
  FROM gen g;

CREATE TEMP TABLE declared AS
SELECT x.n, x.uscc, x.region, s AS insured_start, e_end AS insured_end,
       round((s + e_end) / 2.0, 2) AS insured_average, lay AS layoffs, rd AS retirements_deaths,
       payable AS premiums_payable, paid AS premiums_paid, payable - paid AS arrears_basis_year,
       other AS arrears_other_years, agreement AS deferral_agreement, prior AS prior_subsidy,
       CASE WHEN prior > 0 THEN pg_temp.u(x.n, 45) >= 0.03 END AS prior_subsidy_use_proper
  FROM fig x,
       LATERAL (SELECT x.start_count AS s,
                       greatest(0, x.start_count + (x.start_count * (x.change_draw - 0.55) * 0.12)::integer) AS e_end,
                       CASE WHEN x.layoff_draw < 0.62 THEN 0
                            WHEN x.layoff_draw < 0.97 THEN (x.start_count * (x.layoff_draw - 0.62) * 0.09)::integer
                            ELSE (x.start_count * (0.04 + (x.layoff_draw - 0.97) * 2))::integer END AS lay,
                       (x.start_count * pg_temp.u(x.n, 34) * 0.03)::integer AS rd,
                       round(x.start_count * x.premium_per_person, 2) AS payable) f1,
       LATERAL (SELECT CASE WHEN pg_temp.u(x.n, 35) < 0.02 THEN round(payable * (0.8 + pg_temp.u(x.n, 36)::numeric * 0.19), 2)
                            ELSE payable END AS paid,
                       CASE WHEN pg_temp.u(x.n, 37) < 0.04 THEN round(payable * pg_temp.u(x.n, 38)::numeric * 0.5, 2)
                            ELSE 0 END AS other,
                       pg_temp.u(x.n, 39) < 0.025 AS agreement,
                       CASE WHEN pg_temp.u(x.n, 50) < 0.4 THEN round(payable * 0.45, 2) ELSE 0 END AS prior) f2;

INSERT INTO subsidy.application
  (year, region, uscc, insured_start, insured_end, insured_average, layoffs, retirements_deaths,
   premiums_payable, premiums_paid, arrears_basis_year, arrears_other_years, deferral_agreement,
   prior_subsidy, prior_subsidy_use_proper, documents)
SELECT :year, d.region, d.uscc, d.insured_start, d.insured_end, d.insured_average, d.layoffs,
       d.retirements_deaths, d.premiums_payable, d.premiums_paid, d.arrears_basis_year,
       d.arrears_other_years, d.deferral_agreement, d.prior_subsidy, d.prior_subsidy_use_proper,
       '{annex1_materials,annex2_form}'
  FROM declared d;
CREATE TEMP TABLE app AS
SELECT a.id, d.n, make_date(:year, 3, 1) + floor(pg_temp.u(d.n, 41) * 92)::integer AS submitted_on
  FROM subsidy.application a JOIN declared d ON d.uscc OPERATOR(subsidy.=) a.uscc
 WHERE a.year = :year;
CREATE INDEX ON app (id);
CREATE INDEX ON app (submitted_on);
ANALYZE app;

-- Submitted on the days of the window (1 March to 31 May), as the enterprises came.
SELECT pg_catalog.set_config('province.year', :'year', false) AS ignored \gset
DO $$
DECLARE
  y integer := current_setting('province.year')::integer;
  day date;
BEGIN
  FOR day IN SELECT generate_series(make_date(y, 3, 1), make_date(y, 5, 31), interval '1 day')::date LOOP
    PERFORM set_config('subsidy.today', day::text, true);
    UPDATE subsidy.application a SET stage = 'submitted'
      FROM app WHERE app.id = a.id AND a.stage = 'draft' AND app.submitted_on = day;
  END LOOP;
END
$$;

SELECT array_position(ARRAY['submitted', 'in_review', 'decided', 'published', 'cleared', 'paid', 'reported'],
                      :'stage') AS level \gset
\if :{?level}
\else
  \echo 'stage must be one of submitted, in_review, decided, published, cleared, paid, reported'
  \quit
\endif
SELECT :level >= 2 AS reviewing, :level >= 3 AS deciding, :level >= 4 AS publishing, :level >= 5 AS clearing,
       :level >= 6 AS paying, :level >= 7 AS reporting \gset
\if :reviewing
-- The joint review, once the window has closed: the agency confirms premiums and insured
-- persons (3 % differ from what was declared, 1 % not yet confirmed), hrss the layoffs and
-- policy compliance, finance the financial management and last year's subsidy.
SELECT pg_catalog.set_config('subsidy.today', make_date(:year, 6, 3)::text, false) AS ignored \gset
UPDATE subsidy.application SET stage = 'in_review' WHERE year = :year AND stage = 'submitted';
UPDATE subsidy.application a
   SET confirmed_insured_start = CASE WHEN pg_temp.u(app.n, 42) < 0.01 THEN NULL
                                      WHEN pg_temp.u(app.n, 49) < 0.03 THEN a.insured_start - 1 - a.insured_start / 10
                                      ELSE a.insured_start END,
       confirmed_insured_end = a.insured_end,
       confirmed_insured_average = a.insured_average,
       confirmed_retirements_deaths = a.retirements_deaths,
       confirmed_premiums_payable = CASE WHEN pg_temp.u(app.n, 49) < 0.03 THEN round(a.premiums_payable / 1.08, 2)
                                         ELSE a.premiums_payable END,
       confirmed_premiums_paid = CASE WHEN pg_temp.u(app.n, 44) < 0.01 THEN NULL
                                      WHEN pg_temp.u(app.n, 49) < 0.03 THEN round(a.premiums_paid / 1.08, 2)
                                      ELSE a.premiums_paid END,
       confirmed_arrears_basis_year = a.arrears_basis_year,
       confirmed_arrears_other_years = a.arrears_other_years,
       confirmed_deferral_agreement = a.deferral_agreement,
       confirmed_prior_subsidy = a.prior_subsidy,
       confirmed_layoffs = CASE WHEN pg_temp.u(app.n, 43) < 0.01 THEN NULL ELSE a.layoffs END,
       policy_compliant = pg_temp.u(app.n, 48) >= 0.01,
       financial_management_sound = CASE WHEN pg_temp.u(app.n, 46) < 0.02 THEN NULL ELSE pg_temp.u(app.n, 47) >= 0.02 END,
       confirmed_prior_subsidy_use_proper = a.prior_subsidy_use_proper
  FROM app WHERE app.id = a.id AND a.stage = 'in_review';
RESET subsidy.today;
\endif

\if :deciding
-- Each party signs its part (finance fails the ones it found unsound, hrss a few on policy),
-- and hrss records the joint decision of every application with all its facts.
SELECT pg_catalog.set_config('subsidy.today', make_date(:year, 6, 17)::text, false) AS ignored \gset
INSERT INTO subsidy.sign_off (application_id, review_round, agency, passed, comment)
SELECT a.id, a.review_round, g.agency,
       CASE g.agency WHEN 'finance' THEN a.financial_management_sound IS NOT FALSE
                     WHEN 'hrss' THEN pg_temp.u(app.n, 51) >= 0.005 ELSE true END,
       CASE WHEN g.agency = 'finance' AND a.financial_management_sound IS FALSE THEN '财务管理制度不健全'
            WHEN g.agency = 'hrss' AND pg_temp.u(app.n, 51) < 0.005 THEN '产业政策复核未通过' END
  FROM subsidy.application a JOIN app ON app.id = a.id
 CROSS JOIN unnest(enum_range(NULL::subsidy.agency)) AS g(agency)
 WHERE a.stage = 'in_review';
SELECT sum(d.decided) AS decided, sum(d.approved) AS approved, sum(d.rejected) AS rejected, sum(d.waiting) AS waiting
  FROM subsidy.region r CROSS JOIN LATERAL subsidy.decide(r.code, :year) d WHERE r.is_pool;
RESET subsidy.today;
\endif

\if :publishing
-- hrss publishes each region's approved list on 1 July.
SELECT pg_catalog.set_config('subsidy.today', make_date(:year, 7, 1)::text, false) AS ignored \gset
SELECT count(*) AS publicity_periods, min(p.ends_on) AS first_end, max(p.ends_on) AS last_end
  FROM (SELECT DISTINCT region FROM subsidy.application
         WHERE year = :year AND stage = 'decided' AND decision = 'approved') r
 CROSS JOIN LATERAL subsidy.start_publicity(r.region, :year, make_date(:year, 7, 1)) p;
RESET subsidy.today;
\endif

\if :clearing
-- Publicity ends without objection; hrss clears each region's list the next day.
SELECT pg_catalog.set_config('subsidy.today', (max(ends_on) + 1)::text, false) AS ignored
  FROM subsidy.publicity WHERE year = :year \gset
SELECT sum(subsidy.close_publicity(r.code, :year)) AS cleared FROM subsidy.region r WHERE r.is_pool;
RESET subsidy.today;
\endif

\if :paying
-- The agency pays every cleared application within a fortnight, each with its bank reference.
SELECT pg_catalog.set_config('subsidy.today', (max(ends_on) + 15)::text, false) AS ignored
  FROM subsidy.publicity WHERE year = :year \gset
UPDATE subsidy.application a
   SET stage = 'paid', paid_on = subsidy.today() - (pg_temp.u(app.n, 52) * 13)::integer,
       payment_reference = pg_catalog.format('PAY-%s-%s', a.year, a.id)
  FROM app WHERE app.id = a.id AND a.stage = 'cleared';
RESET subsidy.today;
\endif

\if :reporting
-- ... and reports each region's payments upward in one batch.
SELECT pg_catalog.set_config('subsidy.today', (max(ends_on) + 20)::text, false) AS ignored
  FROM subsidy.publicity WHERE year = :year \gset
SELECT count(*) AS report_batches
  FROM (SELECT DISTINCT region FROM subsidy.application WHERE year = :year AND stage = 'paid') r
 CROSS JOIN LATERAL subsidy.report_upward(r.region, :year, pg_catalog.format('NATIONAL-%s-%s', :year, r.region)) b;
RESET subsidy.today;
\endif

ANALYZE subsidy.enterprise;
ANALYZE subsidy.enterprise_year;
ANALYZE subsidy.application;
SELECT count(*) AS applications, count(DISTINCT region) AS regions,
       round(100.0 * count(*) FILTER (WHERE decapacity) / count(*), 1) AS decapacity_pct,
       round(100.0 * count(*) FILTER (WHERE key_supported) / count(*), 1) AS key_supported_pct,
       round(100.0 * count(*) FILTER (WHERE zombie) / count(*), 1) AS zombie_pct,
       round(100.0 * count(*) FILTER (WHERE confirmed_arrears_basis_year > 0 OR confirmed_arrears_other_years > 0) / count(*), 1) AS arrears_pct
  FROM subsidy.application WHERE year = :year;
SELECT stage, count(*) FROM subsidy.application WHERE year = :year GROUP BY 1 ORDER BY 1;
