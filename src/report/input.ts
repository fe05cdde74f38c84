// The message Dovecot pipes in: read to EOF (Sieve's pipe fails when the program stops reading early),
// keep at most the size limit, drop a leading mbox From_ line, and tell a message from anything else.
import type { Readable } from 'node:stream';

export interface ReadResult {
  /** The bytes kept (all of them, or the first `limit` + 1 when the input is larger). */
  data: Buffer;
  /** Total bytes read. */
  total: number;
  tooLarge: boolean;
}

/** Read `input` to its end; keep no more than `limit` + 1 bytes in memory. */
export async function readAll(input: Readable, limit: number): Promise<ReadResult> {
  const chunks: Buffer[] = [];
  let kept = 0;
  let total = 0;
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
    total += b.length;
    if (kept <= limit) {
      const take = Math.min(b.length, limit + 1 - kept);
      chunks.push(take === b.length ? b : b.subarray(0, take));
      kept += take;
    }
  }
  return { data: Buffer.concat(chunks, kept), total, tooLarge: total > limit };
}

export type InputVerdict =
  | { ok: true; message: string }
  | { ok: false; reason: 'empty' | 'not-a-message' | 'too-large'; detail: string };

// The first line must be a header field (RFC 5322 2.2: printable ASCII name, then a colon).
const FIRST_FIELD = /^[\x21-\x39\x3B-\x7E]+[ \t]*:/;
const FROM_LINE = /^From [^\r\n]*\r?\n/;
const BLANK = /^[ \t\r\n]*$/;

/** Check what was read; `message` is a binary string without the From_ line. */
export function classifyInput(r: ReadResult, limit: number): InputVerdict {
  if (r.total === 0 || BLANK.test(r.data.subarray(0, 4096).toString('latin1')) && r.total <= 4096)
    return { ok: false, reason: 'empty', detail: 'empty message on stdin' };
  if (r.tooLarge) return { ok: false, reason: 'too-large', detail: `message of ${r.total} bytes is over max_message_size (${limit} bytes)` };
  let s = r.data.toString('latin1');
  const from = FROM_LINE.exec(s);
  if (from) s = s.slice(from[0].length);
  if (!FIRST_FIELD.test(s)) return { ok: false, reason: 'not-a-message', detail: 'input does not start with a header field: not a mail message' };
  // NUL bytes in the header section are never mail (RFC 5322 2.2); a body may be binary (CTE binary).
  const headerEnd = s.search(/\r?\n\r?\n/);
  const header = headerEnd < 0 ? s : s.slice(0, headerEnd);
  if (header.includes('\0')) return { ok: false, reason: 'not-a-message', detail: 'NUL bytes in the header section: not a mail message' };
  return { ok: true, message: s };
}
