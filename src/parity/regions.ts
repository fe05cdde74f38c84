// Token regions of the differential harness: where in the message a Bayes token came from
// (mirrors the sources of Mail::SpamAssassin::Plugin::Bayes::tokenize, Plugin/Bayes.pm).

/**
 * header: H* tokens except relay ones; relay: tokens of the x-spam-relays-* pseudo headers (H*RT:, H*RU:,
 * Hx-spam-relays-internal:, Hx-spam-relays-external:); body: visible text; invisible: invisible text
 * (I*: tokens and the unprefixed UD:/U* /D* ones it produces); uri: the URI list.
 */
export const REGIONS = ['header', 'relay', 'body', 'invisible', 'uri'] as const;
export type Region = (typeof REGIONS)[number];

/** Tokens per region; each token is a binary string (one char per byte). */
export type TokenRegions = Record<Region, string[]>;

export function isRegion(s: string): s is Region {
  return (REGIONS as readonly string[]).includes(s);
}

/** What the native engine reports for one message (src/engines/native/analyze.ts). */
export interface NativeAnalysis {
  /** generated id "<40hex>@sa_generated" */
  msgid: string;
  hdrMsgid: string | null;
  /** receive date before the +1 day clamp */
  date: number;
  tokens: TokenRegions;
}

/** Signature of src/engines/native/analyze.ts's analyzeMessage. */
export type AnalyzeMessage = (raw: Buffer, now: number) => NativeAnalysis;
