--
-- The papers the year produces (R2, W4, W7), ready to print, in Chinese: the publicity
-- announcement (公示公告: the period, the list, where to object), the notices of the decision
-- to the enterprise (不予补贴告知书 with its reasons, 核准通知书), and the agency's payment
-- list for its bank (拨付清单: a CSV the bank imports, with its totals, and the same list to
-- sign).  Each paper is built as a list of blocks (title, lines, paragraphs, a table, the
-- signature) and rendered by one function as plain text or as an HTML page; its figures come
-- from the reports (subsidy_report), so that what is printed is what the reports say.
--

-- How many columns a text takes on a terminal or a printed page: Chinese (East Asian wide and
-- full-width) characters take two.
CREATE FUNCTION subsidy.display_width(s text) RETURNS integer
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT pg_catalog.char_length(s) OPERATOR(pg_catalog.+) pg_catalog.char_length(pg_catalog.regexp_replace(s,
    '[^\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]',
    '', 'g'))
$$;
COMMENT ON FUNCTION subsidy.display_width(text) IS
  'the columns a text takes when printed in a fixed-width font: two for each Chinese (East Asian wide or full-width) character, one for any other';

CREATE FUNCTION subsidy.html_escape(s text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(s,
           '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'), '''', '&#39;')
$$;
COMMENT ON FUNCTION subsidy.html_escape(text) IS 'a text as HTML shows it literally: & < > " and '' escaped';

-- One record of a CSV file (RFC 4180): fields joined by commas, a field quoted where it holds a
-- comma, a quote or a line break (its quotes doubled), the record ended by CRLF.
CREATE FUNCTION subsidy.csv_record(VARIADIC fields text[]) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT pg_catalog.string_agg(CASE WHEN f.v OPERATOR(pg_catalog.~) '[",\r\n]'
                                    THEN '"' OPERATOR(pg_catalog.||) pg_catalog.replace(f.v, '"', '""') OPERATOR(pg_catalog.||) '"'
                                    ELSE coalesce(f.v, '') END, ',' ORDER BY f.n) OPERATOR(pg_catalog.||) E'\r\n'
    FROM pg_catalog.unnest(fields) WITH ORDINALITY AS f(v, n)
$$;
COMMENT ON FUNCTION subsidy.csv_record(text[]) IS
  'one CSV record (RFC 4180): the fields joined by commas, quoted where they need it, ended by CRLF';

-- A paper, as a JSON array of blocks, rendered as plain text (72 columns, wider where a table
-- needs it; paragraphs wrapped, Chinese-style, with a two-character indent) or as an HTML page
-- for a browser to print (A4).  Blocks:
--   {"title": text}          centred heading
--   {"line": text}           a line, flush left
--   {"right": text}          a line, flush right
--   {"p": text}              a paragraph, indented
--   {"table": {"header": [..], "align": "lr..", "rows": [[..], ..], "foot": [..]}}
--                            a table; align has l or r per column; foot is a totals row
--   {"sign": [text, ..]}     the signature: lines flush right
CREATE FUNCTION subsidy.render_paper(p_format text, p_paper jsonb) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  page integer := 72;
  out text[] := '{}';
  b jsonb;
  t jsonb;
  cells jsonb;
  rec record;
  widths integer[];
  align text;
  n integer;
  w integer;
  line text;
  lw integer;
  tok text;
  tw integer;
  cell text;
  body text;
BEGIN
  IF p_format NOT IN ('text', 'html') THEN
    PERFORM subsidy.raise('paper_format', 'text, html', p_format);
  END IF;
  -- the page is as wide as its widest table
  FOR b IN SELECT x FROM jsonb_array_elements(p_paper) x WHERE x ? 'table' LOOP
    t := b -> 'table';
    n := jsonb_array_length(t -> 'header');
    widths := array_fill(0, ARRAY[n]);
    FOR cells IN SELECT t -> 'header' UNION ALL SELECT r FROM jsonb_array_elements(t -> 'rows') r
                 UNION ALL SELECT t -> 'foot' WHERE t ? 'foot' LOOP
      FOR i IN 1..n LOOP
        widths[i] := greatest(widths[i], subsidy.display_width(coalesce(cells ->> (i - 1), '')));
      END LOOP;
    END LOOP;
    page := greatest(page, (SELECT sum(x) FROM unnest(widths) x)::integer + 2 * (n - 1));
  END LOOP;

  IF p_format = 'html' THEN
    FOR b IN SELECT x FROM jsonb_array_elements(p_paper) x LOOP
      IF b ? 'title' THEN
        out := out || format('<h1>%s</h1>', subsidy.html_escape(b ->> 'title'));
      ELSIF b ? 'line' THEN
        out := out || format('<p class="line">%s</p>', subsidy.html_escape(b ->> 'line'));
      ELSIF b ? 'right' THEN
        out := out || format('<p class="right">%s</p>', subsidy.html_escape(b ->> 'right'));
      ELSIF b ? 'p' THEN
        out := out || format('<p>%s</p>', subsidy.html_escape(b ->> 'p'));
      ELSIF b ? 'table' THEN
        t := b -> 'table';
        align := t ->> 'align';
        out := out || ('<table>'
          || (SELECT '<thead><tr>' || string_agg(format('<th>%s</th>', subsidy.html_escape(h)), '' ORDER BY k) || '</tr></thead>'
                FROM jsonb_array_elements_text(t -> 'header') WITH ORDINALITY AS x(h, k))
          || '<tbody>' || coalesce((SELECT string_agg('<tr>' || (SELECT string_agg(format('<td%s>%s</td>',
                                       CASE WHEN substr(align, k::integer, 1) = 'r' THEN ' class="r"' ELSE '' END,
                                       subsidy.html_escape(coalesce(c, ''))), '' ORDER BY k)
                                             FROM jsonb_array_elements_text(r) WITH ORDINALITY AS y(c, k)) || '</tr>', E'\n' ORDER BY rn)
                                      FROM jsonb_array_elements(t -> 'rows') WITH ORDINALITY AS x(r, rn)), '') || '</tbody>'
          || coalesce((SELECT '<tfoot><tr>' || string_agg(format('<td%s>%s</td>',
                                 CASE WHEN substr(align, k::integer, 1) = 'r' THEN ' class="r"' ELSE '' END,
                                 subsidy.html_escape(coalesce(c, ''))), '' ORDER BY k) || '</tr></tfoot>'
                         FROM jsonb_array_elements_text(t -> 'foot') WITH ORDINALITY AS x(c, k)), '')
          || '</table>');
      ELSIF b ? 'sign' THEN
        out := out || ('<div class="sign">' || (SELECT string_agg(format('<p>%s</p>', subsidy.html_escape(s)), '' ORDER BY k)
                                                  FROM jsonb_array_elements_text(b -> 'sign') WITH ORDINALITY AS x(s, k))
                       || '</div>');
      END IF;
    END LOOP;
    RETURN '<!DOCTYPE html>' || E'\n' || '<html lang="zh-CN"><head><meta charset="utf-8">'
      || format('<title>%s</title>', subsidy.html_escape(coalesce((SELECT x ->> 'title' FROM jsonb_array_elements(p_paper) x
                                                                      WHERE x ? 'title' LIMIT 1), '')))
      || '<style>@page { size: A4; margin: 2cm } body { font-family: "SimSun", "Songti SC", "Noto Serif CJK SC", serif; font-size: 12pt; line-height: 1.6 } '
      || 'h1 { text-align: center; font-size: 18pt } p { text-indent: 2em; margin: 0.3em 0 } p.line, p.right, .sign p { text-indent: 0 } '
      || 'p.right, .sign { text-align: right } .sign { margin-top: 2em } table { border-collapse: collapse; width: 100%; margin: 1em 0; font-size: 10.5pt } '
      || 'th, td { border: 1px solid #000; padding: 2px 6px } td.r { text-align: right } tfoot td { font-weight: bold } '
      || 'thead { display: table-header-group }</style></head>' || E'\n'
      || '<body>' || E'\n' || array_to_string(out, E'\n') || E'\n' || '</body></html>' || E'\n';
  END IF;

  FOR b IN SELECT x FROM jsonb_array_elements(p_paper) x LOOP
    IF array_length(out, 1) > 0 THEN
      out := out || ''::text;
    END IF;
    IF b ? 'title' THEN
      out := out || (repeat(' ', greatest(0, (page - subsidy.display_width(b ->> 'title')) / 2)) || (b ->> 'title'));
    ELSIF b ? 'right' THEN
      out := out || (repeat(' ', greatest(0, page - subsidy.display_width(b ->> 'right'))) || (b ->> 'right'));
    ELSIF b ? 'line' OR b ? 'p' THEN
      -- wrapped at the page: a run of letters and digits is not cut, a closing punctuation mark
      -- stays on its line and an opening one goes with what it opens
      line := CASE WHEN b ? 'p' THEN '　　' ELSE '' END;
      lw := subsidy.display_width(line);
      FOR tok IN SELECT m[1] FROM regexp_matches(coalesce(b ->> 'p', b ->> 'line'), '([!-~]+|\s|.)', 'g') AS m LOOP
        tw := subsidy.display_width(tok);
        IF lw + tw > page AND lw > 0 AND tok !~ '^[，。、；：？！）》」』〕”’,.;:!?)\s]$' THEN
          cell := CASE WHEN line ~ '[（《「『〔“‘(]$' THEN right(line, 1) ELSE '' END;
          out := out || rtrim(left(line, char_length(line) - char_length(cell)));
          line := cell;
          lw := subsidy.display_width(cell);
        END IF;
        line := line || tok;
        lw := lw + tw;
      END LOOP;
      out := out || rtrim(line);
    ELSIF b ? 'table' THEN
      t := b -> 'table';
      align := t ->> 'align';
      n := jsonb_array_length(t -> 'header');
      widths := array_fill(0, ARRAY[n]);
      FOR cells IN SELECT t -> 'header' UNION ALL SELECT r FROM jsonb_array_elements(t -> 'rows') r
                   UNION ALL SELECT t -> 'foot' WHERE t ? 'foot' LOOP
        FOR i IN 1..n LOOP
          widths[i] := greatest(widths[i], subsidy.display_width(coalesce(cells ->> (i - 1), '')));
        END LOOP;
      END LOOP;
      w := (SELECT sum(x) FROM unnest(widths) x)::integer + 2 * (n - 1);
      FOR rec IN SELECT t -> 'header' AS c, 0 AS k
                 UNION ALL SELECT r, rn FROM jsonb_array_elements(t -> 'rows') WITH ORDINALITY AS x(r, rn)
                 UNION ALL SELECT t -> 'foot', 2147483647 WHERE t ? 'foot'
                 ORDER BY 2 LOOP
        IF rec.k = 2147483647 THEN
          out := out || repeat('-', w);
        END IF;
        line := '';
        FOR i IN 1..n LOOP
          cell := coalesce(rec.c ->> (i - 1), '');
          tw := widths[i] - subsidy.display_width(cell);
          line := line || CASE WHEN i > 1 THEN '  ' ELSE '' END
                       || CASE WHEN substr(align, i, 1) = 'r' THEN repeat(' ', tw) || cell ELSE cell || repeat(' ', tw) END;
        END LOOP;
        out := out || rtrim(line);
        IF rec.k = 0 THEN
          out := out || repeat('-', w);
        END IF;
      END LOOP;
    ELSIF b ? 'sign' THEN
      FOR cell IN SELECT s FROM jsonb_array_elements_text(b -> 'sign') WITH ORDINALITY AS x(s, k) ORDER BY k LOOP
        out := out || (repeat(' ', greatest(0, page - subsidy.display_width(cell))) || cell);
      END LOOP;
    END IF;
  END LOOP;
  RETURN array_to_string(out, E'\n') || E'\n';
END
$$;
COMMENT ON FUNCTION subsidy.render_paper(text, jsonb) IS
  'a paper (a JSON array of blocks: title, line, right, p, table, sign) as plain text ready to print (72 columns, or a table''s width; Chinese paragraphs wrapped and indented) or as an HTML page (A4)';

-- A date as Chinese papers write it: 2019年7月1日.
CREATE FUNCTION subsidy.chinese_date(d date) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT pg_catalog.to_char(d, 'YYYY"年"FMMM"月"FMDD"日"')
$$;
COMMENT ON FUNCTION subsidy.chinese_date(date) IS 'a date as Chinese papers write it: 2019年7月1日';

-- The offices a region's papers name, or the error that says they are missing.
CREATE FUNCTION subsidy.office_of(p_region text) RETURNS subsidy.region_office
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  o subsidy.region_office;
BEGIN
  SELECT * INTO o FROM subsidy.region_office WHERE region = p_region;
  IF NOT FOUND THEN
    PERFORM subsidy.raise('no_region_office', p_region, p_region);
  END IF;
  RETURN o;
END
$$;
COMMENT ON FUNCTION subsidy.office_of(text) IS
  'the offices a pooling region''s papers name (subsidy.region_office), or an error that says they are missing';

-- R2, W5: the publicity announcement (公示公告) of one publicity: the period, the list with
-- amounts in figures and capitals and their total, and where and how to object.
CREATE FUNCTION subsidy.publicity_announcement(p_publicity bigint, p_format text DEFAULT 'text') RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  p record;
  o subsidy.region_office;
  source text;
  rows jsonb;
  n integer;
  total numeric;
BEGIN
  IF p_format IS DISTINCT FROM 'text' AND p_format IS DISTINCT FROM 'html' THEN
    PERFORM subsidy.raise('paper_format', 'text, html', coalesce(p_format, ''));
  END IF;
  SELECT pb.id, pb.region, pb.year, pb.starts_on, pb.ends_on, pb.workdays, r.name AS region_name INTO p
    FROM subsidy.publicity pb JOIN subsidy.region r ON r.code = pb.region
   WHERE pb.id = p_publicity;
  IF NOT FOUND THEN
    PERFORM subsidy.raise('no_publicity', coalesce(p_publicity::text, ''));
  END IF;
  o := subsidy.office_of(p.region);
  SELECT replace(f.legal_source, '；', '、') INTO source
    FROM subsidy.policy_in_force f WHERE f.year = p.year AND f.region = p.region;
  SELECT coalesce(jsonb_agg(jsonb_build_array(l.row_number::text, l.enterprise, l.uscc, l.category_name,
                                              to_char(l.amount, 'FM999,999,999,990.00'), l.amount_in_capitals)
                            ORDER BY l.row_number), '[]'),
         count(*), coalesce(sum(l.amount), 0)
    INTO rows, n, total
    FROM subsidy_report.publicity_list l WHERE l.publicity_id = p_publicity;
  RETURN subsidy.render_paper(p_format, jsonb_build_array(
    jsonb_build_object('title', format('%s%s年度失业保险稳岗补贴拟享受企业名单公示', p.region_name, p.year)),
    jsonb_build_object('p', format('根据%s文件规定，经企业申报，%s会同同级财政部门和社会保险经办机构联合审核，'
                                   '现将%s%s年度拟享受失业保险稳岗补贴的%s户企业名单及补贴金额予以公示（见下表），接受社会监督。',
                                   coalesce(source, '有关'), o.hrss_office, p.region_name, p.year, n)),
    jsonb_build_object('p', format('公示期：%s至%s（%s个工作日）。', subsidy.chinese_date(p.starts_on),
                                   subsidy.chinese_date(p.ends_on), p.workdays)),
    jsonb_build_object('p', format('公示期间，任何单位和个人对名单有异议的，可以书面形式向%s反映，并写明真实姓名和联系方式。'
                                   '受理地址：%s；联系电话：%s。公示期满无异议的，由%s按规定拨付补贴资金。',
                                   o.hrss_office, o.objection_address, o.objection_phone, o.agency_office)),
    jsonb_build_object('table', jsonb_build_object(
      'header', jsonb_build_array('序号', '单位名称', '统一社会信用代码', '补贴类别', '补贴金额（元）', '金额大写'),
      'align', 'llllrl',
      'rows', rows,
      'foot', jsonb_build_array('合计', format('%s户', n), '', '', to_char(total, 'FM999,999,999,990.00'),
                                subsidy.rmb_upper(total)))),
    jsonb_build_object('sign', jsonb_build_array(o.hrss_office, subsidy.chinese_date(p.starts_on)))));
END
$$;
COMMENT ON FUNCTION subsidy.publicity_announcement(bigint, text) IS
  'R2, W5 公示公告: the announcement of one publicity, ready to print (format text or html): its period in working days, the enterprises in pinyin order with amounts in figures and capitals and their total (as subsidy_report.publicity_list), and where to object';

-- W4: the reasons of a rejection, one line each with its legal source: the engine's words for
-- each rule it failed, a correction not made in time (W2), and the failed sign-offs' comments.
CREATE FUNCTION subsidy.rejection_reasons(a subsidy.application) RETURNS text[]
LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  WITH explained AS (
    SELECT x.line, x.n FROM regexp_split_to_table(subsidy.explain(a), E'\n') WITH ORDINALITY AS x(line, n)
  ), failed AS (
    SELECT r.id, r.k FROM unnest(a.decided_reasons) WITH ORDINALITY AS r(id, k) WHERE r.id ~ '^[A-Z][0-9]+$'
  )
  SELECT array_agg(reason ORDER BY k, n) FROM (
    SELECT f.k, coalesce(e.n, 0) AS n,
           CASE WHEN f.id = 'W2' THEN
                  format('W2 经告知补正，未在%s前补正：%s（%s）', subsidy.chinese_date(a.correction_due),
                         array_to_string(a.correction_items, '；'), (SELECT u.source FROM subsidy.rule u WHERE u.id = 'W2'))
                WHEN e.line IS NOT NULL THEN e.line
                ELSE (SELECT format('%s 不符合：%s（%s）', u.id, u.title_zh, u.source) FROM subsidy.rule u WHERE u.id = f.id)
           END AS reason
      FROM failed f
      LEFT JOIN explained e ON f.id <> 'W2' AND e.line LIKE f.id || ' %' AND e.line NOT LIKE f.id || ' 符合：%'
                           AND e.line NOT LIKE f.id || ' 待定：%'
    UNION ALL
    SELECT 2147483647, e.n, e.line FROM explained e WHERE e.line LIKE 'W3 %'
  ) s
$$;
COMMENT ON FUNCTION subsidy.rejection_reasons(subsidy.application) IS
  'W4: a rejected application''s reasons, a line each with its legal source: the rules failed (as explain() words them, on the decision''s facts), a correction not made in time (W2), and the failed sign-offs'' comments (W3)';

-- W4: the notice of rejection (不予补贴告知书) to the enterprise: what it applied for, that it is
-- refused, every reason with its source, and how to object or appeal.
CREATE FUNCTION subsidy.rejection_notice(p_application bigint, p_format text DEFAULT 'text') RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  a subsidy.application;
  enterprise text;
  o subsidy.region_office;
  paper jsonb;
  reasons text[];
BEGIN
  IF p_format IS DISTINCT FROM 'text' AND p_format IS DISTINCT FROM 'html' THEN
    PERFORM subsidy.raise('paper_format', 'text, html', coalesce(p_format, ''));
  END IF;
  SELECT x.* INTO a FROM subsidy.application x WHERE x.id = p_application;
  IF NOT FOUND THEN
    PERFORM subsidy.raise('no_application', coalesce(p_application::text, ''));
  END IF;
  IF a.decision IS NULL THEN
    PERFORM subsidy.raise('notice_undecided', a.id::text, a.stage::text);
  ELSIF a.decision = 'approved' THEN
    PERFORM subsidy.raise('notice_not_rejected', a.id::text, a.id::text);
  END IF;
  SELECT e.name INTO enterprise FROM subsidy.enterprise e WHERE e.uscc OPERATOR(subsidy.=) a.uscc;
  o := subsidy.office_of(a.region);
  reasons := subsidy.rejection_reasons(a);
  paper := jsonb_build_array(
    jsonb_build_object('title', '失业保险稳岗补贴不予补贴告知书'),
    jsonb_build_object('right', format('申请编号：%s', a.id)),
    jsonb_build_object('line', format('%s（统一社会信用代码：%s）：', enterprise, a.uscc::text)),
    jsonb_build_object('p', format('你单位于%s申报的%s年度失业保险稳岗补贴，经%s会同同级财政部门和社会保险经办机构联合审核，'
                                   '不符合享受稳岗补贴的条件，决定不予补贴。理由如下：',
                                   subsidy.chinese_date(a.submitted_on), a.year, o.hrss_office)));
  FOR i IN 1..coalesce(array_length(reasons, 1), 0) LOOP
    paper := paper || jsonb_build_array(jsonb_build_object('p', format('%s. %s', i, reasons[i])));
  END LOOP;
  paper := paper || jsonb_build_array(
    jsonb_build_object('p', format('如对本决定有异议，可以自收到本告知书之日起向%s书面提出（受理地址：%s；联系电话：%s），'
                                   '经重新审核后另行告知；也可以自收到本告知书之日起六十日内依法申请行政复议，'
                                   '或者六个月内依法提起行政诉讼。',
                                   o.hrss_office, o.objection_address, o.objection_phone)),
    jsonb_build_object('p', '特此告知。'),
    jsonb_build_object('sign', jsonb_build_array(o.hrss_office, subsidy.chinese_date(a.decided_on))));
  RETURN subsidy.render_paper(p_format, paper);
END
$$;
COMMENT ON FUNCTION subsidy.rejection_notice(bigint, text) IS
  'W4 不予补贴告知书: the notice of a rejection to its enterprise, ready to print (format text or html): the application, the decision, every reason with its legal source (rejection_reasons), where to object and the time limits to appeal';

-- The notice of approval (核准通知书): the amount in figures and capitals, how it was computed,
-- the publicity and the account it will be paid into (its last four digits), and what the
-- subsidy may be spent on.
CREATE FUNCTION subsidy.approval_notice(p_application bigint, p_format text DEFAULT 'text') RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  a subsidy.application;
  enterprise text;
  o subsidy.region_office;
  pb subsidy.publicity;
  workdays integer;
  money constant text := 'FM999,999,999,990.00';
BEGIN
  IF p_format IS DISTINCT FROM 'text' AND p_format IS DISTINCT FROM 'html' THEN
    PERFORM subsidy.raise('paper_format', 'text, html', coalesce(p_format, ''));
  END IF;
  SELECT x.* INTO a FROM subsidy.application x WHERE x.id = p_application;
  IF NOT FOUND THEN
    PERFORM subsidy.raise('no_application', coalesce(p_application::text, ''));
  END IF;
  IF a.decision IS NULL THEN
    PERFORM subsidy.raise('notice_undecided', a.id::text, a.stage::text);
  ELSIF a.decision = 'rejected' THEN
    PERFORM subsidy.raise('notice_not_approved', a.id::text, a.id::text);
  END IF;
  SELECT e.name INTO enterprise FROM subsidy.enterprise e WHERE e.uscc OPERATOR(subsidy.=) a.uscc;
  o := subsidy.office_of(a.region);
  SELECT x.* INTO pb FROM subsidy.publicity x WHERE x.id = a.publicity_id;
  SELECT f.publicity_workdays INTO workdays FROM subsidy.policy_in_force f WHERE f.year = a.year AND f.region = a.region;
  RETURN subsidy.render_paper(p_format, jsonb_build_array(
    jsonb_build_object('title', '失业保险稳岗补贴核准通知书'),
    jsonb_build_object('right', format('申请编号：%s', a.id)),
    jsonb_build_object('line', format('%s（统一社会信用代码：%s）：', enterprise, a.uscc::text)),
    jsonb_build_object('p', format('你单位于%s申报的%s年度失业保险稳岗补贴，经%s会同同级财政部门和社会保险经办机构联合审核，'
                                   '符合享受稳岗补贴的条件，核定补贴金额为人民币%s元（%s）。',
                                   subsidy.chinese_date(a.submitted_on), a.year, o.hrss_office,
                                   to_char(a.decided_amount, money), subsidy.rmb_upper(a.decided_amount))),
    jsonb_build_object('p', format('核定依据：按%s（%s），以上年度%s失业保险费%s元为基数，补贴比例%s%%，计算结果按规定四舍五入（%s）。',
                                   a.decided_rule, subsidy.category_name(a.decided_rule),
                                   CASE a.decided_basis WHEN 'paid' THEN '实缴' ELSE '应缴' END,
                                   to_char(a.decided_basis_amount, money), trim_scale(a.decided_rate * 100),
                                   (SELECT u.source FROM subsidy.rule u WHERE u.id = a.decided_rule))),
    jsonb_build_object('p', CASE WHEN pb.id IS NOT NULL
                                 THEN format('上述名单已于%s至%s公示。', subsidy.chinese_date(pb.starts_on),
                                             subsidy.chinese_date(pb.ends_on))
                                 ELSE format('上述名单将按规定公示，公示期不少于%s个工作日。', coalesce(workdays, 7)) END
                            || format('公示期满无异议的，由%s将补贴资金拨付至你单位账户%s。', o.agency_office,
                                      CASE WHEN a.payment_bank_account IS NOT NULL
                                           THEN format('（开户行：%s；账号尾号：%s）', a.payment_bank_name,
                                                       right(a.payment_bank_account, 4))
                                           ELSE '（你单位尚未登记收款账户，请及时登记）' END)),
    jsonb_build_object('p', '请按规定将稳岗补贴资金用于职工生活补助、缴纳社会保险费、转岗培训、技能提升培训等相关支出，'
                            '并接受人力资源社会保障部门和财政部门的监督检查（人社部发〔2014〕76号）。'),
    jsonb_build_object('p', '特此通知。'),
    jsonb_build_object('sign', jsonb_build_array(o.hrss_office, subsidy.chinese_date(a.decided_on)))));
END
$$;
COMMENT ON FUNCTION subsidy.approval_notice(bigint, text) IS
  '核准通知书: the notice of an approval to its enterprise, ready to print (format text or html): the amount in figures and capitals and how it was computed (its rule, basis and rate, as decided), the publicity, the account it will be paid into (last four digits) and the permitted uses';

-- W7: the agency's payment list (拨付清单) of a region and year: every application cleared and
-- not yet paid, into the account recorded at its decision.  As csv, the file the bank imports:
-- a header record, one record per payment (account name, account, bank, amount, purpose and a
-- reference by which the bank's return file is matched), and a last record, 合计, with the
-- count and the total for the bank's check; as text or html, the same list to sign, with the
-- total in capitals.  An application whose enterprise's bank details changed after the
-- decision is left out, with a warning, until the agency re-checks its account.
CREATE FUNCTION subsidy.payment_instruction(p_region text, p_year integer, p_format text DEFAULT 'csv') RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  o subsidy.region_office;
  region_name text;
  payments jsonb;
  n integer;
  total numeric;
  left_out text;
  left_out_count integer;
  csv text;
  header constant text[] := ARRAY['序号', '收款人户名', '收款人账号', '收款人开户行', '金额（元）', '用途', '业务参考号'];
BEGIN
  IF p_format IS DISTINCT FROM 'csv' AND p_format IS DISTINCT FROM 'text' AND p_format IS DISTINCT FROM 'html' THEN
    PERFORM subsidy.raise('paper_format', 'csv, text, html', coalesce(p_format, ''));
  END IF;
  SELECT string_agg(a.id::text, ', ' ORDER BY a.id), count(*) INTO left_out, left_out_count
    FROM subsidy.application a JOIN subsidy.enterprise e ON e.uscc OPERATOR(subsidy.=) a.uscc
   WHERE a.region = p_region AND a.year = p_year AND a.stage = 'cleared'
     AND (e.bank_name, e.bank_account) IS DISTINCT FROM (a.payment_bank_name, a.payment_bank_account);
  IF left_out_count > 0 THEN
    PERFORM subsidy.raise('payment_list_left_out', left_out_count::text, left_out);
  END IF;
  SELECT jsonb_agg(jsonb_build_array(x.n::text, x.name, x.account, x.bank, to_char(x.amount, 'FM999999999990.00'),
                                     format('%s年度失业保险稳岗补贴', p_year), x.reference) ORDER BY x.n),
         count(*), sum(x.amount)
    INTO payments, n, total
    FROM (SELECT row_number() OVER (ORDER BY a.id) AS n, e.name, a.payment_bank_account AS account,
                 a.payment_bank_name AS bank, a.decided_amount AS amount,
                 'WG' || a.year || a.region || lpad(a.id::text, 10, '0')
                   || CASE WHEN a.returned_on IS NOT NULL THEN 'R' ELSE '' END AS reference
            FROM subsidy.application a JOIN subsidy.enterprise e ON e.uscc OPERATOR(subsidy.=) a.uscc
           WHERE a.region = p_region AND a.year = p_year AND a.stage = 'cleared'
             AND (e.bank_name, e.bank_account) IS NOT DISTINCT FROM (a.payment_bank_name, a.payment_bank_account)) x;
  IF n = 0 THEN
    PERFORM subsidy.raise('payment_list_empty', coalesce(p_region, ''), coalesce(p_year::text, ''));
  END IF;
  o := subsidy.office_of(p_region);
  IF p_format = 'csv' THEN
    SELECT subsidy.csv_record(VARIADIC header)
           || string_agg(subsidy.csv_record(VARIADIC ARRAY(SELECT jsonb_array_elements_text(r))), '' ORDER BY k)
           || subsidy.csv_record('合计', n::text, '', '', to_char(total, 'FM999999999990.00'), '', '')
      INTO csv
      FROM jsonb_array_elements(payments) WITH ORDINALITY AS x(r, k);
    RETURN csv;
  END IF;
  SELECT r.name INTO region_name FROM subsidy.region r WHERE r.code = p_region;
  RETURN subsidy.render_paper(p_format, jsonb_build_array(
    jsonb_build_object('title', format('%s%s年度失业保险稳岗补贴拨付清单', region_name, p_year)),
    jsonb_build_object('line', format('付款单位：%s', o.agency_office)),
    jsonb_build_object('line', format('共%s笔，合计人民币%s元（%s）', n, to_char(total, 'FM999,999,999,990.00'),
                                      subsidy.rmb_upper(total))),
    jsonb_build_object('table', jsonb_build_object(
      'header', to_jsonb(header), 'align', 'llllrll',
      'rows', payments,
      'foot', jsonb_build_array('合计', format('%s笔', n), '', '', to_char(total, 'FM999999999990.00'), '', ''))),
    jsonb_build_object('line', '经办人：　　　　　　复核人：　　　　　　负责人：'),
    jsonb_build_object('sign', jsonb_build_array(o.agency_office, subsidy.chinese_date(subsidy.today())))));
END
$$;
COMMENT ON FUNCTION subsidy.payment_instruction(text, integer, text) IS
  'W7 拨付清单: the payment list of a region and year (applications cleared and not yet paid, into the accounts recorded at the decision): as csv the file for the bank (header, one record a payment: account name, account, bank, amount, purpose, reference; a last record 合计 with the count and total), as text or html the same list to sign with its total in capitals';
