-- Step of test/sample/province.sql (which documents the province); run by it in order, or
-- on its own (each step in its own session) by test/bench/cycle.sh.
\set ON_ERROR_STOP 1
SELECT year, applications FROM province.settings \gset

-- Applications, through the workflow as a region runs it: drafts with the declared
-- figures of annex 2, submitted on the days of the window, reviewed once it closes.
CREATE TABLE province.fig AS
SELECT g.n, g.uscc::subsidy.uscc AS uscc, g.region,
       CASE WHEN province.u(g.n, 25) < 0.08 THEN 300 + (province.u(g.n, 30) * 1700)::integer
            ELSE 5 + (province.u(g.n, 30) * 95)::integer END AS start_count,
       province.u(g.n, 31) AS change_draw,
       province.u(g.n, 32) AS layoff_draw,
       (1050 + province.u(g.n, 33) * 300)::numeric AS premium_per_person
  FROM province.gen g;

CREATE TABLE province.declared AS
SELECT x.n, x.uscc, x.region, s AS insured_start, e_end AS insured_end,
       round((s + e_end) / 2.0, 2) AS insured_average, lay AS layoffs, rd AS retirements_deaths,
       payable AS premiums_payable, paid AS premiums_paid, payable - paid AS arrears_basis_year,
       other AS arrears_other_years, agreement AS deferral_agreement, prior AS prior_subsidy,
       CASE WHEN prior > 0 THEN province.u(x.n, 45) >= 0.03 END AS prior_subsidy_use_proper
  FROM province.fig x,
       LATERAL (SELECT x.start_count AS s,
                       greatest(0, x.start_count + (x.start_count * (x.change_draw - 0.55) * 0.12)::integer) AS e_end,
                       CASE WHEN x.layoff_draw < 0.62 THEN 0
                            WHEN x.layoff_draw < 0.97 THEN (x.start_count * (x.layoff_draw - 0.62) * 0.09)::integer
                            ELSE (x.start_count * (0.04 + (x.layoff_draw - 0.97) * 2))::integer END AS lay,
                       (x.start_count * province.u(x.n, 34) * 0.03)::integer AS rd,
                       round(x.start_count * x.premium_per_person, 2) AS payable) f1,
       LATERAL (SELECT CASE WHEN province.u(x.n, 35) < 0.02 THEN round(payable * (0.8 + province.u(x.n, 36)::numeric * 0.19), 2)
                            ELSE payable END AS paid,
                       CASE WHEN province.u(x.n, 37) < CASE WHEN province.u(x.n, 20) < 0.03 OR province.u(x.n, 21) < 0.02
                                                             THEN 0.30 ELSE 0.04 END
                            THEN round(payable * province.u(x.n, 38)::numeric * 0.5, 2)
                            ELSE 0 END AS other,
                       province.u(x.n, 39) < CASE WHEN province.u(x.n, 37) < CASE WHEN province.u(x.n, 20) < 0.03
                                                                                     OR province.u(x.n, 21) < 0.02
                                                                                    THEN 0.30 ELSE 0.04 END
                                                  THEN 0.6 ELSE 0.02 END AS agreement,
                       CASE WHEN province.u(x.n, 50) < 0.4 THEN round(payable * 0.45, 2) ELSE 0 END AS prior) f2;

INSERT INTO subsidy.application
  (year, region, uscc, insured_start, insured_end, insured_average, layoffs, retirements_deaths,
   premiums_payable, premiums_paid, arrears_basis_year, arrears_other_years, deferral_agreement,
   prior_subsidy, prior_subsidy_use_proper, documents)
SELECT :year, d.region, d.uscc, d.insured_start, d.insured_end, d.insured_average, d.layoffs,
       d.retirements_deaths, d.premiums_payable, d.premiums_paid, d.arrears_basis_year,
       d.arrears_other_years, d.deferral_agreement, d.prior_subsidy, d.prior_subsidy_use_proper,
       '{annex1_materials,annex2_form}'
  FROM province.declared d
 -- in the order they will be submitted, as a system that files drafts on arrival would: each
 -- day's submissions then touch neighbouring pages of the table
 ORDER BY make_date(:year, 3, 1) + floor(province.u(d.n, 41) * 92)::integer, d.n;
CREATE TABLE province.app AS
SELECT a.id, d.n, make_date(:year, 3, 1) + floor(province.u(d.n, 41) * 92)::integer AS submitted_on
  FROM subsidy.application a JOIN province.declared d ON d.uscc OPERATOR(subsidy.=) a.uscc
 WHERE a.year = :year;
CREATE INDEX ON province.app (id);
CREATE INDEX ON province.app (submitted_on);
ANALYZE province.app;

-- Submitted on the days of the window (1 March to 31 May), as the enterprises came.
DO $$
DECLARE
  y integer := (SELECT year FROM province.settings);
  day date;
BEGIN
  FOR day IN SELECT generate_series(make_date(y, 3, 1), make_date(y, 5, 31), interval '1 day')::date LOOP
    PERFORM set_config('subsidy.today', to_char(day, 'YYYY-MM-DD'), true);
    UPDATE subsidy.application a SET stage = 'submitted'
      FROM province.app app WHERE app.id = a.id AND a.stage = 'draft' AND app.submitted_on = day;
  END LOOP;
END
$$;

