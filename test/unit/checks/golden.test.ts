/**
 * Golden tests of the lock checks on real patch text: every rule fires on a
 * real patch with a documented bug put in (test/fixtures/checks/README.md)
 * or on a seed, at the line a reviewer would point at, and stays silent on a
 * near miss (the unmodified real patch, or the bug fixed).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { review } from '../../../src/core/review.js';
import { RULES } from '../../../src/core/checks/index.js';
import type { Finding } from '../../../src/core/findings.js';

const ROOT = new URL('../../../', import.meta.url);
const path = (p: string) => new URL(p, ROOT).pathname;
const LOCK_RULES = new Set(RULES.map((r) => r.id));

const cache = new Map<string, Promise<Finding[]>>();
function findings(file: string): Promise<Finding[]> {
  if (!cache.has(file)) {
    cache.set(file, review([{ file, data: readFileSync(path(file)) }]).then((r) => r.findings.filter((f) => LOCK_RULES.has(f.rule))));
  }
  return cache.get(file)!;
}

/** 1-based line of the n-th line containing `needle` (so the test says what the reviewer sees). */
function lineOf(file: string, needle: string, nth = 1): number {
  const lines = readFileSync(path(file), 'utf8').split('\n');
  let seen = 0;
  for (let i = 0; i < lines.length; i++) if (lines[i].includes(needle) && ++seen === nth) return i + 1;
  throw new Error(`${needle} not in ${file}`);
}

const F = 'test/fixtures/checks/';
const REAL = 'test/fixtures/corpus/real/';
const real = (n: string) => {
  const names: Record<string, string> = {
    '001': '001-mm-khugepaged-collapse-pte-mapped-thp-with-mmap-read-lock.patch',
    '007': '007-mm-replace-vma-start-write-with-vma-start-write-killable.patch',
    '011': '011-mm-introduce-lock-vma-under-rcu-to-be-used-from-arch-specifi.patch',
    '015': '015-mm-khugepaged-use-vma-start-write-killable-in-collapse-huge.patch',
    '027': '027-mm-pagewalk-introduce-folio-walk-start-folio-walk-end.patch',
    '047': '047-mm-pagewalk-don-t-lock-ptes-for-walk-page-range-novma.patch',
    '055': '055-mm-mmap-write-lock-vmas-before-merging-splitting-or-expandin.patch',
    '057': '057-mm-migrate-device-c-flush-tlb-while-holding-ptl.patch',
    '071': '071-mm-khugepaged-fix-vm-lock-i-mmap-rwsem-inversion-in-retract.patch',
    '077': '077-mm-move-vma-locking-out-of-vma-prepare-and-dup-anon-vma.patch',
    '083': '083-userfaultfd-uffdio-remap-uabi.patch',
    '039': '039-mm-fix-double-page-fault-on-arm64-if-pte-af-is-cleared.patch',
    '043': '043-mm-prevent-userfaults-to-be-handled-under-per-vma-lock.patch',
    '063': '063-mm-handle-userfaults-under-vma-lock.patch',
    '081': '081-mm-lock-newly-mapped-vma-with-corrected-ordering.patch',
  };
  return REAL + names[n];
};

interface Firing {
  rule: string;
  file: string;
  /** Text of the line the finding must sit on. */
  at: string;
  nth?: number;
  severity: 'error' | 'warning' | 'info';
  /** Words the message must contain. */
  says: RegExp;
  /** For LOCK-* rules: text of the acquisition / use line on the path. */
  pathAt?: string;
}

const FIRING: Firing[] = [
  { rule: 'LOCK-ASSERT-MISMATCH', file: `${F}assert-mismatch-001-keeps-vma-start-write.patch`, at: '+\tmmap_assert_locked(mm);', severity: 'error',
    says: /mmap_assert_locked\(\).*vma_start_write\(\).*write/, pathAt: ' \tvma_start_write(vma);' },
  { rule: 'LOCK-ASSERT-MISMATCH', file: `${F}assert-mismatch-011-write-assert-after-read-lock.patch`, at: '+\tvma_assert_write_locked(vma);', severity: 'error',
    says: /vma_assert_write_locked\(\).*vma_start_read\(\)/, pathAt: '+\tif (!vma_start_read(vma))' },
  { rule: 'LOCK-REQUIRES', file: `${F}requires-001-read-lock-caller.patch`, at: '\t\t\tresult = collapse_pte_mapped_thp(mm, addr, true);', severity: 'error',
    says: /collapse_pte_mapped_thp\(\) needs mmap_lock \(write\).*mmap_read_lock\(\)/, pathAt: '+\t\t\tmmap_read_lock(mm);' },
  { rule: 'LOCK-ORDER', file: `${F}lock-order-081-reversed.patch`, at: '+\tvma_start_write(vma);', severity: 'error',
    says: /vma_start_write\(\).*i_mmap_rwsem.*1c7873e33645/, pathAt: 'i_mmap_lock_write(vma->vm_file->f_mapping);' },
  { rule: 'LOCK-UNBALANCED', file: `${F}unbalanced-039-return-holding-ptl.patch`, at: '+\t\t\treturn false;', severity: 'error',
    says: /returns false with the PTE ptl .*still held.*pte_unmap_unlock\(\)/, pathAt: '+\t\tvmf->pte = pte_offset_map_lock(' },
  { rule: 'LOCK-SLEEP-ATOMIC', file: `${F}sleep-039-copy-from-user.patch`, at: '+\tif (copy_from_user(kaddr, uaddr, PAGE_SIZE)) {', severity: 'error',
    says: /copy_from_user\(\) may sleep.*PTE ptl/, pathAt: '+\t\tvmf->pte = pte_offset_map_lock(' },
  { rule: 'LOCK-KILLABLE-UNCHECKED', file: `${F}killable-015-unchecked.patch`, at: '+\tvma_start_write_killable(vma);', severity: 'error',
    says: /result of vma_start_write_killable\(\) is ignored/ },
  { rule: 'LOCK-UNBALANCED', file: `${F}unbalanced-x86-fault-completed-end-read.patch`, at: ' \t\tvma_end_read(vma);', severity: 'error',
    says: /^vma_end_read\(vma\) now runs when handle_mm_fault\(\) returned VM_FAULT_COMPLETED, but then handle_mm_fault\(\) has already released the VMA lock.*drops VM_FAULT_COMPLETED from the test at line \d+/,
    pathAt: '-\tif (!(fault & (VM_FAULT_RETRY | VM_FAULT_COMPLETED)))' },
  { rule: 'LOCK-REQUIRES', file: `${F}requires-mprotect-start-write-after-flags.patch`, at: '+\tvma_start_write(vma);', severity: 'error',
    says: /^This patch moves vma_start_write\(vma\) below vm_flags_reset\(\) at line \d+: vma is changed before it is write-locked/,
    pathAt: ' \tvm_flags_reset(vma, newflags);' },
  { rule: 'LOCK-ORDER', file: `${F}order-vmf-anon-prepare-mmap-read-lock.patch`, at: '+\t\tmmap_read_lock(vma->vm_mm);', severity: 'error',
    says: /^mmap_read_lock\(\) in a fault handler: the fault runs with mmap_lock held for read, or under the per-VMA lock/ },
  { rule: 'LOCK-REQUIRES', file: `${F}requires-gup-pte-read-after-unmap.patch`, at: '+\tif (!pte_none(ptep_get(ptep)))', severity: 'error',
    says: /^ptep_get\(\) uses ptep after pte_unmap_unlock\(\) at line \d+ unmapped it: the page table may be freed/,
    pathAt: ' \tptep = pte_offset_map_lock(mm, pmd, address, &ptl);' },
  { rule: 'LOCK-REQUIRES', file: `${F}requires-msync-vma-file-after-unlock.patch`, at: '+\t\t\terror = vfs_fsync_range(vma->vm_file, fstart, fend, 1);', severity: 'error',
    says: /^vfs_fsync_range\(\) uses vma after mmap_read_unlock\(\) at line \d+ released mmap_lock, but vma was found in the VMA tree under that lock/,
    pathAt: ' \tvma = find_vma(mm, start);' },
  { rule: 'LOCK-REQUIRES', file: `${F}requires-uffd-anon-vma-prepare-under-vma-lock.patch`, at: '+\t\tif (is_cow_mapping(vma->vm_flags) && unlikely(anon_vma_prepare(vma))) {', severity: 'error',
    says: /^anon_vma_prepare\(\) needs mmap_lock, but this path holds only the per-VMA read lock from lock_vma_under_rcu\(\) at line \d+, which takes no mmap_lock/,
    pathAt: ' \tvma = lock_vma_under_rcu(mm, address);' },
  { rule: 'LOCK-KILLABLE-UNCHECKED', file: `${F}killable-670ddd8-pte-test-removed.patch`, at: ' \t\toldpte = ptep_get(pte);', severity: 'error',
    says: /^ptep_get\(\) is given pte before it is tested, but this patch removes the test of pte at line \d+, and pte_offset_map_lock\(\) may return NULL/,
    pathAt: '-\tif (!pte)' },
  { rule: 'FLAG-ATOMIC-NOT-ALLOWED', file: `${F}flag-atomic-locked-bit.patch`, at: 'vma_flag_set_atomic(vma, VM_LOCKED_BIT);', severity: 'error',
    says: /VM_LOCKED is not in VM_ATOMIC_SET_ALLOWED/ },
  { rule: 'FLAG-BIT-COLLISION', file: `${F}flag-collision-maybe-guard-bit12.patch`, at: '+#define VM_MAYBE_GUARD  BIT(VM_MAYBE_GUARD_BIT)', severity: 'error',
    says: /VM_MAYBE_GUARD is bit 12 \(0x1000\).*VM_UFFD_WP/ },
  { rule: 'FLAG-NOT-REGISTERED', file: `${F}flag-unregistered-maybe-guard.patch`, at: '+#define VM_MAYBE_GUARD  BIT(VM_MAYBE_GUARD_BIT)', severity: 'warning',
    says: /VM_MAYBE_GUARD is not added to include\/trace\/events\/mmflags\.h, fs\/proc\/task_mmu\.c, tools\/testing\/vma\// },
  { rule: 'VMA-INSERT-UNLOCKED', file: `${F}insert-unlocked-007-drops-vma-start-write.patch`, at: '+\tif (vma_iter_store_gfp(vmi, vma, GFP_KERNEL)) {', severity: 'error',
    says: /vma_iter_store_gfp\(\) stores the new VMA vma.*vma_start_write\(vma\)/, pathAt: '\tvma = vm_area_alloc(mm);' },
  { rule: 'BUG-ON-ADDED', file: real('063'), at: '+\tVM_BUG_ON_VMA(', severity: 'info', says: /VM_BUG_ON_VMA\(\).*VM_WARN_ON_ONCE_VMA\(\)/ },
  { rule: 'WARN-SIDE-EFFECT', file: `${F}warn-side-effect-027-clearing-read.patch`, at: 'pmdp_get_and_clear(vma->vm_mm, addr, pmdp)', severity: 'warning',
    says: /pmdp_get_and_clear\(\).*CONFIG_DEBUG_VM/ },
  { rule: 'LOCK-REQUIRES', file: `${F}requires-f01-iterated-vma-written.patch`, at: '+\t\tmpnt->anon_vma = NULL;', severity: 'error',
    says: /needs the VMA write lock of mpnt, but for_each_vma\(\) iterates mpnt over the VMA tree/, pathAt: '\tfor_each_vma(old_vmi, mpnt) {' },
  { rule: 'LOCK-UNBALANCED', file: `${F}unbalanced-f29-unlock-dropped-before-return.patch`, at: ' \t\t\t\treturn -EINVAL;', severity: 'warning',
    says: /removes mutex_unlock\(&damon_dbgfs_lock\) at line \d+, so this return -EINVAL now leaves with mutex held/ },
  { rule: 'LOCK-SLEEP-ATOMIC', file: `${F}sleep-027-alloc-before-ptep-test.patch`, at: '+\tfw->page = kmalloc(', severity: 'error',
    says: /^On the path where pte_offset_map_lock\(\) succeeded, kmalloc\(\) may sleep while holding the PTE ptl/ },
  // It also returns NULL holding the lock (a warning); the failure jump to the same label is the stronger witness.
  { rule: 'LOCK-UNBALANCED', file: `${F}unbalanced-011-goto-inval-holding-vma.patch`, at: '+\t\tgoto inval;', nth: 4, severity: 'error',
    says: /jumps to inval with the VMA lock \(read\) still held \(taken by vma_start_read\(\) at line \d+\), while the jump at line \d+ comes from the failure of that vma_start_read\(\)/,
    pathAt: '+\tif (!vma_start_read(vma))' },
  { rule: 'LOCK-REQUIRES', file: `${F}requires-043-uffd-test-above-vma-lock.patch`, at: '+\tif (userfaultfd_armed(vma))', severity: 'warning',
    says: /moves the test \(userfaultfd_armed\(vma\)\) above vma_start_read\(\)/, pathAt: ' \tif (!vma_start_read(vma))' },
  { rule: 'LOCK-UNBALANCED', file: `${F}unbalanced-043-goto-inval-holding-vma.patch`, at: '+\t\tgoto inval;', severity: 'error',
    says: /jumps to inval with the VMA lock \(read\) still held \(taken by vma_start_read\(\) at line \d+\), while the jump at line \d+ comes from the failure of that vma_start_read\(\)/,
    pathAt: ' \tif (!vma_start_read(vma))' },
  { rule: 'LOCK-UNBALANCED', file: `${F}unbalanced-011-return-vma-under-rcu.patch`, at: '+\treturn vma;', severity: 'error',
    says: /returns vma with the RCU read lock \(read\) still held \(taken by rcu_read_lock\(\) at line \d+\), while rcu_read_unlock\(\) at line \d+ releases it/,
    pathAt: '+\trcu_read_lock();' },
  { rule: 'LOCK-UNBALANCED', file: `${F}unbalanced-057-unlock-removed-before-flush.patch`, at: ' \treturn 0;', severity: 'warning',
    says: /removes pte_unmap_unlock\(ptep - 1, ptl\) at line \d+, so this return 0 now leaves with the PTE ptl held/, pathAt: '-\tpte_unmap_unlock(ptep - 1, ptl);' },
  { rule: 'LOCK-ASSERT-MISMATCH', file: `${F}assert-mismatch-047-held-after-pte-unmap-unlock.patch`, at: '+\t\tlockdep_assert_held(ptl);', severity: 'error',
    says: /lockdep_assert_held\(ptl\) asserts ptl is held, but pte_unmap_unlock\(\) released it/, pathAt: '+\t\tpte_unmap_unlock(pte, ptl);' },
  { rule: 'LOCK-REQUIRES', file: `${F}requires-077-remove-curr-unlocked.patch`, at: ' \t\t\tremove = curr;', severity: 'warning',
    says: /^remove = curr hands on curr, but this path never calls vma_start_write\(curr\), while this patch write-locks the VMA right before each of the other 3 such hand-offs/,
    pathAt: ' \t\tremove = next;' },
  { rule: 'LOCK-UNBALANCED', file: `${F}unbalanced-027-goto-pte-table-holding-pmd-ptl.patch`, at: '+\t\t\tgoto pte_table;', severity: 'error',
    says: /jumps with the PMD ptl \(write\) still held in ptl, and pte_offset_map_lock\(\) at line \d+ stores another lock in ptl/,
    pathAt: '+\tptep = pte_offset_map_lock(vma->vm_mm, pmdp, addr, &ptl);' },
  { rule: 'LOCK-REQUIRES', file: `${F}requires-057-reversed-flush-after-unlock.patch`, at: '+\tpte_unmap_unlock(ptep - 1, ptl);', severity: 'warning',
    says: /^This patch moves pte_unmap_unlock\(ptep - 1, ptl\) above flush_tlb_range\(\) at line \d+: the TLB is now flushed after the page-table lock is dropped/,
    pathAt: '-\tpte_unmap_unlock(ptep - 1, ptl);' },
  { rule: 'LOCK-UNBALANCED', file: `${F}unbalanced-083-ebusy-keeps-src-ptl.patch`, at: '+\t\treturn -EBUSY;', severity: 'warning',
    says: /^This path returns -EBUSY with src_ptl still locked, while every other return of remap_pages_huge_pmd\(\) releases it first \(spin_unlock\(\) at line \d+; the return -EAGAIN at line \d+ too\)/,
    pathAt: '+\tspin_unlock(src_ptl);' },
  { rule: 'LOCK-UNBALANCED', file: `${F}unbalanced-071-vm-lock-rwsem-returned-held.patch`, at: '+\treturn true;', severity: 'error',
    says: /^This path returns true with vma->vm_lock->lock still held for write \(taken by down_write_trylock\(\) at line \d+\), but that rwsem is write-held only to publish vm_lock_seq/,
    pathAt: '+\tif (!down_write_trylock(&vma->vm_lock->lock))' },
  { rule: 'LOCK-ORDER', file: `${F}lock-order-055-anon-vma-around-refound-next.patch`, at: '+\t\t\tvma_start_write(next);', severity: 'error',
    says: /^vma_start_write\(\) takes the VMA lock \(write\) while holding the anon_vma lock \(taken by anon_vma_lock_write\(\) at line \d+\)/,
    pathAt: '+\t\tanon_vma_lock_write(next->anon_vma);' },
  { rule: 'LOCK-UNBALANCED', file: `${F}unbalanced-043-end-read-removed-before-goto.patch`, at: ' \t\tgoto inval;', nth: 2, severity: 'warning',
    says: /^This patch removes vma_end_read\(vma\) at line \d+, so this goto inval now jumps with the VMA lock held, while the jump to inval at line \d+ still releases it first/,
    pathAt: '-\t\tvma_end_read(vma);' },
  { rule: 'LOCK-UNBALANCED', file: `${F}unbalanced-f29-init-never-unlocks.patch`, at: ' \treturn rc;', severity: 'warning',
    says: /^This path returns rc with mutex \(write\) still held \(taken by mutex_lock\(\) at line 55\), and damon_dbgfs_init\(\) releases it nowhere/ },
  { rule: 'LOCK-REQUIRES', file: `${F}requires-thread-free-pgtables-lock-dropped-in-loop.mbox`, at: '-\t\t\t\t\tvma_start_write(vma);', severity: 'warning',
    says: /^This patch removes vma_start_write\(vma\) from free_pgtables\(\) and nothing it adds write-locks vma again/ },
  { rule: 'LOCK-ORDER', file: `${F}lock-order-thread-free-pgtables-anon-vma-around-lock.mbox`, at: '+\t\t\t\tvma_start_write(vma);', severity: 'error',
    says: /^vma_start_write\(\) takes the VMA lock \(write\) while holding the anon_vma lock/, pathAt: '+\t\t\tanon_vma_lock_write(vma->anon_vma);' },
  // Seed 001: Vlastimil Babka's nit -- the comment still names the userfaultfd_wp() check.
  { rule: 'STALE-COMMENT-IDENT', file: 'test/fixtures/seeds/001_872d036f281e0629.txt', at: '> > +            * userfaultfd_wp() vmas.', severity: 'warning',
    says: /userfaultfd_wp\(\).*no longer calls/ },
  // Seed 003: the interdiff's mm_types.h comment names __vma_exit_exclusive_locked(), which v4 renames.
  { rule: 'STALE-COMMENT-IDENT', file: 'test/fixtures/seeds/003_6bc468803e1b8b4d.txt', at: '+\t * __vma_exit_exclusive_locked() completion which will decrement the', severity: 'warning',
    says: /__vma_exit_exclusive_locked\(\) \(renamed to __vma_end_exclude_readers\(\) in this series\)/ },
];

const NEAR_MISS: { rule: string; file: string; why: string }[] = [
  { rule: 'LOCK-ASSERT-MISMATCH', file: real('001'), why: 'the real patch removes vma_start_write() along with weakening the assertion' },
  { rule: 'LOCK-ASSERT-MISMATCH', file: `${F}assert-ok-011-read-assert-after-read-lock.patch`, why: 'vma_assert_locked() is satisfied by the read lock' },
  { rule: 'LOCK-REQUIRES', file: real('001'), why: 'the real callee asserts only mmap_assert_locked()' },
  { rule: 'LOCK-REQUIRES', file: `${F}requires-ok-f01-iterated-vma-locked.patch`, why: 'vma_start_write(mpnt) comes first' },
  { rule: 'LOCK-UNBALANCED', file: 'test/fixtures/corpus/fixes/f29-mm-damon-dbgfs-fix-missed-use-of-damon-dbgfs-lock.patch', why: 'the fix adds the unlock before the return' },
  { rule: 'LOCK-SLEEP-ATOMIC', file: real('027'), why: 'the allocation-free original tests the result at once' },
  { rule: 'LOCK-ASSERT-MISMATCH', file: 'test/fixtures/seeds/003_6bc468803e1b8b4d.txt', why: 'the assertion moves into __vma_raw_mm_seqnum(), which the function calls' },
  { rule: 'LOCK-UNBALANCED', file: real('011'), why: 'vma_end_read() before goto inval' },
  { rule: 'LOCK-REQUIRES', file: real('043'), why: 'the userfaultfd_armed() test comes after vma_start_read()' },
  { rule: 'LOCK-ORDER', file: real('081'), why: 'the fix: vma_start_write() before i_mmap_lock_write()' },
  { rule: 'LOCK-UNBALANCED', file: real('039'), why: 'the error path goes through pte_unlock:' },
  { rule: 'LOCK-SLEEP-ATOMIC', file: real('039'), why: '__copy_from_user_inatomic() does not sleep' },
  { rule: 'LOCK-KILLABLE-UNCHECKED', file: real('015'), why: 'the result is tested' },
  { rule: 'FLAG-ATOMIC-NOT-ALLOWED', file: `${F}madvise-guard-install.patch`, why: 'VM_MAYBE_GUARD is the allowed bit' },
  { rule: 'FLAG-BIT-COLLISION', file: `${F}maybe-guard-intro.patch`, why: '0x800 was freed by VM_DENYWRITE and is VM_MAYBE_GUARD in the model' },
  { rule: 'FLAG-NOT-REGISTERED', file: `${F}maybe-guard-intro.patch`, why: 'the series adds mmflags.h, task_mmu.c and tools/testing/vma entries' },
  { rule: 'VMA-INSERT-UNLOCKED', file: real('007'), why: 'vma_start_write_killable() succeeds before the store' },
  { rule: 'BUG-ON-ADDED', file: real('027'), why: 'it adds VM_WARN_ON_ONCE(), not BUG_ON()' },
  { rule: 'WARN-SIDE-EFFECT', file: real('027'), why: 'pmdp_get_lockless() only reads' },
  { rule: 'LOCK-UNBALANCED', file: real('043'), why: 'vma_end_read() before the new goto inval' },
  { rule: 'LOCK-UNBALANCED', file: real('001'), why: 'abort: can test the stored pte_offset_map_lock() result, so its failure jump proves nothing' },
  { rule: 'LOCK-UNBALANCED', file: real('057'), why: 'pte_unmap_unlock() moves below the flush instead of going away' },
  { rule: 'LOCK-ASSERT-MISMATCH', file: `${F}assert-ok-047-held-before-pte-unmap-unlock.patch`, why: 'the assertion comes before pte_unmap_unlock()' },
  { rule: 'LOCK-REQUIRES', file: real('077'), why: 'every VMA vma_merge() hands on is write-locked right before' },
  { rule: 'LOCK-UNBALANCED', file: real('027'), why: 'spin_unlock(ptl) before each goto to a label that locks ptl again' },
  { rule: 'LOCK-REQUIRES', file: real('057'), why: 'the fix moves the flush under the ptl, not out of it' },
  { rule: 'LOCK-UNBALANCED', file: `${F}requires-057-reversed-flush-after-unlock.patch`, why: 'the unlock before return 0 moves up the function rather than going away' },
  { rule: 'LOCK-UNBALANCED', file: real('083'), why: 'every failure of remap_pages_huge_pmd() releases the src_ptl it was given; remap_pages_pte() releases only what it took' },
  { rule: 'LOCK-UNBALANCED', file: real('071'), why: 'vma_try_start_write() releases the rwsem before return true' },
  { rule: 'LOCK-ORDER', file: real('055'), why: 'the re-found next is write-locked with no rmap lock held' },
  { rule: 'LOCK-UNBALANCED', file: `${F}unbalanced-ok-x86-fault-end-read-after-goto.patch`, why: 'the test of VM_FAULT_RETRY | VM_FAULT_COMPLETED is now a goto over vma_end_read()' },
  { rule: 'LOCK-REQUIRES', file: `${F}requires-ok-mprotect-start-write-earlier.patch`, why: 'vma_start_write() moves up, still before vm_flags_reset()' },
  { rule: 'LOCK-ORDER', file: `${F}order-ok-vmf-anon-prepare-trylock.patch`, why: 'the fault still tries mmap_lock and returns VM_FAULT_RETRY when it is taken' },
  { rule: 'LOCK-REQUIRES', file: `${F}requires-ok-gup-pte-copy-after-unmap.patch`, why: 'after pte_unmap_unlock() only the copy of the entry taken under the lock is read' },
  { rule: 'LOCK-REQUIRES', file: `${F}requires-ok-msync-file-after-unlock.patch`, why: 'after mmap_read_unlock() only the pinned file and offsets taken under the lock are used' },
  { rule: 'LOCK-REQUIRES', file: `${F}requires-ok-uffd-anon-vma-prepare-under-mmap-lock.patch`, why: 'anon_vma_prepare() after mmap_read_lock(): the per-VMA lock was dropped or never taken on that path' },
  { rule: 'LOCK-KILLABLE-UNCHECKED', file: `${F}killable-ok-670ddd8-pte-test-rewritten.patch`, why: 'the test of pte is rewritten as unlikely(!pte), not removed' },
  { rule: 'LOCK-KILLABLE-UNCHECKED', file: real('047'), why: 'a pte_offset_map_lock() call added untested, as all code before 6.5 did: only a removed test counts' },
  { rule: 'LOCK-UNBALANCED', file: `${F}unbalanced-ok-011-acquires-rcu.patch`, why: '__acquires(RCU): the RCU section is handed to the caller' },
  { rule: 'LOCK-UNBALANCED', file: `${F}unbalanced-ok-043-end-read-removed-before-both-gotos.patch`, why: 'both jumps to inval lose their vma_end_read(): the unlock may move to the label' },
  { rule: 'LOCK-UNBALANCED', file: `${F}unbalanced-ok-f29-lock-helper-name.patch`, why: 'named like a lock helper, which returns holding what it took' },
  { rule: 'LOCK-REQUIRES', file: 'test/fixtures/corpus/threads/real-mm-drop-hugetlb-free-pgd-range.mbox', why: 'vma_start_write(vma) comes back after the same `vma = next;`' },
  { rule: 'LOCK-ORDER', file: 'test/fixtures/corpus/threads/real-mm-drop-hugetlb-free-pgd-range.mbox', why: 'the gathered VMA is write-locked with no rmap lock held' },
  { rule: 'STALE-COMMENT-IDENT', file: `${F}stale-001-comment-fixed.txt`, why: 'the comment names the new check' },
  { rule: 'STALE-COMMENT-IDENT', file: 'test/fixtures/seeds/000_dbfa3d816e84323d.txt', why: 'new helpers with comments naming only what exists' },
];

for (const c of FIRING) {
  test(`${c.rule} fires on ${c.file.split('/').pop()}`, async () => {
    const all = await findings(c.file);
    const line = lineOf(c.file, c.at, c.nth);
    const f = all.find((x) => x.rule === c.rule && x.line === line);
    assert.ok(f, `${c.rule} not at line ${line}; got ${all.map((x) => `${x.rule}@${x.line}`).join(', ') || 'nothing'}`);
    assert.equal(f.severity, c.severity);
    assert.match(f.message, c.says);
    assert.match(f.message, /^[^\n]+[.]$/, 'one sentence');
    assert.ok(f.column >= 1);
    assert.ok((f.sources ?? []).length > 0 && f.sources!.every((s) => s.file), 'cites its sources');
    if (c.pathAt) {
      const want = lineOf(c.file, c.pathAt);
      assert.ok(f.path?.some((s) => s.line === want), `path ${JSON.stringify(f.path)} lacks line ${want}`);
      assert.ok(f.path?.some((s) => s.line === line), 'path ends at the finding');
    }
    if (!c.file.includes('seeds/001')) assert.ok(f.patchFile && f.patchLine && f.patchLine > 0, 'kernel-tree place');
  });
}

for (const c of NEAR_MISS) {
  test(`${c.rule} stays silent on ${c.file.split('/').pop()} (${c.why})`, async () => {
    const all = (await findings(c.file)).filter((x) => x.rule === c.rule);
    // A rule may speak at info when it explains why it is unsure (`uncertain`); a near miss is silent above that.
    assert.deepEqual(all.filter((x) => x.severity !== 'info').map((x) => `${x.line}: ${x.message}`), []);
    for (const x of all) assert.ok(x.uncertain, `info at line ${x.line} says why it is unsure`);
  });
}

test('every rule has a firing and a near-miss golden test', () => {
  for (const r of RULES) {
    assert.ok(FIRING.some((c) => c.rule === r.id), `${r.id} has no firing case`);
    assert.ok(NEAR_MISS.some((c) => c.rule === r.id), `${r.id} has no near miss`);
  }
});

test('seed 000 fires nothing of severity warning or above', async () => {
  const all = await findings('test/fixtures/seeds/000_dbfa3d816e84323d.txt');
  assert.deepEqual(all.filter((f) => f.severity !== 'info').map((f) => `${f.rule}@${f.line}`), []);
});

test('seed 002 (damaged mail) says its diff could not be read instead of a clean result', async () => {
  const file = 'test/fixtures/seeds/002_2d6408fa18c60d10.txt';
  const r = await review([{ file, data: readFileSync(path(file)) }]);
  const p = r.problems.find((x) => x.kind === 'damaged-diff');
  assert.ok(p, `problems: ${r.problems.map((x) => x.kind).join(', ')}`);
  assert.match(p.message, /diff could not be read/);
  assert.equal(p.file, file);
});
