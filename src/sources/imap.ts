// The IMAP feedback source (issue 9): sa-report's encrypted reports, read from a mailbox with imapflow,
// learned with the static training set, then filed away. The order is what keeps the mailbox safe:
//  1. read: connect, EXAMINE the processed folder (reports learned by earlier runs, so every dump holds
//     them) and the feedback mailbox read-only, fetch, decrypt and check every report, log out. Nothing
//     is changed on the server; any IMAP failure here fails the run before anything is learned.
//  2. learn and write the dump (src/cli/train.ts).
//  3. only then move: new reports to the processed folder, rejected ones (from either folder) to the
//     rejected folder with the reason as keywords. MOVE (or COPY + EXPUNGE of the original) only:
//     nothing is deleted. A failure here leaves some reports where they were: the next run reads them
//     again and learns each report id once, so it is a warning, not an error.
// docs/imap-feedback.md.
import { readFileSync } from 'node:fs';
import { ImapFlow, type ImapFlowOptions } from 'imapflow';
import { SaTrainError } from '../errors.js';
import type { MessageClass, SourceMessage } from './types.js';
import { REJECT_REASONS, ReportOpener, reasonKeyword, reportMsgid, resolveReports, MAX_REPORT_BYTES, type AcceptedReport, type RejectReason, type ReportOpenOptions } from './imap-report.js';
import { describeImap, type ImapSettings } from './imap/settings.js';
import type { ImapSummary } from './imap/summary.js';
export { formatImapSummary, type ImapSummary } from './imap/summary.js';

/** Reports fetched per FETCH command: bounds the ciphertext held in memory at once. */
const FETCH_BATCH = 50;
/** gpg processes run at once while opening reports. */
const GPG_CONCURRENCY = 2;
/** Give up on a silent server after this long (imapflow's socket inactivity timeout). */
const SOCKET_TIMEOUT_MS = 120_000;
const CONNECT_TIMEOUT_MS = 30_000;
/** IMAP literals bigger than this are refused by the client (a report is far smaller). */
const MAX_LITERAL_BYTES = 256 * 1024 * 1024;
/** Keyword on every rejected report, beside its reason keyword. */
export const REJECTED_KEYWORD = '$SaRejected';

type FolderRole = 'processed' | 'mailbox';

interface FolderRead {
  role: FolderRole;
  path: string;
  uidValidity: bigint;
}

interface ItemOutcome {
  folder: FolderRole;
  uid: number;
  rejected?: { reason: RejectReason; detail: string };
}


export interface FeedbackOptions {
  settings: ImapSettings;
  open: ReportOpenOptions;
  /** --imap-no-sample: learn every report, --sample and --max-per-class apply to the static set only. */
  noSample: boolean;
  /** --imap-no-move: leave the mailbox as it is. */
  noMove: boolean;
  /** --max-size: reported messages larger than this are not learned (0: no limit). */
  maxSize: number;
  onWarning?: (w: string) => void;
}

function clientOptions(s: ImapSettings): ImapFlowOptions {
  let ca: Buffer | undefined;
  if (s.caFile) {
    try {
      ca = readFileSync(s.caFile);
    } catch (e) {
      throw new SaTrainError('BAD_ARGUMENT', `cannot read the IMAP CA file ${s.caFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file: s.caFile });
    }
  }
  return {
    host: s.host,
    port: s.port,
    secure: s.tls === 'implicit',
    doSTARTTLS: s.tls === 'starttls' ? true : s.tls === 'none' ? false : undefined,
    auth: { user: s.user, pass: s.password },
    tls: { rejectUnauthorized: s.tlsVerify, ...(ca ? { ca } : {}) },
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: CONNECT_TIMEOUT_MS,
    greetingTimeout: CONNECT_TIMEOUT_MS,
    socketTimeout: SOCKET_TIMEOUT_MS,
    maxLiteralSize: MAX_LITERAL_BYTES,
    clientInfo: { name: 'sa-train' },
  };
}

/** imapflow's error, one line, without credentials (it never puts the password in its messages). */
function imapMessage(e: unknown): string {
  const err = e as Error & { responseText?: string; code?: string; serverResponseCode?: string };
  const parts = [err.responseText || err.message || String(e)];
  if (err.code && !parts[0]!.includes(err.code)) parts.push(`(${err.code})`);
  return parts.join(' ');
}

/** Run `fn` on a fresh connection; the connection is always closed. */
async function withClient<T>(s: ImapSettings, fn: (c: ImapFlow) => Promise<T>): Promise<T> {
  const c = new ImapFlow(clientOptions(s));
  let lastError: unknown;
  c.on('error', (e: unknown) => {
    lastError = e; // the pending command rejects as well; without a listener the process would crash
  });
  try {
    await c.connect();
    const r = await fn(c);
    await c.logout().catch(() => undefined);
    return r;
  } catch (e) {
    c.close();
    throw e instanceof SaTrainError ? e : new Error(imapMessage(lastError ?? e), { cause: e });
  }
}

/** Does the folder exist? (LIST, so that a failing connection throws instead of answering "no".) */
async function folderExists(c: ImapFlow, path: string): Promise<boolean> {
  const boxes = await c.list();
  return boxes.some((b) => b.path === path || (path.toUpperCase() === 'INBOX' && b.path.toUpperCase() === 'INBOX'));
}

/** Run `fn` over `items`, at most `n` at once, results in order. */
async function pool<T, R>(items: T[], n: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return out;
}

/** The feedback reports of one run: read before learning, moved after the dump is written. */
export class FeedbackSource {
  private readonly folders: FolderRead[] = [];
  private readonly items: ItemOutcome[] = [];
  private readonly toLearn: Record<MessageClass, SourceMessage[]> = { spam: [], ham: [] };
  private readonly mine = new WeakSet<SourceMessage>();
  private readonly learnedCount: Record<MessageClass, number> = { spam: 0, ham: 0 };
  private summaryBase: Omit<ImapSummary, 'learned' | 'moved'> | undefined;
  private moved: ImapSummary['moved'] = null;
  private moveError: string | undefined;

  constructor(private readonly o: FeedbackOptions) {}

  get url(): string {
    return describeImap(this.o.settings);
  }

  get noSample(): boolean {
    return this.o.noSample;
  }

  /**
   * Step 1: read, decrypt and check every report; change nothing on the server. Throws
   * SOURCE_UNREADABLE on any IMAP failure (nothing learned, nothing written, nothing moved).
   */
  async read(onProgress?: (n: number) => void): Promise<void> {
    const s = this.o.settings;
    const opener = new ReportOpener(this.o.open);
    const accepted: AcceptedReport[] = [];
    const where = new Map<AcceptedReport, ItemOutcome>();
    let unverified = 0;
    let tooBig = 0;
    let order = 0;
    let readNew = 0;
    let readProcessed = 0;
    try {
      await withClient(s, async (c) => {
        const roles: [FolderRole, string][] = [];
        if (s.readProcessed && (await folderExists(c, s.processedFolder))) roles.push(['processed', s.processedFolder]);
        roles.push(['mailbox', s.mailbox]);
        for (const [role, path] of roles) {
          const box = await c.mailboxOpen(path, { readOnly: true });
          this.folders.push({ role, path, uidValidity: box.uidValidity });
          if (box.exists === 0) continue;
          // Sizes first: a message too big to be a report is rejected without downloading it.
          const sizes = await c.fetchAll('1:*', { uid: true, size: true });
          const wanted: number[] = [];
          for (const m of sizes.sort((a, b) => a.uid - b.uid)) {
            if ((m.size ?? 0) > MAX_REPORT_BYTES) this.items.push({ folder: role, uid: m.uid, rejected: { reason: 'too-big', detail: `${m.size} bytes` } });
            else wanted.push(m.uid);
          }
          for (let i = 0; i < wanted.length; i += FETCH_BATCH) {
            const batch = wanted.slice(i, i + FETCH_BATCH);
            const msgs = (await c.fetchAll(batch.join(','), { uid: true, source: true }, { uid: true })).sort((a, b) => a.uid - b.uid);
            const opened = await pool(msgs, GPG_CONCURRENCY, (m) => opener.open(m.source ?? Buffer.alloc(0)));
            msgs.forEach((m, k) => {
              const r = opened[k]!;
              const item: ItemOutcome = { folder: role, uid: m.uid };
              this.items.push(item);
              if (!r.ok) {
                item.rejected = { reason: r.reason, detail: r.detail };
                return;
              }
              if (r.unverified) unverified++;
              if (this.o.maxSize > 0 && r.report.message.length > this.o.maxSize) {
                tooBig++; // authentic: filed in processed like the others, but not learned (as sa-learn --max-size)
                return;
              }
              let msgid: string;
              try {
                msgid = reportMsgid(r.report.message);
              } catch (e) {
                item.rejected = { reason: 'invalid-report', detail: `the reported message cannot be parsed: ${(e as Error).message}` };
                return;
              }
              const a: AcceptedReport = { order: order++, id: r.report.id, cls: r.report.class, time: r.report.time, msgid, message: r.report.message };
              accepted.push(a);
              where.set(a, item);
            });
            if (role === 'mailbox') readNew += msgs.length;
            else readProcessed += msgs.length;
            onProgress?.(readNew + readProcessed);
          }
          const notFetched = this.items.filter((it) => it.folder === role && it.rejected?.reason === 'too-big').length;
          if (role === 'mailbox') readNew += notFetched;
          else readProcessed += notFetched;
        }
      });
    } catch (e) {
      if (e instanceof SaTrainError) throw e;
      throw new SaTrainError('SOURCE_UNREADABLE', `IMAP feedback source ${this.url}: ${(e as Error).message}; nothing was learned and the mailbox is unchanged`, undefined, { cause: e });
    } finally {
      await opener.close();
    }

    const res = resolveReports(accepted);
    for (const a of res.learn) {
      const item = where.get(a)!;
      const m: SourceMessage = { cls: a.cls, raw: a.message, origin: { file: `${this.url};UID=${item.uid}${item.folder === 'processed' ? ` (${s.processedFolder})` : ''}` } };
      this.mine.add(m);
      this.toLearn[a.cls].push(m);
    }
    const byReason: Partial<Record<RejectReason, number>> = {};
    for (const it of this.items) if (it.rejected) byReason[it.rejected.reason] = (byReason[it.rejected.reason] ?? 0) + 1;
    const ordered: Partial<Record<RejectReason, number>> = {};
    for (const r of REJECT_REASONS) if (byReason[r]) ordered[r] = byReason[r];
    this.summaryBase = {
      url: this.url,
      read: readNew + readProcessed,
      readNew,
      readProcessed,
      accepted: accepted.length + tooBig,
      acceptedUnverified: unverified,
      tooBig,
      rejected: this.items.filter((it) => it.rejected).length,
      rejectedByReason: ordered,
      duplicated: { reportId: res.duplicateIds.length, message: res.duplicateMessages.length },
      superseded: res.superseded.length,
    };
  }

  /** The reports of a class to learn, after the static sources' messages of that class. */
  async *append(cls: MessageClass, before: AsyncIterable<SourceMessage>): AsyncGenerator<SourceMessage> {
    yield* before;
    yield* this.toLearn[cls];
  }

  /** Counts the reports among what the learner is handed (one count per call: engines call once). */
  async *count(cls: MessageClass, it: AsyncIterable<SourceMessage>): AsyncGenerator<SourceMessage> {
    this.learnedCount[cls] = 0;
    for await (const m of it) {
      if (this.mine.has(m)) this.learnedCount[cls]++;
      yield m;
    }
  }

  /**
   * Step 3, after the dump is written: new reports to the processed folder, rejected ones to the
   * rejected folder (keywords $SaRejected and $SaReject-<reason>). Never throws: a failure is a warning.
   */
  async moveAfterWrite(): Promise<void> {
    if (this.o.noMove) return;
    const s = this.o.settings;
    const moved = { processed: 0, rejected: 0 };
    this.moved = moved;
    const plan = this.folders
      .map((f) => ({
        f,
        rejected: this.items.filter((it) => it.folder === f.role && it.rejected),
        processed: f.role === 'mailbox' ? this.items.filter((it) => it.folder === 'mailbox' && !it.rejected) : [],
      }))
      .filter((p) => p.rejected.length || p.processed.length);
    if (!plan.length) return;
    try {
      await withClient(s, async (c) => {
        for (const dest of [s.processedFolder, s.rejectedFolder]) {
          if (!(await folderExists(c, dest))) await c.mailboxCreate(dest);
        }
        for (const p of plan) {
          const box = await c.mailboxOpen(p.f.path);
          if (box.uidValidity !== p.f.uidValidity) {
            this.o.onWarning?.(`IMAP ${p.f.path}: UIDVALIDITY changed since the reports were read; nothing moved from it (the next run reads them again)`);
            continue;
          }
          const reasons = new Map<RejectReason, number[]>();
          for (const it of p.rejected) reasons.set(it.rejected!.reason, [...(reasons.get(it.rejected!.reason) ?? []), it.uid]);
          for (const [reason, uids] of reasons) {
            // The reason as keywords; a server that does not keep keywords still gets the move.
            const flagged = await c.messageFlagsAdd(uids.join(','), [REJECTED_KEYWORD, reasonKeyword(reason)], { uid: true }).catch(() => false);
            if (!flagged) this.o.onWarning?.(`IMAP ${p.f.path}: could not set the keywords ${REJECTED_KEYWORD} ${reasonKeyword(reason)} (does the server keep keywords?); moving the reports anyway`);
            const r = await c.messageMove(uids.join(','), s.rejectedFolder, { uid: true });
            if (r === false) throw new Error(`MOVE to ${s.rejectedFolder} failed`);
            moved.rejected += uids.length;
          }
          if (p.processed.length) {
            const uids = p.processed.map((it) => it.uid).join(',');
            const r = await c.messageMove(uids, s.processedFolder, { uid: true });
            if (r === false) throw new Error(`MOVE to ${s.processedFolder} failed`);
            moved.processed += p.processed.length;
          }
        }
      });
    } catch (e) {
      this.moveError = `moving the reports failed after the dump was written: ${(e as Error).message}; the reports not moved stay where they are and the next run reads them again`;
      this.o.onWarning?.(`IMAP ${this.url}: ${this.moveError}`);
    }
  }

  summary(): ImapSummary {
    if (!this.summaryBase) throw new Error('FeedbackSource.summary() before read()');
    return { ...this.summaryBase, learned: { ...this.learnedCount }, moved: this.moved, ...(this.moveError ? { moveError: this.moveError } : {}) };
  }
}

/** Summary lines for the human-readable report of sa-train train. */
