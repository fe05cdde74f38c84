// Encrypted training data: OpenPGP sources (*.mbox.gpg, *.eml.gpg, .asc) decrypted by the operator's
// GnuPG (`gpg --batch --decrypt`, honouring GNUPGHOME and gpg-agent). The plaintext is read from gpg's
// stdout and never written to disk by this module. An unattended passphrase reaches gpg on a pipe
// (--passphrase-fd with --pinentry-mode loopback), never in argv, the environment of gpg, logs or errors.
//
// Integrity: gpg streams plaintext before it has checked the MDC/AEAD tag, so what it wrote is only
// vouched for once it exits 0 with DECRYPTION_OKAY and GOODMDC (or AEAD) and no BADMDC/DECRYPTION_FAILED
// on --status-fd. The readers below never let unvouched plaintext into a written dump:
//  - default: messages are streamed straight into the mbox splitter; gpg's verdict is taken when its
//    output ends, before the iterator completes. A bad file throws, the engine's learn() rejects, and
//    no dump is ever serialised or written (the run fails as a whole, which is the default policy).
//  - --skip-bad-sources: a bad file must be dropped, not fail the run, so nothing from a file is
//    yielded before gpg has vouched for it. Its plaintext is held in memory up to VERIFY_BUFFER_BYTES;
//    a larger file is decrypted twice: once to verify (plaintext hashed and discarded), once to learn,
//    streamed, its SHA-256 compared with the first pass. A failure in the second pass (the file changed
//    in between) fails the whole run, as it cannot be rolled back. Memory stays bounded either way.
import { spawn } from 'node:child_process';
import { readFile, stat, access } from 'node:fs/promises';
import { constants } from 'node:fs';
import { createHash, type Hash } from 'node:crypto';
import type { Readable, Writable } from 'node:stream';
import { SaTrainError } from '../errors.js';
import { findOnPath } from '../engines/spamassassin/isolation.js';
import { splitMbox, type MboxOptions } from './mbox.js';
import type { SourceEntry } from './training-set.js';
import type { MessageClass, SourceMessage } from './types.js';

/**
 * With --skip-bad-sources, an encrypted mbox's plaintext is held in memory up to this many bytes until
 * gpg has vouched for it; larger files are decrypted twice (verify, then learn) to keep memory bounded.
 */
export const VERIFY_BUFFER_BYTES = 64 * 1024 * 1024;
/** gpg writes a few status lines per file; anything beyond this is not kept. */
const MAX_STATUS_CHARS = 64 * 1024;
/** The tail of gpg's stderr kept for error messages. */
const STDERR_TAIL_CHARS = 4000;
/** File descriptors of the gpg child: the passphrase pipe and the status pipe. */
const PASSPHRASE_FD = 3;
const STATUS_FD = 4;
/** libgpg-error code for a wrong passphrase (GPG_ERR_BAD_PASSPHRASE), in ERROR status lines. */
const GPG_ERR_BAD_PASSPHRASE = 11;
/** libgpg-error code for a missing secret key (GPG_ERR_NO_SECKEY). */
const GPG_ERR_NO_SECKEY = 17;

export type DecryptFailure = 'no-secret-key' | 'bad-passphrase' | 'key-unusable' | 'integrity' | 'not-protected' | 'corrupt';

export interface GpgOptions {
  /** Path of the gpg program (see findGpg). */
  gpg: string;
  /** Unattended passphrase, handed to gpg on a pipe with loopback pinentry. */
  passphrase?: string;
  /** Environment of gpg (default: this process's, so GNUPGHOME, GPG_TTY and the agent apply). */
  env?: NodeJS.ProcessEnv;
  /** Kills gpg (SIGINT/SIGTERM of the run). */
  signal?: AbortSignal;
}

export interface GpgOutcome {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Status lines without the "[GNUPG:] " prefix. */
  status: string[];
  stderr: string;
  spawnError?: NodeJS.ErrnoException;
  aborted: boolean;
}

export interface GpgProcess {
  plaintext: Readable;
  /** Settles once gpg has exited and all its pipes are closed. */
  done: Promise<GpgOutcome>;
  /** Kill gpg if it still runs (consumer gave up). */
  dispose: () => void;
}

const NO_GPG = 'gpg is not installed: encrypted sources need GnuPG (Debian/Ubuntu: apt-get install gnupg), or set SA_TRAIN_GPG to the gpg program';

/** Locate gpg: $SA_TRAIN_GPG, else `gpg` on PATH. Throws DECRYPT_FAILED when absent. */
export async function findGpg(): Promise<string> {
  const override = process.env.SA_TRAIN_GPG;
  const p = override || (await findOnPath('gpg'));
  if (p) {
    try {
      await access(p, constants.X_OK);
      return p;
    } catch {
      /* fall through */
    }
  }
  throw new SaTrainError('DECRYPT_FAILED', NO_GPG);
}

/** Start `gpg --decrypt` on a file. The caller must consume `plaintext` and await `done`. */
export function startDecrypt(path: string, o: GpgOptions): GpgProcess {
  return startGpg(['--decrypt', '--', path], o);
}

/** Run gpg with the common batch options, a status pipe and, if given, the passphrase pipe. */
export function startGpg(command: string[], o: GpgOptions): GpgProcess {
  const withPass = o.passphrase !== undefined;
  const args = ['--batch', '--no-tty', '--status-fd', String(STATUS_FD)];
  if (withPass) args.push('--pinentry-mode', 'loopback', '--passphrase-fd', String(PASSPHRASE_FD));
  args.push(...command);
  const child = spawn(o.gpg, args, {
    env: o.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe', withPass ? 'pipe' : 'ignore', 'pipe'],
  });
  let status = '';
  let stderr = '';
  let aborted = false;
  let spawnError: NodeJS.ErrnoException | undefined;
  const statusPipe = child.stdio[STATUS_FD] as Readable;
  statusPipe.setEncoding('utf8');
  statusPipe.on('data', (d: string) => {
    if (status.length < MAX_STATUS_CHARS) status += d;
  });
  statusPipe.on('error', () => undefined);
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (d: string) => {
    stderr = (stderr + d).slice(-STDERR_TAIL_CHARS);
  });
  if (withPass) {
    const pw = child.stdio[PASSPHRASE_FD] as Writable;
    pw.on('error', () => undefined); // gpg may exit without reading it
    pw.end(`${o.passphrase}\n`);
  }
  const kill = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
  const onAbort = (): void => {
    aborted = true;
    kill();
  };
  if (o.signal?.aborted) onAbort();
  else o.signal?.addEventListener('abort', onAbort, { once: true });
  const done = new Promise<GpgOutcome>((resolve) => {
    let settled = false;
    const settle = (exitCode: number | null, sig: NodeJS.Signals | null): void => {
      if (settled) return;
      settled = true;
      o.signal?.removeEventListener('abort', onAbort);
      const lines = status
        .split('\n')
        .filter((l) => l.startsWith('[GNUPG:] '))
        .map((l) => l.slice(9).trim());
      resolve({ exitCode, signal: sig, status: lines, stderr, spawnError, aborted });
    };
    child.on('error', (e: NodeJS.ErrnoException) => {
      spawnError = e; // stdout then simply ends; 'close' follows
      settle(null, null);
    });
    child.on('close', (code, sig) => settle(code, sig));
  });
  return {
    plaintext: child.stdout!,
    done,
    dispose: () => {
      kill();
      child.stdout!.resume(); // let the pipe drain so 'close' can fire
    },
  };
}

export interface StatusView {
  has: (kw: string) => boolean;
  args: (kw: string) => string[][];
}

/** gpg --status-fd lines grouped by keyword ("[GNUPG:] " already stripped). */
export function viewStatus(lines: readonly string[]): StatusView {
  const by = new Map<string, string[][]>();
  for (const l of lines) {
    const [kw, ...rest] = l.split(' ');
    if (!kw) continue;
    if (!by.has(kw)) by.set(kw, []);
    by.get(kw)!.push(rest);
  }
  return { has: (kw) => by.has(kw), args: (kw) => by.get(kw) ?? [] };
}

/** gpg's last meaningful stderr line, for context in messages (it never holds the passphrase). */
function lastGpgLine(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('gpg:') && !/encrypted with .* key|^gpg: +"/.test(l));
  return lines.pop() ?? stderr.trim().split('\n').pop() ?? '';
}

/** Does gpg vouch for the plaintext it wrote? */
export function decryptionOk(o: GpgOutcome): boolean {
  if (o.spawnError || o.aborted || o.exitCode !== 0) return false;
  const s = viewStatus(o.status);
  if (!s.has('DECRYPTION_OKAY') || s.has('BADMDC') || s.has('DECRYPTION_FAILED')) return false;
  return s.has('GOODMDC') || isAead(s);
}

function isAead(s: StatusView): boolean {
  // DECRYPTION_INFO <mdc_method> <sym_algo> [<aead_algo>]: a non-zero AEAD algorithm is authenticated.
  return s.args('DECRYPTION_INFO').some((a) => a[2] !== undefined && a[2] !== '0');
}

/** Why gpg did not vouch for a file: a reason code and a one-line explanation. */
export function explainFailure(o: GpgOutcome): { reason: DecryptFailure; detail: string } {
  const s = viewStatus(o.status);
  const gpgSays = lastGpgLine(o.stderr);
  const ctx = gpgSays ? ` (${gpgSays})` : '';
  const errCodes = s.args('ERROR').map((a) => Number(a[1] ?? 0) & 0xffff);
  const keys = [...new Set(s.args('ENC_TO').map((a) => a[0]).filter(Boolean))];
  const started = s.has('PLAINTEXT') || s.has('DECRYPTION_INFO');
  if (!s.has('DECRYPTION_OKAY') && !started) {
    if (s.has('BAD_PASSPHRASE') || errCodes.includes(GPG_ERR_BAD_PASSPHRASE)) {
      return { reason: 'bad-passphrase', detail: `wrong passphrase for the secret key${keys.length ? ` (key ${keys.join(', ')})` : ''}` };
    }
    if (s.has('NO_SECKEY') && !s.has('DECRYPTION_KEY') && (!s.has('ERROR') || errCodes.includes(GPG_ERR_NO_SECKEY))) {
      const ids = s.args('NO_SECKEY').map((a) => a[0]);
      return {
        reason: 'no-secret-key',
        detail: `no secret key to decrypt it (encrypted to ${ids.join(', ')}): import the secret key into the GnuPG home in use (${process.env.GNUPGHOME ? `GNUPGHOME=${process.env.GNUPGHOME}` : '~/.gnupg'})`,
      };
    }
    if (s.args('ERROR').some((a) => a[0] === 'pkdecrypt_failed') || s.has('NEED_PASSPHRASE') || s.has('MISSING_PASSPHRASE') || s.has('PINENTRY_LAUNCHED')) {
      return {
        reason: 'key-unusable',
        detail: `the secret key could not be used${ctx}: a passphrase-protected key needs --passphrase-file, --passphrase-env, or a gpg-agent that can ask for it (GPG_TTY) or already holds it`,
      };
    }
    if (s.has('DECRYPTION_KEY') || s.has('BEGIN_DECRYPTION')) {
      // the secret key worked, the encrypted data did not follow
      return { reason: 'corrupt', detail: `the file is truncated or damaged${ctx}` };
    }
    if (s.has('NODATA') || keys.length === 0) {
      return { reason: 'corrupt', detail: `not OpenPGP encrypted data, or damaged${ctx}` };
    }
    return { reason: 'corrupt', detail: `gpg could not decrypt it${ctx}` };
  }
  if (s.has('BADMDC') || s.has('DECRYPTION_FAILED') || o.exitCode !== 0 || o.signal) {
    return {
      reason: 'integrity',
      detail: `failed its integrity check: the file is truncated, damaged or was modified${ctx}`,
    };
  }
  return {
    reason: 'not-protected',
    detail: 'is not integrity protected (no MDC or AEAD): re-encrypt it with a current gpg (sa-train encrypt)',
  };
}

/** The error for a failed decryption that cannot be skipped; gpg missing and interruption first. */
export function decryptError(path: string, o: GpgOutcome, gpg: string): SaTrainError {
  if (o.spawnError) {
    if (o.spawnError.code === 'ENOENT') return new SaTrainError('DECRYPT_FAILED', NO_GPG, { file: path }, { cause: o.spawnError });
    return new SaTrainError('DECRYPT_FAILED', `cannot run ${gpg}: ${o.spawnError.message}`, { file: path }, { cause: o.spawnError });
  }
  if (o.aborted) return new SaTrainError('INTERRUPTED', 'interrupted');
  return new SaTrainError('DECRYPT_FAILED', `cannot decrypt: ${explainFailure(o).detail}`, { file: path });
}

/** Passphrase options of the command line, resolved. */
export interface PassphraseSource {
  /** --passphrase-file F: the first line of F. */
  file?: string;
  /** --passphrase-env NAME: the value of $NAME (removed from this process's environment once read). */
  envName?: string;
}

const ENV_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

export async function loadPassphrase(src: PassphraseSource): Promise<{ passphrase?: string; warnings: string[] }> {
  const warnings: string[] = [];
  if (src.file !== undefined && src.envName !== undefined) {
    throw new SaTrainError('BAD_ARGUMENT', '--passphrase-file and --passphrase-env exclude each other');
  }
  if (src.envName !== undefined) {
    if (!ENV_NAME_RE.test(src.envName)) throw new SaTrainError('BAD_ARGUMENT', `--passphrase-env takes an environment variable name, not ${JSON.stringify(src.envName)}`);
    const v = process.env[src.envName];
    if (v === undefined || v === '') throw new SaTrainError('BAD_ARGUMENT', `--passphrase-env ${src.envName}: that environment variable is not set or empty`);
    delete process.env[src.envName]; // no child (gpg, sa-learn) inherits it
    return { passphrase: firstLine(v), warnings };
  }
  if (src.file !== undefined) {
    let text: string;
    try {
      const st = await stat(src.file);
      if ((st.mode & 0o077) !== 0) warnings.push(`passphrase file ${src.file} is readable by other users (chmod 600 it)`);
      text = await readFile(src.file, 'utf8');
    } catch (e) {
      throw new SaTrainError('BAD_ARGUMENT', `cannot read --passphrase-file ${src.file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`, { file: src.file });
    }
    const p = firstLine(text);
    if (p === '') throw new SaTrainError('BAD_ARGUMENT', `--passphrase-file ${src.file} is empty`, { file: src.file });
    return { passphrase: p, warnings };
  }
  return { warnings };
}

/** gpg reads one line from --passphrase-fd, as it does from --passphrase-file. */
function firstLine(s: string): string {
  const nl = s.indexOf('\n');
  return (nl < 0 ? s : s.slice(0, nl)).replace(/\r$/, '');
}

/** Does the spamassassin engine's spool land in memory (/dev/shm) rather than on disk? */
export async function spoolIsMemoryBacked(): Promise<boolean> {
  try {
    if (!(await stat('/dev/shm')).isDirectory()) return false;
    await access('/dev/shm', constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** An encrypted file that was skipped with --skip-bad-sources. */
export interface BadSource {
  path: string;
  reason: DecryptFailure;
  message: string;
}

export interface EncryptedReaderOptions extends GpgOptions {
  /** --skip-bad-sources: report and skip files gpg does not vouch for, instead of failing the run. */
  skipBad: boolean;
  onBadSource?: (b: BadSource) => void;
  /** Override of VERIFY_BUFFER_BYTES (tests). */
  verifyBufferBytes?: number;
}

export interface EntryReadOptions {
  maxSize: number;
  onSkip?: (skip: { origin: string; reason: string; size?: number }) => void;
}

async function* tap(src: AsyncIterable<Buffer>, h: Hash): AsyncGenerator<Buffer> {
  for await (const c of src) {
    h.update(c);
    yield c;
  }
}

async function* fromArray(chunks: Buffer[]): AsyncGenerator<Buffer> {
  for (const c of chunks) yield c;
}

/**
 * Reads encrypted training-set entries. One instance per run: it remembers the files found bad (read
 * again, e.g. by --max-per-class's second pass, they stay skipped) and the plaintext digest of the files
 * gpg vouched for (a file that later fails or changes fails the run: what was learned cannot be undone).
 */
export class EncryptedSources {
  private readonly bad = new Map<string, BadSource>();
  private readonly vouched = new Map<string, string>();
  constructor(private readonly o: EncryptedReaderOptions) {}

  get badSources(): BadSource[] {
    return [...this.bad.values()];
  }

  read(entry: SourceEntry, cls: MessageClass, r: EntryReadOptions): AsyncGenerator<SourceMessage> {
    if (entry.kind === 'encrypted-file') return this.readOne(entry.path, cls, r);
    if (entry.kind !== 'encrypted-mbox') throw new Error(`not an encrypted entry: ${entry.path}`);
    return this.o.skipBad ? this.readMboxVerified(entry.path, cls, r) : this.readMboxStreaming(entry.path, cls, r);
  }

  /** gpg did not vouch: skip (recorded, returns) or throw. */
  private reject(path: string, out: GpgOutcome): void {
    if (out.spawnError || out.aborted || !this.o.skipBad || this.vouched.has(path)) throw decryptError(path, out, this.o.gpg);
    const { reason, detail } = explainFailure(out);
    const b: BadSource = { path, reason, message: `cannot decrypt: ${detail}` };
    this.bad.set(path, b);
    this.o.onBadSource?.(b);
  }

  /** Record a vouched file's digest; a different digest on a later read means the file changed. */
  private vouch(path: string, digest: string): void {
    const before = this.vouched.get(path);
    if (before !== undefined && before !== digest) {
      throw new SaTrainError('DECRYPT_FAILED', 'the file changed while the run was reading it', { file: path });
    }
    this.vouched.set(path, digest);
  }

  private mboxOptions(path: string, r: EntryReadOptions): MboxOptions {
    return { maxSize: r.maxSize, onSkip: (s) => r.onSkip?.({ origin: `${path}#${s.index}`, reason: 'too-big', size: s.size }) };
  }

  /** Default policy: stream into the splitter; a bad verdict at the end throws (the run fails). */
  private async *readMboxStreaming(path: string, cls: MessageClass, r: EntryReadOptions): AsyncGenerator<SourceMessage> {
    const p = startDecrypt(path, this.o);
    const h = createHash('sha256');
    try {
      for await (const m of splitMbox(tap(p.plaintext as AsyncIterable<Buffer>, h), this.mboxOptions(path, r))) {
        yield { cls, raw: m.raw, origin: { file: path, index: m.index, offset: m.offset } };
      }
      const out = await p.done;
      if (!decryptionOk(out)) throw decryptError(path, out, this.o.gpg);
      this.vouch(path, h.digest('hex'));
    } finally {
      p.dispose();
    }
  }

  /**
   * Decrypt a whole file, hashing the plaintext and holding it while it stays within `cap` bytes
   * (`held` is null past the cap: only the digest and gpg's verdict are kept).
   */
  private async decryptHeld(path: string, cap: number): Promise<{ out: GpgOutcome; digest: string; held: Buffer[] | null; size: number }> {
    let held: Buffer[] | null = [];
    let size = 0;
    const h = createHash('sha256');
    const p = startDecrypt(path, this.o);
    try {
      for await (const c of p.plaintext as AsyncIterable<Buffer>) {
        h.update(c);
        size += c.length;
        if (held) {
          if (size > cap) held = null;
          else held.push(c);
        }
      }
      return { out: await p.done, digest: h.digest('hex'), held, size };
    } finally {
      p.dispose();
    }
  }

  /** --skip-bad-sources: yield nothing from a file before gpg has vouched for all of it. */
  private async *readMboxVerified(path: string, cls: MessageClass, r: EntryReadOptions): AsyncGenerator<SourceMessage> {
    if (this.bad.has(path)) return;
    const d = await this.decryptHeld(path, this.o.verifyBufferBytes ?? VERIFY_BUFFER_BYTES);
    if (!decryptionOk(d.out)) return this.reject(path, d.out);
    this.vouch(path, d.digest);
    const held = d.held; // null: too big to hold, decrypt again below
    const mboxOpts = this.mboxOptions(path, r);
    if (held) {
      for await (const m of splitMbox(fromArray(held), mboxOpts)) {
        yield { cls, raw: m.raw, origin: { file: path, index: m.index, offset: m.offset } };
      }
      return;
    }
    // Second pass, streamed: gpg has already vouched for this exact plaintext, and vouch() fails the run
    // if the second decryption differs from the first or fails.
    yield* this.readMboxStreaming(path, cls, r);
  }

  /** One encrypted message: held whole (it is one message), yielded only once gpg has vouched for it. */
  private async *readOne(path: string, cls: MessageClass, r: EntryReadOptions): AsyncGenerator<SourceMessage> {
    if (this.bad.has(path)) return;
    const d = await this.decryptHeld(path, r.maxSize > 0 ? r.maxSize : Infinity);
    if (!decryptionOk(d.out)) return this.reject(path, d.out);
    this.vouch(path, d.digest);
    if (!d.held) {
      r.onSkip?.({ origin: path, reason: 'too-big', size: d.size });
      return;
    }
    yield { cls, raw: Buffer.concat(d.held, d.size), origin: { file: path } };
  }
}
