// Compares renderHtml with SpamAssassin's own rendering (Node.pm::rendered, via
// tools/probes/html-parts.pl) on the text/html parts of both corpora. The normal run uses the first
// messages of every mbox; set HTML_CORPUS_FULL=1 for every message (slow, prints the figures).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { compareParts, CORPORA, corpusFiles, extractParts, haveSpamAssassin } from './html-corpus-lib.js';

/** Messages per mbox in the quick sample. */
const SAMPLE_MESSAGES = 40;
const FULL = process.env.HTML_CORPUS_FULL === '1';

for (const corpus of ['spamassassin-2002', 'trec07-dev']) {
  test(`html parts of ${corpus} render as SpamAssassin does${FULL ? ' (full)' : ' (sample)'}`, (t) => {
    if (!haveSpamAssassin()) {
      t.skip('Mail::SpamAssassin not installed');
      return;
    }
    if (!existsSync(`${CORPORA}/${corpus}`)) {
      t.skip(`corpus ${corpus} not present`);
      return;
    }
    let total = 0;
    let same = 0;
    const shown: string[] = [];
    for (const p of extractParts(corpusFiles(corpus), FULL ? 0 : SAMPLE_MESSAGES)) {
      total++;
      const d = compareParts(p);
      if (d.length === 0) same++;
      else if (shown.length < 5) shown.push(d.map((x) => `${x.id} ${x.field}\n want ${x.want.slice(0, 300)}\n got  ${x.got.slice(0, 300)}`).join('\n'));
    }
    t.diagnostic(`${corpus}: ${same}/${total} HTML parts identical (visible, invisible, all, uris)`);
    if (FULL) console.log(`${corpus}: ${same}/${total} HTML parts identical (visible, invisible, all, uris)`);
    assert.ok(total > 0, 'no HTML parts found');
    assert.equal(same, total, shown.join('\n'));
  });
}
