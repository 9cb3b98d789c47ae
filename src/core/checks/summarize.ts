/**
 * Helpers a series introduces, summarized from their own bodies, so that
 * their callers are checked as if the model had listed them:
 *
 *   - an assertion made before the function takes any lock states what its
 *     callers must hold (a new function that starts with
 *     vma_assert_write_locked() requires the VMA write lock);
 *   - a model helper's requirement the function does not satisfy itself is
 *     passed on to its callers;
 *   - a lock held at every exit is acquired; a lock dropped that the function
 *     never took is released.
 *
 * Built-in model helpers are never replaced: a series that edits
 * vma_start_write() itself is checked against the model, not against itself.
 */
import type { FunctionFacts } from '../c/facts.js';
import type { HelperSpec, LockUse, Model } from '../model/index.js';
import type { SourcePos } from '../types.js';
import { analyzeFunction, type FunctionAnalysis } from './flow.js';

/** Where each function's hunks are (see AnalyzeEnv.hunkOf). */
export type HunkOf = (fn: FunctionFacts) => ((pos: SourcePos) => number | undefined) | undefined;

function addUse(list: LockUse[], use: LockUse): void {
  const same = list.find((u) => u.lock === use.lock);
  if (!same) list.push({ lock: use.lock, mode: use.mode });
  else if (use.mode === 'write') same.mode = 'write';
}

export function summarizeFunction(
  fn: FunctionFacts, model: Model, summaries: Map<string, HelperSpec>,
  hunkOf?: (pos: SourcePos) => number | undefined, analyses?: Map<FunctionFacts, FunctionAnalysis>,
): HelperSpec | null {
  if (!fn.hasStart || fn.removed || fn.image !== 'post') return null;
  const a = analyzeFunction(fn, { model, summaries, ...(hunkOf ? { hunkOf } : {}) });
  analyses?.set(fn, a);
  const requires: LockUse[] = [];
  const acquires: LockUse[] = [];
  const releases: LockUse[] = [];
  for (const e of a.events) {
    if (e.kind === 'call' && e.spec) {
      const tookAny = e.before.held.some((h) => h.origin === 'acquired');
      if (e.spec.kind === 'assert' && !e.spec.anyOf && !tookAny) for (const u of e.spec.asserts ?? []) addUse(requires, u);
      if (e.spec.requires && !e.spec.anyOf) {
        for (const u of e.spec.requires) {
          if (u.lock === 'rcu') continue;
          if (!e.before.held.some((h) => h.lock === u.lock)) addUse(requires, u);
        }
      }
    }
    if (e.kind === 'release-unheld' && e.gone === null && !e.spec.anyOf && e.use.lock !== 'rcu') addUse(releases, e.use);
  }
  const exits = a.events.filter((e) => e.kind === 'exit' && (!e.implicit || fn.added));
  if (exits.length > 0) {
    const first = exits[0];
    if (first.kind === 'exit') {
      for (const h of first.state.held) {
        if (h.origin !== 'acquired' || h.uncertain || h.lock === 'rcu' || h.lock === 'vma_lock') continue;
        const everywhere = exits.every((x) => x.kind === 'exit' && x.state.held.some((k) => k.origin === 'acquired' && k.lock === h.lock));
        if (everywhere) addUse(acquires, { lock: h.lock, mode: h.mode });
      }
    }
  }
  const hasEffect = requires.length + acquires.length + releases.length > 0;
  if (!hasEffect && !fn.added) return null;
  const kind: HelperSpec['kind'] = acquires.length > 0 ? 'acquire' : releases.length > 0 ? 'release' : 'other';
  return {
    name: fn.name,
    kind,
    ...(requires.length ? { requires } : {}),
    ...(acquires.length ? { acquires } : {}),
    ...(releases.length ? { releases } : {}),
    summary: true,
    note: 'summarized from its body in this series',
    source: [{ file: fn.path, note: `summarized from ${fn.name}() as the series defines it (input line ${fn.pos.line})` }],
  };
}

/** Summaries of every new or changed function of the series (two rounds, so helpers calling helpers settle). */
export function summarizeSeries(
  functions: FunctionFacts[], model: Model, hunkOf: HunkOf = () => undefined,
): { summaries: Map<string, HelperSpec>; analyses: Map<FunctionFacts, FunctionAnalysis> } {
  const analyses = new Map<FunctionFacts, FunctionAnalysis>();
  const defined = new Set(functions.filter((f) => f.hasStart && f.image === 'post').map((f) => f.name));
  // A summary is worth making only for a function the series calls, and only one that calls a
  // model helper or another function of the series can have a lock effect.
  const called = new Set<string>();
  for (const f of functions) if (f.image === 'post') for (const c of f.calls) if (c.name !== f.name) called.add(c.name);
  const candidates = functions.filter((fn) => fn.hasStart && fn.image === 'post' && !fn.removed && !model.helpers.has(fn.name) &&
    called.has(fn.name) && fn.calls.some((c) => model.helpers.has(c.name) || (defined.has(c.name) && c.name !== fn.name)));
  const neutral = (fn: FunctionFacts): HelperSpec => ({
    name: fn.name, kind: 'other', summary: true, note: 'summarized from its body in this series: no lock effect',
    source: [{ file: fn.path, note: `summarized from ${fn.name}() as the series defines it (input line ${fn.pos.line})` }],
  });
  let summaries = new Map<string, HelperSpec>();
  const isCandidate = new Set(candidates);
  for (const fn of functions) {
    if (fn.added && fn.image === 'post' && called.has(fn.name) && !model.helpers.has(fn.name) && !isCandidate.has(fn)) summaries.set(fn.name, neutral(fn));
  }
  // Two rounds, so that a helper calling a helper of the series settles; the second only when it can change anything.
  for (let round = 0; round < 2; round++) {
    const next = new Map(summaries);
    let changed = false;
    for (const fn of candidates) {
      if (round === 1 && !fn.calls.some((c) => summaries.has(c.name) && c.name !== fn.name)) continue;
      const s = summarizeFunction(fn, model, summaries, hunkOf(fn), analyses);
      if (s) next.set(fn.name, s);
      else next.delete(fn.name);
      changed = true;
    }
    summaries = next;
    if (!changed) break;
  }
  // An analysis made before the final summaries is still right if the function calls none of them.
  for (const [fn] of analyses) if (fn.calls.some((c) => summaries.has(c.name) && c.name !== fn.name)) analyses.delete(fn);
  return { summaries, analyses };
}
