// The training side's entry point (issue 9): from a feedback message as fetched from the mailbox to the
// report inside: PGP/MIME unwrap, gpg decrypt + verify, RFC 5965 parse, signer check.
import { SaTrainError } from '../errors.js';
import { parseFeedbackReport, type FeedbackReport } from './feedback-report.js';
import { decryptVerify, type GpgOptions } from './pgp.js';
import { parsePgpMime } from './pgp-mime.js';

export interface OpenOptions extends GpgOptions {
  /**
   * Fingerprints (primary keys, any case) of the mail servers whose reports are accepted. Empty:
   * any good signature by a key in the GNUPGHOME is accepted.
   */
  allowedSigners?: readonly string[];
}

export interface OpenedReport extends FeedbackReport {
  /** Fingerprint of the server key that signed the report. */
  signer: string;
}

/**
 * Open one report. Throws SaTrainError: DECRYPT_FAILED (cannot decrypt, no good signature, signer not
 * allowed) or MESSAGE_INVALID (not a PGP/MIME report, or not an sa-report feedback report).
 */
export async function openReport(raw: Buffer, o: OpenOptions): Promise<OpenedReport> {
  const d = await decryptVerify(parsePgpMime(raw), o);
  if (!d.goodSignature || d.signer === null) throw new SaTrainError('DECRYPT_FAILED', 'report without a good signature: ignored');
  const allowed = (o.allowedSigners ?? []).map((f) => f.replace(/\s+/g, '').toUpperCase());
  if (allowed.length > 0 && !allowed.includes(d.signer.toUpperCase())) throw new SaTrainError('DECRYPT_FAILED', `report signed by ${d.signer}, which is not an allowed server key: ignored`);
  return { ...parseFeedbackReport(d.plaintext), signer: d.signer };
}
