// Outputs are written atomically: a temporary file in the same directory, fsync, rename, fsync of the
// directory. A failed or interrupted run leaves no new file and leaves an existing output untouched.
import { open, rename, unlink } from 'node:fs/promises';
import { openSync, closeSync, fsyncSync, unlinkSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { SaTrainError } from '../errors.js';

/** Temporary files still on disk, removed on exit and on SIGINT/SIGTERM. */
const pending = new Set<string>();
let hooked = false;

function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => {
    for (const p of pending) {
      try {
        unlinkSync(p);
      } catch {
        /* already gone */
      }
    }
  });
}

export function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Write `data` to `target` atomically. `check` runs on the written temp file's content before the rename
 * and may throw to abort (the temp file is removed and the target is untouched).
 */
export async function writeFileAtomic(target: string, data: string | Buffer, check?: () => void | Promise<void>): Promise<void> {
  hookExit();
  const tmp = tempPathFor(target);
  pending.add(tmp);
  try {
    const fh = await open(tmp, 'wx', 0o644);
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    if (check) await check();
    await rename(tmp, target);
    pending.delete(tmp);
    try {
      const dfd = openSync(dirname(target), 'r');
      try {
        fsyncSync(dfd);
      } finally {
        closeSync(dfd);
      }
    } catch {
      /* some filesystems refuse fsync on directories; the rename itself is atomic */
    }
  } catch (e) {
    pending.delete(tmp);
    await unlink(tmp).catch(() => undefined);
    if (e instanceof SaTrainError) throw e;
    throw new SaTrainError('OUTPUT_FAILED', `cannot write ${target}: ${(e as Error).message}`, { file: target }, { cause: e });
  }
}
