/**
 * Child of bench/linear.ts: `check --format json FILE` through main(), then
 * one line of JSON: the time main() took, the peak RSS of this process and
 * the start of the output.
 */
import { readFileSync } from 'node:fs';
import { main } from '../src/cli/main.js';
import { memoryIO } from '../src/cli/io.js';

const file = process.argv[2]!;
const io = memoryIO((p) => readFileSync(p));
const start = performance.now();
await main(['check', '--format', 'json', file], io);
const out = io.stdout;
const ms = performance.now() - start;
process.stdout.write(JSON.stringify({ ms, rssMB: process.resourceUsage().maxRSS / 1024, out: out.slice(0, 2000) }));
