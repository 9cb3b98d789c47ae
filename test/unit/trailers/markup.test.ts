/**
 * Issue 12, point 6: a display name with markup must not break trailer
 * parsing.  The address is the last `<...>` outside quotes that holds an `@`;
 * a quoted name may hold anything.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePerson } from '../../../src/core/trailers/person.js';
import { main } from '../../../src/cli/main.js';
import { memoryIO } from '../../../src/cli/io.js';

test('a quoted name with markup keeps its address: "<b>evil</b>" <evil@example.org>', () => {
  assert.deepEqual(parsePerson('"<b>evil</b>" <evil@example.org>'), { name: '<b>evil</b>', email: 'evil@example.org', obfuscated: false });
});

test('an unquoted name with markup: the address is the last <...> holding an @', () => {
  assert.equal(parsePerson('<script>alert(1)</script> <x@y.z>').email, 'x@y.z');
  assert.equal(parsePerson('<script>alert(1)</script> <x@y.z>').name, '<script>alert(1)</script>');
});

test('quotes hide `#` and `>` from the syntax; a # comment after the address is still cut', () => {
  assert.deepEqual(parsePerson('"Bob # > <bob@evil> Smith" <bob@example.org> # 6.1+'), { name: 'Bob # > <bob@evil> Smith', email: 'bob@example.org', obfuscated: false });
  assert.equal(parsePerson('<stable@vger.kernel.org> # 6.1+').email, 'stable@vger.kernel.org');
});

test('the usual spellings read as before', () => {
  assert.deepEqual(parsePerson('"Last, First" <a@b.org>'), { name: 'Last, First', email: 'a@b.org', obfuscated: false });
  assert.deepEqual(parsePerson('a@b.org (Corp)'), { name: 'Corp', email: 'a@b.org', obfuscated: false });
  assert.deepEqual(parsePerson('Name <a@b.org<mailto:a@b.org>>'), { name: 'Name', email: 'a@b.org', obfuscated: false });
  assert.equal(parsePerson('Name <[email protected]>').email, '[email protected]');
  assert.deepEqual(parsePerson('Just A Name'), { name: 'Just A Name', email: '', obfuscated: false });
});

const mail = `From: "<b>evil</b>" <evil@example.org>
Date: Mon, 1 Jan 2024 00:00:00 +0000
Subject: [PATCH] mm: markup in names

Body.

Signed-off-by: "<b>evil</b>" <evil@example.org>
Reviewed-by: <script>alert(1)</script> <x@y.z>
---
 mm/x.c | 1 +
 1 file changed, 1 insertion(+)

diff --git a/mm/x.c b/mm/x.c
--- a/mm/x.c
+++ b/mm/x.c
@@ -1,2 +1,3 @@
 int f(void)
 {
+	return 0;
`;

test('trailers --json on a mail with markup in names: the right addresses, no false SOB-MISSING-AUTHOR', async () => {
  const io = memoryIO(() => Buffer.from(mail));
  const code = await main(['trailers', '--json', 'markup.mbox'], io);
  const out = io.stdout;
  assert.equal(code, 0);
  const json = JSON.parse(out) as { series: { versions: { patches: { tags: { key: string; name: string; email: string }[] }[] }[] }[]; findings: { rule: string }[] };
  const tags = json.series[0]!.versions[0]!.patches[0]!.tags.map((t) => [t.key, t.name, t.email]);
  assert.deepEqual(tags, [
    ['Signed-off-by', '<b>evil</b>', 'evil@example.org'],
    ['Reviewed-by', '<script>alert(1)</script>', 'x@y.z'],
  ]);
  assert.deepEqual(json.findings.map((f) => f.rule).filter((r) => r.startsWith('SOB-')), []);
});
