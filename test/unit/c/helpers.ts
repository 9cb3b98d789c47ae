import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { LineMap } from '../../../src/core/types.js';
import { findDiffs } from '../../../src/core/diff/index.js';
import { extractPatchFacts, type FactsOptions } from '../../../src/core/c/index.js';
import type { FlowItem, PatchFacts } from '../../../src/core/c/facts.js';

export const fixtures = fileURLToPath(new URL('../../fixtures/', import.meta.url));

/** Input line i+1 for text line i: a file read as it is. */
export function fileMap(text: string): LineMap {
  const n = text.split('\n').length;
  return { length: n, line: (i) => i + 1, column: () => 1, exact: () => true };
}

/** Facts of every diff in a fixture file (unquoted and quoted), keyed by quote depth. */
export function factsOf(rel: string, options: FactsOptions = {}): Map<number, PatchFacts> {
  const text = readFileSync(fixtures + rel, 'utf8');
  const out = new Map<number, PatchFacts>();
  for (const d of findDiffs(text, fileMap(text))) out.set(d.depth, extractPatchFacts({ file: rel, diff: d.text, map: d.map }, options));
  return out;
}

/** Every flow item, depth first, in source order. */
export function flatten(flow: FlowItem[]): FlowItem[] {
  const out: FlowItem[] = [];
  for (const it of flow) {
    out.push(it);
    if (it.kind === 'if') {
      out.push(...flatten(it.then));
      if (it.else) out.push(...flatten(it.else));
    } else if (it.kind === 'loop') out.push(...flatten(it.body));
  }
  return out;
}
