// Perl's string model (perlunicode "The Unicode Bug"): the representation every SpamAssassin-compatible
// module in this project uses. See ../shared/reference/sa-bayes-spec.md section 0.3.
//
// A Perl string is either a *byte string* (utf8 flag off, every element 0..255) or a *character string*
// (utf8 flag on). SpamAssassin's regexes behave differently on the two (\w, \s, lc are ASCII-only on
// bytes and Unicode on characters), and the difference is visible in the Bayes tokens.
//
// We keep both kinds in ordinary JS strings:
//  - a byte string is a "binary string": one UTF-16 code unit per byte, each unit <= 0xFF
//    (`Buffer#toString('latin1')` makes one, `Buffer.from(s, 'latin1')` turns it back);
//  - a character string holds the code points themselves.
// Upgrading a byte string to a character string in Perl reads its bytes as Latin-1, which is exactly
// the same JS string, so only the flag changes. `PerlStr` carries the flag where it matters.

/** A Perl scalar string with its utf8 flag. `s` is a binary string when `chars` is false. */
export interface PerlStr {
  s: string;
  chars: boolean;
}

export function bytes(s: string): PerlStr {
  return { s, chars: false };
}

export function chars(s: string): PerlStr {
  return { s, chars: true };
}

/** Buffer -> binary string (one char per byte). */
export function bin(buf: Uint8Array): string {
  return Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('latin1');
}

/** binary string -> Buffer. */
export function binToBuffer(s: string): Buffer {
  return Buffer.from(s, 'latin1');
}

/** utf8::encode: a character string's code points as UTF-8 octets (binary string). */
export function utf8Encode(s: string): string {
  // Fast path: pure ASCII is its own encoding.
  // eslint-disable-next-line no-control-regex
  if (!/[^\x00-\x7f]/.test(s)) return s;
  return Buffer.from(s, 'utf8').toString('latin1');
}

/** The octets Perl would hand to a byte-oriented consumer (Digest::SHA downgrades to Latin-1). */
export function toOctets(p: PerlStr): string {
  return p.s;
}

/**
 * Perl `.` concatenation: the result is a character string if either side is one; the byte side is
 * upgraded (read as Latin-1), which leaves the JS string unchanged.
 */
export function concat(a: PerlStr, b: PerlStr): PerlStr {
  return { s: a.s + b.s, chars: a.chars || b.chars };
}

/** Make a string's octets final the way Message.pm does before tokenizing: encode if flagged. */
export function encodeIfChars(p: PerlStr): string {
  return p.chars ? utf8Encode(p.s) : p.s;
}

/** True if every unit of a binary string is ASCII. */
export function isAscii(s: string): boolean {
  // eslint-disable-next-line no-control-regex
  return !/[^\x00-\x7f]/.test(s);
}
