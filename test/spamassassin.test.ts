// The spamassassin engine against sa-learn run by hand on the same messages, under the same fixed clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, readdirSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CORPORA, hasSaLearn, hasCorpora, NO_SA, NO_CORPORA, runCli, tempDir, makeTrainingSet, mboxMessage } from './helpers/env.js';
import { saLearnByHand, restoreAndMagic } from './helpers/sa-by-hand.js';
import { drawMbox } from './helpers/corpus-draw.js';

const NOW = '1767225600';
const sortedLines = (p: string): string[] => readFileSync(p, 'latin1').split('\n').filter(Boolean).sort();

test('150 ham + 150 spam from the shared corpora: identical to sa-learn by hand, with --jobs 1 and 2; restore works', { timeout: 600_000 }, async (t) => {
  if (!hasSaLearn()) return t.skip(NO_SA);
  if (!hasCorpora()) return t.skip(NO_CORPORA);
  const S = tempDir();
  await drawMbox(join(CORPORA, 'spamassassin-2002/ham/easy_ham.mbox'), join(S, 'ham/easy.mbox'), 100);
  await drawMbox(join(CORPORA, 'spamassassin-2002/ham/hard_ham.mbox'), join(S, 'ham/hard.mbox'), 50);
  await drawMbox(join(CORPORA, 'spamassassin-2002/spam/spam_2.mbox'), join(S, 'spam/spam2.mbox'), 100);
  await drawMbox(join(CORPORA, 'trec07-dev/spam/trec07p-dev.mbox'), join(S, 'spam/trec.mbox'), 50);

  const hand1 = saLearnByHand(S, { now: Number(NOW), hashSeed: 1 });
  // sa-learn processes an mbox in Perl hash order: when two different messages of a class share a
  // SpamAssassin message id, which one it learns varies from run to run, and no comparison can hold.
  // This draw has no duplicate at all (all 300 learned), so the result does not depend on order.
  assert.ok(hand1.includes('v\t150\tnum_spam') && hand1.includes('v\t150\tnum_nonspam'), 'sa-learn learned all 300');
  assert.ok(hand1.length > 10000, `a real dump has many tokens (${hand1.length} lines)`);

  for (const jobs of ['1', '2']) {
    const out = join(S, `a${jobs}.dat`);
    const r = await runCli(['train', '--engine', 'spamassassin', '--source', S, '--output', out, '--now', NOW, '--jobs', jobs, '--quiet']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(sortedLines(out), hand1, `--jobs ${jobs} differs from sa-learn by hand`);
  }
  const { restoreStatus, magic } = restoreAndMagic(join(S, 'a2.dat'));
  assert.equal(restoreStatus, 0);
  const nspam = /(\d+)\s+0\s+non-token data: nspam/.exec(magic)?.[1];
  const nham = /(\d+)\s+0\s+non-token data: nham/.exec(magic)?.[1];
  assert.equal(`v\t${nspam}\tnum_spam`, hand1.find((l) => l.endsWith('num_spam')));
  assert.equal(`v\t${nham}\tnum_nonspam`, hand1.find((l) => l.endsWith('num_nonspam')));
});

test('sharding keeps SpamAssassin duplicate handling: exact duplicates and a message in both classes', { timeout: 600_000 }, async (t) => {
  if (!hasSaLearn()) return t.skip(NO_SA);
  const spam: string[] = [];
  const ham: string[] = [];
  const shared = 'cheap meds offer winner prize casino bonus click unsubscribe';
  for (let i = 0; i < 24; i++) spam.push(mboxMessage(i, { body: `${shared} spam${i} lottery` }));
  for (let i = 30; i < 54; i++) ham.push(mboxMessage(i, { body: `meeting agenda ${shared.split(' ')[i % 9]} notes${i} project` }));
  spam.push(spam[3]!, spam[3]!); // exact duplicates in one class: learned once
  ham.push(spam[5]!); // the same message as ham: sa-learn forgets the spam copy, learns it as ham
  ham.push(mboxMessage(5, { subject: 'different subject, same id', body: `${shared} spam5 lottery` })); // same To/Date/body
  const S = makeTrainingSet({ 'spam/s.mbox': spam.join(''), 'ham/h.mbox': ham.join('') });
  const hand = saLearnByHand(S, { now: Number(NOW), hashSeed: 1 });
  const dumps: string[][] = [];
  for (const jobs of ['1', '2', '3']) {
    const out = join(S, `j${jobs}.dat`);
    const r = await runCli(['train', '--engine', 'spamassassin', '--source', S, '--output', out, '--now', NOW, '--jobs', jobs, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const summary = JSON.parse(r.stdout);
    assert.equal(summary.spam.examined, 26);
    assert.equal(summary.spam.learned, 24);
    assert.equal(summary.spam.skipped.alreadyLearned, 2);
    dumps.push(sortedLines(out));
  }
  assert.deepEqual(dumps[1], dumps[0], '--jobs 2 differs from --jobs 1');
  assert.deepEqual(dumps[2], dumps[0], '--jobs 3 differs from --jobs 1');
  // by hand, the two ham messages with the same id are learned in hash order: compare the parts that
  // do not depend on it
  const pick = (l: string[]): string[] => l.filter((x) => x.startsWith('v') || x.startsWith('s'));
  assert.deepEqual(pick(dumps[0]!), pick(hand));
  assert.ok(hand.includes('v\t23\tnum_spam'), 'one spam forgotten when relearned as ham');
  assert.ok(dumps[0]!.includes('v\t23\tnum_spam'));
});

test('the output is left untouched when sa-learn fails or the run is killed', { timeout: 600_000 }, async (t) => {
  if (!hasSaLearn()) return t.skip(NO_SA);
  const S = makeTrainingSet({
    'spam/s.mbox': Array.from({ length: 300 }, (_, i) => mboxMessage(i, { body: `spam body ${i} `.repeat(50) })).join(''),
    'ham/h.mbox': Array.from({ length: 300 }, (_, i) => mboxMessage(1000 + i, { body: `ham body ${i} `.repeat(50) })).join(''),
  });
  const outDir = tempDir();
  const out = join(outDir, 'sa.dat');
  writeFileSync(out, 'previous dump\n');

  // a sa-learn that fails
  const fake = join(outDir, 'bin');
  mkdirSync(fake);
  writeFileSync(join(fake, 'sa-learn'), '#!/bin/sh\necho "bayes: cannot open database: Permission denied" >&2\nexit 25\n', { mode: 0o755 });
  const r1 = await runCli(['train', '--engine', 'spamassassin', '--source', S, '--output', out], { env: { SA_TRAIN_SA_LEARN: join(fake, 'sa-learn') } });
  assert.equal(r1.code, 4);
  assert.match(r1.stderr, /sa-learn failed \(exit 25\): bayes: cannot open database/);
  assert.equal(readFileSync(out, 'utf8'), 'previous dump\n');

  // killed mid-run
  const { spawn } = await import('node:child_process');
  const { CLI } = await import('./helpers/env.js');
  const child = spawn(process.execPath, [CLI, 'train', '--engine', 'spamassassin', '--source', S, '--output', out, '--jobs', '2'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  await new Promise((r) => setTimeout(r, 2500));
  child.kill('SIGTERM');
  const code = await new Promise<number | null>((r) => child.on('close', (c) => r(c)));
  assert.equal(code, 130, stderr);
  assert.match(stderr, /interrupted/);
  assert.equal(readFileSync(out, 'utf8'), 'previous dump\n');
  assert.deepEqual(readdirSync(outDir).sort(), ['bin', 'sa.dat'], 'no temporary file left beside the output');
  assert.ok(existsSync(out));
});
