-- Step of test/sample/screening.sql (which documents the screening year); run by it in order,
-- or on its own, each step in its own session.
\set ON_ERROR_STOP 1
SELECT year, applications FROM province.settings \gset

-- The pools as province.sql draws them, with their basis-year facts for this year: the
-- funds paid out more in 2020 and 2021, and 白城 is still short of a year's cover (E7).
CREATE TABLE province.pool (code text, share numeric, short_name text, rate numeric, months numeric, expenditure numeric);
INSERT INTO province.pool VALUES
  ('220100', 0.30, '长春', 3.45, 22.1, 262000000.00),
  ('220200', 0.17, '吉林', 3.58, 17.4, 131000000.00),
  ('220300', 0.08, '四平', 3.70, 13.9, 52800000.00),
  ('220400', 0.05, '辽源', 3.92, 12.6, 33000000.00),
  ('220500', 0.07, '通化', 3.61, 15.8, 43100000.00),
  ('220600', 0.04, '白山', 3.77, 12.9, 27000000.00),
  ('220700', 0.08, '松原', 3.50, 19.3, 49900000.00),
  ('220800', 0.05, '白城', 3.98, 10.2, 29600000.00),
  ('222400', 0.10, '延边', 3.39, 16.2, 63400000.00),
  ('22X001', 0.05, '吉林省', 3.58, 27.5, 88700000.00),
  ('22X002', 0.01, '长白山', 3.20, 21.7, 3800000.00);
CREATE TABLE province.pool_range AS
SELECT code, short_name, sum(share) OVER (ORDER BY code) - share AS lo, sum(share) OVER (ORDER BY code) AS hi FROM province.pool;

INSERT INTO subsidy.region_basis_year (region, basis_year, registered_unemployment_rate, fund_balance, monthly_fund_expenditure,
                                       average_monthly_benefit)
SELECT code, :year - 1, rate, round(months * expenditure, 2), expenditure, 1550 + round(rate * 50, 0) FROM province.pool
ON CONFLICT (region, basis_year) DO UPDATE
  SET registered_unemployment_rate = excluded.registered_unemployment_rate,
      fund_balance = excluded.fund_balance, monthly_fund_expenditure = excluded.monthly_fund_expenditure,
      average_monthly_benefit = excluded.average_monthly_benefit;

-- No window opens: where the year's set (or a region's override) says mode screen, the units
-- do not apply in a window (open_year would open one, and the review would wait for it to
-- close); a unit screening missed may still apply on its own, any day.  What the year needs
-- is in place: its parameters say screen in every pool, and its calendar is loaded.
SELECT p.mode, count(*) AS pools FROM subsidy.policy_in_force p JOIN province.pool ON pool.code = p.region
 WHERE p.year = :year GROUP BY p.mode;
SELECT count(*) AS calendar_days FROM subsidy.calendar WHERE extract(year FROM day) = :year;
