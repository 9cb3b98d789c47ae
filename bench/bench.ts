/**
 * `npm run bench`: the figures the issues ask for, measured on this machine.
 *
 *  1. summarize --json over a generated ~20 MB mbox of ~2,000 real messages
 *     (corpus mails, mboxrd-escaped), in process and as a whole process;
 *  2. the benchmark modules of other areas (bench/*.ts exporting `bench()`),
 *     e.g. C facts and checks as a ratio to a bare tree-sitter parse.
 *
 * Figures are medians of several runs after a warm-up; nothing here asserts.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readSeries } from '../src/core/review.js';
import { generateMbox } from './mbox.js';
import { summaryJson } from '../src/core/summary.js';

const root = join(import.meta.dirname, '..');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function timeIt(fn: () => Promise<unknown> | unknown, runs: number): Promise<number> {
  await fn(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

async function benchSummarize(): Promise<string[]> {
  const { text, messages } = generateMbox(20 * 1024 * 1024);
  const bytes = Buffer.byteLength(text);
  const mb = bytes / (1024 * 1024);
  const data = Buffer.from(text);
  const inProcess = await timeIt(async () => summaryJson(await readSeries([{ file: 'bench.mbox', data }])), 5);
  const lines = [
    `summarize --json, in process: ${mb.toFixed(1)} MB, ${messages} messages: ${inProcess.toFixed(0)} ms median = ${(mb / (inProcess / 1000)).toFixed(1)} MB/s`,
  ];
  const cli = join(root, 'bin/patchlens.js');
  if (existsSync(join(root, 'out/src/cli/main.js'))) {
    const dir = mkdtempSync(join(tmpdir(), 'patchlens-bench-'));
    const file = join(dir, 'bench.mbox');
    writeFileSync(file, data);
    const whole = await timeIt(() => execFileSync(process.execPath, [cli, 'summarize', '--json', file], { maxBuffer: 1 << 30 }), 3);
    rmSync(dir, { recursive: true, force: true });
    lines.push(`summarize --json, whole process (node start included): ${whole.toFixed(0)} ms median = ${(mb / (whole / 1000)).toFixed(1)} MB/s`);
  } else {
    lines.push('summarize --json, whole process: skipped (run `npm run build` first)');
  }
  return lines;
}

/** Other areas' benchmarks: modules exporting `bench(): Promise<string[]>`. */
const BENCH_MODULES = ['facts.ts', 'check.ts', 'wasm.ts'];

async function benchModules(): Promise<string[]> {
  const lines: string[] = [];
  for (const name of BENCH_MODULES) {
    const mod = (await import(pathToFileURL(join(import.meta.dirname, name)).href)) as { bench?: () => Promise<string[]> };
    if (typeof mod.bench === 'function') lines.push(...(await mod.bench()));
  }
  return lines;
}

const header = `machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), node ${process.version}`;
console.log(header);
for (const line of await benchSummarize()) console.log(line);
for (const line of await benchModules()) console.log(line);
