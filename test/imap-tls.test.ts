// The IMAP feedback source over TLS against a real Dovecot with a self-signed certificate: implicit
// TLS (imaps://) and STARTTLS (imap://) with --imap-ca-file; an untrusted certificate fails the run
// before anything is learned or moved.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { ImapFlow } from 'imapflow';
import { parseDump } from '../src/bayes/dump.js';
import { tokenKey } from '../src/bayes/hash.js';
import { buildFeedbackReport } from '../src/report/feedback-report.js';
import { signEncrypt } from '../src/report/pgp.js';
import { buildPgpMime } from '../src/report/pgp-mime.js';
import { makeTrainingSet, mboxMessage, runCli, tempDir } from './helpers/env.js';
import { GPG, NO_GPG, hasGpg, makeKeys, type Keys } from './fixtures/report/harness.js';
import { NO_DOVECOT, hasDovecot, hasOpenssl, startDovecot, type Dovecot } from './helpers/dovecot.js';
import { appendTo } from './helpers/feedback-smtp.js';

const skip = !hasDovecot() ? NO_DOVECOT : !hasGpg() ? NO_GPG : !hasOpenssl() ? 'openssl is not installed (apt-get install openssl): it makes the test certificate' : false;
const PASS = 'feedback-pw';

describe('IMAP feedback source over TLS', { skip }, () => {
  let keys: Keys;
  let dovecot: Dovecot;
  let work: string;
  let set: string;
  let pwFile: string;

  const count = async (path: string): Promise<number> => {
    const c = new ImapFlow({ host: '127.0.0.1', port: dovecot.port, secure: false, doSTARTTLS: false, auth: { user: 'feedback', pass: PASS }, logger: false });
    c.on('error', () => undefined);
    await c.connect();
    try {
      const st = await c.status(path, { messages: true }).catch(() => false as const);
      return st === false ? -1 : (st.messages ?? 0);
    } finally {
      await c.logout().catch(() => c.close());
    }
  };
  const train = (output: string, url: string, extra: string[]) =>
    runCli(['train', '--source', set, '--engine', 'native', '--jobs', '1', '--output', output, '--json', '--imap', url, '--imap-password-file', pwFile, '--imap-signer', keys.serverFpr, '--imap-no-move', ...extra], {
      env: { GNUPGHOME: keys.trainingHome },
      timeoutMs: 120_000,
    });

  before(async () => {
    keys = makeKeys();
    dovecot = await startDovecot({ users: { feedback: PASS }, tls: true });
    work = tempDir('sa-train-imap-tls-');
    pwFile = join(work, 'pw');
    writeFileSync(pwFile, PASS, { mode: 0o600 });
    set = makeTrainingSet({ 'spam/s.mbox': mboxMessage(1, { body: 'pills casino' }), 'ham/h.mbox': mboxMessage(2) });
    const message = Buffer.from('From: x@spam.test\r\nSubject: offer\r\nDate: Mon, 6 Jan 2025 10:00:00 +0000\r\n\r\nwonderful glimmerfrobnitz offer\r\n' + 'padding line of the offer\r\n'.repeat(120));
    const inner = buildFeedbackReport({ id: randomUUID(), class: 'spam', time: new Date(), message, userAgent: 'sa-report/test' });
    const armored = await signEncrypt(inner, { gpg: GPG, homedir: keys.serverHome, timeoutMs: 20_000, signKey: keys.serverFpr, recipients: [keys.trainingFpr] });
    await appendTo({ port: dovecot.port, user: 'feedback', pass: PASS, mailbox: 'INBOX' }, buildPgpMime(armored, { from: 'r@mx.test', to: 'f@train.test', domain: 'mx.test' }));
  });
  after(async () => {
    await dovecot?.stop();
    keys?.cleanup();
    if (dovecot) rmSync(dovecot.dir, { recursive: true, force: true });
    if (work) rmSync(work, { recursive: true, force: true });
    if (set) rmSync(set, { recursive: true, force: true });
  });

  test('imaps:// and imap:// (STARTTLS) with the server certificate as CA: the report is learned', async () => {
    for (const url of [`imaps://feedback@127.0.0.1:${dovecot.tlsPort}/INBOX`, `imap://feedback@127.0.0.1:${dovecot.port}/INBOX`]) {
      const out = join(work, `ok-${url.slice(0, 5)}.dat`);
      const r = await train(out, url, ['--imap-ca-file', dovecot.certFile!]);
      assert.equal(r.code, 0, `${url}: ${r.stderr}`);
      const s = JSON.parse(r.stdout) as { imap: { learned: { spam: number } } };
      assert.equal(s.imap.learned.spam, 1, url);
      assert.ok((parseDump(readFileSync(out, 'utf8')).tokens.get(tokenKey('glimmerfrobnitz'))?.spam ?? 0) >= 1, url);
    }
  });

  test('a report whose message is over --max-size is counted and not learned', async () => {
    const out = join(work, 'small.dat');
    const r = await train(out, `imaps://feedback@127.0.0.1:${dovecot.tlsPort}/INBOX`, ['--imap-ca-file', dovecot.certFile!, '--max-size', '2000']);
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse(r.stdout) as { imap: { tooBig: number; accepted: number; rejected: number; learned: { spam: number } } };
    assert.deepEqual([s.imap.accepted, s.imap.tooBig, s.imap.rejected, s.imap.learned.spam], [1, 1, 0, 0]);
    assert.equal(parseDump(readFileSync(out, 'utf8')).tokens.get(tokenKey('glimmerfrobnitz')), undefined);
  });

  test('an untrusted certificate fails the run: no output, the report stays', async () => {
    const out = join(work, 'untrusted.dat');
    const r = await train(out, `imaps://feedback@127.0.0.1:${dovecot.tlsPort}/INBOX`, []);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /IMAP feedback source imaps:\/\/feedback@127\.0\.0\.1:\d+\/INBOX: .*(?:certificate|self.signed)/i);
    assert.doesNotMatch(r.stderr, new RegExp(PASS), 'no password in messages');
    assert.equal(existsSync(out), false);
    assert.equal(await count('INBOX'), 1);
  });
});
