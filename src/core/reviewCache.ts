/**
 * What review() may keep between calls on the same document, so that an
 * editor's edit re-parses only the patches it touched.
 *
 * The C facts of a diff (the tree-sitter work, most of a review's time) are
 * kept by content: the input file, the diff text, the options that change
 * them (kernel tree) and the shape of its line map (where each diff line
 * sits relative to the first).  An edit above a patch that adds or removes
 * lines moves the patch without changing it: its facts are reused, moved by
 * the difference (every position in PatchFacts is a SourcePos of the input
 * file, see src/core/c/facts.ts).  The findings of a series version are kept
 * by the facts they were made from, and reused when none moved or changed.
 *
 * Bounded: entries not used by the last few reviews are dropped, so a long
 * editing session does not grow it.
 */
import type { Finding } from './findings.js';
import type { PatchFacts } from './c/facts.js';
import type { LineMap } from './types.js';

interface FactsEntry {
  facts: PatchFacts;
  /** Input line of diff line 0 when the facts were made. */
  base: number;
  /** The review (generation) that last used this entry. */
  used: number;
}

interface FindingsEntry {
  findings: Finding[];
  used: number;
}

/** Entries unused for this many reviews are dropped. */
const KEEP_GENERATIONS = 3;
/** A diff longer than this is not fingerprinted line by line (the key would cost more than it saves). */
const MAX_FINGERPRINT_LINES = 200_000;

export class ReviewCache {
  private readonly facts = new Map<string, FactsEntry>();
  private readonly findings = new Map<string, FindingsEntry>();
  private generation = 0;
  /** Counters for tests and benchmarks: diffs parsed, diffs reused, versions checked, versions reused. */
  readonly stats = { parsed: 0, reused: 0, checked: 0, checksReused: 0 };

  /** Starts one review: entries the previous reviews did not use age. */
  begin(): void {
    this.generation++;
    const old = this.generation - KEEP_GENERATIONS;
    for (const [k, e] of this.facts) if (e.used < old) this.facts.delete(k);
    for (const [k, e] of this.findings) if (e.used < old) this.findings.delete(k);
  }

  /**
   * The facts of `diff` at `map`: reused (moved when the diff moved) or
   * made by `make`.  Returns the facts and the key of the entry, which the
   * findings cache uses to recognise a version it has seen.
   */
  factsOf(file: string, diff: string, map: LineMap, optionsKey: string, make: () => PatchFacts): { facts: PatchFacts; key: string } {
    const shape = mapShape(diff, map);
    const base = map.length ? map.line(0) : 0;
    if (shape === null) {
      this.stats.parsed++;
      return { facts: make(), key: `uncached:${this.stats.parsed}` };
    }
    const key = `${optionsKey}\0${file}\0${shape}\0${diff}`;
    const hit = this.facts.get(key);
    if (hit) {
      hit.used = this.generation;
      this.stats.reused++;
      const delta = base - hit.base;
      return { facts: delta === 0 ? hit.facts : moved(hit.facts, file, delta), key: `${key}\0@${base}` };
    }
    const facts = make();
    this.facts.set(key, { facts, base, used: this.generation });
    this.stats.parsed++;
    return { facts, key: `${key}\0@${base}` };
  }

  /** The findings of one series version, keyed by the facts keys of its diffs (which hold their positions). */
  findingsOf(diffKeys: string[], optionsKey: string, make: () => Finding[]): Finding[] {
    const key = `${optionsKey}\u0001${diffKeys.join('\u0001')}`;
    const hit = this.findings.get(key);
    if (hit) {
      hit.used = this.generation;
      this.stats.checksReused++;
      return hit.findings;
    }
    const findings = make();
    this.findings.set(key, { findings, used: this.generation });
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
 * A copy of `facts` with every position in `file` moved by `delta` lines.
 * structuredClone keeps shared objects shared (a CallFact sits both in a
 * function's `flow` and in its `calls`), and each is moved once.
 */
function moved(facts: PatchFacts, file: string, delta: number): PatchFacts {
  const copy = structuredClone(facts);
  const seen = new Set<object>();
  const stack: unknown[] = [copy];
  for (let guard = 0; stack.length && guard < 10_000_000; guard++) {
    const v = stack.pop();
    if (!v || typeof v !== 'object' || seen.has(v)) continue;
    seen.add(v);
    if (Array.isArray(v)) {
      for (const x of v) if (x && typeof x === 'object') stack.push(x);
      continue;
    }
    const o = v as Record<string, unknown>;
    if (o.file === file && typeof o.line === 'number' && typeof o.column === 'number') o.line = (o.line as number) + delta;
    for (const k in o) {
      const x = o[k];
      if (x && typeof x === 'object') stack.push(x);
    }
  }
  return copy;
}
