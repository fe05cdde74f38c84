// Mirrors Mail::SpamAssassin::remove_spamassassin_markup (SpamAssassin.pm), with the default configuration
// (no rewrite_header, encapsulated_content_description 'original message before SpamAssassin').
// sa-learn re-parses the result when the message has an X-Spam-Checker-Version header.

import type { Message } from './message.js';

/** Conf.pm default of encapsulated_content_description. */
export const ENCAPSULATED_CONTENT_DESCRIPTION = 'original message before SpamAssassin';

const RE_CT_MIXED = /^[\t\n\x0B\f\r ]*multipart\/mixed;[\t\n\x0B\f\r ]+boundary[\t\n\x0B\f\r ]*=[\t\n\x0B\f\r ]*["']?([^\n]+?)["']?(?:;|\n?$)/i;
const RE_BLANK_LINE = /^[\t\n\x0B\f\r ]*$/;
/** The references of partHeaderValue (which is linear). */
export const RE_PART_CT = /^Content-Type:[\t\n\x0B\f\r ]+([^\n]+?)[\t\n\x0B\f\r ]*$/i;
export const RE_PART_CD = /^Content-Description:[\t\n\x0B\f\r ]+([^\n]+?)[\t\n\x0B\f\r ]*$/i;
const RE_ORIGINAL = /^(?:message\/rfc822|text\/plain);[\t\n\x0B\f\r ]+x-spam-type=original/;
const RE_NON_WS = /[^\t\n\x0B\f\r ]/;
const RE_LINE_END = /\r?\n/g;
/** The unfolding substitution (the reference of unfoldSaHeaders, which computes its fixpoint in one pass). */
export const RE_UNFOLD_SA = /((?:^|\n)X-Spam-(?!Prev)[^\n]+?)\n[ \t]+([^\t\n\x0B\f\r ][^\n]*\n)/g;
const RE_SPAM_REPORT = /^\n?SPAM: ----[^\n]+\n(?:SPAM:[^\n]*\n)*SPAM: ----[^\n]+\n\n/;
const RE_PREV_SUBJ_NONEXISTENT = /(?:^|(?<=\n))X-Spam-Prev-Subject:[\t\n\x0B\f\r ]*\(nonexistent\)(?=\n|$)/;
const RE_SUBJ_NONEXISTENT = /(?:^|(?<=\n))Subject:[^\n]*\(nonexistent\)[^\n]*(?=\n|$)/;
const RE_DEL_PREV_SUBJ = /(^|\n)X-Spam-Prev-Subject:[\t\n\x0B\f\r ]*\(nonexistent\)\n/;
// /s: `.*` runs to the last newline of the header block (a Perl quirk reproduced on purpose).
const RE_DEL_SUBJ = /(^|\n)Subject:[\t\n\x0B\f\r ]*[ \t]*[\s\S]*\n(?:[\t\n\x0B\f\r ]+[^\t\n\x0B\f\r ][\s\S]*\n)*/;
/** An X-Spam-Prev- header (at a line start) with its continuation lines. */
export const RE_PREV = /(?:^|(?<=\n))X-Spam-Prev-(([^:]+:)[ \t]*[^\n]*\n(?:[\t\n\x0B\f\r ]+[^\t\n\x0B\f\r ][^\n]*\n)*)/;
/** RE_PREV at a given line start. */
const RE_PREV_AT = /X-Spam-Prev-(([^:]+:)[ \t]*[^\n]*\n(?:[\t\n\x0B\f\r ]+[^\t\n\x0B\f\r ][^\n]*\n)*)/y;
/** The rest of a header after its name: the line and its continuation lines. */
const HEADER_REST = '[ \\t]*[^\\n]*\\n(?:[\\t\\n\\x0B\\f\\r ]+[^\\t\\n\\x0B\\f\\r ][^\\n]*\\n)*';
const RE_OTHER_SA = /(^|\n)X-Spam-[^\n]*\n/g;

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** Perl split(/^/, $s): lines keeping their "\n". */
function lines(s: string): string[] {
  const out: string[] = [];
  let start = 0;
  while (start < s.length) {
    const nl = s.indexOf('\n', start);
    const end = nl === -1 ? s.length : nl + 1;
    out.push(s.slice(start, end));
    start = end;
  }
  return out;
}

/** s/\r?\n/\n/g */
function toLf(s: string): string {
  return s.includes('\r\n') ? s.replace(RE_LINE_END, '\n') : s;
}

/** Perl \s on a byte: [\t\n\x0B\f\r ]. */
function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

/**
 * `1 while s/((?:^|\n)X-Spam-(?!Prev).+?)\n[ \t]+(\S.*\n)/$1 $2/g` in one pass. Each substitution joins
 * a continuation line (blanks, then a non-space, ending in "\n") to the X-Spam- line before it (not
 * X-Spam-Prev-, at least one character after "X-Spam-"), its "\n" and leading blanks becoming one
 * space; a joined line stays such a line and nothing else changes, so the fixpoint is every such line
 * with all the continuation lines that follow it joined, up to the first one that does not qualify.
 * (The regex loop takes a pass per continuation line, each over the whole header: O(n^2).)
 */
export function unfoldSaHeaders(hdrs: string): string {
  if (!hdrs.includes('X-Spam-')) return hdrs;
  const out: string[] = [];
  let joining = false; // the last line pushed is an X-Spam- line (joined or not) that takes a continuation
  let pos = 0;
  while (pos < hdrs.length) {
    const nl = hdrs.indexOf('\n', pos);
    const end = nl < 0 ? hdrs.length : nl + 1; // this line is hdrs[pos, end)
    if (joining && nl >= 0) {
      let b = pos;
      while (b < nl && (hdrs.charCodeAt(b) === 0x20 || hdrs.charCodeAt(b) === 0x09)) b++;
      if (b > pos && b < nl && !isSpace(hdrs.charCodeAt(b))) {
        const last = out.length - 1;
        out[last] = out[last]!.slice(0, -1) + ' '; // its "\n" and this line's blanks become ' '
        out.push(hdrs.slice(b, end));
        pos = end;
        continue;
      }
    }
    out.push(hdrs.slice(pos, end));
    joining = nl >= 0 && nl - pos > 7 && hdrs.startsWith('X-Spam-', pos) && !hdrs.startsWith('Prev', pos + 7);
    pos = end;
  }
  return out.join('');
}

/**
 * Group 1 of /^NAME\s+(.+?)\s*$/i (`name`: lowercase, with its ':'), or null, in linear time (the regex
 * retries the \s*$ test from every character of the value: O(n^2) on a long inner run of blanks).
 * \s+ first takes the whole blank run after the name; the lazy group then ends where the line's
 * trailing blanks start, and fails (for every shorter \s+ too) if that stretch holds a "\n". When
 * nothing but blanks follows the name, the group is one blank: the last one of the run that is not a
 * "\n", the first blank excepted (\s+ keeps it).
 */
export function partHeaderValue(line: string, name: string): string | null {
  const p = name.length;
  if (line.length <= p || line.slice(0, p).replace(/[A-Z]+/g, (m) => m.toLowerCase()) !== name) return null;
  const n = line.length;
  let g = p;
  while (g < n && isSpace(line.charCodeAt(g))) g++;
  if (g === p) return null;
  if (g < n) {
    let t = n;
    while (isSpace(line.charCodeAt(t - 1))) t--; // stops at g at the latest (not a blank)
    const v = line.slice(g, t);
    return v.includes('\n') ? null : v;
  }
  // the group starts after at least one blank of \s+, the last start first
  for (let q = n - 1; q > p; q--) if (line.charCodeAt(q) !== 0x0a) return line.charAt(q);
  return null;
}

/**
 * The first match of RE_PREV in `hdrs`. The regex, whose start (`^` or after "\n") V8 cannot scan for,
 * is tried only at the line starts that hold "X-Spam-Prev-". If one of them fails other than on an
 * empty name ("X-Spam-Prev-:"), the text after it lacks a ':' followed by a "\n", and so does the text
 * after every later one: no match.
 */
function firstPrevHeader(hdrs: string): RegExpExecArray | null {
  for (let q = lineStartOf(hdrs, 'X-Spam-Prev-', 0); q >= 0; q = lineStartOf(hdrs, 'X-Spam-Prev-', q + 1)) {
    RE_PREV_AT.lastIndex = q;
    const m = RE_PREV_AT.exec(hdrs);
    if (m !== null) return m;
    if (hdrs.charCodeAt(q + 12) !== 0x3a) return null;
  }
  return null;
}

/**
 * The first match of `(?:^|(?<=\n))NAME[ \t]*.*\n(?:\s+\S.*\n)*` (NAME literal), tried only at the line
 * starts that hold NAME; it fails there only without a "\n" after NAME, and then everywhere after.
 */
function firstNamedHeader(hdrs: string, name: string): RegExpExecArray | null {
  const p = lineStartOf(hdrs, name, 0);
  if (p < 0) return null;
  const re = new RegExp(escapeRe(name) + HEADER_REST, 'y');
  re.lastIndex = p;
  return re.exec(hdrs);
}

/** The first line start at `from` or after where `s` holds `word`, or -1. */
function lineStartOf(s: string, word: string, from: number): number {
  if (from === 0 && s.startsWith(word)) return 0;
  const i = s.indexOf('\n' + word, from === 0 ? 0 : from - 1);
  return i < 0 ? -1 : i + 1;
}

/**
 * SpamAssassin.pm: `while (s/^X-Spam-Prev-(([^:]+:)[ \t]*.*\n(?:\s+\S.*\n)*)//m)`, each put back in place
 * of the first header of that name, or before the first blank line. Still O(n) per X-Spam-Prev- header
 * (the header block is rebuilt each time), but without running regexes from every position.
 */
export function restorePrevHeaders(hdrs: string): string {
  for (let m = firstPrevHeader(hdrs); m; m = firstPrevHeader(hdrs)) {
    const hdr = m[1]!;
    const name = m[2]!;
    hdrs = hdrs.slice(0, m.index) + hdrs.slice(m.index + m[0].length);
    const rm = firstNamedHeader(hdrs, name);
    if (rm) hdrs = hdrs.slice(0, rm.index) + hdr + hdrs.slice(rm.index + rm[0].length);
    else {
      const k = hdrs.indexOf('\n\n');
      if (k !== -1) hdrs = hdrs.slice(0, k) + '\n' + hdr + '\n' + hdrs.slice(k + 2);
    }
  }
  return hdrs;
}

/** Repeat a global substitution until it no longer changes anything (Perl `1 while s///g`). */
function repeatReplace(s: string, re: RegExp, rep: (substring: string, ...args: string[]) => string): string {
  for (;;) {
    re.lastIndex = 0;
    if (!re.test(s)) return s;
    re.lastIndex = 0;
    s = s.replace(re, rep);
  }
}

/** The report_safe case: the encapsulated original, or undefined if there is none. */
function encapsulatedOriginal(msg: Message, mbox: string): string | undefined {
  const ctHeader = msg.getHeader('Content-Type');
  const ctm = RE_CT_MIXED.exec(ctHeader === undefined ? '' : ctHeader + '\n');
  if (!ctm) return undefined;
  const b = escapeRe(ctm[1]!);
  const reStart = new RegExp(`^--${b}\\r?\\n?$`);
  const reEnd = new RegExp(`^--${b}`);
  let body = lines(msg.pristineBody);
  let flag = false;
  let ct = '';
  let cd = '';
  for (let i = 0; i < body.length; i++) {
    if (!(reStart.test(body[i]!) || flag)) continue;
    if (RE_BLANK_LINE.test(body[i]!)) {
      if (RE_ORIGINAL.test(ct) || (ct === 'message/rfc822' && cd === ENCAPSULATED_CONTENT_DESCRIPTION)) {
        body = body.slice(i + 1);
        for (let j = 0; j < body.length; j++) {
          if (reEnd.test(body[j]!)) {
            // Perl: splice @msg, ($msg[$i-1] =~ /\S/ ? $i : $i-1); $msg[-1] is the last line.
            const prev = j - 1 >= 0 ? body[j - 1]! : body[body.length - 1]!;
            let at = RE_NON_WS.test(prev) ? j : j - 1;
            if (at < 0) at += body.length;
            body = body.slice(0, at);
          }
        }
        return mbox + body.join('');
      }
      flag = false;
      ct = '';
      cd = '';
      continue;
    }
    flag = true;
    const v = partHeaderValue(body[i]!, 'content-type:');
    if (v !== null) ct = v;
    else {
      const d = partHeaderValue(body[i]!, 'content-description:');
      if (d !== null) cd = d;
    }
  }
  return undefined;
}

/** SpamAssassin.pm::remove_spamassassin_markup: the rebuilt message text (binary string). */
export function removeMarkup(msg: Message): string {
  const mbox = msg.mboxSep ?? '';
  const original = encapsulatedOriginal(msg, mbox);
  if (original !== undefined) return original;

  // (the regexes below only run when the literal text they require is there)
  let hdrs = toLf(msg.pristineHeaders);
  let body = toLf(msg.pristineBody);

  hdrs = unfoldSaHeaders(hdrs);
  // rewrite_header: none configured by default, so nothing to undo.
  for (;;) {
    const next = body.replace(RE_SPAM_REPORT, '');
    if (next === body) break;
    body = next;
  }

  if (hdrs.includes('X-Spam-Prev-Subject:') && RE_PREV_SUBJ_NONEXISTENT.test(hdrs) && !RE_SUBJ_NONEXISTENT.test(hdrs)) {
    hdrs = hdrs.replace(RE_DEL_PREV_SUBJ, (_m, p: string) => `${p}\n`);
    hdrs = hdrs.replace(RE_DEL_SUBJ, (_m, p: string) => `${p}\n`);
  }

  hdrs = restorePrevHeaders(hdrs);

  hdrs = repeatReplace(hdrs, RE_OTHER_SA, (_m, p: string) => p);

  const le = msg.lineEnding;
  if (le !== '\n') {
    hdrs = hdrs.replace(/\n/g, le);
    body = body.replace(/\n/g, le);
  }
  return mbox + hdrs + body;
}
