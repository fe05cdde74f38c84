// Mirrors the common MTA formats of parse_received_line's "from" branch (Message/Metadata/Received.pm),
// from the IMP webmail rule down to the fetchmail/getmail marker, in the Perl order.
// `s` is the line without its leading "from ".

import { IP, re } from './regex.js';
import { runRules, type Rule } from './rules.js';
import type { Fields, Outcome } from './types.js';

const QMAIL_LDAP = re` by \S+ \(qmail-\S+\) with `;
const SENDMAIL = re`^(\S+) \((\S+) \[(${IP})\].*\) by (\S+) \(`;
const IDENT_PREFIX = re`^IDENT:([^\@]*)\@`;
const USER_PREFIX = re`^([^\@]*)\@`;

const HOTMAIL_BY = re`by (\S+\.hotmail\.msn\.com) `;
const HOTMAIL_IP = re`^(${IP}) `;

// qmail and its many patches (MiB, bug 2744, bug 4813).
// Perl has `by \S+( \(.+\))* with`; this is only a yes/no test and, `.` matching anything here, any run
// of " (...)" pieces is itself one " (...)" piece, so `(?: \(.+\))?` accepts exactly the same lines.
// (JS has no super-linear cache: the starred form backtracks exponentially on lines with many comments.)
const QMAIL = re`^\S+( \((?:HELO|EHLO) \S*\))? \((\S+\@)?\[?${IP}\]?\)( \(envelope-sender <\S+>\))? by \S+(?: \(.+\))? with (.* )?(SMTP|QMQP)(?! id )`;
const QMAIL_HELO_IDENT = re`^(\S+) \((?:HELO|EHLO) ([^ \(\)]*)\) \((\S*)\@\[?(${IP})\]?\)( \(envelope-sender <\S+>\))? by (\S+)`;
const QMAIL_HELO = re`^(\S+) \((?:HELO|EHLO) ([^ \(\)]*)\) \(\[?(${IP})\]?\)( \(envelope-sender <\S+>\))? by (\S+)`;
const QMAIL_IDENT = re`^(\S+) \((\S*)\@\[?(${IP})\]?\)( \(envelope-sender <\S+>\))? by (\S+)`;
const QMAIL_PLAIN = re`^(\S+) \(\[?(${IP})\]?\)( \(envelope-sender <\S+>\))? by (\S+)`;

const FETCHER = re`with (?:POP3|IMAP)`;

/** Sendmail, unless this is a qmail-ldap line that only looks like one (MiB 2003/11/29). */
function sendmail(s: string, f: Fields): Outcome {
  if (QMAIL_LDAP.test(s)) return undefined;
  // from mail1.example.com (host66.example.com [65.217.159.66] (may be forged)) by dogma.example.org (8.11.6/8.11.6) with ESMTP id ...
  // from ran-out.example.com (IDENT:qmailr@one.example.com [64.81.84.115]) by ...
  const m = SENDMAIL.exec(s);
  if (!m) return undefined;
  f.mtaLookedUpDns = true;
  f.helo = m[1]!; f.rdns = m[2]!; f.ip = m[3]!; f.by = m[4]!;
  let n = IDENT_PREFIX.exec(f.rdns);
  if (n) {
    f.ident = n[1]!;
    f.rdns = f.rdns.slice(n[0].length);
  }
  n = USER_PREFIX.exec(f.rdns);
  if (n) {
    f.ident = n[1]!;
    f.rdns = f.rdns.slice(n[0].length);
  }
  return 'enough';
}

/** Hotmail web front ends: from 213.123.174.21 by lw11fd.law11.hotmail.msn.com with HTTP (ip optional). */
function hotmail(s: string, f: Fields): Outcome {
  const m = HOTMAIL_BY.exec(s);
  if (!m) return undefined;
  f.by = m[1]!;
  const n = HOTMAIL_IP.exec(s);
  if (n) f.ip = n[1]!;
  return 'enough';
}

/** qmail: from rdns|unknown (HELO helo) (ident@ip) (envelope-sender <x>) by host with SMTP */
function qmail(s: string, f: Fields): Outcome {
  if (!QMAIL.test(s)) return undefined;
  let m: RegExpExecArray | null;
  if ((m = QMAIL_HELO_IDENT.exec(s))) {
    f.rdns = m[1]!; f.helo = m[2]!; f.ident = m[3]!; f.ip = m[4]!; f.by = m[6]!;
  } else if ((m = QMAIL_HELO.exec(s))) {
    f.rdns = m[1]!; f.helo = m[2]!; f.ip = m[3]!; f.by = m[5]!;
  } else if ((m = QMAIL_IDENT.exec(s))) {
    // no HELO: it equalled the rDNS
    f.helo = f.rdns = m[1]!; f.ident = m[2]!; f.ip = m[3]!; f.by = m[5]!;
  } else if ((m = QMAIL_PLAIN.exec(s))) {
    f.helo = f.rdns = m[1]!; f.ip = m[2]!; f.by = m[4]!;
  }
  // "unknown" means tcpserver gave qmail no rDNS
  if (f.rdns !== 'unknown') f.mtaLookedUpDns = true;
  else f.rdns = '';
  return 'enough';
}

const RULES: readonly Rule[] = [
  // IMP webmail with a fake numeric HELO: from 217.137.58.28 ([217.137.58.28]) by webmail.example.net (IMP) with HTTP
  { hint: [re`\bwith HTTP\b`], re: re`^(${IP}) \(\[${IP}\]\) by (\S+)`, groups: ['ip', 'by'] },
  { fn: sendmail },

  // ---- "formats get a bit non-standard" ----
  // Exchange IMS: from ns.example.kr (66.161.246.58 [66.161.246.58]) by mail.example.pe with SMTP (Microsoft Exchange Internet Mail Service ...)
  { re: re`^(\S+) \((\S+) \[(${IP})\]\) by (\S+) with \S+ \(`, looked: true, groups: ['helo', 'rdns', 'ip', 'by'] },
  // Exim-like without "Exim": from mail2.example.uk ([51.64.35.18] helo=x) by mail4.example.uk with smtp id ...
  { re: re`^(\S+) \(\[(${IP})\] helo=(\S+)\) by (\S+) with `, groups: ['rdns', 'ip', 'helo', 'by'] },
  // attbi: from 12-211-5-69.client.example.com (<unknown.domain>[12.211.5.69]) by rwcrmhc53.example.com (rwcrmhc53) with SMTP
  { re: re`^(\S+) \(<unknown\S*>\[(${IP})\]\) by (\S+) `, groups: ['helo', 'ip', 'by'] },
  // attbi: from attbi.com (h000502e08144.ne.client2.example.com[24.128.27.103]) by rwcrmhc53.example.com (rwcrmhc53) with SMTP
  { re: re`^(\S+) \((\S+\.\S+)\[(${IP})\]\) by (\S+) `, looked: true, groups: ['helo', 'rdns', 'ip', 'by'] },
  // sendmail with ident and no rDNS: from 4wtgRl (kgbxn@[211.244.147.115]) by dogma.example.org (8.11.6/8.11.6) with SMTP
  { re: re`^(\S+) \((\S*)\@\[(${IP})\].*\) by (\S+) \(`, looked: true, groups: ['helo', 'ident', 'ip', 'by'] },
  { fn: hotmail },
  // qpsmtpd: from x.example.dk (HELO niels) (69.96.3.15) by la.mx.example.com (qpsmtpd/0.27-dev) with SMTP
  { re: re`^(\S+) \((?:HELO|EHLO) (\S*)\) \((${IP})\) by (\S+) \(qpsmtpd\/\S+\) with (?:ESMTP|SMTP)`, groups: ['rdns', 'helo', 'ip', 'by'] },
  // LMTP: from mail-backend.example.com (LHLO mail-backend.example.com) (10.2.2.20) by mail-backend.example.com with LMTP
  { re: re`^(\S+) \(LHLO (\S*)\) \((${IP})\) by (\S+) with LMTP`, groups: ['rdns', 'helo', 'ip', 'by'] },
  // GMX: from dslb-082-083-045-064.pools.example.net (EHLO homepc) [82.83.45.64] by mail.gmx.net (mp010) with SMTP
  { re: re`^(\S+) \((?:HELO|EHLO) (\S*)\) \[(${IP})\] by (\S+) \([^\)]+\) with (?:ESMTP|SMTP)`, groups: ['rdns', 'helo', 'ip', 'by'] },
  // Raptor smtpd: from imo-m01.mx.aol.com ([64.12.136.4]) by eagle.example.com via smtpd (for [198.85.87.98]) with SMTP
  { re: re`^(\S+) \(\[(${IP})\]\) by (\S+) via smtpd \(for \S+\) with SMTP\(`, groups: ['helo', 'ip', 'by'] },
  { fn: qmail },
  // Yahoo web: from [193.220.176.134] by web40310.mail.yahoo.com via HTTP
  { hint: [re` via HTTP$`], re: re`^\[(${IP})\] by (\S+) via HTTP$`, groups: ['ip', 'by'] },
  // from 192.168.5.158 ( [192.168.5.158]) as user jason@localhost by mail.example.net with HTTP
  { re: re`^(\S+) \( \[(${IP})\]\).*? by (\S+) `, groups: [undefined, 'ip', 'by'] },
  // from (64.52.135.194 [64.52.135.194]) by mail.example.com with ESMTP id BQB0hUH2
  { re: re`^\((\S+) \[(${IP})\]\) by (\S+) `, groups: ['helo', 'ip', 'by'] },
  // MessageWall: from [65.167.180.251] by relent.example.com (MessageWall 1.1.0) with SMTP
  { re: re`^\[(${IP})\] by (\S+) `, groups: ['ip', 'by'] },
  // from ([172.16.1.78]) by ... / from (130.215.36.186) by mcafee.example.edu via smtp id ...
  { re: re`^\(\[?(${IP})\]?\) by (\S+) `, groups: ['ip', 'by'] },
  // MDaemon: from acecomms [202.83.84.95] by mailscan.example.au [202.83.84.27] with SMTP (MDaemon.PRO.v5.0.6.R)
  { re: re`^(\S+) \[(${IP})\] by (\S+) \[${IP}\] with `, looked: true, groups: ['helo', 'ip', 'by'] },
  // MDaemon PRO 19: from smtp510.example.de [(134.97.4.21)] by mail.example.de (134.97.4.24) (MDaemon PRO v19.0.2)
  { re: re`^(\S+) \[\((${IP})\)\] by (\S+) \(${IP}\) `, groups: ['helo', 'ip', 'by'] },
  // sendmail without rDNS: from mail.example.cn ([218.0.185.24]) by dogma.example.org (8.11.6/8.11.6) with ESMTP
  { re: re`^(\S+) \(\[(${IP})\]\) by (\S+) \(`, looked: true, groups: ['helo', 'ip', 'by'] },
  // sendmail / couriertcpd: from umr-mail7.example.edu (umr-mail7.example.edu [131.151.1.64]) via ESMTP by mrelay1.example.edu
  // (couriertcpd's "softdnserr" is not an rDNS, bug 2326)
  {
    re: re`^(\S+) \((\S+) \[(${IP})\]\).*? by (\S+)\b`,
    groups: ['helo', undefined, 'ip', 'by'],
    apply: (m, f) => {
      if (m[2] === 'softdnserr') {
        f.mtaLookedUpDns = false;
      } else {
        f.mtaLookedUpDns = true;
        f.rdns = m[2]!;
      }
    },
  },
  // from jsoliday.example.com ([63.251.66.24.63559]) by mailhost.example.com with esmtp (v3.35.1)
  { re: re`^(\S+) \(\[(${IP})(?:[.:]\d+)?\]\).*? by (\S+) `, looked: true, groups: ['helo', 'ip', 'by'] },
  // sendmail with SMTP AUTH: from roissy (p573.example.net [159.134.226.61]) (authenticated bits=0) by slate.example.com (8.12.6/8.12.6)
  { re: re`^(\S+) \((\S+) \[(${IP})\]\)(?: \(authenticated bits=\d+\))? by (\S+) \(`, looked: true, groups: ['helo', 'rdns', 'ip', 'by'] },
];

/** The rules above, then the fetchmail/getmail marker (which restarts the trusted relay lists). */
export function standardRules(s: string, f: Fields, onPopFetcher: () => void): Outcome {
  const o = runRules(RULES, s, f);
  if (o !== undefined) return o;
  // Fetchmail: from cabbage.example.org [127.0.0.1] by localhost with IMAP (fetchmail-5.9.0)
  // Getmail:   from pop3.example.dk (195.41.46.251) by loki.valhalla with POP3
  if (FETCHER.test(s)) {
    onPopFetcher();
    return 0;
  }
  return undefined;
}
