// Mirrors HTML::Parser 3.81's lexer (hparser.c parse_buf, parse_start, parse_end, parse_decl,
// parse_comment, parse_marked_section, parse_process and the eof flush) in its default
// configuration plus marked_sections => 1, as Mail::SpamAssassin::HTML drives it.
//
// The C code works on Perl's internal buffer byte by byte (UTF-8 octets when the input is a character
// string). Every decision it takes is on an ASCII byte, and a UTF-8 character's octets are never ASCII,
// so this lexer works on the string's code points (a binary string for a byte string) and cuts at the
// same places; the one byte count (bufferByteLength) is computed as UTF-8. One forward pass; text is
// held back only at the end of a chunk, as the C code does, so the splitting of text events matches.
// Here: parse_buf, the tags (parse_start, parse_end), eof and the events; `<!` and `<?` constructs are
// in declarations.ts.
import { hctype } from './hctype.js';
import * as declarations from './declarations.js';

// Module-local constants on purpose, not named imports: see hctype.ts.
const { isSpace, isNameFirst, isNotSpaceGt, isNotSpaceEqGt, toLower, lowerAscii, LT, GT, SLASH, BANG, QUEST, RBRACK, DQ, SQ } = hctype;
const { parseDecl, parseProcess, NOT_MARKUP } = declarations;

/**
 * Receiver of lexer events. Strings are code points (binary strings when `utf8`, the buffer's flag,
 * is off); names are ASCII-lowercased.
 */
export interface TokenSink {
  startDocument?(): void;
  startTag(name: string, attrs: RawAttr[], utf8: boolean): void;
  /** False if startTag ignores the attributes of this tag (they are then not built). */
  wantsAttrs?(name: string, utf8: boolean): boolean;
  endTag(name: string, utf8: boolean): void;
  text(raw: string, utf8: boolean, isCdata: boolean): void;
  comment?(raw: string, utf8: boolean): void;
  declaration?(raw: string, utf8: boolean): void;
  process?(raw: string, utf8: boolean): void;
  endDocument?(): void;
}

/** One attribute: lowercased name, raw value (quotes removed). Boolean attributes carry their
 * name as written and are not entity-decoded. */
export interface RawAttr {
  name: string;
  value: string;
  decode: boolean;
}

/** Elements whose content is literal text (literal_mode_elem): name -> is_cdata. */
const LITERAL_MODE = new Map<string, boolean>([
  ['script', true], ['style', true], ['xmp', true], ['iframe', true], ['plaintext', true],
  ['title', false], ['textarea', false],
]);

// Marked section states, ordered: the strongest keyword on the stack wins.
const MS_NONE = 0;
const MS_INCLUDE = 1;
const MS_RCDATA = 2;
const MS_CDATA = 3;
const MS_IGNORE = 4;
const MS_KEYWORDS = new Map([['include', MS_INCLUDE], ['rcdata', MS_RCDATA], ['cdata', MS_CDATA], ['ignore', MS_IGNORE]]);

const NO_ATTRS: RawAttr[] = [];

export class HtmlTokenizer implements declarations.DeclLexer {
  private buf = '';
  private bufUtf8 = false;
  private started = false;
  private literalMode: string | null = null;
  private isCdata = false;
  // Public for declarations.ts (DeclLexer): msStack, noDashDashCommentEnd, b, end, at(), msUpdate(), report*().
  msStack: string[][] = [];
  private ms = MS_NONE;
  private pendingEndTag: string | null = null;
  noDashDashCommentEnd = false;
  // per parse_buf call
  b = '';
  end = 0;
  private utf8 = false;

  constructor(private readonly sink: TokenSink) {}

  /** HTML::Parser::parse($chunk); `utf8` is the chunk's flag (binary string of its buffer). */
  parse(chunk: string, utf8: boolean): void {
    if (!this.started) {
      this.started = true;
      this.sink.startDocument?.();
    }
    let b: string;
    let u: boolean;
    if (this.buf !== '') {
      // sv_catsv upgrades a byte chunk appended to a UTF-8 buffer (chunks we append are ASCII).
      b = this.buf + chunk;
      u = this.bufUtf8;
    } else {
      b = chunk;
      u = utf8;
    }
    if (b === '') return;
    this.b = b;
    this.end = b.length;
    this.utf8 = u;
    const s = this.parseBuf(0);
    if (s >= this.end) {
      this.buf = '';
    } else {
      this.buf = b.slice(s);
      this.bufUtf8 = u;
    }
  }

  /** HTML::Parser::eof. */
  eof(): void {
    if (!this.started) {
      this.started = true;
      this.sink.startDocument?.();
    }
    if (this.buf !== '') {
      this.b = this.buf;
      this.end = this.buf.length;
      this.utf8 = this.bufUtf8;
      const end = this.end;
      let s = 0;
      while (s < end) {
        if (this.literalMode) {
          const lm = this.literalMode;
          if (lm === 'plaintext' || lm === 'xmp' || lm === 'iframe' || lm === 'textarea') break;
          if (lm === 'script' || lm === 'style') {
            this.reportEnd(lm, false);
          } else {
            this.pendingEndTag = lm;
          }
          this.literalMode = null;
          s = this.parseBuf(s);
          continue;
        }
        if (!this.noDashDashCommentEnd && this.at(s) === LT) {
          this.noDashDashCommentEnd = true;
          s = this.parseBuf(s);
          continue;
        }
        if (this.at(s) === LT) {
          const s1 = s + 1;
          const c1 = this.at(s1);
          if (s1 === end || isNameFirst(c1) || c1 === SLASH || c1 === BANG || c1 === QUEST) {
            this.reportComment(s, end);
            s = end;
          }
        }
        break;
      }
      if (s < end) this.reportText(s, end);
      this.buf = '';
    }
    this.flushPendingEnd();
    this.sink.endDocument?.();
    this.started = false;
    this.literalMode = null;
    this.isCdata = false;
  }

  /** Length in octets of the buffer from `from` to its end (UTF-8 when the buffer is). */
  private byteLength(from: number): number {
    if (!this.utf8) return this.end - from;
    let n = 0;
    for (let i = from; i < this.end; i++) {
      const c = this.b.charCodeAt(i);
      n += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdfff ? 2 : 3; // a surrogate pair is 4
    }
    return n;
  }

  at(i: number): number {
    return i < this.end ? this.b.charCodeAt(i) : 0;
  }

  // ---- event reporting (report_event) ----

  private flushPendingEnd(): void {
    if (this.pendingEndTag !== null) {
      const t = this.pendingEndTag;
      this.pendingEndTag = null;
      this.reportEnd(t, false);
    }
  }

  private reportText(beg: number, end: number): void {
    if (this.ms === MS_IGNORE) return;
    this.sink.text(this.b.slice(beg, end), this.utf8, this.isCdata);
  }

  private reportEnd(name: string, utf8: boolean): void {
    this.flushPendingEnd();
    if (this.ms === MS_IGNORE) return;
    this.sink.endTag(name, utf8);
  }

  reportNone(): void {
    this.flushPendingEnd();
  }

  reportComment(beg: number, end: number): void {
    if (this.ms === MS_IGNORE || !this.sink.comment) return;
    this.sink.comment(this.b.slice(beg, end), this.utf8);
  }

  reportDeclaration(beg: number, end: number): void {
    this.flushPendingEnd();
    if (this.ms !== MS_IGNORE) this.sink.declaration?.(this.b.slice(beg, end), this.utf8);
  }

  reportProcess(beg: number, end: number): void {
    this.flushPendingEnd();
    if (this.ms !== MS_IGNORE) this.sink.process?.(this.b.slice(beg, end), this.utf8);
  }

  msUpdate(): void {
    let ms = MS_NONE;
    for (const toks of this.msStack) {
      for (const t of toks) {
        const v = MS_KEYWORDS.get(t) ?? MS_NONE;
        if (ms < v) ms = v;
      }
    }
    this.ms = ms;
    this.isCdata = ms === MS_CDATA;
  }

  // ---- parse_buf ----

  private parseBuf(beg: number): number {
    const end = this.end; // === this.b.length
    const b = this.b;
    let s = beg;
    let t = beg;
    for (;;) {
      while (this.literalMode) {
        const l = this.literalMode;
        s = b.indexOf('<', s);
        if (s < 0) return t;
        const endText = s;
        s++;
        if (this.at(s) === SLASH) {
          s++;
          let li = 0;
          while (li < l.length && toLower(this.at(s)) === l.charCodeAt(li)) {
            s++;
            li++;
          }
          if (li === l.length && l !== 'plaintext') {
            while (isSpace(this.at(s))) s++;
            if (this.at(s) === GT) {
              s++;
              if (t !== endText) this.reportText(t, endText);
              this.reportEnd(l, this.utf8);
              this.literalMode = null;
              this.isCdata = false;
              t = s;
            }
          }
        }
      }

      while (this.ms === MS_CDATA || this.ms === MS_RCDATA) {
        s = b.indexOf(']', s);
        if (s < 0) s = end;
        if (this.at(s) === RBRACK && s < end) {
          const endText = s;
          s++;
          if (this.at(s) === RBRACK && this.at(s + 1) === GT) {
            s += 2;
            if (t !== endText) this.reportText(t, endText);
            this.reportNone();
            t = s;
            this.msStack.pop();
            this.msUpdate();
            continue;
          }
        }
        if (s >= end) return t;
      }

      // as much text as possible
      if (this.ms === MS_NONE) {
        s = b.indexOf('<', s);
        if (s < 0) s = end;
      }
      while (s < end && b.charCodeAt(s) !== LT) {
        if (this.ms !== MS_NONE && this.b.charCodeAt(s) === RBRACK) {
          const endText = s;
          s++;
          if (this.at(s) === RBRACK) {
            s++;
            if (this.at(s) === GT) {
              s++;
              this.reportText(t, endText);
              this.reportNone();
              t = s;
              this.msStack.pop();
              this.msUpdate();
              continue;
            }
          }
        }
        s++;
      }
      if (s > end) s = end; // the C code may step over the buffer's NUL terminator here
      if (s !== t) {
        if (this.at(s) === LT && s < end) {
          this.reportText(t, s);
          t = s;
        } else {
          s--;
          if (isSpace(this.at(s))) {
            while (s >= t && isSpace(this.at(s))) s--;
          } else {
            while (s >= t && !isSpace(this.at(s))) s--;
            while (s >= t && isSpace(this.at(s))) s--;
          }
          s++;
          if (s !== t) this.reportText(t, s);
          return s;
        }
      }

      if (end - s < 3 && this.byteLength(s) < 3) return s;

      // next char is '<', at both t and s
      s++;
      const c = this.at(s);
      let newPos: number;
      if (isNameFirst(c)) newPos = this.parseStart(t);
      else if (c === SLASH) newPos = this.parseEnd(t);
      else if (c === BANG) newPos = parseDecl(this, t);
      else if (c === QUEST) newPos = parseProcess(this, t);
      else newPos = NOT_MARKUP;

      if (newPos !== NOT_MARKUP) {
        if (newPos === t) return t; // need more data
        t = s = newPos;
      }
      // else: not a conforming tag, go on treating it as text (the '<' is already skipped)
    }
  }

  private skipUntilGt(beg: number): number {
    const end = this.end;
    let s = beg;
    let quote = 0;
    let prev = 0x20;
    while (s < end) {
      const c = this.b.charCodeAt(s);
      if (!quote && c === GT) return s;
      if (c === DQ || c === SQ) {
        if (c === quote) quote = 0;
        else if (!quote && (prev === 0x20 || prev === 0x3d)) quote = c;
      }
      prev = c;
      s++;
    }
    return end;
  }

  private parseEnd(beg: number): number {
    const end = this.end;
    let s = beg + 2;
    if (isNotSpaceGt(this.at(s))) {
      const nb = s;
      s++;
      while (s < end && isNotSpaceGt(this.b.charCodeAt(s))) s++;
      const ne = s;
      s = this.skipUntilGt(s);
      if (s < end) {
        s++;
        this.reportEnd(lowerAscii(this.b.slice(nb, ne)), this.utf8);
        return s;
      }
      return beg;
    }
    s = this.skipUntilGt(s);
    if (s < end) {
      s++;
      this.reportComment(beg, s);
      return s;
    }
    return beg;
  }

  private parseStart(beg: number): number {
    const end = this.end;
    const b = this.b;
    let s = beg + 2;
    while (s < end && isNotSpaceGt(b.charCodeAt(s))) s++;
    const tagEnd = s;
    while (isSpace(this.at(s))) s++;
    if (s >= end) return beg;
    const tag = lowerAscii(b.slice(beg + 1, tagEnd));
    const want = this.sink.wantsAttrs?.(tag, this.utf8) ?? true;
    const attrs: RawAttr[] = want ? [] : NO_ATTRS;
    while (isNotSpaceGt(this.at(s))) {
      const nameBeg = s;
      s++;
      while (s < end && isNotSpaceEqGt(b.charCodeAt(s))) s++;
      if (s >= end) return beg;
      const nameEnd = s;
      while (isSpace(this.at(s))) s++;
      if (s >= end) return beg;
      if (b.charCodeAt(s) === 0x3d) {
        s++;
        while (isSpace(this.at(s))) s++;
        if (s >= end) return beg;
        const c = b.charCodeAt(s);
        if (c === GT) {
          if (want) attrs.push({ name: lowerAscii(b.slice(nameBeg, nameEnd)), value: '', decode: true });
          break;
        }
        let vb: number;
        let ve: number;
        if (c === DQ || c === SQ) {
          const qe = b.indexOf(c === DQ ? '"' : "'", s + 1);
          if (qe < 0 || qe >= end) return beg;
          vb = s + 1;
          ve = qe;
          s = qe + 1;
        } else {
          vb = s;
          while (s < end && isNotSpaceGt(b.charCodeAt(s))) s++;
          if (s >= end) return beg;
          ve = s;
        }
        if (want) attrs.push({ name: lowerAscii(b.slice(nameBeg, nameEnd)), value: b.slice(vb, ve), decode: true });
        while (isSpace(this.at(s))) s++;
        if (s >= end) return beg;
      } else if (want) {
        const rawName = b.slice(nameBeg, nameEnd);
        attrs.push({ name: lowerAscii(rawName), value: rawName, decode: false });
      }
    }
    if (this.at(s) !== GT || s >= end) return NOT_MARKUP;
    s++;
    this.flushPendingEnd();
    if (this.ms !== MS_IGNORE) this.sink.startTag(tag, attrs, this.utf8);
    const cdata = LITERAL_MODE.get(tag);
    if (cdata !== undefined) {
      this.literalMode = tag;
      this.isCdata = cdata;
    }
    return s;
  }
}
