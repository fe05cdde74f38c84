#!/usr/bin/perl
# Probe: render HTML texts exactly as Mail::SpamAssassin::Message::Node::rendered does
# (Mail::SpamAssassin::HTML->new(1,1) on top of HTML::Parser) and print the renderings and URIs.
#
# Usage:
#   perl tools/probes/html-render.pl [--utf8] < file.html
#       one document; --utf8 decodes the input as UTF-8 first (character string), otherwise the
#       bytes are passed as a byte string (what Node.pm does for an undecoded pure-ASCII part).
#   perl tools/probes/html-render.pl --batch < records
#       records: "B <len>\n<bytes>\n" (byte string) or "U <len>\n<utf-8 bytes>\n" (character string)
#
# Output per document (strings escaped: printable ASCII except '\' as is, others as \x{HEX} code
# points; prefix U = utf8 flag on, B = off):
#   all U"..."
#   visible U"..."
#   invisible U"..."
#   uri U"..."          one line per key of HTML.pm's uri_detail hash (sorted), the URIs that
#                       PerMsgStatus::_process_html_uri_list hands on
#   end
use strict;
use warnings;
no warnings 'utf8';
use FindBin;
use lib "$FindBin::Bin/lib";
use SaProbe qw(raw_stdio);
use Mail::SpamAssassin::HTML;
use Encode ();

raw_stdio();

sub esc {
  my ($s) = @_;
  return 'undef' unless defined $s;
  my $f = utf8::is_utf8($s) ? 'U' : 'B';
  my $o = join '', map {
    my $c = ord;
    ($c < 0x20 || $c == 0x5c || $c == 0x22 || $c > 0x7e) ? sprintf('\\x{%x}', $c) : $_
  } split //, $s;
  return "$f\"$o\"";
}

sub render {
  my ($text) = @_;
  my $html = Mail::SpamAssassin::HTML->new(1, 1);
  $html->parse($text);
  my $all = $html->get_rendered_text();
  my $vis = $html->get_rendered_text(invisible => 0);
  my $inv = $html->get_rendered_text(invisible => 1);
  my $uris = $html->get_results()->{uri_detail} || {};
  print 'all ', esc($all), "\n";
  print 'visible ', esc($vis), "\n";
  print 'invisible ', esc($inv), "\n";
  print 'uri ', esc($_), "\n" for sort keys %$uris;
  print "end\n";
}

if (@ARGV && $ARGV[0] eq '--batch') {
  while (defined(my $hdr = <STDIN>)) {
    chomp $hdr;
    next if $hdr eq '';
    my ($flag, $len) = $hdr =~ /^([BU]) (\d+)$/ or die "bad record header: $hdr\n";
    my $buf = '';
    read(STDIN, $buf, $len) == $len or die "short read\n" if $len;
    my $nl = <STDIN>;
    $buf = Encode::decode('UTF-8', $buf) if $flag eq 'U';
    render($buf);
  }
} else {
  local $/;
  my $text = <STDIN>;
  $text = '' unless defined $text;
  $text = Encode::decode('UTF-8', $text) if @ARGV && $ARGV[0] eq '--utf8';
  render($text);
}
