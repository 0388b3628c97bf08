-- Step of test/sample/screening.sql (which documents the screening year); run by it in order,
-- or on its own, each step in its own session.
\set ON_ERROR_STOP 1
SELECT year, applications FROM province.settings \gset

-- The insured units of the basis year: the register's enterprises, numbered in the order of
-- their codes (2 % stopped insuring and have no records), and 2 % more units new to the
-- register, most of them of the six kinds that 2021 brought in.
CREATE TABLE province.unit AS
SELECT row_number() OVER (ORDER BY e.uscc::text COLLATE "C") AS n, e.uscc::text AS uscc, e.region,
       p.short_name, NULL::text AS name, 'enterprise'::text AS unit_kind, true AS listed
  FROM subsidy.enterprise e JOIN province.pool p ON p.code = e.region;
DELETE FROM province.unit WHERE province.u(n, 100) < 0.02;
INSERT INTO province.unit (n, uscc, region, short_name, name, unit_kind, listed)
SELECT m, body || subsidy.uscc_check_character(body), region, short_name,
       CASE kind WHEN 'social_group' THEN region_name || trade || '协会'
                 WHEN 'social_service_agency' THEN region_name || brand || (ARRAY['职业培训学校', '养老服务中心', '康复医院', '幼儿园'])[1 + (province.u(m, 109) * 4)::integer % 4]
                 WHEN 'foundation' THEN region_name || brand || '慈善基金会'
                 WHEN 'law_firm' THEN '吉林' || brand || '律师事务所'
                 WHEN 'accounting_firm' THEN '吉林' || brand || '会计师事务所（普通合伙）'
                 ELSE region_name || brand || (ARRAY['饭店', '超市', '汽车修理部', '印刷厂'])[1 + (province.u(m, 109) * 4)::integer % 4] END,
       kind, false
  FROM (SELECT m, p.code AS region, p.short_name,
               CASE p.code WHEN '22X001' THEN '吉林省' WHEN '22X002' THEN '长白山' ELSE r.name END AS region_name, k.kind,
               k.authority || CASE WHEN p.code LIKE '22X%' THEN '220000' ELSE p.code END
                 || org_body || province.org_check(org_body) AS body,
               (ARRAY['物流', '餐饮', '建材', '软件', '汽车零部件', '家政', '旅游', '农产品'])[1 + (province.u(m, 107) * 8)::integer % 8] || '行业' AS trade,
               (ARRAY['长青', '德信', '同心', '仁和', '正源', '启明', '安泰', '北辰', '华盛', '松江'])[1 + (province.u(m, 108) * 10)::integer % 10] AS brand
          FROM generate_series(:applications + 1, :applications + (:applications * 0.02)::integer) AS m
          JOIN province.pool_range p ON province.u(m, 101) >= p.lo AND province.u(m, 101) < p.hi
          JOIN subsidy.region r ON r.code = p.code
         CROSS JOIN LATERAL (SELECT CASE WHEN d < 0.30 THEN 'social_group' WHEN d < 0.55 THEN 'social_service_agency'
                                         WHEN d < 0.60 THEN 'foundation' WHEN d < 0.70 THEN 'law_firm'
                                         WHEN d < 0.78 THEN 'accounting_firm' WHEN d < 0.90 THEN 'individual_business'
                                         ELSE 'enterprise' END AS kind
                               FROM (SELECT province.u(m, 102) AS d) x) kk
         CROSS JOIN LATERAL (SELECT CASE kk.kind WHEN 'social_group' THEN '51' WHEN 'social_service_agency' THEN '52'
                                                 WHEN 'foundation' THEN '53' WHEN 'law_firm' THEN '31'
                                                 WHEN 'individual_business' THEN '92' ELSE '91' END AS authority,
                                    kk.kind) k
         CROSS JOIN LATERAL (SELECT CASE WHEN k.authority LIKE '5%' THEN 'MJ' ELSE 'MA' END
                                    || lpad(((province.u(m, 103) * 999999)::bigint)::text, 6, '0') AS org_body) o) s;
-- a new unit drawn with a code the register or another new unit already has: keep the first
DELETE FROM province.unit g USING province.unit h WHERE NOT g.listed AND g.uscc = h.uscc AND g.n > h.n;
UPDATE province.unit SET name = short_name || '鸿运商贸有限公司' WHERE unit_kind = 'enterprise' AND NOT listed;
CREATE INDEX ON province.unit (n);
CREATE INDEX ON province.unit (uscc);
ANALYZE province.unit;

-- hrss's list of the year for the register's enterprises (the new units are not on it): size
-- class (划型), zombies (a few the list is silent on: hrss settles them in review), serious
-- dishonesty (E13).
INSERT INTO subsidy.enterprise_year (uscc, year, decapacity, key_supported, zombie, monitored, firm_size,
                                     serious_dishonesty, unit_kind)
SELECT u.uscc::subsidy.uscc, :year, false, province.u(u.n, 111) < 0.02,
       CASE WHEN province.u(u.n, 112) < 0.004 THEN NULL ELSE province.u(u.n, 113) < 0.008 END,
       province.u(u.n, 114) < 0.05,
       CASE WHEN province.u(u.n, 115) < 0.06 THEN 'large' WHEN province.u(u.n, 115) < 0.18 THEN 'medium'
            WHEN province.u(u.n, 115) < 0.55 THEN 'small' ELSE 'micro' END::subsidy.firm_size,
       CASE WHEN province.u(u.n, 112) < 0.004 THEN NULL ELSE province.u(u.n, 116) < 0.004 END,
       'enterprise'
  FROM province.unit u WHERE u.listed;
