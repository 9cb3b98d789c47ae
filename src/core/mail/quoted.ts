/**
 * Replies that quote a patch (`> > diff --git ...`, `> > @@ ...`): the
 * quoted diff is recovered with its quote markers removed, each line mapped
 * to the column just past the markers, so a finding on a quoted hunk lands
 * on the reviewer's own copy of it.  "On ..., NAME wrote:" attributions say
 * who wrote the text at each depth.
 */
import type { Address, LineMap } from '../types.js';
import { parseAuthor } from './address.js';
import { LineMapBuilder } from './lines.js';

/** Hard cap on quote depth we look at: a deeper prefix is read as text. */
const MAX_DEPTH = 64;

/** Quote depth of a line and the length of its marker prefix (`> > `). */
export function quotePrefix(line: string): { depth: number; length: number } {
  let depth = 0;
  let i = 0;
  let end = 0;
  const n = Math.min(line.length, MAX_DEPTH * 3);
  while (i < n) {
    // Between markers a client may put an extra space ("> >  > "); before
    // the first there is none, or a diff context line " > x" would count.
    let j = i;
    while (depth > 0 && j < n && j - i < 1 && line.charCodeAt(j) === 32) j++;
    if (line.charCodeAt(j) !== 62) break;
    depth++;
    i = j + 1;
    // One space after the marker belongs to it.
    if (line.charCodeAt(i) === 32) i++;
    end = i;
  }
  return { depth, length: end };
}

export interface Attribution {
  /** Depth of the quoted text this attribution introduces (its own depth + 1). */
  depth: number;
  name: string;
  email: string | null;
  /** Index of the body line holding it. */
  bodyLine: number;
}

// Tokens of a date that may precede the name in "On <date> <name> wrote:".
const DATEISH = /^(?:\d[\d:/.,-]*|[+-]\d{4},?|\(?[A-Z]{2,5}\)?,?|(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*,?|at|[AP]M,?|\d+(?:st|nd|rd|th),?|\d{1,2}:\d{2}(?::\d{2})?(?:[AP]M)?,?)$/;

/** Parses "On <date>, <Name> [<mail>] wrote:" (one line), or null. */
export function parseAttribution(text: string): { name: string; email: string | null } | null {
  if (text.length > 400) return null;
  const m = /^\s*On (.+?)\s+wrote:\s*$/.exec(text) ?? /^\s*(.+?)\s+(?:wrote|writes):\s*$/.exec(text);
  if (!m) return null;
  let who = m[1];
  const lt = who.lastIndexOf('<');
  let email: string | null = null;
  if (lt !== -1 && who.indexOf('>', lt) !== -1) {
    email = who.slice(lt + 1, who.indexOf('>', lt));
    who = who.slice(0, lt);
  }
  if (who.includes(',') && !/"[^"]*,[^"]*"/.test(who)) {
    who = who.slice(who.lastIndexOf(',') + 1);
  }
  // Drop leading date tokens ("Fri, 23 Jan 2026 20:12:10 +0000 Name").
  const words = who.trim().split(/\s+/);
  let k = 0;
  while (k < words.length - 1 && DATEISH.test(words[k])) k++;
  const name = words.slice(k).join(' ').replace(/^"|"$/g, '').trim();
  if (!name || name.length > 80 || /\d{2}:\d{2}/.test(name)) return email ? { name: '', email } : null;
  return { name, email };
}

/** Lines that can stand inside a unified diff hunk or its header. */
function isDiffLine(s: string): boolean {
  if (s === '') return true; // blank context line, its space trimmed
  const c = s[0];
  if (c === ' ' || c === '+' || c === '-' || c === '\\') return true;
  return s.startsWith('@@ ') || s.startsWith('diff --git ') || s.startsWith('index ') || /^(new|deleted) file mode |^(similarity|rename|copy) /.test(s);
}

function startsDiff(s: string): boolean {
  return s.startsWith('diff --git ') || /^@@ -\d+(,\d+)? \+\d+(,\d+)? @@/.test(s) || s.startsWith('--- a/');
}

export interface QuotedDiff {
  text: string;
  map: LineMap;
  depth: number;
  /** Who wrote the quoted text, from the nearest attribution for this depth. */
  author?: Address | null;
}

/**
 * Finds the quoted diffs in a body.  A run of lines at one quote depth
 * holds a diff from its first `diff --git` / `@@` line on; a later run at the
 * same depth, after the reviewer's own comment, continues that diff (its
 * hunk was cut), so it is taken from its first line.
 */
export function extractQuotedDiffs(lines: string[], map: LineMap): { diffs: QuotedDiff[]; attributions: Attribution[] } {
  const diffs: QuotedDiff[] = [];
  const attributions: Attribution[] = [];
  const n = lines.length;
  const depthOf = new Int16Array(n);
  const prefixLen = new Int32Array(n);
  let anyQuoted = false;
  for (let i = 0; i < n; i++) {
    const line = lines[i];
    if (line.charCodeAt(0) !== 62) continue;
    const q = quotePrefix(line);
    depthOf[i] = q.depth;
    prefixLen[i] = q.length;
    if (q.depth > 0) anyQuoted = true;
  }
  for (let i = 0; i < n; i++) {
    const line = lines[i];
    if (line.length < 400 && /wrote:\s*$|writes:\s*$/.test(line)) {
      const a = parseAttribution(line.slice(prefixLen[i]));
      if (a) attributions.push({ depth: depthOf[i] + 1, name: a.name, email: a.email, bodyLine: i });
    }
  }
  if (!anyQuoted) return { diffs, attributions };

  const open = new Set<number>(); // depths whose diff was interrupted, may continue
  let i = 0;
  while (i < n) {
    const d = depthOf[i];
    if (d === 0) {
      i++;
      continue;
    }
    // The run of lines at depth d.
    let end = i;
    while (end < n && depthOf[end] === d) end++;
    let start = -1;
    // After the reviewer's comment, the same depth's diff continues mid-hunk.
    if (open.has(d) && isDiffLine(lines[i].slice(prefixLen[i])) && lines[i].slice(prefixLen[i]).trim() !== '') start = i;
    for (let k = i; start === -1 && k < end; k++) {
      const s = lines[k].slice(prefixLen[k]);
      if (startsDiff(s)) {
        start = k;
        break;
      }
    }
    if (start === -1) {
      open.delete(d);
      i = end;
      continue;
    }
    // The diff runs while its lines look like diff lines.  A line that
    // does not, right after a hunk header or between two diff lines, was
    // wrapped by the replier's mail client: it is joined back.
    const wrapped = new Set<number>();
    let stop = start;
    while (stop < end) {
      const s = lines[stop].slice(prefixLen[stop]);
      if (isDiffLine(s)) {
        stop++;
        continue;
      }
      const prevText = stop > start ? lines[stop - 1].slice(prefixLen[stop - 1]) : '';
      const nextIsDiff = stop + 1 < end && isDiffLine(lines[stop + 1].slice(prefixLen[stop + 1]));
      if (stop > start && !wrapped.has(stop - 1) && s.trim() !== '' && (prevText.startsWith('@@ ') || nextIsDiff)) {
        wrapped.add(stop);
        stop++;
        continue;
      }
      break;
    }
    // Trailing blank quoted lines are the quote's, not the diff's.
    let last = stop;
    while (last > start && lines[last - 1].slice(prefixLen[last - 1]).trim() === '') last--;
    if (last > start) {
      const texts: string[] = [];
      const b = new LineMapBuilder();
      for (let k = start; k < last; k++) {
        const s = lines[k].slice(prefixLen[k]);
        if (wrapped.has(k)) {
          texts[texts.length - 1] += (texts[texts.length - 1].endsWith(' ') ? '' : ' ') + s.trimStart();
          continue;
        }
        texts.push(s);
        b.push(map.line(k), map.column(k) + prefixLen[k], map.exact(k) && !wrapped.has(k + 1));
      }
      diffs.push({ text: texts.join('\n') + '\n', map: b.build(), depth: d, author: authorFor(attributions, d, start) });
      open.add(d);
    }
    i = stop > i ? stop : end;
    if (i < end) i = end;
  }
  return { diffs, attributions };
}

function authorFor(attributions: Attribution[], depth: number, before: number): Address | null {
  let found: Attribution | null = null;
  for (const a of attributions) {
    if (a.bodyLine >= before) break;
    if (a.depth === depth) found = a;
  }
  if (!found) return null;
  if (found.email) {
    const parsed = parseAuthor(`${found.name} <${found.email}>`, false);
    if (parsed) return parsed;
  }
  return { name: found.name, email: found.email ?? '' };
}
