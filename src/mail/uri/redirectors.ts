// Mirrors the redirector step of Mail::SpamAssassin::Util::uri_list_canonicalize (Util.pm): the configured
// redirector_pattern list (Conf.pm; src/data/uri-redirectors.ts) tried in order, then the hard-coded
// generic "https?:" redirector.
import { REDIRECTOR_PATTERNS } from '../../data/uri-redirectors.js';

const COMPILED: readonly RegExp[] = REDIRECTOR_PATTERNS.map((p) => new RegExp(p.source, p.flags));

/**
 * Prefilters: per flag set, one regex that matches iff one of the patterns with those flags matches
 * (their alternation, each in its own group: a pattern's `^` stays its own). Most URIs match no pattern,
 * and one test costs far less than one exec per pattern. A pattern with a back-reference (renumbered
 * by the alternation) is not combined: it is always tried.
 */
const BACKREF = /\\[1-9]|\\k</;
const PREFILTERS: readonly RegExp[] = (() => {
  const byFlags = new Map<string, string[]>();
  for (const p of REDIRECTOR_PATTERNS) {
    if (BACKREF.test(p.source)) return [/(?:)/]; // cannot prefilter: always run the list
    const list = byFlags.get(p.flags) ?? [];
    list.push(`(?:${p.source})`);
    byFlags.set(p.flags, list);
  }
  return [...byFlags].map(([flags, alts]) => new RegExp(alts.join('|'), flags));
})();

function anyPatternMatches(full: string): boolean {
  for (const re of PREFILTERS) if (re.test(full)) return true;
  return false;
}

// Util.pm: m{(https?:/{0,2}[^&#]+)}i on the part after the host.
const GENERIC = /(https?:\/{0,2}[^&#]+)/i;

/**
 * The redirect target SpamAssassin appends to its URI list for `proto + host + rest`, or undefined.
 * `full` is "$proto$host$rest", `rest` the part after the host (port, path, query...).
 */
export function redirectTarget(full: string, rest: string): string | undefined {
  if (anyPatternMatches(full)) return listTarget(full) ?? genericTarget(rest);
  return genericTarget(rest);
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
