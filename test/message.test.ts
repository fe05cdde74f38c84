import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseMessage, parseMessageString, splitLines } from '../src/mail/message.js';
import { bodyDigest, generateMsgid, getMsgid } from '../src/mail/msgid.js';
import { receiveDate } from '../src/mail/date.js';
import { renderBody, effectiveType } from '../src/mail/render.js';
import { removeMarkup } from '../src/mail/markup.js';
import { hasSaPerl } from './helpers/env.js';

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = join(here, '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'mail');
const PROBE = join(ROOT, 'tools', 'probes', 'message-model.pl');

const msg = (s: string) => parseMessage(Buffer.from(s, 'latin1'));

test('splitLines keeps line endings and a final partial line', () => {
  assert.deepEqual(splitLines('a\nb\r\nc'), ['a\n', 'b\r\n', 'c']);
  assert.deepEqual(splitLines('a\n'), ['a\n']);
  assert.deepEqual(splitLines(''), []);
});

test('From_ line becomes mboxSep; "From :" is a header', () => {
  assert.equal(msg('From a@b Tue Feb 13 09:30:00 2024\nSubject: x\n\nb\n').mboxSep, 'From a@b Tue Feb 13 09:30:00 2024\n');
  const m = msg('From : x\nSubject: y\n\nb\n');
  assert.equal(m.mboxSep, undefined);
  assert.equal(m.getHeader('From'), 'x');
});

test('getHeader returns the last decoded instance without "\\n"; getHeaders all', () => {
  const m = msg('X-A: one\nx-a:  two\n  folded\t\nSubject: s\n\nbody\n');
  assert.equal(m.getHeader('X-A'), 'two folded');
  assert.deepEqual(m.getHeaders('x-A'), ['one', 'two folded']);
  assert.equal(m.getHeader('Missing'), undefined);
  assert.deepEqual(m.getAllHeaders(), ['X-A: one\n', 'x-a: two folded\n', 'Subject: s\n']);
  assert.deepEqual(m.headerEntries(), [['X-A', 'one'], ['x-a', 'two folded'], ['Subject', 's']]);
});

test('header loop: a 4th invalid line ends the headers and stays in the body', () => {
  const m = msg('Subject: s\nbad one\nbad two\nX-A: 1\nbad three\nbad four\nX-B: 2\n\nbody\n');
  assert.deepEqual(m.getAllHeaders(), ['Subject: s\n', 'X-A: 1\n']);
  assert.equal(m.pristineBody, 'bad four\nX-B: 2\n\nbody\n');
});

test('header loop: a "--" line ends the headers; key WSP stripped; key/value limits', () => {
  const m = msg('Subject : s\n--b\nrest\n');
  assert.equal(m.getHeader('subject'), 's');
  assert.equal(m.pristineBody, '--b\nrest\n');
  const long = msg(`X-${'K'.repeat(300)}: v\nSubject: ${'v'.repeat(9000)}\n\nb\n`);
  assert.equal(long.headerOrder[0]!.length, 256);
  assert.equal(long.getHeader('subject')!.length, 8191); // 8192 raw bytes incl. the leading space
});

test('CRLF mode: digest hashes LF, headers lose CR', () => {
  const m = msg('Subject: s\r\n\r\nLine one of CRLF body.\nLine two.\r\n\r\n');
  assert.equal(m.lineEnding, '\r\n');
  assert.equal(bodyDigest(m), '6caa728e01bc241665018f126ab5f45355a91840');
});

test('generate_msgid uses To and Date with "\\n", get_msgid strips <>', () => {
  const m = msg('To: Bob\n <bob@x>\nDate: Tue, 13 Feb 2024 09:30:00 +0100\nMessage-Id:  <abc@def>  \n\nLine one of CRLF body.\nLine two.\n\n');
  assert.equal(generateMsgid(m), '16e2bd32afab08068f25f40aefe6006238509d25@sa_generated');
  assert.equal(getMsgid(m), 'abc@def');
  assert.equal(getMsgid(msg('Message-Id: abc\n\nb\n')), null);
});

test('more than 20 blank lines are collapsed to 20 in the MIME body, not in pristineBody', () => {
  const raw = 'Subject: b\n\n' + '\n'.repeat(25) + 'a\n';
  const m = msg(raw);
  assert.equal(m.pristineBody, '\n'.repeat(25) + 'a\n');
  assert.equal(m.leaves()[0]!.raw!.length, 21 + 1); // run reaching line 0 keeps 21
});

test('multipart body not starting with a boundary gets a blank line first', () => {
  const m = msg('Content-Type: multipart/mixed; boundary=XYZ\n\nContent-Type: text/plain\n\npre\n--XYZ\n\nin\n--XYZ--\n');
  assert.deepEqual(m.leaves().map((p) => p.raw!.join('')), ['in']);
});

test('multipart parts: 2048-byte split, digest default type, html by name, chomp at boundary', () => {
  const m = msg('Content-Type: multipart/digest; boundary=d\n\n--d\n\nSubject: first\n\nfirst body\n--d\nContent-Type: application/octet-stream; name="a.shtml"\n\n' + 'x'.repeat(2050) + '\n--d--\n');
  const leaves = m.leaves();
  assert.equal(leaves[0]!.type, 'text/plain'); // the nested message's own type
  assert.equal(leaves[0]!.decode(), 'first body');
  assert.equal(effectiveType(leaves[1]!), 'text/html');
  assert.deepEqual(leaves[1]!.raw, ['x'.repeat(2048) + '\n', 'xx']);
});

test('nested message and a reparse with a smaller subparse depth', () => {
  const inner = parseMessageString('Content-Type: multipart/mixed; boundary=a\n\n--a\n\nx\n--a--\n', 0);
  assert.equal(inner.leaves()[0]!.type, 'multipart/mixed'); // depth exhausted: parsed as a leaf
});

test('render: subject first, paragraphs joined, whitespace collapsed', () => {
  const m = msg('Subject: Hi\n\nHello  Bob.\nSecond line\n\n\nThanks\n');
  assert.deepEqual(renderBody(m).visible, ['Hi\n', 'Hello Bob. Second line\n', 'Thanks ']);
  assert.deepEqual(renderBody(m).invisible, []);
});

test('removeMarkup restores X-Spam-Prev headers and drops report blocks', () => {
  const m = msg('X-Spam-Checker-Version: SA\nX-Spam-Prev-Subject: orig\nSubject: [SPAM] orig\nTo: t@x\n\nSPAM: ---- a\nSPAM: b\nSPAM: ---- c\n\nreal\n');
  assert.equal(removeMarkup(m), 'Subject: orig\nTo: t@x\n\nreal\n');
});

// Differential test against the installed SpamAssassin on the synthetic fixtures.
function haveSpamAssassin(): boolean {
  return hasSaPerl();
}

test('fixtures agree with Mail::SpamAssassin::Message (tools/probes/message-model.pl)', (t) => {
  if (!existsSync(PROBE) || !haveSpamAssassin()) {
    t.skip('perl with Mail::SpamAssassin is not installed');
    return;
  }
  const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.eml')).sort().map((f) => join(FIXTURES, f));
  const out = execFileSync('perl', [PROBE, ...files], { env: { ...process.env, TZ: 'UTC' }, stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 26 });
  const records = out.toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(records.length, files.length);
  const failures: string[] = [];
  for (const rec of records) {
    const raw = readFileSync(rec.file as string).toString('latin1');
    const m = parseMessage(Buffer.from(raw, 'latin1'));
    const body = renderBody(m);
    const leaves = m.leaves();
    const perlDate = rec.receive_date as number;
    const mine: Record<string, unknown> = {
      mbox_sep: m.mboxSep ?? null,
      line_ending: m.lineEnding,
      pristine_body_digest: bodyDigest(m),
      msgid: generateMsgid(m),
      hdr_msgid: getMsgid(m),
      receive_date: receiveDate(m.getAllHeadersWithMbox().join(''), perlDate),
      headers: m.getAllHeaders(),
      header_entries: m.headerEntries(),
      parts: leaves.map((p) => [p.type, p.charset ?? null, p.name ?? null, effectiveType(p), p.decode() ?? null]),
      visible: body.visible,
      invisible: body.invisible,
      rendered: body.all,
    };
    if (m.getHeader('X-Spam-Checker-Version') !== undefined) mine.markup = removeMarkup(m);
    for (const k of Object.keys(mine)) {
      if (JSON.stringify(mine[k]) !== JSON.stringify(rec[k] ?? null)) {
        failures.push(`${rec.file as string}: ${k}\n  SA:   ${JSON.stringify(rec[k])}\n  mine: ${JSON.stringify(mine[k])}`);
      }
    }
  }
  assert.deepEqual(failures, []);
});

// Differential test on a deterministic 1% sample of each corpus (tools/probes/sa-tokens.pl).
const CORPORA = '/work/shared/corpora';
const SA_TOKENS = join(ROOT, 'tools', 'probes', 'sa-tokens.pl');
for (const corpus of ['spamassassin-2002', 'trec07-dev']) {
  test(`learner input equals SpamAssassin on a 1% sample of ${corpus}`, async (t) => {
    const dir = join(CORPORA, corpus);
    if (!existsSync(dir) || !existsSync(SA_TOKENS) || !haveSpamAssassin()) {
      t.skip(`corpus ${dir} or perl with Mail::SpamAssassin is not available`);
      return;
    }
    const { learnerInput } = await import('../src/mail/learner-input.js');
    const mboxes = ['ham', 'spam'].flatMap((c) => readdirSync(join(dir, c)).filter((f) => f.endsWith('.mbox')).sort().map((f) => join(dir, c, f)));
    const out = execFileSync('perl', [SA_TOKENS, '--raw', '--sample', '0.01', '--seed', '7', ...mboxes], {
      env: { ...process.env, TZ: 'UTC' }, stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 28,
    });
    const failures: string[] = [];
    let n = 0;
    for (const line of out.toString('utf8').split('\n')) {
      if (!line) continue;
      const rec = JSON.parse(line) as Record<string, unknown>;
      if (rec.skipped !== undefined || rec.error !== undefined) continue;
      n++;
      // SA falls back to the current time when no date parses; pass its value as "now".
      const li = learnerInput(Buffer.from(rec.raw as string, 'latin1'), rec.date as number);
      const mine: Record<string, unknown> = { msgid: li.msgid, hdr_msgid: li.hdrMsgid, date: li.date, visible: li.visible, invisible: li.invisible, headers: li.headers };
      for (const k of Object.keys(mine)) {
        if (JSON.stringify(mine[k]) !== JSON.stringify(rec[k])) failures.push(`${rec.file as string}@${rec.offset as number}: ${k}`);
      }
    }
    assert.ok(n > 0, 'the sample is not empty');
    assert.deepEqual(failures, []);
  });
}

test('pristine headers and body are exact slices of the input (LF, CRLF, From_, MBX, empty)', () => {
  const lf = parseMessage(Buffer.from('From a@b Sat Jan  3 01:05:34 2004\nX-A: 1\n  more\nbad\n\nbody\n\n', 'latin1'));
  assert.equal(lf.pristineHeaders, 'X-A: 1\n  more\nbad\n\n');
  assert.equal(lf.pristineBody, 'body\n\n');
  const crlf = parseMessage(Buffer.from('X-A: 1\r\nX-B: 2\n\r\nbody\r\nend', 'latin1'));
  assert.equal(crlf.pristineHeaders, 'X-A: 1\r\nX-B: 2\r\n\r\n'); // bare LF squashed in CRLF mode
  assert.equal(crlf.pristineBody, 'body\r\nend');
  const mbx = parseMessage(Buffer.from(' 1-Jan-2004 01:02:03 +0000,123;000000000000-00000000\nFrom: <x@y>\n\nb\n', 'latin1'));
  assert.equal(mbx.mboxSep, 'From x@y Thu Jan  1 01:02:03 2004\n');
  assert.equal(mbx.pristineHeaders, 'From: <x@y>\n\n');
  assert.equal(mbx.pristineBody, 'b\n');
  const noBody = parseMessage(Buffer.from('X-A: 1\n', 'latin1'));
  assert.equal(noBody.pristineHeaders, 'X-A: 1\n');
  assert.equal(noBody.pristineBody, '');
  const fromOnly = parseMessage(Buffer.from('From a@b Sat Jan  3 01:05:34 2004\n', 'latin1'));
  assert.equal(fromOnly.pristineHeaders + fromOnly.pristineBody, '');
  const empty = parseMessage(Buffer.alloc(0));
  assert.equal(empty.pristineHeaders, '\n'); // bug 4884: an empty message is read as one "\n" line
  assert.equal(empty.pristineBody, '');
});

test('header values: unfolded, trimmed of Perl \\s at both ends; getAllHeaders is a fresh copy', () => {
  const m = parseMessage(Buffer.from('Subject: \t a\n\tb \x0b\nx-subject: c\nSUBJECT:  d\n\n', 'latin1'));
  assert.deepEqual(m.getHeaders('subject'), ['a b', 'd']);
  const all = m.getAllHeaders();
  assert.deepEqual(all, ['Subject: a b\n', 'x-subject: c\n', 'SUBJECT: d\n']);
  all.pop();
  assert.equal(m.getAllHeaders().length, 3);
  assert.deepEqual(m.headerEntries(), [['Subject', 'a b'], ['x-subject', 'c'], ['SUBJECT', 'd']]);
});
