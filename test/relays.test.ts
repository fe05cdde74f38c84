// Tests for src/mail/relays.ts (port of Received.pm parse_received_headers): the trust inference on
// hand-made messages (expected values produced by the installed SpamAssassin with
// tools/probes/relays.pl), and a comparison with SpamAssassin on a sample of both corpora.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { classifyRelays, deletedByMetadataExtraction, relayMetadata, RELAY_KEYS } from '../src/mail/relays.js';
import { hasSaPerl } from './helpers/env.js';

interface TrustCase {
  name: string;
  headers: Array<[string, string]>;
  expect: Record<string, string>;
}

const CASES: TrustCase[] = [
  {
    name: "private chain, then the first public relay",
    headers: [
      ["Received","from localhost (localhost [127.0.0.1]) by mx.example.org (Postfix) with ESMTP id A1"],
      ["Received","from gw.example.org (gw.example.org [192.168.1.1]) by mx.example.org (Postfix) with ESMTP id A2"],
      ["Received","from mail.sender.example (mail.sender.example [203.0.113.5]) by gw.example.org (Postfix) with ESMTP id A3"],
      ["Received","from inside.sender.example (inside.sender.example [10.1.1.1]) by mail.sender.example (Postfix) with ESMTP id A4"],
    ],
    expect: {
      "x-spam-relays-external": "[ ip=203.0.113.5 rdns=mail.sender.example helo=mail.sender.example by=gw.example.org ident= envfrom= intl=0 id= auth= msa=0 ] [ ip=10.1.1.1 rdns=inside.sender.example helo=inside.sender.example by=mail.sender.example ident= envfrom= intl=0 id= auth= msa=0 ]",
      "x-spam-relays-internal": "[ ip=127.0.0.1 rdns=localhost helo=localhost by=mx.example.org ident= envfrom= intl=1 id= auth= msa=0 ] [ ip=192.168.1.1 rdns=gw.example.org helo=gw.example.org by=mx.example.org ident= envfrom= intl=1 id= auth= msa=0 ]",
      "x-spam-relays-trusted": "[ ip=127.0.0.1 rdns=localhost helo=localhost by=mx.example.org ident= envfrom= intl=1 id= auth= msa=0 ] [ ip=192.168.1.1 rdns=gw.example.org helo=gw.example.org by=mx.example.org ident= envfrom= intl=1 id= auth= msa=0 ]",
      "x-spam-relays-untrusted": "[ ip=203.0.113.5 rdns=mail.sender.example helo=mail.sender.example by=gw.example.org ident= envfrom= intl=0 id= auth= msa=0 ] [ ip=10.1.1.1 rdns=inside.sender.example helo=inside.sender.example by=mail.sender.example ident= envfrom= intl=0 id= auth= msa=0 ]",
    },
  },
  {
    name: "public relay first",
    headers: [
      ["Received","from mail.example.org (mail.example.org [198.51.100.7]) by mx.example.org (Postfix) with ESMTP id B1"],
      ["Received","from laptop (dsl.example.net [203.0.113.77]) by mail.example.org (Postfix) with ESMTPSA id B2"],
      ["Received","from pc (pc [192.168.0.2]) by laptop (Postfix) with ESMTP id B3"],
    ],
    expect: {
      "x-spam-relays-external": "[ ip=198.51.100.7 rdns=mail.example.org helo=mail.example.org by=mx.example.org ident= envfrom= intl=0 id= auth= msa=0 ] [ ip=203.0.113.77 rdns=dsl.example.net helo=laptop by=mail.example.org ident= envfrom= intl=0 id= auth=ESMTPSA msa=0 ] [ ip=192.168.0.2 rdns=pc helo=pc by=laptop ident= envfrom= intl=0 id= auth= msa=0 ]",
      "x-spam-relays-internal": "",
      "x-spam-relays-trusted": "",
      "x-spam-relays-untrusted": "[ ip=198.51.100.7 rdns=mail.example.org helo=mail.example.org by=mx.example.org ident= envfrom= intl=0 id= auth= msa=0 ] [ ip=203.0.113.77 rdns=dsl.example.net helo=laptop by=mail.example.org ident= envfrom= intl=0 id= auth=ESMTPSA msa=0 ] [ ip=192.168.0.2 rdns=pc helo=pc by=laptop ident= envfrom= intl=0 id= auth= msa=0 ]",
    },
  },
  {
    name: "authenticated hop extends trust",
    headers: [
      ["Received","from laptop (dsl.example.net [203.0.113.77]) by mail.example.org (Postfix) with ESMTPSA id C1"],
      ["Received","from pc (pc [198.51.100.9]) by laptop (Postfix) with ESMTP id C2"],
    ],
    expect: {
      "x-spam-relays-external": "[ ip=198.51.100.9 rdns=pc helo=pc by=laptop ident= envfrom= intl=0 id= auth= msa=0 ]",
      "x-spam-relays-internal": "[ ip=203.0.113.77 rdns=dsl.example.net helo=laptop by=mail.example.org ident= envfrom= intl=1 id= auth=ESMTPSA msa=0 ]",
      "x-spam-relays-trusted": "[ ip=203.0.113.77 rdns=dsl.example.net helo=laptop by=mail.example.org ident= envfrom= intl=1 id= auth=ESMTPSA msa=0 ]",
      "x-spam-relays-untrusted": "[ ip=198.51.100.9 rdns=pc helo=pc by=laptop ident= envfrom= intl=0 id= auth= msa=0 ]",
    },
  },
  {
    name: "IPv6",
    headers: [
      ["Received","from a (a [IPv6:::1]) by mx.example.org (Postfix) with ESMTP id D1"],
      ["Received","from b (b [IPv6:fe80::1%eth0]) by mx.example.org (Postfix) with ESMTP id D2"],
      ["Received","from c (c [IPv6:::ffff:172.16.0.9]) by mx.example.org (Postfix) with ESMTP id D3"],
      ["Received","from d (d [IPv6:fc00::1]) by mx.example.org (Postfix) with ESMTP id D4"],
      ["Received","from e (e [IPv6:2001:db8::1]) by mx.example.org (Postfix) with ESMTP id D5"],
    ],
    expect: {
      "x-spam-relays-external": "[ ip=fc00::1 rdns=d helo=d by=mx.example.org ident= envfrom= intl=0 id= auth= msa=0 ] [ ip=2001:db8::1 rdns=e helo=e by=mx.example.org ident= envfrom= intl=0 id= auth= msa=0 ]",
      "x-spam-relays-internal": "[ ip=::1 rdns=a helo=a by=mx.example.org ident= envfrom= intl=1 id= auth= msa=0 ] [ ip=172.16.0.9 rdns=c helo=c by=mx.example.org ident= envfrom= intl=1 id= auth= msa=0 ]",
      "x-spam-relays-trusted": "[ ip=::1 rdns=a helo=a by=mx.example.org ident= envfrom= intl=1 id= auth= msa=0 ] [ ip=172.16.0.9 rdns=c helo=c by=mx.example.org ident= envfrom= intl=1 id= auth= msa=0 ]",
      "x-spam-relays-untrusted": "[ ip=fc00::1 rdns=d helo=d by=mx.example.org ident= envfrom= intl=0 id= auth= msa=0 ] [ ip=2001:db8::1 rdns=e helo=e by=mx.example.org ident= envfrom= intl=0 id= auth= msa=0 ]",
    },
  },
  {
    name: "fetchmail marker inside, then outside the trusted area",
    headers: [
      ["Received","from localhost (localhost [127.0.0.1]) by box.example.org (Postfix) with ESMTP id E1"],
      ["Received","from box [127.0.0.1] by localhost with IMAP (fetchmail-6.2.5) for user@localhost (single-drop)"],
      ["Received","from mx.example.net (mx.example.net [192.0.2.10]) by box.example.org (Postfix) with ESMTP id E2"],
      ["Received","from pop.example.net (pop.example.net [198.51.100.1]) by x with POP3"],
      ["Received","from sender.example (sender.example [203.0.113.9]) by mx.example.net (Postfix) with ESMTP id E3"],
    ],
    expect: {
      "x-spam-relays-external": "[ ip=192.0.2.10 rdns=mx.example.net helo=mx.example.net by=box.example.org ident= envfrom= intl=0 id= auth= msa=0 ] [ ip=198.51.100.1 rdns=pop.example.net helo=pop.example.net by=x ident= envfrom= intl=0 id= auth= msa=0 ] [ ip=203.0.113.9 rdns=sender.example helo=sender.example by=mx.example.net ident= envfrom= intl=0 id= auth= msa=0 ]",
      "x-spam-relays-internal": "",
      "x-spam-relays-trusted": "",
      "x-spam-relays-untrusted": "[ ip=192.0.2.10 rdns=mx.example.net helo=mx.example.net by=box.example.org ident= envfrom= intl=0 id= auth= msa=0 ] [ ip=198.51.100.1 rdns=pop.example.net helo=pop.example.net by=x ident= envfrom= intl=0 id= auth= msa=0 ] [ ip=203.0.113.9 rdns=sender.example helo=sender.example by=mx.example.net ident= envfrom= intl=0 id= auth= msa=0 ]",
    },
  },
  {
    name: "qmail-scanner envelope-from hand-over",
    headers: [
      ["Received","from 156.56.111.196 by blazing.example.org (envelope-from <list-return@lists.example.org>, uid 502) with qmail-scanner-1.24 (clamdscan: 0.80/594. Processed in 0.288806 secs)"],
      ["Received","from lists.example.org (HELO lists.example.org) (156.56.111.196) by blazing.example.org with SMTP"],
      ["Received","from 156.56.111.197 by blazing.example.org (envelope-from <0>, uid 502) with qmail-scanner-1.24 (clamdscan: 0.80/594. Processed in 0.288806 secs)"],
      ["Received","from lists2.example.org (HELO lists2.example.org) (156.56.111.197) by blazing.example.org with SMTP"],
    ],
    expect: {
      "x-spam-relays-external": "[ ip=156.56.111.196 rdns=lists.example.org helo=lists.example.org by=blazing.example.org ident= envfrom=list-return@lists.example.org intl=0 id= auth= msa=0 ] [ ip=156.56.111.197 rdns=lists2.example.org helo=lists2.example.org by=blazing.example.org ident= envfrom= intl=0 id= auth= msa=0 ]",
      "x-spam-relays-internal": "",
      "x-spam-relays-trusted": "",
      "x-spam-relays-untrusted": "[ ip=156.56.111.196 rdns=lists.example.org helo=lists.example.org by=blazing.example.org ident= envfrom=list-return@lists.example.org intl=0 id= auth= msa=0 ] [ ip=156.56.111.197 rdns=lists2.example.org helo=lists2.example.org by=blazing.example.org ident= envfrom= intl=0 id= auth= msa=0 ]",
    },
  },
  {
    name: "originating-IP headers",
    headers: [
      ["Received","from web.example.com (web.example.com [10.0.0.5]) by mx.example.com (Postfix) with ESMTP id F1"],
      ["X-Originating-IP","[203.0.113.200]"],
      ["X-Apparently-From","first 192.168.7.7 then 8.8.8.8"],
      ["X-Yahoo-Post-IP","198.51.100.3"],
      ["X-Yahoo-Post-IP","10.9.9.9"],
      ["X-AOL-IP","none"],
      ["X-Spam-Relays-Trusted","forged"],
      ["X-Spam-Relays-Untrusted","forged"],
    ],
    expect: {
      "x-spam-relays-external": "[ ip=203.0.113.200 rdns= helo= by= ident= envfrom= intl=0 id= auth= msa=0 ] [ ip=192.168.7.7 rdns= helo= by= ident= envfrom= intl=0 id= auth= msa=0 ]",
      "x-spam-relays-internal": "[ ip=10.0.0.5 rdns=web.example.com helo=web.example.com by=mx.example.com ident= envfrom= intl=1 id= auth= msa=0 ] [ ip=10.9.9.9 rdns= helo= by= ident= envfrom= intl=1 id= auth= msa=0 ]",
      "x-spam-relays-trusted": "[ ip=10.0.0.5 rdns=web.example.com helo=web.example.com by=mx.example.com ident= envfrom= intl=1 id= auth= msa=0 ] [ ip=10.9.9.9 rdns= helo= by= ident= envfrom= intl=1 id= auth= msa=0 ]",
      "x-spam-relays-untrusted": "[ ip=203.0.113.200 rdns= helo= by= ident= envfrom= intl=0 id= auth= msa=0 ] [ ip=192.168.7.7 rdns= helo= by= ident= envfrom= intl=0 id= auth= msa=0 ]",
    },
  },
];

for (const c of CASES) {
  test(`relayMetadata: ${c.name}`, () => {
    assert.deepEqual(relayMetadata(c.headers), c.expect);
  });
}

test('relayMetadata: no Received headers gives four empty strings', () => {
  assert.deepEqual(relayMetadata([['Subject', 'x']]), {
    'x-spam-relays-trusted': '',
    'x-spam-relays-untrusted': '',
    'x-spam-relays-internal': '',
    'x-spam-relays-external': '',
  });
});

test('classifyRelays: unparseable and skipped lines keep no relay, trust continues past them', () => {
  const l = classifyRelays([
    ['Received', 'from gw (gw [10.0.0.1]) by mx (8.12.11/8.12.11) with ESMTP id abc'],
    ['Received', 'garbage that is no handover'],
    ['Received', 'from x y z'],
    ['Received', 'from h (h [192.168.3.4]) by gw (8.12.11/8.12.11) with ESMTP id abd'],
  ]);
  assert.equal(l.unparseable, 1);
  assert.deepEqual(
    l.trusted.map((r) => r.ip),
    ['10.0.0.1', '192.168.3.4'],
  );
  assert.equal(l.untrusted.length, 0);
  assert.ok(l.trusted.every((r) => r.internal === 1 && / intl=1 /.test(r.asString)));
});

test('relayMetadata: originating_ip_headers can be overridden (clear_originating_ip_headers)', () => {
  const h: Array<[string, string]> = [['X-Originating-IP', '[203.0.113.200]']];
  assert.match(relayMetadata(h)['x-spam-relays-untrusted']!, /ip=203\.0\.113\.200/);
  assert.equal(relayMetadata(h, { originatingIpHeaders: [] })['x-spam-relays-untrusted'], '');
});

test('deletedByMetadataExtraction: only X-Spam-Relays-Trusted (delete_header /o quirk)', () => {
  assert.equal(deletedByMetadataExtraction('X-Spam-Relays-Trusted'), true);
  assert.equal(deletedByMetadataExtraction('x-spam-relays-TRUSTED'), true);
  assert.equal(deletedByMetadataExtraction('X-Spam-Relays-Untrusted'), false);
  assert.equal(deletedByMetadataExtraction('X-Spam-Relays-External'), false);
  assert.equal(deletedByMetadataExtraction('X-Spam-Relays-Trusted-2'), false);
});

// ---- comparison with SpamAssassin on a sample of the corpora ----------------------------------------

const CORPORA = '/work/shared/corpora';
/**
 * Fraction of messages probed: by default about 180 of the ~9000 (a few seconds of Perl).
 * RELAYS_SAMPLE=1 compares every message (the full check, ~2 minutes).
 */
const SAMPLE_FRACTION = Number(process.env['RELAYS_SAMPLE'] ?? 0.02);

function haveSpamAssassin(): boolean {
  return hasSaPerl();
}

function mboxes(): string[] {
  const out: string[] = [];
  for (const corpus of ['spamassassin-2002', 'trec07-dev']) {
    for (const cls of ['ham', 'spam']) {
      const dir = join(CORPORA, corpus, cls);
      if (!existsSync(dir)) continue;
      for (const f of readdirSync(dir).sort()) if (f.endsWith('.mbox')) out.push(join(dir, f));
    }
  }
  return out;
}

interface ProbeRecord {
  i: number;
  file: string;
  offset: number;
  headers?: Array<[string, string]>;
  metadata?: Record<string, string>;
  deleted?: string[];
  error?: string;
  skipped?: string;
}

test('relayMetadata agrees with SpamAssassin on a corpus sample (tools/probes/relays.pl)', (t) => {
  if (!haveSpamAssassin()) {
    t.skip('perl with Mail::SpamAssassin is not installed');
    return;
  }
  const files = mboxes();
  if (files.length === 0) {
    t.skip(`no corpora under ${CORPORA}`);
    return;
  }
  const probe = fileURLToPath(new URL('../../tools/probes/relays.pl', import.meta.url));
  const out = execFileSync('perl', [probe, '--sample', String(SAMPLE_FRACTION), '--seed', '7', ...files], {
    maxBuffer: 256 << 20,
    env: { ...process.env, TZ: 'UTC' },
  }).toString('latin1');
  let compared = 0;
  const diffs: string[] = [];
  for (const line of out.split('\n')) {
    if (!line) continue;
    const r = JSON.parse(line) as ProbeRecord;
    if (!r.headers || !r.metadata) continue;
    compared++;
    const got = relayMetadata(r.headers);
    for (const k of RELAY_KEYS) {
      if (got[k] !== r.metadata[k]) diffs.push(`${r.file}@${r.offset} ${k}\n  SA: ${r.metadata[k]}\n  TS: ${got[k]}`);
    }
    // the only metadata keys the learner sees are the four relay strings
    assert.deepEqual(Object.keys(r.metadata).sort(), [...RELAY_KEYS].sort());
    for (const name of r.deleted ?? []) assert.ok(deletedByMetadataExtraction(name), name);
  }
  assert.ok(compared > 50, `only ${compared} messages compared`);
  t.diagnostic(`${compared} messages compared, ${diffs.length} differing strings`);
  assert.deepEqual(diffs, []);
});
