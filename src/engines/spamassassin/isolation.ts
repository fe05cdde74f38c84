// An isolated SpamAssassin for sa-learn runs: a private scratch directory (0700, memory-backed where
// /dev/shm exists) holding a HOME, an empty user_prefs, a site config made of the package's plugin
// loaders (*.pre) only, and the Bayes databases. The host's local.cf and ~/.spamassassin are never read
// unless the operator passes --sa-config. The clock is frozen with libfaketime when --now is given.
import { mkdtemp, mkdir, readdir, copyFile, writeFile, rm, access, stat } from 'node:fs/promises';
import { constants } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, delimiter } from 'node:path';
import { SaTrainError } from '../../errors.js';

/** Where Debian's spamassassin package installs the default rules and the site config. */
export const DEFAULT_RULES_DIR = '/usr/share/spamassassin';
export const PACKAGE_SITE_DIR = '/etc/spamassassin';

/** Places libfaketime is installed by distributions (Debian's libfaketime package first). */
const LIBFAKETIME_CANDIDATES = [
  '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1',
  '/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1',
  '/usr/lib/i386-linux-gnu/faketime/libfaketime.so.1',
  '/usr/lib/faketime/libfaketime.so.1',
  '/usr/lib64/faketime/libfaketime.so.1',
  '/usr/local/lib/faketime/libfaketime.so.1',
];

async function exists(p: string, mode = constants.F_OK): Promise<boolean> {
  try {
    await access(p, mode);
    return true;
  } catch {
    return false;
  }
}

export async function findOnPath(cmd: string): Promise<string | null> {
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, cmd);
    if (await exists(p, constants.X_OK)) return p;
  }
  return null;
}

export async function findSaLearn(): Promise<string> {
  const override = process.env.SA_TRAIN_SA_LEARN;
  const p = override || (await findOnPath('sa-learn'));
  if (!p || !(await exists(p, constants.X_OK))) {
    throw new SaTrainError(
      'ENGINE_MISSING',
      'sa-learn is not installed: the spamassassin engine needs SpamAssassin 4.0 (Debian/Ubuntu: apt-get install spamassassin), or use --engine native',
    );
  }
  return p;
}

export async function findLibfaketime(): Promise<string> {
  const override = process.env.SA_TRAIN_LIBFAKETIME;
  for (const p of override ? [override] : LIBFAKETIME_CANDIDATES) {
    if (await exists(p)) return p;
  }
  throw new SaTrainError(
    'ENGINE_MISSING',
    '--now with the spamassassin engine needs libfaketime to fix sa-learn\'s clock (Debian/Ubuntu: apt-get install faketime), or set SA_TRAIN_LIBFAKETIME to libfaketime.so.1',
  );
}

/** A scratch directory that only this user can read; memory-backed where possible. */
export async function privateTempDir(prefix: string): Promise<string> {
  let base = tmpdir();
  try {
    if ((await stat('/dev/shm')).isDirectory() && (await exists('/dev/shm', constants.W_OK))) base = '/dev/shm';
  } catch {
    /* no /dev/shm */
  }
  return mkdtemp(join(base, prefix)); // mkdtemp creates the directory with mode 0700
}

export interface Isolation {
  dir: string;
  saLearn: string;
  /** Arguments common to every sa-learn call (config paths, no network, no expiry). */
  baseArgs: string[];
  /** Environment for sa-learn (scratch HOME, TZ=UTC, frozen clock when asked). */
  env: (clock?: number) => NodeJS.ProcessEnv;
  cleanup: () => Promise<void>;
}

export interface IsolationOptions {
  /** A site config directory of the operator's (their *.pre and *.cf); default: the package's *.pre only. */
  siteConfig?: string;
  /** Epoch seconds to freeze sa-learn's clock at. */
  now?: number;
}

function fakeTimeString(epoch: number): string {
  // libfaketime: an absolute "YYYY-MM-DD hh:mm:ss" (no leading @) stops the clock at that instant,
  // read in the process's TZ, which we set to UTC.
  return new Date(epoch * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, '');
}

export async function isolate(opts: IsolationOptions): Promise<Isolation> {
  const saLearn = await findSaLearn();
  const faketime = opts.now !== undefined ? await findLibfaketime() : null;
  const dir = await privateTempDir('sa-train-');
  const cleanup = async (): Promise<void> => {
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const home = join(dir, 'home');
    await mkdir(home, { mode: 0o700 });
    const prefs = join(dir, 'user_prefs');
    await writeFile(prefs, '', { mode: 0o600 });
    let site = opts.siteConfig;
    if (!site) {
      site = join(dir, 'site');
      await mkdir(site);
      let names: string[] = [];
      try {
        names = await readdir(PACKAGE_SITE_DIR);
      } catch {
        /* no site config installed: SpamAssassin then loads no optional plugin */
      }
      for (const n of names.filter((n) => n.endsWith('.pre'))) await copyFile(join(PACKAGE_SITE_DIR, n), join(site, n));
    } else if (!(await exists(site))) {
      throw new SaTrainError('BAD_ARGUMENT', `--sa-config ${site} does not exist`, { file: site });
    }
    const rules = (await exists(DEFAULT_RULES_DIR)) ? ['--configpath', DEFAULT_RULES_DIR] : [];
    const baseArgs = ['-L', '--prefspath', prefs, '--siteconfigpath', site, ...rules, '--cf', 'bayes_auto_expire 0'];
    const env = (clock?: number): NodeJS.ProcessEnv => {
      const e: NodeJS.ProcessEnv = {
        PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
        HOME: home,
        TZ: 'UTC',
        LANG: 'C.UTF-8',
      };
      const t = clock ?? opts.now;
      if (t !== undefined && faketime) {
        e.LD_PRELOAD = faketime;
        e.FAKETIME = fakeTimeString(t);
        e.FAKETIME_DONT_FAKE_MONOTONIC = '1';
      }
      return e;
    };
    return { dir, saLearn, baseArgs, env, cleanup };
  } catch (e) {
    await cleanup();
    throw e;
  }
}
