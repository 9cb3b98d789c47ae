import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractPatchFacts, identityMap } from '../../../src/core/c/index.js';
import { evaluate } from '../../../src/core/c/defines.js';
import { commentIdentifiers } from '../../../src/core/c/comments.js';

/** A new-file patch of `lines`, so every line is a `+` line at diff line 5 + i. */
function newFile(path: string, lines: string[]): string {
  return [`diff --git a/${path} b/${path}`, 'new file mode 100644', '--- /dev/null', `+++ b/${path}`, `@@ -0,0 +1,${lines.length} @@`, ...lines.map((l) => '+' + l), ''].join('\n');
}

test('kernel macros do not derail the parse', () => {
  const src = [
    'DEFINE_GUARD(mmap_read_lock, struct mm_struct *, mmap_read_lock(_T), mmap_read_unlock(_T))',
    '',
    'static inline __must_check bool lock_all(struct mm_struct *mm, struct list_head *head)',
    '\t__acquires(&mm->mmap_lock)',
    '{',
    '\tstruct vm_area_struct *vma;',
    '\tstruct foo *f __free(kfree) = NULL;',
    '\tVMA_ITERATOR(vmi, mm, 0);',
    '',
    '\tguard(mmap_read_lock)(mm);',
    '\tif (unlikely(!mm))',
    '\t\treturn false;',
    '\tfor_each_vma(vmi, vma)',
    '\t\tvma_start_write(vma);',
    '\tlist_for_each_entry(vma, head, list) {',
    '\t\tVM_WARN_ON_ONCE(!vma->vm_mm);',
    '\t\tvma->vm_flags |= VM_LOCKED;',
    '\t}',
    '\tscoped_guard(spinlock, &mm->page_table_lock) {',
    '\t\tmm->locked_vm++;',
    '\t}',
    '\treturn true;',
    '}',
    'EXPORT_SYMBOL_GPL(lock_all);',
  ];
  const facts = extractPatchFacts({ file: 'm.patch', diff: newFile('mm/lock.c', src), map: identityMap(40) });
  assert.deepEqual(facts.parse, { hunks: 1, hunksWithErrors: 0, errors: [] });
  const [fn] = facts.functions;
  assert.equal(fn!.name, 'lock_all');
  assert.equal(fn!.added, true);
  assert.deepEqual(fn!.calls.map((c) => c.name), ['VMA_ITERATOR', 'guard', 'unlikely', 'vma_start_write', 'VM_WARN_ON_ONCE', 'scoped_guard']);
  assert.deepEqual(fn!.calls[1]!.args, ['mmap_read_lock', 'mm']);
  const loops = fn!.flow.filter((i) => i.kind === 'loop');
  assert.deepEqual(loops.map((l) => l.kind === 'loop' && [l.header, l.pos.line]), [
    ['for_each_vma(vmi, vma)', 18],
    ['list_for_each_entry(vma, head, list)', 20],
  ]);
  const inLoop = loops[1]!.kind === 'loop' ? loops[1]!.body : [];
  assert.ok(inLoop.some((i) => i.kind === 'assign' && i.assign.target === 'vma->vm_flags' && i.assign.op === '|=' && i.assign.field === 'vm_flags'));
  const scoped = fn!.flow.find((i) => i.kind === 'if' && i.condition.startsWith('scoped_guard'));
  assert.ok(scoped && scoped.kind === 'if' && scoped.conditionCalls[0]!.args.join(', ') === 'spinlock, &mm->page_table_lock');
});

test('define values: BIT(), hex, masks of other defines, casts, and what is not constant', () => {
  const defs: Record<string, string> = { VM_LOCKED: '0x00002000', VM_LOCKONFAULT: '0x00080000', VM_MAYBE_GUARD_BIT: '11', VM_MAYBE_GUARD: 'BIT(VM_MAYBE_GUARD_BIT)', LOOP: 'LOOP' };
  const look = (n: string) => defs[n] ?? null;
  assert.equal(evaluate('(VM_LOCKED | VM_LOCKONFAULT)', look), 0x82000n);
  assert.equal(evaluate('BIT(11)', look), 0x800n);
  assert.equal(evaluate('0x00000800', look), 0x800n);
  assert.equal(evaluate('VM_MAYBE_GUARD', look), 0x800n);
  assert.equal(evaluate('((__force gfp_t)VM_LOCKED)', look), 0x2000n);
  assert.equal(evaluate('GENMASK(7, 4) | _AC(1, UL) << 12', look), 0x10f0n);
  assert.equal(evaluate('~VM_LOCKED & 0xffff', look), 0xdfffn);
  assert.equal(evaluate('LOOP', look), null);
  assert.equal(evaluate('foo(1)', look), null);
  assert.equal(evaluate('VM_UNKNOWN | 1', look), null);
  assert.equal(evaluate('1 / 0', look), null);
  const facts = extractPatchFacts({ file: 'd.patch', diff: newFile('include/linux/x.h', ['#define A_BIT 3', '#define A BIT(A_BIT)', '#define B (A | 0x1) /* both */', '#define F(x) ((x) + 1)']), map: identityMap(20) });
  assert.deepEqual(facts.defines.map((d) => [d.name, d.value, d.pos.line]), [['A_BIT', 3n, 6], ['A', 8n, 7], ['B', 9n, 8], ['F', null, 9]]);
});

test('comment identifiers: calls, struct names, fields and code-like words, not English', () => {
  assert.deepEqual(
    commentIdentifiers('/* Now that we hold ptlock, repeating the userfaultfd_wp() check and anon_vma;\n * see struct vm_area_struct, @vma and ->vm_flags. VM_LOCKED is (thanks Vlastimil) set. */'),
    ['userfaultfd_wp', 'anon_vma', 'struct vm_area_struct', 'vma', 'vm_flags', 'VM_LOCKED'],
  );
});

test('bad input never throws: garbage, a lone @@, unbalanced braces, a 100,000-character line', () => {
  for (const diff of ['', 'garbage\n', '@@ -1 +1 @@\n-}}}}\n+{{{{\n', newFile('a.c', ['x'.repeat(100_000) + '(', '}}}', 'for_each_x(' + '('.repeat(5000)])]) {
    const t0 = performance.now();
    const facts = extractPatchFacts({ file: 'g', diff, map: identityMap(10) });
    assert.ok(Array.isArray(facts.functions));
    assert.ok(performance.now() - t0 < 2000);
  }
  const skipped = extractPatchFacts({ file: 'g', diff: newFile('Documentation/mm/x.rst', ['text']), map: identityMap(10) });
  assert.deepEqual(skipped.skipped, [{ path: 'Documentation/mm/x.rst', reason: 'not a C file' }]);
});
