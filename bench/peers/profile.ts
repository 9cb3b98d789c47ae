/**
 * The in-process work of bench:peers in a loop, for `node --cpu-prof`:
 *
 *   npx tsc -p . && node out/bench/peers/profile.js check|trailers|summarize [ROUNDS] [FILE]
 *   node out/bench/peers/profile-top.js .bench-cache/prof/check.cpuprofile
 *
 * The profile (the same V8 CPU profile `node --cpu-prof` writes) covers the
 * timed loop only, after a warm-up round: module loading and the first,
 * unoptimised calls would otherwise fill a profile of a few seconds.
 * FILE limits `check` or `trailers` to one corpus file.
 *
 * check:     review() of every corpus/real patch, one at a time
 * trailers:  `trailers --am` of every corpus thread
 * summarize: `summarize --json` of the ~20 MB mbox
 *
 * Runs the compiled out/ modules (what the CLI and the extension run), and
 * without tsx: under its loader every dynamic import() of review() goes
 * through a hooks worker, which a profile would show as postMessage.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateMbox, realPatchFiles, root, silentIO, threadFiles } from './inputs.js';
import { profiled } from './cpuprofile.js';

type MainModule = typeof import('../../src/cli/main.js');
type ReviewModule = typeof import('../../src/core/review.js');

const [what = 'check', roundsArg = '20', only] = process.argv.slice(2);
const rounds = Math.max(1, Number(roundsArg) || 20);
const scratch = mkdtempSync(join(tmpdir(), 'patchlens-profile-'));
const { main } = (await import(pathToFileURL(join(root, 'out/src/cli/main.js')).href)) as MainModule;
const { review } = (await import(pathToFileURL(join(root, 'out/src/core/review.js')).href)) as ReviewModule;

const pick = (files: string[]): string[] => (only ? files.filter((f) => f.includes(only)) : files);
let round: () => Promise<unknown>;
let unit: string;
if (what === 'check') {
  const patches = pick(realPatchFiles()).map((file) => ({ file, data: readFileSync(file) }));
  round = async () => {
    for (const p of patches) await review([p]);
  };
  unit = `${patches.length} patches`;
} else if (what === 'trailers') {
  const threads = pick(threadFiles());
  round = async () => {
    for (const t of threads) await main(['trailers', '--am', join(scratch, 'out.mbx'), t], silentIO);
  };
  unit = `${threads.length} threads`;
} else if (what === 'summarize') {
  const file = join(scratch, 'big.mbox');
  writeFileSync(file, generateMbox(20 * 1024 * 1024).text);
  round = () => main(['summarize', '--json', file], silentIO);
  unit = 'the 20 MB mbox';
} else {
  console.error('usage: profile.js check|trailers|summarize [ROUNDS] [FILE]');
  process.exit(2);
}
await round(); // warm-up: modules loaded, tree-sitter created, code optimised
const { profile, ms: elapsed } = await profiled(async () => {
  for (let r = 0; r < rounds; r++) await round();
});
const outDir = join(root, '.bench-cache', 'prof');
mkdirSync(outDir, { recursive: true });
const outFile = join(outDir, `${what}.cpuprofile`);
writeFileSync(outFile, JSON.stringify(profile));
console.log(`${what}: ${rounds} rounds over ${unit}: ${(elapsed / rounds).toFixed(2)} ms per round; profile in ${outFile}`);
rmSync(scratch, { recursive: true, force: true });
