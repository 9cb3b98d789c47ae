/**
 * Kernel-tree mode when a patch does not apply: find each hunk's function in
 * the tree anyway, by the `@@` name and the hunk's context calls, so that
 *
 *   - its body up to the hunk gives the lock state where the hunk starts
 *     (src/core/checks/context.ts walks the whole tree function);
 *   - a `goto` whose label the hunk does not show reaches the tree's label
 *     body (appended to the hunk's flow: `goto out_map` where out_map
 *     unlocks again);
 *   - a callee defined in the same tree file tells what it does to the locks
 *     (one level: its body is walked, its own callees come from the model
 *     and the built-in contracts).
 *
 * The tree file is read through the TreeReader (paths stay in the tree) and
 * parsed with the same C facts as a patch (a whole-file diff), once per file.
 */
import { join } from 'node:path';
import type { LineMap } from '../types.js';
import type { FlowItem, FunctionFacts } from './facts.js';
import { readLines } from './tree.js';
import type { TreeReader } from './treefs.js';

/** A hunk's function found in a tree it does not apply to. */
export interface LocatedFunction {
  name: string;
  /** Kernel-tree path. */
  path: string;
  /** The tree's whole function (positions: the tree file). */
  tree: FunctionFacts;
  /** Functions the hunk's function calls that the same tree file defines. */
  callees: FunctionFacts[];
  /** Labels whose tree body was appended to the hunk's flow. */
  labels: string[];
}

const HEADER = 4;

/** Every function of a tree file, from a whole-file diff through the patch facts. */
export function treeFileFunctions(
  tree: TreeReader, rel: string, extract: (diff: string, file: string, map: LineMap) => FunctionFacts[],
): FunctionFacts[] {
  const lines = readLines(tree, rel);
  if (!lines) return [];
  // A series touches the same files patch after patch: parse each tree file once.
  const key = `${tree.root}\0${rel}`;
  const text = lines.join('\n');
  const hit = parsed.get(key);
  if (hit && hit.text === text) return hit.fns;
  const diff = [`diff --git a/${rel} b/${rel}`, '--- /dev/null', `+++ b/${rel}`, `@@ -0,0 +1,${lines.length} @@`, ...lines.map((l) => `+${l}`)].join('\n') + '\n';
  // Positions are the tree file's own lines; nothing of it is a change of the patch.
  const map: LineMap = { length: lines.length + HEADER + 1, line: (i) => Math.max(1, i - HEADER + 1), column: () => 1, exact: () => true };
  const fns = extract(diff, join(tree.root, rel), map).filter((f) => f.image === 'post' && f.hasStart);
  for (const f of fns) unchange(f.flow);
  if (parsed.size >= 16) parsed.delete(parsed.keys().next().value!);
  parsed.set(key, { text, fns });
  return fns;
}

const parsed = new Map<string, { text: string; fns: FunctionFacts[] }>();

/** Marks every call, assignment of tree code as context (` `). */
function unchange(items: FlowItem[]): void {
  const stack = [...items];
  for (let guard = 0; stack.length > 0 && guard < 200_000; guard++) {
    const it = stack.pop()!;
    if (it.kind === 'call') it.call.change = ' ';
    else if (it.kind === 'assign') it.assign.change = ' ';
    else if (it.kind === 'if') {
      for (const c of it.conditionCalls) c.change = ' ';
      stack.push(...it.then, ...(it.else ?? []));
    } else if (it.kind === 'loop') stack.push(...it.body);
    else if (it.kind === 'return') for (const c of it.calls) c.change = ' ';
  }
}

const callText = (c: { name: string; args: string[] }) => `${c.name}(${c.args.map((a) => a.replace(/\s+/g, '')).join(',')})`;

/**
 * The tree's definition of `fn` (by name; among several, the one sharing
 * most of the hunk's context calls), or null.
 */
export function locate(fn: FunctionFacts, treeFns: FunctionFacts[]): FunctionFacts | null {
  const same = treeFns.filter((t) => t.name === fn.name);
  if (same.length <= 1) return same[0] ?? null;
  const shown = new Set(fn.calls.filter((c) => c.change === ' ').map(callText));
  let best: FunctionFacts | null = null;
  let score = -1;
  for (const t of same) {
    const s = t.calls.filter((c) => shown.has(callText(c))).length;
    if (s > score) {
      best = t;
      score = s;
    }
  }
  return best;
}

/** Labels the function jumps to but does not show. */
function missingLabels(flow: FlowItem[]): Set<string> {
  const gotos = new Set<string>();
  const labels = new Set<string>();
  const stack = [...flow];
  for (let guard = 0; stack.length > 0 && guard < 100_000; guard++) {
    const it = stack.pop()!;
    if (it.kind === 'goto') gotos.add(it.label);
    else if (it.kind === 'label') labels.add(it.label);
    else if (it.kind === 'if') stack.push(...it.then, ...(it.else ?? []));
    else if (it.kind === 'loop') stack.push(...it.body);
  }
  for (const l of labels) gotos.delete(l);
  return gotos;
}

/**
 * Appends to `fn.flow` the tree's body of each label it jumps to and does
 * not show: the tree function's top-level items from the label on (later
 * labels fall through, as in C).  Returns the labels appended.
 */
export function appendLabelBodies(fn: FunctionFacts, tree: FunctionFacts): string[] {
  const wanted = missingLabels(fn.flow);
  if (wanted.size === 0) return [];
  // The earliest wanted label of the tree's top level: everything after it is reached.
  const at = tree.flow.findIndex((it) => it.kind === 'label' && wanted.has(it.label));
  if (at < 0) return [];
  const tail = tree.flow.slice(at);
  fn.flow.push(...tail);
  const labels = tail.filter((it) => it.kind === 'label').map((it) => (it as { label: string }).label).filter((l) => wanted.has(l));
  return labels;
}
