// Mirrors Mail::SpamAssassin::ArchiveIterator::_scan_mailbox and _run_mailbox (ArchiveIterator.pm):
// how sa-learn --mbox splits a file into messages. Streamed: the file is read in chunks and never held
// whole in memory; only the current message is buffered (and not even that once it is over the limit).
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { SaTrainError } from '../errors.js';

/** Chunk size for reading mbox files: large enough to amortise syscalls, small enough to stream. */
const READ_CHUNK_BYTES = 1 << 20;

/**
 * SpamAssassin's default From_ regex (ArchiveIterator.pm, mbox_format_from_regex unset), with Perl's
 * byte semantics spelled out: \S is [^\t\n\x0B\f\r ], `.` is any byte but "\n".
 * Applied to the raw line including its line ending; not anchored at the end.
 */
const FROM_RE = /^From [^\t\n\x0B\f\r ]+  ?(?:[^\t\n\x0B\f\r ]{3} [^\t\n\x0B\f\r ]{3} [^\n]?\d [^\n]?\d:\d\d:\d\d \d{4}|[^\n]?\d-\d\d-\d{4}_\d\d:\d\d:\d\d_)/;

const FROM_PREFIX = Buffer.from('From ', 'latin1');

export function isFromLine(line: Buffer): boolean {
  if (line.length < 5 || line.compare(FROM_PREFIX, 0, 5, 0, 5) !== 0) return false;
  // The regex only looks at the start of the line: 200 bytes are more than the longest match needs
  // except for an absurd envelope sender, for which we fall back to the whole line.
  const head = line.length > 512 ? line.subarray(0, 512) : line;
  if (FROM_RE.test(head.toString('latin1'))) return true;
  return head !== line && FROM_RE.test(line.toString('latin1'));
}

export interface MboxMessage {
  /** The message bytes, From_ line included, exactly as ArchiveIterator hands them to the parser. */
  raw: Buffer;
  /** 1-based number of the message in the file. */
  index: number;
  /** Byte offset of its From_ line. */
  offset: number;
}

export interface MboxSkip {
  index: number;
  offset: number;
  size: number;
  reason: 'too-big';
}

export interface MboxOptions {
  /** Messages larger than this many bytes (From_ line included) are skipped; 0 = no limit. */
  maxSize: number;
  onSkip?: (skip: MboxSkip) => void;
}

async function* fileChunks(path: string): AsyncGenerator<Buffer> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw new SaTrainError('SOURCE_UNREADABLE', `cannot open ${path}: ${(e as Error).message}`, { file: path }, { cause: e });
  }
  try {
    for (;;) {
      // A fresh buffer per read: the lines we yield are views into it.
      const buf = Buffer.allocUnsafe(READ_CHUNK_BYTES);
      let n: number;
      try {
        ({ bytesRead: n } = await fh.read(buf, 0, buf.length, null));
      } catch (e) {
        throw new SaTrainError('SOURCE_UNREADABLE', `cannot read ${path}: ${(e as Error).message}`, { file: path }, { cause: e });
      }
      if (n === 0) break;
      yield buf.subarray(0, n);
    }
  } finally {
    await fh.close();
  }
}

const NL = 0x0a;
const FROM_AFTER_NL = Buffer.from('\nFrom ', 'latin1');

/**
 * Split an mbox stream into messages as SpamAssassin does: everything before the first From_ line is
 * ignored; a message runs from its From_ line to the next one; `>From ` lines are left alone; a From_
 * line that is the very last line of the input yields no message (the scan loop stops at EOF before
 * recording it).
 *
 * Works on whole chunks: only lines that start with "From " are looked at (found with indexOf), and a
 * message is gathered as slices of the chunks between its From_ lines; the incomplete last line of a
 * chunk is carried into the next one.
 */
export async function* splitMbox(chunks: AsyncIterable<Buffer>, opts: MboxOptions): AsyncGenerator<MboxMessage> {
  let parts: Buffer[] = [];
  let size = 0;
  let index = 0;
  let offset = 0; // of the current message's From_ line
  let fromLen = 0; // length of the current message's From_ line
  let inMessage = false;
  let tooBig = false;
  let base = 0; // stream offset of buf[0]
  let carry: Buffer | null = null; // an incomplete line at the end of the previous chunk

  const add = (bytes: Buffer): void => {
    if (!inMessage || bytes.length === 0) return; // preamble
    size += bytes.length;
    if (tooBig) return;
    if (opts.maxSize > 0 && size > opts.maxSize) {
      tooBig = true;
      parts = [];
      return;
    }
    parts.push(bytes);
  };
  const finish = (): MboxMessage | null => {
    if (!inMessage) return null;
    if (tooBig) {
      opts.onSkip?.({ index, offset, size, reason: 'too-big' });
      return null;
    }
    return { raw: parts.length === 1 ? Buffer.from(parts[0]!) : Buffer.concat(parts, size), index, offset };
  };
  const start = (at: number, lineLen: number): void => {
    index += 1;
    inMessage = true;
    offset = at;
    fromLen = lineLen;
    parts = [];
    size = 0;
    tooBig = false;
  };

  for await (const chunk of chunks) {
    const buf: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
    carry = null;
    const complete = buf.lastIndexOf(NL) + 1; // complete lines are buf[0, complete)
    let seg = 0; // start of the bytes not yet added to the current message
    // buf[0] always starts a line; the other candidates follow a "\n".
    let lineStart = 0;
    while (lineStart < complete) {
      if (buf[lineStart] === 0x46 /* F */) {
        const lineEnd = buf.indexOf(NL, lineStart) + 1;
        const line = buf.subarray(lineStart, lineEnd);
        if (isFromLine(line)) {
          add(buf.subarray(seg, lineStart));
          const done = finish();
          if (done) yield done;
          start(base + lineStart, line.length);
          seg = lineStart;
        }
      }
      const nl = buf.indexOf(FROM_AFTER_NL, lineStart);
      if (nl < 0) break;
      lineStart = nl + 1;
    }
    add(buf.subarray(seg, complete));
    if (complete < buf.length) carry = buf.subarray(complete);
    base += complete;
  }
  if (carry && carry.length) {
    // The last line has no "\n".
    if (isFromLine(carry)) {
      add(Buffer.alloc(0));
      const done = finish();
      if (done) yield done;
      start(base, carry.length);
    }
    add(carry);
  }
  if (inMessage && size === fromLen) return; // From_ line at EOF: SpamAssassin records no message
  const done = finish();
  if (done) yield done;
}

/** Split an mbox file from disk. */
export function readMbox(path: string, opts: MboxOptions): AsyncGenerator<MboxMessage> {
  return splitMbox(fileChunks(path), opts);
}

/** Split an mbox arriving on a stream (for example decrypted GnuPG output). */
export function readMboxStream(stream: Readable, opts: MboxOptions): AsyncGenerator<MboxMessage> {
  return splitMbox(stream as AsyncIterable<Buffer>, opts);
}
