#!/usr/bin/perl
# message-model.pl: ground truth for the message model (src/mail/message.ts and friends).
# Parses each file given (one raw message each, From_ line allowed) with the installed
# Mail::SpamAssassin::Message 4.0.1 exactly as SpamAssassin.pm::parse does (normalize_charset 1,
# body_part_scan_size 50000) and prints one JSON line per file:
#   mbox_sep, line_ending, pristine_body_digest, msgid, hdr_msgid, receive_date, headers (get_all_headers),
#   header_entries ([name, decoded] for every instance), parts ([type, charset, name, effective type,
#   decoded] per leaf), visible, invisible, rendered, and markup (remove_spamassassin_markup output when
#   X-Spam-Checker-Version is present).
# All strings are byte strings written with JSON::PP ascii (code point = byte); character strings are
# utf8-encoded first. Usage: TZ=UTC perl tools/probes/message-model.pl FILE...
use strict;
use warnings;
use lib '/usr/share/perl5';
use FindBin;
use lib "$FindBin::Bin/lib";
use SaProbe qw(json isolated_sa utf8_bytes);

my ($sa) = isolated_sa('message-model');
my $json = json();
sub b { utf8_bytes(@_) }

for my $file (@ARGV) {
  open(my $fh, '<:raw', $file) or die "$file: $!";
  my @lines = <$fh>;
  close $fh;
  my $msg = $sa->parse(\@lines);
  my %r;
  $r{file} = $file;
  $r{mbox_sep} = b($msg->get_mbox_separator());
  $r{line_ending} = $msg->{line_ending};
  $r{pristine_body_digest} = $msg->get_pristine_body_digest();
  $r{msgid} = $msg->generate_msgid();
  $r{hdr_msgid} = $msg->get_msgid();
  $r{receive_date} = $msg->receive_date();
  $r{headers} = [ map { b($_) } $msg->get_all_headers() ];
  my %seen;
  $r{header_entries} = [ map { my $k = lc $_; [ b($_), b(($msg->header($k))[$seen{$k}++]) ] } @{$msg->{header_order}} ];
  $r{parts} = [ map { [ $_->{type}, b($_->{charset}), b($_->{name}), $_->effective_type(), b(scalar $_->decode()) ] }
                $msg->find_parts(qr/./, 1) ];
  $r{visible} = [ map { b($_) } @{$msg->get_visible_rendered_body_text_array()} ];
  $r{invisible} = [ map { b($_) } @{$msg->get_invisible_rendered_body_text_array()} ];
  $r{rendered} = [ map { b($_) } @{$msg->get_rendered_body_text_array()} ];
  $r{markup} = b($sa->remove_spamassassin_markup($msg)) if $msg->get_header('X-Spam-Checker-Version');
  print $json->encode(\%r), "\n";
  $msg->finish();
}
