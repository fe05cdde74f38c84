import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { buildFeedbackReport, parseFeedbackReport, type FeedbackReport } from '../src/report/feedback-report.js';
import { buildPgpMime, parsePgpMime, OUTER_SUBJECT } from '../src/report/pgp-mime.js';
import { SaTrainError } from '../src/errors.js';

const base = (message: string | Buffer, cls: 'spam' | 'ham' = 'spam'): FeedbackReport => ({
  id: randomUUID(),
  class: cls,
  time: new Date('2026-11-21T09:00:00Z'),
  message: typeof message === 'string' ? Buffer.from(message, 'latin1') : message,
  userAgent: 'sa-report/0.1.0',
  reportingMta: 'mx.example.org',
});

test('build then parse gives the same report, message bytes exact (LF, CRLF, no final newline, 8-bit, CR)', () => {
  const messages = [
    'Subject: a\n\nbody\n',
    'Subject: a\r\n\r\nbody\r\n',
    'Subject: a\n\nno final newline',
    'Subject: a\n\nends with two\n\n',
    'Subject: \xe9\xff\n\n\x00\x01binary\rbare CR\r',
    'Subject: fake\n\n--=_sa-report_0123\n--foo--\n',
  ];
  for (const m of messages) {
    for (const cls of ['spam', 'ham'] as const) {
      const r = base(m, cls);
      const back = parseFeedbackReport(buildFeedbackReport(r));
      assert.equal(back.message.toString('latin1'), m);
      assert.equal(back.class, cls);
      assert.equal(back.id, r.id);
      assert.equal(back.time.toISOString(), r.time.toISOString());
      assert.equal(back.userAgent, 'sa-report/0.1.0');
      assert.equal(back.reportingMta, 'mx.example.org');
    }
  }
});

test('the built report is an RFC 5965 multipart/report with the registered feedback types', () => {
  const spam = buildFeedbackReport(base('Subject: a\n\nb\n', 'spam')).toString('latin1');
  const ham = buildFeedbackReport(base('Subject: a\n\nb\n', 'ham')).toString('latin1');
  assert.match(spam, /^MIME-Version: 1\.0\r\nContent-Type: multipart\/report; report-type=feedback-report;\r\n boundary="/);
  assert.match(spam, /\r\nContent-Type: message\/feedback-report\r\n\r\nFeedback-Type: abuse\r\nUser-Agent: sa-report\/0\.1\.0\r\nVersion: 1\r\n/);
  assert.match(ham, /\r\nFeedback-Type: not-spam\r\n/);
  assert.match(spam, /\r\nX-SA-Report-Class: spam\r\nX-SA-Report-Id: [0-9a-f-]{36}\r\nX-SA-Report-Time: 2026-11-21T09:00:00Z\r\n/);
  assert.match(spam, /\r\nContent-Type: message\/rfc822\r\n/);
});

test('parse rejects what is not a consistent report', () => {
  const good = buildFeedbackReport(base('Subject: a\n\nb\n')).toString('latin1');
  const bad = [
    ['Subject: plain\n\nmail\n', /content type text\/plain/],
    [good.replace('Feedback-Type: abuse', 'Feedback-Type: not-spam'), /contradicts X-SA-Report-Class spam/],
    [good.replace('X-SA-Report-Class: spam', 'X-SA-Report-Class: maybe'), /X-SA-Report-Class is "maybe"/],
    [good.replace(/X-SA-Report-Id: [0-9a-f-]+/, 'X-SA-Report-Id: 42'), /X-SA-Report-Id is "42"/],
    [good.replace('X-SA-Report-Time: 2026-11-21T09:00:00Z', 'X-SA-Report-Time: yesterday'), /X-SA-Report-Time/],
    [good.replace('Content-Type: message/rfc822', 'Content-Type: text/plain'), /no message\/rfc822 part/],
  ] as const;
  for (const [text, re] of bad) assert.throws(() => parseFeedbackReport(Buffer.from(text, 'latin1')), (e: unknown) => e instanceof SaTrainError && e.code === 'MESSAGE_INVALID' && re.test(e.message));
});

test('PGP/MIME: fixed outer headers, the armored data comes back', () => {
  const armored = Buffer.from('-----BEGIN PGP MESSAGE-----\n\nhQIMA1234\n=abcd\n-----END PGP MESSAGE-----\n');
  const raw = buildPgpMime(armored, { from: 'sa-report@mx.test', to: 'fb@train.test', domain: 'mx.test', date: new Date('2026-11-21T09:00:00Z') });
  const s = raw.toString('latin1');
  assert.match(s, /^From: sa-report@mx\.test\r\nTo: fb@train\.test\r\nSubject: sa-report feedback\r\nDate: Sat, 21 Nov 2026 09:00:00 \+0000\r\nMessage-ID: <[0-9a-f]{32}@mx\.test>\r\nMIME-Version: 1\.0\r\nContent-Type: multipart\/encrypted; protocol="application\/pgp-encrypted";\r\n boundary="/);
  assert.equal(OUTER_SUBJECT, 'sa-report feedback');
  assert.doesNotMatch(s, /(?<!\r)\n/, 'CRLF only');
  const back = parsePgpMime(raw).toString('latin1');
  assert.match(back, /^-----BEGIN PGP MESSAGE-----\r\n\r\nhQIMA1234\r\n=abcd\r\n-----END PGP MESSAGE-----/);
  assert.throws(() => parsePgpMime(Buffer.from('Content-Type: text/plain\n\nhello\n')), /not a PGP\/MIME encrypted message: content type text\/plain/);
});
