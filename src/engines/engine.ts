// The interface both engines implement: messages in (all spam, then all ham, as sa-learn processes
// them), a dump out.
import type { DumpOutput } from '../bayes/dump.js';
import type { SourceMessage } from '../sources/types.js';

export type EngineName = 'native' | 'spamassassin';

export interface LearnInput {
  /** Each call gives the class's selected messages, in order. Called once per class by the engines. */
  spam: () => AsyncIterable<SourceMessage>;
  ham: () => AsyncIterable<SourceMessage>;
  /** The clock (epoch seconds) for messages without a usable date and the future-date clamp. */
  now: number | undefined;
  /** Worker processes or threads. */
  jobs: number;
  /** Called as messages are learned (count so far), for the progress bar. */
  onProgress?: (done: number) => void;
  /** Called once the number of messages to learn is known. */
  onTotal?: (total: number) => void;
  /** Aborts the run (SIGINT/SIGTERM). */
  signal?: AbortSignal;
}

export interface LearnCounts {
  /** Messages handed to the learner. */
  examined: number;
  /** Messages learned (examined minus already-learned duplicates). */
  learned: number;
}

export interface LearnResult {
  dump: DumpOutput;
  spam: LearnCounts;
  ham: LearnCounts;
}

export interface Engine {
  readonly name: EngineName;
  /** Throws ENGINE_MISSING with install advice when the engine cannot run here. */
  check(opts: { needClock: boolean }): Promise<void>;
  learn(input: LearnInput): Promise<LearnResult>;
}
