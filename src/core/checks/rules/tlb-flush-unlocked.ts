/**
 * Part of LOCK-REQUIRES (called from lock-requires.ts): a TLB flush moved
 * out of the page-table lock it ran under.
 *
 * Entries cleared or changed under a ptl must be flushed from the TLB before
 * the ptl is dropped: once it is, another thread (rmap walk, migration,
 * reclaim, a racing madvise) can take the lock, see the cleared entry and
 * free or reuse the page while stale TLB entries still reach it.  Two fixes
 * of this class: eb66ae030829 (mremap, CVE-2018-18281) and 60bae7370896
 * (migrate_vma_collect_pmd()).  The diff is the witness: the pre-image
 * flushes before the unlock, the post-image unlocks first.
 */
import type { CallFact } from '../../c/facts.js';
import type { Finding } from '../../findings.js';
import { SRC } from '../../model/index.js';
import { argOf, functionChanges } from '../removed.js';
import type { RuleInfo, SeriesContext } from '../types.js';
import { sourcesOf, step } from './common.js';

/** Flushes of user TLB entries (include/linux/mm.h, asm-generic/tlbflush.h). */
const TLB_FLUSH: ReadonlySet<string> = new Set(['flush_tlb_range', 'flush_tlb_page', 'flush_tlb_mm', 'flush_tlb_mm_range']);
const PAGE_TABLE_LOCKS: ReadonlySet<string> = new Set(['pte_ptl', 'pmd_ptl', 'page_table_lock']);

function sameCall(a: CallFact, b: CallFact): boolean {
  return a.name === b.name && a.args.length === b.args.length && a.args.every((_, i) => argOf(a, i) === argOf(b, i));
}

export function tlbFlushesMovedOutOfPtl(ctx: SeriesContext, rule: RuleInfo): Finding[] {
  const out: Finding[] = [];
  /** A release of a page-table lock: pte_unmap_unlock(), or spin_unlock() of a ptl / page_table_lock. */
  const ptlRelease = (c: CallFact) => (ctx.model.helpers.get(c.name)?.releases ?? []).some((u) =>
    PAGE_TABLE_LOCKS.has(u.lock) || (u.lock === 'spinlock' && typeof u.instance === 'number' && /(^|[>._])(ptl\w*|page_table_lock)$/.test(argOf(c, u.instance))));
  const ptlAcquire = (c: CallFact) => (ctx.model.helpers.get(c.name)?.acquires ?? []).some((u) => PAGE_TABLE_LOCKS.has(u.lock) || u.lock === 'spinlock');
  for (const { patch, pre, post } of functionChanges(ctx.patches)) {
    if (!post) continue;
    for (const rel of pre.calls) {
      if (rel.change !== '-' || !ptlRelease(rel)) continue;
      // The pre-image flushed under this lock: a flush above the unlock with no other unlock between.
      const flush = pre.calls.find((f) => TLB_FLUSH.has(f.name) && f.pos.line < rel.pos.line &&
        !pre.calls.some((c) => c.pos.line > f.pos.line && c.pos.line < rel.pos.line && ptlRelease(c)));
      if (!flush) continue;
      // The post-image unlocks the same lock first, then flushes, with no relock between.
      const moved = post.calls.find((c) => c.change === '+' && sameCall(c, rel));
      const later = moved && post.calls.find((f) => sameCall(f, flush) && f.pos.line > moved.pos.line);
      if (!moved || !later) continue;
      if (post.calls.some((c) => c.pos.line > moved.pos.line && c.pos.line < later.pos.line && ptlAcquire(c))) continue;
      out.push(ctx.finding(rule, patch, moved.pos,
        `This patch moves ${rel.name}(${rel.args.join(', ')}) above ${flush.name}() at line ${later.pos.line}: the TLB is now flushed after the page-table lock is dropped, so another thread can take the lock and free or reuse the pages of the changed entries while stale TLB entries still reach them.`,
        { severity: 'warning', path: [step(rel.pos, `${rel.name}() ran after the flush`), step(moved.pos, `${rel.name}() now runs first`), step(later.pos, `${flush.name}() outside the lock`)],
          sources: sourcesOf(ctx.model.helpers.get(rel.name)?.source, [SRC.FIX_EB66AE0, SRC.FIX_60BAE73]) }));
    }
  }
  return out;
}
