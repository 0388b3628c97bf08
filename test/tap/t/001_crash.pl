# Crash: the whole server (postmaster and every backend) is killed with SIGKILL in the
# middle of assess_year and in the middle of a payment batch.  After crash recovery every
# application's stage agrees with its audit trail, no payment is half recorded, and running
# the step again completes it.
use strict;
use warnings;
use FindBin;
use IPC::Run;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $root = "$FindBin::RealBin/../../..";
my $applications = $ENV{CRASH_APPLICATIONS} // 20000;

my $node = PostgreSQL::Test::Cluster->new('crash');
# UTF-8 whatever the caller's locale: the test framework clears LC_ALL, and without a
# locale initdb would make an SQL_ASCII cluster, which ICU collations refuse.
$node->init(extra => [ '--locale=C.UTF-8', '--encoding=UTF8' ]);
$node->append_conf('postgresql.conf', "shared_buffers = '256MB'\nmax_wal_size = '2GB'\nshared_preload_libraries = 'subsidy'\n");
$node->start;
$node->safe_psql('postgres', 'CREATE EXTENSION subsidy');

# psql_file(file, var => value, ...): run a script of the sample province.
sub psql_file
{
	my ($file, %vars) = @_;
	my @cmd = ('psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', $node->connstr('postgres'));
	push @cmd, '-v', "$_=$vars{$_}" for sort keys %vars;
	push @cmd, '-f', $file;
	my ($out, $err);
	local $ENV{PGOPTIONS} = '-c client_min_messages=warning';
	my $ok = IPC::Run::run(\@cmd, '>', \$out, '2>', \$err);
	diag($err) unless $ok;
	return $ok;
}

# The processes whose parent is $ppid, read from /proc (a minimal system has no ps).
sub children_of
{
	my ($ppid) = @_;
	my @pids;
	opendir my $dir, '/proc' or die "no /proc: $!";
	for my $pid (grep { /^\d+$/ } readdir $dir)
	{
		open my $s, '<', "/proc/$pid/stat" or next;
		my $stat = <$s>;
		close $s;
		# pid (comm) state ppid ...: comm may hold spaces and parentheses, so split after the last ')'
		push @pids, $pid if defined $stat && $stat =~ /\)\s+\S+\s+(\d+)/s && $1 == $ppid;
	}
	closedir $dir;
	return @pids;
}

# Kill the postmaster and every process it started at once, as a power cut would.
sub crash
{
	open my $fh, '<', $node->data_dir . '/postmaster.pid' or die "no postmaster.pid: $!";
	my $postmaster = <$fh>;
	close $fh;
	chomp $postmaster;
	my @children = children_of($postmaster);
	kill 9, $postmaster, @children;
	$node->{_pid} = undef;
	# Wait until every process is dead.  A dead postmaster that nobody has reaped yet (the
	# init of a container may be slow to) still holds its pid, which the next postmaster
	# would take for a live one: its lock file goes once it is a zombie.
	for my $pid ($postmaster, @children)
	{
		for (1 .. 600)
		{
			last unless -e "/proc/$pid";
			my $stat = do { local $/; open my $s, '<', "/proc/$pid/stat" or last; <$s> };
			last if defined $stat && $stat =~ /^\d+ \(.*\) Z/s;
			select(undef, undef, undef, 0.1);
		}
	}
	unlink $node->data_dir . '/postmaster.pid', $node->host . '/.s.PGSQL.' . $node->port . '.lock';
	$node->start;
}

# run_in_background(sql): a session that runs sql while the test watches.
sub run_in_background
{
	my ($sql) = @_;
	my ($out, $err) = ('', '');
	my $h = IPC::Run::start(
		[ 'psql', '-X', '-q', '-d', $node->connstr('postgres'), '-c', $sql ],
		'>', \$out, '2>', \$err);
	return $h;
}

ok(psql_file("$root/test/sample/province.sql", applications => $applications, stage => 'in_review', keep => 1),
	"a province of $applications applications, in review");
my $in_review = $node->safe_psql('postgres', "SELECT count(*) FROM subsidy.application WHERE stage = 'in_review'");

# waiting_on_lock(pattern): poll until a session whose query matches waits for a lock.
sub waiting_on_lock
{
	my ($pattern) = @_;
	return $node->poll_query_until('postgres',
		"SELECT count(*) > 0 FROM pg_stat_activity WHERE query LIKE '%$pattern%' AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()");
}

# 1. assess_year, killed after some batches are committed (its verdicts lock no application
# row since they lost their foreign keys, so it is caught by its progress, not by a lock).
my $batch = 1000;
my $h = run_in_background("CALL subsidy.assess_year(2019, NULL, $batch)");
$node->poll_query_until('postgres', 'SELECT count(*) >= 3000 FROM subsidy.application_verdict')
  or die 'assess_year stored nothing';
crash();
$h->finish;
my ($stored) = $node->safe_psql('postgres', 'SELECT count(*) FROM subsidy.application_verdict');
cmp_ok($stored, '<', $in_review, "killed half-way: $stored of $in_review verdicts stored, whole batches only");
is($stored % $batch, 0, 'the stored verdicts are whole batches');
is($node->safe_psql('postgres',
		'SELECT count(*) FROM subsidy.application_verdict v JOIN subsidy.application a ON a.id = v.application_id
		  WHERE v.verdict OPERATOR(subsidy.<>) subsidy.verdict_of(a)'),
	'0', 'every stored verdict is the one the engine gives');
is($node->safe_psql('postgres', 'SELECT count(*) FROM subsidy.verify_audit()'), '0',
	'after recovery every stage agrees with its audit trail');
$node->safe_psql('postgres', 'CALL subsidy.assess_year(2019, NULL, 1000)');
is($node->safe_psql('postgres', 'SELECT count(*) FROM subsidy.application_verdict'), $in_review,
	'running assess_year again completes it');

# 2. A payment batch, killed while it pays.
for my $step (qw(06_decide 07_publish 08_clear))
{
	ok(psql_file("$root/test/sample/steps/$step.sql"), "step $step");
}
my $cleared = $node->safe_psql('postgres', "SELECT count(*) FROM subsidy.application WHERE stage = 'cleared'");
$node->safe_psql('postgres', q{
	SELECT set_config('subsidy.payment_batch', 'crash-test', false);
	INSERT INTO subsidy.payment_file_load (uscc, year, amount, paid_on, reference)
	SELECT a.uscc, a.year, a.decided_amount, a.cleared_on + 3, 'CRASH-' || a.id
	  FROM subsidy.application a WHERE a.stage = 'cleared';
});
my $audit_before = $node->safe_psql('postgres', 'SELECT count(*) FROM subsidy.audit_log');
# Caught while it pays, whatever the machine's speed: another session holds the row of one
# application of the batch; the server dies while the batch waits for it, with the payments
# made before it in its transaction.
my $blocker = $node->background_psql('postgres');
$blocker->query_safe(q{BEGIN; SELECT id FROM subsidy.application WHERE stage = 'cleared' ORDER BY id DESC LIMIT 1 FOR UPDATE});
$h = run_in_background(q{SET subsidy.today = '2019-08-01'; CALL subsidy.pay_batch('crash-test')});
waiting_on_lock('pay_batch') or die 'pay_batch did not reach the locked application';
crash();
$h->finish;
eval { $blocker->quit };
is($node->safe_psql('postgres', "SELECT count(*) FROM subsidy.application WHERE stage = 'paid'"), '0',
	'killed while paying: no application is paid');
is($node->safe_psql('postgres', 'SELECT count(*) FROM subsidy.payment_file WHERE applied_at IS NOT NULL'), '0',
	'no payment record is marked applied');
is($node->safe_psql('postgres', 'SELECT count(*) FROM subsidy.audit_log'), $audit_before,
	'no audit entry of the lost payments remains');
is($node->safe_psql('postgres', 'SELECT count(*) FROM subsidy.verify_audit()'), '0',
	'the audit chains verify after recovery');
$node->safe_psql('postgres', q{SET subsidy.today = '2019-08-01'; CALL subsidy.pay_batch('crash-test')});
is($node->safe_psql('postgres', "SELECT count(*) FROM subsidy.application WHERE stage = 'paid'"), $cleared,
	'running pay_batch again pays every cleared application');
is($node->safe_psql('postgres',
		"SELECT count(*) FROM subsidy.application WHERE stage = 'paid' AND paid_amount <> decided_amount"),
	'0', 'each for exactly its decided amount');
is($node->safe_psql('postgres', 'SELECT count(*) FROM subsidy.verify_audit()'), '0',
	'and the trail verifies');

$node->stop;
done_testing();
