// Mirrors Mail::SpamAssassin::PerMsgStatus::_tbirdurire and _process_text_uri_list (PerMsgStatus.pm): the
// Thunderbird-like scan of the rendered body lines (UTF-8 octets, so the regex works on bytes) for URIs.
import { VALID_TLDS } from '../../data/uri-tlds.js';
import { isDomainValid, isFqdnValid } from './domain.js';
import { urlEncode } from './canonicalize.js';

/** Builds a regex alternation of words as a trie (same matches as a flat alternation when followed by a
 *  lookahead that only one candidate per position can pass, as SpamAssassin's TLD pattern is). */
export function trieAlternation(words: readonly string[]): string {
  interface Node {
    end: boolean;
    kids: Map<string, Node>;
  }
  const root: Node = { end: false, kids: new Map() };
  for (const w of words) {
    let n = root;
    for (const ch of w) {
      let k = n.kids.get(ch);
      if (!k) {
        k = { end: false, kids: new Map() };
        n.kids.set(ch, k);
      }
      n = k;
    }
    n.end = true;
  }
  const esc = (c: string): string => (/[a-z0-9]/i.test(c) ? c : '\\' + c);
  const emit = (n: Node): string => {
    const alts = [...n.kids.keys()].sort().map((c) => esc(c) + emit(n.kids.get(c)!));
    if (alts.length === 0) return '';
    const body = alts.length === 1 ? alts[0]! : `(?:${alts.join('|')})`;
    if (!n.end) return body;
    return alts.length === 1 && alts[0]!.length === 1 ? `${body}?` : `(?:${body})?`;
  };
  return `(?:${emit(root)})`;
}

// Character classes of _tbirdurire on byte strings (\s = [\t\n\x0B\f\r ]).
const SP = '\\t\\n\\x0B\\f\\r ';
const START_DELIM = `><"'\`,{\\[(|${SP}\\x1b\\xa0`;
const END_DELIM = `><"\`}\\]{\\[|${SP}\\x1b\\xa0`;
const END_DELIM_EMAIL = `${END_DELIM},('\\x80-\\xff`;
const END_DELIM_PLUS_AT = `${END_DELIM_EMAIL}@`;
const SC_START_DELIM = `[!"#$&'()*+,/:;<=>?@\\[\\\\\\]^\`{|}~${SP}\\x1b\\xa0]`;

const TLDS_RE = `(?<![a-zA-Z0-9-])${trieAlternation(VALID_TLDS)}(?!(?:[a-zA-Z0-9-]|\\.[a-zA-Z0-9]))`;
const URI_SCHEMELESS = `([a-z\\d][a-z\\d._-]{0,251}\\.${TLDS_RE})\\.?(?::\\d{1,5})?(?:\\/[^${END_DELIM}]{1,2048})?`;
const URI_KNOWN_SCHEME = `(?:(?:https?|ftp):\\/\\/|(?:www\\d{0,2}|ftp)\\.)[^${END_DELIM}]{1,2048}`;
const URI_MAIL_SCHEME = `(?:mailto:[^${END_DELIM_EMAIL}]{1,2048}|[^${END_DELIM_PLUS_AT}]{1,251}@[^${END_DELIM_EMAIL}]{1,251})`;

/**
 * The _tbirdurire source (use with flags 'gi'). Groups: 1 scheme, 2 mail, 3 schemeless, 4 schemeless host.
 * `withMail: false` leaves out the mail alternative (it needs an '@' or "mailto:": same matches on lines
 * without either),
 * `withScheme: false` the scheme alternative (it needs "://", "www" or "ftp."); groups keep their numbers.
 */
export function tbirdUriSource(withScheme = true, withMail = true): string {
  const never = '(?!)';
  return (
    `(?:\\b|(?<=\\x1b\\([^\\n])|(?<=[${START_DELIM}]))` +
    `(?:(?:(${withScheme ? URI_KNOWN_SCHEME : never})(?=(?:[${END_DELIM}]|$)))|` +
    `(?:(${withMail ? URI_MAIL_SCHEME : never})(?=(?:[${END_DELIM_EMAIL}]|$)))|` +
    `(?:(?:^|(?<=${SC_START_DELIM}))(${URI_SCHEMELESS})(?=(?:[${END_DELIM}]|$))))`
  );
}
export const TBIRD_URI_RE_SOURCE = tbirdUriSource();
// Index: (withScheme ? 2 : 0) + (withMail ? 1 : 0).
const TBIRD_VARIANTS: readonly RegExp[] = [
  new RegExp(tbirdUriSource(false, false), 'gi'),
  new RegExp(tbirdUriSource(false, true), 'gi'),
  new RegExp(tbirdUriSource(true, false), 'gi'),
  new RegExp(tbirdUriSource(true, true), 'gi'),
];
const HAS_SCHEME_HINT = /:\/\/|www|ftp\./i;
const HAS_MAIL_HINT = /@|mailto:/i;

/**
 * Every _tbirdurire match holds one of these within URI_HINT_REACH characters of its start: a scheme
 * ("://" at most 5 in, or "www" / "ftp." / "mailto:" at the start), a mail address's '@' (at most 251
 * in) or the dot before a schemeless host's TLD (at most 252 in; every TLD starts with a letter, and
 * /i without `u` folds no non-ASCII character to an ASCII letter). So a line without one has no match,
 * and no match starts more than URI_HINT_REACH characters before the next one: the scan can skip ahead.
 */
const URI_HINT_G = /\.[a-z]|@|:\/\/|www|ftp\.|mailto:/gi;
/** Upper bound of the distance from a match's start to its hint's start (252, with a margin). */
export const URI_HINT_REACH = 256;
/** The longest hint ("mailto:"): a hint that ends at i starts at i - 7 or later. */
const URI_HINT_LONGEST = 7;

/** A URI found in the text and what add_uri_detail_list is called with. */
export interface TextUri {
  /** the URI handed to add_uri_detail_list (scheme added when missing) */
  uri: string;
}

const TRAILING_PUNCT = /[-~!@#^&*()_+=:;'?,.]*$/;
const CLOSE_PAREN = /^([^(]*)\)[^\n]*$/;

/**
 * The _tbirdurire matches of one line, in order (as a `while (/.../gi)` loop finds them), skipping the
 * stretches where URI_HINT_G shows no match can start. `onMatch` must not use the module's regexes.
 */
export function eachTbirdMatch(text: string, onMatch: (m: RegExpExecArray) => void): void {
  // The module's RegExp objects: their lastIndex is set before every use (no state survives a call).
  const hint = URI_HINT_G;
  hint.lastIndex = 0;
  if (!hint.test(text)) return;
  const variant = (HAS_SCHEME_HINT.test(text) ? 2 : 0) + (HAS_MAIL_HINT.test(text) ? 1 : 0);
  if (variant === 0) {
    eachSchemelessMatch(text, onMatch);
    return;
  }
  const re = TBIRD_VARIANTS[variant]!;
  let at = 0;
  for (;;) {
    // skip to URI_HINT_REACH before the next hint (none left: no more matches)
    hint.lastIndex = at;
    if (!hint.test(text)) return;
    const from = hint.lastIndex - URI_HINT_LONGEST - URI_HINT_REACH;
    re.lastIndex = from > at ? from : at;
    const m = re.exec(text);
    if (m === null) return;
    at = re.lastIndex;
    onMatch(m);
  }
}

/** [a-z\d._-] under /i: the characters of a schemeless host before its TLD. */
function isHostChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x5f || c === 0x2d;
}

/** Variant 0 (schemeless alternative only), anchored at lastIndex. */
const SCHEMELESS_STICKY = new RegExp(tbirdUriSource(false, false), 'giy');
const DOT_LETTER_G = /\.[a-z]/gi;

/**
 * eachTbirdMatch on a line without scheme or mail hints: only the schemeless alternative can match.
 * Its host `[a-z\d][a-z\d._-]{0,251}\.TLD` must be preceded by ^ or a delimiter that is not a host
 * character, so a match starts exactly at the beginning of a maximal run of host characters holding a
 * '.' + letter; each such run start is tried once (sticky), the rest of the line never.
 */
function eachSchemelessMatch(text: string, onMatch: (m: RegExpExecArray) => void): void {
  const dot = DOT_LETTER_G;
  const re = SCHEMELESS_STICKY;
  const n = text.length;
  let at = 0;
  for (;;) {
    dot.lastIndex = at;
    if (!dot.test(text)) return;
    const h = dot.lastIndex - 2; // the '.'
    let start = h;
    while (start > 0 && isHostChar(text.charCodeAt(start - 1))) start--;
    let end = h + 1;
    while (end < n && isHostChar(text.charCodeAt(end))) end++;
    if (start >= at) {
      re.lastIndex = start;
      const m = re.exec(text);
      if (m !== null) {
        at = re.lastIndex;
        onMatch(m);
        continue;
      }
    }
    // no match starts inside this run (nor at its start, when before `at`)
    at = end;
  }
}

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
function processMatch(m: RegExpExecArray, seen: Set<string>, out: string[]): void {
  let rawuri = m[1] || m[2] || m[3] || '';
  const schost = m[4];
  const rawtype = m[1] !== undefined ? 'scheme' : m[2] !== undefined ? 'mail' : 'schemeless';
  rawuri = rawuri.replace(CLOSE_PAREN, '$1');
  rawuri = rawuri.replace(TRAILING_PUNCT, '');
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
    const host = hm[1]!.replace(/(?:%20)+$/, '');
    if (!isDomainValid(host, false)) return;
  }
  out.push(uri);
}
