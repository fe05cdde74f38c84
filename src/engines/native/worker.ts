// A worker thread of the native engine's pool (pool.ts): runs the per-message pure function
// (analyze.ts learnRecord) over batches of raw messages and sends the records back packed in a few
// transferable arrays. Holds no state across messages.
import { parentPort, workerData } from 'node:worker_threads';
import type { LearnRecord } from '../../bayes/store.js';
import type { BatchRequest, BatchResult, WorkerInit } from './protocol.js';
import { PROGRESS_FIELDS } from './protocol.js';

const init = workerData as WorkerInit;
const port = parentPort!;
const progress = new Int32Array(init.progress);
const base = init.slot * PROGRESS_FIELDS;

type LearnFn = (raw: Buffer, now: number) => LearnRecord;
// The analyser is the real one unless a test substitutes its own module (to simulate failures).
const learnRecord: LearnFn = init.analyzer
  ? ((await import(init.analyzer)) as { learnRecord: LearnFn }).learnRecord
  : (await import('./analyze.js')).learnRecord;

port.on('message', (req: BatchRequest) => {
  const n = req.ends.length;
  const msgids: string[] = [];
  const hdrMsgids: (string | null)[] = [];
  const atimes = new Float64Array(n);
  const keyEnds = new Uint32Array(n);
  const parts: ArrayLike<number>[] = [];
  let total = 0;
  let error: BatchResult['error'];
  Atomics.store(progress, base, req.id);
  let start = 0;
  for (let i = 0; i < n; i++) {
    Atomics.store(progress, base + 1, i);
    const end = req.ends[i]!;
    const raw = Buffer.from(req.data, start, end - start);
    start = end;
    let rec: LearnRecord;
    try {
      rec = learnRecord(raw, init.now);
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      error = { index: i, message: err.message, stack: err.stack ?? '' };
      break;
    }
    msgids.push(rec.msgid);
    hdrMsgids.push(rec.hdrMsgid);
    atimes[i] = rec.atime;
    parts.push(rec.keys);
    total += rec.keys.length;
    keyEnds[i] = total;
  }
  Atomics.store(progress, base + 1, -1); // between batches
  const keys = new Float64Array(total);
  let off = 0;
  for (const p of parts) {
    if (p instanceof Float64Array) keys.set(p, off);
    else for (let j = 0; j < p.length; j++) keys[off + j] = p[j]!;
    off += p.length;
  }
  const res: BatchResult = { id: req.id, msgids, hdrMsgids, atimes, keyEnds, keys, error };
  port.postMessage(res, [atimes.buffer, keyEnds.buffer, keys.buffer]);
});
