import { test } from 'node:test';
import assert from 'node:assert/strict';
import { learnerInput } from '../src/mail/learner-input.js';

test('existing X-Spam-Relays-Trusted headers are deleted before tokenizing; the other X-Spam-Relays-* stay (Perl /o quirk)', () => {
  const raw = Buffer.from(
    'From a@example.org Mon Jan  6 10:00:00 2025\n' +
      'From: a@example.org\nTo: b@example.net\nSubject: relays\nDate: Mon, 6 Jan 2025 10:00:00 +0000\n' +
      'X-Spam-Relays-Trusted: [ ip=10.1.1.1 rdns=trustedfake ]\n' +
      'X-Spam-Relays-Untrusted: [ ip=192.0.2.9 rdns=untrustedfake ]\n\nbody\n',
  );
  const li = learnerInput(raw, 1767225600);
  assert.equal(li.headers.some((h) => /^X-Spam-Relays-Trusted:/i.test(h)), false);
  assert.equal(li.headers.some((h) => /^X-Spam-Relays-Untrusted: \[ ip=192\.0\.2\.9/.test(h)), true);
  assert.equal(li.metadata['x-spam-relays-trusted'], '');
});
