// Messages between the native engine's pool (pool.ts) and its worker threads (worker.ts).

export interface WorkerInit {
  /** The clock for learnRecord. */
  now: number;
  /** Shared Int32Array: per worker, the batch id and message index being analysed (names a crash). */
  progress: SharedArrayBuffer;
  /** This worker's row in `progress`. */
  slot: number;
  /** URL of a module exporting learnRecord, replacing analyze.js (tests simulate failures with it). */
  analyzer?: string;
}

/** Int32 fields per worker in the progress array: batch id, message index in the batch. */
export const PROGRESS_FIELDS = 2;

export interface BatchRequest {
  id: number;
  /** The messages' bytes back to back (transferred). */
  data: ArrayBuffer;
  /** End offset of each message in `data`. */
  ends: Uint32Array;
}

export interface BatchResult {
  id: number;
  msgids: string[];
  hdrMsgids: (string | null)[];
  atimes: Float64Array;
  /** End offset of each message's keys in `keys`. */
  keyEnds: Uint32Array;
  keys: Float64Array;
  /** The first message that threw; the records before it are valid, none after it were analysed. */
  error?: { index: number; message: string; stack: string };
}
