/**
 * The reversed real fixes: every fix mail of test/fixtures/corpus/fixes/
 * (expected.json) and the fix mails among corpus/real/ (real-fixes.json),
 * each reversed so it re-introduces its bug.  A fix is found when an
 * expected rule fires near a line the reversal changed (score.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/cli/files.js';
import { reverseFixMail } from './reverse.js';
import type { Bug } from './score.js';

/** One entry of expected.json / real-fixes.json. */
export interface Expectation {
  file: string;
  class: string;
  rules: string[];
  fixes: string | null;
  note: string;
}

export interface ReversedFix extends Bug {
  /** Name shown in the table, e.g. `fixes/f15` or `real/071`. */
  name: string;
  /** Path of the fix mail, from the package root. */
  source: string;
  class: string;
  text: string;
}

const SETS = [
  { dir: 'test/fixtures/corpus/fixes', expected: 'test/fixtures/corpus/fixes/expected.json', label: 'fixes' },
  { dir: 'test/fixtures/corpus/real', expected: 'test/fixtures/corpus/real-fixes.json', label: 'real' },
];

export function expectations(): { dir: string; label: string; entries: Expectation[] }[] {
  const root = packageRoot();
  return SETS.map((s) => ({
    dir: s.dir,
    label: s.label,
    entries: JSON.parse(readFileSync(join(root, s.expected), 'utf8')) as Expectation[],
  }));
}

export async function reversedFixes(): Promise<ReversedFix[]> {
  const root = packageRoot();
  const out: ReversedFix[] = [];
  for (const set of expectations()) {
    for (const e of set.entries) {
      const source = join(set.dir, e.file);
      const rev = await reverseFixMail(e.file, readFileSync(join(root, source)));
      if (!rev) throw new Error(`${source}: no diff to reverse`);
      out.push({
        name: `${set.label}/${e.file.split('-')[0]}`,
        source,
        class: e.class,
        rules: e.rules,
        lines: rev.changed,
        text: rev.text,
      });
    }
  }
  return out;
}
