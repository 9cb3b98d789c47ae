/**
 * Lock objects (fact sheet section 1), the lock order (section 4), who may
 * write which vm_area_struct field (section 1.4) and the walk_page_range()
 * lock modes (section 2.8).
 */
import type { FieldSpec, LockClass, LockObject, OrderEdge, WalkLockSpec } from './types.js';
import { SRC } from './sources.js';

export const LOCK_OBJECTS: LockObject[] = [
  { lock: 'i_rwsem', title: 'inode->i_rwsem', sleeps: true, modes: ['read', 'write'], balanced: true,
    protects: 'file writes and truncation', source: [SRC.MM_RMAP] },
  { lock: 'mmap_lock', title: 'mm->mmap_lock', sleeps: true, modes: ['read', 'write'], balanced: true,
    protects: 'the VMA tree and VMA metadata at mm granularity; write mode is a prerequisite of every VMA write lock',
    source: [SRC.MM_TYPES, SRC.MM_DOC] },
  { lock: 'invalidate_lock', title: 'mapping->invalidate_lock', sleeps: true, modes: ['read', 'write'], balanced: true,
    protects: 'page-cache contents against invalidation (not VMA metadata)', source: [SRC.MM_FILEMAP, SRC.MM_RMAP] },
  { lock: 'folio_lock', title: 'folio lock', sleeps: true, modes: ['write'], balanced: true,
    protects: 'folio and page-cache state', source: [SRC.MM_RMAP, SRC.MM_FILEMAP] },
  { lock: 'hugetlb_fault_mutex', title: 'hugetlb_fault_mutex_table[]', sleeps: true, modes: ['write'], balanced: true,
    protects: 'hugetlb faults of one (mapping, index)', source: [SRC.MM_RMAP] },
  { lock: 'hugetlb_vma_lock', title: 'hugetlb vma_lock', sleeps: true, modes: ['read', 'write'], balanced: true,
    protects: 'hugetlb PMD sharing', source: [SRC.MM_RMAP] },
  { lock: 'vma_lock', title: 'per-VMA lock (vm_refcnt / vm_lock_seq)', sleeps: true, modes: ['read', 'write'], balanced: false,
    protects: 'one VMA against page-fault readers holding no mmap lock; write lock ends only at mmap_write_unlock()/downgrade',
    source: [SRC.MM_TYPES, SRC.MM_LOCKH, SRC.MM_LOCKC] },
  { lock: 'i_mmap', title: 'mapping->i_mmap_rwsem', sleeps: true, modes: ['read', 'write'], balanced: true,
    protects: 'the file rmap interval tree', source: [SRC.MM_DOC, SRC.MM_RMAP] },
  { lock: 'anon_vma', title: 'anon_vma->root->rwsem', sleeps: true, modes: ['read', 'write'], balanced: true,
    protects: 'the anon rmap interval tree', source: [SRC.MM_DOC, SRC.MM_RMAP] },
  { lock: 'page_table_lock', title: 'mm->page_table_lock', sleeps: false, modes: ['write'], balanced: true,
    protects: 'PGD/P4D/PUD updates; anon_vma NULL -> non-NULL', source: [SRC.MM_MMH, SRC.MM_DOC] },
  { lock: 'pmd_ptl', title: 'PMD ptl (pmd_lock())', sleeps: false, modes: ['write'], balanced: true,
    protects: 'PMD entries', source: [SRC.MM_MMH, SRC.MM_DOC] },
  { lock: 'pte_ptl', title: 'PTE ptl (pte_offset_map_lock())', sleeps: false, modes: ['write'], balanced: true,
    protects: 'entries of one PTE table', source: [SRC.MM_MMH, SRC.MM_DOC] },
  { lock: 'spinlock', title: 'a spinlock', sleeps: false, modes: ['write'], balanced: true,
    protects: '(any)', source: [SRC.L612_SPINLOCK] },
  { lock: 'mutex', title: 'a mutex', sleeps: true, modes: ['write'], balanced: true,
    protects: '(any)', source: [SRC.L612_MUTEXH] },
  { lock: 'rwsem', title: 'an rw_semaphore', sleeps: true, modes: ['read', 'write'], balanced: true,
    protects: '(any)', source: [SRC.L612_RWSEMH] },
  { lock: 'cpu_hotplug_lock', title: 'cpu_hotplug_lock (cpus_read_lock())', sleeps: true, modes: ['read', 'write'], balanced: true,
    protects: 'the set of online CPUs; a percpu rwsem: a recursive read acquisition deadlocks against a pending writer', source: [SRC.L612_CPUH] },
  { lock: 'mem_hotplug_lock', title: 'mem_hotplug_lock (mem_hotplug_begin(), get_online_mems())', sleeps: true, modes: ['read', 'write'], balanced: true,
    protects: 'memory onlining and offlining: zones, present pages, the memmap of hot-added memory; a percpu rwsem taken for write inside cpus_read_lock()', source: [SRC.L612_MEMHOTPLUG] },
  { lock: 'rcu', title: 'RCU read side', sleeps: false, modes: ['read'], balanced: false,
    protects: 'lockless VMA lookup; PTE tables mapped by pte_offset_map*()', source: [SRC.MM_TYPES, SRC.MM_DOC] },
];

/**
 * Lock order, outer -> inner (section 4 A, C, D, E).  Only direct edges are
 * listed; the checker uses their transitive closure.  folio_lock is ordered
 * only against mmap_lock and invalidate_lock: the hugetlb chain (C) puts it
 * inside i_mmap_rwsem while the core chain (A) puts it outside, so no edge
 * between folio_lock and the rmap locks would be right for every caller.
 */
export const LOCK_ORDER: OrderEdge[] = [
  { outer: 'cpu_hotplug_lock', inner: 'mem_hotplug_lock', why: 'mem_hotplug_begin() takes cpus_read_lock() first', source: [SRC.L612_MEMHOTPLUG] },
  { outer: 'i_rwsem', inner: 'mmap_lock', why: 'generic_perform_write faults in user buffers under i_rwsem', source: [SRC.MM_RMAP, SRC.MM_FILEMAP] },
  { outer: 'i_rwsem', inner: 'invalidate_lock', why: 'truncate -> unmap_mapping_range', source: [SRC.MM_FILEMAP] },
  { outer: 'mmap_lock', inner: 'invalidate_lock', why: 'filemap_fault takes invalidate_lock inside mmap_lock', source: [SRC.MM_RMAP, SRC.MM_FILEMAP] },
  { outer: 'mmap_lock', inner: 'folio_lock', why: 'filemap_fault, access_process_vm', source: [SRC.MM_FILEMAP] },
  { outer: 'invalidate_lock', inner: 'folio_lock', why: 'filemap_fault', source: [SRC.MM_RMAP, SRC.MM_FILEMAP] },
  { outer: 'invalidate_lock', inner: 'i_mmap', why: 'truncate -> unmap_mapping_range', source: [SRC.MM_FILEMAP] },
  { outer: 'mmap_lock', inner: 'vma_lock', why: 'a VMA write lock needs the mmap write lock held; never block on mmap_lock holding a VMA read lock', source: [SRC.MM_DOC, SRC.MM_LOCKH] },
  { outer: 'hugetlb_fault_mutex', inner: 'hugetlb_vma_lock', why: 'hugetlb chain', source: [SRC.MM_RMAP] },
  { outer: 'hugetlb_vma_lock', inner: 'i_mmap', why: 'hugetlb chain', source: [SRC.MM_RMAP] },
  { outer: 'vma_lock', inner: 'i_mmap', why: 'vma_start_write() before i_mmap_rwsem (1c7873e33645 fixed the inversion of 33313a747e81)', source: [SRC.MM_RMAP, SRC.FIX_1C7873E] },
  { outer: 'vma_lock', inner: 'anon_vma', why: 'vma_start_write() before anon_vma->rwsem; vma_prepare() expects write-locked VMAs', source: [SRC.MM_RMAP, SRC.MM_VMA] },
  { outer: 'i_mmap', inner: 'anon_vma', why: 'vma_merge, take_rmap_locks()', source: [SRC.MM_FILEMAP, SRC.L612_MREMAP] },
  { outer: 'i_mmap', inner: 'page_table_lock', why: 'flush_dcache_mmap_lock', source: [SRC.MM_FILEMAP] },
  { outer: 'i_mmap', inner: 'pmd_ptl', why: 'rmap locks before ptl', source: [SRC.MM_RMAP] },
  { outer: 'i_mmap', inner: 'pte_ptl', why: 'rmap locks before ptl', source: [SRC.MM_RMAP] },
  { outer: 'anon_vma', inner: 'page_table_lock', why: 'anon_vma_prepare', source: [SRC.MM_RMAP, SRC.MM_FILEMAP] },
  { outer: 'anon_vma', inner: 'pmd_ptl', why: 'rmap locks before ptl', source: [SRC.MM_RMAP] },
  { outer: 'anon_vma', inner: 'pte_ptl', why: 'rmap locks before ptl', source: [SRC.MM_RMAP] },
  { outer: 'pmd_ptl', inner: 'pte_ptl', why: 'PMD ptl before PTE ptl (spin_lock_nested when they differ)', source: [SRC.L612_KHUGEPAGED] },
];

/** Which locks writing a vm_area_struct field needs (section 1.4). */
export const VMA_FIELDS: FieldSpec[] = [
  ...['vm_start', 'vm_end', 'vm_pgoff'].map((field): FieldSpec => ({
    field,
    writeRequires: [{ lock: 'mmap_lock', mode: 'write' }, { lock: 'vma_lock', mode: 'write' }],
    note: 'also the rmap write locks (vma_prepare()/vma_complete())',
    source: [SRC.MM_DOC],
  })),
  ...['vm_page_prot', 'vm_policy', 'anon_name', 'vm_userfaultfd_ctx', 'vm_uffd_state', '__vm_flags', 'vm_flags'].map((field): FieldSpec => ({
    field,
    writeRequires: [{ lock: 'mmap_lock', mode: 'write' }, { lock: 'vma_lock', mode: 'write' }],
    note: field === 'vm_policy' ? 'CVE-2023-4611 was a missing VMA write lock here' : undefined,
    source: [SRC.MM_DOC],
  })),
  ...['vm_file', 'vm_ops'].map((field): FieldSpec => ({
    field,
    writeRequires: [{ lock: 'mmap_lock', mode: 'write' }, { lock: 'vma_lock', mode: 'write' }],
    note: 'fixed while attached: page faults under a VMA read lock call vm_ops and read vm_file',
    source: [SRC.MM_DOC],
  })),
  {
    field: 'anon_vma',
    writeRequires: [{ lock: 'vma_lock', mode: 'write' }],
    note: 'NULL -> non-NULL also under mmap read lock + page_table_lock + anon_vma write (__anon_vma_prepare()); otherwise the VMA write lock (d8ab9f7b644a)',
    source: [SRC.MM_DOC, SRC.SHEET_6],
  },
];

/** enum page_walk_lock (section 2.8). */
export const WALK_LOCKS: WalkLockSpec[] = [
  { name: 'PGWALK_RDLOCK', value: 0, mmRequires: [{ lock: 'mmap_lock', mode: 'any' }], perVma: 'none', source: [SRC.MM_PWH, SRC.MM_PWC] },
  { name: 'PGWALK_WRLOCK', value: 1, mmRequires: [{ lock: 'mmap_lock', mode: 'write' }], perVma: 'vma_start_write', source: [SRC.MM_PWH, SRC.MM_PWC] },
  { name: 'PGWALK_WRLOCK_VERIFY', value: 2, mmRequires: [{ lock: 'mmap_lock', mode: 'write' }], perVma: 'vma_assert_write_locked', source: [SRC.MM_PWH, SRC.MM_PWC] },
  { name: 'PGWALK_VMA_RDLOCK_VERIFY', value: 3, mmRequires: [], perVma: 'vma_assert_locked', source: [SRC.MM_PWH, SRC.MM_PWC] },
];

export function lockMap(): Map<LockClass, LockObject> {
  return new Map(LOCK_OBJECTS.map((l) => [l.lock, l]));
}
