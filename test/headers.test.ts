// Tests for src/bayes/headers.ts (Plugin/Bayes.pm::_tokenize_headers); the last test compares with the
// installed SpamAssassin through tools/probes/bayes-tokenize.pl.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { metadataLines, tokenizeHeaders } from '../src/bayes/headers.js';
import { hasSaPerl } from './helpers/env.js';

const HEADERS = [
  'Return-Path: <bounce@list.example.org>\n',
  'Received: from a.example (a.example [192.0.2.1]) by mx.example with ESMTP id ABC1234567; Tue, 5 Mar 2024 09:20:30 +0000\n',
  'Received: from b.example ([10.1.2.3]) by a.example with SMTP; Tue, 5 Mar 2024 09:19:00 +0000\n',
  'Received: from c.example by b.example; Tue, 5 Mar 2024 09:18:00 +0000\n',
  'From: "Best Deals" <deals@bad.example>\n',
  'To: you@example.org, Other <other@example.net>\n',
  'Subject: not tokenized\n',
  'Date: Tue, 5 Mar 2024 09:20:30 +0000\n',
  'Message-ID: <20240305092025.ABCDEF1234@bad.example>\n',
  'In-Reply-To: <x.y@z>\n',
  'MIME-Version: 1.0\n',
  'Content-Type: multipart/alternative; boundary="----=_NextPart_000_0001_01C2A1B2.3E4F5A60"\n',
  'X-Mailer: Foo Mailer 1.0\n',
  'User-Agent: Bar/2\n',
  'DKIM-Signature: v=1; a=rsa-sha256; b=abcdef\n',
  'List-Id: <ignored.example>\n',
  'Precedence: bulk\n',
  'X-Tracking: abc123def\n',
  'X-Tracking: second\n',
  'Return-path: <x@y.example>\n',
];
const META = {
  'x-spam-relays-untrusted': '[ ip=192.0.2.1 rdns=a.example helo=a.example by=mx.example ident= envfrom= intl=0 id=ABC auth= msa=0 ]',
  'x-spam-relays-trusted': '',
  'x-spam-relays-internal': '',
  'x-spam-relays-external': '[ ip=192.0.2.1 rdns=a.example helo=a.example by=mx.example ident= envfrom= intl=0 id=ABC auth= msa=0 ]',
};

test('ignored headers, presence-only, aliases, compression and joining', () => {
  const h = tokenizeHeaders(HEADERS, META);
  assert.ok(!h.has('Subject') && !h.has('Date') && !h.has('List-Id') && !h.has('Precedence'));
  assert.equal(h.get('DKIM-Signature'), '1');
  assert.equal(h.get('*F'), 'N*Best N*Deals U*deals D*bad.example D*example');
  assert.equal(h.get('*Ad'), h.get('*F') + ' ' + h.get('To'));
  assert.equal(h.get('*UA'), ' Foo Mailer 1.0  Bar/2');
  assert.equal(h.get('X-Tracking'), ' abc123def  second');
  assert.equal(h.get('MIME-Version'), ' ');
  assert.equal(h.get('*M'), ' bad example '); // the Sendmail-style id is removed
  assert.equal(h.get('*MI'), h.get('*M') + '  <x.y@z>'); // In-Reply-To is aliased but not chewed
  assert.ok(h.has('*p') && h.has('*rp'));
  // Only the last two Received headers, bottom-most first.
  const r = h.get('*r')!;
  assert.ok(r.startsWith('   c.example by b.example;  ') && r.includes('10.1.2 ip*10.1.2.3') && !r.includes('192.0.2'));
  assert.equal(h.get('*RU'), ' [ 192.0.2.1 a.example a.example mx.example   0 ABC  0 ]');
  assert.equal(h.get('x-spam-relays-external'), h.get('*RU'));
});

test('metadata lines are sorted by key', () => {
  assert.deepEqual(metadataLines({ b: '2', a: '1' }), ['a: 1\n', 'b: 2\n']);
});

test('differential: _tokenize_headers against the installed SpamAssassin', (t) => {
  if (!hasSaPerl()) return t.skip('SpamAssassin (Mail::SpamAssassin) is not installed');
  const probe = fileURLToPath(new URL('../../tools/probes/bayes-tokenize.pl', import.meta.url));
  const out = execFileSync('perl', [probe], { input: JSON.stringify({ fn: 'headers', headers: HEADERS, metadata: META }) + '\n' });
  const want = (JSON.parse(out.toString('latin1')) as { values: Record<string, string> }).values;
  assert.deepEqual(Object.fromEntries(tokenizeHeaders(HEADERS, META)), want);
});
