// Mirrors the schemeless alternative of Mail::SpamAssassin::PerMsgStatus's $tbirdurire (PerMsgStatus.pm,
// _tbirdurire), matched in code with a Set of the TLDs instead of irregexp on a ~1,500-word alternation:
//   (?:^|(?<=SC_START_DELIM)) ( [a-z\d][a-z\d._-]{0,251} \. TLD ) \.? (?::\d{1,5})? (?:\/[^END_DELIM]{1,2048})?
//   (?=[END_DELIM]|$)        with  TLD = (?<![a-zA-Z0-9-])(?:tld|...)(?!(?:[a-zA-Z0-9-]|\.[a-zA-Z0-9]))
// under /gi on a byte string (/i without `u` folds ASCII letters only). tbird-re.ts holds the regex this
// must agree with (the tests compare both).
import { VALID_TLDS } from '../../data/uri-tlds.js';
import { END_DELIM, SC_START_DELIM } from './tbird-re.js';

/** `[a-z\d._-]{0,251}`: host characters between the first one and the dot before the TLD. */
const MAX_HOST_REST = 251;
/** `\d{1,5}`: port digits. */
const MAX_PORT_DIGITS = 5;
/** `[^END_DELIM]{1,2048}`: path characters after the '/'. */
const MAX_PATH = 2048;

// The matcher (and text-uris.ts's scan for '.' + letter) relies on every TLD being a lowercase
// [a-z][a-z0-9-]* run; a regenerated table that breaks this must not pass silently.
if (!VALID_TLDS.every((t) => /^[a-z][a-z0-9-]*$/.test(t))) {
  throw new Error('uri-tlds: a TLD not of the form [a-z][a-z0-9-]*');
}
const TLD_SET: ReadonlySet<string> = new Set(VALID_TLDS);
const MAX_TLD_LENGTH = VALID_TLDS.reduce((m, t) => Math.max(m, t.length), 0);

/** A byte table of a character class; code units past 0xFF are tested with the regex itself. */
function classTable(re: RegExp): (c: number) => boolean {
  const table = new Uint8Array(256);
  for (let c = 0; c < 256; c++) table[c] = re.test(String.fromCharCode(c)) ? 1 : 0;
  return (c) => (c < 256 ? table[c] === 1 : re.test(String.fromCharCode(c)));
}
const isEndDelim = classTable(new RegExp(`[${END_DELIM}]`, 'i'));
const isScStart = classTable(new RegExp(SC_START_DELIM, 'i'));

function isLetter(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
}
function isAlnum(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39);
}
/** [a-zA-Z0-9-]: the characters of a TLD and of the TLD pattern's lookarounds. */
function isLdh(c: number): boolean {
  return isAlnum(c) || c === 0x2d;
}
/** [a-z\d._-] under /i: the characters of a schemeless host before its TLD. */
export function isHostChar(c: number): boolean {
  return isAlnum(c) || c === 0x2e || c === 0x5f || c === 0x2d;
}
function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** A schemeless match: group 3 is text[start, end), group 4 (the host) text[start, hostEnd). */
export interface SchemelessMatch {
  end: number;
  hostEnd: number;
}

/**
 * The schemeless alternative's match starting at `s`, or null; `runEnd` is the end of the run of host
 * characters starting at `s`. Backtracking order of the regex: the dot before the TLD from the rightmost
 * one the greedy host reaches down to the first; at each, the TLD alternation can only match the whole
 * [a-zA-Z0-9-] run after the dot (every TLD is such a run; the lookahead rejects a shorter one), and the
 * tail (see tailEnd) has at most one way to succeed.
 */
export function schemelessAt(text: string, s: number, runEnd: number): SchemelessMatch | null {
  if (!isAlnum(text.charCodeAt(s))) return null;
  if (s > 0 && !isScStart(text.charCodeAt(s - 1))) return null;
  // `\.` at d <= reach (text[reach] is '.' only when the 251 limit, not the run's end, stops the host)
  const reach = Math.min(runEnd, s + 1 + MAX_HOST_REST);
  for (let d = text.lastIndexOf('.', reach); d > s; d = text.lastIndexOf('.', d - 1)) {
    if (!isLetter(text.charCodeAt(d + 1))) continue; // every TLD starts with a letter
    let q = d + 2;
    const qMax = d + 2 + MAX_TLD_LENGTH;
    while (q < qMax && isLdh(text.charCodeAt(q))) q++;
    if (isLdh(text.charCodeAt(q))) continue; // longer than any TLD
    if (text.charCodeAt(q) === 0x2e && isAlnum(text.charCodeAt(q + 1))) continue;
    if (!TLD_SET.has(text.slice(d + 1, q).toLowerCase())) continue;
    const end = tailEnd(text, q);
    if (end >= 0) return { end, hostEnd: q };
  }
  return null;
}

const PATH_Y = new RegExp(`[^${END_DELIM}]{0,${MAX_PATH}}`, 'iy');

/**
 * `\.?(?::\d{1,5})?(?:\/[^END_DELIM]{1,2048})?(?=[END_DELIM]|$)` at q, or -1. Each optional part is taken
 * whenever it can be: leaving out a '.', a port or a path leaves a '.', ':' or '/' (or, after fewer
 * digits or path characters, a digit or path character) before the lookahead, and none of those is an
 * END_DELIM; so the greedy choice is the only one that can succeed.
 */
function tailEnd(text: string, q: number): number {
  let p = q;
  if (text.charCodeAt(p) === 0x2e) p++;
  if (text.charCodeAt(p) === 0x3a) {
    let k = 0;
    while (k < MAX_PORT_DIGITS && isDigit(text.charCodeAt(p + 1 + k))) k++;
    if (k === 0) return -1;
    p += 1 + k;
  }
  if (text.charCodeAt(p) === 0x2f) {
    PATH_Y.lastIndex = p + 1;
    PATH_Y.test(text);
    if (PATH_Y.lastIndex === p + 1) return -1;
    p = PATH_Y.lastIndex;
  }
  return p === text.length || isEndDelim(text.charCodeAt(p)) ? p : -1;
}
