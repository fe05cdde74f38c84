// sa-train train: clear errors and exit codes for bad input; help; JSON summary; reported skips.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, symlinkSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir, makeTrainingSet, mboxMessage, hasSaLearn, NO_SA } from './helpers/env.js';

test('--help documents the options; unknown options are usage errors', async () => {
  const h = await runCli(['train', '--help']);
  assert.equal(h.code, 0);
  for (const opt of ['--source', '--output', '--engine', '--jobs', '--max-size', '--sample', '--seed', '--max-per-class', '--now', '--sa-config', '--quiet', '--json']) {
    assert.ok(h.stdout.includes(opt), `help mentions ${opt}`);
  }
  const bad = await runCli(['train', '--source', '.', '--frobnicate']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /frobnicate/);
  const frac = await runCli(['train', '--source', '.', '--sample', '1.5']);
  assert.equal(frac.code, 2);
  assert.match(frac.stderr, /--sample takes a share F with 0 < F <= 1/);
});

test('a missing source is a clear error, exit 3, nothing written', async () => {
  const out = join(tempDir(), 'sa.dat');
  const r = await runCli(['train', '--source', '/nonexistent/training', '--output', out]);
  assert.equal(r.code, 3);
  assert.match(r.stderr, /training set \/nonexistent\/training does not exist/);
  assert.equal(r.stderr.trim().split('\n').length, 1, 'one line on stderr');
  assert.equal(existsSync(out), false);
});

test('a missing or empty class is a clear error', async () => {
  const onlySpam = makeTrainingSet({ 'spam/s.mbox': mboxMessage(1) });
  const r1 = await runCli(['train', '--source', onlySpam, '--output', join(onlySpam, 'o.dat')]);
  assert.equal(r1.code, 3);
  assert.match(r1.stderr, /ham is missing/);
  const emptyHam = makeTrainingSet({ 'spam/s.mbox': mboxMessage(1) });
  mkdirSync(join(emptyHam, 'ham'));
  const r2 = await runCli(['train', '--source', emptyHam, '--output', join(emptyHam, 'o.dat')]);
  assert.equal(r2.code, 3);
  assert.match(r2.stderr, /ham holds no mailbox/);
  assert.equal(existsSync(join(emptyHam, 'o.dat')), false);
});

test('an unreadable file is a clear error naming the file', async (t) => {
  if (!hasSaLearn()) return t.skip(NO_SA);
  const S = makeTrainingSet({ 'spam/s.mbox': mboxMessage(1), 'ham/h.mbox': mboxMessage(2) });
  symlinkSync('/nonexistent/target.mbox', join(S, 'ham', 'broken.mbox'));
  const r = await runCli(['train', '--engine', 'spamassassin', '--source', S, '--output', join(S, 'o.dat')]);
  assert.equal(r.code, 3);
  assert.match(r.stderr, /cannot read .*broken\.mbox/);
  assert.equal(existsSync(join(S, 'o.dat')), false);
});

test('too-big messages are skipped and counted; unknown entries reported; JSON summary; Maildir and .eml sources', async (t) => {
  if (!hasSaLearn()) return t.skip(NO_SA);
  const big = mboxMessage(3, { body: 'x'.repeat(2000) });
  const S = makeTrainingSet({
    'spam/s.mbox': mboxMessage(1) + big,
    'spam/notes.txt': 'not mail',
    'ham/h.mbox': mboxMessage(2),
    'ham/box/cur/1700000000.1.host:2,S': mboxMessage(4).replace(/^From .*\n/, ''),
    'ham/box/cur/1700000001.1.host:2,ST': mboxMessage(5).replace(/^From .*\n/, ''), // trashed: not learned
    'ham/box/new/1700000002.1.host': mboxMessage(6).replace(/^From .*\n/, ''),
    'ham/one.eml': mboxMessage(7).replace(/^From .*\n/, ''),
  });
  const out = join(S, 'o.dat');
  const r = await runCli(['train', '--engine', 'spamassassin', '--source', S, '--output', out, '--max-size', '1500', '--json', '--now', '1767225600']);
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  assert.equal(s.spam.skipped.tooBig, 1);
  assert.equal(s.spam.learned, 1);
  assert.equal(s.ham.learned, 4);
  assert.equal(s.nham, 4);
  assert.equal(s.ignored.length, 1);
  assert.match(s.ignored[0].path, /notes\.txt$/);
  assert.ok(s.warnings.some((w: string) => /200 spam and 200 ham/.test(w)));
  assert.match(readFileSync(out, 'latin1'), /^v\t3\tdb_version/);
});

test('without --jobs a small training set is learned in one thread; --jobs N is kept; same dump either way', async () => {
  const S = makeTrainingSet({
    'spam/s.mbox': mboxMessage(1) + mboxMessage(2),
    'ham/h.mbox': mboxMessage(3) + mboxMessage(4),
  });
  const auto = await runCli(['train', '--source', S, '--output', join(S, 'a.dat'), '--json', '--now', '1767225600']);
  assert.equal(auto.code, 0, auto.stderr);
  assert.equal(JSON.parse(auto.stdout).jobs, 1);
  const two = await runCli(['train', '--source', S, '--output', join(S, 'b.dat'), '--json', '--now', '1767225600', '--jobs', '2']);
  assert.equal(two.code, 0, two.stderr);
  assert.equal(JSON.parse(two.stdout).jobs, 2);
  assert.ok(readFileSync(join(S, 'a.dat')).equals(readFileSync(join(S, 'b.dat'))));
});
