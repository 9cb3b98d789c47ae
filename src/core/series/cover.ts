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
/**
 * What follows the bar of a stat entry: ` 12 +++---` or ` Bin 0 -> 123 bytes`,
 * matched at one position (sticky).  The path before the bar is found by
 * walking back from the bar: /(\S+) +\| +.../g restarted the path's \S+ at
 * every character of a long non-space run, quadratic (issue 13).
 */
const STAT_TAIL = / +(?:(\d+) ?([+-]*)|Bin [^|]*?bytes)/y;
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
  const entry = statEntries(text).find((e) => e.start > 0 && text[e.start - 1] === ' ');
  return (entry ? text.slice(0, entry.start - 1) : text).trim();
}

/** Files of a diffstat (` path | N +-`), also when flattened onto one line. */
export function readStatEntries(text: string): FileStat[] {
  const files: FileStat[] = [];
  for (const e of statEntries(text)) {
    if (e.changed === null) {
      files.push({ path: e.path, added: null, deleted: null, status: 'binary' });
      continue;
    }
    const plus = (e.bar.match(/\+/g) ?? []).length;
    const minus = e.bar.length - plus;
    // The bar is scaled when the stat is wide; then share the count out.
    const added = plus + minus === e.changed ? plus : Math.round((e.changed * plus) / Math.max(1, plus + minus));
    files.push({ path: e.path, added, deleted: e.changed - added, status: 'modified' });
  }
  return files;
}

interface StatEntry {
  path: string;
  /** Offset of the path in the text. */
  start: number;
  /** null for `Bin ...`. */
  changed: number | null;
  bar: string;
}

/** `\s` of one character. */
const WHITESPACE = /\s/;

/**
 * Every `path +| +N [+-]*` / `path +| +Bin ... bytes` in the text, left to
 * right, in linear time: each `|` is looked at once, the walk back over its
 * spaces and path stops at the end of the previous entry.
 */
function statEntries(text: string): StatEntry[] {
  const out: StatEntry[] = [];
  let from = 0;
  for (let bar = text.indexOf('|'); bar >= 0; bar = text.indexOf('|', bar + 1)) {
    if (bar < from) continue;
    let k = bar;
    while (k > from && text.charCodeAt(k - 1) === 32) k--;
    if (k === bar) continue; // ` +\|`: at least one space before the bar
    const pathEnd = k;
    while (k > from && !WHITESPACE.test(text[k - 1]!)) k--;
    if (k === pathEnd) continue; // `\S+`: a path
    STAT_TAIL.lastIndex = bar + 1;
    const m = STAT_TAIL.exec(text);
    if (!m) continue;
    out.push({ path: text.slice(k, pathEnd), start: k, changed: m[1] === undefined ? null : Number(m[1]), bar: m[2] ?? '' });
    from = bar + 1 + m[0].length;
  }
  return out;
}
