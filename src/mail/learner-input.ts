// Mirrors what Plugin/Bayes.pm::learn_message gathers before tokenizing (sa-learn `wanted`: parse,
// remove_spamassassin_markup + re-parse when X-Spam-Checker-Version is present, generate_msgid, get_msgid,
// receive_date, extract_message_metadata, _get_msgdata_from_permsgstatus).

import type { PerlStr } from './perlstr.js';
import { parseMessage, parseMessageString, DEFAULT_SUBPARSE, type Message } from './message.js';
import { removeMarkup } from './markup.js';
import { generateMsgid, getMsgid } from './msgid.js';
import { receiveDate } from './date.js';
import { renderBody } from './render.js';
import { getUriList } from './uri.js';
import { relayMetadata, deletedByMetadataExtraction } from './relays.js';

export interface LearnerInput {
  msgid: string;
  hdrMsgid: string | null;
  /** receive_date, before the learner's "+1 day => now" clamp. */
  date: number;
  /** binary strings (UTF-8 octets or Latin-1 anomaly bytes) */
  visible: string[];
  invisible: string[];
  uris: PerlStr[];
  /** getAllHeaders() lines */
  headers: string[];
  /** x-spam-relays-* from relayMetadata */
  metadata: Record<string, string>;
}

/** sa-learn's `wanted`: parse, and re-parse without SpamAssassin markup if the message carries it. */
export function parseForLearning(raw: Buffer): Message {
  const msg = parseMessage(raw);
  // get_header returns value."\n", so any X-Spam-Checker-Version header (even empty) triggers this.
  if (msg.getHeader('X-Spam-Checker-Version') !== undefined) {
    return parseMessageString(removeMarkup(msg), DEFAULT_SUBPARSE);
  }
  return msg;
}

/** Everything the Bayes tokenizer needs for one raw message (From_ line included). */
export function learnerInput(raw: Buffer, now?: number): LearnerInput {
  const msg = parseForLearning(raw);
  const msgid = generateMsgid(msg);
  const hdrMsgid = getMsgid(msg);
  const date = receiveDate(msg.getAllHeadersWithMbox().join(''), now);
  const metadata = relayMetadata(msg.headerEntries());
  const body = renderBody(msg);
  const uris = getUriList(body.all, body.htmlUris);
  return {
    msgid,
    hdrMsgid,
    date,
    visible: body.visible,
    invisible: body.invisible,
    uris,
    // extract_message_metadata deletes existing X-Spam-Relays-Trusted headers before the learner reads
    // the header list (Message/Metadata/Received.pm; only that name, see deletedByMetadataExtraction).
    headers: msg.getAllHeaders().filter((l) => !deletedByMetadataExtraction(l.slice(0, l.indexOf(':')))),
    metadata,
  };
}
