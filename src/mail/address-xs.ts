// Mirrors the part of Email::Address::XS->parse (dovecot's message_address_parse) that
// Util.pm::_parse_header_addresses_xs relies on. Not ported yet: returns no entries, so
// parse_header_addresses keeps the internal parser's result (see the report / known gaps).
import type { ParsedAddress } from './address.js';

export function parseAddressesXs(_str: string): ParsedAddress[] {
  return [];
}
