-- The load suite's invariants (test/load/run.sh), checked as the DBA once pgbench has ended.
-- Each query returns one line, name|problems|examples: the check passes when problems is 0.
-- Variables: applications (how many there were before the load), processed (the transactions
-- pgbench counted as done).
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only on
\pset fieldsep '|'
\pset footer off

-- W7: one payment per application.  The audit trail shows one transition to paid for each
-- application that is paid (or reported since) and none for any other.
SELECT 'no application paid twice', count(*),
       coalesce(string_agg(format('application %s (%s): %s payments in its trail', id, stage, n), '; ') FILTER (WHERE k <= 5), '')
  FROM (SELECT a.id, a.stage, count(l.seq) AS n, row_number() OVER (ORDER BY a.id) AS k
          FROM subsidy.application a
          LEFT JOIN subsidy.audit_log l ON l.application_id = a.id AND l.action = 'transition' AND l.to_stage = 'paid'
         GROUP BY a.id, a.stage
        HAVING count(l.seq) <> CASE WHEN a.stage IN ('paid', 'reported') THEN 1 ELSE 0 END) x;

-- W7, A6: what is paid is the decided amount of an approved decision.
SELECT 'every paid amount equals its decision', count(*),
       coalesce(string_agg(format('application %s: paid %s, decided %s (%s)', id, paid_amount, decided_amount, decision), '; ')
                  FILTER (WHERE k <= 5), '')
  FROM (SELECT a.*, row_number() OVER (ORDER BY a.id) AS k FROM subsidy.application a
         WHERE a.stage IN ('paid', 'reported')
           AND (a.paid_amount IS DISTINCT FROM a.decided_amount OR a.decision IS DISTINCT FROM 'approved')) x;

-- W7: a payment reference is used once in its region (each region's agency pays from its own
-- account; references are per region, section 11).
SELECT 'no payment reference used twice in a region', count(*),
       coalesce(string_agg(format('%s %s: applications %s', region, payment_reference, ids), '; ') FILTER (WHERE k <= 5), '')
  FROM (SELECT region, payment_reference, string_agg(id::text, ', ') AS ids,
               row_number() OVER (ORDER BY region, payment_reference) AS k
          FROM subsidy.application WHERE payment_reference IS NOT NULL
         GROUP BY region, payment_reference HAVING count(*) > 1) x;

-- W7, cycle step 8: every record of the banks' files is applied (a refused file left nothing
-- behind), to one application, which carries exactly that payment; no application twice.
SELECT 'payment files and paid applications agree', count(*),
       coalesce(string_agg(problem, '; ') FILTER (WHERE k <= 5), '')
  FROM (SELECT problem, row_number() OVER () AS k FROM (
          SELECT format('record %s (%s, batch %s) %s', f.line, f.reference, f.batch,
                        CASE WHEN f.applied_at IS NULL THEN 'left unapplied'
                             ELSE format('does not match application %s (%s, %s, %s, %s)', a.id, a.stage,
                                         a.payment_reference, a.paid_amount, a.paid_on) END) AS problem
            FROM subsidy.payment_file f LEFT JOIN subsidy.application a ON a.id = f.application_id
           WHERE f.applied_at IS NULL OR a.id IS NULL OR a.stage NOT IN ('paid', 'reported')
              OR a.payment_reference IS DISTINCT FROM f.reference OR a.paid_amount IS DISTINCT FROM f.amount
              OR a.paid_on IS DISTINCT FROM f.paid_on OR a.uscc::text <> f.uscc::text OR a.year <> f.year
          UNION ALL
          SELECT format('application %s is paid by %s records', f.application_id, count(*))
            FROM subsidy.payment_file f WHERE f.application_id IS NOT NULL
           GROUP BY f.application_id HAVING count(*) > 1) p) x;

-- W5, W7: an application is paid only out of cleared, on or after the day it cleared; in its
-- trail the transition before the payment is the clearance.
SELECT 'every paid application was cleared first', count(*),
       coalesce(string_agg(problem, '; ') FILTER (WHERE k <= 5), '')
  FROM (SELECT problem, row_number() OVER () AS k FROM (
          SELECT format('application %s: paid from %s after %s', application_id, from_stage, coalesce(prev, 'nothing')) AS problem
            FROM (SELECT l.application_id, l.from_stage, l.to_stage,
                         lag(l.to_stage) OVER (PARTITION BY l.application_id ORDER BY l.region, l.seq) AS prev
                    FROM subsidy.audit_log l WHERE l.action = 'transition') t
           WHERE t.to_stage = 'paid' AND (t.from_stage IS DISTINCT FROM 'cleared' OR t.prev IS DISTINCT FROM 'cleared')
          UNION ALL
          SELECT format('application %s: paid on %s, cleared on %s', a.id, a.paid_on, a.cleared_on)
            FROM subsidy.application a
           WHERE a.stage IN ('paid', 'reported') AND (a.cleared_on IS NULL OR a.paid_on < a.cleared_on)) p) x;

-- W3, W4, A6: a decision is the engine's verdict on the frozen figures and the round's three
-- sign-offs: approved exactly when eligible and all three passed, at the engine's amount.
SELECT 'every decision rests on its round''s three sign-offs and the engine', count(*),
       coalesce(string_agg(format('application %s round %s: %s %s, engine %s %s, sign-offs %s', id, review_round, decision,
                                  decided_amount, outcome, amount, signs), '; ') FILTER (WHERE k <= 5), '')
  FROM (SELECT a.id, a.review_round, a.decision, a.decided_amount, v.outcome, v.amount, s.signs,
               row_number() OVER (ORDER BY a.id) AS k
          FROM subsidy.application a
          CROSS JOIN LATERAL subsidy.assess(a) v
          CROSS JOIN LATERAL (SELECT count(*) AS n, count(*) FILTER (WHERE so.passed) AS passed,
                                     string_agg(so.agency || ':' || so.passed, ',' ORDER BY so.agency) AS signs
                                FROM subsidy.sign_off so
                               WHERE so.application_id = a.id AND so.review_round = a.review_round) s
         WHERE a.decision IS NOT NULL
           AND (s.n <> 3
                OR (a.decision = 'approved') <> (v.outcome = 'eligible' AND s.passed = 3)
                OR (a.decision = 'approved' AND a.decided_amount IS DISTINCT FROM v.amount))) x;

-- W6: an application objected to has its open objection; a reopened round resolved the
-- objections of the rounds before.
SELECT 'objections and review rounds agree', count(*), coalesce(string_agg(problem, '; ') FILTER (WHERE k <= 5), '')
  FROM (SELECT problem, row_number() OVER () AS k FROM (
          SELECT format('application %s is objected to in round %s without an open objection', a.id, a.review_round) AS problem
            FROM subsidy.application a
           WHERE a.stage = 'objection'
             AND NOT EXISTS (SELECT FROM subsidy.objection o
                              WHERE o.application_id = a.id AND o.review_round = a.review_round AND o.resolved_on IS NULL)
          UNION ALL
          SELECT format('objection %s to application %s (round %s) is open in round %s', o.id, a.id, o.review_round, a.review_round)
            FROM subsidy.objection o JOIN subsidy.application a ON a.id = o.application_id
           WHERE o.review_round < a.review_round AND o.resolved_on IS NULL) p) x;

-- W9: every chain verifies, and explains every application's stage.
SELECT 'the audit chains verify', count(*),
       coalesce(string_agg(format('%s #%s (application %s): %s', region, seq, application_id, problem), '; ') FILTER (WHERE k <= 5), '')
  FROM (SELECT v.*, row_number() OVER () AS k FROM subsidy.verify_audit() v) x;

-- W1, W9: a step an entry point reported as taken happened, and is in the trail once: one
-- transition per application moved (a decision, an objection, a reopening, a clearance, a
-- payment; as many as a publicity listed, a region's clearance cleared, a bank file paid).
-- A step repeated on an application that has taken it already (two clerks at once) must be
-- refused, as a second payment is, not reported as taken.
SELECT 'every step reported as taken is in the audit trail once', sum(abs(coalesce(r.n, 0) - coalesce(l.n, 0))),
       format('%s; %s',
              string_agg(format('to %s: %s reported, %s in the trail', coalesce(r.to_stage, l.to_stage), coalesce(r.n, 0),
                                coalesce(l.n, 0)), ', ' ORDER BY coalesce(r.to_stage, l.to_stage))
                FILTER (WHERE coalesce(r.n, 0) <> coalesce(l.n, 0)),
              (SELECT string_agg(format('application %s: %s reported %s times, %s in the trail', id, script, reported, logged), '; ')
                 FROM (SELECT e.*, row_number() OVER (PARTITION BY e.script ORDER BY e.id) AS k FROM (
                         SELECT o.application_id AS id, o.script, count(*) AS reported,
                                (SELECT count(*) FROM load.trail t
                                  WHERE t.application_id = o.application_id AND t.to_stage = load.stage_of(o.script)) AS logged
                           FROM load.outcome o
                          WHERE o.sqlstate = '00000' AND o.script IN ('decide', 'object', 'reopen', 'clear', 'pay_pay', 'pay_race', 'pay_reuse')
                          GROUP BY o.application_id, o.script) e
                        WHERE e.reported > e.logged) x WHERE k = 1))
  FROM (SELECT load.stage_of(o.script) AS to_stage,
               sum(CASE WHEN o.script IN ('publish', 'clear_region', 'pay_batch') THEN split_part(o.message, ' ', 1)::bigint ELSE 1 END) AS n
          FROM load.outcome o
         WHERE o.sqlstate = '00000' AND load.stage_of(o.script) IS NOT NULL GROUP BY 1) r
  FULL JOIN (SELECT t.to_stage, count(*) AS n FROM load.trail t GROUP BY 1) l ON l.to_stage = r.to_stage;

-- W3, W9: one entry per sign-off given (a first one, or one that replaces the party's verdict).
SELECT 'every sign-off the load gave is in the audit trail once', count(*),
       coalesce(format('%s sign-offs given, %s in the trail (%s applications with more entries, %s with fewer); ',
                       sum(given), sum(logged), count(*) FILTER (WHERE logged > given), count(*) FILTER (WHERE logged < given))
                || string_agg(format('application %s: %s given, %s in the trail', id, given, logged), '; ') FILTER (WHERE k <= 3), '')
  FROM (SELECT coalesce(g.id, t.id) AS id, coalesce(g.n, 0) AS given, coalesce(t.n, 0) AS logged,
               row_number() OVER (ORDER BY coalesce(g.id, t.id)) AS k
          FROM (SELECT o.application_id AS id, count(*) AS n FROM load.outcome o
                 WHERE o.script LIKE 'sign\_off\_%' AND o.sqlstate = '00000' GROUP BY 1) g
          FULL JOIN (SELECT l.application_id AS id, count(*) AS n
                       FROM subsidy.audit_log l LEFT JOIN load.audit_before b ON b.region = l.region
                      WHERE l.seq > coalesce(b.seq, 0) AND l.action = 'sign_off' GROUP BY 1) t ON t.id = g.id
         WHERE coalesce(g.n, 0) <> coalesce(t.n, 0)) x;

-- E9: the refused second applications left nothing behind; no application vanished.
SELECT 'no application appeared or vanished', abs(count(*) - :applications),
       format('%s applications before the load, %s after', :applications, count(*))
  FROM subsidy.application;

-- Every transaction pgbench counted as done committed its outcome: no work lost.
SELECT 'every transaction pgbench counted committed its step', abs(count(*) - :processed),
       format('pgbench processed %s transactions, %s outcomes recorded', :processed, count(*))
  FROM load.outcome;

-- Refusals are the workflow's own (SBW01-SBW08, SBA06) or the unique indexes' (23505 on one
-- claim per enterprise and year, or on a payment reference); nothing else was raised.
SELECT 'only the workflow''s refusals were raised', coalesce(sum(n), 0),
       coalesce(string_agg(format('%s x %s in %s: %s', n, sqlstate, script, message), '; '), '')
  FROM (SELECT script, sqlstate, min(message) AS message, count(*) AS n FROM load.outcome
         WHERE sqlstate NOT IN ('00000', 'idle', 'SBA06') AND sqlstate !~ '^SBW0[1-8]$'
           AND NOT (sqlstate = '23505' AND message ~ '"(application_one_claim|application_payment_reference)"')
         GROUP BY script, sqlstate) x;

-- The mix did what it is for: every kind of step was taken, and the double payments and
-- reused references it tried were refused.
SELECT 'every kind of step was taken', count(*), coalesce(string_agg(script, ', '), '')
  FROM (VALUES ('sign_off_agency'), ('sign_off_hrss'), ('sign_off_finance'), ('decide'), ('publish'), ('object'),
               ('reopen'), ('clear'), ('pay_pay'), ('pay_race'), ('pay_batch')) s(script)
 WHERE NOT EXISTS (SELECT FROM load.outcome o WHERE o.script = s.script AND o.sqlstate = '00000');
SELECT 'double payments and reused references were refused',
       (count(*) FILTER (WHERE message ~ 'is already paid') = 0)::integer
         + (count(*) FILTER (WHERE message ~ 'is already used' OR message ~ 'application_payment_reference') = 0)::integer,
       format('%s second payments refused, %s reused references refused',
              count(*) FILTER (WHERE message ~ 'is already paid'),
              count(*) FILTER (WHERE message ~ 'is already used' OR message ~ 'application_payment_reference'))
  FROM load.outcome WHERE sqlstate IN ('SBW07', '23505');

-- Nothing is left hanging: no session of the load open in a transaction or waiting for a lock.
SELECT 'no transaction left waiting or idle in transaction', count(*),
       coalesce(string_agg(format('pid %s %s %s: %s', pid, state, coalesce(wait_event_type, ''), left(query, 60)), '; '), '')
  FROM pg_stat_activity
 WHERE pid <> pg_backend_pid() AND backend_type = 'client backend'
   AND (state LIKE 'idle in transaction%' OR wait_event_type = 'Lock' OR state = 'active')
UNION ALL
SELECT 'no lock still awaited, no transaction left prepared',
       (SELECT count(*) FROM pg_locks WHERE NOT granted) + (SELECT count(*) FROM pg_prepared_xacts), '';
