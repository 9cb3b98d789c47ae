/**
 * The cost of the tree-sitter fallback (src/core/c/parser.ts): the C facts
 * of corpus/real with the native binding and with web-tree-sitter + the
 * grammar's wasm, each in its own process (the binding is chosen once per
 * process, by PATCHLENS_TREE_SITTER).  Medians of CPU time after a warm-up,
 * and the time to load each binding.
 *
 * `npm run bench` calls bench(); `node --import tsx bench/wasm.ts` runs it alone.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

interface Run {
  binding: string;
  loadMs: number;
  factsMs: number;
}

/** In the child: load the binding, then time the facts of every corpus case. */
async function child(): Promise<void> {
  const start = performance.now();
  const { loadCParser } = await import('../src/core/c/parser.js');
  const binding = await loadCParser();
  const loadMs = performance.now() - start;
  const { corpusCases, median } = await import('./corpus.js');
  const { extractPatchFacts } = await import('../src/core/c/index.js');
  const all = corpusCases();
  const run = (): void => {
    for (const c of all) extractPatchFacts({ file: c.name, diff: c.diff, map: c.map });
  };
  run();
  const times: number[] = [];
  for (let i = 0; i < 9; i++) {
    const t = process.cpuUsage();
    run();
    const d = process.cpuUsage(t);
    times.push((d.user + d.system) / 1000);
  }
  process.stdout.write(JSON.stringify({ binding, loadMs, factsMs: median(times) } satisfies Run));
}

function runChild(binding: 'native' | 'wasm'): Run {
  const out = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child'], {
    env: { ...process.env, PATCHLENS_TREE_SITTER: binding },
  });
  return JSON.parse(String(out)) as Run;
}

export async function bench(): Promise<string[]> {
  const native = runChild('native');
  const wasm = runChild('wasm');
  return [
    `tree-sitter binding: C facts of corpus/real ${native.factsMs.toFixed(0)} ms native, ${wasm.factsMs.toFixed(0)} ms wasm (${(wasm.factsMs / native.factsMs).toFixed(2)}x); ` +
      `loading the binding ${native.loadMs.toFixed(0)} ms native, ${wasm.loadMs.toFixed(0)} ms wasm`,
  ];
}

if (process.argv.includes('--child')) await child();
else if (process.argv[1] === fileURLToPath(import.meta.url)) for (const line of await bench()) console.log(line);
