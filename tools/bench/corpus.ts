// Training sets for the benchmark: a draw from the shared corpora, generated modern HTML mail, and the
// full shared corpora (one at a time or both together, through symlinks: nothing is copied).
import { mkdirSync, writeFileSync, symlinkSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { readMbox } from '../../src/sources/mbox.js';
import { modernMbox } from './modern-mail.js';

export const CORPUS_NAMES = ['spamassassin-2002', 'trec07-dev'] as const;

export function hasCorpora(corpora: string): boolean {
  return CORPUS_NAMES.every((c) => existsSync(join(corpora, c, 'ham')) && existsSync(join(corpora, c, 'spam')));
}

function mboxes(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.mbox'))
    .sort()
    .map((f) => join(dir, f));
}

/**
 * `perGroup` messages from each corpus and class (4 groups: 2002 spam, 2002 ham, 2007 spam, 2007 ham),
 * split evenly over each group's mbox files, first messages first: deterministic.
 */
export async function drawClassic(corpora: string, out: string, perGroup: number): Promise<number> {
  let total = 0;
  for (const cls of ['spam', 'ham'] as const) {
    mkdirSync(join(out, cls), { recursive: true });
    const parts: Buffer[] = [];
    for (const c of CORPUS_NAMES) {
      const files = mboxes(join(corpora, c, cls));
      for (let i = 0; i < files.length; i++) {
        const want = Math.floor(perGroup / files.length) + (i < perGroup % files.length ? 1 : 0);
        let k = 0;
        for await (const m of readMbox(files[i]!, { maxSize: 0 })) {
          if (k++ >= want) break;
          parts.push(m.raw);
          total++;
        }
      }
    }
    writeFileSync(join(out, cls, 'drawn.mbox'), Buffer.concat(parts));
  }
  return total;
}

export function generateModern(out: string, perClass: number): number {
  for (const cls of ['spam', 'ham'] as const) {
    mkdirSync(join(out, cls), { recursive: true });
    writeFileSync(join(out, cls, 'modern.mbox'), modernMbox(perClass, cls === 'spam'));
  }
  return 2 * perClass;
}

/** A training set made of symlinks to the mbox files of the given corpora. */
export function linkCorpora(corpora: string, names: readonly string[], out: string): void {
  for (const cls of ['spam', 'ham'] as const) {
    mkdirSync(join(out, cls), { recursive: true });
    for (const c of names) for (const f of mboxes(join(corpora, c, cls))) symlinkSync(f, join(out, cls, `${c}--${f.split('/').pop()}`));
  }
}
