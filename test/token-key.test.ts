// tokenKey40 (pure-JS SHA-1, low 40 bits) agrees with node:crypto's SHA-1 (bayes/hash.ts) on tokens of
// every length across the padding boundaries and on all byte values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { tokenKey40 } from '../src/engines/native/token-key.js';
import { tokenKeyNumber } from '../src/bayes/hash.js';

test('known vectors: empty string, "abc", a Bayes header token', () => {
  // SHA-1("") = da39a3ee5e6b4b0d3255bfef95601890afd80709, SHA-1("abc") = a9993e36...9cd0d89d
  assert.equal(tokenKey40(''), 0x90afd80709);
  assert.equal(tokenKey40('abc'), 0x6c9cd0d89d);
  assert.equal(tokenKey40('H*F:D*example.com'), tokenKeyNumber('H*F:D*example.com'));
});

test('random binary strings of length 0..300 match SHA-1 over their Latin-1 bytes', () => {
  let x = 7;
  const rnd = (n: number): number => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return (x >>> 8) % n;
  };
  for (let len = 0; len <= 300; len++) {
    for (let rep = 0; rep < 4; rep++) {
      let s = '';
      for (let i = 0; i < len; i++) s += String.fromCharCode(rep === 0 ? 0x61 + rnd(26) : rnd(256));
      const h = createHash('sha1').update(Buffer.from(s, 'latin1')).digest('hex');
      const want = parseInt(h.slice(30), 16);
      assert.equal(tokenKey40(s), want, `length ${len} rep ${rep}`);
      assert.equal(tokenKey40(s), tokenKeyNumber(s));
    }
  }
});
