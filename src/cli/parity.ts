#!/usr/bin/env node
// npm run parity: the differential harness. Runs SpamAssassin's Bayes learner (oracle, via
// tools/probes/sa-tokens.pl) and the native engine on the same messages and reports how far the token
// sets, generated ids and dates agree. Exit 0 = identical, 1 = differences, 2 = usage or setup error.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { isSaTrainError } from '../errors.js';
import { compareDumps, formatDumpComparison, formatReport, reportIsClean } from '../parity/compare.js';
import { loadNativeAnalyzer } from '../parity/native-side.js';
import { REGIONS, isRegion, type Region } from '../parity/regions.js';
import { runParity, SA_DEFAULT_MAX_SIZE, type ParityOptions } from '../parity/run.js';

const USAGE = `usage: npm run parity -- DIR_OR_FILES... [options]
       npm run parity -- --dumps SA_BACKUP NATIVE_BACKUP

Runs SpamAssassin (tools/probes/sa-tokens.pl) and the native engine on the same messages.
Files ending in .mbox are split like sa-learn --mbox; other files are one message; directories are
expanded recursively (sorted).

  --limit N        compare at most N messages
  --sample F       keep each message with probability F (0 < F <= 1), deterministic for a seed
  --seed N         sampling seed (default 0)
  --region R       compare only region R (header, relay, body, invisible, uri; comma-separated list ok)
  --max-size B     skip messages larger than B bytes (default ${SA_DEFAULT_MAX_SIZE}, 0 = no limit)
  --show N         list up to N differing messages (default 10)
  --json           print the report as JSON
  --dumps A B      compare two sa-learn --backup dumps as sets of lines (A = reference)

Exit status: 0 all identical, 1 differences, 2 usage or setup error.
`;

/** Exit codes of this command. */
const EXIT_OK = 0;
const EXIT_DIFF = 1;
const EXIT_USAGE = 2;

class UsageError extends Error {}

function intOpt(name: string, v: string | undefined, min: number): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < min) throw new UsageError(`--${name} expects an integer >= ${min}, got "${v}"`);
  return Number(v);
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        limit: { type: 'string' },
        sample: { type: 'string' },
        seed: { type: 'string' },
        region: { type: 'string' },
        'max-size': { type: 'string' },
        show: { type: 'string' },
        json: { type: 'boolean' },
        dumps: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { values: v, positionals } = parsed;
  if (v.help) {
    process.stdout.write(USAGE);
    return EXIT_OK;
  }

  if (v.dumps) {
    if (positionals.length !== 2) throw new UsageError('--dumps takes exactly two files');
    const c = compareDumps(readFileSync(positionals[0]!, 'latin1'), readFileSync(positionals[1]!, 'latin1'));
    process.stdout.write(v.json ? JSON.stringify(c, null, 2) + '\n' : formatDumpComparison(c));
    return c.identical ? EXIT_OK : EXIT_DIFF;
  }

  if (positionals.length === 0) throw new UsageError('no input given');
  const opts: ParityOptions = {};
  const limit = intOpt('limit', v.limit, 1);
  if (limit !== undefined) opts.limit = limit;
  if (v.sample !== undefined) {
    const f = Number(v.sample);
    if (!(f > 0 && f <= 1)) throw new UsageError(`--sample expects a fraction in (0, 1], got "${v.sample}"`);
    opts.sample = f;
  }
  if (v.seed !== undefined) {
    if (v.sample === undefined) throw new UsageError('--seed needs --sample');
    opts.seed = intOpt('seed', v.seed, 0)!;
  }
  if (v.region !== undefined) {
    const rs = v.region.split(',').map((s) => s.trim());
    const bad = rs.filter((r) => !isRegion(r));
    if (bad.length || rs.length === 0) throw new UsageError(`--region: unknown region ${bad.join(', ')} (known: ${REGIONS.join(', ')})`);
    opts.regions = rs as Region[];
  }
  const maxSize = intOpt('max-size', v['max-size'], 0);
  if (maxSize !== undefined) opts.maxSize = maxSize;
  const show = intOpt('show', v.show, 0);
  if (show !== undefined) opts.keepDiffs = show;

  const analyze = await loadNativeAnalyzer();
  const report = await runParity(positionals, analyze, opts);
  process.stdout.write(v.json ? JSON.stringify(report, null, 2) + '\n' : formatReport(report));
  return reportIsClean(report) ? EXIT_OK : EXIT_DIFF;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (e instanceof UsageError) {
      process.stderr.write(`parity: ${e.message}\n\n${USAGE}`);
    } else if (isSaTrainError(e)) {
      process.stderr.write(`parity: ${e.describe()}\n`);
    } else {
      process.stderr.write(`parity: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    }
    process.exitCode = EXIT_USAGE;
  },
);
