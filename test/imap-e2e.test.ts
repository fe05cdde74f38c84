// The whole feedback loop with real components on loopback: a real Dovecot (IMAPSieve with the
// repository's examples/dovecot settings and scripts), the built sa-report binary with real gpg keys,
// a real SMTP server that delivers into the feedback mailbox, and the built sa-train reading it over
// IMAP. Plus: a forged report is rejected, and a connection cut in the middle changes nothing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { ImapFlow } from 'imapflow';
import { parseDump, type BayesDump } from '../src/bayes/dump.js';
import { tokenKey } from '../src/bayes/hash.js';
import { buildFeedbackReport } from '../src/report/feedback-report.js';
import { signEncrypt } from '../src/report/pgp.js';
import { buildPgpMime } from '../src/report/pgp-mime.js';
import { REPO, makeTrainingSet, mboxMessage, runCli, tempDir, type RunResult } from './helpers/env.js';
import { GPG, hasGpg, makeKeys, writeConfig, type Keys } from './fixtures/report/harness.js';
import { NO_DOVECOT, handOver, hasDovecot, startDovecot, type Dovecot } from './helpers/dovecot.js';
import { appendTo, startFeedbackSmtp, type FeedbackSmtp } from './helpers/feedback-smtp.js';
import { startProxy } from './helpers/tcp-proxy.js';

const SA_REPORT = join(REPO, 'dist', 'src', 'cli', 'sa-report.js');
const USERS = { alice: 'alice-pw', feedback: 'feedback-pw' };
const NO_GPG = 'gpg is not installed at /usr/bin/gpg (apt-get install gnupg)';
/** Dovecot runs sa-report as its mail user ("nobody" when the tests run as root): can that user start it? */
function runnableByMailUser(script: string): boolean {
  if (process.getuid?.() !== 0) return true;
  return spawnSync('runuser', ['-u', 'nobody', '--', process.execPath, script, '--help'], { stdio: 'ignore' }).status === 0;
}

/**
 * The sa-report Dovecot will run. A checkout in a private directory (mktemp -d makes it 0700) cannot be
 * read by "nobody": then sa-report (dist/src and its one dependency, nodemailer) is copied to a
 * world-readable temporary directory, as an installed package would be readable.
 */
function reportForMailUser(): { script: string; cleanup: () => void } | null {
  if (runnableByMailUser(SA_REPORT)) return { script: SA_REPORT, cleanup: () => undefined };
  const dir = mkdtempSync(join(tmpdir(), 'sa-report-install-'));
  cpSync(join(REPO, 'package.json'), join(dir, 'package.json'));
  cpSync(join(REPO, 'dist', 'src'), join(dir, 'dist', 'src'), { recursive: true });
  cpSync(join(REPO, 'node_modules', 'nodemailer'), join(dir, 'node_modules', 'nodemailer'), { recursive: true });
  spawnSync('chmod', ['-R', 'a+rX', dir]);
  const script = join(dir, 'dist', 'src', 'cli', 'sa-report.js');
  const cleanup = (): void => rmSync(dir, { recursive: true, force: true });
  if (runnableByMailUser(script)) return { script, cleanup };
  cleanup();
  return null;
}
const report = hasDovecot() && hasGpg() && existsSync(SA_REPORT) ? reportForMailUser() : null;
const skip = !hasDovecot()
  ? NO_DOVECOT
  : !hasGpg()
    ? NO_GPG
    : !existsSync(SA_REPORT)
      ? 'dist/src/cli/sa-report.js is missing: build first (npx tsc -p .)'
      : !report
        ? `Dovecot runs sa-report as "nobody", who cannot run it (node at ${process.execPath} is not readable by other users)`
        : false;

/** A message Alice receives; `word` is a token found nowhere else. */
function incoming(n: number, word: string): string {
  return (
    `Return-Path: <bulk${n}@spam.test>\r\n` +
    `Received: from mx.spam.test (mx.spam.test [192.0.2.${n}]) by mx.example.org with ESMTP id A${n}; Mon, 6 Jan 2025 10:00:00 +0000\r\n` +
    `From: Deals <bulk${n}@spam.test>\r\n` +
    `To: Alice <alice@example.org>\r\n` +
    `Subject: incredible offer ${n}\r\n` +
    `Date: Mon, 6 Jan 2025 10:0${n}:00 +0000\r\n` +
    `Message-ID: <offer${n}.${word}@spam.test>\r\n\r\n` +
    `Buy ${word} now, the best ${word} deal ever seen.\r\nAct today for free shipping.\r\n`
  );
}

async function imap<T>(port: number, user: keyof typeof USERS, fn: (c: ImapFlow) => Promise<T>): Promise<T> {
  const c = new ImapFlow({ host: '127.0.0.1', port, secure: false, doSTARTTLS: false, auth: { user, pass: USERS[user] }, logger: false });
  c.on('error', () => undefined);
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.logout().catch(() => c.close());
  }
}

interface Listed {
  uid: number;
  flags: string[];
  size: number;
}

/** The messages of a folder (read-only), or null when the folder does not exist. */
async function listFolder(port: number, path: string): Promise<Listed[] | null> {
  return imap(port, 'feedback', async (c) => {
    if ((await c.status(path, { messages: true }).catch(() => false)) === false) return null;
    const box = await c.mailboxOpen(path, { readOnly: true });
    if (box.exists === 0) return [];
    const all = await c.fetchAll('1:*', { uid: true, flags: true, size: true });
    return all.map((m) => ({ uid: m.uid, flags: [...(m.flags ?? [])].sort(), size: m.size ?? 0 })).sort((a, b) => a.uid - b.uid);
  });
}

async function waitFor(what: string, cond: () => boolean, log: () => string, ms = 30_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}; Dovecot's log:\n${log()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface ImapTrainSummary {
  warnings: string[];
  nspam: number;
  nham: number;
  imap: {
    read: number;
    readNew: number;
    readProcessed: number;
    accepted: number;
    learned: { spam: number; ham: number };
    rejected: number;
    rejectedByReason: Record<string, number>;
    duplicated: { reportId: number; message: number };
    superseded: number;
    moved: { processed: number; rejected: number } | null;
  };
}

describe('IMAP feedback loop end to end (Dovecot + IMAPSieve + sa-report + SMTP + sa-train)', { skip }, () => {
  let keys: Keys;
  let forger: Keys;
  let dovecot: Dovecot;
  let smtp: FeedbackSmtp;
  let work: string;
  let set: string;
  let pwFile: string;
  let reportDir: string;
  let base: BayesDump;

  const dumpOf = (file: string): BayesDump => parseDump(readFileSync(file, 'utf8'));
  const train = (output: string, extra: string[] = [], port = dovecot.port): Promise<RunResult> =>
    runCli(
      [
        'train', '--source', set, '--engine', 'native', '--jobs', '1', '--output', output, '--json',
        '--imap', `imap://feedback@127.0.0.1:${port}/INBOX`, '--imap-insecure',
        '--imap-password-file', pwFile, '--imap-signer', keys.serverFpr, ...extra,
      ],
      { env: { GNUPGHOME: keys.trainingHome }, timeoutMs: 120_000 },
    );
  const summaryOf = (r: RunResult): ImapTrainSummary => {
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as ImapTrainSummary;
  };
  /** Alice moves the message with `word` from one folder to another over IMAP. */
  const aliceMoves = (word: string, from: string, to: string): Promise<void> =>
    imap(dovecot.port, 'alice', async (c) => {
      await c.mailboxOpen(from);
      const uids = (await c.search({ header: { 'message-id': word } }, { uid: true })) || [];
      assert.equal(uids.length, 1, `one message with ${word} in ${from}`);
      assert.ok(await c.messageMove(uids.join(','), to, { uid: true }));
    });
  const aliceReceives = (n: number, word: string): Promise<void> => appendTo({ port: dovecot.port, user: 'alice', pass: USERS.alice, mailbox: 'INBOX' }, incoming(n, word));

  before(async () => {
    keys = makeKeys();
    forger = makeKeys();
    // The forger has our public training key, so their report decrypts; their key is not a reporter key.
    const pub = spawnSync(GPG, ['--homedir', keys.trainingHome, '--batch', '--export', keys.trainingFpr]).stdout;
    spawnSync(GPG, ['--homedir', forger.serverHome, '--batch', '--import'], { input: pub });
    work = tempDir('sa-train-imap-e2e-');
    pwFile = join(work, 'imap-password');
    writeFileSync(pwFile, `${USERS.feedback}\n`, { mode: 0o600 });
    reportDir = tempDir('sa-train-imap-report-'); // handed to Dovecot's mail user below
    const conf = writeConfig({ keys, port: 1, dir: reportDir }); // SMTP port filled in below
    dovecot = await startDovecot({ users: USERS, sieve: { reportCommand: [process.execPath, report!.script, '--config', conf] } });
    smtp = await startFeedbackSmtp({ port: dovecot.port, user: 'feedback', pass: USERS.feedback, mailbox: 'INBOX' });
    writeConfig({ keys, port: smtp.port, dir: reportDir });
    // sa-report runs as Dovecot's mail user: it needs its config, spool and GnuPG home.
    handOver(reportDir, dovecot.runAs);
    chmodSync(keys.root, 0o711); // let it reach the server's home, not the training one
    handOver(keys.serverHome, dovecot.runAs);
    await imap(dovecot.port, 'alice', (c) => c.mailboxCreate('Junk'));
    await imap(dovecot.port, 'feedback', async (c) => {
      await c.mailboxOpen('INBOX'); // creates the Maildir
    });
    set = makeTrainingSet({
      'spam/s.mbox': [1, 2, 3].map((n) => mboxMessage(n, { subject: `cheap pills ${n}`, body: `pills casino winner ${n}` })).join(''),
      'ham/h.mbox': [4, 5, 6].map((n) => mboxMessage(n, { subject: `meeting ${n}` })).join(''),
    });
    const r = await runCli(['train', '--source', set, '--engine', 'native', '--jobs', '1', '--output', join(work, 'base.dat'), '--quiet']);
    assert.equal(r.code, 0, r.stderr);
    base = dumpOf(join(work, 'base.dat'));
  });

  after(async () => {
    await smtp?.close();
    await dovecot?.stop();
    keys?.cleanup();
    forger?.cleanup();
    if (dovecot) rmSync(dovecot.dir, { recursive: true, force: true });
    if (work) rmSync(work, { recursive: true, force: true });
    if (reportDir) rmSync(reportDir, { recursive: true, force: true });
    if (set) rmSync(set, { recursive: true, force: true });
    report?.cleanup();
  });

  test('a move into Junk is reported, travels over SMTP and is learned as spam; a forged report is rejected and kept', async () => {
    await aliceReceives(1, 'zorblaxquuxium');
    const before = smtp.delivered;
    await aliceMoves('zorblaxquuxium', 'INBOX', 'Junk');
    await waitFor('the spam report', () => smtp.delivered === before + 1, dovecot.log);

    // A forged report: well-formed, encrypted to the training key, signed by an unknown key.
    const inner = buildFeedbackReport({ id: randomUUID(), class: 'ham', time: new Date(), message: Buffer.from(incoming(9, 'forgedquuxword')), userAgent: 'sa-report/0.1.0' });
    const armored = await signEncrypt(inner, { gpg: GPG, homedir: forger.serverHome, timeoutMs: 20_000, signKey: forger.serverFpr, recipients: [keys.trainingFpr] });
    await appendTo({ port: dovecot.port, user: 'feedback', pass: USERS.feedback, mailbox: 'INBOX' }, buildPgpMime(armored, { from: 'sa-report@evil.test', to: 'feedback@train.test', domain: 'evil.test' }));
    assert.equal((await listFolder(dovecot.port, 'INBOX'))!.length, 2);

    const out = join(work, 'run1.dat');
    const s = summaryOf(await train(out));
    const d = dumpOf(out);
    assert.equal(d.nspam, base.nspam + 1, 'nspam grew by the reported message');
    assert.equal(d.nham, base.nham, 'the forged ham report was not learned');
    const tok = d.tokens.get(tokenKey('zorblaxquuxium'));
    assert.ok(tok && tok.spam >= 1 && tok.ham === 0, "the reported message's tokens are in the dump as spam");
    assert.equal(d.tokens.get(tokenKey('forgedquuxword')), undefined, 'nothing of the forged report');
    assert.equal(s.imap.read, 2);
    assert.deepEqual(s.imap.learned, { spam: 1, ham: 0 });
    assert.deepEqual(s.imap.rejectedByReason, { 'unknown-signer': 1 });
    assert.deepEqual(s.imap.moved, { processed: 1, rejected: 1 });
    assert.deepEqual(s.warnings.filter((w) => /IMAP/.test(w)), [], 'no IMAP warning (keywords set, moves done)');

    assert.deepEqual(await listFolder(dovecot.port, 'INBOX'), []);
    assert.equal((await listFolder(dovecot.port, 'processed'))!.length, 1);
    const rejected = (await listFolder(dovecot.port, 'rejected'))!;
    assert.equal(rejected.length, 1, 'the forged report is kept in rejected');
    assert.ok(rejected[0]!.flags.includes('$SaRejected') && rejected[0]!.flags.includes('$SaReject-unknown-signer'), `reason as keywords: ${rejected[0]!.flags.join(' ')}`);
  });

  test('a move from Junk back to INBOX is learned as ham: the newest report wins; a second run learns the same', async () => {
    const before = smtp.delivered;
    await aliceMoves('zorblaxquuxium', 'Junk', 'INBOX');
    await waitFor('the ham report', () => smtp.delivered === before + 1, dovecot.log);

    const out = join(work, 'run2.dat');
    const s = summaryOf(await train(out));
    const d = dumpOf(out);
    assert.equal(d.nspam, base.nspam, 'the older spam report is superseded');
    assert.equal(d.nham, base.nham + 1);
    const tok = d.tokens.get(tokenKey('zorblaxquuxium'));
    assert.ok(tok && tok.ham >= 1 && tok.spam === 0, 'learned as ham only');
    assert.equal(s.imap.readNew, 1);
    assert.equal(s.imap.readProcessed, 1, 'the reports of earlier runs are read again (every dump holds them)');
    assert.equal(s.imap.superseded, 1);
    assert.deepEqual(s.imap.learned, { spam: 0, ham: 1 });
    assert.equal((await listFolder(dovecot.port, 'processed'))!.length, 2);
    assert.equal((await listFolder(dovecot.port, 'rejected'))!.length, 1, 'rejected reports are not read again');

    // Again, leaving the mailbox alone: the same dump.
    const out3 = join(work, 'run3.dat');
    const s3 = summaryOf(await train(out3, ['--imap-no-move']));
    assert.equal(readFileSync(out3, 'utf8'), readFileSync(out, 'utf8'));
    assert.equal(s3.imap.moved, null);
  });

  test('an IMAP connection cut in the middle of the fetch leaves every report in place and writes no output', async () => {
    await aliceReceives(2, 'quibblewompus');
    await aliceReceives(3, 'snorkelfrumpy');
    const before = smtp.delivered;
    await aliceMoves('quibblewompus', 'INBOX', 'Junk');
    await aliceMoves('snorkelfrumpy', 'INBOX', 'Junk');
    await waitFor('two spam reports', () => smtp.delivered === before + 2, dovecot.log);
    const snapshot = async (): Promise<unknown> => ({
      inbox: await listFolder(dovecot.port, 'INBOX'),
      processed: await listFolder(dovecot.port, 'processed'),
      rejected: await listFolder(dovecot.port, 'rejected'),
    });
    const was = await snapshot();
    assert.equal((was as { inbox: Listed[] }).inbox.length, 2);

    const proxy = await startProxy({ targetPort: dovecot.port, cutAfterClient: /(?:BODY|BINARY)\.PEEK\[\]/, thenServerBytes: 1500 });
    try {
      const out = join(work, 'cut.dat');
      const r = await train(out, [], proxy.port);
      assert.equal(proxy.cuts, 1, 'the connection was cut');
      assert.equal(r.code, 3, r.stderr);
      assert.match(r.stderr, /IMAP feedback source .*nothing was learned and the mailbox is unchanged/);
      assert.equal(existsSync(out), false, 'no output');
      assert.deepEqual(await snapshot(), was, 'every report where it was, flags unchanged');
    } finally {
      await proxy.close();
    }

    // The next run, with a working connection, learns them.
    const out = join(work, 'after-cut.dat');
    const s = summaryOf(await train(out));
    assert.equal(s.imap.readNew, 2);
    assert.deepEqual(s.imap.learned, { spam: 2, ham: 1 });
    const d = dumpOf(out);
    assert.equal(d.nspam, base.nspam + 2);
    assert.ok((d.tokens.get(tokenKey('quibblewompus'))?.spam ?? 0) >= 1);
  });

  test('a failure while moving (after the dump is written) keeps the dump, warns, and the next run files the reports', async () => {
    await aliceReceives(4, 'plonkwizzlebat');
    const before = smtp.delivered;
    await aliceMoves('plonkwizzlebat', 'INBOX', 'Junk');
    await waitFor('the spam report', () => smtp.delivered === before + 1, dovecot.log);
    const processedBefore = (await listFolder(dovecot.port, 'processed'))!.length;

    // Reading uses EXAMINE only; the move step's first SELECT is where the connection dies.
    const proxy = await startProxy({ targetPort: dovecot.port, cutAfterClient: /\bSELECT\b/, thenServerBytes: 0 });
    let first: ImapTrainSummary & { imap: { moveError?: string } };
    const out = join(work, 'move-cut.dat');
    try {
      first = summaryOf(await train(out, [], proxy.port)) as typeof first;
      assert.equal(proxy.cuts, 1);
    } finally {
      await proxy.close();
    }
    assert.ok(existsSync(out), 'the dump is written');
    assert.equal(dumpOf(out).nspam, base.nspam + 3);
    assert.match(first.imap.moveError ?? '', /moving the reports failed after the dump was written/);
    assert.ok(first.warnings.some((w) => /next run reads them again/.test(w)));
    assert.equal((await listFolder(dovecot.port, 'INBOX'))!.length, 1, 'the new report is still in the mailbox');

    const again = join(work, 'move-again.dat');
    const s = summaryOf(await train(again));
    assert.equal(readFileSync(again, 'utf8'), readFileSync(out, 'utf8'), 'learned once: the same dump');
    assert.deepEqual(s.imap.moved, { processed: 1, rejected: 0 });
    assert.equal((await listFolder(dovecot.port, 'processed'))!.length, processedBefore + 1);
    assert.deepEqual(await listFolder(dovecot.port, 'INBOX'), []);
  });
});
