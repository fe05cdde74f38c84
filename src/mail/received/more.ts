// Mirrors the less common formats of parse_received_line's "from" branch (Message/Metadata/Received.pm),
// after the fetchmail marker and before "STUFF TO IGNORE", in the Perl order.
// `s` is the line without its leading "from ".

import { IP, re } from './regex.js';
import { runRules, type Rule } from './rules.js';
import { eximSub } from './vendors.js';
import type { Fields, Outcome } from './types.js';

/** `$ident = (defined $n) ? $n : ''; if ($ident) { $ident =~ s/\@$//; }` */
function identWithoutAt(v: string | undefined): string {
  const ident = v ?? '';
  return ident !== '' && ident !== '0' ? ident.replace(/@$/, '') : ident;
}

const RULES: readonly Rule[] = [
  // qmail-ish (bug 2744): from unknown (HELO feux01a-isp) (213.199.4.210) by totor.example.net with SMTP
  {
    re: re`^(\S+) \((?:HELO|EHLO) ([^\)]*)\) \((\S*@)?\[?(${IP})\]?\).* by (\S+) `,
    looked: true,
    groups: ['rdns', 'helo', undefined, 'ip', 'by'],
    apply: (m, f) => {
      f.ident = identWithoutAt(m[3]);
    },
  },
  // qmail-ish, HELO == rDNS dropped: from x1-6.example.dk (benelli@80.167.158.170) by totor.example.net with SMTP
  {
    re: re`^(\S+) \((\S*@)?\[?(${IP})\]?\).* by (\S+) `,
    looked: true,
    groups: ['rdns', undefined, 'ip', 'by'],
    apply: (m, f) => {
      f.helo = f.rdns;
      f.ident = identWithoutAt(m[2]);
    },
  },
  // Outblaze: from [129.24.215.125] by ws1-7.us4.example.com with http for _user_@mail.com
  { hint: [re` with http for `], re: re`^\[(${IP})\] by (\S+) with http for `, groups: ['ip', 'by'] },
  // TIS smap: from snake.corp.yahoo.com(216.145.52.229) by x.x.org via smap (V1.3)
  { hint: [re` via smap `], re: re`^(\S+)\((${IP})\) by (\S+) via smap `, looked: true, groups: ['rdns', 'ip', 'by'] },
  // TIS smap with HELO: from smtp.example.com(208.14.208.51, HELO smtp.sff.net) by x.x.org via smap (V1.3)
  { re: re`^(\S+)\((${IP}), (?:HELO|EHLO) (\S*)\) by (\S+) via smap `, looked: true, groups: ['rdns', 'ip', 'helo', 'by'] },
  // Post.Office: from [192.168.0.71] by web01-nyc.example.com (Post.Office MTA v3.5.3 ...) with SMTP
  { hint: [re` \(Post`], re: re`^\[(${IP})\] by (\S+) \(Post`, groups: ['ip', 'by'] },
  // ArGoSoft: from [127.0.0.1] by euphoria (ArGoSoft Mail Server Freeware, Version 1.8 (1.8.2.5))
  { hint: [re` \(ArGoSoft`], re: re`^\[(${IP})\] by (\S+) \(ArGoSoft`, groups: ['ip', 'by'] },
  // InterScan VirusWall / SMTPL: from 157.54.8.23 by inet-vrs-05.example.com (InterScan E-Mail VirusWall NT)
  { re: re`^(${IP}) by (\S+) \((?:SMTPL|InterScan)\b`, groups: ['ip', 'by'] },
  // BSMTP is not a TCP/IP handover: from faerber.muc.de by slarti.muc.de with BSMTP (rsmtp-qm-ot 0.4)
  { hint: [re` with BSMTP`], re: re`^\S+ by \S+ with BSMTP`, skip: true },
  // from spike (spike.example.uk [193.32.60.32]) by mail.example.uk with SMTP id h27CrCD03362
  { re: re`^(\S+) \((\S+) \[(${IP})\]\) by (\S+) with `, looked: true, groups: ['helo', 'rdns', 'ip', 'by'] },
  // Yahoo SMTP: from customer254-217.example.net (HELO AGAMENON) (baldusi@200.69.254.217 with plain) by smtp.mail.vip.sc5.yahoo.com with SMTP
  {
    re: re`^(\S+) \((?:HELO|EHLO) (\S*)\) \((?:(\S+)\@)?(${IP}).*?\) by (\S+) with `,
    looked: true,
    groups: ['rdns', 'helo', undefined, 'ip', 'by'],
    apply: (m, f) => {
      if (m[3] !== undefined) f.ident = m[3];
    },
  },
  // CommuniGate Pro: from [192.168.1.104] (account nazgul HELO [192.168.1.104]) by somewhere.com (CommuniGate Pro SMTP 3.5.7)
  { re: re`^\[(${IP})\] \((?:account \S+ )?(?:HELO|EHLO) (\S*)\) by (\S+) \(`, groups: ['ip', 'helo', 'by'] },
  // CommuniGate Pro: from host.example.com ([192.0.2.1] verified) by mail.example.net (CommuniGate Pro SMTP 5.1.13)
  {
    hint: [re` \(CommuniGate Pro`],
    re: re`^(\S+) \(\[(${IP})\] verified\) by (\S+) \(`,
    looked: true,
    groups: ['rdns', 'ip', 'by'],
    apply: (m, f) => {
      f.helo = m[1]!;
    },
  },
  // CipherTrust: from ([10.0.0.6]) by mail0.example.com with ESMTP
  { re: re`^\(\[(${IP})\]\) by (\S+) with `, groups: ['ip', 'by'] },
  // IronPort / Tiscali: from ironport.com (10.1.1.5) by a50.ironport.com with ESMTP
  { re: re`^([^\d]\S+) \((${IP})\) by (\S+) `, groups: ['helo', 'ip', 'by'] },
  // Content Technologies SMTPRS (bug 4704): no IP, useless
  { re: re`^\S+ \(\S+\) by \S+ \(Content Technologies `, skip: true },
  // from 01al10015010057.ad.example.com ([90.152.5.141] [90.152.5.141]) by aismtp3g.example.com with ESMTP
  { re: re`^(\S+) \(\[(${IP})\] \[(\S+)\]\) by (\S+) with `, groups: ['helo', 'ip', undefined, 'by'] },
  // Tumbleweed MMS: from 206.47.0.153 by dm3cn8.bell.ca with ESMTP (Tumbleweed MMS SMTP Relay (MMS v5.0))
  { re: re`^(${IP}) by (\S+) with `, groups: ['ip', 'by'] },
  // attbi: from pobox.com (h005018086b3b.ne.client2.example.com[66.31.45.164]) by rwcrmhc53.example.com (rwcrmhc53) with SMTP
  { re: re`^(\S+) \((\S+)\[(${IP})\]\) by (\S+) `, looked: true, groups: ['helo', 'rdns', 'ip', 'by'] },
  // F-Secure: from [10.128.128.81]:50999 (HELO dfintra.f-secure.com) by fsav4im2 ([10.128.128.74]:25) (F-Secure Anti-Virus ...)
  { re: re`^\[(${IP})\]\S+ \((?:HELO|EHLO) (\S*)\) by (\S+) `, groups: ['ip', 'helo', 'by'] },
  // AltaVista: from 62.180.7.250 (HELO daisy) by smtp.altavista.de (209.228.22.152) with SMTP
  { re: re`^(${IP}) \((?:HELO|EHLO) (\S*)\) by (\S+) `, groups: ['ip', 'helo', 'by'] },
  // SMTPD32: from oemcomputer [63.232.189.195] by highstream.net (SMTPD32-7.07) id A4CE7F2A0028
  { re: re`^(\S+) \[(${IP})\] by (\S+) `, groups: ['helo', 'ip', 'by'] },
  // csmap: from nodnsquery(192.100.64.12) by herbivore.example.edu via csmap (V4.1) id srcAAAyHaywy
  { re: re`^(\S+)\((${IP})\) by (\S+) `, groups: ['rdns', 'ip', 'by'] },
  // MailGate: from [192.168.0.13] by <server> (MailGate 3.5.172) with SMTP
  { re: re`^\[(${IP})\] by (\S+) \(MailGate `, groups: ['ip', 'by'] },
  // from jmason.org (unverified [195.218.107.131]) by ni-mail1.example.net <B0014212518@ni-mail1.example.net>
  { re: re`^(\S+) \(unverified \[(${IP})\]\) by (\S+) `, groups: ['helo', 'ip', 'by'] },
  // SquirrelMail proxying: from 165.228.131.11 (proxying for 139.130.20.189) (SquirrelMail authenticated user x) by jmason.org with HTTP
  { re: re`^(${IP}) \([A-Za-z][^\)]+\) by (\S+) with `, groups: ['ip', 'by'] },
  // CommuniGate Pro / Nemesis / Exim (bug 4704): from [206.51.230.145] (helo=t-online.de) by mxeu2.kundenserver.de with ESMTP (Nemesis)
  {
    re: re`^\[(${IP})\] \(([^\)]+)\) by (\S+) `,
    groups: ['ip', undefined, 'by'],
    apply: (m, f) => {
      eximSub(m[2]!, f);
    },
  },
  // from mtsbp606.example.net (?dXqpg3b0hiH9faI2OxLT94P/YKDD3rQ1?@64.253.199.166) by kde.example.de with SMTP
  { re: re`^(\S+) \((?:\S+\@)?(${IP})\) by (\S+) with `, groups: ['rdns', 'ip', 'by'] },
  // Obtuse smtpd: from TCE-E-7-182-54.bta.net.cn(202.106.182.54), claiming to be "foo.woas.net" via SMTP by st.tahina.priv.at, id smtpd1PBsZT
  {
    re: re`^(\S+)\((${IP})\)(?:, claiming to be "(\S+)")? via \S+ by (\S+),`,
    groups: ['rdns', 'ip', undefined, 'by'],
    apply: (m, f) => {
      f.helo = m[3] ?? '';
      if (m[1] !== 'UNKNOWN') {
        f.mtaLookedUpDns = true;
        f.rdns = m[1]!;
      }
    },
  },
  // Yahoo Authenticated SMTP (bug 6535): from itrqtnlnq (user@93.124.107.183 with login) by smtp111.mail.ne1.yahoo.com with SMTP
  { re: re`^(\S+) \((\S+)@(${IP}) with login\) by (\S+\.yahoo\.com) with SMTP`, groups: ['helo', undefined, 'ip', 'by'] },
  // the synthetic line parse_received_headers makes from X-Originating-IP style headers
  {
    re: re`^X-Originating-IP: (${IP})$`,
    groups: ['ip'],
    apply: (_m, f) => {
      f.by = '';
    },
  },
];

export function moreRules(s: string, f: Fields): Outcome {
  return runRules(RULES, s, f);
}
