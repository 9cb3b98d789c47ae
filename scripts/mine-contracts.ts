/**
 * Mines lock contracts from a Linux tree into data/contracts-linux-<v>.json.gz
 * (format: src/core/model/contracts.ts).
 *
 *   npm run model:mine -- --tree DIR [--out FILE]
 *
 * Every function of the mm files below is read with PatchLens's own C facts
 * (src/core/c) and walked by its own flow analysis (src/core/checks/flow.ts),
 * exactly as a patch's functions are: no second analyzer.  Two rounds, so
 * that a function's callees mined in the first round count in the second
 * (bad_access_pkey() -> __bad_area() -> mmap_read_unlock()).
 *
 * Deterministic: files and names are sorted, nothing depends on time.
 * Mined effects that contradict a hand-written helper of the model are
 * listed for review (stdout and data/contracts-linux-<v>.review.txt).
 */
import { readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { extractPatchFacts, identityMap } from '../src/core/c/index.js';
import type { FunctionFacts } from '../src/core/c/facts.js';
import { mineFunction } from '../src/core/checks/context.js';
import { encodeContract, specOf, useText, type FunctionContract, type RawContracts } from '../src/core/model/contracts.js';
import { defaultModel, type HelperSpec } from '../src/core/model/index.js';

const { values } = parseArgs({ options: { tree: { type: 'string' }, out: { type: 'string' } } });
if (!values.tree) {
  process.stderr.write('usage: npm run model:mine -- --tree DIR [--out FILE]\n');
  process.exit(2);
}
const tree = values.tree;

/** The files of the issue: mm/, the mm headers, fork, userfaultfd, task_mmu and arch/<arch>/mm/. */
function files(): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    let names: string[];
    try {
      names = readdirSync(join(tree, rel)).sort();
    } catch {
      return;
    }
    for (const n of names) {
      const r = `${rel}/${n}`;
      const st = statSync(join(tree, r));
      if (st.isDirectory()) walk(r);
      else if (/\.[ch]$/.test(n)) out.push(r);
    }
  };
  walk('mm');
  for (const arch of readdirSync(join(tree, 'arch')).sort()) walk(`arch/${arch}/mm`);
  const inc = readdirSync(join(tree, 'include/linux')).sort().filter((n) => /^mm.*\.h$/.test(n)).map((n) => `include/linux/${n}`);
  out.push(...inc, 'include/linux/mmap_lock.h', 'include/linux/rmap.h', 'include/linux/pgtable.h', 'kernel/fork.c', 'fs/userfaultfd.c', 'fs/proc/task_mmu.c');
  return [...new Set(out)].sort();
}

function kernelVersion(): string {
  const mk = readFileSync(join(tree, 'Makefile'), 'utf8');
  const v = (k: string) => new RegExp(`^${k}[ \\t]*=[ \\t]*(\\S*)`, 'm').exec(mk)?.[1] ?? '';
  return `${v('VERSION')}.${v('PATCHLEVEL')}.${v('SUBLEVEL')}${v('EXTRAVERSION')}`;
}

/** The whole file as a new-file diff: every function is shown from its start. */
function factsOf(rel: string): FunctionFacts[] {
  const text = readFileSync(join(tree, rel), 'utf8');
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const diff = [`diff --git a/${rel} b/${rel}`, '--- /dev/null', `+++ b/${rel}`, `@@ -0,0 +1,${lines.length} @@`, ...lines.map((l) => `+${l}`)].join('\n') + '\n';
  const facts = extractPatchFacts({ file: rel, diff, map: identityMap(lines.length + 5) });
  return facts.functions.filter((f) => f.image === 'post' && f.hasStart);
}

const HEADER = 4; // diff lines before the file's first line
const t0 = performance.now();
const version = kernelVersion();
const model = defaultModel();
const all = files();
const perFile = all.map((rel) => ({ rel, fns: factsOf(rel) }));
const tParse = performance.now();

let helpers = new Map<string, HelperSpec>();
let mined: FunctionContract[] = [];
for (let round = 0; round < 2; round++) {
  mined = [];
  for (const { rel, fns } of perFile) {
    for (const fn of fns) {
      mined.push(mineFunction(fn, { model, summaries: new Map(), contracts: helpers }, rel, (l) => l - HEADER));
    }
  }
  // Callee effects for the next round: names defined once, or alike everywhere.
  const byName = new Map<string, (HelperSpec | null)[]>();
  for (const c of mined) byName.set(c.name, [...(byName.get(c.name) ?? []), specOf(c, `v${version}`)]);
  helpers = new Map();
  for (const [name, specs] of byName) {
    const first = specs[0];
    if (!first || model.helpers.has(name)) continue;
    if (specs.some((s) => JSON.stringify({ ...s, source: 0 }) !== JSON.stringify({ ...first, source: 0 }))) continue;
    helpers.set(name, first);
  }
}
const tMine = performance.now();

const fns: RawContracts['fns'] = {};
// A function that holds nothing anywhere and has no effect tells a hunk nothing: left out (small data).
const telling = (c: FunctionContract) => c.states.length > 0 || Object.keys(encodeContract(c)[2]).length > 0;
for (const c of [...mined].filter(telling).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line))) {
  (fns[c.name] ??= []).push(encodeContract(c));
}
const raw: RawContracts = {
  kernel: version,
  source: `Debian linux-source-${version.split('.').slice(0, 2).join('.')} (${relative(process.cwd(), tree) || tree})`,
  generator: 'scripts/mine-contracts.ts (npm run model:mine)',
  fns,
};
const json = JSON.stringify(raw);
const gz = gzipSync(json, { level: 9 });
const major = version.split('.').slice(0, 2).join('.');
const out = values.out ?? `data/contracts-linux-${major}.json.gz`;
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, gz);

// Contradictions with the hand-written model, for review.
const review: string[] = [];
const classes = (l: { lock: string }[] | undefined) => [...new Set((l ?? []).map((u) => u.lock))].sort().join(',');
for (const c of mined) {
  const h = model.helpers.get(c.name);
  if (!h || h.anyOf) continue;
  const e = c.effects;
  const diffs: string[] = [];
  const hAcq = (h.success ?? 'always') === 'always' ? classes(h.acquires?.filter((u) => u.lock !== 'rcu' && u.lock !== 'vma_lock')) : '';
  const mAcq = classes(e.acquires);
  if (hAcq !== mAcq && (mAcq || (hAcq && !classes(e.condAcquires).includes(hAcq)))) diffs.push(`acquires: model [${hAcq}] mined [${mAcq}]`);
  const hRel = classes(h.releases?.filter((u) => !u.all && u.lock !== 'rcu'));
  const mRel = classes([...e.releases, ...e.condReleases]);
  if (hRel !== mRel && mRel) diffs.push(`releases: model [${hRel}] mined [${mRel}]`);
  const hAs = classes(h.asserts);
  if (h.kind === 'assert' && e.asserts.length && hAs !== classes(e.asserts)) diffs.push(`asserts: model [${hAs}] mined [${e.asserts.map(useText).join(',')}]`);
  if (diffs.length) review.push(`${c.name} (${c.file}:${c.line}): ${diffs.join('; ')}`);
}
const reviewFile = out.replace(/\.json\.gz$/, '.review.txt');
writeFileSync(reviewFile, `# Mined facts of linux-${version} that contradict the hand-written model (src/core/model/helpers.ts).\n# The model wins; review each.\n${review.join('\n')}\n`);

const withState = mined.filter((c) => c.states.length > 0).length;
process.stdout.write(
  `linux ${version}: ${all.length} files, ${mined.length} functions (${Object.keys(fns).length} names, ${withState} with lock state)\n` +
  `parse ${Math.round(tParse - t0)} ms, mine ${Math.round(tMine - tParse)} ms\n` +
  `${out}: ${gz.length} bytes gzip (${json.length} bytes JSON)\n` +
  `${review.length} mined facts contradict the model (${reviewFile}):\n${review.map((r) => `  ${r}`).join('\n')}\n`,
);
