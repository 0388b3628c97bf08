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
	my ($ret, $out, $err) = $node->psql($db, "SELECT region || ' ' || seq || ' ' || coalesce(application_id::text, '-') || ' ' || problem FROM subsidy.verify_audit('$heads'::jsonb) ORDER BY 1");
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
	my ($db, $file) = @_;
	$node->safe_psql('postgres', "DROP DATABASE IF EXISTS $db");
	$node->safe_psql('postgres', "CREATE DATABASE $db");
	$node->command_ok([ 'pg_restore', '--section=pre-data', '-d', $node->connstr($db), $dump ], "$db: the schema");
	$node->safe_psql($db, 'SELECT subsidy.begin_restore()');
	my ($ret, $out, $err) = $node->psql($db, '', extra_params => [ '-f', $file, '-v', 'ON_ERROR_STOP=1' ]);
	return ($ret, $out, $err) if $ret != 0;
	$node->command_ok([ 'pg_restore', '--section=post-data', '-d', $node->connstr($db), $dump ], "$db: the rest");
	return $node->psql($db, "CALL subsidy.finish_restore('$heads'::jsonb)");
}
my ($ret, $out, $err) = restore('r_doctored', $doctored);
isnt($ret, 0, '9. a doctored dump: the restore refuses it');
like($err, qr/hash|changed|head/, '9. ... and says why');

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

($ret, $out, $err) = restore('r_faithful', $data);
is($ret, 0, 'a faithful dump restores') or diag($err);
is($node->safe_psql('r_faithful', q{SELECT count(DISTINCT region) > 0 FROM subsidy.audit_log WHERE action = 'restore'}), 't',
	'and the restore is logged in the chains');
is(verify('r_faithful'), '', 'and the restored database verifies against the heads');

$node->stop;
done_testing();
