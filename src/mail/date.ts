// Mirrors Mail::SpamAssassin::Util::receive_date, first_date, parse_rfc822_date and local_tz (Util.pm),
// called by Message.pm::receive_date on get_all_headers(0, 1). The learner's "+1 day => now" clamp is not
// here (Plugin/Bayes.pm, see the learner).

/** Util.pm %TZ (spec B.5). */
const TZ: Readonly<Record<string, string>> = {
  UT: '+0000', UTC: '+0000', GMT: '+0000', WET: '+0000',
  NDT: '-0230', AST: '-0400', ADT: '-0300', NST: '-0330',
  EST: '-0500', EDT: '-0400', CST: '-0600', CDT: '-0500',
  MST: '-0700', MDT: '-0600', PST: '-0800', PDT: '-0700',
  HST: '-1000', AKST: '-0900', AKDT: '-0800', HADT: '-0900', HAST: '-1000',
  BST: '+0100', IST: '+0100', WEST: '+0100', CET: '+0100', MET: '+0100', MEZ: '+0100',
  CEST: '+0200', MEST: '+0200', MESZ: '+0200', EET: '+0200',
  EEST: '+0300', MSK: '+0300', IDT: '+0300', MSD: '+0400',
  BRST: '-0200', BRT: '-0300',
  AEST: '+1000', AEDT: '+1100', ACST: '+0930', ACDT: '+1030', AWST: '+0800',
  NZST: '+1200', NZDT: '+1300',
  JST: '+0900', KST: '+0900', HKT: '+0800', SGT: '+0800', PHT: '+0800',
};
const MONTH: Readonly<Record<string, number>> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
};
/** parse_rfc822_date forces years into this range (Time::Local 32-bit concerns). */
const MIN_YEAR = 1970;
const MAX_YEAR = 2037;

const MON = '(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const RE_COMMA = /, */g;
const RE_WS = /[\t\n\x0B\f\r ]+/g;
const RE_DATE1 = new RegExp(` (\\d+) ${MON} (\\d{4}) `, 'i');
const RE_DATE2 = new RegExp(` ${MON} +(\\d+) \\d+:\\d+:\\d+ (\\d{4}) `, 'i');
const RE_DATE3 = new RegExp(` (\\d+) ${MON} (\\d{2,3}) `, 'i');
const RE_TIME = / (\d?\d):(\d\d)(:(\d\d))? /;
const RE_NUMZONE = / ([-+]\d{4}) /;
const RE_NAMEZONE = /\b([A-Z]{2,4}(?:-DST)?)\b/;
const RE_OFFSET = /([-+])(\d\d)(\d\d)$/;

// receive_date (header text = mbox separator + "Name: value\n" lines). The line-start patterns
// (Perl /^.../m) run on "\n" + text with a leading "\n" in place of `^|(?<=\n)`: same captures, and a
// literal first character lets the regex engine skip ahead instead of trying every position.
const RE_CONT = /\n[ \t]+/g;
const RE_RECEIVED = /\nReceived:([^\n]*)/gi;
const RE_QMAIL = /qmail \d+ invoked by uid \d+/;
const RE_LOCALHOST = /\bfrom (?:localhost[\t\n\x0B\f\r ]|(?:[^\t\n\x0B\f\r ]+ ){1,2}[^\t\n\x0B\f\r ]*\b127\.0\.0\.1\b)/;
const RE_FETCHMAIL = /\bby localhost with \w+ \(fetchmail-[\d.]+/;
const RE_FROM_LINE = /\n(?:From|X-From-Line:)[\t\n\x0B\f\r ]+([^\n]+)(?=\n|$)/i;
const RE_HAS_ZONE = /(?:[-+]\d{4}|\b[A-Z]{2,4}\b)/;
const RE_RESENT_DATE = /\nResent-Date:[\t\n\x0B\f\r ]*([^\n]+)(?=\n|$)/i;
const RE_DATE_HDR = /\nDate:[\t\n\x0B\f\r ]*([^\n]+)(?=\n|$)/i;

/** Util.pm::local_tz: the machine's current UTC offset as ±HHMM (Perl's sprintf quirks included). */
export function localTz(): string {
  const z = -new Date().getTimezoneOffset(); // minutes east of UTC
  const h = Math.trunc(z / 60);
  const m = ((z % 60) + 60) % 60; // Perl % takes the sign of the right operand
  const hs = `${h < 0 ? '-' : '+'}${String(Math.abs(h)).padStart(2, '0')}`;
  return hs + String(m).padStart(2, '0');
}

function daysInMonth(mon: number, year: number): number {
  if (mon === 4 || mon === 6 || mon === 9 || mon === 11) return 30;
  if (mon === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return 31;
}

/**
 * Util.pm::parse_rfc822_date: epoch seconds, or undefined when the date cannot be parsed (including
 * Time::Local croaking on day 0). May return 0 (a '+' zone before the epoch).
 */
export function parseRfc822Date(date: string): number | undefined {
  let s = (' ' + date + ' ').replace(RE_COMMA, ' ').replace(RE_WS, ' ');
  let dd: number, mon: string, yyyyStr: string;
  let m: RegExpExecArray | null;
  if ((m = RE_DATE1.exec(s))) {
    dd = Number(m[1]); mon = m[2]!.toLowerCase(); yyyyStr = m[3]!;
  } else if ((m = RE_DATE2.exec(s))) {
    dd = Number(m[2]); mon = m[1]!.toLowerCase(); yyyyStr = m[3]!;
  } else if ((m = RE_DATE3.exec(s))) {
    dd = Number(m[1]); mon = m[2]!.toLowerCase(); yyyyStr = m[3]!;
  } else {
    return undefined;
  }
  s = s.slice(0, m.index) + ' ' + s.slice(m.index + m[0].length);

  let yyyy = Number(yyyyStr);
  if (yyyyStr.length === 2 && yyyy < 50) yyyy += 2000;
  else if (yyyyStr.length !== 4) yyyy += 1900;

  let hh = 0, mm = 0, ss = 0;
  if ((m = RE_TIME.exec(s))) {
    hh = Number(m[1]); mm = Number(m[2]); ss = m[4] !== undefined ? Number(m[4]) : 0;
    s = s.slice(0, m.index) + ' ' + s.slice(m.index + m[0].length);
  }

  let tzoff: string | undefined;
  if ((m = RE_NUMZONE.exec(s))) {
    tzoff = m[1];
  } else if ((m = RE_NAMEZONE.exec(s)) && Object.prototype.hasOwnProperty.call(TZ, m[1]!)) {
    tzoff = TZ[m[1]!];
  }
  tzoff ||= '-0000';

  let mmm = MONTH[mon] ?? 0;
  if (ss > 59) ss = 59;
  if (mm > 59) mm = 59;
  if (hh > 23) hh = 23;
  if (dd > daysInMonth(mmm, yyyy)) {
    dd = 1;
    mmm++;
    if (mmm > 12) {
      mmm = 1;
      yyyy++;
    }
  }
  if (yyyy > MAX_YEAR) yyyy = MAX_YEAR;
  else if (yyyy < MIN_YEAR) yyyy = MIN_YEAR;

  // Time::Local::timegm croaks on a day outside 1..days-in-month (only 0 can remain here).
  if (dd < 1 || dd > daysInMonth(mmm, yyyy)) return undefined;
  let time = Date.UTC(yyyy, mmm - 1, dd, hh, mm, ss) / 1000;

  const o = RE_OFFSET.exec(tzoff);
  if (o) {
    const off = (Number(o[2]) * 60 + Number(o[3])) * 60;
    if (o[1] === '-') time += off;
    else if (time < off) time = 0;
    else time -= off;
  }
  return time;
}

/** Util.pm::first_date: the first string giving a non-zero time. */
export function firstDate(...strings: string[]): number | undefined {
  for (const s of strings) {
    const t = parseRfc822Date(s);
    if (t !== undefined && t !== 0) return t;
  }
  return undefined;
}

/**
 * Util.pm::receive_date on the header text (mbox separator line first, then "Name: value\n" lines as
 * from get_all_headers). Falls back to `now` (epoch seconds) when nothing parses. `tz` defaults to
 * localTz(), computed only if a From_ line without a zone needs it.
 */
export function receiveDate(headerText: string, now: number = Math.floor(Date.now() / 1000), tz?: string): number {
  const header = '\n' + headerText.replace(RE_CONT, ' '); // see RE_CONT
  const rcvd: string[] = [];
  RE_RECEIVED.lastIndex = 0;
  for (let m = RE_RECEIVED.exec(header); m; m = RE_RECEIVED.exec(header)) rcvd.push(m[1]!);
  const local: string[] = [];

  if (rcvd.length > 0) {
    if (RE_QMAIL.test(rcvd[0]!) || RE_LOCALHOST.test(rcvd[0]!)) local.push(rcvd.shift()!);
    if (rcvd.length > 0 && RE_FETCHMAIL.test(rcvd[0]!)) local.push(rcvd.shift()!);
    else if (local.length > 0) rcvd.unshift(local.shift()!);
  }

  let time: number | undefined;
  if (rcvd.length > 0) {
    time = firstDate(rcvd.shift()!);
    if (time !== undefined) return time;
  }
  if (local.length > 0) {
    time = firstDate(...local);
    if (time !== undefined) return time;
  }
  let m = RE_FROM_LINE.exec(header);
  if (m) {
    let str = m[1]!;
    if (!RE_HAS_ZONE.test(str)) str += ' ' + (tz ?? localTz()); // local_tz only when needed (first use is costly)
    time = firstDate(str);
    if (time !== undefined) return time;
  }
  if (rcvd.length > 0) {
    time = firstDate(...rcvd);
    if (time !== undefined) return time;
  }
  if ((m = RE_RESENT_DATE.exec(header))) {
    time = firstDate(m[1]!);
    if (time !== undefined) return time;
  }
  if ((m = RE_DATE_HDR.exec(header))) {
    time = firstDate(m[1]!);
    if (time !== undefined) return time;
  }
  return now;
}
