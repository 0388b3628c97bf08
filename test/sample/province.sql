-- A deterministic synthetic province shaped like Jilin, for the demo, the benchmarks, the
-- ODBC suite and the scale runs.  Every value is a hash of the row number, so a run with
-- the same size gives the same data on any machine, in any order.
--
--   psql -v applications=20000 -v year=2019 -v stage=closed -f test/sample/province.sql
--
-- The province: the nine prefecture-level pools of Jilin, 吉林省省本级 and 长白山管委会, with
-- their basis-year facts (白城 short of fund cover, E7); one enterprise per application,
-- with a valid USCC, a name, a bank account; the year's lists (a few per cent decapacity,
-- key-supported, zombie, monitored; most firms small); declared figures of annex 2 (some
-- in arrears, some laying off, a few declaring more than the agency confirms) and the
-- figures confirmed in review (1 % of one fact still missing at first).
--
-- The year then runs as far as -v stage says, each step the way its party takes it, through
-- the extension's own entry points and the DBA's procedures (test/sample/steps/, one file a
-- step, each runnable in a session of its own):
--   submitted   01-03  hrss opens the year (open_year); enterprises file and submit in the window
--   in_review   04     hrss starts the review; the agency, hrss and finance confirm their parts
--   assessed    05     the DBA stores every verdict (assess_year)
--   decided     06     the three parties sign off; hrss decides (late facts decided a week on)
--   published   07     start_publicity for every pool, 1 July
--   cleared     08     close_publicity after the seventh working day
--   paid        09     the agency loads the banks' payment file and applies it (pay_batch)
--   reported    10     report_upward, one batch per pool
--   frozen      11     freeze_annual_report
--   closed      12     close_year
-- The default stage is in_review.  -v keep=1 keeps the generator's scratch schema province.
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
SELECT array_position(ARRAY['submitted', 'in_review', 'assessed', 'decided', 'published', 'cleared', 'paid',
                            'reported', 'frozen', 'closed'], :'stage') AS level \gset
\if :{?level}
\else
  \echo 'stage must be one of submitted, in_review, assessed, decided, published, cleared, paid, reported, frozen, closed'
  \quit
\endif
SELECT :level >= 2 AS reviewing, :level >= 3 AS assessing, :level >= 4 AS deciding, :level >= 5 AS publishing,
       :level >= 6 AS clearing, :level >= 7 AS paying, :level >= 8 AS reporting, :level >= 9 AS freezing,
       :level >= 10 AS closing \gset

\ir steps/00_setup.sql
\ir steps/01_open.sql
\ir steps/02_enterprises.sql
\ir steps/03_apply.sql
\if :reviewing
\ir steps/04_review.sql
\endif
\if :assessing
\ir steps/05_assess.sql
\endif
\if :deciding
\ir steps/06_decide.sql
\endif
\if :publishing
\ir steps/07_publish.sql
\endif
\if :clearing
\ir steps/08_clear.sql
\endif
\if :paying
\ir steps/09_pay.sql
\endif
\if :reporting
\ir steps/10_report.sql
\endif
\if :freezing
\ir steps/11_freeze.sql
\endif
\if :closing
\ir steps/12_close.sql
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
\if :{?keep}
\else
\ir steps/99_cleanup.sql
\endif
