/**
 * WARN-SIDE-EFFECT: a side effect inside the condition of VM_WARN_ON*() /
 * VM_BUG_ON*(): without CONFIG_DEBUG_VM the condition is not evaluated, so
 * the side effect disappears (mmdebug.h: BUILD_BUG_ON_INVALID(cond)).
 */
import type { Finding } from '../../findings.js';
import type { Model } from '../../model/index.js';
import { SRC } from '../../model/index.js';
import type { Rule } from '../types.js';

const DEBUG_MACROS = /^VM_(WARN|BUG)_ON(_ONCE)?(_(VMA|MM|PAGE|FOLIO|PGFLAGS))?$|^VM_WARN(_ONCE)?$/;
/** Function names that change state (locks, refcounts, atomics, allocations). */
const MUTATING = /(^|_)(inc|dec|set|clear|add|sub|put|lock|unlock|trylock|alloc|free|xchg|cmpxchg|push|pop|del|insert|remove)(_\w*)?$|^(test_and_|atomic\w*_(inc|dec|add|sub)_return|xchg|cmpxchg)/;
const PURE = /(^|_)(is|test|read|get_lockless|same|none|present|count|mapcount|order|nr|size|empty|locked|writeable|writable|ptr)(_|$)|^(folio_test_|PageTest|page_test_|vma_is_|is_)/;

/** The side effect in a condition, described, or null. */
export function sideEffect(cond: string, model: Model): string | null {
  const c = cond.replace(/\s+/g, ' ');
  if (/\+\+|--/.test(c)) return 'an increment or decrement';
  if (/(^|[^=!<>+\-*/%&|^])=(?!=)/.test(c.replace(/(<<|>>)=/g, '@'))) return 'an assignment';
  if (/(\+|-|\*|\/|%|&|\||\^|<<|>>)=/.test(c)) return 'a compound assignment';
  for (const m of c.matchAll(/\b([A-Za-z_]\w*)\s*\(/g)) {
    const name = m[1];
    const spec = model.helpers.get(name);
    if (spec && (spec.acquires || spec.releases || spec.kind === 'flag-writer')) return `a call to ${name}()`;
    if (!spec && MUTATING.test(name) && !PURE.test(name)) return `a call to ${name}()`;
  }
  return null;
}

export const rule: Rule = {
  id: 'WARN-SIDE-EFFECT',
  severity: 'warning',
  description: 'A side effect inside a VM_WARN_ON*/VM_BUG_ON* condition vanishes without CONFIG_DEBUG_VM.',
  source: [SRC.L612_MMDEBUG],
  check(ctx) {
    const out: Finding[] = [];
    for (const { fn, patch } of ctx.functions()) {
      for (const c of fn.calls) {
        if (c.change !== '+' || !DEBUG_MACROS.test(c.name) || c.args.length === 0) continue;
        const what = sideEffect(c.args[0], ctx.model);
        if (!what) continue;
        out.push(ctx.finding(rule, patch, c.pos,
          `The condition of ${c.name}() contains ${what}, which is not evaluated without CONFIG_DEBUG_VM.`, {}));
      }
    }
    return out;
  },
};
