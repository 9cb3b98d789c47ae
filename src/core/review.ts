/**
 * Text in, findings out: the one entry point every front end (CLI, VS Code)
 * calls.  It reads the inputs, assembles series, collects trailers, builds
 * C facts for each patch and runs the checks.
 */
import type { Finding, Severity } from './findings.js';
import type { Problem, ReadResult } from './types.js';
import type { Patch, Series } from './series/types.js';
import { readInput } from './mail/index.js';
import { assembleSeries } from './series/index.js';
import { collectTrailers, type CollectedTag, type CollectedTrailers } from './trailers/collect.js';
import { changeSincePrevious, type PatchChange } from './trailers/compare.js';
import { checkSignoffChain } from './trailers/signoff.js';

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
  /** Trailer and sign-off findings (TAG-*, SOB-*). */
  findings: Finding[];
  trailers: CollectedTrailers;
  /** Every tag of a patch: its own, and those collected from replies or carried. */
  trailersOf(patch: Patch): CollectedTag[];
  /** What changed since the previous version, when there is one. */
  changeSincePrevious(patch: Patch): PatchChange | undefined;
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
  const trailers = collectTrailers(series, messages);
  const changes = new Map<Patch, PatchChange>();
  for (const s of series) for (const [patch, change] of changeSincePrevious(s)) changes.set(patch, change);
  const findings = [...trailers.findings];
  for (const s of series) {
    for (const version of s.versions) for (const patch of version.patches) findings.push(...checkSignoffChain(patch));
  }
  return {
    reads,
    series,
    problems,
    findings,
    trailers,
    trailersOf: (patch) => trailers.of(patch)?.tags ?? [],
    changeSincePrevious: (patch) => changes.get(patch),
  };
}
