--
-- Texts a rule requires (a reason, a comment, an objection, a name) must say something.
--

-- Used by the tables' CHECK constraints, so it belongs to the schema.
CREATE FUNCTION subsidy.says_something(text) RETURNS boolean
  AS 'MODULE_PATHNAME', 'says_something' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION subsidy.says_something(text) IS
  'whether a required text says something: it has a letter or a digit (Unicode categories L and N); blanks of every kind (the full-width space U+3000, the no-break space, the zero-width space, the Braille blank), controls, lone combining marks, punctuation and symbols alone do not';
