// Tests for src/mail/uri.ts (PerMsgStatus.pm::get_uri_list): one case per rule, compared with the installed
// SpamAssassin through tools/probes/uri-list.pl --direct, plus a few fixed expectations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { getUriList } from '../src/mail/uri.js';
import type { PerlStr } from '../src/mail/perlstr.js';
import { uriListCanonicalize, urlEncode, decodeUlongToIp } from '../src/mail/uri/canonicalize.js';
import { isFqdnValid, uriToDomain } from '../src/mail/uri/domain.js';
import { hasSaPerl } from './helpers/env.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PROBE = join(root, 'tools', 'probes', 'uri-list.pl');
const haveSa = hasSaPerl();

/** UTF-8 octets of a JS string as a binary string. */
const u8 = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');
const b = (s: string): PerlStr => ({ s, chars: false });
const c = (s: string): PerlStr => ({ s, chars: true });

interface Case {
  name: string;
  lines: string[];
  html: PerlStr[];
}

const CASES: Case[] = [
  { name: 'schemeless with TLDs', lines: ['Visit example.com today, or sub.example.co.uk/path?x=1 and foo.notatld\n', 'shop at EXAMPLE.ORG. or a.b.c.museum:8080/x\n'], html: [] },
  { name: 'schemeless host rules', lines: ['see -foo.com and a_b.example.com and a_b.com and 1.2.3.4 and x..y.com\n'], html: [] },
  { name: 'schemeless after punctuation', lines: ['(example.net) "example.info" x=example.biz;example.us!\n', 'word.example.comx no\n'], html: [] },
  { name: 'scheme and www prefixes', lines: ['http://www.example.com/a www2.example.com ftp.example.com/pub FTP://x.example.org/ https:/y.example.org\n'], html: [] },
  { name: 'mailto handling', lines: ['mailto:foo%40bar.com mailto:joe@example.com?subject=hi&body=x mail:joe@example.net Vi@gra\n', 'joe@example.invalidtld mailto:%20joe@example.com x@y.com&nbsp; e-mail:ann@example.org\n'], html: [] },
  { name: 'mail in a path is http', lines: ['www.example.com/u@host and example.com/~joe@x.y\n'], html: [] },
  { name: 'trailing punctuation', lines: ['http://example.com/foo). http://example.com/bar!!! <http://example.com/baz>, http://example.com/q?=\n'], html: [] },
  { name: 'parenthesis rule', lines: ['(see http://example.com/a(b)c) and (http://example.com/x) and http://example.com/p)q)r(s\n'], html: [] },
  { name: '%-decoding variants of url_encode', lines: ['http://www.example.com/%7Euser/%2e%2E/%20x%41%3C%25 http://ex%61mple.com/ http://example.com/a"b<c\n'], html: [b('http://www.example.com/%7e%7F%80caf\xe9')] },
  { name: '&#x2e; forms', lines: [], html: [b('http://www&#x2e;example&#46;com/'), b('http://example&#12290;com/&#x41;&#65;&#127;'), b('http://example&#XFF0E;com')] },
  { name: 'redirectors', lines: ['http://www.google.com/url?q=http://evil.example.com/&sa=x http://example.com/redirect.php?goto=http://x.y.com\n'], html: [b('http://site.com/click?http://target.example.org/x'), b('http://chkpt.zdnet.com/chkpt/abc/www.example.com/x'), b('http://www.google.com/url?q=nodot&x=http://z.example.com/')] },
  { name: 'IDN and punycode', lines: [u8('http://bücher.de/ and http://www.Bücher.de/x and http://xn--bcher-kva.de/ and bücher.de\n'), u8('http://www.foo.com”\n')], html: [c('http://b\u00fccher.example.com/caf\u00e9'), c('http://\u2603.example.com/'), b('http://b\xfccher.example.net/'), c('http://B\u00dcCHER.example.org:80/')] },
  { name: 'hex and octal IPs', lines: ['http://0x7f000001/ http://3232235777/ http://0300.0250.0.01/ http://10.0.0.1/a\n'], html: [b('http://89.0x00000000000000000000068.0000000000000000000000160.0x00000000000011/'), b('http://0x1234567890/'), b('http://99999999999999999999/'), b('http://0xffffffffffffffffff.1.2.3/')] },
  { name: 'www.<label>.com variant', lines: [], html: [b('http://foobar/x'), b('http://localhost/'), b('http://www.foo/'), b('http://user@foobar/'), b('http://foobar:81/'), b('https://foobar/'), b('http://foobar:80/y')] },
  { name: 'ports and userinfo', lines: ['http://user:pw@www.example.com:80/x https://example.com:443/y http://www.example.com.:8080/ http://example.com:80a/\n'], html: [] },
  { name: 'character-string URIs with Latin-1', lines: [], html: [c('http://example.com/caf\u00e9?x=\u00a0y'), c('  http://example.com/\u00e9t\u00e9\u00a0'), c('http://exampl\u00e9.com/'), c('http://example.com/\u4e2d\u6587')] },
  { name: 'relative and special HTML URIs', lines: [], html: [b('#top'), b('/relative'), b('//cdn.example.com/x'), b('?q'), b('mailto:x@y.com?subject=a b'), b('mailto:"Foo%20Bar"%20<foo.bar@example.com>'), b('javascript:void(0)'), b('x'), b('cid:abc@def')] },
  { name: 'mailto: without @ hides the schemeless host', lines: ['Follow This link mailto:results.example.com\n'], html: [] },
  { name: 'cid and empty schemes are ignored', lines: ['[cid:image001.png@01D4986E.E3459640] http:// mailto: www.\n'], html: [] },
  { name: 'ISO-2022 shift and non-ASCII delimiters', lines: ['\x1b(Bwww.example.com\x1b(B and \xa0example.org\xa0 and ' + u8('àexample.net') + '\n'], html: [] },
  { name: 'backslashes and no-slash http:', lines: [], html: [b('http:\\\\www.example.com\\a\\b'), b('http:www.example.com'), b('HTTP://WWW.EXAMPLE.COM/')] },
  { name: 'slashes, spaces, control characters and trailing junk in hosts', lines: [], html: [b('Https:/one.example.com/'), b('http:///two.example.com/'), b('hTTp://three.example.com'), b(' \t http://four.example.com/ \r\n'), b('http://fi\rve.exam\nple.com/'), b('http://six.example.com-_/'), b('http://se\x01ven.example.com/'), b('http://u@p@eight.example.com/'), b('https:nine.example.com'), b('h')] },
];

function perlUris(cases: Case[]): PerlStr[][] {
  const input = cases
    .map((k) => JSON.stringify({ lines: k.lines, html: k.html.map((h) => ({ s: h.s, chars: h.chars ? 1 : 0 })) }))
    .join('\n');
  const out = execFileSync('perl', [PROBE, '--direct'], { input, encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  return out
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { uris: { s: string; chars: number }[] }).uris.map((u) => ({ s: u.s, chars: !!u.chars })));
}

// eslint-disable-next-line no-control-regex
const isAscii = (s: string): boolean => !/[^\x00-\x7f]/.test(s);
/** Set key: the flag only matters (and is only deterministic in Perl) for non-ASCII strings. */
const key = (u: PerlStr): string => JSON.stringify([u.s, isAscii(u.s) ? false : u.chars]);

test('getUriList agrees with SpamAssassin, rule by rule', (t) => {
  if (!haveSa) {
    t.skip('Mail::SpamAssassin not installed: cannot run tools/probes/uri-list.pl');
    return;
  }
  const expected = perlUris(CASES);
  assert.equal(expected.length, CASES.length);
  CASES.forEach((k, i) => {
    const got = getUriList(k.lines, k.html).map(key).sort();
    const want = expected[i]!.map(key).sort();
    assert.deepEqual(got, want, k.name);
  });
});

test('fixed expectations (no SpamAssassin needed)', () => {
  const list = getUriList(['Visit www.example.com/x?a=1 and foo@bar.com\n'], [c('http://b\u00fccher.example.com/caf\u00e9')]);
  const s = list.map((u) => u.s);
  assert.ok(s.includes('http://www.example.com/x?a=1'));
  assert.ok(s.includes('mailto:foo@bar.com'));
  assert.ok(s.includes('http://xn--bcher-kva.example.com/caf\u00e9'));
  const flagged = list.find((u) => u.s === 'http://b\u00fccher.example.com/caf\u00e9');
  assert.equal(flagged?.chars, true);
  // www.<label>.com (Bug 6596) and IP decoding
  assert.deepEqual(
    uriListCanonicalize([b('http://foobar/x')]).map((u) => u.s),
    ['http://foobar/x', 'http://www.foobar.com/x'],
  );
  assert.ok(uriListCanonicalize([b('http://0x7f000001/')]).some((u) => u.s === 'http://127.0.0.1/'));
  assert.equal(decodeUlongToIp('4294967296'), '16.0.0.0');
  assert.equal(urlEncode('http://a/%7e%2F%20\xe9"'), 'http://a/~/%20%e9%22');
  assert.equal(isFqdnValid('a_b.com', true), false);
  assert.equal(isFqdnValid('a_b.x.com', true), true);
  assert.equal(uriToDomain(b('http://www.example.co.uk/x'))?.domain, 'example.co.uk');
  assert.equal(uriToDomain(b('mailto:a@b@example.com')), undefined);
  // text URIs without a valid domain are dropped; HTML ones are kept
  assert.deepEqual(getUriList(['http://nodomain.invalidtld/\n'], []), []);
  assert.ok(getUriList([], [b('/relative')]).some((u) => u.s === '/relative'));
});

// ---- linear-time replacements of regexes that backtrack O(n^2) on long runs

test('mailInAngles: group 1 of MAIL_IN_ANGLES (generated strings)', async () => {
  const { mailInAngles, MAIL_IN_ANGLES } = await import('../src/mail/uri/canonicalize.js');
  const { rng } = await import('./helpers/rng.js');
  const pieces = ['<', '>', '@', '?', '&', 'a', 'b', 'mailto:', '\n', ' ', '<<', '>>', '@@'];
  const r = rng(5);
  let found = 0;
  for (let i = 0; i < 30000; i++) {
    let s = '';
    const n = Math.floor(r() * 16);
    for (let k = 0; k < n; k++) s += pieces[Math.floor(r() * pieces.length)]!;
    const m = MAIL_IN_ANGLES.exec(s);
    assert.equal(mailInAngles(s), m === null ? null : m[1]!, JSON.stringify(s));
    if (m) found++;
  }
  assert.ok(found > 1000);
});

test('mayMatchMailAfterSp: false only where MAIL_AFTER_SP cannot match (generated strings)', async () => {
  const { mayMatchMailAfterSp, MAIL_AFTER_SP } = await import('../src/mail/uri/canonicalize.js');
  const { rng } = await import('./helpers/rng.js');
  const pieces = ['mailto:', '%20', '%2', '@', '?', '&', '%', 'a', '\n'];
  const r = rng(23);
  let matched = 0;
  for (let i = 0; i < 30000; i++) {
    let s = '';
    const n = Math.floor(r() * 10);
    for (let k = 0; k < n; k++) s += pieces[Math.floor(r() * pieces.length)]!;
    const m = MAIL_AFTER_SP.test(s);
    if (m) matched++;
    if (!mayMatchMailAfterSp(s)) assert.equal(m, false, JSON.stringify(s));
  }
  assert.ok(matched > 1000);
});

test('uriListCanonicalize: long runs in mailto and host parts take linear time', () => {
  const cases = [
    'mailto:' + '<'.repeat(100000), // MAIL_IN_ANGLES rescanned from every '<'
    'mailto:a@' + '<'.repeat(50000) + 'x>' + '<'.repeat(50000),
    'mailto:' + '%20'.repeat(30000) + 'x', // MAIL_AFTER_SP backed off one "%20" at a time
    'http://a' + '-'.repeat(100000) + 'a-/', // s/[^0-9A-Za-z]+$// on the host
    'http://a' + '.'.repeat(100000) + 'a./', // s/\.+$// in is_fqdn_valid
  ];
  for (const s of cases) {
    const t0 = performance.now();
    uriListCanonicalize([{ s, chars: false }]);
    const ms = performance.now() - t0;
    assert.ok(ms < 2000, `${s.slice(0, 12)}: ${ms.toFixed(0)} ms`);
  }
  // the results are the regexes' ones
  assert.deepEqual(uriListCanonicalize([{ s: 'mailto:x<<a@b>c>', chars: false }]).map((u) => u.s), ['mailto:x<<a@b>c>', 'mailto:a@b']);
  assert.deepEqual(uriListCanonicalize([{ s: 'mailto:%20%20a@b?c', chars: false }]).map((u) => u.s), ['mailto:%20%20a@b?c', 'mailto:%20%20a@b', 'mailto:a@b']);
  assert.deepEqual(uriListCanonicalize([{ s: 'http://a--b.-/', chars: false }]).map((u) => u.s), ['http://a--b.-/', 'http://a--b/']);
});
