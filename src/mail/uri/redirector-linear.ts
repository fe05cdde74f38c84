// Linear-time equivalents of the redirector_pattern regexes (src/data/uri-redirectors.ts, applied by
// Util.pm::uri_list_canonicalize) whose backtracking is super-linear in irregexp.
//
// Why: uri_list_canonicalize appends every redirect target to the list it is walking, so a URI made of
// nested targets ("http://a/?u=http://b/?u=http://c/?u=...", up to 8192 characters) is matched once per
// level, and some patterns cost O(n^2) (or O(n^3)) per match on such text: ".gov/externalLink.jhtml?"
// repeated without "url=", "/?" repeated without "URL=", ... A message of a few such links took minutes.
//
// Each matcher returns what `re.exec(s)` gives for group 1 (null when there is no match). It assumes a
// string without "\n" (then `.` / `[^\n]` is any character and `$` the end): the caller falls back to
// the regexes otherwise. The patterns are matched under /i without `u`, which folds ASCII letters only,
// so the literals are looked up in an ASCII-lowercased copy `l` (same length and positions as `s`).
// A matcher applies only to the exact regex source it was written for (the table is generated): a
// regenerated pattern that differs is matched by its regex again. The reasoning per pattern follows the
// regex's own backtracking order (greedy: the rightmost choice first; lazy: the leftmost), and each
// one is checked against its regex on generated strings (test/uri-redirectors.test.ts).

/** A matcher: group 1 of the match, or null. */
export type LinearMatcher = (s: string, l: string) => string | null;

/** Perl \s on a byte (no "\n" here): [\t\x0B\f\r ]. */
function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

/** The last index i >= `min` with l.startsWith(word, i) and l[i - 1] one of `before`, or -1. */
function lastAfter(l: string, word: string, before: string, min: number): number {
  for (let i = l.lastIndexOf(word); i >= min && i >= 1; i = l.lastIndexOf(word, i - 1)) {
    if (before.includes(l[i - 1]!)) return i;
  }
  return -1;
}

/** From `from`, up to the first position where `stop(c)` holds, or to the end. */
function captureUntil(s: string, from: number, stop: (s: string, c: number) => boolean): string {
  let c = from;
  while (c < s.length && !stop(s, c)) c++;
  return s.slice(from, c);
}

const isAmpHash = (s: string, c: number): boolean => s.charCodeAt(c) === 0x26 || s.charCodeAt(c) === 0x23;

/**
 * ^http:\/\/.+\.gov\/(?:.*\/)?externalLink\.jhtml\?.*url=(.*?)(?:&.*)?$ — ".gov/" at g >= 8, then
 * "externalLink.jhtml?" at e >= g + 5 right after a '/', then "url=" at u >= e + 19. The earliest g and
 * e leave the most room, and whichever (g, e) the regex settles on, its greedy `.*` takes the last
 * "url=": group 1 runs from there to the first '&' or the end.
 */
const gov: LinearMatcher = (s, l) => {
  if (!l.startsWith('http://')) return null;
  const u = l.lastIndexOf('url=');
  const g = l.indexOf('.gov/', 8);
  if (u < 0 || g < 0) return null;
  let e = l.indexOf('externallink.jhtml?', g + 5);
  while (e >= 0 && l.charCodeAt(e - 1) !== 0x2f) e = l.indexOf('externallink.jhtml?', e + 1);
  if (e < 0 || e + 19 > u) return null;
  return captureUntil(s, u + 4, (x, c) => x.charCodeAt(c) === 0x26);
};

/**
 * ^http:\/\/(?:.*?\.)?adtech\.de\/.*(?:;|\|)link=(.*?)(?:;|$) — "adtech.de/" at a = 7 or right after
 * a '.' at 7 or later (the earliest leaves the most room), then "link=" at k after a [;|] at a + 10 or
 * later; the greedy `.*` takes the last such k; group 1 runs to the first ';' or the end.
 */
const adtech: LinearMatcher = (s, l) => {
  if (!l.startsWith('http://')) return null;
  let a = l.indexOf('adtech.de/', 7);
  while (a > 7 && l.charCodeAt(a - 1) !== 0x2e) a = l.indexOf('adtech.de/', a + 1);
  if (a < 0) return null;
  const k = lastAfter(l, 'link=', ';|', a + 11);
  if (k < 0) return null;
  return captureUntil(s, k + 5, (x, c) => x.charCodeAt(c) === 0x3b);
};

/**
 * ^http.*?\/redirect\.php\?.*(?<=[?&])goto=(.*?)(?:$|[&#]) — the first "/redirect.php?" (at r >= 4)
 * leaves the most room; the greedy `.*` takes the last "goto=" preceded by [?&] at r + 13 or later.
 */
const redirectPhp: LinearMatcher = (s, l) => {
  if (!l.startsWith('http')) return null;
  const r = l.indexOf('/redirect.php?', 4);
  if (r < 0) return null;
  const p = lastAfter(l, 'goto=', '?&', r + 14);
  if (p < 0) return null;
  return captureUntil(s, p + 5, isAmpHash);
};

/**
 * \/(?:index.php)?\?.*(?<=[?&])URL=(.*?)(?:$|[&#]) (unanchored) — a start is a '?' at q preceded by '/'
 * or by "/index?php"; it matches iff some [?&] at q or later is followed by "URL=". The earliest such
 * q decides; every matching start's greedy `.*` takes the last "URL=" preceded by [?&].
 */
const indexUrl: LinearMatcher = (s, l) => {
  const p = lastAfter(l, 'url=', '?&', 1);
  if (p < 0) return null;
  for (let q = l.indexOf('?'); q >= 0 && q <= p - 1; q = l.indexOf('?', q + 1)) {
    const slash = q >= 1 && l.charCodeAt(q - 1) === 0x2f;
    const index = q >= 10 && l.charCodeAt(q - 10) === 0x2f && l.startsWith('index', q - 9) && l.startsWith('php', q - 3);
    if (slash || index) return captureUntil(s, p + 4, isAmpHash);
  }
  return null;
};

// The anchored prefix of the two google search patterns. It has at most one match (the word before
// "google" ends at its first non-word character; the '/' of "/search?" is the first '/' after "google"),
// so its end is where the rest must match from.
const GOOGLE_SEARCH_PREFIX = /^https?:\/*(?:\w+\.)?google(?:\.\w{2,3}){1,2}\/search\?/i;

/**
 * The google search patterns after GOOGLE_SEARCH_PREFIX:
 *   .*?(?<=[?&])q=[^&]*?(?<=%20|..[=+\s])KEY(.*?)(?:$|END)
 * The lazy parts try each "q=" after [?&] in order, and for each the positions t up to the next '&' in
 * order; the first t whose lookbehind and KEY match is the match. A "q=" whose '&'-free stretch has no
 * such t cannot be followed by a "q=" in the same stretch that has one: the scan skips the stretch.
 */
function googleSearch(keyLength: (l: string, t: number) => number, end: (s: string, c: number) => boolean): LinearMatcher {
  return (s, l) => {
    const m = GOOGLE_SEARCH_PREFIX.exec(l);
    if (m === null) return null;
    const n = l.length;
    let from = m[0].length;
    for (;;) {
      let p = l.indexOf('q=', from);
      while (p >= 0 && !(p >= 1 && (l.charCodeAt(p - 1) === 0x3f || l.charCodeAt(p - 1) === 0x26))) p = l.indexOf('q=', p + 1);
      if (p < 0) return null;
      let amp = l.indexOf('&', p + 2);
      if (amp < 0) amp = n;
      for (let t = p + 2; t < amp; t++) {
        const k = keyLength(l, t);
        if (k === 0) continue;
        const c = l.charCodeAt(t - 1);
        if (t >= 3 && (l.startsWith('%20', t - 3) || c === 0x3d || c === 0x2b || isSpace(c))) return captureUntil(s, t + k, end);
      }
      from = amp;
    }
  };
}

/** (?:site|inurl): */
const siteKey = (l: string, t: number): number => {
  const c = l.charCodeAt(t);
  return c === 0x73 && l.startsWith('site:', t) ? 5 : c === 0x69 && l.startsWith('inurl:', t) ? 6 : 0;
};
/** (?:"|%22) */
const quoteKey = (l: string, t: number): number => {
  const c = l.charCodeAt(t);
  return c === 0x22 ? 1 : c === 0x25 && l.startsWith('%22', t) ? 3 : 0;
};

/** $|%20|[\s+&#] */
const siteEnd = (s: string, c: number): boolean => {
  const x = s.charCodeAt(c);
  return s.startsWith('%20', c) || isSpace(x) || x === 0x2b || x === 0x26 || x === 0x23;
};
/** $|%22|["\s+&#] */
const quoteEnd = (s: string, c: number): boolean => {
  const x = s.charCodeAt(c);
  return s.startsWith('%22', c) || x === 0x22 || isSpace(x) || x === 0x2b || x === 0x26 || x === 0x23;
};

/** Regex source (as in src/data/uri-redirectors.ts) -> its linear matcher. */
export const LINEAR_MATCHERS: ReadonlyMap<string, LinearMatcher> = new Map<string, LinearMatcher>([
  ['^http:\\/\\/[^\\n]+\\.gov\\/(?:[^\\n]*\\/)?externalLink\\.jhtml\\?[^\\n]*url=([^\\n]*?)(?:&[^\\n]*)?(?=\\n?(?![\\s\\S]))', gov],
  ['^http:\\/\\/(?:[^\\n]*?\\.)?adtech\\.de\\/[^\\n]*(?:;|\\|)link=([^\\n]*?)(?:;|(?=\\n?(?![\\s\\S])))', adtech],
  ['^http[^\\n]*?\\/redirect\\.php\\?[^\\n]*(?<=[?&])goto=([^\\n]*?)(?:(?=\\n?(?![\\s\\S]))|[&#])', redirectPhp],
  ['\\/(?:index[^\\n]php)?\\?[^\\n]*(?<=[?&])URL=([^\\n]*?)(?:(?=\\n?(?![\\s\\S]))|[&#])', indexUrl],
  [
    '^https?:\\/*(?:\\w+\\.)?google(?:\\.\\w{2,3}){1,2}\\/search\\?[^\\n]*?(?<=[?&])q=[^&]*?(?<=%20|[^\\n][^\\n][=+\\t\\n\\x0B\\f\\r ])(?:site|inurl):([^\\n]*?)(?:(?=\\n?(?![\\s\\S]))|%20|[\\t\\n\\x0B\\f\\r +&#])',
    googleSearch(siteKey, siteEnd),
  ],
  [
    '^https?:\\/*(?:\\w+\\.)?google(?:\\.\\w{2,3}){1,2}\\/search\\?[^\\n]*?(?<=[?&])q=[^&]*?(?<=%20|[^\\n][^\\n][=+\\t\\n\\x0B\\f\\r ])(?:"|%22)([^\\n]*?)(?:(?=\\n?(?![\\s\\S]))|%22|["\\t\\n\\x0B\\f\\r +&#])',
    googleSearch(quoteKey, quoteEnd),
  ],
]);
