/**
 * C facts extraction over corpus/real, as a ratio to a bare tree-sitter
 * parse of the same C: for every C file of every patch, the pre- and
 * post-image lines of its hunks, joined.  The facts side does everything
 * (reading the diff, images, composing wrappers, neutralizing kernel
 * macros, parsing, copying the tree, extracting, evaluating defines).
 *
 * `npm run bench` calls bench(); `node --import tsx bench/facts.ts` runs it alone.
 */
import { readDiff } from '../src/core/diff/index.js';
import { fileURLToPath } from 'node:url';
import { corpusCases, median } from './corpus.js';
import { extractPatchFacts } from '../src/core/c/index.js';
import { freeCTree, parseC } from '../src/core/c/parser.js';
import { applyToTree } from '../src/core/c/tree.js';
import { treeReader } from '../src/core/c/treefs.js';



/** CPU time (ms) of fn, median of `runs`: on a shared machine wall time mostly measures the neighbours. */
function time(fn: () => void, runs: number): number {
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = process.cpuUsage();
    fn();
    const d = process.cpuUsage(s);
    t.push((d.user + d.system) / 1000);
  }
  return median(t);
}

export async function bench(): Promise<string[]> {
  const all = corpusCases();
  const bytes = all.reduce((n, c) => n + c.images.reduce((m, t) => m + t.length, 0), 0);
  const bareRun = (): void => {
    for (const c of all) for (const t of c.images) freeCTree(parseC(t));
  };
  let hunks = 0;
  let bad = 0;
  const factsRun = (): void => {
    hunks = 0;
    bad = 0;
    for (const c of all) {
      const f = extractPatchFacts({ file: c.name, diff: c.diff, map: c.map });
      hunks += f.parse!.hunks;
      bad += f.parse!.hunksWithErrors;
    }
  };
  bareRun();
  factsRun();
  // Interleaved, so load from other processes hits both sides alike; the median pair ratio is reported.
  const bare: number[] = [];
  const facts: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < 21; i++) {
    const a = time(bareRun, 1);
    const b = time(factsRun, 1);
    bare.push(a);
    facts.push(b);
    ratios.push(b / a);
  }
  return [
    `c facts: ${all.length} patches, ${hunks} C hunks, ${(bytes / 1024).toFixed(0)} KiB of image text`,
    `c facts: extraction ${median(facts).toFixed(1)} ms, bare tree-sitter parse ${median(bare).toFixed(1)} ms (CPU, medians): ` +
      `ratio ${median(ratios).toFixed(2)}x median of 21 interleaved pairs, ${(Math.min(...facts) / Math.min(...bare)).toFixed(2)}x best of each (target <= 1.5x)`,
    `c facts: hunks with an ERROR/MISSING node over a changed line: ${bad}/${hunks} (${((1 - bad / hunks) * 100).toFixed(1)}% clean, target >= 97%)`,
  ];
}

/**
 * Kernel-tree mode against a real tree (PATCHLENS_KERNEL_TREE=/path/to/linux):
 * how many hunks of corpus/real apply to it, and how.
 */
export function treeApplyRate(tree: string): string[] {
  let hunks = 0;
  let exact = 0;
  let moved = 0;
  let whitespace = 0;
  let failed = 0;
  let already = 0;
  let missing = 0;
  let files = 0;
  let wholeFiles = 0;
  for (const c of corpusCases()) {
    for (const f of readDiff(c.diff).files) {
      if (f.binary || f.hunks.length === 0) continue;
      files++;
      const r = applyToTree(treeReader(tree), f, c.name, c.map);
      hunks += f.hunks.length;
      if (r.ok) wholeFiles++;
      for (const n of r.notApplied) {
        if (/is not in the tree/.test(n.reason)) missing++;
        else if (/^already in /.test(n.reason)) already++;
        else failed++;
      }
      if (r.notApplied.length === 0 || r.notApplied.some((n) => !/is not in the tree/.test(n.reason))) {
        const applied = f.hunks.length - r.notApplied.length;
        whitespace += r.fuzzyWhitespace.length;
        moved += [...r.offsets.keys()].filter((h) => !r.fuzzyWhitespace.includes(h)).length;
        exact += applied - r.fuzzyWhitespace.length - [...r.offsets.keys()].filter((h) => !r.fuzzyWhitespace.includes(h)).length;
      }
    }
  }
  const pct = (n: number): string => ((100 * n) / hunks).toFixed(1) + '%';
  return [
    `kernel tree ${tree}: ${files} files, ${wholeFiles} patched whole; ${hunks} hunks: ${exact} apply at their line (${pct(exact)}), ` +
      `${moved} at another line (${pct(moved)}), ${whitespace} only ignoring whitespace (${pct(whitespace)}), ` +
      `${already} already in the tree (${pct(already)}), ${failed} do not apply (${pct(failed)}), ${missing} in files the tree lacks (${pct(missing)})`,
  ];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const line of await bench()) console.log(line);
  if (process.env.PATCHLENS_KERNEL_TREE) for (const line of treeApplyRate(process.env.PATCHLENS_KERNEL_TREE)) console.log(line);
}
