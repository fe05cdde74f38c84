import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addressesFromFile, parseConfig } from '../src/report/config.js';
import { parseReportArgs } from '../src/report/args.js';
import { identityOf } from '../src/report/addresses.js';
import { ReportError } from '../src/report/errors.js';
import { REPO, tempDir } from './fixtures/report/harness.js';

const MIN = 'feedback_address = fb@train.test\ngnupg_home = /etc/g\nsign_key = ABC\nencrypt_to = DEF\n';

test('the example config parses, with the documented values', () => {
  const file = join(REPO, 'examples', 'sa-report.conf');
  const c = parseConfig(readFileSync(file, 'utf8'), file);
  assert.equal(c.feedbackAddress, 'spam-feedback@train.example.org');
  assert.equal(c.fromAddress, 'sa-report@mx1.example.org');
  assert.equal(c.transport, 'smtp');
  assert.deepEqual(c.smtp.security, 'starttls');
  assert.equal(c.smtp.port, 587);
  assert.equal(c.smtp.passwordFile, '/etc/sa-train/smtp.pass');
  assert.deepEqual(c.localDomains, ['example.org', 'example.net']);
  assert.deepEqual(c.encryptTo, ['89ABCDEF0123456789ABCDEF0123456789ABCDEF']);
  assert.equal(c.maxMessageSize, 4 * 1024 * 1024);
  assert.equal(c.timeBudgetMs, 7000);
});

test('defaults, list keys and port by security', () => {
  const c = parseConfig(`${MIN}encrypt_to = GHI JKL\nsmtp_security = tls\nserver_name = mx9.test\n`, 'x.conf');
  assert.deepEqual(c.encryptTo, ['DEF', 'GHI', 'JKL']);
  assert.equal(c.smtp.port, 465);
  assert.equal(c.fromAddress, 'sa-report@mx9.test');
  assert.equal(c.spoolDir, '/var/spool/sa-report');
  assert.equal(c.recipientDelimiter, '+');
  assert.equal(parseConfig(`${MIN}smtp_security = none\n`, 'x').smtp.port, 25);
});

test('mistakes are config errors naming the line', () => {
  const bad: [string, RegExp][] = [
    [`${MIN}smtp_hots = a\n`, /unknown key "smtp_hots" \(x\.conf, line 5\)/],
    [`${MIN}this is not a setting\n`, /cannot read this line .*line 5/],
    [`${MIN}sign_key = X\n`, /sign_key is set twice/],
    ['gnupg_home = /g\nsign_key = A\nencrypt_to = B\n', /feedback_address is missing/],
    [`${MIN}transport = carrier-pigeon\n`, /transport must be smtp or sendmail/],
    [`${MIN}smtp_port = 0x19\n`, /smtp_port must be a whole number/],
    [`${MIN}spool_dir = spool\n`, /spool_dir must be an absolute path/],
    [`${MIN}smtp_password = a\nsmtp_password_file = /b\n`, /not both/],
    [MIN.replace('fb@train.test', 'Feedback <fb@train.test>'), /not a plain address/],
  ];
  for (const [text, re] of bad)
    assert.throws(() => parseConfig(text, 'x.conf'), (e: unknown) => e instanceof ReportError && e.failure === 'config' && re.test(e.describe()), String(re));
});

test('the address file adds a user\'s aliases', () => {
  const f = join(tempDir(), 'addresses');
  writeFileSync(f, '# login addresses\nalice@example.org  alice.smith@example.net, a.s@example.com\nbob: bob@example.org\n');
  assert.deepEqual(addressesFromFile(f, 'ALICE@example.org'), ['alice.smith@example.net', 'a.s@example.com']);
  assert.deepEqual(addressesFromFile(f, 'carol'), []);
});

test('identity: a bare login gets the local domains; an address at a local domain gets the others', () => {
  assert.deepEqual(identityOf({ user: 'alice', localDomains: ['example.org', 'example.net'] }).addresses, ['alice@example.net', 'alice@example.org']);
  assert.deepEqual(identityOf({ user: 'Alice@Example.org', localDomains: ['example.org', 'example.net'] }).addresses, ['alice@example.net', 'alice@example.org']);
  assert.deepEqual(identityOf({ user: 'alice@other.test', extra: ['', '<a@b.test>'], localDomains: ['example.org'] }).addresses, ['a@b.test', 'alice@other.test']);
});

test('arguments: the Dovecot contracts', () => {
  // antispam pipe backend: fixed args, then the class
  const a = parseReportArgs(['--user', 'alice', '--config', '/c', '--spam'], {});
  assert.deepEqual([a.mode, a.class, a.user, a.config], ['report', 'spam', 'alice', '/c']);
  // IMAPSieve passes an empty --address when imap.email is unset
  const b = parseReportArgs(['--user', 'bob', '--address', '', '--ham'], { RECIPIENT: 'bob@example.org', USER: 'vmail' });
  assert.deepEqual([b.class, b.user, b.addresses], ['ham', 'bob', ['', 'bob@example.org']]);
  // no --user: Dovecot's USER
  assert.equal(parseReportArgs(['--spam'], { USER: 'carol' }).user, 'carol');
  assert.equal(parseReportArgs(['-u', 'dave', '-c', '/x', '--ham'], {}).user, 'dave');
  assert.equal(parseReportArgs(['--flush'], {}).mode, 'flush');
  for (const [args, re] of [[[], /class is missing/], [['--spam', '--ham'], /not both/], [['--flush', '--spam'], /--flush takes no/], [['extra', '--spam'], /Unexpected argument/]] as const)
    assert.throws(() => parseReportArgs([...args], {}), (e: unknown) => e instanceof ReportError && e.failure === 'usage' && re.test(e.message), String(re));
});
