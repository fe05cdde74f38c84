// The native engine: our TypeScript port of SpamAssassin 4.0.1's Bayes learner (src/mail, src/bayes).
// Messages are analysed (engines/native/analyze.ts) in worker threads (engines/native/pool.ts), or in
// this thread with --jobs 1, and counted in a TokenStore in input order: spam first, then ham, as
// sa-learn processes them. The dump is the same whatever the number of jobs.
import type { Engine, LearnInput, LearnResult } from './engine.js';
import { TokenStore, type LearnRecord } from '../bayes/store.js';
import { analyzeInOrder, messageError, type MessageMeta } from './native/pool.js';
import { SaTrainError } from '../errors.js';
import type { SourceMessage } from '../sources/types.js';

export interface NativeEngineOptions {
  /** Replaces analyze.js in the worker threads (tests: simulated failures). */
  analyzer?: string;
}

export class NativeEngine implements Engine {
  readonly name = 'native' as const;

  constructor(private readonly opts: NativeEngineOptions = {}) {}

  async check(): Promise<void> {}

  async learn(input: LearnInput): Promise<LearnResult> {
    const now = input.now ?? Math.floor(Date.now() / 1000);
    const store = new TokenStore();
    const counts = { spam: { examined: 0, learned: 0 }, ham: { examined: 0, learned: 0 } };
    let done = 0;
    const apply = (meta: MessageMeta, rec: LearnRecord): void => {
      counts[meta.cls].examined++;
      if (store.learn(meta.cls === 'spam', rec) !== 'already-learned') counts[meta.cls].learned++;
      input.onProgress?.(++done);
    };
    const jobs = Math.max(1, input.jobs);
    if (jobs === 1 && !this.opts.analyzer) await learnInThread(input, now, apply);
    else await analyzeInOrder(allMessages(input), { jobs, now, signal: input.signal, analyzer: this.opts.analyzer }, apply);
    if (input.signal?.aborted) throw new SaTrainError('INTERRUPTED', 'interrupted');
    return { dump: store.output(), spam: counts.spam, ham: counts.ham };
  }
}

/** Spam, then ham: the order sa-learn learns them in. */
async function* allMessages(input: LearnInput): AsyncGenerator<SourceMessage> {
  yield* input.spam();
  yield* input.ham();
}

/** --jobs 1: no worker; the same records in the same order. */
async function learnInThread(input: LearnInput, now: number, apply: (meta: MessageMeta, rec: LearnRecord) => void): Promise<void> {
  // Loaded here only: with workers, the main thread never needs the message pipeline.
  const { learnRecord } = await import('./native/analyze.js');
  for await (const m of allMessages(input)) {
    if (input.signal?.aborted) throw new SaTrainError('INTERRUPTED', 'interrupted');
    let rec;
    try {
      rec = learnRecord(m.raw, now);
    } catch (e) {
      throw messageError(m.origin, (e as Error).message, e);
    }
    apply(m, rec);
  }
}
