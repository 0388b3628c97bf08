-- A year in screening mode (免申即享, DOMAIN section 13) for the province that province.sql
-- generates: run it after province.sql, in the same database, for a later year (2022 by
-- default, whose national set screens).  Deterministic like province.sql: every value is a
-- hash of the unit's number, the units numbered in the order of their codes.
--
--   psql -v applications=20000 -v year=2019 -v stage=closed -f test/sample/province.sql
--   psql -v year=2022 -v stage=closed -f test/sample/screening.sql
--
-- The units: every enterprise of the register, less the 2 % that stopped insuring, and 2 %
-- more that are new to it (mostly the six kinds of units 2021 brought in: social groups,
-- social service agencies, foundations, law and accounting firms, individual businesses);
-- the year's list (size classes, zombies, serious dishonesty; a few units it is silent on);
-- the basis year's contribution records of every unit (some in arrears, some laying off,
-- some short of twelve months paid in full, a few with a figure missing).
--
-- The year then runs as far as -v stage says (test/sample/screening_steps/, one file a step,
-- each runnable in a session of its own; those an application year takes alike are
-- test/sample/steps/'s):
--   loaded      01-03  the basis-year facts (no window opens); the year's list; the agencies
--                      stage their records (five lines wrong in three pools' files: the load
--                      refuses a file with any, names them; corrected, loaded)
--   screened    04     the agencies screen every pool, 9 May
--   answered    05     the units confirm (with their account, or the tax bureau's) or decline
--   decided     06-07  review: a party that fails a unit signs that one, then each signs each
--                      pool's screened list at once; hrss decides, 20 May
--   published   08     start_publicity for every pool, 23 May
--   cleared     steps/08  close_publicity after the seventh working day
--   paid        steps/09  the agency loads the banks' payment file and applies it (pay_batch)
--   topped_up   11     the large units' rate rose on 1 June (2022): top-ups (A6), computed and paid
--   reported    12     report_payment_times, report_upward, one batch per pool
--   frozen      steps/11  freeze_annual_report
--   closed      steps/12  close_year
-- The default stage is closed.  -v keep=1 keeps the generator's scratch schema province.
\set ON_ERROR_STOP 1
\if :{?year}
\else
  \set year 2022
\endif
\if :{?stage}
\else
  \set stage closed
\endif
SELECT array_position(ARRAY['loaded', 'screened', 'answered', 'decided', 'published', 'cleared', 'paid',
                            'topped_up', 'reported', 'frozen', 'closed'], :'stage') AS level \gset
\if :{?level}
\else
  \echo 'stage must be one of loaded, screened, answered, decided, published, cleared, paid, topped_up, reported, frozen, closed'
  \quit
\endif
SELECT :level >= 2 AS screening, :level >= 3 AS answering, :level >= 4 AS deciding, :level >= 5 AS publishing,
       :level >= 6 AS clearing, :level >= 7 AS paying, :level >= 8 AS topping_up, :level >= 9 AS reporting,
       :level >= 10 AS freezing, :level >= 11 AS closing \gset
-- the province's register, as province.sql left it
SELECT count(*) AS applications FROM subsidy.enterprise \gset
SELECT :applications > 0 AS has_register \gset
\if :has_register
\else
  \echo 'no enterprises: run test/sample/province.sql first, in this database'
  \quit
\endif

\ir steps/00_setup.sql
\ir screening_steps/01_open.sql
\ir screening_steps/02_units.sql
\ir screening_steps/03_load.sql
\if :screening
\ir screening_steps/04_screen.sql
\endif
\if :answering
\ir screening_steps/05_answer.sql
\endif
\if :deciding
\ir screening_steps/06_review.sql
\ir screening_steps/07_decide.sql
\endif
\if :publishing
\ir screening_steps/08_publish.sql
\endif
\if :clearing
\ir steps/08_clear.sql
\endif
\if :paying
\ir steps/09_pay.sql
\endif
\if :topping_up
\ir screening_steps/11_top_up.sql
\endif
\if :reporting
\ir screening_steps/12_report.sql
\endif
\if :freezing
\ir steps/11_freeze.sql
\endif
\if :closing
\ir steps/12_close.sql
\endif

ANALYZE subsidy.contribution_record;
ANALYZE subsidy.application;
SELECT stage, count(*) FROM subsidy.application WHERE year = :year GROUP BY 1 ORDER BY 1;
\if :{?keep}
\else
\ir steps/99_cleanup.sql
\endif
