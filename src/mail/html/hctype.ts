// HTML::Parser 3.81's hctype.h character classes, with the code points and the name lowering that the
// lexer modules (tokenizer.ts, declarations.ts) share. All work on code points: every class is ASCII.
//
// Exported as one object that each lexer module unpacks into module-local constants
// (`const { isSpace, ... } = hctype`): V8's optimizing compiler folds a module's own constant bindings
// into the per-character loops, but an imported or exported binding is a cell, loaded and checked at
// each use (named imports: ~6% more instructions per message in the tokenizer). For the same reason the classes below call
// each other through these unexported names.

// White space is [\t\n\x0B\f\r ] (probed: 0xA0 and 0x85 are not space in 3.81).
const SPACE = new Uint8Array(256);
for (const c of [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20]) SPACE[c] = 1;
const isSpace = (c: number): boolean => c < 256 && SPACE[c] === 1;
const isNameFirst = (c: number): boolean =>
  (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x3a;
const isNameChar = (c: number): boolean =>
  isNameFirst(c) || (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x2d;
const isNotSpaceGt = (c: number): boolean => !isSpace(c) && c !== 0x3e;
const isNotSpaceEqGt = (c: number): boolean => isNotSpaceGt(c) && c !== 0x3d;
const isAlpha = (c: number): boolean => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const toLower = (c: number): number => (c >= 0x41 && c <= 0x5a ? c + 32 : c);

const RE_UPPER_RUN = /[A-Z]+/g;

/** Perl lc on a byte string (ASCII letters only). */
function lowerAscii(s: string): string {
  let upper = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) return upper || /[A-Z]/.test(s) ? s.replace(RE_UPPER_RUN, (m) => m.toLowerCase()) : s;
    if (c >= 0x41 && c <= 0x5a) upper = true;
  }
  return upper ? s.toLowerCase() : s; // pure ASCII: toLowerCase touches A-Z only
}

export const hctype = {
  isSpace,
  isNameFirst,
  isNameChar,
  isNotSpaceGt,
  isNotSpaceEqGt,
  isAlpha,
  toLower,
  lowerAscii,
  LT: 0x3c,
  GT: 0x3e,
  SLASH: 0x2f,
  BANG: 0x21,
  QUEST: 0x3f,
  DASH: 0x2d,
  LBRACK: 0x5b,
  RBRACK: 0x5d,
  DQ: 0x22,
  SQ: 0x27,
} as const;
