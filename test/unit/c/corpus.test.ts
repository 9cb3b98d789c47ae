import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { extractPatchFacts } from '../../../src/core/c/index.js';
import { fixtures } from './helpers.js';

/** Diff of a plain patch mail and the map of its lines to the file. */
function diffOf(text: string) {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith('diff --git '));
  return {
    diff: lines.slice(start).join('\n'),
    map: { length: lines.length - start, line: (i: number) => start + i + 1, column: () => 1, exact: () => true },
  };
}

test('>= 97% of the C hunks of corpus/real parse with no ERROR node over a changed line', () => {
  let hunks = 0;
  let bad = 0;
  const names = readdirSync(fixtures + 'corpus/real');
  for (const name of names) {
    const { diff, map } = diffOf(readFileSync(fixtures + 'corpus/real/' + name, 'utf8'));
    const facts = extractPatchFacts({ file: name, diff, map });
    hunks += facts.parse!.hunks;
    bad += facts.parse!.hunksWithErrors;
    for (const e of facts.parse!.errors) assert.equal(e.file, name);
  }
  assert.ok(hunks > 400, `only ${hunks} C hunks`);
  const rate = 1 - bad / hunks;
  assert.ok(rate >= 0.97, `${bad} of ${hunks} hunks have parse errors (${(rate * 100).toFixed(1)}% clean)`);
});

test('real patch: the vm_flags wrappers of 003 and the non-C files skipped in 005', () => {
  const name = '003-mm-introduce-vma-vm-flags-wrapper-functions.patch';
  const { diff, map } = diffOf(readFileSync(fixtures + 'corpus/real/' + name, 'utf8'));
  const facts = extractPatchFacts({ file: name, diff, map });
  const setFlags = facts.functions.find((f) => f.image === 'post' && f.name === 'vm_flags_set')!;
  assert.ok(setFlags.added);
  assert.deepEqual(setFlags.calls.map((c) => c.name), ['mmap_assert_write_locked', 'ACCESS_PRIVATE']);
  const write = setFlags.assigns[0]!;
  assert.equal(write.op, '|=');
  assert.equal(write.value, 'flags');
  const five = '005-mm-replace-vma-vm-flags-direct-modifications-with-modifier-c.patch';
  const d5 = diffOf(readFileSync(fixtures + 'corpus/real/' + five, 'utf8'));
  const f5 = extractPatchFacts({ file: five, ...d5 });
  // Direct writes of vma->vm_flags are gone from the post image, replaced by calls.
  const preWrites = f5.functions.filter((f) => f.image === 'pre').flatMap((f) => f.assigns).filter((a) => a.field === 'vm_flags' && a.target.startsWith('vma->') && a.change === '-');
  const postWrites = f5.functions.filter((f) => f.image === 'post').flatMap((f) => f.assigns).filter((a) => a.field === 'vm_flags' && a.target.startsWith('vma->') && a.change === '+');
  assert.ok(preWrites.length > 50, `${preWrites.length} removed vm_flags writes`);
  assert.equal(postWrites.length, 0);
  assert.ok(f5.functions.some((f) => f.calls.some((c) => c.name === 'vm_flags_set' && c.change === '+')));
});

test('real patch 007: a hunk of vms_gather_munmap_vmas() is not joined to vma_shrink(), whose first hunk starts inside its signature', () => {
  const name = '007-mm-replace-vma-start-write-with-vma-start-write-killable.patch';
  const text = readFileSync(fixtures + 'corpus/real/' + name, 'utf8');
  const { diff, map } = diffOf(text);
  const facts = extractPatchFacts({ file: name, diff, map });
  const lineOf = (s: string) => text.split('\n').indexOf(s) + 1;
  for (const image of ['pre', 'post'] as const) {
    const shrink = facts.functions.filter((f) => f.image === image && f.name === 'vma_shrink');
    assert.equal(shrink.length, 1);
    assert.ok(!shrink[0]!.calls.some((c) => c.name === 'mas_store_gfp'), `${image} vma_shrink() got a call of vms_gather_munmap_vmas()`);
    const gather = facts.functions.find((f) => f.image === image && f.name === 'vms_gather_munmap_vmas');
    assert.ok(gather, `${image} vms_gather_munmap_vmas() missing`);
    assert.equal(gather.hasStart, false);
    assert.deepEqual(gather.calls.map((c) => c.name), [image === 'pre' ? 'vma_start_write' : 'vma_start_write_killable', 'mas_set', 'mas_store_gfp']);
  }
  const killable = facts.functions.find((f) => f.image === 'post' && f.name === 'vms_gather_munmap_vmas')!.calls[0]!;
  assert.equal(killable.pos.line, lineOf('+\t\terror = vma_start_write_killable(next);'));
});
