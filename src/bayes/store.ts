// The native token store. Mirrors Mail::SpamAssassin::Plugin::Bayes::_learn_trapped/_forget_trapped
// (seen and relearn rules) over BayesStore/DBM.pm (nspam_nham_change, multi_tok_count_change,
// seen_put/seen_delete): counts per class floored at 0, a token at 0/0 is deleted, atime = max.
//
// Compact layout: the 40-bit keys map to slots in parallel typed arrays, so a million tokens take a few
// tens of megabytes instead of a million small objects.
import type { BayesDump, SeenFlag } from './dump.js';
import { keyToHex } from './hash.js';

/** Initial slot capacity; grows by doubling. */
const INITIAL_SLOTS = 1 << 16;
/** Freed slots are reused, so forgetting does not grow the arrays. */

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

export class TokenStore {
  nspam = 0;
  nham = 0;
  readonly seen = new Map<string, SeenFlag>();
  private readonly slotOf = new Map<number, number>();
  private keyAt = new Float64Array(INITIAL_SLOTS);
  private spam = new Uint32Array(INITIAL_SLOTS);
  private ham = new Uint32Array(INITIAL_SLOTS);
  private atime = new Float64Array(INITIAL_SLOTS);
  private used = 0;
  private readonly free: number[] = [];

  get tokenCount(): number {
    return this.slotOf.size;
  }

  private grow(): void {
    const n = this.keyAt.length * 2;
    const k = new Float64Array(n);
    k.set(this.keyAt);
    const s = new Uint32Array(n);
    s.set(this.spam);
    const h = new Uint32Array(n);
    h.set(this.ham);
    const a = new Float64Array(n);
    a.set(this.atime);
    this.keyAt = k;
    this.spam = s;
    this.ham = h;
    this.atime = a;
  }

  private slot(key: number): number {
    let s = this.slotOf.get(key);
    if (s === undefined) {
      s = this.free.pop();
      if (s === undefined) {
        if (this.used === this.keyAt.length) this.grow();
        s = this.used++;
      }
      this.slotOf.set(key, s);
      this.keyAt[s] = key;
      this.spam[s] = 0;
      this.ham[s] = 0;
      this.atime[s] = 0;
    }
    return s;
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
    for (let i = 0; i < keys.length; i++) {
      const s = this.slotOf.get(keys[i]!);
      if (s === undefined) continue; // a count below 0 is floored: nothing to store
      if (wasSpam) {
        if (this.spam[s]! > 0) this.spam[s]!--;
      } else if (this.ham[s]! > 0) this.ham[s]!--;
      if (this.spam[s] === 0 && this.ham[s] === 0) {
        this.slotOf.delete(keys[i]!);
        this.free.push(s);
      }
    }
    this.seen.delete(found);
    return true;
  }

  /** Iterate tokens: key, spam, ham, atime. */
  *tokens(): Generator<[key: number, spam: number, ham: number, atime: number]> {
    for (const s of this.slotOf.values()) yield [this.keyAt[s]!, this.spam[s]!, this.ham[s]!, this.atime[s]!];
  }

  toDump(): BayesDump {
    const tokens = new Map<string, { spam: number; ham: number; atime: number }>();
    for (const [k, spam, ham, atime] of this.tokens()) tokens.set(keyToHex(k), { spam, ham, atime });
    return { nspam: this.nspam, nham: this.nham, tokens, seen: new Map(this.seen) };
  }
}
