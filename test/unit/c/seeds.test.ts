import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsOf, flatten } from './helpers.js';

const SEED0 = 'seeds/000_dbfa3d816e84323d.txt';
const SEED1 = 'seeds/001_872d036f281e0629.txt';
const SEED3 = 'seeds/003_6bc468803e1b8b4d.txt';

test('seed 000: the three new atomic-flag helpers of include/linux/mm.h, calls in order', () => {
  const facts = factsOf(SEED0).get(0)!;
  const post = facts.functions.filter((f) => f.image === 'post' && f.added);
  assert.deepEqual(post.map((f) => [f.name, f.pos.line, f.pos.column]), [
    ['__vma_flag_atomic_valid', 41, 21],
    ['vma_flag_set_atomic', 57, 21],
    ['vma_flag_test_atomic', 74, 21],
  ]);
  assert.ok(post.every((f) => f.path === 'include/linux/mm.h' && f.hasStart && f.change === '+'));
  const set = post[1]!;
  assert.deepEqual(set.calls.map((c) => c.name), ['rwsem_is_locked', 'vma_assert_locked', '__vma_flag_atomic_valid', 'set_bit', 'ACCESS_PRIVATE']);
  assert.deepEqual(set.calls.map((c) => c.pos.line), [60, 61, 63, 64, 64]);
  const [lockTest, assertLocked] = set.calls;
  assert.equal(lockTest!.inCondition, true);
  assert.equal(lockTest!.resultUsed, true);
  assert.deepEqual(lockTest!.args, ['&vma->vm_mm->mmap_lock']);
  assert.equal(assertLocked!.inCondition, false);
  assert.equal(assertLocked!.resultUsed, false);
  // vma_assert_locked() runs only when the mmap lock test fails.
  const first = set.flow[0]!;
  assert.equal(first.kind, 'if');
  assert.ok(first.kind === 'if' && first.condition === '!rwsem_is_locked(&vma->vm_mm->mmap_lock)');
  assert.ok(first.kind === 'if' && first.then[0]?.kind === 'call' && first.then[0].call.name === 'vma_assert_locked');
  assert.deepEqual(post[0]!.calls.map((c) => c.name), ['BIT', 'WARN_ON_ONCE']);
  assert.deepEqual(post[2]!.calls.map((c) => c.name), ['__vma_flag_atomic_valid', 'test_bit']);
  // Context functions around the hunks are seen on both sides, not as added.
  const ctx = facts.functions.filter((f) => f.name === 'vma_set_anonymous');
  assert.deepEqual(ctx.map((f) => [f.image, f.added, f.removed]), [['pre', false, false], ['post', false, false]]);
  const allowed = facts.defines.find((d) => d.name === 'VM_ATOMIC_SET_ALLOWED')!;
  assert.equal(allowed.text, 'VM_MAYBE_GUARD');
  assert.equal(allowed.change, '+');
  assert.deepEqual([allowed.pos.line, allowed.pos.column], [32, 10]);
  const mask = facts.defines.find((d) => d.name === 'VM_LOCKED_MASK')!;
  assert.equal(mask.text, '(VM_LOCKED | VM_LOCKONFAULT)');
  assert.equal(mask.change, ' ');
  assert.equal(facts.parse!.hunksWithErrors, 0);
});

test('seed 001: quoted hunks (> > ) of madvise_guard_install and retract_page_tables', () => {
  const facts = factsOf(SEED1).get(2)!;
  const install = facts.functions.find((f) => f.image === 'post' && f.name === 'madvise_guard_install')!;
  assert.equal(install.hasStart, false);
  assert.equal(install.path, 'mm/madvise.c');
  const setAtomic = install.calls.find((c) => c.name === 'vma_flag_set_atomic')!;
  assert.deepEqual(setAtomic.args, ['vma', 'VM_MAYBE_GUARD_BIT']);
  assert.equal(setAtomic.change, '+');
  // `> > +   vma_flag_set_atomic(...)` on input line 139: the call starts after the quote markers.
  assert.deepEqual([setAtomic.pos.line, setAtomic.pos.column], [139, 9]);
  assert.deepEqual(install.calls.map((c) => c.name), ['vma_flag_set_atomic', 'vma_is_anonymous', 'anon_vma_prepare']);
  const pre = facts.functions.find((f) => f.image === 'pre' && f.name === 'madvise_guard_install')!;
  assert.deepEqual(pre.calls.map((c) => [c.name, c.change]), [['anon_vma_prepare', '-']]);

  // The stale comment: it still names userfaultfd_wp() above the new check.
  const retract = facts.functions.find((f) => f.image === 'post' && f.name === 'retract_page_tables')!;
  assert.equal(retract.hasStart, false);
  const comment = retract.comments.find((c) => c.identifiers.includes('userfaultfd_wp'))!;
  assert.equal(comment.change, '+');
  assert.equal(comment.pos.line, 90);
  assert.ok(comment.text.includes('repeating the userfaultfd_wp() check from'));
  const check = flatten(retract.flow).find((i) => i.kind === 'if' && i.conditionCalls.some((c) => c.name === 'file_backed_vma_is_retractable'));
  assert.ok(check && check.kind === 'if');
  assert.equal(check.pos.line, 117);
  assert.ok(check.pos.line > comment.pos.line);
  const oldCheck = facts.functions.find((f) => f.image === 'pre' && f.name === 'retract_page_tables')!;
  assert.deepEqual(oldCheck.calls.filter((c) => c.change === '-').map((c) => c.name), ['likely', 'userfaultfd_wp']);
  // The first quoted hunk has no file header; the wrapped @@ lines are reported.
  assert.deepEqual(facts.problems!.map((p) => [p.kind, p.line]), [['hunk-without-header', 86], ['wrapped-hunk-header', 87], ['wrapped-hunk-header', 126]]);
});

test('seed 003: interdiff renames are removed and added definitions', () => {
  const facts = factsOf(SEED3).get(0)!;
  const def = (image: 'pre' | 'post', name: string) => facts.functions.find((f) => f.image === image && f.name === name && f.hasStart);
  for (const [from, to, fromLine, toLine] of [
    ['__vma_enter_exclusive_locked', '__vma_start_exclude_readers', 439, 440],
    ['__vma_exit_exclusive_locked', '__vma_end_exclude_readers', 409, 410],
    ['are_readers_excluded', '__vma_are_readers_excluded', 110, 111],
  ] as const) {
    const removed = def('pre', from);
    const added = def('post', to);
    assert.ok(removed, from);
    assert.ok(added, to);
    assert.equal(removed.change, '-', from);
    assert.equal(added.change, '+', to);
    assert.equal(removed.pos.line, fromLine);
    assert.equal(added.pos.line, toLine);
    assert.equal(def('post', from), undefined);
    assert.equal(def('pre', to), undefined);
  }
  assert.deepEqual([...new Set(facts.functions.map((f) => f.path))], ['include/linux/mmap_lock.h', 'mm/mmap_lock.c']);
  // The renamed helper's callers follow the rename on the post side.
  const start = facts.functions.find((f) => f.image === 'post' && f.name === '__vma_start_write' && !f.hasStart)!;
  assert.deepEqual(start.calls.filter((c) => c.change === '+').map((c) => c.name), ['__vma_start_exclude_readers', '__vma_end_exclude_readers']);
  assert.equal(facts.parse!.hunksWithErrors, 0);
});
