// Mirrors the pure-Perl decoders Encode::KR::2022_KR::decode (Encode/KR/2022_KR.pm) and
// Encode::CN::HZ::decode (Encode/CN/HZ.pm), as SpamAssassin calls them (check flags always true).
import { decodeTable, getTable } from './table.js';

/**
 * iso-2022-kr: designators "\e$)C" removed, SO...SI runs moved to GR, everything from the first
 * remaining ESC on dropped, then euc-kr with FB_PERLQQ ("\xHH" for bad bytes). Never fails.
 */
export function decodeIso2022Kr(data: string): string {
  let s = data.replace(/\x1b\$\)C/g, '');
  s = s.replace(/\x0e([^\x0f]*)\x0f/g, (_m, inner: string) =>
    inner.replace(/[\x21-\x7e]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x80)));
  const esc = s.indexOf('\x1b');
  if (esc >= 0) s = s.slice(0, esc);
  return decodeTable(getTable('euc-kr'), s, 'perlqq')!;
}

/**
 * HZ (RFC 1843): ASCII runs pass through as bytes, "~~" is "~", "~\n" vanishes, "~{" ... "~}" encloses
 * GB 2312 pairs decoded with gb2312-raw under the caller's check; decoding stops silently at anything
 * else (8-bit bytes, a bad escape). Returns undefined if gb2312-raw croaks; `chars` is false when no GB
 * run was decoded (Perl's result then stays a byte string).
 */
export function decodeHz(data: string, croak: boolean): { s: string; chars: boolean } | undefined {
  const gb = getTable('gb2312-raw');
  let out = '';
  let chars = false;
  let ascii = true;
  let i = 0;
  const ASCII_RUN = /[\x00-\x7d\x7f]+/y;
  const GB_RUN = /(?:[\x21-\x77][\x21-\x7e])+/y;
  while (i < data.length) {
    if (ascii) {
      ASCII_RUN.lastIndex = i;
      const m = ASCII_RUN.exec(data);
      if (m) { out += m[0]; i += m[0].length; continue; }
      const two = data.slice(i, i + 2);
      if (two === '~~') out += '~';
      else if (two === '~\n') { /* line continuation */ }
      else if (two === '~{') ascii = false;
      else break;
      i += 2;
    } else {
      GB_RUN.lastIndex = i;
      const m = GB_RUN.exec(data);
      if (m) {
        const d = decodeTable(gb, m[0], croak ? 'croak' : 'subst');
        if (d === undefined) return undefined;
        out += d;
        chars = true;
        i += m[0].length;
        continue;
      }
      if (data.slice(i, i + 2) === '~}') { ascii = true; i += 2; } else break;
    }
  }
  return { s: out, chars };
}
