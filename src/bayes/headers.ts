// Mirrors Mail::SpamAssassin::Plugin::Bayes::_tokenize_headers (Plugin/Bayes.pm): which header lines are
// tokenized, their pre-chewing, the *MI/*Ad/*UA aliases, name compression and joining.
// Lines are Perl byte strings (binary strings) as Message::Node::get_all_headers returns them.
import { BAYES_IGNORE_HEADERS } from '../data/bayes-ignore-headers.js';
import {
  HEADER_NAME_COMPRESSION,
  IGNORED_HDRS_LINE_RE,
  MARK_PRESENCE_ONLY_HDRS_RE,
} from '../data/bayes-header-tables.js';
import { preChewAddrHeader, preChewContentType, preChewMessageId, preChewReceived } from './prechew.js';

const RECEIVED_LINE = /^Received:/i;
const NON_WS = /[^\t\n\x0B\f\r ]/;
// Header-name tests; Perl's `$` also matches before a final "\n".
const MSGID_HDR = /^(?:|X-|Resent-)Message-Id(?=\n?$)/i;
const ADDR_HDR =
  /^(?:|X-|Resent-)(?:Return-Path|From|To|Cc|Reply-To|Errors-To|Mail-Followup-To|Sender)(?=\n?$)/i;
const RELAYS_HDR = /^x-spam-relays-(?:external|internal|trusted|untrusted)(?=\n?$)/;
const RELAY_KEYS_G = / [a-z]+=/g;
const MID_ALIAS = /^(?:In-Reply-To|References|Message-ID)(?=\n?$)/i;
const ADDR_ALIAS = /^(?:From|To|Cc)(?=\n?$)/i;
const UA_ALIAS = /^(?:X-Mailer|User-Agent)(?=\n?$)/i;
const MIME_VERSION_10 = /1\.0/;

// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\x00-\x7f]/;
const ASCII_UPPER_G = /[A-Z]+/g;

/** Perl lc on a byte string (ASCII letters only); toLowerCase agrees on pure ASCII. */
function asciiLower(s: string): string {
  return NON_ASCII.test(s) ? s.replace(ASCII_UPPER_G, (m) => m.toLowerCase()) : s.toLowerCase();
}

/** get_all_metadata(): "key: value\n" lines, keys sorted (Perl string order), values '' if undefined. */
export function metadataLines(metadata: Record<string, string>): string[] {
  const keys = Object.keys(metadata).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return keys.map((k) => `${k}: ${metadata[k] ?? ''}\n`);
}

/**
 * _tokenize_headers: prefix (compressed header name or alias) -> value to tokenize with "H<prefix>:".
 * `headers` are get_all_headers() lines ("Name: value\n"), `metadata` get_all_metadata()'s strings.
 * The Map keeps first-insertion order (Perl iterates its hash in random order; that only matters when
 * the 10000 header-token cap is reached).
 */
export function tokenizeHeaders(headers: readonly string[], metadata: Record<string, string>): Map<string, string> {
  const parsed = new Map<string, string>();
  const add = (key: string, val: string): void => {
    const prev = parsed.get(key);
    parsed.set(key, prev === undefined ? val : prev + ' ' + val);
  };

  const hdrs: string[] = [];
  const rcvd: string[] = [];
  for (const line of headers) {
    if (RECEIVED_LINE.test(line)) {
      rcvd.push(line);
      continue;
    }
    if (IGNORED_HDRS_LINE_RE.test(line)) continue;
    hdrs.push(line);
  }
  for (const l of metadataLines(metadata)) hdrs.push(l);
  // Re-add the last two Received lines (bottom-most first).
  if (rcvd.length >= 1) hdrs.push(rcvd[rcvd.length - 1]!);
  if (rcvd.length >= 2) hdrs.push(rcvd[rcvd.length - 2]!);

  for (const line of hdrs) {
    if (!NON_WS.test(line)) continue;
    const colon = line.indexOf(':');
    let hdr = colon === -1 ? line : line.slice(0, colon);
    let val = colon === -1 ? '' : line.slice(colon + 1);
    if (BAYES_IGNORE_HEADERS.has(asciiLower(hdr))) continue;

    if (val === '0') val = ''; // $val ||= ''
    if (val.endsWith('\n')) val = val.slice(0, -1); // chomp

    if (MSGID_HDR.test(hdr)) val = preChewMessageId(val);
    else if (ADDR_HDR.test(hdr)) val = preChewAddrHeader(val);
    else if (hdr === 'Received') val = preChewReceived(val);
    else if (hdr === 'Content-Type') val = preChewContentType(val);
    else if (hdr === 'MIME-Version') val = val.replace(MIME_VERSION_10, '');
    else if (MARK_PRESENCE_ONLY_HDRS_RE.test(hdr)) val = '1';
    else if (RELAYS_HDR.test(hdr)) val = val.replace(RELAY_KEYS_G, ' ');

    if (MID_ALIAS.test(hdr)) add('*MI', val);
    if (ADDR_ALIAS.test(hdr)) add('*Ad', val);
    if (UA_ALIAS.test(hdr)) add('*UA', val);

    hdr = HEADER_NAME_COMPRESSION.get(hdr) ?? hdr;
    add(hdr, val);
  }
  return parsed;
}

/** Header prefixes whose tokens come from the x-spam-relays-* metadata (the "relay" region). */
export const RELAY_PREFIXES: ReadonlySet<string> = new Set([
  '*RT',
  '*RU',
  'x-spam-relays-internal',
  'x-spam-relays-external',
]);
