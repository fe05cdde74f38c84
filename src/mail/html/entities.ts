// Mirrors HTML::Parser 3.81's C entity decoder (util.c decode_entities), as used for dtext (with
// expand_prefix) and attribute values (without), on Perl's internal string buffer.
//
// Strings here are "internal buffers": a binary string holding either Latin-1 bytes (utf8 flag off)
// or the UTF-8 encoding of a character string (utf8 flag on), exactly as the C code sees them.

import { HTML_ENTITY_ROWS } from '../../data/html-entities.js';

/** A Perl SV buffer: `b` is a binary string; UTF-8 octets when `u` is set. */
export interface SvBuf {
  b: string;
  u: boolean;
}

const ENTITIES: ReadonlyMap<string, { cp: number; utf8: boolean }> = new Map(
  HTML_ENTITY_ROWS.map(([k, cp, utf8]) => [k, { cp, utf8 }]),
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

/** UTF-8 octets (binary string) of one code point, as Perl's uvchr_to_utf8 (lax, any value). */
export function cpToUtf8(cp: number): string {
  if (cp < 0x80) return String.fromCharCode(cp);
  if (cp < 0x800) return String.fromCharCode(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
  if (cp < 0x10000) {
    return String.fromCharCode(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  }
  return String.fromCharCode(
    0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f),
  );
}

/** Latin-1 bytes -> UTF-8 octets (Perl's bytes_to_utf8 / sv_utf8_upgrade). */
export function latin1ToUtf8(b: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/[\x80-\xff]/.test(b)) return b;
  return Buffer.from(b, 'utf8').toString('latin1');
}

/** Decode HTML entities in an SV buffer the way HTML::Parser's C decoder does. */
export function decodeEntities(sv: SvBuf, expandPrefix: boolean): SvBuf {
  const src = sv.b;
  if (src.indexOf('&') < 0) return sv;
  let utf8 = sv.u;
  const end = src.length;
  let out = '';
  let s = 0;
  let copyFrom = 0; // raw text not yet copied to `out`
  let highSurrogate = 0;
  const at = (i: number): number => (i < end ? src.charCodeAt(i) : 0);
  const flushRaw = (to: number): void => {
    if (to > copyFrom) out += utf8 && !sv.u ? latin1ToUtf8(src.slice(copyFrom, to)) : src.slice(copyFrom, to);
    copyFrom = to;
  };
  while (s < end) {
    if (src.charCodeAt(s) !== AMP) {
      s++;
      continue;
    }
    const ampAt = s;
    s++;
    let repl: string | null = null; // replacement code point(s) as a byte string in its own encoding
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
        let e = ENTITIES.get(src.slice(nameStart, s));
        if (!e && at(s) === 0x3b) e = ENTITIES.get(src.slice(nameStart, s) + ';');
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
    if (!utf8 && replUtf8) {
      out = latin1ToUtf8(out);
      utf8 = true;
    }
    if (lowSurrogateJoin) out = out.slice(0, out.length - 3); // back up past the U+FFFD
    repl = utf8 ? cpToUtf8(replCp) : String.fromCharCode(replCp);
    out += repl;
    copyFrom = s;
  }
  flushRaw(end);
  return { b: out, u: utf8 };
}
