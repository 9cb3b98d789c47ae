/**
 * LOCK-UNBALANCED:
 *   - a path returns holding a lock the function took, while other paths of
 *     the same function release it (the classic error path that forgets to
 *     unlock).  A function that returns with the lock on success and drops it
 *     only on its error returns is a lock helper and is left alone;
 *   - an unlock of a lock this path already released, or failed to take
 *     (an `out:` label that unlocks after a failed mmap_read_lock_killable());
 *   - a second acquisition of a lock the path already holds.
 * VMA write locks (released only by mmap_write_unlock) and RCU are not
 * balanced per function and are skipped.
 */
import type { CallFact, FlowItem, FunctionFacts } from '../../c/facts.js';
import type { Finding } from '../../findings.js';
import { normInstance } from '../flow.js';
import { functionChanges } from '../removed.js';
import { SRC } from '../../model/index.js';
import type { FlowEvent, Gone, Held } from '../flow.js';
import type { PatchInput, Rule, SeriesContext } from '../types.js';
import type { SourcePos } from '../../types.js';
import { added, lockName, sourcesOf, step } from './common.js';
import { unheldRelease } from './unheld-release.js';
import { releasesAfterFaultRetry } from './fault-retry-release.js';

/** Return values that read as failure: -EINVAL, ERR_PTR(..), NULL, false, VM_FAULT_*. */
const ERRORISH = /^(-\s*E[A-Z]+|ERR_PTR\(.*\)|NULL|false|-\d+|VM_FAULT_\w+(\s*\|\s*VM_FAULT_\w+)*)$/;

type Exit = Extract<FlowEvent, { kind: 'exit' }>;

/**
 * The per-VMA rw_semaphore (`vma->vm_lock->lock`, v6.4 to v6.14) is
 * write-held only inside vma_start_write(), to publish vm_lock_seq: the VMA
 * stays write-locked through the sequence number, not the rwsem.  A function
 * that returns holding it for write leaves every later vma_start_read()
 * failing and the next vma_start_write() of that VMA blocked for good.
 */
const TRANSIENT_WRITE = /(^|->|\.)vm_lock(->|\.)lock$/;
type Goto = Extract<FlowEvent, { kind: 'goto' }>;
const SPIN_LOCKS: ReadonlySet<string> = new Set(['spinlock', 'pte_ptl', 'pmd_ptl', 'page_table_lock']);

/**
 * A function that releases a lock its caller holds (`spin_unlock(src_ptl)`
 * of a ptl handed in locked) on every other exit, errors included, but
 * returns an error here with that lock untouched: its callers cannot know
 * which failures still hold it (move_pages_huge_pmd()'s `return -EBUSY`
 * before `spin_unlock(src_ptl)`).
 */
function keepsCallersLock(ctx: SeriesContext, patch: PatchInput, fn: FunctionFacts, events: FlowEvent[], exits: Exit[]): Finding[] {
  const out: Finding[] = [];
  const explicit = exits.filter((e) => !e.implicit);
  // Releases of a lock this path never took: the caller's.
  const callers = new Set<string>();
  for (const e of events) if (e.kind === 'release-unheld' && e.gone === null && e.instance) callers.add(`${e.call.pos.line}:${e.instance}`);
  if (callers.size === 0) return out;
  const reported = new Set<string>();
  for (const ex of explicit) {
    const value = (ex.value ?? '').trim();
    if (!ERRNO.test(value) || !added(ctx, patch, ex.pos)) continue;
    // Locks some other exit released without this function having taken them.
    const candidates = new Map<string, Gone>();
    for (const o of explicit) {
      if (o.pos.line === ex.pos.line) continue;
      for (const g of o.state.gone) {
        if (g.how === 'released' && g.instance !== null && !candidates.has(g.instance) && callers.has(`${g.step.line}:${g.instance}`)) candidates.set(g.instance, g);
      }
    }
    for (const [inst, g] of candidates) {
      if (reported.has(`${ex.pos.line}:${inst}`)) continue;
      if (!(ctx.model.locks.get(g.lock)?.balanced) || g.lock === 'rcu') continue;
      const touches = (st: { held: readonly Held[]; gone: readonly Gone[] }) => st.held.some((h) => h.instance === inst) || st.gone.some((x) => x.instance === inst);
      if (touches(ex.state)) continue;
      // Taken by this function above the return: the held-lock checks speak for it.
      if (fn.calls.some((c) => c.pos.line < ex.pos.line && (ctx.model.helpers.get(c.name)?.acquires ?? []).some((u) => typeof u.instance === 'number' && normInstance(c.args[u.instance] ?? '') === inst))) continue;
      const others = explicit.filter((o) => o.pos.line !== ex.pos.line);
      const releasedOn = (o: Exit) => o.state.gone.some((x) => x.instance === inst && x.how === 'released') && !o.state.held.some((h) => h.instance === inst);
      if (others.length < 2 || !others.every(releasedOn) || !others.some((o) => ERRNO.test((o.value ?? '').trim()))) continue;
      // Nothing above the return that may release it unseen (an unknown unlock helper given it).
      if (fn.calls.some((c) => c.pos.line < ex.pos.line && !ctx.model.helpers.has(c.name) && /unlock|release|drop/.test(c.name) && c.args.some((x) => normInstance(x) === inst))) continue;
      reported.add(`${ex.pos.line}:${inst}`);
      const err = others.find((o) => ERRNO.test((o.value ?? '').trim()))!;
      out.push(ctx.finding(rule, patch, ex.pos,
        `This path returns ${value} with ${inst} still locked, while every other return of ${fn.name}() releases it first (${g.helper}() at line ${g.step.line}; the return ${(err.value ?? '').trim()} at line ${err.pos.line} too): its callers cannot tell which failures still hold it.`,
        { severity: 'warning', path: [g.step, step(err.pos, `returns ${(err.value ?? '').trim()} after releasing it`), step(ex.pos, `returns ${value} holding it`)],
          sources: sourcesOf(ctx.model.helpers.get(g.helper)?.source, rule.source) }));
    }
  }
  return out;
}

/** Name words of a lock helper, which returns holding what it took on purpose (`madvise_lock()`, `vma_prepare()`). */
const HELPER_WORD = /^(lock|trylock|acquire|get|grab|take|hold|begin|start|enter|prepare|down|pin|find)$/;

/**
 * A function the patch adds takes a lock and releases nothing of its kind
 * anywhere, yet returns: every path after the acquisition leaves with it
 * held.  A lock helper does that on purpose; it is told by its name, or by
 * callers in the series that release the lock after calling it.
 * (damon_dbgfs_init() with its mutex_lock() and no unlock before `out:`.)
 */
function neverReleased(ctx: SeriesContext, patch: PatchInput, fn: FunctionFacts, exits: Exit[], tracked: (h: Held) => boolean): Finding[] {
  const out: Finding[] = [];
  if (!fn.hasStart || fn.image !== 'post' || fn.name.split('_').some((w) => HELPER_WORD.test(w))) return out;
  // A function the patch changes: only a lock new to it, so that its unlock would be new too, and
  // shown; hidden code between hunks cannot release what the old code never took.
  const pre = fn.added ? undefined : patch.facts.functions.find((g) => g.image === 'pre' && g.name === fn.name && g.path === fn.path);
  const newLock = (h: Held) => fn.added || (pre !== undefined && !pre.calls.some((c) => (ctx.model.helpers.get(c.name)?.acquires ?? []).some((u) => u.lock === h.lock || c.name === h.helper)));
  const releaser = (c: CallFact) => !!ctx.model.helpers.get(c.name)?.releases || /unlock|release/.test(c.name);
  if (fn.calls.some(releaser)) return out;
  // Callers in the series that release something after the call: fn hands its lock to them.
  for (const p of ctx.patches) {
    for (const g of p.facts.functions) {
      if (g.image !== 'post' || g === fn) continue;
      const call = g.calls.find((c) => c.name === fn.name);
      if (call && g.calls.some((c) => c.pos.line > call.pos.line && releaser(c))) return out;
    }
  }
  const reported = new Set<string>();
  for (const ex of exits) {
    if (ex.implicit) continue;
    const value = (ex.value ?? '').trim();
    for (const h of ex.state.held) {
      if (!tracked(h) || h.change !== '+' || !newLock(h) || (h.instance !== null && value === h.instance) || reported.has(`${h.step.line}`)) continue;
      reported.add(`${h.step.line}`);
      out.push(ctx.finding(rule, patch, ex.pos,
        `This path returns${value ? ` ${value}` : ''} with ${lockName(h.lock, h.mode)} still held (taken by ${h.helper}() at line ${h.step.line}), and ${fn.name}() releases it nowhere: no path after line ${h.step.line} unlocks it.`,
        { severity: 'warning', path: [h.step, step(ex.pos, 'returns with the lock held')], sources: sourcesOf(ctx.model.helpers.get(h.helper)?.source, rule.source) }));
    }
  }
  return out;
}

type Acquire = Extract<FlowEvent, { kind: 'acquire' }>;

/**
 * A lock pointer variable given a new lock while the one it points to is
 * still held (`ptl = pmd_lock(..)` on a path that holds the pud_lock() it got
 * before): nothing can release the first lock any more.  Reached through a
 * goto, the jump is where its unlock is missing (folio_walk_start()'s
 * `spin_unlock(ptl); goto pmd_table;`).
 */
function overwrittenLocks(ctx: SeriesContext, patch: PatchInput, events: FlowEvent[], tracked: (h: Held) => boolean): Finding[] {
  const out: Finding[] = [];
  const reported = new Set<string>();
  for (const e of events) {
    if (e.kind !== 'acquire') continue;
    const a: Acquire = e;
    const v = a.held.instance;
    if (v === null || !/^[A-Za-z_]\w*$/.test(v) || !SPIN_LOCKS.has(a.held.lock)) continue;
    // The call stores into the variable: `v = pmd_lock(..)` or `pte_offset_map_lock(.., &v)`.
    if (!a.call.args.some((x) => x.replace(/\s+/g, '') === `&${v}`) && a.spec.acquires?.every((u) => u.instance !== 'return')) continue;
    const old = a.before.held.find((h) => tracked(h) && h.instance === v && h.lock !== a.held.lock && SPIN_LOCKS.has(h.lock) && h.step.line < a.call.pos.line);
    if (!old) continue;
    const via = a.before.via && a.before.via.line > old.step.line && a.before.via.line < a.call.pos.line ? a.before.via : undefined;
    const at = via ?? a.call.pos;
    if (!added(ctx, patch, at) && a.call.change !== '+' && old.change !== '+') continue;
    const key = `${at.line}:${old.lock}:${v}`;
    if (reported.has(key)) continue;
    reported.add(key);
    const what = `${a.call.name}() at line ${a.call.pos.line} stores another lock in ${v} while ${lockName(old.lock, old.mode)} it holds (taken by ${old.helper}() at line ${old.step.line}) is still locked, so nothing can release that one any more`;
    out.push(ctx.finding(rule, patch, at,
      via ? `This path jumps with ${lockName(old.lock, old.mode)} still held in ${v}, and ${what}.` : `${what[0]!.toUpperCase()}${what.slice(1)}.`,
      { path: [old.step, ...(via ? [step(via, 'jumps with the lock held')] : []), step(a.call.pos, `${v} overwritten`)],
        sources: sourcesOf(ctx.model.helpers.get(old.helper)?.source, rule.source) }));
  }
  return out;
}

/** Whether the result of `helper()` on `line` is stored in a variable (`pte = pte_offset_map_lock(..)`). */
function stored(fn: FunctionFacts, line: number, helper: string): boolean {
  return fn.assigns.some((a) => a.pos.line === line && a.value.includes(`${helper}(`));
}

/**
 * Jumps to one label that arrive with different locks: `goto out` holding
 * a lock that another `goto out` releases first.  The label's body is
 * usually outside the hunk, but it cannot be right for both.
 */
function inconsistentGotos(ctx: SeriesContext, patch: PatchInput, fn: FunctionFacts, events: FlowEvent[], tracked: (h: Held) => boolean): Finding[] {
  const out: Finding[] = [];
  const byLabel = new Map<string, Goto[]>();
  for (const e of events) if (e.kind === 'goto') byLabel.set(e.label, [...(byLabel.get(e.label) ?? []), e]);
  const reported = new Set<string>();
  for (const [label, jumps] of byLabel) {
    for (const g of jumps) {
      for (const h of g.state.held) {
        if (!tracked(h) || h.step.line > g.pos.line) continue;
        // The other jump must hold nothing of the kind: jumps that each hold one of several
        // page-table locks (folio_walk_start()'s `goto found`) hand the one they hold on.
        const kin = (k: Held) => tracked(k) && (k.lock === h.lock || (SPIN_LOCKS.has(k.lock) && SPIN_LOCKS.has(h.lock)));
        // The other jump released it, or comes from the failure of the very acquisition this
        // path succeeded in (`if (!vma_start_read(vma)) goto inval;`): either way the label's
        // body cannot unlock it for both.  Not when the result is kept in a variable: the
        // label may test it (`abort: if (start_pte) pte_unmap_unlock(start_pte, ptl);`).
        const dropped = (o: Goto) => o.state.gone.find((x) => x.lock === h.lock && x.instance === h.instance &&
          ((x.how === 'released' && x.step.line > h.step.line) ||
           (x.how === 'failed' && x.step.line === h.step.line && !stored(fn, x.step.line, x.helper))));
        const other = jumps.find((o) => o !== g && o.pos.line !== g.pos.line &&
          !o.state.held.some(kin) && dropped(o) !== undefined);
        if (!other) continue;
        if (!added(ctx, patch, g.pos) && h.change !== '+') continue;
        const key = `${g.pos.line}:${h.lock}:${h.instance}`;
        if (reported.has(key)) continue;
        reported.add(key);
        const rel = dropped(other)!;
        const there = rel.how === 'released'
          ? `releases it first (${rel.helper}() at line ${rel.step.line})`
          : `comes from the failure of that ${rel.helper}() and holds nothing`;
        out.push(ctx.finding(rule, patch, g.pos,
          `This path jumps to ${label} with ${lockName(h.lock, h.mode)} still held (taken by ${h.helper}() at line ${h.step.line}), while the jump at line ${other.pos.line} ${there}.`,
          { path: [h.step, step(g.pos, `goto ${label} with the lock held`)], sources: sourcesOf(ctx.model.helpers.get(h.helper)?.source, rule.source) }));
      }
    }
  }
  return out;
}

/**
 * Whether the function's definition says it hands an RCU read section to its
 * caller (`__acquires(RCU)`, which the C pass blanks out): read from the
 * diff lines around its name (bounded: 6 lines).
 */
function annotatedAcquires(patch: PatchInput, fn: FunctionFacts): boolean {
  if (!patch.lines || !fn.hasStart) return false;
  for (let l = fn.pos.line; l < fn.pos.line + 6; l++) {
    const text = patch.lines.at(fn.pos.file, l)?.text ?? '';
    if (/__acquires\s*\(\s*(RCU|rcu)\s*\)/.test(text)) return true;
    if (/^\s*\{/.test(text)) break;
  }
  return false;
}

/** A negative errno literal (`-EBUSY`, `ERR_PTR(-EAGAIN)`) or NULL: the plainest failures a function returns. */
const ERRNO = /^(-\s*E[A-Z0-9]+|ERR_PTR\(\s*-\s*E[A-Z0-9]+\s*\)|NULL)$/;

function errnoHolding(ex: Exit, h: Held, value: string): boolean {
  return !ex.implicit && ERRNO.test(value) && h.step.line <= ex.pos.line;
}

export const rule: Rule = {
  id: 'LOCK-UNBALANCED',
  severity: 'error',
  description: 'A path returns holding a lock other paths release, unlocks a lock not held, or takes a lock twice.',
  source: [SRC.MM_LOCKH, SRC.FIX_9C49E5D],
  check(ctx) {
    const out: Finding[] = [];
    for (const { fn, patch } of ctx.functions()) {
      const a = ctx.analysis(fn);
      const exits = a.events.filter((e): e is Exit => e.kind === 'exit' && (!e.implicit || fn.added));
      // Balanced per function: every lock with an unlock, a VMA read lock (vma_end_read()), and an
      // RCU section this function opened with rcu_read_lock() (not one a pte_offset_map*() hands on).
      const tracked = (h: Held) => h.origin === 'acquired' && !h.uncertain &&
        (ctx.model.locks.get(h.lock)?.balanced === true || (h.lock === 'vma_lock' && h.mode === 'read') || (h.lock === 'rcu' && h.helper === 'rcu_read_lock'));
      const reported = new Set<string>();
      for (const ex of exits) {
        for (const h of ex.state.held) {
          if (h.origin === 'acquired' && !h.uncertain && h.mode === 'write' && h.instance !== null && TRANSIENT_WRITE.test(h.instance) &&
              (h.change === '+' || (!ex.implicit && added(ctx, patch, ex.pos))) && !reported.has(`${ex.pos.line}:${h.instance}`)) {
            reported.add(`${ex.pos.line}:${h.instance}`);
            const value = (ex.value ?? '').trim();
            out.push(ctx.finding(rule, patch, ex.implicit ? h.step : ex.pos,
              `This path ${ex.implicit ? 'reaches the end of the function' : `returns${value ? ` ${value}` : ''}`} with ${h.instance} still held for write (taken by ${h.helper}() at line ${h.step.line}), but that rwsem is write-held only to publish vm_lock_seq and released at once, as vma_start_write() does: page faults on this VMA then fail vma_start_read() and the next vma_start_write() blocks for good.`,
              { path: [h.step, step(ex.pos, ex.implicit ? 'end of function' : 'returns with it held')], sources: sourcesOf([SRC.L64_MMH_VMLOCK], rule.source) }));
            continue;
          }
          if (!tracked(h)) continue;
          const value = (ex.value ?? '').trim();
          if (h.instance !== null && value === h.instance) continue; // returns the locked object
          // Other exits where this function released the same lock.
          const releasing = exits.filter((o) => o !== ex &&
            !o.state.held.some((k) => k.lock === h.lock && k.instance === h.instance) &&
            o.state.gone.some((g) => g.lock === h.lock && g.how === 'released' && g.step.line > h.step.line - 1));
          if (releasing.length === 0) {
            // No path shown releases it: still, a failed call that returns an errno holding
            // a lock it took breaks the kernel's convention that failure leaves nothing held
            // (claim_swapfile() returning -EBUSY with inode_lock() held, 1638045c3677).
            const f = errnoHolding(ex, h, value);
            if (f && !reported.has(`${ex.pos.line}:${h.lock}:${h.instance}`) && (added(ctx, patch, ex.pos) || h.change === '+')) {
              reported.add(`${ex.pos.line}:${h.lock}:${h.instance}`);
              // Carried there by a goto: the jump is where the unlock is missing.
              const via = ex.state.via && ex.state.via.line > h.step.line && ex.state.via.line < ex.pos.line ? ex.state.via : undefined;
              out.push(ctx.finding(rule, patch, via ?? ex.pos,
                via
                  ? `This path jumps with ${lockName(h.lock, h.mode)} still held (taken by ${h.helper}() at line ${h.step.line}) and returns ${value} at line ${ex.pos.line} holding it: a failed call should leave nothing held.`
                  : `This path returns ${value} with ${lockName(h.lock, h.mode)} still held (taken by ${h.helper}() at line ${h.step.line}): a failed call should leave nothing held, and its callers' error paths will not unlock it.`,
                { severity: 'warning', path: [h.step, ...(via ? [step(via, 'jumps with the lock held')] : []), step(ex.pos, `returns ${value} with the lock held`)],
                  sources: sourcesOf(ctx.model.helpers.get(h.helper)?.source, rule.source) }));
            }
            continue;
          }
          // Only the error path that forgets to unlock: a return of an error
          // (or a bare return).  A function returning a result with the lock
          // held is a lock helper (folio_walk_start(), pmd_trans_huge_lock()).
          // Not RCU: a read-side section is local to the function that opened it (one handed
          // to the caller is rare and annotated __acquires(RCU)), so a result returned inside
          // it while another path closes it first is the missing rcu_read_unlock().
          if (value !== '' && !ERRORISH.test(value) && !(h.lock === 'rcu' && !annotatedAcquires(patch, fn))) continue;
          const exitAdded = !ex.implicit && added(ctx, patch, ex.pos);
          if (!exitAdded && h.change !== '+') continue;
          const key = `${ex.pos.line}:${h.lock}:${h.instance}`;
          if (reported.has(key)) continue;
          reported.add(key);
          const rel = releasing[0].state.gone.find((g) => g.lock === h.lock && g.how === 'released')!;
          out.push(ctx.finding(rule, patch, ex.implicit ? h.step : ex.pos,
            `This path ${ex.implicit ? 'reaches the end of the function' : `returns${value ? ` ${value}` : ''}`} with ${lockName(h.lock, h.mode)} still held (taken by ${h.helper}() at line ${h.step.line}), while ${rel.helper}() at line ${rel.step.line} releases it on other paths.`,
            { path: [h.step, step(ex.pos, ex.implicit ? 'end of function' : 'returns with the lock held')],
              sources: sourcesOf(ctx.model.helpers.get(h.helper)?.source, rule.source) }));
        }
      }
      out.push(...inconsistentGotos(ctx, patch, fn, a.events, tracked), ...overwrittenLocks(ctx, patch, a.events, tracked), ...keepsCallersLock(ctx, patch, fn, a.events, exits), ...neverReleased(ctx, patch, fn, exits, tracked));
      for (const e of a.events) {
        if (e.kind === 'release-unheld' && e.gone === null) {
          const f = unheldRelease(ctx, rule, fn, patch, e);
          if (f) out.push(f);
        }
        if (e.kind === 'release-unheld' && e.gone && e.instance !== undefined) {
          if (ctx.model.locks.get(e.use.lock)?.balanced === false) continue;
          if (e.call.change !== '+' && e.gone.change !== '+') continue;
          const before = e.gone.how === 'failed' ? `${e.gone.helper}() failed to take it at line ${e.gone.step.line}` : `${e.gone.helper}() already released it at line ${e.gone.step.line}`;
          out.push(ctx.finding(rule, patch, e.call.pos,
            `${e.call.name}() releases ${lockName(e.gone.lock)}, but on this path ${before}.`,
            { path: [e.gone.step, step(e.call.pos, `${e.call.name}() releases it again`)], sources: sourcesOf(e.spec.source, rule.source) }));
        }
        if (e.kind === 'double-acquire') {
          if (e.call.change !== '+' && e.held.change !== '+') continue;
          out.push(ctx.finding(rule, patch, e.call.pos,
            `${e.call.name}() takes ${lockName(e.held.lock)}${e.held.instance ? ` of ${e.held.instance}` : ''} again; this path already holds it from ${e.held.helper}() at line ${e.held.step.line}.`,
            { path: [e.held.step, step(e.call.pos, `${e.call.name}() acquires it again`)], sources: sourcesOf(e.spec.source, rule.source) }));
        }
      }
    }
    out.push(...droppedUnlocksBeforeReturn(ctx), ...releasesAfterFaultRetry(ctx, rule));
    // One line, one finding: a jump that both carries a lock to a failure return and loses it
    // to an overwritten lock variable is said once, by the error.
    const errors = new Set(out.filter((f) => f.severity === 'error').map((f) => `${f.file}:${f.line}`));
    return out.filter((f) => f.severity === 'error' || !errors.has(`${f.file}:${f.line}`));
  },
};

/** `release(..); goto label;` pairs of a function (bounded walk): the release right before each jump. */
function releasingJumps(flow: readonly FlowItem[]): { label: string; pos: SourcePos; call: CallFact }[] {
  const out: { label: string; pos: SourcePos; call: CallFact }[] = [];
  const stack: (readonly FlowItem[])[] = [flow];
  for (let guard = 0; stack.length > 0 && guard < 10_000; guard++) {
    const items = stack.pop()!;
    for (let i = 0; i < items.length; i++) {
      const it = items[i];
      if (it.kind === 'if') { stack.push(it.then); if (it.else) stack.push(it.else); }
      else if (it.kind === 'loop') stack.push(it.body);
      else if (it.kind === 'goto' && i > 0 && items[i - 1].kind === 'call') out.push({ label: it.label, pos: it.pos, call: (items[i - 1] as { call: CallFact }).call });
    }
  }
  return out;
}

/**
 * The patch removes the unlock that stood right before a `return` it keeps:
 * that return now leaves with the lock held.  The pre-image is the witness
 * that the lock is held there (it was released), even when the hunk does
 * not show where it was taken.  A `goto` is read this way only when another
 * jump to the same label still makes the same release first.
 */
function droppedUnlocksBeforeReturn(ctx: SeriesContext): Finding[] {
  const out: Finding[] = [];
  const releases = (it: FlowItem) => it.kind === 'call' && !!ctx.model.helpers.get(it.call.name)?.releases;
  /** An `if` whose branches hold only plain calls and assignments: no exit, no jump, no release (bounded: 8 items). */
  const quiet = (it: FlowItem): boolean => {
    if (it.kind !== 'if' || it.conditionCalls.some((c) => ctx.model.helpers.has(c.name))) return false;
    const body = [...it.then, ...(it.else ?? [])];
    return body.length <= 8 && body.every((b) => b.kind === 'assign' || (b.kind === 'call' && !releases(b)));
  };
  for (const { patch, pre, post } of functionChanges(ctx.patches)) {
    if (!post) continue;
    const visit = (items: readonly FlowItem[]) => {
      for (let i = 0; i < items.length; i++) {
        const it = items[i];
        if (it.kind === 'if') { visit(it.then); if (it.else) visit(it.else); continue; }
        if (it.kind === 'loop') { visit(it.body); continue; }
        if (it.kind !== 'call' || it.call.change !== '-') continue;
        const spec = ctx.model.helpers.get(it.call.name);
        // Balanced per function, as `tracked` reads it: a VMA read lock too (vma_end_read()).
        const use = spec?.releases?.find((u) => (ctx.model.locks.get(u.lock)?.balanced && u.lock !== 'rcu') || (u.lock === 'vma_lock' && u.mode === 'read'));
        if (!spec || !use || spec.anyOf) continue;
        // The next statement that is not a plain call, assignment or an `if` that neither
        // leaves nor releases anything (`if (unmapped) flush_tlb_range(..);`) must be a kept return.
        let j = i + 1;
        while (j < items.length && (items[j].kind === 'assign' || (items[j].kind === 'call' && !releases(items[j])) || (items[j].kind === 'if' && quiet(items[j])))) j++;
        const ret = items[j];
        if (!ret || (ret.kind !== 'return' && ret.kind !== 'goto') || ctx.changeAt(patch, ret.pos) === '-') continue;
        // A goto: the label's body decides, and the hunk rarely shows it; but another jump to
        // that label that still makes this release first says the label does not.
        const sibling = ret.kind === 'goto'
          ? releasingJumps(post.flow).find((g) => g.label === ret.label && g.pos.line !== ret.pos.line && g.call.name === it.call.name &&
              ctx.changeAt(patch, g.call.pos) !== '-' && g.call.args.length === it.call.args.length &&
              g.call.args.every((x, k) => normInstance(x) === normInstance(it.call.args[k]!)))
          : undefined;
        if (ret.kind === 'goto' && !sibling) continue;
        // Added again just above, or moved up the function (the same unlock of the same lock).
        const same = (c: CallFact) => c.args.length === it.call.args.length && c.args.every((x, k) => normInstance(x) === normInstance(it.call.args[k]!));
        const again = post.calls.some((c) => c.change === '+' && c.name === it.call.name && c.pos.line <= ret.pos.line &&
          (c.pos.line >= it.call.pos.line - 3 || same(c)));
        if (again) continue;
        // The lock itself removed too: the section is gone, not left open (droppedCriticalSections' case).
        const lockArg = typeof use.instance === 'number' ? normInstance(it.call.args[use.instance] ?? '') : null;
        const untaken = pre.calls.some((c) => c.change === '-' && (ctx.model.helpers.get(c.name)?.acquires ?? []).some((u) =>
          u.lock === use.lock && (lockArg === null || typeof u.instance !== 'number' || normInstance(c.args[u.instance] ?? '') === lockArg)));
        if (untaken) continue;
        if (ret.kind === 'goto') {
          out.push(ctx.finding(rule, patch, ret.pos,
            `This patch removes ${it.call.name}(${it.call.args.join(', ')}) at line ${it.call.pos.line}, so this goto ${ret.label} now jumps with ${lockName(use.lock)} held, while the jump to ${ret.label} at line ${sibling!.pos.line} still releases it first: ${ret.label} cannot be right for both.`,
            { severity: 'warning', path: [step(it.call.pos, `${it.call.name}() removed`), step(sibling!.call.pos, `${it.call.name}() before the other jump`), step(ret.pos, 'jumps with the lock held')],
              sources: sourcesOf(spec.source, rule.source) }));
          continue;
        }
        out.push(ctx.finding(rule, patch, ret.pos,
          `This patch removes ${it.call.name}(${it.call.args.join(', ')}) at line ${it.call.pos.line}, so this return${ret.value ? ` ${ret.value}` : ''} now leaves with ${lockName(use.lock)} held.`,
          { severity: 'warning', path: [step(it.call.pos, `${it.call.name}() removed`), step(ret.pos, 'returns with the lock held')],
            sources: sourcesOf(spec.source, rule.source) }));
      }
    };
    visit(pre.flow);
  }
  return out;
}
