// Mirrors Mail::SpamAssassin::Plugin::Bayes::_pre_chew_content_type, _pre_chew_message_id,
// _pre_chew_received, _pre_chew_addr_header and _tokenize_mail_addrs (Plugin/Bayes.pm).
// Values are Perl byte strings (binary strings): \s, \S, \d, \b are ASCII-only and spelled out where JS
// differs (JS \s would also match \xA0).
import { parseHeaderAddresses } from '../mail/address.js';

/**
 * Repeatedly strip the first label: `while ($bit =~ s/^[^\.]+\.(.+)$/$1/gs)`, calling `emit` with each
 * remainder. ([^.]+ ends at the first dot; (.+) must be non-empty.)
 */
export function eachSuffix(s: string, emit: (rest: string) => void): void {
  let bit = s;
  for (;;) {
    const dot = bit.indexOf('.');
    if (dot <= 0 || dot === bit.length - 1) return;
    bit = bit.slice(dot + 1);
    emit(bit);
  }
}

// (.+)\@(.+)$ -- `.` is [^\n]; `$` is the end or before a final newline.
const MAIL_ADDR_RE = /([^\n]+)@([^\n]+)(?=\n?$)/;

/** _tokenize_mail_addrs: U*user, D*domain and D* for each parent domain; [] if no user@domain shape. */
export function tokenizeMailAddrs(addr: string): string[] {
  const m = MAIL_ADDR_RE.exec(addr);
  if (!m) return [];
  const out = ['U*' + m[1], 'D*' + m[2]];
  eachSuffix(m[2], (rest) => out.push('D*' + rest));
  return out;
}

const S = '[\\t\\n\\x0B\\f\\r ]';
const NS = '[^\\t\\n\\x0B\\f\\r ]';

// boundary=["'](.*?)["']  (/ig; `.` excludes only "\n")
const BOUNDARY_G = /boundary=["']([^\n]*?)["']/gi;
const HEX_G = /[a-fA-F0-9]/g;
const SEP_RUN_G = /([-_.=]+)/g;
const CT_WORDS_G = /\b(?:text|charset)\b/g;

/** _pre_chew_content_type */
export function preChewContentType(val: string): string {
  let boundary: string | undefined;
  let found = false;
  let v = val.replace(BOUNDARY_G, (_m, b: string) => {
    found = true;
    boundary = b; // $1 of the last match
    return ' ';
  });
  if (found) {
    let b = boundary ?? '';
    b = b.replace(HEX_G, 'H').replace(SEP_RUN_G, ' $1 ');
    v += b;
  }
  return v.replace(CT_WORDS_G, ' ');
}

const OE_MSGID_G = new RegExp(
  `<([0-9a-f]{4})[0-9a-f]{4}[0-9a-f]{4}\\$([0-9a-f]{4})[0-9a-f]{4}\\$([0-9a-f]{8})@(${NS}+)>`,
  'g',
);
const EXIM_MSGID = /<[A-Za-z0-9]{7}-[A-Za-z0-9]{6}-0[A-Za-z0-9]@/;
const SENDMAIL_MSGID_G = /<20\d\d[01]\d[0123]\d[012]\d[012345]\d[012345]\d\.[A-F0-9]{10,12}@/g;
const NON_ID_CHAR_G = /[^_A-Za-z0-9]/g;

/** _pre_chew_message_id */
export function preChewMessageId(val: string): string {
  return val
    .replace(OE_MSGID_G, ' OEA$1 OEB$2 OEC$3 $4 ')
    .replace(EXIM_MSGID, '')
    .replace(SENDMAIL_MSGID_G, '')
    .replace(NON_ID_CHAR_G, ' ');
}

const RCVD_SENDMAIL1_G = new RegExp(`${S}with${S}SMTP${S}id${S}g[\\dA-Z]{10,12}${S}`, 'g');
const RCVD_SENDMAIL2_G = new RegExp(`${S}with${S}ESMTP${S}id${S}[\\dA-F]{10,12}${S}`, 'g');
const RCVD_ID_G = new RegExp(`\\bid${S}[a-zA-Z0-9]{7,20}\\b`, 'g');
const RCVD_EXIM_G = new RegExp(`\\bid${S}[A-Za-z0-9]{7}-[A-Za-z0-9]{6}-0[A-Za-z0-9]`, 'g');
const RCVD_DATE_G = new RegExp(
  `(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),${S})?` +
    `[0-3\\t\\n\\x0B\\f\\r ]?[0-9]${S}` +
    `(?:Jan|Feb|Ma[ry]|Apr|Ju[nl]|Aug|Sep|Oct|Nov|Dec)${S}` +
    `(?:19|20)?[0-9]{2}${S}` +
    `[0-2][0-9](?::[0-5][0-9]){1,2}${S}` +
    `(?:${S}*\\(|\\)|${S}*(?:[+-][0-9]{4})|${S}*(?:UT|[A-Z]{2,3}T))*`,
  'g',
);
const RCVD_IP_G = /\b(\d{1,3}\.)(\d{1,3}\.)(\d{1,3})(\.\d{1,3})\b/g;
const RCVD_WORDS_G = /\b(?:with|from|for|SMTP|ESMTP)\b/g;

/** _pre_chew_received */
export function preChewReceived(val: string): string {
  return val
    .replace(RCVD_SENDMAIL1_G, ' ')
    .replace(RCVD_SENDMAIL2_G, ' ')
    .replace(RCVD_ID_G, ' ')
    .replace(RCVD_EXIM_G, ' ')
    .replace(RCVD_DATE_G, '')
    .replace(RCVD_IP_G, (_m, a: string, b: string, c: string, d: string) => {
      // The intended "keep 10.x and 192.168.x whole" test compares $2 *with* its dot, so it never fires
      // and every address is cut to its /24; ported as written.
      if (b === '10' || (b === '192' && c === '168')) return a + b + c + d + ' ip*' + a + b + c + d + ' ';
      return a + b + c + ' ip*' + a + b + c + d + ' ';
    })
    .replace(RCVD_WORDS_G, ' ');
}

const PHRASE_SPLIT = /[\t\n\x0B\f\r ]+/;

/** Perl split(/\s+/, $s): a leading separator gives an empty first field; trailing empty fields dropped. */
function perlSplitWs(s: string): string[] {
  const f = s.split(PHRASE_SPLIT);
  while (f.length > 0 && f[f.length - 1] === '') f.pop();
  return f;
}

/** _pre_chew_addr_header: N*<phrase word> and the _tokenize_mail_addrs tokens of each address. */
export function preChewAddrHeader(val: string): string {
  return preChewAddrHeaderPieces(val).join(' ');
}

/**
 * preChewAddrHeader as pieces whose join(' ') is its result: one piece per phrase ("N*w1 N*w2 ...") and
 * one per address token. A phrase repeated across addresses gives the very same piece string: the
 * Email::Address::XS fallback hands the whole header value as the phrase of every empty entry, so
 * ",,,,..." gives as many copies of the value as it has commas (8192 of 8192 bytes), which the
 * tokenizer then reads once (tokenize.ts memoizes pieces) instead of as one string of 64 MiB.
 * Empty when the result is ''.
 */
export function preChewAddrHeaderPieces(val: string): string[] {
  const pieces: string[] = [];
  let phrases: Map<string, string> | undefined;
  for (const a of parseHeaderAddresses(val)) {
    if (a.phrase !== undefined) {
      phrases ??= new Map();
      let p = phrases.get(a.phrase);
      if (p === undefined) {
        p = perlSplitWs(a.phrase).map((w) => 'N*' + w).join(' ');
        phrases.set(a.phrase, p);
      }
      // '' only for a phrase without words (perlSplitWs drops trailing empty fields): no token, no separator
      if (p !== '') pieces.push(p);
    }
    if (a.address !== undefined) for (const t of tokenizeMailAddrs(a.address)) pieces.push(t);
  }
  return pieces;
}
