/**
 * Hostile input through the whole mail -> series -> trailers -> summary path:
 * never a throw, never a hang.  (The mail reader has its own, larger cases.)
 * Time limits here are generous bounds against hangs, not speed targets.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSeries } from '../../../src/core/review.js';
import { summaryJson } from '../../../src/core/summary.js';

const seed000 = readFileSync(join(import.meta.dirname, '../../fixtures/seeds/000_dbfa3d816e84323d.txt'), 'utf8');

async function summarizeText(data: string | Uint8Array) {
  return summaryJson(await readSeries([{ file: 'input', data }]));
}

test('arbitrary bytes summarize without throwing', { timeout: 60_000 }, async () => {
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), async (bytes) => {
      const summary = await summarizeText(bytes);
      assert.ok(Array.isArray(summary.series));
    }),
    { numRuns: 200 },
  );
});

test('patch-shaped text mutated at random summarizes without throwing', { timeout: 60_000 }, async () => {
  const pieces = ['[PATCH v2 1/3] ', 'Re: ', '---\n', 'diff --git a/x.c b/x.c\n', '@@ -1,3 +1,4 @@\n', '+x;\n', '-y;\n', 'Signed-off-by: A <a@b>\n', 'Subject: ', 'From: ', '\n', '> ', 'In-Reply-To: <x@y>\n', 'Message-ID: <x@y>\n', 'From mboxrd@z Thu Jan  1 00:00:00 1970\n'];
  await fc.assert(
    fc.asyncProperty(fc.array(fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 40 })), { maxLength: 300 }), async (parts) => {
      const summary = await summarizeText(parts.join(''));
      for (const p of summary.problems) assert.ok(p.line >= 1 && p.column >= 1);
    }),
    { numRuns: 200 },
  );
});

test('every truncation of a real patch page summarizes without throwing', { timeout: 60_000 }, async () => {
  for (let cut = 0; cut < seed000.length; cut += 97) await summarizeText(seed000.slice(0, cut));
});

test('a cover letter counter of 9999 and a deep reply chain stay bounded', { timeout: 30_000 }, async () => {
  const mails: string[] = ['From: A <a@b>\nSubject: [PATCH 0/9999] big\nMessage-ID: <m0@x>\n\nbody\n'];
  for (let i = 1; i < 1500; i++) {
    mails.push(`From: A <a@b>\nSubject: [PATCH ${i}/9999] p${i}\nMessage-ID: <m${i}@x>\nIn-Reply-To: <m${i - 1}@x>\nReferences: <m0@x> <m${i - 1}@x>\n\nx\n`);
  }
  const mbox = mails.map((m) => `From mboxrd@z Thu Jan  1 00:00:00 1970\n${m}\n`).join('');
  const summary = await summarizeText(mbox);
  assert.equal(summary.series.length, 1);
  assert.equal(summary.series[0].present, 1499);
});
