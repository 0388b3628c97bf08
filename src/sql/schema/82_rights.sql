-- Data of the workflow that pg_dump keeps.
SELECT pg_catalog.pg_extension_config_dump('subsidy.staff_region', '');
SELECT pg_catalog.pg_extension_config_dump('subsidy.staff_relation', '');
SELECT pg_catalog.pg_extension_config_dump('subsidy.required_document', 'WHERE origin = ''local''');
SELECT pg_catalog.pg_extension_config_dump('subsidy.sign_off', '');
SELECT pg_catalog.pg_extension_config_dump('subsidy.publicity', '');
SELECT pg_catalog.pg_extension_config_dump('subsidy.publicity_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('subsidy.objection', '');
SELECT pg_catalog.pg_extension_config_dump('subsidy.objection_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('subsidy.report_batch', '');
SELECT pg_catalog.pg_extension_config_dump('subsidy.report_batch_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('subsidy.spot_check_draw', '');
SELECT pg_catalog.pg_extension_config_dump('subsidy.spot_check_draw_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('subsidy.spot_check_item', '');
SELECT pg_catalog.pg_extension_config_dump('subsidy.audit_log', '');
