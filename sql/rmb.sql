-- rmb: amounts in Chinese capitals (R2, 人民币大写) by the People's Bank of China rules for
-- bills (《支付结算办法》附一《正确填写票据和结算凭证的基本规定》), as DOMAIN section 10 states them.
SET search_path = public, subsidy;
\set VERBOSITY default

-- R2: the rules' own examples.  Where the rules allow two forms, rmb_upper writes the first
-- the rules give: no 零 where zeros end at 万 or 亿 before a thousand, 零 after 元 when the
-- yuan digit is zero and 角 is not.
SELECT amount, rmb_upper(amount) AS capitals, rmb_upper(amount) = expected AS as_the_rules_write_it
  FROM (VALUES (1409.50, '人民币壹仟肆佰零玖元伍角'),
               (6007.14, '人民币陆仟零柒元壹角肆分'),
               (1680.32, '人民币壹仟陆佰捌拾元零叁角贰分'),
               (107000.53, '人民币壹拾万柒仟元零伍角叁分'),
               (16409.02, '人民币壹万陆仟肆佰零玖元零贰分'),
               (325.04, '人民币叁佰贰拾伍元零肆分')) AS t(amount, expected);

-- R2: 整 after 元 only; a leading ten is 壹拾; one 零 for a run of zeros; amounts under a yuan;
-- the largest amount spelled.
SELECT amount, rmb_upper(amount)
  FROM unnest(ARRAY[0, 0.01, 0.10, 0.25, 1, 10, 10.50, 11, 19.09, 100, 101, 110, 1010, 10010, 100010,
                    100000, 100001, 1000001, 10000000, 100000000, 100010000, 100001000, 100000100,
                    1000000001, 1010101010.10, 2000000000.02, 9999999999.99]::numeric[]) AS amount;

-- R2: every placement of zeros.  An independent spelling, digit by digit (rather than by
-- ICU's groups), agrees with rmb_upper on each of the 4,096 patterns of zero and non-zero
-- digits in the twelve places from 拾亿 to 分, the non-zero digits all 1 (the 壹拾 case) and
-- then cycling through 1 to 9.
CREATE FUNCTION pg_temp.capitals_by_digits(amount numeric) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  digit_word text[] := ARRAY['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
  place_word text[] := ARRAY['', '拾', '佰', '仟'];
  group_word text[] := ARRAY['', '万', '亿'];
  yuan bigint := trunc(amount);
  jiao integer := trunc(amount * 10)::bigint % 10;
  fen integer := (amount * 100)::bigint % 10;
  digits text := yuan::text;
  n integer := length(digits);
  out text := '人民币';
  zeros_from integer := NULL;   -- the highest place of a run of zeros not yet written
  group_has_digit boolean := false;
  place integer;
  d integer;
BEGIN
  IF yuan > 0 THEN
    FOR i IN 1 .. n LOOP
      place := n - i;                      -- 0 is the yuan digit
      d := substr(digits, i, 1)::integer;
      IF d = 0 THEN
        zeros_from := coalesce(zeros_from, place);
      ELSE
        -- a run of zeros before this digit: one 零, unless it ended at 万 or 亿 and this
        -- digit is a thousand (the rules allow none there; rmb_upper writes none)
        IF zeros_from IS NOT NULL AND NOT ((place + 1) % 4 = 0 AND place % 4 = 3) THEN
          out := out || '零';
        END IF;
        zeros_from := NULL;
        out := out || digit_word[d + 1] || place_word[place % 4 + 1];
        group_has_digit := true;
      END IF;
      IF place % 4 = 0 THEN
        IF group_has_digit THEN
          out := out || group_word[place / 4 + 1];
        END IF;
        group_has_digit := false;
      END IF;
    END LOOP;
    out := out || '元';
    IF jiao = 0 AND fen = 0 THEN
      RETURN out || '整';
    END IF;
    IF jiao = 0 OR yuan % 10 = 0 THEN
      out := out || '零';
    END IF;
  ELSIF jiao = 0 AND fen = 0 THEN
    RETURN out || '零元整';
  END IF;
  IF jiao > 0 THEN out := out || digit_word[jiao + 1] || '角'; END IF;
  IF fen > 0 THEN out := out || digit_word[fen + 1] || '分'; END IF;
  RETURN out;
END
$$;
WITH pattern AS (
  SELECT p, fill,
         (SELECT string_agg(CASE WHEN p & (1 << (11 - k)) = 0 THEN '0'
                                 WHEN fill = 'ones' THEN '1' ELSE ((k % 9) + 1)::text END, '' ORDER BY k)
            FROM generate_series(0, 11) AS k) AS twelve_digits
    FROM generate_series(0, 4095) AS p, unnest(ARRAY['ones', 'cycling']) AS fill
), amount AS (
  SELECT p, fill, (twelve_digits::numeric / 100) AS amount FROM pattern
)
SELECT count(*) AS amounts,
       count(*) FILTER (WHERE rmb_upper(amount) = pg_temp.capitals_by_digits(amount)) AS agreeing
  FROM amount;
-- the first few that would disagree, should any
SELECT amount, rmb_upper(amount), pg_temp.capitals_by_digits(amount)
  FROM (SELECT (string_agg(CASE WHEN p & (1 << (11 - k)) = 0 THEN '0' ELSE ((k % 9) + 1)::text END, '' ORDER BY k))::numeric / 100 AS amount
          FROM generate_series(0, 4095) AS p, generate_series(0, 11) AS k GROUP BY p) s
 WHERE rmb_upper(amount) <> pg_temp.capitals_by_digits(amount)
 ORDER BY amount LIMIT 5;

-- R2: what has no capitals is refused, with what to do.
SELECT rmb_upper(-0.01);
SELECT rmb_upper(10000000000.00);
SELECT rmb_upper(1.005);
SELECT rmb_upper('NaN');
SELECT rmb_upper(NULL) IS NULL AS null_gives_null;
-- trailing zeros beyond the fen are not a finer amount
SELECT rmb_upper(12.3400) AS trailing_zeros;
