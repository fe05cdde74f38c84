// TokenStore: SpamAssassin's seen/relearn rules, and the compact open-addressing table against a plain
// Map model under many inserts, forgets and index growth.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TokenStore, type LearnRecord } from '../src/bayes/store.js';
import { keyToHex } from '../src/bayes/hash.js';
import { serializeDump } from '../src/bayes/dump.js';

const rec = (msgid: string, keys: number[], atime = 1000, hdrMsgid: string | null = null): LearnRecord => ({ msgid, hdrMsgid, atime, keys: Float64Array.from(keys) });

test('learn counts per class, atime is the newest; a duplicate of the same class is already learned', () => {
  const s = new TokenStore();
  assert.equal(s.learn(true, rec('a@sa_generated', [1, 2], 100)), 'learned');
  assert.equal(s.learn(true, rec('b@sa_generated', [2, 0xff_ffff_ffff], 50)), 'learned');
  assert.equal(s.learn(true, rec('a@sa_generated', [9], 999)), 'already-learned');
  const d = s.toDump();
  assert.equal(d.nspam, 2);
  assert.equal(d.nham, 0);
  assert.deepEqual(d.tokens.get(keyToHex(2)), { spam: 2, ham: 0, atime: 100 });
  assert.deepEqual(d.tokens.get('ffffffffff'), { spam: 1, ham: 0, atime: 50 });
  assert.equal(d.tokens.has(keyToHex(9)), false);
  assert.equal(s.tokenCount, 3);
});

test('the other class relearns: the message is forgotten from the first class (floored at 0), learned in the new one', () => {
  const s = new TokenStore();
  s.learn(true, rec('a@sa_generated', [1, 2, 3], 100, '<x@y>'));
  // Same Message-Id header, different body: found by the header id, forgotten with the NEW message's keys.
  assert.equal(s.learn(false, rec('b@sa_generated', [2, 4], 200, '<x@y>')), 'learned');
  // Its own generated id as ham after spam: relearned.
  assert.equal(s.learn(false, rec('a@sa_generated', [1, 5], 300)), 'relearned');
  const d = s.toDump();
  assert.equal(d.nspam, 0);
  assert.equal(d.nham, 2);
  assert.equal(d.tokens.has(keyToHex(1)), true); // 0 spam + 1 ham
  assert.deepEqual(d.tokens.get(keyToHex(1)), { spam: 0, ham: 1, atime: 300 });
  assert.deepEqual(d.tokens.get(keyToHex(3)), { spam: 1, ham: 0, atime: 100 });
  assert.equal(d.tokens.has(keyToHex(5)), true);
  assert.equal(d.seen.get('a@sa_generated'), 'h');
});

/** The obvious implementation, for comparison. */
class ModelStore {
  nspam = 0;
  nham = 0;
  seen = new Map<string, 's' | 'h'>();
  t = new Map<number, { spam: number; ham: number; atime: number }>();
  learn(isSpam: boolean, r: LearnRecord): void {
    for (const id of [r.msgid, r.hdrMsgid]) {
      if (!id) continue;
      const f = this.seen.get(id);
      if (f === undefined) continue;
      if ((f === 's') === isSpam) return;
      this.forget(r);
      break;
    }
    if (isSpam) this.nspam++;
    else this.nham++;
    for (const k of Array.from(r.keys)) {
      const c = this.t.get(k) ?? { spam: 0, ham: 0, atime: 0 };
      if (isSpam) c.spam++;
      else c.ham++;
      c.atime = Math.max(c.atime, r.atime);
      this.t.set(k, c);
    }
    this.seen.set(r.msgid, isSpam ? 's' : 'h');
  }
  forget(r: LearnRecord): void {
    for (const id of [r.msgid, r.hdrMsgid]) {
      if (!id) break;
      const f = this.seen.get(id);
      if (f === undefined) continue;
      if (f === 's') this.nspam--;
      else this.nham--;
      for (const k of Array.from(r.keys)) {
        const c = this.t.get(k);
        if (!c) continue;
        if (f === 's') c.spam = Math.max(0, c.spam - 1);
        else c.ham = Math.max(0, c.ham - 1);
        if (c.spam === 0 && c.ham === 0) this.t.delete(k);
      }
      this.seen.delete(id);
      return;
    }
  }
}

test('random learn/relearn/forget sequences match a Map model (growth, collisions, deletions)', () => {
  let x = 12345;
  const rnd = (n: number): number => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x % n;
  };
  const s = new TokenStore();
  const m = new ModelStore();
  // Keys drawn from a small pool of 40-bit values that share their low bits (forcing probe chains),
  // plus a wide random range (forcing several index and slot growths).
  const key = (): number => (rnd(4) === 0 ? rnd(256) * 2 ** 32 + 7 : rnd(256) * 2 ** 32 + rnd(2 ** 31) * 2 + rnd(2));
  for (let n = 0; n < 6000; n++) {
    const keys = new Set<number>();
    const k = rnd(60);
    for (let i = 0; i < k; i++) keys.add(key());
    const r = rec(`m${rnd(2500)}@sa_generated`, [...keys], 1000 + rnd(5000), rnd(3) ? null : `<h${rnd(400)}@x>`);
    const spam = rnd(2) === 0;
    if (rnd(10) === 0) {
      s.forget(r);
      m.forget(r);
    } else {
      s.learn(spam, r);
      m.learn(spam, r);
    }
  }
  const d = s.toDump();
  assert.equal(d.nspam, m.nspam);
  assert.equal(d.nham, m.nham);
  assert.equal(s.tokenCount, m.t.size);
  assert.equal(d.tokens.size, m.t.size);
  for (const [k, c] of m.t) assert.deepEqual(d.tokens.get(keyToHex(k)), c, `token ${keyToHex(k)}`);
  assert.deepEqual([...d.seen].sort(), [...m.seen].sort());
  let n = 0;
  for (const [k, spam, ham] of s.tokens()) {
    assert.equal(m.t.get(k)?.spam, spam);
    assert.equal(m.t.get(k)?.ham, ham);
    n++;
  }
  assert.equal(n, m.t.size);
  // The direct writer gives the bytes serializeDump gives for toDump().
  const out = s.output();
  assert.deepEqual([out.nspam, out.nham, out.tokens, out.seen], [d.nspam, d.nham, d.tokens.size, d.seen.size]);
  assert.equal(out.bytes().toString('utf8'), serializeDump(d));
});

test('the direct dump writer prints counts, atime and keys as serializeDump does, edge values included', () => {
  const s = new TokenStore();
  s.learn(true, rec('a@sa_generated', [0, 2 ** 40 - 1, 9, 10, 2 ** 32], 0));
  s.learn(false, rec('b@sa_generated', [9, 123456789], 1767225600));
  s.learn(false, rec('c@sa_generated', [9], 4102444800));
  assert.equal(s.output().bytes().toString('utf8'), serializeDump(s.toDump()));
  assert.equal(new TokenStore().output().bytes().toString('utf8'), serializeDump(new TokenStore().toDump()));
});
