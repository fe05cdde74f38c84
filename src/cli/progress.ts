// A one-line progress bar on stderr (messages/s, ETA), drawn only on a TTY and never with --quiet or
// --json, in the spirit of sa-learn --progress.

/** Redraw at most this often: a terminal does not need more, and it keeps the hot loop cheap. */
const REDRAW_MS = 100;
const BAR_WIDTH = 28;

function fmtDuration(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '--:--';
  const m = Math.floor(s / 60);
  const sec = Math.floor(s % 60);
  return `${m}m${String(sec).padStart(2, '0')}s`;
}

export class Progress {
  private total = 0;
  private done = 0;
  /** Bytes the sources hold and bytes read so far: the ETA when the message total is unknown. */
  private totalBytes = 0;
  private bytes = 0;
  private last = 0;
  private readonly start = Date.now();
  private drawn = false;

  constructor(
    private readonly label: string,
    private readonly enabled: boolean,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  setTotal(n: number): void {
    this.total = n;
    this.draw(true);
  }

  setTotalBytes(n: number): void {
    this.totalBytes = n;
  }

  addBytes(n: number): void {
    this.bytes += n;
  }

  update(done: number): void {
    this.done = done;
    this.draw(false);
  }

  private draw(force: boolean): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (!force && now - this.last < REDRAW_MS) return;
    this.last = now;
    const secs = (now - this.start) / 1000;
    const rate = secs > 0 ? this.done / secs : 0;
    let line: string;
    if (this.total > 0) {
      const frac = Math.min(1, this.done / this.total);
      const fill = Math.round(frac * BAR_WIDTH);
      const eta = rate > 0 ? (this.total - this.done) / rate : NaN;
      line = `${this.label} [${'#'.repeat(fill)}${' '.repeat(BAR_WIDTH - fill)}] ${String(Math.floor(frac * 100)).padStart(3)}% ${this.done}/${this.total} ${rate.toFixed(1)} msgs/s ETA ${fmtDuration(eta)}`;
    } else if (this.totalBytes > 0 && this.bytes > 0) {
      const frac = Math.min(1, this.bytes / this.totalBytes);
      const fill = Math.round(frac * BAR_WIDTH);
      const eta = (secs * (this.totalBytes - this.bytes)) / this.bytes;
      line = `${this.label} [${'#'.repeat(fill)}${' '.repeat(BAR_WIDTH - fill)}] ${String(Math.floor(frac * 100)).padStart(3)}% ${this.done} messages ${rate.toFixed(1)} msgs/s ETA ${fmtDuration(eta)}`;
    } else {
      line = `${this.label} ${this.done} messages ${rate.toFixed(1)} msgs/s ${fmtDuration(secs)}`;
    }
    const cols = this.stream.columns || 100;
    this.stream.write(`\r${line.slice(0, cols - 1)}\x1b[K`);
    this.drawn = true;
  }

  finish(): void {
    if (this.enabled && this.drawn) this.stream.write('\r\x1b[K');
  }
}
