/**
 * LOCK-KILLABLE-UNCHECKED: the result of a *_killable() or *_trylock() lock
 * (or of lock_vma_under_rcu() / pte_offset_map_lock(), which may fail) is
 * thrown away, so the code goes on as if it held a lock it may not hold.
 * Helpers the model does not know but named *_killable / *_trylock are
 * reported at info: their __must_check is a guess.
 */
import type { Finding } from '../../findings.js';
import { SRC } from '../../model/index.js';
import type { CallFact, FlowItem, FunctionFacts } from '../../c/facts.js';
import type { SourcePos } from '../../types.js';
import type { PatchInput, Rule, SeriesContext } from '../types.js';
import { sourcesOf, step } from './common.js';
import { preImageOf } from '../removed.js';

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
    out.push(...usedBeforeTested(ctx));
    return out;
  },
};

/**
 * A lock helper that returns NULL when it fails (pte_offset_map_lock(),
 * lock_vma_under_rcu()) and whose result the code hands on before testing
 * it: on the failure path that is a NULL dereference, and the lock is not
 * held.  Since 6.5 pte_offset_map_lock() fails when the page table went
 * away under it (Hugh Dickins' pte_offset_map series), so code older than
 * that never tested it: a use counts only when the patch removes the test
 * that the function made before (a reverted NULL check).
 */
function usedBeforeTested(ctx: SeriesContext): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<CallFact>();
  for (const { fn, patch } of ctx.functions()) {
    const a = ctx.analysis(fn);
    let removedTests: Map<string, SourcePos> | null = null;
    for (const e of a.events) {
      if (e.kind !== 'call' || !e.untested) continue;
      for (const u of e.untested) {
        if (seen.has(u.acquiredBy)) continue;
        // Only a removed test counts: code older than 6.5 added
        // pte_offset_map_lock() calls with no test, rightly for its time
        // (real/047's walk_pte_range() passes the result straight on).
        removedTests ??= testsRemoved(ctx, patch, fn);
        const test = removedTests.get(u.variable);
        if (!test) continue;
        const because = `this patch removes the test of ${u.variable} at line ${test.line}, and ${u.helper.name}() may return NULL`;
        const path = [step(u.acquiredBy.pos, `${u.variable} = ${u.helper.name}()`), step(test, `the test of ${u.variable} is removed`)];
        seen.add(u.acquiredBy);
        out.push(ctx.finding(rule, patch, e.call.pos,
          `${e.call.name}() is given ${u.variable} before it is tested, but ${because}: on that path nothing is locked and ${u.variable} is NULL.`,
          { path: [...path, step(e.call.pos, `${e.call.name}() uses ${u.variable}`)], sources: sourcesOf(u.helper.source, rule.source) }));
      }
    }
  }
  return out;
}

/** Variables the pre-image of `fn` tested in an `if` whose line the patch removes, and where. */
function testsRemoved(ctx: SeriesContext, patch: PatchInput, fn: FunctionFacts): Map<string, SourcePos> {
  const out = new Map<string, SourcePos>();
  const pre = preImageOf(patch, fn);
  if (!pre) return out;
  const visit = (items: readonly FlowItem[], depth: number): void => {
    if (depth > 64) return;
    for (const it of items) {
      if (it.kind === 'if') {
        if (ctx.changeAt(patch, it.pos) === '-') {
          for (const m of it.condition.matchAll(/[A-Za-z_]\w*/g)) if (!out.has(m[0])) out.set(m[0], it.pos);
        }
        visit(it.then, depth + 1);
        if (it.else) visit(it.else, depth + 1);
      } else if (it.kind === 'loop') visit(it.body, depth + 1);
    }
  };
  visit(pre.flow, 0);
  return out;
}
