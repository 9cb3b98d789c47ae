/**
 * Kernel-tree mode: a reviewer's Linux source tree gives the whole file a
 * patch changes, so whole functions are analysed instead of fragments, and
 * flag values resolve through the tree's headers.
 *
 * Each hunk is applied in memory like `git apply`: its pre-image (context
 * and `-` lines) must match the tree's file at the @@ line, or at the
 * nearest place it matches (the file moved on); whitespace differences are
 * forgiven as a second try (quoted mail turns tabs into spaces).  A hunk
 * that matches nowhere is reported with the first line that differs.
 */
import { join } from 'node:path';
import type { TreeReader } from './treefs.js';
import type { LineMap, SourcePos } from '../types.js';
import type { DiffFile } from '../diff/types.js';
import { docPos, hunkImages, type ImageLine } from '../diff/images.js';

export interface TreeSide {
  text: string;
  /** Per row: the hunk's image line, or a tree line (diffLine -1, change ' ', fileLine = its line in the tree file). */
  rows: ImageLine[];
}

export interface TreeFile {
  /** Every hunk applied: pre and post are the whole file. */
  ok: boolean;
  treePath: string;
  pre: TreeSide;
  post: TreeSide;
  notApplied: { hunk: number; pos: SourcePos; reason: string }[];
  /** Hunks that applied only when whitespace was ignored. */
  fuzzyWhitespace: number[];
  /** Hunks that applied at another line than their @@ header says: hunk -> offset. */
  offsets: Map<number, number>;
}

const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** Reads a tree file as lines; null when absent or refused (the reader keeps why). */
export function readLines(tree: TreeReader, rel: string): string[] | null {
  const text = tree.read(rel);
  if (text === null) return null;
  const lines = text.split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function applyToTree(tree: TreeReader, file: DiffFile, doc: string, map: LineMap): TreeFile {
  const images = hunkImages(file);
  const oldPath = file.oldPath ?? file.newPath ?? '';
  const treePath = join(tree.root, oldPath);
  const empty: TreeSide = { text: '', rows: [] };
  const result: TreeFile = { ok: false, treePath, pre: empty, post: empty, notApplied: [], fuzzyWhitespace: [], offsets: new Map() };
  const refusedBefore = tree.refused.length;
  const source = file.status === 'added' ? [] : readLines(tree, oldPath);
  if (source === null) {
    const refused = tree.refused.length > refusedBefore ? tree.refused[tree.refused.length - 1]!.reason : null;
    for (const h of images) {
      result.notApplied.push({ hunk: h.index, pos: docPos(doc, map, h.hunk.headerLine, -1),
        reason: refused ? `${oldPath} was not read: ${refused}` : `${oldPath} is not in the tree` });
    }
    return result;
  }
  const treeRow = (text: string, line: number): ImageLine => ({ text, change: ' ', diffLine: -1, fileLine: line, hunk: -1 });

  // Where each hunk applies (0-based line of the tree file), in order.
  const at: number[] = [];
  let shift = 0;
  let from = 0;
  for (const h of images) {
    const want = h.pre.map((l) => l.text);
    const expected = Math.max(0, h.hunk.oldStart - 1 + shift);
    let pos = find(source, want, expected, from, false);
    if (pos < 0) {
      pos = find(source, want, expected, from, true);
      if (pos >= 0) result.fuzzyWhitespace.push(h.index);
    }
    if (pos < 0) {
      // A tree newer than the patch may hold it already: look for the post-image.
      const post = h.post.map((l) => l.text);
      const done = h.post.some((l) => l.change === '+') ? find(source, post, expected, 0, false) : -1;
      const reason = done >= 0 ? `already in ${oldPath}: its post-image is at line ${done + 1}` : mismatch(source, h.pre, expected, oldPath);
      result.notApplied.push({ hunk: h.index, pos: docPos(doc, map, h.hunk.headerLine, -1), reason });
      at.push(-1);
      continue;
    }
    if (pos !== h.hunk.oldStart - 1) result.offsets.set(h.index, pos - (h.hunk.oldStart - 1));
    shift = pos - (h.hunk.oldStart - 1);
    from = pos + want.length;
    at.push(pos);
  }
  if (result.notApplied.length) return result;

  const preRows: ImageLine[] = source.map((t, i) => treeRow(t, i + 1));
  const postRows: ImageLine[] = [];
  let k = 0;
  images.forEach((h, i) => {
    const start = at[i]!;
    for (; k < start; k++) postRows.push(treeRow(source[k]!, k + 1));
    // The tree's own text for pre rows (it parses as the file is); the hunk's lines map them.
    h.pre.forEach((l, j) => {
      preRows[start + j] = { ...l, text: source[start + j]! };
    });
    // Post rows: context keeps the tree's text, `+` lines come from the patch.
    let preIdx = 0;
    let postIdx = 0;
    for (const l of h.hunk.lines) {
      if (l.kind === '-') {
        preIdx++;
        continue;
      }
      const img = h.post[postIdx++]!;
      postRows.push(l.kind === ' ' ? { ...img, text: source[start + preIdx]! } : img);
      if (l.kind === ' ') preIdx++;
    }
    k = start + h.pre.length;
  });
  for (; k < source.length; k++) postRows.push(treeRow(source[k]!, k + 1));
  result.ok = true;
  result.pre = { text: preRows.map((r) => r.text).join('\n') + '\n', rows: preRows };
  result.post = { text: postRows.map((r) => r.text).join('\n') + '\n', rows: postRows };
  return result;
}

/** First line where `want` matches `source`, searching outward from `expected`. */
function find(source: string[], want: string[], expected: number, from: number, loose: boolean): number {
  const eq = loose ? (a: string, b: string) => squash(a) === squash(b) : (a: string, b: string) => a === b;
  const fits = (p: number): boolean => {
    if (p < from || p + want.length > source.length) return false;
    for (let j = 0; j < want.length; j++) if (!eq(source[p + j]!, want[j]!)) return false;
    return true;
  };
  const limit = Math.max(source.length, expected) + 1;
  for (let d = 0; d <= limit; d++) {
    if (fits(expected + d)) return expected + d;
    if (d > 0 && fits(expected - d)) return expected - d;
  }
  return -1;
}

function mismatch(source: string[], pre: ImageLine[], expected: number, path: string): string {
  for (let j = 0; j < pre.length; j++) {
    const have = source[expected + j];
    if (have === undefined) return `${path} ends at line ${source.length}, before the hunk's line ${expected + j + 1}`;
    if (squash(have) !== squash(pre[j]!.text)) {
      return `${path}:${expected + j + 1} is "${have.trim().slice(0, 60)}", the patch expects "${pre[j]!.text.trim().slice(0, 60)}"`;
    }
  }
  return `the hunk's lines are not in ${path} in this order`;
}

const HEADERS = [
  'include/linux/mm.h', 'include/linux/mm_types.h', 'include/linux/mmap_lock.h', 'include/linux/bits.h',
  'include/vdso/bits.h', 'include/linux/gfp_types.h', 'include/uapi/asm-generic/mman-common.h',
  'include/linux/huge_mm.h', 'include/linux/userfaultfd_k.h', 'include/linux/pgtable.h',
];
/** Defines of one header file, read once per process. */
const headerCache = new Map<string, Map<string, string>>();

function headerDefines(tree: TreeReader, rel: string): Map<string, string> {
  const key = `${tree.root}\0${rel}`;
  let table = headerCache.get(key);
  if (table) return table;
  table = new Map();
  const lines = readLines(tree, rel) ?? [];
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    while (line.endsWith('\\') && i + 1 < lines.length) line = line.slice(0, -1) + ' ' + lines[++i]!;
    const d = /^\s*#\s*define\s+([A-Za-z_]\w*)(?!\()\s+(.*)$/.exec(line);
    if (d) {
      if (!table.has(d[1]!)) table.set(d[1]!, d[2]!);
      continue;
    }
    const e = /^\s+([A-Z_][A-Z0-9_]*)\s*=\s*([^,]+),?\s*(?:\/\*.*)?$/.exec(line);
    if (e && !table.has(e[1]!)) table.set(e[1]!, e[2]!);
  }
  headerCache.set(key, table);
  return table;
}

/**
 * Object-like defines (and `NAME = value,` enum entries) of the tree's mm
 * headers and of `extra` headers (those the patched files include).  The
 * first definition wins (config #ifdefs are not evaluated).
 */
export function treeDefines(tree: TreeReader, extra: string[] = []): (name: string) => string | null {
  const tables = [...HEADERS, ...extra.filter((h) => !HEADERS.includes(h))].map((h) => headerDefines(tree, h));
  return (name) => {
    for (const t of tables) {
      const v = t.get(name);
      if (v !== undefined) return v;
    }
    return null;
  };
}
