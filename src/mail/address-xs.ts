// Mirrors Mail::SpamAssassin::Util::_parse_header_addresses_xs (Util.pm) over Email::Address::XS 1.05's
// parse() and its accessors (Email/Address/XS.pm: phrase, user, host, comment, address; the XS glue's
// parse_email_groups). The Dovecot parser itself is in address-xs/message-address.ts.
//
// When it matters: parse_header_addresses (address.ts) consults this only if the internal parser found
// nothing or fewer entries than commas + 1, and uses the result only if it has more entries; e.g.
// " <user@[1086695621] [ufa]>", which the internal parser cannot parse, gives user, host "[1086695621]"
// and address "user@[1086695621]" here.
//
// Input is a Perl byte string (JS binary string). Util.pm loads Email::Address::XS >= 1.02, so its
// "fix address" branch for older versions is not taken.
import type { ParsedAddress } from './address.js';
import { idnToAscii, isFqdnValid, validParsedAddress } from './address.js';
import { composeAddress, messageAddressParse } from './address-xs/message-address.js';

/** The fields of one Email::Address::XS object as its accessors return them. */
export interface XsAddress {
  phrase: string | undefined;
  user: string | undefined;
  host: string | undefined;
  comment: string | undefined;
  /** address(): compose_address(user, host) when both are defined and host is not empty. */
  address: string | undefined;
}

/** The glue stores a user/host only if it is non-empty and its first byte is not NUL (a C string test). */
function cString(v: string | null): string | undefined {
  return v !== null && v.length > 0 && v.charCodeAt(0) !== 0 ? v : undefined;
}

/** Email::Address::XS->parse($str) in list context: every mailbox, group members flattened. */
export function parseEmailAddressesXs(str: string): XsAddress[] {
  const out: XsAddress[] = [];
  for (const a of messageAddressParse(str)) {
    if (a.domain === null) continue; // group start / end marker
    const user = cString(a.mailbox);
    const host = cString(a.domain);
    out.push({
      phrase: a.name ?? undefined,
      user,
      host,
      comment: a.comment ?? undefined,
      address: user !== undefined && host !== undefined ? composeAddress(user, host) : undefined,
    });
  }
  return out;
}

// /^([^\s\@]+)\@([^\s\@]+)$/ on a byte string ($ also before a final "\n").
const BARE_ADDR = /^([^\t\n\x0B\f\r @]+)@([^\t\n\x0B\f\r @]+)\n?$/;

/** _parse_header_addresses_xs */
export function parseAddressesXs(input: string): ParsedAddress[] {
  const str = input.split('\\\\').join(''); // s/\\\\//g
  const results: ParsedAddress[] = [];
  for (const a of parseEmailAddressesXs(str)) {
    let { phrase, user, host, address } = a;
    const comment = a.comment;
    // Bug 5201 workaround: only a phrase that looks like an address with a valid host.
    let m: RegExpExecArray | null;
    if (
      address === undefined &&
      user === undefined &&
      comment === undefined &&
      phrase !== undefined &&
      validParsedAddress(phrase) &&
      (m = BARE_ADDR.exec(phrase)) !== null &&
      isFqdnValid(idnToAscii(m[2]!))
    ) {
      user = m[1];
      host = m[2];
      address = phrase;
      phrase = undefined;
    }
    if (phrase === undefined && comment !== undefined) phrase = comment;
    if (phrase === undefined && address === undefined) phrase = str;
    results.push({ phrase, address, user, host, comment });
  }
  return results;
}
