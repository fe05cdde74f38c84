// Mirrors the "FROM " (upper case) and "(from " branches of parse_received_line (Message/Metadata/Received.pm).
// `s` is the line without that prefix.

import { IP, re } from './regex.js';
import type { Fields, Outcome } from './types.js';

// simta (upper-case FROM/BY/ID) and Rockliffe SMTPRA:
// FROM hackers.example.edu (smtp.example.edu [141.211.14.81]) BY madman.example.edu ID 434B508E.174A6.13932
const SIMTA = re`^(\S+) \((\S+) \[(${IP})\]\) BY (\S+) (?:\([^\)]+\) WITH SMTP )?ID <?(\S+?)>?(?: FOR <[^>]+>)?$`;

/** After `s/^FROM //`. */
export function upperFromRules(s: string, f: Fields): Outcome {
  const m = SIMTA.exec(s);
  if (m) {
    f.mtaLookedUpDns = true;
    f.helo = m[1]!; f.rdns = m[2]!; f.ip = m[3]!; f.by = m[4]!; f.id = m[5]!;
    if (f.rdns === 'unverified') f.rdns = '';
    return 'enough';
  }
  return undefined;
}

// Norton AntiVirus Gateway: (from localhost [24.180.47.240]) by host.name (NAVGW 2.5.2.12) with SMTP id M2006060503484615455
const NAVGW = re`^(\S*) \[(${IP})\]\) by (\S+) \(NAVGW .*?\) with `;
// /usr/sbin/sendmail -t: (from username@localhost) by home.example.com (8.12.11/8.12.11/Submit) id iBADHRP6011034
const SENDMAIL_SUBMIT = re`^\S+\@localhost\) by \S+ `;
// jqueuemail: (from user@juno.com)  by m06.lax.untd.com (jqueuemail) id LRVB3JAJ
const JQUEUEMAIL = re`^[^\s\@]+\@[^)]+\) by \S+\(jqueuemail\) id [^\s;]+`;

/** After `s/^\(from //`. */
export function parenFromRules(s: string, f: Fields): Outcome {
  const m = NAVGW.exec(s);
  if (m) {
    f.helo = m[1]!; f.ip = m[2]!; f.by = m[3]!;
    return 'enough';
  }
  if (SENDMAIL_SUBMIT.test(s)) return 0;
  if (JQUEUEMAIL.test(s)) return 0;
  return undefined;
}
