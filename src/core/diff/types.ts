/**
 * What the unified-diff reader hands on: files, hunks and their lines, each
 * line with its index in the diff text so it can be mapped back through the
 * body's LineMap to the document the reviewer has open.
 */

/** `+` added, `-` removed, ` ` context. */
export type LineKind = '+' | '-' | ' ';

export interface HunkLine {
  kind: LineKind;
  /** The line without its +/-/space marker. */
  text: string;
  /** Index (0-based) of the line in the diff text. */
  diffLine: number;
  /** Line number in the old file (context and removed lines), else 0. */
  oldLine: number;
  /** Line number in the new file (context and added lines), else 0. */
  newLine: number;
  /** A `\ No newline at end of file` marker follows this line. */
  noEol?: boolean;
  /**
   * The line lies past the counts the `@@` header declared (the header was
   * wrong, e.g. hand-edited).  `git apply --numstat` would not count it.
   */
  beyondCount?: boolean;
}

export interface Hunk {
  /** Counts as the `@@ -oldStart,oldCount +newStart,newCount @@` header declares. */
  oldStart: number;
  oldCount: number;
  newStart: number;
  newCount: number;
  /** Text after the closing `@@`: git's function context (may be cut short). */
  context: string;
  /** Index of the `@@` line in the diff text. */
  headerLine: number;
  lines: HunkLine[];
  /** Set when the hunk's lines disagree with its header counts: why. */
  damaged?: string;
}

export type FileStatus = 'modified' | 'added' | 'deleted' | 'renamed' | 'copied' | 'binary';

export interface DiffFile {
  /** Path before the patch (`a/` stripped), null for a new file or when unknown. */
  oldPath: string | null;
  /** Path after the patch, null for a deleted file or when unknown. */
  newPath: string | null;
  status: FileStatus;
  binary: boolean;
  /** Mode-only change, or a rename/copy with no content change, has no hunks. */
  hunks: Hunk[];
  /** Index of the first line of this file's section (`diff --git`, `---` or `@@`). */
  startLine: number;
  /** Added / deleted lines counted as `git apply --numstat` does. */
  added: number;
  deleted: number;
  oldMode?: string;
  newMode?: string;
}

/** Something in the diff that could not be read as written, at its diff line. */
export interface DiffProblem {
  /** Index (0-based) of the line in the diff text. */
  line: number;
  kind: 'hunk-count' | 'hunk-without-header' | 'wrapped-hunk-header' | 'bad-header' | 'too-long';
  message: string;
}

export interface ParsedDiff {
  files: DiffFile[];
  problems: DiffProblem[];
}
