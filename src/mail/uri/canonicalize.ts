// Mirrors Mail::SpamAssassin::Util::uri_list_canonicalize, url_encode and decode_ulong_to_ip (Util.pm).
import type { PerlStr } from '../perlstr.js';
import { isDomainValid } from './domain.js';
import { idnToAscii } from './idn.js';
import { lc, SPACE_CHARS } from './perl-text.js';
import { redirectTarget } from './redirectors.js';

/** One character of Perl \s on a character string (tested for non-ASCII code units only). */
const SPACE_CHAR = new RegExp(`[${SPACE_CHARS}]`);

const ESCAPE_SPLIT = /(%[0-9a-fA-F]{2})/;
const ESCAPE_KEEP = /(20|7f|[0189a-fA-F][0-9a-fA-F])/i;
// eslint-disable-next-line no-control-regex
const ENCODE_CHARS = /[\x00-\x20\x7f-\xff"%<>]/g;

/**
 * Util.pm url_encode (which decodes): %XX escapes of 0x21-0x7E become the character; other escapes stay;
 * in the remaining text every code point 0x00-0x20, 0x7F-0xFF and `"`, `%`, `<`, `>` becomes %xx.
 */
export function urlEncode(url: string): string {
  const pieces = url.split(ESCAPE_SPLIT);
  let out = '';
  for (const piece of pieces) {
    if (piece.length === 3 && ESCAPE_SPLIT.test(piece)) {
      if (ESCAPE_KEEP.test(piece)) out += piece;
      else out += piece.replace(/%([2-7][0-9a-fA-F])/, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
    } else {
      out += piece.replace(ENCODE_CHARS, (c) => '%' + c.charCodeAt(0).toString(16).padStart(2, '0'));
    }
  }
  return out;
}

const TWO64 = 1n << 64n;
const TWO63 = 1n << 63n;

/** Util.pm decode_ulong_to_ip: join('.', unpack('CCCC', pack('H*', sprintf('%08lx', n)))). */
export function decodeUlongToIp(decimal: string): string {
  let v = BigInt(decimal);
  if (v >= TWO64) v = TWO64 - 1n; // Perl numifies to an NV; %lx saturates
  let hex = v.toString(16).padStart(8, '0');
  if (hex.length % 2) hex += '0'; // pack H* pads the last nibble
  const octets: number[] = [];
  for (let i = 0; i < 8 && i < hex.length; i += 2) octets.push(parseInt(hex.slice(i, i + 2), 16));
  return octets.join('.');
}

/** sprintf("%d", hex($h)) in Perl: UV reinterpreted as IV; overflow (NV >= 2^64) prints -1. */
function perlHexToDecimal(h: string): string {
  const v = BigInt('0x' + h);
  if (v >= TWO64) return '-1';
  return (v >= TWO63 ? v - TWO64 : v).toString();
}

const IP_CHUNKS = /^((?:0x[0-9a-f]+|\d+)\.)((?:0x[0-9a-f]+|\d+)\.)((?:0x[0-9a-f]+|\d+)\.)(0x[0-9a-f]+|\d+)\n?$/i;
const OCTAL_OCTET = /^0+([1-3][0-7]{0,2}|[4-7][0-7]?)\b/;

function fixOctet(octet: string): string {
  let o = octet.replace(/^0x([0-9a-f]+)/i, (_m, h: string) => perlHexToDecimal(h));
  o = o.replace(OCTAL_OCTET, (_m, d: string) => String(parseInt(d, 8)));
  return o.replace(/^0+/, '');
}

const HOST_PARTS = /^(https?:\/\/)([^@/?#]*@)?([^/?#:]+)((?::([0-9]*))?[^\n]*)$/i;
const NL_G = /\n/g;
const CR_G = /\r/g;
const RELATIVE = /^(?:[#?&]|\/(?!\/))/;
const MAILTO = /^mailto:/i;
const MAIL_SHAPED = /^[^:]*@/;
const MAIL_BEFORE_Q = /^([^@]+@[^?]+)\?/;
const MAIL_BEFORE_AMP = /^([^@]+@[^?&]+)&/;
export const MAIL_AFTER_SP = /^(?:mailto:)?(?:%20)*([^@]+@[^?&%]+)/;
/** The reference of mailInAngles (which is linear). */
export const MAIL_IN_ANGLES = /^[^?&]*<([^@>]+@[^>]+)>/;
const BACKSLASH_G = /\\/g;
const HTTP_SLASHES = /^(https?:)\/{0,2}/i;
const PCT_ESCAPE = /%[0-9a-fA-F]{2}/;
const HAS_SCHEME = /^[-_a-z0-9]+:/i;
const HOST_THEN_QUERY = /^(https?:\/\/[^/?#]+)([?#])/i;
const DEC_ENTITY_G = /&#0*(3[3-9]|[4-9][0-9]|1[01][0-9]|12[0-6]);/g;
const HEX_ENTITY_G = /&#x0*(2[1-9]|[3-6][a-fA-F0-9]|7[0-9a-eA-E]);/g;
const DOT_ENTITY_G = /&#(?:x2e|12290|x3002|65294|xff0e|65377|xff61);/gi;
// eslint-disable-next-line no-control-regex
const CTL = /[\x00-\x20]/;
// eslint-disable-next-line no-control-regex
const CTL_G = /[\x00-\x20]/g;
const AUTH_PREFIX = /^[^@]+@/;
const HEX_HOST = /^0x[0-9a-f]+$/i;
const HEX_HOST_LOW = /^0x[0-9a-f]*?([0-9a-f]{1,8})$/i;
const DEC_HOST = /^[0-9]+$/;
const ONE_LABEL = /^(?:www\.)?([^.]+)$/;

/** [\t\n\x0B\f\r ] (Perl \s on bytes). */
function isSpaceByte(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

/** Perl \s on a character string: the bytes' \s plus Unicode White_Space (SPACE_CHARS). */
function isSpaceChar(c: number): boolean {
  return c < 0x80 ? isSpaceByte(c) : SPACE_CHAR.test(String.fromCharCode(c));
}

/** s/^\s+//; s/\s+$// on a byte string (`chars` false) or a character string. */
function trimSpace(s: string, chars: boolean): string {
  const isSpace = chars ? isSpaceChar : isSpaceByte;
  let a = 0;
  let b = s.length;
  while (a < b && isSpace(s.charCodeAt(a))) a++;
  while (b > a && isSpace(s.charCodeAt(b - 1))) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/** True when s/^(https?:)\/{0,2}/$1\/\//i would leave `s` unchanged (no such prefix, or two slashes). */
function hasTwoSlashesAfterHttp(s: string): boolean {
  const c = s.charCodeAt(0) | 0x20;
  if (c !== 0x68 /* h */) return true;
  if (!HTTP_PREFIX.test(s)) return true;
  const i = (s.charCodeAt(4) === 0x3a ? 5 : 6); // after "http:" or "https:"
  return s.charCodeAt(i) === 0x2f && s.charCodeAt(i + 1) === 0x2f;
}
const HTTP_PREFIX = /^https?:/i;

function isAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** s/[^0-9A-Za-z]+$// as a loop (the regex retries from every character of a long inner run: O(n^2)). */
function trimTrailingNonAlnum(s: string): string {
  let e = s.length;
  while (e > 0 && !isAlnum(s.charCodeAt(e - 1))) e--;
  return e === s.length ? s : s.slice(0, e);
}

/**
 * False when MAIL_AFTER_SP, /^(?:mailto:)?(?:%20)*([^@]+@[^?&%]+)/, cannot match: every match has the
 * first '@' of the string (its prefix holds none) followed by a character other than '?', '&', '%'.
 * Without this test a long "mailto:%20%20..." with no such '@' costs O(n^2): [^@]+ runs to the end
 * again for every number of "%20" the regex backs off to. With it, the regex's first try (or the next,
 * when the prefix reaches the '@') succeeds.
 */
export function mayMatchMailAfterSp(s: string): boolean {
  const at = s.indexOf('@');
  if (at < 0 || at + 1 >= s.length) return false;
  const c = s.charCodeAt(at + 1);
  return c !== 0x3f && c !== 0x26 && c !== 0x25;
}

/**
 * Group 1 of MAIL_IN_ANGLES, /^[^?&]*<([^@>]+@[^>]+)>/, or null, in linear time. The greedy [^?&]* tries
 * the '<' before the first '?' or '&' from the last one back; from a '<' at i the match is forced:
 * [^@>]+ runs to the first '@' or '>' (it must be an '@', not at i + 1), then [^>]+ to the first '>'
 * (not right after the '@'). The regex rescans that far for every '<': O(n^2) on "<<<<...".
 */
export function mailInAngles(s: string): string | null {
  let stop = s.length; // the first '?' or '&'
  for (let i = 0; i < stop; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x3f || c === 0x26) stop = i;
  }
  let atOrGt = -1; // the first '@' or '>' after i (-1: none)
  let gt = -1; // the first '>' after i
  for (let i = s.length - 1; i >= 0; i--) {
    const c = s.charCodeAt(i);
    if (c === 0x3c && i < stop && atOrGt >= i + 2 && s.charCodeAt(atOrGt) === 0x40) {
      // no '>' between i and the '@', so the first '>' after the '@' is the first after i
      if (gt >= atOrGt + 2) return s.slice(i + 1, gt);
    }
    if (c === 0x40 || c === 0x3e) atOrGt = i;
    if (c === 0x3e) gt = i;
  }
  return null;
}

const WORD_BYTE = /[A-Za-z0-9_]/;
const WORD_CHAR = /[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}]/u;

/** Perl `\b` right after a prefix of `s` of length `i` (the prefix ends in a word character). */
function boundaryAfter(s: string, i: number, chars: boolean): boolean {
  if (i >= s.length) return true;
  const next = String.fromCodePoint(s.codePointAt(i)!);
  return !(chars ? WORD_CHAR : WORD_BYTE).test(next);
}

function perlLength(s: string, chars: boolean): number {
  if (!chars || s.length > 2) return s.length; // only "<= 1" matters below
  return [...s].length;
}

/**
 * Util.pm uri_list_canonicalize(redirector_patterns, [uris], registryboundaries): every input (cleaned of
 * newlines, surrounding whitespace and CRs) plus its variants, duplicates removed, in discovery order.
 * All variants carry the flag of the input they derive from (Perl concatenation with that input's parts).
 */
export function uriListCanonicalize(input: readonly PerlStr[]): PerlStr[] {
  const uris: PerlStr[] = input.map((u) => ({ s: u.s, chars: u.chars }));
  const nuris: PerlStr[] = [];
  for (let i = 0; i < uris.length; i++) {
    const chars = uris[i]!.chars;
    const mk = (s: string): PerlStr => ({ s, chars });
    let uri = uris[i]!.s;
    if (uri.indexOf('\n') !== -1) uri = uri.replace(NL_G, '');
    uri = trimSpace(uri, chars);
    if (uri.indexOf('\r') !== -1) uri = uri.replace(CR_G, '');
    uris[i] = mk(uri);

    if (perlLength(uri, chars) <= 1 || RELATIVE.test(uri)) continue;

    let nuri = uri;
    if (MAILTO.test(nuri) || MAIL_SHAPED.test(nuri)) {
      let m = MAIL_BEFORE_Q.exec(nuri);
      if (m) nuris.push(mk(m[1]!));
      m = MAIL_BEFORE_AMP.exec(nuri);
      if (m) nuris.push(mk(m[1]!));
      if (nuri.includes('%20') && mayMatchMailAfterSp(nuri)) {
        m = MAIL_AFTER_SP.exec(nuri);
        if (m) nuris.push(mk('mailto:' + m[1]!));
      }
      const angled = mailInAngles(nuri);
      if (angled !== null) nuris.push(mk('mailto:' + angled));
      continue;
    }

    if (nuri.indexOf('\\') !== -1) nuri = nuri.replace(BACKSLASH_G, '/');
    if (!hasTwoSlashesAfterHttp(nuri)) nuri = nuri.replace(HTTP_SLASHES, '$1//');
    if (PCT_ESCAPE.test(nuri)) nuri = urlEncode(nuri);
    if (!HAS_SCHEME.test(nuri)) nuri = (nuri.startsWith('ftp.') ? 'ftp://' : 'http://') + nuri;
    // needs a '?' or '#' (the first of [/?#] after the host)
    if (nuri.indexOf('?') !== -1 || nuri.indexOf('#') !== -1) nuri = nuri.replace(HOST_THEN_QUERY, '$1/$2');
    if (nuri.indexOf('&#') !== -1) {
      nuri = nuri.replace(DEC_ENTITY_G, (_m, d: string) => String.fromCharCode(Number(d)));
      nuri = nuri.replace(HEX_ENTITY_G, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
      nuri = nuri.replace(DOT_ENTITY_G, '.');
    }
    if (nuri !== uri) nuris.push(mk(nuri));

    const hm = HOST_PARTS.exec(nuri);
    if (!hm) continue;
    const proto = hm[1]!;
    let host = hm[3]!;
    const rest = hm[4]!;
    const auth = hm[2] ?? '';
    let port = hm[5] ?? '';
    let restNoport: string | undefined;
    if (port === '') {
      port = proto === 'http://' ? '80' : '443';
    } else {
      restNoport = rest;
      if (proto === 'http://') {
        if (restNoport.startsWith(':80') && boundaryAfter(restNoport, 3, chars)) {
          restNoport = restNoport.slice(3);
          nuris.push(mk(proto + host + restNoport));
        }
      } else if (restNoport.startsWith(':443') && boundaryAfter(restNoport, 4, chars)) {
        restNoport = restNoport.slice(4);
        nuris.push(mk(proto + host + restNoport));
      }
    }

    const nhost = idnToAscii({ s: host, chars });
    if (nhost !== lc({ s: host, chars })) {
      nuris.push(mk(proto + nhost + rest));
      if (restNoport !== undefined && restNoport !== '' && restNoport !== '0') nuris.push(mk(proto + nhost + restNoport));
      host = nhost;
    }

    const noCtl = CTL.test(host) ? host.replace(CTL_G, '') : host;
    if (noCtl !== host) {
      host = noCtl;
      nuris.push(mk(proto + host + rest));
    }

    const target = redirectTarget(proto + host + rest, rest);
    if (target !== undefined) uris.push(mk(target));

    const noAuth = host.indexOf('@') === -1 ? host : host.replace(AUTH_PREFIX, '');
    if (noAuth !== host) {
      host = noAuth;
      nuris.push(mk(proto + host + rest));
    }

    const trimmed = trimTrailingNonAlnum(host);
    if (trimmed !== host) {
      host = trimmed;
      nuris.push(mk(proto + host + rest));
    }

    // IP_CHUNKS, HEX_HOST and DEC_HOST all need a digit first
    const c0 = host.charCodeAt(0);
    const digitFirst = c0 >= 0x30 && c0 <= 0x39;
    const ip = digitFirst ? IP_CHUNKS.exec(host) : null;
    if (ip) {
      const chunks = [ip[1]!, ip[2]!, ip[3]!, ip[4]!].map(fixOctet);
      nuris.push(mk(proto + chunks.join('') + rest));
    } else if (digitFirst && HEX_HOST.test(host)) {
      const m = HEX_HOST_LOW.exec(host)!;
      nuris.push(mk(proto + decodeUlongToIp(String(parseInt(m[1]!, 16))) + rest));
    } else if (digitFirst && DEC_HOST.test(host)) {
      nuris.push(mk(proto + decodeUlongToIp(host) + rest));
    } else if (proto === 'http://' && auth === '' && nhost !== 'localhost' && port === '80') {
      const w = ONE_LABEL.exec(nhost);
      if (w && !isDomainValid(nhost, false)) nuris.push(mk(proto + 'www.' + w[1]! + '.com' + rest));
    }
  }
  const seen = new Set<string>();
  const out: PerlStr[] = [];
  for (const list of [uris, nuris]) {
    for (const u of list) {
      if (seen.has(u.s)) continue;
      seen.add(u.s);
      out.push(u);
    }
  }
  return out;
}
