/**
 * A bounded run of the CLI fuzzer (test/fuzz/cli-fuzz.ts) in `npm test`:
 * mutated real mails through every command; no crash, whole JSON / SARIF /
 * b4 output, exit 0/1/2, reported lines inside the input.  `npm run fuzz --
 * --seconds N` runs the same property for as long as asked.
 */
import { test } from 'node:test';
import fc from 'fast-check';
import { caseArb, fuzzSeeds, runCase } from '../../fuzz/cli-fuzz.js';

const seeds = fuzzSeeds();

test('fuzz: mutated real mails through main(): no crash, parsable output, exit 0/1/2, lines of the input', { timeout: 60_000 }, async () => {
  await fc.assert(
    fc.asyncProperty(caseArb(seeds.length), (c) => runCase(seeds, c)),
    { numRuns: 60, seed: Number(process.env.PATCHLENS_FUZZ_SEED ?? 20260105), endOnFailure: true },
  );
});
