// Mirrors message_address_parse and compose_address of the Dovecot address parser bundled in
// Email::Address::XS 1.05 (dovecot-parser.c, from Dovecot 2.3.14), with the flags the 1.05 XS glue
// uses: no fill-in of missing parts, dots checked non-strictly but marked invalid
// (MESSAGE_ADDRESS_PARSE_FLAG_NON_STRICT_DOTS_AS_INVALID behaviour: ".user", "us..er" parse with the
// usual dot-atom rules and only set the invalid flag), NUL bytes not replaced.
//
// Behaviour derived from Email::Address::XS (Copyright (c) 2015-2022 Pali Rohár) and Dovecot
// (Copyright (c) 2002-2021 Dovecot authors), both under the MIT licence; checked against the installed
// module with tools/probes/address-xs.pl.
//
// Input is a byte string (JS binary string, one char per byte). The C code works on a NUL-terminated
// buffer and sometimes reads the byte at `end`; `at()` returns 0 there, as the C terminator does.
// Every function moves forward over the input; the only re-scans are the group / name-addr / addr-spec
// attempts of one address, each bounded by that address, so the parse is linear.

/** One struct message_address: a mailbox, or a group marker (domain === null). */
export interface MessageAddress {
  name: string | null;
  route: string | null;
  mailbox: string | null;
  domain: string | null;
  comment: string | null;
  invalid: boolean;
}

// rfc822_atext_chars: every byte >= 0x80 and the RFC 5322 atext set.
const ATEXT = new Uint8Array(256);
for (let c = 0x80; c < 256; c++) ATEXT[c] = 1;
for (const ch of "!#$%&'*+-/=?^_`{|}~0123456789") ATEXT[ch.charCodeAt(0)] = 1;
for (let c = 0x41; c <= 0x5a; c++) ATEXT[c] = ATEXT[c + 0x20] = 1;

const isAtext = (c: number): boolean => ATEXT[c] === 1;

const C_NUL = 0x00;
const C_TAB = 0x09;
const C_LF = 0x0a;
const C_CR = 0x0d;
const C_SP = 0x20;
const C_DQUOTE = 0x22;
const C_LPAREN = 0x28;
const C_RPAREN = 0x29;
const C_COMMA = 0x2c;
const C_DOT = 0x2e;
const C_COLON = 0x3a;
const C_SEMI = 0x3b;
const C_LT = 0x3c;
const C_GT = 0x3e;
const C_AT = 0x40;
const C_LBRACKET = 0x5b;
const C_BACKSLASH = 0x5c;
const C_RBRACKET = 0x5d;

// Return codes of the C functions: 1 = more input, 0 = end of input, -1 = invalid, -2 = dot/char problem
// (tolerated, marks the address invalid). parse_addr_spec also uses -3 for "no domain attempted".
const NO_DOMAIN = -3;

function emptyAddress(): MessageAddress {
  return { name: null, route: null, mailbox: null, domain: null, comment: null, invalid: false };
}

class Parser {
  private p = 0;
  private readonly end: number;
  /** rfc822_parser_context.last_comment: the text of the last comment skipped. */
  private lastComment = '';
  /** message_address_parser_context.str: scratch buffer. */
  private str = '';
  private addr: MessageAddress = emptyAddress();
  readonly out: MessageAddress[] = [];

  constructor(private readonly s: string) {
    this.end = s.length;
  }

  private at(i: number): number {
    return i < this.end ? this.s.charCodeAt(i) : C_NUL;
  }

  // ---- rfc822-parser ----

  /** rfc822_skip_comment; p is at '('. */
  private skipComment(): number {
    const s = this.s;
    let level = 1;
    this.lastComment = '';
    let start = ++this.p;
    for (; this.p < this.end; this.p++) {
      const c = s.charCodeAt(this.p);
      if (c === C_NUL) {
        return -1;
      } else if (c === C_LPAREN) {
        level++;
      } else if (c === C_RPAREN) {
        if (--level === 0) {
          this.lastComment += s.slice(start, this.p);
          this.p++;
          return this.p < this.end ? 1 : 0;
        }
      } else if (c === C_LF) {
        // folding whitespace: drop the (CR)LF
        let len = this.p - start;
        if (len > 0 && s.charCodeAt(this.p - 1) === C_CR) len--;
        this.lastComment += s.slice(start, start + len);
        start = this.p + 1;
      } else if (c === C_BACKSLASH) {
        this.p++;
        if (this.p >= this.end) return -1;
        this.lastComment += s.slice(start, this.p - 1);
        start = this.p;
      }
    }
    return -1; // missing ')'
  }

  /** rfc822_skip_lwsp: spaces, tabs, CR, LF and comments. */
  private skipLwsp(): number {
    const s = this.s;
    while (this.p < this.end) {
      const c = s.charCodeAt(this.p);
      if (c === C_SP || c === C_TAB || c === C_CR || c === C_LF) {
        this.p++;
        continue;
      }
      if (c !== C_LPAREN) break;
      if (this.skipComment() < 0) return -1;
    }
    return this.p < this.end ? 1 : 0;
  }

  /** rfc822_parse_dot_atom, appending to this.str. */
  private parseDotAtom(stopTrailingDot: boolean): number {
    const s = this.s;
    if (this.p >= this.end || !isAtext(s.charCodeAt(this.p))) return -1;
    let lastDotPtr = this.p;
    let lastIsDot = false;
    let dotProblem = false;
    let ret = 0;
    let start = this.p++;
    while (this.p < this.end) {
      if (isAtext(s.charCodeAt(this.p))) {
        this.p++;
        continue;
      }
      this.str += s.slice(start, this.p);
      if (this.p - start > 0) lastIsDot = false;
      if ((ret = this.skipLwsp()) <= 0) return dotProblem && ret >= 0 ? -2 : ret;
      if (s.charCodeAt(this.p) !== C_DOT) {
        if (lastIsDot && stopTrailingDot) {
          this.p = lastDotPtr;
          return dotProblem ? -2 : 1;
        }
        return lastIsDot || dotProblem ? -2 : 1;
      }
      if (lastIsDot) dotProblem = true;
      lastDotPtr = this.p;
      this.p++;
      this.str += '.';
      lastIsDot = true;
      // The C code tests the new skip but returns the previous `ret` (always 1 here).
      if (this.skipLwsp() <= 0) return dotProblem && ret >= 0 ? -2 : ret;
      start = this.p;
    }
    this.str += s.slice(start, this.p);
    return dotProblem ? -2 : 0;
  }

  /** rfc822_parse_quoted_string; p is at '"'. Unescapes; keeps CR/LF. */
  private parseQuotedString(): number {
    const s = this.s;
    this.p++;
    let charProblem = false;
    let start = this.p;
    for (; this.p < this.end; this.p++) {
      const c = s.charCodeAt(this.p);
      if (c === C_NUL) {
        charProblem = true;
      } else if (c === C_DQUOTE) {
        this.str += s.slice(start, this.p);
        this.p++;
        const ret = this.skipLwsp();
        return charProblem && ret >= 0 ? -2 : ret;
      } else if (c === C_CR) {
        if (this.p + 1 < this.end && s.charCodeAt(this.p + 1) !== C_LF) charProblem = true;
      } else if (c === C_LF) {
        if (this.p - start === 0 || s.charCodeAt(this.p - 1) !== C_CR) charProblem = true;
      } else if (c === C_BACKSLASH) {
        this.p++;
        if (this.p >= this.end) return -1;
        this.str += s.slice(start, this.p - 1) + s[this.p];
        start = this.p + 1;
      }
    }
    return -1; // missing '"'
  }

  /** rfc822_parse_atom_or_dot: a run of atext and '.', possibly empty, then LWSP. */
  private parseAtomOrDot(): number {
    const s = this.s;
    const start = this.p;
    while (this.p < this.end) {
      const c = s.charCodeAt(this.p);
      if (isAtext(c) || c === C_DOT) {
        this.p++;
        continue;
      }
      this.str += s.slice(start, this.p);
      return this.skipLwsp();
    }
    this.str += s.slice(start, this.p);
    return 0;
  }

  /** rfc822_parse_phrase: words joined by single spaces into this.str. */
  private parsePhrase(): number {
    let charProblem = false;
    if (this.p >= this.end) return 0;
    if (this.s.charCodeAt(this.p) === C_DOT) return -1;
    let ret: number;
    for (;;) {
      ret = this.s.charCodeAt(this.p) === C_DQUOTE ? this.parseQuotedString() : this.parseAtomOrDot();
      if (ret <= 0 && ret !== -2) return charProblem && ret === 0 ? -2 : ret;
      if (ret === -2) {
        charProblem = true;
        if (this.p >= this.end) return -2;
      }
      const c = this.s.charCodeAt(this.p);
      if (!isAtext(c) && c !== C_DQUOTE && c !== C_DOT) break;
      this.str += ' ';
    }
    ret = this.skipLwsp();
    return charProblem && ret >= 0 ? -2 : ret;
  }

  /** rfc822_parse_domain_literal; p is at '['. Keeps the brackets and backslashes. */
  private parseDomainLiteral(): number {
    const s = this.s;
    let start = this.p++;
    for (; this.p < this.end; this.p++) {
      const c = s.charCodeAt(this.p);
      if (c === C_NUL || c === C_LBRACKET) {
        return -1;
      } else if (c === C_RBRACKET) {
        this.str += s.slice(start, this.p + 1);
        this.p++;
        return this.skipLwsp();
      } else if (c === C_LF) {
        let len = this.p - start;
        if (len > 0 && s.charCodeAt(this.p - 1) === C_CR) len--;
        this.str += s.slice(start, start + len);
        start = this.p + 1;
      } else if (c === C_BACKSLASH) {
        this.p++;
        if (this.p >= this.end) return -1;
      }
    }
    return -1; // missing ']'
  }

  /** rfc822_parse_domain; p is at '@'. */
  private parseDomainPart(): number {
    this.p++;
    if (this.skipLwsp() <= 0) return -1;
    if (this.s.charCodeAt(this.p) === C_LBRACKET) return this.parseDomainLiteral();
    return this.parseDotAtom(false);
  }

  // ---- message-address ----

  private addAddress(): void {
    this.out.push(this.addr);
    this.addr = emptyAddress();
  }

  /** parse_local_part: word *("." word); the dots between words are skipped, not copied. */
  private parseLocalPart(): number {
    this.str = '';
    let charProblem = false;
    let ret = 0;
    while (this.p < this.end) {
      ret = this.s.charCodeAt(this.p) === C_DQUOTE ? this.parseQuotedString() : this.parseDotAtom(true);
      if (ret < 0 && ret !== -2) return -1;
      if (ret === -2) charProblem = true;
      if (this.p >= this.end) break;
      if ((ret = this.skipLwsp()) <= 0) break;
      if (this.s.charCodeAt(this.p) !== C_DOT) break;
      this.p++;
      if (this.p >= this.end) {
        charProblem = true;
        break;
      }
      if ((ret = this.skipLwsp()) <= 0) break;
      if (this.p >= this.end || this.s.charCodeAt(this.p) === C_AT) {
        charProblem = true;
        break;
      }
    }
    if (charProblem || ret < 0) this.addr.invalid = true;
    this.addr.mailbox = this.str;
    return ret;
  }

  /** parse_domain */
  private parseDomain(): number {
    this.str = '';
    const ret = this.parseDomainPart();
    if (ret < 0 && ret !== -2) return -1;
    this.addr.domain = this.str;
    return ret;
  }

  /** parse_domain_list: obs-domain-list = "@" domain *(*(CFWS / ",") [CFWS] "@" domain) */
  private parseDomainList(): number {
    this.str = '';
    let dotProblem = false;
    for (;;) {
      if (this.p >= this.end) return dotProblem ? -2 : 0;
      if (this.s.charCodeAt(this.p) !== C_AT) break;
      if (this.str.length > 0) this.str += ',';
      this.str += '@';
      const ret = this.parseDomainPart();
      if (ret <= 0 && ret !== -2) return ret;
      if (ret === -2) dotProblem = true;
      while (this.skipLwsp() > 0 && this.s.charCodeAt(this.p) === C_COMMA) this.p++;
    }
    this.addr.route = this.str;
    return dotProblem ? -2 : 1;
  }

  /** parse_angle_addr (not a path); p is at '<'. */
  private parseAngleAddr(): number {
    let ret: number;
    this.p++;
    if (this.skipLwsp() <= 0) return -1;
    if (this.s.charCodeAt(this.p) === C_AT) {
      ret = this.parseDomainList();
      if (ret > 0 && this.s.charCodeAt(this.p) === C_COLON) {
        this.p++;
      } else {
        this.addr.invalid = true;
        if (this.p >= this.end) return -1;
        if (ret === -2) this.p++;
        // try to continue anyway
      }
      if (this.skipLwsp() <= 0) return -1;
    }
    if (this.at(this.p) !== C_GT) {
      ret = this.parseLocalPart();
      if (ret <= 0 && ret !== -2) return -1;
      if (ret === -2) this.addr.invalid = true;
      if (this.p >= this.end) return 0;
      if (this.s.charCodeAt(this.p) === C_AT) {
        ret = this.parseDomain();
        if (ret <= 0 && ret !== -2) return -1;
        if (ret === -2) this.addr.invalid = true;
        if (this.p >= this.end) return 0;
      }
    }
    if (this.at(this.p) !== C_GT) return -1;
    this.p++;
    return this.skipLwsp();
  }

  /** parse_name_addr: [display-name] angle-addr; -1 only when it is not one. */
  private parseNameAddr(): number {
    this.str = '';
    const ret = this.parsePhrase();
    if ((ret <= 0 && ret !== -2) || this.at(this.p) !== C_LT) return -1;
    if (ret === -2) this.addr.invalid = true;
    this.addr.name = this.str.length === 0 ? null : this.str;
    this.lastComment = '';
    if (this.parseAngleAddr() < 0) this.addr.invalid = true;
    if (this.lastComment.length > 0) this.addr.comment = this.lastComment;
    return this.p < this.end ? 1 : 0;
  }

  /** parse_addr_spec: local-part ["@" domain]. */
  private parseAddrSpec(): number {
    let ret2 = NO_DOMAIN;
    this.lastComment = '';
    let ret = this.parseLocalPart();
    if (ret <= 0) this.addr.invalid = true;
    if (ret !== 0 && this.p < this.end && this.s.charCodeAt(this.p) === C_AT) {
      ret2 = this.parseDomain();
      if (ret2 <= 0 && ret !== -2) ret = ret2;
      if (ret2 === -2) {
        this.addr.invalid = true;
        if (this.p >= this.end) ret = 0;
      }
    }
    if (this.lastComment.length > 0) this.addr.comment = this.lastComment;
    return ret;
  }

  /** add_fixed_address: a missing mailbox or domain becomes "" (and invalid). */
  private addFixedAddress(): void {
    const a = this.addr;
    if (a.mailbox === null) {
      a.mailbox = '';
      a.invalid = true;
    }
    if (a.domain === null || a.domain.length === 0) {
      a.domain = '';
      a.invalid = true;
    }
    this.addAddress();
  }

  /** parse_mailbox: name-addr / addr-spec; a lone word without domain becomes the name. */
  private parseMailbox(): number {
    const start = this.p;
    let ret = this.parseNameAddr();
    if (ret < 0) {
      const a = this.addr;
      a.name = a.route = a.mailbox = a.domain = a.comment = null;
      this.p = start;
      ret = this.parseAddrSpec();
      if (a.invalid && a.name === null && a.mailbox !== null && a.domain === null) {
        a.name = a.mailbox;
        a.mailbox = null;
      }
    }
    if (ret < 0) this.addr.invalid = true;
    this.addFixedAddress();
    return ret;
  }

  /** parse_group: display-name ":" [mailbox-list / CFWS] ";" -- -1 only when it is not a group. */
  private parseGroup(): number {
    this.str = '';
    let ret = this.parsePhrase();
    if ((ret <= 0 && ret !== -2) || this.at(this.p) !== C_COLON) return -1;
    if (ret === -2) this.addr.invalid = true;
    this.p++;
    if ((ret = this.skipLwsp()) <= 0) this.addr.invalid = true;
    this.addr.mailbox = this.str; // group start marker: domain stays null
    this.addAddress();
    if (ret > 0 && this.s.charCodeAt(this.p) !== C_SEMI) {
      for (;;) {
        this.parseMailbox(); // a broken mailbox does not stop the group
        if (this.p >= this.end || this.s.charCodeAt(this.p) !== C_COMMA) break;
        this.p++;
        if (this.skipLwsp() <= 0) {
          ret = -1;
          break;
        }
      }
    }
    if (ret >= 0) {
      if (this.p >= this.end || this.s.charCodeAt(this.p) !== C_SEMI) {
        ret = -1;
      } else {
        this.p++;
        ret = this.skipLwsp();
      }
    }
    if (ret < 0) this.addr.invalid = true;
    this.addAddress(); // group end marker
    return ret === 0 ? 0 : 1;
  }

  /** parse_address: group / mailbox. */
  private parseAddress(): number {
    const start = this.p;
    const ret = this.parseGroup();
    if (ret >= 0) return ret;
    this.p = start;
    return this.parseMailbox();
  }

  /** parse_address_list: address *("," address); stops at the first thing that is not a ",". */
  private parseAddressList(): void {
    for (;;) {
      if (this.parseAddress() === 0) break;
      if (this.p >= this.end || this.s.charCodeAt(this.p) !== C_COMMA) {
        this.out[this.out.length - 1]!.invalid = true;
        break;
      }
      this.p++;
      const ret = this.skipLwsp();
      if (ret <= 0) {
        if (ret < 0) this.addFixedAddress(); // ends with garbage: an empty address
        break;
      }
    }
  }

  /** message_address_parse */
  parse(): MessageAddress[] {
    if (this.skipLwsp() <= 0) return this.out; // no addresses
    this.parseAddressList();
    return this.out;
  }
}

/**
 * Dovecot's message_address_parse as Email::Address::XS 1.05 calls it: every mailbox in order, with
 * group start/end markers (domain === null) around group members. Mailboxes always have a non-null
 * mailbox and domain ("" when missing).
 */
export function messageAddressParse(input: string): MessageAddress[] {
  return new Parser(input).parse();
}

/** The characters str_append_maybe_escape backslash-escapes inside quotes (non-qtext). */
function needsEscape(c: number): boolean {
  return c === C_DQUOTE || c === C_BACKSLASH || c === C_NUL || c === C_TAB || c === C_LF || c === C_CR;
}

/** str_append_maybe_escape(data, quote_dot = false): quote and escape a local part when needed. */
function maybeEscape(data: string): string {
  const len = data.length;
  if (len === 0) return '""';
  // a leading or trailing dot always needs quoting
  const quoteDot = data.charCodeAt(0) === C_DOT || data.charCodeAt(len - 1) === C_DOT;
  let plain = true;
  let escape = false;
  for (let i = 0; i < len; i++) {
    const c = data.charCodeAt(i);
    if (!isAtext(c) && (quoteDot || c !== C_DOT)) plain = false;
    if (needsEscape(c)) escape = true;
  }
  if (plain) return data;
  if (!escape) return '"' + data + '"';
  let out = '"';
  for (let i = 0; i < len; i++) {
    if (needsEscape(data.charCodeAt(i))) out += '\\';
    out += data[i];
  }
  return out + '"';
}

/** compose_address(mailbox, domain): the escaped addr-spec. */
export function composeAddress(mailbox: string, domain: string): string {
  return maybeEscape(mailbox) + '@' + domain;
}
