-- uscc_index: generated codes round-trip, every single-character change is caught,
-- and an index on uscc is no larger than the same index on text (DOMAIN section 4).
SET search_path = public, subsidy;
SET max_parallel_workers_per_gather = 0;   -- random() must run in one process to be repeatable

-- The check character computed independently of the C code: value order of the set and
-- weights 3^(i-1) mod 31, straight from GB 32100-2015.
CREATE FUNCTION pg_temp.check_char(body text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT substr(cs, 1 + (31 - sum((strpos(cs, substr(body, i, 1)) - 1)
                                  * (power(3::numeric, i - 1) % 31))::integer % 31) % 31, 1)
    FROM generate_series(1, 17) AS i, (SELECT '0123456789ABCDEFGHJKLMNPQRTUWXY'::text AS cs) c
   GROUP BY cs
$$;
SELECT pg_temp.check_char('91350100M000100Y4') AS domain_example;

SELECT setseed(0.2018);
CREATE TABLE generated AS
SELECT n, body || pg_temp.check_char(body) AS code
  FROM (SELECT n, (SELECT string_agg(substr('0123456789ABCDEFGHJKLMNPQRTUWXY',
                                            1 + floor(random() * 31)::integer, 1), '' ORDER BY i)
                     FROM generate_series(1, 17 + 0 * n) AS i) AS body
          FROM generate_series(1, 100000) AS n) s;

-- every generated code is accepted and prints as it was written
SELECT count(*) AS generated,
       count(*) FILTER (WHERE code::subsidy.uscc::text = code) AS round_trip,
       count(*) FILTER (WHERE lower(code)::subsidy.uscc::text = code) AS lower_case_round_trip
  FROM generated;

-- every change of one character, to any other character of the set, is rejected
SELECT count(*) AS single_changes, count(*) FILTER (WHERE subsidy.uscc_is_valid(changed)) AS accepted
  FROM (SELECT overlay(g.code PLACING c FROM pos FOR 1) AS changed
          FROM generated g,
               generate_series(1, 18) AS pos,
               regexp_split_to_table('0123456789ABCDEFGHJKLMNPQRTUWXY', '') AS c
         WHERE g.n <= 200 AND substr(g.code, pos, 1) <> c) s;
-- and so is every change to a character outside the set
SELECT count(*) AS outside_changes, count(*) FILTER (WHERE subsidy.uscc_is_valid(changed)) AS accepted
  FROM (SELECT overlay(g.code PLACING c FROM pos FOR 1) AS changed
          FROM generated g, generate_series(1, 18) AS pos,
               regexp_split_to_table('IOSVZ-. *中', '') AS c
         WHERE g.n <= 200) s;

-- A unique index over 100,000 codes: works, and is no larger than on text.
CREATE TABLE codes_uscc (code subsidy.uscc);
CREATE TABLE codes_text (code text);
INSERT INTO codes_uscc SELECT code::subsidy.uscc FROM generated;
INSERT INTO codes_text SELECT code FROM generated;
CREATE UNIQUE INDEX codes_uscc_code ON codes_uscc (code);
CREATE UNIQUE INDEX codes_text_code ON codes_text (code);
SELECT pg_relation_size('codes_uscc_code') <= pg_relation_size('codes_text_code') AS index_no_larger,
       pg_relation_size('codes_uscc') <= pg_relation_size('codes_text') AS table_no_larger;
INSERT INTO codes_uscc SELECT lower(code) FROM generated WHERE n = 4242;
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT * FROM codes_uscc WHERE code = '91350100M000100Y43';
SELECT count(*) AS found_by_index FROM codes_uscc c JOIN generated g ON c.code = g.code::subsidy.uscc WHERE g.n % 1000 = 0;
RESET enable_seqscan;

DROP TABLE generated, codes_uscc, codes_text;
