// Mirrors Encode::Unicode::UTF7::decode (Encode/Unicode/UTF7.pm). It never fails and ignores the check
// argument: text outside "+...-" passes through byte for byte (8-bit bytes become U+0080..U+00FF), "+-" is
// "+", "+<base64>[-]" is base64 (MIME::Base64 decode_base64 after "=" padding) then UTF-16BE with check 0,
// a bare "+" stays "+".
import { decodeUnicode, UNICODE_FORMS } from './utf16.js';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64VAL = new Int8Array(256).fill(-1);
for (let i = 0; i < 64; i++) B64VAL[B64.charCodeAt(i)] = i;

/** decode_base64 of a run of base64 characters (no padding needed: a final 1-char group yields nothing). */
function base64Bytes(s: string): string {
  let out = '';
  let acc = 0, bits = 0;
  for (let i = 0; i < s.length; i++) {
    acc = ((acc << 6) | B64VAL[s.charCodeAt(i)]!) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += String.fromCharCode((acc >> bits) & 0xff);
    }
  }
  return out;
}

const SCAN = /([^+]+)|(\+-)|\+([A-Za-z0-9+/]+)-?|(\+)/gy;

/** `chars` is false when no base64 run was met: Perl's result then stays a byte string. */
export function decodeUtf7(data: string): { s: string; chars: boolean } {
  let out = '';
  let chars = false;
  SCAN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while (SCAN.lastIndex < data.length && (m = SCAN.exec(data)) !== null) {
    if (m[1] !== undefined) out += m[1];
    else if (m[2] !== undefined || m[4] !== undefined) out += '+';
    else {
      out += decodeUnicode(UNICODE_FORMS['UTF-16BE']!, base64Bytes(m[3]!), false)!;
      chars = true;
    }
  }
  return { s: out, chars };
}
