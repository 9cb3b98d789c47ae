/**
 * Timing for the side-by-side runs: whole processes under GNU time (wall
 * time measured here, peak memory from `time -v`), and in-process calls.
 * Pairs are measured alternately (A B A B ...) after one warm-up of each, so
 * that load from other work on the machine falls on both tools alike.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ProcessRun {
  ms: number;
  /** User + system CPU time, ms (GNU time: 10 ms resolution); less sensitive to other load than wall time. */
  cpuMs: number;
  /** Peak resident set size, kB (GNU time's "Maximum resident set size"). */
  maxRssKb: number;
  exit: number;
}

export interface ProcessCommand {
  cmd: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

export interface Stats {
  medianMs: number;
  cpuMedianMs: number;
  runs: number[];
  maxRssKb: number;
  /** Exit codes seen (a tool that fails on an input is still timed). */
  exits: number[];
}

const timeDir = mkdtempSync(join(tmpdir(), 'patchlens-peers-time-'));
process.on('exit', () => rmSync(timeDir, { recursive: true, force: true }));

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** One whole process; stdout and stderr go to /dev/null (both tools alike). */
export function runProcess(gnuTime: string, c: ProcessCommand): ProcessRun {
  const report = join(timeDir, 'time.txt');
  const start = performance.now();
  const r = spawnSync(gnuTime, ['-v', '-o', report, c.cmd, ...c.args], { cwd: c.cwd, env: c.env, stdio: 'ignore', timeout: 10 * 60 * 1000 });
  const ms = performance.now() - start;
  const text = readFileSync(report, 'utf8');
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(text);
  const exit = /Exit status: (\d+)/.exec(text);
  const seconds = (label: string): number => Number(new RegExp(`${label} time \\(seconds\\): ([\\d.]+)`).exec(text)?.[1] ?? 0);
  const cpuMs = (seconds('User') + seconds('System')) * 1000;
  return { ms, cpuMs, maxRssKb: rss ? Number(rss[1]) : 0, exit: exit ? Number(exit[1]) : (r.status ?? -1) };
}

function stats(runs: ProcessRun[]): Stats {
  return {
    medianMs: median(runs.map((r) => r.ms)),
    cpuMedianMs: median(runs.map((r) => r.cpuMs)),
    runs: runs.map((r) => r.ms),
    maxRssKb: Math.max(...runs.map((r) => r.maxRssKb)),
    exits: [...new Set(runs.map((r) => r.exit))],
  };
}

/** What a call that timed itself elsewhere (another process) reports. */
export interface SelfTimed {
  selfTimed: true;
  ms: number;
  cpuMs: number;
  exit: number;
}

/** A whole process, or a call in this process (or one that reports its own time). */
export type Task = ProcessCommand | (() => unknown);

async function runTask(gnuTime: string, task: Task): Promise<ProcessRun> {
  if (typeof task !== 'function') return runProcess(gnuTime, task);
  const cpu = process.cpuUsage();
  const start = performance.now();
  const result = await task();
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  if (result && typeof result === 'object' && (result as SelfTimed).selfTimed === true) {
    const own = result as SelfTimed;
    return { ms: own.ms, cpuMs: own.cpuMs, maxRssKb: 0, exit: own.exit };
  }
  return { ms, cpuMs: (used.user + used.system) / 1000, maxRssKb: 0, exit: 0 };
}

/**
 * The tasks in turn (A B C A B C ...): one warm-up round, then `runs`
 * rounds.  Tasks of one round meet the same load from other work.
 */
export async function alternate(gnuTime: string, tasks: Task[], runs: number): Promise<Stats[]> {
  for (const t of tasks) await runTask(gnuTime, t);
  const samples: ProcessRun[][] = tasks.map(() => []);
  for (let i = 0; i < runs; i++) {
    for (let k = 0; k < tasks.length; k++) samples[k].push(await runTask(gnuTime, tasks[k]));
  }
  return samples.map(stats);
}

async function timeCall(fn: () => unknown): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** In process: one warm-up each, then `runs` of A and B alternately; medians in ms. */
export async function alternateCalls(a: () => unknown, b: () => unknown, runs: number): Promise<[number[], number[]]> {
  await a();
  await b();
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < runs; i++) {
    ta.push(await timeCall(a));
    tb.push(await timeCall(b));
  }
  return [ta, tb];
}

/** In process, one function: one warm-up, then `runs`; times in ms. */
export async function repeatCall(fn: () => unknown, runs: number): Promise<number[]> {
  await fn();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) t.push(await timeCall(fn));
  return t;
}
