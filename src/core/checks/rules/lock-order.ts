/**
 * LOCK-ORDER: an acquisition that inverts the model's lock order (fact sheet
 * section 4): vma_start_write() while holding i_mmap_rwsem, mmap_read_lock()
 * while holding a ptl, inode_lock() under mmap_lock.  Trylocks cannot
 * deadlock and are skipped; so are two instances of one class (lockdep
 * nesting is a separate matter).
 */
import type { Finding } from '../../findings.js';
import { SRC, orderClosure, orderPath } from '../../model/index.js';
import type { Rule } from '../types.js';
import { lockName, sourcesOf, step } from './common.js';

export const rule: Rule = {
  id: 'LOCK-ORDER',
  severity: 'error',
  description: "A lock is taken while holding a lock that the model orders inside it.",
  source: [SRC.MM_RMAP, SRC.MM_FILEMAP, SRC.MM_DOC],
  check(ctx) {
    const out: Finding[] = [];
    const closure = orderClosure(ctx.model);
    for (const { fn, patch } of ctx.functions()) {
      for (const e of ctx.analysis(fn).events) {
        if (e.kind !== 'acquire' || e.spec.success === 'true') continue;
        const taking = e.held;
        for (const h of e.before.held) {
          if (h.uncertain || h.lock === taking.lock) continue;
          if (!closure.get(taking.lock)?.has(h.lock)) continue;
          if (e.call.change !== '+' && h.change !== '+') continue;
          // vma_start_write() is a no-op on a VMA already write-locked on this path.
          if (taking.lock === 'vma_lock' && taking.mode === 'write' &&
              e.before.held.some((k) => k.lock === 'vma_lock' && k.mode === 'write' && (k.instance === null || k.instance === taking.instance))) break;
          const why = orderPath(ctx.model, taking.lock, h.lock);
          // A helper that write-locks the VMA as a side effect (vm_flags_set()) inverts
          // the order only if nobody locked the VMA before: the caller may have.
          const sideEffect = e.spec.kind !== 'acquire' && taking.lock === 'vma_lock';
          const held = h.origin === 'acquired' ? `taken by ${h.helper}() at line ${h.step.line}` : `stated held by ${h.helper}() at line ${h.step.line}`;
          out.push(ctx.finding(rule, patch, e.call.pos,
            `${e.call.name}() takes ${lockName(taking.lock, taking.mode === 'any' ? undefined : taking.mode)} while holding ${lockName(h.lock)} (${held}), but the lock order puts ${lockName(taking.lock)} outside it (${why.map((w) => w.why).join('; ')}).`,
            { path: [h.step, step(e.call.pos, `${e.call.name}() acquires ${taking.lock}`)], sources: sourcesOf(...why.map((w) => w.source), e.spec.source),
              ...(sideEffect ? { severity: 'info' as const, uncertain: `${e.call.name}() write-locks the VMA only if it is not write-locked yet; it may have been locked before ${h.helper}()` } : {}) }));
          break;
        }
      }
    }
    return out;
  },
};
