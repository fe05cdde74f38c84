// The spool: ready-to-send reports (the complete encrypted message) waiting for delivery, one file each.
// Files are written atomically with mode 0600 (temporary name, fsync, rename) and named
// "<13-digit ms time>-<report id>.eml", so that a listing sorted by name is oldest first. A sender
// claims a file by renaming it to "<name>.sending.<pid>" (rename is atomic, so two concurrent runs never
// send the same file); a claim whose process is gone goes back to the queue on the next run.
import { closeSync, fsyncSync, openSync, renameSync } from 'node:fs';
import { mkdir, open, readFile, readdir, rename, stat, unlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { ReportError } from './errors.js';

const READY = /^\d{13}-[0-9a-f-]{36}\.eml$/;
const CLAIMED = /^(\d{13}-[0-9a-f-]{36}\.eml)\.sending\.(\d+)$/;
// A claim older than this is taken back even if its pid is alive again (pid reuse); sa-report runs
// last seconds, a --flush of a big spool minutes.
const STALE_CLAIM_MS = 60 * 60 * 1000;

/** Claims held by this process: returned to the queue if the process exits while holding them. */
const held = new Map<string, string>();
let hooked = false;
function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => {
    for (const [claimed, ready] of held) {
      try {
        renameSync(claimed, ready);
      } catch {
        /* already gone */
      }
    }
  });
}

function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    /* some filesystems refuse fsync on directories; rename is still atomic */
  }
}

export interface Claim {
  readonly name: string;
  read(): Promise<Buffer>;
  /** Delivered: remove the file. */
  done(): Promise<void>;
  /** Not delivered: back to the queue. */
  release(): Promise<void>;
  /** Rejected for good (a permanent SMTP error on this message): move to failed/. */
  fail(): Promise<void>;
}

export class Spool {
  constructor(
    readonly dir: string,
    readonly maxFiles: number,
  ) {}

  private async ensureDir(): Promise<void> {
    try {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
    } catch (e) {
      throw new ReportError('tempfail', 'OUTPUT_FAILED', `cannot create spool directory ${this.dir}: ${(e as Error).message}`, { file: this.dir }, { cause: e });
    }
  }

  /** Reports waiting, oldest first (names only). */
  async pending(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new ReportError('tempfail', 'SOURCE_UNREADABLE', `cannot read spool directory ${this.dir}: ${(e as Error).message}`, { file: this.dir }, { cause: e });
    }
    return names.filter((n) => READY.test(n)).sort();
  }

  /** Store a report; returns its file name. */
  async add(data: Buffer, id: string, now = Date.now()): Promise<string> {
    await this.ensureDir();
    const count = (await this.pending()).length;
    if (count >= this.maxFiles) throw new ReportError('tempfail', 'OUTPUT_FAILED', `spool ${this.dir} is full (${count} reports, spool_max_files): report dropped`);
    const name = `${String(now).padStart(13, '0')}-${id}.eml`;
    const tmp = join(this.dir, `.tmp.${name}.${process.pid}`);
    try {
      const fh = await open(tmp, 'wx', 0o600);
      try {
        await fh.writeFile(data);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, join(this.dir, name));
    } catch (e) {
      await unlink(tmp).catch(() => undefined);
      throw new ReportError('tempfail', 'OUTPUT_FAILED', `cannot write to spool ${this.dir}: ${(e as Error).message}`, { file: this.dir }, { cause: e });
    }
    fsyncDir(this.dir);
    return name;
  }

  /** Take a report for sending; null if another process took it first. */
  async claim(name: string): Promise<Claim | null> {
    hookExit();
    const ready = join(this.dir, name);
    const claimed = `${ready}.sending.${process.pid}`;
    try {
      await rename(ready, claimed);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
    held.set(claimed, ready);
    // The claim's age (for recoverStale) counts from now, not from when the report was spooled.
    const t = new Date();
    await utimes(claimed, t, t).catch(() => undefined);
    const dir = this.dir;
    return {
      name,
      read: () => readFile(claimed),
      async done() {
        await unlink(claimed);
        held.delete(claimed);
        fsyncDir(dir);
      },
      async release() {
        await rename(claimed, ready);
        held.delete(claimed);
      },
      async fail() {
        await mkdir(join(dir, 'failed'), { recursive: true, mode: 0o700 });
        await rename(claimed, join(dir, 'failed', name));
        held.delete(claimed);
      },
    };
  }

  /** Put back claims whose process is gone (crashed or killed); returns how many. */
  async recoverStale(now = Date.now()): Promise<number> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return 0;
    }
    let n = 0;
    for (const f of names) {
      const m = CLAIMED.exec(f);
      if (!m) continue;
      const pid = Number(m[2]);
      if (pid === process.pid) continue;
      let dead = false;
      try {
        process.kill(pid, 0);
      } catch (e) {
        dead = (e as NodeJS.ErrnoException).code === 'ESRCH';
      }
      if (!dead) {
        const st = await stat(join(this.dir, f)).catch(() => null);
        if (!st || now - st.mtimeMs < STALE_CLAIM_MS) continue;
      }
      try {
        await rename(join(this.dir, f), join(this.dir, m[1]!));
        n++;
      } catch {
        /* someone else recovered it */
      }
    }
    return n;
  }
}
