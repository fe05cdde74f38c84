// Tests for src/mail/html/tokenizer.ts (HTML::Parser's lexer): the attribute-skipping fast path gives the
// same event stream as a full parse, and the indexOf text scans split text events where the C code does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HtmlTokenizer, type RawAttr, type TokenSink } from '../src/mail/html/tokenizer.js';

function events(html: string, wants: ((name: string) => boolean) | undefined, chunks = [html]): string[] {
  const out: string[] = [];
  const sink: TokenSink = {
    startTag: (name: string, attrs: RawAttr[]) => {
      out.push(`<${name}${attrs.map((a) => ` ${a.name}=${JSON.stringify(a.value)}${a.decode ? '' : '!'}`).join('')}>`);
    },
    endTag: (name: string) => out.push(`</${name}>`),
    text: (raw: string, _u: boolean, cdata: boolean) => out.push((cdata ? 'C:' : 'T:') + raw),
    comment: (raw: string) => out.push('!' + raw),
  };
  if (wants) sink.wantsAttrs = (name: string) => wants(name);
  const tok = new HtmlTokenizer(sink);
  for (const c of chunks) tok.parse(c, false);
  tok.eof();
  return out;
}

const DOC = `a <B Title="x>y" class='q' checked>b</B> <i data-x=1 n =  "z">i</i><!-- c --><script>x<y</script>` +
  `<![CDATA[ raw<b> ]]><p style=color:red>p<img src=u.png alt=>end <a href="h"`;

test('tokenizer: attributes are parsed in full when wanted', () => {
  assert.deepEqual(events(DOC, undefined), [
    'T:a ', '<b title="x>y" class="q" checked="checked"!>', 'T:b', '</b>', 'T: ',
    '<i data-x="1" n="z">', 'T:i', '</i>', '!<!-- c -->', '<script>', 'C:x<y', '</script>', 'C: raw<b> ',
    '<p style="color:red">', 'T:p', '<img src="u.png" alt="">', 'T:end ', '!<a href="h"',
  ]);
});

test('tokenizer: skipping attributes (wantsAttrs false) keeps every event and position', () => {
  const full = events(DOC, undefined);
  const skipped = events(DOC, (name) => name === 'p');
  assert.equal(skipped.length, full.length);
  skipped.forEach((e, i) => {
    const f = full[i]!;
    if (f.startsWith('<p ')) assert.equal(e, f); // wanted: unchanged
    else if (/^<[a-z]/.test(f)) assert.equal(e, f.replace(/^<([a-z]+).*>$/, '<$1>'));
    else assert.equal(e, f);
  });
});

test('tokenizer: text split at chunk ends and resumed, as HTML::Parser does', () => {
  assert.deepEqual(events('', undefined, ['hello wor', 'ld <b>x</b> tail']), ['T:hello', 'T: world ', '<b>', 'T:x', '</b>', 'T: tail']);
});

test('tokenizer: names are lower-cased in ASCII only (Latin-1 letters kept, as Perl lc on bytes)', () => {
  assert.deepEqual(events('<DIV\xc4 CL\xc4SS=x STYLE=y>t</DIV\xc4>', undefined), [
    '<div\xc4 cl\xc4ss="x" style="y">', 'T:t', '</div\xc4>',
  ]);
  assert.deepEqual(events('<\xe9A b>', undefined), ['T:<\xe9A', 'T: b>']); // not a name start: text
  assert.deepEqual(events('<a\xe9B>x', undefined), ['<a\xe9b>', 'T:x']);
});
