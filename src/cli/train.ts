// sa-train train: read a training set, sample it, learn it with an engine, write sa.dat atomically.
import { parseArgs } from 'node:util';
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { SaTrainError } from '../errors.js';
import { validateDump } from '../bayes/dump.js';
import { createEngine, ENGINE_NAMES, DEFAULT_ENGINE } from '../engines/index.js';
import type { EngineName } from '../engines/engine.js';
import type { IgnoredEntry } from '../sources/training-set.js';
import type { BadSource } from '../sources/gpg.js'; // issue 7
import { formatImapSummary, type ImapSummary } from '../sources/imap/summary.js'; // issue 9
import { writeFileAtomic } from './atomic-write.js';
import { Progress } from './progress.js';
import { intArg, fractionArg, choiceArg } from './args.js';
import { TrainingSources, type ClassSummary } from './train-sources.js';

/** sa-learn 4.0's default --max-size (ArchiveIterator BIG_BYTES): 500 KiB. */
export const DEFAULT_MAX_SIZE = 512000;
/** Bayes stays inactive until each class has this many messages (bayes_min_spam_num / bayes_min_ham_num). */
export const BAYES_MIN_PER_CLASS = 200;
/** Warn when ham is less than this share of spam: sa-learn's advice is ham >= spam. */
const HAM_SPAM_WARN_RATIO = 0.5;

export const TRAIN_HELP = `Usage: sa-train train --source DIR [options]

Learn the training set in DIR (DIR/ham and DIR/spam, each holding *.mbox files, Maildir folders,
directories of one-message files or *.eml files) and write a sa-learn --backup dump that
'sa-learn --restore' loads on every server.

Options:
  --source DIR         training set (required)
  --output FILE        dump to write (default: ./sa.dat); written atomically
  --engine NAME        native (default: our TypeScript port of SpamAssassin 4.0.1's learner, nothing
                       else needed) or spamassassin (the installed sa-learn, isolated; reads --sa-config)
  --jobs N             parallel workers or sa-learn instances (default: number of CPUs; the native
                       engine uses one thread for a training set under 16 MiB, where that is faster)
  --max-size BYTES     skip messages larger than this (default: ${DEFAULT_MAX_SIZE}, as sa-learn; 0 = no limit)
  --sample F           keep a random share F of each class (0 < F <= 1)
  --seed N             seed for --sample and --max-per-class (default: 1)
  --max-per-class N    learn at most N messages per class
  --now EPOCH          fix the clock (seconds since 1970) for messages without a usable date and for
                       the future-date clamp, so a run is reproducible (spamassassin engine: needs libfaketime)
  --sa-config DIR      spamassassin engine: use this site config directory (e.g. /etc/spamassassin)
                       instead of the package's plugin loaders only
  --passphrase-file F  encrypted sources (*.mbox.gpg, *.eml.gpg): the secret key's passphrase is the
                       first line of F (default: gpg-agent asks or already holds it)
  --passphrase-env NAME  the same, from environment variable NAME (never pass it on the command line)
  --skip-bad-sources   skip and report encrypted files that cannot be decrypted or fail their integrity
                       check, instead of failing the run
  --imap URL           also learn the sa-report feedback reports in this mailbox
                       (imaps://user@host:port/Mailbox; docs/imap-feedback.md)
  --imap-config FILE   the feedback mailbox's settings (host, port, tls, user, password_file, mailbox,
                       signer, processed_folder, rejected_folder, gnupg_home, ca_file)
  --imap-password-file F / --imap-password-env NAME   the IMAP password (never on the command line)
  --imap-signer FPR    a reporter (mail server) key fingerprint whose reports are accepted (repeatable)
  --imap-accept-unsigned  also learn reports that are unsigned or signed by another key
  --imap-insecure      allow an imap:// URL without TLS (loopback tests only)
  --imap-ca-file F     the CA certificate the IMAP server's certificate must chain to
  --imap-no-sample     learn every report: --sample and --max-per-class apply to the static set only
  --imap-no-move       leave the mailbox as it is (by default, after the dump is written, reports
                       are moved to 'processed' and rejected ones to 'rejected'; nothing is deleted)
  --imap-no-processed  do not read the reports learned by earlier runs (the processed folder)
  --quiet              no progress bar and no summary (warnings and errors still go to stderr)
  --json               print a JSON summary on stdout (for cron)
  -h, --help           this help

Exit status: 0 success, 2 bad arguments, 3 bad training set, 4 engine missing or failed,
5 output not written, 130 interrupted. On failure nothing is written and an existing output is left as it was.
`;

/**
 * Below this much input (and without --jobs) the native engine analyses in one thread: every analysing
 * thread pays V8's JIT warm-up (its first few hundred messages cost 3-5 times the later ones) and a single
 * thread leaves the other cores to the optimising compiler. Measured with 1 vs 2 threads on 2 CPUs:
 * 1,200 corpus messages (11 MB) 1.8 vs 2.2 s; 3,000 (23 MB) 3.2 vs 3.0 s; 1,200 HTML messages (44 MB)
 * 3.3 vs 2.4 s; 9,046 (55 MB) 7.2 vs 5.8 s.
 */
export const SINGLE_THREAD_BELOW_BYTES = 16 * 1024 * 1024;

export interface TrainSummary {
  engine: EngineName;
  output: string;
  seconds: number;
  nspam: number;
  nham: number;
  tokens: number;
  /** Worker threads (native) or sa-learn instances used. */
  jobs: number;
  spam: ClassSummary;
  ham: ClassSummary;
  ignored: IgnoredEntry[];
  /** Encrypted files skipped with --skip-bad-sources. */
  badSources: BadSource[];
  warnings: string[];
  /** The IMAP feedback source (--imap), when used. */
  imap?: ImapSummary;
}

export async function train(argv: string[], io: { stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream }): Promise<TrainSummary | null> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      source: { type: 'string' },
      output: { type: 'string', default: 'sa.dat' },
      engine: { type: 'string' },
      jobs: { type: 'string' },
      'max-size': { type: 'string' },
      sample: { type: 'string' },
      seed: { type: 'string' },
      'max-per-class': { type: 'string' },
      now: { type: 'string' },
      'sa-config': { type: 'string' },
      'passphrase-file': { type: 'string' },
      'passphrase-env': { type: 'string' },
      'skip-bad-sources': { type: 'boolean', default: false },
      // --- IMAP feedback source (issue 9) ---
      imap: { type: 'string' },
      'imap-config': { type: 'string' },
      'imap-password-file': { type: 'string' },
      'imap-password-env': { type: 'string' },
      'imap-signer': { type: 'string', multiple: true },
      'imap-accept-unsigned': { type: 'boolean', default: false },
      'imap-insecure': { type: 'boolean', default: false },
      'imap-ca-file': { type: 'string' },
      'imap-no-sample': { type: 'boolean', default: false },
      'imap-no-move': { type: 'boolean', default: false },
      'imap-no-processed': { type: 'boolean', default: false },
      // --- end IMAP feedback source ---
      quiet: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout.write(TRAIN_HELP);
    return null;
  }
  if (!values.source) throw new SaTrainError('BAD_ARGUMENT', '--source DIR is required (see sa-train train --help)');
  const engineName = choiceArg('engine', values.engine, DEFAULT_ENGINE, ENGINE_NAMES);
  let jobs = intArg('jobs', values.jobs, availableParallelism(), 1, 256);
  const maxSize = intArg('max-size', values['max-size'], DEFAULT_MAX_SIZE, 0);
  const sample = fractionArg('sample', values.sample, 1);
  const seed = intArg('seed', values.seed, 1, 0);
  const maxPerClass = intArg('max-per-class', values['max-per-class'], 0, 1);
  const now = values.now === undefined ? undefined : intArg('now', values.now, 0, 1, 2 ** 32 - 1);
  const output = resolve(values.output!);
  const source = resolve(values.source);
  const quiet = values.quiet || values.json;
  const started = Date.now();

  try {
    if (!(await stat(source)).isDirectory()) throw new Error('not a directory');
  } catch {
    throw new SaTrainError('SOURCE_MISSING', `training set ${source} does not exist or is not a directory`, { file: source });
  }
  try {
    const st = await stat(output);
    if (st.isDirectory()) throw new SaTrainError('BAD_ARGUMENT', `--output ${output} is a directory`);
  } catch (e) {
    if (e instanceof SaTrainError) throw e;
  }

  const engine = await createEngine(engineName, { siteConfig: values['sa-config'] });
  await engine.check({ needClock: now !== undefined });

  const warnings: string[] = [];
  const warn = (w: string): void => {
    warnings.push(w);
    if (!values.json) io.stderr.write(`sa-train: warning: ${w}\n`);
  };
  const bar = !quiet && Boolean(io.stderr.isTTY);
  const ac = new AbortController();
  const sources = await TrainingSources.open({
    source,
    engineName,
    maxSize,
    select: { sample, seed, maxPerClass },
    passphraseFile: values['passphrase-file'],
    passphraseEnv: values['passphrase-env'],
    skipBadSources: values['skip-bad-sources'],
    // --- IMAP feedback source (issue 9) ---
    imap:
      values.imap !== undefined || values['imap-config'] !== undefined
        ? {
            settings: {
              url: values.imap,
              config: values['imap-config'],
              passwordFile: values['imap-password-file'],
              passwordEnv: values['imap-password-env'],
              signers: values['imap-signer'],
              insecure: values['imap-insecure'],
              caFile: values['imap-ca-file'],
              readProcessed: values['imap-no-processed'] ? false : undefined,
            },
            acceptUnsigned: values['imap-accept-unsigned'],
            noSample: values['imap-no-sample'],
            noMove: values['imap-no-move'],
          }
        : undefined,
    // --- end IMAP feedback source ---
    signal: ac.signal,
    warn,
    onBadSource: (b) => {
      if (!values.json) io.stderr.write(`sa-train: warning: skipped ${b.path}: ${b.message}\n`);
    },
    progress: bar,
    stderr: io.stderr,
  });

  const progress = new Progress(`learning (${engineName})`, bar, io.stderr);
  {
    // The ETA of a streaming engine comes from the bytes read (a class is read twice with --max-per-class).
    const listed = await sources.listedBytes();
    if (listed !== null) progress.setTotalBytes(listed * (maxPerClass > 0 ? 2 : 1));
    // Without --jobs, a small training set is analysed in one thread (see SINGLE_THREAD_BELOW_BYTES).
    const small = listed !== null && listed < SINGLE_THREAD_BELOW_BYTES;
    if (values.jobs === undefined && engineName === 'native' && small && !sources.feedback) jobs = 1;
  }

  const onSignal = (): void => ac.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let result;
  try {
    result = await engine.learn({
      spam: () => sources.selected('spam', progress),
      ham: () => sources.selected('ham', progress),
      now,
      jobs,
      signal: ac.signal,
      onProgress: (n) => progress.update(n),
      onTotal: (n) => progress.setTotal(n),
    });
  } finally {
    progress.finish();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (ac.signal.aborted) throw new SaTrainError('INTERRUPTED', 'interrupted');

  sources.checkLearned(result);
  const { dump } = result;
  if (dump.nspam < BAYES_MIN_PER_CLASS || dump.nham < BAYES_MIN_PER_CLASS) {
    warn(
      `SpamAssassin uses Bayes only after ${BAYES_MIN_PER_CLASS} spam and ${BAYES_MIN_PER_CLASS} ham (bayes_min_spam_num/bayes_min_ham_num); this dump has ${dump.nspam} spam and ${dump.nham} ham`,
    );
  }
  if (dump.nham < dump.nspam * HAM_SPAM_WARN_RATIO) {
    warn(`ham (${dump.nham}) is much smaller than spam (${dump.nspam}): train at least as much ham as spam, or the filter leans to false positives`);
  }

  const bytes = dump.bytes();
  await writeFileAtomic(output, bytes, () => {
    const v = validateDump(bytes.toString('latin1'));
    if (v.nspam !== dump.nspam || v.nham !== dump.nham || v.tokens !== dump.tokens || v.seen !== dump.seen) {
      throw new SaTrainError('DUMP_INVALID', `the written dump does not match what was learned (${v.tokens} token lines for ${dump.tokens} tokens)`);
    }
  });
  // --- IMAP feedback source (issue 9): only now that the dump is written are the reports moved ---
  await sources.afterWrite();
  // --- end IMAP feedback source ---

  const summary: TrainSummary = {
    engine: engineName,
    output,
    seconds: Math.round((Date.now() - started) / 100) / 10,
    nspam: dump.nspam,
    nham: dump.nham,
    tokens: dump.tokens,
    jobs,
    spam: sources.summarize('spam', result.spam),
    ham: sources.summarize('ham', result.ham),
    ignored: sources.ignored,
    badSources: sources.badSources,
    warnings,
    ...(sources.feedback ? { imap: sources.feedback.summary() } : {}), // issue 9
  };
  if (values.json) io.stdout.write(JSON.stringify(summary, null, 2) + '\n');
  else if (!values.quiet) io.stderr.write(formatSummary(summary));
  return summary;
}

function formatSummary(s: TrainSummary): string {
  const line = (cls: 'spam' | 'ham'): string => {
    const c = s[cls];
    const skips = [
      c.skipped.alreadyLearned && `${c.skipped.alreadyLearned} already learned`,
      c.skipped.tooBig && `${c.skipped.tooBig} over --max-size`,
      c.skipped.sampledOut && `${c.skipped.sampledOut} sampled out`,
      c.skipped.capped && `${c.skipped.capped} over --max-per-class`,
    ].filter(Boolean);
    return `  ${cls.padEnd(4)} ${c.learned} learned of ${c.examined} examined${skips.length ? ` (${skips.join(', ')})` : ''}\n`;
  };
  return (
    `sa-train: wrote ${s.output}: ${s.nspam} spam, ${s.nham} ham, ${s.tokens} tokens (${s.engine} engine, ${s.seconds} s)\n` +
    line('spam') +
    line('ham') +
    (s.imap ? formatImapSummary(s.imap) : '') + // issue 9
    (s.badSources.length ? `  skipped ${s.badSources.length} bad encrypted source(s):\n${s.badSources.map((b) => `    ${b.path}: ${b.reason}\n`).join('')}` : '')
  );
}
