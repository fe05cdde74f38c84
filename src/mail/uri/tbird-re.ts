// Mirrors the $tbirdurire of Mail::SpamAssassin::PerMsgStatus (PerMsgStatus.pm, _tbirdurire) as JavaScript
// regex sources on byte strings. The scan (text-uris.ts) runs only the scheme and mail alternatives as a
// regex; the schemeless one (with its ~1,500-TLD alternation) is matched in code (schemeless.ts). The full
// source stays here as the reference the tests compare against.
import { VALID_TLDS } from '../../data/uri-tlds.js';

/** Builds a regex alternation of words as a trie (same matches as a flat alternation when followed by a
 *  lookahead that only one candidate per position can pass, as SpamAssassin's TLD pattern is). */
export function trieAlternation(words: readonly string[]): string {
  interface Node {
    end: boolean;
    kids: Map<string, Node>;
  }
  const root: Node = { end: false, kids: new Map() };
  for (const w of words) {
    let n = root;
    for (const ch of w) {
      let k = n.kids.get(ch);
      if (!k) {
        k = { end: false, kids: new Map() };
        n.kids.set(ch, k);
      }
      n = k;
    }
    n.end = true;
  }
  const esc = (c: string): string => (/[a-z0-9]/i.test(c) ? c : '\\' + c);
  const emit = (n: Node): string => {
    const alts = [...n.kids.keys()].sort().map((c) => esc(c) + emit(n.kids.get(c)!));
    if (alts.length === 0) return '';
    const body = alts.length === 1 ? alts[0]! : `(?:${alts.join('|')})`;
    if (!n.end) return body;
    return alts.length === 1 && alts[0]!.length === 1 ? `${body}?` : `(?:${body})?`;
  };
  return `(?:${emit(root)})`;
}

// Character classes of _tbirdurire on byte strings (\s = [\t\n\x0B\f\r ]).
const SP = '\\t\\n\\x0B\\f\\r ';
const START_DELIM = `><"'\`,{\\[(|${SP}\\x1b\\xa0`;
export const END_DELIM = `><"\`}\\]{\\[|${SP}\\x1b\\xa0`;
const END_DELIM_EMAIL = `${END_DELIM},('\\x80-\\xff`;
const END_DELIM_PLUS_AT = `${END_DELIM_EMAIL}@`;
export const SC_START_DELIM = `[!"#$&'()*+,/:;<=>?@\\[\\\\\\]^\`{|}~${SP}\\x1b\\xa0]`;

const URI_KNOWN_SCHEME = `(?:(?:https?|ftp):\\/\\/|(?:www\\d{0,2}|ftp)\\.)[^${END_DELIM}]{1,2048}`;
const URI_MAIL_SCHEME =
  `(?:mailto:[^${END_DELIM_EMAIL}]{1,2048}|[^${END_DELIM_PLUS_AT}]{1,251}@[^${END_DELIM_EMAIL}]{1,251})`;

function uriSchemeless(): string {
  const tlds = `(?<![a-zA-Z0-9-])${trieAlternation(VALID_TLDS)}(?!(?:[a-zA-Z0-9-]|\\.[a-zA-Z0-9]))`;
  return `([a-z\\d][a-z\\d._-]{0,251}\\.${tlds})\\.?(?::\\d{1,5})?(?:\\/[^${END_DELIM}]{1,2048})?`;
}

/**
 * A _tbirdurire source (use with flags 'gi'). Groups: 1 scheme, 2 mail, 3 schemeless, 4 schemeless host.
 * A scheme or mail alternative left out is `(?!)` (the groups keep their numbers); without the schemeless
 * alternative (whose TLD alternation only the tests build, as the reference for text-uris.ts and
 * schemeless.ts) there are no groups 3 and 4.
 */
export function tbirdUriSource(withScheme = true, withMail = true, withSchemeless = true): string {
  const never = '(?!)';
  const schemeless = withSchemeless
    ? `|(?:(?:^|(?<=${SC_START_DELIM}))(${uriSchemeless()})(?=(?:[${END_DELIM}]|$)))`
    : '';
  return (
    `(?:\\b|(?<=\\x1b\\([^\\n])|(?<=[${START_DELIM}]))` +
    `(?:(?:(${withScheme ? URI_KNOWN_SCHEME : never})(?=(?:[${END_DELIM}]|$)))|` +
    `(?:(${withMail ? URI_MAIL_SCHEME : never})(?=(?:[${END_DELIM_EMAIL}]|$)))${schemeless})`
  );
}
