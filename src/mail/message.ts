// Mirrors Mail::SpamAssassin::Message::new (Message.pm): mbox separator, CRLF mode, the top-level header
// loop with its error rules and limits, the pristine body, the body line array (20-blank-lines rule)
// and the multipart newline insertion. MIME parsing is lazy (mime.ts), as in Perl.

import { MimeNode } from './node.js';
import { bin } from './perlstr.js';
import { parseBody, type ParseItem } from './mime.js';

/** Header names longer than this are truncated (Constants.pm MAX_HEADER_KEY_LENGTH). */
export const MAX_HEADER_KEY_LENGTH = 256;
/** Raw header values longer than this are truncated (Constants.pm MAX_HEADER_VALUE_LENGTH). */
export const MAX_HEADER_VALUE_LENGTH = 8192;
/** Runs of more blank body lines are shortened to this many (Message.pm::new). */
export const MAX_BLANK_LINES = 20;
/** Default MIME recursion depth (Message.pm::new `subparse`). */
export const DEFAULT_SUBPARSE = 20;
/** More invalid header lines than this end the header section (Message.pm::new). */
const MAX_HEADER_ERRORS = 3;

const RE_MBOX_FROM = /^From[\t\n\x0B\f\r ]+(?!:)/;
// Constants.pm MBX_SEPARATOR
const RE_MBX = /^([\t\n\x0B\f\r 0-9]\d-[a-zA-Z]{3}-\d{4}[\t\n\x0B\f\r ]\d{2}:\d{2}:\d{2}[^\n]*),(\d+);([\da-f]{12})-(\w{8})\r?\n?$/;
const RE_MBX_DATE = /([\t\n\x0B\f\r 0-9]\d)-([a-zA-Z]{3})-(\d{4})[\t\n\x0B\f\r ](\d{2}):(\d{2}):(\d{2})/;
const RE_FROM_ANGLE = /^From:[^<]*<([^>]+)>/;
const RE_FROM_PLAIN = /^From:[\t\n\x0B\f\r ]*([^<> ]+)/;
const RE_BARE_LF = /(?<!\r)\n/g;
const RE_CRLF = /\r\n/g;
const RE_HEADER_NAME = /^[\x21-\x39\x3b-\x7e]+[ \t]*:/;
const RE_NON_WS = /[^\t\n\x0B\f\r ]/;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** Perl split(/^/m, $s, -1): lines each keeping its "\n"; a final piece without "\n" is kept. */
export function splitLines(s: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (;;) {
    const nl = s.indexOf('\n', start);
    if (nl === -1) break;
    out.push(s.slice(start, nl + 1));
    start = nl + 1;
  }
  if (start < s.length) out.push(s.slice(start));
  return out;
}

export class Message extends MimeNode {
  /** The mbox "From " line (with its line ending), if the message had one. */
  mboxSep: string | undefined = undefined;
  /** "\r\n" if the first or last line had CRLF (bug 4363), else "\n". */
  lineEnding: '\n' | '\r\n' = '\n';
  /** Header section exactly as read (including the separator line). */
  pristineHeaders = '';
  /** Body exactly as read (binary string, CRLF kept). */
  pristineBody = '';
  /** Pending MIME parse work; undefined once parsed (Message.pm `parse_queue`). */
  parseQueue: ParseItem[] | undefined;

  /** Message.pm::find_parts trigger: run the MIME parser if not done yet. */
  ensureParsed(): this {
    if (this.parseQueue !== undefined) parseBody(this);
    return this;
  }

  /** Leaves of the MIME tree in document order (Message.pm::find_parts(qr/./, 1)). */
  leaves(): MimeNode[] {
    return this.ensureParsed().findLeaves();
  }

  /** The mbox separator (if any) followed by getAllHeaders(): Node.pm::get_all_headers(0, 1). */
  getAllHeadersWithMbox(): string[] {
    const h = this.getAllHeaders();
    return this.mboxSep !== undefined ? [this.mboxSep, ...h] : h;
  }
}

/** Build the mbox separator Message.pm derives from an MBX separator line (local time = UTC here). */
function mbxToMbox(line: string, lines: string[]): string | undefined {
  const m = RE_MBX_DATE.exec(line);
  if (!m) return undefined;
  const mon = MONTHS.indexOf(m[2]!.toLowerCase());
  const t = Date.UTC(Number(m[3]), mon, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
  let address = '';
  for (const l of lines) {
    const a = RE_FROM_ANGLE.exec(l);
    if (a) {
      address = a[1]!;
      break;
    }
    const b = RE_FROM_PLAIN.exec(l);
    if (b) {
      address = b[1]!;
      break;
    }
  }
  const dow = DAYS[new Date(t).getUTCDay()]!;
  return `From ${address} ${dow} ${m[2]} ${m[1]} ${m[4]}:${m[5]}:${m[6]} ${m[3]}\n`;
}

/** Message.pm::new on raw bytes (From_ line included, as sa-learn hands it over). */
export function parseMessage(raw: Buffer): Message {
  return parseMessageString(bin(raw), DEFAULT_SUBPARSE);
}

/** Message.pm::new on a binary string; `subparse` = remaining MIME depth. */
export function parseMessageString(rawStr: string, subparse: number): Message {
  const self = new Message();
  let message = splitLines(rawStr);
  // `message` concatenated is rawStr from offset sepLen on, except for the empty message of bug 4884
  const exact = message.length > 0;
  if (!exact) message = ['\n']; // bug 4884
  let sepLen = 0;

  if (RE_MBOX_FROM.test(message[0]!)) {
    self.mboxSep = message.shift()!;
    sepLen = self.mboxSep.length;
  } else if (RE_MBX.test(message[0]!)) {
    const line = message.shift()!;
    sepLen = line.length;
    self.mboxSep = mbxToMbox(line, message);
  }

  // A message made of the From_ line only leaves no line at all.
  const first = message[0];
  const last = message[message.length - 1];
  if ((first !== undefined && first.includes('\r\n')) || (last !== undefined && last.includes('\r\n'))) {
    self.lineEnding = '\r\n';
  }
  const squashCrlf = self.lineEnding === '\r\n';

  // Header loop.
  let hdrErrors = 0;
  let header: string | undefined;
  let pos = 0;
  // the header lines as read, needed only when they may differ from rawStr (CRLF squashing, bug 4884)
  const keepLines = squashCrlf || !exact;
  const pristineHeaders: string[] = [];
  for (;;) {
    const eof = pos >= message.length;
    let current = eof ? self.lineEnding : message[pos++]!;
    if (squashCrlf) current = current.replace(RE_BARE_LF, '\r\n');

    if (current.charCodeAt(0) === 0x20 || current.charCodeAt(0) === 0x09) {
      header = (header ?? '') + current;
      if (keepLines) pristineHeaders.push(current);
      continue;
    }
    if (header !== undefined) commitTopHeader(self, header, squashCrlf);

    if (current === self.lineEnding) {
      if (!eof && keepLines) pristineHeaders.push(current);
      break;
    } else if (current.startsWith('--')) {
      pos--; // the line stays in the body
      break;
    } else if (!RE_HEADER_NAME.test(current)) {
      if (++hdrErrors > MAX_HEADER_ERRORS) {
        pos--;
        break;
      }
    }
    header = current;
    if (keepLines) pristineHeaders.push(current);
  }
  const body = message.slice(pos);
  if (exact) {
    // the header lines were pushed unchanged unless CRLF squashing rewrote them
    let bodyStart = sepLen;
    for (let i = 0; i < pos; i++) bodyStart += message[i]!.length;
    self.pristineHeaders = squashCrlf ? pristineHeaders.join('') : rawStr.slice(sepLen, bodyStart);
    self.pristineBody = rawStr.slice(bodyStart);
  } else {
    self.pristineHeaders = pristineHeaders.join('');
    self.pristineBody = body.join('');
  }

  collapseBlankLines(body, squashCrlf);

  const ct = self.contentType();
  self.type = ct.type;
  const boundary = ct.boundary;
  if (self.type.startsWith('multipart/') && body.length > 1 && RE_NON_WS.test(body[0]!)) {
    if (boundary === undefined || !body[0]!.startsWith('--' + boundary)) body.unshift('\n');
  }

  self.parseQueue = [{ node: self, boundary, body, subparse }];
  return self;
}

/** Split an accumulated top-level header at its first ':' and store it (limits applied). */
function commitTopHeader(self: Message, header: string, squashCrlf: boolean): void {
  const colon = header.indexOf(':');
  if (colon === -1) return; // not "foo:bar": dropped
  let key = header.slice(0, colon);
  let value = header.slice(colon + 1);
  if (squashCrlf) value = value.replace(RE_CRLF, '\n');
  let k = key.length; // s/[ \t]+$//
  while (k > 0 && (key.charCodeAt(k - 1) === 0x20 || key.charCodeAt(k - 1) === 0x09)) k--;
  if (k < key.length) key = key.slice(0, k);
  if (key.length > MAX_HEADER_KEY_LENGTH) key = key.slice(0, MAX_HEADER_KEY_LENGTH);
  if (value.length > MAX_HEADER_VALUE_LENGTH) value = value.slice(0, MAX_HEADER_VALUE_LENGTH);
  self.addHeader(key, value);
}

/** /^\s*$/ on a body line (Perl byte \s; `$` may precede a final "\n", which \s covers anyway). */
function isBlank(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c !== 0x20 && (c < 0x09 || c > 0x0d)) return false;
  }
  return true;
}

/**
 * Message.pm::new, reverse scan: CRLF -> LF on each body line (CRLF mode), and runs of more than
 * MAX_BLANK_LINES whitespace-only lines shortened (including its quirk for a run reaching line 0).
 */
function collapseBlankLines(message: string[], squashCrlf: boolean): void {
  let start: number | undefined;
  for (let cnt = message.length - 1; cnt >= 0; cnt--) {
    if (squashCrlf && message[cnt]!.endsWith('\r\n')) message[cnt] = message[cnt]!.slice(0, -2) + '\n';
    if (isBlank(message[cnt]!)) {
      if (start === undefined) start = cnt;
      if (cnt !== 0) continue;
    }
    if (start !== undefined) {
      const num = start - cnt;
      if (num > MAX_BLANK_LINES) message.splice(cnt + 2, num - MAX_BLANK_LINES);
      start = undefined;
    }
  }
}
