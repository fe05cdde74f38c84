// Mirrors Mail::SpamAssassin::Message::Node::rendered (Message/Node.pm) and
// Mail::SpamAssassin::Message::get_body_text_array_common + split_into_array_of_short_lines (Message.pm):
// the visible, invisible and "all" text arrays handed to the Bayes tokenizer and the URI extractor.

import { normalize } from './charset.js';
import { renderHtml } from './html.js';
import { bytes, utf8Encode, type PerlStr } from './perlstr.js';
import { MAX_BODY_LINE_LENGTH } from './mime.js';
import type { MimeNode } from './node.js';
import type { Message } from './message.js';

/** Default conf body_part_scan_size: each part's rendering is truncated to about this many characters. */
export const BODY_PART_SCAN_SIZE = 50000;
/** The truncation looks this far past BODY_PART_SCAN_SIZE for a newline or space (Message.pm). */
const SCAN_SIZE_SLACK = 1024;

/** One leaf rendered once (Node.pm::rendered): undefined texts for non-text parts. */
export interface RenderedPart {
  type: string;
  visible: PerlStr;
  invisible: PerlStr;
  all: PerlStr;
  /** URIs HTML.pm collected (only for a non-empty text/html rendering). */
  htmlUris: PerlStr[];
}

export interface RenderedBody {
  /** get_visible_rendered_body_text_array: subject line first; binary strings. */
  visible: string[];
  /** get_invisible_rendered_body_text_array; binary strings. */
  invisible: string[];
  /** get_rendered_body_text_array (input of the text URI extraction); binary strings. */
  all: string[];
  /** URIs from every rendered text/html part, in part order (metadata html_all). */
  htmlUris: PerlStr[];
}

const RE_HTML_NAME = /\.s?html?\n?$/i;
const RE_SURROGATE = /[\uD800-\uDFFF]/;

/** Node.pm::effective_type: a name ending in .htm/.html/.shtml makes any part text/html. */
export function effectiveType(part: MimeNode): string {
  return part.name !== undefined && RE_HTML_NAME.test(part.name) ? 'text/html' : part.type;
}

/** Node.pm::rendered for one leaf; undefined when the part is not text/plain or text/html. */
export function renderPart(part: MimeNode): RenderedPart | undefined {
  const type = effectiveType(part);
  if (type !== 'text/plain' && type !== 'text/html') return undefined;
  const text = part.decode() ?? '';
  const charset = part.charset ?? 'us-ascii';
  const decoded = normalize(text, charset, true);
  if (text !== '' && type === 'text/html') {
    const h = renderHtml(decoded);
    return { type: 'text/html', visible: h.visible, invisible: h.invisible, all: h.all, htmlUris: h.uris };
  }
  return { type, visible: decoded, invisible: bytes(''), all: decoded, htmlUris: [] };
}

/** Index of `needle` at or after code point `fromCp` in `s`, in code points (-1 if none). */
function cpIndexOf(cps: string[], needle: string, fromCp: number): number {
  for (let i = fromCp; i < cps.length; i++) if (cps[i] === needle) return i;
  return -1;
}

/**
 * Message.pm::get_body_text_array_common truncation: cut after the first "\n" (else " ") found at or
 * past the scan size when within SCAN_SIZE_SLACK, else hard cut. Lengths count characters (code
 * points) for character strings and bytes for byte strings.
 */
export function truncateRendering(p: PerlStr, scanSize = BODY_PART_SCAN_SIZE): PerlStr {
  if (scanSize <= 0) return p;
  const s = p.s;
  if (s.length <= scanSize) return p; // code points <= UTF-16 units, so never longer in code points
  if (p.chars && RE_SURROGATE.test(s)) {
    const cps = Array.from(s);
    if (cps.length <= scanSize) return p;
    let idx = cpIndexOf(cps, '\n', scanSize);
    if (idx >= 0 && idx - scanSize <= SCAN_SIZE_SLACK) return { s: cps.slice(0, idx + 1).join(''), chars: true };
    idx = cpIndexOf(cps, ' ', scanSize);
    if (idx >= 0 && idx - scanSize <= SCAN_SIZE_SLACK) return { s: cps.slice(0, idx + 1).join(''), chars: true };
    return { s: cps.slice(0, scanSize).join(''), chars: true };
  }
  let idx = s.indexOf('\n', scanSize);
  if (idx >= 0 && idx - scanSize <= SCAN_SIZE_SLACK) return { s: s.slice(0, idx + 1), chars: p.chars };
  idx = s.indexOf(' ', scanSize);
  if (idx >= 0 && idx - scanSize <= SCAN_SIZE_SLACK) return { s: s.slice(0, idx + 1), chars: p.chars };
  return { s: s.slice(0, scanSize), chars: p.chars };
}

/** Message.pm::split_into_array_of_short_lines on a byte string. */
export function splitIntoShortLines(text: string): string[] {
  const result: string[] = [];
  let start = 0;
  while (start < text.length) {
    const nl = text.indexOf('\n', start);
    let line = nl === -1 ? text.slice(start) : text.slice(start, nl + 1);
    start = nl === -1 ? text.length : nl + 1;
    while (line.length > MAX_BODY_LINE_LENGTH) {
      const len = line.lastIndexOf(' ', MAX_BODY_LINE_LENGTH) + 1 || MAX_BODY_LINE_LENGTH;
      result.push(line.slice(0, len));
      line = line.slice(len);
    }
    result.push(line);
  }
  return result;
}

// Perl \s on byte strings, and on character strings (Unicode White_Space). (The *_NOSP forms leave
// out the space character.)
const WS_BYTES_NOSP = '\\t\\n\\x0B\\f\\r';
const WS_CHARS_NOSP = '\\t\\n\\x0B\\f\\r\\x85\\xA0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000';
// The maximal \s runs that collapseWhitespace changes (all but a single ' '), and NULs.
const RE_RUN_BYTES = new RegExp(` [${WS_BYTES_NOSP} ]+|[${WS_BYTES_NOSP}][${WS_BYTES_NOSP} ]*|\\x00`, 'g');
const RE_RUN_CHARS = new RegExp(` [${WS_CHARS_NOSP} ]+|[${WS_CHARS_NOSP}][${WS_CHARS_NOSP} ]*|\\x00`, 'g');

/** What one run of RE_RUN_* becomes (see collapseWhitespace). */
function collapseRun(run: string): string {
  if (run === '\x00') return '\n';
  const first = run.indexOf('\n');
  if (first < 0) return ' ';
  const last = run.lastIndexOf('\n');
  if (first === last) return ' ';
  return (first > 0 ? ' \n' : '\n') + (last < run.length - 1 ? ' ' : '');
}

/**
 * Whitespace handling of get_body_text_array_common, then utf8::encode if a character string:
 * s/\n+\s*\n+/\x00/g; s/\s+/ /g; s/\x00/\n/g, in one pass. Within a maximal \s run, the first
 * substitution takes the first through the last "\n" when there are two or more; the second turns
 * what is left on either side into one space; every NUL (also one that was there) becomes "\n".
 */
export function collapseWhitespace(text: PerlStr): string {
  const s = text.s.replace(text.chars ? RE_RUN_CHARS : RE_RUN_BYTES, collapseRun);
  return text.chars ? utf8Encode(s) : s;
}

type Which = 'visible' | 'invisible' | 'all';

function assemble(
  parts: Array<RenderedPart | undefined>,
  which: Which,
  subject: string,
  scanSize: number,
): string[] {
  const pieces: string[] = [];
  let nonEmpty = false;
  let chars = false;
  for (const r of parts) {
    if (nonEmpty) pieces.push('\n');
    if (r === undefined) continue;
    const rnd = truncateRendering(r[which], scanSize);
    if (rnd.s !== '') nonEmpty = true;
    pieces.push(rnd.s);
    chars ||= rnd.chars;
  }
  return splitIntoShortLines(subject + collapseWhitespace({ s: pieces.join(''), chars }));
}

/**
 * The three arrays of Message.pm::get_body_text_array_common for a parsed message. Leaves are
 * rendered once. A message without any leaf gives three empty arrays (no subject line either).
 */
export function renderBody(msg: Message, scanSize = BODY_PART_SCAN_SIZE): RenderedBody {
  const leaves = msg.leaves();
  if (leaves.length === 0) return { visible: [], invisible: [], all: [], htmlUris: [] };
  const rendered = leaves.map(renderPart);
  const subj = msg.getHeader('subject');
  const subject = subj === undefined ? '\n' : subj + '\n';
  const htmlUris: PerlStr[] = [];
  // Only an HTML rendering has distinct visible/all texts and a non-empty invisible one; without
  // any, the visible and "all" arrays are the same lines and the invisible one is empty (assemble of
  // empty texts), so the work is done once.
  let split = false;
  let anyInvisible = false;
  for (const r of rendered) {
    if (r === undefined) continue;
    if (r.type === 'text/html') for (const u of r.htmlUris) htmlUris.push(u);
    if (r.visible !== r.all) split = true;
    if (r.invisible.s !== '') anyInvisible = true;
  }
  const all = assemble(rendered, 'all', subject, scanSize);
  return {
    visible: split ? assemble(rendered, 'visible', subject, scanSize) : all.slice(),
    invisible: anyInvisible ? assemble(rendered, 'invisible', '', scanSize) : [],
    all,
    htmlUris,
  };
}
