/**
 * `npm run bench:recall`: does `check` catch the bugs that real fixes fixed?
 *
 * - Reversed real fixes (bench/recall/fixes.ts): recall per bug class; the
 *   headline counts every class but `other`.
 * - Injected bugs (bench/recall/mutate.ts): recall per mutation operator and
 *   the macro recall over operators.
 * - False alarms: warnings and errors on the unmodified real patches and
 *   fixes, per 20 patches.
 *
 * Prints one table and writes bench/RECALL.md with the misses and the reason
 * the analysis gave for each.  Run twice (with and without the built-in
 * contracts) when review() takes `contracts` (bench/recall/check.ts).
 * Targets (issue 10): >= 60% reversed fixes, >= 90% macro recall on
 * injected bugs, <= 1 false alarm per 20 patches.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { packageRoot } from '../src/cli/files.js';
import type { Finding } from '../src/core/findings.js';
import { checkMail, settings, type Setting } from './recall/check.js';
import { expectations, reversedFixes } from './recall/fixes.js';
import { reverseFixMail } from './recall/reverse.js';
import { CAP, SEED, mutants, type MutantSummary, type Source } from './recall/mutate.js';
import { OPERATORS } from './recall/operators.js';
import { alarms, findingKey, hitOf, missReason, newFindings, WINDOW, type Bug } from './recall/score.js';

/** A bug the benchmark plants or re-introduces, and its group in the table (class or operator). */
interface Case extends Bug {
  name: string;
  group: string;
  file: string;
  text: string;
  what?: string;
  /** For a mutant: the source it was made from (its findings are not the mutant's hits). */
  source?: string;
}

interface Outcome {
  case: Case;
  hit: Finding | null;
  reason: string;
}

interface Run {
  setting: Setting;
  fixes: Outcome[];
  mutants: Outcome[];
  /** Unmodified patch -> its warnings and errors. */
  clean: { name: string; alarms: Finding[] }[];
  /** Precision controls: new warnings on neutral mutants, warnings on reversed patches that fixed nothing. */
  neutral: { case: Case; alarms: Finding[] }[];
  reversedNonFixes: { name: string; alarms: Finding[] }[];
  seconds: number;
}

const pct = (n: number, d: number): string => (d ? `${Math.round((100 * n) / d)}%` : '-');

async function runCase(c: Case, s: Setting, baseline?: ReadonlySet<string>): Promise<Outcome> {
  let findings = await checkMail(c.file, c.text, s.options);
  // A finding the unmodified source already had is not the planted bug's.
  if (baseline) findings = newFindings(findings, c.text, baseline);
  const hit = hitOf(findings, c);
  return { case: c, hit, reason: hit ? '' : missReason(findings, c) };
}

/** Keys of the findings of each mutation source (as decoded, the text the mutants are made from). */
async function baselines(sources: Source[], s: Setting): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  for (const src of sources) {
    const lines = src.text.split('\n');
    out.set(src.name, new Set((await checkMail(`${src.name}.patch`, src.text, s.options)).map((f) => findingKey(f, lines))));
  }
  return out;
}

/** The real patches that are not fixes (not in real-fixes.json), reversed. */
async function reversedNonFixes(): Promise<Case[]> {
  const root = packageRoot();
  const fixFiles = new Set(expectations().flatMap((s) => s.entries.map((e) => e.file)));
  const dir = join(root, 'test/fixtures/corpus/real');
  const out: Case[] = [];
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.patch') && !fixFiles.has(x)).sort()) {
    const rev = await reverseFixMail(f, readFileSync(join(dir, f)));
    if (!rev) continue;
    const name = `real/${f.split('-')[0]} reversed`;
    out.push({ name, group: 'non-fix', file: `${name}.patch`, text: rev.text, lines: rev.changed, rules: [] });
  }
  return out;
}

/** The unmodified inputs: every real patch and every fix mail, as a user opens them. */
function cleanInputs(): { name: string; path: string }[] {
  const root = packageRoot();
  const real = readdirSync(join(root, 'test/fixtures/corpus/real'))
    .filter((f) => f.endsWith('.patch'))
    .sort()
    .map((f) => ({ name: `real/${f.split('-')[0]}`, path: join(root, 'test/fixtures/corpus/real', f) }));
  const fixes = expectations()
    .filter((s) => s.label === 'fixes')
    .flatMap((s) => s.entries.map((e) => ({ name: `fixes/${e.file.split('-')[0]}`, path: join(root, s.dir, e.file) })));
  return [...real, ...fixes];
}

async function run(s: Setting, fixCases: Case[], mutantCases: Case[], neutralCases: Case[], nonFixes: Case[], sources: Source[]): Promise<Run> {
  const t0 = performance.now();
  const fixes: Outcome[] = [];
  for (const c of fixCases) fixes.push(await runCase(c, s));
  const muts: Outcome[] = [];
  const base = await baselines(sources, s);
  for (const c of mutantCases) muts.push(await runCase(c, s, base.get(c.source!)));
  const clean: Run['clean'] = [];
  for (const input of cleanInputs()) {
    clean.push({ name: input.name, alarms: alarms(await checkMail(input.path, readFileSync(input.path), s.options)) });
  }
  const neutral: Run['neutral'] = [];
  for (const c of neutralCases) {
    neutral.push({ case: c, alarms: alarms(newFindings(await checkMail(c.file, c.text, s.options), c.text, base.get(c.source!)!)) });
  }
  const reversedNonFixes: Run['reversedNonFixes'] = [];
  for (const c of nonFixes) reversedNonFixes.push({ name: c.name, alarms: alarms(await checkMail(c.file, c.text, s.options)) });
  return { setting: s, fixes, mutants: muts, clean, neutral, reversedNonFixes, seconds: (performance.now() - t0) / 1000 };
}

function byGroup(outcomes: Outcome[]): Map<string, { hits: number; total: number }> {
  const m = new Map<string, { hits: number; total: number }>();
  for (const o of outcomes) {
    const g = m.get(o.case.group) ?? { hits: 0, total: 0 };
    g.total++;
    if (o.hit) g.hits++;
    m.set(o.case.group, g);
  }
  return m;
}

interface Row {
  label: string;
  cells: string[];
  /** Headline rows are bold in RECALL.md. */
  head?: boolean;
}

function rows(runs: Run[], mutantSummary: MutantSummary): Row[] {
  const out: Row[] = [];
  const headline = (r: Run) => {
    const counted = r.fixes.filter((o) => o.case.group !== 'other');
    const hits = counted.filter((o) => o.hit).length;
    return `${hits}/${counted.length} (${pct(hits, counted.length)})`;
  };
  out.push({ label: 'Reversed fixes, classes but `other` (target >= 60%)', cells: runs.map(headline), head: true });
  out.push({
    label: '  all classes, `other` included',
    cells: runs.map((r) => {
      const hits = r.fixes.filter((o) => o.hit).length;
      return `${hits}/${r.fixes.length} (${pct(hits, r.fixes.length)})`;
    }),
  });
  const classes = [...byGroup(runs[0]!.fixes).keys()].sort((a, b) => (a === 'other' ? 1 : b === 'other' ? -1 : a.localeCompare(b)));
  for (const cls of classes) {
    out.push({
      label: `  ${cls}${cls === 'other' ? ' (not in the headline)' : ''}`,
      cells: runs.map((r) => {
        const g = byGroup(r.fixes).get(cls)!;
        return `${g.hits}/${g.total}`;
      }),
    });
  }
  const macro = (r: Run) => {
    const groups = [...byGroup(r.mutants).values()];
    if (!groups.length) return '-';
    const mean = groups.reduce((a, g) => a + g.hits / g.total, 0) / groups.length;
    const hits = r.mutants.filter((o) => o.hit).length;
    return `${Math.round(100 * mean)}% (${hits}/${r.mutants.length})`;
  };
  out.push({ label: 'Injected bugs, macro recall over operators (target >= 90%)', cells: runs.map(macro), head: true });
  for (const op of [...byGroup(runs[0]!.mutants).keys()]) {
    out.push({
      label: `  ${op}`,
      cells: runs.map((r) => {
        const g = byGroup(r.mutants).get(op)!;
        return `${g.hits}/${g.total} (${pct(g.hits, g.total)})`;
      }),
    });
  }
  out.push({
    label: '  mutants skipped: git apply rejected / hunk left without a change',
    cells: runs.map(() => `${mutantSummary.rejected} / ${mutantSummary.emptied}`),
  });
  out.push({
    label: 'False alarms per 20 unmodified patches (target <= 1)',
    cells: runs.map((r) => {
      const n = r.clean.reduce((a, c) => a + c.alarms.length, 0);
      return `${((20 * n) / r.clean.length).toFixed(2)} (${n} in ${r.clean.length})`;
    }),
    head: true,
  });
  out.push({ label: 'Precision controls (no target; lower is better)', cells: runs.map(() => '') });
  out.push({
    label: '  neutral mutants with a new warning',
    cells: runs.map((r) => {
      const n = r.neutral.filter((x) => x.alarms.length).length;
      return `${n}/${r.neutral.length} (${pct(n, r.neutral.length)})`;
    }),
  });
  out.push({
    label: '  reversed real patches that fixed nothing: warnings per 20',
    cells: runs.map((r) => {
      const n = r.reversedNonFixes.reduce((a, c) => a + c.alarms.length, 0);
      return `${((20 * n) / Math.max(1, r.reversedNonFixes.length)).toFixed(1)} (${n} in ${r.reversedNonFixes.length})`;
    }),
  });
  out.push({ label: 'Run time', cells: runs.map((r) => `${r.seconds.toFixed(0)} s`) });
  return out;
}

function textTable(runs: Run[], table: Row[]): string {
  const header = ['', ...runs.map((r) => r.setting.name)];
  const all = [header, ...table.map((r) => [r.label, ...r.cells])];
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  return all.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')).join('\n');
}

function markdown(runs: Run[], table: Row[], mutantSummary: MutantSummary): string {
  const md: string[] = [];
  md.push('# Recall on real bugs (`npm run bench:recall`)', '');
  md.push(
    `Written by bench/recall.ts on ${new Date().toISOString().slice(0, 10)}. A bug is found when a finding of an expected`,
    `rule, at warning or error, sits within ${WINDOW} lines of a line the reversal or mutation changed`,
    '(for a mutant, also of the line where the bug shows, and only a finding its unmodified source did not have;',
    'bench/recall/score.ts). Reversed fixes: test/fixtures/corpus/fixes/ (expected.json) and the fix mails',
    'of corpus/real/ (real-fixes.json). Injected bugs: bench/recall/mutate.ts over corpus/real and the fixes,',
    `seeded (seed ${mutantSummary.seed}), at most ${mutantSummary.cap} mutants per operator, each accepted by \`git apply --numstat\`.`,
    '',
  );
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  md.push(`| | ${runs.map((r) => r.setting.name).join(' | ')} |`, `|---|${runs.map(() => '---:').join('|')}|`);
  for (const r of table) {
    const label = r.label.startsWith('  ') ? `&nbsp;&nbsp;${esc(r.label.trim())}` : esc(r.label);
    md.push(`| ${r.head ? `**${label}**` : label} | ${r.cells.map((c) => (r.head ? `**${esc(c)}**` : esc(c))).join(' | ')} |`);
  }
  md.push('', '## Mutation operators', '');
  md.push('| operator | what it plants | expected rules | sites in the corpus |', '|---|---|---|---:|');
  for (const op of OPERATORS) md.push(`| ${esc(op.id)} | ${esc(op.description)} | ${op.rules.join(', ')} | ${mutantSummary.sites[op.id] ?? 0} |`);
  md.push('');
  for (const r of runs) {
    const suffix = runs.length > 1 ? ` (${r.setting.name})` : '';
    md.push(`## Reversed fixes missed${suffix}`, '');
    const missed = r.fixes.filter((o) => !o.hit);
    if (!missed.length) md.push('None.');
    for (const o of missed) md.push(`- \`${o.case.name}\` (${o.case.group}; expects ${o.case.rules.join(' or ')}): ${esc(o.reason)}`);
    md.push('', `## Reversed fixes found${suffix}`, '');
    for (const o of r.fixes.filter((x) => x.hit)) {
      md.push(`- \`${o.case.name}\` (${o.case.group}): ${o.hit!.rule} ${o.hit!.severity} at line ${o.hit!.line}: ${esc(o.hit!.message)}`);
    }
    md.push('', `## Injected bugs missed${suffix}`, '');
    const mm = r.mutants.filter((o) => !o.hit);
    if (!mm.length) md.push(r.mutants.length ? 'None.' : 'No mutants.');
    for (const o of mm) md.push(`- \`${o.case.name}\` ${esc(o.case.what ?? '')} (expects ${o.case.rules.join(' or ')}): ${esc(o.reason)}`);
    md.push('', `## New warnings on neutral mutants${suffix}`, '');
    const nw = r.neutral.filter((x) => x.alarms.length);
    if (!nw.length) md.push('None.');
    for (const x of nw) {
      for (const f of x.alarms) md.push(`- \`${x.case.name}\` ${esc(x.case.what ?? '')}: line ${f.line} ${f.rule} ${f.severity}: ${esc(f.message)}`);
    }
    md.push('', `## Warnings on reversed real patches that fixed nothing${suffix}`, '');
    md.push(
      'A reversal of a patch that was not a fix can still be a bug (it may remove a lock the code needs), so these',
      'are not all false; they show what the diff-aware rules say about removals in general.',
      '',
    );
    const rn = r.reversedNonFixes.filter((x) => x.alarms.length);
    if (!rn.length) md.push('None.');
    for (const x of rn) for (const f of x.alarms) md.push(`- \`${x.name}\` line ${f.line}: ${f.rule} ${f.severity}: ${esc(f.message)}`);
    md.push('', `## False alarms on unmodified patches${suffix}`, '');
    const fa = r.clean.filter((c) => c.alarms.length);
    if (!fa.length) md.push('None.');
    for (const c of fa) for (const f of c.alarms) md.push(`- \`${c.name}\` line ${f.line}: ${f.rule} ${f.severity}: ${esc(f.message)}`);
    md.push('');
  }
  return md.join('\n');
}

/**
 * Runs everything; RECALL.md is written for the default sample only, so
 * another seed (a fresh sample of mutants, to see that a figure is not the
 * sample's) prints its table without replacing the recorded one.
 */
export async function benchRecall(seed = SEED, cap = CAP): Promise<string> {
  const fixCases: Case[] = (await reversedFixes()).map((f) => ({ ...f, group: f.class, file: `${f.name}.reversed.patch` }));
  const generated = await mutants(seed, cap);
  const mutantCases: Case[] = generated.mutants.map((m) => ({
    name: m.name,
    group: m.operator,
    file: `${m.name}.patch`,
    text: m.text,
    lines: m.lines,
    rules: m.rules,
    what: m.what,
    source: m.source,
  }));
  const neutralCases: Case[] = generated.neutral.map((m) => ({
    name: m.name, group: m.operator, file: `${m.name}.patch`, text: m.text, lines: m.lines, rules: [], what: m.what, source: m.source,
  }));
  const nonFixes = await reversedNonFixes();
  const runs: Run[] = [];
  for (const s of settings()) runs.push(await run(s, fixCases, mutantCases, neutralCases, nonFixes, generated.sources));
  const table = rows(runs, generated.summary);
  if (seed === SEED && cap === CAP) writeFileSync(join(packageRoot(), 'bench/RECALL.md'), markdown(runs, table, generated.summary));
  return textTable(runs, table);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({
    options: { seed: { type: 'string', default: String(SEED) }, cap: { type: 'string', default: String(CAP) } },
  });
  const seed = Number(values.seed);
  const cap = Number(values.cap);
  if (!Number.isInteger(seed) || !Number.isInteger(cap) || cap < 1) {
    console.error('usage: npm run bench:recall [-- --seed N] [--cap N]');
    process.exit(2);
  }
  console.log(await benchRecall(seed, cap));
  const recorded = seed === SEED && cap === CAP;
  console.log(recorded ? '\nwritten: bench/RECALL.md' : `\nseed ${seed}, cap ${cap}: bench/RECALL.md (seed ${SEED}, cap ${CAP}) left as it was`);
}
