// Mirrors Encode::Unicode::decode (Unicode.xs) for UTF-16, UTF-16BE/LE, UCS-2BE/LE, UTF-32, UTF-32BE/LE:
// optional BOM (UTF-16/UTF-32 without BOM read big-endian), surrogate pairs (UTF-16 only), U+FFFD or croak
// for lone/malformed surrogates, noncharacters and (UTF-32) values above U+10FFFF; a trailing partial
// unit croaks under FB_CROAK and is silently dropped otherwise.
import { StrBuilder } from './builder.js';

export interface UnicodeForm {
  size: 2 | 4;
  /** 'BE' | 'LE' | '' (BOM decides, big-endian without one) */
  endian: 'BE' | 'LE' | '';
  ucs2: boolean;
}

export const UNICODE_FORMS: Record<string, UnicodeForm> = {
  'UTF-16': { size: 2, endian: '', ucs2: false },
  'UTF-16BE': { size: 2, endian: 'BE', ucs2: false },
  'UTF-16LE': { size: 2, endian: 'LE', ucs2: false },
  'UCS-2BE': { size: 2, endian: 'BE', ucs2: true },
  'UCS-2LE': { size: 2, endian: 'LE', ucs2: true },
  'UTF-32': { size: 4, endian: '', ucs2: false },
  'UTF-32BE': { size: 4, endian: 'BE', ucs2: false },
  'UTF-32LE': { size: 4, endian: 'LE', ucs2: false },
};

function unpack(d: string, i: number, size: number, le: boolean): number {
  if (size === 2) {
    const a = d.charCodeAt(i), b = d.charCodeAt(i + 1);
    return le ? a | (b << 8) : (a << 8) | b;
  }
  const a = d.charCodeAt(i), b = d.charCodeAt(i + 1), c = d.charCodeAt(i + 2), e = d.charCodeAt(i + 3);
  return le ? (a + b * 0x100 + c * 0x10000 + e * 0x1000000) : (a * 0x1000000 + b * 0x10000 + c * 0x100 + e);
}

/** Returns undefined where Encode croaks (croak = FB_CROAK); data is a binary string. */
export function decodeUnicode(f: UnicodeForm, data: string, croak: boolean): string | undefined {
  const { size, ucs2 } = f;
  const n = data.length;
  let le = f.endian === 'LE';
  let i = 0;
  if (f.endian === '' && size <= n) {
    const bom = unpack(data, 0, size, false);
    if (bom === 0xfeff) i = size;
    else if (size === 2 && bom === 0xfffe) { le = true; i = size; }
    else if (size === 4 && bom === 0xfffe0000) { le = true; i = size; }
  }
  const out = new StrBuilder(data.length + 16);
  while (i + size <= n) {
    let ord = unpack(data, i, size, le);
    i += size;
    if (ord >= 0xd800 && ord <= 0xdfff) {
      if (ucs2 || size === 4) {
        if (croak) return undefined;
        ord = 0xfffd;
      } else if (ord >= 0xdc00) {
        if (croak) return undefined;
        ord = 0xfffd;
      } else if (i + size > n) {
        if (croak) return undefined;
        ord = 0xfffd;
      } else {
        const lo = unpack(data, i, size, le);
        i += size;
        if (lo < 0xdc00 || lo > 0xdfff) {
          if (croak) return undefined;
          i -= size;
          ord = 0xfffd;
        } else ord = 0x10000 + ((ord - 0xd800) << 10) + (lo - 0xdc00);
      }
    }
    if ((ord & 0xfffe) === 0xfffe || (ord >= 0xfdd0 && ord <= 0xfdef)) {
      if (croak) return undefined;
      ord = 0xfffd;
    }
    if (ord > 0x10ffff) {
      if (croak) return undefined;
      ord = 0xfffd;
    }
    out.push(ord);
  }
  if (i < n && croak) return undefined;
  return out.done();
}
