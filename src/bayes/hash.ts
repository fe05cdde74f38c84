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

/** Format a numeric key the way backups print it (10 lowercase hex digits). */
export function keyToHex(key: number): string {
  return key.toString(16).padStart(10, '0');
}
