#!/usr/bin/perl
# sa-tokens.pl: ground truth for the differential harness (sa-train issue 3).
#
# Loads the installed Mail::SpamAssassin 4.0.1 in isolation and prints, for every message of the files
# given on the command line, ONE JSON line with what the Bayes learner (Plugin/Bayes.pm) sees and
# produces for it: ids, receive date, the three text sources, headers, relay metadata, the tokens by
# region, and the final set of 5-byte keys the learner would store.
#
# Usage: perl tools/probes/sa-tokens.pl [--max-size BYTES] [--limit N] [--sample F --seed S] [--raw]
#                                       PATH...
#   PATH ending in .mbox (case-insensitive, as ArchiveIterator's /\.mbox/i) is split like sa-learn --mbox
#   does; any other file is one message; a directory is expanded to its plain files (sorted, names
#   matching ^[^.]\S*$), each classified the same way.
#   --max-size   as sa-learn --max-size (default 512000, 0 = unlimited); too-large messages get a record
#                {"i","file","offset","skipped":"max_size"} and no other field.
#   --sample F   keep message i iff first 32 bits of SHA-1("SEED:i") / 2^32 < F (i counts every message
#                found, kept or not; deterministic); --seed defaults to 0.
#   --limit N    stop after N printed records.
#   --raw        also print "raw": the bytes handed to the parser (From_ line included).
# Environment: SA_TOKENS_HOME = scratch HOME to use (default: a fresh temp dir, removed at exit).
#   TZ is forced to UTC. For a reproducible header-hash order (matters only when the 10000 header-token
#   cap is hit) run with PERL_HASH_SEED=0 PERL_PERTURB_KEYS=0.
#
# Message order: files in argument order; inside an mbox, by byte offset (sa-learn itself uses Perl hash
# order there; the token set of each message does not depend on it).
#
# ---------------------------------------------------------------------------------------------------
# JSON ENCODING OF STRINGS (read this before consuming the output)
#   Output is pure ASCII (JSON::PP ascii + canonical: object keys sorted).
#   Every Perl *byte string* is written as a JSON string whose code points are its bytes (Latin-1 view):
#   byte 0xE9 -> "\u00e9". In JavaScript, JSON.parse gives a "binary string" directly
#   (Buffer.from(s, 'latin1') returns the original bytes).
#   Perl *character strings* (utf8 flag on) appear only where marked:
#     "uris": [ {"s": "...", "chars": 0|1}, ... ]  chars=1: s is a string of Unicode code points (may be
#             > 0xFF, written with \u escapes / surrogate pairs); chars=0: s is a byte string as above.
#   All other strings are byte strings. If one of them was nevertheless a character string, it is
#   downgraded when all code points are <= 0xFF (same JS string) and its location is listed in
#   "flagged"; if it holds wider characters it is UTF-8 encoded and listed in "flagged" with " (wide)".
#   Tokens are always byte strings: tokens from flagged URIs are downgraded to their Latin-1 bytes,
#   which are exactly the bytes Digest::SHA hashes.
#
# RECORD FIELDS
#   i          0-based index of the message in input order (files in argument order, offsets ascending)
#   file       path as given / expanded; offset: byte offset of the From_ line (0 for a single file);
#   size       bytes handed to the parser
#   reparsed   1 if the message carried X-Spam-Checker-Version and was rebuilt with
#              remove_spamassassin_markup as sa-learn does
#   msgid      Message.pm generate_msgid;  hdr_msgid: get_msgid or null
#   date       Message.pm receive_date (before the learner's "+1 day => now" clamp)
#   body_digest  get_pristine_body_digest
#   visible, invisible   the learner's text arrays (bayes_token_body, bayes_token_inviz)
#   uris       the learner's URI list (get_uri_list), see encoding above
#   headers    get_all_headers() lines after metadata extraction (what _tokenize_headers iterates)
#   metadata   { "x-spam-relays-external": "...", ... } (get_all_metadata)
#   header_values  { prefix: value } as returned by _tokenize_headers (after pre-chew, before tokenizing)
#   tokens     { header, relay, body, invisible, uri }: sorted unique non-empty tokens of each source
#              (relay = header prefixes *RT, *RU, x-spam-relays-internal, x-spam-relays-external;
#               invisible keeps the unprefixed UD:/U*/D* tokens the invisible text produces)
#   keys       sorted 10-hex keys of Plugin/Bayes.pm::tokenize (checked: key == last 5 bytes of SHA-1)
#   capped     regions where a tokenize cap (body/invisible 50000, uri/header 10000) was reached
#   flagged    see encoding above (present only when non-empty)
#   error      present instead of the analysis fields if SpamAssassin died on the message
# ---------------------------------------------------------------------------------------------------
use strict;
use warnings;

BEGIN {
  $ENV{TZ} = 'UTC';
  $ENV{LANG} = 'C.UTF-8' unless defined $ENV{LANG};
}
use POSIX qw(locale_h);
POSIX::tzset();
POSIX::setlocale(LC_TIME, 'C');    # as sa-learn

use File::Temp qw(tempdir);
use File::Spec;
use Getopt::Long qw(:config no_ignore_case);
use JSON::PP;
use Digest::SHA qw(sha1 sha1_hex);

my %opt = (seed => 0);
GetOptions(\%opt, 'max-size=i', 'limit=i', 'sample=f', 'seed=s', 'raw', 'help|h')
  or die "usage: $0 [--max-size B] [--limit N] [--sample F --seed S] [--raw] PATH...\n";
if ($opt{help} || !@ARGV) {
  print STDERR "usage: $0 [--max-size B] [--limit N] [--sample F --seed S] [--raw] PATH...\n";
  exit($opt{help} ? 0 : 2);
}
die "--sample must be in (0, 1]\n" if defined $opt{sample} && !($opt{sample} > 0 && $opt{sample} <= 1);

# ---- isolated SpamAssassin ------------------------------------------------------------------------
my $home = $ENV{SA_TOKENS_HOME};
if (!defined $home || $home eq '') {
  $home = tempdir('sa-tokens-XXXXXX', TMPDIR => 1, CLEANUP => 1);
}
mkdir $home unless -d $home;
$ENV{HOME} = $home;
my $prefs = File::Spec->catfile($home, 'user_prefs');
{ open(my $fh, '>', $prefs) or die "cannot create $prefs: $!\n"; close $fh; }
my $bayes_dir = File::Spec->catdir($home, 'bayes');
mkdir $bayes_dir unless -d $bayes_dir;

require Mail::SpamAssassin;
require Mail::SpamAssassin::ArchiveIterator;

my $post_config = "bayes_path $bayes_dir/bayes\nbayes_auto_expire 0\n";
my $sa = Mail::SpamAssassin->new({
  userprefs_filename => $prefs,
  local_tests_only   => 1,
  dont_copy_prefs    => 1,
  PREFIX             => '/usr',
  DEF_RULES_DIR      => '/usr/share/spamassassin',
  LOCAL_RULES_DIR    => '/etc/spamassassin',
  post_config_text   => $post_config,
});
$sa->init(1);

my $bayes;
foreach my $plugin (@{ $sa->{plugins}->{plugins} }) {
  $bayes = $plugin if $plugin->isa('Mail::SpamAssassin::Plugin::Bayes');
}
die "sa-tokens: Bayes plugin not loaded\n" unless $bayes;
die "sa-tokens: use_bayes is off\n" unless $sa->{conf}->{use_bayes};

my %RELAY_PREFIX = map { $_ => 1 } ('*RT', '*RU', 'x-spam-relays-internal', 'x-spam-relays-external');

my $json = JSON::PP->new->ascii->canonical;
binmode STDOUT, ':raw';
$| = 1;

# ---- string helpers -------------------------------------------------------------------------------
my @flagged;    # per-record notes

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

sub barr {
  my ($arr, $name) = @_;
  my @out;
  for my $k (0 .. $#{$arr}) { push @out, bstr($arr->[$k], "$name\[$k\]"); }
  return \@out;
}

sub token_bytes {
  my ($t) = @_;
  return $t unless utf8::is_utf8($t);
  my $c = $t;
  utf8::downgrade($c, 1) or die "sa-tokens: token with wide characters: " . $json->encode([$t]) . "\n";
  return $c;
}

# ---- message list (ArchiveIterator, file order) ---------------------------------------------------
my $iter = Mail::SpamAssassin::ArchiveIterator->new({
  opt_max_size   => $opt{'max-size'},
  opt_want_date  => 0,
  opt_from_regex => $sa->{conf}->{mbox_format_from_regex},
});
$iter->_set_default_message_selection_opts();

sub expand {
  my ($path) = @_;
  if (-d $path) {
    opendir(my $dh, $path) or die "sa-tokens: cannot read directory $path: $!\n";
    my @names = sort grep { $_ ne '.' && $_ ne '..' && /^[^.]\S*$/ } readdir $dh;
    closedir $dh;
    return map { expand("$path/$_") } grep { -f "$path/$_" || -d "$path/$_" } @names;
  }
  die "sa-tokens: no such file: $path\n" unless -e $path;
  return ($path);
}

my @paths = map { expand($_) } @ARGV;

my $i = -1;
my $printed = 0;
my ($cur_file, $cur_offset, $delivered, $result);

$iter->set_functions(
  sub {    # wanted: ($class, $where, $date, \@lines, $format)
    my (undef, undef, undef, $lines) = @_;
    $delivered = 1;
    $result = analyze($lines);
    return 1;
  },
  sub { }
);

PATH: foreach my $path (@paths) {
  my @index;
  my $collect = sub { my ($self, $date, $class, $format, $where) = @_;
                      push @index, Mail::SpamAssassin::ArchiveIterator::_index_pack($date, $class, $format, $where); };
  if ($path =~ /\.mbox$/i) {
    $iter->_scan_mailbox('s', $path, $collect);
  } else {
    $iter->_scan_file('s', $path, $collect);
  }
  # sort by offset (mbox entries are "$file.$offset"; a file has one entry)
  my @sorted = map { $_->[1] } sort { $a->[0] <=> $b->[0] } map {
    my (undef, undef, $fmt, $where) = Mail::SpamAssassin::ArchiveIterator::_index_unpack($_);
    my $off = 0;
    if ($fmt eq 'm') { ($off) = $where =~ /\.(\d+)$/; }
    [ 0 + $off, $_ ]
  } @index;

  foreach my $packed (@sorted) {
    $i++;
    my (undef, undef, $fmt, $where) = Mail::SpamAssassin::ArchiveIterator::_index_unpack($packed);
    $cur_file = $path;
    $cur_offset = 0;
    if ($fmt eq 'm') { ($cur_offset) = $where =~ /\.(\d+)$/; $cur_offset += 0; }
    if (defined $opt{sample}) {
      my $h = hex(substr(sha1_hex("$opt{seed}:$i"), 0, 8));
      next if $h / 4294967296 >= $opt{sample};
    }
    $delivered = 0;
    $result = undef;
    $iter->_run_message($packed);
    my $rec = { i => $i, file => $cur_file, offset => $cur_offset };
    if (!$delivered) {
      $rec->{skipped} = 'max_size';
    } else {
      %$rec = (%$rec, %$result);
    }
    print $json->encode($rec), "\n";
    $printed++;
    last PATH if defined $opt{limit} && $printed >= $opt{limit};
  }
}
close STDOUT or die "sa-tokens: error closing STDOUT: $!\n";
exit 0;

# ---- per-message analysis (mirrors sa-learn wanted() + Plugin/Bayes.pm learn_message) -------------
sub analyze {
  my ($lines) = @_;
  @flagged = ();
  my %r;
  $r{size} = 0;
  $r{size} += length($_) for @$lines;
  $r{raw} = join('', @$lines) if $opt{raw};

  my $ok = eval {
    my $msg = $sa->parse($lines);
    if ($msg->get_header('X-Spam-Checker-Version')) {
      my $new = $sa->parse($sa->remove_spamassassin_markup($msg), 1);
      $msg->finish();
      $msg = $new;
      $r{reparsed} = 1;
    }

    # learn_message: get_body_from_msg first, then (in _learn_trapped) ids, date, tokenize
    my $msgdata = $bayes->get_body_from_msg($msg);
    $r{msgid} = bstr($msg->generate_msgid(), 'msgid');
    $r{hdr_msgid} = bstr(scalar $msg->get_msgid(), 'hdr_msgid');
    $r{date} = 0 + $msg->receive_date();
    $r{body_digest} = $msg->get_pristine_body_digest();

    my $body = $msgdata->{bayes_token_body} || [];
    my $inviz = $msgdata->{bayes_token_inviz} || [];
    my $uris = $msgdata->{bayes_token_uris} || [];
    $r{visible} = barr($body, 'visible');
    $r{invisible} = barr($inviz, 'invisible');
    $r{uris} = [ map { { s => $_, chars => (utf8::is_utf8($_) ? 1 : 0) } } @$uris ];
    $r{headers} = barr([ $msg->get_all_headers() ], 'headers');
    my %meta;
    foreach my $line ($msg->get_all_metadata()) {
      my ($k, $v) = $line =~ /^([^:]*): (.*)\n\z/s or next;
      $meta{$k} = bstr($v, "metadata.$k");
    }
    $r{metadata} = \%meta;

    # The learner's own tokenize(): the reference key set.
    my $toks = $bayes->tokenize($msg, $msgdata);
    my @keys;
    while (my ($k, $t) = each %$toks) {
      my $b = token_bytes($t);
      substr(sha1($b), -5) eq $k
        or die "sa-tokens: ASSERTION key != last 5 bytes of SHA-1(token) for " . $json->encode([$b]) . "\n";
      push @keys, unpack('H*', $k);
    }
    $r{keys} = [ sort @keys ];

    # Same sources, same order and caps as tokenize(), but kept apart by region.
    my (%reg, %capped);
    $reg{$_} = {} for qw(header relay body invisible uri);
    $bayes->{stopword_cache} = undef;
    my $n = 0;
    foreach my $line (@$body) {
      my @t = $bayes->_tokenize_line($line, '', 1);
      $reg{body}{$_} = 1 for @t;
      $n += @t;
      if ($n >= 50000) { $capped{body} = 1; last; }
    }
    $n = 0;
    foreach my $u (@$uris) {
      my @t = $bayes->_tokenize_line($u, '', 2);
      $reg{uri}{$_} = 1 for @t;
      $n += @t;
      if ($n >= 10000) { $capped{uri} = 1; last; }
    }
    $n = 0;
    foreach my $line (@$inviz) {
      my @t = $bayes->_tokenize_line($line, 'I*:', 1);
      $reg{invisible}{$_} = 1 for @t;
      $n += @t;
      if ($n >= 50000) { $capped{invisible} = 1; last; }
    }
    my %hdrs = $bayes->_tokenize_headers($msg);
    my %hv;
    $hv{$_} = bstr($hdrs{$_}, "header_values.$_") for keys %hdrs;
    $r{header_values} = \%hv;
    $n = 0;
    while (my ($prefix, $value) = each %hdrs) {
      my @t = $bayes->_tokenize_line($value, "H$prefix:", 0);
      my $region = $RELAY_PREFIX{$prefix} ? 'relay' : 'header';
      $reg{$region}{$_} = 1 for @t;
      $n += @t;
      if ($n >= 10000) { $capped{header} = 1; keys %hdrs; last; }
    }
    delete $bayes->{stopword_cache};

    my %tokens;
    my %union;
    foreach my $region (keys %reg) {
      my %b;
      foreach my $t (keys %{ $reg{$region} }) {
        next if $t eq '';
        my $bt = token_bytes($t);
        $b{$bt} = 1;
        $union{ unpack('H*', substr(sha1($bt), -5)) } = 1;
      }
      $tokens{$region} = [ sort keys %b ];
    }
    $r{tokens} = \%tokens;
    $r{capped} = [ sort keys %capped ];

    if (!%capped) {
      my $a = join(',', sort keys %union);
      my $b = join(',', @{ $r{keys} });
      $a eq $b or die "sa-tokens: ASSERTION region tokens and tokenize() keys differ\n";
    }

    $msg->finish();
    1;
  };
  if (!$ok) {
    my $err = $@ eq '' ? 'unknown error' : $@;
    die $err if $err =~ /^sa-tokens: ASSERTION/;
    chomp $err;
    my %e = (size => $r{size}, error => $err);
    $e{raw} = $r{raw} if $opt{raw};
    return \%e;
  }
  $r{flagged} = [ @flagged ] if @flagged;
  return \%r;
}
