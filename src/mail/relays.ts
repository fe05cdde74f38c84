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

/** ASCII-only lc, as Perl's on byte strings. */
function lcAscii(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

/** Node.pm get_header(name) in list context (values without the "\n"). */
function allValues(headers: ReadonlyArray<readonly [string, string]>, lcName: string): string[] {
  const out: string[] = [];
  for (const [name, value] of headers) if (name.length === lcName.length && lcAscii(name) === lcName) out.push(value);
  return out;
}

const INTL_FLAG = / intl=[0-9] /;
const MSA_FLAG = / msa=[0-9] /;

/** parse_received_headers, returning the relay lists. */
export function classifyRelays(
  headers: ReadonlyArray<readonly [name: string, decodedValue: string]>,
  opts: RelayOptions = {},
): RelayLists {
  // get_header('Received') in list context; each value gets "\n", which the parser's \s+ folding drops
  const lines = allValues(headers, 'received').map((v) => v + '\n');

  // single-line headers like X-Originating-IP become synthetic Received lines (bug 5680)
  for (const h of opts.originatingIpHeaders ?? ORIGINATING_IP_HEADERS) {
    const values = allValues(headers, lcAscii(h));
    if (values.length === 0) continue;
    // scalar get_header: the last instance
    const ip = firstIpAddress(values[values.length - 1]! + '\n');
    if (ip !== undefined) lines.push(`from X-Originating-IP: ${ip}\n`);
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

  for (const raw of lines) {
    // qmail-scanner hack: an envelope-from saved from the previous (more recent) header
    let qmsEnvFrom: string | undefined;
    if (ctx.qmailScannerEnvFrom !== undefined && ctx.qmailScannerEnvFrom !== '' && ctx.qmailScannerEnvFrom !== '0') {
      qmsEnvFrom = ctx.qmailScannerEnvFrom;
    }
    ctx.qmailScannerEnvFrom = undefined;

    const line = raw.replace(/\n[ \t]+/g, ' ');
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

    const relay: ClassifiedRelay = { ...parsed, asString, internal: inInternal ? 1 : 0, msa: 0 };
    asString = asString.replace(INTL_FLAG, ` intl=${relay.internal} `);
    relay.asString = asString.replace(MSA_FLAG, ` msa=${relay.msa} `);

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

// Mirrors Mail::SpamAssassin::Message::Metadata::Received::parse_received_headers.
export function relayMetadata(
  headers: Array<[name: string, decodedValue: string]>,
  opts: RelayOptions = {},
): Record<string, string> {
  const l = classifyRelays(headers, opts);
  const join = (rs: ClassifiedRelay[]): string => rs.map((r) => r.asString).join(' ');
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
