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

BEGIN { $ENV{LANG} = 'C.UTF-8' unless defined $ENV{LANG}; }    # TZ=UTC and LC_TIME=C: SaProbe
use FindBin;
use lib "$FindBin::Bin/lib";
use SaProbe qw(json raw_stdio isolated_sa bayes_plugin corpus_options archive_records learner_message
               to_bytes bstr barr flag_reset flagged pstr);
use Digest::SHA qw(sha1);

my %opt = corpus_options('[--raw]', 'raw');

my ($sa) = isolated_sa('sa-tokens', home => $ENV{SA_TOKENS_HOME}, bayes_path => 'bayes/bayes',
                       config => ['bayes_auto_expire 0']);
my $bayes = bayes_plugin($sa, 'sa-tokens');
die "sa-tokens: use_bayes is off\n" unless $sa->{conf}->{use_bayes};

my %RELAY_PREFIX = map { $_ => 1 } ('*RT', '*RU', 'x-spam-relays-internal', 'x-spam-relays-external');

my $json = json();
raw_stdio();

my $WIDE_TOKEN = sub { "sa-tokens: token with wide characters: " . $json->encode([$_[0]]) . "\n" };
sub token_bytes { return to_bytes($_[0], $WIDE_TOKEN); }

# ---- message list (ArchiveIterator, file order) ---------------------------------------------------
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

archive_records($sa, \%opt, \@paths, \&analyze);
close STDOUT or die "sa-tokens: error closing STDOUT: $!\n";
exit 0;

# ---- per-message analysis (mirrors sa-learn wanted() + Plugin/Bayes.pm learn_message) -------------
sub analyze {
  my ($lines) = @_;
  flag_reset();
  my %r;
  $r{size} = 0;
  $r{size} += length($_) for @$lines;
  $r{raw} = join('', @$lines) if $opt{raw};

  my $ok = eval {
    my ($msg, $reparsed) = learner_message($sa, $lines);
    $r{reparsed} = 1 if $reparsed;

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
    $r{uris} = [ map { pstr($_) } @$uris ];
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
  my @flagged = flagged();
  $r{flagged} = \@flagged if @flagged;
  return \%r;
}
