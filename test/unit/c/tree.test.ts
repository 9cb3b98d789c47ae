import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractPatchFacts, identityMap } from '../../../src/core/c/index.js';
import { fixtures } from './helpers.js';

const tree = fixtures + 'kernel-tree';

/** The madvise patch of seed 001, rebased onto the fixture tree (tabs intact). */
const patch = [
  'diff --git a/mm/madvise.c b/mm/madvise.c', // 0
  'index 1111111..2222222 100644',
  '--- a/mm/madvise.c',
  '+++ b/mm/madvise.c',
  '@@ -10,15 +10,21 @@ static long madvise_guard_install(struct madvise_behavior *madv_behavior)', // 4
  ' \t\treturn -EINVAL;',
  ' ',
  ' \t/*',
  '-\t * If we install guard markers, then the range is no longer',
  '-\t * empty from a page table perspective and therefore it\'s',
  '-\t * appropriate to have an anon_vma.',
  '+\t * Set atomically under read lock.',
  '+\t */',
  '+\tvma_flag_set_atomic(vma, VM_MAYBE_GUARD_BIT);', // 13
  '+',
  '+\t/*',
  '+\t * If anonymous, the VMA ought to have an anon_vma.',
  ' \t */',
  '-\terr = anon_vma_prepare(vma);',
  '-\tif (err)',
  '-\t\treturn err;',
  '+\tif (vma_is_anonymous(vma)) {',
  '+\t\terr = anon_vma_prepare(vma);',
  '+\t\tif (err)',
  '+\t\t\treturn err;',
  '+\t}',
  ' ',
  ' \t/*',
  ' \t * Optimistically try to install the guard marker pages first.',
  'diff --git a/include/linux/mm.h b/include/linux/mm.h',
  '--- a/include/linux/mm.h',
  '+++ b/include/linux/mm.h',
  '@@ -14,6 +14,9 @@',
  ' /* This mask represents all the VMA flag bits used by mlock */',
  ' #define VM_LOCKED_MASK\t(VM_LOCKED | VM_LOCKONFAULT)',
  ' ',
  '+/* These flags can be updated atomically via VMA/mmap read lock. */',
  '+#define VM_ATOMIC_SET_ALLOWED VM_MAYBE_GUARD',
  '+',
  ' #endif /* _LINUX_MM_H */',
  '',
].join('\n');

test('kernel-tree mode: whole functions from the patched tree file, defines from its headers', () => {
  const facts = extractPatchFacts({ file: 'guard.patch', diff: patch, map: identityMap(60) }, { tree });
  assert.deepEqual(facts.notApplied ?? [], []);
  const post = facts.functions.find((f) => f.image === 'post' && f.name === 'madvise_guard_install')!;
  // The definition's start is not in the hunk, but the tree has it.
  assert.equal(post.hasStart, true);
  assert.equal(post.pos.file, tree + '/mm/madvise.c');
  assert.equal(post.pos.line, 4);
  assert.deepEqual(post.calls.map((c) => c.name), [
    'is_valid_guard_vma', 'vma_flag_set_atomic', 'vma_is_anonymous', 'anon_vma_prepare', 'walk_page_range_mm', 'zap_page_range_single',
  ]);
  const set = post.calls[1]!;
  assert.deepEqual([set.pos.file, set.pos.line, set.pos.column, set.change], ['guard.patch', 14, 3, '+']);
  // Calls outside the hunks point into the tree file, lines of the patched file.
  const walk = post.calls[4]!;
  // ... at the line of the tree's file (the reviewer's copy), not of the patched text.
  assert.deepEqual([walk.pos.file, walk.pos.line, walk.pos.column, walk.change], [tree + '/mm/madvise.c', 25, 9, ' ']);
  assert.ok(post.flow.some((i) => i.kind === 'loop' && i.header === 'for (;;)'));
  const pre = facts.functions.find((f) => f.image === 'pre' && f.name === 'madvise_guard_install')!;
  assert.deepEqual(pre.calls.map((c) => c.name), ['is_valid_guard_vma', 'anon_vma_prepare', 'walk_page_range_mm', 'zap_page_range_single']);
  const allowed = facts.defines.find((d) => d.name === 'VM_ATOMIC_SET_ALLOWED')!;
  assert.equal(allowed.value, 2048n);
  assert.equal(allowed.pos.line, 38);
  assert.equal(facts.defines.find((d) => d.name === 'VM_LOCKED_MASK')!.value, 0x82000n);
  assert.equal(facts.parse!.hunksWithErrors, 0);
});

test('kernel-tree mode: a hunk that does not apply is reported where it is, and the file falls back to fragments', () => {
  const bad = patch.replace(' \t\treturn -EINVAL;', ' \t\treturn -EPERM;');
  const facts = extractPatchFacts({ file: 'guard.patch', diff: bad, map: identityMap(60) }, { tree });
  assert.equal(facts.notApplied!.length, 1);
  const [miss] = facts.notApplied!;
  assert.equal(miss!.path, 'mm/madvise.c');
  assert.equal(miss!.hunk, 0);
  assert.equal(miss!.pos.line, 5);
  assert.match(miss!.reason, /mm\/madvise\.c:10 is "return -EINVAL;", the patch expects "return -EPERM;"/);
  // Fragment facts are still there.
  const post = facts.functions.find((f) => f.image === 'post' && f.name === 'madvise_guard_install')!;
  assert.equal(post.hasStart, false);
  assert.ok(post.calls.some((c) => c.name === 'vma_flag_set_atomic'));
});

test('kernel-tree mode: a file missing from the tree, and a hunk that moved', () => {
  const moved = patch.replace('@@ -10,15 +10,21 @@', '@@ -40,15 +40,21 @@');
  const facts = extractPatchFacts({ file: 'p', diff: moved, map: identityMap(60) }, { tree });
  assert.deepEqual(facts.notApplied ?? [], []);
  assert.equal(facts.functions.find((f) => f.image === 'post' && f.name === 'madvise_guard_install')?.hasStart, true);
  const missing = 'diff --git a/mm/none.c b/mm/none.c\n--- a/mm/none.c\n+++ b/mm/none.c\n@@ -1 +1 @@\n-a;\n+b;\n';
  const f2 = extractPatchFacts({ file: 'p', diff: missing, map: identityMap(10) }, { tree });
  assert.deepEqual(f2.notApplied!.map((n) => [n.path, n.pos.line, n.reason]), [['mm/none.c', 4, 'mm/none.c is not in the tree']]);
});

test('kernel-tree mode: a hunk the tree already holds is told apart from one that does not apply', () => {
  const applied = [
    'diff --git a/mm/madvise.c b/mm/madvise.c',
    '--- a/mm/madvise.c',
    '+++ b/mm/madvise.c',
    '@@ -9,3 +9,3 @@ static long madvise_guard_install(struct madvise_behavior *madv_behavior)',
    ' \tif (!is_valid_guard_vma(vma, /* allow_locked = */false))',
    '-\t\treturn -EPERM;',
    '+\t\treturn -EINVAL;',
    ' ',
    '',
  ].join('\n');
  const facts = extractPatchFacts({ file: 'old.patch', diff: applied, map: identityMap(10) }, { tree });
  assert.deepEqual(facts.notApplied!.map((n) => [n.hunk, n.pos.line, n.reason]), [[0, 4, 'already in mm/madvise.c: its post-image is at line 9']]);
});

test('kernel-tree mode: a define resolves through the rest of the patched file and the headers it includes', () => {
  const diff = [
    'diff --git a/mm/madvise.c b/mm/madvise.c',
    '--- a/mm/madvise.c',
    '+++ b/mm/madvise.c',
    '@@ -37,4 +37,5 @@ static long madvise_guard_install(struct madvise_behavior *madv_behavior)',
    ' #include <linux/guard.h>',
    ' ',
    ' #define LOCAL_GUARD_FLAG\t0x10',
    '+#define ALL_GUARD_FLAGS\t(LOCAL_GUARD_FLAG | GUARD_BASE | VM_LOCKED)',
    '',
  ].join('\n');
  const facts = extractPatchFacts({ file: 'g.patch', diff, map: identityMap(10) }, { tree });
  assert.deepEqual(facts.notApplied ?? [], []);
  assert.deepEqual(facts.defines.map((d) => [d.name, d.change, d.value, d.pos.line]), [
    ['LOCAL_GUARD_FLAG', ' ', 0x10n, 7],
    ['ALL_GUARD_FLAGS', '+', 0x2110n, 8],
  ]);
  // Without the tree the same define cannot be evaluated: its names are unknown.
  const alone = extractPatchFacts({ file: 'g.patch', diff, map: identityMap(10) });
  assert.equal(alone.defines.find((d) => d.name === 'ALL_GUARD_FLAGS')!.value, null);
});
