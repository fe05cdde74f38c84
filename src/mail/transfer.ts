// Mirrors Mail::SpamAssassin::Util::qp_decode and base64_decode (Util.pm), as used by
// Message/Node.pm::decode and _decode_mime_encoded_word. Inputs and outputs are binary strings.

/** 6-bit values of the base64 alphabet; -1 = not a base64 letter. '=' is handled separately. */
const B64_VALUE: Int8Array = (() => {
  const t = new Int8Array(256).fill(-1);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < alphabet.length; i++) t[alphabet.charCodeAt(i)] = i;
  return t;
})();
const EQ = 64; // marker for '=' in the MIME::Base64 XS decoder

// Perl byte-string \s: [\t\n\x0B\f\r ].
const PERL_WS_RUN = /[\t\n\x0B\f\r ]+/g;
const QP_TRAILING_WS = /[ \t]+(?=\r?\n)/g;
const QP_SOFT_BREAK = /=\r?\n/g;
const B64_CLEAN = /^(?:[A-Za-z0-9+/=]{2,}={0,2})$/;
const EQ_ALL = /=/g;
const B64_NON_ALPHABET = /[^A-Za-z0-9+/=]+/g;

/** Hex digit value of a character code, -1 if not [0-9A-Fa-f]. */
function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  return l >= 0x61 && l <= 0x66 ? l - 0x57 : -1;
}

/** True if `s` has a blank before a line end (what QP_TRAILING_WS removes). */
function hasTrailingBlank(s: string): boolean {
  return s.includes(' \n') || s.includes('\t\n') || s.includes(' \r\n') || s.includes('\t\r\n');
}

/** Util.pm::qp_decode: trailing blanks before line ends, soft breaks, =XX escapes. No CRLF change. */
export function qpDecode(str: string): string {
  let s = hasTrailingBlank(str) ? str.replace(QP_TRAILING_WS, '') : str;
  let eq = s.indexOf('=');
  if (eq < 0) return s;
  s = s.replace(QP_SOFT_BREAK, '');
  // s/=([0-9a-fA-F]{2})/chr(hex($1))/ge, scanning left to right
  let out = '';
  let from = 0;
  for (eq = s.indexOf('='); eq >= 0; eq = s.indexOf('=', eq + 1)) {
    if (eq + 2 >= s.length) break;
    const hi = hexDigit(s.charCodeAt(eq + 1));
    if (hi < 0) continue;
    const lo = hexDigit(s.charCodeAt(eq + 2));
    if (lo < 0) continue;
    out += s.slice(from, eq) + String.fromCharCode(hi * 16 + lo);
    from = eq + 3;
    eq += 2;
  }
  return from === 0 ? s : out + s.slice(from);
}

/**
 * MIME::Base64::decode_base64 (XS): invalid characters are skipped, quads are decoded, decoding stops at
 * a quad whose first or second letter is '='; a short final group of 2 or 3 letters is padded.
 */
function decodeBase64Xs(s: string): string {
  const out: number[] = [];
  const n = s.length;
  let p = 0;
  const c = [0, 0, 0, 0];
  while (p < n) {
    let i = 0;
    let stop = false;
    for (;;) {
      const code = s.charCodeAt(p++);
      const v = code === 0x3d ? EQ : code < 256 ? B64_VALUE[code]! : -1;
      if (v >= 0) c[i++] = v;
      if (p === n) {
        if (i < 4) {
          if (i < 2) stop = true;
          else {
            if (i === 2) c[2] = EQ;
            c[3] = EQ;
          }
        }
        break;
      }
      if (i >= 4) break;
    }
    if (stop) break;
    if (c[0] === EQ || c[1] === EQ) break;
    out.push(((c[0]! << 2) | ((c[1]! & 0x30) >> 4)) & 0xff);
    if (c[2] === EQ) break;
    out.push((((c[1]! & 0x0f) << 4) | ((c[2]! & 0x3c) >> 2)) & 0xff);
    if (c[3] === EQ) break;
    out.push((((c[2]! & 0x03) << 6) | c[3]!) & 0xff);
  }
  return Buffer.from(out).toString('latin1');
}

/**
 * The lenient path of Util.pm::base64_decode (uuencode-table trick): only [A-Za-z0-9+/=] kept, trailing
 * '=' removed, an interior '=' counts as value 63 (tr's replacement list repeats its last char), one
 * trailing letter dropped if the length is 1 mod 4, partial final group decoded to 1 or 2 bytes.
 */
function decodeBase64Lenient(s: string): string {
  let t = s.replace(B64_NON_ALPHABET, '');
  // s/=+$// as a loop (the regex retries from every '=' of a long inner run: O(n^2))
  let e = t.length;
  while (e > 0 && t.charCodeAt(e - 1) === 0x3d) e--;
  if (e < t.length) t = t.slice(0, e);
  if (t.length % 4 === 1) t = t.slice(0, -1);
  const out = Buffer.alloc(Math.floor((t.length * 3) / 4));
  let o = 0;
  const val = (k: number): number => {
    const code = t.charCodeAt(k);
    return code === 0x3d ? 63 : B64_VALUE[code]!;
  };
  let k = 0;
  for (; k + 4 <= t.length; k += 4) {
    const a = val(k), b = val(k + 1), c = val(k + 2), d = val(k + 3);
    out[o++] = ((a << 2) | (b >> 4)) & 0xff;
    out[o++] = ((b << 4) | (c >> 2)) & 0xff;
    out[o++] = ((c << 6) | d) & 0xff;
  }
  const rest = t.length - k;
  if (rest >= 2) {
    const a = val(k), b = val(k + 1), c = rest === 3 ? val(k + 2) : 0;
    out[o++] = ((a << 2) | (b >> 4)) & 0xff;
    if (rest === 3) out[o++] = ((b << 4) | (c >> 2)) & 0xff;
  }
  return out.toString('latin1', 0, o);
}

/** Util.pm::base64_decode (whole input; the decoded_length variant is not used by the learner). */
export function base64Decode(input: string): string {
  const s = input.replace(PERL_WS_RUN, '');
  if (s.length % 4 === 0 && B64_CLEAN.test(s)) {
    // s/(=+)(?!=*$)/'A' x length($1)/ge: every '=' before the final run of '=' becomes 'A'
    let e = s.length;
    while (e > 0 && s.charCodeAt(e - 1) === 0x3d) e--;
    const t = s.lastIndexOf('=', e - 1) >= 0 ? s.slice(0, e).replace(EQ_ALL, 'A') + s.slice(e) : s;
    // Clean base64 with at most two final '=' decodes the same in Node (no quad starts with '=')
    if (t.length - e <= 2) return Buffer.from(t, 'base64').toString('latin1');
    return decodeBase64Xs(t);
  }
  return decodeBase64Lenient(s);
}
