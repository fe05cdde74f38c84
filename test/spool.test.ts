import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Spool } from '../src/report/spool.js';
import { ReportError } from '../src/report/errors.js';
import { tempDir } from './fixtures/report/harness.js';

test('add writes 0600 files in a 0700 directory, named so that sorting is oldest first', async () => {
  const dir = join(tempDir(), 'spool');
  const s = new Spool(dir, 100);
  const a = randomUUID();
  const b = randomUUID();
  await s.add(Buffer.from('second'), b, 2000);
  await s.add(Buffer.from('first'), a, 1000);
  assert.deepEqual(await s.pending(), [`0000000001000-${a}.eml`, `0000000002000-${b}.eml`]);
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  for (const f of readdirSync(dir)) assert.equal(statSync(join(dir, f)).mode & 0o777, 0o600);
  assert.equal(readdirSync(dir).length, 2, 'no temporary file left');
});

test('pending ignores temporary and foreign files; a missing spool is empty', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, `.tmp.0000000001000-${randomUUID()}.eml.123`), 'x');
  writeFileSync(join(dir, 'README'), 'x');
  assert.deepEqual(await new Spool(dir, 10).pending(), []);
  assert.deepEqual(await new Spool(join(dir, 'nope'), 10).pending(), []);
});

test('a claim is exclusive; release puts it back, done removes it, fail moves it to failed/', async () => {
  const dir = tempDir();
  const s = new Spool(dir, 10);
  const name = await s.add(Buffer.from('report'), randomUUID());
  const c1 = await s.claim(name);
  assert.ok(c1);
  assert.equal(await s.claim(name), null, 'second claim loses');
  assert.deepEqual(await s.pending(), [], 'a claimed report is not pending');
  assert.equal((await c1.read()).toString(), 'report');
  await c1.release();
  assert.deepEqual(await s.pending(), [name]);
  const c2 = (await s.claim(name))!;
  await c2.done();
  assert.deepEqual(readdirSync(dir), []);
  const other = await s.add(Buffer.from('bad'), randomUUID());
  await (await s.claim(other))!.fail();
  assert.deepEqual(readdirSync(join(dir, 'failed')), [other]);
});

test('claims of a dead process go back to the queue; live ones stay', async () => {
  const dir = tempDir();
  const s = new Spool(dir, 10);
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  const deadPid = Number(dead.stdout);
  const n1 = `0000000001000-${randomUUID()}.eml`;
  const n2 = `0000000002000-${randomUUID()}.eml`;
  writeFileSync(join(dir, `${n1}.sending.${deadPid}`), 'a', { mode: 0o600 });
  writeFileSync(join(dir, `${n2}.sending.1`), 'b', { mode: 0o600 }); // pid 1 is alive
  assert.equal(await s.recoverStale(), 1);
  assert.deepEqual(await s.pending(), [n1]);
  // ...unless the live claim is older than an hour (pid reuse)
  assert.equal(await s.recoverStale(Date.now() + 2 * 3600 * 1000), 1);
  assert.deepEqual(await s.pending(), [n1, n2]);
});

test('a full spool refuses new reports with a tempfail error', async () => {
  const s = new Spool(tempDir(), 2);
  await s.add(Buffer.from('1'), randomUUID());
  await s.add(Buffer.from('2'), randomUUID());
  await assert.rejects(s.add(Buffer.from('3'), randomUUID()), (e: unknown) => e instanceof ReportError && e.failure === 'tempfail' && /is full \(2 reports/.test(e.message));
});

test('an unwritable spool directory is a tempfail error', async (t) => {
  if (process.getuid?.() === 0) {
    t.skip('running as root: permissions do not stop writes');
    return;
  }
  const dir = tempDir();
  spawnSync('chmod', ['500', dir]);
  await assert.rejects(new Spool(dir, 5).add(Buffer.from('x'), randomUUID()), (e: unknown) => e instanceof ReportError && e.failure === 'tempfail');
});
