#!/usr/bin/env node
// npm run bench: the native engine against sa-learn (--engine spamassassin) on the same training sets
// in the same run, as whole processes (sa-train train, wall clock, peak RSS of the process tree), then
// the native engine alone on the full shared corpora with --jobs 1 and 2, and on two corpus sizes to
// show that memory follows the token table, not the input. Prints markdown; --update-docs also writes
// the tables into docs/performance.md (between the bench markers).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { run, type Measured } from './bench/measure.js';
import { drawClassic, generateModern, hasCorpora, linkCorpora, CORPUS_NAMES } from './bench/corpus.js';

const here = dirname(fileURLToPath(import.meta.url));
const REPO = join(here, '..', '..');
const CLI = join(REPO, 'dist', 'src', 'cli', 'sa-train.js');
const DOCS = join(REPO, 'docs', 'performance.md');
const MARK_START = '<!-- bench:start -->';
const MARK_END = '<!-- bench:end -->';
/** A fixed clock: both engines see the same "now", so their dumps can be compared byte for byte. */
const NOW = 1767225600;

const USAGE = `usage: npm run bench -- [options]
  --messages N     messages per bench corpus (default 1200: N/4 from each corpus and class; N/2
                   generated modern HTML messages per class)
  --corpora DIR    the shared corpora (default: ../shared/corpora beside the repository)
  --runs N         native runs per comparison set, the median is reported (default 3; sa-learn runs once)
  --jobs N         workers for both engines in the comparison (default: CPUs = ${availableParallelism()} for
                   sa-learn, the engine's own choice for native: one thread under 16 MiB, else CPUs)
  --no-sa          skip sa-learn
  --no-full        skip the full-corpus runs
  --full-sa        also compare with sa-learn on both full shared corpora together (9,046 messages;
                   sa-learn takes about 100 s there)
  --update-docs    write the tables into docs/performance.md
`;

interface Row {
  cells: string[];
}

function table(head: string[], rows: Row[]): string {
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of rows) lines.push(`| ${r.cells.join(' | ')} |`);
  return lines.join('\n');
}

interface Summary {
  nspam: number;
  nham: number;
  tokens: number;
  jobs: number;
  spam: { examined: number };
  ham: { examined: number };
}

/** One sa-train train process; `jobs` undefined: the engine's default (the native engine picks 1 thread for small sets). */
async function train(engine: 'native' | 'spamassassin', source: string, output: string, jobs: number | undefined, extra: string[] = []): Promise<{ m: Measured; s: Summary; messages: number }> {
  const jobsArg = jobs === undefined ? [] : ['--jobs', String(jobs)];
  const m = await run(process.execPath, [CLI, 'train', '--engine', engine, '--source', source, '--output', output, ...jobsArg, '--now', String(NOW), '--json', ...extra]);
  if (m.code !== 0) throw new Error(`sa-train --engine ${engine} on ${source} failed (exit ${m.code}): ${m.stderr.trim().slice(-800)}`);
  const s = JSON.parse(m.stdout) as Summary;
  return { m, s, messages: s.spam.examined + s.ham.examined };
}

const f1 = (x: number): string => x.toFixed(1);
const f0 = (x: number): string => x.toFixed(0);

function dumpDiff(a: string, b: string): string {
  const x = readFileSync(a);
  const y = readFileSync(b);
  if (x.equals(y)) return 'identical';
  const la = x.toString('latin1').split('\n');
  const lb = y.toString('latin1').split('\n');
  const sa = new Set(la);
  const sb = new Set(lb);
  return `differ (${la.filter((l) => !sb.has(l)).length} lines only in sa-learn's, ${lb.filter((l) => !sa.has(l)).length} only in native's)`;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      messages: { type: 'string', default: '1200' },
      runs: { type: 'string', default: '3' },
      corpora: { type: 'string', default: join(REPO, '..', 'shared', 'corpora') },
      jobs: { type: 'string' },
      'no-sa': { type: 'boolean', default: false },
      'no-full': { type: 'boolean', default: false },
      'full-sa': { type: 'boolean', default: false },
      'update-docs': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const n = Number(values.messages);
  const jobs = Number(values.jobs ?? availableParallelism());
  const nativeJobs = values.jobs === undefined ? undefined : jobs;
  const runs = Number(values.runs);
  if (!Number.isInteger(n) || n < 8 || !Number.isInteger(jobs) || jobs < 1 || !Number.isInteger(runs) || runs < 1) {
    process.stderr.write(USAGE);
    return 2;
  }
  if (!existsSync(CLI)) {
    process.stderr.write(`bench: ${CLI} is missing: run npm run build first\n`);
    return 2;
  }
  const corpora = values.corpora!;
  const notes: string[] = [];
  const haveCorpora = hasCorpora(corpora);
  if (!haveCorpora) notes.push(`**The shared corpora are absent** (${corpora}: needs ${CORPUS_NAMES.join(', ')} with ham/ and spam/): the classic-mail and full-corpus rows are skipped.`);
  const haveSa = !values['no-sa'] && spawnSync('sa-learn', ['--version'], { stdio: 'ignore' }).status === 0;
  if (values['no-sa']) notes.push('sa-learn skipped (--no-sa).');
  else if (!haveSa) notes.push('**sa-learn is not installed** (apt-get install spamassassin): native engine only, no ratio.');
  const load0 = loadavg()[0]!;
  const cores = availableParallelism();
  if (load0 > cores * 0.75) notes.push(`Load average was ${load0.toFixed(1)} at start on ${cores} CPUs: the machine was busy, numbers are pessimistic.`);
  for (const note of notes) process.stderr.write(`bench: ${note.replace(/\*\*/g, '')}\n`);

  const tmp = mkdtempSync(join(tmpdir(), 'sa-train-bench-'));
  const sections: string[] = [];
  try {
    // ---- 1. Native vs sa-learn on the same messages.
    const sets: Array<{ name: string; dir: string }> = [];
    if (haveCorpora) {
      const dir = join(tmp, 'classic');
      const got = await drawClassic(corpora, dir, Math.floor(n / 4));
      sets.push({ name: `shared corpora draw (${got} msgs: ${Math.floor(n / 4)} per corpus and class)`, dir });
    }
    const modern = join(tmp, 'modern');
    const gm = generateModern(modern, Math.floor(n / 2));
    sets.push({ name: `generated modern HTML mail (${gm} msgs)`, dir: modern });
    if (haveCorpora && values['full-sa']) {
      const dir = join(tmp, 'full-all');
      linkCorpora(corpora, CORPUS_NAMES, dir);
      sets.push({ name: 'both full shared corpora', dir });
    }
    const cmpRows: Row[] = [];
    for (const set of sets) {
      process.stderr.write(`bench: ${set.name}: native...\n`);
      // Median of `runs` native runs (a 2-6 s run varies by 10-30% on a shared machine); sa-learn runs once.
      const natRuns = [];
      for (let r = 0; r < runs; r++) natRuns.push(await train('native', set.dir, join(tmp, 'native.dat'), nativeJobs));
      natRuns.sort((a, b) => a.m.wallS - b.m.wallS);
      const nat = natRuns[Math.floor((natRuns.length - 1) / 2)]!;
      const natRate = nat.messages / nat.m.wallS;
      const row = [set.name, nativeJobs === undefined ? `native (default: ${nat.s.jobs} thread${nat.s.jobs > 1 ? 's' : ''})` : `native --jobs ${jobs}`, String(nat.messages), f1(nat.m.wallS), f0(natRate), nat.m.cpuS === null ? '-' : f1(nat.m.cpuS), f0(nat.m.peakMb), '', ''];
      cmpRows.push({ cells: row });
      if (haveSa) {
        process.stderr.write(`bench: ${set.name}: sa-learn...\n`);
        const sa = await train('spamassassin', set.dir, join(tmp, 'sa.dat'), jobs);
        const saRate = sa.messages / sa.m.wallS;
        const same = dumpDiff(join(tmp, 'sa.dat'), join(tmp, 'native.dat'));
        cmpRows.push({ cells: [set.name, `sa-learn --jobs ${jobs}`, String(sa.messages), f1(sa.m.wallS), f0(saRate), sa.m.cpuS === null ? '-' : f1(sa.m.cpuS), f0(sa.m.peakMb), '', same] });
        row[7] = `**${f0(natRate / saRate)}x**${nat.m.cpuS && sa.m.cpuS ? ` (CPU ${f0(sa.m.cpuS / nat.m.cpuS)}x)` : ''}`;
        row[8] = same;
      }
    }
    sections.push(
      `### Native engine vs sa-learn (whole \`sa-train train\` processes, same messages, same clock; native: median of ${runs} runs)\n\n` +
        table(['corpus', 'engine', 'messages', 'wall s', 'msg/s', 'CPU s', 'peak RSS MB', 'native/sa-learn', 'dumps'], cmpRows),
    );

    // ---- 2. Native alone on the full corpora, and memory against corpus size.
    if (haveCorpora && !values['no-full']) {
      const fullRows: Row[] = [];
      const runs: Array<{ name: string; names: readonly string[]; jobs: number; extra: string[] }> = [];
      for (const c of CORPUS_NAMES) for (const j of [1, 2]) runs.push({ name: c, names: [c], jobs: j, extra: [] });
      runs.push({ name: 'both corpora, 25% sample', names: CORPUS_NAMES, jobs: 2, extra: ['--sample', '0.25'] });
      runs.push({ name: 'both corpora', names: CORPUS_NAMES, jobs: 2, extra: [] });
      for (const r of runs) {
        const dir = r.names.length === CORPUS_NAMES.length ? join(tmp, 'full-all') : join(tmp, `full-${r.names.join('+')}`);
        if (!existsSync(dir)) linkCorpora(corpora, r.names, dir);
        process.stderr.write(`bench: native --jobs ${r.jobs} on ${r.name}...\n`);
        const nat = await train('native', dir, join(tmp, 'full.dat'), r.jobs, r.extra);
        fullRows.push({
          cells: [r.name, String(r.jobs), String(nat.messages), String(nat.s.tokens), f1(nat.m.wallS), f0(nat.messages / nat.m.wallS), nat.m.cpuS === null ? '-' : f1(nat.m.cpuS), f0(nat.m.peakMb)],
        });
      }
      sections.push('### Native engine on the full shared corpora\n\n' + table(['corpus', 'jobs', 'messages', 'tokens', 'wall s', 'msg/s', 'CPU s', 'peak RSS MB'], fullRows));
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }

  const machine = `Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cores} CPUs, Node ${process.version}, load average ${load0.toFixed(1)} at start (${loadavg()[0]!.toFixed(1)} at the end). ${new Date().toISOString().slice(0, 10)}.`;
  const out = [machine, ...notes, ...sections].join('\n\n') + '\n';
  process.stdout.write(out);
  if (values['update-docs']) {
    const doc = existsSync(DOCS) ? readFileSync(DOCS, 'utf8') : `# Performance\n\n${MARK_START}\n${MARK_END}\n`;
    const a = doc.indexOf(MARK_START);
    const b = doc.indexOf(MARK_END);
    if (a < 0 || b < a) throw new Error(`${DOCS} lacks the ${MARK_START} ... ${MARK_END} markers`);
    writeFileSync(DOCS, doc.slice(0, a + MARK_START.length) + '\n' + out + doc.slice(b));
    process.stderr.write(`bench: wrote ${DOCS}\n`);
  }
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (e) => {
    process.stderr.write(`bench: ${(e as Error).message}\n`);
    process.exitCode = 1;
  },
);
