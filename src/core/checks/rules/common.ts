/** Small helpers the rules share: naming locks, matching instances, "does this touch the patch". */
import type { FunctionFacts } from '../../c/facts.js';
import type { PathStep, SourceRef } from '../../findings.js';
import type { HelperSpec, LockClass, LockMode, Model } from '../../model/index.js';
import type { SourcePos } from '../../types.js';
import type { Held } from '../flow.js';
import type { PatchInput, SeriesContext } from '../types.js';

export function lockName(lock: LockClass, mode?: LockMode | 'any'): string {
  const title: Partial<Record<LockClass, string>> = {
    vma_lock: 'the VMA lock', mmap_lock: 'mmap_lock', i_mmap: 'i_mmap_rwsem', anon_vma: 'the anon_vma lock',
    pte_ptl: 'the PTE ptl', pmd_ptl: 'the PMD ptl', page_table_lock: 'page_table_lock', spinlock: 'a spinlock', rcu: 'the RCU read lock',
    i_rwsem: 'i_rwsem', invalidate_lock: 'invalidate_lock', folio_lock: 'the folio lock',
  };
  const name = title[lock] ?? lock;
  return mode && mode !== 'any' ? `${name} (${mode})` : name;
}

/** Instances match when equal, or when either side names only the class. mmap_lock is matched by class. */
export function sameInstance(lock: LockClass, a: string | null, b: string | null): boolean {
  return lock === 'mmap_lock' || a === null || b === null || a === b;
}

/** Whether a fact is on a `+` line: from the fact itself, else from the diff line index. */
export function added(ctx: SeriesContext, patch: PatchInput, pos: SourcePos, change?: '+' | '-' | ' '): boolean {
  if (change !== undefined) return change === '+';
  return ctx.changeAt(patch, pos) === '+';
}

export function step(pos: SourcePos, what: string): PathStep {
  return { file: pos.file, line: pos.line, column: pos.column, what };
}

/** Sources of the model entries a finding relied on, without duplicates. */
export function sourcesOf(...groups: (SourceRef[] | undefined)[]): SourceRef[] {
  const out: SourceRef[] = [];
  const seen = new Set<string>();
  for (const g of groups) {
    for (const s of g ?? []) {
      const k = `${s.file}|${s.kernel ?? ''}|${s.note ?? ''}`;
      if (!seen.has(k)) {
        seen.add(k);
        out.push(s);
      }
    }
  }
  return out;
}

export function helperSource(model: Model, name: string, summaries?: Map<string, HelperSpec>): SourceRef[] {
  return model.helpers.get(name)?.source ?? summaries?.get(name)?.source ?? [];
}

export function certainAcquired(h: Held): boolean {
  return h.origin === 'acquired' && !h.uncertain;
}

/** Why a fragment is weaker evidence than a whole function. */
export function fragmentNote(fn: FunctionFacts): string | undefined {
  return fn.hasStart ? undefined : `only a fragment of ${fn.name}() is in the patch (no function start)`;
}

/** Lowers a severity one step (error -> warning -> info). */
export function lower(sev: 'error' | 'warning' | 'info'): 'error' | 'warning' | 'info' {
  return sev === 'error' ? 'warning' : 'info';
}

/** `On the path where pte_offset_map_lock() succeeded, ` for a lock held only until its result is tested. */
export function onSuccessPath(h: Held): string {
  return h.step.what.endsWith('(on the path where it succeeded)') ? `On the path where ${h.helper}() succeeded, ` : '';
}
