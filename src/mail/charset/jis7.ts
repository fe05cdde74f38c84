// Mirrors Encode::JP::JIS7::decode (Encode/JP/JIS7.pm) for iso-2022-jp, iso-2022-jp-1 and 7bit-jis, as
// called by SpamAssassin (always with a true check argument): everything from the first 8-bit byte on is
// discarded, the escape sequences are turned into EUC-JP (jis_euc), everything from the first remaining
// ESC on is discarded, and the result is decoded as euc-jp with FB_PERLQQ (bad bytes become "\xHH").
// It never fails.
import { decodeTable, getTable } from './table.js';

// (\e$(D)|\e$@|\e$B|\e&@\e$B|(\e\([BJ])|(\e\(I)  followed by a run of non-ESC bytes
const SCAN = /(?:(\x1b\$\(D)|\x1b\$@|\x1b\$B|\x1b&@\x1b\$B|(\x1b\([BJ])|(\x1b\(I))([^\x1b]*)/g;

function toGR(s: string): string {
  return s.replace(/[\x21-\x7e]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x80));
}

export function decodeJis7(data: string): string {
  const cut = data.search(/[^\x00-\x7f]/);
  let s = cut >= 0 ? data.slice(0, cut) : data;
  s = s.replace(SCAN, (_m, e0212: string | undefined, asc: string | undefined, kana: string | undefined, chunk: string) => {
    if (asc !== undefined) return chunk;
    let c = toGR(chunk);
    if (kana !== undefined) c = c.replace(/[\xa1-\xdf]/g, '\x8e$&');
    else if (e0212 !== undefined) c = c.replace(/[\xa1-\xfe][\xa1-\xfe]/g, '\x8f$&');
    return c;
  });
  const esc = s.indexOf('\x1b');
  if (esc >= 0) s = s.slice(0, esc);
  return decodeTable(getTable('euc-jp'), s, 'perlqq')!;
}
