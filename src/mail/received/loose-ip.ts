// IP-free twins of the regexes of the port of parse_received_line (Message/Metadata/Received.pm).
//
// Constants.pm IP_ADDRESS is interpolated into most Received.pm regexes, and it dominates their
// compilation (V8 compiles every regex on first use, in every thread: ~2 ms each). Where the IP sits
// between fixed delimiters, as in `\[(${IP})\]`, the regex can be run without it, exactly:
//
// Let S be the regex and L the same regex with each such `(IP)` written `([IP characters]+)`.
//  - After the IP comes a character no IP contains (']', ')', ' ' or the end), so from a start p the
//    IP can only end at e(p), the first non-IP character: in S any other end fails on the very next
//    node, in L the greedy run ends there. So S and L walk the same search tree, except that at each
//    IP node S goes on iff IP_ADDRESS matches exactly s[p, e(p)) and L goes on iff that span is not
//    empty.
//  - Before the IP comes the start of the line or a character that is neither a word character nor
//    ':' ('[', '(', ' ', '@'), and after it one of those or the end: IP_ADDRESS's look-behinds, `\b`s
//    and look-ahead then see the same as at the ends of the span alone, so "IP_ADDRESS matches
//    exactly s[p, e(p))" is `^(?:IP)$` on the captured text.
// Hence: L fails => S fails; L matches with every IP capture valid => S returns the same match (its
// earlier paths are L paths that failed); otherwise S must be run itself (a line with an invalid IP).
// An IP S does not capture gets a capture group in L, which then only serves `test` (its group
// numbers differ). IPs inside quantified groups or look-arounds keep S.

import { classEnd, IP_ATOM, plainRunEnd, quantifierAt } from './literals.js';

/** Stands for IP_ADDRESS in the twin: a run of the characters IP_ADDRESS can match (see literals.ts isIpChar). */
export const LOOSE_IP = '[0-9A-Fa-f:.IiPpVv]+';

export interface LooseIp {
  /** The twin as a shape: IP_ATOM now stands for LOOSE_IP, OPAQUE still for its sub-pattern. */
  shape: string;
  /** The twin's capture groups holding the IPs. */
  groups: number[];
  /** The twin has capture groups S lacks (an IP S does not capture): its matches only answer `test`. */
  renumbered: boolean;
}

interface Open {
  open: number; // index of the "("
  capture: number; // group number, 0 for (?: and look-arounds
  look: boolean;
  ips: number[]; // positions of IP_ATOMs directly or indirectly inside
}

/**
 * `shape.slice(0, end)` always ends with a character that is neither a word character nor ':', or is
 * "^". `opens` maps the index of each ")" closed so far to its "(".
 */
function neutralBefore(shape: string, end: number, opens: ReadonlyMap<number, number>): boolean {
  const escapedAt = (j: number): boolean => j >= 1 && shape[j - 1] === '\\' && (j < 2 || shape[j - 2] !== '\\');
  let k = end;
  for (;;) {
    if (k === 1 && shape[0] === '^') return true;
    if (k === 0) return false; // unanchored: anything may precede
    const c = shape[k - 1]!;
    if (c === '?' && k >= 2) {
      // something optional: either it ends neutrally, or whatever precedes it does
      const o = shape[k - 2]!;
      if (o === ')' && !escapedAt(k - 2)) {
        const open = opens.get(k - 2);
        if (open === undefined || !neutralBefore(shape, k - 2, opens)) return false;
        k = open;
        continue;
      }
      const oEscaped = escapedAt(k - 2);
      if (oEscaped ? o === '[' || o === '(' || o === '@' : o === ' ' || o === '@') {
        k -= oEscaped ? 3 : 2;
        continue;
      }
      return false;
    }
    if (escapedAt(k - 1)) return c === '[' || c === '(' || c === '@';
    return c === ' ' || c === '@';
  }
}

/** The text from `i` (just past the IP's closing ")") starts with a delimiter no IP contains, or is the end. */
function delimitedAfter(shape: string, i: number): boolean {
  const quantified = (j: number): boolean => quantifierAt(shape, j);
  const lit = (j: number): number => {
    // length of a literal ']' / ')' / ' ' atom at j, 0 if none
    if (shape[j] === '\\' && (shape[j + 1] === ']' || shape[j + 1] === ')')) return 2;
    if (shape[j] === ' ') return 1;
    return 0;
  };
  if (shape[i] === '$' && i + 1 === shape.length) return true;
  const n = lit(i);
  if (n === 0) return false;
  if (!quantified(i + n)) return true;
  // `\]?` then a literal delimiter
  if (shape[i + n] !== '?' || shape[i + 1] !== ']') return false;
  const m = lit(i + n + 1);
  return m > 0 && !quantified(i + n + 1 + m);
}

/**
 * The IP-free twin of a regex given as its shape (literals.ts: the Perl-style source with IP_ATOM
 * for each IP_ADDRESS and OPAQUE for other interpolations), or undefined if some IP does not qualify
 * (see the note at the top).
 */
export function looseTwin(shape: string): LooseIp | undefined {
  const stack: Open[] = [];
  const groups: number[] = [];
  const opens = new Map<number, number>();
  let captures = 0;
  let ipCount = 0;
  let renumbered = false;
  let source = '';
  for (let i = 0; i < shape.length; i++) {
    const end = plainRunEnd(shape, i);
    if (end > i) {
      source += shape.slice(i, end);
      i = end - 1;
      continue;
    }
    const c = shape[i]!;
    if (c === '\\') {
      source += c + shape[i + 1]!;
      i++;
      continue;
    }
    if (c === '[') {
      // a class: copy it whole
      const end = classEnd(shape, i);
      if (end < 0) return undefined;
      source += shape.slice(i, end);
      i = end - 1;
      continue;
    }
    if (c === '(') {
      if (shape.startsWith('?<', i + 1) && shape[i + 3] !== '=' && shape[i + 3] !== '!') return undefined; // named group
      const look = shape[i + 1] === '?' && shape[i + 2] !== ':';
      const capture = shape[i + 1] === '?' ? 0 : ++captures;
      stack.push({ open: i, capture, look, ips: [] });
      source += c;
      continue;
    }
    if (c === ')') {
      const g = stack.pop();
      if (g === undefined) return undefined;
      opens.set(i, g.open);
      // an IP repeated or optional as a whole group could leave a capture unchecked
      if (g.ips.length > 0 && quantifierAt(shape, i + 1)) return undefined;
      if (stack.length > 0) stack[stack.length - 1]!.ips.push(...g.ips);
      source += c;
      continue;
    }
    if (c === IP_ATOM) {
      ipCount++;
      if (stack.some((o) => o.look)) return undefined;
      const g = stack[stack.length - 1];
      if (g !== undefined && g.capture !== 0 && shape[i - 1] === '(' && shape[i + 1] === ')') {
        // "(" IP ")": its own capture group
        if (!neutralBefore(shape, i - 1, opens) || !delimitedAfter(shape, i + 2)) return undefined;
        groups.push(g.capture);
        source += IP_ATOM;
      } else {
        // not captured: the twin captures it, so its group numbers differ (usable for `test` only)
        if (!neutralBefore(shape, i, opens) || !delimitedAfter(shape, i + 1)) return undefined;
        renumbered = true;
        groups.push(++captures);
        source += `(${IP_ATOM})`;
      }
      g?.ips.push(i);
      continue;
    }
    source += c;
  }
  if (ipCount === 0 || stack.length !== 0) return undefined;
  return { shape: source, groups, renumbered };
}
