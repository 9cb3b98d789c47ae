/**
 * The language server's incremental review: with a ReviewCache, review()
 * must give exactly what a fresh review gives, after edits that change one
 * patch, move patches down, or touch nothing but a commit message, and it
 * must re-parse only the diffs that changed.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { review } from '../../../src/core/review.js';
import { ReviewCache } from '../../../src/core/reviewCache.js';
import type { Finding } from '../../../src/core/findings.js';
import { ROOT } from './client.js';
// @ts-expect-error: a plain .mjs script without types; benchSeries(lines) returns the series text.
import { benchSeries } from '../../../scripts/e2e.mjs';

const FILE = '/review-cache/series.mbox';

/** A series of real patches from the corpus, as one mbox. */
function series(): { text: string; patches: number } {
  const dir = join(ROOT, 'test/fixtures/corpus/real');
  const files = readdirSync(dir).filter((f) => f.endsWith('.patch')).sort().slice(0, 8);
  const text = files.map((f) => {
    const t = readFileSync(join(dir, f), 'utf8');
    return (t.startsWith('From ') ? t : `From x@y Mon Jan  1 00:00:00 2024\n${t}`).replace(/\n*$/, '\n\n');
  }).join('');
  return { text, patches: files.length };
}

const plain = (f: Finding) => JSON.stringify([f.rule, f.file, f.line, f.column, f.endLine, f.endColumn, f.message, f.severity, f.path?.map((s) => [s.line, s.column, s.what])]);
const same = (a: Finding[], b: Finding[]) => assert.deepEqual(a.map(plain).sort(), b.map(plain).sort());

test('review with a ReviewCache equals a fresh review, and re-parses only changed diffs', { timeout: 120_000 }, async () => {
  const { text } = series();
  const cache = new ReviewCache();
  const first = await review([{ file: FILE, data: text }], { cache });
  same(first.findings, (await review([{ file: FILE, data: text }])).findings);
  const parsed0 = cache.stats.parsed;
  assert.ok(parsed0 > 1, `diffs parsed: ${parsed0}`);

  // Nothing changed: nothing is parsed again, the checks are reused.
  await review([{ file: FILE, data: text }], { cache });
  assert.equal(cache.stats.parsed, parsed0);

  // One added C line changed in one diff: that diff alone is parsed again.
  const lines = text.split('\n');
  const at = lines.findIndex((l) => /^\+\s+\S.*;$/.test(l));
  assert.ok(at > 0, 'an added C line');
  const edited = lines.map((l, i) => (i === at ? l.replace(/;$/, ' ;') : l)).join('\n');
  const r1 = await review([{ file: FILE, data: edited }], { cache });
  assert.equal(cache.stats.parsed, parsed0 + 1, 'one diff re-parsed');
  same(r1.findings, (await review([{ file: FILE, data: edited }])).findings);

  // Lines inserted in the first commit message move every later diff: reused, moved.
  const firstBlank = lines.findIndex((l) => l === '');
  const moved = [...lines.slice(0, firstBlank), '', 'An added paragraph.', 'Two lines of it.', ...lines.slice(firstBlank)].join('\n');
  const before = cache.stats.parsed;
  const r2 = await review([{ file: FILE, data: moved }], { cache });
  assert.equal(cache.stats.parsed, before, 'no diff re-parsed when only line numbers moved');
  const checked = cache.stats.checked;
  const fresh = await review([{ file: FILE, data: moved }]);
  same(r2.findings, fresh.findings);
  assert.deepEqual(r2.problems.map((p) => [p.line, p.kind]), fresh.problems.map((p) => [p.line, p.kind]));

  // The same mail in another file (the copy b4 review opens, say): nothing parsed, findings in that file.
  const other = '/review-cache/copy.mbox';
  const before2 = cache.stats.parsed;
  const r3 = await review([{ file: other, data: moved }], { cache });
  assert.equal(cache.stats.parsed, before2, 'no diff re-parsed for a copy of the same text');
  assert.equal(cache.stats.checked, checked, 'no version re-checked for a copy');
  const fresh3 = await review([{ file: other, data: moved }]);
  same(r3.findings, fresh3.findings);
  assert.ok(r3.findings.every((f) => f.file === other), 'every finding names the copy');
  assert.ok(r3.facts.every((d) => d.facts.functions.every((fn) => fn.pos.file === other)), 'every fact names the copy');
});

test('review stops when its AbortSignal fires, and reports progress per version', { timeout: 60_000 }, async () => {
  const { text } = series();
  const controller = new AbortController();
  const seen: number[] = [];
  const run = review([{ file: FILE, data: text }], {
    signal: controller.signal,
    onProgress: (p) => {
      seen.push(p.versionsDone);
      if (p.versionsDone >= 1) controller.abort(new Error('stale'));
    },
  });
  await assert.rejects(run, /stale/);
  assert.ok(seen.length >= 2 && seen[0] === 0, `progress: ${seen.join(',')}`);
});

test('with progressPerPatch, each patch\'s own findings are reported as it is parsed, and the whole version\'s replace them', { timeout: 120_000 }, async () => {
  // Real patches of the corpus as one numbered series (the benchmark's generator): one version, many patches.
  const text: string = benchSeries(4_000);
  const events: { provisional: number; versionsDone: number; findings: Finding[] }[] = [];
  const r = await review([{ file: FILE, data: text }], { progressPerPatch: true, onProgress: (p) => events.push(p) });
  const plainRun = await review([{ file: FILE, data: text }]);
  same(r.findings, plainRun.findings);
  const early = events.filter((e) => e.provisional > 0 && e.versionsDone === 0);
  assert.ok(early.length > 1, `progress while patches are parsed: ${early.length} events`);
  // Lock findings show before the version is done: the first patch's with a finding is not held back.
  const firstLock = early.findIndex((e) => e.findings.some((f) => f.rule.startsWith('LOCK-') || f.rule.startsWith('STALE-')));
  assert.ok(firstLock >= 0 && firstLock < early.length - 1, `a lock finding reported early (event ${firstLock} of ${early.length})`);
  // Provisional findings grow as patches are parsed, and the last event carries the version's findings, none provisional.
  const last = events[events.length - 1]!;
  assert.equal(last.provisional, 0);
  same(last.findings, r.findings);
  // Nothing reported early disappears at the end on this series (no finding blinks out).
  const finalKeys = new Set(r.findings.map(plain));
  for (const e of early) for (const f of e.findings) assert.ok(finalKeys.has(plain(f)), `${f.rule} at ${f.line} reported early is in the final findings`);
  // Without the option, no provisional progress.
  const events2: number[] = [];
  await review([{ file: FILE, data: text }], { onProgress: (p) => events2.push(p.provisional) });
  assert.ok(events2.every((n) => n === 0));
});
