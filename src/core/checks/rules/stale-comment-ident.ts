/**
 * STALE-COMMENT-IDENT: a comment names an identifier that
 *   (a) the same series removes or renames (a function whose definition is
 *       gone from every post-image, a #define removed and not re-added), or
 *   (b) the code it describes no longer uses: the function's pre-image code
 *       used it, its post-image code does not.  When the comment sits right
 *       above the statement that dropped it, that is a warning (seed 001's
 *       review nit); elsewhere in the function it is an info, since the
 *       function may use it outside the hunk.
 * Comments that say why something is gone ("no longer", "instead of") are
 * left alone.
 */
import type { CommentFact, FlowItem, FunctionFacts } from '../../c/facts.js';
import type { Finding } from '../../findings.js';
import type { SourcePos } from '../../types.js';
import type { PatchInput, Rule, SeriesContext } from '../types.js';

const HISTORY_WORDS = /no longer|instead of|used to|previously|formerly|rather than|replac|renam|was called|removed|dropped/i;
const MAX_ITEMS = 50_000;

/** Identifiers in code (calls, their arguments, conditions, assignments, returns) of a flow. */
function codeTokens(flow: FlowItem[], into: Set<string>): void {
  const add = (text: string) => {
    for (const m of text.matchAll(/[A-Za-z_]\w*/g)) into.add(m[0]);
  };
  const stack: FlowItem[] = [...flow];
  let budget = MAX_ITEMS;
  while (stack.length > 0 && --budget > 0) {
    const it = stack.pop()!;
    switch (it.kind) {
      case 'call': into.add(it.call.name); it.call.args.forEach(add); break;
      case 'if': add(it.condition); stack.push(...it.then, ...(it.else ?? [])); break;
      case 'loop': add(it.header); stack.push(...it.body); break;
      case 'return': add(it.value); break;
      case 'assign': add(it.assign.target); add(it.assign.value); break;
      default: break;
    }
  }
}

/** Lines (input) of the code facts of a flow that use `name`. */
function linesUsing(flow: FlowItem[], name: string): number[] {
  const re = new RegExp(`\\b${name}\\b`);
  const out: number[] = [];
  const stack: FlowItem[] = [...flow];
  let budget = MAX_ITEMS;
  while (stack.length > 0 && --budget > 0) {
    const it = stack.pop()!;
    if (it.kind === 'call' && (it.call.name === name || it.call.args.some((x) => re.test(x)))) out.push(it.call.pos.line);
    if (it.kind === 'if') {
      if (re.test(it.condition)) out.push(it.pos.line);
      stack.push(...it.then, ...(it.else ?? []));
    }
    if (it.kind === 'loop') stack.push(...it.body);
    if (it.kind === 'assign' && (re.test(it.assign.target) || re.test(it.assign.value))) out.push(it.assign.pos.line);
    if (it.kind === 'return' && re.test(it.value)) out.push(it.pos.line);
  }
  return out;
}

/** Where in the input the first mention of `name` in the comment is. */
function mentionPos(ctx: SeriesContext, patch: PatchInput, c: CommentFact, name: string): SourcePos {
  const idx = c.text.search(new RegExp(`\\b${name}\\b`));
  if (idx < 0) return c.pos;
  const before = c.text.slice(0, idx);
  const nl = before.lastIndexOf('\n');
  let lineOffset = before.split('\n').length - 1;
  // A comment opened before the hunk starts with a `/*` the extractor supplied: not an input line.
  const first = patch.lines?.at(c.pos.file, c.pos.line)?.text;
  if (first !== undefined && c.text.startsWith('/*\n') && !first.includes('/*')) lineOffset--;
  if (lineOffset === 0) return { file: c.pos.file, line: c.pos.line, column: c.pos.column + idx };
  // The comment's text is post-image: skip the removed lines interleaved with it in the input.
  let line = c.pos.line;
  for (let k = 0, guard = 0; k < lineOffset && guard < lineOffset + 2000; guard++) {
    line++;
    const at = patch.lines?.at(c.pos.file, line);
    if (patch.lines ? at !== undefined && at.change !== '-' : true) k++;
  }
  const start = patch.lines?.at(c.pos.file, line)?.column ?? 1;
  return { file: c.pos.file, line, column: start + (idx - nl - 1) };
}

/** Whether the comment writes `name` as code (`foo()`, or an identifier with an underscore). */
function looksLikeCode(c: CommentFact, name: string): boolean {
  return name.includes('_') || new RegExp(`\\b${name}\\(\\)`).test(c.text);
}

/** The post-image still uses a name built on it (`vm_flags` -> `vm_flags_reset()`): the comment's subject is still there. */
function stillNamed(tokens: Set<string>, name: string): boolean {
  for (const t of tokens) if (t !== name && (t.startsWith(`${name}_`) || t.endsWith(`_${name}`))) return true;
  return false;
}

/** Input line of the first code fact of a flow after `line`, or null. */
function firstCodeLineAfter(flow: FlowItem[], line: number): number | null {
  let best: number | null = null;
  const stack: FlowItem[] = [...flow];
  let budget = MAX_ITEMS;
  while (stack.length > 0 && --budget > 0) {
    const it = stack.pop()!;
    const at = it.kind === 'call' ? it.call.pos.line : it.kind === 'assign' ? it.assign.pos.line : it.pos.line;
    if (at > line && (best === null || at < best)) best = at;
    if (it.kind === 'if') stack.push(...it.then, ...(it.else ?? []));
    if (it.kind === 'loop') stack.push(...it.body);
  }
  return best;
}

export const rule: Rule = {
  id: 'STALE-COMMENT-IDENT',
  severity: 'warning',
  description: 'A comment names an identifier the series removes or renames, or that the code it describes no longer uses.',
  source: [{ file: 'test/fixtures/seeds/001_872d036f281e0629.txt', note: 'review nit by Vlastimil Babka on the VM_MAYBE_GUARD series (v3), Nov 2025' }],
  check(ctx) {
    const out: Finding[] = [];
    // (a) Definitions the series removes or renames.
    const pre = new Map<string, FunctionFacts>();
    const post = new Set<string>();
    for (const p of ctx.patches) {
      for (const fn of p.facts.functions) {
        if (!fn.hasStart) continue;
        if (fn.image === 'pre') pre.set(fn.name, fn);
        else if (!fn.removed) post.add(fn.name);
      }
    }
    const gone = new Map<string, string>(); // name -> why
    for (const [name, fn] of pre) {
      if (post.has(name)) continue;
      const renamed = ctx.patches.flatMap((p) => p.facts.functions)
        .find((f) => f.image === 'post' && f.hasStart && f.path === fn.path && !pre.has(f.name) && Math.abs(f.pos.line - fn.pos.line) <= 2);
      gone.set(name, renamed ? `renamed to ${renamed.name}()` : 'removed');
    }
    const minus = new Set<string>();
    const plus = new Set<string>();
    for (const p of ctx.patches) for (const d of p.facts.defines) (d.change === '-' ? minus : d.change === '+' ? plus : new Set()).add(d.name);
    for (const n of minus) if (!plus.has(n) && !gone.has(n)) gone.set(n, 'removed');

    const reported = new Set<string>();
    const report = (patch: PatchInput, c: CommentFact, names: string[], message: string, extra: Partial<Finding> = {}) => {
      const pos = mentionPos(ctx, patch, c, names[0]);
      const key = `${pos.file}:${pos.line}:${names.join(',')}`;
      if (reported.has(key)) return;
      reported.add(key);
      out.push(ctx.finding(rule, patch, pos, message, extra));
    };

    if (gone.size > 0) {
      for (const patch of ctx.patches) {
        const comments: CommentFact[] = [...patch.facts.comments];
        for (const fn of patch.facts.functions) if (fn.image === 'post') comments.push(...fn.comments);
        for (const c of comments) {
          if (c.change === '-') continue;
          const names = c.identifiers.filter((x) => gone.has(x) && looksLikeCode(c, x));
          if (names.length === 0) continue;
          const what = names.map((x) => `${x}() (${gone.get(x)} in this series)`).join(', ');
          report(patch, c, names, `The comment names ${what}.`);
        }
      }
    }

    // (b) Identifiers the code under the comment stopped using.
    for (const patch of ctx.patches) {
      const preFns = new Map<string, FunctionFacts>();
      for (const fn of patch.facts.functions) if (fn.image === 'pre') preFns.set(`${fn.path}|${fn.name}`, fn);
      for (const fn of patch.facts.functions) {
        if (fn.image !== 'post' || fn.comments.length === 0) continue;
        const before = preFns.get(`${fn.path}|${fn.name}`);
        if (!before) continue;
        // Functions the pre-image called: a comment naming one the code no longer calls is stale.
        const used = new Set(before.calls.filter((c) => c.change === '-').map((c) => c.name));
        if (used.size === 0 || !fn.comments.some((c) => c.identifiers.some((x) => used.has(x)))) continue;
        const now = new Set<string>();
        codeTokens(fn.flow, now);
        const commentWords = new Set(fn.comments.flatMap((c) => c.identifiers));
        for (const id of fn.identifiers) if (!commentWords.has(id)) now.add(id);
        for (const c of fn.comments) {
          if (c.change === '-' || HISTORY_WORDS.test(c.text)) continue;
          const stale = c.identifiers.filter((x) => used.has(x) && !now.has(x) && looksLikeCode(c, x) && !gone.has(x) && !stillNamed(now, x));
          if (stale.length === 0) continue;
          // The statement the comment describes: the first code of the pre-image after it.
          const next = firstCodeLineAfter(before.flow, c.pos.line);
          const describes = next === null ? [] : stale.filter((x) => linesUsing(before.flow, x).some((l) => l >= next && l <= next + 1));
          const names = describes.length > 0 ? describes : stale;
          const list = names.map((x) => `${x}()`).join(' and ');
          if (describes.length > 0) {
            report(patch, c, names, `The comment names ${list}, which the code below it no longer calls after this patch.`);
          } else {
            report(patch, c, names, `The comment names ${list}, which ${fn.name}() no longer calls in the lines this patch shows.`, {
              severity: 'info', uncertain: `${fn.name}() may still use it outside the hunks of this patch`,
            });
          }
        }
      }
    }
    continuedPieces(ctx, report);
    return out;
  },
};

/**
 * (c) A reply that interrupts a quoted hunk right after a comment: the
 * statement the comment describes opens the next quoted piece, which has no
 * header and so no C facts.  Its `-`/`+` lines are read as text: a function
 * the comment names that the `-` lines call and the `+` lines no longer do
 * is stale (seed 001).
 */
function continuedPieces(ctx: SeriesContext, report: (patch: PatchInput, c: CommentFact, names: string[], message: string) => void): void {
  const pieces = ctx.patches;
  for (let i = 0; i + 1 < pieces.length; i++) {
    const patch = pieces[i];
    const next = pieces.slice(i + 1).find((p) => p.lines && p.lines.lead.length > 0 && patch.lines &&
      p.lines.lead[0].pos.file === (patch.facts.functions[0]?.pos.file ?? p.lines.lead[0].pos.file) &&
      p.lines.lead[0].pos.line > patch.lines.lastLine);
    if (!next || !patch.lines) continue;
    const lead = next.lines!.lead.slice(0, 8);
    if (!lead.some((l) => l.change === '-')) continue;
    const calls = (change: '+' | '-' | ' ') => new Set(lead.filter((l) => l.change === change).flatMap((l) => [...l.text.matchAll(/\b([A-Za-z_]\w*)\s*\(/g)].map((m) => m[1])));
    const removedCalls = calls('-');
    for (const k of calls('+')) removedCalls.delete(k);
    if (removedCalls.size === 0) continue;
    const comments: CommentFact[] = [...patch.facts.comments];
    for (const fn of patch.facts.functions) {
      if (fn.image !== 'post') continue;
      // Only a comment with no code after it in this piece: the piece ends inside or right after it.
      for (const c of fn.comments) if (!fn.calls.some((k) => k.pos.line > c.pos.line)) comments.push(c);
    }
    for (const c of comments) {
      if (c.change === '-' || patch.lines.lastLine - c.pos.line > 60 || HISTORY_WORDS.test(c.text)) continue;
      const names = c.identifiers.filter((x) => removedCalls.has(x) && looksLikeCode(c, x));
      if (names.length === 0) continue;
      report(patch, c, names, `The comment names ${names.map((x) => `${x}()`).join(' and ')}, which the code below it (line ${lead[0].pos.line}) no longer calls after this patch.`);
    }
  }
}
