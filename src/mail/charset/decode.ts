// Encode's decoders by canonical name: `$enc->decode($octets, CHECK)` for the encodings SpamAssassin
// can reach through Encode::find_encoding. CHECK is 'croak' (FB_CROAK|LEAVE_SRC), 'subst' (LEAVE_SRC
// only: bad input becomes U+FFFD, or "\xHH" in the ISO-2022 family) or 'lax' (no CHECK argument).
import type { PerlStr } from '../perlstr.js';
import { decodeTable, getTable, hasTable } from './table.js';
import { decodeUtf8 } from './utf8.js';
import { decodeUnicode, UNICODE_FORMS } from './utf16.js';
import { decodeUtf7 } from './utf7.js';
import { decodeJis7 } from './jis7.js';
import { decodeHz, decodeIso2022Kr } from './iso2022.js';

export type Check = 'croak' | 'subst' | 'lax';

const JIS7 = new Set(['iso-2022-jp', 'iso-2022-jp-1', '7bit-jis']);

/**
 * True if we implement Encode's decoder `name`. Not implemented (known gap): gsm0338 and the
 * MIME-Header/MIME-B/MIME-Q/MIME-Header-ISO_2022_JP pseudo-encodings; normalize() treats them as
 * "no decoder".
 */
export function isSupported(name: string): boolean {
  return name === 'utf-8-strict' || name === 'utf8' || name === 'UTF-7' || name === 'hz' || name === 'iso-2022-kr' ||
    JIS7.has(name) || Object.hasOwn(UNICODE_FORMS, name) || hasTable(name);
}

/**
 * Decodes a binary string like Encode; undefined where Encode croaks (only with 'croak'). `chars` is
 * Perl's utf8 flag of the result: true except for UTF-7 and HZ results that only hold pass-through bytes.
 */
export function decodePerl(name: string, data: string, check: Check): PerlStr | undefined {
  const croak = check === 'croak';
  if (name === 'UTF-7') return decodeUtf7(data);
  if (name === 'hz') return decodeHz(data, croak);
  let s: string | undefined;
  if (name === 'utf-8-strict' || name === 'utf8') s = decodeUtf8(data, name === 'utf-8-strict', croak ? 'croak' : 'subst');
  else if (Object.hasOwn(UNICODE_FORMS, name)) s = decodeUnicode(UNICODE_FORMS[name]!, data, croak);
  else if (JIS7.has(name)) s = decodeJis7(data);
  else if (name === 'iso-2022-kr') s = decodeIso2022Kr(data);
  else if (hasTable(name)) s = decodeTable(getTable(name), data, croak ? 'croak' : 'subst');
  else throw new Error(`no decoder for ${name}`);
  return s === undefined ? undefined : { s, chars: true };
}

/** decodePerl without the flag. */
export function decodeAs(name: string, data: string, check: Check): string | undefined {
  return decodePerl(name, data, check)?.s;
}
