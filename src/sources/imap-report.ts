// One feedback report fetched from the IMAP feedback mailbox: unwrap the PGP/MIME message (sa-report's
// parsePgpMime), decrypt and verify it with the operator's gpg (the training side's gpg runner, with its
// passphrase channel and status-fd verdicts), check the signer against the configured reporter keys,
// and read the class, report id and time from inside the encrypted part (sa-report's
// parseFeedbackReport). Then the run-wide rules: each report id once, and among reports of the same
// message (SpamAssassin's msgid, as sa-learn's seen database keys it) the newest report wins.
// docs/imap-feedback.md describes the policy.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SaTrainError } from '../errors.js';
import { parsePgpMime } from '../report/pgp-mime.js';
import { parseFeedbackReport, type FeedbackReport } from '../report/feedback-report.js';
import { explainFailure, startGpg, viewStatus, type GpgOutcome, type StatusView } from './gpg.js';
import { parseForLearning } from '../mail/learner-input.js';
import { generateMsgid } from '../mail/msgid.js';
import type { MessageClass } from './types.js';
import { normalizeFingerprint } from './imap/settings.js';
export { normalizeFingerprint } from './imap/settings.js';

/** Why a report was not learned and went to the rejected folder. */
export type RejectReason =
  | 'not-a-report' // not a PGP/MIME encrypted message (e.g. mail sent straight to the feedback address)
  | 'undecryptable' // encrypted to another key, damaged or truncated
  | 'no-integrity' // decrypted, but without an integrity check (MDC/AEAD) or failing it
  | 'unsigned' // no signature inside the encryption
  | 'bad-signature' // a signature that does not verify, or by an expired or revoked key
  | 'unknown-signer' // a good signature by a key that is not a configured reporter key, or no public key
  | 'invalid-report' // decrypted and signed, but not an sa-report feedback report
  | 'too-big'; // larger than any report sa-report makes (not downloaded)

export const REJECT_REASONS: readonly RejectReason[] = ['not-a-report', 'undecryptable', 'no-integrity', 'unsigned', 'bad-signature', 'unknown-signer', 'invalid-report', 'too-big'];

/** The IMAP keyword that records the reason on a rejected report (RFC 3501 flag-keyword atom). */
export function reasonKeyword(r: RejectReason): string {
  return `$SaReject-${r}`;
}

export interface ReportOpenOptions {
  gpg: string;
  /** GNUPGHOME holding the training secret key and the reporters' public keys (default: gpg's own). */
  gnupgHome?: string | undefined;
  passphrase?: string | undefined;
  /** Reporter key fingerprints (primary keys, 40 hex digits, any case) accepted as signers. */
  signers: readonly string[];
  /** Accept unsigned reports and reports by keys not in `signers` (still decrypted with integrity). */
  acceptUnsigned: boolean;
  signal?: AbortSignal;
}

export type OpenResult =
  | { ok: true; report: FeedbackReport; signer: string | null; unverified: boolean }
  | { ok: false; reason: RejectReason; detail: string };

/** gpg's ERRSIG return code for "no public key" (doc/DETAILS). */
const ERRSIG_NO_PUBKEY = '9';
/**
 * Messages larger than this are not reports (not even downloaded): sa-report reports messages up to
 * 4 MiB by default (max_message_size), and armour and MIME add about 40 %; this leaves room for a raised
 * limit. A reported message over --max-size is authentic all the same: it is kept, not learned.
 */
export const MAX_REPORT_BYTES = 16 * 1024 * 1024;


type Status = StatusView;

/**
 * Did gpg decrypt the whole message and vouch for its integrity? gpg exits 1 or 2 when a signature
 * does not verify even though decryption succeeded, so the exit code alone cannot say.
 */
export function decryptedWithIntegrity(o: GpgOutcome): boolean {
  if (o.spawnError || o.aborted || o.signal) return false;
  const s = viewStatus(o.status);
  if (!s.has('DECRYPTION_OKAY') || s.has('BADMDC') || s.has('DECRYPTION_FAILED')) return false;
  return s.has('GOODMDC') || s.args('DECRYPTION_INFO').some((a) => a[2] !== undefined && a[2] !== '0');
}

export type SignatureVerdict =
  | { kind: 'good'; signers: string[] }
  | { kind: 'unsigned' }
  | { kind: 'bad'; detail: string }
  | { kind: 'unknown-key'; keyid: string };

/** The signatures inside a decrypted message, from gpg's status lines. */
export function signatureVerdict(lines: readonly string[]): SignatureVerdict {
  const s = viewStatus(lines);
  if (s.has('BADSIG')) return { kind: 'bad', detail: `bad signature by key ${s.args('BADSIG')[0]?.[0] ?? '?'}: the report was modified` };
  for (const kw of ['EXPKEYSIG', 'REVKEYSIG', 'EXPSIG']) {
    if (s.has(kw)) return { kind: 'bad', detail: `signature by ${kw === 'REVKEYSIG' ? 'a revoked' : 'an expired'} key ${s.args(kw)[0]?.[0] ?? '?'}` };
  }
  const err = s.args('ERRSIG');
  if (err.length) {
    const e = err[0]!;
    if (e[5] === ERRSIG_NO_PUBKEY) return { kind: 'unknown-key', keyid: e[6] && e[6] !== '-' ? e[6] : (e[0] ?? '?') };
    return { kind: 'bad', detail: `signature could not be checked (gpg error ${e[5] ?? '?'})` };
  }
  const valid = s.args('VALIDSIG');
  if (!s.has('GOODSIG') || valid.length === 0) return { kind: 'unsigned' };
  // VALIDSIG <fpr> <date> <ts> <expire> <version> <reserved> <pk-algo> <hash-algo> <sig-class> <primary-fpr>
  return { kind: 'good', signers: valid.map((a) => (a[9] ?? a[0] ?? '').toUpperCase()) };
}

/** Run gpg --decrypt on `armored` (through a private temporary file: gpg's runner reads files). */
async function gpgDecrypt(armored: Buffer, o: ReportOpenOptions, scratch: string, n: number): Promise<{ plaintext: Buffer; out: GpgOutcome }> {
  const file = join(scratch, `${n}.asc`);
  await writeFile(file, armored, { mode: 0o600 });
  const env = { ...process.env, LC_ALL: 'C', LANGUAGE: 'C', ...(o.gnupgHome ? { GNUPGHOME: o.gnupgHome } : {}) };
  const p = startGpg(['--no-auto-key-retrieve', '--decrypt', '--', file], { gpg: o.gpg, passphrase: o.passphrase, env, signal: o.signal });
  const chunks: Buffer[] = [];
  try {
    for await (const c of p.plaintext as AsyncIterable<Buffer>) chunks.push(c);
    return { plaintext: Buffer.concat(chunks), out: await p.done };
  } finally {
    p.dispose();
    await rm(file, { force: true });
  }
}

/**
 * Opens reports one after another (or a few at a time) with one scratch directory for the ciphertext.
 * Errors of the set-up (gpg missing, wrong passphrase, key unusable) throw: they would otherwise reject
 * every report. Problems of one report are returned as a rejection.
 */
export class ReportOpener {
  private scratch: Promise<string> | undefined;
  private n = 0;
  private readonly signers: Set<string>;
  constructor(private readonly o: ReportOpenOptions) {
    this.signers = new Set(o.signers.map(normalizeFingerprint));
  }

  async open(raw: Buffer): Promise<OpenResult> {
    if (raw.length > MAX_REPORT_BYTES) return { ok: false, reason: 'too-big', detail: `${raw.length} bytes` };
    let armored: Buffer;
    try {
      armored = parsePgpMime(raw);
    } catch (e) {
      return { ok: false, reason: 'not-a-report', detail: (e as Error).message };
    }
    this.scratch ??= mkdtemp(join(tmpdir(), 'sa-train-imap-'));
    const { plaintext, out } = await gpgDecrypt(armored, this.o, await this.scratch, this.n++);
    if (out.aborted) throw new SaTrainError('INTERRUPTED', 'interrupted');
    if (out.spawnError) throw new SaTrainError('DECRYPT_FAILED', `cannot run ${this.o.gpg}: ${out.spawnError.message}`, undefined, { cause: out.spawnError });
    if (!decryptedWithIntegrity(out)) {
      const { reason, detail } = explainFailure(out);
      if (reason === 'bad-passphrase' || reason === 'key-unusable') throw new SaTrainError('DECRYPT_FAILED', `cannot decrypt the feedback reports: ${detail}`);
      const s = viewStatus(out.status);
      return { ok: false, reason: s.has('DECRYPTION_OKAY') || reason === 'integrity' || reason === 'not-protected' ? 'no-integrity' : 'undecryptable', detail };
    }
    const sig = signatureVerdict(out.status);
    let signer: string | null = null;
    let unverified = false;
    if (sig.kind === 'bad') return { ok: false, reason: 'bad-signature', detail: sig.detail };
    if (sig.kind === 'good') {
      signer = sig.signers.find((f) => this.signers.has(f)) ?? null;
      if (signer === null) {
        if (!this.o.acceptUnsigned) return { ok: false, reason: 'unknown-signer', detail: `signed by ${sig.signers.join(', ')}, not a configured reporter key` };
        signer = sig.signers[0] ?? null;
        unverified = true;
      }
    } else if (!this.o.acceptUnsigned) {
      return sig.kind === 'unsigned'
        ? { ok: false, reason: 'unsigned', detail: 'no signature inside the encryption' }
        : { ok: false, reason: 'unknown-signer', detail: `signed by key ${sig.keyid}, whose public key is not in the GnuPG home` };
    } else {
      unverified = true;
    }
    let report: FeedbackReport;
    try {
      report = parseFeedbackReport(plaintext);
    } catch (e) {
      return { ok: false, reason: 'invalid-report', detail: (e as Error).message };
    }
    return { ok: true, report, signer, unverified };
  }

  async close(): Promise<void> {
    if (this.scratch) await rm(await this.scratch, { recursive: true, force: true });
    this.scratch = undefined;
  }
}

/** A report that passed the checks, with where it lies (for the move) and its SpamAssassin msgid. */
export interface AcceptedReport {
  /** Position in the run's reading order (archive folder first, then the feedback mailbox; by UID). */
  order: number;
  id: string;
  cls: MessageClass;
  time: Date;
  /** SpamAssassin's generate_msgid of the reported message: the key of sa-learn's seen database. */
  msgid: string;
  message: Buffer;
}

/** SpamAssassin's msgid of a reported message (what sa-learn would find in its seen database). */
export function reportMsgid(message: Buffer): string {
  return generateMsgid(parseForLearning(message));
}

export interface Resolution {
  /** Reports to learn, in reading order. */
  learn: AcceptedReport[];
  /** A report id seen before in this run (the same report delivered or archived twice). */
  duplicateIds: AcceptedReport[];
  /** The same message reported again with the same class (a newer report of it is learned). */
  duplicateMessages: AcceptedReport[];
  /** The same message reported with the other class, by an older report: the newest report wins. */
  superseded: AcceptedReport[];
}

/**
 * The run-wide rules. A report id counts once (the first in reading order). Among reports of the same
 * message (same msgid), the newest by its report time wins, ties going to the later one in reading
 * order; the others are duplicates (same class) or superseded (the other class).
 */
export function resolveReports(reports: readonly AcceptedReport[]): Resolution {
  const byOrder = [...reports].sort((a, b) => a.order - b.order);
  const ids = new Set<string>();
  const duplicateIds: AcceptedReport[] = [];
  const unique: AcceptedReport[] = [];
  for (const r of byOrder) {
    if (ids.has(r.id)) duplicateIds.push(r);
    else {
      ids.add(r.id);
      unique.push(r);
    }
  }
  const winner = new Map<string, AcceptedReport>();
  for (const r of unique) {
    const w = winner.get(r.msgid);
    if (!w || r.time.getTime() >= w.time.getTime()) winner.set(r.msgid, r);
  }
  const learn: AcceptedReport[] = [];
  const duplicateMessages: AcceptedReport[] = [];
  const superseded: AcceptedReport[] = [];
  for (const r of unique) {
    const w = winner.get(r.msgid)!;
    if (w === r) learn.push(r);
    else if (w.cls === r.cls) duplicateMessages.push(r);
    else superseded.push(r);
  }
  return { learn, duplicateIds, duplicateMessages, superseded };
}
