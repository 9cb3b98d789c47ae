/**
 * The seeds as a reviewer reads them in `patchlens summarize --json`
 * (issue 2): subjects, versions, counters, authors, files, problems.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readSeries } from '../../../src/core/review.js';
import { summaryJson } from '../../../src/core/summary.js';

const seeds = join(import.meta.dirname, '../../fixtures/seeds');
const seedFile = (prefix: string) => join(seeds, readdirSync(seeds).find((n) => n.startsWith(prefix))!);

async function summarize(...paths: string[]) {
  const inputs = paths.map((file) => ({ file, data: readFileSync(file) }));
  return summaryJson(await readSeries(inputs));
}

test('seed 000 (lore page): v4, patch 2 of 9, Lorenzo Stoakes, include/linux/mm.h +44 -0', async () => {
  const summary = await summarize(seedFile('000_'));
  assert.equal(summary.series.length, 1);
  const [series] = summary.series;
  assert.equal(series.title, 'mm: add atomic VMA flags and set VM_MAYBE_GUARD as such');
  assert.deepEqual([series.version, series.total, series.present], [4, 9, 1]);
  assert.deepEqual(series.missing, [1, 3, 4, 5, 6, 7, 8, 9]);
  const [patch] = series.patches;
  assert.equal(patch.index, 2);
  assert.equal(patch.subject, '[PATCH v4 2/9] mm: add atomic VMA flags and set VM_MAYBE_GUARD as such');
  assert.equal(patch.author?.name, 'Lorenzo Stoakes');
  assert.deepEqual(patch.files.map((f) => [f.path, f.added, f.deleted]), [['include/linux/mm.h', 44, 0]]);
  // the two replies on the page belong to this version
  assert.equal(series.versions[0].replies.length, 2);
});

test('seed 002 (line breaks lost): the backported commit, six files, and the unreadable diff reported', async () => {
  const file = seedFile('002_');
  const summary = await summarize(file);
  const [series] = summary.series;
  const [patch] = series.patches;
  assert.equal(patch.title, 'mm: introduce VM_MAYBE_GUARD and make visible in /proc/$pid/smaps');
  assert.deepEqual([series.version, patch.index, series.total], [1, 1, 9]);
  assert.equal(patch.upstreamCommit, '5dba5cc2e0ffa76f2f6c8922a04469dc9602c396');
  assert.deepEqual(
    patch.files.map((f) => f.path),
    [
      'Documentation/filesystems/proc.rst',
      'fs/proc/task_mmu.c',
      'include/linux/mm.h',
      'include/trace/events/mmflags.h',
      'mm/memory.c',
      'tools/testing/vma/vma_internal.h',
    ],
  );
  assert.deepEqual(patch.files.map((f) => f.added! + f.deleted!), [5, 1, 3, 1, 4, 1]);
  const diffProblem = summary.problems.find((p) => p.kind === 'damaged-diff');
  assert.ok(diffProblem, 'a problem says the diff could not be read');
  assert.equal(diffProblem.file, file);
  assert.equal(diffProblem.line, 1);
  assert.ok(diffProblem.column > 1, 'the problem points into the line, where the diff starts');
  // the upstream chain survives: the backporter signs last
  const sobs = patch.trailers.filter((t) => t.key === 'Signed-off-by').map((t) => t.value);
  assert.deepEqual(sobs.slice(-2), ['Andrew Morton', 'Ahmed Elaidy']);
});

test('seed 003 (openwall page): the reply to v4 0/10 carries an interdiff of three files, and the v4 changelog', async () => {
  const summary = await summarize(seedFile('003_'));
  const [series] = summary.series;
  assert.equal(series.title, 'mm: add and use vma_assert_stabilised() helper');
  assert.deepEqual([series.version, series.total, series.present], [4, 10, 0]);
  const [reply] = series.versions[0].replies;
  assert.equal(reply.from?.name, 'Andrew Morton');
  assert.deepEqual(reply.files.map((f) => f.path), ['include/linux/mmap_lock.h', 'include/linux/mm_types.h', 'mm/mmap_lock.c']);
  const changelog = series.versions[0].changelog.find((c) => c.version === 'v4');
  assert.ok(changelog);
  assert.equal(changelog.lines[0], 'Propagated tags (thanks Vlastimil, Suren!)');
});

test('seed 004 (cover letter body only): six patch titles from the flattened shortlog, and its diffstat', async () => {
  const summary = await summarize(seedFile('004_'));
  const [series] = summary.series;
  assert.deepEqual(series.shortlog, [
    'mm: enable page walking API to lock vmas during the walk',
    'mm: for !CONFIG_PER_VMA_LOCK equate write lock assertion for vma and mmap',
    'mm: replace mmap with vma write lock assertions when operating on a vma',
    'mm: lock vma explicitly before doing vm_flags_reset and vm_flags_reset_once',
    'mm: always lock new vma before inserting into vma tree',
    'mm: move vma locking out of vma_prepare',
  ]);
  assert.deepEqual([series.total, series.present, series.version], [6, 0, 2]);
  assert.equal(series.coverDiffstat.length, 26);
  assert.deepEqual(series.coverDiffstat[0], { path: 'arch/powerpc/kvm/book3s_hv_uvmem.c', added: 1, deleted: 0 });
  assert.equal(series.coverDiffstat.find((f) => f.path === 'mm/hugetlb.c')?.deleted, 1);
});
