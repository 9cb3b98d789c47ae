/**
 * Context beyond the hunk: the lock state where a hunk's code starts.
 *
 * A whole function (from a kernel tree, or mined into the built-in
 * contracts) is walked by flow.ts like any other; the lock state before
 * each of its calls is kept, keyed by the call's text (callKey()).  A hunk
 * of the same function finds its place by its first context call whose key
 * is there, and starts from the locks held before it.  When none of the
 * hunk's calls is found (the function moved on since), the state held over
 * most of the function is used, and the step says so.
 *
 * The same walk gives the function's effects for its callers: asserted at
 * entry, acquired or released on every exit (or on some), may sleep.
 */
import type { CallFact, FunctionFacts } from '../c/facts.js';
import { callKey, type FunctionContract, type MinedEffects, type MinedHeld } from '../model/contracts.js';
import type { HelperSpec, LockUse, Model } from '../model/index.js';
import { analyzeFunction, type AnalyzeEnv, type Held } from './flow.js';

/** Functions with more calls than this keep no per-call states (bounded data). */
const MAX_KEYED_CALLS = 400;

const heldKey = (h: { lock: string; instance: string | null; mode: string }) => `${h.lock}/${h.instance}/${h.mode}`;

function addUse(list: LockUse[], lock: LockUse['lock'], mode: LockUse['mode']): void {
  const same = list.find((u) => u.lock === lock);
  if (!same) list.push({ lock, mode });
  else if (mode === 'write' && same.mode !== 'write') same.mode = 'write';
}

/**
 * flow.ts records the state before calls it has a spec for.  To key every
 * call, an unknown callee is given a spec with no lock effect, unless its
 * name reads like an unlock (then it stays unknown, and a lock passed to it
 * becomes uncertain, as in a patch).
 */
class EveryCall extends Map<string, HelperSpec> {
  constructor(private readonly inner: Map<string, HelperSpec> | undefined) {
    super();
  }
  override get(name: string): HelperSpec | undefined {
    const known = this.inner?.get(name);
    if (known || /unlock|release|drop|_put$|^put_|_end$/.test(name)) return known;
    return { name, kind: 'other', source: [] };
  }
  override has(name: string): boolean {
    return this.get(name) !== undefined;
  }
}

/** Walks a whole function and records its contract; `fileLine` maps an input line to the kernel file's line. */
export function mineFunction(fn: FunctionFacts, env: AnalyzeEnv, file: string, fileLine: (line: number) => number): FunctionContract {
  const a = analyzeFunction(fn, { ...env, contracts: new EveryCall(env.contracts) });
  const model: Model = env.model;
  const before = new Map<CallFact, Held[][]>();
  const effects: MinedEffects = { asserts: [], acquires: [], condAcquires: [], releases: [], condReleases: [], maySleep: false };
  const released: LockUse[] = [];
  for (const e of a.events) {
    if (e.kind === 'call') {
      const list = before.get(e.call) ?? [];
      list.push(e.before.held.filter((h) => !h.uncertain) as Held[]);
      before.set(e.call, list);
      const spec = e.spec;
      if (spec) {
        const tookAny = e.before.held.some((h) => h.origin === 'acquired');
        if (spec.kind === 'assert' && !spec.anyOf && !tookAny) for (const u of spec.asserts ?? []) if (u.lock !== 'rcu') addUse(effects.asserts, u.lock, u.mode);
        if (spec.maySleep || (spec.acquires ?? []).some((u) => model.locks.get(u.lock)?.sleeps && (spec.success ?? 'always') === 'always')) effects.maySleep = true;
      }
    }
    if (e.kind === 'release-unheld' && e.gone === null && !e.spec.anyOf && e.use.lock !== 'rcu' && !e.use.all) addUse(released, e.use.lock, e.use.mode);
  }
  const exits = a.events.filter((e) => e.kind === 'exit');
  const exitStates = exits.map((e) => (e.kind === 'exit' ? e.state : null)!);
  // Net effects: on every exit, or on some.
  const seen = new Map<string, { use: LockUse; count: number }>();
  for (const s of exitStates) {
    const once = new Set<string>();
    for (const h of s.held) {
      if (h.origin !== 'acquired' || h.uncertain || h.lock === 'rcu' || h.lock === 'vma_lock') continue;
      const k = `${h.lock}/${h.mode}`;
      if (once.has(k)) continue;
      once.add(k);
      const x = seen.get(k) ?? { use: { lock: h.lock, mode: h.mode }, count: 0 };
      x.count++;
      seen.set(k, x);
    }
  }
  for (const { use, count } of seen.values()) addUse(count === exitStates.length && count > 0 ? effects.acquires : effects.condAcquires, use.lock, use.mode);
  for (const u of released) {
    const everywhere = exitStates.length > 0 && exitStates.every((s) => s.gone.some((g) => g.lock === u.lock && g.how === 'released') && !s.held.some((h) => h.lock === u.lock));
    addUse(everywhere ? effects.releases : effects.condReleases, u.lock, u.mode);
  }

  // Per-call states: the locks held on every path that reaches the call.
  const states: MinedHeld[][] = [];
  const stateIndex = new Map<string, number>();
  const intern = (held: MinedHeld[]): number => {
    const k = held.map((h) => `${heldKey(h)}/${h.helper}/${h.line}/${h.origin}`).join(',');
    let i = stateIndex.get(k);
    if (i === undefined) {
      i = states.length;
      states.push(held);
      stateIndex.set(k, i);
    }
    return i;
  };
  intern([]);
  const keys = new Map<string, number[]>();
  const tally = new Map<string, { h: MinedHeld; n: number }>();
  let keyed = 0;
  for (const call of fn.calls) {
    const paths = before.get(call);
    if (!paths || paths.length === 0) continue;
    const common = paths[0]!.filter((h) => paths.every((p) => p.some((x) => heldKey(x) === heldKey(h))));
    const held: MinedHeld[] = common.map((h) => ({
      lock: h.lock, mode: h.mode, instance: h.instance, helper: h.helper, line: fileLine(h.step.line), origin: h.origin,
    }));
    for (const h of held) {
      const t = tally.get(heldKey(h)) ?? { h, n: 0 };
      t.n++;
      tally.set(heldKey(h), t);
    }
    keyed++;
    if (keyed > MAX_KEYED_CALLS) continue;
    const k = callKey(call.name, call.args);
    const list = keys.get(k) ?? [];
    list.push(intern(held));
    keys.set(k, list);
  }
  const bodyHeld = [...tally.values()].filter((t) => keyed >= 4 && t.n * 2 > keyed).map((t) => t.h);
  const body = bodyHeld.length ? intern(bodyHeld) : -1;
  const anyHeld = states.length > 1;
  return {
    name: fn.name,
    file,
    line: fileLine(fn.pos.line),
    effects,
    states: anyHeld ? states : [],
    keys: anyHeld ? keys : new Map(),
    body: anyHeld ? body : -1,
  };
}

export interface Entry {
  held: Held[];
  /** `tree-function`, `contract:linux-6.12`. */
  context: string;
}

/**
 * The lock state where `fn` (a hunk's function, its start not shown) begins,
 * from the whole function `c`.  `where` names the source in steps
 * ("linux-6.12 contract", "the tree").  Undefined when `c` says nothing held.
 */
export function entryFrom(fn: FunctionFacts, c: FunctionContract, context: string, where: string, exclude?: ReadonlySet<string>): Entry | undefined {
  if (c.states.length === 0) return undefined;
  let state: MinedHeld[] | null = null;
  let how = '';
  for (const call of fn.calls) {
    if (call.change !== ' ') continue;
    const idx = c.keys.get(callKey(call.name, call.args));
    if (!idx) continue;
    // A call that occurs more than once: what is held before every occurrence.
    const lists = idx.map((i) => c.states[i] ?? []);
    state = lists[0]!.filter((h) => lists.every((l) => l.some((x) => heldKey(x) === heldKey(h))));
    how = `before ${call.name}()`;
    break;
  }
  if (state === null) {
    if (c.body < 0) return undefined;
    state = c.states[c.body] ?? [];
    how = `over most of ${c.name}(); the hunk's calls are not in this version`;
  }
  // An assertion's "read or write" says too little to judge a hunk by (LOCK-ASSERT-MISMATCH would take it as the function's own).
  state = state.filter((h) => !(h.origin === 'asserted' && h.mode === 'any') && !exclude?.has(h.lock));
  if (state.length === 0) return undefined;
  const held: Held[] = state.map((h) => ({
    lock: h.lock,
    mode: h.mode,
    instance: h.instance,
    // Taken above the hunk: a statement about code not shown, kept across gaps between hunks.
    origin: 'asserted',
    helper: h.helper,
    change: ' ',
    step: {
      file: fn.pos.file, line: fn.pos.line, column: fn.pos.column,
      what: `${h.helper}() at ${c.file}:${h.line} (${where}), held ${how}`,
    },
  }));
  return { held, context };
}

/**
 * Lock classes the patch's own lines are about in `fn`: taken, dropped,
 * asserted or needed by an added call, or needed by an added field write.
 * Contracts from another kernel version cannot vouch for them: that version
 * may hold the lock because it carries this very fix (f01: 6.12's dup_mmap()
 * write-locks each VMA in the loop the reversed fix removes it from).
 */
export function patchedClasses(fn: FunctionFacts, model: Model, spec: (name: string) => HelperSpec | undefined): Set<string> {
  const out = new Set<string>();
  for (const c of fn.calls) {
    if (c.change !== '+') continue;
    const s = spec(c.name);
    for (const u of [...(s?.acquires ?? []), ...(s?.releases ?? []), ...(s?.asserts ?? []), ...(s?.requires ?? [])]) out.add(u.lock);
  }
  for (const a of fn.assigns) {
    if (a.change !== '+' || a.field === null) continue;
    for (const u of model.fields.get(a.field)?.writeRequires ?? []) out.add(u.lock);
  }
  // A VMA write lock stands for the mmap write lock too.
  if (out.has('vma_lock')) out.add('mmap_lock');
  return out;
}
