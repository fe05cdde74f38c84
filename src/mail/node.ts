// Mirrors Mail::SpamAssassin::Message::Node (Message/Node.pm): header store (header, get_header,
// get_all_headers), find_parts, decode. Rendering lives in render.ts.

import { decodeHeader } from './header-decode.js';
import { lcAscii, parseContentType, type ContentType } from './content-type.js';
import { base64Decode, qpDecode } from './transfer.js';

/** get_all_headers stops adding headers once their total size exceeds this (Constants.pm MAX_HEADER_LENGTH). */
export const MAX_HEADER_LENGTH = 65536;

const RE_UNFOLD = /\n[ \t]+/g;
const RE_CRLF = /\r\n/g;
const RE_TEXT_OR_MESSAGE = /^(?:text|message)\b\//i;

function isPerlSpaceByte(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

/** s/\s+$//; s/^\s+// on a byte string (Perl \s: [\t\n\x0B\f\r ]). */
export function trimPerlSpace(s: string): string {
  let j = s.length;
  while (j > 0 && isPerlSpaceByte(s.charCodeAt(j - 1))) j--;
  let i = 0;
  while (i < j && isPerlSpaceByte(s.charCodeAt(i))) i++;
  return i === 0 && j === s.length ? s : s.slice(i, j);
}

export class MimeNode {
  /** lc(name) -> decoded values in order. */
  private readonly decoded = new Map<string, string[]>();
  /** Original header names in order of appearance. */
  readonly headerOrder: string[] = [];
  /** lc() of each headerOrder entry. */
  private readonly headerOrderLc: string[] = [];
  /** The decoded value of each headerOrder entry. */
  private readonly headerOrderDecoded: string[] = [];
  /** The raw value of each headerOrder entry. */
  private readonly headerOrderRaw: string[] = [];
  /** getAllHeaders() result, dropped when a header is added. */
  private allHeaders: string[] | undefined = undefined;

  /** Parsed MIME type ('text/plain', ...). */
  type = '';
  charset: string | undefined = undefined;
  name: string | undefined = undefined;
  boundary: string | undefined = undefined;
  /** Body lines of a leaf (each with its line ending), undefined for containers. */
  raw: string[] | undefined = undefined;
  /** Children; defined iff the node is not a leaf (Node.pm::is_leaf). */
  bodyParts: MimeNode[] | undefined = undefined;
  private decodedBody: string | undefined = undefined;
  /** contentType() result and the Content-Type value it was parsed from. */
  private ctParsed: ContentType | undefined = undefined;
  private ctValue: string | undefined = undefined;

  /** Node.pm::header($key, $value): store a header (raw value, decoded copy). */
  addHeader(rawKey: string, rawValue: string): string {
    const key = lcAscii(rawKey);
    this.headerOrder.push(rawKey);
    this.headerOrderLc.push(key);
    this.allHeaders = undefined;
    let dec = this.decoded.get(key);
    if (!dec) {
      dec = [];
      this.decoded.set(key, dec);
    }
    // s/\n[ \t]+/ /g; s/\s+$//; s/^\s+//
    // (no fold when the only "\n" is the last character, as in most one-line values)
    const nl = rawValue.indexOf('\n');
    const unfolded = trimPerlSpace(nl !== -1 && nl < rawValue.length - 1 ? rawValue.replace(RE_UNFOLD, ' ') : rawValue);
    const value = decodeHeader(unfolded, key);
    dec.push(value);
    this.headerOrderDecoded.push(value);
    this.headerOrderRaw.push(rawValue);
    return value;
  }

  /**
   * The last decoded instance of a header, WITHOUT the trailing "\n" that Perl's get_header appends,
   * or undefined when absent. (Perl scalar get_header(name) === getHeader(name) + "\n".)
   */
  getHeader(name: string): string | undefined {
    return this.lastDecoded(lcAscii(name));
  }

  /** getHeader for an already lowercased name. */
  private lastDecoded(key: string): string | undefined {
    const v = this.decoded.get(key);
    return v && v.length > 0 ? v[v.length - 1] : undefined;
  }

  /** Util.pm::parse_content_type of the last Content-Type header (parsed once per value). */
  contentType(): ContentType {
    const v = this.lastDecoded('content-type');
    if (this.ctParsed === undefined || v !== this.ctValue) {
      this.ctParsed = parseContentType(v);
      this.ctValue = v;
    }
    return this.ctParsed;
  }

  /** All decoded instances of a header in order, without trailing "\n". */
  getHeaders(name: string): string[] {
    return this.decoded.get(lcAscii(name))?.slice() ?? [];
  }

  /** Node.pm::header($name) in scalar context: last decoded value or ''. */
  headerScalar(name: string): string {
    return this.getHeader(name) ?? '';
  }

  /** Raw (undecoded, folded) instances of a header. */
  getRawHeaders(name: string): string[] {
    const key = lcAscii(name);
    return this.headerOrderRaw.filter((_v, i) => this.headerOrderLc[i] === key);
  }

  /**
   * Node.pm::get_all_headers(0, 0): "Original-Name: decoded value\n" per header in original order.
   * Headers are visited grouped by lowercased name (in order of first appearance) while summing
   * length(name)+length(value\n)+2; once the sum exceeds MAX_HEADER_LENGTH the rest is dropped.
   */
  getAllHeaders(): string[] {
    this.allHeaders ??= this.buildAllHeaders();
    return this.allHeaders.slice();
  }

  private buildAllHeaders(): string[] {
    // The size sum does not depend on the visiting order: when the total stays within the limit, every
    // header is kept, in original order.
    const names = this.headerOrder;
    const values = this.headerOrderDecoded;
    let total = 0;
    for (let i = 0; i < names.length; i++) total += names[i]!.length + values[i]!.length + 3;
    if (total <= MAX_HEADER_LENGTH) {
      const out: string[] = new Array(names.length);
      for (let i = 0; i < names.length; i++) out[i] = names[i] + ': ' + values[i] + '\n';
      return out;
    }
    return this.buildAllHeadersCapped();
  }

  private buildAllHeadersCapped(): string[] {
    const positions = new Map<string, number[]>();
    this.headerOrderLc.forEach((lk, i) => {
      const p = positions.get(lk);
      if (p) p.push(i);
      else positions.set(lk, [i]);
    });
    const lines: (string | undefined)[] = new Array(this.headerOrder.length);
    let size = 0;
    let truncated = false;
    outer: for (const [name, pos] of positions) {
      const values = this.decoded.get(name) ?? [];
      for (let j = 0; j < values.length; j++) {
        const contents = values[j]! + '\n';
        size += name.length + contents.length + 2;
        if (size > MAX_HEADER_LENGTH) {
          truncated = true;
          break outer;
        }
        const p = pos[j]!;
        lines[p] = this.headerOrder[p] + ': ' + contents;
      }
    }
    const out: string[] = [];
    for (const l of lines) if (l !== undefined) out.push(l);
    void truncated;
    return out;
  }

  /** [original name, decoded value] for every header instance in original order (no size cap). */
  headerEntries(): Array<[string, string]> {
    const values = this.headerOrderDecoded;
    return this.headerOrder.map((k, i) => [k, values[i]!] as [string, string]);
  }

  isLeaf(): boolean {
    return this.bodyParts === undefined;
  }

  addBodyPart(part: MimeNode): void {
    (this.bodyParts ??= []).push(part);
  }

  /** Node.pm::find_parts(qr/./, 1): leaves with a non-empty type, depth-first pre-order. */
  findLeaves(): MimeNode[] {
    const ret: MimeNode[] = [];
    const stack: MimeNode[] = [this];
    while (stack.length > 0) {
      const part = stack.pop()!;
      const leaf = part.isLeaf();
      if (leaf && part.type !== '') ret.push(part);
      if (!leaf) {
        const kids = part.bodyParts!;
        for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
      }
    }
    return ret;
  }

  /** Node.pm::decode(): transfer-decoded body (binary string), or undefined without raw data. */
  decode(): string | undefined {
    if (this.decodedBody !== undefined) return this.decodedBody;
    if (this.raw === undefined) return undefined;
    const raw = this.raw.join('');
    const enc = lcAscii(this.lastDecoded('content-transfer-encoding') ?? '');
    let out: string;
    if (enc === 'quoted-printable') {
      out = qpDecode(raw).replace(RE_CRLF, '\n');
    } else if (enc === 'base64') {
      out = base64Decode(raw);
      if (RE_TEXT_OR_MESSAGE.test(this.type)) out = out.replace(RE_CRLF, '\n');
    } else {
      out = raw;
    }
    this.decodedBody = out;
    return out;
  }

  /** Drop raw and decoded data once a message/rfc822 part has been parsed into children. */
  releaseBody(): void {
    this.raw = undefined;
    this.decodedBody = undefined;
  }
}
