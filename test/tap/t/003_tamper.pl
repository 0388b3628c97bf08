# Tamper evidence against a superuser (DOMAIN section 11, S4): a province is run through a
# year; the chain heads are exported, as the annual report and each upward report batch carry
# them to the province; then a superuser, who can disable every trigger and recompute every
# hash, tampers with a copy of the database in one way after another.  Each tampering is found
# by verify_audit(heads) with the heads taken before it, even where it leaves every chain
# consistent; an untouched copy, and a faithful dump and restore, show nothing.
use strict;
use warnings;
use FindBin;
use IPC::Run;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $root = "$FindBin::RealBin/../../..";
my $applications = $ENV{TAMPER_APPLICATIONS} // 1200;

my $node = PostgreSQL::Test::Cluster->new('tamper');
$node->init(extra => [ '--locale=C.UTF-8', '--encoding=UTF8' ]);
$node->append_conf('postgresql.conf', "shared_preload_libraries = 'subsidy'\n");
$node->start;
$node->safe_psql('postgres', 'CREATE DATABASE base');
$node->safe_psql('base', 'CREATE EXTENSION subsidy');

sub psql_file
{
	my ($db, $file, %vars) = @_;
	my @cmd = ('psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', $node->connstr($db));
	push @cmd, '-v', "$_=$vars{$_}" for sort keys %vars;
	push @cmd, '-f', $file;
	my ($out, $err);
	local $ENV{PGOPTIONS} = '-c client_min_messages=warning';
	my $ok = IPC::Run::run(\@cmd, '>', \$out, '2>', \$err);
	diag($err) unless $ok;
	return $ok;
}

ok(psql_file('base', "$root/test/sample/province.sql", applications => $applications, stage => 'reported'),
	"a province of $applications applications, its year run to the upward report");

# The attacker's tools: an entry's hash recomputed in plain SQL, as anyone who reads the
# source can, and a region's chain rewritten from an entry on.
ok(psql_file('base', "$root/test/sample/audit_entry_hash.sql"), 'an entry\'s hash, in plain SQL');
$node->safe_psql('base', q{
CREATE SCHEMA tamper;
CREATE PROCEDURE tamper.rechain(p_region text, p_from bigint) LANGUAGE plpgsql AS $$
DECLARE
  e subsidy.audit_log;
  prev bytea := (SELECT hash FROM subsidy.audit_log WHERE region = p_region AND seq = p_from - 1);
BEGIN
  SET LOCAL session_replication_role = replica;
  prev := coalesce(prev, '\x0000000000000000000000000000000000000000000000000000000000000000');
  FOR e IN SELECT * FROM subsidy.audit_log WHERE region = p_region AND seq >= p_from ORDER BY seq LOOP
    e.prev_hash := prev;
    e.hash := audit_sql.entry_hash(prev, e);
    UPDATE subsidy.audit_log SET prev_hash = e.prev_hash, hash = e.hash WHERE region = p_region AND seq = e.seq;
    prev := e.hash;
  END LOOP;
END
$$;
});

my $heads = $node->safe_psql('base', 'SELECT jsonb_agg(h) FROM subsidy.audit_heads() h');
like($heads, qr/"hash"/, 'the chain heads, exported');
is($node->safe_psql('base', q{SELECT count(*) FROM subsidy.report_batch WHERE audit_heads IS NULL}), '0',
	'every upward report batch carries the heads of its moment');
# the region tampered with: the one with the most entries, and one of its entries well inside
my $region = $node->safe_psql('base', 'SELECT region FROM subsidy.audit_log GROUP BY region ORDER BY count(*) DESC LIMIT 1');
my $inside = $node->safe_psql('base', "SELECT max(seq) / 2 FROM subsidy.audit_log WHERE region = '$region'");

# verify(db): the problems verify_audit finds with the heads exported before any tampering.
sub verify
{
	my ($db) = @_;
	my ($ret, $out, $err) = $node->psql($db, "SELECT coalesce(region, '-') || ' ' || seq || ' ' || coalesce(application_id::text, '-') || ' ' || problem FROM subsidy.verify_audit('$heads'::jsonb) ORDER BY 1");
	die "verify_audit failed: $err" if $ret != 0;
	return $out;
}

# copy(name): a fresh copy of the province to tamper with.
sub copy
{
	my ($name) = @_;
	$node->safe_psql('postgres', "DROP DATABASE IF EXISTS $name");
	$node->safe_psql('postgres', "CREATE DATABASE $name TEMPLATE base");
	return $name;
}

is(verify('base'), '', 'an untouched database: nothing found');
# the heads of several report batches, some the same: each checked once, none in the way
is($node->safe_psql('base', qq{SELECT count(*) FROM subsidy.verify_audit('$heads'::jsonb || '$heads'::jsonb
                                 || (SELECT jsonb_agg(b.audit_heads -> 0) FROM subsidy.report_batch b))}),
	'0', 'heads given more than once, from the report batches too: nothing found');

# 1. An entry edited, and the region's chain recomputed after it: every link holds, so only
#    the heads kept outside show it.
copy('t1');
$node->safe_psql('t1', qq{
	SET session_replication_role = replica;
	UPDATE subsidy.audit_log SET detail = 'nothing to see' WHERE region = '$region' AND seq = $inside;
	CALL tamper.rechain('$region', $inside);
});
is($node->safe_psql('t1', 'SELECT count(*) FROM subsidy.verify_audit()'), '0',
	'1. an edited entry with the chain recomputed: consistent without the heads');
like(verify('t1'), qr/^$region \d+ .*head/m, '1. ... and found against the heads');

# 2. The chain's tail cut, and the applications it moved put back where they were.
copy('t2');
$node->safe_psql('t2', qq{
	SET session_replication_role = replica;
	UPDATE subsidy.application a SET stage = 'paid', report_batch_id = NULL
	  FROM subsidy.audit_log l
	 WHERE l.region = '$region' AND l.application_id = a.id AND l.to_stage = 'reported'
	   AND l.seq > (SELECT max(seq) - 20 FROM subsidy.audit_log WHERE region = '$region');
	DELETE FROM subsidy.audit_log WHERE region = '$region'
	   AND seq > (SELECT max(seq) - 20 FROM subsidy.audit_log WHERE region = '$region');
});
like(verify('t2'), qr/^$region \d+ .*head/m, '2. a cut tail, the stages reverted: found against the heads');

# 3. A forged entry inserted in the middle, with a correct hash, the rest renumbered and
#    re-chained.
copy('t3');
$node->safe_psql('t3', qq{
	SET session_replication_role = replica;
	UPDATE subsidy.audit_log SET seq = -seq WHERE region = '$region' AND seq > $inside;
	UPDATE subsidy.audit_log SET seq = -seq + 1 WHERE region = '$region' AND seq < 0;
	INSERT INTO subsidy.audit_log (region, seq, at, actor, acting_role, application_id, uscc, action, from_stage, to_stage, detail, figures, prev_hash, hash)
	SELECT region, $inside + 1, at, actor, acting_role, application_id, uscc, 'review', NULL, NULL, 'forged', '{}', hash, hash
	  FROM subsidy.audit_log WHERE region = '$region' AND seq = $inside;
	CALL tamper.rechain('$region', $inside + 1);
});
is($node->safe_psql('t3', 'SELECT count(*) FROM subsidy.verify_audit()'), '0',
	'3. a forged entry with a correct hash: consistent without the heads');
like(verify('t3'), qr/^$region \d+ .*head/m, '3. ... and found against the heads');

# 4. An application's decided amount multiplied by ten with the triggers off: the log is
#    untouched, the state is not what it says.
copy('t4');
my $app = $node->safe_psql('t4', "SELECT min(id) FROM subsidy.application WHERE stage = 'reported'");
$node->safe_psql('t4', qq{
	SET session_replication_role = replica;
	UPDATE subsidy.application SET decided_amount = decided_amount * 10, paid_amount = paid_amount * 10 WHERE id = $app;
});
like(verify('t4'), qr/ $app .*decided_amount/, '4. an amount changed with the triggers off: found against the log');

# 5. A payment's reference and date changed.
copy('t5');
$node->safe_psql('t5', qq{
	SET session_replication_role = replica;
	UPDATE subsidy.application SET payment_reference = 'ELSEWHERE-1', paid_on = paid_on + 1 WHERE id = $app;
});
like(verify('t5'), qr/ $app .*payment_reference/, '5. a payment changed: found against the log');

# 6. An enterprise's bank account changed with the triggers off.
copy('t6');
my $uscc = $node->safe_psql('t6', "SELECT uscc FROM subsidy.application WHERE id = $app");
$node->safe_psql('t6', qq{
	SET session_replication_role = replica;
	UPDATE subsidy.enterprise SET bank_account = '6200000000000000666' WHERE uscc OPERATOR(subsidy.=) '$uscc';
});
like(verify('t6'), qr/$uscc.*bank_account|bank_account.*$uscc/, '6. a bank account changed: found against the log');

# 7. Two entries swapped.
copy('t7');
$node->safe_psql('t7', qq{
	SET session_replication_role = replica;
	UPDATE subsidy.audit_log SET seq = -seq WHERE region = '$region' AND seq IN ($inside, $inside + 1);
	UPDATE subsidy.audit_log SET seq = CASE seq WHEN -$inside THEN $inside + 1 ELSE $inside END
	 WHERE region = '$region' AND seq IN (-$inside, -$inside - 1);
});
like(verify('t7'), qr/^$region \d+ /m, '7. two entries swapped: found');

# 8. An application removed with the triggers off: the log still names it.
copy('t8');
$node->safe_psql('t8', qq{
	SET session_replication_role = replica;
	DELETE FROM subsidy.application_verdict WHERE application_id = $app;
	DELETE FROM subsidy.sign_off WHERE application_id = $app;
	DELETE FROM subsidy.payment_file WHERE application_id = $app;
	DELETE FROM subsidy.application WHERE id = $app;
});
like(verify('t8'), qr/ $app .*log/, '8. an application deleted with the triggers off: found against the log');

# 8b. Every other table a decision or payment rests on, changed with the triggers off (the
#     third tester's F3): each row is held to the state its log last gave it, so an
#     application moved, re-dated or re-attributed, a sign-off or objection forged or removed,
#     a region's facts, window or staff, the province's parameters or calendar, an enterprise's
#     region or list facts, a bank's payment file, a publicity's dates are each found.
my $app_region = $node->safe_psql('base', "SELECT region FROM subsidy.application WHERE id = $app");
my $other = $node->safe_psql('base', "SELECT code FROM subsidy.region WHERE is_pool AND code <> '$app_region' ORDER BY code LIMIT 1");
my $second = $node->safe_psql('base', "SELECT min(id) FROM subsidy.application WHERE stage = 'reported' AND id <> $app");
my $some_staff = $node->safe_psql('base', "SELECT rolname FROM pg_roles WHERE pg_has_role(oid, 'subsidy_hrss', 'member') AND NOT rolsuper ORDER BY 1 LIMIT 1");
my @tamperings = (
	[ 'an application moved to another region', "UPDATE subsidy.application SET region = '$other' WHERE id = $app", qr/application $app\b/ ],
	[ 'an application moved to another year', "UPDATE subsidy.application SET year = 2018 WHERE id = $app", qr/application $app\b/ ],
	[ 'its rule, rate and reasons', "UPDATE subsidy.application SET decided_rule = 'A2', decided_rate = 0.6, decided_reasons = '{}' WHERE id = $app", qr/application $app\b/ ],
	[ 'its publicity erased, its clearance backdated', "UPDATE subsidy.application SET publicity_id = NULL, cleared_on = cleared_on - 30 WHERE id = $app", qr/application $app\b/ ],
	[ 'confirmed figures after the decision', "UPDATE subsidy.application SET confirmed_premiums_paid = confirmed_premiums_paid * 3 WHERE id = $app", qr/application $app\b/ ],
	[ 'a paid amount re-attributed to another enterprise', "UPDATE subsidy.application SET year = 2099 WHERE id = $app; UPDATE subsidy.application SET uscc = (SELECT uscc FROM subsidy.application WHERE id = $app) WHERE id = $second", qr/application $second\b/ ],
	[ 'a spot check result', "UPDATE subsidy.application SET spot_check = 'false_data' WHERE id = $app", qr/application $app\b/ ],
	[ 'sign-offs removed', "DELETE FROM subsidy.sign_off WHERE application_id = $app", qr/sign_off $app\b/ ],
	[ 'sign-offs forged', "UPDATE subsidy.sign_off SET passed = false, comment = '不同意' WHERE application_id = $app", qr/sign_off $app\b/ ],
	[ 'an objection forged', "INSERT INTO subsidy.objection (id, application_id, review_round, text, raised_on, recorded_by) VALUES (900001, $app, 1, '伪造', '2019-07-02', 'x')", qr/objection 900001\b/ ],
	[ 'a clerk put into another region', "INSERT INTO subsidy.staff_region VALUES ('$some_staff', '$other')", qr/staff_region/ ],
	[ 'a staff relation made up', "INSERT INTO subsidy.staff_relation VALUES ('$some_staff', '$uscc', '亲属')", qr/staff_relation/ ],
	[ 'a region\'s fund balance', "UPDATE subsidy.region_basis_year SET fund_balance = 1 WHERE region = '$region'", qr/region_basis_year $region\b/ ],
	[ 'a region\'s window moved', "UPDATE subsidy.application_window SET closes_on = closes_on + 60 WHERE region = '$region'", qr/application_window $region\b/ ],
	[ 'the shipped rates', "UPDATE subsidy.policy_year SET standard_rate_small_micro = 0.9 WHERE year = 2019", qr/policy_year 2019\b/ ],
	[ 'the calendar', "DELETE FROM subsidy.calendar WHERE day BETWEEN '2019-01-01' AND '2019-12-31'", qr/calendar 2019-/ ],
	[ 'an enterprise moved to another region', "UPDATE subsidy.enterprise SET region = '$other' WHERE uscc OPERATOR(subsidy.=) '$uscc'", qr/enterprise $uscc\b/ ],
	[ 'an enterprise\'s list facts', "UPDATE subsidy.enterprise_year SET zombie = true WHERE uscc OPERATOR(subsidy.=) '$uscc'", qr/enterprise_year $uscc\b/ ],
	[ 'a bank\'s payment file', "UPDATE subsidy.payment_file SET amount = amount * 2 WHERE uscc OPERATOR(subsidy.=) '$uscc'", qr/payment_file \d+/ ],
	[ 'a publicity shortened', "UPDATE subsidy.publicity SET ends_on = starts_on WHERE region = '$region'", qr/publicity \d+/ ],
	[ 'an upward report\'s reference', "UPDATE subsidy.report_batch SET reference = 'ELSEWHERE' WHERE region = '$region'", qr/report_batch \d+/ ],
	[ 'a region made no pool', "UPDATE subsidy.region SET name = '伪造' WHERE code = '$region'", qr/region $region\b/ ],
);
my $n = 0;
foreach my $t (@tamperings)
{
	my ($what, $sql, $pattern) = @$t;
	my $db = copy('s' . ++$n);
	$node->safe_psql($db, "SET session_replication_role = replica; $sql");
	like(verify($db), $pattern, "8b. $what: found against the log");
}

# 9. A dump, doctored, restored: the restore checks what it loads against the heads and
#    refuses to finish; a faithful one finishes, and is logged as a restore.
my $dump = $node->basedir . '/base.dump';
my $data = $node->basedir . '/data.sql';
my $doctored = $node->basedir . '/doctored.sql';
command_ok([ 'pg_dump', '-Fc', '-d', $node->connstr('base'), '--exclude-schema=tamper', '--exclude-schema=audit_sql', '-f', $dump ],
	'a dump of the province');
command_ok([ 'pg_restore', '--section=data', '-f', $data, $dump ], 'its data, as SQL');
{
	open my $in, '<', $data or die $!;
	open my $out, '>', $doctored or die $!;
	my ($in_log, $done) = (0, 0);
	while (my $line = <$in>)
	{
		$in_log = 1 if $line =~ /^COPY subsidy\.audit_log /;
		$in_log = 0 if $line =~ /^\\\.$/;
		# the first transition's figures: its review round rewritten
		$done = 1 if $in_log && !$done && $line =~ s/"round": 1/"round": 2/;
		print $out $line;
	}
	ok($done, 'the dump doctored: one entry of the log rewritten');
}

# restore(db, data): the README's restore: the schema, begin_restore, the data, the rest,
# then finish_restore with the heads kept outside.
sub restore
{
	my ($db, $file, $from, $with) = @_;
	$from //= $dump;
	$with //= $heads;
	$node->safe_psql('postgres', "DROP DATABASE IF EXISTS $db");
	$node->safe_psql('postgres', "CREATE DATABASE $db");
	$node->command_ok([ 'pg_restore', '--section=pre-data', '-d', $node->connstr($db), $from ], "$db: the schema");
	$node->safe_psql($db, 'SELECT subsidy.begin_restore()');
	my ($ret, $out, $err) = $node->psql($db, '', extra_params => [ '-f', $file, '-v', 'ON_ERROR_STOP=1' ]);
	return ($ret, $out, $err) if $ret != 0;
	$node->command_ok([ 'pg_restore', '--section=post-data', '-d', $node->connstr($db), $from ], "$db: the rest");
	return $node->psql($db, "CALL subsidy.finish_restore('$with'::jsonb)");
}
my ($ret, $out, $err) = restore('r_doctored', $doctored);
isnt($ret, 0, '9. a doctored dump: the restore refuses it');
like($err, qr/hash|changed|head/, '9. ... and says why');

# 9a. A dump whose tables, not its log, were doctored (the third tester's F3b): an application
#     moved to another region.  The log verifies against the heads; the tables do not verify
#     against the log, and the restore is refused.
my $moved = $node->basedir . '/moved.sql';
{
	open my $in, '<', $data or die $!;
	open my $out, '>', $moved or die $!;
	my ($in_table, $done) = (0, 0);
	while (my $line = <$in>)
	{
		$in_table = 1 if $line =~ /^COPY subsidy\.application \(/;
		$in_table = 0 if $line =~ /^\\\.$/;
		$done = 1 if $in_table && !$done && $line =~ s/^($app\t[^\t]*\t)$app_region\t/$1$other\t/;
		print $out $line;
	}
	ok($done, 'a dump doctored: an application moved to another region in its table');
}
($ret, $out, $err) = restore('r_moved', $moved);
isnt($ret, 0, '9a. tables doctored in the dump: finish_restore refuses it');
like($err, qr/application $app\b/, '9a. ... and names the row');

# 9b. A dump of a database doctored with its chain recomputed (t1): every entry hashes to its
#     contents and links to the one before; only the heads kept outside show it.
my $rechained = $node->basedir . '/rechained.dump';
my $rechained_data = $node->basedir . '/rechained.sql';
command_ok([ 'pg_dump', '-Fc', '-d', $node->connstr('t1'), '--exclude-schema=tamper', '--exclude-schema=audit_sql', '-f', $rechained ],
	'a dump of the re-chained copy');
command_ok([ 'pg_restore', '--section=data', '-f', $rechained_data, $rechained ], 'its data, as SQL');
($ret, $out, $err) = restore('r_rechained', $rechained_data);
isnt($ret, 0, '9b. a dump re-chained after an edit: finish_restore refuses it');
like($err, qr/does not verify.*\n.*head/s, '9b. ... against the heads, and says so');
is($node->safe_psql('r_rechained', 'SELECT count(*) FROM subsidy.restore_in_progress'), '1',
	'9b. ... and the restore stays unfinished');

# 9c. The same re-chained dump with heads that leave its region out (the second attack round:
#     a partial heads file): the other chains verify, and finish_restore says which chains it
#     checked against themselves only.
my $partial = $node->safe_psql('base',
	qq{SELECT jsonb_agg(h) FROM subsidy.audit_heads() h WHERE h.region <> '$region'});
($ret, $out, $err) = restore('r_partial', $rechained_data, undef, $partial);
like($err, qr/checked against themselves only/, '9c. heads that leave a chain out: finish_restore says so');
like($err, qr/chains of [^\n]*\b$region\b/, '9c. ... and names the chain');

($ret, $out, $err) = restore('r_faithful', $data);
is($ret, 0, 'a faithful dump restores') or diag($err);
is($node->safe_psql('r_faithful', q{SELECT count(DISTINCT region) > 0 FROM subsidy.audit_log WHERE action = 'restore'}), 't',
	'and the restore is logged in the chains');
is(verify('r_faithful'), '', 'and the restored database verifies against the heads');

# 10. A staff role renamed by the DBA (the fourth tester's F3): a staff row holds its role by
#     name, so the rename is logged, by the extension in the database ALTER ROLE runs in, by
#     subsidy.log_role_renamed in any other.  Each database then verifies, and a faithful dump
#     of one restores; a staff row put in with the triggers off is still found.
my $staff = 'zhang_li';
$node->safe_psql('base', qq{CREATE ROLE $staff LOGIN IN ROLE subsidy_hrss;
                           INSERT INTO subsidy.staff_region (staff, region) VALUES ('$staff', '$region')});
copy('renamed');
$node->safe_psql('renamed', qq{ALTER ROLE "$staff" RENAME TO "${staff}_renamed"});
is(verify('renamed'), '', "10. $staff renamed: the database the rename ran in verifies");
like(verify('base'), qr/staff_region "?${staff}_renamed"? .*not in the log/, '10. ... another database did not see it, and says so');
is($node->safe_psql('base', qq{SELECT subsidy.log_role_renamed('"${staff}_renamed"', '$staff') > 0}), 't',
	'10. ... until a superuser logs it there');
is(verify('base'), '', '10. ... and then it verifies');
my $renamed_dump = $node->basedir . '/renamed.dump';
my $renamed_data = $node->basedir . '/renamed.sql';
my $renamed_heads = $node->safe_psql('renamed', 'SELECT jsonb_agg(h) FROM subsidy.audit_heads() h');
command_ok([ 'pg_dump', '-Fc', '-d', $node->connstr('renamed'), '--exclude-schema=tamper', '--exclude-schema=audit_sql', '-f', $renamed_dump ],
	'10. a dump of the database with the renamed role');
command_ok([ 'pg_restore', '--section=data', '-f', $renamed_data, $renamed_dump ], '10. its data, as SQL');
($ret, $out, $err) = restore('r_renamed', $renamed_data, $renamed_dump, $renamed_heads);
is($ret, 0, '10. a faithful dump after a rename restores') or diag($err);
my $elsewhere = $node->safe_psql('renamed', "SELECT code FROM subsidy.region WHERE is_pool AND code <> '$region' ORDER BY code LIMIT 1");
$node->safe_psql('renamed', qq{SET session_replication_role = replica; INSERT INTO subsidy.staff_region VALUES ('"${staff}_renamed"', '$elsewhere')});
like(verify('renamed'), qr/staff_region "?${staff}_renamed"? $elsewhere is in the table, but not in the log/,
	'10. a staff row put in with the triggers off, after the rename: still found');

$node->stop;
done_testing();
