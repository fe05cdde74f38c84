// Mirrors HTML::Parser 3.81's hparser.c parse_decl (with parse_comment, parse_marked_section and
// DECL_FAIL) and parse_process: the `<!...>` and `<?...>` constructs, as tokenizer.ts's parse_buf
// hands them over. Each returns the position after the construct, `beg` when the buffer ends inside
// it (more data needed) or NOT_MARKUP when it is text.
import { hctype } from './hctype.js';

// Module-local constants on purpose, not named imports: see hctype.ts.
const { isSpace, isNameFirst, isNameChar, isNotSpaceGt, isAlpha, lowerAscii, GT, DASH, LBRACK, DQ, SQ } = hctype;

/** Not a construct here: parse as text. */
export const NOT_MARKUP = -1;

/** What these parsers read of the lexer (HtmlTokenizer) and report through it. */
export interface DeclLexer {
  /** The buffer being parsed and its length. */
  readonly b: string;
  readonly end: number;
  /** Set at eof: a comment ends at the first '>'. */
  readonly noDashDashCommentEnd: boolean;
  /** The open marked sections' keywords. */
  readonly msStack: string[][];
  /** The code point at i, 0 at the end of the buffer. */
  at(i: number): number;
  /** Recomputes the marked-section state from msStack. */
  msUpdate(): void;
  reportNone(): void;
  reportComment(beg: number, end: number): void;
  reportDeclaration(beg: number, end: number): void;
  reportProcess(beg: number, end: number): void;
}

function parseComment(lx: DeclLexer, beg: number): number {
  const end = lx.end;
  let s = beg;
  if (lx.noDashDashCommentEnd) {
    while (s < end && lx.b.charCodeAt(s) !== GT) s++;
    if (s < end) {
      s++;
      lx.reportComment(beg - 4, s);
      return s;
    }
    return beg;
  }
  for (;;) {
    while (s < end && lx.b.charCodeAt(s) !== DASH) s++;
    const tokenEnd = s;
    if (s < end) {
      s++;
      if (lx.at(s) === DASH) {
        s++;
        while (isSpace(lx.at(s))) s++;
        if (lx.at(s) === GT) {
          s++;
          lx.reportComment(beg - 4, s);
          return s;
        }
      }
      if (s < end) {
        s = tokenEnd + 1;
        continue;
      }
    }
    return beg;
  }
}

function parseMarkedSection(lx: DeclLexer, beg: number): number {
  const end = lx.end;
  let s = beg + 3;
  const tokens: string[] = [];
  for (;;) {
    while (isSpace(lx.at(s))) s++;
    while (isNameFirst(lx.at(s))) {
      const ns = s;
      s++;
      while (isNameChar(lx.at(s))) s++;
      const ne = s;
      while (isSpace(lx.at(s))) s++;
      if (s >= end) return beg;
      tokens.push(lowerAscii(lx.b.slice(ns, ne)));
    }
    if (lx.at(s) === DASH) {
      s++;
      if (lx.at(s) !== DASH) return NOT_MARKUP;
      s++;
      for (;;) {
        while (s < end && lx.b.charCodeAt(s) !== DASH) s++;
        if (s >= end) return beg;
        s++;
        if (lx.at(s) === DASH) {
          s++;
          break;
        }
      }
      continue; // FIND_NAMES
    }
    break;
  }
  if (lx.at(s) === LBRACK && s < end) {
    s++;
    lx.msStack.push(tokens.length ? tokens : ['include']);
    lx.msUpdate();
    lx.reportNone();
    return s;
  }
  return NOT_MARKUP;
}

/** parse_decl: `<!` at `beg`. */
export function parseDecl(lx: DeclLexer, beg: number): number {
  const end = lx.end;
  let s = beg + 2;
  if (lx.at(s) === DASH) {
    s++;
    if (s >= end) return beg;
    if (lx.at(s) === DASH) {
      s++;
      const tmp = parseComment(lx, s);
      return tmp === s ? beg : tmp;
    }
    return declFail(lx, beg, s);
  }
  if (lx.at(s) === LBRACK) {
    const tmp = parseMarkedSection(lx, beg);
    if (tmp === NOT_MARKUP) return declFail(lx, beg, s);
    return tmp;
  }
  if (lx.at(s) === GT) {
    s++;
    lx.reportComment(beg, s);
    return s;
  }
  if (isAlpha(lx.at(s))) {
    const declId = s;
    s++;
    while (s < end && isNameChar(lx.b.charCodeAt(s))) s++;
    if (s >= end) return beg;
    const id = lx.b.slice(declId, s).toUpperCase();
    if (id !== 'DOCTYPE' && id !== 'ENTITY') return declFail(lx, beg, s);
    for (;;) {
      while (s < end && isSpace(lx.b.charCodeAt(s))) s++;
      if (s >= end) return beg;
      const c = lx.b.charCodeAt(s);
      if (c === DQ || c === SQ) {
        s++;
        while (s < end && lx.b.charCodeAt(s) !== c) s++;
        if (s >= end) return beg;
        s++;
      } else if (c === DASH) {
        s++;
        if (s >= end) return beg;
        if (lx.b.charCodeAt(s) !== DASH) return declFail(lx, beg, s);
        s++;
        for (;;) {
          while (s < end && lx.b.charCodeAt(s) !== DASH) s++;
          if (s >= end) return beg;
          s++;
          if (s >= end) return beg;
          if (lx.b.charCodeAt(s) === DASH) {
            s++;
            break;
          }
        }
      } else if (c !== GT) {
        s++;
        while (s < end && isNotSpaceGt(lx.b.charCodeAt(s))) s++;
        if (s >= end) return beg;
      } else {
        break;
      }
    }
    s++;
    lx.reportDeclaration(beg, s);
    return s;
  }
  return declFail(lx, beg, s);
}

/** DECL_FAIL: everything up to the first '>' is a comment. */
function declFail(lx: DeclLexer, beg: number, from: number): number {
  const end = lx.end;
  let s = from;
  while (s < end && lx.b.charCodeAt(s) !== GT) s++;
  if (s < end) {
    s++;
    lx.reportComment(beg, s);
    return s;
  }
  return beg;
}

/** parse_process: `<?` at `beg`. */
export function parseProcess(lx: DeclLexer, beg: number): number {
  const end = lx.end;
  let s = beg + 2;
  while (s < end) {
    if (lx.b.charCodeAt(s) === GT) {
      s++;
      lx.reportProcess(beg, s);
      return s;
    }
    s++;
  }
  return beg;
}

