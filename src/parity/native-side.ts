// Loads the native engine's per-message analysis (src/engines/native/analyze.ts) for the parity harness.
// Imported dynamically so the harness builds and its comparison logic can be tested before (or
// without) the native engine.
import { SaTrainError } from '../errors.js';
import type { AnalyzeMessage } from './regions.js';

/** Module path relative to this file (both live under src/, compiled side by side under dist/src/). */
const NATIVE_MODULE = '../engines/native/analyze.js';

export async function loadNativeAnalyzer(): Promise<AnalyzeMessage> {
  let mod: { analyzeMessage?: unknown };
  const url = new URL(NATIVE_MODULE, import.meta.url).href;
  try {
    mod = (await import(url)) as { analyzeMessage?: unknown };
  } catch (e) {
    throw new SaTrainError('ENGINE_MISSING', `native engine not available (${url}): ${(e as Error).message}`, undefined, { cause: e });
  }
  if (typeof mod.analyzeMessage !== 'function') {
    throw new SaTrainError('ENGINE_MISSING', `${url} does not export analyzeMessage(raw, now)`);
  }
  return mod.analyzeMessage as AnalyzeMessage;
}
