--
-- Guards that several tables share: the audit chains' locks (audit.c), numbers the extension
-- gives and closed years (records.c).  Their triggers are made beside their tables.
--

CREATE FUNCTION subsidy.lock_audit_chains() RETURNS trigger AS 'MODULE_PATHNAME' LANGUAGE C;
COMMENT ON FUNCTION subsidy.lock_audit_chains() IS
  'trigger, BEFORE each statement: lock the audit chains of the caller''s regions, in code order, before the statement touches a row';

CREATE FUNCTION subsidy.lock_my_chains() RETURNS void AS 'MODULE_PATHNAME', 'lock_my_chains' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION subsidy.lock_my_chains() IS
  'lock the audit chains of the caller''s own regions, in code order, until the end of the transaction: what an entry point does before it reads what it is about to change';

CREATE FUNCTION subsidy.assign_number() RETURNS trigger AS 'MODULE_PATHNAME' LANGUAGE C;
COMMENT ON FUNCTION subsidy.assign_number() IS
  'trigger: a new row''s number is the next of its region''s (the region''s code times a billion, plus its count), so that no number tells a clerk how many rows other regions filed; a number the client gives is refused';

CREATE FUNCTION subsidy.refuse_closed_year() RETURNS trigger AS 'MODULE_PATHNAME' LANGUAGE C;
COMMENT ON FUNCTION subsidy.refuse_closed_year() IS
  'trigger (year column [, offset to the subsidy year]): no row of a year close_year has closed is written, before or after the change';
