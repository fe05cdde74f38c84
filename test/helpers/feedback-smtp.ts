// A real SMTP server (smtp-server) on 127.0.0.1 that delivers every message it accepts into an IMAP
// mailbox with APPEND, as the feedback address's MTA would. It answers DATA only once the message is
// in the mailbox, so when sa-report has finished, its report has arrived.
import { SMTPServer } from 'smtp-server';
import { ImapFlow } from 'imapflow';

export interface MailboxTarget {
  port: number;
  user: string;
  pass: string;
  mailbox: string;
}

export interface FeedbackSmtp {
  port: number;
  /** Messages delivered so far. */
  delivered: number;
  close(): Promise<void>;
}

export async function appendTo(t: MailboxTarget, raw: Buffer | string, flags: string[] = []): Promise<void> {
  const c = new ImapFlow({ host: '127.0.0.1', port: t.port, secure: false, doSTARTTLS: false, auth: { user: t.user, pass: t.pass }, logger: false });
  c.on('error', () => undefined);
  await c.connect();
  try {
    await c.append(t.mailbox, raw, flags);
  } finally {
    await c.logout().catch(() => c.close());
  }
}

export function startFeedbackSmtp(t: MailboxTarget): Promise<FeedbackSmtp> {
  const state = { delivered: 0 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (b: Buffer) => chunks.push(b));
      stream.on('end', () => {
        appendTo(t, Buffer.concat(chunks)).then(
          () => {
            state.delivered++;
            cb();
          },
          (e: Error) => {
            const err = new Error(`delivery failed: ${e.message}`) as Error & { responseCode: number };
            err.responseCode = 451;
            cb(err);
          },
        );
      });
    },
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const a = server.server.address();
      resolve({
        port: typeof a === 'object' && a ? a.port : 0,
        get delivered() {
          return state.delivered;
        },
        close: () => new Promise<void>((res) => server.close(() => res())),
      });
    });
  });
}
