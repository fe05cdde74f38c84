import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseContentType, lcAscii } from '../src/mail/content-type.js';

// [input, type, boundary, charset, name, missing] from Util.pm::parse_content_type (4.0.1).
const CASES: Array<[string | undefined, string, string | undefined, string | undefined, string | undefined, boolean]> = [
  ['text/plain; charset="utf-8"', 'text/plain', undefined, 'utf-8', undefined, false],
  ['multipart/mixed; boundary="--=_abc"; x=y', 'multipart/mixed', '--=_abc', undefined, undefined, false],
  ['Multipart/Alternative;\tboundary = foo;', 'multipart/alternative', 'foo', undefined, undefined, false],
  ['text/enriched', 'text/plain', undefined, undefined, undefined, false],
  ['text/html; name="a.htm"', 'text/html', undefined, undefined, 'a.htm', false],
  ['application/octet-stream; name*0="ab"; name*1="cd.txt"', 'application/octet-stream', undefined, undefined, 'abcd.txt', false],
  ['', 'text/plain', undefined, 'us-ascii', undefined, true],
  [undefined, 'text/plain', undefined, 'us-ascii', undefined, true],
  ['@@@', '', undefined, undefined, undefined, false],
  ['text', 'text/plain', undefined, undefined, undefined, false],
  ['TEXT/X-VCARD', 'text/x-vcard', undefined, undefined, undefined, false],
  ['image/gif (comment); charset=us-ascii (x)', 'image/gif', undefined, 'us-ascii (x)', undefined, false],
  ['boundary=foo bar', 'boundaryfoobar', 'foo', undefined, undefined, false],
  ['text/plain; boundary=""', 'text/plain', undefined, undefined, undefined, false],
];

for (const [input, type, boundary, charset, name, missing] of CASES) {
  test(`parse_content_type(${JSON.stringify(input)})`, () => {
    assert.deepEqual(parseContentType(input), { type, boundary, charset, name, missing });
  });
}

test('lcAscii leaves non-ASCII bytes alone (Perl lc on byte strings)', () => {
  assert.equal(lcAscii('ÀBC\xc9'), 'Àbc\xc9');
});
