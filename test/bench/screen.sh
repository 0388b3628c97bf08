#!/usr/bin/env bash
# Benchmark of the province-scale paths (issue 17), in one run on a throwaway cluster: a
# province of N insured units (test/sample/province.sql, its 2019 applications under review,
# and the same units' 2022 contribution records loaded through contribution_staging and
# load_contributions, one pool at a time).  At each size, contenders each in a session of its
# own, in rounds whose order rotates (the first call included):
#   (a) screen       SELECT subsidy.screen(pool, 2022) for every pool (免申即享: the engine over
#                    every unit on record, a screened, logged application for each screenable
#                    one), in a transaction rolled back after it is timed (and vacuumed after);
#       floor_a      the same verdicts, from the same records and lists, computed into an
#                    unindexed table (INSERT ... SELECT subsidy.verdict_of_facts(...));
#       filing       the floor of filing: the same applications, screen's columns, inserted by
#                    plain SQL with the extension's triggers off (no guard, numbering, trail or
#                    hash; the foreign keys and indexes kept), rolled back: what any screen that
#                    files an application per screenable unit writes, against floor_a;
#   (b) assess_first CALL subsidy.assess_year(2019) with no verdict stored yet (the year's
#                    first assessment; the verdicts of the round before are cleared, untimed);
#       assess_again CALL subsidy.assess_year(2019) again, every verdict stored already;
#       floor_b      INSERT INTO an unindexed table SELECT a.id, subsidy.verdict_of(a) over the
#                    same applications.
# Before anything is timed, the contenders must give what the floors computed: screen a
# screened application for exactly the units whose floor verdict is screenable, each with the
# agency's figures and the floor's verdict; assess_year, every application's floor verdict
# (its text, every field) under the snapshot of the parameters in force.  It prints, per size,
# each contender's best and median time, its ratio to its floor, and the time per unit.
#
#   bash test/bench/screen.sh                          # 1,000,000 units
#   UNITS=200000 ROUNDS=3 bash test/bench/screen.sh    # a quicker look
#   SIZES="200000 1000000 2000000" bash test/bench/screen.sh   # growth (hours)
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

UNITS=${UNITS:-1000000}
SIZES=${SIZES:-$UNITS}
ROUNDS=${ROUNDS:-3}
CLUSTER_CONF="shared_buffers = '2GB'
work_mem = '64MB'
maintenance_work_mem = '1GB'
max_wal_size = '8GB'
checkpoint_timeout = '30min'
max_parallel_workers_per_gather = 0
jit = off"

ensure_packages "${BASE_PACKAGES[@]}"
build_and_install
start_cluster
WORK=$(mktemp -d /tmp/subsidy-screen-bench.XXXXXX)
chmod 777 "$WORK"
cleanup_work() { rm -rf "$WORK"; }
at_exit cleanup_work

POOLS="SELECT p.code FROM subsidy.region p WHERE p.is_pool AND EXISTS (SELECT FROM subsidy.contribution_record c WHERE c.region = p.code AND c.year = 2022)"
SCREEN="SELECT sum(s.screened) FROM ($POOLS) p, LATERAL subsidy.screen(p.code, 2022) s"
FLOOR_A="INSERT INTO public.floor_a
SELECT c.uscc::text, subsidy.verdict_of_facts(c.year, c.region, NULL::date,
       y.decapacity, y.key_supported, y.zombie, coalesce(y.firm_size, c.firm_size), c.insured_start, c.insured_end,
       c.insured_average, c.layoffs, c.retirements_deaths, c.premiums_payable, c.premiums_paid,
       c.arrears_basis_year, c.arrears_other_years, NULL::boolean, coalesce(prior.paid, 0), NULL::boolean,
       NULL::boolean, NULL::boolean, NULL::subsidy.spot_check_result, NULL::date,
       coalesce(y.unit_kind, c.unit_kind), y.serious_dishonesty, c.full_contribution_months, c.new_claimants,
       c.monthly_premiums_payable, NULL::boolean)
  FROM subsidy.contribution_record c
  JOIN subsidy.enterprise e ON e.uscc OPERATOR(subsidy.=) c.uscc
  LEFT JOIN subsidy.enterprise_year y ON y.uscc OPERATOR(subsidy.=) c.uscc AND y.year = c.year
  LEFT JOIN (SELECT p.uscc, sum(p.paid_amount) AS paid FROM subsidy.application p
              WHERE p.year = 2021 AND p.paid_amount IS NOT NULL GROUP BY p.uscc) prior ON prior.uscc OPERATOR(subsidy.=) c.uscc
 WHERE c.year = 2022"
# The floor of filing: the same applications (the floor's screenable units, the screen's
# columns) by a plain INSERT with the extension's triggers off: no stage guard, numbering,
# trail or hash; the foreign keys, the five indexes and the row as wide as screen writes it.
FILING="ALTER TABLE subsidy.application DISABLE TRIGGER USER;
INSERT INTO subsidy.application (id, year, uscc, region, stage, screened_on, review_round,
    decapacity, key_supported, zombie, monitored, firm_size, unit_kind, serious_dishonesty,
    insured_start, insured_end, insured_average, layoffs, retirements_deaths, premiums_payable,
    premiums_paid, arrears_basis_year, arrears_other_years, prior_subsidy,
    confirmed_insured_start, confirmed_insured_end, confirmed_insured_average, confirmed_layoffs,
    confirmed_retirements_deaths, confirmed_premiums_payable, confirmed_premiums_paid,
    confirmed_arrears_basis_year, confirmed_arrears_other_years, confirmed_prior_subsidy,
    confirmed_full_contribution_months, confirmed_new_claimants, confirmed_monthly_premiums_payable)
SELECT 9000000000000000 + row_number() OVER (), c.year, c.uscc, e.region, 'screened', DATE '2022-05-09', 1,
    y.decapacity, y.key_supported, y.zombie, y.monitored, coalesce(y.firm_size, c.firm_size),
    coalesce(y.unit_kind, c.unit_kind), y.serious_dishonesty,
    c.insured_start, c.insured_end, c.insured_average, c.layoffs, c.retirements_deaths, c.premiums_payable,
    c.premiums_paid, c.arrears_basis_year, c.arrears_other_years, coalesce(prior.paid, 0),
    c.insured_start, c.insured_end, c.insured_average, c.layoffs, c.retirements_deaths, c.premiums_payable,
    c.premiums_paid, c.arrears_basis_year, c.arrears_other_years, coalesce(prior.paid, 0),
    c.full_contribution_months, c.new_claimants, c.monthly_premiums_payable
  FROM subsidy.contribution_record c
  JOIN public.floor_a f ON f.uscc = c.uscc::text
  JOIN subsidy.enterprise e ON e.uscc OPERATOR(subsidy.=) c.uscc
  LEFT JOIN subsidy.enterprise_year y ON y.uscc OPERATOR(subsidy.=) c.uscc AND y.year = c.year
  LEFT JOIN (SELECT p.uscc, sum(p.paid_amount) AS paid FROM subsidy.application p
              WHERE p.year = 2021 AND p.paid_amount IS NOT NULL GROUP BY p.uscc) prior ON prior.uscc OPERATOR(subsidy.=) c.uscc
  CROSS JOIN LATERAL subsidy.assessment(f.verdict) x
 WHERE c.year = 2022 AND x.outcome <> 'ineligible'
   AND x.open_rules <@ ARRAY['E3', 'E4', 'E5', 'E6', 'E10', 'E13', 'A1', 'A2', 'A3', 'A7']
   AND NOT (x.missing_facts && ARRAY['policy_year'])
 ORDER BY c.uscc"
ASSESS="CALL subsidy.assess_year(2019)"
FLOOR_B="INSERT INTO public.floor_b SELECT a.id, subsidy.verdict_of(a) FROM subsidy.application a
 WHERE a.year = 2019 AND a.stage IN ('submitted', 'in_review')"
# untimed, before each contender: a fresh floor table; no verdict stored before a first assessment
PREPARE_FLOOR_A="DROP TABLE IF EXISTS public.floor_a; CREATE TABLE public.floor_a (uscc text, verdict subsidy.verdict)"
PREPARE_FLOOR_B="DROP TABLE IF EXISTS public.floor_b; CREATE TABLE public.floor_b (application_id bigint, verdict subsidy.verdict)"
PREPARE_FIRST="SET session_replication_role = replica; TRUNCATE subsidy.application_verdict; RESET session_replication_role"

# run_one DB NAME PREPARE SQL [WRAP]: SQL timed in a session of its own after PREPARE (untimed);
# WRAP=rollback runs SQL in a transaction rolled back once timed.  Appends "NAME ms" to $WORK/times.
run_one() {
	local db=$1 name=$2 prepare=$3 sql=$4 wrap=${5:-}
	local begin= end=
	[ "$wrap" = rollback ] && begin="BEGIN;" end="ROLLBACK;"
	psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" >"$WORK/run.out" 2>&1 <<-SQL || { cat "$WORK/run.out"; exit 1; }
		SET client_min_messages = warning;
		SET subsidy.today = '2022-05-09';
		$prepare;
		$begin
		SELECT clock_timestamp() AS t0 \gset
		$sql;
		SELECT round(extract(epoch FROM clock_timestamp() - :'t0') * 1000) AS ms \gset
		$end
		\setenv MS :ms
		\! echo $name \$MS >> $WORK/times
	SQL
	# a screening rolled back leaves its rows dead: cleared before the next contender, untimed
	[ "$wrap" = rollback ] && psql -X -q -d "$db" -c "VACUUM subsidy.application, subsidy.audit_log" >/dev/null
	return 0
}

declare -A BEST MEDIAN COUNT
for size in $SIZES; do
	db="screen_$size"
	say "a province of $size units: 2019 under review, 2022 contribution records"
	psql -X -q -c "CREATE DATABASE $db"
	psql -X -q -d "$db" -c "CREATE EXTENSION subsidy"
	PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 -d "$db" -v applications="$size" \
		-v stage=in_review -v keep=1 -f "$ROOT/test/sample/province.sql" >/dev/null ||
		{ echo "the sample province failed" >&2; exit 1; }
	# 2022 screens (its set's mode): the pools' 2021 facts, the year's lists, and every unit's
	# 2021 contributions as the agency's file brings them, as text, loaded pool by pool
	PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 -d "$db" >/dev/null <<-'SQL'
		INSERT INTO subsidy.region_basis_year (region, basis_year, registered_unemployment_rate, fund_balance,
		                                       monthly_fund_expenditure, average_monthly_benefit)
		SELECT region, 2021, registered_unemployment_rate, fund_balance, monthly_fund_expenditure, average_monthly_benefit
		  FROM subsidy.region_basis_year WHERE basis_year = 2018;
		INSERT INTO subsidy.enterprise_year (uscc, year, decapacity, key_supported, zombie, monitored, firm_size,
		                                     serious_dishonesty, unit_kind)
		SELECT y.uscc, 2022, y.decapacity, y.key_supported, y.zombie, y.monitored,
		       CASE WHEN y.firm_size = 'small_micro' THEN (CASE WHEN province.u(g.n, 60) < 0.3 THEN 'small' ELSE 'micro' END)::subsidy.firm_size
		            ELSE y.firm_size END,
		       y.serious_dishonesty, y.unit_kind
		  FROM subsidy.enterprise_year y JOIN province.gen g ON g.uscc = y.uscc::text WHERE y.year = 2019;
		INSERT INTO subsidy.contribution_staging (region, year, uscc, insured_start, insured_end, insured_average,
		    retirements_deaths, layoffs, new_claimants, premiums_payable, premiums_paid, arrears_basis_year,
		    arrears_other_years, full_contribution_months, monthly_premiums_payable, tax_bank_name, tax_bank_account)
		SELECT d.region, '2022', d.uscc::text, d.insured_start, d.insured_end, d.insured_average, d.retirements_deaths,
		       d.layoffs, (d.layoffs * province.u(d.n, 61))::integer, d.premiums_payable, d.premiums_paid,
		       d.arrears_basis_year, d.arrears_other_years,
		       CASE WHEN province.u(d.n, 62) < 0.03 THEN 6 + (province.u(d.n, 63) * 6)::integer ELSE 12 END,
		       round(d.premiums_payable / 12, 2),
		       CASE WHEN province.u(d.n, 64) < 0.5 THEN '吉林银行' END,
		       CASE WHEN province.u(d.n, 64) < 0.5 THEN '62' || lpad(((province.u(d.n, 65) * 1e15)::bigint)::text, 17, '0') END
		  FROM province.declared d ORDER BY d.n;
		SET subsidy.today = '2022-04-15';
		SELECT subsidy.load_contributions(code, 2022) FROM subsidy.region r
		 WHERE r.is_pool AND EXISTS (SELECT FROM subsidy.contribution_staging s WHERE s.region = r.code);
		DROP SCHEMA province CASCADE;
		VACUUM ANALYZE;
	SQL
	COUNT[$size]=$(psql -X -At -d "$db" -c "SELECT count(*) FROM subsidy.contribution_record WHERE year = 2022")
	psql -X -q -d "$db" -c "SELECT (SELECT count(*) FROM subsidy.contribution_record WHERE year = 2022) AS units_2022,
	                               (SELECT count(*) FROM subsidy.application WHERE year = 2019) AS applications_2019,
	                               pg_size_pretty(pg_database_size(current_database())) AS size"

	say "checking that the contenders give what the floors computed ($size)"
	# (a) screen: the screened applications are the units whose floor verdict is screenable,
	# each with the agency's figures and the floor's verdict (the screening rolled back after)
	differ=$(psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" <<-SQL
		SET client_min_messages = warning;
		SET subsidy.today = '2022-05-09';
		$PREPARE_FLOOR_A;
		$FLOOR_A;
		BEGIN;
		$SCREEN \g /dev/null
		WITH expected AS (
		  SELECT f.uscc, f.verdict::text AS verdict FROM public.floor_a f, subsidy.assessment(f.verdict) x
		   WHERE x.outcome <> 'ineligible'
		     AND x.open_rules <@ ARRAY['E3', 'E4', 'E5', 'E6', 'E10', 'E13', 'A1', 'A2', 'A3', 'A7']
		     AND NOT (x.missing_facts && ARRAY['policy_year'])),
		screened AS (
		  SELECT a.uscc::text AS uscc, subsidy.verdict_of(a)::text AS verdict,
		         (a.region, a.insured_start, a.insured_end, a.insured_average, a.layoffs, a.retirements_deaths,
		          a.premiums_payable, a.premiums_paid, a.arrears_basis_year, a.arrears_other_years)
		         IS NOT DISTINCT FROM
		         (c.region, c.insured_start, c.insured_end, c.insured_average, c.layoffs, c.retirements_deaths,
		          c.premiums_payable, c.premiums_paid, c.arrears_basis_year, c.arrears_other_years)
		         AND (a.confirmed_insured_start, a.confirmed_insured_end, a.confirmed_insured_average,
		              a.confirmed_layoffs, a.confirmed_retirements_deaths, a.confirmed_premiums_payable,
		              a.confirmed_premiums_paid, a.confirmed_arrears_basis_year, a.confirmed_arrears_other_years,
		              a.confirmed_full_contribution_months, a.confirmed_new_claimants,
		              a.confirmed_monthly_premiums_payable)
		         IS NOT DISTINCT FROM
		         (c.insured_start, c.insured_end, c.insured_average, c.layoffs, c.retirements_deaths,
		          c.premiums_payable, c.premiums_paid, c.arrears_basis_year, c.arrears_other_years,
		          c.full_contribution_months, c.new_claimants, c.monthly_premiums_payable) AS figures_agree
		    FROM subsidy.application a
		    JOIN subsidy.contribution_record c ON c.year = a.year AND c.uscc OPERATOR(subsidy.=) a.uscc
		   WHERE a.year = 2022 AND a.stage = 'screened')
		SELECT count(*) || ' of ' || (SELECT count(*) FROM expected) || ' screenable, ' ||
		       (SELECT count(*) FROM public.floor_a) || ' units'
		  FROM expected e FULL JOIN screened s ON s.uscc = e.uscc
		 WHERE e.uscc IS NULL OR s.uscc IS NULL OR e.verdict <> s.verdict OR NOT s.figures_agree;
		ROLLBACK;
	SQL
	)
	psql -X -q -d "$db" -c "VACUUM subsidy.application, subsidy.audit_log" >/dev/null
	echo "  screen: $differ differ"
	case $differ in 0\ of\ 0\ *|[1-9]*) echo "screen does not give what the floor computed" >&2; exit 1 ;; esac
	# (b) assess_year: every application's stored verdict is its floor verdict, under the snapshot
	# of the parameters in force for its region
	differ=$(psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" <<-SQL
		SET client_min_messages = warning;
		$PREPARE_FLOOR_B;
		$FLOOR_B;
		$PREPARE_FIRST;
		$ASSESS;
		SELECT count(*) || ' of ' || (SELECT count(*) FROM public.floor_b)
		  FROM public.floor_b f
		  FULL JOIN subsidy.application_verdict v ON v.application_id = f.application_id
		  LEFT JOIN subsidy.application a ON a.id = v.application_id
		  LEFT JOIN subsidy.policy_snapshot s ON s.id = v.policy_snapshot_id
		  LEFT JOIN subsidy.policy_in_force p ON p.year = a.year AND p.region = a.region
		 WHERE f.application_id IS NULL OR v.application_id IS NULL OR f.verdict::text <> v.verdict::text
		    OR s.parameters IS DISTINCT FROM to_jsonb(p) OR v.assessed_at IS NULL;
	SQL
	)
	echo "  assess_year: $differ differ"
	case $differ in 0\ of\ 0|[1-9]*) echo "assess_year does not store what the floor computed" >&2; exit 1 ;; esac
	psql -X -q -d "$db" -c "VACUUM ANALYZE" -c "CHECKPOINT"

	say "timing ($size units, $ROUNDS rounds, order rotating)"
	: >"$WORK/times"
	# the floor of filing reads floor_a's verdicts (made untimed here, as floor_a makes them)
	psql -X -q -d "$db" -c "SET subsidy.today = '2022-05-09'" -c "$PREPARE_FLOOR_A" -c "$FLOOR_A" \
		-c "CREATE TABLE public.floor_a_kept AS SELECT * FROM public.floor_a" -c "ANALYZE public.floor_a_kept"
	FILING=${FILING//public.floor_a f/public.floor_a_kept f}
	contenders=(screen floor_a filing assess_first floor_b assess_again)
	for ((round = 0; round < ROUNDS; round++)); do
		for ((k = 0; k < ${#contenders[@]}; k++)); do
			name=${contenders[$(((round + k) % ${#contenders[@]}))]}
			case $name in
			screen) run_one "$db" screen "SELECT 1" "$SCREEN" rollback ;;
			filing) run_one "$db" filing "SELECT 1" "$FILING" rollback ;;
			floor_a) run_one "$db" floor_a "$PREPARE_FLOOR_A" "$FLOOR_A" ;;
			assess_first) run_one "$db" assess_first "$PREPARE_FIRST" "$ASSESS" ;;
			assess_again) run_one "$db" assess_again "SELECT 1" "$ASSESS" ;;
			floor_b) run_one "$db" floor_b "$PREPARE_FLOOR_B" "$FLOOR_B" ;;
			esac
		done
	done
	for name in "${contenders[@]}"; do
		read -r best median < <(awk -v n=$name '$1 == n { print $2 }' "$WORK/times" | sort -n |
			awk '{ t[NR] = $1 } END { print t[1], t[int((NR + 1) / 2)] }')
		BEST[$name,$size]=$best MEDIAN[$name,$size]=$median
		printf '  %-13s best %9s ms  median %9s ms\n' $name "$best" "$median"
	done
	psql -X -q -d postgres -c "DROP DATABASE $db"
done

say "results (ratios to the floor: best / median)"
printf '%-10s %-13s %10s %10s %10s %10s %12s\n' units contender best_ms median_ms "best/floor" "med/floor" "us/unit(med)"
for size in $SIZES; do
	for name in screen assess_first assess_again; do
		floor=floor_b
		[ $name = screen ] && floor=floor_a
		printf '%-10s %-13s %10s %10s %10s %10s %12s\n' "${COUNT[$size]}" $name "${BEST[$name,$size]}" "${MEDIAN[$name,$size]}" \
			"$(ratio "${BEST[$name,$size]}" "${BEST[$floor,$size]}")" "$(ratio "${MEDIAN[$name,$size]}" "${MEDIAN[$floor,$size]}")" \
			"$(ratio "$((${MEDIAN[$name,$size]} * 1000))" "${COUNT[$size]}")"
	done
	for name in floor_a floor_b; do
		printf '%-10s %-13s %10s %10s %10s %10s %12s\n' "${COUNT[$size]}" $name "${BEST[$name,$size]}" "${MEDIAN[$name,$size]}" \
			1.00 1.00 "$(ratio "$((${MEDIAN[$name,$size]} * 1000))" "${COUNT[$size]}")"
	done
	# the floor of filing against the floor of screen: what the target leaves for everything else
	printf '%-10s %-13s %10s %10s %10s %10s %12s\n' "${COUNT[$size]}" filing "${BEST[filing,$size]}" "${MEDIAN[filing,$size]}" \
		"$(ratio "${BEST[filing,$size]}" "${BEST[floor_a,$size]}")" "$(ratio "${MEDIAN[filing,$size]}" "${MEDIAN[floor_a,$size]}")" \
		"$(ratio "$((${MEDIAN[filing,$size]} * 1000))" "${COUNT[$size]}")"
done
set -- $SIZES
if [ $# -ge 2 ]; then
	small=$1 large=${!#}
	echo
	echo "growth from ${COUNT[$small]} to ${COUNT[$large]} units (linear is x$(ratio "${COUNT[$large]}" "${COUNT[$small]}"), medians):"
	for name in screen floor_a filing assess_first assess_again floor_b; do
		printf '  %-13s x%s\n' $name "$(ratio "${MEDIAN[$name,$large]}" "${MEDIAN[$name,$small]}")"
	done
fi
echo
echo "target: each contender <= 3 x its floor at 1,000,000 units; growth within 20 % of linear"
