// Where the feedback mailbox is and how to log in: `--imap URL` (imaps://user@host:port/Mailbox) and/or
// `--imap-config FILE` ("key = value" lines, "#" comments, optionally under an "[imap]" section), plus
// the command-line flags. Passwords come from a file or an environment variable, never from argv.
// docs/imap-feedback.md lists the keys.
import { readFileSync, statSync } from 'node:fs';
import { SaTrainError } from '../../errors.js';

export type ImapTls = 'implicit' | 'starttls' | 'none';

export interface ImapSettings {
  host: string;
  port: number;
  tls: ImapTls;
  user: string;
  password: string;
  mailbox: string;
  processedFolder: string;
  rejectedFolder: string;
  /** Reporter key fingerprints accepted as signers. */
  signers: string[];
  gnupgHome?: string | undefined;
  /** PEM file of the CA (or self-signed certificate) the server's certificate must chain to. */
  caFile?: string | undefined;
  tlsVerify: boolean;
  /** Also read the processed folder (the reports learned by earlier runs). */
  readProcessed: boolean;
}

export interface ImapCliOptions {
  url?: string | undefined;
  config?: string | undefined;
  passwordFile?: string | undefined;
  passwordEnv?: string | undefined;
  signers?: string[] | undefined;
  insecure: boolean;
  caFile?: string | undefined;
  processedFolder?: string | undefined;
  rejectedFolder?: string | undefined;
  gnupgHome?: string | undefined;
  readProcessed?: boolean | undefined;
}

export const DEFAULT_MAILBOX = 'INBOX';
export const DEFAULT_PROCESSED = 'processed';
export const DEFAULT_REJECTED = 'rejected';
const DEFAULT_PORT: Record<ImapTls, number> = { implicit: 993, starttls: 143, none: 143 };

const KEYS = new Set([
  'url', 'host', 'port', 'tls', 'user', 'password_file', 'password_env', 'mailbox',
  'processed_folder', 'rejected_folder', 'signer', 'gnupg_home', 'ca_file', 'tls_verify', 'read_processed',
]);
const LIST_KEYS = new Set(['signer']);
const LINE = /^([A-Za-z_][A-Za-z0-9_]*)[ \t]*=[ \t]*(.*?)[ \t]*$/;
const SECTION = /^\[[ \t]*([A-Za-z0-9_.-]+)[ \t]*\]$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const bad = (msg: string, file?: string, line?: number): SaTrainError =>
  new SaTrainError('BAD_ARGUMENT', msg, file ? { file, ...(line ? { line } : {}) } : undefined);

/** Parse the config text: keys at the top or in "[imap]"; other sections are left to their owners. */
export function parseImapConfig(text: string, file: string): Map<string, string[]> {
  const values = new Map<string, string[]>();
  let section = 'imap';
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const sec = SECTION.exec(line);
    if (sec) {
      section = sec[1]!.toLowerCase();
      return;
    }
    if (section !== 'imap') return;
    const m = LINE.exec(line);
    if (!m) throw bad('cannot read this line (expected "key = value")', file, i + 1);
    const key = m[1]!.toLowerCase();
    if (!KEYS.has(key)) throw bad(`unknown key ${JSON.stringify(m[1])} in the imap section`, file, i + 1);
    let v = m[2]!;
    if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1);
    const prev = values.get(key);
    if (prev && !LIST_KEYS.has(key)) throw bad(`${key} is set twice`, file, i + 1);
    values.set(key, [...(prev ?? []), v]);
  });
  return values;
}

export interface ParsedUrl {
  tls: ImapTls | undefined;
  host: string;
  port?: number | undefined;
  user?: string | undefined;
  mailbox?: string | undefined;
}

/** imaps://user@host:port/Mailbox or imap://...; a password in the URL is refused (it would be in argv). */
export function parseImapUrl(text: string): ParsedUrl {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw bad(`--imap ${JSON.stringify(text)} is not a URL (imaps://user@host:port/Mailbox)`);
  }
  if (u.protocol !== 'imaps:' && u.protocol !== 'imap:') throw bad(`--imap takes an imaps:// or imap:// URL, not ${u.protocol}`);
  if (u.password) throw bad('--imap: put no password in the URL (command lines are visible to other users): use --imap-password-file or --imap-password-env');
  if (!u.hostname) throw bad(`--imap ${JSON.stringify(text)} has no host`);
  const mailbox = decodeURIComponent(u.pathname.replace(/^\//, '').replace(/;.*$/, ''));
  return {
    tls: u.protocol === 'imaps:' ? 'implicit' : undefined,
    host: u.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: u.port ? Number(u.port) : undefined,
    user: u.username ? decodeURIComponent(u.username) : undefined,
    mailbox: mailbox || undefined,
  };
}

function readSecretFile(file: string, what: string, warnings: string[]): string {
  let text: string;
  try {
    if (statSync(file).mode & 0o077) warnings.push(`${what} ${file} is readable by other users (chmod 600 it)`);
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw bad(`cannot read ${what} ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, file);
  }
  const nl = text.indexOf('\n');
  const p = (nl < 0 ? text : text.slice(0, nl)).replace(/\r$/, '');
  if (p === '') throw bad(`${what} ${file} is empty`, file);
  return p;
}

function readSecretEnv(name: string, what: string): string {
  if (!ENV_NAME.test(name)) throw bad(`${what} takes an environment variable name, not ${JSON.stringify(name)}`);
  const v = process.env[name];
  if (v === undefined || v === '') throw bad(`${what} ${name}: that environment variable is not set or empty`);
  delete process.env[name]; // no child (gpg, sa-learn) inherits it
  return v;
}

/** A reporter key's fingerprint as gpg prints it (upper-case hex, no blanks), or BAD_ARGUMENT. */
export function normalizeFingerprint(f: string): string {
  const h = f.replace(/\s+/g, '').toUpperCase();
  if (!/^[0-9A-F]{40}$|^[0-9A-F]{64}$/.test(h)) {
    throw new SaTrainError('BAD_ARGUMENT', `reporter key ${JSON.stringify(f)} is not a fingerprint (40 hex digits; gpg --with-colons --fingerprint shows it)`);
  }
  return h;
}

/** Combine the URL, the config file and the flags (flags win over the config, the URL over both). */
export function resolveImapSettings(cli: ImapCliOptions): { settings: ImapSettings; warnings: string[] } {
  const warnings: string[] = [];
  let conf = new Map<string, string[]>();
  const file = cli.config;
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw bad(`cannot read --imap-config ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, file);
    }
    conf = parseImapConfig(text, file);
  }
  const one = (k: string): string | undefined => {
    const v = conf.get(k)?.[0];
    return v === '' ? undefined : v;
  };
  const yesNo = (k: string, def: boolean): boolean => {
    const v = one(k)?.toLowerCase();
    if (v === undefined) return def;
    if (['yes', 'true', 'on', '1'].includes(v)) return true;
    if (['no', 'false', 'off', '0'].includes(v)) return false;
    throw bad(`${k} must be yes or no, not ${JSON.stringify(v)}`, file);
  };
  const urlText = cli.url ?? one('url');
  const url = urlText !== undefined ? parseImapUrl(urlText) : undefined;
  const host = url?.host ?? one('host');
  if (!host) throw bad('the IMAP feedback source needs a host: --imap imaps://user@host/Mailbox, or host = in --imap-config');
  const user = url?.user ?? one('user');
  if (!user) throw bad('the IMAP feedback source needs a user: imaps://USER@host/..., or user = in --imap-config');

  // TLS: imaps:// is implicit TLS; imap:// and host= default to STARTTLS (required); plaintext only when
  // asked for explicitly (--imap-insecure, or tls = none in the config file).
  const confTls = one('tls')?.toLowerCase();
  if (confTls !== undefined && confTls !== 'implicit' && confTls !== 'starttls' && confTls !== 'none') {
    throw bad(`tls must be implicit, starttls or none, not ${JSON.stringify(confTls)}`, file);
  }
  let tls: ImapTls;
  if (url) tls = url.tls ?? (confTls === 'none' ? 'none' : 'starttls');
  else tls = (confTls as ImapTls | undefined) ?? 'implicit';
  if (cli.insecure) {
    if (url?.tls === 'implicit') throw bad('--imap-insecure goes with an imap:// URL, not imaps://');
    tls = 'none';
  }

  const portText = url?.port ?? one('port');
  const port = portText === undefined ? DEFAULT_PORT[tls] : Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw bad(`IMAP port must be 1..65535, not ${JSON.stringify(portText)}`, file);

  const passwordFile = cli.passwordFile ?? (cli.passwordEnv === undefined ? one('password_file') : undefined);
  const passwordEnv = cli.passwordEnv ?? (cli.passwordFile === undefined ? one('password_env') : undefined);
  if (cli.passwordFile !== undefined && cli.passwordEnv !== undefined) throw bad('--imap-password-file and --imap-password-env exclude each other');
  let password: string;
  if (passwordFile !== undefined) password = readSecretFile(passwordFile, 'IMAP password file', warnings);
  else if (passwordEnv !== undefined) password = readSecretEnv(passwordEnv, 'IMAP password variable');
  else throw bad('the IMAP password is missing: --imap-password-file FILE or --imap-password-env NAME (or password_file / password_env in --imap-config)');

  const signers = [...(cli.signers ?? []), ...(conf.get('signer') ?? []).flatMap((v) => v.split(',')).map((s) => s.trim()).filter((s) => s !== '')].map(normalizeFingerprint);
  const settings: ImapSettings = {
    host,
    port,
    tls,
    user,
    password,
    mailbox: url?.mailbox ?? one('mailbox') ?? DEFAULT_MAILBOX,
    processedFolder: cli.processedFolder ?? one('processed_folder') ?? DEFAULT_PROCESSED,
    rejectedFolder: cli.rejectedFolder ?? one('rejected_folder') ?? DEFAULT_REJECTED,
    signers: [...new Set(signers)],
    gnupgHome: cli.gnupgHome ?? one('gnupg_home'),
    caFile: cli.caFile ?? one('ca_file'),
    tlsVerify: yesNo('tls_verify', true),
    readProcessed: cli.readProcessed ?? yesNo('read_processed', true),
  };
  const folders = [settings.mailbox, settings.processedFolder, settings.rejectedFolder];
  if (new Set(folders).size !== 3) throw bad(`the feedback mailbox, the processed folder and the rejected folder must differ (${folders.join(', ')})`);
  return { settings, warnings };
}

/** The URL for messages and logs: no password, ever. */
export function describeImap(s: ImapSettings): string {
  const scheme = s.tls === 'implicit' ? 'imaps' : 'imap';
  const defPort = DEFAULT_PORT[s.tls];
  const host = s.host.includes(':') ? `[${s.host}]` : s.host;
  return `${scheme}://${encodeURIComponent(s.user)}@${host}${s.port === defPort ? '' : `:${s.port}`}/${encodeURIComponent(s.mailbox)}`;
}
