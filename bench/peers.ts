/**
 * `npm run bench:peers`: PatchLens side by side with what a reviewer would
 * otherwise run, on the same inputs, in one run, as ratios.
 *
 *   trailers --am  vs  b4 am -m            every thread of corpus/threads/
 *   check          vs  checkpatch.pl --no-tree   the real patches, corpus/real/
 *   check          vs  a bare tree-sitter parse of the same hunks (in process)
 *   summarize      vs  b4 am -m            a generated ~20 MB mbox
 *
 * Whole-process figures (what a CI user pays, Node start included) and
 * in-process figures (what the extension pays on a running host).  Writes
 * bench/RESULTS.md.  Runs only as a script: it exports no `bench()`, so
 * `npm run bench` (which loads bench/*.ts modules) does not start it.
 *
 * `npm run bench:peers` builds out/ and runs the compiled out/bench/peers.js
 * with plain node: under tsx's loader every dynamic import() (review() has
 * three) goes through a hooks worker, which would be timed as PatchLens
 * work.  PEERS_RUNS sets the runs per tool after the warm-up (default 5).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { locatePeers, type Peers } from './peers/setup.js';
import { generateMbox, hunkImages, realPatchFiles, root, silentIO, threadFiles } from './peers/inputs.js';
import { alternate, median, repeatCall, type ProcessCommand, type Stats } from './peers/measure.js';
import { inclusiveTimes, profiled } from './peers/cpuprofile.js';
import { B4Server } from './peers/b4server.js';

type MainModule = typeof import('../src/cli/main.js');
type ReviewModule = typeof import('../src/core/review.js');

const RUNS = Math.max(1, Number(process.env.PEERS_RUNS ?? 5) || 5);
/** Whole-process runs one patch at a time: every 6th real patch (8 of 43). */
const PER_PATCH_STEP = 6;

const cli = join(root, 'bin/patchlens.js');

/** The stages of review() reported from the profile (function names in src/core). */
const BREAKDOWN: { fn: string; what: string }[] = [
  { fn: 'review', what: 'review() (all of check)' },
  { fn: 'readSeries', what: 'mail, series, trailers (src/core/review.ts readSeries)' },
  { fn: 'extractPatchFacts', what: 'C facts (src/core/c/index.ts)' },
  { fn: 'parseC', what: 'tree-sitter parse of the prepared images (c/parser.ts)' },
  { fn: 'lightTree', what: 'copy of the tree into JS objects (c/syntax.ts)' },
  { fn: 'neutralize', what: 'kernel macro neutralising (c/neutralize.ts)' },
  { fn: 'compose', what: 'hunks composed into images (c/compose.ts)' },
  { fn: 'extract', what: 'facts from the tree (c/extract.ts)' },
  { fn: 'runChecks', what: 'the checks (src/core/checks/index.ts)' },
  { fn: 'analyzeFunction', what: 'lock-state walk per function (checks/flow.ts)' },
  { fn: 'summarizeSeries', what: 'series summaries (checks/summarize.ts)' },
];

interface Pair {
  input: string;
  a: Stats;
  b: Stats;
}

const ms = (v: number): string => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const ratio = (peer: number, ours: number): string => `${(peer / ours).toFixed(1)}x`;
const mb = (kb: number): string => (kb / 1024).toFixed(0);
const exits = (s: Stats): string => s.exits.join('/');

function log(text: string): void {
  process.stderr.write(`bench:peers: ${text}\n`);
}

/** The settings of test/fixtures/corpus/make-oracles.sh: empty HOME, identity, no attestation. */
function hermeticEnv(scratch: string): NodeJS.ProcessEnv {
  const home = join(scratch, 'home');
  mkdirSync(home, { recursive: true });
  return {
    PATH: process.env.PATH,
    LC_ALL: 'C.UTF-8',
    TZ: 'UTC',
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_COUNT: '3',
    GIT_CONFIG_KEY_0: 'user.name',
    GIT_CONFIG_VALUE_0: 'Bench Peers',
    GIT_CONFIG_KEY_1: 'user.email',
    GIT_CONFIG_VALUE_1: 'bench@example.invalid',
    GIT_CONFIG_KEY_2: 'b4.attestation-policy',
    GIT_CONFIG_VALUE_2: 'off',
    PYTHONHASHSEED: '0',
  };
}


function version(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return (r.stdout || r.stderr || '').trim().split('\n').find((l) => l.trim()) ?? '?';
}

async function runPeers(): Promise<void> {
  const started = Date.now();
  const loadStart = loadavg();
  if (!existsSync(join(root, 'out/src/cli/main.js'))) throw new Error('out/ is not built: run `npx tsc -p .` (npm run bench:peers does)');
  const peers: Peers = locatePeers(join(root, '.bench-cache'));
  const scratch = mkdtempSync(join(tmpdir(), 'patchlens-peers-'));
  process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
  const env = hermeticEnv(scratch);
  const inScratch = (cmd: string, args: string[]): ProcessCommand => ({ cmd, args, cwd: scratch, env });
  const patchlens = (...args: string[]): ProcessCommand => inScratch(process.execPath, [cli, ...args]);
  const b4am = (file: string, name: string): ProcessCommand => inScratch(peers.b4, ['am', '-C', '-m', file, '-o', join(scratch, 'b4'), '-n', name]);
  const checkpatch = (files: string[]): ProcessCommand => inScratch('perl', [peers.checkpatch, '--no-tree', ...files]);
  mkdirSync(join(scratch, 'b4'));
  mkdirSync(join(scratch, 'pl'));

  const mainMod = (await import(pathToFileURL(join(root, 'out/src/cli/main.js')).href)) as MainModule;
  const reviewMod = (await import(pathToFileURL(join(root, 'out/src/core/review.js')).href)) as ReviewModule;
  const checkCommand = existsSync(join(root, 'out/src/cli/commands/check.js'));

  // ---- floors: what starting a process costs before any work ----
  log('process start floors');
  const floors = {
    node: median((await repeatCall(() => spawnSync(process.execPath, ['-e', '0']), RUNS))),
    patchlensHelp: median(await repeatCall(() => spawnSync(process.execPath, [cli, '--help']), RUNS)),
    perl: median(await repeatCall(() => spawnSync('perl', ['-e', '1']), RUNS)),
    b4Help: median(await repeatCall(() => spawnSync(peers.b4, ['--version'], { env }), RUNS)),
  };

  // ---- 1. threads: trailers --am vs b4 am -m ----
  const threads = threadFiles();
  const threadPairs: Pair[] = [];
  const threadInProcess: number[] = [];
  const threadInProcessCpu: number[] = [];
  const b4InProcess: Stats[] = [];
  const b4Server = new B4Server(peers.b4, scratch, env);
  for (const file of threads) {
    const name = basename(file, '.mbox');
    log(`thread ${name}`);
    const [a, b, inProcess, b4Running] = await alternate(
      peers.gnuTime,
      [
        patchlens('trailers', '--am', join(scratch, 'pl', `${name}.mbx`), file),
        b4am(file, `${name}.mbx`),
        () => mainMod.main(['trailers', '--am', join(scratch, 'pl', `${name}.in.mbx`), file], silentIO),
        () => b4Server.am(file, join(scratch, 'b4'), `${name}.in.mbx`),
      ],
      RUNS,
    );
    b4InProcess.push(b4Running);
    threadPairs.push({ input: name, a, b });
    threadInProcess.push(inProcess.medianMs);
    threadInProcessCpu.push(inProcess.cpuMedianMs);
  }

  b4Server.close();

  // ---- 2. real patches: check vs checkpatch.pl, and vs a bare parse ----
  const patches = realPatchFiles();
  log(`check vs bare tree-sitter parse, in process, ${patches.length} patches`);
  const { default: Parser } = await import('tree-sitter');
  const { default: C } = await import('tree-sitter-c');
  const bare = new Parser();
  bare.setLanguage(C as Parameters<typeof bare.setLanguage>[0]);
  const perPatch: { name: string; bytes: number; cBytes: number; review: number; read: number; parse: number; reviewCpu: number; parseCpu: number }[] = [];
  for (const file of patches) {
    const data = readFileSync(file);
    const images = hunkImages(data.toString('utf8'));
    const parseAll = (): void => {
      for (const text of images) bare.parse(text, undefined, { bufferSize: Math.max(32 * 1024, text.length * 2 + 16) });
    };
    const [tReview, tParse, tRead] = await alternate(peers.gnuTime, [() => reviewMod.review([{ file, data }]), parseAll, () => reviewMod.readSeries([{ file, data }])], RUNS);
    perPatch.push({
      name: basename(file),
      bytes: data.length,
      cBytes: images.reduce((n, t) => n + t.length, 0),
      review: tReview.medianMs,
      reviewCpu: tReview.cpuMedianMs,
      parseCpu: tParse.cpuMedianMs,
      read: tRead.medianMs,
      parse: tParse.medianMs,
    });
  }

  // Where review() spends its time: a sampled profile of 3 rounds over the patches.
  log('profiling review() over the patches');
  const patchInputs = patches.map((file) => ({ file, data: readFileSync(file) }));
  // (the profile itself is dropped at once: a large live heap would slow the later in-process runs)
  const breakdown = inclusiveTimes(
    (
      await profiled(async () => {
        for (let r = 0; r < 3; r++) for (const p of patchInputs) await reviewMod.review([p]);
      })
    ).profile,
    BREAKDOWN.map((b) => b.fn),
  );

  log(`checkpatch.pl over all ${patches.length} patches in one process`);
  // checkpatch.pl over all patches, `patchlens check` over all, and review() of each patch in turn, alternately.
  const [cpAll, plAll, reviewAll] = await alternate(
    peers.gnuTime,
    [
      checkpatch(patches),
      checkCommand ? patchlens('check', ...patches) : inScratch('true', []),
      async () => {
        for (const p of patchInputs) await reviewMod.review([p]);
      },
    ],
    RUNS,
  );
  const sample = patches.filter((_, i) => i % PER_PATCH_STEP === 0);
  const checkPairs: Pair[] = [];
  if (checkCommand) {
    for (const file of sample) {
      log(`check, whole process, ${basename(file)}`);
      const [a, b] = await alternate(peers.gnuTime, [patchlens('check', file), checkpatch([file])], RUNS);
      checkPairs.push({ input: basename(file), a, b });
    }
  } else {
    log('patchlens check is not built (out/src/cli/commands/check.js): whole-process check rows skipped');
  }

  // ---- 3. ~20 MB mbox: summarize vs b4 am -m ----
  log('generating the ~20 MB mbox');
  const bigFile = join(scratch, 'bench-20mb.mbox');
  // Only the counts are kept: the 20 MB text is not held while timing.
  const big = ((): { messages: number; bytes: number } => {
    const { text, messages } = generateMbox(20 * 1024 * 1024);
    writeFileSync(bigFile, text);
    return { messages, bytes: Buffer.byteLength(text) };
  })();
  const bigMb = big.bytes / (1024 * 1024);
  log('summarize --json vs b4 am -m on the 20 MB mbox');
  const [sumA, sumB, sumIn] = await alternate(
    peers.gnuTime,
    [patchlens('summarize', '--json', bigFile), b4am(bigFile, 'big.mbx'), () => mainMod.main(['summarize', '--json', bigFile], silentIO)],
    RUNS,
  );
  const sumInProcess = sumIn.medianMs;

  // ---- results ----
  const sum = (xs: number[]): number => xs.reduce((s, x) => s + x, 0);
  const threadRatiosWhole = threadPairs.map((p) => p.b.medianMs / p.a.medianMs);
  const threadRatiosIn = threadPairs.map((p, i) => p.b.medianMs / threadInProcess[i]);
  const threadRatiosB4Running = b4InProcess.map((b, i) => b.medianMs / threadInProcess[i]);
  const reviewTotal = sum(perPatch.map((p) => p.review));
  const parseTotal = sum(perPatch.map((p) => p.parse));
  const readTotal = sum(perPatch.map((p) => p.read));
  const perPatchRatios = perPatch.map((p) => p.review / p.parse);
  const cpPerPatch = cpAll.medianMs / patches.length;
  const reviewPerPatch = reviewAll.medianMs / patches.length;
  // The same ratios from CPU time (GNU time for processes, process.cpuUsage in process): less
  // sensitive to other work on the machine than wall time.
  const cpuRatio = {
    checkpatchInProcess: cpAll.cpuMedianMs / reviewAll.cpuMedianMs,
    checkpatchAll: cpAll.cpuMedianMs / plAll.cpuMedianMs,
    threadsIn: median(threadPairs.map((p, i) => p.b.cpuMedianMs / threadInProcessCpu[i])),
    threadsWhole: median(threadPairs.map((p) => p.b.cpuMedianMs / p.a.cpuMedianMs)),
    threadsB4Running: median(b4InProcess.map((b, i) => b.cpuMedianMs / threadInProcessCpu[i])),
    bare: sum(perPatch.map((p) => p.reviewCpu)) / sum(perPatch.map((p) => p.parseCpu)),
  };
  const checkRatiosWhole = checkPairs.map((p) => p.b.medianMs / p.a.medianMs);
  const min = (xs: number[]): number => Math.min(...xs);
  const met = (ok: boolean): string => (ok ? 'met' : '**missed**');

  const targets = [
    `| check >= 20x faster than checkpatch.pl per patch | in process: checkpatch.pl ${ms(cpPerPatch)} ms/patch (one process over all ${patches.length}, /${patches.length}) vs review() ${ms(reviewPerPatch)} ms/patch = **${ratio(cpPerPatch, reviewPerPatch)}** (CPU time: ${cpuRatio.checkpatchInProcess.toFixed(1)}x) | ${met(cpPerPatch / reviewPerPatch >= 20)} |`,
    checkCommand
      ? `| | whole process, all ${patches.length} patches in one process: ${ms(cpAll.medianMs)} vs ${ms(plAll.medianMs)} ms = **${ratio(cpAll.medianMs, plAll.medianMs)}** (CPU time: ${cpuRatio.checkpatchAll.toFixed(1)}x) | ${met(cpAll.medianMs / plAll.medianMs >= 20)} |`
      : '| | whole process: `patchlens check` not built yet | n/a |',
    checkCommand
      ? `| | whole process, one patch per process (${checkPairs.length} patches): median ratio **${median(checkRatiosWhole).toFixed(1)}x** (lowest ${min(checkRatiosWhole).toFixed(1)}x) | ${met(median(checkRatiosWhole) >= 20)} |`
      : '| | | |',
    `| trailers --am >= 10x faster than b4 am -m per thread | in process vs b4's process: median ratio **${median(threadRatiosIn).toFixed(1)}x** (lowest ${min(threadRatiosIn).toFixed(1)}x; CPU time: ${cpuRatio.threadsIn.toFixed(1)}x) over ${threads.length} threads | ${met(median(threadRatiosIn) >= 10)} |`,
    `| | in process both (b4 imported in a running Python, its am call timed alone): median ratio **${median(threadRatiosB4Running).toFixed(1)}x** (lowest ${min(threadRatiosB4Running).toFixed(1)}x; CPU time: ${cpuRatio.threadsB4Running.toFixed(1)}x) | ${met(median(threadRatiosB4Running) >= 10)} |`,
    `| | whole process both: median ratio **${median(threadRatiosWhole).toFixed(1)}x** (lowest ${min(threadRatiosWhole).toFixed(1)}x; CPU time: ${cpuRatio.threadsWhole.toFixed(1)}x) | ${met(median(threadRatiosWhole) >= 10)} |`,
    `| check <= 2x the bare tree-sitter parse of the same hunks, in process | all ${patches.length} patches: ${ms(reviewTotal)} vs ${ms(parseTotal)} ms = **${(reviewTotal / parseTotal).toFixed(2)}x**; CPU time ${cpuRatio.bare.toFixed(2)}x; per patch median ${median(perPatchRatios).toFixed(2)}x; without reading the mail (review() − readSeries(), both timed: C facts and checks, as bench/check.ts counts them) ${((reviewTotal - readTotal) / parseTotal).toFixed(2)}x | ${met(reviewTotal / parseTotal <= 2)} |`,
  ];

  const cpuModel = cpus()[0]?.model ?? 'unknown';
  const depVersion = (pkg: string): string => JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8')).version;
  const lines: string[] = [];
  const w = (s = ''): void => void lines.push(s);
  w('# PatchLens measured against the peers');
  w();
  w(`Written by \`npm run bench:peers\` (bench/peers.ts) on ${new Date(started).toISOString().replace(/\.\d+Z$/, 'Z')}; it took ${((Date.now() - started) / 1000).toFixed(0)} s. Do not edit by hand: run it again.`);
  w();
  w('## Machine');
  w();
  if (loadStart[0] > cpus().length) w(`**The machine was busy with other work (load average ${loadStart[0].toFixed(1)} on ${cpus().length} cores): absolute times are inflated and noisy; the ratios, from runs taken in turn, hold better, and the CPU-time ratios best.**\n`);
  w(`- ${cpus().length} cores (${cpuModel}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB; load average ${loadStart.map((l) => l.toFixed(2)).join(' ')} at the start, ${loadavg().map((l) => l.toFixed(2)).join(' ')} at the end (other work on the machine shows up as noise; runs alternate so it falls on both tools alike)`);
  w(`- node ${process.version}; tree-sitter ${depVersion('tree-sitter')}, tree-sitter-c ${depVersion('tree-sitter-c')}`);
  w(`- b4 ${peers.b4Version} (${peers.b4}, Debian); ${version('python3', ['--version'])}`);
  w(`- checkpatch.pl from ${peers.checkpatchSource}, run with ${version('perl', ['-e', 'print "perl $^V\\n"'])}`);
  w(`- process start alone (median of ${RUNS}): \`node -e 0\` ${ms(floors.node)} ms, \`patchlens --help\` ${ms(floors.patchlensHelp)} ms, \`perl -e 1\` ${ms(floors.perl)} ms, \`b4 --version\` ${ms(floors.b4Help)} ms`);
  w();
  w('## How it was timed');
  w();
  w(`- Every figure is a median of ${RUNS} runs after one warm-up run of each. What is compared runs in turn, round after round (A B A B ..., or A B C with the in-process call as C): PatchLens as a process, the peer, and PatchLens in process meet the same load from other work on the machine.`);
  w('- Whole process: wall time of the process as spawned from Node (spawnSync), under `/usr/bin/time -v` for the peak resident memory (both tools alike); output to /dev/null, cwd an empty scratch dir, the hermetic settings of test/fixtures/corpus/make-oracles.sh (empty HOME, user.name/user.email through GIT_CONFIG_*, b4.attestation-policy=off, `b4 am -C`). PatchLens runs as `node bin/patchlens.js` (compiled out/, Node start included).');
  w('- In process: the compiled out/ modules called in this Node process, after a warm-up (tree-sitter loaded, JIT warm): `main([\'trailers\', \'--am\', OUT, FILE])` and `main([\'summarize\', \'--json\', FILE])` with a silent CliIO (output built, not printed; the --am file is written), and `review([{file, data}])` for check (what the extension calls: mail, series, trailers, C facts and the checks; the CLI only adds formatting).');
  w('- Bare parse: a tree-sitter `Parser` with tree-sitter-c (the same bindings), given, for every .c/.h file of the patch, the pre-image (context and `-` lines of all hunks) and post-image (context and `+` lines) texts; preparing the texts is not timed.');
  w(`- checkpatch.pl per patch: \`perl checkpatch.pl --no-tree\` once over all ${patches.length} files, median time / ${patches.length} (perl start amortised), in turn with \`patchlens check\` over the same files in one process and with review() of each file in turn in this process (/ ${patches.length}); and one process per patch for ${sample.length} patches (every ${PER_PATCH_STEP}th: ${sample.map((f) => basename(f).slice(0, 3)).join(', ')}).`);
  w(`- The mbox: ${bigMb.toFixed(1)} MB, ${big.messages} messages, the corpus/real mails repeated, each copy with its own Message-ID (generateMbox of bench/mbox.ts).`);
  w();
  w('## Targets');
  w();
  w('| target | measured (ratio = peer time / PatchLens time) | |');
  w('|---|---|---|');
  for (const t of targets) w(t);
  w();
  const bThreadMedian = median(threadPairs.map((p) => p.b.medianMs));
  const cpSingleMedian = checkPairs.length ? median(checkPairs.map((p) => p.b.medianMs)) : cpAll.medianMs;
  const share = (fn: string): number => (breakdown.get(fn) ?? 0) / (breakdown.get('review') || 1);
  w('What bounds the ratios (figures of this run):');
  w();
  w(`- Whole process, one file per process: \`node -e 0\` alone takes ${ms(floors.node)} ms and \`patchlens --help\` (Node plus the CLI's first modules) ${ms(floors.patchlensHelp)} ms. checkpatch.pl takes ${ms(cpSingleMedian)} ms for one patch and b4 am ${ms(bThreadMedian)} ms for a thread (medians), so 20x and 10x would need PatchLens processes of ${ms(cpSingleMedian / 20)} and ${ms(bThreadMedian / 10)} ms: less than Node's start. Per spawned process these targets are out of reach for any Node program; they can only be approached in process (the extension, or one CLI process over many files), see the in-process table.`);
  w(`- check against the bare parse: review() parses the prepared images (${(100 * share('parseC')).toFixed(0)}% of its time) and copies each tree into JS objects (${(100 * share('lightTree')).toFixed(0)}%); those two alone come to ${(((share('parseC') + share('lightTree')) * reviewTotal) / parseTotal).toFixed(2)}x the bare parse, the checks add ${(100 * share('runChecks')).toFixed(0)}% and reading the mail ${(100 * share('readSeries')).toFixed(0)}%. See the stage table below.`);
  w();
  w('## Whole process (what a CI user pays, Node start included)');
  w();
  w('Wall ms and CPU ms (user + system, GNU time, 10 ms steps) are medians; peak MB is the largest peak RSS of the runs. The ratio is of wall times; CPU times show the same with less noise from other load.');
  w();
  w('| input | PatchLens | wall ms | CPU ms | peak MB | peer | wall ms | CPU ms | peak MB | peer / PatchLens (wall) | (CPU) |');
  w('|---|---|---:|---:|---:|---|---:|---:|---:|---:|---:|');
  const row = (input: string, aName: string, a: Stats, bName: string, b: Stats): void =>
    w(`| ${input} | ${aName}${a.exits.some((e) => e !== 0) ? ` (exit ${exits(a)})` : ''} | ${ms(a.medianMs)} | ${a.cpuMedianMs.toFixed(0)} | ${mb(a.maxRssKb)} | ${bName}${b.exits.some((e) => e !== 0) ? ` (exit ${exits(b)})` : ''} | ${ms(b.medianMs)} | ${b.cpuMedianMs.toFixed(0)} | ${mb(b.maxRssKb)} | ${ratio(b.medianMs, a.medianMs)} | ${ratio(b.cpuMedianMs, a.cpuMedianMs)} |`);
  row(`~20 MB mbox (${big.messages} messages)`, 'summarize --json', sumA, 'b4 am -m', sumB);
  if (checkCommand) row(`all ${patches.length} real patches, one process`, 'check', plAll, 'checkpatch.pl --no-tree', cpAll);
  else w(`| all ${patches.length} real patches, one process | check (not built) | | | | checkpatch.pl --no-tree (exit ${exits(cpAll)}) | ${ms(cpAll.medianMs)} | ${cpAll.cpuMedianMs.toFixed(0)} | ${mb(cpAll.maxRssKb)} | | |`);
  for (const p of checkPairs) row(`real/${p.input.slice(0, 40)}`, 'check', p.a, 'checkpatch.pl --no-tree', p.b);
  const threadSum = (side: 'a' | 'b', k: 'medianMs' | 'cpuMedianMs'): number => sum(threadPairs.map((p) => p[side][k]));
  w(`| all ${threads.length} threads: sum of medians | trailers --am | ${ms(threadSum('a', 'medianMs'))} | ${threadSum('a', 'cpuMedianMs').toFixed(0)} | ${mb(Math.max(...threadPairs.map((p) => p.a.maxRssKb)))} | b4 am -m | ${ms(threadSum('b', 'medianMs'))} | ${threadSum('b', 'cpuMedianMs').toFixed(0)} | ${mb(Math.max(...threadPairs.map((p) => p.b.maxRssKb)))} | ${ratio(threadSum('b', 'medianMs'), threadSum('a', 'medianMs'))} | ${ratio(threadSum('b', 'cpuMedianMs'), threadSum('a', 'cpuMedianMs'))} |`);
  for (const p of threadPairs) row(`threads/${p.input}`, 'trailers --am', p.a, 'b4 am -m', p.b);
  w();
  w('## In process (what the extension pays on a running host)');
  w();
  w('| input | PatchLens, in process | ms | peer (its whole process; it has no other form) | ms | peer / PatchLens |');
  w('|---|---|---:|---|---:|---:|');
  w(`| ~20 MB mbox | summarize --json | ${ms(sumInProcess)} (${(bigMb / (sumInProcess / 1000)).toFixed(1)} MB/s) | b4 am -m | ${ms(sumB.medianMs)} | ${ratio(sumB.medianMs, sumInProcess)} |`);
  w(`| real patches, per patch (mean) | review() | ${ms(reviewPerPatch)} | checkpatch.pl, one process over all / ${patches.length} | ${ms(cpPerPatch)} | ${ratio(cpPerPatch, reviewPerPatch)} |`);
  w(`| all ${threads.length} threads: sum of medians | trailers --am | ${ms(sum(threadInProcess))} | b4 am -m | ${ms(sum(threadPairs.map((p) => p.b.medianMs)))} | ${ratio(sum(threadPairs.map((p) => p.b.medianMs)), sum(threadInProcess))} |`);
  w();
  w('Threads, both in process: b4 has no long-running form, so bench/peers/b4_server.py keeps one Python (the interpreter of /usr/bin/b4) with b4 imported and times each `b4 am -C -m` call inside it, in turn with the other runs. That is b4\'s own work, without the Python start and imports a reviewer pays for.');
  w();
  w('| thread | PatchLens trailers --am, in process, ms | b4 am process, ms | b4 am in a running Python, ms | b4 process / PatchLens | b4 in Python / PatchLens |');
  w('|---|---:|---:|---:|---:|---:|');
  w(`| all ${threads.length}: sum of medians | ${ms(sum(threadInProcess))} | ${ms(sum(threadPairs.map((p) => p.b.medianMs)))} | ${ms(sum(b4InProcess.map((b) => b.medianMs)))} | ${ratio(sum(threadPairs.map((p) => p.b.medianMs)), sum(threadInProcess))} | ${ratio(sum(b4InProcess.map((b) => b.medianMs)), sum(threadInProcess))} |`);
  threadPairs.forEach((p, i) =>
    w(`| ${p.input}${b4InProcess[i].exits.some((e) => e !== 0) ? ` (b4 exit ${exits(b4InProcess[i])})` : ''} | ${ms(threadInProcess[i])} | ${ms(p.b.medianMs)} | ${ms(b4InProcess[i].medianMs)} | ${ratio(p.b.medianMs, threadInProcess[i])} | ${ratio(b4InProcess[i].medianMs, threadInProcess[i])} |`),
  );
  w();
  w('## check against the bare tree-sitter parse, in process');
  w();
  w(`review() = mail + series + trailers (readSeries) + C facts + checks. All ${patches.length} patches: review() ${ms(reviewTotal)} ms, of which readSeries ${ms(readTotal)} ms; bare parse ${ms(parseTotal)} ms; ratio **${(reviewTotal / parseTotal).toFixed(2)}x** (per patch: median ${median(perPatchRatios).toFixed(2)}x, highest ${Math.max(...perPatchRatios).toFixed(2)}x).`);
  w();
  const reviewUs = breakdown.get('review') || 1;
  w(`Where review() spends its time (sampled profile of 3 rounds over the ${patches.length} patches; share of review(), and that share of the measured ${ms(reviewTotal)} ms in units of the bare parse, ${ms(parseTotal)} ms):`);
  w();
  w('| stage | share of review() | x bare parse |');
  w('|---|---:|---:|');
  for (const b of BREAKDOWN) {
    const share = (breakdown.get(b.fn) ?? 0) / reviewUs;
    w(`| ${b.what} | ${(100 * share).toFixed(0)}% | ${((share * reviewTotal) / parseTotal).toFixed(2)} |`);
  }
  w();
  w('| patch | mail KB | C images KB | review() ms | readSeries ms | bare parse ms | review / parse |');
  w('|---|---:|---:|---:|---:|---:|---:|');
  for (const p of perPatch) w(`| ${p.name.slice(0, 48)} | ${(p.bytes / 1024).toFixed(1)} | ${(p.cBytes / 1024).toFixed(1)} | ${ms(p.review)} | ${ms(p.read)} | ${ms(p.parse)} | ${(p.review / p.parse).toFixed(2)}x |`);
  w();
  w('Exit codes: `patchlens check` exits 1 when a finding reaches --fail-on (default error), checkpatch.pl when it reports errors; b4 exits 1 where it fails on the input: Debian b4 0.12 raises `ValueError: Header values may not contain linefeed or carriage return characters` while writing the am mbox for real-mm-vm-flags-modifier-functions-v4 and for the 20 MB mbox (also for an mbox of the raw list mails alone). Those runs are still timed: the failure comes at the end, after the thread was read and analysed.');
  const out = join(root, 'bench', 'RESULTS.md');
  writeFileSync(out, lines.join('\n') + '\n');
  process.stdout.write(lines.slice(lines.indexOf('## Targets')).slice(0, targets.length + 4).join('\n') + '\n');
  log(`wrote ${out} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

// Only as a script (npm run bench:peers), never when bench/bench.ts loads bench/*.ts.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runPeers().catch((e: unknown) => {
    process.stderr.write(`bench:peers: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 1;
  });
}
