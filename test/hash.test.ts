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
