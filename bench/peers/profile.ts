/**
 * The in-process work of bench:peers in a loop, for `node --cpu-prof`:
 *
 *   npx tsc -p . && node --cpu-prof --cpu-prof-dir=.bench-cache/prof \
 *     out/bench/peers/profile.js check|trailers|summarize [ROUNDS]
 *   node out/bench/peers/profile-top.js .bench-cache/prof/CPU.*.cpuprofile
 *
 * check:     review() of every corpus/real patch, one at a time
 * trailers:  `trailers --am` of every corpus thread
 * summarize: `summarize --json` of the ~20 MB mbox
 *
 * Runs the compiled out/ modules (what the CLI and the extension run), and
 * without tsx: under its loader every dynamic import() of review() goes
 * through a hooks worker, which a profile would show as postMessage.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateMbox, realPatchFiles, root, threadFiles } from './inputs.js';
import type { CliIO } from '../../src/cli/io.js';

type MainModule = typeof import('../../src/cli/main.js');
type ReviewModule = typeof import('../../src/core/review.js');

const [what = 'check', roundsArg = '20'] = process.argv.slice(2);
const rounds = Math.max(1, Number(roundsArg) || 20);
const scratch = mkdtempSync(join(tmpdir(), 'patchlens-profile-'));
const silentIO: CliIO = {
  out: () => {},
  err: () => {},
  readFile: (path) => readFileSync(path),
  writeFile: (path, data) => writeFileSync(path, data),
  readStdin: () => new Uint8Array(),
};
const { main } = (await import(pathToFileURL(join(root, 'out/src/cli/main.js')).href)) as MainModule;
const { review } = (await import(pathToFileURL(join(root, 'out/src/core/review.js')).href)) as ReviewModule;

const start = performance.now();
if (what === 'check') {
  const patches = realPatchFiles().map((file) => ({ file, data: readFileSync(file) }));
  for (let r = 0; r < rounds; r++) for (const p of patches) await review([p]);
  console.log(`check: ${rounds} rounds x ${patches.length} patches, ${((performance.now() - start) / rounds / patches.length).toFixed(2)} ms per patch`);
} else if (what === 'trailers') {
  const threads = threadFiles();
  for (let r = 0; r < rounds; r++) for (const t of threads) await main(['trailers', '--am', join(scratch, 'out.mbx'), t], silentIO);
  console.log(`trailers: ${rounds} rounds x ${threads.length} threads, ${((performance.now() - start) / rounds / threads.length).toFixed(2)} ms per thread`);
} else if (what === 'summarize') {
  const file = join(scratch, 'big.mbox');
  writeFileSync(file, generateMbox(20 * 1024 * 1024).text);
  const t0 = performance.now();
  for (let r = 0; r < rounds; r++) await main(['summarize', '--json', file], silentIO);
  console.log(`summarize: ${rounds} rounds, ${((performance.now() - t0) / rounds).toFixed(0)} ms per run`);
} else {
  console.error('usage: profile.ts check|trailers|summarize [ROUNDS]');
  process.exitCode = 2;
}
rmSync(scratch, { recursive: true, force: true });
