import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { anonymize, makeAnonymizer, newStats } from '../src/report/anonymize.js';
import { identityOf, makeMatcher, PLACEHOLDER } from '../src/report/addresses.js';
import { fieldValue, parseContentType, parseFields, qpDecode, splitEntity, splitMultipart } from '../src/report/mime.js';
import { readMbox } from '../src/sources/mbox.js';
import { fixture } from './fixtures/report/harness.js';

const ALICE = identityOf({ user: 'alice@example.org', extra: ['alice.smith@example.net'], localDomains: ['example.org', 'example.net'] });
const USER_RE = /alice(?:\.smith)?(?:\+[a-z]+)?(?:@|%40|=40|&#64;)example\.(?:org|net)/i;

const spam = (): string => fixture('spam-multipart.eml').toString('latin1').replace(/^From [^\n]*\n/, '');

/** Every text leaf of a message, transfer-decoded (independently of anonymize's own walk). */
function decodedTexts(raw: string, depth = 0): string[] {
  const e = splitEntity(raw);
  const fields = parseFields(e.header);
  const ct = parseContentType(fieldValue(fields, 'content-type'));
  const cte = (fieldValue(fields, 'content-transfer-encoding') ?? '').trim().toLowerCase();
  const out = [e.header];
  if (ct.mime.startsWith('multipart/')) {
    const mp = splitMultipart(e.body, ct.params.get('boundary')!);
    assert.ok(mp, 'multipart structure kept');
    for (const p of mp.parts) out.push(...decodedTexts(p.body, depth + 1));
  } else if (ct.mime === 'message/rfc822') out.push(...decodedTexts(e.body, depth + 1));
  else if (ct.mime.startsWith('text/')) out.push(cte === 'base64' ? Buffer.from(e.body, 'base64').toString('latin1') : cte === 'quoted-printable' ? qpDecode(e.body) : e.body);
  return out;
}

test('the user\'s addresses are gone from headers and decoded text parts, in every spelling', () => {
  const out = anonymize(spam(), ALICE);
  for (const t of decodedTexts(out)) assert.doesNotMatch(t, USER_RE);
  assert.doesNotMatch(out, USER_RE);
  // the decoded parts still say what they said, with the placeholder instead
  const texts = decodedTexts(out).join('\n');
  assert.match(texts, /the invoice for anonymous@anonymized\.invalid is attached/);
  assert.match(texts, /Reply to anonymous@anonymized\.invalid or write to bob@example\.com/);
  assert.match(texts, /parcel for anonymous@anonymized\.invalid is waiting/);
  assert.match(texts, /u=anonymous%40anonymized\.invalid&amp;id=77/, 'URL encoding kept');
  assert.match(texts, /offers for anonymous&#64;anonymized\.invalid/, 'HTML entity kept');
  assert.match(texts, /xylophonepelican/);
});

test('recipient headers and Received "for" clauses are rewritten; the rest stays byte for byte', () => {
  const input = spam();
  const stats = newStats();
  const out = makeAnonymizer(ALICE).message(input, stats);
  const inF = parseFields(splitEntity(input).header);
  const outF = parseFields(splitEntity(out).header);
  assert.equal(outF.length, inF.length, 'no field added or removed');
  const v = (name: string): string => outF.filter((f) => f.name === name).map((f) => f.value).join('|');
  assert.equal(v('To'), ` ${PLACEHOLDER}, ${PLACEHOLDER}`, 'display names and other recipients go too');
  assert.equal(v('Cc'), ' undisclosed-recipients:;', 'a group without mailboxes stays');
  assert.equal(v('Delivered-To'), ` ${PLACEHOLDER}`);
  assert.equal(v('X-Original-To'), ` ${PLACEHOLDER}`);
  assert.match(v('Received'), /for <anonymous@anonymized\.invalid>; Sat, 21 Nov 2026 09:00:00 \+0000/);
  assert.match(v('Received'), /\tby mx\.example\.org \(Postfix\) with ESMTP id 4AB12\n\tfor <anonymous@anonymized\.invalid>; Sat/);
  assert.equal(stats.receivedFor, 2);
  assert.equal(stats.recipientFields, 4, 'To, Delivered-To, X-Original-To, and To of the forwarded message');
  for (const name of ['Return-Path', 'From', 'Cc', 'Date', 'Message-ID', 'X-Mailer', 'MIME-Version', 'Content-Type'])
    assert.equal(outF.find((f) => f.name === name)!.raw, inF.find((f) => f.name === name)!.raw, `${name} unchanged`);
  // the subject's encoded word was re-encoded, still decodable, with the check mark intact
  const subj = outF.find((f) => f.name === 'Subject')!.value;
  assert.match(subj, /^ =\?UTF-8\?Q\?/);
  assert.match(Buffer.from(subj.replace(/=\?UTF-8\?Q\?(.*)\?=/, (_, t: string) => t.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/g, (_x, h: string) => String.fromCharCode(parseInt(h, 16)))), 'latin1').toString('utf8'), /Your parcel for anonymous@anonymized\.invalid ✓/);
  // the image and the preamble are untouched, boundaries the same
  const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
  assert.ok(out.includes(`Content-Type: image/png; name="x.png"\nContent-Transfer-Encoding: base64\n\n${png}\n--outer-b--\n`));
  assert.equal(out.split('--alt-b').length, input.split('--alt-b').length);
  assert.equal(out.split('--outer-b').length, input.split('--outer-b').length);
});

test('a message without the user\'s addresses comes out byte for byte', () => {
  const msg = 'Received: from a by b with SMTP id 1; Sat, 21 Nov 2026 09:00:00 +0000\r\nFrom: x@y.test\r\nSubject: hi\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nbody =C3=A9 text=\r\n more\r\n';
  assert.equal(anonymize(msg, ALICE), msg);
});

test('CRLF input keeps CRLF everywhere, including re-encoded parts', () => {
  const crlf = spam().replace(/\n/g, '\r\n');
  const out = anonymize(crlf, ALICE);
  assert.doesNotMatch(out, /(?<!\r)\n/, 'no bare LF');
  for (const t of decodedTexts(out)) assert.doesNotMatch(t, USER_RE);
  assert.match(out, /Reply to anonymou=\r\ns@anonymized\.invalid|Reply to anonymous@anonymized\.invalid/);
});

test('look-alike addresses are left alone; sub-addresses and case variants are caught', () => {
  const m = makeMatcher(ALICE);
  assert.equal(m.replace('malice@example.org alice@example.org.evil.test alice@example.organic'), 'malice@example.org alice@example.org.evil.test alice@example.organic');
  assert.equal(m.replace('ALICE+Tag@Example.ORG, <alice@example.net>'), `${PLACEHOLDER}, <${PLACEHOLDER}>`);
  assert.equal(m.replace('?email%3Dalice%40example.org&x'), '?email%3Danonymous%40anonymized.invalid&x');
  assert.ok(m.isUser('Alice+x@EXAMPLE.org'));
  assert.ok(!m.isUser('bob@example.org'));
});

test('originator fields: the user\'s mailbox loses its display name, others stay as written', () => {
  const msg = 'From: "Alice Smith" <alice@example.org>\nReply-To: Team <team@example.com>, Alice <alice@example.org>\n\nx\n';
  const out = anonymize(msg, ALICE);
  assert.equal(out, `From: <${PLACEHOLDER}>\nReply-To: Team <team@example.com>, <${PLACEHOLDER}>\n\nx\n`);
});

test('a bare login in a Received "for" clause is removed; other words after "for" are not', () => {
  const id = identityOf({ user: 'alice' });
  const msg = 'Received: (qmail 123 invoked for bounce); 21 Nov 2026\nReceived: from x by y\n for alice; Sat, 21 Nov 2026 09:00:00 +0000\nTo: alice\n\nbody\n';
  const out = anonymize(msg, id);
  assert.match(out, /invoked for bounce\)/);
  assert.match(out, /\n for anonymous@anonymized\.invalid; Sat/);
  assert.match(out, /\nTo: anonymous@anonymized\.invalid\n/);
});

test('recipient lists with many addresses are folded below 78 columns', () => {
  const to = Array.from({ length: 20 }, (_, i) => `"Person ${i}" <p${i}@example.com>`).join(', ');
  const out = anonymize(`To: ${to}\nSubject: x\n\nbody\n`, ALICE);
  const lines = splitEntity(out).header.split('\n');
  assert.ok(lines.every((l) => l.length <= 78), 'short lines');
  assert.equal((out.match(/anonymous@anonymized\.invalid/g) ?? []).length, 20);
  assert.doesNotMatch(out, /Person|example\.com/);
});

const CORPUS = join('/work/main', '..', 'shared', 'corpora', 'spamassassin-2002', 'ham', 'easy_ham.mbox');

test('corpus sample: the To address disappears, every other header line and non-text part is unchanged', async (t) => {
  if (!existsSync(CORPUS)) {
    t.skip(`corpus absent (${CORPUS})`);
    return;
  }
  let n = 0;
  let withAddr = 0;
  for await (const m of readMbox(CORPUS, { maxSize: 0 })) {
    if (n++ >= 200) break;
    const raw = m.raw.toString('latin1').replace(/^From [^\n]*\n/, '');
    const to = /^To:.*?([A-Za-z0-9._+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})/im.exec(splitEntity(raw).header);
    if (!to) continue;
    withAddr++;
    const user = to[1]!;
    const id = identityOf({ user });
    const out = anonymize(raw, id);
    const re = new RegExp(`(?<![A-Za-z0-9._%+-])${user.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9-]|\\.[A-Za-z0-9])`, 'i');
    for (const part of decodedTexts(out)) assert.doesNotMatch(part, re, `message ${n}: ${user} left`);
    const inF = parseFields(splitEntity(raw).header);
    const outF = parseFields(splitEntity(out).header);
    assert.equal(outF.length, inF.length);
    for (let k = 0; k < inF.length; k++) {
      const a = inF[k]!;
      if (/^(to|cc|bcc|delivered-to|x-original-to|envelope-to|x-envelope-to|received|apparently-to|x-apparently-to|resent-to|resent-cc|x-rcpt-to|x-real-to|x-delivered-to)$/i.test(a.name)) continue;
      if (re.test(a.raw) || /=\?/.test(a.raw)) continue;
      assert.equal(outF[k]!.raw, a.raw, `message ${n}: ${a.name} changed`);
    }
    // body: identical when the address does not occur in it
    if (!re.test(splitEntity(raw).body) && !/base64|quoted-printable/i.test(raw)) assert.equal(splitEntity(out).body, splitEntity(raw).body, `message ${n}: body changed`);
  }
  assert.ok(withAddr > 100, `only ${withAddr} messages with a To address`);
});
