// The training-set layout: <source>/ham and <source>/spam, each holding mbox files (*.mbox), Maildir
// folders (cur/ and new/), directories of one-message files, or single *.eml files. Anything else is
// reported and ignored. Entries are visited in byte order of their names, so a run is reproducible.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { SaTrainError } from '../errors.js';
import { readMbox } from './mbox.js';
import { readMessageDir, filesOf } from './maildir.js';
import type { SourceMessage, MessageClass } from './types.js';

export type EntryKind = 'mbox' | 'maildir' | 'dir' | 'file' | 'encrypted-mbox' | 'encrypted-file';

export interface SourceEntry {
  path: string;
  kind: EntryKind;
}

export interface IgnoredEntry {
  path: string;
  reason: string;
}

export interface ClassListing {
  cls: MessageClass;
  dir: string;
  entries: SourceEntry[];
  ignored: IgnoredEntry[];
}

function byName(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

async function isDir(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

/** Decide what a directory entry of a class folder is. */
export async function classifyEntry(path: string, name: string): Promise<SourceEntry | IgnoredEntry> {
  let st;
  try {
    st = await stat(path);
  } catch (e) {
    throw new SaTrainError('SOURCE_UNREADABLE', `cannot read ${path}: ${(e as Error).message}`, { file: path }, { cause: e });
  }
  if (st.isDirectory()) {
    if ((await isDir(join(path, 'cur'))) || (await isDir(join(path, 'new')))) return { path, kind: 'maildir' };
    return { path, kind: 'dir' };
  }
  if (!st.isFile()) return { path, reason: 'not a regular file or directory' };
  const lower = name.toLowerCase();
  if (lower.endsWith('.mbox')) return { path, kind: 'mbox' };
  if (lower.endsWith('.mbox.gpg') || lower.endsWith('.mbox.asc')) return { path, kind: 'encrypted-mbox' };
  if (lower.endsWith('.eml')) return { path, kind: 'file' };
  if (lower.endsWith('.eml.gpg') || lower.endsWith('.eml.asc')) return { path, kind: 'encrypted-file' };
  if (/\.(?:gz|bz2|xz|lz[o4]?|zst)$/.test(lower)) {
    return { path, reason: 'compressed mailboxes are not supported (decompress it first)' };
  }
  return { path, reason: 'not an mbox (*.mbox), Maildir, message directory or *.eml file' };
}

/** List one class folder. Throws CLASS_MISSING if it does not exist. */
export async function listClass(source: string, cls: MessageClass): Promise<ClassListing> {
  const dir = join(source, cls);
  if (!(await isDir(dir))) {
    throw new SaTrainError('CLASS_MISSING', `${dir} is missing: a training set needs ${cls}/ beside ${cls === 'ham' ? 'spam' : 'ham'}/`, { file: dir });
  }
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    throw new SaTrainError('SOURCE_UNREADABLE', `cannot read ${dir}: ${(e as Error).message}`, { file: dir }, { cause: e });
  }
  names.sort(byName);
  const entries: SourceEntry[] = [];
  const ignored: IgnoredEntry[] = [];
  for (const name of names) {
    if (name.startsWith('.')) continue; // hidden files (.gitkeep, editor state) are not mail
    const r = await classifyEntry(join(dir, name), name);
    if ('kind' in r) entries.push(r);
    else ignored.push(r);
  }
  return { cls, dir, entries, ignored };
}

export interface ReadOptions {
  maxSize: number;
  /** Called for every message skipped while reading (too big, unreadable...). */
  onSkip?: (skip: { origin: string; reason: string; size?: number }) => void;
  /** Opens encrypted entries; absent: they are reported as unsupported. */
  decrypt?: (entry: SourceEntry) => AsyncIterable<SourceMessage>;
}

/** All messages of one class, in listing order, streamed. */
export async function* readClass(listing: ClassListing, opts: ReadOptions): AsyncGenerator<SourceMessage> {
  for (const entry of listing.entries) {
    switch (entry.kind) {
      case 'mbox':
        for await (const m of readMbox(entry.path, {
          maxSize: opts.maxSize,
          onSkip: (s) => opts.onSkip?.({ origin: `${entry.path}#${s.index}`, reason: 'too-big', size: s.size }),
        })) {
          yield { cls: listing.cls, raw: m.raw, origin: { file: entry.path, index: m.index, offset: m.offset } };
        }
        break;
      case 'maildir':
      case 'dir':
      case 'file':
        yield* readMessageDir(entry, listing.cls, opts);
        break;
      case 'encrypted-mbox':
      case 'encrypted-file':
        if (!opts.decrypt) {
          throw new SaTrainError('DECRYPT_FAILED', `${entry.path} is encrypted and no decryption is configured`, { file: entry.path });
        }
        yield* opts.decrypt(entry);
        break;
    }
  }
}

/**
 * Bytes the readers will go through for a class (for the progress bar's ETA), or null when it cannot be
 * known up front (encrypted entries: their plaintext size differs from the file's).
 */
export async function listingBytes(listing: ClassListing): Promise<number | null> {
  let total = 0;
  for (const e of listing.entries) {
    if (e.kind === 'encrypted-mbox' || e.kind === 'encrypted-file') return null;
    const files = e.kind === 'mbox' || e.kind === 'file' ? [e.path] : await filesOf(e.path, e.kind === 'maildir');
    for (const f of files) {
      try {
        total += (await stat(f)).size;
      } catch {
        /* the reader reports unreadable files */
      }
    }
  }
  return total;
}
