// Shared by the HTML comparison tests: run the Perl probes and compare with renderHtml.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PerlStr } from '../src/mail/perlstr.js';
import { renderHtml } from '../src/mail/html.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CORPORA = '/work/shared/corpora';

export function haveSpamAssassin(): boolean {
  try {
    execFileSync('perl', ['-MMail::SpamAssassin::HTML', '-e', '1'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function corpusFiles(name: string): string[] {
  const out: string[] = [];
  for (const kind of ['ham', 'spam']) {
    const dir = path.join(CORPORA, name, kind);
    if (!existsSync(dir)) continue;
    for (const f of execFileSync('ls', [dir], { encoding: 'utf8' }).split('\n')) {
      if (f.endsWith('.mbox')) out.push(path.join(dir, f));
    }
  }
  return out;
}

/** Escape like the probes: printable ASCII except '\' and '"' as is, the rest as \x{HEX}. */
export function esc(p: PerlStr): string {
  let o = '';
  for (const ch of p.s) {
    const c = ch.codePointAt(0)!;
    o += c < 0x20 || c === 0x5c || c === 0x22 || c > 0x7e ? `\\x{${c.toString(16)}}` : ch;
  }
  return `${p.chars ? 'U' : 'B'}"${o}"`;
}

export interface HtmlPart {
  id: string;
  input: PerlStr;
  all: PerlStr;
  visible: PerlStr;
  invisible: PerlStr;
  uris: PerlStr[];
}

/** Parse tools/probes/html-parts.pl output. */
export function parseParts(buf: Buffer): HtmlPart[] {
  const parts: HtmlPart[] = [];
  let pos = 0;
  const line = (): string => {
    const nl = buf.indexOf(0x0a, pos);
    const l = buf.toString('latin1', pos, nl);
    pos = nl + 1;
    return l;
  };
  const value = (l: string): PerlStr => {
    const m = /^\S+ ([BU]) (\d+)$/.exec(l);
    if (!m) throw new Error(`bad record ${l}`);
    const n = Number(m[2]);
    const raw = buf.subarray(pos, pos + n);
    pos += n + 1;
    return m[1] === 'U' ? { s: raw.toString('utf8'), chars: true } : { s: raw.toString('latin1'), chars: false };
  };
  while (pos < buf.length) {
    const head = line();
    if (!head.startsWith('part ')) throw new Error(`bad header ${head}`);
    const p: HtmlPart = {
      id: head.slice(5), input: value(line()), all: value(line()), visible: value(line()),
      invisible: value(line()), uris: [],
    };
    for (;;) {
      const l = line();
      if (l === 'end') break;
      p.uris.push(value(l));
    }
    parts.push(p);
  }
  return parts;
}

export function extractParts(files: string[], maxMessages = 0): HtmlPart[] {
  const args = [path.join(ROOT, 'tools/probes/html-parts.pl')];
  if (maxMessages) args.push('--max-messages', String(maxMessages));
  const out = execFileSync('perl', [...args, ...files], { maxBuffer: 1 << 30, env: { ...process.env, TZ: 'UTC' } });
  return parseParts(out);
}

export interface Diff {
  id: string;
  field: string;
  want: string;
  got: string;
}

/** Compare one part, utf8 flags included. */
export function compareParts(p: HtmlPart): Diff[] {
  const r = renderHtml(p.input);
  const diffs: Diff[] = [];
  const norm = esc;
  for (const f of ['all', 'visible', 'invisible'] as const) {
    if (norm(p[f]) !== norm(r[f])) diffs.push({ id: p.id, field: f, want: esc(p[f]), got: esc(r[f]) });
  }
  const want = p.uris.map(norm).sort();
  const got = r.uris.map(norm).sort();
  if (want.join('\n') !== got.join('\n')) {
    diffs.push({ id: p.id, field: 'uris', want: want.join(' '), got: got.join(' ') });
  }
  return diffs;
}
