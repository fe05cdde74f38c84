// sa-report's configuration file: "key = value" lines, "#" or ";" comments, blank lines ignored, a key
// given twice adds to a list key (encrypt_to, local_domains) and is an error otherwise. Unknown keys are
// errors (a typo must not silently disable something). docs/sa-report.md "Configuration" lists the keys.
import { readFileSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { isAbsolute } from 'node:path';
import { configError } from './errors.js';

export const DEFAULT_CONFIG = '/etc/sa-train/sa-report.conf';

export type SmtpSecurity = 'starttls' | 'tls' | 'none';

export interface SmtpConfig {
  host: string;
  port: number;
  security: SmtpSecurity;
  user?: string | undefined;
  password?: string | undefined;
  /** Read when connecting (see readSecret). */
  passwordFile?: string | undefined;
  /** Check the server's certificate (default yes). */
  tlsVerify: boolean;
  caFile?: string | undefined;
}

export interface ReportConfig {
  file: string;
  feedbackAddress: string;
  fromAddress: string;
  serverName: string;
  gnupgHome: string;
  signKey: string;
  encryptTo: string[];
  /** Passphrase of the signing key: a file read when signing (see readSecret). */
  passphraseFile?: string | undefined;
  gpg: string;
  transport: 'smtp' | 'sendmail';
  smtp: SmtpConfig;
  sendmail: string;
  spoolDir: string;
  spoolMaxFiles: number;
  localDomains: string[];
  addressFile?: string | undefined;
  recipientDelimiter: string;
  maxMessageSize: number;
  timeBudgetMs: number;
  /** Non-fatal remarks for stderr (e.g. a world-readable file holding a password). */
  warnings: string[];
}

// Messages bigger than this are not reported: mostly attachments, which Bayes learns little from, and a
// report must be read, encrypted and sent well inside Dovecot's 10 s pipe timeout.
export const DEFAULT_MAX_MESSAGE_SIZE = 4 * 1024 * 1024;
// Dovecot kills a pipe program after 10 s (sieve_pipe_exec_timeout); stop starting work well before.
export const DEFAULT_TIME_BUDGET_S = 7;
// Cap on spooled reports: a long SMTP outage must not fill the disk.
export const DEFAULT_SPOOL_MAX_FILES = 20000;

const LIST_KEYS = new Set(['encrypt_to', 'local_domains']);
const KEYS = new Set([
  'feedback_address', 'from_address', 'server_name',
  'gnupg_home', 'sign_key', 'encrypt_to', 'passphrase_file', 'gpg',
  'transport', 'smtp_host', 'smtp_port', 'smtp_security', 'smtp_user', 'smtp_password', 'smtp_password_file',
  'smtp_tls_verify', 'smtp_ca_file', 'sendmail',
  'spool_dir', 'spool_max_files',
  'local_domains', 'address_file', 'recipient_delimiter',
  'max_message_size', 'time_budget',
]);
const LINE = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/;
const ADDRESS = /^[^\s@<>()",;:]+@[^\s@<>()",;:]+$/;

export function parseConfig(text: string, file: string): ReportConfig {
  const values = new Map<string, string[]>();
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const m = LINE.exec(line);
    if (!m) throw configError(`cannot read this line (expected "key = value")`, file, i + 1);
    const key = m[1]!.toLowerCase();
    if (!KEYS.has(key)) throw configError(`unknown key ${JSON.stringify(m[1])}`, file, i + 1);
    let v = m[2]!;
    if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1);
    const prev = values.get(key);
    if (prev && !LIST_KEYS.has(key)) throw configError(`${key} is set twice`, file, i + 1);
    values.set(key, [...(prev ?? []), v]);
  });
  const one = (k: string): string | undefined => values.get(k)?.[0];
  const list = (k: string): string[] => (values.get(k) ?? []).flatMap((v) => v.split(/[\s,]+/)).filter((x) => x !== '');
  const need = (k: string): string => {
    const v = one(k);
    if (v === undefined || v === '') throw configError(`${k} is missing`, file);
    return v;
  };
  const int = (k: string, def: number, min: number): number => {
    const v = one(k);
    if (v === undefined) return def;
    if (!/^\d+$/.test(v) || Number(v) < min) throw configError(`${k} must be a whole number >= ${min}, not ${JSON.stringify(v)}`, file);
    return Number(v);
  };
  const bool = (k: string, def: boolean): boolean => {
    const v = one(k)?.toLowerCase();
    if (v === undefined) return def;
    if (['yes', 'true', '1', 'on'].includes(v)) return true;
    if (['no', 'false', '0', 'off'].includes(v)) return false;
    throw configError(`${k} must be yes or no, not ${JSON.stringify(v)}`, file);
  };
  const path = (k: string, def?: string): string | undefined => {
    const v = one(k) ?? def;
    if (v !== undefined && !isAbsolute(v)) throw configError(`${k} must be an absolute path, not ${JSON.stringify(v)}`, file);
    return v;
  };
  const warnings: string[] = [];
  const serverName = one('server_name') || hostname();
  const feedbackAddress = need('feedback_address');
  const fromAddress = one('from_address') || `sa-report@${serverName}`;
  for (const [k, v] of [['feedback_address', feedbackAddress], ['from_address', fromAddress]] as const)
    if (!ADDRESS.test(v)) throw configError(`${k} ${JSON.stringify(v)} is not a plain address (user@domain)`, file);
  const transport = (one('transport') ?? 'smtp').toLowerCase();
  if (transport !== 'smtp' && transport !== 'sendmail') throw configError(`transport must be smtp or sendmail, not ${JSON.stringify(transport)}`, file);
  const security = (one('smtp_security') ?? 'starttls').toLowerCase();
  if (security !== 'starttls' && security !== 'tls' && security !== 'none') throw configError(`smtp_security must be starttls, tls or none, not ${JSON.stringify(security)}`, file);
  if (one('smtp_password') !== undefined && one('smtp_password_file') !== undefined) throw configError('set smtp_password or smtp_password_file, not both', file);
  if (one('smtp_password') !== undefined) {
    try {
      if (statSync(file).mode & 0o004) warnings.push(`${file} holds smtp_password and is readable by everyone: chmod o-r it`);
    } catch {
      /* text given without a file (tests) */
    }
  }
  const encryptTo = list('encrypt_to');
  if (encryptTo.length === 0) throw configError('encrypt_to is missing (the training key(s) to encrypt to)', file);
  const budget = one('time_budget');
  if (budget !== undefined && !/^\d+(?:\.\d+)?$/.test(budget)) throw configError(`time_budget must be a number of seconds, not ${JSON.stringify(budget)}`, file);
  return {
    file,
    feedbackAddress,
    fromAddress,
    serverName,
    gnupgHome: path('gnupg_home') ?? need('gnupg_home'),
    signKey: need('sign_key'),
    encryptTo,
    passphraseFile: path('passphrase_file'),
    gpg: path('gpg', '/usr/bin/gpg')!,
    transport,
    smtp: {
      host: one('smtp_host') || 'localhost',
      port: int('smtp_port', security === 'tls' ? 465 : security === 'starttls' ? 587 : 25, 1),
      security,
      user: one('smtp_user') || undefined,
      password: one('smtp_password'),
      passwordFile: path('smtp_password_file'),
      tlsVerify: bool('smtp_tls_verify', true),
      caFile: path('smtp_ca_file'),
    },
    sendmail: path('sendmail', '/usr/sbin/sendmail')!,
    spoolDir: path('spool_dir', '/var/spool/sa-report')!,
    spoolMaxFiles: int('spool_max_files', DEFAULT_SPOOL_MAX_FILES, 1),
    localDomains: list('local_domains').map((d) => d.toLowerCase()),
    addressFile: path('address_file'),
    recipientDelimiter: one('recipient_delimiter') ?? '+',
    maxMessageSize: int('max_message_size', DEFAULT_MAX_MESSAGE_SIZE, 1),
    timeBudgetMs: Math.round(Number(budget ?? DEFAULT_TIME_BUDGET_S) * 1000),
    warnings,
  };
}

/** The content of a secret file named in the config (one line; the final newline is dropped). */
export function readSecret(file: string, key: string, configFile: string): string {
  try {
    return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch (e) {
    throw configError(`cannot read ${key} ${file}: ${(e as Error).message}`, configFile, undefined, e);
  }
}

export function loadConfig(file: string): ReportConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw configError(code === 'ENOENT' ? `config file ${file} does not exist (see docs/sa-report.md; --config FILE)` : `cannot read config file ${file}: ${(e as Error).message}`, undefined, undefined, e);
  }
  return parseConfig(text, file);
}

/**
 * More addresses of `user` from the address file: lines "login addr1 addr2..." (or "login: a, b"),
 * "#" comments; the login is matched case-insensitively against the user name or address.
 */
export function addressesFromFile(file: string, user: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw configError(`cannot read address_file ${file}: ${(e as Error).message}`, file, undefined, e);
  }
  const want = user.toLowerCase();
  const out: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') continue;
    const [login, ...rest] = line.split(/[\s,:]+/).filter((x) => x !== '');
    if (login && login.toLowerCase() === want) out.push(...rest);
  }
  return out;
}
