// Mirrors Mail::SpamAssassin::HTML's rendering handlers (HTML.pm): html_tag, text_style,
// close_tag, close_table_tag, html_whitespace, html_tests (anchor bookkeeping), html_text,
// html_font_invisible and display_text, fed by the HtmlTokenizer events.

import type { PerlStr } from '../perlstr.js';
import {
  ELEMENTS, ELEMENTS_TEXT_STYLE, ELEMENTS_URI, ELEMENTS_WHITESPACE, OK_ATTRIBUTES, TRICKS,
} from '../../data/html-tables.js';
import { decodeEntities, type SvBuf } from './entities.js';
import type { RawAttr, TokenSink } from './tokenizer.js';
import { nameToRgb, parseCssBackground } from './colors.js';
import {
  DECL_BACKGROUND, DECL_BACKGROUND_COLOR, DECL_COLOR, DECL_DISPLAY, DECL_NONE, DECL_VISIBILITY,
  matchDeclaration, type Declaration,
} from './css.js';
import { captureTrimmed, isPerlSpace, leadingDigits, perlLc, perlNum, perlTrue, reClasses } from './perl.js';
import { addUriKey, canonUri, htmlUri, URI_ATTRS, URI_RENAMED, type Attrs, type UriState } from './uris.js';

interface Style {
  tag: string;
  fgcolor: string;
  bgcolor: string;
  size: number;
  display?: PerlStr;
  visibility?: PerlStr;
  /** html_font_invisible's verdict, computed once per style entry. */
  inv?: boolean;
}

/** One display_text chunk: its text (code points, see SvBuf) plus its whitespace/invisible bits. */
export interface Chunk {
  b: string;
  u: boolean;
  ws: boolean;
  inv: boolean;
}

/** An SV as a Perl string value. */
function svToPerl(sv: SvBuf): PerlStr {
  return { s: sv.b, chars: sv.u };
}

// What html_tag does with a tag, as bits of one lookup (instead of one set lookup per table).
const F_ELEMENT = 1; // in %elements or %tricks: handled at all
const F_TEXT_STYLE = 2;
const F_WHITESPACE = 4;
const F_URI = 8;
const TAG_FLAGS: ReadonlyMap<string, number> = (() => {
  const m = new Map<string, number>();
  const add = (tags: Iterable<string>, f: number): void => {
    for (const t of tags) m.set(t, (m.get(t) ?? 0) | f);
  };
  add(ELEMENTS, F_ELEMENT);
  add(TRICKS, F_ELEMENT);
  add(ELEMENTS_TEXT_STYLE, F_TEXT_STYLE);
  add(ELEMENTS_WHITESPACE, F_WHITESPACE);
  add(ELEMENTS_URI, F_URI);
  return m;
})();
const NO_ATTRS: Attrs = new Map();

/** The start-tag attributes text_style, html_uri and html_tests read: names, and what renamed ones contain. */
interface ReadAttrs {
  names: ReadonlySet<string>;
  renamed: string | null;
}
const READ_ATTRS: ReadonlyMap<string, ReadAttrs> = new Map(
  [...new Set([...OK_ATTRIBUTES.keys(), ...ELEMENTS_URI, 'basefont', 'a'])].map((tag): [string, ReadAttrs] => {
    const names = new Set([...(OK_ATTRIBUTES.get(tag === 'th' ? 'td' : tag) ?? []), ...(URI_ATTRS.get(tag) ?? [])]);
    if (tag === 'basefont') names.add('size');
    if (tag === 'a') names.add('href');
    return [tag, { names, renamed: URI_RENAMED.get(tag) ?? null }];
  }),
);

/** html_whitespace: what each whitespace element displays (its regexes applied once per element). */
const WHITESPACE_TEXT: ReadonlyMap<string, string> = new Map(
  [...ELEMENTS_WHITESPACE].flatMap((tag): [string, string][] => {
    if (tag === 'br' || tag === 'div') return [[tag, '\n']];
    if (/^(?:li|t[hd]|d[td]|embed|h[0-9])$/.test(tag)) return [[tag, ' ']];
    if (/^(?:p|hr|blockquote|pre|listing|plaintext|xmp|title)$/.test(tag)) return [[tag, '\n\n']];
    return [];
  }),
);

/** Everything html_tag and its handlers look up by tag name, found with one lookup. */
interface TagInfo {
  flags: number;
  /** The attributes read, or null when none are (startTag then builds no map). */
  read: ReadAttrs | null;
  /** text_style's %ok_attributes entry (th reads td's). */
  ok: ReadonlySet<string> | undefined;
  /** What html_whitespace displays. */
  whitespace: string | undefined;
}
const NO_INFO: TagInfo = { flags: 0, read: null, ok: undefined, whitespace: undefined };
const TAG_INFO: ReadonlyMap<string, TagInfo> = new Map(
  [...new Set([...TAG_FLAGS.keys(), ...READ_ATTRS.keys()])].map((tag): [string, TagInfo] => [tag, {
    flags: TAG_FLAGS.get(tag) ?? 0,
    read: READ_ATTRS.get(tag) ?? null,
    ok: OK_ATTRIBUTES.get(tag === 'th' ? 'td' : tag),
    whitespace: WHITESPACE_TEXT.get(tag),
  }]),
);

function tagInfo(tag: string): TagInfo {
  return TAG_INFO.get(tag) ?? NO_INFO;
}

// html_tag's namespace pattern /^(?:o|st\d):[\w-]+\/?$/, per string kind (built on first use).
const NAMESPACE: { b?: RegExp; c?: RegExp } = {};
function namespaceRe(chars: boolean): RegExp {
  return chars ? (NAMESPACE.c ??= buildNamespace(true)) : (NAMESPACE.b ??= buildNamespace(false));
}
function buildNamespace(chars: boolean): RegExp {
  const { D, W, flags } = reClasses(chars);
  return new RegExp(`^(?:o|st${D}):(?:${W}|-)+\\/?\\n?$`, flags);
}

// display_text's white space: [ \t\n\r\f\x0b]+ and the two characters "\xC2\xA0" (the same
// characters in a byte string and in a character string).
// Runs that are a single ' ' are left alone (replacing them by ' ' changes nothing).
const COLLAPSE = / [ \t\n\r\f\x0b]+|[\t\n\r\f\x0b][ \t\n\r\f\x0b]*|\xc2\xa0/g;
/** Texts up to this length are first checked for anything COLLAPSE would change by a loop. */
const SHORT_COLLAPSE = 64;

/** text.replace(COLLAPSE, ' '), without the regex for "\n" and short texts it leaves alone. */
function collapseDisplay(b: string): string {
  if (b === '\n') return ' '; // most texts between tags
  if (b.length > SHORT_COLLAPSE) return b.replace(COLLAPSE, ' ');
  for (let i = 0; i < b.length; i++) {
    const c = b.charCodeAt(i);
    if (c === 0x20) {
      const d = b.charCodeAt(i + 1);
      if (d === 0x20 || (d >= 0x09 && d <= 0x0d)) return b.replace(COLLAPSE, ' ');
    } else if ((c >= 0x09 && c <= 0x0d) || (c === 0xc2 && b.charCodeAt(i + 1) === 0xa0)) {
      return b.replace(COLLAPSE, ' ');
    }
  }
  return b;
}

function hasVisibleChar(sv: SvBuf): boolean {
  const b = sv.b;
  for (let i = 0; i < b.length; i++) {
    const c = b.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0c || c === 0x0b) continue;
    if (c === 0xc2 && b.charCodeAt(i + 1) === 0xa0) {
      i++;
      continue;
    }
    return true;
  }
  return false;
}

/** s/\s*!\s*important$// without backtracking. */
function stripImportant(v: string, chars: boolean): string {
  if (!v.endsWith('important')) return v;
  let i = v.length - 9;
  while (i > 0 && isPerlSpace(v.charCodeAt(i - 1), chars)) i--;
  if (i === 0 || v[i - 1] !== '!') return v;
  i--;
  while (i > 0 && isPerlSpace(v.charCodeAt(i - 1), chars)) i--;
  return v.slice(0, i);
}

/** Lowercase hex digit value, or -1 (the [0-9a-f] of parseHex: no /i). */
function lowerHexVal(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/** /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})\n?$/ with the three captures as numbers. */
function parseHex(c: string): [number, number, number] | null {
  const i = c.charCodeAt(0) === 0x23 ? 1 : 0;
  const n = c.length - i;
  if (n !== 6 && !(n === 7 && c.charCodeAt(c.length - 1) === 0x0a)) return null;
  const v: [number, number, number] = [0, 0, 0];
  for (let k = 0; k < 3; k++) {
    const hi = lowerHexVal(c.charCodeAt(i + 2 * k));
    const lo = lowerHexVal(c.charCodeAt(i + 2 * k + 1));
    if (hi < 0 || lo < 0) return null;
    v[k] = hi * 16 + lo;
  }
  return v;
}

/** Bound on the extra "</style>"/"</script>" chunks HTML.pm feeds (Perl would loop forever). */
export const MAX_FORCED_CLOSE = 1000;

export class HtmlRenderer implements TokenSink {
  readonly chunks: Chunk[] = [];
  // %inside counts: only <a>, <script> and <style> are ever read
  private insideA = 0;
  private insideScript = 0;
  private insideStyle = 0;
  readonly uriState: UriState = { uris: new Map(), baseHref: null };
  private textStyle: Style[] = [];
  private basefont = 3;
  private anchorLast: PerlStr = { s: '', chars: false };
  /** The last key this renderer knows to be in uriState.uris (repeated adds are no-ops). */
  private lastKey: PerlStr | null = null;
  /** The tag wantsAttrs looked up last, for startTag. */
  private pendingName = '';
  private pendingInfo: TagInfo = NO_INFO;
  /** applyStyle's scratch result. */
  private readonly decl: Declaration = { kind: DECL_NONE, valueStart: 0 };

  startDocument(): void {
    this.basefont = 3;
    this.textStyle.push({ tag: 'default', fgcolor: '#000000', bgcolor: '#ffffff', size: 3 });
  }

  endDocument(): void {
    this.textStyle = [];
  }

  /** The tokenizer may skip building attributes nobody reads (`name` as startTag gets it). */
  wantsAttrs(name: string): boolean {
    const info = tagInfo(name);
    this.pendingName = name;
    this.pendingInfo = info;
    return info.read !== null;
  }

  startTag(tag: string, attrs: RawAttr[], utf8: boolean): void {
    const info = tag === this.pendingName ? this.pendingInfo : tagInfo(tag);
    let attr = NO_ATTRS; // never mutated: only READ_ATTRS tags reach the code that edits attributes
    const read = info.read;
    if (read !== null) {
      attr = new Map();
      for (const a of attrs) {
        const key = a.name;
        // attributes nobody reads are left out (the others keep their order)
        if (!read.names.has(key) && (read.renamed === null || !key.includes(read.renamed))) continue;
        if (attr.has(key)) continue; // HTML::Parser keeps the first of repeated attributes
        const sv = a.decode ? decodeEntities({ b: a.value, u: utf8 }, false) : { b: a.value, u: utf8 };
        attr.set(key, svToPerl(sv));
      }
    }
    this.htmlTag(tag, info, attr, 1, utf8);
  }

  endTag(name: string, utf8: boolean): void {
    this.htmlTag(name, tagInfo(name), NO_ATTRS, -1, utf8);
  }

  text(raw: string, utf8: boolean, isCdata: boolean): void {
    const sv = isCdata ? { b: raw, u: utf8 } : decodeEntities({ b: raw, u: utf8 }, true);
    this.htmlText(sv);
  }

  // ---- html_tag ----
  private htmlTag(tag: string, info: TagInfo, attr: Attrs, num: number, utf8: boolean): void {
    // the namespace pattern needs a ':'
    const maybeNamespace = tag.includes(':') && namespaceRe(utf8).test(tag);
    // $self->{inside}{$tag} += $num, floored at 0
    if (tag === 'a') this.insideA = Math.max(0, this.insideA + num);
    else if (tag === 'script') this.insideScript = Math.max(0, this.insideScript + num);
    else if (tag === 'style') this.insideStyle = Math.max(0, this.insideStyle + num);
    if (maybeNamespace) return;
    const f = info.flags;
    if ((f & F_ELEMENT) === 0) return;
    if (f & F_TEXT_STYLE) this.textStyleTag(tag, info, attr, num);
    if (f & F_WHITESPACE) this.htmlWhitespace(info);
    if (num === 1) {
      if (f & F_URI) htmlUri(this.uriState, tag, attr, utf8);
      this.htmlTests(tag, attr);
    }
  }

  /** $self->{inside}{$tag} for the tags HTML.pm reads it for ('a', 'script', 'style'; else 0). */
  insideCount(tag: 'a' | 'script' | 'style'): number {
    return tag === 'a' ? this.insideA : tag === 'script' ? this.insideScript : this.insideStyle;
  }

  private htmlWhitespace(info: TagInfo): void {
    const text = info.whitespace;
    if (text !== undefined) this.displayText({ b: text, u: false }, true, false);
  }

  private htmlTests(tag: string, attr: Attrs): void {
    if (tag === 'img' && this.insideA > 0) this.addAnchorKey();
    if (tag === 'a') {
      const href = attr.get('href');
      this.anchorLast = href !== undefined ? canonUri(href) : { s: '', chars: false };
      this.addAnchorKey();
    }
  }

  /** addUriKey(anchorLast), skipped when that very key was added last. */
  private addAnchorKey(): void {
    const key = this.anchorLast;
    if (key === this.lastKey) return;
    addUriKey(this.uriState, key);
    this.lastKey = key;
  }

  // ---- text_style ----
  private top(): Style {
    return this.textStyle[this.textStyle.length - 1]!;
  }

  private textStyleTag(tagIn: string, info: TagInfo, attr: Attrs, num: number): void {
    const tag = tagIn === 'th' ? 'td' : tagIn;
    if (num !== 1) {
      if (tag !== 'body') this.closeTag(tag);
      return;
    }
    if (tag === 'basefont') {
      const size = attr.get('size');
      const m = size ? leadingDigits(size.s, size.chars, false) : null;
      if (m !== null) {
        this.basefont = perlNum(m);
        return;
      }
    }
    if (tag === 'td' || tag === 'tr') this.closeTableTag(tag);
    const top = this.top();
    const nw: Style = {
      tag, fgcolor: top.fgcolor, bgcolor: top.bgcolor, size: top.size, display: top.display,
      visibility: top.visibility, inv: undefined,
    };
    if (tag === 'big' || tag === 'small') {
      nw.size += tag === 'big' ? 1 : -1;
      this.textStyle.push(nw);
      return;
    }
    const ok = info.ok;
    for (const [name, value] of attr) {
      if (!ok || !ok.has(name)) continue;
      if (name === 'text' || name === 'color') {
        nw.fgcolor = nameToRgb(value);
      } else if (name === 'size') {
        // /^\s*([+-]\d+)/ relative, else /^\s*(\d+)/ absolute
        let m = leadingDigits(value.s, value.chars, true);
        if (m !== null) nw.size = this.basefont + perlNum(m);
        else if ((m = leadingDigits(value.s, value.chars, false)) !== null) nw.size = perlNum(m);
      } else if (name === 'style') {
        this.applyStyle(nw, value);
      }
      // bgcolor: HTML.pm rewrites the attribute, not the style (no effect); others are inert
    }
    this.textStyle.push(nw);
  }

  private applyStyle(nw: Style, style: PerlStr): void {
    const s = style.s;
    const chars = style.chars;
    const decl = this.decl;
    // split /;/, each declaration tried against text_style's patterns
    for (let from = 0; from <= s.length; ) {
      let to = s.indexOf(';', from);
      if (to < 0) to = s.length;
      matchDeclaration(s, from, to, chars, decl);
      const kind = decl.kind;
      if (kind === DECL_COLOR || kind === DECL_BACKGROUND_COLOR) {
        const v = captureTrimmed(s.slice(decl.valueStart, to), chars, false);
        if (v !== null) {
          const which = kind === DECL_BACKGROUND_COLOR ? 'bgcolor' : 'fgcolor';
          const value = stripImportant(perlLc({ s: v, chars }), chars);
          if (value.includes('rgb')) {
            const rgb = value.replace(/[^0-9,]/g, '').split(',');
            while (rgb.length && rgb[rgb.length - 1] === '') rgb.pop();
            nw[which] = '#' + [0, 1, 2].map((i) => {
              const x = rgb[i];
              if (x === undefined || !perlTrue(x)) return '00';
              const n = perlNum(x);
              return (n > 255 ? 255 : n).toString(16).padStart(2, '0');
            }).join('');
          } else if (value === 'inherit') {
            // ignored
          } else if (value === 'transparent') {
            nw[which] = value;
          } else {
            nw[which] = nameToRgb({ s: value, chars });
          }
        }
      } else if (kind === DECL_BACKGROUND) {
        const v = captureTrimmed(s.slice(decl.valueStart, to), chars, false);
        if (v !== null) {
          const layers = parseCssBackground(perlLc({ s: v, chars }));
          for (const value of layers[layers.length - 1] ?? []) {
            const color = nameToRgb({ s: value, chars });
            if (color !== 'invalid') {
              nw.bgcolor = color;
              break;
            }
          }
        }
      } else if (kind === DECL_DISPLAY || kind === DECL_VISIBILITY) {
        const v = captureTrimmed(s.slice(decl.valueStart, to), chars, true);
        if (v !== null) {
          if (kind === DECL_DISPLAY) nw.display = { s: v, chars };
          else nw.visibility = { s: v, chars };
        }
      }
      from = to + 1;
    }
    if (nw.bgcolor === 'transparent') nw.bgcolor = this.top().bgcolor;
    if (nw.fgcolor === 'transparent') nw.fgcolor = nw.bgcolor;
  }

  private hasStyle(tag: string): boolean {
    const st = this.textStyle;
    for (let i = st.length - 1; i >= 0; i--) if (st[i]!.tag === tag) return true;
    return false;
  }

  private closeTableTag(tag: string): void {
    if (!this.hasStyle(tag)) return;
    while (this.textStyle.length) {
      const top = this.top().tag;
      if (!perlTrue(top)) break;
      if ((tag === 'td' && (top === 'font' || top === 'td')) || (tag === 'tr' && (top === 'font' || top === 'td' || top === 'tr'))) {
        this.textStyle.pop();
      } else {
        break;
      }
    }
  }

  private closeTag(tag: string): void {
    if (!this.hasStyle(tag)) return;
    while (this.textStyle.length) {
      if (this.textStyle.pop()!.tag === tag) break;
    }
  }

  // ---- html_text / display_text ----
  private htmlText(sv: SvBuf): void {
    if (this.insideScript > 0) return;
    if (this.insideStyle > 0) return;
    if (this.insideA > 0) this.addAnchorKey();
    const invisible = hasVisibleChar(sv) ? this.fontInvisible() : false;
    this.displayText(sv, false, invisible);
  }

  private fontInvisible(): boolean {
    const st = this.top();
    if (st.inv === undefined) st.inv = this.styleInvisible(st);
    return st.inv;
  }

  private styleInvisible(st: Style): boolean {
    const fg = st.fgcolor;
    const bg = st.bgcolor;
    if (fg.slice(-6) === bg.slice(-6)) return true;
    const f = parseHex(fg);
    if (f) {
      const b = parseHex(bg);
      if (b) {
        const r = f[0] - b[0];
        const g = f[1] - b[1];
        const bl = f[2] - b[2];
        const distance = ((0.2126 * r) ** 2 + (0.7152 * g) ** 2 + (0.0722 * bl) ** 2) ** 0.5;
        if (distance < 12) return true;
      }
    }
    if (fg === 'invalid' || bg === 'invalid') return true;
    if (st.size <= 1) return true;
    if (st.display && perlTrue(st.display.s) && perlLc(st.display) === 'none') return true;
    if (st.visibility && perlTrue(st.visibility.s) && perlLc(st.visibility) === 'hidden') return true;
    return false;
  }

  private displayText(sv: SvBuf, whitespace: boolean, invisible: boolean): void {
    const chunks = this.chunks;
    const last = chunks[chunks.length - 1];
    let b = sv.b;
    if (whitespace) {
      if (last && !last.ws && !last.inv) {
        // s/ $//: a space at the end, or before a final "\n"
        if (last.b.endsWith(' ')) last.b = last.b.slice(0, -1);
        else if (last.b.endsWith(' \n')) last.b = last.b.slice(0, -2) + '\n';
      }
    } else {
      b = collapseDisplay(b);
      if (last && !invisible && last.ws && b.startsWith(' ')) b = b.slice(1);
    }
    chunks.push({ b, u: sv.u, ws: whitespace, inv: invisible });
  }
}

