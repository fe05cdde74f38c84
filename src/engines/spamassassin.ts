// The reference engine: the installed sa-learn, isolated (see spamassassin/isolation.ts), fed the
// selected messages, then `sa-learn --backup`. With --jobs N, N instances learn disjoint shards and their
// backups are merged; the result equals one single run:
//  - messages SpamAssassin may treat as the same (same generated id, or a Message-Id equal to another's
//    generated id; spamassassin/shard.ts) share a shard, so its duplicate handling happens inside one
//    instance;
//  - learning without forgetting commutes (counts add up, atime is the maximum), so shard dumps merge
//    exactly;
//  - a message present in both classes makes sa-learn forget the spam copy while learning the ham copy,
//    which subtracts from counts that other shards contributed to. Such groups are learned last, into the
//    merged database restored into one instance, spam then ham, as in a single run.
import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SaTrainError } from '../errors.js';
import { parseDump, mergeDumps, serializeDump, dumpOutput, type BayesDump } from '../bayes/dump.js';
import type { Engine, LearnInput, LearnResult, LearnCounts } from './engine.js';
import type { MessageClass, SourceMessage } from '../sources/types.js';
import { isolate, findSaLearn, findLibfaketime, type Isolation } from './spamassassin/isolation.js';
import { messageIds, IdGroups, shardOf } from './spamassassin/shard.js';

/** Restoring a dump clamps atimes above the clock to the clock; learning accepts up to one day ahead. */
const RESTORE_CLOCK_AHEAD_S = 86400;

interface Spooled {
  cls: MessageClass;
  path: string;
  /** Index into the IdGroups. */
  index: number;
}

interface RunOutput {
  learned: number;
  examined: number;
}

export interface SpamAssassinEngineOptions {
  /** The operator's site config directory (--sa-config), instead of the package's *.pre only. */
  siteConfig?: string;
}

export class SpamAssassinEngine implements Engine {
  readonly name = 'spamassassin' as const;
  constructor(private readonly opts: SpamAssassinEngineOptions = {}) {}

  async check(o: { needClock: boolean }): Promise<void> {
    await findSaLearn();
    if (o.needClock) await findLibfaketime();
  }

  async learn(input: LearnInput): Promise<LearnResult> {
    const iso = await isolate({ siteConfig: this.opts.siteConfig, now: input.now });
    const children = new Set<ReturnType<typeof spawn>>();
    const onAbort = (): void => {
      for (const c of children) c.kill('SIGTERM');
    };
    input.signal?.addEventListener('abort', onAbort);
    try {
      return await this.run(iso, input, children);
    } finally {
      input.signal?.removeEventListener('abort', onAbort);
      onAbort();
      await iso.cleanup();
    }
  }

  private async run(iso: Isolation, input: LearnInput, children: Set<ReturnType<typeof spawn>>): Promise<LearnResult> {
    // 1. Spool every selected message into its own file (sa-learn reads files in the order we list them,
    //    which keeps duplicate handling deterministic; mbox order inside sa-learn is hash order).
    const msgDir = join(iso.dir, 'msgs');
    await mkdir(msgDir);
    const spooled: Spooled[] = [];
    const groups = new IdGroups();
    const spool = async (iter: AsyncIterable<SourceMessage>): Promise<void> => {
      for await (const m of iter) {
        throwIfAborted(input.signal);
        const path = join(msgDir, String(spooled.length).padStart(7, '0'));
        await writeFile(path, m.raw, { mode: 0o600 });
        // The ids decide the shard only; a message our parser cannot read goes to a group of its own
        // and sa-learn decides what to do with it.
        let index: number;
        try {
          index = groups.add(messageIds(m.raw));
        } catch {
          index = groups.add({ msgid: `unparsed:${spooled.length}`, hdrMsgid: null });
        }
        spooled.push({ cls: m.cls, path, index });
      }
    };
    await spool(input.spam());
    await spool(input.ham());
    input.onTotal?.(spooled.length);

    // 2. Groups of messages SpamAssassin may treat as one stay together; groups with messages in both
    //    classes are learned last, together.
    groups.close();
    const groupOf = (s: Spooled): number => groups.groupOf(s.index);
    const classesOf = new Map<number, number>();
    for (const s of spooled) classesOf.set(groupOf(s), (classesOf.get(groupOf(s)) ?? 0) | (s.cls === 'spam' ? 1 : 2));
    const jobs = Math.max(1, input.jobs);
    let conflicts = spooled.filter((s) => classesOf.get(groupOf(s)) === 3);
    let shards: Spooled[][] = Array.from({ length: jobs }, () => []);
    if (jobs === 1 || conflicts.length === 0) {
      conflicts = [];
      for (const s of spooled) shards[jobs === 1 ? 0 : shardOf(groupOf(s), jobs)]!.push(s);
    } else {
      for (const s of spooled) if (classesOf.get(groupOf(s)) !== 3) shards[shardOf(groupOf(s), jobs)]!.push(s);
    }
    shards = shards.filter((s) => s.length > 0);

    let done = 0;
    const progress = (n: number): void => {
      done += n;
      input.onProgress?.(done);
    };
    const counts = { spam: { examined: 0, learned: 0 }, ham: { examined: 0, learned: 0 } };
    const add = (cls: MessageClass, r: RunOutput): void => {
      counts[cls].examined += r.examined;
      counts[cls].learned += r.learned;
    };

    // 3. Learn the shards in parallel, each in its own database: spam first, then ham, as sa-learn does.
    const dbOf = (i: number | string): string => join(iso.dir, `db-${i}`, 'bayes');
    const dumps = await Promise.all(
      shards.map(async (shard, i) => {
        await mkdir(join(iso.dir, `db-${i}`));
        for (const cls of ['spam', 'ham'] as const) {
          const list = shard.filter((s) => s.cls === cls);
          if (list.length) add(cls, await this.learnList(iso, dbOf(i), cls, list, `${i}-${cls}`, input, children, progress));
        }
        return this.backup(iso, dbOf(i), input, children);
      }),
    );
    let dump: BayesDump = mergeDumps(dumps);

    // 4. Cross-class groups: into the merged database, spam then ham.
    if (conflicts.length) {
      const final = dbOf('final');
      await mkdir(join(iso.dir, 'db-final'));
      const merged = join(iso.dir, 'merged.dat');
      await writeFile(merged, serializeDump(dump));
      const clock = input.now ?? Math.floor(Date.now() / 1000);
      await this.exec(iso, ['--dbpath', final, '--restore', merged], clock + RESTORE_CLOCK_AHEAD_S, input, children);
      for (const cls of ['spam', 'ham'] as const) {
        const list = conflicts.filter((s) => s.cls === cls);
        if (list.length) add(cls, await this.learnList(iso, final, cls, list, `final-${cls}`, input, children, progress));
      }
      dump = await this.backup(iso, final, input, children);
    }
    return { dump: dumpOutput(dump), spam: counts.spam, ham: counts.ham };
  }

  private async learnList(
    iso: Isolation,
    db: string,
    cls: MessageClass,
    list: Spooled[],
    tag: string,
    input: LearnInput,
    children: Set<ReturnType<typeof spawn>>,
    progress: (n: number) => void,
  ): Promise<RunOutput> {
    const folders = join(iso.dir, `list-${tag}`);
    await writeFile(folders, list.map((s) => `${cls}:file:${s.path}\n`).join(''));
    const out = await this.exec(iso, ['--dbpath', db, '--max-size', '0', '--showdots', '--folders', folders], input.now, input, children, progress);
    const m = /Learned tokens from (\d+) message\(s\) \((\d+) message\(s\) examined\)/.exec(out);
    if (!m) throw new SaTrainError('ENGINE_FAILED', `sa-learn did not report what it learned: ${out.trim().slice(0, 300)}`);
    return { learned: Number(m[1]), examined: Number(m[2]) };
  }

  private async backup(iso: Isolation, db: string, input: LearnInput, children: Set<ReturnType<typeof spawn>>): Promise<BayesDump> {
    const text = await this.exec(iso, ['--dbpath', db, '--backup'], input.now, input, children);
    try {
      return parseDump(text);
    } catch (e) {
      throw new SaTrainError('ENGINE_FAILED', `sa-learn --backup gave an invalid dump: ${(e as Error).message}`, undefined, { cause: e });
    }
  }

  /** Run sa-learn; resolve with its stdout, reject with ENGINE_FAILED and its last stderr line. */
  private exec(
    iso: Isolation,
    args: string[],
    clock: number | undefined,
    input: LearnInput,
    children: Set<ReturnType<typeof spawn>>,
    progress?: (n: number) => void,
  ): Promise<string> {
    throwIfAborted(input.signal);
    return new Promise((resolve, reject) => {
      const child = spawn(iso.saLearn, [...iso.baseArgs, ...args], { env: iso.env(clock), stdio: ['ignore', 'pipe', 'pipe'] });
      children.add(child);
      const out: Buffer[] = [];
      let err = '';
      child.stdout.on('data', (d: Buffer) => out.push(d));
      child.stderr.on('data', (d: Buffer) => {
        const s = d.toString('latin1');
        if (progress) {
          const dots = s.split('.').length - 1;
          if (dots) progress(dots);
        }
        err = (err + s).slice(-4000);
      });
      child.on('error', (e) => {
        children.delete(child);
        reject(new SaTrainError('ENGINE_FAILED', `cannot run sa-learn: ${e.message}`, undefined, { cause: e }));
      });
      child.on('close', (code, sig) => {
        children.delete(child);
        if (input.signal?.aborted) return reject(new SaTrainError('INTERRUPTED', 'interrupted'));
        if (code === 0) return resolve(Buffer.concat(out).toString('latin1'));
        const last = err
          .split('\n')
          .map((l) => l.replace(/^[.\s]+/, '').trim())
          .filter(Boolean)
          .pop();
        reject(new SaTrainError('ENGINE_FAILED', `sa-learn ${args.includes('--backup') ? '--backup ' : args.includes('--restore') ? '--restore ' : ''}failed (${sig ? `signal ${sig}` : `exit ${code}`})${last ? `: ${last}` : ''}`));
      });
    });
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new SaTrainError('INTERRUPTED', 'interrupted');
}

export type { LearnCounts };
