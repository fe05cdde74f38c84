// End to end: the built sa-report binary, real gpg keys, a real SMTP server on 127.0.0.1.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { anonymize } from '../src/report/anonymize.js';
import { identityOf } from '../src/report/addresses.js';
import { parseFeedbackReport, type FeedbackReport } from '../src/report/feedback-report.js';
import { parsePgpMime } from '../src/report/pgp-mime.js';
import { decryptVerify } from '../src/report/pgp.js';
import { openReport } from '../src/report/open.js';
import { SaTrainError } from '../src/errors.js';
import { GPG, NO_GPG, REPO, fixture, freePort, hasGpg, makeKeys, runCli, startSmtp, tempDir, writeConfig, type Keys, type Smtp } from './fixtures/report/harness.js';

const GPG_OK = hasGpg();
const MESSAGE = fixture('spam-multipart.eml');
const USER = 'alice@example.org';
/** Words and addresses that must never appear in anything sent in clear. */
const SECRETS = [/alice/i, /example\.(?:org|net)/i, /xylophonepelican/, /zanzibarquokka/, /platypusmarmalade/, /Parcel/i, /spam\.test/i, /\b(?:spam|ham|abuse|not-spam)\b/i];

async function open(keys: Keys, raw: Buffer): Promise<{ report: FeedbackReport; signer: string | null; good: boolean }> {
  const d = await decryptVerify(parsePgpMime(raw), { gpg: GPG, homedir: keys.trainingHome, timeoutMs: 10000 });
  return { report: parseFeedbackReport(d.plaintext), signer: d.signer, good: d.goodSignature };
}

const spoolFiles = (dir: string): string[] => {
  try {
    return readdirSync(join(dir, 'spool')).filter((f) => f.endsWith('.eml'));
  } catch {
    return [];
  }
};

describe('sa-report end to end', { skip: GPG_OK ? false : NO_GPG }, () => {
  let keys: Keys;
  let smtp: Smtp;
  let dir: string;
  let conf: string;

  before(async () => {
    keys = makeKeys();
    smtp = await startSmtp();
    dir = tempDir();
    conf = writeConfig({ keys, port: smtp.port, dir });
  });
  after(async () => {
    await smtp?.close();
    keys?.cleanup();
  });

  test('a spam report arrives encrypted and signed; inside: class, id, time and the anonymized message; nothing in clear', async () => {
    smtp.messages.length = 0;
    smtp.commands.length = 0;
    const t0 = Date.now();
    const r = await runCli(['--config', conf, '--user', USER, '--spam'], MESSAGE);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assert.ok(r.ms < 8000, `run took ${r.ms} ms (Dovecot allows 10 s)`);
    assert.equal(smtp.messages.length, 1);
    const m = smtp.messages[0]!;
    assert.equal(m.from, 'sa-report@mx.test');
    assert.deepEqual(m.to, ['feedback@train.test']);
    // in clear: PGP/MIME, fixed headers, no trace of the user, the class or the text
    const clear = m.raw.toString('latin1');
    assert.match(clear, /Content-Type: multipart\/encrypted; protocol="application\/pgp-encrypted";/);
    assert.match(clear, /-----BEGIN PGP MESSAGE-----/);
    for (const s of SECRETS) {
      assert.doesNotMatch(clear, s, `${s} in the clear message`);
      assert.doesNotMatch(smtp.commands.join('\n'), s, `${s} in the SMTP envelope`);
    }
    const { report, signer, good } = await open(keys, m.raw);
    assert.ok(good, 'good signature');
    assert.equal(signer, keys.serverFpr);
    assert.equal(report.class, 'spam');
    assert.match(report.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.ok(Math.abs(report.time.getTime() - t0) < 10000, 'time of the move');
    assert.equal(report.reportingMta, 'mx.test');
    const expected = anonymize(MESSAGE.toString('latin1').replace(/^From [^\n]*\n/, ''), identityOf({ user: USER, localDomains: ['example.org', 'example.net'] }));
    assert.equal(report.message.toString('latin1'), expected, 'exactly the anonymized message');
    assert.match(report.message.toString('latin1'), /xylophonepelican/, 'the body is there, inside');
    assert.equal(spoolFiles(dir).length, 0, 'nothing left in the spool');
    // the training side's one-call API
    const opened = await openReport(m.raw, { gpg: GPG, homedir: keys.trainingHome, timeoutMs: 10000, allowedSigners: [keys.serverFpr.toLowerCase()] });
    assert.equal(opened.id, report.id);
    assert.equal(opened.signer, keys.serverFpr);
    await assert.rejects(
      openReport(m.raw, { gpg: GPG, homedir: keys.trainingHome, timeoutMs: 10000, allowedSigners: ['0'.repeat(40)] }),
      (e: unknown) => e instanceof SaTrainError && e.code === 'DECRYPT_FAILED' && /not an allowed server key/.test(e.message),
    );
  });

  test('a ham report (user from $USER, CRLF input without From_ line) has the same outer look', async () => {
    smtp.messages.length = 0;
    const crlf = MESSAGE.toString('latin1').replace(/^From [^\n]*\n/, '').replace(/\n/g, '\r\n');
    const r = await runCli(['--config', conf, '--ham'], Buffer.from(crlf, 'latin1'), { USER: 'alice@example.org' });
    assert.equal(r.code, 0, r.stderr);
    const r2 = await runCli(['--config', conf, '--user', USER, '--spam'], MESSAGE);
    assert.equal(r2.code, 0, r2.stderr);
    assert.equal(smtp.messages.length, 2);
    const ham = smtp.messages[0]!;
    const spam = smtp.messages[1]!;
    const names = (raw: Buffer): string => raw.toString('latin1').split('\r\n\r\n')[0]!.replace(/^([^:\s]+):.*$/gm, '$1').replace(/\r\n[ \t][^\r]*/g, '');
    assert.equal(names(ham.raw), names(spam.raw), 'same header fields');
    const subj = (raw: Buffer): string => /^Subject: (.*)$/m.exec(raw.toString('latin1'))![1]!;
    assert.equal(subj(ham.raw), subj(spam.raw));
    for (const s of SECRETS) assert.doesNotMatch(ham.raw.toString('latin1'), s);
    const { report } = await open(keys, ham.raw);
    assert.equal(report.class, 'ham');
    assert.doesNotMatch(report.message.toString('latin1'), /alice@example\.org/i);
    assert.match(report.message.toString('latin1'), /^Return-Path: <bounce-77@spam\.test>\r\n/, 'CRLF kept');
  });

  test("the examples' Dovecot vsz_limit is room enough: a report is sent under that address-space limit", async () => {
    // Dovecot sets vsz_limit as RLIMIT_AS for the programs IMAPSieve and the antispam plugin pipe to.
    // Node reserves far more address space than it uses, more with each major version (about 0.8G on
    // Node 20, 1.3G on 22, 1.5G on 24), and on Node 22 an ES import of node:http would load undici's
    // WebAssembly, which wants about 10G (see loadNodemailer in src/report/send.ts).
    const limits = ['90-imapsieve.conf', '90-antispam.conf'].map((f) => {
      const m = /^\s*vsz_limit\s*=\s*(\d+)([MG])\s*$/m.exec(readFileSync(join(REPO, 'examples', 'dovecot', f), 'utf8'));
      assert.ok(m, `no vsz_limit in examples/dovecot/${f}`);
      return Number(m[1]) * (m[2] === 'G' ? 1024 * 1024 : 1024);
    });
    assert.equal(limits[0], limits[1], 'both examples set the same limit');
    smtp.messages.length = 0;
    const r = await runCli(['--config', conf, '--user', USER, '--spam'], MESSAGE, {}, { addressSpaceKb: limits[0]! });
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assert.equal(smtp.messages.length, 1);
  });

  test('bad input: empty, binary, too big exit 0 with a message; nothing is sent', async () => {
    smtp.messages.length = 0;
    const small = writeConfig({ keys, port: smtp.port, dir: tempDir(), extra: { max_message_size: '2000' } });
    const cases: [string, Buffer, RegExp][] = [
      ['empty', Buffer.alloc(0), /empty message on stdin; nothing reported/],
      ['blank', Buffer.from('\r\n\r\n'), /empty message on stdin/],
      ['binary', Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), randomBytes(1500)]), /not a mail message; nothing reported/],
      ['nul header', Buffer.from('Subject: a\0b\n\nbody\n', 'latin1'), /NUL bytes in the header section/],
      ['too big', Buffer.concat([Buffer.from('Subject: big\n\n'), Buffer.alloc(5000, 'a')]), /message of 5014 bytes is over max_message_size \(2000 bytes\); nothing reported/],
    ];
    for (const [what, input, msg] of cases) {
      const r = await runCli(['--config', small, '--user', USER, '--spam'], input);
      assert.equal(r.code, 0, `${what}: ${r.stderr}`);
      assert.match(r.stderr, msg, what);
    }
    assert.equal(smtp.messages.length, 0);
  });

  test('configuration problems exit non-zero with a clear message (or 0 with --no-fail)', async () => {
    const d = tempDir();
    const cases: [string, string[], number, RegExp][] = [
      ['no class', ['--config', conf, '--user', USER], 64, /the class is missing/],
      ['both classes', ['--config', conf, '--spam', '--ham'], 64, /either --spam or --ham/],
      ['unknown option', ['--config', conf, '--bogus', '--spam'], 64, /Unknown option '--bogus'/],
      ['no config', ['--config', join(d, 'nope.conf'), '--spam'], 78, /config file .*nope\.conf does not exist/],
      ['unknown training key', ['--config', writeConfig({ keys, port: smtp.port, dir: tempDir(), extra: { encrypt_to: '0123456789ABCDEF0123456789ABCDEF01234567' } }), '--spam'], 78, /training key 0123456789ABCDEF0123456789ABCDEF01234567 cannot be used in GNUPGHOME .*: No public key/],
      ['unknown signing key', ['--config', writeConfig({ keys, port: smtp.port, dir: tempDir(), extra: { sign_key: 'nobody@nowhere.test' } }), '--spam'], 78, /signing key nobody@nowhere\.test cannot be used in GNUPGHOME .*: No secret key/],
      ['no GNUPGHOME', ['--config', writeConfig({ keys, port: smtp.port, dir: tempDir(), extra: { gnupg_home: join(d, 'gone') } }), '--spam'], 78, /GNUPGHOME .*gone does not exist/],
    ];
    for (const [what, args, code, msg] of cases) {
      const r = await runCli(args, MESSAGE);
      assert.equal(r.code, code, `${what}: ${r.stderr}`);
      assert.match(r.stderr, msg, what);
      assert.equal(r.stderr.trim().split('\n').length, 1, `${what}: one line`);
    }
    const r = await runCli(['--config', join(d, 'nope.conf'), '--no-fail', '--spam'], MESSAGE);
    assert.equal(r.code, 0);
    assert.match(r.stderr, /does not exist/);
  });

  test('a message the server refuses for good goes to spool/failed and does not block the others', async () => {
    const bad = await startSmtp({ rejectData: 554 });
    const d = tempDir();
    const c = writeConfig({ keys, port: bad.port, dir: d });
    try {
      const r = await runCli(['--config', c, '--user', USER, '--spam'], MESSAGE);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /refused for good, moved to .*failed/);
      assert.equal(readdirSync(join(d, 'spool', 'failed')).length, 1);
      assert.equal(spoolFiles(d).length, 0);
    } finally {
      await bad.close();
    }
  });
});

describe('SMTP down: spool, then deliver everything exactly once', { skip: GPG_OK ? false : NO_GPG }, () => {
  let keys: Keys;
  before(() => {
    keys = makeKeys();
  });
  after(() => keys?.cleanup());

  test('reports made while SMTP is down are spooled (0600) and the next run delivers all of them, in order, once', async () => {
    const port = await freePort();
    const dir = tempDir();
    const conf = writeConfig({ keys, port, dir });
    for (let i = 0; i < 3; i++) {
      const r = await runCli(['--config', conf, '--user', USER, i % 2 ? '--ham' : '--spam'], MESSAGE);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, new RegExp(`delivery failed, ${i + 1} report\\(s\\) kept in .*spool for the next run: SMTP 127\\.0\\.0\\.1:${port}: connect ECONNREFUSED`));
      assert.doesNotMatch(r.stderr, /alice/i, 'no user data in the log');
    }
    const files = spoolFiles(dir).sort();
    assert.equal(files.length, 3);
    for (const f of files) assert.equal(statSync(join(dir, 'spool', f)).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, 'spool')).mode & 0o777, 0o700);
    const smtp = await startSmtp({ port });
    try {
      const r = await runCli(['--config', conf, '--user', USER, '--ham'], MESSAGE);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, '');
      assert.equal(smtp.messages.length, 4);
      const ids = [];
      for (const m of smtp.messages) ids.push((await open(keys, m.raw)).report.id);
      assert.equal(new Set(ids).size, 4, 'no duplicate');
      assert.deepEqual(ids.slice(0, 3), files.map((f) => f.slice(14, -4)), 'spooled ones first, oldest first');
      assert.equal(spoolFiles(dir).length, 0);
      const f = await runCli(['--config', conf, '--flush'], '');
      assert.equal(f.code, 0, f.stderr);
      assert.equal(smtp.messages.length, 4, 'a flush of an empty spool sends nothing');
    } finally {
      await smtp.close();
    }
  });

  test('three concurrent --flush runs deliver each spooled report exactly once', async () => {
    const port = await freePort();
    const dir = tempDir();
    const conf = writeConfig({ keys, port, dir });
    for (let i = 0; i < 6; i++) assert.equal((await runCli(['--config', conf, '--user', USER, '--spam'], MESSAGE)).code, 0);
    assert.equal(spoolFiles(dir).length, 6);
    const down = await runCli(['--config', conf, '--flush'], '');
    assert.equal(down.code, 75, '--flush says when reports remain');
    assert.match(down.stderr, /0 report\(s\) delivered, 6 left/);
    const smtp = await startSmtp({ port });
    try {
      const rs = await Promise.all([0, 1, 2].map(() => runCli(['--config', conf, '--flush'], '')));
      for (const r of rs) assert.equal(r.code, 0, r.stderr);
      assert.equal(smtp.messages.length, 6);
      const ids = new Set<string>();
      for (const m of smtp.messages) ids.add((await open(keys, m.raw)).report.id);
      assert.equal(ids.size, 6);
      assert.equal(readdirSync(join(dir, 'spool')).length, 0, 'no claim or temporary file left');
    } finally {
      await smtp.close();
    }
  });

  test('STARTTLS with a login from the config file; a wrong password keeps the report in the spool', async () => {
    const smtp = await startSmtp({ auth: { user: 'mx', pass: 's3cret pass' } });
    const dir = tempDir();
    const pwFile = join(dir, 'smtp.pw');
    writeFileSync(pwFile, 's3cret pass\n', { mode: 0o600 });
    const tls = { smtp_security: 'starttls', smtp_tls_verify: 'no', smtp_user: 'mx', smtp_password_file: pwFile };
    try {
      const conf = writeConfig({ keys, port: smtp.port, dir, extra: tls });
      const r = await runCli(['--config', conf, '--user', USER, '--spam'], MESSAGE);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(smtp.messages.length, 1);
      assert.equal(smtp.messages[0]!.user, 'mx');
      const dir2 = tempDir();
      const wrong = writeConfig({ keys, port: smtp.port, dir: dir2, extra: { ...tls, smtp_password_file: '', smtp_password: 'nope' } });
      const r2 = await runCli(['--config', wrong, '--user', USER, '--spam'], MESSAGE);
      assert.equal(r2.code, 0);
      assert.match(r2.stderr, /delivery failed.*Invalid (login|username)/i);
      assert.equal(spoolFiles(dir2).length, 1);
    } finally {
      await smtp.close();
    }
  });

  test('a silent SMTP server (accepts, never greets): the run ends well inside 10 s, the report is spooled', async () => {
    const sockets: import('node:net').Socket[] = [];
    const silent = createServer((sock) => sockets.push(sock));
    await new Promise<void>((res) => silent.listen(0, '127.0.0.1', () => res()));
    const port = (silent.address() as { port: number }).port;
    const dir = tempDir();
    try {
      const r = await runCli(['--config', writeConfig({ keys, port, dir }), '--user', USER, '--spam'], MESSAGE);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(r.ms < 8000, `took ${r.ms} ms`);
      assert.match(r.stderr, /delivery failed, 1 report\(s\) kept/);
      assert.equal(spoolFiles(dir).length, 1);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((res) => silent.close(() => res()));
    }
  });

  test('transport = sendmail: the report goes to "sendmail -i -f FROM -- TO" on stdin; a failing sendmail spools', async () => {
    const dir = tempDir();
    const fake = join(dir, 'sendmail');
    writeFileSync(fake, `#!/bin/sh\nprintf '%s\\n' "$@" > ${dir}/argv\ncat > ${dir}/mail\nexit \${FAKE_EXIT:-0}\n`);
    chmodSync(fake, 0o755);
    const conf = writeConfig({ keys, port: 1, dir, extra: { transport: 'sendmail', sendmail: fake } });
    const r = await runCli(['--config', conf, '--user', USER, '--ham'], MESSAGE);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(join(dir, 'argv'), 'utf8'), '-i\n-f\nsa-report@mx.test\n--\nfeedback@train.test\n');
    const { report, good } = await open(keys, readFileSync(join(dir, 'mail')));
    assert.ok(good);
    assert.equal(report.class, 'ham');
    const r2 = await runCli(['--config', conf, '--user', USER, '--spam'], MESSAGE, { FAKE_EXIT: '75' });
    assert.equal(r2.code, 0);
    assert.match(r2.stderr, /exit status 75/);
    assert.equal(spoolFiles(dir).length, 1);
  });
});
