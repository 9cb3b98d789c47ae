/**
 * What the checks take and give.  A rule sees the facts of a whole series
 * (several patches): FLAG-NOT-REGISTERED and STALE-COMMENT-IDENT look across
 * patches.
 */
import type { FunctionFacts, PatchFacts } from '../c/facts.js';
import type { Finding, Severity, SourceRef } from '../findings.js';
import type { Model } from '../model/index.js';
import type { Contracts } from '../model/contracts.js';
import type { SourcePos } from '../types.js';
import type { FunctionAnalysis } from './flow.js';

/** Where an input line of a diff lands in the kernel tree. */
export interface PatchLine {
  /** Kernel-tree file. */
  path: string;
  /** Line in the post-image (added, context) or pre-image (removed). */
  line: number;
  change: '+' | '-' | ' ';
  /** Input column where the line's content starts (after the +/-/space marker). */
  column: number;
  /** Which hunk of the diff the line is in (distinct per file and hunk). */
  hunk: number;
  /** The line's text without its marker. */
  text: string;
}

/** Input line -> kernel-tree line, plus the added lines per file (see lines.ts). */
export interface DiffLineIndex {
  /** The kernel-tree place of an input line (undefined for lines outside the diff's hunks). */
  at(file: string, line: number): PatchLine | undefined;
  /** Every `+` line: kernel-tree path and text (for FLAG-NOT-REGISTERED). */
  added: { path: string; text: string; pos: SourcePos }[];
  /**
   * Hunk lines before the first file or hunk header: a quoted diff that
   * continues, mid-hunk, a piece the reviewer interrupted.  No file is
   * known for them, so no C facts are made; STALE-COMMENT-IDENT reads them.
   */
  lead: { text: string; change: '+' | '-' | ' '; pos: SourcePos }[];
  /** Last input line of the diff's hunks (0 when none). */
  lastLine: number;
}

/** One patch of the series. */
export interface PatchInput {
  facts: PatchFacts;
  /** Name for messages, e.g. `[PATCH v4 2/9]` or the input file. */
  label?: string;
  lines?: DiffLineIndex;
}

export interface CheckOptions {
  /** Rule ids to drop. */
  disabledRules?: string[];
  /** Severity overrides per rule id. */
  severity?: Record<string, Severity>;
  /**
   * False when patches of the series are missing from the input: cross-patch
   * rules (FLAG-NOT-REGISTERED) then lower their severity.
   */
  seriesComplete?: boolean;
  /**
   * Lock contracts mined from a kernel tree (src/core/model/contracts.ts):
   * the lock state where a hunk starts, and what callees do.  Default: the
   * built-in linux-6.12 data; false: none.
   */
  contracts?: Contracts | false;
}

/** What a rule gets: the series, the model (with the series' own helpers summarized) and the lock analyses. */
export interface SeriesContext {
  patches: PatchInput[];
  model: Model;
  options: CheckOptions;
  /** Lock-state analysis of a post-image function (cached). */
  analysis(fn: FunctionFacts): FunctionAnalysis;
  /** Post-image functions of every patch, with their patch. */
  functions(): { fn: FunctionFacts; patch: PatchInput }[];
  /** A finding at `pos`, with the kernel-tree place filled in from the patch's line index. */
  finding(rule: RuleInfo, patch: PatchInput, pos: SourcePos, message: string, extra?: Partial<Finding>): Finding;
  /**
   * What the lock state at the function's shown start was taken from:
   * `applied` (the patch applied to the tree), `tree-function` (located in a
   * tree it does not apply to), `contract:linux-6.12`, or `hunk`.
   */
  contextOf(fn: FunctionFacts): string;
  /** Change marker of the input line (from the diff), when known. */
  changeAt(patch: PatchInput, pos: SourcePos): '+' | '-' | ' ' | undefined;
}

export interface RuleInfo {
  id: string;
  severity: Severity;
  description: string;
  source: SourceRef[];
}

export interface Rule extends RuleInfo {
  check(ctx: SeriesContext): Finding[];
}
