/**
 * Text in, findings out: the one entry point every front end (CLI, VS Code)
 * calls.  It reads the inputs, assembles series, collects trailers, builds
 * C facts for each patch and runs the checks.
 */
import type { Finding, Severity } from './findings.js';
import type { Problem, ReadResult } from './types.js';
import type { Patch, Series, Trailer } from './series/types.js';
import { readInput } from './mail/index.js';
import { assembleSeries } from './series/index.js';

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

/** What reading the inputs as mail gives, before any C is parsed. */
export interface SeriesRead {
  reads: ReadResult[];
  series: Series[];
  problems: Problem[];
  /** Every trailer of a patch: its own, and those collected from replies. */
  trailersOf(patch: Patch): Trailer[];
  /** What changed since the previous version, when known. */
  changeSincePrevious?(patch: Patch): string | undefined;
}

/**
 * Mail -> series -> trailers.  No tree-sitter here: `summarize` and the
 * series tree stay cheap.
 */
export async function readSeries(inputs: readonly ReviewInput[]): Promise<SeriesRead> {
  const reads: ReadResult[] = [];
  for (const input of inputs) reads.push(await readInput(input.file, input.data));
  const messages = reads.flatMap((r) => r.messages);
  const series = assembleSeries(messages);
  const problems = [...reads.flatMap((r) => r.problems), ...messages.flatMap((m) => m.problems)];
  return {
    reads,
    series,
    problems,
    trailersOf: (patch) => patch.trailers,
  };
}
