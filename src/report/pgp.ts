// OpenPGP through the gpg binary: sign with the server's key and encrypt to the training key(s) in one
// OpenPGP message (RFC 3156 6.2), and the reverse for the training side. Keys come from the GNUPGHOME
// named in the config; a passphrase travels on a pipe (--passphrase-fd 3), never in argv or the logs.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { SaTrainError } from '../errors.js';
import { ReportError } from './errors.js';

export interface GpgOptions {
  /** Path of the gpg binary. */
  gpg: string;
  /** The GNUPGHOME holding the keys. */
  homedir: string;
  /** gpg is killed after this long. */
  timeoutMs: number;
  /** Passphrase of the secret key (signing or decryption), if it has one. */
  passphrase?: string | undefined;
}

export interface SignEncryptOptions extends GpgOptions {
  /** Signing key (fingerprint, key id or user id) of this server. */
  signKey: string;
  /** Training keys to encrypt to. */
  recipients: readonly string[];
}

interface GpgRun {
  code: number | null;
  stdout: Buffer;
  /** "[GNUPG:] " status lines, without the prefix. */
  status: string[];
  /** The other stderr lines (gpg's human-readable messages). */
  messages: string[];
}

function runGpg(args: string[], input: Buffer, o: GpgOptions): Promise<GpgRun> {
  if (!existsSync(o.homedir)) throw new ReportError('config', 'BAD_ARGUMENT', `GNUPGHOME ${o.homedir} does not exist`);
  const base = ['--homedir', o.homedir, '--batch', '--no-tty', '--status-fd', '2', '--no-auto-key-retrieve', '--no-auto-key-locate', '--pinentry-mode', 'loopback'];
  if (o.passphrase !== undefined) base.push('--passphrase-fd', '3');
  return new Promise((resolve, reject) => {
    const child = spawn(o.gpg, [...base, ...args], {
      stdio: ['pipe', 'pipe', 'pipe', o.passphrase !== undefined ? 'pipe' : 'ignore'],
      env: { ...process.env, LC_ALL: 'C', LANGUAGE: 'C' },
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, o.timeoutMs);
    child.stdout!.on('data', (b: Buffer) => out.push(b));
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        e.code === 'ENOENT'
          ? new ReportError('config', 'ENGINE_MISSING', `gpg not found at ${o.gpg} (apt-get install gnupg, or set gpg = in the config)`)
          : new ReportError('config', 'ENGINE_FAILED', `cannot run ${o.gpg}: ${e.message}`, undefined, { cause: e }),
      );
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (timedOut) {
        reject(new ReportError('tempfail', 'ENGINE_FAILED', `gpg did not finish within ${o.timeoutMs} ms`));
        return;
      }
      const lines = Buffer.concat(err).toString('utf8').split('\n');
      resolve({
        code,
        stdout: Buffer.concat(out),
        status: lines.filter((l) => l.startsWith('[GNUPG:] ')).map((l) => l.slice(9)),
        messages: lines.filter((l) => l !== '' && !l.startsWith('[GNUPG:] ')),
      });
    });
    // EPIPE when gpg exits early is reported through the exit status.
    child.stdin!.on('error', () => undefined);
    child.stdin!.end(input);
    if (o.passphrase !== undefined) {
      const pf = child.stdio[3] as NodeJS.WritableStream;
      pf.on('error', () => undefined);
      pf.end(`${o.passphrase}\n`);
    }
  });
}

const firstStatus = (r: GpgRun, key: string): string[] | undefined => {
  const l = r.status.find((s) => s === key || s.startsWith(`${key} `));
  return l === undefined ? undefined : l.split(' ').slice(1);
};

// gpg's INV_RECP / INV_SGNR reason codes (doc/DETAILS).
const INVALID_KEY_REASON: Record<string, string> = {
  '0': 'no specific reason given',
  '1': 'not found',
  '2': 'ambiguous specification',
  '3': 'wrong key usage',
  '4': 'key revoked',
  '5': 'key expired',
  '6': 'no CRL known',
  '7': 'CRL too old',
  '8': 'policy mismatch',
  '9': 'not a secret key',
  '10': 'key not trusted',
  '11': 'missing certificate',
  '12': 'missing issuer certificate',
  '13': 'key disabled',
  '14': 'syntax error in specification',
};

/** Sign with the server key and encrypt to the training keys; returns the ASCII-armored message. */
export async function signEncrypt(data: Buffer, o: SignEncryptOptions): Promise<Buffer> {
  if (o.recipients.length === 0) throw new ReportError('config', 'BAD_ARGUMENT', 'no training key to encrypt to (encrypt_to in the config)');
  const args = ['--armor', '--trust-model', 'always', '--local-user', o.signKey, '--sign', '--encrypt'];
  for (const r of o.recipients) args.push('--recipient', r);
  args.push('--output', '-');
  const r = await runGpg(args, data, o);
  if (r.code === 0 && r.stdout.includes('-----BEGIN PGP MESSAGE-----') && firstStatus(r, 'END_ENCRYPTION')) return r.stdout;
  const where = `in GNUPGHOME ${o.homedir}`;
  // gpg's own words ("No public key", "No secret key", "Unusable public key") say more than the code.
  const why = (key: string, code: string | undefined): string => {
    const said = r.messages.map((m) => /^gpg: (?:(.*): skipped|skipped "(.*)"): (.*)$/.exec(m)).find((m) => m && (m[1] ?? m[2]) === key);
    return said ? said[3]! : (INVALID_KEY_REASON[code ?? ''] ?? 'unusable');
  };
  const inv = firstStatus(r, 'INV_RECP');
  if (inv) throw new ReportError('config', 'BAD_ARGUMENT', `training key ${inv[1] ?? ''} cannot be used ${where}: ${why(inv[1] ?? '', inv[0])}`);
  const sgn = firstStatus(r, 'INV_SGNR');
  if (sgn) throw new ReportError('config', 'BAD_ARGUMENT', `signing key ${sgn[1] ?? o.signKey} cannot be used ${where}: ${why(sgn[1] ?? o.signKey, sgn[0])}`);
  if (firstStatus(r, 'NO_SECKEY')) throw new ReportError('config', 'BAD_ARGUMENT', `no secret key for signing key ${o.signKey} ${where}`);
  if (firstStatus(r, 'BAD_PASSPHRASE')) throw new ReportError('config', 'BAD_ARGUMENT', `wrong passphrase for signing key ${o.signKey} (passphrase_file)`);
  if (firstStatus(r, 'MISSING_PASSPHRASE') || r.messages.some((m) => /No passphrase given|Inappropriate ioctl|can't get input/i.test(m)))
    throw new ReportError('config', 'BAD_ARGUMENT', `signing key ${o.signKey} needs a passphrase: set passphrase_file in the config`);
  const last = r.messages.slice(-3).join('; ') || `exit status ${r.code}`;
  throw new ReportError('config', 'ENGINE_FAILED', `gpg could not sign and encrypt: ${last}`);
}

export interface Decrypted {
  plaintext: Buffer;
  /** The plaintext was encrypted (DECRYPTION_OKAY) and integrity-protected. */
  decrypted: boolean;
  /** A good signature (GOODSIG + VALIDSIG) was made. */
  goodSignature: boolean;
  /** Fingerprint of the signing key's primary key (upper-case hex), when the signature is good. */
  signer: string | null;
  /** All status lines, for diagnostics. */
  status: string[];
}

/** Decrypt and verify (training side). Throws DECRYPT_FAILED when the message cannot be decrypted. */
export async function decryptVerify(data: Buffer, o: GpgOptions): Promise<Decrypted> {
  const r = await runGpg(['--decrypt', '--output', '-'], data, o);
  const okay = firstStatus(r, 'DECRYPTION_OKAY') !== undefined && firstStatus(r, 'DECRYPTION_FAILED') === undefined;
  if (!okay) {
    const why = firstStatus(r, 'NO_SECKEY') ? 'no training secret key for it' : r.messages.slice(-2).join('; ') || `exit status ${r.code}`;
    throw new SaTrainError('DECRYPT_FAILED', `cannot decrypt the report: ${why}`);
  }
  const valid = firstStatus(r, 'VALIDSIG');
  const good = firstStatus(r, 'GOODSIG') !== undefined && valid !== undefined && firstStatus(r, 'BADSIG') === undefined;
  return {
    plaintext: r.stdout,
    decrypted: true,
    goodSignature: good,
    signer: good && valid ? (valid[9] ?? valid[0] ?? null) : null,
    status: r.status,
  };
}
