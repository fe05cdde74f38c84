// The 40-bit token key of Mail::SpamAssassin::Plugin::Bayes::tokenize (Plugin/Bayes.pm):
// substr(sha1($token), -5), computed by a SHA-1 (FIPS 180-4) written for short binary strings: no Buffer,
// no hex string, no call into OpenSSL per token (which cost more than the hashing itself). Agrees with
// bayes/hash.ts tokenKeyNumber (tested on random tokens).

/** The message schedule, reused across calls (scratch space only: no state survives a call). */
const W = new Int32Array(80);

/**
 * SHA-1 of the bytes of a binary string (one char per byte: code units <= 0xFF; a wider unit
 * contributes its low byte, as Buffer.from(s, 'latin1') would) and return its low 40 bits.
 */
export function tokenKey40(s: string): number {
  const len = s.length;
  let h0 = 0x67452301;
  let h1 = 0xefcdab89 | 0;
  let h2 = 0x98badcfe | 0;
  let h3 = 0x10325476;
  let h4 = 0xc3d2e1f0 | 0;
  // Padded length: data, 0x80, zeros, 64-bit big-endian bit length; a multiple of 64 bytes.
  const blocks = ((len + 8) >>> 6) + 1;
  for (let b = 0; b < blocks; b++) {
    const base = b << 6;
    if (base + 64 <= len) {
      // A full block of data: four bytes per word, no padding checks.
      for (let i = 0, p = base; i < 16; i++, p += 4) {
        W[i] = ((s.charCodeAt(p) & 0xff) << 24) | ((s.charCodeAt(p + 1) & 0xff) << 16) | ((s.charCodeAt(p + 2) & 0xff) << 8) | (s.charCodeAt(p + 3) & 0xff);
      }
    } else {
      W.fill(0, 0, 16);
      const stop = len < base + 64 ? len : base + 64;
      for (let p = base; p < stop; p++) W[(p - base) >>> 2] |= (s.charCodeAt(p) & 0xff) << (24 - (((p - base) & 3) << 3));
      if (len >= base && len < base + 64) W[(len - base) >>> 2] |= 0x80 << (24 - (((len - base) & 3) << 3));
    }
    if (b === blocks - 1) {
      // The bit length (len < 2^29 for any token: the high word is 0).
      W[14] = Math.floor(len / 0x20000000);
      W[15] = (len << 3) | 0;
    }
    for (let i = 16; i < 80; i++) {
      const x = W[i - 3]! ^ W[i - 8]! ^ W[i - 14]! ^ W[i - 16]!;
      W[i] = (x << 1) | (x >>> 31);
    }
    let a = h0;
    let bb = h1;
    let c = h2;
    let d = h3;
    let e = h4;
    let t: number;
    for (let i = 0; i < 20; i++) {
      t = (((a << 5) | (a >>> 27)) + ((bb & c) | (~bb & d)) + e + 0x5a827999 + W[i]!) | 0;
      e = d;
      d = c;
      c = (bb << 30) | (bb >>> 2);
      bb = a;
      a = t;
    }
    for (let i = 20; i < 40; i++) {
      t = (((a << 5) | (a >>> 27)) + (bb ^ c ^ d) + e + 0x6ed9eba1 + W[i]!) | 0;
      e = d;
      d = c;
      c = (bb << 30) | (bb >>> 2);
      bb = a;
      a = t;
    }
    for (let i = 40; i < 60; i++) {
      t = (((a << 5) | (a >>> 27)) + ((bb & c) | (bb & d) | (c & d)) + e + (0x8f1bbcdc | 0) + W[i]!) | 0;
      e = d;
      d = c;
      c = (bb << 30) | (bb >>> 2);
      bb = a;
      a = t;
    }
    for (let i = 60; i < 80; i++) {
      t = (((a << 5) | (a >>> 27)) + (bb ^ c ^ d) + e + (0xca62c1d6 | 0) + W[i]!) | 0;
      e = d;
      d = c;
      c = (bb << 30) | (bb >>> 2);
      bb = a;
      a = t;
    }
    h0 = (h0 + a) | 0;
    h1 = (h1 + bb) | 0;
    h2 = (h2 + c) | 0;
    h3 = (h3 + d) | 0;
    h4 = (h4 + e) | 0;
  }
  // Digest bytes 15..19: the low byte of h3, then h4.
  return (h3 & 0xff) * 0x100000000 + (h4 >>> 0);
}
