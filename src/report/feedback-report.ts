// The report's two layers, built here and parsed back by the training side:
//  - inside the encryption, an RFC 5965 feedback report (multipart/report; report-type=feedback-report)
//    whose machine-readable part carries the class, the report id and the time, and whose third part is
//    the anonymized message byte for byte;
//  - outside, an RFC 3156 PGP/MIME multipart/encrypted message that says nothing about user or class.
// docs/sa-report.md "Report format" describes both.
import { randomBytes } from 'node:crypto';
import { SaTrainError } from '../errors.js';
import { fieldValue, parseContentType, parseFields, splitEntity, splitMultipart, unfold } from './mime.js';

export type ReportClass = 'spam' | 'ham';

export interface FeedbackReport {
  /** Unique report id (a UUID): the training side learns each id once. */
  id: string;
  class: ReportClass;
  /** When the user moved the message. */
  time: Date;
  /** The anonymized message, exact bytes (CRLF or LF as received; no From_ line). */
  message: Buffer;
  /** "sa-report/<version>". */
  userAgent: string;
  /** Host name of the reporting server (RFC 5965 Reporting-MTA), if given. */
  reportingMta?: string | undefined;
}

/** RFC 5965 Feedback-Type for each class (IANA registry: "abuse" and "not-spam"). */
export const FEEDBACK_TYPE: Record<ReportClass, string> = { spam: 'abuse', ham: 'not-spam' };
/** Extension fields of the machine-readable part (RFC 5965 3.1 ext-field). */
export const F_CLASS = 'X-SA-Report-Class';
export const F_ID = 'X-SA-Report-Id';
export const F_TIME = 'X-SA-Report-Time';

const CRLF = '\r\n';

function boundaryNotIn(...texts: (string | Buffer)[]): string {
  for (;;) {
    const b = `=_sa-report_${randomBytes(12).toString('hex')}`;
    if (texts.every((t) => !t.includes(b))) return b;
  }
}

/** The inner MIME entity (CRLF line ends outside the message part). */
export function buildFeedbackReport(r: FeedbackReport): Buffer {
  const b = boundaryNotIn(r.message);
  const time = r.time.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const human = `This is a ${r.class === 'spam' ? 'spam' : 'not-spam (ham)'} report from sa-report.${CRLF}The reported message is attached, anonymized.${CRLF}`;
  const machine = [
    `Feedback-Type: ${FEEDBACK_TYPE[r.class]}`,
    `User-Agent: ${r.userAgent}`,
    'Version: 1',
    ...(r.reportingMta ? [`Reporting-MTA: dns; ${r.reportingMta}`] : []),
    `${F_CLASS}: ${r.class}`,
    `${F_ID}: ${r.id}`,
    `${F_TIME}: ${time}`,
  ].join(CRLF);
  const head =
    `MIME-Version: 1.0${CRLF}` +
    `Content-Type: multipart/report; report-type=feedback-report;${CRLF} boundary="${b}"${CRLF}${CRLF}` +
    `--${b}${CRLF}Content-Type: text/plain; charset=us-ascii${CRLF}Content-Transfer-Encoding: 7bit${CRLF}${CRLF}${human}${CRLF}` +
    `--${b}${CRLF}Content-Type: message/feedback-report${CRLF}${CRLF}${machine}${CRLF}${CRLF}` +
    `--${b}${CRLF}Content-Type: message/rfc822${CRLF}Content-Transfer-Encoding: binary${CRLF}Content-Disposition: inline${CRLF}${CRLF}`;
  // The line end before the close delimiter belongs to the delimiter (RFC 2046 5.1.1), so the message
  // bytes come back exactly.
  return Buffer.concat([Buffer.from(head, 'latin1'), r.message, Buffer.from(`${CRLF}--${b}--${CRLF}`, 'latin1')]);
}

const invalid = (what: string): SaTrainError => new SaTrainError('MESSAGE_INVALID', `not an sa-report feedback report: ${what}`);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Parse a decrypted inner entity back into its report; throws MESSAGE_INVALID when it is not one. */
export function parseFeedbackReport(entity: Buffer): FeedbackReport {
  const s = entity.toString('latin1');
  const top = splitEntity(s);
  const ct = parseContentType(fieldValue(parseFields(top.header), 'content-type'));
  if (ct.mime !== 'multipart/report' || (ct.params.get('report-type') ?? '').toLowerCase() !== 'feedback-report')
    throw invalid(`content type ${ct.mime}`);
  const mp = splitMultipart(top.body, ct.params.get('boundary') ?? '');
  if (!mp) throw invalid('no MIME parts');
  let fields: Map<string, string> | undefined;
  let message: Buffer | undefined;
  // Latin-1 strings index bytes one to one, so offsets in `s` are offsets in `entity`.
  let pos = s.length - top.body.length + mp.preamble.length;
  for (const p of mp.parts) {
    pos += p.delimiter.length;
    const e = splitEntity(p.body);
    const pct = parseContentType(fieldValue(parseFields(e.header), 'content-type')).mime;
    if (pct === 'message/feedback-report' && !fields) {
      fields = new Map();
      for (const f of parseFields(e.body)) if (f.name) fields.set(f.name.toLowerCase(), unfold(f.value).trim());
    } else if ((pct === 'message/rfc822' || pct === 'message/global') && !message) {
      const start = pos + p.body.length - e.body.length;
      message = entity.subarray(start, start + e.body.length);
    }
    pos += p.body.length;
  }
  if (!fields) throw invalid('no message/feedback-report part');
  if (!message) throw invalid('no message/rfc822 part');
  const cls = fields.get(F_CLASS.toLowerCase());
  if (cls !== 'spam' && cls !== 'ham') throw invalid(`${F_CLASS} is ${JSON.stringify(cls)}`);
  const ft = (fields.get('feedback-type') ?? '').toLowerCase();
  if (ft !== FEEDBACK_TYPE[cls]) throw invalid(`Feedback-Type ${JSON.stringify(ft)} contradicts ${F_CLASS} ${cls}`);
  const id = fields.get(F_ID.toLowerCase()) ?? '';
  if (!UUID.test(id)) throw invalid(`${F_ID} is ${JSON.stringify(id)}`);
  const timeText = fields.get(F_TIME.toLowerCase()) ?? '';
  const time = new Date(timeText);
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z$/.test(timeText) || Number.isNaN(time.getTime())) throw invalid(`${F_TIME} is ${JSON.stringify(timeText)}`);
  const mta = /^dns;\s*(\S+)$/i.exec(fields.get('reporting-mta') ?? '');
  return { id: id.toLowerCase(), class: cls, time, message, userAgent: fields.get('user-agent') ?? '', reportingMta: mta ? mta[1] : undefined };
}
