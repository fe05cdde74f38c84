#!/usr/bin/perl
# address-xs.pl: ground truth for src/mail/address-xs.ts (the Email::Address::XS fallback of
# Util.pm::parse_header_addresses). Reads one header value per input line as a JSON string (a byte string
# written with one code point per byte, Latin-1 view) and prints one JSON line:
#   {"xs":[...],        Email::Address::XS->parse($value): phrase, user, host, comment, address (accessors)
#    "sa_xs":[...],     Util.pm::_parse_header_addresses_xs($value): phrase, address, user, host, comment
#    "internal":[...],  Util.pm::_parse_header_addresses($value)
#    "pha":[...]}       Util.pm::parse_header_addresses($value) (the whole path SpamAssassin uses)
# Output strings are byte strings, one JSON code point per byte; undef is null.
# Only Mail::SpamAssassin::Util is loaded (no configuration is read); SA_HEADER_ADDRESS_PARSER is cleared.
# Usage: perl tools/probes/address-xs.pl < values.jsonl
use strict;
use warnings;
BEGIN { delete $ENV{SA_HEADER_ADDRESS_PARSER}; }
use FindBin;
use lib "$FindBin::Bin/lib";
use SaProbe qw(json raw_stdio to_bytes addr_fields);
use Email::Address::XS;
use Mail::SpamAssassin::Util;

die "address-xs: Email::Address::XS is not 1.05\n" unless $Email::Address::XS::VERSION eq '1.05';
die "address-xs: Util.pm does not use Email::Address::XS\n" unless $Mail::SpamAssassin::Util::email_address_xs;

my $json = json()->allow_nonref;
raw_stdio();

local $SIG{__WARN__} = sub { };    # Email::Address::XS carps on odd input; the values are what matter
while (my $line = <STDIN>) {
  chomp $line;
  next if $line eq '';
  my $s = to_bytes($json->decode($line), "input has a code point > 0xFF\n");
  my @xs = map { +{ phrase => $_->phrase, user => $_->user, host => $_->host, comment => $_->comment,
                    address => $_->address } } Email::Address::XS->parse($s);
  my %out = (
    xs       => [ map { addr_fields($_) } @xs ],
    sa_xs    => [ map { addr_fields($_) } Mail::SpamAssassin::Util::_parse_header_addresses_xs($s) ],
    internal => [ map { addr_fields($_) } Mail::SpamAssassin::Util::_parse_header_addresses($s) ],
    pha      => [ map { addr_fields($_) } Mail::SpamAssassin::Util::parse_header_addresses($s) ],
  );
  print $json->encode(\%out), "\n";
}
