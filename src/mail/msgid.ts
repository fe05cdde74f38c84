// Mirrors Mail::SpamAssassin::Message::get_pristine_body_digest, generate_msgid and get_msgid (Message.pm).

import { createHash } from 'node:crypto';
import type { Message } from './message.js';

const RE_CRLF = /\r\n/g;
const RE_MSGID = /^[\t\n\x0B\f\r ]*<([\s\S]+)>[\t\n\x0B\f\r ]*$/;

function sha1Hex(binary: string): string {
  return createHash('sha1').update(binary, 'latin1').digest('hex');
}

/** Hex SHA-1 of the pristine body; in CRLF mode every "\r\n" is hashed as "\n" (lone "\r" kept). */
export function bodyDigest(msg: Message): string {
  const body = msg.lineEnding === '\r\n' ? msg.pristineBody.replace(RE_CRLF, '\n') : msg.pristineBody;
  return sha1Hex(body);
}

/** generate_msgid: sha1_hex(To . "\0" . Date . "\0" . body_digest) . '@sa_generated'. */
export function generateMsgid(msg: Message): string {
  // Perl's get_header returns the last decoded value plus "\n", or undef (then '').
  const to = msg.getHeader('To');
  const date = msg.getHeader('Date');
  const toStr = to === undefined ? '' : to + '\n';
  const dateStr = date === undefined ? '' : date + '\n';
  return sha1Hex(toStr + '\0' + dateStr + '\0' + bodyDigest(msg)) + '@sa_generated';
}

/** get_msgid: the last Message-Id between <>, surrounding whitespace removed; null if none. */
export function getMsgid(msg: Message): string | null {
  const v = msg.getHeader('Message-Id');
  if (v === undefined) return null;
  const m = RE_MSGID.exec(v + '\n');
  return m ? m[1]! : null;
}
