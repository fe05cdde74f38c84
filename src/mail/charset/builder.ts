// Accumulates code points into a JS string in linear time: UTF-16 code units in a growable typed
// array, turned into a string in one step at the end.

const INITIAL = 64; // code units; grows by doubling

export class StrBuilder {
  private buf: Uint16Array;
  private len = 0;

  constructor(expected = INITIAL) {
    this.buf = new Uint16Array(Math.max(expected, INITIAL));
  }

  private grow(extra: number): void {
    let cap = this.buf.length * 2;
    while (cap < this.len + extra) cap *= 2;
    const b = new Uint16Array(cap);
    b.set(this.buf.subarray(0, this.len));
    this.buf = b;
  }

  push(cp: number): void {
    if (this.len + 2 > this.buf.length) this.grow(2);
    if (cp > 0xffff) {
      cp -= 0x10000;
      this.buf[this.len++] = 0xd800 + (cp >> 10);
      this.buf[this.len++] = 0xdc00 + (cp & 0x3ff);
    } else this.buf[this.len++] = cp;
  }

  str(s: string): void {
    if (this.len + s.length > this.buf.length) this.grow(s.length);
    for (let i = 0; i < s.length; i++) this.buf[this.len++] = s.charCodeAt(i);
  }

  done(): string {
    // Buffer's utf16le decoding copies code units as they are (lone surrogates included)
    return Buffer.from(this.buf.buffer, this.buf.byteOffset, this.len * 2).toString('utf16le');
  }
}
