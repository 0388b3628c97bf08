-- subsidy 1.1 -> 1.2: what changes in the schema (types, tables, shipped rows).  The code
-- (src/sql/code/*.sql) follows, created again as a fresh 1.2 creates it.

-- Staff are kept by role oid: a row naming a role dropped since matches nobody (S3).  Rows that
-- already name a role that no longer exists are dropped, and said so.
DO $$
DECLARE
  gone text;
BEGIN
  SELECT pg_catalog.string_agg(DISTINCT s.staff::pg_catalog.text, ', ') INTO gone
    FROM (SELECT staff FROM subsidy.staff_region UNION ALL SELECT staff FROM subsidy.staff_relation) s
   WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) s.staff);
  IF gone IS NOT NULL THEN
    RAISE NOTICE 'subsidy 1.2: staff rows of roles that no longer exist are removed: %', gone;
    DELETE FROM subsidy.staff_region s
     WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) s.staff);
    DELETE FROM subsidy.staff_relation s
     WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) s.staff);
  END IF;
END
$$;
ALTER TABLE subsidy.staff_region ALTER COLUMN staff TYPE regrole USING staff::pg_catalog.text::pg_catalog.regrole;
ALTER TABLE subsidy.staff_relation ALTER COLUMN staff TYPE regrole USING staff::pg_catalog.text::pg_catalog.regrole;
COMMENT ON COLUMN subsidy.staff_region.staff IS 'a role (a login, or a group role its members inherit), by name';
COMMENT ON COLUMN subsidy.staff_relation.staff IS 'a reviewer''s role, by name';

-- The audit chains are locked by a row of their own, which no role but the owner may lock (S3).
CREATE TABLE subsidy.audit_chain (
  region text PRIMARY KEY
);
COMMENT ON TABLE subsidy.audit_chain IS
  'a row per pooling region''s audit chain, locked (never changed) by the writes of the region, so that they take turns in one order; open to no role';
COMMENT ON COLUMN subsidy.audit_chain.region IS 'the region whose chain the row stands for';
INSERT INTO subsidy.audit_chain (region) SELECT code FROM subsidy.region;

-- Numbers of new rows are given by subsidy.assign_number, never by the client: the identity
-- columns become plain columns numbered from sequences that go on where they left off.
DO $$
DECLARE
  t record;
  next bigint;
BEGIN
  FOR t IN SELECT * FROM (VALUES ('application', 'id'), ('publicity', 'id'), ('objection', 'id'),
                                 ('report_batch', 'id'), ('spot_check_draw', 'id'), ('policy_snapshot', 'id'),
                                 ('payment_file', 'line')) AS v(tab, col) LOOP
    EXECUTE pg_catalog.format('SELECT pg_catalog.nextval(pg_catalog.pg_get_serial_sequence(%L, %L))',
                              'subsidy.' OPERATOR(pg_catalog.||) t.tab, t.col) INTO next;
    -- out of the extension (and of what pg_dump keeps) first, then dropped with the identity
    EXECUTE pg_catalog.format('ALTER EXTENSION subsidy DROP SEQUENCE %s',
                              pg_catalog.pg_get_serial_sequence('subsidy.' OPERATOR(pg_catalog.||) t.tab, t.col));
    EXECUTE pg_catalog.format('ALTER TABLE subsidy.%I ALTER COLUMN %I DROP IDENTITY', t.tab, t.col);
    EXECUTE pg_catalog.format('CREATE SEQUENCE subsidy.%I AS bigint OWNED BY subsidy.%I.%I',
                              t.tab OPERATOR(pg_catalog.||) '_' OPERATOR(pg_catalog.||) t.col OPERATOR(pg_catalog.||) '_seq', t.tab, t.col);
    PERFORM pg_catalog.setval(pg_catalog.format('subsidy.%I', t.tab OPERATOR(pg_catalog.||) '_' OPERATOR(pg_catalog.||) t.col
                                                 OPERATOR(pg_catalog.||) '_seq')::pg_catalog.regclass, next, false);
    PERFORM pg_catalog.pg_extension_config_dump(pg_catalog.format('subsidy.%I', t.tab OPERATOR(pg_catalog.||) '_'
                                                 OPERATOR(pg_catalog.||) t.col OPERATOR(pg_catalog.||) '_seq'), '');
  END LOOP;
END
$$;

-- A payment reference is unique within its region (section 11, S1).
DROP INDEX subsidy.application_payment_reference;
CREATE UNIQUE INDEX application_payment_reference ON subsidy.application (region, payment_reference);

-- S1 through plan estimates: no statistics of the columns that say whose a row is; those
-- gathered before go too.
ALTER TABLE subsidy.application ALTER COLUMN region SET STATISTICS 0, ALTER COLUMN uscc SET STATISTICS 0;
ALTER TABLE subsidy.enterprise ALTER COLUMN region SET STATISTICS 0, ALTER COLUMN uscc SET STATISTICS 0,
  ALTER COLUMN name SET STATISTICS 0, ALTER COLUMN bank_account SET STATISTICS 0;
ALTER TABLE subsidy.enterprise_year ALTER COLUMN uscc SET STATISTICS 0;
ALTER TABLE subsidy.audit_log ALTER COLUMN region SET STATISTICS 0, ALTER COLUMN uscc SET STATISTICS 0;
ALTER TABLE subsidy.publicity ALTER COLUMN region SET STATISTICS 0;
ALTER TABLE subsidy.report_batch ALTER COLUMN region SET STATISTICS 0;
ALTER TABLE subsidy.spot_check_draw ALTER COLUMN region SET STATISTICS 0;
ALTER TABLE subsidy.policy_snapshot ALTER COLUMN region SET STATISTICS 0;
ALTER TABLE subsidy.annual_report_frozen ALTER COLUMN region SET STATISTICS 0;
ALTER TABLE subsidy.payment_file ALTER COLUMN uscc SET STATISTICS 0;
DELETE FROM pg_catalog.pg_statistic s
 USING pg_catalog.pg_attribute a
 WHERE a.attrelid OPERATOR(pg_catalog.=) s.starelid AND a.attnum OPERATOR(pg_catalog.=) s.staattnum
   AND a.attstattarget OPERATOR(pg_catalog.=) 0
   AND a.attrelid OPERATOR(pg_catalog.=) ANY (ARRAY['subsidy.application', 'subsidy.enterprise', 'subsidy.enterprise_year',
       'subsidy.audit_log', 'subsidy.publicity', 'subsidy.report_batch', 'subsidy.spot_check_draw',
       'subsidy.policy_snapshot', 'subsidy.annual_report_frozen', 'subsidy.payment_file']::pg_catalog.regclass[]);
