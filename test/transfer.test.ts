import { test } from 'node:test';
import assert from 'node:assert/strict';
import { base64Decode, qpDecode } from '../src/mail/transfer.js';

// Expected values come from Mail::SpamAssassin::Util::base64_decode / qp_decode (4.0.1).
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
