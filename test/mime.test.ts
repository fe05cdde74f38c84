import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMessage } from '../src/mail/message.js';
import { MAX_BODY_LINE_LENGTH } from '../src/mail/mime.js';

const msg = (s: string) => parseMessage(Buffer.from(s, 'latin1'));

test('preamble dropped, epilogue ignored, last line of a part chomped', () => {
  const m = msg('Content-Type: multipart/mixed; boundary=b\n\npre\n--b\n\none\n\n--b\n\ntwo\n--b--\nepi\n');
  assert.deepEqual(m.leaves().map((p) => p.raw), [['one\n'], ['two']]);
});

test('lines over 2048 bytes are cut with an added "\\n" inside multiparts only', () => {
  const long = 'a'.repeat(MAX_BODY_LINE_LENGTH + 10) + '\n';
  const mp = msg(`Content-Type: multipart/mixed; boundary=b\n\n--b\n\n${long}--b--\n`);
  assert.deepEqual(mp.leaves()[0]!.raw, ['a'.repeat(MAX_BODY_LINE_LENGTH) + '\n', 'a'.repeat(10)]);
  const single = msg(`Subject: s\n\n${long}`);
  assert.deepEqual(single.leaves()[0]!.raw, [long]);
});

test('a part without a blank line after its headers; header lost at a missing end boundary', () => {
  const m = msg('Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/html\nbody line\n--b\nContent-Type: text/html\n');
  const [a, b] = m.leaves();
  assert.equal(a!.type, 'text/html');
  assert.deepEqual(a!.raw, ['body line']);
  assert.equal(b!.type, 'text/plain'); // its only line was taken as body
  assert.deepEqual(b!.raw, ['Content-Type: text/html\n']);
});

test('message/rfc822 parts become nested messages; multipart/digest children default to it', () => {
  const m = msg('Content-Type: multipart/digest; boundary=d\n\n--d\n\nSubject: inner\nContent-Type: text/html\n\n<b>x</b>\n--d--\n');
  const leaves = m.leaves();
  assert.equal(leaves.length, 1);
  assert.equal(leaves[0]!.type, 'text/html');
  assert.equal(leaves[0]!.getHeader('subject'), 'inner');
});

test('a reused boundary in a nested multipart is handled one level deep (bug 7358)', () => {
  const m = msg('Content-Type: multipart/mixed; boundary=s\n\n--s\nContent-Type: multipart/alternative; boundary=s\n\n--s\n\ninner\n--s--\nafter\n--s\n\nouter\n--s--\n');
  // SpamAssassin 4.0.1 gives 'inner' and 'outer' (checked with test/fixtures/mail/reused-boundary.eml).
  assert.deepEqual(m.leaves().map((p) => p.decode()), ['inner', 'outer']);
});

test('quoted-printable and base64 part decoding (CRLF -> LF for text)', () => {
  const m = msg('Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Transfer-Encoding: Quoted-Printable\n\na=3Db =\nc\n--b\nContent-Transfer-Encoding: base64\n\nYQ0KYg0K\n--b\nContent-Type: application/x\nContent-Transfer-Encoding: base64\n\nYQ0KYg0K\n--b--\n');
  assert.deepEqual(m.leaves().map((p) => p.decode()), ['a=b c', 'a\nb\n', 'a\r\nb\r\n']);
});
