#!/usr/bin/perl
# uri-idn.pl: ground truth for src/mail/uri/idn.ts. Reads a JSON array of {"s","chars"} strings on stdin
# (chars=0: s is a byte string, one code point per byte; chars=1: a character string) and prints a JSON
# array with, for each, Mail::SpamAssassin::Util::idn_to_ascii(s) of the installed SpamAssassin 4.0.1
# (with Net::LibIDN2 when installed, as SpamAssassin picks it) as a byte string, plus "libidn2" = 1 when
# Net::LibIDN2 was used. Usage: perl tools/probes/uri-idn.pl < hosts.json
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use SaProbe qw(json raw_stdio from_pstr);
use Mail::SpamAssassin::Util;
use Mail::SpamAssassin::Logger;

raw_stdio();
my $json = json();
my $in = $json->decode(do { local $/; <STDIN> });
my @out;
foreach my $h (@$in) {
  my $r = Mail::SpamAssassin::Util::idn_to_ascii(from_pstr($h));
  utf8::downgrade($r) if defined $r;    # documented to be octets
  push @out, $r;
}
print $json->encode({ libidn2 => $Mail::SpamAssassin::Util::have_libidn2 ? 1 : 0, results => \@out }), "\n";
