import { test } from 'node:test';
import assert from 'node:assert/strict';
import { base64Decode, qpDecode } from '../src/mail/transfer.js';

// Expected values come from Mail::SpamAssassin::Util::base64_decode / qp_decode (4.0.1), checked with perl.
test('base64: clean input uses the strict decoder', () => {
  assert.equal(base64Decode('SGVsbG8gd29ybGQ='), 'Hello world');
  assert.equal(base64Decode('SGVs bG8=\n'), 'Hello');
  assert.equal(base64Decode('Zm9v===='), 'foo');
});

test('base64: interior padding becomes A (a NUL byte) on the strict path', () => {
  assert.equal(base64Decode('SGVsbG8=QUJD'), 'Hello\x00ABC');
  assert.equal(base64Decode('YQ==YQ=='), 'a\x00\x00a');
});

test('base64: lenient path (length not a multiple of 4, junk, interior = as value 63)', () => {
  assert.equal(base64Decode('SGVsbG8'), 'Hello');
  assert.equal(base64Decode('S!GVsbG8gd'), 'Hello ');
  assert.equal(base64Decode('QUJD=REVG'), 'ABC\xfd\x11\x15');
  assert.equal(base64Decode('='), '');
  assert.equal(base64Decode(''), '');
});

test('qp: trailing blanks, soft breaks, escapes; CRLF kept', () => {
  assert.equal(qpDecode('a=3Db  \nc=\r\nd=e9=XY'), 'a=b\ncd\xe9=XY');
  assert.equal(qpDecode('soft=\nbreak \t\r\nx'), 'softbreak\r\nx');
});

/** The regex transcription of Util.pm::qp_decode, to check the single-pass escape decoder against. */
function qpReference(s: string): string {
  return s
    .replace(/[ \t]+(?=\r?\n)/g, '')
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9a-fA-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
}

test('qp: the single-pass decoder equals the three substitutions (escapes joined by soft breaks too)', () => {
  assert.equal(qpDecode('=4=\n1 =3d=3D=\r\n=41=4'), 'A ==A=4');
  assert.equal(qpDecode('x =\t \ny'), 'x y');
  const alphabet = ['=', '=', 'A', 'f', '3', 'D', ' ', '\t', '\n', '\r', 'g', '0', '\xe9'];
  let x = 7;
  const rnd = (n: number): number => {
    x = (x * 1103515245 + 12345) >>> 0;
    return (x >>> 8) % n;
  };
  for (let k = 0; k < 20000; k++) {
    let s = '';
    for (let i = rnd(20); i > 0; i--) s += alphabet[rnd(alphabet.length)];
    assert.equal(qpDecode(s), qpReference(s), JSON.stringify(s));
  }
});

test('base64: strict path through Node for at most two final "="; more take the XS rules', () => {
  assert.equal(base64Decode('QUJD\nREVG\n'), 'ABCDEF');
  assert.equal(base64Decode('QUI='), 'AB');
  assert.equal(base64Decode('QQ=='), 'A');
  assert.equal(base64Decode('QR=='), 'A'); // unused low bits ignored
  assert.equal(base64Decode('QUJD=EVGQQ=='), 'ABC\x00EFA'); // interior '=' read as 'A'
  assert.equal(base64Decode('QUJD==GQ'), 'ABC\x00\x01\x90');
  assert.equal(base64Decode('Zm9v=m9v'), 'foo\x02oo');
  assert.equal(base64Decode('QUJDQ==='), 'ABC'); // "Q===": a quad whose second letter is '=' ends decoding
});
test('base64: a long inner run of "=" on the lenient path takes linear time', () => {
  // s/=+$// retried from every '=' of the run: O(n^2) before
  const s = 'QUJD' + '='.repeat(300000) + 'QQ==!';
  const t0 = performance.now();
  const out = base64Decode(s);
  assert.ok(performance.now() - t0 < 2000);
  assert.equal(out.slice(0, 3), 'ABC');
});
