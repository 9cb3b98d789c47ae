/**
 * LOCK-SLEEP-ATOMIC: a sleeping lock or a helper that may sleep, called while
 * this function holds a spinlock, a ptl or an RCU read section (including the
 * one pte_offset_map*() opens until pte_unmap()).  When the sleeping call is
 * itself a lock the order forbids there, LOCK-ORDER reports it instead.
 */
import type { Finding } from '../../findings.js';
import { SRC, orderClosure } from '../../model/index.js';
import type { Rule } from '../types.js';
import { lockName, sourcesOf, step } from './common.js';

export const rule: Rule = {
  id: 'LOCK-SLEEP-ATOMIC',
  severity: 'error',
  description: 'A sleeping lock or may-sleep helper is called under a spinlock, ptl or RCU.',
  source: [SRC.MM_DOC, SRC.L612_SPINLOCK],
  check(ctx) {
    const out: Finding[] = [];
    const closure = orderClosure(ctx.model);
    for (const { fn, patch } of ctx.functions()) {
      for (const e of ctx.analysis(fn).events) {
        if (e.kind !== 'call' || !e.spec) continue;
        const spec = e.spec;
        if (spec.success === 'true') continue; // trylocks do not sleep
        const gfp = spec.maySleepIfArgMatches ? new RegExp(`\\b(${spec.maySleepIfArgMatches})\\b`) : null;
        const sleeps = spec.maySleep || (gfp !== null && e.call.args.some((x) => gfp.test(x)));
        if (!sleeps) continue;
        const atomic = e.before.held.find((h) => h.origin === 'acquired' && !h.uncertain && ctx.model.locks.get(h.lock)?.sleeps === false);
        if (!atomic) continue;
        if (e.call.change !== '+' && atomic.change !== '+') continue;
        const takes = (spec.acquires ?? []).map((u) => u.lock);
        if (takes.some((l) => closure.get(l)?.has(atomic.lock))) continue; // LOCK-ORDER's finding
        out.push(ctx.finding(rule, patch, e.call.pos,
          `${e.call.name}() may sleep, but this path holds ${lockName(atomic.lock)} taken by ${atomic.helper}() at line ${atomic.step.line}.`,
          { path: [atomic.step, step(e.call.pos, `calls ${e.call.name}(), which may sleep`)],
            sources: sourcesOf(spec.source, ctx.model.locks.get(atomic.lock)?.source) }));
      }
    }
    return out;
  },
};
