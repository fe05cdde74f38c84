#!/usr/bin/perl
# uri-list.pl: ground truth for src/mail/uri.ts (PerMsgStatus.pm::get_uri_list of the installed
# Mail::SpamAssassin 4.0.1, run in isolation: scratch HOME, empty user_prefs, local_tests_only, TZ=UTC).
#
# Two modes, both print ONE JSON line per case:
#
#  perl tools/probes/uri-list.pl [--limit N] [--sample F --seed S] MBOX...
#     Splits each mbox at its From_ lines (ArchiveIterator.pm's default mbox_format_from_regex), parses every message
#     with SpamAssassin and prints its inputs and output:
#       {"i","file","offset",
#        "lines": [...]           get_decoded_stripped_body_text_array (the "all" rendering, bytes)
#        "html":  [{"s","chars"}] keys of uri_detail of every metadata html_all entry (HTML.pm push_uri)
#        "uris":  [{"s","chars"}] get_uri_list, sorted}
#
#  perl tools/probes/uri-list.pl --direct < cases.jsonl
#     Each input line is {"lines": [...], "html": [{"s","chars"}...]}; the probe runs SpamAssassin's own
#     _process_text_uri_list / _process_html_uri_list / get_uri_list on exactly these inputs (no message
#     parsing) and prints {"uris": [...]} for it.
#
# JSON strings: a byte string is written with one code point per byte (JS: a "binary string"); entries of
# "html"/"uris" carry "chars": 1 when the Perl string had its utf8 flag on (code points then are
# characters, possibly > 0xFF). --sample F keeps message i iff the first 32 bits of SHA-1("SEED:i") / 2^32
# < F (i counts every message found).
use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";
use SaProbe qw(json raw_stdio isolated_sa sampled mbox_messages from_regex pstr from_pstr);
use Getopt::Long;
use JSON::PP;

my %opt = (seed => 0);
GetOptions(\%opt, 'limit=i', 'sample=f', 'seed=s', 'direct') or die "bad options\n";

my ($sa) = isolated_sa('sa-uri', bayes_path => 'bayes');
require Mail::SpamAssassin::PerMsgStatus;

my $json = json();
raw_stdio();

sub sorted_uris {
  my ($pms) = @_;
  return [ map { pstr($_) } sort { $a cmp $b } $pms->get_uri_list() ];
}

if ($opt{direct}) {
  my $empty = $sa->parse("Subject: x\n\nx\n", 1);
  while (my $line = <STDIN>) {
    next unless $line =~ /\S/;
    my $case = JSON::PP->new->utf8->decode($line);
    my $pms = Mail::SpamAssassin::PerMsgStatus->new($sa, $empty);
    my @lines = map { my $x = $_; utf8::downgrade($x); $x } @{ $case->{lines} || [] };
    $empty->{text_rendered} = \@lines;
    my %detail;
    $detail{ from_pstr($_) }->{types}->{a} = 1 for @{ $case->{html} || [] };
    $empty->{metadata}->{html_all} = [ { uri_detail => \%detail } ];
    print $json->encode({ uris => sorted_uris($pms) }), "\n";
    $pms->finish();
    delete $empty->{text_rendered};
    delete $empty->{metadata}->{html_all};
  }
  exit 0;
}

my $from_re = from_regex($sa);
my ($i, $printed) = (-1, 0);
FILE: foreach my $file (@ARGV) {
  mbox_messages($file, $from_re, sub {
    my ($lines, $offset) = @_;
    $i++;
    return 1 unless sampled(\%opt, $i);
    emit($file, $offset, $lines);
    $printed++;
    return !(defined $opt{limit} && $printed >= $opt{limit});
  }) or last FILE;
}
exit 0;

sub emit {
  my ($file, $offset, $lines) = @_;
  my %r = (i => $i, file => $file, offset => $offset);
  my $ok = eval {
    my $msg = $sa->parse($lines, 1);
    my $pms = Mail::SpamAssassin::PerMsgStatus->new($sa, $msg);
    $r{lines} = [ @{ $pms->get_decoded_stripped_body_text_array() } ];
    my @html;
    foreach my $h (@{ $msg->{metadata}->{html_all} || [] }) {
      push @html, map { pstr($_) } sort { $a cmp $b } keys %{ $h->{uri_detail} || {} };
    }
    $r{html} = \@html;
    $r{uris} = sorted_uris($pms);
    $pms->finish();
    $msg->finish();
    1;
  };
  $r{error} = "$@" unless $ok;
  print $json->encode(\%r), "\n";
}
