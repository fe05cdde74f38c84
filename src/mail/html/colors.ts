// Mirrors Mail::SpamAssassin::HTML::name_to_rgb, dec2hex and parse_css_background (HTML.pm).

import type { PerlStr } from '../perlstr.js';
import { HTML_COLORS } from '../../data/html-tables.js';
import { perlLc, perlNum, reClasses, skipSpace, trimEnd } from './perl.js';

// name_to_rgb's patterns, per string kind (built on first use: most colours never need them).
const RE: { b?: ReturnType<typeof build>; c?: ReturnType<typeof build> } = {};
function build(chars: boolean) {
  const { D, S, flags } = reClasses(chars);
  return {
    candidate: new RegExp(`^[#a-f0-9]*$|rgb\\([${D.startsWith('[') ? D.slice(1, -1) : D}%, ]*\\)`, 'i' + flags),
    pct: new RegExp(`rgb\\((${D}+)%,${S}*(${D}+)%,${S}*(${D}+)%${S}*\\)`, 'i' + flags),
    dec: new RegExp(`rgb\\((${D}+),${S}*(${D}+),${S}*(${D}+)${S}*\\)`, 'i' + flags),
  };
}

/** dec2hex: sprintf("%lx") with a leading 0 below 16 (numbers past 2**64 saturate like a UV). */
function dec2hex(n: number): string {
  const v = Math.trunc(n);
  const hex = v >= 2 ** 64 ? 'ffffffffffffffff' : BigInt(v).toString(16);
  return (v < 16 ? '0' : '') + hex;
}

/** name_to_rgb: '#rrggbb' (or shorter/odd forms HTML.pm produces), or 'invalid'. */
export function nameToRgb(c: PerlStr): string {
  let color = perlLc(c);
  color = color.slice(skipSpace(color, 0, c.chars));
  color = color.slice(0, trimEnd(color, c.chars));
  const named = HTML_COLORS.get(color);
  if (named !== undefined) return '#' + named;
  // '#' and hex digits only (the common case): no rgb() forms to convert, only '#'s to drop
  if (isHashHex(color)) return color.startsWith('#') ? '#' + normalizeHex(color.replaceAll('#', '')) : 'invalid';
  const re = c.chars ? (RE.c ??= build(true)) : (RE.b ??= build(false));
  if (!re.candidate.test(color)) return 'invalid';
  let m = re.pct.exec(color);
  if (m) {
    color = '#' + [m[1]!, m[2]!, m[3]!].map((x) => dec2hex(Math.trunc((perlNum(x) / 100) * 255))).join('');
  }
  m = re.dec.exec(color);
  if (m) color = '#' + [m[1]!, m[2]!, m[3]!].map((x) => dec2hex(perlNum(x))).join('');
  if (!color.startsWith('#')) return 'invalid';
  return '#' + normalizeHex(color.replace(/[^a-f0-9]/gi, ''));
}

/** True if every character is one of [#0-9a-f] (what lc leaves of the candidate's first form). */
function isHashHex(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || c === 0x23)) return false;
  }
  return true;
}

/** name_to_rgb's final steps on the hex digits: cut to 6 or 3, pad to a multiple of 3, double 3. */
function normalizeHex(hex: string): string {
  let color = hex;
  if (color.length > 6) color = color.slice(0, 6);
  if (color.length > 3 && color.length < 6) color = color.slice(0, 3);
  if (color.length % 3) color += '0'.repeat(3 - (color.length % 3));
  if (color.length === 3) color = color[0]! + color[0] + color[1] + color[1] + color[2] + color[2];
  return color;
}

/** parse_css_background: layers of space-separated values (quotes and parentheses kept). */
export function parseCssBackground(bg: string): string[][] {
  const layers: string[][] = [];
  let tokens: string[] = [];
  const stack: number[] = [];
  let state = 0;
  let token = '';
  for (const ch of bg) {
    if (state === 0) {
      if (ch === ' ') {
        if (token !== '') tokens.push(token);
        token = '';
      } else if (ch === '(') {
        token += ch; stack.push(state); state = 1;
      } else if (ch === '"') {
        token += ch; stack.push(state); state = 2;
      } else if (ch === "'") {
        token += ch; stack.push(state); state = 3;
      } else if (ch === ',') {
        if (token !== '') tokens.push(token);
        token = '';
        layers.push(tokens);
        tokens = [];
      } else {
        token += ch;
      }
    } else if (state === 1) {
      if (ch === ')') {
        token += ch; tokens.push(token); token = ''; state = stack.pop() ?? 0;
      } else if (ch === '"') {
        token += ch; stack.push(state); state = 2;
      } else if (ch === "'") {
        token += ch; stack.push(state); state = 3;
      } else {
        token += ch;
      }
    } else if (state === 2) {
      token += ch;
      if (ch === '"') state = stack.pop() ?? 0;
    } else {
      token += ch;
      if (ch === "'") state = stack.pop() ?? 0;
    }
  }
  if (token !== '') tokens.push(token);
  if (tokens.length > 0) layers.push(tokens);
  return layers;
}
