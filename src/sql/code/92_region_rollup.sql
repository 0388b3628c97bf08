--
-- What a region's database offers a province that reads it from another database (issue 15):
-- two more views of the reports schema, in bounded types and under the caller's row-level
-- security like the others, so that the province's reader login (a member of subsidy_reader
-- mapped to the region's pools) reads them through postgres_fdw and nothing else.
--
--   annual_figures  R3's figures per region and year in a form that adds up: counts, sums,
--                   the longest wait, and the average wait with the count it is an average
--                   of, so that a province combines several databases' regions into exactly
--                   the report one database holding them all would give.
--   audit_heads     the last entry of each of the caller's regions' audit chains (S4): the
--                   province keeps them outside the region's database.
--
-- Each asks subsidy.report_access() first, as every object of the schema does.
--

-- R3's figures, per region and year, as subsidy.annual_report(year) computes them for a pool:
-- the same filters, the same rounding.
CREATE VIEW subsidy_report.annual_figures WITH (security_invoker = true) AS
WITH pool AS (
  SELECT a.region, a.year,
         pg_catalog.count(*)::integer AS applied,
         pg_catalog.count(*) FILTER (WHERE a.decision = 'approved')::integer AS approved,
         coalesce(pg_catalog.sum(a.confirmed_insured_end) FILTER (WHERE a.decision = 'approved'), 0)::integer AS employees,
         round(coalesce(pg_catalog.sum(a.decided_amount) FILTER (WHERE a.decision = 'approved'), 0), 2) AS amount,
         round(coalesce(pg_catalog.sum(a.decided_amount) FILTER (WHERE a.decision = 'approved' AND a.decided_rule = 'A1'), 0), 2) AS a1,
         round(coalesce(pg_catalog.sum(a.decided_amount) FILTER (WHERE a.decision = 'approved' AND a.decided_rule = 'A2'), 0), 2) AS a2,
         round(coalesce(pg_catalog.sum(a.decided_amount) FILTER (WHERE a.decision = 'approved' AND a.decided_rule = 'A3'), 0), 2) AS a3,
         round(coalesce(pg_catalog.sum(a.paid_amount), 0), 2) AS paid,
         pg_catalog.count(*) FILTER (WHERE a.decision = 'approved' AND a.decapacity)::integer AS decapacity,
         round(coalesce(pg_catalog.sum(a.decided_amount) FILTER (WHERE a.decision = 'approved' AND a.decapacity), 0), 2)
           AS decapacity_amount,
         pg_catalog.count(*) FILTER (WHERE a.decision = 'rejected' AND 'E5' = ANY (a.decided_reasons))::integer AS zombies,
         pg_catalog.count(*) FILTER (WHERE a.paid_on IS NOT NULL)::integer AS payments,
         pg_catalog.sum(a.paid_on - a.submitted_on) AS days_total,
         round(pg_catalog.avg(a.paid_on - a.submitted_on), 1) AS days_average,
         pg_catalog.max(a.paid_on - a.submitted_on) AS days_longest
    FROM subsidy.application a
   WHERE a.stage NOT IN ('draft', 'withdrawn')
   GROUP BY a.region, a.year
), checks AS (
  SELECT d.region, d.year, pg_catalog.count(DISTINCT i.application_id)::integer AS items,
         pg_catalog.count(DISTINCT i.application_id) FILTER (WHERE i.result = 'false_data')::integer AS false_data
    FROM subsidy.spot_check_draw d JOIN subsidy.spot_check_item i ON i.draw_id = d.id
   GROUP BY d.region, d.year
), objections AS (
  SELECT a.region, a.year, pg_catalog.count(*)::integer AS n
    FROM subsidy.objection o JOIN subsidy.application a ON a.id = o.application_id
   GROUP BY a.region, a.year
), sent AS (
  SELECT f.region, f.year, pg_catalog.min(f.frozen_on) AS frozen_on
    FROM subsidy.annual_report_frozen f
   GROUP BY f.region, f.year
)
SELECT p.region::varchar(6) AS region, r.name::varchar(50) AS region_name, p.year,
       (p.approved > 0)::integer AS regions_covered,
       p.applied AS enterprises_applied, p.approved AS enterprises_approved, p.employees AS employees_covered,
       p.amount::numeric(16,2) AS amount_total, p.a1::numeric(16,2) AS amount_a1, p.a2::numeric(16,2) AS amount_a2,
       p.a3::numeric(16,2) AS amount_a3, p.paid::numeric(16,2) AS amount_paid,
       p.decapacity AS decapacity_enterprises, p.decapacity_amount::numeric(16,2) AS decapacity_amount,
       p.zombies AS zombies_refused, coalesce(c.items, 0) AS spot_checks,
       coalesce(c.false_data, 0) AS spot_checks_false_data, coalesce(o.n, 0) AS objections,
       p.payments, p.days_total::bigint AS days_to_payment_total,
       p.days_average::numeric(8,1) AS days_to_payment_average, p.days_longest AS days_to_payment_longest,
       f.fund_balance::numeric(16,2) AS fund_balance, f.monthly_fund_expenditure::numeric(16,2) AS monthly_fund_expenditure,
       round(f.fund_balance / nullif(f.monthly_fund_expenditure, 0), 2)::numeric(8,2) AS fund_cover_months,
       pg_catalog.make_date(p.year + 1, 1, 15) AS report_due_on, s.frozen_on AS report_frozen_on
  FROM pool p
  JOIN subsidy.region r ON r.code = p.region
  LEFT JOIN checks c ON c.region = p.region AND c.year = p.year
  LEFT JOIN objections o ON o.region = p.region AND o.year = p.year
  LEFT JOIN subsidy.region_basis_year f ON f.region = p.region AND f.basis_year = p.year - 1
  LEFT JOIN sent s ON s.region = p.region AND s.year = p.year
 WHERE subsidy.report_access();
COMMENT ON VIEW subsidy_report.annual_figures IS
  'R3 年度实施情况报告 figures per pooling region and year, as annual_report(year) gives a pool''s row, with the number of payments and their days summed, so that a province reading several databases combines them exactly (the caller''s regions)';

-- S4: each chain's last entry, as subsidy.audit_heads() gives it, for the province to keep.
-- The reader may read these four columns of the log and no other (its figures name accounts).
CREATE VIEW subsidy_report.audit_heads WITH (security_invoker = true) AS
SELECT r.code::varchar(6) AS region, r.name::varchar(50) AS region_name, l.seq,
       pg_catalog.encode(l.hash, 'hex')::char(64) AS hash,
       pg_catalog.to_char(l.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')::varchar(32) AS logged_at
  FROM subsidy.region r
 CROSS JOIN LATERAL (SELECT x.seq, x.hash, x.at FROM subsidy.audit_log x
                      WHERE x.region = r.code ORDER BY x.seq DESC LIMIT 1) l
 WHERE subsidy.report_access();
COMMENT ON VIEW subsidy_report.audit_heads IS
  'S4 审计链链头: the last entry of each audit chain of the caller''s regions (region, position, hash, time), as subsidy.audit_heads() gives it; jsonb_agg of its rows is what verify_audit(heads) takes';

-- The labels of the two views become their columns' COMMENTs, as 91_report_schema.sql does
-- for the views before them.
DO $labels$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT l.object_name, l.column_name, l.heading, l.description
             FROM subsidy_report.column_labels l
            WHERE l.object_name OPERATOR(pg_catalog.=) ANY (ARRAY['annual_figures', 'audit_heads']) LOOP
    IF r.heading IS NULL OR r.description IS NULL THEN
      PERFORM subsidy.raise('report_column_unlabelled', r.object_name, r.column_name);
    END IF;
    EXECUTE pg_catalog.format('COMMENT ON COLUMN subsidy_report.%I.%I IS %L', r.object_name, r.column_name,
                              r.heading OPERATOR(pg_catalog.||) ' / ' OPERATOR(pg_catalog.||) r.description);
  END LOOP;
END
$labels$;

-- The province's reader login reads the heads through the view: of the log, the four columns
-- the view shows, in its regions (the log's row-level security); never the figures, which
-- name accounts, nor the details.
GRANT SELECT (region, seq, hash, at) ON subsidy.audit_log TO subsidy_reader;
