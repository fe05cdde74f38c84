#!/usr/bin/perl
# received-line.pl: ground truth for src/mail/received.ts (Message/Metadata/Received.pm parse_received_line).
#
# Reads one Received value per input line (raw bytes, used as is without the "\n") and prints one JSON
# line per input line:
#   {"in": line, "result": "skip"|"unparseable"|"relay", "as_string": ..., "ip_private": 0|1,
#    "auth": ..., "pop_fetcher": 0|1, "qms_env_from": string|null}
# pop_fetcher: found_pop_fetcher_sig was called; qms_env_from: what a qmail-scanner line saved.
# Runs Mail::SpamAssassin's parser directly (no configuration is involved in parse_received_line).
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use SaProbe qw(json raw_stdio);
use Mail::SpamAssassin;
use Mail::SpamAssassin::Message::Metadata;

my $json = json();
raw_stdio();

my $pop = 0;
{
  no warnings 'redefine';
  *Mail::SpamAssassin::Message::Metadata::found_pop_fetcher_sig = sub { $pop = 1; };
}

while (my $line = <STDIN>) {
  chomp $line;
  $pop = 0;
  my $md = Mail::SpamAssassin::Message::Metadata->new(undef);
  my $r = $md->parse_received_line($line);
  my %o = (in => $line, pop_fetcher => $pop, qms_env_from => $md->{qmail_scanner_env_from});
  if (!defined $r) { $o{result} = 'unparseable'; }
  elsif (!$r) { $o{result} = 'skip'; }
  else {
    $o{result} = 'relay';
    $o{as_string} = $r->{as_string};
    $o{ip_private} = $r->{ip_private} ? 1 : 0;
    $o{auth} = $r->{auth};
  }
  print $json->encode(\%o), "\n";
}
