#!/usr/bin/env bash
# Messages in Chinese (issue 12): the catalogs are complete, the template holds every message
# of the sources, and with lc_messages = zh_CN.UTF-8 every message of the extension that the
# pg_regress suites reach (their failure cases, the DBA procedures' notices) comes out in
# Chinese.  The suites run again on the test cluster (PGHOST, PGPORT set by test-all.sh) with
# PGOPTIONS naming the locale; their expected outputs are English, so only the messages are
# checked: each ERROR, WARNING, NOTICE, DETAIL and HINT line is matched against every English
# message of the template, and one that matches is a message left untranslated.  Prints
# "ok   NAME" / "FAIL NAME" per check.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
source "$ROOT/test/lib.sh"
source "$ROOT/test/checks.sh"
work=$(mktemp -d /tmp/subsidy-messages.XXXXXX)
chmod 777 "$work"

complete() {
	local lang stats
	for lang in $(make -s -C "$ROOT" print-languages); do
		stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$ROOT/po/$lang.po" 2>&1) || { echo "$stats"; return 1; }
		echo "  $lang: $stats"
		case "$stats" in *fuzzy*|*untranslated*) return 1 ;; esac
	done
}
check "messages: every catalog translates every message of the template (msgfmt --check --statistics)" complete

in_template() { make -s -C "$ROOT" check-po; }
check "messages: the template holds every message of the sources, and every catalog translates each" in_template

ensure_locale zh_CN.UTF-8 || { fail "messages: the locale zh_CN.UTF-8 exists"; checks_summary messages; exit 1; }

# The pg_regress suites, under zh_CN.UTF-8, into a directory of their own.  lc_messages is a
# superuser's setting, so a clerk's login cannot ask for it: the server's default is set for
# the run (and put back after it), and the suites run in a database made here, since
# pg_regress sets lc_messages = C on the databases it makes itself.
restore_messages() {
	psql -X -q -d postgres -c "ALTER SYSTEM RESET lc_messages" -c "SELECT pg_reload_conf()" >/dev/null 2>&1
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS subsidy_messages" >/dev/null 2>&1
	rm -rf "$work"
}
trap restore_messages EXIT
chinese_run() {
	psql -X -q -d postgres -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS subsidy_messages" \
		-c "CREATE DATABASE subsidy_messages TEMPLATE template0" \
		-c "ALTER SYSTEM SET lc_messages = 'zh_CN.UTF-8'" -c "SELECT pg_reload_conf()" >/dev/null || return 1
	(cd "$ROOT" && "$(dirname "$(dirname "$(dirname "$($PG_CONFIG --pgxs)")")")/src/test/regress/pg_regress" \
		--inputdir=. --outputdir="$work" --bindir="$PG_BIN" --use-existing --dbname=subsidy_messages \
		$(make -s -C "$ROOT" print-regress) >"$work/run.log" 2>&1)
	# a suite that fails here fails on its English expected output: that is the point
	[ -d "$work/results" ] && ! grep -q 'test process exited' "$work/run.log" ||
		{ cat "$work/run.log"; return 1; }
}
check "messages: the pg_regress suites run under lc_messages = zh_CN.UTF-8" chinese_run

# scan: each message line of the results against the template's English messages.
cat > "$work/scan.pl" <<'PERL'
use strict;
use utf8;
use warnings;
my ($pot, @outputs) = @_ ? @_ : @ARGV;
# the template's messages: msgid and msgid_plural, joined across continued lines
my (@english, $current);
open my $fh, '<', $pot or die "$pot: $!";
my $field = '';
while (my $line = <$fh>) {
	if ($line =~ /^(msgid|msgid_plural) "(.*)"$/) { push @english, $current if defined $current && $current ne ''; $current = $2; $field = $1; next; }
	if ($line =~ /^"(.*)"$/ && $field =~ /^msgid/) { $current .= $1; next; }
	if ($line =~ /^msgstr/) { push @english, $current if defined $current && $current ne ''; undef $current; $field = ''; }
}
close $fh;
my @patterns;
for my $m (@english) {
	$m =~ s/\\"/"/g; $m =~ s/\\n/\n/g; $m =~ s/\\\\/\\/g;
	(my $letters = $m) =~ s/%(\d+\$)?[-0-9.]*(l|ll|z)?[sdui%]//g;
	next unless $letters =~ /[A-Za-z]{3}/;        # a format with no words of its own says nothing English
	my $first = (split /\n/, $m)[0];
	my $re = join '', map { /^%/ ? '.*' : quotemeta $_ } split /(%(?:\d+\$)?[-0-9.]*(?:l|ll|z)?[sdui])/, $first;
	$re =~ s/\\%\\%/%/g;
	push @patterns, [qr/^$re$/, $first];
}
# what the test scripts raise themselves, not the extension
my @tests_own = (qr/^interrupted half-way through /, qr/^relations the reader may read: /, qr/^every report read in full$/,
	# the lines of a plan the superuser's own EXPLAIN prints (hostile_clerk: what a clerk may not see)
	qr/^Index (Only )?Scan using /, qr/^Index Cond: /);
# PostgreSQL's own messages that some minor releases' zh_CN catalogue does not translate yet
# (the reserved-prefix check of a fresh Debian 12's minor release, which its catalogue leaves English)
my @postgres_own = (qr/^invalid configuration parameter name "/, qr/^"[^"]+" is a reserved prefix\.$/);
my (%english_seen, %plain, $lines, $chinese);
for my $out (@outputs) {
	open my $o, '<', $out or next;
	while (my $line = <$o>) {
		next unless $line =~ /^(ERROR|WARNING|NOTICE|DETAIL|HINT|错误|警告|注意|详细信息|提示):\s+(.*)$/;
		my $text = $2;
		$lines++;
		my $label = $1;
		if ($text =~ /\p{Han}/) { $chinese++; }
		elsif (!grep { $text =~ $_ } @tests_own, @postgres_own) { (my $f = $out) =~ s{.*/}{}; $plain{"$f: $label:  $text"}++; }
		for my $p (@patterns) {
			if ($text =~ $p->[0]) { $english_seen{$p->[1]} = $out; last; }
		}
	}
}
printf "  %d message lines under zh_CN, %d with Chinese in them; %d English messages of the template reached\n",
	$lines // 0, $chinese // 0, scalar keys %english_seen;
for my $m (sort keys %english_seen) { (my $f = $english_seen{$m}) =~ s{.*/}{}; print "  untranslated ($f): $m\n"; }
# a message with no Chinese in it at all is one the template missed (a format not marked for
# translation, a sentence passed as an argument): every message the suites reach is Chinese
for my $l (sort keys %plain) { print "  not Chinese: $l\n"; }
exit((keys %english_seen) || (keys %plain) ? 1 : ($lines // 0) < 200 ? 2 : 0);
PERL
all_chinese() { perl -CSD "$work/scan.pl" "$ROOT/po/subsidy.pot" "$work"/results/*.out; }
check "messages: under zh_CN.UTF-8, every message of the extension the suites reach is Chinese" all_chinese

checks_summary messages
[ "$failed" -eq 0 ]
