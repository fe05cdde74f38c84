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
