// Mirrors Mail::SpamAssassin::Plugin::Bayes::tokenize and _tokenize_line (Plugin/Bayes.pm).
//
// Input is a Perl byte string (JS binary string) or, for URIs from decoded HTML, a character string whose
// code points matter: Perl's /d regex rules make \w, \s and lc ASCII-only on bytes and Unicode on
// characters. Everything the tokens keep of a character string is <= U+00FF (step 1 turns wider
// characters into spaces), so the returned tokens are always binary strings (Latin-1 code units), which
// are exactly the bytes Digest::SHA hashes.
import type { PerlStr } from '../mail/perlstr.js';
import { BAYES_STOPWORDS } from '../data/bayes-stopwords.js';
import { eachSuffix, tokenizeMailAddrs } from './prechew.js';
import { RELAY_PREFIXES, tokenizeHeaderPieces } from './headers.js';

/** bayes_max_token_length default (Plugin/Bayes.pm MAX_TOKEN_LENGTH; not overridden by the stock config). */
export const MAX_TOKEN_LENGTH = 15;

/** 0 = header, 1 = body (visible or invisible), 2 = URI. */
export type Region = 0 | 1 | 2;

// ---- step 1: keep [A-Za-z0-9,@*!_'"$. -], UTF-8-shaped sequences and lone bytes >= 0xA1; the rest -> ' '.
// Only the replaced characters are matched; UTF-8-shaped sequences are matched (and kept) first so that
// their 0x80-0xA0 continuation bytes survive, exactly like the Perl alternation order.
const CHEW_RE =
  /[\xC0-\xDF][\x80-\xBF]|[\xE0-\xEF][\x80-\xBF]{2}|[\xF0-\xF4][\x80-\xBF]{3}|[\xA1-\xFF]|([^A-Za-z0-9,@*!_'"$. -])/g;
// eslint-disable-next-line no-control-regex
const ASCII_BAD_RE = /[^A-Za-z0-9,@*!_'"$. -]/g;
// eslint-disable-next-line no-control-regex
const HAS_HIGH_RE = /[^\x00-\x7F]/;
const chewOne = (m: string, bad: string | undefined): string => (bad === undefined ? m : ' ');

// ---- step 2: split "..." and "--" joints. \w is ASCII on bytes, Unicode on characters (Latin-1 subset:
// ª µ º À-Ö Ø-ö ø-ÿ are the Latin-1 word characters; wider ones are gone after step 1).
const W_BYTES = 'A-Za-z0-9_';
const W_CHARS = 'A-Za-z0-9_\\xAA\\xB5\\xBA\\xC0-\\xD6\\xD8-\\xF6\\xF8-\\xFF';
const DOTS_RE_B = new RegExp(`([${W_BYTES}])(\\.{3,6})([${W_BYTES}])`, 'g');
const DOTS_RE_C = new RegExp(`([${W_CHARS}])(\\.{3,6})([${W_CHARS}])`, 'g');
const DASH_RE_B = new RegExp(`([${W_BYTES}])(-{2,6})([${W_BYTES}])`, 'g');
const DASH_RE_C = new RegExp(`([${W_CHARS}])(-{2,6})([${W_CHARS}])`, 'g');

// ---- step 3: title case. \s: ASCII whitespace on bytes; on characters also U+0085 and U+00A0 (the only
// other Unicode spaces that can survive step 1, as second unit of a kept pair such as "\xC3\xA0").
const S_BYTES = '\\t\\n\\x0B\\f\\r ';
const S_CHARS = '\\t\\n\\x0B\\f\\r \\x85\\xA0';
const TITLE_RE_B = new RegExp(`(?:^|\\.[${S_BYTES}]+)([A-Z])([^A-Z]+)(?:[${S_BYTES}]|$)`, 'g');
const TITLE_RE_C = new RegExp(`(?:^|\\.[${S_CHARS}]+)([A-Z])([^A-Z]+)(?:[${S_CHARS}]|$)`, 'g');
const titleOne = (_m: string, a: string, b: string): string => ' ' + a.toLowerCase() + b + ' ';

// ---- step 5: awk-style split.
const SPLIT_RE_B = new RegExp(`[${S_BYTES}]+`);
const SPLIT_RE_C = new RegExp(`[${S_CHARS}]+`);

// ---- step 6.
const DOT_ALPHA_RE = /[^]\.[A-Za-z]/;
const TWO_CONT_RE = /[\x80-\xBF]{2}/;
const UTF8_SEQ_RE = /(?:[\xE0-\xEF]|[\xF0-\xF4][\x80-\xBF])[\x80-\xBF]{2}/g;
// ^((?>(?:ASCII-or-F5..FF | 2-byte | 3-byte | 4-byte | .){7})).{2,}\z -- the atomic group is emulated
// with a capturing lookahead (lookarounds are atomic in JS) and a back-reference.
const SKIP_RE =
  /^(?=((?:[\x00-\x7F\xF5-\xFF]|[\xC0-\xDF][\x80-\xBF]|[\xE0-\xEF][\x80-\xBF]{2}|[\xF0-\xF4][\x80-\xBF]{3}|[^]){7}))\1[^]{2,}$/;
const NONWORD_RE_B = new RegExp(`[^${W_BYTES}:*]`);
const NONWORD_RE_C = new RegExp(`[^${W_CHARS}:*]`);
const NONWORD_G_RE_B = new RegExp(`[^${W_BYTES}:*]`, 'g');
const NONWORD_G_RE_C = new RegExp(`[^${W_CHARS}:*]`, 'g');
const UPPER_RE = /[A-Z]/;
const ASCII_UPPER_G_RE = /[A-Z]+/g;

/** Perl lc on a byte string: ASCII letters only. */
export function lcBytes(s: string): string {
  return UPPER_RE.test(s) ? s.replace(ASCII_UPPER_G_RE, (m) => m.toLowerCase()) : s;
}

/** Perl lc on a character string (code points <= U+00FF): Unicode lowercasing. */
function lcChars(s: string): string {
  return s.toLowerCase();
}

/** The stopword check of _tokenize_line (bayes_stopword_languages, default en). */
function isStopword(token: string): boolean {
  for (const { re } of BAYES_STOPWORDS) if (re.test(token)) return true;
  return false;
}

/**
 * s/^[-'".,]+//; s/[-'".,]+$// (loops: the second regex retries from every character of a long inner
 * run, O(n^2)).
 */
function trimToken(token: string): string {
  let a = 0;
  let e = token.length;
  while (a < e && isTrimByte(token.charCodeAt(a))) a++;
  while (e > a && isTrimByte(token.charCodeAt(e - 1))) e--;
  return a === 0 && e === token.length ? token : token.slice(a, e);
}

/** Step 1 of _tokenize_line. */
function chew(s: string): string {
  if (!HAS_HIGH_RE.test(s)) return s.replace(ASCII_BAD_RE, ' ');
  return s.replace(CHEW_RE, chewOne);
}

/**
 * _tokenize_line(text, prefix, region): the token strings (binary strings), duplicates kept, in order.
 * `text` is a byte string, or a PerlStr whose `chars` flag selects Perl's Unicode rules.
 */
export function tokenizeLine(text: PerlStr | string, prefix: string, region: Region): string[] {
  const out: string[] = [];
  tokenizeLineInto(text, prefix, region, out);
  return out;
}

/**
 * tokenizeLine, appending to `out`: the byte-string fast path, or the regex port for character strings.
 * A character string made of ASCII only takes the fast path too: Perl's Unicode rules differ from its
 * byte rules only on characters >= U+0080 (\w, \s, lc, and step 1's high-byte classes).
 */
function tokenizeLineInto(text: PerlStr | string, prefix: string, region: Region, out: string[]): void {
  if (typeof text === 'string') tokenizeBytesInto(text, prefix, region, out);
  else if (!text.chars || !HAS_HIGH_RE.test(text.s)) tokenizeBytesInto(text.s, prefix, region, out);
  else tokenizeLineRegexInto(text.s, true, prefix, region, out);
}

/**
 * The direct regex port of _tokenize_line (both string kinds). Character strings use it; for byte
 * strings it is the reference the fast path (tokenizeBytesInto) is tested against.
 */
export function tokenizeLineRegex(text: PerlStr | string, prefix: string, region: Region): string[] {
  const out: string[] = [];
  if (typeof text === 'string') tokenizeLineRegexInto(text, false, prefix, region, out);
  else tokenizeLineRegexInto(text.s, text.chars, prefix, region, out);
  return out;
}

function tokenizeLineRegexInto(s: string, isChars: boolean, prefix: string, region: Region, out: string[]): void {
  s = chew(s);
  if (s.indexOf('..') !== -1) s = s.replace(isChars ? DOTS_RE_C : DOTS_RE_B, '$1 $2 $3');
  if (s.indexOf('--') !== -1) s = s.replace(isChars ? DASH_RE_C : DASH_RE_B, '$1 $2 $3');
  if (region === 1 || region === 2) s = s.replace(isChars ? TITLE_RE_C : TITLE_RE_B, titleOne);
  // The DBM store's magic-token pattern /^\r\x01\x07\t\x03/ cannot match after step 1.

  const nonWord = isChars ? NONWORD_RE_C : NONWORD_RE_B;
  const nonWordG = isChars ? NONWORD_G_RE_C : NONWORD_G_RE_B;
  const lc = isChars ? lcChars : lcBytes;
  const body = region === 1 || region === 2;

  for (let token of s.split(isChars ? SPLIT_RE_C : SPLIT_RE_B)) {
    if (token === '') continue; // awk mode: no empty leading field; no empty fields at all
    token = trimToken(token);
    const len = token.length;
    if (len < 3) continue;
    if (isStopword(token)) continue;

    if (body) {
      // /\S\@\S/ and /\S\.[a-z]/i: tokens hold no (split) whitespace, so any character qualifies as \S.
      const at = token.indexOf('@', 1);
      if (at > 0 && at < len - 1) {
        for (const t of tokenizeMailAddrs(token)) out.push(t);
      } else if (DOT_ALPHA_RE.test(token)) {
        out.push('UD:' + token);
        eachSuffix(token, (rest) => out.push('UD:' + rest));
      }
    }

    if (len > MAX_TOKEN_LENGTH && token.indexOf('*') === -1) {
      if (TWO_CONT_RE.test(token)) {
        const seqs = token.match(UTF8_SEQ_RE);
        if (seqs) {
          for (const q of seqs) out.push(prefix + 'u8:' + q);
          continue;
        }
      }
      if (region === 0 || region === 1) {
        const m = SKIP_RE.exec(token);
        if (m) token = 'sk:' + m[1];
      }
    }

    if (body) {
      const hasNonWord = nonWord.test(token);
      if (hasNonWord) out.push(prefix + token.replace(nonWordG, ''));
      if (UPPER_RE.test(token)) {
        const lower = lc(token);
        out.push(prefix + lower);
        if (hasNonWord) out.push(prefix + lower.replace(nonWordG, ''));
      }
    }

    out.push(prefix + token);
  }
}

// ---- the byte-string fast path: steps 1-4 as above, then one scan per token instead of split and
// per-token regexes. Same tokens as tokenizeLineRegex on byte strings (tested on random and corpus lines).

/** Bits of a byte token's one-pass scan. */
const F_UPPER = 1; // [A-Z]
const F_NONWORD = 2; // [^A-Za-z0-9_:*] (every byte >= 0x80 included: \w is ASCII on bytes)
const F_HIGH = 4; // a byte >= 0x80
const F_STAR = 8; // '*'

/** Per byte: F_UPPER / F_NONWORD / F_HIGH / F_STAR, precomputed. */
const BYTE_FLAGS: Uint8Array = (() => {
  const t = new Uint8Array(256);
  for (let c = 0; c < 256; c++) {
    let f = 0;
    if (c >= 0x41 && c <= 0x5a) f |= F_UPPER;
    const word = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x3a || c === 0x2a;
    if (!word) f |= F_NONWORD;
    if (c >= 0x80) f |= F_HIGH;
    if (c === 0x2a) f |= F_STAR;
    t[c] = f;
  }
  return t;
})();

function byteFlags(token: string): number {
  let f = 0;
  for (let i = 0; i < token.length; i++) f |= BYTE_FLAGS[token.charCodeAt(i) & 0xff]!;
  return f;
}

/** [\t\n\x0B\f\r ]: Perl \s on bytes (after step 1 only ' ' is left, but the split is on \s+). */
function isSpaceByte(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

/** [-'".,]: trimmed at both ends of a token. */
function isTrimByte(c: number): boolean {
  return c === 0x2d || c === 0x27 || c === 0x22 || c === 0x2e || c === 0x2c;
}

/** A-Z or a-z. */
function isAsciiLetter(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function tokenizeBytesInto(s: string, prefix: string, region: Region, out: string[]): void {
  s = chew(s);
  if (s.indexOf('..') !== -1) s = s.replace(DOTS_RE_B, '$1 $2 $3');
  if (s.indexOf('--') !== -1) s = s.replace(DASH_RE_B, '$1 $2 $3');
  const body = region === 1 || region === 2;
  // Title case can only start at an upper-case first byte or after ". " (the only \s left after step 1 is ' ').
  if (body) {
    const c0 = s.length > 0 ? s.charCodeAt(0) : 0; // charCodeAt past the end would deoptimize
    if ((c0 >= 0x41 && c0 <= 0x5a) || s.indexOf('. ') !== -1) s = s.replace(TITLE_RE_B, titleOne);
  }

  const n = s.length;
  let i = 0;
  while (i < n) {
    // one \s+-separated field [start, end), then the trims of step 6
    while (i < n && isSpaceByte(s.charCodeAt(i))) i++;
    if (i >= n) break;
    let start = i;
    while (i < n && !isSpaceByte(s.charCodeAt(i))) i++;
    let end = i;
    while (start < end && isTrimByte(s.charCodeAt(start))) start++;
    while (end > start && isTrimByte(s.charCodeAt(end - 1))) end--;
    const len = end - start;
    if (len < 3) continue;
    let token = s.slice(start, end);
    if (isStopword(token)) continue;

    let flags = 0;
    if (body) {
      let at = -1;
      let dotAlpha = false;
      for (let k = start; k < end; k++) {
        const c = s.charCodeAt(k);
        flags |= BYTE_FLAGS[c & 0xff]!;
        if (c === 0x40 /* @ */) {
          if (at < 0 && k > start) at = k - start;
        } else if (c === 0x2e /* . */ && k > start && k + 1 < end && isAsciiLetter(s.charCodeAt(k + 1))) {
          dotAlpha = true;
        }
      }
      if (at > 0 && at < len - 1) {
        for (const t of tokenizeMailAddrs(token)) out.push(t);
      } else if (dotAlpha) {
        out.push('UD:' + token);
        eachSuffix(token, (rest) => out.push('UD:' + rest));
      }
    } else if (len > MAX_TOKEN_LENGTH) {
      flags = byteFlags(token);
    }

    if (len > MAX_TOKEN_LENGTH && (flags & F_STAR) === 0) {
      if (flags & F_HIGH) {
        if (TWO_CONT_RE.test(token)) {
          const seqs = token.match(UTF8_SEQ_RE);
          if (seqs) {
            for (const q of seqs) out.push(prefix + 'u8:' + q);
            continue;
          }
        }
        if (region === 0 || region === 1) {
          const m = SKIP_RE.exec(token);
          if (m) token = 'sk:' + m[1];
          if (body) flags = byteFlags(token);
        }
      } else if (region === 0 || region === 1) {
        // SKIP_RE on ASCII: seven single-byte units, then at least two more (len > 15)
        token = 'sk:' + token.slice(0, 7);
        if (body) flags = byteFlags(token);
      }
    }

    if (body) {
      const hasNonWord = (flags & F_NONWORD) !== 0;
      if (hasNonWord) out.push(prefix + token.replace(NONWORD_G_RE_B, ''));
      if (flags & F_UPPER) {
        // ASCII-only lc: toLowerCase agrees on a token without high bytes
        const lower = flags & F_HIGH ? lcBytes(token) : token.toLowerCase();
        out.push(prefix + lower);
        if (hasNonWord) out.push(prefix + lower.replace(NONWORD_G_RE_B, ''));
      }
    }

    out.push(prefix + token);
  }
}

// ---- tokenize(): the per-region token lists and their caps.

/** Caps of Plugin/Bayes.pm::tokenize: a source stops after the line/pair that reaches the count. */
export const BODY_TOKEN_CAP = 50000;
export const URI_TOKEN_CAP = 10000;
export const INVISIBLE_TOKEN_CAP = 50000;
export const HEADER_TOKEN_CAP = 10000;

/** What Plugin/Bayes.pm::tokenize reads for one message. */
export interface BayesInput {
  visible: string[]; // get_visible_rendered_body_text_array (binary strings)
  invisible: string[]; // get_invisible_rendered_body_text_array (binary strings)
  uris: PerlStr[]; // get_uri_list entries with their utf8 flag
  headers: string[]; // get_all_headers lines "Name: decoded value\n", original order
  metadata: Record<string, string>; // get_all_metadata strings ('x-spam-relays-trusted' etc.)
}

/**
 * Token strings by source (duplicates kept, emission order): `relay` = the x-spam-relays-* pseudo
 * headers (H*RT:, H*RU:, Hx-spam-relays-internal:, Hx-spam-relays-external:), `header` = the other
 * header tokens, `invisible` = everything the invisible lines produced (incl. the unprefixed UD:, U* and D* tokens).
 */
export interface RegionTokens {
  header: string[];
  relay: string[];
  body: string[];
  invisible: string[];
  uri: string[];
}

function tokenizeLines(lines: readonly (PerlStr | string)[], prefix: string, region: Region, cap: number): string[] {
  const out: string[] = [];
  for (const line of lines) {
    tokenizeLineInto(line, prefix, region, out);
    if (out.length >= cap) break;
  }
  return out;
}

/** Plugin/Bayes.pm::tokenize before hashing; empty strings are left in (the caller skips them). */
export function tokenizeMessage(input: BayesInput): RegionTokens {
  const body = tokenizeLines(input.visible, '', 1, BODY_TOKEN_CAP);
  const uri = tokenizeLines(input.uris, '', 2, URI_TOKEN_CAP);
  const invisible = tokenizeLines(input.invisible, 'I*:', 1, INVISIBLE_TOKEN_CAP);
  const header: string[] = [];
  const relay: string[] = [];
  let n = 0;
  for (const [prefix, pieces] of tokenizeHeaderPieces(input.headers, input.metadata)) {
    const dest = RELAY_PREFIXES.has(prefix) ? relay : header;
    n += tokenizePiecesInto(pieces, 'H' + prefix + ':', dest, HEADER_TOKEN_CAP - n);
    if (n >= HEADER_TOKEN_CAP) break;
  }
  return { header, relay, body, invisible, uri };
}

/**
 * Up to this many bytes a header value's pieces are joined and tokenized in one call, as Perl does (the
 * usual case: one call is cheaper than one per address token). Longer joins go piece by piece, each
 * distinct piece read once: an address header of commas pre-chews to its whole value once per comma
 * (up to 64 MiB from an 8 KiB header).
 */
const PIECES_JOIN_MAX_BYTES = 64 * 1024;

/**
 * tokenizeLine(pieces.join(' '), prefix, 0) appended to `out`; returns the number of tokens that call
 * returns. Header tokenizing works on each \s-separated field on its own (no step crosses a space, and
 * title case is not applied in region 0), so the join's tokens are the pieces' tokens in order, and a
 * piece seen before in this value gives the same tokens again without being read again. Once `budget`
 * tokens are reached the caller stops after this value, and duplicates of tokens already emitted change
 * neither the token set nor that outcome: they are counted but not appended.
 */
function tokenizePiecesInto(pieces: readonly string[], prefix: string, out: string[], budget: number): number {
  let joined = pieces.length - 1;
  for (let i = 0; i < pieces.length && joined <= PIECES_JOIN_MAX_BYTES; i++) joined += pieces[i]!.length;
  if (joined <= PIECES_JOIN_MAX_BYTES) {
    const before = out.length;
    tokenizeLineInto(pieces.length === 1 ? pieces[0]! : pieces.join(' '), prefix, 0, out);
    return out.length - before;
  }
  const seen = new Map<string, string[]>();
  let n = 0;
  for (const piece of pieces) {
    let toks = seen.get(piece);
    if (toks === undefined) {
      toks = [];
      tokenizeLineInto(piece, prefix, 0, toks);
      seen.set(piece, toks);
      for (const t of toks) out.push(t);
    } else if (n < budget) {
      for (const t of toks) out.push(t);
    }
    n += toks.length;
  }
  return n;
}
