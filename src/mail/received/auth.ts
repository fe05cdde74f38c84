// Mirrors the "authenticated message identifier" rules of parse_received_line (Message/Metadata/Received.pm).
//
// Runs on the whole normalized line (still starting with "from "), first matching rule wins.

import { IP, re, rei } from './regex.js';

// RFC 3848 / RFC 4954 / RFC 6531 protocol names, Earthlink/Exim ASMTP, webmail HTTP[SU]
const RFC3848_BY = re` by `;
const RFC3848 = rei` with ((?:ES|L|UTF8S|UTF8L)MTPS?A|ASMTP|HTTP[SU]?)(?: |;|$)`;
// GMail, which does not say ESMTPSA
const GMAIL_ID = re` by mx\.google\.com with ESMTPS id [a-z0-9]{1,4}sm[0-9]{2,9}[a-z]{3}\.[0-9]{1,3}\.[0-9]{4}\.(?:[0-6][0-9]\.){4}[0-6][0-9]`;
const GMAIL_TLS = re`\(version=([^ ]+) cipher=([^\)]+)\)`;
// Courier v0.47
const COURIER = re`^from .*?(?:\]\)|\)\]) \(AUTH: (LOGIN|PLAIN|DIGEST-MD5|CRAM-MD5) \S+(?:, .*?)?\) by `;
// Sendmail, MDaemon, some webmail servers:
//   /authenticated/ && /^from .*?(?:\](?: \([^)]*\))?\)|\)\]) .*?\(.*?authenticated.*?\).*? by/
// Only a yes/no test. Its four lazy `.*?` backtrack polynomially (minutes on an 8 KB line, in Perl
// too), so `sendmailAuthenticated` decides the same question by direct search.
const SENDMAIL_HINT = re`authenticated`;

/**
 * True iff the Sendmail regex above matches: after "from ", some "]) ", "] (...)) " (no ")" inside the
 * parentheses) or ")] " ends at p, and "(", "authenticated", ")", " by" follow in that order from p.
 * The tail test only gets harder as p grows, so the smallest p decides.
 */
export function sendmailAuthenticated(s: string): boolean {
  if (!s.startsWith('from ')) return false;
  let p = Infinity;
  let close = -1; // first ')' at or after the current search start, for the "] (...))" form
  for (let i = 5; i + 3 < p && i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x5d /* ] */) {
      if (s[i + 1] === ')' && s[i + 2] === ' ') p = Math.min(p, i + 3);
      else if (s[i + 1] === ' ' && s[i + 2] === '(') {
        if (close < i + 3) close = s.indexOf(')', i + 3);
        if (close < 0) close = s.length + 1; // none left: no later start can use this form either
        else if (s[close + 1] === ')' && s[close + 2] === ' ') p = Math.min(p, close + 3);
      }
    } else if (c === 0x29 /* ) */ && s[i + 1] === ']' && s[i + 2] === ' ') {
      p = Math.min(p, i + 3);
    }
  }
  if (p === Infinity) return false;
  const open = s.indexOf('(', p);
  if (open < 0) return false;
  const word = s.indexOf('authenticated', open + 1);
  if (word < 0) return false;
  const shut = s.indexOf(')', word + 13);
  if (shut < 0) return false;
  return s.indexOf(' by', shut + 1) >= 0;
}
// GMX (authenticates but does not say so)
const GMX = re`from \S* \((?:HELO|EHLO) (\S*)\) \[(${IP})\] by (mail\.gmx\.(?:net|com)) \([^\)]+\) with ((?:ESMTP|SMTP))`;
// Critical Path Messaging Server
const CRITPATH_HINT = re` \(authenticated as `;
const CRITPATH = re`\) by .+ \(\d{1,2}\.\d\.\d{3}(?:\.\d{1,3})?\) \(authenticated as .+\) id `;
// Postfix >= 2.3 with smtpd_sasl_authenticated_header (mail_name may differ from "Postfix")
const POSTFIX = re`\) \(Authenticated sender: \S+\) by \S+ \(([^\)]+)\) with `;
// CommuniGate Pro
const COMMUNIGATE = re`CommuniGate Pro (HTTP|SMTP|XIMSS|IMAP)`;
const COMMUNIGATE_ACCOUNT = re` \(account `;
// Microsoft Exchange
const HTTP_DAV = re` with Microsoft Exchange Server HTTP-DAV\b`;
// United Internet "(via HTTP)"
const VIA_HTTP = rei` \(via (HTTP.?)\)(?: |;|$)`;

// Text each of the rules from GMail to HTTP-DAV needs (GMAIL_ID, COURIER, SENDMAIL_HINT, GMX,
// CRITPATH_HINT, POSTFIX, COMMUNIGATE, HTTP_DAV): a line with none of it skips them in one search.
const MIDDLE_SIGNS = /mx\.google\.com|\(AUTH: |authenticated|mail\.gmx\.|\(Authenticated sender: |CommuniGate Pro |HTTP-DAV/;

/** The `$auth` value the line earns ('' if none). */
export function detectAuth(s: string): string {
  let m: RegExpExecArray | null;
  const by = RFC3848_BY.test(s);
  if (by && (m = RFC3848.exec(s))) return m[1]!;
  if (MIDDLE_SIGNS.test(s)) {
    if (GMAIL_ID.test(s) && (m = GMAIL_TLS.exec(s))) return 'GMail - transport=' + m[1]! + ' cipher=' + m[2]!;
    if ((m = COURIER.exec(s))) return m[1]!;
    if (SENDMAIL_HINT.test(s) && sendmailAuthenticated(s)) return 'Sendmail';
    if ((m = GMX.exec(s))) return `GMX (${m[4]!} / ${m[3]!})`;
    if (CRITPATH_HINT.test(s) && CRITPATH.test(s)) return 'CriticalPath';
    if ((m = POSTFIX.exec(s))) return m[1] === 'Postfix' ? m[1] : `Postfix (${m[1]!})`;
    if (COMMUNIGATE.test(s) && COMMUNIGATE_ACCOUNT.test(s)) return 'Communigate';
    if (HTTP_DAV.test(s)) return 'HTTP-DAV';
  }
  if (by && (m = VIA_HTTP.exec(s))) return m[1]!;
  return '';
}
