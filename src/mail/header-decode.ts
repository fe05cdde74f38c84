// Mirrors Mail::SpamAssassin::Message::Node::_decode_header and _decode_mime_encoded_word (Message/Node.pm).
// Input: an unfolded, trimmed header value (binary string) and the lowercased header name.
// Output: UTF-8 octets (binary string).

import { normalize } from './charset.js';
import { encodeIfChars } from './perlstr.js';
import { base64Decode, qpDecode } from './transfer.js';
import { lcAscii } from './content-type.js';

const RE_FOLD = /\n[ \t]/g;
const RE_NEWLINES = /\r?\n/g;
// eslint-disable-next-line no-control-regex
const RE_NON_ASCII = /[^\x00-\x7f]/;
// Bug 6945: fields whose encoded words are never decoded.
const RE_NO_DECODE = /^(?:Received|(?:Resent-)?(?:Message-ID|Date)|MIME-Version|References|In-Reply-To|List-[\s\S]*)$/i;
const EW = '=\\?[A-Za-z0-9*_-]+\\?[bqBQ]\\?[^?]*\\?=';
// Whitespace between two adjacent encoded words is dropped (Perl \s on bytes).
const RE_EW_GAP = new RegExp(`(${EW})[\\t\\n\\x0B\\f\\r ]+(?=${EW})`, 'g');
// One encoded word or one literal run ([^=]+ or any single char), scanned with \G semantics.
const RE_EW_SCAN = /=\?([A-Za-z0-9*_-]+)\?([bqBQ])\?([^?]*)\?=|([^=]+|[\s\S])/y;
const RE_LANG_SUFFIX = /\*[\s\S]*$/;
const RE_UNDERSCORE = /_/g;

/** _decode_mime_encoded_word without a charset: base64 or Q payload to bytes. */
function decodeWordPayload(cte: string, data: string): string {
  if (cte === 'B' || cte === 'b') return base64Decode(data);
  return qpDecode(data.replace(RE_UNDERSCORE, '=20'));
}

/** Node.pm::_decode_header. `name` is the header name (any case). */
export function decodeHeader(value: string, name: string): string {
  if (value === '') return '';
  let body = value.includes('\n') ? value.replace(RE_FOLD, '\n ').replace(RE_NEWLINES, '') : value;
  if (RE_NON_ASCII.test(body)) {
    body = encodeIfChars(normalize(body, 'UTF-8', false));
  }
  if (body.indexOf('=?') === -1 || RE_NO_DECODE.test(name)) return body;

  body = body.replace(RE_EW_GAP, '$1');

  // Sections [text, lowercased charset]; adjacent sections with the same charset are joined as
  // bytes before transcoding (bug 7249/7307).
  const texts: string[] = [];
  const encs: string[] = [];
  let last = '';
  RE_EW_SCAN.lastIndex = 0;
  while (RE_EW_SCAN.lastIndex < body.length) {
    const m = RE_EW_SCAN.exec(body);
    if (!m) break;
    let enc: string;
    let str: string;
    if (m[1] !== undefined) {
      enc = lcAscii(m[1]);
      str = decodeWordPayload(m[2]!, m[3]!);
    } else {
      enc = '';
      str = m[4]!;
    }
    if (enc === last && texts.length > 0) texts[texts.length - 1] += str;
    else {
      texts.push(str);
      encs.push(enc);
    }
    last = enc;
  }

  let out = '';
  for (let i = 0; i < texts.length; i++) {
    const enc = encs[i]!.replace(RE_LANG_SUFFIX, '');
    out += enc === '' ? texts[i]! : encodeIfChars(normalize(texts[i]!, enc, false, true));
  }
  return out;
}
