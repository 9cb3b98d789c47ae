/**
 * Every helper of the fact sheet (sections 2.1-2.8, 3.2) with what it
 * requires, acquires, releases or asserts.  Argument indices are 0-based
 * (`instance: 0` = the lock object is named by the first argument).
 */
import type { SourceRef } from '../findings.js';
import type { HelperSpec, LockClass, LockMode, LockUse } from './types.js';
import { SRC } from './sources.js';

const use = (lock: LockClass, mode: LockMode | 'any', instance?: number | 'return'): LockUse =>
  instance === undefined ? { lock, mode } : { lock, mode, instance };

const MMAP_R = use('mmap_lock', 'read', 0);
const MMAP_W = use('mmap_lock', 'write', 0);
const MMAP_ANY = use('mmap_lock', 'any');
const MMAP_WRITE = use('mmap_lock', 'write');

const NO_PVL_NOOP = 'no-op';

function h(spec: HelperSpec): HelperSpec {
  return spec;
}

/** The helpers of section 2.1: mm->mmap_lock. */
const MMAP: HelperSpec[] = [
  h({ name: 'mmap_read_lock', kind: 'acquire', acquires: [MMAP_R], maySleep: true, source: [SRC.MM_LOCKH] }),
  h({ name: 'mmap_read_lock_nested', kind: 'acquire', acquires: [MMAP_R], maySleep: true, nested: true, source: [SRC.MM_LOCKH] }),
  h({ name: 'mmap_read_lock_killable', kind: 'acquire', acquires: [MMAP_R], success: 'zero', mustCheck: true, maySleep: true,
    note: '0 on success, -EINTR with no lock held', source: [SRC.MM_LOCKH] }),
  h({ name: 'mmap_read_lock_killable_nested', kind: 'acquire', acquires: [MMAP_R], success: 'zero', mustCheck: true, maySleep: true, nested: true,
    source: [{ file: 'include/linux/mmap_lock.h', kernel: 'mm 2025-08', note: 'added by "mm: add mmap_read_lock_killable_nested()" (corpus real/045)' }] }),
  h({ name: 'mmap_read_trylock', kind: 'acquire', acquires: [MMAP_R], success: 'true', mustCheck: true,
    note: 'allowed while holding a VMA read lock', source: [SRC.MM_LOCKH] }),
  h({ name: 'mmap_read_unlock', kind: 'release', releases: [MMAP_R], source: [SRC.MM_LOCKH] }),
  h({ name: 'mmap_read_unlock_non_owner', kind: 'release', releases: [MMAP_R], source: [SRC.MM_LOCKH] }),
  h({ name: 'mmap_write_lock', kind: 'acquire', acquires: [MMAP_W], maySleep: true, source: [SRC.MM_LOCKH] }),
  h({ name: 'mmap_write_lock_nested', kind: 'acquire', acquires: [MMAP_W], maySleep: true, nested: true,
    note: 'child mm in dup_mmap() with SINGLE_DEPTH_NESTING', source: [SRC.MM_LOCKH] }),
  h({ name: 'mmap_write_lock_killable', kind: 'acquire', acquires: [MMAP_W], success: 'zero', mustCheck: true, maySleep: true, source: [SRC.MM_LOCKH] }),
  h({ name: 'mmap_write_trylock', kind: 'acquire', acquires: [MMAP_W], success: 'true', mustCheck: true,
    note: 'does not exist in 6.12 or the 2026 mm tree (5.8-era API)', source: [SRC.MM_LOCKH] }),
  h({ name: 'mmap_write_unlock', kind: 'release', releases: [MMAP_W, { lock: 'vma_lock', mode: 'write', all: true }],
    note: 'vma_end_write_all(): drops every VMA write lock too', source: [SRC.MM_LOCKH] }),
  h({ name: 'mmap_write_downgrade', kind: 'release', requires: [MMAP_WRITE],
    releases: [MMAP_W, { lock: 'vma_lock', mode: 'write', all: true }], acquires: [MMAP_R],
    note: 'write -> read; drops every VMA write lock', source: [SRC.MM_LOCKH, SRC.MM_DOC] }),
  h({ name: 'mmap_assert_locked', kind: 'assert', asserts: [use('mmap_lock', 'any', 0)],
    note: 'rwsem_assert_held(); active without CONFIG_DEBUG_VM', source: [SRC.MM_LOCKH] }),
  h({ name: 'mmap_assert_write_locked', kind: 'assert', asserts: [use('mmap_lock', 'write', 0)], source: [SRC.MM_LOCKH] }),
  h({ name: 'mmap_lock_is_contended', kind: 'other', source: [SRC.MM_LOCKH] }),
  h({ name: 'lock_mm_and_find_vma', kind: 'acquire', acquires: [MMAP_R], success: 'nonnull', maySleep: true,
    note: 'may drop and retake the lock as write to expand the stack; NULL with no lock held', source: [SRC.MM_LOCKC] }),
  h({ name: 'mmap_read_lock_maybe_expand', kind: 'other', note: 'read its implementation before judging callers', source: [SRC.MM_MMH] }),
];

/** Section 2.2: per-VMA locks. */
const VMA: HelperSpec[] = [
  h({ name: 'lock_vma_under_rcu', kind: 'acquire', acquires: [use('vma_lock', 'read', 'return')], success: 'nonnull', mustCheck: true,
    note: 'NULL is normal and may be spurious: callers must fall back to mmap_read_lock()',
    withoutPerVmaLock: 'returns NULL, so callers always take the mmap path', source: [SRC.MM_LOCKC, SRC.L612_MEMORY] }),
  h({ name: 'lock_vma_under_rcu_wait', kind: 'acquire', acquires: [use('vma_lock', 'read', 'return')], success: 'nonnull', maySleep: true,
    source: [SRC.MM_LOCKC] }),
  h({ name: 'vma_start_read', kind: 'acquire', requires: [use('rcu', 'read')], acquires: [use('vma_lock', 'read')], success: 'true',
    note: 'must be inside rcu_read_lock(); drops RCU on failure; not for general use (use lock_vma_under_rcu())', source: [SRC.MM_LOCKC] }),
  h({ name: 'vma_start_read_locked', kind: 'acquire', requires: [MMAP_ANY], acquires: [use('vma_lock', 'read', 0)], success: 'true', mustCheck: true,
    note: 'can fail on refcount overflow', source: [SRC.MM_LOCKH] }),
  h({ name: 'vma_start_read_locked_nested', kind: 'acquire', requires: [MMAP_ANY], acquires: [use('vma_lock', 'read', 0)], success: 'true',
    mustCheck: true, nested: true, source: [SRC.MM_LOCKH] }),
  h({ name: 'vma_end_read', kind: 'release', releases: [use('vma_lock', 'read', 0)], withoutPerVmaLock: NO_PVL_NOOP, source: [SRC.MM_LOCKH] }),
  h({ name: 'lock_next_vma', kind: 'other', requires: [use('rcu', 'read')],
    note: 'read-locks the next VMA or falls back to the mmap read lock; returns a VMA, NULL or ERR_PTR', source: [SRC.MM_LOCKC] }),
  h({ name: 'vma_start_write', kind: 'acquire', requires: [MMAP_WRITE], acquires: [use('vma_lock', 'write', 0)], maySleep: true,
    note: 'no unlock: released by mmap_write_unlock()/mmap_write_downgrade()', withoutPerVmaLock: NO_PVL_NOOP,
    source: [SRC.MM_LOCKH, SRC.MM_DOC] }),
  h({ name: 'vma_start_write_killable', kind: 'acquire', requires: [MMAP_WRITE], acquires: [use('vma_lock', 'write', 0)], success: 'zero',
    mustCheck: true, maySleep: true, withoutPerVmaLock: 'returns 0', source: [SRC.MM_LOCKH] }),
  h({ name: '__vma_start_write', kind: 'acquire', requires: [MMAP_WRITE], acquires: [use('vma_lock', 'write', 0)], maySleep: true,
    note: 'internal; 2026 form returns int and takes a task state', source: [SRC.MM_LOCKC] }),
  h({ name: 'vma_end_write_all', kind: 'release', releases: [{ lock: 'vma_lock', mode: 'write', all: true }],
    note: 'only mmap unlock/downgrade should call it', source: [SRC.MM_LOCKH] }),
  h({ name: 'vma_assert_write_locked', kind: 'assert', asserts: [use('vma_lock', 'write', 0)],
    note: 'compiled out without CONFIG_DEBUG_VM', withoutPerVmaLock: 'mmap_assert_write_locked(vma->vm_mm)', source: [SRC.MM_LOCKH] }),
  h({ name: 'vma_assert_locked', kind: 'assert', asserts: [use('vma_lock', 'any', 0)],
    withoutPerVmaLock: 'mmap_assert_locked(vma->vm_mm)', source: [SRC.MM_LOCKH] }),
  h({ name: 'vma_assert_stabilised', kind: 'assert', asserts: [MMAP_ANY, use('vma_lock', 'any', 0)], anyOf: true,
    note: 'mmap lock (either mode) or a VMA lock', withoutPerVmaLock: 'mmap_assert_locked(vma->vm_mm)', source: [SRC.MM_LOCKH_B, SRC.MM_LOCKH] }),
  h({ name: 'vma_assert_attached', kind: 'debug-check', withoutPerVmaLock: NO_PVL_NOOP, source: [SRC.MM_LOCKH] }),
  h({ name: 'vma_assert_detached', kind: 'debug-check', withoutPerVmaLock: NO_PVL_NOOP, source: [SRC.MM_LOCKH] }),
  h({ name: 'vma_mark_attached', kind: 'other', requires: [use('vma_lock', 'write', 0)], note: 'asserts write-locked and detached',
    withoutPerVmaLock: NO_PVL_NOOP, source: [SRC.MM_LOCKH] }),
  h({ name: 'vma_mark_detached', kind: 'other', requires: [use('vma_lock', 'write', 0)], note: 'asserts write-locked and attached',
    withoutPerVmaLock: NO_PVL_NOOP, source: [SRC.MM_LOCKH] }),
  h({ name: 'vma_assert_can_modify', kind: 'assert', note: 'vma_assert_write_locked() if attached; detached VMAs pass',
    source: [SRC.MM_LOCKH] }),
  h({ name: 'release_fault_lock', kind: 'release', releases: [use('vma_lock', 'read'), use('mmap_lock', 'read')], anyOf: true,
    note: 'vma_end_read() under FAULT_FLAG_VMA_LOCK, else mmap_read_unlock()', source: [SRC.MM_MMH] }),
  h({ name: 'assert_fault_locked', kind: 'assert', asserts: [use('vma_lock', 'any'), MMAP_ANY], anyOf: true, source: [SRC.MM_MMH] }),
];

/** Section 2.5: rmap locks. */
const RMAP: HelperSpec[] = [
  ...(['write', 'read'] as const).flatMap((mode): HelperSpec[] => [
    h({ name: `anon_vma_lock_${mode}`, kind: 'acquire', acquires: [use('anon_vma', mode, 0)], maySleep: true, source: [SRC.L612_RMAPH] }),
    h({ name: `anon_vma_trylock_${mode}`, kind: 'acquire', acquires: [use('anon_vma', mode, 0)], success: 'true', mustCheck: true, source: [SRC.L612_RMAPH] }),
    h({ name: `anon_vma_unlock_${mode}`, kind: 'release', releases: [use('anon_vma', mode, 0)], source: [SRC.L612_RMAPH] }),
    h({ name: `i_mmap_lock_${mode}`, kind: 'acquire', acquires: [use('i_mmap', mode, 0)], maySleep: true, source: [SRC.L612_FSH] }),
    h({ name: `i_mmap_trylock_${mode}`, kind: 'acquire', acquires: [use('i_mmap', mode, 0)], success: 'true', mustCheck: true, source: [SRC.L612_FSH] }),
    h({ name: `i_mmap_unlock_${mode}`, kind: 'release', releases: [use('i_mmap', mode, 0)], source: [SRC.L612_FSH] }),
  ]),
  h({ name: 'folio_lock_anon_vma_read', kind: 'acquire', acquires: [use('anon_vma', 'read', 'return')], success: 'nonnull', source: [SRC.L612_RMAPH] }),
  ...['vma_interval_tree_insert', 'vma_interval_tree_remove', 'vma_interval_tree_insert_after', '__vma_link_file', '__remove_shared_vm_struct'].map((name) =>
    h({ name, kind: 'other', requires: [use('i_mmap', 'write')], note: 'changes the file rmap tree (mapping->i_mmap): i_mmap_lock_write()', source: [SRC.MM_RMAP, SRC.MM_DOC] })),
  ...['anon_vma_interval_tree_insert', 'anon_vma_interval_tree_remove'].map((name) =>
    h({ name, kind: 'other', requires: [use('anon_vma', 'write')], note: 'changes the anon rmap tree: anon_vma_lock_write()', source: [SRC.MM_RMAP, SRC.MM_DOC] })),
  h({ name: 'i_mmap_assert_locked', kind: 'assert', asserts: [use('i_mmap', 'any', 0)], note: 'lockdep only', source: [SRC.L612_FSH] }),
  h({ name: 'i_mmap_assert_write_locked', kind: 'assert', asserts: [use('i_mmap', 'write', 0)], note: 'lockdep only', source: [SRC.L612_FSH] }),
  h({ name: 'filemap_invalidate_lock', kind: 'acquire', acquires: [use('invalidate_lock', 'write', 0)], maySleep: true, source: [SRC.MM_FILEMAP] }),
  h({ name: 'filemap_invalidate_unlock', kind: 'release', releases: [use('invalidate_lock', 'write', 0)], source: [SRC.MM_FILEMAP] }),
  h({ name: 'filemap_invalidate_lock_shared', kind: 'acquire', acquires: [use('invalidate_lock', 'read', 0)], maySleep: true, source: [SRC.MM_FILEMAP] }),
  h({ name: 'filemap_invalidate_unlock_shared', kind: 'release', releases: [use('invalidate_lock', 'read', 0)], source: [SRC.MM_FILEMAP] }),
  h({ name: 'filemap_invalidate_trylock_shared', kind: 'acquire', acquires: [use('invalidate_lock', 'read', 0)], success: 'true', mustCheck: true, source: [SRC.MM_FILEMAP] }),
  h({ name: 'take_rmap_locks', kind: 'acquire', acquires: [use('i_mmap', 'write'), use('anon_vma', 'write')], maySleep: true,
    note: 'i_mmap W then anon_vma W (static in mm/mremap.c)', source: [SRC.L612_MREMAP] }),
  h({ name: 'drop_rmap_locks', kind: 'release', releases: [use('anon_vma', 'write'), use('i_mmap', 'write')], source: [SRC.L612_MREMAP] }),
  h({ name: 'anon_vma_prepare', kind: 'other', requires: [MMAP_ANY], maySleep: true,
    note: 'a VMA lock alone is not enough; use vmf_anon_prepare() on VMA-locked fault paths', source: [SRC.MM_RMAP] }),
  h({ name: '__anon_vma_prepare', kind: 'other', requires: [MMAP_ANY], maySleep: true, source: [SRC.MM_RMAP] }),
  h({ name: 'anon_vma_clone', kind: 'other', requires: [MMAP_WRITE], maySleep: true, source: [SRC.MM_RMAP] }),
  h({ name: 'unlink_anon_vmas', kind: 'other', requires: [MMAP_ANY], maySleep: true, source: [SRC.MM_RMAP] }),
  h({ name: 'inode_lock', kind: 'acquire', acquires: [use('i_rwsem', 'write', 0)], maySleep: true, source: [SRC.L612_FSH] }),
  h({ name: 'inode_unlock', kind: 'release', releases: [use('i_rwsem', 'write', 0)], source: [SRC.L612_FSH] }),
  h({ name: 'inode_lock_shared', kind: 'acquire', acquires: [use('i_rwsem', 'read', 0)], maySleep: true, source: [SRC.L612_FSH] }),
  h({ name: 'inode_unlock_shared', kind: 'release', releases: [use('i_rwsem', 'read', 0)], source: [SRC.L612_FSH] }),
  h({ name: 'inode_trylock', kind: 'acquire', acquires: [use('i_rwsem', 'write', 0)], success: 'true', mustCheck: true, source: [SRC.L612_FSH] }),
  h({ name: 'folio_lock', kind: 'acquire', acquires: [use('folio_lock', 'write', 0)], maySleep: true, source: [SRC.MM_RMAP] }),
  h({ name: 'folio_trylock', kind: 'acquire', acquires: [use('folio_lock', 'write', 0)], success: 'true', mustCheck: true, source: [SRC.MM_RMAP] }),
  h({ name: 'folio_unlock', kind: 'release', releases: [use('folio_lock', 'write', 0)], source: [SRC.MM_RMAP] }),
  h({ name: 'lock_page', kind: 'acquire', acquires: [use('folio_lock', 'write', 0)], maySleep: true, source: [SRC.MM_RMAP] }),
  h({ name: 'trylock_page', kind: 'acquire', acquires: [use('folio_lock', 'write', 0)], success: 'true', mustCheck: true, source: [SRC.MM_RMAP] }),
  h({ name: 'unlock_page', kind: 'release', releases: [use('folio_lock', 'write', 0)], source: [SRC.MM_RMAP] }),
  h({ name: 'hugetlb_vma_lock_read', kind: 'acquire', acquires: [use('hugetlb_vma_lock', 'read', 0)], maySleep: true, source: [SRC.MM_RMAP] }),
  h({ name: 'hugetlb_vma_unlock_read', kind: 'release', releases: [use('hugetlb_vma_lock', 'read', 0)], source: [SRC.MM_RMAP] }),
  h({ name: 'hugetlb_vma_lock_write', kind: 'acquire', acquires: [use('hugetlb_vma_lock', 'write', 0)], maySleep: true, source: [SRC.MM_RMAP] }),
  h({ name: 'hugetlb_vma_unlock_write', kind: 'release', releases: [use('hugetlb_vma_lock', 'write', 0)], source: [SRC.MM_RMAP] }),
  h({ name: 'hugetlb_vma_trylock_write', kind: 'acquire', acquires: [use('hugetlb_vma_lock', 'write', 0)], success: 'true', mustCheck: true, source: [SRC.MM_RMAP] }),
  h({ name: 'hugetlb_vma_assert_locked', kind: 'assert', asserts: [use('hugetlb_vma_lock', 'any', 0)], source: [SRC.MM_RMAP] }),
];

/** Section 2.6: page-table locks. */
const PAGE_TABLE: HelperSpec[] = [
  h({ name: 'pte_offset_map', kind: 'acquire', acquires: [use('rcu', 'read')], success: 'nonnull',
    note: 'enters an RCU read section until pte_unmap(); do not sleep in between', source: [SRC.MM_MMH] }),
  h({ name: 'pte_unmap', kind: 'release', releases: [use('rcu', 'read')], source: [SRC.MM_MMH] }),
  h({ name: 'pte_offset_map_lock', kind: 'acquire', acquires: [use('pte_ptl', 'write', 3), use('rcu', 'read')], success: 'nonnull', mustCheck: true,
    note: 'NULL if the table went away: the caller must handle it', source: [SRC.MM_MMH, SRC.MM_DOC] }),
  h({ name: 'pte_offset_map_nolock', kind: 'acquire', acquires: [use('rcu', 'read')], success: 'nonnull',
    note: 'replaced by pte_offset_map_ro_nolock()/pte_offset_map_rw_nolock()', source: [SRC.MM_MMH] }),
  h({ name: 'pte_offset_map_ro_nolock', kind: 'acquire', acquires: [use('rcu', 'read')], success: 'nonnull', source: [SRC.MM_MMH] }),
  h({ name: 'pte_offset_map_rw_nolock', kind: 'acquire', acquires: [use('rcu', 'read')], success: 'nonnull',
    note: 'revalidate with pmd_same()/pte_same() after taking the ptl, before writing', source: [SRC.MM_MMH] }),
  h({ name: 'pte_unmap_unlock', kind: 'release', releases: [use('pte_ptl', 'write', 1), use('rcu', 'read')], source: [SRC.MM_MMH] }),
  h({ name: 'pte_alloc_map_lock', kind: 'acquire', requires: [MMAP_ANY, use('vma_lock', 'any')], anyOf: true,
    acquires: [use('pte_ptl', 'write', 3), use('rcu', 'read')], success: 'nonnull', mustCheck: true, source: [SRC.MM_MMH] }),
  h({ name: 'pmd_lock', kind: 'acquire', acquires: [use('pmd_ptl', 'write', 'return')], source: [SRC.MM_MMH] }),
  h({ name: 'pud_lock', kind: 'acquire', acquires: [use('page_table_lock', 'write', 'return')], source: [SRC.MM_MMH] }),
  h({ name: 'pmd_trans_huge_lock', kind: 'acquire', acquires: [use('pmd_ptl', 'write', 'return')], success: 'nonnull', source: [SRC.MM_MMH] }),
  h({ name: 'rcu_read_lock', kind: 'acquire', acquires: [use('rcu', 'read')], source: [SRC.MM_DOC] }),
  h({ name: 'rcu_read_unlock', kind: 'release', releases: [use('rcu', 'read')], source: [SRC.MM_DOC] }),
  ...['spin_lock', 'spin_lock_irq', 'spin_lock_bh', 'spin_lock_irqsave', 'raw_spin_lock', 'raw_spin_lock_irq', 'raw_spin_lock_irqsave',
    'read_lock', 'read_lock_irq', 'read_lock_irqsave', 'read_lock_bh', 'write_lock', 'write_lock_irq', 'write_lock_irqsave', 'write_lock_bh',
    'xa_lock', 'xa_lock_irq', 'xa_lock_irqsave', 'xa_lock_bh'].map((name) =>
    h({ name, kind: 'acquire', acquires: [use('spinlock', 'write', 0)], note: 'class refined by name: a ptl or page_table_lock is a page-table lock', source: [SRC.L612_SPINLOCK] })),
  h({ name: 'spin_lock_nested', kind: 'acquire', acquires: [use('spinlock', 'write', 0)], nested: true,
    note: 'PTE ptl under the PMD ptl (SINGLE_DEPTH_NESTING)', source: [SRC.L612_KHUGEPAGED] }),
  ...['spin_trylock', 'spin_trylock_irq', 'spin_trylock_irqsave', 'spin_trylock_bh', 'raw_spin_trylock', 'read_trylock', 'write_trylock'].map((name) =>
    h({ name, kind: 'acquire', acquires: [use('spinlock', 'write', 0)], success: 'true', mustCheck: true, source: [SRC.L612_SPINLOCK] })),
  ...['spin_unlock', 'spin_unlock_irq', 'spin_unlock_bh', 'spin_unlock_irqrestore', 'raw_spin_unlock', 'raw_spin_unlock_irq',
    'raw_spin_unlock_irqrestore', 'read_unlock', 'read_unlock_irq', 'read_unlock_irqrestore', 'read_unlock_bh', 'write_unlock',
    'write_unlock_irq', 'write_unlock_irqrestore', 'write_unlock_bh', 'xa_unlock', 'xa_unlock_irq', 'xa_unlock_irqrestore', 'xa_unlock_bh'].map((name) =>
    h({ name, kind: 'release', releases: [use('spinlock', 'write', 0)], source: [SRC.L612_SPINLOCK] })),
];

/** Section 3.2: flag writers. */
const FLAGS: HelperSpec[] = [
  h({ name: 'vm_flags_init', kind: 'flag-writer', note: 'no lock and no assert: only for a VMA not yet in the tree', source: [SRC.MM_MMH] }),
  h({ name: 'vm_flags_reset', kind: 'flag-writer', requires: [use('vma_lock', 'write', 0)],
    note: 'asserts the VMA write lock; the caller must vma_start_write() first', source: [SRC.MM_MMH, SRC.FIX_60081BF] }),
  h({ name: 'vm_flags_reset_once', kind: 'flag-writer', requires: [use('vma_lock', 'write', 0)], source: [SRC.MM_MMH, SRC.FIX_60081BF] }),
  ...['vm_flags_set', 'vm_flags_clear', 'vm_flags_mod'].map((name) =>
    h({ name, kind: 'flag-writer', requires: [MMAP_WRITE], acquires: [use('vma_lock', 'write', 0)], maySleep: true,
      note: 'calls vma_start_write(), so it needs the mmap write lock', source: [SRC.MM_MMH] })),
  h({ name: '__vm_flags_mod', kind: 'flag-writer', note: 'no lock: unpublished VMA only', source: [SRC.MM_MMH] }),
  ...['vma_set_flags', 'vma_set_flags_mask', 'vma_clear_flags', 'vma_flags_reset_once'].map((name) =>
    h({ name, kind: 'flag-writer', requires: [use('vma_lock', 'write', 0)],
      note: 'no assert: the caller must hold the VMA write lock if the VMA is attached', source: [SRC.MM_MMH] })),
  ...['vma_flag_set_atomic', 'vma_set_atomic_flag'].map((name) =>
    h({ name, kind: 'flag-atomic', requires: [MMAP_ANY, use('vma_lock', 'any', 0)], anyOf: true, flagBitArg: 1,
      note: 'only VM_ATOMIC_SET_ALLOWED bits; other bits WARN and are not set', source: [SRC.MM_MMH, SRC.ML_MAYBE_GUARD] })),
  ...['vma_flag_test_atomic', 'vma_test_atomic_flag'].map((name) =>
    h({ name, kind: 'flag-atomic', flagBitArg: 1, note: 'no lock needed; inherently racy; only VM_ATOMIC_SET_ALLOWED bits',
      source: [SRC.MM_MMH, SRC.ML_MAYBE_GUARD] })),
];

/** Sections 2.7 and 2.8: VMA-tree changes and page walks. */
const TREE: HelperSpec[] = [
  h({ name: 'vma_iter_store_new', kind: 'tree-store', storesVma: 1, requires: [use('vma_lock', 'write', 1)],
    note: 'vma_mark_attached() asserts write-locked and detached', source: [SRC.MM_VMA, SRC.FIX_AD9F006] }),
  h({ name: 'vma_iter_bulk_store', kind: 'tree-store', storesVma: 1, requires: [use('vma_lock', 'write', 1)], source: [SRC.MM_MMH] }),
  h({ name: 'vma_iter_store', kind: 'tree-store', storesVma: 1, source: [SRC.MM_VMA] }),
  h({ name: 'vma_iter_store_gfp', kind: 'tree-store', storesVma: 1, note: 'do_brk_flags() stores its new VMA with it', source: [SRC.MM_VMA] }),
  h({ name: 'vma_mas_store', kind: 'tree-store', storesVma: 0, source: [{ file: 'mm/mmap.c', kernel: 'v6.1' }] }),
  h({ name: 'vma_prepare', kind: 'acquire', requires: [MMAP_WRITE], acquires: [use('i_mmap', 'write'), use('anon_vma', 'write')],
    note: 'callers vma_start_write() every VMA involved first (c9d6e982c3f8)', source: [SRC.MM_VMA] }),
  h({ name: 'init_vma_prep', kind: 'other', note: 'fills a struct vma_prepare for vma_prepare(); takes no lock', source: [SRC.MM_VMA] }),
  h({ name: 'vma_complete', kind: 'release', releases: [use('anon_vma', 'write'), use('i_mmap', 'write')], source: [SRC.MM_VMA] }),
  ...['commit_merge', 'vma_expand', 'vma_shrink', '__split_vma', 'split_vma', 'vms_gather_munmap_vmas', 'mm_take_all_locks'].map((name) =>
    h({ name, kind: 'other', requires: [MMAP_WRITE], maySleep: true, source: [SRC.MM_VMA] })),
  h({ name: 'dup_anon_vma', kind: 'other', requires: [use('vma_lock', 'write', 0)], note: 'd8ab9f7b644a', source: [SRC.MM_VMA] }),
  h({ name: 'walk_page_range', kind: 'walk', maySleep: true,
    note: 'requirement depends on ops->walk_lock (see the walk-lock table)', source: [SRC.MM_PWH, SRC.MM_PWC] }),
  h({ name: 'walk_page_vma', kind: 'walk', maySleep: true, note: 'depends on ops->walk_lock', source: [SRC.MM_PWC] }),
  h({ name: 'walk_page_range_vma', kind: 'walk', maySleep: true, note: 'depends on ops->walk_lock', source: [SRC.MM_PWC] }),
  h({ name: 'walk_page_mapping', kind: 'walk', requires: [use('i_mmap', 'any')], source: [SRC.MM_PWC] }),
  h({ name: 'walk_page_range_debug', kind: 'walk', requires: [MMAP_WRITE], source: [SRC.MM_PWC] }),
];

const GFP_SLEEPS = 'GFP_KERNEL|GFP_USER|GFP_HIGHUSER|GFP_NOFS|GFP_NOIO|GFP_KERNEL_ACCOUNT';

/** Functions that may sleep (fact sheet R27), beyond the sleeping locks above. */
const SLEEPERS: HelperSpec[] = [
  ...['cond_resched', 'might_sleep', 'msleep', 'usleep_range', 'ssleep', 'schedule', 'schedule_timeout', 'synchronize_rcu',
    'copy_from_user', 'copy_to_user', 'get_user', 'put_user', 'vmalloc', 'vzalloc', 'kvfree', 'handle_mm_fault',
    'wait_for_completion', 'flush_work', 'lru_add_drain_all', 'folio_wait_writeback', 'folio_wait_locked', 'wait_on_page_locked',
    'split_folio', 'split_huge_page', 'split_huge_page_to_list', 'split_huge_page_to_list_to_order', 'get_user_pages', 'pin_user_pages',
    '__get_locked_pte', 'pte_alloc', 'pmd_alloc', 'pud_alloc', '__pte_alloc', 'migrate_pages', 'try_to_unmap_flush',
    'mmu_notifier_invalidate_range_start', 'unmap_mapping_range', 'zap_page_range_single', 'synchronize_srcu', 'rcu_barrier',
    'filemap_fdatawait', 'filemap_write_and_wait', 'filemap_write_and_wait_range', 'invalidate_inode_pages2_range'].map((name) =>
    h({ name, kind: 'may-sleep', maySleep: true, source: [SRC.MM_DOC] })),
  ...['kmalloc', 'kzalloc', 'kcalloc', 'kmalloc_array', 'kvmalloc', 'kvzalloc', 'kmem_cache_alloc', 'kmem_cache_zalloc',
    'alloc_pages', 'folio_alloc', '__get_free_page', 'get_zeroed_page'].map((name) =>
    h({ name, kind: 'may-sleep', maySleepIfArgMatches: GFP_SLEEPS, source: [SRC.MM_DOC] })),
];

/**
 * Generic kernel lock primitives (issue 10 section 2): mutexes, rw
 * semaphores and cpus_read_lock(), with their killable / trylock forms.  The
 * instance is the lock argument; flow.ts refines an rwsem named
 * `mmap_sem`/`mmap_lock` or `i_mmap_rwsem` into the mm classes.
 */
const GENERIC: HelperSpec[] = [
  h({ name: 'mutex_lock', kind: 'acquire', acquires: [use('mutex', 'write', 0)], maySleep: true, source: [SRC.L612_MUTEXH] }),
  h({ name: 'mutex_lock_nested', kind: 'acquire', acquires: [use('mutex', 'write', 0)], maySleep: true, nested: true, source: [SRC.L612_MUTEXH] }),
  h({ name: 'mutex_lock_io', kind: 'acquire', acquires: [use('mutex', 'write', 0)], maySleep: true, source: [SRC.L612_MUTEXH] }),
  ...['mutex_lock_killable', 'mutex_lock_interruptible'].map((name) =>
    h({ name, kind: 'acquire', acquires: [use('mutex', 'write', 0)], success: 'zero', mustCheck: true, maySleep: true,
      note: '0 when locked; -EINTR with nothing held', source: [SRC.L612_MUTEXH] })),
  h({ name: 'mutex_trylock', kind: 'acquire', acquires: [use('mutex', 'write', 0)], success: 'true', mustCheck: true, source: [SRC.L612_MUTEXH] }),
  h({ name: 'mutex_unlock', kind: 'release', releases: [use('mutex', 'write', 0)], source: [SRC.L612_MUTEXH] }),
  h({ name: 'lockdep_assert_held', kind: 'assert', note: 'lockdep: the lock is held (any mode)', source: [SRC.L612_LOCKDEPH] }),
  h({ name: 'lockdep_assert_held_write', kind: 'assert', note: 'lockdep: the lock is held for write', source: [SRC.L612_LOCKDEPH] }),
  h({ name: 'lockdep_assert_held_read', kind: 'assert', note: 'lockdep: the lock is held for read', source: [SRC.L612_LOCKDEPH] }),
  h({ name: 'lockdep_assert_held_once', kind: 'assert', note: 'lockdep: the lock is held', source: [SRC.L612_LOCKDEPH] }),
  ...(['read', 'write'] as const).flatMap((mode): HelperSpec[] => [
    h({ name: `down_${mode}`, kind: 'acquire', acquires: [use('rwsem', mode, 0)], maySleep: true, source: [SRC.L612_RWSEMH] }),
    h({ name: `down_${mode}_nested`, kind: 'acquire', acquires: [use('rwsem', mode, 0)], maySleep: true, nested: true, source: [SRC.L612_RWSEMH] }),
    h({ name: `down_${mode}_killable`, kind: 'acquire', acquires: [use('rwsem', mode, 0)], success: 'zero', mustCheck: true, maySleep: true,
      note: '0 when locked; -EINTR with nothing held', source: [SRC.L612_RWSEMH] }),
    h({ name: `down_${mode}_trylock`, kind: 'acquire', acquires: [use('rwsem', mode, 0)], success: 'true', mustCheck: true,
      note: '1 when locked', source: [SRC.L612_RWSEMH] }),
    h({ name: `up_${mode}`, kind: 'release', releases: [use('rwsem', mode, 0)], source: [SRC.L612_RWSEMH] }),
  ]),
  h({ name: 'down_read_interruptible', kind: 'acquire', acquires: [use('rwsem', 'read', 0)], success: 'zero', mustCheck: true, maySleep: true, source: [SRC.L612_RWSEMH] }),
  h({ name: 'downgrade_write', kind: 'release', releases: [use('rwsem', 'write', 0)], acquires: [use('rwsem', 'read', 0)], source: [SRC.L612_RWSEMH] }),
  h({ name: 'mem_hotplug_begin', kind: 'acquire', acquires: [use('cpu_hotplug_lock', 'read'), use('mem_hotplug_lock', 'write')], maySleep: true, source: [SRC.L612_MEMHOTPLUG] }),
  h({ name: 'mem_hotplug_done', kind: 'release', releases: [use('mem_hotplug_lock', 'write'), use('cpu_hotplug_lock', 'read')], source: [SRC.L612_MEMHOTPLUG] }),
  h({ name: 'get_online_mems', kind: 'acquire', acquires: [use('mem_hotplug_lock', 'read')], maySleep: true, source: [SRC.L612_MEMHOTPLUG] }),
  h({ name: 'put_online_mems', kind: 'release', releases: [use('mem_hotplug_lock', 'read')], source: [SRC.L612_MEMHOTPLUG] }),
  h({ name: 'cpus_read_lock', kind: 'acquire', acquires: [use('cpu_hotplug_lock', 'read')], maySleep: true, source: [SRC.L612_CPUH] }),
  h({ name: 'cpus_read_trylock', kind: 'acquire', acquires: [use('cpu_hotplug_lock', 'read')], success: 'true', mustCheck: true, source: [SRC.L612_CPUH] }),
  h({ name: 'cpus_read_unlock', kind: 'release', releases: [use('cpu_hotplug_lock', 'read')], source: [SRC.L612_CPUH] }),
  h({ name: 'lockdep_assert_cpus_held', kind: 'assert', asserts: [use('cpu_hotplug_lock', 'any')], source: [SRC.L612_CPUH] }),
  h({ name: 'stop_machine', kind: 'other', takes: [use('cpu_hotplug_lock', 'read')], maySleep: true,
    note: 'takes cpus_read_lock() itself; stop_machine_cpuslocked() is the form for callers that hold it', source: [SRC.L612_STOPMACHINEH] }),
  h({ name: 'stop_machine_cpuslocked', kind: 'other', requires: [use('cpu_hotplug_lock', 'read')], maySleep: true, source: [SRC.L612_STOPMACHINEH] }),
  ...['static_key_enable', 'static_key_disable', 'static_branch_enable', 'static_branch_disable'].map((name) =>
    h({ name, kind: 'other', takes: [use('cpu_hotplug_lock', 'read')], maySleep: true,
      note: 'takes cpus_read_lock(); the *_cpuslocked() form is for callers that hold it', source: [SRC.L612_CPUH] })),
  ...['static_key_enable_cpuslocked', 'static_key_disable_cpuslocked', 'static_branch_enable_cpuslocked', 'static_branch_disable_cpuslocked'].map((name) =>
    h({ name, kind: 'other', requires: [use('cpu_hotplug_lock', 'read')], source: [SRC.L612_CPUH] })),
  h({ name: 'security_mmap_file', kind: 'other', maySleep: true, forbids: [use('mmap_lock', 'any')],
    forbidsWhy: 'LSM hooks take locks that mmap_lock nests inside (lockdep: mmap_lock -> LSM locks); every caller calls it with no mmap lock held',
    source: [SRC.FIX_EA7E2D5] }),
];

/** Page-table helpers that return a locked PTE through an out-argument or their result. */
const PTE_LOOKUP: HelperSpec[] = [
  h({ name: 'follow_pte', kind: 'acquire', acquires: [use('pte_ptl', 'write', 3), use('rcu', 'read')], success: 'zero', mustCheck: true,
    note: '0 with *ptlp locked and the PTE mapped (pte_unmap_unlock() after use)', source: [SRC.L612_MEMORY] }),
  h({ name: 'get_locked_pte', kind: 'acquire', acquires: [use('pte_ptl', 'write', 2), use('rcu', 'read')], success: 'nonnull', maySleep: true,
    note: 'allocates missing page tables (may sleep); NULL on allocation failure', source: [SRC.L612_MMH] }),
  h({ name: 'double_pt_lock', kind: 'acquire', acquires: [use('spinlock', 'write', 0), use('spinlock', 'write', 1)],
    note: 'UFFDIO_MOVE: both PTE ptls, in address order (one lock when they are the same)', source: [{ file: 'mm/userfaultfd.c', kernel: 'v6.12.117', note: '[L612]' }] }),
  h({ name: 'double_pt_unlock', kind: 'release', releases: [use('spinlock', 'write', 0), use('spinlock', 'write', 1)],
    source: [{ file: 'mm/userfaultfd.c', kernel: 'v6.12.117', note: '[L612]' }] }),
  h({ name: 'vma_try_start_write', kind: 'acquire', requires: [MMAP_WRITE], acquires: [use('vma_lock', 'write', 0)], success: 'true', mustCheck: true,
    note: 'v6.5 khugepaged (55fd6fccad31): write-locks only when no reader holds the VMA', source: [SRC.L612_KHUGEPAGED] }),
];

export const HELPERS: HelperSpec[] = [...MMAP, ...VMA, ...RMAP, ...PAGE_TABLE, ...FLAGS, ...TREE, ...SLEEPERS, ...GENERIC, ...PTE_LOOKUP];

/** Sources a helper's finding cites. */
export function helperSources(spec: HelperSpec): SourceRef[] {
  return spec.source;
}
