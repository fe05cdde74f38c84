import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selectClass, emptySelectStats, sampleScore } from '../src/sources/select.js';
import type { SourceMessage } from '../src/sources/types.js';

const msgs: SourceMessage[] = Array.from({ length: 400 }, (_, i) => ({
  cls: 'spam',
  raw: Buffer.from(`Subject: m${i}\n\nbody ${i}\n`),
  origin: { file: 'x', index: i + 1 },
}));
async function* iter(): AsyncGenerator<SourceMessage> {
  yield* msgs;
}
async function pick(sample: number, seed: number, maxPerClass = 0): Promise<string[]> {
  const out: string[] = [];
  for await (const m of selectClass(iter, 'spam', { sample, seed, maxPerClass }, emptySelectStats())) out.push(String(m.origin.index));
  return out;
}

test('the same seed selects the same messages; another seed others', async () => {
  const a = await pick(0.5, 7);
  const b = await pick(0.5, 7);
  const c = await pick(0.5, 8);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  assert.ok(a.length > 140 && a.length < 260, `about half kept, got ${a.length}`);
});

test('the choice depends on the message, not its position', () => {
  const u1 = sampleScore(3, 'ham', Buffer.from('same'));
  const u2 = sampleScore(3, 'ham', Buffer.from('same'));
  assert.equal(u1, u2);
  assert.notEqual(sampleScore(3, 'spam', Buffer.from('same')), u1);
});

test('sample 1 keeps everything in order; max-per-class caps reproducibly and keeps source order', async () => {
  assert.equal((await pick(1, 1)).length, 400);
  const stats = emptySelectStats();
  const capped: number[] = [];
  for await (const m of selectClass(iter, 'spam', { sample: 0.5, seed: 7, maxPerClass: 50 }, stats)) capped.push(m.origin.index!);
  assert.equal(capped.length, 50);
  assert.deepEqual([...capped].sort((x, y) => x - y), capped);
  assert.equal(stats.read, 400);
  assert.equal(stats.selected, 50);
  assert.equal(stats.sampledOut + stats.capped + stats.selected, 400);
  // the capped set is a subset of the uncapped sample with the same seed
  const half = new Set(await pick(0.5, 7));
  for (const i of capped) assert.ok(half.has(String(i)));
});
