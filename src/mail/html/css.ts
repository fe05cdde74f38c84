// The style-attribute patterns of Mail::SpamAssassin::HTML::text_style (HTML.pm), matched with
// character-code scans instead of regexes (no per-thread regex compilation, no split):
//   /^\s*(background-)?color:\s*(.+?)\s*$/i, /^\s*background:\s*(.+?)\s*$/ and
//   /^\s*([a-z_-]+)\s*:\s*(\S.*?)\s*$/i on each ';'-separated declaration.

import { isPerlSpace } from './perl.js';

/** What a declaration sets, if anything. */
export const DECL_NONE = 0;
export const DECL_COLOR = 1;
export const DECL_BACKGROUND_COLOR = 2;
export const DECL_BACKGROUND = 3;
export const DECL_DISPLAY = 4;
export const DECL_VISIBILITY = 5;
export type DeclKind = 0 | 1 | 2 | 3 | 4 | 5;

const KELVIN_SIGN = 0x212a; // folds to 'k' under /iu
const LONG_S = 0x17f; // folds to 's' under /iu

/**
 * Index after `word` (lowercase ASCII letters and punctuation) matched case-insensitively at `i`
 * in s[.., to), or -1. On a character string /i also folds KELVIN SIGN and LONG S to ASCII.
 */
function matchCi(s: string, i: number, to: number, word: string, chars: boolean): number {
  if (i + word.length > to) return -1;
  for (let k = 0; k < word.length; k++) {
    const w = word.charCodeAt(k);
    const c = s.charCodeAt(i + k);
    if (c === w) continue;
    if (w >= 0x61 && w <= 0x7a) {
      if (c === w - 0x20) continue;
      if (chars && ((w === 0x6b && c === KELVIN_SIGN) || (w === 0x73 && c === LONG_S))) continue;
    }
    return -1;
  }
  return i + word.length;
}

function isPropChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x2d;
}

export interface Declaration {
  kind: DeclKind;
  /** Index just past the ':' (the value's text runs from here to the declaration's end). */
  valueStart: number;
}

/**
 * Which text_style pattern the declaration s[from, to) matches first, up to its ':'. Only the
 * properties text_style acts on are told apart (display and visibility from the third pattern,
 * whose [a-z_-]+ run is matched whole: any other run, or a character outside the class, sets nothing).
 */
export function matchDeclaration(s: string, from: number, to: number, chars: boolean, out: Declaration): void {
  let i = from;
  while (i < to && isPerlSpace(s.charCodeAt(i), chars)) i++;
  out.kind = DECL_NONE;
  let e = matchCi(s, i, to, 'background-', chars);
  if (e >= 0 && (e = matchCi(s, e, to, 'color:', chars)) >= 0) {
    out.kind = DECL_BACKGROUND_COLOR;
    out.valueStart = e;
    return;
  }
  if ((e = matchCi(s, i, to, 'color:', chars)) >= 0) {
    out.kind = DECL_COLOR;
    out.valueStart = e;
    return;
  }
  if (i + 11 <= to && s.startsWith('background:', i)) {
    out.kind = DECL_BACKGROUND;
    out.valueStart = i + 11;
    return;
  }
  const c0 = s.charCodeAt(i);
  if (c0 !== 0x64 /* d */ && c0 !== 0x76 /* v */) return;
  let r = i;
  while (r < to && isPropChar(s.charCodeAt(r))) r++;
  const n = r - i;
  if (n !== 7 && n !== 10) return;
  const kind = s.startsWith('display', i) && n === 7 ? DECL_DISPLAY : s.startsWith('visibility', i) && n === 10 ? DECL_VISIBILITY : DECL_NONE;
  if (kind === DECL_NONE) return;
  while (r < to && isPerlSpace(s.charCodeAt(r), chars)) r++;
  if (r < to && s.charCodeAt(r) === 0x3a) {
    out.kind = kind;
    out.valueStart = r + 1;
  }
}
