/**
 * LOCK-ASSERT-MISMATCH: an assertion that disagrees with what the function
 * itself holds or needs:
 *   - it asserts a mode stronger than the lock it took (vma_assert_write_locked()
 *     after vma_start_read(); mmap_assert_write_locked() after mmap_read_lock());
 *   - it asserts a lock it released earlier on the path;
 *   - it asserts a weaker mode than a helper it then calls needs
 *     (mmap_assert_locked(), then vm_flags_set() which needs the write lock);
 *   - the patch removes a lock assertion and states nothing about that lock
 *     instead: callers that do not hold it are no longer caught (and a
 *     `!irqs_disabled()` warning in its place proves nothing on PREEMPT_RT,
 *     where spinlocks leave interrupts on: 8a3828acc0bf in mm/workingset.c).
 */
import type { AssignFact, CallFact, FunctionFacts } from '../../c/facts.js';
import type { Finding } from '../../findings.js';
import type { HelperSpec } from '../../model/index.js';
import { SRC } from '../../model/index.js';
import { modeSatisfies, normInstance, type LockState } from '../flow.js';
import { argOf, functionChanges } from '../removed.js';
import type { PatchInput, Rule, SeriesContext } from '../types.js';
import { certainAcquired, lockName, sameInstance, sourcesOf, step } from './common.js';

export const rule: Rule = {
  id: 'LOCK-ASSERT-MISMATCH',
  severity: 'error',
  description: 'A lock assertion disagrees with what the function holds or needs.',
  source: [SRC.MM_LOCKH, SRC.MM_DOC],
  check(ctx) {
    const out: Finding[] = [];
    for (const { fn, patch } of ctx.functions()) {
      const a = ctx.analysis(fn);
      for (const e of a.events) {
        if (e.kind === 'assign') {
          const f = weakAssertBeforeWrite(ctx, patch, e.state, e.assign);
          if (f) out.push(f);
          continue;
        }
        if (e.kind !== 'call' || !e.spec) continue;
        const spec = e.spec;
        const call = e.call;
        if (call.name.startsWith('lockdep_assert_held')) {
          const f = lockdepAssert(ctx, patch, e.before, call);
          if (f) out.push(f);
          continue;
        }
        if (spec.kind === 'assert' && !spec.anyOf) {
          for (const use of spec.asserts ?? []) {
            const inst = typeof use.instance === 'number' ? normInstance(call.args[use.instance] ?? '') || null : null;
            const sources = spec.source; // extended with the lock's own sources when a finding is made
            const mine = e.before.held.filter((h) => h.lock === use.lock && certainAcquired(h) && sameInstance(h.lock, h.instance, inst));
            const weaker = mine.find((h) => !modeSatisfies(h.mode, use.mode));
            if (mine.length > 0 && !mine.some((h) => modeSatisfies(h.mode, use.mode)) && weaker) {
              if (call.change !== '+' && weaker.change !== '+') continue;
              out.push(ctx.finding(rule, patch, call.pos,
                `${call.name}() asserts ${lockName(use.lock, use.mode)}, but this function took only ${lockName(weaker.lock, weaker.mode)} with ${weaker.helper}() at line ${weaker.step.line}.`,
                { path: [weaker.step, step(call.pos, `asserts with ${call.name}()`)], sources: sourcesOf(sources, ctx.model.locks.get(use.lock)?.source) }));
              continue;
            }
            // A VMA write lock needs the mmap write lock: asserting it under mmap_read_lock() cannot hold.
            if (use.lock === 'vma_lock' && use.mode === 'write' && mine.length === 0) {
              const mmapRead = e.before.held.find((h) => h.lock === 'mmap_lock' && h.mode === 'read' && certainAcquired(h));
              if (mmapRead && (call.change === '+' || mmapRead.change === '+')) {
                out.push(ctx.finding(rule, patch, call.pos,
                  `${call.name}() asserts the VMA write lock, but this function holds only ${lockName('mmap_lock', 'read')} from ${mmapRead.helper}() at line ${mmapRead.step.line}, and a VMA write lock needs the mmap write lock.`,
                  { path: [mmapRead.step, step(call.pos, `asserts with ${call.name}()`)], sources: sourcesOf(sources, ctx.model.helpers.get('vma_start_write')?.source) }));
                continue;
              }
            }
            if (mine.length === 0 && !e.before.held.some((h) => h.lock === use.lock)) {
              const gone = [...e.before.gone].reverse().find((g) => g.lock === use.lock && g.how === 'released' && sameInstance(g.lock, g.instance, inst));
              if (gone && (call.change === '+' || gone.change === '+')) {
                out.push(ctx.finding(rule, patch, call.pos,
                  `${call.name}() asserts ${lockName(use.lock, use.mode)}, but ${gone.helper}() released it at line ${gone.step.line} on this path.`,
                  { path: [gone.step, step(call.pos, `asserts with ${call.name}()`)], sources: sourcesOf(sources, ctx.model.locks.get(use.lock)?.source) }));
              }
            }
          }
          continue;
        }
        // A helper that needs more than this function's own assertion states.
        if (spec.requires && !spec.anyOf) {
          for (const need of spec.requires) {
            if (need.mode !== 'write') continue;
            const held = e.before.held.filter((h) => h.lock === need.lock);
            if (held.some((h) => modeSatisfies(h.mode, need.mode) || h.origin === 'acquired')) continue;
            const weak = held.find((h) => h.origin === 'asserted' && !modeSatisfies(h.mode, need.mode));
            if (!weak || (call.change !== '+' && weak.change !== '+')) continue;
            out.push(ctx.finding(rule, patch, weak.step,
              `${weak.helper}() accepts ${need.lock === 'mmap_lock' ? 'a read lock' : `${lockName(weak.lock, weak.mode)}`}, but ${call.name}() at line ${call.pos.line} needs ${lockName(need.lock, 'write')}: the assertion is weaker than what the function needs.`,
              { path: [weak.step, step(call.pos, `calls ${call.name}()`)], sources: sourcesOf(spec.source, ctx.model.helpers.get(weak.helper)?.source) }));
          }
        }
      }
    }
    out.push(...droppedAssertions(ctx));
    return out;
  },
};

/** What an assertion is about: `lockdep:<lock text>` for lockdep, else the lock class it asserts. */
function subjectsOf(call: CallFact, spec: HelperSpec): string[] {
  if (call.name.startsWith('lockdep_assert_held')) return [`lockdep:${argOf(call, 0)}`];
  const out = (spec.asserts ?? []).map((u) => u.lock as string);
  // A VMA write lock implies the mmap write lock of its mm (vma_assert_write_locked() replacing mmap_assert_write_locked()).
  if (out.includes('vma_lock') && call.name.includes('write')) out.push('mmap_lock');
  return out;
}

/** Locks a function's post-image states, asserts or takes itself. */
function coveredBy(ctx: SeriesContext, fn: FunctionFacts): Set<string> {
  const out = new Set<string>();
  for (const c of fn.calls) {
    const spec = ctx.model.helpers.get(c.name);
    if (!spec) continue;
    if (spec.kind === 'assert') for (const x of subjectsOf(c, spec)) out.add(x);
    for (const u of [...(spec.acquires ?? []), ...(spec.requires ?? [])]) out.add(u.lock);
    if (spec.acquires) out.add(`lockdep:${argOf(c, 0)}`);
  }
  return out;
}

const assertsCache = new WeakMap<SeriesContext, Map<string, Set<string>>>();
/** What each function the series shows asserts or takes itself, by name (post-images). */
function seriesAsserts(ctx: SeriesContext): Map<string, Set<string>> {
  let out = assertsCache.get(ctx);
  if (!out) {
    out = new Map();
    for (const patch of ctx.patches) {
      for (const fn of patch.facts.functions) {
        if (fn.image !== 'post' || fn.removed) continue;
        const mine = coveredBy(ctx, fn);
        const had = out.get(fn.name);
        out.set(fn.name, had ? new Set([...had, ...mine]) : mine);
      }
    }
    assertsCache.set(ctx, out);
  }
  return out;
}

function droppedAssertions(ctx: SeriesContext): Finding[] {
  const out: Finding[] = [];
  for (const { patch, pre, post } of functionChanges(ctx.patches)) {
    if (!post) continue; // a deleted function takes its assertions with it
    // The body of an assertion helper itself (vma_assert_write_locked()): how it asserts is its own business.
    if (ctx.model.helpers.get(post.name)?.kind === 'assert' || /^(\w+_)?assert\w*$/.test(post.name)) continue;
    const covered = coveredBy(ctx, post);
    // Moved into a helper the series defines and this function calls (__vma_raw_mm_seqnum() in seed 003).
    for (const c of post.calls) for (const x of seriesAsserts(ctx).get(c.name) ?? []) covered.add(x);
    for (const call of pre.calls) {
      if (call.change !== '-') continue;
      const spec = ctx.model.helpers.get(call.name);
      if (!spec || spec.kind !== 'assert' || spec.anyOf) continue;
      const subjects = subjectsOf(call, spec);
      if (subjects.length === 0 || subjects.some((x) => covered.has(x))) continue;
      // Handed to a function the model does not know, in the same place: it may assert it (process_mm_walk_lock()).
      const subject = argOf(call, 0);
      const handed = post.calls.find((c) => c.change === '+' && !ctx.model.helpers.has(c.name) && c.pos.file === call.pos.file &&
        Math.abs(c.pos.line - call.pos.line) <= 3 && subject !== '' && c.args.some((a) => normInstance(a) === subject));
      const irqs = post.calls.find((c) => c.change === '+' && c.name === 'irqs_disabled');
      const instead = irqs
        ? ` It checks irqs_disabled() at line ${irqs.pos.line} instead, which a held spinlock does not imply on PREEMPT_RT.`
        : '';
      out.push(ctx.finding(rule, patch, call.pos,
        `This patch removes ${call.name}(${call.args.join(', ')}) from ${post.name}() and asserts nothing about that lock instead: a caller that does not hold it is no longer caught.${instead}`,
        { severity: handed ? 'info' : 'warning', ...(handed ? { uncertain: `${subject} is handed to ${handed.name}() at line ${handed.pos.line}, which may assert it` } : {}), path: [step(call.pos, `${call.name}() removed`), ...(irqs ? [step(irqs.pos, 'irqs_disabled() is checked instead')] : [])],
          sources: sourcesOf(spec.source, [SRC.MM_DOC]) }));
    }
  }
  return out;
}

/**
 * lockdep_assert_held(x) names its lock by argument, so it matches whatever
 * this path did to that same lock: released it (spin_unlock(x) above it), or
 * holds it only for read where `_write` is asserted.
 */
function lockdepAssert(ctx: SeriesContext, patch: PatchInput, state: LockState, call: CallFact): Finding | null {
  const lock = argOf(call, 0);
  if (!lock) return null;
  const held = state.held.filter((h) => h.instance === lock);
  if (held.some((h) => h.uncertain)) return null;
  if (call.name === 'lockdep_assert_held_write') {
    const read = held.find((h) => h.mode === 'read' && certainAcquired(h));
    if (read && (call.change === '+' || read.change === '+')) {
      return ctx.finding(rule, patch, call.pos,
        `${call.name}(${lock}) asserts the write lock, but this function took ${lock} only for read with ${read.helper}() at line ${read.step.line}.`,
        { path: [read.step, step(call.pos, `asserts with ${call.name}()`)], sources: sourcesOf(ctx.model.helpers.get(call.name)?.source) });
    }
  }
  if (held.length > 0) return null;
  const gone = [...state.gone].reverse().find((g) => g.instance === lock && g.how === 'released');
  if (!gone || (call.change !== '+' && gone.change !== '+')) return null;
  return ctx.finding(rule, patch, call.pos,
    `${call.name}(${lock}) asserts ${lock} is held, but ${gone.helper}() released it at line ${gone.step.line} on this path.`,
    { path: [gone.step, step(call.pos, `asserts with ${call.name}()`)], sources: sourcesOf(ctx.model.helpers.get(call.name)?.source, ctx.model.locks.get(gone.lock)?.source) });
}

/** A field write that needs a lock in write mode, where this function only asserted a weaker mode of it. */
function weakAssertBeforeWrite(ctx: SeriesContext, patch: PatchInput, state: LockState, assign: AssignFact): Finding | null {
  const spec = assign.field ? ctx.model.fields.get(assign.field) : undefined;
  for (const need of spec?.writeRequires ?? []) {
    if (need.mode !== 'write') continue;
    const held = state.held.filter((h) => h.lock === need.lock);
    if (held.some((h) => modeSatisfies(h.mode, need.mode) || h.origin === 'acquired' || h.uncertain)) continue;
    const weak = held.find((h) => h.origin === 'asserted');
    if (!weak || (assign.change !== '+' && weak.change !== '+')) continue;
    return ctx.finding(rule, patch, weak.step,
      `${weak.helper}() accepts ${need.lock === 'mmap_lock' ? 'a read lock' : lockName(weak.lock, weak.mode)}, but writing ${assign.target} at line ${assign.pos.line} needs ${lockName(need.lock, 'write')}: the assertion is weaker than what the function does.`,
      { path: [weak.step, step(assign.pos, `writes ${assign.target}`)], sources: sourcesOf(spec!.source, ctx.model.helpers.get(weak.helper)?.source) });
  }
  return null;
}
