// Mirrors the "STUFF TO IGNORE" and "HANDOVERS WE KNOW WE CAN'T DEAL WITH" rules at the end of
// parse_received_line's "from" branch (Message/Metadata/Received.pm), then its HELO guess.
// `s` is the line without its leading "from ".

import { LOCALHOST, re, truthy, type Rx } from './regex.js';
import type { Fields, Outcome, ParseContext } from './types.js';

const SKIP_BEFORE_QMS: readonly Rx[] = [
  // from raptor.example.com (bala@localhost) by raptor.example.com (SGI-8.9.3/8.8.7) with ESMTP
  re`^\S+ \([^\s\@]+\@${LOCALHOST}\) by \S+ \(`,
  // Exim local submission (-oMr): from paul (helo=felix) by felix.example.org with local-esmtp (Exim 4.43)
  re`^\S+ \S+ by \S+ with local-e?smtp `,
  // AVG: from 127.0.0.1 (AVG SMTP 7.0.299 [265.6.8])
  re`^127\.0\.0\.1 \(AVG SMTP \S+ \[\S+\]\)`,
  // qmail-scanner by uid: from user@example.net by alpha by uid 7791 with qmail-scanner-1.14 (...)
  re`^\S+\@\S+ by \S+ by uid \S+ `,
  // AOL: from DSmith1204@aol.com by imo-m09.mx.aol.com (mail_out_v34.13.) id 7.53.208064a0 (4394)
  re`^\S+\@\S+ by \S+ `,
  // mailcity: from Unknown/Local ([?.?.?.?]) by mailcity.com
  re`^Unknown\/Local \(`,
  // from localhost (mailnull@localhost) by x.org (8.12.6/8.9.3) / from localhost (localhost [127.0.0.1]) (uid 500) by mail with local
  re`^${LOCALHOST} \((?:\S+\@)?${LOCALHOST}[\)\[]`,
  // EzMTS: from olgisoft.com (127.0.0.1) by 127.0.0.1 (EzMTS MTSSmtp 1.55d5)
  re`^\S+ \((?:\S+\@)?${LOCALHOST}\) `,
  // from casper.example.com (raph@casper [127.0.0.1]) h148aux8016336verify=FAIL)
  re`^\S+ \(\S+\@\S+ \[${LOCALHOST}\]\) `,
  // courier: from (AUTH: e40a9cea) by vqx.net with esmtp (courier-0.40)
  re`^\(AUTH: \S+\) by \S+ with `,
  // sendmail on a unix socket: from localhost (localhost [[UNIX: localhost]]) by home.example.com (8.12.11/8.12.11/Submit)
  re`^localhost \(localhost \[\[UNIX: localhost\]\]\) by `,
  // internal Amazon traffic
  re`^\S+\.amazon\.com by \S+\.amazon\.com with ESMTP \(peer crosscheck: `,
  // Novell GroupWise: from GWGC6-MTA by gc6.example.us with Novell_GroupWise
  re`^[^\.]+ by \S+ with Novell_GroupWise`,
  // Raptor firewall internal host: from no.name.available by [165.224.43.143] via smtpd (for [165.224.216.89]) with ESMTP
  re`^no\.name\.available by \S+ via smtpd \(for `,
];

// qmail-scanner logging the previous handover again; its envelope-from is kept for the next header
const QMAIL_SCANNER = re`^\S+ by \S+ \(.{0,100}\) with qmail-scanner`;

const SKIP_AFTER_QMS: readonly Rx[] = [
  // from mmail by argon.example.uk with local (connectmail/exim)
  re`^\S+ by \S+ with local`,
  // Cyrus on a unix socket: from host ([unix socket]) by host (Cyrus v2.3.14) with LMTPA
  re`^\S+ \(\[unix socket\]\) by \S+ \(Cyrus v[0-9]*?\.[0-9]*?\.[0-9]*?\) with LMTPA`,
  // TCP handovers without an IP: PMDF, smtpd, ...: from CATHY.IJS.SI by CATHY.IJS.SI (PMDF V4.3-10 #8779) id <...>
  re`^\S+ by \S+ (?:with|via|for|\()`,
  // from senmail2.example.gov with LMTP by senmail2 (...) / from zimbramail.example.uk (unverified) by MAILSWEEP...
  re`^\S+ (?:(?:with|via|for) \S+|\(unverified\)) by\b`,
  // SendGrid: from MjA3NDc4Mg (unknown) by ismtpd0001p1lon1.sendgrid.net (SG) with HTTP id ...
  re`^\S+ \(unknown\) by \S+ \(SG\) with \b`,
  // OpenSMTPD local: from localhost (example.com [local]) by example.com (OpenSMTPD) with ESMTPA id ...
  re`^\S+ \(\S+ \[local\]\) by \S+ \(OpenSMTPD\) with \b`,
  // LSMTP for Windows NT
  re`\(LSMTP for`,
  // MailEnable: from ([127.0.0.1]) with MailEnable ESMTP
  re`^\(\[${LOCALHOST}\]\) with MailEnable `,
  // Facebook Thrift
  re`^facebook\.com \([^\)]+\) by facebook\.com with Thrift id \S+$`,
  // Gmail API: from 384836569573 named unknown by gmailapi.google.com with HTTPREST
  re`^\S+ named \S+ by gmailapi\.google\.com with HTTPREST$`,
  // from mail.payex.com id <B5b8f11e30004>
  re`^\S+ id \S+$`,
  // Jetsend MTA: from [<4124973-137966-3089@be2.maropost.com>] ([<...>] helo=maropost.com) by 643852-mailer2 (...) (Jetsend MTA 0.0.1 ...
  re`^\[<.*? \(Jetsend`,
];

const HELO_GUESS = re`^(\S+)[^-A-Za-z0-9\.]`;

/** Envelope-from cleanup of the `enough:` block, also applied to qmail-scanner's saved envfrom. */
export function cleanEnvfrom(v: string): string {
  const s = v.replace(/^[\t\n\x0B\f\r ]*<*/, '');
  // s/>*\s*$// as a loop (the regex retries from every '>' or blank of a long inner run: O(n^2)): the
  // leftmost start of a '>'* \s* suffix takes all trailing blanks, then all '>' before them
  let e = s.length;
  while (e > 0 && isPerlSpace(s.charCodeAt(e - 1))) e--;
  while (e > 0 && s.charCodeAt(e - 1) === 0x3e) e--;
  return s.slice(0, e).replace(/[\t\n\x0B\f\r \0#[\]()<>|]/g, '!');
}

/** Perl \s on a byte: [\t\n\x0B\f\r ]. */
function isPerlSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

export function ignoreRules(s: string, f: Fields, ctx: ParseContext): Outcome {
  for (const r of SKIP_BEFORE_QMS) if (r.test(s)) return 0;
  if (QMAIL_SCANNER.test(s)) {
    if (f.envfrom !== undefined) f.envfrom = cleanEnvfrom(f.envfrom);
    ctx.qmailScannerEnvFrom = f.envfrom;
    return 0;
  }
  for (const r of SKIP_AFTER_QMS) if (r.test(s)) return 0;
  // still no HELO: guess it
  if (!truthy(f.helo)) {
    const m = HELO_GUESS.exec(s);
    if (m) f.helo = m[1]!;
  }
  return undefined;
}
