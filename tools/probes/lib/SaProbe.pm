package SaProbe;
# SaProbe.pm: what the ground-truth probes in tools/probes/*.pl share.
#   - the environment: loading this module sets TZ=UTC (and tzset) and LC_TIME=C, as sa-learn runs;
#   - an isolated Mail::SpamAssassin (scratch HOME, empty user_prefs, local_tests_only, rule dirs as
#     /usr/bin/sa-learn passes them, optional config lines);
#   - the message lists: ArchiveIterator as sa-learn --mbox uses it, and a plain From_-line mbox splitter;
#   - the options and sampling of the corpus probes (--limit, --sample F --seed S, --max-size);
#   - JSON output and the byte/character string helpers (see "strings" below).
# Load it with:  use FindBin; use lib "$FindBin::Bin/lib"; use SaProbe qw(...);
# Mail::SpamAssassin itself is loaded only by the subs that need it (isolated_sa, archive_records), so
# probes that use Mail::SpamAssassin::Util alone stay light.
use strict;
use warnings;
use Exporter 'import';
use File::Spec;
use File::Temp qw(tempdir);
use Digest::SHA qw(sha1_hex);
use JSON::PP;
use POSIX qw(locale_h);

BEGIN { $ENV{TZ} = 'UTC'; }
POSIX::tzset();
POSIX::setlocale(LC_TIME, 'C');    # as sa-learn

our @EXPORT_OK = qw(
  json raw_stdio
  isolated_sa bayes_plugin
  corpus_options sampled archive_records learner_message mbox_messages from_regex
  to_bytes bytes_of in_bytes utf8_bytes bstr barr flag_reset flagged pstr from_pstr addr_fields
);

# ---- output ------------------------------------------------------------------------------------------
# The probes' JSON encoder: pure ASCII output, object keys sorted.
sub json { return JSON::PP->new->ascii->canonical; }

# Byte-exact stdin/stdout, unbuffered output (a consumer may read line by line).
sub raw_stdio {
  binmode STDIN, ':raw';
  binmode STDOUT, ':raw';
  $| = 1;
}

# ---- isolated SpamAssassin ---------------------------------------------------------------------------
# isolated_sa($name, %o) -> ($sa, $home): a Mail::SpamAssassin (init done) with HOME = a scratch directory
# holding an empty user_prefs. Options:
#   home       use this directory as HOME (created if missing) instead of a fresh "$name-XXXXXX" temp dir
#              removed at exit (undef or '' = fresh)
#   bayes_path "bayes_path HOME/<bayes_path>" is configured (its directory is created)
#   config     further configuration lines (array ref), after bayes_path
# Without bayes_path and config no post_config_text is given.
sub isolated_sa {
  my ($name, %o) = @_;
  my $home = $o{home};
  $home = tempdir("$name-XXXXXX", TMPDIR => 1, CLEANUP => 1) if !defined $home || $home eq '';
  mkdir $home unless -d $home;
  $ENV{HOME} = $home;
  my $prefs = File::Spec->catfile($home, 'user_prefs');
  { open(my $fh, '>', $prefs) or die "cannot create $prefs: $!\n"; close $fh; }
  my @lines;
  if (defined $o{bayes_path}) {
    my $path = "$home/$o{bayes_path}";
    my ($dir) = $path =~ m{^(.*)/};
    mkdir $dir unless -d $dir;
    push @lines, "bayes_path $path";
  }
  push @lines, @{ $o{config} || [] };
  require Mail::SpamAssassin;
  my $sa = Mail::SpamAssassin->new({
    userprefs_filename => $prefs,
    local_tests_only   => 1,
    dont_copy_prefs    => 1,
    PREFIX             => '/usr',
    DEF_RULES_DIR      => '/usr/share/spamassassin',
    LOCAL_RULES_DIR    => '/etc/spamassassin',
    (@lines ? (post_config_text => join('', map { "$_\n" } @lines)) : ()),
  });
  $sa->init(1);
  return ($sa, $home);
}

# The loaded Plugin::Bayes instance; dies "$who: Bayes plugin not loaded" without one.
sub bayes_plugin {
  my ($sa, $who) = @_;
  my ($bayes) = grep { $_->isa('Mail::SpamAssassin::Plugin::Bayes') } @{ $sa->{plugins}->{plugins} };
  die "$who: Bayes plugin not loaded\n" unless $bayes;
  return $bayes;
}

# ---- options and sampling of the corpus probes -------------------------------------------------------
# corpus_options($extra_usage, @extra_specs) -> %opt: parses @ARGV for --max-size, --limit, --sample,
# --seed (default 0), --help and the extra Getopt::Long specs (case-sensitive options); prints the usage
# and exits (0 for --help, 2 without PATH), dies on bad options or a --sample outside (0, 1].
sub corpus_options {
  my ($extra_usage, @specs) = @_;
  require Getopt::Long;
  my %opt = (seed => 0);
  my $usage = "usage: $0 [--max-size B] [--limit N] [--sample F --seed S] $extra_usage PATH...\n";
  Getopt::Long::Parser->new(config => ['no_ignore_case'])
    ->getoptions(\%opt, 'max-size=i', 'limit=i', 'sample=f', 'seed=s', @specs, 'help|h') or die $usage;
  if ($opt{help} || !@ARGV) { print STDERR $usage; exit($opt{help} ? 0 : 2); }
  die "--sample must be in (0, 1]\n" if defined $opt{sample} && !($opt{sample} > 0 && $opt{sample} <= 1);
  return %opt;
}

# --sample F --seed S keeps message $i (counting every message found) iff the first 32 bits of
# SHA-1("S:$i") / 2^32 < F; without --sample every message is kept.
sub sampled {
  my ($opt, $i) = @_;
  return 1 unless defined $opt->{sample};
  return hex(substr(sha1_hex("$opt->{seed}:$i"), 0, 8)) / 4294967296 < $opt->{sample};
}

# ---- message lists -----------------------------------------------------------------------------------
# archive_records($sa, $opt, \@paths, $analyze, %hooks): the messages of @paths as sa-learn reads them
# (Mail::SpamAssassin::ArchiveIterator; a PATH ending in .mbox, case-insensitive, is split at From_ lines,
# any other file is one message; --max-size as sa-learn's, default 512000). Messages go in path order,
# inside an mbox by byte offset. For each message kept by --sample, $analyze->(\@lines) returns the record
# fields; the probe prints one JSON line {"i","file","offset", fields...}, or {"i","file","offset",
# "skipped":"max_size"} for a message the iterator did not deliver; it stops after --limit records.
# $hooks{path}->($path) runs before each path is scanned.
sub archive_records {
  my ($sa, $opt, $paths, $analyze, %hooks) = @_;
  require Mail::SpamAssassin::ArchiveIterator;
  my $iter = Mail::SpamAssassin::ArchiveIterator->new({
    opt_max_size   => $opt->{'max-size'},
    opt_want_date  => 0,
    opt_from_regex => $sa->{conf}->{mbox_format_from_regex},
  });
  $iter->_set_default_message_selection_opts();
  my ($delivered, $result);
  $iter->set_functions(sub {    # wanted: ($class, $where, $date, \@lines, $format)
                         my (undef, undef, undef, $lines) = @_;
                         $delivered = 1;
                         $result = $analyze->($lines);
                         return 1;
                       },
                       sub { });
  my $json = json();
  my ($i, $printed) = (-1, 0);
  PATH: foreach my $path (@$paths) {
    $hooks{path}->($path) if $hooks{path};
    my @index;
    my $collect = sub { my ($self, $date, $class, $format, $where) = @_;
                        push @index, Mail::SpamAssassin::ArchiveIterator::_index_pack($date, $class, $format, $where); };
    if ($path =~ /\.mbox$/i) { $iter->_scan_mailbox('s', $path, $collect); }
    else { $iter->_scan_file('s', $path, $collect); }
    # mbox entries are "$file.$offset"; a plain file has one entry (offset 0)
    my $offset_of = sub {
      my (undef, undef, $fmt, $where) = Mail::SpamAssassin::ArchiveIterator::_index_unpack($_[0]);
      my $off = 0;
      ($off) = $where =~ /\.(\d+)$/ if $fmt eq 'm';
      return 0 + $off;
    };
    my @sorted = map { $_->[1] } sort { $a->[0] <=> $b->[0] } map { [ $offset_of->($_), $_ ] } @index;
    foreach my $packed (@sorted) {
      $i++;
      next unless sampled($opt, $i);
      ($delivered, $result) = (0, undef);
      $iter->_run_message($packed);
      my $rec = { i => $i, file => $path, offset => $offset_of->($packed) };
      if (!$delivered) { $rec->{skipped} = 'max_size'; }
      else { %$rec = (%$rec, %$result); }
      print $json->encode($rec), "\n";
      $printed++;
      last PATH if defined $opt->{limit} && $printed >= $opt->{limit};
    }
  }
}

# The message as sa-learn's wanted() hands it to the learner: parsed, and rebuilt with
# remove_spamassassin_markup when it carries X-Spam-Checker-Version. Returns ($msg, $reparsed).
sub learner_message {
  my ($sa, $lines) = @_;
  my $msg = $sa->parse($lines);
  return ($msg, 0) unless $msg->get_header('X-Spam-Checker-Version');
  my $new = $sa->parse($sa->remove_spamassassin_markup($msg), 1);
  $msg->finish();
  return ($new, 1);
}

# ArchiveIterator.pm's default From_ separator unless mbox_format_from_regex is configured.
sub from_regex {
  my ($sa) = @_;
  return $sa->{conf}->{mbox_format_from_regex}
    || qr/^From \S+  ?(\S\S\S \S\S\S .?\d .?\d:\d\d:\d\d \d{4}|.?\d-\d\d-\d{4}_\d\d:\d\d:\d\d_)/;
}

# mbox_messages($file, $from_re, $cb, %o): reads $file (raw bytes) and calls $cb->(\@lines, $offset) for
# each message: the lines after a line matching $from_re (the From_ line itself left out) up to the next
# one; $offset is the From_ line's byte offset. Lines before the first From_ line are dropped, or with
# o{preamble} handed over as a message of their own (offset undef) when there are any. $cb returns false
# to stop; mbox_messages then returns false (true when the file was read to its end).
sub mbox_messages {
  my ($file, $from_re, $cb, %o) = @_;
  open(my $fh, '<:raw', $file) or die "cannot read $file: $!\n";
  my (@msg, $start);
  my $in_msg = $o{preamble} ? 1 : 0;    # collecting lines (before the first From_: the preamble)
  my $off = 0;
  my $flush = sub {
    return 1 unless defined $start || ($in_msg && @msg);
    return $cb->([@msg], $start);
  };
  while (my $l = <$fh>) {
    if ($l =~ $from_re) {
      $flush->() or return 0;
      @msg = ();
      $start = $off;
      $in_msg = 1;
    } elsif ($in_msg) {
      push @msg, $l;
    }
    $off += length $l;
  }
  return $flush->() ? 1 : 0;
}

# ---- strings -----------------------------------------------------------------------------------------
# The probes write Perl byte strings as JSON strings of their bytes (one code point per byte, Latin-1
# view; JS JSON.parse gives a "binary string"); character strings appear only where a probe says so.

# to_bytes($s, $err): $s as a byte string (a character string downgraded to its Latin-1 bytes); dies
# with $err (or $err->($s) for a code ref) when it holds a character > 0xFF. undef stays undef.
sub to_bytes {
  my ($s, $err) = @_;
  return undef unless defined $s;
  return $s unless utf8::is_utf8($s);
  my $c = $s;
  utf8::downgrade($c, 1) or die(ref $err ? $err->($s) : $err);
  return $c;
}
sub bytes_of { return to_bytes($_[0], "wide string in output\n"); }    # a string to print
sub in_bytes { return to_bytes($_[0], "input byte string has a code point > 0xFF\n"); }    # a JSON input

# A character string as its UTF-8 bytes; a byte string (or undef) as is.
sub utf8_bytes {
  my ($s) = @_;
  return undef unless defined $s;
  utf8::encode($s) if utf8::is_utf8($s);
  return $s;
}

# bstr($s, $where): a string that should be a byte string. A character string is downgraded (or, with
# characters > 0xFF, UTF-8 encoded: "$where (wide)") and $where is noted in the list flagged() returns
# until the next flag_reset().
my @flagged;
sub flag_reset { @flagged = (); }
sub flagged { return @flagged; }
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
# barr(\@strings, $name): bstr of each, noted as "$name[$k]".
sub barr {
  my ($arr, $name) = @_;
  my @out;
  for my $k (0 .. $#{$arr}) { push @out, bstr($arr->[$k], "$name\[$k\]"); }
  return \@out;
}

# A string with its kind: {"s": ..., "chars": 1 for a character string (utf8 flag on), 0 for bytes}.
sub pstr { my ($s) = @_; return { s => $s, chars => utf8::is_utf8($s) ? 1 : 0 }; }
# The Perl string a pstr record (as JSON::PP decoded it) stands for.
sub from_pstr {
  my ($h) = @_;
  my $s = $h->{s};
  if ($h->{chars}) { utf8::upgrade($s); } else { utf8::downgrade($s); }
  return $s;
}

# An address hash of Util.pm's parse_header_addresses family: its five fields as byte strings.
sub addr_fields {
  my ($h) = @_;
  return +{ map { ($_ => bytes_of($h->{$_})) } qw(phrase address user host comment) };
}

1;
