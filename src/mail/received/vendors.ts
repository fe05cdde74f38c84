// Mirrors the first, vendor-keyed rules of parse_received_line's "from" branch (Message/Metadata/Received.pm):
// webmail (SquirrelMail, AOL) and the if/elsif chain SMTPSVC / Microsoft SMTP Server / XMail /
// ecelerity / Exim / Postfix / Scalix / Lotus Domino. `s` is the line without its leading "from ".

import { IP, re, truthy } from './regex.js';
import type { Fields, Outcome } from './types.js';

// SquirrelMail / NaSMail: from 142.169.110.122 (SquirrelMail authenticated user synapse) by mail.example.org with HTTP
const SQUIRREL_HINT = re` \((?:SquirrelMail|NaSMail) authenticated user `;
const SQUIRREL = re`(${IP})\b(?![.-]).{10,80}by (\S+) with HTTP`;

// AOL WebMail: from 82.135.198.129 by FWM-M18.sysops.aol.com (64.12.168.82) with HTTP (WebMailUI)
const AOL_HINT = re`aol\.com`;
const AOL_HINT2 = re`with HTTP \(WebMailUI\)`;
const AOL = re`(${IP}) by (\S+) \(${IP}\) with HTTP \(WebMailUI\)`;

// Microsoft SMTPSVC: from helo ([1.2.3.4] unverified) by host with Microsoft SMTPSVC(5.0.2195.6624)
const SMTPSVC_HINT = re` SMTPSVC`;
const SMTPSVC = re`^(\S*) \(\[(${IP})\][^\)]{0,40}\) by (\S+) with Microsoft SMTPSVC`;
const SMTPSVC_PICKUP = re`^mail pickup service by (\S+) with Microsoft SMTPSVC$`;

// Microsoft SMTP Server / Exchange mapi: from EXC-DAG-02.global.net (10.45.252.152) by ... with Microsoft SMTP Server (...) id 15.1.1261.35
const MSSMTP_HINT = re` with (?:Microsoft SMTP Server|mapi id) (?:\([^\)]+\) )?\d+\.\d+\.\d+\.\d+(?:$| )`;
const MSSMTP = re`^(\S+) \(\[?(${IP})(?:%[A-Z0-9._~-]*)?\]?\) by (\S+) `;

// XMail: from list.example.com (63.146.189.86:23198) by mx1.example.net with [XMail 1.20 ESMTP Server] id <S72E> ...
const XMAIL_HINT = re`\[XMail `;
const XMAIL = re`^(\S+) \((\[?${IP}\]?)(?::\d+)\) by (\S+)(?: \(\S+\))? with \[XMail`;
const XMAIL_ID = re` id <(\S+)>`;
const XMAIL_FROM = re` from <(\S+)>`;

// ecelerity: from ([10.225.209.19:33672] helo=x) by ecelerity-va-1 (ecelerity HEAD) with SMTP id ...
const ECELERITY_HINT = re`\(ecelerity\b`;
const ECELERITY_HELO = re`^\(\[(${IP}):\d+\] helo=(\S+)\) by (\S+) `;
const ECELERITY = re`^\S+ \(\[(${IP}):\d+\]\) by (\S+) `;

// Exim (many formats)
const EXIM_HINT = re`Exim`;
const EXIM_LOCAL = re`\bwith local(?:-\S+)? `;
const EXIM_IP_FIRST = re`^\[(${IP})\] \((.*?)\) by (\S+) `;
const EXIM_RDNS_IP = re`^(\S+) \(\[(${IP})\](.*?)\) by (\S+) `;
const EXIM_BARE_IP = re`^(\S+) \[(${IP})\](:\d+)? by (\S+) `;
const EXIM_ODD_RDNS = re`^(\S+) `;
const EXIM_ODD_HELO = re` \((\S+)\) `;
const EXIM_ODD_IP = re` \[(${IP})(?:\.\d+)?\] `;
const EXIM_ODD_BY = re`by (\S+) `;
const SUB_HELO = re`helo=(\S+)`;
const SUB_IDENT = re`ident=(\S*)`;

// Postfix: from localhost (unknown [127.0.0.1]) by host (Postfix) with ESMTP id ...
const POSTFIX_HINT = re` \(Postfix\) with`;
const POSTFIX = re`^(\S+) \((\S+) \[(${IP})\]\) by (\S+) `;
const POSTFIX_POBOX = re`^(\S+) \((\S+)\[(${IP})\]\) by (\S+) `;

// Scalix: from DPLAPTOP ( 72.242.176.162) by mail.example.com (Scalix SMTP Relay 10.0.1.3) via ESMTP
const SCALIX_HINT = re`\(Scalix SMTP Relay`;
const SCALIX = re`^(\S+) \( ?(${IP})\) by (\S+)`;

// Lotus Domino (never records the rDNS)
const DOMINO_HINT = re` \(Lotus Domino `;
const DOMINO = re`^(\S+) \(\[(${IP})\]\) by (\S+) \(Lotus`;

/** Exim's "(helo=x ident=y)" comment: `$sub =~ s/helo=(\S+)// and $helo = $1;` then the same for ident. */
export function eximSub(sub: string, f: Fields): void {
  let m = SUB_HELO.exec(sub);
  if (m) {
    f.helo = m[1]!;
    sub = sub.slice(0, m.index) + sub.slice(m.index + m[0].length);
  }
  m = SUB_IDENT.exec(sub);
  if (m) f.ident = m[1]!;
}

// Text each hint below needs: a line with none of it (most lines) skips them all in one search.
const VENDOR_SIGNS = /SquirrelMail|NaSMail|aol\.com|SMTPSVC|Microsoft SMTP Server|mapi id|\[XMail |ecelerity|Exim|\(Postfix\) with|\(Scalix SMTP Relay|\(Lotus Domino /;

export function vendorRules(s: string, f: Fields): Outcome {
  if (!VENDOR_SIGNS.test(s)) return undefined;
  let m: RegExpExecArray | null;

  // SquirrelMail / NaSMail
  if (SQUIRREL_HINT.test(s)) {
    if ((m = SQUIRREL.exec(s))) {
      f.ip = m[1]!; f.by = m[2]!;
      return 'enough';
    }
  }

  // AOL WebMail
  if (AOL_HINT.test(s) && AOL_HINT2.test(s)) {
    if ((m = AOL.exec(s))) {
      f.ip = m[1]!; f.by = m[2]!;
      return 'enough';
    }
  }

  if (SMTPSVC_HINT.test(s)) {
    // Microsoft SMTPSVC (no rDNS lookups)
    if ((m = SMTPSVC.exec(s))) {
      f.helo = m[1]!; f.ip = m[2]!; f.by = m[3]!;
      return 'enough';
    }
    if (SMTPSVC_PICKUP.test(s)) return 0;
  } else if (MSSMTP_HINT.test(s)) {
    // Microsoft SMTP Server / Exchange
    if ((m = MSSMTP.exec(s))) {
      f.helo = m[1]!; f.ip = m[2]!; f.by = m[3]!; f.id = '';
      return 'enough';
    }
  } else if (XMAIL_HINT.test(s)) {
    // XMail (bugs 3791, 4053)
    if ((m = XMAIL.exec(s))) {
      f.helo = m[1]!; f.ip = m[2]!; f.by = m[3]!;
      let n = XMAIL_ID.exec(s);
      if (n) f.id = n[1]!;
      n = XMAIL_FROM.exec(s);
      if (n) f.envfrom = n[1]!;
      return 'enough';
    }
  } else if (ECELERITY_HINT.test(s)) {
    // ecelerity
    if ((m = ECELERITY_HELO.exec(s))) {
      f.ip = m[1]!; f.helo = m[2]!; f.by = m[3]!;
      return 'enough';
    }
    if ((m = ECELERITY.exec(s))) {
      f.ip = m[1]!; f.by = m[2]!;
      return 'enough';
    }
  } else if (EXIM_HINT.test(s)) {
    // Exim: local deliveries are not handovers
    if (EXIM_LOCAL.test(s)) return 0;
    // from [61.174.163.26] (helo=host) by host with smtp (Exim ...)
    if ((m = EXIM_IP_FIRST.exec(s))) {
      f.ip = m[1]!; f.by = m[3]!;
      eximSub(m[2]!, f);
      return 'enough';
    }
    // from rdns ([1.2.3.4] helo=x ident=y) by host with esmtp (Exim ...); helo defaults to rdns (bug 5112)
    if ((m = EXIM_RDNS_IP.exec(s))) {
      f.rdns = m[1]!; f.ip = m[2]!; f.by = m[4]!;
      f.helo = f.rdns;
      eximSub(m[3]!, f);
      return 'enough';
    }
    // from boggle.example.nz [203.109.252.209] by grunt6.example.nz with esmtp (Exim ...)
    if ((m = EXIM_BARE_IP.exec(s))) {
      f.rdns = m[1]!; f.ip = m[2]!; f.helo = m[1]!; f.by = m[4]!;
      return 'enough';
    }
    // other odd Exim formats: pick up bits; these assignments stick even when we fall through
    if ((m = EXIM_ODD_RDNS.exec(s))) f.rdns = m[1]!;
    if ((m = EXIM_ODD_HELO.exec(s))) f.helo = m[1]!;
    if ((m = EXIM_ODD_IP.exec(s))) f.ip = m[1]!;
    if ((m = EXIM_ODD_BY.exec(s))) {
      f.by = m[1]!;
      if (truthy(f.ip)) return 'enough';
    }
    // else probably forged: fall through
  } else if (POSTFIX_HINT.test(s)) {
    // Postfix
    if ((m = POSTFIX.exec(s))) {
      f.mtaLookedUpDns = true;
      f.helo = m[1]!; f.rdns = m[2]!; f.ip = m[3]!; f.by = m[4]!;
      if (f.rdns === 'unknown') f.rdns = '';
      return 'enough';
    }
    // Pobox.com variant without the space: (unknown[211.94.164.65])
    if ((m = POSTFIX_POBOX.exec(s))) {
      f.mtaLookedUpDns = true;
      f.helo = m[1]!; f.rdns = m[2]!; f.ip = m[3]!; f.by = m[4]!;
      if (f.rdns === 'unknown') f.rdns = '';
      return 'enough';
    }
  } else if (SCALIX_HINT.test(s)) {
    // Scalix
    if ((m = SCALIX.exec(s))) {
      f.helo = m[1]!; f.ip = m[2]!; f.by = m[3]!;
      return 'enough';
    }
  } else if (DOMINO_HINT.test(s)) {
    // Lotus Domino
    if ((m = DOMINO.exec(s))) {
      f.mtaLookedUpDns = false;
      f.helo = m[1]!; f.ip = m[2]!; f.by = m[3]!;
      return 'enough';
    }
  }
  return undefined;
}
