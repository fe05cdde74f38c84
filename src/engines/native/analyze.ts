// The native per-message pipeline: raw bytes in; ids, date and tokens out. A pure function with no state
// across messages, so worker threads can run it. Mirrors what Plugin/Bayes.pm::learn_message and
// _learn_trapped compute for one message before touching the store.
import { learnerInput } from '../../mail/learner-input.js';
import { tokenizeMessage, type RegionTokens } from '../../bayes/tokenize.js';
import { tokenKey40 } from './token-key.js';
import type { LearnRecord } from '../../bayes/store.js';

/** _learn_trapped: a message dated more than a day after the clock is learned at the clock's time. */
export const FUTURE_CLAMP_S = 86400;

export interface NativeAnalysis {
  msgid: string;
  hdrMsgid: string | null;
  /** receive_date before the +1 day clamp. */
  date: number;
  tokens: RegionTokens;
}

export function analyzeMessage(raw: Buffer, now: number): NativeAnalysis {
  const input = learnerInput(raw, now);
  return { msgid: input.msgid, hdrMsgid: input.hdrMsgid, date: input.date, tokens: tokenizeMessage(input) };
}

/** What the store needs: ids, clamped time, distinct keys (Plugin/Bayes.pm::tokenize's hash). */
export function learnRecord(raw: Buffer, now: number): LearnRecord {
  const a = analyzeMessage(raw, now);
  // Distinct tokens first (most repeat), then distinct keys (two tokens may share a 40-bit key).
  const distinct = new Set<string>();
  const t = a.tokens;
  for (const list of [t.body, t.uri, t.invisible, t.header, t.relay]) {
    for (const tok of list) if (tok !== '') distinct.add(tok);
  }
  const keys = new Set<number>();
  for (const tok of distinct) keys.add(tokenKey40(tok));
  const out = new Float64Array(keys.size);
  let i = 0;
  for (const k of keys) out[i++] = k;
  return {
    msgid: a.msgid,
    hdrMsgid: a.hdrMsgid,
    atime: a.date - now > FUTURE_CLAMP_S ? now : a.date,
    keys: out,
  };
}
