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
import { analyzeFunction, type AnalyzeEnv, type FunctionAnalysis } from './flow.js';
import { builtinContracts, OverlaySpecs, specOf } from '../model/contracts.js';
import { entryFrom, mineFunction, patchedClasses, type Entry } from './context.js';
import type { LocatedFunction } from '../c/locate.js';
import { summarizeSeries } from './summarize.js';
import { preImageOf } from './removed.js';
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
  const contracts = options.contracts === false ? null : options.contracts ?? builtinContracts();
  const mined = contracts?.helpers;
  // The lock state where a function's shown code starts, and where it came from.
  const entries = new Map<FunctionFacts, Entry | undefined>();
  const entryOf = (fn: FunctionFacts): Entry | undefined => {
    if (entries.has(fn)) return entries.get(fn);
    let e: Entry | undefined;
    const here = locatedOf(fn);
    if (!fn.hasStart && here) {
      // The tree's own function, walked whole: its state before the hunk's first context call.
      const c = mineFunction(here.tree, { model, summaries, contracts: calleesOf(fn) }, fn.path, (l) => l);
      e = entryFrom(fn, c, 'tree-function', 'the tree');
      entries.set(fn, e);
      return e;
    }
    if (!fn.hasStart && contracts && !patchOf.get(fn)?.facts.applied?.includes(fn.path)) {
      const c = contracts.find(fn.name, fn.path);
      const specOfName = (name: string) => model.helpers.get(name) ?? summaries.get(name) ?? mined?.get(name);
      if (c) e = entryFrom(fn, c, `contract:${contracts.label}`, `${contracts.label} contract`, patchedClasses(fn, model, specOfName));
    }
    entries.set(fn, e);
    return e;
  };
  const locatedOf = (fn: FunctionFacts): LocatedFunction | undefined =>
    patchOf.get(fn)?.facts.located?.find((l) => l.name === fn.name && l.path === fn.path);
  // Callees the tree defines (one level), over the built-in contracts.
  const callees = new Map<FunctionFacts, Map<string, HelperSpec> | undefined>();
  const calleesOf = (fn: FunctionFacts): Map<string, HelperSpec> | undefined => {
    if (callees.has(fn)) return callees.get(fn);
    const here = locatedOf(fn);
    let out: Map<string, HelperSpec> | undefined = mined;
    if (here && here.callees.length) {
      const top = new Map<string, HelperSpec>();
      for (const callee of here.callees) {
        if (model.helpers.has(callee.name)) continue;
        const spec = specOf(mineFunction(callee, { model, summaries, ...(mined ? { contracts: mined } : {}) }, callee.pos.file, (l) => l), 'the tree');
        if (spec) top.set(callee.name, spec);
      }
      out = new OverlaySpecs(top, mined);
    }
    callees.set(fn, out);
    return out;
  };
  const contextOf = (fn: FunctionFacts): string => {
    const patch = patchOf.get(fn);
    if (patch?.facts.applied?.includes(fn.path)) return 'applied';
    if (locatedOf(fn)) return 'tree-function';
    const e = entryOf(fn);
    if (e) return e.context;
    if (mined && fn.calls.some((c) => c.change === '+' && !model.helpers.has(c.name) && mined.has(c.name))) return `contract:${contracts!.label}`;
    return 'hunk';
  };
  const known = (name: string) => model.helpers.has(name) || summaries.has(name) || (mined?.has(name) ?? false);
  return {
    patches,
    model,
    options,
    summaries,
    contextOf,
    functions: () => fns,
    analysis(fn) {
      let a = cache.get(fn);
      if (a && entryOf(fn)) a = undefined; // the series summary walked it from an empty state
      if (!a && (!(touchesLocks(fn, known, model) || entryOf(fn) || locatedOf(fn)) || !changesLocking(fn, known, patchOf.get(fn)))) {
        // No helper of the model or the series is called and no VMA field is written: no lock state to follow.
        a = { fn, events: [], truncated: false, freshVmas: new Set(), attachedVmas: new Map() };
        cache.set(fn, a);
      }
      if (!a) {
        const h = hunkOf(fn);
        const specs = calleesOf(fn);
        const env: AnalyzeEnv = { model, summaries, ...(h ? { hunkOf: h } : {}), ...(specs ? { contracts: specs } : {}), entry: entryOf };
        a = analyzeFunction(fn, env);
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
function touchesLocks(fn: FunctionFacts, known: (name: string) => boolean, model: Model): boolean {
  for (const c of fn.calls) if (known(c.name)) return true;
  for (const a of fn.assigns) if (a.field !== null && model.fields.has(a.field)) return true;
  return false;
}

/**
 * Whether the patch changes anything a lock rule can report on in this
 * function: every lock finding needs an added helper call, an added field
 * write or allocation, or an added return (see each rule's `change === '+'`).
 */
function changesLocking(fn: FunctionFacts, known: (name: string) => boolean, patch: PatchInput | undefined): boolean {
  for (const c of fn.calls) if (c.change === '+' && known(c.name)) return true;
  for (const a of fn.assigns) if (a.change === '+') return true;
  if (!patch?.lines) return true;
  const stack = [...fn.flow];
  for (let guard = 0; stack.length > 0 && guard < 100_000; guard++) {
    const it = stack.pop()!;
    if ((it.kind === 'return' || it.kind === 'goto') && patch.lines.at(it.pos.file, it.pos.line)?.change === '+') return true;
    if (it.kind === 'if') stack.push(...it.then, ...(it.else ?? []));
    else if (it.kind === 'loop') stack.push(...it.body);
  }
  return removesTests(fn, patch);
}

/**
 * Whether the patch removes an `if`, a return or a goto from the pre-image
 * of `fn`: a dropped NULL test or error exit changes what the lock rules
 * see (LOCK-KILLABLE-UNCHECKED on a reverted `if (!pte)`) though no added
 * line calls a helper.
 */
function removesTests(fn: FunctionFacts, patch: PatchInput): boolean {
  const pre = preImageOf(patch, fn);
  if (!pre || !patch.lines) return false;
  const stack = [...pre.flow];
  for (let guard = 0; stack.length > 0 && guard < 100_000; guard++) {
    const it = stack.pop()!;
    if ((it.kind === 'if' || it.kind === 'return' || it.kind === 'goto') && patch.lines.at(it.pos.file, it.pos.line)?.change === '-') return true;
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
    for (const f0 of found) {
      const f = withContext(f0, ctx);
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

/** The function of a finding: the post-image function whose shown lines hold its line. */
function withContext(f0: Finding, ctx: SeriesContext): Finding {
  if (f0.context) return f0;
  const f = atPatchLine(f0, ctx);
  let best: FunctionFacts | null = null;
  for (const { fn } of ctx.functions()) {
    if (fn.pos.file !== f.file) continue;
    let lo = fn.pos.line;
    let hi = fn.pos.line;
    for (const c of fn.calls) if (c.pos.file === f.file) { lo = Math.min(lo, c.pos.line); hi = Math.max(hi, c.pos.line); }
    for (const a of fn.assigns) if (a.pos.file === f.file) { lo = Math.min(lo, a.pos.line); hi = Math.max(hi, a.pos.line); }
    if (f.line >= lo && f.line <= hi) best = fn;
  }
  if (!best) {
    // A finding in code the tree added (a label body): the function whose path it is.
    for (const { fn } of ctx.functions()) {
      if (f.path?.some((p) => p.file === fn.pos.file && fn.calls.some((c) => c.pos.line === p.line && c.pos.file === p.file))) best = fn;
    }
  }
  return { ...f, context: best ? ctx.contextOf(best) : 'hunk' };
}

/**
 * A finding on a line of the kernel tree (a label body the hunk does not
 * show) is shown at the patch line of its path that the patch added: that is
 * the line a reviewer answers.  The tree's line stays in the path.
 */
function atPatchLine(f: Finding, ctx: SeriesContext): Finding {
  const inPatch = (file: string, line: number) => ctx.patches.some((p) => p.lines?.at(file, line) !== undefined);
  if (inPatch(f.file, f.line)) return f;
  const added = f.path?.find((s) => ctx.patches.some((p) => p.lines?.at(s.file, s.line)?.change === '+'));
  if (!added) return f;
  const where = ctx.patches.map((p) => p.lines?.at(added.file, added.line)).find((w) => w !== undefined);
  return { ...f, file: added.file, line: added.line, column: added.column,
    ...(where ? { patchFile: where.path, patchLine: where.line } : {}) };
}
