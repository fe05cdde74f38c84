// Mirrors the token key of Mail::SpamAssassin::Plugin::Bayes::tokenize (Plugin/Bayes.pm):
// substr(sha1($token), -5), i.e. the last 5 bytes (low 40 bits) of SHA-1 over the token's bytes.
import * as crypto from 'node:crypto';
import { isAscii } from '../mail/perlstr.js';

type OneShotHash = (algorithm: string, data: string | Buffer, outputEncoding: 'hex') => string;

// node:crypto's one-shot hash (Node >= 20.12) avoids a Hash object per token; fall back to createHash.
const oneShot: OneShotHash | undefined = (crypto as unknown as { hash?: OneShotHash }).hash;

function sha1Hex(token: string): string {
  // A binary string's bytes are its code units; an ASCII string is its own UTF-8 encoding, so it can be
  // handed over as a string (hashed as UTF-8) without building a Buffer.
  const data: string | Buffer = isAscii(token) ? token : Buffer.from(token, 'latin1');
  if (oneShot) return oneShot('sha1', data, 'hex');
  return crypto.createHash('sha1').update(data).digest('hex');
}

/** 10 lowercase hex digits of the 40-bit key of a token given as a binary string (as in backups). */
export function tokenKey(token: string): string {
  return sha1Hex(token).slice(30);
}

/** The same 40-bit key as a JS number (exact: 40 bits < 2^53). */
export function tokenKeyNumber(token: string): number {
  const h = sha1Hex(token);
  return parseInt(h.slice(30, 32), 16) * 0x100000000 + parseInt(h.slice(32), 16);
}

const HEX_DIGITS: readonly number[] = [...'0123456789abcdef'].map((c) => c.charCodeAt(0));
/** 2^32: splits a 40-bit key into its high 8 and low 32 bits. */
const TWO32 = 4294967296;
/** Keys are 40 bits: below this bound, the ten digits are written from a table. */
const KEY_LIMIT = 2 ** 40;

/** Format a numeric key the way backups print it (10 lowercase hex digits). */
export function keyToHex(key: number): string {
  if (!(key >= 0 && key < KEY_LIMIT && Number.isInteger(key))) return key.toString(16).padStart(10, '0');
  // No number-to-string conversion: one flat string from ten digit codes (the dump writes 10^5+ keys).
  const H = HEX_DIGITS;
  const hi = Math.floor(key / TWO32);
  const lo = key >>> 0;
  return String.fromCharCode(
    H[hi >>> 4]!, H[hi & 15]!,
    H[lo >>> 28]!, H[(lo >>> 24) & 15]!, H[(lo >>> 20) & 15]!, H[(lo >>> 16) & 15]!,
    H[(lo >>> 12) & 15]!, H[(lo >>> 8) & 15]!, H[(lo >>> 4) & 15]!, H[lo & 15]!,
  );
}
