import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMessage } from '../src/mail/message.js';
import { collapseWhitespace, renderBody, splitIntoShortLines, truncateRendering } from '../src/mail/render.js';
import { MAX_BODY_LINE_LENGTH } from '../src/mail/mime.js';

test('split_into_array_of_short_lines: cut after the last space at index <= 2048, else hard cut', () => {
  const a = 'a'.repeat(2000) + ' ' + 'b'.repeat(100) + '\n';
  assert.deepEqual(splitIntoShortLines(a), ['a'.repeat(2000) + ' ', 'b'.repeat(100) + '\n']);
  const b = 'c'.repeat(MAX_BODY_LINE_LENGTH) + ' d';
  assert.deepEqual(splitIntoShortLines(b), ['c'.repeat(MAX_BODY_LINE_LENGTH) + ' ', 'd']); // 2049 bytes
  const c = 'e'.repeat(5000);
  assert.deepEqual(splitIntoShortLines(c).map((l) => l.length), [2048, 2048, 904]);
  assert.deepEqual(splitIntoShortLines(''), []);
});

test('whitespace: byte strings use ASCII \\s, character strings Unicode \\s; NUL becomes a newline', () => {
  assert.equal(collapseWhitespace({ s: 'a\xa0 b\n\n c\x00d', chars: false }), 'a\xa0 b\n c\nd');
  assert.equal(collapseWhitespace({ s: 'a\xa0 b\u2003c\x85d', chars: true }), 'a b c d');
});

test('body_part_scan_size truncation: newline, then space within 1024, else hard; code points', () => {
  const s = 'x'.repeat(60) + '\n' + 'y'.repeat(10);
  assert.equal(truncateRendering({ s, chars: false }, 50).s, 'x'.repeat(60) + '\n');
  assert.equal(truncateRendering({ s: 'z'.repeat(2000), chars: false }, 50).s.length, 50);
  const astral = '\u{1F600}'.repeat(60);
  const t = truncateRendering({ s: astral, chars: true }, 50);
  assert.equal(Array.from(t.s).length, 50);
});

test('visible/invisible/all arrays: subject first (visible, all), parts separated by a newline', () => {
  const m = parseMessage(Buffer.from('Subject: Hi\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\none\n--b\nContent-Type: image/gif\n\nGIF\n--b\n\ntwo\n--b--\n', 'latin1'));
  const r = renderBody(m);
  assert.deepEqual(r.visible, ['Hi\n', 'one\n', 'two']);
  assert.deepEqual(r.all, r.visible);
  assert.deepEqual(r.invisible, []);
});

test('no subject: a bare "\\n" line first; no leaf at all: empty arrays', () => {
  assert.deepEqual(renderBody(parseMessage(Buffer.from('X: y\n\nbody\n', 'latin1'))).visible, ['\n', 'body ']);
  const empty = parseMessage(Buffer.from('Subject: s\nContent-Type: multipart/mixed; boundary=b\n\n', 'latin1'));
  assert.deepEqual(renderBody(empty).visible, []);
});

/** The plain transcription of Message.pm's three substitutions, to check the fast path against. */
function collapseReference(text: { s: string; chars: boolean }): string {
  const ws = text.chars
    ? '\\t\\n\\x0B\\f\\r \\x85\\xA0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000'
    : '\\t\\n\\x0B\\f\\r ';
  const s = text.s
    .replace(new RegExp(`\\n+[${ws}]*\\n+`, 'g'), '\x00')
    .replace(new RegExp(`[${ws}]+`, 'g'), ' ')
    .replace(/\x00/g, '\n');
  return text.chars ? Buffer.from(s, 'utf8').toString('latin1') : s;
}

test('whitespace fast path (single spaces left alone) equals the three substitutions', () => {
  const alphabet = [' ', ' ', ' ', '\t', '\n', '\n', '\r', '\x0b', '\f', 'a', 'b', '\x00', '\xa0', '\x85', '\u2003', '\u3000'];
  let x = 12345;
  const rnd = (n: number): number => {
    x = (x * 1103515245 + 12345) >>> 0;
    return (x >>> 8) % n;
  };
  for (let k = 0; k < 2000; k++) {
    let s = '';
    const len = rnd(40);
    for (let i = 0; i < len; i++) s += alphabet[rnd(alphabet.length)];
    const bytesOnly = s.replace(/[^\x00-\xff]/g, 'c');
    assert.equal(collapseWhitespace({ s: bytesOnly, chars: false }), collapseReference({ s: bytesOnly, chars: false }), JSON.stringify(bytesOnly));
    assert.equal(collapseWhitespace({ s, chars: true }), collapseReference({ s, chars: true }), JSON.stringify(s));
  }
});

test('without an HTML part the visible and "all" arrays are equal copies and invisible is empty', () => {
  const plain = renderBody(parseMessage(Buffer.from('Subject: s\n\nsome  text\n\n\nmore\n', 'latin1')));
  assert.deepEqual(plain.visible, ['s\n', 'some text\n', 'more ']);
  assert.deepEqual(plain.all, plain.visible);
  assert.notEqual(plain.all, plain.visible); // separate arrays
  assert.deepEqual(plain.invisible, []);
  const html = renderBody(parseMessage(Buffer.from(
    'Subject: s\nContent-Type: text/html\n\nseen <font color="#ffffff">hidden</font>\n', 'latin1')));
  assert.deepEqual(html.visible, ['s\n', 'seen ']);
  assert.deepEqual(html.invisible, ['hidden']);
  assert.deepEqual(html.all, ['s\n', 'seen hidden ']);
});
