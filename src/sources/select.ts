// Sampling: --sample F keeps a random share of each class, --seed N makes the choice reproducible,
// --max-per-class N caps a class. The choice depends only on the seed, the class and the message bytes,
// so the same flags select the same messages whatever the engine and whatever the file order.
import { createHash } from 'node:crypto';
import type { MessageClass, SourceMessage } from './types.js';

export interface SelectOptions {
  /** Share of each class to keep, 0 < sample <= 1. */
  sample: number;
  seed: number;
  /** At most this many messages per class; 0 = no cap. */
  maxPerClass: number;
}

export interface SelectStats {
  /** Messages read from the sources (too-big ones are counted by the readers, not here). */
  read: number;
  sampledOut: number;
  capped: number;
  selected: number;
}

export function emptySelectStats(): SelectStats {
  return { read: 0, sampledOut: 0, capped: 0, selected: 0 };
}

/** A uniform number in [0, 1) drawn from the seed, the class and the message. */
export function sampleScore(seed: number, cls: MessageClass, raw: Buffer): number {
  const h = createHash('sha256').update(`sa-train:${seed}:${cls}:`).update(raw).digest();
  // 48 bits: exact in a double, ties only for identical messages.
  return h.readUIntBE(0, 6) / 2 ** 48;
}

/**
 * Select the messages of one class. `iterate` must give the same messages in the same order every time
 * it is called: with a cap, the class is read twice (once to rank, once to learn) so that nothing but
 * a score per message is held in memory.
 */
export async function* selectClass(
  iterate: () => AsyncIterable<SourceMessage>,
  cls: MessageClass,
  opts: SelectOptions,
  stats: SelectStats,
): AsyncGenerator<SourceMessage> {
  const sampling = opts.sample < 1;
  if (opts.maxPerClass <= 0) {
    for await (const m of iterate()) {
      stats.read++;
      if (sampling && sampleScore(opts.seed, cls, m.raw) >= opts.sample) {
        stats.sampledOut++;
        continue;
      }
      stats.selected++;
      yield m;
    }
    return;
  }
  // Pass 1: rank. Keep the maxPerClass smallest scores among the sampled ones.
  const ranked: Array<{ u: number; ord: number }> = [];
  let ord = 0;
  let sampledOut = 0;
  for await (const m of iterate()) {
    const u = sampleScore(opts.seed, cls, m.raw);
    if (sampling && u >= opts.sample) sampledOut++;
    else ranked.push({ u, ord });
    ord++;
  }
  ranked.sort((a, b) => a.u - b.u || a.ord - b.ord);
  const keep = new Set(ranked.slice(0, opts.maxPerClass).map((r) => r.ord));
  stats.read += ord;
  stats.sampledOut += sampledOut;
  stats.capped += Math.max(0, ranked.length - opts.maxPerClass);
  // Pass 2: yield in source order.
  ord = 0;
  for await (const m of iterate()) {
    if (keep.has(ord++)) {
      stats.selected++;
      yield m;
    }
  }
}
