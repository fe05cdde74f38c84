// Mirrors Encode::utf8::decode (Encode.xs process_utf8) for "utf-8-strict" (Encode's UTF-8) and the lax
// "utf8" encoding, in FB_CROAK or substitution (LEAVE_SRC only) mode.
//
// strict rejects malformed sequences, overlongs, surrogates, code points above U+10FFFF and the 66
// noncharacters. At the first bad character one U+FFFD replaces as many bytes as perl 5.36's
// utf8n_to_uvchr(UTF8_ALLOW_ANY) reports consumed. That function first runs the strict DFA of
// Perl_utf8n_to_uvchr_msgs (inline.h) without checking the reject state after the start byte, so a
// start byte the DFA rejects at once (C0, C1, ED, F5-FF) followed by something that completes a DFA
// path swallows it too (C0 E2 80 80 is ONE U+FFFD); otherwise the helper reports the start byte plus
// the continuation bytes present (a lone continuation byte: 1).
import { StrBuilder } from './builder.js';
import { STRICT_UTF8_DFA as DFA } from '../../data/charset-utf8dfa.js';

const fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
// Noncharacters U+FDD0..U+FDEF and U+xFFFE/U+xFFFF of every plane.
const NONCHAR = /[\uFDD0-\uFDEF\uFFFE\uFFFF]|[\uD83F\uD87F\uD8BF\uD8FF\uD93F\uD97F\uD9BF\uD9FF\uDA3F\uDA7F\uDABF\uDAFF\uDB3F\uDB7F\uDBBF\uDBFF][\uDFFE\uDFFF]/;

/**
 * False when the UTF-8 octets cannot encode a noncharacter: U+FDD0..U+FDEF are EF B7 xx, and every
 * U+xFFFE / U+xFFFF ends in BF BE / BF BF. A substring search is much cheaper than NONCHAR on the text.
 */
function mayHoldNonchar(octets: string): boolean {
  return octets.includes('\xEF\xB7') || octets.includes('\xBF\xBE') || octets.includes('\xBF\xBF');
}

/** Length perl's UTF8SKIP gives a start byte (64-bit perl: 0xFE starts 7 bytes, 0xFF 13). */
function skipOf(b: number): number {
  if (b < 0xe0) return 2;
  if (b < 0xf0) return 3;
  if (b < 0xf8) return 4;
  if (b < 0xfc) return 5;
  if (b < 0xfe) return 6;
  return b === 0xfe ? 7 : 13;
}

function minLen(cp: number): number {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : cp < 0x200000 ? 4 : cp < 0x4000000 ? 5 : cp < 0x80000000 ? 6 : 7;
}

/** Bytes perl's utf8n_to_uvchr(s, e - s, &retlen, UTF8_ALLOW_ANY) consumes at a bad character. */
function perlRetlen(buf: Uint8Array, i: number, n: number): number {
  let type = DFA[buf[i]!]!;
  if (type === 0) return 1;
  let state = DFA[256 + type]!; // no reject check here: perl's quirk
  for (let s = i + 1; s < n; s++) {
    type = DFA[buf[s]!]!;
    state = DFA[256 + state + type]!;
    if (state === 0) return s - i + 1;
    if (state === 1) break;
  }
  // _utf8n_to_uvchr_msgs_helper: start byte plus the continuation bytes present
  const b = buf[i]!;
  if ((b & 0xc0) === 0x80) return 1;
  const skip = skipOf(b);
  let k = 1;
  while (k < skip && i + k < n && (buf[i + k]! & 0xc0) === 0x80) k++;
  return k;
}

function isNonchar(cp: number): boolean {
  return (cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) === 0xfffe;
}

/**
 * Decodes UTF-8 octets (binary string). Returns undefined where Encode croaks (mode 'croak').
 * `strict`: utf-8-strict, else Encode's lax utf8. Lax utf8 accepts surrogates (kept as lone UTF-16
 * units) and noncharacters; code points above U+10FFFF, which a JS string cannot hold, become U+FFFD.
 */
export function decodeUtf8(data: string, strict: boolean, mode: 'croak' | 'subst'): string | undefined {
  const buf = Buffer.from(data, 'latin1');
  try {
    const s = fatal.decode(buf);
    if (!strict || !mayHoldNonchar(data) || !NONCHAR.test(s)) return s;
  } catch {
    // malformed somewhere: slow path below
  }
  const n = buf.length;
  const out = new StrBuilder(n + 16);
  let i = 0;
  while (i < n) {
    const b = buf[i]!;
    if (b < 0x80) {
      out.push(b);
      i++;
      continue;
    }
    let ulen = 1;
    let ok = false;
    let cp = 0;
    if (b >= 0xc0) {
      const skip = skipOf(b);
      let k = 1;
      while (k < skip && i + k < n && (buf[i + k]! & 0xc0) === 0x80) k++;
      ulen = k;
      if (k === skip) {
        // value; sequences of 7+ bytes may overflow 32 bits, use floating point
        cp = skip >= 7 ? 0 : b & (0x7f >> skip);
        let big = cp;
        for (let j = 1; j < skip; j++) big = big * 64 + (buf[i + j]! & 0x3f);
        cp = big;
        const overlong = skip > (cp > 0x7fffffff ? 13 : minLen(cp)) || (skip === 13 && cp < 2 ** 36);
        if (!overlong) {
          if (strict) ok = cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) && !isNonchar(cp);
          else ok = true;
        }
      }
    }
    if (ok) {
      if (cp > 0x10ffff) out.push(0xfffd);
      else if (cp >= 0xd800 && cp <= 0xdfff) out.str(String.fromCharCode(cp));
      else out.push(cp);
      i += ulen;
    } else {
      if (mode === 'croak') return undefined;
      out.push(0xfffd);
      i += perlRetlen(buf, i, n);
    }
  }
  return out.done();
}
