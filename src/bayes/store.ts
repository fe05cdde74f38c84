// The native token store. Mirrors Mail::SpamAssassin::Plugin::Bayes::_learn_trapped/_forget_trapped
// (seen and relearn rules) over BayesStore/DBM.pm (nspam_nham_change, multi_tok_count_change,
// seen_put/seen_delete): counts per class floored at 0, a token at 0/0 is deleted, atime = max.
//
// Compact layout: a token lives in a slot of parallel typed arrays (key split into low 32 and high 8
// bits, spam, ham, atime); an open-addressing index (linear probing, backward-shift deletion) maps the
// 40-bit key to its slot. No per-token JS object or heap number: about 40 bytes per token.
import { VERSION_LINE, type BayesDump, type DumpOutput, type SeenFlag } from './dump.js';
import { keyToHex } from './hash.js';

/** Initial slot capacity; slots grow by doubling. */
const INITIAL_SLOTS = 1 << 14;
/** The index has at least this many entries per live token (load factor <= 1/2 keeps probes short). */
const INDEX_SPARSITY = 2;
/** 2^32: splits a 40-bit key into its low 32 bits and high 8 bits. */
const TWO32 = 4294967296;
/** Longest t line: "t", 3 tabs, 2 counts (<= 10 digits), atime (<= 22 characters as JS prints it), 10 hex digits, "\n". */
const MAX_T_LINE_BYTES = 1 + 4 + 10 + 10 + 22 + 10 + 1;
const HEX: readonly number[] = [...'0123456789abcdef'].map((c) => c.charCodeAt(0));

/** Decimal digits of an integer 0 <= x < 2^32 at buf[p] (32-bit integer arithmetic); returns the end. */
function writeDigits(buf: Uint8Array, p: number, x: number): number {
  if (x < 10) {
    buf[p] = 0x30 + x;
    return p + 1;
  }
  const len = x < 100 ? 2 : x < 1e3 ? 3 : x < 1e4 ? 4 : x < 1e5 ? 5 : x < 1e6 ? 6 : x < 1e7 ? 7 : x < 1e8 ? 8 : x < 1e9 ? 9 : 10;
  let q = p + len;
  while (x >= 10) {
    const d = (x / 10) >>> 0;
    buf[--q] = 0x30 + (x - d * 10);
    x = d;
  }
  buf[--q] = 0x30 + x;
  return p + len;
}

/** A number as a JS template literal prints it (counts and atime are whole and non-negative in practice). */
function writeNumber(buf: Uint8Array, p: number, x: number): number {
  if (Number.isInteger(x) && x >= 0 && x < TWO32) return writeDigits(buf, p, x);
  const str = String(x); // past 2106, fractional or negative: never produced by the learner
  for (let i = 0; i < str.length; i++) buf[p++] = str.charCodeAt(i);
  return p;
}

/** Marks an empty index entry (slot numbers are stored + 1). */
const EMPTY = 0;

export interface LearnRecord {
  /** Generated id ("<40 hex>@sa_generated"), the key of the seen entry. */
  msgid: string;
  /** The Message-Id header's id, also looked up in the seen map. */
  hdrMsgid: string | null;
  /** The message time after the +1 day clamp. */
  atime: number;
  /** Distinct 40-bit token keys. */
  keys: ArrayLike<number>;
}

export type LearnOutcome = 'learned' | 'already-learned' | 'relearned';

/** Mixes the key's low bits into an index position (keys are SHA-1 bits: already uniform). */
function home(lo: number, hi: number, mask: number): number {
  return (lo ^ (hi << 24)) & mask;
}

/** One stable counting-sort pass of `from` into `to` by byte (key[slot] >>> shift) & 0xff. */
function radixPass(from: Int32Array, to: Int32Array, count: Int32Array, key: Uint32Array | Uint8Array, shift: number): void {
  const n = from.length;
  count.fill(0);
  for (let i = 0; i < n; i++) count[((key[from[i]!]! >>> shift) & 0xff) + 1]!++;
  for (let d = 0; d < 256; d++) count[d + 1]! += count[d]!;
  for (let i = 0; i < n; i++) {
    const s = from[i]!;
    to[count[(key[s]! >>> shift) & 0xff]!++] = s;
  }
}

export class TokenStore {
  nspam = 0;
  nham = 0;
  readonly seen = new Map<string, SeenFlag>();
  // Slot arrays.
  private keyLo = new Uint32Array(INITIAL_SLOTS);
  private keyHi = new Uint8Array(INITIAL_SLOTS);
  private spam = new Uint32Array(INITIAL_SLOTS);
  private ham = new Uint32Array(INITIAL_SLOTS);
  private atime = new Float64Array(INITIAL_SLOTS);
  /** Slots ever handed out; freed ones are on `free` (a live slot never has spam = ham = 0). */
  private used = 0;
  private free = new Int32Array(64);
  private nfree = 0;
  private live = 0;
  // Index: slot + 1, or EMPTY.
  private index = new Int32Array(INITIAL_SLOTS * INDEX_SPARSITY);
  private mask = INITIAL_SLOTS * INDEX_SPARSITY - 1;

  get tokenCount(): number {
    return this.live;
  }

  private growSlots(): void {
    const n = this.keyLo.length * 2;
    const grow = <T extends Uint32Array | Uint8Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.keyLo = grow(this.keyLo, (k) => new Uint32Array(k));
    this.keyHi = grow(this.keyHi, (k) => new Uint8Array(k));
    this.spam = grow(this.spam, (k) => new Uint32Array(k));
    this.ham = grow(this.ham, (k) => new Uint32Array(k));
    this.atime = grow(this.atime, (k) => new Float64Array(k));
  }

  private growIndex(): void {
    const size = this.index.length * 2;
    this.index = new Int32Array(size);
    this.mask = size - 1;
    const { index, mask, keyLo, keyHi } = this;
    for (let s = 0; s < this.used; s++) {
      if (this.spam[s] === 0 && this.ham[s] === 0) continue; // free slot
      let i = home(keyLo[s]!, keyHi[s]!, mask);
      while (index[i] !== EMPTY) i = (i + 1) & mask;
      index[i] = s + 1;
    }
  }

  /** Index position holding the key, or -1. */
  private find(lo: number, hi: number): number {
    const { index, mask, keyLo, keyHi } = this;
    let i = home(lo, hi, mask);
    for (;;) {
      const e = index[i]!;
      if (e === EMPTY) return -1;
      if (keyLo[e - 1] === lo && keyHi[e - 1] === hi) return i;
      i = (i + 1) & mask;
    }
  }

  /** The key's slot, created (counts 0/0) if absent. */
  private slot(key: number): number {
    const hi = Math.floor(key / TWO32);
    const lo = key >>> 0;
    const { index, mask, keyLo, keyHi } = this;
    let i = home(lo, hi, mask);
    for (;;) {
      const e = index[i]!;
      if (e === EMPTY) break;
      if (keyLo[e - 1] === lo && keyHi[e - 1] === hi) return e - 1;
      i = (i + 1) & mask;
    }
    if ((this.live + 1) * INDEX_SPARSITY > index.length) {
      this.growIndex(); // before the new slot exists: growIndex skips 0/0 slots
      i = home(lo, hi, this.mask);
      while (this.index[i] !== EMPTY) i = (i + 1) & this.mask;
    }
    let s: number;
    if (this.nfree > 0) s = this.free[--this.nfree]!;
    else {
      if (this.used === this.keyLo.length) this.growSlots();
      s = this.used++;
    }
    this.keyLo[s] = lo;
    this.keyHi[s] = hi;
    this.spam[s] = 0;
    this.ham[s] = 0;
    this.atime[s] = 0;
    this.index[i] = s + 1;
    this.live++;
    return s;
  }

  /** Removes index position i (backward-shift deletion keeps probe chains intact) and frees its slot. */
  private remove(i: number): void {
    const { index, mask, keyLo, keyHi } = this;
    const s = index[i]! - 1;
    let hole = i;
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const e = index[j]!;
      if (e === EMPTY) break;
      const h = home(keyLo[e - 1]!, keyHi[e - 1]!, mask);
      // Move e into the hole unless its home lies cyclically in (hole, j].
      if (hole <= j ? h <= hole || h > j : h <= hole && h > j) {
        index[hole] = e;
        hole = j;
      }
    }
    index[hole] = EMPTY;
    if (this.nfree === this.free.length) {
      const f = new Int32Array(this.free.length * 2);
      f.set(this.free);
      this.free = f;
    }
    this.free[this.nfree++] = s;
    this.live--;
  }

  /** _learn_trapped: returns what happened; 'already-learned' changes nothing. */
  learn(isSpam: boolean, rec: LearnRecord): LearnOutcome {
    let relearned = false;
    for (const id of [rec.msgid, rec.hdrMsgid]) {
      if (id === null || id === '') continue;
      const seen = this.seen.get(id);
      if (seen === undefined) continue;
      if ((seen === 's') === isSpam) return 'already-learned';
      this.forget(rec);
      relearned = true;
      break;
    }
    if (isSpam) this.nspam++;
    else this.nham++;
    const { keys, atime } = rec;
    for (let i = 0; i < keys.length; i++) {
      const s = this.slot(keys[i]!);
      if (isSpam) this.spam[s]!++;
      else this.ham[s]!++;
      if (atime > this.atime[s]!) this.atime[s] = atime;
    }
    this.seen.set(rec.msgid, isSpam ? 's' : 'h');
    return relearned ? 'relearned' : 'learned';
  }

  /**
   * _forget_trapped: the class comes from the first of the message's ids found in the seen map; the
   * current message's tokens lose one count of that class (atime untouched); that seen entry is deleted.
   */
  forget(rec: LearnRecord): boolean {
    let found: string | undefined;
    let wasSpam = false;
    for (const id of [rec.msgid, rec.hdrMsgid]) {
      if (!id) break; // Perl: while ($msgid = shift @msgid) stops at a false id
      const seen = this.seen.get(id);
      if (seen === undefined) continue;
      found = id;
      wasSpam = seen === 's';
      break;
    }
    if (found === undefined) return false;
    if (wasSpam) this.nspam--;
    else this.nham--;
    const { keys } = rec;
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k]!;
      const i = this.find(key >>> 0, Math.floor(key / TWO32));
      if (i < 0) continue; // a count below 0 is floored: nothing to store
      const s = this.index[i]! - 1;
      if (wasSpam) {
        if (this.spam[s]! > 0) this.spam[s]!--;
      } else if (this.ham[s]! > 0) this.ham[s]!--;
      if (this.spam[s] === 0 && this.ham[s] === 0) this.remove(i);
    }
    this.seen.delete(found);
    return true;
  }

  /** Iterate tokens: key, spam, ham, atime (slot order). */
  *tokens(): Generator<[key: number, spam: number, ham: number, atime: number]> {
    for (let s = 0; s < this.used; s++) {
      if (this.spam[s] === 0 && this.ham[s] === 0) continue; // free slot
      yield [this.keyHi[s]! * TWO32 + this.keyLo[s]!, this.spam[s]!, this.ham[s]!, this.atime[s]!];
    }
  }

  /**
   * The dump as serializeDump(toDump()) writes it, straight from the slot arrays: slots in ascending key
   * order (ten fixed-width lowercase hex digits sort the same way as the numbers), lines written into one
   * buffer. No per-token string or object: for 360k tokens ~250 ms and ~150 MB less than toDump() +
   * serializeDump(), which stay as the reference the store tests compare it with.
   */
  output(): DumpOutput {
    return { nspam: this.nspam, nham: this.nham, tokens: this.live, seen: this.seen.size, bytes: () => this.serialize() };
  }

  private serialize(): Buffer {
    const order = this.slotsByKey();
    const n = order.length;
    const { keyLo, keyHi, spam, ham, atime } = this;
    const ids = [...this.seen.keys()].sort();
    const head = `${VERSION_LINE}\nv\t${this.nspam}\tnum_spam\nv\t${this.nham}\tnum_nonspam\n`;
    let size = Buffer.byteLength(head) + n * MAX_T_LINE_BYTES;
    for (const id of ids) size += Buffer.byteLength(id) + 5;
    const buf = Buffer.allocUnsafe(size);
    let p = buf.write(head, 0, 'utf8');
    const out = new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
    for (let k = 0; k < n; k++) {
      const s = order[k]!;
      const hi = keyHi[s]!;
      const lo = keyLo[s]!;
      out[p++] = 0x74; // t
      out[p++] = 0x09;
      p = writeDigits(out, p, spam[s]!);
      out[p++] = 0x09;
      p = writeDigits(out, p, ham[s]!);
      out[p++] = 0x09;
      p = writeNumber(out, p, atime[s]!);
      out[p++] = 0x09;
      out[p++] = HEX[hi >>> 4]!;
      out[p++] = HEX[hi & 15]!;
      for (let sh = 28; sh >= 0; sh -= 4) out[p++] = HEX[(lo >>> sh) & 15]!;
      out[p++] = 0x0a;
    }
    for (const id of ids) p += buf.write(`s\t${this.seen.get(id)}\t${id}\n`, p, 'utf8');
    return buf.subarray(0, p);
  }

  /** The live slots in ascending key order: an LSD radix sort on the key's five bytes. */
  private slotsByKey(): Int32Array {
    let a = new Int32Array(this.live);
    let n = 0;
    for (let s = 0; s < this.used; s++) if (this.spam[s] !== 0 || this.ham[s] !== 0) a[n++] = s;
    let b = new Int32Array(n);
    const count = new Int32Array(257);
    for (let pass = 0; pass < 5; pass++) {
      radixPass(a, b, count, pass < 4 ? this.keyLo : this.keyHi, pass < 4 ? pass * 8 : 0);
      const t = a;
      a = b;
      b = t;
    }
    return a;
  }

  toDump(): BayesDump {
    const tokens = new Map<string, { spam: number; ham: number; atime: number }>();
    for (let s = 0; s < this.used; s++) {
      const spam = this.spam[s]!;
      const ham = this.ham[s]!;
      if (spam === 0 && ham === 0) continue;
      tokens.set(keyToHex(this.keyHi[s]! * TWO32 + this.keyLo[s]!), { spam, ham, atime: this.atime[s]! });
    }
    return { nspam: this.nspam, nham: this.nham, tokens, seen: new Map(this.seen) };
  }
}
