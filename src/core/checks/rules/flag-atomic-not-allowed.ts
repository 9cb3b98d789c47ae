/**
 * FLAG-ATOMIC-NOT-ALLOWED: vma_flag_set_atomic() / vma_set_atomic_flag() (or
 * the test variants) with a bit outside VM_ATOMIC_SET_ALLOWED: the kernel
 * WARNs and does nothing.  The allow-list is the series' own definition when
 * it has one, else the model's.  A bit given as a variable is left alone.
 */
import type { Finding } from '../../findings.js';
import { SRC, flagNameOfBit } from '../../model/index.js';
import type { Rule } from '../types.js';
import { sourcesOf } from './common.js';
import { atomicAllowed } from './flags-common.js';

export const rule: Rule = {
  id: 'FLAG-ATOMIC-NOT-ALLOWED',
  severity: 'error',
  description: 'An atomic VMA flag helper is used with a bit outside VM_ATOMIC_SET_ALLOWED.',
  source: [SRC.MM_MMH, SRC.ML_MAYBE_GUARD],
  check(ctx) {
    const out: Finding[] = [];
    const allowed = atomicAllowed(ctx.model, ctx.patches);
    for (const { fn, patch } of ctx.functions()) {
      for (const call of fn.calls) {
        if (call.change !== '+') continue;
        const spec = ctx.model.helpers.get(call.name);
        if (spec?.kind !== 'flag-atomic' || spec.flagBitArg === undefined) continue;
        const arg = call.args[spec.flagBitArg];
        const flag = arg ? flagNameOfBit(arg) : null;
        if (!flag || (!ctx.model.flags.has(flag) && !/_BIT$/.test(arg!.trim()))) continue;
        if (allowed.flags.has(flag)) continue;
        out.push(ctx.finding(rule, patch, call.pos,
          `${call.name}() is given ${arg!.trim()}, but ${flag} is not in VM_ATOMIC_SET_ALLOWED (${[...allowed.flags].join(' | ') || 'empty'}): the kernel warns and leaves the flag unchanged.`,
          { sources: sourcesOf(spec.source, ctx.model.masks.get('VM_ATOMIC_SET_ALLOWED')?.source) }));
      }
    }
    return out;
  },
};
