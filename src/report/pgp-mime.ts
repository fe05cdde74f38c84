// RFC 3156 PGP/MIME: the outer message sent in clear around the signed and encrypted report (section 4,
// with the combined sign-and-encrypt of section 6.2). Its headers are fixed or random: nothing in them
// depends on the user, the class or the reported message.
import { randomBytes } from 'node:crypto';
import { SaTrainError } from '../errors.js';
import { fieldValue, parseContentType, parseFields, splitEntity, splitMultipart } from './mime.js';

export interface OuterHeaders {
  from: string;
  to: string;
  /** Host part of the Message-ID (the server's name). */
  domain: string;
  date?: Date;
}

/** The fixed Subject of every report: it must not reveal the class. */
export const OUTER_SUBJECT = 'sa-report feedback';
const CRLF = '\r\n';

/** RFC 5322 date in UTC ("Sat, 21 Nov 2026 09:00:00 +0000"). */
export function rfc5322Date(d: Date): string {
  return d.toUTCString().replace(/GMT$/, '+0000');
}

/** The message to send: `armored` is gpg's ASCII-armored output. */
export function buildPgpMime(armored: Buffer, h: OuterHeaders): Buffer {
  const b = `=_pgp_${randomBytes(12).toString('hex')}`;
  const armor = armored.toString('latin1').replace(/\r?\n/g, CRLF).replace(/(?:\r\n)+$/, '');
  const text =
    `From: ${h.from}${CRLF}` +
    `To: ${h.to}${CRLF}` +
    `Subject: ${OUTER_SUBJECT}${CRLF}` +
    `Date: ${rfc5322Date(h.date ?? new Date())}${CRLF}` +
    `Message-ID: <${randomBytes(16).toString('hex')}@${h.domain}>${CRLF}` +
    `MIME-Version: 1.0${CRLF}` +
    `Content-Type: multipart/encrypted; protocol="application/pgp-encrypted";${CRLF} boundary="${b}"${CRLF}` +
    `${CRLF}This is an OpenPGP/MIME encrypted message (RFC 3156).${CRLF}` +
    `--${b}${CRLF}Content-Type: application/pgp-encrypted${CRLF}Content-Description: PGP/MIME version identification${CRLF}${CRLF}Version: 1${CRLF}${CRLF}` +
    `--${b}${CRLF}Content-Type: application/octet-stream; name="encrypted.asc"${CRLF}Content-Description: OpenPGP encrypted message${CRLF}Content-Disposition: inline; filename="encrypted.asc"${CRLF}${CRLF}` +
    `${armor}${CRLF}${CRLF}--${b}--${CRLF}`;
  return Buffer.from(text, 'latin1');
}

const invalid = (what: string): SaTrainError => new SaTrainError('MESSAGE_INVALID', `not a PGP/MIME encrypted message: ${what}`);

/** The ASCII-armored OpenPGP message inside a PGP/MIME message (for the training side). */
export function parsePgpMime(raw: Buffer): Buffer {
  const top = splitEntity(raw.toString('latin1'));
  const ct = parseContentType(fieldValue(parseFields(top.header), 'content-type'));
  if (ct.mime !== 'multipart/encrypted') throw invalid(`content type ${ct.mime}`);
  if ((ct.params.get('protocol') ?? '').toLowerCase() !== 'application/pgp-encrypted') throw invalid('protocol is not application/pgp-encrypted');
  const mp = splitMultipart(top.body, ct.params.get('boundary') ?? '');
  if (!mp || mp.parts.length < 2) throw invalid('it needs two MIME parts');
  const control = splitEntity(mp.parts[0]!.body);
  if (parseContentType(fieldValue(parseFields(control.header), 'content-type')).mime !== 'application/pgp-encrypted' || !/^\s*Version:\s*1\s*$/m.test(control.body))
    throw invalid('the first part is not "application/pgp-encrypted" Version: 1');
  const data = splitEntity(mp.parts[1]!.body);
  if (parseContentType(fieldValue(parseFields(data.header), 'content-type')).mime !== 'application/octet-stream') throw invalid('the second part is not application/octet-stream');
  if (!data.body.includes('-----BEGIN PGP MESSAGE-----')) throw invalid('no armored OpenPGP message');
  return Buffer.from(data.body, 'latin1');
}
