// Mirrors the redirector step of Mail::SpamAssassin::Util::uri_list_canonicalize (Util.pm): the configured
// redirector_pattern list (Conf.pm; src/data/uri-redirectors.ts) tried in order, then the hard-coded
// generic "https?:" redirector.
import { REDIRECTOR_PATTERNS } from '../../data/uri-redirectors.js';

const COMPILED: readonly RegExp[] = REDIRECTOR_PATTERNS.map((p) => new RegExp(p.source, p.flags));

// Util.pm: m{(https?:/{0,2}[^&#]+)}i on the part after the host.
const GENERIC = /(https?:\/{0,2}[^&#]+)/i;

/**
 * The redirect target SpamAssassin appends to its URI list for `proto + host + rest`, or undefined.
 * `full` is "$proto$host$rest", `rest` the part after the host (port, path, query...).
 */
export function redirectTarget(full: string, rest: string): string | undefined {
  for (const re of COMPILED) {
    const m = re.exec(full);
    if (m) {
      const t = m[1];
      // `next unless defined $1 && index($1, '.') != -1`: try the next pattern
      if (t !== undefined && t.includes('.')) return t;
    }
  }
  const g = GENERIC.exec(rest);
  if (g && g[1]!.includes('.')) return g[1];
  return undefined;
}
