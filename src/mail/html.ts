// Mirrors Mail::SpamAssassin::HTML (HTML.pm: new(1,1), parse, get_rendered_text) as driven by
// Mail::SpamAssassin::Message::Node::rendered (Message/Node.pm) for a text/html part.

import type { PerlStr } from './perlstr.js';
import { HtmlTokenizer } from './html/tokenizer.js';
import { HtmlRenderer, MAX_FORCED_CLOSE, type Chunk } from './html/renderer.js';

export interface HtmlRendering {
  /** Node.pm visible_rendered: get_rendered_text(invisible => 0). */
  visible: PerlStr;
  /** Node.pm invisible_rendered: get_rendered_text(invisible => 1). */
  invisible: PerlStr;
  /** Node.pm rendered: get_rendered_text(). */
  all: PerlStr;
  /**
   * The keys of HTML.pm's uri hash (html_results->{uri_detail}, which PerMsgStatus hands to
   * add_uri_detail_list) in first-insertion order: push_uri's resolved URIs plus the anchor keys
   * html_tests/html_text create for every <a> (its trimmed raw href, or '' without one).
   */
  uris: PerlStr[];
}

const NBSP_ENTITY = /&nbsp;/g;
const SELF_CLOSE_BYTES = /<([A-Za-z0-9_]+)[\t\n\x0B\f\r ]*\/>/g;
const SELF_CLOSE_CHARS =
  /<([\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}]+)[\t\n\x0B\f\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*\/>/gu;
const SMART_QUOTES_CHARS = /[\u201C\u201D]/g;
const SMART_QUOTES_BYTES = /\xE2\x80[\x9C\x9D]/g;

const ALL = 0;
const VISIBLE = 1;
const INVISIBLE = 2;
type Which = typeof ALL | typeof VISIBLE | typeof INVISIBLE;

/**
 * Join the chunks of one rendering (all, visible or invisible) as Perl's join/.= does: byte chunks
 * are upgraded (their code points kept) if any chunk of that rendering is a character string.
 */
function joinChunks(chunks: Chunk[], which: Which): PerlStr {
  let s = '';
  let u = false;
  for (const c of chunks) {
    if (which !== ALL && c.inv !== (which === INVISIBLE)) continue;
    s += c.b;
    if (c.u) u = true;
  }
  return { s, chars: u };
}

/**
 * String.prototype.toWellFormed (ES2024, in Node 20): lone surrogates become U+FFFD, as a round trip
 * through UTF-8 does (HTML::Parser reads a character string's UTF-8 encoding).
 */
const toWellFormed = (s: string): string => (s as unknown as { toWellFormed(): string }).toWellFormed();

/** Render one HTML text exactly as Node.pm::rendered does with Mail::SpamAssassin::HTML. */
export function renderHtml(text: PerlStr): HtmlRendering {
  // HTML.pm::parse pre-processing
  // (each substitution only runs when the text has what it looks for)
  let s = text.s.replace(NBSP_ENTITY, ' ');
  if (s.includes('/>')) s = s.replace(text.chars ? SELF_CLOSE_CHARS : SELF_CLOSE_BYTES, '<$1>');
  // (on a character string, one regex scan: includes('\u201C') is slow on two-byte strings)
  if (text.chars) s = s.replace(SMART_QUOTES_CHARS, '"');
  else if (s.includes('\xE2\x80')) s = s.replace(SMART_QUOTES_BYTES, '"');

  const renderer = new HtmlRenderer();
  const tok = new HtmlTokenizer(renderer);
  tok.parse(text.chars ? toWellFormed(s) : s, text.chars);
  // bug 7437: close unclosed <style> and <script>
  for (let i = 0; i < MAX_FORCED_CLOSE && renderer.insideCount('style') > 0; i++) tok.parse('</style>', false);
  for (let i = 0; i < MAX_FORCED_CLOSE && renderer.insideCount('script') > 0; i++) tok.parse('</script>', false);
  tok.eof();

  const chunks = renderer.chunks;
  let invisibleChunks = 0;
  for (const c of chunks) if (c.inv) invisibleChunks++;
  // When every chunk is on one side, that side's rendering is the whole one (the same object, which
  // render.ts takes as "nothing to render twice") and the other side is empty.
  const all = joinChunks(chunks, ALL);
  const empty: PerlStr = { s: '', chars: false };
  const allVisible = invisibleChunks === 0;
  const allInvisible = invisibleChunks === chunks.length;
  return {
    all,
    visible: allVisible ? all : allInvisible ? empty : joinChunks(chunks, VISIBLE),
    invisible: allVisible ? empty : allInvisible ? all : joinChunks(chunks, INVISIBLE),
    uris: [...renderer.uriState.uris.values()],
  };
}
