/**
 * The shape of the VMA-locking model: lock objects, helpers and what each
 * requires / acquires / releases / asserts, VM_* flags and masks, and the lock
 * order.  Pure data: the checks in src/core/checks read it, a reviewer can read
 * and extend it (see docs/vma-locking-facts.md, the sheet it is written from)
 * without reading the checker.
 */
import type { SourceRef } from '../findings.js';

/**
 * Lock classes the checker tracks.  A class is a kind of lock; an instance
 * is named by the argument text at the call (`vma`, `ptl`, `mm`).
 */
export type LockClass =
  | 'i_rwsem'
  | 'mmap_lock'
  | 'invalidate_lock'
  | 'folio_lock'
  | 'hugetlb_fault_mutex'
  | 'hugetlb_vma_lock'
  | 'vma_lock'
  | 'i_mmap'
  | 'anon_vma'
  | 'page_table_lock'
  | 'pmd_ptl'
  | 'pte_ptl'
  | 'spinlock'
  | 'rcu'
  | 'mutex'
  | 'rwsem'
  | 'cpu_hotplug_lock'
  | 'mem_hotplug_lock';

export type LockMode = 'read' | 'write';

export interface LockObject {
  lock: LockClass;
  /** What the kernel calls it. */
  title: string;
  /** A sleeping lock (rwsem, mutex, bit lock) or an atomic section (spinlock, RCU). */
  sleeps: boolean;
  modes: LockMode[];
  /** Whether LOCK-UNBALANCED tracks it (VMA write locks have no unlock). */
  balanced: boolean;
  protects: string;
  source: SourceRef[];
}

/** A lock a helper needs, takes, drops or asserts. */
export interface LockUse {
  lock: LockClass;
  /** `any` = read or write (mmap_assert_locked, vma_assert_locked). */
  mode: LockMode | 'any';
  /**
   * Which argument names the instance (0-based), `return` when the helper
   * returns the locked object (lock_vma_under_rcu, pmd_lock), or absent when
   * the class alone matters.
   */
  instance?: number | 'return';
  /** For releases: drop every instance of the class (mmap_write_unlock drops all VMA write locks). */
  all?: boolean;
}

/** When a conditional acquisition succeeded. */
export type Success =
  | 'always'
  | 'zero' // *_killable(): 0 = locked, -EINTR = not locked
  | 'true' // *_trylock(): true = locked
  | 'nonnull'; // lock_vma_under_rcu(), pte_offset_map_lock(): non-NULL = locked

export type HelperKind =
  | 'acquire'
  | 'release'
  | 'assert'
  | 'flag-writer'
  | 'flag-atomic'
  | 'walk'
  | 'tree-store'
  | 'may-sleep'
  | 'debug-check'
  | 'other';

export interface HelperSpec {
  name: string;
  kind: HelperKind;
  /** Locks the caller must hold. */
  requires?: LockUse[];
  acquires?: LockUse[];
  releases?: LockUse[];
  /**
   * Locks the helper takes and drops again before it returns (stop_machine()
   * takes cpus_read_lock()): no net change, but calling it while holding the
   * lock is a recursive acquisition.
   */
  takes?: LockUse[];
  /** Locks that must not be held across the call, and why (security_mmap_file() and mmap_lock). */
  forbids?: LockUse[];
  forbidsWhy?: string;
  /** Locks the helper checks (a statement of what its caller holds). */
  asserts?: LockUse[];
  /** For conditional acquisitions. Default `always`. */
  success?: Success;
  /** `__must_check`: ignoring the result is a bug. */
  mustCheck?: boolean;
  /** `requires` / `asserts` / `releases` list alternatives: one of them is enough. */
  anyOf?: boolean;
  /** The helper may sleep (forbidden under spinlocks, ptl, RCU). */
  maySleep?: boolean;
  /** The helper may sleep when an argument matches this regex source (GFP_KERNEL ...). */
  maySleepIfArgMatches?: string;
  /** Lockdep nested variant: taking a second instance of the class is intended. */
  nested?: boolean;
  /** For tree-store helpers: which argument is the VMA stored. */
  storesVma?: number;
  /** For atomic flag helpers: which argument is the bit. */
  flagBitArg?: number;
  /** What the helper means without CONFIG_PER_VMA_LOCK. */
  withoutPerVmaLock?: string;
  /** Summarized from a function body of the series (approximate: never the basis of a release finding). */
  summary?: boolean;
  /** One-line summary for a reviewer. */
  note?: string;
  source: SourceRef[];
}

/** A VM_* flag: bit, smaps mnemonic and tracepoint name. */
export interface FlagSpec {
  name: string;
  bit: number;
  /** Other bits the same name had in other kernels (VM_UFFD_MINOR was 38 in 6.12). */
  historicBits?: { bit: number; kernel: string }[];
  /** Bit shared by arch-specific or config-specific aliases: collisions are expected. */
  shared?: boolean;
  smaps?: string;
  trace?: string;
  /** May be VM_NONE (0) in some configs. */
  mayBeNone?: boolean;
  note?: string;
  source: SourceRef[];
}

export interface MaskSpec {
  name: string;
  /** Flag names OR'd together. */
  flags: string[];
  usedFor: string;
  source: SourceRef[];
}

/** One edge of the lock order: `outer` is taken before `inner`. */
export interface OrderEdge {
  outer: LockClass;
  inner: LockClass;
  why: string;
  source: SourceRef[];
}

/** Who may write a vm_area_struct field. */
export interface FieldSpec {
  field: string;
  /** Locks needed to write it (for an attached VMA). */
  writeRequires: LockUse[];
  note?: string;
  source: SourceRef[];
}

/** walk_page_range(): what each `walk_lock` value requires and does per VMA. */
export interface WalkLockSpec {
  name: string;
  value: number;
  mmRequires: LockUse[];
  perVma: 'none' | 'vma_start_write' | 'vma_assert_write_locked' | 'vma_assert_locked';
  source: SourceRef[];
}

export interface Model {
  locks: Map<LockClass, LockObject>;
  helpers: Map<string, HelperSpec>;
  flags: Map<string, FlagSpec>;
  masks: Map<string, MaskSpec>;
  order: OrderEdge[];
  fields: Map<string, FieldSpec>;
  walkLocks: Map<string, WalkLockSpec>;
  /** Where each user override came from (file), for findings' sources. */
  overrides: string[];
}
