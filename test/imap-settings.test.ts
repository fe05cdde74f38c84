// --imap URL, --imap-config and the flags: TLS unless plaintext is asked for, no password in argv.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseImapUrl, resolveImapSettings, describeImap, parseImapConfig } from '../src/sources/imap/settings.js';
import { SaTrainError } from '../src/errors.js';
import { tempDir } from './helpers/env.js';

const FPR = '0123456789ABCDEF0123456789ABCDEF01234567';
const dir = tempDir('sa-train-imap-settings-');
const pw = join(dir, 'pw');
writeFileSync(pw, 'sekrit\nignored second line\n', { mode: 0o600 });
after(() => rmSync(dir, { recursive: true, force: true }));
const badArg = (re: RegExp) => (e: unknown): boolean => e instanceof SaTrainError && e.code === 'BAD_ARGUMENT' && re.test(e.message);

test('URL: imaps is implicit TLS on 993; mailbox and user decoded; a password is refused', () => {
  assert.deepEqual(parseImapUrl('imaps://fb%40train.test@imap.example:1993/Feedback%20Box'), { tls: 'implicit', host: 'imap.example', port: 1993, user: 'fb@train.test', mailbox: 'Feedback Box' });
  assert.throws(() => parseImapUrl('imaps://fb:secret@imap.example/INBOX'), badArg(/no password in the URL/));
  assert.throws(() => parseImapUrl('https://imap.example/'), badArg(/imaps:\/\/ or imap:\/\//));
  const { settings } = resolveImapSettings({ url: 'imaps://fb@imap.example/Feedback', passwordFile: pw, insecure: false });
  assert.equal(settings.tls, 'implicit');
  assert.equal(settings.port, 993);
  assert.equal(settings.password, 'sekrit', 'first line of the file');
  assert.equal(settings.mailbox, 'Feedback');
  assert.equal(settings.processedFolder, 'processed');
  assert.equal(settings.rejectedFolder, 'rejected');
  assert.equal(describeImap(settings), 'imaps://fb@imap.example/Feedback');
});

test('imap:// means STARTTLS (required); plaintext only with --imap-insecure', () => {
  assert.equal(resolveImapSettings({ url: 'imap://fb@h/INBOX', passwordFile: pw, insecure: false }).settings.tls, 'starttls');
  const s = resolveImapSettings({ url: 'imap://fb@127.0.0.1:1143/INBOX', passwordFile: pw, insecure: true }).settings;
  assert.equal(s.tls, 'none');
  assert.equal(s.port, 1143);
  assert.throws(() => resolveImapSettings({ url: 'imaps://fb@h/INBOX', passwordFile: pw, insecure: true }), badArg(/goes with an imap:\/\/ URL/));
});

test('password from an environment variable, removed from the environment once read; none at all is an error', () => {
  process.env.SA_TRAIN_TEST_IMAP_PW = 'from-env';
  const s = resolveImapSettings({ url: 'imaps://fb@h/INBOX', passwordEnv: 'SA_TRAIN_TEST_IMAP_PW', insecure: false }).settings;
  assert.equal(s.password, 'from-env');
  assert.equal(process.env.SA_TRAIN_TEST_IMAP_PW, undefined);
  assert.throws(() => resolveImapSettings({ url: 'imaps://fb@h/INBOX', insecure: false }), badArg(/password is missing/));
  assert.throws(() => resolveImapSettings({ url: 'imaps://fb@h/INBOX', passwordEnv: 'SA_TRAIN_TEST_IMAP_UNSET', insecure: false }), badArg(/not set or empty/));
});

test('config file: [imap] section, list of signers, folders; the URL and flags win', () => {
  const conf = join(dir, 'train.conf');
  writeFileSync(
    conf,
    `# sa-train\n[other]\nwhatever = 1\n[imap]\nhost = imap.train.test\nuser = feedback\npassword_file = ${pw}\nmailbox = Reports\n` +
      `signer = ${FPR}\nsigner = ${FPR.toLowerCase().replace(/(.{4})/g, '$1 ')}\nsigner = ${'F'.repeat(40)}\nprocessed_folder = Reports/done\nrejected_folder = Reports/bad\ntls = starttls\nport = 1143\n`,
  );
  const s = resolveImapSettings({ config: conf, insecure: false }).settings;
  assert.equal(s.host, 'imap.train.test');
  assert.equal(s.tls, 'starttls');
  assert.equal(s.port, 1143);
  assert.equal(s.mailbox, 'Reports');
  assert.deepEqual(s.signers, [FPR, 'F'.repeat(40)], 'normalized and deduplicated');
  assert.equal(s.processedFolder, 'Reports/done');
  assert.equal(s.rejectedFolder, 'Reports/bad');
  const o = resolveImapSettings({ config: conf, url: 'imaps://other@imap2.test/Inbox2', insecure: false, processedFolder: 'Done' }).settings;
  assert.equal(o.host, 'imap2.test');
  assert.equal(o.user, 'other');
  assert.equal(o.mailbox, 'Inbox2');
  assert.equal(o.tls, 'implicit');
  assert.equal(o.processedFolder, 'Done');
  assert.throws(() => parseImapConfig('[imap]\nhots = x\n', conf), badArg(/unknown key "hots"/));
  assert.throws(() => parseImapConfig('host = a\nhost = b\n', conf), badArg(/host is set twice/));
  writeFileSync(conf, `host = h\nuser = u\npassword_file = ${pw}\nprocessed_folder = INBOX\n`);
  assert.throws(() => resolveImapSettings({ config: conf, insecure: false }), badArg(/must differ/));
});
