// A real Dovecot for the tests: started by the test on 127.0.0.1 with its own configuration in a
// temporary directory, users in a passwd-file (no system accounts), Maildir storage in the directory.
// It runs as the current user; when the tests run as root it runs as "nobody" instead (Dovecot refuses
// root for its login and mail processes), and the directory is handed over to that user.
// Optional IMAPSieve: the repository's examples/dovecot/90-imapsieve.conf and its two sieve scripts,
// with their paths pointed into the temporary directory, and a `sa-report` wrapper in the pipe bin dir.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, lstatSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { REPO, tempDir } from './env.js';

export const DOVECOT = '/usr/sbin/dovecot';
const MODULES = '/usr/lib/dovecot/modules';
export const NO_DOVECOT = 'Dovecot is not installed (Debian: apt-get install dovecot-imapd dovecot-sieve)';
/** Address-space limit of the imap processes, inherited by sa-report: room for Node.js. */
export const IMAP_VSZ_LIMIT = '2G';
/** How long Dovecot may take to listen. */
const START_TIMEOUT_MS = 15_000;

/** Dovecot with the IMAP server and the Pigeonhole sieve plugins (imap_sieve, extprograms). */
export function hasOpenssl(): boolean {
  return spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0;
}

export function hasDovecot(): boolean {
  if (spawnSync(DOVECOT, ['--version'], { stdio: 'ignore' }).status !== 0) return false;
  return ['lib95_imap_sieve_plugin.so', 'sieve/lib90_sieve_imapsieve_plugin.so', 'sieve/lib90_sieve_extprograms_plugin.so'].every((f) => existsSync(join(MODULES, f)));
}

export interface RunAs {
  uid: number;
  gid: number;
  user: string;
  group: string;
}

function idOf(args: string[]): string {
  const r = spawnSync('id', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`id ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

/** Who Dovecot and its mail processes (and so the sieve pipe programs) run as. */
export function dovecotUser(): RunAs {
  const me = userInfo();
  if (me.uid !== 0) return { uid: me.uid, gid: me.gid, user: me.username, group: idOf(['-gn']) };
  return { uid: Number(idOf(['-u', 'nobody'])), gid: Number(idOf(['-g', 'nobody'])), user: 'nobody', group: idOf(['-gn', 'nobody']) };
}

/** Give a tree to `who` (only needed, and only possible, when the tests run as root). */
export function handOver(path: string, who: RunAs): void {
  if (userInfo().uid !== 0) return;
  const walk = (p: string): void => {
    chownSync(p, who.uid, who.gid);
    if (lstatSync(p).isDirectory()) for (const n of readdirSync(p)) walk(join(p, n));
  };
  walk(path);
}

export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = createConnection({ host: '127.0.0.1', port });
    c.once('data', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
    c.setTimeout(2000, () => {
      c.destroy();
      resolve(false);
    });
  });
}

export interface SieveSetup {
  /** Runs instead of sa-report: arguments are the sieve script's, stdin the message. */
  reportCommand: string[];
}

export interface DovecotOptions {
  /** login -> password */
  users: Record<string, string>;
  sieve?: SieveSetup;
  /** TLS with a fresh self-signed certificate for 127.0.0.1: implicit TLS on `tlsPort`, STARTTLS on `port`. */
  tls?: boolean;
}

export interface Dovecot {
  dir: string;
  port: number;
  /** Implicit-TLS port (with `tls`). */
  tlsPort?: number;
  /** The server certificate (PEM), to trust as a CA (with `tls`). */
  certFile?: string;
  runAs: RunAs;
  log(): string;
  stop(): Promise<void>;
}

export async function startDovecot(o: DovecotOptions): Promise<Dovecot> {
  const runAs = dovecotUser();
  const dir = tempDir('sa-train-dovecot-');
  for (const d of ['run', 'state', 'mail', 'home', 'sieve', 'bin']) mkdirSync(join(dir, d));
  for (const u of Object.keys(o.users)) mkdirSync(join(dir, 'home', u));
  const port = await freeLoopbackPort();
  const tlsPort = o.tls ? await freeLoopbackPort() : undefined;
  const certFile = join(dir, 'cert.pem');
  if (o.tls) {
    const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', certFile, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl: ${r.stderr}`);
  }
  writeFileSync(join(dir, 'users'), Object.entries(o.users).map(([u, p]) => `${u}:{PLAIN}${p}::::::\n`).join(''));
  const conf = [
    `base_dir = ${dir}/run`,
    `state_dir = ${dir}/state`,
    `log_path = ${dir}/log`,
    'protocols = imap',
    'listen = 127.0.0.1',
    ...(o.tls ? ['ssl = yes', `ssl_cert = <${certFile}`, `ssl_key = <${dir}/key.pem`] : ['ssl = no']),
    'disable_plaintext_auth = no',
    'auth_mechanisms = plain login',
    `default_internal_user = ${runAs.user}`,
    `default_internal_group = ${runAs.group}`,
    `default_login_user = ${runAs.user}`,
    `first_valid_uid = ${runAs.uid}`,
    `mail_location = maildir:${dir}/mail/%u`,
    'passdb {',
    '  driver = passwd-file',
    `  args = scheme=PLAIN username_format=%u ${dir}/users`,
    '}',
    'userdb {',
    '  driver = passwd-file',
    `  args = username_format=%u ${dir}/users`,
    `  default_fields = uid=${runAs.uid} gid=${runAs.gid} home=${dir}/home/%u`,
    '}',
    'service imap-login {',
    '  chroot =',
    '  inet_listener imap {',
    '    address = 127.0.0.1',
    `    port = ${port}`,
    '  }',
    '  inet_listener imaps {',
    ...(tlsPort ? ['    address = 127.0.0.1', `    port = ${tlsPort}`, '    ssl = yes'] : ['    port = 0']),
    '  }',
    '}',
    // Programs piped to by IMAPSieve inherit the imap process's address-space limit (256 MB by default),
    // in which Node.js cannot start (V8 reserves its code range up front).
    'service imap {',
    `  vsz_limit = ${IMAP_VSZ_LIMIT}`,
    '}',
    'service anvil {',
    '  chroot =',
    '}',
    'service stats {',
    '  inet_listener http {',
    '    port = 0',
    '  }',
    '}',
  ];
  if (o.sieve) {
    // The repository's IMAPSieve example, pointed at this directory.
    const ex = join(REPO, 'examples', 'dovecot');
    for (const f of ['report-spam.sieve', 'report-ham.sieve']) copyFileSync(join(ex, f), join(dir, 'sieve', f));
    const example = readFileSync(join(ex, '90-imapsieve.conf'), 'utf8').replaceAll('/etc/dovecot/sieve/', `${dir}/sieve/`).replaceAll('/usr/lib/dovecot/sieve', `${dir}/bin`);
    writeFileSync(join(dir, '90-imapsieve.conf'), example);
    conf.push(`!include ${dir}/90-imapsieve.conf`);
    const q = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;
    writeFileSync(join(dir, 'bin', 'sa-report'), `#!/bin/sh\nexec ${o.sieve.reportCommand.map(q).join(' ')} "$@"\n`);
    chmodSync(join(dir, 'bin', 'sa-report'), 0o755);
  }
  writeFileSync(join(dir, 'dovecot.conf'), conf.join('\n') + '\n');
  handOver(dir, runAs);
  const child: ChildProcess = spawn(DOVECOT, ['-F', '-c', join(dir, 'dovecot.conf')], {
    uid: runAs.uid,
    gid: runAs.gid,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const log = (): string => {
    try {
      return readFileSync(join(dir, 'log'), 'utf8');
    } catch {
      return '';
    }
  };
  const t0 = Date.now();
  while (!(await canConnect(port))) {
    if (child.exitCode !== null || Date.now() - t0 > START_TIMEOUT_MS) {
      child.kill('SIGKILL');
      throw new Error(`Dovecot did not start: ${stderr}\n${log()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    dir,
    port,
    ...(o.tls ? { tlsPort, certFile } : {}),
    runAs,
    log,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}
