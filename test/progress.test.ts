import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { Progress } from '../src/cli/progress.js';
import { listClass, listingBytes } from '../src/sources/training-set.js';
import { makeTrainingSet, mboxMessage } from './helpers/env.js';

function tty(): { stream: NodeJS.WriteStream; text: () => string } {
  let out = '';
  const w = new Writable({ write: (c, _e, cb) => ((out += c), cb()) }) as unknown as NodeJS.WriteStream;
  Object.assign(w, { isTTY: true, columns: 120 });
  return { stream: w, text: () => out };
}

test('a streaming run gets its ETA from the bytes read; a known total gives a message bar', () => {
  const a = tty();
  const p = new Progress('learning', true, a.stream);
  p.setTotalBytes(1000);
  p.addBytes(250);
  p.update(10);
  assert.match(a.text(), /\[#{7} {21}\]  25% 10 messages .* ETA \d+m\d\ds/);
  const b = tty();
  const q = new Progress('learning', true, b.stream);
  q.setTotal(40);
  assert.match(b.text(), /0\/40/);
  const off = tty();
  const r = new Progress('learning', false, off.stream);
  r.update(5);
  r.finish();
  assert.equal(off.text(), '', 'nothing drawn when disabled (not a TTY, --quiet, --json)');
});

test('listingBytes: the sizes of mbox files and message directories; unknown with encrypted entries', async () => {
  const m = mboxMessage(1);
  const S = makeTrainingSet({ 'ham/a.mbox': m, 'ham/dir/1': 'Subject: x\n\nbody\n', 'spam/s.mbox': m, 'spam/t.mbox.gpg': 'x' });
  assert.equal(await listingBytes(await listClass(S, 'ham')), Buffer.byteLength(m) + 17);
  assert.equal(await listingBytes(await listClass(S, 'spam')), null);
});
