// Remove the reporting user's identity from a message and leave every other byte as it was: it is what
// the Bayes learner will read. docs/sa-report.md ("Privacy") lists exactly what changes and why.
import { PLACEHOLDER, makeMatcher, rewriteRecipientList, rewriteUserMailboxes, type Identity, type Matcher } from './addresses.js';
import {
  b64Decode,
  b64Encode,
  eolOf,
  fieldValue,
  joinMultipart,
  mapEncodedWords,
  parseContentType,
  parseFields,
  qpDecode,
  qpEncode,
  splitEntity,
  splitMultipart,
  type Field,
} from './mime.js';

/**
 * Recipient header fields: every address in them is replaced (not only the user's), with display
 * names and comments, because together they name the user and the people they correspond with.
 */
export const RECIPIENT_HEADERS: ReadonlySet<string> = new Set([
  'to', 'cc', 'bcc', 'resent-to', 'resent-cc', 'resent-bcc',
  'delivered-to', 'x-delivered-to', 'x-original-delivered-to', 'x-original-to', 'x-orig-to',
  'envelope-to', 'x-envelope-to', 'x-rcpt-to', 'x-real-to', 'apparently-to', 'x-apparently-to',
  'spam-apparently-to', 'x-spam-apparently-to', 'original-recipient', 'x-original-recipient',
  'x-envelope-recipient', 'x-resolved-to', 'x-forwarded-to', 'x-sympa-to',
  'x-ms-exchange-organization-originalenveloperecipients',
]);

/** Originator-type fields: a mailbox of the user (with its display name) becomes the placeholder. */
export const ORIGINATOR_HEADERS: ReadonlySet<string> = new Set([
  'from', 'sender', 'reply-to', 'return-path', 'errors-to', 'mail-followup-to', 'mail-reply-to',
  'resent-from', 'resent-sender', 'resent-reply-to', 'disposition-notification-to', 'return-receipt-to',
  'x-sender', 'x-original-from', 'original-from', 'x-envelope-from', 'x-original-sender',
]);

// Deeper MIME nesting is left as it is (after the plain-text address pass): real mail nests a few levels;
// a bomb must not cost time inside Dovecot's 10 s budget.
const MAX_DEPTH = 30;

// "for <a@b>", "for a@b", "for <a@b>, <c@d>" in Received fields.
const FOR_ADDR = '(?:<[^<>]*>|[^\\s<>;(),]*@[^\\s<>;(),]+)';
const RECEIVED_FOR = new RegExp(`(\\bfor[ \\t\\r\\n]+)(${FOR_ADDR}(?:[ \\t\\r\\n]*,[ \\t\\r\\n]*${FOR_ADDR})*)`, 'gi');
const RECEIVED_FOR_LOCAL = /(\bfor[ \t\r\n]+)([^\s<>;(),@]+)(?=[\s;()]|$)/gi;

export interface AnonymizeStats {
  recipientFields: number;
  receivedFor: number;
  otherFields: number;
  textParts: number;
}

export interface Anonymizer {
  /** Anonymize one message (a binary string, no From_ line). */
  message(raw: string, stats?: AnonymizeStats): string;
  readonly matcher: Matcher;
}

export function makeAnonymizer(id: Identity, delimiters = '+'): Anonymizer {
  const m = makeMatcher(id, delimiters);
  return { message: (raw, stats) => entity(raw, m, 0, stats ?? newStats()), matcher: m };
}

export const newStats = (): AnonymizeStats => ({ recipientFields: 0, receivedFor: 0, otherFields: 0, textParts: 0 });

export function anonymize(raw: string, id: Identity, delimiters = '+'): string {
  return makeAnonymizer(id, delimiters).message(raw);
}

function rewriteReceived(value: string, m: Matcher, stats: AnonymizeStats): string {
  let v = value.replace(RECEIVED_FOR, (_all, lead: string, what: string) => {
    stats.receivedFor++;
    return `${lead}${what.startsWith('<') ? `<${PLACEHOLDER}>` : PLACEHOLDER}`;
  });
  if (m.localParts.size > 0) {
    v = v.replace(RECEIVED_FOR_LOCAL, (all, lead: string, what: string) => {
      if (!m.localParts.has(what.toLowerCase())) return all;
      stats.receivedFor++;
      return `${lead}${PLACEHOLDER}`;
    });
  }
  return v;
}

function field(f: Field, m: Matcher, stats: AnonymizeStats): string {
  if (f.name === '') {
    const v = m.replace(f.value);
    return v === f.value ? f.raw : v + f.eol;
  }
  const lname = f.name.toLowerCase();
  let v = f.value;
  if (RECIPIENT_HEADERS.has(lname)) {
    const r = rewriteRecipientList(v, f.name.length, f.eol === '' ? '\r\n' : f.eol);
    if (r !== null && r !== v) {
      stats.recipientFields++;
      v = r;
    }
  } else if (lname === 'received') {
    v = rewriteReceived(v, m, stats);
  } else if (ORIGINATOR_HEADERS.has(lname)) {
    v = rewriteUserMailboxes(v, m);
  }
  const before = v;
  v = m.replace(mapEncodedWords(v, (bytes) => m.replace(bytes)));
  if (v !== before) stats.otherFields++;
  return v === f.value ? f.raw : `${f.name}:${v}${f.eol}`;
}

/** A text body: the plain pass on the encoded bytes, then decode, replace, re-encode only if needed. */
function textBody(body: string, cte: string, m: Matcher, stats: AnonymizeStats): string {
  const raw = m.replace(body);
  let out = raw;
  if (cte === 'quoted-printable') {
    const dec = qpDecode(raw);
    const rep = m.replace(dec);
    if (rep !== dec) out = qpEncode(rep, eolOf(body));
  } else if (cte === 'base64') {
    const dec = b64Decode(raw);
    const rep = m.replace(dec);
    if (rep !== dec) {
      const eol = eolOf(body);
      const first = body.indexOf('\n');
      const lineLen = first < 0 ? 76 : body.slice(0, first).replace(/\r$/, '').length;
      out = b64Encode(rep, lineLen, eol) + (/\r?\n$/.test(body) ? eol : '');
    }
  }
  if (out !== body) stats.textParts++;
  return out;
}

function entity(raw: string, m: Matcher, depth: number, stats: AnonymizeStats): string {
  const ent = splitEntity(raw);
  const fields = parseFields(ent.header);
  let header = '';
  for (const f of fields) header += field(f, m, stats);
  const ct = parseContentType(fieldValue(fields, 'content-type'));
  const cte = (fieldValue(fields, 'content-transfer-encoding') ?? '').trim().toLowerCase();
  let body = ent.body;
  if (depth >= MAX_DEPTH) {
    body = m.replace(body);
  } else if (ct.mime.startsWith('multipart/') && ct.params.get('boundary')) {
    const mp = splitMultipart(body, ct.params.get('boundary')!);
    if (mp) {
      mp.preamble = m.replace(mp.preamble);
      mp.epilogue = m.replace(mp.epilogue);
      for (const p of mp.parts) p.body = entity(p.body, m, depth + 1, stats);
      body = joinMultipart(mp);
    } else body = m.replace(body);
  } else if (ct.mime === 'message/rfc822' || ct.mime === 'message/global') {
    if (cte === 'base64' || cte === 'quoted-printable') {
      const dec = cte === 'base64' ? b64Decode(body) : qpDecode(body);
      const rep = entity(dec, m, depth + 1, stats);
      if (rep !== dec) body = cte === 'base64' ? b64Encode(rep, 76, eolOf(body)) + eolOf(body) : qpEncode(rep, eolOf(body));
    } else body = entity(body, m, depth + 1, stats);
  } else if (ct.mime.startsWith('text/')) {
    body = textBody(body, cte, m, stats);
  } else if (cte !== 'base64') {
    // Not text: only the plain pass over bytes that are not encoded (7bit, 8bit, binary, QP).
    body = m.replace(body);
  }
  return header + ent.sep + body;
}
