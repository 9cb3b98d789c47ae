/**
 * The lock checks: facts of a series in, findings out.
 *
 *   runChecks(patches, model, options): Finding[]
 *
 * Each rule lives in rules/<id>.ts and exports { id, severity, description,
 * source, check }.  Rules see the whole series; lock rules read the per-path
 * lock states of flow.ts.  A rule that throws on odd facts loses its
 * findings for this run, never the run (the error goes to options.onError).
 */
import type { FunctionFacts } from '../c/facts.js';
import type { Finding } from '../findings.js';
import type { HelperSpec, Model } from '../model/index.js';
import type { SourcePos } from '../types.js';
import { analyzeFunction, type FunctionAnalysis } from './flow.js';
import { summarizeSeries } from './summarize.js';
import type { CheckOptions, PatchInput, Rule, RuleInfo, SeriesContext } from './types.js';
import { RULES } from './rules/index.js';

export type { CheckOptions, PatchInput, Rule, RuleInfo, SeriesContext, DiffLineIndex, PatchLine } from './types.js';
export { indexDiff } from './lines.js';
export { RULES } from './rules/index.js';

export interface RunOptions extends CheckOptions {
  /** Called when a rule fails on odd facts (the rule's findings are dropped). */
  onError?: (rule: string, error: Error) => void;
}

/** Builds the shared context: post-image functions, series summaries, cached analyses. */
export function seriesContext(patches: PatchInput[], model: Model, options: CheckOptions): SeriesContext & { summaries: Map<string, HelperSpec> } {
  const fns: { fn: FunctionFacts; patch: PatchInput }[] = [];
  for (const patch of patches) {
    for (const fn of patch.facts.functions) if (fn.image === 'post' && !fn.removed) fns.push({ fn, patch });
  }
  const patchOf = new Map<FunctionFacts, PatchInput>(fns.map((x) => [x.fn, x.patch]));
  const hunkOf = (fn: FunctionFacts) => {
    const lines = patchOf.get(fn)?.lines;
    return lines ? (pos: SourcePos) => lines.at(pos.file, pos.line)?.hunk : undefined;
  };
  const { summaries, analyses } = summarizeSeries(fns.map((x) => x.fn), model, hunkOf);
  const cache = new Map<FunctionFacts, FunctionAnalysis>(analyses);
  return {
    patches,
    model,
    options,
    summaries,
    functions: () => fns,
    analysis(fn) {
      let a = cache.get(fn);
      if (!a && (!touchesLocks(fn, model, summaries) || !changesLocking(fn, model, summaries, patchOf.get(fn)))) {
        // No helper of the model or the series is called and no VMA field is written: no lock state to follow.
        a = { fn, events: [], truncated: false, freshVmas: new Set(), attachedVmas: new Map() };
        cache.set(fn, a);
      }
      if (!a) {
        const h = hunkOf(fn);
        a = analyzeFunction(fn, { model, summaries, ...(h ? { hunkOf: h } : {}) });
        cache.set(fn, a);
      }
      return a;
    },
    changeAt(patch: PatchInput, pos: SourcePos) {
      return patch.lines?.at(pos.file, pos.line)?.change;
    },
    finding(rule: RuleInfo, patch: PatchInput, pos: SourcePos, message: string, extra: Partial<Finding> = {}): Finding {
      const where = patch.lines?.at(pos.file, pos.line);
      const f: Finding = {
        rule: rule.id,
        severity: rule.severity,
        message,
        file: pos.file,
        line: pos.line,
        column: pos.column,
        ...(where && where.path ? { patchFile: where.path, patchLine: where.line } : where ? { patchLine: where.line } : {}),
        ...extra,
      };
      if (!f.sources || f.sources.length === 0) f.sources = rule.source;
      return f;
    },
  };
}

/** Whether a function calls a helper of the model or of the series, or writes a VMA field the model knows. */
function touchesLocks(fn: FunctionFacts, model: Model, summaries: Map<string, HelperSpec>): boolean {
  for (const c of fn.calls) if (model.helpers.has(c.name) || summaries.has(c.name)) return true;
  for (const a of fn.assigns) if (a.field !== null && model.fields.has(a.field)) return true;
  return false;
}

/**
 * Whether the patch changes anything a lock rule can report on in this
 * function: every lock finding needs an added helper call, an added field
 * write or allocation, or an added return (see each rule's `change === '+'`).
 */
function changesLocking(fn: FunctionFacts, model: Model, summaries: Map<string, HelperSpec>, patch: PatchInput | undefined): boolean {
  for (const c of fn.calls) if (c.change === '+' && (model.helpers.has(c.name) || summaries.has(c.name))) return true;
  for (const a of fn.assigns) if (a.change === '+') return true;
  if (!patch?.lines) return true;
  const stack = [...fn.flow];
  for (let guard = 0; stack.length > 0 && guard < 100_000; guard++) {
    const it = stack.pop()!;
    if ((it.kind === 'return' || it.kind === 'goto') && patch.lines.at(it.pos.file, it.pos.line)?.change === '+') return true;
    if (it.kind === 'if') stack.push(...it.then, ...(it.else ?? []));
    else if (it.kind === 'loop') stack.push(...it.body);
  }
  return false;
}

export function runChecks(patches: PatchInput[], model: Model, options: RunOptions = {}): Finding[] {
  const disabled = new Set(options.disabledRules ?? []);
  const ctx = seriesContext(patches, model, options);
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const rule of RULES as Rule[]) {
    if (disabled.has(rule.id)) continue;
    let found: Finding[];
    try {
      found = rule.check(ctx);
    } catch (e) {
      options.onError?.(rule.id, e as Error);
      continue;
    }
    for (const f of found) {
      const key = `${f.rule}|${f.file}|${f.line}|${f.column}|${f.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const override = options.severity?.[f.rule];
      out.push(override && !f.uncertain ? { ...f, severity: override } : f);
    }
  }
  out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column || (a.rule < b.rule ? -1 : 1)));
  return out;
}
