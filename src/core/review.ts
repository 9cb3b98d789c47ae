/**
 * Text in, findings out: the one entry point every front end (CLI, VS Code)
 * calls.  It reads the inputs, assembles series, collects trailers, builds
 * C facts for each patch and runs the checks.
 */
import type { Finding, Severity } from './findings.js';
import { readFileSync } from 'node:fs';
import type { LineMap, Problem, ReadResult } from './types.js';
import type { PatchFacts } from './c/facts.js';
import type { PatchInput } from './checks/index.js';
import { readPatch } from './series/patch.js';
import { joinQuoted } from './diff/recover.js';
import type { Patch, Series, SeriesVersion } from './series/types.js';
import { readInput } from './mail/index.js';
import { assembleSeries } from './series/index.js';
import { collectTrailers, type CollectedTag, type CollectedTrailers } from './trailers/collect.js';
import { changeSincePrevious, type PatchChange } from './trailers/compare.js';
import { checkSignoffChain } from './trailers/signoff.js';
import type { DiffPlace, ReviewCache } from './reviewCache.js';

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
  /**
   * Use the built-in lock contracts (mined from linux-6.12) for the lock
   * state where a hunk starts and for callees' effects.  Default true.
   */
  contracts?: boolean;
  /** Rule ids to drop. */
  disabledRules?: string[];
  /** Severity overrides per rule id. */
  severity?: Record<string, Severity>;
  /**
   * Kept between reviews (editors): the C facts of diffs already seen and
   * the findings of unchanged versions are reused (src/core/reviewCache.ts).
   */
  cache?: ReviewCache;
  /**
   * Stale work stops: between diffs review() yields to the event loop and,
   * once the signal is aborted, rejects with the signal's reason.
   */
  signal?: AbortSignal;
  /**
   * Findings as they are ready: after the mail is read (trailer and sign-off
   * findings), then after each series version's checks.  Each call carries
   * everything found so far, with the rule options applied.
   */
  onProgress?: (progress: ReviewProgress) => void;
  /**
   * With onProgress: each patch of a version of several patches is also
   * checked on its own as soon as its C facts are ready, and those findings
   * are reported at once (`provisional`), so an editor shows the first
   * patches' findings while the later ones are parsed.  When the whole
   * version has been checked, its findings replace the provisional ones:
   * rules that look across patches (a flag defined in another patch, a
   * callee whose lock contract another patch changes) decide there.  It
   * costs one more run of the checks on the patches parsed now (facts from
   * the cache are ready at once), so editors ask for it on a document's
   * first analysis only.
   */
  progressPerPatch?: boolean;
}

export interface ReviewProgress {
  findings: Finding[];
  problems: Problem[];
  /** Series versions checked so far, and in all. */
  versionsDone: number;
  versions: number;
  /**
   * How many of `findings` come from checking a patch on its own
   * (progressPerPatch), not yet from its whole version.
   */
  provisional: number;
}

export interface ReviewResult {
  reads: ReadResult[];
  series: Series[];
  findings: Finding[];
  /** Everything that could not be read, from every stage. */
  problems: Problem[];
  /** The series read (trailers, version changes) the findings were made from. */
  read: SeriesRead;
  /** C facts per diff that was analysed, in input order. */
  facts: AnalysedDiff[];
}

/** One diff that went through tree-sitter: a patch, or a diff quoted in a reply. */
export interface AnalysedDiff {
  label: string;
  file: string;
  facts: PatchFacts;
}

/** tree-sitter, the checks and the model: loaded once, on the first review. */
let analysis: Promise<[typeof import('./c/index.js'), typeof import('./checks/index.js'), typeof import('./model/index.js')]> | null = null;

function analysisModules() {
  analysis ??= Promise.all([
    // The parser's binding (native, else wasm) loads here, once; when neither
    // loads, each C file is reported as not analysed (below), never as clean.
    import('./c/parser.js').then((p) => p.loadCParser().catch(() => null)).then(() => import('./c/index.js')),
    import('./checks/index.js'),
    import('./model/index.js'),
  ]);
  return analysis;
}

/**
 * Text in, findings out.  tree-sitter and the checks load on the first call
 * (dynamic import), so front ends that only summarise never pay for them.
 */
export async function review(inputs: readonly ReviewInput[], options: ReviewOptions = {}): Promise<ReviewResult> {
  const read = await readSeries(inputs);
  const [{ extractPatchFacts, offsetMap }, { runChecks, indexDiff }, model] = await analysisModules();
  const problems = [...read.problems];
  const lockModel = model.defaultModel();
  const cache = options.cache;
  // What, besides the diff, changes the facts (kernel tree) and the findings (rules, model file).
  const factsKey = options.kernelTree ?? '';
  let checksKey = JSON.stringify([options.disabledRules ?? [], options.severity ?? {}, options.modelFile ?? '']);
  if (options.modelFile) {
    let text: string | null = null;
    try {
      text = readFileSync(options.modelFile, 'utf8');
    } catch (e) {
      problems.push({ file: options.modelFile, line: 1, column: 1, kind: 'model', message: `cannot read the model file: ${(e as Error).message}` });
    }
    if (text !== null) {
      checksKey += '\0' + text;
      for (const p of model.applyModelJson(lockModel, text, options.modelFile)) {
        problems.push({ kind: 'model', column: 1, ...p });
      }
    }
  }
  const findings: Finding[] = [...read.findings];
  const analysed: AnalysedDiff[] = [];
  const versions = read.series.reduce((n, s) => n + s.versions.length, 0);
  let versionsDone = 0;
  /** Findings of patches checked on their own, until their version is checked whole. */
  let provisional: Finding[] = [];
  const progress = (): void => {
    if (!options.onProgress) return;
    const shown = provisional.length ? dedupe([...findings, ...provisional]) : dedupe(findings);
    options.onProgress({ findings: applyRuleOptions(shown, options), problems: [...problems], versionsDone, versions, provisional: provisional.length });
  };
  const checkOptions = (complete: boolean) => ({
    disabledRules: options.disabledRules,
    severity: options.severity,
    seriesComplete: complete,
    ...(options.contracts === false ? { contracts: false as const } : {}),
  });
  progress();
  for (const series of read.series) {
    for (const version of series.versions) {
      const inputsOfVersion: PatchInput[] = [];
      const places: DiffPlace[] = [];
      for (const d of diffsOf(version)) {
        if (!withinBound(d, problems)) continue;
        if (options.signal) await stillWanted(options.signal);
        let parsedNow = false;
        const make = () => {
          parsedNow = true;
          return extractPatchFacts({ file: d.file, diff: d.diff, map: d.map }, options.kernelTree ? { tree: options.kernelTree } : {});
        };
        const cached = cache ? cache.factsOf(d.file, d.diff, d.map, factsKey, make) : { facts: make(), place: null };
        const facts = cached.facts;
        // The label (version, index) is part of what the checks see.
        if (cached.place) places.push({ ...cached.place, content: `${cached.place.content}\0${d.label}` });
        analysed.push({ label: d.label, file: d.file, facts });
        // A C file that could not be analysed (tree-sitter failed to load, say)
        // must not look clean: say so where its diff starts.
        // Kernel-tree mode: a patch that does not apply is said once, with what was found anyway.
        if (options.kernelTree && facts.notApplied?.length) {
          const first = facts.notApplied[0]!;
          const n = facts.notApplied.length;
          const total = facts.parse?.hunks ?? n;
          problems.push({ ...first.pos, kind: 'tree-not-applied',
            message: `${d.label}: patch does not apply to ${options.kernelTree} (${n} of ${total} hunks: ${first.reason}); ${facts.locatedHunks ?? 0} of ${n} hunks located by their function` });
        }
        for (const skipped of facts.skipped) {
          if (!skipped.reason.startsWith('analysis failed')) continue;
          problems.push({
            file: d.file,
            line: d.map.length ? d.map.line(0) : 1,
            column: d.map.length ? d.map.column(0) : 1,
            kind: 'c-analysis',
            message: `${skipped.path} in ${d.label} was not checked: ${skipped.reason}`,
          });
        }
        const input: PatchInput = { facts, label: d.label, lines: indexDiff(d.file, d.diff, d.map) };
        inputsOfVersion.push(input);
        // Only a patch parsed now is worth showing early: facts from the cache come at once.
        if (options.progressPerPatch && options.onProgress && parsedNow && version.patches.length > 1) {
          // Checked as if the series stopped here: a rule that needs the rest says nothing yet.
          provisional.push(...runChecks([input], lockModel, checkOptions(false)));
          progress();
        }
      }
      versionsDone++;
      provisional = [];
      if (!inputsOfVersion.length) continue;
      const check = () => runChecks(inputsOfVersion, lockModel, checkOptions(version.missing.length === 0));
      findings.push(...(cache ? cache.findingsOf(places, `${checksKey}\0${version.missing.length === 0}\0${options.contracts !== false}`, check) : check()));
      progress();
    }
  }
  for (const a of analysed) for (const p of a.facts.problems ?? []) problems.push(p);
  return {
    reads: read.reads,
    series: read.series,
    findings: applyRuleOptions(dedupe(findings), options),
    problems,
    read,
    facts: analysed,
  };

  /** The diffs of one version: its patches, then diffs quoted or carried in replies. */
  function diffsOf(version: SeriesVersion): { label: string; file: string; diff: string; map: LineMap }[] {
    const out: { label: string; file: string; diff: string; map: LineMap }[] = [];
    // A resent copy whose diff differs from the first is checked too (its own label).
    const firstDiff = new Map(version.patches.map((p) => [p.subject.index ?? 1, p.diff]));
    const resentChanged = (version.resent ?? []).filter((p) => p.diff && p.diff !== firstDiff.get(p.subject.index ?? 1));
    for (const patch of [...version.patches, ...resentChanged]) {
      if (!patch.diff) continue;
      out.push({
        label: `[PATCH v${version.version} ${patch.subject.index ?? 1}/${version.total}]${resentChanged.includes(patch) ? ' (sent again)' : ''}`,
        file: patch.message.file,
        diff: patch.diff,
        map: offsetMap(patch.message.bodyMap, patch.diffBodyLine),
      });
    }
    for (const reply of version.replies) {
      const who = reply.from?.name || reply.from?.email || 'a reply';
      const carried = readPatch(reply);
      if (carried.diff) {
        out.push({ label: `diff in a reply from ${who}`, file: reply.file, diff: carried.diff, map: offsetMap(reply.bodyMap, carried.diffBodyLine) });
      }
      // A reviewer's comments cut a quoted hunk in pieces: join them back first.
      for (const quoted of joinQuoted(reply.quotedDiffs)) {
        out.push({ label: `diff quoted by ${who}`, file: reply.file, diff: quoted.text, map: quoted.map });
      }
    }
    return out;
  }
}

/**
 * The largest diff the C analysis and the checks take: a 20 MB hunk took
 * 72 s and 1.7 GB (issue 13); at this bound a diff costs a few seconds.  Real
 * patches are far smaller (the largest of the mm corpus is ~60 KB); the ones
 * past it are generated files (register headers, firmware tables).
 */
export const MAX_DIFF_CHARS = 4_000_000;

/** Whether a diff is within MAX_DIFF_CHARS; if not, says so at its first line. */
function withinBound(d: { label: string; file: string; diff: string; map: LineMap }, problems: Problem[]): boolean {
  if (d.diff.length <= MAX_DIFF_CHARS) return true;
  problems.push({
    file: d.file,
    line: d.map.length ? d.map.line(0) : 1,
    column: d.map.length ? d.map.column(0) : 1,
    kind: 'c-too-large',
    message: `the diff in ${d.label} is ${(d.diff.length / 1e6).toFixed(1)} MB, past the ${MAX_DIFF_CHARS / 1e6} MB the checks analyse: not checked`,
  });
  return false;
}

/** Lets queued editor messages (an edit, a cancel) run, then stops if the work is no longer wanted. */
async function stillWanted(signal: AbortSignal): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  signal.throwIfAborted();
}

/** The same finding reached twice (a diff quoted in two replies) is shown once. */
function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.rule}\0${f.file}\0${f.line}\0${f.column}\0${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Disabled rules and severity overrides apply to every kind of finding (trailer ones too). */
function applyRuleOptions(findings: Finding[], options: ReviewOptions): Finding[] {
  const disabled = new Set(options.disabledRules ?? []);
  return findings
    .filter((f) => !disabled.has(f.rule))
    .map((f) => (options.severity?.[f.rule] ? { ...f, severity: options.severity[f.rule] } : f));
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
