// Mirrors Mail::SpamAssassin::PerMsgStatus::get_uri_list (PerMsgStatus.pm) with get_uri_detail_list,
// _process_text_uri_list, _process_html_uri_list and add_uri_detail_list: the URI list the Bayes learner
// tokenizes. DKIM d= domains (_process_dkim_uri_list) are added with noclean and never reach the list.
import type { PerlStr } from './perlstr.js';
import { uriListCanonicalize } from './uri/canonicalize.js';
import { uriToDomain } from './uri/domain.js';
import { findTextUris } from './uri/text-uris.js';

/** PerMsgStatus.pm MAX_URI_LENGTH (Constants.pm): each cleaned URI is cut to this many characters. */
export const MAX_URI_LENGTH = 8192;

function truncate(u: PerlStr): PerlStr {
  if (u.s.length <= MAX_URI_LENGTH) return u;
  if (!u.chars) return { s: u.s.slice(0, MAX_URI_LENGTH), chars: false };
  // substr counts characters (code points) on a character string
  const cps = [...u.s];
  return cps.length <= MAX_URI_LENGTH ? u : { s: cps.slice(0, MAX_URI_LENGTH).join(''), chars: true };
}

/**
 * add_uri_detail_list(uri, types, source, valid_domain): the `cleaned` variants the URI contributes, or
 * undefined when it is dropped (valid_domain and no variant yields a domain).
 */
export function uriDetailCleaned(uri: PerlStr, validDomain: boolean): PerlStr[] | undefined {
  const cleaned = new Map<string, PerlStr>();
  let hasDomain = false;
  for (const v of uriListCanonicalize([uri])) {
    const c = truncate(v);
    if (!cleaned.has(c.s)) cleaned.set(c.s, c);
    if (validDomain && !hasDomain && uriToDomain(c) !== undefined) hasDomain = true;
  }
  if (cleaned.size === 0) return undefined;
  if (validDomain && !hasDomain) return undefined;
  return [...cleaned.values()];
}

/**
 * PerMsgStatus.pm get_uri_list: the unique URIs (and their canonicalized variants) of a message.
 * `allLines`: the "all" rendering lines (get_decoded_stripped_body_text_array), binary strings.
 * `htmlUris`: the values HTML.pm collected with push_uri (keys of each html_all entry's uri_detail).
 * Order: text URIs in discovery order, then HTML URIs in the given order (SpamAssassin uses hash order;
 * it only matters when the tokenizer's 10000-token URI cap is reached). When a byte string and a character
 * string have the same content, Perl keeps one hash key; here the first one seen.
 */
export function getUriList(allLines: string[], htmlUris: PerlStr[]): PerlStr[] {
  const result = new Map<string, PerlStr>();
  const add = (list: PerlStr[] | undefined): void => {
    if (!list) return;
    for (const u of list) if (!result.has(u.s)) result.set(u.s, u);
  };
  for (const uri of findTextUris(allLines)) add(uriDetailCleaned({ s: uri, chars: false }, true));
  const seenHtml = new Set<string>();
  for (const h of htmlUris) {
    if (seenHtml.has(h.s)) continue; // uri_detail is a hash keyed by the URI
    seenHtml.add(h.s);
    add(uriDetailCleaned(h, false));
  }
  return [...result.values()];
}
