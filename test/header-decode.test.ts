import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeHeader } from '../src/mail/header-decode.js';

// Expected octets from Node.pm::_decode_header (4.0.1); see also test/fixtures/mail/encoded-words.eml.
test('RFC 2047 B and Q words, whitespace between adjacent words dropped', () => {
  assert.equal(decodeHeader('=?UTF-8?B?R3JlYXQgT2ZmZXIg4pyT?= =?UTF-8?Q?_Save?=', 'subject'), 'Great Offer \xe2\x9c\x93 Save');
});

test('a UTF-8 character split across two encoded words is rejoined before transcoding', () => {
  assert.equal(decodeHeader('x =?utf-8?b?4pw=?= =?utf-8?b?kw==?= y', 'subject'), 'x \xe2\x9c\x93 y');
});

test('Latin-1 words become UTF-8 octets; the RFC 2231 language suffix is ignored', () => {
  assert.equal(decodeHeader('=?iso-8859-1?q?caf=E9?=', 'subject'), 'caf\xc3\xa9');
  assert.equal(decodeHeader('=?US-ASCII*EN?Q?Keith_Moore?= <k@x>', 'from'), 'Keith Moore <k@x>');
});

test('no decoding for Message-ID, List-*, Received, Date...', () => {
  for (const name of ['message-id', 'list-id', 'received', 'resent-date', 'mime-version', 'in-reply-to']) {
    assert.equal(decodeHeader('=?utf-8?q?not_decoded?=', name), '=?utf-8?q?not_decoded?=');
  }
});

test('folds become one space, newlines removed; valid UTF-8 kept as is', () => {
  assert.equal(decodeHeader('a\n\tb\r\nc', 'x-a'), 'a bc');
  assert.equal(decodeHeader('caf\xc3\xa9', 'x-a'), 'caf\xc3\xa9');
  assert.equal(decodeHeader('', 'x-a'), '');
});

test('fast paths: values without "\\n" skip unfolding; names are only checked when "=?" occurs', () => {
  assert.equal(decodeHeader('a\r\n b\n\tc', 'x-test'), 'a b c');
  assert.equal(decodeHeader('=?utf-8?q?a?=\n =?utf-8?q?b?=', 'Subject'), 'ab');
  assert.equal(decodeHeader('=?utf-8?q?a?= =?utf-8?q?b?=', 'Subject'), 'ab');
  assert.equal(decodeHeader('=?utf-8?q?a?=', 'Received'), '=?utf-8?q?a?=');
  assert.equal(decodeHeader('plain List-Id', 'List-Id'), 'plain List-Id');
});
