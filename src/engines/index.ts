// Engine registry.
import { SaTrainError } from '../errors.js';
import type { Engine, EngineName } from './engine.js';

export const ENGINE_NAMES: readonly EngineName[] = ['native', 'spamassassin'];
/** The reference engine stays the default until the native engine's dumps are identical on the shared corpora. */
export const DEFAULT_ENGINE: EngineName = 'spamassassin';

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
