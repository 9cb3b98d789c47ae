/**
 * Lock states along the paths of one function.
 *
 * A small abstract interpreter over the control-flow shape of
 * src/core/c/facts.ts: it walks calls, ifs, loops, returns and gotos, keeps
 * the set of locks held on each path (what this function took, and what its
 * assertions say the caller holds), and records what each rule needs to see:
 * the lock state before every call, at every field write and at every exit.
 *
 * Bounded: at most MAX_STATES path states per program point (extra paths are
 * dropped and the analysis says so), every loop body is walked once, backward
 * gotos end their path.
 */
import type { AssignFact, CallFact, FlowItem, FunctionFacts } from '../c/facts.js';
import type { PathStep } from '../findings.js';
import type { HelperSpec, LockClass, LockMode, LockUse, Model } from '../model/index.js';
import type { SourcePos } from '../types.js';

export const MAX_STATES = 8;

export interface Held {
  lock: LockClass;
  mode: LockMode | 'any';
  /** Argument text naming the instance (`vma`, `ptl`), or null when only the class is known. */
  instance: string | null;
  /** Taken by this function, or stated by an assertion (held by the caller). */
  origin: 'acquired' | 'asserted';
  helper: string;
  step: PathStep;
  change: '+' | '-' | ' ';
  /** Why this entry may be wrong (unresolved trylock, passed to an unknown function...). */
  uncertain?: string;
}

/** A lock this function dropped on this path, or failed to take. */
export interface Gone {
  lock: LockClass;
  instance: string | null;
  how: 'released' | 'failed';
  helper: string;
  step: PathStep;
  change: '+' | '-' | ' ';
}

/** A conditional acquisition whose result sits in a variable not tested yet. */
interface Pending {
  variable: string;
  spec: HelperSpec;
  call: CallFact;
}

export interface LockState {
  held: readonly Held[];
  gone: readonly Gone[];
  pending: readonly Pending[];
  /**
   * Conditions decided on this path (`!pml`, `ptl!=pml`), so that a later
   * `if` on the same condition follows the same branch: kernel code often
   * locks under `if (!pml)` and unlocks under the same test.
   */
  known: readonly string[];
  /** The `goto` this path last took (to say where a lock left by it was carried off). */
  via?: SourcePos;
}

/**
 * A value from a lock helper that may fail (`pte = pte_offset_map_lock(...)`,
 * NULL when it failed) used by a call before any test of it.
 */
export interface UntestedUse {
  variable: string;
  /** The call that stored it. */
  acquiredBy: CallFact;
  helper: HelperSpec;
}

export type FlowEvent =
  | { kind: 'call'; call: CallFact; spec: HelperSpec | undefined; before: LockState; after: LockState; untested?: UntestedUse[] }
  | { kind: 'acquire'; call: CallFact; spec: HelperSpec; held: Held; before: LockState }
  | { kind: 'double-acquire'; call: CallFact; spec: HelperSpec; held: Held; state: LockState }
  /** A helper that takes (and drops) a lock this path already holds: stop_machine() under cpus_read_lock(). */
  | { kind: 'recursive'; call: CallFact; spec: HelperSpec; use: LockUse; held: Held; state: LockState }
  | { kind: 'release-unheld'; call: CallFact; spec: HelperSpec; use: LockUse; instance: string | null; gone: Gone | null; state: LockState }
  | { kind: 'assign'; assign: AssignFact; state: LockState }
  | { kind: 'exit'; pos: SourcePos; value: string | null; implicit: boolean; state: LockState }
  | { kind: 'goto'; pos: SourcePos; label: string; state: LockState }
  /**
   * A pointer that lives only under a lock used (handed to a call, read
   * through) after this path dropped it: a VMA found in the tree after
   * mmap_lock or its VMA lock was released, a page table after pte_unmap().
   */
  | { kind: 'use-after-unlock'; pointer: 'vma' | 'pte'; pos: SourcePos; variable: string; what: string; change: '+' | '-' | ' '; gone: Gone; state: LockState };

export interface FunctionAnalysis {
  fn: FunctionFacts;
  events: FlowEvent[];
  /** Paths were dropped to stay within MAX_STATES. */
  truncated: boolean;
  /** Variables assigned a freshly allocated VMA (vm_area_alloc/dup): not yet visible to others. */
  freshVmas: Set<string>;
  /**
   * Variables holding a VMA this function found in the tree (lookup or
   * iteration): attached, so visible to page faults under a per-VMA lock.
   * Value: where and how it was found.
   */
  attachedVmas: Map<string, PathStep>;
  /** Variables holding a mapped page table (pte_offset_map*()), and where. */
  mappedPtes?: Map<string, PathStep>;
  /**
   * Where this function changes the VMA tree (vma_prepare(), a tree store,
   * a split or merge helper): the VMAs it is handed are attached ones.
   */
  treeChange?: PathStep;
}

const EMPTY: LockState = { held: [], gone: [], pending: [], known: [] };

/** Calls that map a page table (include/linux/mm.h): the pointer is good until pte_unmap(). */
const MAPPED_PTE = /^\s*(pte_offset_map(?:_lock|_nolock|_rw_nolock|_ro_nolock)?)\s*\(/;
const PTE_UNMAP: ReadonlySet<string> = new Set(['pte_unmap', 'pte_unmap_unlock']);
const FRESH_VMA = /\b(vm_area_alloc|vm_area_dup|vma_copy|copy_vma)\s*\(/;
/** Calls that return a VMA found in the mm's tree (mm/vma.h, include/linux/mm.h). */
const VMA_LOOKUP = /^\s*(find_vma|find_vma_prev|find_vma_intersection|vma_lookup|vma_find|vma_next|vma_prev|vma_prev_limit|vma_iter_load|vma_iter_next_range|vma_iter_prev_range|vma_iter_next_rewind|find_extend_vma|lock_mm_and_find_vma|lock_vma_under_rcu|vma_merge_existing_range|vma_modify\w*)\s*\(/;
/** Helpers that change the VMA tree around the VMAs they are given (mm/vma.c). */
const TREE_CHANGERS: ReadonlySet<string> = new Set(['vma_prepare', 'vma_complete', 'commit_merge', 'vma_expand', 'vma_shrink', '__split_vma', 'split_vma',
  'vma_iter_store', 'vma_iter_store_gfp', 'vma_iter_store_new', 'vma_iter_store_overwrite', 'vma_iter_clear', 'vma_iter_clear_gfp']);
/** Loops over the VMAs of an mm: the loop variable is each attached VMA in turn. */
const VMA_ITERATION = /^(?:for_each_vma|for_each_vma_range)\s*\(\s*[^,]+,\s*(\w+)|^mas_for_each\s*\([^,]+,\s*(\w+)\s*,|^vma_interval_tree_foreach\s*\(\s*(\w+)\s*,/;
/** An instance that is a lock rather than the object owning one: `ptl`, `&mm->page_table_lock`, `&p->mutex`. */
const LOCKISH_INSTANCE = /(lock|ptl|sem|mutex|mtx|rwsem|_lk)$/i;
/** Calls that are a test of their argument, not a use: `if (likely(pte))`, `WARN_ON_ONCE(!pte)`. */
const TEST_WRAPPERS: ReadonlySet<string> = new Set(['likely', 'unlikely', 'WARN_ON', 'WARN_ON_ONCE', 'BUG_ON', 'VM_BUG_ON', 'VM_WARN_ON', 'VM_WARN_ON_ONCE', 'IS_ERR', 'IS_ERR_OR_NULL']);
const SPIN_FAMILY: ReadonlySet<LockClass> = new Set(['spinlock', 'pte_ptl', 'pmd_ptl', 'page_table_lock']);

/** `&vma->vm_mm->mmap_lock` -> `vma->vm_mm->mmap_lock`; spaces and casts dropped. */
export function normInstance(text: string): string {
  let t = text.replace(/\s+/g, '');
  for (let i = 0; i < 4; i++) {
    const before = t;
    t = t.replace(/^\((?:struct)?\w*\*?\)/, '');
    if (t.startsWith('&') || t.startsWith('*')) t = t.slice(1);
    if (t.startsWith('(') && t.endsWith(')')) t = t.slice(1, -1);
    if (t === before) break;
  }
  return t;
}

/** Records a dropped lock, keeping only the latest record per lock instance (bounded state). */
function pushGone(gone: Gone[], g: Gone): void {
  const i = gone.findIndex((x) => x.lock === g.lock && x.instance === g.instance);
  if (i >= 0) gone.splice(i, 1);
  gone.push(g);
}

function stepOf(pos: SourcePos, what: string): PathStep {
  return { file: pos.file, line: pos.line, column: pos.column, what };
}

const keys = new WeakMap<LockState, string>();

function stateKey(s: LockState): string {
  let k = keys.get(s);
  if (k === undefined) {
    k = computeKey(s);
    keys.set(s, k);
  }
  return k;
}

/**
 * Two paths are merged when they hold, dropped and await the same locks and
 * decided the same conditions; where on the path that happened does not
 * split them (the first path's lines are kept for messages).
 */
function computeKey(s: LockState): string {
  const h = s.held.map((x) => `${x.lock}/${x.mode}/${x.instance}/${x.origin}/${x.uncertain ? 1 : 0}`).join(',');
  const g = s.gone.map((x) => `${x.lock}/${x.instance}/${x.how}`).join(',');
  const p = s.pending.map((x) => `${x.variable}/${x.call.pos.line}`).join(',');
  return `${h}|${g}|${p}|${s.known.join(',')}`;
}

/** Strips `likely(...)`, `unlikely(...)` and outer parentheses, and all spaces. */
function normCondition(cond: string): string {
  let c = cond.replace(/\s+/g, '');
  for (let i = 0; i < 8; i++) {
    const before = c;
    const w = /^(?:likely|unlikely|WARN_ON_ONCE|WARN_ON)\((.*)\)$/.exec(c);
    if (w && balanced(w[1])) c = w[1];
    if (c.startsWith('(') && c.endsWith(')') && balanced(c.slice(1, -1))) c = c.slice(1, -1);
    if (c === before) break;
  }
  return c;
}

/** The negation of a normalized condition (`!x` <-> `x`). */
function negate(c: string): string {
  if (c.startsWith('!(') && c.endsWith(')') && balanced(c.slice(2, -1))) return c.slice(2, -1);
  if (c.startsWith('!') && !c.startsWith('!=') && /^!\w+$|^!\w+\(.*\)$/.test(c)) return c.slice(1);
  if (/^[\w>.\-]+!=[\w>.\-]+$/.test(c)) return c.replace('!=', '==');
  if (/^[\w>.\-]+==[\w>.\-]+$/.test(c)) return c.replace('==', '!=');
  return /^[\w>.\-]+$/.test(c) || /^\w+\(.*\)$/.test(c) ? `!${c}` : `!(${c})`;
}

const wordRes = new Map<string, RegExp>();
/** `name` as a whole word (not part of a longer identifier, not after `->` or `.` when `field` is false). */
function wordRe(name: string, afterMember = true): RegExp {
  const key = `${afterMember ? 1 : 0}${name}`;
  let re = wordRes.get(key);
  if (!re) {
    re = new RegExp(afterMember ? `(^|[^\\w])${escapeRe(name)}($|[^\\w])` : `(^|[^\\w>.])${escapeRe(name)}($|[^\\w])`);
    if (wordRes.size > 5000) wordRes.clear();
    wordRes.set(key, re);
  }
  return re;
}

/**
 * The most recent decided conditions, at most MAX_KNOWN: kernel code tests a
 * lock's condition again within a few lines (`if (!pml) spin_lock(ptl); ...
 * if (!pml) spin_unlock(ptl);`), and older decisions would only keep paths apart.
 */
const MAX_KNOWN = 4;
function learn(known: readonly string[], facts: readonly string[]): readonly string[] {
  const out = [...known.filter((k) => !facts.includes(k)), ...facts];
  return out.length > MAX_KNOWN ? out.slice(out.length - MAX_KNOWN) : out;
}

/** Drops decided conditions that mention `name` (it was just assigned). */
function forget(known: readonly string[], name: string): readonly string[] {
  if (known.length === 0) return known;
  const re = wordRe(name);
  const out = known.filter((k) => !re.test(k));
  return out.length === known.length ? known : out;
}

function balanced(s: string): boolean {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    if (ch === 40) depth++;
    else if (ch === 41 && --depth < 0) return false;
  }
  return depth === 0;
}

/** Top-level split on `&&` or `||` (only when one kind is used). */
function splitTop(c: string): { op: '&&' | '||' | null; terms: string[] } {
  const terms: string[] = [];
  let op: '&&' | '||' | null = null;
  let depth = 0;
  let start = 0;
  for (let i = 0; i < c.length - 1; i++) {
    const ch = c[i];
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (depth === 0 && (c.startsWith('&&', i) || c.startsWith('||', i))) {
      const o = c.slice(i, i + 2) as '&&' | '||';
      if (op !== null && op !== o) return { op: null, terms: [c] };
      op = o;
      terms.push(c.slice(start, i));
      start = i + 2;
      i++;
    }
  }
  terms.push(c.slice(start));
  return { op, terms };
}

/**
 * Whether `term` is true exactly when the tested value (the call's result or
 * the variable) is truthy (true), falsy (false), or neither is clear (null).
 */
function termTruthy(term: string, call: string | null, variable: string | null): boolean | null {
  const t = normCondition(term);
  const value = call !== null ? `${call}\\(.*\\)` : `${escapeRe(variable!)}`;
  const assigned = call !== null ? `\\(?\\w+=${call}\\(.*\\)\\)?` : null;
  const forms: [RegExp, boolean][] = [
    [new RegExp(`^${value}$`), true],
    [new RegExp(`^!${value}$`), false],
    [new RegExp(`^!\\(${value}\\)$`), false],
    [new RegExp(`^${value}(!=0|!=NULL|<0)$`), true],
    [new RegExp(`^${value}(==0|==NULL|>=0)$`), false],
    [new RegExp(`^(IS_ERR_OR_NULL|IS_ERR)\\(${value}\\)$`), false],
  ];
  if (assigned) forms.push([new RegExp(`^${assigned}$`), true], [new RegExp(`^!${assigned}$`), false]);
  for (const [re, v] of forms) if (re.test(t)) return v;
  return null;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const polarities = new Map<string, { then: boolean | null; else: boolean | null }>();
/** In which branch the tested value is truthy / falsy, or unknown (null). Memoized: conditions repeat. */
function polarity(cond: string, call: string | null, variable: string | null): { then: boolean | null; else: boolean | null } {
  const key = `${call ?? ''}\0${variable ?? ''}\0${cond}`;
  let p = polarities.get(key);
  if (!p) {
    p = computePolarity(cond, call, variable);
    if (polarities.size > 5000) polarities.clear();
    polarities.set(key, p);
  }
  return p;
}

function computePolarity(cond: string, call: string | null, variable: string | null): { then: boolean | null; else: boolean | null } {
  const { op, terms } = splitTop(normCondition(cond));
  const mine = terms.filter((t) => (call !== null ? t.includes(`${call}(`) : new RegExp(`(^|[^\\w>.])${escapeRe(variable!)}($|[^\\w])`).test(t)));
  if (mine.length !== 1) return { then: null, else: null };
  const v = termTruthy(mine[0], call, variable);
  if (v === null) return { then: null, else: null };
  if (op === null) return { then: v, else: !v };
  if (op === '&&') return { then: v, else: null };
  return { then: null, else: !v };
}

function succeeded(spec: HelperSpec, truthy: boolean): boolean {
  return spec.success === 'zero' ? !truthy : truthy;
}

export interface AnalyzeEnv {
  model: Model;
  /** Helpers summarized from the series' own function bodies. */
  summaries: Map<string, HelperSpec>;
  /**
   * Which hunk an input position is in.  Code between two hunks is not
   * shown: see gap() for what crosses it.
   */
  hunkOf?: (pos: SourcePos) => number | undefined;
  /**
   * The lock state where the function's shown code starts, when it is known
   * from outside the hunk (the tree's function body, a mined contract).
   */
  entry?: (fn: FunctionFacts) => { held: Held[]; context: string } | undefined;
  /** Callee effects mined from a kernel tree (src/core/model/contracts.ts); the model wins. */
  contracts?: Map<string, HelperSpec>;
}

export function helperOf(env: AnalyzeEnv, name: string): HelperSpec | undefined {
  return env.model.helpers.get(name) ?? env.summaries.get(name) ?? env.contracts?.get(name);
}

/** Walks one function; never throws on odd facts. */
export function analyzeFunction(fn: FunctionFacts, env: AnalyzeEnv): FunctionAnalysis {
  const events: FlowEvent[] = [];
  let truncated = false;
  const freshVmas = new Set<string>();
  const attachedVmas = new Map<string, PathStep>();
  const mappedPtes = new Map<string, PathStep>();
  const assignsByLine = new Map<number, AssignFact[]>();
  const lockVarClass = new Map<string, LockClass>();
  for (const a of fn.assigns) {
    const list = assignsByLine.get(a.pos.line) ?? [];
    list.push(a);
    assignsByLine.set(a.pos.line, list);
    const target = normInstance(a.target);
    if (FRESH_VMA.test(a.value)) freshVmas.add(target);
    const mapped = MAPPED_PTE.exec(a.value);
    if (mapped && !mappedPtes.has(target)) mappedPtes.set(target, stepOf(a.pos, `${mapped[1]}() maps ${target}`));
    const found = VMA_LOOKUP.exec(a.value);
    if (found && !attachedVmas.has(target)) attachedVmas.set(target, stepOf(a.pos, `${found[1]}() finds ${target} in the VMA tree`));
    if (/\bpmd_lock(ptr)?\s*\(/.test(a.value)) lockVarClass.set(target, 'pmd_ptl');
    else if (/\bpte_lockptr\s*\(/.test(a.value)) lockVarClass.set(target, 'pte_ptl');
    else if (/\bpud_lock(ptr)?\s*\(/.test(a.value)) lockVarClass.set(target, 'page_table_lock');
  }

  /** The variable the result of `call` is stored in (`x = call(...)` on its line). */
  const resultVar = (call: CallFact): string | null => {
    for (const a of assignsByLine.get(call.pos.line) ?? []) {
      if (a.op === '=' && a.value.includes(`${call.name}(`)) return normInstance(a.target);
    }
    return null;
  };

  const instanceOf = (use: LockUse, call: CallFact): string | null => {
    if (use.instance === undefined) return null;
    if (use.instance === 'return') return resultVar(call);
    const arg = call.args[use.instance];
    return arg === undefined ? null : normInstance(arg);
  };

  /** spin_lock(x): a ptl / page_table_lock is a page-table lock, anything else a plain spinlock. */
  const refine = (lock: LockClass, instance: string | null): LockClass => {
    if (instance === null) return lock;
    // down_write(&mm->mmap_sem) is the mmap lock of kernels before 5.8; an rwsem may be one of the mm's.
    if (lock === 'rwsem') return /(^|[>._])mmap_(sem|lock)$/.test(instance) ? 'mmap_lock' : /i_mmap_rwsem$/.test(instance) ? 'i_mmap' : /i_rwsem$/.test(instance) ? 'i_rwsem' : lock;
    if (lock !== 'spinlock') return lock;
    const known = lockVarClass.get(instance);
    if (known) return known;
    if (/page_table_lock$/.test(instance)) return 'page_table_lock';
    if (/(^|[>._])ptl$/.test(instance) || /^ptl\w*$/.test(instance)) return 'pte_ptl';
    return 'spinlock';
  };

  const acquire = (s: LockState, spec: HelperSpec, call: CallFact, uncertain?: string): LockState => {
    let held = [...s.held];
    for (const use of spec.acquires ?? []) {
      const instance = instanceOf(use, call);
      const lock = refine(use.lock, instance);
      const mode: LockMode | 'any' = use.mode;
      const dup = held.find((x) => x.origin === 'acquired' && x.lock === lock && x.instance === instance && !x.uncertain);
      if (dup && !spec.nested && lock !== 'rcu' && !(lock === 'vma_lock' && mode === 'write')) {
        events.push({ kind: 'double-acquire', call, spec, held: dup, state: s });
      }
      // An assertion said the caller holds it; now we took it ourselves.
      held = held.filter((x) => !(x.origin === 'asserted' && x.lock === lock && (x.instance === null || x.instance === instance)));
      const taken: Held = {
        lock, mode, instance, origin: 'acquired', helper: spec.name, change: call.change,
        step: stepOf(call.pos, `${spec.name}() acquires ${lock}${mode === 'any' ? '' : ` (${mode})`}`),
        ...(uncertain ? { uncertain } : {}),
      };
      events.push({ kind: 'acquire', call, spec, held: taken, before: successView(s) });
      held.push(taken);
    }
    const gone = s.gone.filter((g) => !(spec.acquires ?? []).some((u) => g.lock === refine(u.lock, instanceOf(u, call))));
    let known = s.known;
    // `x = pmd_lock(...)` cannot fail: x is non-NULL from here on.
    for (const use of spec.acquires ?? []) {
      if (use.instance !== 'return' || (spec.success ?? 'always') !== 'always') continue;
      const v = resultVar(call);
      if (v) known = learn(forget(known, v), [v]);
    }
    return { held, gone, pending: s.pending, known, via: s.via };
  };

  const fail = (s: LockState, spec: HelperSpec, call: CallFact): LockState => {
    const gone = [...s.gone];
    for (const use of spec.acquires ?? []) {
      const instance = instanceOf(use, call);
      pushGone(gone, { lock: refine(use.lock, instance), instance, how: 'failed', helper: spec.name, change: call.change,
        step: stepOf(call.pos, `${spec.name}() failed: nothing is held`) });
    }
    return { held: s.held, gone, pending: s.pending, known: s.known, via: s.via };
  };

  const release = (s: LockState, spec: HelperSpec, call: CallFact): LockState => {
    let held = [...s.held];
    const gone = [...s.gone];
    let pending = s.pending;
    for (const use of spec.releases ?? []) {
      const instance = instanceOf(use, call);
      const lock = refine(use.lock, instance);
      const family = (x: Held) => x.lock === lock || (SPIN_FAMILY.has(lock) && SPIN_FAMILY.has(x.lock));
      if (use.all) {
        held = held.filter((x) => x.lock !== lock);
        continue;
      }
      // The latest lock stored in the variable: `ptl = pmd_lock(..)` after a pud_lock() into the same ptl.
      let idx = -1;
      for (let i = held.length - 1; i >= 0 && idx < 0 && instance !== null; i--) if (family(held[i]) && held[i].instance === instance) idx = i;
      if (idx < 0) idx = held.findIndex((x) => family(x) && (instance === null || x.instance === null || !SPIN_FAMILY.has(lock)));
      if (idx >= 0) {
        const was = held[idx];
        held.splice(idx, 1);
        pushGone(gone, { lock: was.lock, instance: was.instance, how: 'released', helper: spec.name, change: call.change,
          step: stepOf(call.pos, `${spec.name}() releases ${was.lock}`) });
        continue;
      }
      // A conditional acquisition stored in a variable, never tested: assume it succeeded.
      const p = pending.find((x) => instance !== null &&
        (x.variable === instance || (x.spec.acquires ?? []).some((u) => u.instance !== 'return' && instanceOf(u, x.call) === instance)));
      if (p) {
        pending = pending.filter((x) => x !== p);
        // Released on the path where it succeeded: a later assertion or unlock of it sees it gone
        // (`pte_unmap_unlock(ptep, ptl); lockdep_assert_held(ptl);` after pte_alloc_map_lock()).
        pushGone(gone, { lock, instance, how: 'released', helper: spec.name, change: call.change,
          step: stepOf(call.pos, `${spec.name}() releases ${lock}`) });
        continue;
      }
      if (spec.anyOf || spec.summary) continue;
      const prior = [...gone].reverse().find((g) => family({ lock: g.lock } as Held) && (instance === null || g.instance === null || g.instance === instance)) ?? null;
      events.push({ kind: 'release-unheld', call, spec, use, instance, gone: prior, state: s });
      if (lock !== 'rcu') {
        pushGone(gone, { lock, instance, how: 'released', helper: spec.name, change: call.change,
          step: stepOf(call.pos, `${spec.name}() releases ${lock}`) });
      }
    }
    return { held, gone, pending, known: s.known, via: s.via };
  };

  const assertState = (s: LockState, spec: HelperSpec, call: CallFact): LockState => {
    if (spec.anyOf) return s;
    let held = [...s.held];
    for (const use of spec.asserts ?? []) {
      const instance = instanceOf(use, call);
      const has = held.some((x) => x.lock === use.lock && (x.instance === null || instance === null || x.instance === instance || use.lock === 'mmap_lock'));
      if (has) continue;
      held.push({ lock: use.lock, mode: use.mode, instance, origin: 'asserted', helper: spec.name, change: call.change,
        step: stepOf(call.pos, `${spec.name}() states ${use.lock}${use.mode === 'any' ? '' : ` (${use.mode})`} is held`) });
      // A VMA write lock implies the mmap write lock of its mm.
      if (use.lock === 'vma_lock' && use.mode === 'write' && !held.some((x) => x.lock === 'mmap_lock')) {
        held.push({ lock: 'mmap_lock', mode: 'write', instance: null, origin: 'asserted', helper: spec.name, change: call.change,
          step: stepOf(call.pos, `${spec.name}() implies mmap_lock (write)`) });
      }
    }
    return { held, gone: s.gone, pending: s.pending, known: s.known, via: s.via };
  };

  /** A helper that takes a lock and drops it again (stop_machine()): a recursive acquisition if held. */
  const takeAndDrop = (s: LockState, spec: HelperSpec, call: CallFact): LockState => {
    for (const use of spec.takes ?? []) {
      const instance = instanceOf(use, call);
      const lock = refine(use.lock, instance);
      const held = s.held.find((x) => x.lock === lock && (x.instance === null || instance === null || x.instance === instance));
      if (held) events.push({ kind: 'recursive', call, spec, use, held, state: s });
    }
    return s;
  };

  /** An unknown function given a lock's instance (or named like an unlock) may drop it. */
  const touchByUnknown = (s: LockState, call: CallFact): LockState => {
    const args = call.args.map(normInstance);
    const unlocky = /unlock|release|drop|_put$|^put_|_end$/.test(call.name);
    let changed = false;
    const held = s.held.map((x) => {
      if (x.origin !== 'acquired' || x.uncertain) return x;
      // Handing over the object that owns a lock (mm, vma, folio) is everyday code; handing over
      // the lock itself (ptl, &x->lock) is how a callee gets to drop it.
      const lockItself = x.instance !== null && LOCKISH_INSTANCE.test(x.instance);
      if (unlocky || (lockItself && args.some((a) => a === x.instance || a.startsWith(`${x.instance}->`)))) {
        changed = true;
        return { ...x, uncertain: `passed to ${call.name}(), whose locking is not in the model` };
      }
      return x;
    });
    return changed ? { held, gone: s.gone, pending: s.pending, known: s.known, via: s.via } : s;
  };

  /**
   * Hidden code between two hunks of one function is unchanged code that
   * fell through to the next hunk.  Kernel functions keep their locks
   * balanced across such stretches (an unlock there is on an error path
   * that returns), so what this function holds stays held, and the
   * conditions it decided stay decided; what it dropped or awaits is
   * forgotten, since the hidden code may have retaken or tested it.
   */
  const gap = (s: LockState): LockState => ({
    held: s.held,
    gone: [],
    pending: [],
    known: s.known,
  });

  const applyCall = (s0: LockState, call: CallFact, inIf: boolean): LockState => {
    const spec = helperOf(env, call.name);
    let s = s0;
    if (!spec?.releases) noteUses(s0, call.args, call.pos, call.change, `${call.name}()`);
    // A NULL-on-failure result handed on before it was tested (`set_pte_at(mm, addr, pte, ...)`).
    let untested: UntestedUse[] | undefined;
    for (const p of s0.pending) {
      // likely(pte), WARN_ON(!pte): the call is the test itself.
      if (p.spec.success !== 'nonnull' || TEST_WRAPPERS.has(call.name) || !call.args.some((a) => wordRe(p.variable).test(a))) continue;
      (untested ??= []).push({ variable: p.variable, acquiredBy: p.call, helper: p.spec });
    }
    // `f(&x)` may change x.
    for (const arg of call.args) {
      const m = /^\s*&\s*([A-Za-z_]\w*)\s*$/.exec(arg);
      if (m) s = { ...s, known: forget(s.known, m[1]) };
    }
    let next = s;
    if (!spec) {
      // Rules look at calls the model does not know only when they use an untested result
      // (LOCK-KILLABLE-UNCHECKED); otherwise no event, only their effect on held locks.
      const after = touchByUnknown(s, call);
      if (untested) events.push({ kind: 'call', call, spec: undefined, before: successView(s), after, untested });
      return after;
    }
    if (spec.kind === 'assert') next = assertState(next, spec, call);
    if (spec.takes) next = takeAndDrop(next, spec, call);
    if (spec.releases) next = release(next, spec, call);
    if (spec.acquires) {
      const conditional = spec.success !== undefined && spec.success !== 'always';
      if (!conditional) next = acquire(next, spec, call);
      else if (inIf && call.inCondition) {
        // Decided by the enclosing if (see walkIf).
      } else if (call.resultUsed) {
        const stored = resultVar(call);
        if (stored !== null) next = { ...next, pending: [...next.pending.filter((p) => p.variable !== stored), { variable: stored, spec, call }] };
        else next = acquire(next, spec, call, `the result of ${spec.name}() is used in a way the checker does not follow`);
      } else {
        next = acquire(next, spec, call);
      }
    }
    events.push({ kind: 'call', call, spec, before: successView(s), after: next, ...(untested ? { untested } : {}) });
    return next;
  };

  /**
   * The state a rule sees before a call: a conditional acquisition whose
   * result is stored but not tested yet (`ptep = pte_offset_map_lock(...)`)
   * holds its lock on the path where it succeeded, so a sleeping call or an
   * inverted acquisition there is a bug on that path.
   */
  const successViews = new WeakMap<LockState, LockState>();
  const successView = (s: LockState): LockState => {
    if (s.pending.length === 0) return s;
    let v = successViews.get(s);
    if (!v) {
      const held = [...s.held];
      for (const p of s.pending) {
        for (const use of p.spec.acquires ?? []) {
          const instance = instanceOf(use, p.call);
          held.push({ lock: refine(use.lock, instance), mode: use.mode, instance, origin: 'acquired', helper: p.spec.name, change: p.call.change,
            step: stepOf(p.call.pos, `${p.spec.name}() acquires ${refine(use.lock, instance)} (on the path where it succeeded)`) });
        }
      }
      v = { ...s, held };
      successViews.set(s, v);
    }
    return v;
  };

  const dedupe = (states: LockState[]): LockState[] => {
    if (states.length <= 1) return states;
    const seen = new Map<string, LockState>();
    for (const s0 of states) {
      // Decided conditions matter only to a path that holds, dropped or awaits a lock, or that
      // decided a lock's guard (`if (merge_prev) vma_start_write(prev);` then `if (merge_prev && ...)`):
      // forget the others, so that lock-free paths merge.
      const lockFree = s0.known.length > 0 && s0.gone.length === 0 && s0.pending.length === 0 && !s0.held.some((h) => h.origin === 'acquired');
      const s = lockFree ? { ...s0, known: s0.known.filter((k) => lockGuards.has(k)) } : s0;
      const k = stateKey(s);
      if (!seen.has(k)) seen.set(k, s);
    }
    let out = [...seen.values()];
    if (out.length > maxStates) {
      truncated = true;
      out = out.slice(0, maxStates);
    }
    return out;
  };

  /** Conditions under which this function takes or drops a lock (kept on lock-free paths too). */
  const lockGuards = new Set<string>();
  const gotos = new Map<string, LockState[]>();
  const labelsSeen = new Set<string>();
  let budget = 200_000; // bounded work whatever the facts look like

  interface LoopCtx { breaks: LockState[] }

  const lockBelow = new WeakMap<FlowItem, boolean>();
  // Long functions (remap_pages() is 400 lines) keep fewer paths apart: the work stays linear.
  const maxStates = countItems(fn.flow) > 150 ? Math.max(2, MAX_STATES >> 1) : MAX_STATES;
  let lastHunk: number | undefined;
  /** The most recent live states: code after a goto or return with no label before it is reached from a block the hunk cut. */
  let lastLive: LockState[] = [EMPTY];
  const itemPos = (item: FlowItem): SourcePos =>
    item.kind === 'call' ? item.call.pos : item.kind === 'assign' ? item.assign.pos : item.pos;

  let depth = 0;
  /** The last item walked was a goto or return (code right after it in the same block is dead, or misplaced). */
  let lastJump = false;
  /** The function is shown in pieces: several hunks, so block structure around the gaps is guessed. */
  const derefRes = new Map<string, RegExp>();
  const deref = (v: string, arrow: boolean): RegExp => {
    const key = `${arrow ? '>' : '*'}${v}`;
    let re = derefRes.get(key);
    if (!re) {
      // `vma->field`; for a page table `*pte`, `pte[i]`.
      re = arrow ? new RegExp(`(^|[^\\w>.])${escapeRe(v)}\\s*->`) : new RegExp(`\\*\\s*${escapeRe(v)}\\b|(^|[^\\w>.])${escapeRe(v)}\\s*\\[`);
      derefRes.set(key, re);
    }
    return re;
  };
  const usesOf = (v: string, texts: readonly string[], derefOnly: boolean, arrow: boolean): boolean =>
    texts.some((t) => (!derefOnly && normInstance(t) === v) || deref(v, arrow).test(t));
  /**
   * use-after-unlock events: a VMA found in the tree used where this path
   * released mmap_lock (or the VMA's own lock) and holds neither; a mapped
   * page table used after pte_unmap() / pte_unmap_unlock() of it.
   */
  const noteUses = (s: LockState, texts: readonly string[], pos: SourcePos, change: '+' | '-' | ' ', what: string, derefOnly = false): void => {
    if (s.gone.length === 0) return;
    for (const v of attachedVmas.keys()) {
      if (!usesOf(v, texts, derefOnly, true)) continue;
      if (s.held.some((h) => h.lock === 'mmap_lock' || (h.lock === 'vma_lock' && h.instance === v))) continue;
      const gone = [...s.gone].reverse().find((g) => g.how === 'released' && (g.lock === 'mmap_lock' || (g.lock === 'vma_lock' && g.instance === v)));
      if (gone) events.push({ kind: 'use-after-unlock', pointer: 'vma', pos, variable: v, what, change, gone, state: s });
    }
    for (const p of mappedPtes.keys()) {
      if (!usesOf(p, texts, derefOnly, false)) continue;
      const gone = [...s.gone].reverse().find((g) => g.how === 'released' && PTE_UNMAP.has(g.helper) &&
        fn.calls.some((c) => c.name === g.helper && c.pos.line === g.step.line && normInstance((c.args[0] ?? '').replace(/\s*[-+]\s*\d+\s*$/, '')) === p));
      if (gone) events.push({ kind: 'use-after-unlock', pointer: 'pte', pos, variable: p, what, change, gone, state: s });
    }
  };
  const cutBlocks = env.hunkOf !== undefined && new Set(fn.calls.map((c) => env.hunkOf!(c.pos))).size > 1;
  const walk = (items: FlowItem[], input: LockState[], loop: LoopCtx | null): LockState[] => {
    let states = input;
    for (const item of items) {
      if (--budget < 0) {
        truncated = true;
        return states;
      }
      if (env.hunkOf) {
        const h = env.hunkOf(itemPos(item));
        if (h !== undefined) {
          // Hidden code lies between two hunks: whatever it did, it may reach the next hunk.
          if (lastHunk !== undefined && h !== lastHunk) states = dedupe([...states, ...lastLive].map(gap));
          lastHunk = h;
        }
      }
      if (states.length === 0 && item.kind !== 'label') {
        // Reachable only from a block whose start the hunk cut (`goto out; }` with its `if` above the hunk).
        // Inside a block, code after a goto or return can only be reached that way when the
        // hunks around it were cut mid-block, so that the parse nests it under the wrong `if`.
        if ((loop !== null || depth > 0) && !(cutBlocks && lastJump)) continue;
        states = lastLive;
      }
      lastJump = item.kind === 'goto' || item.kind === 'return';
      if (states.length > 0) lastLive = states;
      switch (item.kind) {
        case 'call':
          states = states.map((s) => applyCall(s, item.call, false));
          break;
        case 'assign': {
          for (const s of states) noteUses(s, [item.assign.value], item.assign.pos, item.assign.change, item.assign.target.trim());
          const target = /^[A-Za-z_]\w*$/.test(item.assign.target.trim()) ? item.assign.target.trim() : null;
          // Only writes of VMA fields the model knows are looked at (LOCK-REQUIRES), and one
          // variable stored in another (`remove = next;`: the roles a merge hands on).
          if ((item.assign.field !== null && env.model.fields.has(item.assign.field)) ||
              (target !== null && item.assign.op === '=' && /^[A-Za-z_]\w*$/.test(item.assign.value.trim()))) {
            for (const s of states) events.push({ kind: 'assign', assign: item.assign, state: s });
          }
          if (target) {
            const fromCall = /^\s*(\w+)\s*\(/.exec(item.assign.value);
            const spec = fromCall ? helperOf(env, fromCall[1]) : undefined;
            const nonNull = spec?.acquires?.some((u) => u.instance === 'return') && (spec.success ?? 'always') === 'always';
            // `next = find_vma(..)`, `vma = next`: the variable now names another VMA, and the VMA lock
            // taken through it stays with the VMA it named (vma_start_write(vma) is no longer a no-op);
            // a VMA copied from a locked one is that one (`vma = prev` after vma_start_write(prev)).
            const value = item.assign.value.trim();
            const line = item.assign.pos.line;
            const another = item.assign.op === '=' && value !== target && !/^\w+\s*\(/.test(value) || VMA_LOOKUP.test(value);
            const from = /^[A-Za-z_]\w*$/.test(value) ? value : null;
            states = states.map((s) => {
              const known = forget(s.known, target);
              let held = s.held;
              if (another && held.some((h) => h.lock === 'vma_lock' && (h.instance === target || (from !== null && h.instance === from)))) {
                held = held.map((h) => h.lock === 'vma_lock' && h.instance === target && h.step.line !== line ? { ...h, instance: `${target} (before line ${line})` } : h);
                if (from !== null) held = [...held, ...held.filter((h) => h.lock === 'vma_lock' && h.instance === from).map((h) => ({ ...h, instance: target }))];
              }
              return { ...s, held, known: nonNull ? learn(known, [target]) : known };
            });
          }
          break;
        }
        case 'if':
          states = walkIf(item, states, loop);
          break;
        case 'loop': {
          const ctx: LoopCtx = { breaks: [] };
          const out = walk(item.body, states, ctx);
          states = dedupe([...states, ...out, ...ctx.breaks]);
          break;
        }
        case 'return': {
          for (const s of states) noteUses(s, [item.value], item.pos, ' ', 'the return value', true);
          for (const s of states) {
            let end = s;
            for (const c of item.calls) end = applyCall(end, c, false);
            events.push({ kind: 'exit', pos: item.pos, value: item.value, implicit: false, state: end });
          }
          states = [];
          break;
        }
        case 'goto': {
          for (const st of states) events.push({ kind: 'goto', pos: item.pos, label: item.label, state: st });
          if (!labelsSeen.has(item.label)) gotos.set(item.label, [...(gotos.get(item.label) ?? []), ...states.map((st) => ({ ...st, via: item.pos }))]);
          states = [];
          break;
        }
        case 'label':
          labelsSeen.add(item.label);
          states = dedupe([...states, ...(gotos.get(item.label) ?? [])]);
          gotos.delete(item.label);
          break;
        case 'break':
        case 'continue':
          // Outside a loop this is a switch's break: the path goes on after the switch.
          if (loop) {
            loop.breaks.push(...states);
            states = [];
          }
          break;
      }
    }
    return states;
  };

  const walkIf = (item: Extract<FlowItem, { kind: 'if' }>, input: LockState[], loop: LoopCtx | null): LockState[] => {
    const thenIn: LockState[] = [];
    const elseIn: LockState[] = [];
    const cond = normCondition(item.condition);
    const notCond = negate(cond);
    const { op, terms } = splitTop(cond);
    // What each branch learns: the condition, or its negation (term by term when that is sound).
    const thenLearns = op === '&&' ? terms : [cond];
    const elseLearns = op === '||' ? terms.map(negate) : [notCond];
    const pure = item.conditionCalls.length === 0;
    // Worth remembering only where a lock may be taken or dropped under the condition, or is already in play.
    const lockBranch = pure && touchesLockBelow(item);
    for (const s0 of input) {
      let s = s0;
      // `if (vma->vm_flags & VM_LOCKED)` reads the VMA; `if (!vma)` only its pointer.
      noteUses(s0, [item.condition], item.pos, ' ', 'a test', true);
      // `a && b` cannot hold where `!a` was decided; `a || b` cannot fail where `a` was.
      // A term without a call reads the same whatever the condition's calls do.
      const plainTerm = (t: string) => !/\w\s*\(/.test(t);
      const goesThen = !((pure && s.known.includes(notCond)) || (op === '&&' && terms.some((t) => plainTerm(t) && s.known.includes(negate(t)))));
      const goesElse = !((pure && s.known.includes(cond)) || (op === '||' && terms.some((t) => plainTerm(t) && s.known.includes(t))));
      for (const c of item.conditionCalls) s = applyCall(s, c, true);
      let t = s;
      let e = s;
      // Conditional acquisitions tested right here.
      for (const c of item.conditionCalls) {
        const spec = helperOf(env, c.name);
        if (!spec?.acquires || !spec.success || spec.success === 'always') continue;
        const p = polarity(item.condition, c.name, null);
        const v = resultVar(c);
        [t, e] = branchOn(t, e, spec, c, p, v);
      }
      for (const pend of s.pending) {
        if (!wordRe(pend.variable, false).test(item.condition)) continue;
        const p = polarity(item.condition, null, pend.variable);
        const strip = (x: LockState): LockState => ({ ...x, pending: x.pending.filter((q) => q !== pend) });
        if (p.then === null && p.else === null) {
          // Not a test of the result but a use of it (`pte_same(*vmf->pte, ...)`): the code takes success for granted.
          [t, e] = [acquire(strip(t), pend.spec, pend.call), acquire(strip(e), pend.spec, pend.call)];
          continue;
        }
        [t, e] = branchOn(strip(t), strip(e), pend.spec, pend.call, p, null);
      }
      const inPlay = s.gone.length > 0 || s.pending.length > 0 || s.held.some((h) => h.origin === 'acquired');
      if (pure && (lockBranch || inPlay)) {
        t = { ...t, known: learn(t.known, thenLearns) };
        e = { ...e, known: learn(e.known, elseLearns) };
        if (lockBranch) for (const k of [...thenLearns, ...elseLearns]) lockGuards.add(k);
      }
      // A failed acquisition whose branch is empty (`if (!pte)` with nothing under it) lost its
      // goto or return to a hunk cut or a parse gap: such a path does not go on.
      const failedHere = (x: LockState) => x.gone.some((g) => g.how === 'failed' && !s.gone.includes(g));
      if (goesThen && !(item.then.length === 0 && failedHere(t))) thenIn.push(t);
      if (goesElse && !(item.else !== null && item.else.length === 0 && failedHere(e))) elseIn.push(e);
    }
    depth++;
    const thenOut = walk(item.then, dedupe(thenIn), loop);
    const elseOut = item.else ? walk(item.else, dedupe(elseIn), loop) : elseIn;
    depth--;
    return dedupe([...thenOut, ...elseOut]);
  };

  /** Whether a lock helper is called anywhere under this if (memoized per item). */
  const touchesLockBelow = (item: Extract<FlowItem, { kind: 'if' }>): boolean => {
    let v = lockBelow.get(item);
    if (v === undefined) {
      v = false;
      const stack: FlowItem[] = [...item.then, ...(item.else ?? [])];
      for (let guard = 0; stack.length > 0 && guard < 10_000 && !v; guard++) {
        const it = stack.pop()!;
        if (it.kind === 'call') {
          const spec = helperOf(env, it.call.name);
          v = !!(spec && (spec.acquires || spec.releases));
        } else if (it.kind === 'if') stack.push(...it.then, ...(it.else ?? []));
        else if (it.kind === 'loop') stack.push(...it.body);
        else if (it.kind === 'return') v = it.calls.some((c) => !!helperOf(env, c.name)?.releases);
      }
      lockBelow.set(item, v);
    }
    return v;
  };

  const branchOn = (
    t: LockState, e: LockState, spec: HelperSpec, c: CallFact,
    p: { then: boolean | null; else: boolean | null }, storedIn: string | null,
  ): [LockState, LockState] => {
    const side = (s: LockState, truthy: boolean | null): LockState => {
      if (truthy === null) {
        // The condition is too complex to say; remember the result variable if there is one.
        if (storedIn) return { ...s, pending: [...s.pending, { variable: storedIn, spec, call: c }] };
        return acquire(s, spec, c, `cannot tell from '${c.name}()' in this condition whether it succeeded`);
      }
      return succeeded(spec, truthy) ? acquire(s, spec, c) : fail(s, spec, c);
    };
    return [side(t, p.then), side(e, p.else)];
  };

  const entry = env.entry?.(fn);
  const out = walk(fn.flow, [entry ? { ...EMPTY, held: entry.held } : EMPTY], null);
  for (const s of out) events.push({ kind: 'exit', pos: fn.pos, value: null, implicit: true, state: s });
  // Loop variables of VMA iterations, anywhere in the function (bounded walk).
  const stack: FlowItem[] = [...fn.flow];
  for (let guard = 0; stack.length > 0 && guard < 100_000; guard++) {
    const it = stack.pop()!;
    if (it.kind === 'loop') {
      const m = VMA_ITERATION.exec(it.header);
      const v = m && (m[1] ?? m[2] ?? m[3]);
      if (v && !attachedVmas.has(v)) attachedVmas.set(v, stepOf(it.pos, `${it.header.split('(')[0]}() iterates ${v} over the VMA tree`));
      stack.push(...it.body);
    } else if (it.kind === 'if') stack.push(...it.then, ...(it.else ?? []));
  }
  const changer = fn.calls.find((c) => {
    const spec = helperOf(env, c.name);
    return spec?.kind === 'tree-store' || TREE_CHANGERS.has(c.name);
  });
  return { fn, events, truncated, freshVmas, attachedVmas, mappedPtes,
    ...(changer ? { treeChange: stepOf(changer.pos, `${fn.name}() changes the VMA tree (${changer.name}())`) } : {}) };
}

/** Flow items of a function, nested ones included (bounded). */
function countItems(flow: FlowItem[]): number {
  let n = 0;
  const stack: FlowItem[] = [...flow];
  while (stack.length > 0 && n < 100_000) {
    const it = stack.pop()!;
    n++;
    if (it.kind === 'if') stack.push(...it.then, ...(it.else ?? []));
    else if (it.kind === 'loop') stack.push(...it.body);
  }
  return n;
}

/** Whether `held` satisfies a need of `mode` (write satisfies read; `any` is satisfied by either). */
export function modeSatisfies(held: LockMode | 'any', need: LockMode | 'any'): boolean {
  if (need === 'any') return true;
  if (held === 'any') return false;
  return held === 'write' || held === need;
}
