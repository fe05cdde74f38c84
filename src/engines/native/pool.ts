// The native engine's worker pool: messages are analysed (parsed, rendered, tokenized, hashed) in
// worker threads and the records handed back IN INPUT ORDER, so that the store applies them exactly as
// the sequential engine would (seen/relearn rules depend on order). Input is consumed incrementally:
// at most IN_FLIGHT_PER_WORKER batches per worker are outstanding, so memory does not grow with the
// corpus; results that arrive early wait in a reorder buffer bounded by the same window.
import { Worker } from 'node:worker_threads';
import { SaTrainError } from '../../errors.js';
import type { LearnRecord } from '../../bayes/store.js';
import type { MessageOrigin, SourceMessage } from '../../sources/types.js';
import { describeOrigin } from '../../sources/types.js';
import type { BatchRequest, BatchResult, WorkerInit } from './protocol.js';
import { PROGRESS_FIELDS } from './protocol.js';

/** A batch closes at this many messages: amortises messaging (about 50 us a round trip). */
export const BATCH_MAX_MESSAGES = 48;
/** ... or at this many bytes, so that a batch of big messages stays small in memory. */
export const BATCH_MAX_BYTES = 1 << 20;
/** Outstanding batches per worker: one running, the rest queued so it never idles; bounds memory. */
export const IN_FLIGHT_PER_WORKER = 3;

/**
 * Worker heap limits. A small young generation keeps each worker's garbage (the pipeline allocates
 * freely per message) from inflating RSS; the old generation only holds the loaded tables.
 */
const WORKER_LIMITS = {
  maxYoungGenerationSizeMb: 16,
  /** A message that needs more than this is reported as a worker crash naming the message. */
  maxOldGenerationSizeMb: 512,
};

export interface PoolOptions {
  /** Worker threads (>= 1). */
  jobs: number;
  /** The clock for learnRecord. */
  now: number;
  signal?: AbortSignal;
  /** Replaces analyze.js in the workers (tests: a module that fails on chosen messages). */
  analyzer?: string;
}

/** What is kept of a message once its bytes are sent: enough to apply and to name it in an error. */
export interface MessageMeta {
  cls: SourceMessage['cls'];
  origin: MessageOrigin;
}

interface Batch {
  id: number;
  metas: MessageMeta[];
  worker: number;
  result?: BatchResult;
}

interface PoolWorker {
  worker: Worker;
  outstanding: number;
  exited: boolean;
}

/** Worker threads started by pools and not yet exited (diagnostics and tests). */
let liveWorkers = 0;
export function activeWorkerCount(): number {
  return liveWorkers;
}

export function messageError(origin: MessageOrigin, what: string, cause?: unknown): SaTrainError {
  return new SaTrainError('MESSAGE_INVALID', `cannot analyse ${describeOrigin(origin)}: ${what}`, { file: origin.file, message: origin.index, offset: origin.offset }, { cause });
}

/**
 * Analyse `messages` in `opts.jobs` worker threads; `apply` is called for every message in input order.
 * Rejects with the first error in input order (a message that cannot be analysed), a worker crash
 * naming the message it was on, or INTERRUPTED when the signal fires; the workers are stopped in all cases.
 */
export async function analyzeInOrder(
  messages: AsyncIterable<SourceMessage>,
  opts: PoolOptions,
  apply: (meta: MessageMeta, rec: LearnRecord) => void,
): Promise<void> {
  const pool = new Pool(opts, apply);
  try {
    await pool.run(messages);
  } finally {
    await pool.close();
  }
}

class Pool {
  private readonly workers: PoolWorker[] = [];
  private readonly progress: Int32Array;
  private readonly batches = new Map<number, Batch>();
  private nextId = 0;
  private nextApply = 0;
  private inFlight = 0;
  private failure: Error | null = null;
  private wake: (() => void) | null = null;
  private readonly window: number;
  private readonly onAbort = (): void => this.fail(new SaTrainError('INTERRUPTED', 'interrupted'));

  constructor(
    private readonly opts: PoolOptions,
    private readonly apply: (meta: MessageMeta, rec: LearnRecord) => void,
  ) {
    this.window = opts.jobs * IN_FLIGHT_PER_WORKER;
    const sab = new SharedArrayBuffer(opts.jobs * PROGRESS_FIELDS * Int32Array.BYTES_PER_ELEMENT);
    this.progress = new Int32Array(sab).fill(-1);
    for (let slot = 0; slot < opts.jobs; slot++) {
      const init: WorkerInit = { now: opts.now, progress: sab, slot, analyzer: opts.analyzer };
      const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: init, resourceLimits: WORKER_LIMITS });
      const pw: PoolWorker = { worker, outstanding: 0, exited: false };
      liveWorkers++;
      worker.on('message', (res: BatchResult) => this.onResult(res));
      worker.on('error', (e) => this.onCrash(slot, e));
      worker.on('exit', (code) => {
        pw.exited = true;
        liveWorkers--;
        this.onCrash(slot, new Error(`worker exited with code ${code}`));
      });
      this.workers.push(pw);
    }
    if (opts.signal?.aborted) this.onAbort();
    opts.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  async run(messages: AsyncIterable<SourceMessage>): Promise<void> {
    let raws: Buffer[] = [];
    let metas: MessageMeta[] = [];
    let bytes = 0;
    for await (const m of messages) {
      if (this.failure) break;
      raws.push(m.raw);
      metas.push({ cls: m.cls, origin: m.origin });
      bytes += m.raw.length;
      if (raws.length >= BATCH_MAX_MESSAGES || bytes >= BATCH_MAX_BYTES) {
        await this.dispatch(raws, metas, bytes);
        raws = [];
        metas = [];
        bytes = 0;
      }
    }
    if (raws.length && !this.failure) await this.dispatch(raws, metas, bytes);
    while (this.inFlight > 0 && !this.failure) await this.sleep();
    if (this.failure) throw this.failure;
  }

  private sleep(): Promise<void> {
    return new Promise((res) => (this.wake = res));
  }

  private wakeUp(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  private async dispatch(raws: Buffer[], metas: MessageMeta[], bytes: number): Promise<void> {
    while (this.inFlight >= this.window && !this.failure) await this.sleep();
    if (this.failure) return;
    // One fresh ArrayBuffer per batch, transferred: the only copy of the bytes (the readers' buffers
    // may be slices of shared pools, which cannot be transferred).
    const data = new ArrayBuffer(bytes);
    const view = new Uint8Array(data);
    const ends = new Uint32Array(raws.length);
    let off = 0;
    for (let i = 0; i < raws.length; i++) {
      view.set(raws[i]!, off);
      off += raws[i]!.length;
      ends[i] = off;
    }
    let w = 0;
    for (let i = 1; i < this.workers.length; i++) if (this.workers[i]!.outstanding < this.workers[w]!.outstanding) w = i;
    const id = this.nextId++;
    this.batches.set(id, { id, metas, worker: w });
    this.workers[w]!.outstanding++;
    this.inFlight++;
    const req: BatchRequest = { id, data, ends };
    this.workers[w]!.worker.postMessage(req, [data, ends.buffer]);
  }

  private onResult(res: BatchResult): void {
    if (this.failure) return;
    const b = this.batches.get(res.id);
    if (!b) return;
    b.result = res;
    this.workers[b.worker]!.outstanding--;
    try {
      // Apply every batch that is now complete and next in order.
      for (let next = this.batches.get(this.nextApply); next?.result; next = this.batches.get(this.nextApply)) {
        this.applyBatch(next);
        this.batches.delete(this.nextApply++);
        this.inFlight--;
      }
    } catch (e) {
      this.fail(e as Error);
    }
    this.wakeUp();
  }

  private applyBatch(b: Batch): void {
    const r = b.result!;
    let start = 0;
    for (let i = 0; i < r.msgids.length; i++) {
      const end = r.keyEnds[i]!;
      this.apply(b.metas[i]!, { msgid: r.msgids[i]!, hdrMsgid: r.hdrMsgids[i]!, atime: r.atimes[i]!, keys: r.keys.subarray(start, end) });
      start = end;
    }
    if (r.error) {
      const meta = b.metas[r.error.index]!;
      const cause = Object.assign(new Error(r.error.message), { stack: r.error.stack });
      throw messageError(meta.origin, r.error.message, cause);
    }
  }

  private onCrash(slot: number, e: Error): void {
    if (this.failure) return;
    const batchId = Atomics.load(this.progress, slot * PROGRESS_FIELDS);
    const index = Atomics.load(this.progress, slot * PROGRESS_FIELDS + 1);
    const meta = index < 0 ? undefined : this.batches.get(batchId)?.metas[index];
    const what = `native worker ${slot + 1} crashed (${e.message})`;
    const when = batchId < 0 ? 'before analysing any message' : 'between messages';
    this.fail(
      meta
        ? new SaTrainError('ENGINE_FAILED', `${what} on ${describeOrigin(meta.origin)}`, { file: meta.origin.file, message: meta.origin.index, offset: meta.origin.offset }, { cause: e })
        : new SaTrainError('ENGINE_FAILED', `${what} ${when}`, undefined, { cause: e }),
    );
  }

  private fail(e: Error): void {
    if (this.failure) return;
    this.failure = e;
    for (const w of this.workers) void w.worker.terminate();
    this.wakeUp();
  }

  async close(): Promise<void> {
    this.opts.signal?.removeEventListener('abort', this.onAbort);
    if (!this.failure) this.failure = new Error('pool closed'); // later exits are not crashes
    await Promise.all(this.workers.map((w) => (w.exited ? undefined : w.worker.terminate())));
  }
}
