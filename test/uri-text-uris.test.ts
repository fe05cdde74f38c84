// Tests for src/mail/uri/text-uris.ts and schemeless.ts: the skipping scan (eachTbirdMatch: scheme and mail
// alternatives as a regex, the schemeless one in code) finds exactly the matches of a plain
// `while (/_tbirdurire/gi)` loop over the whole line (tbird-re.ts, with the TLD alternation).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { eachTbirdMatch, findTextUris, URI_HINT_REACH } from '../src/mail/uri/text-uris.js';
import { tbirdUriSource } from '../src/mail/uri/tbird-re.js';
import { readMbox } from '../src/sources/mbox.js';
import { parseForLearning } from '../src/mail/learner-input.js';
import { renderBody } from '../src/mail/render.js';
import { rng } from './helpers/rng.js';

const FULL = new RegExp(tbirdUriSource(), 'gi');

function plain(text: string): string[] {
  const out: string[] = [];
  FULL.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = FULL.exec(text)) !== null) out.push(`${m.index}:${m[0]}:${m[1]}|${m[2]}|${m[3]}|${m[4]}`);
  return out;
}

function skipping(text: string): string[] {
  const out: string[] = [];
  eachTbirdMatch(text, (m) => out.push(`${m.index}:${m[0]}:${m[1]}|${m[2]}|${m[3]}|${m[4]}`));
  return out;
}

const PIECES = [
  'example.com', 'www.example.org', 'http://a.b/c', 'ftp.x.net', 'mailto:joe@x.com', 'joe@example.com', 'a@b',
  'foo.bar', 'x.co.uk', '1.2.3.4', ' ', '  ', '. ', 'The', 'end.', '(', ')', '<', '>', '"', "'", ',', '@', '.',
  'https://', 'www', 'WWW.EXAMPLE.COM', 'a'.repeat(120), 'b-c_d.', '\x1b(B', '\xa0', '\xe9t\xe9.fr', ':80/x',
];

test('eachTbirdMatch: same matches as the plain loop on generated lines (long runs around hints)', () => {
  const r = rng(7);
  for (let n = 0; n < 3000; n++) {
    let line = '';
    const parts = 1 + Math.floor(r() * 30);
    for (let i = 0; i < parts; i++) {
      // long filler without hints, or long hosts/local parts near the reach limit
      const k = r();
      if (k < 0.05) line += 'x'.repeat(Math.floor(r() * 2 * URI_HINT_REACH));
      else if (k < 0.1) line += 'a'.repeat(240 + Math.floor(r() * 20)) + (r() < 0.5 ? '.com' : '@example.com');
      else line += PIECES[Math.floor(r() * PIECES.length)]!;
    }
    assert.deepEqual(skipping(line), plain(line), JSON.stringify(line));
  }
});

const SCHEMELESS_PIECES = [
  'example.com', 'foo.bar', 'x.co.uk', 'a.b.c.museum', '1.2.3.4', 'EXAMPLE.ORG', 'ex-ample.net', 'a_b.com', '.com', '.',
  '..', 'e.g.', 'i.e.', ' ', ' ', '(', ')', '<', '>', '"', "'", ',', '/', '/path', ':8080', '?q=1', '#', '-', '_', '\x1b(B',
  '\xa0', '\xe9', 'a'.repeat(250), 'b.'.repeat(40), 'toolong' + 'x'.repeat(250) + '.com', '.comx', '.co.', 'www',
];

test('eachTbirdMatch: schemeless-only lines (the run-start scan) match as the plain loop does', () => {
  const r = rng(3);
  for (let n = 0; n < 5000; n++) {
    let line = '';
    const parts = 1 + Math.floor(r() * 25);
    for (let i = 0; i < parts; i++) line += SCHEMELESS_PIECES[Math.floor(r() * SCHEMELESS_PIECES.length)]!;
    assert.deepEqual(skipping(line), plain(line), JSON.stringify(line));
  }
});

const TAIL_PIECES = [
  'example.com', 'EXAMPLE.COM', 'Com', 'x.xn--p1ai', 'xn--p1ai', '.', '..', '.c', '.co', 'co.uk', ':', ':8', ':12345', ':123456',
  '/', '/p', '//', '?', '#', '-', '_', '~', ' ', '\t', '\n', '\x0b', '\xa0', '\x1b', '\x1b(B', '\xe9', '\u212a', '\u017f', 'K',
  's', '1', '.1', '.museum', 'www', 'www1.', 'ftp.', 'http://', 'mailto:', '@', '<', '>', '"', "'", '`', '{', '}', '[', ']', '|',
  '(', ')', ',', '!', '%', '=', '+', '&', ';', '\\', '^', 'a'.repeat(250), 'b.'.repeat(130), '/' + 'p'.repeat(2046),
  '/' + 'q'.repeat(2047), '/' + 'r'.repeat(2048), 'x.com-', 'y.com_', '.com.', '.com.a', '.com./',
];

test('eachTbirdMatch: the schemeless matcher (TLD set, port, path, limits) matches as the plain loop does', () => {
  const r = rng(11);
  for (let n = 0; n < 20000; n++) {
    let line = '';
    const parts = 1 + Math.floor(r() * 14);
    for (let i = 0; i < parts; i++) line += TAIL_PIECES[Math.floor(r() * TAIL_PIECES.length)]!;
    assert.deepEqual(skipping(line), plain(line), JSON.stringify(line));
  }
});

test('eachTbirdMatch: a host label at the longest reach before its TLD is still found', () => {
  const host = 'a' + 'b'.repeat(251) + '.com';
  const line = 'y'.repeat(600) + ' ' + host + ' z';
  assert.deepEqual(skipping(line), plain(line));
  assert.equal(skipping(line).length, 1);
  assert.deepEqual(findTextUris(['no hint here, none at all\n']), []);
});

test('eachTbirdMatch: same matches as the plain loop on corpus lines', async (t) => {
  const file = '/work/shared/corpora/trec07-dev/spam/trec07p-dev.mbox';
  if (!existsSync(file)) {
    t.skip('shared corpus not present: ' + file);
    return;
  }
  let n = 0;
  let lines = 0;
  for await (const m of readMbox(file, { maxSize: 0 })) {
    if (n++ % 10 !== 0) continue;
    for (const line of renderBody(parseForLearning(m.raw)).all) {
      lines++;
      assert.deepEqual(skipping(line), plain(line));
    }
    if (n > 2000) break;
  }
  assert.ok(lines > 100);
});

test('findTextUris: a long run of trailing punctuation inside a URI takes linear time', () => {
  // s/[-~!@#^&*()_+=:;'?,.]*$// retried from every character of the run: O(n^2) per line before
  const line = 'http://a.example.com/' + '!'.repeat(2000) + 'x!\n';
  const t0 = performance.now();
  let uris: string[] = [];
  for (let i = 0; i < 300; i++) uris = findTextUris([line]);
  assert.ok(performance.now() - t0 < 2000);
  assert.deepEqual(uris, ['http://a.example.com/' + '!'.repeat(2000) + 'x']);
  // (what the regex gave)
  assert.deepEqual(findTextUris(['mail a@b.example.com%20%20 now\n']), ['mailto:a@b.example.com%20%20']);
});
