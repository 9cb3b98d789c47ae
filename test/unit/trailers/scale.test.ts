/**
 * Big input stays interactive: a 20-patch series of 10,000+ diff lines with
 * 2,000 replies, and hostile lines (100,000 characters, no breaks) in
 * bodies and trailers, go through collection, comparison and am output
 * quickly and without throwing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readInput } from '../../../src/core/mail/index.js';
import { assembleSeries } from '../../../src/core/series/index.js';
import { collectTrailers } from '../../../src/core/trailers/collect.js';
import { changeSincePrevious } from '../../../src/core/trailers/compare.js';
import { writeAmMbox } from '../../../src/core/trailers/am.js';
import { findTrailerBlock } from '../../../src/core/trailers/parse.js';
import { parsePerson } from '../../../src/core/trailers/person.js';
import { patchId } from '../../../src/core/trailers/patchid.js';

function bigThread(version: number, patches: number, linesPerPatch: number, replies: number): string {
  const out: string[] = [];
  for (let p = 1; p <= patches; p++) {
    out.push(
      'From mboxrd@z Thu Jan  1 00:00:00 1970',
      'From: Ann Author <ann@example.org>',
      `Subject: [PATCH v${version} ${p}/${patches}] mm: part ${p}`,
      'Date: Mon, 10 Nov 2025 10:00:00 +0000',
      `Message-Id: <v${version}-p${p}@x>`,
      '',
      `Part ${p}.`,
      '',
      'Signed-off-by: Ann Author <ann@example.org>',
      '---',
      `diff --git a/mm/f${p}.c b/mm/f${p}.c`,
      `--- a/mm/f${p}.c`,
      `+++ b/mm/f${p}.c`,
      `@@ -1,${linesPerPatch} +1,${linesPerPatch} @@`,
    );
    for (let i = 0; i < linesPerPatch; i++) out.push(i % 2 ? `-\tx${i} = ${i};` : `+\tx${i} = ${i + version};`);
    out.push('');
  }
  for (let r = 0; r < replies; r++) {
    const p = (r % patches) + 1;
    out.push(
      'From mboxrd@z Thu Jan  1 00:00:00 1970',
      `From: Rev ${r + 1000 * version} <rev${r + 1000 * version}@example.org>`,
      `Subject: Re: [PATCH v${version} ${p}/${patches}] mm: part ${p}`,
      'Date: Mon, 10 Nov 2025 11:00:00 +0000',
      `Message-Id: <v${version}-r${r}@x>`,
      `In-Reply-To: <v${version}-p${p}@x>`,
      '',
      '> quoted',
      'Looks fine.',
      '',
      `Reviewed-by: Rev ${r + 1000 * version} <rev${r + 1000 * version}@example.org>`,
      '',
    );
  }
  return out.join('\n');
}

test('20 patches x 500 diff lines x 2 versions with 2,000 replies: collection, comparison and am output in well under a second each', async () => {
  const text = bigThread(1, 20, 500, 1000) + bigThread(2, 20, 500, 1000);
  const { messages } = await readInput('big.mbox', text);
  const series = assembleSeries(messages);
  let t = performance.now();
  const collected = collectTrailers(series, messages);
  const collectMs = performance.now() - t;
  t = performance.now();
  const changes = changeSincePrevious(series[0]);
  const compareMs = performance.now() - t;
  t = performance.now();
  const mbox = writeAmMbox(collected, series[0]);
  const amMs = performance.now() - t;
  assert.equal(collected.patches.length, 40);
  const latest = collected.patches.filter((p) => p.version.version === 2);
  assert.equal(latest[0].tags.filter((t) => t.status === 'collected').length, 50);
  assert.equal(latest[0].tags.filter((t) => t.status === 'dropped').length, 50, 'v1 tags dropped: code changed');
  assert.equal(changes.get(series[0].versions[1].patches[0])!.kind, 'code');
  assert.ok(mbox.length > 100_000);
  console.log(`# scale: collect ${collectMs.toFixed(0)} ms, compare ${compareMs.toFixed(0)} ms, am ${amMs.toFixed(0)} ms`);
  assert.ok(collectMs < 1500 && compareMs < 3000 && amMs < 1500, `collect ${collectMs.toFixed(0)} ms, compare ${compareMs.toFixed(0)} ms, am ${amMs.toFixed(0)} ms`);
});

test('hostile 100,000-character lines: parser, person reader and patch-id stay linear and do not throw', () => {
  const long = 'Reviewed-by: ' + 'x'.repeat(100_000);
  const noSpace = 'a'.repeat(100_000);
  const t = performance.now();
  const block = findTrailerBlock(['Title', '', 'Body.', '', long, `Signed-off-by: ${noSpace}@${noSpace}`]);
  assert.equal(block.trailers.length, 2);
  assert.equal(parsePerson(noSpace + '<' + noSpace).email, '');
  assert.equal(parsePerson(`${noSpace}@${noSpace} (${noSpace}`).name, `${noSpace}@${noSpace} (${noSpace}`);
  assert.equal(patchId('diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-' + noSpace + '\n+' + long + '\n') !== null, true);
  assert.ok(performance.now() - t < 1000, `${(performance.now() - t).toFixed(0)} ms`);
});
