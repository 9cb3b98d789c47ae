/**
 * What a cover letter says about its series when the patches are not here:
 * the shortlog (`Author (N):` then one title per patch) and the diffstat.
 * Both may arrive flattened onto single lines (seed 004: a web copy lost the
 * line breaks), so they are read from running text, not line by line.
 */
import type { FileStat } from './types.js';

export interface CoverSummary {
  /** Patch titles of the shortlog, in order. */
  titles: string[];
  /** Files of the diffstat (counts from the +/- bar when it is not scaled). */
  files: FileStat[];
}

/** `Suren Baghdasaryan (6):` — the shortlog header git format-patch writes. */
const SHORTLOG_HEADER = /^(?:[^\n()]{1,80}?) \((\d{1,4})\):[ \t]*/gm;
/** The diffstat summary line ends the stat and the shortlog before it. */
const STAT_SUMMARY = /\b(\d+) files? changed(?:, (\d+) insertions?\(\+\))?(?:, (\d+) deletions?\(-\))?/;
/** ` path | 12 +++---` or ` path | Bin 0 -> 123 bytes`. */
const STAT_ENTRY = /(\S+) +\| +(?:(\d+) ?([+-]*)|Bin [^|]*?bytes)/g;
/** A title starts with `subsystem: `, e.g. `mm: `, `mm/khugepaged: `, `fs/proc: `. */
const TITLE_START = / (?=[A-Za-z0-9_.,\/{}*-]{1,60}: )/g;

export function readCoverSummary(body: string): CoverSummary {
  const titles: string[] = [];
  const summary = STAT_SUMMARY.exec(body);
  const statEnd = summary ? summary.index : body.length;
  SHORTLOG_HEADER.lastIndex = 0;
  let header: RegExpExecArray | null;
  // Several authors may each have a shortlog block; bounded by the text.
  while ((header = SHORTLOG_HEADER.exec(body)) !== null && header.index < statEnd) {
    const count = Number(header[1]);
    const start = header.index + header[0].length;
    const rest = body.slice(start, statEnd);
    titles.push(...readShortlogBlock(rest, count));
  }
  return { titles, files: summary ? readStatEntries(body.slice(0, summary.index + summary[0].length)) : [] };
}

/** Titles of one author's block: one per line, or split at `subsystem: ` when flattened. */
function readShortlogBlock(text: string, count: number): string[] {
  const lines = text.split('\n').map((l) => l.trim());
  const listed: string[] = [];
  for (const line of lines) {
    if (listed.length === count) break;
    if (!line) {
      if (listed.length) break;
      continue;
    }
    listed.push(line);
  }
  if (listed.length === count && !(count > 1 && listed.length === 1)) {
    // One per line, as written; the last may run into the diffstat when flattened.
    return listed.map((t, i) => (i === listed.length - 1 ? cutAtStat(t) : t));
  }
  const flat = cutAtStat(listed.join(' '));
  const pieces = flat.split(TITLE_START).map((t) => t.trim()).filter(Boolean);
  return pieces.slice(0, count);
}

/** On a flattened line the diffstat's first path follows the last title. */
function cutAtStat(text: string): string {
  const entry = / \S+ +\| +(?:\d+|Bin)/.exec(text);
  return (entry ? text.slice(0, entry.index) : text).trim();
}

/** Files of a diffstat (` path | N +-`), also when flattened onto one line. */
export function readStatEntries(text: string): FileStat[] {
  const files: FileStat[] = [];
  STAT_ENTRY.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = STAT_ENTRY.exec(text)) !== null) {
    if (m[2] === undefined) {
      files.push({ path: m[1], added: null, deleted: null, status: 'binary' });
      continue;
    }
    const changed = Number(m[2]);
    const plus = (m[3].match(/\+/g) ?? []).length;
    const minus = m[3].length - plus;
    // The bar is scaled when the stat is wide; then share the count out.
    const added = plus + minus === changed ? plus : Math.round((changed * plus) / Math.max(1, plus + minus));
    files.push({ path: m[1], added, deleted: changed - added, status: 'modified' });
  }
  return files;
}
