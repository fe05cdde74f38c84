#!/usr/bin/perl
# Probe: extract every part that Mail::SpamAssassin::Message::Node::rendered renders as HTML from
# mbox files (SpamAssassin's own MIME parser), and print the text Node.pm hands to
# Mail::SpamAssassin::HTML->parse together with Node.pm's own renderings and HTML URIs.
#
# Usage: perl tools/probes/html-parts.pl [--max-messages N] [--skip-messages N] FILE.mbox...
# Output per HTML part (binary-safe, lengths in bytes; U = character string, written as UTF-8):
#   part <file> <message-index> <part-index>\n
#   in <B|U> <len>\n<bytes>\n
#   all|visible|invisible <B|U> <len>\n<bytes>\n
#   uri <B|U> <len>\n<bytes>\n      (one per key of html_results->{uri_detail}, sorted)
#   end\n
# Messages are split at /^From / lines (good enough for collecting HTML parts).
use strict;
use warnings;
no warnings 'utf8';
use File::Temp qw(tempdir);
use Mail::SpamAssassin;
use Mail::SpamAssassin::Message::Node;

my ($max, $skip) = (0, 0);
while (@ARGV && $ARGV[0] =~ /^--/) {
  my $o = shift @ARGV;
  if ($o eq '--max-messages') { $max = shift @ARGV; }
  elsif ($o eq '--skip-messages') { $skip = shift @ARGV; }
  else { die "unknown option $o\n"; }
}

$ENV{TZ} = 'UTC';
my $home = tempdir(CLEANUP => 1);
$ENV{HOME} = $home;
open(my $pf, '>', "$home/user_prefs") or die; close $pf;
my $sa = Mail::SpamAssassin->new({
  userprefs_filename => "$home/user_prefs",
  local_tests_only => 1,
  dont_copy_prefs => 1,
});
$sa->init(1);

binmode STDOUT;

sub rec {
  my ($tag, $s) = @_;
  my $f = utf8::is_utf8($s) ? 'U' : 'B';
  my $b = $s;
  utf8::encode($b) if $f eq 'U';
  print "$tag $f ", length($b), "\n", $b, "\n";
}

sub do_message {
  my ($file, $idx, $lines) = @_;
  my $msg = $sa->parse($lines, 1);
  my $pi = 0;
  for my $p ($msg->find_parts(qr/./, 1)) {
    $pi++;
    next unless $p->effective_type() eq 'text/html';
    my $text = $p->decode;
    next if $text eq '';
    my $charset = defined $p->{charset} ? $p->{charset} : 'us-ascii';
    my $in = Mail::SpamAssassin::Message::Node::_normalize($text, $charset, 1);
    $p->rendered();
    print "part $file $idx $pi\n";
    rec('in', $in);
    rec('all', $p->{rendered});
    rec('visible', $p->{visible_rendered});
    rec('invisible', $p->{invisible_rendered});
    my $u = $p->{html_results}{uri_detail} || {};
    rec('uri', $_) for sort keys %$u;
    print "end\n";
  }
  $msg->finish();
}

for my $file (@ARGV) {
  open(my $fh, '<', $file) or die "$file: $!\n";
  binmode $fh;
  my (@cur, $n);
  $n = 0;
  my $flush = sub {
    return unless @cur;
    $n++;
    do_message($file, $n, [@cur]) if $n > $skip && (!$max || $n <= $skip + $max);
    @cur = ();
  };
  while (my $l = <$fh>) {
    if ($l =~ /^From \S/) { $flush->(); next; }
    push @cur, $l;
    last if $max && $n >= $skip + $max;
  }
  $flush->();
  close $fh;
}
