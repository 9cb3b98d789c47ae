/**
 * LOCK-KILLABLE-UNCHECKED: the result of a *_killable() or *_trylock() lock
 * (or of lock_vma_under_rcu() / pte_offset_map_lock(), which may fail) is
 * thrown away, so the code goes on as if it held a lock it may not hold.
 * Helpers the model does not know but named *_killable / *_trylock are
 * reported at info: their __must_check is a guess.
 */
import type { Finding } from '../../findings.js';
import { SRC } from '../../model/index.js';
import type { CallFact } from '../../c/facts.js';
import type { Rule, SeriesContext } from '../types.js';
import { sourcesOf, step } from './common.js';

/** A function named like a lock helper (madvise_lock(), lock_page_maybe()). */
const LOCKISH = /(^|_)(lock|trylock|lock_killable)(_|$)/;

/** A call of `name` whose result the series uses (pre- or post-image): it can fail. */
function checkedElsewhere(ctx: SeriesContext, name: string): CallFact | undefined {
  for (const patch of ctx.patches) {
    for (const fn of patch.facts.functions) {
      for (const c of fn.calls) if (c.name === name && (c.resultUsed || c.inCondition)) return c;
    }
  }
  return undefined;
}

const NAMED_LIKE = /(_killable(_nested)?|_trylock(_\w+)?|^\w*trylock\w*)$/;

export const rule: Rule = {
  id: 'LOCK-KILLABLE-UNCHECKED',
  severity: 'error',
  description: 'The result of a killable or trylock lock helper is ignored.',
  source: [SRC.MM_LOCKH, SRC.FIX_9C49E5D],
  check(ctx) {
    const out: Finding[] = [];
    for (const { fn, patch } of ctx.functions()) {
      for (const call of fn.calls) {
        if (call.change !== '+' || call.resultUsed || call.inCondition) continue;
        const spec = ctx.model.helpers.get(call.name);
        if (spec?.mustCheck) {
          const how = spec.success === 'zero' ? 'returns -EINTR with no lock held' : spec.success === 'nonnull' ? 'may return NULL' : 'may fail';
          out.push(ctx.finding(rule, patch, call.pos,
            `The result of ${call.name}() is ignored, but it ${how}: the code after it may run without the lock.`,
            { path: [step(call.pos, `${call.name}() may fail; its result is dropped`)], sources: sourcesOf(spec.source, rule.source) }));
        } else if (!spec && LOCKISH.test(call.name) && checkedElsewhere(ctx, call.name)) {
          const where = checkedElsewhere(ctx, call.name)!;
          out.push(ctx.finding(rule, patch, call.pos,
            `The result of ${call.name}() is ignored here, but ${where.change === '-' ? 'before this patch the code checked it' : 'the code checks it'} at line ${where.pos.line}: a lock helper that can fail leaves the code after it running without the lock.`,
            { severity: 'warning', path: [step(where.pos, `${call.name}()'s result is checked`), step(call.pos, `${call.name}() result dropped`)],
              sources: sourcesOf(rule.source) }));
        } else if (!spec && NAMED_LIKE.test(call.name)) {
          out.push(ctx.finding(rule, patch, call.pos,
            `The result of ${call.name}() is ignored; a killable or trylock helper may fail without taking the lock.`,
            { severity: 'info', uncertain: `${call.name}() is not in the model; its name suggests it may fail`, sources: rule.source }));
        }
      }
    }
    return out;
  },
};
