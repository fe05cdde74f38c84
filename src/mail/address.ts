// Mirrors Mail::SpamAssassin::Util::parse_header_addresses and _parse_header_addresses (Util.pm), with
// $header_address_mailre, $header_address_re and _valid_parsed_address; the Email::Address::XS fallback it
// consults lives in address-xs.ts.
//
// Input is a Perl byte string (JS binary string); regexes spell out Perl's byte semantics
// (\s = [\t\n\x0B\f\r ], `.` = [^\n], `$` = end or before a final "\n") and emulate possessive
// quantifiers (see address-re.ts, which also matches $header_address_re itself).
import { parseAddressesXs } from './address-xs.js';
import { atomic, mailre, matchHeaderAddress } from './address-re.js';
import { idnToAscii as uriIdnToAscii } from './uri/idn.js';

export interface ParsedAddress {
  phrase: string | undefined;
  address: string | undefined;
  user: string | undefined;
  host: string | undefined;
  comment: string | undefined;
}

const MAILRE_FULL = new RegExp(`^(?:${mailre()})(?=\\n?$)`);
const ANGLE_MAILRE_G = new RegExp(`<(${mailre()})>`, 'g');
// \((?:|(?:[^()\\]++|\\.)*+)\)  with /s: the escaped character may be a newline.
const COMMENT_G = new RegExp(`\\(${atomic('(?:[^()\\\\]+|\\\\[^])*')}\\)`, 'g');
// (?:"(|(?:[^"\\]++|\\.)*+)"|([^"]++)) with /s
const PHRASE_PART_G = new RegExp(`(?:"(?<q>${atomic('(?:[^"\\\\]+|\\\\[^])*')})"|(?<n>[^"]+))`, 'g');
const GROUP_RE = /^[^"()<>]+:[\t\n\x0B\f\r ]*(?:;[^]*)?/;
const NON_WS = /[^\t\n\x0B\f\r ]/;
const CUT_ADDR = /^(([^@]*)@([^@]*))[^\n]*/;

/** Perl \s on a byte: [\t\n\x0B\f\r ]. */
function isPerlSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

/** `s` without its trailing run of the character `c` (s/c+$//, without the regex's O(n^2) on inner runs). */
function trimTrailing(s: string, c: number): string {
  let e = s.length;
  while (e > 0 && s.charCodeAt(e - 1) === c) e--;
  return e === s.length ? s : s.slice(0, e);
}

/** _valid_parsed_address */
export function validParsedAddress(a: string | undefined): boolean {
  if (a === undefined) return false;
  if (a.startsWith('""@')) return false;
  const q = a.indexOf('"');
  return q === -1 || a.indexOf('"', q + 1) !== -1; // not exactly one '"'
}

const LABEL_RE = /^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?(?=\n?$)/;

/**
 * Util.pm idn_to_ascii for a byte string (uri/idn.ts, the libidn2 emulation). WHATWG domainToASCII alone
 * is not enough here: it cuts a host at '\\' or '/' ("b.com\\" -> "b.com"), where libidn2 keeps it.
 */
export function idnToAscii(s: string): string {
  return uriIdnToAscii({ s, chars: false });
}

/** Util.pm is_fqdn_valid($host, 1) for a byte string. */
export function isFqdnValid(host: string): boolean {
  const h = trimTrailing(host.replace(/[A-Z]+/g, (m) => m.toLowerCase()), 0x2e); // s/\.+$//
  if (h.length > 253) return false;
  const labels = h.split('.');
  while (labels.length > 0 && labels[labels.length - 1] === '') labels.pop(); // Perl split drops trailing ''
  let cnt = labels.length;
  if (cnt <= 1) return false;
  for (const label of labels) {
    if (label.length < 1 || label.length > 63) return false;
    if (!LABEL_RE.test(label)) return false;
    if ((cnt === 2 || cnt === 1) && label.indexOf('_') !== -1) return false;
    cnt--;
  }
  return true;
}

function cutAddress(address: string): { address: string; user?: string; host?: string } {
  const m = CUT_ADDR.exec(address);
  if (!m) return { address };
  return { address: m[1] + address.slice(m[0].length), user: m[2], host: m[3] };
}

/** _parse_header_addresses: the internal relaxed parser. */
export function parseHeaderAddressesInternal(input: string): ParsedAddress[] {
  // s/\s+$// (a loop: the regex retries from every blank of a long inner run, O(n^2))
  let e = input.length;
  while (e > 0 && isPerlSpace(input.charCodeAt(e - 1))) e--;
  let s = e === input.length ? input : input.slice(0, e);
  if (s.includes('\\\\')) s = s.split('\\\\').join('');
  s = s.replace(GROUP_RE, '');
  if (!NON_WS.test(s)) return [];

  const results: ParsedAddress[] = [];
  for (;;) {
    const g = matchHeaderAddress(s);
    if (!g) break;
    s = s.slice(g.length);
    let phrase: string | undefined = g.p1 !== undefined ? g.p1 : g.p4;
    let address: string | undefined = g.a2 !== undefined ? g.a2 : g.a3;
    const comment = g.c5;

    if (g.a2 !== undefined) {
      address = address!.replace(COMMENT_G, '');
      if (!MAILRE_FULL.test(address)) address = undefined;
    }
    if (!validParsedAddress(address)) address = undefined;

    if (phrase !== undefined) {
      let np: string | undefined;
      PHRASE_PART_G.lastIndex = 0;
      let pm: RegExpExecArray | null;
      while ((pm = PHRASE_PART_G.exec(phrase)) !== null) {
        const pg = pm.groups as Record<string, string | undefined>;
        if (pg.q !== undefined) {
          const qs = pg.q.replace(/\\(?!\\)/g, '').replace(/\\\\/g, '\\');
          np = (np ?? '') + qs;
        } else {
          np = (np ?? '') + pg.n!.replace(COMMENT_G, '');
        }
      }
      phrase = np;
      const p = phrase ?? '';
      let hm: RegExpExecArray | null;
      if (
        address === undefined &&
        MAILRE_FULL.test(p) &&
        validParsedAddress(p) &&
        (hm = /^[^@]*@([^@]*)/.exec(p)) !== null &&
        isFqdnValid(idnToAscii(hm[1]))
      ) {
        address = p;
        phrase = undefined;
      } else if (address !== undefined && p === address) {
        phrase = undefined;
      } else if (p === '') {
        phrase = undefined;
      }
    }

    if (phrase === undefined && comment !== undefined) phrase = comment;

    let user: string | undefined;
    let host: string | undefined;
    if (address !== undefined) ({ address, user, host } = cutAddress(address));
    results.push({ phrase, address, user, host, comment });
  }

  if (s.indexOf('@') !== -1) {
    ANGLE_MAILRE_G.lastIndex = 0;
    let am: RegExpExecArray | null;
    while ((am = ANGLE_MAILRE_G.exec(s)) !== null) {
      if (!validParsedAddress(am[1])) continue;
      const c = cutAddress(am[1]);
      results.push({ phrase: undefined, address: c.address, user: c.user, host: c.host, comment: undefined });
    }
  }
  return results;
}

/**
 * parse_header_addresses: the internal parser, with Email::Address::XS consulted when it found nothing
 * or fewer entries than commas + 1; the XS result wins if it has more entries. (Util.pm's "nested
 * comments" test, scalar($str =~ /\(/) >= 2, is a boolean compared with 2 and so never true.)
 */
export function parseHeaderAddresses(str: string): ParsedAddress[] {
  if (!NON_WS.test(str)) return [];
  const results = parseHeaderAddressesInternal(str);
  let commas = 0;
  for (let i = str.indexOf(','); i !== -1; i = str.indexOf(',', i + 1)) commas++;
  if (results.length === 0 || results.length < commas + 1) {
    const xs = parseAddressesXs(str);
    if (xs.length > results.length) return xs;
  }
  return results;
}
