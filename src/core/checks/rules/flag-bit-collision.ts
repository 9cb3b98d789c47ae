/**
 * FLAG-BIT-COLLISION: a new or changed VM_* flag whose value is already taken
 * by another flag of the model or of the series.  A name the model knows is
 * compared only with the series (the model already places it, historic bits
 * included); bits the model marks as shared by arch aliases give an info.
 * Flags the series removes free their bit (VM_DENYWRITE -> VM_MAYBE_GUARD).
 */
import type { Finding } from '../../findings.js';
import { SRC } from '../../model/index.js';
import type { Rule } from '../types.js';
import { sourcesOf } from './common.js';
import { bitOf, defineValue, isFlagDefine, isSingleBit, removedDefines, seriesDefines } from './flags-common.js';

export const rule: Rule = {
  id: 'FLAG-BIT-COLLISION',
  severity: 'error',
  description: 'A new or changed VM_* flag takes a bit another flag already uses.',
  source: [SRC.MM_MMH, SRC.L612_MMH],
  check(ctx) {
    const out: Finding[] = [];
    const defines = seriesDefines(ctx.patches);
    const removed = removedDefines(ctx.patches);
    for (const { d, patch } of defines) {
      if (d.change !== '+' || !isFlagDefine(d) || d.path.startsWith('tools/')) continue;
      const v = defineValue(d);
      if (v === null || !isSingleBit(v)) continue;
      const bit = bitOf(v);
      // Other flags of the series with the same value.
      const clash = defines.find(({ d: o }) => o !== d && o.name !== d.name && o.change !== '-' && !removed.has(o.name) &&
        !o.path.startsWith('tools/') && isFlagDefine(o) && defineValue(o) === v);
      if (clash) {
        out.push(ctx.finding(rule, patch, d.pos,
          `${d.name} is bit ${bit} (0x${v.toString(16)}), the same value as ${clash.d.name} defined at line ${clash.d.pos.line}.`,
          { path: [{ ...clash.d.pos, what: `${clash.d.name} is 0x${v.toString(16)}` }, { ...d.pos, what: `${d.name} is 0x${v.toString(16)}` }],
            sources: rule.source }));
        continue;
      }
      // A flag the model places at this bit (now or in an older kernel) is where it belongs; a
      // changed value is compared with the model like a new flag.
      const known = ctx.model.flags.get(d.name);
      if (known && (known.bit === bit || known.historicBits?.some((h) => h.bit === bit))) continue;
      const taken = [...ctx.model.flags.values()].filter((f) => f.bit === bit && f.name !== d.name && !removed.has(f.name));
      if (taken.length === 0) continue;
      const shared = taken.every((f) => f.shared);
      out.push(ctx.finding(rule, patch, d.pos,
        `${d.name} is bit ${bit} (0x${v.toString(16)}), which the model gives to ${taken.map((f) => f.name).join(', ')}.`,
        { sources: sourcesOf(...taken.map((f) => f.source)),
          ...(shared ? { severity: 'info' as const, uncertain: `bit ${bit} is shared by arch- or config-specific aliases` } : {}) }));
    }
    return out;
  },
};
