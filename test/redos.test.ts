// End-to-end check of the inputs tools/probes/redos.ts found to make learnRecord super-linear (seconds to
// minutes per message): each now takes a fraction of a second. The bound is generous
// (a timing test must not be flaky); what it catches is the return of O(n^2) or worse behaviour. That
// the results did not change is what the module tests (differential against the regexes) and the
// exactness check of the training dumps show.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { learnRecord } from '../src/engines/native/analyze.js';
import { buildCase } from '../tools/probes/redos.js';

const BOUND_MS = 2000;
const NOW = 1767225600;

/** Shape -> [message size, learnRecord time before the fix at that size, what made it slow]. */
const FOUND: Record<string, [number, string, string]> = {
  'hdr:from-commas': [200_000, '11 s', 'Email::Address::XS gives the whole value as the phrase of every empty entry (64 MiB of text per header)'],
  'hdr:markup-folded': [500_000, '6 s', '1 while s/(X-Spam-...)\\n\\s+(...)/$1 $2/g: one pass over the header per continuation line'],
  'hdr:markup-ct-spaces': [200_000, '36 s', '/^Content-Type:\\s+(.+?)\\s*$/i on a line with a long blank run'],
  'html:many-href-redirect': [200_000, '38 s', 'redirector_pattern /\\/(?:index.php)?\\?.*(?<=[?&])URL=/, once per nested redirect'],
  'html:many-href-chain-google': [200_000, '14 s', 'redirector_pattern google/search ...(?<=[?&])q=[^&]*?(?<=...)(?:site|inurl):'],
  'html:many-href-gov': [500_000, '14 s', 'redirector_pattern ^http://.+\\.gov/(?:.*/)?externalLink\\.jhtml\\?.*url= (cubic)'],
  'html:many-href-url-eq': [500_000, '3.6 s', 'redirector_pattern /\\/(?:index.php)?\\?.*(?<=[?&])URL=/'],
  'html:many-href-google-q': [500_000, '4.5 s', 'redirector_pattern google/search ...(?<=[?&])q=[^&]*?(?<=...)(?:site|inurl):'],
  'html:many-href-nonalnum-host': [500_000, '3.9 s', 's/[^0-9A-Za-z]+$// on the host'],
  'html:many-href-mailto-angles': [500_000, '4.4 s', '/^[^?&]*<([^@>]+@[^>]+)>/ from every "<"'],
  'html:many-href-mailto-angles-at': [500_000, '4.2 s', '/^[^?&]*<([^@>]+@[^>]+)>/ from every "<"'],
  'html:many-href-utf8-trim-tail': [500_000, '3.7 s', "s/[-'\".,]+$// on a token of a character string"],
  'html:many-base-href': [500_000, '4.5 s', 's@^([a-z]+:/{0,2}[^/]+/.*?)[^/.]+\\.[^/.]{2,4}$@$1@i on a long path'],
  'mime:b64-pad-one-line': [200_000, '29 s', 's/=+$// in the lenient base64 decoder'],
};

for (const [shape, [size, before, cause]] of Object.entries(FOUND)) {
  test(`learnRecord on ${shape} (${size} bytes) takes < ${BOUND_MS} ms (was ${before}: ${cause})`, () => {
    const raw = buildCase(shape, size);
    const t0 = performance.now();
    const r = learnRecord(raw, NOW);
    const ms = performance.now() - t0;
    assert.ok(r.keys.length > 0);
    assert.ok(ms < BOUND_MS, `${ms.toFixed(0)} ms`);
  });
}
