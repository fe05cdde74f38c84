// Mirrors Encode::find_encoding (Encode.pm getEncoding) and Encode::Alias::find_alias with the alias
// list of Encode::Alias::init_aliases (Encode 3.17, non-EBCDIC): maps a declared charset label to the
// canonical name of the Encode encoding Perl would use, or undefined where find_encoding returns undef.
//
// Perl semantics kept: labels are byte strings, so \s, \d, \b, /i and lc are ASCII-only; getEncoding
// strips all whitespace first; aliases are tried newest first, a regex alias evaluates its replacement
// and the result is looked up recursively (with find_alias's recursion guard); last, a case-insensitive
// match against the canonical names. Encodings loaded later only add lower-case aliases of their own
// names, which the final case-insensitive match covers, so the result does not depend on history.
import { ENCODE_NAMES } from '../../data/charset-names.js';

const LATIN2ISO = [0, 1, 2, 3, 4, 9, 10, 13, 14, 15, 16];
const WINLATIN2CP: Record<string, number> = {
  latin1: 1252, latin2: 1250, cyrillic: 1251, greek: 1253, turkish: 1254,
  hebrew: 1255, arabic: 1256, baltic: 1257, vietnamese: 1258,
};

/** Perl lc on a byte string: ASCII letters only. */
function lcAscii(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

type Rule = [RegExp | string, (m: RegExpExecArray) => string | undefined];

// In the order find_alias tries them (define_alias unshifts: the last defined comes first).
const RULES: Rule[] = ([
  [/^(.*)$/, (m) => lcAscii(m[1]!)],
  [/^(unicode-1-1-)?UTF-?7$/i, () => 'UTF-7'],
  [/^UCS-?2-?LE$/i, () => 'UCS-2LE'],
  [/^UCS-?2-?(BE)?$/i, () => 'UCS-2BE'],
  [/^UCS-?4-?(BE|LE|)?$/i, (m) => ('UTF-32' + (m[1] ?? '')).toUpperCase()],
  [/^iso-10646-1$/i, () => 'UCS-2BE'],
  [/^UTF-?(16|32)-?BE$/i, (m) => `UTF-${m[1]}BE`],
  [/^UTF-?(16|32)-?LE$/i, (m) => `UTF-${m[1]}LE`],
  [/^UTF-?(16|32)$/i, (m) => `UTF-${m[1]}`],
  [/^(?:US-?)ascii$/i, () => 'ascii'],
  ['C', () => 'ascii'],
  [/\b(?:ISO[-_]?)?646(?:[-_]?US)?$/i, () => 'ascii'],
  [/\biso[-_]?(\d+)[-_](\d+)$/i, (m) => `iso-${m[1]}-${m[2]}`],
  [/\biso8859(\d+)$/i, (m) => `iso-8859-${m[1]}`],
  [/\b(?:hp-)?(arabic|greek|hebrew|kana|roman|thai|turkish)8$/i, (m) => `${m[1]}8`],
  [/\bANSI[-_]?X3\.4[-_]?1968$/i, () => 'ascii'],
  [/^(.+)@euro$/i, (m) => m[1]],
  [/\b(?:iso[-_]?)?latin[-_]?(\d+)$/i, (m) => {
    // Perl array index: the digit string taken as a number
    const idx = Number(m[1]);
    const v = Number.isSafeInteger(idx) ? LATIN2ISO[idx] : undefined;
    return v === undefined ? undefined : `iso-8859-${v}`;
  }],
  [/\bwin(latin[12]|cyrillic|baltic|greek|turkish|hebrew|arabic|baltic|vietnamese)$/i,
    (m) => `cp${WINLATIN2CP[lcAscii(m[1]!)]}`],
  ['ascii', () => 'US-ascii'],
  ['cyrillic', () => 'iso-8859-5'],
  ['arabic', () => 'iso-8859-6'],
  ['greek', () => 'iso-8859-7'],
  ['hebrew', () => 'iso-8859-8'],
  ['thai', () => 'iso-8859-11'],
  [/\btis-?620\b/i, () => 'iso-8859-11'],
  [/\b(?:cp|ibm|ms|windows)[-_ ]?(\d{2,4})$/i, (m) => `cp${m[1]}`],
  [/^(?:x[_-])?mac[_-](.*)$/i, (m) => `mac${m[1]}`],
  [/^macintosh$/i, () => 'MacRoman'],
  [/^macce$/i, () => 'MacCentralEurRoman'],
  [/\bkoi8[\t\n\x0B\f\r \-_]*([ru])$/i, (m) => `koi8-${m[1]}`],
  [/\beuc.*cn$/i, () => 'euc-cn'],
  [/\bcn.*euc$/i, () => 'euc-cn'],
  [/^gbk$/i, () => 'cp936'],
  [/\bGB[-_ ]?2312(?!-?raw)/i, () => 'euc-cn'],
  [/\bjis$/i, () => '7bit-jis'],
  [/\beuc.*jp$/i, () => 'euc-jp'],
  [/\bjp.*euc$/i, () => 'euc-jp'],
  [/\bujis$/i, () => 'euc-jp'],
  [/\bshift.*jis$/i, () => 'shiftjis'],
  [/\bsjis$/i, () => 'shiftjis'],
  [/\bwindows-31j$/i, () => 'cp932'],
  [/\beuc.*kr$/i, () => 'euc-kr'],
  [/\bkr.*euc$/i, () => 'euc-kr'],
  [/(?:x-)?uhc$/i, () => 'cp949'],
  [/(?:x-)?windows-949$/i, () => 'cp949'],
  [/\bks_c_5601-1987$/i, () => 'cp949'],
  [/\bbig-?5$/i, () => 'big5-eten'],
  [/\bbig5-?et(?:en)?$/i, () => 'big5-eten'],
  [/\btca[-_]?big5$/i, () => 'big5-eten'],
  [/\bbig5-?hk(?:scs)?$/i, () => 'big5-hkscs'],
  [/\bhk(?:scs)?[-_]?big5$/i, () => 'big5-hkscs'],
  [/cp65000/i, () => 'UTF-7'],
  [/cp65001/i, () => 'utf-8-strict'],
  [/\bUTF-8$/i, () => 'utf-8-strict'],
  [/^([^\t\n\x0B\f\r _]+)[\t\n\x0B\f\r _]+([^\t\n\x0B\f\r _]*)$/i, (m) => `${m[1]}-${m[2]}`],
] as Rule[]).reverse();

const NAMES = Object.keys(ENCODE_NAMES);
const LC_NAMES = new Map(NAMES.map((n) => [lcAscii(n), n]));

type Guard = Map<string, string | undefined>;

function getEncoding(label: string, guard: Guard): string | undefined {
  const name = label.replace(/[\t\n\x0B\f\r ]+/g, '');
  if (Object.hasOwn(ENCODE_NAMES, name)) return name;
  const lc = lcAscii(name);
  if (Object.hasOwn(ENCODE_NAMES, lc)) return lc;
  const oc = findAlias(name, guard);
  if (oc !== undefined) return oc;
  if (lc !== name) return findAlias(lc, guard);
  return undefined;
}

function findAlias(find: string, guard: Guard): string | undefined {
  if (guard.has(find)) return guard.get(find);
  guard.set(find, undefined); // recursion guard
  for (const [alias, val] of RULES) {
    let repl: string | undefined;
    if (typeof alias === 'string') {
      if (lcAscii(find) === lcAscii(alias)) repl = val([] as unknown as RegExpExecArray);
    } else {
      const m = alias.exec(find);
      if (m) repl = val(m);
    }
    if (repl === undefined || repl === find) continue;
    const enc = getEncoding(repl, guard);
    if (enc !== undefined) {
      guard.set(find, enc);
      return enc;
    }
  }
  const n = LC_NAMES.get(lcAscii(find));
  if (n !== undefined) guard.set(find, n);
  return n;
}

const resolved = new Map<string, string | undefined>();
const MAX_MEMO = 4096; // labels are few in practice; bound the memo against hostile input

/** Encode::find_encoding(label)->name, or undefined. `label` is a binary string. */
export function findEncoding(label: string | undefined): string | undefined {
  if (label === undefined) return undefined;
  if (resolved.has(label)) return resolved.get(label);
  const r = getEncoding(label, new Map());
  if (resolved.size < MAX_MEMO) resolved.set(label, r);
  return r;
}
