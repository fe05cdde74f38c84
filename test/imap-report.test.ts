// The feedback report rules: opening (decrypt, integrity, signer), dedup by report id and by
// SpamAssassin's msgid, and "the newest report wins".
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  ReportOpener,
  reportMsgid,
  resolveReports,
  signatureVerdict,
  normalizeFingerprint,
  reasonKeyword,
  MAX_REPORT_BYTES,
  type AcceptedReport,
  type ReportOpenOptions,
} from '../src/sources/imap-report.js';
import { buildFeedbackReport, type ReportClass } from '../src/report/feedback-report.js';
import { signEncrypt } from '../src/report/pgp.js';
import { buildPgpMime } from '../src/report/pgp-mime.js';
import { generateMsgid } from '../src/mail/msgid.js';
import { parseMessage } from '../src/mail/message.js';
import { SaTrainError } from '../src/errors.js';
import { GPG, NO_GPG, hasGpg, makeKeys, type Keys } from './fixtures/report/harness.js';

const MSG = (to: string, body = 'Cheap watches, best prices.\n'): Buffer =>
  Buffer.from(`From: Seller <s@spam.test>\nTo: ${to}\nSubject: watches\nDate: Mon, 6 Jan 2025 10:00:00 +0000\nMessage-ID: <w1@spam.test>\n\n${body}`);

let order = 0;
function rep(id: string, cls: ReportClass, time: string, message: Buffer): AcceptedReport {
  return { order: order++, id, cls, time: new Date(time), msgid: reportMsgid(message), message };
}

describe('resolveReports: dedup and conflicts', () => {
  const a = MSG('undisclosed-recipients:;');
  const b = MSG('undisclosed-recipients:;', 'Another offer entirely.\n');

  test('the same report id twice is learned once (the first copy)', () => {
    const r1 = rep('11111111-1111-4111-8111-111111111111', 'spam', '2025-01-06T10:00:00Z', a);
    const r2 = { ...r1, order: order++ };
    const res = resolveReports([r2, r1]);
    assert.deepEqual(res.learn, [r1]);
    assert.deepEqual(res.duplicateIds, [r2]);
    assert.equal(res.superseded.length, 0);
  });

  test('the same message reported twice with the same class: one learned, one duplicate', () => {
    const r1 = rep(randomUUID(), 'spam', '2025-01-06T10:00:00Z', a);
    const r2 = rep(randomUUID(), 'spam', '2025-01-06T11:00:00Z', a);
    const res = resolveReports([r1, r2]);
    assert.deepEqual(res.learn, [r2], 'the newest');
    assert.deepEqual(res.duplicateMessages, [r1]);
  });

  test('spam then ham: the newest report wins, whatever the reading order', () => {
    const spam = rep(randomUUID(), 'spam', '2025-01-06T10:00:00Z', a);
    const ham = rep(randomUUID(), 'ham', '2025-01-07T09:00:00Z', a);
    // the ham report read first (e.g. it lies in the processed folder): still the newest
    const hamFirst = { ...ham, order: -1 };
    for (const input of [[spam, ham], [ham, spam], [hamFirst, spam]]) {
      const res = resolveReports(input);
      assert.equal(res.learn.length, 1);
      assert.equal(res.learn[0]!.cls, 'ham');
      assert.equal(res.superseded.length, 1);
      assert.equal(res.superseded[0]!.cls, 'spam');
    }
    // and the other way round
    const later = rep(randomUUID(), 'spam', '2025-01-08T00:00:00Z', a);
    const res = resolveReports([spam, ham, later]);
    assert.deepEqual(res.learn, [later]);
    assert.deepEqual(res.superseded, [ham]);
    assert.deepEqual(res.duplicateMessages, [spam]);
  });

  test('same time: the one read later wins', () => {
    const r1 = rep(randomUUID(), 'spam', '2025-01-06T10:00:00Z', a);
    const r2 = rep(randomUUID(), 'ham', '2025-01-06T10:00:00Z', a);
    assert.deepEqual(resolveReports([r2, r1]).learn, [r2]);
  });

  test('different messages do not interfere; the learn list keeps the reading order', () => {
    const r1 = rep(randomUUID(), 'spam', '2025-01-06T12:00:00Z', a);
    const r2 = rep(randomUUID(), 'ham', '2025-01-06T10:00:00Z', b);
    const res = resolveReports([r2, r1]);
    assert.deepEqual(res.learn, [r1, r2]);
    assert.equal(res.superseded.length + res.duplicateMessages.length + res.duplicateIds.length, 0);
  });

  test("the message key is SpamAssassin's msgid: To, Date and body, not the Message-ID header", () => {
    assert.equal(reportMsgid(a), generateMsgid(parseMessage(a)));
    assert.match(reportMsgid(a), /^[0-9a-f]{40}@sa_generated$/);
    assert.notEqual(reportMsgid(a), reportMsgid(b), 'another body');
    assert.notEqual(reportMsgid(a), reportMsgid(MSG('bob@example.org')), 'another To');
    assert.equal(reportMsgid(a), reportMsgid(Buffer.from(a.toString('latin1').replace('<w1@spam.test>', '<other@spam.test>'))), 'Message-ID not part of it');
  });
});

describe('signatureVerdict (gpg status lines)', () => {
  const FPR = 'A'.repeat(40);
  const PRIMARY = 'B'.repeat(40);
  test('good signature: the primary key fingerprint', () => {
    const v = signatureVerdict(['NEWSIG', 'GOODSIG 1234 x', `VALIDSIG ${FPR} 2025-01-06 1736157600 0 4 0 22 10 00 ${PRIMARY}`]);
    assert.deepEqual(v, { kind: 'good', signers: [PRIMARY] });
  });
  test('no signature, unknown key, bad, expired, revoked', () => {
    assert.equal(signatureVerdict(['DECRYPTION_OKAY', 'GOODMDC']).kind, 'unsigned');
    assert.deepEqual(signatureVerdict(['NEWSIG', `ERRSIG 0123456789ABCDEF 22 10 00 1736157600 9 ${FPR}`]), { kind: 'unknown-key', keyid: FPR });
    assert.equal(signatureVerdict(['NEWSIG', 'BADSIG 0123 x']).kind, 'bad');
    assert.equal(signatureVerdict(['NEWSIG', 'EXPKEYSIG 0123 x', `VALIDSIG ${FPR}`]).kind, 'bad');
    assert.equal(signatureVerdict(['NEWSIG', 'REVKEYSIG 0123 x', `VALIDSIG ${FPR}`]).kind, 'bad');
    assert.equal(signatureVerdict(['NEWSIG', 'ERRSIG 0123 22 10 00 1736157600 4 -']).kind, 'bad', 'unsupported algorithm');
  });
  test('fingerprints and keywords', () => {
    assert.equal(normalizeFingerprint('abcd ef01 2345 6789 abcd  ef01 2345 6789 abcd ef01'), 'ABCDEF0123456789ABCDEF0123456789ABCDEF01');
    assert.throws(() => normalizeFingerprint('0x12345678'), (e: unknown) => e instanceof SaTrainError && e.code === 'BAD_ARGUMENT');
    assert.equal(reasonKeyword('unknown-signer'), '$SaReject-unknown-signer');
  });
});

describe('ReportOpener with real gpg keys', { skip: hasGpg() ? false : NO_GPG }, () => {
  let keys: Keys;
  let other: Keys;
  const inner = (cls: ReportClass, message = MSG('undisclosed-recipients:;')): Buffer =>
    buildFeedbackReport({ id: randomUUID(), class: cls, time: new Date('2025-01-06T10:00:00Z'), message, userAgent: 'sa-report/test' });
  const wrap = (armored: Buffer): Buffer => buildPgpMime(armored, { from: 'r@mx.test', to: 'f@train.test', domain: 'mx.test' });
  const sealed = async (data: Buffer, signer: Keys, to: string): Promise<Buffer> =>
    wrap(await signEncrypt(data, { gpg: GPG, homedir: signer.serverHome, timeoutMs: 20_000, signKey: signer.serverFpr, recipients: [to] }));
  const opts = (o: Partial<ReportOpenOptions> = {}): ReportOpenOptions => ({
    gpg: GPG,
    gnupgHome: keys.trainingHome,
    signers: [keys.serverFpr],
    acceptUnsigned: false,
    ...o,
  });

  before(() => {
    keys = makeKeys();
    other = makeKeys();
    // the other server can encrypt to our training key
    const pub = spawnSync(GPG, ['--homedir', keys.trainingHome, '--batch', '--export', keys.trainingFpr]).stdout;
    spawnSync(GPG, ['--homedir', other.serverHome, '--batch', '--import'], { input: pub });
  });
  after(() => {
    keys?.cleanup();
    other?.cleanup();
  });

  test('a report by a configured reporter key opens: class, id, time and message from inside', async () => {
    const data = inner('spam');
    const opener = new ReportOpener(opts());
    try {
      const r = await opener.open(await sealed(data, keys, keys.trainingFpr));
      assert.ok(r.ok, JSON.stringify(r));
      assert.equal(r.report.class, 'spam');
      assert.equal(r.signer, keys.serverFpr);
      assert.equal(r.unverified, false);
      assert.equal(r.report.message.toString(), MSG('undisclosed-recipients:;').toString());
    } finally {
      await opener.close();
    }
  });

  test('rejections: unknown key, key not configured, unsigned, not a report, another recipient, too big, garbage inside', async () => {
    const opener = new ReportOpener(opts());
    const strict = new ReportOpener(opts({ signers: ['0123456789ABCDEF0123456789ABCDEF01234567'] }));
    try {
      const forged = await sealed(inner('ham'), other, keys.trainingFpr);
      const r1 = await opener.open(forged);
      assert.ok(!r1.ok && r1.reason === 'unknown-signer', JSON.stringify(r1));
      assert.match(r1.detail, /public key is not in the GnuPG home/);

      const r2 = await strict.open(await sealed(inner('ham'), keys, keys.trainingFpr));
      assert.ok(!r2.ok && r2.reason === 'unknown-signer' && /not a configured reporter key/.test(r2.detail), JSON.stringify(r2));

      const enc = spawnSync(GPG, ['--homedir', keys.serverHome, '--batch', '--trust-model', 'always', '--armor', '--encrypt', '-r', keys.trainingFpr], { input: inner('spam') });
      assert.equal(enc.status, 0, enc.stderr.toString());
      const unsigned = wrap(enc.stdout);
      const r3 = await opener.open(unsigned);
      assert.ok(!r3.ok && r3.reason === 'unsigned', JSON.stringify(r3));

      const r4 = await opener.open(MSG('feedback@train.test'));
      assert.ok(!r4.ok && r4.reason === 'not-a-report', JSON.stringify(r4));

      const r5 = await opener.open(await sealed(inner('spam'), keys, keys.serverFpr)); // encrypted to the server key only
      assert.ok(!r5.ok && r5.reason === 'undecryptable', JSON.stringify(r5));

      const r6 = await opener.open(Buffer.concat([await sealed(inner('spam'), keys, keys.trainingFpr), Buffer.alloc(MAX_REPORT_BYTES)]));
      assert.ok(!r6.ok && r6.reason === 'too-big', JSON.stringify(r6));

      const r7 = await opener.open(await sealed(Buffer.from('Content-Type: text/plain\r\n\r\nhello\r\n'), keys, keys.trainingFpr));
      assert.ok(!r7.ok && r7.reason === 'invalid-report', JSON.stringify(r7));

      // --imap-accept-unsigned: unsigned and unknown signers are learned, flagged as unverified
      const lax = new ReportOpener(opts({ acceptUnsigned: true }));
      for (const m of [unsigned, forged]) {
        const r = await lax.open(m);
        assert.ok(r.ok && r.unverified, JSON.stringify(r));
      }
      await lax.close();
    } finally {
      await opener.close();
      await strict.close();
    }
  });

  test('a wrong passphrase fails the run instead of rejecting every report', async () => {
    const locked = makeKeys('secret-pass'); // its server key has a passphrase; use it as the training side
    try {
      const pub = spawnSync(GPG, ['--homedir', locked.serverHome, '--batch', '--export', locked.serverFpr]).stdout;
      spawnSync(GPG, ['--homedir', keys.serverHome, '--batch', '--import'], { input: pub });
      const msg = await sealed(inner('spam'), keys, locked.serverFpr);
      const opener = new ReportOpener({ gpg: GPG, gnupgHome: locked.serverHome, passphrase: 'wrong', signers: [keys.serverFpr], acceptUnsigned: false });
      await assert.rejects(opener.open(msg), (e: unknown) => e instanceof SaTrainError && e.code === 'DECRYPT_FAILED' && /passphrase/.test(e.message));
      await opener.close();
      const right = new ReportOpener({ gpg: GPG, gnupgHome: locked.serverHome, passphrase: 'secret-pass', signers: [], acceptUnsigned: true });
      const r = await right.open(msg);
      assert.ok(r.ok, JSON.stringify(r));
      await right.close();
    } finally {
      locked.cleanup();
    }
  });
});
