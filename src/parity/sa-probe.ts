// Runs tools/probes/sa-tokens.pl (the installed SpamAssassin's Bayes learner, Plugin/Bayes.pm, used as
// an oracle) on files and yields its per-message records, streamed line by line.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { SaTrainError } from '../errors.js';
import type { PerlStr } from '../mail/perlstr.js';
import type { TokenRegions } from './regions.js';

/** Path of the probe relative to the package root. */
const PROBE_REL = join('tools', 'probes', 'sa-tokens.pl');
/** How many directory levels to climb from this module looking for the package root (src/ or dist/src/). */
const MAX_ROOT_CLIMB = 4;
/** Bytes of the probe's stderr kept for error messages. */
const STDERR_KEEP_BYTES = 4096;

/** A message SpamAssassin analysed. Strings are binary strings (one char per byte) unless noted. */
export interface SaMessageRecord {
  kind: 'message';
  i: number;
  file: string;
  offset: number;
  size: number;
  /** The message had X-Spam-Checker-Version and was rebuilt without SpamAssassin markup. */
  reparsed: boolean;
  msgid: string;
  hdrMsgid: string | null;
  /** Message.pm receive_date, before the learner's "+1 day => now" clamp. */
  date: number;
  bodyDigest: string;
  visible: string[];
  invisible: string[];
  /** URI list; `chars` marks Perl character strings (code points, may exceed 0xFF). */
  uris: PerlStr[];
  headers: string[];
  metadata: Record<string, string>;
  /** prefix -> value as _tokenize_headers returns them. */
  headerValues: Record<string, string>;
  tokens: TokenRegions;
  /** Sorted 10-hex keys of Plugin/Bayes.pm::tokenize. */
  keys: string[];
  /** Regions whose tokenize cap was reached (token set then depends on Perl's hash order). */
  capped: string[];
  /** Byte-string fields that were character strings in Perl (see the probe's header). */
  flagged: string[];
  raw?: string;
}

export interface SaSkipRecord {
  kind: 'skipped';
  i: number;
  file: string;
  offset: number;
  reason: 'max_size';
}

export interface SaErrorRecord {
  kind: 'error';
  i: number;
  file: string;
  offset: number;
  size: number;
  error: string;
  raw?: string;
}

export type SaRecord = SaMessageRecord | SaSkipRecord | SaErrorRecord;

export interface ProbeOptions {
  /** sa-learn --max-size (bytes, 0 = unlimited); default the probe's (512000). */
  maxSize?: number;
  /** Stop after this many records. */
  limit?: number;
  /** Keep each message with this probability (deterministic, see the probe). */
  sample?: number;
  seed?: string | number;
  /** Ask for the raw message bytes in each record. */
  raw?: boolean;
  /** perl executable (default "perl"). */
  perl?: string;
  /** Probe script (default: tools/probes/sa-tokens.pl of this package). */
  script?: string;
  /** Scratch HOME for SpamAssassin (default: the probe makes and removes a temp dir). */
  home?: string;
}

/** Locate tools/probes/sa-tokens.pl from this module (works from src/ and dist/src/). */
export function probeScriptPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let k = 0; k <= MAX_ROOT_CLIMB; k++) {
    const candidate = join(dir, PROBE_REL);
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new SaTrainError('ENGINE_MISSING', `cannot find ${PROBE_REL} above ${fileURLToPath(import.meta.url)}`);
}

/** True if perl can load the installed Mail::SpamAssassin. */
export function saAvailable(perl = 'perl'): boolean {
  const r = spawnSync(perl, ['-MMail::SpamAssassin', '-e', '1'], { stdio: 'ignore' });
  return r.status === 0;
}

interface RawRecord {
  i: number;
  file: string;
  offset: number;
  size?: number;
  skipped?: string;
  error?: string;
  raw?: string;
  reparsed?: number;
  msgid?: string;
  hdr_msgid?: string | null;
  date?: number;
  body_digest?: string;
  visible?: string[];
  invisible?: string[];
  uris?: { s: string; chars: number }[];
  headers?: string[];
  metadata?: Record<string, string>;
  header_values?: Record<string, string>;
  tokens?: TokenRegions;
  keys?: string[];
  capped?: string[];
  flagged?: string[];
}

/** Turn one JSON line of the probe into a typed record. */
export function parseProbeLine(line: string): SaRecord {
  let r: RawRecord;
  try {
    r = JSON.parse(line) as RawRecord;
  } catch (e) {
    throw new SaTrainError('ENGINE_FAILED', `sa-tokens.pl printed a line that is not JSON: ${line.slice(0, 120)}`, undefined, { cause: e });
  }
  const base = { i: r.i, file: r.file, offset: r.offset };
  if (r.skipped !== undefined) return { kind: 'skipped', ...base, reason: 'max_size' };
  if (r.error !== undefined) {
    const e: SaErrorRecord = { kind: 'error', ...base, size: r.size ?? 0, error: r.error };
    if (r.raw !== undefined) e.raw = r.raw;
    return e;
  }
  if (!r.tokens || !r.keys || r.msgid === undefined || r.date === undefined) {
    throw new SaTrainError('ENGINE_FAILED', `sa-tokens.pl record ${r.i} lacks fields`);
  }
  const m: SaMessageRecord = {
    kind: 'message',
    ...base,
    size: r.size ?? 0,
    reparsed: r.reparsed === 1,
    msgid: r.msgid,
    hdrMsgid: r.hdr_msgid ?? null,
    date: r.date,
    bodyDigest: r.body_digest ?? '',
    visible: r.visible ?? [],
    invisible: r.invisible ?? [],
    uris: (r.uris ?? []).map((u) => ({ s: u.s, chars: u.chars === 1 })),
    headers: r.headers ?? [],
    metadata: r.metadata ?? {},
    headerValues: r.header_values ?? {},
    tokens: r.tokens,
    keys: r.keys,
    capped: r.capped ?? [],
    flagged: r.flagged ?? [],
  };
  if (r.raw !== undefined) m.raw = r.raw;
  return m;
}

function probeArgs(script: string, paths: string[], opts: ProbeOptions): string[] {
  const args = [script];
  if (opts.maxSize !== undefined) args.push('--max-size', String(opts.maxSize));
  if (opts.limit !== undefined) args.push('--limit', String(opts.limit));
  if (opts.sample !== undefined) args.push('--sample', String(opts.sample));
  if (opts.seed !== undefined) args.push('--seed', String(opts.seed));
  if (opts.raw) args.push('--raw');
  args.push('--', ...paths);
  return args;
}

/**
 * Run the probe on `paths` and yield one record per message, in input order. The output is read line
 * by line; stopping the iteration early kills the probe.
 */
export async function* runSaProbe(paths: string[], opts: ProbeOptions = {}): AsyncGenerator<SaRecord> {
  const script = opts.script ?? probeScriptPath();
  const env: NodeJS.ProcessEnv = { ...process.env, TZ: 'UTC', PERL_HASH_SEED: '0', PERL_PERTURB_KEYS: '0' };
  if (opts.home !== undefined) env['SA_TOKENS_HOME'] = opts.home;
  const child = spawn(opts.perl ?? 'perl', probeArgs(script, paths, opts), { env, stdio: ['ignore', 'pipe', 'pipe'] });

  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => {
    stderr = (stderr + d).slice(-STDERR_KEEP_BYTES);
  });
  let spawnError: Error | null = null;
  const exited = new Promise<number | null>((resolve) => {
    child.on('error', (e) => {
      spawnError = e;
      resolve(null);
    });
    child.on('close', (code) => resolve(code));
  });

  let finished = false;
  try {
    // The output is pure ASCII (JSON \u escapes), so decoding it as latin1 is exact and cheap.
    child.stdout.setEncoding('latin1');
    const rl = createInterface({ input: child.stdout, crlfDelay: Infinity });
    for await (const line of rl) {
      if (line === '') continue;
      yield parseProbeLine(line);
    }
    const code = await exited;
    finished = true;
    if (spawnError) {
      throw new SaTrainError('ENGINE_MISSING', `cannot run perl: ${(spawnError as Error).message}`, undefined, { cause: spawnError });
    }
    if (code !== 0) {
      throw new SaTrainError('ENGINE_FAILED', `sa-tokens.pl exited with ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
    }
  } finally {
    if (!finished && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
    }
  }
}
