/**
 * What a patch takes away.  A reviewer reads the `-` lines as carefully as
 * the `+` lines: a fix that is reverted, or a refactor that forgets a piece,
 * shows up as a lock, an assertion or a result check that the pre-image had
 * and the post-image no longer has.  This module pairs each function's
 * pre-image with its post-image so that rules can ask "what did this
 * function lose?" without re-reading the diff.
 */
import type { CallFact, FunctionFacts } from '../c/facts.js';
import { normInstance } from './flow.js';
import type { PatchInput } from './types.js';

export interface FunctionChange {
  patch: PatchInput;
  /** The function as it was (its `-` and context lines). */
  pre: FunctionFacts;
  /** The function as the patch leaves it; undefined when the patch deletes it. */
  post: FunctionFacts | undefined;
}

const removesACall = (pre: FunctionFacts): boolean => pre.calls.some((c) => c.change === '-');

/**
 * Pre-image functions with at least one removed call (or that `keep`
 * selects: a removed `if` has no call), each with its post-image twin.
 */
export function functionChanges(patches: readonly PatchInput[], keep: (pre: FunctionFacts) => boolean = removesACall): FunctionChange[] {
  const out: FunctionChange[] = [];
  for (const patch of patches) {
    const posts = new Map<string, FunctionFacts>();
    for (const fn of patch.facts.functions) {
      if (fn.image === 'post') posts.set(`${fn.path}\0${fn.name}`, fn);
    }
    for (const pre of patch.facts.functions) {
      if (pre.image !== 'pre' || !keep(pre)) continue;
      const post = posts.get(`${pre.path}\0${pre.name}`);
      out.push({ patch, pre, post: post && !post.removed ? post : undefined });
    }
  }
  return out;
}

/** The pre-image of a post-image function: the same function as the patch found it. */
export function preImageOf(patch: PatchInput, fn: FunctionFacts): FunctionFacts | undefined {
  return patch.facts.functions.find((f) => f.image === 'pre' && f.name === fn.name && f.path === fn.path);
}

/** The call's argument `index`, normalised (`&vma->vm_mm->mmap_lock` -> `vma->vm_mm->mmap_lock`). */
export function argOf(call: CallFact, index: number): string {
  return normInstance(call.args[index] ?? '');
}

/** Calls of any of `names` in the patch's added lines, anywhere in the series (a lock moved elsewhere). */
export function addedCallsOf(patches: readonly PatchInput[], names: ReadonlySet<string>): CallFact[] {
  const out: CallFact[] = [];
  for (const patch of patches) {
    for (const fn of patch.facts.functions) {
      if (fn.image !== 'post') continue;
      for (const c of fn.calls) if (c.change === '+' && names.has(c.name)) out.push(c);
    }
  }
  return out;
}
