/**
 * Unified diffs: files, hunks and lines (readDiff), and per-file counts as
 * `git apply --numstat` prints them (diffStat).
 *
 *   readDiff(text): ParsedDiff        every file, hunk and line, with problems
 *   diffStat(text): FileStat[]        path, status, added/deleted (binary: null)
 */
import type { FileStat } from '../series/types.js';
import { SplitLines } from '../mail/lines.js';
import { diffLines, readDiffCounts } from './read.js';

export { readDiff, readDiffCounts } from './read.js';
export type { DiffFile, DiffProblem, FileStatus, Hunk, HunkLine, LineKind, ParsedDiff } from './types.js';

/**
 * Per-file counts of a patch's diff text, in diff order, as
 * `git apply --numstat` would print them.  Hunks with no file header (cut
 * from a quoted reply) name no file and are left out, as git leaves them.
 * `diff` is the text, or its lines as the reader takes them (readDiffCounts:
 * a range of a body's lines, so the diff text need not be built first).
 */
export function diffStat(diff: string | SplitLines): FileStat[] {
  const out: FileStat[] = [];
  for (const f of readDiffCounts(typeof diff === 'string' ? diffLines(new SplitLines(diff)) : diff).files) {
    const path = f.newPath ?? f.oldPath;
    if (path === null) continue;
    const stat: FileStat = {
      path,
      added: f.binary ? null : f.added,
      deleted: f.binary ? null : f.deleted,
      status: f.status,
    };
    if ((f.status === 'renamed' || f.status === 'copied') && f.oldPath !== null) stat.oldPath = f.oldPath;
    out.push(stat);
  }
  return out;
}
export { findDiffs, joinQuoted, type FoundDiff } from './recover.js';
export { hunkImages, offsetMap, identityMap, docPos, ImageIndex, type HunkImage, type ImageLine, type ImageSide } from './images.js';
