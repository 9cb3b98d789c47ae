/**
 * The sources the model is read from, keyed by the tags of
 * docs/vma-locking-facts.md section 0.  Every model entry cites one or more.
 */
import type { SourceRef } from '../findings.js';

const MM = 'mm tree 2026 (linux-mm/linux-mm, v7.3-rc5 era)';

export const SRC = {
  MM_LOCKH: { file: 'include/linux/mmap_lock.h', kernel: MM, note: 'linux-mm 1632d9c3381f [MM-LOCKH]' },
  MM_LOCKH_B: { file: 'include/linux/mmap_lock.h', kernel: 'mm tree early 2026', note: 'with CONFIG_PER_VMA_LOCK guards [MM-LOCKH-b]' },
  MM_LOCKC: { file: 'mm/mmap_lock.c', kernel: MM, note: 'linux-mm 607a10f8361b [MM-LOCKC]' },
  MM_MMH: { file: 'include/linux/mm.h', kernel: MM, note: 'linux-mm 009857a22860 [MM-MMH]' },
  MM_TYPES: { file: 'include/linux/mm_types.h', kernel: MM, note: 'linux-mm 0199209e47e0 [MM-TYPES]' },
  MM_DOC: { file: 'Documentation/mm/process_addrs.rst', kernel: MM, note: 'linux-mm 453c28d63fb2 [MM-DOC]' },
  MM_RMAP: { file: 'mm/rmap.c', kernel: MM, note: 'lock-ordering header comment, linux-mm 0014dde7e945 [MM-RMAP]' },
  MM_FILEMAP: { file: 'mm/filemap.c', kernel: MM, note: 'lock-ordering header comment, linux-mm 009cff439dfd [MM-FILEMAP]' },
  MM_PWH: { file: 'include/linux/pagewalk.h', kernel: MM, note: 'linux-mm 17c3c1ffccf2 [MM-PWH]' },
  MM_PWC: { file: 'mm/pagewalk.c', kernel: MM, note: 'linux-mm 05409e97cf21 [MM-PWC]' },
  MM_VMA: { file: 'mm/vma.c', kernel: MM, note: 'linux-mm 009857a22860 [MM-VMA]' },
  MM_DUP: { file: 'tools/testing/vma/include/dup.h', kernel: MM, note: 'linux-mm 009857a22860 [MM-DUP]' },
  L612_MMH: { file: 'include/linux/mm.h', kernel: 'v6.12.117', note: 'Debian linux-source-6.12 [L612]' },
  L612_RMAPH: { file: 'include/linux/rmap.h', kernel: 'v6.12.117', note: '[L612]' },
  L612_FSH: { file: 'include/linux/fs.h', kernel: 'v6.12.117', note: '[L612]' },
  L612_MEMORY: { file: 'mm/memory.c', kernel: 'v6.12.117', note: '[L612]' },
  L612_MMDEBUG: { file: 'include/linux/mmdebug.h', kernel: 'v6.12.117', note: '[L612]' },
  L612_KHUGEPAGED: { file: 'mm/khugepaged.c', kernel: 'v6.12.117', note: '[L612]' },
  L612_MREMAP: { file: 'mm/mremap.c', kernel: 'v6.12.117', note: '[L612]' },
  L612_CHECKPATCH: { file: 'scripts/checkpatch.pl', kernel: 'v6.12.117', note: 'AVOID_BUG [L612]' },
  L612_SPINLOCK: { file: 'include/linux/spinlock.h', kernel: 'v6.12.117', note: 'spinlocks do not sleep [L612]' },
  L612_MMFLAGS: { file: 'include/trace/events/mmflags.h', kernel: 'v6.12.117', note: '__def_vmaflag_names [L612]' },
  FIX_1C7873E: { file: 'mm/mmap.c', kernel: 'v6.4', note: 'commit 1c7873e33645 "mm: lock newly mapped VMA with corrected ordering"' },
  FIX_AD9F006: { file: 'mm/mmap.c', kernel: 'v6.6', note: 'commit ad9f006351c3 "mm: always lock new vma before inserting into vma tree"' },
  FIX_60081BF: { file: 'include/linux/mm.h', kernel: 'v6.6', note: 'commit 60081bf19b0e "mm: lock vma explicitly before doing vm_flags_reset and vm_flags_reset_once"' },
  FIX_EB66AE0: { file: 'mm/mremap.c', kernel: 'v4.20', note: 'commit eb66ae030829 "mremap: properly flush TLB before releasing the page" (CVE-2018-18281): flush the TLB of moved PTEs before dropping the ptl' },
  FIX_60BAE73: { file: 'mm/migrate_device.c', kernel: 'v6.0', note: 'commit 60bae7370896 "mm/migrate_device.c: flush TLB while holding PTL": pte_unmap_unlock() after flush_tlb_range(), not before' },
  L64_MMH_VMLOCK: { file: 'include/linux/mm.h', kernel: 'v6.4', note: 'vma_start_write(): down_write(&vma->vm_lock->lock); vma->vm_lock_seq = mm_lock_seq; up_write(&vma->vm_lock->lock): the rwsem is write-held only to publish vm_lock_seq (so until v6.14, when vm_refcnt replaced it)' },
  FIX_9C49E5D: { file: 'mm/madvise.c', kernel: 'v6.16', note: 'commit 9c49e5d09f07 "mm/madvise: handle madvise_lock() failure during race unwinding"' },
  ML_MAYBE_GUARD: { file: 'include/linux/mm.h', kernel: 'v6.19 era (Nov 2025)', note: 'VM_MAYBE_GUARD series, "mm: add atomic VMA flags and set VM_MAYBE_GUARD as such"' },
  SHEET_6: { file: 'docs/vma-locking-facts.md', note: 'section 6, historical VMA locking fixes: c137381f71ae, fb49c455323f, d8ab9f7b644a, 6c21e066f925 each added a missing vma_start_write()' },
  FIX_FB49C45: { file: 'kernel/fork.c', kernel: 'v6.5', note: 'commit fb49c455323f "fork: lock VMAs of the parent process when forking"' },
  FIX_EA7E2D5: { file: 'mm/mmap.c', kernel: 'v6.12', note: 'commit ea7e2d5e49c0 "mm: call the security_mmap_file() LSM hook in remap_file_pages()" and its fix "mm: Split critical region in remap_file_pages() and invoke LSMs in between" (lockdep: mmap_lock -> LSM locks)' },
  L612_LOCKDEPH: { file: 'include/linux/lockdep.h', kernel: 'v6.12.117', note: 'lockdep_assert_held*() [L612]' },
  L612_MUTEXH: { file: 'include/linux/mutex.h', kernel: 'v6.12.117', note: 'mutex_lock() may sleep [L612]' },
  L612_RWSEMH: { file: 'include/linux/rwsem.h', kernel: 'v6.12.117', note: 'down_read()/down_write() may sleep [L612]' },
  L612_MEMHOTPLUG: { file: 'mm/memory_hotplug.c', kernel: 'v6.12.117', note: 'mem_hotplug_begin() takes cpus_read_lock(), then mem_hotplug_lock for write; online_pages() and offline_pages() must be called with it held for write [L612]' },
  L612_CPUH: { file: 'include/linux/cpu.h', kernel: 'v6.12.117', note: 'cpus_read_lock(); *_cpuslocked() variants expect it held [L612]' },
  L612_STOPMACHINEH: { file: 'include/linux/stop_machine.h', kernel: 'v6.12.117', note: 'stop_machine() takes cpus_read_lock(); stop_machine_cpuslocked() expects it held [L612]' },
  SHEET_2_9: { file: 'docs/vma-locking-facts.md', note: 'section 2.9, fault-path contract: when handle_mm_fault() under FAULT_FLAG_VMA_LOCK returns VM_FAULT_RETRY or VM_FAULT_COMPLETED, the VMA lock is already released and the caller must not call vma_end_read() (since 4089eef0e6ac, v6.6)' },
  SHEET_2_6: { file: 'docs/vma-locking-facts.md', note: 'section 2.6, page-table lock helpers: pte_offset_map() maps the table and enters an RCU read section until pte_unmap(); pte_unmap_unlock() drops the ptl, then unmaps' },
  SHEET_R11: { file: 'docs/vma-locking-facts.md', note: 'section 5.1, R11: after any mmap/VMA lock is dropped, previously obtained VMA pointers are dead; re-look-up and revalidate after relocking' },
  SHEET_R13: { file: 'docs/vma-locking-facts.md', note: 'section 5.1, R12 and R13: under the per-VMA lock alone (lock_vma_under_rcu()) no mmap_lock is held; anon_vma_prepare() asserts it, use vmf_anon_prepare()' },
  SHEET_3_6: { file: 'docs/vma-locking-facts.md', note: 'section 3.6, checklist when adding a new VM_* flag (VM_MAYBE_GUARD diffstat)' },
} satisfies Record<string, SourceRef>;
