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

BEGIN {
  $ENV{TZ} = 'UTC';
}
use POSIX qw(locale_h);
POSIX::tzset();
POSIX::setlocale(LC_TIME, 'C');

use File::Temp qw(tempdir);
use File::Spec;
use Getopt::Long qw(:config no_ignore_case);
use JSON::PP;
use Digest::SHA qw(sha1_hex);

my %opt = (seed => 0);
my $usage = "usage: $0 [--max-size B] [--limit N] [--sample F --seed S] [--detail] PATH...\n";
GetOptions(\%opt, 'max-size=i', 'limit=i', 'sample=f', 'seed=s', 'detail', 'help|h') or die $usage;
if ($opt{help} || !@ARGV) { print STDERR $usage; exit($opt{help} ? 0 : 2); }
die "--sample must be in (0, 1]\n" if defined $opt{sample} && !($opt{sample} > 0 && $opt{sample} <= 1);

# ---- isolated SpamAssassin ------------------------------------------------------------------------
my $home = $ENV{SA_RELAYS_HOME};
if (!defined $home || $home eq '') {
  $home = tempdir('sa-relays-XXXXXX', TMPDIR => 1, CLEANUP => 1);
}
mkdir $home unless -d $home;
$ENV{HOME} = $home;
my $prefs = File::Spec->catfile($home, 'user_prefs');
{ open(my $fh, '>', $prefs) or die "cannot create $prefs: $!\n"; close $fh; }
my $bayes_dir = File::Spec->catdir($home, 'bayes');
mkdir $bayes_dir unless -d $bayes_dir;

require Mail::SpamAssassin;
require Mail::SpamAssassin::ArchiveIterator;
require Mail::SpamAssassin::PerMsgStatus;

my $sa = Mail::SpamAssassin->new({
  userprefs_filename => $prefs,
  local_tests_only   => 1,
  dont_copy_prefs    => 1,
  PREFIX             => '/usr',
  DEF_RULES_DIR      => '/usr/share/spamassassin',
  LOCAL_RULES_DIR    => '/etc/spamassassin',
  post_config_text   => "bayes_path $bayes_dir/bayes\nbayes_auto_expire 0\n",
});
$sa->init(1);

my $json = JSON::PP->new->ascii->canonical;
binmode STDOUT, ':raw';
$| = 1;

my @flagged;
sub bstr {
  my ($s, $where) = @_;
  return undef unless defined $s;
  return $s unless utf8::is_utf8($s);
  my $c = $s;
  if (utf8::downgrade($c, 1)) { push @flagged, $where; return $c; }
  utf8::encode($c);
  push @flagged, "$where (wide)";
  return $c;
}

# ---- message list (ArchiveIterator, file order, mbox by offset) -----------------------------------
my $iter = Mail::SpamAssassin::ArchiveIterator->new({
  opt_max_size   => $opt{'max-size'},
  opt_want_date  => 0,
  opt_from_regex => $sa->{conf}->{mbox_format_from_regex},
});
$iter->_set_default_message_selection_opts();

my ($delivered, $result);
$iter->set_functions(sub { my (undef, undef, undef, $lines) = @_; $delivered = 1; $result = analyze($lines); 1 },
                     sub { });

my $i = -1;
my $printed = 0;
PATH: foreach my $path (@ARGV) {
  die "relays.pl: no such file: $path\n" unless -f $path;
  my @index;
  my $collect = sub { my ($self, $date, $class, $format, $where) = @_;
    push @index, Mail::SpamAssassin::ArchiveIterator::_index_pack($date, $class, $format, $where); };
  if ($path =~ /\.mbox$/i) { $iter->_scan_mailbox('s', $path, $collect); }
  else { $iter->_scan_file('s', $path, $collect); }
  my @sorted = map { $_->[1] } sort { $a->[0] <=> $b->[0] } map {
    my (undef, undef, $fmt, $where) = Mail::SpamAssassin::ArchiveIterator::_index_unpack($_);
    my $off = 0;
    ($off) = $where =~ /\.(\d+)$/ if $fmt eq 'm';
    [ 0 + $off, $_ ]
  } @index;

  foreach my $packed (@sorted) {
    $i++;
    my (undef, undef, $fmt, $where) = Mail::SpamAssassin::ArchiveIterator::_index_unpack($packed);
    my $offset = 0;
    ($offset) = $where =~ /\.(\d+)$/ if $fmt eq 'm';
    if (defined $opt{sample}) {
      my $h = hex(substr(sha1_hex("$opt{seed}:$i"), 0, 8));
      next if $h / 4294967296 >= $opt{sample};
    }
    ($delivered, $result) = (0, undef);
    $iter->_run_message($packed);
    my $rec = { i => $i, file => $path, offset => 0 + $offset };
    if (!$delivered) { $rec->{skipped} = 'max_size'; }
    else { %$rec = (%$rec, %$result); }
    print $json->encode($rec), "\n";
    $printed++;
    last PATH if defined $opt{limit} && $printed >= $opt{limit};
  }
}
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
  @flagged = ();
  my %r;
  my $ok = eval {
    my $msg = $sa->parse($lines);
    if ($msg->get_header('X-Spam-Checker-Version')) {
      my $new = $sa->parse($sa->remove_spamassassin_markup($msg), 1);
      $msg->finish();
      $msg = $new;
      $r{reparsed} = 1;
    }
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
  $r{flagged} = [ @flagged ] if @flagged;
  return \%r;
}
