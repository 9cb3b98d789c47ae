/**
 * A unified-diff reader for diffs as they reach reviewers: git format-patch
 * output, plain `diff -u` output, Andrew Morton's interdiffs
 * (`--- a/foo.h~b` / `+++ a/foo.h`), and diffs recovered from quoted replies
 * whose hunks were cut, whose `@@` lines were wrapped, and whose tabs became
 * spaces.
 *
 * It follows `git apply` where git is defined (hunk lengths come from the
 * `@@` counts; added/deleted counts match `git apply --numstat`), and goes on
 * where git would stop with "corrupt patch": a hunk cut short ends at the
 * first line that cannot belong to it, and `+`/`-` lines past the declared
 * counts are kept (marked `beyondCount`) when they run up to the next hunk,
 * file or the end.  Every such repair is reported as a DiffProblem.
 *
 * parse-diff (the npm package) was measured against this job and left aside:
 * it trusts hunk counts blindly, knows no renames, copies or binary patches,
 * and its file-name regex backtracks on long lines.
 *
 * One pass over the lines; every look-ahead is consumed by the main loop, so
 * the work is linear in the input.
 */
import { SplitLines } from '../mail/lines.js';
import type { DiffFile, DiffProblem, FileStatus, Hunk, HunkLine, ParsedDiff } from './types.js';

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@(.*)$/;
/** A `git format-patch` signature's version line (`2.51.2`, `2.39.0.rc1.gabc`). */
const VERSION_LINE = /^\d+\.\d+[\w.-]*$/;
/** Characters of a base85 line of a `GIT binary patch`. */
const BASE85_LINE = /^[0-9A-Za-z!#$%&()*+;<=>?@^_`{|}~-]+$/;

interface Section extends DiffFile {
  /** After `diff --git`, before the first hunk: extended headers may follow. */
  headerOpen: boolean;
  isGit: boolean;
  renamed: boolean;
  copied: boolean;
  newFile: boolean;
  deletedFile: boolean;
  sawMinusPlus: boolean;
  /** Keep each hunk's lines (readDiff), or only count them (readDiffCounts). */
  keepLines: boolean;
}

/**
 * The last few diffs read, and what was read from them.  One patch's diff is
 * read by the C facts and the checks' line index in turn; the second gets
 * the first reading.  (The series summary's diffStat only counts, uncached.)  Callers treat
 * a ParsedDiff as read-only (none changes one).
 */
const recent: { text: string; parsed: ParsedDiff }[] = [];
const RECENT = 4;

/** Reads every file section of a unified diff.  Never throws. */
export function readDiff(text: string): ParsedDiff {
  for (const r of recent) if (r.text === text) return r.parsed;
  const parsed = readDiffLines(diffLines(new SplitLines(text)), true);
  if (recent.length >= RECENT) recent.shift();
  recent.push({ text, parsed });
  return parsed;
}

/**
 * Files and hunks of a diff as readDiff reads them, with the added/deleted
 * counts, but every `hunk.lines` left empty: what diffStat needs, without
 * an object per line (a 20 MB hunk made 600,000 of them, issue 13).  `lines`
 * are the diff's lines without the empty one after its final LF: diffLines()
 * of its text, or a range of a body's lines.  Not kept in the cache.
 */
export function readDiffCounts(lines: SplitLines): ParsedDiff {
  return readDiffLines(lines, false);
}

/** The lines of a diff text as the reader sees them: `split('\n')`, less the empty line after a final LF. */
export function diffLines(split: SplitLines): SplitLines {
  return split.length > 0 && split.is(split.length - 1, '') ? split.range(0, split.length - 1) : split;
}

/** Reads the diff's lines (see readDiffCounts); one CR is cut from each line's end here. */
function readDiffLines(lines: SplitLines, keepLines: boolean): ParsedDiff {
  lines = lines.cutCR();
  const at = (k: number): string => lines.line(k);
  const files: DiffFile[] = [];
  const problems: DiffProblem[] = [];
  let cur: Section | null = null;
  const n = lines.length;

  const finish = (): void => {
    if (cur) files.push(finalize(cur));
    cur = null;
  };
  const open = (start: number, isGit: boolean): Section => {
    finish();
    const s: Section = {
      oldPath: null, newPath: null, status: 'modified', binary: false, hunks: [], startLine: start,
      added: 0, deleted: 0, headerOpen: isGit, isGit, renamed: false, copied: false,
      newFile: false, deletedFile: false, sawMinusPlus: false, keepLines,
    };
    cur = s;
    return s;
  };

  let i = 0;
  while (i < n) {
    const line = at(i);
    if (line.startsWith('diff --git ')) {
      const s = open(i, true);
      const names = gitHeaderNames(line.slice('diff --git '.length));
      if (names) {
        s.oldPath = names[0];
        s.newPath = names[1];
      } else {
        problems.push({ line: i, kind: 'bad-header', message: 'cannot read the file names of this diff --git line' });
      }
      i++;
      continue;
    }
    if (line.startsWith('diff ')) {
      // `diff -u a b`, `diff -urN ...`, `diff --cc`: ends the previous file;
      // the ---/+++ pair that follows opens the next one.
      finish();
      i++;
      continue;
    }
    if (line.startsWith('--- ') && i + 1 < n && at(i + 1).startsWith('+++ ')) {
      let s = cur as Section | null;
      if (!s || !s.headerOpen || s.sawMinusPlus) s = open(i, false);
      s.sawMinusPlus = true;
      s.headerOpen = false;
      const from = patchName(line.slice(4));
      const to = patchName(at(i + 1).slice(4));
      // git takes /dev/null on either side as the sign of a new / deleted file.
      if (from === null) s.newFile = true;
      if (to === null) s.deletedFile = true;
      if (!s.renamed && !s.copied) {
        s.oldPath = from;
        s.newPath = to;
      }
      // Andrew Morton's interdiffs name the old side `foo.h~patch-name`.
      if (s.oldPath && s.newPath && s.oldPath.startsWith(s.newPath + '~')) s.oldPath = s.newPath;
      i += 2;
      continue;
    }
    if (line.startsWith('@@ -')) {
      const m = HUNK_HEADER.exec(line);
      if (!m) {
        problems.push({ line: i, kind: 'bad-header', message: 'unreadable @@ hunk header' });
        i++;
        continue;
      }
      let s = cur as Section | null;
      if (!s) {
        s = open(i, false);
        problems.push({ line: i, kind: 'hunk-without-header', message: 'hunk with no file header before it: the file is unknown' });
      }
      s.headerOpen = false;
      i = readHunk(lines, i, m, s, problems);
      continue;
    }
    if (cur && (cur as Section).headerOpen) {
      i = readExtendedHeader(lines, i, cur as Section);
      continue;
    }
    i++;
  }
  finish();
  return { files, problems };
}

/** Reads one git extended-header line (or a binary patch body); returns the next index. */
function readExtendedHeader(lines: SplitLines, i: number, s: Section): number {
  const line = lines.line(i);
  const value = (prefix: string): string | null => (line.startsWith(prefix) ? line.slice(prefix.length) : null);
  let v: string | null;
  if ((v = value('old mode ')) !== null) s.oldMode = v;
  else if ((v = value('new mode ')) !== null) s.newMode = v;
  else if ((v = value('new file mode ')) !== null) {
    s.newFile = true;
    s.newMode = v;
  } else if ((v = value('deleted file mode ')) !== null) {
    s.deletedFile = true;
    s.oldMode = v;
  } else if ((v = value('rename from ')) !== null) {
    s.renamed = true;
    s.oldPath = unquote(v);
  } else if ((v = value('rename to ')) !== null) {
    s.renamed = true;
    s.newPath = unquote(v);
  } else if ((v = value('copy from ')) !== null) {
    s.copied = true;
    s.oldPath = unquote(v);
  } else if ((v = value('copy to ')) !== null) {
    s.copied = true;
    s.newPath = unquote(v);
  } else if (line.startsWith('Binary files ') && line.endsWith(' differ')) {
    s.binary = true;
  } else if (line === 'GIT binary patch') {
    s.binary = true;
    // Skip the literal/delta blocks: base85 lines and the blank lines between.
    let k = i + 1;
    while (k < lines.length) {
      const l = lines.line(k);
      if (l === '' || /^(literal|delta) \d+$/.test(l) || BASE85_LINE.test(l)) k++;
      else break;
    }
    s.headerOpen = false;
    return k;
  } else if (
    !line.startsWith('index ') && !line.startsWith('similarity index ') && !line.startsWith('dissimilarity index ')
  ) {
    // Anything else ends the extended header (git does the same).
    s.headerOpen = false;
  }
  return i + 1;
}

/**
 * Reads the hunk whose header is at `start`; returns the index of the first
 * line after it.  Its lines are looked at in place (charAt, startsWith): a
 * line is sliced only to be kept (readDiff), so counting a 20 MB hunk makes
 * no garbage.
 */
function readHunk(lines: SplitLines, start: number, m: RegExpExecArray, s: Section, problems: DiffProblem[]): number {
  const n = lines.length;
  const at = (k: number): string => lines.line(k);
  const hunk: Hunk = {
    oldStart: Number(m[1]),
    oldCount: m[2] === undefined ? 1 : Number(m[2]),
    newStart: Number(m[3]),
    newCount: m[4] === undefined ? 1 : Number(m[4]),
    context: (m[5] ?? '').trim(),
    headerLine: start,
    lines: [],
  };
  s.hunks.push(hunk);
  let oldLine = hunk.oldStart;
  let newLine = hunk.newStart;
  let oldLeft = hunk.oldCount;
  let newLeft = hunk.newCount;
  let j = start + 1;

  // A mail client wrapped the long `@@` line: its tail stands alone on the next line.
  if (j < n && (oldLeft > 0 || newLeft > 0) && isWrappedHeaderTail(at(j))) {
    hunk.context = (hunk.context + ' ' + at(j).trim()).trim();
    problems.push({ line: j, kind: 'wrapped-hunk-header', message: 'the @@ line was wrapped; its tail was joined back' });
    j++;
  }

  // `git apply --numstat` counts the lines within the @@ counts only.
  const push = (kind: HunkLine['kind'], diffLine: number, beyondCount: boolean): void => {
    if (!beyondCount) {
      if (kind === '+') s.added++;
      else if (kind === '-') s.deleted++;
    }
    if (!s.keepLines) return;
    const hl: HunkLine = {
      kind,
      text: at(diffLine).slice(1),
      diffLine,
      oldLine: kind === '+' ? 0 : oldLine,
      newLine: kind === '-' ? 0 : newLine,
    };
    if (kind !== '+') oldLine++;
    if (kind !== '-') newLine++;
    if (beyondCount) hl.beyondCount = true;
    hunk.lines.push(hl);
  };
  const markNoEol = (): void => {
    const last = hunk.lines[hunk.lines.length - 1];
    if (last) last.noEol = true;
  };

  // Lines within the declared counts, as git reads them.
  while (j < n && (oldLeft > 0 || newLeft > 0)) {
    const c = lines.charAt(j, 0) || ' ';
    if (c === ' ') {
      push(' ', j, false);
      oldLeft--;
      newLeft--;
    } else if (c === '-') {
      if (endsHunkEarly(lines, j)) break;
      push('-', j, false);
      oldLeft--;
    } else if (c === '+') {
      push('+', j, false);
      newLeft--;
    } else if (c === '\\') {
      markNoEol();
    } else {
      break;
    }
    j++;
  }
  // A `\ No newline at end of file` right after the last counted line.
  while (j < n && lines.startsWith(j, '\\')) {
    markNoEol();
    j++;
  }
  if (oldLeft > 0 || newLeft > 0) {
    hunk.damaged = `hunk ends ${oldLeft} old / ${newLeft} new line(s) short of its @@ counts`;
    problems.push({ line: j < n ? j : n - 1, kind: 'hunk-count', message: hunk.damaged });
    return j;
  }

  // Lines past the counts: kept when they look like more of this hunk and
  // run up to a hunk, a file header or the end of the text.
  let k = j;
  let sawChange = false;
  let lastChange = -1;
  while (k < n) {
    const c = lines.charAt(k, 0) || ' ';
    if (c === '+') {
      if (lines.startsWith(k, '+++ ')) break;
    } else if (c === '-') {
      if (lines.startsWith(k, '--- ') || lines.is(k, '-- ') || lines.is(k, '--')) break;
    } else if (c !== ' ' && c !== '\\') break;
    if (c === '+' || c === '-') {
      sawChange = true;
      lastChange = k;
    }
    k++;
  }
  const ends =
    k >= n ||
    lines.startsWith(k, '@@ -') ||
    lines.startsWith(k, 'diff ') ||
    lines.is(k, '-- ') ||
    (lines.startsWith(k, '--- ') && k + 1 < n && lines.startsWith(k + 1, '+++ '));
  if (!sawChange || !ends) return j;
  // Keep through the last +/- line; trailing context is not trusted.
  for (let x = j; x <= lastChange; x++) {
    if (lines.startsWith(x, '\\')) markNoEol();
    else push((lines.charAt(x, 0) || ' ') as HunkLine['kind'], x, true);
  }
  hunk.damaged = `${lastChange - j + 1} line(s) past the @@ counts`;
  problems.push({ line: j, kind: 'hunk-count', message: `hunk runs ${hunk.damaged}; they are kept` });
  return lastChange + 1;
}

/**
 * A `-` line inside the counts that is really the end of a hunk cut short:
 * the `-- ` signature before a version line, or a `---`/`+++`/`@@` file start.
 */
function endsHunkEarly(lines: SplitLines, j: number): boolean {
  const n = lines.length;
  if (lines.is(j, '-- ') || lines.is(j, '--')) return j + 1 >= n || VERSION_LINE.test(lines.line(j + 1));
  if (lines.startsWith(j, '--- ') && j + 1 < n && lines.startsWith(j + 1, '+++ ')) {
    return j + 2 < n && lines.startsWith(j + 2, '@@ -');
  }
  return false;
}

function isWrappedHeaderTail(l: string): boolean {
  if (l.length === 0) return false;
  const c = l[0];
  if (c === ' ' || c === '+' || c === '-' || c === '\\' || c === '@') return false;
  return !l.startsWith('diff ');
}

function finalize(s: Section): DiffFile {
  const { added, deleted } = s;
  let status: FileStatus = 'modified';
  if (s.binary) status = 'binary';
  else if (s.renamed) status = 'renamed';
  else if (s.copied) status = 'copied';
  else if (s.newFile) status = 'added';
  else if (s.deletedFile) status = 'deleted';
  const oldPath = s.newFile && !s.renamed && !s.copied ? null : s.oldPath;
  const newPath = s.deletedFile && !s.renamed && !s.copied ? null : s.newPath;
  const f: DiffFile = {
    oldPath, newPath, status, binary: s.binary, hunks: s.hunks, startLine: s.startLine,
    added, deleted,
  };
  if (s.oldMode !== undefined) f.oldMode = s.oldMode;
  if (s.newMode !== undefined) f.newMode = s.newMode;
  return f;
}

/**
 * The name on a `---`/`+++` line: timestamp dropped, first path component
 * stripped (`git apply -p1`), `/dev/null` as null.
 */
function patchName(raw: string): string | null {
  let name = raw;
  const tab = name.indexOf('\t');
  if (tab >= 0) name = name.slice(0, tab);
  name = name.trimEnd();
  if (name.startsWith('"')) name = unquote(name);
  if (name === '/dev/null') return null;
  return stripComponent(name);
}

function stripComponent(name: string): string {
  const slash = name.indexOf('/');
  return slash >= 0 ? name.slice(slash + 1) : name;
}

/**
 * The two names of a `diff --git a/X b/Y` line.  Unquoted names may hold
 * spaces, so, like git, prefer the split where both sides name the same file.
 */
function gitHeaderNames(rest: string): [string, string] | null {
  if (rest.startsWith('"')) {
    const end = quotedEnd(rest);
    if (end < 0) return null;
    const a = unquote(rest.slice(0, end + 1));
    const b = rest.slice(end + 1).trimStart();
    return [stripComponent(a), stripComponent(b.startsWith('"') ? unquote(b) : b)];
  }
  // Same name on both sides: "a/X b/X".
  if (rest.length % 2 === 1) {
    const half = (rest.length - 1) / 2;
    const a = rest.slice(0, half);
    const b = rest.slice(half + 1);
    if (rest[half] === ' ' && stripComponent(a) === stripComponent(b)) return [stripComponent(a), stripComponent(b)];
  }
  const sp = rest.indexOf(' b/');
  const at = sp >= 0 ? sp : rest.indexOf(' ');
  if (at < 0) return null;
  const b = rest.slice(at + 1);
  return [stripComponent(rest.slice(0, at)), stripComponent(b.startsWith('"') ? unquote(b) : b)];
}

function quotedEnd(s: string): number {
  for (let k = 1; k < s.length; k++) {
    if (s[k] === '\\') k++;
    else if (s[k] === '"') return k;
  }
  return -1;
}

/** Undoes git's C-style quoting of a path (`"a/foo\tbar"`); other text is kept. */
function unquote(s: string): string {
  if (!s.startsWith('"') || !s.endsWith('"') || s.length < 2) return s;
  const body = s.slice(1, -1);
  const bytes: number[] = [];
  const enc = new TextEncoder();
  for (let k = 0; k < body.length; k++) {
    const c = body[k]!;
    if (c !== '\\') {
      bytes.push(...enc.encode(c));
      continue;
    }
    const d = body[++k] ?? '';
    if (/[0-7]/.test(d)) {
      const oct = body.slice(k, k + 3);
      bytes.push(parseInt(oct, 8) & 0xff);
      k += 2;
    } else {
      const map: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, '\\': 92, '"': 34 };
      bytes.push(map[d] ?? d.charCodeAt(0));
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}
