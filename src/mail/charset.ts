// Mirrors Mail::SpamAssassin::Message::Node::_normalize and detect_utf16 (Message/Node.pm), with the
// decoders of Perl's Encode 3.17 (see src/mail/charset/*). Spec: sa-bayes-spec.md sections 2.3, 2.7-2.9.
import { bytes, chars, type PerlStr, utf8Encode } from './perlstr.js';
import { findEncoding } from './charset/alias.js';
import { decodeAs, decodePerl, isSupported } from './charset/decode.js';
import { decodeUtf8 } from './charset/utf8.js';
import { decodeUnicode, UNICODE_FORMS, type UnicodeForm } from './charset/utf16.js';

export { findEncoding } from './charset/alias.js';
export { decodeAs, decodePerl, isSupported, type Check } from './charset/decode.js';

const DECLARED_ASCII = /^(?:(?:US-)?ASCII|ANSI[_ ]?X3\.4-(?:1986|1968)|ISO646-US)$/i;
const DECLARED_ASCII_COMPATIBLE =
  /^(?:ISO[ -]?8859(?:-\d{1,2})?|Windows-\d{4}|UTF-?8|(KOI8|EUC)-[A-Z]{1,2}|Big5|GBK|GB[ -]?18030(?:-20\d\d)?)$/i;
const US_ASCII = /^(?:US-)?ASCII$/i;
const UTF16 = /^UTF[ -]?16/i;
const W1252 = /^(?:ISO-?8859-1|Windows-1252|CP1252)$/i;
const UTF8 = /^UTF-?8$/i;
const GB18030 = /^GB[ -]?18030(?:-20\d\d)?$/i;
// eslint-disable-next-line no-control-regex
const HAS_8BIT = /[^\x00-\x7f]/;
// ASCII, NBSP, (c), SHY, some cp1252 punctuation, Latin-1 letters (bug 7656)
// eslint-disable-next-line no-control-regex
const W1252_GUESS = /^[\x00-\x7f\xa0\xa9\xad\x82\x84\x85\x91-\x97\x99\xc0-\xd6\xd8-\xde\xe0-\xf6\xf8-\xfe]*$/;

/** detect_utf16: UTF-16LE/BE from space characters and nibble sums; undefined with a BOM or a tie. */
export function detectUtf16(data: string): UnicodeForm | undefined {
  if (/^(?:\xff\xfe|\xfe\xff)/.test(data)) return undefined;
  let le = 0, be = 0, sumE = 0, sumO = 0;
  const n = data.length;
  for (let i = 0; i < n; i += 2) {
    const e = data.charCodeAt(i);
    const o = i + 1 < n ? data.charCodeAt(i + 1) : 0; // hex(undef) is 0
    sumE += (e >> 4) + (e & 15);
    sumO += (o >> 4) + (o & 15);
    if (e === 0x20 && o === 0) le++;
    if (e === 0 && o === 0x20) be++;
  }
  if (sumE > sumO * 4) le++;
  if (sumO * 4 > sumE) be++;
  if (le > be) return UNICODE_FORMS['UTF-16LE'];
  if (be > le) return UNICODE_FORMS['UTF-16BE'];
  return undefined;
}

/** The decoder _normalize picks for a declared charset (not for UTF-16 labels), as a canonical name. */
function declaredDecoder(label: string): { chset: string; name: string | undefined } {
  if (W1252.test(label)) return { chset: 'Windows-1252', name: 'cp1252' };
  if (UTF8.test(label)) return { chset: 'UTF-8', name: 'utf-8-strict' };
  let name = findEncoding(label);
  if (name === undefined && GB18030.test(label)) name = findEncoding('GBK');
  // Encoders we do not implement behave as if Encode had none (known gap, see decode.ts).
  if (name !== undefined && !isSupported(name)) name = undefined;
  return { chset: label, name };
}

/**
 * Mirrors Mail::SpamAssassin::Message::Node::_normalize.
 * `data` is a binary string (bytes). With returnDecoded=false the result is UTF-8 octets (or the input
 * unchanged); with returnDecoded=true a character string when any decoding happened, else the input bytes.
 * `insist` (header encoded-words): no UTF-8 first, and the declared decoder substitutes instead of failing.
 */
export function normalize(data: string, charset: string | undefined, returnDecoded: boolean, insist?: boolean): PerlStr {
  const label = charset ?? ''; // Perl: undef in a regex match is ''
  const has8 = HAS_8BIT.test(data);
  if (!has8 && (DECLARED_ASCII.test(label) || DECLARED_ASCII_COMPATIBLE.test(label))) return bytes(data);

  let rv: string | undefined;
  let rvChars = true; // Perl's utf8 flag of $rv (false only for some UTF-7/HZ results)
  let triedUtf8 = false;
  if (has8 && !insist) {
    rv = decodeUtf8(data, true, 'croak');
    if (rv !== undefined) return returnDecoded ? chars(rv) : bytes(data);
    triedUtf8 = true;
  }

  if (US_ASCII.test(label) && !insist) {
    // 8-bit data declared US-ASCII: no point trying strict ASCII
  } else if (UTF16.test(label)) {
    const form = detectUtf16(data);
    if (form) {
      rv = decodeUnicode(form, data, true);
      if (rv !== undefined) return returnDecoded ? chars(rv) : bytes(data);
    }
  } else if (charset !== undefined) {
    const { chset, name } = declaredDecoder(label);
    if (name !== undefined && !(triedUtf8 && chset === 'UTF-8')) {
      const r = decodePerl(name, data, insist ? 'subst' : 'croak');
      if (r) {
        rv = r.s;
        rvChars = r.chars;
      }
    }
  }

  if (rv === undefined && !has8) return bytes(data);
  if (rv === undefined && W1252_GUESS.test(data)) rv = decodeAs('cp1252', data, 'croak');
  // (Encode::Detect::Detector step: module not installed, skipped)
  rv ??= decodeAs('cp1252', data, 'lax')!;
  // utf8::encode of an unflagged string encodes its bytes as Latin-1 characters: the same octets
  return returnDecoded ? { s: rv, chars: rvChars } : bytes(utf8Encode(rv));
}
