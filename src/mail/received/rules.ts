// Rule-table runner for the port of parse_received_line (Message/Metadata/Received.pm).
//
// Most of parse_received_line is a list of "if (/regex/) { $a = $1; $b = $2; ...; goto enough; }"
// blocks. A `Rule` expresses one such block; rules run in list order and the first one that matches
// decides. Blocks with extra logic are written as functions returning an Outcome.

import type { Rx } from './regex.js';
import type { Fields, Outcome } from './types.js';

export type StrField = 'ip' | 'helo' | 'rdns' | 'by' | 'id' | 'ident';

export interface TableRule {
  /** Cheap pre-tests joined with `&&` before `re` (as in `/ via smap / && /^.../`). */
  hint?: Rx[];
  re: Rx;
  /** Field assigned from capture group i+1 (undefined: group not used). */
  groups?: ReadonlyArray<StrField | undefined>;
  /** `$mta_looked_up_dns = 1` */
  looked?: boolean;
  /** `return 0` instead of `goto enough` */
  skip?: boolean;
  /** Extra assignments, run after `groups`. */
  apply?: (m: RegExpExecArray, f: Fields) => void;
}

/** A block with its own logic. */
export interface FnRule {
  fn: (s: string, f: Fields) => Outcome;
}

export type Rule = TableRule | FnRule;

/** True if every hint matches (no hints: true). */
function hintsMatch(hints: Rx[] | undefined, s: string): boolean {
  if (hints === undefined) return true;
  for (let i = 0; i < hints.length; i++) if (!hints[i]!.test(s)) return false;
  return true;
}

export function runRules(rules: readonly Rule[], s: string, f: Fields): Outcome {
  for (let r = 0; r < rules.length; r++) {
    const rule = rules[r]!;
    if ('fn' in rule) {
      const o = rule.fn(s, f);
      if (o !== undefined) return o;
      continue;
    }
    if (!hintsMatch(rule.hint, s)) continue;
    const m = rule.re.exec(s);
    if (!m) continue;
    if (rule.skip) return 0;
    if (rule.looked) f.mtaLookedUpDns = true;
    const groups = rule.groups;
    if (groups) {
      for (let i = 0; i < groups.length; i++) {
        const name = groups[i];
        if (name !== undefined) f[name] = m[i + 1] ?? '';
      }
    }
    rule.apply?.(m, f);
    return 'enough';
  }
  return undefined;
}
