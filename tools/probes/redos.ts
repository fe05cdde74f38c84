#!/usr/bin/env node
// Probe: does any input make the native per-message pipeline (learnRecord) super-linear? Builds
// adversarial messages (shapes aimed at every stage: MIME, decoding, charsets, HTML, URIs, Received,
// addresses, dates, the tokenizer) at growing sizes and times learnRecord on each in its own child
// process, killed after a hard time limit. Prints the slowest cases and each shape's cost curve
// (the exponent between the two largest sizes: ~1 is linear, ~2 quadratic).
//
// Usage (after npx tsc -p tsconfig.json):
//   nice -n 19 node dist/tools/probes/redos.js [--sizes 10000,50000,200000,500000] [--only RE]
//                                              [--limit-ms 20000] [--json]
//   node dist/tools/probes/redos.js --case NAME --size N        one case in this process (prints ms)
//   node dist/tools/probes/redos.js --dump NAME --size N        write the message to stdout
//   ... --compare OTHER/dist/src/engines/native/analyze.js      also run another build's learnRecord on
//                                                               each case and report any difference
//
// A full run (about 430 shapes x 4 sizes) takes 15-30 minutes. The shapes it found super-linear, and
// their causes, are listed in test/redos.test.ts, which keeps them fast. Known remaining: a header
// block of thousands of X-Spam-Prev- headers (with X-Spam-Checker-Version) is still O(n^2) in
// SpamAssassin.pm's restore loop (markup.ts restorePrevHeaders: about 1 s at 200 KB, 8 s at 500 KB).
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { learnRecord } from '../../src/engines/native/analyze.js';
import type { LearnRecord } from '../../src/bayes/store.js';

/** --max-size default of sa-train: no generated message is larger. */
export const MAX_MESSAGE_BYTES = 512_000;
/** A case running longer than this is killed and reported as a hang. */
const DEFAULT_LIMIT_MS = 20_000;
const NOW = 1767225600;

/** `s` repeated until it is at least `n` characters long, then cut to `n`. */
function fill(s: string, n: number): string {
  return s.repeat(Math.ceil(n / s.length)).slice(0, n);
}

/** `n` bytes of the form unit + sep, folded into lines of `width` characters with `sep` after each. */
function lines(unit: string, n: number, width = 76): string {
  const out: string[] = [];
  let len = 0;
  while (len < n) {
    const l = fill(unit, width) + '\n';
    out.push(l);
    len += l.length;
  }
  return out.join('');
}

const HDRS = 'From: a@example.com\nTo: b@example.com\nSubject: probe\nDate: Thu, 1 Jan 2026 00:00:00 +0000\nMessage-Id: <p@example.com>\n';

/** A message: extra headers, a content type, a body (binary strings). */
function msg(body: string, ct = 'text/plain; charset=us-ascii', extra = '', cte = ''): string {
  return HDRS + extra + `MIME-Version: 1.0\nContent-Type: ${ct}\n` + (cte ? `Content-Transfer-Encoding: ${cte}\n` : '') + '\n' + body + '\n';
}
const html = (body: string, cte = ''): string => msg(body, 'text/html; charset=us-ascii', '', cte);
const html8 = (body: string): string => msg(body, 'text/html; charset=utf-8', '', '8bit');
const text8 = (body: string): string => msg(body, 'text/plain; charset=utf-8', '', '8bit');

/** Headers of `name: value` until the header section is about `n` bytes. */
function manyHeaders(name: string, value: (i: number) => string, n: number): string {
  const out: string[] = [];
  let len = 0;
  for (let i = 0; len < n; i++) {
    const h = `${name}: ${value(i)}\n`;
    out.push(h);
    len += h.length;
  }
  return out.join('');
}

/** One header whose value is `unit` repeated to `n` bytes, folded every `width` characters. */
function longHeader(name: string, unit: string, n: number, width = 200): string {
  const v = fill(unit, n);
  const parts: string[] = [];
  for (let i = 0; i < v.length; i += width) parts.push(v.slice(i, i + width));
  return `${name}: ${parts.join('\n\t')}\n`;
}

/** Raw 8-bit body: pseudo-random bytes from a fixed LCG. */
function randomBytes(n: number, lo = 0, hi = 256, seed = 1): string {
  let x = seed;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out.push(String.fromCharCode(lo + ((x >>> 16) % (hi - lo))));
  }
  return out.join('');
}

function nestedMultipart(depth: number, leaf: string): string {
  let body = leaf;
  let ct = 'text/plain';
  for (let d = 0; d < depth; d++) {
    const b = `b${d}`;
    body = `--${b}\nContent-Type: ${ct}\n\n${body}\n--${b}--\n`;
    ct = `multipart/mixed; boundary="${b}"`;
  }
  return msg(body, ct);
}

/** Distinct instances of `one(i)` until about `n` bytes. */
function manyOf(n: number, one: (i: number) => string): string {
  const out: string[] = [];
  let len = 0;
  for (let i = 0; len < n; i++) {
    const s = one(i);
    out.push(s);
    len += s.length;
  }
  return out.join('');
}

type Shape = (n: number) => string;

/** Every adversarial shape; n is the approximate message size in bytes. */
export const SHAPES: Record<string, Shape> = {
  // ---- plain text body: one long line, runs of one character, lines of tokens
  'text:long-line-letters': (n) => msg(fill('a', n)),
  'text:long-line-words': (n) => msg(fill('word ', n)),
  'text:long-line-Title': (n) => msg(fill('Abcdefg ', n)),
  'text:title-no-end': (n) => msg('. A' + fill('b', n) + 'C'),
  'text:dot-space-runs': (n) => msg(fill('. ', n)),
  'text:dot-A-runs': (n) => msg(fill('. A', n)),
  'text:dots': (n) => msg(fill('.', n)),
  'text:dots-lines': (n) => msg(lines('.', n)),
  'text:a-dots': (n) => msg(fill('a.', n)),
  'text:a-dot3': (n) => msg(fill('a...', n)),
  'text:a-dot7': (n) => msg(fill('a.......', n)),
  'text:dashes': (n) => msg(fill('-', n)),
  'text:a-dash': (n) => msg(fill('a-', n)),
  'text:a-dash2': (n) => msg(fill('a--', n)),
  'text:at': (n) => msg(fill('@', n)),
  'text:a-at': (n) => msg(fill('a@', n)),
  'text:a-at-b-dot': (n) => msg(fill('a@b.', n)),
  'text:addr-list': (n) => msg(fill('user@host.example.com ', n)),
  'text:stars': (n) => msg(fill('*', n)),
  'text:a-star': (n) => msg(fill('a*', n)),
  'text:quotes': (n) => msg(fill('"', n)),
  'text:squotes': (n) => msg(fill("'", n)),
  'text:trim-punct': (n) => msg(fill("-'.,", n) + 'x'),
  'text:trim-punct-lines': (n) => msg(lines("-'.,-'.,-'.,x", n)),
  'text:commas': (n) => msg(fill(',', n)),
  'text:dollar-bang': (n) => msg(fill('$!', n)),
  'text:punct-mix': (n) => msg(fill('!@#$%^&*()_+=-[]{};:\'",.<>/?\\|`~', n)),
  'text:tabs-spaces': (n) => msg(fill(' \t', n) + 'x'),
  'text:newlines': (n) => msg(fill('\n', n)),
  'text:space-newlines': (n) => msg(fill(' \n \n', n)),
  'text:cr': (n) => msg(fill('\r', n)),
  'text:nul': (n) => msg(fill('\x00', n)),
  'text:digits': (n) => msg(fill('1234567890', n)),
  'text:ip-run': (n) => msg(fill('1.2.3.4.', n)),
  'text:long-token-lines': (n) => msg(lines('abcdefghij', n, 2047)),
  // ---- high bytes, broken UTF-8
  'bytes:xff': (n) => msg(fill('\xff', n), 'text/plain; charset=iso-8859-1', '', '8bit'),
  'bytes:random': (n) => msg(randomBytes(n), 'text/plain; charset=iso-8859-1', '', '8bit'),
  'bytes:random-utf8': (n) => text8(randomBytes(n)),
  'bytes:random-high': (n) => text8(randomBytes(n, 0x80, 0x100)),
  'bytes:lead-only': (n) => text8(fill('\xe0', n)),
  'bytes:cont-only': (n) => text8(fill('\x80', n)),
  'bytes:overlong': (n) => text8(fill('\xe0\x80', n)),
  'bytes:utf8-valid': (n) => text8(fill('\xc3\xa9t\xc3\xa9 ', n)),
  'bytes:utf8-valid-nospace': (n) => text8(fill('\xe2\x82\xac', n)),
  'bytes:utf8-4byte': (n) => text8(fill('\xf0\x9f\x98\x80', n)),
  'bytes:c2a0': (n) => text8(fill('\xc2\xa0', n)),
  'bytes:a-c2a0-dot': (n) => text8(fill('a.\xc2\xa0', n)),
  'bytes:sjis': (n) => msg(randomBytes(n, 0x81, 0xfd), 'text/plain; charset=shift_jis', '', '8bit'),
  'bytes:gb2312': (n) => msg(randomBytes(n, 0xa1, 0xfe), 'text/plain; charset=gb2312', '', '8bit'),
  'bytes:big5': (n) => msg(randomBytes(n, 0x40, 0xfe), 'text/plain; charset=big5', '', '8bit'),
  'bytes:euc-kr': (n) => msg(randomBytes(n, 0xa1, 0xfe), 'text/plain; charset=euc-kr', '', '8bit'),
  'bytes:iso-2022-jp': (n) => msg(fill('\x1b$B\x30\x21\x1b(B', n), 'text/plain; charset=iso-2022-jp'),
  'bytes:iso-2022-jp-esc': (n) => msg(fill('\x1b$B', n), 'text/plain; charset=iso-2022-jp'),
  'bytes:utf-7': (n) => msg(fill('+AGEAYgBj-', n), 'text/plain; charset=utf-7'),
  'bytes:utf-7-plus': (n) => msg(fill('+', n), 'text/plain; charset=utf-7'),
  'bytes:utf-16': (n) => msg(randomBytes(n), 'text/plain; charset=utf-16', '', '8bit'),
  'bytes:unknown-charset': (n) => msg(randomBytes(n), 'text/plain; charset=x-foo', '', '8bit'),
  'bytes:no-charset': (n) => msg(randomBytes(n), 'text/plain', '', '8bit'),
  // ---- transfer encodings
  'cte:base64-garbage': (n) => msg(randomBytes(n, 0x21, 0x7f), 'text/plain', '', 'base64'),
  'cte:base64-text': (n) => msg(lines(Buffer.from(fill('Hello world. ', 57)).toString('base64'), n), 'text/plain', '', 'base64'),
  'cte:base64-one-line': (n) => msg(Buffer.from(fill('Hello world. ', (n * 3) / 4)).toString('base64'), 'text/plain', '', 'base64'),
  'cte:base64-html-one-line': (n) => msg(Buffer.from(fill('<p>x</p>', (n * 3) / 4)).toString('base64'), 'text/html', '', 'base64'),
  'cte:base64-equals': (n) => msg(fill('=', n), 'text/plain', '', 'base64'),
  'cte:qp-equals': (n) => msg(fill('=', n), 'text/plain', '', 'quoted-printable'),
  'cte:qp-soft-breaks': (n) => msg(fill('=\n', n), 'text/plain', '', 'quoted-printable'),
  'cte:qp-hex': (n) => msg(fill('=E9', n), 'text/plain; charset=iso-8859-1', '', 'quoted-printable'),
  'cte:qp-spaces': (n) => msg(fill(' ', n) + '=\nx', 'text/plain', '', 'quoted-printable'),
  'cte:qp-html': (n) => msg(fill('=3Cp=3Ex=3C/p=3E', n), 'text/html', '', 'quoted-printable'),
  'cte:uuencode': (n) => msg('begin 644 x\n' + lines('M' + fill('A', 60), n) + 'end\n'),
  // ---- HTML
  'html:lt': (n) => html(fill('<', n)),
  'html:lt-a': (n) => html(fill('<a', n)),
  'html:lt-a-space': (n) => html(fill('<a ', n)),
  'html:unclosed-tag-attrs': (n) => html('<a ' + fill('b=c ', n)),
  'html:unclosed-quote': (n) => html('<a href="' + fill('x', n)),
  'html:unclosed-squote-attrs': (n) => html(fill("<a b='", n)),
  'html:many-attrs': (n) => html('<font ' + fill('color=red ', n) + '>x</font>'),
  'html:dup-attrs-eq': (n) => html('<a ' + fill('=', n) + '>'),
  'html:close-lt': (n) => html(fill('</', n)),
  'html:close-a': (n) => html(fill('</a', n)),
  'html:bang': (n) => html(fill('<!', n)),
  'html:comment-open': (n) => html('<!--' + fill('x', n)),
  'html:comment-opens': (n) => html(fill('<!--', n)),
  'html:comment-dashes': (n) => html('<!--' + fill('-', n)),
  'html:comment-almost-close': (n) => html('<!--' + fill('--!', n)),
  'html:comment-many': (n) => html(fill('<!-- c -->x', n)),
  'html:decl-open': (n) => html('<!DOCTYPE ' + fill('a ', n)),
  'html:decl-quotes': (n) => html('<!DOCTYPE ' + fill('"a" ', n)),
  'html:pi-open': (n) => html('<?' + fill('x', n)),
  'html:cdata': (n) => html('<![CDATA[' + fill('x', n)),
  'html:script-open': (n) => html('<script>' + fill('x<', n)),
  'html:script-many-lt': (n) => html('<script>' + fill('</scrip', n)),
  'html:style-open': (n) => html('<style>' + fill('a{color:red}', n)),
  'html:textarea-open': (n) => html('<textarea>' + fill('<a', n)),
  'html:title-open': (n) => html('<title>' + fill('x ', n)),
  'html:nested-div': (n) => html(fill('<div>', n)),
  'html:nested-font': (n) => html(fill('<font color=red>', n)),
  'html:nested-font-size': (n) => html(fill('<font size=1 color=#fff>', n)),
  'html:nested-span-style': (n) => html(fill('<span style="color:red;font-size:1px">', n)),
  'html:nested-table': (n) => html(fill('<table><tr><td>', n)),
  'html:nested-a': (n) => html(fill('<a href="http://x.example.com/">', n)),
  'html:nested-close': (n) => html(fill('<b><i><u>', n / 2) + fill('</b></i></u>', n / 2)),
  'html:many-tags': (n) => html(fill('<b>x</b> ', n)),
  'html:many-p': (n) => html(fill('<p>', n)),
  'html:many-br': (n) => html(fill('<br>', n)),
  'html:many-img': (n) => html(fill('<img src="http://a.example.com/x.gif">', n)),
  'html:many-img-distinct': (n) => html(Array.from({ length: n / 40 }, (_, i) => `<img src="http://a${i}.example.com/">`).join('')),
  'html:many-a-distinct': (n) => html(Array.from({ length: n / 40 }, (_, i) => `<a href="http://h${i}.example.com/p">x</a>`).join('')),
  'html:style-attr-long': (n) => html('<p style="' + fill('color:red;', n) + '">x</p>'),
  'html:style-attr-semicolons': (n) => html('<p style="' + fill(';', n) + '">x</p>'),
  'html:style-attr-colons': (n) => html('<p style="' + fill(':', n) + '">x</p>'),
  'html:style-attr-spaces': (n) => html('<p style="color:' + fill(' ', n) + 'red">x</p>'),
  'html:style-rgb': (n) => html('<p style="color:rgb(' + fill('1,', n) + '">x</p>'),
  'html:font-color-rgb': (n) => html('<font color="rgb(' + fill('1 ', n) + '">x</font>'),
  'html:font-color-hash': (n) => html('<font color="#' + fill('a', n) + '">x</font>'),
  'html:font-color-many': (n) => html(fill('<font color="#ffffff" bgcolor="#ffffff">x</font>', n)),
  'html:entities': (n) => html(fill('&amp;', n)),
  'html:entities-nosemi': (n) => html(fill('&amp', n)),
  'html:entity-amps': (n) => html(fill('&', n)),
  'html:entity-hash': (n) => html(fill('&#', n)),
  'html:entity-hex': (n) => html(fill('&#x', n)),
  'html:entity-digits': (n) => html('&#' + fill('9', n)),
  'html:entity-name-long': (n) => html('&' + fill('a', n)),
  'html:entity-in-attr': (n) => html('<a href="' + fill('&#46;', n) + '">x</a>'),
  'html:href-dots': (n) => html('<a href="http://' + fill('a.', n) + '">x</a>'),
  'html:href-slashes': (n) => html('<a href="http://a.example.com' + fill('/', n) + '">x</a>'),
  'html:href-percent': (n) => html('<a href="http://a.example.com/' + fill('%41', n) + '">x</a>'),
  'html:href-percent-host': (n) => html('<a href="http://' + fill('%41', n) + '.com/">x</a>'),
  'html:href-at': (n) => html('<a href="http://' + fill('a@', n) + 'b.com/">x</a>'),
  'html:href-colons': (n) => html('<a href="' + fill(':', n) + '">x</a>'),
  'html:href-spaces': (n) => html('<a href="http://a.com/' + fill(' x', n) + '">x</a>'),
  'html:href-mailto': (n) => html('<a href="mailto:' + fill('a@b.c,', n) + '">x</a>'),
  'html:href-redirect': (n) => html('<a href="http://a.com/?u=' + fill('http://b.com/?u=', n) + '">x</a>'),
  'html:href-utf8': (n) => html8('<a href="http://a.com/' + fill('\xc3\xa9', n) + '">x</a>'),
  'html:href-utf8-host': (n) => html8('<a href="http://' + fill('\xc3\xa9.', n) + 'com/">x</a>'),
  'html:href-idn-dots': (n) => html8('<a href="http://' + fill('a\xe3\x80\x82', n) + 'com/">x</a>'),
  'html:href-backslash': (n) => html('<a href="http:' + fill('\\', n) + 'a.com">x</a>'),
  'html:href-hex-ip': (n) => html('<a href="http://0x' + fill('f', n) + '/">x</a>'),
  'html:href-dec-ip': (n) => html('<a href="http://' + fill('1', n) + '/">x</a>'),
  'html:href-ip-dots': (n) => html('<a href="http://' + fill('1.', n) + '/">x</a>'),
  'html:href-zeros': (n) => html('<a href="http://1.2.3.' + fill('0', n) + '/">x</a>'),
  'html:href-entity-dots': (n) => html('<a href="http://a' + fill('&#x2e;', n) + 'com/">x</a>'),
  'html:href-trailing': (n) => html('<a href="http://a.com' + fill('.', n) + '">x</a>'),
  'html:base-href': (n) => html('<base href="http://a.com/' + fill('a/', n) + 'x.html">' + '<a href="b">x</a>'),
  'html:base-href-dots': (n) => html('<base href="http://a.com/' + fill('.', n) + '">' + '<a href="b">x</a>'),
  'html:meta-refresh': (n) => html('<meta http-equiv="refresh" content="0;' + fill('url=', n) + '">'),
  'html:meta-refresh-spaces': (n) => html('<meta http-equiv="refresh" content="0;url' + fill(' ', n) + 'x">'),
  'html:meta-refresh-many': (n) => html(fill('<meta http-equiv=refresh content="0;url=http://a.com/">', n)),
  'html:text-www': (n) => html(fill('www', n)),
  'html:text-long-line': (n) => html(fill('abc ', n)),
  'html:text-no-space': (n) => html(fill('abcdefgh', n)),
  'html:whitespace': (n) => html('x' + fill(' \t\r\n', n) + 'y'),
  'html:nbsp': (n) => html(fill('&nbsp;', n)),
  'html:tag-name-long': (n) => html('<' + fill('a', n) + '>'),
  'html:attr-name-long': (n) => html('<a ' + fill('b', n) + '=1>'),
  'html:attr-value-long': (n) => html('<a title=' + fill('b', n) + '>'),
  'html:o-p-tags': (n) => html(fill('<o:p>', n)),
  'html:st1-tags': (n) => html(fill('<st1:place>', n)),
  'html:utf8-text': (n) => html8(fill('\xc3\xa9t\xc3\xa9 <b>x</b> ', n)),
  'html:utf8-broken': (n) => html8(randomBytes(n, 0x80, 0x100)),
  'html:random-ascii': (n) => html(randomBytes(n, 0x20, 0x7f)),
  'html:random-lt-rich': (n) => html(randomBytes(n, 0x20, 0x7f).replace(/[a-e]/g, '<').replace(/[f-j]/g, '>')),
  // ---- URIs in text
  'uri:http-dots': (n) => msg('http://' + fill('a.', n)),
  'uri:http-dots-lines': (n) => msg(lines('http://' + fill('a.', 60), n)),
  'uri:http-slashes': (n) => msg('http://a.com' + fill('/', n)),
  'uri:http-percent': (n) => msg('http://a.com/' + fill('%41', n)),
  'uri:schemes': (n) => msg(fill('http://', n)),
  'uri:colon-slash': (n) => msg(fill(':/', n)),
  'uri:www': (n) => msg(fill('www.', n)),
  'uri:www-words': (n) => msg(fill('www ', n)),
  'uri:ftp': (n) => msg(fill('ftp.', n)),
  'uri:mailto': (n) => msg(fill('mailto:', n)),
  'uri:mailto-at': (n) => msg(fill('mailto:a@', n)),
  'uri:schemeless-dots': (n) => msg(fill('a.b', n)),
  'uri:schemeless-hosts': (n) => msg(fill('a.com ', n)),
  'uri:schemeless-dashes': (n) => msg(fill('a-b.c', n)),
  'uri:schemeless-underscore': (n) => msg(fill('a_.b', n)),
  'uri:host-runs': (n) => msg(fill('a.b-c_d', n) + '.com'),
  'uri:at-dots': (n) => msg(fill('a@b.c', n)),
  'uri:at-runs': (n) => msg(fill('a.b@', n)),
  'uri:parens': (n) => msg('(' + fill('http://a.com/(', n) + ')'),
  'uri:close-parens': (n) => msg('http://a.com/' + fill(')', n)),
  'uri:trailing-punct': (n) => msg('http://a.com/' + fill('!?,.', n) + 'x'),
  'uri:trailing-punct-lines': (n) => msg(lines('http://a.com/' + fill('!?,.', 60) + 'x ', n)),
  'uri:many-urls': (n) => msg(fill('http://a.example.com/x ', n)),
  'uri:many-distinct': (n) => msg(Array.from({ length: n / 30 }, (_, i) => `http://h${i}.example.com/ `).join('')),
  'uri:many-distinct-lines': (n) => msg(Array.from({ length: n / 30 }, (_, i) => `http://h${i}.example.com/\n`).join('')),
  'uri:ip-hosts': (n) => msg(fill('http://1.2.3.4/ ', n)),
  'uri:ip-dots': (n) => msg('http://' + fill('1.', n)),
  'uri:query-amps': (n) => msg('http://a.com/?' + fill('a=b&', n)),
  'uri:redirect-chain': (n) => msg('http://a.com/?u=' + fill('http://b.com/?u=', n)),
  'uri:redirect-google': (n) => msg(fill('http://www.google.com/url?q=http://', n)),
  'uri:userinfo-at': (n) => msg('http://' + fill('a@', n) + 'b.com'),
  'uri:angle': (n) => msg(fill('<http://a.com>', n)),
  'uri:lt-at': (n) => msg(fill('<a@', n)),
  'uri:tld-letters': (n) => msg('a.' + fill('c', n)),
  'uri:dot-letter-run': (n) => msg(fill('.a', n)),
  'uri:hyphen-host': (n) => msg(fill('-', n) + '.com'),
  'uri:www-host-long': (n) => msg('www.' + fill('a', n) + '.com'),
  'uri:utf8-host': (n) => text8('http://' + fill('\xc3\xa9', n) + '.com'),
  'uri:idn-dots': (n) => text8('http://' + fill('a\xe3\x80\x82', n)),
  'uri:entity-dots-text': (n) => msg('http://a' + fill('&#x2e;', n) + 'com/'),
  // ---- Received headers
  'rcvd:many-std': (n) => msg('x', undefined, manyHeaders('Received', (i) => `from a${i}.b.c (a.b.c [1.2.3.${i % 250}]) by x.y.z (Postfix) with ESMTP id ABC${i}; Thu, 1 Jan 2026 00:00:00 +0000`, n)),
  'rcvd:many-same': (n) => msg('x', undefined, manyHeaders('Received', () => 'from a.b.c (a.b.c [1.2.3.4]) by x.y.z with SMTP id abcdefgh; Thu, 1 Jan 2026 00:00:00 +0000', n)),
  'rcvd:many-short': (n) => msg('x', undefined, manyHeaders('Received', () => 'x', n)),
  'rcvd:many-private': (n) => msg('x', undefined, manyHeaders('Received', (i) => `from h (h [10.0.${i % 250}.1]) by h2 (8.12/8.12) with ESMTP id g1; Thu, 1 Jan 2026 00:00:00 +0000`, n)),
  'rcvd:long-repeated': (n) => msg('x', undefined, longHeader('Received', 'from a.b.c (a.b.c [1.2.3.4]) by ', n)),
  'rcvd:long-repeated-many': (n) => msg('x', undefined, manyHeaders('Received', () => fill('from a.b.c (a.b.c [1.2.3.4]) by ', 8000), n)),
  'rcvd:brackets': (n) => msg('x', undefined, manyHeaders('Received', () => 'from ' + fill('[', 8000), n)),
  'rcvd:brackets-ip': (n) => msg('x', undefined, manyHeaders('Received', () => 'from ' + fill('[1.2.3.4', 8000), n)),
  'rcvd:parens': (n) => msg('x', undefined, manyHeaders('Received', () => 'from ' + fill('(', 8000), n)),
  'rcvd:parens-close': (n) => msg('x', undefined, manyHeaders('Received', () => 'from a ' + fill('(a ', 4000) + fill(')', 4000), n)),
  'rcvd:ips': (n) => msg('x', undefined, manyHeaders('Received', () => 'from ' + fill('1.2.3.4 ', 8000), n)),
  'rcvd:ip-dots': (n) => msg('x', undefined, manyHeaders('Received', () => 'from ' + fill('1.', 8000), n)),
  'rcvd:ipv6': (n) => msg('x', undefined, manyHeaders('Received', () => 'from a (a [IPv6:' + fill('1:', 8000) + ']) by b', n)),
  'rcvd:ipv6-colons': (n) => msg('x', undefined, manyHeaders('Received', () => 'from a ([' + fill(':', 8000) + '])', n)),
  'rcvd:hex-colons': (n) => msg('x', undefined, manyHeaders('Received', () => 'from ' + fill('a:b', 8000), n)),
  'rcvd:from-by-words': (n) => msg('x', undefined, manyHeaders('Received', () => fill('from by with id for via ', 8000), n)),
  'rcvd:spaces': (n) => msg('x', undefined, manyHeaders('Received', () => 'from' + fill(' ', 8000) + 'x', n)),
  'rcvd:dots': (n) => msg('x', undefined, manyHeaders('Received', () => 'from ' + fill('.', 8000), n)),
  'rcvd:letters': (n) => msg('x', undefined, manyHeaders('Received', () => 'from ' + fill('a', 8000), n)),
  'rcvd:helo-eq': (n) => msg('x', undefined, manyHeaders('Received', () => 'from a (HELO ' + fill('a=', 8000), n)),
  'rcvd:dates': (n) => msg('x', undefined, manyHeaders('Received', () => fill('; Thu, 1 Jan 2026 00:00:00 ', 8000), n)),
  'rcvd:date-tail': (n) => msg('x', undefined, manyHeaders('Received', () => 'x 1 Jan 2026 00:00 ' + fill(' ', 8000), n)),
  'rcvd:date-tail-parens': (n) => msg('x', undefined, manyHeaders('Received', () => 'x 1 Jan 2026 00:00 ' + fill(' (', 8000), n)),
  'rcvd:ids': (n) => msg('x', undefined, manyHeaders('Received', () => fill('id abcdefghijk ', 8000), n)),
  'rcvd:with-smtp-id': (n) => msg('x', undefined, manyHeaders('Received', () => fill(' with SMTP id ', 8000), n)),
  'rcvd:envelope-from': (n) => msg('x', undefined, manyHeaders('Received', () => 'from a (envelope-from ' + fill('<a@', 8000), n)),
  'rcvd:helo-angle': (n) => msg('x', undefined, manyHeaders('Received', () => 'from a (helo=' + fill('<', 8000), n)),
  'rcvd:auth': (n) => msg('x', undefined, manyHeaders('Received', () => 'from a by b with ' + fill('ESMTPA ', 8000), n)),
  'rcvd:qmail': (n) => msg('x', undefined, manyHeaders('Received', () => fill('(qmail 1 invoked by uid 2) ', 8000), n)),
  'rcvd:random': (n) => msg('x', undefined, manyHeaders('Received', (i) => 'from ' + randomBytes(8000, 0x20, 0x7f, i + 1).replace(/\n/g, ' '), n)),
  'rcvd:random-rich': (n) => msg('x', undefined, manyHeaders('Received', (i) => randomBytes(8000, 0, 16, i + 1).split('').map((c) => ['from ', 'by ', '(', ')', '[', ']', '1.2.3.4', 'a.b', ' ', 'with ', 'id ', ';', 'HELO ', '=', '@', 'IPv6:'][c.charCodeAt(0)]).join('').slice(0, 8000), n)),
  'rcvd:random-rich2': (n) => msg('x', undefined, manyHeaders('Received', (i) => 'from ' + randomBytes(8000, 0, 12, i + 7).split('').map((c) => ['a', '.', ' ', '(', ')', '[', ']', '1', ':', '-', '=', 'by '][c.charCodeAt(0)]).join('').slice(0, 8000), n)),
  'rcvd:exchange': (n) => msg('x', undefined, manyHeaders('Received', () => 'from ' + fill('a ', 4000) + '([1.2.3.4]) by b with Microsoft SMTP Server id 1', n)),
  'rcvd:postfix-many-ips': (n) => msg('x', undefined, manyHeaders('Received', () => 'from a (unknown [' + fill('1.2.3.4 ', 7000) + ']) by b (Postfix) with ESMTP id X', n)),
  'rcvd:x-originating': (n) => msg('x', undefined, manyHeaders('X-Originating-IP', () => fill('[1.2.3.4] ', 8000), n)),
  // ---- address and other headers
  'hdr:to-many-addrs': (n) => msg('x', undefined, manyHeaders('To', () => fill('"A B" <a@b.example.com>, ', 8000), n)),
  'hdr:to-one-long': (n) => msg('x', undefined, longHeader('To', 'a@b.example.com, ', n)),
  'hdr:from-quotes': (n) => msg('x', undefined, manyHeaders('From', () => fill('"', 8000), n)),
  'hdr:from-quote-open': (n) => msg('x', undefined, manyHeaders('From', () => '"' + fill('a ', 8000), n)),
  'hdr:from-angles': (n) => msg('x', undefined, manyHeaders('From', () => fill('<', 8000), n)),
  'hdr:from-angle-at': (n) => msg('x', undefined, manyHeaders('From', () => fill('<a@', 8000), n)),
  'hdr:from-angle-close': (n) => msg('x', undefined, manyHeaders('From', () => fill('<a@b> ', 8000), n)),
  'hdr:from-dup-enclosure': (n) => msg('x', undefined, manyHeaders('From', () => 'a <b@c>' + fill(' <b@c>', 8000), n)),
  'hdr:from-dup-nested': (n) => msg('x', undefined, manyHeaders('From', () => 'a ' + fill('<', 4000) + 'b@c' + fill('>', 4000), n)),
  'hdr:from-gt': (n) => msg('x', undefined, manyHeaders('From', () => 'a <b@c' + fill(' >', 8000), n)),
  'hdr:from-spaces-gt': (n) => msg('x', undefined, manyHeaders('From', () => 'a <' + fill(' ', 8000) + 'x', n)),
  'hdr:from-parens': (n) => msg('x', undefined, manyHeaders('From', () => fill('(', 8000), n)),
  'hdr:from-nested-comments': (n) => msg('x', undefined, manyHeaders('From', () => fill('(', 4000) + fill(')', 4000), n)),
  'hdr:from-at': (n) => msg('x', undefined, manyHeaders('From', () => fill('@', 8000), n)),
  'hdr:from-a-at': (n) => msg('x', undefined, manyHeaders('From', () => fill('a@', 8000), n)),
  'hdr:from-at-dots': (n) => msg('x', undefined, manyHeaders('From', () => fill('a.@.', 8000), n)),
  'hdr:from-words': (n) => msg('x', undefined, manyHeaders('From', () => fill('word ', 8000), n)),
  'hdr:from-dots': (n) => msg('x', undefined, manyHeaders('From', () => fill('a.', 8000), n)),
  'hdr:from-commas': (n) => msg('x', undefined, manyHeaders('From', () => fill(',', 8000), n)),
  'hdr:from-semicolons': (n) => msg('x', undefined, manyHeaders('From', () => fill('a:b;', 8000), n)),
  'hdr:from-group': (n) => msg('x', undefined, manyHeaders('From', () => fill('g: a@b, c@d; ', 8000), n)),
  'hdr:from-backslash': (n) => msg('x', undefined, manyHeaders('From', () => '"' + fill('\\', 8000), n)),
  'hdr:from-random': (n) => msg('x', undefined, manyHeaders('From', (i) => randomBytes(8000, 0, 12, i + 3).split('').map((c) => ['a', '@', '<', '>', '"', '(', ')', ' ', ',', '.', ':', ';'][c.charCodeAt(0)]).join(''), n)),
  'hdr:from-high': (n) => msg('x', undefined, manyHeaders('From', (i) => randomBytes(8000, 0x80, 0x100, i + 5), n)),
  'hdr:reply-to-many': (n) => msg('x', undefined, manyHeaders('Reply-To', () => fill('a <b@c>, ', 8000), n)),
  'hdr:subject-long': (n) => msg('x', undefined, manyHeaders('Subject', () => fill('Buy now. ', 8000), n)),
  'hdr:subject-one-long': (n) => msg('x', undefined, longHeader('Subject', 'Buy now. ', n)),
  'hdr:encoded-words': (n) => msg('x', undefined, manyHeaders('Subject', () => fill('=?utf-8?B?w6l0w6k=?= ', 8000), n)),
  'hdr:encoded-words-q': (n) => msg('x', undefined, manyHeaders('Subject', () => fill('=?iso-8859-1?Q?=E9t=E9?= ', 8000), n)),
  'hdr:encoded-words-adjacent': (n) => msg('x', undefined, manyHeaders('Subject', () => fill('=?utf-8?B?w6l0w6k=?=', 8000), n)),
  'hdr:encoded-word-open': (n) => msg('x', undefined, manyHeaders('Subject', () => fill('=?', 8000), n)),
  'hdr:encoded-word-open2': (n) => msg('x', undefined, manyHeaders('Subject', () => fill('=?utf-8?', 8000), n)),
  'hdr:encoded-word-open3': (n) => msg('x', undefined, manyHeaders('Subject', () => fill('=?utf-8?B?', 8000), n)),
  'hdr:encoded-word-q-long': (n) => msg('x', undefined, manyHeaders('Subject', () => '=?utf-8?Q?' + fill('=E9', 8000), n)),
  'hdr:encoded-word-charset-long': (n) => msg('x', undefined, manyHeaders('Subject', () => '=?' + fill('a', 8000), n)),
  'hdr:encoded-word-b-long': (n) => msg('x', undefined, manyHeaders('Subject', () => '=?utf-8?B?' + fill('QUFB', 7980) + '?=', n)),
  'hdr:encoded-word-in-from': (n) => msg('x', undefined, manyHeaders('From', () => fill('=?utf-8?B?w6l0w6k=?= <a@b>, ', 8000), n)),
  'hdr:encoded-word-sjis': (n) => msg('x', undefined, manyHeaders('Subject', () => fill('=?shift_jis?B?gqCCoA==?= ', 8000), n)),
  'hdr:message-id-long': (n) => msg('x', undefined, manyHeaders('Message-Id', () => '<' + fill('a', 7980) + '@b>', n)),
  'hdr:message-id-one-long': (n) => msg('x', undefined, longHeader('Message-Id', '<a@b>', n)),
  'hdr:message-id-lt': (n) => msg('x', undefined, manyHeaders('Message-Id', () => fill('<', 8000), n)),
  'hdr:message-id-oe': (n) => msg('x', undefined, manyHeaders('Message-Id', () => fill('<000001c0a1b2$c3d4e5f6$0102', 8000), n)),
  'hdr:message-id-oe-long': (n) => msg('x', undefined, manyHeaders('Message-Id', () => '<000001c0a1b2$c3d4e5f6$01020304@' + fill('a', 7980), n)),
  'hdr:message-id-sendmail': (n) => msg('x', undefined, manyHeaders('Message-Id', () => fill('<20260101000000.', 8000), n)),
  'hdr:references-many': (n) => msg('x', undefined, manyHeaders('References', () => fill('<a@b.c> ', 8000), n)),
  'hdr:date-long': (n) => msg('x', undefined, manyHeaders('Date', () => fill('Thu, 1 Jan 2026 ', 8000), n)),
  'hdr:date-digits': (n) => msg('x', undefined, manyHeaders('Date', () => fill('1 ', 8000), n)),
  'hdr:date-colons': (n) => msg('x', undefined, manyHeaders('Date', () => ' ' + fill('1:', 8000), n)),
  'hdr:date-commas': (n) => msg('x', undefined, manyHeaders('Date', () => fill(', ', 8000), n)),
  'hdr:date-zones': (n) => msg('x', undefined, manyHeaders('Date', () => fill('EST ', 8000), n)),
  'hdr:date-plus': (n) => msg('x', undefined, manyHeaders('Date', () => fill('+0000', 8000), n)),
  'hdr:date-one-long': (n) => msg('x', undefined, longHeader('Date', 'Thu, 1 Jan 2026 00:00:00 +0000 ', n)),
  'hdr:resent-date': (n) => msg('x', undefined, manyHeaders('Resent-Date', () => fill('1 Jan ', 8000), n)),
  'hdr:content-type-params': (n) => msg('x', 'text/plain; ' + fill('charset=utf-8; ', 8000)),
  'hdr:content-type-boundary': (n) => msg('x', 'multipart/mixed; boundary="' + fill('-', n > 8000 ? 8000 : n) + '"'),
  'hdr:content-type-quotes': (n) => msg('x', 'text/plain; name="' + fill('"', 8000)),
  'hdr:content-type-names': (n) => msg('x', 'text/plain; ' + fill('name*1=a; ', 8000)),
  'hdr:content-type-slashes': (n) => msg('x', fill('/', 8000)),
  'hdr:content-type-many': (n) => msg('x', undefined, manyHeaders('Content-Type', () => 'text/plain; ' + fill('boundary="a"; ', 8000), n)),
  'hdr:ct-boundary-prechew': (n) => msg('x', undefined, manyHeaders('Content-Type', () => fill('boundary="', 8000), n)),
  'hdr:ct-boundary-seps': (n) => msg('x', undefined, manyHeaders('Content-Type', () => 'boundary="' + fill('-_.=', 7980) + '"', n)),
  'hdr:many-small': (n) => msg('x', undefined, manyHeaders('X-H', (i) => `v${i}`, n)),
  'hdr:many-distinct-names': (n) => msg('x', undefined, Array.from({ length: n / 12 }, (_, i) => `X-${i}: v\n`).join('')),
  'hdr:continuations': (n) => msg('x', undefined, 'X-C: a\n' + lines(' b', n)),
  'hdr:continuations-tabs': (n) => msg('x', undefined, 'X-C: a\n' + fill('\t\n', n)),
  'hdr:name-long': (n) => msg('x', undefined, manyHeaders(fill('X', 250), () => 'v', n)),
  'hdr:invalid-lines': (n) => msg('x', undefined, fill('no colon line\n', n)),
  'hdr:spaces': (n) => msg('x', undefined, manyHeaders('X-S', () => fill(' ', 8000) + 'x', n)),
  'hdr:high-bytes': (n) => msg('x', undefined, manyHeaders('X-H', (i) => randomBytes(8000, 0x80, 0x100, i + 9), n)),
  'hdr:tokens-long': (n) => msg('x', undefined, manyHeaders('X-T', () => fill('abcdefghijklmnopq', 8000), n)),
  'hdr:relay-key-eq': (n) => msg('x', undefined, manyHeaders('X-Spam-Relays-External', () => fill(' a=', 8000), n)),
  'hdr:markup-trigger': (n) => msg('x', undefined, 'X-Spam-Checker-Version: SpamAssassin 4.0.1\n' + manyHeaders('X-Spam-Status', () => fill('Yes, score=', 8000), n)),
  'hdr:markup-prev': (n) => msg('x', undefined, 'X-Spam-Checker-Version: x\n' + manyHeaders('X-Spam-Prev-Subject', () => fill('(nonexistent) ', 8000), n)),
  'hdr:markup-folded': (n) => msg('x', undefined, 'X-Spam-Checker-Version: x\nX-Spam-Report: a\n' + lines(' b', n)),
  'hdr:markup-subject-nonexistent': (n) => msg('x', undefined, 'X-Spam-Checker-Version: x\n' + manyHeaders('Subject', () => fill('(nonexistent) ', 8000), n)),
  'hdr:markup-report-body': (n) => msg('SPAM: ----\n' + lines('SPAM: x', n)),
  'hdr:markup-report-body-trigger': (n) => msg('SPAM: ----\n' + lines('SPAM: x', n), undefined, 'X-Spam-Checker-Version: x\n'),
  'hdr:markup-multipart': (n) => msg('--b\nContent-Type: text/plain\n\n' + lines('x', n) + '\n--b--\n', 'multipart/mixed; boundary="b"', 'X-Spam-Checker-Version: x\n'),
  'hdr:markup-original': (n) => msg('--b\nContent-Type: text/plain\n\nreport\n--b\nContent-Type: message/rfc822; x-spam-type=original\n\n' + HDRS + '\n' + lines('x', n) + '\n--b--\n', 'multipart/mixed; boundary="b"', 'X-Spam-Checker-Version: x\n'),
  'mbox:from-line-long': (n) => 'From ' + fill('a ', n) + '\n' + msg('x'),
  'mbox:mbx-long': (n) => ' 1-Jan-2026 00:00:00 ' + fill('0', n) + ',1;000000000000-00000000\n' + msg('x'),
  // ---- MIME structure
  'mime:nested-deep': (n) => nestedMultipart(Math.min(200, Math.floor(n / 100)), lines('x', n / 2)),
  'mime:many-parts': (n) => msg(fill('--b\nContent-Type: text/plain\n\nx\n', n) + '--b--\n', 'multipart/mixed; boundary="b"'),
  'mime:many-html-parts': (n) => msg(fill('--b\nContent-Type: text/html\n\n<p>x</p>\n', n) + '--b--\n', 'multipart/mixed; boundary="b"'),
  'mime:many-boundary-lines': (n) => msg(fill('--b\n', n), 'multipart/mixed; boundary="b"'),
  'mime:boundary-prefixes': (n) => msg(fill('--bb\n--b \n--b-\n', n), 'multipart/mixed; boundary="b"'),
  'mime:long-boundary': (n) => { const b = fill('b', 69); return msg(fill(`--${b}\nContent-Type: text/plain\n\nx\n`, n) + `--${b}--\n`, `multipart/mixed; boundary="${b}"`); },
  'mime:regex-boundary': (n) => { const b = '.*+?(a)[b]'; return msg(fill(`--${b}\nContent-Type: text/plain\n\nx\n`, n) + `--${b}--\n`, `multipart/mixed; boundary="${b}"`); },
  'mime:rfc822-nested': (n) => { let m = msg(lines('x', n / 2)); for (let i = 0; i < 30; i++) m = msg(m, 'message/rfc822'); return m; },
  'mime:part-headers-many': (n) => msg('--b\n' + manyHeaders('X-P', () => 'v', n) + '\nx\n--b--\n', 'multipart/mixed; boundary="b"'),
  'mime:part-header-long': (n) => msg('--b\nContent-Type: text/plain; ' + fill('a=b; ', n) + '\n\nx\n--b--\n', 'multipart/mixed; boundary="b"'),
  'mime:part-disposition-long': (n) => msg('--b\nContent-Disposition: attachment; filename="' + fill('a', n) + '\n\nx\n--b--\n', 'multipart/mixed; boundary="b"'),
  'mime:html-name-part': (n) => msg('--b\nContent-Type: application/octet-stream; name="x.html"\n\n' + fill('<p>', n) + '\n--b--\n', 'multipart/mixed; boundary="b"'),
  'mime:no-blank-after-headers': (n) => msg(fill('--b\nContent-Type: text/plain\n', n), 'multipart/mixed; boundary="b"'),
  'mime:crlf': (n) => msg(lines('x', n)).replace(/\n/g, '\r\n'),
  'mime:crlf-bare-lf-mix': (n) => msg(lines('x', n)).replace(/\n/g, '\r\n').replace(/x\r\n/g, 'x\n'),
  'mime:blank-lines': (n) => msg(lines(' ', n)),
  // ---- round 2: many instances of a length-capped construct (header values are cut at 8192 bytes,
  // get_all_headers at 64 KiB, URIs at 8192 characters, body lines at 2048 bytes)
  'hdr:from-commas-words': (n) => msg('x', undefined, manyHeaders('From', () => fill(', ', 4000) + fill('w ', 4000), n)),
  'hdr:from-ws-run': (n) => msg('x', undefined, manyHeaders('From', () => 'a ' + fill(' ', 8000) + 'x', n)),
  'hdr:to-ws-runs': (n) => msg('x', undefined, manyHeaders('To', () => fill('a' + ' '.repeat(100), 8000) + 'x', n)),
  'hdr:from-dots-host': (n) => msg('x', undefined, manyHeaders('From', () => 'a@b' + fill('.', 8000) + 'x', n)),
  'html:many-href-redirect': (n) => html(manyOf(n, (i) => `<a href="http://a${i}.com/?u=${fill('http://b.com/?u=', 8000)}">x</a>\n`)),
  'html:many-href-gov': (n) => html(manyOf(n, (i) => `<a href="http://a${i}.gov/${fill('a.gov/externalLink.jhtml?', 8000)}">x</a>\n`)),
  'html:many-href-gov-url': (n) => html(manyOf(n, (i) => `<a href="http://url=${i}.gov/${fill('a.gov/externalLink.jhtml?', 8000)}">x</a>\n`)),
  'html:many-href-adtech': (n) => html(manyOf(n, (i) => `<a href="http://a${i}.adtech.de/${fill('x.adtech.de/', 8000)}">x</a>\n`)),
  'html:many-href-adtech-link': (n) => html(manyOf(n, (i) => `<a href="http://x;link=${i}.adtech.de/${fill('x.adtech.de/', 8000)}">x</a>\n`)),
  'html:many-href-redirect-php': (n) => html(manyOf(n, (i) => `<a href="http://a${i}.com/${fill('/redirect.php?', 8000)}">x</a>\n`)),
  'html:many-href-url-eq': (n) => html(manyOf(n, (i) => `<a href="http://a${i}.com/${fill('/?', 8000)}">x</a>\n`)),
  'html:many-href-url-eq-host': (n) => html(manyOf(n, (i) => `<a href="http://url=${i}.com/${fill('/index.php?', 8000)}">x</a>\n`)),
  'html:many-href-google-q': (n) => html(manyOf(n, (i) => `<a href="http://www.google.com/search?${i}${fill('?q=', 8000)}">x</a>\n`)),
  'html:many-href-google-q-quote': (n) => html(manyOf(n, (i) => `<a href="http://www.google.com/search?${i}${fill('?q= "', 8000)}">x</a>\n`)),
  'html:many-href-chain-google': (n) => html(manyOf(n, (i) => `<a href="http://a${i}.com/?u=${fill('http://www.google.com/search?q=', 8000)}">x</a>\n`)),
  'html:many-href-chain-gov': (n) => html(manyOf(n, (i) => `<a href="http://a${i}.com/?u=${fill('http://a.gov/externalLink.jhtml?', 8000)}">x</a>\n`)),
  'html:many-href-chain-dots': (n) => html(manyOf(n, (i) => `<a href="http://a${i}.com/?u=${fill('http://b.c/', 8000)}">x</a>\n`)),
  'html:many-href-nonalnum-host': (n) => html(manyOf(n, (i) => `<a href="http://a${i}${fill('-', 8000)}a-/">x</a>\n`)),
  'html:many-href-mailto-angles': (n) => html(manyOf(n, (i) => `<a href="mailto:${i}${fill('<', 8000)}">x</a>\n`)),
  'html:many-href-mailto-angles-at': (n) => html(manyOf(n, (i) => `<a href="mailto:${i}@${fill('<', 8000)}">x</a>\n`)),
  'html:many-href-mailto-noat': (n) => html(manyOf(n, (i) => `<a href="mailto:${i}${fill('a', 8000)}">x</a>\n`)),
  'html:many-href-mailto-pct20': (n) => html(manyOf(n, (i) => `<a href="mailto:${fill('%20', 8000)}${i}">x</a>\n`)),
  'html:many-href-dotdot': (n) => html(manyOf(n, (i) => `<a href="http://a${i}.com${fill('/a', 4000)}${fill('/..', 4000)}">x</a>\n`)),
  'html:many-href-dot-segments': (n) => html(manyOf(n, (i) => `<a href="x${i}${fill('/.', 8000)}">x</a>\n`)),
  'html:many-href-dots-host': (n) => html(manyOf(n, (i) => `<a href="http://a${i}${fill('.', 8000)}x">x</a>\n`)),
  'html:many-href-labels': (n) => html(manyOf(n, (i) => `<a href="http://a${i}${fill('.a', 8000)}">x</a>\n`)),
  'html:many-href-idn-labels': (n) => html8(manyOf(n, (i) => `<a href="http://a${i}${fill('.\xc3\xa9', 8000)}/">x</a>\n`)),
  'html:many-href-percent-host': (n) => html(manyOf(n, (i) => `<a href="http://a${i}${fill('%41', 8000)}/">x</a>\n`)),
  'html:many-href-ip-like': (n) => html(manyOf(n, (i) => `<a href="http://${i}${fill('0', 8000)}.1.1.1/">x</a>\n`)),
  'html:many-href-hex-ip': (n) => html(manyOf(n, (i) => `<a href="http://0x${i}${fill('f', 8000)}/">x</a>\n`)),
  'html:many-href-userinfo': (n) => html(manyOf(n, (i) => `<a href="http://a${i}${fill('@a', 8000)}/">x</a>\n`)),
  'html:many-href-utf8-trim-tail': (n) => html8(manyOf(n, (i) => `<a href="http://a${i}.com/\xc3\xa9${fill('-', 8000)}x-">x</a>\n`)),
  'html:many-href-utf8-dots': (n) => html8(manyOf(n, (i) => `<a href="http://a${i}.com/\xc3\xa9${fill('a...', 8000)}">x</a>\n`)),
  'html:many-href-utf8-title': (n) => html8(manyOf(n, (i) => `<a href="http://a${i}.com/\xc3\xa9${fill('. A', 8000)}">x</a>\n`)),
  'html:many-href-utf8-at': (n) => html8(manyOf(n, (i) => `<a href="http://a${i}.com/\xc3\xa9${fill('a@', 8000)}">x</a>\n`)),
  'html:many-base-href': (n) => html(manyOf(n, (i) => `<base href="http://a${i}.com/${fill('a', 8000)}"><a href="x">y</a>\n`)),
  'html:many-base-href-slash': (n) => html(manyOf(n, (i) => `<base href="http://a${i}.com/${fill('a/', 8000)}"><a href="x">y</a>\n`)),
  'html:many-meta-url': (n) => html(manyOf(n, (i) => `<meta http-equiv=refresh content="${i}${fill('url ', 8000)}">\n`)),
  'html:many-meta-url-eq': (n) => html(manyOf(n, (i) => `<meta http-equiv=refresh content="${i}url=${fill(' ', 8000)};x">\n`)),
  'html:many-style-decls': (n) => html(manyOf(n, (i) => `<p style="color${i}:${fill(' ', 8000)}x">y</p>\n`)),
  'html:many-font-rgb': (n) => html(manyOf(n, (i) => `<font color="rgb(${i}${fill('1', 8000)}">y</font>\n`)),
  'html:self-close-spaces': (n) => html(fill('<a' + ' '.repeat(200) + '/x', n) + '/>'),
  'uri:trailing-punct-runs': (n) => msg(manyOf(n, (i) => `http://a${i}.com/${fill('!', 2000)}x!\n`)),
  'uri:close-paren-runs': (n) => msg(manyOf(n, (i) => `http://a${i}.com/${fill('(', 2000)})\n`)),
  'uri:mail-pct20-runs': (n) => msg(manyOf(n, (i) => `a${i}@b${fill('%20', 1900)}x%20\n`)),
  'uri:mail-dots-runs': (n) => msg(manyOf(n, (i) => `a${i}@b${fill('.', 1900)}x.\n`)),
  'uri:scheme-nonalnum-host': (n) => msg(manyOf(n, (i) => `http://a${i}${fill('-', 2000)}a-\n`)),
  'uri:www-dots': (n) => msg(manyOf(n, (i) => `www.a${i}${fill('.', 2000)}x\n`)),
  'uri:many-schemeless-long': (n) => msg(manyOf(n, (i) => `a${i}${fill('-a.', 2000)}com\n`)),
  'uri:many-mailto-long': (n) => msg(manyOf(n, (i) => `mailto:a${i}${fill('a', 2000)}\n`)),
  'uri:many-at-long': (n) => msg(manyOf(n, (i) => `${fill('a', 1000)}${i}@${fill('b', 1000)}\n`)),
  'uri:many-redirect-text': (n) => msg(manyOf(n, (i) => `http://a${i}.com/?u=${fill('http://b.com/?u=', 2000)}\n`)),
  'text:ws-runs-lines': (n) => msg(manyOf(n, () => fill(' ', 2000) + 'x\n')),
  'text:trim-tail-runs': (n) => msg(manyOf(n, () => fill('-', 2000) + 'x-\n')),
  'text:high-trim-tail-runs': (n) => text8(manyOf(n, () => '\xc3\xa9' + fill('-', 2000) + 'x-\n')),
  'text:at-run-lines': (n) => msg(manyOf(n, () => fill('@', 2000) + '\n')),
  'text:a-at-lines': (n) => msg(manyOf(n, () => fill('a@', 2000) + '\n')),
  'html:utf8-many-lines-title': (n) => html8(manyOf(n, () => '<p>\xc3\xa9' + fill('. A', 2000) + '</p>\n')),
  'hdr:markup-ct-spaces': (n) => msg('--b\nContent-Type: a' + fill(' ', n) + 'b\n\nx\n--b--\n', 'multipart/mixed; boundary="b"', 'X-Spam-Checker-Version: x\n'),
  'hdr:markup-prev-many': (n) => msg('x', undefined, 'X-Spam-Checker-Version: x\n' + manyHeaders('X-Spam-Prev-Content-Type', (i) => `t${i}`, n)),
  'hdr:markup-prev-cont': (n) => msg('x', undefined, 'X-Spam-Checker-Version: x\nX-Spam-Prev-Subject: a\n' + lines(' b', n)),
  'hdr:markup-unfold-many': (n) => msg('x', undefined, 'X-Spam-Checker-Version: x\n' + manyHeaders('X-Spam-Report', () => 'a\n b', n)),
  'hdr:markup-other-many': (n) => msg('x', undefined, 'X-Spam-Checker-Version: x\n' + manyHeaders('X-Spam-Flag', () => 'YES', n)),
  'hdr:markup-del-subj': (n) => msg('x', undefined, 'X-Spam-Checker-Version: x\nX-Spam-Prev-Subject: (nonexistent)\nSubject: a\n' + lines(' b', n)),
  'rcvd:envfrom-gt-runs': (n) => msg('x', undefined, manyHeaders('Received', () => 'from a (envelope-from <a' + fill('>', 4000) + fill(' ', 3000) + 'x>) by b', n)),
  'rcvd:qmail-scanner-envfrom': (n) => msg('x', undefined, manyHeaders('Received', () => 'by b (envelope-sender <a' + fill('>', 4000) + fill(' ', 3000) + 'x>) (qmail-scanner-1.0 ', n)),
  'rcvd:ip-percent': (n) => msg('x', undefined, manyHeaders('Received', () => 'from a ([fe80::1%' + fill('%a', 8000) + ']) by b', n)),
  'rcvd:helo-long': (n) => msg('x', undefined, manyHeaders('Received', () => 'from ' + fill('a', 8000) + ' by b', n)),
  'rcvd:ids-long': (n) => msg('x', undefined, manyHeaders('Received', () => fill('id a', 8000), n)),
  'mime:boundary-ws': (n) => msg('--b' + fill(' ', n) + 'x\nContent-Type: text/plain\n\nx\n--b--\n', 'multipart/mixed; boundary="b"'),
  'mime:b64-pad-runs': (n) => msg(lines(fill('=', 70) + 'A', n), 'text/plain', '', 'base64'),
  'mime:b64-pad-one-line': (n) => msg(fill('=', n) + 'A', 'text/plain', '', 'base64'),
  'mime:disposition-names': (n) => msg(manyOf(n, (i) => `--b\nContent-Disposition: attachment; name=${i}${fill(' ', 4000)}\nContent-Type: text/plain\n\nx\n`) + '--b--\n', 'multipart/mixed; boundary="b"'),
  'hdr:ct-name-runs': (n) => msg('x', 'text/plain; name=' + fill('"', 4000) + 'x'),
  'hdr:ct-boundary-quotes': (n) => msg('x', 'multipart/mixed; boundary=' + fill("'", 4000) + 'x'),
  'hdr:encoded-words-many-charsets': (n) => msg('x', undefined, manyHeaders('Subject', (i) => fill(`=?x-${i}?B?QUFB?= `, 8000), n)),
  'hdr:date-ws': (n) => msg('x', undefined, manyHeaders('Date', () => '1' + fill(' ', 8000) + 'x', n)),
  'hdr:received-date-tail': (n) => msg('x', undefined, manyHeaders('Received', () => 'from a by b; ' + fill(' ', 8000) + 'x', n)),
};

/** Sizes grown for every shape (the last one is about the --max-size default). */
const DEFAULT_SIZES = [10_000, 50_000, 200_000, 500_000];

/** The message bytes of a shape at size n (capped at MAX_MESSAGE_BYTES). */
export function buildCase(name: string, n: number): Buffer {
  const shape = SHAPES[name];
  if (shape === undefined) throw new Error(`unknown shape ${name}`);
  const b = Buffer.from(shape(n), 'latin1');
  return b.length > MAX_MESSAGE_BYTES ? b.subarray(0, MAX_MESSAGE_BYTES) : b;
}

/** Time learnRecord on one case in this process (after a warm-up message), in milliseconds. */
export function timeCase(name: string, n: number): { ms: number; bytes: number; record: LearnRecord } {
  learnRecord(Buffer.from(SHAPES['text:long-line-words']!(2000), 'latin1'), NOW);
  const raw = buildCase(name, n);
  const t0 = process.hrtime.bigint();
  const record = learnRecord(raw, NOW);
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, bytes: raw.length, record };
}

/** A LearnRecord as comparable text: ids, time and the sorted keys. */
function recordText(r: LearnRecord): string {
  return JSON.stringify([r.msgid, r.hdrMsgid, r.atime, Array.from(r.keys).sort((a, b) => a - b)]);
}

interface Result {
  name: string;
  size: number;
  bytes: number;
  ms: number | null; // null: killed at the limit
  error?: string;
}

function runChild(name: string, size: number, limitMs: number, compare: string | undefined): Result {
  const args = [fileURLToPath(import.meta.url), '--case', name, '--size', String(size)];
  if (compare !== undefined) args.push('--compare', compare);
  const r = spawnSync(process.execPath, args, {
    timeout: limitMs,
    killSignal: 'SIGKILL',
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (r.error !== undefined || r.signal !== null) return { name, size, bytes: 0, ms: null };
  if (r.status !== 0) return { name, size, bytes: 0, ms: -1, error: r.stderr.trim().split('\n').slice(-3).join(' | ') };
  const [ms, bytes, same] = r.stdout.trim().split(' ');
  return { name, size, bytes: Number(bytes), ms: Number(ms), ...(same === 'DIFFERENT' ? { error: 'different result' } : {}) };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      case: { type: 'string' },
      dump: { type: 'string' },
      size: { type: 'string' },
      sizes: { type: 'string' },
      only: { type: 'string' },
      'limit-ms': { type: 'string' },
      json: { type: 'boolean' },
      compare: { type: 'string' },
    },
  });
  if (values.dump !== undefined) {
    process.stdout.write(buildCase(values.dump, Number(values.size ?? 10000)));
    return;
  }
  if (values.case !== undefined) {
    const { ms, bytes, record } = timeCase(values.case, Number(values.size ?? 10000));
    let same = '';
    if (values.compare !== undefined) {
      const other = (await import(pathToFileURL(values.compare).href)) as { learnRecord: typeof learnRecord };
      same = recordText(other.learnRecord(buildCase(values.case, Number(values.size ?? 10000)), NOW)) === recordText(record) ? ' same' : ' DIFFERENT';
    }
    process.stdout.write(`${ms.toFixed(1)} ${bytes}${same}\n`);
    return;
  }
  const sizes = values.sizes !== undefined ? values.sizes.split(',').map(Number) : DEFAULT_SIZES;
  const limitMs = Number(values['limit-ms'] ?? DEFAULT_LIMIT_MS);
  const only = values.only !== undefined ? new RegExp(values.only) : undefined;
  const results: Result[] = [];
  const curves: Array<{ name: string; exponent: number; last: Result }> = [];
  for (const name of Object.keys(SHAPES)) {
    if (only !== undefined && !only.test(name)) continue;
    const row: Result[] = [];
    for (const size of sizes) {
      const r = runChild(name, size, limitMs, values.compare);
      row.push(r);
      results.push(r);
      if (r.ms === null || r.ms < 0) break; // a hang or a crash at this size: larger ones are no better
    }
    const cells = row
      .map((r) => (r.ms === null ? `>${limitMs}` : r.ms < 0 ? `ERR(${r.error})` : r.ms.toFixed(0) + (r.error !== undefined ? ` ${r.error.toUpperCase()}` : '')))
      .join('\t');
    const ok = row.filter((r) => r.ms !== null && r.ms > 0);
    let exponent = NaN;
    if (ok.length >= 2) {
      const a = ok[ok.length - 2]!;
      const b = ok[ok.length - 1]!;
      // below ~20 ms the process noise dominates: no exponent
      if (b.ms! > 20) exponent = Math.log(b.ms! / a.ms!) / Math.log(b.bytes / a.bytes);
    }
    curves.push({ name, exponent, last: row[row.length - 1]! });
    process.stdout.write(`${name}\t${cells}\t${Number.isNaN(exponent) ? '' : 'exp=' + exponent.toFixed(2)}\n`);
  }
  const slow = results.filter((r) => r.ms === null || r.ms > 0).sort((a, b) => (b.ms ?? Infinity) - (a.ms ?? Infinity));
  process.stdout.write('\nslowest:\n');
  for (const r of slow.slice(0, 15)) process.stdout.write(`  ${r.name} @${r.size} (${r.bytes} B): ${r.ms === null ? 'KILLED' : r.ms.toFixed(0) + ' ms'}\n`);
  const steep = curves.filter((c) => c.exponent > 1.4).sort((a, b) => b.exponent - a.exponent);
  process.stdout.write('\nsuper-linear (exponent > 1.4 between the two largest sizes):\n');
  for (const c of steep) {
    const last = c.last.ms === null ? 'KILLED' : `${c.last.ms.toFixed(0)} ms`;
    process.stdout.write(`  ${c.name}: exp=${c.exponent.toFixed(2)}, ${last} @${c.last.size}\n`);
  }
  if (values.compare !== undefined) {
    const diff = results.filter((r) => r.error === 'different result');
    process.stdout.write(`\ndifferent from ${values.compare}: ${diff.length === 0 ? 'none' : ''}\n`);
    for (const r of diff) process.stdout.write(`  ${r.name} @${r.size}\n`);
  }
  if (values.json) process.stdout.write(JSON.stringify(results) + '\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
