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
 * The findings of a series version are kept by the facts they were made
 * from, at their places, and reused when none moved or changed.
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

/** Diffs whose facts are kept (a 10,000-line series holds about 30). */
const MAX_FACTS = 1000;
/** Series versions whose findings are kept. */
const MAX_FINDINGS = 200;
/** A diff longer than this is not fingerprinted line by line (the key would cost more than it saves). */
const MAX_FINGERPRINT_LINES = 200_000;

export class ReviewCache {
  // Maps keep insertion order: a hit is re-inserted, the first entry is the least recently used.
  private readonly facts = new Map<string, FactsEntry>();
  private readonly findings = new Map<string, Finding[]>();
  /** Counters for tests and benchmarks: diffs parsed, diffs reused, versions checked, versions reused. */
  readonly stats = { parsed: 0, reused: 0, checked: 0, checksReused: 0 };

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
    const key = `${optionsKey}\0${shape}\0${diff}`;
    // The findings cache needs the place too: the same facts at another line make findings at another line.
    const placed = `${file}\0${base}\0${key}`;
    const hit = this.facts.get(key);
    if (hit) {
      this.facts.delete(key);
      this.stats.reused++;
      const same = hit.file === file && hit.base === base;
      // Kept at its latest place: the next review of the same text reuses it as is.
      const entry = same ? hit : { facts: moved(hit.facts, hit.file, file, base - hit.base), file, base };
      this.facts.set(key, entry);
      return { facts: entry.facts, key: placed };
    }
    const facts = make();
    this.facts.set(key, { facts, file, base });
    if (this.facts.size > MAX_FACTS) this.facts.delete(this.facts.keys().next().value as string);
    this.stats.parsed++;
    return { facts, key: placed };
  }

  /** The findings of one series version, keyed by the facts keys of its diffs (which hold their positions). */
  findingsOf(diffKeys: string[], optionsKey: string, make: () => Finding[]): Finding[] {
    const key = `${optionsKey}\u0001${diffKeys.join('\u0001')}`;
    const hit = this.findings.get(key);
    if (hit) {
      this.findings.delete(key);
      this.findings.set(key, hit);
      this.stats.checksReused++;
      return hit;
    }
    const findings = make();
    this.findings.set(key, findings);
    if (this.findings.size > MAX_FINDINGS) this.findings.delete(this.findings.keys().next().value as string);
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
 * A copy of `facts` with every position in `from` moved to `to`, `delta`
 * lines down.  structuredClone keeps shared objects shared (a CallFact sits
 * both in a function's `flow` and in its `calls`), and each is moved once.
 */
function moved(facts: PatchFacts, from: string, to: string, delta: number): PatchFacts {
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
    if (o.file === from && typeof o.line === 'number' && typeof o.column === 'number') {
      o.line = (o.line as number) + delta;
      o.file = to;
    }
    for (const k in o) {
      const x = o[k];
      if (x && typeof x === 'object') stack.push(x);
    }
  }
  return copy;
}
