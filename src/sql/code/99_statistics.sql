-- The shipped tables are small and change seldom, so autovacuum, which analyses a table only
-- after 50 changes, may never take their statistics.  Without them the planner guesses
-- hundreds of rows for each, and a read of policy_in_force (or a report over it) is costed
-- high enough to be compiled by JIT: 100 ms for 121 rows.  Their first statistics are taken
-- here, by install and by every update.
ANALYZE subsidy.region, subsidy.region_basis_year, subsidy.policy_year, subsidy.national_target,
        subsidy.calendar, subsidy.required_document;
