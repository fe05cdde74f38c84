#!/usr/bin/perl
# bayes-tokenize.pl: ground truth for the Bayes tokenizer port (src/bayes/tokenize.ts, headers.ts,
# prechew.ts, src/mail/address.ts). Loads the installed Mail::SpamAssassin 4.0.1 in isolation (scratch
# HOME, empty user_prefs, local_tests_only, TZ=UTC) and answers one JSON request per input line with one
# JSON line, calling the plugin's / Util.pm's own subs:
#   {"fn":"line","text":S,"chars":0|1,"prefix":P,"region":0|1|2} -> {"tokens":[...]}   (_tokenize_line)
#   {"fn":"headers","headers":[lines],"metadata":{k:v}}         -> {"values":{prefix:value}} (_tokenize_headers)
#   {"fn":"addr","text":S}      -> {"addrs":[{phrase,address,user,host,comment},...]} (parse_header_addresses)
#   {"fn":"addr_internal",...} / {"fn":"addr_xs",...}: _parse_header_addresses / _parse_header_addresses_xs
#   {"fn":"mailaddrs","text":S} -> {"tokens":[...]}   (_tokenize_mail_addrs)
#   {"fn":"prechew","kind":"message_id"|"received"|"content_type"|"addr_header","text":S} -> {"value":V}
# Strings are byte strings written with one JSON code point per byte (Latin-1 view), except "text" with
# "chars":1, which is a character string. Output strings: byte strings (tokens of character strings are
# downgraded to their Latin-1 bytes; a wider token is an error).
# Usage: perl tools/probes/bayes-tokenize.pl < requests.jsonl
use strict;
use warnings;
no warnings 'once';
use FindBin;
use lib "$FindBin::Bin/lib";
use SaProbe qw(json raw_stdio isolated_sa bayes_plugin bytes_of in_bytes addr_fields);

my ($sa) = isolated_sa('bayes-tokenize', bayes_path => 'bayes', config => ['bayes_auto_expire 0']);
my $bayes = bayes_plugin($sa, 'bayes-tokenize');
# _tokenize_line consults the store's magic regex.
$bayes->{store} ||= Mail::SpamAssassin::BayesStore::DBM->new($bayes) if eval { require Mail::SpamAssassin::BayesStore::DBM; 1 };

my $json = json();
raw_stdio();

sub addr_list { [ map { addr_fields($_) } @_ ] }

{ package FakeMsg;
  sub new { my ($c, %a) = @_; bless {%a}, $c }
  sub get_all_headers { @{ $_[0]{headers} } }
  sub get_all_metadata { my $m = $_[0]{metadata}; map { "$_: $m->{$_}\n" } sort keys %$m }
}

while (my $line = <STDIN>) {
  next unless $line =~ /\S/;
  my $req = $json->decode($line);
  my $fn = $req->{fn};
  my $res = eval {
    if ($fn eq 'line') {
      my $text = $req->{text};
      $text = in_bytes($text) unless $req->{chars};
      utf8::upgrade($text) if $req->{chars};
      $bayes->{stopword_cache} = {};
      return { tokens => [ map { bytes_of($_) } $bayes->_tokenize_line($text, $req->{prefix} // '', $req->{region} // 1) ] };
    }
    if ($fn eq 'headers') {
      my $msg = FakeMsg->new(headers => [ map { in_bytes($_) } @{ $req->{headers} } ],
                             metadata => { map { ($_ => in_bytes($req->{metadata}{$_})) } keys %{ $req->{metadata} || {} } });
      my %h = $bayes->_tokenize_headers($msg);
      return { values => { map { ($_ => bytes_of($h{$_})) } keys %h } };
    }
    if ($fn eq 'addr') { return { addrs => addr_list(Mail::SpamAssassin::Util::parse_header_addresses(in_bytes($req->{text}))) } }
    if ($fn eq 'addr_internal') { return { addrs => addr_list(Mail::SpamAssassin::Util::_parse_header_addresses(in_bytes($req->{text}))) } }
    if ($fn eq 'addr_xs') { return { addrs => addr_list(Mail::SpamAssassin::Util::_parse_header_addresses_xs(in_bytes($req->{text}))) } }
    if ($fn eq 'mailaddrs') { return { tokens => [ map { bytes_of($_) } $bayes->_tokenize_mail_addrs(in_bytes($req->{text})) ] } }
    if ($fn eq 'prechew') {
      my $k = $req->{kind};
      $k =~ /^(?:message_id|received|content_type|addr_header)$/ or die "unknown prechew kind $k\n";
      my $m = "_pre_chew_$k";
      return { value => bytes_of($bayes->$m(in_bytes($req->{text}))) };
    }
    die "unknown fn '$fn'\n";
  };
  if (!$res) { my $e = $@ || 'unknown error'; chomp $e; $res = { error => $e }; }
  print $json->encode($res), "\n";
}
