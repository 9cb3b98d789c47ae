/**
 * BUG-ON-ADDED: a new BUG_ON() / VM_BUG_ON*() crashes the kernel where a
 * VM_WARN_ON_ONCE*() plus recovery would do (checkpatch AVOID_BUG; mm moved
 * its own lock asserts to VM_WARN_ON_ONCE_VMA).
 *
 * Severity info by default: it is policy that changed over time (the corpus
 * holds accepted 2023 patches with a dozen new BUG_ON()s each), not a bug in
 * the patch.  A reviewer who enforces today's policy raises it with a
 * severity override (`{"BUG-ON-ADDED": "warning"}`).  One that the same
 * patch moves (the same condition removed elsewhere) says so.
 */
import type { Finding } from '../../findings.js';
import { SRC } from '../../model/index.js';
import type { Rule } from '../types.js';

export const BUG_MACROS = /^(BUG|BUG_ON|VM_BUG_ON|VM_BUG_ON_(VMA|MM|PAGE|FOLIO|PGFLAGS))$/;

export const rule: Rule = {
  id: 'BUG-ON-ADDED',
  severity: 'info',
  description: 'A new BUG_ON()/VM_BUG_ON*(): prefer VM_WARN_ON_ONCE*() plus recovery.',
  source: [SRC.L612_CHECKPATCH, { file: 'Documentation/process/deprecated.rst', kernel: 'v6.12.117', note: 'BUG() and BUG_ON()' }, SRC.MM_LOCKH],
  check(ctx) {
    const out: Finding[] = [];
    for (const patch of ctx.patches) {
      const removed = new Set<string>();
      for (const fn of patch.facts.functions) {
        for (const c of fn.calls) if (c.change === '-' && BUG_MACROS.test(c.name)) removed.add(`${c.name}(${c.args.join(',').replace(/\s+/g, '')})`);
      }
      for (const fn of patch.facts.functions) {
        if (fn.image !== 'post') continue;
        for (const c of fn.calls) {
          if (c.change !== '+' || !BUG_MACROS.test(c.name)) continue;
          const warn = c.name === 'BUG' ? 'WARN_ON_ONCE(1)' : c.name.replace('BUG_ON', 'WARN_ON_ONCE').replace(/^VM_WARN_ON_ONCE$/, 'VM_WARN_ON_ONCE');
          const moved = removed.has(`${c.name}(${c.args.join(',').replace(/\s+/g, '')})`);
          out.push(ctx.finding(rule, patch, c.pos,
            `New ${c.name}() crashes the kernel on failure; prefer ${warn}() and recover.`,
            moved ? { severity: 'info', uncertain: 'the same patch removes the same check elsewhere: it is moved, not new' } : {}));
        }
      }
    }
    return out;
  },
};
