// Regex helpers for the port of Mail::SpamAssassin::Message::Metadata::Received (Message/Metadata/Received.pm).
//
// Received.pm matches byte strings under Perl's default rules: `\s` is [\t\n\x0B\f\r ], `\S` its
// complement, `.` anything but "\n". JS differs (its \s also matches \xA0, its `.` also excludes \r).
// `rx` translates those three tokens so the patterns can be written as in Perl, and interpolates the
// Constants.pm sources as `${IP}` / `${LOCALHOST}` (see `re`).

import { IP_ADDRESS_SRC, LOCALHOST_SRC } from '../ip.js';
import { LOOSE_IP, looseTwin, type LooseIp } from './loose-ip.js';
import { anchoredPrefix, IP_ATOM, IP_RUN, OPAQUE, prefixPossible, requiredLiterals, type Clause, type Literals, type PrefixStep } from './literals.js';

const PERL_SPACE = '\\t\\n\\x0B\\f\\r ';

/** Translates Perl's \s, \S and `.` in a regex source to explicit JS classes. */
export function perlSource(src: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\') {
      const n = src[i + 1] ?? '';
      i++;
      if (n === 's') out += inClass ? PERL_SPACE : `[${PERL_SPACE}]`;
      else if (n === 'S') {
        if (inClass) throw new Error('perlSource: \\S inside a class is not supported');
        out += `[^${PERL_SPACE}]`;
      } else out += c + n;
    } else if (inClass) {
      if (c === ']') inClass = false;
      out += c;
    } else if (c === '[') {
      inClass = true;
      out += c;
      // a ']' right after '[' or '[^' is literal in Perl
      if (src[i + 1] === '^') {
        out += '^';
        i++;
      }
      if (src[i + 1] === ']') {
        out += '\\]';
        i++;
      }
    } else if (c === '.') {
      out += '[^\\n]';
    } else {
      out += c;
    }
  }
  return out;
}

/** Constants.pm IP_ADDRESS and LOCALHOST, for interpolation into `re` / `rei` patterns. */
export const IP = IP_ADDRESS_SRC;
export const LOCALHOST = LOCALHOST_SRC;

/**
 * Executions after which an Rx stops pre-testing: V8 has then compiled its regex (bytecode on the
 * first run, native code on the second), and a compiled regex rejects a line about as fast as the
 * String.includes / startsWith pre-tests do. Skipping them cannot change a result (they are
 * necessary conditions only).
 */
const WARM_RUNS = 2;

/** `$s =~ /^${IP_ADDRESS}$/` (JS `$`: end of input only); built on first use. */
let ipExact: RegExp | undefined;

/** `t.slice(from)` is four dot-separated IPv4 octets as IP_ADDRESS spells them (1\d\d|2[0-4]\d|25[0-5]|[1-9]\d|\d). */
function dottedQuad(t: string, from: number): boolean {
  let parts = 0;
  let start = from;
  for (let i = from; i <= t.length; i++) {
    const c = i < t.length ? t.charCodeAt(i) : 0x2e; // the end closes the last octet
    if (c === 0x2e) {
      if (!octet(t, start, i)) return false;
      parts++;
      start = i + 1;
    } else if (c < 0x30 || c > 0x39) {
      return false;
    }
  }
  return parts === 4;
}

/** The digits t[a, b) form one octet: 0-9, 10-99, 100-199, 200-249 or 250-255. */
function octet(t: string, a: number, b: number): boolean {
  const n = b - a;
  if (n === 1) return true;
  const c0 = t.charCodeAt(a);
  if (n === 2) return c0 !== 0x30;
  if (n !== 3) return false;
  if (c0 === 0x31) return true;
  if (c0 !== 0x32) return false;
  const c1 = t.charCodeAt(a + 1);
  return c1 < 0x35 || (c1 === 0x35 && t.charCodeAt(a + 2) <= 0x35);
}

/**
 * `$t =~ /^${IP_ADDRESS}$/` where that is decided without the regex, else undefined. The IPv6 forms
 * all contain ':', and those with a '.' end with a dotted quad after their last ':'; so text without
 * ':' matches iff it is a dotted quad (IP_ADDRESS's `\b(?<!:)` and `\b` hold at its ends), and text
 * with ':' and '.' cannot match unless a dotted quad follows its last ':'. Spares most threads the
 * compilation of the whole IP_ADDRESS.
 */
export function ipWhole(t: string): boolean | undefined {
  const colon = t.lastIndexOf(':');
  if (colon < 0) return dottedQuad(t, 0);
  if (!t.includes('.')) return undefined;
  return dottedQuad(t, colon + 1) ? undefined : false;
}

/**
 * A Received.pm pattern, compiled on first use, plus what literals.ts and loose-ip.ts read off it:
 * `exec` and `test` answer "no match" from String.includes / startsWith alone when the line lacks
 * text every match needs, and run the IP-free twin instead of the pattern where one exists, so most
 * patterns are never run (nor compiled: V8 compiles a regex on its first exec) in a thread.
 */
export class Rx {
  private full: RegExp | undefined;
  private readonly clauses: readonly Clause[];
  /** The pattern is exactly this fixed string: `test` is `includes`. */
  private readonly literal: string | undefined;
  /** Anchored patterns: how every match begins. */
  private readonly prefix: readonly PrefixStep[];
  /** The IP-free twin (loose-ip.ts), built on first use. */
  private twin: RegExp | undefined;
  private readonly twinSource: string | undefined;
  private readonly ipGroups: readonly number[];
  /** The twin's groups are not the pattern's: use it for `test` only. */
  private readonly twinTestOnly: boolean;
  /**
   * The prefix fixes where every IP starts and ends, so a match of the twin with an invalid IP
   * means the pattern cannot match at all (there is no other path to fall back to).
   */
  private readonly ipsForced: boolean;
  /** How often the regex (or its twin) has run: once compiled, it is cheaper than the pre-tests. */
  private runs = 0;

  constructor(
    private readonly source: string,
    private readonly flags: string,
    lits: Literals,
    prefix: readonly PrefixStep[],
    twinSource?: string,
    twin?: LooseIp,
  ) {
    this.clauses = lits.clauses;
    this.literal = lits.literal;
    this.prefix = prefix;
    this.twinSource = twinSource;
    this.ipGroups = twin === undefined ? [] : twin.groups;
    this.twinTestOnly = twin !== undefined && twin.renumbered;
    this.ipsForced = twin !== undefined && prefix.filter((p) => p === IP_RUN).length === twin.groups.length;
  }

  /** The pattern itself. */
  get re(): RegExp {
    return (this.full ??= new RegExp(this.source, this.flags));
  }

  /** Every IP the twin captured is one IP_ADDRESS matches whole. */
  private ipsValid(m: RegExpExecArray): boolean {
    const gs = this.ipGroups;
    for (let i = 0; i < gs.length; i++) {
      const v = m[gs[i]!];
      if (v === undefined) continue;
      const whole = ipWhole(v);
      if (whole === false || (whole === undefined && !(ipExact ??= new RegExp(`^(?:${IP})$`)).test(v))) return false;
    }
    return true;
  }

  /** False if the line lacks text every match needs. */
  possible(s: string): boolean {
    const cs = this.clauses;
    for (let i = 0; i < cs.length; i++) {
      const c = cs[i]!;
      let ok = s.includes(c[0]!);
      for (let j = 1; !ok && j < c.length; j++) ok = s.includes(c[j]!);
      if (!ok) return false;
    }
    return this.prefix.length === 0 || prefixPossible(this.prefix, s);
  }

  exec(s: string): RegExpExecArray | null {
    if (this.runs < WARM_RUNS) {
      if (!this.possible(s)) return null;
      this.runs++;
    }
    if (this.twinSource !== undefined && !this.twinTestOnly) {
      const m = (this.twin ??= new RegExp(this.twinSource)).exec(s);
      if (m === null || this.ipsValid(m)) return m;
      if (this.ipsForced || !this.possible(s)) return null;
    }
    return this.re.exec(s);
  }

  test(s: string): boolean {
    if (this.literal !== undefined) return s.includes(this.literal);
    if (this.runs < WARM_RUNS) {
      if (!this.possible(s)) return false;
      this.runs++;
    }
    if (this.twinSource !== undefined) {
      const m = (this.twin ??= new RegExp(this.twinSource)).exec(s);
      if (m === null) return false;
      if (this.ipsValid(m)) return true;
      if (this.ipsForced || !this.possible(s)) return false;
    }
    return this.re.test(s);
  }
}

/** Every pattern `re` / `rei` built, in order (test/received-rx.test.ts checks each against its regex). */
export const ALL_PATTERNS: Rx[] = [];

const NO_LITERALS: Literals = { clauses: [], literal: undefined };
const NO_PREFIX: readonly PrefixStep[] = [];

/** JS source of a twin shape: perlSource, then LOOSE_IP for IP_ATOM and the sub-patterns for OPAQUE. */
function twinSourceOf(shape: string, subs: readonly string[]): string {
  const src = perlSource(shape);
  let out = '';
  let k = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === IP_ATOM || c === OPAQUE) {
      // markers come in the order of `subs`
      out += c === IP_ATOM ? LOOSE_IP : subs[k]!;
      k++;
    } else {
      out += c;
    }
  }
  return out;
}

function build(strings: TemplateStringsArray, subs: string[], flags: string): Rx {
  let body = '';
  // the Perl-style source with one marker per interpolated sub-pattern, for the analyses
  let shape = '';
  for (let i = 0; i < strings.raw.length; i++) {
    const raw = strings.raw[i]!;
    body += perlSource(raw);
    shape += raw;
    if (i < subs.length) {
      body += subs[i]!;
      shape += subs[i] === IP ? IP_ATOM : OPAQUE;
    }
  }
  let rx: Rx;
  if (flags !== '') {
    rx = new Rx(body, flags, NO_LITERALS, NO_PREFIX);
  } else {
    const twin = shape.includes(IP_ATOM) ? looseTwin(shape) : undefined;
    // the twin's IP markers are its own (it may add groups), but every sub keeps its place and order
    const twinSource = twin === undefined ? undefined : twinSourceOf(twin.shape, subs);
    rx = new Rx(body, '', requiredLiterals(shape), anchoredPrefix(shape), twinSource, twin);
  }
  ALL_PATTERNS.push(rx);
  return rx;
}

/**
 * Compiles a pattern written as in Perl (template literal, raw): `\s`, `\S`, `.` get Perl's byte
 * semantics; interpolated values (`${IP}`, `${LOCALHOST}`, each a non-capturing group, so capture
 * numbering is as in Perl) are inserted verbatim.
 */
export function re(strings: TemplateStringsArray, ...subs: string[]): Rx {
  return build(strings, subs, '');
}

/** As `re`, with Perl's /i (ASCII-only on byte strings; JS /i without `u` agrees on ASCII patterns). No literal pre-test. */
export function rei(strings: TemplateStringsArray, ...subs: string[]): Rx {
  return build(strings, subs, 'i');
}

/** Perl truthiness of a scalar string: false for undef, '' and '0'. */
export function truthy(s: string | undefined): boolean {
  return s !== undefined && s !== '' && s !== '0';
}
