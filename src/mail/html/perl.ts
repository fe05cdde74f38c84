// Perl string semantics the HTML renderer needs (perlre "/d" rules): character classes, lc,
// truthiness and numification differ between byte strings and character strings.

import type { PerlStr } from '../perlstr.js';

/** Perl's \s on a character string (Unicode White_Space minus nothing, plus \x0B). */
const UNI_SPACE = new Set([
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004,
  0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
]);

/** \s: ASCII rules on byte strings, Unicode rules on character strings. */
export function isPerlSpace(c: number, chars: boolean): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  return chars && c >= 0x85 && UNI_SPACE.has(c); // (no other member is above 0x20 and below 0x85)
}

/** Regex source for \s, \d, \w in the given mode (use with the `u` flag in character mode). */
export function reClasses(chars: boolean): { S: string; D: string; W: string; flags: string } {
  return chars
    ? {
        S: '[\\t\\n\\x0B\\f\\r \\x85\\xA0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000]',
        D: '\\p{Nd}',
        W: '[\\p{Alphabetic}\\p{M}\\p{Nd}\\p{Pc}\\p{Join_Control}]',
        flags: 'u',
      }
    : { S: '[\\t\\n\\x0B\\f\\r ]', D: '[0-9]', W: '[A-Za-z0-9_]', flags: '' };
}

/** Perl lc: ASCII-only on byte strings. */
export function perlLc(p: PerlStr): string {
  if (p.chars) return p.s.toLowerCase();
  const s = p.s;
  let upper = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // toLowerCase would also fold Latin-1 letters: only A-Z runs then
    if (c >= 0x80) return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
    if (c >= 0x41 && c <= 0x5a) upper = true;
  }
  return upper ? s.toLowerCase() : s;
}

/** Perl truthiness of a defined string. */
export function perlTrue(s: string): boolean {
  return s !== '' && s !== '0';
}

/** Perl numification of a string (leading white space, sign, ASCII digits, fraction, exponent). */
export function perlNum(s: string): number {
  // /^[\t\n\x0B\f\r ]*([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)/, scanned
  let i = skipSpace(s, 0, false);
  const from = i;
  if (s[i] === '+' || s[i] === '-') i++;
  const intEnd = digitsEnd(s, i);
  if (intEnd > i) {
    i = intEnd;
    if (s[i] === '.') i = digitsEnd(s, i + 1);
  } else if (s[i] === '.' && digitsEnd(s, i + 1) > i + 1) {
    i = digitsEnd(s, i + 1);
  } else {
    return 0;
  }
  if (s[i] === 'e' || s[i] === 'E') {
    let e = i + 1;
    if (s[e] === '+' || s[e] === '-') e++;
    const expEnd = digitsEnd(s, e);
    if (expEnd > e) i = expEnd;
  }
  return Number(s.slice(from, i));
}

/** Index after the ASCII digits from `from`. */
function digitsEnd(s: string, from: number): number {
  let i = from;
  while (i < s.length && s.charCodeAt(i) >= 0x30 && s.charCodeAt(i) <= 0x39) i++;
  return i;
}

let reNd: RegExp | undefined;

/**
 * The capture of /^\s*([+-]?\d+)/ (the sign required when `signed`, else not allowed), or null;
 * \d is \p{Nd} on a character string (that class is compiled only when a non-ASCII character is met).
 */
export function leadingDigits(s: string, chars: boolean, signed: boolean): string | null {
  const from = skipSpace(s, 0, chars);
  let i = from;
  if (signed) {
    if (s[i] !== '+' && s[i] !== '-') return null;
    i++;
  }
  const start = i;
  for (;;) {
    const c = s.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) {
      i++;
    } else if (chars && c >= 0x80) {
      const cp = s.codePointAt(i)!;
      if (!(reNd ??= /^\p{Nd}$/u).test(String.fromCodePoint(cp))) break;
      i += cp > 0xffff ? 2 : 1;
    } else {
      break;
    }
  }
  return i > start ? s.slice(from, i) : null;
}

/** Index after leading \s characters from `from`. */
export function skipSpace(s: string, from: number, chars: boolean): number {
  let i = from;
  while (i < s.length && isPerlSpace(s.charCodeAt(i), chars)) i++;
  return i;
}

/** Index after the last non-\s character (exclusive end of the trimmed string). */
export function trimEnd(s: string, chars: boolean): number {
  let j = s.length;
  while (j > 0 && isPerlSpace(s.charCodeAt(j - 1), chars)) j--;
  return j;
}

/**
 * The capture of `\s*(.+?)\s*$` (or `\s*(\S.*?)\s*$` when `nonSpaceFirst`) applied to `rest`,
 * computed without backtracking; null when Perl's match would fail. `.` excludes "\n".
 */
export function captureTrimmed(rest: string, chars: boolean, nonSpaceFirst: boolean): string | null {
  const i = skipSpace(rest, 0, chars);
  if (i === rest.length) {
    if (nonSpaceFirst) return null;
    // only white space: the lazy group gets the last character that is not "\n"
    for (let k = rest.length - 1; k >= 0; k--) if (rest[k] !== '\n') return rest[k]!;
    return null;
  }
  const j = trimEnd(rest, chars);
  const v = rest.slice(i, j);
  return v.includes('\n') ? null : v;
}

/** Code point length (Perl length of a character string; bytes for a byte string). */
export function perlLength(p: PerlStr): number {
  if (!p.chars) return p.s.length;
  let n = 0;
  for (let i = 0; i < p.s.length; i++) {
    const c = p.s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) n++;
  }
  return n;
}

/** Perl substr($s, 0, $n) in characters. */
export function perlPrefix(p: PerlStr, n: number): string {
  if (!p.chars) return p.s.slice(0, n);
  let count = 0;
  let i = 0;
  while (i < p.s.length && count < n) {
    const c = p.s.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < p.s.length ? 2 : 1;
    count++;
  }
  return p.s.slice(0, i);
}
