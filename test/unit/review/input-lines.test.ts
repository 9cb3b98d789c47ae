/**
 * Positions are lines of the input: a base64 body decodes to more lines than
 * the mail has, and a hunk that ends short of its counts used to be reported
 * at the decoded diff's line (line 12 of a 6-line file).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { review } from '../../../src/core/review.js';

test('problems of a base64 body are reported at lines the input has', async () => {
  const inner = 'Hello\nworld\n\nSigned-off-by: A <a@b.org>\n---\ndiff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -1,1 +1,1 @@\n-a\n+b\n+c\n+d\n+e\n@@ -9,2 +9,2 @@\n-q\n';
  const text = `From: a@b.org\nSubject: [PATCH] x\nContent-Transfer-Encoding: base64\n\n${Buffer.from(inner).toString('base64')}\n`;
  const lines = text.split('\n').length - 1;
  const result = await review([{ file: 'b64.eml', data: text }]);
  const kinds = result.problems.map((p) => p.kind);
  assert.ok(kinds.includes('hunk-count'), `the short hunk is reported (${kinds.join(', ')})`);
  for (const p of result.problems) assert.ok(p.line >= 1 && p.line <= lines, `${p.kind} at line ${p.line} of a ${lines}-line file`);
});
