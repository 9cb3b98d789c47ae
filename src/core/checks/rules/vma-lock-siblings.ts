/**
 * Part of LOCK-REQUIRES (called from lock-requires.ts): a VMA handed on
 * unlocked where the patch write-locks every other VMA it hands on the same
 * way.
 *
 * Since c9d6e982c3f8 ("mm: move vma locking out of vma_prepare and
 * dup_anon_vma") the merge and split code write-locks each VMA right where
 * it picks it for a role: `vma_start_write(curr); remove = curr;`, or
 * `vma_start_write(curr); err = dup_anon_vma(prev, curr);`.  Where the
 * role's consumer (vma_prepare() through init_multi_vma_prep()) is outside
 * the hunk, the patch's own pattern is the witness: when at least two other
 * places store into the same variable, or pass as the same argument of the
 * same function, a VMA this patch write-locked just before, one that stores
 * or passes a VMA this path never write-locked is the missing lock.
 */
import type { AssignFact, CallFact } from '../../c/facts.js';
import type { Finding } from '../../findings.js';
import type { SourcePos } from '../../types.js';
import { normInstance, type FunctionAnalysis, type Held, type LockState } from '../flow.js';
import type { PatchInput, RuleInfo, SeriesContext } from '../types.js';
import { sourcesOf, step } from './common.js';
import { SRC } from '../../model/index.js';

/** How far above the hand-off the patch's vma_start_write() may be to count as made for it. */
const NEAR = 4;
/** Other hand-offs that must show the pattern. */
const MIN_SIBLINGS = 2;

interface HandOff {
  /** `=remove` (stored into a variable of one function) or `dup_anon_vma#1` (an argument, across the patch). */
  key: string;
  vma: string;
  pos: SourcePos;
  what: string;
  states: LockState[];
  analysis: FunctionAnalysis;
}

const IDENT = /^[A-Za-z_]\w*$/;

/** The latest write lock of `vma` taken at or above `line` on this path. */
function writeLockOf(s: LockState, vma: string, line: number): Held | undefined {
  let best: Held | undefined;
  for (const h of s.held) {
    if (h.lock === 'vma_lock' && h.mode === 'write' && h.instance === vma && h.step.line <= line && (!best || h.step.line > best.step.line)) best = h;
  }
  return best;
}

/** The patch write-locked `vma` just above the hand-off, on every path that reaches it. */
function lockedForIt(h: HandOff): Held | undefined {
  let first: Held | undefined;
  for (const s of h.states) {
    const w = writeLockOf(s, h.vma, h.pos.line);
    if (!w || w.change !== '+' || w.origin !== 'acquired' || w.step.line > h.pos.line || h.pos.line - w.step.line > NEAR) return undefined;
    first ??= w;
  }
  return first;
}

/** Some path reaches the hand-off with no VMA write lock of `vma` and nothing that may stand for one. */
function unlockedPath(h: HandOff): boolean {
  if (h.analysis.freshVmas.has(h.vma)) return false;
  return h.states.some((s) => !s.held.some((x) => x.lock === 'vma_lock' && (x.instance === h.vma || x.instance === null || x.uncertain)));
}

export function unlockedLikeSiblings(ctx: SeriesContext, rule: RuleInfo): Finding[] {
  const out: Finding[] = [];
  const byPatch = new Map<PatchInput, HandOff[]>();
  for (const { fn, patch } of ctx.functions()) {
    if (fn.image !== 'post') continue;
    const a = ctx.analysis(fn);
    const here = new Map<string, HandOff>();
    const add = (key: string, vma: string, pos: SourcePos, what: string, s: LockState) => {
      if (!IDENT.test(vma) || vma === 'NULL') return;
      const k = `${key}@${pos.line}`;
      const h = here.get(k) ?? { key, vma, pos, what, states: [], analysis: a };
      h.states.push(s);
      here.set(k, h);
    };
    for (const e of a.events) {
      if (e.kind === 'assign' && e.assign.field === null) {
        const x: AssignFact = e.assign;
        add(`${fn.name}:=${x.target.trim()}`, x.value.trim(), x.pos, `${x.target.trim()} = ${x.value.trim()}`, e.state);
      } else if (e.kind === 'call' && e.spec && !e.spec.acquires && !e.spec.releases && e.spec.kind !== 'assert') {
        const c: CallFact = e.call;
        c.args.forEach((arg, i) => add(`${c.name}#${i}`, normInstance(arg), c.pos, `${c.name}(${c.args.join(', ')})`, e.before));
      }
    }
    byPatch.set(patch, [...(byPatch.get(patch) ?? []), ...here.values()]);
  }
  for (const [patch, handOffs] of byPatch) {
    const byKey = new Map<string, HandOff[]>();
    for (const h of handOffs) byKey.set(h.key, [...(byKey.get(h.key) ?? []), h]);
    for (const group of byKey.values()) {
      if (group.length < MIN_SIBLINGS + 1) continue;
      const locked = group.map((h) => ({ h, w: lockedForIt(h) })).filter((x) => x.w !== undefined);
      for (const h of group) {
        if (locked.some((x) => x.h === h) || !unlockedPath(h)) continue;
        // A function that write-locks no VMA itself may leave it to its callers, which the hunk does not show.
        if (!h.analysis.fn.calls.some((c) => c.change === '+' && /^vma_start_write(_killable)?$/.test(c.name))) continue;
        const others = locked.filter((x) => x.h.pos.line !== h.pos.line);
        // Every other hand-off follows the pattern, and enough of them do.
        if (others.length < MIN_SIBLINGS || others.length < group.length - 1) continue;
        const ex = others[0]!;
        out.push(ctx.finding(rule, patch, h.pos,
          `${h.what} hands on ${h.vma}, but this path never calls vma_start_write(${h.vma}), while this patch write-locks the VMA right before each of the other ${others.length} such hand-offs (vma_start_write(${ex.h.vma}) at line ${ex.w!.step.line} before ${ex.h.what} at line ${ex.h.pos.line}).`,
          { severity: 'warning', path: [ex.w!.step, step(ex.h.pos, ex.h.what), step(h.pos, `${h.vma} handed on unlocked`)],
            sources: sourcesOf(ctx.model.helpers.get('vma_start_write')?.source, [SRC.SHEET_6]) }));
      }
    }
  }
  return out;
}
