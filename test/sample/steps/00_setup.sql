-- Step of test/sample/province.sql: the generator's scratch schema, its settings and its
-- hash functions.  Everything here is dropped by 99_cleanup.sql.
\set ON_ERROR_STOP 1
BEGIN;
SET LOCAL client_min_messages = warning;
DROP SCHEMA IF EXISTS province CASCADE;
COMMIT;
CREATE SCHEMA province;
-- -v regions=220100,220200: only those pools' enterprises apply (a region's own database holds its
-- pools alone; every pool keeps its share of the province, and the same rows as a run without it)
\if :{?regions}
\else
  \set regions ''
\endif
CREATE TABLE province.settings AS
SELECT :year::integer AS year, :applications::integer AS applications,
       string_to_array(NULLIF(:'regions', ''), ',') AS regions;

-- u(n, k): a uniform number in [0, 1) for row n and stream k (a 32-bit integer hash).
CREATE FUNCTION province.mix(x bigint) RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT ((x # (x >> 16)) * 73244475) & 4294967295 $$;
-- An n of 2^31 or more (an application's number: its region's code times a billion, plus its
-- count) is folded to 31 bits first, so that the product stays in range; smaller ones are kept.
CREATE FUNCTION province.u(n bigint, k integer) RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT province.mix(province.mix(((CASE WHEN n < 2147483648 THEN n ELSE (n # (n >> 31)) & 2147483647 END)
                                           * 2654435761 + k * 40503) & 4294967295)) / 4294967296.0 $$;
-- GB 11714 check character of an 8-character organisation code body.
CREATE FUNCTION province.org_check(body text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE c WHEN 10 THEN 'X' WHEN 11 THEN '0' ELSE c::text END
    FROM (SELECT 11 - sum(CASE WHEN ch BETWEEN '0' AND '9' THEN ascii(ch) - 48 ELSE ascii(ch) - 55 END
                         * (ARRAY[3, 7, 9, 10, 5, 8, 4, 2])[i]) % 11 AS c
            FROM unnest(string_to_array(body, NULL)) WITH ORDINALITY AS t(ch, i)) s
$$;

