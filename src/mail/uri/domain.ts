// Mirrors Mail::SpamAssassin::RegistryBoundaries (RegistryBoundaries.pm: uri_to_domain, is_domain_valid,
// split_domain, trim_domain) and Mail::SpamAssassin::Util::is_fqdn_valid (Util.pm), with the TLD sets
// of the installed configuration (src/data/uri-tlds.ts).
import type { PerlStr } from '../perlstr.js';
import { utf8Encode } from '../perlstr.js';
import { THREE_LEVEL_DOMAINS, TWO_LEVEL_DOMAINS, VALID_TLDS } from '../../data/uri-tlds.js';
import { idnToAscii } from './idn.js';
import { lc, lcBytes } from './perl-text.js';

/** Util.pm is_fqdn_valid: maximum host length after removing trailing dots. */
const MAX_FQDN_LENGTH = 253;
/** Util.pm is_fqdn_valid: maximum label length. */
const MAX_LABEL_LENGTH = 63;

export const VALID_TLD_SET: ReadonlySet<string> = new Set(VALID_TLDS);
const TWO_LEVEL_SET: ReadonlySet<string> = new Set(TWO_LEVEL_DOMAINS);
const THREE_LEVEL_SET: ReadonlySet<string> = new Set(THREE_LEVEL_DOMAINS);

// RegistryBoundaries.pm %US_STATES
const US_STATES: ReadonlySet<string> = new Set(
  ('ak al ar az ca co ct dc de fl ga gu hi ia id il in ks ky la ma md me mi mn mo ms mt nc nd ne nh nj nm ' +
    'nv ny oh ok or pa pr ri sc sd tn tx ut va vi vt wa wi wv wy').split(' '),
);

function toAsciiHost(host: PerlStr | string, isAscii: boolean): string {
  const p: PerlStr = typeof host === 'string' ? { s: host, chars: false } : host;
  if (isAscii) return lcBytes(p.chars ? utf8Encode(p.s) : p.s);
  return idnToAscii(p);
}

const LABEL_RE = /^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?$/;

/** Util.pm is_fqdn_valid(host, is_ascii). `host` as a byte string or a PerlStr. */
export function isFqdnValid(host: PerlStr | string, isAscii: boolean): boolean {
  let h = toAsciiHost(host, isAscii);
  // s/\.+\z// (Perl `\z`: only the very end), as a loop: the regex retries from every dot of a long
  // inner run, O(n^2)
  let e = h.length;
  while (e > 0 && h.charCodeAt(e - 1) === 0x2e) e--;
  if (e < h.length) h = h.slice(0, e);
  if (h.length > MAX_FQDN_LENGTH) return false;
  // Perl split drops trailing empty fields
  const labels = h.split('.');
  while (labels.length > 0 && labels[labels.length - 1] === '') labels.pop();
  let cnt = labels.length;
  if (cnt <= 1) return false;
  for (const label of labels) {
    if (label.length < 1 || label.length > MAX_LABEL_LENGTH) return false;
    if (!LABEL_RE.test(label)) return false;
    if ((cnt === 2 || cnt === 1) && label.includes('_')) return false;
    cnt--;
  }
  return true;
}

const BYTE_SPACE = /[\t\n\x0B\f\r ]/;
const LAST_LABEL = /\.([^.]+)\n?$/;

/** RegistryBoundaries.pm is_domain_valid(dom, is_ascii): only checks for a known TLD after a dot. */
export function isDomainValid(dom: PerlStr | string, isAscii: boolean): boolean {
  const d = toAsciiHost(dom, isAscii);
  if (BYTE_SPACE.test(d)) return false;
  const m = LAST_LABEL.exec(d);
  if (!m) return false;
  return VALID_TLD_SET.has(m[1]!);
}

/** RegistryBoundaries.pm split_domain(fqdn, is_ascii) -> [hostname, domain]. */
export function splitDomain(fqdn: PerlStr | string, isAscii: boolean): [string, string] {
  let domain = toAsciiHost(fqdn, isAscii);
  if (domain === '') return ['', domain];
  // (each replacement needs "..", or a '.' first or last)
  if (domain.includes('..') || domain.charCodeAt(0) === 0x2e || domain.charCodeAt(domain.length - 1) === 0x2e) {
    domain = domain.replace(/\.+/g, '.').replace(/^\.+/, '').replace(/\.+$/, '');
  }
  const parts = domain.split('.');
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  const hostname: string[] = [];
  while (parts.length > 1) {
    if (parts.length === 2) {
      if (TWO_LEVEL_SET.has(parts.join('.'))) break;
    } else if (parts.length === 3) {
      if (parts[2] === 'us') {
        if (US_STATES.has(parts[1]!)) break;
      } else if (THREE_LEVEL_SET.has(parts.join('.'))) {
        break;
      }
    } else if (parts.length === 4) {
      if (parts[3] === 'us' && ((parts[0] === 'pvt' && parts[1] === 'k12') || /^c[io]$/.test(parts[0]!))) {
        if (US_STATES.has(parts[2]!)) break;
      }
    }
    hostname.push(parts.shift()!);
  }
  if (hostname.length > 0) parts.unshift(hostname.pop()!);
  return [hostname.join('.'), parts.join('.')];
}

/** RegistryBoundaries.pm trim_domain. */
export function trimDomain(fqdn: PerlStr | string, isAscii: boolean): string {
  return splitDomain(fqdn, isAscii)[1];
}

// Constants.pm IP_ADDRESS (IPv4, IPv4-mapped IPv6, IPv6), anchored as IS_IP_ADDRESS (`$` allows a final \n).
const OCT = '(?:1\\d\\d|2[0-4]\\d|25[0-5]|[1-9]\\d|\\d)';
const H = '[a-f0-9]{1,4}';
const IPV4 = `${OCT}\\.${OCT}\\.${OCT}\\.${OCT}`;
const IP_ADDRESS =
  `(?:\\b(?<!:)${IPV4}\\b|(?:IPv6:|(?<![a-f0-9:]))(?:(?:(?:${H}:){6}|::(?:${H}:){0,5}|(?:${H}:){1,5}:|` +
  `${H}::(?:${H}:){1,4}|(?:${H}:){2}:(?:${H}:){1,3}|(?:${H}:){3}:(?:${H}:){1,2}|(?:${H}:){4}:${H}:)${IPV4}` +
  `|(?:${H}:){7}${H}|:(?::${H}){1,7}|(?:${H}:){1,7}:|${H}:(?::${H}){1,6}|(?:${H}:){2}(?::${H}){1,5}|` +
  `(?:${H}:){3}(?::${H}){1,4}|(?:${H}:){4}(?::${H}){1,3}|(?:${H}:){5}(?::${H}){1,2}|(?:${H}:){6}:${H}|::)` +
  `(?![a-f0-9:]))`;
export const IS_IP_ADDRESS = new RegExp(`^${IP_ADDRESS}(?=\\n?$)`, 'i');
/** What every IS_IP_ADDRESS match is made of (hex digits, ':' and '.', after an optional "IPv6:"): a
 *  cheap test first, so that the big regex runs (and compiles) only on such hosts. */
const IP_SHAPED = /^(?:ipv6:)?[0-9a-f:.]+\n?$/i;

const PRINTABLE_ESCAPE = /%(?:2[1-9a-f]|[3-6][0-9a-f]|7[0-9a-e])/;

export interface UriDomain {
  domain: string;
  host: string;
}

/** RegistryBoundaries.pm uri_to_domain: the registrable domain and the full host, or undefined. */
export function uriToDomain(uriIn: PerlStr): UriDomain | undefined {
  let uri = lc(uriIn);
  if (/^(?:javascript|cid|file):/.test(uri)) return undefined;
  if (uri.startsWith('mailto:')) {
    uri = uri.slice(7);
    // s/\?.*//  ('.' does not match \n)
    uri = uri.replace(/\?[^\n]*/, '');
    if (/@[^\n]*?@/.test(uri)) return undefined;
    // s/.*@//: greedy up to the last '@' on the first line containing one
    const m = /[^\n]*@/.exec(uri);
    if (!m) return undefined;
    uri = uri.slice(0, m.index) + uri.slice(m.index + m[0].length);
  } else {
    uri = uri.replace(/^[a-z]+:\/{0,2}/, '');
    uri = uri.replace(/[/?#][\s\S]*/, '');
    // (the next two need an '@' and a ':', the escape test a '%')
    if (uri.includes('@')) uri = uri.replace(/^[^/]*@/, '');
    if (uri.includes(':')) uri = uri.replace(/:\d*(?=\n?$)/, '');
  }
  if (uri.includes('%') && PRINTABLE_ESCAPE.test(uri)) return undefined;
  const host = idnToAscii({ s: uri, chars: uriIn.chars });
  let domain = host;
  if (!(IP_SHAPED.test(host) && IS_IP_ADDRESS.test(host))) {
    if (!isFqdnValid(host, true)) return undefined;
    if (!isDomainValid(host, true)) return undefined;
    domain = trimDomain(host, true);
  }
  return { domain, host };
}
