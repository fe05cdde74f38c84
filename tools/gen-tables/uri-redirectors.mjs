#!/usr/bin/env node
// Generates src/data/uri-redirectors.ts: SpamAssassin's redirector_pattern list (Conf.pm, compiled by
// Util.pm::compile_regexp with /aa), in configuration order, from the parsed configuration of the
// installed SpamAssassin 4.0.1, each Perl regex translated mechanically to a JavaScript RegExp and checked
// against Perl on sample URLs (the generator fails on any construct it cannot translate or any mismatch).
// Usage: node tools/gen-tables/uri-redirectors.mjs [OUT]   (default src/data/uri-redirectors.ts)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const RULES_DIR = '/usr/share/spamassassin';
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = process.argv[2] ?? join(root, 'src', 'data', 'uri-redirectors.ts');

// Perl's \s under /aa (and on byte strings): [\t\n\x0B\f\r ].
const PERL_SPACE = '\\t\\n\\x0B\\f\\r ';

/**
 * Translates the source of a Perl regex compiled with /aa (no /m, /s, /x) to a JS RegExp source for the
 * non-unicode JS engine. Throws on anything it does not know.
 */
export function translatePerlRegex(src) {
  let flags = '';
  let s = src;
  const m = /^\(\?([a-z]+)\)/.exec(s);
  if (m) {
    if (!/^i+$/.test(m[1])) throw new Error(`inline flags (?${m[1]}) not supported`);
    flags = 'i';
    s = s.slice(m[0].length);
  }
  let o = '';
  let i = 0;
  const n = s.length;
  while (i < n) {
    const c = s[i];
    if (c === '\\') {
      const d = s[i + 1];
      if (d === undefined) throw new Error('trailing backslash');
      i += 2;
      if (d === 's') o += `[${PERL_SPACE}]`;
      else if (d === 'S') o += `[^${PERL_SPACE}]`;
      else if ('wWdDbB'.includes(d)) o += '\\' + d;
      else if (d === 'z') o += '(?![\\s\\S])';
      else if (d === 'Z') o += '(?=\\n?(?![\\s\\S]))';
      else if (d === 'A') o += '^';
      else if (d === 't' || d === 'n' || d === 'r' || d === 'f') o += '\\' + d;
      else if (/[A-Za-z0-9]/.test(d)) throw new Error(`escape \\${d} not supported`);
      else o += '\\' + d;
      continue;
    }
    if (c === '[') {
      // character class
      let j = i + 1;
      let cls = '[';
      if (s[j] === '^') { cls += '^'; j++; }
      if (s[j] === ']') { cls += '\\]'; j++; }
      for (;;) {
        if (j >= n) throw new Error('unterminated class');
        const e = s[j];
        if (e === ']') { j++; break; }
        if (e === '[' && s[j + 1] === ':') throw new Error('POSIX class not supported');
        if (e === '\\') {
          const d = s[j + 1];
          j += 2;
          if (d === 's') cls += PERL_SPACE;
          else if ('wdWD'.includes(d)) cls += '\\' + d;
          else if (d === 't' || d === 'n' || d === 'r' || d === 'f') cls += '\\' + d;
          else if (/[A-Za-z0-9]/.test(d)) throw new Error(`class escape \\${d} not supported`);
          else cls += '\\' + d;
          continue;
        }
        cls += e === '/' ? '\\/' : e;
        j++;
      }
      o += cls + ']';
      i = j;
      continue;
    }
    if (c === '(') {
      if (s[i + 1] === '?') {
        const g = /^\(\?(?::|=|!|<=|<!)/.exec(s.slice(i));
        if (!g) throw new Error(`group ${s.slice(i, i + 4)} not supported`);
        o += g[0];
        i += g[0].length;
        continue;
      }
      o += '(';
      i++;
      continue;
    }
    if (c === '.') { o += '[^\\n]'; i++; continue; }
    if (c === '$') { o += '(?=\\n?(?![\\s\\S]))'; i++; continue; }
    if ((c === '+' || c === '?' || c === '*' || c === '}') && s[i + 1] === '+') throw new Error('possessive quantifier');
    if (c === '/') { o += '\\/'; i++; continue; }
    o += c;
    i++;
  }
  new RegExp(o, flags); // must compile
  return { source: o, flags };
}

// Sample URLs: each pattern is run on all of them in Perl and in JS; $1 must agree everywhere.
const SAMPLES = [
  'http://chkpt.zdnet.com/chkpt/abc123/www.example.com/page',
  'HTTP://CHKPT.ZDNET.COM/chkpt/x/y',
  'http://chkpt.zdnet.com/chkpt/abc/www.example.com/a\n',
  'http://www.nate.com/r/abc/www.example.com',
  'http://www12.nate.com/r/x_y/http://spam.example.biz/',
  'http://foo.gov/externalLink.jhtml?url=http://www.example.com/&x=1',
  'http://a.b.gov/c/d/externalLink.jhtml?a=b&url=www.example.org',
  'http://redir.internet.com/a/b/www.example.com/x',
  'http://redir.internet.com/aa/bb/cc/dd',
  'http://ad.adtech.de/x/y;link=http://www.example.com/;z',
  'http://adtech.de/x|link=www.example.net',
  'http://www.example.com/redirect.php?a=1&goto=http://evil.example.com/&b=2',
  'http://www.example.com/redirect.php?goto=www.evil.com#frag',
  'https://www.emf1.com/r.cfm?a=1&r=http://www.example.com',
  'http://emf2.com/r.cfm&r=www.x.com',
  'http://www.example.com/index.php?URL=http://www.target.com/&x',
  'http://www.example.com/?a=1&url=www.target.com#f',
  'http://www.example.com/path/?URL=www.target.com',
  'https://www.google.com/url?sa=t&q=http://www.example.com/&usg=x',
  'http://google.co.uk/url?q=www.example.com',
  'http://www.google.com/search?q=site:www.example.com+foo',
  'http://www.google.com/search?hl=en&q=foo%20inurl:example.com%20bar',
  'http://www.google.com/search?q=%22www.example.com%22',
  'http://www.google.com/search?q=foo+"www.example.com"&x',
  'http://translate.google.com/translate?hl=en&u=http://www.example.com/',
  'http://pagead2.googlesyndication.google.com/pagead/iclk?sa=l&adurl=http://www.example.com/',
  'http://www.google.com/pagead/iclk?adurl=www.example.com&x',
  'http://aol.com/redir.adp?_url=http://www.example.com/',
  'http://www.aol.com/redir.adp?x=1&_url=www.example.com#x',
  'https://www.facebook.com/l/;www.example.com/',
  'https//facebook.com/l/;http://www.example.com',
  'http://www.example.com/plain/path',
  'http://www.example.com/?a\u00e9=1&URL=x.\u00e9y',
  'http://www.example.com/?URL=a.b\nc',
  'http://www.GOOGLE.de/url?Q=www.example.com',
  'http://www.google.com/search?q=a\x0Bsite:b.c',
  '',
];

const home = mkdtempSync(join(tmpdir(), 'gen-uri-redir-'));
const perl = `
use strict; use warnings; use JSON::PP;
use Mail::SpamAssassin;
my $home = $ENV{HOME};
open(my $fh, '>', "$home/user_prefs") or die; close $fh;
my $sa = Mail::SpamAssassin->new({ userprefs_filename => "$home/user_prefs", local_tests_only => 1,
  dont_copy_prefs => 1, PREFIX => '/usr', DEF_RULES_DIR => '${RULES_DIR}',
  LOCAL_RULES_DIR => '/etc/spamassassin' });
$sa->init(1);
my $samples = JSON::PP->new->decode(do { local $/; <STDIN> });
my @pats;
for my $re (@{ $sa->{conf}->{redirector_patterns} }) {
  my ($pat, $mods) = re::regexp_pattern($re);
  my @res;
  for my $u (@$samples) {
    my $x = $u; utf8::downgrade($x);
    push @res, ($x =~ $re) ? $1 : undef;
  }
  push @pats, { pattern => $pat, mods => $mods, text => "$re", results => \\@res };
}
print JSON::PP->new->canonical->encode({ version => Mail::SpamAssassin::Version(), patterns => \\@pats });
`;
let data;
try {
  data = JSON.parse(execFileSync('perl', ['-e', perl], {
    env: { ...process.env, HOME: home, TZ: 'UTC' }, input: JSON.stringify(SAMPLES),
  }).toString('utf8'));
} finally {
  rmSync(home, { recursive: true, force: true });
}

const entries = [];
let matched = 0;
for (const p of data.patterns) {
  if (p.mods !== 'aai' && p.mods !== 'aa') throw new Error(`unexpected modifiers ${p.mods} on ${p.text}`);
  const t = translatePerlRegex(p.pattern);
  const flags = p.mods.includes('i') ? 'i' : t.flags;
  const re = new RegExp(t.source, flags);
  SAMPLES.forEach((u, k) => {
    const m = re.exec(u);
    const js = m ? (m[1] ?? null) : null;
    if (js !== p.results[k]) {
      throw new Error(`redirector ${p.text} on ${JSON.stringify(u)}: perl ${JSON.stringify(p.results[k])}, js ${JSON.stringify(js)}`);
    }
    if (js !== null) matched++;
  });
  entries.push({ perl: p.text, source: t.source, flags });
}
const sources = readdirSync(RULES_DIR).filter((f) => f.endsWith('.cf'))
  .filter((f) => /^\s*redirector_pattern\s/m.test(readFileSync(join(RULES_DIR, f), 'latin1')))
  .map((f) => join(RULES_DIR, f));

const body = entries.map((e) => `  {\n    perl: ${JSON.stringify(e.perl)},\n    source: ${JSON.stringify(e.source)},\n    flags: '${e.flags}',\n  },`).join('\n');
const text = `// Generated by tools/gen-tables/uri-redirectors.mjs from ${sources.join(', ')} of the installed
// spamassassin ${data.version} package (parsed configuration: redirector_pattern, compiled with /aa by
// Util.pm::compile_regexp), translated mechanically to JavaScript and checked against Perl on ${SAMPLES.length} sample URLs.
// Apache License 2.0, Copyright the Apache Software Foundation. Do not edit by hand.

export interface RedirectorPattern {
  /** The compiled Perl regex as Perl stringifies it. */
  perl: string;
  /** JavaScript translation (non-unicode mode; Perl's \\s, '.', '$' spelled out). */
  source: string;
  flags: string;
}

/** redirector_pattern entries in configuration order (the first match wins). */
export const REDIRECTOR_PATTERNS: readonly RedirectorPattern[] = [
${body}
];
`;
writeFileSync(out, text);
console.log(`wrote ${out}: ${entries.length} patterns, ${matched} sample matches agree with Perl`);
