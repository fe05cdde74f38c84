// Delivery of a finished report to the feedback address: SMTP through nodemailer (loaded only when there
// is something to send, to keep sa-report's start fast) or the local sendmail. Credentials come from the
// config file. Every step has a timeout so a run stays inside Dovecot's 10 s pipe timeout.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { readSecret, type ReportConfig } from './config.js';
import { configError } from './errors.js';

// Per-step SMTP timeouts (connect, greeting, idle socket): a dead or slow server is given up quickly and
// the report stays in the spool for the next run.
export const SMTP_STEP_TIMEOUT_MS = 3000;
// sendmail normally just queues the message locally.
export const SENDMAIL_TIMEOUT_MS = 5000;

export class DeliveryError extends Error {
  /** The server refused this message for good (5xx after DATA): retrying it cannot help. */
  readonly permanent: boolean;
  constructor(message: string, permanent: boolean, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DeliveryError';
    this.permanent = permanent;
  }
}

export interface Sender {
  send(raw: Buffer): Promise<void>;
  close(): void;
}

export interface SenderOptions {
  /** Upper bound of each network step, ms (default SMTP_STEP_TIMEOUT_MS). */
  stepTimeoutMs?: number;
}

export async function openSender(cfg: ReportConfig, o: SenderOptions = {}): Promise<Sender> {
  return cfg.transport === 'sendmail' ? sendmailSender(cfg) : smtpSender(cfg, o.stepTimeoutMs ?? SMTP_STEP_TIMEOUT_MS);
}

/**
 * nodemailer's CommonJS build, not its ES one. The ES build imports node:http, and on Node 22 an ES import
 * of node:http reads its lazy `WebSocket` getter, which loads the bundled undici, which starts compiling
 * its llhttp WebAssembly at once; that instance reserves about 10 GB of address space, far above the
 * vsz_limit Dovecot gives pipe programs, and the process dies with "Cannot allocate Wasm memory".
 * A CommonJS require of node:http leaves the getter alone. (Node 24's undici loads llhttp on first use.)
 */
function loadNodemailer(): typeof import('nodemailer') {
  return createRequire(import.meta.url)('nodemailer') as typeof import('nodemailer');
}

async function smtpSender(cfg: ReportConfig, step: number): Promise<Sender> {
  const { createTransport } = loadNodemailer();
  let ca: string | undefined;
  if (cfg.smtp.caFile) {
    try {
      ca = readFileSync(cfg.smtp.caFile, 'utf8');
    } catch (e) {
      throw configError(`cannot read smtp_ca_file ${cfg.smtp.caFile}: ${(e as Error).message}`, cfg.file, undefined, e);
    }
  }
  const s = cfg.smtp;
  const password = s.passwordFile !== undefined ? readSecret(s.passwordFile, 'smtp_password_file', cfg.file) : s.password;
  const transport = createTransport({
    pool: true,
    maxConnections: 1,
    maxMessages: Infinity,
    host: s.host,
    port: s.port,
    secure: s.security === 'tls',
    requireTLS: s.security === 'starttls',
    ignoreTLS: s.security === 'none',
    name: cfg.serverName,
    auth: s.user !== undefined ? { user: s.user, pass: password ?? '' } : undefined,
    connectionTimeout: step,
    greetingTimeout: step,
    socketTimeout: step,
    dnsTimeout: step,
    tls: { rejectUnauthorized: s.tlsVerify, servername: s.host, ...(ca !== undefined ? { ca } : {}) },
    logger: false,
    debug: false,
  });
  return {
    async send(raw: Buffer): Promise<void> {
      try {
        await transport.sendMail({ envelope: { from: cfg.fromAddress, to: [cfg.feedbackAddress] }, raw });
      } catch (e) {
        const err = e as { code?: string; responseCode?: number; message?: string };
        const permanent = err.code === 'EMESSAGE' && typeof err.responseCode === 'number' && err.responseCode >= 500;
        throw new DeliveryError(`SMTP ${s.host}:${s.port}: ${err.message ?? String(e)}`, permanent, { cause: e });
      }
    },
    close(): void {
      transport.close();
    },
  };
}

function sendmailSender(cfg: ReportConfig): Sender {
  return {
    send(raw: Buffer): Promise<void> {
      return new Promise((resolve, reject) => {
        // -i: a line with a single dot does not end the message; -f: the envelope sender.
        const child = spawn(cfg.sendmail, ['-i', '-f', cfg.fromAddress, '--', cfg.feedbackAddress], { stdio: ['pipe', 'ignore', 'pipe'] });
        const err: Buffer[] = [];
        const timer = setTimeout(() => child.kill('SIGKILL'), SENDMAIL_TIMEOUT_MS);
        child.stderr!.on('data', (b: Buffer) => err.push(b));
        child.on('error', (e) => {
          clearTimeout(timer);
          reject(new DeliveryError(`cannot run ${cfg.sendmail}: ${e.message}`, false, { cause: e }));
        });
        child.on('close', (code, signal) => {
          clearTimeout(timer);
          if (code === 0) resolve();
          else reject(new DeliveryError(`${cfg.sendmail} ${signal ? `killed (${signal})` : `exit status ${code}`}: ${Buffer.concat(err).toString('utf8').trim()}`, false));
        });
        child.stdin!.on('error', () => undefined);
        child.stdin!.end(raw);
      });
    },
    close(): void {},
  };
}
