/**
 * `check` in process, as the recall benchmark runs it: review() on one mail,
 * the lock-check findings kept (trailer and sign-off findings belong to
 * `patchlens trailers`, as in src/cli/commands/check.ts).
 *
 * Built-in contracts (issue 11) are switched by `ReviewOptions.contracts`
 * when review() has that option; contractsOption() says whether it has.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/cli/files.js';
import { review, type ReviewOptions } from '../../src/core/review.js';
import { RULES } from '../../src/core/checks/index.js';
import type { Finding } from '../../src/core/findings.js';

const checkRules = new Set(RULES.map((r) => r.id));

/** One configuration the benchmark runs `check` in (a column of the table). */
export interface Setting {
  name: string;
  options: ReviewOptions;
}

/**
 * Whether review() takes `contracts?: boolean`.  An interface leaves no
 * trace at run time, so the source of ReviewOptions is read: the benchmark
 * runs from source (tsx) and ships with it.
 */
export function contractsOption(src = readFileSync(join(packageRoot(), 'src/core/review.ts'), 'utf8')): boolean {
  const decl = /export interface ReviewOptions \{([\s\S]*?)\n\}/.exec(src);
  return !!decl && /\bcontracts\?\s*:[^;]*\bboolean\b/.test(decl[1]!);
}

/** The settings to run: with and without built-in contracts when review() knows them. */
export function settings(): Setting[] {
  if (!contractsOption()) return [{ name: 'check', options: {} }];
  return [
    { name: 'with contracts', options: { contracts: true } as ReviewOptions },
    { name: 'without contracts', options: { contracts: false } as ReviewOptions },
  ];
}

/** The lock-check findings `patchlens check` would print for this mail. */
export async function checkMail(file: string, text: string | Uint8Array, options: ReviewOptions): Promise<Finding[]> {
  const result = await review([{ file, data: text }], options);
  return result.findings.filter((f) => checkRules.has(f.rule));
}
