// Differential comparison of SpamAssassin (the oracle, Plugin/Bayes.pm via tools/probes/sa-tokens.pl)
// and the native engine: per-message token sets by region, ids and dates, aggregated into a report.
import { REGIONS, type Region, type TokenRegions } from './regions.js';

/** Default number of differing tokens kept per region and side for a differing message. */
export const DEFAULT_SHOW_TOKENS = 6;

/** One side of a per-message comparison (SA record or native analysis). */
export interface MessageSide {
  msgid: string;
  hdrMsgid: string | null;
  date: number;
  tokens: TokenRegions;
  /**
   * SA side: regions whose tokenize cap was reached. Plugin/Bayes.pm walks the URIs (get_uri_list: keys
   * of a hash) and the headers (each %hdrs) in Perl hash order, which changes from run to run, and stops
   * at the cap: which tokens make it in then differs between sa-learn runs, so no fixed order matches.
   */
  capped?: readonly string[];
}

export interface MessageRef {
  i: number;
  file: string;
  offset: number;
}

export interface RegionDiff {
  saOnlyCount: number;
  nativeOnlyCount: number;
  /** First few tokens only SA produced (sorted, binary strings). */
  saOnly: string[];
  nativeOnly: string[];
}

export interface MessageComparison {
  ref: MessageRef;
  /** Union of the compared regions identical as sets. */
  identical: boolean;
  regions: Partial<Record<Region, RegionDiff>>;
  /** Regions compared and found identical. */
  identicalRegions: Region[];
  /** Differing regions that SA capped (its token set there depends on Perl's hash order). */
  cappedDiffs: Region[];
  msgidAgree: boolean;
  hdrMsgidAgree: boolean;
  dateAgree: boolean;
  sa: { msgid: string; hdrMsgid: string | null; date: number };
  native: { msgid: string; hdrMsgid: string | null; date: number };
}

export interface CompareOptions {
  /** Compare only these regions (default all). */
  regions?: readonly Region[];
  /** Differing tokens kept per region and side. */
  showTokens?: number;
  /**
   * Interval [lo, hi] (epoch seconds) of the run: when both dates fall inside it, both sides fell back
   * to "now" (Util.pm::receive_date found no date) and they are counted as agreeing.
   */
  nowWindow?: [number, number];
}

function setOf(a: readonly string[]): Set<string> {
  const s = new Set<string>();
  for (const t of a) if (t !== '') s.add(t); // the learner drops empty tokens
  return s;
}

function diffSets(sa: Set<string>, nat: Set<string>, show: number): RegionDiff {
  const saOnly: string[] = [];
  const nativeOnly: string[] = [];
  for (const t of sa) if (!nat.has(t)) saOnly.push(t);
  for (const t of nat) if (!sa.has(t)) nativeOnly.push(t);
  saOnly.sort(byteCompare);
  nativeOnly.sort(byteCompare);
  return {
    saOnlyCount: saOnly.length,
    nativeOnlyCount: nativeOnly.length,
    saOnly: saOnly.slice(0, show),
    nativeOnly: nativeOnly.slice(0, show),
  };
}

/** Order of binary strings as Perl's `sort` on byte strings (code unit order; all units <= 0xFF). */
export function byteCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Compare one message's two sides. */
export function compareMessage(ref: MessageRef, sa: MessageSide, nat: MessageSide, opts: CompareOptions = {}): MessageComparison {
  const regions = opts.regions ?? REGIONS;
  const show = opts.showTokens ?? DEFAULT_SHOW_TOKENS;
  const out: Partial<Record<Region, RegionDiff>> = {};
  const identicalRegions: Region[] = [];
  const saAll = new Set<string>();
  const natAll = new Set<string>();
  for (const r of regions) {
    const a = setOf(sa.tokens[r] ?? []);
    const b = setOf(nat.tokens[r] ?? []);
    for (const t of a) saAll.add(t);
    for (const t of b) natAll.add(t);
    const d = diffSets(a, b, show);
    if (d.saOnlyCount === 0 && d.nativeOnlyCount === 0) identicalRegions.push(r);
    else out[r] = d;
  }
  const capped = sa.capped ?? [];
  const cappedDiffs = (Object.keys(out) as Region[]).filter((r) => capped.includes(r));
  let identical = saAll.size === natAll.size;
  if (identical) for (const t of saAll) if (!natAll.has(t)) { identical = false; break; }

  const win = opts.nowWindow;
  const bothNow = win !== undefined && sa.date >= win[0] && sa.date <= win[1] && nat.date >= win[0] && nat.date <= win[1];
  return {
    ref,
    identical,
    regions: out,
    identicalRegions,
    cappedDiffs,
    msgidAgree: sa.msgid === nat.msgid,
    hdrMsgidAgree: sa.hdrMsgid === nat.hdrMsgid,
    dateAgree: sa.date === nat.date || bothNow,
    sa: { msgid: sa.msgid, hdrMsgid: sa.hdrMsgid, date: sa.date },
    native: { msgid: nat.msgid, hdrMsgid: nat.hdrMsgid, date: nat.date },
  };
}

export function fullyAgrees(c: MessageComparison): boolean {
  return c.identical && c.msgidAgree && c.hdrMsgidAgree && c.dateAgree;
}

export interface ProblemMessage {
  ref: MessageRef;
  side: 'sa' | 'native' | 'split';
  error: string;
}

export interface ParityReport {
  regions: Region[];
  /** Messages compared (both sides produced an analysis). */
  messages: number;
  /** Union of the compared regions identical. */
  identical: number;
  perRegion: Partial<Record<Region, number>>;
  msgidAgree: number;
  hdrMsgidAgree: number;
  dateAgree: number;
  /** Identical tokens and all ids and dates agreeing. */
  fullyAgree: number;
  /** Too large for --max-size on the SA side. */
  skipped: number;
  /** Messages one side could not analyse, or that the splitters did not agree on. */
  problems: ProblemMessage[];
  /** Differing messages (first `keepDiffs`). */
  diffs: MessageComparison[];
  /** Differing messages in total. */
  differing: number;
  /** Of those, messages whose only differences are token regions SA capped (hash-order dependent). */
  differingOnlyCapped: number;
  /** Tokens missing on the native side / extra on it, summed over messages, per region. */
  saOnlyTotal: Partial<Record<Region, number>>;
  nativeOnlyTotal: Partial<Record<Region, number>>;
}

/** Accumulates per-message comparisons into a ParityReport. */
export class ParityAggregator {
  private readonly report: ParityReport;
  private readonly keepDiffs: number;

  constructor(regions: readonly Region[] = REGIONS, keepDiffs = 10) {
    this.keepDiffs = keepDiffs;
    const zero = (): Partial<Record<Region, number>> => Object.fromEntries(regions.map((r) => [r, 0]));
    this.report = {
      regions: [...regions],
      messages: 0,
      identical: 0,
      perRegion: zero(),
      msgidAgree: 0,
      hdrMsgidAgree: 0,
      dateAgree: 0,
      fullyAgree: 0,
      skipped: 0,
      problems: [],
      diffs: [],
      differing: 0,
      differingOnlyCapped: 0,
      saOnlyTotal: zero(),
      nativeOnlyTotal: zero(),
    };
  }

  add(c: MessageComparison): void {
    const r = this.report;
    r.messages++;
    if (c.identical) r.identical++;
    for (const reg of c.identicalRegions) r.perRegion[reg] = (r.perRegion[reg] ?? 0) + 1;
    for (const [reg, d] of Object.entries(c.regions) as [Region, RegionDiff][]) {
      r.saOnlyTotal[reg] = (r.saOnlyTotal[reg] ?? 0) + d.saOnlyCount;
      r.nativeOnlyTotal[reg] = (r.nativeOnlyTotal[reg] ?? 0) + d.nativeOnlyCount;
    }
    if (c.msgidAgree) r.msgidAgree++;
    if (c.hdrMsgidAgree) r.hdrMsgidAgree++;
    if (c.dateAgree) r.dateAgree++;
    if (fullyAgrees(c)) r.fullyAgree++;
    else {
      r.differing++;
      const onlyCapped = c.msgidAgree && c.hdrMsgidAgree && c.dateAgree && c.cappedDiffs.length === Object.keys(c.regions).length;
      if (onlyCapped) r.differingOnlyCapped++;
      if (r.diffs.length < this.keepDiffs) r.diffs.push(c);
    }
  }

  addSkipped(): void {
    this.report.skipped++;
  }

  addProblem(p: ProblemMessage): void {
    this.report.problems.push(p);
  }

  result(): ParityReport {
    return this.report;
  }
}

/** Everything agreed and nothing went wrong. */
export function reportIsClean(r: ParityReport): boolean {
  return r.problems.length === 0 && r.fullyAgree === r.messages;
}

/** Escape a binary string for a terminal: printable ASCII kept, `\` doubled, other units as \xHH. */
export function printable(s: string): string {
  let out = '';
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c === 0x5c) out += '\\\\';
    else if (c >= 0x20 && c < 0x7f) out += s[k];
    else if (c <= 0xff) out += '\\x' + c.toString(16).padStart(2, '0').toUpperCase();
    else out += '\\x{' + c.toString(16).toUpperCase() + '}';
  }
  return out;
}

function pct(n: number, d: number): string {
  return d === 0 ? '-' : `${((100 * n) / d).toFixed(2)}%`;
}

/** Human-readable report. */
export function formatReport(r: ParityReport): string {
  const lines: string[] = [];
  const line = (label: string, n: number): void => {
    lines.push(`${label.padEnd(28)}${String(n).padStart(8)} / ${r.messages}  ${pct(n, r.messages)}`);
  };
  lines.push(`messages compared           ${String(r.messages).padStart(8)}`);
  if (r.skipped) lines.push(`skipped (--max-size)        ${String(r.skipped).padStart(8)}`);
  if (r.problems.length) lines.push(`problems                    ${String(r.problems.length).padStart(8)}`);
  line('identical token sets', r.identical);
  for (const reg of r.regions) {
    const extra = (r.saOnlyTotal[reg] ?? 0) || (r.nativeOnlyTotal[reg] ?? 0)
      ? `   (missing ${r.saOnlyTotal[reg] ?? 0}, extra ${r.nativeOnlyTotal[reg] ?? 0})`
      : '';
    line(`  ${reg}`, r.perRegion[reg] ?? 0);
    if (extra) lines[lines.length - 1] += extra;
  }
  line('generated msgid agrees', r.msgidAgree);
  line('Message-Id agrees', r.hdrMsgidAgree);
  line('date agrees', r.dateAgree);
  line('fully agree', r.fullyAgree);
  if (r.differingOnlyCapped) {
    lines.push(`  of the others, ${r.differingOnlyCapped} differ only in regions SpamAssassin capped: its token set there`);
    lines.push('  depends on Perl hash order and changes between sa-learn runs (see --show)');
  }

  for (const p of r.problems.slice(0, 20)) {
    lines.push(`! ${p.side} ${p.ref.file} @${p.ref.offset} (#${p.ref.i}): ${printable(p.error)}`);
  }
  if (r.problems.length > 20) lines.push(`! ... ${r.problems.length - 20} more problems`);

  for (const c of r.diffs) {
    lines.push('');
    lines.push(`--- #${c.ref.i} ${c.ref.file} @${c.ref.offset}`);
    if (!c.msgidAgree) lines.push(`  msgid   sa ${c.sa.msgid}  native ${c.native.msgid}`);
    if (!c.hdrMsgidAgree) {
      lines.push(`  Message-Id sa ${printable(String(c.sa.hdrMsgid))}  native ${printable(String(c.native.hdrMsgid))}`);
    }
    if (!c.dateAgree) lines.push(`  date    sa ${c.sa.date}  native ${c.native.date}`);
    for (const [reg, d] of Object.entries(c.regions) as [Region, RegionDiff][]) {
      const note = c.cappedDiffs.includes(reg) ? ' (capped in SpamAssassin: hash order decides which tokens made the cap)' : '';
      lines.push(`  ${reg}: ${d.saOnlyCount} SA-only, ${d.nativeOnlyCount} native-only${note}`);
      if (d.saOnly.length) lines.push(`    SA-only:     ${d.saOnly.map(printable).join('  ')}${d.saOnlyCount > d.saOnly.length ? '  ...' : ''}`);
      if (d.nativeOnly.length) lines.push(`    native-only: ${d.nativeOnly.map(printable).join('  ')}${d.nativeOnlyCount > d.nativeOnly.length ? '  ...' : ''}`);
    }
  }
  if (r.differing > r.diffs.length) lines.push('', `(${r.differing - r.diffs.length} more differing messages not shown)`);
  return lines.join('\n') + '\n';
}

// ---- backup dumps -----------------------------------------------------------------------------------

export interface LineSetComparison {
  /** Distinct lines in a / in b. */
  a: number;
  b: number;
  /** Lines present in both. */
  common: number;
  /** In a (reference) but not in b. */
  missing: number;
  /** In b but not in a. */
  extra: number;
  /** First few missing / extra lines (for display). */
  missingSample: string[];
  extraSample: string[];
}

export interface DumpComparison {
  /** "v" lines (db_version, num_spam, num_nonspam) as sets. */
  v: LineSetComparison & { agree: boolean };
  t: LineSetComparison & {
    /** Keys present on both sides whose count/atime fields differ. */
    sameKeyDiffer: number;
  };
  s: LineSetComparison & { agree: boolean };
  /** Lines that are not v/t/s lines (blank lines excluded), per side. */
  otherA: number;
  otherB: number;
  /** Both dumps start with the db_version v line, as restore_database requires. */
  firstLineOk: boolean;
  identical: boolean;
}

/** Lines kept per sample in a DumpComparison. */
const DUMP_SAMPLE = 10;

function compareLineSets(a: Set<string>, b: Set<string>): LineSetComparison {
  let common = 0;
  const missingSample: string[] = [];
  const extraSample: string[] = [];
  let missing = 0;
  let extra = 0;
  for (const l of a) {
    if (b.has(l)) common++;
    else {
      missing++;
      if (missingSample.length < DUMP_SAMPLE) missingSample.push(l);
    }
  }
  for (const l of b) {
    if (!a.has(l)) {
      extra++;
      if (extraSample.length < DUMP_SAMPLE) extraSample.push(l);
    }
  }
  return { a: a.size, b: b.size, common, missing, extra, missingSample, extraSample };
}

interface SplitDump {
  v: Set<string>;
  t: Set<string>;
  s: Set<string>;
  /** t lines by key (last field). */
  tKeys: Map<string, string>;
  other: number;
  first: string;
}

const DB_VERSION_LINE = /^v\t3\tdb_version # this must be the first line!!!$/;

function splitDump(text: string): SplitDump {
  const d: SplitDump = { v: new Set(), t: new Set(), s: new Set(), tKeys: new Map(), other: 0, first: '' };
  let first = true;
  for (let line of text.split('\n')) {
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line === '') continue;
    if (first) {
      d.first = line;
      first = false;
    }
    const tag = line.slice(0, 2);
    if (tag === 'v\t') d.v.add(line);
    else if (tag === 's\t') d.s.add(line);
    else if (tag === 't\t') {
      d.t.add(line);
      d.tKeys.set(line.slice(line.lastIndexOf('\t') + 1), line);
    } else d.other++;
  }
  return d;
}

/** Compare two `sa-learn --backup` dumps as sets of lines; `a` is the reference (SpamAssassin). */
export function compareDumps(a: string, b: string): DumpComparison {
  const da = splitDump(a);
  const db = splitDump(b);
  const v = compareLineSets(da.v, db.v);
  const t = compareLineSets(da.t, db.t);
  const s = compareLineSets(da.s, db.s);
  let sameKeyDiffer = 0;
  for (const [k, line] of da.tKeys) {
    const other = db.tKeys.get(k);
    if (other !== undefined && other !== line) sameKeyDiffer++;
  }
  const firstLineOk = DB_VERSION_LINE.test(da.first) && DB_VERSION_LINE.test(db.first);
  const vAgree = v.missing === 0 && v.extra === 0;
  const sAgree = s.missing === 0 && s.extra === 0;
  return {
    v: { ...v, agree: vAgree },
    t: { ...t, sameKeyDiffer },
    s: { ...s, agree: sAgree },
    otherA: da.other,
    otherB: db.other,
    firstLineOk,
    identical: vAgree && sAgree && t.missing === 0 && t.extra === 0 && da.other === 0 && db.other === 0 && firstLineOk,
  };
}

/** Human-readable dump comparison. */
export function formatDumpComparison(c: DumpComparison): string {
  const l: string[] = [];
  l.push(`t lines: ${c.t.common} identical / ${c.t.a} (reference) vs ${c.t.b}; missing ${c.t.missing}, extra ${c.t.extra}, same key with other counts/atime ${c.t.sameKeyDiffer}`);
  l.push(`v lines: ${c.v.agree ? 'agree' : `differ (missing ${c.v.missing}, extra ${c.v.extra})`}`);
  l.push(`s lines: ${c.s.agree ? `agree (${c.s.a})` : `${c.s.common} common / ${c.s.a}; missing ${c.s.missing}, extra ${c.s.extra}`}`);
  if (!c.firstLineOk) l.push('first line is not the db_version v line on one side');
  if (c.otherA || c.otherB) l.push(`unrecognised lines: reference ${c.otherA}, other ${c.otherB}`);
  for (const x of c.t.missingSample) l.push(`  - ${printable(x)}`);
  for (const x of c.t.extraSample) l.push(`  + ${printable(x)}`);
  return l.join('\n') + '\n';
}
