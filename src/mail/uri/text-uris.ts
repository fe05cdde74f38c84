// Mirrors Mail::SpamAssassin::PerMsgStatus::_tbirdurire and _process_text_uri_list (PerMsgStatus.pm): the
// Thunderbird-like scan of the rendered body lines (UTF-8 octets, so the regex works on bytes) for URIs.
import { isDomainValid, isFqdnValid } from './domain.js';
import { urlEncode } from './canonicalize.js';
import { isHostChar, schemelessAt } from './schemeless.js';
import { tbirdUriSource } from './tbird-re.js';

/** A _tbirdurire match: [0] the match, [1] scheme, [2] mail, [3] schemeless and [4] its host (groups). */
export interface TbirdMatch {
  readonly index: number;
  readonly 0: string;
  readonly 1?: string | undefined;
  readonly 2?: string | undefined;
  readonly 3?: string | undefined;
  readonly 4?: string | undefined;
}

// The scheme and mail alternatives as a regex, by (withScheme ? 2 : 0) + (withMail ? 1 : 0) - 1: a line
// without "://", "www" or "ftp." cannot match the first, one without '@' or "mailto:" the second.
const AB_VARIANTS: readonly RegExp[] = [
  new RegExp(tbirdUriSource(false, true, false), 'gi'),
  new RegExp(tbirdUriSource(true, false, false), 'gi'),
  new RegExp(tbirdUriSource(true, true, false), 'gi'),
];
const HAS_SCHEME_HINT = /:\/\/|www|ftp\./i;
const HAS_MAIL_HINT = /@|mailto:/i;

/**
 * Every _tbirdurire match holds one of these within URI_HINT_REACH characters of its start: a scheme
 * ("://" at most 5 in, or "www" / "ftp." / "mailto:" at the start), a mail address's '@' (at most 251
 * in) or the dot before a schemeless host's TLD (at most 252 in; every TLD starts with a letter, and
 * /i without `u` folds no non-ASCII character to an ASCII letter). So a line without one has no match,
 * and no scheme or mail match starts more than URI_HINT_REACH characters before the next scheme or mail
 * hint (AB_HINT_G): the regex scan can skip ahead.
 */
const URI_HINT = /\.[a-z]|@|:\/\/|www|ftp\.|mailto:/i;
const AB_HINT_G = /@|:\/\/|www|ftp\.|mailto:/gi;
/** Upper bound of the distance from a match's start to its hint's start (252, with a margin). */
export const URI_HINT_REACH = 256;
/** The longest hint ("mailto:"): a hint that ends at i starts at i - 7 or later. */
const URI_HINT_LONGEST = 7;

/** The first scheme or mail match starting at `at` or later (the regex skips to near the next hint). */
function nextAbMatch(re: RegExp, text: string, at: number): RegExpExecArray | null {
  const hint = AB_HINT_G;
  hint.lastIndex = at;
  if (!hint.test(text)) return null;
  const from = hint.lastIndex - URI_HINT_LONGEST - URI_HINT_REACH;
  re.lastIndex = from > at ? from : at;
  return re.exec(text);
}

const DOT_LETTER_G = /\.[a-z]/gi;
/** A run of host characters ([a-z\d._-] under /i), from lastIndex. */
const HOST_CHARS_Y = /[a-z\d._-]*/iy;
/** `[a-z\d][a-z\d._-]{0,251}\.`: the dot before the TLD is at most this far after the match start. */
const MAX_TLD_DOT_OFFSET = 252;

/**
 * The first schemeless match starting at `at` or later. Its host `[a-z\d][a-z\d._-]{0,251}\.TLD` must
 * be preceded by ^ or a delimiter that is not a host character, so a match starts exactly at the
 * beginning of a maximal run of host characters holding a '.' + letter (every TLD starts with a letter)
 * at most MAX_TLD_DOT_OFFSET before it; each such run start is tried once, the rest of the line never.
 */
function nextSchemelessMatch(text: string, from: number): TbirdMatch | null {
  const dot = DOT_LETTER_G;
  let at = from;
  for (;;) {
    dot.lastIndex = at;
    if (!dot.test(text)) return null;
    const h = dot.lastIndex - 2; // the '.'
    const floor = Math.max(at, h - MAX_TLD_DOT_OFFSET);
    let start = h;
    while (start > floor && isHostChar(text.charCodeAt(start - 1))) start--;
    HOST_CHARS_Y.lastIndex = h;
    HOST_CHARS_Y.test(text);
    const runEnd = HOST_CHARS_Y.lastIndex;
    // a run starting before `floor` starts before `at` or cannot reach h (nor an earlier '.' + letter)
    if (start === 0 || !isHostChar(text.charCodeAt(start - 1))) {
      const m = schemelessAt(text, start, runEnd);
      if (m !== null) {
        const all = text.slice(start, m.end);
        return { index: start, 0: all, 1: undefined, 2: undefined, 3: all, 4: text.slice(start, m.hostEnd) };
      }
    }
    at = runEnd; // no match starts inside this run
  }
}

/**
 * The _tbirdurire matches of one line, in order (as a `while (/.../gi)` loop finds them): the leftmost
 * of the next scheme-or-mail match (regex) and the next schemeless match (code); at the same position
 * the regex's earlier alternatives win. A match at a position does not depend on where the search
 * started (the lookbehinds see the whole line), so a next match found earlier stays valid until the
 * scan passes it. `onMatch` must not use the module's regexes.
 */
export function eachTbirdMatch(text: string, onMatch: (m: TbirdMatch) => void): void {
  if (!URI_HINT.test(text)) return;
  const variant = (HAS_SCHEME_HINT.test(text) ? 2 : 0) + (HAS_MAIL_HINT.test(text) ? 1 : 0);
  const re = variant === 0 ? null : AB_VARIANTS[variant - 1]!;
  let ab: TbirdMatch | null | undefined = re === null ? null : undefined; // undefined: not searched yet
  let sc: TbirdMatch | null | undefined;
  let at = 0;
  for (;;) {
    if (ab === undefined || (ab !== null && ab.index < at)) ab = nextAbMatch(re!, text, at);
    if (sc === undefined || (sc !== null && sc.index < at)) sc = nextSchemelessMatch(text, at);
    const m = ab !== null && (sc === null || ab.index <= sc.index) ? ab : sc;
    if (m === null) return;
    at = m.index + m[0].length;
    onMatch(m);
  }
}

/** A URI found in the text and what add_uri_detail_list is called with. */
export interface TextUri {
  /** the URI handed to add_uri_detail_list (scheme added when missing) */
  uri: string;
}

/** s/[-~!@#^&*()_+=:;'?,.]*$//: the characters trimmed from the end of a URI. */
const TRAILING_PUNCT_CHARS = "-~!@#^&*()_+=:;'?,.";

/** `s` without its trailing run of TRAILING_PUNCT_CHARS (a loop: the regex is O(n^2) on inner runs). */
function trimTrailingPunct(s: string): string {
  let e = s.length;
  while (e > 0 && TRAILING_PUNCT_CHARS.includes(s.charAt(e - 1))) e--;
  return e === s.length ? s : s.slice(0, e);
}

/** s/(?:%20)+$//: `s` without its trailing "%20"s. */
function trimTrailingPct20(s: string): string {
  let e = s.length;
  while (e >= 3 && s.startsWith('%20', e - 3)) e -= 3;
  return e === s.length ? s : s.slice(0, e);
}

const CLOSE_PAREN = /^([^(]*)\)[^\n]*$/;

/**
 * _process_text_uri_list: the URIs of the rendered "all" lines (byte strings), in discovery order, that
 * SpamAssassin passes to add_uri_detail_list (with valid_domain = 1). `seen` is per message.
 */
export function findTextUris(lines: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const text of lines) eachTbirdMatch(text, (m) => processMatch(m, seen, out));
  return out;
}

/** One match of _process_text_uri_list's loop: appends the URI to `out` unless it is skipped. */
function processMatch(m: TbirdMatch, seen: Set<string>, out: string[]): void {
  let rawuri = m[1] || m[2] || m[3] || '';
  const schost = m[4];
  const rawtype = m[1] !== undefined ? 'scheme' : m[2] !== undefined ? 'mail' : 'schemeless';
  if (rawuri.includes(')')) rawuri = rawuri.replace(CLOSE_PAREN, '$1');
  rawuri = trimTrailingPunct(rawuri);
  if (seen.has(rawuri)) return;
  seen.add(rawuri);
  if (rawtype === 'mail' && !rawuri.includes('@')) return;
  if (schost !== undefined && !isFqdnValid(schost, true)) return;
  if (/^[cm]id:/i.test(rawuri)) return;
  if (/^\w+:\/{0,2}$/i.test(rawuri)) return;

  let uri = rawuri;
  if (!/^(?:https?|ftp|mailto):/i.test(uri)) {
    if (/^ftp\./i.test(uri)) {
      uri = 'ftp://' + uri;
    } else if (/^www\d{0,2}\./i.test(uri)) {
      uri = 'http://' + uri;
    } else if (/\/[^\n]+@/.test(uri)) {
      uri = 'http://' + uri;
    } else if (uri.includes('@')) {
      if (!/@[^\n]+?\./.test(uri)) return;
      if (uri.includes('&nbsp;')) return;
      uri = uri.replace(/^(?:skype|e?-?mail)?:+/i, '');
      uri = 'mailto:' + uri;
    } else {
      if (!uri.includes('.')) return;
      uri = 'http://' + uri;
    }
  }
  if (/^mailto:/i.test(uri)) {
    if (/%[0-9a-f]{2}/i.test(uri)) uri = urlEncode(uri);
    const hm = /@([^?&>]*)/.exec(uri);
    if (!hm) return;
    const host = trimTrailingPct20(hm[1]!);
    if (!isDomainValid(host, false)) return;
  }
  out.push(uri);
}
