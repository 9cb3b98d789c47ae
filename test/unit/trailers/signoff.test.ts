/**
 * The sign-off chain checks: silent on the real mm patches of the corpus
 * (their chains are what upstream took), and each rule on the mistake it is
 * for, at the line of the offending trailer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readInput } from '../../../src/core/mail/index.js';
import { assembleSeries } from '../../../src/core/series/index.js';
import { checkSignoffChain } from '../../../src/core/trailers/signoff.js';
import type { Finding } from '../../../src/core/findings.js';

const CORPUS = new URL('../../fixtures/corpus/', import.meta.url).pathname;

async function check(file: string, data: string | Uint8Array): Promise<Finding[]> {
  const { messages } = await readInput(file, data);
  const out: Finding[] = [];
  for (const s of assembleSeries(messages)) for (const v of s.versions) for (const p of v.patches) out.push(...checkSignoffChain(p));
  return out;
}

test('no sign-off finding on the real mm patches and threads of the corpus', async () => {
  const files = [
    ...readdirSync(join(CORPUS, 'real')).map((f) => join(CORPUS, 'real', f)),
    ...readdirSync(join(CORPUS, 'threads')).filter((f) => f.startsWith('real-')).map((f) => join(CORPUS, 'threads', f)),
  ];
  const findings: string[] = [];
  let patches = 0;
  for (const f of files) {
    const { messages } = await readInput(f, readFileSync(f));
    for (const s of assembleSeries(messages)) for (const v of s.versions) patches += v.patches.length;
    for (const x of await check(f, readFileSync(f))) findings.push(`${f}:${x.line} ${x.rule} ${x.message}`);
  }
  assert.ok(patches >= 50, `${patches} patches`);
  assert.deepEqual(findings, []);
});

function patch(from: string, trailers: string[], extraHeaders: string[] = [], body: string[] = []): string {
  return [
    `From: ${from}`,
    'Subject: [PATCH] mm: thing',
    'Date: Mon, 10 Nov 2025 10:00:00 +0000',
    'Message-Id: <p@x>',
    ...extraHeaders,
    '',
    ...body,
    'Make the thing lock the VMA first.',
    '',
    ...trailers,
    '---',
    'diff --git a/mm/x.c b/mm/x.c',
    '--- a/mm/x.c',
    '+++ b/mm/x.c',
    '@@ -1 +1 @@',
    '-b',
    '+c',
    '',
  ].join('\n');
}

test('SOB-MISSING-AUTHOR: the author did not sign off', async () => {
  const f = await check('a.patch', patch('Ann Author <ann@example.org>', ['Reviewed-by: Rita R <rita@example.org>']));
  assert.deepEqual(f.map((x) => `${x.rule} ${x.severity} ${x.line}`), ['SOB-MISSING-AUTHOR error 8']);
});

test('SOB-FROM-MISMATCH: From and the author\'s Signed-off-by differ in sub-address, address or name', async () => {
  const sub = await check('a.patch', patch('Ann Author <ann+kernel@example.org>', ['Signed-off-by: Ann Author <ann@example.org>']));
  assert.deepEqual(sub.map((x) => x.rule), ['SOB-FROM-MISMATCH']);
  assert.match(sub[0].message, /sub-address/);
  assert.equal(sub[0].line, 8);
  const name = await check('a.patch', patch('Ann Author <ann@example.org>', ['Signed-off-by: Annie A <ann@example.org>']));
  assert.match(name[0].message, /name/);
  const fine = await check('a.patch', patch('Ann Author <ann@example.org>', ['Signed-off-by: Ann Author <ann@example.org>']));
  assert.deepEqual(fine, []);
});

test('SOB-CODEV-ORDER: each Co-developed-by is immediately followed by that person\'s Signed-off-by', async () => {
  const bad = await check(
    'a.patch',
    patch('Ann Author <ann@example.org>', ['Co-developed-by: Cody Dev <cody@example.org>', 'Reviewed-by: Rita R <rita@example.org>', 'Signed-off-by: Cody Dev <cody@example.org>', 'Signed-off-by: Ann Author <ann@example.org>']),
  );
  assert.deepEqual(bad.map((x) => `${x.rule} ${x.line}`), ['SOB-CODEV-ORDER 8']);
  const good = await check(
    'a.patch',
    patch('Ann Author <ann@example.org>', ['Co-developed-by: Cody Dev <cody@example.org>', 'Signed-off-by: Cody Dev <cody@example.org>', 'Signed-off-by: Ann Author <ann@example.org>']),
  );
  assert.deepEqual(good, []);
});

test('the sender of someone else\'s patch signs off last', async () => {
  const body = ['From: Ann Author <ann@example.org>', ''];
  const bad = await check(
    'a.patch',
    patch('Sid Sender <sid@example.org>', ['Signed-off-by: Sid Sender <sid@example.org>', 'Signed-off-by: Ann Author <ann@example.org>'], [], body),
  );
  assert.deepEqual(bad.map((x) => `${x.rule} ${x.line}`), ['SOB-FROM-MISMATCH 10']);
  assert.match(bad[0].message, /not the last/);
  const good = await check(
    'a.patch',
    patch('Sid Sender <sid@example.org>', ['Signed-off-by: Ann Author <ann@example.org>', 'Signed-off-by: Sid Sender <sid@example.org>'], [], body),
  );
  assert.deepEqual(good, []);
});

test('a backport keeps the upstream chain', async () => {
  const body = ['From: Ann Author <ann@example.org>', '', 'commit 5dba5cc2e0ffa76f2f6c8922a04469dc9602c396 upstream.', ''];
  const bad = await check('a.patch', patch('Ann Author <ann@example.org>', ['Signed-off-by: Ann Author <ann@example.org>'], [], body));
  assert.deepEqual(bad.map((x) => x.rule), ['SOB-MISSING-AUTHOR']);
  assert.match(bad[0].message, /upstream Signed-off-by chain/);
});
