// Mirrors Mail::SpamAssassin::HTML::html_uri, push_uri, canon_uri, target_uri, _parse_uri,
// _remove_dot_segments and _merge_uri (HTML.pm).

import type { PerlStr } from '../perlstr.js';
import { isPerlSpace, perlLength, perlPrefix, perlTrue, reClasses } from './perl.js';

/** Mail::SpamAssassin::Constants MAX_URI_LENGTH: URIs are cut to this many characters. */
export const MAX_URI_LENGTH = 8192;

export type Attrs = Map<string, PerlStr>;

/** Where push_uri stores its keys: the keys of HTML.pm's `$self->{uri}` hash, in insertion order. */
export interface UriState {
  uris: Map<string, PerlStr>;
  baseHref: PerlStr | null;
}

export function addUriKey(st: UriState, key: PerlStr): void {
  if (!st.uris.has(key.s)) st.uris.set(key.s, key);
}

/** canon_uri's [\s\xA0]. */
function isUriSpace(c: number, chars: boolean): boolean {
  return c === 0xa0 || isPerlSpace(c, chars);
}

/** canon_uri: trim [\s\xA0] at both ends, cut to MAX_URI_LENGTH characters. */
export function canonUri(u: PerlStr): PerlStr {
  const s = u.s;
  const chars = u.chars;
  let i = 0;
  while (i < s.length && isUriSpace(s.charCodeAt(i), chars)) i++;
  let j = s.length;
  while (j > i && isUriSpace(s.charCodeAt(j - 1), chars)) j--;
  let r: PerlStr = i === 0 && j === s.length ? u : { s: s.slice(i, j), chars: u.chars };
  // (a string of at most MAX_URI_LENGTH code units has at most that many characters)
  if (r.s.length > MAX_URI_LENGTH && perlLength(r) > MAX_URI_LENGTH) r = { s: perlPrefix(r, MAX_URI_LENGTH), chars: r.chars };
  return r;
}

const NO_TARGET = /^(?:data|mailto|file|cid|tel):/i;

export function pushUri(st: UriState, uri: PerlStr): void {
  const u = canonUri(uri);
  if (u.s === '') return;
  if (NO_TARGET.test(u.s)) {
    addUriKey(st, u);
  } else {
    const base = st.baseHref && perlTrue(st.baseHref.s) ? st.baseHref : { s: '', chars: false };
    const t = targetUri(base, u);
    if (t.s !== '') addUriKey(st, t);
  }
}

// html_uri's and target_uri's patterns, per string kind (built on first use).
const RE: { b?: ReturnType<typeof buildRes>; c?: ReturnType<typeof buildRes> } = {};
const reFor = (chars: boolean) => (chars ? (RE.c ??= buildRes(true)) : (RE.b ??= buildRes(false)));
function buildRes(chars: boolean) {
  const { D, W, flags } = reClasses(chars);
  return {
    hrefKey: new RegExp(`${W}{1,8}\\/href`, flags),
    srcKey: new RegExp(`${W}{1,8}\\/src`, flags),
    metaUrl: new RegExp(`(?<!${W})url${reClasses(chars).S}*=`, 'i' + flags),
    metaStrip: new RegExp(`^[^\\n]*(?<!${W})url${reClasses(chars).S}*=${reClasses(chars).S}*`, 'i' + flags),
    www: new RegExp(`^www${D}*\\.`, 'i' + flags),
    ftp: new RegExp(`^ftp${D}*\\.`, 'i' + flags),
  };
}
const res = (p: PerlStr) => reFor(p.chars);

const BASE_ABS = /^(?:https?|ftp):\/{0,2}/i;
// s@^([a-z]+:/{0,2}[^/]+/.*?)[^/\.]+\.[^/\.]{2,4}$@$1@i ('.' does not match "\n"): the reference of
// cutBaseFile, which computes the same in linear time.
export const BASE_FILE = /^([a-z]+:\/{0,2}[^/]+\/[^\n]*?)[^/.]+\.[^/.]{2,4}(?=\n?$)/i;
/** BASE_FILE's start, which can match in one way only. */
const BASE_FILE_PREFIX = /^[a-z]+:\/{0,2}[^/]+\//i;

/**
 * `s` with BASE_FILE's match replaced by its group 1, or null if it does not match. After the prefix,
 * the lazy `.*?` tries each start y in order; from y, [^/.]+ runs to the first '/' or '.' (z), which
 * must be a '.' with the file's extension, 2 to 4 [^/.] to the end (or a final "\n"), after it. Every
 * y before that z fails or succeeds alike, so the scan goes on from z + 1 (the regex rescans from each
 * y: O(n^2) on a long path without an extension).
 */
export function cutBaseFile(s: string): string | null {
  const m = BASE_FILE_PREFIX.exec(s);
  if (m === null) return null;
  const n = s.length;
  let y = m[0].length;
  while (y < n) {
    let z = y;
    let newline = false; // a "\n" in [y, z): the lazy .*? cannot pass it
    for (; z < n; z++) {
      const c = s.charCodeAt(z);
      if (c === 0x2f || c === 0x2e) break;
      if (c === 0x0a) newline = true;
    }
    if (z === n) return null;
    if (z > y && s.charCodeAt(z) === 0x2e) {
      let r = z + 1;
      while (r < n && r < z + 5 && s.charCodeAt(r) !== 0x2f && s.charCodeAt(r) !== 0x2e) r++;
      for (let e = r; e >= z + 3; e--) {
        if (e === n || (e === n - 1 && s.charCodeAt(e) === 0x0a)) return s.slice(0, y) + s.slice(e);
      }
    }
    if (newline) return null;
    y = z + 1;
  }
  return null;
}

/** The attributes html_uri reads, per tag it handles. */
export const URI_ATTRS: ReadonlyMap<string, readonly string[]> = new Map<string, readonly string[]>([
  ...['body', 'table', 'tr', 'td'].map((t): [string, string[]] => [t, ['background']]),
  ...['a', 'area', 'link'].map((t): [string, string[]] => [t, ['href', 'data-saferedirecturl']]),
  ...['img', 'frame', 'iframe', 'embed', 'script', 'bgsound'].map((t): [string, string[]] => [t, ['src']]),
  ['form', ['action']],
  ['base', ['href']],
  ['meta', ['http-equiv', 'content']],
]);

/** What the names html_uri renames to href/src contain (/\w{1,8}\/href/, /\w{1,8}\/src/), per tag. */
export const URI_RENAMED: ReadonlyMap<string, string> = new Map([
  ...['a', 'area', 'link'].map((t): [string, string] => [t, '/href']),
  ...['img', 'frame', 'iframe', 'embed', 'script', 'bgsound'].map((t): [string, string] => [t, '/src']),
]);

/** True if some attribute name contains `part` (which the hrefKey/srcKey patterns need). */
function hasKeyWith(attr: Attrs, part: string): boolean {
  for (const k of attr.keys()) if (k.includes(part)) return true;
  return false;
}

/** html_uri: the URIs a start tag contributes, in HTML.pm's order. Mutates `attr` as HTML.pm does. */
export function htmlUri(st: UriState, tag: string, attr: Attrs, namesChars: boolean): void {
  if (tag === 'body' || tag === 'table' || tag === 'tr' || tag === 'td') {
    const v = attr.get('background');
    if (v) pushUri(st, v);
  } else if (tag === 'a' || tag === 'area' || tag === 'link') {
    if (hasKeyWith(attr, '/href')) for (const [k, v] of [...attr]) {
      if (reFor(namesChars).hrefKey.test(k)) {
        attr.delete(k);
        attr.set('href', v);
      }
    }
    let href = attr.get('href');
    if (href) {
      const cleaned = href.chars ? href.s.replace(/\uFEFF/g, '') : href.s.replace(/\xEF\xBB\xBF/g, '');
      if (cleaned !== href.s) {
        href = { s: cleaned, chars: href.chars };
        attr.set('href', href);
      }
      pushUri(st, href);
    }
    const sr = attr.get('data-saferedirecturl');
    if (sr) pushUri(st, sr);
  } else if (tag === 'img' || tag === 'frame' || tag === 'iframe' || tag === 'embed' || tag === 'script' || tag === 'bgsound') {
    if (hasKeyWith(attr, '/src')) for (const [k, v] of [...attr]) {
      if (reFor(namesChars).srcKey.test(k)) {
        attr.delete(k);
        attr.set('src', v);
      }
    }
    const src = attr.get('src');
    if (src) pushUri(st, src);
  } else if (tag === 'form') {
    const a = attr.get('action');
    if (a) pushUri(st, a);
  } else if (tag === 'base') {
    const h = attr.get('href');
    if (h && perlTrue(h.s)) {
      let uri = canonUri(h);
      pushUri(st, uri);
      if (BASE_ABS.test(uri.s)) {
        const cut = cutBaseFile(uri.s);
        if (cut !== null) uri = { s: cut, chars: uri.chars };
        if (!/\/\n?$/.test(uri.s)) uri = { s: uri.s + '/', chars: uri.chars };
        st.baseHref = uri;
      }
    }
  } else if (tag === 'meta') {
    const he = attr.get('http-equiv');
    const content = attr.get('content');
    if (he && content && /refresh/i.test(he.s) && res(content).metaUrl.test(content.s)) {
      let s = content.s.replace(res(content).metaStrip, '');
      // s/\s*;.*// without backtracking: the first ';' and the white space run before it,
      // up to the end of that line
      const semi = s.indexOf(';');
      if (semi >= 0) {
        let p = semi;
        while (p > 0 && isPerlSpace(s.charCodeAt(p - 1), content.chars)) p--;
        const nl = s.indexOf('\n', semi);
        s = s.slice(0, p) + (nl >= 0 ? s.slice(nl) : '');
      }
      pushUri(st, { s, chars: content.chars });
    }
  }
}

// ---- target_uri (RFC 2396bis-style resolution) ----

interface ParsedUri {
  scheme?: string;
  authority?: string;
  path: string;
  query?: string;
  fragment?: string;
  /** The pattern matched the whole string (it stops at a "\n" in the fragment). */
  whole: boolean;
}

const PARSE_URI = /^(?:([^:/?#]+):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#([^\n]*))?/;

function parseUri(u: string): ParsedUri {
  const m = PARSE_URI.exec(u)!;
  return { scheme: m[1], authority: m[2], path: m[3] ?? '', query: m[4], fragment: m[5], whole: m[0].length === u.length };
}

/** parseUri('') */
const NO_BASE: ParsedUri = { path: '', whole: true };

/** True if `s` at `i` is at Perl's `$` (end, or before a final "\n"). */
function atEnd(s: string, i: number): boolean {
  return i === s.length || (i === s.length - 1 && s[i] === '\n');
}

/** removeDotSegments, which leaves a path without '.' as it is (but for the path "0", see there). */
function dotSegmentsRemoved(path: string): string {
  return path.includes('.') || path === '0' ? removeDotSegments(path) : path;
}

export function removeDotSegments(path: string): string {
  let input = path;
  if (input.startsWith('./')) input = '/' + input.slice(2);
  else if (input.startsWith('../')) input = '/' + input.slice(3);
  let out = '';
  let pos = 0;
  while (pos < input.length && !(pos === input.length - 1 && input[pos] === '0')) {
    if (input.startsWith('/.', pos) && (atEnd(input, pos + 2) || input[pos + 2] === '/')) {
      if (input[pos + 2] === '/') pos += 2;
      else { input = '/' + input.slice(pos + 2); pos = 0; }
    } else if (input.startsWith('/..', pos) && (atEnd(input, pos + 3) || input[pos + 3] === '/')) {
      if (input[pos + 3] === '/') pos += 3;
      else { input = '/' + input.slice(pos + 3); pos = 0; }
      const l = out.lastIndexOf('/');
      out = l >= 0 ? out.slice(0, l) : '';
    } else {
      let e = pos;
      if (input[e] === '/') e++;
      while (e < input.length && input[e] !== '/') e++;
      out += input.slice(pos, e);
      pos = e;
    }
  }
  return out;
}

function mergeUri(baseAuthority: string | undefined, basePath: string, rPath: string): string {
  if (baseAuthority !== undefined && !perlTrue(basePath)) return '/' + rPath;
  const l = basePath.lastIndexOf('/');
  return (l >= 0 ? basePath.slice(0, l + 1) : '') + rPath;
}

export function targetUri(base: PerlStr, rel: PerlStr): PerlStr {
  const r = parseUri(rel.s);
  const b = base.s === '' ? NO_BASE : parseUri(base.s);
  if (r.scheme !== undefined && b.scheme !== undefined && r.scheme === b.scheme) r.scheme = undefined;
  if (r.scheme !== undefined && perlTrue(r.scheme) && r.whole && dotSegmentsRemoved(r.path) === r.path) {
    // absolute and already resolved: the result reassembles the same pieces
    return { s: rel.s, chars: rel.chars };
  }
  const t: ParsedUri = { path: '', whole: true };
  let usesBase = false;
  if (r.scheme !== undefined) {
    t.scheme = r.scheme;
    t.authority = r.authority;
    t.path = dotSegmentsRemoved(r.path);
    t.query = r.query;
  } else {
    usesBase = true;
    if (r.authority !== undefined) {
      t.authority = r.authority;
      t.path = dotSegmentsRemoved(r.path);
      t.query = r.query;
    } else {
      if (r.path === '') {
        t.path = b.path;
        t.query = r.query !== undefined ? r.query : b.query;
      } else {
        t.path = r.path.startsWith('/') ? dotSegmentsRemoved(r.path) : dotSegmentsRemoved(mergeUri(b.authority, b.path, r.path));
        t.query = r.query;
      }
      t.authority = b.authority;
    }
    t.scheme = b.scheme;
  }
  t.fragment = r.fragment;
  const chars = rel.chars || (usesBase && base.chars);
  let out = '';
  if (t.scheme !== undefined && perlTrue(t.scheme)) {
    out += t.scheme + ':';
  } else if (t.authority !== undefined) {
    const rx = reFor(chars);
    if (rx.www.test(t.authority)) out += 'http:';
    else if (rx.ftp.test(t.authority)) out += 'ftp:';
  }
  if (t.authority !== undefined) out += '//' + t.authority;
  out += t.path;
  if (t.query !== undefined) out += '?' + t.query;
  if (t.fragment !== undefined) out += '#' + t.fragment;
  return { s: out, chars };
}
