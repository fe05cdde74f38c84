#!/usr/bin/perl
# relays.pl: ground truth for the relay metadata (src/mail/relays.ts, src/mail/received.ts).
#
# Loads the installed Mail::SpamAssassin 4.0.1 in isolation (scratch HOME, empty user_prefs,
# local_tests_only, default configuration, TZ=UTC) and prints, for every message of the files given
# on the command line, ONE JSON line with the header entries SpamAssassin parsed and the relay
# metadata that Message/Metadata/Received.pm::parse_received_headers computes for it.
#
# Usage: perl tools/probes/relays.pl [--max-size BYTES] [--limit N] [--sample F --seed S] [--detail]
#                                    PATH...
#   PATH ending in .mbox (case-insensitive) is split with ArchiveIterator exactly as sa-learn --mbox
#   does; any other file is one message.
#   --max-size   as sa-learn --max-size (default 512000, 0 = unlimited); too-large messages get
#                {"i","file","offset","skipped":"max_size"} and nothing else.
#   --sample F   keep message i iff first 32 bits of SHA-1("SEED:i") / 2^32 < F (deterministic).
#   --limit N    stop after N printed records.
#   --detail     also print "relays": every relay hash (as_string, ip_private, auth, class) and the
#                number of unparseable Received lines.
# Environment: SA_RELAYS_HOME = scratch HOME (default: a fresh temp dir removed at exit).
#
# RECORD FIELDS (strings are byte strings written as JSON strings of their bytes, i.e. Latin-1 view;
# JSON.parse in JS yields a binary string; output is pure ASCII)
#   i, file, offset   message index in input order (files in argument order, mbox by byte offset),
#                     path, byte offset of the From_ line
#   reparsed          1 if X-Spam-Checker-Version was present and the message was rebuilt with
#                     remove_spamassassin_markup (as sa-learn's wanted() does)
#   headers           [[name, value], ...] every header instance in original order, name as written,
#                     value as Node.pm header()/get_header returns it (unfolded, trimmed, decoded,
#                     no trailing newline); taken BEFORE metadata extraction
#   metadata          { key: value } of get_all_metadata() after extract_message_metadata (the lines
#                     the Bayes learner appends; with the default plugins exactly the four
#                     x-spam-relays-* keys)
#   deleted           names of header instances that extract_message_metadata removed from the message
#                     (present only when non-empty)
#   flagged           places where a string had the utf8 flag on (present only when non-empty)
#   error             present instead of the fields above if SpamAssassin died on the message
use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";
use SaProbe qw(raw_stdio isolated_sa corpus_options archive_records learner_message bstr flag_reset flagged);

my %opt = corpus_options('[--detail]', 'detail');

my ($sa) = isolated_sa('sa-relays', home => $ENV{SA_RELAYS_HOME}, bayes_path => 'bayes/bayes',
                       config => ['bayes_auto_expire 0']);
require Mail::SpamAssassin::PerMsgStatus;
raw_stdio();

# files in argument order, mbox by offset
archive_records($sa, \%opt, \@ARGV, \&analyze, path => sub { die "relays.pl: no such file: $_[0]\n" unless -f $_[0] });
close STDOUT or die "relays.pl: error closing STDOUT: $!\n";
exit 0;

# ---- per message: sa-learn wanted() + Plugin/Bayes.pm get_body_from_msg (metadata part) -----------
sub header_entries {
  my ($msg) = @_;
  my %seen;
  my @out;
  foreach my $name (@{ $msg->{header_order} }) {
    my @vals = $msg->header($name);
    my $k = $seen{lc $name}++;
    push @out, [ bstr($name, "name"), bstr($vals[$k], "header.$name") ];
  }
  return \@out;
}

sub analyze {
  my ($lines) = @_;
  flag_reset();
  my %r;
  my $ok = eval {
    my ($msg, $reparsed) = learner_message($sa, $lines);
    $r{reparsed} = 1 if $reparsed;
    $r{headers} = header_entries($msg);
    my @before = @{ $msg->{header_order} };

    # exactly what Plugin/Bayes.pm get_body_from_msg does before tokenizing
    my $pms = Mail::SpamAssassin::PerMsgStatus->new($sa, $msg);
    $msg->extract_message_metadata($pms);

    my %after;
    $after{$_}++ for @{ $msg->{header_order} };
    my @deleted;
    foreach my $n (@before) {
      if ($after{$n}) { $after{$n}--; } else { push @deleted, $n; }
    }
    $r{deleted} = \@deleted if @deleted;

    my %meta;
    foreach my $line ($msg->get_all_metadata()) {
      my ($k, $v) = $line =~ /^([^:]*): (.*)\n\z/s or die "relays.pl: odd metadata line $line";
      $meta{$k} = bstr($v, "metadata.$k");
    }
    $r{metadata} = \%meta;

    if ($opt{detail}) {
      my $md = $msg->{metadata};
      my @rel;
      foreach my $cls (qw(trusted untrusted internal external)) {
        foreach my $rl (@{ $md->{"relays_$cls"} || [] }) {
          push @rel, { class => $cls, as_string => bstr($rl->{as_string}, 'as_string'),
                       ip_private => ($rl->{ip_private} ? 1 : 0), auth => bstr($rl->{auth}, 'auth') };
        }
      }
      $r{relays} = \@rel;
      $r{unparseable} = 0 + ($md->{num_relays_unparseable} || 0);
    }
    $pms->finish();
    $msg->finish();
    1;
  };
  if (!$ok) {
    my $err = $@ eq '' ? 'unknown error' : $@;
    chomp $err;
    return { error => $err };
  }
  my @flagged = flagged();
  $r{flagged} = \@flagged if @flagged;
  return \%r;
}
