# Loaded at session start, or no clerk is served (S1, S3): the hooks that keep EXPLAIN and
# LOCK TABLE of the extension's tables from clerks are in place only when the library is
# loaded as a session starts.  On a server that does not preload it, the install warns, a
# clerk's query is refused with a message that says why, and the DBA's work goes on; with
# session_preload_libraries set for the database, the clerk is served and EXPLAIN refused.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('preload');
$node->init(extra => [ '--locale=C.UTF-8', '--encoding=UTF8' ]);
$node->start;

my ($ret, $out, $err) = $node->psql('postgres', 'CREATE EXTENSION subsidy');
is($ret, 0, 'the extension installs without the library preloaded');
like($err, qr/subsidy is not loaded when sessions start, so it will serve no clerk/, 'and the install says so');

$node->safe_psql('postgres', q{
  CREATE ROLE clerk LOGIN IN ROLE subsidy_hrss;
  INSERT INTO subsidy.staff_region (staff, region) VALUES ('clerk', '220100');
});
($ret, $out, $err) = $node->psql('postgres', 'SELECT count(*) FROM subsidy.application', extra_params => [ '-U', 'clerk' ]);
isnt($ret, 0, 'a clerk is refused in a session that did not load the library at its start');
like($err, qr/subsidy was not loaded when this session started/, 'with a message that says why');
is($node->safe_psql('postgres', 'SELECT count(*) FROM subsidy.application'), '0', 'the DBA is served');

$node->safe_psql('postgres', q{ALTER DATABASE postgres SET session_preload_libraries = 'subsidy'});
is($node->safe_psql('postgres', 'SELECT count(*) FROM subsidy.application', extra_params => [ '-U', 'clerk' ]),
	'0', 'with session_preload_libraries, the clerk is served');
($ret, $out, $err) = $node->psql('postgres', 'EXPLAIN SELECT * FROM subsidy.application', extra_params => [ '-U', 'clerk' ]);
like($err, qr/permission denied to explain a query on the extension's tables/, 'and EXPLAIN of its tables refused');
($ret, $out, $err) = $node->psql('postgres', 'BEGIN; LOCK TABLE subsidy.application; ROLLBACK', extra_params => [ '-U', 'clerk' ]);
like($err, qr/permission denied to lock table application/, 'and LOCK TABLE');

$node->stop;
done_testing();
