// Shared test helpers: where things are, and whether the real components are installed.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** The repository root (tests run from dist/test/). */
export const REPO = join(here, '..', '..', '..');
export const CLI = join(REPO, 'dist', 'src', 'cli', 'sa-train.js');
export const CORPORA = join(REPO, '..', 'shared', 'corpora');
export const LIBFAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';

export function hasSaLearn(): boolean {
  return spawnSync('sa-learn', ['--version'], { stdio: 'ignore' }).status === 0;
}
export function hasCorpora(): boolean {
  return existsSync(join(CORPORA, 'spamassassin-2002', 'ham'));
}
export const NO_SA = 'SpamAssassin (sa-learn) is not installed: apt-get install spamassassin';
export const NO_CORPORA = `the shared corpora are absent (${CORPORA})`;

export function tempDir(prefix = 'sa-train-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Build a training set from message byte strings. */
export function makeTrainingSet(files: Record<string, string | Buffer>): string {
  const dir = tempDir();
  for (const [rel, content] of Object.entries(files)) {
    const p = join(dir, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
  return dir;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 600_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** One mbox message with a valid From_ line. */
export function mboxMessage(n: number, opts: { subject?: string; body?: string; to?: string; date?: string } = {}): string {
  return (
    `From sender${n}@example.org Mon Jan  6 10:00:0${n % 10} 2025\n` +
    `From: Sender ${n} <sender${n}@example.org>\n` +
    `To: ${opts.to ?? 'rcpt@example.net'}\n` +
    `Subject: ${opts.subject ?? `message number ${n}`}\n` +
    `Date: ${opts.date ?? `Mon, 6 Jan 2025 10:00:0${n % 10} +0000`}\n` +
    `Message-ID: <msg${n}@example.org>\n\n` +
    `${opts.body ?? `Body text of message ${n} with words like meeting agenda project${n}.`}\n\n`
  );
}

let saPerl: boolean | undefined;
/** Whether Perl can load the installed Mail::SpamAssassin (for the probes in tools/probes). Checked once. */
export function hasSaPerl(): boolean {
  saPerl ??= spawnSync('perl', ['-MMail::SpamAssassin', '-e1'], { stdio: 'ignore' }).status === 0;
  return saPerl;
}
