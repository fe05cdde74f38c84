import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { REGIONS } from '../src/parity/regions.js';
import { runSaProbe, saAvailable, type SaMessageRecord, type SaRecord } from '../src/parity/sa-probe.js';

// Fixtures live in the source tree (test/fixtures), whether this runs from test/ or dist/test/.
const ROOT = fileURLToPath(new URL(import.meta.url.includes('/dist/') ? '../../' : '../', import.meta.url));
const MBOX = `${ROOT}test/fixtures/parity/sample.mbox`;
const SINGLE = `${ROOT}test/fixtures/parity/single.eml`;
const HAVE_SA = saAvailable();
const SKIP = 'SpamAssassin (perl -MMail::SpamAssassin) is not installed';

async function collect(paths: string[], opts = {}): Promise<SaRecord[]> {
  const out: SaRecord[] = [];
  for await (const r of runSaProbe(paths, opts)) out.push(r);
  return out;
}

function key(token: string): string {
  return createHash('sha1').update(Buffer.from(token, 'latin1')).digest().subarray(15).toString('hex');
}

function msg(r: SaRecord | undefined): SaMessageRecord {
  assert.ok(r && r.kind === 'message', `expected a message record, got ${JSON.stringify(r)?.slice(0, 200)}`);
  return r;
}

test('sa-tokens.pl: records in file order with offsets, ids, dates', async (t) => {
  if (!HAVE_SA) return t.skip(SKIP);
  const recs = await collect([MBOX, SINGLE]);
  assert.equal(recs.length, 3);
  assert.deepEqual(recs.map((r) => [r.i, r.file, r.offset]), [[0, MBOX, 0], [1, MBOX, 657], [2, SINGLE, 0]]);
  const [a, b, c] = recs.map(msg);
  assert.match(a!.msgid, /^[0-9a-f]{40}@sa_generated$/);
  assert.equal(a!.hdrMsgid, '20240213093000.ABC@example.org');
  assert.equal(b!.hdrMsgid, null);
  // first Received header: Tue, 13 Feb 2024 09:30:00 +0000
  assert.equal(a!.date, Date.UTC(2024, 1, 13, 9, 30, 0) / 1000);
  assert.equal(a!.size, 657);
  assert.equal(c!.visible[0], 'Single file message\n');
});

test('sa-tokens.pl: every key is the last 5 bytes of SHA-1(token) and keys = union of regions', async (t) => {
  if (!HAVE_SA) return t.skip(SKIP);
  for (const r of (await collect([MBOX, SINGLE])).map(msg)) {
    const union = new Set<string>();
    for (const reg of REGIONS) for (const tok of r.tokens[reg]) union.add(key(tok));
    assert.deepEqual([...union].sort(), r.keys);
    assert.deepEqual(r.capped, []);
  }
});

test('sa-tokens.pl: known tokens land in their regions', async (t) => {
  if (!HAVE_SA) return t.skip(SKIP);
  const [a, b] = (await collect([MBOX])).map(msg);
  // Subject words are the first visible line (title case lowered)
  assert.equal(a!.visible[0], 'Quarterly budget meeting\n');
  assert.ok(a!.tokens.body.includes('quarterly'));
  assert.ok(a!.tokens.body.includes('budget'));
  assert.ok(a!.keys.includes(key('quarterly')));
  assert.ok(a!.tokens.header.includes('H*F:U*alice'));
  assert.ok(a!.tokens.relay.includes('H*RU:203.0.113.5'));
  assert.ok(!a!.tokens.header.some((x) => x.startsWith('H*RU:')));
  assert.ok(a!.tokens.body.includes('UD:www.example.com'));
  assert.equal(a!.metadata['x-spam-relays-untrusted']?.includes('ip=203.0.113.5'), true);
  // UTF-8 body text stays as octets; the HTML href is a character string in Perl
  assert.ok(b!.tokens.body.includes('caf\xC3\xA9'));
  assert.ok(b!.tokens.body.includes('u8:\xE6\x97\xA5'));
  assert.deepEqual(b!.tokens.invisible, ['I*:sk:invisib']);
  const idn = b!.uris.find((u) => u.s.includes('bücher'));
  assert.ok(idn && idn.chars, 'the IDN URI is a character string');
  assert.ok(b!.tokens.uri.includes('b\xFCcher.example.com'), 'URI tokens are Latin-1 bytes');
  assert.ok(b!.keys.includes(key('b\xFCcher.example.com')));
});

test('sa-tokens.pl: --max-size, --limit and --sample', async (t) => {
  if (!HAVE_SA) return t.skip(SKIP);
  const small = await collect([MBOX], { maxSize: 600 });
  assert.deepEqual(small.map((r) => r.kind), ['skipped', 'message']);
  const one = await collect([MBOX, SINGLE], { limit: 1 });
  assert.equal(one.length, 1);
  const s1 = (await collect([MBOX, SINGLE], { sample: 0.5, seed: 7 })).map((r) => r.i);
  const s2 = (await collect([MBOX, SINGLE], { sample: 0.5, seed: 7 })).map((r) => r.i);
  assert.deepEqual(s1, s2);
  assert.ok(s1.length < 3);
});

test('runSaProbe: stopping early ends the probe', async (t) => {
  if (!HAVE_SA) return t.skip(SKIP);
  let n = 0;
  for await (const r of runSaProbe([MBOX, SINGLE])) {
    n++;
    assert.equal(r.i, 0);
    break;
  }
  assert.equal(n, 1);
});
