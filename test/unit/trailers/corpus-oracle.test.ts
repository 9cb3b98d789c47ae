/**
 * The tags a reviewer sees on each real patch (`summarize --json`, origin
 * "patch") are exactly the trailers `git interpret-trailers --parse` finds,
 * in order, repeated lines included: real/059 carries two
 * `Cc: <stable@vger.kernel.org>` lines, one annotated with the commit
 * stable needs first.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { readSeries } from '../../../src/core/review.js';
import { summaryJson } from '../../../src/core/summary.js';

const corpus = new URL('../../fixtures/corpus/', import.meta.url);

test('every real/ patch: in-patch tags = git interpret-trailers --parse', async () => {
  const differ: string[] = [];
  for (const name of readdirSync(new URL('real/', corpus)).sort()) {
    const oracle = JSON.parse(readFileSync(new URL(`oracle/${name}.json`, corpus), 'utf8'));
    const { series } = summaryJson(await readSeries([{ file: name, data: readFileSync(new URL(`real/${name}`, corpus)) }]));
    const [patch] = series.flatMap((s) => s.patches);
    const ours = patch.trailers.filter((t) => t.origin === 'patch').map((t) => `${t.key}: ${t.value}`);
    const git = (oracle.trailers as { key: string; value: string }[]).map((t) => `${t.key}: ${t.value}`);
    if (JSON.stringify(ours) !== JSON.stringify(git)) differ.push(`${name}\n  ours ${JSON.stringify(ours)}\n  git  ${JSON.stringify(git)}`);
  }
  assert.deepEqual(differ, []);
});
