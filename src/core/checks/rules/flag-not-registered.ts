/**
 * FLAG-NOT-REGISTERED: a new VM_* flag in include/linux/mm.h whose series
 * does not also add it to include/trace/events/mmflags.h
 * (__def_vmaflag_names), fs/proc/task_mmu.c (the smaps mnemonic) and
 * tools/testing/vma/ (the userland duplicate) -- the checklist of fact
 * sheet section 3.6.  When patches of the series are missing from the input
 * the finding is an info: the missing patch may hold the entries.
 */
import type { Finding } from '../../findings.js';
import { SRC } from '../../model/index.js';
import type { PatchInput, Rule } from '../types.js';
import { defineValue, isFlagDefine, isSingleBit, seriesDefines } from './flags-common.js';

const PLACES: { test: (path: string) => boolean; name: string }[] = [
  { test: (p) => p === 'include/trace/events/mmflags.h', name: 'include/trace/events/mmflags.h' },
  { test: (p) => p === 'fs/proc/task_mmu.c', name: 'fs/proc/task_mmu.c' },
  { test: (p) => p.startsWith('tools/testing/vma/'), name: 'tools/testing/vma/' },
];

/** Whether some patch adds a line naming `flag` in a file `place` accepts. */
function registered(patches: PatchInput[], flag: string, place: (path: string) => boolean): boolean {
  const re = new RegExp(`\\b${flag}\\b`);
  for (const p of patches) {
    if (p.lines) {
      if (p.lines.added.some((l) => place(l.path) && re.test(l.text))) return true;
      continue;
    }
    // Without the diff text: the facts of functions and defines of that file.
    const f = p.facts;
    if (f.defines.some((d) => place(d.path) && d.change === '+' && (d.name === flag || re.test(d.text)))) return true;
    if (f.functions.some((fn) => place(fn.path) && fn.image === 'post' && fn.identifiers.includes(flag))) return true;
  }
  return false;
}

export const rule: Rule = {
  id: 'FLAG-NOT-REGISTERED',
  severity: 'warning',
  description: 'A new VM_* flag is missing from mmflags.h, task_mmu.c or tools/testing/vma in its series.',
  source: [SRC.SHEET_3_6, SRC.L612_MMFLAGS],
  check(ctx) {
    const out: Finding[] = [];
    const defines = seriesDefines(ctx.patches);
    const removed = new Set(defines.filter(({ d }) => d.change === '-').map(({ d }) => d.name));
    const done = new Set<string>();
    for (const { d, patch } of defines) {
      if (d.change !== '+' || d.path !== 'include/linux/mm.h' || !isFlagDefine(d) || removed.has(d.name) || done.has(d.name)) continue;
      const v = defineValue(d);
      const flagLike = (v !== null && isSingleBit(v)) || /^(INIT_VM_FLAG|BIT|_BITUL|BIT_ULL)\(/.test(d.text.trim());
      if (!flagLike) continue;
      done.add(d.name);
      const missing = PLACES.filter((pl) => !registered(ctx.patches, d.name, pl.test)).map((pl) => pl.name);
      if (missing.length === 0) continue;
      const incomplete = ctx.options.seriesComplete === false;
      out.push(ctx.finding(rule, patch, d.pos,
        `New flag ${d.name} is not added to ${missing.join(', ')} in this series.`,
        { sources: rule.source,
          ...(incomplete ? { severity: 'info' as const, uncertain: 'patches of the series are missing from the input; they may add the entries' } : {}) }));
    }
    return out;
  },
};
