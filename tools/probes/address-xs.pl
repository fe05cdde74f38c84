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
BEGIN { $ENV{TZ} = 'UTC'; delete $ENV{SA_HEADER_ADDRESS_PARSER}; }
use JSON::PP;
use Email::Address::XS;
use Mail::SpamAssassin::Util;

die "address-xs: Email::Address::XS is not 1.05\n" unless $Email::Address::XS::VERSION eq '1.05';
die "address-xs: Util.pm does not use Email::Address::XS\n" unless $Mail::SpamAssassin::Util::email_address_xs;

my $json = JSON::PP->new->ascii->canonical->allow_nonref;
binmode STDIN, ':raw';
binmode STDOUT, ':raw';
$| = 1;

sub bytes_of {
  my ($s) = @_;
  return undef unless defined $s;
  return $s unless utf8::is_utf8($s);
  my $c = $s;
  utf8::downgrade($c, 1) or die "wide string in output\n";
  return $c;
}
sub fields { my ($h) = @_; +{ map { ($_ => bytes_of($h->{$_})) } qw(phrase address user host comment) } }

local $SIG{__WARN__} = sub { };    # Email::Address::XS carps on odd input; the values are what matter
while (my $line = <STDIN>) {
  chomp $line;
  next if $line eq '';
  my $s = $json->decode($line);
  utf8::downgrade($s, 1) or die "input has a code point > 0xFF\n";
  my @xs = map { +{ phrase => $_->phrase, user => $_->user, host => $_->host, comment => $_->comment,
                    address => $_->address } } Email::Address::XS->parse($s);
  my %out = (
    xs       => [ map { fields($_) } @xs ],
    sa_xs    => [ map { fields($_) } Mail::SpamAssassin::Util::_parse_header_addresses_xs($s) ],
    internal => [ map { fields($_) } Mail::SpamAssassin::Util::_parse_header_addresses($s) ],
    pha      => [ map { fields($_) } Mail::SpamAssassin::Util::parse_header_addresses($s) ],
  );
  print $json->encode(\%out), "\n";
}
