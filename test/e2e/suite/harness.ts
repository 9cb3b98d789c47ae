/**
 * A small test runner for inside the extension host: no mocha (the e2e run
 * must work offline from what is installed).  Results go to the file named
 * by PATCHLENS_E2E_OUT, one JSON object per line, and back to the driver.
 */
import { appendFileSync } from 'node:fs';

export interface Result {
  name: string;
  ok: boolean;
  ms: number;
  error?: string;
  /** Figures a test measured (benchmark). */
  data?: unknown;
}

type Fn = (t: { data(d: unknown): void }) => Promise<void> | void;
const tests: { name: string; fn: Fn }[] = [];

export function test(name: string, fn: Fn): void {
  tests.push({ name, fn });
}

/** Keeps only the tests whose name passes `pred` (the benchmark runs a few). */
export function keep(pred: (name: string) => boolean): void {
  const kept = tests.filter((t) => pred(t.name));
  tests.length = 0;
  tests.push(...kept);
}

export function log(line: string): void {
  const out = process.env.PATCHLENS_E2E_OUT;
  if (out) appendFileSync(out, JSON.stringify({ log: line }) + '\n');
}

export async function runAll(): Promise<Result[]> {
  const results: Result[] = [];
  const out = process.env.PATCHLENS_E2E_OUT;
  for (const t of tests) {
    const t0 = performance.now();
    let data: unknown;
    let r: Result;
    try {
      await withTimeout(Promise.resolve(t.fn({ data: (d) => (data = d) })), 60_000, t.name);
      r = { name: t.name, ok: true, ms: performance.now() - t0, data };
    } catch (e) {
      r = { name: t.name, ok: false, ms: performance.now() - t0, error: e instanceof Error ? (e.stack ?? e.message) : String(e), data };
    }
    results.push(r);
    if (out) appendFileSync(out, JSON.stringify(r) + '\n');
  }
  return results;
}

function withTimeout<T>(p: Promise<T>, ms: number, name: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`${name}: timed out after ${ms} ms`)), ms))),
  ]);
}
