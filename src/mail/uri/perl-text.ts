// Perl string primitives the URI modules need (perlfunc lc, perlrecharclass \s), for byte strings and
// character strings; see ../perlstr.ts and sa-bayes-spec.md section 0.3.
import type { PerlStr } from '../perlstr.js';

/** Perl \s on a byte string: [\t\n\x0B\f\r ]. For use inside a character class. */
export const SPACE_BYTES = '\\t\\n\\x0B\\f\\r ';
/** Perl \s on a character string (Unicode White_Space). For use inside a character class. */
export const SPACE_CHARS = '\\t\\n\\x0B\\f\\r \\x85\\xA0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000';

const HAS_UPPER_ASCII = /[A-Z]/;
const UPPER_ASCII = /[A-Z]+/g;

/** lc on a byte string: ASCII letters only (String#toLowerCase does just that on an ASCII string). */
export function lcBytes(s: string): string {
  if (!HAS_UPPER_ASCII.test(s)) return s;
  return NON_ASCII.test(s) ? s.replace(UPPER_ASCII, (m) => m.toLowerCase()) : s.toLowerCase();
}

// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\x00-\x7f]/;

/** lc on a character string: full Unicode lowercasing per code point (Perl has no final-sigma rule). */
export function lcChars(s: string): string {
  if (!NON_ASCII.test(s)) return lcBytes(s);
  let out = '';
  for (const ch of s) out += ch === '\u03a3' ? '\u03c3' : ch.toLowerCase();
  return out;
}

/** Perl lc honouring the utf8 flag. */
export function lc(p: PerlStr): string {
  return p.chars ? lcChars(p.s) : lcBytes(p.s);
}
