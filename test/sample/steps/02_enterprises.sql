-- Step of test/sample/province.sql (which documents the province); run by it in order, or
-- on its own (each step in its own session) by test/bench/cycle.sh.
\set ON_ERROR_STOP 1
SELECT year, applications FROM province.settings \gset

-- Enterprises: a valid USCC (division code of the pool, or of the province for pools that
-- have none; an organisation code old-style or MA-style with its own valid check), a name,
-- and the industry section (GB/T 4754-2017) of the business its name says (1 % not known).
CREATE TABLE province.gen AS
SELECT n, region, short_name, body || subsidy.uscc_check_character(body) AS uscc
  FROM (SELECT n, p.code AS region, p.short_name,
               '91' || CASE WHEN p.code LIKE '22X%' THEN '220000' ELSE p.code END
                    || org_body || province.org_check(org_body) AS body
          FROM generate_series(1, :applications) AS n
          JOIN province.pool_range p ON province.u(n, 1) >= p.lo AND province.u(n, 1) < p.hi,
               LATERAL (SELECT CASE WHEN province.u(n, 2) < 0.6
                                    THEN lpad((10000000 + (province.u(n, 3) * 89999999)::bigint)::text, 8, '0')
                                    ELSE 'MA' || substr('0123456789ABCDEFGHJKLMNPQRTUWXY', 1 + (province.u(n, 10) * 31)::integer % 31, 1)
                                              || substr('0123456789ABCDEFGHJKLMNPQRTUWXY', 1 + (province.u(n, 11) * 31)::integer % 31, 1)
                                              || substr('0123456789ABCDEFGHJKLMNPQRTUWXY', 1 + (province.u(n, 12) * 31)::integer % 31, 1)
                                              || substr('0123456789ABCDEFGHJKLMNPQRTUWXY', 1 + (province.u(n, 13) * 31)::integer % 31, 1)
                                              || substr('0123456789ABCDEFGHJKLMNPQRTUWXY', 1 + (province.u(n, 14) * 31)::integer % 31, 1)
                                              || substr('0123456789ABCDEFGHJKLMNPQRTUWXY', 1 + (province.u(n, 15) * 31)::integer % 31, 1)
                               END AS org_body) o) s;
-- Two rows may draw the same code: keep the first of each.
DELETE FROM province.gen g USING province.gen h WHERE g.uscc = h.uscc AND g.n > h.n;

INSERT INTO subsidy.enterprise (uscc, name, region, bank_name, bank_account, contact_person, contact_phone, industry)
SELECT g.uscc::subsidy.uscc,
       g.short_name
         || (ARRAY['宏','远','鑫','盛','华','泰','恒','达','吉','兴','通','安','瑞','丰','和','顺','长','新','东','北',
                   '金','益','嘉','信','诚','德','永','利','民','昌','隆','佳','鸿','中','天','宇','博','润','锦','汇'])[1 + (province.u(g.n, 4) * 40)::integer % 40]
         || (ARRAY['源','达','业','发','晟','辉','祥','峰','森','海','林','阳','光','明','邦','创','能','立','华','通'])[1 + (province.u(g.n, 5) * 20)::integer % 20]
         || (ARRAY['机械制造','化工','食品','纺织','建材','物流','信息技术','医药','汽车零部件','商贸','农业科技','矿业','电力设备','木业','印务'])[1 + (province.u(g.n, 6) * 15)::integer % 15]
         || CASE WHEN province.u(g.n, 7) < 0.15 THEN '股份有限公司' ELSE '有限公司' END,
       g.region,
       (ARRAY['中国工商银行','中国建设银行','中国农业银行','中国银行','吉林银行'])[1 + (province.u(g.n, 8) * 5)::integer % 5]
         || g.short_name || '分行',
       '62' || lpad(((province.u(g.n, 9) * 1e15)::bigint)::text, 17, '0'),
       (ARRAY['王','李','张','刘','陈','杨','赵','黄','周','吴'])[1 + (province.u(g.n, 16) * 10)::integer % 10]
         || (ARRAY['伟','芳','娜','敏','静','丽','强','磊','军','洋'])[1 + (province.u(g.n, 17) * 10)::integer % 10],
       '13' || lpad(((province.u(g.n, 18) * 1e9)::bigint)::text, 9, '0'),
       -- 机械制造 化工 食品 纺织 建材 C, 物流 G, 信息技术 I, 医药 汽车零部件 C, 商贸 F, 农业科技 A, 矿业 B,
       -- 电力设备 木业 印务 C: the section of the business the name gives
       CASE WHEN province.u(g.n, 27) < 0.01 THEN NULL
            ELSE (ARRAY['C','C','C','C','C','G','I','C','C','F','A','B','C','C','C'])[1 + (province.u(g.n, 6) * 15)::integer % 15] END
  FROM province.gen g;

-- The year's lists: a few per cent decapacity, key-supported, zombie, monitored; most small.
INSERT INTO subsidy.enterprise_year (uscc, year, decapacity, key_supported, zombie, monitored, firm_size,
                                     serious_dishonesty, unit_kind)
SELECT g.uscc::subsidy.uscc, :year,
       province.u(g.n, 20) < 0.03, province.u(g.n, 21) < 0.02,
       CASE WHEN province.u(g.n, 23) < 0.005 THEN NULL ELSE province.u(g.n, 22) < 0.01 END,
       province.u(g.n, 24) < 0.05,
       CASE WHEN province.u(g.n, 26) < 0.01 THEN NULL
            WHEN province.u(g.n, 25) < 0.08 THEN 'large' ELSE 'small_micro' END::subsidy.firm_size,
       province.u(g.n, 28) < 0.004,   -- the credit list's serious dishonesty (E13)
       'enterprise'
  FROM province.gen g;

