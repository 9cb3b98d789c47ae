/**
 * Reversed real fixes: applied in reverse, a fix re-introduces the bug it
 * fixed, which is the patch a reviewer should have stopped.  Each case names
 * the line of the reversed mail the finding must sit on, the words it must
 * say, and the rule; the near miss is the fix itself, as it was merged, on
 * which the same rule stays silent above info.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { review } from '../../../src/core/review.js';
import { reverseFixMail } from '../../../bench/recall/reverse.js';
import type { Finding } from '../../../src/core/findings.js';

const ROOT = new URL('../../../', import.meta.url);
const fixture = (p: string) => new URL(`test/fixtures/corpus/${p}`, ROOT).pathname;

async function reversed(file: string): Promise<{ text: string; findings: Finding[] }> {
  const rev = await reverseFixMail(file, readFileSync(fixture(file)));
  assert.ok(rev, `${file} has a diff to reverse`);
  const r = await review([{ file: `reversed-${file}`, data: rev.text }]);
  return { text: rev.text, findings: r.findings };
}

function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, `${needle} in the reversed mail`);
  return i + 1;
}

const CASES: { file: string; rule: string; at: string; says: RegExp }[] = [
  // memory_block_online() runs mhp_init_memmap_on_memory() without mem_hotplug_lock once the lock moves into online_pages().
  // The hunk starts with `}` and `#endif`: the function after it is parsed only since the composer puts the `#if` outside.
  { file: 'fixes/f31-mm-memory-hotplug-add-missing-mem-hotplug-lock.patch', rule: 'LOCK-REQUIRES', at: '-\tmem_hotplug_begin();',
    says: /removes mem_hotplug_begin\(\) and its mem_hotplug_done\(\) at line \d+, but keeps the code between them \(mhp_init_memmap_on_memory\(\) at line \d+\): it ran under mem_hotplug_lock/ },
  // fact sheet #5: dup_mmap() copies the parent's VMAs without write-locking them.
  { file: 'fixes/f01-fork-lock-vmas-of-the-parent-process-when-forking.patch', rule: 'LOCK-REQUIRES', at: '-\t\tvma_start_write(mpnt);',
    says: /removes vma_start_write\(mpnt\) from dup_mmap\(\)/ },
  // fact sheet #21: the killable madvise_lock() result is dropped on the retry path.
  { file: 'fixes/f03-mm-madvise-handle-madvise-lock-failure-during-race-unwinding.patch', rule: 'LOCK-KILLABLE-UNCHECKED', at: '+\t\t\tmadvise_lock(mm, behavior);',
    says: /result of madvise_lock\(\) is ignored here, but before this patch the code checked it/ },
  // security_mmap_file() under the mmap write lock: mmap_lock -> LSM lock inversion.
  { file: 'fixes/f07-mm-split-critical-region-in-remap-file-pages-and-invoke-lsms.patch', rule: 'LOCK-ORDER', at: '+\tret = security_mmap_file(vma->vm_file, prot, flags);',
    says: /security_mmap_file\(\) is called holding mmap_lock \(write\).*must run without it/ },
  // The lockdep assertion replaced by an irqs_disabled() check.
  { file: 'fixes/f17-mm-workingset-replace-irq-off-check-with-a-lockdep-assert.patch', rule: 'LOCK-ASSERT-MISMATCH', at: '-\tlockdep_assert_held(&mapping->i_pages.xa_lock);',
    says: /removes lockdep_assert_held\(&mapping->i_pages\.xa_lock\).*irqs_disabled\(\)/ },
  // claim_swapfile() returns -EBUSY with the inode locked.
  { file: 'fixes/f19-mm-swap-move-inode-lock-out-of-claim-swapfile.patch', rule: 'LOCK-UNBALANCED', at: '+\t\treturn -EBUSY;',
    says: /returns -EBUSY with i_rwsem \(write\) still held \(taken by inode_lock\(\)/ },
  // stop_machine() takes cpus_read_lock() where stop_machine_cpuslocked() ran with it held.
  { file: 'fixes/f21-powerpc-pseries-fix-cpu-hotplug-lock-acquisition-in-resize-h.patch', rule: 'LOCK-ORDER', at: '+\trc = stop_machine(pseries_lpar_resize_hpt_commit, &state, NULL);',
    says: /stop_machine\(\) takes cpu_hotplug_lock itself, but it replaces stop_machine_cpuslocked\(\)/ },
  // generic_access_phys() trusts a PTE read before the lock: the pte_same() re-check is gone.
  { file: 'fixes/f13-mm-close-race-in-generic-access-phys.patch', rule: 'LOCK-REQUIRES', at: '-\tif (!pte_same(pte, *ptep)) {',
    says: /removes the pte_same\(\) re-check made after follow_pte\(\)/ },
  // khugepaged modifies the VMAs of an mm a core dump is reading: no mmget_still_valid() after the lock.
  { file: 'fixes/f33-coredump-fix-race-condition-between-collapse-huge-page-and-c.patch', rule: 'LOCK-REQUIRES', at: '-\tif (!mmget_still_valid(mm))',
    says: /removes the mmget_still_valid\(\) re-check made after down_write\(\)/ },
  // s390 gmap: get_locked_pte() (allocates, may sleep) where try_get_locked_pte() ran in atomic context.
  { file: 'fixes/f23-kvm-s390-avoid-potentially-sleeping-while-atomic-when-zappin.patch', rule: 'LOCK-SLEEP-ATOMIC', at: '+\tptep = get_locked_pte(mm, vmaddr, &ptl);',
    says: /get_locked_pte\(\) may sleep, but it replaces try_get_locked_pte\(\), the form that does not sleep/ },
  // move_pages_pte(): split_folio() (may sleep) inside the RCU section pte_offset_map() opened.
  { file: 'fixes/f11-userfaultfd-fix-move-pages-pte-splitting-folio-under-rcu-rea.patch', rule: 'LOCK-SLEEP-ATOMIC', at: '\t\t\terr = split_folio(src_folio);',
    says: /split_folio\(\) may sleep, and this patch removes the pte_unmap\(\) at line \d+ that released the RCU read lock/ },
  // debug_vm_pgtable(): the P4D/PGD tests lose the page_table_lock around them.
  { file: 'fixes/f09-mm-debug-vm-pgtable-locks-take-correct-page-table-lock.patch', rule: 'LOCK-REQUIRES', at: '-\tspin_lock(&mm->page_table_lock);',
    says: /removes spin_lock\(mm->page_table_lock\) and its spin_unlock\(\).*keeps the code between them/ },
  // damon dbgfs: dbgfs_nr_ctxs read with damon_dbgfs_lock gone.
  { file: 'fixes/f29-mm-damon-dbgfs-fix-missed-use-of-damon-dbgfs-lock.patch', rule: 'LOCK-REQUIRES', at: '-\tmutex_lock(&damon_dbgfs_lock);',
    says: /removes mutex_lock\(damon_dbgfs_lock\) and its mutex_unlock\(\)/ },
  // memcg_lru.lock taken IRQ-unsafe although lru_gen_rotate_memcg() runs in softirq context.
  { file: 'fixes/f27-mm-mglru-make-memcg-lru-lock-irq-safe.patch', rule: 'LOCK-ORDER', at: '+\tspin_lock(&pgdat->memcg_lru.lock);',
    says: /replaces spin_lock_irqsave\(\), which kept interrupts off/ },
  // fact sheet #2: expand_upwards() changes vm_end without the VMA write lock.
  { file: 'real/051-mm-lock-a-vma-before-stack-expansion.patch', rule: 'LOCK-REQUIRES', at: '-\tvma_start_write(vma);',
    says: /removes vma_start_write\(vma\) from expand_upwards\(\)/ },
  // fact sheet #7: dup_anon_vma() sets dst->anon_vma without write-locking dst.
  { file: 'real/061-mm-lock-vma-in-dup-anon-vma-before-setting-anon-vma.patch', rule: 'LOCK-REQUIRES', at: '-\t\tvma_start_write(dst);',
    says: /removes vma_start_write\(dst\) from dup_anon_vma\(\)/ },
  // sparc_validate_prot() loses its mmap write-lock assertion.
  { file: 'real/041-mm-mprotect-call-arch-validate-prot-under-mmap-lock-and-with.patch', rule: 'LOCK-ASSERT-MISMATCH', at: '-\tmmap_assert_write_locked(current->mm);',
    says: /removes mmap_assert_write_locked\(current->mm\) from sparc_validate_prot\(\)/ },
];

for (const c of CASES) {
  test(`${c.rule} fires on reversed ${c.file.split('/').pop()}`, async () => {
    const { text, findings } = await reversed(c.file);
    const line = lineOf(text, c.at);
    const f = findings.find((x) => x.rule === c.rule && x.line === line);
    assert.ok(f, `${c.rule} not at line ${line}; got ${findings.map((x) => `${x.rule}@${x.line}`).join(', ') || 'nothing'}`);
    assert.notEqual(f.severity, 'info');
    assert.match(f.message, c.says);
    assert.ok((f.sources ?? []).length > 0, 'cites its sources');
  });
  test(`${c.rule} stays quiet on the fix ${c.file.split('/').pop()} as merged`, async () => {
    const r = await review([{ file: c.file, data: readFileSync(fixture(c.file)) }]);
    assert.deepEqual(r.findings.filter((x) => x.rule === c.rule && x.severity !== 'info').map((x) => `${x.line}: ${x.message}`), []);
  });
}

// Near misses from the accepted corpus: the same removals, made on purpose.
const NEAR: { file: string; rule: string; why: string }[] = [
  { file: 'real/077-mm-move-vma-locking-out-of-vma-prepare-and-dup-anon-vma.patch', rule: 'LOCK-REQUIRES', why: 'the VMA locks move to the callers' },
  { file: 'real/001-mm-khugepaged-collapse-pte-mapped-thp-with-mmap-read-lock.patch', rule: 'LOCK-REQUIRES', why: 'the code moves to the mmap read lock' },
  { file: 'real/069-mm-enable-page-walking-api-to-lock-vmas-during-the-walk.patch', rule: 'LOCK-ASSERT-MISMATCH', why: 'the assertion moves into process_mm_walk_lock()' },
  { file: 'real/065-mm-fix-a-lockdep-issue-in-vma-assert-write-locked.patch', rule: 'LOCK-ASSERT-MISMATCH', why: 'the body of an assertion helper' },
  { file: 'real/079-mm-madvise-split-out-mmap-locking-operations-for-madvise.patch', rule: 'LOCK-REQUIRES', why: 'the mmap lock moves into madvise_lock()' },
  { file: 'real/027-mm-pagewalk-introduce-folio-walk-start-folio-walk-end.patch', rule: 'LOCK-UNBALANCED', why: 'each goto found holds the page-table lock it found' },
];
for (const c of NEAR) {
  test(`${c.rule} stays quiet on ${c.file.split('/').pop()} (${c.why})`, async () => {
    const r = await review([{ file: c.file, data: readFileSync(fixture(c.file)) }]);
    const mine = r.findings.filter((x) => x.rule === c.rule);
    assert.deepEqual(mine.filter((x) => x.severity !== 'info').map((x) => `${x.line}: ${x.message}`), []);
    for (const x of mine) assert.ok(x.uncertain, `info at line ${x.line} says why`);
  });
}
