/**
 * What counts as finding a bug.  A bug is a set of lines of the mail the
 * reviewer opens (the lines a reversal or a mutation changed) and the rules
 * a reviewer would expect there.  It is found when a finding of one of
 * those rules, at warning or error, sits within WINDOW lines of one of the
 * lines.  Info findings do not count: `check` shows them only on request.
 */
import type { Finding } from '../../src/core/findings.js';

/** How far (in input lines) a finding may sit from the changed line and still be the bug's. */
export const WINDOW = 6;

export interface Bug {
  /** 1-based lines of the reviewed text the bug is on. */
  lines: number[];
  /** Rule ids a reviewer would expect. */
  rules: string[];
}

function distance(f: Finding, lines: number[]): number {
  let best = Infinity;
  for (const l of lines) best = Math.min(best, Math.abs(f.line - l));
  return best;
}

const counts = (f: Finding): boolean => f.severity === 'warning' || f.severity === 'error';

/** The finding that shows the bug (nearest first), or null. */
export function hitOf(findings: readonly Finding[], bug: Bug): Finding | null {
  let best: Finding | null = null;
  for (const f of findings) {
    if (!counts(f) || !bug.rules.includes(f.rule)) continue;
    const d = distance(f, bug.lines);
    if (d <= WINDOW && (!best || d < distance(best, bug.lines))) best = f;
  }
  return best;
}

/**
 * Why a missed bug was missed, as the analysis said it: the `uncertain` note
 * of the nearest finding of an expected rule within the window (any
 * severity), else of any finding within the window, else of the nearest
 * finding of an expected rule further away (named as such), else
 * "no reason".  The finding's rule, severity and distance are named too, so a
 * finding that fired at info level or a few lines too far is told apart
 * from silence.
 */
export function missReason(findings: readonly Finding[], bug: Bug): string {
  const byDistance = (pool: Finding[]) => [...pool].sort((a, b) => distance(a, bug.lines) - distance(b, bug.lines));
  const away = (f: Finding) => {
    const d = distance(f, bug.lines);
    return `${f.rule} ${f.severity} ${d} line${d === 1 ? '' : 's'} away`;
  };
  const expected = byDistance(findings.filter((f) => bug.rules.includes(f.rule)));
  const near = expected[0] && distance(expected[0], bug.lines) <= WINDOW ? expected[0] : undefined;
  if (near) return `${away(near)}: ${near.uncertain ?? 'no reason given'}`;
  const close = byDistance(findings.filter((f) => distance(f, bug.lines) <= WINDOW && f.uncertain))[0];
  if (close) return `${close.rule} ${close.severity}: ${close.uncertain}`;
  const far = expected.find((f) => f.uncertain);
  if (far) return `no reason here; nearest ${away(far)}: ${far.uncertain}`;
  return 'no reason';
}

/** Warnings and errors, the findings a user sees by default. */
export function alarms(findings: readonly Finding[]): Finding[] {
  return findings.filter(counts);
}

/**
 * A finding as it would read in another version of the same text: its rule,
 * the code on its line and its message with the numbers (line references)
 * blanked.  A mutant's finding with the key of one its source already had is
 * not the planted bug's.
 */
export function findingKey(f: Finding, textLines: readonly string[]): string {
  return `${f.rule}\0${(textLines[f.line - 1] ?? '').trim()}\0${f.message.replace(/\d+/g, '#')}`;
}

/** The findings of `text` that its source (keys from findingKey) did not already have. */
export function newFindings(findings: readonly Finding[], text: string, sourceKeys: ReadonlySet<string>): Finding[] {
  const lines = text.split('\n');
  return findings.filter((f) => !sourceKeys.has(findingKey(f, lines)));
}
