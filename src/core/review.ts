/**
 * Text in, findings out: the one entry point every front end (CLI, VS Code)
 * calls.  It reads the inputs, assembles series, collects trailers, builds
 * C facts for each patch and runs the checks.
 */
import type { Finding, Severity } from './findings.js';
import type { Problem, ReadResult } from './types.js';
import type { Series } from './series/types.js';

export interface ReviewInput {
  /** Name shown in findings (a path, or an editor URI's path). */
  file: string;
  data: string | Uint8Array;
}

export interface ReviewOptions {
  /** JSON file with model overrides (helpers, flags). */
  modelFile?: string;
  /** Path of a Linux source tree for kernel-tree mode. */
  kernelTree?: string;
  /** Rule ids to drop. */
  disabledRules?: string[];
  /** Severity overrides per rule id. */
  severity?: Record<string, Severity>;
}

export interface ReviewResult {
  reads: ReadResult[];
  series: Series[];
  findings: Finding[];
  /** Everything that could not be read, from every stage. */
  problems: Problem[];
}
