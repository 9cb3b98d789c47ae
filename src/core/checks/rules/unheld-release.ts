/**
 * Part of LOCK-UNBALANCED (called from lock-unbalanced.ts): an added call
 * releases a lock that is not held where the hunk's code runs.
 *
 * A hunk alone cannot say this: the code above it may hold the lock.  It is
 * said only when that code is known: the hunk's function was located in the
 * reviewer's kernel tree (`tree-function`), and its lock state at the hunk
 * does not hold the lock.  The release must be sure:
 * a model helper, or a callee that drops the lock on every path (flow.ts
 * gives no event for summaries or helpers that drop it only sometimes).
 */
import type { FunctionFacts } from '../../c/facts.js';
import type { Finding } from '../../findings.js';
import type { FlowEvent } from '../flow.js';
import type { PatchInput, RuleInfo, SeriesContext } from '../types.js';
import { lockName, sourcesOf, step } from './common.js';

type Release = Extract<FlowEvent, { kind: 'release-unheld' }>;

export function unheldRelease(ctx: SeriesContext, rule: RuleInfo, fn: FunctionFacts, patch: PatchInput, e: Release): Finding | null {
  if (e.gone !== null || fn.hasStart || e.call.change !== '+') return null;
  if (ctx.model.locks.get(e.use.lock)?.balanced !== true || e.use.all) return null;
  // Only the reviewer's own tree, where the function was located: built-in
  // contracts come from another kernel version (f29's fix in 6.12 reads
  // differently from the code it was written against).
  const context = ctx.contextOf(fn);
  if (context !== 'tree-function') return null;
  // Something of the same class is held (another instance, or uncertain): not sure enough.
  if (e.state.held.some((h) => h.lock === e.use.lock)) return null;
  const held = e.state.held.filter((h) => !h.uncertain).map((h) => `${lockName(h.lock, h.mode === 'any' ? undefined : h.mode)} (${h.helper}())`);
  const where = `${fn.name}() in the kernel tree`;
  return ctx.finding(rule, patch, e.call.pos,
    `${e.call.name}() releases ${lockName(e.use.lock)}, which is not held here: as ${where} reads, this path holds ${held.length ? held.join(', ') : 'no lock'}.`,
    { path: [...e.state.held.filter((h) => !h.uncertain).map((h) => h.step), step(e.call.pos, `${e.call.name}() releases ${e.use.lock}`)],
      sources: sourcesOf(e.spec.source, rule.source) });
}
