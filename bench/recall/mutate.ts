/**
 * Injected bugs: every operator of operators.ts over the real corpus
 * (test/fixtures/corpus/real/*.patch) and the fix mails, each mail decoded
 * first (reverse.ts decodedMail: plain headers, the body as git mailinfo
 * gives it).  Sites are shuffled with a seeded generator and taken in that
 * order, one kind of site at a time in turn, until CAP mutants per operator
 * were accepted by `git apply --numstat`; the ones git rejects are skipped
 * and counted.  The same seed gives the same mutants.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/cli/files.js';
import { decodedMail } from './reverse.js';
import { applyEdit, readPatchText } from './patchlines.js';
import { OPERATORS, neutralStatement, type Operator } from './operators.js';
import { gitAccepts, saveGitCache } from './gitapply.js';

export const SEED = 20261205;
export const CAP = 40;

export interface Mutant {
  /** e.g. `real/055#12@L340`. */
  name: string;
  operator: string;
  source: string;
  text: string;
  /** 1-based lines of `text` the bug is on: the touched lines, then where it shows. */
  lines: number[];
  touched: number[];
  rules: string[];
  what: string;
  variant: string;
}

export interface MutantSummary {
  seed: number;
  cap: number;
  /** Mutants git apply rejected (skipped). */
  rejected: number;
  /** Sites skipped because the mutation left a hunk with no change (git would reject it). */
  emptied: number;
  /** Sites found per operator (before the cap). */
  sites: Record<string, number>;
}

/** mulberry32: a small seeded generator, enough for sampling. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

export interface Source {
  name: string;
  text: string;
}

/** The decoded mails the mutator edits: corpus/real, then the fixes; those git reads as patches. */
export async function mutationSources(): Promise<Source[]> {
  const root = packageRoot();
  const out: Source[] = [];
  for (const [dir, label] of [['test/fixtures/corpus/real', 'real'], ['test/fixtures/corpus/fixes', 'fixes']] as const) {
    for (const f of readdirSync(join(root, dir)).filter((x) => x.endsWith('.patch')).sort()) {
      const text = await decodedMail(f, readFileSync(join(root, dir, f)));
      if (text && gitAccepts(text)) out.push({ name: `${label}/${f.split('-')[0]}`, text });
    }
  }
  return out;
}

/** Every mutant an operator can make on the sources, in source and line order (not yet checked by git). */
export function candidates(op: Operator, sources: Source[], rand: () => number, skipped = { emptied: 0 }): Mutant[] {
  const out: Mutant[] = [];
  for (const s of sources) {
    const p = readPatchText(s.text);
    for (const site of op.sites(p, rand)) {
      const m = applyEdit(p, site.edit, site.witnesses);
      // Dropping a hunk's only change leaves no patch there to review: not a mutant.
      if (readPatchText(m.text).hunks.some((h, n, all) => !changes(all, n, m.text))) { skipped.emptied++; continue; }
      out.push({
        name: `${s.name}@L${site.line + 1}`,
        operator: op.id,
        source: s.name,
        text: m.text,
        lines: [...m.touched, ...m.witness],
        touched: m.touched,
        rules: op.rules,
        what: site.what,
        variant: site.variant ?? '',
      });
    }
  }
  return out;
}

export interface Generated {
  mutants: Mutant[];
  /** Mutants that plant no bug (operators.ts neutralStatement): the precision control. */
  neutral: Mutant[];
  summary: MutantSummary;
  sources: Source[];
}

export async function mutants(seed = SEED, cap = CAP): Promise<Generated> {
  const sources = await mutationSources();
  const summary: MutantSummary = { seed, cap, rejected: 0, emptied: 0, sites: {} };
  const all = OPERATORS.flatMap((op, n) => sample(op, sources, seed + n, cap, summary));
  const neutral = sample(neutralStatement, sources, seed + OPERATORS.length, cap, summary);
  saveGitCache();
  return { mutants: all, neutral, summary, sources };
}

/** Up to `cap` mutants of one operator that git accepts, in seeded order. */
function sample(op: Operator, sources: Source[], seed: number, cap: number, summary: MutantSummary): Mutant[] {
  const rand = seeded(seed);
  const cands = candidates(op, sources, rand, summary);
  summary.sites[op.id] = cands.length;
  const out: Mutant[] = [];
  for (const c of interleaved(cands, rand)) {
    if (out.length >= cap) break;
    if (!gitAccepts(c.text)) { summary.rejected++; continue; }
    out.push(c);
  }
  return out;
}

/** Whether hunk n of the text has a `+` or `-` line. */
function changes(hunks: { header: number; end: number }[], n: number, text: string): boolean {
  const lines = text.split('\n');
  for (let i = hunks[n]!.header + 1; i <= hunks[n]!.end; i++) if (/^[+-]/.test(lines[i]!)) return true;
  return false;
}

/**
 * The candidates shuffled (Fisher-Yates, the operator's own generator: one
 * operator's sites do not move another's), then taken one kind at a time in
 * turn, so that the cap samples every kind of site the corpus has.
 */
function interleaved(cands: Mutant[], rand: () => number): Mutant[] {
  const shuffled = [...cands];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = rand() % (i + 1);
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  const kinds = new Map<string, Mutant[]>();
  for (const c of shuffled) kinds.set(c.variant, [...(kinds.get(c.variant) ?? []), c]);
  const queues = [...kinds.values()];
  const out: Mutant[] = [];
  for (let round = 0; out.length < shuffled.length; round++) {
    for (const q of queues) if (round < q.length) out.push(q[round]!);
  }
  return out;
}
