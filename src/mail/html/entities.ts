// Mirrors HTML::Parser 3.81's C entity decoder (util.c decode_entities), as used for dtext (with
// expand_prefix) and attribute values (without).
//
// Strings here are Perl string values with their utf8 flag (the C code works on the internal buffer,
// UTF-8 octets when the flag is on; every decision it takes is on ASCII, so working on the code points
// gives the same result without encoding and decoding, see the low-surrogate join below).

import { HTML_ENTITY_ROWS } from '../../data/html-entities.js';

/** A Perl SV: `b` holds its code points (a binary string when `u`, the utf8 flag, is off). */
export interface SvBuf {
  b: string;
  u: boolean;
}

const ENTITIES: ReadonlyMap<string, { cp: number; utf8: boolean }> = new Map(
  HTML_ENTITY_ROWS.map(([k, cp, utf8]) => [k, { cp, utf8 }]),
);
/** The keys ending in ';', looked up by the name before it (no string concatenation). */
const ENTITIES_SEMI: ReadonlyMap<string, { cp: number; utf8: boolean }> = new Map(
  HTML_ENTITY_ROWS.filter(([k]) => k.endsWith(';')).map(([k, cp, utf8]) => [k.slice(0, -1), { cp, utf8 }]),
);
/** Longest key without ';' (prefix expansion never needs to try longer prefixes). */
const MAX_BARE_NAME = Math.max(...HTML_ENTITY_ROWS.filter(([k]) => !k.endsWith(';')).map(([k]) => k.length));
/** Numeric references above this are left undecoded (the C decoder's overflow guard). */
const MAX_CODE_POINT = 0x10ffff;

const AMP = 0x26;

function isAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
}

function hexVal(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/**
 * The low-surrogate join of the C decoder backs up three octets of its UTF-8 buffer (the U+FFFD it
 * wrote for the high surrogate). Usually that is the U+FFFD itself; when raw text came in between,
 * cut three octets of the encoding and decode the rest as the final UTF-8 decoding would (a cut
 * character becomes one U+FFFD).
 */
function backUpThreeOctets(out: string): string {
  if (out.endsWith('\uFFFD')) return out.slice(0, -1);
  const octets = Buffer.from(out, 'utf8');
  return octets.subarray(0, Math.max(0, octets.length - 3)).toString('utf8');
}

/** Decode HTML entities in an SV buffer the way HTML::Parser's C decoder does. */
export function decodeEntities(sv: SvBuf, expandPrefix: boolean): SvBuf {
  const src = sv.b;
  let s = src.indexOf('&');
  if (s < 0) return sv;
  let utf8 = sv.u;
  const end = src.length;
  let out = '';
  let copyFrom = 0; // raw text not yet copied to `out`
  let highSurrogate = 0;
  const at = (i: number): number => (i < end ? src.charCodeAt(i) : 0);
  const flushRaw = (to: number): void => {
    // upgrading a byte string to UTF-8 keeps its code points: raw text is copied as is
    if (to > copyFrom) out += src.slice(copyFrom, to);
    copyFrom = to;
  };
  while (s < end) {
    s = src.indexOf('&', s);
    if (s < 0) break;
    const ampAt = s;
    s++;
    let replUtf8 = false;
    let replCp = -1;
    let lowSurrogateJoin = false;
    if (at(s) === 0x23 /* # */) {
      let num = 0;
      let ok = false;
      s++;
      if (at(s) === 0x78 || at(s) === 0x58) {
        s++;
        for (;;) {
          const d = hexVal(at(s));
          if (d < 0) break;
          num = num * 16 + d;
          if (num > MAX_CODE_POINT) { ok = false; break; }
          s++;
          ok = true;
        }
      } else {
        while (at(s) >= 0x30 && at(s) <= 0x39) {
          num = num * 10 + (at(s) - 0x30);
          if (num > MAX_CODE_POINT) { ok = false; break; }
          s++;
          ok = true;
        }
      }
      if (ok && num !== 0 && num !== 0xfffe && num !== 0xffff) {
        if (!utf8 && num <= 255) {
          replCp = num;
        } else {
          if ((num & 0xfffffc00) === 0xdc00) {
            if (highSurrogate !== 0) {
              num = ((highSurrogate - 0xd800) << 10) + (num - 0xdc00) + 0x10000;
              highSurrogate = 0;
              lowSurrogateJoin = true;
            } else {
              num = 0xfffd;
            }
          } else if ((num & 0xfffffc00) === 0xd800) {
            highSurrogate = num;
            num = 0xfffd;
          } else {
            highSurrogate = 0;
            if ((num >= 0xfdd0 && num <= 0xfdef) || (num & 0xfffe) === 0xfffe) num = 0xfffd;
          }
          replCp = num;
          replUtf8 = true;
        }
      }
    } else {
      const nameStart = s;
      while (isAlnum(at(s))) s++;
      if (s !== nameStart) {
        const name = src.slice(nameStart, s);
        let e = ENTITIES.get(name);
        if (!e && at(s) === 0x3b) e = ENTITIES_SEMI.get(name);
        if (!e && expandPrefix) {
          for (let ss = Math.min(s - 1, nameStart + MAX_BARE_NAME); ss > nameStart; ss--) {
            const p = ENTITIES.get(src.slice(nameStart, ss));
            if (p) { e = p; s = ss; break; }
          }
        }
        if (e) { replCp = e.cp; replUtf8 = e.utf8; }
      }
      highSurrogate = 0;
    }
    if (replCp < 0) continue; // not an entity: its text stays (copied lazily)
    if (at(s) === 0x3b) s++;
    if (at(s) !== AMP) highSurrogate = 0;
    flushRaw(ampAt);
    if (replUtf8) utf8 = true; // sv_utf8_upgrade: the code points so far stay
    if (lowSurrogateJoin) out = backUpThreeOctets(out);
    out += String.fromCodePoint(replCp);
    copyFrom = s;
  }
  flushRaw(end);
  return { b: out, u: utf8 };
}
