// Run the installed sa-learn "by hand" in isolation, the way an operator would, as the oracle.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync, rmSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir, LIBFAKETIME } from './env.js';

function isoTime(epoch: number): string {
  return new Date(epoch * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, '');
}

/** sa-learn --spam --mbox S/spam/*.mbox --ham --mbox S/ham/*.mbox, then --backup; returns the backup lines sorted. */
export function saLearnByHand(source: string, opts: { now: number; hashSeed?: number }): string[] {
  const w = tempDir('sa-hand-');
  mkdirSync(join(w, 'home'));
  writeFileSync(join(w, 'prefs'), '');
  const env = {
    PATH: process.env.PATH,
    HOME: join(w, 'home'),
    TZ: 'UTC',
    LD_PRELOAD: LIBFAKETIME,
    FAKETIME: isoTime(opts.now),
    PERL_HASH_SEED: String(opts.hashSeed ?? 0),
  };
  const base = ['-L', '--dbpath', join(w, 'bayes'), '--prefspath', join(w, 'prefs')];
  const mboxes = (cls: string): string[] =>
    readdirSync(join(source, cls))
      .filter((n) => n.endsWith('.mbox'))
      .sort()
      .map((n) => join(source, cls, n));
  try {
    const learn = spawnSync('sa-learn', [...base, '--cf', 'bayes_auto_expire 0', '--spam', '--mbox', ...mboxes('spam'), '--ham', '--mbox', ...mboxes('ham')], { env, encoding: 'utf8' });
    if (learn.status !== 0) throw new Error(`sa-learn failed: ${learn.stderr}`);
    const backup = spawnSync('sa-learn', [...base, '--backup'], { env, encoding: 'latin1', maxBuffer: 1 << 28 });
    if (backup.status !== 0) throw new Error(`sa-learn --backup failed: ${backup.stderr}`);
    return backup.stdout.split('\n').filter(Boolean).sort();
  } finally {
    rmSync(w, { recursive: true, force: true });
  }
}

/** Restore a dump into a fresh database and return `sa-learn --dump magic`. */
export function restoreAndMagic(dumpPath: string): { restoreStatus: number | null; magic: string } {
  const w = tempDir('sa-restore-');
  mkdirSync(join(w, 'home'));
  writeFileSync(join(w, 'prefs'), '');
  const env = { PATH: process.env.PATH, HOME: join(w, 'home'), TZ: 'UTC' };
  const base = ['-L', '--dbpath', join(w, 'bayes'), '--prefspath', join(w, 'prefs')];
  try {
    const r = spawnSync('sa-learn', [...base, '--restore', dumpPath], { env, encoding: 'utf8' });
    const m = spawnSync('sa-learn', [...base, '--dump', 'magic'], { env, encoding: 'utf8' });
    return { restoreStatus: r.status, magic: m.stdout };
  } finally {
    rmSync(w, { recursive: true, force: true });
  }
}
