// Shared helper of the bayes-*.mjs table generators: runs the installed SpamAssassin 4.0.1 in isolation
// (scratch HOME, empty user_prefs, local_tests_only, TZ=UTC) and returns what a Perl snippet prints as JSON.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PRELUDE = String.raw`
use strict; use warnings; no warnings 'once'; use JSON::PP;
my $home = $ENV{HOME};
open(my $fh, '>', "$home/user_prefs") or die; close $fh;
require Mail::SpamAssassin;
my $sa = Mail::SpamAssassin->new({ userprefs_filename => "$home/user_prefs", local_tests_only => 1,
  dont_copy_prefs => 1, PREFIX => '/usr', DEF_RULES_DIR => '/usr/share/spamassassin',
  LOCAL_RULES_DIR => '/etc/spamassassin', post_config_text => "bayes_path $home/bayes\n" });
$sa->init(1);
my ($bayes) = grep { $_->isa('Mail::SpamAssassin::Plugin::Bayes') } @{ $sa->{plugins}->{plugins} };
die "Bayes plugin not loaded\n" unless $bayes;
my $json = JSON::PP->new->ascii->canonical;
binmode STDOUT, ':raw';
`;

/** Run `body` (Perl, with $sa, $bayes, $json in scope) and parse its stdout as JSON. */
export function perlJson(body, input) {
  const home = mkdtempSync(join(tmpdir(), 'gen-bayes-'));
  try {
    const script = join(home, 'gen.pl');
    writeFileSync(script, PRELUDE + body);
    const out = execFileSync('perl', [script], {
      env: { ...process.env, HOME: home, TZ: 'UTC' },
      input: input ?? '',
      maxBuffer: 64 << 20,
    });
    return JSON.parse(out.toString('latin1'));
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** A Perl /x regex source (as qr// stringifies it) -> JS source: comments and whitespace dropped. */
export function perlXToJs(src) {
  let s = src.replace(/^\(\?\^[a-z]*:/, '').replace(/\)$/, '');
  s = s.replace(/#[^\n]*/g, '').replace(/\s+/g, '');
  if (/\\[^dS]|\(\?[^:]|[#{}$^]/.test(s.replace(/\{\d+(,\d*)?\}/g, '').replace(/\[\^/g, '['))) {
    throw new Error('unexpected construct in Perl regex: ' + s);
  }
  // Perl \S on byte strings is ASCII whitespace only; JS \S would also exclude \xA0.
  return s.replace(/\\S/g, '[^\\t\\n\\x0B\\f\\r ]');
}

export const LICENSE_NOTE =
  'Apache License 2.0, Copyright the Apache Software Foundation (SpamAssassin).';
