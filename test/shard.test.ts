import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IdGroups, messageIds, shardOf } from '../src/engines/spamassassin/shard.js';

test('messages with the same generated id share a group; a Message-Id equal to another generated id joins it', () => {
  const g = new IdGroups();
  const a = g.add({ msgid: 'aaa@sa_generated', hdrMsgid: 'x@example.org' });
  const b = g.add({ msgid: 'bbb@sa_generated', hdrMsgid: null });
  const c = g.add({ msgid: 'aaa@sa_generated', hdrMsgid: null });
  const d = g.add({ msgid: 'ddd@sa_generated', hdrMsgid: 'bbb@sa_generated' });
  const e = g.add({ msgid: 'eee@sa_generated', hdrMsgid: 'x@example.org' }); // same header id only: no interaction
  g.close();
  assert.equal(g.groupOf(a), g.groupOf(c));
  assert.equal(g.groupOf(b), g.groupOf(d));
  assert.notEqual(g.groupOf(a), g.groupOf(b));
  assert.notEqual(g.groupOf(e), g.groupOf(a));
  for (const i of [a, b, c, d, e]) assert.ok(shardOf(g.groupOf(i), 3) < 3);
});

test('ids are SpamAssassin\'s: markup removal happens before the id is computed', () => {
  const base = 'From: a@example.org\nTo: b@example.net\nDate: Mon, 6 Jan 2025 10:00:00 +0000\nSubject: hi\n';
  const plain = messageIds(Buffer.from(`${base}\nbody text\n`));
  const marked = messageIds(Buffer.from(`${base}X-Spam-Checker-Version: SpamAssassin 4.0.1 (2022-12-14) on mx\nX-Spam-Flag: YES\nX-Spam-Status: Yes, score=9.0\n\nbody text\n`));
  assert.equal(marked.msgid, plain.msgid);
  assert.match(plain.msgid, /^[0-9a-f]{40}@sa_generated$/);
});
