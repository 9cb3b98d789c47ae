/**
 * LOCK-REQUIRES: a helper called, or a VMA field written, without the lock it
 * requires on that path.  Fires only on a contradiction the patch shows:
 * this function holds the lock in a weaker mode (vma_start_write() under
 * mmap_read_lock()), dropped it earlier on the path, or took the mmap write
 * lock itself and never write-locked the VMA it then changes (no caller can
 * hold that VMA lock for it).  A lock the caller may hold is never assumed
 * missing.
 */
import type { CallFact, FlowItem, FunctionFacts } from '../../c/facts.js';
import type { Finding } from '../../findings.js';
import type { HelperSpec, LockUse } from '../../model/index.js';
import type { SourcePos } from '../../types.js';
import { analyzeFunction, modeSatisfies, normInstance, type FlowEvent, type FunctionAnalysis, type LockState } from '../flow.js';
import type { PatchInput, Rule, SeriesContext } from '../types.js';
import { SRC } from '../../model/index.js';
import { certainAcquired, lockName, sameInstance, sourcesOf, step } from './common.js';
import { addedCallsOf, argOf, functionChanges } from '../removed.js';
import { unlockedLikeSiblings } from './vma-lock-siblings.js';
import { tlbFlushesMovedOutOfPtl } from './tlb-flush-unlocked.js';

const VMA_VAR = /^(\w*vma|vma\w*|prev|next|middle|target|new|tmp)$/;

export const rule: Rule = {
  id: 'LOCK-REQUIRES',
  severity: 'error',
  description: 'A helper is called, or a VMA field written, without the lock it requires on that path.',
  source: [SRC.MM_DOC, SRC.MM_LOCKH, SRC.MM_MMH],
  check(ctx) {
    const out: Finding[] = [];
    for (const { fn, patch } of ctx.functions()) {
      const a = ctx.analysis(fn);
      for (const e of a.events) {
        if (e.kind === 'call' && e.spec?.requires && e.spec.anyOf) {
          const f = checkAnyOf(ctx, patch, e.before, e.spec, e.call);
          if (f) out.push(f);
        }
        if (e.kind === 'call' && e.spec?.requires && !e.spec.anyOf) {
          for (const need of e.spec.requires) {
            const f = checkNeed(ctx, patch, a, e.before, need, e.spec, e.call);
            if (f) out.push(f);
          }
        }
        if (e.kind === 'use-after-unlock') {
          const f = usedAfterUnlock(ctx, patch, a, e);
          if (f) out.push(f);
        }
        if (e.kind === 'assign' && e.assign.field && e.assign.change === '+') {
          const spec = ctx.model.fields.get(e.assign.field);
          const base = normInstance(e.assign.target.split(/->|\./)[0] ?? '');
          if (!spec || !(VMA_VAR.test(base) || a.attachedVmas.has(base)) || a.freshVmas.has(base)) continue;
          // __anon_vma_prepare() sets anon_vma under page_table_lock and the anon_vma write lock, no VMA lock.
          if (e.assign.field === 'anon_vma' && e.state.held.some((h) => h.lock === 'page_table_lock' || (h.lock === 'anon_vma' && h.mode === 'write'))) continue;
          for (const need of spec.writeRequires) {
            const f = checkNeed(ctx, patch, a, e.state, { ...need, instance: undefined }, undefined, undefined, {
              pos: e.assign.pos, what: `writes ${e.assign.target}`, instance: base, sources: spec.source, field: e.assign.field,
            });
            if (f) {
              out.push(f);
              break;
            }
          }
        }
      }
    }
    out.push(...droppedVmaWriteLocks(ctx), ...droppedRechecks(ctx), ...droppedCriticalSections(ctx), ...unlockedPreparedVmas(ctx), ...checksMovedAboveLock(ctx), ...unlockedLikeSiblings(ctx, rule), ...tlbFlushesMovedOutOfPtl(ctx, rule));
    return out;
  },
};

const contractCache = new WeakMap<SeriesContext, Set<string>>();
/**
 * Functions whose locking contract the series changes: their body gains a
 * lock assertion, or loses a lock it used to take for its callers.
 */
function contractChanged(ctx: SeriesContext): Set<string> {
  let out = contractCache.get(ctx);
  if (!out) {
    out = new Set<string>();
    for (const patch of ctx.patches) {
      for (const fn of patch.facts.functions) {
        if (fn.nameUncertain) continue;
        for (const c of fn.calls) {
          const spec = ctx.model.helpers.get(c.name);
          if (fn.image === 'post' && c.change === '+' && spec?.kind === 'assert' && !spec.anyOf) out.add(fn.name);
          if (fn.image === 'pre' && c.change === '-' && spec?.acquires && (spec.success ?? 'always') === 'always') out.add(fn.name);
        }
      }
    }
    contractCache.set(ctx, out);
  }
  return out;
}

/**
 * Helpers that take a VMA read lock without the mmap lock (the per-VMA-lock
 * fault path); vma_start_read_locked() is called under the mmap lock.
 */
const PER_VMA_LOCK_ENTRY: ReadonlySet<string> = new Set(['lock_vma_under_rcu', 'vma_start_read', 'lock_next_vma']);

const reportedUses = new WeakMap<SeriesContext, Set<string>>();
/**
 * A pointer that lives only under a lock, used after this path dropped it:
 * a VMA found in the tree under mmap_lock (or held by its own VMA lock)
 * after the lock is released (fact sheet R11: it may be unmapped and freed
 * at once), or a page table after pte_unmap() (fact sheet 2.6: the mapping
 * and the RCU section that keeps the table are gone).  Said when the patch
 * adds the use or the release (an unlock moved above code that still needs
 * the pointer).
 */
function usedAfterUnlock(ctx: SeriesContext, patch: PatchInput, a: FunctionAnalysis, e: Extract<FlowEvent, { kind: 'use-after-unlock' }>): Finding | null {
  const rel = e.gone;
  const found = e.pointer === 'vma' ? a.attachedVmas.get(e.variable) : a.mappedPtes?.get(e.variable);
  if (!found || found.line > rel.step.line || rel.step.line > e.pos.line) return null;
  if (ctx.changeAt(patch, e.pos) !== '+' && rel.change !== '+') return null;
  // Found or mapped again after the unlock (`vma = find_vma(mm, addr)` under a new lock): another pointer.
  if (a.fn.assigns.some((x) => normInstance(x.target) === e.variable && x.pos.line > rel.step.line && x.pos.line <= e.pos.line)) return null;
  let seen = reportedUses.get(ctx);
  if (!seen) reportedUses.set(ctx, (seen = new Set()));
  const key = `${e.pos.file}:${e.pos.line}:${e.variable}`;
  if (seen.has(key)) return null;
  seen.add(key);
  const v = e.variable;
  const who = e.what === 'a test' ? 'This test reads' : e.what === 'the return value' ? 'The return value reads' : `${e.what} uses`;
  let why: string;
  let sources;
  if (e.pointer === 'pte') {
    why = `${who} ${v} after ${rel.helper}() at line ${rel.step.line} unmapped it: the page table may be freed once unmapped (page tables are freed under RCU since 6.5), and with CONFIG_HIGHPTE the mapping itself is gone.`;
    sources = sourcesOf([SRC.SHEET_2_6], ctx.model.helpers.get(rel.helper)?.source);
  } else if (rel.lock === 'vma_lock') {
    why = `${who} ${v} after ${rel.helper}() at line ${rel.step.line} released its VMA lock, and this path holds no mmap_lock: once the lock is dropped the VMA may be unmapped and freed.`;
    sources = sourcesOf([SRC.SHEET_R11], ctx.model.helpers.get(rel.helper)?.source);
  } else {
    why = `${who} ${v} after ${rel.helper}() at line ${rel.step.line} released mmap_lock, but ${v} was found in the VMA tree under that lock (line ${found.line}): once it is dropped the VMA may be unmapped and freed.`;
    sources = sourcesOf([SRC.SHEET_R11], ctx.model.locks.get('mmap_lock')?.source);
  }
  return ctx.finding(rule, patch, e.pos, why, { path: [found, rel.step, step(e.pos, `uses ${v}`)], sources });
}

interface FieldWrite { pos: SourcePos; what: string; instance: string; sources: HelperSpec['source']; field: string }

function checkNeed(
  ctx: SeriesContext, patch: PatchInput, a: FunctionAnalysis, state: LockState, need: LockUse,
  spec: HelperSpec | undefined, call: CallFact | undefined, write?: FieldWrite,
): Finding | null {
  if (need.lock === 'rcu') return null;
  const pos = call?.pos ?? write!.pos;
  const what = call ? `${call.name}()` : write!.what;
  let instance = call && typeof need.instance === 'number' ? normInstance(call.args[need.instance] ?? '') || null : write?.instance ?? null;
  // A summarized helper's VMA requirement names no argument: the one VMA the call passes is it.
  if (call && instance === null && need.lock === 'vma_lock') {
    const vmas = call.args.map(normInstance).filter((x) => VMA_VAR.test(x));
    if (vmas.length === 1) instance = vmas[0];
  }
  if (instance && a.freshVmas.has(instance)) return null;
  const mine = state.held.filter((h) => h.lock === need.lock && sameInstance(h.lock, h.instance, instance));
  if (mine.some((h) => modeSatisfies(h.mode, need.mode) || h.uncertain)) return null;
  if (mine.some((h) => h.origin === 'asserted')) return null; // LOCK-ASSERT-MISMATCH speaks about weak asserts
  // A call the patch did not add still counts when the series changed what the callee asks
  // of its callers (dup_anon_vma() now asserts the VMA write lock instead of taking it).
  const callAdded = call ? call.change === '+' || contractChanged(ctx).has(call.name) : true;
  // Built only when a finding is made: this runs for every helper call on every path.
  const sourcesFor = () => sourcesOf(spec?.source, write?.sources, ctx.model.locks.get(need.lock)?.source);
  const weaker = mine.find((h) => certainAcquired(h));
  if (weaker) {
    if (!callAdded && weaker.change !== '+') return null;
    return ctx.finding(rule, patch, pos,
      `${what} needs ${lockName(need.lock, need.mode)}, but this path holds only ${lockName(weaker.lock, weaker.mode)} from ${weaker.helper}() at line ${weaker.step.line}.`,
      { path: [weaker.step, step(pos, call ? `calls ${what}` : what)], sources: sourcesFor() });
  }
  if (mine.length > 0) return null;
  const dropped = [...state.gone].reverse().find((g) => g.lock === need.lock && g.how === 'released' && sameInstance(g.lock, g.instance, instance));
  if (dropped) {
    if (!callAdded && dropped.change !== '+') return null;
    return ctx.finding(rule, patch, pos,
      `${what} needs ${lockName(need.lock, need.mode)}, but ${dropped.helper}() released it at line ${dropped.step.line} on this path.`,
      { path: [dropped.step, step(pos, call ? `calls ${what}` : what)], sources: sourcesFor() });
  }
  // A per-VMA-lock path (lock_vma_under_rcu() in a fault handler) holds no mmap_lock at all:
  // what asserts it there (anon_vma_prepare()) needs the trylock-or-retry of vmf_anon_prepare().
  if (need.lock === 'mmap_lock' && callAdded) {
    const vmaRead = state.held.find((h) => h.lock === 'vma_lock' && h.mode === 'read' && PER_VMA_LOCK_ENTRY.has(h.helper) && certainAcquired(h));
    if (vmaRead) {
      return ctx.finding(rule, patch, pos,
        `${what} needs ${lockName(need.lock, need.mode)}, but this path holds only the per-VMA read lock from ${vmaRead.helper}() at line ${vmaRead.step.line}, which takes no mmap_lock; under the VMA lock, work that needs the mmap lock must try it or return VM_FAULT_RETRY (vmf_anon_prepare()).`,
        { path: [vmaRead.step, step(pos, call ? `calls ${what}` : what)], sources: sourcesOf(sourcesFor(), [SRC.SHEET_R13]) });
    }
  }
  // The VMA write lock: missing for sure only when this function took the mmap write lock itself.
  if (need.lock === 'vma_lock' && need.mode === 'write' && instance) {
    const mmap = state.held.find((h) => h.lock === 'mmap_lock' && h.mode === 'write' && certainAcquired(h));
    // A VMA this function found by lookup or iteration is attached: nobody locked it for us.
    // The series moved the lock out of the callee: its callers take it now, or nobody does.
    if (call && call.change !== '+' && contractChanged(ctx).has(call.name) && !mmap) {
      if (passedToUnknown(ctx, a, instance, a.fn.pos.line, pos.line)) return null;
      return ctx.finding(rule, patch, pos,
        `${what} needs the VMA write lock of ${instance}, and this series changes ${call.name}() to expect it from its callers, but this path never calls vma_start_write(${instance}).`,
        { severity: 'warning', path: [step(pos, `calls ${what}`)], sources: sourcesOf(sourcesFor(), [SRC.SHEET_6]) });
    }
    const found = a.attachedVmas.get(instance) ?? (VMA_VAR.test(instance) && instance !== 'new' && instance !== 'tmp' ? a.treeChange : undefined);
    if ((!mmap && !found) || !callAdded) return null;
    if (passedToUnknown(ctx, a, instance, (mmap?.step ?? found!).line, pos.line)) return null;
    if (!mmap && found) {
      return ctx.finding(rule, patch, pos,
        `${what} needs the VMA write lock of ${instance}, but ${found.what} at line ${found.line}${a.attachedVmas.has(instance) ? '' : `, so ${instance} is in the tree,`} and nothing write-locks it before the change (vma_start_write(${instance})).`,
        { path: [found, step(pos, call ? `calls ${what}` : what)], sources: sourcesOf(sourcesFor(), [SRC.SHEET_6]) });
    }
    return ctx.finding(rule, patch, pos,
      `${what} needs the VMA write lock of ${instance}, but this path took ${lockName('mmap_lock', 'write')} at line ${mmap!.step.line} and never called vma_start_write(${instance}).`,
      { path: [mmap!.step, step(pos, call ? `calls ${what}` : what)], sources: sourcesOf(sourcesFor(), [SRC.FIX_60081BF]) });
  }
  return null;
}

/** An unknown function given the VMA between the two lines may have write-locked it. */
function passedToUnknown(ctx: SeriesContext, a: FunctionAnalysis, instance: string, from: number, to: number): boolean {
  for (const c of a.fn.calls) {
    if (c.pos.line < from || c.pos.line > to) continue;
    if (ctx.model.helpers.has(c.name)) continue;
    // A hook called through a pointer (vma->vm_ops->open(vma)) is the driver's, not a locking helper.
    if (!/^\w+$/.test(c.name)) continue;
    if (c.args.some((x) => normInstance(x) === instance)) return true;
  }
  return false;
}

/**
 * Helpers that need one of several locks (vma_set_atomic_flag(): the mmap
 * lock or the VMA lock): missing for sure only when none is held and this
 * function dropped one of them earlier on the path.
 */
function checkAnyOf(ctx: SeriesContext, patch: PatchInput, state: LockState, spec: HelperSpec, call: CallFact): Finding | null {
  const needs = spec.requires ?? [];
  if (needs.some((u) => state.held.some((h) => h.lock === u.lock && (modeSatisfies(h.mode, u.mode) || h.uncertain)))) return null;
  if (state.held.some((h) => needs.some((u) => u.lock === h.lock))) return null;
  const dropped = [...state.gone].reverse().find((g) => g.how === 'released' && needs.some((u) => u.lock === g.lock));
  if (!dropped || (call.change !== '+' && dropped.change !== '+')) return null;
  const names = needs.map((u) => lockName(u.lock, u.mode)).join(' or ');
  return ctx.finding(rule, patch, call.pos,
    `${call.name}() needs ${names}, but ${dropped.helper}() released ${lockName(dropped.lock)} at line ${dropped.step.line} and nothing else is held on this path.`,
    { path: [dropped.step, step(call.pos, `calls ${call.name}()`)], sources: sourcesOf(spec.source) });
}

const VMA_WRITE_LOCKERS: ReadonlySet<string> = new Set(['vma_start_write', 'vma_start_write_killable', '__vma_start_write', 'vma_try_start_write']);
/** What still shows the VMA write-locked after the patch: a new lock, an assertion, or a helper that takes it. */
const VMA_WRITE_SHOWN: ReadonlySet<string> = new Set([...VMA_WRITE_LOCKERS, 'vma_assert_write_locked', 'vm_flags_set', 'vm_flags_clear', 'vm_flags_mod']);
const MMAP_WRITE_MODE = /^mmap_(write_lock\w*|assert_write_locked)$/;
const MMAP_READ_MODE = /^mmap_(read_lock\w*|assert_locked)$/;

/**
 * The patch removes `vma_start_write(X)` and nothing else it adds
 * write-locks X again: not in the function (a new lock, an assertion, a
 * vm_flags_*() call that locks).  Every historical VMA locking fix of fact
 * sheet section 6 (#2, #5, #7, #9) added such a call; removing one re-opens
 * the race with per-VMA-lock page faults.  Two removals are not bugs, and
 * are reported at info with the reason: the series adds a VMA write lock in
 * another function (the lock moved to the callers, as ce2fc5fffdfa did), or
 * the patch moves the code from the mmap write lock to the read lock, under
 * which vma_start_write() cannot be called at all (as 001 of the corpus does).
 */
export function droppedVmaWriteLocks(ctx: SeriesContext): Finding[] {
  const out: Finding[] = [];
  const addedLocks = addedCallsOf(ctx.patches, VMA_WRITE_SHOWN);
  for (const { patch, pre, post } of functionChanges(ctx.patches)) {
    const weakened = mmapWeakened(patch);
    for (const call of pre.calls) {
      if (call.change !== '-' || !VMA_WRITE_LOCKERS.has(call.name)) continue;
      const vma = argOf(call, 0);
      if (!vma) continue;
      // A lock of the same variable the patch keeps or adds counts when the variable names the
      // same VMA there: the same last assignment above it (`vma = next;` in free_pgtables()'
      // gathering loop is another VMA than the one locked before the loop).
      const binding = (f: FunctionFacts, line: number): string => {
        let last: { line: number; value: string } = { line: -1, value: '' };
        for (const a of f.assigns) {
          if (a.op === '=' && a.pos.line < line && a.pos.line > last.line && normInstance(a.target) === vma) last = { line: a.pos.line, value: a.value.replace(/\s+/g, '') };
        }
        return last.value;
      };
      const was = binding(pre, call.pos.line);
      const kept = post?.calls.filter((c) => VMA_WRITE_SHOWN.has(c.name) && argOf(c, 0) === vma && binding(post, c.pos.line) === was) ?? [];
      if (kept.length) {
        // Kept, but moved below the change it guarded: `vm_flags_reset(vma, ..); vma_start_write(vma);`.
        const late = movedBelowChange(ctx, pre, post!, call, vma, kept);
        if (late) {
          out.push(ctx.finding(rule, patch, late.lock.pos,
            `This patch moves ${late.lock.name}(${vma}) below ${late.change.name}() at line ${late.change.pos.line}: ${vma} is changed before it is write-locked, racing page faults that hold only the per-VMA read lock.`,
            { path: [step(call.pos, `${call.name}(${vma}) ran before the change`), step(late.change.pos, `${late.change.name}() changes ${vma}`), step(late.lock.pos, `${late.lock.name}(${vma}) now comes after it`)],
              sources: sourcesOf(ctx.model.helpers.get('vma_start_write')?.source, [SRC.SHEET_6]) }));
        }
        continue;
      }
      const elsewhere = addedLocks.find((c) => !post || !post.calls.includes(c));
      const uncertain = elsewhere
        ? `the series adds ${elsewhere.name}(${argOf(elsewhere, 0)}) at line ${elsewhere.pos.line}: the lock may have moved to the callers`
        : weakened
          ? `the patch moves this code from the mmap write lock to the read lock (line ${weakened.pos.line}), under which vma_start_write() cannot be called`
          : undefined;
      const where = post ? `${post.name}()` : `${pre.name}()`;
      out.push(ctx.finding(rule, patch, call.pos,
        `This patch removes ${call.name}(${vma}) from ${where} and nothing it adds write-locks ${vma} again: the VMA is then changed without its write lock, racing page faults that hold only the per-VMA read lock.`,
        { path: [step(call.pos, `${call.name}(${vma}) removed`)], severity: uncertain ? 'info' : 'warning',
          ...(uncertain ? { uncertain } : {}),
          sources: sourcesOf(ctx.model.helpers.get('vma_start_write')?.source, [SRC.SHEET_6]) }));
    }
  }
  return out;
}

/**
 * The first change of `vma` that the removed lock preceded in the pre-image
 * (a helper that needs the VMA write lock), when the post-image makes that
 * same call before every lock it keeps.
 */
function movedBelowChange(ctx: SeriesContext, pre: FunctionFacts, post: FunctionFacts, removed: CallFact, vma: string, kept: CallFact[]): { change: CallFact; lock: CallFact } | null {
  const needsWrite = (c: CallFact): boolean => {
    const spec = ctx.model.helpers.get(c.name);
    return !!spec?.requires?.some((u) => u.lock === 'vma_lock' && u.mode === 'write' && typeof u.instance === 'number' && argOf(c, u.instance) === vma);
  };
  const first = pre.calls.find((c) => c.pos.line > removed.pos.line && c.change !== '+' && needsWrite(c));
  if (!first) return null;
  const same = post.calls.find((c) => c.name === first.name && c.args.join(',') === first.args.join(','));
  if (!same || kept.some((k) => k.pos.line <= same.pos.line)) return null;
  const lock = kept.find((k) => k.change === '+');
  return lock ? { change: same, lock } : null;
}

/** A removed write-mode mmap lock or assertion replaced by a read-mode one in the same patch. */
function mmapWeakened(patch: PatchInput): CallFact | undefined {
  let removedWrite = false;
  let addedRead: CallFact | undefined;
  for (const fn of patch.facts.functions) {
    for (const c of fn.calls) {
      if (fn.image === 'pre' && c.change === '-' && MMAP_WRITE_MODE.test(c.name)) removedWrite = true;
      if (fn.image === 'post' && c.change === '+' && MMAP_READ_MODE.test(c.name)) addedRead ??= c;
    }
  }
  return removedWrite ? addedRead : undefined;
}

/** Tests that re-validate state once the lock that protects it is held (fact sheet section 6, #6 and #14). */
const REVALIDATE = /(^|_)(same|still_valid|revalidate)(_|$)|^hugepage_vma_revalidate$/;
/** How far below the acquisition a re-check still belongs to it (input lines). */
const RECHECK_WITHIN = 12;

/**
 * The patch removes the re-check that followed taking a lock (`pte_same()`
 * after the ptl, `mmget_still_valid()` after the mmap write lock) and adds
 * none: state read before the lock is then trusted after it.  This is the
 * check-before-lock class of fact sheet section 6 (657b5146955e,
 * 6fa1066fc5d0; f33 of the fixes corpus).
 */
export function droppedRechecks(ctx: SeriesContext): Finding[] {
  const out: Finding[] = [];
  for (const { patch, pre, post } of functionChanges(ctx.patches)) {
    if (!post) continue;
    for (const check of pre.calls) {
      if (check.change !== '-' || !check.inCondition || !REVALIDATE.test(check.name)) continue;
      if (post.calls.some((c) => c.name === check.name && c.change !== '-')) continue;
      // Moved into a helper the series adds (try_get_locked_pte() in f23 of the fixes).
      if (addedCallsOf(ctx.patches, new Set([check.name])).length > 0) continue;
      const lock = [...pre.calls].reverse().find((c) => c.pos.file === check.pos.file && c.pos.line <= check.pos.line &&
        c.pos.line >= check.pos.line - RECHECK_WITHIN && (ctx.model.helpers.get(c.name)?.acquires ?? []).some((u) => u.lock !== 'rcu'));
      if (!lock) continue;
      const released = pre.calls.some((c) => c.pos.line > lock.pos.line && c.pos.line < check.pos.line && ctx.model.helpers.get(c.name)?.releases);
      if (released) continue;
      out.push(ctx.finding(rule, patch, check.pos,
        `This patch removes the ${check.name}() re-check made after ${lock.name}() at line ${lock.pos.line}: what was read before the lock is then trusted after it, and a concurrent change in between goes unnoticed.`,
        { severity: 'warning', path: [step(lock.pos, `${lock.name}() takes the lock`), step(check.pos, `${check.name}() re-check removed`)],
          sources: sourcesOf(ctx.model.helpers.get(lock.name)?.source, [SRC.SHEET_6]) }));
    }
  }
  return out;
}

/**
 * The patch removes a whole critical section, lock and unlock of one lock
 * instance, while the code between them stays: that code ran under the lock
 * before and now runs without it (f29 of the fixes: dbgfs_nr_ctxs read
 * without damon_dbgfs_lock).  When the series takes a lock of the same
 * class elsewhere in the function, it is a rework, not a removal: silent.
 */
export function droppedCriticalSections(ctx: SeriesContext): Finding[] {
  const out: Finding[] = [];
  for (const { patch, pre, post } of functionChanges(ctx.patches)) {
    if (!post) continue;
    for (const acq of pre.calls) {
      const spec = acq.change === '-' ? ctx.model.helpers.get(acq.name) : undefined;
      // A lock of an instance (`mmap_read_lock(mm)`), or a global one (`mem_hotplug_begin()`).
      // The last lock a helper takes is the one it is named for (mem_hotplug_begin(): cpus_read_lock(), then mem_hotplug_lock).
      const use = spec?.acquires?.findLast((u) => (typeof u.instance === 'number' || (u.instance === undefined && !GENERIC_LOCKS.has(u.lock))) && ctx.model.locks.get(u.lock)?.balanced);
      if (!spec || !use || (spec.success ?? 'always') !== 'always') continue;
      const lock = typeof use.instance === 'number' ? argOf(acq, use.instance) : '';
      const rel = pre.calls.find((c) => c.change === '-' && c.pos.line > acq.pos.line &&
        (ctx.model.helpers.get(c.name)?.releases ?? []).some((u) => u.lock === use.lock && (typeof u.instance === 'number' ? argOf(c, u.instance) === lock : lock === '')));
      if (!rel) continue;
      // The series moved the lock to the callers (memory_block_online() takes it around online_pages()),
      // or says so above the function ("Must be called with mem_hotplug_lock in write mode.").
      if (calledUnder(ctx, use.lock).has(post.name) || callersNowHold(patch, post)) continue;
      // The series moved the lock into a callee (online_pages() takes it itself now): calls to it stay covered.
      const takesItNow = movedInto(ctx, use.lock);
      const kept = post.calls.filter((c) => c.change === ' ' && c.pos.line > acq.pos.line && c.pos.line < rel.pos.line && !takesItNow.has(c.name));
      if (kept.length === 0) continue;
      // Reworked rather than removed: a lock of the same class taken anew, or a wrapper named like a lock (madvise_lock()).
      const retaken = post.calls.some((c) => c.change === '+' &&
        ((ctx.model.helpers.get(c.name)?.acquires ?? []).some((u) => u.lock === use.lock || u.lock === 'rcu') ||
          (!ctx.model.helpers.has(c.name) && /(^|_)lock(_|$)/.test(c.name))));
      if (retaken) continue;
      out.push(ctx.finding(rule, patch, acq.pos,
        `This patch removes ${acq.name}(${lock}) and its ${rel.name}() at line ${rel.pos.line}, but keeps the code between them (${kept[0].name}() at line ${kept[0].pos.line}): it ran under ${lockName(use.lock)} before and now runs without it.`,
        { severity: 'warning', path: [step(acq.pos, `${acq.name}() removed`), step(kept[0].pos, `${kept[0].name}() now unlocked`), step(rel.pos, `${rel.name}() removed`)],
          sources: sourcesOf(spec.source, ctx.model.locks.get(use.lock)?.source) }));
    }
  }
  return out;
}

/** Lock classes that stand for any lock of a kind (a spinlock, a mutex): only an instance names one. */
const GENERIC_LOCKS: ReadonlySet<string> = new Set(['spinlock', 'mutex', 'rwsem', 'rcu']);

/** Functions to which the series adds an acquisition of `lock`. */
function movedInto(ctx: SeriesContext, lock: string): Set<string> {
  const out = new Set<string>();
  for (const patch of ctx.patches) {
    for (const fn of patch.facts.functions) {
      if (fn.image !== 'post') continue;
      if (fn.calls.some((c) => c.change === '+' && (ctx.model.helpers.get(c.name)?.acquires ?? []).some((u) => u.lock === lock))) out.add(fn.name);
    }
  }
  return out;
}

/** A comment the patch adds just above the function that puts the lock on its callers. */
const CALLER_HOLDS = /\b(?:must be called with|called with\b.*\b(?:held|locked|lock)\b|caller[s]? must (?:hold|take|acquire)|must acquire)/i;
function callersNowHold(patch: PatchInput, fn: FunctionFacts): boolean {
  return patch.facts.comments.some((c) => c.change === '+' && c.pos.file === fn.pos.file && c.pos.line < fn.pos.line && c.pos.line >= fn.pos.line - 8 && CALLER_HOLDS.test(c.text));
}

/** Functions called after an acquisition of `lock` that the series adds. */
function calledUnder(ctx: SeriesContext, lock: string): Set<string> {
  const out = new Set<string>();
  for (const patch of ctx.patches) {
    for (const fn of patch.facts.functions) {
      if (fn.image !== 'post') continue;
      const acq = fn.calls.find((c) => c.change === '+' && (ctx.model.helpers.get(c.name)?.acquires ?? []).some((u) => u.lock === lock));
      if (acq) for (const c of fn.calls) if (c.pos.line > acq.pos.line) out.add(c.name);
    }
  }
  return out;
}

/** `init_vma_prep(&vp, vma)` and `vp.insert = new`: the VMAs a vma_prepare() call will change. */
const PREP_INIT = 'init_vma_prep';
const PREP_FIELD = /^(\w+)\s*(?:\.|->)\s*(vma|adj_next|insert|remove|remove2)$/;

/**
 * vma_prepare() expects every VMA put in its `struct vma_prepare` already
 * write-locked: since c9d6e982c3f8 ("mm: move vma locking out of
 * vma_prepare and dup_anon_vma") it only asserts it.  A VMA handed to it
 * unlocked is changed under page faults holding its read lock.
 */
export function unlockedPreparedVmas(ctx: SeriesContext): Finding[] {
  const out: Finding[] = [];
  for (const { fn, patch } of ctx.functions()) {
    if (!fn.calls.some((c) => c.name === 'vma_prepare')) continue;
    let a = ctx.analysis(fn);
    // Skipped as untouched by the patch; but the series changed vma_prepare() under it.
    if (a.events.length === 0) a = analyzeFunction(fn, { model: ctx.model, summaries: new Map() });
    const given: { vma: string; pos: SourcePos; what: string; change: string }[] = [];
    for (const c of fn.calls) {
      if (c.name === PREP_INIT && c.args.length >= 2) given.push({ vma: argOf(c, 1), pos: c.pos, what: `${PREP_INIT}()`, change: c.change });
    }
    for (const x of fn.assigns) {
      const m = PREP_FIELD.exec(x.target.replace(/\s+/g, ''));
      const v = normInstance(x.value);
      if (m && /^\w+$/.test(v) && v !== 'NULL') given.push({ vma: v, pos: x.pos, what: `${m[1]}.${m[2]} = ${v}`, change: x.change });
    }
    for (const e of a.events) {
      if (e.kind !== 'call' || e.call.name !== 'vma_prepare') continue;
      for (const g of given) {
        if (g.pos.line > e.call.pos.line || a.freshVmas.has(g.vma)) continue;
        if (g.change !== '+' && e.call.change !== '+' && !contractChanged(ctx).has('vma_prepare')) continue;
        if (e.before.held.some((h) => h.lock === 'vma_lock' && h.mode === 'write' && (h.instance === g.vma || h.instance === null || h.uncertain))) continue;
        if (passedToUnknown(ctx, a, g.vma, fn.pos.line, e.call.pos.line)) continue;
        out.push(ctx.finding(rule, patch, g.pos,
          `${g.vma} goes to vma_prepare() at line ${e.call.pos.line} (${g.what}), which expects it write-locked, but this path never calls vma_start_write(${g.vma}).`,
          { severity: 'warning', path: [step(g.pos, `${g.what}`), step(e.call.pos, 'vma_prepare() changes it')],
            sources: sourcesOf(ctx.model.helpers.get('vma_prepare')?.source, [SRC.SHEET_6]) }));
        break;
      }
    }
  }
  return out;
}

/** Every `if` of a function, with its condition written without spaces (bounded walk). */
function ifsOf(fn: FunctionFacts): { pos: SourcePos; cond: string }[] {
  const out: { pos: SourcePos; cond: string }[] = [];
  const stack: FlowItem[] = [...fn.flow];
  for (let guard = 0; stack.length > 0 && guard < 100_000; guard++) {
    const it = stack.pop()!;
    if (it.kind === 'if') {
      out.push({ pos: it.pos, cond: it.condition.replace(/\s+/g, '') });
      stack.push(...it.then, ...(it.else ?? []));
    } else if (it.kind === 'loop') stack.push(...it.body);
  }
  return out;
}

/**
 * The patch moves a test from below a lock acquisition to above it: what
 * the test reads is then checked before the lock that protects it is taken
 * (fact sheet section 6 #6, 657b5146955e: lock_vma_under_rcu() must check
 * vma->anon_vma under the VMA lock).
 */
export function checksMovedAboveLock(ctx: SeriesContext): Finding[] {
  const out: Finding[] = [];
  for (const { patch, pre, post } of functionChanges(ctx.patches)) {
    if (!post) continue;
    const before = ifsOf(pre).filter((x) => ctx.changeAt(patch, x.pos) === '-');
    if (before.length === 0) continue;
    const after = ifsOf(post).filter((x) => ctx.changeAt(patch, x.pos) === '+');
    for (const moved of after) {
      const was = before.find((b) => b.cond === moved.cond && b.pos.line > moved.pos.line);
      if (!was) continue;
      // A lock taken in both images between the new place and the old one.
      const lock = post.calls.find((c) => c.change === ' ' && c.pos.line > moved.pos.line && c.pos.line < was.pos.line &&
        (ctx.model.helpers.get(c.name)?.acquires ?? []).some((u) => u.lock !== 'rcu'));
      if (!lock) continue;
      out.push(ctx.finding(rule, patch, moved.pos,
        `This patch moves the test (${moved.cond}) above ${lock.name}() at line ${lock.pos.line}: what it reads is then checked before the lock that protects it is taken, and may change before the lock is held.`,
        { severity: 'warning', path: [step(moved.pos, 'tested here now'), step(lock.pos, `${lock.name}() takes the lock`), step(was.pos, 'tested here before this patch')],
          sources: sourcesOf(ctx.model.helpers.get(lock.name)?.source, [SRC.SHEET_6]) }));
    }
  }
  return out;
}
