/**
 * VM_* flags by bit and the derived masks (fact sheet sections 3.4, 3.5).
 * Bits are those of the 2026 mm enum, checked against 6.12 hex values; names
 * that moved keep their old bit in `historicBits` so a patch written for an
 * older tree is not mistaken for a collision.
 */
import type { FlagSpec, MaskSpec } from './types.js';
import { SRC } from './sources.js';

const S = [SRC.MM_MMH, SRC.MM_DUP, SRC.L612_MMH];

function f(name: string, bit: number, smaps?: string, trace?: string, extra: Partial<FlagSpec> = {}): FlagSpec {
  return { name, bit, smaps, trace, source: S, ...extra };
}

export const VM_FLAGS: FlagSpec[] = [
  f('VM_READ', 0, 'rd', 'read'),
  f('VM_WRITE', 1, 'wr', 'write'),
  f('VM_EXEC', 2, 'ex', 'exec'),
  f('VM_SHARED', 3, 'sh', 'shared'),
  f('VM_MAYREAD', 4, 'mr', 'mayread'),
  f('VM_MAYWRITE', 5, 'mw', 'maywrite'),
  f('VM_MAYEXEC', 6, 'me', 'mayexec'),
  f('VM_MAYSHARE', 7, 'ms', 'mayshare'),
  f('VM_GROWSDOWN', 8, 'gd', 'growsdown', { shared: true, note: 'VM_STACK / VM_STACK_EARLY alias it' }),
  f('VM_UFFD_MISSING', 9, 'um', 'uffd_missing', { shared: true, mayBeNone: true, note: 'VM_MAYOVERLAY on nommu' }),
  f('VM_MAYOVERLAY', 9, undefined, undefined, { shared: true, note: 'nommu' }),
  f('VM_PFNMAP', 10, 'pf', 'pfnmap'),
  f('VM_MAYBE_GUARD', 11, 'gu', 'maybe_guard', {
    note: '0x800 was VM_DENYWRITE until 8d0920bde5eb (v5.15); reused Nov 2025',
    source: [SRC.MM_MMH, SRC.ML_MAYBE_GUARD],
  }),
  f('VM_UFFD_WP', 12, 'uw', 'uffd_wp'),
  f('VM_LOCKED', 13, 'lo', 'locked'),
  f('VM_IO', 14, 'io', 'io'),
  f('VM_SEQ_READ', 15, 'sr', 'seqread'),
  f('VM_RAND_READ', 16, 'rr', 'randread'),
  f('VM_DONTCOPY', 17, 'dc', 'dontcopy'),
  f('VM_DONTEXPAND', 18, 'de', 'dontexpand'),
  f('VM_LOCKONFAULT', 19, 'lf', 'lockonfault'),
  f('VM_ACCOUNT', 20, 'ac', 'account'),
  f('VM_NORESERVE', 21, 'nr', 'noreserve'),
  f('VM_HUGETLB', 22, 'ht', 'hugetlb'),
  f('VM_SYNC', 23, 'sf', 'sync'),
  ...['VM_ARCH_1', 'VM_SAO', 'VM_GROWSUP', 'VM_SPARC_ADI', 'VM_ARM64_BTI', 'VM_MAPPED_COPY', 'VM_PAT'].map((name) =>
    f(name, 24, 'ar', undefined, { shared: true, note: 'ARCH_1, aliased per arch' })),
  f('VM_WIPEONFORK', 25, 'wf', 'wipeonfork'),
  f('VM_DONTDUMP', 26, 'dd', 'dontdump'),
  f('VM_SOFTDIRTY', 27, 'sd', 'softdirty', { mayBeNone: true }),
  f('VM_MIXEDMAP', 28, 'mm', 'mixedmap'),
  f('VM_HUGEPAGE', 29, 'hg', 'hugepage'),
  f('VM_NOHUGEPAGE', 30, 'nh', 'nohugepage'),
  f('VM_MERGEABLE', 31, 'mg', 'mergeable'),
  ...[0, 1, 2, 3, 4].map((i) => f(`VM_PKEY_BIT${i}`, 32 + i, undefined, undefined, { shared: true, note: `HIGH_ARCH_${i}` })),
  ...[0, 1, 2, 3, 4, 5, 6].map((i) => f(`VM_HIGH_ARCH_${i}`, 32 + i, undefined, undefined, { shared: true })),
  f('VM_MTE', 36, 'mt', undefined, { shared: true, mayBeNone: true, note: 'arm64, HIGH_ARCH_4' }),
  f('VM_MTE_ALLOWED', 37, undefined, undefined, { shared: true, mayBeNone: true, note: 'arm64, HIGH_ARCH_5' }),
  f('VM_SHADOW_STACK', 37, 'ss', undefined, { shared: true, mayBeNone: true, historicBits: [{ bit: 38, kernel: 'arm64 GCS (HIGH_ARCH_6)' }] }),
  f('VM_ALLOW_ANY_UNCACHED', 39),
  f('VM_DROPPABLE', 40, 'dp', 'droppable', { mayBeNone: true, note: 'ppc32 aliases ARCH_1' }),
  f('VM_UFFD_MINOR', 41, 'ui', 'uffd_minor', { mayBeNone: true, historicBits: [{ bit: 38, kernel: 'v6.12' }] }),
  f('VM_SEALED', 42, 'sl', undefined, { mayBeNone: true, historicBits: [{ bit: 63, kernel: 'v6.12' }] }),
];

const m = (name: string, flags: string[], usedFor: string): MaskSpec => ({ name, flags, usedFor, source: [SRC.MM_MMH] });

export const VM_MASKS: MaskSpec[] = [
  { ...m('VM_ATOMIC_SET_ALLOWED', ['VM_MAYBE_GUARD'], 'flags that may be set atomically under a VMA/mmap read lock'),
    source: [SRC.MM_MMH, SRC.ML_MAYBE_GUARD] },
  m('VM_STICKY', ['VM_SOFTDIRTY', 'VM_MAYBE_GUARD'], 'OR-ed into the result of a merge'),
  m('VM_IGNORE_MERGE', ['VM_SOFTDIRTY', 'VM_MAYBE_GUARD'], 'differences ignored when deciding mergeability (= VM_STICKY)'),
  m('VM_COPY_ON_FORK', ['VM_PFNMAP', 'VM_MIXEDMAP', 'VM_UFFD_WP', 'VM_MAYBE_GUARD'], 'fork copies page tables when the destination has one'),
  m('VM_SPECIAL', ['VM_IO', 'VM_DONTEXPAND', 'VM_PFNMAP', 'VM_MIXEDMAP'], 'never merged, never mlocked'),
  m('VM_NO_KHUGEPAGED', ['VM_IO', 'VM_DONTEXPAND', 'VM_PFNMAP', 'VM_MIXEDMAP', 'VM_HUGETLB'], 'khugepaged skips these'),
  m('VM_LOCKED_MASK', ['VM_LOCKED', 'VM_LOCKONFAULT'], 'mlock'),
  m('VM_ACCESS_FLAGS', ['VM_READ', 'VM_WRITE', 'VM_EXEC'], 'vma_is_accessible()'),
  m('VM_STARTGAP_FLAGS', ['VM_GROWSDOWN', 'VM_SHADOW_STACK'], 'stack guard gap'),
  m('VM_INIT_DEF_MASK', ['VM_NOHUGEPAGE'], 'mm->def_flags inherited across fork'),
  m('VM_STACK_INCOMPLETE_SETUP', ['VM_RAND_READ', 'VM_SEQ_READ'], 'exec stack setup (plus VM_STACK_EARLY)'),
];

/**
 * Flag names written as bit constants: VM_MAYBE_GUARD_BIT (6.19 era),
 * VMA_MAYBE_GUARD_BIT (2026 enum).  Returns the VM_* name, or null.
 */
export function flagNameOfBit(text: string): string | null {
  const t = text.trim();
  const mm = /^VMA?_([A-Z0-9_]+?)_BIT$/.exec(t);
  if (mm) return `VM_${mm[1]}`;
  if (/^VM_[A-Z0-9_]+$/.test(t)) return t;
  return null;
}
