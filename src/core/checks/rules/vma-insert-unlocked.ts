/**
 * VMA-INSERT-UNLOCKED: a VMA this function allocated (vm_area_alloc(),
 * vm_area_dup(), copy_vma()) is stored into the VMA tree on a path where it
 * was not write-locked first (ad9f006351c3: page faults under a VMA read lock
 * can find it the moment it is in the tree).  A VMA of unknown origin is left
 * alone: its caller may have locked it.
 */
import type { Finding } from '../../findings.js';
import { SRC } from '../../model/index.js';
import { normInstance } from '../flow.js';
import type { Rule } from '../types.js';
import { sourcesOf, step } from './common.js';

export const rule: Rule = {
  id: 'VMA-INSERT-UNLOCKED',
  severity: 'error',
  description: 'A new VMA is stored into the VMA tree without vma_start_write() first.',
  source: [SRC.FIX_AD9F006, SRC.MM_VMA, SRC.MM_LOCKH],
  check(ctx) {
    const out: Finding[] = [];
    for (const { fn, patch } of ctx.functions()) {
      const a = ctx.analysis(fn);
      if (a.freshVmas.size === 0) continue;
      const done = new Set<number>();
      for (const e of a.events) {
        if (e.kind !== 'call' || e.spec?.kind !== 'tree-store' || e.spec.storesVma === undefined) continue;
        const vma = normInstance(e.call.args[e.spec.storesVma] ?? '');
        if (!a.freshVmas.has(vma) || done.has(e.call.pos.line)) continue;
        const locked = e.before.held.some((h) => h.lock === 'vma_lock' && h.mode === 'write' && (h.instance === vma || h.instance === null));
        if (locked) continue;
        const alloc = fn.assigns.find((x) => normInstance(x.target) === vma);
        if (e.call.change !== '+' && alloc?.change !== '+') continue;
        done.add(e.call.pos.line);
        out.push(ctx.finding(rule, patch, e.call.pos,
          `${e.call.name}() stores the new VMA ${vma} into the tree, but this path has not called vma_start_write(${vma}) first.`,
          { path: [...(alloc ? [step(alloc.pos, `${vma} = ${alloc.value.trim()}`)] : []), step(e.call.pos, `${e.call.name}() makes it visible`)],
            sources: sourcesOf(e.spec.source, rule.source) }));
      }
    }
    return out;
  },
};
