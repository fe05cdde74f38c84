// Small helpers over node:util parseArgs: typed numbers with clear errors.
import { SaTrainError } from '../errors.js';

export function intArg(name: string, v: string | undefined, def: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (v === undefined) return def;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
    throw new SaTrainError('BAD_ARGUMENT', `--${name} takes a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ''}, not ${JSON.stringify(v)}`);
  }
  return Number(v);
}

export function fractionArg(name: string, v: string | undefined, def: number): number {
  if (v === undefined) return def;
  const n = Number(v);
  if (!/^(?:\d+(?:\.\d*)?|\.\d+)$/.test(v) || !(n > 0 && n <= 1)) {
    throw new SaTrainError('BAD_ARGUMENT', `--${name} takes a share F with 0 < F <= 1, not ${JSON.stringify(v)}`);
  }
  return n;
}

export function choiceArg<T extends string>(name: string, v: string | undefined, def: T, choices: readonly T[]): T {
  if (v === undefined) return def;
  if (!(choices as readonly string[]).includes(v)) {
    throw new SaTrainError('BAD_ARGUMENT', `--${name} is one of ${choices.join(', ')}, not ${JSON.stringify(v)}`);
  }
  return v as T;
}
