-- Step 7 (W7): the agency's payment file, loaded with COPY, then applied in one go.
CREATE TABLE subsidy.payment_file (
  line bigint PRIMARY KEY,
  batch text NOT NULL DEFAULT NULLIF(pg_catalog.current_setting('subsidy.payment_batch', true), ''),
  uscc subsidy.uscc NOT NULL,
  year integer NOT NULL,
  -- unconstrained, so that a record with more decimals than fen is refused, not rounded (W7)
  amount numeric NOT NULL CONSTRAINT payment_file_amount_in_fen
    CHECK (amount BETWEEN 0 AND 999999999999.99 AND amount = pg_catalog.round(amount, 2)),
  paid_on date NOT NULL,
  reference text NOT NULL CHECK (reference <> ''),
  loaded_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
  loaded_by text NOT NULL DEFAULT session_user,
  application_id bigint,
  applied_at timestamptz
);
CREATE INDEX payment_file_batch ON subsidy.payment_file (batch);
COMMENT ON TABLE subsidy.payment_file IS
  'W7 拨付清单: the agency''s payment records as loaded from its bank file with COPY, before and after pay_batch applies them; applied rows are kept for good';
COMMENT ON COLUMN subsidy.payment_file.line IS 'the record''s number, in loading order';
COMMENT ON COLUMN subsidy.payment_file.batch IS 'the file''s name for pay_batch; SET subsidy.payment_batch before COPY, or give it as a column';
COMMENT ON COLUMN subsidy.payment_file.uscc IS 'the enterprise paid';
COMMENT ON COLUMN subsidy.payment_file.year IS 'the subsidy year paid';
COMMENT ON COLUMN subsidy.payment_file.amount IS 'the amount paid, yuan: the decided amount exactly';
COMMENT ON COLUMN subsidy.payment_file.paid_on IS 'the day the bank paid';
COMMENT ON COLUMN subsidy.payment_file.reference IS 'the bank''s payment reference, used once';
COMMENT ON COLUMN subsidy.payment_file.loaded_at IS 'when the record was loaded';
COMMENT ON COLUMN subsidy.payment_file.loaded_by IS 'who loaded it (the login)';
COMMENT ON COLUMN subsidy.payment_file.application_id IS 'the application it paid, once applied';
COMMENT ON COLUMN subsidy.payment_file.applied_at IS 'when pay_batch applied it (empty: not yet)';
-- Numbered by subsidy.assign_number (records.c), within the row's region: no client picks a number.
SELECT pg_catalog.pg_extension_config_dump('subsidy.payment_file', '');
ALTER TABLE subsidy.payment_file ALTER COLUMN uscc SET STATISTICS 0;   -- S1, as in 82_rights.sql
