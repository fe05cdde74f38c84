// Mirrors Util.pm's $header_address_re and $header_address_mailre (used by _parse_header_addresses).
//
// The regex is matched in Perl's backtracking priority order, but its first alternative
// ( [phrase] "<" addr ">" ( "<" dup ">" )* ) is driven by hand with a memo of the positions where the
// remainder was already tried, as Perl's "super-linear cache" does: a straight JS regex is exponential on
// inputs like "<a@b>" x 100 . "<" (Perl answers at once). Everything else is plain JS regexes with Perl's
// possessive quantifiers emulated by a capturing lookahead and back-reference (atomic in JS), and Perl's
// byte semantics spelled out (\s = [\t\n\x0B\f\r ], `.` = [^\n]).

const WS = '[\\t\\n\\x0B\\f\\r ]';

let atomicSeq = 0;
/** Atomic group: first match only, no backtracking into it (Perl X++, X*+, (?>X)). */
export function atomic(x: string): string {
  const name = `x${atomicSeq++}`;
  return `(?=(?<${name}>${x}))\\k<${name}>`;
}

/** " (?:|(?:[^"\\]++|\\.)*+) " -- the empty first alternative never changes the result. */
export const quoted = (): string => `"${atomic('(?:[^"\\\\]+|\\\\[^\\n])*')}"`;

/** $header_address_mailre (without anchors). */
export const mailre = (): string =>
  `(?:${quoted()}|[^@\\t\\n\\x0B\\f\\r <>()[\\],:;]+)@(?:[^"\\t\\n\\x0B\\f\\r <>()[\\],:;]+|\\[[\\d:.]+\\])`;

/** ( (?: "..." | [^",;<]++ )+ ) */
const phraseRe = (): string => `(?:${quoted()}|${atomic('[^",;<]+')})+`;

// Alternative 1 up to and including its "<": ^\s* (?: (phrase) \s* )? <
// (Fewer phrase iterations can only lead to the same "<", so the first match is the only one needed.)
const ALT1_LEAD = new RegExp(`^${WS}*(?:(?<p1>${phraseRe()})${WS}*)?<`);
// Alternative 2 with the tail: ^\s* (?: (mailre) | (phrase) ) (?: \s* \( (comment) \) )? \s* (?: [,;] | \z )
const TAIL = `(?:${WS}*\\((?<c5>${atomic('(?:[^()\\\\]+|\\\\[^\\n])*')})\\))?${WS}*(?:[,;]|$)`;
const ALT2 = new RegExp(`^${WS}*(?:(?<a3>${mailre()})|(?<p4>${phraseRe()}))${TAIL}`);
// The tail alone, at a given position.
const TAIL_AT = new RegExp(TAIL, 'y');
const QUOTED_AT = new RegExp(quoted(), 'y');

export interface AddressMatch {
  length: number;
  p1?: string;
  a2?: string;
  a3?: string;
  p4?: string;
  c5?: string;
}

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0b || c === 0x0c || c === 0x0d;
}

/** s.charCodeAt(i), or -1 past the end (reading past the end would deoptimize the hot matcher code). */
function codeAt(s: string, i: number): number {
  return i < s.length ? s.charCodeAt(i) : -1;
}

interface TailResult {
  end: number;
  c5: string | undefined;
}

/** Matcher for one string: ( \s* < \s* (?: (?:"q")? \S+ | \s* ) \s* > )* followed by the tail. */
class Rest {
  private readonly memo = new Map<number, TailResult | null>();
  constructor(private readonly s: string) {}

  private tail(x: number): TailResult | null {
    TAIL_AT.lastIndex = x;
    const m = TAIL_AT.exec(this.s);
    if (!m) return null;
    return { end: x + m[0].length, c5: m.groups?.c5 };
  }

  private wsEnd(i: number): number {
    const s = this.s;
    while (i < s.length && isWs(s.charCodeAt(i))) i++;
    return i;
  }

  private nonWsEnd(i: number): number {
    const s = this.s;
    while (i < s.length && !isWs(s.charCodeAt(i))) i++;
    return i;
  }

  /** `\S+ \s* >` starting at j, greedy: calls f(after '>') for each end, longest \S+ first. */
  private *sPlusClose(j: number): Generator<number> {
    const s = this.s;
    const K = this.nonWsEnd(j);
    for (let k = K; k > j; k--) {
      const w = this.wsEnd(k);
      if (codeAt(s, w) === 0x3e) yield w + 1;
    }
  }

  /** One repetition of the duplicate enclosure from x, its possible ends in priority order. */
  private *dupEnds(x: number): Generator<number> {
    const s = this.s;
    const w = this.wsEnd(x);
    if (codeAt(s, w) !== 0x3c) return;
    const q = this.wsEnd(w + 1);
    if (codeAt(s, q) === 0x22) {
      QUOTED_AT.lastIndex = q;
      const m = QUOTED_AT.exec(s);
      if (m) yield* this.sPlusClose(q + m[0].length);
    }
    yield* this.sPlusClose(q);
    if (codeAt(s, q) === 0x3e) yield q + 1;
  }

  /** The remainder after the first enclosure's ">" at x: greedy star of duplicates, then the tail. */
  at(x: number): TailResult | null {
    const cached = this.memo.get(x);
    if (cached !== undefined) return cached;
    let result: TailResult | null = null;
    // (dupEnds yields nothing unless a "<" follows; the check spares the generator)
    if (codeAt(this.s, this.wsEnd(x)) === 0x3c) for (const y of this.dupEnds(x)) {
      result = this.at(y);
      if (result) break;
    }
    if (!result) result = this.tail(x);
    this.memo.set(x, result);
    return result;
  }

  /** The first enclosure from just after "<" at L: \s* ( [^>@]* \S+ | \s* ) \s* > then the rest. */
  enclosure(L: number): { a2: string; rest: TailResult } | null {
    const s = this.s;
    if (s.indexOf('>', L) === -1) return null; // the branch needs a '>'
    // The \s* after "<" can be taken whole: giving spaces back reaches no other end position.
    const p = this.wsEnd(L);
    let J = p;
    while (J < s.length) {
      const c = s.charCodeAt(J);
      if (c === 0x3e || c === 0x40) break;
      J++;
    }
    for (let j = J; j >= p; j--) {
      if (j >= s.length || isWs(s.charCodeAt(j))) continue;
      const K = this.nonWsEnd(j);
      for (let k = K; k > j; k--) {
        const w = this.wsEnd(k);
        if (codeAt(s, w) !== 0x3e) continue;
        const rest = this.at(w + 1);
        if (rest) return { a2: s.slice(p, k), rest };
      }
    }
    if (codeAt(s, p) === 0x3e) {
      const rest = this.at(p + 1);
      if (rest) return { a2: '', rest };
    }
    return null;
  }
}

/** One match of $header_address_re at the start of `s` (as `s/$header_address_re//` finds it), or null. */
export function matchHeaderAddress(s: string): AddressMatch | null {
  const lead = s.indexOf('<') !== -1 ? ALT1_LEAD.exec(s) : null; // alternative 1 needs a "<"
  if (lead) {
    const r = new Rest(s).enclosure(lead[0].length);
    if (r) return { length: r.rest.end, p1: lead.groups?.p1, a2: r.a2, c5: r.rest.c5 };
  }
  const m = ALT2.exec(s);
  if (!m) return null;
  const g = m.groups ?? {};
  return { length: m[0].length, a3: g.a3, p4: g.p4, c5: g.c5 };
}
