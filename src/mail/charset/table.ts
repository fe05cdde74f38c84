// Table-driven decoders: a port of Encode's encengine (encengine.c do_encode) and Encode.xs
// encode_method for the decode direction, which every Encode::XS encoding (single-byte and CJK) uses.
//
// Behaviour reproduced (Encode 3.17, checked by test/charset.test.ts against tools/probes/encode.pl):
//  - the byte tree is walked from a lead byte; a lead announces the full length of its sequences and
//    if fewer bytes remain the decoder stops and silently DROPS them (ENCODE_PARTIAL), in every mode,
//    FB_CROAK included;
//  - an unmapped or malformed sequence (ENCODE_NOREP) croaks (FB_CROAK), or emits U+FFFD (check
//    without DIE: LEAVE_SRC only) or "\xHH" (FB_PERLQQ) and resumes ONE byte after its first byte;
//  - fallback (approximate) entries are only used with check=0; none exist in the decode direction of
//    the tables we use that way (cp1252, verified), so check=0 is treated like LEAVE_SRC.
import { TABLES as SBCS } from '../../data/charset-sbcs.js';
import { TABLES as CJK } from '../../data/charset-cjk.js';
import { StrBuilder } from './builder.js';

/** Serialized table, see tools/gen-tables/charset-tables.mjs. Keys: length * 2^24 + bytes (big-endian). */
export interface TableSpec {
  /** Tables this one is derived from: [name, byte transform, prefix byte]. */
  bases?: [string, string, number?][];
  /** Flat segments: key, "chars" (one code point per consecutive key) | key, -count, firstCodePoint. */
  segs: (number | string)[];
  /** Keys of the bases that this table does not map. */
  del?: number[];
  /** Sequences mapping to more than one code point. */
  multi?: Record<string, string>;
}

export type DecodeMode = 'croak' | 'subst' | 'perlqq';

const UNMAPPED = -1;
const K = 0x1000000;

/** A decoding table: one-byte codes, two-byte codes, three-byte codes; values >= 0 are code points. */
export interface Table {
  readonly one: Int32Array;
  /** Full sequence length announced by a lead byte (0: not a lead). */
  readonly lead: Uint8Array;
  readonly two: Int32Array | null;
  /** Valid two-byte prefixes of three-byte sequences. */
  readonly pre2: Uint8Array | null;
  readonly three: Map<number, number> | null;
  readonly multi: string[];
}

function xformKey(key: number, xform: string, prefix: number | undefined): number {
  const len = Math.floor(key / K);
  let v = key % K;
  if (xform === 'id') return key;
  if (len !== 2) return -1;
  if (xform === 'gr') v |= 0x8080;
  else if (xform === 'sjis') {
    const j1 = v >> 8, j2 = v & 0xff;
    const s1 = ((j1 + 1) >> 1) + (j1 <= 0x5e ? 0x70 : 0xb0);
    const s2 = j1 & 1 ? j2 + (j2 <= 0x5f ? 0x1f : 0x20) : j2 + 0x7e;
    v = (s1 << 8) | s2;
  }
  return prefix !== undefined ? 3 * K + prefix * 0x10000 + v : 2 * K + v;
}

function specOf(name: string): TableSpec | undefined {
  return SBCS[name] ?? CJK[name];
}

/** A table being built: the arrays of Table, values >= 0 code points, <= -2 indexes into `multi`. */
interface Acc {
  one: Int32Array;
  two: Int32Array | null;
  three: Map<number, number> | null;
  multi: string[];
}

function put(acc: Acc, key: number, val: number): void {
  const len = Math.floor(key / K);
  const v = key % K;
  if (len === 1) acc.one[v] = val;
  else if (len === 2) (acc.two ??= new Int32Array(65536).fill(UNMAPPED))[v] = val;
  else (acc.three ??= new Map()).set(v, val);
}

function unput(acc: Acc, key: number): void {
  const len = Math.floor(key / K);
  const v = key % K;
  if (len === 1) acc.one[v] = UNMAPPED;
  else if (len === 2) {
    if (acc.two) acc.two[v] = UNMAPPED;
  } else acc.three?.delete(v);
}

/** A multi-code-point sequence as a value of `acc`. */
function multiVal(acc: Acc, s: string): number {
  acc.multi.push(s);
  return -2 - (acc.multi.length - 1);
}

/**
 * Build a table from its spec, straight into typed arrays: the bases' finished tables (built once and
 * cached) with their keys transformed, minus `del`, then the segments and multi-character entries.
 * Same mapping as applying the spec to a map of every sequence, without one.
 */
function build(name: string): Table {
  const spec = specOf(name);
  if (!spec) throw new Error(`no table ${name}`);
  const acc: Acc = { one: new Int32Array(256).fill(UNMAPPED), two: null, three: null, multi: [] };
  for (const [b, xform, prefix] of spec.bases ?? []) {
    const base = getTable(b);
    const copy = (key: number, val: number): void => {
      const nk = xformKey(key, xform, prefix);
      if (nk >= 0) put(acc, nk, val <= -2 ? multiVal(acc, base.multi[-2 - val]!) : val);
    };
    for (let v = 0; v < 256; v++) if (base.one[v] !== UNMAPPED) copy(K + v, base.one[v]!);
    if (base.two) for (let v = 0; v < 65536; v++) if (base.two[v] !== UNMAPPED) copy(2 * K + v, base.two[v]!);
    if (base.three) for (const [v, val] of base.three) copy(3 * K + v, val);
  }
  for (const k of spec.del ?? []) unput(acc, k);
  const segs = spec.segs;
  for (let i = 0; i < segs.length;) {
    const start = segs[i] as number;
    const next = segs[i + 1];
    if (typeof next === 'string') {
      // one entry per code point of the string (a lone surrogate counts as one)
      let n = 0;
      for (let j = 0; j < next.length;) {
        const cp = next.codePointAt(j)!;
        put(acc, start + n++, cp);
        j += cp > 0xffff ? 2 : 1;
      }
      i += 2;
    } else {
      const first = segs[i + 2] as number;
      for (let n = 0; n < -next; n++) put(acc, start + n, first + n);
      i += 3;
    }
  }
  for (const [k, v] of Object.entries(spec.multi ?? {})) {
    const cp = v.codePointAt(0)!;
    put(acc, Number(k), v.length === (cp > 0xffff ? 2 : 1) ? cp : multiVal(acc, v));
  }
  // Lead bytes announce the length of their sequences; pre2 marks the prefixes of three-byte ones.
  const lead = new Uint8Array(256);
  const { one, two, three, multi } = acc;
  let pre2: Uint8Array | null = null;
  if (two) for (let v = 0; v < 65536; v++) if (two[v] !== UNMAPPED) lead[v >> 8] = 2;
  if (three) {
    pre2 = new Uint8Array(65536);
    for (const v of three.keys()) {
      pre2[v >> 8] = 1;
      lead[v >> 16] = 3;
    }
  }
  return { one, lead, two, pre2, three, multi };
}

const cache = new Map<string, Table>();

/** True if Encode implements `name` (canonical) as a table-driven Encode::XS decoder. */
export function hasTable(name: string): boolean {
  return specOf(name) !== undefined;
}

/** The decoding table of a canonical Encode name, built once on first use. */
export function getTable(name: string): Table {
  let t = cache.get(name);
  if (!t) {
    t = build(name);
    cache.set(name, t);
  }
  return t;
}

const HEX = '0123456789ABCDEF';

/**
 * Encode::XS decode of a binary string. Returns the decoded characters, or undefined where Encode
 * would croak (mode 'croak').
 */
export function decodeTable(t: Table, data: string, mode: DecodeMode): string | undefined {
  const buf = Buffer.from(data, 'latin1'); // indexed bytes are much faster than charCodeAt on big strings
  const n = buf.length;
  const out = new StrBuilder(n + 16);
  const { one, lead, two, pre2, three, multi } = t;
  let i = 0;
  while (i < n) {
    const b = buf[i]!;
    let v = one[b]!;
    let len = 1;
    if (v === UNMAPPED) {
      const need = lead[b]!;
      if (need !== 0) {
        if (i + need > n) break; // partial character: dropped
        if (need === 2) {
          v = two![(b << 8) | buf[i + 1]!]!;
          len = 2;
        } else {
          const p = (b << 8) | buf[i + 1]!;
          if (pre2![p]) {
            v = three!.get((p << 8) | buf[i + 2]!) ?? UNMAPPED;
            len = 3;
          }
        }
      }
    }
    if (v >= 0) {
      out.push(v);
      i += len;
    } else if (v !== UNMAPPED) {
      out.str(multi[-2 - v]!);
      i += len;
    } else {
      if (mode === 'croak') return undefined;
      if (mode === 'perlqq') out.str('\\x' + HEX[b >> 4] + HEX[b & 15]);
      else out.push(0xfffd);
      i += 1;
    }
  }
  return out.done();
}
