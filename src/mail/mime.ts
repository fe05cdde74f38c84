// Mirrors Mail::SpamAssassin::Message::parse_body, _parse_multipart and _parse_normal (Message.pm):
// the MIME tree, message/rfc822 nesting, the 2048-byte body line split and the part limit.

import { MimeNode } from './node.js';
import { lcAscii } from './content-type.js';
import { parseMessageString, type Message } from './message.js';

/** Body lines longer than this are cut into pieces, each given a "\n" (Constants.pm MAX_BODY_LINE_LENGTH). */
export const MAX_BODY_LINE_LENGTH = 2048;
/** A multipart stops being parsed after this many parts (Message.pm::_parse_multipart). */
export const MAX_MIME_PARTS = 1000;

/** One entry of Message.pm's parse queue: node, boundary in force, body lines, remaining depth. */
export interface ParseItem {
  node: MimeNode;
  boundary: string | undefined;
  body: string[];
  subparse: number;
}

const RE_PART_HEADER = /^[\x21-\x39\x3b-\x7e]+[ \t]*:/;
const RE_HEADER_SPLIT = /:[\t\n\x0B\f\r ]*/;
const RE_BLANK_SEP = /^\r?\n?$/;
const RE_DISPOSITION_NAME = /name=[\t\n\x0B\f\r ]*"?([^";]+)"?/i;

/** /[\t\n\x0B\f\r ]*$/ from `from` to the end of `s` (Perl \s on bytes). */
function isWsFrom(s: string, from: number): boolean {
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 0x20 && (c < 0x09 || c > 0x0d)) return false;
  }
  return true;
}

/**
 * The boundary line tests of _parse_multipart, /^--\Q$boundary\E\s*$/ and /^--\Q$boundary\E(--)?\s*$/, as
 * plain comparisons (no per-boundary regex): 0 = no match, 1 = boundary, 2 = closing boundary ("--").
 * `delim` is "--" + boundary.
 */
function boundaryLine(line: string, delim: string): 0 | 1 | 2 {
  if (!line.startsWith(delim)) return 0;
  const n = delim.length;
  // (--)? is greedy: the closing form wins when the rest after it is whitespace
  if (line.charCodeAt(n) === 0x2d && line.charCodeAt(n + 1) === 0x2d && isWsFrom(line, n + 2)) return 2;
  return isWsFrom(line, n) ? 1 : 0;
}

/** Message.pm::parse_body: drain the queue of `msg` (which may grow with nested messages). */
export function parseBody(msg: Message): void {
  const queue = msg.parseQueue;
  if (queue === undefined) return;
  for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
    const node = item.node;
    if (node.type.startsWith('multipart/') && item.boundary !== undefined && item.subparse > 0) {
      parseMultipart(queue, item);
      continue;
    }
    parseNormal(item);
    // bug 5041 / 7125: message/rfc822 and message/global parts are parsed as nested messages.
    if (node.type.startsWith('message/') && node.type !== 'message/partial' && item.subparse > 0) {
      const decoded = node.decode();
      if ((node.type === 'message/rfc822' || node.type === 'message/global') && decoded !== undefined && decoded !== '') {
        const sub = parseMessageString(decoded, item.subparse - 1);
        node.addBodyPart(sub);
        queue.push(...(sub.parseQueue ?? []));
        sub.parseQueue = undefined;
        node.releaseBody();
      }
    }
  }
  msg.parseQueue = undefined;
}

/** Push `line` into `arr`, cut into MAX_BODY_LINE_LENGTH pieces each followed by an added "\n". */
function pushSplit(arr: string[], line: string): void {
  let l = line;
  while (l.length > MAX_BODY_LINE_LENGTH) {
    arr.push(l.slice(0, MAX_BODY_LINE_LENGTH) + '\n');
    l = l.slice(MAX_BODY_LINE_LENGTH);
  }
  arr.push(l);
}

function storePartHeader(part: MimeNode, header: string): string {
  const m = RE_HEADER_SPLIT.exec(header);
  if (!m) return header; // cannot happen: the line matched RE_PART_HEADER
  const key = header.slice(0, m.index);
  const value = header.slice(m.index + m[0].length);
  part.addHeader(key, value);
  return key;
}

/** Message.pm::_parse_multipart. */
function parseMultipart(queue: ParseItem[], item: ParseItem): void {
  const msg = item.node;
  const boundary = item.boundary!;
  let body = item.body;
  const subparse = item.subparse - 1;
  let nestedBoundary = false;
  msg.bodyParts = [];

  const delim = '--' + boundary;

  // Preamble: drop everything up to and including the first opening boundary, if any.
  for (let line = 0; line < body.length; line++) {
    if (boundaryLine(body[line]!, delim) === 1) {
      body = body.slice(line + 1);
      break;
    }
  }

  let part = new MimeNode();
  let inBody = false;
  let header: string | undefined;
  let partArray: string[] | undefined;
  let partcnt = 0;
  const last = body.length - 1;

  for (let li = 0; li < body.length; li++) {
    if (inBody) {
      // A run of body lines that cannot be a boundary (no leading '-'), is not the last line and needs no
      // splitting is appended as is.
      let j = li;
      while (j < last) {
        const l = body[j]!;
        if (l.charCodeAt(0) === 0x2d || l.length > MAX_BODY_LINE_LENGTH) break;
        j++;
      }
      if (j > li) {
        if (partArray === undefined) partArray = body.slice(li, j);
        else for (let k = li; k < j; k++) partArray.push(body[k]!);
        li = j - 1;
        continue;
      }
    }
    const cur = body[li]!;
    const bl = cur.charCodeAt(0) === 0x2d ? boundaryLine(cur, delim) : 0;
    let foundEnd = bl !== 0;
    let foundLastEnd = bl === 2;
    if (foundEnd && nestedBoundary) {
      foundEnd = false;
      if (foundLastEnd) nestedBoundary = false; // bug 7358: one level of a reused boundary
    }
    if (li === last || foundEnd) {
      if (!foundEnd) {
        // last line without a closing boundary: it belongs to the body (pending header is lost)
        partArray ??= [];
        pushSplit(partArray, cur);
      } else if (partArray) {
        const lastIdx = partArray.length - 1;
        const lastLine = partArray[lastIdx]!;
        partArray[lastIdx] = lastLine.endsWith('\n') ? lastLine.slice(0, -1) : lastLine; // chomp
        if (partArray[lastIdx] === '') partArray.pop();
      } else {
        partArray = [];
      }

      const ct = part.contentType();
      part.type = ct.type;
      if (ct.missing && msg.type === 'multipart/digest') part.type = 'message/rfc822'; // bug 5741
      const pBoundary = ct.boundary !== undefined && ct.boundary !== '' && ct.boundary !== '0' ? ct.boundary : boundary;

      queue.push({ node: part, boundary: pBoundary, body: partArray, subparse });
      msg.addBodyPart(part);

      if (foundLastEnd) return;
      if (++partcnt === MAX_MIME_PARTS) return;

      inBody = false;
      part = new MimeNode();
      partArray = undefined;
      header = undefined;
      continue;
    }

    if (!inBody) {
      if (RE_PART_HEADER.test(cur)) {
        if (header) storePartHeader(part, header);
        header = cur;
        continue;
      } else if ((cur.charCodeAt(0) === 0x20 || cur.charCodeAt(0) === 0x09) && header) {
        header += cur;
        continue;
      } else {
        if (header) {
          const key = storePartHeader(part, header);
          if (lcAscii(key) === 'content-type') {
            const nested = part.contentType().boundary;
            if (nested !== undefined && nested === boundary) nestedBoundary = true;
          }
        }
        inBody = true;
        if (RE_BLANK_SEP.test(cur)) continue;
      }
    }
    partArray ??= [];
    pushSplit(partArray, cur);
  }
}

/** Message.pm::_parse_normal: make `item.node` a leaf holding its body lines. */
function parseNormal(item: ParseItem): void {
  const msg = item.node;
  const ct = msg.contentType();
  if (!ct.missing) {
    msg.type = !ct.type.startsWith('multipart/') || item.boundary !== undefined ? ct.type : 'text/plain';
  }
  msg.charset = ct.charset;
  const disp = msg.headerScalar('content-disposition');
  const dm = RE_DISPOSITION_NAME.exec(disp);
  if (dm) msg.name = dm[1];
  else if (ct.name !== undefined && ct.name !== '' && ct.name !== '0') msg.name = ct.name;
  msg.boundary = item.boundary;
  msg.raw = item.body;
}
