-- uscc: the Unified Social Credit Code, GB 32100-2015 (DOMAIN section 4, Identifiers).
SET search_path = public;

-- Accepted: canonical, lower case, surrounding white space, full-width forms (NFKC).
SELECT '91350100M000100Y43'::subsidy.uscc AS canonical;
SELECT '91350100m000100y43'::subsidy.uscc AS lower_case;
SELECT E' \t91350100M000100Y43\n '::subsidy.uscc AS ascii_spaces;
SELECT ' ９１３５０１００ｍ０００１００ｙ４３ '::subsidy.uscc AS full_width;
SELECT '　９１３５０１００Ｍ０００１００Ｙ４３　'::subsidy.uscc AS ideographic_spaces;
SELECT '１２１２０００04013590816'::subsidy.uscc AS mixed_widths;

-- Rejected, each with SQLSTATE 22P02 and what to fix.
SELECT ''::subsidy.uscc;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT '91350100M000100Y4'::subsidy.uscc;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT '91350100M000100Y433'::subsidy.uscc;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT '９１３５０１００ｍ０００１００ｙ４'::subsidy.uscc;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT '91350100I000100Y43'::subsidy.uscc;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT '91350100O000100Y43'::subsidy.uscc;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT '91350100Z000100Y43'::subsidy.uscc;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT '91350100S000100Y43'::subsidy.uscc;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT '91350100V000100Y43'::subsidy.uscc;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT '91350100i000100Y43'::subsidy.uscc;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT '9135 0100M000100Y43'::subsidy.uscc;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT '91350100-000100Y43'::subsidy.uscc;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT '91350100中000100Y43'::subsidy.uscc;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT '91350100M000100Y44'::subsidy.uscc;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT '91350100M000100Y4Y'::subsidy.uscc;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT '９１３５０１００ｍ０００１００ｙ４４'::subsidy.uscc;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- text casts check the same way
SELECT '91350100M000100Y44'::text::subsidy.uscc;
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- A column of the type takes text by assignment and gives text back.
CREATE TABLE enterprise_codes (code subsidy.uscc PRIMARY KEY, name text);
INSERT INTO enterprise_codes VALUES ('91350100M000100Y43'::text, 'assignment cast');
INSERT INTO enterprise_codes VALUES ('９１１１００００６０００３７３４１Ｌ', 'full width');
SELECT code, code::text AS as_text, pg_typeof(code::text) FROM enterprise_codes ORDER BY code;
-- the same code written differently is the same key
INSERT INTO enterprise_codes VALUES ('91350100m000100y43', 'duplicate');
-- a bad code never reaches the table
INSERT INTO enterprise_codes VALUES ('91350100M000100Y44', 'bad check');

-- uscc_is_valid screens raw text and never raises.
SELECT CASE WHEN length(raw) > 40 THEN left(raw, 18) || '... (' || length(raw) || ' characters)' ELSE raw END AS raw,
       subsidy.uscc_is_valid(raw) AS valid
  FROM (VALUES ('91350100M000100Y43'), (' ９１３５０１００ｍ０００１００ｙ４３ '), ('91350100M000100Y44'),
               ('91350100I000100Y43'), (''), ('   '), ('9'), (repeat('9', 5000)), ('中文'),
               (repeat('９', 18))) AS t(raw);
SELECT subsidy.uscc_is_valid(NULL) AS null_is_null;

-- The check character the first 17 characters imply, for a clerk completing a code.
SELECT subsidy.uscc_check_character('91350100M000100Y4') AS domain_example,
       subsidy.uscc_check_character(' ９１３５０１００ｍ０００１００ｙ４ ') AS full_width;
SELECT subsidy.uscc_check_character('91350100M000100Y43');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT subsidy.uscc_check_character('91350100M00O100Y4');
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- Accessors, on the DOMAIN example and on the 201 published codes.
SELECT subsidy.uscc_registration_authority(c) AS authority,
       subsidy.uscc_organisation_type(c) AS org_type,
       subsidy.uscc_division_code(c) AS division,
       subsidy.uscc_organisation_code(c) AS org_code,
       subsidy.uscc_organisation_code_is_valid(c) AS org_code_valid
  FROM (SELECT '91350100M000100Y43'::subsidy.uscc AS c) s;

CREATE TABLE published (raw text);
\copy published FROM 'test/data/uscc_examples.txt'
SELECT count(*) AS published,
       count(*) FILTER (WHERE subsidy.uscc_is_valid(raw)) AS valid,
       count(*) FILTER (WHERE subsidy.uscc_organisation_code_is_valid(raw::subsidy.uscc)) AS org_code_valid,
       count(*) FILTER (WHERE raw::subsidy.uscc::text = raw) AS round_trip
  FROM published;
SELECT subsidy.uscc_registration_authority(raw::subsidy.uscc) AS authority, count(*)
  FROM published GROUP BY 1 ORDER BY 1;
-- an organisation code whose own check fails is information, not an input error
SELECT c, subsidy.uscc_organisation_code(c), subsidy.uscc_organisation_code_is_valid(c)
  FROM (SELECT '91350100M000100Y56'::subsidy.uscc) s(c);
-- GB 11714 writes a check of 10 as X and of 11 as 0
SELECT c, subsidy.uscc_organisation_code(c::subsidy.uscc), subsidy.uscc_organisation_code_is_valid(c::subsidy.uscc)
  FROM (VALUES ('9162010567592034XQ'), ('92340604MA2PENA300')) v(c);

-- Operators live in the extension's schema: qualify them, or put subsidy on the search_path.
SELECT '91350100M000100Y43'::subsidy.uscc OPERATOR(subsidy.=) '91350100m000100y43' AS qualified;
SELECT '91350100M000100Y43'::subsidy.uscc = '91350100m000100y43' AS unqualified;
SET search_path = public, subsidy;

-- Order is text order; btree and hash operator classes are complete.
SELECT bool_and(a.ord = b.ord) AS same_order_as_text
  FROM (SELECT raw, row_number() OVER (ORDER BY raw::subsidy.uscc) AS ord FROM published) a
  JOIN (SELECT raw, row_number() OVER (ORDER BY raw COLLATE "C") AS ord FROM published) b USING (raw);
SELECT opc.opcname, am.amname, amvalidate(opc.oid)
  FROM pg_opclass opc JOIN pg_am am ON am.oid = opc.opcmethod
 WHERE opc.opcname = 'uscc_ops' ORDER BY am.amname;
SELECT '91350100M000100Y43'::subsidy.uscc < '91110000600037341L'::subsidy.uscc AS lt,
       '91350100M000100Y43'::subsidy.uscc >= '91110000600037341L'::subsidy.uscc AS ge,
       '91350100M000100Y43'::subsidy.uscc <> '91350100m000100y43'::subsidy.uscc AS ne,
       '91350100M000100Y43'::subsidy.uscc <= '91350100m000100y43'::subsidy.uscc AS le;
SELECT subsidy.uscc_hash('91350100M000100Y43') = subsidy.uscc_hash('９１３５０１００ｍ０００１００ｙ４３') AS hash_agrees,
       subsidy.uscc_hash_extended('91350100M000100Y43', 0) = subsidy.uscc_hash_extended('91350100m000100y43', 0) AS hash_ext_agrees,
       subsidy.uscc_hash_extended('91350100M000100Y43', 0) <> subsidy.uscc_hash_extended('91350100M000100Y43', 1) AS seed_matters;

-- A hash join and a merge join on the type give the same answer.
CREATE TABLE published_codes AS SELECT raw::subsidy.uscc AS code FROM published;
ANALYZE published_codes;
SET enable_mergejoin = off; SET enable_nestloop = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM published_codes a JOIN published_codes b USING (code);
SELECT count(*) AS hash_join FROM published_codes a JOIN published_codes b USING (code);
SET enable_hashjoin = off; SET enable_mergejoin = on;
EXPLAIN (COSTS OFF) SELECT count(*) FROM published_codes a JOIN published_codes b USING (code);
SELECT count(*) AS merge_join FROM published_codes a JOIN published_codes b USING (code);
RESET enable_mergejoin; RESET enable_nestloop; RESET enable_hashjoin;
-- hash partitioning uses the extended hash
CREATE TABLE by_code (code subsidy.uscc) PARTITION BY HASH (code);
CREATE TABLE by_code_0 PARTITION OF by_code FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE by_code_1 PARTITION OF by_code FOR VALUES WITH (MODULUS 2, REMAINDER 1);
INSERT INTO by_code SELECT code FROM published_codes;
SELECT count(*) = 201 AS all_placed, count(DISTINCT tableoid) AS partitions_used FROM by_code;

-- Binary send and receive carry the canonical text; receive checks it.
SELECT subsidy.uscc_send('91350100m000100y43');
\copy enterprise_codes TO 'results/uscc_binary.dat' (FORMAT binary)
CREATE TABLE enterprise_codes_copy (LIKE enterprise_codes);
\copy enterprise_codes_copy FROM 'results/uscc_binary.dat' (FORMAT binary)
SELECT (SELECT array_agg(code ORDER BY code) FROM enterprise_codes) =
       (SELECT array_agg(code ORDER BY code) FROM enterprise_codes_copy) AS binary_round_trip;
CREATE TABLE raw_codes (code text, name text);
INSERT INTO raw_codes VALUES ('91350100M000100Y44', 'bad check');
\copy raw_codes TO 'results/uscc_bad_binary.dat' (FORMAT binary)
\copy enterprise_codes_copy FROM 'results/uscc_bad_binary.dat' (FORMAT binary)

DROP TABLE enterprise_codes, enterprise_codes_copy, raw_codes, published, published_codes, by_code;
