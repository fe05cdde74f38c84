import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { parseMessage } from '../src/mail/message.js';
import { bodyDigest, generateMsgid, getMsgid } from '../src/mail/msgid.js';

const msg = (s: string) => parseMessage(Buffer.from(s, 'latin1'));
const sha1 = (s: string) => createHash('sha1').update(s, 'latin1').digest('hex');

test('body digest: CRLF mode hashes \\r\\n as \\n, lone \\r kept', () => {
  const m = msg('Subject: s\r\n\r\na\r\nb\rc\r\n');
  assert.equal(bodyDigest(m), sha1('a\nb\rc\n'));
  const lf = msg('Subject: s\n\na\r\nb\n');
  assert.equal(bodyDigest(lf), sha1('a\r\nb\n')); // LF mode: untouched
});

test('generate_msgid: last To/Date with "\\n", empty when absent', () => {
  const m = msg('To: a\nTo: b\n\nbody\n');
  assert.equal(generateMsgid(m), sha1('b\n\0\0' + sha1('body\n')) + '@sa_generated');
});

test('get_msgid: last Message-Id, whitespace around <> allowed', () => {
  assert.equal(getMsgid(msg('Message-Id: <x@y>\nMessage-ID: <z@w> \n\nb\n')), 'z@w');
  assert.equal(getMsgid(msg('Message-Id: <>\n\nb\n')), null);
});
