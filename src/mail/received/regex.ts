// Regex helpers for the port of Mail::SpamAssassin::Message::Metadata::Received (Message/Metadata/Received.pm).
//
// Received.pm matches byte strings under Perl's default rules: `\s` is [\t\n\x0B\f\r ], `\S` its
// complement, `.` anything but "\n". JS differs (its \s also matches \xA0, its `.` also excludes \r).
// `rx` translates those three tokens so the patterns can be written as in Perl, and interpolates the
// Constants.pm sources as `${IP}` / `${LOCALHOST}` (see `re`).

import { IP_ADDRESS_SRC, LOCALHOST_SRC } from '../ip.js';

const PERL_SPACE = '\\t\\n\\x0B\\f\\r ';

/** Translates Perl's \s, \S and `.` in a regex source to explicit JS classes. */
export function perlSource(src: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\') {
      const n = src[i + 1] ?? '';
      i++;
      if (n === 's') out += inClass ? PERL_SPACE : `[${PERL_SPACE}]`;
      else if (n === 'S') {
        if (inClass) throw new Error('perlSource: \\S inside a class is not supported');
        out += `[^${PERL_SPACE}]`;
      } else out += c + n;
    } else if (inClass) {
      if (c === ']') inClass = false;
      out += c;
    } else if (c === '[') {
      inClass = true;
      out += c;
      // a ']' right after '[' or '[^' is literal in Perl
      if (src[i + 1] === '^') {
        out += '^';
        i++;
      }
      if (src[i + 1] === ']') {
        out += '\\]';
        i++;
      }
    } else if (c === '.') {
      out += '[^\\n]';
    } else {
      out += c;
    }
  }
  return out;
}

/** Constants.pm IP_ADDRESS and LOCALHOST, for interpolation into `re` / `rei` patterns. */
export const IP = IP_ADDRESS_SRC;
export const LOCALHOST = LOCALHOST_SRC;

function build(strings: TemplateStringsArray, subs: string[], flags: string): RegExp {
  let body = '';
  for (let i = 0; i < strings.raw.length; i++) {
    body += perlSource(strings.raw[i]!);
    if (i < subs.length) body += subs[i]!;
  }
  return new RegExp(body, flags);
}

/**
 * Compiles a pattern written as in Perl (template literal, raw): `\s`, `\S`, `.` get Perl's byte
 * semantics; interpolated values (`${IP}`, `${LOCALHOST}`, each a non-capturing group, so capture
 * numbering is as in Perl) are inserted verbatim.
 */
export function re(strings: TemplateStringsArray, ...subs: string[]): RegExp {
  return build(strings, subs, '');
}

/** As `re`, with Perl's /i (ASCII-only on byte strings; JS /i without `u` agrees on ASCII patterns). */
export function rei(strings: TemplateStringsArray, ...subs: string[]): RegExp {
  return build(strings, subs, 'i');
}

/** Perl truthiness of a scalar string: false for undef, '' and '0'. */
export function truthy(s: string | undefined): boolean {
  return s !== undefined && s !== '' && s !== '0';
}
