// sa-train encrypt: encrypt a plaintext training set in place with GnuPG. Each *.mbox and *.eml file
// directly in DIR/ham and DIR/spam gets an encrypted copy beside it (*.mbox.gpg, *.eml.gpg), written to a
// hidden temporary file, fsynced, verified by decrypting it and comparing its SHA-256 with the original,
// then renamed into place; with --remove the plaintext is deleted only after that verification.
// Maildir folders and directories of one-message files are left as they are and reported: the training
// set reader takes encrypted files only directly inside ham/ and spam/ (see docs/encryption.md).
import { parseArgs } from 'node:util';
import { createReadStream, openSync, fsyncSync, closeSync, unlinkSync } from 'node:fs';
import { readdir, stat, rename, unlink, chmod, open } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join, dirname, resolve } from 'node:path';
import { SaTrainError } from '../errors.js';
import { classifyEntry } from '../sources/training-set.js';
import { findGpg, loadPassphrase, startDecrypt, startGpg, decryptionOk, explainFailure, type GpgOptions } from '../sources/gpg.js';
import { tempPathFor } from './atomic-write.js';

export const ENCRYPT_HELP = `Usage: sa-train encrypt --recipient KEY [options] DIR

Encrypt the training set in DIR in place with GnuPG: every *.mbox and *.eml file directly in DIR/ham
and DIR/spam gets an encrypted copy beside it (*.mbox.gpg, *.eml.gpg), which 'sa-train train' decrypts
only while it learns. Each copy is written atomically and verified by decrypting it and comparing it
with the original (this needs the secret key here). Maildir folders and directories of one-message
files are not encrypted; they are reported (see docs/encryption.md).

Options:
  --recipient KEY      encrypt to this key (fingerprint, key id or user id); repeat it to encrypt to
                       several keys, any one of which can decrypt (required)
  --remove             delete each plaintext file once its encrypted copy is verified
  --passphrase-file F  passphrase of the secret key used for verification: first line of F
  --passphrase-env NAME  the same, from environment variable NAME
  --quiet              no per-file lines (errors still go to stderr)
  --json               print a JSON summary on stdout
  -h, --help           this help

Exit status: 0 success, 2 bad arguments, 3 no ham/ or spam/ in DIR or gpg missing, 5 some file could
not be encrypted or verified (its plaintext is kept; nothing is removed unverified).
`;

export type EncryptStatus = 'encrypted' | 'already-encrypted' | 'unverified' | 'failed' | 'left-plaintext';

export interface EncryptResult {
  path: string;
  output?: string;
  status: EncryptStatus;
  removed: boolean;
  message?: string;
}

export interface EncryptSummary {
  dir: string;
  recipients: string[];
  results: EncryptResult[];
  warnings: string[];
}

/** INV_RECP reason codes (GnuPG doc/DETAILS) worth a specific word. */
const INV_RECP_REASONS: Record<string, string> = {
  '1': 'no such key',
  '2': 'ambiguous: give a fingerprint',
  '3': 'the key cannot encrypt',
  '4': 'the key is revoked',
  '5': 'the key has expired',
  '10': 'the key is not trusted: certify it (gpg --lsign-key KEY)',
  '13': 'the key is disabled',
};

async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const c of createReadStream(path)) h.update(c as Buffer);
  return h.digest('hex');
}

function fsyncPath(p: string): void {
  try {
    const fd = openSync(p, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    /* some file systems refuse fsync on directories; renames stay atomic */
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

type Verdict = { ok: true } | { ok: false; canRetryElsewhere: boolean; message: string };

/** Decrypt `file` and compare its plaintext digest with `digest`. */
async function verifyCopy(file: string, digest: string, o: GpgOptions): Promise<Verdict> {
  const p = startDecrypt(file, o);
  const h = createHash('sha256');
  try {
    for await (const c of p.plaintext as AsyncIterable<Buffer>) h.update(c);
  } finally {
    p.dispose();
  }
  const out = await p.done;
  if (out.spawnError || out.aborted) throw new SaTrainError(out.aborted ? 'INTERRUPTED' : 'DECRYPT_FAILED', out.aborted ? 'interrupted' : `cannot run gpg: ${out.spawnError!.message}`);
  if (!decryptionOk(out)) {
    const { reason, detail } = explainFailure(out);
    return { ok: false, canRetryElsewhere: reason === 'no-secret-key' || reason === 'key-unusable' || reason === 'bad-passphrase', message: `cannot verify: ${detail}` };
  }
  if (h.digest('hex') !== digest) return { ok: false, canRetryElsewhere: false, message: 'the encrypted copy does not decrypt to the original' };
  return { ok: true };
}

export async function encrypt(argv: string[], io: { stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream }): Promise<EncryptSummary | null> {
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: {
      recipient: { type: 'string', multiple: true },
      remove: { type: 'boolean', default: false },
      'passphrase-file': { type: 'string' },
      'passphrase-env': { type: 'string' },
      quiet: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout.write(ENCRYPT_HELP);
    return null;
  }
  const recipients = values.recipient ?? [];
  if (!recipients.length) throw new SaTrainError('BAD_ARGUMENT', '--recipient KEY is required (see sa-train encrypt --help)');
  if (positionals.length !== 1) throw new SaTrainError('BAD_ARGUMENT', 'give exactly one training set directory (see sa-train encrypt --help)');
  const dir = resolve(positionals[0]!);
  const quiet = values.quiet || values.json;
  const warnings: string[] = [];
  const warn = (w: string): void => {
    warnings.push(w);
    if (!values.json) io.stderr.write(`sa-train: warning: ${w}\n`);
  };
  const classDirs: string[] = [];
  for (const cls of ['ham', 'spam']) {
    try {
      if ((await stat(join(dir, cls))).isDirectory()) classDirs.push(join(dir, cls));
    } catch {
      /* absent */
    }
  }
  if (!classDirs.length) throw new SaTrainError('CLASS_MISSING', `${dir} holds neither ham/ nor spam/: not a training set`, { file: dir });
  const gpg = await findGpg();
  const pass = await loadPassphrase({ file: values['passphrase-file'], envName: values['passphrase-env'] });
  for (const w of pass.warnings) warn(w);

  const ac = new AbortController();
  const onSignal = (): void => ac.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const temps = new Set<string>();
  const onExit = (): void => {
    for (const t of temps) {
      try {
        unlinkSync(t);
      } catch {
        /* gone */
      }
    }
  };
  process.on('exit', onExit);
  const gpgOpts: GpgOptions = { gpg, passphrase: pass.passphrase, signal: ac.signal };
  const results: EncryptResult[] = [];
  const say = (r: EncryptResult): void => {
    results.push(r);
    if (r.status === 'failed') io.stderr.write(`sa-train: ${r.path}: ${r.message} (plaintext kept)\n`);
    else if (r.status === 'left-plaintext' || r.status === 'unverified') warn(`${r.path}: ${r.message}`);
    else if (!quiet) io.stderr.write(`sa-train: ${r.status === 'encrypted' ? 'encrypted' : 'already encrypted'} ${r.path} -> ${r.output}${r.removed ? ' (verified, plaintext removed)' : ' (verified)'}\n`);
  };
  try {
    for (const cdir of classDirs) {
      const names = (await readdir(cdir)).filter((n) => !n.startsWith('.')).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
      for (const name of names) {
        if (ac.signal.aborted) throw new SaTrainError('INTERRUPTED', 'interrupted');
        const path = join(cdir, name);
        const e = await classifyEntry(path, name);
        if (!('kind' in e)) continue; // not training data: left alone, as train ignores it
        if (e.kind === 'maildir' || e.kind === 'dir') {
          say({ path, status: 'left-plaintext', removed: false, message: `${e.kind === 'maildir' ? 'Maildir folder' : 'message directory'} not encrypted: move its messages to *.eml files (or an mbox) directly in ${cdir} first` });
          continue;
        }
        if (e.kind !== 'mbox' && e.kind !== 'file') continue; // already encrypted
        say(await encryptOne(path, recipients, values.remove, gpgOpts, temps));
      }
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    onExit();
    process.off('exit', onExit);
  }
  if (ac.signal.aborted) throw new SaTrainError('INTERRUPTED', 'interrupted');
  const summary: EncryptSummary = { dir, recipients, results, warnings };
  if (values.json) io.stdout.write(JSON.stringify(summary, null, 2) + '\n');
  const failed = results.filter((r) => r.status === 'failed' || (values.remove && r.status === 'unverified'));
  if (failed.length) {
    throw new SaTrainError('OUTPUT_FAILED', `${failed.length} of ${results.length} file(s) could not be encrypted${values.remove ? ', verified and removed' : ' and verified'}; their plaintext is kept`);
  }
  return summary;
}

async function encryptOne(path: string, recipients: string[], remove: boolean, o: GpgOptions, temps: Set<string>): Promise<EncryptResult> {
  const output = `${path}.gpg`;
  const st = await stat(path);
  const digest = await sha256File(path);
  const finish = async (status: EncryptStatus): Promise<EncryptResult> => {
    if (!remove) return { path, output, status, removed: false };
    await unlink(path);
    fsyncPath(dirname(path));
    return { path, output, status, removed: true };
  };
  if (await exists(output)) {
    // A copy from an earlier run (perhaps interrupted before --remove): keep it only if it is right.
    const v = await verifyCopy(output, digest, o);
    if (v.ok) return finish('already-encrypted');
    if (v.canRetryElsewhere) return { path, output, status: 'unverified', removed: false, message: `${output} exists; ${v.message}` };
    return { path, output, status: 'failed', removed: false, message: `${output} already exists and ${v.message.replace(/^cannot verify: /, 'cannot be used: ')}: move it away` };
  }
  const tmp = tempPathFor(output);
  temps.add(tmp);
  try {
    const p = startGpg(['--auto-key-locate', 'local', '--yes', '--output', tmp, '--encrypt', ...recipients.flatMap((r) => ['--recipient', r]), '--', path], { gpg: o.gpg, signal: o.signal });
    try {
      for await (const _ of p.plaintext) {
        /* gpg writes to --output; stdout stays empty */
      }
    } finally {
      p.dispose();
    }
    const out = await p.done;
    if (out.aborted) throw new SaTrainError('INTERRUPTED', 'interrupted');
    if (out.spawnError) throw new SaTrainError('DECRYPT_FAILED', `cannot run ${o.gpg}: ${out.spawnError.message}`);
    const inv = out.status.find((l) => l.startsWith('INV_RECP '));
    if (inv) {
      const [, code, who] = inv.split(' ');
      const why = out.stderr.split('\n').map((l) => l.trim()).find((l) => l.includes('skipped:'));
      throw new SaTrainError('BAD_ARGUMENT', `--recipient ${who ?? ''}: ${INV_RECP_REASONS[code ?? ''] ?? 'the key is not usable for encryption'}${why ? ` (${why})` : ''}`);
    }
    if (out.exitCode !== 0 || !out.status.some((l) => l.startsWith('END_ENCRYPTION'))) {
      const last = out.stderr.trim().split('\n').pop() ?? '';
      return { path, status: 'failed', removed: false, message: `gpg could not encrypt it (exit ${out.exitCode ?? out.signal})${last ? `: ${last}` : ''}` };
    }
    const fh = await open(tmp, 'r+');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
    await chmod(tmp, st.mode & 0o777);
    const v = await verifyCopy(tmp, digest, o);
    if (!v.ok && !v.canRetryElsewhere) return { path, status: 'failed', removed: false, message: v.message };
    await rename(tmp, output);
    temps.delete(tmp);
    fsyncPath(dirname(output));
    if (!v.ok) return { path, output, status: 'unverified', removed: false, message: `encrypted but ${v.message}; the plaintext is kept (run again with the secret key to verify${remove ? ' and remove it' : ''})` };
    return await finish('encrypted');
  } finally {
    if (temps.delete(tmp)) await unlink(tmp).catch(() => undefined);
  }
}
