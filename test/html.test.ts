// Tests for src/mail/html.ts (Mail::SpamAssassin::HTML rendering). Expected values were produced by
// tools/probes/html-render.pl (the installed SpamAssassin 4.0.1 + HTML::Parser 3.81) and are
// re-checked against it when Perl and SpamAssassin are available.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { renderHtml } from '../src/mail/html.js';
import { esc, haveSpamAssassin, ROOT } from './html-corpus-lib.js';

interface Case {
  name: string;
  input: string;
  chars: boolean;
  all: string;
  visible: string;
  invisible: string;
  uris: string[];
}

// Strings are in the probe's notation: U/B = utf8 flag, non-printable as \x{HEX}.
const CASES: Case[] = [
  {
    name: "entities",
    input: "x&ampy &NBSP; &nbsp;|&NBSP;|&#160;| &#x2019; &lt3 &#65 &#0; &#x110000; &#xD83D;&#xDE00; &Alpha &Alpha; &unknown; a&amp;b",
    chars: false,
    all: "U\"x&y &NBSP; |&NBSP;|\\x{a0}| \\x{2019} <3 A &#0; &#x110000; \\x{1f600} &Alpha \\x{391} &unknown; a&b\"",
    visible: "U\"x&y &NBSP; |&NBSP;|\\x{a0}| \\x{2019} <3 A &#0; &#x110000; \\x{1f600} &Alpha \\x{391} &unknown; a&b\"",
    invisible: "B\"\"",
    uris: [],
  },
  {
    name: "latin1 anomaly",
    input: "caf&eacute; <a href=\"/caf&eacute;\">x</a>",
    chars: false,
    all: "B\"caf\\x{e9} x\"",
    visible: "B\"caf\\x{e9} x\"",
    invisible: "B\"\"",
    uris: ["B\"/caf\\x{e9}\""],
  },
  {
    name: "upgrade by entity above U+00FF",
    input: "caf&eacute; &#x2019;",
    chars: false,
    all: "U\"caf\\x{e9} \\x{2019}\"",
    visible: "U\"caf\\x{e9} \\x{2019}\"",
    invisible: "B\"\"",
    uris: [],
  },
  {
    name: "character string",
    input: "café &eacute; Â x",
    chars: true,
    all: "U\"caf\\x{e9} \\x{e9}  x\"",
    visible: "U\"caf\\x{e9} \\x{e9}  x\"",
    invisible: "B\"\"",
    uris: [],
  },
  {
    name: "hidden by colour",
    input: "<body text=white bgcolor=black>A<font color=white>hidden</font> B <font color=#fefefe>near</font> C <font color=\"#333\">grey</font>",
    chars: false,
    all: "B\"Ahidden B near C grey\"",
    visible: "B\"grey\"",
    invisible: "B\"Ahidden B near C \"",
    uris: [],
  },
  {
    name: "bgcolor attribute quirk",
    input: "<table bgcolor=black><tr><td><font color=black>black on table</font></td><td style=\"background-color: black\"><font color=black>black on css</font></td></tr></table>",
    chars: false,
    all: "B\" black on table  black on css \"",
    visible: "B\" black on table   \"",
    invisible: "B\"black on css\"",
    uris: [],
  },
  {
    name: "size",
    input: "a <font size=1>tiny</font> b <font size=-2>rel</font> c <small><small>small</small></small> d <basefont size=1><font size=+0>base</font> e <big>big</big>",
    chars: false,
    all: "B\"a tiny b rel c small d base e big\"",
    visible: "B\"a  b  c  d  e big\"",
    invisible: "B\"tinyrelsmallbase\"",
    uris: [],
  },
  {
    name: "display and visibility",
    input: "<span style=\"display:none\">a</span>x<div style=\"visibility: hidden\">b</div>y<span style=\"DISPLAY: none\">shown</span><p style=\"color: transparent\">t</p><span style=\"background: url(x.png) #ffffff; color: white\">bg</span>",
    chars: false,
    all: "B\"ax\\x{a}b\\x{a}yshown\\x{a}\\x{a}t\\x{a}\\x{a}bg\"",
    visible: "B\"x\\x{a}\\x{a}yshown\\x{a}\\x{a}\\x{a}\\x{a}\"",
    invisible: "B\"abtbg\"",
    uris: [],
  },
  {
    name: "invalid colour",
    input: "<font color=ffffff>bare hex</font> <font color=\"rgb(0,0,0)\">rgb</font> <font color=nosuch>name</font>",
    chars: false,
    all: "B\"bare hex rgb name\"",
    visible: "B\" rgb \"",
    invisible: "B\"bare hexname\"",
    uris: [],
  },
  {
    name: "whitespace tags",
    input: "a<br>b<p>c</p>d<li>e<td>f<h1>g</h1>h <div> i </div> j<hr>k<title>t</title>",
    chars: false,
    all: "B\"a\\x{a}b\\x{a}\\x{a}c\\x{a}\\x{a}d e f g h\\x{a}i\\x{a}j\\x{a}\\x{a}k\\x{a}\\x{a}t\\x{a}\\x{a}\"",
    visible: "B\"a\\x{a}b\\x{a}\\x{a}c\\x{a}\\x{a}d e f g h\\x{a}i\\x{a}j\\x{a}\\x{a}k\\x{a}\\x{a}t\\x{a}\\x{a}\"",
    invisible: "B\"\"",
    uris: [],
  },
  {
    name: "script and style",
    input: "<style>p { color: red }</style>x<script>var a = \"<b>\";</script>y<script>unclosed <b>z</b>",
    chars: false,
    all: "B\"xy\"",
    visible: "B\"xy\"",
    invisible: "B\"\"",
    uris: [],
  },
  {
    name: "comments and declarations",
    input: "a<!-- hidden -- >b<!-- x -->c<!--[if mso]>d<![endif]-->e<![if !vml]>f<![endif]>g<!DOCTYPE html>h<?xml x?>i<![CDATA[<j>]]>",
    chars: false,
    all: "B\"abcefghi<j>\"",
    visible: "B\"abcefghi<j>\"",
    invisible: "B\"\"",
    uris: [],
  },
  {
    name: "text split at end",
    input: "Hello  world <b>a  < b</b> tail  end",
    chars: false,
    all: "B\"Hello world a < b tail end\"",
    visible: "B\"Hello world a < b tail end\"",
    invisible: "B\"\"",
    uris: [],
  },
  {
    name: "uris",
    input: "<base href=\"http://ex.com/dir/page.html\"><a href=\"x.html\">X</a><a href=\" /abs \">a<img src=\"i.png\"></a><a name=top>n</a><form action=\"mailto:a@b.c\"></form><body background=\"bg.jpg\"><meta http-equiv=refresh content=\"0; URL=http://r.com/ ; x\"><a data-saferedirecturl=\"https://s.com/\" foo/href=\"http://alt.com/\">s</a><img src=\"../up/./i.gif?q#f\"><a href=\"//www.x.com/p\">w</a><iframe src=\"\"></iframe>",
    chars: false,
    all: "B\"Xansw\"",
    visible: "B\"Xansw\"",
    invisible: "B\"\"",
    uris: ["B\"\"","B\"//www.x.com/p\"","B\"/abs\"","B\"http://alt.com/\"","B\"http://ex.com/abs\"","B\"http://ex.com/dir/bg.jpg\"","B\"http://ex.com/dir/i.png\"","B\"http://ex.com/dir/page.html\"","B\"http://ex.com/dir/x.html\"","B\"http://ex.com/up/i.gif?q#f\"","B\"http://r.com/\"","B\"http://www.x.com/p\"","B\"https://s.com/\"","B\"mailto:a@b.c\"","B\"x.html\""],
  },
  {
    name: "self-closing and smart quotes",
    input: "x<br/>y<p />z<a href=“http://q.com/”>q</a>",
    chars: true,
    all: "U\"x\\x{a}y\\x{a}\\x{a}zq\"",
    visible: "U\"x\\x{a}y\\x{a}\\x{a}zq\"",
    invisible: "B\"\"",
    uris: ["U\"http://q.com/\""],
  },
  {
    name: "unterminated tag at eof",
    input: "visible <a title=\"x>y lost",
    chars: false,
    all: "B\"visible \"",
    visible: "B\"visible \"",
    invisible: "B\"\"",
    uris: [],
  },
  {
    name: "namespaced and unknown tags",
    input: "a<o:p>b</o:p>c<blink>d</blink>e<marquee bgcolor=white><font color=white>m</font></marquee>",
    chars: false,
    all: "B\"abcdem\"",
    visible: "B\"abcde\"",
    invisible: "B\"m\"",
    uris: [],
  },
  // fast paths: attributes not built for tags whose handlers ignore them, ASCII names in
  // character strings, indexOf scans in text, literal and marked-section modes
  {
    name: "skipped attributes",
    input: "x<b title=\"a>b\" class='c>d'>bold</b><i data-x=1 n>it</i> <TD STYLE=\"color:#fff\">cell</TD><span style=\"color:#FFFFFF\">hid</span> <u x=\"&amp;\">u</u>",
    chars: false,
    all: "B\"xboldit cell hid u\"",
    visible: "B\"xboldit   u\"",
    invisible: "B\"cellhid\"",
    uris: [],
  },
  {
    name: "utf8 tag and attribute names",
    input: "<a hRef=\"http://ü.example/ä\" hé=\"v\">ü</a><font color=\"white\">ö</font><B>b</B><xé y=1>z</xé>",
    chars: true,
    all: "U\"\\x{fc}\\x{f6}bz\"",
    visible: "U\"\\x{fc}bz\"",
    invisible: "U\"\\x{f6}\"",
    uris: ["U\"http://\\x{fc}.example/\\x{e4}\""],
  },
  {
    name: "marked sections and literal text",
    input: "<![CDATA[ a<b ]]> x <style>p{}</style>y<script>if(a<b)</script>z <![ IGNORE [ hidden ]]> after <textarea>t<b>u</textarea>v",
    chars: false,
    all: "B\" a<b  x yz  after t<b>uv\"",
    visible: "B\" a<b  x yz  after t<b>uv\"",
    invisible: "B\"\"",
    uris: [],
  },
  {
    name: "whitespace elements",
    input: "a<li>b<h3>c</h3><hr>d<br>e<div>f</div><p>g<dt>h<embed>i<title>j</title>k<th>l",
    chars: false,
    all: "B\"a b c \\x{a}\\x{a}d\\x{a}e\\x{a}f\\x{a}\\x{a}\\x{a}g h i\\x{a}\\x{a}j\\x{a}\\x{a}k l\"",
    visible: "B\"a b c \\x{a}\\x{a}d\\x{a}e\\x{a}f\\x{a}\\x{a}\\x{a}g h i\\x{a}\\x{a}j\\x{a}\\x{a}k l\"",
    invisible: "B\"\"",
    uris: [],
  },
];

function render(c: Case) {
  const r = renderHtml({ s: c.input, chars: c.chars });
  return { all: esc(r.all), visible: esc(r.visible), invisible: esc(r.invisible), uris: r.uris.map(esc).sort() };
}

for (const c of CASES) {
  test(`renderHtml: ${c.name}`, () => {
    const got = render(c);
    assert.equal(got.all, c.all, 'all');
    assert.equal(got.visible, c.visible, 'visible');
    assert.equal(got.invisible, c.invisible, 'invisible');
    assert.deepEqual(got.uris, [...c.uris].sort(), 'uris');
  });
}

test('renderHtml: uris keep document order', () => {
  const r = renderHtml({ s: '<a href="http://b.com/">b</a><img src="http://a.com/i.png">', chars: false });
  assert.deepEqual(r.uris.map((u) => u.s), ['http://b.com/', 'http://a.com/i.png']);
});

test('renderHtml: linear time on hostile input', () => {
  const n = 200_000;
  const hostile = [
    '<a title="' + ' '.repeat(n),
    '<' + 'a'.repeat(n),
    '<!--' + '- '.repeat(n),
    '<span style="color: a' + ' '.repeat(n) + 'b!important">x</span>',
    '<meta http-equiv=refresh content="url=' + ' '.repeat(n) + 'x;y">',
    '&' + 'a'.repeat(n) + ' ' + '&#'.repeat(n),
    '<a href="' + '/..'.repeat(3000) + '">x</a>',
  ];
  for (const h of hostile) {
    const t0 = process.hrtime.bigint();
    renderHtml({ s: h, chars: false });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    assert.ok(ms < 2000, `${h.slice(0, 20)}... took ${ms} ms`);
  }
});

test('probe agreement on the unit cases', (t) => {
  if (!haveSpamAssassin()) {
    t.skip('Mail::SpamAssassin not installed');
    return;
  }
  const input = Buffer.concat(
    CASES.flatMap((c) => {
      const b = Buffer.from(c.input, c.chars ? 'utf8' : 'latin1');
      return [Buffer.from(`${c.chars ? 'U' : 'B'} ${b.length}\n`), b, Buffer.from('\n')];
    }),
  );
  const out = execFileSync('perl', [path.join(ROOT, 'tools/probes/html-render.pl'), '--batch'], { input })
    .toString('latin1')
    .split('end\n');
  CASES.forEach((c, i) => {
    const lines = out[i]!.trim().split('\n');
    const get = (k: string) => lines.filter((l) => l.startsWith(k + ' ')).map((l) => l.slice(k.length + 1));
    const got = render(c);
    assert.equal(got.all, get('all')[0], `${c.name}: all`);
    assert.equal(got.visible, get('visible')[0], `${c.name}: visible`);
    assert.equal(got.invisible, get('invisible')[0], `${c.name}: invisible`);
    assert.deepEqual(got.uris, get('uri').sort(), `${c.name}: uris`);
  });
});

test('renderHtml: one side only (no hidden text, or only hidden text) shares the whole rendering', () => {
  const seen = renderHtml({ s: '<p>a&nbsp;b</p><br/>“q”', chars: true });
  assert.equal(seen.visible, seen.all);
  assert.deepEqual(seen.invisible, { s: '', chars: false });
  assert.deepEqual(seen.all, { s: '\n\na b\n\n\n"q"', chars: true }); // as tools/probes/html-render.pl --utf8
  const hidden = renderHtml({ s: '<font color=white>x</font>', chars: false });
  assert.equal(hidden.invisible, hidden.all);
  assert.deepEqual(hidden.visible, { s: '', chars: false });
  const both = renderHtml({ s: 'a<font color=white>x</font>', chars: false });
  assert.deepEqual([both.visible.s, both.invisible.s, both.all.s], ['a', 'x', 'ax']);
});

test('cutBaseFile: what the BASE_FILE substitution gives (generated strings), in linear time', async () => {
  const { BASE_FILE, cutBaseFile } = await import('../src/mail/html/uris.js');
  const { rng } = await import('./helpers/rng.js');
  const pieces = ['http://', 'HTTP:', 'ftp:/', 'a', 'bc', 'def', 'ghij', '/', '//', '.', '..', '\n', 'x.htm', '.html', '.c', ' ', ':'];
  const r = rng(9);
  let found = 0;
  for (let i = 0; i < 30000; i++) {
    let s = ['', 'http://a/', 'HTTP://x.y/', 'ftp:/b/', 'f:c/'][Math.floor(r() * 5)]!;
    const n = Math.floor(r() * 12);
    for (let k = 0; k < n; k++) s += pieces[Math.floor(r() * pieces.length)]!;
    const m = BASE_FILE.exec(s);
    assert.equal(cutBaseFile(s), m === null ? null : m[1]! + s.slice(m[0].length), JSON.stringify(s));
    if (m) found++;
  }
  assert.ok(found > 1000);
  // a long path without an extension: the regex rescans it from every character (minutes for 8 KiB x 60)
  const s = 'http://a.example/' + 'a'.repeat(200000) + '/x.htm';
  const t0 = performance.now();
  assert.equal(cutBaseFile(s), 'http://a.example/' + 'a'.repeat(200000) + '/');
  assert.ok(performance.now() - t0 < 2000);
});
