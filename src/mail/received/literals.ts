// Necessary literals of the regexes of the port of parse_received_line (Message/Metadata/Received.pm).
//
// Most Received.pm regexes can only match a line that contains some fixed text (" by ", "]) by ",
// "(qpsmtpd/", ...). `requiredLiterals` reads that text off a JS regex source so that the caller can
// test it with String.includes first: a line without it is rejected without running the regex, and a
// regex that never gets past that test is never compiled (V8 compiles a regex on its first exec, and
// the interpolated IP_ADDRESS makes each of these cost milliseconds).
//
// The analysis is conservative: it returns only text that every match provably contains, and gives
// up (returns no clauses) on syntax it does not model. It reads a pattern as `re` (regex.ts) gets it:
// Perl-style source (`\S`, `\s`, `.` are not literals either way) with each interpolated sub-pattern
// replaced by one marker character, matched case-sensitively; callers must not use it for /i patterns.

/** One requirement: the line contains at least one of these strings. */
export type Clause = readonly string[];

/** The whole pattern: every clause must hold. `literal` is set when the pattern is exactly one fixed string. */
export interface Literals {
  clauses: Clause[];
  literal: string | undefined;
}

/** Stand-in for an interpolated sub-pattern (LOCALHOST): an opaque atom. */
export const OPAQUE = '\u0001';
/** Stand-in for an interpolated IP_ADDRESS: an opaque atom whose text is made of IP_CHARS. */
export const IP_ATOM = '\u0002';

/** Every character IP_ADDRESS can match: hex digits, ':', '.' and the letters of its "IPv6:" prefix. */
export function isIpChar(c: number): boolean {
  return (
    (c >= 0x30 && c <= 0x3a) || // 0-9 :
    c === 0x2e || // .
    ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66) || // a-f A-F
    (c | 0x20) === 0x69 || // i I
    (c | 0x20) === 0x70 || // p P
    (c | 0x20) === 0x76 // v V
  );
}

/** Clauses with more alternatives than this are not worth an includes() each. */
const MAX_ALTERNATIVES = 4;
/** Keep at most this many clauses (the longest first). */
const MAX_CLAUSES = 3;

class GiveUp extends Error {}

/**
 * A run of plain literal characters (none of them special anywhere in a pattern), read in one step:
 * the analyses run once per pattern in every thread, mostly before V8 has compiled them.
 */
const PLAIN_RUN = /[^\\[\]()|^$.*+?{}\u0001\u0002]+/y;

/** End of the plain run at `i` (i itself if none), leaving out a last character that a quantifier follows. */
export function plainRunEnd(src: string, i: number): number {
  PLAIN_RUN.lastIndex = i;
  if (!PLAIN_RUN.test(src)) return i;
  const end = PLAIN_RUN.lastIndex;
  return quantifierAt(src, end) ? end - 1 : end;
}

/** Index just past the character class opening at `i` (Perl: a "]" right after "[" or "[^" is literal), or -1. */
export function classEnd(src: string, i: number): number {
  let j = i + 1;
  if (src[j] === '^') j++;
  if (src[j] === ']') j++;
  while (j < src.length && src[j] !== ']') j += src[j] === '\\' ? 2 : 1;
  return j < src.length ? j + 1 : -1;
}

/** `src[j]` starts a quantifier (a "{" that is not one counts too: callers only lose precision). */
export function quantifierAt(src: string, j: number): boolean {
  const c = src[j];
  return c === '?' || c === '*' || c === '+' || c === '{';
}

interface Seq {
  clauses: Clause[];
  /** The sequence is one plain literal and nothing else (no anchors, classes, groups, quantifiers). */
  pure: string | undefined;
}

class Parser {
  i = 0;
  constructor(readonly src: string) {}

  /** disjunction := sequence ('|' sequence)* ; stops before ')' or at the end. */
  disjunction(): Seq {
    const alts: Seq[] = [this.sequence()];
    while (this.src[this.i] === '|') {
      this.i++;
      alts.push(this.sequence());
    }
    if (alts.length === 1) return alts[0]!;
    // one of the alternatives matched: the disjunction requires "one of" each alternative's best clause
    const options: string[] = [];
    for (const a of alts) {
      const best = bestClause(a.clauses);
      if (best === undefined) return { clauses: [], pure: undefined };
      for (const o of best) if (!options.includes(o)) options.push(o);
    }
    return { clauses: options.length <= MAX_ALTERNATIVES ? [options] : [], pure: undefined };
  }

  sequence(): Seq {
    const src = this.src;
    const clauses: Clause[] = [];
    let run = '';
    let pure = true;
    const flush = (): void => {
      if (run !== '') clauses.push([run]);
      run = '';
    };
    while (this.i < src.length && src[this.i] !== '|' && src[this.i] !== ')') {
      const end = plainRunEnd(src, this.i);
      if (end > this.i) {
        run += src.slice(this.i, end);
        this.i = end;
        continue;
      }
      const c = src[this.i]!;
      // atom: a literal character (lit) or something else (sub: its clauses; undefined: nothing known)
      let lit: string | undefined;
      let sub: Clause[] | undefined;
      let zeroWidth = false;
      if (c === '\\') {
        const n = src[this.i + 1];
        if (n === undefined) throw new GiveUp();
        this.i += 2;
        if (/[A-Za-z0-9]/.test(n)) {
          // \d \s \b \w ...: not literal; escapes with arguments are not modelled
          if ('xuckp'.includes(n) || /[0-9]/.test(n)) throw new GiveUp();
          zeroWidth = n === 'b' || n === 'B';
        } else {
          lit = n;
        }
      } else if (c === '[') {
        this.skipClass();
      } else if (c === '(') {
        sub = this.group();
        if (sub === undefined) zeroWidth = true;
      } else if (c === '^' || c === '$') {
        this.i++;
        zeroWidth = true;
      } else if (c === '.' || c === OPAQUE || c === IP_ATOM) {
        this.i++;
      } else if (c === '*' || c === '+' || c === '?') {
        throw new GiveUp(); // quantifier without an atom
      } else {
        lit = c;
        this.i++;
      }
      const min = zeroWidth ? 1 : this.quantifier();
      if (min !== 1 || lit === undefined) pure = false;
      if (lit !== undefined && min >= 1) {
        run += lit;
        // "ab+c": "ab" is contiguous, what follows the repeated b starts a new run
        if (min !== 1 || this.quantified) flush();
        continue;
      }
      flush();
      if (sub !== undefined && min >= 1) clauses.push(...sub);
    }
    const whole = pure && clauses.length === 0 ? run : undefined;
    flush();
    return { clauses, pure: whole };
  }

  /** Set by quantifier(): the atom had an explicit quantifier. */
  quantified = false;

  /** Consumes an optional quantifier; returns the atom's minimum repeat count. */
  quantifier(): number {
    const src = this.src;
    const c = src[this.i];
    let min = 1;
    this.quantified = true;
    if (c === '?' || c === '*') {
      min = 0;
      this.i++;
    } else if (c === '+') {
      this.i++;
    } else if (c === '{') {
      const m = /^\{(\d+)(?:,\d*)?\}/.exec(src.slice(this.i));
      if (!m) {
        this.quantified = false;
        return 1; // a literal "{" (Annex B), read as the next atom
      }
      min = Number(m[1]);
      this.i += m[0].length;
    } else {
      this.quantified = false;
      return 1;
    }
    if (src[this.i] === '?') this.i++; // lazy
    return min;
  }

  skipClass(): void {
    const end = classEnd(this.src, this.i);
    if (end < 0) throw new GiveUp();
    this.i = end;
  }

  /** A group; returns its clauses, or undefined for lookarounds (zero-width, nothing required). */
  group(): Clause[] | undefined {
    const src = this.src;
    this.i++;
    let look = false;
    if (src[this.i] === '?') {
      const kind = src.slice(this.i, this.i + 3);
      if (kind.startsWith('?:')) this.i += 2;
      else if (kind.startsWith('?=') || kind.startsWith('?!')) {
        this.i += 2;
        look = true;
      } else if (kind === '?<=' || kind === '?<!') {
        this.i += 3;
        look = true;
      } else throw new GiveUp(); // named groups etc.
    }
    const inner = this.disjunction();
    if (src[this.i] !== ')') throw new GiveUp();
    this.i++;
    return look ? undefined : inner.clauses;
  }
}

/** The clause whose shortest option is longest (the most selective single test). */
function bestClause(clauses: Clause[]): Clause | undefined {
  let best: Clause | undefined;
  let bestLen = 0;
  for (const c of clauses) {
    const len = Math.min(...c.map((o) => o.length));
    if (len > bestLen || (len === bestLen && best !== undefined && c.length < best.length)) {
      best = c;
      bestLen = len;
    }
  }
  return best;
}

/** Literals every match of the (case-sensitive, non-unicode) JS regex `src` contains. */
export function requiredLiterals(src: string): Literals {
  let seq: Seq;
  try {
    const p = new Parser(src);
    seq = p.disjunction();
    if (p.i !== src.length) throw new GiveUp();
  } catch (e) {
    if (e instanceof GiveUp) return { clauses: [], literal: undefined };
    throw e;
  }
  // drop clauses every line passes (a lone space) and single strings contained in a longer single one
  const singles = seq.clauses.filter((c) => c.length === 1).map((c) => c[0]!);
  const kept: Clause[] = [];
  for (const c of seq.clauses) {
    if (c.some((o) => o === '' || o === ' ')) continue;
    if (c.length === 1 && singles.some((o) => o !== c[0] && o.includes(c[0]!))) continue;
    if (kept.some((k) => k.length === c.length && k.every((o, j) => o === c[j]))) continue;
    kept.push(c);
  }
  kept.sort((a, b) => Math.min(...b.map((o) => o.length)) - Math.min(...a.map((o) => o.length)));
  return { clauses: kept.slice(0, MAX_CLAUSES), literal: seq.pure !== undefined && seq.pure !== '' ? seq.pure : undefined };
}

// ---- anchored prefix ------------------------------------------------------------------------------

/** Perl's \S as written in the sources. */
const NON_SPACE = '\\S';

/**
 * One step of an anchored prefix: a string that must follow at the current position; a run of
 * non-whitespace (`\S+`: 1, `\S*`: 0) always followed by a string starting with a space; an
 * IP_ADDRESS (IP_RUN) always followed by a string starting with a character it cannot contain; or
 * one character of a class (ANY1).
 */
export type PrefixStep = string | 0 | 1 | typeof IP_RUN | typeof ANY1;
export const IP_RUN = 2;
/** Exactly one character (a character class or "."). */
export const ANY1 = 3;

/** Index just past the group opening at `i`, or -1 unless it is a plain group matched exactly once with one alternative. */
function enterGroup(src: string, i: number): number {
  let start = i + 1;
  if (src[start] === '?') {
    if (src[start + 1] !== ':') return -1; // lookaround, named group
    start += 2;
  }
  let depth = 0;
  for (let j = start; j < src.length; j++) {
    const c = src[j];
    if (c === '\\') j++;
    else if (c === '[') {
      j = classEnd(src, j) - 1;
      if (j < 0) return -1;
    } else if (c === '(') depth++;
    else if (c === '|' && depth === 0) return -1;
    else if (c === ')') {
      if (depth === 0) return quantifierAt(src, j + 1) ? -1 : start;
      depth--;
    }
  }
  return -1;
}

/** The pattern is an alternation at its top level (`^a|b` is not anchored as a whole). */
function hasTopLevelBar(src: string): boolean {
  let depth = 0;
  for (let j = 0; j < src.length; j++) {
    const c = src[j];
    if (c === '\\') j++;
    else if (c === '[') {
      j = classEnd(src, j) - 1;
      if (j < 0) return true; // malformed: treat as not anchored
    } else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) return true;
  }
  return false;
}

/**
 * For a pattern anchored with `^`: the steps every match starts with, read up to the first construct
 * that is not a plain literal or a `\S+` / `\S*` run followed by a space (see `prefixPossible`).
 */
export function anchoredPrefix(src: string): PrefixStep[] {
  if (!src.startsWith('^') || hasTopLevelBar(src)) return [];
  const steps: PrefixStep[] = [];
  let lit = '';
  let i = 1;
  const isQuantifier = (j: number): boolean => quantifierAt(src, j);
  for (;;) {
    const c = src[i];
    if (c === undefined) break;
    const end = plainRunEnd(src, i);
    if (end > i) {
      // the first character after a run must end it (as below)
      const last = steps[steps.length - 1];
      if (lit === '' && isRun(last) && (last === IP_RUN ? isIpChar(src.charCodeAt(i)) : c !== ' ')) break;
      lit += src.slice(i, end);
      i = end;
      continue;
    }
    let ch: string | undefined;
    if (src.startsWith(NON_SPACE, i) && (src[i + NON_SPACE.length] === '+' || src[i + NON_SPACE.length] === '*')) {
      if (lit !== '') steps.push(lit);
      lit = '';
      steps.push(src[i + NON_SPACE.length] === '+' ? 1 : 0);
      i += NON_SPACE.length + 1;
      if (src[i] === '?') i++; // lazy: still ends at the first whitespace
      continue;
    } else if (c === '\\') {
      const n = src[i + 1];
      if (n === undefined || /[A-Za-z0-9]/.test(n) || isQuantifier(i + 2)) break;
      ch = n;
      i += 2;
    } else if (c === IP_ATOM && !isQuantifier(i + 1)) {
      if (lit !== '') steps.push(lit);
      lit = '';
      steps.push(IP_RUN);
      i++;
      continue;
    } else if ((c === '[' || c === '.') && !(lit === '' && isRun(steps[steps.length - 1]))) {
      const end = c === '.' ? i + 1 : classEnd(src, i);
      if (end < 0 || isQuantifier(end)) break;
      if (lit !== '') steps.push(lit);
      lit = '';
      steps.push(ANY1);
      i = end;
      continue;
    } else if (c === '(') {
      const inner = enterGroup(src, i);
      if (inner < 0) break;
      i = inner;
      continue;
    } else if (c === ')') {
      i++; // end of a group entered above
      continue;
    } else if ('^$.|?*+[]{}'.includes(c) || c === OPAQUE || isQuantifier(i + 1)) {
      break;
    } else {
      ch = c;
      i++;
    }
    // a literal character: the first one after a run must end it (a space after \S, a non-IP character after an IP)
    const last = steps[steps.length - 1];
    if (lit === '' && isRun(last)) {
      if (last === IP_RUN ? isIpChar(ch.charCodeAt(0)) : ch !== ' ') break;
    }
    lit += ch;
  }
  if (lit !== '') steps.push(lit);
  // a run must be followed by the string that ends it
  while (isRun(steps[steps.length - 1])) steps.pop();
  return steps;
}

/** A step whose length is only known from the string that follows it. */
function isRun(step: PrefixStep | undefined): boolean {
  return step === 0 || step === 1 || step === IP_RUN;
}

/**
 * False if `s` cannot start as `steps` say. A `\S+` run followed by a space ends at the first
 * whitespace, so when the regex matches, the first ' ' from there is where the next step starts; an
 * IP followed by a character no IP contains ends where the IP characters end.
 */
export function prefixPossible(steps: readonly PrefixStep[], s: string): boolean {
  let p = 0;
  for (let k = 0; k < steps.length; k++) {
    const step = steps[k]!;
    if (typeof step === 'string') {
      if (!s.startsWith(step, p)) return false;
      p += step.length;
    } else if (step === IP_RUN) {
      let q = p;
      while (q < s.length && isIpChar(s.charCodeAt(q))) q++;
      if (q === p) return false;
      p = q;
    } else if (step === ANY1) {
      if (p >= s.length) return false;
      p++;
    } else {
      const q = s.indexOf(' ', p);
      if (q < 0 || q - p < step) return false;
      p = q;
    }
  }
  return true;
}
