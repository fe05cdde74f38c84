import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRfc822Date, receiveDate, firstDate } from '../src/mail/date.js';

// Expected values from Mail::SpamAssassin::Util::parse_rfc822_date (4.0.1, TZ=UTC).
const DATES: Array<[string, number | undefined]> = [
  ['Tue, 13 Feb 2024 09:30:00 +0100', 1707813000],
  ['bob@x Tue Feb 13 09:30:00 2024', 1707782400], // asctime form swallows the time of day
  ['13 Feb 02 25:61:61 EST', 1013662799], // clamps 23:59:59, 2-digit year, named zone
  ['31 Feb 2024 10:00:00 GMT', 1709287200], // day past month end -> 1st of next month
  ['0 Jan 2020 10:00:00', undefined], // timegm croaks
  ['1 Jan 1970 00:30:00 +0100', 0], // '+' offset larger than the time
  ['5 Mar 2099 1:02 SMTP', 2119827720], // year clamp 2037; unknown first zone word -> -0000
  ['5 Dec 49 10:00', 2143620000], // 49 -> 2049 -> 2037
  ['5 Dec 150 10:00 PDT', 2143645200], // 3-digit year + 1900
  ['x', undefined],
  ['31 Dec 2037 23:00:00 -0200', 2145920400],
];
for (const [s, t] of DATES) {
  test(`parse_rfc822_date(${JSON.stringify(s)})`, () => assert.equal(parseRfc822Date(s), t));
}

test('first_date skips 0 and unparsable strings', () => {
  assert.equal(firstDate('x', '1 Jan 1970 00:30:00 +0100', '2 Jan 1970 00:00:00 +0000'), 86400);
  assert.equal(firstDate('x'), undefined);
});

const NOW = 1234567890;
test('receive_date: first Received wins', () => {
  const h = 'From a@b Tue Feb 13 09:30:00 2024\nReceived: from x by y; Wed, 14 Feb 2024 10:00:00 +0000\nReceived: from z by x; Thu, 15 Feb 2024 10:00:00 +0000\nDate: Mon, 1 Jan 2024 00:00:00 +0000\n';
  assert.equal(receiveDate(h, NOW), Date.UTC(2024, 1, 14, 10) / 1000);
});

test('receive_date: a localhost first hop is moved behind the From_ line', () => {
  const h = 'From a@b Tue Feb 13 09:30:00 2024\nReceived: from localhost (localhost [127.0.0.1]) by y; Wed, 14 Feb 2024 10:00:00 +0000\nReceived: from fetch by localhost with POP3 (fetchmail-5.9.0) for x; Thu, 15 Feb 2024 10:00:00 +0000\nReceived: from z by x; Fri, 16 Feb 2024 10:00:00 +0000\n';
  // rcvd = [z]; local = [localhost, fetchmail]; the first rcvd entry is tried first
  assert.equal(receiveDate(h, NOW), Date.UTC(2024, 1, 16, 10) / 1000);
  const h2 = 'From a@b Tue Feb 13 09:30:00 2024\nReceived: from localhost (localhost [127.0.0.1]) by y; Wed, 14 Feb 2024 10:00:00 +0000\nReceived: from fetch by localhost with POP3 (fetchmail-5.9.0) for x; Thu, 15 Feb 2024 10:00:00 +0000\n';
  assert.equal(receiveDate(h2, NOW), Date.UTC(2024, 1, 14, 10) / 1000);
});

test('receive_date: From_ line (local zone appended), then Resent-Date, then Date, then now', () => {
  assert.equal(receiveDate('From a@b Tue Feb 13 09:30:00 2024\nDate: Mon, 1 Jan 2024 00:00:00 +0000\n', NOW, '+0100'), 1707782400 - 3600);
  assert.equal(receiveDate('Resent-Date: 2 Jan 2024 00:00:00 +0000\nDate: Mon, 1 Jan 2024 00:00:00 +0000\n', NOW), Date.UTC(2024, 0, 2) / 1000);
  assert.equal(receiveDate('Date: Mon, 1 Jan 2024 00:00:00 +0000\nDate: 5 Jan 2024 00:00:00 +0000\n', NOW), Date.UTC(2024, 0, 1) / 1000);
  assert.equal(receiveDate('Subject: x\n', NOW), NOW);
});

test('receive_date: an empty Resent-Date captures the next line (\\s* spans the newline)', () => {
  assert.equal(receiveDate('Resent-Date: \nX: 3 Jan 2024 00:00:00 +0000\n', NOW), Date.UTC(2024, 0, 3) / 1000);
});

test('receive_date: header names count only at a line start (first line included), any case', () => {
  const mid = 'X-Note: Received: from a; 1 Mar 2020 00:00:00 +0000\nDate: 2 Mar 2020 00:00:00 +0000\n';
  assert.equal(receiveDate(mid, NOW), Date.UTC(2020, 2, 2) / 1000);
  const first = 'RECEIVED: from a; 3 Mar 2020 00:00:00 +0000\nDate: 2 Mar 2020 00:00:00 +0000\n';
  assert.equal(receiveDate(first, NOW), Date.UTC(2020, 2, 3) / 1000);
  const folded = 'X-A: b\n Date: 4 Mar 2020 00:00:00 +0000\nResent-Date: x\n';
  assert.equal(receiveDate(folded, NOW), NOW); // the folded "Date:" is not at a line start
});
