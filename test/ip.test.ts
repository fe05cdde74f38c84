// Tests for src/mail/ip.ts (Constants.pm IP_ADDRESS, IP_PRIVATE, LOCALHOST). Expected values were
// produced with the installed Mail::SpamAssassin::Constants (perl -MMail::SpamAssassin::Constants=:ip).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { caseless, firstIpAddress, IP_ADDRESS_SRC, IP_PRIVATE_RE, isPrivateIp, LOCALHOST_SRC } from '../src/mail/ip.js';

// `$ip =~ /${IP_PRIVATE}/`: IPv4 ranges 10/8, 127/8, 169.254/16, 172.16/12, 192.168/16, 100.64/10;
// IPv6 ::1, fe80::/10 and IPv4-mapped forms of the IPv4 ranges; not fc00::/7 (a TODO upstream).
const PRIVATE: Array<[string, boolean]> = [
  ["10.0.0.1",true],
  ["9.255.255.255",false],
  ["127.0.0.1",true],
  ["128.0.0.1",false],
  ["169.254.1.1",true],
  ["169.253.1.1",false],
  ["172.15.0.1",false],
  ["172.16.0.1",true],
  ["172.31.255.255",true],
  ["172.32.0.1",false],
  ["192.168.0.1",true],
  ["192.169.0.1",false],
  ["100.63.0.1",false],
  ["100.64.0.1",true],
  ["100.127.255.255",true],
  ["100.128.0.1",false],
  ["203.0.113.5",false],
  ["::1",true],
  ["0:0:0:0:0:0:0:1",true],
  ["0000:0000:0000:0000:0000:0000:0000:0001",true],
  ["::2",false],
  ["fe80::1",true],
  ["FE80::0202:B3FF:FE1E:8329",true],
  ["febf::1",true],
  ["fec0::1",false],
  ["fc00::1",false],
  ["fd12:3456::1",false],
  ["::ffff:10.1.2.3",true],
  ["::FFFF:192.168.1.1",true],
  ["0:0:0:0:0:ffff:172.16.0.9",true],
  ["::ffff:203.0.113.5",false],
  ["::ffff:0:10.0.0.1",false],
  ["IPv6:::1",true],
  ["2001:db8::1",false],
  ["10",false],
  ["10.",true],
  ["x10.0.0.1",false],
];

// `$str =~ m/($IP_ADDRESS)/` (used on X-Originating-IP style headers)
const FIRST: Array<[string, string | null]> = [
  ["[203.0.113.200]","203.0.113.200"],
  ["first 192.168.7.7 then 8.8.8.8","192.168.7.7"],
  ["foo 2001:db8::5 bar","2001:db8::5"],
  ["IPv6:fe80::2","IPv6:fe80::2"],
  ["::ffff:192.168.3.3","::ffff:192.168.3.3"],
  ["none",null],
  ["1.2.3.256",null],
  ["01.2.3.4",null],
  ["a1.2.3.4",null],
  ["1.2.3.4.5","1.2.3.4"],
  [":1.2.3.4",null],
  ["abc::1","abc::1"],
  ["2001:DB8::1 x","2001:DB8::1"],
  ["host-1-2-3-4 and 999.1.1.1 and 10.20.30.40","10.20.30.40"],
  ["1:2:3:4:5:6:7:8:9",null],
  ["::","::"],
];

// `/(${LOCALHOST})/`
const LOCAL: Array<[string, string | null]> = [
  ["localhost","localhost"],
  ["LOCALHOST.LocalDomain","LOCALHOST.LocalDomain"],
  ["127.0.0.1","127.0.0.1"],
  ["::127.0.0.1",null],
  ["::ffff:127.0.0.1","::ffff:127.0.0.1"],
  ["::1","::1"],
  ["0:0:0:0:0:0:0:1","0:0:0:0:0:0:0:1"],
  ["a::1",null],
  ["x127.0.0.1",null],
  ["IPv6:::1","IPv6:::1"],
];

for (const [ip, want] of PRIVATE) {
  test(`IP_PRIVATE ${ip} -> ${want}`, () => {
    assert.equal(isPrivateIp(ip), want);
  });
}

for (const [s, want] of FIRST) {
  test(`IP_ADDRESS first match in ${JSON.stringify(s)}`, () => {
    assert.equal(firstIpAddress(s) ?? null, want);
  });
}

const LOCALHOST_RE = new RegExp(`(${LOCALHOST_SRC})`);
for (const [s, want] of LOCAL) {
  test(`LOCALHOST in ${JSON.stringify(s)}`, () => {
    assert.equal(LOCALHOST_RE.exec(s)?.[1] ?? null, want);
  });
}

test('caseless: letters outside and inside classes match both cases, escapes untouched', () => {
  assert.equal(caseless('ab'), '[aA][bB]');
  assert.equal(caseless('[a-f0-9:]'), '[a-f0-9:A-F]');
  assert.equal(caseless('\\b\\d[^\\n]'), '\\b\\d[^\\n]');
  const re = new RegExp(`^${caseless('fe[89ab][0-9a-f]:')}$`);
  assert.ok(re.test('FE8C:'));
  assert.ok(!re.test('fe8g:'));
});

test('firstIpAddress / isPrivateIp agree with the full IP_ADDRESS / IP_PRIVATE on random text', () => {
  const first = new RegExp(IP_ADDRESS_SRC);
  let seed = 5;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return Math.floor((seed / 2147483648) * n);
  };
  const PIECES = ['1', '0', '9', '25', '255', '256', '10', '127', '172', '16', '192', '168', '100', '64', '169', '254', '.', '.', '.', ':', '::', 'a', 'f', 'x', ' ', '[', ']', 'IPv6:', 'ffff', 'fe80'];
  let hits = 0;
  for (let k = 0; k < 30000; k++) {
    let t = '';
    for (let j = rnd(14); j >= 0; j--) t += PIECES[rnd(PIECES.length)]!;
    const m = first.exec(t);
    if (m) hits++;
    assert.equal(firstIpAddress(t), m ? m[0] : undefined, t);
    assert.equal(isPrivateIp(t), IP_PRIVATE_RE.test(t), t);
  }
  assert.ok(hits > 1000, `too few addresses (${hits})`);
});
