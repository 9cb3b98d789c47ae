/**
 * Self time per function and per file of a `.cpuprofile` (from
 * `node --cpu-prof` or bench/peers/profile.ts), the top N of each:
 *
 *   node out/bench/peers/profile-top.js FILE.cpuprofile [N] [FUNCTION...]
 *
 * With FUNCTION names: also their inclusive time (self and callees).
 */
import { readFileSync } from 'node:fs';
import { inclusiveTimes, selfTimes, totalUs, type CpuProfile } from './cpuprofile.js';

const [file, nArg = '25', ...inclusiveOf] = process.argv.slice(2);
if (!file) {
  console.error('usage: profile-top.js FILE.cpuprofile [N] [FUNCTION...]');
  process.exit(2);
}
const n = Number(nArg) || 0;
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
const total = totalUs(profile);
const line = (us: number, what: string): string => `${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${what}`;
const { byFunction, byFile } = selfTimes(profile);
if (n > 0) {
  console.log(`self time by function (total ${(total / 1000).toFixed(0)} ms)`);
  for (const [k, us] of byFunction.slice(0, n)) console.log(line(us, k));
  console.log(`\nself time by file`);
  for (const [k, us] of byFile.slice(0, n)) console.log(line(us, k));
}
if (inclusiveOf.length) {
  console.log(`\ninclusive time (total ${(total / 1000).toFixed(0)} ms)`);
  for (const [name, us] of inclusiveTimes(profile, inclusiveOf)) console.log(line(us, name));
}
