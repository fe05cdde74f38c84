// The native engine: our TypeScript port of SpamAssassin 4.0.1's Bayes learner (src/mail, src/bayes).
// Messages are analysed one by one (engines/native/analyze.ts) and counted in a TokenStore, spam first,
// then ham, as sa-learn processes them.
import type { Engine, LearnInput, LearnResult } from './engine.js';
import { TokenStore } from '../bayes/store.js';
import { learnRecord } from './native/analyze.js';
import { SaTrainError } from '../errors.js';
import type { SourceMessage } from '../sources/types.js';
import { describeOrigin } from '../sources/types.js';

export class NativeEngine implements Engine {
  readonly name = 'native' as const;

  async check(): Promise<void> {}

  async learn(input: LearnInput): Promise<LearnResult> {
    const now = input.now ?? Math.floor(Date.now() / 1000);
    const store = new TokenStore();
    const counts = { spam: { examined: 0, learned: 0 }, ham: { examined: 0, learned: 0 } };
    let done = 0;
    for (const cls of ['spam', 'ham'] as const) {
      const iter: AsyncIterable<SourceMessage> = cls === 'spam' ? input.spam() : input.ham();
      for await (const m of iter) {
        if (input.signal?.aborted) throw new SaTrainError('INTERRUPTED', 'interrupted');
        let rec;
        try {
          rec = learnRecord(m.raw, now);
        } catch (e) {
          throw new SaTrainError('MESSAGE_INVALID', `cannot analyse ${describeOrigin(m.origin)}: ${(e as Error).message}`, { file: m.origin.file, message: m.origin.index, offset: m.origin.offset }, { cause: e });
        }
        counts[cls].examined++;
        if (store.learn(cls === 'spam', rec) !== 'already-learned') counts[cls].learned++;
        input.onProgress?.(++done);
      }
    }
    return { dump: store.toDump(), spam: counts.spam, ham: counts.ham };
  }
}
