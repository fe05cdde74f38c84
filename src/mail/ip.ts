// Mirrors Mail::SpamAssassin::Constants IP_ADDRESS, IP_PRIVATE and LOCALHOST (Constants.pm).
//
// The Perl constants are `qr/.../xi`. When Received.pm interpolates them into its own (case-sensitive)
// regexes they keep their own /i, so the sources exported here are already written case-insensitively
// (`caseless`) and can be embedded in any JS regex. All of them are ASCII-only, as Perl's are on the
// byte strings SpamAssassin matches them against (JS `\b`, `\d` without the `u` flag are ASCII too).

/** One IPv4 octet as Constants.pm spells it (alternation order matters for backtracking). */
const OCTET = String.raw`(?:1\d\d|2[0-4]\d|25[0-5]|[1-9]\d|\d)`;
const H4 = '[a-f0-9]{1,4}';

/**
 * Rewrites a regex source written in lower case so that ASCII letters match either case, as Perl's
 * /i does on byte strings: letters outside classes become `[xX]`, classes gain the other case.
 * Escapes (`\b`, `\d`, ...) are left alone. Only used on the sources in this file.
 */
export function caseless(src: string): string {
  let out = '';
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\') {
      out += c + (src[i + 1] ?? '');
      i++;
    } else if (c === '[') {
      let j = i + 1;
      let body = '';
      while (j < src.length && src[j] !== ']') {
        if (src[j] === '\\') {
          body += src[j]! + src[j + 1]!;
          j += 2;
        } else {
          body += src[j]!;
          j++;
        }
      }
      out += '[' + body + classOtherCase(body) + ']';
      i = j;
    } else if (/[a-zA-Z]/.test(c)) {
      out += `[${c.toLowerCase()}${c.toUpperCase()}]`;
    } else {
      out += c;
    }
  }
  return out;
}

function classOtherCase(body: string): string {
  let extra = '';
  const start = body.startsWith('^') ? 1 : 0;
  for (let i = start; i < body.length; i++) {
    const c = body[i]!;
    if (c === '\\') {
      i++;
      continue;
    }
    if (body[i + 1] === '-' && i + 2 < body.length) {
      const d = body[i + 2]!;
      if (/[a-z]/.test(c) && /[a-z]/.test(d)) extra += c.toUpperCase() + '-' + d.toUpperCase();
      else if (/[A-Z]/.test(c) && /[A-Z]/.test(d)) extra += c.toLowerCase() + '-' + d.toLowerCase();
      i += 2;
    } else if (/[a-z]/.test(c)) {
      extra += c.toUpperCase();
    } else if (/[A-Z]/.test(c)) {
      extra += c.toLowerCase();
    }
  }
  return extra;
}

// ---- IP_ADDRESS -------------------------------------------------------------------------------

const IP_ADDRESS_LC = [
  '(?:',
  // plain IPv4; \b(?<!:) ensures no "::" IPv4 marker before it
  String.raw`\b(?<!:)${OCTET}\.${OCTET}\.${OCTET}\.${OCTET}\b`,
  '|',
  // IPv6, optionally with the "IPv6:" prefix; no \b (it hits on ':')
  '(?:ipv6:|(?<![a-f0-9:]))',
  '(?:',
  // IPv4 mapped in IPv6: the 12 leading bytes in their abbreviated forms ...
  '(?:',
  `(?:${H4}:){6}`,
  `|::(?:${H4}:){0,5}`,
  `|(?:${H4}:){1,5}:`,
  `|${H4}::(?:${H4}:){1,4}`,
  `|(?:${H4}:){2}:(?:${H4}:){1,3}`,
  `|(?:${H4}:){3}:(?:${H4}:){1,2}`,
  `|(?:${H4}:){4}:${H4}:`,
  ')',
  // ... followed by the IPv4 address (no \b)
  String.raw`${OCTET}\.${OCTET}\.${OCTET}\.${OCTET}`,
  // or a pure IPv6 address
  `|(?:${H4}:){7}${H4}`,
  `|:(?::${H4}){1,7}`,
  `|(?:${H4}:){1,7}:`,
  `|${H4}:(?::${H4}){1,6}`,
  `|(?:${H4}:){2}(?::${H4}){1,5}`,
  `|(?:${H4}:){3}(?::${H4}){1,4}`,
  `|(?:${H4}:){4}(?::${H4}){1,3}`,
  `|(?:${H4}:){5}(?::${H4}){1,2}`,
  `|(?:${H4}:){6}:${H4}`,
  '|::',
  ')',
  '(?![a-f0-9:])',
  ')',
].join('');

/** Source of Constants.pm IP_ADDRESS (a non-capturing group, case-insensitive as written). */
export const IP_ADDRESS_SRC = caseless(IP_ADDRESS_LC);

// ---- LOCALHOST --------------------------------------------------------------------------------

/** The 12 leading bytes of an IPv4-mapped IPv6 address whose first 10 bytes are zero. */
const MAPPED_PREFIX_LC = [
  '(?:',
  '(?:0{1,4}:){5}ffff:',
  '|::(?:0{1,4}:){0,4}ffff:',
  '|(?:0{1,4}:){1,4}:ffff:',
  '|0{1,4}::(?:0{1,4}:){1,3}ffff:',
  '|(?:0{1,4}:){2}:0{1,2}:ffff:',
  '|(?:0{1,4}:){3}:0:ffff:',
  '|(?:0{1,4}:){4}:ffff:',
  ')',
].join('');

/** Pure IPv6 forms of ::1. */
const V6_LOOPBACK_LC = [
  '(?:0{1,4}:){7}0{0,3}1',
  '|:(?::0{1,4}){0,6}:0{0,3}1',
  '|0{1,4}:(?::0{1,4}){0,5}:0{0,3}1',
  '|(?:0{1,4}:){2}(?::0{1,4}){0,4}:0{0,3}1',
  '|(?:0{1,4}:){3}(?::0{1,4}){0,3}:0{0,3}1',
  '|(?:0{1,4}:){4}(?::0{1,4}){0,2}:0{0,3}1',
  '|(?:0{1,4}:){5}(?::0{1,4}){0,1}:0{0,3}1',
  '|(?:0{1,4}:){6}:0{0,3}1',
].join('');

const LOCALHOST_LC = [
  '(?:',
  String.raw`localhost(?:\.localdomain)?`,
  '|',
  String.raw`\b(?<!:)127\.0\.0\.1\b`,
  '|',
  '(?:ipv6:|(?<![a-f0-9:]))',
  '(?:',
  MAPPED_PREFIX_LC,
  String.raw`127\.0\.0\.1`,
  '|',
  V6_LOOPBACK_LC,
  ')',
  '(?![a-f0-9:])',
  ')',
].join('');

/** Source of Constants.pm LOCALHOST (a non-capturing group, case-insensitive as written). */
export const LOCALHOST_SRC = caseless(LOCALHOST_LC);

// ---- IP_PRIVATE -------------------------------------------------------------------------------

/** First octets of the private IPv4 ranges: 10/8, 127/8, 169.254/16, 172.16/12, 192.168/16, 100.64/10. */
const PRIVATE_V4_HEAD = String.raw`(?:10|127|169\.254|172\.(?:1[6-9]|2[0-9]|3[01])|192\.168|100\.(?:6[4-9]|[7-9][0-9]|1[01][0-9]|12[0-7]))`;

// Perl's `.` (no /s) is "anything but \n".
const IP_PRIVATE_LC = [
  '^(?:',
  String.raw`${PRIVATE_V4_HEAD}\.[^\n]*`,
  '|',
  '(?:ipv6:|(?<![a-f0-9:]))',
  '(?:',
  MAPPED_PREFIX_LC,
  String.raw`${PRIVATE_V4_HEAD}\.[^\n]*`,
  // fe80::/10 link-local
  String.raw`|fe[89ab][0-9a-f]:[^\n]*`,
  // ::1
  '|',
  V6_LOOPBACK_LC,
  ')',
  '(?![a-f0-9:])',
  ')',
].join('');

/** Constants.pm IP_PRIVATE as used by Received.pm: `$ip =~ /${IP_PRIVATE}/o` (anchored at the start). */
export const IP_PRIVATE_RE = new RegExp(caseless(IP_PRIVATE_LC));

// The full patterns cost ~1-2 ms each to compile (on first use, in every thread), and the IPv4-only
// forms below answer most calls. Every IPv6 form of IP_ADDRESS and IP_PRIVATE contains
// ':', so on text without ':' only the IPv4 forms can match, and their `(?<!:)` always holds.
let ipAddressFirst: RegExp | undefined;

/** IP_ADDRESS on text without ':' (its IPv4 form without the look-behind). */
const IPV4_FIRST_RE = new RegExp(String.raw`\b${OCTET}\.${OCTET}\.${OCTET}\.${OCTET}\b`);
/** IP_PRIVATE on text without ':'. */
const PRIVATE_V4_RE = new RegExp(String.raw`^${PRIVATE_V4_HEAD}\.`);

/** `$str =~ m/($IP_ADDRESS)/`: the first IP address in a string, or undefined. */
export function firstIpAddress(s: string): string | undefined {
  const m = s.includes(':') ? (ipAddressFirst ??= new RegExp(IP_ADDRESS_SRC)).exec(s) : IPV4_FIRST_RE.exec(s);
  return m ? m[0] : undefined;
}

/** `$ip =~ /${IP_PRIVATE}/`: note it is a prefix match (IPv4 ranges are followed by `\..*`). */
export function isPrivateIp(ip: string): boolean {
  return ip.includes(':') ? IP_PRIVATE_RE.test(ip) : PRIVATE_V4_RE.test(ip);
}
