/**
 * Lock contracts mined from a real kernel tree: for each function of the mm
 * code, what it asserts at entry, what it acquires and releases (net, and
 * conditionally), whether it may sleep, and the lock state at each of its
 * calls.  They answer two questions a hunk cannot:
 *
 *   - which locks are held where the hunk's code starts (retract_page_tables()
 *     holds i_mmap_rwsem inside its interval-tree loop, above any hunk);
 *   - what a callee the model does not list does to the locks
 *     (bad_access_pkey() drops the mmap lock).
 *
 * The data file (data/contracts-linux-6.12.json.gz) is made by
 * `npm run model:mine -- --tree DIR` (scripts/mine-contracts.ts) and names the
 * kernel it came from.  It is read on first use only.  Hand-written model
 * entries (helpers.ts) always win over mined ones (flow.ts helperOf()).
 *
 * Format (compact, one object):
 *   { kernel, source, generator, fns: { name: [Entry, ...] } }
 *   Entry = [file, line, effects, states, keys]
 *     effects: { a?: uses asserted at entry, q?: acquired (every exit),
 *                cq?: acquired on some exits, r?: released (every exit),
 *                cr?: released on some exits, s?: 1 when it may sleep }
 *       a use is "lock:mode"
 *     states: lock states, each a list of [lock, mode, instance, helper, line, origin]
 *       (origin 'a' = taken in this function, 's' = stated held by an assertion)
 *     keys: "key=i.j,key=i" for each call: callKey() of the call, and the
 *       state index before each of its occurrences; "" when no lock is ever held
 *     body: index of the state held over most of the function (fallback), or -1
 */
import { gunzipSync } from 'node:zlib';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SourceRef } from '../findings.js';
import type { HelperSpec, LockClass, LockMode, LockUse } from './types.js';

export const CONTRACTS_FILE = 'data/contracts-linux-6.12.json.gz';

/** One lock held at a point, as mined. */
export interface MinedHeld {
  lock: LockClass;
  mode: LockMode | 'any';
  instance: string | null;
  helper: string;
  /** Line of the kernel file where it was taken or asserted. */
  line: number;
  origin: 'acquired' | 'asserted';
}

export interface MinedEffects {
  asserts: LockUse[];
  acquires: LockUse[];
  condAcquires: LockUse[];
  releases: LockUse[];
  condReleases: LockUse[];
  maySleep: boolean;
}

export interface FunctionContract {
  name: string;
  file: string;
  line: number;
  effects: MinedEffects;
  states: MinedHeld[][];
  /** callKey -> state index before each occurrence of the call. */
  keys: Map<string, number[]>;
  /** State held over most of the function's calls, or -1. */
  body: number;
}

export interface Contracts {
  /** `6.12.118` */
  kernel: string;
  /** `linux-6.12`: what findings say (`contract:linux-6.12`). */
  label: string;
  /** Every definition of a name (static functions repeat across files). */
  all(name: string): FunctionContract[];
  /** The definition in `path`, else the only one. */
  find(name: string, path?: string): FunctionContract | undefined;
  /** Mined callee effects as helpers (names defined once, or alike everywhere). */
  helpers: Map<string, HelperSpec>;
  /** Bytes of the data file and ms to load it (for the closing note). */
  stats: { bytes: number; loadMs: number; functions: number };
}

/** FNV-1a of a call's text: `name(arg,arg)`, spaces dropped. */
export function callKey(name: string, args: readonly string[]): string {
  const text = `${name}(${args.map((a) => a.replace(/\s+/g, '')).join(',')})`;
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36);
}

export const useText = (u: LockUse): string => `${u.lock}:${u.mode}`;
const parseUse = (t: string): LockUse => {
  const [lock, mode] = t.split(':');
  return { lock: lock as LockClass, mode: mode as LockMode | 'any' };
};

type RawHeld = [string, string, string | null, string, number, 'a' | 's'];
type RawEntry = [string, number, Record<string, string[] | number>, RawHeld[][], string, number];
export interface RawContracts {
  kernel: string;
  source: string;
  generator: string;
  fns: Record<string, RawEntry[]>;
}

export function encodeContract(c: FunctionContract): RawEntry {
  const e: Record<string, string[] | number> = {};
  const put = (k: string, l: LockUse[]) => { if (l.length) e[k] = l.map(useText); };
  put('a', c.effects.asserts);
  put('q', c.effects.acquires);
  put('cq', c.effects.condAcquires);
  put('r', c.effects.releases);
  put('cr', c.effects.condReleases);
  if (c.effects.maySleep) e.s = 1;
  const states = c.states.map((s) => s.map((h): RawHeld => [h.lock, h.mode, h.instance, h.helper, h.line, h.origin === 'acquired' ? 'a' : 's']));
  const keys = [...c.keys].map(([k, v]) => `${k}=${v.join('.')}`).join(',');
  return [c.file, c.line, e, states, keys, c.body];
}

function decodeContract(name: string, r: RawEntry): FunctionContract {
  const [file, line, e, states, keys, body] = r;
  const uses = (k: string) => ((e[k] as string[] | undefined) ?? []).map(parseUse);
  const keyMap = new Map<string, number[]>();
  if (keys) {
    for (const part of keys.split(',')) {
      const eq = part.indexOf('=');
      keyMap.set(part.slice(0, eq), part.slice(eq + 1).split('.').map(Number));
    }
  }
  return {
    name, file, line,
    effects: { asserts: uses('a'), acquires: uses('q'), condAcquires: uses('cq'), releases: uses('r'), condReleases: uses('cr'), maySleep: e.s === 1 },
    states: states.map((s) => s.map(([lock, mode, instance, helper, l, o]) => ({
      lock: lock as LockClass, mode: mode as LockMode | 'any', instance, helper, line: l, origin: o === 'a' ? 'acquired' : 'asserted',
    }))),
    keys: keyMap,
    body,
  };
}

/** What callers see of a mined function, as a helper of the model (null: no lock effect). */
export function specOf(c: FunctionContract, kernel: string): HelperSpec | null {
  const ef = c.effects;
  const source: SourceRef[] = [{ file: `${c.file}:${c.line}`, kernel, note: `lock effects of ${c.name}() as its body reads there` }];
  const releases = ef.releases.length ? ef.releases : ef.condReleases;
  // "May sleep" is kept in the data but not given to callers yet: mined from
  // whole bodies it is true of nearly every mm function (some path allocates
  // or takes a mutex), and on hunk paths it gave false LOCK-SLEEP-ATOMIC
  // (mmu_notifier_invalidate_range_end() in real/013).
  if (!ef.asserts.length && !ef.acquires.length && !releases.length) return null;
  return {
    name: c.name,
    // What it asserts at entry, its callers must hold: a requirement (the
    // function is not itself an assertion a caller makes).
    kind: ef.acquires.length ? 'acquire' : releases.length ? 'release' : 'other',
    ...(ef.asserts.length ? { requires: ef.asserts } : {}),
    ...(ef.acquires.length ? { acquires: ef.acquires } : {}),
    ...(releases.length ? { releases } : {}),
    // Dropped on some paths only: one of them may be dropped, never a basis to say "not held".
    ...(!ef.releases.length && releases.length ? { anyOf: true } : {}),
    note: `${kernel}: lock effects read from its body`,
    source,
  };
}

export function buildContracts(raw: RawContracts, stats: { bytes: number; loadMs: number }): Contracts {
  const cache = new Map<string, FunctionContract[]>();
  const all = (name: string): FunctionContract[] => {
    let list = cache.get(name);
    if (!list) {
      list = Object.hasOwn(raw.fns, name) ? raw.fns[name]!.map((r) => decodeContract(name, r)) : [];
      cache.set(name, list);
    }
    return list;
  };
  const major = /^(\d+\.\d+)/.exec(raw.kernel)?.[1] ?? raw.kernel;
  const helpers = new LazySpecs((name) => {
    const specs = all(name).map((c) => specOf(c, `v${raw.kernel}`));
    const first = specs[0];
    // A name whose definitions disagree (per-arch variants) says nothing sure.
    if (!first || specs.some((s) => JSON.stringify({ ...s, source: 0 }) !== JSON.stringify({ ...first, source: 0 }))) return null;
    return first;
  });
  return {
    kernel: raw.kernel,
    label: `linux-${major}`,
    all,
    find(name, path) {
      const list = all(name);
      return list.find((c) => c.file === path) ?? (list.length === 1 ? list[0] : undefined);
    },
    helpers,
    stats: { ...stats, functions: Object.keys(raw.fns).length },
  };
}

/** Specs made on first lookup of each name (10k names: most are never asked for). */
export class LazySpecs extends Map<string, HelperSpec> {
  private readonly made = new Map<string, HelperSpec | null>();
  constructor(private readonly make: (name: string) => HelperSpec | null) {
    super();
  }
  override get(name: string): HelperSpec | undefined {
    let s = this.made.get(name);
    if (s === undefined) {
      s = this.make(name);
      this.made.set(name, s);
    }
    return s ?? undefined;
  }
  override has(name: string): boolean {
    return this.get(name) !== undefined;
  }
}

/** `top` first, then `base`: a tree's own callees over the built-in contracts. */
export class OverlaySpecs extends Map<string, HelperSpec> {
  constructor(private readonly top: Map<string, HelperSpec>, private readonly base: Map<string, HelperSpec> | undefined) {
    super();
  }
  override get(name: string): HelperSpec | undefined {
    return this.top.get(name) ?? this.base?.get(name);
  }
  override has(name: string): boolean {
    return this.get(name) !== undefined;
  }
}

let loaded: Contracts | null | undefined;

/** The shipped data file, found from this module upwards (src/, out/src/ and dist/ layouts). */
function dataPath(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const p = join(dir, CONTRACTS_FILE);
    if (existsSync(p)) return p;
    dir = dirname(dir);
  }
  return null;
}

/** The built-in contracts, read on first use; null when the data file is missing or damaged. */
export function builtinContracts(): Contracts | null {
  if (loaded !== undefined) return loaded;
  loaded = null;
  const path = dataPath();
  if (!path) return loaded;
  try {
    const t0 = performance.now();
    const gz = readFileSync(path);
    const raw = JSON.parse(gunzipSync(gz).toString('utf8')) as RawContracts;
    loaded = buildContracts(raw, { bytes: gz.length, loadMs: performance.now() - t0 });
  } catch {
    loaded = null;
  }
  return loaded;
}
