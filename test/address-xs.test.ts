// Tests for src/mail/address-xs.ts and src/mail/address-xs/message-address.ts (the Email::Address::XS 1.05
// fallback of Util.pm::parse_header_addresses). The differential tests compare, through
// tools/probes/address-xs.pl, three layers with the installed Perl modules:
//   xs     Email::Address::XS->parse accessors         vs parseEmailAddressesXs
//   sa_xs  Util.pm::_parse_header_addresses_xs          vs parseAddressesXs
//   pha    Util.pm::parse_header_addresses (end to end) vs parseHeaderAddresses
// on (a) the two corpus messages that need the fallback, (b) hand-written odd and hostile values,
// (c) a seeded fuzz built from the grammar's tokens, (d) the address-header values of both corpora (the
// first messages of every mbox; ADDRESS_XS_FULL=1 for every message, slow, prints the figures).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, openSync, readSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAddressesXs, parseEmailAddressesXs } from '../src/mail/address-xs.js';
import { composeAddress, messageAddressParse } from '../src/mail/address-xs/message-address.js';
import { parseHeaderAddresses, parseHeaderAddressesInternal } from '../src/mail/address.js';
import { preChewAddrHeader } from '../src/bayes/prechew.js';
import { readMbox } from '../src/sources/mbox.js';
import { parseMessage } from '../src/mail/message.js';

const PROBE = fileURLToPath(new URL('../../tools/probes/address-xs.pl', import.meta.url));
const CORPORA = '/work/shared/corpora';
const SPAM_2 = join(CORPORA, 'spamassassin-2002/spam/spam_2.mbox');
/** Byte offsets in spam_2.mbox of the two messages whose Return-Path needs the XS fallback. */
const FALLBACK_MESSAGES = [924993, 929173];
/** Fuzz size and seed (deterministic). */
const FUZZ_COUNT = 4000;
const FUZZ_SEED = 20240501;
/** Messages per mbox in the quick corpus sample. */
const SAMPLE_MESSAGES = 150;
const FULL = process.env.ADDRESS_XS_FULL === '1';

type Row = Record<'phrase' | 'address' | 'user' | 'host' | 'comment', string | null>;
interface ProbeOut {
  xs: Row[];
  sa_xs: Row[];
  internal: Row[];
  pha: Row[];
}

function haveProbeModules(): boolean {
  try {
    execFileSync('perl', ['-MEmail::Address::XS', '-MMail::SpamAssassin::Util', '-e1'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const HAVE_PERL = haveProbeModules();
const NO_PERL = 'Email::Address::XS or Mail::SpamAssassin is not installed';

/** A byte string as one JSON line, every byte >= 0x7F escaped (the probe reads it as Latin-1 code points). */
const jsonLine = (s: string): string =>
  JSON.stringify(s).replace(/[\u007f-\u00ff]/g, (c) => '\\u00' + c.charCodeAt(0).toString(16).padStart(2, '0'));

function runProbe(values: readonly string[]): ProbeOut[] {
  const out = execFileSync('perl', [PROBE], { input: values.map(jsonLine).join('\n') + '\n', maxBuffer: 1 << 30 });
  const lines = out.toString('latin1').trim().split('\n');
  assert.equal(lines.length, values.length, 'probe answered every value');
  return lines.map((l) => JSON.parse(l) as ProbeOut);
}

/** Fields in the probe's (sorted) key order, so rows compare as JSON text. */
const row = (a: { phrase?: string; address?: string; user?: string; host?: string; comment?: string }): Row => ({
  address: a.address ?? null,
  comment: a.comment ?? null,
  host: a.host ?? null,
  phrase: a.phrase ?? null,
  user: a.user ?? null,
});

interface Diff {
  layer: string;
  value: string;
  want: Row[];
  got: Row[];
}

/** Compare all three layers for every value; returns the differences. */
function compare(values: readonly string[]): { diffs: Diff[]; xsUsed: number } {
  const want = runProbe(values);
  const diffs: Diff[] = [];
  let xsUsed = 0;
  values.forEach((v, i) => {
    const w = want[i]!;
    const got: Record<'xs' | 'sa_xs' | 'pha', Row[]> = {
      xs: parseEmailAddressesXs(v).map(row),
      sa_xs: parseAddressesXs(v).map(row),
      pha: parseHeaderAddresses(v).map(row),
    };
    for (const layer of ['xs', 'sa_xs', 'pha'] as const) {
      if (JSON.stringify(got[layer]) !== JSON.stringify(w[layer])) diffs.push({ layer, value: v, want: w[layer], got: got[layer] });
    }
    if (JSON.stringify(w.pha) !== JSON.stringify(w.internal)) xsUsed++;
  });
  return { diffs, xsUsed };
}

const showDiffs = (d: Diff[]): string =>
  d
    .slice(0, 8)
    .map((x) => `${x.layer} ${jsonLine(x.value)}\n  want ${JSON.stringify(x.want)}\n  got  ${JSON.stringify(x.got)}`)
    .join('\n');

// ---- unit tests (no Perl needed) ----

test('domain literal followed by junk: the fallback recovers user and host', () => {
  const v = ' <zvfjenphuq@[1086695621] [ufa]>';
  assert.deepEqual(parseHeaderAddressesInternal(v), []);
  assert.deepEqual(parseAddressesXs(v).map(row), [
    { phrase: null, address: 'zvfjenphuq@[1086695621]', user: 'zvfjenphuq', host: '[1086695621]', comment: null },
  ]);
  assert.deepEqual(parseHeaderAddresses(v).map((a) => a.address), ['zvfjenphuq@[1086695621]']);
  assert.equal(preChewAddrHeader(v), 'U*zvfjenphuq D*[1086695621]');
});

test('message_address_parse: mailboxes, groups, comments, quoted strings', () => {
  const r = messageAddressParse('"A \\"B\\"" <a@b.c> (x (y)), grp: c@d (z);, e');
  assert.deepEqual(
    r.map((a) => [a.name, a.mailbox, a.domain, a.comment]),
    [
      ['A "B"', 'a', 'b.c', 'x (y)'],
      [null, 'grp', null, null], // group start
      [null, 'c', 'd', 'z'],
      [null, null, null, null], // group end
      ['e', '', '', null], // a lone word is a name
    ],
  );
  assert.equal(r[4]!.invalid, true);
  assert.deepEqual(messageAddressParse('  (only a comment) '), []);
});

test('Email::Address::XS accessors: user/host undef when empty; address composed and quoted', () => {
  assert.deepEqual(parseEmailAddressesXs('us.er.@host, "a b"@c, <@r:x@y>').map(row), [
    { phrase: null, address: '"us.er."@host', user: 'us.er.', host: 'host', comment: null },
    { phrase: null, address: '"a b"@c', user: 'a b', host: 'c', comment: null },
    { phrase: null, address: 'x@y', user: 'x', host: 'y', comment: null },
  ]);
  assert.deepEqual(parseEmailAddressesXs('.user@host').map(row), [
    { phrase: null, address: null, user: null, host: null, comment: null },
  ]);
  assert.equal(composeAddress('a"b\\c', 'h'), '"a\\"b\\\\c"@h');
  assert.equal(composeAddress('', 'h'), '""@h');
});

test('_parse_header_addresses_xs: bug 5201 workaround and the whole value as a last-resort phrase', () => {
  assert.deepEqual(parseAddressesXs('"joe+foo@example.com"').map(row), [
    { phrase: null, address: 'joe+foo@example.com', user: 'joe+foo', host: 'example.com', comment: null },
  ]);
  // \\ pairs are removed before parsing, also from the value used as phrase
  assert.deepEqual(parseAddressesXs('.x\\\\y@z').map(row), [{ phrase: '.xy@z', address: null, user: null, host: null, comment: null }]);
});

test('linear time on hostile input', () => {
  const N = 200_000;
  const hostile = [
    '('.repeat(N),
    '"'.repeat(N),
    'a.'.repeat(N / 2),
    'a '.repeat(N / 2) + '<',
    '<'.repeat(N),
    '@'.repeat(N),
    'a@b,'.repeat(N / 4),
    '\\'.repeat(N),
    '[' + 'x'.repeat(N),
    'g:'.repeat(N / 2),
    '<@a,'.repeat(N / 4),
    'x <a@b> '.repeat(N / 8),
    ('a(b)' + ' ').repeat(N / 5) + ',',
    'a,"b'.repeat(N / 4),
  ];
  for (const h of hostile) {
    const t0 = process.hrtime.bigint();
    parseAddressesXs(h);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    assert.ok(ms < 2000, `${ms.toFixed(0)} ms on ${JSON.stringify(h.slice(0, 12))}... (${h.length} bytes)`);
  }
});

// ---- differential tests against the installed modules ----

function headerValue(file: string, offset: number, name: string): string {
  const fd = openSync(file, 'r');
  const buf = Buffer.alloc(16384);
  const n = readSync(fd, buf, 0, buf.length, offset);
  closeSync(fd);
  const head = buf.subarray(0, n).toString('latin1').split('\n\n')[0]!;
  const m = new RegExp(`^${name}:([^\\n]*(?:\\n[ \\t][^\\n]*)*)`, 'im').exec(head);
  assert.ok(m, `${name} header at offset ${offset}`);
  return m[1]!;
}

test('(a) the two corpus Return-Path values give the tokens SpamAssassin gives', (t) => {
  if (!existsSync(SPAM_2)) return t.skip(`corpus file ${SPAM_2} not present`);
  const values = FALLBACK_MESSAGES.map((o) => headerValue(SPAM_2, o, 'Return-Path'));
  assert.deepEqual(values, [' <zvfjenphuq@[1086695621] [ufa]>', ' <ngdgpfwxsw@[1086695621] [pi]>']);
  assert.equal(preChewAddrHeader(values[0]!), 'U*zvfjenphuq D*[1086695621]');
  assert.equal(preChewAddrHeader(values[1]!), 'U*ngdgpfwxsw D*[1086695621]');
  if (!HAVE_PERL) return t.skip(NO_PERL);
  const { diffs, xsUsed } = compare(values);
  assert.equal(diffs.length, 0, showDiffs(diffs));
  assert.equal(xsUsed, values.length, 'SpamAssassin took the XS result for both');
});

// Odd and hostile values: domain literals, groups, comments, quoted strings with escapes, unbalanced
// brackets, several @, trailing junk, empty values, control and non-ASCII bytes.
const ODD_VALUES = [
  '', ' ', '\t\n', ',', ',,,', ';', ':', ':;', '<>', '< >', '@', '@@', '"', '""', '"""', '(', ')', '()', '[', ']', '[]', '\\', '\\\\', '.', '..',
  ' <zvfjenphuq@[1086695621] [ufa]>', 'zvfjenphuq@[1086695621], [ufa]@netnoteinc', 'a@[1.2.3.4]', 'a@[1.2\\]3]', 'a@[1.2[3]', 'a@[1.2',
  'a@[ 1.2 . 3 ]', 'a@[\\', 'a@[x\ny]', 'a@[x\r\ny]', '<a@[1.2.3.4]>', '<a@[1.2.3.4] x>, b@c', 'a@[]', '[a]@b', 'a@b[c]',
  'grp: a@b, c@d;', 'grp: a@b, c@d;, e@f', 'grp:;', 'grp: ;', 'grp:', 'grp: a@b', 'grp: a@b,', 'grp: a@b, (x', 'a: b: c;', ': a@b;', '"g r p": a@b;',
  'g.r.p: a@b;', '.grp: a@b;', 'grp: <a@b>, N <c@d>;, e', 'undisclosed-recipients:;', 'undisclosed-recipients: ;, x@y, z@w',
  'a@b (c)', 'a@b (c) (d)', 'a(x)@b', 'a@b(x)', 'a@(x)b', '(x)a@b', 'N (c) <a@b>', 'N <a@b> (c)', 'N <a(x)@b(y)> (z)', 'a@b (c (d) e)',
  'a@b (c \\) d)', 'a@b (c', 'a@b (c\\', 'a@b (c\nd)', 'a@b (c\r\nd)', 'a@b, (c', 'a@b, (c), d@e', '((a@b))', 'a@b (\\(x)',
  '"a b" <c@d>', '"a\\"b" <c@d>', '"a\\\\b" <c@d>', '"a\\', '"a\\"', '"abc', '"a@b"', '"a@b.com"', '"joe+foo@example.com"', '"a@b" <c@d>',
  '"a b"@c.d', '"a"."b"@c', '"a".b@c', 'a."b"@c', '"a\nb" <c@d>', '"a\r\nb" <c@d>', '"a\rb" <c@d>', '"a\0b" <c@d>', '"" <a@b>', '""@a.b',
  '"a"@', '"a" "b" <c@d>', '"a"b <c@d>', 'a"b"c <d@e>', '"a,b" <c@d>, "e;f" <g@h>', '"a\\', 'a@b, "c',
  '<a@b', 'a@b>', '<<a@b>>', '<a@b>>', '<a<b@c>', 'N <a@b', 'N <a@b> <c@d>', 'N <a@b> x', 'N <a@b>, <c@d>', '<a@b><c@d>', '>a@b<',
  '<@r1,@r2:u@h>', '<@r1,,@r2:u@h>', '<@r1 u@h>', '<@r1:>', '<@:u@h>', '<@r..x:u@h>', '<@r1,', '<@', '<a@b@c>', 'a@b@c', 'a@@b', '@a@b',
  'a@b.', 'a.@b', '.a@b', 'a..b@c', 'a@.b', 'a@b..c', 'a . b @ c . d', 'a.@', 'a@', '@b', 'a@b c@d', 'a@b,c@d,,e@f', 'a@b, ,c@d', 'a@b,',
  'foo@bar.com, baz', 'joe', 'joe bloggs', 'joe <', 'joe >', 'joe, bob', 'x <a@b> <c@d>', 'a@b:c', 'a@b;c@d', 'a@b; c@d',
  'mailto:a@b.example', '=?utf-8?Q?"Foobar"_<noreply@foobar.com>?=', '=?utf-8?Q?"Foobar"?=<info=foobar.com@mlsend.com>',
  'Caf\xC3\xA9 <caf\xC3\xA9@example.com>', '\xE9\xE8 <\xE9@\xE8.com>', '\xFF@\xFF', '\x80\x81 <a@b>', 'a\x7Fb@c', 'a\x01b@c', 'a\0b@c',
  '\0a@b', 'a@\0b', '"\0a"@b', 'N\0 <a@b>', 'a@b (\0)', 'a@[\0]', 'a\x0Bb@c', 'a@b\x0B', '\x0B<a@b>',
  'a\\b@c', '\\\\a@b', 'a@b\\c', '"a\\\\\\"b"@c', '(a\\\\) b@c', 'N <a@b>\\', 'x@y.com\\',
  'Name\t<a@b.c>;c@d.e', 'a@b\n', 'a@b\r\n', '\na@b', 'a\n@b', 'a@\nb', 'N\n <a@b>', 'user @ host . com', 'a@b . ',
  // rarer branches of the parser: a dot after a quoted word at the end, a route with a dot problem or
  // nothing after it, a local part with a dot problem at the end, a group name with a NUL in quotes
  '"a".', '"a". ', '"a".@b', '"a". (c)', '<@a..b', '<@a..b,', '<@a..b:u@h>', '<@r:', '<@r: ', '<a..b', '<"a\0b"', '<a@b..c',
  'x "a\0b": c@d;', '"a\0b": c@d;, e@f',
];

test('(b) odd and hostile values agree with Email::Address::XS and Util.pm', (t) => {
  if (!HAVE_PERL) return t.skip(NO_PERL);
  const { diffs, xsUsed } = compare(ODD_VALUES);
  t.diagnostic(`${ODD_VALUES.length} values, ${xsUsed} where SpamAssassin takes the XS result`);
  assert.ok(xsUsed > 20, 'the fallback path is exercised');
  assert.equal(diffs.length, 0, showDiffs(diffs));
});

/** mulberry32 */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOKENS = [
  'a', 'bob', 'x.y', 'ex.com', 'example.org', '1086695621', '.', '.', '@', '@', '<', '>', '<', '>', '"', '"', '\\', '\\\\', '(', ')',
  ',', ',', ';', ':', '[', ']', ' ', ' ', '  ', '\t', '\n', '\r\n', '\r', '\0', '\x80', '\xE9', '\xFF', '\x0B', '\x7F', '"q s"',
  '"q\\"e"', '[1.2.3.4]', '[ufa]', '(c)', '(n (e) d)', '=?utf-8?q?x?=', 'a@b.com', '<u@h.com>', 'N <u@h.org>', '@r:', 'g:', 'g: a@b;',
];

function fuzzValue(rnd: () => number): string {
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
  if (rnd() < 0.5) {
    let s = '';
    const k = 1 + Math.floor(rnd() * 14);
    for (let j = 0; j < k; j++) s += pick(TOKENS);
    return s;
  }
  // A plausible address list, then a few random edits.
  const local = () => pick(['u', 'first.last', '"q u"', 'a..b', '.x', 'y.', '"a\\"b"', 'x(c)y']);
  const domain = () => pick(['h.com', 'example.org', '[1.2.3.4]', '[x]', 'a..b', '-d.com', 'h', 'b.c\\']);
  const mailbox = () => {
    const addr = `${local()}@${domain()}`;
    switch (Math.floor(rnd() * 4)) {
      case 0: return addr;
      case 1: return `${pick(['N', '"N, M"', 'A B', '=?x?q?y?='])} <${addr}>`;
      case 2: return `${addr} (${pick(['c', 'c (d)', ''])})`;
      default: return `<${pick(['', '@r:', '@r,@s:'])}${addr}>`;
    }
  };
  const list = () => Array.from({ length: 1 + Math.floor(rnd() * 3) }, mailbox).join(pick([', ', ',', ' , ', ';', ' ']));
  let s = rnd() < 0.2 ? `g: ${list()};${rnd() < 0.5 ? ', ' + list() : ''}` : list();
  const edits = Math.floor(rnd() * 3);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(rnd() * (s.length + 1));
    const op = rnd();
    if (op < 0.4) s = s.slice(0, at) + pick(TOKENS) + s.slice(at);
    else if (op < 0.8) s = s.slice(0, at) + s.slice(at + 1);
    else s = s.slice(0, at) + s.slice(at, at + 3) + s.slice(at);
  }
  return s;
}

test('(c) fuzz: grammar-token strings agree at every layer', (t) => {
  if (!HAVE_PERL) return t.skip(NO_PERL);
  const rnd = prng(FUZZ_SEED);
  const values = Array.from({ length: FUZZ_COUNT }, () => fuzzValue(rnd));
  const { diffs, xsUsed } = compare(values);
  t.diagnostic(`${values.length} values, ${xsUsed} where SpamAssassin takes the XS result`);
  assert.ok(xsUsed > FUZZ_COUNT / 10, 'the fallback path is exercised');
  assert.equal(diffs.length, 0, `${diffs.length} differences\n${showDiffs(diffs)}`);
});

// The headers _pre_chew_addr_header sees (Plugin/Bayes.pm; src/bayes/headers.ts ADDR_HDR).
const ADDR_HDR = /^(?:|X-|Resent-)(?:Return-Path|From|To|Cc|Reply-To|Errors-To|Mail-Followup-To|Sender)$/i;

async function corpusAddressValues(limit: number): Promise<{ values: string[]; messages: number }> {
  const seen = new Set<string>();
  let messages = 0;
  for (const corpus of ['spamassassin-2002', 'trec07-dev']) {
    for (const cls of ['ham', 'spam']) {
      const dir = join(CORPORA, corpus, cls);
      if (!existsSync(dir)) continue;
      for (const f of readdirSync(dir).filter((x) => x.endsWith('.mbox')).sort()) {
        let k = 0;
        for await (const m of readMbox(join(dir, f), { maxSize: 0 })) {
          if (limit > 0 && k++ >= limit) break;
          messages++;
          for (const line of parseMessage(m.raw).getAllHeaders()) {
            const colon = line.indexOf(':');
            if (colon < 0 || !ADDR_HDR.test(line.slice(0, colon))) continue;
            let val = line.slice(colon + 1);
            if (val.endsWith('\n')) val = val.slice(0, -1);
            seen.add(val);
          }
        }
      }
    }
  }
  return { values: [...seen], messages };
}

test(`(d) corpus address-header values agree end to end${FULL ? ' (full)' : ' (sample)'}`, async (t) => {
  if (!HAVE_PERL) return t.skip(NO_PERL);
  if (!existsSync(CORPORA)) return t.skip(`corpora not present in ${CORPORA}`);
  const { values, messages } = await corpusAddressValues(FULL ? 0 : SAMPLE_MESSAGES);
  assert.ok(values.length > 100, 'address headers found');
  const { diffs, xsUsed } = compare(values);
  const pha = diffs.filter((d) => d.layer === 'pha').length;
  const msg = `${messages} messages, ${values.length} distinct address-header values: ${values.length - pha} identical end to end, ` +
    `${xsUsed} take the XS result; XS layers differ on ${diffs.length - pha}`;
  t.diagnostic(msg);
  if (FULL) console.log(msg);
  assert.equal(diffs.length, 0, showDiffs(diffs));
});
