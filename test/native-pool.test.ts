// The native engine's worker pool: the dump does not depend on --jobs (records are applied in input
// order, so duplicates and cross-class relearning come out as in the sequential engine); abort stops the
// workers; a message that throws or a worker that dies is reported with the message's file and index.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { NativeEngine } from '../src/engines/native.js';
import { activeWorkerCount, BATCH_MAX_MESSAGES } from '../src/engines/native/pool.js';
import { listClass, readClass } from '../src/sources/training-set.js';
import { isSaTrainError } from '../src/errors.js';
import type { LearnInput, LearnResult } from '../src/engines/engine.js';
import { makeTrainingSet, mboxMessage, tempDir, REPO } from './helpers/env.js';

const NOW = 1767225600;
/** Enough messages for several batches per worker, so that results arrive out of order. */
const N = BATCH_MAX_MESSAGES * 5;

function msg(n: number, extra: { subject?: string; body?: string } = {}): string {
  return mboxMessage(n, { subject: extra.subject ?? `offer ${n} ${'xyz'.repeat(n % 7)}`, body: extra.body ?? `word${n} common words here ${n % 13 ? 'alpha' : 'beta'} number ${n}` });
}

/** Spam and ham with exact duplicates inside a class and the same messages in both classes. */
function fixture(): string {
  const spam: string[] = [];
  const ham: string[] = [];
  for (let i = 0; i < N; i++) spam.push(msg(i));
  for (let i = 0; i < 20; i++) spam.push(msg(i * 3)); // duplicates within spam: already learned
  for (let i = N; i < 2 * N; i++) ham.push(msg(i));
  for (let i = 0; i < 30; i++) ham.push(msg(i * 5)); // spam messages again as ham: relearned
  for (let i = 0; i < 10; i++) ham.push(msg(1000 + i, { body: `same message id as spam ${i}` }).replace(`<msg${1000 + i}@`, `<msg${i}@`));
  return makeTrainingSet({ 'spam/a.mbox': spam.join(''), 'ham/b.mbox': ham.join('') });
}

async function learnDir(dir: string, jobs: number, extra: Partial<LearnInput> = {}, engine = new NativeEngine()): Promise<LearnResult> {
  const L = { spam: await listClass(dir, 'spam'), ham: await listClass(dir, 'ham') };
  return engine.learn({
    spam: () => readClass(L.spam, { maxSize: 0 }),
    ham: () => readClass(L.ham, { maxSize: 0 }),
    now: NOW,
    jobs,
    ...extra,
  });
}

test('the dump is identical for --jobs 1, 2 and 3 (duplicates, cross-class relearning)', async () => {
  const dir = fixture();
  const r1 = await learnDir(dir, 1);
  const text1 = r1.dump.bytes().toString('latin1');
  // The fixture exercises the order-dependent rules: 20 spam duplicates, 30 spam messages relearned as ham.
  assert.equal(r1.spam.examined, N + 20);
  assert.equal(r1.spam.learned, N);
  assert.equal(r1.dump.nspam, N - 30);
  assert.equal(r1.ham.learned, N + 40);
  assert.equal(r1.dump.nham, N + 40);
  assert.ok(r1.dump.tokens > 100);
  for (const jobs of [2, 3]) {
    const r = await learnDir(dir, jobs);
    assert.equal(r.dump.bytes().toString('latin1'), text1, `--jobs ${jobs}`);
    assert.deepEqual([r.spam, r.ham], [r1.spam, r1.ham], `--jobs ${jobs} counts`);
  }
  assert.equal(activeWorkerCount(), 0);
});

test('abort stops the workers and rejects with INTERRUPTED', async () => {
  const dir = fixture();
  const ac = new AbortController();
  let progressed = 0;
  await assert.rejects(
    learnDir(dir, 2, {
      signal: ac.signal,
      onProgress: (n) => {
        progressed = n;
        if (n === 10) ac.abort();
      },
    }),
    (e: unknown) => isSaTrainError(e) && e.code === 'INTERRUPTED',
  );
  assert.ok(progressed >= 10 && progressed < N * 2, `stopped early (${progressed} applied)`);
  await new Promise((r) => setImmediate(r));
  assert.equal(activeWorkerCount(), 0, 'no worker left running');
});

/** An analyser that throws on one message and kills its worker thread on another. */
function failingAnalyzer(): string {
  const real = pathToFileURL(join(REPO, 'dist', 'src', 'engines', 'native', 'analyze.js')).href;
  const p = join(tempDir(), 'failing-analyzer.mjs');
  writeFileSync(
    p,
    `import { learnRecord as real } from ${JSON.stringify(real)};\n` +
      `export function learnRecord(raw, now) {\n` +
      `  const s = raw.toString('latin1');\n` +
      `  if (s.includes('THROW-ON-ME')) throw new Error('simulated parser failure');\n` +
      `  if (s.includes('CRASH-ON-ME')) process.exit(7);\n` +
      `  return real(raw, now);\n` +
      `}\n`,
  );
  return pathToFileURL(p).href;
}

test('a message that throws in a worker is named (file, index); so is one that kills its worker', async () => {
  const analyzer = failingAnalyzer();
  const spam = Array.from({ length: 120 }, (_, i) => msg(i, i === 77 ? { body: 'THROW-ON-ME' } : {})).join('');
  const dir1 = makeTrainingSet({ 'spam/s.mbox': spam, 'ham/h.mbox': msg(500) });
  await assert.rejects(learnDir(dir1, 2, {}, new NativeEngine({ analyzer })), (e: unknown) => {
    assert.ok(isSaTrainError(e));
    assert.equal(e.code, 'MESSAGE_INVALID');
    assert.match(e.message, /s\.mbox message 78 .*simulated parser failure/);
    assert.equal(e.pos?.message, 78);
    assert.match(e.pos?.file ?? '', /spam\/s\.mbox$/);
    return true;
  });
  const ham = Array.from({ length: 60 }, (_, i) => msg(600 + i, i === 41 ? { body: 'CRASH-ON-ME' } : {})).join('');
  const dir2 = makeTrainingSet({ 'spam/s.mbox': msg(1), 'ham/h.mbox': ham });
  await assert.rejects(learnDir(dir2, 3, {}, new NativeEngine({ analyzer })), (e: unknown) => {
    assert.ok(isSaTrainError(e));
    assert.equal(e.code, 'ENGINE_FAILED');
    assert.match(e.message, /crashed \(worker exited with code 7\) on .*h\.mbox message 42 /);
    assert.equal(e.pos?.message, 42);
    return true;
  });
  await new Promise((r) => setImmediate(r));
  assert.equal(activeWorkerCount(), 0);
});
