// Tests for src/mail/uri/redirectors.ts: the prefiltered lookup returns what trying every configured
// redirector_pattern in order (then the generic one) returns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REDIRECTOR_PATTERNS } from '../src/data/uri-redirectors.js';
import { redirectTarget } from '../src/mail/uri/redirectors.js';

const ALL = REDIRECTOR_PATTERNS.map((p) => new RegExp(p.source, p.flags));

function reference(full: string, rest: string): string | undefined {
  for (const re of ALL) {
    const m = re.exec(full);
    if (m && m[1] !== undefined && m[1].includes('.')) return m[1];
  }
  const g = /(https?:\/{0,2}[^&#]+)/i.exec(rest);
  return g && g[1]!.includes('.') ? g[1] : undefined;
}

const HOSTS = ['http://www.example.com', 'HTTP://chkpt.zdnet.com', 'http://www2.nate.com', 'http://a.b.gov', 'http://redir.internet.com',
  'http://x.adtech.de', 'https://www.emf5.com', 'http://www.google.co.uk', 'https://google.com', 'http://aol.com', 'https://www.facebook.com'];
const RESTS = ['/', '/chkpt/abc/www.target.com/x', '/r/abc/target.example.org', '/a/externalLink.jhtml?x=1&url=http://t.example.com&y',
  '/a/b/target.example.net', '/ad;link=http://t.example.com;x', '/redirect.php?a=1&goto=http://t.example.com&b', '/r.cfm?x&r=http://t.example.com',
  '/index.php?a&URL=http://t.example.com#f', '/?url=nodot', '/url?sa=t&q=http://t.example.com/&x', '/search?q=foo+bar.example.com&x',
  '/translate?u=http://t.example.com', '/pagead/iclk?adurl=http://t.example.com', '/redir.adp?_url=http://t.example.com', '/l/;t.example.com',
  '/click?http://t.example.org/x', '/x?https:t.example.org&y', ':8080/q?q=a.b', '/nothing/here'];

test('redirectTarget: same target as trying every pattern in order', () => {
  let found = 0;
  for (const h of HOSTS) {
    for (const r of RESTS) {
      const want = reference(h + r, r);
      assert.equal(redirectTarget(h + r, r), want, h + r);
      if (want !== undefined) found++;
    }
  }
  assert.ok(found > 20);
});

// ---- the linear-time matchers (src/mail/uri/redirector-linear.ts) against their regexes

/** Pieces the generated strings are made of: each pattern's literals, their near misses and separators. */
const PIECES = ['http://', 'https://', 'HTTP://', 'http:', 'www.', 'a', 'b', 'X', '.', '/', '//', '?', '&', '#', ';', '|', '=', '+', ' ', '"', '%20', '%22', '%2',
  '.gov/', '.GOV/', 'gov/', 'externalLink.jhtml?', 'externallink.jhtml?', 'externalLink.jhtml', 'url=', 'URL=', 'Url=', 'ur', 'adtech.de/', 'adtech.de', 'link=', 'LINK=',
  '/redirect.php?', 'redirect.php?', 'goto=', '/index.php?', '/indexXphp?', '/index.ph?', 'index', 'google', 'google.com', 'google.co.uk', '/search?', 'search?',
  'q=', 'Q=', 'site:', 'inurl:', 'INURL:', 'site', 't.example.com', '\t', 'http', '\u0130', '\u017f', '\u212a', '\xe9'];
const PREFIXES = ['', 'http://', 'http://www.google.com/search?', 'https://google.co.uk/search?', 'http://a.gov/externalLink.jhtml?', 'http://adtech.de/', 'http://x.adtech.de/',
  'http://a/redirect.php?', 'HTTP://WWW.GOOGLE.COM/SEARCH?'];

test('redirector-linear: each matcher gives the group 1 of its regex (generated strings without "\\n")', async () => {
  const { LINEAR_MATCHERS } = await import('../src/mail/uri/redirector-linear.js');
  const { rng } = await import('./helpers/rng.js');
  const sources = REDIRECTOR_PATTERNS.map((p) => p.source);
  // every matcher is for a pattern of the table (a regenerated table that changes one is noticed here)
  for (const src of LINEAR_MATCHERS.keys()) assert.ok(sources.includes(src), src);
  assert.equal(LINEAR_MATCHERS.size, 6);
  const r = rng(7);
  const lower = (s: string): string => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
  let matched = 0;
  for (let i = 0; i < 40000; i++) {
    let s = PREFIXES[Math.floor(r() * PREFIXES.length)]!;
    const n = 1 + Math.floor(r() * 14);
    for (let k = 0; k < n; k++) s += PIECES[Math.floor(r() * PIECES.length)]!;
    for (const [src, linear] of LINEAR_MATCHERS) {
      const m = new RegExp(src, 'i').exec(s);
      const want = m === null ? null : m[1]!;
      assert.equal(linear(s, lower(s)), want, `${src}\n${JSON.stringify(s)}`);
      if (want !== null) matched++;
    }
  }
  assert.ok(matched > 2000, `only ${matched} matches`);
});

test('redirectTarget: nested redirects of adversarial shapes take linear time per level', () => {
  // 1 to 60 s each before: the regexes backtrack over every repeated piece (no match in the end)
  const shapes = [
    ['http://url=.gov/?u=', 'http://b.com/?u='],
    ['http://url=.gov/', 'a.gov/externalLink.jhtml?'],
    ['http://x;link=.adtech.de/', 'x.adtech.de/'],
    ['http://goto=/', '/redirect.php?'],
    ['http://&url=x/', '/?'],
    ['http://www.google.com/search?', '?q='],
  ];
  for (const [prefix, unit] of shapes) {
    const full = (prefix! + unit!.repeat(8192)).slice(0, 8192);
    const t0 = performance.now();
    for (let i = 0; i < 200; i++) redirectTarget(full.slice(0, 8192 - i * 8), '/');
    const ms = performance.now() - t0;
    assert.ok(ms < 2000, `${unit}: ${ms.toFixed(0)} ms`);
  }
});
