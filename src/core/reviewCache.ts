/**
 * What review() may keep between calls, so that an editor's edit re-parses
 * only the patches it touched, and the same patch open twice (the thread's
 * mbox and the copy `b4 review` opens, say) is parsed once.
 *
 * The C facts of a diff (the tree-sitter work, most of a review's time) are
 * kept by content: the diff text, the options that change them (kernel
 * tree) and the shape of its line map (where each diff line sits relative to
 * the first).  A diff that moved (an edit above it added lines) or that sits
 * in another file reuses them, its positions moved (every position in
 * PatchFacts is a SourcePos of the input file, see src/core/c/facts.ts).
 * The findings of a series version are kept by the diffs they were made
 * from, and reused when none changed or moved (in any file).
 *
 * Bounded: least recently used entries go first, so a long editing session
 * or a large workspace does not grow it without end.
 */
import type { Finding } from './findings.js';
import type { PatchFacts } from './c/facts.js';
import type { LineMap } from './types.js';

interface FactsEntry {
  facts: PatchFacts;
  /** Input file and line of diff line 0 the facts were made at. */
  file: string;
  base: number;
}

interface FindingsEntry {
  findings: Finding[];
  /** Input file and first line of each diff the findings were made at. */
  file: string;
  bases: number[];
}

/** Where a diff sits: its content key, its input file and the line of its first diff line. */
export interface DiffPlace {
  content: string;
  file: string;
  base: number;
}

/** Diffs whose facts are kept (a 10,000-line series holds about 30). */
const MAX_FACTS = 1000;
/** Series versions whose findings are kept. */
const MAX_FINDINGS = 200;
/** A diff longer than this is not fingerprinted line by line (the key would cost more than it saves). */
const MAX_FINGERPRINT_LINES = 200_000;

export class ReviewCache {
  // Maps keep insertion order: a hit is re-inserted, the first entry is the least recently used.
  private readonly facts = new Map<string, FactsEntry>();
  private readonly findings = new Map<string, FindingsEntry>();
  /** Counters for tests and benchmarks: diffs parsed, diffs reused, versions checked, versions reused. */
  readonly stats = { parsed: 0, reused: 0, checked: 0, checksReused: 0 };

  /**
   * The facts of `diff` at `map`: reused (moved when the diff moved) or
   * made by `make`.  Also returns where the diff sits, which findingsOf()
   * needs to recognise a version it has seen.
   */
  factsOf(file: string, diff: string, map: LineMap, optionsKey: string, make: () => PatchFacts): { facts: PatchFacts; place: DiffPlace } {
    const shape = mapShape(diff, map);
    const base = map.length ? map.line(0) : 0;
    if (shape === null) {
      this.stats.parsed++;
      return { facts: make(), place: { content: `uncached:${this.stats.parsed}`, file, base } };
    }
    const key = `${optionsKey}\0${shape}\0${diff}`;
    const place = { content: key, file, base };
    const hit = this.facts.get(key);
    if (hit) {
      this.facts.delete(key);
      this.stats.reused++;
      const same = hit.file === file && hit.base === base;
      // Kept at its latest place: the next review of the same text reuses it as is.
      const entry = same ? hit : { facts: moved(hit.facts, hit.file, file, base - hit.base), file, base };
      this.facts.set(key, entry);
      return { facts: entry.facts, place };
    }
    const facts = make();
    this.facts.set(key, { facts, file, base });
    if (this.facts.size > MAX_FACTS) this.facts.delete(this.facts.keys().next().value as string);
    this.stats.parsed++;
    return { facts, place };
  }

  /**
   * The findings of one series version, made from diffs at `places`: reused
   * when the same diffs at the same lines were checked before, in this file
   * or in another (the same mail opened twice).  A version whose diffs moved
   * is checked again: findings' messages name lines.
   */
  findingsOf(places: DiffPlace[], optionsKey: string, make: () => Finding[]): Finding[] {
    const key = `${optionsKey}\u0001${places.map((p) => p.content).join('\u0001')}`;
    const hit = this.findings.get(key);
    const file = places[0]?.file;
    const oneFile = places.every((p) => p.file === file);
    // Messages name lines ("taken at line 2556"): only findings at the same lines can be reused.
    if (hit && oneFile && file !== undefined && hit.bases.length === places.length && places.every((p, i) => p.base === hit.bases[i])) {
      this.findings.delete(key);
      this.stats.checksReused++;
      const entry = hit.file === file ? hit : { findings: moved(hit.findings, hit.file, file, 0), file, bases: hit.bases };
      this.findings.set(key, entry);
      return entry.findings;
    }
    const findings = make();
    this.findings.delete(key);
    if (oneFile && file !== undefined) {
      this.findings.set(key, { findings, file, bases: places.map((p) => p.base) });
      if (this.findings.size > MAX_FINDINGS) this.findings.delete(this.findings.keys().next().value as string);
    }
    this.stats.checked++;
    return findings;
  }

  clear(): void {
    this.facts.clear();
    this.findings.clear();
  }
}

/**
 * Where each diff line sits relative to diff line 0 (line and column), as a
 * string; null when the map is not exact (base64 bodies, damaged mail),
 * where moving facts by a plain line difference would be wrong.
 */
function mapShape(diff: string, map: LineMap): string | null {
  let n = 1;
  for (let i = diff.indexOf('\n'); i !== -1 && n <= MAX_FINGERPRINT_LINES; i = diff.indexOf('\n', i + 1)) n++;
  if (n > MAX_FINGERPRINT_LINES) return null;
  const count = Math.min(n, map.length);
  if (!count) return '';
  const base = map.line(0);
  const parts: string[] = [];
  let run = 0;
  for (let i = 0; i < count; i++) {
    if (!map.exact(i)) return null;
    const rel = map.line(i) - base;
    const col = map.column(i);
    // Runs of consecutive lines at column 1 (the common case) are one token.
    if (rel === i && col === 1) {
      run++;
      continue;
    }
    if (run) parts.push(`r${run}`);
    run = 0;
    parts.push(`${rel}:${col}`);
  }
  if (run) parts.push(`r${run}`);
  return parts.join(',');
}

/**
 * A copy of `facts` (or findings) with every position in `from` moved to `to`, `delta`
 * lines down, made in one walk (about twice as fast as structuredClone and
 * a second walk).  Shared objects stay shared in the copy (a CallFact sits
 * both in a function's `flow` and in its `calls`), so each moves once.
 * PatchFacts is a tree of plain objects, arrays and primitives (bigint
 * values included); depth is that of the C's nesting, bounded by the parser.
 */
function moved<T>(facts: T, from: string, to: string, delta: number): T {
  const copies = new Map<object, unknown>();
  const copy = (v: unknown): unknown => {
    if (v === null || typeof v !== 'object') return v;
    const done = copies.get(v);
    if (done !== undefined) return done;
    if (Array.isArray(v)) {
      const out: unknown[] = new Array(v.length);
      copies.set(v, out);
      for (let i = 0; i < v.length; i++) out[i] = copy(v[i]);
      return out;
    }
    if (v instanceof Map || v instanceof Set) {
      const out = structuredClone(v);
      copies.set(v, out);
      return out;
    }
    const o = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    copies.set(v, out);
    for (const k in o) out[k] = copy(o[k]);
    if (out.file === from && typeof out.line === 'number' && typeof out.column === 'number') {
      out.line = (out.line as number) + delta;
      // A finding's range ends in the same file.
      if (typeof out.endLine === 'number') out.endLine = (out.endLine as number) + delta;
      out.file = to;
    }
    return out;
  };
  return copy(facts) as T;
}
