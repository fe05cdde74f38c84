// Corpus comparison for src/mail/uri.ts: tools/probes/uri-list.pl parses real messages with SpamAssassin and
// prints the inputs of get_uri_list (the "all" rendering lines, the HTML URIs) and its output; getUriList
// must return the same set (strings and, for non-ASCII strings, the utf8 flag) for every message.
// URI_CORPUS_SAMPLE (default 0.03) is the fraction of messages checked; 1 checks every message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { getUriList } from '../src/mail/uri.js';
import type { PerlStr } from '../src/mail/perlstr.js';
import { hasSaPerl } from './helpers/env.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PROBE = join(root, 'tools', 'probes', 'uri-list.pl');
const CORPORA = '/work/shared/corpora';
const SAMPLE = Number(process.env['URI_CORPUS_SAMPLE'] ?? '0.03');
const haveSa = hasSaPerl();

// eslint-disable-next-line no-control-regex
const isAscii = (s: string): boolean => !/[^\x00-\x7f]/.test(s);
const key = (u: PerlStr): string => JSON.stringify([u.s, isAscii(u.s) ? false : u.chars]);

interface Rec {
  file: string;
  offset: number;
  error?: string;
  lines: string[];
  html: { s: string; chars: number }[];
  uris: { s: string; chars: number }[];
}

function mboxes(corpus: string): string[] {
  const out: string[] = [];
  for (const cls of ['ham', 'spam']) {
    const d = join(CORPORA, corpus, cls);
    if (!existsSync(d)) continue;
    for (const f of readdirSync(d).sort()) if (f.endsWith('.mbox')) out.push(join(d, f));
  }
  return out;
}

for (const corpus of ['spamassassin-2002', 'trec07-dev']) {
  test(`getUriList matches SpamAssassin on ${corpus} (sample ${SAMPLE})`, (t) => {
    if (!haveSa) {
      t.skip('Mail::SpamAssassin not installed');
      return;
    }
    const files = mboxes(corpus);
    if (files.length === 0) {
      t.skip(`corpus ${corpus} not present under ${CORPORA}`);
      return;
    }
    const out = execFileSync('perl', [PROBE, '--sample', String(SAMPLE), ...files], {
      encoding: 'utf8',
      maxBuffer: 1 << 30,
      env: { ...process.env, TZ: 'UTC' },
    });
    let total = 0;
    let same = 0;
    const diffs: string[] = [];
    for (const line of out.split('\n')) {
      if (!line) continue;
      const r = JSON.parse(line) as Rec;
      if (r.error) continue;
      total++;
      const got = new Set(getUriList(r.lines, r.html.map((h) => ({ s: h.s, chars: !!h.chars }))).map(key));
      const want = new Set(r.uris.map((u) => key({ s: u.s, chars: !!u.chars })));
      const missing = [...want].filter((k) => !got.has(k));
      const extra = [...got].filter((k) => !want.has(k));
      if (missing.length === 0 && extra.length === 0) same++;
      else if (diffs.length < 5) diffs.push(`${r.file}@${r.offset}: missing ${missing.slice(0, 3).join(' ')} extra ${extra.slice(0, 3).join(' ')}`);
    }
    t.diagnostic(`${corpus}: ${same}/${total} messages with an identical URI list`);
    assert.ok(total > 0, 'no messages sampled');
    assert.equal(same, total, diffs.join('\n'));
  });
}
