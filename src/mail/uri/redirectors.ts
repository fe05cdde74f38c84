// Mirrors the redirector step of Mail::SpamAssassin::Util::uri_list_canonicalize (Util.pm): the configured
// redirector_pattern list (Conf.pm; src/data/uri-redirectors.ts) tried in order, then the hard-coded
// generic "https?:" redirector.
import { REDIRECTOR_PATTERNS, type RedirectorPattern } from '../../data/uri-redirectors.js';
import { LINEAR_MATCHERS, type LinearMatcher } from './redirector-linear.js';

const COMPILED: readonly RegExp[] = REDIRECTOR_PATTERNS.map((p) => new RegExp(p.source, p.flags));
/** Per pattern: its linear-time matcher (for a string without "\n"), if it has one. */
const LINEAR: readonly (LinearMatcher | undefined)[] = REDIRECTOR_PATTERNS.map((p) => LINEAR_MATCHERS.get(p.source));

/**
 * Prefilters: per flag set, one regex that matches iff one of the patterns with those flags matches
 * (their alternation, each in its own group: a pattern's `^` stays its own). Most URIs match no pattern,
 * and one test costs far less than one exec per pattern. A pattern with a back-reference (renumbered
 * by the alternation) is not combined: it is always tried.
 */
const BACKREF = /\\[1-9]|\\k</;
function prefilters(patterns: readonly RedirectorPattern[]): readonly RegExp[] {
  const byFlags = new Map<string, string[]>();
  for (const p of patterns) {
    if (BACKREF.test(p.source)) return [/(?:)/]; // cannot prefilter: always run the list
    const list = byFlags.get(p.flags) ?? [];
    list.push(`(?:${p.source})`);
    byFlags.set(p.flags, list);
  }
  return [...byFlags].map(([flags, alts]) => new RegExp(alts.join('|'), flags));
}
const PREFILTERS = prefilters(REDIRECTOR_PATTERNS);
/** The prefilters of the patterns without a linear matcher. */
const REGEX_ONLY_PREFILTERS = prefilters(REDIRECTOR_PATTERNS.filter((_p, i) => LINEAR[i] === undefined));

function anyPatternMatches(full: string, prefilters: readonly RegExp[]): boolean {
  for (const re of prefilters) if (re.test(full)) return true;
  return false;
}

const ASCII_UPPER_G = /[A-Z]+/g;
/** ASCII-only lowercasing (what the patterns' /i folds): same length and positions. */
function asciiLower(s: string): string {
  return s.replace(ASCII_UPPER_G, (m) => m.toLowerCase());
}

// Util.pm: m{(https?:/{0,2}[^&#]+)}i on the part after the host.
const GENERIC = /(https?:\/{0,2}[^&#]+)/i;

/**
 * The redirect target SpamAssassin appends to its URI list for `proto + host + rest`, or undefined.
 * `full` is "$proto$host$rest", `rest` the part after the host (port, path, query...).
 */
export function redirectTarget(full: string, rest: string): string | undefined {
  if (full.indexOf('\n') === -1) return listTargetLinear(full) ?? genericTarget(rest);
  if (anyPatternMatches(full, PREFILTERS)) return listTarget(full) ?? genericTarget(rest);
  return genericTarget(rest);
}

/**
 * listTarget for a string without "\n" (what uri_list_canonicalize hands over, having removed them):
 * the patterns with a linear matcher (redirector-linear.ts) use it; the others run as regexes, after
 * their prefilter.
 */
function listTargetLinear(full: string): string | undefined {
  let lower: string | undefined;
  let regexes: boolean | undefined;
  for (let i = 0; i < COMPILED.length; i++) {
    const linear = LINEAR[i];
    let t: string | null | undefined;
    if (linear !== undefined) {
      t = linear(full, (lower ??= asciiLower(full)));
    } else {
      if (!(regexes ??= anyPatternMatches(full, REGEX_ONLY_PREFILTERS))) continue;
      t = COMPILED[i]!.exec(full)?.[1];
    }
    if (t !== undefined && t !== null && t.includes('.')) return t;
  }
  return undefined;
}

/** The first configured pattern whose $1 holds a '.'. */
function listTarget(full: string): string | undefined {
  for (const re of COMPILED) {
    const m = re.exec(full);
    if (m) {
      const t = m[1];
      // `next unless defined $1 && index($1, '.') != -1`: try the next pattern
      if (t !== undefined && t.includes('.')) return t;
    }
  }
  return undefined;
}

/** The hard-coded generic "https?:" redirector on the part after the host. */
function genericTarget(rest: string): string | undefined {
  const g = GENERIC.exec(rest);
  if (g && g[1]!.includes('.')) return g[1];
  return undefined;
}
