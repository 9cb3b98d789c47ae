/**
 * The VMA-locking model as data, plus user overrides.
 *
 *   defaultModel()                 the built-in model (fact sheet, 2026 mm tree + 6.12)
 *   applyModelJson(model, text, f) add or replace helpers / flags / masks from a JSON file
 *
 * Override file format (the CLI's --model FILE, the VS Code setting):
 *
 *   { "helpers": [ { "name": "my_lock_vma", "kind": "acquire",
 *                    "acquires": [ { "lock": "vma_lock", "mode": "read", "instance": "return" } ],
 *                    "success": "nonnull", "source": [ { "file": "mm/foo.c", "kernel": "v6.18" } ] } ],
 *     "flags":   [ { "name": "VM_FOO", "bit": 43 } ],
 *     "masks":   [ { "name": "VM_ATOMIC_SET_ALLOWED", "flags": ["VM_MAYBE_GUARD", "VM_FOO"] } ],
 *     "removeHelpers": [ "walk_page_range" ] }
 *
 * An entry whose name exists replaces the built-in one.  Entries without a
 * source cite the override file.
 */
import type { SourceRef } from '../findings.js';
import type { FlagSpec, HelperSpec, LockClass, LockUse, MaskSpec, Model } from './types.js';
import { HELPERS } from './helpers.js';
import { VM_FLAGS, VM_MASKS } from './flags.js';
import { LOCK_OBJECTS, LOCK_ORDER, VMA_FIELDS, WALK_LOCKS, lockMap } from './locks.js';

export type * from './types.js';
export { flagNameOfBit } from './flags.js';
export { SRC } from './sources.js';

/** The built-in tables keyed once; every model gets its own copies (overrides change them). */
let builtIn: Omit<Model, 'order' | 'overrides'> | undefined;

export function defaultModel(): Model {
  builtIn ??= {
    locks: lockMap(),
    helpers: new Map(HELPERS.map((h) => [h.name, h])),
    flags: new Map(VM_FLAGS.map((f) => [f.name, f])),
    masks: new Map(VM_MASKS.map((m) => [m.name, m])),
    fields: new Map(VMA_FIELDS.map((f) => [f.field, f])),
    walkLocks: new Map(WALK_LOCKS.map((w) => [w.name, w])),
  };
  return {
    locks: copy(builtIn.locks),
    helpers: copy(builtIn.helpers),
    flags: copy(builtIn.flags),
    masks: copy(builtIn.masks),
    order: [...LOCK_ORDER],
    fields: copy(builtIn.fields),
    walkLocks: copy(builtIn.walkLocks),
    overrides: [],
  };
}

/** A copy of a map entry by entry (`new Map(map)` makes a [key, value] array per entry). */
function copy<K, V>(from: Map<K, V>): Map<K, V> {
  const to = new Map<K, V>();
  from.forEach((v, k) => to.set(k, v));
  return to;
}

/** Value of a flag by name (bit -> 1 << bit), or null. */
export function flagValue(model: Model, name: string): bigint | null {
  const f = model.flags.get(name);
  return f ? 1n << BigInt(f.bit) : null;
}

/** A problem in an override file, at its line. */
export interface ModelProblem {
  file: string;
  line: number;
  message: string;
}

const LOCKS = new Set<string>(LOCK_OBJECTS.map((l) => l.lock));
const KINDS = new Set(['acquire', 'release', 'assert', 'flag-writer', 'flag-atomic', 'walk', 'tree-store', 'may-sleep', 'debug-check', 'other']);
const SUCCESS = new Set(['always', 'zero', 'true', 'nonnull']);

/** Line (1-based) of the first `"name": "<name>"` in the text, else 1. */
function lineOf(text: string, name: string): number {
  const at = text.indexOf(`"${name}"`);
  if (at < 0) return 1;
  let line = 1;
  for (let i = 0; i < at; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkUses(v: unknown, what: string): string | null {
  if (v === undefined) return null;
  if (!Array.isArray(v)) return `${what} must be an array`;
  for (const u of v) {
    if (!isObject(u)) return `${what} entries must be objects`;
    if (typeof u.lock !== 'string' || !LOCKS.has(u.lock)) return `${what}: unknown lock '${String(u.lock)}' (known: ${[...LOCKS].join(', ')})`;
    if (u.mode !== 'read' && u.mode !== 'write' && u.mode !== 'any') return `${what}: mode must be read, write or any`;
    if (u.instance !== undefined && u.instance !== 'return' && !(Number.isInteger(u.instance) && (u.instance as number) >= 0))
      return `${what}: instance must be an argument index or "return"`;
  }
  return null;
}

function sourcesOf(v: unknown, file: string): SourceRef[] {
  if (Array.isArray(v) && v.every((s) => isObject(s) && typeof s.file === 'string')) return v as SourceRef[];
  return [{ file, note: 'user model override' }];
}

/**
 * Applies a JSON override file to `model` (in place).  Never throws: what
 * cannot be used is returned as problems, at the line of the entry.
 */
export function applyModelJson(model: Model, text: string, file: string): ModelProblem[] {
  const problems: ModelProblem[] = [];
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    const pos = m ? Number(m[1]) : 0;
    const line = text.slice(0, pos).split('\n').length;
    return [{ file, line, message: `model file is not valid JSON: ${(e as Error).message}` }];
  }
  if (!isObject(data)) return [{ file, line: 1, message: 'model file must hold a JSON object' }];
  model.overrides.push(file);
  const list = (key: string): unknown[] => {
    const v = data[key];
    if (v === undefined) return [];
    if (!Array.isArray(v)) {
      problems.push({ file, line: lineOf(text, key), message: `"${key}" must be an array` });
      return [];
    }
    return v;
  };

  for (const entry of list('helpers')) {
    if (!isObject(entry) || typeof entry.name !== 'string' || !/^[A-Za-z_]\w*$/.test(entry.name)) {
      problems.push({ file, line: lineOf(text, 'helpers'), message: 'a helper needs a "name" that is a C identifier' });
      continue;
    }
    const line = lineOf(text, entry.name);
    const kind = entry.kind ?? 'other';
    if (typeof kind !== 'string' || !KINDS.has(kind)) {
      problems.push({ file, line, message: `helper ${entry.name}: unknown kind '${String(kind)}'` });
      continue;
    }
    if (entry.success !== undefined && !SUCCESS.has(String(entry.success))) {
      problems.push({ file, line, message: `helper ${entry.name}: success must be always, zero, true or nonnull` });
      continue;
    }
    const bad = ['requires', 'acquires', 'releases', 'asserts'].map((k) => checkUses(entry[k], `helper ${entry.name}: ${k}`)).find((m) => m);
    if (bad) {
      problems.push({ file, line, message: bad });
      continue;
    }
    const spec: HelperSpec = {
      ...(entry as unknown as HelperSpec),
      kind: kind as HelperSpec['kind'],
      source: sourcesOf(entry.source, file),
    };
    model.helpers.set(spec.name, spec);
  }
  for (const name of list('removeHelpers')) {
    if (typeof name === 'string') model.helpers.delete(name);
  }
  for (const entry of list('flags')) {
    if (!isObject(entry) || typeof entry.name !== 'string' || !/^VM_\w+$/.test(entry.name) ||
        !Number.isInteger(entry.bit) || (entry.bit as number) < 0 || (entry.bit as number) > 63) {
      problems.push({ file, line: lineOf(text, isObject(entry) && typeof entry.name === 'string' ? entry.name : 'flags'),
        message: 'a flag needs a "name" starting with VM_ and a "bit" from 0 to 63' });
      continue;
    }
    const spec: FlagSpec = { ...(entry as unknown as FlagSpec), source: sourcesOf(entry.source, file) };
    model.flags.set(spec.name, spec);
  }
  for (const entry of list('masks')) {
    if (!isObject(entry) || typeof entry.name !== 'string' || !Array.isArray(entry.flags) ||
        !entry.flags.every((x) => typeof x === 'string')) {
      problems.push({ file, line: lineOf(text, 'masks'), message: 'a mask needs a "name" and "flags": [flag names]' });
      continue;
    }
    const spec: MaskSpec = {
      name: entry.name,
      flags: entry.flags as string[],
      usedFor: typeof entry.usedFor === 'string' ? entry.usedFor : 'user override',
      source: sourcesOf(entry.source, file),
    };
    model.masks.set(spec.name, spec);
  }
  return problems;
}

const closures = new WeakMap<LockClass[] | Model['order'], Map<LockClass, Set<LockClass>>>();

/** Transitive closure of the order: `outer` must be taken before `inner` (cached per order list). */
export function orderClosure(model: Model): Map<LockClass, Set<LockClass>> {
  let c = closures.get(model.order);
  if (!c) {
    // Every defaultModel() copies the built-in order: its closure is made once (callers only read it).
    const builtIn = model.order.length === LOCK_ORDER.length && model.order.every((e, i) => e === LOCK_ORDER[i]);
    c = builtIn ? (builtInClosure ??= computeClosure(model)) : computeClosure(model);
    closures.set(model.order, c);
  }
  return c;
}

let builtInClosure: Map<LockClass, Set<LockClass>> | undefined;

function computeClosure(model: Model): Map<LockClass, Set<LockClass>> {
  const inner = new Map<LockClass, Set<LockClass>>();
  for (const e of model.order) {
    if (!inner.has(e.outer)) inner.set(e.outer, new Set());
    inner.get(e.outer)!.add(e.inner);
  }
  // Bounded: at most |classes| rounds.
  for (let round = 0; round < LOCKS.size; round++) {
    let grew = false;
    for (const [, set] of inner) {
      for (const mid of [...set]) {
        for (const x of inner.get(mid) ?? []) {
          if (!set.has(x)) {
            set.add(x);
            grew = true;
          }
        }
      }
    }
    if (!grew) break;
  }
  return inner;
}

/** The direct edges that justify outer -> inner (for a finding's sources). */
export function orderPath(model: Model, outer: LockClass, inner: LockClass): { why: string; source: SourceRef[] }[] {
  // Breadth-first over direct edges; the graph is tiny.
  const prev = new Map<LockClass, { from: LockClass; why: string; source: SourceRef[] }>();
  const queue: LockClass[] = [outer];
  const seen = new Set<LockClass>([outer]);
  while (queue.length > 0) {
    const at = queue.shift()!;
    if (at === inner) break;
    for (const e of model.order) {
      if (e.outer !== at || seen.has(e.inner)) continue;
      seen.add(e.inner);
      prev.set(e.inner, { from: at, why: e.why, source: e.source });
      queue.push(e.inner);
    }
  }
  const steps: { why: string; source: SourceRef[] }[] = [];
  for (let at = inner; prev.has(at) && steps.length < 32; at = prev.get(at)!.from) steps.unshift(prev.get(at)!);
  return steps;
}

export type { LockUse };
