/**
 * LOCK-SLEEP-ATOMIC: a sleeping lock or a helper that may sleep, called while
 * this function holds a spinlock, a ptl or an RCU read section (including the
 * one pte_offset_map*() opens until pte_unmap()).  When the sleeping call is
 * itself a lock the order forbids there, LOCK-ORDER reports it instead.
 *
 * Also when the patch swaps a non-sleeping form for a sleeping one in
 * place (`GFP_ATOMIC` -> `GFP_KERNEL`, `try_get_locked_pte()` ->
 * `get_locked_pte()`): the pre-image chose the non-sleeping form because
 * the code runs where sleeping is not allowed, even when the hunk does not
 * show the lock that makes it so.
 *
 * And when the patch removes the unlock (or pte_unmap()) that came right
 * before a call that may sleep and is kept: the lock the pre-image dropped
 * for that call is now held across it (f11 of the fixes: split_folio()
 * inside the RCU section pte_offset_map() opened).
 */
import type { Finding } from '../../findings.js';
import { SRC, orderClosure } from '../../model/index.js';
import type { CallFact } from '../../c/facts.js';
import { functionChanges } from '../removed.js';
import type { Rule, SeriesContext } from '../types.js';
import { lockName, onSuccessPath, sourcesOf, step } from './common.js';

const ATOMIC_GFP = /\b(GFP_ATOMIC|GFP_NOWAIT|GFP_NOWAIT_ACCOUNT)\b/;
/** A name that says "the form that does not sleep" of `base`. */
const nonSleepingFormOf = (name: string, base: string): boolean =>
  name === `try_${base}` || name === `${base}_atomic` || name === `${base}_nowait` || name === `__${base}_atomic` || name === `${base}_trylock`;

/** How far below a removed unlock the sleeping call it made way for may sit (input lines). */
const UNLOCKED_FOR = 6;

function droppedUnlocksBeforeSleep(ctx: SeriesContext): ReturnType<Rule['check']> {
  const out: ReturnType<Rule['check']> = [];
  for (const { patch, pre, post } of functionChanges(ctx.patches)) {
    if (!post) continue;
    for (const rel of pre.calls) {
      if (rel.change !== '-') continue;
      const atomic = (ctx.model.helpers.get(rel.name)?.releases ?? []).find((u) => ctx.model.locks.get(u.lock)?.sleeps === false);
      if (!atomic) continue;
      const sleeper = pre.calls.find((c) => c.change === ' ' && c.pos.file === rel.pos.file && c.pos.line > rel.pos.line &&
        c.pos.line <= rel.pos.line + UNLOCKED_FOR && ctx.model.helpers.get(c.name)?.maySleep);
      if (!sleeper) continue;
      // Released again in its place?
      if (post.calls.some((c) => c.change === '+' && c.pos.line < sleeper.pos.line && c.pos.line >= rel.pos.line - UNLOCKED_FOR &&
        (ctx.model.helpers.get(c.name)?.releases ?? []).some((u) => u.lock === atomic.lock))) continue;
      out.push(ctx.finding(rule, patch, sleeper.pos,
        `${sleeper.name}() may sleep, and this patch removes the ${rel.name}() at line ${rel.pos.line} that released ${lockName(atomic.lock)} before it: the lock is now held across the call.`,
        { severity: 'warning', path: [step(rel.pos, `${rel.name}() removed`), step(sleeper.pos, `${sleeper.name}() may sleep`)],
          sources: sourcesOf(ctx.model.helpers.get(sleeper.name)?.source, ctx.model.locks.get(atomic.lock)?.source) }));
      break;
    }
  }
  return out;
}

function atomicSwaps(ctx: SeriesContext): ReturnType<Rule['check']> {
  const out: ReturnType<Rule['check']> = [];
  for (const { patch, pre, post } of functionChanges(ctx.patches)) {
    if (!post) continue;
    for (const call of post.calls) {
      if (call.change !== '+') continue;
      const spec = ctx.model.helpers.get(call.name);
      const gfp = spec?.maySleepIfArgMatches ? new RegExp(`\\b(${spec.maySleepIfArgMatches})\\b`) : null;
      const near = (c: CallFact) => c.change === '-' && c.pos.file === call.pos.file && Math.abs(c.pos.line - call.pos.line) <= 3;
      let was: CallFact | undefined;
      let why = '';
      if (gfp && call.args.some((a) => gfp.test(a))) {
        was = pre.calls.find((c) => near(c) && c.name === call.name && c.args.some((a) => ATOMIC_GFP.test(a)));
        why = `it replaces ${was?.name}() with ${was?.args.find((a) => ATOMIC_GFP.test(a))?.trim()}`;
      } else if (spec?.maySleep && (spec.success ?? 'always') !== 'true') {
        was = pre.calls.find((c) => near(c) && nonSleepingFormOf(c.name, call.name));
        why = `it replaces ${was?.name}(), the form that does not sleep`;
      }
      if (!was) continue;
      out.push(ctx.finding(rule, patch, call.pos,
        `${call.name}() may sleep, but ${why}: this code ran where sleeping is not allowed before this patch.`,
        { severity: 'warning', path: [step(was.pos, `${was.name}() did not sleep (before this patch)`), step(call.pos, `${call.name}() may sleep`)],
          sources: sourcesOf(spec?.source, rule.source) }));
    }
  }
  return out;
}

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
        if (!atomic) {
          // Said at info, with why: the reviewer (and the recall benchmark) sees what kept it quiet.
          const maybe = e.before.held.find((h) => h.origin === 'acquired' && h.uncertain && ctx.model.locks.get(h.lock)?.sleeps === false);
          if (maybe && e.call.change === '+') {
            out.push(ctx.finding(rule, patch, e.call.pos,
              `${e.call.name}() may sleep, and this path may still hold ${lockName(maybe.lock)} taken by ${maybe.helper}() at line ${maybe.step.line}.`,
              { severity: 'info', uncertain: maybe.uncertain!, path: [maybe.step, step(e.call.pos, `calls ${e.call.name}(), which may sleep`)],
                sources: sourcesOf(spec.source, ctx.model.locks.get(maybe.lock)?.source) }));
          }
          continue;
        }
        if (e.call.change !== '+' && atomic.change !== '+') continue;
        const takes = (spec.acquires ?? []).map((u) => u.lock);
        if (takes.some((l) => closure.get(l)?.has(atomic.lock))) continue; // LOCK-ORDER's finding
        out.push(ctx.finding(rule, patch, e.call.pos,
          onSuccessPath(atomic)
            ? `${onSuccessPath(atomic)}${e.call.name}() may sleep while holding ${lockName(atomic.lock)} taken by ${atomic.helper}() at line ${atomic.step.line}.`
            : `${e.call.name}() may sleep, but this path holds ${lockName(atomic.lock)} taken by ${atomic.helper}() at line ${atomic.step.line}.`,
          { path: [atomic.step, step(e.call.pos, `calls ${e.call.name}(), which may sleep`)],
            sources: sourcesOf(spec.source, ctx.model.locks.get(atomic.lock)?.source) }));
      }
    }
    out.push(...atomicSwaps(ctx), ...droppedUnlocksBeforeSleep(ctx));
    return out;
  },
};
