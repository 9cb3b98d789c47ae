/**
 * LOCK-ORDER: an acquisition that inverts the model's lock order (fact sheet
 * section 4): vma_start_write() while holding i_mmap_rwsem, mmap_read_lock()
 * while holding a ptl, inode_lock() under mmap_lock.  Trylocks cannot
 * deadlock and are skipped; so are two instances of one class (lockdep
 * nesting is a separate matter).
 *
 * Also an inversion or a recursion the model states per helper:
 *   - a helper called with a lock held that it must run without
 *     (security_mmap_file() under mmap_lock: the LSM locks nest outside it);
 *   - a helper that takes a lock itself (stop_machine() takes
 *     cpus_read_lock()) called where that lock is held, which the pre-image
 *     shows when the patch swaps a `_cpuslocked()`-style variant that needs
 *     the lock for the one that takes it.
 */
import type { Finding } from '../../findings.js';
import type { HelperSpec, LockClass } from '../../model/index.js';
import { SRC, orderClosure, orderPath } from '../../model/index.js';
import { normInstance } from '../flow.js';
import { functionChanges } from '../removed.js';
import type { FunctionFacts } from '../../c/facts.js';
import type { FlowEvent } from '../flow.js';
import type { PatchInput, Rule, SeriesContext } from '../types.js';
import { lockName, onSuccessPath, sourcesOf, step } from './common.js';

/**
 * A fault handler: it is handed `struct vm_fault *vmf` (the name every
 * handler in mm/ and the drivers uses).  It runs with mmap_lock held for
 * read, or under the per-VMA lock alone (fact sheet 2.9).
 */
function isFaultHandler(fn: FunctionFacts): boolean {
  return fn.identifiers.includes('vmf') && (fn.hasStart || /\bvmf\b/.test(fn.header ?? '') || fn.calls.some((c) => c.args.some((a) => /^vmf\b/.test(a.trim()))));
}

/**
 * mmap_lock taken (not tried) in a fault handler before anything on the
 * path released the fault's lock: on the mmap_lock path this takes the lock
 * the fault already holds for read (the write lock deadlocks at once, the
 * read lock as soon as a writer queues between the two); on the per-VMA
 * lock path it waits for writers that wait for this VMA's readers.  Fault
 * code that needs the mmap lock tries it (`mmap_read_trylock()`) or returns
 * VM_FAULT_RETRY (vmf_anon_prepare(), fact sheet 2.9).
 */
function mmapLockInFault(ctx: SeriesContext, patch: PatchInput, e: Extract<FlowEvent, { kind: 'acquire' }>): Finding | null {
  if (e.held.lock !== 'mmap_lock' || (e.spec.success ?? 'always') !== 'always') return null;
  // The handler let go of the fault's lock first (release_fault_lock(), mmap_read_unlock(), vma_end_read()).
  if (e.before.gone.some((g) => g.how === 'released' && (g.lock === 'mmap_lock' || g.lock === 'vma_lock'))) return null;
  if (e.before.held.some((h) => h.lock === 'mmap_lock')) return null; // said as a double acquire
  return ctx.finding(rule, patch, e.call.pos,
    `${e.call.name}() in a fault handler: the fault runs with mmap_lock held for read, or under the per-VMA lock, so taking mmap_lock here is a recursive acquisition that deadlocks (at once for the write lock; for the read lock as soon as a writer waits). Fault code that needs the mmap lock tries it or returns VM_FAULT_RETRY.`,
    { path: [step(e.call.pos, `${e.call.name}() with the fault's lock held`)], sources: sourcesOf([SRC.SHEET_2_9, SRC.SHEET_R13], e.spec.source) });
}

export const rule: Rule = {
  id: 'LOCK-ORDER',
  severity: 'error',
  description: "A lock is taken while holding a lock that the model orders inside it.",
  source: [SRC.MM_RMAP, SRC.MM_FILEMAP, SRC.MM_DOC],
  check(ctx) {
    const out: Finding[] = [];
    const closure = orderClosure(ctx.model);
    for (const { fn, patch } of ctx.functions()) {
      for (const e of ctx.analysis(fn).events) {
        if (e.kind !== 'acquire' || e.spec.success === 'true') continue;
        const taking = e.held;
        for (const h of e.before.held) {
          if (h.uncertain || h.lock === taking.lock) continue;
          if (!closure.get(taking.lock)?.has(h.lock)) continue;
          if (e.call.change !== '+' && h.change !== '+') continue;
          // vma_start_write() is a no-op on a VMA already write-locked on this path.
          if (taking.lock === 'vma_lock' && taking.mode === 'write' &&
              e.before.held.some((k) => k.lock === 'vma_lock' && k.mode === 'write' && (k.instance === null || k.instance === taking.instance))) break;
          const why = orderPath(ctx.model, taking.lock, h.lock);
          // A helper that write-locks the VMA as a side effect (vm_flags_set()) inverts
          // the order only if nobody locked the VMA before: the caller may have.
          const sideEffect = e.spec.kind !== 'acquire' && taking.lock === 'vma_lock';
          const held = h.origin === 'acquired' ? `taken by ${h.helper}() at line ${h.step.line}` : `stated held by ${h.helper}() at line ${h.step.line}`;
          out.push(ctx.finding(rule, patch, e.call.pos,
            `${onSuccessPath(h)}${e.call.name}() takes ${lockName(taking.lock, taking.mode === 'any' ? undefined : taking.mode)} while holding ${lockName(h.lock)} (${held}), but the lock order puts ${lockName(taking.lock)} outside it (${why.map((w) => w.why).join('; ')}).`,
            { path: [h.step, step(e.call.pos, `${e.call.name}() acquires ${taking.lock}`)], sources: sourcesOf(...why.map((w) => w.source), e.spec.source),
              ...(sideEffect ? { severity: 'info' as const, uncertain: `${e.call.name}() write-locks the VMA only if it is not write-locked yet; it may have been locked before ${h.helper}()` } : {}) }));
          break;
        }
      }
      for (const e of ctx.analysis(fn).events) {
        if (e.kind === 'recursive' && (e.call.change === '+' || e.held.change === '+') && !e.held.uncertain) {
          const held = e.held.origin === 'acquired' ? `taken by ${e.held.helper}() at line ${e.held.step.line}` : `stated held by ${e.held.helper}() at line ${e.held.step.line}`;
          out.push(ctx.finding(rule, patch, e.call.pos,
            `${e.call.name}() takes ${lockName(e.use.lock)} itself, but this path already holds it (${held}): a recursive acquisition.`,
            { path: [e.held.step, step(e.call.pos, `${e.call.name}() takes ${lockName(e.use.lock)} again`)], sources: sourcesOf(e.spec.source) }));
        }
        if (e.kind === 'acquire' && e.call.change === '+' && isFaultHandler(fn)) {
          const f = mmapLockInFault(ctx, patch, e);
          if (f) out.push(f);
        }
        if (e.kind === 'call' && e.spec?.forbids) {
          for (const use of e.spec.forbids) {
            const h = e.before.held.find((x) => x.lock === use.lock && !x.uncertain);
            if (!h || (e.call.change !== '+' && h.change !== '+')) continue;
            const held = h.origin === 'acquired' ? `taken by ${h.helper}() at line ${h.step.line}` : `stated held by ${h.helper}() at line ${h.step.line}`;
            out.push(ctx.finding(rule, patch, e.call.pos,
              `${e.call.name}() is called holding ${lockName(h.lock, h.mode)} (${held}), but it must run without it: ${e.spec.forbidsWhy ?? 'the model forbids it'}.`,
              { path: [h.step, step(e.call.pos, `calls ${e.call.name}() under ${lockName(h.lock)}`)], sources: sourcesOf(e.spec.source, ctx.model.locks.get(h.lock)?.source) }));
            break;
          }
        }
      }
    }
    out.push(...variantSwaps(ctx), ...irqUnsafeSwaps(ctx));
    return out;
  },
};

/** How many input lines apart a removed call and the added call that replaces it may be. */
const REPLACED_WITHIN = 3;

/**
 * `-stop_machine_cpuslocked(...)` / `+stop_machine(...)`: the removed call
 * needed a lock held, so its callers hold it there; the added call takes
 * that lock itself.  The pre-image is code that was reviewed and merged: it
 * is the best witness of the lock state the hunk does not show.
 */
function variantSwaps(ctx: SeriesContext): Finding[] {
  const out: Finding[] = [];
  const helper = (name: string): HelperSpec | undefined => ctx.model.helpers.get(name);
  const locksTaken = (spec: HelperSpec | undefined): LockClass[] => [...(spec?.takes ?? []), ...(spec?.acquires ?? [])].map((u) => u.lock);
  for (const { patch, pre, post } of functionChanges(ctx.patches)) {
    if (!post) continue;
    for (const gone of pre.calls) {
      if (gone.change !== '-') continue;
      const needs = (helper(gone.name)?.requires ?? []).map((u) => u.lock);
      if (needs.length === 0) continue;
      for (const call of post.calls) {
        if (call.change !== '+' || call.pos.file !== gone.pos.file || Math.abs(call.pos.line - gone.pos.line) > REPLACED_WITHIN) continue;
        const spec = helper(call.name);
        const lock = locksTaken(spec).find((l) => needs.includes(l));
        if (!lock || spec?.success === 'true') continue;
        out.push(ctx.finding(rule, patch, call.pos,
          `${call.name}() takes ${lockName(lock)} itself, but it replaces ${gone.name}(), which needs ${lockName(lock)} held: callers of ${post.name}() hold it here, so this is a recursive acquisition.`,
          { path: [step(gone.pos, `${gone.name}() required ${lockName(lock)} (before this patch)`), step(call.pos, `${call.name}() takes ${lockName(lock)}`)],
            sources: sourcesOf(spec?.source, helper(gone.name)?.source) }));
      }
    }
  }
  return out;
}

/** `spin_lock_irq(x)` -> `spin_lock(x)`: the IRQ- or BH-safe form, and the plain one that replaces it. */
const IRQ_SAFE = /^(raw_spin|spin|read|write)_lock_(irq|irqsave|bh)$/;

/**
 * The patch takes a lock with the plain form where the pre-image took it
 * IRQ- or BH-safe: the pre-image did so because the lock is also taken in
 * interrupt or softirq context, which can now interrupt this holder on the
 * same CPU and spin forever (lockdep: "inconsistent {SOFTIRQ-ON-W} ->
 * {IN-SOFTIRQ-W} usage"; 0e5b4ac3a6fc made memcg_lru.lock IRQ-safe for that).
 */
function irqUnsafeSwaps(ctx: SeriesContext): Finding[] {
  const out: Finding[] = [];
  for (const { patch, pre, post } of functionChanges(ctx.patches)) {
    if (!post) continue;
    for (const gone of pre.calls) {
      const m = gone.change === '-' ? IRQ_SAFE.exec(gone.name) : null;
      if (!m) continue;
      const plain = `${m[1]}_lock`;
      const lock = normInstance(gone.args[0] ?? '');
      const call = post.calls.find((c) => c.change === '+' && c.name === plain && normInstance(c.args[0] ?? '') === lock &&
        c.pos.file === gone.pos.file && Math.abs(c.pos.line - gone.pos.line) <= REPLACED_WITHIN);
      if (!call) continue;
      const ctxName = m[2] === 'bh' ? 'softirq' : 'interrupt';
      out.push(ctx.finding(rule, patch, call.pos,
        `${call.name}(${lock}) replaces ${gone.name}(), which kept ${ctxName}s off while the lock is held: if ${lock} is also taken in ${ctxName} context, that can now interrupt this holder and deadlock on the same CPU.`,
        { severity: 'warning', path: [step(gone.pos, `${gone.name}() before this patch`), step(call.pos, `${call.name}() leaves ${ctxName}s on`)],
          sources: sourcesOf(ctx.model.helpers.get(call.name)?.source) }));
    }
  }
  return out;
}
