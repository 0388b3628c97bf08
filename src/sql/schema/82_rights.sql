-- Data of the workflow that pg_dump keeps.
SELECT pg_catalog.pg_extension_config_dump('subsidy.staff_region', '');
SELECT pg_catalog.pg_extension_config_dump('subsidy.staff_relation', '');
SELECT pg_catalog.pg_extension_config_dump('subsidy.required_document', 'WHERE origin = ''local''');
SELECT pg_catalog.pg_extension_config_dump('subsidy.sign_off', '');
SELECT pg_catalog.pg_extension_config_dump('subsidy.publicity', '');
SELECT pg_catalog.pg_extension_config_dump('subsidy.objection', '');
SELECT pg_catalog.pg_extension_config_dump('subsidy.report_batch', '');
SELECT pg_catalog.pg_extension_config_dump('subsidy.spot_check_draw', '');
SELECT pg_catalog.pg_extension_config_dump('subsidy.spot_check_item', '');
SELECT pg_catalog.pg_extension_config_dump('subsidy.audit_log', '');

-- S1 through plan estimates: the planner keeps no statistics of the columns that say whose a
-- row is, so that EXPLAIN estimates another region's rows as it would a region with none.
ALTER TABLE subsidy.application ALTER COLUMN region SET STATISTICS 0, ALTER COLUMN uscc SET STATISTICS 0;
ALTER TABLE subsidy.enterprise ALTER COLUMN region SET STATISTICS 0, ALTER COLUMN uscc SET STATISTICS 0,
  ALTER COLUMN name SET STATISTICS 0, ALTER COLUMN bank_account SET STATISTICS 0;
ALTER TABLE subsidy.enterprise_year ALTER COLUMN uscc SET STATISTICS 0;
ALTER TABLE subsidy.audit_log ALTER COLUMN region SET STATISTICS 0, ALTER COLUMN uscc SET STATISTICS 0;
ALTER TABLE subsidy.publicity ALTER COLUMN region SET STATISTICS 0;
ALTER TABLE subsidy.report_batch ALTER COLUMN region SET STATISTICS 0;
ALTER TABLE subsidy.spot_check_draw ALTER COLUMN region SET STATISTICS 0;
ALTER TABLE subsidy.policy_snapshot ALTER COLUMN region SET STATISTICS 0;
