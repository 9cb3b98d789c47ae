/**
 * `npm run fuzz -- --seconds N [--seed S]`: the CLI fuzzer of cli-fuzz.ts for
 * N seconds (default 60), in rounds of fast-check runs with fresh seeds.
 * Prints the cases run and, on a failure, the shrunk counterexample and the
 * seed that replays it; exits 1 then.
 */
import fc from 'fast-check';
import { parseArgs } from 'node:util';
import { caseArb, fuzzSeeds, runCase } from './cli-fuzz.js';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '60' }, seed: { type: 'string' } } });
const seconds = Number(values.seconds);
if (!(seconds > 0)) {
  console.error('usage: npm run fuzz -- --seconds N [--seed S]');
  process.exit(2);
}
const seeds = fuzzSeeds();
const end = Date.now() + seconds * 1000;
let cases = 0;
let round = 0;
let seed = values.seed !== undefined ? Number(values.seed) : Date.now() % 2 ** 31;
while (Date.now() < end) {
  const details = await fc.check(
    fc.asyncProperty(caseArb(seeds.length), async (c) => {
      cases++;
      await runCase(seeds, c);
    }),
    { numRuns: 10, seed, endOnFailure: false },
  );
  round++;
  if (details.failed) {
    console.error(`fuzz: failure after ${cases} cases (seed ${seed}, replay with --seed ${seed}):`);
    console.error(fc.defaultReportMessage(details));
    process.exit(1);
  }
  seed = (seed + 7919) % 2 ** 31;
}
console.log(`fuzz: ${cases} cases in ${round} rounds over ${seconds} s, no failure (last seed ${seed})`);
