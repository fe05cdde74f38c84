// Just enough MIME for sa-report to rewrite a message in place: header fields with their exact bytes,
// Content-Type parameters, multipart splitting that keeps every delimiter byte, and the transfer
// encodings (quoted-printable, base64, RFC 2047 encoded words). Messages are "binary strings" (one char
// per byte, see src/mail/perlstr.ts) so that untouched bytes round-trip exactly.

/** One header field exactly as it appeared: `raw` = name + ":" + value + the line end(s). */
export interface Field {
  /** Field name as written ('' for a line that is not a field: kept as is). */
  name: string;
  /** The bytes after the colon up to, not including, the field's final line end (folds included). */
  value: string;
  /** The field's final line end ('' at the end of input). */
  eol: string;
  raw: string;
}

export interface Entity {
  header: string;
  /** The empty line that ends the header ('' when there is none). */
  sep: string;
  body: string;
}

const HEADER_END = /\r?\n\r?\n/;
// A field name: printable US-ASCII except ":" (RFC 5322 ftext), optional blanks before the colon.
const FIELD_START = /^([\x21-\x39\x3B-\x7E]+)[ \t]*:/;

/** Split an entity at the first empty line. A message that starts with an empty line has no header. */
export function splitEntity(s: string): Entity {
  if (s.startsWith('\n') || s.startsWith('\r\n')) {
    const n = s.startsWith('\n') ? 1 : 2;
    return { header: '', sep: s.slice(0, n), body: s.slice(n) };
  }
  const m = HEADER_END.exec(s);
  if (!m) return { header: s, sep: '', body: '' };
  // The header keeps the line end of its last line; the separator is the empty line.
  const firstEol = m[0].startsWith('\r\n') ? 2 : 1;
  const cut = m.index + firstEol;
  return { header: s.slice(0, cut), sep: s.slice(cut, m.index + m[0].length), body: s.slice(m.index + m[0].length) };
}

/** The header's fields in order; concatenating their `raw` gives the header back byte for byte. */
export function parseFields(header: string): Field[] {
  const out: Field[] = [];
  let i = 0;
  const n = header.length;
  while (i < n) {
    // One field = its first line plus every following line that starts with a blank.
    let end = i;
    for (;;) {
      const nl = header.indexOf('\n', end);
      end = nl < 0 ? n : nl + 1;
      if (end >= n) break;
      const c = header.charCodeAt(end);
      if (c !== 0x20 && c !== 0x09) break;
    }
    const raw = header.slice(i, end);
    const eol = raw.endsWith('\r\n') ? '\r\n' : raw.endsWith('\n') ? '\n' : '';
    const m = FIELD_START.exec(raw);
    if (m) out.push({ name: m[1]!, value: raw.slice(m[0].length, raw.length - eol.length), eol, raw });
    else out.push({ name: '', value: raw.slice(0, raw.length - eol.length), eol, raw });
    i = end;
  }
  return out;
}

export function fieldRaw(name: string, value: string, eol: string): string {
  return `${name}:${value}${eol}`;
}

const FOLD = /\r?\n(?=[ \t])/g;
export const unfold = (v: string): string => v.replace(FOLD, '');

/** The first line end of `s` ('\r\n' or '\n'; '\n' when there is none). */
export function eolOf(s: string): string {
  const i = s.indexOf('\n');
  return i > 0 && s.charCodeAt(i - 1) === 0x0d ? '\r\n' : '\n';
}

export interface ContentType {
  /** lower-case "type/subtype"; "text/plain" when absent (RFC 2045 5.2). */
  mime: string;
  params: Map<string, string>;
}

const CT_TYPE = /^\s*([!#$%&'*+\-.^_`|~0-9A-Za-z]+)\s*\/\s*([!#$%&'*+\-.^_`|~0-9A-Za-z]+)/;
const CT_PARAM = /;\s*([!#$%&'*+\-.^_`|~0-9A-Za-z]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;\s]*)/g;

export function parseContentType(value: string | undefined): ContentType {
  const params = new Map<string, string>();
  if (value === undefined) return { mime: 'text/plain', params };
  const v = unfold(value).replace(/\([^()]*\)/g, ' ');
  const m = CT_TYPE.exec(v);
  const mime = m ? `${m[1]!.toLowerCase()}/${m[2]!.toLowerCase()}` : 'text/plain';
  for (const p of v.matchAll(CT_PARAM)) {
    let val = p[2]!;
    if (val.startsWith('"')) val = val.slice(1, -1).replace(/\\(.)/g, '$1');
    const key = p[1]!.toLowerCase();
    if (!params.has(key)) params.set(key, val);
  }
  return { mime, params };
}

/** The value of the first field called `name` (case-insensitive), or undefined. */
export function fieldValue(fields: readonly Field[], name: string): string | undefined {
  const lc = name.toLowerCase();
  for (const f of fields) if (f.name.toLowerCase() === lc) return f.value;
  return undefined;
}

export interface Multipart {
  preamble: string;
  /** Each delimiter line with the line end before it and after it, then the part's bytes. */
  parts: { delimiter: string; body: string }[];
  /** The close delimiter and everything after it ('' when the close delimiter is missing). */
  epilogue: string;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Split a multipart body at its delimiter lines (RFC 2046 5.1.1). The line end before a delimiter
 * belongs to the delimiter. Joining preamble, delimiters, bodies and epilogue gives the input back.
 */
export function splitMultipart(body: string, boundary: string): Multipart | null {
  const re = new RegExp(`(^|\\r?\\n)--${escapeRe(boundary)}(--)?[ \\t]*(\\r?\\n|$)`, 'g');
  const hits: { start: number; end: number; close: boolean }[] = [];
  for (const m of body.matchAll(re)) {
    hits.push({ start: m.index, end: m.index + m[0].length, close: m[2] !== undefined });
    if (m[2] !== undefined) break;
    // A delimiter that ended at "$" without a line end ends the body.
    if (m[3] === '') break;
  }
  if (hits.length === 0 || hits[0]!.close) return null;
  const parts: Multipart['parts'] = [];
  let epilogue = '';
  for (let k = 0; k < hits.length; k++) {
    const h = hits[k]!;
    if (h.close) {
      epilogue = body.slice(h.start);
      break;
    }
    const next = hits[k + 1];
    parts.push({ delimiter: body.slice(h.start, h.end), body: body.slice(h.end, next ? next.start : body.length) });
  }
  return { preamble: body.slice(0, hits[0]!.start), parts, epilogue };
}

export function joinMultipart(mp: Multipart): string {
  let s = mp.preamble;
  for (const p of mp.parts) s += p.delimiter + p.body;
  return s + mp.epilogue;
}

// --- transfer encodings (on binary strings) ---

const QP_SOFT = /=[ \t]*\r?\n/g;
const QP_BYTE = /=([0-9A-Fa-f]{2})/g;

export function qpDecode(s: string): string {
  return s.replace(QP_SOFT, '').replace(QP_BYTE, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

const QP_LINE = 76; // RFC 2045 6.7 rule 5: encoded lines at most 76 characters

/** Quoted-printable with `eol` as the hard line break; decoded line ends become hard breaks. */
export function qpEncode(s: string, eol: string): string {
  const lines = s.split(/\r?\n/);
  const out: string[] = [];
  for (const line of lines) {
    let cur = '';
    const chunks: string[] = [];
    for (let i = 0; i < line.length; i++) {
      const c = line.charCodeAt(i);
      const last = i === line.length - 1;
      let t: string;
      if ((c >= 33 && c <= 126 && c !== 61) || ((c === 32 || c === 9) && !last)) t = line[i]!;
      else t = `=${c.toString(16).toUpperCase().padStart(2, '0')}`;
      if (cur.length + t.length > QP_LINE - 1) {
        chunks.push(`${cur}=`);
        cur = '';
      }
      cur += t;
    }
    chunks.push(cur);
    out.push(chunks.join(eol));
  }
  return out.join(eol);
}

export function b64Decode(s: string): string {
  return Buffer.from(s.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64').toString('latin1');
}

export function b64Encode(s: string, lineLength: number, eol: string): string {
  const b = Buffer.from(s, 'latin1').toString('base64');
  const len = lineLength > 0 ? lineLength - (lineLength % 4) || 76 : 76;
  const out: string[] = [];
  for (let i = 0; i < b.length; i += len) out.push(b.slice(i, i + len));
  return out.join(eol);
}

// --- RFC 2047 encoded words ---

const ENCODED_WORD = /=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g;

function qWordDecode(s: string): string {
  return s.replace(/_/g, ' ').replace(QP_BYTE, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}
function qWordEncode(s: string): string {
  let o = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x21 || c === 0x2a || c === 0x2b || c === 0x2d || c === 0x2f) o += s[i];
    else if (c === 0x20) o += '_';
    else o += `=${c.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return o;
}

/**
 * Rewrite the decoded bytes of every encoded word with `fn`; a word whose bytes `fn` leaves unchanged
 * keeps its exact original text, a changed one is re-encoded with the same charset and encoding.
 */
export function mapEncodedWords(value: string, fn: (bytes: string) => string): string {
  return value.replace(ENCODED_WORD, (word, charset: string, enc: string, text: string) => {
    const b = enc === 'B' || enc === 'b';
    const bytes = b ? b64Decode(text) : qWordDecode(text);
    const out = fn(bytes);
    if (out === bytes) return word;
    return `=?${charset}?${enc}?${b ? Buffer.from(out, 'latin1').toString('base64') : qWordEncode(out)}?=`;
  });
}

export function decodeEncodedWords(value: string): string {
  return value.replace(ENCODED_WORD, (_w, _c, enc: string, text: string) => (enc === 'B' || enc === 'b' ? b64Decode(text) : qWordDecode(text)));
}
