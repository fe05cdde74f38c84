import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { decryptVerify, signEncrypt } from '../src/report/pgp.js';
import { ReportError } from '../src/report/errors.js';
import { SaTrainError } from '../src/errors.js';
import { GPG, NO_GPG, hasGpg, makeKeys, type Keys } from './fixtures/report/harness.js';

const PASS = 'correct horse battery staple';

describe('gpg sign+encrypt / decrypt+verify', { skip: hasGpg() ? false : NO_GPG }, () => {
  let keys: Keys;
  let locked: Keys;
  before(() => {
    keys = makeKeys();
    locked = makeKeys(PASS);
  });
  after(() => {
    keys?.cleanup();
    locked?.cleanup();
  });

  test('round trip: decrypted bytes equal the input, the signature names the server key', async () => {
    const data = Buffer.from('Subject: x\r\n\r\n\xe9 binary \x00 bytes\r\n', 'latin1');
    const armored = await signEncrypt(data, { gpg: GPG, homedir: keys.serverHome, signKey: keys.serverFpr, recipients: [keys.trainingFpr], timeoutMs: 10000 });
    assert.match(armored.toString('latin1'), /^-----BEGIN PGP MESSAGE-----/);
    assert.ok(!armored.includes('binary'), 'encrypted');
    const d = await decryptVerify(armored, { gpg: GPG, homedir: keys.trainingHome, timeoutMs: 10000 });
    assert.deepEqual(d.plaintext, data);
    assert.ok(d.goodSignature);
    assert.equal(d.signer, keys.serverFpr);
  });

  test('a message encrypted without signature decrypts but is not "good"', async () => {
    const r = spawnSync(GPG, ['--homedir', keys.serverHome, '--batch', '--trust-model', 'always', '-a', '-e', '-r', keys.trainingFpr], { input: 'hello' });
    const d = await decryptVerify(r.stdout, { gpg: GPG, homedir: keys.trainingHome, timeoutMs: 10000 });
    assert.equal(d.plaintext.toString(), 'hello');
    assert.equal(d.goodSignature, false);
    assert.equal(d.signer, null);
  });

  test('the server cannot decrypt its own reports (no training secret key there)', async () => {
    const armored = await signEncrypt(Buffer.from('x'), { gpg: GPG, homedir: keys.serverHome, signKey: keys.serverFpr, recipients: [keys.trainingFpr], timeoutMs: 10000 });
    await assert.rejects(decryptVerify(armored, { gpg: GPG, homedir: keys.serverHome, timeoutMs: 10000 }), (e: unknown) => e instanceof SaTrainError && e.code === 'DECRYPT_FAILED');
  });

  test('a passphrase-protected signing key works with the passphrase on fd 3, and fails clearly without it', async () => {
    const o = { gpg: GPG, homedir: locked.serverHome, signKey: locked.serverFpr, recipients: [locked.trainingFpr], timeoutMs: 10000 };
    const armored = await signEncrypt(Buffer.from('x'), { ...o, passphrase: PASS });
    assert.ok((await decryptVerify(armored, { gpg: GPG, homedir: locked.trainingHome, timeoutMs: 10000 })).goodSignature);
    // forget the cached passphrase, then try without / with a wrong one
    spawnSync('gpgconf', ['--homedir', locked.serverHome, '--kill', 'gpg-agent']);
    await assert.rejects(signEncrypt(Buffer.from('x'), o), (e: unknown) => e instanceof ReportError && e.failure === 'config' && /needs a passphrase|passphrase/.test(e.message));
    spawnSync('gpgconf', ['--homedir', locked.serverHome, '--kill', 'gpg-agent']);
    await assert.rejects(signEncrypt(Buffer.from('x'), { ...o, passphrase: 'wrong' }), (e: unknown) => e instanceof ReportError && e.failure === 'config' && /passphrase/.test(e.message));
  });

  test('no recipients, a missing gpg binary: config errors', async () => {
    const o = { gpg: GPG, homedir: keys.serverHome, signKey: keys.serverFpr, recipients: [], timeoutMs: 10000 };
    await assert.rejects(signEncrypt(Buffer.from('x'), o), /no training key to encrypt to/);
    await assert.rejects(signEncrypt(Buffer.from('x'), { ...o, recipients: [keys.trainingFpr], gpg: '/nonexistent/gpg' }), (e: unknown) => e instanceof ReportError && e.code === 'ENGINE_MISSING');
  });
});
