/**
 * What changed between two versions of a series, from the mail alone (b4
 * needs the blobs in a local repository for its range-diff): for each patch
 * of vN, the patch of vN-1 it re-rolls (same title, else same index), and
 *  - `unchanged`: same patch-id and same commit message (tags may differ);
 *  - `message`: same patch-id, the commit message changed;
 *  - `code`: the patch-id changed; an interdiff of the two diffs is given;
 *  - `new`: no patch of vN-1 matches;
 * plus the patches of vN-1 that vN drops.
 */
import type { Patch, Series, SeriesVersion } from '../series/types.js';
import { patchId } from './patchid.js';

export type PatchChangeKind = 'unchanged' | 'message' | 'code' | 'new';

export interface PatchChange {
  kind: PatchChangeKind;
  /** The version compared against, or null for the first version. */
  fromVersion: number | null;
  /** The patch of that version, when one matches. */
  from: Patch | null;
  /** Diff of the two diffs (`-` old, `+` new), for `code`. */
  interdiff?: string;
}

export interface VersionComparison {
  from: SeriesVersion;
  to: SeriesVersion;
  patches: { patch: Patch; change: PatchChange }[];
  /** Patches of `from` that `to` no longer has. */
  dropped: Patch[];
  /**
   * Patches of `from` whose place in `to` is empty: `to` still counts them
   * (2/2 resent alone as a b4 partial re-roll, or a mail not saved), so
   * they are not dropped; the older copy is the latest the input has.
   */
  notResent: Patch[];
}

function key(title: string): string {
  return title.toLowerCase().replace(/\s+/g, ' ').trim();
}

function normaliseMessage(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * The patch of `candidates` that `patch` re-rolls: the same title; else a
 * retitled patch at the same position that touches the same files.
 */
export function previousOf(patch: Patch, candidates: readonly Patch[], used: ReadonlySet<Patch> = new Set()): Patch | null {
  const title = key(patch.subject.title);
  const byTitle = candidates.find((p) => !used.has(p) && key(p.subject.title) === title);
  if (byTitle) return byTitle;
  const index = patch.subject.index ?? 0;
  if (index <= 0) return null;
  const files = new Set(patch.files.map((f) => f.path));
  const id = patchId(patch.diff);
  return (
    candidates.find(
      (p) => !used.has(p) && p.subject.index === index && ((id !== null && patchId(p.diff) === id) || (files.size > 0 && p.files.length === files.size && p.files.every((f) => files.has(f.path)))),
    ) ?? null
  );
}

export function compareVersions(from: SeriesVersion, to: SeriesVersion): VersionComparison {
  const used = new Set<Patch>();
  // Titles first, so a retitled patch cannot take the place of one that kept its title.
  const exact = new Map<Patch, Patch>();
  for (const patch of to.patches) {
    const prev = from.patches.find((p) => !used.has(p) && key(p.subject.title) === key(patch.subject.title));
    if (prev) {
      exact.set(patch, prev);
      used.add(prev);
    }
  }
  const patches = to.patches.map((patch) => {
    let prev = exact.get(patch) ?? null;
    if (!prev) {
      prev = previousOf(patch, from.patches, used);
      if (prev) used.add(prev);
    }
    if (!prev) return { patch, change: { kind: 'new' as const, fromVersion: from.version, from: null } };
    return { patch, change: changeBetween(prev, patch, from.version) };
  });
  const unmatched = from.patches.filter((p) => !used.has(p));
  // Same count, and the index is a hole in the newer version: not resent.
  const holeInTo = (p: Patch) => from.total === to.total && to.missing.includes(p.subject.index ?? 0);
  return { from, to, patches, dropped: unmatched.filter((p) => !holeInTo(p)), notResent: unmatched.filter(holeInTo) };
}

function changeBetween(prev: Patch, patch: Patch, fromVersion: number): PatchChange {
  const a = patchId(prev.diff);
  const b = patchId(patch.diff);
  if (a !== b || (a === null && prev.diff !== patch.diff)) {
    return { kind: 'code', fromVersion, from: prev, interdiff: interdiff(prev.diff, patch.diff) };
  }
  const kind = normaliseMessage(prev.commitMessage) === normaliseMessage(patch.commitMessage) ? 'unchanged' : 'message';
  return { kind, fromVersion, from: prev };
}

/** For every patch of every version: what changed since the version before (the summary's `changeSincePrevious`). */
export function changeSincePrevious(series: Series): Map<Patch, PatchChange> {
  const out = new Map<Patch, PatchChange>();
  series.versions.forEach((v, i) => {
    if (i === 0) {
      for (const p of v.patches) out.set(p, { kind: 'new', fromVersion: null, from: null });
      return;
    }
    for (const { patch, change } of compareVersions(series.versions[i - 1], v).patches) out.set(patch, change);
  });
  return out;
}

/** Lines of a diff that matter when comparing versions: no `index` lines, no hunk line numbers. */
function comparable(diff: string): string[] {
  return diff
    .split('\n')
    .filter((l) => !l.startsWith('index '))
    .map((l) => (l.startsWith('@@ ') ? l.replace(/^@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@/, '@@') : l));
}

/** Upper bound on the edit distance explored: past it the interdiff is summarised. */
const MAX_EDITS = 1500;

/**
 * A unified diff of two diffs (Myers' O((N+M)D) algorithm, bounded), with
 * three lines of context: what a reviewer reads to see how the code changed.
 */
export function interdiff(oldDiff: string, newDiff: string): string {
  const a = comparable(oldDiff);
  const b = comparable(newDiff);
  const script = myers(a, b);
  if (!script) return `(the diffs differ in more than ${MAX_EDITS} lines; interdiff not shown)\n`;
  const out: string[] = [];
  const context = 3;
  // Group edits into hunks with context.
  let i = 0;
  while (i < script.length) {
    if (script[i].op === ' ') {
      i++;
      continue;
    }
    let start = Math.max(0, i - context);
    let end = i;
    let lastEdit = i;
    while (end < script.length && (script[end].op !== ' ' || end - lastEdit <= context * 2)) {
      if (script[end].op !== ' ') lastEdit = end;
      end++;
    }
    end = Math.min(script.length, lastEdit + context + 1);
    const first = script[start];
    out.push(`@@ -${first.a + 1} +${first.b + 1} @@`);
    for (let k = start; k < end; k++) out.push(script[k].op + script[k].text);
    i = end;
    start = end;
  }
  return out.join('\n') + (out.length ? '\n' : '');
}

interface Edit {
  op: ' ' | '-' | '+';
  text: string;
  /** Index in the old / new line list at this point. */
  a: number;
  b: number;
}

function myers(a: string[], b: string[]): Edit[] | null {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, MAX_EDITS);
  const offset = max + 1;
  let v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    const next = v.slice();
    for (let k = -d; k <= d; k += 2) {
      let x: number;
      if (k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1])) x = v[offset + k + 1];
      else x = v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      next[offset + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
    v = next;
    if (found >= 0) {
      trace.push(v.slice());
      break;
    }
  }
  if (found < 0) return null;
  // Walk back through the trace.
  const edits: Edit[] = [];
  let x = n;
  let y = m;
  for (let d = found; d > 0; d--) {
    const vd = trace[d];
    const k = x - y;
    let prevK: number;
    if (k === -d || (k !== d && vd[offset + k - 1] < vd[offset + k + 1])) prevK = k + 1;
    else prevK = k - 1;
    const prevX = vd[offset + prevK];
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      edits.push({ op: ' ', text: a[x], a: x, b: y });
    }
    if (x === prevX) {
      y--;
      edits.push({ op: '+', text: b[y], a: x, b: y });
    } else {
      x--;
      edits.push({ op: '-', text: a[x], a: x, b: y });
    }
  }
  while (x > 0 && y > 0) {
    x--;
    y--;
    edits.push({ op: ' ', text: a[x], a: x, b: y });
  }
  return edits.reverse();
}
