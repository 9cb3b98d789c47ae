/**
 * The trailer block of a commit message, found the way
 * `git interpret-trailers --parse` finds it (git 2.39 trailer.c:
 * find_patch_start, ignore_non_trailer, find_trailer_start, parse_trailers):
 *
 *  - the message ends at the first line starting with `---` followed by
 *    whitespace (the `---` before the diffstat);
 *  - trailing blank and `#` comment lines are not part of it;
 *  - the first paragraph is the title and never holds trailers;
 *  - the block is the last paragraph when all its lines are trailers
 *    (`Token: value`, the token made of letters, digits and `-`), or when it
 *    holds a git-generated line (`Signed-off-by: `, `(cherry picked from
 *    commit `) and at least a quarter of its lines are trailers;
 *  - a line starting with whitespace continues the trailer above it; the
 *    value is unfolded (newline and indentation become one space).
 *
 * Lines are scanned once from the end; nothing here backtracks.
 */

/** One trailer as git prints it, with the 0-based text lines it spans. */
export interface RawTrailer {
  key: string;
  value: string;
  line: number;
  endLine: number;
}

export interface TrailerBlockLayout {
  /** First line of the block (0-based), or -1 when there is no block. */
  start: number;
  /** End (exclusive) of the block. */
  end: number;
  /** End (exclusive) of the message proper: the `---` line or the end. */
  messageEnd: number;
  trailers: RawTrailer[];
}

const GIT_GENERATED_PREFIXES = ['Signed-off-by: ', '(cherry picked from commit '];

function isBlank(line: string): boolean {
  return /^\s*$/.test(line);
}

/** Position of the `:` ending a trailer token, or -1 (git's find_separator). */
export function findSeparator(line: string): number {
  let whitespaceFound = false;
  const limit = Math.min(line.length, 256); // tokens are short; bound the scan
  for (let i = 0; i < limit; i++) {
    const c = line[i];
    if (c === ':') return i;
    if (!whitespaceFound && (isAlnum(c) || c === '-')) continue;
    if (i !== 0 && (c === ' ' || c === '\t')) {
      whitespaceFound = true;
      continue;
    }
    break;
  }
  return -1;
}

function isAlnum(c: string): boolean {
  const code = c.charCodeAt(0);
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v' || c === '\f';
}

export interface TrailerBlockOptions {
  /**
   * The text is a mail body whose Subject is the commit title, as in the
   * commit `git am` makes: then the first paragraph may itself be the
   * trailer block (a body that is only trailers).  Without it, the text is
   * read as `git interpret-trailers --parse` reads it: its first paragraph
   * is the title.
   */
  titleGiven?: boolean;
}

/** Finds the trailer block of `lines` (a commit message, or a body holding one). */
export function findTrailerBlock(lines: readonly string[], options: TrailerBlockOptions = {}): TrailerBlockLayout {
  // find_patch_start: `---` followed by whitespace (a bare `---` line counts).
  let messageEnd = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l.startsWith('---') && (l.length === 3 || isSpace(l[3]))) {
      messageEnd = i;
      break;
    }
  }
  // ignore_non_trailer: trailing blank and comment lines.
  let end = messageEnd;
  while (end > 0 && (isBlank(lines[end - 1]) || lines[end - 1].startsWith('#'))) end--;

  const none: TrailerBlockLayout = { start: -1, end, messageEnd, trailers: [] };
  // The first paragraph is the title (unless the Subject is).
  let endOfTitle = 0;
  if (!options.titleGiven) {
    while (endOfTitle < end && !(isBlank(lines[endOfTitle]) && !lines[endOfTitle].startsWith('#'))) {
      endOfTitle++;
    }
    if (endOfTitle >= end) return none;
  }

  let onlySpaces = true;
  let recognizedPrefix = false;
  let trailerLines = 0;
  let nonTrailerLines = 0;
  let possibleContinuation = 0;
  let start = -1;
  let reachedBlank = false;
  for (let i = end - 1; i >= endOfTitle; i--) {
    const line = lines[i];
    if (line.startsWith('#')) {
      nonTrailerLines += possibleContinuation;
      possibleContinuation = 0;
      continue;
    }
    if (isBlank(line)) {
      if (onlySpaces) continue;
      reachedBlank = true;
      nonTrailerLines += possibleContinuation;
      if (recognizedPrefix && trailerLines * 3 >= nonTrailerLines) start = i + 1;
      else if (trailerLines && !nonTrailerLines) start = i + 1;
      break;
    }
    onlySpaces = false;
    if (GIT_GENERATED_PREFIXES.some((p) => line.startsWith(p))) {
      trailerLines++;
      possibleContinuation = 0;
      recognizedPrefix = true;
      continue;
    }
    const sep = findSeparator(line);
    if (sep >= 1 && !isSpace(line[0])) {
      trailerLines++;
      possibleContinuation = 0;
    } else if (isSpace(line[0])) {
      possibleContinuation++;
    } else {
      nonTrailerLines++;
      nonTrailerLines += possibleContinuation;
      possibleContinuation = 0;
    }
  }
  // With the Subject as title, reaching the top of the text is like reaching a blank line.
  if (start < 0 && options.titleGiven && !onlySpaces && !reachedBlank) {
    nonTrailerLines += possibleContinuation;
    if ((recognizedPrefix && trailerLines * 3 >= nonTrailerLines) || (trailerLines && !nonTrailerLines)) start = 0;
  }
  if (start < 0) return none;
  return { start, end, messageEnd, trailers: readTrailerLines(lines, start, end) };
}

/** parse_trailers with --only-trailers --unfold: key/value per trailer line. */
function readTrailerLines(lines: readonly string[], start: number, end: number): RawTrailer[] {
  const out: RawTrailer[] = [];
  interface Open { key: string; parts: string[]; line: number; endLine: number }
  let open: Open | null = null;
  for (let i = start; i < end; i++) {
    const line = lines[i];
    if (line.startsWith('#')) continue;
    if (open !== null && isSpace(line[0])) {
      open.parts.push(line);
      open.endLine = i + 1;
      continue;
    }
    if (open !== null) out.push(close(open));
    open = null;
    const sep = findSeparator(line);
    if (sep >= 1) open = { key: line.slice(0, sep).trim(), parts: [line.slice(sep + 1)], line: i, endLine: i + 1 };
  }
  if (open !== null) out.push(close(open));
  return out;
}

function close(t: { key: string; parts: string[]; line: number; endLine: number }): RawTrailer {
  return { key: t.key, value: unfold(t.parts), line: t.line, endLine: t.endLine };
}

/** git's unfold_value: each newline with the whitespace around it becomes one space. */
function unfold(parts: string[]): string {
  return parts
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
    .join(' ');
}

const CHERRY_PICK = '(cherry picked from commit ';

/**
 * The value cut where a closed `(cherry picked from commit X)` starts.  (An
 * indexOf, not /\s*\(cherry picked ...$/: that regex rescanned every
 * whitespace run from each of its characters, quadratic on a run of tabs.)
 */
function withoutCherryPick(value: string): string {
  const at = value.indexOf(CHERRY_PICK);
  if (at < 0 || value.indexOf(')', at + CHERRY_PICK.length) < 0) return value;
  return value.slice(0, at);
}

/**
 * Trailers run together on one line, as in a mail whose line breaks were
 * lost (seed 002: `Signed-off-by: Lorenzo Stoakes Reviewed-by: Pedro Falcato
 * ...`).  Splits at each known trailer key; returns [] when the line does not
 * start with one.
 */
export function splitRunTogetherTrailers(line: string, keys: readonly string[]): RawTrailer[] {
  const alternatives = keys.map((k) => k.replace(/[-]/g, '\\-')).join('|');
  const re = new RegExp(`(?:^|\\s)(${alternatives}):\\s`, 'gi');
  const hits: { key: string; at: number; valueAt: number }[] = [];
  let m: RegExpExecArray | null;
  let guard = 0;
  while ((m = re.exec(line)) !== null && guard++ < 10_000) {
    const at = m.index + (m[0].length - m[0].trimStart().length);
    hits.push({ key: m[1], at, valueAt: m.index + m[0].length });
  }
  const out: RawTrailer[] = [];
  for (let h = 0; h < hits.length; h++) {
    const stop = h + 1 < hits.length ? hits[h + 1].at : line.length;
    // `(cherry picked from commit X)` sits between the upstream and the backport chain.
    const value = withoutCherryPick(line.slice(hits[h].valueAt, stop));
    out.push({ key: hits[h].key, value: value.trim(), line: 0, endLine: 1 });
  }
  return out;
}
