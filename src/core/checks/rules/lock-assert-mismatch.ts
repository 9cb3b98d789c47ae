/**
 * LOCK-ASSERT-MISMATCH: an assertion that disagrees with what the function
 * itself holds or needs:
 *   - it asserts a mode stronger than the lock it took (vma_assert_write_locked()
 *     after vma_start_read(); mmap_assert_write_locked() after mmap_read_lock());
 *   - it asserts a lock it released earlier on the path;
 *   - it asserts a weaker mode than a helper it then calls needs
 *     (mmap_assert_locked(), then vm_flags_set() which needs the write lock).
 */
import type { Finding } from '../../findings.js';
import { SRC } from '../../model/index.js';
import { modeSatisfies, normInstance } from '../flow.js';
import type { Rule } from '../types.js';
import { certainAcquired, lockName, sameInstance, sourcesOf, step } from './common.js';

export const rule: Rule = {
  id: 'LOCK-ASSERT-MISMATCH',
  severity: 'error',
  description: 'A lock assertion disagrees with what the function holds or needs.',
  source: [SRC.MM_LOCKH, SRC.MM_DOC],
  check(ctx) {
    const out: Finding[] = [];
    for (const { fn, patch } of ctx.functions()) {
      const a = ctx.analysis(fn);
      for (const e of a.events) {
        if (e.kind !== 'call' || !e.spec) continue;
        const spec = e.spec;
        const call = e.call;
        if (spec.kind === 'assert' && !spec.anyOf) {
          for (const use of spec.asserts ?? []) {
            const inst = typeof use.instance === 'number' ? normInstance(call.args[use.instance] ?? '') || null : null;
            const sources = spec.source; // extended with the lock's own sources when a finding is made
            const mine = e.before.held.filter((h) => h.lock === use.lock && certainAcquired(h) && sameInstance(h.lock, h.instance, inst));
            const weaker = mine.find((h) => !modeSatisfies(h.mode, use.mode));
            if (mine.length > 0 && !mine.some((h) => modeSatisfies(h.mode, use.mode)) && weaker) {
              if (call.change !== '+' && weaker.change !== '+') continue;
              out.push(ctx.finding(rule, patch, call.pos,
                `${call.name}() asserts ${lockName(use.lock, use.mode)}, but this function took only ${lockName(weaker.lock, weaker.mode)} with ${weaker.helper}() at line ${weaker.step.line}.`,
                { path: [weaker.step, step(call.pos, `asserts with ${call.name}()`)], sources: sourcesOf(sources, ctx.model.locks.get(use.lock)?.source) }));
              continue;
            }
            // A VMA write lock needs the mmap write lock: asserting it under mmap_read_lock() cannot hold.
            if (use.lock === 'vma_lock' && use.mode === 'write' && mine.length === 0) {
              const mmapRead = e.before.held.find((h) => h.lock === 'mmap_lock' && h.mode === 'read' && certainAcquired(h));
              if (mmapRead && (call.change === '+' || mmapRead.change === '+')) {
                out.push(ctx.finding(rule, patch, call.pos,
                  `${call.name}() asserts the VMA write lock, but this function holds only ${lockName('mmap_lock', 'read')} from ${mmapRead.helper}() at line ${mmapRead.step.line}, and a VMA write lock needs the mmap write lock.`,
                  { path: [mmapRead.step, step(call.pos, `asserts with ${call.name}()`)], sources: sourcesOf(sources, ctx.model.helpers.get('vma_start_write')?.source) }));
                continue;
              }
            }
            if (mine.length === 0 && !e.before.held.some((h) => h.lock === use.lock)) {
              const gone = [...e.before.gone].reverse().find((g) => g.lock === use.lock && g.how === 'released' && sameInstance(g.lock, g.instance, inst));
              if (gone && (call.change === '+' || gone.change === '+')) {
                out.push(ctx.finding(rule, patch, call.pos,
                  `${call.name}() asserts ${lockName(use.lock, use.mode)}, but ${gone.helper}() released it at line ${gone.step.line} on this path.`,
                  { path: [gone.step, step(call.pos, `asserts with ${call.name}()`)], sources: sourcesOf(sources, ctx.model.locks.get(use.lock)?.source) }));
              }
            }
          }
          continue;
        }
        // A helper that needs more than this function's own assertion states.
        if (spec.requires && !spec.anyOf) {
          for (const need of spec.requires) {
            if (need.mode !== 'write') continue;
            const held = e.before.held.filter((h) => h.lock === need.lock);
            if (held.some((h) => modeSatisfies(h.mode, need.mode) || h.origin === 'acquired')) continue;
            const weak = held.find((h) => h.origin === 'asserted' && !modeSatisfies(h.mode, need.mode));
            if (!weak || (call.change !== '+' && weak.change !== '+')) continue;
            out.push(ctx.finding(rule, patch, weak.step,
              `${weak.helper}() accepts ${need.lock === 'mmap_lock' ? 'a read lock' : `${lockName(weak.lock, weak.mode)}`}, but ${call.name}() at line ${call.pos.line} needs ${lockName(need.lock, 'write')}: the assertion is weaker than what the function needs.`,
              { path: [weak.step, step(call.pos, `calls ${call.name}()`)], sources: sourcesOf(spec.source, ctx.model.helpers.get(weak.helper)?.source) }));
          }
        }
      }
    }
    return out;
  },
};
