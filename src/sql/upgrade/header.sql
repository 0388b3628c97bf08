-- subsidy upgrade script, built from src/sql/upgrade (the schema's changes) and src/sql/code.
\echo Use "ALTER EXTENSION subsidy UPDATE" to load this file. \quit
