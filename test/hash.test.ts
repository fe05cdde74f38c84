// Tests for src/bayes/hash.ts: the 40-bit token keys of Plugin/Bayes.pm::tokenize (spec section 7, keys
// verified against a real sa-learn --backup).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { keyToHex, tokenKey, tokenKeyNumber } from '../src/bayes/hash.js';

const VERIFIED: [string, string][] = [
  ['CLICK', '422a8601cc'],
  ['H*F:U*deals', '27ef14dd54'],
  ['I*:', '02a2b70599'],
  ['caf\xE9', '46fc85cde4'], // Latin-1 byte token
  ['caf\xC3\xA9', 'be8e6ae7d7'], // UTF-8 byte token
  ['u8:\xE6\x97\xA5', '6e2f7f67a1'],
];

for (const [tok, key] of VERIFIED) {
  test(`tokenKey(${JSON.stringify(tok)}) = ${key}`, () => {
    assert.equal(tokenKey(tok), key);
  });
}

test('tokenKeyNumber is the same 40 bits as a number', () => {
  for (const [tok, key] of VERIFIED) {
    const n = tokenKeyNumber(tok);
    assert.ok(Number.isSafeInteger(n) && n < 2 ** 40);
    assert.equal(keyToHex(n), key);
  }
  assert.equal(keyToHex(0x0f), '000000000f');
});

test('binary strings hash their bytes (not UTF-8 of the code units)', () => {
  const tok = '\xFF\x80abc';
  const want = createHash('sha1').update(Buffer.from([0xff, 0x80, 0x61, 0x62, 0x63])).digest('hex').slice(30);
  assert.equal(tokenKey(tok), want);
});

test('keyToHex: table digits agree with toString(16) on random, edge and out-of-range keys', () => {
  let x = 12345;
  const keys = [0, 1, 0xff, 0xffffffff, 0x100000000, 2 ** 40 - 1, 0x8000000000, 0x7fffffffff];
  for (let i = 0; i < 5000; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    keys.push((x & 0xff) * 2 ** 32 + (Math.imul(x, 2654435761) >>> 0));
  }
  for (const k of keys) assert.equal(keyToHex(k), k.toString(16).padStart(10, '0'), String(k));
  assert.equal(keyToHex(2 ** 40), '10000000000'); // not a 40-bit key: plain formatting
});
