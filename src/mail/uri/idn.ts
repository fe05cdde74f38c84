// Mirrors Mail::SpamAssassin::Util::idn_to_ascii (Util.pm) with Net::LibIDN2 1.01 / libidn2 2.3.3 and the
// flags SpamAssassin passes (IDN2_NFC_INPUT + IDN2_NONTRANSITIONAL).
//
// libidn2 is emulated: per-code-point behaviour measured on the installed libidn2 (src/data/uri-idn.ts:
// code points that always fail, code points mapped to ASCII) plus node:url's UTS #46 domainToASCII for the
// mapping and punycode of the remaining non-ASCII labels (it agrees with libidn2 on every single code point
// not in those tables, including bidi and CONTEXTJ rejections). Known gap: libidn2's CONTEXTO rules (e.g.
// U+00B7 between two 'l') are not modelled; such code points are treated as always failing.
import { domainToASCII, domainToUnicode } from 'node:url';
import type { PerlStr } from '../perlstr.js';
import { utf8Encode } from '../perlstr.js';
import { IDN_FAIL_RANGES, IDN_TO_ASCII } from '../../data/uri-idn.js';
import { lcBytes } from './perl-text.js';

/** libidn2 IDN2_TOO_BIG_LABEL: an A-label longer than 63 octets fails. */
const MAX_LABEL_LENGTH = 63;
/** libidn2 IDN2_TOO_BIG_DOMAIN: an output longer than 253 octets fails (measured). */
const MAX_DOMAIN_LENGTH = 253;

const TO_ASCII = new Map<number, string>(IDN_TO_ASCII);

function isFailing(cp: number): boolean {
  // binary search over flattened inclusive ranges
  let lo = 0;
  let hi = IDN_FAIL_RANGES.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const a = IDN_FAIL_RANGES[2 * mid]!;
    const b = IDN_FAIL_RANGES[2 * mid + 1]!;
    if (cp < a) hi = mid - 1;
    else if (cp > b) lo = mid + 1;
    else return true;
  }
  return false;
}

// Util.pm tr/a-zA-Z0-9_.:[]-//c == 0: the fast path (plain ASCII host or IP literal).
const FAST_PATH = /^[a-zA-Z0-9_.:[\]-]*$/;
// Util.pm is_valid_utf_8 (strict RFC 3629 byte sequences).
const VALID_UTF8 =
  /^(?:[\x00-\x7F]|[\xC2-\xDF][\x80-\xBF]|\xE0[\xA0-\xBF][\x80-\xBF]|[\xE1-\xEC][\x80-\xBF]{2}|\xED[\x80-\x9F][\x80-\xBF]|[\xEE-\xEF][\x80-\xBF]{2}|\xF0[\x90-\xBF][\x80-\xBF]{2}|[\xF1-\xF3][\x80-\xBF]{3}|\xF4[\x80-\x8F][\x80-\xBF]{2})*$/;
// Util.pm $ALT_FULLSTOP_UTF8_RE: U+2024 U+3002 U+FF0E U+FF61 U+FE52 as UTF-8 bytes.
const ALT_FULLSTOP = /\xE2\x80\xA4|\xE3\x80\x82|\xEF\xBC\x8E|\xEF\xBD\xA1|\xEF\xB9\x92/g;
// Util.pm: extended ISO-8859-1 letters accepted as a Latin-1 host.
const LATIN1_HOST = /^[a-zA-Z0-9\xC0-\xD6\xD8-\xDE\xE0-\xF6\xF8-\xFE_.-]*$/;
// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\x00-\x7F]/;
const LDH_UNDERSCORE = /^[a-z0-9_-]*$/;

/** The libidn2 hyphen rules (IDN2_HYPHEN_STARTEND, IDN2_2HYPHEN) on a (mapped) label. */
function hyphenOk(label: string): boolean {
  if (label.startsWith('-') || label.endsWith('-')) return false;
  return !(label.length >= 4 && label[2] === '-' && label[3] === '-');
}

function asciiLabel(label: string): string | null {
  const l = lcBytes(label);
  if (l.startsWith('xn--')) {
    // A-labels are decoded and validated (round trip)
    if (!LDH_UNDERSCORE.test(l) || domainToASCII(l) !== l) return null;
    const u = domainToUnicode(l);
    if (!unicodeLabelOk(u)) return null;
  } else if (l !== '' && !hyphenOk(l)) {
    return null;
  }
  if (l.length > MAX_LABEL_LENGTH) return null;
  return l;
}

function unicodeLabelOk(u: string): boolean {
  if (!hyphenOk(u)) return false;
  for (const ch of u) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0x80 && (isFailing(cp) || TO_ASCII.has(cp))) return false;
  }
  return true;
}

// Approximate Bidi_Class sets for RFC 5893 (libidn2 TEST_BIDI); JS has no Bidi_Class property.
const RTL_SCRIPTS =
  '\\p{Script=Hebrew}\\p{Script=Arabic}\\p{Script=Syriac}\\p{Script=Thaana}\\p{Script=Nko}\\p{Script=Samaritan}' +
  '\\p{Script=Mandaic}\\p{Script=Adlam}\\p{Script=Hanifi_Rohingya}\\p{Script=Mende_Kikakui}\\p{Script=Yezidi}';
const BIDI_R_AL = new RegExp(`^(?=[${RTL_SCRIPTS}])[\\p{L}\\p{Lm}]$`, 'u');
const BIDI_AN = /^[\u0600-\u0605\u0660-\u0669\u066B\u066C\u06DD\u0890\u0891\u08E2\u{10D30}-\u{10D39}\u{10E60}-\u{10E7E}]$/u;
const BIDI_EN = /^[0-9\u06F0-\u06F9]$/u;
const BIDI_NSM = /^[\p{Mn}\p{Me}]$/u;
const BIDI_L = /^[\p{L}\p{Nd}\p{Mc}]$/u;

type BidiClass = 'RAL' | 'AN' | 'EN' | 'NSM' | 'L' | 'ON';
function bidiClass(ch: string): BidiClass {
  if (BIDI_R_AL.test(ch)) return 'RAL';
  if (BIDI_AN.test(ch)) return 'AN';
  if (BIDI_EN.test(ch)) return 'EN';
  if (BIDI_NSM.test(ch)) return 'NSM';
  if (BIDI_L.test(ch)) return 'L';
  return 'ON';
}

/** RFC 5893 rules 1-4 on a label that contains right-to-left characters (R, AL or AN). */
function bidiOk(label: string): boolean {
  const cls = [...label].map(bidiClass);
  if (!cls.some((k) => k === 'RAL' || k === 'AN')) return true;
  if (cls[0] !== 'RAL') return false;
  if (cls.includes('L')) return false;
  if (cls.includes('EN') && cls.includes('AN')) return false;
  let i = cls.length - 1;
  while (i > 0 && cls[i] === 'NSM') i--;
  const last = cls[i];
  return last === 'RAL' || last === 'EN' || last === 'AN';
}

function unicodeLabel(label: string): string | null {
  // ASCII other than letters, digits, '_' and '-' inside a non-ASCII label fails the A-label round trip.
  // eslint-disable-next-line no-control-regex
  const ascii = label.replace(/[^\x00-\x7F]+/g, '').toLowerCase();
  if (!LDH_UNDERSCORE.test(ascii)) return null;
  const a = domainToASCII(label);
  if (a === '' || a.includes('.') || !a.startsWith('xn--')) return null;
  const mappedLabel = domainToUnicode(a);
  if (!hyphenOk(mappedLabel) || !bidiOk(mappedLabel)) return null;
  if (a.length > MAX_LABEL_LENGTH) return null;
  return a;
}

/**
 * idn2_to_ascii_8(u, IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL) of libidn2 2.3.3 on a Unicode string.
 * Returns null where libidn2 fails.
 */
export function libidn2ToAscii(input: string): string | null {
  let u = input;
  const nul = u.indexOf('\0');
  if (nul >= 0) u = u.slice(0, nul); // a C string ends at NUL
  u = u.normalize('NFC');
  let mapped = '';
  for (const ch of u) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) {
      mapped += ch;
      continue;
    }
    if (isFailing(cp)) return null;
    const m = TO_ASCII.get(cp);
    mapped += m ?? ch;
  }
  const labels = mapped.split('.');
  const out: string[] = [];
  for (const label of labels) {
    const r = NON_ASCII.test(label) ? unicodeLabel(label) : asciiLabel(label);
    if (r === null) return null;
    out.push(r);
  }
  const res = out.join('.');
  if (res.length > MAX_DOMAIN_LENGTH) return null;
  return res;
}

/**
 * Util.pm::idn_to_ascii: the host as ACE octets (a binary string), lowercased; returned unchanged (octets)
 * when conversion fails, ASCII-lowercased when it is neither valid UTF-8 nor Latin-1 letters.
 */
export function idnToAscii(host: PerlStr): string {
  const s0 = host.chars ? utf8Encode(host.s) : host.s;
  if (FAST_PATH.test(s0)) return lcBytes(s0);
  let s = s0;
  let unicode: string;
  if (VALID_UTF8.test(s)) {
    s = s.replace(ALT_FULLSTOP, '.');
    unicode = Buffer.from(s, 'latin1').toString('utf8');
  } else if (LATIN1_HOST.test(s)) {
    unicode = s; // Latin-1 code points
  } else {
    return lcBytes(s);
  }
  const r = libidn2ToAscii(unicode);
  return r === null ? s : r;
}
