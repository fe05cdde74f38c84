// Encode's decoders by canonical name: `$enc->decode($octets, CHECK)` for the encodings SpamAssassin
// can reach through Encode::find_encoding. CHECK is 'croak' (FB_CROAK|LEAVE_SRC), 'subst' (LEAVE_SRC
// only: bad input becomes U+FFFD, or "\xHH" in the ISO-2022-JP family) or 'lax' (no CHECK argument).
import { decodeTable, getTable, hasTable } from './table.js';
import { decodeUtf8 } from './utf8.js';
import { decodeUnicode, UNICODE_FORMS } from './utf16.js';
import { decodeUtf7 } from './utf7.js';
import { decodeJis7 } from './jis7.js';

export type Check = 'croak' | 'subst' | 'lax';

const JIS7 = new Set(['iso-2022-jp', 'iso-2022-jp-1', '7bit-jis']);

/**
 * True if we implement Encode's decoder `name`. Not implemented (known gap): hz, iso-2022-kr, gsm0338
 * and the MIME-Header/MIME-B/MIME-Q pseudo-encodings; normalize() treats them as "no decoder".
 */
export function isSupported(name: string): boolean {
  return name === 'utf-8-strict' || name === 'utf8' || name === 'UTF-7' || JIS7.has(name) ||
    Object.hasOwn(UNICODE_FORMS, name) || hasTable(name);
}

/** Decodes a binary string; undefined where Encode croaks (only with 'croak'). */
export function decodeAs(name: string, data: string, check: Check): string | undefined {
  const croak = check === 'croak';
  if (name === 'utf-8-strict' || name === 'utf8') return decodeUtf8(data, name === 'utf-8-strict', croak ? 'croak' : 'subst');
  const form = UNICODE_FORMS[name];
  if (form) return decodeUnicode(form, data, croak);
  if (name === 'UTF-7') return decodeUtf7(data);
  if (JIS7.has(name)) return decodeJis7(data);
  if (hasTable(name)) return decodeTable(getTable(name), data, croak ? 'croak' : 'subst');
  throw new Error(`no decoder for ${name}`);
}
