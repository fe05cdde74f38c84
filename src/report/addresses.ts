// The reporting user's addresses: which ones they are (from --user, the config and Dovecot's
// environment), a matcher that finds them in any text (plain, URL-encoded, QP, HTML entities), and the
// address-list rewriting used on recipient and originator header fields.

/** What every removed address becomes (RFC 2606 reserves .invalid). */
export const PLACEHOLDER_LOCAL = 'anonymous';
export const PLACEHOLDER_DOMAIN = 'anonymized.invalid';
export const PLACEHOLDER = `${PLACEHOLDER_LOCAL}@${PLACEHOLDER_DOMAIN}`;

export interface IdentitySources {
  /** The Dovecot user name (%u / ${username}): a full address or a bare login. */
  user?: string | undefined;
  /** More addresses of this user (--address, RECIPIENT / ORIG_RECIPIENT, the address file). */
  extra?: readonly string[];
  /** Mail domains served here: a bare login L becomes L@D for each, and user@D1 also gives user@D2. */
  localDomains?: readonly string[];
}

export interface Identity {
  /** Lower-case addresses local@domain. */
  addresses: string[];
  /** Lower-case local parts (and bare logins), for Received "for alice" clauses. */
  localParts: string[];
}

const SIMPLE_ADDR = /^[^\s@<>()",;:]+@[^\s@<>()",;:]+$/;
const SIMPLE_LOCAL = /^[^\s@<>()",;:]+$/;

export function identityOf(src: IdentitySources): Identity {
  const addrs = new Set<string>();
  const locals = new Set<string>();
  const domains = (src.localDomains ?? []).map((d) => d.toLowerCase()).filter((d) => d !== '');
  const add = (a: string): void => {
    const v = a.trim().replace(/^<(.*)>$/, '$1').toLowerCase();
    if (SIMPLE_ADDR.test(v)) {
      addrs.add(v);
      const local = v.slice(0, v.lastIndexOf('@'));
      locals.add(local);
      if (domains.includes(v.slice(v.lastIndexOf('@') + 1))) for (const d of domains) addrs.add(`${local}@${d}`);
    } else if (SIMPLE_LOCAL.test(v)) {
      locals.add(v);
      for (const d of domains) addrs.add(`${v}@${d}`);
    }
  };
  if (src.user) add(src.user);
  for (const a of src.extra ?? []) add(a);
  return { addresses: [...addrs].sort(), localParts: [...locals].sort() };
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

// How "@" can be written around an address in mail bodies and URLs: plain, URL-encoded, QP-encoded,
// HTML entities.
const AT_FORMS = '@|%40|=40|&#0*64;|&#[xX]0*40;|&commat;';
// Before the local part: nothing that could continue an address, except an escape (%3D, =3D) that ends
// right there.
const LEFT = "(?<=^|[^A-Za-z0-9._%+\\-]|%[0-9A-Fa-f]{2}|=[0-9A-F]{2})";
// After the domain: nothing that continues a domain name.
const RIGHT = '(?![A-Za-z0-9\\-]|\\.[A-Za-z0-9])';

export interface Matcher {
  /** Replace every occurrence of the user's addresses in `s` (a binary string). */
  replace(s: string): string;
  /** Whether an addr-spec (any case, with or without a +detail) is one of the user's. */
  isUser(addrSpec: string): boolean;
  /** Lower-case local parts, for "for <local>" clauses. */
  localParts: ReadonlySet<string>;
}

/** `delimiters`: the recipient delimiter characters (Postfix recipient_delimiter, Dovecot's "+"). */
export function makeMatcher(id: Identity, delimiters = '+'): Matcher {
  const set = new Set(id.addresses);
  const locals = new Set(id.localParts);
  const delim = delimiters === '' ? '' : `(?:[${escapeRe(delimiters)}][^\\s@<>"'%=&;,()]*)?`;
  let re: RegExp | null = null;
  if (id.addresses.length > 0) {
    // Longest first, so that a.b@x wins over b@x.
    const alts = [...id.addresses]
      .sort((a, b) => b.length - a.length)
      .map((a) => {
        const at = a.lastIndexOf('@');
        return `${escapeRe(a.slice(0, at))}${delim}(${AT_FORMS})${escapeRe(a.slice(at + 1))}`;
      });
    re = new RegExp(`${LEFT}(?:${alts.join('|')})${RIGHT}`, 'gi');
  }
  const stripDetail = (local: string): string => {
    if (delimiters === '') return local;
    for (let i = 0; i < local.length; i++) if (delimiters.includes(local[i]!)) return local.slice(0, i);
    return local;
  };
  return {
    replace(s: string): string {
      if (!re || s.length === 0) return s;
      return s.replace(re, (...m: unknown[]) => {
        // Keep the way "@" was written so that a URL or an encoding stays well-formed.
        const at = (m.slice(1, 1 + id.addresses.length).find((x) => typeof x === 'string') as string | undefined) ?? '@';
        return `${PLACEHOLDER_LOCAL}${at}${PLACEHOLDER_DOMAIN}`;
      });
    },
    isUser(addrSpec: string): boolean {
      const a = addrSpec.trim().toLowerCase();
      const at = a.lastIndexOf('@');
      if (at < 0) return locals.has(stripDetail(a));
      return set.has(`${stripDetail(a.slice(0, at))}${a.slice(at)}`);
    },
    localParts: locals,
  };
}

// --- address lists (RFC 5322 3.4), scanned leniently on the raw (possibly folded) value ---

export type ListItem =
  | { kind: 'mailbox'; start: number; end: number }
  | { kind: 'group'; start: number; end: number } // "name:"
  | { kind: 'groupEnd'; start: number; end: number } // ";"
  | { kind: 'comma'; start: number; end: number };

/** Cut an address list at its top-level commas, group colons and semicolons. */
export function scanAddressList(v: string): ListItem[] {
  const items: ListItem[] = [];
  let start = 0;
  let depth = 0; // comment nesting
  let quoted = false;
  let angle = false;
  const flush = (end: number): void => {
    if (/[^ \t\r\n]/.test(v.slice(start, end))) items.push({ kind: 'mailbox', start, end });
  };
  for (let i = 0; i < v.length; i++) {
    const c = v[i]!;
    if (c === '\\' && (quoted || depth > 0)) {
      i++;
      continue;
    }
    if (quoted) {
      if (c === '"') quoted = false;
      continue;
    }
    if (depth > 0) {
      if (c === '(') depth++;
      else if (c === ')') depth--;
      continue;
    }
    if (c === '"') quoted = true;
    else if (c === '(') depth = 1;
    else if (angle) {
      if (c === '>') angle = false;
    } else if (c === '<') angle = true;
    else if (c === ',') {
      flush(i);
      items.push({ kind: 'comma', start: i, end: i + 1 });
      start = i + 1;
    } else if (c === ':') {
      items.push({ kind: 'group', start, end: i + 1 });
      start = i + 1;
    } else if (c === ';') {
      flush(i);
      items.push({ kind: 'groupEnd', start: i, end: i + 1 });
      start = i + 1;
    }
  }
  flush(v.length);
  return items;
}

/** The addr-spec of one mailbox: inside <...> when present, else the text without comments. */
export function addrSpecOf(mailbox: string): string {
  const m = /<([^<>]*)>/.exec(mailbox.replace(/"(?:[^"\\]|\\.)*"/g, '""'));
  const inner = m ? m[1]! : mailbox.replace(/\((?:[^()\\]|\\.)*\)/g, ' ');
  return inner.replace(/^@[^:]*:/, '').replace(/[ \t\r\n]+/g, '');
}

const FOLD_AT = 76; // fold rewritten lists before this column (RFC 5322 2.1.1: SHOULD be at most 78)

/**
 * Every mailbox of a recipient list becomes the placeholder; display names and comments go; group names
 * ("undisclosed-recipients:;") stay. Returns null when the list holds no mailbox (keep it as it is).
 */
export function rewriteRecipientList(value: string, nameLength: number, eol: string): string | null {
  const items = scanAddressList(value);
  if (!items.some((it) => it.kind === 'mailbox')) return null;
  const words: string[] = [];
  let pending = '';
  for (const it of items) {
    if (it.kind === 'group') pending += `${value.slice(it.start, it.end).replace(/[ \t\r\n]+/g, ' ').trim()}`;
    else if (it.kind === 'mailbox') {
      words.push(`${pending}${pending.endsWith(':') ? ' ' : ''}${PLACEHOLDER}`);
      pending = '';
    } else if (it.kind === 'groupEnd') {
      if (pending !== '') {
        words.push(`${pending};`);
        pending = '';
      } else if (words.length > 0) words[words.length - 1] += ';';
    }
  }
  if (pending !== '') words.push(pending);
  let out = '';
  let col = nameLength + 1;
  for (let k = 0; k < words.length; k++) {
    const w = words[k]! + (k < words.length - 1 && !words[k]!.endsWith(';') ? ',' : '');
    if (k > 0 && col + 1 + w.length > FOLD_AT) {
      out += `${eol} ${w}`;
      col = 1 + w.length;
    } else {
      out += ` ${w}`;
      col += 1 + w.length;
    }
  }
  return out;
}

/** Replace each mailbox of the user in an originator list (From, Reply-To...) by the placeholder. */
export function rewriteUserMailboxes(value: string, m: Matcher): string {
  const items = scanAddressList(value);
  let out = '';
  let pos = 0;
  for (const it of items) {
    if (it.kind !== 'mailbox') continue;
    const mb = value.slice(it.start, it.end);
    if (!m.isUser(addrSpecOf(mb))) continue;
    const lead = /^[ \t\r\n]*/.exec(mb)![0];
    const angle = mb.includes('<');
    out += value.slice(pos, it.start) + (lead === '' ? ' ' : lead) + (angle ? `<${PLACEHOLDER}>` : PLACEHOLDER);
    pos = it.end;
  }
  return pos === 0 ? value : out + value.slice(pos);
}
