import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { formatReport, reportIsClean } from '../src/parity/compare.js';
import type { NativeAnalysis } from '../src/parity/regions.js';
import { expandTargets, runParity } from '../src/parity/run.js';
import { runSaProbe, saAvailable, type SaMessageRecord } from '../src/parity/sa-probe.js';

const ROOT = fileURLToPath(new URL(import.meta.url.includes('/dist/') ? '../../' : '../', import.meta.url));
const DIR = `${ROOT}test/fixtures/parity`;
const SKIP = 'SpamAssassin (perl -MMail::SpamAssassin) is not installed';

test('expandTargets lists directory files sorted', () => {
  const files = expandTargets([DIR]);
  assert.deepEqual(files.map((f) => f.slice(DIR.length + 1)), ['sample.mbox', 'single.eml']);
});

// A stand-in native engine that answers with SpamAssassin's own records (found by the raw bytes),
// except that it loses one body token of the message whose Subject mentions "budget".
async function fakeNative(): Promise<(raw: Buffer, now: number) => NativeAnalysis> {
  const byRaw = new Map<string, SaMessageRecord>();
  for await (const r of runSaProbe(expandTargets([DIR]), { raw: true })) {
    if (r.kind === 'message' && r.raw !== undefined) byRaw.set(r.raw, r);
  }
  return (raw) => {
    const r = byRaw.get(raw.toString('latin1'));
    if (!r) throw new Error('unknown message');
    const tokens = { ...r.tokens };
    if (r.visible[0]?.includes('budget')) tokens.body = tokens.body.filter((x) => x !== 'budget');
    return { msgid: r.msgid, hdrMsgid: r.hdrMsgid, date: r.date, tokens };
  };
}

test('runParity aligns both sides by offset and reports the one difference', async (t) => {
  if (!saAvailable()) return t.skip(SKIP);
  const analyze = await fakeNative();
  const report = await runParity([DIR], analyze);
  assert.equal(report.problems.length, 0, JSON.stringify(report.problems));
  assert.equal(report.messages, 3);
  assert.equal(report.identical, 2);
  assert.equal(report.perRegion.body, 2);
  assert.equal(report.perRegion.header, 3);
  assert.equal(report.msgidAgree, 3);
  assert.equal(report.diffs.length, 1);
  assert.deepEqual(report.diffs[0]!.regions.body!.saOnly, ['budget']);
  assert.equal(reportIsClean(report), false);
  assert.match(formatReport(report), /SA-only:\s+budget/);
  const onlyHeaders = await runParity([DIR], analyze, { regions: ['header', 'relay'] });
  assert.equal(reportIsClean(onlyHeaders), true);
});
