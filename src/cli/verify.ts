// sa-train verify: run both engines on the same messages of an operator's own training set and print the
// parity figures (identical token lines; messages, per region), so anyone can check the native engine on
// their own mail. Exit 0 when the dumps are identical, 6 when they differ.
import { parseArgs } from 'node:util';
import { readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { train } from './train.js';
import { EXIT } from './exit-codes.js';
import { SaTrainError } from '../errors.js';
import { compareDumps, formatDumpComparison, formatReport, reportIsClean } from '../parity/compare.js';
import { runParity, expandTargets } from '../parity/run.js';
import { loadNativeAnalyzer } from '../parity/native-side.js';
import { privateTempDir } from '../engines/spamassassin/isolation.js';

export const VERIFY_HELP = `Usage: sa-train verify --source DIR [options]

Learn the training set in DIR with both engines (native and spamassassin) on the same messages and compare:
the dumps as sets of lines, then every message's tokens by region (header, relay, body, invisible, uri),
its message id and its date. Exit status 0 when the dumps are identical, 6 when they differ.

Options:
  --source DIR        training set (DIR/ham, DIR/spam), as for train
  --sample F          compare a random share F of each class (0 < F <= 1)
  --seed N            seed for --sample (default: 1)
  --max-size BYTES    as for train (default: 512000)
  --now EPOCH         fixed clock for both engines (default: the current time, fixed for the run)
  --jobs N            as for train
  --messages          also compare message by message (slower: runs SpamAssassin's tokenizer per message)
  --show N            differing messages to list (default: 10)
  --json              print the figures as JSON
  -h, --help          this help
`;

/** A sink for train()'s stdout when its summary is not wanted. */
function devNull(): NodeJS.WriteStream {
  return new Writable({ write: (_c, _e, cb) => cb() }) as unknown as NodeJS.WriteStream;
}

export async function verify(argv: string[], io: { stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream }): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      source: { type: 'string' },
      sample: { type: 'string' },
      seed: { type: 'string' },
      'max-size': { type: 'string' },
      now: { type: 'string' },
      jobs: { type: 'string' },
      messages: { type: 'boolean', default: false },
      show: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout.write(VERIFY_HELP);
    return EXIT.OK;
  }
  if (!values.source) throw new SaTrainError('BAD_ARGUMENT', '--source DIR is required (see sa-train verify --help)');
  const now = values.now ?? String(Math.floor(Date.now() / 1000));
  const common = ['--source', values.source, '--now', now, '--quiet'];
  for (const k of ['sample', 'seed', 'max-size', 'jobs'] as const) if (values[k] !== undefined) common.push(`--${k}`, values[k]!);

  const dir = await privateTempDir('sa-train-verify-');
  try {
    const out = { native: join(dir, 'native.dat'), spamassassin: join(dir, 'sa.dat') };
    const quietIo = { stdout: devNull(), stderr: io.stderr };
    if (!values.json) io.stderr.write('verify: learning with the spamassassin engine...\n');
    await train([...common, '--engine', 'spamassassin', '--output', out.spamassassin], quietIo);
    if (!values.json) io.stderr.write('verify: learning with the native engine...\n');
    await train([...common, '--engine', 'native', '--output', out.native], quietIo);
    const dumps = compareDumps(await readFile(out.spamassassin, 'latin1'), await readFile(out.native, 'latin1'));

    let messages = null;
    if (values.messages) {
      if (!values.json) io.stderr.write('verify: comparing message by message...\n');
      const analyze = await loadNativeAnalyzer();
      const src = resolve(values.source);
      messages = await runParity(expandTargets([join(src, 'spam'), join(src, 'ham')]), analyze, {
        sample: values.sample === undefined ? undefined : Number(values.sample),
        seed: values.seed ?? 1,
        maxSize: values['max-size'] === undefined ? undefined : Number(values['max-size']),
        keepDiffs: values.show === undefined ? 10 : Number(values.show),
      });
    }
    const same = dumps.identical && (!messages || reportIsClean(messages));
    if (values.json) {
      io.stdout.write(JSON.stringify({ identical: same, dumps, messages }, null, 2) + '\n');
    } else {
      io.stdout.write(`dumps (spamassassin vs native)\n${formatDumpComparison(dumps)}\n`);
      if (messages) io.stdout.write(`\nmessages\n${formatReport(messages)}\n`);
      io.stdout.write(same ? '\nverify: the engines agree.\n' : '\nverify: the engines DIFFER (see above).\n');
    }
    return same ? EXIT.OK : EXIT.DIFFERENT;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
