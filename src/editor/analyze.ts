/**
 * One analysis of one set of inputs: the core's review, reduced to what
 * every editor feature needs (the language server's diagnostics, hovers,
 * lenses, symbols; the summary and the series tree).  No `vscode` import.
 *
 * review() is imported on the first analysis, not when the server starts:
 * tree-sitter (which review() loads on first use) loads with the first
 * patch mail.
 */
import type { Finding } from '../core/findings.js';
import type { AnalysedDiff, ReviewInput, ReviewOptions } from '../core/review.js';
import type { Patch, Series, Trailer } from '../core/series/types.js';
import type { Problem, ReadResult } from '../core/types.js';
import type { CollectedTrailers } from '../core/trailers/collect.js';

export interface Analysis {
  reads: ReadResult[];
  series: Series[];
  findings: Finding[];
  problems: Problem[];
  /**
   * Every tag of a patch: its own, those given in replies, those carried or
   * dropped across versions (CollectedTag, with a `status`).
   */
  trailersOf(patch: Patch): Trailer[];
  /** The trailers engineer's collection, for the am writer. */
  collected: CollectedTrailers | null;
  /** The C facts of every diff analysed (document symbols name the functions of each hunk). */
  facts: AnalysedDiff[];
  /** Wall time of the analysis, ms. */
  ms: number;
}

/**
 * Runs the core over `inputs`.  Never throws, except when `options.signal`
 * aborted it (the work went stale): a failure of the core becomes a problem
 * at line 1 of the first input, so the editor shows it.
 */
export async function analyze(inputs: ReviewInput[], options: ReviewOptions = {}): Promise<Analysis> {
  const t0 = performance.now();
  try {
    const { review } = await import('../core/review.js');
    const result = await review(inputs, options);
    const series = result.series;
    // The core collected the tags once (replies, carried, dropped).
    const collected = result.read.trailers;
    const trailersOf = (p: Patch): Trailer[] => collected.of(p)?.tags ?? p.trailers;
    return {
      collected,
      facts: result.facts,
      reads: result.reads,
      series,
      findings: filterFindings(result.findings, options),
      problems: result.problems,
      trailersOf,
      ms: performance.now() - t0,
    };
  } catch (e) {
    if (options.signal?.aborted) throw e;
    const file = inputs[0]?.file ?? '';
    const message = `PatchLens could not analyse this input: ${e instanceof Error ? e.message : String(e)}`;
    return { reads: [], series: [], findings: [], problems: [{ file, line: 1, column: 1, kind: 'internal-error', message }], trailersOf: (p) => p.trailers, collected: null, facts: [], ms: performance.now() - t0 };
  }
}

/**
 * The core applies the settings too; doing it again here is cheap and keeps
 * the settings honest whatever the core version.
 */
export function filterFindings(findings: Finding[], options: ReviewOptions): Finding[] {
  const disabled = new Set(options.disabledRules ?? []);
  const severity = options.severity ?? {};
  const out: Finding[] = [];
  for (const f of findings) {
    if (disabled.has(f.rule)) continue;
    const s = severity[f.rule];
    out.push(s && s !== f.severity ? { ...f, severity: s } : f);
  }
  return out;
}
