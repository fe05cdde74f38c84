#!/usr/bin/perl
# Ground-truth probe for src/mail/charset.ts: Perl's Encode (3.17) and SpamAssassin's
# Mail::SpamAssassin::Message::Node::_normalize, driven by one request per stdin line.
#
# Every field is hex so labels and data may hold any byte. Requests (tab-separated):
#   resolve  <label-hex>                        -> name of Encode::find_encoding(label), or "-" (undef)
#   decode   <label-hex> <mode> <data-hex>      -> "ok <cp> <cp> ..." | "err" | "nodec"
#            mode: croak (FB_CROAK|LEAVE_SRC), subst (LEAVE_SRC only), lax (no check argument)
#   norm     <label-hex|-> <ret-decoded 0|1> <insist 0|1> <data-hex>
#                                               -> "c <cp> ..." (character string) | "b <hex>" (bytes)
# One output line per request, same order. Usage: perl tools/probes/encode.pl < requests
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use SaProbe ();    # the probes' environment (TZ=UTC, LC_TIME=C); no helper needed here
use Encode ();

$| = 0;
my %MODE = (croak => Encode::FB_CROAK() | Encode::LEAVE_SRC(), subst => Encode::LEAVE_SRC(), lax => undef);

sub unhex { my $h = shift; $h = '' unless defined $h; return pack('H*', $h) }
sub cps { my $s = shift; return join(' ', map { sprintf('%X', ord $_) } split //, $s) }

while (my $line = <STDIN>) {
  chomp $line;
  my ($cmd, @f) = split /\t/, $line, -1;
  if ($cmd eq 'resolve') {
    my $enc = Encode::find_encoding(unhex($f[0]));
    print defined $enc ? $enc->name : '-', "\n";
  } elsif ($cmd eq 'decode') {
    my $enc = Encode::find_encoding(unhex($f[0]));
    if (!$enc) { print "nodec\n"; next }
    my $data = unhex($f[2]);
    my $rv;
    my $ok = eval {
      $rv = $f[1] eq 'lax' ? $enc->decode($data) : $enc->decode($data, $MODE{$f[1]});
      defined $rv;
    };
    print $ok ? 'ok ' . cps($rv) : 'err', "\n";
  } elsif ($cmd eq 'norm') {
    require Mail::SpamAssassin::Message::Node;  # loaded on first use: it is slow to load
    my $label = $f[0] eq '-' ? undef : unhex($f[0]);
    my $data = unhex($f[3]);
    my $rv = do {
      no warnings;
      Mail::SpamAssassin::Message::Node::_normalize($data, $label, $f[1] + 0, $f[2] + 0);
    };
    print utf8::is_utf8($rv) ? 'c ' . cps($rv) : 'b ' . unpack('H*', $rv), "\n";
  } else {
    print "?\n";
  }
}
