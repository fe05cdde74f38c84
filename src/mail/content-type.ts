// Mirrors Mail::SpamAssassin::Util::parse_content_type (Util.pm).
// Input: the last Content-Type value (decoded header, binary string) or undefined when absent.
// Regexes follow Perl byte-string semantics: \s = [\t\n\x0B\f\r ], `.` = [^\n], `$` = end or before
// a final "\n".

export interface ContentType {
  /** Lowercased, sanitized MIME type; 'text/plain' when missing, empty or an unknown text/ type. */
  type: string;
  /** Boundary with double quotes removed, or undefined. */
  boundary: string | undefined;
  /** charset parameter as written (may be ''), or undefined. */
  charset: string | undefined;
  /** name / filename parameter (RFC 2231 continuations joined), or undefined. */
  name: string | undefined;
  /** The header was absent, empty or gave no type. */
  missing: boolean;
}

const DEFAULT_CT = 'text/plain; charset=us-ascii';
const RE_BOUNDARY = /\bboundary[\t\n\x0B\f\r ]*=[\t\n\x0B\f\r ]*("[^"]+|[^\t\n\x0B\f\r ";]+(?=[\t\n\x0B\f\r ;]|\n?$))/i;
const RE_CHARSET = /\bcharset[\t\n\x0B\f\r ]*=[\t\n\x0B\f\r ]*["']?([^\n]*?)["']?(?:;|\n?$)/i;
const RE_NAME = /\b(?:file)?name[\t\n\x0B\f\r ]*=[\t\n\x0B\f\r ]*["']?([^\n]*?)["']?(?:;|\n?$)/i;
const RE_NAME_CONT_START = /\b(?:file)?name\*0[\t\n\x0B\f\r ]*=/i;
const RE_NAME_CONT = /\b(?:file)?name\*(\d+)[\t\n\x0B\f\r ]*=[\t\n\x0B\f\r ]*["']?([^\n]*?)["']?(?:;|\n?$)/gi;
const RE_TYPE_ONLY = /^([^/]+(?:\/[^/\t\n\x0B\f\r ]*)?)[\s\S]*$/;
const RE_TEXT_WORD = /^text\b/;
const RE_TEXT_KEEP = /^text\/(?:x-vcard|calendar|html)\n?$/;
// tr/\000-\040\177-\377\042\050\051\054\072-\077\100\133-\135//d
const RE_BAD_TYPE_CHARS = /[\x00-\x20\x7f-\xff"(),:-?@[-\]]/g;
const RE_ASCII_UPPER = /[A-Z]+/g;
// eslint-disable-next-line no-control-regex
const RE_NON_ASCII = /[^\x00-\x7f]/;

/** Perl lc on a byte string: ASCII letters only. */
export function lcAscii(s: string): string {
  // toLowerCase would also fold Latin-1 letters (\xC0-\xDE), so it is only used on pure ASCII.
  return RE_NON_ASCII.test(s) ? s.replace(RE_ASCII_UPPER, (m) => m.toLowerCase()) : s.toLowerCase();
}

/** Perl \s on a byte: [\t\n\x0B\f\r ] */
function isPerlSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

/** Perl truthiness of a string: '' and '0' are false. */
function perlTrue(s: string | undefined): s is string {
  return s !== undefined && s !== '' && s !== '0';
}

export function parseContentType(value: string | undefined): ContentType {
  let missing = false;
  let ct: string;
  if (perlTrue(value)) ct = value;
  else {
    missing = true;
    ct = DEFAULT_CT;
  }

  // The parameter regexes (/i, ASCII folding) only run when their keyword is there.
  const lc = lcAscii(ct);
  const bm = lc.includes('boundary') ? RE_BOUNDARY.exec(ct) : null;
  const boundary = bm ? bm[1]!.replace(/"/g, '') : undefined;

  const cm = lc.includes('charset') ? RE_CHARSET.exec(ct) : null;
  const charset = cm ? cm[1]! : undefined;

  const hasName = lc.includes('name');
  const nm = hasName ? RE_NAME.exec(ct) : null;
  let name: string | undefined = nm ? nm[1]! : undefined;
  if (!perlTrue(name) && hasName && RE_NAME_CONT_START.test(ct)) {
    const pieces: string[] = [];
    RE_NAME_CONT.lastIndex = 0;
    for (let m = RE_NAME_CONT.exec(ct); m; m = RE_NAME_CONT.exec(ct)) {
      if (m[0] === '') RE_NAME_CONT.lastIndex++;
      const idx = Number(m[1]);
      // $name[$1] = $2: a huge index only makes a sparse array; joining skips the holes.
      pieces[idx] = m[2]!;
    }
    name = pieces.filter((p) => p !== undefined).join('');
  }

  // s/^\s+//; s/;.*$//s
  let start = 0;
  while (start < ct.length && isPerlSpace(ct.charCodeAt(start))) start++;
  const semi = ct.indexOf(';', start);
  ct = ct.slice(start, semi === -1 ? ct.length : semi);
  ct = ct.replace(RE_TYPE_ONLY, '$1');
  ct = lcAscii(ct);
  if (!perlTrue(ct)) missing = true;
  if (!perlTrue(ct) || (RE_TEXT_WORD.test(ct) && !RE_TEXT_KEEP.test(ct))) ct = 'text/plain';
  ct = ct.replace(RE_BAD_TYPE_CHARS, '');

  return { type: ct, boundary, charset, name, missing };
}
