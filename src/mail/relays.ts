// Mirrors Mail::SpamAssassin::Message::Metadata::parse_received_headers and make_relay_as_string
// (Message/Metadata/Received.pm), under the default configuration (no trusted_networks /
// internal_networks / msa_networks configured, so trust is inferred; no suppl_attrib "originating").
//
// What else parse_received_headers does to the message, for the header tokenizer:
//  - it deletes existing X-Spam-Relays-* headers, but Node.pm::delete_header matches with
//    /^${hdr}$/io: the /o freezes the pattern at its first use in the process, which in sa-learn is
//    always "X-Spam-Relays-Trusted". So only X-Spam-Relays-Trusted headers (any case) disappear;
//    X-Spam-Relays-Untrusted/Internal/External headers present in the input stay and are tokenized
//    (see `deletedByMetadataExtraction`) [verified with tools/probes/relays.pl].
//  - it stores the four strings with put_metadata; with the default plugins (TextCat, RelayCountry,
//    ASN, ExtractText not loaded) these are the only metadata keys get_all_metadata returns during
//    learning (PerMsgStatus::extract_message_metadata, which adds X-SenderDomain/X-AuthorDomain, is not
//    on the learning path) [verified].

import { ORIGINATING_IP_HEADERS } from '../data/originating-ip-headers.js';
import { firstIpAddress } from './ip.js';
import { parseReceivedLine, type ParseContext, type Relay } from './received.js';

export type { Relay } from './received.js';

export const RELAY_KEYS = [
  'x-spam-relays-trusted',
  'x-spam-relays-untrusted',
  'x-spam-relays-internal',
  'x-spam-relays-external',
] as const;

export interface RelayOptions {
  /** Conf.pm originating_ip_headers, in order (default: the installed configuration's list). */
  originatingIpHeaders?: readonly string[];
}

/** A relay as parse_received_headers keeps it: the parse plus its string form and final flags. */
export interface ClassifiedRelay extends Relay {
  asString: string;
  internal: 0 | 1;
  msa: 0 | 1;
}

export interface RelayLists {
  trusted: ClassifiedRelay[];
  untrusted: ClassifiedRelay[];
  internal: ClassifiedRelay[];
  external: ClassifiedRelay[];
  /** Received lines parse_received_line could not parse (num_relays_unparseable). */
  unparseable: number;
}

/** make_relay_as_string (intl and msa are always 0 here; parse_received_headers patches them). */
export function makeRelayAsString(r: Relay): string {
  // `$relay->{envfrom} || ''`: Perl-false "0" prints as empty too
  const envfrom = r.envfrom === undefined || r.envfrom === '0' ? '' : r.envfrom;
  return `[ ip=${r.ip} rdns=${r.rdns} helo=${r.helo} by=${r.by} ident=${r.ident} envfrom=${envfrom} intl=0 id=${r.id} auth=${r.auth} msa=0 ]`;
}

// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\x00-\x7f]/;
const ASCII_UPPER_G = /[A-Z]+/g;

/** ASCII-only lc, as Perl's on byte strings. */
function lcAscii(s: string): string {
  // toLowerCase agrees on pure ASCII (it would also fold Latin-1 letters)
  return NON_ASCII.test(s) ? s.replace(ASCII_UPPER_G, (m) => m.toLowerCase()) : s.toLowerCase();
}

/**
 * Node.pm get_header(name) in list context (values without the "\n") for several lower-case names at
 * once: one list per name, in `lcNames` order, from one pass over the headers.
 */
function valuesOf(headers: ReadonlyArray<readonly [string, string]>, lcNames: readonly string[]): string[][] {
  const out: string[][] = lcNames.map(() => []);
  for (let k = 0; k < headers.length; k++) {
    const header = headers[k]!;
    const name = header[0];
    let lk: string | undefined;
    for (let i = 0; i < lcNames.length; i++) {
      const want = lcNames[i]!;
      if (name.length !== want.length) continue;
      lk ??= lcAscii(name);
      if (lk === want) out[i]!.push(header[1]);
    }
  }
  return out;
}

const INTL_FLAG = / intl=[0-9] /;
const MSA_FLAG = / msa=[0-9] /;

/** The lower-cased names classifyRelays reads: Received, then the originating-IP headers. */
function wantedNames(originating: readonly string[]): string[] {
  return ['received', ...originating.map(lcAscii)];
}
const DEFAULT_WANTED = wantedNames(ORIGINATING_IP_HEADERS);

/** parse_received_headers, returning the relay lists. */
export function classifyRelays(
  headers: ReadonlyArray<readonly [name: string, decodedValue: string]>,
  opts: RelayOptions = {},
): RelayLists {
  const wanted = opts.originatingIpHeaders ? wantedNames(opts.originatingIpHeaders) : DEFAULT_WANTED;
  const found = valuesOf(headers, wanted);
  // get_header('Received') in list context. Perl appends "\n" to each value and unfolds "\n[ \t]+" to
  // " " before parse_received_line; both only touch whitespace runs, which parse_received_line
  // squeezes (s/\s+/ /g, then trims) anyway, so the values go in as they are.
  const lines = found[0]!;

  // single-line headers like X-Originating-IP become synthetic Received lines (bug 5680)
  for (let h = 1; h < found.length; h++) {
    const values = found[h]!;
    if (values.length === 0) continue;
    // scalar get_header: the last instance
    const ip = firstIpAddress(values[values.length - 1]! + '\n');
    if (ip !== undefined) lines.push(`from X-Originating-IP: ${ip}`);
  }

  let trusted: ClassifiedRelay[] = [];
  const untrusted: ClassifiedRelay[] = [];
  let internal: ClassifiedRelay[] = [];
  let external: ClassifiedRelay[] = [];
  let unparseable = 0;
  let inTrusted = true;
  let inInternal = true;
  // must be set for the first Received header
  let allowMailfetchMarkers = true;

  const ctx: ParseContext = {
    // found_pop_fetcher_sig: restart the parse (untrusted is not reset)
    foundPopFetcherSig() {
      if (allowMailfetchMarkers) {
        trusted = [];
        internal = [];
        external = [];
      }
    },
    qmailScannerEnvFrom: undefined,
  };

  for (const line of lines) {
    // qmail-scanner hack: an envelope-from saved from the previous (more recent) header
    let qmsEnvFrom: string | undefined;
    if (ctx.qmailScannerEnvFrom !== undefined && ctx.qmailScannerEnvFrom !== '' && ctx.qmailScannerEnvFrom !== '0') {
      qmsEnvFrom = ctx.qmailScannerEnvFrom;
    }
    ctx.qmailScannerEnvFrom = undefined;

    const parsed = parseReceivedLine(line, ctx);
    if (parsed === undefined) unparseable++;
    if (!parsed) continue;

    if (qmsEnvFrom !== undefined) parsed.envfrom = qmsEnvFrom;
    let asString = makeRelayAsString(parsed);

    // trust inference: private IPs and authenticated hops extend the trusted area
    if (inTrusted) {
      const inferredAsTrusted = parsed.ipPrivate || (parsed.auth !== '' && parsed.auth !== '0');
      if (!inferredAsTrusted) {
        inTrusted = false;
        inInternal = false;
      }
    }

    const intl = inInternal ? 1 : 0;
    // The first " intl=N " is the real field: no field before it holds a space. A " msa=N " before the
    // real (already 0) one can only come from an auth string with spaces (e.g. the GMail cipher).
    if (intl) asString = asString.replace(INTL_FLAG, ' intl=1 ');
    if (parsed.auth.includes(' msa=')) asString = asString.replace(MSA_FLAG, ' msa=0 ');
    const relay: ClassifiedRelay = {
      ip: parsed.ip,
      by: parsed.by,
      helo: parsed.helo,
      id: parsed.id,
      ident: parsed.ident,
      envfrom: parsed.envfrom,
      auth: parsed.auth,
      rdns: parsed.rdns,
      noReverseDns: parsed.noReverseDns,
      rdnsNotInHeaders: parsed.rdnsNotInHeaders,
      ipPrivate: parsed.ipPrivate,
      asString,
      internal: intl,
      msa: 0,
    };

    if (inTrusted) {
      trusted.push(relay);
      allowMailfetchMarkers = true;
    } else {
      untrusted.push(relay);
      allowMailfetchMarkers = false;
    }
    if (inInternal) internal.push(relay);
    else external.push(relay);
  }
  return { trusted, untrusted, internal, external, unparseable };
}

/** The relays' strings joined with spaces. */
function join(rs: readonly ClassifiedRelay[]): string {
  let out = '';
  for (let i = 0; i < rs.length; i++) out += i === 0 ? rs[i]!.asString : ' ' + rs[i]!.asString;
  return out;
}

// Mirrors Mail::SpamAssassin::Message::Metadata::Received::parse_received_headers.
export function relayMetadata(
  headers: Array<[name: string, decodedValue: string]>,
  opts: RelayOptions = {},
): Record<string, string> {
  const l = classifyRelays(headers, opts);
  return {
    'x-spam-relays-trusted': join(l.trusted),
    'x-spam-relays-untrusted': join(l.untrusted),
    'x-spam-relays-internal': join(l.internal),
    'x-spam-relays-external': join(l.external),
  };
}

const DELETED_HEADER = /^X-Spam-Relays-Trusted$/i;

/**
 * True for the header instances extract_message_metadata removes from the message before the Bayes
 * tokenizer reads get_all_headers: only X-Spam-Relays-Trusted (see the note at the top).
 */
export function deletedByMetadataExtraction(name: string): boolean {
  return DELETED_HEADER.test(name);
}
