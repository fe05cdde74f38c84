import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ParityAggregator,
  compareDumps,
  compareMessage,
  formatDumpComparison,
  formatReport,
  printable,
  reportIsClean,
  type MessageSide,
} from '../src/parity/compare.js';
import type { TokenRegions } from '../src/parity/regions.js';

function regions(p: Partial<TokenRegions>): TokenRegions {
  return { header: [], relay: [], body: [], invisible: [], uri: [], ...p };
}

function side(p: Omit<Partial<MessageSide>, 'tokens'> & { tokens?: Partial<TokenRegions> }): MessageSide {
  return {
    msgid: p.msgid ?? 'a'.repeat(40) + '@sa_generated',
    hdrMsgid: p.hdrMsgid === undefined ? 'x@y' : p.hdrMsgid,
    date: p.date ?? 1700000000,
    tokens: regions(p.tokens ?? {}),
  };
}

const ref = (i: number) => ({ i, file: 'f.mbox', offset: i * 100 });

test('identical sides agree in every respect, whatever the order and duplicates', () => {
  const a = side({ tokens: { body: ['hello', 'world', 'hello'], header: ['H*F:U*bob'], relay: ['H*RU:1.2.3.4'] } });
  const b = side({ tokens: { body: ['world', 'hello'], header: ['H*F:U*bob'], relay: ['H*RU:1.2.3.4'] } });
  const c = compareMessage(ref(0), a, b);
  assert.equal(c.identical, true);
  assert.deepEqual(c.identicalRegions, ['header', 'relay', 'body', 'invisible', 'uri']);
  assert.deepEqual(c.regions, {});
  assert.equal(c.msgidAgree && c.hdrMsgidAgree && c.dateAgree, true);
});

test('empty tokens are ignored like the learner does', () => {
  const c = compareMessage(ref(0), side({ tokens: { body: ['x1y', ''] } }), side({ tokens: { body: ['x1y'] } }));
  assert.equal(c.identical, true);
});

test('region differences list SA-only and native-only tokens, sorted and truncated', () => {
  const sa = side({ tokens: { body: ['zeta', 'alpha', 'beta', 'caf\xE9'], uri: ['www.example.com'] } });
  const nat = side({ tokens: { body: ['alpha', 'gamma'], uri: ['www.example.com'] } });
  const c = compareMessage(ref(3), sa, nat, { showTokens: 2 });
  assert.equal(c.identical, false);
  const d = c.regions.body!;
  assert.equal(d.saOnlyCount, 3);
  assert.deepEqual(d.saOnly, ['beta', 'caf\xE9']);
  assert.equal(d.nativeOnlyCount, 1);
  assert.deepEqual(d.nativeOnly, ['gamma']);
  assert.equal(c.regions.uri, undefined);
  assert.ok(c.identicalRegions.includes('uri'));
  assert.ok(!c.identicalRegions.includes('body'));
});

test('a token in the wrong region keeps the overall set identical but not the regions', () => {
  const sa = side({ tokens: { body: ['UD:example.com'], invisible: [] } });
  const nat = side({ tokens: { body: [], invisible: ['UD:example.com'] } });
  const c = compareMessage(ref(1), sa, nat);
  assert.equal(c.identical, true);
  assert.equal(c.regions.body!.saOnlyCount, 1);
  assert.equal(c.regions.invisible!.nativeOnlyCount, 1);
});

test('--region restricts the comparison', () => {
  const sa = side({ tokens: { body: ['a1b'], header: ['H*F:x'] } });
  const nat = side({ tokens: { body: ['a1b'], header: ['H*F:y'] } });
  assert.equal(compareMessage(ref(0), sa, nat, { regions: ['body'] }).identical, true);
  assert.equal(compareMessage(ref(0), sa, nat, { regions: ['header'] }).identical, false);
});

test('ids and dates; both dates inside the run window count as "now" on both sides', () => {
  const sa = side({ msgid: 'b'.repeat(40) + '@sa_generated', hdrMsgid: null, date: 1000 });
  const nat = side({ hdrMsgid: 'x@y', date: 1001 });
  const c = compareMessage(ref(0), sa, nat);
  assert.equal(c.msgidAgree, false);
  assert.equal(c.hdrMsgidAgree, false);
  assert.equal(c.dateAgree, false);
  const w = compareMessage(ref(0), side({ date: 5000 }), side({ date: 5003 }), { nowWindow: [4999, 5004] });
  assert.equal(w.dateAgree, true);
  const outside = compareMessage(ref(0), side({ date: 4000 }), side({ date: 5003 }), { nowWindow: [4999, 5004] });
  assert.equal(outside.dateAgree, false);
});

test('aggregation counts messages, regions, ids and keeps the first differing messages', () => {
  const agg = new ParityAggregator(undefined, 1);
  const good = side({ tokens: { body: ['abc'], header: ['H*F:abc'] } });
  agg.add(compareMessage(ref(0), good, good));
  agg.add(compareMessage(ref(1), good, side({ tokens: { body: ['abd'], header: ['H*F:abc'] } })));
  agg.add(compareMessage(ref(2), good, side({ date: 1, tokens: { body: ['abc'], header: ['H*F:abc'] } })));
  agg.addSkipped();
  const r = agg.result();
  assert.equal(r.messages, 3);
  assert.equal(r.identical, 2);
  assert.equal(r.perRegion.body, 2);
  assert.equal(r.perRegion.header, 3);
  assert.equal(r.dateAgree, 2);
  assert.equal(r.fullyAgree, 1);
  assert.equal(r.differing, 2);
  assert.equal(r.diffs.length, 1);
  assert.equal(r.diffs[0]!.ref.i, 1);
  assert.equal(r.saOnlyTotal.body, 1);
  assert.equal(r.nativeOnlyTotal.body, 1);
  assert.equal(r.skipped, 1);
  assert.equal(reportIsClean(r), false);
  const text = formatReport(r);
  assert.match(text, /messages compared\s+3/);
  assert.match(text, /SA-only:\s+abc/);
  assert.match(text, /native-only: abd/);
  assert.match(text, /1 more differing messages not shown/);
});

test('a clean report is clean; a problem makes it unclean', () => {
  const agg = new ParityAggregator();
  const s = side({ tokens: { body: ['abc'] } });
  agg.add(compareMessage(ref(0), s, s));
  assert.equal(reportIsClean(agg.result()), true);
  agg.addProblem({ ref: ref(1), side: 'native', error: 'boom' });
  assert.equal(reportIsClean(agg.result()), false);
  assert.match(formatReport(agg.result()), /! native f\.mbox @100 \(#1\): boom/);
});

test('printable escapes control and high bytes as \\xHH', () => {
  assert.equal(printable('caf\xE9\t\\x'), 'caf\\xE9\\x09\\\\x');
  assert.equal(printable('u8:\xE6\x97\xA5'), 'u8:\\xE6\\x97\\xA5');
  assert.equal(printable('plain text!'), 'plain text!');
});

const V = 'v\t3\tdb_version # this must be the first line!!!\nv\t2\tnum_spam\nv\t1\tnum_nonspam\n';

test('compareDumps: identical as sets of lines regardless of order', () => {
  const a = V + 't\t1\t0\t1700000000\t0123456789\nt\t0\t1\t1700000001\tabcdefabcd\ns\ts\tx@sa_generated\n';
  const b = V + 't\t0\t1\t1700000001\tabcdefabcd\nt\t1\t0\t1700000000\t0123456789\ns\ts\tx@sa_generated\n';
  const c = compareDumps(a, b);
  assert.equal(c.identical, true);
  assert.equal(c.t.common, 2);
  assert.equal(c.t.a, 2);
  assert.equal(c.v.agree, true);
  assert.equal(c.s.agree, true);
  assert.equal(c.firstLineOk, true);
});

test('compareDumps: missing, extra, same key with other counts, v and s disagreement', () => {
  const a = V + 't\t1\t0\t1700000000\t0123456789\nt\t0\t1\t1700000001\tabcdefabcd\ns\ts\tx@sa_generated\n';
  const b = V.replace('v\t1\tnum_nonspam', 'v\t2\tnum_nonspam') +
    't\t2\t0\t1700000000\t0123456789\nt\t1\t1\t1700000005\t9999999999\ns\th\tx@sa_generated\n';
  const c = compareDumps(a, b);
  assert.equal(c.identical, false);
  assert.equal(c.t.common, 0);
  assert.equal(c.t.missing, 2);
  assert.equal(c.t.extra, 2);
  assert.equal(c.t.sameKeyDiffer, 1);
  assert.equal(c.v.agree, false);
  assert.equal(c.v.missing, 1);
  assert.equal(c.s.agree, false);
  assert.match(formatDumpComparison(c), /t lines: 0 identical \/ 2 \(reference\) vs 2; missing 2, extra 2/);
});

test('compareDumps: a dump not starting with the db_version line is not identical', () => {
  const body = 't\t1\t0\t1700000000\t0123456789\n';
  const a = V + body;
  const b = body + V;
  const c = compareDumps(a, b);
  assert.equal(c.t.missing + c.t.extra, 0);
  assert.equal(c.firstLineOk, false);
  assert.equal(c.identical, false);
});

test('a difference in a region SpamAssassin capped is labelled as hash-order dependent, and still counted', () => {
  const sa = { ...side({ tokens: { uri: ['UD:a4.gov', 'a4.gov'], body: ['x'] } }), capped: ['uri'] };
  const nat = side({ tokens: { uri: ['UD:a0.gov', 'a0.gov'], body: ['x'] } });
  const c = compareMessage(ref(0), sa, nat);
  assert.equal(c.identical, false);
  assert.deepEqual(c.cappedDiffs, ['uri']);
  const agg = new ParityAggregator();
  agg.add(c);
  // an uncapped difference is not labelled
  const c2 = compareMessage(ref(1), side({ tokens: { body: ['x'] } }), side({ tokens: { body: ['y'] } }));
  assert.deepEqual(c2.cappedDiffs, []);
  agg.add(c2);
  const r = agg.result();
  assert.equal(r.differing, 2);
  assert.equal(r.differingOnlyCapped, 1);
  assert.equal(reportIsClean(r), false);
  const text = formatReport(r);
  assert.match(text, /1 differ only in regions SpamAssassin capped/);
  assert.match(text, /uri: 2 SA-only, 2 native-only \(capped in SpamAssassin/);
  assert.match(text, /body: 1 SA-only, 1 native-only\n/);
});
