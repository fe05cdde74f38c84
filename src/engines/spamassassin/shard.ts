// Sharding for parallel sa-learn runs. Messages that SpamAssassin treats as the same (same generated
// message id: SHA-1 of To, Date and the pristine body digest; Message.pm::generate_msgid) must be learned
// by the same sa-learn instance, so the shard key is the pristine body digest (equal ids imply equal
// digests). The header/body split mirrors the header loop of Message.pm::new.
import { createHash } from 'node:crypto';

/** Line `^[\041-\071\073-\176]+[ \t]*:`: a syntactically valid header field start. */
const HEADER_START = /^[\x21-\x39\x3b-\x7e]+[ \t]*:/;
/** SpamAssassin accepts this many malformed header lines before it decides the body has begun. */
const MAX_HEADER_ERRORS = 3;

function splitLines(s: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (;;) {
    const nl = s.indexOf('\n', start);
    if (nl < 0) break;
    out.push(s.slice(start, nl + 1));
    start = nl + 1;
  }
  if (start < s.length) out.push(s.slice(start));
  return out;
}

/** The pristine body (binary string) and line-ending mode of a raw message, as Message.pm::new finds them. */
export function pristineBody(raw: Buffer): { body: string; crlf: boolean } {
  const lines = splitLines(raw.toString('latin1'));
  if (!lines.length) lines.push('\n');
  let i = 0;
  if (/^From[\t\n\x0B\f\r ]+(?!:)/.test(lines[0]!)) i = 1;
  const first = lines[i] ?? '';
  const last = lines[lines.length - 1]!;
  const crlf = first.includes('\r\n') || (lines.length > i && last.includes('\r\n'));
  const ending = crlf ? '\r\n' : '\n';
  let errors = 0;
  let bodyStart = lines.length;
  let unshifted: string | null = null;
  for (; i <= lines.length; i++) {
    const eof = i === lines.length;
    let cur = eof ? ending : lines[i]!;
    if (crlf) cur = cur.replace(/(?<!\r)\n/g, '\r\n');
    if (cur.startsWith(' ') || cur.startsWith('\t')) continue;
    if (cur === ending) {
      bodyStart = eof ? lines.length : i + 1;
      break;
    }
    if (cur.startsWith('--') || (!HEADER_START.test(cur) && ++errors > MAX_HEADER_ERRORS)) {
      unshifted = cur; // put back into the body, with its line ending already squashed
      bodyStart = i + 1;
      break;
    }
  }
  const rest = lines.slice(bodyStart).join('');
  return { body: unshifted !== null ? unshifted + rest : rest, crlf };
}

/** Message.pm::get_pristine_body_digest: SHA-1 hex of the pristine body, CRLF read as LF in CRLF mode. */
export function bodyDigest(raw: Buffer): string {
  const { body, crlf } = pristineBody(raw);
  const text = crlf ? body.replace(/\r\n/g, '\n') : body;
  return createHash('sha1').update(Buffer.from(text, 'latin1')).digest('hex');
}

/** Shard number in [0, shards) for a message. */
export function shardOf(digest: string, shards: number): number {
  return parseInt(digest.slice(0, 8), 16) % shards;
}
