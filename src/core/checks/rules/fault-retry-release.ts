/**
 * Part of LOCK-UNBALANCED (called from lock-unbalanced.ts): vma_end_read()
 * after handle_mm_fault() on the path where the fault handler already
 * released the VMA lock.
 *
 * Under FAULT_FLAG_VMA_LOCK, handle_mm_fault() drops the per-VMA lock itself
 * when it returns VM_FAULT_RETRY (since 4089eef0e6ac, v6.6) or
 * VM_FAULT_COMPLETED, so every arch fault handler reads
 *
 *	fault = handle_mm_fault(vma, address, flags | FAULT_FLAG_VMA_LOCK, regs);
 *	if (!(fault & (VM_FAULT_RETRY | VM_FAULT_COMPLETED)))
 *		vma_end_read(vma);
 *
 * The diff is the witness: the pre-image guarded vma_end_read() with a test
 * of those bits, and the post-image reaches it without a test of all of
 * them.  Code from before v6.6 released the lock unconditionally, rightly
 * for its time, so an added unguarded release alone is not reported.
 */
import type { CallFact, FlowItem } from '../../c/facts.js';
import type { Finding } from '../../findings.js';
import { SRC } from '../../model/index.js';
import type { SourcePos } from '../../types.js';
import { argOf, functionChanges } from '../removed.js';
import type { RuleInfo, SeriesContext } from '../types.js';
import { sourcesOf, step } from './common.js';

const FAULT_BITS = ['VM_FAULT_RETRY', 'VM_FAULT_COMPLETED'] as const;
const MAX_DEPTH = 64;

/** The fault-result bits a condition tests. */
function bitsOf(condition: string): Set<string> {
  return new Set(FAULT_BITS.filter((b) => condition.includes(b)));
}

interface Guarded { call: CallFact; guards: { pos: SourcePos; bits: Set<string> }[] }

/** Every vma_end_read() of the flow, with the fault-bit tests of the `if`s around it. */
function releases(items: readonly FlowItem[], guards: Guarded['guards'], out: Guarded[], depth = 0): Guarded[] {
  if (depth > MAX_DEPTH) return out;
  for (const it of items) {
    if (it.kind === 'call' && it.call.name === 'vma_end_read') out.push({ call: it.call, guards });
    else if (it.kind === 'if') {
      const bits = bitsOf(it.condition);
      const inner = bits.size ? [...guards, { pos: it.pos, bits }] : guards;
      releases(it.then, inner, out, depth + 1);
      if (it.else) releases(it.else, inner, out, depth + 1);
      // `if (fault & (VM_FAULT_RETRY | ...)) goto out;`: what follows runs only without those bits.
      if (bits.size && leaves(it.then)) guards = inner;
    } else if (it.kind === 'loop') releases(it.body, guards, out, depth + 1);
  }
  return out;
}

/** A branch that ends by leaving the block (return, goto, break, continue). */
function leaves(items: readonly FlowItem[]): boolean {
  const last = items[items.length - 1];
  return !!last && (last.kind === 'return' || last.kind === 'goto' || last.kind === 'break' || last.kind === 'continue');
}

export function releasesAfterFaultRetry(ctx: SeriesContext, rule: RuleInfo): Finding[] {
  const out: Finding[] = [];
  // The removed line may be a bare `if`, with no call: every function that calls handle_mm_fault().
  for (const { patch, pre, post } of functionChanges(ctx.patches, (f) => f.calls.some((c) => c.name === 'handle_mm_fault'))) {
    if (!post) continue;
    const fault = post.calls.find((c) => c.name === 'handle_mm_fault');
    if (!fault) continue;
    // The pre-image's guard of a release, on a line this patch removes.
    const removedGuards = releases(pre.flow, [], []).flatMap((r) => r.guards.filter((g) => ctx.changeAt(patch, g.pos) === '-').map((g) => ({ release: r.call, guard: g })));
    for (const { release, guard } of removedGuards) {
      const vma = argOf(release, 0);
      for (const r of releases(post.flow, [], [])) {
        if (argOf(r.call, 0) !== vma || r.call.pos.line < fault.pos.line) continue;
        const tested = new Set(r.guards.flatMap((g) => [...g.bits]));
        const untested = [...guard.bits].filter((b) => !tested.has(b));
        if (!untested.length) continue;
        out.push(ctx.finding(rule, patch, r.call.pos,
          `vma_end_read(${vma}) now runs when handle_mm_fault() returned ${untested.join(' or ')}, but then handle_mm_fault() has already released the VMA lock (FAULT_FLAG_VMA_LOCK): this releases it twice.  ${tested.size ? `This patch drops ${untested.join(' and ')} from the test at line ${guard.pos.line}` : `This patch removes the test of ${[...guard.bits].join(' | ')} at line ${guard.pos.line}`}.`,
          { path: [step(fault.pos, 'handle_mm_fault() may release the VMA lock'), step(guard.pos, 'the test of the fault result is removed'), step(r.call.pos, 'vma_end_read() releases it again')],
            sources: sourcesOf([SRC.SHEET_2_9, SRC.L612_MEMORY], rule.source) }));
        break;
      }
    }
  }
  return out;
}
