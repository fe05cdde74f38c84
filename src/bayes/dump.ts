// The `sa-learn --backup` text format. Mirrors Mail::SpamAssassin::BayesStore::DBM::backup_database
// (writer) and the checks of restore_database (reader), BayesStore/DBM.pm.
import { SaTrainError } from '../errors.js';

export const DB_VERSION = 3;
export const VERSION_LINE = `v\t${DB_VERSION}\tdb_version # this must be the first line!!!`;

export interface TokenCounts {
  spam: number;
  ham: number;
  atime: number;
}

export type SeenFlag = 's' | 'h';

export interface BayesDump {
  nspam: number;
  nham: number;
  /** key: 10 lowercase hex digits (the low 40 bits of the token's SHA-1). */
  tokens: Map<string, TokenCounts>;
  /** key: message id ("<40 hex>@sa_generated"). */
  seen: Map<string, SeenFlag>;
}

export function emptyDump(): BayesDump {
  return { nspam: 0, nham: 0, tokens: new Map(), seen: new Map() };
}

const HEX10 = /^[0-9a-f]{10}$/;
const UINT = /^\d+$/;

function invalid(msg: string, line?: number): never {
  throw new SaTrainError('DUMP_INVALID', msg, line !== undefined ? { line } : undefined);
}

/**
 * Parse a dump strictly: every line must be one that sa-learn --backup writes. This is stricter than
 * restore_database (which skips what it does not understand) because we validate our own output.
 */
export function parseDump(text: string): BayesDump {
  const lines = text.split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  if (!lines.length || !/^v\s+(\d+)\s+db_version/.test(lines[0]!)) {
    invalid('first line is not "v 3 db_version"', 1);
  }
  const version = Number(/^v\s+(\d+)/.exec(lines[0]!)![1]);
  if (version !== DB_VERSION) invalid(`db_version ${version}, expected ${DB_VERSION}`, 1);
  const dump = emptyDump();
  let sawSpam = false;
  let sawHam = false;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const f = line.split('\t');
    switch (f[0]) {
      case 'v': {
        if (f.length !== 3 || !UINT.test(f[1]!)) invalid(`malformed v line: ${JSON.stringify(line)}`, i + 1);
        if (f[2] === 'num_spam') {
          dump.nspam = Number(f[1]);
          sawSpam = true;
        } else if (f[2] === 'num_nonspam') {
          dump.nham = Number(f[1]);
          sawHam = true;
        } else invalid(`unknown v line: ${JSON.stringify(line)}`, i + 1);
        break;
      }
      case 't': {
        if (f.length !== 5 || !UINT.test(f[1]!) || !UINT.test(f[2]!) || !UINT.test(f[3]!) || !HEX10.test(f[4]!)) {
          invalid(`malformed t line: ${JSON.stringify(line)}`, i + 1);
        }
        const spam = Number(f[1]);
        const ham = Number(f[2]);
        if (spam === 0 && ham === 0) invalid(`token ${f[4]} has no counts (0/0)`, i + 1);
        if (dump.tokens.has(f[4]!)) invalid(`token ${f[4]} appears twice`, i + 1);
        dump.tokens.set(f[4]!, { spam, ham, atime: Number(f[3]) });
        break;
      }
      case 's': {
        if (f.length !== 3 || (f[1] !== 's' && f[1] !== 'h') || !f[2] || f[2] === '0') {
          invalid(`malformed s line: ${JSON.stringify(line)}`, i + 1);
        }
        dump.seen.set(f[2]!, f[1] as SeenFlag);
        break;
      }
      default:
        invalid(`unexpected line: ${JSON.stringify(line.slice(0, 80))}`, i + 1);
    }
  }
  if (!sawSpam) invalid('num_spam is missing');
  if (!sawHam) invalid('num_nonspam is missing');
  return dump;
}

/**
 * Throws DUMP_INVALID unless `text` is a dump sa-learn --restore accepts and that we would write: the same
 * rules as parseDump, checked line by line without building the token table (the output of a large run
 * is validated before it replaces the old file, so this must be cheap). Duplicate keys are found from the
 * ascending order serializeDump writes; an unsorted dump falls back to a set of keys.
 */
export function validateDump(text: string): { nspam: number; nham: number; tokens: number; seen: number } {
  if (!/^v\s+(\d+)\s+db_version/.test(text)) invalid('first line is not "v 3 db_version"', 1);
  let pos = text.indexOf('\n');
  if (pos < 0) pos = text.length;
  const version = Number(/^v\s+(\d+)/.exec(text)![1]);
  if (version !== DB_VERSION) invalid(`db_version ${version}, expected ${DB_VERSION}`, 1);
  let nspam = -1;
  let nham = -1;
  let tokens = 0;
  let seen = 0;
  let lineNo = 1;
  let prevKey = '';
  let keySet: Set<string> | null = null;
  while (pos < text.length) {
    const start = pos + 1;
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    pos = end;
    lineNo++;
    if (start >= end) {
      if (end === text.length) break; // final newline
      invalid('empty line', lineNo);
    }
    const line = text.slice(start, end);
    const c = line.charCodeAt(0);
    if (c === 0x74 /* t */) {
      const m = T_LINE.exec(line);
      if (!m) invalid(`malformed t line: ${JSON.stringify(line)}`, lineNo);
      if (m[1] === '0' && m[2] === '0') invalid(`token ${m[3]} has no counts (0/0)`, lineNo);
      const key = m[3]!;
      if (keySet) {
        if (keySet.has(key)) invalid(`token ${key} appears twice`, lineNo);
        keySet.add(key);
      } else if (key <= prevKey) {
        if (key === prevKey) invalid(`token ${key} appears twice`, lineNo);
        // not in our order: check the rest (and what came before) with a set
        keySet = new Set(collectKeys(text, start));
        if (keySet.has(key)) invalid(`token ${key} appears twice`, lineNo);
        keySet.add(key);
      }
      prevKey = key;
      tokens++;
    } else if (c === 0x73 /* s */) {
      if (!S_LINE.test(line)) invalid(`malformed s line: ${JSON.stringify(line)}`, lineNo);
      seen++;
    } else if (c === 0x76 /* v */) {
      const m = V_LINE.exec(line);
      if (!m) invalid(`malformed v line: ${JSON.stringify(line)}`, lineNo);
      if (m[2] === 'num_spam') nspam = Number(m[1]);
      else nham = Number(m[1]);
    } else invalid(`unexpected line: ${JSON.stringify(line.slice(0, 80))}`, lineNo);
  }
  if (nspam < 0) invalid('num_spam is missing');
  if (nham < 0) invalid('num_nonspam is missing');
  return { nspam, nham, tokens, seen };
}

const T_LINE = /^t\t(\d+)\t(\d+)\t\d+\t([0-9a-f]{10})$/;
const S_LINE = /^s\t[sh]\t(?!0$)[^\t\n]+$/;
const V_LINE = /^v\t(\d+)\t(num_spam|num_nonspam)$/;

/** Keys of the t lines before `upTo` (for the unsorted fallback). */
function collectKeys(text: string, upTo: number): string[] {
  const out: string[] = [];
  const re = /^t\t\d+\t\d+\t\d+\t([0-9a-f]{10})$/gm;
  for (let m = re.exec(text); m && m.index < upTo; m = re.exec(text)) out.push(m[1]!);
  return out;
}

/** A learner's result as the writer needs it: the counts, and the dump's bytes in serializeDump's order. */
export interface DumpOutput {
  nspam: number;
  nham: number;
  tokens: number;
  seen: number;
  bytes(): Buffer;
}

/** The DumpOutput of a dump held as a BayesDump (written as UTF-8, like any JS string written to a file). */
export function dumpOutput(d: BayesDump): DumpOutput {
  return { nspam: d.nspam, nham: d.nham, tokens: d.tokens.size, seen: d.seen.size, bytes: () => Buffer.from(serializeDump(d), 'utf8') };
}

/**
 * Write a dump in a fixed order (version, num_spam, num_nonspam, tokens by key, seen by id), so that the
 * same training gives the same bytes and two dumps can be compared with diff.
 */
export function serializeDump(d: BayesDump): string {
  const out: string[] = [VERSION_LINE, `v\t${d.nspam}\tnum_spam`, `v\t${d.nham}\tnum_nonspam`];
  const keys = [...d.tokens.keys()].sort(); // default sort: UTF-16 code unit order, as cmp, without a JS callback
  for (const k of keys) {
    const t = d.tokens.get(k)!;
    out.push(`t\t${t.spam}\t${t.ham}\t${t.atime}\t${k}`);
  }
  const ids = [...d.seen.keys()].sort();
  for (const id of ids) out.push(`s\t${d.seen.get(id)}\t${id}`);
  return out.join('\n') + '\n';
}

/**
 * Merge dumps of disjoint message sets: counts add up, atime is the newest. Exact when no message id
 * occurs in two of them (the learner's atime = max rule makes the order irrelevant).
 */
export function mergeDumps(dumps: BayesDump[]): BayesDump {
  const out = emptyDump();
  for (const d of dumps) {
    out.nspam += d.nspam;
    out.nham += d.nham;
    for (const [k, t] of d.tokens) {
      const cur = out.tokens.get(k);
      if (!cur) out.tokens.set(k, { ...t });
      else {
        cur.spam += t.spam;
        cur.ham += t.ham;
        if (t.atime > cur.atime) cur.atime = t.atime;
      }
    }
    for (const [id, f] of d.seen) {
      const prev = out.seen.get(id);
      if (prev && prev !== f) {
        throw new SaTrainError('DUMP_INVALID', `message ${id} is in two shards with different classes`);
      }
      out.seen.set(id, f);
    }
  }
  return out;
}
