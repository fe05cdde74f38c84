// Accumulates code points into a JS string without quadratic concatenation.

const CHUNK = 8192; // code units per String.fromCharCode call (stays well below the argument limit)

export class StrBuilder {
  private units: number[] = [];
  private parts: string[] = [];

  push(cp: number): void {
    if (cp > 0xffff) {
      cp -= 0x10000;
      this.units.push(0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff));
    } else this.units.push(cp);
    if (this.units.length >= CHUNK) this.flush();
  }

  str(s: string): void {
    this.flush();
    this.parts.push(s);
  }

  private flush(): void {
    if (this.units.length) {
      this.parts.push(String.fromCharCode.apply(null, this.units));
      this.units = [];
    }
  }

  done(): string {
    this.flush();
    return this.parts.length === 1 ? this.parts[0]! : this.parts.join('');
  }
}
