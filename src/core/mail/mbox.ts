/**
 * Splitting an mbox into messages, as `git mailsplit -b` does (git 2.39,
 * builtin/mailsplit.c): leading white space is skipped; a file whose first
 * line is not an mbox "From " line is one bare message; otherwise a message
 * ends before the next line that is_from_line() accepts.
 */
import type { LineIndex } from './lines.js';

/**
 * git's is_from_line(): "From " then, near the end, something like
 * `hh:mm:ss YYYY` with a year after 90.  A body line such as
 * "From the beginning" is not a separator.
 */
export function isFromLine(line: string): boolean {
  const len = line.length + 1; // git counts the trailing LF
  if (len < 20 || !line.startsWith('From ')) return false;
  // Last colon after "From ".
  const colon = line.lastIndexOf(':');
  if (colon < 5) return false;
  const d = (k: number): boolean => {
    const c = line.charCodeAt(k);
    return c >= 48 && c <= 57;
  };
  if (colon - 4 < 0 || !d(colon - 4) || !d(colon - 2) || !d(colon - 1) || !d(colon + 1) || !d(colon + 2)) return false;
  // strtol(colon + 3): optional white space, optional sign, digits.
  const m = /^\s*([+-]?\d+)/.exec(line.slice(colon + 3, colon + 40));
  const year = m ? parseInt(m[1], 10) : 0;
  return year > 90;
}

/** git's is_gtfrom(): `>From `, `>>From ` ... (mboxrd escapes). */
export function isGtFrom(line: string): boolean {
  let n = 0;
  while (n < line.length && line.charCodeAt(n) === 62) n++;
  return n > 0 && line.startsWith('From ', n);
}

export interface MboxSpan {
  /** 0-based first line of the message (its "From " line, when there is one). */
  first: number;
  /** 0-based line after the last line. */
  end: number;
  /** Whether `first` is an mbox "From " separator line. */
  hasFromLine: boolean;
}

/** Index of the first line that is not white space only, or `idx.count`. */
export function firstContentLine(idx: LineIndex): number {
  for (let i = 0; i < idx.count; i++) {
    if (!/^\s*$/.test(idx.line(i))) return i;
  }
  return idx.count;
}

/** Splits lines [from, idx.count) into messages. */
export function splitMbox(idx: LineIndex, from: number): MboxSpan[] {
  if (from >= idx.count) return [];
  if (!isFromLine(idx.line(from))) return [{ first: from, end: idx.count, hasFromLine: false }];
  const spans: MboxSpan[] = [];
  let start = from;
  for (let i = from + 1; i < idx.count; i++) {
    // Cheap test first: most lines do not start with "From ".
    if (idx.text.charCodeAt(idx.start(i)) !== 70) continue;
    if (isFromLine(idx.line(i))) {
      spans.push({ first: start, end: i, hasFromLine: true });
      start = i;
    }
  }
  spans.push({ first: start, end: idx.count, hasFromLine: true });
  return spans;
}

/**
 * Whether to undo mboxrd escaping.  mboxrd is what public-inbox (lore) and
 * b4 write; an mboxo writer never produces `>>From `, so such a line, or the
 * file's name, tells us.
 */
export function looksLikeMboxrd(file: string, text: string): boolean {
  if (/\.mboxrd$/i.test(file)) return true;
  return /^>>+From /m.test(text);
}
