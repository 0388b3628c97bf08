-- engine_bulk: assess_year, simulate, parameters that are never stale, parallel workers.
SET search_path = public, subsidy;

-- Forty applications for 2019 in four regions, with a mix of facts, filed and reviewed.
INSERT INTO enterprise (uscc, name, region, bank_name, bank_account)
SELECT body || uscc_check_character(body), format('吉林测试%s号有限公司', n), code, '吉林银行', '62' || lpad(n::text, 17, '0')
  FROM generate_series(1, 40) AS n,
       LATERAL (SELECT (ARRAY['220100', '220200', '220400', '220600'])[1 + n % 4] AS code) r,
       LATERAL (SELECT '91' || code || lpad(n::text, 8, '0') || 'A' AS body) b;
CREATE TEMP TABLE mix AS
SELECT n, e.uscc, 100 + n AS start_count, 95 + n AS end_count, 98 + n AS average, n % 6 AS layoffs,
       10000.00 * n + 0.05 AS premiums, CASE WHEN n % 9 = 0 THEN 500 ELSE 0 END AS other_arrears,
       CASE WHEN n % 5 = 0 THEN 2000 ELSE 0 END AS prior
  FROM generate_series(1, 40) AS n JOIN enterprise e ON e.name = format('吉林测试%s号有限公司', n);
INSERT INTO application (year, uscc, decapacity, key_supported, zombie, firm_size,
    insured_start, insured_end, insured_average, layoffs, retirements_deaths, premiums_payable, premiums_paid,
    arrears_basis_year, arrears_other_years, deferral_agreement, prior_subsidy, prior_subsidy_use_proper, documents)
SELECT 2019, uscc, n % 7 = 0, n % 11 = 0, n % 13 = 0, 'large', start_count, end_count, average, layoffs, 1,
       premiums, premiums, 0, other_arrears, n % 9 = 0 AND n % 2 = 0, prior,
       CASE WHEN prior > 0 THEN n % 3 <> 0 END, '{annex1_materials,annex2_form}'
  FROM mix;
SET subsidy.today = '2019-03-11';
UPDATE application a SET stage = 'submitted' FROM mix WHERE a.uscc = mix.uscc;
SET subsidy.today = '2019-05-06';
UPDATE application a SET stage = 'in_review' FROM mix WHERE a.uscc = mix.uscc AND mix.n % 10 <> 0;
UPDATE application a
   SET confirmed_insured_start = insured_start, confirmed_insured_end = insured_end,
       confirmed_insured_average = insured_average, confirmed_layoffs = a.layoffs,
       confirmed_retirements_deaths = retirements_deaths, confirmed_premiums_payable = premiums_payable,
       confirmed_premiums_paid = premiums_paid, confirmed_arrears_basis_year = arrears_basis_year,
       confirmed_arrears_other_years = arrears_other_years, confirmed_deferral_agreement = deferral_agreement,
       confirmed_prior_subsidy = prior_subsidy, confirmed_prior_subsidy_use_proper = prior_subsidy_use_proper,
       financial_management_sound = CASE WHEN mix.n = 17 THEN NULL ELSE true END, policy_compliant = true,
       -- the facts the 2019 set adds (E11, E13, A7)
       confirmed_full_contribution_months = 12, serious_dishonesty = false, hardship_recognised = false
  FROM mix WHERE a.uscc = mix.uscc;
RESET subsidy.today;

-- assess_year stores every assessment with the parameters it used, in committed batches.
CALL assess_year(2019, NULL, 15);
SELECT a.region, s.outcome, count(*), sum(s.amount) AS amount
  FROM application_assessment s JOIN application a ON a.id = s.application_id
 WHERE a.year = 2019 GROUP BY 1, 2 ORDER BY 1, 2;
SELECT p.region, p.parameters ->> 'policy_name' AS policy, p.parameters ->> 'layoff_formula' AS formula,
       count(s.*) AS assessments
  FROM policy_snapshot p LEFT JOIN application_assessment s ON s.policy_snapshot_id = p.id
 GROUP BY 1, 2, 3 ORDER BY 1;
-- stored rows equal the engine's verdicts
SELECT count(*) AS differing
  FROM application a JOIN application_assessment s ON s.application_id = a.id, LATERAL assess(a) r
 WHERE (r.outcome, r.rule, r.amount, r.failed_rules, r.open_rules, r.missing_facts)
       IS DISTINCT FROM (s.outcome, s.rule, s.amount, s.failed_rules, s.open_rules, s.missing_facts);

-- Running it again changes nothing and keeps one snapshot per parameter set.
CREATE TEMP TABLE first_run AS SELECT * FROM application_assessment;
CALL assess_year(2019);
SELECT count(*) AS snapshots FROM policy_snapshot;
SELECT count(*) AS changed FROM application_assessment s JOIN first_run f USING (application_id)
 WHERE (s.outcome, s.amount, s.policy_snapshot_id) IS DISTINCT FROM (f.outcome, f.amount, f.policy_snapshot_id);

-- A region changes its parameters: a run for that region records a new snapshot and new amounts.
UPDATE policy_region SET standard_rate_large = 0.55 WHERE year = 2019 AND region = '220600';
CALL assess_year(2019, '220600');
SELECT a.region, count(*) FILTER (WHERE s.amount IS DISTINCT FROM f.amount) AS amounts_changed,
       count(*) FILTER (WHERE s.policy_snapshot_id <> f.policy_snapshot_id) AS with_new_snapshot
  FROM application_assessment s JOIN first_run f USING (application_id) JOIN application a ON a.id = s.application_id
 GROUP BY 1 ORDER BY 1;
SELECT parameters ->> 'standard_rate_large' AS standard_rate_large FROM policy_snapshot
 WHERE region = '220600' ORDER BY id;
UPDATE policy_region SET standard_rate_large = NULL WHERE year = 2019 AND region = '220600';

-- Called at the wrong moment: each refused with what to do.
CALL assess_year(2031);
CALL assess_year(2019, '999999');
CALL assess_year(2019, NULL, 0);

-- simulate: what changes per region if a parameter changes; it writes nothing.
SELECT * FROM simulate(2019, '{"standard_rate_large": 0.6}');
SELECT region, eligible_now, eligible_then, no_longer_eligible, amount_difference
  FROM simulate(2019, '{"fund_cover_months": 12.5}');
SELECT region, eligible_now, eligible_then, newly_eligible, amount_difference
  FROM simulate(2019, '{"regions": {"220200": {"fund_balance": 1200000}}}');
SELECT region, eligible_now, eligible_then, newly_eligible, no_longer_eligible
  FROM simulate(2019, '{"layoff_formula": "net_decrease_over_start", "layoff_threshold": 4.5}');
SELECT * FROM simulate(2019, '{"standard_rate": 0.6, "regions": {"220100": {"windows": 1}}}');
SELECT * FROM simulate(2019, '[0.6]');
SELECT provolatile FROM pg_proc WHERE oid = 'simulate(integer, jsonb)'::regprocedure;

-- Parameters in force are never stale: the next statement sees a change, in this session
-- or committed by another, and a rolled-back change is gone.
CREATE FUNCTION pg_temp.verdict() RETURNS text LANGUAGE sql AS $$
  SELECT r.outcome || coalesce(' ' || r.amount, '') || ' ' || r.failed_rules::text
    FROM application a, LATERAL subsidy.assess(a) r WHERE a.uscc = '91110000600037341L'
$$;
SELECT pg_temp.verdict() AS before;
UPDATE region_basis_year SET fund_balance = 1000000 WHERE region = '220100' AND basis_year = 2018;
SELECT pg_temp.verdict() AS after_own_change;
BEGIN;
UPDATE region_basis_year SET fund_balance = 1200000 WHERE region = '220100' AND basis_year = 2018;
SELECT pg_temp.verdict() AS inside_transaction;
SAVEPOINT s;
UPDATE region_basis_year SET fund_balance = 1000000 WHERE region = '220100' AND basis_year = 2018;
SELECT pg_temp.verdict() AS after_savepoint_change;
ROLLBACK TO SAVEPOINT s;
SELECT pg_temp.verdict() AS after_rollback_to_savepoint;
ROLLBACK;
SELECT pg_temp.verdict() AS after_rollback;
CREATE EXTENSION dblink;
SELECT dblink_connect('other', format('dbname=%s port=%s host=%s', current_database(),
       current_setting('port'), current_setting('unix_socket_directories'))) AS connected;
SELECT dblink_exec('other', $$UPDATE subsidy.region_basis_year SET fund_balance = 1200000
                              WHERE region = '220100' AND basis_year = 2018$$);
SELECT pg_temp.verdict() AS after_other_session_commits;
-- a local parameter row for the year, committed elsewhere, takes over from the shipped one
SELECT dblink_exec('other', $$INSERT INTO subsidy.policy_year
  SELECT (jsonb_populate_record(p, jsonb_build_object('origin', 'local', 'policy_name', p.policy_name || '（本地）',
          'standard_rate_large', 0.6, 'standard_rate_small_micro', 0.6))).*
    FROM subsidy.policy_year p WHERE year = 2019 AND scope = '220000'$$);
SELECT pg_temp.verdict() AS after_local_parameters;
SELECT dblink_exec('other', $$DELETE FROM subsidy.policy_year WHERE year = 2019 AND origin = 'local'$$);
SELECT pg_temp.verdict() AS after_they_are_deleted;
SELECT dblink_disconnect('other');

-- Shipped rows are the extension's: read-only, overridden by local rows.
UPDATE policy_year SET rounding_unit = 1 WHERE year = 2019;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
DELETE FROM region WHERE code = '22X002';
INSERT INTO region (code, name, parent, origin) VALUES ('22X009', '测试', '220000', 'extension');
UPDATE region_basis_year SET registered_unemployment_rate = 3.50 WHERE region = '220000';
INSERT INTO region (code, name, parent) VALUES ('220112', '长春市双阳区', '220100');
UPDATE region SET name = '长春市双阳区（测试）' WHERE code = '220112';
DELETE FROM region WHERE code = '220112';
INSERT INTO region (code, name) VALUES ('22A001', 'bad code');

-- Parallel workers assess the same as the leader.
SELECT count(*) AS eligible FROM application a WHERE year = 2019 AND (assess(a)).outcome = 'eligible';
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM application a WHERE year = 2019 AND (assess(a)).outcome = 'eligible';
SELECT count(*) AS eligible FROM application a WHERE year = 2019 AND (assess(a)).outcome = 'eligible';
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET parallel_leader_participation;
DROP EXTENSION dblink;

-- The stored verdict: 64 exact bytes that print in words and read back exactly.
SELECT verdict FROM application_verdict v JOIN application a ON a.id = v.application_id
 WHERE a.uscc IN ('91110000600037341L') OR a.id IN (SELECT min(application_id) FROM application_assessment GROUP BY outcome)
 ORDER BY verdict::text;
SELECT count(*) AS verdicts, count(*) FILTER (WHERE verdict::text::verdict = verdict) AS read_back_equal,
       count(*) FILTER (WHERE (verdict::assessment).outcome IS NOT NULL) AS expanded,
       pg_column_size(min(verdict::text)) > 64 AS text_is_longer, max(pg_column_size(verdict)) AS bytes
  FROM application_verdict;
SELECT 'eligible rule=A2 basis=payable base=0.01 rate=0.600 amount=0.01 cover=12.00 required=12.0'::verdict::assessment;
SELECT ('ineligible layoff=4.1000 threshold=3.46 failed=E2 reasons=E2.layoff_rate')::verdict;
SELECT explain('undetermined open=E8 missing=submitted_on threshold=3.46 required=12.0'::verdict);
SELECT 'eligible'::verdict;
SELECT 'approved rule=A1'::verdict;
SELECT 'ineligible failed=E1,E99'::verdict;
SELECT 'eligible rule=A1 basis=paid base=1.005 rate=0.500 amount=0.50'::verdict;
SELECT 'undetermined colour=red'::verdict;
-- Found by the fuzzer (test/fuzz): nothing verdict_out would not print is accepted, nothing
-- it prints is refused, and no number wraps.
SELECT 'ineligible basis=paid'::verdict;
SELECT 'ineligible amount=1'::verdict;
SELECT 'eligible rule=A1 basis=paid rate=0.5 amount=1'::verdict;
SELECT 'undetermined layoff=-1'::verdict;
SELECT 'undetermined layoff=1 layoff=2'::verdict;
SELECT 'eligible rule=A1 basis=paid base=1 rate=65.536 amount=1'::verdict;
SELECT 'undetermined required=3276.8'::verdict;
SELECT 'eligible rule=A1 basis=paid rate=0.5 base=922337203685477580 amount=1'::verdict;
-- ... and the engine, given figures of the caller's own, refuses a negative one.
SELECT verdict_of(jsonb_populate_record(a, '{"confirmed_layoffs": -5}')) FROM application a WHERE a.id = (SELECT min(id) FROM application);
SELECT verdict_of(jsonb_populate_record(a, '{"confirmed_premiums_paid": -0.01, "confirmed_premiums_payable": -0.01}'))
  FROM application a WHERE a.id = (SELECT min(id) FROM application);
SELECT v::text = t AS reads_back
  FROM (VALUES ('undetermined layoff=922337203685477.5807 cover=21474836.47 required=3276.7')) AS x(t),
       LATERAL (SELECT t::verdict AS v) y;
\copy (SELECT verdict FROM application_verdict ORDER BY application_id) TO 'results/verdicts.bin' (FORMAT binary)
CREATE TEMP TABLE verdict_copy (verdict verdict);
\copy verdict_copy FROM 'results/verdicts.bin' (FORMAT binary)
SELECT count(*) AS copied_back, bool_and(c.verdict = v.verdict) AS all_equal
  FROM (SELECT verdict, row_number() OVER () AS n FROM verdict_copy) c
  JOIN (SELECT verdict, row_number() OVER (ORDER BY application_id) AS n FROM application_verdict) v USING (n);
-- a figure the rules cannot use is refused, not rounded
SELECT verdict_of_facts(2019, '220100', '2019-03-15', false, false, false, 'large', 100, 100, 100, 0, 0,
                        100.005, 100.005, 0, 0, false, 0, NULL, true, true, NULL);
SELECT verdict_of_facts(2019, '220100', '2019-03-15', false, false, false, 'large', 100, 100, 100, 0, 0,
                        'NaN', 100, 0, 0, false, 0, NULL, true, true, NULL);
SELECT verdict_of(NULL::application) IS NULL AS null_row_null_verdict;
