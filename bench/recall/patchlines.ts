/**
 * A patch mail as the mutator edits it: its lines, which hunk each belongs
 * to and its marker, and an edit that keeps the patch well formed.  Edits
 * replace or delete single lines and insert new ones; the hunk headers are
 * recounted afterwards and the post-image starts of the file's later hunks
 * shift by what the earlier hunks gained, as git writes them.
 */

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@(.*)$/;

export type Kind = '+' | '-' | ' ' | null;

export interface Hunk {
  /** Index of the `@@` line. */
  header: number;
  /** Indices of the body lines: header + 1 .. end (inclusive). */
  end: number;
  oldStart: number;
  newStart: number;
  tail: string;
  path: string;
  /** Which file of the mail (counts every `diff --git`). */
  fileNo: number;
}

export interface PatchText {
  lines: string[];
  hunks: Hunk[];
  /** The marker of a hunk body line; null outside hunks. */
  kind: Kind[];
  /** The hunk a line is in (index into hunks), or -1. */
  hunkOf: number[];
}

/** Reads the hunks of every diff in the text (counted as git counts them; the signature ends a diff). */
export function readPatchText(text: string): PatchText {
  const lines = text.split('\n');
  const kind: Kind[] = lines.map(() => null);
  const hunkOf: number[] = lines.map(() => -1);
  const hunks: Hunk[] = [];
  let path = '';
  let fileNo = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const git = /^diff --git \S+ b\/(\S+)$/.exec(line);
    if (git) { path = git[1]!; fileNo++; continue; }
    const m = fileNo >= 0 ? HUNK.exec(line) : null;
    if (!m) continue;
    let oldLeft = Number(m[2] ?? '1');
    let newLeft = Number(m[4] ?? '1');
    const h: Hunk = { header: i, end: i, oldStart: Number(m[1]), newStart: Number(m[3]), tail: m[5]!, path, fileNo };
    let j = i + 1;
    for (; j < lines.length && (oldLeft > 0 || newLeft > 0); j++) {
      const l = lines[j]!;
      const k: Kind = l.startsWith('+') ? '+' : l.startsWith('-') ? '-' : l.startsWith('\\') ? null : ' ';
      if (k === '+' || k === ' ') newLeft--;
      if (k === '-' || k === ' ') oldLeft--;
      kind[j] = k;
      hunkOf[j] = hunks.length;
    }
    h.end = j - 1;
    hunks.push(h);
    i = j - 1;
  }
  return { lines, hunks, kind, hunkOf };
}

/** A line of the mutant: where it comes from (a source line or new) and whether the bug is on it. */
export interface OutLine {
  text: string;
  /** The mutation wrote or removed here: the bug's line. */
  touched?: boolean;
  /** Where the bug shows (the write that now lacks its lock), when that is another line. */
  witness?: boolean;
}

/** Source line index -> what replaces it (empty: deleted). Lines not in the map stay. */
export type Edit = Map<number, OutLine[]>;

export interface Mutated {
  text: string;
  /** 1-based lines of the mutant the bug is on (touched, then witnesses). */
  touched: number[];
  witness: number[];
}

/**
 * Applies an edit and recounts every hunk.  A deleted line leaves its
 * neighbours marked touched, so the place the line was is still named.
 */
export function applyEdit(p: PatchText, edit: Edit, witnesses: number[] = []): Mutated {
  const out: OutLine[] = [];
  const firstOut: number[] = [];
  for (let i = 0; i < p.lines.length; i++) {
    firstOut[i] = out.length;
    const rep = edit.get(i);
    if (!rep) { out.push({ text: p.lines[i]!, witness: witnesses.includes(i) }); continue; }
    if (rep.length === 0) {
      if (out.length) out[out.length - 1]!.touched = true;
      // The next source line, whatever it becomes, is marked below.
      out.push({ text: '\u0000deleted' });
      continue;
    }
    out.push(...rep);
  }
  // Markers of deletions: the line after a deletion is touched; then drop the markers.
  for (let k = 0; k < out.length; k++) {
    if (out[k]!.text === '\u0000deleted' && k + 1 < out.length) out[k + 1]!.touched = true;
  }
  const hunkStartOut = p.hunks.map((h) => firstOut[h.header]!);
  const hunkEndOut = p.hunks.map((h) => (h.end + 1 < p.lines.length ? firstOut[h.end + 1]! : out.length) - 1);
  // Recount each hunk from its body in the output.
  const shift = new Map<number, number>();
  p.hunks.forEach((h, n) => {
    let oldCount = 0;
    let newCount = 0;
    let origNew = 0;
    for (let k = hunkStartOut[n]! + 1; k <= hunkEndOut[n]!; k++) {
      const t = out[k]!.text;
      if (t === '\u0000deleted' || t.startsWith('\\')) continue;
      if (t.startsWith('+')) newCount++;
      else if (t.startsWith('-')) oldCount++;
      else { oldCount++; newCount++; }
    }
    for (let i = h.header + 1; i <= h.end; i++) if (p.kind[i] === '+' || p.kind[i] === ' ') origNew++;
    const before = shift.get(h.fileNo) ?? 0;
    const newStart = newCount === 0 ? h.newStart + before - (origNew === 0 ? 0 : 1) : h.newStart + before;
    out[hunkStartOut[n]!] = { ...out[hunkStartOut[n]!]!, text: `@@ -${h.oldStart},${oldCount} +${Math.max(0, newStart)},${newCount} @@${h.tail}` };
    shift.set(h.fileNo, before + newCount - origNew);
  });
  const kept = out.filter((l) => l.text !== '\u0000deleted');
  const touched: number[] = [];
  const witness: number[] = [];
  kept.forEach((l, k) => {
    if (l.touched) touched.push(k + 1);
    if (l.witness) witness.push(k + 1);
  });
  return { text: kept.map((l) => l.text).join('\n'), touched, witness };
}

/** The code of a hunk body line, without its marker. */
export const code = (line: string): string => line.slice(1);

/** Leading whitespace of a line's code. */
export const indentOf = (line: string): string => /^\s*/.exec(code(line))![0];
