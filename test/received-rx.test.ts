// Tests for the pattern layer of the parse_received_line port (src/mail/received/regex.ts Rx,
// literals.ts, loose-ip.ts): the pre-tests are necessary conditions and the IP-free twins give the
// very matches of the patterns themselves, for every pattern the rules use, on many synthetic lines.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseReceivedLine } from '../src/mail/received.js';
import { ALL_PATTERNS, ipWhole, IP, re } from '../src/mail/received/regex.js';
import { anchoredPrefix, ANY1, IP_ATOM, IP_RUN, requiredLiterals } from '../src/mail/received/literals.js';
import { looseTwin } from '../src/mail/received/loose-ip.js';

test('requiredLiterals: runs, alternations, quantifiers, groups', () => {
  const c = (src: string): string[][] => requiredLiterals(src).clauses.map((x) => [...x]);
  assert.deepEqual(c(String.raw`^(\S+) \((\S+) \[${IP_ATOM}\]\) by (\S+) `), [[']) by '], [' ('], [' [']]);
  assert.deepEqual(c('a|bc'), [['a', 'bc']]);
  assert.deepEqual(c('xab?cd'), [['xa'], ['cd']]);
  assert.deepEqual(c('ab+c'), [['ab'], ['c']]);
  assert.deepEqual(c('(?:x|)y'), [['y']]);
  assert.deepEqual(c('q(?!zz)r'), [['q'], ['r']]);
  assert.deepEqual(c(String.raw`with \d{2,}x`), [['with '], ['x']]);
  assert.deepEqual(c(String.raw`a\x41b`), []); // escapes with arguments: not modelled
  assert.deepEqual(c('(?<n>a)'), []); // named groups: not modelled
  assert.equal(requiredLiterals(String.raw`\[XMail `).literal, '[XMail ');
  assert.equal(requiredLiterals(String.raw`\bwith`).literal, undefined);
});

test('anchoredPrefix: runs end at the string that follows them', () => {
  assert.deepEqual(anchoredPrefix(String.raw`^(\S+) \((\S+) \[(${IP_ATOM})\]\) by (\S+) `), [1, ' (', 1, ' [', IP_RUN, ']) by ', 1, ' ']);
  assert.deepEqual(anchoredPrefix(String.raw`^([^\d]\S+) \((${IP_ATOM})\) by `), [ANY1, 1, ' (', IP_RUN, ') by ']);
  // a run not followed by a space, an optional piece, an alternation: the prefix stops before them
  assert.deepEqual(anchoredPrefix(String.raw`^(\S+)\((${IP_ATOM})\)`), []);
  assert.deepEqual(anchoredPrefix(String.raw`^x\[?y`), ['x']);
  assert.deepEqual(anchoredPrefix('^ab|c'), []);
  assert.deepEqual(anchoredPrefix('ab'), []);
});

test('looseTwin: only IPs between fixed delimiters', () => {
  assert.ok(looseTwin(String.raw`^(\S+) \[(${IP_ATOM})\] by`));
  assert.ok(looseTwin(String.raw`^(${IP_ATOM}) by`));
  assert.equal(looseTwin(String.raw`^(\S+) \[(${IP_ATOM})(?::\d+)?\]`), undefined); // IP may end early
  assert.equal(looseTwin(String.raw`(${IP_ATOM})\b`), undefined); // anything may precede
  assert.equal(looseTwin(String.raw`^(?:\[(${IP_ATOM})\] )*x`), undefined); // repeated
  const t = looseTwin(String.raw`^\S+ \((\S+\@)?\[?${IP_ATOM}\]?\) by`);
  assert.ok(t && t.renumbered && t.groups[0] === 2);
});

// lines shaped like the ones the rules look for, with valid and invalid IPs in every position
const HEADS = ['mail.example.com', 'unknown', 'localhost', '192.0.2.1', '[192.0.2.1]', '(192.0.2.1)', 'x', '', 'user@example.com', '([10.0.0.1])', 'X-Originating-IP:'];
const IPS = ['203.0.113.5', '10.1.2.3', '127.0.0.1', '999.1.1.1', '1.2.3', '1.2.3.4.5', '::1', 'fe80::1%eth0', 'IPv6:2001:db8::1', '::ffff:1.2.3.4', 'dead', '1.2.3.4:25', '1.2.3.04', 'abc', '2001:db8::1:2:3:4:5:6:7'];
const MIDDLES = [
  ' (HOST [IP])',
  ' (HOST [IP] (may be forged))',
  ' ([IP])',
  ' (IP)',
  ' [IP]',
  ' (HELO h) (IP)',
  ' (HELO h) (u@IP)',
  ' (HELO h) ([IP])',
  ' (EHLO h) [IP]',
  ' (u@[IP])',
  ' (HOST[IP])',
  ' ([IP] helo=h)',
  ' ([IP]:123)',
  ' ( [IP])',
  ' ([IP] verified)',
  '(IP)',
  '(IP, HELO h)',
  ' [(IP)]',
  ' (IP:25)',
  ' (unverified [IP])',
  ' (HOST [IP]) (authenticated bits=0)',
  ' ([IP] [IP])',
  ' IP',
  '',
];
const TAILS = [
  ' by mx.example.org (8.12.11/8.12.11) with ESMTP id abc',
  ' by mx.example.org with SMTP',
  ' by mx.example.org (Postfix) with ESMTP id X',
  ' by mx.example.org [IP] with SMTP (MDaemon.PRO.v5.0.6.R)',
  ' by mx.example.org (IP) (MDaemon PRO v19)',
  ' by mx.example.org via smap (V1.3)',
  ' by mx.example.org (qpsmtpd/0.27) with ESMTP',
  ' by mx.example.org (IP) with HTTP (WebMailUI)',
  ' by mx.example.org with [XMail 1.20 ESMTP Server] id <S7>',
  ' by mx.example.org with Microsoft SMTPSVC(5.0.2195.6624)',
  ' by mx.example.org with Microsoft SMTP Server id 8.0.1.1',
  ' by mx.example.org (ecelerity 2.1) with ESMTP',
  ' by mx.example.org with esmtp (Exim 4.50) id 1',
  ' by mx.example.org via HTTP',
  '',
];

function syntheticLines(): string[] {
  const out: string[] = [];
  let seed = 7;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return Math.floor((seed / 2147483648) * n);
  };
  for (const mid of MIDDLES) {
    for (const tail of TAILS) {
      for (let k = 0; k < 4; k++) {
        const ip = (): string => IPS[rnd(IPS.length)]!;
        const head = HEADS[rnd(HEADS.length)]!;
        const line = (head + mid + tail).replace(/IP/g, ip).replace('HOST', rnd(2) ? 'rdns.example.net' : 'unknown');
        out.push(line, 'from ' + line);
      }
    }
  }
  return out;
}

test('every pattern: pre-tests are necessary, Rx.exec/test give the regex own results', () => {
  parseReceivedLine('from x (y [192.0.2.1]) by z'); // load every rule module
  assert.ok(ALL_PATTERNS.length > 100);
  const lines = syntheticLines();
  let matched = 0;
  for (const rx of ALL_PATTERNS) {
    for (const s of lines) {
      const want = rx.re.exec(s);
      if (want) {
        matched++;
        assert.ok(rx.possible(s), `${rx.re.source} rejects ${s}`);
      }
      // twice: the first runs use the pre-tests, later ones may not
      for (let k = 0; k < 3; k++) {
        assert.deepEqual(rx.exec(s), want, `${rx.re.source} on ${s}`);
        assert.equal(rx.test(s), want !== null, `${rx.re.source} on ${s}`);
      }
    }
  }
  assert.ok(matched > 1000, `too few matching cases (${matched})`);
});

test('a pattern with an IP keeps its IP semantics through its twin', () => {
  const rx = re`^(\S+) \[(${IP})\] by `;
  assert.equal(rx.exec('h [1.2.3.4] by x')?.[2], '1.2.3.4');
  assert.equal(rx.exec('h [1.2.3.4.5] by x'), null);
  assert.equal(rx.exec('h [IPv6:::1] by x')?.[2], 'IPv6:::1');
  assert.equal(rx.exec('h [256.1.1.1] by x'), null);
});

test('ipWhole agrees with ^IP_ADDRESS$ wherever it decides', () => {
  const exact = new RegExp(`^(?:${IP})$`);
  for (let o = 0; o < 1000; o++) {
    for (const t of [`${o}.1.2.3`, `1.2.3.${o}`, `0${o}.1.1.1`, `1.00${o}.1.1`, `::ffff:1.2.3.${o}`, `1.2.3.4:${o}`]) {
      const w = ipWhole(t);
      if (w !== undefined) assert.equal(w, exact.test(t), t);
    }
  }
  let seed = 99;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return Math.floor((seed / 2147483648) * n);
  };
  const ALPHABET = '0123456789....::::abcfABFiIpPvV';
  let decided = 0;
  for (let k = 0; k < 50000; k++) {
    let t = rnd(8) === 0 ? 'IPv6:' : '';
    for (let j = rnd(20); j >= 0; j--) t += ALPHABET[rnd(ALPHABET.length)];
    const w = ipWhole(t);
    if (w !== undefined) {
      decided++;
      assert.equal(w, exact.test(t), t);
    }
  }
  assert.ok(decided > 40000);
  assert.equal(ipWhole('10.6.147.53:2519'), false);
  assert.equal(ipWhole('::ffff:1.2.3.4'), undefined);
  assert.equal(ipWhole('::1'), undefined);
});
