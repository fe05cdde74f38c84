// Draw the first N messages of corpus mbox files into a training set (split with our own splitter).
import { createWriteStream } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { readMbox } from '../../src/sources/mbox.js';

export async function drawMbox(src: string, dst: string, n: number, skip = 0): Promise<number> {
  mkdirSync(dirname(dst), { recursive: true });
  const out = createWriteStream(dst);
  let k = 0;
  for await (const m of readMbox(src, { maxSize: 0 })) {
    if (k++ < skip) continue;
    if (k > skip + n) break;
    out.write(m.raw);
  }
  await new Promise<void>((res, rej) => out.end((e?: Error | null) => (e ? rej(e) : res())));
  return Math.min(n, Math.max(0, k - skip));
}

export const corpusFile = (corpora: string, ...p: string[]): string => join(corpora, ...p);
