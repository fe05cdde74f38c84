// Mirrors Mail::SpamAssassin::ArchiveIterator::_scan_directory and _run_file (ArchiveIterator.pm) for
// Maildir folders and directories of one-message files: a file is one whole message.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { SaTrainError } from '../errors.js';
import type { SourceEntry, ReadOptions } from './training-set.js';
import type { MessageClass, SourceMessage } from './types.js';

/** Maildir info suffix with the T (trashed) flag: such messages are deleted and not learned. */
const MAILDIR_TRASHED = /:2,.*T/;

function byName(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** The message files of a Maildir or message directory, in reading order. */
export async function filesOf(dir: string, maildir: boolean): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    let names: string[];
    try {
      names = await readdir(d);
    } catch (e) {
      throw new SaTrainError('SOURCE_UNREADABLE', `cannot read ${d}: ${(e as Error).message}`, { file: d }, { cause: e });
    }
    names.sort(byName);
    for (const name of names) {
      // SpamAssassin ignores dot files, and ",N" (deleted or refiled) files of MH folders.
      if (name.startsWith('.') || name.startsWith(',')) continue;
      if (maildir && MAILDIR_TRASHED.test(name)) continue;
      const p = join(d, name);
      let st;
      try {
        st = await stat(p);
      } catch (e) {
        throw new SaTrainError('SOURCE_UNREADABLE', `cannot read ${p}: ${(e as Error).message}`, { file: p }, { cause: e });
      }
      if (st.isFile()) out.push(p);
      else if (st.isDirectory() && !maildir) await walk(p);
    }
  };
  if (maildir) {
    for (const sub of ['new', 'cur']) {
      const d = join(dir, sub);
      try {
        if ((await stat(d)).isDirectory()) await walk(d);
      } catch {
        /* a Maildir may lack new/ or cur/ */
      }
    }
  } else {
    await walk(dir);
  }
  return out;
}

export async function* readMessageDir(entry: SourceEntry, cls: MessageClass, opts: ReadOptions): AsyncGenerator<SourceMessage> {
  const files = entry.kind === 'file' ? [entry.path] : await filesOf(entry.path, entry.kind === 'maildir');
  for (const file of files) {
    let size: number;
    try {
      size = (await stat(file)).size;
    } catch (e) {
      throw new SaTrainError('SOURCE_UNREADABLE', `cannot read ${file}: ${(e as Error).message}`, { file }, { cause: e });
    }
    if (opts.maxSize > 0 && size > opts.maxSize) {
      opts.onSkip?.({ origin: file, reason: 'too-big', size });
      continue;
    }
    let raw: Buffer;
    try {
      raw = await readFile(file);
    } catch (e) {
      throw new SaTrainError('SOURCE_UNREADABLE', `cannot read ${file}: ${(e as Error).message}`, { file }, { cause: e });
    }
    yield { cls, raw, origin: { file } };
  }
}
