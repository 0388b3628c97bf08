-- Step of test/sample/province.sql (which documents the province); run by it in order, or
-- on its own (each step in its own session) by test/bench/cycle.sh.
\set ON_ERROR_STOP 1
SELECT year, applications FROM province.settings \gset

-- The pools, their share of enterprises, and their basis-year facts (registered unemployment
-- rate, months of fund cover, monthly fund expenditure); 白城 is short of fund cover (E7).
CREATE TABLE province.pool (code text, share numeric, short_name text, rate numeric, months numeric, expenditure numeric);
INSERT INTO province.pool VALUES
  ('220100', 0.30, '长春', 3.32, 26.4, 248000000.00),
  ('220200', 0.17, '吉林', 3.46, 19.8, 124000000.00),
  ('220300', 0.08, '四平', 3.61, 15.2, 50000000.00),
  ('220400', 0.05, '辽源', 3.85, 13.1, 31200000.00),
  ('220500', 0.07, '通化', 3.52, 17.6, 40800000.00),
  ('220600', 0.04, '白山', 3.70, 14.3, 25600000.00),
  ('220700', 0.08, '松原', 3.43, 22.0, 47200000.00),
  ('220800', 0.05, '白城', 3.90, 11.8, 28000000.00),
  ('222400', 0.10, '延边', 3.28, 18.5, 60000000.00),
  ('22X001', 0.05, '吉林省', 3.46, 30.2, 84000000.00),
  ('22X002', 0.01, '长白山', 3.10, 24.0, 3600000.00);
CREATE TABLE province.pool_range AS
SELECT code, short_name, sum(share) OVER (ORDER BY code) - share AS lo, sum(share) OVER (ORDER BY code) AS hi FROM province.pool;

-- The average monthly unemployment benefit (A7's hardship path reads it in 2019 and 2020) is
-- about 1,400 to 1,600 yuan.
INSERT INTO subsidy.region_basis_year (region, basis_year, registered_unemployment_rate, fund_balance, monthly_fund_expenditure,
                                       average_monthly_benefit)
SELECT code, :year - 1, rate, round(months * expenditure, 2), expenditure, 1400 + round(rate * 50, 0) FROM province.pool
ON CONFLICT (region, basis_year) DO UPDATE
  SET registered_unemployment_rate = excluded.registered_unemployment_rate,
      fund_balance = excluded.fund_balance, monthly_fund_expenditure = excluded.monthly_fund_expenditure,
      average_monthly_benefit = excluded.average_monthly_benefit;
-- The offices the pools' papers name (publicity, notices, payment lists), and where objections
-- are received: each pool's hrss service window and the 12333 line of its area code.
INSERT INTO subsidy.region_office (region, hrss_office, agency_office, objection_address, objection_phone)
SELECT r.code,
       CASE r.code WHEN '22X001' THEN '吉林省人力资源和社会保障厅' ELSE r.name || '人力资源和社会保障局' END,
       CASE r.code WHEN '22X001' THEN '吉林省社会保险事业管理局' ELSE r.name || '社会保险事业管理局' END,
       CASE r.code WHEN '22X001' THEN '吉林省' ELSE r.name END || '政务服务中心人力资源和社会保障窗口',
       (ARRAY['0431', '0432', '0434', '0437', '0435', '0439', '0438', '0436', '0433', '0431', '0433'])
         [array_position(ARRAY['220100', '220200', '220300', '220400', '220500', '220600', '220700', '220800',
                               '222400', '22X001', '22X002'], r.code)] || '-12333'
  FROM province.pool p JOIN subsidy.region r ON r.code = p.code
ON CONFLICT (region) DO NOTHING;
-- hrss opens the year: windows 1 March to 31 May in every pool.
CALL subsidy.open_year(:year);

