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
use FindBin;
use lib "$FindBin::Bin/lib";
use SaProbe qw(isolated_sa mbox_messages utf8_bytes);
use Mail::SpamAssassin::Message::Node;

my ($max, $skip) = (0, 0);
while (@ARGV && $ARGV[0] =~ /^--/) {
  my $o = shift @ARGV;
  if ($o eq '--max-messages') { $max = shift @ARGV; }
  elsif ($o eq '--skip-messages') { $skip = shift @ARGV; }
  else { die "unknown option $o\n"; }
}

my ($sa) = isolated_sa('html-parts');

binmode STDOUT;

sub rec {
  my ($tag, $s) = @_;
  my $f = utf8::is_utf8($s) ? 'U' : 'B';
  my $b = utf8_bytes($s);
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
  my $n = 0;
  mbox_messages($file, qr/^From \S/, sub {
    my ($lines) = @_;
    return 1 unless @$lines;
    $n++;
    do_message($file, $n, $lines) if $n > $skip && (!$max || $n <= $skip + $max);
    return !($max && $n >= $skip + $max);
  }, preamble => 1);
}
