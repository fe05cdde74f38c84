// sa-train verify: both engines on the same messages. This is also the CI differential check of the
// native engine against SpamAssassin on a sample of the shared corpora (dumps and every message's tokens).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CORPORA, hasSaLearn, hasCorpora, NO_SA, NO_CORPORA, runCli, tempDir, makeTrainingSet, mboxMessage } from './helpers/env.js';
import { drawMbox } from './helpers/corpus-draw.js';

const NOW = '1767225600';

test('verify on a sample of both shared corpora: dumps and every message identical', { timeout: 1_200_000 }, async (t) => {
  if (!hasSaLearn()) return t.skip(NO_SA);
  if (!hasCorpora()) return t.skip(NO_CORPORA);
  const S = tempDir();
  // 60 messages from each mbox of both corpora, skipping into the files so that later messages are covered too
  const files: Array<[string, string]> = [
    ['spamassassin-2002/ham/easy_ham.mbox', 'ham/easy.mbox'],
    ['spamassassin-2002/ham/easy_ham_2.mbox', 'ham/easy2.mbox'],
    ['spamassassin-2002/ham/hard_ham.mbox', 'ham/hard.mbox'],
    ['trec07-dev/ham/trec07p-dev.mbox', 'ham/trec.mbox'],
    ['spamassassin-2002/spam/spam.mbox', 'spam/spam.mbox'],
    ['spamassassin-2002/spam/spam_2.mbox', 'spam/spam2.mbox'],
    ['trec07-dev/spam/trec07p-dev.mbox', 'spam/trec.mbox'],
  ];
  for (const [src, dst] of files) await drawMbox(join(CORPORA, src), join(S, dst), 60, 150);
  const r = await runCli(['verify', '--source', S, '--now', NOW, '--messages', '--json']);
  const out = JSON.parse(r.stdout);
  assert.equal(out.dumps.t.missing, 0, 'no token line only SpamAssassin has');
  assert.equal(out.dumps.t.extra, 0, 'no token line only native has');
  assert.ok(out.dumps.t.common > 20000, `a real dump (${out.dumps.t.common} token lines)`);
  assert.equal(out.messages.messages, 420);
  assert.equal(out.messages.fullyAgree, 420, `messages that differ: ${JSON.stringify(out.messages.diffs).slice(0, 2000)}`);
  assert.equal(out.identical, true, r.stdout.slice(0, 3000));
  assert.equal(r.code, 0);
});

test('verify exits 6 and shows the difference when the engines disagree', { timeout: 600_000 }, async (t) => {
  if (!hasSaLearn()) return t.skip(NO_SA);
  const S = makeTrainingSet({
    'spam/s.mbox': Array.from({ length: 5 }, (_, i) => mboxMessage(i, { body: `cheap offer ${i}` })).join(''),
    'ham/h.mbox': Array.from({ length: 5 }, (_, i) => mboxMessage(10 + i, { body: `meeting notes ${i}` })).join(''),
  });
  // a site that ignores the To header: SpamAssassin's tokens change, the native engine's do not
  const bin = join(tempDir(), 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'sa-learn'), '#!/bin/sh\nexec sa-learn --cf "bayes_ignore_header To" "$@"\n', { mode: 0o755 });
  const r = await runCli(['verify', '--source', S, '--now', NOW], { env: { SA_TRAIN_SA_LEARN: join(bin, 'sa-learn') } });
  assert.equal(r.code, 6, r.stderr);
  assert.match(r.stdout, /the engines DIFFER/);
  assert.match(r.stdout, /t lines: \d+ identical/);
});
