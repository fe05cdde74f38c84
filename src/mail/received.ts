// Mirrors Mail::SpamAssassin::Message::Metadata::parse_received_line (Message/Metadata/Received.pm).
//
// One Received header value (or a synthetic "from X-Originating-IP: ..." line) in, one relay out:
// a Relay when the line describes a TCP handover SpamAssassin can use, 0 when SpamAssassin skips it on
// purpose (local delivery, fetchmail, ...), undefined when it cannot parse it. The MTA-specific rules
// live in ./received/*.ts, one file per part of the Perl cascade, called here in the Perl order:
//   auth.ts     authentication markers (ESMTPA, Sendmail "authenticated", Postfix, CommuniGate, ...)
//   vendors.ts  SquirrelMail, AOL, MS SMTPSVC, MS SMTP Server, XMail, ecelerity, Exim, Postfix, Scalix, Domino
//   standard.ts sendmail, qpsmtpd, qmail, MDaemon, ..., fetchmail/getmail marker
//   more.ts     smap, Post.Office, ArGoSoft, CommuniGate, IronPort, Obtuse, Yahoo, X-Originating-IP, ...
//   ignore.ts   the "STUFF TO IGNORE" list, qmail-scanner, HELO guess
//   upper.ts    "FROM " (simta) and "(from " (NAVGW, sendmail -t, jqueuemail)
// The patterns themselves run through regex.ts (Rx): literals.ts pre-tests and loose-ip.ts IP-free
// twins keep most of them from ever being run or compiled in a thread; results are the regexes' own.

import { isPrivateIp } from './ip.js';
import { detectAuth } from './received/auth.js';
import { cleanEnvfrom, ignoreRules } from './received/ignore.js';
import { moreRules } from './received/more.js';
import { IP, re, rei, truthy } from './received/regex.js';
import { standardRules } from './received/standard.js';
import { newFields, type Fields, type Outcome, type ParseContext } from './received/types.js';
import { parenFromRules, upperFromRules } from './received/upper.js';
import { vendorRules } from './received/vendors.js';

export type { ParseContext } from './received/types.js';

/** The relay hash parse_received_line returns (as_string is added by relays.ts makeRelayAsString). */
export interface Relay {
  ip: string;
  by: string;
  helo: string;
  id: string;
  ident: string;
  envfrom: string | undefined;
  auth: string;
  rdns: string;
  /** The MTA does rDNS lookups and found none. */
  noReverseDns: boolean;
  /** The MTA does not record rDNS. */
  rdnsNotInHeaders: boolean;
  /** `$ip =~ IP_PRIVATE` */
  ipPrivate: boolean;
}

const WS_RUN_G = /[\t\n\x0B\f\r ]+/g;
/** Perl whitespace other than the space, or two spaces: the line needs `s/\s+/ /g`. */
const WS_UNUSUAL = /[\t\n\x0B\f\r]| {2}/;

const FROM_START = rei`^\(?from `;
const WITH_LOCAL_FOR = re`\bwith local for\b`;
const FROM_BY_SEMI = rei`^from (\S+) by [^\s;]+ ?;`;
const BRACKETED_V4 = /^\[[0-9.]+\]$/;
/** Spaces in DATE_AT_END after its leading [\s;]+: "Thu, 6 Mar 2003 12:02:35 -0800". */
const DATE_MAX_SPACES = 5;
const DATE_AT_END = re`[\s;]+(?:(?:Mon|T(?:ue|hu)|Wed|Fri|S(?:at|un)), )?\d+ (?:J(?:an|u[nl])|Feb|Ma[ry]|A(?:pr|ug)|Sep|Oct|Nov|Dec) \d+ \d+:\d+(?::\d+)? \S+$`;

const ID = re` id <?([^\s<>;]{3,})`;
const HELO_EQ = re`\bhelo=([-A-Za-z0-9\.\^+_&:=?!@%*\$\\\/]+)(?:[^-A-Za-z0-9\.\^+_&:=?!@%*\$\\\/]|$)`;
const HELO_CMD = re`\b(?:HELO|EHLO) ([-A-Za-z0-9\.\^+_&:=?!@%*\$\\\/]+)(?:[^-A-Za-z0-9\.\^+_&:=?!@%*\$\\\/]|$)`;
const BY = re` by (\S+)(?:[^-A-Za-z0-9\;\.]|$)`;

const ENVFROM = rei`(?:return-path:? |envelope-(?:sender|from)[ =])(\S+)\b`;
const ANY_BRACKETED_IP = re`\[(${IP})\]`;

const STRIP_CHARS = /[\t\n\x0B\f\r \0#[\]()<>|]/g;
const HAS_STRIP_CHAR = /[\t\n\x0B\f\r \0#[\]()<>|]/;

/** Perl whitespace ([\t\n\x0B\f\r ]). */
function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

/** `s/\s+/ /gs; s/^ //; s/ $//;` (Perl \s). */
export function squeezeSpace(line: string): string {
  let start = 0;
  let end = line.length;
  while (start < end && isSpace(line.charCodeAt(start))) start++;
  while (end > start && isSpace(line.charCodeAt(end - 1))) end--;
  const s = start === 0 && end === line.length ? line : line.slice(start, end);
  // inner runs (the ends no longer have any)
  return WS_UNUSUAL.test(s) ? s.replace(WS_RUN_G, ' ') : s;
}

/**
 * A position no match of DATE_AT_END starts before, so that it can search only the end of the line
 * (`s` is squeezed: its only whitespace is single spaces). A match is a run of [\s;] followed by a
 * date part T with at most 5 spaces, up to the end; so T starts after the 6th space from the end. The leftmost match starts where the maximal [\s;] run ending
 * just before T starts: at or after that space, or, if the run holds that space, where walking back
 * from it over [\s;] ends. The regex has no look-behind, so searching from there finds the same match.
 */
function dateSearchStart(s: string): number {
  let q = s.length;
  for (let n = 0; n <= DATE_MAX_SPACES; n++) {
    if (q <= 0) return 0;
    q = s.lastIndexOf(' ', q - 1);
    if (q < 0) return 0;
  }
  while (q > 0 && (isSpace(s.charCodeAt(q - 1)) || s.charCodeAt(q - 1) === 0x3b /* ; */)) q--;
  return q;
}

/** `s/[\s\000\#\[\]\(\)\<\>\|]/!/gs` */
function strip(v: string): string {
  return HAS_STRIP_CHAR.test(v) ? v.replace(STRIP_CHARS, '!') : v;
}

const NO_CONTEXT: ParseContext = {
  foundPopFetcherSig: () => undefined,
  get qmailScannerEnvFrom() {
    return undefined;
  },
  set qmailScannerEnvFrom(_v: string | undefined) {
    // discarded: a standalone parse has no following header
  },
};

/** parse_received_line: Relay, 0 (skipped on purpose) or undefined (unparseable). */
export function parseReceivedLine(line: string, ctx: ParseContext = NO_CONTEXT): Relay | 0 | undefined {
  let s = squeezeSpace(line);
  // invalid semicolons at the end: while (s/\s?;$//) {}
  while (s.endsWith(';')) s = s.endsWith(' ;') ? s.slice(0, -2) : s.slice(0, -1);

  const f = newFields();

  // only lines starting with "from" / "(from" describe a handover
  if (!FROM_START.test(s)) return 0;
  // Exim local delivery: from www-data by host (Exim 4.50) with local for <x> id ...
  if (WITH_LOCAL_FOR.test(s)) return 0;
  // from virtual-access.org by bolero.example.com ; ... (but not "from [86.122.158.69] by host;")
  const fb = FROM_BY_SEMI.exec(s);
  if (fb && !BRACKETED_V4.test(fb[1]!)) return 0;

  // the date at the end
  const from = dateSearchStart(s);
  const date = DATE_AT_END.re.exec(from === 0 ? s : s.slice(from));
  if (date) s = s.slice(0, from + date.index);
  // "(localhost [127.0.0.1])by localhost..."
  s = s.replace(')by ', ') by ');

  let m: RegExpExecArray | null;
  if ((m = ID.exec(s))) f.id = m[1]!;
  if ((m = HELO_EQ.exec(s))) f.helo = m[1]!;
  else if ((m = HELO_CMD.exec(s))) f.helo = m[1]!;
  if ((m = BY.exec(s))) f.by = m[1]!;

  f.auth = detectAuth(s);

  let o: Outcome;
  if (s.startsWith('from ')) {
    s = s.slice(5);
    if ((m = ENVFROM.exec(s))) f.envfrom = m[1]!;
    o = vendorRules(s, f);
    if (o === undefined) o = standardRules(s, f, () => ctx.foundPopFetcherSig());
    if (o === undefined) o = moreRules(s, f);
    if (o === undefined) o = ignoreRules(s, f, ctx);
  } else if (s.startsWith('FROM ')) {
    s = s.slice(5);
    o = upperFromRules(s, f);
  } else if (s.startsWith('(from ')) {
    s = s.slice(6);
    o = parenFromRules(s, f);
  }
  if (o === 0) return 0;
  if (o === undefined) {
    // FALL-THROUGH: any bracketed IP; an IP and a "by" are enough
    if (!truthy(f.ip) && (m = ANY_BRACKETED_IP.exec(s))) f.ip = m[1]!;
    if (!(truthy(f.ip) && truthy(f.by))) return undefined;
  }
  return enough(f);
}

/** The `enough:` block: normalize the fields and build the relay. */
function enough(f: Fields): Relay {
  // trailing dots (bug 7810)
  let rdns = f.rdns;
  while (rdns.endsWith('.')) rdns = rdns.slice(0, -1);
  if ((rdns.length === 7 && /^unknown$/i.test(rdns)) || rdns.startsWith('[')) rdns = '';

  // (the regexes below only run when the text they need is there)
  let ip = f.ip;
  if (ip.includes(':')) ip = ip.replace(/^ipv6:/i, '');
  if (ip.startsWith('[')) ip = ip.slice(1);
  if (ip.endsWith(']')) ip = ip.slice(0, -1);
  // IPv6 zone id (RFC 4007, RFC 6874)
  if (ip.includes('%')) ip = ip.replace(/%[A-Z0-9._~-]*$/i, '');
  // IPv4-mapped IPv6, "alternative form" only
  if (ip.includes(':')) ip = ip.replace(/^0*:0*:(?:0*:)*ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1');

  const by = f.by.endsWith(';') ? f.by.slice(0, -1) : f.by;

  // invalid chars become '!'
  ip = strip(ip);
  rdns = strip(rdns);
  const helo = strip(f.helo);
  const byClean = strip(by);
  const ident = strip(f.ident);
  const envfrom = f.envfrom === undefined ? undefined : cleanEnvfrom(f.envfrom);

  return {
    ip,
    by: byClean,
    helo,
    id: f.id,
    ident,
    envfrom,
    auth: f.auth,
    rdns,
    noReverseDns: rdns === '' && f.mtaLookedUpDns,
    rdnsNotInHeaders: rdns === '' && !f.mtaLookedUpDns,
    ipPrivate: isPrivateIp(ip),
  };
}
