// Runs both sides of the differential harness on the same messages: SpamAssassin through
// tools/probes/sa-tokens.pl (which also picks the messages: order, --limit, --sample) and the native
// engine on the bytes our own mbox splitter (src/sources/mbox.ts, mirroring ArchiveIterator.pm) finds at
// the same file offsets.
import { readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SaTrainError } from '../errors.js';
import { readMbox, type MboxMessage } from '../sources/mbox.js';
import { ParityAggregator, compareMessage, type ParityReport } from './compare.js';
import type { AnalyzeMessage, Region } from './regions.js';
import { runSaProbe, type SaMessageRecord } from './sa-probe.js';
import { REGIONS } from './regions.js';

/** sa-learn's default --max-size (ArchiveIterator.pm BIG_BYTES = 500 KiB). */
export const SA_DEFAULT_MAX_SIZE = 500 * 1024;
/** ArchiveIterator's rule for mbox files: the name contains ".mbox" (we require the suffix). */
const MBOX_NAME = /\.mbox$/i;
/** Directory entries ArchiveIterator considers (ArchiveIterator.pm::_scan_mailbox). */
const DIR_ENTRY_NAME = /^[^.][^\t\n\x0B\f\r ]*$/;

export interface ParityOptions {
  limit?: number;
  sample?: number;
  seed?: string | number;
  regions?: readonly Region[];
  maxSize?: number;
  /** Differing messages kept in the report. */
  keepDiffs?: number;
  /** Differing tokens kept per region and side. */
  showTokens?: number;
  /** Called for every compared message (progress). */
  onMessage?: (n: number) => void;
}

/** Expand directories (recursively, sorted) into the files the probe and the native side will read. */
export function expandTargets(paths: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (p: string): void => {
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      throw new SaTrainError('SOURCE_MISSING', `no such file or directory: ${p}`, { file: p }, { cause: e });
    }
    if (st.isDirectory()) {
      const names = readdirSync(p).filter((n) => DIR_ENTRY_NAME.test(n)).sort();
      for (const n of names) walk(join(p, n));
    } else if (st.isFile()) out.push(p);
  };
  for (const p of paths) walk(p);
  return out;
}

/** Walks one mbox file in step with the SA records (ascending offsets). */
class NativeCursor {
  readonly file: string;
  private readonly it: AsyncGenerator<MboxMessage>;
  private pending: MboxMessage | null = null;
  private done = false;

  constructor(file: string, maxSize: number) {
    this.file = file;
    this.it = readMbox(file, { maxSize });
  }

  /** The message at `offset`, or null; `passed` receives offsets of messages stepped over. */
  async at(offset: number, passed: (off: number) => void): Promise<Buffer | null> {
    for (;;) {
      if (!this.pending && !this.done) {
        const n = await this.it.next();
        if (n.done) this.done = true;
        else this.pending = n.value;
      }
      const p = this.pending;
      if (!p) return null;
      if (p.offset === offset) {
        this.pending = null;
        return p.raw;
      }
      if (p.offset > offset) return null;
      passed(p.offset);
      this.pending = null;
    }
  }

  /** Offsets of the messages not consumed yet. */
  async rest(): Promise<number[]> {
    const out: number[] = [];
    if (this.pending) out.push(this.pending.offset);
    this.pending = null;
    if (!this.done) for await (const m of this.it) out.push(m.offset);
    this.done = true;
    return out;
  }

  async close(): Promise<void> {
    await this.it.return(undefined);
  }
}

/** Run both sides on `targets` (files or directories) and compare them message by message. */
export async function runParity(targets: readonly string[], analyze: AnalyzeMessage, opts: ParityOptions = {}): Promise<ParityReport> {
  const files = expandTargets(targets);
  if (files.length === 0) throw new SaTrainError('SOURCE_MISSING', 'no input files');
  const regions = opts.regions ?? REGIONS;
  const maxSize = opts.maxSize ?? SA_DEFAULT_MAX_SIZE;
  const agg = new ParityAggregator(regions, opts.keepDiffs ?? 10);
  // Split disagreements are only visible when every message is looked at.
  const exhaustive = opts.sample === undefined && opts.limit === undefined;
  const runStart = Math.floor(Date.now() / 1000);
  let cursor: NativeCursor | null = null;
  let n = 0;

  const splitProblem = (file: string, offset: number, what: string): void => {
    agg.addProblem({ ref: { i: -1, file, offset }, side: 'split', error: what });
  };
  const closeCursor = async (): Promise<void> => {
    if (!cursor) return;
    if (exhaustive) {
      for (const off of await cursor.rest()) splitProblem(cursor.file, off, 'native splitter found a message SpamAssassin did not');
    }
    await cursor.close();
    cursor = null;
  };

  const probeOpts = { maxSize, ...(opts.limit !== undefined ? { limit: opts.limit } : {}),
    ...(opts.sample !== undefined ? { sample: opts.sample } : {}), ...(opts.seed !== undefined ? { seed: opts.seed } : {}) };
  try {
    for await (const rec of runSaProbe(files, probeOpts)) {
      const ref = { i: rec.i, file: rec.file, offset: rec.offset };
      if (rec.kind === 'skipped') {
        agg.addSkipped();
        continue;
      }
      let raw: Buffer | null;
      if (MBOX_NAME.test(rec.file)) {
        if (!cursor || cursor.file !== rec.file) {
          await closeCursor();
          cursor = new NativeCursor(rec.file, maxSize);
        }
        raw = await cursor.at(rec.offset, (off) => {
          if (exhaustive) splitProblem(rec.file, off, 'native splitter found a message SpamAssassin did not');
        });
      } else {
        await closeCursor();
        raw = await readFile(rec.file);
      }
      if (rec.kind === 'error') {
        agg.addProblem({ ref, side: 'sa', error: rec.error });
        continue;
      }
      if (raw === null) {
        agg.addProblem({ ref, side: 'split', error: 'native splitter has no message at this offset' });
        continue;
      }
      if (raw.length !== rec.size) {
        agg.addProblem({ ref, side: 'split', error: `message size differs: SA ${rec.size}, native ${raw.length}` });
        continue;
      }
      compareOne(agg, rec, raw, analyze, regions, opts, runStart);
      opts.onMessage?.(++n);
    }
    await closeCursor();
  } finally {
    if (cursor) await (cursor as NativeCursor).close();
  }
  return agg.result();
}

function compareOne(agg: ParityAggregator, rec: SaMessageRecord, raw: Buffer, analyze: AnalyzeMessage,
  regions: readonly Region[], opts: ParityOptions, runStart: number): void {
  const ref = { i: rec.i, file: rec.file, offset: rec.offset };
  const now = Math.floor(Date.now() / 1000);
  let nat;
  try {
    nat = analyze(raw, now);
  } catch (e) {
    agg.addProblem({ ref, side: 'native', error: e instanceof Error ? e.message : String(e) });
    return;
  }
  agg.add(compareMessage(ref, rec, nat, {
    regions,
    ...(opts.showTokens !== undefined ? { showTokens: opts.showTokens } : {}),
    nowWindow: [runStart - 1, now + 1],
  }));
}
