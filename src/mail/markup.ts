// Mirrors Mail::SpamAssassin::remove_spamassassin_markup (SpamAssassin.pm), with the default configuration
// (no rewrite_header, encapsulated_content_description 'original message before SpamAssassin').
// sa-learn re-parses the result when the message has an X-Spam-Checker-Version header.

import type { Message } from './message.js';

/** Conf.pm default of encapsulated_content_description. */
export const ENCAPSULATED_CONTENT_DESCRIPTION = 'original message before SpamAssassin';

const RE_CT_MIXED = /^[\t\n\x0B\f\r ]*multipart\/mixed;[\t\n\x0B\f\r ]+boundary[\t\n\x0B\f\r ]*=[\t\n\x0B\f\r ]*["']?([^\n]+?)["']?(?:;|\n?$)/i;
const RE_BLANK_LINE = /^[\t\n\x0B\f\r ]*$/;
const RE_PART_CT = /^Content-Type:[\t\n\x0B\f\r ]+([^\n]+?)[\t\n\x0B\f\r ]*$/i;
const RE_PART_CD = /^Content-Description:[\t\n\x0B\f\r ]+([^\n]+?)[\t\n\x0B\f\r ]*$/i;
const RE_ORIGINAL = /^(?:message\/rfc822|text\/plain);[\t\n\x0B\f\r ]+x-spam-type=original/;
const RE_NON_WS = /[^\t\n\x0B\f\r ]/;
const RE_LINE_END = /\r?\n/g;
const RE_UNFOLD_SA = /((?:^|\n)X-Spam-(?!Prev)[^\n]+?)\n[ \t]+([^\t\n\x0B\f\r ][^\n]*\n)/g;
const RE_SPAM_REPORT = /^\n?SPAM: ----[^\n]+\n(?:SPAM:[^\n]*\n)*SPAM: ----[^\n]+\n\n/;
const RE_PREV_SUBJ_NONEXISTENT = /(?:^|(?<=\n))X-Spam-Prev-Subject:[\t\n\x0B\f\r ]*\(nonexistent\)(?=\n|$)/;
const RE_SUBJ_NONEXISTENT = /(?:^|(?<=\n))Subject:[^\n]*\(nonexistent\)[^\n]*(?=\n|$)/;
const RE_DEL_PREV_SUBJ = /(^|\n)X-Spam-Prev-Subject:[\t\n\x0B\f\r ]*\(nonexistent\)\n/;
// /s: `.*` runs to the last newline of the header block (a Perl quirk reproduced on purpose).
const RE_DEL_SUBJ = /(^|\n)Subject:[\t\n\x0B\f\r ]*[ \t]*[\s\S]*\n(?:[\t\n\x0B\f\r ]+[^\t\n\x0B\f\r ][\s\S]*\n)*/;
const RE_PREV = /(?:^|(?<=\n))X-Spam-Prev-(([^:]+:)[ \t]*[^\n]*\n(?:[\t\n\x0B\f\r ]+[^\t\n\x0B\f\r ][^\n]*\n)*)/;
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
    let m = RE_PART_CT.exec(body[i]!);
    if (m) ct = m[1]!;
    else if ((m = RE_PART_CD.exec(body[i]!))) cd = m[1]!;
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

  hdrs = repeatReplace(hdrs, RE_UNFOLD_SA, (_m, a: string, b: string) => `${a} ${b}`);
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

  const nextPrev = (): RegExpExecArray | null => (hdrs.includes('X-Spam-Prev-') ? RE_PREV.exec(hdrs) : null);
  for (let m = nextPrev(); m; m = nextPrev()) {
    const hdr = m[1]!;
    const name = m[2]!;
    hdrs = hdrs.slice(0, m.index) + hdrs.slice(m.index + m[0].length);
    const reName = new RegExp(`(?:^|(?<=\\n))${escapeRe(name)}[ \\t]*[^\\n]*\\n(?:[\\t\\n\\x0B\\f\\r ]+[^\\t\\n\\x0B\\f\\r ][^\\n]*\\n)*`);
    const rm = reName.exec(hdrs);
    if (rm) hdrs = hdrs.slice(0, rm.index) + hdr + hdrs.slice(rm.index + rm[0].length);
    else {
      const k = hdrs.indexOf('\n\n');
      if (k !== -1) hdrs = hdrs.slice(0, k) + '\n' + hdr + '\n' + hdrs.slice(k + 2);
    }
  }

  hdrs = repeatReplace(hdrs, RE_OTHER_SA, (_m, p: string) => p);

  const le = msg.lineEnding;
  if (le !== '\n') {
    hdrs = hdrs.replace(/\n/g, le);
    body = body.replace(/\n/g, le);
  }
  return mbox + hdrs + body;
}
