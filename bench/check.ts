/**
 * The lock checks over corpus/real, as a ratio to a bare tree-sitter parse
 * of the same hunks (the pre- and post-image lines of every C file, joined).
 * The check side does everything from the diff text on: C facts
 * (src/core/c), the diff line index, and runChecks with the default model
 * (series summaries, per-path lock states, all 13 rules).  The rules alone
 * are timed too, on facts made beforehand.
 *
 * `npm run bench` calls bench(); `node --import tsx bench/check.ts` runs it alone.
 */
import { fileURLToPath } from 'node:url';
import { corpusCases, median } from './corpus.js';
import { extractPatchFacts } from '../src/core/c/index.js';
import { freeCTree, parseC } from '../src/core/c/parser.js';
import { indexDiff, runChecks, type PatchInput } from '../src/core/checks/index.js';
import { defaultModel } from '../src/core/model/index.js';



export async function bench(): Promise<string[]> {
  const all = corpusCases();
  const model = defaultModel();
  let findings = 0;
  const bareRun = (): void => {
    for (const c of all) for (const t of c.images) freeCTree(parseC(t));
  };
  const checkRun = (): void => {
    findings = 0;
    for (const c of all) {
      const facts = extractPatchFacts({ file: c.name, diff: c.diff, map: c.map });
      findings += runChecks([{ facts, label: c.name, lines: indexDiff(c.name, c.diff, c.map) }], model).length;
    }
  };
  const prepared: PatchInput[] = all.map((c) => ({
    facts: extractPatchFacts({ file: c.name, diff: c.diff, map: c.map }),
    label: c.name,
    lines: indexDiff(c.name, c.diff, c.map),
  }));
  const rulesRun = (): void => {
    for (const p of prepared) runChecks([p], model);
  };
  bareRun();
  checkRun();
  rulesRun();
  const bare: number[] = [];
  const check: number[] = [];
  const rules: number[] = [];
  const ratios: number[] = [];
  // CPU time of this process (user + system), not wall time: the machine is shared, and
  // another process's load would otherwise land on whichever side it happened to hit.
  const cpu = (fn: () => void): number => {
    const t = process.cpuUsage();
    fn();
    const d = process.cpuUsage(t);
    return (d.user + d.system) / 1000;
  };
  for (let i = 0; i < 21; i++) {
    // Interleaved, so that JIT and GC state is alike for both sides.
    const a = cpu(bareRun);
    const b = cpu(checkRun);
    rules.push(cpu(rulesRun));
    bare.push(a);
    check.push(b);
    ratios.push(b / a);
  }
  return [
    `check: ${all.length} patches, ${findings} findings (all severities)`,
    `check: facts + rules ${median(check).toFixed(1)} ms, bare tree-sitter parse ${median(bare).toFixed(1)} ms: ratio ${median(ratios).toFixed(2)}x (CPU time, median of 21 interleaved runs; target <= 2x)`,
    `check: the rules alone (runChecks on prepared facts) ${median(rules).toFixed(1)} ms`,
  ];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const line of await bench()) console.log(line);
}
