#!/usr/bin/env node
// Generates src/data/charset-sbcs.ts, src/data/charset-cjk.ts and src/data/charset-names.ts from the
// installed Perl Encode module (3.17): every table-driven (Encode::XS) decoder is enumerated with
// FB_CROAK|LEAVE_SRC (the mode in which fallback entries are ignored), one byte at a time, so the data is
// exactly what Encode maps. Multibyte tables are stored as differences against a related table (same
// character set in another byte form) to keep the repository small; the runtime rebuilds them lazily.
// Usage: node tools/gen-tables/charset-tables.mjs   (needs perl with Encode)
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

// Perl side: print "ENC <name> <class>" then one "<seq-hex> <cp-hex>[,<cp-hex>...]" line per mapping.
const PERL = String.raw`
use strict; use warnings; use Encode ();
my $CROAK = Encode::FB_CROAK() | Encode::LEAVE_SRC();
print "VERSION $Encode::VERSION\n";
for my $name (Encode->encodings(':all')) {
  my $enc = Encode::find_encoding($name) or next;
  my $ref = ref $enc;
  print "ENC $name $ref\n";
  next unless $ref eq 'Encode::XS';
  my @queue = ('');
  while (@queue) {
    my $p = shift @queue;
    for my $b (0..255) {
      my $s = $p . chr($b);
      my $r;
      next unless eval { $r = $enc->decode($s, $CROAK); 1 };
      # '' = a partial character (Encode drops it silently, even with FB_CROAK): extend it
      if ($r eq '') { push @queue, $s if length $s < 3; next }
      print unpack('H*', $s), ' ', join(',', map { sprintf '%X', ord } split //, $r), "\n";
    }
  }
}
`;

const out = execFileSync('perl', ['-e', PERL], { maxBuffer: 1 << 28, encoding: 'latin1' });
let version = '';
const encs = new Map(); // name -> { cls, map: Map<key, string> }
let cur = null;
for (const line of out.split('\n')) {
  if (!line) continue;
  if (line.startsWith('VERSION ')) { version = line.slice(8); continue; }
  if (line.startsWith('WARN ')) throw new Error(line);
  if (line.startsWith('ENC ')) {
    const [, name, cls] = line.split(' ');
    cur = { cls, map: new Map() };
    encs.set(name, cur);
    continue;
  }
  const [seqHex, cps] = line.split(' ');
  const str = cps.split(',').map((h) => String.fromCodePoint(parseInt(h, 16))).join('');
  cur.map.set(seqKey(seqHex), str);
}

/** A byte sequence as one number: length in bits 24..25, bytes big-endian below. */
function seqKey(hex) {
  const len = hex.length / 2;
  return len * 0x1000000 + parseInt(hex, 16);
}

// Bases for the multibyte tables: [base name, byte transform, prefix byte].
//  gr:   every byte of a 2-byte sequence gets its high bit set (GL 94x94 -> EUC form)
//  sjis: JIS X 0208 row/cell -> Shift_JIS bytes
//  id:   same bytes
const BASES = {
  'euc-cn': [['gb2312-raw', 'gr']],
  cp936: [['euc-cn', 'id']],
  MacChineseSimp: [['euc-cn', 'id']],
  'gb12345-raw': [['gb2312-raw', 'id']],
  'iso-ir-165': [['gb2312-raw', 'id']],
  'euc-kr': [['ksc5601-raw', 'gr']],
  cp949: [['euc-kr', 'id']],
  MacKorean: [['euc-kr', 'id']],
  'euc-jp': [['jis0208-raw', 'gr'], ['jis0212-raw', 'gr', 0x8f]],
  shiftjis: [['jis0208-raw', 'sjis']],
  cp932: [['shiftjis', 'id']],
  MacJapanese: [['shiftjis', 'id']],
  cp950: [['big5-eten', 'id']],
  'big5-hkscs': [['big5-eten', 'id']],
  MacChineseTrad: [['big5-eten', 'id']],
};

// Keep in sync with src/mail/charset/table.ts (xformKey).
function xformKey(key, xform, prefix) {
  const len = Math.floor(key / 0x1000000);
  let v = key % 0x1000000;
  if (xform === 'id') return key;
  if (len !== 2) return -1;
  if (xform === 'gr') v |= 0x8080;
  else if (xform === 'sjis') {
    const j1 = v >> 8, j2 = v & 0xff;
    const s1 = ((j1 + 1) >> 1) + (j1 <= 0x5e ? 0x70 : 0xb0);
    const s2 = j1 & 1 ? j2 + (j2 <= 0x5f ? 0x1f : 0x20) : j2 + 0x7e;
    v = (s1 << 8) | s2;
  }
  if (prefix !== undefined) return 3 * 0x1000000 + prefix * 0x10000 + v;
  return 2 * 0x1000000 + v;
}

function baseMap(name) {
  const m = new Map();
  for (const [b, xform, prefix] of BASES[name] ?? []) {
    for (const [k, v] of encs.get(b).map) {
      const nk = xformKey(k, xform, prefix);
      if (nk >= 0) m.set(nk, v);
    }
  }
  return m;
}

/** Segments: flat [start, "chars"] (one code point per consecutive key) or [start, -count, firstCp]. */
function encodeEntries(entries) {
  entries.sort((a, b) => a[0] - b[0]);
  const segs = [];
  const multi = {};
  let i = 0;
  while (i < entries.length) {
    const [k, v] = entries[i];
    if ([...v].length !== 1) { multi[k] = v; i++; continue; }
    // consecutive run of keys and code points?
    let j = i + 1;
    while (j < entries.length && entries[j][0] === k + (j - i) && [...entries[j][1]].length === 1 &&
           entries[j][1].codePointAt(0) === v.codePointAt(0) + (j - i)) j++;
    if (j - i >= 4) { segs.push(k, -(j - i), v.codePointAt(0)); i = j; continue; }
    // literal run: consecutive keys, stop before a long numeric run
    let s = '';
    j = i;
    while (j < entries.length && entries[j][0] === k + (j - i) && [...entries[j][1]].length === 1) {
      let r = j + 1;
      while (r < entries.length && r - j < 4 && entries[r][0] === entries[j][0] + (r - j) &&
             [...entries[r][1]].length === 1 && entries[r][1].codePointAt(0) === entries[j][1].codePointAt(0) + (r - j)) r++;
      if (r - j >= 4 && j > i) break;
      s += entries[j][1];
      j++;
    }
    segs.push(k, s);
    i = j;
  }
  return { segs, multi };
}

function tableSpec(name) {
  const e = encs.get(name);
  const base = baseMap(name);
  const add = [];
  for (const [k, v] of e.map) if (base.get(k) !== v) add.push([k, v]);
  const del = [...base.keys()].filter((k) => !e.map.has(k)).sort((a, b) => a - b);
  const { segs, multi } = encodeEntries(add);
  const spec = { segs };
  if (BASES[name]) spec.bases = BASES[name];
  if (del.length) spec.del = del;
  if (Object.keys(multi).length) spec.multi = multi;
  // self-check: rebuild and compare
  const rebuilt = new Map(base);
  for (const k of del) rebuilt.delete(k);
  for (let i = 0; i < segs.length;) {
    const start = segs[i];
    if (typeof segs[i + 1] === 'string') {
      [...segs[i + 1]].forEach((c, n) => rebuilt.set(start + n, c));
      i += 2;
    } else {
      for (let n = 0; n < -segs[i + 1]; n++) rebuilt.set(start + n, String.fromCodePoint(segs[i + 2] + n));
      i += 3;
    }
  }
  for (const [k, v] of Object.entries(multi)) rebuilt.set(Number(k), v);
  if (rebuilt.size !== e.map.size) throw new Error(`${name}: rebuilt size ${rebuilt.size} != ${e.map.size}`);
  for (const [k, v] of e.map) if (rebuilt.get(k) !== v) throw new Error(`${name}: mismatch at ${k.toString(16)}`);
  return spec;
}

function literal(v) {
  return JSON.stringify(v).replace(/[\u007f-\u009f\u00ad\u2028\u2029\ufeff\ufff0-\uffff]/g,
    (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

function emit(file, names, what) {
  const lines = [
    `// Generated by tools/gen-tables/charset-tables.mjs from the ${what} decoders of the installed`,
    `// Perl Encode ${version} module (Encode::Byte, Encode::CN, Encode::JP, Encode::KR, Encode::TW, Encode::Symbol,`,
    `// Encode::EBCDIC); Perl Artistic License / GPL, Copyright Dan Kogai and the Encode authors.`,
    '// Do not edit. Format: see src/mail/charset/table.ts (TableSpec).',
    "import type { TableSpec } from '../mail/charset/table.js';",
    '',
    'export const TABLES: Record<string, TableSpec> = {',
  ];
  for (const n of names) {
    const spec = tableSpec(n);
    const parts = [`segs: ${literal(spec.segs)}`];
    if (spec.bases) parts.unshift(`bases: ${JSON.stringify(spec.bases)}`);
    if (spec.del) parts.push(`del: ${JSON.stringify(spec.del)}`);
    if (spec.multi) parts.push(`multi: ${literal(spec.multi)}`);
    lines.push(`  ${JSON.stringify(n)}: { ${parts.join(', ')} },`);
  }
  lines.push('};', '');
  writeFileSync(join(root, file), lines.join('\n'));
}

const xs = [...encs].filter(([, e]) => e.cls === 'Encode::XS').map(([n]) => n);
const isMulti = (n) => [...encs.get(n).map.keys()].some((k) => k >= 2 * 0x1000000);
emit('src/data/charset-sbcs.ts', xs.filter((n) => !isMulti(n)), 'single-byte');
emit('src/data/charset-cjk.ts', xs.filter(isMulti), 'multibyte (CJK)');

const names = [
  `// Generated by tools/gen-tables/charset-tables.mjs: the canonical encoding names known to the installed`,
  `// Perl Encode ${version} (Encode->encodings(':all'), i.e. %Encode::Encoding and %Encode::ExtModule), with the`,
  `// Perl class implementing each. Perl Artistic License / GPL, Copyright Dan Kogai and the Encode authors.`,
  'export const ENCODE_NAMES: Record<string, string> = {',
  ...[...encs].map(([n, e]) => `  ${JSON.stringify(n)}: ${JSON.stringify(e.cls)},`),
  '};',
  '',
];
writeFileSync(join(root, 'src/data/charset-names.ts'), names.join('\n'));
console.log(`wrote ${xs.length} tables, ${encs.size} names (Encode ${version})`);
