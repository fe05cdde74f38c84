// One sa-report run: read the message, anonymize it, wrap it in a feedback report, sign and encrypt it,
// put it in the spool, then deliver the spool oldest first (older reports go before the new one). Any
// delivery failure leaves the reports in the spool and the run still succeeds.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import type { ReportArgs } from './args.js';
import { identityOf } from './addresses.js';
import { makeAnonymizer } from './anonymize.js';
import { DEFAULT_MAX_MESSAGE_SIZE, addressesFromFile, loadConfig, readSecret, type ReportConfig } from './config.js';
import { REPORT_EXIT, ReportError } from './errors.js';
import { buildFeedbackReport, type ReportClass } from './feedback-report.js';
import { classifyInput, readAll } from './input.js';
import { signEncrypt } from './pgp.js';
import { buildPgpMime } from './pgp-mime.js';
import { DeliveryError, openSender, SMTP_STEP_TIMEOUT_MS, type Sender } from './send.js';
import { Spool } from './spool.js';

// gpg gets at most this long (it normally needs well under a second; a hung agent must not eat the budget).
export const GPG_TIMEOUT_MS = 4000;
// No new delivery starts when less than this is left of the time budget.
const SEND_RESERVE_MS = 1000;

export function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0';
  } catch {
    return '0';
  }
}

export interface RunIo {
  stdin: Readable;
  stderr: Writable;
  now?: () => Date;
}

export interface FlushResult {
  delivered: number;
  /** Moved to failed/ after a permanent refusal. */
  rejected: number;
  /** Still in the spool. */
  left: number;
  error?: Error | undefined;
}

/** Deliver spooled reports, oldest first, until done, a failure, or `deadline` (ms since epoch). */
export async function flushSpool(spool: Spool, cfg: ReportConfig, deadline: number, warn: (s: string) => void): Promise<FlushResult> {
  await spool.recoverStale();
  const names = await spool.pending();
  const res: FlushResult = { delivered: 0, rejected: 0, left: names.length };
  let sender: Sender | undefined;
  try {
    for (const name of names) {
      const left = deadline - Date.now();
      if (left < SEND_RESERVE_MS) break;
      const claim = await spool.claim(name);
      if (!claim) {
        res.left--; // another run is sending it
        continue;
      }
      try {
        sender ??= await openSender(cfg, { stepTimeoutMs: Math.min(SMTP_STEP_TIMEOUT_MS, left - SEND_RESERVE_MS / 2) });
        await sender.send(await claim.read());
        await claim.done();
        res.delivered++;
        res.left--;
      } catch (e) {
        if (e instanceof DeliveryError && e.permanent) {
          await claim.fail();
          res.rejected++;
          res.left--;
          warn(`report ${name} refused for good, moved to ${spool.dir}/failed: ${e.message}`);
          continue;
        }
        await claim.release();
        res.error = e as Error;
        break;
      }
    }
  } finally {
    sender?.close();
  }
  return res;
}

export interface BuildInput {
  message: string;
  class: ReportClass;
  user?: string | undefined;
  addresses: readonly string[];
  time: Date;
  id?: string;
}

/** Anonymize, wrap and encrypt: the finished PGP/MIME message, ready to send or spool. */
export async function buildReport(cfg: ReportConfig, b: BuildInput, timeoutMs = GPG_TIMEOUT_MS): Promise<{ id: string; raw: Buffer }> {
  const extra = [...b.addresses];
  if (cfg.addressFile && b.user) extra.push(...addressesFromFile(cfg.addressFile, b.user));
  const id = b.id ?? randomUUID();
  const anon = makeAnonymizer(identityOf({ user: b.user, extra, localDomains: cfg.localDomains }), cfg.recipientDelimiter).message(b.message);
  const inner = buildFeedbackReport({
    id,
    class: b.class,
    time: b.time,
    message: Buffer.from(anon, 'latin1'),
    userAgent: `sa-report/${version()}`,
    reportingMta: cfg.serverName,
  });
  const armored = await signEncrypt(inner, {
    gpg: cfg.gpg,
    homedir: cfg.gnupgHome,
    signKey: cfg.signKey,
    recipients: cfg.encryptTo,
    passphrase: cfg.passphraseFile !== undefined ? readSecret(cfg.passphraseFile, 'passphrase_file', cfg.file) : undefined,
    timeoutMs: timeoutMs,
  });
  return { id, raw: buildPgpMime(armored, { from: cfg.fromAddress, to: cfg.feedbackAddress, domain: cfg.serverName, date: b.time }) };
}

/** The whole run; returns the exit status. Throws ReportError for usage/config/tempfail failures. */
export async function runReport(args: ReportArgs, io: RunIo): Promise<number> {
  const start = Date.now();
  const warn = (s: string): void => {
    if (!args.quiet) io.stderr.write(`sa-report: ${s}\n`);
  };
  let cfg: ReportConfig | undefined;
  let cfgError: unknown;
  try {
    cfg = loadConfig(args.config);
    for (const w of cfg.warnings) warn(w);
  } catch (e) {
    cfgError = e;
  }
  const spool = cfg ? new Spool(cfg.spoolDir, cfg.spoolMaxFiles) : undefined;

  if (args.mode === 'flush') {
    if (!cfg || !spool) throw cfgError;
    const r = await flushSpool(spool, cfg, Infinity, warn);
    if (r.error) warn(`${r.delivered} report(s) delivered, ${r.left} left in ${spool.dir}: ${r.error.message}`);
    return r.left > 0 ? REPORT_EXIT.TEMPFAIL : REPORT_EXIT.OK;
  }

  // Read everything first: Sieve's pipe action fails when the program does not read its input to EOF.
  const limit = cfg?.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE;
  const input = await readAll(io.stdin, limit);
  if (!cfg || !spool) throw cfgError;
  const deadline = start + cfg.timeBudgetMs;

  const verdict = classifyInput(input, limit);
  let fresh: { id: string; raw: Buffer } | undefined;
  let unspooled: Buffer | undefined;
  if (!verdict.ok) {
    warn(`${verdict.detail}; nothing reported`);
  } else {
    const time = io.now?.() ?? new Date();
    fresh = await buildReport(cfg, { message: verdict.message, class: args.class!, user: args.user, addresses: args.addresses, time }, Math.max(500, Math.min(GPG_TIMEOUT_MS, deadline - Date.now())));
    try {
      await spool.add(fresh.raw, fresh.id, time.getTime());
    } catch (e) {
      warn(`${(e as Error).message}; sending directly`);
      unspooled = fresh.raw;
    }
  }

  const r = await flushSpool(spool, cfg, deadline, warn).catch((e: Error): FlushResult => ({ delivered: 0, rejected: 0, left: -1, error: e }));
  if (r.error) warn(`delivery failed, ${r.left < 0 ? 'the' : r.left} report(s) kept in ${spool.dir} for the next run: ${r.error.message}`);
  else if (r.left > 0) warn(`${r.left} report(s) left in ${spool.dir} for the next run (time budget)`);

  if (unspooled) {
    let sender: Sender | undefined;
    try {
      sender = await openSender(cfg, { stepTimeoutMs: Math.max(500, Math.min(SMTP_STEP_TIMEOUT_MS, deadline - Date.now())) });
      await sender.send(unspooled);
    } catch (e) {
      throw new ReportError('tempfail', 'OUTPUT_FAILED', `report ${fresh!.id} could be neither spooled nor delivered (${(e as Error).message}): it is lost`);
    } finally {
      sender?.close();
    }
  }
  return REPORT_EXIT.OK;
}
