import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitMbox, isFromLine, type MboxSkip } from '../src/sources/mbox.js';

async function split(text: string | Buffer, maxSize = 0, chunk = 7): Promise<{ msgs: string[]; skips: MboxSkip[] }> {
  const buf = Buffer.isBuffer(text) ? text : Buffer.from(text, 'latin1');
  // Feed small chunks so that lines straddle chunk boundaries.
  async function* chunks(): AsyncGenerator<Buffer> {
    for (let i = 0; i < buf.length; i += chunk) yield buf.subarray(i, i + chunk);
  }
  const skips: MboxSkip[] = [];
  const msgs: string[] = [];
  for await (const m of splitMbox(chunks(), { maxSize, onSkip: (s) => skips.push(s) })) msgs.push(m.raw.toString('latin1'));
  return { msgs, skips };
}

const F1 = 'From a@example.org Mon Jan  6 10:00:00 2025\n';
const F2 = 'From b@example.org Tue Jan  7 11:00:00 2025\n';

test('From_ regex: asctime and the 1-02-2024_10:00:00_ forms, not look-alikes', () => {
  assert.equal(isFromLine(Buffer.from(F1)), true);
  assert.equal(isFromLine(Buffer.from('From MAILER-DAEMON  Mon Jan  6 10:00:00 2025\n')), true); // two spaces
  assert.equal(isFromLine(Buffer.from('From bob 1-02-2024_10:00:00_\n')), true);
  assert.equal(isFromLine(Buffer.from('From the archives: nothing.\n')), false);
  assert.equal(isFromLine(Buffer.from('From: a@example.org\n')), false);
  assert.equal(isFromLine(Buffer.from('>From a@example.org Mon Jan  6 10:00:00 2025\n')), false);
  assert.equal(isFromLine(Buffer.from('from a@example.org Mon Jan  6 10:00:00 2025\n')), false);
  // Perl's "." matches "\r": a CRLF From_ line still matches
  assert.equal(isFromLine(Buffer.from('From a@example.org Mon Jan  6 10:00:00 2025\r\n')), true);
});

test('preamble before the first From_ line is ignored; the blank line before the next From_ stays in the previous message', async () => {
  const { msgs } = await split(`garbage\nmore\n${F1}Subject: one\n\nbody\n\n${F2}Subject: two\n\nbody2\n`);
  assert.deepEqual(msgs, [`${F1}Subject: one\n\nbody\n\n`, `${F2}Subject: two\n\nbody2\n`]);
});

test('From_ look-alikes and >From lines stay in the body, unescaped', async () => {
  const body = 'From the archives: nothing.\n>From a@example.org Mon Jan  6 10:00:00 2025\nFrom x\n';
  const { msgs } = await split(`${F1}Subject: one\n\n${body}`);
  assert.equal(msgs.length, 1);
  assert.equal(msgs[0], `${F1}Subject: one\n\n${body}`);
});

test('CRLF line endings are kept', async () => {
  const a = `From a@example.org Mon Jan  6 10:00:00 2025\r\nSubject: one\r\n\r\nbody\r\n`;
  const b = `From b@example.org Tue Jan  7 11:00:00 2025\r\nSubject: two\r\n\r\nbody\r\n`;
  const { msgs } = await split(a + b);
  assert.deepEqual(msgs, [a, b]);
});

test('no final newline: the last line is kept as it is', async () => {
  const { msgs } = await split(`${F1}Subject: one\n\nlast line`);
  assert.deepEqual(msgs, [`${F1}Subject: one\n\nlast line`]);
});

test('empty file and a file without From_ line give no message', async () => {
  assert.deepEqual((await split('')).msgs, []);
  assert.deepEqual((await split('Subject: x\n\nno envelope\n')).msgs, []);
});

test('a From_ line that is the last line of the file gives no message (as ArchiveIterator)', async () => {
  const { msgs } = await split(`${F1}Subject: one\n\nbody\n${F2}`);
  assert.deepEqual(msgs, [`${F1}Subject: one\n\nbody\n`]);
});

test('size limit: messages over maxSize bytes (From_ line included) are skipped and reported', async () => {
  const small = `${F1}Subject: s\n\nx\n`;
  const big = `${F2}Subject: b\n\n${'y'.repeat(100)}\n`;
  const { msgs, skips } = await split(small + big + small, small.length);
  assert.deepEqual(msgs, [small, small]);
  assert.equal(skips.length, 1);
  assert.equal(skips[0]!.index, 2);
  assert.equal(skips[0]!.size, big.length);
  // exactly at the limit is kept
  assert.equal((await split(small, small.length)).msgs.length, 1);
  assert.equal((await split(small, small.length - 1)).msgs.length, 0);
});

test('8-bit bytes pass through unchanged', async () => {
  const raw = Buffer.concat([Buffer.from(`${F1}Subject: caf`), Buffer.from([0xe9, 0x0a, 0x0a, 0xff, 0x00, 0x0a])]);
  const out: Buffer[] = [];
  async function* one(): AsyncGenerator<Buffer> {
    yield raw;
  }
  for await (const m of splitMbox(one(), { maxSize: 0 })) out.push(m.raw);
  assert.equal(out.length, 1);
  assert.ok(out[0]!.equals(raw));
});
