// Run a command and measure it as a whole process: wall time, CPU time, and peak RSS of the process
// tree (sa-learn shards are child processes), sampled from /proc; the root's own peak (VmHWM) and,
// when /usr/bin/time exists, its user/system seconds (children included).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';

/** /proc sampling period: short enough to catch the peak of a run lasting a second. */
const POLL_MS = 25;
const GNU_TIME = '/usr/bin/time';

export interface Measured {
  code: number | null;
  wallS: number;
  /** user + system CPU seconds (null without /usr/bin/time). */
  cpuS: number | null;
  /** Peak RSS in MB: max of the sampled tree sum and the root's high-water mark. */
  peakMb: number;
  stdout: string;
  stderr: string;
}

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

function children(pid: number): number[] {
  const out: number[] = [];
  try {
    for (const t of readdirSync(`/proc/${pid}/task`)) {
      const c = readFileSync(`/proc/${pid}/task/${t}/children`, 'latin1').trim();
      if (c) for (const x of c.split(/\s+/)) out.push(Number(x));
    }
  } catch {
    /* gone */
  }
  return out;
}

function treeRssKb(root: number): number {
  let sum = 0;
  const stack = [root];
  while (stack.length) {
    const p = stack.pop()!;
    sum += statusKb(p, 'VmRSS');
    stack.push(...children(p));
  }
  return sum;
}

export function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Measured> {
  const useTime = existsSync(GNU_TIME);
  const argv = useTime ? [GNU_TIME, '-f', '@@time %e %U %S %M', cmd, ...args] : [cmd, ...args];
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(argv[0]!, argv.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let peakKb = 0;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const poll = setInterval(() => {
      if (child.pid === undefined) return;
      const kids = useTime ? children(child.pid) : [child.pid]; // under time(1), measure what it runs
      for (const k of kids) peakKb = Math.max(peakKb, treeRssKb(k), statusKb(k, 'VmHWM'));
    }, POLL_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(poll);
      const wallS = (performance.now() - t0) / 1000;
      let cpuS: number | null = null;
      const m = /@@time ([\d.]+) ([\d.]+) ([\d.]+) (\d+)\s*$/.exec(stderr);
      if (m) {
        cpuS = Number(m[2]) + Number(m[3]);
        peakKb = Math.max(peakKb, Number(m[4])); // max RSS of the largest single process
        stderr = stderr.slice(0, m.index);
      }
      resolve({ code, wallS, cpuS, peakMb: peakKb / 1024, stdout, stderr });
    });
  });
}
