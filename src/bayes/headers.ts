// Mirrors Mail::SpamAssassin::Plugin::Bayes::_tokenize_headers (Plugin/Bayes.pm): which header lines are
// tokenized, their pre-chewing, the *MI/*Ad/*UA aliases, name compression and joining.
// Lines are Perl byte strings (binary strings) as Message::Node::get_all_headers returns them.
import { BAYES_IGNORE_HEADERS } from '../data/bayes-ignore-headers.js';
import {
  HEADER_NAME_COMPRESSION,
  IGNORED_HDRS_LINE_RE,
  MARK_PRESENCE_ONLY_HDRS_RE,
} from '../data/bayes-header-tables.js';
import { preChewAddrHeaderPieces, preChewContentType, preChewMessageId, preChewReceived } from './prechew.js';

const RECEIVED_LINE = /^Received:/i;
const NON_WS = /[^\t\n\x0B\f\r ]/;
const RELAY_KEYS_G = / [a-z]+=/g;

// The header-name tests of _tokenize_headers, all exact names (Perl's `$` also matches before a final
// "\n"), looked up once per header: lc(name) -> the tests it passes. The /i tests become lc comparisons
// (a JS /i without the u flag folds ASCII letters only, as Perl does on bytes).
/** /^(?:|X-|Resent-)Message-Id$/i */
const IS_MSGID = 1;
/** /^(?:|X-|Resent-)(?:Return-Path|From|To|Cc|Reply-To|Errors-To|Mail-Followup-To|Sender)$/i */
const IS_ADDR = 2;
/** /^(?:In-Reply-To|References|Message-ID)$/i: also tokenized as *MI */
const ALIAS_MI = 4;
/** /^(?:From|To|Cc)$/i: also tokenized as *Ad */
const ALIAS_AD = 8;
/** /^(?:X-Mailer|User-Agent)$/i: also tokenized as *UA */
const ALIAS_UA = 16;
/** lc(name) of a HEADER_NAME_COMPRESSION key: the (case-sensitive) map may have the name */
const MAY_COMPRESS = 32;
/** /^x-spam-relays-(?:external|internal|trusted|untrusted)$/ (case-sensitive: compared as written) */
const RELAYS_HDRS: ReadonlySet<string> = new Set(
  ['external', 'internal', 'trusted', 'untrusted'].map((k) => 'x-spam-relays-' + k),
);
const NAME_TESTS: ReadonlyMap<string, number> = (() => {
  const m = new Map<string, number>();
  const flag = (name: string, f: number): void => {
    m.set(name, (m.get(name) ?? 0) | f);
  };
  for (const pre of ['', 'x-', 'resent-']) {
    flag(pre + 'message-id', IS_MSGID);
    for (const n of ['return-path', 'from', 'to', 'cc', 'reply-to', 'errors-to', 'mail-followup-to', 'sender']) {
      flag(pre + n, IS_ADDR);
    }
  }
  for (const n of ['in-reply-to', 'references', 'message-id']) flag(n, ALIAS_MI);
  for (const n of ['from', 'to', 'cc']) flag(n, ALIAS_AD);
  for (const n of ['x-mailer', 'user-agent']) flag(n, ALIAS_UA);
  for (const n of HEADER_NAME_COMPRESSION.keys()) flag(n.toLowerCase(), MAY_COMPRESS); // ASCII names
  return m;
})();
const MIME_VERSION_10 = /1\.0/;

// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\x00-\x7f]/;
const ASCII_UPPER_G = /[A-Z]+/g;

/** Perl \s on a byte: [\t\n\x0B\f\r ] */
function isPerlSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

/** Perl lc on a byte string (ASCII letters only); toLowerCase agrees on pure ASCII. */
function asciiLower(s: string): string {
  return NON_ASCII.test(s) ? s.replace(ASCII_UPPER_G, (m) => m.toLowerCase()) : s.toLowerCase();
}

/** get_all_metadata(): "key: value\n" lines, keys sorted (Perl string order), values '' if undefined. */
export function metadataLines(metadata: Record<string, string>): string[] {
  return sortedKeys(metadata).map((k) => metadataLine(metadata, k));
}

/** Keys in Perl string order (UTF-16 code unit order = byte order on binary strings). */
function sortedKeys(metadata: Record<string, string>): string[] {
  return Object.keys(metadata).sort();
}

function metadataLine(metadata: Record<string, string>, k: string): string {
  return `${k}: ${metadata[k] ?? ''}\n`;
}

/**
 * _tokenize_headers: prefix (compressed header name or alias) -> value to tokenize with "H<prefix>:".
 * `headers` are get_all_headers() lines ("Name: value\n"), `metadata` get_all_metadata()'s strings.
 * The Map keeps first-insertion order (Perl iterates its hash in random order; that only matters when
 * the 10000 header-token cap is reached).
 */
export function tokenizeHeaders(headers: readonly string[], metadata: Record<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, pieces] of tokenizeHeaderPieces(headers, metadata)) out.set(k, pieces.join(' '));
  return out;
}

/**
 * tokenizeHeaders with each value as pieces whose join(' ') is the value (one piece per header, or the
 * preChewAddrHeaderPieces of an address header): the tokenizer reads a piece repeated within a value
 * once (see tokenize.ts).
 */
export function tokenizeHeaderPieces(headers: readonly string[], metadata: Record<string, string>): Map<string, string[]> {
  const parsed = new Map<string, string[]>();
  // `val + ' ' + next` for each further header of a key
  const add = (key: string, val: readonly string[]): void => {
    const prev = parsed.get(key);
    if (prev === undefined) parsed.set(key, val.slice());
    else for (let i = 0; i < val.length; i++) prev.push(val[i]!);
  };

  const hdrs: string[] = [];
  const rcvd: string[] = [];
  for (let i = 0; i < headers.length; i++) {
    const line = headers[i]!;
    if (RECEIVED_LINE.test(line)) {
      rcvd.push(line);
      continue;
    }
    if (IGNORED_HDRS_LINE_RE.test(line)) continue;
    hdrs.push(line);
  }
  // metadataLines() inlined: its result for no metadata is an array of another kind (a deopt here)
  const keys = sortedKeys(metadata);
  for (let i = 0; i < keys.length; i++) hdrs.push(metadataLine(metadata, keys[i]!));
  // Re-add the last two Received lines (bottom-most first).
  if (rcvd.length >= 1) hdrs.push(rcvd[rcvd.length - 1]!);
  if (rcvd.length >= 2) hdrs.push(rcvd[rcvd.length - 2]!);

  for (let i = 0; i < hdrs.length; i++) {
    const line = hdrs[i]!;
    if (!(line.length > 0 && !isPerlSpace(line.charCodeAt(0))) && !NON_WS.test(line)) continue;
    const colon = line.indexOf(':');
    let hdr = colon === -1 ? line : line.slice(0, colon);
    let val = colon === -1 ? '' : line.slice(colon + 1);
    const lc = asciiLower(hdr);
    if (BAYES_IGNORE_HEADERS.has(lc)) continue;

    if (val === '0') val = ''; // $val ||= ''
    if (val.endsWith('\n')) val = val.slice(0, -1); // chomp

    // the name tests end in (?=\n?$)
    const exact = hdr.endsWith('\n') ? hdr.slice(0, -1) : hdr;
    const tests = NAME_TESTS.get(exact === hdr ? lc : lc.slice(0, -1)) ?? 0;
    let pieces: string[] | undefined;
    if (tests & IS_MSGID) val = preChewMessageId(val);
    else if (tests & IS_ADDR) {
      pieces = preChewAddrHeaderPieces(val);
      if (pieces.length === 0) pieces.push(''); // the value '' (still joined with ' ' to the next one)
    } else if (hdr === 'Received') val = preChewReceived(val);
    else if (hdr === 'Content-Type') val = preChewContentType(val);
    else if (hdr === 'MIME-Version') val = val.replace(MIME_VERSION_10, '');
    else if (MARK_PRESENCE_ONLY_HDRS_RE.test(hdr)) val = '1';
    else if (RELAYS_HDRS.has(exact)) val = val.replace(RELAY_KEYS_G, ' ');

    pieces ??= [val];
    if (tests & ALIAS_MI) add('*MI', pieces);
    if (tests & ALIAS_AD) add('*Ad', pieces);
    if (tests & ALIAS_UA) add('*UA', pieces);

    if (tests & MAY_COMPRESS) hdr = HEADER_NAME_COMPRESSION.get(hdr) ?? hdr;
    add(hdr, pieces);
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
