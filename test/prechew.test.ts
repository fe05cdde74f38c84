// Tests for src/bayes/prechew.ts (Plugin/Bayes.pm _pre_chew_* and _tokenize_mail_addrs). Expected values
// come from tools/probes/bayes-tokenize.pl; the last test re-checks them when SpamAssassin is installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  preChewAddrHeader,
  preChewContentType,
  preChewMessageId,
  preChewReceived,
  tokenizeMailAddrs,
} from '../src/bayes/prechew.js';
import { hasSaPerl } from './helpers/env.js';

type Kind = 'message_id' | 'received' | 'content_type' | 'addr_header';
const FN: Record<Kind, (s: string) => string> = {
  message_id: preChewMessageId,
  received: preChewReceived,
  content_type: preChewContentType,
  addr_header: preChewAddrHeader,
};

const CASES: [Kind, string, string][] = [
  ['content_type', ' multipart/mixed; boundary="==BOUNDARY_1234abcd=="', ' multipart/mixed;   == HOUNHHRY _ HHHHHHHH == '],
  ['content_type', ' text/plain; charset="us-ascii"', '  /plain;  ="us-ascii"'],
  ['content_type', " multipart/alternative; BOUNDARY='a.b-c' boundary=\"x_y\"", " multipart/alternative;    x _ y"],
  ['message_id', ' <001a01c2$3e4f5a60$0100a8c0@hostname>', '  001a01c2 3e4f5a60 0100a8c0 hostname '],
  ['message_id', ' <000801c2a1b2$3e4f5a60$0100a8c0@hostname>', '  OEA0008 OEB3e4f OEC0100a8c0 hostname '],
  ['message_id', ' <E17abcd-000123-0X@mail.example.com>', ' mail example com '],
  ['message_id', ' <20240305092025.ABCDEF1234@bad.example>', ' bad example '],
  ['received', ' from spamhost ([10.0.0.7] helo=spamhost) by mx.bad.example with esmtp id x1y2z3abc; Tue, 5 Mar 2024 09:20:30 +0000 (UTC)',
    '   spamhost ([10.0.0 ip*10.0.0.7 ] helo=spamhost) by mx.bad.example   esmtp  ; C)'],
  ['received', ' from a (b [192.168.1.2]) by c with SMTP id g12345678901 for <x@y>; 1 Jan 02 10:00 -0500',
    '   a (b [192.168.1 ip*192.168.1.2 ]) by c   <x@y>;'],
  ['addr_header', ' "Best Deals" <deals@promo.example.fr>, bob@x.org', 'N*Best N*Deals U*deals D*promo.example.fr D*example.fr D*fr U*bob D*x.org D*org'],
  ['addr_header', ' undisclosed-recipients: ;', ''],
  ['addr_header', ' Foo (Bar) <foo@bar.com> (Comment)', 'N*Foo U*foo D*bar.com D*com'],
];

for (const [kind, input, want] of CASES) {
  test(`_pre_chew_${kind}: ${JSON.stringify(input).slice(0, 60)}`, () => {
    assert.equal(FN[kind](input), want);
  });
}

test('_tokenize_mail_addrs: user up to the last @, every parent domain', () => {
  assert.deepEqual(tokenizeMailAddrs('a@b@promo.example.fr'), ['U*a@b', 'D*promo.example.fr', 'D*example.fr', 'D*fr']);
  assert.deepEqual(tokenizeMailAddrs('nodomain@'), []);
});

test('differential: the cases above against the installed SpamAssassin', (t) => {
  const probe = fileURLToPath(new URL('../../tools/probes/bayes-tokenize.pl', import.meta.url));
  if (!hasSaPerl()) return t.skip('SpamAssassin (Mail::SpamAssassin) is not installed');
  const input = CASES.map(([kind, text]) => JSON.stringify({ fn: 'prechew', kind, text })).join('\n') + '\n';
  const out = execFileSync('perl', [probe], { input }).toString('latin1').trim().split('\n');
  CASES.forEach(([kind, text], i) => {
    assert.equal(FN[kind](text), (JSON.parse(out[i]!) as { value: string }).value, `${kind} ${text}`);
  });
});
