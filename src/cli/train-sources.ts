// sa-train train's sources: the training set's listing, its GnuPG-encrypted files and the IMAP feedback
// source, opened (and checked) before any learning, read through --sample/--max-per-class, and what each
// class yielded for the summary.
import { SaTrainError } from '../errors.js';
import { listClass, readClass, listingBytes, type ClassListing, type IgnoredEntry } from '../sources/training-set.js';
import { selectClass, emptySelectStats, type SelectOptions, type SelectStats } from '../sources/select.js';
import type { MessageClass, SourceMessage } from '../sources/types.js';
import type { EngineName, LearnCounts } from '../engines/engine.js';
import { Progress } from './progress.js';
// --- encrypted sources (issue 7) ---
import { EncryptedSources, findGpg, loadPassphrase, spoolIsMemoryBacked, type BadSource } from '../sources/gpg.js';
// --- end encrypted sources ---
// --- IMAP feedback source (issue 9) ---
import type { FeedbackSource } from '../sources/imap.js'; // loaded on demand: imapflow costs ~200 ms to load
import { resolveImapSettings, type ImapCliOptions } from '../sources/imap/settings.js';
// --- end IMAP feedback source ---

export interface ClassSummary {
  /** Messages found in the sources (after the size limit). */
  read: number;
  examined: number;
  learned: number;
  skipped: { tooBig: number; sampledOut: number; capped: number; alreadyLearned: number };
}

/** --imap / --imap-config and their companions: the feedback mailbox learned besides the training set. */
export interface FeedbackArgs {
  /** As resolveImapSettings takes them. */
  settings: ImapCliOptions;
  acceptUnsigned: boolean;
  noSample: boolean;
  noMove: boolean;
}

export interface SourcesOptions {
  /** The training set (DIR/spam, DIR/ham), an existing directory. */
  source: string;
  engineName: EngineName;
  maxSize: number;
  select: SelectOptions;
  passphraseFile: string | undefined;
  passphraseEnv: string | undefined;
  skipBadSources: boolean;
  imap: FeedbackArgs | undefined;
  /** Aborts gpg and the IMAP session (SIGINT/SIGTERM). */
  signal: AbortSignal;
  /** A warning for the summary. */
  warn: (w: string) => void;
  /** An encrypted file skipped with --skip-bad-sources, as it is skipped. */
  onBadSource: (b: BadSource) => void;
  /** Draw the progress bar while the feedback reports are read. */
  progress: boolean;
  stderr: NodeJS.WriteStream;
}

const isEncrypted = (k: string): boolean => k === 'encrypted-mbox' || k === 'encrypted-file';

/** Counts the bytes read for the progress bar's ETA. */
async function* counted(it: AsyncIterable<SourceMessage>, progress: Progress): AsyncGenerator<SourceMessage> {
  for await (const m of it) {
    progress.addBytes(m.raw.length);
    yield m;
  }
}

export class TrainingSources {
  /** Entries of the training set that are not sources, both classes. */
  readonly ignored: IgnoredEntry[];
  /** Encrypted files skipped with --skip-bad-sources. */
  readonly badSources: BadSource[] = [];
  // Messages skipped by the readers (too big). With --max-per-class a class is read twice: count once.
  private readonly tooBig: Record<MessageClass, Set<string>> = { spam: new Set(), ham: new Set() };
  private readonly stats: Record<MessageClass, SelectStats> = { spam: emptySelectStats(), ham: emptySelectStats() };
  private encrypted: EncryptedSources | undefined;
  private feedbackSource: FeedbackSource | undefined;

  private constructor(
    private readonly o: SourcesOptions,
    private readonly listings: Record<MessageClass, ClassListing>,
  ) {
    this.ignored = [...listings.spam.ignored, ...listings.ham.ignored];
  }

  /**
   * Lists the training set, checks the feedback settings (bad arguments fail before any work), starts
   * the decryption of encrypted sources and reads and checks every feedback report.
   */
  static async open(o: SourcesOptions): Promise<TrainingSources> {
    const listings: Record<MessageClass, ClassListing> = {
      spam: await listClass(o.source, 'spam'),
      ham: await listClass(o.source, 'ham'),
    };
    const src = new TrainingSources(o, listings);
    const warn = o.warn;
    for (const i of src.ignored) warn(`ignored ${i.path}: ${i.reason}`);
    for (const cls of ['spam', 'ham'] as const) {
      if (!listings[cls].entries.length) {
        throw new SaTrainError('CLASS_EMPTY', `${listings[cls].dir} holds no mailbox, Maildir or message file`, { file: listings[cls].dir });
      }
    }

    // --- IMAP feedback source (issue 9): settings first (bad arguments fail before any work) ---
    let passphraseOnce: ReturnType<typeof loadPassphrase> | undefined;
    const passphrase = (): ReturnType<typeof loadPassphrase> => (passphraseOnce ??= loadPassphrase({ file: o.passphraseFile, envName: o.passphraseEnv }));
    const imapSettings = o.imap ? resolveImapSettings(o.imap.settings) : undefined;
    if (imapSettings) {
      for (const w of imapSettings.warnings) warn(w);
      if (!imapSettings.settings.signers.length && !o.imap!.acceptUnsigned) {
        throw new SaTrainError('BAD_ARGUMENT', 'no reporter key to accept reports from: give --imap-signer FINGERPRINT (or signer = in --imap-config), or --imap-accept-unsigned');
      }
    }
    // --- end IMAP feedback source ---

    // --- encrypted sources (issue 7): gpg, passphrase and the reader, only when the set has such files ---
    if ([...listings.spam.entries, ...listings.ham.entries].some((e) => isEncrypted(e.kind))) {
      const gpg = await findGpg();
      const pass = await passphrase(); // issue 9: loaded once, shared with the IMAP source
      for (const w of pass.warnings) warn(w);
      if (o.engineName === 'spamassassin' && !(await spoolIsMemoryBacked())) {
        warn('no /dev/shm here: the spamassassin engine spools decrypted messages to a private directory under $TMPDIR; point TMPDIR at a memory-backed file system');
      }
      for (const l of [listings.spam, listings.ham]) {
        const plain = new Set(l.entries.filter((e) => !isEncrypted(e.kind)).map((e) => e.path));
        for (const e of l.entries) {
          if (isEncrypted(e.kind) && plain.has(e.path.replace(/\.(?:gpg|asc)$/i, ''))) warn(`${e.path} and its plaintext are both in the training set: their messages are read twice (remove the plaintext, e.g. sa-train encrypt --remove)`);
        }
      }
      src.encrypted = new EncryptedSources({
        gpg,
        passphrase: pass.passphrase,
        signal: o.signal,
        skipBad: o.skipBadSources,
        onBadSource: (b) => {
          src.badSources.push(b);
          o.onBadSource(b);
        },
      });
    }
    // --- end encrypted sources ---

    // --- IMAP feedback source (issue 9): read and check every report before learning anything ---
    if (imapSettings) {
      const pass = await passphrase();
      if (!src.encrypted) for (const w of pass.warnings) warn(w);
      const { FeedbackSource } = await import('../sources/imap.js');
      const feedback = new FeedbackSource({
        settings: imapSettings.settings,
        open: {
          gpg: await findGpg(),
          gnupgHome: imapSettings.settings.gnupgHome,
          passphrase: pass.passphrase,
          signers: imapSettings.settings.signers,
          acceptUnsigned: o.imap!.acceptUnsigned,
          signal: o.signal,
        },
        noSample: o.imap!.noSample,
        noMove: o.imap!.noMove,
        maxSize: o.maxSize,
        onWarning: warn,
      });
      src.feedbackSource = feedback;
      const reading = new Progress('reading feedback reports', o.progress, o.stderr);
      try {
        await feedback.read((n) => reading.update(n));
      } finally {
        reading.finish();
      }
    }
    // --- end IMAP feedback source ---
    return src;
  }

  /** The IMAP feedback source (--imap), when used. */
  get feedback(): FeedbackSource | undefined {
    return this.feedbackSource;
  }

  /** Bytes the training set's files hold (both classes), or null when unknown. */
  async listedBytes(): Promise<number | null> {
    const sizes = await Promise.all([listingBytes(this.listings.spam), listingBytes(this.listings.ham)]);
    return sizes[0] !== null && sizes[1] !== null ? sizes[0] + sizes[1] : null;
  }

  /** The training set's messages of a class, read (and decrypted) anew at each call. */
  private readStatic(cls: MessageClass, progress: Progress): AsyncIterable<SourceMessage> {
    const { maxSize } = this.o;
    const tooBig = this.tooBig;
    const encrypted = this.encrypted;
    return counted(
      readClass(this.listings[cls], {
        maxSize,
        onSkip: (s) => {
          tooBig[cls].add(s.origin);
          progress.addBytes(s.size ?? 0);
        },
        decrypt: encrypted && ((e) => encrypted.read(e, cls, { maxSize, onSkip: (s) => tooBig[cls].add(s.origin) })),
      }),
      progress,
    );
  }

  /**
   * The messages of a class to learn: the training set's, then (issue 9) the feedback reports of the
   * class, through --sample/--max-per-class unless --imap-no-sample. Bytes read go to `progress`.
   */
  selected(cls: MessageClass, progress: Progress): AsyncIterable<SourceMessage> {
    const feedback = this.feedbackSource;
    const sampledFeedback = feedback && !feedback.noSample ? feedback : undefined;
    const s = selectClass(
      () => (sampledFeedback ? sampledFeedback.append(cls, this.readStatic(cls, progress)) : this.readStatic(cls, progress)),
      cls,
      this.o.select,
      this.stats[cls],
    );
    if (!feedback) return s;
    return feedback.count(cls, feedback.noSample ? feedback.append(cls, s) : s);
  }

  /** CLASS_EMPTY when the engine examined no message of a class, with the reason. */
  checkLearned(result: Record<MessageClass, LearnCounts>): void {
    const { listings, tooBig, stats } = this;
    for (const cls of ['spam', 'ham'] as const) {
      if (result[cls].examined === 0) {
        const nbad = this.badSources.filter((b) => b.path.startsWith(`${listings[cls].dir}/`)).length;
        const why = stats[cls].read === 0 ? (tooBig[cls].size ? `all ${tooBig[cls].size} are over --max-size` : nbad ? `no message found (${nbad} encrypted file(s) skipped as bad)` : 'no message found') : 'none selected by --sample/--max-per-class';
        throw new SaTrainError('CLASS_EMPTY', `no ${cls} message to learn in ${listings[cls].dir}: ${why}`, { file: listings[cls].dir });
      }
    }
  }

  /** Once the dump is written (issue 9): the feedback reports are moved to their folders. */
  async afterWrite(): Promise<void> {
    if (this.feedbackSource) await this.feedbackSource.moveAfterWrite();
  }

  summarize(cls: MessageClass, learned: LearnCounts): ClassSummary {
    const stats = this.stats[cls];
    return {
      read: stats.read,
      examined: learned.examined,
      learned: learned.learned,
      skipped: {
        tooBig: this.tooBig[cls].size,
        sampledOut: stats.sampledOut,
        capped: stats.capped,
        alreadyLearned: learned.examined - learned.learned,
      },
    };
  }
}
