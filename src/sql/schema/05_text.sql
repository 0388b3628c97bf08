--
-- Texts a rule requires (a reason, a comment, an objection, a name) must say something.
--

-- Used by the tables' CHECK constraints, so it belongs to the schema.
CREATE FUNCTION subsidy.says_something(text) RETURNS boolean
  AS 'MODULE_PATHNAME', 'says_something' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION subsidy.says_something(text) IS
  'whether a required text is more than blanks: a character that is not white space (the full-width space U+3000 and the no-break space included), not a control or format character, and not one that renders as nothing (the zero-width space)';
