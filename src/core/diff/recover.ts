/**
 * Finds the diffs in a message body: the patch's own (unquoted) diff, and
 * diffs quoted in a reply (`> > diff --git`, `> > @@ -1778,15 ...`), with the
 * quote markers removed and a LineMap that points each line just past its
 * markers in the input.
 *
 * The mail reader fills MailMessage.quotedDiffs; this is the fallback the
 * facts command uses while a body carries none, and it also recovers hunks
 * quoted without their file header.  At each quote depth, the diff runs
 * from its first diff line to the end of the body and keeps only lines of
 * that depth: a reviewer's comments between quoted hunks drop out.
 *
 * A quoted hunk is rarely whole: reviewers cut it after the line they answer,
 * and the quote often runs on into the patch's `-- ` signature.  That is how
 * review mail is written, not damage, so joinQuoted sets each quoted hunk's
 * `@@` counts to the lines the quote holds (recountQuoted) before the diff
 * reader sees it; the reader's hunk-count problems stay for the patch's own,
 * unquoted diff, where a short hunk is a real fault.
 */
import type { LineMap } from '../types.js';

export interface FoundDiff {
  text: string;
  map: LineMap;
  /** Quote depth: 0 for the patch's own diff. */
  depth: number;
}

/** Deeper quotes than this are read as text. */
const MAX_DEPTH = 16;

/** Quote depth of a line and the length of its `> > ` prefix. */
function quoteOf(line: string): { depth: number; length: number } {
  let depth = 0;
  let i = 0;
  while (depth < MAX_DEPTH && line.charCodeAt(i) === 62 /* > */) {
    depth++;
    i++;
    if (line.charCodeAt(i) === 32 && line.charCodeAt(i + 1) === 62) i++;
    else if (line.charCodeAt(i) === 32) {
      i++;
      break;
    }
  }
  return { depth, length: i };
}

function startsDiff(lines: string[], k: number, next: (k: number) => string | undefined): boolean {
  const l = lines[k]!;
  if (l.startsWith('diff --git ') || /^@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@/.test(l)) return true;
  return l.startsWith('--- ') && (next(k) ?? '').startsWith('+++ ');
}

export function findDiffs(body: string, bodyMap: LineMap): FoundDiff[] {
  const raw = body.split('\n');
  const quotes = raw.map(quoteOf);
  const stripped = raw.map((l, i) => l.slice(quotes[i]!.length));
  const out: FoundDiff[] = [];
  const depths = new Set(quotes.map((q) => q.depth));
  for (const depth of [...depths].sort((a, b) => a - b)) {
    const idx: number[] = [];
    for (let k = 0; k < raw.length; k++) if (quotes[k]!.depth === depth) idx.push(k);
    let start = -1;
    for (let j = 0; j < idx.length && start < 0; j++) {
      if (startsDiff(stripped, idx[j]!, () => stripped[idx[j + 1] ?? -1])) start = j;
    }
    if (start < 0) continue;
    const lines = idx.slice(start);
    const text = lines.map((k) => stripped[k]!).join('\n');
    const map: LineMap = {
      length: lines.length,
      line: (i) => bodyMap.line(lines[i]!),
      column: (i) => bodyMap.column(lines[i]!) + quotes[lines[i]!]!.length,
      exact: (i) => bodyMap.exact(lines[i]!),
    };
    out.push({ text, map, depth });
  }
  return out;
}

/**
 * Joins the quoted-diff pieces of one message per quote depth, in order.
 * A reviewer's comment between two quoted lines splits a quoted diff into
 * pieces (MailMessage.quotedDiffs), often in the middle of a hunk; the hunk
 * reads right only when the pieces are one text again.
 */
export function joinQuoted(pieces: FoundDiff[]): FoundDiff[] {
  const byDepth = new Map<number, FoundDiff[]>();
  for (const p of pieces) {
    const list = byDepth.get(p.depth);
    if (list) list.push(p);
    else byDepth.set(p.depth, [p]);
  }
  return [...byDepth.values()].map(joinPieces).map((d) => (d.depth > 0 ? { ...d, text: recountQuoted(d.text) } : d));
}

const HUNK_HEADER = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/;
/** A `git format-patch` signature's version line (`2.39.1`). */
const VERSION_LINE = /^\d+\.\d+[\w.-]*$/;

/**
 * Sets every hunk's `@@ -a,b +c,d @@` counts to the lines that follow it in
 * `text`, up to the next hunk or file header, the `-- ` signature, or the
 * first line that is not a diff line.  Blank lines at the end of a hunk are
 * the gap before the reviewer's answer, not context, and are not counted.
 * The line count of the text does not change, so its LineMap still holds.
 * One pass: each line is looked at once by the scan of its hunk.
 */
export function recountQuoted(text: string): string {
  const lines = text.split('\n');
  let changed = false;
  for (let i = 0; i < lines.length; i++) {
    const m = HUNK_HEADER.exec(lines[i]!);
    if (!m) continue;
    let oldCount = 0;
    let newCount = 0;
    let pendingBlank = 0;
    let j = i + 1;
    for (; j < lines.length; j++) {
      const l = lines[j]!;
      if (l === '') {
        pendingBlank++;
        continue;
      }
      if (endsQuotedHunk(lines, j)) break;
      const c = l[0];
      if (c === ' ' || c === '-' || c === '+') {
        // Blank lines inside a hunk are context lines whose space was lost to the quote.
        oldCount += pendingBlank;
        newCount += pendingBlank;
        pendingBlank = 0;
        if (c !== '+') oldCount++;
        if (c !== '-') newCount++;
      } else if (c !== '\\') break;
    }
    const header = `@@ -${m[1]},${oldCount} +${m[2]},${newCount} @@`;
    if (lines[i]!.slice(0, m[0].length) !== header) {
      lines[i] = header + lines[i]!.slice(m[0].length);
      changed = true;
    }
    i = j - 1;
  }
  return changed ? lines.join('\n') : text;
}

/** The lines a quoted hunk cannot go past: another header, or the patch's signature. */
function endsQuotedHunk(lines: string[], j: number): boolean {
  const l = lines[j]!;
  if (l.startsWith('@@ -') || l.startsWith('diff ')) return true;
  if (l.startsWith('--- ') && (lines[j + 1] ?? '').startsWith('+++ ')) return true;
  if (l.startsWith('+++ ')) return true;
  if (l === '-- ' || l === '--') {
    // A removed line reading `- ` goes on with more diff; the signature does not.
    let k = j + 1;
    while (k < lines.length && lines[k] === '') k++;
    const next = lines[k];
    return next === undefined || VERSION_LINE.test(next) || !/^[ +-]/.test(next);
  }
  return false;
}

function joinPieces(pieces: FoundDiff[]): FoundDiff {
  if (pieces.length === 1) return pieces[0]!;
  const starts: number[] = [];
  let n = 0;
  for (const p of pieces) {
    starts.push(n);
    n += p.text.split('\n').length;
  }
  /** Piece holding joined line i, and the line's index in it (binary search). */
  const find = (i: number): [LineMap, number] => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= i) lo = mid;
      else hi = mid - 1;
    }
    return [pieces[lo]!.map, i - starts[lo]!];
  };
  const map: LineMap = {
    length: n,
    line: (i) => {
      const [m, j] = find(i);
      return m.line(j);
    },
    column: (i) => {
      const [m, j] = find(i);
      return m.column(j);
    },
    exact: (i) => {
      const [m, j] = find(i);
      return m.exact(j);
    },
  };
  return { text: pieces.map((p) => p.text).join('\n'), map, depth: pieces[0]!.depth };
}
