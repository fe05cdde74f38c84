// What a run of the IMAP feedback source (imap.ts) did, and its lines in the human summary. Kept apart
// from imap.ts so that the CLI can print it without loading imapflow (loaded only when --imap is given).
import type { RejectReason } from '../imap-report.js';

export interface ImapSummary {
  url: string;
  /** Reports found: in the feedback mailbox (new) and in the processed folder (learned before). */
  read: number;
  readNew: number;
  readProcessed: number;
  /** Reports that passed decryption and the signature check. */
  accepted: number;
  /** Of those, accepted without a reporter key's signature (--imap-accept-unsigned). */
  acceptedUnverified: number;
  /** Accepted reports whose message is over --max-size: filed in processed, not learned. */
  tooBig: number;
  /** Reports handed to the learner (after --sample / --max-per-class unless --imap-no-sample). */
  learned: { spam: number; ham: number };
  rejected: number;
  rejectedByReason: Partial<Record<RejectReason, number>>;
  duplicated: { reportId: number; message: number };
  /** Older reports of a message reported again with the other class (the newest report wins). */
  superseded: number;
  /** Moved after the dump was written; null with --imap-no-move. */
  moved: { processed: number; rejected: number } | null;
  /** Why the move step stopped, if it did (the dump is written all the same). */
  moveError?: string | undefined;
}

export function formatImapSummary(s: ImapSummary): string {
  const rej = Object.entries(s.rejectedByReason).map(([r, n]) => `${n} ${r}`);
  const lines = [
    `  imap ${s.url}: ${s.read} report(s) read (${s.readNew} new, ${s.readProcessed} from earlier runs), ${s.learned.spam} spam and ${s.learned.ham} ham learned`,
  ];
  const more = [
    s.rejected && `${s.rejected} rejected (${rej.join(', ')})`,
    s.duplicated.reportId && `${s.duplicated.reportId} duplicate report id(s)`,
    s.duplicated.message && `${s.duplicated.message} message(s) reported twice`,
    s.superseded && `${s.superseded} superseded by a newer report`,
    s.acceptedUnverified && `${s.acceptedUnverified} accepted without a reporter key's signature`,
    s.tooBig && `${s.tooBig} over --max-size (not learned)`,
  ].filter(Boolean);
  if (more.length) lines.push(`       ${more.join(', ')}`);
  if (s.moved) lines.push(`       moved ${s.moved.processed} to processed, ${s.moved.rejected} to rejected${s.moveError ? ' (incomplete: see the warning)' : ''}`);
  return lines.map((l) => `${l}\n`).join('');
}
