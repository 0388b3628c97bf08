-- papers: what the year produces on paper, in Chinese, ready to print as plain text or HTML,
-- rendered for the sample province of test report_schema (its database, dropped at the end):
-- the publicity announcement (R2, W5: 公示公告, its period, list and where to object), the
-- notices of the decision (W4: 不予补贴告知书 with every reason; 核准通知书), and the agency's
-- payment list for its bank (W7: 拨付清单, a CSV with its totals).  Each is checked by
-- content, and its totals against the reports' (subsidy_report); and each answers a clerk of
-- another region as it answers for one that does not exist (S1).
\set regression_db :DBNAME
\set su :USER
\c subsidy_reports
SET datestyle = 'ISO, YMD';
\set VERBOSITY default
\set SHOW_CONTEXT never
SET search_path = subsidy, public;
SET subsidy.today = '2019-07-01';

-- R2, W5: 长白山管委会's publicity announcement, as printed: the period in working days, the
-- enterprises in pinyin order with amounts in figures and capitals, their total, and where to
-- object, signed by the hrss office on the first day
SELECT publicity_announcement((SELECT DISTINCT publicity_id FROM subsidy_report.publicity_list WHERE region = '22X002'));
-- every publicity's announcement counts and totals what the publicity list (R2) does, in
-- figures and in capitals, and names the office, address and telephone where to object (its
-- text read across the lines it is wrapped into)
SELECT l.region, l.listed, l.total,
       (regexp_match(t.paper, '予以公示'))[1] IS NOT NULL
         AND (regexp_match(t.paper, '的(\d+)户企业名单'))[1]::integer = l.listed
         AND (regexp_match(t.paper, '合计  +(\d+)户'))[1]::integer = l.listed
         AND replace((regexp_match(t.paper, '合计  +\d+户 +([0-9,]+\.\d\d)'))[1], ',', '')::numeric = l.total
         AND strpos(t.paper, rmb_upper(l.total)) > 0 AS totals_agree,
       strpos(t.paper, o.hrss_office) > 0 AND strpos(t.paper, o.objection_address) > 0
         AND strpos(t.paper, o.objection_phone) > 0 AS where_to_object,
       strpos(t.paper, format('公示期：%s至%s（7个工作日）', chinese_date(p.starts_on), chinese_date(p.ends_on))) > 0 AS period
  FROM (SELECT publicity_id, region, count(*) AS listed, sum(amount) AS total
          FROM subsidy_report.publicity_list GROUP BY publicity_id, region) l
  JOIN publicity p ON p.id = l.publicity_id
  JOIN region_office o ON o.region = l.region
 CROSS JOIN LATERAL (SELECT replace(publicity_announcement(l.publicity_id), E'\n', '') AS paper) t
 ORDER BY l.region;
-- the same announcement as an HTML page: a document of its own, the list a table with its
-- totals row apart (tfoot), every text escaped
SELECT left(h, 15) AS starts, right(h, 15) AS ends, (length(h) - length(replace(h, '<tr>', ''))) / 4 AS table_rows,
       strpos(h, '<tfoot><tr><td>合计</td><td>4户</td><td></td><td></td><td class="r">196,303.07</td>') > 0 AS totals_row,
       strpos(h, '<meta charset="utf-8">') > 0 AS utf8
  FROM (SELECT publicity_announcement((SELECT DISTINCT publicity_id FROM subsidy_report.publicity_list WHERE region = '22X002'),
                                      'html') AS h) x;

-- W4: a notice of rejection gives every reason of the decision, a line each with its legal
-- source: the rule the engine found failed (E2, with the rate and the threshold it used)...
SELECT rejection_notice((SELECT min(application_id) FROM subsidy_report.applications
                          WHERE region = '220100' AND decision = 'rejected' AND reasons LIKE 'E2 %'));
-- ... and a party's failed sign-off (W3) beside the rule it failed
SELECT rejection_notice((SELECT min(a.id) FROM application a
                          WHERE a.decision = 'rejected' AND array_to_string(a.decided_reasons, ' ') ~ '(^| )W3 '));
-- every rejection's notice names each rule its decision failed, with the source, and how to
-- object and appeal; 白城's (E7, the fund) as much as any other
SELECT a.region, count(*) AS notices,
       count(*) FILTER (WHERE (SELECT bool_and(strpos(n.paper, '. ' || r.id || ' ') > 0)
                                 FROM unnest(a.decided_reasons) r(id) WHERE r.id ~ '^[EW][0-9]+$')) AS every_rule_named,
       count(*) FILTER (WHERE n.paper ~ '六十日内依法申请行政复议' AND strpos(n.paper, o.objection_phone) > 0) AS how_to_object,
       count(*) FILTER (WHERE strpos(n.paper, e.name) > 0 AND strpos(n.paper, a.uscc::text) > 0) AS addressed
  FROM application a
  JOIN enterprise e ON e.uscc OPERATOR(subsidy.=) a.uscc
  JOIN region_office o ON o.region = a.region
 CROSS JOIN LATERAL (SELECT replace(rejection_notice(a.id), E'\n', '') AS paper) n
 WHERE a.decision = 'rejected'
 GROUP BY a.region ORDER BY a.region;
SELECT strpos(replace(rejection_notice(a.id), E'\n', ''), 'E7 不符合：统筹地区基金结余可支付 11.80 个月，不足 12 个月') > 0 AS white_city_told_why
  FROM application a WHERE a.region = '220800' ORDER BY a.id LIMIT 1;

-- A notice of approval: the amount in figures and capitals, how it was computed (as decided),
-- the publicity, and the account it is paid into by its last four digits only
SELECT approval_notice((SELECT min(application_id) FROM subsidy_report.applications WHERE region = '22X002'));
SELECT count(*) AS notices,
       count(*) FILTER (WHERE strpos(n.paper, to_char(a.decided_amount, 'FM999,999,999,990.00') || '元（'
                                               || rmb_upper(a.decided_amount) || '）') > 0) AS amount_in_figures_and_capitals,
       count(*) FILTER (WHERE strpos(n.paper, '账号尾号：' || right(a.payment_bank_account, 4)) > 0) AS last_four_digits,
       count(*) FILTER (WHERE strpos(n.paper, a.payment_bank_account) > 0) AS whole_account_shown
  FROM application a CROSS JOIN LATERAL (SELECT replace(approval_notice(a.id), E'\n', '') AS paper) n
 WHERE a.decision = 'approved';
SELECT strpos(approval_notice(a.id, 'html'), '<h1>失业保险稳岗补贴核准通知书</h1>') > 0 AS html
  FROM application a WHERE a.decision = 'approved' ORDER BY a.id LIMIT 1;

-- W7: the payment list of 长白山管委会 for its bank: a CSV (RFC 4180, CRLF) of the cleared
-- applications, into the accounts recorded at the decision, and a last record with the count
-- and the total for the bank's check
SET subsidy.today = '2019-07-15';
SELECT replace(payment_instruction('22X002', 2019), E'\r\n', E'\n') AS csv;
-- for every region that has payments to make, the list's records and total are the reports':
-- the applications cleared and not paid (R1), to the fen; each record has its seven fields
SELECT a.region, a.cleared, a.amount,
       c.records - 2 = a.cleared AS records_agree,
       c.details = a.amount AS details_agree,
       c.trailer_count = a.cleared AND c.trailer_amount = a.amount AS trailer_agrees,
       c.seven_fields, c.crlf
  FROM (SELECT region, count(*) AS cleared, sum(amount) AS amount
          FROM subsidy_report.applications WHERE stage = 'cleared' GROUP BY region) a
 CROSS JOIN LATERAL (SELECT payment_instruction(a.region, 2019) AS csv) p
 CROSS JOIN LATERAL (
   SELECT count(*) AS records,
          sum(split_part(r, ',', 5)::numeric) FILTER (WHERE r ~ '^\d+,') AS details,
          max(split_part(r, ',', 2)) FILTER (WHERE r ~ '^合计,')::integer AS trailer_count,
          max(split_part(r, ',', 5)) FILTER (WHERE r ~ '^合计,')::numeric AS trailer_amount,
          bool_and(array_length(string_to_array(r, ','), 1) = 7) AS seven_fields,
          (length(p.csv) - length(replace(p.csv, E'\r\n', ''))) / 2 = count(*) AS crlf
     FROM regexp_split_to_table(rtrim(p.csv, E'\r\n'), E'\r\n') AS r) c
 ORDER BY a.region;
-- the same list to sign, with its total in capitals
SELECT payment_instruction('22X002', 2019, 'text');
-- an enterprise whose bank details changed after the decision is left out, with a warning,
-- until the agency re-checks its account (W7); the list's total is then the rest's
UPDATE enterprise SET bank_account = '6200999900000000001'
 WHERE uscc = (SELECT uscc FROM subsidy_report.applications WHERE region = '22X002' ORDER BY enterprise LIMIT 1)::subsidy.uscc;
SELECT split_part(split_part(replace(payment_instruction('22X002', 2019), E'\r\n', E'\n'), E'合计,', 2), E'\n', 1) AS trailer;
UPDATE enterprise e SET bank_account = a.payment_bank_account
  FROM application a WHERE a.uscc OPERATOR(subsidy.=) e.uscc AND e.bank_account = '6200999900000000001';

-- What cannot be rendered says why
SELECT publicity_announcement(1, 'pdf');
SELECT payment_instruction('22X002', 2019, 'xls');
SELECT rejection_notice((SELECT min(id) FROM application WHERE decision = 'approved'));
SELECT approval_notice((SELECT min(id) FROM application WHERE decision = 'rejected'));
SELECT payment_instruction('220800', 2019);
SELECT publicity_announcement(999999);
SELECT approval_notice(999999);
BEGIN;
DELETE FROM region_office WHERE region = '22X001';
SELECT approval_notice((SELECT min(id) FROM application WHERE region = '22X001' AND decision = 'approved'));
ROLLBACK;

-- Who renders what (S1, S2): hrss of 长春 its notices, and none of 吉林市's, which it is told
-- of as of an application that does not exist; the agency of 长春 its own payment list only; a
-- reader the publicity announcement, never a notice or a payment list
INSERT INTO staff_region (staff, region) VALUES ('regress_rs_cc_agency', '220100'), ('regress_rs_applicant', '220100')
ON CONFLICT DO NOTHING;
SELECT min(id) FILTER (WHERE region = '220100') AS cc_app, min(id) FILTER (WHERE region = '220200') AS jl_app
  FROM application WHERE decision = 'approved' \gset
SET ROLE regress_rs_cc_hrss;
SELECT length(approval_notice(:cc_app)) > 0 AS own_notice;
SELECT approval_notice(:jl_app);
SELECT approval_notice(999999);
SELECT count(*) AS publicities, min(split_part(ltrim(publicity_announcement(id)), E'\n', 1)) AS title FROM publicity;
SELECT payment_instruction('220100', 2019);
RESET ROLE;
SET ROLE regress_rs_cc_agency;
SELECT split_part(payment_instruction('220100', 2019), E'\r\n', 1) AS header;
SELECT payment_instruction('220200', 2019);
SELECT payment_instruction('229999', 2019);
RESET ROLE;
SET ROLE regress_rs_cc_reader;
SELECT length(publicity_announcement((SELECT DISTINCT publicity_id FROM subsidy_report.publicity_list))) > 0 AS announcement;
SELECT rejection_notice(:cc_app);
SELECT payment_instruction('220100', 2019);
RESET ROLE;
SET ROLE regress_rs_applicant;
SELECT length(approval_notice(:cc_app)) > 0 AS delivered_to_the_enterprise;
RESET ROLE;

-- The papers' own tools: Chinese characters take two columns in print, HTML is escaped,
-- a CSV field is quoted where it must be
SELECT display_width('长春ab１２') AS width, html_escape('<b class="x">A&B''s</b>') AS html,
       replace(replace(csv_record('a,b', 'say "hi"', E'two\nlines', NULL, '合计'), E'\r', '<CR>'), E'\n', '<LF>') AS csv;

\c :regression_db
SET client_min_messages = warning;
DROP DATABASE subsidy_reports;
DROP ROLE regress_rs_cc_hrss, regress_rs_cc_reader, regress_rs_jl_reader, regress_rs_lost_reader, regress_rs_nobody,
  regress_rs_cc_agency, regress_rs_jl_hrss, regress_rs_applicant;
RESET client_min_messages;
