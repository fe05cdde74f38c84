import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDump, validateDump, serializeDump, mergeDumps, emptyDump, VERSION_LINE } from '../src/bayes/dump.js';
import { SaTrainError } from '../src/errors.js';

const SAMPLE = `${VERSION_LINE}\nv\t2\tnum_spam\nv\t1\tnum_nonspam\nt\t1\t0\t1700000000\tffeeddccbb\nt\t0\t1\t1700000500\t00aabbccdd\ns\th\tbbb@sa_generated\ns\ts\taaa@sa_generated\n`;

test('serialize is deterministic: tokens by key, seen by id', () => {
  const d = parseDump(SAMPLE);
  const out = serializeDump(d);
  const lines = out.trim().split('\n');
  assert.equal(lines[0], VERSION_LINE);
  assert.equal(lines[3], 't\t0\t1\t1700000500\t00aabbccdd');
  assert.equal(lines[5], 's\ts\taaa@sa_generated');
  assert.equal(serializeDump(parseDump(out)), out);
});

test('validation rejects what sa-learn --restore would reject or we would never write', () => {
  const bad = (text: string): void => {
    for (const check of [parseDump, validateDump]) {
      assert.throws(() => check(text), (e: unknown) => e instanceof SaTrainError && e.code === 'DUMP_INVALID', `${check.name}: ${JSON.stringify(text.slice(-40))}`);
    }
  };
  bad('v\t2\tnum_spam\n'); // version line not first
  bad(SAMPLE.replace('v\t1\tnum_nonspam\n', '')); // num_nonspam missing
  bad(SAMPLE.replace('v\t2\tnum_spam\n', ''));
  bad(SAMPLE + 't\t0\t0\t1\t0011223344\n'); // 0/0 token
  bad(SAMPLE + 't\t1\t0\t1\tzz\n'); // bad hex
  bad(SAMPLE + 's\tx\tccc@sa_generated\n');
  bad(SAMPLE + 'garbage\n');
  bad(SAMPLE.replace(VERSION_LINE, 'v\t2\tdb_version'));
});

test('merge: counts add, atime is the newest, seen entries unite', () => {
  const a = parseDump(SAMPLE);
  const b = emptyDump();
  b.nspam = 1;
  b.tokens.set('ffeeddccbb', { spam: 2, ham: 1, atime: 1600000000 });
  b.tokens.set('1111111111', { spam: 1, ham: 0, atime: 1 });
  b.seen.set('ccc@sa_generated', 's');
  const m = mergeDumps([a, b]);
  assert.equal(m.nspam, 3);
  assert.equal(m.nham, 1);
  assert.deepEqual(m.tokens.get('ffeeddccbb'), { spam: 3, ham: 1, atime: 1700000000 });
  assert.equal(m.tokens.size, 3);
  assert.equal(m.seen.size, 3);
  // the inputs are not modified
  assert.deepEqual(a.tokens.get('ffeeddccbb'), { spam: 1, ham: 0, atime: 1700000000 });
});

test('validateDump: counts what it checked; duplicates found in sorted and unsorted dumps', () => {
  assert.deepEqual(validateDump(SAMPLE), { nspam: 2, nham: 1, tokens: 2, seen: 2 });
  const sorted = serializeDump(parseDump(SAMPLE));
  assert.deepEqual(validateDump(sorted), { nspam: 2, nham: 1, tokens: 2, seen: 2 });
  const dupSorted = sorted.replace('t\t1\t0\t1700000000\tffeeddccbb\n', 't\t1\t0\t1700000000\tffeeddccbb\nt\t1\t0\t1\tffeeddccbb\n');
  assert.throws(() => validateDump(dupSorted), /appears twice/);
  // unsorted (as sa-learn writes): a duplicate far from its twin
  const dupUnsorted = SAMPLE.replace('s\th', 't\t3\t0\t5\tffeeddccbb\ns\th');
  assert.throws(() => validateDump(dupUnsorted), /appears twice/);
  assert.throws(() => validateDump(SAMPLE.replace('\nt\t0', '\n\nt\t0')), /empty line/);
});
