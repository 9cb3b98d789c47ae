/**
 * b4 review's check protocol (b4's `review-perpatch-check-cmd` and
 * `review-series-check-cmd`; upstream b4, its review checks module,
 * `_run_external_cmd`): b4 pipes one RFC 2822 message to the command, with
 * B4_TRACKING_FILE in the environment (the series' tracking JSON; not needed
 * here: the message carries its diff).  The command prints a JSON array of
 * results, each
 *
 *   { tool, status: "pass" | "warn" | "fail", summary?, url?, details? }
 *
 * and `[]` when it has nothing to report for the message (a cover letter, a
 * reply with no diff).  b4 reads stdout whenever it is not empty; a non-zero
 * exit with nothing on stdout is shown as "exited with error code N".
 *
 * So: errors are `fail`, warnings `warn`; info findings are not reported;
 * a diff or C that could not be analysed is a `fail` (the check did not
 * happen there: never a clean bill), and so is input that is no mail.
 */
import type { Finding } from '../core/findings.js';
import type { Problem } from '../core/types.js';

export interface B4Result {
  tool: string;
  status: 'pass' | 'warn' | 'fail';
  summary: string;
  url?: string;
  details?: string;
}

export const B4_TOOL = 'patchlens';

/** Problems that mean part of the message was not checked. */
const INCOMPLETE = /diff|hunk|^c-|mime|damaged|unreadable|internal/;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * The results for one checked message.  `noMail` names inputs that held no
 * mail (empty, binary): reported as a failure.
 */
export function b4Results(findings: readonly Finding[], problems: readonly Problem[], noMail: readonly string[]): B4Result[] {
  if (noMail.length) {
    return [{ tool: B4_TOOL, status: 'fail', summary: `no mail to check in ${noMail.join(', ')}`, details: problems.map(problemLine).join('\n') }];
  }
  const errors = findings.filter((f) => f.severity === 'error');
  const warnings = findings.filter((f) => f.severity === 'warning');
  const incomplete = problems.filter((p) => INCOMPLETE.test(p.kind));
  if (!errors.length && !warnings.length && !incomplete.length) return [];
  const parts: string[] = [];
  if (errors.length) parts.push(plural(errors.length, 'error'));
  if (warnings.length) parts.push(plural(warnings.length, 'warning'));
  if (incomplete.length) parts.push(`${plural(incomplete.length, 'part')} not checked`);
  const status: B4Result['status'] = errors.length || incomplete.length ? 'fail' : 'warn';
  const details = [...errors, ...warnings].map(findingLine).concat(incomplete.map(problemLine)).join('\n');
  return [{ tool: B4_TOOL, status, summary: `VMA locking: ${parts.join(', ')}`, details }];
}

/** A finding as a reviewer reads it in b4: the kernel file and line first. */
function findingLine(f: Finding): string {
  const where = f.patchFile ? `${f.patchFile}${f.patchLine ? `:${f.patchLine}` : ''}` : `${f.file}:${f.line}`;
  return `${where}: ${f.severity} ${f.rule}: ${f.message}`;
}

function problemLine(p: Problem): string {
  return `${p.file}:${p.line}: not checked (${p.kind}): ${p.message}`;
}
