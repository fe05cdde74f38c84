// Engine registry.
import { SaTrainError } from '../errors.js';
import type { Engine, EngineName } from './engine.js';

export const ENGINE_NAMES: readonly EngineName[] = ['native', 'spamassassin'];
/** The native engine is the default: its dumps are identical to sa-learn's on both shared corpora (see README). */
export const DEFAULT_ENGINE: EngineName = 'native';

export interface EngineOptions {
  siteConfig?: string;
}

export async function createEngine(name: EngineName, opts: EngineOptions): Promise<Engine> {
  switch (name) {
    case 'spamassassin': {
      const { SpamAssassinEngine } = await import('./spamassassin.js');
      return new SpamAssassinEngine({ siteConfig: opts.siteConfig });
    }
    case 'native': {
      if (opts.siteConfig) {
        throw new SaTrainError('BAD_ARGUMENT', '--sa-config needs --engine spamassassin: the native engine models the package defaults only');
      }
      const { NativeEngine } = await import('./native.js');
      return new NativeEngine();
    }
  }
}
