// Tests for src/mail/uri/idn.ts (Util.pm::idn_to_ascii with Net::LibIDN2): a list of IDN hosts, valid and
// invalid, and a deterministic random sweep, compared with the installed Perl module (tools/probes/uri-idn.pl).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { domainToASCII } from 'node:url';
import { idnToAscii } from '../src/mail/uri/idn.js';
import type { PerlStr } from '../src/mail/perlstr.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PROBE = join(root, 'tools', 'probes', 'uri-idn.pl');
const haveIdn = spawnSync('perl', ['-MMail::SpamAssassin::Util', '-MNet::LibIDN2', '-e1']).status === 0;

const u8 = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');
const b = (s: string): PerlStr => ({ s, chars: false });
const c = (s: string): PerlStr => ({ s, chars: true });

const HOSTS: PerlStr[] = [
  c('B\u00fccher.Example.com'), b(u8('b\u00fccher.de')), b('b\xfccher.de'), b('B\xdcCHER.DE'), c('\u2603.com'),
  b('a%b.COM'), b('Foo Bar.com'), b('xn--abc.com'), c('xn--abc.caf\u00e9'), b('XN--BCHER-KVA.com'), b('xn--zz.\xe9'),
  c('\uff41\uff42.com'), c('a\uff05b.com'), c('a\uff05b\u00e9.com'), b(u8('www.foo.com\u201d')), b(u8('www.foo.com\u00bb')),
  c('-caf\u00e9.com'), c('caf\u00e9-.com'), c('ca--f\u00e9.com'), c('-foo-.caf\u00e9'), c('ab--cd.caf\u00e9'),
  c('x'.repeat(60) + '\u00e9.com'), c('x'.repeat(57) + '\u00e9.com'), c('a'.repeat(64) + '.caf\u00e9'),
  c(('abcdefghi.'.repeat(25)) + '\u00e9'), c(('abcdefghi.'.repeat(24)) + 'abcdef\u00e9'), c('a..b.caf\u00e9'), c('caf\u00e9.com.'),
  c('\u00e9'), c('a\u3002b\u00e9.com'), c('a\uff0eb\u00e9.com'), c('a\u2024b\u00e9.com'), c('a\ufe52b\u00e9.com'),
  c('\u2488\u00e9.com'), c('a_b\u00e9.com'), c('[1::2]\u00e9'), c('caf\u00e9:80'), c('user@caf\u00e9.com'), c('a\u200db\u00e9.com'),
  c('\u0301a.com'), c('\u05d0\u05d1.com'), c('a\u05d0.com'), c('\u05d01.com'), c('\u05d0.\u00e9.com'), c('fa\u00df.de'),
  c('\u03c2.gr'), c('\u03a3\u0391\u03a3.gr'), c('a\u00adb\u00e9.com'), c('\u00e9'.repeat(300)), c('a\ufe64b\u00e9.com'),
  c('A\u2100B\u00e9.com'), c('foo\u00a0bar.com'), c('\u00e9\t.com'), c('\u00e9\x7f.com'), c('\u00e9\x00.com'), c('a\x01b.caf\u00e9'),
  c('l\u00b7l.cat'), c('\u4e2d\u6587.\u4e2d\u56fd'), c('\u0645\u062b\u0627\u0644.\u0625\u062e\u062a\u0628\u0627\u0631'),
  c('\u0915\u094d\u200d.com'), c('\ud83d\ude00.com'), c('I\u0307.com'), c('\u0130stanbul.com'), b('\xff\xfe.com'),
  b('caf\xe9%20.com'), b('\xc3\x28.com'), b('www.example.com'), b('1.2.3.4'), b('[::1]'), c('EXAMPLE.COM'),
  c('\u1e9e.de'), c('\u2160.com'), c('\u24b6.com'), c('\ud835\udc00.com'), c('\u3000x.com'), c('x\u200b.com'),
];

function perl(hosts: PerlStr[]): string[] {
  const out = execFileSync('perl', [PROBE], {
    input: JSON.stringify(hosts.map((h) => ({ s: h.s, chars: h.chars ? 1 : 0 }))).replace(/[\u007f-\uffff]/g, (ch) => '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0')),
    encoding: 'latin1',
    maxBuffer: 1 << 26,
  });
  const r = JSON.parse(out) as { libidn2: number; results: string[] };
  assert.equal(r.libidn2, 1, 'SpamAssassin should be using Net::LibIDN2');
  return r.results;
}

test('idnToAscii agrees with Util::idn_to_ascii + Net::LibIDN2 on a host list', (t) => {
  if (!haveIdn) {
    t.skip('Mail::SpamAssassin::Util or Net::LibIDN2 not installed');
    return;
  }
  const want = perl(HOSTS);
  HOSTS.forEach((h, i) => assert.equal(idnToAscii(h), want[i], JSON.stringify(h)));
});

test('idnToAscii agrees on a deterministic random sweep', (t) => {
  if (!haveIdn) {
    t.skip('Mail::SpamAssassin::Util or Net::LibIDN2 not installed');
    return;
  }
  // small xorshift PRNG: reproducible
  let x = 0x9e3779b9;
  const rnd = (n: number): number => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
  const pool = [
    'a', 'b', 'Z', '0', '-', '_', '.', '%', ' ', '\u00e9', '\u00c9', '\u00df', '\u00b7', '\u00a0', '\u00ad', '\u0301',
    '\u03a3', '\u05d0', '\u0627', '\u0661', '\u06f1', '\u200c', '\u200d', '\u3002', '\uff0e', '\uff21', '\u2603',
    '\u4e2d', '\u0915', '\u094d', '\u30fb', '\u3042', '\u2024', '\u0131', '\u1e9e', '\u2488', '\ufe64', '\u00bd',
  ];
  const hosts: PerlStr[] = [];
  for (let i = 0; i < 3000; i++) {
    let s = '';
    const n = 1 + rnd(12);
    for (let k = 0; k < n; k++) s += pool[rnd(pool.length)];
    if (rnd(2)) s += '.com';
    hosts.push(rnd(3) === 0 ? b(u8(s)) : c(s));
  }
  const want = perl(hosts);
  let diff = 0;
  const examples: string[] = [];
  hosts.forEach((h, i) => {
    const got = idnToAscii(h);
    if (got !== want[i]) {
      diff++;
      if (examples.length < 10) examples.push(`${JSON.stringify(h)} -> ${JSON.stringify(got)} want ${JSON.stringify(want[i])}`);
    }
  });
  assert.equal(diff, 0, examples.join('\n'));
});

test('node:url domainToASCII alone is not libidn2 (why idn.ts exists)', () => {
  // UTS #46 accepts NV8 symbols that IDNA2008 (libidn2) rejects, and rejects ASCII that libidn2 keeps.
  assert.equal(domainToASCII('\u2603.com'), 'xn--n3h.com');
  assert.equal(idnToAscii(c('\u2603.com')), u8('\u2603.com'));
  assert.equal(idnToAscii(b('Foo Bar.com')), 'foo bar.com');
});
