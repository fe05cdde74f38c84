// The native engine: placeholder until the TypeScript learner is wired in.
import { SaTrainError } from '../errors.js';
import type { Engine, LearnInput, LearnResult } from './engine.js';

export class NativeEngine implements Engine {
  readonly name = 'native' as const;
  async check(): Promise<void> {}
  async learn(_input: LearnInput): Promise<LearnResult> {
    throw new SaTrainError('ENGINE_MISSING', 'the native engine is not available yet: use --engine spamassassin');
  }
}
